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

from nlp.doc_store import HINTS_KEY, doc_text, result
from nlp.identifier_finder import find_identifiers
from nlp.phones import DEFAULT_PHONE_REGIONS

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
