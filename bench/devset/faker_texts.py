"""Deterministic synthetic texts with gold entity spans, built from Faker data and our own templates.

    .venv/bin/python bench/devset/faker_texts.py -o out.jsonl [--count N] [--seed S]

Each record: {"id", "text", "locale", "split", "entities", "distractors", "hard", "genre"}.

- ``entities``: gold spans {"start", "end", "label", "value"} sorted by start, offsets into ``text``
  as it is (zero-width and direction characters included). Labels: PERSON, LOCATION, ORGANIZATION,
  PHONE, EMAIL, IBAN, URL, MONEY, DATE.
- ``distractors``: digit-bearing strings put in the text to tempt a phone finder, each
  {"start", "end", "kind", "entity"}; ``entity`` is None for non-entities (times, case numbers,
  SSNs, ID numbers, postcodes, plates, ...) and "DATE"/"MONEY" where the string is also a gold span.
- ``hard``: which hard cases the text carries ("invisible", "allcaps", "surname_repeat").
- ``genre``: the kind of text (intake, police, tip, bank, advert, chat, court, survivor, labour, ad,
  contact).

Span conventions (as data/eval/ANNOTATION.md): PERSON without titles, every mention (surnames
alone, given names alone, ALL-CAPS); a leading "the" is outside ORGANIZATION and LOCATION spans;
"Houston, TX" is two LOCATION spans, a one-line full address is one LOCATION span; named
businesses, agencies, NGOs and advert websites written as brands are ORGANIZATION; DATE covers
word dates, numeric dates, years and periods ("three months"); MONEY needs a currency.

Every text is generated from its own seed (seed, index), so ``generate(n)`` is a prefix of
``generate(m)`` for n < m, and the split is a stable hash of the id.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import phonenumbers
from faker import Faker
from stdnum import iban as stdnum_iban

LABELS = ("PERSON", "LOCATION", "ORGANIZATION", "PHONE", "EMAIL", "IBAN", "URL", "MONEY", "DATE")

INVISIBLES = (
    "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff",
    "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
    "\u2066", "\u2067", "\u2068", "\u2069",
)
_INVISIBLE_RE = re.compile("[" + "".join(INVISIBLES) + "]")

HARD_RATE = 0.12


def strip_invisible(text: str) -> str:
    return _INVISIBLE_RE.sub("", text)


# ---------------------------------------------------------------------------------------------
# Locales
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Loc:
    code: str
    country: str                      # English name, with "the " where English uses it
    # (city, state-or-None); None means: use Faker's city() (real names in these locales)
    cities: tuple | None = None
    money: str = "eur_dot"


def _cs(*pairs: str) -> tuple:
    out = []
    for p in pairs:
        if "|" in p:
            c, s = p.split("|")
            out.append((c, s))
        else:
            out.append((p, None))
    return tuple(out)


LOCALES: dict[str, Loc] = {
    "en_US": Loc("en_US", "the United States", _cs(
        "Houston|TX", "Dallas|TX", "San Antonio|TX", "El Paso|TX", "McAllen|TX", "Laredo|TX",
        "Atlanta|GA", "Savannah|GA", "Miami|FL", "Orlando|FL", "Tampa|FL", "Jacksonville|FL",
        "Las Vegas|NV", "Phoenix|AZ", "Tucson|AZ", "Los Angeles|CA", "San Jose|CA", "Fresno|CA",
        "Sacramento|CA", "Seattle|WA", "Yakima|WA", "Portland|OR", "Denver|CO", "Chicago|IL",
        "Detroit|MI", "Columbus|OH", "Toledo|OH", "Charlotte|NC", "Raleigh|NC", "Richmond|VA",
        "Newark|NJ", "Baltimore|MD", "Brooklyn|NY", "Flushing|NY", "Boston|MA", "Nashville|TN",
        "Memphis|TN", "New Orleans|LA", "Oklahoma City|OK", "Albuquerque|NM", "Salt Lake City|UT",
        "Minneapolis|MN", "Milwaukee|WI", "Kansas City|MO", "Indianapolis|IN", "Louisville|KY",
        "Birmingham|AL", "Omaha|NE", "Des Moines|IA"), "usd"),
    "en_GB": Loc("en_GB", "the United Kingdom", _cs(
        "London", "Manchester", "Birmingham", "Leeds", "Bradford", "Sheffield", "Liverpool",
        "Bristol", "Nottingham", "Leicester", "Coventry", "Peterborough", "Luton", "Slough",
        "Southampton", "Glasgow", "Edinburgh", "Aberdeen", "Cardiff", "Newport", "Swansea",
        "Belfast", "Derby", "Stoke-on-Trent", "Hull", "Wisbech", "King's Lynn", "Norwich",
        "Ipswich", "Reading", "Oxford", "Cambridge", "Blackpool", "Bolton", "Rochdale",
        "Middlesbrough", "Sunderland", "Newcastle", "Spalding", "Boston"), "gbp"),
    "en_CA": Loc("en_CA", "Canada", _cs(
        "Toronto|ON", "Mississauga|ON", "Brampton|ON", "Hamilton|ON", "Ottawa|ON", "Windsor|ON",
        "London|ON", "Niagara Falls|ON", "Montreal|QC", "Laval|QC", "Gatineau|QC", "Winnipeg|MB",
        "Calgary|AB", "Edmonton|AB", "Vancouver|BC", "Surrey|BC", "Richmond|BC", "Halifax|NS",
        "Regina|SK", "Saskatoon|SK", "Moncton|NB"), "cad"),
    "en_AU": Loc("en_AU", "Australia", _cs(
        "Sydney|NSW", "Parramatta|NSW", "Griffith|NSW", "Wollongong|NSW", "Melbourne|VIC",
        "Geelong|VIC", "Mildura|VIC", "Shepparton|VIC", "Brisbane|QLD", "Gold Coast|QLD",
        "Cairns|QLD", "Bundaberg|QLD", "Perth|WA", "Bunbury|WA", "Adelaide|SA", "Hobart|TAS",
        "Darwin|NT", "Canberra|ACT"), "aud"),
    "en_IE": Loc("en_IE", "Ireland", _cs(
        "Dublin", "Cork", "Limerick", "Galway", "Waterford", "Drogheda", "Dundalk", "Swords",
        "Navan", "Kilkenny", "Athlone", "Sligo", "Letterkenny", "Tralee", "Ennis", "Carlow"),
        "eur_ie"),
    "en_IN": Loc("en_IN", "India", _cs(
        "Mumbai|Maharashtra", "Pune|Maharashtra", "Nagpur|Maharashtra", "Kolkata|West Bengal",
        "Siliguri|West Bengal", "Chennai|Tamil Nadu", "Hyderabad|Telangana", "Bengaluru|Karnataka",
        "Jaipur|Rajasthan", "Lucknow|Uttar Pradesh", "Patna|Bihar", "Ranchi|Jharkhand",
        "Surat|Gujarat", "Bhopal|Madhya Pradesh", "Delhi", "Guwahati|Assam"), "inr"),
    "en_PH": Loc("en_PH", "the Philippines", _cs(
        "Manila", "Quezon City", "Makati", "Pasay", "Cebu City", "Davao City", "Angeles City",
        "Olongapo", "Zamboanga City", "Iloilo City", "Bacolod", "Cagayan de Oro", "Tacloban",
        "Baguio", "General Santos"), "php"),
    "fr_FR": Loc("fr_FR", "France", _cs(
        "Paris", "Marseille", "Lyon", "Toulouse", "Nice", "Nantes", "Strasbourg", "Montpellier",
        "Bordeaux", "Lille", "Rennes", "Reims", "Le Havre", "Saint-Étienne", "Toulon", "Grenoble",
        "Dijon", "Angers", "Nîmes", "Villeurbanne", "Saint-Denis", "Perpignan", "Calais", "Rouen",
        "Metz", "Mulhouse", "Roubaix"), "eur_fr"),
    "fr_CH": Loc("fr_CH", "Switzerland", _cs(
        "Genève", "Lausanne", "Fribourg", "Neuchâtel", "Sion", "Montreux", "Yverdon-les-Bains",
        "La Chaux-de-Fonds", "Nyon", "Vevey", "Bienne", "Martigny"), "chf"),
    "de_DE": Loc("de_DE", "Germany", None, "eur_de"),
    "de_CH": Loc("de_CH", "Switzerland", None, "chf"),
    "de_AT": Loc("de_AT", "Austria", None, "eur_de"),
    "it_IT": Loc("it_IT", "Italy", None, "eur_it"),
    "es_ES": Loc("es_ES", "Spain", None, "eur_it"),
    "es_MX": Loc("es_MX", "Mexico", _cs(
        "Ciudad de México", "Guadalajara|Jalisco", "Monterrey|Nuevo León", "Puebla|Puebla",
        "Tijuana|Baja California", "León|Guanajuato", "Ciudad Juárez|Chihuahua",
        "Cancún|Quintana Roo", "Tapachula|Chiapas", "Oaxaca|Oaxaca", "Acapulco|Guerrero",
        "Mérida|Yucatán", "Veracruz|Veracruz", "Culiacán|Sinaloa", "Tlaxcala|Tlaxcala",
        "Querétaro|Querétaro", "Tenancingo|Tlaxcala"), "mxn"),
    "pt_BR": Loc("pt_BR", "Brazil", _cs(
        "São Paulo|SP", "Campinas|SP", "Rio de Janeiro|RJ", "Belo Horizonte|MG", "Salvador|BA",
        "Fortaleza|CE", "Recife|PE", "Manaus|AM", "Belém|PA", "Goiânia|GO", "Curitiba|PR",
        "Foz do Iguaçu|PR", "Porto Alegre|RS", "Natal|RN", "São Luís|MA"), "brl"),
    "pt_PT": Loc("pt_PT", "Portugal", None, "eur_it"),
    "nl_NL": Loc("nl_NL", "the Netherlands", None, "eur_nl"),
    "nl_BE": Loc("nl_BE", "Belgium", None, "eur_nl"),
    "pl_PL": Loc("pl_PL", "Poland", None, "pln"),
    "ro_RO": Loc("ro_RO", "Romania", None, "ron"),
    "bg_BG": Loc("bg_BG", "Bulgaria", _cs(
        "Sofia", "Plovdiv", "Varna", "Burgas", "Ruse", "Stara Zagora", "Pleven", "Sliven",
        "Dobrich", "Shumen", "Pazardzhik", "Haskovo", "Yambol", "Blagoevgrad", "Kyustendil",
        "Montana", "Vidin"), "bgn"),
    "cs_CZ": Loc("cs_CZ", "the Czech Republic", None, "czk"),
    "hu_HU": Loc("hu_HU", "Hungary", _cs(
        "Budapest", "Debrecen", "Szeged", "Miskolc", "Pécs", "Győr", "Nyíregyháza", "Kecskemét",
        "Székesfehérvár", "Szombathely", "Szolnok", "Tatabánya", "Sopron", "Eger", "Ózd"), "huf"),
    "el_GR": Loc("el_GR", "Greece", _cs(
        "Athens", "Thessaloniki", "Patras", "Piraeus", "Larissa", "Heraklion", "Volos",
        "Ioannina", "Kavala", "Chania", "Rhodes", "Corinth", "Alexandroupoli", "Kalamata",
        "Manolada"), "eur_gr"),
    "tr_TR": Loc("tr_TR", "Turkey", _cs(
        "Istanbul", "Ankara", "İzmir", "Antalya", "Bursa", "Adana", "Mersin", "Gaziantep",
        "Konya", "Trabzon", "Edirne", "Bodrum", "Şanlıurfa", "Kayseri", "Samsun"), "try"),
    "sv_SE": Loc("sv_SE", "Sweden", None, "sek"),
    "da_DK": Loc("da_DK", "Denmark", None, "dkk"),
    "fi_FI": Loc("fi_FI", "Finland", None, "eur_fr"),
    "vi_VN": Loc("vi_VN", "Vietnam", _cs(
        "Hanoi", "Hà Nội", "Ho Chi Minh City", "Hải Phòng", "Hai Phong", "Da Nang", "Đà Nẵng",
        "Vinh", "Hà Tĩnh", "Thanh Hóa", "Huế", "Cần Thơ", "Nha Trang", "Nghệ An"), "vnd"),
    "sk_SK": Loc("sk_SK", "Slovakia", None, "eur_fr"),
    "hr_HR": Loc("hr_HR", "Croatia", None, "eur_de"),
}

LOCALE_WEIGHTS = {code: (3 if code in ("en_GB", "en_US") else 1) for code in LOCALES}

ORIGIN_COUNTRIES = (
    "Nigeria", "Albania", "Vietnam", "Romania", "Ukraine", "Moldova", "Eritrea", "Bulgaria",
    "the Philippines", "Thailand", "Honduras", "Guatemala", "China", "Brazil", "Poland", "Morocco",
    "Sudan", "Ghana", "Venezuela", "Nepal", "India", "Bangladesh", "Sri Lanka", "Paraguay",
    "Colombia", "Slovakia", "Hungary", "Uganda", "Kenya", "Sierra Leone",
)

# ---------------------------------------------------------------------------------------------
# Script helpers
# ---------------------------------------------------------------------------------------------

_BG = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s",
    "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sht", "ъ": "a",
    "ь": "y", "ю": "yu", "я": "ya",
}
_GR_DI = {"ου": "ou", "αι": "ai", "ει": "ei", "οι": "oi", "αυ": "av", "ευ": "ev", "μπ": "mp",
          "ντ": "nt", "γκ": "gk", "γγ": "ng", "θ": "th", "χ": "ch", "ψ": "ps"}
_GR = {"α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "ι": "i", "κ": "k",
       "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p", "ρ": "r", "σ": "s", "ς": "s",
       "τ": "t", "υ": "y", "φ": "f", "ω": "o"}


def _translit_word(word: str, table: dict, digraphs: dict | None = None) -> str:
    if not word:
        return word
    nfd = unicodedata.normalize("NFD", word)
    base = "".join(ch for ch in nfd if not unicodedata.combining(ch))
    low = base.lower()
    out = []
    i = 0
    while i < len(low):
        if digraphs and low[i:i + 2] in digraphs:
            out.append(digraphs[low[i:i + 2]])
            i += 2
            continue
        ch = low[i]
        if digraphs and ch in digraphs:
            out.append(digraphs[ch])
        else:
            out.append(table.get(ch, ch))
        i += 1
    res = "".join(out)
    if base[:1].isupper():
        if base.isupper() and len(base) > 1:
            return res.upper()
        res = res[:1].upper() + res[1:]
    return res


def translit(text: str, locale: str) -> str:
    if locale == "bg_BG":
        table, di = _BG, None
    elif locale == "el_GR":
        table, di = _GR, _GR_DI
    else:
        return text
    return re.sub(r"[^\W\d_]+", lambda m: _translit_word(m.group(0), table, di), text)


_FOLD = {"ł": "l", "Ł": "L", "ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "đ": "d",
         "Đ": "D", "ı": "i", "œ": "oe", "þ": "th", "ð": "d"}


def ascii_fold(text: str) -> str:
    text = "".join(_FOLD.get(c, c) for c in text)
    nfd = unicodedata.normalize("NFKD", text)
    return "".join(c for c in nfd if not unicodedata.combining(c) and ord(c) < 128)


# ---------------------------------------------------------------------------------------------
# Rendering machinery
# ---------------------------------------------------------------------------------------------

@dataclass
class Seg:
    text: str
    label: str | None = None      # gold label or None
    value: str | None = None      # normalised value (PHONE, EMAIL, IBAN, URL)
    kind: str | None = None       # distractor kind
    meta: dict = field(default_factory=dict)


@dataclass
class Person:
    first: str
    last: str
    full: str
    short: str                    # the mention used for a repeat (surname; given name in vi_VN)
    gender: str                   # "F" | "M"


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
NUM_WORDS = ("two", "three", "four", "five", "six", "eight", "ten", "eighteen")


def _ordinal(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th') }"


def _group(n: int, sep: str) -> str:
    return f"{n:,}".replace(",", sep)


def _lakh(n: int) -> str:
    s = str(n)
    if len(s) <= 3:
        return s
    head, tail = s[:-3], s[-3:]
    parts = []
    while len(head) > 2:
        parts.insert(0, head[-2:])
        head = head[:-2]
    if head:
        parts.insert(0, head)
    return ",".join(parts) + "," + tail


class Ctx:
    """Everything one text needs: rng, Faker instance, cached entity values, output segments."""

    def __init__(self, loc: Loc, fake: Faker, rng: random.Random):
        self.loc = loc
        self.fake = fake
        self.rng = rng
        self.cache: dict[str, list[Seg]] = {}
        self.persons: dict[str, Person] = {}
        self.introduced: set[str] = set()
        self.caps: str | None = None       # None | "all" | "surname"
        self.cyrillic = loc.code in ("bg_BG", "el_GR") and rng.random() < 0.2
        self.city_pairs: list[tuple] = []
        self.primary_city: tuple | None = None
        self.used_phones: set[str] = set()
        self.forced_gender: dict[str, str] = {}
        self.last_year: int | None = None
        self.last_date: tuple | None = None
        self.date_format: str | None = None

    # -- helpers ------------------------------------------------------------------------------
    def f(self, method: str, *args):
        return getattr(self.fake, method)(*args)

    def tr(self, text: str) -> str:
        if self.cyrillic:
            return text
        return translit(text, self.loc.code)

    def region(self) -> str:
        return self.loc.code.split("_")[1]


# ---- people ---------------------------------------------------------------------------------

def _faker_or(fake: Faker, names: tuple[str, ...]) -> str:
    for n in names:
        fn = getattr(fake, n, None)
        if fn is not None:
            try:
                return fn()
            except (AttributeError, TypeError):
                continue
    return fake.last_name()


def make_person(ctx: Ctx, gender: str, avoid: set[str]) -> Person:
    fk, code, rng = ctx.fake, ctx.loc.code, ctx.rng
    for _ in range(20):
        if gender == "F":
            first = fk.first_name_female()
            last = _faker_or(fk, ("last_name_female", "last_name"))
        else:
            first = fk.first_name_male()
            last = _faker_or(fk, ("last_name_male", "last_name"))
        first, last = ctx.tr(first), ctx.tr(last)
        if last not in avoid and first not in avoid and " " not in first:
            break
    short = last
    if code in ("es_ES", "es_MX") and rng.random() < 0.5:
        last2 = ctx.tr(fk.last_name())
        if last2 != last:
            short = last
            last = f"{last} {last2}"
    elif code in ("pt_BR", "pt_PT") and rng.random() < 0.4:
        mid = fk.last_name()
        if mid != last:
            last = f"{mid} {last}"
            short = last.split(" ")[-1]
    if code == "vi_VN":
        middle = ("Thị" if gender == "F" else "Văn") if rng.random() < 0.6 else fk.middle_name()
        if middle in (last, first) or " " in middle:
            middle = "Thị" if gender == "F" else "Văn"
        full = f"{last} {middle} {first}"
        short = first if rng.random() < 0.7 else last
    elif code == "hu_HU" and rng.random() < 0.5:
        full = f"{last} {first}"
    elif code == "en_US" and rng.random() < 0.15:
        full = f"{first} {rng.choice('ABCDEJKLMRST')}. {last}"
    else:
        full = f"{first} {last}"
    return Person(first=first, last=last, full=full, short=short, gender=gender)


def get_person(ctx: Ctx, slot: str) -> Person:
    if slot not in ctx.persons:
        avoid = {w for p in ctx.persons.values() for w in (p.first, p.last, p.short)}
        gender = "F" if ctx.rng.random() < (0.62 if slot == "1" else 0.4) else "M"
        if slot in ctx.forced_gender:
            gender = ctx.forced_gender[slot]
        ctx.persons[slot] = make_person(ctx, gender, avoid)
    return ctx.persons[slot]


def _caps_name(ctx: Ctx, text: str, p: Person, form: str) -> str:
    if ctx.caps == "all":
        return text.upper()
    if ctx.caps == "surname":
        if form in ("s", "ts"):
            return text.upper()
        if form in ("", "t") and p.short in text:
            return text.replace(p.short, p.short.upper())
    return text


def render_person(ctx: Ctx, slot: str, form: str) -> list[Seg]:
    """form: '' full, 's' short/surname, 'f' given name, 't' title + full, 'ts' title + surname."""
    p = get_person(ctx, slot)
    if form in ("s", "f", "ts") and slot not in ctx.introduced:
        form = "t" if form == "ts" else ""
    ctx.introduced.add(slot)
    if form in ("", "t"):
        name = p.full
    elif form == "f":
        name = p.short if ctx.loc.code == "vi_VN" else p.first
    else:
        name = p.short
    name = _caps_name(ctx, name, p, form)
    segs = []
    if form in ("t", "ts"):
        titles = ("Ms.", "Mrs.", "Miss", "Ms") if p.gender == "F" else ("Mr.", "Mr")
        if ctx.rng.random() < 0.03:
            titles = ("Dr.",)
        segs.append(Seg(ctx.rng.choice(titles) + " "))
    segs.append(Seg(name, "PERSON", meta={"person": slot, "form": form}))
    return segs


PRONOUNS = {
    "he": ("she", "he"), "him": ("her", "him"), "his": ("her", "his"), "hers": ("hers", "his"),
    "sex": ("female", "male"), "woman": ("woman", "man"), "sib": ("sister", "brother"),
    "child": ("daughter", "son"), "girl": ("girl", "boy"),
}


# ---- places ---------------------------------------------------------------------------------

def _city_pair(ctx: Ctx) -> tuple[str, str | None]:
    if ctx.loc.cities:
        for _ in range(10):
            pair = ctx.rng.choice(ctx.loc.cities)
            if pair not in ctx.city_pairs:
                break
    else:
        for _ in range(10):
            pair = (ctx.tr(ctx.fake.city()), None)
            if pair not in ctx.city_pairs:
                break
    ctx.city_pairs.append(pair)
    return pair


def _street(ctx: Ctx) -> str:
    code, fk, rng = ctx.loc.code, ctx.fake, ctx.rng
    if code == "bg_BG":
        s = f"{'ул.' if ctx.cyrillic else 'ul.'} {ctx.tr(fk.first_name_male())} {ctx.tr(fk.last_name_male())} {rng.randint(1, 140)}"
    elif code == "tr_TR":
        kind = rng.choice(("Sok.", "Cad.", "Sokak", "Caddesi"))
        s = f"{fk.last_name()} {kind} No: {rng.randint(1, 120)}"
        if rng.random() < 0.4:
            s += f"/{rng.randint(1, 20)}"
    else:
        s = ctx.tr(fk.street_address())
    s = re.sub(r"\s*\n\s*", ", ", s)
    s = re.sub(r"\s+,", ",", s)
    return re.sub(r"\s{2,}", " ", s).strip(" ,")


def _postcode(ctx: Ctx) -> str:
    pc = ctx.tr(ctx.fake.postcode())
    return pc


def full_address(ctx: Ctx, city: str, state: str | None) -> str:
    code = ctx.loc.code
    street = _street(ctx)
    pc = _postcode(ctx)
    if code in ("en_US",):
        return f"{street}, {city}, {state} {pc}" if state else f"{street}, {city} {pc}"
    if code == "en_CA":
        return f"{street}, {city}, {state} {pc}" if state else f"{street}, {city} {pc}"
    if code == "en_AU":
        return f"{street}, {city} {state} {pc}" if state else f"{street}, {city} {pc}"
    if code in ("en_GB", "en_IE"):
        return f"{street}, {city} {pc}" if ctx.rng.random() < 0.7 else f"{street}, {city}"
    if code in ("en_IN",):
        return f"{street}, {city} {pc}"
    if code in ("en_PH", "vi_VN"):
        return f"{street}, {city}"
    if code == "pt_BR":
        return f"{street}, {city} - {state}, {pc}" if state else f"{street}, {pc} {city}"
    if code == "es_MX":
        return f"{street}, C.P. {pc}, {city}" + (f", {state}" if state else "")
    return f"{street}, {pc} {city}"


def render_place(ctx: Ctx, name: str, arg: str) -> list[Seg]:
    rng = ctx.rng
    if name in ("CITY", "CITYU", "CITYST", "FADDR") and arg != "other":
        if ctx.primary_city is None:
            ctx.primary_city = _city_pair(ctx)
        city, state = ctx.primary_city
    elif name.startswith("CITY"):
        city, state = _city_pair(ctx)
    if name == "CITY":
        return [Seg(city, "LOCATION")]
    if name == "CITYU":
        return [Seg(city.upper(), "LOCATION")]
    if name == "CITYST":
        if state and rng.random() < 0.85:
            return [Seg(city, "LOCATION"), Seg(", "), Seg(state, "LOCATION")]
        return [Seg(city, "LOCATION")]
    if name == "ADDR":
        return [Seg(_street(ctx), "LOCATION")]
    if name == "FADDR":
        return [Seg(full_address(ctx, city, state), "LOCATION")]
    if name == "COUNTRY":
        return _country(ctx.loc.country)
    if name == "OCOUNTRY":
        return _country(rng.choice(ORIGIN_COUNTRIES))
    raise KeyError(name)


def _country(name: str) -> list[Seg]:
    if name.startswith("the "):
        return [Seg("the "), Seg(name[4:], "LOCATION")]
    return [Seg(name, "LOCATION")]


# ---- organisations --------------------------------------------------------------------------

SUFFIX = {
    "en_US": ("LLC", "Inc.", "Corp."), "en_GB": ("Ltd", "Ltd.", "Limited"), "en_CA": ("Inc.", "Ltd."),
    "en_AU": ("Pty Ltd",), "en_IE": ("Ltd", "Limited"), "en_IN": ("Pvt. Ltd.",), "en_PH": ("Inc.", "Corp."),
    "fr_FR": ("SARL", "SAS"), "fr_CH": ("Sàrl", "SA"), "de_DE": ("GmbH", "UG"), "de_CH": ("GmbH", "AG"),
    "de_AT": ("GmbH", "KG"), "it_IT": ("S.r.l.", "s.r.l."), "es_ES": ("S.L.", "S.A."),
    "es_MX": ("S.A. de C.V.",), "pt_BR": ("Ltda.",), "pt_PT": ("Lda.", "Unipessoal Lda."),
    "nl_NL": ("B.V.", "BV"), "nl_BE": ("BV", "BVBA"), "pl_PL": ("Sp. z o.o.",), "ro_RO": ("SRL", "S.R.L."),
    "bg_BG": ("EOOD", "OOD"), "cs_CZ": ("s.r.o.",), "hu_HU": ("Kft.", "Bt."), "el_GR": ("E.P.E.", "I.K.E."),
    "tr_TR": ("Ltd. Şti.",), "sv_SE": ("AB", "HB"), "da_DK": ("ApS",), "fi_FI": ("Oy",),
    "vi_VN": ("Co., Ltd.",), "sk_SK": ("s.r.o.",), "hr_HR": ("d.o.o.",),
}

BRAND_WORDS = ("Golden Lotus", "Sunrise", "Jade", "Orchid", "Pearl", "Lucky Star", "Bamboo",
               "Silk Road", "Blue Moon", "Happy Feet", "Tranquil", "Royal", "Diamond", "Velvet",
               "Sakura", "Lotus Garden", "Red Lantern", "Paradise", "Oasis", "Crystal", "Emerald",
               "Harmony", "Starlight", "Magnolia", "Silver Birch", "Evergreen", "Four Seasons",
               "New Horizon", "Bright Future", "Platinum", "Angel", "Rainbow", "Sapphire", "Golden Gate")

BIZ_PATTERNS = {
    "spa": ("{W} Nail Spa", "{W} Massage", "{W} Massage {S}", "{W} Beauty Studio", "{W} Wellness Center",
            "{W} Foot Spa", "{W} Day Spa", "{L} Nails", "{W} Nails & Beauty", "{W} Health Spa {S}",
            "{W} Thai Massage", "{W} Sauna Club"),
    "carwash": ("{L} Hand Car Wash", "{W} Car Valet", "{L} Car Wash", "{W} Hand Wash {S}", "{L} Auto Spa",
                "{L} Car Care {S}"),
    "restaurant": ("{W} Garden Restaurant", "{L}'s Kitchen", "Taverna {L}", "{W} Takeaway", "{W} Buffet",
                   "Pizzeria {L}", "{L} Grill House", "{W} Noodle Bar", "{L} Catering {S}"),
    "hotel": ("{W} Motel", "Motel {N}", "{W} Inn", "{W} Inn & Suites", "Budget Stay {N}", "{W} Lodge",
              "Hotel {L}", "{W} Guest House", "Roadstar Inn {N}", "Stay{N} Express"),
    "farm": ("{L} Farms", "{W} Produce {S}", "{L} & Sons Packing", "{L} Agri {S}", "{W} Growers",
             "{L} Fruit Farm", "{L} Poultry {S}", "{W} Fresh Packers"),
    "construction": ("{L} Building Services {S}", "{L} Bau {S}", "{L} Roofing", "{W} Construction {S}",
                     "{L} Groundworks {S}", "{L} Brothers Builders"),
    "cleaning": ("{W} Cleaning Services", "{L} Facility Services {S}", "{W} Housekeeping {S}",
                 "{L} Cleaning Co.", "Spotless {L} {S}"),
    "recruit": ("{W} Recruitment", "{L} Staffing Agency", "EuroWork {L} {S}", "{W} Job Solutions",
                "{W} Au Pair Agency", "{W} Model Management", "{L} Personnel {S}", "{W} Travel & Work",
                "{W} Employment Bureau", "Global {L} Recruitment"),
    "bar": ("Club {W}", "{W} Lounge", "Bar {W}", "{W} Karaoke", "{W} Nightclub", "{W} Gentlemen's Club",
            "{W} Cocktail Bar"),
    "factory": ("{L} Textiles {S}", "{W} Garments {S}", "{L} Meat Processing {S}", "{L} Logistics {S}",
                "{W} Packaging {S}", "{L} Fisheries {S}", "{W} Bakery {S}"),
}

GOV = {
    "en_US": ("Department of Labor", "Homeland Security Investigations", "FBI", "Department of Homeland Security",
              "U.S. Attorney's Office", "Federal Bureau of Investigation", "Department of Justice"),
    "en_GB": ("National Crime Agency", "Home Office", "Gangmasters and Labour Abuse Authority",
              "Border Force", "Metropolitan Police", "Crown Prosecution Service", "Greater Manchester Police"),
    "en_CA": ("Royal Canadian Mounted Police", "RCMP", "Canada Border Services Agency", "Toronto Police Service"),
    "en_AU": ("Australian Federal Police", "Fair Work Ombudsman", "Australian Border Force", "NSW Police Force"),
    "en_IE": ("Garda National Protective Services Bureau", "Garda Síochána", "Workplace Relations Commission"),
    "en_IN": ("Anti-Human Trafficking Unit", "Central Bureau of Investigation", "National Investigation Agency"),
    "en_PH": ("Inter-Agency Council Against Trafficking", "National Bureau of Investigation",
              "Bureau of Immigration", "Philippine National Police"),
    "fr_FR": ("OCRTEH", "Police nationale", "Gendarmerie nationale", "Office central pour la répression de la traite"),
    "fr_CH": ("Police cantonale", "fedpol", "Office fédéral de la police"),
    "de_DE": ("Bundeskriminalamt", "Landeskriminalamt", "Zoll", "Finanzkontrolle Schwarzarbeit", "Bundespolizei"),
    "de_CH": ("fedpol", "Kantonspolizei", "Staatssekretariat für Migration"),
    "de_AT": ("Bundeskriminalamt", "Finanzpolizei", "Landespolizeidirektion"),
    "it_IT": ("Carabinieri", "Polizia di Stato", "Guardia di Finanza", "Ispettorato Nazionale del Lavoro"),
    "es_ES": ("Policía Nacional", "Guardia Civil", "Inspección de Trabajo"),
    "es_MX": ("Fiscalía General de la República", "Guardia Nacional", "Instituto Nacional de Migración"),
    "pt_BR": ("Polícia Federal", "Ministério Público do Trabalho", "Polícia Rodoviária Federal"),
    "pt_PT": ("Polícia Judiciária", "Autoridade para as Condições do Trabalho", "SEF"),
    "nl_NL": ("Politie", "Nederlandse Arbeidsinspectie", "Koninklijke Marechaussee"),
    "nl_BE": ("Federale Politie", "Myria", "Sociale Inspectie"),
    "pl_PL": ("Policja", "Straż Graniczna", "Państwowa Inspekcja Pracy", "Centralne Biuro Śledcze Policji"),
    "ro_RO": ("DIICOT", "Poliția Română", "Agenția Națională împotriva Traficului de Persoane", "ANITP"),
    "bg_BG": ("State Agency for National Security", "National Commission for Combating Trafficking",
              "Ministry of Interior"),
    "cs_CZ": ("Policie ČR", "Národní centrála proti organizovanému zločinu", "Státní úřad inspekce práce"),
    "hu_HU": ("Rendőrség", "Nemzeti Nyomozó Iroda", "Országos Rendőr-főkapitányság"),
    "el_GR": ("Hellenic Police", "Labour Inspectorate", "Anti-Trafficking Unit of the Hellenic Police"),
    "tr_TR": ("Emniyet Genel Müdürlüğü", "Jandarma", "Göç İdaresi"),
    "sv_SE": ("Polismyndigheten", "Arbetsmiljöverket", "Migrationsverket"),
    "da_DK": ("Rigspolitiet", "Arbejdstilsynet", "Center mod Menneskehandel"),
    "fi_FI": ("Keskusrikospoliisi", "Poliisi", "Rajavartiolaitos"),
    "vi_VN": ("Ministry of Public Security", "Border Guard Command", "Department of Labour, Invalids and Social Affairs"),
    "sk_SK": ("Policajný zbor", "Národná kriminálna agentúra", "Inšpektorát práce"),
    "hr_HR": ("Ministarstvo unutarnjih poslova", "Državni inspektorat", "PNUSKOK"),
}
GOV_ANY = ("Europol", "Interpol", "International Organization for Migration", "IOM", "Frontex", "Eurojust")

NGO_A = ("Safe Harbour", "Open Doors", "Hope Bridge", "Clear Path", "New Dawn", "Lighthouse", "Freedom Road",
         "Haven", "Stepping Stones", "Morning Star", "Kind Hands", "Northern Light", "Anchor", "Compass")
NGO_B = ("Trust", "Foundation", "Refuge", "Network", "Project", "Alliance", "Centre", "Outreach",
         "Support Service", "Women's Shelter")

SITE_A = ("escort", "date", "night", "vip", "adult", "angel", "city", "local", "hot", "sugar", "velvet", "kiss",
          "tender", "massage", "girls", "lady", "secret", "candy", "flirt", "bella")
SITE_B = ("ads", "guide", "hub", "list", "zone", "meet", "board", "spot", "finder", "club", "dates", "post")
SITE_C = ("", "", "", "-xyz", "24", "-uk", "-eu", "now", "plus", "-city", "4u", "-vip")
SITE_TLD = (".com", ".com", ".net", ".eu", ".co", ".biz", ".xyz", ".info", ".club")
REAL_PLATFORMS = ("Facebook", "Instagram", "Craigslist", "Backpage.com", "Vivastreet", "Locanto", "Gumtree",
                  "Facebook Marketplace", "TikTok", "OnlyFans", "Skipthegames")

BANK_A = ("Northbridge", "Atlas", "Meridian", "Continental", "Harbour", "Union", "Unity", "Alpine", "Coastal",
          "Summit", "Capital", "Crown", "Metro", "Pioneer")
BANK_B = ("Bank", "Savings Bank", "Credit Union", "Banking Group", "Money Transfer", "Remit")


def _org_suffix(ctx: Ctx) -> str:
    return ctx.rng.choice(SUFFIX.get(ctx.loc.code, ("Ltd",)))


def make_biz(ctx: Ctx, kind: str) -> str:
    rng = ctx.rng
    pat = rng.choice(BIZ_PATTERNS[kind])
    if "{S}" in pat and rng.random() < 0.45:
        pat = pat.replace(" {S}", "")
    last = translit(ctx.fake.last_name(), ctx.loc.code)     # English trade words: keep the name in Latin
    name = pat.replace("{W}", rng.choice(BRAND_WORDS)).replace("{L}", last)
    name = name.replace("{N}", str(rng.choice((6, 8, 24, 88, 9, 7, 1, 21, 365))))
    name = name.replace("{S}", _org_suffix(ctx))
    if kind in ("spa", "bar", "restaurant", "cleaning") and "{S}" not in pat and rng.random() < 0.15:
        name += " " + _org_suffix(ctx)
    return name


def make_site(ctx: Ctx) -> str:
    rng = ctx.rng
    if rng.random() < 0.2:
        return rng.choice(REAL_PLATFORMS)
    name = rng.choice(SITE_A) + rng.choice(SITE_B) + rng.choice(SITE_C) + rng.choice(SITE_TLD)
    if rng.random() < 0.35:
        parts = re.split(r"(?<=[a-z])(?=(?:ads|guide|hub|list|zone|meet|board|spot|finder|club|dates|post))", name, 1)
        name = "".join(p[:1].upper() + p[1:] for p in parts)
    return name


def render_org(ctx: Ctx, name: str, arg: str) -> list[Seg]:
    rng = ctx.rng
    if name == "ORG":
        text = re.sub(r"\s+", " ", ctx.tr(ctx.fake.company())).strip()
        if re.fullmatch(r"[\w'-]+", text):          # a bare surname reads as a person: add the legal form
            text = f"{text} {_org_suffix(ctx)}"
    elif name == "BIZ":
        text = make_biz(ctx, arg or rng.choice(tuple(BIZ_PATTERNS)))
    elif name == "GOV":
        pool = GOV.get(ctx.loc.code, ()) if rng.random() < 0.8 else GOV_ANY
        text = rng.choice(pool or GOV_ANY)
    elif name == "NGO":
        text = f"{rng.choice(NGO_A)} {rng.choice(NGO_B)}"
    elif name == "SITE":
        text = make_site(ctx)
    elif name == "BANK":
        text = f"{rng.choice(BANK_A)} {rng.choice(BANK_B)}"
    else:
        raise KeyError(name)
    return [Seg(text, "ORGANIZATION")]


# ---- identifiers ----------------------------------------------------------------------------

def phone_value(raw: str, region: str) -> str:
    clean = strip_invisible(raw)
    try:
        num = phonenumbers.parse(clean, region)
        if phonenumbers.is_valid_number(num):
            return phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)
    except phonenumbers.NumberParseException:
        pass
    return re.sub(r"\D", "", _EXTENSION_RE.sub("", clean))


_EXTENSION_RE = re.compile(r"\s*(?:x|ext\.?|extension|#)\s*\d+\s*$", re.IGNORECASE)


def _is_intl(num: str) -> bool:
    s = num.lstrip("( ")
    return s.startswith(("+", "00"))


def _faker_phone(ctx: Ctx) -> str:
    if ctx.loc.code == "en_PH":
        return ctx.fake.mobile_number() if ctx.rng.random() < 0.65 else ctx.fake.landline_number()
    return ctx.fake.phone_number()


def make_phone(ctx: Ctx, want_intl: bool | None) -> str:
    if ctx.rng.random() < 0.04 and ctx.loc.code != "en_PH":
        raw = ctx.fake.msisdn()
        ctx.used_phones.add(raw)
        return raw
    if want_intl is None:
        want_intl = ctx.rng.random() < 0.22
    best = None
    for _ in range(12):
        num = _faker_phone(ctx).strip()
        if num in ctx.used_phones:
            continue
        if best is None:
            best = num
        if _is_intl(num) == want_intl:
            best = num
            break
    ctx.used_phones.add(best)
    return best


def render_phone(ctx: Ctx, name: str, arg: str) -> list[Seg]:
    want = True if name == "PHI" else None
    raw = make_phone(ctx, want)
    return [Seg(raw, "PHONE", phone_value(raw, ctx.region()))]


def make_email(ctx: Ctx, slot: str) -> str:
    rng, fk = ctx.rng, ctx.fake
    r = rng.random()
    if slot in ctx.persons and r < 0.75:
        p = ctx.persons[slot]
        first = re.sub(r"[^A-Za-z]", "", ascii_fold(p.first)) or "info"
        last = re.sub(r"[^A-Za-z]", "", ascii_fold(p.short)) or "mail"
        style = rng.randrange(6)
        local = (f"{first}.{last}", f"{first}{last}", f"{first[0]}{last}", f"{first}_{last}",
                 f"{first}{rng.randint(1, 99)}", f"{last}.{first}")[style]
        if rng.random() < 0.3:
            local += str(rng.choice((rng.randint(70, 99), rng.randint(1, 9), rng.randint(2000, 2009))))
        domain = fk.free_email_domain()
        email = f"{local}@{domain}"
        if rng.random() < 0.25:
            email = f"{local.title()}@{domain.capitalize()}" if rng.random() < 0.5 else email.replace(local, local.title())
        else:
            email = email.lower()
        return email
    if r < 0.85:
        return fk.free_email()
    if r < 0.93:
        user = rng.choice(("jobs", "info", "booking", "office", "hr", "recruit", "contact", "work"))
        host = re.sub(r"[^a-z]", "", ascii_fold(fk.last_name()).lower()) or "mail"
        return f"{user}@{host}-{rng.choice(('jobs', 'staff', 'group', 'agency', 'travel'))}.{rng.choice(('com', 'net', 'eu', 'co.uk', 'info'))}"
    return fk.email()


def render_email(ctx: Ctx, name: str, arg: str) -> list[Seg]:
    slot = name[-1] if name[-1].isdigit() else "1"
    e = make_email(ctx, slot)
    return [Seg(e, "EMAIL", e.lower())]


def render_iban(ctx: Ctx, name: str, arg: str) -> list[Seg]:
    for _ in range(8):
        raw = ctx.fake.iban()
        if stdnum_iban.is_valid(raw):
            break
    else:
        raise NoIban()
    compact = raw.replace(" ", "").upper()
    if ctx.rng.random() < 0.5:
        text = compact
    else:
        text = " ".join(compact[i:i + 4] for i in range(0, len(compact), 4))
    return [Seg(text, "IBAN", compact)]


class NoIban(Exception):
    pass


def url_value(url: str) -> str:
    v = re.sub(r"^[a-z]+://", "", url, flags=re.IGNORECASE)
    host, _, path = v.partition("/")
    host = host.lower()
    host = host.removeprefix("www.")
    v = host + ("/" + path if path else "")
    return v.rstrip("/")


def render_url(ctx: Ctx, name: str, arg: str) -> list[Seg]:
    rng = ctx.rng
    u = ctx.fake.uri() if rng.random() < 0.4 else ctx.fake.url()
    if rng.random() < 0.12:                      # written without scheme
        u = re.sub(r"^https?://", "", u)
        if not u.startswith("www."):
            u = "www." + u
    if rng.random() < 0.5:
        u = u.rstrip("/") if rng.random() < 0.5 else u
    return [Seg(u, "URL", url_value(u))]


# ---- money and dates --------------------------------------------------------------------------

def _amount(rng: random.Random, size: str) -> int:
    if size == "S":
        return rng.choice((40, 50, 60, 80, 100, 120, 150, 200, 250, 300, 350, 400, 450, 500, 600, 700, 800, 900))
    if size == "L":
        return rng.choice((rng.randrange(10, 300) * 1000, rng.randrange(100, 900) * 250, rng.randrange(12, 99) * 1000 + 500))
    return rng.choice((rng.randrange(10, 100) * 100, rng.randrange(1, 10) * 1000, rng.randrange(100, 999) * 10))


def fmt_money(ctx: Ctx, size: str) -> str:
    rng = ctx.rng
    n = _amount(rng, size)
    style = ctx.loc.money
    if rng.random() < 0.12:               # foreign currency, common in these cases
        style = rng.choice(("usd", "eur_ie", "gbp"))
    c, d, s = _group(n, ","), _group(n, "."), _group(n, " ")
    opts = {
        "usd": (f"${c}", f"${c}.00", f"{c} dollars", f"USD {c}", f"US${c}", f"${n // 1000}k" if n >= 1000 and n % 1000 == 0 else f"${c}"),
        "gbp": (f"£{c}", f"£{c}.00", f"{c} pounds", f"GBP {c}", f"£{n // 1000}k" if n >= 1000 and n % 1000 == 0 else f"£{c}"),
        "cad": (f"${c}", f"C${c}", f"CAD {c}", f"{c} dollars"),
        "aud": (f"${c}", f"A${c}", f"AUD {c}", f"{c} dollars"),
        "eur_ie": (f"€{c}", f"€{c}", f"{c} euro", f"EUR {c}", f"{c} euros"),
        "eur_fr": (f"{s} €", f"{s} euros", f"€{c}", f"EUR {c}", f"{s} EUR"),
        "eur_de": (f"{d} €", f"{d} Euro", f"EUR {d}", f"€{c}", f"{d},00 €"),
        "eur_it": (f"{d} €", f"€{c}", f"{d} euros", f"€ {d}", f"EUR {d}"),
        "eur_nl": (f"€ {d}", f"€{c}", f"EUR {d}", f"{d} euro", f"€ {d},-"),
        "eur_gr": (f"{d} €", f"€{c}", f"{c} euros", f"EUR {d}"),
        "chf": (f"CHF {n:,}".replace(",", "'"), f"CHF {c}", f"{c} Swiss francs", f"Fr. {n:,}.-".replace(",", "'")),
        "pln": (f"{s} zł", f"PLN {c}", f"{c} zloty", f"{s} PLN"),
        "ron": (f"{d} lei", f"RON {c}", f"{c} lei", f"{s} RON"),
        "bgn": (f"{c} leva", f"BGN {c}", f"{s} лв." if ctx.cyrillic else f"{s} lv.", f"{c} lev"),
        "czk": (f"{s} Kč", f"CZK {c}", f"{c} crowns", f"{s},- Kč"),
        "huf": (f"{s} Ft", f"HUF {c}", f"{c} forints", f"{d} Ft"),
        "try": (f"{d} TL", f"₺{d}", f"TRY {c}", f"{c} lira"),
        "sek": (f"{s} kr", f"SEK {c}", f"{c} kronor", f"{s} SEK"),
        "dkk": (f"{d} kr.", f"DKK {c}", f"{c} kroner", f"kr. {d}"),
        "inr": (f"₹{_lakh(n)}", f"Rs {_lakh(n)}", f"Rs. {c}", f"INR {c}", f"{c} rupees"),
        "php": (f"₱{c}", f"PHP {c}", f"{c} pesos", f"P{c}"),
        "mxn": (f"${c} MXN", f"MXN {c}", f"{c} pesos", f"${c} pesos"),
        "brl": (f"R$ {d}", f"R${d},00", f"BRL {c}", f"{c} reais"),
        "vnd": (f"{_group(n * 1000 if n < 100000 else n, '.')} VND", f"{_group(n * 1000 if n < 100000 else n, ',')} dong", f"USD {c}"),
    }
    return rng.choice(opts[style])


def render_money(ctx: Ctx, name: str, arg: str) -> list[Seg]:
    size = {"MONEYS": "S", "MONEYL": "L"}.get(name, "M")
    return [Seg(fmt_money(ctx, size), "MONEY", kind="money")]


def _ymd(rng: random.Random) -> tuple[int, int, int]:
    return rng.randint(2015, 2024), rng.randint(1, 12), rng.randint(1, 28)


def word_date(rng: random.Random) -> str:
    y, m, d = _ymd(rng)
    mon = MONTHS[m - 1]
    short = mon[:3] + ("." if rng.random() < 0.4 and mon != "May" else "")
    opts = (f"{d} {mon} {y}", f"{mon} {d}, {y}", f"{_ordinal(d)} {mon} {y}", f"{d} {mon}", f"{mon} {d}",
            f"{_ordinal(d)} of {mon}", f"{mon} {y}", f"{d} {short} {y}", f"{short} {d}, {y}", f"{mon} {_ordinal(d)}")
    return rng.choice(opts)


def numeric_date(rng: random.Random, floor: tuple | None = None) -> tuple[int, int, int]:
    y, m, d = _ymd(rng)
    if floor and (y, m, d) <= floor:
        y, m, d = min(floor[0] + rng.randint(0, 1), 2024), rng.randint(1, 12), rng.randint(1, 28)
        if (y, m, d) <= floor:
            y, m, d = floor[0], floor[1], min(floor[2] + rng.randint(1, 9), 28)
            if (y, m, d) <= floor:
                y, m, d = floor[0] + 1, 1, rng.randint(1, 28)
    return y, m, d


_NUMERIC_FORMATS = (
    "{d:02d}/{m:02d}/{y}", "{y}-{m:02d}-{d:02d}", "{d:02d}.{m:02d}.{yy:02d}", "{d}.{m}.{y}", "{d:02d}-{m:02d}-{y}",
    "{d}/{m}/{yy:02d}", "{d:02d}.{m:02d}.{y}",
)
_US_FORMATS = ("{m}/{d}/{y}", "{m:02d}/{d:02d}/{y}", "{m}/{d}/{yy:02d}")


def _fmt_numeric(ctx: Ctx, y: int, m: int, d: int) -> str:
    """One numeric date format per text (chosen at first use), in the locale's habits."""
    if ctx.date_format is None:
        pool = _US_FORMATS if ctx.loc.code == "en_US" and ctx.rng.random() < 0.6 else _NUMERIC_FORMATS
        ctx.date_format = ctx.rng.choice(pool)
    return ctx.date_format.format(d=d, m=m, y=y, yy=y % 100)


