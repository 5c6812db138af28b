"""Deterministic generator of fictional trafficking narratives with known ground truth.

Why it exists: extraction, entity resolution, community detection and the stores all need
realistic input at scale (benchmarks, load tests, demos) without ever touching a real
survivor's story. Because the generator writes every name and identifier itself, it knows
exactly where each one sits in the text, so extraction quality can be measured against it.

How it is built:

* The corpus is cut into consecutive blocks of 15-25 narrative positions; block ``j`` belongs
  to network ``j``. A network (recruiter, controller, businesses, phones, IBAN, route, ...) is
  a pure function of ``(seed, j)`` and narrative ``i`` a pure function of ``(seed, i)`` plus
  the networks it draws on. That gives the prefix property (the first k narratives never
  depend on n) and lets a stream of any length run in constant memory: only a small cache of
  networks is kept, and an evicted network is simply rebuilt.
* Each narrative picks a network near its own position (a small jitter interleaves
  neighbouring networks) and sometimes mentions an actor of another network, and drivers are
  shared by several networks from one country, so shared recruiters, phones, businesses and
  routes link narratives as they do in real casework.
* Randomness comes from ``random.Random`` seeded with strings, which Python hashes with
  SHA-512: output is identical across processes and ignores PYTHONHASHSEED.

Word pools and templates live in ``nlp.synthetic_pools``.
"""

from __future__ import annotations

import bisect
import random
import re
import unicodedata
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import phonenumbers
from stdnum import iban as _iban

from . import synthetic_pools as P

LABELS = frozenset({"PERSON", "LOCATION", "ORGANIZATION", "PHONE", "EMAIL", "IBAN",
                    "CRYPTO_WALLET", "URL", "MONEY", "DATE"})
_NS = "sightline-synthetic-v1"  # change to change every output on purpose, never by accident
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_SLOT = re.compile(r"\{(\w+)\}")
_MIN_WORDS, _MAX_WORDS = 80, 300
_CACHE = 64  # networks kept; a cross-network mention reaches at most 20 networks back
_FAR = ("VN", "NG")  # origins whose journeys take weeks and cost thousands


@dataclass(frozen=True, slots=True)
class SyntheticEntity:
    """A name or identifier the generator inserted: ``text[start:end]`` is its surface form."""

    start: int
    end: int
    label: str
    value: str  # PHONE as E.164, EMAIL lower-case, IBAN compact upper-case, else the surface


@dataclass(frozen=True, slots=True)
class SyntheticNarrative:
    """One generated narrative, its submission metadata and its ground-truth entities."""

    id: str
    text: str
    metadata: dict[str, str]
    entities: tuple[SyntheticEntity, ...]


@dataclass(frozen=True, slots=True)
class _Piece:
    """What a template slot expands to; ``label`` None means plain text, not an entity."""

    surface: str
    label: str | None = None
    value: str = ""


@dataclass(frozen=True, slots=True)
class _Person:
    first: str
    last: str  # family name
    full: str  # as written in a record (Vietnamese: family, middle, given)
    female: bool


@dataclass(frozen=True, slots=True)
class _Phone:
    """A phone's surface forms. National forms parse only in the phone's own region, and
    "00" forms only where 00 dials abroad, which holds for every destination country."""

    e164: str
    region: str
    international: tuple[str, ...]
    national: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Business:
    name: str  # registered name with legal suffix
    short: str  # trading name, as people say it
    city: str


@dataclass(frozen=True, slots=True)
class _Network:
    """Everything the narratives of one network share: the truth that links them."""

    size: int
    exploitation: str
    origin: str
    dest: str
    route: tuple[str, str, str]  # origin city, via, destination city
    modes: tuple[str, str]
    recruiter: _Person
    controller: _Person
    businesses: tuple[_Business, ...]
    phones: tuple[_Phone, ...]
    iban: str
    wallet: str | None
    email: str | None
    url: str | None
    agency: str | None
    driver: tuple[_Person, _Phone] | None
    start: int  # year * 12 + month index: when the network began recruiting


