"""Build the records: one text per index from its own seed, its gold spans, and its dev/test split.

Every text is generated from its own seed (seed, index, attempt), so ``generate(n)`` is a prefix of
``generate(m)`` for n < m; an attempt that cannot be completed (no valid IBAN, too few or too many
words) is redrawn with the next attempt number. The split is a stable hash of the record id.
"""

from __future__ import annotations

import hashlib
import logging
import random

from faker import Faker

from devset.contact_identifiers import NoValidIban
from devset.extra_templates import WRAPS
from devset.genre_templates import GENRES
from devset.hard_cases import settle_hard_cases
from devset.invisible_chars import strip_invisible, visible_word_count
from devset.locale_profiles import LOCALE_WEIGHTS, LOCALES
from devset.render_context import Segment, TextContext
from devset.sentence_plan import pick_genre, plan_templates
from devset.template_expansion import expand_sentences, wrap_segments

MIN_WORDS = 20
MAX_WORDS = 90
_MAX_ATTEMPTS = 40


def split_of(rid: str) -> str:
    """The split of a record id ("dev" or "test"), from a hash, so a text keeps it whatever the count."""
    h = int(hashlib.sha256(rid.encode("utf-8")).hexdigest()[:8], 16)
    return "dev" if h % 2 == 0 else "test"


def _pick_locale(rng: random.Random) -> str:
    codes = list(LOCALES)
    return rng.choices(codes, weights=[LOCALE_WEIGHTS[c] for c in codes], k=1)[0]


def _flatten_segments(segs: list[Segment]) -> tuple[str, list[dict], list[dict]]:
    """The text, its gold entities and its distractors, with offsets into the text as written."""
    out: list[str] = []
    ents: list[dict] = []
    dis: list[dict] = []
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


def _try_record(rid: str, rng: random.Random, fakers: dict[str, Faker]) -> dict | None:
    """One attempt at the text ``rid``; None when it has to be drawn again."""
    code = _pick_locale(rng)
    fake = fakers[code]
    fake.seed_instance(rng.getrandbits(63))
    ctx = TextContext(LOCALES[code], fake, rng)
    genre_name = pick_genre(rng)
    genre = GENRES[genre_name]
    templates, hard = plan_templates(ctx, genre_name, genre)
    try:
        segs = expand_sentences(ctx, templates, genre.get("join", " "))
        if genre.get("wrap"):
            segs = wrap_segments(ctx, segs, rng.choice(WRAPS))
    except NoValidIban:
        return None
    settle_hard_cases(rng, hard, segs)
    text, ents, dis = _flatten_segments(segs)
    if not MIN_WORDS <= visible_word_count(text) <= MAX_WORDS:
        return None
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


def _build_record(index: int, seed: int, fakers: dict[str, Faker]) -> dict:
    rid = f"f{index + 1:05d}"
    for attempt in range(_MAX_ATTEMPTS):
        rng = random.Random(f"sightline-faker-texts:{seed}:{index}:{attempt}")
        record = _try_record(rid, rng, fakers)
        if record is not None:
            return record
    raise RuntimeError(f"could not build text {rid}")


def _make_fakers() -> dict[str, Faker]:
    """One Faker per locale, quiet, with city tables in a fixed order."""
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
    """``count`` records (see ``devset.faker_texts`` for their fields), the same for the same seed."""
    fakers = _make_fakers()
    return [_build_record(i, seed, fakers) for i in range(count)]
