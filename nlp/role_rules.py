"""Which side a person is on, read off the parse of the sentence that names them.

Court summaries and police reports say it in their own ways: "X pleaded guilty", "X was sentenced",
"X, who recruited the women", "the girls were driven by X", "X operated a brothel", "Courier: X",
"one of the women, Y", "Y was trafficked". Each rule here maps one grammatical slot of one verb class
to a role: the subject of a recruiting verb with a person as object is a recruiter, the passive subject
of a conviction is on the exploiting side, the object of a trafficking verb is a victim. The verbs and
nouns are data (``nlp/data/roles.json``); named officials (judges, agents, caseworkers) get no role.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.tokens import Token

LEGAL = 0.75  # pleaded guilty, was convicted: the text states the side outright
AGENT = 0.7  # did the act to a person
NOUN = 0.8  # "the ringleader, X"
VICTIM = 0.7


@dataclass(frozen=True, slots=True)
class RoleCue:
    role: str
    confidence: float


@lru_cache(maxsize=1)
def data() -> dict:
    raw = json.loads(resources.files("nlp").joinpath("data/roles.json").read_text(encoding="utf-8"))
    out: dict = {k: frozenset(v) for k, v in raw.items() if isinstance(v, list)}
    out["agent_verbs"] = {role: frozenset(verbs) for role, verbs in raw["agent_verbs"].items()}
    out["role_nouns"] = dict(raw["role_nouns"])
    out["header_roles"] = dict(raw["header_roles"])
    return out


# The role an agent of a passive verb plays: "recruited by X" → recruiter.
_PASSIVE_AGENT = {"recruit": "recruiter", "lure": "recruiter", "groom": "recruiter", "trick": "recruiter",
                  "deceive": "recruiter", "entice": "recruiter", "promise": "recruiter", "offer": "recruiter",
                  "transport": "transporter", "move": "transporter", "bring": "transporter", "drive": "transporter",
                  "smuggle": "transporter", "take": "transporter", "send": "transporter",
                  "beat": "controller", "threaten": "controller", "lock": "controller", "confine": "controller",
                  "hold": "controller", "keep": "controller", "force": "controller", "make": "controller",
                  "rape": "controller", "abuse": "controller", "drug": "controller", "coerce": "controller",
                  "compel": "controller", "house": "controller", "harbour": "controller", "harbor": "controller",
                  "kidnap": "controller", "abduct": "controller",
                  "traffic": "exploiter", "sell": "exploiter", "prostitute": "exploiter", "pimp": "exploiter",
                  "exploit": "exploiter", "advertise": "exploiter", "enslave": "exploiter",
                  "buy": "buyer", "purchase": "buyer"}


def _climb(token: Token) -> Token:
    """From a name to the word that fills the clause slot: through conjunctions and appositions
    ('Smith, Jones and Brown were charged'; 'His nephew, Kamil Sadowski, paid'; 'the Estrada brothers ran')."""
    for _ in range(4):
        if token.dep_ in {"conj", "appos"} and token.head.i != token.i:
            token = token.head
        elif token.dep_ == "pobj" and token.head.lower_ == "as" and token.head.head.lemma_.lower() in _NAMING \
                and token.head.head.dep_ in {"acl", "relcl", "amod", "advcl"}:
            token = token.head.head.head  # "one of the women, identified as L.Y., was kept at ..."
        elif token.dep_ == "compound" and token.head.lower_ in {"brothers", "sisters", "family", "couple", "siblings"}:
            token = token.head
        else:
            break
    return token


_NAMING = frozenset({"identify", "know", "name", "describe", "list", "refer"})
_SPEECH = frozenset({"say", "state", "testify", "tell", "report", "explain", "describe", "recall", "allege", "disclose",
                     "claim", "recount"})
_VICTIM_APPOSITION = frozenset({"woman", "girl", "women", "girls", "another", "victim", "victims", "minor", "minors",
                                "teenager", "child", "boy", "worker", "workers", "youngest", "eldest", "oldest"})
# "X, 15,", "X (16)", "X, aged 17", "X, a 16-year-old": a child named in a trafficking narrative
_MINOR_AFTER_RE = re.compile(r"^\s*(?:\([^)]*\)\s*)?[,(]\s*(?:aged\s+|age\s+)?(?:a\s+)?(?:1[0-7]|[4-9])(?:-year-old)?\b(?![./:-]\d)")


def minor_role(text: str, end: int) -> RoleCue | None:
    """A person given an age under 18 right after the name is a child; in these narratives, a victim."""
    return RoleCue("victim", 0.6) if _MINOR_AFTER_RE.match(text[end : end + 40]) else None


def speaker_roles(verb: Token) -> list[RoleCue]:
    """'H.Q. said Zhao took her cash', 'A.I. testified that Odion forced them into prostitution': the
    speaker is the one the act was done to."""
    if verb.lemma_.lower() not in _SPEECH:
        return []
    victim_verbs = data()["victim_object_verbs"] | data()["agent_verbs"]["controller"]
    for clause in (c for c in verb.children if c.dep_ == "ccomp"):
        for word in clause.subtree:
            if word.lower_ in {"her", "him", "them", "me", "us"} and word.dep_ in {"dobj", "pobj", "poss"} \
                    and word.head.lemma_.lower() in victim_verbs | {"cash", "passport", "money", "earnings", "wages"}:
                return [RoleCue("victim", 0.6)]
    return []


def _verb_chain(verb: Token) -> list[Token]:
    """The verb, the verbs conjoined after it that have no subject of their own, and their open complements
    ('drove the men ... and guarded the houses'; 'agreed to transport')."""
    chain = [verb]
    for other in verb.conjuncts:
        if other.i > verb.i and other.pos_ in {"VERB", "AUX"} and not any(
                c.dep_ in {"nsubj", "nsubjpass"} for c in other.children):
            chain.append(other)
    for item in list(chain):
        chain += [c for c in item.children if c.dep_ == "xcomp" and c.pos_ == "VERB"]
    return chain


def slots(token: Token) -> Iterator[tuple[Token, str]]:
    """(verb, slot) pairs for the person at ``token``: subject, passive, object, agent ('by X'), to, with."""
    head = _climb(token)
    dep = head.dep_
    if dep == "nsubj" and head.head.dep_ == "auxpass" and head.head.head.pos_ == "VERB":
        yield from ((v, "passive") for v in _verb_chain(head.head.head))  # the parser hung it on 'was'
    elif dep == "nsubj" and head.head.pos_ in {"VERB", "AUX"}:
        yield from ((v, "subject") for v in _verb_chain(head.head))
    elif dep == "nsubjpass":
        yield from ((v, "passive") for v in _verb_chain(head.head))
    elif dep in {"dobj", "dative"}:
        yield head.head, "object"
    elif dep == "pobj" and head.head.dep_ == "agent":
        yield head.head.head, "agent"
    elif dep == "pobj" and head.head.lower_ in {"to", "with"}:
        yield head.head.head, head.head.lower_
    if dep in {"dobj", "dative"}:  # "paid Moreno to drive the victims": Moreno drives
        for xcomp in (c for c in head.head.children if c.dep_ == "xcomp" and c.pos_ == "VERB"):
            if not any(c.dep_ == "nsubj" for c in xcomp.children):
                yield xcomp, "subject"
    for child in token.children:  # "X, who laundered the profits"
        if child.dep_ == "relcl":
            subject = next((c for c in child.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
            if subject is not None and subject.lower_ in {"who", "that"}:
                slot = "subject" if subject.dep_ == "nsubj" else "passive"
                yield from ((v, slot) for v in _verb_chain(child))


def objects_of(verb: Token) -> list[Token]:
    found = [c for c in verb.children if c.dep_ in {"dobj", "dative", "attr"}]
    found += [g for c in verb.children if c.dep_ == "xcomp" for g in c.children if g.dep_ in {"dobj", "nsubj"}]
    found += [p for c in verb.children if c.dep_ == "prep" and c.lower_ in {"with", "up"} for p in c.children
              if p.dep_ == "pobj"]
    found += [c for c in verb.children if c.dep_ == "ccomp" for c in c.children if c.dep_ == "nsubj"]  # made her work
    return [t for o in found for t in (o, *o.conjuncts)]


def object_kind(word: Token, is_person: bool, is_business: bool) -> str | None:
    if is_person:
        return "person"
    if is_business:
        return "business"
    lemma, lower = word.lemma_.lower(), word.lower_
    d = data()
    if lower in d["person_objects"] or lemma in d["person_objects"]:
        return "person"
    if lower in d["business_objects"] or lemma in d["business_objects"]:
        return "business"
    if lower in d["control_objects"] or lemma in d["control_objects"]:
        return "control"
    return None


def agent_roles(verb: Token, kinds: set[str]) -> list[RoleCue]:
    """Roles of the subject of ``verb`` given what kinds of object it has."""
    lemma = verb.lemma_.lower()
    d = data()
    found: list[RoleCue] = []
    if lemma in d["legal_subject_verbs"]:
        found.append(RoleCue("exploiter", LEGAL))
    verbs = d["agent_verbs"]
    if lemma in verbs["recruiter"] and "person" in kinds:
        found.append(RoleCue("recruiter", AGENT))
    if lemma in verbs["transporter"] and "person" in kinds:
        found.append(RoleCue("transporter", AGENT))
    if lemma in verbs["controller"] and ("person" in kinds or (
            "control" in kinds and lemma in {"take", "keep", "hold", "confiscate", "withhold", "collect"})):
        found.append(RoleCue("controller", AGENT))
    if lemma in verbs["exploiter"] and (kinds & {"person", "business"} or (
            "control" in kinds and lemma in {"launder", "profit", "receive", "pocket", "earn", "collect", "demand"})
            or lemma in {"launder", "profit", "traffic", "pimp", "mastermind", "orchestrate"}):
        found.append(RoleCue("exploiter", AGENT))
    if lemma in verbs["buyer"] and "person" in kinds:
        found.append(RoleCue("buyer", AGENT))
    return found


def passive_roles(verb: Token, narrator: bool) -> list[RoleCue]:
    lemma = verb.lemma_.lower()
    d = data()
    if lemma in d["legal_passive_verbs"] and not narrator and not _negated(verb):
        return [RoleCue("exploiter", LEGAL)]
    if lemma in d["victim_passive_verbs"]:
        return [RoleCue("victim", VICTIM)]
    return []


def _negated(verb: Token) -> bool:
    return any(c.dep_ == "neg" for c in verb.children) or verb.lemma_.lower() == "acquit"


def object_roles(verb: Token) -> list[RoleCue]:
    return [RoleCue("victim", VICTIM)] if verb.lemma_.lower() in data()["victim_object_verbs"] else []


def agent_of_passive(verb: Token) -> list[RoleCue]:
    role = _PASSIVE_AGENT.get(verb.lemma_.lower())
    return [RoleCue(role, AGENT)] if role else []


def noun_roles(token: Token) -> list[RoleCue]:
    """'the ringleader, X', 'X, a driver', 'defendant X', 'X was the madam', 'one of the women, X'."""
    nouns = data()["role_nouns"]
    found: list[RoleCue] = []
    head = _climb(token) if token.dep_ == "conj" else token
    neighbours = [*token.children, token.head, *head.children, head.head]
    for other in neighbours:
        if other.i == token.i:
            continue
        role = nouns.get(other.lower_) or nouns.get(other.lemma_.lower())
        if role and (other.dep_ in {"appos", "compound", "attr", "nsubj"} or token.dep_ in {"appos", "attr"}
                     or other.i == token.i - 1):
            found.append(RoleCue(role, NOUN))
        if token.dep_ == "appos" and other.i == token.head.i and other.lower_ in _VICTIM_APPOSITION:
            found.append(RoleCue("victim", 0.65))  # "another woman, H.Q., said"; legal verbs outrank it
        if other.lemma_.lower() == "one" and token.dep_ == "appos":  # "one of the women, Efe"
            group = [p for c in other.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children]
            if any(g.lower_ in data()["victim_group_nouns"] for g in group):
                found.append(RoleCue("victim", VICTIM))
    return found


_HEADER_RE = re.compile(r"(?:^|\n)[ \t]*(?:\d+\.\s*)?(?P<label>[A-Za-z][A-Za-z ]{2,24}?)\s*\d*\s*[:–-]\s*$")


def header_role(text_before_on_line: str) -> RoleCue | None:
    """'Principal subject: X', 'Courier: X', 'Suspect 2 – X' in a report's header lines."""
    match = _HEADER_RE.search(text_before_on_line)
    if match is None:
        return None
    role = data()["header_roles"].get(match.group("label").strip().lower())
    return RoleCue(role, NOUN) if role else None


def titled_official(text: str, start: int) -> bool:
    """'Judge Osei', 'Justice Sani Umar', 'Assistant U.S. Attorney X': an official's title just before the name."""
    officials = data()["official_words"]
    before = re.findall(r"[A-Za-z.]+", text[max(0, start - 40) : start])[-3:]
    return any(w.lower() in officials or w.lower().rstrip(".") in officials for w in before)


def is_official(token: Token, text: str, start: int) -> bool:
    """A judge, agent, prosecutor or caseworker by title just before the name or in apposition to it."""
    officials = data()["official_words"]
    if titled_official(text, start):
        return True
    head = _climb(token)
    return any(n.lower_ in officials and n.dep_ in {"appos", "compound"} for n in (*token.children, head.head))