# Which slots each template needs, computed once: a read-only constant, not mutable state.
_NEEDS: Mapping[str, frozenset[str]] = MappingProxyType({
    t: frozenset(s[0].lower() + s[1:] for s in _SLOT.findall(t))
    for group in (*P.T.values(), *(v for c in P.CONTROL.values() for v in c)) for t in group})


def generate_narratives(n: int, seed: int = 0) -> Iterator[SyntheticNarrative]:
    """Yield ``n`` narratives for ``seed``: same arguments, same output; any prefix is stable.

    Arguments are checked here, not inside the generator, so bad input fails at the call
    rather than at the first ``next()``.
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"n must be a non-negative integer, got {n!r}")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError(f"seed must be an integer, got {seed!r}")
    return _stream(n, seed)


def _stream(n: int, seed: int) -> Iterator[SyntheticNarrative]:
    ends: list[int] = []  # ends[j]: first position after network j's block
    cache: OrderedDict[int, _Network] = OrderedDict()

    def network(j: int) -> _Network:
        if j not in cache:
            cache[j] = _make_network(seed, j)
            if len(cache) > _CACHE:
                cache.popitem(last=False)
        cache.move_to_end(j)
        return cache[j]

    def locate(pos: int) -> int:
        while not ends or ends[-1] <= pos:
            ends.append((ends[-1] if ends else 0) + network(len(ends)).size)
        return bisect.bisect_right(ends, pos)

    for i in range(n):
        rng = random.Random(f"{_NS}:{seed}:doc:{i}")
        j = locate(max(0, i + rng.randint(-6, 6)))
        other = None
        if rng.random() < 0.2:
            k = rng.randint(max(0, j - 20), j + 3)
            other = network(k if k != j else j + 1)
        yield _make_narrative(rng, i, network(j), other)


# --- names, identifiers, amounts and dates ------------------------------------------------

def _weighted(rng: random.Random, weights: Mapping[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _slug(text: str, sep: str = "-") -> str:
    """ASCII slug of a name for an email address or URL (Ł and Đ do not decompose)."""
    text = text.translate(str.maketrans("łŁđĐ", "lLdD"))
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", sep, text).strip(sep)


def _person(rng: random.Random, nat: str, female: bool) -> _Person:
    """A fictional person; female surnames inflect as a real register would show them."""
    _, males, females, surnames = P.NAMES[nat]
    first, last = rng.choice(females if female else males), rng.choice(surnames)
    if female and nat == "PL" and last.endswith(("ski", "cki", "dzki")):
        last = last[:-1] + "a"
    elif female and nat == "BG" and last.endswith(("ov", "ev", "in")):
        last += "a"
    elif female and nat == "SK":
        last = last[:-1] + "á" if last.endswith("ý") else last.removesuffix("a") + "ová"
    if nat == "VN":  # family, middle, given; the middle name marks gender
        return _Person(first, last, f"{last} {rng.choice(P.VN_MIDDLE[female])} {first}", female)
    return _Person(first, last, f"{first} {last}", female)


def _make_phone(rng: random.Random, cc: str) -> _Phone:
    """A mobile number valid for ``cc``, never in the UK drama range 07700 900xxx."""
    prefixes, lengths = P.PHONE_PLANS[cc]
    code = phonenumbers.country_code_for_region(cc)
    for _ in range(200):
        prefix = rng.choice(prefixes)
        rest = rng.choice(lengths) - len(prefix)
        nsn = prefix + str(rng.randrange(10 ** rest)).zfill(rest)
        num = phonenumbers.PhoneNumber(country_code=code, national_number=int(nsn))
        if (not (cc == "GB" and nsn.startswith("7700900")) and phonenumbers.is_valid_number(num)
                and phonenumbers.region_code_for_number(num) == cc):
            break
    else:  # pragma: no cover - the phone plans are exercised by the tests
        raise RuntimeError(f"no valid mobile number found for {cc}")
    fmt = phonenumbers.PhoneNumberFormat
    intl = phonenumbers.format_number(num, fmt.INTERNATIONAL)
    e164 = phonenumbers.format_number(num, fmt.E164)
    national = phonenumbers.format_number(num, fmt.NATIONAL)
    return _Phone(e164, cc, (intl, intl, e164, "00" + intl[1:], "00" + e164[1:], intl.replace(" ", "-")),
                  (national, national.replace(" ", "")))


def _make_iban(rng: random.Random, cc: str) -> str:
    """An IBAN whose BBAN follows the registry structure and whose check digits are right."""
    body = []
    for k, (count, kind) in enumerate(re.findall(r"(\d+)!([nac])", P.IBAN_BBAN[cc])):
        if k == 0 and kind == "a" and cc in P.BANK_CODES:
            body.append(rng.choice(P.BANK_CODES[cc]))
            continue
        for _ in range(int(count)):
            letter = kind == "a" or (kind == "c" and rng.random() < 0.15)
            body.append(rng.choice("ABCDEFGHIJKLMNOPRSTUVWXYZ") if letter else str(rng.randrange(10)))
    bban = "".join(body)
    number = cc + _iban.calc_check_digits(cc + "00" + bban) + bban
    if not _iban.is_valid(number):  # pragma: no cover - guarded by the tests
        raise RuntimeError(f"generated an invalid IBAN {number}")
    return number


def _money(rng: random.Random, cc: str, gbp: float) -> str:
    """An amount in ``cc``'s currency, rounded as people say it, in one of several styles."""
    symbol, word, rate = P.CURRENCY[cc]
    amount = gbp * rate
    step = 500 if amount >= 20000 else 100 if amount >= 1000 else 10 if amount >= 100 else 1
    amount = max(step, round(amount / step) * step)
    digits = f"{amount:,}" if amount >= 1000 and rng.random() < 0.8 else str(amount)
    if symbol and rng.random() < 0.65:
        return symbol + digits
    return f"EUR {digits}" if symbol == "€" and rng.random() < 0.3 else f"{digits} {word}"


