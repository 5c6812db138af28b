"""Render an ``AnalysisResult`` as a Key Judgement report: Markdown, standalone HTML and PDF, plus figures.

Everything is rendered in memory first and written only when all of it succeeded, each file through a
temporary file renamed over the target: a crash or a rendering error leaves the previous report (or
nothing), never half a report. Report files are created readable by their owner only (they hold
person-level intelligence even when pseudonymised).

Output is deterministic: no timestamp unless the caller passes ``generated_at``, seeded layouts, sorted
iteration everywhere, so the same analysis gives byte-identical Markdown and HTML.
"""

from __future__ import annotations

import base64
import logging
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import networkx as nx
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from graph.analysis.results import AnalysisResult
from graph.atomic_file import write_atomic
from reports import figures as figs
from reports import sections
from reports.graphfacts import GraphFacts
from reports.judgements import build_judgements
from reports.pseudonyms import Pseudonymiser
from reports.yardsticks import normalise_name

log = logging.getLogger(__name__)

FORMATS = ("md", "html", "pdf")
DEFAULT_TITLE = "Sightline Key Judgement report"
FIGURE_DIR = "figures"
_FIGURE_FILE = re.compile(r"^(network-c\d+|corridors|indicators|timeline)\.png$")
_PLACEHOLDER = "sightline-figure:"


def _md_escape(value: Any) -> str:
    """Escape text for Markdown: table pipes, emphasis, links, raw HTML and line breaks are neutralised."""
    text = " ".join(str(value).split())
    text = re.sub(r"([\\`*\[\]|#])", r"\\\1", text)
    text = re.sub(r"(?<!\w)_|_(?!\w)", r"\\_", text)  # intraword underscores (MAX_HOPS) cannot emphasise
    return text.replace("<", "&lt;").replace(">", "&gt;")


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("reports", "templates"),
                      autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=False),
                      undefined=StrictUndefined, keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)
    env.filters["md"] = _md_escape
    return env


def _figures(analysis: AnalysisResult, G: nx.MultiDiGraph | None, namer: Pseudonymiser,
             seed: int) -> dict[str, bytes]:
    """Figure name -> PNG bytes, in report order. Network figures need the graph for their ties."""
    out: dict[str, bytes] = {}
    networks = [c for c in analysis.communities if c.size >= 2][:sections.MAX_NETWORKS]
    if G is not None and networks:
        P = figs.person_projection_of(G)
        matches = figs.possible_matches(G)
        for c in networks:
            out[sections.network_figure_name(c)] = figs.network_figure(c, P, namer, seed=seed, matches=matches)
    for name, png in (("corridors", figs.corridor_figure(analysis.corridors, namer)),
                      ("indicators", figs.indicator_figure(analysis.indicators)),
                      ("timeline", figs.timeline_figure(analysis.narratives))):
        if png is not None:
            out[name] = png
    return out


def build_context(analysis: AnalysisResult, G: nx.MultiDiGraph | None, namer: Pseudonymiser, *, yardstick: str,
                  title: str, generated_at: str | None, figure_names: Iterable[str]) -> dict[str, Any]:
    """Everything the templates print. Figures appear by name; each format says where a name points."""
    figure_src = {n: n for n in figure_names}
    facts = GraphFacts(G)
    js = build_judgements(analysis, namer, facts, yardstick=yardstick)
    summary = sections.summary(analysis)
    return {
        "title": title,
        "generated_at": generated_at,
        "summary": summary,
        "sections": sections.SECTIONS,
        "bluf": sections.bluf(analysis, js, summary),
        "js": js,
        "networks": sections.networks(analysis, namer, facts, figure_src),
        "network_count": sum(1 for c in analysis.communities if c.size >= 2),
        "routes": sections.routes(analysis, namer),
        "route_count": len(analysis.corridors),
        "exposure": sections.exposure(analysis, namer),
        "exposure_count": len(analysis.exposure),
        "methods": sections.indicator_rows(analysis.indicators, summary["narratives"]),
        "exploitation": sections.indicator_rows(analysis.exploitation, summary["narratives"]),
        "gaps": sections.global_gaps(analysis, js, facts),
        "method": sections.methodology(analysis, js, namer.reveal_names),
        "figures": figure_src,
        "reveal_names": namer.reveal_names,
        "graph_supplied": G is not None,
    }


