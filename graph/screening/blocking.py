"""Name blocking: find the flagged names a query name could reach the threshold with, without a scan.

Two levels keep this cheap at 100,000 names and more:

- a **vocabulary** of distinct canonical tokens (``names.screening_tokens``), each with its postings (the
  name records containing it), and
- **token keys** leading to vocabulary tokens, one family per rule of ``names.token_pair``:
  ``d:`` the token and every form with up to one letter deleted (two for tokens of eight letters or more):
  two tokens within the allowed edits (letter changed, added, dropped, neighbours swapped) always share
  one; ``g:`` the stems of ``names.gender_keys`` (Petrov/Petrova share "petrov"); ``m:`` the Metaphone code,
  a phonetic key that also surfaces sound-alike spellings for analysts' candidate lists. Nicknames are
  looked up directly (``names.nicknames``) and initials are handled in the bound below.

A query token is compared (``names.token_pair``) only with the vocabulary tokens its keys and nicknames
reach. The postings of those with a non-zero score give each record an upper bound of the sum its
alignment can reach (each query token's best pair, plus what initials could add); only records whose
bound reaches the threshold times the smallest denominator their lengths allow (``names.min_denominator``)
are scored in full. Every pair ``token_pair`` scores above zero shares a key, and the bound never
undercounts, so blocking never loses a match a full scan finds; the tests check that on the evaluation set.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

import jellyfish

from graph.name_similarity import INITIAL_SCORE
from graph.screening.names import PreparedName, gender_keys, min_denominator, nicknames, token_pair

_ROUNDING = 1e-4  # scores are rounded to four decimals; never let rounding push a record out


@dataclass(frozen=True, slots=True)
class NameRecord:
    entity_id: str
    name: PreparedName
    initials: int  # single-letter tokens


def deletions(token: str) -> set[str]:
    """The token and its forms with one letter deleted (from three letters), two (from eight)."""
    if len(token) < 3:
        return {token}
    radius = 2 if len(token) >= 8 else 1
    return {token} | {"".join(token[i] for i in range(len(token)) if i not in gone)
                      for r in range(1, radius + 1) for gone in combinations(range(len(token)), r)}


@lru_cache(maxsize=131_072)
def token_keys(token: str) -> tuple[str, ...]:
    """The keys a vocabulary token is filed under and a query token looks up."""
    keys = {f"d:{d}" for d in deletions(token)} | {f"g:{g}" for g in gender_keys(token)}
    if len(token) >= 3:
        keys.add(f"m:{jellyfish.metaphone(token)}")
    return tuple(sorted(keys))


class NameBlocks:
    """Name records of one kind (people or companies), findable by similar tokens."""

    def __init__(self) -> None:
        self._records: dict[int, NameRecord] = {}
        self._postings: dict[str, set[int]] = {}
        self._keys: dict[str, set[str]] = {}

    def __len__(self) -> int:
        return len(self._records)

    def records(self) -> Iterator[tuple[int, NameRecord]]:
        return iter(self._records.items())

    def record(self, rid: int) -> NameRecord:
        return self._records[rid]

    def vocabulary_size(self) -> int:
        return len(self._postings)

    def add(self, rid: int, record: NameRecord) -> None:
        self._records[rid] = record
        for token in set(record.name.full_tokens):
            posting = self._postings.get(token)
            if posting is None:
                posting = self._postings[token] = set()
                for key in token_keys(token):
                    self._keys.setdefault(key, set()).add(token)
            posting.add(rid)

    def remove(self, rid: int) -> None:
        record = self._records.pop(rid, None)
        if record is None:
            return
        for token in set(record.name.full_tokens):
            posting = self._postings[token]
            posting.discard(rid)
            if posting:
                continue
            del self._postings[token]
            for key in token_keys(token):
                filed = self._keys[key]
                filed.discard(token)
                if not filed:
                    del self._keys[key]

    def similar_tokens(self, token: str) -> dict[str, float]:
        """Vocabulary tokens that pair with ``token`` above zero, with the pair score."""
        reached: set[str] = {token, *nicknames(token)}
        for key in token_keys(token):
            reached.update(self._keys.get(key, ()))
        found: dict[str, float] = {}
        for other in reached:
            if other in self._postings:
                value = token_pair(token, other)[0]
                if value > 0:
                    found[other] = value
        return found

    def candidates(self, query: PreparedName, threshold: float) -> list[int]:
        """Records whose name score against ``query`` may reach ``threshold``: a superset of the true ones."""
        total: dict[int, float] = {}
        for token in query.full_tokens:
            seen: set[int] = set()
            for other, value in sorted(self.similar_tokens(token).items(), key=lambda kv: -kv[1]):
                for rid in self._postings[other]:
                    if rid not in seen:
                        seen.add(rid)
                        total[rid] = total.get(rid, 0.0) + value
        n_query = len(query.tokens)
        n_full = len(query.full_tokens)
        query_initials = n_query - n_full
        kept: list[int] = []
        for rid, subtotal in total.items():
            record = self._records[rid]
            bound = subtotal + query_initials + INITIAL_SCORE * min(record.initials, n_full)
            if bound >= threshold * min_denominator(n_query, len(record.name.tokens)) - _ROUNDING:
                kept.append(rid)
        return kept
