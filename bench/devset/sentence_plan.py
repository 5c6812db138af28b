"""Which sentences a text is made of: genre, lead and body templates, and the lines added on top.

The plan is drawn before anything is rendered, from the text's own ``rng``; the order of the draws
below is part of the output (changing it changes every text after the first affected draw).
"""

from __future__ import annotations

import random
import re

from devset.extra_templates import DISTRACTOR_LINES, PHONE_CLOSERS, SURNAME_FOLLOWUPS
from devset.genre_templates import GENRES, Genre
from devset.hard_cases import draw_hard_cases
from devset.render_context import TextContext
from devset.template_expansion import estimate_words, localise_slots, uses_token

# India, the Philippines and Mexico do not use IBANs: texts in these locales get no {IBAN} template.
_NO_IBAN_LOCALES = ("en_IN", "en_PH", "es_MX")
# Chats and survivor statements get no added distractor or phone line; those lines read as file notes.
_CLOSED_GENRES = ("chat", "survivor")


def pick_genre(rng: random.Random) -> str:
    """A genre name, drawn by the genres' weights."""
    names = list(GENRES)
    return rng.choices(names, weights=[GENRES[n]["weight"] for n in names], k=1)[0]


def _usable(templates: list[str], iban_ok: bool) -> list[str]:
    return [t for t in templates if iban_ok or "{IBAN}" not in t]


def _choose_templates(rng: random.Random, genre: Genre, iban_ok: bool) -> list[str]:
    """A lead and distinct body sentences: the drawn count, but at least ~22 and at most ~80 words."""
    lo, hi = genre["sentences"]
    leads = _usable(genre["lead"], iban_ok)
    bodies = _usable(genre["body"], iban_ok)
    n = rng.randint(lo, hi)
    chosen = [rng.choice(leads)]
    rest = rng.sample(bodies, len(bodies))
    while rest and (len(chosen) < n or sum(map(estimate_words, chosen)) < 22) and len(chosen) < hi:
        chosen.append(rest.pop())
    while len(chosen) > 1 and sum(map(estimate_words, chosen)) > 80:
        chosen.pop()
    return chosen


def plan_templates(ctx: TextContext, genre_name: str, genre: Genre) -> tuple[list[str], list[str]]:
    """The templates of one text, in order, and the hard cases it is planned with.

    Also records in ``ctx`` the genders the templates force on person slots ({P2:M}).
    """
    rng = ctx.rng
    iban_ok = ctx.loc.code not in _NO_IBAN_LOCALES
    templates = _choose_templates(rng, genre, iban_ok)
    hard = draw_hard_cases(ctx)
    if "surname_repeat" in hard:
        if genre_name != "chat" and any(uses_token(t, "P1") for t in templates):
            templates = templates[:3] + [rng.choice(SURNAME_FOLLOWUPS)]
        else:
            hard.remove("surname_repeat")
    if len(templates) < 4 and genre_name not in _CLOSED_GENRES and rng.random() < 0.3:
        templates.append(rng.choice(DISTRACTOR_LINES))
    # make sure about two thirds of texts carry a phone number
    if not any(uses_token(t, "PH") for t in templates) and rng.random() < 0.45 and len(templates) < 4 \
            and genre_name not in _CLOSED_GENRES:
        templates.append(rng.choice(PHONE_CLOSERS))

    if genre_name != "chat":
        templates = [localise_slots(t, k) for k, t in enumerate(templates)]
    for t in templates:
        for slot, g in re.findall(r"\{P(\d)\w*:([MF])\}", t):
            ctx.forced_gender[slot] = g
    return templates, hard
