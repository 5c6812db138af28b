"""Hard cases: invisible characters inside names and numbers, ALL-CAPS names, surname-only repeats.

About one text in eight (``HARD_RATE``) is drawn with one or two of them. A text's ``hard`` list says
what it really carries after rendering: a drawn case the text could not show is dropped, and a
surname-only mention that arose anyway is added, so that scores per hard case count the right texts.
"""

from __future__ import annotations

import random

from devset.invisible_chars import INVISIBLES
from devset.render_context import Segment, TextContext

HARD_RATE = 0.12


def draw_hard_cases(ctx: TextContext) -> list[str]:
    """The hard cases this text is planned with; "allcaps" also decides now which name parts are capitals."""
    rng = ctx.rng
    hard: list[str] = []
    if rng.random() < HARD_RATE:
        hard = rng.sample(["invisible", "allcaps", "surname_repeat"], rng.choice((1, 1, 2)))
    if "allcaps" in hard:
        ctx.caps = rng.choice(("all", "surname"))
    return hard


def insert_invisibles(rng: random.Random, segs: list[Segment]) -> bool:
    """Put one to three invisible characters inside a phone number and/or a name; False if there is none.

    The characters go inside the value, never before its first or after its last character, so the
    gold span keeps the same ends as the value's visible text.
    """
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


def settle_hard_cases(rng: random.Random, hard: list[str], segs: list[Segment]) -> None:
    """Apply the "invisible" case to the rendered text and correct ``hard`` to what the text carries."""
    if "invisible" in hard and not insert_invisibles(rng, segs):
        hard.remove("invisible")
    if "allcaps" in hard and not any(s.label == "PERSON" for s in segs):
        hard.remove("allcaps")
    if any(s.label == "PERSON" and s.meta.get("form") in ("s", "ts") for s in segs):
        if "surname_repeat" not in hard:
            hard.append("surname_repeat")
    elif "surname_repeat" in hard:
        hard.remove("surname_repeat")
