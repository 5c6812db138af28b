"""Key Judgement reports: sections, formats, privacy, one yardstick, determinism and the judgement rules.

The fixture is a small hand-built graph in the shape of ``docs/graph.md`` (a recruiter, a controller, two
victims and a narrator, one massage parlour, one corridor) and an ``AnalysisResult`` written to match it,
so these tests do not depend on the analysis code; one test also runs the real ``graph.analysis.analyse``.
"""

from __future__ import annotations

import copy
import io
import json
import re
from dataclasses import replace
from pathlib import Path

import networkx as nx
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text
from pypdf import PdfReader

from graph.analysis.results import (
    ActorScore, AnalysisResult, Community, Corridor, Exposure, ExposureContribution, Hotspot, NarrativeInfo,
)
from graph.model import (
    CONTROLLED, EXPLOITED_AT, LOCATED_IN, MENTIONED_IN, POSSIBLY_SAME_AS, RECRUITED, TRAVELLED, USES_PHONE, WORKED_AT,
    edge_id, identifier_node_id, location_node_id, narrative_node_id, organization_node_id, person_node_id,
)
from reports import figures as figs
from reports.evidence import HIGH, LOW, MODERATE, Source, confidence, probability
from reports.grading import parse_grade
from reports.graphfacts import GraphFacts
from reports.judgements import MAX_JUDGEMENTS, build_judgements
from reports.pseudonyms import Pseudonymiser, pseudonym
from reports.render import render_report
from reports.sections import SECTIONS
from reports.yardsticks import ICD203, PHIA, exclusive_terms, term_for

KEY = "test-key"
MARIA = person_node_id("maria popescu")
ELENA = person_node_id("elena dumitru")
NARRATOR = person_node_id("narrator:s002")
ION = person_node_id("ion vasile")
ANDREI = person_node_id("andrei lupu")
LOTUS = organization_node_id("golden lotus")
PHONE_GANG = identifier_node_id("Phone", "+40722415386")
PHONE_MARIA = identifier_node_id("Phone", "+447700900123")
CONSTANTA = location_node_id("Constanta", "RO")
LONDON = location_node_id("London", "GB")
ILFORD = location_node_id("Ilford", "GB")
NARRATIVES = {"s001": ("Lighthouse Romania", "B2", "2019-11-12"), "s002": ("Safe Passage UK", "A2", "2020-06-15"),
              "s003": ("Met Police MSHT Unit", "A1", "2021-03-15")}
NODE = {sid: narrative_node_id(f"{sid}-hash-0123456789abcdef0123") for sid in NARRATIVES}
VICTIM_NAMES = ("Maria Popescu", "Popescu", "Elena Dumitru", "Mari P.")
INDICATORS = {"s001": ["DebtBondage", "WithholdsDocuments"], "s002": ["DebtBondage", "PhysicalThreats"],
              "s003": ["DebtBondage", "WithholdsDocuments"]}


