"""Relations between participants, read off the dependency parse of each sentence.

A relation needs a verb from the lexicon (``nlp/lexicon.py``) with its arguments in the right
grammatical slots: "Andrei recruited me" and "I was recruited by Andrei" both give
RECRUITED(Andrei → narrator); "he forced us to work at Sparkle Hand Car Wash" gives CONTROLLED and
EXPLOITED_AT. Identifiers attach to the participant nearest in the parse tree, preferring a possessor
("his number", "Tomas's account"). Named people and organisations in one sentence with no typed
relation between them are linked by the weak fallback ASSOCIATED_WITH.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Span, Token

from nlp import lexicon
from nlp.extraction import NARRATOR, Evidence, Relation
from nlp.participants import Participants, Ref
from nlp.role_rules import titled_official

SUBJECT_DEPS = frozenset({"nsubj"})
OBJECT_DEPS = frozenset({"dobj", "dative", "nsubjpass", "attr"})
IDENTIFIER_RELATION = {"PHONE": "USES_PHONE", "EMAIL": "USES_EMAIL", "IBAN": "OWNS_ACCOUNT",
                       "CRYPTO_WALLET": "OWNS_ACCOUNT"}
WORKPLACE_PREPS = frozenset({"at", "in", "on", "for", "inside"})
ASSOCIATION_CONFIDENCE = 0.3
ASSOCIATION_ALL_PAIRS = 12  # up to this many names in a sentence, every pair is linked
ASSOCIATION_NEIGHBOURS = 3
_ACTIVE_OBJECT_DEPS = OBJECT_DEPS - {"nsubjpass"}
# lemmas ``RelationFinder.verbs`` does anything with; other verbs are skipped before their arguments are read
_RELATION_LEMMAS = (lexicon.RECRUIT_VERBS | lexicon.CONTROL_VERBS | lexicon.PAY_VERBS | lexicon.WORK_VERBS
                    | lexicon.EXPLOIT_VERBS)


def _expand(token: Token) -> list[Token]:
    """A token and the tokens conjoined with it ('Andrei and Florin')."""
    return [token, *token.conjuncts]


def _subjects(verb: Token) -> list[Token]:
    children = list(verb.children)  # Token.children builds new Token objects on every walk: walk once
    found = [c for c in children if c.dep_ in SUBJECT_DEPS]
    found += [p for c in children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
    if not found and verb.dep_ == "relcl":
        found = [verb.head]  # "Andrei, who promised me a job"
    if not found and verb.dep_ in {"conj", "xcomp", "advcl"} and verb.head.i != verb.i:
        found = _subjects(verb.head) if verb.dep_ == "conj" else []
    if found and found[0].lower_ in {"who", "that"} and verb.dep_ == "relcl":
        found = [verb.head]
    return [t for s in found for t in _expand(s)]


def _objects(verb: Token) -> list[Token]:
    children = list(verb.children)
    deps = [c.dep_ for c in children]
    found = [c for c, dep in zip(children, deps) if dep in _ACTIVE_OBJECT_DEPS]
    if "agent" in deps or "auxpass" in deps:  # passive
        found += [c for c, dep in zip(children, deps) if dep == "nsubjpass"]
    found += [p for c, dep in zip(children, deps) if dep in {"prep", "dative"} and c.lower_ == "to" for p in c.children
              if p.dep_ == "pobj"]  # "paid £8,000 to X": the parser marks that 'to' as prep or as dative
    return [t for o in found for t in _expand(o)]


def _places(verb: Token, depth: int = 0) -> Iterator[Token]:
    """Objects of place prepositions under a verb and its infinitive complements ('to work at X')."""
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in WORKPLACE_PREPS:
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    yield from _expand(pobj)
                    yield from (g for p in pobj.children if p.dep_ == "prep" for g in p.children if g.dep_ == "pobj")
        elif child.dep_ in {"xcomp", "advcl", "conj"} and depth < 2:
            yield from _places(child, depth + 1)


class RelationFinder:
    def __init__(self, participants: Participants, indicator_sentences: set[int]) -> None:
        self.p = participants
        self.indicator_sentences = indicator_sentences  # start offsets of sentences with an indicator
        self.found: dict[tuple[str, str, str], Relation] = {}

    def add(self, kind: str, head: Ref, tail: Ref, sentence: Span, confidence: float, cue: str) -> None:
        if head.id == tail.id:
            return
        key = (kind, head.id, tail.id)
        confidence = round(confidence * min(head.confidence, tail.confidence), 3)
        if key in self.found and self.found[key].evidence.confidence >= confidence:
            return
        evidence = Evidence(self.p.sentence_text(sentence), sentence.start_char, sentence.end_char, confidence)
        self.found[key] = Relation(kind, head.id, tail.id, evidence, cue)

    def refs(self, tokens: list[Token], labels: set[str]) -> list[Ref]:
        refs = [self.p.of(t) for t in tokens]
        return [r for r in refs if r is not None and r.label in labels]

    def verbs(self, sentence: Span) -> None:
        exploited = sentence.start_char in self.indicator_sentences
        for verb in self.p.tokens_of(sentence):
            if verb.pos_ not in {"VERB", "AUX"}:
                continue
            lemma = verb.lemma_.lower()
            if lemma not in _RELATION_LEMMAS:
                continue
            agents = [a for a in self.refs(_subjects(verb), {"PERSON", "ORGANIZATION"}) if not self._official(a)]
            patients = self.refs(_objects(verb), {"PERSON"})
            if lemma in lexicon.RECRUIT_VERBS:
                for a in agents:
                    for b in patients:
                        self.add("RECRUITED", a, b, sentence, 0.8, verb.text)
            if lemma in lexicon.CONTROL_VERBS and (lemma not in {"take", "keep", "hold", "make", "run", "collect"} or exploited):
                for a in (x for x in agents if x.label == "PERSON"):
                    for b in patients:
                        self.add("CONTROLLED", a, b, sentence, 0.7, verb.text)
            if lemma in lexicon.PAY_VERBS:
                payees = self.refs(_objects(verb), {"PERSON", "ORGANIZATION", "IBAN", "CRYPTO_WALLET"})
                for a in agents:
                    for b in payees:
                        self.add("PAID", a, b, sentence, 0.7, verb.text)
            if lemma in lexicon.WORK_VERBS or lemma in lexicon.EXPLOIT_VERBS:
                places = self.refs(list(_places(verb)), {"ORGANIZATION"})
                workers = patients if lemma in lexicon.EXPLOIT_VERBS | {"employ", "place", "put", "send"} else agents
                workers = [w for w in workers if w.label == "PERSON"] or (
                    [Ref(NARRATOR, "PERSON", 0.8)] if self.p.narrator and lemma == "work" and not agents else [])
                kind = "EXPLOITED_AT" if exploited or lemma in lexicon.EXPLOIT_VERBS else "WORKED_AT"
                for w in workers:
                    for place in places:
                        self.add(kind, w, place, sentence, 0.75, verb.text)

    def identifiers(self, sentence: Span) -> None:
        members = self.p.in_span(sentence)
        owners = [(t, r) for t, r in members if r.label in {"PERSON", "ORGANIZATION"}]
        for token, ref in members:
            kind = IDENTIFIER_RELATION.get(ref.label)
            if kind is None:
                continue
            best = self._owner(token, owners)
            if best is not None:
                owner, confidence = best
                self.add(kind, owner, ref, sentence, confidence, None)

    def _owner(self, identifier: Token, owners: list[tuple[Token, Ref]]) -> tuple[Ref, float] | None:
        """The possessor of the identifier's noun, else the nearest named participant in the tree."""
        noun = identifier.head if identifier.dep_ in {"appos", "compound", "attr", "pobj", "nummod"} else identifier
        for holder in (noun, identifier, noun.head):
            for child in holder.children:
                if child.dep_ == "poss":
                    ref = self.p.of(child)
                    if ref is not None and ref.label in {"PERSON", "ORGANIZATION"}:
                        return ref, 0.9
        named = [(t, r) for t, r in owners if r.id != NARRATOR and not self._medium(r)]
        if not named:
            return None
        # A person before an organisation: "posted her on ListCrawlr.example with the number ..." is BELL's
        # number, not the site's; an organisation owns a number only when no person is in the sentence.
        people = [(t, r) for t, r in named if r.label == "PERSON"]
        named = people or named
        token, ref = min(named, key=lambda item: (_tree_distance(identifier, item[0]), abs(item[0].i - identifier.i)))
        distance = _tree_distance(identifier, token)
        return ref, 0.8 if distance <= 3 else 0.6

    def _official(self, ref: Ref) -> bool:
        """A judge ordering a defendant to pay restitution does not control anyone."""
        entity = self.p.entities.get(ref.id)
        return entity is not None and titled_official(self.p.text, entity["start"])

    def _medium(self, ref: Ref) -> bool:
        """Platforms, ad sites, agencies and payment services carry numbers; they do not own them."""
        return self.p.entities[ref.id]["source"] in {"rule:platform", "rule:website", "rule:agency"}

    def associations(self, sentence: Span) -> None:
        """The weak fallback between names in one sentence. A 'sentence' naming dozens of people (a list, a
        table pasted as text) links each name to its next few neighbours only, not every pair."""
        named = [r for _, r in self.p.in_span(sentence) if r.label in {"PERSON", "ORGANIZATION"} and r.id != NARRATOR
                 and r.confidence == 1.0]
        if len(named) < 2:
            return
        ids = {r.id for r in named}
        linked = {frozenset((h, t)) for (_, h, t) in self.found if h in ids and t in ids}
        reach = len(named) if len(named) <= ASSOCIATION_ALL_PAIRS else ASSOCIATION_NEIGHBOURS
        for i, a in enumerate(named):
            for b in named[i + 1 : i + 1 + reach]:
                same = self.p.entities[a.id]["value"] == self.p.entities[b.id]["value"]
                if not same and frozenset((a.id, b.id)) not in linked:
                    self.add("ASSOCIATED_WITH", a, b, sentence, ASSOCIATION_CONFIDENCE, None)


def _tree_distance(a: Token, b: Token) -> int:
    ancestors_a = {t.i: depth for depth, t in enumerate([a, *a.ancestors])}
    for depth, t in enumerate([b, *b.ancestors]):
        if t.i in ancestors_a:
            return depth + ancestors_a[t.i]
    return 99


def find_relations(participants: Participants, indicator_sentences: set[int]) -> list[Relation]:
    finder = RelationFinder(participants, indicator_sentences)
    for sentence in participants.sentences:
        finder.verbs(sentence)
        finder.identifiers(sentence)
        finder.associations(sentence)
    exploited = {(r.head, r.tail) for r in finder.found.values() if r.type == "EXPLOITED_AT"}
    return [r for r in finder.found.values() if not (r.type == "WORKED_AT" and (r.head, r.tail) in exploited)]