def render_date(ctx: Ctx, name: str, arg: str) -> list[Seg]:
    rng = ctx.rng
    if name == "DATE":
        return [Seg(word_date(rng), "DATE")]
    if name == "NDATE":
        y, m, d = numeric_date(rng, ctx.last_date)
        ctx.last_date = (y, m, d)
        return [Seg(_fmt_numeric(ctx, y, m, d), "DATE", kind="numeric_date")]
    if name == "DOB":
        y, m, d = rng.randint(1968, 2007), rng.randint(1, 12), rng.randint(1, 28)
        return [Seg(_fmt_numeric(ctx, y, m, d), "DATE", kind="numeric_date")]
    if name == "YEAR":
        lo = ctx.last_year or 2008
        year = rng.randint(lo, min(lo + 4, 2024)) if ctx.last_year else rng.randint(2008, 2021)
        ctx.last_year = year
        return [Seg(str(year), "DATE", kind="year")]
    if name == "PERIOD":
        units = ("months", "years", "months") if arg == "long" else ("months", "weeks", "years", "months", "days")
        unit = rng.choice(units)
        n = rng.choice(NUM_WORDS) if rng.random() < 0.7 else str(rng.randint(2, 18))
        return [Seg(f"{n} {unit}", "DATE")]
    raise KeyError(name)