def _graph() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    for sid, (org, grade, date) in NARRATIVES.items():
        G.add_node(NODE[sid], label="Narrative", name=sid, source_id=sid, organisation=org, grading=grade, date=date,
                   language="en", consent="yes", content_hash=NODE[sid],
                   indicators=[{"code": c, "category": "method_of_control", "cue": "x", "sentence": "(withheld)",
                                "start": 0, "end": 1} for c in INDICATORS[sid]]
                   + [{"code": "SexualExploitation", "category": "type_of_exploitation", "cue": "x",
                       "sentence": "(withheld)", "start": 0, "end": 1}])
    people = {
        MARIA: ("Maria Popescu", {"victim": 2}, ["Maria Popescu", "Mari P."], False),
        ELENA: ("Elena Dumitru", {"victim": 1}, ["Elena Dumitru"], False),
        NARRATOR: ("narrator of s002", {"victim": 1}, [], True),
        ION: ("Ion Vasile", {"recruiter": 3}, ["Ion Vasile", "Nelu"], False),
        ANDREI: ("Andrei Lupu", {"controller": 2}, ["Andrei Lupu"], False),
    }
    for node, (name, roles, aliases, narrator) in people.items():
        G.add_node(node, label="Person", name=name, roles=roles, aliases=aliases, narrator=narrator)
    G.add_node(LOTUS, label="Organization", name="Golden Lotus", kind="business")
    G.add_node(PHONE_GANG, label="Phone", name="+40722415386", value="+40722415386", region="RO")
    G.add_node(PHONE_MARIA, label="Phone", name="+447700900123", value="+447700900123", region="GB")
    for node, name, country in ((CONSTANTA, "Constanta", "ro"), (LONDON, "London", "gb"), (ILFORD, "Ilford", "gb")):
        G.add_node(node, label="Location", name=name, country=country)

    def rel(type_: str, a: str, b: str, narratives: list[str], confidence: float = 0.9, q: str = "", **props):
        evidence = [{"narrative": n, "sentence": "(withheld)", "start": 0, "end": 1, "confidence": confidence}
                    for n in narratives]
        G.add_edge(a, b, key=edge_id(type_, a, b, q), type=type_, narratives=sorted(narratives),
                   confidence=confidence, evidence=evidence, **props)

    rel(RECRUITED, ION, MARIA, ["s001", "s002"])
    rel(RECRUITED, ION, ELENA, ["s003"])
    rel(CONTROLLED, ANDREI, MARIA, ["s001"])
    rel(CONTROLLED, ANDREI, NARRATOR, ["s002"])
    rel(EXPLOITED_AT, MARIA, LOTUS, ["s001", "s002"])
    rel(EXPLOITED_AT, ELENA, LOTUS, ["s003"])
    rel(WORKED_AT, ANDREI, LOTUS, ["s001"])
    rel(USES_PHONE, ION, PHONE_GANG, ["s001", "s003"])
    rel(USES_PHONE, ANDREI, PHONE_GANG, ["s002"])
    rel(USES_PHONE, MARIA, PHONE_MARIA, ["s001"])
    rel(LOCATED_IN, LOTUS, ILFORD, ["s001"])
    rel(TRAVELLED, MARIA, LONDON, ["s001"], q="s001:r1:1", route="s001:r1", seq=1, origin=CONSTANTA, via=[],
        mode="bus", date="2019-10")
    rel(TRAVELLED, ELENA, LONDON, ["s003"], q="s003:r1:1", route="s003:r1", seq=1, origin=CONSTANTA, via=[],
        mode="bus", date="2021-01")
    rel(TRAVELLED, NODE["s002"], LONDON, ["s002"], q="s002:r1:1", route="s002:r1", seq=1, origin=CONSTANTA,
        via=[], mode=None, date=None)
    G.add_edge(ELENA, NARRATOR, key=edge_id(POSSIBLY_SAME_AS, ELENA, NARRATOR), type=POSSIBLY_SAME_AS,
               score=0.8, reason="similar context", status="pending", narratives=["s002", "s003"], confidence=0.8,
               evidence=[])
    mentions = {"s001": [MARIA, ION, ANDREI, LOTUS, PHONE_GANG, PHONE_MARIA, CONSTANTA, LONDON, ILFORD],
                "s002": [MARIA, ION, ANDREI, NARRATOR, LOTUS, PHONE_GANG, CONSTANTA, LONDON],
                "s003": [ELENA, ION, LOTUS, PHONE_GANG, CONSTANTA, LONDON]}
    for sid, nodes in mentions.items():
        for node in nodes:
            G.add_edge(node, NODE[sid], key=edge_id(MENTIONED_IN, node, NODE[sid]), type=MENTIONED_IN,
                       narratives=[sid], confidence=1.0, evidence=[], spans=[[0, 1]])
    return G