def render_report(analysis: AnalysisResult, G: nx.MultiDiGraph | None, out_dir: Path, *, yardstick: str = "PHIA",
                  reveal_names: bool = False, pseudonym_key: str, formats: Iterable[str] = FORMATS,
                  title: str = DEFAULT_TITLE, generated_at: str | None = None, seed: int = 7) -> dict[str, Path]:
    """Write the report in ``formats`` to ``out_dir`` (figures in ``out_dir/figures``); return the paths.

    ``G`` is the networkx projection the analysis ran on; without it the report still renders, with no
    network figures, no actor or method judgements and fewer gap checks (each stated in the report).
    ``reveal_names=True`` prints victims' names: the caller must audit that request.
    """
    wanted = list(dict.fromkeys(str(f).lower().lstrip(".") for f in formats))
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown or not wanted:
        raise ValueError(f"unknown report format(s) {unknown or wanted}: choose from {', '.join(FORMATS)}")
    yardstick = normalise_name(yardstick)
    namer = Pseudonymiser(pseudonym_key, reveal_names=reveal_names, nodes=analysis.nodes, graph=G)
    env = _environment()
    out_dir = Path(out_dir)

    pngs = _figures(analysis, G, namer, seed)
    ctx = build_context(analysis, G, namer, yardstick=yardstick, title=title, generated_at=generated_at,
                        figure_names=pngs)
    rendered: dict[str, bytes] = {}
    if "md" in wanted:
        md = env.get_template("report.md.j2").render(ctx, src=lambda n: f"{FIGURE_DIR}/{n}.png")
        rendered["md"] = _guard(namer, md).encode("utf-8")
    if "html" in wanted or "pdf" in wanted:
        # Figures go in after the leak guard has run: base64 text must not be scanned for names.
        html = env.get_template("report.html.j2").render(ctx, src=lambda n: f"{_PLACEHOLDER}{n}")
        html = _guard(namer, html)
        for name, png in pngs.items():
            html = html.replace(f"{_PLACEHOLDER}{name}", "data:image/png;base64," + base64.b64encode(png).decode())
        if "html" in wanted:
            rendered["html"] = html.encode("utf-8")
        if "pdf" in wanted:
            rendered["pdf"] = _pdf(html, out_dir)

    out_dir.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    figure_dir = out_dir / FIGURE_DIR
    figure_dir.mkdir(exist_ok=True)
    for stale in sorted(figure_dir.iterdir()):
        if _FIGURE_FILE.match(stale.name) and stale.stem not in pngs:
            stale.unlink()
    for name, png in pngs.items():
        write_atomic(figure_dir / f"{name}.png", png)
    paths["figures"] = figure_dir
    for fmt in FORMATS:
        if fmt in rendered:
            path = out_dir / f"report.{fmt}"
            write_atomic(path, rendered[fmt])
            paths[fmt] = path
    return paths


def _guard(namer: Pseudonymiser, text: str) -> str:
    """The last-line leak guard: any protected name still in the text becomes its token (and is logged)."""
    guarded = namer.redact(text)
    if guarded != text:
        log.warning("report text contained a protected name; it was replaced by its pseudonym")
    return guarded


def _pdf(html: str, out_dir: Path) -> bytes:
    """PDF from the standalone HTML (figures are data URIs, so nothing is fetched)."""
    from weasyprint import HTML  # imported here: slow to load, and only the PDF needs it

    return HTML(string=html, base_url=str(out_dir)).write_pdf()