# ---- distractors (no gold span) -------------------------------------------------------------

def _digits(rng: random.Random, n: int) -> str:
    return "".join(str(rng.randint(0, 9)) for _ in range(n))


def _nz(rng: random.Random, n: int) -> str:
    return str(rng.randint(1, 9)) + _digits(rng, n - 1)


def distractor(ctx: Ctx, kind: str) -> str:
    rng, fk, code = ctx.rng, ctx.fake, ctx.loc.code
    if kind == "time":
        h, mi = rng.randint(0, 23), rng.choice((0, 5, 10, 15, 20, 30, 40, 45, 50, 55, 12, 37))
        h12 = h % 12 or 12
        ap = "am" if h < 12 else "pm"
        return rng.choice((f"{h:02d}:{mi:02d}", f"{h12}.{mi:02d}{ap}", f"{h:02d}h{mi:02d}", f"{h12}:{mi:02d} {ap[0]}.m.",
                           f"{h:02d}{mi:02d} hrs", f"{h12}{ap}", f"{h}:{mi:02d}", f"{h12}:{mi:02d}{ap.upper()}"))
    if kind == "case":
        yy = rng.randint(15, 24)
        return rng.choice((
            f"{rng.randint(1, 9)}:{yy}-cr-{_digits(rng, 5)}", f"{rng.randint(1, 6)}:{yy}-mj-{_digits(rng, 5)}",
            f"{rng.randint(10, 99)}/{_nz(rng, 6)}/{yy}", f"20{yy}/{_digits(rng, 4)}", f"CR-20{yy}-{_digits(rng, 6)}",
            f"{_nz(rng, 3)} Js {_nz(rng, 5)}/{yy}", f"II K {_nz(rng, 3)}/{yy}", f"{_nz(rng, 5)}/20{yy}",
            f"{yy}-{_digits(rng, 3)}-{_digits(rng, 4)}", f"T20{yy}{_digits(rng, 4)}", f"{_nz(rng, 2)}-{_digits(rng, 7)}-{yy}"))
    if kind == "ref":                     # digit groups that look like phone numbers
        pats = ("### ### ####", "####-###-###", "## #### ####", "#### ####", "###-###-###", "####### ##",
                "0### #### ####", "(###) ###-####", "### ## ## ##", "#### ### ###", "##-####-####",
                "###.###.####", "0#-##-##-##-##", "### #### ###")
        pat = rng.choice(pats)
        return "".join(str(rng.randint(0, 9)) if ch == "#" else ch for ch in pat)
    if kind == "ssn":
        return f"{rng.randint(100, 665)}-{rng.randint(10, 99)}-{_digits(rng, 4)}"
    if kind == "passport":
        L = "ABCDEFGHJKLMNPRSTUVWXYZ"
        return rng.choice((_nz(rng, 9), rng.choice(L) + _digits(rng, 8), rng.choice(L) + rng.choice(L) + _digits(rng, 7),
                           f"C{rng.choice(L)}{_digits(rng, 2)}{rng.choice(L)}{_digits(rng, 4)}", _nz(rng, 8),
                           f"P{_digits(rng, 7)}{rng.choice(L)}"))
    if kind == "natid":
        try:
            return re.sub(r"\s+", " ", fk.ssn()).strip()
        except (AttributeError, TypeError, ValueError):
            return _nz(rng, 11)
    if kind == "aadhaar":
        return f"{_nz(rng, 4)} {_digits(rng, 4)} {_digits(rng, 4)}"
    if kind == "postcode":
        return ctx.tr(fk.postcode())
    if kind == "plate":
        try:
            return ctx.tr(fk.license_plate())
        except AttributeError:
            return f"{_nz(rng, 3)} {_digits(rng, 4)}"
    if kind == "order":
        return rng.choice((f"#{_nz(rng, 9)}", f"ORD-20{rng.randint(18, 24)}-{_digits(rng, 6)}", f"{_nz(rng, 3)}-{_digits(rng, 7)}-{_digits(rng, 7)}",
                           f"INV{_digits(rng, 8)}", _nz(rng, 10), f"{_nz(rng, 4)} {_digits(rng, 4)} {_digits(rng, 4)}"))
    if kind == "age":
        return str(rng.randint(15, 46))
    if kind == "pct":
        p = rng.choice((5, 10, 15, 20, 25, 30, 40, 50, 60, 70))
        return rng.choice((f"{p}%", f"{p} per cent", f"{p} %", f"{p} percent"))
    if kind in ("amount", "amounts"):
        n = _amount(rng, "S" if kind == "amounts" else rng.choice("SML"))
        return rng.choice((_group(n, ","), _group(n, " "), _group(n, "."), str(n)))
    if kind == "imei":
        d = _nz(rng, 15)
        return d if rng.random() < 0.6 else f"{d[:2]}-{d[2:8]}-{d[8:14]}-{d[14]}"
    if kind == "iccid":
        d = "89" + _digits(rng, 17)
        return d if rng.random() < 0.5 else " ".join(d[i:i + 4] for i in range(0, len(d), 4))
    if kind == "acct":
        return _digits(rng, 8)
    if kind == "sort":
        return f"{_digits(rng, 2)}-{_digits(rng, 2)}-{_digits(rng, 2)}"
    if kind == "badge":
        return rng.choice((_nz(rng, 4), _nz(rng, 5), f"{_nz(rng, 2)} {_digits(rng, 3)}"))
    if kind == "room":
        return str(rng.choice((rng.randint(1, 30), rng.randint(101, 450))))
    if kind == "num":
        return str(rng.randint(2, 14))
    if kind == "num4":
        return _digits(rng, 4)
    if kind == "flight":
        return f"{rng.choice(('LH', 'TK', 'W6', 'FR', 'BA', 'VN', 'QR', 'EK', 'PR'))} {rng.randint(100, 9999)}"
    if kind == "statute":
        if code == "en_US":
            return f"18 U.S.C. § {rng.choice((1589, 1590, 1591, 1594, 2421, 2422))}"
        if code in ("en_GB", "en_IE"):
            return f"section {rng.choice((1, 2, 4))} of the Modern Slavery Act"
        if code in ("de_DE", "de_AT", "de_CH"):
            return f"§ {rng.choice(('232', '232a', '232b', '233', '233a', '104a'))} StGB"
        return f"article {rng.choice((189, 210, 211, 225, 303, 600, 601))} of the Criminal Code"
    raise KeyError(kind)


