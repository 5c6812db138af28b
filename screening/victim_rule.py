"""The victim rule's one exception: an analyst's decision that an identifier a victim uses is the exploiters'.

The rule (``screening.flagged``) withholds from screening every phone, email, account and wallet the graph
ties to a victim. It errs on the victim's side on purpose, and so it also withholds numbers that belong to
the exploiting side: extraction ties a victim to the number her recruiter called her from, and a
controller often hands his victims a phone he keeps paying for. Only an analyst can tell these apart, so
the exception is a recorded decision, never a heuristic:

- **one identifier at a time**, by its matching key (``screening.keys.identifier_key``), so the decision
  covers every written form of it and every source that flags it (watchlist, analysis marks, imports);
- **with a reason and an author**, in ``api.sqlite`` (table ``victim_rule_decisions``), audited by the
  route that makes it;
- **withdrawable**: withdrawing keeps the row with who withdrew it and when, and the rule withholds the
  identifier again from the next screening request on (the table's triggers bump the screening version,
  so every server process catches up);
- **never about people**: a person recorded as a victim is not screened whatever anyone decides.

The warnings here tell whoever flags or imports an identifier that the rule withholds it, naming the rule
and the identifier they gave, never the victim: a warning says that *a* person recorded as a victim uses
it, not who. Partners are told nothing of this: their answers come from the index, which holds either the
identifier (screened) or nothing (withheld), and a match reads the same whichever way it got there.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from screening.keys import identifier_key
from screening.models import FlaggedEntity
from state.db import ApiDatabase, IntegrityError, Row, now

WarningCode = Literal["victim_identifier_withheld", "victim_person_not_screened"]
DECISION_ROUTE = "POST /v1/victim-rule/decisions"


@dataclass(frozen=True, slots=True)
class RuleWarning:
    """Why something flagged will not be screened: the rule, and the identifier concerned (never the victim)."""

    code: WarningCode
    message: str
    kind: str | None = None
    value: str | None = None


@dataclass(frozen=True, slots=True)
class ControlDecision:
    """An analyst's decision that the identifier ``kind``/``value`` (its matching key) is controlled by the
    exploiting side although a victim uses it; active until ``withdrawn_at``."""

    id: str
    kind: str
    value: str
    reason: str
    by: str
    created_at: str
    withdrawn_at: str | None
    withdrawn_by: str | None


class AlreadyDecided(ValueError):
    """An active decision already covers this identifier; withdraw it first to record another."""


class NotWithheld(ValueError):
    """The rule does not withhold this identifier (no victim uses it), so there is nothing to decide."""


class NotAnIdentifier(ValueError):
    """The value is not a valid identifier of its kind (a national phone number without a region, ...)."""


def _decision(row: Row) -> ControlDecision:
    return ControlDecision(row["id"], row["kind"], row["key"], row["reason"],
                           f"{row['organisation']} ({row['key_id']})", row["created_at"], row["withdrawn_at"],
                           row["withdrawn_by"])


class ControlDecisions:
    """The decisions in ``api.sqlite``; every process reads them from there (nothing is cached here)."""

    def __init__(self, db: ApiDatabase) -> None:
        self.db = db

    def add(self, kind: str, key: str, reason: str, key_id: str, organisation: str) -> ControlDecision:
        """Record a decision on an identifier's matching key; ``AlreadyDecided`` if one is active."""
        decision_id = "vrd_" + secrets.token_hex(6)
        try:
            with self.db.transaction() as db:
                db.execute("INSERT INTO victim_rule_decisions VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL)",
                           (decision_id, kind, key, reason, key_id, organisation, now()))
        except IntegrityError:  # the partial unique index: one active decision per identifier
            raise AlreadyDecided(kind) from None
        found = self.get(decision_id)
        assert found is not None
        return found

    def get(self, decision_id: str) -> ControlDecision | None:
        rows = self.db.query("SELECT * FROM victim_rule_decisions WHERE id = ?", (decision_id,))
        return _decision(rows[0]) if rows else None

    def active(self, kind: str, key: str) -> ControlDecision | None:
        rows = self.db.query("SELECT * FROM victim_rule_decisions WHERE kind = ? AND key = ? AND withdrawn_at IS NULL",
                             (kind, key))
        return _decision(rows[0]) if rows else None

    def entries(self, *, include_withdrawn: bool = False, limit: int = 100, offset: int = 0) -> list[ControlDecision]:
        clause = "" if include_withdrawn else " WHERE withdrawn_at IS NULL"
        return [_decision(r) for r in self.db.query("SELECT * FROM victim_rule_decisions" + clause
                                                    + " ORDER BY created_at DESC, id LIMIT ? OFFSET ?", (limit, offset))]

    def keys(self) -> set[tuple[str, str]]:
        """(kind, key) of every identifier an active decision lets through the rule."""
        return {(r["kind"], r["key"]) for r in
                self.db.query("SELECT kind, key FROM victim_rule_decisions WHERE withdrawn_at IS NULL")}

    def withdraw(self, decision_id: str, by: str) -> ControlDecision | None:
        """Withdraw (kept, with who and when); withdrawing twice changes nothing. None if there is no such id."""
        with self.db.transaction() as db:
            db.execute("UPDATE victim_rule_decisions SET withdrawn_at = ?, withdrawn_by = ? "
                       "WHERE id = ? AND withdrawn_at IS NULL", (now(), by, decision_id))
        return self.get(decision_id)


