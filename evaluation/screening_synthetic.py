"""Fictional flagged people, companies and identifiers for the screening evaluation and benchmarks.

Names come from the same pools as the synthetic narratives (``evaluation.narrative_pools``: Romanian, Bulgarian,
Polish, Slovak, Vietnamese, Nigerian, Albanian, British, Italian), plus small Greek and Russian pools
written in their own scripts with the romanisation a register would use, because screening must bridge
scripts. Women's surnames inflect as registers write them. ``diverse=True`` also derives new surnames
from the pools' stems and endings, so that a list of 100,000 is not mostly namesakes.

Everything is deterministic for a seed, and every identifier is valid (checksums hold) but fictional.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

import base58
import bech32
import phonenumbers
from anyascii import anyascii
from stdnum import iban as stdnum_iban

from evaluation import narrative_pools as P

#: Greek and Russian people: (native, romanised) pairs; surnames as (male, female) pairs of pairs.
GREEK_MALE = (("Γιώργος", "Giorgos"), ("Δημήτρης", "Dimitris"), ("Νίκος", "Nikos"), ("Γιάννης", "Giannis"),
              ("Κωνσταντίνος", "Konstantinos"), ("Παναγιώτης", "Panagiotis"), ("Βασίλης", "Vasilis"),
              ("Χρήστος", "Christos"), ("Αθανάσιος", "Athanasios"), ("Μιχάλης", "Michalis"),
              ("Ευάγγελος", "Evangelos"), ("Θεόδωρος", "Theodoros"))
GREEK_FEMALE = (("Μαρία", "Maria"), ("Ελένη", "Eleni"), ("Αικατερίνη", "Aikaterini"), ("Βασιλική", "Vasiliki"),
                ("Σοφία", "Sofia"), ("Γεωργία", "Georgia"), ("Αγγελική", "Angeliki"), ("Δήμητρα", "Dimitra"),
                ("Ευαγγελία", "Evangelia"), ("Παρασκευή", "Paraskevi"))
GREEK_SURNAMES = (
    (("Παπαδόπουλος", "Papadopoulos"), ("Παπαδοπούλου", "Papadopoulou")),
    (("Παπαδάκης", "Papadakis"), ("Παπαδάκη", "Papadaki")),
    (("Γεωργίου", "Georgiou"), ("Γεωργίου", "Georgiou")),
    (("Οικονόμου", "Oikonomou"), ("Οικονόμου", "Oikonomou")),
    (("Νικολάου", "Nikolaou"), ("Νικολάου", "Nikolaou")),
    (("Ιωάννου", "Ioannou"), ("Ιωάννου", "Ioannou")),
    (("Καραγιάννης", "Karagiannis"), ("Καραγιάννη", "Karagianni")),
    (("Μακρής", "Makris"), ("Μακρή", "Makri")),
    (("Χριστοδούλου", "Christodoulou"), ("Χριστοδούλου", "Christodoulou")),
    (("Αντωνίου", "Antoniou"), ("Αντωνίου", "Antoniou")),
    (("Ψαρράς", "Psarras"), ("Ψαρρά", "Psarra")),
    (("Ζαχαρίου", "Zachariou"), ("Ζαχαρίου", "Zachariou")),
)
RUSSIAN_MALE = (("Дмитрий", "Dmitry"), ("Сергей", "Sergei"), ("Алексей", "Alexei"), ("Андрей", "Andrei"),
                ("Иван", "Ivan"), ("Михаил", "Mikhail"), ("Николай", "Nikolai"), ("Владимир", "Vladimir"),
                ("Александр", "Alexander"), ("Юрий", "Yuri"), ("Евгений", "Evgeny"), ("Артём", "Artyom"))
RUSSIAN_FEMALE = (("Екатерина", "Ekaterina"), ("Анна", "Anna"), ("Ольга", "Olga"), ("Наталья", "Natalia"),
                  ("Юлия", "Yulia"), ("Ирина", "Irina"), ("Татьяна", "Tatiana"), ("Светлана", "Svetlana"),
                  ("Мария", "Maria"), ("Ксения", "Ksenia"))
RUSSIAN_SURNAMES = (("Иванов", "Ivanov"), ("Смирнов", "Smirnov"), ("Кузнецов", "Kuznetsov"), ("Попов", "Popov"),
                    ("Васильев", "Vasiliev"), ("Соколов", "Sokolov"), ("Михайлов", "Mikhailov"),
                    ("Новиков", "Novikov"), ("Фёдоров", "Fedorov"), ("Морозов", "Morozov"), ("Волков", "Volkov"),
                    ("Лебедев", "Lebedev"), ("Козлов", "Kozlov"), ("Павлов", "Pavlov"), ("Зайцев", "Zaitsev"),
                    ("Соловьёв", "Solovyov"))

#: Romanian names as registers write them with diacritics (the pools are plain ASCII).
RO_DIACRITICS = {"Stefan": "Ștefan", "Razvan": "Răzvan", "Catalin": "Cătălin", "Ionut": "Ionuț",
                 "Madalina": "Mădălina", "Serban": "Șerban", "Lazar": "Lazăr", "Stanciu": "Stanciu",
                 "Georgiana": "Georgiana", "Nistor": "Nistor", "Constantin": "Constantin",
                 "Tudor": "Tudor", "Marius": "Marius", "Stoica": "Stoica", "Mocanu": "Mocanu"}
RO_DIACRITICS = {k: v for k, v in RO_DIACRITICS.items() if k != v}

#: Endings that make new, plausible surnames from the pools' stems (``diverse`` lists only).
_SURNAME_ENDINGS = {"RO": ("escu", "eanu", "aru", "ache", "oiu"), "BG": ("ov", "ev", "anov", "chev"),
                    "PL": ("ski", "czyk", "ak", "ewicz", "ek"), "SK": ("ák", "ík", "ovský", "ec"),
                    "IT": ("i", "o", "ini", "etti", "one"), "NG": ("ola", "emi", "uwa", "ike", "ede"),
                    "AL": ("aj", "i", "ja", "ku"), "GB": ("son", "ton", "ley", "wood", "field"),
}

_BULGARIAN_CYRILLIC = [("sht", "щ"), ("zh", "ж"), ("ts", "ц"), ("ch", "ч"), ("sh", "ш"), ("yu", "ю"),
                       ("ya", "я"), ("a", "а"), ("b", "б"), ("v", "в"), ("g", "г"), ("d", "д"), ("e", "е"),
                       ("z", "з"), ("i", "и"), ("y", "й"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"),
                       ("o", "о"), ("p", "п"), ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"), ("f", "ф"),
                       ("h", "х"), ("c", "ц")]

BUSINESS_TYPES = ("Recruitment", "Staffing", "Cleaning Services", "Car Wash", "Construction", "Logistics",
                  "Transport", "Nail Bar", "Massage", "Catering", "Trading", "Agro", "Travel", "Textiles",
                  "Hospitality", "Models", "Security", "Packaging")
NATIONALITIES = tuple(P.NAMES) + ("GR", "RU")
_IBAN_COUNTRIES = ("GB", "DE", "RO", "PL", "BG", "NL", "AT", "IT")
_PHONE_COUNTRIES = tuple(P.PHONE_PLANS)


@dataclass(frozen=True, slots=True)
class Person:
    """A fictional person: name parts as written in Latin script, and natively where that differs."""

    nationality: str
    female: bool
    given: tuple[str, ...]  # first given name, then middle names
    surname: str
    native_given: tuple[str, ...] = ()
    native_surname: str = ""
    birth_date: str | None = None
    family: str = ""  # the surname's masculine form, from which either gender's form is derived
    native_family: str = ""

    @property
    def family_first(self) -> bool:
        return self.nationality == "VN"

    def relative_surname(self) -> tuple[str, str]:
        """``(Latin, native)`` surname of a relative of the other gender: Petrov/Petrova, Nowak/Nowak."""
        female = not self.female
        if self.nationality == "GR":
            pair = next(p for p in GREEK_SURNAMES if p[0][1] == self.family)
            return pair[int(female)][1], pair[int(female)][0]
        latin = _feminine(self.nationality, self.family) if female else self.family
        native = (_feminine(self.nationality, self.native_family) if female else self.native_family)
        if self.nationality == "BG":
            native = cyrillic(latin)
        return latin, native

    def name(self, *, native: bool = False) -> str:
        given = self.native_given if native and self.native_given else self.given
        surname = self.native_surname if native and self.native_surname else self.surname
        if self.family_first:
            return " ".join((surname, *given[1:], given[0]))  # Nguyen Van Hung: family, middle, given
        return " ".join((*given, surname))


def cyrillic(latin: str) -> str:
    """Bulgarian Cyrillic spelling of a romanised Bulgarian name (the reverse of the official scheme)."""
    out, rest = [], latin.lower()
    while rest:
        for src, dst in _BULGARIAN_CYRILLIC:
            if rest.startswith(src):
                out.append(dst)
                rest = rest[len(src):]
                break
        else:
            out.append(rest[0])
            rest = rest[1:]
    text = "".join(out)
    return text[:1].upper() + text[1:]


def _feminine(nat: str, surname: str) -> str:
    if nat == "PL" and surname.endswith(("ski", "cki", "dzki")):
        return surname[:-1] + "a"
    if nat in ("BG", "RU") and surname.endswith(("ov", "ev", "in", "ов", "ев", "ёв", "ин")):
        return surname + "a"
    if nat == "SK":
        return surname[:-1] + "á" if surname.endswith("ý") else surname.removesuffix("a") + "ová"
    return surname


def _invented_surname(rng: random.Random, nat: str, pool: tuple[str, ...]) -> str:
    """A new surname: a pool surname's stem (or two stems joined) with one of the nationality's endings."""
    stem = re.sub(r"(escu|eanu|ov|ev|ski|cki|czyk|ak|i|o|a|u|e)$", "", rng.choice(pool)) or rng.choice(pool)
    if rng.random() < 0.5:
        other = rng.choice(pool)
        stem = stem[: max(2, len(stem) // 2 + 1)] + other[len(other) // 2:].lower()
        stem = re.sub(r"(escu|eanu|ov|ev|ski|cki|i|o|a|u|e)$", "", stem) or stem
    return stem + rng.choice(_SURNAME_ENDINGS[nat])


def make_person(rng: random.Random, nat: str | None = None, *, female: bool | None = None, diverse: bool = False,
                middle_p: float = 0.2) -> Person:
    nat = nat or rng.choice(NATIONALITIES)
    female = rng.random() < 0.45 if female is None else female
    birth = _birth_date(rng)
    if nat in ("GR", "RU"):
        givens_pool = (GREEK_FEMALE if female else GREEK_MALE) if nat == "GR" else (
            RUSSIAN_FEMALE if female else RUSSIAN_MALE)
        givens = [rng.choice(givens_pool)]
        if rng.random() < middle_p / 2:
            givens.append(rng.choice([g for g in givens_pool if g != givens[0]]))
        if nat == "GR":
            family = rng.choice(GREEK_SURNAMES)
            surname, base = family[int(female)], family[0]
        else:
            base = rng.choice(RUSSIAN_SURNAMES)
            surname = (_feminine("RU", base[0]), _feminine("RU", base[1])) if female else base
        return Person(nat, female, tuple(g[1] for g in givens), surname[1], tuple(g[0] for g in givens),
                      surname[0], birth, base[1], base[0])
    _, males, females, surnames = P.NAMES[nat]
    pool = females if female else males
    given = [rng.choice(pool)]
    if nat == "VN":
        given.append(rng.choice(P.VN_MIDDLE[int(female)]))
    elif rng.random() < middle_p:
        given.append(rng.choice([g for g in pool if g != given[0]]))
    invent = diverse and nat != "VN" and rng.random() < 0.6  # Vietnamese surnames are few in reality too
    family = _invented_surname(rng, nat, surnames) if invent else rng.choice(surnames)
    surname = _feminine(nat, family) if female else family
    if nat == "RO" and rng.random() < 0.5:
        given = [RO_DIACRITICS.get(g, g) for g in given]
        surname = RO_DIACRITICS.get(surname, surname)
    native_given: tuple[str, ...] = ()
    native_surname = ""
    if nat == "BG":
        native_given, native_surname = tuple(cyrillic(g) for g in given), cyrillic(surname)
    return Person(nat, female, tuple(given), surname, native_given, native_surname, birth, family,
                  cyrillic(family) if nat == "BG" else "")


def _birth_date(rng: random.Random) -> str | None:
    roll = rng.random()
    year = rng.randint(1955, 2003)
    if roll < 0.45:
        return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if roll < 0.65:
        return str(year)
    return None


def company_name(rng: random.Random, nat: str) -> tuple[str, str]:
    """``(name without legal form, legal form)`` of a fictional business registered in ``nat``."""
    word = rng.choice(P.BUSINESS_WORDS)
    if rng.random() < 0.3:
        word = f"{word} {rng.choice([w for w in P.BUSINESS_WORDS if w != word])}"
    elif rng.random() < 0.2 and nat in P.NAMES:
        word = rng.choice(P.NAMES[nat][3])
    if nat == "NG":  # the pools' "Ventures" and "Enterprises" are part of a Nigerian business name
        return f"{word} {rng.choice(BUSINESS_TYPES)} {rng.choice(P.LEGAL_SUFFIX['NG'])}", rng.choice(legal_forms(nat))
    return f"{word} {rng.choice(BUSINESS_TYPES)}", rng.choice(legal_forms(nat))


def legal_forms(nat: str) -> tuple[str, ...]:
    """How a company registered in ``nat`` writes its legal form."""
    return ("Ltd", "Limited") if nat == "NG" else P.LEGAL_SUFFIX.get(nat, ("Ltd",))


# --- identifiers -----------------------------------------------------------------------------------

def make_phone(rng: random.Random, region: str | None = None) -> str:
    """A valid mobile number in E.164 for ``region`` (a country with a mobile plan in the pools)."""
    region = region if region in P.PHONE_PLANS else rng.choice(_PHONE_COUNTRIES)
    prefixes, lengths = P.PHONE_PLANS[region]
    code = phonenumbers.country_code_for_region(region)
    while True:
        prefix = rng.choice(prefixes)
        digits = prefix + "".join(rng.choice("0123456789") for _ in range(rng.choice(lengths) - len(prefix)))
        number = phonenumbers.parse(f"+{code}{digits}")
        if phonenumbers.is_valid_number(number) and phonenumbers.region_code_for_number(number) == region:
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_forms(e164: str) -> tuple[str, str, str]:
    """``(international with spaces, national, region)``: how a number is written, and where the national
    form is read."""
    number = phonenumbers.parse(e164)
    fmt = phonenumbers.PhoneNumberFormat
    return (phonenumbers.format_number(number, fmt.INTERNATIONAL), phonenumbers.format_number(number, fmt.NATIONAL),
            phonenumbers.region_code_for_number(number))


def make_iban(rng: random.Random) -> str:
    while True:
        country = rng.choice(_IBAN_COUNTRIES)
        parts = []
        for count, kind in re.findall(r"(\d+)!([nac])", P.IBAN_BBAN[country]):
            letters = kind == "a"
            parts.append("".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ" if letters else "0123456789")
                                 for _ in range(int(count))))
        bban = "".join(parts)
        value = country + stdnum_iban.calc_check_digits(country + "00" + bban) + bban
        if stdnum_iban.is_valid(value):
            return value


def make_wallet(rng: random.Random) -> str:
    """A checksum-valid address: Ethereum (lower case), bech32 or base58 Bitcoin."""
    payload = bytes(rng.randrange(256) for _ in range(20))
    roll = rng.random()
    if roll < 0.4:
        return "0x" + payload.hex()
    if roll < 0.7:
        return bech32.encode("bc", 0, payload)
    return base58.b58encode_check(bytes([0x00]) + payload).decode()


def make_email(rng: random.Random, person: Person) -> str:
    ascii_name = re.sub(r"[^a-z]", "", anyascii(person.given[0]).lower())
    surname = re.sub(r"[^a-z]", "", anyascii(person.surname).lower())
    local = rng.choice((f"{ascii_name}.{surname}", f"{ascii_name}{surname}", f"{ascii_name[:1]}{surname}"))
    local = (local or "user") + rng.choice(("", str(rng.randint(1, 99)), str(rng.randint(1960, 2005))))
    return f"{local}@{rng.choice(P.EMAIL_DOMAINS)}"
