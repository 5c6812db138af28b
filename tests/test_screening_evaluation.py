"""The screening engine on its evaluation set: measured quality minimums, blocking against a full scan,
an index that follows the list, and committed data that is what the generator makes."""

from __future__ import annotations

import random
from collections import defaultdict
from pathlib import Path

import pytest

from evaluation import screening_conflicts as conflicts
from evaluation import screening_eval as ev
from screening.index import DEFAULT_THRESHOLD, ScreeningIndex, match_entity
from screening.models import ScreenQuery

# Measured with bench/screening_quality.py at DEFAULT_THRESHOLD (0.83): precision 0.993, recall 0.988 on the
# labelled pairs; the lowest class recall is two typos (0.954), then another script (0.969). The minimums
# below sit a little under the measurements so that a real regression fails and noise does not.
MIN_PRECISION = 0.985
MIN_RECALL = 0.98
MIN_CLASS_RECALL = {"two_typos": 0.93, "script": 0.95}
MIN_OTHER_CLASS_RECALL = 0.96
MAX_NEGATIVE_RATE = 0.005  # share of a negative class's pairs scored at or above the threshold
# A namesake with another birth year is what a true match with a wrong date of birth looks like: since
# issue 16 a conflicting date lowers the score but never hides a match, so these are matched by default
# and told apart only with require_dob_match (tested below).
NAMESAKE = "namesake_dob"
# The conflicting-date set (evaluation/screening_conflicts.py), measured: recall 0.980, false-positive rate
# 0.0020 (docs/screening.md). The targets: recall >= 0.97 at a false-positive rate <= 0.5%.
MIN_CONFLICT_RECALL = 0.97
MAX_CONFLICT_FPR = 0.005


@pytest.fixture(scope="module")
def evaluation() -> ev.EvaluationSet:
    return ev.read()


@pytest.fixture(scope="module")
def scored(evaluation: ev.EvaluationSet) -> list[tuple[ev.EvalPair, float]]:
    out = []
    for pair in evaluation.name_pairs():
        hit = match_entity(evaluation.by_qid[pair.qid].query, evaluation.by_id[pair.entity_id])
        out.append((pair, hit.score if hit else 0.0))
    return out


def test_committed_set_is_what_the_generator_makes(tmp_path: Path) -> None:
    ev.write(ev.build(), tmp_path)
    for name in ("flagged.csv", "queries.csv", "pairs.csv"):
        assert (tmp_path / name).read_bytes() == (ev.DATA_DIR / name).read_bytes(), name


def test_the_set_has_every_class_and_no_undecidable_negative(evaluation: ev.EvaluationSet) -> None:
    variations = {q.variation for q in evaluation.queries}
    assert set(ev.POSITIVE_VARIATIONS) | set(ev.COMPANY_POSITIVES) <= variations
    assert set(ev.NEGATIVE_VARIATIONS) | set(ev.COMPANY_NEGATIVES) <= variations
    register = ev.Register(evaluation.flagged)
    negatives = [q for q in evaluation.queries if q.query.name and q.expected is None]
    assert len(negatives) > 2 * sum(1 for q in evaluation.queries if q.query.name and q.expected)
    for query in negatives:
        if query.variation != "namesake_dob":  # a namesake told apart by the birth year, on purpose
            assert not register.ambiguous(query.query.name or "", query.query.kind), query


def test_precision_and_recall_at_the_default_threshold(scored: list[tuple[ev.EvalPair, float]]) -> None:
    tp = sum(1 for p, s in scored if p.label and s >= DEFAULT_THRESHOLD)
    fp = sum(1 for p, s in scored if not p.label and p.variation != NAMESAKE and s >= DEFAULT_THRESHOLD)
    positives = sum(1 for p, _ in scored if p.label)
    assert positives == 2000 and len(scored) > 10_000
    assert tp / (tp + fp) >= MIN_PRECISION, (tp, fp)
    assert tp / positives >= MIN_RECALL, (tp, positives)


