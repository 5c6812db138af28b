"""Key Judgement reports: an ``AnalysisResult`` in; Markdown, standalone HTML and PDF with figures out.

- ``reports.render.render_report``: the one entry point (``sightline report`` calls it);
- ``reports.candidates``: the rules that propose judgements from an analysis; ``reports.judgements.build_judgements`` keeps 3-7 of them;
- ``reports.evidence``: probability and analytic confidence from sources and their Admiralty grades;
- ``reports.yardsticks``, ``reports.grading``: the PHIA / ICD 203 scales and Admiralty grades as data;
- ``reports.pseudonyms``: who may be named, and the keyed tokens for everybody else;
- ``reports.figures``: network, corridor, indicator and timeline PNGs; ``reports.maps`` draws the corridors on the
  shipped country outlines, ``reports.labels`` places figure labels so that none overlaps another.

The names below are imported lazily so that ``import reports.yardsticks`` does not load matplotlib.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Pseudonymiser", "build_judgements", "render_report", "term_for"]

_LAZY = {
    "render_report": ("reports.render", "render_report"),
    "build_judgements": ("reports.judgements", "build_judgements"),
    "Pseudonymiser": ("reports.pseudonyms", "Pseudonymiser"),
    "term_for": ("reports.yardsticks", "term_for"),
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'reports' has no attribute {name!r}")
    import importlib

    module, attr = _LAZY[name]
    return getattr(importlib.import_module(module), attr)
