"""Narratives in, ``Extraction`` out: entities, identifiers, relations, routes, roles and indicators.

Pure: no file, network or store access. See ``nlp.extract`` for the entry points.
"""

from nlp.errors import EmptyNarrative, ModelNotFound, NarrativeError, NarrativeTooLarge, NotText
from nlp.extract import Extractor, Narrative, content_hash, extract, extract_many
from nlp.extraction import LABELS, Extraction
from nlp.pipeline import ExtractorConfig

__all__ = ["LABELS", "EmptyNarrative", "ModelNotFound", "Extraction", "Extractor", "ExtractorConfig", "Narrative",
           "NarrativeError", "NarrativeTooLarge", "NotText", "content_hash", "extract", "extract_many"]