def test_every_variation_class_is_matched(scored: list[tuple[ev.EvalPair, float]]) -> None:
    by_class: dict[str, list[float]] = defaultdict(list)
    for pair, score in scored:
        by_class[pair.variation].append(score)
    for variation, scores in by_class.items():
        rate = sum(1 for s in scores if s >= DEFAULT_THRESHOLD) / len(scores)
        if variation in ev.POSITIVE_VARIATIONS or variation in ev.COMPANY_POSITIVES:
            assert rate >= MIN_CLASS_RECALL.get(variation, MIN_OTHER_CLASS_RECALL), (variation, rate)
        elif variation == NAMESAKE:
            assert rate >= 0.95, rate  # reported, with the conflict in the explanation
        else:
            assert rate <= MAX_NEGATIVE_RATE, (variation, rate)


def test_blocking_never_misses_what_a_full_scan_finds(evaluation: ev.EvaluationSet) -> None:
    index = ScreeningIndex(evaluation.flagged)
    sample = [q for q in evaluation.queries if q.query.name][::20]
    assert {q.variation for q in sample} >= set(ev.POSITIVE_VARIATIONS) - {"exact"}
    matched = 0
    for query in sample:
        scanned = [(h.entity_id, h.score) for h in index.scan_hits(query.query, threshold=0.6, limit=10_000)]
        low = [(h.entity_id, h.score) for h in index.screen_hits(query.query, threshold=0.6, limit=10_000)]
        default = [(h.entity_id, h.score) for h in index.screen_hits(query.query, limit=10_000)]
        assert low == scanned, query
        assert default == [(e, s) for e, s in scanned if s >= DEFAULT_THRESHOLD], query
        matched += bool(default)
    assert matched > len(sample) // 4  # the sample holds matches, not only misses


def test_a_name_query_never_scans_the_list(evaluation: ev.EvaluationSet) -> None:
    index = ScreeningIndex(evaluation.flagged)
    people = sum(1 for e in evaluation.flagged if e.kind == "person")
    sizes = [len(index.name_candidates(q.query)) for q in evaluation.queries if q.query.kind == "person"]
    assert max(sizes) < people / 10 and sum(sizes) / len(sizes) < people / 100, (max(sizes), people)
    assert index.name_candidates(ScreenQuery("person", name="Zzyzx Qwertyuiop")) == []


def test_index_follows_removals_and_additions(evaluation: ev.EvaluationSet) -> None:
    rng = random.Random(3)
    flagged = list(evaluation.flagged)
    index = ScreeningIndex(flagged)
    gone = set(rng.sample([e.id for e in flagged], len(flagged) // 2))
    for entity_id in gone:
        assert index.remove(entity_id)
    kept = [e for e in flagged if e.id not in gone]
    fresh = ScreeningIndex(kept)
    queries = [q.query for q in evaluation.queries][::7]
    for query in queries:
        assert index.screen_hits(query, limit=50) == fresh.screen_hits(query, limit=50), query
    for entity in flagged:
        if entity.id in gone:
            index.add(entity)
    whole = ScreeningIndex(flagged)
    for query in queries:
        assert index.screen(query, limit=50) == whole.screen(query, limit=50), query
    assert sorted(index.identifier_keys()) == sorted(whole.identifier_keys())


def test_recall_holds_when_the_date_of_birth_conflicts(evaluation: ev.EvaluationSet) -> None:
    pairs = conflicts.build(evaluation)
    true = [c for c in pairs if c.pair.label]
    false = [c for c in pairs if not c.pair.label and c.variation != NAMESAKE]
    assert len(true) > 1000 and len(false) > 10_000
    for c in true:  # every true query's date really conflicts, 1 to 10 years off
        gap = abs(int(c.query.birth_date[:4]) - int(evaluation.by_id[c.pair.entity_id].birth_date[:4]))
        assert 1 <= gap <= 10

    def matched(c: conflicts.ConflictPair, require: bool = False) -> bool:
        hit = match_entity(c.query, evaluation.by_id[c.pair.entity_id], require_dob_match=require)
        return hit is not None and hit.score >= DEFAULT_THRESHOLD

    recall = sum(map(matched, true)) / len(true)
    fpr = sum(map(matched, false)) / len(false)
    assert recall >= MIN_CONFLICT_RECALL and fpr <= MAX_CONFLICT_FPR, (recall, fpr)
    namesakes = [c for c in pairs if c.variation == NAMESAKE]
    assert namesakes and not any(matched(c, require=True) for c in namesakes)  # the veto, when asked for
    assert not any(matched(c, require=True) for c in true[::10])
