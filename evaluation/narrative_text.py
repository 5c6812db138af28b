"""Writing one synthetic narrative from its network, and the narrative with its ground truth.

A narrative is told in one of three voices (the survivor, a caseworker, the police) from sentence
templates (``evaluation.narrative_pools``). Its facts are drawn once into a context, so that every
mention of a person, phone or date agrees, and the entities are recorded as the template slots are
filled, so their offsets in the text are exact by construction: that is the ground truth extraction is
scored against. Which network a narrative belongs to is decided by ``evaluation.narratives``; the
network itself comes from ``evaluation.narrative_networks``.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from stdnum import iban as _iban

from evaluation import narrative_pools as P
from evaluation.narrative_networks import Business, Network, Person, Phone, make_person, weighted

LABELS = frozenset({"PERSON", "LOCATION", "ORGANIZATION", "PHONE", "EMAIL", "IBAN",
                    "CRYPTO_WALLET", "URL", "MONEY", "DATE"})
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_SLOT = re.compile(r"\{(\w+)\}")
_MIN_WORDS, _MAX_WORDS = 80, 300
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


# Which slots each template needs, computed once: a read-only constant, not mutable state.
_NEEDS: Mapping[str, frozenset[str]] = MappingProxyType({
    t: frozenset(s[0].lower() + s[1:] for s in _SLOT.findall(t))
    for group in (*P.T.values(), *(v for c in P.CONTROL.values() for v in c)) for t in group})


# --- amounts and dates --------------------------------------------------------------------

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


# --- the narrative ------------------------------------------------------------------------

def _context(rng: random.Random, net: Network, other: Network | None) -> tuple[dict[str, _Piece], str]:
    """Every slot a template may use, drawn once so repeated mentions agree.

    Returns the slots and the report date in ISO form (the narrative's metadata date).
    """
    cfg: dict[str, Any] = P.EXPLOITATION[net.exploitation]
    region, far = net.dest, net.origin in _FAR
    victim = make_person(rng, net.origin, rng.random() < cfg["female"])
    age = rng.randint(*cfg["ages"])
    recruit = net.start + rng.randint(0, 18)
    travel = recruit + rng.randint(0, 2)
    escape = travel + rng.randint(1, 30)
    report, report_dom = escape + rng.randint(0, 8), rng.randint(1, 28)
    businesses = rng.sample(net.businesses, len(net.businesses))

    def ent(text: str, label: str, value: str | None = None) -> _Piece:
        return _Piece(text, label, text if value is None else value)

    def name(p: Person, first_only: bool = False) -> _Piece:
        return ent(p.first if first_only else p.full, "PERSON")

    def phone(ph: Phone) -> _Piece:
        forms = ph.international + (ph.national * 3 if ph.region == region else ())
        return ent(rng.choice(forms), "PHONE", ph.e164)

    def org(b: Business) -> _Piece:
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


def make_narrative(rng: random.Random, i: int, net: Network, other: Network | None) -> SyntheticNarrative:
    """Narrative ``i``: sentences rendered one by one, fitted to length, joined with offsets."""
    style = weighted(rng, P.STYLES)
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
        "source_grading": weighted(rng, P.RELIABILITY) + weighted(rng, P.CREDIBILITY),
        "region": net.dest, "style": style, "exploitation": net.exploitation,
    }
    return SyntheticNarrative(f"gen-{i + 1:06d}", "".join(parts), metadata, tuple(entities))