def _analysis(organisations: dict[str, str] | None = None) -> AnalysisResult:
    orgs = organisations or {sid: org for sid, (org, _, _) in NARRATIVES.items()}
    members = sorted([MARIA, ELENA, NARRATOR, ION, ANDREI])
    contribution = ExposureContribution
    result = AnalysisResult(
        parameters={"resolution": 1.0, "seed": 7, "method": "python-louvain",
                    "exposure": {"max_hops": 3, "decay": 0.5, "weight_victim": 1.0, "weight_exploiter": 2.0,
                                 "weight_site": 1.5}},
        method="python-louvain", modularity=0.41,
        communities=[Community(id=0, members=members, size=5, businesses=[LOTUS], phones=[PHONE_GANG, PHONE_MARIA],
                               locations=[LONDON, CONSTANTA, ILFORD],
                               indicators={"DebtBondage": 3, "WithholdsDocuments": 2, "PhysicalThreats": 1},
                               narratives=["s001", "s002", "s003"])],
        actors=[ActorScore(ION, "Ion Vasile", 0, 1.0, 0.8, 0.9, 0.95, ["recruiter"]),
                ActorScore(ANDREI, "Andrei Lupu", 0, 0.75, 0.5, 0.6, 0.62, ["controller"]),
                ActorScore(MARIA, "Maria Popescu", 0, 0.5, 0.1, 0.3, 0.3, ["victim"])],
        corridors=[Corridor(CONSTANTA, LONDON, "Constanta", "London", people=3, legs=3, modes={"bus": 2, "unknown": 1},
                            period=["2019-10", "2021-01"], narratives=["s001", "s002", "s003"])],
        hotspots=[Hotspot(LOTUS, "Organization", "Golden Lotus", victims=3, indicators=6,
                          narratives=["s001", "s002", "s003"], score=0.9)],
        exposure=[
            Exposure(MARIA, "Maria Popescu", 0.93, 2.7, [
                contribution(ION, "exploiter", 1, 2.0, 0.9, 1.8, [MARIA, ION], ["s001", "s002"]),
                contribution(LOTUS, "site", 1, 1.5, 0.6, 0.9, [MARIA, LOTUS], ["s001", "s002"])]),
            Exposure(ELENA, "Elena Dumitru", 0.86, 1.96, [
                contribution(ION, "exploiter", 1, 2.0, 0.9, 1.8, [ELENA, ION], ["s003"]),
                contribution(MARIA, "victim", 2, 1.0, 0.32, 0.16, [ELENA, ION, MARIA], ["s001", "s003"])]),
            Exposure(NARRATOR, "narrator of s002", 0.83, 1.8, [
                contribution(ANDREI, "exploiter", 1, 2.0, 0.9, 1.8, [NARRATOR, ANDREI], ["s002"])]),
        ],
        indicators={"DebtBondage": 3, "WithholdsDocuments": 2, "PhysicalThreats": 1},
        exploitation={"SexualExploitation": 3},
        narratives=[NarrativeInfo(sid, NODE[sid], grade, orgs[sid], date, ["SexualExploitation"])
                    for sid, (_, grade, date) in NARRATIVES.items()],
    )
    G = _graph()
    result.nodes = {n: {"label": G.nodes[n]["label"], "name": G.nodes[n]["name"],
                        "roles": sorted(G.nodes[n].get("roles") or {})} for n in sorted(G) if not n.startswith("narr")}
    return result


def _pdf_text(path: Path) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return len(reader.pages), "\n".join(page.extract_text() or "" for page in reader.pages)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return render_report(_analysis(), _graph(), tmp_path_factory.mktemp("report"), pseudonym_key=KEY)