# ---------------------------------------------------------------------------------------------
# Templates (our own). Tokens:
#   persons {P1} {P1s} {P1f} {P1t} {P1ts}; pronouns {he1} {him1} {his1} {He1} {His1} {sex1} {woman1} {sib1}
#   {child1} {girl1}; places {CITY} {CITY2} {CITYU} {CITYST} {ADDR} {FADDR} {COUNTRY} {OCOUNTRY};
#   orgs {ORG} {BIZ:kind} {GOV} {NGO} {SITE} {BANK}; ids {PH1} {PH2} {PHI1} {EM1} {IBAN} {URL};
#   {MONEY} {MONEYS} {MONEYL}; dates {DATE} {NDATE} {YEAR} {PERIOD}; distractors {d:kind}.
# A token with "#2" (e.g. {BIZ:spa#2}, {CITY#2}) is a second, different value; same token = same value.
# ---------------------------------------------------------------------------------------------

GENRES: dict[str, dict] = {}

GENRES["intake"] = {"weight": 14, "lead": [
    "Intake {NDATE}: {P1}, {d:age}, referred by {NGO} after leaving a flat in {CITY}. Contact number on file is {PH1}.",
    "Client {P1} (DOB {DOB}) arrived at the shelter at {d:time} with no documents; {his1} only phone is {PH1}.",
    "Referral from {GOV} for {P1t}, who says {he1} was recruited in {CITY} with a promise of kitchen work at {BIZ:restaurant}.",
    "{P1} was referred to our service on {DATE} by a nurse at the walk-in clinic in {CITY}.",
    "Initial assessment for {P1}, aged {d:age}, case ref {d:case}. Best number to reach {him1}: {PH1}.",
    "New intake: {P1t}, passport no. {d:passport} held by the employer, currently staying at {ADDR}, {CITY}.",
    "A young {woman1} came in with a friend who interpreted; {he1} gave {P1} as {his1} full name and {PH1} as a safe number.",
    "Caseworker {P3} completed the intake for {P1} on {DATE}; next review is {NDATE} at {d:time}.",
    "Referral form {d:ref}: {P1}, {sex1}, {d:age}, found working at {BIZ:spa} in {CITYST}.",
    "{P1} says {he1} answered an advert on {SITE} promising hotel work abroad and was met at the airport by a man called {P2f:M}.",
    "Self-referral by phone at {d:time}: {P1}, calling from {PH1}, says {he1} has worked at {BIZ:carwash} for {PERIOD} without pay.",
    "{P1t} was brought to the drop-in centre by outreach staff from {NGO} on {NDATE}.",
    "Outreach note: met {P1f} outside {BIZ:bar} in {CITY} at around {d:time}; {he1} took our card and gave {PH1}.",
    "{P1}, a {d:age}-year-old {woman1} from {OCOUNTRY}, was referred by {GOV} under ref {d:case}.",
    "Support plan opened for {P1} on {NDATE}. {He1} lived for {PERIOD} in a caravan behind {BIZ:farm}.",
    "Hospital social worker {P3t} called us from {PH2} about a patient, {P1}, who had no ID and gave an address at {FADDR}.",
], "body": [
    "{He1} was told {he1} owed {MONEY} for travel and rent, and the debt grew by {d:pct} each month.",
    "{P1s} does not want police involvement at this stage.",
    "Safe contact: {PH1} (text only, after {d:time}).",
    "The only other number {he1} remembers is {PH2}, which {he1} says belongs to the driver.",
    "{P1s} has a {child1} in {CITY#2} and sends money home through {BANK}.",
    "ID number recorded as {d:natid}; not yet verified.",
    "Wages of {MONEY} a month were promised, but {he1} received nothing after the first payday.",
    "{P1ts} agreed to a follow-up call on {DATE}.",
    "Employer named as {P2}, who runs {BIZ:cleaning} from an office at {ADDR}.",
    "Email given for correspondence: {EM1}.",
    "A note in {his1} bag read 'room {d:room}, {d:time}, {d:amount}'.",
    "Interpreter booked for {NDATE} at {d:time}, booking no. {d:order}.",
    "Postcode of the house where {he1} was kept: {d:postcode}.",
    "{He1} was moved between {CITY} and {CITY#2} in a van, registration {d:plate}.",
    "{P1s} was paid in cash, sometimes only {MONEYS} for working every day.",
    "Medical appointment arranged with Dr. {P3} for {DATE}.",
    "{His1} phone was taken on arrival and {he1} was given a basic handset with the number {PH2}.",
    "Passport number {d:passport} appears on a tenancy agreement {he1} never signed.",
    "{P1s} says {P2} collected everyone's earnings every evening at {d:time}.",
    "{He1} was {d:age} when {he1} was first brought to {CITY}.",
    "Case number for the referral is {d:case}; please quote it, not the phone number, when calling {NGO}.",
    "Housing officer {P3} can be reached on {PH2} or {EM3}.",
    "Rent of {MONEYS} a week was deducted from {his1} wages by {ORG}.",
    "Last seen by {his1} family in {YEAR}.",
    "{He1} came to {COUNTRY} in {YEAR} on a tourist visa arranged by {BIZ:recruit}.",
    "{His1} passport number is {d:passport} and {his1} national ID number {d:natid}.",
    "Call reference for the helpline contact: {d:ref}.",
    "{He1} still has the phone the employer gave {him1}; IMEI {d:imei}, number unknown.",
], "sentences": (1, 4)}

