"""The screening name score: how alike a partner's name is to a flagged one, in [0, 1], and why.

It builds on ``graph.name_similarity`` (greedy token alignment, the nickname list) and is tuned for a
partner's query, where a missed match costs more than in entity resolution:

1. **Tokens.** Greek digraphs are romanised as registers do ("ου" -> "ou", "γγ" -> "ng"), then every
   script goes to ASCII (``anyascii``: Cyrillic, Greek, ...); case and accents are folded, apostrophes
   inside a word dropped ("Koval'chuk"), titles removed. Each token is then put in a **canonical
   spelling** that absorbs the usual romanisation choices: "ks" -> "x", "kh" -> "h" (Khristo/Hristo),
   "y" -> "i" ("Aleksey" and "Alexei" both read "alexei", "Yuliya" and "Yulia" "iuliia"/"iulia"). For companies, legal forms at either end ("Ltd", "S.R.L.", "Sp. z o.o.", "GmbH", "OOO", ...)
   are set aside: they say how a company is registered, not which one it is.
2. **Token pairs** (``token_pair``): 1.0 equal; 0.9 nickname ("Andi"/"Andrei", ``graph/data/
   nicknames.json``) or initial ("A."/"Andrei"); ``GENDER_FORM_SCORE`` for the other gender's form of a
   name ("Ivan"/"Ivana", "Petrov"/"Petrova", "Paolo"/"Paola", "Nagy"/"Nagyová"), which usually means a
   relative, not a typo; a **spelling variant** one edit away (a letter changed, added, dropped or two
   neighbours swapped) scores 1 - 0.8 / letters of the longer token, when the longer token has four letters
   or more, and not in the first letter of a token shorter than six ("Dung"/"Hung" are two names) unless
   the first two letters are swapped; else 0.
   Tokens are aligned greedily, best pair first, each used once, so word order never matters.
3. **Score** = sum of aligned pair scores / (tokens of the shorter name + ``EXTRA_TOKEN_COST`` x each
   extra token of the longer name), when the shorter name is fully aligned and has two tokens or more (a
   missing middle name or second surname costs a little); otherwise the Dice coefficient
   2 x sum / (tokens a + tokens b), so a lone given name against a full name stays low and every
   unmatched or wrong token costs as much as a missing one. At least one aligned pair must be a full
   token (two letters or more): initials alone never match.
4. **Evidence** (added or subtracted, result kept in [0, 1]), only when both sides state the fact, and a
   date compared only on the parts both state (``screening.dates.compare``: "1980" agrees with
   "1980-03-12"): a birth date that agrees raises the score (``DOB_BONUS``: more for a full date than for a
   year), one that conflicts lowers it (``DOB_PENALTY``: more for years apart than for another day in the
   same year, least for day and month swapped); a country that agrees adds ``COUNTRY_BONUS``, one that
   differs takes ``COUNTRY_PENALTY``. A conflict never vetoes a match on its own: a bank's date of birth is
   wrong often enough that a perfect name with another birth year must still be reported. Only
   ``require_dob_match`` (``sightline screen --require-dob-match``, the API's ``require_dob_match``) turns
   a conflicting date into a veto.

Every score comes with its reasons ("word order", "initial a=andrei", "1 edit munteanu~muntaenu", "birth
year differs by 3"), for analysts, and with an ``explanation`` a partner may read: the features that
matched and each bonus and penalty with its amount ("name: fuzzy 0.95 (spelling variant)", "birth date:
conflicts (-0.06)"), never a token of the flagged name or the flagged person's date. Each pair rule has a blocking key in ``screening.blocking`` that finds it without a scan.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii
from rapidfuzz.distance import OSA

from graph.name_similarity import INITIAL_SCORE, NICKNAME_SCORE, align, nickname_groups
from nlp.identifiers import name_tokens
from screening.dates import PartialDate, compare, parse_iso
from screening.models import Method
from screening.text import repair

EXTRA_TOKEN_COST = 0.25
GENDER_FORM_SCORE = 0.6
FIRST_LETTER_MIN_LENGTH = 6
LONGEST_FUZZY_TOKEN = 40
#: What a date of birth stated on both sides adds (by the precision both agree on) or takes off.
DOB_BONUS = {"day": 0.05, "month": 0.03, "year": 0.02}
#: The penalties are small on purpose: a conflict must lower a match, never hide it. With 0.06 for years
#: apart a name with a missing middle name (0.89) and a wrong year fell under the threshold, and recall on
#: the conflicting-date set (evaluation/screening_conflicts.py, docs/screening.md) was 0.911; with these it
#: is 0.980 at the same false-positive rate (0.2%).
DOB_PENALTY = {"swapped": 0.01, "same_year": 0.02, "one_year": 0.02, "years_apart": 0.03}
COUNTRY_BONUS = 0.02
COUNTRY_PENALTY = 0.02
#: The most the evidence can add: blocking looks for names that reach the threshold minus this.
MAX_BONUS = max(DOB_BONUS.values()) + COUNTRY_BONUS

# Legal forms, written as their folded tokens run together ("S.R.L." -> "srl", "Sp. z o.o." -> "spzoo").
_LEGAL_FORMS = frozenset("""
    ltd limited llc llp lp plc inc incorporated corp corporation co coltd company cic
    gmbh ug ag kg ohg ev gbr mbh gmbhcokg
    srl srls sa spa sapa sas sarl snc sc sl slu sll
    bv nv vof cv
    spzoo sa spj spk sro as akc
    eood ood ead ad et
    ooo oao zao pao ao tov pp
    shpk shpkk
    doo dd kft zrt nyrt bt
    oy oyj ab aps
    pte sdn bhd pvt pty
    ltda eirl
