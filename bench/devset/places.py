"""Places: cities (with their state where the locale writes one), streets, full addresses, countries.

Annotation rules (data/eval/ANNOTATION.md): "Houston, TX" is two LOCATION spans, a one-line full
address is one LOCATION span, and a leading "the" ("the Philippines") is outside the span. Each locale
writes its addresses in its own order, so the address formats below follow the local habit.
"""

from __future__ import annotations

import re

from devset.locale_profiles import ORIGIN_COUNTRIES
from devset.render_context import Segment, TextContext


def _new_city(ctx: TextContext) -> tuple[str, str | None]:
    """A (city, state) pair, different from those already in the text if ten draws can find one."""
    if ctx.loc.cities:
        for _ in range(10):
            pair = ctx.rng.choice(ctx.loc.cities)
            if pair not in ctx.city_pairs:
                break
    else:
        for _ in range(10):
            pair = (ctx.transliterate(ctx.fake.city()), None)
            if pair not in ctx.city_pairs:
                break
    ctx.city_pairs.append(pair)
    return pair


def _street(ctx: TextContext) -> str:
    """One line of street address (Faker's, flattened; bg_BG and tr_TR written the way reports do)."""
    code, fk, rng = ctx.loc.code, ctx.fake, ctx.rng
    if code == "bg_BG":
        street_word = "ул." if ctx.native_script else "ul."
        given, family = ctx.transliterate(fk.first_name_male()), ctx.transliterate(fk.last_name_male())
        s = f"{street_word} {given} {family} {rng.randint(1, 140)}"
    elif code == "tr_TR":
        kind = rng.choice(("Sok.", "Cad.", "Sokak", "Caddesi"))
        s = f"{fk.last_name()} {kind} No: {rng.randint(1, 120)}"
        if rng.random() < 0.4:
            s += f"/{rng.randint(1, 20)}"
    else:
        s = ctx.transliterate(fk.street_address())
    s = re.sub(r"\s*\n\s*", ", ", s)
    s = re.sub(r"\s+,", ",", s)
    return re.sub(r"\s{2,}", " ", s).strip(" ,")


def local_postcode(ctx: TextContext) -> str:
    """A postcode of the text's locale, in the text's script."""
    return ctx.transliterate(ctx.fake.postcode())


def full_address(ctx: TextContext, city: str, state: str | None) -> str:
    """Street, city, state and postcode in the order the locale writes them, on one line."""
    code = ctx.loc.code
    street = _street(ctx)
    pc = local_postcode(ctx)
    if code in ("en_US", "en_CA"):
        return f"{street}, {city}, {state} {pc}" if state else f"{street}, {city} {pc}"
    if code == "en_AU":
        return f"{street}, {city} {state} {pc}" if state else f"{street}, {city} {pc}"
    if code in ("en_GB", "en_IE"):
        return f"{street}, {city} {pc}" if ctx.rng.random() < 0.7 else f"{street}, {city}"
    if code == "en_IN":
        return f"{street}, {city} {pc}"
    if code in ("en_PH", "vi_VN"):
        return f"{street}, {city}"
    if code == "pt_BR":
        return f"{street}, {city} - {state}, {pc}" if state else f"{street}, {pc} {city}"
    if code == "es_MX":
        return f"{street}, C.P. {pc}, {city}" + (f", {state}" if state else "")
    return f"{street}, {pc} {city}"


def render_place(ctx: TextContext, name: str, arg: str) -> list[Segment]:
    """{CITY} (the text's main city), {CITY#2} (another), {CITYU}, {CITYST}, {ADDR}, {FADDR}, {COUNTRY},
    {OCOUNTRY}. ``arg`` is "other" for a numbered city token, which never reuses the main city.
    """
    rng = ctx.rng
    if name in ("CITY", "CITYU", "CITYST", "FADDR") and arg != "other":
        if ctx.primary_city is None:
            ctx.primary_city = _new_city(ctx)
        city, state = ctx.primary_city
    elif name.startswith("CITY"):
        city, state = _new_city(ctx)
    if name == "CITY":
        return [Segment(city, "LOCATION")]
    if name == "CITYU":
        return [Segment(city.upper(), "LOCATION")]
    if name == "CITYST":
        if state and rng.random() < 0.85:
            return [Segment(city, "LOCATION"), Segment(", "), Segment(state, "LOCATION")]
        return [Segment(city, "LOCATION")]
    if name == "ADDR":
        return [Segment(_street(ctx), "LOCATION")]
    if name == "FADDR":
        return [Segment(full_address(ctx, city, state), "LOCATION")]
    if name == "COUNTRY":
        return _country_segments(ctx.loc.country)
    if name == "OCOUNTRY":
        return _country_segments(rng.choice(ORIGIN_COUNTRIES))
    raise KeyError(name)


def _country_segments(name: str) -> list[Segment]:
    """A country name as LOCATION, with a leading "the " left outside the span."""
    if name.startswith("the "):
        return [Segment("the "), Segment(name[4:], "LOCATION")]
    return [Segment(name, "LOCATION")]