GENRES["police"] = {"weight": 14, "lead": [
    "{d:time} {NDATE} – Officers attended {BIZ:spa}, {FADDR}, following a welfare call from {PH1}.",
    "Log {d:ref}: vehicle {d:plate} stopped near {CITY}; driver {P1} gave {his1} number as {PH1}.",
    "Crime ref {d:case}. Suspect {P1}, {d:age}, arrested at {ADDR} in {CITY} on suspicion of controlling prostitution.",
    "Incident {d:case} at {d:time}: caller {P1t} reported three women living in the back room of {BIZ:carwash}.",
    "CAD {d:badge} – anonymous caller on {PH1} reports men sleeping in a shipping container at {BIZ:farm}.",
    "Intel log {NDATE}: phone {PH1} attributed to {P1}, believed to manage bookings for flats in {CITYST}.",
    "Stop check at {d:time}: passengers {P1} and {P2} had no ID, only a card with {PH1} written on it.",
    "Search warrant executed at {FADDR} on {DATE}; {MONEY} in cash and {d:num} SIM cards seized.",
    "PC {P1} (collar no. {d:badge}) took a statement from the manager of {BIZ:hotel} at {d:time}.",
    "Operation {W}: {GOV} officers visited {d:num} addresses in {CITY} on {NDATE}, including {ADDR}.",
    "Welfare check at {ADDR}, {CITY}, ref {d:case}. Occupant {P1} said {he1} pays {MONEYS} a week to a man known as {P2f:M}.",
    "Suspect {P1} was interviewed under caution at {d:time}; {he1} declined to give the PIN for the handset linked to {PH1}.",
    "Report {d:case}: {P1t}, a {d:age}-year-old {woman1}, flagged down a patrol car on {ADDR} at {d:time}.",
    "Intelligence suggests {P1} rents rooms at {BIZ:hotel} in {CITYST} for {MONEYS} a night, paid in cash.",
    "Custody record {d:ref}: {P1}, DOB {DOB}, nationality recorded as {OCOUNTRY}.",
    "Patrol attended {BIZ:spa} at {d:time} after a complaint from a neighbour, {P3t}, who called from {PH1}.",
], "body": [
    "Handset IMEI {d:imei} seized and sent for download.",
    "SIM card ICCID {d:iccid} found in the kitchen drawer.",
    "{P1s} refused to give the PIN for the handset.",
    "Subscriber check on {PH2} returned {P2}, {ADDR}, {CITY}.",
    "The victim's passport ({d:passport}) was found in the suspect's car.",
    "Cash seized: {MONEY}; exhibit no. {d:order}.",
    "Referred to {GOV} under ref {d:case}.",
    "Next of kin contact {PH2} was called at {d:time} with no answer.",
    "The car, registration {d:plate}, is registered to {ORG}.",
    "Postcode {d:postcode} has been flagged on two previous reports.",
    "{P2ts} was released on bail until {DATE}.",
    "Charged under {d:statute}.",
    "Officers noted mattresses in every room and a rota with times from {d:time} to {d:time}.",
    "{P1s} told officers {he1} had been in the country for {PERIOD}.",
    "Phone {PH2} was found saved as 'boss' in three of the workers' handsets.",
    "V1 and V2 were taken to a place of safety; {NGO} was informed at {d:time}.",
    "A ledger listed payments of {d:amount} against the names of {d:num} women.",
    "Bank card ending {d:num4} in the name of {P2} was recovered from the bedroom.",
    "The flat was let through {ORG} from {NDATE}.",
    "Social security number {d:ssn} given by the suspect did not match.",
    "Both suspects left {COUNTRY} on {NDATE}, according to {GOV}.",
    "Call logged at {d:time} under ref {d:ref}; caller's number withheld.",
    "Phone seized from {P1s}: IMEI {d:imei}, SIM {d:iccid}.",
    "Docket no. {d:case}; the victim's passport is {d:passport}.",
], "sentences": (1, 4)}

