"""Deterministic generator of fictional trafficking narratives with known ground truth.

Why it exists: extraction, entity resolution, community detection and the stores all need
realistic input at scale (benchmarks, load tests, demos) without ever touching a real
survivor's story. Because the generator writes every name and identifier itself, it knows
exactly where each one sits in the text, so extraction quality can be measured against it.

How it is built:

* The corpus is cut into consecutive blocks of 15-25 narrative positions; block ``j`` belongs
  to network ``j``. A network (recruiter, controller, businesses, phones, IBAN, route, ...) is
  a pure function of ``(seed, j)`` and narrative ``i`` a pure function of ``(seed, i)`` plus
  the networks it draws on. That gives the prefix property (the first k narratives never
  depend on n) and lets a stream of any length run in constant memory: only a small cache of
  networks is kept, and an evicted network is simply rebuilt.
* Each narrative picks a network near its own position (a small jitter interleaves
  neighbouring networks) and sometimes mentions an actor of another network, and drivers are
  shared by several networks from one country, so shared recruiters, phones, businesses and
  routes link narratives as they do in real casework.
* Randomness comes from ``random.Random`` seeded with strings, which Python hashes with
  SHA-512: output is identical across processes and ignores PYTHONHASHSEED.

This module is the entry point and the stream; the parts live beside it:
``evaluation.narrative_networks`` builds a network (its people, phones and IBAN),
``evaluation.narrative_text`` writes one narrative and records its entities, and
``evaluation.narrative_pools`` holds the word pools and templates (read from ``evaluation/data/``).
"""

from __future__ import annotations

import bisect
import random
from collections import OrderedDict
from collections.abc import Iterator

from evaluation.narrative_networks import NAMESPACE, Network, make_network
from evaluation.narrative_text import LABELS, SyntheticEntity, SyntheticNarrative, make_narrative

__all__ = ["LABELS", "SyntheticEntity", "SyntheticNarrative", "generate_narratives"]

_CACHE = 64  # networks kept; a cross-network mention reaches at most 20 networks back


def generate_narratives(n: int, seed: int = 0) -> Iterator[SyntheticNarrative]:
    """Yield ``n`` narratives for ``seed``: same arguments, same output; any prefix is stable.

    Arguments are checked here, not inside the generator, so bad input fails at the call
    rather than at the first ``next()``.
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"n must be a non-negative integer, got {n!r}")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError(f"seed must be an integer, got {seed!r}")
    return _stream(n, seed)


def _stream(n: int, seed: int) -> Iterator[SyntheticNarrative]:
    """The narratives one by one; networks are built as the stream reaches them and kept in a small cache."""
    ends: list[int] = []  # ends[j]: first position after network j's block
    cache: OrderedDict[int, Network] = OrderedDict()

    def network(j: int) -> Network:
        if j not in cache:
            cache[j] = make_network(seed, j)
            if len(cache) > _CACHE:
                cache.popitem(last=False)
        cache.move_to_end(j)
        return cache[j]

    def locate(pos: int) -> int:
        while not ends or ends[-1] <= pos:
            ends.append((ends[-1] if ends else 0) + network(len(ends)).size)
        return bisect.bisect_right(ends, pos)

    for i in range(n):
        rng = random.Random(f"{NAMESPACE}:{seed}:doc:{i}")
        j = locate(max(0, i + rng.randint(-6, 6)))
        other = None
        if rng.random() < 0.2:
            k = rng.randint(max(0, j - 20), j + 3)
            other = network(k if k != j else j + 1)
        yield make_narrative(rng, i, network(j), other)

