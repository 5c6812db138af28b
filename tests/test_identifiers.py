"""Identifier parsing and normalisation: the code extraction and screening share."""

from __future__ import annotations

import pytest

from nlp.identifier_finder import find_identifiers
from nlp.identifiers import (
    mailbox_key, name_key, normalise_email, normalise_iban, normalise_phone, normalise_url, normalise_wallet,
)


@pytest.mark.parametrize("written, regions, expected", [
    ("+44 7911 123456", [], "+447911123456"),
    ("+44 (0)7911-123-456", [], "+447911123456"),
    ("0040 722 415 386", [], "+40722415386"),
    ("0722 415 386", ["RO"], "+40722415386"),
    ("07911 123456", ["RO", "GB"], "+447911123456"),
    ("+48 601 234 567", [], "+48601234567"),
])
def test_phones_normalise_to_e164(written: str, regions: list[str], expected: str) -> None:
    assert normalise_phone(written, regions)[0] == expected


def test_national_number_needs_a_region_where_it_is_valid() -> None:
    assert normalise_phone("07911 123456", []) is None
    assert normalise_phone("07700 900123", ["GB"]) is None  # Ofcom drama range is not a real number


@pytest.mark.parametrize("text", [
    "On 14/03/2021 she arrived.", "She paid £1,500 in cash.", "Crime reference number 4412-2231-0098 was issued.",
    "She was 19 years old.", "Case no. 4471/2023 was opened.", "Between 2018 and 2019 she worked there.",
    "He owed 20,000 dollars.",
])
def test_dates_prices_ages_years_and_references_are_not_phones(text: str) -> None:
    assert [m for m in find_identifiers(text, ["GB"]) if m.label == "PHONE"] == []


def test_finder_gets_every_kind_with_exact_offsets() -> None:
    text = ("Call +44 7911 123456 or mail Andi.Munteanu88@Gmail.com; pay GB33 BUKB 2020 1555 5555 55 or "
            "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq; see https://www.escortads.example/london/4471 and @andi.jobs.london.")
    found = {(m.label, m.value, text[m.start:m.end]) for m in find_identifiers(text)}
    assert found == {
        ("PHONE", "+447911123456", "+44 7911 123456"),
        ("EMAIL", "andi.munteanu88@gmail.com", "Andi.Munteanu88@Gmail.com"),
        ("IBAN", "GB33BUKB20201555555555", "GB33 BUKB 2020 1555 5555 55"),
        ("CRYPTO_WALLET", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"),
        ("URL", "escortads.example/london/4471", "https://www.escortads.example/london/4471"),
        ("URL", "@andi.jobs.london", "@andi.jobs.london"),
    }


def test_iban_checksum_is_enforced() -> None:
    assert normalise_iban("GB33 BUKB 2020 1555 5555 55") == "GB33BUKB20201555555555"
    assert normalise_iban("GB34 BUKB 2020 1555 5555 55") is None


@pytest.mark.parametrize("address, chain, value", [
    ("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "bitcoin", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"),
    ("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "bitcoin", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"),
    ("BC1QAR0SRRR7XFKVY5L643LYDNW9RE59GTZZWF5MDQ", "bitcoin", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"),
    ("0x52908400098527886E0F7030069857D2E4169EE7", "ethereum", "0x52908400098527886e0f7030069857d2e4169ee7"),
    ("TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL", "tron", "TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL"),
])
def test_wallets_validate_and_normalise(address: str, chain: str, value: str) -> None:
    wallet = normalise_wallet(address)
    assert wallet is not None and wallet.chain == chain and wallet.value == value


@pytest.mark.parametrize("address", [
    "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3",  # base58check checksum broken
    "0x52908400098527886E0F7030069857D2E4169Ee7",  # EIP-55 mixed-case checksum broken
    "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdx",  # bech32 checksum broken
])
def test_wallets_with_bad_checksums_are_rejected(address: str) -> None:
    assert normalise_wallet(address) is None


def test_email_url_and_name_keys() -> None:
    assert normalise_email(" Jobs@EuroStaff-Solutions.example ") == "jobs@eurostaff-solutions.example"
    assert mailbox_key("A.Munteanu+jobs@googlemail.com") == "amunteanu@gmail.com"
    assert mailbox_key("a.munteanu+jobs@example.org") == "a.munteanu+jobs@example.org"
    assert normalise_url("HTTPS://WWW.Escortads.example/london/4471/") == "escortads.example/london/4471"
    assert name_key("MUNTEANU Andrei") == name_key("Andrei Munteanu") == name_key("Mr Andrei Munteanu")
    assert name_key("Ștefan Ionescu") == name_key("stefan IONESCU")
