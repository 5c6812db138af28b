"""`sightline ingest` as a real process: killed mid-batch, fed a malformed file, run again."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

SIGHTLINE = [sys.executable, "-m", "cli.main"]
ROOT = Path(__file__).resolve().parents[1]


def env(home: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "SIGHTLINE_HOME": str(home), **{f"SIGHTLINE_{k.upper()}": v for k, v in extra.items()}}


def run(*args: str, home: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*SIGHTLINE, *args], capture_output=True, text=True, cwd=ROOT, env=env(home, **extra),
                          timeout=600)


def stored(home: Path) -> int:
    db = home / "graph.sqlite"
    if not db.exists():
        return 0
    with sqlite3.connect(db, timeout=30) as conn:
        try:
            return conn.execute("SELECT COUNT(*) FROM narratives").fetchone()[0]
        except sqlite3.OperationalError:
            return 0


def assert_consistent(home: Path) -> None:
    """Whole narratives only: every stored narrative has its node, and nothing refers to one that is not stored."""
    with sqlite3.connect(home / "graph.sqlite") as db:
        narratives = {r[0] for r in db.execute("SELECT source_id FROM narratives")}
        nodes = {r[0] for r in db.execute("SELECT json_extract(props, '$.source_id') FROM nodes WHERE label = 'Narrative'")}
        assert nodes == narratives
        evidence = {r[0] for r in db.execute("SELECT DISTINCT narrative FROM evidence")}
        assert evidence <= narratives
        dangling = db.execute("SELECT COUNT(*) FROM edges e WHERE NOT EXISTS (SELECT 1 FROM nodes n WHERE n.id = e.source) "
                              "OR NOT EXISTS (SELECT 1 FROM nodes n WHERE n.id = e.target)").fetchone()[0]
        assert dangling == 0
        mentioned = {r[0] for r in db.execute("SELECT DISTINCT v.narrative FROM evidence v JOIN edges e ON e.id = v.edge_id "
                                              "WHERE e.type = 'MENTIONED_IN'")}
        assert mentioned == narratives


def all_consented(corpus: Path) -> None:
    """Generated narratives say consent "no" now and then, and those stay out of the shared graph; these
    tests are about crashes, not consent, so every record of their corpus consents to sharing."""
    records = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines()]
    corpus.write_text("".join(json.dumps({**r, "consent": "given"}) + "\n" for r in records), encoding="utf-8")


def test_killed_ingest_leaves_whole_narratives_and_resumes(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    assert run("generate", "--narratives", "240", "--seed", "3", "-o", str(corpus), home=tmp_path).returncode == 0
    all_consented(corpus)
    home = tmp_path / "home"
    process = subprocess.Popen([*SIGHTLINE, "ingest", str(corpus)], cwd=ROOT, env=env(home, ingest_batch="20"),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while stored(home) < 40 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    partial = stored(home)
    assert 0 < partial < 240, "the kill must land in the middle of the ingest"
    assert partial % 20 == 0  # batches are all-or-nothing
    assert_consistent(home)
    result = run("ingest", str(corpus), home=home)
    assert result.returncode == 0, result.stderr
    assert f"{partial} already stored" in result.stderr
    assert stored(home) == 240
    assert_consistent(home)
    stats = json.loads(run("stats", "--json", home=home).stdout)
    assert stats["nodes"]["Narrative"] == 240


def test_malformed_line_keeps_what_came_before_and_the_store_intact(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    assert run("generate", "--narratives", "6", "--seed", "4", "-o", str(corpus), home=tmp_path).returncode == 0
    all_consented(corpus)
    records = corpus.read_text(encoding="utf-8").splitlines()
    broken = tmp_path / "broken.jsonl"
    broken.write_text("\n".join([*records[:3], '{"id": "x", "text": ', *records[3:]]) + "\n", encoding="utf-8")
    home = tmp_path / "home"
    result = run("ingest", str(broken), home=home)
    assert result.returncode == 2
    assert f"{broken}:4" in result.stderr and "not valid JSON" in result.stderr
    assert "Traceback" not in result.stderr
    assert stored(home) == 3
    assert_consistent(home)
    fixed = run("ingest", str(corpus), home=home)
    assert fixed.returncode == 0, fixed.stderr
    assert stored(home) == 6


def test_same_id_with_different_text_is_refused(tmp_path: Path) -> None:
    first = tmp_path / "a.jsonl"
    first.write_text(json.dumps({"id": "n1", "text": "Marek Kowalski took our passports in Leicester."}) + "\n")
    second = tmp_path / "b.jsonl"
    second.write_text(json.dumps({"id": "n1", "text": "A different story about Tomas Varga in Derby."}) + "\n")
    home = tmp_path / "home"
    assert run("ingest", str(first), home=home).returncode == 0
    result = run("ingest", str(second), home=home)
    assert result.returncode == 2 and "already holds different text" in result.stderr
    assert stored(home) == 1


def test_stats_json_on_an_empty_home(tmp_path: Path) -> None:
    result = run("stats", "--json", home=tmp_path / "empty")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["narratives"] == 0
