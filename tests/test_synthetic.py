"""Behaviour of the synthetic narrative generator (evaluation.narratives).

The generator backs scale tests and benchmarks, so what matters is that its output is
reproducible, that its ground truth is exact (offsets, normalised values, valid identifiers)
and that the corpus has the structure the graph analytics need (overlaps across narratives).
"""

from __future__ import annotations

import collections
import datetime as dt
import itertools
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import phonenumbers
import pytest
from stdnum import iban

from evaluation import narrative_networks as synthetic
from evaluation import narrative_pools as synthetic_pools
from evaluation.narratives import LABELS, SyntheticNarrative, generate_narratives

ROOT = Path(__file__).resolve().parents[1]
WALLETS = {
    "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
    "0x52908400098527886E0F7030069857D2E4169EE7", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy",
}
STYLES = {"first_person", "caseworker", "police"}
EXPLOITATIONS = {"sexual", "labour_agriculture", "labour_construction", "labour_car_wash",
                 "labour_nail_bar", "domestic_servitude", "criminal"}


@pytest.fixture(scope="module")
def corpus() -> list[SyntheticNarrative]:
    return list(generate_narratives(600, seed=11))


def _entities(corpus: list[SyntheticNarrative], label: str):
    return [(n, e) for n in corpus for e in n.entities if e.label == label]


def test_same_arguments_give_identical_output() -> None:
    assert list(generate_narratives(60, seed=3)) == list(generate_narratives(60, seed=3))


def test_output_does_not_depend_on_hash_randomisation() -> None:
    code = ("import hashlib; from evaluation.narratives import generate_narratives as g; "
            "print(hashlib.sha256(repr(list(g(40, 9))).encode()).hexdigest())")
    digests = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(ROOT)}
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                             check=True, cwd=ROOT)
        digests.add(out.stdout.strip())
    assert len(digests) == 1
    assert len(digests.pop()) == 64


@pytest.mark.parametrize("k", [1, 17, 23, 64, 150])
def test_prefix_property(k: int) -> None:
    longer = list(generate_narratives(300, seed=5))
    assert list(generate_narratives(k, seed=5)) == longer[:k]


def test_is_a_lazy_iterator() -> None:
    stream = generate_narratives(10**9, seed=2)
    assert iter(stream) is stream
    assert list(itertools.islice(stream, 5)) == list(generate_narratives(5, seed=2))


def test_different_seeds_differ() -> None:
    a = list(generate_narratives(30, seed=1))
    b = list(generate_narratives(30, seed=2))
    assert all(x.text != y.text for x, y in zip(a, b))
    # the seed reaches every narrative's own choices, not only the shared networks
    assert [x.metadata["style"] for x in a] != [y.metadata["style"] for y in b]
    assert [x.id for x in a] == [y.id for y in b] == [f"gen-{i:06d}" for i in range(1, 31)]


@pytest.mark.parametrize("bad", [-1, 2.0, "10", None, True])
def test_bad_count_is_rejected_at_call_time(bad: object) -> None:
    with pytest.raises(ValueError):
        generate_narratives(bad)  # type: ignore[arg-type]


def test_bad_seed_is_rejected() -> None:
    with pytest.raises(ValueError):
        generate_narratives(3, seed="x")  # type: ignore[arg-type]


def test_zero_narratives() -> None:
    assert list(generate_narratives(0)) == []


def test_offsets_are_exact_and_spans_well_formed(corpus: list[SyntheticNarrative]) -> None:
    for n in corpus:
        previous_end = 0
        for e in n.entities:
            surface = n.text[e.start:e.end]
            assert e.label in LABELS
            assert surface and surface == surface.strip(), (n.id, e)
            assert e.start >= previous_end, f"{n.id}: overlapping or unsorted entities"
            previous_end = e.end
            if e.label in {"PERSON", "LOCATION", "ORGANIZATION", "MONEY", "DATE", "URL", "CRYPTO_WALLET"}:
                assert e.value == surface, (n.id, e)
            if e.label == "PERSON":
                assert surface[0].isupper()


