"""k-anonymous aggregate tables (sharing.aggregates): counts, primary and secondary suppression checked by our
own recount, by pycanon on the released tables' microdata and by solving the published table for every
suppressed cell (linear programmes), the differencing test over a real release ledger in api.sqlite, the
CLI, and bad input."""

from __future__ import annotations

import random
import shutil
from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pycanon import anonymity
from scipy.optimize import linprog

from sharing.aggregates import (
    TOTAL,
    UNKNOWN,
    AggregateError,
    AggregateTable,
    aggregate,
    check_k,
    count,
    parse_by,
)
from sharing.cases import AGGREGATE_FIELDS, MULTI_VALUED
from sharing.release_ledger import MIN_CHANGE_CASES, ReleaseLedger
from sharing.suppression import determined, primary, protect, secondary
from state.db import ApiDatabase

K = 11
BY_SETS = (["sex"], ["country_of_origin"], ["type_of_exploitation"], ["country_of_origin", "sex"],
           ["year", "type_of_exploitation"], ["method_of_control", "age_band"],
           ["country_of_origin", "year", "sex"])
COUNTRIES = ["NG", "RO", "VN", "AL", "UA", "ER", "SD", "BG", "PH", "TV"]  # skewed: the last few are rare
TYPES = ["ForcedLabour", "SexualExploitation", "ForcedCriminality", "DomesticServitude"]
CONTROLS = ["DebtBondage", "Threats", "WithholdsDocuments", "RestrictsMovement", "TakesEarnings"]
BANDS = ["9--17", "18--20", "21--23", "24--26", "30--38"]


def _narrative(rng: random.Random, n: int, victims: int | None = None) -> list[dict]:
    """One narrative's victim-case rows: shared narrative-level facts, per-victim sex, age and origin."""
    year = rng.choice([2019, 2020, 2021, 2022, None])
    types = tuple(sorted(rng.sample(TYPES, rng.choice([0, 1, 1, 1, 2]))))
    controls = tuple(sorted(rng.sample(CONTROLS, rng.choice([0, 1, 2, 3]))))
    origin = COUNTRIES[min(int(rng.expovariate(0.45)), len(COUNTRIES) - 1)] if rng.random() > 0.1 else None
    rows = []
    for v in range(victims or rng.choice([1, 1, 1, 1, 2, 2, 3, 4])):
        rows.append({"case": f"narrative-{n}", "victim": f"person-{n}-{v}", "organisation": "org-a", "year": year,
                     "sex": rng.choice(["female", "female", "male", None]), "age_band": rng.choice([*BANDS, None]),
                     "country_of_origin": origin if rng.random() > 0.1 else rng.choice(COUNTRIES),
                     "country_of_exploitation": rng.choice(["GB", "IT", "DE", None]),
                     "type_of_exploitation": types, "method_of_control": controls})
    return rows


def _frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    frame["year"] = frame["year"].astype("Int64")
    return frame


@pytest.fixture(scope="module")
def population() -> pd.DataFrame:
    rng = random.Random(18)
    rows = [row for n in range(220) for row in _narrative(rng, n)]
    rows += _narrative(rng, 999, victims=30)  # one raid: thirty victims in one narrative
    return _frame(rows)


