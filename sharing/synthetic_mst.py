"""MST (McKenna, Miklau and Sheldon, 2021) on OpenDP measurements and private-pgm: the DP mechanism.

The mechanism, on an encoded table (``sharing.synthetic_domain``), with a zCDP budget rho split in thirds:

1. measure every 1-way marginal with Gaussian noise (rho/3 over the d attributes);
2. compress: values whose noisy count is under 3 sigma merge into one bucket per attribute (post-processing
   of step 1, costs nothing), so the model spends no effort on cells that are only noise;
3. select d - 1 pairs as a maximum spanning tree: Kruskal's algorithm where each edge is chosen by the
   exponential mechanism (OpenDP's ``make_noisy_max``, rho/3 over the d - 1 rounds) on the score
   ``|| real 2-way counts - the independent estimate from step 1 ||_1`` (sensitivity 1);
4. measure the selected 2-way marginals with Gaussian noise (rho/3 over d - 1);
5. fit a graphical model to all noisy measurements (private-pgm's mirror descent) and sample from it; a
   record in a merged bucket gets one of the bucket's values uniformly (as the MST reference code does).

Privacy accounting is OpenDP's, not ours: every measurement is a query of one
``make_adaptive_composition`` under zero-concentrated DP whose per-query budgets are fixed in advance
(OpenDP refuses a query over its budget), and rho is the largest budget whose
``make_zCDP_to_approxDP`` / ``make_fix_delta`` conversion gives at most the asked (epsilon, delta).
Neighbouring tables differ by ``d_in`` rows added or removed (``d_in`` = the most rows one victim may
contribute). Our own proof obligation is the stability of the small transformations written here with
OpenDP's ``make_user_transformation`` (hence its "honest-but-curious" feature): a histogram moves by at
most d_in in L2 when d_in rows change, and every MST score moves by at most d_in.

The noise comes from OpenDP's secure sampler and cannot be seeded (a seeded noise is predictable); the
seed fixes the model's sampling only.
"""

from __future__ import annotations

import functools
import math
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np


@lru_cache(maxsize=1)
def _dp() -> Any:
    import opendp.prelude as dp

    dp.enable_features("contrib", "honest-but-curious")
    return dp


@lru_cache(maxsize=1)
def _mbi() -> Any:
    """private-pgm on JAX for CPU, in float64 (float32 stalls on large tables) and without JAX's persistent
    compilation cache (mbi compiles many small programs; the cache only fills the disk). Set before import."""
    os.environ.setdefault("JAX_PLATFORMS", "cpu")
    import jax

    jax.config.update("jax_enable_x64", True)
    jax.config.update("jax_enable_compilation_cache", False)
    import mbi

    return mbi


@dataclass
class Accounting:
    """The privacy spent, as OpenDP's maps give it."""

    epsilon: float
    delta: float
    rho: float
    d_in: int
    queries: int
    plan: list[float] = field(default_factory=list)  # zCDP rho of each query, in order

    def as_dict(self) -> dict[str, Any]:
        return {"epsilon": self.epsilon, "delta": self.delta, "rho_zcdp": self.rho, "rows_per_victim": self.d_in,
                "queries": self.queries, "accountant": "OpenDP 0.16 adaptive composition (zCDP) -> approximate DP"}


