"""People: names per locale, the forms a mention takes, and pronouns that agree with them.

Annotation rules (data/eval/ANNOTATION.md) make every mention of a person a PERSON span without the
title: the full name, the surname alone, the given name alone and ALL-CAPS forms. A slot ({P1}) is
one person for the whole text, so later mentions can use the short form once the full name was given.
"""

from __future__ import annotations

from faker import Faker

from devset.render_context import Person, Segment, TextContext

PRONOUNS: dict[str, tuple[str, str]] = {
    "he": ("she", "he"), "him": ("her", "him"), "his": ("her", "his"), "hers": ("hers", "his"),
    "sex": ("female", "male"), "woman": ("woman", "man"), "sib": ("sister", "brother"),
    "child": ("daughter", "son"), "girl": ("girl", "boy"),
}


def _first_faker_name(fake: Faker, names: tuple[str, ...]) -> str:
    """Call the first of ``names`` this locale's Faker supports (gendered surnames exist only in some)."""
    for n in names:
        fn = getattr(fake, n, None)
        if fn is not None:
            try:
                return fn()
            except (AttributeError, TypeError):
                continue
    return fake.last_name()


def make_person(ctx: TextContext, gender: str, avoid: set[str]) -> Person:
    """A new person whose name parts are not yet used in the text (``avoid``), in the locale's name order."""
    fk, code, rng = ctx.fake, ctx.loc.code, ctx.rng
    for _ in range(20):
        if gender == "F":
            first = fk.first_name_female()
            last = _first_faker_name(fk, ("last_name_female", "last_name"))
        else:
            first = fk.first_name_male()
            last = _first_faker_name(fk, ("last_name_male", "last_name"))
        first, last = ctx.transliterate(first), ctx.transliterate(last)
        if last not in avoid and first not in avoid and " " not in first:
            break
    short = last
    if code in ("es_ES", "es_MX") and rng.random() < 0.5:
        last2 = ctx.transliterate(fk.last_name())
        if last2 != last:                        # two surnames; the first is the one used alone
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


def get_person(ctx: TextContext, slot: str) -> Person:
    """The person of ``slot``, created on first use (gender forced by a ":M"/":F" token, else drawn)."""
    if slot not in ctx.persons:
        avoid = {w for p in ctx.persons.values() for w in (p.first, p.last, p.short)}
        gender = "F" if ctx.rng.random() < (0.62 if slot == "1" else 0.4) else "M"
        if slot in ctx.forced_gender:
            gender = ctx.forced_gender[slot]
        ctx.persons[slot] = make_person(ctx, gender, avoid)
    return ctx.persons[slot]


def _apply_caps(ctx: TextContext, text: str, p: Person, form: str) -> str:
    """The "allcaps" hard case: the whole name, or only the surname, in capitals."""
    if ctx.caps == "all":
        return text.upper()
    if ctx.caps == "surname":
        if form in ("s", "ts"):
            return text.upper()
        if form in ("", "t") and p.short in text:
            return text.replace(p.short, p.short.upper())
    return text


def render_person(ctx: TextContext, slot: str, form: str) -> list[Segment]:
    """Mention of ``slot`` in ``form``: '' full, 's' short/surname, 'f' given name, 't' title + full,
    'ts' title + surname. A short form before the full name was given becomes the full form, since a
    text would not start with a bare surname. The title is outside the PERSON span.
    """
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
    name = _apply_caps(ctx, name, p, form)
    segs: list[Segment] = []
    if form in ("t", "ts"):
        titles = ("Ms.", "Mrs.", "Miss", "Ms") if p.gender == "F" else ("Mr.", "Mr")
        if ctx.rng.random() < 0.03:
            titles = ("Dr.",)
        segs.append(Segment(ctx.rng.choice(titles) + " "))
    segs.append(Segment(name, "PERSON", meta={"person": slot, "form": form}))
    return segs


def render_pronoun(ctx: TextContext, word: str, slot: str) -> list[Segment]:
    """{he1}, {His2}, {woman1}, ...: the word that agrees with the slot's gender, capitalised like the token."""
    p = get_person(ctx, slot)
    w = PRONOUNS[word.lower()][0 if p.gender == "F" else 1]
    return [Segment(w.capitalize() if word[0].isupper() else w)]