GENRES["tip"] = {"weight": 12, "lead": [
    "Hi, I want to report something. Girls go in and out of {ADDR} at all hours and a man called {P1f:M} answers the door.",
    "I work at {BIZ:hotel} in {CITY}. The same man books rooms {d:room} and {d:room} every week and pays cash, his number is {PH1}.",
    "Anonymous tip: the nail bar {BIZ:spa} on {ADDR} has workers who never leave, and the boss {P1} collects their money.",
    "Please check this number {PH1}, it keeps posting ads for very young girls on {SITE}.",
    "My friend {P1} went to {CITY} for a job at {BIZ:factory} and now {he1} can't call us. The last number we had was {PH1}.",
    "Hotline call at {d:time}: the caller's {sib1} {P1} was taken to {CITY} by a man named {P2:M} and now only messages from {PH1}.",
    "There's a van that picks up workers outside {BIZ:carwash} every morning at {d:time}, plate {d:plate}.",
    "Text to the tip line from {PH1}: 'they took my passport, I am at {ADDR} please help'.",
    "Reporting a job ad from {BIZ:recruit} that asks for a {MONEYS} fee up front, contact {PH1}.",
    "I drive a taxi in {CITY} and I keep taking young women from {BIZ:hotel} to different addresses, always booked from {PH1}.",
    "Web form {d:ref}, submitted {NDATE} {d:time}: 'Workers at {BIZ:farm} are locked in at night. Call me on {PH1}.'",
    "Neighbour report: at least eight men live in the garage at {ADDR}, {CITY}, and a minibus collects them at {d:time}.",
    "Email to the helpline from {EM0}: my {sib1} {P1} is being kept in a flat in {CITY} and they want {MONEY} to let {him1} go.",
    "I'm a delivery driver. At {FADDR} a woman asked me for help and wrote the number {PH1} on my receipt.",
], "body": [
    "You can call me back on {PH2} but not after {d:time}.",
    "I don't want to give my name.",
    "The ad said to ask for {P2f} and to bring cash.",
    "I think the boss is {P2:M}, he drives a black car, plate {d:plate}.",
    "They pay the workers maybe {MONEYS} a week, I heard them arguing about it.",
    "My email is {EM0} if you need more.",
    "This happened on {DATE} around {d:time}.",
    "The landlord is {ORG} I think.",
    "There was a second number on the door, {PH2}.",
    "The ad is still up at {URL}.",
    "Order number on the receipt was {d:order} if that helps.",
    "One of the girls looked about {d:age}.",
    "It's been going on since {YEAR}.",
    "I called {GOV} on {NDATE} but nothing happened.",
    "The house number is {d:room}, postcode {d:postcode}.",
    "I think they came to {COUNTRY} from {OCOUNTRY} in {YEAR}.",
    "The van's number plate was {d:plate}, I wrote it down at {d:time}.",
    "My reference from the last call is {d:ref}.",
], "sentences": (1, 4)}

GENRES["bank"] = {"weight": 10, "lead": [
    "SAR {d:ref}: account holder {P1} received {d:num} cash deposits totalling {MONEYL} between {NDATE} and {NDATE}.",
    "Suspicious activity: transfers from {IBAN} to {P1} in {CITY}, each just below {MONEY}.",
    "Customer {P1t} (customer ID {d:order}) listed {PH1} as contact number; the same number appears on {d:num} other accounts.",
    "Transaction monitoring alert {d:ref}: payments to {BIZ:spa} from {d:num} unrelated individuals, all giving the address {FADDR}.",
    "Memo {NDATE}: {ORG} paid wages into a single account, IBAN {IBAN}, controlled by {P1}.",
    "Alert {d:case}: {P1} opened accounts for {d:num} young women at our {CITY} branch on {DATE}, all listing the same phone, {PH1}.",
    "Internal referral: rent for {d:num} flats in {CITYST} paid from the account of {BIZ:cleaning} to {P1}.",
    "KYC review of {P1}: declared occupation cleaner, yet {MONEYL} passed through the account in {PERIOD}.",
    "Wire of {MONEY} on {NDATE} from {P1} to {IBAN}, reference 'visa and flight'.",
    "Escalation {d:ref}: online banking for {d:num} accounts accessed from the same device, registered mobile {PH1}.",
    "Remittances of {MONEYS} to {d:num} recipients in {OCOUNTRY} were sent by {P1} through {BANK} on {DATE}.",
], "body": [
    "Beneficiary account: {IBAN}.",
    "Online banking log-ins came from the same device at {d:time} for all of the accounts.",
    "Sort code {d:sort}, account {d:acct}.",
    "Registered phone {PH1}, email {EM1}.",
    "Transfers referenced 'rent' and 'transport', each of {MONEYS}.",
    "{P1s} was unable to explain the source of funds when asked on {DATE}.",
    "Case escalated to {GOV}, internal ref {d:case}.",
    "Card ending {d:num4} was used at {BIZ:hotel} on {NDATE}.",
    "Customer SSN on file: {d:ssn}.",
    "Tax ID given: {d:natid}.",
    "Account opened {NDATE}; {d:pct} of credits are cash.",
    "Second contact number {PH2} belongs to {P2}.",
    "Funds were then moved to {IBAN} held by {ORG}.",
    "No salary credits since {YEAR}.",
    "Transaction ID {d:ref} appears on every transfer.",
    "Funds left {COUNTRY} for {OCOUNTRY} in {d:num} transfers.",
    "Passport {d:passport} and ID {d:natid} were used to open both accounts.",
    "Payment reference {d:ref}, order no. {d:order}.",
], "sentences": (1, 4)}

GENRES["advert"] = {"weight": 11, "lead": [
    "HIRING NOW: waitresses and hostesses for {BIZ:bar} in {CITY}, {MONEY} per month, accommodation provided. Call or text {PH1}.",
    "Farm work in {COUNTRY}! Fruit picking, {MONEYS} per day, transport and housing arranged by {BIZ:recruit}. Message {P1f} on {PH1}.",
    "Au pair needed for a family in {CITY}. Good pay, no experience required. Send a photo to {EM1}.",
    "{BIZ:recruit} is looking for cleaners for hotels in {CITYST}. Start immediately, visa help, contact {P1} on {PH1}.",
    "Models wanted for promotional work in {CITY}, age 18 to 25, {MONEY} a week. Apply at {URL}.",
    "Construction workers needed by {BIZ:construction}, {MONEYS} per day cash. Ask for {P1}: {PH1} (from {d:time} to {d:time}).",
    "Massage therapists wanted at {BIZ:spa}. Free room. Good money. Text {PH1}.",
    "Warehouse and packing jobs in {CITY}, no language needed, {MONEY} a month plus bonus. Call {P1f} {PH1}.",
    "Dancers wanted for a club abroad, flights paid, earn {MONEYL} in {PERIOD}! Contact {EM0} or {PH1}.",
    "Job offer from {ORG}: kitchen assistants for {BIZ:restaurant}, housing {MONEYS} per week deducted from wages. Tel. {PH1}.",
    "Urgent! Girls for hotel reception in {CITY#2}, documents arranged by us. {P1}, {PH1}, {EM1}.",
    "Care assistants needed in {CITYST}, sponsorship available. Apply via {URL} or call {PHI1}.",
], "body": [
    "Job code {d:ref}.",
    "Passport required, we arrange everything.",
    "Interviews on {DATE} at {ADDR}.",
    "Advance fee of {MONEYS} for documents.",
    "See more jobs at {URL}.",
    "Office hours {d:time} to {d:time}, every day.",
    "Posted {NDATE}, ad ID {d:order}.",
    "Also advertised on {SITE}.",
    "Ask for {P2f}.",
    "Free transport from {CITY#2}.",
    "Contract for {PERIOD:long}, renewable.",
    "Email CV and photo to {EM1}.",
    "Second line: {PH2}.",
    "Work permit in {COUNTRY} guaranteed.",
    "Quote ref. {d:ref} when you call.",
], "sentences": (1, 3)}

GENRES["chat"] = {"weight": 9, "join": "\n", "lead": [
    "[{d:time}] {P1f}: new girl arrives on {DATE}, put her in the {CITY} flat. call me on the other number {PH1}",
    "{P1f}: did u send the money? {P2f}: yes {MONEYS} to the usual account {IBAN}",
    "msg from {PH1} at {d:time}: 'room {d:room}, {d:amounts} one hour, no police'",
    "{P1f}: new number, save it {PH1}. old one is burned",
    "[{NDATE}, {d:time}] {P2f}: pick them up at {ADDR}, code for the door is {d:num4}",
    "[{d:time}] {P1f}: the boss {P2} wants the passports back. {P2f}: ok",
    "{P1f} ({PH1}): how many today? {P2f}: {d:num} clients, {MONEY} total",
    "{NDATE} {d:time} – {P1f}: driver is outside {BIZ:hotel}, silver car {d:plate}",
    "{P2f}: who is this? {P1f}: friend of {P3f}, {he3} gave me your number {PH1}",
    "[{d:time}] unknown {PH1}: are u the girl from {SITE}? how much for an hour",
], "body": [
    "{P2f}: ok. how much did they pay today?",
    "{P1f}: {MONEY}, the rest later",
    "{P2f}: delete this chat",
    "{P1f}: if anyone asks, you work for {ORG}",
    "{P2f}: call {PH2} when ur outside",
    "{P1f}: don't use the old number anymore",
    "{P2f}: she owes {d:amount} still",
    "{P1f}: new flat is {ADDR}",
    "[{d:time}] {P2f}: police at {BIZ:spa}, stay away",
    "{P1f}: ticket {d:flight} lands at {d:time}, collect her",
    "{P2f}: send to {IBAN} not the other one",
], "sentences": (2, 4)}