def test_phones_are_valid_and_values_are_e164(corpus: list[SyntheticNarrative]) -> None:
    phones = _entities(corpus, "PHONE")
    assert len(phones) > 300
    shapes = collections.Counter()
    for n, e in phones:
        surface = n.text[e.start:e.end]
        parsed = phonenumbers.parse(surface, n.metadata["region"])
        assert phonenumbers.is_valid_number(parsed), (n.id, surface)
        assert phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164) == e.value
        assert re.fullmatch(r"\+[1-9]\d{7,14}", e.value)
        assert not e.value.startswith("+447700900"), "UK drama range must never be used"
        shapes["+" if surface.startswith("+") else "00" if surface.startswith("00") else "national"] += 1
        shapes["spaced" if " " in surface else "compact"] += 1
    # E.164 with and without spaces, 00-prefix and national formats all occur
    assert set(shapes) == {"+", "00", "national", "spaced", "compact"}, shapes


def test_phone_countries_are_varied(corpus: list[SyntheticNarrative]) -> None:
    regions = {phonenumbers.region_code_for_number(phonenumbers.parse(e.value))
               for _, e in _entities(corpus, "PHONE")}
    assert {"GB", "RO", "VN"} <= regions
    assert len(regions) >= 8


@pytest.mark.parametrize("cc", sorted(synthetic_pools.PHONE_PLANS))
def test_every_phone_plan_yields_valid_mobiles(cc: str) -> None:
    rng = random.Random(cc)
    for _ in range(150):
        phone = synthetic._make_phone(rng, cc)
        parsed = phonenumbers.parse(phone.e164)
        assert phonenumbers.is_valid_number(parsed)
        assert phonenumbers.region_code_for_number(parsed) == cc
        assert not phone.e164.startswith("+447700900")
        for surface in phone.international:  # "00" forms are read where 00 dials abroad
            assert phonenumbers.format_number(phonenumbers.parse(surface, "DE"),
                                              phonenumbers.PhoneNumberFormat.E164) == phone.e164
        for surface in phone.national:
            assert phonenumbers.format_number(phonenumbers.parse(surface, cc),
                                              phonenumbers.PhoneNumberFormat.E164) == phone.e164


@pytest.mark.parametrize("cc", sorted(synthetic_pools.IBAN_BBAN))
def test_every_iban_country_yields_valid_ibans(cc: str) -> None:
    rng = random.Random(cc)
    numbers = {synthetic._make_iban(rng, cc) for _ in range(100)}
    assert len(numbers) == 100
    assert all(iban.is_valid(n) and n.startswith(cc) for n in numbers)


def test_ibans_are_valid(corpus: list[SyntheticNarrative]) -> None:
    ibans = _entities(corpus, "IBAN")
    assert len(ibans) > 100
    spaced = compact = 0
    for n, e in ibans:
        surface = n.text[e.start:e.end]
        assert iban.is_valid(e.value), e.value
        assert e.value == e.value.upper() and " " not in e.value
        assert iban.compact(surface) == e.value
        spaced += " " in surface
        compact += " " not in surface
    assert spaced and compact


def test_emails_wallets_urls(corpus: list[SyntheticNarrative]) -> None:
    emails = _entities(corpus, "EMAIL")
    assert emails
    for n, e in emails:
        assert e.value == n.text[e.start:e.end].lower()
        assert re.fullmatch(r"[a-z0-9._]+@[a-z0-9.-]+\.[a-z]{2,}", e.value), e.value
    wallets = {e.value for _, e in _entities(corpus, "CRYPTO_WALLET")}
    assert wallets and wallets <= WALLETS
    assert _entities(corpus, "URL")


def test_all_labels_occur(corpus: list[SyntheticNarrative]) -> None:
    assert {e.label for n in corpus for e in n.entities} == LABELS


def _shared(sample: list[SyntheticNarrative], label: str) -> dict[str, set[str]]:
    where = collections.defaultdict(set)
    for n in sample:
        for e in n.entities:
            if e.label == label:
                where[e.value].add(n.id)
    return where


