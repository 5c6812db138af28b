"""What a narrative states about each person: sex, age, citizenship and country of origin. Never guessed.

HTCDS exports, aggregates and the synthetic release count victims by these attributes, and a wrong value
there is worse than an empty one. So a value is taken only from words bound to the person:

- a descriptor next to the name: before it ("a 17-year-old Nigerian girl named Joy", "Vietnamese national
  Tran") or in apposition after it ("Roxana, 17, Romanian, from Constanta,", "Tran (19)");
- a predicate of the person, the narrator or a pronoun that stands for them ("Ana was 17", "I was the only
  woman", "I come from Edo State", "she was born in Iasi", "when I turned 16");
- "at the age of 15" / "aged 15" in a clause whose subject is the person;
- a he/she/her/his pronoun, only when exactly one named person is in reach (this and the two sentences
  before) and no other person-noun of that gender comes in between: the name is never used to choose;
- for the narrator, also "other girls like me", "me and the other women", and the first place "I/we left".

Age: the age at the time of the events when a past statement gives it ("I was 15 when", "at the age of
15"); an age stated only for the present ("Ana, now 22") is kept, because it is what the text states, at a
lower weight, so a past statement wins. Conflicting sexes of equal weight leave sex empty.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from spacy.tokens import Span, Token

from nlp.extraction import NARRATOR, Evidence, PersonProfile, ProfileFact
from nlp.gazetteer import country_of, demonyms
from nlp.identifiers import fold
from nlp.participants import FEMALE, MALE, Participants

SEX_NOUNS = {**dict.fromkeys("girl girls woman women lady daughter mother wife sister girlfriend female "
                             "grandmother aunt niece mum mom widow schoolgirl businesswoman".split(), "female"),
             **dict.fromkeys("boy boys man men son father husband brother boyfriend male grandfather uncle "
                             "nephew dad widower schoolboy businessman gentleman".split(), "male")}
HUMAN_NOUNS = frozenset("national citizen resident native victim survivor teenager teen minor child person "
                        "refugee migrant student worker orphan youth adult juvenile individual friend cousin "
                        "mother-of-two".split())
FILLERS = frozenset("young teenage teenaged underage under-age single pregnant undocumented unaccompanied "
                    "orphaned vulnerable married divorced widowed homeless only then now still just barely "
                    "about around nearly almost already originally also another other both all".split())
DETERMINERS = frozenset("a an the her his their my our this that".split())
ROLE_WORDS = frozenset("employer boss trafficker recruiter agent owner manager pimp madam driver guard customer "
                       "client landlord smuggler controller supervisor foreman uncle aunt".split())
# Nationalities the shared table (nlp/data/demonyms.json, also phone-region hints) does not list.
_MORE_DEMONYMS = {"kenyan": "KE", "mexican": "MX", "honduran": "HN", "salvadoran": "SV", "guatemalan": "GT",
                  "venezuelan": "VE", "cambodian": "KH", "burmese": "MM", "laotian": "LA", "malaysian": "MY",
                  "tanzanian": "TZ", "sierra leonean": "SL", "belarusian": "BY", "georgian": "GE",
                  "armenian": "AM", "libyan": "LY", "tunisian": "TN", "malian": "ML", "beninese": "BJ",
                  "togolese": "TG", "liberian": "LR", "haitian": "HT", "cuban": "CU", "peruvian": "PE",
                  "dominican": "DO", "macedonian": "MK", "norwegian": "NO", "finnish": "FI", "swiss": "CH",
                  "canadian": "CA", "australian": "AU", "japanese": "JP", "korean": "KR", "uzbek": "UZ",
                  "kazakh": "KZ", "kyrgyz": "KG", "tajik": "TJ", "yemeni": "YE", "jamaican": "JM",
                  "south sudanese": "SS", "rwandan": "RW", "angolan": "AO", "malawian": "MW", "zambian": "ZM"}
_UNITS = "one two three four five six seven eight nine".split()
_TEENS = "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_NUMBER_WORDS = {w: i + 1 for i, w in enumerate(_UNITS)} | {w: i + 10 for i, w in enumerate(_TEENS)}
_NUMBER_WORDS |= {w: 20 + 10 * i for i, w in enumerate(_TENS)}
_NUM = r"(?:\d{1,2}|(?:%s)(?:[- ](?:%s))?|%s)" % ("|".join(_TENS), "|".join(_UNITS), "|".join(_TEENS + _UNITS))
_YEARS_OLD_RE = re.compile(rf"\b({_NUM})(?:[\s-]+years?)?[\s-]+old\b|\b({_NUM})-years?\b(?!-)", re.I)
_AGED_RE = re.compile(rf"^(?:aged?|age of)\s+({_NUM})$", re.I)
_WORD_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")
_FROM_RE = re.compile(r"\b(?:originally\s+)?(?:from|born\s+(?:and\s+raised\s+)?in|raised\s+in)\s+", re.I)
_OF_RE = re.compile(r"\b(national|citizen|native)\s+of\s+", re.I)
_WHO_RE = re.compile(r"^(?:who\s+(?:is|was|were|had\s+been|has\s+been)|now|then)\s+", re.I)
_LINKER_RE = re.compile(r"(?:,|:|\bnamed|\bcalled|\bknown\s+as|\bby\s+the\s+name\s+of)\s*$", re.I)
_TITLE_RE = re.compile(r"\b(Mr|Mrs|Ms|Miss|Madam|Mme|Sir)\.?\s*$")
_AGE_PHRASE_RE = re.compile(rf"\b(?:at|by)\s+the\s+age\s+of\s+({_NUM})\b|\baged\s+({_NUM})\b", re.I)
_CHUNK_END_RE = re.compile(r"[,;:.!?()\n]|\s(?:when|while|and|but|because|so|until|after|before|who|which|"
                           r"that|in|at|on|with|for|by|as|to|working|living|since)\b", re.I)
_NARRATOR_SEX_RE = re.compile(r"\b(?:(?:other|fellow)\s+(girls|women|boys|men)\s+(?:like\s+me|and\s+I)\b|"
                              r"(?:me|I)\s+and\s+(?:the\s+)?other\s+(girls|women|boys|men)\b|"
                              r"(girls|women|boys|men)\s+like\s+me\b)", re.I)
_SEPARATOR_RE = re.compile(r"[,;()\n]|\.(?=\s|$)")
_PHRASE_END_RE = re.compile(r"[,;:!?()\n]|\.(?=\s|$)|\s(?:when|while|and|but|where|because|until|to|before|after|"
                            r"with|for|by|on|at|who|which|that)\b", re.I)
_PLACE_TAIL_RE = re.compile(r"(?:(?:a|the)\s+(?:small\s+|little\s+|poor\s+|rural\s+|remote\s+)?(?:village|town|city|"
                            r"region|province|state|district|area|county|suburb|part)\s+(?:in|near|outside|of|called)\s+)?"
                            r"(?:the\s+)?[A-Z][\w'’.-]*(?:(?:\s*,\s*|\s+(?:in\s+|de\s+|la\s+|upon\s+|of\s+)?)[A-Z][\w'’.-]*)*")
_ADMIN_SUFFIX_RE = re.compile(r"\s+(?:State|Province|Region|County|District|Oblast|Governorate)$")
_PRED_AGE_RE = re.compile(rf"(?:(?:only|just|barely|then|already|still|now)\s+)?({_NUM})(?:[\s-]+years?(?:[\s-]+old|\s+of\s+age)?)?"
                          r"(?=\s*(?:[,;:.!?)]|$)|\s+(?:when|and|but|at|in|a|an|the|my|his|her|i|he|she|we|they|so|"
                          r"because|then|or|now|until|while)\b)", re.I)
_PREDICATE_LEMMAS = frozenset({"be", "come", "hail", "originate", "bear", "turn"})
_PRESENT = frozenset({"is", "am", "are", "'s", "'m", "now"})
REACH = 240  # characters around a name or a verb that a descriptor or predicate may take
WEIGHT = {"descriptor": 0.9, "predicate": 0.9, "title": 0.9, "age_phrase": 0.8, "narrator": 0.8,
          "pronoun": 0.6, "left": 0.5}


def number(word: str) -> int | None:
    """17, 'seventeen', 'twenty-one', 'twenty one' as an int between 1 and 99."""
    word = word.lower().strip()
    if word.isdigit():
        value = int(word)
        return value if 0 < value < 100 else None
    parts = re.split(r"[- ]", word)
    if all(p in _NUMBER_WORDS for p in parts) and len(parts) <= 2:
        return sum(_NUMBER_WORDS[p] for p in parts)
    return None


def nationality(words: list[str], i: int) -> tuple[str, int] | None:
    """ISO2 of the nationality word(s) at ``words[i]`` and how many words it takes."""
    table = demonyms()
    for size in (2, 1):
        key = fold(" ".join(words[i : i + size]))
        code = (table.get(key) or _MORE_DEMONYMS.get(key)) if len(words) >= i + size else None
        if code:
            return code, size
    return None


def _descriptive(word: str, head: str) -> bool:
    """Whether a descriptor can end with this word (before a name): a cheap test before the real reading."""
    lower = word.lower()
    return (lower in SEX_NOUNS or lower in HUMAN_NOUNS or lower in ROLE_WORDS or lower.endswith("old")
            or number(lower) is not None or nationality([lower], 0) is not None
            or word[:1].isupper() and _FROM_RE.search(head[-60:]) is not None)


@dataclass(slots=True)
class Found:
    attribute: str
    value: str | int
    start: int  # cue span in the text
    end: int
    kind: str  # what stated it: a key of WEIGHT
    present: bool = False  # an age stated for the present ("is 22", "now 22")


class ProfileFinder:
    """The stated attributes of the persons (and narrator) of one doc, given its ``Participants``."""

    def __init__(self, participants: Participants) -> None:
        self.p = participants
        self.text = participants.text
        self.canonical: dict[str, str] = {}
        first: dict[str, str] = {}
        for entity_id, entity in participants.entities.items():
            if entity["label"] == "PERSON":
                self.canonical[entity_id] = first.setdefault(entity["value"], entity_id)
        self.places = sorted((e["start"], e["end"], e["country"]) for e in participants.entities.values()
                             if e["label"] == "LOCATION")
        self.found: dict[str, list[Found]] = {}
        self.in_descriptor = bytearray(len(self.text) + 1)  # characters some descriptor of a person covers
        self.starts = [s.start_char for s in participants.sentences]
        self.people = sorted((e["start"], e["end"], self.canonical[i]) for i, e in participants.entities.items()
                             if e["label"] == "PERSON")
        self.people_starts = [p[0] for p in self.people]

    def place_country(self, start: int, end: int) -> str | None:
        """Country of the first place named in ``text[start:end]``: a LOCATION entity, else the gazetteer."""
        for p_start, p_end, country in self.places[bisect_left(self.places, (start, -1, "")) :]:
            if p_start > end:
                break
            if p_end <= end + 1 and country:
                return country
        words = _WORD_RE.findall(self.text[start:end])
        capitalised = " ".join(w for w in words if w[:1].isupper())
        return (country_of(capitalised) or country_of(_ADMIN_SUFFIX_RE.sub("", capitalised))) if capitalised else None

    def describe(self, start: int, end: int, kind: str, whole: bool = True) -> list[Found]:
        """Attributes a descriptor chunk ``text[start:end]`` states, or [] unless every word is descriptive."""
        chunk = self.text[start:end]
        present = False
        who = _WHO_RE.match(chunk)
        if who:
            present = who.group().split()[-1].lower() in _PRESENT
            start += who.end()
            chunk = chunk[who.end():]
        out: list[Found] = []
        tail = _FROM_RE.search(chunk) or _OF_RE.search(chunk)
        if tail is not None:
            if not _PLACE_TAIL_RE.fullmatch(chunk[tail.end():].rstrip()):
                return []
            country = self.place_country(start + tail.end(), end)  # a place of unknown country states nothing
            attribute = "citizenship" if tail.re is _OF_RE and tail.group(1).lower() != "native" else "origin"
            if country is not None:
                out.append(Found(attribute, country, start + tail.start(), end, kind))
            keep = tail.start() + (len(tail.group(1)) if tail.re is _OF_RE else 0)
            chunk = chunk[:keep]
        normal = _YEARS_OLD_RE.sub(lambda mt: f"{(mt.group(1) or mt.group(2)).replace(' ', '-')}-year-old", chunk)
        words = _WORD_RE.findall(normal)
        aged = _AGED_RE.match(" ".join(words))
        if aged:
            return out + [Found("age", number(aged.group(1)) or 0, start, end, kind, present)]
        if len(words) == 1 and number(words[0]):  # "Roxana, 17," and "Tran (19)"; never before a name
            return out + [Found("age", number(words[0]) or 0, start, end, kind, present)] if whole else []
        i = 0
        informative = bool(out) or tail is not None
        while i < len(words):
            word = words[i].lower()
            nat = nationality(words, i)
            following = number(words[i + 1]) if i + 1 < len(words) else None
            if following and (word in {"aged", "age"} or word == "of" and i and words[i - 1].lower() in SEX_NOUNS):
                out.append(Found("age", following, start, end, kind, present))  # "a woman aged 41", "a girl of 16"
                i += 2
                continue
            if word.endswith("-year-old") and number(word[: -len("-year-old")]):
                out.append(Found("age", number(word[: -len("-year-old")]) or 0, start, end, kind, present))
            elif nat is not None:
                out.append(Found("citizenship", nat[0], start, end, kind))
                i += nat[1]
                informative = True
                continue
            elif word in SEX_NOUNS:
                out.append(Found("sex", SEX_NOUNS[word], start, end, kind))
            elif word in FILLERS or word in HUMAN_NOUNS or word in ROLE_WORDS:
                pass
            elif word in DETERMINERS and i == 0:
                pass
            else:
                return []
            informative = informative or word not in FILLERS | DETERMINERS
            i += 1
        out = [f for f in out if f.attribute != "age" or 0 < int(f.value) < 100]
        return out if informative else []

    def add(self, person: str, found: list[Found]) -> None:
        if found:
            self.found.setdefault(person, []).extend(found)
            for f in found:
                self.in_descriptor[f.start : f.end] = b"\x01" * (f.end - f.start)

    def around_mention(self, entity_id: str) -> None:
        entity = self.p.entities[entity_id]
        person = self.canonical[entity_id]
        start, end = entity["start"], entity["end"]
        sentence = self.sentence_of(start)  # a descriptor is near its name: look no further than REACH
        s_start, s_end = max(sentence.start_char, start - REACH), min(sentence.end_char, end + REACH)
        before = self.text[s_start:start]
        title = _TITLE_RE.search(before)
        if title:
            sex = "male" if title.group(1) in {"Mr", "Sir"} else "female"
            self.add(person, [Found("sex", sex, s_start + title.start(), s_start + title.end(), "title")])
        self.add(person, self.before(person, s_start, start, end))
        self.add(person, self.after(end, s_end))

    def before(self, person: str, s_start: int, start: int, end: int) -> list[Found]:
        """'a 17-year-old Nigerian girl named Joy', 'Vietnamese national Tran', 'a man, Marius' (appositive)."""
        head = self.text[s_start:start]
        linker = _LINKER_RE.search(head)
        if linker:
            if linker.group().strip() == "," and not self._apposed(start, end):
                return []
            head = head[: linker.start()]
        words = list(_WORD_RE.finditer(head))
        if not words or not _descriptive(words[-1].group(), head):
            return []  # the word before the name describes no one: most names, and every name of a list
        best: list[Found] = []
        for k in range(len(words) - 1, max(-1, len(words) - 9), -1):
            begin = s_start + words[k].start()
            found = self.describe(begin, s_start + len(head.rstrip()), "descriptor", whole=False)
            if found:
                best = found  # the longest run of descriptive words that ends at the name
        return best

    def _apposed(self, start: int, end: int) -> bool:
        span = self.p.doc.char_span(start, end, alignment_mode="expand")
        return span is not None and span.root.dep_ == "appos"

    def after(self, end: int, s_end: int) -> list[Found]:
        """'Roxana, 17, Romanian, from Constanta,' and 'Tran (19)': comma or bracket chunks after the name."""
        opening = re.match(r"\s*[,(]\s*", self.text[end:s_end])
        if opening is None:
            return []
        out: list[Found] = []
        pos = end + opening.end()
        while pos < s_end:
            mark = _SEPARATOR_RE.search(self.text, pos, s_end)
            stop = mark.start() if mark else s_end
            cut = _CHUNK_END_RE.search(self.text, pos, stop)
            found = self.describe(pos, len(self.text[: cut.start() if cut else stop].rstrip()), "descriptor")
            if not found:
                break
            out += found
            if cut or mark is None or self.text[mark.start()] not in ",(":
                break
            pos = mark.end() + len(self.text[mark.end() : s_end]) - len(self.text[mark.end() : s_end].lstrip())
        return out

    def place_phrase(self, start: int, limit: int) -> tuple[str | None, int]:
        """The country of a place phrase starting at ``start`` ("Edo State", "a village near Iasi"), and its end."""
        cut = _PHRASE_END_RE.search(self.text, start, limit)
        end = len(self.text[: cut.start() if cut else limit].rstrip())
        if not _PLACE_TAIL_RE.fullmatch(self.text[start:end]):
            return None, end
        return self.place_country(start, end), end

    def predicate(self, token: Token, person: str) -> None:
        """'Ana was 17', 'I was the only woman', 'I come from Edo State', 'she was born in Iasi', 'I turned 16'."""
        subject, climbed = token, [token]
        while subject.dep_ in {"appos", "conj"} and subject.head.i != subject.i and len(climbed) < 4:
            subject = subject.head  # "The victim, Ana, is ...", "The suspects, Yusuf and Ibrahim, are ..."
            climbed.append(subject)
        verb = subject.head
        lemma = verb.lemma_.lower()
        if subject.dep_ not in {"nsubj", "nsubjpass"} or lemma not in _PREDICATE_LEMMAS or token.lower_ in {"we", "us"}:
            return
        plural = token.lower_ in {"they", "them"} or subject.tag_ in {"NNS", "NNPS"} or any(
            w.dep_ == "conj" or any(c.dep_ == "conj" for c in w.children) for w in climbed)
        limit = min(verb.sent.end_char, verb.idx + REACH)
        rest = self.text[verb.idx + len(verb.text) : limit]
        start = limit - len(rest.lstrip())
        rest = rest.lstrip()
        place = re.match(r"(?:in|at)\s+" if lemma == "bear" else r"(?:originally\s+)?from\s+", rest, re.I)
        if place is not None:
            country, end = self.place_phrase(start + place.end(), limit)
            if country:
                self.add(person, [Found("origin", country, start, end, "predicate")])
            return
        if lemma == "turn" and (found_age := re.match(rf"({_NUM})\b", rest, re.I)):
            self.add(person, [Found("age", number(found_age.group(1)) or 0, start, start + found_age.end(), "predicate")])
        if lemma != "be":
            return
        present = verb.lower_ in _PRESENT
        age = _PRED_AGE_RE.match(rest)
        if age is not None:  # "I was 18 a woman I knew ...": read before the parse, which misreads it
            if not plural:
                self.add(person, [Found("age", number(age.group(1)) or 0, start, start + age.end(), "predicate", present)])
            return
        cut = _CHUNK_END_RE.search(self.text, start, limit)
        stop = len(self.text[: cut.start() if cut else limit].rstrip())
        found = [f for f in self.describe(start, stop, "predicate") if not plural or f.attribute != "age"]
        for f in found:
            f.present = f.present or (f.attribute == "age" and present)
        self.add(person, found)

    def age_phrase(self, sentence_start: int, sentence_end: int) -> None:
        """'At the age of 15, I was sold' / 'Ana was recruited aged 16': the clause's subject is the person."""
        for match in _AGE_PHRASE_RE.finditer(self.text, sentence_start, sentence_end):
            span = self.p.doc.char_span(match.start(), match.end(), alignment_mode="expand")
            if span is None or self.in_descriptor[match.start()]:
                continue
            verb = span.root
            while verb.pos_ not in {"VERB", "AUX"} and verb.head.i != verb.i:
                verb = verb.head
            for child in verb.children:
                if child.dep_ in {"nsubj", "nsubjpass"}:
                    person = self.who(child)
                    if person is not None:
                        age = number(match.group(1) or match.group(2))
                        self.add(person, [Found("age", age or 0, match.start(), match.end(), "age_phrase")])

    def who(self, token: Token) -> str | None:
        """The person a subject token stands for: a mention, the narrator, or a strictly resolved pronoun."""
        ref = self.p.of(token)
        if ref is not None and ref.label == "PERSON" and ref.confidence == 1.0:
            return self.canonical.get(ref.id, ref.id if ref.id == NARRATOR else None)
        if token.lower_ in MALE | FEMALE:
            return self.pronoun(token)
        return None

    def pronoun(self, token: Token) -> str | None:
        """The one named person a he/she pronoun can stand for, or None: the name never decides."""
        own = max(0, bisect_right(self.starts, token.idx) - 1)
        earliest = self.starts[max(0, own - 2)]
        people = self.people[bisect_left(self.people_starts, earliest) : bisect_left(self.people_starts, token.idx)]
        if len({p for _, _, p in people}) != 1:
            return None
        last_end, person = max(people)[1], people[0][2]
        sex = "male" if token.lower_ in MALE else "female"
        first = self.sentence_of(last_end).start
        for other in self.p.tokens[first : token.i]:
            if last_end <= other.idx and not self.in_descriptor[other.idx]:
                lower = other.lower_
                if SEX_NOUNS.get(lower) == sex or lower in ROLE_WORDS or lower in {"someone", "somebody"}:
                    return None
        return person

    def sentence_of(self, char: int) -> Span:
        return self.p.sentences[max(0, bisect_right(self.starts, char) - 1)]

    def run(self) -> list[PersonProfile]:
        for entity_id in self.canonical:
            self.around_mention(entity_id)
        for token in self.p.tokens:
            person = self.who(token) if token.dep_ in {"nsubj", "nsubjpass", "appos", "conj"} else None
            if person is not None:
                self.predicate(token, person)
        for sentence in self.p.sentences:
            self.age_phrase(sentence.start_char, sentence.end_char)
        for token in self.p.tokens:
            if token.lower_ in MALE | FEMALE and token.pos_ == "PRON":
                person = self.pronoun(token)
                if person is not None:
                    sex = "male" if token.lower_ in MALE else "female"
                    self.add(person, [Found("sex", sex, token.idx, token.idx + len(token.text), "pronoun")])
        if self.p.narrator:
            self.narrator_extras()
        return [self.profile(person, found) for person, found in self.found.items()]

    def narrator_extras(self) -> None:
        for match in _NARRATOR_SEX_RE.finditer(self.text):
            word = next(g for g in match.groups() if g).lower()
            self.add(NARRATOR, [Found("sex", SEX_NOUNS[word], match.start(), match.end(), "narrator")])
        for token in self.p.tokens:
            if token.lemma_.lower() == "leave" and any(getattr(self.p.of(c), "id", None) == NARRATOR
                                                       for c in token.children if c.dep_ == "nsubj"):
                for child in token.children:
                    if child.dep_ == "dobj":
                        sub = list(child.subtree)
                        country = self.place_country(sub[0].idx, sub[-1].idx + len(sub[-1].text))
                        if country and (child.ent_type_ or child.pos_ == "PROPN"):
                            self.add(NARRATOR, [Found("origin", country, token.idx, sub[-1].idx + len(sub[-1].text), "left")])
                            return

    def profile(self, person: str, found: list[Found]) -> PersonProfile:
        chosen: dict[str, list[Found]] = {}
        for attribute in ("sex", "age", "origin"):
            facts = [f for f in found if f.attribute == attribute]
            if not facts:
                continue
            score: dict[str | int, float] = {}
            for f in facts:
                weight = WEIGHT[f.kind] - (0.2 if f.present else 0.0)
                score[f.value] = max(score.get(f.value, 0.0), weight)
            ranked = sorted(score.items(), key=lambda kv: -kv[1])
            if attribute == "sex" and len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
                continue  # stated both ways as strongly: not stated
            best = ranked[0][0] if attribute != "age" or len(ranked) == 1 or ranked[0][1] > ranked[1][1] else \
                min(facts, key=lambda f: (-(WEIGHT[f.kind] - (0.2 if f.present else 0)), f.start)).value
            chosen[attribute] = [f for f in facts if f.value == best]
        citizenship = [f for f in found if f.attribute == "citizenship"]
        if citizenship:
            chosen["citizenship"] = citizenship
        kept = sorted((f for facts in chosen.values() for f in facts), key=lambda f: (f.start, f.attribute))
        stated = [self.fact(f) for f in kept]
        return PersonProfile(
            person,
            sex=str(chosen["sex"][0].value) if "sex" in chosen else None,
            age=int(chosen["age"][0].value) if "age" in chosen else None,
            citizenship=list(dict.fromkeys(str(f.value) for f in citizenship)),
            origin=str(chosen["origin"][0].value) if "origin" in chosen else None,
            facts=list({(f.attribute, f.value, f.cue_start): f for f in stated}.values()))

    def fact(self, f: Found) -> ProfileFact:
        sentence = self.sentence_of(f.start)
        evidence = Evidence(self.p.sentence_text(sentence), sentence.start_char, sentence.end_char, WEIGHT[f.kind])
        return ProfileFact(f.attribute, f.value, self.text[f.start : f.end], f.start, f.end, evidence)


def find_profiles(participants: Participants) -> list[PersonProfile]:
    """One profile per person (first mention's id, or NARRATOR) the text states anything about."""
    return ProfileFinder(participants).run()
