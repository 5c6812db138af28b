"""A differentially private synthetic release of victim cases (MST on OpenDP and private-pgm).

``synthesise(frame, epsilon=..., seed=...) -> (records, report)`` is the one call the CLI
(``sightline synthesise``) and the API's export job make: ``frame`` is ``sharing.cases.case_frame(...)``,
``records`` a DataFrame of synthetic victim cases with the HTCDS column names of ``sharing.htcds`` (the
columns in ``SYNTHETIC_COLUMNS``; CSV-ready strings, multi-selects joined with ";"), ``report`` a
``SyntheticReport`` (``to_json()``, ``to_markdown()``).

Why synthetic records under differential privacy: k-anonymous tables answer the questions someone chose in
advance; researchers want rows. Records sampled from a model fitted to noisy marginals keep the population's
1- and 2-way structure (who is exploited how, where from and where to) while the noise, calibrated by
OpenDP, bounds what the release can say about any one victim: with epsilon 1 an attacker's odds about
whether a given victim case is in the data move by a factor of at most e^1 (plus delta).

Choices, and why:
- delta defaults to 1e-6: well under one over the number of cases any organisation holds (the usual rule
  is delta << 1/n), so the "plus delta" cannot amount to releasing a record;
- the unit of privacy is one victim: a person (as resolution knows them) may contribute at most
  ``rows_per_victim`` rows (default 1, the rest dropped at random), and OpenDP accounts for that many rows
  changing. A person entity resolution failed to merge is two victims to this bound;
- the number of records released defaults to the model's noisy estimate of the total, never the true count;
- a synthetic record whose quasi-identifiers (year, sex, age band, citizenship, origin, exploitation
  country) equal those of a real case that is unique on them is dropped and replaced by a fresh sample.
  This filter reads the real data beyond the DP measurements, so it is NOT covered by the DP guarantee:
  the file is then formally no longer (epsilon, delta)-DP, and in principle the absence of a combination
  the model would often produce hints that the combination is unique in the real data. It is what
  CTDC-style publishing expects (no real unique reproduced); ``avoid_real_uniques=False`` gives the pure DP
  release. The report says which was done.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from sharing import htcds
from sharing.cases import VictimCase
from sharing.pseudonyms import Pseudonymiser
from sharing.synthetic_domain import (
    CATEGORICAL,
    MULTI,
    QUASI_IDENTIFIERS,
    PublicDomain,
    SyntheticInputError,
    check_frame,
    decode,
    encode,
    public_domain,
    quasi_identifier_keys,
)
from sharing.synthetic_mst import FittedModel, independent, mst
from sharing.synthetic_report import SyntheticReport, marginal_errors, summarise

DEFAULT_DELTA = 1e-6
MAX_RECORDS = 5_000_000
# The case-frame column behind each HTCDS column of the release (the values are mapped by sharing.htcds).
SYNTHETIC_COLUMNS = {
    "sightline_CaseId": None, "sightline_Year": "year", "prs_Gender": "sex", "sightline_AgeBand": "age_band",
    "prs_Citizenship": "citizenship", "hte_Country_Recruitment": "country_of_origin",
    "hte_Country_Exploitation": "country_of_exploitation", "vic_TypeOfExploitation": "type_of_exploitation",
    "sightline_TypeOfExploitationOther": "type_of_exploitation", "vic_MethodsOfControl": "method_of_control",
    "sightline_MethodsOfControlOther": "method_of_control", "org_Type": "organisation_type",
}
__all__ = ["DEFAULT_DELTA", "SYNTHETIC_COLUMNS", "SyntheticInputError", "SyntheticReport", "synthesise",
           "synthesise_cases", "to_htcds"]


def _check(epsilon: Any, delta: Any, records: Any, rows_per_victim: Any, iterations: Any) -> tuple[float, float]:
    try:
        eps, dlt = float(epsilon), float(delta)
    except (TypeError, ValueError):
        raise SyntheticInputError("epsilon and delta must be numbers") from None
    if not (math.isfinite(eps) and 0 < eps <= 20):
        raise SyntheticInputError("epsilon must be greater than 0 and at most 20")
    if not (0 < dlt < 1e-3):
        raise SyntheticInputError("delta must be greater than 0 and under 0.001")
    if records is not None and not (isinstance(records, (int, np.integer)) and 1 <= records <= MAX_RECORDS):
        raise SyntheticInputError(f"the number of records must be a whole number from 1 to {MAX_RECORDS}")
    if not (isinstance(rows_per_victim, int) and 1 <= rows_per_victim <= 100):
        raise SyntheticInputError("rows per victim must be a whole number from 1 to 100")
    if not (isinstance(iterations, int) and 1 <= iterations <= 100_000):
        raise SyntheticInputError("iterations must be a whole number from 1 to 100000")
    return eps, dlt


def bound_contributions(frame: pd.DataFrame, rows_per_victim: int, seed: int) -> pd.DataFrame:
    """At most ``rows_per_victim`` rows per victim id (chosen at random); rows without an id stay."""
    if "victim" not in frame.columns:
        return frame
    shuffled = frame.sample(frac=1.0, random_state=np.random.default_rng(seed))
    ids = shuffled["victim"]
    rank = shuffled.groupby(ids, dropna=True, sort=False).cumcount()
    keep = ids.isna() | (rank < rows_per_victim)
    return shuffled[keep].sort_index()


def _avoid_uniques(model: FittedModel, wanted: int, real_uniques: np.ndarray, domain: PublicDomain, seed: int,
                   enabled: bool) -> tuple[np.ndarray, np.ndarray, int, int]:
    """Sample ``wanted`` records, replacing those on a real unique quasi-identifier combination (if enabled).
    Returns (table, the first draw before the filter, matches in the first draw, matches left)."""
    # One draw with a margin (each draw reruns the model's message passing), more only if it falls short.
    table = model.sample(wanted + (wanted // 10 + 64 if enabled else 0), seed)
    hits = np.isin(quasi_identifier_keys(table, domain), real_uniques)
    first = int(hits[:wanted].sum())
    if not enabled:
        return table, table, first, first
    kept = [table[~hits]]
    have, round_ = int((~hits).sum()), 1
    while have < wanted and round_ <= 50:
        extra = model.sample(max(2 * (wanted - have), 64), seed + round_)
        extra = extra[~np.isin(quasi_identifier_keys(extra, domain), real_uniques)]
        kept.append(extra)
        have += len(extra)
        round_ += 1
    return np.concatenate(kept)[:wanted], table[:wanted], first, 0


def synthesise_cases(frame: pd.DataFrame, epsilon: float, seed: int = 0, *, delta: float = DEFAULT_DELTA,
                     records: int | None = None, years: tuple[int, int] | None = None, rows_per_victim: int = 1,
                     iterations: int = 1000, avoid_real_uniques: bool = True, evaluate: bool = True,
                     step: Callable[[str], None] | None = None) -> tuple[pd.DataFrame, SyntheticReport]:
    """Synthetic victim cases as a case frame (``sharing.cases.case_frame`` columns: year, sex, age_band,
    citizenship, country_of_origin, country_of_exploitation, organisation_type, type_of_exploitation,
    method_of_control), and the report. See ``synthesise`` for the parameters."""
    eps, dlt = _check(epsilon, delta, records, rows_per_victim, iterations)
    frame = check_frame(frame)
    say = step or (lambda _: None)
    domain = public_domain(years)
    attributes, sizes = domain.attributes, domain.sizes
    say("encoding the cases in the public domain")
    real = encode(frame, domain)
    bounded = encode(bound_contributions(frame, rows_per_victim, seed), domain)
    model, accounting = mst(bounded, attributes, sizes, eps, dlt, rows_per_victim, iterations, step=say)
    wanted = records if records is not None else max(1, round(model.total))
    say("sampling synthetic records")
    keys, counts = np.unique(quasi_identifier_keys(real, domain), return_counts=True)
    uniques = keys[counts == 1]
    table, unfiltered, before, after = _avoid_uniques(model, wanted, uniques, domain, seed, avoid_real_uniques)
    if len(table) < wanted:
        raise SyntheticInputError("the model keeps reproducing real unique combinations; try a smaller epsilon")
    cases = decode(table, domain)
    release = {
        "method": "MST (McKenna, Miklau, Sheldon 2021): 1-way marginals, a maximum spanning tree of 2-way "
                  "marginals chosen by the exponential mechanism, Gaussian noise, private-pgm (mbi 2.0) model",
        "records": len(cases), "records_source": "requested" if records is not None else "noisy estimate",
        "privacy": accounting.as_dict(), "unit": f"one victim (at most {rows_per_victim} case row(s) per person "
                                                 "as resolved; add/remove neighbours)",
        "domain": domain.describe(), "edges": [list(e) for e in model.edges], "seed": seed,
        "attribution": htcds.ATTRIBUTION,
        "post_processing": ("synthetic records equal to a real unique case on the quasi-identifiers were replaced "
                            "by fresh samples (reads the real data: not covered by the DP guarantee)"
                            if avoid_real_uniques else "none (the file is exactly the DP release)")}
    report = SyntheticReport(release)
    if evaluate:
        say("evaluating against the real cases and the independent baseline")
        baseline, _ = independent(bounded, sizes, eps, dlt, rows_per_victim, len(table), seed + 7919)
        report.errors = marginal_errors(real, table, sizes, attributes)
        report.baseline_errors = marginal_errors(real, baseline, sizes, attributes)
        unfiltered_errors = marginal_errors(real, unfiltered, sizes, attributes) if avoid_real_uniques else report.errors
        report.evaluation = {
            "utility": {"synthetic": summarise(report.errors), "independent_baseline": summarise(report.baseline_errors),
                        "synthetic_without_filter": summarise(unfiltered_errors),
                        "measure": "total variation distance of normalised marginals, mean over marginals"},
            "quasi_identifiers": {
                "columns": list(QUASI_IDENTIFIERS), "real_unique_combinations": int(uniques.size),
                "synthetic_matching_real_unique_before_filter": before, "synthetic_matching_real_unique": after,
                "filter": "enforced" if avoid_real_uniques else "off"},
            "real_cases": len(frame), "real_cases_after_bound": len(bounded),
            "note": "computed on the real cases: not differentially private, for the data controller only"}
    return cases, report


def to_htcds(cases: pd.DataFrame) -> pd.DataFrame:
    """A synthetic case frame as HTCDS rows (``sharing.htcds`` mapping; ids ``synthetic-000001``...)."""
    throwaway = Pseudonymiser.from_secret(secrets.token_hex(16))  # ids are replaced below; no key is involved
    rows = []
    width = max(6, len(str(len(cases))))
    for i, row in enumerate(cases.itertuples(index=False), start=1):
        values = row._asdict()
        fields: dict[str, Any] = {c: (None if c == "year" and pd.isna(values[c]) else values[c])
                                  for c in (*CATEGORICAL, *MULTI)}
        case = VictimCase(case="", victim="", source_id="", organisation=None, **fields)
        flat = htcds.flat(htcds.record(case, throwaway))
        flat["sightline_CaseId"] = f"synthetic-{i:0{width}d}"
        rows.append({column: flat[column] for column in SYNTHETIC_COLUMNS})
    return pd.DataFrame(rows, columns=list(SYNTHETIC_COLUMNS))


def synthesise(frame: pd.DataFrame, epsilon: float | None = None, seed: int = 0, *, delta: float = DEFAULT_DELTA,
               records: int | None = None, years: tuple[int, int] | None = None, rows_per_victim: int = 1,
               iterations: int = 1000, avoid_real_uniques: bool = True, evaluate: bool = True,
               step: Callable[[str], None] | None = None) -> tuple[pd.DataFrame, SyntheticReport]:
    """Synthetic victim cases in HTCDS columns under (epsilon, delta)-differential privacy, and the report.

    - ``frame``: ``sharing.cases.case_frame(cases)`` (consent already applied); ``epsilon`` in (0, 20],
      default ``settings.synthetic_epsilon`` (SIGHTLINE_SYNTHETIC_EPSILON); ``delta`` in (0, 0.001),
      default 1e-6; ``seed`` fixes the sampling (the DP noise is never seeded);
    - ``records``: how many to release (default: the model's noisy estimate of the number of cases);
    - ``years``: the public year range (default 2000 to this year); ``rows_per_victim``: the contribution
      bound (the privacy unit is one victim); ``iterations``: private-pgm's mirror-descent steps;
    - ``avoid_real_uniques``: replace records equal to a real unique case on the quasi-identifiers (outside
      the DP guarantee, see the module docstring); ``evaluate``: compute the report's internal part;
    - ``step``: called with a short description at each stage (progress).
    Raises ``SyntheticInputError`` (a message safe to show, naming no data) on bad input.
    """
    if epsilon is None:
        from state.settings import get_settings

        epsilon = get_settings().synthetic_epsilon
    cases, report = synthesise_cases(frame, epsilon, seed, delta=delta, records=records, years=years,
                                     rows_per_victim=rows_per_victim, iterations=iterations,
                                     avoid_real_uniques=avoid_real_uniques, evaluate=evaluate, step=step)
    return to_htcds(cases), report