def _date(rng: random.Random, m: int, day: int | None, region: str) -> str:
    """``m`` is year * 12 + month index; without a day, a month ("March 2019") or a year."""
    y, mo = divmod(m, 12)
    if day is None:
        return f"{_MONTHS[mo]} {y}" if rng.random() < 0.85 else str(y)
    forms = [f"{day:02d}/{mo + 1:02d}/{y}", f"{day} {_MONTHS[mo]} {y}", f"{y}-{mo + 1:02d}-{day:02d}"]
    return rng.choice(forms + ([f"{day:02d}.{mo + 1:02d}.{y}"] if region != "GB" else []))


# --- networks -----------------------------------------------------------------------------

def _make_network(seed: int, j: int) -> _Network:
    """Network ``j`` of ``seed``: a pure function, so it can be rebuilt after eviction."""
    rng = random.Random(f"{_NS}:{seed}:net:{j}")
    size = rng.randint(15, 25)
    exploitation = _weighted(rng, {k: int(c["weight"]) for k, c in P.EXPLOITATION.items()})
    cfg: dict[str, Any] = P.EXPLOITATION[exploitation]
    origin = _weighted(rng, cfg["origins"])
    dest = "GB" if origin == "GB" else _weighted(rng, cfg["dests"])
    o_city, d_city = rng.choice(P.CITIES[origin]), rng.choice(P.CITIES[dest])
    transit = [c for c, _ in P.TRANSIT[origin] + (P.CHANNEL_TRANSIT if dest in ("GB", "IE") else ())]
    vias = [c for c in (P.CITIES[origin] if origin == dest else transit) if c not in (o_city, d_city)]
    madam_p = (0.85 if origin == "NG" else 0.45) if exploitation == "sexual" else 0.3
    recruiter = _person(rng, origin, rng.random() < madam_p)
    boss_nat = dest if dest in P.NAMES and rng.random() < 0.3 else origin
    controller = _person(rng, boss_nat, rng.random() < (0.5 if madam_p > 0.8 else 0.15))
    businesses = []
    for k in range(rng.choice((1, 1, 2, 2, 3))):
        city = d_city if k == 0 or rng.random() < 0.5 else rng.choice(P.CITIES[dest])
        short = rng.choice(cfg["businesses"]).format(
            word=rng.choice(P.BUSINESS_WORDS), surname=controller.last, city=city)
        businesses.append(_Business(f"{short} {rng.choice(P.LEGAL_SUFFIX[dest])}", short, city))
    phone_ccs = [origin] + [dest if rng.random() < 0.7 else origin for _ in range(rng.choice((0, 1, 1, 2)))]
    email = url = agency = driver = None
    if rng.random() < 0.55:
        a, b = _slug(recruiter.first, ""), _slug(recruiter.last, "")
        local = rng.choice((f"{a}.{b}", f"{a}_{b}", f"{a}{b}", f"{a[0]}{b}"))
        email = local + rng.choice(("", str(rng.randint(1, 99)), str(rng.randint(1975, 2004))))
        email += "@" + rng.choice(P.EMAIL_DOMAINS)
    if rng.random() < (0.5 if exploitation.startswith("labour") else 0.2):
        agency = rng.choice(P.AGENCY_PATTERNS).format(
            word=rng.choice(P.BUSINESS_WORDS), surname=_person(rng, origin, False).last)
        agency += " " + rng.choice(P.LEGAL_SUFFIX[origin])
    if rng.random() < 0.45:
        url = rng.choice((f"facebook.com/{_slug(recruiter.full, '.')}.{rng.randint(1, 999)}",
                          f"www.{_slug(businesses[0].short)}.{P.TLD[dest]}",
                          f"https://www.{_slug(businesses[0].short)}-{_slug(d_city)}.{P.TLD[dest]}/jobs"))
    if rng.random() < 0.4:  # one driver serves every sixth-block of networks from a country
        drng = random.Random(f"{_NS}:{seed}:driver:{origin}:{j // 6}")
        driver = (_person(drng, origin, False), _make_phone(drng, origin))
    wallet_p = 0.45 if exploitation in ("sexual", "criminal") else 0.2
    return _Network(
        size=size, exploitation=exploitation, origin=origin, dest=dest,
        route=(o_city, rng.choice(vias), d_city),
        modes=(rng.choice(P.MODES[origin][0]), rng.choice(P.MODES[origin][1])),
        recruiter=recruiter, controller=controller, businesses=tuple(businesses),
        phones=tuple(_make_phone(rng, cc) for cc in phone_ccs),
        iban=_make_iban(rng, next(c for c in (dest, origin, "GB") if c in P.IBAN_BBAN)),
        wallet=rng.choice(P.WALLETS) if rng.random() < wallet_p else None,
        email=email, url=url, agency=agency, driver=driver,
        start=rng.randint(2013, 2020) * 12 + rng.randrange(12))


