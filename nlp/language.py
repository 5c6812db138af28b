"""Is this narrative English? The NER model is English-only; other languages get identifiers only.

English is recognised cheaply by its function words, which keeps detection off the hot path of a
batch; anything else is named by ``langdetect`` (seeded, so the answer is stable).
"""

from __future__ import annotations

import re

from langdetect import DetectorFactory, LangDetectException, detect
from spacy.lang.en.stop_words import STOP_WORDS

DetectorFactory.seed = 0
_WORD_RE = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_MIN_WORDS = 8
_ENGLISH_SHARE = 0.3
_CORE = frozenset({"the", "and", "to", "of", "was", "he", "she", "i", "we", "in", "that", "her", "his", "they",
                   "with", "for", "me", "my", "were", "had", "said", "is", "it", "on", "at", "by", "from"})


def detect_language(text: str) -> str:
    """ISO 639-1 code; texts too short to tell are taken as English."""
    words = [w.lower() for w in _WORD_RE.findall(text[:5000])]
    if len(words) < _MIN_WORDS:
        return "en"
    stop_share = sum(w in STOP_WORDS for w in words) / len(words)
    core_share = sum(w in _CORE for w in words) / len(words)
    if stop_share >= _ENGLISH_SHARE and core_share >= 0.1:
        return "en"
    try:
        return detect(text[:5000])
    except LangDetectException:
        return "und"