def withheld_keys(victim_keys: set[tuple[str, str]], decided: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """The identifier keys the rule withholds: every victim's, less those an analyst decided are the exploiters'."""
    return victim_keys - decided if decided else victim_keys


def rule_key(kind: str, value: str, country: str | None) -> tuple[str, str] | None:
    """The (kind, key) the rule compares, read exactly as the index reads the flagged value (with the entity's
    country for a national phone number), so nothing the index can match slips past the rule."""
    key = identifier_key(kind, value, country)
    return (kind, key) if key is not None else None


def withheld_from(identifiers: Iterable[tuple[str, str]], country: str | None,
                  withheld: set[tuple[str, str]]) -> list[tuple[str, str]]:
    """The (kind, value) pairs among ``identifiers`` that the rule withholds."""
    return [(kind, value) for kind, value in identifiers if rule_key(kind, value, country) in withheld]


def identifier_warning(kind: str, value: str) -> RuleWarning:
    return RuleWarning("victim_identifier_withheld",
                       f"the {kind} {value} will not be screened: the graph ties it to a person recorded as a victim, "
                       "and the victim rule withholds every identifier a victim uses. If it is controlled by the "
                       f"exploiting side, an analyst can decide so ({DECISION_ROUTE}), after which it is screened.",
                       kind, value)


def person_warning() -> RuleWarning:
    return RuleWarning("victim_person_not_screened",
                       "this person will not be screened at all: they are also recorded as a victim, and the victim "
                       "rule never screens a victim or their name. No decision can change that; flag the identifiers "
                       "the exploiting side controls instead.")


def entity_warnings(entity: FlaggedEntity, withheld: set[tuple[str, str]]) -> list[RuleWarning]:
    """One warning per identifier of ``entity`` the rule withholds (empty when everything is screened)."""
    pairs = [(kind, value) for kind, values in entity.identifiers.items() for value in values]
    return [identifier_warning(kind, value) for kind, value in withheld_from(pairs, entity.country, withheld)]


def list_warnings(entities: Iterable[FlaggedEntity], withheld: set[tuple[str, str]]) -> dict[str, list[RuleWarning]]:
    """Per entity id (``import:<list>:<reference>``), what the rule withholds from it; entities left out
    when nothing is withheld."""
    return {e.id: found for e in entities if (found := entity_warnings(e, withheld))}


def record_decision(decisions: ControlDecisions, withheld: set[tuple[str, str]], kind: str, value: str, region: str | None,
           reason: str, key_id: str, organisation: str) -> ControlDecision:
    """Record that the exploiting side controls ``value`` although a victim uses it. Refused (typed errors, none
    quoting the value) when it is not an identifier, when the rule does not withhold it (``withheld``, read
    just before), or when an active decision already covers it."""
    key = identifier_key(kind, value, region)
    if key is None:
        raise NotAnIdentifier(kind)
    if decisions.active(kind, key) is not None:
        raise AlreadyDecided(kind)
    if (kind, key) not in withheld:
        raise NotWithheld(kind)
    return decisions.add(kind, key, reason, key_id, organisation)