# -- output: sections, formats ----------------------------------------------------------------------------
def test_every_section_is_present_in_order(rendered: dict[str, Path]) -> None:
    md = rendered["md"].read_text(encoding="utf-8")
    html = rendered["html"].read_text(encoding="utf-8")
    positions = [md.index(f"\n## {heading}\n") for _, heading in SECTIONS]
    assert positions == sorted(positions)
    for anchor, heading in SECTIONS:
        assert f'<section id="{anchor}">' in html and f"<h2>{heading}</h2>" in html
    assert "### KJ1:" in md and "### Community 0" in md
    assert "Constanta → London" in md
    assert "Debt bondage | DebtBondage | 3 |" in md


def test_pdf_is_a_real_pdf_and_html_stands_alone(rendered: dict[str, Path]) -> None:
    data = rendered["pdf"].read_bytes()
    assert data.startswith(b"%PDF")
    pages, text = _pdf_text(rendered["pdf"])
    assert pages >= 2
    assert "Key Judgements" in text and "Bottom line up front" in text
    html = rendered["html"].read_text(encoding="utf-8")
    assert html.count('src="data:image/png;base64,') >= 4  # network, corridors, indicators, timeline
    assert "figures/" not in html and "sightline-figure:" not in html
    for name in ("network-c0", "corridors", "indicators", "timeline"):
        assert (rendered["figures"] / f"{name}.png").read_bytes().startswith(b"\x89PNG")
        assert f"](figures/{name}.png)" in rendered["md"].read_text(encoding="utf-8")


# -- privacy ------------------------------------------------------------------------------------------------
def test_victims_never_named_in_any_format(rendered: dict[str, Path]) -> None:
    md = rendered["md"].read_text(encoding="utf-8")
    html = rendered["html"].read_text(encoding="utf-8")
    _, pdf = _pdf_text(rendered["pdf"])
    for text in (md, html, pdf):
        for name in VICTIM_NAMES + ("narrator of s002", "+447700900123"):
            assert name not in text
        for node in (MARIA, ELENA, NARRATOR, ION):
            assert node not in text  # person ids are hashes of name material
        assert pseudonym(MARIA, KEY) in text
    assert "(withheld)" not in md  # evidence sentences are never printed


def test_exploiters_are_named_with_their_phone(rendered: dict[str, Path]) -> None:
    md = rendered["md"].read_text(encoding="utf-8")
    _, pdf = _pdf_text(rendered["pdf"])
    for text in (md, rendered["html"].read_text(encoding="utf-8"), pdf):
        assert "Ion Vasile" in text and "Andrei Lupu" in text
    assert "+40722415386" in md  # used only by exploiters
    assert pseudonym(PHONE_MARIA, KEY, "PH") in md  # the victim's phone is masked
    assert "also known as Nelu" in md


def test_reveal_names_is_an_explicit_opt_in(tmp_path: Path) -> None:
    paths = render_report(_analysis(), _graph(), tmp_path, pseudonym_key=KEY, reveal_names=True,
                          formats=("md", "html"))
    md = paths["md"].read_text(encoding="utf-8")
    assert "Maria Popescu" in md and "+447700900123" in md and "NAMES REVEALED" in md
    assert "Maria Popescu" in paths["html"].read_text(encoding="utf-8")


def test_figure_labels_are_pseudonymised(monkeypatch: pytest.MonkeyPatch) -> None:
    texts: list[str] = []
    original = figs._png

    def capture(fig: Figure) -> bytes:
        texts.extend(t.get_text() for t in fig.findobj(Text))
        return original(fig)

    monkeypatch.setattr(figs, "_png", capture)
    G = _graph()
    namer = Pseudonymiser(KEY, nodes=_analysis().nodes, graph=G)
    figs.network_figure(_analysis().communities[0], figs.person_projection_of(G), namer)
    joined = "\n".join(texts)
    assert "Ion Vasile" in joined and pseudonym(MARIA, KEY) in joined
    assert not any(name in joined for name in VICTIM_NAMES)