def _explode(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Our own recount's input: one row per (victim-in-case, value of each field)."""
    out = frame[["case", "victim", *by]].copy()
    for f in by:
        if f in MULTI_VALUED:
            out[f] = out[f].map(lambda v: list(v) if len(v) else [UNKNOWN])
            out = out.explode(f)
        else:
            out[f] = out[f].astype(object).where(out[f].notna(), UNKNOWN).map(str)
    return out


def _recount(frame: pd.DataFrame, by: list[str], values: tuple[str, ...]) -> tuple[int, int, int]:
    """(victims, cases, largest narrative's victims) of one cell, counted directly."""
    rows = _explode(frame, by)
    for f, v in zip(by, values, strict=True):
        if v != TOTAL:
            rows = rows[rows[f] == v]
    pairs = rows[["case", "victim"]].drop_duplicates()
    largest = int(pairs.groupby("case").size().max()) if len(pairs) else 0
    return len(pairs), pairs["case"].nunique(), largest


@pytest.mark.parametrize("by", BY_SETS[:5], ids=lambda b: ",".join(b))
def test_counts_and_primary_rule_hold_for_every_cell(population: pd.DataFrame, by: list[str]) -> None:
    table = aggregate(population, by, K)
    assert table.suppressed < len(table.cells)
    for cell in table.cells:
        victims, cases, largest = _recount(population, by, cell.values)
        assert (cell.true_victims, cell.true_cases) == (victims, cases), cell.values
        if not cell.suppressed:
            assert (cell.victims, cell.cases) == (victims, cases)
            assert victims - largest >= K, cell.values  # k victims beyond any one narrative
        else:
            assert cell.victims is None and cell.cases is None
        if victims - largest < K:
            assert cell.suppressed and cell.reason == "primary"


def test_the_raid_cannot_make_a_cell_of_its_own(population: pd.DataFrame) -> None:
    """Thirty victims of one narrative are far over k, but alone in a cell they are one case."""
    raid = population[population["case"] == "narrative-999"].assign(case="narrative-999")
    others = population[population["case"] != "narrative-999"].head(3)
    table = aggregate(pd.concat([raid, others]), ["year"], K)
    assert all(c.suppressed for c in table.cells if c.true_victims - 30 < K)
    assert any(c.true_victims >= 30 for c in table.cells)


def test_margins_are_distinct_victims_not_sums(population: pd.DataFrame) -> None:
    table = aggregate(population, ["type_of_exploitation"], K)
    total = next(c for c in table.cells if c.values == (TOTAL,))
    assert total.true_victims == len(population)
    assert sum(c.true_victims for c in table.cells if c.values != (TOTAL,)) > len(population)  # multi-valued
    sexes = aggregate(population, ["sex"], K)
    assert sum(c.true_victims for c in sexes.cells if c.values != (TOTAL,)) == len(population)  # additive


def _microdata(table: AggregateTable, fields: list[str]) -> pd.DataFrame:
    """The published cells whose margin fields are exactly those outside ``fields``, one row per victim."""
    rows = []
    for cell in table.cells:
        kept = [v for f, v in zip(table.by, cell.values, strict=True) if f in fields]
        margins = [v for f, v in zip(table.by, cell.values, strict=True) if f not in fields]
        if cell.suppressed or TOTAL in kept or any(v != TOTAL for v in margins):
            continue
        rows += [dict(zip(fields, kept, strict=True))] * int(cell.victims or 0)
    return pd.DataFrame(rows, columns=fields)


@pytest.mark.parametrize("by", BY_SETS, ids=lambda b: ",".join(b))
def test_pycanon_finds_every_released_view_k_anonymous(population: pd.DataFrame, by: list[str]) -> None:
    """Each released view (the cells over a subset of the fields, margins over the rest), expanded to one
    record per published victim, is k-anonymous over its fields; the same views of the unsuppressed table
    are not, so the check can fail."""
    table = aggregate(population, by, K)
    unsuppressed = AggregateTable(table.by, K, tuple(
        type(c)(c.values, c.true_victims, c.true_cases, False, None, c.true_victims, c.true_cases)
        for c in table.cells))
    failures_without = 0
    for size in range(1, len(by) + 1):
        for fields in combinations(by, size):
            released = _microdata(table, list(fields))
            if len(released):
                assert anonymity.k_anonymity(released, list(fields)) >= K, fields
            raw = _microdata(unsuppressed, list(fields))
            failures_without += int(anonymity.k_anonymity(raw[raw.notna().all(axis=1)], list(fields)) < K)
    assert failures_without > 0 or not any(c.reason == "primary" for c in table.cells)


def _bounds(table_counts, mask: np.ndarray) -> list[tuple[tuple[int, ...], float, float]]:
    """Solve the published table for every suppressed entry: its least and greatest value consistent with
    the published ones, from equalities along single-valued fields and max(cells) <= margin <= sum(cells)
    along multi-valued ones, every count >= 0."""
    victims, additive = table_counts.victims, table_counts.additive
    unknowns = [tuple(int(i) for i in p) for p in zip(*np.nonzero(mask), strict=True)]
    column = {p: j for j, p in enumerate(unknowns)}
    a_eq, b_eq, a_ub, b_ub = [], [], [], []

    def term(point: tuple[int, ...], sign: float, row: np.ndarray) -> float:
        if point in column:
            row[column[point]] += sign
            return 0.0
        return -sign * float(victims[point])

    for axis in range(victims.ndim):
        n = victims.shape[axis]
        for rest in np.ndindex(*[s for i, s in enumerate(victims.shape) if i != axis]):
            points = [(*rest[:axis], i, *rest[axis:]) for i in range(n)]
            if not any(p in column for p in points):
                continue
            if additive[axis]:  # sum(cells) - margin = 0
                row = np.zeros(len(unknowns))
                constant = sum(term(p, 1.0, row) for p in points[:-1]) + term(points[-1], -1.0, row)
                a_eq.append(row)
                b_eq.append(constant)
            else:  # margin - sum(cells) <= 0 and cell - margin <= 0
                row = np.zeros(len(unknowns))
                constant = term(points[-1], 1.0, row) + sum(term(p, -1.0, row) for p in points[:-1])
                a_ub.append(row)
                b_ub.append(constant)
                for p in points[:-1]:
                    row = np.zeros(len(unknowns))
                    constant = term(p, 1.0, row) + term(points[-1], -1.0, row)
                    a_ub.append(row)
                    b_ub.append(constant)
    out = []
    for j, point in enumerate(unknowns):
        goal = np.zeros(len(unknowns))
        goal[j] = 1.0
        extremes = []
        for sign in (1.0, -1.0):
            result = linprog(sign * goal, A_ub=np.array(a_ub) if a_ub else None, b_ub=b_ub or None,
                             A_eq=np.array(a_eq) if a_eq else None, b_eq=b_eq or None, bounds=(0, None),
                             method="highs")
            extremes.append(sign * result.fun if result.status == 0 else (np.inf if sign < 0 else -np.inf))
        out.append((point, extremes[0], extremes[1]))
    return out


@pytest.mark.parametrize("by", BY_SETS, ids=lambda b: ",".join(b))
def test_no_suppressed_cell_can_be_solved_for(population: pd.DataFrame, by: list[str]) -> None:
    counts = count(population, by)
    table = aggregate(population, by, K)
    mask = np.array([c.suppressed for c in table.cells]).reshape(counts.victims.shape)
    assert mask.any() or by in (["sex"], ["type_of_exploitation"])  # the rest have small cells to protect
    for point, low, high in _bounds(counts, mask):
        assert low <= counts.victims[point] <= high
        assert high - low >= 1, (point, low, high)  # never pinned to one value


def test_primary_suppression_alone_would_be_solved_for_in_the_sample(population: pd.DataFrame) -> None:
    """The same solver on the same data with only the small cells hidden pins some of them: the check
    above can fail, and secondary suppression is what makes it pass."""
    pinned = 0
    for by in BY_SETS:
        counts = count(population, by)
        mask = primary(counts.victims, counts.largest, K)
        pinned += sum(high - low < 1 for _, low, high in _bounds(counts, mask))
    assert pinned > 0


def test_primary_suppression_alone_would_be_solved_for() -> None:
    """The audit's own check on a case the line rule handles: one small cell in a 1-D table is the total
    minus the rest, and ``protect`` hides a second cell so it no longer is."""
    victims = np.array([40, 3, 25, 68])
    alone = np.array([False, True, False, False])
    assert determined(victims, alone, (True,)) == [(1,)]
    fixed = protect(victims, alone, (True,))
    assert fixed.sum() == 2 and determined(victims, fixed, (True,)) == []


def test_two_protected_cycles_joined_by_one_cell_are_caught() -> None:
    """Every row and column has two suppressed cells, yet the cell joining the two blocks is determined:
    the audit finds it and more is suppressed until nothing is."""
    cells = np.array([[20, 20, 30, 30, 30], [20, 20, 30, 30, 30], [30, 30, 20, 20, 30],
                      [30, 30, 20, 20, 30], [30, 30, 30, 30, 30]])
    victims = np.zeros((6, 6), dtype=int)
    victims[:5, :5] = cells
    victims[5, :5] = cells.sum(axis=0)
    victims[:5, 5] = cells.sum(axis=1)
    victims[5, 5] = cells.sum()
    mask = np.zeros_like(victims, dtype=bool)
    for r, c in [(0, 0), (0, 1), (1, 0), (1, 1), (2, 2), (2, 3), (3, 2), (3, 3), (1, 2)]:
        mask[r, c] = True
    by_lines = secondary(victims, mask)
    assert (by_lines == mask).all()  # every row and column already hides two cells or none...
    assert determined(victims, by_lines, (True, True)) == [(1, 2)]  # ...yet (1, 2) is the only link: solvable
    protected = protect(victims, mask, (True, True))
    assert protected.sum() > mask.sum() and determined(victims, protected, (True, True)) == []


def _ledger(path: Path) -> ReleaseLedger:
    return ReleaseLedger(ApiDatabase(path))


def _published(table: AggregateTable) -> dict[tuple[str, ...], tuple[int | None, int | None]]:
    return {c.values: (c.victims, c.cases) for c in table.cells}


def test_differencing_one_narrative_changes_nothing_or_suppresses(population: pd.DataFrame, tmp_path: Path) -> None:
    """D and D plus one narrative (all its victims): after D is released, releasing D+N shows every cell of
    every table as it was, or suppressed; for many random narratives and several tables, and plain
    thresholding (no ledger) would have shown the change."""
    base = population[population["case"] != "narrative-999"]
    ledger_file = tmp_path / "d.sqlite"
    first = _ledger(ledger_file)
    before = {tuple(by): aggregate(base, by, K, first) for by in BY_SETS}
    first.db.close()  # the last connection closed: the write-ahead log is folded into the file copied below
    assert not Path(f"{ledger_file}-wal").exists() or Path(f"{ledger_file}-wal").stat().st_size == 0
    rng = random.Random(7)
    plain_changes = 0
    for trial in range(25):
        extra = _frame(_narrative(rng, 10_000 + trial, victims=rng.choice([1, 2, 5, 12, 25])))
        grown = pd.concat([base, extra], ignore_index=True)
        grown["year"] = grown["year"].astype("Int64")
        copy = tmp_path / f"trial-{trial}.sqlite"
        shutil.copy(ledger_file, copy)  # each N against the ledger as D left it
        ledger = _ledger(copy)
        for by in BY_SETS:
            old = _published(before[tuple(by)])
            new = aggregate(grown, by, K, ledger)
            for cell in new.cells:
                if cell.suppressed:
                    continue
                assert cell.values in old, (by, cell.values)
                assert (cell.victims, cell.cases) == old[cell.values], (trial, by, cell.values)
            grown_shown = _published(new)
            withdrawn = aggregate(base, by, K, ledger)  # and N withdrawn again (consent taken back)
            for cell in withdrawn.cells:
                if not cell.suppressed:
                    assert (cell.victims, cell.cases) == grown_shown[cell.values], (trial, by, cell.values)
            plain = _published(aggregate(grown, by, K))
            plain_changes += sum(1 for values, shown in plain.items()
                                 if shown[0] is not None and old.get(values, (None,))[0] not in (None, shown[0]))
    assert plain_changes > 0


def test_changes_that_do_show_involve_k_victims_and_two_narratives(population: pd.DataFrame, tmp_path: Path) -> None:
    """Narratives arriving one by one: whenever a published count changes between consecutive releases it
    moved by at least k victims and MIN_CHANGE_CASES narratives since it was last shown, and it does
    eventually change (the ledger does not freeze the table)."""
    rng = random.Random(3)
    rows = population[population["case"] != "narrative-999"].to_dict("records")
    ledger = _ledger(tmp_path / "seq.sqlite")
    by = ["country_of_origin", "sex"]
    last = _published(aggregate(_frame(rows), by, K, ledger))
    changes = 0
    for step in range(60):
        rows += _narrative(rng, 20_000 + step)
        table = aggregate(_frame(rows), by, K, ledger)
        for cell in table.cells:
            old = last.get(cell.values, (None, None))
            if not cell.suppressed and old[0] is not None and (cell.victims, cell.cases) != old:
                changes += 1
                assert abs(cell.victims - old[0]) >= K and abs(cell.cases - old[1]) >= MIN_CHANGE_CASES
        last = {v: s for v, s in _published(table).items() if s[0] is not None} | \
               {v: s for v, s in last.items() if _published(table).get(v, (None,))[0] is None}
    assert changes > 0


def test_a_preview_does_not_touch_the_ledger(population: pd.DataFrame, tmp_path: Path) -> None:
    ledger = _ledger(tmp_path / "preview.sqlite")
    aggregate(population, ["sex"], K, ledger, record=False)
    assert ledger.size() == 0
    aggregate(population, ["sex"], K, ledger)
    assert ledger.size() == 4  # female, male, unknown, total


@pytest.mark.parametrize("by, message", [
    ("colour", "unknown field"), ("sex,sex", "more than once"), ("", "at least one field"), (" , ", "at least one"),
    ("year,sex,age_band,country_of_origin,method_of_control", "at most 4"), ("victim", "unknown field"),
])
def test_bad_fields_get_a_clear_error_that_does_not_echo_them(by: str, message: str) -> None:
    with pytest.raises(AggregateError, match=message) as raised:
        parse_by(by)
    assert isinstance(raised.value, ValueError)
    for part in by.split(","):
        if part.strip() and part.strip() not in AGGREGATE_FIELDS:
            assert part.strip() not in str(raised.value)


@pytest.mark.parametrize("k", [4, 0, -11, 2.5, True])
def test_k_under_five_is_refused(population: pd.DataFrame, k: object) -> None:
    with pytest.raises(AggregateError, match="at least 5"):
        check_k(k)  # type: ignore[arg-type]
    with pytest.raises(AggregateError):
        aggregate(population, ["sex"], k)  # type: ignore[arg-type]


def test_an_empty_frame_publishes_nothing(population: pd.DataFrame) -> None:
    table = aggregate(population.iloc[0:0], ["sex", "year"], K)
    assert [c.values for c in table.cells] == [(TOTAL, TOTAL)] and table.cells[0].suppressed
