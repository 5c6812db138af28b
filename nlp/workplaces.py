"""WORKED_AT from the ways reports say who runs or works for an organisation.

"Wen Jiahui, who owned Jade Spring Wellness LLC", "ELUMELU Chinedu, director of Brightcare Staffing
Solutions Ltd", "Punjab Money Point ..., run by Rajinder Kaur", "ProStaff CZ s.r.o., whose managing
director is KRAVCHUK Oleh", "Amrit Sandhu of the CPS": the verb lexicon of ``nlp.relations`` reads none
of these. Victims are left out: where they worked is EXPLOITED_AT, not employment.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Span, Token

from nlp.participants import Participants, Ref

STATED = 0.7
RUN_VERBS = frozenset({"own", "run", "operate", "manage", "direct", "found", "establish", "open", "lead", "head",
                       "co-own", "control", "rent", "lease", "register", "incorporate", "set"})
POST_NOUNS = frozenset({"director", "manager", "owner", "proprietor", "secretary", "employee", "worker", "boss",
                        "founder", "partner", "shareholder", "operator", "head", "chief", "officer", "agent",
                        "caseworker", "spokesperson", "spokesman", "spokeswoman", "investigator", "detective",
                        "inspector", "solicitor", "lawyer", "administrator", "accountant", "bookkeeper", "supervisor",
                        "foreman", "receptionist", "cashier", "clerk", "landlord", "landlady", "member", "staff",
                        "counsel", "prosecutor", "advocate", "coordinator", "volunteer", "analyst", "nurse", "doctor"})


def _person(p: Participants, token: Token) -> Ref | None:
    ref = p.of(token)
    return ref if ref is not None and ref.label == "PERSON" and ref.confidence == 1.0 and ref.id != "narrator" else None


def _with_conjuncts(token: Token) -> list[Token]:
    return [token, *token.conjuncts]


def _runners(p: Participants, verb: Token) -> Iterator[Ref]:
    """Who did ``verb``: its subject, the antecedent of 'who', or the agent of 'run by X'."""
    for child in verb.children:
        if child.dep_ == "nsubj":
            targets = [verb.head] if child.lower_ in {"who", "that"} and verb.dep_ == "relcl" else _with_conjuncts(child)
            yield from (r for t in targets for r in [_person(p, t)] if r)
        if child.dep_ == "agent":
            yield from (r for g in child.children if g.dep_ == "pobj" for t in _with_conjuncts(g) for r in [_person(p, t)] if r)


def find_workplaces(p: Participants, sentence: Span, victims: set[str]) -> Iterator[tuple[Ref, Ref]]:
    """(person, organisation) pairs the sentence states."""
    members = p.in_span(sentence)
    for token, ref in members:
        if ref.label != "ORGANIZATION" or ref.confidence < 1:
            continue
        head = token
        while head.dep_ == "conj" and head.head.i != head.i:
            head = head.head
        # "who owned X", "ran X": the organisation is the object of a running verb
        if head.dep_ in {"dobj", "attr"} and head.head.lemma_.lower() in RUN_VERBS:
            yield from ((person, ref) for person in _runners(p, head.head))
        # "X, run by Y": the organisation has a participle of a running verb with an agent
        for child in token.children:
            if child.dep_ in {"acl", "relcl"} and child.lemma_.lower() in RUN_VERBS:
                yield from ((person, ref) for person in _runners(p, child))
        # "director of X", "the manager of X is Y", "Y of the CPS"
        if head.dep_ == "pobj" and head.head.lower_ in {"of", "at", "for", "from", "with"}:
            holder = head.head.head
            if holder.lemma_.lower() in POST_NOUNS or holder.lower_ in POST_NOUNS:
                for candidate in (holder, *[c for c in holder.children if c.dep_ == "appos"], holder.head):
                    person = _person(p, candidate)
                    if person is not None:
                        yield person, ref
                        break
                else:
                    for other in holder.children if holder.dep_ == "appos" else [holder.head]:
                        person = _person(p, other)
                        if person is not None:
                            yield person, ref
            person = _person(p, holder)
            source = p.entities[ref.id]["source"]
            named_body = source == "rule:agency" or any(c.lower_ == "the" for c in token.children) or \
                (token.i > 0 and token.nbor(-1).lower_ == "the")
            if person is not None and head.head.lower_ in {"of", "from"} and person.id not in victims and named_body:
                yield person, ref  # "Amrit Sandhu of the CPS"; not "X, 49, of Belleview" (where X lives)
        # "whose managing director is X"
        for child in token.children:
            if child.dep_ == "relcl":
                attr = [g for g in child.children if g.dep_ in {"attr", "nsubj"}]
                if any(g.lemma_.lower() in POST_NOUNS for g in attr):
                    for g in child.children:
                        person = _person(p, g)
                        if person is not None:
                            yield person, ref