def test_naming_rule_and_tokens() -> None:
    G = nx.MultiDiGraph()
    cases = {"person:a": ({"victim": 1, "recruiter": 1}, False), "person:b": ({"recruiter": 2}, False),
             "person:c": ({}, False), "person:d": ({"controller": 1}, True), "person:e": ({"witness": 1}, False),
             "person:f": ({"transporter": 1, "unknown": 1}, False)}
    for node, (roles, narrator) in cases.items():
        G.add_node(node, label="Person", name=node.upper(), roles=roles, narrator=narrator)
    namer = Pseudonymiser(KEY, graph=G)
    assert {n for n in cases if not namer.is_masked(n)} == {"person:b", "person:f"}
    assert re.fullmatch(r"P-[0-9A-F]{6}", namer.label("person:a"))
    assert namer.label("person:a") == Pseudonymiser(KEY, graph=G).label("person:a")  # stable
    assert namer.label("person:a") != Pseudonymiser("other-key", graph=G).label("person:a")  # keyed
    assert Pseudonymiser(KEY, graph=G, reveal_names=True).label("person:a") == "PERSON:A"
    with pytest.raises(ValueError):
        Pseudonymiser("", graph=G)


def test_leak_guard_redacts_a_victim_name_reaching_text_through_another_node(tmp_path: Path) -> None:
    G = _graph()
    G.nodes[LOTUS]["name"] = "Maria Popescu's flat"  # an extraction slip: a business named after the victim
    analysis = _analysis()
    analysis.nodes[LOTUS]["name"] = "Maria Popescu's flat"
    paths = render_report(analysis, G, tmp_path, pseudonym_key=KEY, formats=("md", "html"),
                          title="Operation Maria Popescu")  # caller text goes through the final guard too
    for fmt in ("md", "html"):
        text = paths[fmt].read_text(encoding="utf-8")
        assert "Maria Popescu" not in text
        assert f"Operation {pseudonym(MARIA, KEY)}" in text
        assert f"{pseudonym(MARIA, KEY)}&#39;s flat" in text or f"{pseudonym(MARIA, KEY)}'s flat" in text


def test_hostile_names_cannot_break_markdown_or_inject_html(tmp_path: Path) -> None:
    G = _graph()
    hostile = "Bar | <script>alert(1)</script> *x*"
    G.nodes[LONDON]["name"] = hostile
    analysis = _analysis()
    analysis.nodes[LONDON]["name"] = hostile
    paths = render_report(analysis, G, tmp_path, pseudonym_key=KEY, formats=("md", "html"))
    html = paths["html"].read_text(encoding="utf-8")
    md = paths["md"].read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<script>" not in md
    row = next(line for line in md.splitlines() if line.startswith("| Constanta"))
    assert row.count(" | ") == 5  # the pipe in the name is escaped, so the row keeps six cells


# -- one yardstick, determinism, atomic writes --------------------------------------------------------------
@pytest.mark.parametrize("yardstick", ["PHIA", "ICD203"])
def test_one_yardstick_per_report(tmp_path: Path, yardstick: str) -> None:
    paths = render_report(_analysis(), _graph(), tmp_path, pseudonym_key=KEY, yardstick=yardstick,
                          formats=("md", "html"))
    other = "ICD203" if yardstick == "PHIA" else "PHIA"
    own_terms = {b.term for b in (PHIA if yardstick == "PHIA" else ICD203)}
    for fmt in ("md", "html"):
        text = paths[fmt].read_text(encoding="utf-8").lower()
        for term in sorted(own_terms, key=len, reverse=True):  # "likely" (ICD) inside "highly likely" (PHIA)
            text = text.replace(term, "#")
        assert not [t for t in exclusive_terms(other) if re.search(rf"\b{t}\b", text)], fmt
    md = paths["md"].read_text(encoding="utf-8")
    used = re.findall(r"\*\*Likelihood:\*\* (.+?) \(", md)
    assert used and set(used) <= own_terms


