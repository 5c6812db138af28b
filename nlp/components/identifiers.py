"""spaCy component ``sightline_identifiers``: phones, emails, IBANs, wallets, URLs and handles.

It runs before the statistical NER and marks these spans as blocked, so that the NER model, which
respects preset annotation, no longer reads "07911 123456" as a DATE or an IBAN as a CARDINAL. Blocked,
not preset as PHONE or IBAN entities: the NER adds every label it meets in a preset entity to its
output layer, and the up to twenty extra transitions made it about 15% slower on every token, for
labels it never predicts. The final labels come from ``sightline_entities`` either way. What it found is
stored as plain data in ``doc.user_data`` so that it survives the trip back from worker processes when
``nlp.pipe`` runs with ``n_process > 1``.
"""

from __future__ import annotations

from dataclasses import asdict

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from nlp.identifier_finder import find_identifiers
from nlp.phones import DEFAULT_PHONE_REGIONS

HINTS_KEY = "sightline_hints"  # set by the caller before the pipeline: {"regions": [...], "phone_regions": [...]}
RESULT_KEY = "sightline"


def result(doc: Doc) -> dict:
    """The plain-data store the Sightline components share on one Doc."""
    return doc.user_data.setdefault(RESULT_KEY, {})


def doc_text(doc: Doc) -> str:
    """``doc.text``, read once: spaCy re-joins every token (a new ``Token`` object each) on every access,
    which cost more than some components' whole work on short texts."""
    hints = doc.user_data.setdefault(HINTS_KEY, {})
    text = hints.get("text")
    if text is None:
        text = hints["text"] = doc.text
    return text


class IdentifierComponent:
    def __call__(self, doc: Doc) -> Doc:
        hints = doc.user_data.get(HINTS_KEY, {})
        matches = find_identifiers(doc_text(doc), list(hints.get("regions", [])),
                                   hints.get("phone_regions", DEFAULT_PHONE_REGIONS))
        result(doc)["identifiers"] = [asdict(m) for m in matches]
        spans: list[Span] = []
        for match in matches:
            span = doc.char_span(match.start, match.end, label=match.label, alignment_mode="expand")
            if span is not None:
                spans.append(span)
        kept = filter_spans([*spans, *doc.ents]) if doc.ents else filter_spans(spans)
        ours = {id(span) for span in spans}
        doc.set_ents([s for s in kept if id(s) not in ours], blocked=[s for s in kept if id(s) in ours])
        return doc


@Language.factory("sightline_identifiers")
def make_identifier_component(nlp: Language, name: str) -> IdentifierComponent:
    return IdentifierComponent()
