"""The state one text is rendered with: its segments, its people and everything drawn so far.

Every value renderer (people, places, organisations, identifiers, money, dates, distractors) reads
and writes this one object, so that a name, a city or a phone number mentioned twice in a text is the
same value both times, and so that all randomness of a text comes from its own seeded ``rng``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from faker import Faker

from devset.locale_profiles import LocaleProfile
from devset.transliteration import transliterate_to_latin


@dataclass
class Segment:
    """A piece of the output text; labelled pieces become gold spans, ``kind`` marks distractors."""

    text: str
    label: str | None = None      # gold label or None
    value: str | None = None      # normalised value (PHONE, EMAIL, IBAN, URL)
    kind: str | None = None       # distractor kind
    meta: dict[str, str] = field(default_factory=dict)

    def copy(self) -> Segment:
        """An independent copy, so that a repeated mention can be changed (invisibles) on its own."""
        return Segment(self.text, self.label, self.value, self.kind, dict(self.meta))


@dataclass
class Person:
    """One person slot of a text ({P1}, {P2}, ...), with the name forms its mentions use."""

    first: str
    last: str
    full: str
    short: str                    # the mention used for a repeat (surname; given name in vi_VN)
    gender: str                   # "F" | "M"


class TextContext:
    """Everything one text needs: rng, Faker instance, cached entity values, output segments."""

    def __init__(self, loc: LocaleProfile, fake: Faker, rng: random.Random):
        self.loc = loc
        self.fake = fake
        self.rng = rng
        self.cache: dict[str, list[Segment]] = {}
        self.persons: dict[str, Person] = {}
        self.introduced: set[str] = set()
        self.caps: str | None = None       # None | "all" | "surname"
        # bg_BG and el_GR: one text in five keeps names in Cyrillic or Greek instead of transliterating
        self.native_script = loc.code in ("bg_BG", "el_GR") and rng.random() < 0.2
        self.city_pairs: list[tuple[str, str | None]] = []
        self.primary_city: tuple[str, str | None] | None = None
        self.used_phones: set[str] = set()
        self.forced_gender: dict[str, str] = {}
        self.last_year: int | None = None
        self.last_date: tuple[int, int, int] | None = None
        self.date_format: str | None = None

    def transliterate(self, text: str) -> str:
        """Faker text in the script this text uses (Latin unless ``native_script``)."""
        if self.native_script:
            return text
        return transliterate_to_latin(text, self.loc.code)

    def phone_region(self) -> str:
        """The region code phone numbers without a country code are parsed in ("GB" for en_GB)."""
        return self.loc.code.split("_")[1]
