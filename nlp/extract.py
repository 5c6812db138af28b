"""``extract`` and ``extract_many``: narratives in, ``Extraction`` out. Pure: no files, no store.

``extract_many`` streams: it takes any iterable, runs ``nlp.pipe`` over chunks of it (optionally in
``n_process`` worker processes) and yields extractions in input order. A narrative that cannot be
extracted (empty, too large, not text) raises ``NarrativeError`` when the stream reaches it, after every
narrative before it has been yielded, so a caller writing results as they come loses nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property

from spacy.language import Language
from spacy.tokens import Doc

from nlp.doc_store import HINTS_KEY, result
from nlp.errors import EmptyNarrative, NarrativeTooLarge, NotText
from nlp.extraction import (Entity, Evidence, Extraction, Indicator, Leg, PersonProfile, ProfileFact, Relation,
                            RoleAssignment, Route)
from nlp.gazetteer import countries_named
from nlp.language import detect_language
from nlp.pipeline import ExtractorConfig, build_full_pipeline, build_identifier_pipeline
from nlp.text_clean import CleanText, clean


@dataclass(frozen=True, slots=True)
class Narrative:
    text: str
    id: str | None = None
    language: str | None = None  # ISO 639-1; detected when absent
    region: str | None = None  # ISO country for phone numbers written without a country code


def content_hash(text: str) -> str:
    """Identity of a narrative's content: re-submitting the same text is recognised by this."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def check_text(text: object, max_chars: int) -> str:
    """The text if it can be extracted, else a ``NarrativeError`` that says why."""
    if not isinstance(text, str):
        raise NotText(f"narrative text must be a string, not {type(text).__name__}")
    if not text.strip():
        raise EmptyNarrative("narrative is empty or only whitespace")
    if len(text) > max_chars:
        raise NarrativeTooLarge(
            f"narrative is {len(text):,} characters; the limit is {max_chars:,} (SIGHTLINE_MAX_TEXT_CHARS)"
        )
    if "\x00" in text or sum(1 for c in text[:10_000] if ord(c) < 32 and c not in "\r\n\t\f") > 10:
        raise NotText("narrative contains binary data (NUL or control characters), not text")
    return text


class Extractor:
    """Holds the loaded pipelines; build one per process and reuse it."""

    def __init__(self, config: ExtractorConfig | None = None) -> None:
        self.config = config or ExtractorConfig()

    @cached_property
    def full(self) -> Language:
        return build_full_pipeline(self.config)

    @cached_property
    def identifiers_only(self) -> Language:
        return build_identifier_pipeline()

    def _prepare(self, nlp: Language, narrative: Narrative, text: str, ner: bool) -> Doc:
        doc = nlp.make_doc(text)
        regions = [narrative.region, self.config.default_region, *countries_named(text)]
        doc.user_data[HINTS_KEY] = {"regions": [r.upper() for r in regions if r], "ner": ner,
                                    "phone_regions": list(self.config.phone_regions), "text": text}
        return doc

    def extract(self, text: str, *, id: str | None = None, language: str | None = None,
                region: str | None = None) -> Extraction:
        return next(self.extract_many([Narrative(text, id, language, region)]))

    def extract_many(self, narratives: Iterable[Narrative | str], *, n_process: int = 1,
                     batch_size: int | None = None) -> Iterator[Extraction]:
        size = batch_size or self.config.batch_size
        chunk: list[Narrative] = []
        source = iter(narratives)
        while True:
            try:
                item = next(source)
                narrative = item if isinstance(item, Narrative) else Narrative(item)
                check_text(narrative.text, self.config.max_chars)
            except StopIteration:
                break
            except Exception:
                yield from self._run(chunk, n_process, size)  # everything before the bad one is kept
                raise
            chunk.append(narrative)
            if len(chunk) >= size * max(1, n_process) * 4:
                yield from self._run(chunk, n_process, size)
                chunk = []
        yield from self._run(chunk, n_process, size)

    def _run(self, chunk: list[Narrative], n_process: int, batch_size: int) -> Iterator[Extraction]:
        if not chunk:
            return
        cleaned = [clean(n.text) for n in chunk]
        languages = [(n.language or detect_language(c.text)).lower() for n, c in zip(chunk, cleaned)]
        supported = [lang.split("-")[0] in self.config.languages for lang in languages]
        out: dict[int, Extraction] = {}
        for ner, nlp in ((True, self.full), (False, self.identifiers_only)):
            indexes = [i for i, ok in enumerate(supported) if ok == ner]
            if not indexes:
                continue
            docs = [self._prepare(nlp, chunk[i], cleaned[i].text, ner) for i in indexes]
            workers = n_process if ner and len(docs) > batch_size else 1
            for i, doc in zip(indexes, nlp.pipe(docs, batch_size=batch_size, n_process=workers)):
                out[i] = restore_offsets(to_extraction(doc, chunk[i].id, languages[i], ner), chunk[i].text, cleaned[i])
        for i in range(len(chunk)):
            yield out[i]