GENRES["court"] = {"weight": 11, "lead": [
    "Case No. {d:case}: {P1}, {d:age}, of {CITYST}, pleaded guilty to trafficking for labour exploitation and was sentenced on {DATE}.",
    "Docket {d:case} – defendant {P1} is alleged to have recruited workers through {BIZ:recruit} and housed them at {FADDR}.",
    "In R v {P1} ({YEAR}), the court heard that the victims' phones were replaced with handsets using the number {PH1}.",
    "Indictment {d:case}, count 3: {P1} and {P2} conspired to arrange the travel of persons from {CITY} to {CITY#2} with a view to exploitation.",
    "The judgment records that {P1} controlled the bank account {IBAN} from {NDATE} to {NDATE}.",
    "File {d:case}. Witness {P1t} testified that {P2ts} set the prices and answered the booking line, {PH1}.",
    "{P1} was convicted on {DATE} of forced labour at {BIZ:farm} and sentenced to {PERIOD:long} in prison.",
    "Prosecutors say {P1}, the owner of {BIZ:spa} in {CITYST}, advertised women on {SITE} using {PH1}.",
    "Sentencing remarks, case {d:case}: {P1t} ran {BIZ:carwash} where men worked {d:num} hours a day for {MONEYS}.",
    "According to the charge sheet, {P1} and {P2} moved at least {d:num} women from {OCOUNTRY} to {CITY} between {YEAR} and {YEAR}.",
    "{GOV} investigators told the court that {P1} used {d:num} phones, including {PH1} and {PH2}.",
], "body": [
    "A confiscation order was made in the sum of {MONEYL}.",
    "The sentencing hearing was adjourned to {NDATE} at {d:time}.",
    "{P1s} was represented by {P3}.",
    "Exhibit {d:order} is a notebook listing the phone number {PH2} and amounts of {d:amount}.",
    "The defendant's company, {ORG}, was dissolved in {YEAR}.",
    "{P1s} has previous convictions from {YEAR}.",
    "Victim personal statements were read by {P3}.",
    "Judge {P3} said the offending lasted {PERIOD:long}.",
    "The offences fall under {d:statute}.",
    "The defendant's passport, number {d:passport}, was surrendered.",
    "{P2ts} was acquitted on count 2.",
    "Investigators traced payments of {MONEY} to {IBAN}.",
    "Text messages from {PH2} were read to the jury.",
    "The victims were brought from {OCOUNTRY} to {COUNTRY} between {NDATE} and {NDATE}.",
    "Phone records for IMEI {d:imei} were admitted as exhibit {d:order}.",
    "Related case no. {d:case} is listed for {NDATE}.",
], "sentences": (1, 4)}

GENRES["survivor"] = {"weight": 10, "wrap": True, "lead": [
    "{P1f} told me the job was in a hotel in {CITY}. When I got there they took my passport and said I owed {MONEY}.",
    "I only had one number, {PH1}. If I didn't answer within five minutes, {P1f} would come to the room.",
    "We slept twelve in one room above {BIZ:restaurant}. The boss, {P1}, kept our papers in a safe.",
    "My mother still has the letter from {BIZ:recruit} with their number, {PH1}, and the address {ADDR}.",
    "They told us to say we were students if the police came. Every night {P1f} took the money, {MONEYS} from each girl.",
    "I escaped on {DATE}. A lady at the bus station in {CITY} let me use her phone to call my cousin on {PH1}.",
    "I met {P1} on {SITE}. {He1} said {he1} had a cleaning job for me in {CITY} and paid for my ticket.",
    "For {PERIOD} I worked at {BIZ:carwash} and never saw my wages. {P1f} said it all went on rent.",
    "The man who drove us, {P1:M}, had two phones. One number I remember is {PH1} because I called it every night at {d:time}.",
    "I was {d:age} when I answered the ad from {BIZ:recruit}. The woman on the phone, {P1f}, was very kind at first.",
    "In {CITY} they put us in a house at {ADDR}. {P1f} said if I ran, my family in {CITY#2} would pay.",
], "body": [
    "I was {d:age} years old.",
    "Now I work at {ORG} and I am safe.",
    "{P1f} said if I went to the police they would hurt my family in {CITY#2}.",
    "The room number was {d:room}, I will never forget it.",
    "They wanted {MONEY} more before I could leave.",
    "My new number is {PH2}, you can give it to the lawyer.",
    "Every month {P1f} sent money to {IBAN}, I saw the papers.",
    "I did not know what {SITE} was until I saw my photo there.",
    "It was {DATE} when I finally spoke to {GOV}.",
    "The ticket was flight {d:flight} at {d:time}.",
    "When I came to {COUNTRY} in {YEAR} I spoke no English.",
    "My passport number was {d:passport}, they never gave it back.",
], "sentences": (1, 3)}

GENRES["labour"] = {"weight": 6, "lead": [
    "Inspection of {BIZ:farm}, {FADDR}, on {DATE}: {d:num} workers found living in caravans, wages of {MONEYS} a day paid through {P1}.",
    "Labour inspector {P1} visited {BIZ:construction} at {d:time}; the site manager gave {PH1} as his mobile.",
    "Payroll at {ORG} showed {d:num} workers sharing the same bank account, {IBAN}.",
    "Inspection report {d:case}: at {BIZ:factory} in {CITYST} the agency {BIZ:recruit} supplied {d:num} workers, contact {P1} on {PH1}.",
    "{GOV} visited {BIZ:cleaning} on {NDATE} after a complaint sent from {EM0}.",
], "body": [
    "Deductions of {d:pct} were taken for 'housing'.",
    "Timesheets showed shifts from {d:time} to {d:time}.",
    "Worker ID numbers on the rota included {d:natid}.",
    "The gangmaster licence number {d:ref} was not valid.",
    "Workers said {P2} kept their bank cards.",
    "The agency's office is at {ADDR}, {CITY}; phone {PH2}.",
    "Back pay owed is estimated at {MONEYL}.",
    "Accommodation was a former barn at postcode {d:postcode}.",
    "Most workers had arrived in {COUNTRY} in {YEAR}.",
    "Payslips quoted employee numbers such as {d:ref} instead of names.",
], "sentences": (1, 4)}

GENRES["ad"] = {"weight": 6, "lead": [
    "NEW IN {CITYU}!!! Sweet and young, incall/outcall 24/7, call {PH1} now!",
    "Young ladies, discreet flat near the station in {CITY}. Text only {PH1}. {MONEYS} half hour.",
    "Ad ID {d:order} posted {NDATE} on {SITE}: 'Asian massage, new girls every week, {PH1}'",
    "Relaxing massage by {P1f}, age {d:age}, open {d:time} till late. {ADDR}, {CITY}. Call {PH1}.",
    "Party girls available tonight in {CITY}, hotel visits only, {MONEYS} per hour. Book on {PH1} or {URL}.",
], "body": [
    "Ask for {P1f}.",
    "Also on {SITE}.",
    "Deposit to {IBAN} before the visit.",
    "Booking ref {d:ref}.",
    "No calls before {d:time}.",
    "Second number {PH2}.",
    "Listing {d:ref}, renewed {NDATE}.",
], "sentences": (1, 3)}

GENRES["contact"] = {"weight": 9, "lead": [
    "For bookings contact {P1} at {PH1} or {EM1}.",
    "You can reach the office of {ORG} on {PH1}, weekdays from {d:time}.",
    "{P1t} can be contacted at {EM1} or by phone on {PH1}.",
    "Our new address is {FADDR}; the phone number stays {PH1}.",
    "Please call {P1f} on {PH1} or {PH2} after {d:time}.",
    "Contact: {P1}, {ORG}, {ADDR}, {CITY}. Tel. {PH1}. Email {EM1}.",
    "Website {URL}, phone {PH1}, email {EM1}.",
    "The {NGO} helpline, {PH1}, is open until {d:time}; the office is at {ADDR}, {CITYST}.",
    "Questions about invoice {d:order} go to {P1} on {PH1}.",
    "{P1} ({ORG}) asked to be called back on {PHI1}.",
    "Send the documents to {P1t}, {FADDR}, and confirm by text on {PH1}.",
], "body": [
    "Fax {PH2}.",
    "The office is closed on {DATE}.",
    "Quote your reference {d:ref} when you call.",
    "VAT no. {d:ref}.",
    "Out of hours, call {P2} on {PH2}.",
    "More at {URL}.",
    "Payments to {IBAN}.",
    "Account no. {d:acct}, sort code {d:sort}.",
    "Our number in {COUNTRY} is {PH2}.",
    "Customer number {d:ref}, invoice {d:order}.",
], "sentences": (1, 3)}

SURNAME_FOLLOWUPS = [
    "{P1ts} later denied knowing anyone at that number.",
    "{P1s} has not been seen since.",
    "Staff say {P1s} is frightened of the driver.",
    "When asked again, {P1s} gave the same account.",
    "{P1s} was not at the address when officers returned.",
    "Later that day {P1s} called again from the same phone.",
    "{P1ts} confirmed this in a second interview.",
]

WRAPS = (
    '"{BODY}"',
    'Survivor statement, {NDATE}: "{BODY}"',
    '"{BODY}" – {P3f}, {d:age}',
    'Account given to {NGO}: "{BODY}"',
    '{BODY}',
)

DISTRACTOR_LINES = [
    "Call ref. {d:ref}, logged at {d:time}.",
    "Case number {d:case}; phone enquiries quote {d:ref}.",
    "Ref {d:case}, tel. log {d:ref}.",
    "Handset IMEI {d:imei}.",
    "SIM serial {d:iccid}.",
    "File {d:case}, opened {NDATE}.",
    "SSN {d:ssn} on file.",
    "ID no. {d:natid}, passport {d:passport}.",
    "Order no. {d:order}, call {d:ref} for tracking.",
    "Vehicle {d:plate}, postcode {d:postcode}.",
]

PHONE_CLOSERS = [
    "Contact number: {PH1}.",
    "Call back on {PH1}.",
    "Number given: {PH1}.",
    "The number {PH1} is linked to this report.",
    "Tel. {PH1}.",
]

# ---------------------------------------------------------------------------------------------
# Template expansion
# ---------------------------------------------------------------------------------------------

_TOKEN = re.compile(r"\{([^{}]+)\}")
_OP_NAMES = ("Nightjar", "Aurora", "Kestrel", "Granite", "Lantern", "Meridian", "Tundra", "Harbour")


def _render_token(ctx: Ctx, tok: str) -> list[Seg]:
    if tok.startswith("d:"):
        kind = tok[2:]
        return [Seg(distractor(ctx, kind), None, kind=kind)]
    if tok == "W":
        return [Seg(ctx.rng.choice(_OP_NAMES))]
    m = re.fullmatch(r"P(\d)(s|f|t|ts)?(?::[MF])?", tok)
    if m:
        return render_person(ctx, m.group(1), m.group(2) or "")
    m = re.fullmatch(r"(he|him|his|hers|sex|woman|sib|child|girl|He|Him|His)(\d)", tok)
    if m:
        word, slot = m.group(1), m.group(2)
        p = get_person(ctx, slot)
        w = PRONOUNS[word.lower()][0 if p.gender == "F" else 1]
        return [Seg(w.capitalize() if word[0].isupper() else w)]
    base, _, arg = tok.partition(":")
    key = tok
    name = re.sub(r"#\d+$", "", base)
    arg = re.sub(r"#\d+$", "", arg)
    if name in ("CITY", "CITYST", "CITYU", "ADDR", "FADDR", "COUNTRY", "OCOUNTRY"):
        fn = render_place
        if name.startswith("CITY") and "#" in base:
            arg = "other"
    elif name in ("ORG", "BIZ", "GOV", "NGO", "SITE", "BANK") or re.fullmatch(r"(ORG|SITE|BIZ)\d", name):
        fn = render_org
        name = re.sub(r"\d+$", "", name)
    elif re.fullmatch(r"PH\d|PHI\d", name):
        fn = render_phone
        name = "PHI" if name.startswith("PHI") else "PH"
    elif re.fullmatch(r"EM\d", name):
        fn = render_email
    elif name == "IBAN":
        fn = render_iban
        key = None                               # each IBAN mention is its own account
    elif name == "URL":
        fn = render_url
    elif name in ("MONEY", "MONEYS", "MONEYL"):
        fn = render_money
        key = None                               # each amount is drawn afresh
    elif name in ("DATE", "NDATE", "YEAR", "PERIOD", "DOB"):
        fn = render_date
        key = None
    else:
        raise KeyError(tok)
    if key is None:
        return fn(ctx, name, arg)
    if key not in ctx.cache:
        ctx.cache[key] = fn(ctx, name, arg)
    return [Seg(s.text, s.label, s.value, s.kind, dict(s.meta)) for s in ctx.cache[key]]