""".split())
# Leading legal forms seen in Romanian ("S.C. ... S.R.L."), Russian/Ukrainian ("OOO ...", "TOV ...") names.
_LEADING_FORMS = frozenset({"sc", "ooo", "oao", "zao", "pao", "ao", "tov", "pp", "ip", "pt"})
_MAX_FORM_TOKENS = 4  # "sp z o o"


@dataclass(frozen=True, slots=True)
class PreparedName:
    """A name reduced once to what scoring and blocking read."""

    text: str
    tokens: tuple[str, ...]
    legal_form: str = ""  # folded legal form set aside, companies only

    @property
    def full_tokens(self) -> tuple[str, ...]:
        return tuple(t for t in self.tokens if len(t) > 1)


@dataclass(frozen=True, slots=True)
class NameScore:
    score: float  # after the evidence beside the name
    name_score: float  # the names alone
    method: Method
    reasons: tuple[str, ...]  # for analysts
    explanation: tuple[str, ...] = ()  # for partners: features, bonuses and penalties, no flagged values


_GREEK_DIGRAPHS = (("ου", "ou"), ("αυ", "av"), ("ευ", "ev"), ("γγ", "ng"), ("γξ", "nx"), ("γχ", "nch"))
_CANONICAL = ((re.compile(r"ks"), "x"), (re.compile(r"kh"), "h"), (re.compile(r"y"), "i"))
#: (masculine ending, feminine ending) on canonical tokens: Ivan/Ivana, Petrov/Petrova; Kowalski/Kowalska,
#: Novotny/Novotna, Dimitri/Dimitra; Paolo/Paola; Simone/Simona; Nagy/Nagyova; Sykora/Sykorova;
#: Papadakis/Papadaki; Papadopoulos/Papadopoulou.
_GENDER_RULES = (("", "a"), ("i", "a"), ("o", "a"), ("e", "a"), ("", "ova"), ("a", "ova"), ("s", ""), ("os", "ou"))


def _romanise(name: str) -> str:
    name = repair(name)  # "MÃ¼ller" is "Müller" before it is folded
    if any("\u0370" <= c <= "\u03ff" or "\u1f00" <= c <= "\u1fff" for c in name):
        name = "".join(c for c in unicodedata.normalize("NFD", name.lower()) if not unicodedata.combining(c))
        for greek, latin in _GREEK_DIGRAPHS:
            name = name.replace(greek, latin)
    return anyascii(name)


@lru_cache(maxsize=131_072)
def canonical(token: str) -> str:
    """The spelling a folded ASCII token is compared in (see the module docstring, step 1)."""
    for pattern, replacement in _CANONICAL:
        token = pattern.sub(replacement, token)
    return token


@lru_cache(maxsize=131_072)
def folded_tokens(name: str) -> tuple[str, ...]:
    """ASCII, folded tokens without titles; apostrophes inside a word do not split it."""
    return tuple(name_tokens(re.sub(r"(?<=\w)['’`](?=\w)", "", _romanise(name))))


def screening_tokens(name: str) -> tuple[str, ...]:
    """The canonical tokens a person's name is scored and blocked on."""
    return tuple(canonical(t) for t in folded_tokens(name))