def to_extraction(doc: Doc, narrative_id: str | None, language: str, ner: bool) -> Extraction:
    store = result(doc)
    warnings = [] if ner else [f"NER was not run: language '{language}' is not supported; only identifiers were extracted"]
    return Extraction(
        id=narrative_id,
        language=language,
        ner=ner,
        narrator=bool(store.get("narrator", False)),
        entities=[Entity(**e) for e in store.get("entities", [])],
        relations=[Relation(**{**r, "evidence": Evidence(**r["evidence"])}) for r in store.get("relations", [])],
        routes=[Route(r["id"], r["traveller"], [Leg(**{**leg, "evidence": Evidence(**leg["evidence"])})
                                               for leg in r["legs"]]) for r in store.get("routes", [])],
        roles=[RoleAssignment(**{**r, "evidence": Evidence(**r["evidence"])}) for r in store.get("roles", [])],
        indicators=[Indicator(**{**i, "evidence": Evidence(**i["evidence"])}) for i in store.get("indicators", [])],
        warnings=warnings,
        profiles=[PersonProfile(**{**p, "facts": [ProfileFact(**{**f, "evidence": Evidence(**f["evidence"])})
                                                  for f in p["facts"]]}) for p in store.get("profiles", [])],
    )


def restore_offsets(extraction: Extraction, original: str, cleaned: CleanText) -> Extraction:
    """Offsets of an extraction made on ``cleaned.text`` turned into offsets of ``original`` (in place)."""
    if cleaned.offsets is None:
        return extraction
    for entity in extraction.entities:
        entity.start, entity.end = cleaned.start(entity.start), cleaned.end(entity.end)
        entity.text = original[entity.start : entity.end]
    evidences = [r.evidence for r in extraction.relations] + [r.evidence for r in extraction.roles]
    evidences += [leg.evidence for route in extraction.routes for leg in route.legs]
    evidences += [i.evidence for i in extraction.indicators]
    evidences += [f.evidence for p in extraction.profiles for f in p.facts]
    for evidence in {id(e): e for e in evidences}.values():
        evidence.start, evidence.end = cleaned.start(evidence.start), cleaned.end(evidence.end)
        evidence.sentence = original[evidence.start : evidence.end]
    for indicator in extraction.indicators:
        indicator.cue_start, indicator.cue_end = cleaned.start(indicator.cue_start), cleaned.end(indicator.cue_end)
    for fact in (f for p in extraction.profiles for f in p.facts):
        fact.cue_start, fact.cue_end = cleaned.start(fact.cue_start), cleaned.end(fact.cue_end)
        fact.cue = original[fact.cue_start : fact.cue_end]
    return extraction


_default: Extractor | None = None


def default_extractor() -> Extractor:
    global _default
    if _default is None:
        _default = Extractor()
    return _default


def extract(text: str, *, id: str | None = None, language: str | None = None, region: str | None = None,
            extractor: Extractor | None = None) -> Extraction:
    """Extract one narrative with the default (or a given) extractor."""
    return (extractor or default_extractor()).extract(text, id=id, language=language, region=region)


def extract_many(narratives: Iterable[Narrative | str], *, n_process: int = 1, batch_size: int | None = None,
                 extractor: Extractor | None = None) -> Iterator[Extraction]:
    return (extractor or default_extractor()).extract_many(narratives, n_process=n_process, batch_size=batch_size)