def test_overlaps_across_narratives() -> None:
    sample = list(generate_narratives(200, seed=0))
    for label in ("PHONE", "PERSON", "ORGANIZATION", "IBAN"):
        where = _shared(sample, label)
        assert max(len(ids) for ids in where.values()) >= 2, label
        # shared, but not everything shared: networks are many, not one
        assert len(where) > 5, label
    # network identifiers recur: most narratives are linked to another by a phone or an IBAN
    for label in ("PHONE", "IBAN"):
        linked = {i for ids in _shared(sample, label).values() if len(ids) >= 2 for i in ids}
        assert len(linked) > len(sample) // 2, label


@pytest.mark.parametrize("n", [200, 1000])
def test_one_network_per_15_to_25_narratives(n: int) -> None:
    # every network has exactly one IBAN, so distinct IBANs count networks; the narratives near
    # the end may draw on a network up to six positions ahead
    networks = len(_shared(list(generate_narratives(n, seed=4)), "IBAN"))
    assert n / 25 <= networks <= (n + 6) / 15 + 1


def test_styles_and_exploitation_types_all_appear() -> None:
    sample = list(generate_narratives(300, seed=0))
    assert {n.metadata["style"] for n in sample} == STYLES
    assert {n.metadata["exploitation"] for n in sample} == EXPLOITATIONS


def test_metadata(corpus: list[SyntheticNarrative]) -> None:
    for n in corpus:
        m = n.metadata
        assert all(isinstance(v, str) for v in m.values())
        assert set(m) == {"organisation", "date", "language", "consent", "source_grading",
                          "region", "style", "exploitation"}
        assert dt.date.fromisoformat(m["date"]).year >= 2013
        assert m["language"] == "en" and m["consent"] in {"yes", "no"} and m["organisation"]
        assert re.fullmatch(r"[A-F][1-6]", m["source_grading"])
        assert m["region"] in phonenumbers.SUPPORTED_REGIONS
        # "00..." phone forms are only readable where 00 is the international prefix
        assert phonenumbers.PhoneMetadata.metadata_for_region(m["region"]).international_prefix == "00"
        assert m["style"] in STYLES and m["exploitation"] in EXPLOITATIONS
    assert len({n.metadata["source_grading"] for n in corpus}) > 10


def test_text_content_has_the_features_extraction_must_handle(corpus: list[SyntheticNarrative]) -> None:
    texts = [n.text for n in corpus]
    joined = "\n".join(texts)
    # travel legs with a mode
    assert re.search(r"by (bus|minibus|coach|car|van|plane|train|lorry|boat|road|ferry|taxi) from \w+", joined)
    # negated methods of control
    assert re.search(r"never hit|was not told of any debt|not locked in|door was not locked|kept (her|his|my) (own )?passport", joined)
    # numbers that are not phones: reference numbers, ages, hours
    refs = re.findall(r"\b\d{4}-\d{4}-\d{4}\b", joined)
    assert refs
    phone_surfaces = {n.text[e.start:e.end] for n in corpus for e in n.entities if e.label == "PHONE"}
    assert not set(refs) & phone_surfaces
    assert re.search(r"\b\d{1,2} hours a day", joined)
    # first person and third person voices both occur
    assert any(t.startswith(("My name", "I ")) for t in texts)
    assert "The victim stated that" in joined or "told officers that" in joined
    # not near-identical: many distinct opening sentences
    assert len({t.split(".")[0] for t in texts}) > len(texts) // 2


def test_ten_thousand_narratives_stream_without_error() -> None:
    count, words_min, words_max, last_id = 0, 10**9, 0, ""
    for n in generate_narratives(10_000, seed=123):
        count += 1
        words = len(n.text.split())
        words_min, words_max = min(words_min, words), max(words_max, words)
        last_id = n.id
        assert "07700 900" not in n.text
    assert count == 10_000 and last_id == "gen-010000"
    assert 80 <= words_min and words_max <= 300
