"""Extraction with the real spaCy model: entities, relations, routes, roles, indicators, bad input."""

from __future__ import annotations

import json

import pytest

from nlp import EmptyNarrative, Extraction, Extractor, ExtractorConfig, Narrative, NarrativeTooLarge, NotText
from nlp.extraction import LABELS, NARRATOR

STORY = (
    'I was 19 when Andrei Munteanu, known as "Andi", contacted me on Facebook in Constanta. '
    "He promised me a job as a waitress in London. His number was 0722 415 386. "
    "We travelled by bus from Constanta via Bucharest to Vienna in March 2019, and then we were taken to London by car. "
    "Florin Dobre took my passport and said I owed him 2,000 euros. "
    "He forced us to work at the Golden Lotus massage parlour in Ilford. He never hit me. "
    "He paid the money into his account GB33 BUKB 2020 1555 5555 55."
)


@pytest.fixture(scope="module")
def story(extractor: Extractor) -> Extraction:
    return extractor.extract(STORY, id="story")


def by_text(extraction: Extraction, text: str):
    return next(e for e in extraction.entities if e.text == text)


def test_entities_have_exact_offsets_and_known_labels(story: Extraction) -> None:
    assert story.entities
    for entity in story.entities:
        assert STORY[entity.start:entity.end] == entity.text
        assert entity.label in LABELS


def test_domain_entities_the_model_alone_misses(story: Extraction) -> None:
    assert by_text(story, "Golden Lotus massage parlour").label == "ORGANIZATION"
    assert by_text(story, "Bucharest").label == "LOCATION"
    assert by_text(story, "0722 415 386").value == "+40722415386"  # region from the places named
    assert by_text(story, "GB33 BUKB 2020 1555 5555 55").value == "GB33BUKB20201555555555"
    assert by_text(story, "2,000 euros").label == "MONEY"
    assert by_text(story, "Andi").value == "Andrei Munteanu"  # a nickname given after the name
    assert by_text(story, "Vienna").country == "AT"
    assert not any(e.text.lower() in {"he", "him", "the boss", "i"} for e in story.entities)


def test_relations_from_the_parse(story: Extraction) -> None:
    values = {e.id: e.value for e in story.entities}
    facts = {(r.type, values.get(r.head, r.head), values.get(r.tail, r.tail)) for r in story.relations}
    assert ("RECRUITED", "Andrei Munteanu", NARRATOR) in facts
    assert ("EXPLOITED_AT", NARRATOR, "Golden Lotus massage parlour") in facts
    assert ("USES_PHONE", "Andrei Munteanu", "+40722415386") in facts
    for relation in story.relations:
        assert STORY[relation.evidence.start:relation.evidence.end] == relation.evidence.sentence
        assert 0 < relation.evidence.confidence <= 1


def test_route_legs_in_order_with_mode_and_date(story: Extraction) -> None:
    values = {e.id: e.value for e in story.entities}
    [route] = story.routes
    assert route.traveller == NARRATOR
    legs = [(values[l.origin], [values[v] for v in l.via], values[l.destination], l.mode) for l in route.legs]
    assert legs == [("Constanta", ["Bucharest"], "Vienna", "bus"), ("Vienna", [], "London", "car")]
    assert values[route.legs[0].date] == "March 2019"


def test_roles_and_first_person_narrator(story: Extraction) -> None:
    roles = {(r.person, r.role) for r in story.roles}
    assert story.narrator
    assert (NARRATOR, "victim") in roles
    andrei = by_text(story, "Andrei Munteanu").id
    assert (andrei, "recruiter") in roles


def test_indicators_with_evidence_and_negation(story: Extraction) -> None:
    codes = {i.code for i in story.indicators}
    assert {"DebtBondage", "WithholdsDocuments", "FalsePromises"} <= codes
    assert "PhysicalAbuse" not in codes  # "He never hit me."
    for indicator in story.indicators:
        assert indicator.cue in indicator.evidence.sentence
        assert indicator.htcds_field in {"vic_MethodsOfControl", "vic_TypeOfExploitation"}


@pytest.mark.parametrize("sentence, code", [
    ("She was never threatened.", "PhysicalThreats"),
    ("He did not take my passport.", "WithholdsDocuments"),
    ("Nobody hit her.", "PhysicalAbuse"),
])
def test_negated_indicators_do_not_fire(extractor: Extractor, sentence: str, code: str) -> None:
    assert code not in {i.code for i in extractor.extract(sentence).indicators}


def test_stated_negatives_that_are_indicators_do_fire(extractor: Extractor) -> None:
    extraction = extractor.extract("We were not allowed to leave the house and were never paid.")
    assert {"RestrictsMovement", "TakesEarnings"} <= {i.code for i in extraction.indicators}


def test_json_round_trip(story: Extraction) -> None:
    data = json.loads(story.to_json())
    assert set(data) >= {"id", "entities", "relations", "routes", "indicators"}
    assert Extraction.from_dict(data) == story


def test_batch_equals_single_and_keeps_order(extractor: Extractor) -> None:
    texts = [STORY, "Tomas Varga called me on 07400 123456.", STORY.replace("Andrei", "Mihai")]
    batch = list(extractor.extract_many([Narrative(t, id=str(i), region="GB") for i, t in enumerate(texts)]))
    assert [x.id for x in batch] == ["0", "1", "2"]
    assert batch[1].entities == extractor.extract(texts[1], id="1", region="GB").entities


def test_multiprocess_batch_matches_single_process(extractor: Extractor) -> None:
    narratives = [Narrative(STORY, id=str(i)) for i in range(8)]
    one = list(extractor.extract_many(narratives, batch_size=2))
    two = list(extractor.extract_many(narratives, batch_size=2, n_process=2))
    assert [x.to_dict() for x in one] == [x.to_dict() for x in two]


@pytest.mark.parametrize("text", ["", "   \n\t  "])
def test_empty_text_is_a_clear_error(extractor: Extractor, text: str) -> None:
    with pytest.raises(EmptyNarrative, match="empty"):
        extractor.extract(text)


def test_text_over_the_limit_is_a_clear_error() -> None:
    small = Extractor(ExtractorConfig(max_chars=100))
    with pytest.raises(NarrativeTooLarge, match="limit is 100"):
        small.extract("x" * 101)


def test_binary_text_is_rejected(extractor: Extractor) -> None:
    with pytest.raises(NotText):
        extractor.extract("PK\x03\x04\x00\x00binary")


def test_a_bad_narrative_mid_batch_keeps_the_ones_before_it(extractor: Extractor) -> None:
    results = []
    with pytest.raises(EmptyNarrative):
        for extraction in extractor.extract_many([Narrative(STORY, id="a"), Narrative(" ", id="b")]):
            results.append(extraction.id)
    assert results == ["a"]


def test_non_english_gets_identifiers_and_says_ner_was_not_run(extractor: Extractor) -> None:
    text = ("Aveam 19 ani când un bărbat pe nume Andrei mi-a oferit un loc de muncă la Londra. "
            "M-a sunat de la 0722 415 386 și mi-a cerut să trimit bani în contul RO49 AAAA 1B31 0075 9384 0000.")
    extraction = extractor.extract(text, region="RO")
    assert extraction.language == "ro" and extraction.ner is False
    assert {(e.label, e.value) for e in extraction.entities} == {("PHONE", "+40722415386"),
                                                                 ("IBAN", "RO49AAAA1B31007593840000")}
    assert any("NER was not run" in w for w in extraction.warnings)