def test_same_analysis_gives_byte_identical_output(tmp_path: Path) -> None:
    a = render_report(_analysis(), _graph(), tmp_path / "a", pseudonym_key=KEY, formats=("md", "html"))
    b = render_report(_analysis(), _graph(), tmp_path / "b", pseudonym_key=KEY, formats=("md", "html"))
    assert a["md"].read_bytes() == b["md"].read_bytes()
    assert a["html"].read_bytes() == b["html"].read_bytes()
    c = render_report(_analysis(), _graph(), tmp_path / "c", pseudonym_key=KEY, formats=("md",),
                      generated_at="2025-01-01 12:00 UTC")
    assert c["md"].read_bytes() != a["md"].read_bytes()
    assert "Generated 2025-01-01 12:00 UTC from" in c["md"].read_text(encoding="utf-8")


def test_a_failed_render_leaves_no_half_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = render_report(_analysis(), _graph(), tmp_path, pseudonym_key=KEY, formats=("md", "html"))
    before = first["md"].read_bytes()

    def broken(html: str, out_dir: Path) -> bytes:
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr("reports.render._pdf", broken)
    changed = _analysis()
    changed.hotspots[0] = replace(changed.hotspots[0], victims=7)
    with pytest.raises(RuntimeError):
        render_report(changed, _graph(), tmp_path, pseudonym_key=KEY)
    assert first["md"].read_bytes() == before
    assert not (tmp_path / "report.pdf").exists()
    assert not [p for p in tmp_path.rglob("*.tmp")]


def test_bad_arguments_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="format"):
        render_report(_analysis(), _graph(), tmp_path, pseudonym_key=KEY, formats=("docx",))
    with pytest.raises(ValueError, match="yardstick"):
        render_report(_analysis(), _graph(), tmp_path, pseudonym_key=KEY, yardstick="NATO")
    with pytest.raises(ValueError, match="key"):
        render_report(_analysis(), _graph(), tmp_path, pseudonym_key="")
    assert not list(tmp_path.iterdir())


# -- judgement rules ----------------------------------------------------------------------------------------
def _src(sid: str, org: str | None, grade: str | None) -> Source:
    return Source(sid, parse_grade(grade), org, None)


def test_more_independent_and_better_graded_sources_raise_probability() -> None:
    one = [_src("s1", "A", "A1")]
    two = one + [_src("s2", "B", "A1")]
    three = two + [_src("s3", "C", "A1")]
    assert probability(1.0, one) < probability(1.0, two) < probability(1.0, three)
    same_org = one + [_src("s2", "A", "A1")]
    assert probability(1.0, one) < probability(1.0, same_org) < probability(1.0, two)
    assert probability(1.0, [_src("s", "A", "A1")]) > probability(1.0, [_src("s", "A", "C3")]) > \
        probability(1.0, [_src("s", "A", "nonsense")])
    assert probability(0.5, two) < probability(1.0, two)
    assert probability(1.0, [_src(f"s{i}", f"org{i}", "A1") for i in range(40)]) == 0.95  # capped
    unknown = [_src("s1", None, "A1"), _src("s2", None, "A1")]
    assert probability(1.0, unknown) == probability(1.0, same_org)  # unknown organisations are pooled


def test_confidence_is_a_separate_rule() -> None:
    assert confidence([_src("s1", "A", "A1")]).level == LOW  # single source
    three = [_src("s1", "A", "A1"), _src("s2", "B", "B2"), _src("s3", "C", "A2")]
    assert confidence(three).level == HIGH
    assert confidence(three, conflicts=["unresolved identity match"]).level == MODERATE
    assert confidence([_src("s1", "A", "A1"), _src("s2", "A", "A1"), _src("s3", "A", "A1")]).level == MODERATE
    assert confidence([_src("s1", "A", None), _src("s2", "B", "junk")]).level == LOW


