"""Amounts with their currency, symbol included: the model drops the '£' of '£400'."""

from __future__ import annotations

import re

from nlp.entities.common import Candidate, matches_as

_AMOUNT = r"\d{1,3}(?:[,.\s]\d{3})*(?:\.\d{1,2})?(?:\s?(?:k|m|million|thousand)\b)?"
_MONEY_RE = re.compile(
    rf"[£€$¥₦]\s?{_AMOUNT}|(?-i:\bN)(?=\d{{1,3}}(?:,\d{{3}})+)\d{{1,3}}(?:,\d{{3}})+|\b{_AMOUNT}\s?(?:euros?|pounds?|dollars?|lei|leva|lev|zloty|złoty|naira|dong|"
    r"dinars?|lek|forints?|(?:EUR|GBP|USD|RON|BGN|PLN|NGN|VND)\b)",
    re.I,
)


def money_candidates(text: str) -> list[Candidate]:
    """Amounts with their currency, symbol included: the model drops the '£' of '£400'."""
    return matches_as(_MONEY_RE, text, "MONEY", 2, 0.9, "rule:money")
