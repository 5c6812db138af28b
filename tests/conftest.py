from __future__ import annotations

import pytest

from nlp import Extractor


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    """One real pipeline (the real en_core_web_sm model) for the whole run."""
    return Extractor()