# --- narratives ---------------------------------------------------------------------------

def _context(rng: random.Random, net: _Network, other: _Network | None) -> tuple[dict[str, _Piece], str]:
    """Every slot a template may use, drawn once so repeated mentions agree.

    Returns the slots and the report date in ISO form (the narrative's metadata date).
    """
    cfg: dict[str, Any] = P.EXPLOITATION[net.exploitation]
    region, far = net.dest, net.origin in _FAR
    victim = _person(rng, net.origin, rng.random() < cfg["female"])
    age = rng.randint(*cfg["ages"])
    recruit = net.start + rng.randint(0, 18)
    travel = recruit + rng.randint(0, 2)
    escape = travel + rng.randint(1, 30)
    report, report_dom = escape + rng.randint(0, 8), rng.randint(1, 28)
    businesses = rng.sample(net.businesses, len(net.businesses))

    def ent(text: str, label: str, value: str | None = None) -> _Piece:
        return _Piece(text, label, text if value is None else value)

    def name(p: _Person, first_only: bool = False) -> _Piece:
        return ent(p.first if first_only else p.full, "PERSON")

    def phone(ph: _Phone) -> _Piece:
        forms = ph.international + (ph.national * 3 if ph.region == region else ())
        return ent(rng.choice(forms), "PHONE", ph.e164)

    def org(b: _Business) -> _Piece:
        return ent(b.name if rng.random() < 0.35 else b.short, "ORGANIZATION")

    def money(low: int, high: int) -> _Piece:
        return ent(_money(rng, region, rng.randint(low, high)), "MONEY")

    def day(m: int, dom: int | None = None) -> _Piece:
        return ent(_date(rng, m, dom or rng.randint(1, 28), region), "DATE")

    weekly = rng.randint(250, 600)
    ctx: dict[str, _Piece] = {
        "victim": name(victim), "victim_first": name(victim, True), "age": _Piece(str(age)),
        "birth_year": _Piece(str(recruit // 12 - age)), "man": _Piece("woman" if victim.female else "man"),
        "dob": day((recruit // 12 - age) * 12 + rng.randrange(12)),
        "nationality": _Piece(P.NAMES[net.origin][0]),
        "home": ent(net.route[0] if rng.random() < 0.6 else rng.choice(P.CITIES[net.origin]), "LOCATION"),
        "home_country": ent(P.COUNTRY_NAMES[net.origin], "LOCATION"),
        "recruiter": name(net.recruiter, rng.random() < 0.25), "recruiter_first": name(net.recruiter, True),
        "r_person": _Piece("woman" if net.recruiter.female else "man"),
        "controller": name(net.controller, rng.random() < 0.2), "controller_first": name(net.controller, True),
        "origin": ent(net.route[0], "LOCATION"), "via": ent(net.route[1], "LOCATION"),
        "dest": ent(net.route[2], "LOCATION"), "dest_country": ent(P.COUNTRY_NAMES[net.dest], "LOCATION"),
        "mode1": _Piece(net.modes[0]), "mode2": _Piece(net.modes[1]),
        "recruit_month": ent(_date(rng, recruit, None, region), "DATE"),
        "travel_month": ent(_date(rng, travel, None, region), "DATE"), "travel_day": day(travel),
        "escape_month": ent(_date(rng, escape, None, region), "DATE"), "escape_day": day(escape),
        "report_day": day(report, report_dom),
        "travel_days": _Piece(str(rng.randint(20, 90) if far else rng.randint(2, 9))),
        "fee": money(150 * (30 if far else 1), 900 * (30 if far else 1)),
        "debt": money(800 * (4 if far else 1), 9000 * (4 if far else 1)),
        "promised": money(weekly, weekly), "promised_month": money(weekly * 4, weekly * 4),
        "paid": money(0, 80), "price": money(*cfg["price"]),
        "unit": _Piece(rng.choice(cfg["unit"])), "job": _Piece(rng.choice(cfg["jobs"])),
        **dict(zip(("work", "work2"), map(_Piece, rng.sample(cfg["work"], 2)))), "business": org(businesses[0]),
        "biz_city": ent(businesses[0].city, "LOCATION"),
        "street": ent(f"{rng.randint(2, 180)} {rng.choice(P.STREETS[net.dest])}", "LOCATION"),
        "hours": _Piece(str(rng.randint(11, 18))), "days": _Piece(str(rng.choice((6, 7, 7)))),
        "start": _Piece(rng.choice(("5", "6", "7"))), "workers_n": _Piece(str(rng.randint(3, 14))),
        "phone": phone(net.phones[0]), "phone2": phone(net.phones[-1]),
        "iban": ent(_iban.format(net.iban) if rng.random() < 0.5 else net.iban, "IBAN", net.iban),
        "ngo": ent(rng.choice(P.NGOS), "ORGANIZATION"),
        "ref": _Piece(f"{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}-{rng.randrange(10000):04d}"
                      if rng.random() < 0.6 else f"CR/{report // 12}/{rng.randrange(100000):05d}"),
        "case_ref": _Piece(f"SL-{report // 12}-{rng.randrange(10000):04d}"),
        "nrm_ref": _Piece(f"NRM-{report // 12}-{rng.randrange(1000000):06d}"),
        "time": _Piece(f"{rng.randint(0, 23):02d}:{rng.randrange(0, 60, 5):02d}"),
        "weeks": _Piece(str(rng.randint(1, 4))),
    }
    for prefix, female in (("", victim.female), ("r_", net.recruiter.female), ("c_", net.controller.female)):
        for slot, word in zip(("she", "her", "her_p"), ("she", "her", "her") if female else ("he", "him", "his")):
            ctx[prefix + slot] = _Piece(word)
    optional = {
        "business2": len(businesses) > 1 and org(businesses[1]),
        "wallet": net.wallet and ent(net.wallet, "CRYPTO_WALLET"), "url": net.url and ent(net.url, "URL"),
        "agency": net.agency and ent(net.agency, "ORGANIZATION"),
        "language": net.origin in P.LANGUAGE and _Piece(P.LANGUAGE[net.origin]),
        "foreign": net.origin != "GB" and _Piece(""),  # guards: empty slots that enable a template
        "lover": net.exploitation == "sexual" and not net.recruiter.female and _Piece(""),
        "madam": net.exploitation == "sexual" and net.origin == "NG" and net.recruiter.female and _Piece(""),
    }
    ctx.update({k: v for k, v in optional.items() if v})
    if net.email:
        local, domain = net.email.split("@")
        shown = net.email if rng.random() < 0.85 else ".".join(x.capitalize() for x in local.split(".")) + "@" + domain
        ctx["email"] = ent(shown, "EMAIL", net.email)
    if net.driver:
        ctx["driver"], ctx["driver_phone"] = name(net.driver[0]), phone(net.driver[1])
    if other is not None:
        ctx.update(x_recruiter=name(other.recruiter), x_controller=name(other.controller),
                   x_phone=phone(rng.choice(other.phones)), x_business=org(other.businesses[0]),
                   x_city=ent(other.businesses[0].city, "LOCATION"))
    return ctx, f"{report // 12}-{report % 12 + 1:02d}-{report_dom:02d}"


def _render(template: str, ctx: Mapping[str, _Piece]) -> tuple[str, list[tuple[int, int, str, str]]]:
    """Fill a template, returning its text and the entity spans relative to its start."""
    out: list[str] = []
    spans: list[tuple[int, int, str, str]] = []
    pos = 0
    for k, part in enumerate(_SLOT.split(template)):
        if k % 2:
            piece = ctx.get(part)
            if piece is None:  # capitalised form of a plain slot, e.g. {She}
                plain = ctx[part[0].lower() + part[1:]].surface
                piece = _Piece(plain[:1].upper() + plain[1:])
            if piece.label:
                spans.append((pos, pos + len(piece.surface), piece.label, piece.value))
            part = piece.surface
        out.append(part)
        pos += len(part)
    text = "".join(out)
    if text[:1].islower() and not (spans and spans[0][0] == 0):
        text = text[0].upper() + text[1:]
    return text, spans


def _pick(rng: random.Random, templates: Sequence[str], ctx: Mapping[str, _Piece], k: int = 1) -> list[str]:
    """Up to ``k`` distinct templates whose slots the context can fill."""
    usable = [t for t in templates if _NEEDS[t] <= ctx.keys()]
    return rng.sample(usable, min(k, len(usable)))


def _plan(rng: random.Random, style: str, ctx: Mapping[str, _Piece], other: bool) -> list[list[tuple[str, bool]]]:
    """Choose the sentences: three paragraphs of (template, may be dropped) pairs."""
    fp = style == "first_person"
    v = "fp" if fp else "tp"
    frames = P.T["cw_frame"] if style == "caseworker" else P.T["po_frame"]

    def framed(t: str) -> str:  # "She said that ..." so third-person notes do not all read alike
        if fp or rng.random() > 0.25 or t.startswith(("{lover}", "{madam}", "{foreign}")):
            return t
        t = "{" + t[1].lower() + t[2:] if t.startswith("{") and t[1].isupper() else t[0].lower() + t[1:]
        return rng.choice(frames) + t

    prefix = {"first_person": "fp", "caseworker": "cw", "police": "po"}[style]
    intro = [(t, False) for t in _pick(rng, P.T[prefix + "_open"], ctx, 1 + (style == "police" and rng.random() < 0.3))]
    intro += [(framed(t), False) for t in _pick(rng, P.T[v + "_recruit"], ctx)]
    if rng.random() < 0.5:
        intro += [(t, True) for t in _pick(rng, P.T[v + "_contact"], ctx)]
    intro += [(framed(t), False) for t in _pick(rng, P.T[v + "_travel"], ctx)]
    body = [(framed(t), k > 0) for k, t in enumerate(_pick(rng, P.T[v + "_work"], ctx, rng.randint(1, 3)))]
    for k, method in enumerate(rng.sample(list(P.CONTROL), rng.randint(2, 5))):
        variants = P.CONTROL[method][(2 if rng.random() < 0.2 else 0) + (0 if fp else 1)]
        body += [(framed(t), k > 0) for t in _pick(rng, variants, ctx)]
    extra = [(t, True) for t in _pick(rng, P.T[v + "_iban"], ctx, int(rng.random() < 0.7))]
    extra += [(t, True) for t in _pick(rng, P.T[v + "_pay"], ctx, int(rng.random() < 0.6))]
    extra += [(t, True) for t in _pick(rng, P.T[v + "_phone"], ctx, rng.choice((0, 1, 1)))]
    extra += [(t, False) for t in _pick(rng, P.T[v + "_cross"], ctx, int(other))]
    rng.shuffle(extra)
    closers = P.T[prefix + "_close"]
    chosen = sorted(_pick(rng, closers, ctx, rng.randint(1, 2)), key=closers.index)  # story order
    close = [(t, k > 0) for k, t in enumerate(chosen)]
    return [intro, body + extra, close]


def _make_narrative(rng: random.Random, i: int, net: _Network, other: _Network | None) -> SyntheticNarrative:
    """Narrative ``i``: sentences rendered one by one, fitted to length, joined with offsets."""
    style = _weighted(rng, P.STYLES)
    ctx, report_iso = _context(rng, net, other)
    paragraphs = [[(*_render(t, ctx), opt) for t, opt in para] for para in _plan(rng, style, ctx, other is not None)]
    words = sum(len(s[0].split()) for para in paragraphs for s in para)
    droppable = [(p, s) for p, para in enumerate(paragraphs) for s, x in enumerate(para) if x[2]]
    while words > _MAX_WORDS and droppable:  # latest first, so indices stay valid
        p, s = droppable.pop()
        words -= len(paragraphs[p].pop(s)[0].split())
    extras = _pick(rng, P.T[("fp" if style == "first_person" else "tp") + "_extra"], ctx, 4)
    while words < _MIN_WORDS and extras:
        text, spans = _render(extras.pop(), ctx)
        paragraphs[1].append((text, spans, True))
        words += len(text.split())
    joiner = "\n\n" if rng.random() < 0.6 else " "
    parts: list[str] = []
    entities: list[SyntheticEntity] = []
    pos = 0
    for para in (p for p in paragraphs if p):
        for k, (text, spans, _) in enumerate(para):
            sep = (" " if k else joiner) if parts else ""
            parts += [sep, text]
            pos += len(sep)
            entities += [SyntheticEntity(pos + a, pos + b, label, value) for a, b, label, value in spans]
            pos += len(text)
    organisation = ctx["ngo"].surface if style != "police" else f"{net.route[2]} Police - Anti-Trafficking Unit"
    metadata = {
        "organisation": organisation, "date": report_iso, "language": "en",
        "consent": "yes" if rng.random() < 0.92 else "no",
        "source_grading": _weighted(rng, P.RELIABILITY) + _weighted(rng, P.CREDIBILITY),
        "region": net.dest, "style": style, "exploitation": net.exploitation,
    }
    return SyntheticNarrative(f"gen-{i + 1:06d}", "".join(parts), metadata, tuple(entities))
