"""Is this narrative English? The NER model is English-only; other languages get identifiers only.

English is recognised cheaply by its function words, which keeps detection off the hot path of a
batch; anything else is named by ``langdetect`` (seeded, so the answer is stable).
"""

from __future__ import annotations

import re

from langdetect import DetectorFactory, LangDetectException, detect
from langdetect.detector_factory import init_factory
from spacy.lang.en.stop_words import STOP_WORDS

DetectorFactory.seed = 0
_WORD_RE = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_MIN_WORDS = 8
_ENGLISH_SHARE = 0.3
# Function words that are English and not also common words of the other languages narratives come in
# ("me", "i", "in", "on" are Spanish, Italian, German or French words too).
_CORE = frozenset({"the", "and", "to", "of", "was", "he", "she", "we", "that", "her", "his", "they", "with", "for",
                   "were", "had", "said", "is", "it", "from", "my", "have", "not", "this", "but", "when", "would",
                   "there", "who", "been", "by", "at"})


def detect_language(text: str) -> str:
    """ISO 639-1 code; texts too short to tell are taken as English."""
    found = _WORD_RE.findall(text[:5000])
    if len(found) < _MIN_WORDS:
        return "en"
    # Names, places and headings say nothing about the language the sentences are written in; an English
    # text full of them (an intake note, a police log line) still has English function words between them.
    words = [w.lower() for w in found if not w[0].isupper()] or [w.lower() for w in found]
    stop_share = sum(w in STOP_WORDS for w in words) / len(words)
    core_share = sum(w in _CORE for w in words) / len(words)
    if (stop_share >= _ENGLISH_SHARE and core_share >= 0.1) or (stop_share >= 0.2 and core_share >= 0.05):
        return "en"  # the second test: terse English (an advert, a log line) between names and numbers
    try:
        return detect(text[:5000])
    except LangDetectException:
        return "und"


def warm() -> None:
    """Load langdetect's language profiles now (a third of a second), not on the first narrative that needs them."""
    init_factory()