def expand(ctx: Ctx, template: str) -> list[Seg]:
    segs: list[Seg] = []
    pos = 0
    for m in _TOKEN.finditer(template):
        if m.start() > pos:
            segs.append(Seg(template[pos:m.start()]))
        segs.extend(_render_token(ctx, m.group(1)))
        pos = m.end()
    if pos < len(template):
        segs.append(Seg(template[pos:]))
    return segs


# ---------------------------------------------------------------------------------------------
# One text
# ---------------------------------------------------------------------------------------------

def _uses(template: str, prefix: str) -> bool:
    return any(t.startswith(prefix) for t in _TOKEN.findall(template))


_LOCAL_SLOTS = re.compile(r"\{(P|EM|he|him|his|He|His|sex|woman|sib|child|girl)3(\w*(?::[MF])?)\}|\{(PH)2\}|\{(URL)\}")


def _localise_slots(template: str, k: int) -> str:
    """Side characters (slot 3), second phones and URLs are local to the sentence that names them.

    P1, P2 and PH1 are the main actors and are shared by every sentence of a text; a P3 or PH2 in the
    k-th sentence becomes a fresh slot so that two sentences never give one person two roles.
    """
    if k == 0:
        return template

    def sub(m: re.Match) -> str:
        if m.group(1):
            return "{" + f"{m.group(1)}{3 + k}{m.group(2)}" + "}"
        if m.group(3):
            return "{" + f"PH{2 + k}" + "}"
        return "{URL#" + str(k) + "}"

    return _LOCAL_SLOTS.sub(sub, template)


def _estimate_words(template: str) -> int:
    return len(_TOKEN.sub("xx yy", template).split())


def _choose_templates(rng: random.Random, genre: dict, iban_ok: bool) -> list[str]:
    lo, hi = genre["sentences"]
    leads = [t for t in genre["lead"] if iban_ok or "{IBAN}" not in t]
    bodies = [t for t in genre["body"] if iban_ok or "{IBAN}" not in t]
    n = rng.randint(lo, hi)
    chosen = [rng.choice(leads)]
    rest = rng.sample(bodies, len(bodies))
    while rest and (len(chosen) < n or sum(map(_estimate_words, chosen)) < 22) and len(chosen) < hi:
        chosen.append(rest.pop())
    while len(chosen) > 1 and sum(map(_estimate_words, chosen)) > 80:
        chosen.pop()
    return chosen


def _word_count(text: str) -> int:
    return len(strip_invisible(text).split())


def _pick_genre(rng: random.Random) -> str:
    names = list(GENRES)
    return rng.choices(names, weights=[GENRES[n]["weight"] for n in names], k=1)[0]


def _apply_invisible(rng: random.Random, segs: list[Seg]) -> bool:
    cands = [i for i, s in enumerate(segs) if s.label in ("PERSON", "PHONE") and len(s.text) >= 3]
    if not cands:
        return False
    phones = [i for i in cands if segs[i].label == "PHONE"]
    names = [i for i in cands if segs[i].label == "PERSON"]
    picked = set()
    if phones and rng.random() < 0.75:
        picked.add(rng.choice(phones))
    if names and (not picked or rng.random() < 0.5):
        picked.add(rng.choice(names))
    if not picked:
        picked.add(rng.choice(cands))
    for i in sorted(picked):
        s = segs[i]
        chars = list(s.text)
        for _ in range(rng.choice((1, 1, 2, 3))):
            pos = rng.randint(1, len(chars) - 1)
            chars.insert(pos, rng.choice(INVISIBLES))
        s.text = "".join(chars)
    return True


def _finish(segs: list[Seg]) -> tuple[str, list[dict], list[dict]]:
    out = []
    ents, dis = [], []
    pos = 0
    for s in segs:
        start, end = pos, pos + len(s.text)
        out.append(s.text)
        pos = end
        if s.label:
            assert s.text == s.text.strip(), s.text
            if s.label in ("PHONE", "EMAIL", "IBAN", "URL"):
                value = s.value
            else:
                value = strip_invisible(s.text)
            ents.append({"start": start, "end": end, "label": s.label, "value": value})
        if s.kind:
            dis.append({"start": start, "end": end, "kind": s.kind, "entity": s.label})
    return "".join(out), ents, dis


def _make_one(index: int, seed: int, fakers: dict[str, Faker]) -> dict:
    rid = f"f{index + 1:05d}"
    for attempt in range(40):
        rng = random.Random(f"sightline-faker-texts:{seed}:{index}:{attempt}")
        codes = list(LOCALES)
        code = rng.choices(codes, weights=[LOCALE_WEIGHTS[c] for c in codes], k=1)[0]
        fake = fakers[code]
        fake.seed_instance(rng.getrandbits(63))
        ctx = Ctx(LOCALES[code], fake, rng)
        genre_name = _pick_genre(rng)
        genre = GENRES[genre_name]
        iban_ok = code not in ("en_IN", "en_PH", "es_MX")
        templates = _choose_templates(rng, genre, iban_ok)

        hard: list[str] = []
        if rng.random() < HARD_RATE:
            hard = rng.sample(["invisible", "allcaps", "surname_repeat"], rng.choice((1, 1, 2)))
        if "allcaps" in hard:
            ctx.caps = rng.choice(("all", "surname"))
        if "surname_repeat" in hard:
            if genre_name != "chat" and any(_uses(t, "P1") for t in templates):
                templates = templates[:3] + [rng.choice(SURNAME_FOLLOWUPS)]
            else:
                hard.remove("surname_repeat")
        if len(templates) < 4 and genre_name not in ("chat", "survivor") and rng.random() < 0.3:
            templates.append(rng.choice(DISTRACTOR_LINES))
        # make sure about two thirds of texts carry a phone number
        if not any(_uses(t, "PH") for t in templates) and rng.random() < 0.45 and len(templates) < 4 \
                and genre_name not in ("chat", "survivor"):
            templates.append(rng.choice(PHONE_CLOSERS))

        if genre_name != "chat":
            templates = [_localise_slots(t, k) for k, t in enumerate(templates)]
        for t in templates:
            for slot, g in re.findall(r"\{P(\d)\w*:([MF])\}", t):
                ctx.forced_gender[slot] = g

        segs: list[Seg] = []
        try:
            joiner = genre.get("join", " ")
            for k, t in enumerate(templates):
                if k:
                    segs.append(Seg(joiner))
                segs.extend(expand(ctx, t))
            if genre.get("wrap"):
                wrap = rng.choice(WRAPS)
                before, _, after = wrap.partition("{BODY}")
                segs = expand(ctx, before) + segs + expand(ctx, after)
        except NoIban:
            continue

        if "invisible" in hard and not _apply_invisible(rng, segs):
            hard.remove("invisible")
        if "allcaps" in hard and not any(s.label == "PERSON" for s in segs):
            hard.remove("allcaps")
        text, ents, dis = _finish(segs)
        if any(s.label == "PERSON" and s.meta.get("form") in ("s", "ts") for s in segs):
            if "surname_repeat" not in hard:
                hard.append("surname_repeat")
        elif "surname_repeat" in hard:
            hard.remove("surname_repeat")
        words = _word_count(text)
        if not 20 <= words <= 90:
            continue
        return {
            "id": rid,
            "text": text,
            "locale": code,
            "split": split_of(rid),
            "entities": ents,
            "distractors": dis,
            "hard": sorted(set(hard)),
            "genre": genre_name,
        }
    raise RuntimeError(f"could not build text {rid}")


def split_of(rid: str) -> str:
    h = int(hashlib.sha256(rid.encode("utf-8")).hexdigest()[:8], 16)
    return "dev" if h % 2 == 0 else "test"


def _fakers() -> dict[str, Faker]:
    import logging
    logging.getLogger("faker").setLevel(logging.ERROR)
    fakers = {code: Faker(code) for code in LOCALES}
    # Faker's it_IT city list is built from a set, so its order follows the string hash seed:
    # sort every list-valued city table so that output does not depend on PYTHONHASHSEED.
    for fake in fakers.values():
        for provider in fake.providers:
            table = getattr(provider, "cities", None)
            if isinstance(table, list):
                provider.cities = sorted(table)
    return fakers


def generate(count: int = 2400, seed: int = 14) -> list[dict]:
    fakers = _fakers()
    return [_make_one(i, seed, fakers) for i in range(count)]


# ---------------------------------------------------------------------------------------------
# Checks and CLI
# ---------------------------------------------------------------------------------------------

def verify(records: list[dict]) -> list[str]:
    problems = []
    for r in records:
        text = r["text"]
        last_end = -1
        for e in r["entities"]:
            if e["label"] not in LABELS:
                problems.append(f"{r['id']}: bad label {e['label']}")
            if not (0 <= e["start"] < e["end"] <= len(text)):
                problems.append(f"{r['id']}: bad offsets {e}")
            if e["start"] < last_end:
                problems.append(f"{r['id']}: overlap at {e}")
            last_end = e["end"]
            surface = text[e["start"]:e["end"]]
            if surface != surface.strip() or not surface:
                problems.append(f"{r['id']}: untrimmed span {surface!r}")
            clean = strip_invisible(surface)
            lab, val = e["label"], e["value"]
            if lab == "IBAN" and (not stdnum_iban.is_valid(val) or clean.replace(" ", "").upper() != val):
                problems.append(f"{r['id']}: IBAN {surface!r} -> {val}")
            if lab == "EMAIL" and val != clean.lower():
                problems.append(f"{r['id']}: EMAIL {surface!r} -> {val}")
            if lab == "URL" and val != url_value(clean):
                problems.append(f"{r['id']}: URL {surface!r} -> {val}")
            if lab == "PHONE":
                digits = re.sub(r"\D", "", clean)
                if val.startswith("+"):
                    national = str(phonenumbers.parse(val).national_number)
                    if national not in digits:
                        problems.append(f"{r['id']}: PHONE {surface!r} -> {val}")
                elif val != re.sub(r"\D", "", _EXTENSION_RE.sub("", clean)):
                    problems.append(f"{r['id']}: PHONE {surface!r} -> {val}")
            if lab in ("PERSON", "LOCATION", "ORGANIZATION", "MONEY", "DATE") and val != clean:
                problems.append(f"{r['id']}: {lab} value {val!r} != {clean!r}")
            if _INVISIBLE_RE.search(surface) and lab not in ("PERSON", "PHONE"):
                problems.append(f"{r['id']}: invisible character in {lab}")
        for d in r.get("distractors", []):
            if d["entity"] is None and any(e["start"] < d["end"] and d["start"] < e["end"] for e in r["entities"]):
                problems.append(f"{r['id']}: distractor {d} overlaps a gold span")
        n = _word_count(text)
        if not 20 <= n <= 90:
            problems.append(f"{r['id']}: {n} words")
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-o", "--output", required=True, type=Path)
    ap.add_argument("--count", type=int, default=2400)
    ap.add_argument("--seed", type=int, default=14)
    args = ap.parse_args(argv)
    records = generate(args.count, args.seed)
    problems = verify(records)
    for p in problems[:20]:
        print("PROBLEM", p, file=sys.stderr)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with args.output.open("w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    splits = Counter(r["split"] for r in records)
    per = {s: Counter() for s in ("dev", "test")}
    for r in records:
        per[r["split"]].update(e["label"] for e in r["entities"])
    print(f"texts: {len(records)}  dev: {splits['dev']}  test: {splits['test']}  -> {args.output}")
    print(f"{'label':<14}{'dev':>8}{'test':>8}{'total':>8}")
    for lab in LABELS:
        d, t = per["dev"][lab], per["test"][lab]
        print(f"{lab:<14}{d:>8}{t:>8}{d + t:>8}")
    with_phone = sum(any(e["label"] == "PHONE" for e in r["entities"]) for r in records)
    hard = Counter(h for r in records for h in r["hard"])
    print(f"texts with a phone: {with_phone} ({with_phone / max(len(records), 1):.0%}); "
          f"locales: {len({r['locale'] for r in records})}; hard cases: {dict(hard)}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