class Budget:
    """One adaptive composition of fixed per-query zCDP budgets over the table, converted to (eps, delta)."""

    def __init__(self, plan: list[float], d_in: int, delta: float) -> None:
        dp = _dp()
        self.dp, self.d_in, self.plan = dp, d_in, plan
        self.input_domain = dp.user_domain("EncodedCaseTable", lambda x: isinstance(x, np.ndarray))
        self.input_metric = dp.symmetric_distance()
        composition = dp.c.make_adaptive_composition(self.input_domain, self.input_metric,
                                                     dp.zero_concentrated_divergence(), d_in=d_in, d_mids=plan)
        self.measurement = dp.c.make_fix_delta(dp.c.make_zCDP_to_approxDP(composition), delta)

    def spent(self) -> tuple[float, float]:
        epsilon, delta = self.measurement.map(self.d_in)
        return float(epsilon), float(delta)

    def vector(self, function: Callable[[np.ndarray], list[float]], metric: Any) -> Any:
        """A transformation table -> float vector, ``d_in``-stable in ``metric`` (see the module's proof note)."""
        dp = self.dp
        return dp.t.make_user_transformation(self.input_domain, self.input_metric,
                                             dp.vector_domain(dp.atom_domain(T=float, nan=False)), metric,
                                             function, lambda d: float(d))

    def gaussian(self, function: Callable[[np.ndarray], list[float]], rho: float) -> Any:
        """Counts + Gaussian noise whose zCDP cost at d_in is at most ``rho``."""
        dp = self.dp
        counts = self.vector(function, dp.l2_distance(T=float))
        return _fit(lambda s: counts >> dp.m.then_gaussian(scale=s), self.d_in, rho)

    def noisy_max(self, function: Callable[[np.ndarray], list[float]], rho: float) -> Any:
        """Exponential mechanism (Gumbel noisy max) over scores, zCDP cost at most ``rho``."""
        dp = self.dp
        scores = self.vector(function, dp.linf_distance(T=float))
        return _fit(lambda s: scores >> dp.m.then_noisy_max(dp.zero_concentrated_divergence(), scale=s), self.d_in, rho)


def _fit(make: Callable[[float], Any], d_in: int, rho: float) -> Any:
    """The measurement at the noise scale whose privacy map at d_in is just within rho (rho ~ 1/scale^2)."""
    scale = math.sqrt(float(make(1.0).map(d_in)) / rho)
    for _ in range(60):
        measurement = make(scale)
        if float(measurement.map(d_in)) <= rho:
            return measurement
        scale *= 1.0 + 1e-9 * 2 ** _
    raise RuntimeError("no noise scale fits the privacy budget")


def budget_plan(rho: float, d: int) -> list[float]:
    """MST's split: a third to the d 1-way marginals, a third to the d-1 selection rounds, a third to the
    d-1 2-way marginals (everything to the 1-way marginals when there is a single attribute)."""
    if d == 1:
        return [rho]
    return [rho / 3 / d] * d + [rho / 3 / (d - 1)] * (d - 1) + [rho / 3 / (d - 1)] * (d - 1)


def rho_for(epsilon: float, delta: float, plan: Callable[[float], list[float]], d_in: int) -> float:
    """The largest total rho whose composition OpenDP converts to at most (epsilon, delta)."""
    low, high = 1e-12, 1.0
    while Budget(plan(high), d_in, delta).spent()[0] < epsilon:
        high *= 2
    for _ in range(60):
        middle = math.sqrt(low * high)
        if Budget(plan(middle), d_in, delta).spent()[0] <= epsilon:
            low = middle
        else:
            high = middle
    return low


@contextmanager
def seeded(seed: int) -> Iterator[None]:
    """private-pgm samples with numpy's global generator: seed it for the call, then put it back."""
    state = np.random.get_state()
    np.random.seed(seed % 2**32)
    try:
        yield
    finally:
        np.random.set_state(state)


def _histogram(columns: tuple[int, ...], sizes: tuple[int, ...], maps: list[np.ndarray] | None = None
               ) -> Callable[[np.ndarray], list[float]]:
    def function(table: np.ndarray) -> list[float]:
        cols = [table[:, j] if maps is None else maps[j][table[:, j]] for j in columns]
        flat = np.ravel_multi_index(tuple(cols), sizes) if len(cols) > 1 else cols[0]
        return np.bincount(flat, minlength=math.prod(sizes)).astype(float).tolist()
    return function


