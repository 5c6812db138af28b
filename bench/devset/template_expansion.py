"""Template expansion: turn a template's {tokens} into text segments, labelled where they are entities.

A token is rendered by the module for its kind of value. Repeating a token repeats its value ({PH1}
twice is one number), except for IBANs, money and dates, which are drawn afresh at each mention.
The token syntax is described in ``devset.genre_templates``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from devset.contact_identifiers import render_email, render_iban, render_phone, render_url
from devset.dates import render_date
from devset.distractors import make_distractor
from devset.money_amounts import render_money
from devset.organisations import render_org
from devset.people import render_person, render_pronoun
from devset.places import render_place
from devset.render_context import Segment, TextContext

TOKEN_RE = re.compile(r"\{([^{}]+)\}")
_OPERATION_NAMES = ("Nightjar", "Aurora", "Kestrel", "Granite", "Lantern", "Meridian", "Tundra", "Harbour")
_PERSON_TOKEN = re.compile(r"P(\d)(s|f|t|ts)?(?::[MF])?")
_PRONOUN_TOKEN = re.compile(r"(he|him|his|hers|sex|woman|sib|child|girl|He|Him|His)(\d)")

Renderer = Callable[[TextContext, str, str], list[Segment]]


def _resolve_value_token(tok: str) -> tuple[Renderer, str, str, bool]:
    """The renderer of a value token, the name and argument it is called with, and whether the value is
    shared by every mention of the same token (IBANs, money and dates are not)."""
    base, _, arg = tok.partition(":")
    name = re.sub(r"#\d+$", "", base)
    arg = re.sub(r"#\d+$", "", arg)
    if name in ("CITY", "CITYST", "CITYU", "ADDR", "FADDR", "COUNTRY", "OCOUNTRY"):
        if name.startswith("CITY") and "#" in base:
            arg = "other"
        return render_place, name, arg, True
    if name in ("ORG", "BIZ", "GOV", "NGO", "SITE", "BANK") or re.fullmatch(r"(ORG|SITE|BIZ)\d", name):
        return render_org, re.sub(r"\d+$", "", name), arg, True
    if re.fullmatch(r"PH\d|PHI\d", name):
        return render_phone, "PHI" if name.startswith("PHI") else "PH", arg, True
    if re.fullmatch(r"EM\d", name):
        return render_email, name, arg, True
    if name == "IBAN":
        return render_iban, name, arg, False       # each IBAN mention is its own account
    if name == "URL":
        return render_url, name, arg, True
    if name in ("MONEY", "MONEYS", "MONEYL"):
        return render_money, name, arg, False      # each amount is drawn afresh
    if name in ("DATE", "NDATE", "YEAR", "PERIOD", "DOB"):
        return render_date, name, arg, False
    raise KeyError(tok)


def _render_token(ctx: TextContext, tok: str) -> list[Segment]:
    if tok.startswith("d:"):
        kind = tok[2:]
        return [Segment(make_distractor(ctx, kind), None, kind=kind)]
    if tok == "W":
        return [Segment(ctx.rng.choice(_OPERATION_NAMES))]
    m = _PERSON_TOKEN.fullmatch(tok)
    if m:
        return render_person(ctx, m.group(1), m.group(2) or "")
    m = _PRONOUN_TOKEN.fullmatch(tok)
    if m:
        return render_pronoun(ctx, m.group(1), m.group(2))
    render, name, arg, shared = _resolve_value_token(tok)
    if not shared:
        return render(ctx, name, arg)
    if tok not in ctx.cache:
        ctx.cache[tok] = render(ctx, name, arg)
    return [s.copy() for s in ctx.cache[tok]]


def expand_template(ctx: TextContext, template: str) -> list[Segment]:
    """The segments of one template: literal text between tokens, and each token's rendering."""
    segs: list[Segment] = []
    pos = 0
    for m in TOKEN_RE.finditer(template):
        if m.start() > pos:
            segs.append(Segment(template[pos:m.start()]))
        segs.extend(_render_token(ctx, m.group(1)))
        pos = m.end()
    if pos < len(template):
        segs.append(Segment(template[pos:]))
    return segs


def expand_sentences(ctx: TextContext, templates: list[str], joiner: str) -> list[Segment]:
    """The segments of a text's sentences, in order, with ``joiner`` between them."""
    segs: list[Segment] = []
    for k, t in enumerate(templates):
        if k:
            segs.append(Segment(joiner))
        segs.extend(expand_template(ctx, t))
    return segs


def wrap_segments(ctx: TextContext, segs: list[Segment], wrap: str) -> list[Segment]:
    """``segs`` put in the place of {BODY} in ``wrap``, whose own tokens are expanded around them."""
    before, _, after = wrap.partition("{BODY}")
    return expand_template(ctx, before) + segs + expand_template(ctx, after)


def uses_token(template: str, prefix: str) -> bool:
    """Whether any token of ``template`` starts with ``prefix`` ("P1", "PH", ...)."""
    return any(t.startswith(prefix) for t in TOKEN_RE.findall(template))


def estimate_words(template: str) -> int:
    """Words of a template before expansion, counting each token as two words."""
    return len(TOKEN_RE.sub("xx yy", template).split())


_LOCAL_SLOTS = re.compile(r"\{(P|EM|he|him|his|He|His|sex|woman|sib|child|girl)3(\w*(?::[MF])?)\}|\{(PH)2\}|\{(URL)\}")


def _braced(inner: str) -> str:
    return "{" + inner + "}"


def localise_slots(template: str, k: int) -> str:
    """Side characters (slot 3), second phones and URLs are local to the sentence that names them.

    P1, P2 and PH1 are the main actors and are shared by every sentence of a text; a P3 or PH2 in the
    k-th sentence becomes a fresh slot so that two sentences never give one person two roles.
    """
    if k == 0:
        return template

    def sub(m: re.Match[str]) -> str:
        if m.group(1):
            return _braced(f"{m.group(1)}{3 + k}{m.group(2)}")
        if m.group(3):
            return _braced(f"PH{2 + k}")
        return _braced(f"URL#{k}")

    return _LOCAL_SLOTS.sub(sub, template)
