"""Name blocking: find the flagged names a query name could reach the threshold with, without a scan.

Two levels keep this cheap at 100,000 names and more:

- a **vocabulary** of distinct canonical tokens (``names.screening_tokens``, initials included), each with
  its postings (the name records containing it), and
- **token keys** leading to vocabulary tokens, one family per rule of ``names.token_pair``:
  ``d:`` the token and every form with one letter deleted: two tokens one edit apart (a letter changed,
  added or dropped, or two neighbours swapped) always share one; ``g:`` the stems of ``names.gender_keys`` (Petrov/Petrova share "petrov"). Nicknames are looked up
  directly (``names.nicknames``), and a query token reaches the initial it starts with. The phonetic part
  of blocking is the canonical spelling itself (``names.canonical``: "Aleksey" and "Alexei" are one
  token). A Metaphone key with a sound-alike rule (same code, same first letter, up to three edits) was
  tried and left out: on the evaluation set's 11,339 name pairs it gained two true matches and two false
  ones at the default threshold, and cost a key per token.

A query token is compared (``names.token_pair``) only with the vocabulary tokens its keys reach; each
record gets, per query token, the best pair score among its tokens: an upper bound of what its alignment
can reach. Query tokens are taken rarest first, and a record is admitted as a candidate only while the
tokens still to come could lift a newcomer to the threshold; after that, common tokens ("Maria",
"Nguyen") only add to the records already admitted, so their long postings are never walked. Only
records whose bound (plus one per query initial) reaches the threshold times the smallest denominator
their lengths allow (``names.min_denominator``) are scored in full. Every pair ``token_pair`` scores above
zero shares a key and no bound undercounts, so blocking never loses a match a full scan finds; the tests
compare the two on the evaluation set.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from screening.names import LONGEST_FUZZY_TOKEN, PreparedName, gender_keys, min_denominator, nicknames, token_pair

_ROUNDING = 1e-4  # scores are rounded to four decimals; never let rounding push a record out
_LONGEST_EXTRA = 12  # record lengths considered for the admission floor beyond the query's own


@dataclass(frozen=True, slots=True)
class NameRecord:
    entity_id: str
    name: PreparedName


def deletions(token: str) -> set[str]:
    """The token and, from three letters (up to ``LONGEST_FUZZY_TOKEN``), its forms with one letter deleted."""
    if not 3 <= len(token) <= LONGEST_FUZZY_TOKEN:
        return {token}
    return {token} | {token[:i] + token[i + 1:] for i in range(len(token))}


@lru_cache(maxsize=131_072)
def token_keys(token: str) -> tuple[str, ...]:
    """The keys a vocabulary token is filed under and a query token looks up."""
    return tuple(sorted({f"d:{d}" for d in deletions(token)} | {f"g:{g}" for g in gender_keys(token)}))


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
        for token in set(record.name.tokens):
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
        for token in set(record.name.tokens):
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
        """Vocabulary tokens that pair with the full token ``token`` above zero, with the pair score."""
        reached: set[str] = {token, token[0], *nicknames(token)}
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
        n_query = len(query.tokens)
        initials = n_query - len(query.full_tokens)
        need = {n: threshold * min_denominator(n_query, n) - _ROUNDING for n in range(1, n_query + _LONGEST_EXTRA)}
        floor = min(need.values())
        similar = [self.similar_tokens(t) for t in query.full_tokens]
        volume = [sum(len(self._postings[v]) for v in found) for found in similar]
        order = sorted(range(len(similar)), key=volume.__getitem__)
        best = [max(similar[i].values(), default=0.0) for i in order]
        total: dict[int, float] = {}
        for step, i in enumerate(order):
            found = similar[i]
            if sum(best[step:]) + initials >= floor:  # a record first seen now could still make it
                seen: set[int] = set()
                for other, value in sorted(found.items(), key=lambda kv: -kv[1]):
                    for rid in self._postings[other]:
                        if rid not in seen:
                            seen.add(rid)
                            total[rid] = total.get(rid, 0.0) + value
            else:  # too late to admit anyone: only raise the bounds of records already admitted
                for rid in total:
                    total[rid] += max((found.get(t, 0.0) for t in self._records[rid].name.tokens), default=0.0)
        kept: list[int] = []
        for rid, subtotal in total.items():
            n_record = len(self._records[rid].name.tokens)
            if subtotal + initials >= need.get(n_record, need[n_query + _LONGEST_EXTRA - 1]):  # need grows with length
                kept.append(rid)
        return kept