@dataclass
class Compression:
    """Per attribute: old value -> new code, and the old values merged into the last bucket (if any)."""

    maps: list[np.ndarray]
    merged: list[np.ndarray]
    sizes: list[int]

    def restore(self, table: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        out = np.empty_like(table)
        for j, (mapping, merged) in enumerate(zip(self.maps, self.merged)):
            inverse = np.full(self.sizes[j], -1, dtype=np.int64)
            kept = np.flatnonzero(np.isin(np.arange(len(mapping)), merged, invert=True))
            inverse[mapping[kept]] = kept
            column = inverse[table[:, j]]
            bucket = column < 0
            if bucket.any():
                column[bucket] = rng.choice(merged, size=int(bucket.sum()))
            out[:, j] = column
        return out


def _compress(noisy: list[np.ndarray], sigma: float, attributes: list[str]) -> tuple[Compression, list[Any]]:
    """MST's domain compression and the 1-way measurements re-expressed on the compressed domain."""
    mbi = _mbi()
    maps, merged, sizes, measurements = [], [], [], []
    for attribute, y in zip(attributes, noisy):
        support = y >= 3 * sigma
        if support.all():
            maps.append(np.arange(y.size))
            merged.append(np.array([], dtype=np.int64))
            sizes.append(y.size)
            measurements.append(mbi.LinearMeasurement(y, (attribute,), stddev=sigma))
            continue
        kept, rest = np.flatnonzero(support), np.flatnonzero(~support)
        mapping = np.full(y.size, kept.size, dtype=np.int64)
        mapping[kept] = np.arange(kept.size)
        weight = 1.0 / math.sqrt(rest.size)
        y2 = np.append(y[kept], y[rest].sum() * weight)
        weights = np.append(np.ones(kept.size), weight)
        maps.append(mapping)
        merged.append(rest)
        sizes.append(kept.size + 1)
        measurements.append(mbi.LinearMeasurement(y2, (attribute,), stddev=sigma,
                                                  query=mbi.WeightedQuery(weights)))
    return Compression(maps, merged, sizes), measurements


@dataclass
class FittedModel:
    """The private-pgm model and what is needed to sample records in the public domain from it."""

    model: Any
    compression: Compression
    attributes: list[str]
    edges: list[tuple[str, str]]
    total: float

    def sample(self, rows: int, seed: int) -> np.ndarray:
        with seeded(seed):
            data = self.model.synthetic_data(rows, method="sample")
        compressed = np.stack([np.asarray(data.data[a], dtype=np.int64) for a in self.attributes], axis=1)
        return self.compression.restore(compressed, np.random.default_rng(seed))


def _independent_counts(measurements: list[Any], compression: Compression) -> tuple[list[np.ndarray], float]:
    mbi = _mbi()
    total = max(float(mbi.estimation.minimum_variance_unbiased_total(measurements)), 1.0)
    probabilities = []
    for measurement, size in zip(measurements, compression.sizes):
        y = np.asarray(measurement.noisy_measurement, dtype=float).copy()
        weights = getattr(measurement.query, "weights", None)
        if weights is not None:
            y[-1] /= float(np.asarray(weights)[-1])
        y = np.clip(y, 0, None)
        probabilities.append(y / y.sum() if y.sum() > 0 else np.full(size, 1.0 / size))
    return probabilities, total


def mst(table: np.ndarray, attributes: list[str], sizes: list[int], epsilon: float, delta: float, d_in: int,
        iterations: int, step: Callable[[str], None] | None = None) -> tuple[FittedModel, Accounting]:
    """Run MST on the encoded table; returns the fitted model and OpenDP's account of what it spent."""
    mbi = _mbi()
    d = len(attributes)
    rho = rho_for(epsilon, delta, lambda r: budget_plan(r, d), d_in)
    plan = budget_plan(rho, d)
    budget = Budget(plan, d_in, delta)
    queries = budget.measurement(table)
    say = step or (lambda _: None)

    say("measuring 1-way marginals")
    one_way = [budget.gaussian(_histogram((j,), (sizes[j],)), plan[j]) for j in range(d)]
    sigma = _sigma(one_way[0])
    noisy = [np.asarray(queries(m), dtype=float) for m in one_way]
    compression, measurements = _compress(noisy, sigma, attributes)
    if d == 1:
        return _estimate(measurements, compression, attributes, [], iterations), _account(budget, rho, plan)

    say("selecting 2-way marginals")
    probabilities, total = _independent_counts(measurements, compression)
    pairs = [(a, b) for a in range(d) for b in range(a + 1, d)]
    scores = _PairScores(compression, probabilities, total)
    parent = list(range(d))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    chosen: list[tuple[int, int]] = []
    for r in range(d - 1):
        candidates = [p for p in pairs if root(p[0]) != root(p[1])]
        pick = budget.noisy_max(functools.partial(scores.of, candidates=candidates), plan[d + r])
        a, b = candidates[int(queries(pick))]
        parent[root(a)] = root(b)
        chosen.append((a, b))

    say("measuring 2-way marginals")
    for r, (a, b) in enumerate(chosen):
        shape = (compression.sizes[a], compression.sizes[b])
        query = budget.gaussian(_histogram((a, b), shape, compression.maps), plan[2 * d - 1 + r])
        sigma2 = _sigma(query)
        y = np.asarray(queries(query), dtype=float)
        measurements.append(mbi.LinearMeasurement(y, (attributes[a], attributes[b]), stddev=sigma2))
    say("fitting the graphical model")
    edges = [(attributes[a], attributes[b]) for a, b in chosen]
    return _estimate(measurements, compression, attributes, edges, iterations), _account(budget, rho, plan)


def _sigma(measurement: Any) -> float:
    """The Gaussian scale OpenDP used: recovered from its map (rho = d_in^2 / (2 sigma^2)) at d_in = 1."""
    return math.sqrt(1.0 / (2.0 * float(measurement.map(1))))


class _PairScores:
    """MST's edge scores, computed once per table (a pure function of it) and served per round."""

    def __init__(self, compression: Compression, probabilities: list[np.ndarray], total: float) -> None:
        self.compression, self.probabilities, self.total = compression, probabilities, total
        self.cache: dict[tuple[int, int], float] = {}
        self.table_id: int | None = None

    def of(self, table: np.ndarray, candidates: list[tuple[int, int]]) -> list[float]:
        if self.table_id != id(table):
            self.cache, self.table_id = {}, id(table)
        out = []
        for a, b in candidates:
            if (a, b) not in self.cache:
                shape = (self.compression.sizes[a], self.compression.sizes[b])
                real = np.asarray(_histogram((a, b), shape, self.compression.maps)(table)).reshape(shape)
                estimate = self.total * np.outer(self.probabilities[a], self.probabilities[b])
                self.cache[(a, b)] = float(np.abs(real - estimate).sum())
            out.append(self.cache[(a, b)])
        return out


def _estimate(measurements: list[Any], compression: Compression, attributes: list[str],
              edges: list[tuple[str, str]], iterations: int) -> FittedModel:
    mbi = _mbi()
    domain = mbi.Domain(attributes, compression.sizes)
    model = mbi.estimation.MirrorDescent().estimate(domain, measurements, iters=iterations)
    return FittedModel(model, compression, attributes, edges, float(model.total))


def _account(budget: Budget, rho: float, plan: list[float]) -> Accounting:
    epsilon, delta = budget.spent()
    return Accounting(epsilon, delta, rho, budget.d_in, len(plan), plan)


def independent(table: np.ndarray, sizes: list[int], epsilon: float, delta: float, d_in: int, rows: int | None,
                seed: int) -> tuple[np.ndarray, Accounting]:
    """The fair baseline: every 1-way marginal measured with the whole budget (same OpenDP accounting),
    each column sampled on its own from its clipped, normalised noisy marginal."""
    d = len(sizes)
    rho = rho_for(epsilon, delta, lambda r: [r / d] * d, d_in)
    plan = [rho / d] * d
    budget = Budget(plan, d_in, delta)
    queries = budget.measurement(table)
    rng = np.random.default_rng(seed)
    noisy = [np.clip(np.asarray(queries(budget.gaussian(_histogram((j,), (sizes[j],)), plan[j]))), 0, None)
             for j in range(d)]
    n = rows if rows is not None else max(1, round(float(np.median([y.sum() for y in noisy]))))
    columns = [rng.choice(size, size=n, p=(y / y.sum()) if y.sum() > 0 else None) for size, y in zip(sizes, noisy)]
    return np.stack(columns, axis=1), _account(budget, rho, plan)