@lru_cache(maxsize=1)
def _canonical_nicknames() -> dict[str, frozenset[str]]:
    """Resolution's nickname groups in canonical spelling ("yekaterina" -> "iekaterina")."""
    groups: dict[str, set[str]] = {}
    for name, others in nickname_groups().items():
        groups.setdefault(canonical(name), set()).update(canonical(other) for other in others)
    return {k: frozenset(v) for k, v in groups.items()}


def nicknames(token: str) -> frozenset[str]:
    """Canonical given names ``token`` may be a short form of, or short forms it may stand for."""
    return _canonical_nicknames().get(token, frozenset())


def _gender_splits(token: str) -> Iterator[tuple[str, int, bool]]:
    """``(stem, rule, feminine)`` for every gender rule whose ending ``token`` has."""
    for rule, (masculine, feminine) in enumerate(_GENDER_RULES):
        for ending, is_feminine in ((masculine, False), (feminine, True)):
            if token.endswith(ending) and len(token) - len(ending) >= 2:
                yield token[: len(token) - len(ending)], rule, is_feminine


@lru_cache(maxsize=65_536)
def gender_keys(token: str) -> frozenset[str]:
    """Stems a token shares with its other-gender form: the blocking keys of ``is_gender_form``."""
    return frozenset(stem for stem, *_ in _gender_splits(token)) if len(token) >= 3 else frozenset()


def is_gender_form(a: str, b: str) -> bool:
    """Whether one token is the other's masculine or feminine form (``_GENDER_RULES``)."""
    if a == b or min(len(a), len(b)) < 3:
        return False
    splits_b = set(_gender_splits(b))
    return any((stem, rule, not feminine) in splits_b for stem, rule, feminine in _gender_splits(a))


def allowed_edits(a: str, b: str) -> int:
    """Edits a spelling variant may have: one, when the longer token has four letters or more; none when
    short tokens differ in their first letter ("Dung"/"Hung", "Linh"/"Hinh" are different names; slips
    are rarer there than elsewhere in a word) unless the first two are swapped. Two edits in one token were
    tried: on a 100,000-name list they raised the share of unrelated people with a match from 18% to 31%,
    for 0.15% more recall on the evaluation set."""
    if a[0] != b[0] and min(len(a), len(b)) < FIRST_LETTER_MIN_LENGTH and a[:2] != b[1::-1]:
        return 0
    if max(len(a), len(b)) > LONGEST_FUZZY_TOKEN:  # no name has such a word; not worth a key per letter
        return 0
    return 1 if max(len(a), len(b)) >= 4 and min(len(a), len(b)) >= 3 else 0


