"""One narrative, one reading of each name: repeated and partial mentions, surnames the model read as
organisations, nicknames and the full name each mention stands for."""

from __future__ import annotations

import re
from bisect import bisect_left

from nlp.entities.common import STOP, Candidate, has_business_noun, not_person
from nlp.identifiers import clean_display_name, fold, name_tokens


def propagate(text: str, chosen: list[Candidate]) -> list[Candidate]:
    """Later bare mentions of a name already recognised in the narrative ('Dobre', 'Flo', 'GARCIA') are
    mentions too. A name found on strong evidence (a rule, or a full name from the model) wins over the
    model's other reading of its repetitions ('Thompson' read as an organisation the second time); a
    name the model alone found only fills gaps."""
    labels: dict[str, tuple[str, float, int]] = {}
    for cand in chosen:
        if cand.label not in {"PERSON", "ORGANIZATION"}:
            continue
        surface = text[cand.start : cand.end]
        strong = cand.label == "PERSON" and (not cand.source.startswith("model") or len(surface.split()) > 1)
        pieces = {surface}
        if cand.label == "PERSON":
            words = {w.strip(",.") for w in surface.split() if len(w.strip(",.")) > 2 and w[0].isupper()}
            pieces |= words | {w.upper() for w in words} | {w.title() for w in words if w.isupper()}
        for piece in pieces:
            if len(piece) >= 3 and fold(piece) not in not_person() and piece.lower() not in STOP:
                priority = 3 if strong else 6
                known = labels.get(piece)
                if known is None or known[2] > priority:
                    labels[piece] = (cand.label, cand.confidence * 0.9, priority)
    return [Candidate(start, end, labels[piece][0], labels[piece][2], labels[piece][1], "rule:propagated")
            for start, end, piece in _whole_word_mentions(text, sorted(labels, key=len, reverse=True))]


_NAME_CHAR_RE = re.compile(r"[\w'’-]")


def _whole_word_mentions(text: str, pieces: list[str]) -> list[tuple[int, int, str]]:
    r"""What ``re.finditer(rf"(?<![\w'’-])(?:{'|'.join(map(re.escape, pieces))})(?![\w'’-])", text)`` finds:
    leftmost first, the earliest piece in ``pieces`` that fits at a position, no overlaps.

    Why not that regex: its alternation is different for every narrative, so ``re`` compiled a new
    pattern each time, which cost five times as much as the search itself.
    """
    fits: dict[int, str] = {}
    for piece in pieces:
        position = text.find(piece)
        while position != -1:  # every occurrence, overlapping ones too
            end = position + len(piece)
            if position not in fits and not _NAME_CHAR_RE.match(text, end):
                fits[position] = piece
            position = text.find(piece, position + 1)
    found: list[tuple[int, int, str]] = []
    resume = 0
    for position in sorted(fits):
        if position < resume or (position > 0 and _NAME_CHAR_RE.match(text, position - 1)):
            continue
        end = position + len(fits[position])
        found.append((position, end, fits[position]))
        resume = end
    return found


def relabel_surnames(text: str, chosen: list[Candidate]) -> None:
    """'VARGA' read as an organisation is the person 'Tomas Varga' named elsewhere in the narrative."""
    people = [set(name_tokens(c.value or text[c.start : c.end])) for c in chosen if c.label == "PERSON"]
    for cand in chosen:
        if cand.label in {"ORGANIZATION", "LOCATION"} and cand.source.startswith("model"):
            surface = text[cand.start : cand.end]
            tokens = set(name_tokens(surface))
            if tokens and any(tokens <= p for p in people) and not has_business_noun(surface):
                cand.label = "PERSON"


_ALIAS_BEFORE_RE = re.compile(r"(?:,?\s*(?:known as|nicknamed|alias|aka|a\.k\.a\.|called)\s*|\s)[\"'“‘]?$", re.I)


def _alias_of(text: str, alias: Candidate, people: list[Candidate], ends: list[int]) -> Candidate | None:
    """The person a nickname belongs to: 'Andrei Munteanu, known as "Andi"' or 'Florin "Flo" Dobre'.
    ``people`` are sorted by start and ``ends`` are their ends: only names ending just before the alias
    (or, for a quoted nickname, starting just after it) are looked at, so the cost does not grow with the
    number of names in the narrative."""
    if alias.source not in {"rule:person_cue", "rule:nickname"}:
        return None
    near = [people[k] for k in range(bisect_left(ends, alias.start - 16), len(people))
            if people[k].end <= alias.start or people[k].start <= alias.end + 2]
    for person in near:
        if person is alias or person.start > alias.end + 2:
            continue
        between = text[person.end : alias.start]
        if 0 <= len(between) <= 16 and _ALIAS_BEFORE_RE.search(between):
            return person
        if alias.source == "rule:nickname" and 0 < person.start - alias.end <= 2:
            before = [p for p in near if 0 < alias.start - p.end <= 2]
            if before:
                return before[0]
    return None


def _fuller(whole: list[str], initials: list[str], tokens: frozenset[str], other: frozenset[str]) -> bool:
    """``other`` names the same person more fully: it has every whole word of this name and, for each
    initial ('A. Munteanu'), a word starting with it that is not already one of this name's words."""
    if not initials:
        return tokens < other
    rest = other - set(whole)
    return all(any(word.startswith(initial) and len(word) > 1 for word in rest) for initial in initials)


def person_values(text: str, people: list[Candidate]) -> None:
    """Within one narrative, 'Munteanu' and 'Andrei' stand for 'Andrei Munteanu' when that is the only fit,
    and a nickname given right after a name stands for that name. Works on distinct names, not mentions,
    so that a narrative naming thousands of people costs no more than its distinct names."""
    people = sorted(people, key=lambda c: c.start)
    by_end = sorted(people, key=lambda c: c.end)
    ends = [c.end for c in by_end]
    names = {id(p): (p.value or clean_display_name(text[p.start : p.end])) for p in people}
    for person in people:
        owner = _alias_of(text, person, by_end, ends)
        if owner is not None:
            names[id(person)] = names[id(owner)]
            person.detail = "alias"
    tokens_of = {name: frozenset(name_tokens(name)) for name in set(names.values())}
    containing: dict[str, set[str]] = {}
    for name, tokens in tokens_of.items():
        for token in tokens:
            containing.setdefault(token, set()).add(name)
    fuller_of: dict[str, set[str]] = {}
    for name, tokens in tokens_of.items():
        whole = [t for t in tokens if len(t) > 1]
        initials = [t for t in tokens if len(t) == 1]
        candidates = set.intersection(*(containing[t] for t in whole)) if whole else set()
        fuller_of[name] = {other for other in candidates if _fuller(whole, initials, tokens, tokens_of[other])}
    # 'A. Munteanu' → 'Andrei Munteanu' first, so that 'Munteanu' then has one fuller name, not two
    settled = {name: next(iter(f)) if len(f) == 1 and len(tokens_of[name]) > 1 else name for name, f in fuller_of.items()}
    fuller_of = {name: {settled[o] for o in f} - {name} for name, f in fuller_of.items()}
    for person in people:
        name = names[id(person)]
        fuller = fuller_of[name]
        person.value = next(iter(fuller)) if len(fuller) == 1 and person.detail != "alias" else name
