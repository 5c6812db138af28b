"""The house rules of docs/architecture.md, checked from the source with ``ast`` so that they keep holding.

Every import counts, including those inside functions and under ``TYPE_CHECKING``: an import that runs
late still ties two modules together.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("api", "cli", "cypher", "evaluation", "graph", "intake", "multiparty", "nlp", "reports", "screening", "sharing",
            "state", "web")
SOURCES = (*PACKAGES, "bench")
DOMAIN = ("graph", "intake", "multiparty", "nlp", "reports", "screening", "sharing", "state")  # what the HTTP API and the CLI are shells over
MAX_LINES = 450
MAX_API_MODULES = 16
# Libraries whose use means parsing files, persisting rows, running jobs or matching names: the services' work.
NOT_IN_API = {"csv", "docx", "pypdf", "charset_normalizer", "spacy", "sqlite3", "neo4j", "subprocess", "rapidfuzz",
              "jellyfish", "phonenumbers", "pandas", "followthemoney", "opendp", "mbi", "jax", "mpyc"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            found[_module_name(path)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """Every module name this file imports, as written (absolute) or resolved (relative)."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                here = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
                here = here[: len(here) - (node.level - 1)]
                base = ".".join([*here, *([node.module] if node.module else [])])
            # ``from graph import model`` imports the module graph.model; ``from graph.x import f`` imports graph.x
            out |= {f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names}
    return out


def _project_module(imported: str) -> str | None:
    """The project module an import resolves to (its longest known prefix), or None for a library."""
    while imported and imported not in MODULES:
        imported = imported.rpartition(".")[0]
    return imported or None


def _graph() -> nx.DiGraph:
    g = nx.DiGraph()
    for name, path in MODULES.items():
        g.add_node(name)
        for imported in _imports(name, path):
            target = _project_module(imported)
            if target and target != name:
                g.add_edge(name, target)
    return g


GRAPH = _graph()


def _top(name: str) -> str:
    return name.split(".")[0]


def _violations(sources: tuple[str, ...], forbidden: set[str]) -> list[str]:
    return sorted(f"{a} imports {b}" for a, b in GRAPH.edges if _top(a) in sources and _top(b) in forbidden)


def test_the_checker_sees_the_whole_tree() -> None:
    # a rule over an empty graph would pass vacuously
    assert len(MODULES) > 150
    assert ("graph.pipeline.apply", "graph.pipeline.writing") in GRAPH.edges
    assert ("cli.worker", "intake.worker") in GRAPH.edges  # (an import inside a function)


def test_no_import_cycle() -> None:
    cycles = [sorted(c) for c in nx.strongly_connected_components(GRAPH) if len(c) > 1]
    assert cycles == []


def test_domain_code_never_imports_the_shells() -> None:
    assert _violations(DOMAIN, {"api", "cli", "web"}) == []


def test_nlp_is_pure() -> None:
    assert _violations(("nlp",), set(PACKAGES) - {"nlp"}) == []


def test_graph_never_reads_the_service_state_or_settings() -> None:
    assert _violations(("graph", "reports"), {"state", "intake", "screening", "sharing", "multiparty"}) == []


def test_stores_only_persist_and_query() -> None:
    bad = sorted(f"{a} imports {b}" for a, b in GRAPH.edges
                 if a.startswith("graph.stores.") and b.startswith(("graph.pipeline", "graph.analysis")))
    assert bad == []


def test_generators_and_evaluators_stay_out_of_the_runtime() -> None:
    assert _violations(DOMAIN + ("api", "web"), {"evaluation"}) == []


def test_api_only_speaks_http() -> None:
    top_level = [p for p in (ROOT / "api").iterdir()
                 if (p.suffix == ".py" and p.name != "__init__.py") or (p / "__init__.py").exists()]
    assert len(top_level) <= MAX_API_MODULES, sorted(p.name for p in top_level)
    bad = []
    for name, path in MODULES.items():
        if _top(name) == "api":
            bad += [f"{name} imports {lib}" for lib in _imports(name, path) if lib.split(".")[0] in NOT_IN_API]
    assert bad == []


def test_the_workspace_is_a_client_of_the_api() -> None:
    """web/ draws pages; the data comes from /v1 routes, so it reaches no store, parser or matcher itself."""
    bad = [f"{name} imports {lib}" for name, path in MODULES.items() if _top(name) == "web"
           for lib in _imports(name, path)
           if lib.split(".")[0] in NOT_IN_API | {"graph", "intake", "screening", "sharing", "multiparty", "nlp", "reports",
                                                  "evaluation"}]
    assert bad == []


@pytest.mark.parametrize("package", SOURCES)
def test_no_module_over_the_limit(package: str) -> None:
    long = {str(p.relative_to(ROOT)): n for p in sorted((ROOT / package).rglob("*.py"))
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_joint_computations_read_only_their_inputs_and_nothing_reads_them() -> None:
    """multiparty reads flagged entities (screening) and victim cases (sharing); no service depends on it,
    so a deployment that never joins a computation never loads MPyC."""
    assert _violations(("multiparty",), {"intake", "reports", "evaluation"}) == []
    assert _violations(tuple(p for p in DOMAIN if p != "multiparty") + ("api", "web"), {"multiparty"}) == []
