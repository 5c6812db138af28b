"""The utility and privacy report of a synthetic release, as JSON and Markdown.

Two parts, because they are not equally safe to publish:

- ``release``: what was done and what it cost: method, epsilon, delta, zCDP rho, the unit of privacy,
  the public domain, the number of records. Nothing in it is computed from the real data beyond the DP
  release itself, so it may go out with the file.
- ``evaluation``: utility and the quasi-identifier check, computed by comparing with the real cases. These
  figures are not differentially private (a total variation distance is a function of the real data) and
  neither is the count of records the unique-combination filter removed: they are for the data controller
  deciding whether to release, not for publication.

Utility is the error of every 1- and 2-way marginal as total variation distance between the normalised
tables (half the L1 distance: the share of records that would have to move to turn one table into the
other; 0 identical, 1 disjoint), averaged over marginals; the same for the fair baseline (each column
sampled on its own from its noisy 1-way marginal measured with the same epsilon and delta).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np


def _distribution(table: np.ndarray, columns: tuple[int, ...], sizes: list[int]) -> np.ndarray:
    shape = tuple(sizes[j] for j in columns)
    flat = np.ravel_multi_index(tuple(table[:, j] for j in columns), shape) if len(columns) > 1 else table[:, columns[0]]
    counts = np.bincount(flat, minlength=math.prod(shape)).astype(float)
    return counts / counts.sum() if counts.sum() else counts


def marginal_errors(real: np.ndarray, synthetic: np.ndarray, sizes: list[int], attributes: list[str]
                    ) -> dict[tuple[str, ...], float]:
    """Total variation distance of every 1- and 2-way marginal (attribute names -> distance)."""
    d = len(sizes)
    out: dict[tuple[str, ...], float] = {}
    cliques = [(j,) for j in range(d)] + [(a, b) for a in range(d) for b in range(a + 1, d)]
    for clique in cliques:
        error = 0.5 * float(np.abs(_distribution(real, clique, sizes) - _distribution(synthetic, clique, sizes)).sum())
        out[tuple(attributes[j] for j in clique)] = error
    return out


def summarise(errors: dict[tuple[str, ...], float]) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for name, k in (("one_way", 1), ("two_way", 2)):
        values = np.array([v for c, v in errors.items() if len(c) == k])
        out[name] = ({"marginals": int(values.size), "mean": float(values.mean()), "median": float(np.median(values)),
                      "max": float(values.max())} if values.size else {"marginals": 0})
    return out


@dataclass
class SyntheticReport:
    """What a synthetic release cost and how good it is (see the module docstring for who may see what)."""

    release: dict[str, Any]
    evaluation: dict[str, Any] = field(default_factory=dict)
    errors: dict[tuple[str, ...], float] = field(default_factory=dict, repr=False)
    baseline_errors: dict[tuple[str, ...], float] = field(default_factory=dict, repr=False)

    @property
    def epsilon(self) -> float:
        return float(self.release["privacy"]["epsilon"])

    @property
    def delta(self) -> float:
        return float(self.release["privacy"]["delta"])

    def as_dict(self) -> dict[str, Any]:
        return {"release": self.release, "evaluation": self.evaluation}

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), indent=2, sort_keys=True, default=float)

    def to_markdown(self) -> str:
        r, e = self.release, self.evaluation
        p = r["privacy"]
        lines = [
            "# Synthetic victim-case release: utility and privacy report", "",
            "## Release (may be published with the file)", "",
            f"- Method: {r['method']}",
            f"- Records: {r['records']} synthetic victim cases (not real people; ids start with `synthetic-`)",
            f"- Privacy: ({p['epsilon']:.4g}, {p['delta']:.2g})-differential privacy "
            f"(zCDP rho = {p['rho_zcdp']:.4g}, {p['queries']} OpenDP queries), {p['accountant']}",
            f"- Unit of privacy: {r['unit']}",
            f"- Domain: {r['domain']['attributes']} attributes, years {r['domain']['years'][0]}-"
            f"{r['domain']['years'][1]}, {r['domain']['countries']} countries; {r['domain']['sources']}",
            f"- Selected 2-way marginals (maximum spanning tree): {len(r['edges'])}",
            f"- Post-processing outside the DP guarantee: {r['post_processing']}",
            f"- Column names and picklist values: {r['attribution']}", "",
        ]
        if not e:
            return "\n".join(lines)
        lines += ["## Evaluation (internal: computed on the real cases, not differentially private)", ""]
        if "utility" in e:
            u, b = e["utility"]["synthetic"], e["utility"]["independent_baseline"]
            f = e["utility"]["synthetic_without_filter"]
            lines += [
                "Error of each marginal as total variation distance (share of records misplaced), averaged:", "",
                "| marginals | count | MST synthetic mean | MST before the unique filter | baseline mean | MST max "
                "| baseline max |", "|---|---:|---:|---:|---:|---:|---:|"]
            for k in ("one_way", "two_way"):
                if u[k]["marginals"]:
                    lines.append(f"| {k.replace('_', '-')} | {u[k]['marginals']} | {u[k]['mean']:.4f} | "
                                 f"{f[k]['mean']:.4f} | {b[k]['mean']:.4f} | {u[k]['max']:.4f} | {b[k]['max']:.4f} |")
            lines += ["", "Baseline: each column sampled independently from its own noisy 1-way marginal, "
                      "measured with the same epsilon and delta (a fair baseline: same budget, no correlations).", ""]
        q = e.get("quasi_identifiers")
        if q:
            lines += [f"Quasi-identifiers ({', '.join(q['columns'])}): {q['real_unique_combinations']} combinations "
                      f"are unique in the real cases; {q['synthetic_matching_real_unique_before_filter']} synthetic "
                      f"record(s) reproduced one before the filter, {q['synthetic_matching_real_unique']} after it "
                      f"({q['filter']})."]
        return "\n".join(lines) + "\n"