def test_judgements_follow_the_rules_on_the_fixture() -> None:
    G = _graph()
    analysis = _analysis()
    namer = Pseudonymiser(KEY, nodes=analysis.nodes, graph=G)
    js = build_judgements(analysis, namer, GraphFacts(G), yardstick="PHIA")
    assert 3 <= len(js.judgements) <= MAX_JUDGEMENTS and js.shortfall is None
    kinds = {j.kind for j in js.judgements}
    assert {"network", "actor", "site", "corridor"} <= kinds
    probabilities = [j.probability for j in js.judgements]
    assert probabilities == sorted(probabilities, reverse=True)
    for j in js.judgements:
        assert j.term == term_for(j.probability, "PHIA") and j.confidence in (HIGH, MODERATE, LOW)
        assert j.sources and j.changes
    actor = next(j for j in js.judgements if j.kind == "actor")
    assert actor.statement == "Ion Vasile is a key recruiter in community 0."
    network = next(j for j in js.judgements if j.kind == "network")
    assert any("POSSIBLY_SAME_AS" in g for g in network.gaps)
    assert any("no financial identifiers" in g for g in network.gaps)
    corridor = next(j for j in js.judgements if j.kind == "corridor")
    assert any("unknown traveller" in g for g in corridor.gaps)
    again = build_judgements(copy.deepcopy(analysis), Pseudonymiser(KEY, nodes=analysis.nodes, graph=G),
                             GraphFacts(G))
    assert [(j.statement, j.probability, j.confidence) for j in again.judgements] == \
        [(j.statement, j.probability, j.confidence) for j in js.judgements]


def test_one_organisation_lowers_probability_and_confidence() -> None:
    G = _graph()
    spread = _analysis()
    single = _analysis({sid: "Safe Passage UK" for sid in NARRATIVES})

    def site(a: AnalysisResult):
        js = build_judgements(a, Pseudonymiser(KEY, nodes=a.nodes, graph=G), GraphFacts(G))
        return next(j for j in js.judgements if j.kind == "site")

    assert site(single).probability < site(spread).probability
    assert site(spread).confidence == HIGH and site(single).confidence == MODERATE
    assert any("one organisation" in g for g in site(single).gaps)


def test_at_most_seven_judgements_and_no_kind_crowds_out_the_rest() -> None:
    G = _graph()
    analysis = _analysis()
    for i in range(8):
        node = organization_node_id(f"site {i}")
        analysis.hotspots.append(replace(analysis.hotspots[0], node=node, name=f"Site {i}"))
        analysis.nodes[node] = {"label": "Organization", "name": f"Site {i}", "roles": []}
    js = build_judgements(analysis, Pseudonymiser(KEY, nodes=analysis.nodes, graph=G), GraphFacts(G))
    kinds = [j.kind for j in js.judgements]
    assert len(kinds) == MAX_JUDGEMENTS and js.considered["site"] == 9
    assert kinds.count("site") <= 3 and {"network", "actor", "corridor"} <= set(kinds)
    assert [j.id for j in js.judgements] == [f"KJ{i}" for i in range(1, MAX_JUDGEMENTS + 1)]


def test_the_saved_json_form_renders_identically(tmp_path: Path) -> None:
    analysis = _analysis()
    loaded = AnalysisResult.from_dict(json.loads(analysis.to_json()))
    a = render_report(analysis, _graph(), tmp_path / "a", pseudonym_key=KEY, formats=("md",))
    b = render_report(loaded, _graph(), tmp_path / "b", pseudonym_key=KEY, formats=("md",))
    assert a["md"].read_bytes() == b["md"].read_bytes()


