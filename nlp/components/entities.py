"""spaCy component ``sightline_entities``: the final entity list, in Sightline's ten labels.

The small English model misses what this domain needs: it reads "Florin Dobre" as an organisation,
skips "Bucharest", and does not know that "the Golden Lotus massage parlour" is a business. This
component combines, in order of trust:

1. identifiers found by ``sightline_identifiers``;
2. businesses from cue nouns ("... car wash", "... nail bar", "Hotel ...", "a farm called ...");
3. people from domain cues ("defendant", "a man called", honorifics, quoted nicknames, police-style
   "MUNTEANU Andrei");
4. the model's PERSON, ORG, FAC, GPE, LOC, MONEY and DATE, relabelled where the gazetteer or a
   given-name list says otherwise, and without pronouns or bare role words;
5. places the model missed that the offline gazetteer knows, after a place preposition.

Where two candidates overlap, the more trusted one wins. The word lists are data
(``nlp/data/entity_rules.json``).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import filter_spans

from nlp.doc_store import HINTS_KEY, doc_text, result
from nlp.entities.common import Candidate
from nlp.entities.consistency import person_values, propagate, relabel_surnames
from nlp.entities.model import model_candidates
from nlp.entities.money import money_candidates
from nlp.entities.organisations import agency_candidates, business_candidates, platform_candidates, website_candidates
from nlp.entities.people import person_candidates
from nlp.entities.places import address_candidates, gazetteer_candidates, known_place_candidates, state_candidates
from nlp.entities.syntax import conjoined_people, syntax_people
from nlp.gazetteer import resolve_countries
from nlp.identifiers import clean_display_name


def _resolve(candidates: list[Candidate]) -> list[Candidate]:
    chosen: list[Candidate] = []
    taken = bytearray(max((c.end for c in candidates), default=0))
    for cand in sorted(candidates, key=lambda c: (c.priority, -(c.end - c.start), c.start)):
        if not any(taken[cand.start : cand.end]):
            chosen.append(cand)
            taken[cand.start : cand.end] = b"\x01" * (cand.end - cand.start)
    return sorted(chosen, key=lambda c: c.start)


class EntityComponent:
    def __call__(self, doc: Doc) -> Doc:
        store = result(doc)
        text = doc_text(doc)
        candidates = [
            Candidate(m["start"], m["end"], m["label"], 1, m["confidence"], "rule:identifier",
                      value=m["value"], country=m["region"], detail=m["detail"])
            for m in store.get("identifiers", [])
        ]
        if doc.user_data.get(HINTS_KEY, {}).get("ner", True):
            tokens = list(doc)  # likewise every iteration and index builds new Token objects
            lowers = [t.lower_ for t in tokens]
            candidates += business_candidates(tokens, lowers, text) + person_candidates(text)
            candidates += money_candidates(text) + platform_candidates(text) + agency_candidates(text)
            candidates += website_candidates(text) + address_candidates(text) + state_candidates(text)
            candidates += syntax_people(doc, tokens, text)
            candidates += model_candidates(doc, tokens, text) + gazetteer_candidates(doc, tokens, lowers)
            candidates += known_place_candidates(doc, tokens)
            chosen = _resolve(candidates)
            chosen = _resolve(chosen + conjoined_people(doc, tokens, chosen, text))
        else:
            chosen = _resolve(candidates)
        relabel_surnames(text, chosen)
        chosen = _resolve(chosen + propagate(text, chosen))
        person_values(text, [c for c in chosen if c.label == "PERSON"])
        location_names = [clean_display_name(text[c.start : c.end]) for c in chosen if c.label == "LOCATION"]
        countries = resolve_countries(location_names)
        entities = []
        for index, cand in enumerate(chosen):
            surface = text[cand.start : cand.end]
            value = cand.value or (surface if cand.label in {"MONEY", "DATE"} else clean_display_name(surface))
            country = countries.get(value) if cand.label == "LOCATION" else cand.country
            entities.append({"id": f"e{index}", "start": cand.start, "end": cand.end, "label": cand.label,
                             "text": surface, "value": value, "confidence": cand.confidence, "source": cand.source,
                             "country": country, "detail": cand.detail})
        store["entities"] = entities
        spans = [doc.char_span(e["start"], e["end"], label=e["label"], alignment_mode="expand") for e in entities]
        doc.ents = filter_spans([s for s in spans if s is not None])
        return doc


@Language.factory("sightline_entities")
def make_entity_component(nlp: Language, name: str) -> EntityComponent:
    return EntityComponent()
