"""Shared by the screening tests: the sample graph ingested with the real CLI, and running ``sightline``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.api_server import ROOT

SAMPLES = ROOT / "data" / "samples"
RESULT_KEYS = {"matched", "score", "matched_on", "category", "reference", "explanation", "warnings"}


def sightline(home: Path, *args: str, env: dict[str, str] | None = None,
              timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """``sightline ARGS`` in a subprocess on ``home``, as a person would run it."""
    environment = {**os.environ, "SIGHTLINE_HOME": str(home), **(env or {})}
    return subprocess.run([sys.executable, "-m", "cli.main", *args], cwd=ROOT, env=environment, capture_output=True,
                          text=True, timeout=timeout)


def ingest_samples(home: Path) -> None:
    done = sightline(home, "ingest", str(SAMPLES))
    assert done.returncode == 0, done.stderr


def assert_partner_shape(body: dict) -> None:
    """A screening answer carries the five allowed fields per result and nothing else."""
    assert set(body) == {"results"}, body
    for result in body["results"]:
        assert set(result) == RESULT_KEYS, result
        assert result["matched_on"] is None or set(result["matched_on"]) == {"feature", "method"}, result
        if not result["matched"]:
            assert result == {"matched": False, "score": 0.0, "matched_on": None, "category": None, "reference": None,
                              "explanation": [], "warnings": result["warnings"]}
        for told in result["explanation"]:  # features and amounts only: never a flagged value
            assert told.split(":", 1)[0] in {"name", "date of birth", "country", "phone", "email", "iban", "wallet"}
        for value in (result["category"], result["reference"]):
            assert value is None or not any(p in value for p in ("person:", "phone:", "organization:", "narrative"))
