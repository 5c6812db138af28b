"""Name blocking: find the flagged names a query name could reach the threshold with, without a scan.

Two levels keep this cheap at 100,000 names and more:

- a **vocabulary** of distinct tokens, each with its postings (the name records containing it), and
- **token keys** leading to vocabulary tokens: every token under itself and each form with one letter
  deleted (two tokens one edit apart, a substitution, insertion, deletion or swap of neighbours, always
  share one such form), and under its Metaphone code (spellings that sound alike, such as transliterations).

A query token is compared (``name_similarity.token_similarity``) only with the vocabulary tokens its keys
and nicknames reach; postings of those with a non-zero score give each record an upper bound of the sum
its alignment can reach. Only records whose bound, divided by the smallest denominator the two lengths
allow (``names.min_denominator``), reaches the threshold are scored in full. The bound never undercounts,
so blocking loses a match only if a token pair scores above zero without sharing any key: a Jaro-Winkler
variant two or more edits away that also sounds different. The tests compare the index with a full scan
on the evaluation set to keep that theoretical.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import jellyfish

from graph.name_similarity import INITIAL_SCORE, nicknames, token_similarity
from graph.screening.names import PreparedName, min_denominator

_MIN_FUZZY_LENGTH = 3  # token_similarity forgives spelling only from three letters on


@dataclass(frozen=True, slots=True)
class NameRecord:
    entity_id: str
    name: PreparedName
    initials: int  # single-letter tokens


@lru_cache(maxsize=131_072)
def token_keys(token: str) -> tuple[str, ...]:
    """The keys a vocabulary token is filed under and a query token looks up."""
    if len(token) < _MIN_FUZZY_LENGTH:
        return ()
    deletions = {token} | {token[:i] + token[i + 1:] for i in range(len(token))}
    return (*sorted(f"d:{d}" for d in deletions), f"m:{jellyfish.metaphone(token)}")


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
            reached |= self._keys.get(key, set())
        found: dict[str, float] = {}
        for other in reached:
            if other in self._postings:
                value = token_similarity(token, other)[0]
                if value > 0:
                    found[other] = value
        return found

    def candidates(self, query: PreparedName, threshold: float) -> list[int]:
        """Records whose name score against ``query`` may reach ``threshold``; a superset of the true ones."""
        total: dict[int, float] = {}
        for token in query.full_tokens:
            seen: set[int] = set()
            for other, value in sorted(self.similar_tokens(token).items(), key=lambda kv: -kv[1]):
                for rid in self._postings[other]:
                    if rid not in seen:
                        seen.add(rid)
                        total[rid] = total.get(rid, 0.0) + value
        n_query = len(query.tokens)
        query_initials = n_query - len(query.full_tokens)
        n_full = n_query - query_initials
        kept: list[int] = []
        for rid, subtotal in total.items():
            record = self._records[rid]
            bound = subtotal + query_initials + INITIAL_SCORE * min(record.initials, n_full)
            if bound >= threshold * min_denominator(n_query, len(record.name.tokens)) - 1e-4:  # scores are rounded
                kept.append(rid)
        return kept
