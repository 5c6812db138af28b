"""Name similarity and entity resolution across narratives, through the real pipeline and a real store."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph import model as m
from graph import pipeline
from graph.build import NarrativeMeta
from graph.decisions import DecisionLog
from graph.name_similarity import blocking_keys, compare
from graph.pipeline.ingest import ingest
from graph.stores.factory import open_store
from graph.stores.protocol import GraphStore
from nlp import Extractor, Narrative

RECRUITER = ("My recruiter was a man called Ion Popescu. He promised me a job in a restaurant in Vienna. "
             "Ion Popescu called me from +40 722 111 222 every day.")
SAME_PHONE = ("In Vienna we were met by a man called Ion Popescu who took our passports. "
              "He called us from +40 722 111 222 every night.")
NO_CONTEXT = "A man called Ion Popescu drove the van from Arad to Budapest in May 2021."


@pytest.mark.parametrize(("a", "b", "low", "high"), [
    ("Andrei Munteanu", "MUNTEANU Andrei", 1.0, 1.0),  # word order and case
    ("Ștefan Munteanu", "Stefan Munteanu", 1.0, 1.0),  # accents
    ("Андрей Мунтяну", "Andrey Muntyanu", 1.0, 1.0),  # transliteration
    ("A. Munteanu", "Andrei Munteanu", 0.94, 0.96),  # initial
    ("Andi Munteanu", "Andrei Munteanu", 0.94, 0.96),  # nickname
    ("Andrei Muntianu", "Andrei Munteanu", 0.96, 0.99),  # typo
    ("Florin", "Florin Dobre", 0.66, 0.67),  # a missing surname costs
    ("Maria Popescu", "Ion Vasile", 0.0, 0.0),
])
def test_name_similarity(a: str, b: str, low: float, high: float) -> None:
    score = compare(a, b).score
    assert low <= score <= high, (a, b, score, compare(a, b).reason)
    assert compare(b, a).score == score


def test_blocking_keys_meet_for_variants() -> None:
    assert blocking_keys("Andi Munteanu") & blocking_keys("Andrei Munteanu")
    assert blocking_keys("Muntianu") & blocking_keys("Munteanu")
    assert not blocking_keys("Maria Popescu") & blocking_keys("Ion Vasile")


def _ingest(store: GraphStore, extractor: Extractor, *texts: tuple[str, str]) -> None:
    items = [(Narrative(text, id=source_id), NarrativeMeta(source_id)) for source_id, text in texts]
    ingest(items, store, extractor)


def _people(store: GraphStore, name: str) -> list[m.Node]:
    return [p for p in store.list_nodes(m.PERSON, limit=10_000) if name in [p.name, *p.props.get("aliases", [])]]


def test_same_name_and_shared_phone_merge(tmp_path: Path, extractor: Extractor) -> None:
    store = open_store(tmp_path)
    _ingest(store, extractor, ("n1", RECRUITER), ("n2", SAME_PHONE))
    [person] = _people(store, "Ion Popescu")
    detail = store.node(person.id)
    assert detail is not None and detail.narratives == ["n1", "n2"]
    assert not store.pairs()


def test_same_name_without_shared_context_is_only_a_candidate(tmp_path: Path, extractor: Extractor) -> None:
    store = open_store(tmp_path)
    _ingest(store, extractor, ("n1", RECRUITER), ("n3", NO_CONTEXT))
    assert len(_people(store, "Ion Popescu")) == 2
    [pair] = store.pairs()
    assert pair.score == 1.0 and "no shared identifier" in pair.reason
    assert {pair.a.name, pair.b.name} == {"Ion Popescu"}


def test_confirmed_decision_merges_and_survives_a_rebuild(tmp_path: Path, extractor: Extractor) -> None:
    store = open_store(tmp_path)
    _ingest(store, extractor, ("n1", RECRUITER), ("n3", NO_CONTEXT))
    [pair] = store.pairs()
    pipeline.decide(store, pair.a.id, pair.b.id, "confirmed", by="analyst-1")
    [merged] = _people(store, "Ion Popescu")
    detail = store.node(merged.id)
    assert detail is not None and detail.narratives == ["n1", "n3"]
    assert store.node(pair.b.id).node.id == pair.a.id  # the old id now answers with the kept node
    [logged] = DecisionLog(tmp_path).load()  # the pair is one node now; the decision is in the log
    assert (logged.decision, logged.by) == ("confirmed", "analyst-1")
    store.close()
    (tmp_path / "graph.sqlite").unlink()  # rebuild the graph from the same narratives: the decision log stays
    rebuilt = open_store(tmp_path)
    _ingest(rebuilt, extractor, ("n1", RECRUITER), ("n3", NO_CONTEXT))
    assert len(_people(rebuilt, "Ion Popescu")) == 1
    assert not rebuilt.pairs()


def test_rejected_decision_is_never_proposed_again(tmp_path: Path, extractor: Extractor) -> None:
    store = open_store(tmp_path)
    _ingest(store, extractor, ("n1", RECRUITER), ("n3", NO_CONTEXT))
    [pair] = store.pairs()
    pipeline.decide(store, pair.a.id, pair.b.id, "rejected", by="analyst-1")
    assert not store.pairs() and store.pairs(status="rejected")
    store.close()
    (tmp_path / "graph.sqlite").unlink()
    rebuilt = open_store(tmp_path)
    _ingest(rebuilt, extractor, ("n1", RECRUITER), ("n3", NO_CONTEXT))
    assert len(_people(rebuilt, "Ion Popescu")) == 2
    assert not rebuilt.pairs() and not rebuilt.pairs(status="rejected")


def test_decide_rejects_nonsense(tmp_path: Path, extractor: Extractor) -> None:
    from graph.stores.protocol import StoreError

    store = open_store(tmp_path)
    _ingest(store, extractor, ("n1", RECRUITER))
    [person] = _people(store, "Ion Popescu")
    with pytest.raises(StoreError):
        pipeline.decide(store, person.id, "phone:+40722111222", "confirmed", by="x")
    with pytest.raises(StoreError):
        pipeline.decide(store, person.id, person.id, "maybe", by="x")