def test_thin_evidence_is_reported_as_a_shortfall_not_padded(tmp_path: Path) -> None:
    thin = AnalysisResult(parameters={}, method="python-louvain", modularity=0.0,
                          narratives=[NarrativeInfo("s9", "narrative:x", None, None, None, [])])
    paths = render_report(thin, None, tmp_path, pseudonym_key=KEY, formats=("md", "html", "pdf"))
    md = paths["md"].read_text(encoding="utf-8")
    assert "supports only 0 key judgements" in md
    assert "No key judgement can be supported" in md
    assert "graph not supplied" in md
    assert "### KJ1" not in md
    assert paths["pdf"].read_bytes().startswith(b"%PDF")


def test_without_the_graph_actor_and_method_judgements_are_not_formed(tmp_path: Path) -> None:
    analysis = _analysis()
    namer = Pseudonymiser(KEY, nodes=analysis.nodes)
    js = build_judgements(analysis, namer, None)
    assert not {j.kind for j in js.judgements} & {"actor", "method"}
    assert js.not_formed
    md = render_report(analysis, None, tmp_path, pseudonym_key=KEY, formats=("md",))["md"].read_text("utf-8")
    assert "Maria Popescu" not in md and "+40722415386" not in md  # without the graph every identifier is masked
    assert "network-c0.png" not in md


# -- yardsticks and grading ---------------------------------------------------------------------------------
def test_yardstick_terms() -> None:
    assert term_for(0.03, "PHIA") == "remote chance"
    assert term_for(0.07, "PHIA") == "remote chance"  # gap: nearer edge
    assert term_for(0.09, "PHIA") == "highly unlikely"
    assert term_for(0.525, "PHIA") == "realistic possibility"  # half-way: the lower band
    assert term_for(0.6, "PHIA") == "likely or probably"
    assert term_for(0.95, "PHIA") == "almost certain"
    assert term_for(0.55, "ICD203") == "roughly even chance"  # shared edge: nearer centre
    assert term_for(0.95, "ICD203") == "almost certain"
    assert term_for(0.5, "icd-203") == "roughly even chance"
    assert term_for(1.7, "ICD203") == "almost certain"
    with pytest.raises(ValueError):
        term_for(0.5, "NATO")


def test_grading() -> None:
    assert parse_grade("B2").weight == pytest.approx(0.64) and parse_grade("B2").valid
    assert parse_grade(" a-1 ").code == "A1" and parse_grade("A1").weight == 1.0
    for bad in (None, "", "G7", "B9", "B22", "2B"):
        grade = parse_grade(bad)
        assert not grade.valid and grade.code == "F6" and grade.label == "ungraded"
    assert parse_grade("E5").weight < parse_grade("F6").weight < parse_grade("C3").weight


# -- against the real analysis ------------------------------------------------------------------------------
def test_renders_the_real_analysis_of_the_fixture_graph(tmp_path: Path) -> None:
    from graph.analysis import analyse

    G = _graph()
    paths = render_report(analyse(G), G, tmp_path, pseudonym_key=KEY, formats=("md", "html"))
    for fmt in ("md", "html"):
        text = paths[fmt].read_text(encoding="utf-8")
        assert "Ion Vasile" in text
        assert not any(name in text for name in VICTIM_NAMES)


def test_no_protected_name_in_a_report_on_a_synthetic_graph(tmp_path: Path) -> None:
    from evaluation.synthetic_graph import synthetic_graph
    from graph.analysis import analyse

    G = synthetic_graph(300, seed=3)
    analysis = analyse(G)
    paths = render_report(analysis, G, tmp_path, pseudonym_key=KEY, formats=("md", "html"))
    namer = Pseudonymiser(KEY, nodes=analysis.nodes, graph=G)
    protected = [d["name"] for n, d in G.nodes(data=True) if d.get("label") == "Person" and namer.is_masked(n)]
    named = [d["name"] for n, d in G.nodes(data=True) if d.get("label") == "Person" and not namer.is_masked(n)]
    assert len(protected) > 50 and named
    for fmt in ("md", "html"):
        text = paths[fmt].read_text(encoding="utf-8")
        assert not [name for name in protected if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text)]
        assert any(name in text for name in named)
