"""Routes: ordered travel legs (origin → via → destination, mode, date) per traveller.

A sentence contributes legs when it moves someone (a motion verb or a means of transport) and names
places in travel slots: "from" marks the origin, "via"/"through" a stop on the way, "to"/"into" a
destination, and "arrived in" or "reached" a destination too. A leg without a stated origin starts where
the same traveller's previous leg ended, so "We were then taken to Milan" continues the route.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from nlp import lexicon
from nlp.extraction import NARRATOR, Evidence, Leg, Route
from nlp.participants import Participants

CONFIDENCE = 0.75


def _slot(token: Token) -> str | None:
    """'origin', 'via' or 'destination' for a place token, from the preposition that governs it."""
    node = token
    while node.dep_ in {"conj", "compound", "appos"} and node.head.i != node.i:
        node = node.head
    head = node.head
    if node.dep_ == "pobj":
        prep = head.lower_
        if prep in lexicon.ORIGIN_PREPS:
            return "origin"
        if prep in lexicon.VIA_PREPS:
            return "via"
        if prep in lexicon.DESTINATION_PREPS:
            return "destination"
        if prep in {"in", "at"} and head.head.lemma_.lower() in lexicon.ARRIVAL_VERBS:
            return "destination"
    if node.dep_ == "dobj":
        lemma = head.lemma_.lower()
        if lemma in lexicon.DEPARTURE_VERBS:
            return "origin"
        if lemma in {"reach", "enter", "cross"}:
            return "destination" if lemma != "cross" else "via"
    return None


def _modes(tokens: list[Token]) -> list[tuple[Token, str]]:
    found = []
    for token in tokens:
        mode = lexicon.MODES.get(token.lemma_.lower()) or lexicon.MODES.get(token.lower_)
        if mode and (token.pos_ in {"NOUN", "PROPN"} or token.lemma_.lower() in {"fly", "drive", "walk"}):
            found.append((token, mode))
    return found


def _clause_verb(token: Token) -> Token:
    node = token
    while node.pos_ not in {"VERB", "AUX"} and node.head.i != node.i:
        node = node.head
    return node


def _nearest(place: Token, items: list[tuple[Token, str]]) -> str | None:
    """What belongs to the place's own clause ('by car' in '... and then taken to London by car'), else
    the only one in the sentence."""
    verb = _clause_verb(place)
    own = [value for token, value in items if _clause_verb(token).i == verb.i]
    if own:
        return own[0]
    return items[0][1] if len(items) == 1 else None


def _traveller(sentence: Span, participants: Participants) -> str | None:
    for verb in participants.tokens_of(sentence):
        if verb.lemma_.lower() not in lexicon.MOTION_VERBS:
            continue
        passive = any(c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children)
        slots = ("nsubjpass",) if passive else ("dobj", "nsubj") if verb.lemma_.lower() in {
            "take", "bring", "drive", "transport", "send", "smuggle", "carry", "escort"} else ("nsubj",)
        for dep in slots:
            for child in verb.children:
                if child.dep_ == dep:
                    ref = participants.of(child)
                    if ref is not None and ref.label == "PERSON":
                        return ref.id
    return NARRATOR if participants.narrator else None


def find_routes(participants: Participants) -> list[Route]:
    routes: dict[str | None, Route] = {}
    for sentence in participants.sentences:
        tokens = participants.tokens_of(sentence)
        modes = _modes(tokens)
        moving = any(t.lemma_.lower() in lexicon.MOTION_VERBS for t in tokens) or bool(modes)
        if not moving:
            continue
        origin: str | None = None
        via: list[str] = []
        destinations: list[tuple[Token, str]] = []
        for token, ref in participants.in_span(sentence):
            if ref.label != "LOCATION":
                continue
            slot = _slot(token)
            if slot == "origin" and origin is None:
                origin = ref.id
            elif slot == "via":
                via.append(ref.id)
            elif slot == "destination":
                destinations.append((token, ref.id))
        if not destinations:
            continue
        dates = [(token, ref.id) for token, ref in participants.in_span(sentence) if ref.label == "DATE"]
        traveller = _traveller(sentence, participants)
        route = routes.setdefault(traveller, Route(f"r{len(routes)}", traveller, []))
        evidence = Evidence(participants.sentence_text(sentence), sentence.start_char, sentence.end_char, CONFIDENCE)
        start = origin
        for index, (place, destination) in enumerate(destinations):
            if start is None and route.legs:
                start = route.legs[-1].destination
            if start == destination:
                continue
            mode, date = _nearest(place, modes), _nearest(place, dates)
            route.legs.append(Leg(start, destination, via if index == 0 else [], mode, date, evidence))
            start = destination
    return [route for route in routes.values() if route.legs]
