"""A generated population of victim-case rows (the ``sharing.cases.case_frame`` columns) with known structure.

For tests and benchmarks of the sharing features (synthetic release, aggregates) at sizes the sample
narratives do not reach. The structure is plausible, not real: sex is tied to the type of exploitation
(women mostly sexual exploitation, men mostly forced labour), age to child labour and begging, citizenship
to the country of origin, the country of exploitation to a few corridors per origin, methods of control to
the type of exploitation; a small share of rows gets a rare country drawn from every ISO code, so that some
quasi-identifier combinations are unique. A figure measured on this data proves little about real data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# origin -> (weight, its usual countries of exploitation)
CORRIDORS: dict[str, tuple[float, tuple[str, ...]]] = {
    "PH": (0.12, ("AE", "SA", "MY")), "UA": (0.10, ("PL", "DE", "RU")), "NG": (0.10, ("IT", "ES", "LY")),
    "MX": (0.08, ("US",)), "KH": (0.08, ("TH", "MY")), "ID": (0.07, ("MY", "SA")), "RO": (0.07, ("GB", "DE", "IT")),
    "VN": (0.06, ("GB", "CN", "KH")), "ET": (0.06, ("SA", "AE", "LB")), "MD": (0.05, ("RU", "TR")),
    "BD": (0.05, ("IN", "MY")), "HN": (0.04, ("US", "MX")), "GH": (0.04, ("LY", "CI")), "NP": (0.04, ("IN", "MY")),
    "BY": (0.04, ("RU", "PL")),
}
BANDS = ("0--8", "9--17", "18--20", "21--23", "24--26", "27--29", "30--38", "39--47", "48+")
SEXUAL_CONTROL = {"PsychologicalAbuse": 0.5, "PhysicalAbuse": 0.4, "TakesEarnings": 0.45, "SexualAbuse": 0.35,
                  "PsychoactiveSubstance": 0.15, "RestrictsMovement": 0.3}
LABOUR_CONTROL = {"DebtBondage": 0.5, "WithholdsDocuments": 0.45, "ExcessiveWorkingHours": 0.4,
                  "FalsePromises": 0.35, "WithholdsNecessities": 0.2, "ThreatsLawEnforcement": 0.1}


def _choice(rng: np.random.Generator, values: list, weights: list[float], n: int) -> np.ndarray:
    p = np.asarray(weights, dtype=float)
    out = np.empty(n, dtype=object)
    out[:] = [values[i] for i in rng.choice(len(values), size=n, p=p / p.sum())]
    return out


def generate_cases(n: int, seed: int = 0, rare_share: float = 0.03) -> pd.DataFrame:
    """``n`` victim-case rows, reproducible from ``seed``; missing values as None, as the real frame has."""
    import pycountry

    rng = np.random.default_rng(seed)
    everywhere = sorted(c.alpha_2 for c in pycountry.countries)
    origins = list(CORRIDORS)
    origin = _choice(rng, origins, [CORRIDORS[o][0] for o in origins], n)
    rare = rng.random(n) < rare_share
    origin[rare] = rng.choice(everywhere, size=int(rare.sum()))
    exploitation = np.empty(n, dtype=object)
    for i, o in enumerate(origin):
        targets = CORRIDORS.get(o, (None, (o,)))[1]
        exploitation[i] = o if rng.random() < 0.15 else targets[rng.integers(len(targets))]
    citizenship = np.where(rng.random(n) < 0.9, origin, _choice(rng, origins, [1.0] * len(origins), n))
    sex = _choice(rng, ["female", "male", None], [0.68, 0.27, 0.05], n)
    female = sex == "female"
    sexual = np.where(female, rng.random(n) < 0.75, rng.random(n) < 0.08)
    labour = ~sexual | (rng.random(n) < 0.1)
    child = rng.random(n) < 0.12
    band = np.where(child, _choice(rng, ["0--8", "9--17"], [0.3, 0.7], n),
                    _choice(rng, list(BANDS[2:]), [0.14, 0.16, 0.16, 0.14, 0.22, 0.12, 0.06], n))
    band[rng.random(n) < 0.2] = None
    year = rng.choice(np.arange(2010, 2025), size=n, p=np.linspace(1, 3, 15) / np.linspace(1, 3, 15).sum())
    types, controls = [], []
    for i in range(n):
        kinds = {"SexualExploitation"} if sexual[i] else set()
        if labour[i]:
            kinds.add("ChildLabour" if child[i] and rng.random() < 0.5 else "ForcedLabour")
        if child[i] and rng.random() < 0.15:
            kinds.add("ForcedBegging")
        if not female[i] and rng.random() < 0.06:
            kinds.add("ForcedCriminality")
        weights = {**(SEXUAL_CONTROL if sexual[i] else {}), **(LABOUR_CONTROL if labour[i] else {})}
        controls.append(tuple(sorted(c for c, p in weights.items() if rng.random() < p)))
        types.append(tuple(sorted(kinds)) if rng.random() > 0.05 else ())
    frame = pd.DataFrame({
        "case": [f"narrative-{i // 2}" for i in range(n)], "victim": [f"person-{i}" for i in range(n)],
        "organisation": None, "year": pd.array(year, dtype="Int64"), "sex": sex, "age": pd.array([None] * n, dtype="Int64"),
        "age_band": band, "citizenship": np.where(rng.random(n) < 0.3, None, citizenship),
        "country_of_origin": np.where(rng.random(n) < 0.1, None, origin),
        "country_of_exploitation": np.where(rng.random(n) < 0.1, None, exploitation),
        "type_of_exploitation": types, "method_of_control": controls,
        "organisation_type": _choice(rng, ["NGO", "LawEnforcement", None], [0.7, 0.2, 0.1], n)})
    for column in ("sex", "age_band", "citizenship", "country_of_origin", "country_of_exploitation", "organisation_type"):
        frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return frame
