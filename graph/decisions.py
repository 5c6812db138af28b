"""Analysts' resolution decisions, kept in an append-only log beside the store.

A decision (these two people are one / are not) is an analyst's judgement, not data derived from
narratives, so it must outlive the graph it was made on: rebuilding the store, re-ingesting the same
narratives, or moving to Neo4j must honour it. The log is JSON lines in ``SIGHTLINE_HOME``; the last
decision about a pair wins. Person ids are reproducible (name + narrative content hash), which is what lets
a decision made on one build apply to the next.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

DECISIONS_FILE = "decisions.jsonl"
DECISIONS = ("confirmed", "rejected")


@dataclass(frozen=True, slots=True)
class Decision:
    a: str  # the smaller id of the pair
    b: str
    decision: str
    by: str
    at: str
    reason: str = ""  # the analyst's why, kept with the judgement (older log lines have none)


def make_decision(a: str, b: str, decision: str, by: str, reason: str = "") -> Decision:
    if decision not in DECISIONS:
        raise ValueError(f"decision must be one of {', '.join(DECISIONS)}")
    lo, hi = sorted((a, b))
    return Decision(lo, hi, decision, by, datetime.now(UTC).isoformat(timespec="seconds"), reason)


class RecordLog:
    """Records of one dataclass as JSON lines in ``SIGHTLINE_HOME``, appended and fsynced one by one."""

    record: type = object
    what = "record"

    def __init__(self, home: Path, name: str) -> None:
        self.path = home / name

    def load(self) -> list:  # type: ignore[type-arg]
        if not self.path.exists():
            return []
        out = []
        for number, line in enumerate(self.path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                out.append(self.record(**json.loads(line)))
            except (ValueError, TypeError) as error:
                raise ValueError(f"{self.path}:{number}: unreadable {self.what} ({error})") from None
        return out

    def append(self, record: object) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(asdict(record), ensure_ascii=False) + "\n")  # type: ignore[call-overload]
            handle.flush()
            os.fsync(handle.fileno())


class DecisionLog(RecordLog):
    record = Decision
    what = "decision"

    def __init__(self, home: Path) -> None:
        super().__init__(home, DECISIONS_FILE)
