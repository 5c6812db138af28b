"""Trafficking networks for the synthetic narratives: the hidden truth that links narratives together.

A network (recruiter, controller, businesses, phones, IBAN, route, ...) is what the narratives of one
block of the corpus share, so that shared recruiters, phones, businesses and routes connect narratives as
they do in real casework. It is a pure function of ``(seed, j)``, which is what lets ``evaluation.
narratives`` drop a network from its cache and rebuild it later, identically.

The people, phone numbers and IBANs are built here too, because a network is made of them: every name is
fictional and every identifier is valid (a real mobile range, a right IBAN checksum) so that extraction
is tested on what it will meet. Word pools come from ``evaluation.narrative_pools``.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import phonenumbers
from stdnum import iban as _iban

from evaluation import narrative_pools as P

#: Seeds every random stream of the generator. Change it to change every output on purpose, never by
#: accident: the benchmarks and tests compare against what these streams produce.
NAMESPACE = "sightline-synthetic-v1"


@dataclass(frozen=True, slots=True)
class Person:
    """A fictional person of a network or a victim: given and family name, and the name in full."""

    first: str
    last: str  # family name
    full: str  # as written in a record (Vietnamese: family, middle, given)
    female: bool


@dataclass(frozen=True, slots=True)
class Phone:
    """A phone's surface forms. National forms parse only in the phone's own region, and
    "00" forms only where 00 dials abroad, which holds for every destination country."""

    e164: str
    region: str
    international: tuple[str, ...]
    national: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Business:
    """A business the network runs in the destination country."""

    name: str  # registered name with legal suffix
    short: str  # trading name, as people say it
    city: str


@dataclass(frozen=True, slots=True)
class Network:
    """Everything the narratives of one network share: the truth that links them."""

    size: int
    exploitation: str
    origin: str
    dest: str
    route: tuple[str, str, str]  # origin city, via, destination city
    modes: tuple[str, str]
    recruiter: Person
    controller: Person
    businesses: tuple[Business, ...]
    phones: tuple[Phone, ...]
    iban: str
    wallet: str | None
    email: str | None
    url: str | None
    agency: str | None
    driver: tuple[Person, Phone] | None
    start: int  # year * 12 + month index: when the network began recruiting


# --- people and identifiers ---------------------------------------------------------------

def weighted(rng: random.Random, weights: Mapping[str, int]) -> str:
    """One key of ``weights``, drawn in proportion to its value."""
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _slug(text: str, sep: str = "-") -> str:
    """ASCII slug of a name for an email address or URL (Ł and Đ do not decompose)."""
    text = text.translate(str.maketrans("łŁđĐ", "lLdD"))
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", sep, text).strip(sep)


def make_person(rng: random.Random, nat: str, female: bool) -> Person:
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
        return Person(first, last, f"{last} {rng.choice(P.VN_MIDDLE[female])} {first}", female)
    return Person(first, last, f"{first} {last}", female)


def _make_phone(rng: random.Random, cc: str) -> Phone:
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
    return Phone(e164, cc, (intl, intl, e164, "00" + intl[1:], "00" + e164[1:], intl.replace(" ", "-")),
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


# --- networks -----------------------------------------------------------------------------

def make_network(seed: int, j: int) -> Network:
    """Network ``j`` of ``seed``: a pure function, so it can be rebuilt after eviction."""
    rng = random.Random(f"{NAMESPACE}:{seed}:net:{j}")
    size = rng.randint(15, 25)
    exploitation = weighted(rng, {k: int(c["weight"]) for k, c in P.EXPLOITATION.items()})
    cfg: dict[str, Any] = P.EXPLOITATION[exploitation]
    origin = weighted(rng, cfg["origins"])
    dest = "GB" if origin == "GB" else weighted(rng, cfg["dests"])
    o_city, d_city = rng.choice(P.CITIES[origin]), rng.choice(P.CITIES[dest])
    transit = [c for c, _ in P.TRANSIT[origin] + (P.CHANNEL_TRANSIT if dest in ("GB", "IE") else ())]
    vias = [c for c in (P.CITIES[origin] if origin == dest else transit) if c not in (o_city, d_city)]
    madam_p = (0.85 if origin == "NG" else 0.45) if exploitation == "sexual" else 0.3
    recruiter = make_person(rng, origin, rng.random() < madam_p)
    boss_nat = dest if dest in P.NAMES and rng.random() < 0.3 else origin
    controller = make_person(rng, boss_nat, rng.random() < (0.5 if madam_p > 0.8 else 0.15))
    businesses = []
    for k in range(rng.choice((1, 1, 2, 2, 3))):
        city = d_city if k == 0 or rng.random() < 0.5 else rng.choice(P.CITIES[dest])
        short = rng.choice(cfg["businesses"]).format(
            word=rng.choice(P.BUSINESS_WORDS), surname=controller.last, city=city)
        businesses.append(Business(f"{short} {rng.choice(P.LEGAL_SUFFIX[dest])}", short, city))
    phone_ccs = [origin] + [dest if rng.random() < 0.7 else origin for _ in range(rng.choice((0, 1, 1, 2)))]
    email = url = agency = driver = None
    if rng.random() < 0.55:
        a, b = _slug(recruiter.first, ""), _slug(recruiter.last, "")
        local = rng.choice((f"{a}.{b}", f"{a}_{b}", f"{a}{b}", f"{a[0]}{b}"))
        email = local + rng.choice(("", str(rng.randint(1, 99)), str(rng.randint(1975, 2004))))
        email += "@" + rng.choice(P.EMAIL_DOMAINS)
    if rng.random() < (0.5 if exploitation.startswith("labour") else 0.2):
        agency = rng.choice(P.AGENCY_PATTERNS).format(
            word=rng.choice(P.BUSINESS_WORDS), surname=make_person(rng, origin, False).last)
        agency += " " + rng.choice(P.LEGAL_SUFFIX[origin])
    if rng.random() < 0.45:
        url = rng.choice((f"facebook.com/{_slug(recruiter.full, '.')}.{rng.randint(1, 999)}",
                          f"www.{_slug(businesses[0].short)}.{P.TLD[dest]}",
                          f"https://www.{_slug(businesses[0].short)}-{_slug(d_city)}.{P.TLD[dest]}/jobs"))
    if rng.random() < 0.4:  # one driver serves every sixth-block of networks from a country
        drng = random.Random(f"{NAMESPACE}:{seed}:driver:{origin}:{j // 6}")
        driver = (make_person(drng, origin, False), _make_phone(drng, origin))
    wallet_p = 0.45 if exploitation in ("sexual", "criminal") else 0.2
    return Network(
        size=size, exploitation=exploitation, origin=origin, dest=dest,
        route=(o_city, rng.choice(vias), d_city),
        modes=(rng.choice(P.MODES[origin][0]), rng.choice(P.MODES[origin][1])),
        recruiter=recruiter, controller=controller, businesses=tuple(businesses),
        phones=tuple(_make_phone(rng, cc) for cc in phone_ccs),
        iban=_make_iban(rng, next(c for c in (dest, origin, "GB") if c in P.IBAN_BBAN)),
        wallet=rng.choice(P.WALLETS) if rng.random() < wallet_p else None,
        email=email, url=url, agency=agency, driver=driver,
        start=rng.randint(2013, 2020) * 12 + rng.randrange(12))

