"""Caseworkers' corrections of extracted entities, and the extraction they turn into.

A correction (this mention is not an entity; this mention is an organisation, not a person) is a human
judgement about one narrative, like an analyst's resolution decision (``graph.decisions``), so it must
outlive the graph it was made on: re-ingesting the narrative, rebuilding the store or moving to Neo4j must
apply it again. It is therefore keyed by what survives a rebuild, the narrative's content hash and the
mention's span and extracted label (not the extraction's entity ids, which only number the mentions), kept
in an append-only log in ``SIGHTLINE_HOME`` (the last correction of a mention wins, ``restore`` undoes), and
applied by ``apply_corrections`` to the extraction before it becomes a graph fragment, both when a narrative
is first written and when a correction rewrites it (``graph.pipeline.removal.rewrite_narrative``).

A relabel carries the mention's value under its new label (a phone number in E.164, a cleaned name),
worked out once by ``relabelled_value`` when the correction is made, so that applying it later needs
nothing but the extraction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from graph.atomic_file import atomic_open
from graph.decisions import RecordLog
from nlp.extraction import Entity, Evidence, Extraction, Leg, RoleAssignment, Route
from nlp.identifiers import (
    clean_display_name, name_key, normalise_email, normalise_handle, normalise_iban, normalise_phone, normalise_url,
    normalise_wallet,
)

CORRECTIONS_FILE = "corrections.jsonl"
ACTIONS = ("reject", "relabel", "restore")


class CorrectionError(ValueError):
    """A correction that cannot apply (e.g. relabelling text that is no phone number as PHONE)."""


@dataclass(frozen=True, slots=True)
class Correction:
    content_hash: str  # the narrative's
    start: int  # the mention's span and its label as extracted: what identifies it across extractions
    end: int
    label: str
    action: str  # reject, relabel or restore
    by: str
    at: str
    new_label: str | None = None  # relabel: the new label and the mention's value under it
    value: str | None = None
    country: str | None = None
    detail: str | None = None

    def key(self) -> tuple[str, int, int, str]:
        return (self.content_hash, self.start, self.end, self.label)


def make_correction(content_hash: str, entity: Entity, action: str, by: str, new_label: str | None = None,
                    regions: Sequence[str | None] = ()) -> Correction:
    """A correction of ``entity`` as extracted; ``CorrectionError`` if it cannot apply."""
    if action not in ACTIONS:
        raise CorrectionError(f"action must be one of {', '.join(ACTIONS)}")
    at = datetime.now(UTC).isoformat(timespec="microseconds")
    if action != "relabel":
        return Correction(content_hash, entity.start, entity.end, entity.label, action, by, at)
    if new_label is None:
        raise CorrectionError("relabel needs a label")
    value, country, detail = relabelled_value(entity, new_label, regions)
    return Correction(content_hash, entity.start, entity.end, entity.label, action, by, at, new_label, value, country,
                      detail)


def relabelled_value(entity: Entity, label: str, regions: Sequence[str | None] = ()) -> tuple[str, str | None, str | None]:
    """The mention's (value, country, detail) under ``label``, normalised as extraction would have done."""
    text = entity.text
    if label == "PHONE":
        phone = normalise_phone(text, [*regions, entity.country])
        if phone is None:
            raise CorrectionError("the text is not a valid phone number (a national number needs the narrative's "
                                  "region)")
        return phone[0], phone[1], None
    if label == "EMAIL":
        return _required(normalise_email(text), text, "an email address"), None, None
    if label == "IBAN":
        return _required(normalise_iban(text), text, "a valid IBAN"), None, None
    if label == "CRYPTO_WALLET":
        wallet = normalise_wallet(text)
        if wallet is None:
            raise CorrectionError("the text is not a valid crypto wallet address")
        return wallet.value, None, wallet.chain
    if label == "URL":
        handle = normalise_handle(text)
        if handle is not None:
            return handle, None, "handle"
        return _required(normalise_url(text), text, "a URL or social-media handle"), None, None
    if label in ("MONEY", "DATE"):
        return text, None, None
    value = clean_display_name(entity.value if entity.label in ("PERSON", "LOCATION", "ORGANIZATION") else text)
    if label == "PERSON" and not name_key(value):
        raise CorrectionError("the text has no name in it")
    if not value:
        raise CorrectionError("the text is empty once cleaned")
    return value, None, None