@lru_cache(maxsize=262_144)
def token_pair(a: str, b: str) -> tuple[float, str]:
    """Score two canonical tokens as one name part, with the variation forgiven."""
    if a == b:
        return 1.0, ""
    if b in nicknames(a):
        return NICKNAME_SCORE, f"nickname {a}={b}"
    if (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b)):
        return INITIAL_SCORE, f"initial {a}={b}"
    if len(a) == 1 or len(b) == 1:
        return 0.0, ""
    if is_gender_form(a, b):
        return GENDER_FORM_SCORE, f"gender form {a}/{b}"
    limit = allowed_edits(a, b)
    if limit:
        edits = OSA.distance(a, b, score_cutoff=limit)
        if edits <= limit:
            return round(1 - 0.8 * edits / max(len(a), len(b)), 4), f"{edits} edit {a}~{b}"
    return 0.0, ""


def _strip_legal_forms(tokens: tuple[str, ...]) -> tuple[tuple[str, ...], str]:
    """Remove legal forms at the end (and a few known at the start); keep at least one token."""
    forms: list[str] = []
    changed = True
    while changed and len(tokens) > 1:
        changed = False
        for size in range(min(_MAX_FORM_TOKENS, len(tokens) - 1), 0, -1):
            joined = "".join(tokens[-size:])
            if joined in _LEGAL_FORMS:
                forms.insert(0, joined)
                tokens = tokens[:-size]
                changed = True
                break
    for size in range(min(3, len(tokens) - 1), 0, -1):  # "S.C." is two tokens, "OOO" one
        joined = "".join(tokens[:size])
        if joined in _LEADING_FORMS:
            forms.insert(0, joined)
            tokens = tokens[size:]
            break
    return tokens, " ".join(forms)


def prepare(name: str, kind: str = "person") -> PreparedName:
    """A name as scoring and blocking read it; a company's legal form is set aside before spelling is
    made canonical (which would turn "EOOD" into "eod")."""
    tokens = folded_tokens(name)
    form = ""
    if kind == "company":
        tokens, form = _strip_legal_forms(tokens)
    return PreparedName(name, tuple(canonical(t) for t in tokens), form)


def denominator(n_a: int, n_b: int, matched: int) -> float:
    """The divisor of the aligned total: see the module docstring (step 3)."""
    short, long_ = min(n_a, n_b), max(n_a, n_b)
    if matched == short and short >= 2:
        return short + EXTRA_TOKEN_COST * (long_ - short)
    return (n_a + n_b) / 2


def min_denominator(n_a: int, n_b: int) -> float:
    """The smallest divisor any alignment of these lengths can have: the basis of the index's bounds."""
    return min(denominator(n_a, n_b, min(n_a, n_b)), (n_a + n_b) / 2)


def name_score(query: PreparedName, flagged: PreparedName) -> tuple[float, Method, list[str]]:
    """Score two prepared names (no penalties); the method says how the names relate."""
    qa, fb = query.tokens, flagged.tokens
    if not qa or not fb:
        return 0.0, "fuzzy", ["no name tokens"]
    if query.text.strip() == flagged.text.strip():
        return 1.0, "exact", ["same name"]
    if sorted(qa) == sorted(fb):
        return 1.0, "normalised", ["same name" if qa == fb else "word order"]
    alignment = align(qa, fb, token_pair)
    if not any(len(qa[i]) > 1 and len(fb[j]) > 1 for i, j, *_ in alignment.pairs):
        return 0.0, "fuzzy", ["no full name token in common"]
    reasons = [reason for *_, reason in alignment.pairs if reason]
    matched = len(alignment.pairs)
    extra = len(qa) + len(fb) - 2 * matched
    if extra:
        reasons.append(f"{extra} unmatched token(s)")
    score = alignment.total / denominator(len(qa), len(fb), matched)
    return round(min(score, 1.0), 4), "fuzzy", reasons


def parse_birth_date(value: str | None) -> PartialDate | None:
    """``(year, month, day)`` of a stored or written date of birth; ``None`` if absent or unreadable."""
    return parse_iso(value)


@dataclass(frozen=True, slots=True)
class Evidence:
    """What the facts beside the name (date of birth, country) do to the score, and why."""

    adjustment: float = 0.0
    reasons: tuple[str, ...] = ()  # for analysts: may state the gap in years
    explanation: tuple[str, ...] = ()  # for partners: the feature, agrees or conflicts, and the amount
    dob_conflict: bool = False  # both state a date of birth and they disagree (a swap aside)


