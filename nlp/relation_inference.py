"""Relations a narrative states about groups rather than about two named people in one sentence.

Court summaries and reports say "Wierzbicki recruited at least 60 men ... One of the men, Marek, ..."
or "the Nowicki brothers guarded the houses where the men slept": the recruiter and the guards are
named in one sentence, the victims in another. Per sentence, no relation links them; read as a whole,
the text says Wierzbicki recruited Marek and the brothers controlled him. So, within one paragraph (or
the whole narrative when it is one block): every recruiter RECRUITED every named victim, every
controller CONTROLLED them, every victim was EXPLOITED_AT every place of exploitation, and whoever
operated a business WORKED_AT it (``nlp.workplaces``). These links carry confidence ``INFERRED`` (0.5), no cue (a cue is the
word of a sentence that states a relation) and, as evidence, the sentence that gave the head its role, so
an analyst can tell them from relations a sentence states outright.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from spacy.tokens import Token

from nlp.extraction import NARRATOR, Evidence, Relation, RoleAssignment
from nlp.gazetteer import is_country
from nlp.participants import Participants
from nlp.workplaces import STATED, find_workplaces

INFERRED = 0.5
MAX_PAIRS = 40  # more pairs than this in one paragraph says "a big network", not "these people together"
_PARAGRAPH_RE = re.compile(r"\n[ \t]*\n")
_SITE_VERBS = frozenset({"work", "exploit", "force", "make", "keep", "hold", "house", "prostitute", "sell", "advertise",
                         "see", "take", "place", "put", "send", "employ", "find", "rescue", "live", "sleep", "stay",
                         "lock", "confine", "pick", "clean", "wash", "pack", "serve", "dance", "entertain"})
_EXPLOIT_VERBS = frozenset({"work", "exploit", "force", "prostitute", "sell", "lock", "confine", "keep", "hold",
                            "make", "enslave", "see"})
_SITE_PREPS = frozenset({"at", "in", "inside", "from", "to", "into"})
ROLE_RELATION = {"recruiter": "RECRUITED", "controller": "CONTROLLED"}


def _paragraphs(text: str) -> list[int]:
    return [0, *(m.end() for m in _PARAGRAPH_RE.finditer(text))]


def _governing_verb(token: Token) -> Token | None:
    """The verb a place hangs from through 'at'/'in' phrases: 'worked in a flat in Leeds' → worked."""
    for _ in range(3):
        if token.dep_ != "pobj" or token.head.lower_ not in _SITE_PREPS:
            return None
        governor = token.head.head
        if governor.pos_ in {"VERB", "AUX"}:
            return governor
        if governor.pos_ not in {"NOUN", "PROPN"}:
            return None
        token = governor
    return None


def _sites(p: Participants, indicator_sentences: set[int]) -> list[str]:
    """Entity ids of places of exploitation, in text order. (Who operated a business is
    ``nlp.workplaces``' to say.)"""
    sites: dict[str, None] = {}
    for sentence in p.sentences:
        exploited = sentence.start_char in indicator_sentences
        for token, ref in p.in_span(sentence):
            label = p.entities[ref.id]["label"] if ref.id in p.entities else None
            if label not in {"ORGANIZATION", "LOCATION"} or ref.confidence < 1:
                continue
            if label == "LOCATION" and is_country(p.entities[ref.id]["value"]):
                continue  # a country is where a route goes, not a place of exploitation
            head: Token = token
            while head.dep_ in {"conj", "appos"} and head.head.i != head.i:
                head = head.head
            verb = _governing_verb(head)
            if verb is None:
                continue
            lemma = verb.lemma_.lower()
            if label == "ORGANIZATION" and (lemma in _SITE_VERBS or exploited):
                sites[ref.id] = None
            elif label == "LOCATION" and (lemma in _EXPLOIT_VERBS or (
                    p.entities[ref.id]["source"] == "rule:address" and lemma in _SITE_VERBS)):
                sites[ref.id] = None  # a town only where the verb itself is exploitation
    return list(sites)


def infer_relations(p: Participants, roles: list[RoleAssignment], relations: list[Relation],
                    indicator_sentences: set[int]) -> list[Relation]:
    canonical: dict[str, str] = {}
    first: dict[tuple[str, str], str] = {}
    for entity_id, entity in p.entities.items():
        canonical[entity_id] = first.setdefault((entity["label"], entity["value"]), entity_id)
    canonical[NARRATOR] = NARRATOR
    starts = _paragraphs(p.text)
    paragraphs_of: dict[tuple[str, str], set[int]] = {}  # (label, value) → paragraphs its mentions are in
    for entity in p.entities.values():
        paragraphs_of.setdefault((entity["label"], entity["value"]), set()).add(bisect_right(starts, entity["start"]) - 1)
    everywhere = set(range(len(starts)))

    def paragraph(entity_id: str) -> set[int]:
        if entity_id == NARRATOR:
            return everywhere
        return paragraphs_of[(p.entities[entity_id]["label"], p.entities[entity_id]["value"])]

    # in the order the roles were found, never in a set's order: the same text gives the same list every run
    victims = list(dict.fromkeys(r.person for r in roles if r.role == "victim"))  # canonical: first mentions
    victim_set = set(victims)
    have = {(r.type, canonical.get(r.head, r.head), canonical.get(r.tail, r.tail)) for r in relations}
    found: dict[tuple[str, str, str], Relation] = {}

    def add(kind: str, head: str, tail: str, evidence: Evidence, confidence: float = INFERRED) -> None:
        key = (kind, canonical.get(head, head), canonical.get(tail, tail))
        if key[1] != key[2] and key not in have and key not in found:
            # no cue: a cue is the word of the sentence that states the relation, and these sentences do not
            found[key] = Relation(kind, head, tail, Evidence(evidence.sentence, evidence.start, evidence.end, confidence))

    for assignment in roles:
        kind = ROLE_RELATION.get(assignment.role)
        if kind is None:
            continue
        mine = paragraph(assignment.person)
        partners = [v for v in victims if v != assignment.person and paragraph(v) & mine]
        if len(partners) * len(mine) <= MAX_PAIRS:
            for victim in partners:
                add(kind, assignment.person, victim, assignment.evidence)
    site_ids = list(dict.fromkeys(canonical[s] for s in _sites(p, indicator_sentences)))
    # a place only for victims the text itself calls exploited or trafficked (not for a child known by age alone)
    victim_roles = {r.person: r for r in roles if r.role == "victim" and r.evidence.confidence >= 0.7}
    for victim, assignment in victim_roles.items():
        for site in site_ids:
            if paragraph(site) & paragraph(victim) or len(site_ids) == 1:
                add("EXPLOITED_AT", victim, site, assignment.evidence)
    for sentence in p.sentences:
        evidence = Evidence(p.sentence_text(sentence), sentence.start_char, sentence.end_char, STATED)
        for person, business in find_workplaces(p, sentence, victim_set):
            if canonical.get(person.id, person.id) not in victim_set:
                add("WORKED_AT", person.id, business.id, evidence, STATED)
    return list(found.values())
