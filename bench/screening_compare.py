"""What the two screening benchmarks share: scoring labelled pairs with Sightline and with logic-v2.

nomenklatura's ``logic-v2`` (OpenSanctions' matcher behind yente's ``/match``) compares two
FollowTheMoney entities; each query and each flagged entity becomes one (``Person`` or ``Company`` with
``name``, ``birthDate``, ``country``), the query on the left as in yente. Its entities get fresh ids on
every call because nomenklatura caches name analysis by entity id. yente reports a match from
``LOGIC_V2_THRESHOLD`` (its ``SCORE_THRESHOLD``) up.
"""

from __future__ import annotations

import itertools
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from evaluation.screening_eval import EvalPair, EvaluationSet  # noqa: E402
from screening.index import match_entity  # noqa: E402
from screening.models import FlaggedEntity, ScreenQuery  # noqa: E402

LOGIC_V2_THRESHOLD = 0.70
THRESHOLDS = (0.60, 0.65, 0.70, 0.75, 0.80, 0.82, 0.85, 0.88, 0.90, 0.95)


@dataclass(frozen=True, slots=True)
class Metrics:
    threshold: float
    precision: float
    recall: float
    tp: int
    fp: int
    positives: int

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def metrics(scores: Sequence[float], labels: Sequence[bool], threshold: float) -> Metrics:
    tp = sum(1 for s, y in zip(scores, labels) if y and s >= threshold)
    fp = sum(1 for s, y in zip(scores, labels) if not y and s >= threshold)
    positives = sum(labels)
    return Metrics(threshold, tp / (tp + fp) if tp + fp else 1.0, tp / positives if positives else 1.0, tp, fp,
                   positives)


def best(scores: Sequence[float], labels: Sequence[bool]) -> Metrics:
    """The threshold (on a 0.01 grid) with the best F1."""
    return max((metrics(scores, labels, t / 100) for t in range(50, 100)), key=lambda m: (m.f1, m.threshold))


def logic_v2() -> Callable[[ScreenQuery, FlaggedEntity], float]:
    """A scorer calling logic-v2 the way yente does; needs the ``bench`` extra (``pip install -e .[bench]``)."""
    try:
        from followthemoney import model
        from nomenklatura.matching import LogicV2
    except ImportError as error:  # pragma: no cover - a missing optional dependency
        raise SystemExit(f"logic-v2 needs nomenklatura: pip install -e '.[bench]' ({error})") from None
    config = LogicV2.default_config()
    ids = itertools.count()

    def entity(kind: str, name: str | None, birth: str | None, country: str | None):  # noqa: ANN202
        proxy = model.make_entity("Company" if kind == "company" else "Person")
        proxy.id = f"bench-{next(ids)}"
        proxy.add("name", name)
        if birth and kind != "company":
            proxy.add("birthDate", birth)
        if country:
            proxy.add("country", country.lower())
        return proxy

    def score(query: ScreenQuery, flagged: FlaggedEntity) -> float:
        left = entity(query.kind, query.name, query.birth_date, query.country)
        right = entity(flagged.kind, flagged.name, flagged.birth_date, flagged.country)
        return float(LogicV2.compare(left, right, config).score)

    return score


def sightline(query: ScreenQuery, flagged: FlaggedEntity) -> float:
    hit = match_entity(query, flagged)
    return hit.score if hit else 0.0


def score_pairs(evaluation: EvaluationSet, pairs: Sequence[EvalPair],
                scorer: Callable[[ScreenQuery, FlaggedEntity], float],
                advance: Callable[[], None] = lambda: None) -> tuple[list[float], float]:
    """Scores of every pair, and the pairs per CPU second the scorer managed (one process, one core)."""
    scores: list[float] = []
    start = time.process_time()
    for pair in pairs:
        scores.append(scorer(evaluation.by_qid[pair.qid].query, evaluation.by_id[pair.entity_id]))
        advance()
    return scores, len(pairs) / (time.process_time() - start)
