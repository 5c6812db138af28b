"""spaCy component ``sightline_facts``: indicators, relations, routes, roles and stated profiles of one narrative.

Runs last, over the final entities. Results are stored as plain data in ``doc.user_data`` (see
``nlp.components.identifiers.result``) so they survive ``nlp.pipe(..., n_process=N)``.
"""

from __future__ import annotations

from dataclasses import asdict

from spacy.language import Language
from spacy.tokens import Doc

from nlp.doc_store import result
from nlp.indicators import find_indicators
from nlp.participants import Participants, is_first_person
from nlp.relation_inference import infer_relations
from nlp.relations import find_relations
from nlp.roles import find_roles
from nlp.routes import find_routes
from nlp.victim_profile import find_profiles


class FactsComponent:
    def __call__(self, doc: Doc) -> Doc:
        store = result(doc)
        tokens = list(doc)  # one Token object per token, shared by every finder below
        narrator = is_first_person(doc, tokens)
        participants = Participants(doc, store.get("entities", []), narrator, tokens)
        indicators = find_indicators(doc, participants.sentences, participants.text)
        indicator_sentences = {i.evidence.start for i in indicators}
        relations = find_relations(participants, indicator_sentences)
        roles = find_roles(participants, relations)
        relations += infer_relations(participants, roles, relations, indicator_sentences)
        store["narrator"] = narrator
        store["indicators"] = [asdict(i) for i in indicators]
        store["relations"] = [asdict(r) for r in relations]
        store["routes"] = [asdict(r) for r in find_routes(participants)]
        store["roles"] = [asdict(r) for r in roles]
        store["profiles"] = [asdict(p) for p in find_profiles(participants)]
        return doc


@Language.factory("sightline_facts")
def make_facts_component(nlp: Language, name: str) -> FactsComponent:
    return FactsComponent()
