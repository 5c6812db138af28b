"""The main job end to end, as `make run` runs it: ingest the samples, analyse, report; in a temporary home.

The samples plant networks that overlap across narratives (a shared recruiter, phone, business, route);
these tests check that they come out of the whole chain, and that the report names no victim.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from graph.analysis.results import AnalysisResult

SIGHTLINE = [sys.executable, "-m", "cli.main"]
ROOT = Path(__file__).resolve().parents[1]
SECTIONS = ("Bottom line up front", "Key Judgements", "Networks", "Routes", "Exposure", "Indicators",
            "Intelligence gaps", "Methodology and caveats")


def victims_in_gold() -> list[str]:
    """Every victim the hand annotations name (the narrator has no name)."""
    names = set()
    for gold in (ROOT / "data" / "gold").glob("*.gold"):
        for line in gold.read_text(encoding="utf-8").splitlines():
            match = re.fullmatch(r"role: (.+) \| victim", line.strip())
            if match and match.group(1) != "narrator":
                names.add(match.group(1))
    return sorted(names)


@pytest.fixture(scope="module")
def run_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("e2e")
    env = {**os.environ, "SIGHTLINE_HOME": str(work / ".sightline")}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        result = subprocess.run([*SIGHTLINE, *args], capture_output=True, text=True, cwd=work, env=env, timeout=900)
        assert result.returncode == 0, result.stderr
        return result

    run("ingest", str(ROOT / "data" / "samples"))
    first = run("stats", "--json").stdout
    again = run("ingest", str(ROOT / "data" / "samples"))
    assert "0 narrative(s), 64 already stored" in again.stderr.replace("\n", " ")
    assert run("stats", "--json").stdout == first  # re-ingesting changes nothing
    run("analyse")
    printed = run("report", "--out", "out").stdout
    for kind in ("md", "html", "pdf"):
        assert f"{kind}: out/report.{kind}" in printed  # it says where the report is
    return work


@pytest.fixture(scope="module")
def analysis(run_home: Path) -> AnalysisResult:
    return AnalysisResult.from_dict(json.loads((run_home / ".sightline" / "analysis.json").read_text(encoding="utf-8")))


def community_of(analysis: AnalysisResult, name: str) -> set[int]:
    ids = {n for n, info in analysis.nodes.items() if info.get("name") == name}
    return {c.id for c in analysis.communities if ids & set(c.members)}


def test_planted_networks_are_communities(analysis: AnalysisResult) -> None:
    romanian = community_of(analysis, "Andrei Munteanu")
    labour = community_of(analysis, "Marek Kowalski")
    nigerian = community_of(analysis, "Emmanuel Okafor")
    italian = community_of(analysis, "Ivan Petrov")
    assert all(len(c) == 1 for c in (romanian, labour, nigerian, italian))
    assert len(romanian | labour | nigerian | italian) == 4  # four separate networks
    assert labour & community_of(analysis, "Tomas Varga")  # the labour network's two controllers together
    assert nigerian & community_of(analysis, "Funmilayo Adebayo")
    assert analysis.modularity > 0.5


def test_planted_recruiters_rank_as_key_actors(analysis: AnalysisResult) -> None:
    for recruiter in ("Andrei Munteanu", "Marek Kowalski", "Emmanuel Okafor", "Ivan Petrov"):
        [community] = community_of(analysis, recruiter)
        top = [a.name for a in analysis.actors if a.community == community][:3]
        assert recruiter in top, (recruiter, top)


def test_planted_corridors_appear(analysis: AnalysisResult) -> None:
    corridors = {(c.origin_name, c.destination_name): c for c in analysis.corridors}
    assert corridors[("Bucharest", "Vienna")].people >= 3  # Constanta - Bucharest - Vienna, the Romanian route
    assert corridors[("Rotterdam", "Hull")].people >= 3  # the labour network's ferry


def test_report_has_every_section_in_every_format(run_home: Path) -> None:
    md = (run_home / "out" / "report.md").read_text(encoding="utf-8")
    html = (run_home / "out" / "report.html").read_text(encoding="utf-8")
    pdf = "\n".join(page.extract_text() or "" for page in PdfReader(run_home / "out" / "report.pdf").pages)
    for section in SECTIONS:
        assert f"## {section}" in md
        assert section in html
        assert section in pdf
    judgements = re.findall(r"^### KJ\d+:", md, flags=re.MULTILINE)
    assert 3 <= len(judgements) <= 7
    assert md.count("data:image/png;base64") == 0 and "data:image/png;base64" in html  # html stands alone


def test_report_names_no_victim(run_home: Path) -> None:
    texts = [(run_home / "out" / "report.md").read_text(encoding="utf-8"),
             (run_home / "out" / "report.html").read_text(encoding="utf-8"),
             "\n".join(page.extract_text() or "" for page in PdfReader(run_home / "out" / "report.pdf").pages)]
    victims = victims_in_gold()
    assert len(victims) >= 20
    for text in texts:
        for victim in victims:
            assert not re.search(rf"\b{re.escape(victim)}\b", text, flags=re.IGNORECASE), victim