def _required(value: str | None, text: str, what: str) -> str:
    if value is None:
        raise CorrectionError(f"the text is not {what}")
    return value


def in_force(corrections: Iterable[Correction]) -> dict[tuple[str, int, int, str], Correction]:
    """The last correction of each mention, in the order given; ``restore`` leaves the mention as extracted."""
    last: dict[tuple[str, int, int, str], Correction] = {}
    for correction in corrections:
        last[correction.key()] = correction
    return {key: c for key, c in last.items() if c.action != "restore"}


def apply_corrections(extraction: Extraction, corrections: Iterable[Correction]) -> Extraction:
    """The extraction as its caseworkers corrected it: rejected mentions and every fact resting on them
    removed, relabelled mentions with their new label and value. The input is not changed."""
    by_span = {(c.start, c.end, c.label): c for c in in_force(corrections).values()}
    if not by_span:
        return extraction
    entities: list[Entity] = []
    rejected: set[str] = set()
    relabelled: dict[str, tuple[str, str]] = {}  # entity id -> (old label, new label)
    for entity in extraction.entities:
        correction = by_span.get((entity.start, entity.end, entity.label))
        if correction is None:
            entities.append(entity)
        elif correction.action == "reject":
            rejected.add(entity.id)
        else:
            assert correction.new_label is not None and correction.value is not None
            relabelled[entity.id] = (entity.label, correction.new_label)
            entities.append(replace(entity, label=correction.new_label, value=correction.value,
                                    country=correction.country, detail=correction.detail))
    no_longer_places = rejected | {i for i, (old, new) in relabelled.items() if old == "LOCATION" and new != "LOCATION"}
    no_longer_people = rejected | {i for i, (old, new) in relabelled.items() if old == "PERSON" and new != "PERSON"}
    roles = [r for r in extraction.roles if r.person not in no_longer_people]
    for entity in entities:  # a mention made a person takes no role from the text: "unknown", as extraction does
        if relabelled.get(entity.id, ("PERSON", ""))[0] != "PERSON" and entity.label == "PERSON":
            roles.append(RoleAssignment(entity.id, "unknown", Evidence(entity.text, entity.start, entity.end, 1.0)))
    return replace(
        extraction, entities=entities,
        relations=[r for r in extraction.relations if r.head not in rejected and r.tail not in rejected],
        routes=[_route(route, rejected, no_longer_places) for route in extraction.routes],
        roles=roles, profiles=[p for p in extraction.profiles if p.person not in no_longer_people])


def _route(route: Route, rejected: set[str], not_places: set[str]) -> Route:
    legs = [Leg(None if leg.origin in not_places else leg.origin, leg.destination,
                [v for v in leg.via if v not in not_places], leg.mode, None if leg.date in rejected else leg.date,
                leg.evidence)
            for leg in route.legs if leg.destination not in not_places]
    return Route(route.id, None if route.traveller in rejected else route.traveller, legs)


class CorrectionLog(RecordLog):
    """``SIGHTLINE_HOME/corrections.jsonl``: every correction in the order made (the record of who did what)."""

    record = Correction
    what = "correction"

    def __init__(self, home: Path) -> None:
        super().__init__(home, CORRECTIONS_FILE)

    def forget(self, content_hash: str) -> None:
        """Drop every correction of a deleted narrative (the log is rewritten atomically)."""
        held = self.load()
        kept = [c for c in held if c.content_hash != content_hash]
        if len(kept) == len(held):
            return
        with atomic_open(self.path) as handle:
            for correction in kept:
                handle.write(json.dumps(asdict(correction), ensure_ascii=False) + "\n")
