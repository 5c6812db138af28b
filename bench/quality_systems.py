"""The three systems bench/quality.py compares, each run over the same texts with its CPU time measured.

- ``sightline``: ``nlp.Extractor`` as the product runs it (the narrative's region given as a hint when the
  set has one).
- ``presidio``: presidio-analyzer's ``AnalyzerEngine`` with its default recognizers, on the same installed
  spaCy model (told its name, so it does not try to download en_core_web_lg).
- ``spacy``: the bare model, its labels mapped to Sightline's (GPE/LOC/FAC → LOCATION, ORG → ORGANIZATION),
  piped in batches of the size Sightline uses (``SIGHTLINE_BATCH_SIZE``), so the ratio compares the work
  per text and not two batch sizes.

CPU time is ``time.process_time`` around the run alone, after each system has loaded and run one warm-up
text, so docs per CPU second compare the systems' work on the texts and not their start-up.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass

from quality_data import EvalDoc

from nlp import Extractor, Narrative
from nlp.extraction import Extraction
from nlp.pipeline import load_model

SYSTEMS = ("sightline", "presidio", "spacy")
SPACY_LABELS = {"PERSON": "PERSON", "ORG": "ORGANIZATION", "GPE": "LOCATION", "LOC": "LOCATION",
                "FAC": "LOCATION", "MONEY": "MONEY", "DATE": "DATE"}
PRESIDIO_LABELS = {"PERSON": "PERSON", "LOCATION": "LOCATION", "GPE": "LOCATION", "ORGANIZATION": "ORGANIZATION",
                   "DATE_TIME": "DATE", "PHONE_NUMBER": "PHONE", "EMAIL_ADDRESS": "EMAIL", "IBAN_CODE": "IBAN",
                   "CRYPTO": "CRYPTO_WALLET", "URL": "URL"}
Span = tuple[int, int, str, str | None]


@dataclass(slots=True)
class Run:
    spans: list[list[Span]]
    cpu_seconds: float
    extractions: list[Extraction] | None = None

    def docs_per_cpu_second(self) -> float:
        return len(self.spans) / self.cpu_seconds if self.cpu_seconds else 0.0


def run_sightline(docs: Sequence[EvalDoc]) -> Run:
    extractor = Extractor()
    extractor.extract("Warm-up: Ana called +40 722 415 386 from Bucharest.")
    narratives = [Narrative(d.text, id=d.id, region=d.region) for d in docs]
    began = time.process_time()
    extractions = list(extractor.extract_many(narratives))
    spent = time.process_time() - began
    spans = [[(e.start, e.end, e.label, e.value) for e in x.entities] for x in extractions]
    return Run(spans, spent, extractions)


def run_spacy(docs: Sequence[EvalDoc]) -> Run:
    config = Extractor().config
    model = load_model(config)
    model("Warm-up: Ana called from Bucharest.")
    began = time.process_time()
    parsed = list(model.pipe((d.text for d in docs), batch_size=config.batch_size))  # Sightline's batch size
    spent = time.process_time() - began
    spans = [[(e.start_char, e.end_char, SPACY_LABELS[e.label_], e.text) for e in doc.ents if e.label_ in SPACY_LABELS]
             for doc in parsed]
    return Run(spans, spent)


def _presidio_engine():  # noqa: ANN202 (presidio is an optional, bench-only dependency)
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    logging.getLogger("tldextract").setLevel(logging.CRITICAL)  # it tries to refresh the suffix list online
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    model = load_model(Extractor().config).meta.get("name", "core_web_sm")
    name = model if model.startswith("en_") else f"en_{model}"
    provider = NlpEngineProvider(nlp_configuration={"nlp_engine_name": "spacy",
                                                    "models": [{"lang_code": "en", "model_name": name}]})
    return AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])


def run_presidio(docs: Sequence[EvalDoc]) -> Run:
    engine = _presidio_engine()
    engine.analyze("Warm-up: Ana called +40 722 415 386 from Bucharest.", language="en")
    began = time.process_time()
    results = [engine.analyze(d.text, language="en") for d in docs]
    spent = time.process_time() - began
    spans = [[(r.start, r.end, PRESIDIO_LABELS[r.entity_type], d.text[r.start:r.end]) for r in found
              if r.entity_type in PRESIDIO_LABELS] for d, found in zip(docs, results)]
    return Run(spans, spent)


RUNNERS = {"sightline": run_sightline, "presidio": run_presidio, "spacy": run_spacy}