def _signed(amount: float) -> str:
    return f"{amount:+.2f}"


def evidence(query_birth: str | None, flagged_birth: str | None,
             query_country: str | None, flagged_country: str | None) -> Evidence:
    """The bonus or penalty of each fact both sides state (module docstring, step 4)."""
    total = 0.0
    reasons: list[str] = []
    told: list[str] = []
    conflict = False
    qd, fd = parse_iso(query_birth), parse_iso(flagged_birth)
    if qd and fd:
        found = compare(qd, fd)
        if found.relation == "agrees":
            amount = DOB_BONUS[found.precision]
            what = {"day": "birth date agrees", "month": "birth month agrees", "year": "birth year agrees"}[found.precision]
            reasons.append(what)
            precision = {"day": "", "month": " to the month", "year": " to the year"}[found.precision]
            told.append(f"date of birth: agrees{precision} ({_signed(amount)})")
        else:
            key = found.relation if found.years != 1 else "one_year"
            amount = -DOB_PENALTY[key]
            conflict = found.relation != "swapped"
            reasons.append({"swapped": "birth day and month swapped", "same_year": "birth date differs in the same year",
                            "one_year": "birth year differs by 1",
                            "years_apart": f"birth year differs by {found.years}"}[key])
            told.append("date of birth: day and month swapped" + f" ({_signed(amount)})" if key == "swapped"
                        else f"date of birth: conflicts ({_signed(amount)})")
        total += amount
    if query_country and flagged_country:
        if query_country.strip().upper() == flagged_country.strip().upper():
            total += COUNTRY_BONUS
            reasons.append("country agrees")
            told.append(f"country: agrees ({_signed(COUNTRY_BONUS)})")
        else:
            total -= COUNTRY_PENALTY
            reasons.append("country differs")
            told.append(f"country: differs ({_signed(-COUNTRY_PENALTY)})")
    return Evidence(round(total, 4), tuple(reasons), tuple(told), conflict)


_NAME_FEATURES = (("word order", "word order"), ("nickname", "nickname"), ("initial", "initial"),
                  ("gender form", "other gender's form"), ("edit", "spelling variant"),
                  ("unmatched token", "extra or missing word"), ("legal form", "legal form ignored"))


def name_explanation(base: float, method: Method, reasons: list[str]) -> str:
    """The name part of a partner's explanation: method, score and the kinds of variation, no tokens."""
    kinds = [told for key, told in _NAME_FEATURES if any(key in reason for reason in reasons)]
    return f"name: {method} {base:.2f}" + (f" ({', '.join(kinds)})" if kinds else "")


def score(query: PreparedName, flagged: PreparedName, *, query_birth: str | None = None,
          flagged_birth: str | None = None, query_country: str | None = None,
          flagged_country: str | None = None, require_dob_match: bool = False) -> NameScore:
    """The screening score of a query name against one flagged name, with the evidence beside it.

    With ``require_dob_match`` a date of birth that both state and that conflicts makes the score 0."""
    base, method, reasons = name_score(query, flagged)
    if base <= 0:
        return NameScore(0.0, 0.0, "fuzzy", tuple(reasons))
    if query.legal_form or flagged.legal_form:
        reasons.append("legal form ignored")
    facts = evidence(query_birth, flagged_birth, query_country, flagged_country)
    told = (name_explanation(base, method, reasons), *facts.explanation)
    if require_dob_match and facts.dob_conflict:
        return NameScore(0.0, base, method, tuple(reasons) + facts.reasons + ("date of birth required: vetoed",),
                         told + ("date of birth: required to match, vetoed",))
    final = round(min(1.0, max(0.0, base + facts.adjustment)), 4)
    return NameScore(final, base, method, tuple(reasons) + facts.reasons, told)
