"""Identifier parsing and normalisation, shared by extraction and screening.

Every identifier Sightline stores or screens goes through exactly one function here, so that a phone
number found in a survivor's story and the same number sent by a bank compare equal. Each ``normalise_*``
function returns the canonical value or ``None`` when the input is not a valid identifier of that kind;
none of them raises on bad input.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import base58
import bech32
import phonenumbers
from Crypto.Hash import keccak
from stdnum import iban as stdnum_iban

# --- phones ---------------------------------------------------------------------------------------

_PHONE_DIGITS_MIN = 7
_PHONE_DIGITS_MAX = 15


def phone_digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def normalise_phone(text: str, regions: Sequence[str | None] = ()) -> tuple[str, str | None] | None:
    """Return ``(E.164, region)`` for a valid phone number, else ``None``.

    A number written with ``+`` or ``00`` carries its own country code; a national number is tried
    against each region in order (narrative hint, setting, countries named in the text) and the first
    region where it is a valid number wins, because the same digits are often valid in one country only.
    """
    raw = text.strip()
    digits = phone_digits(raw)
    if not _PHONE_DIGITS_MIN <= len(digits) <= _PHONE_DIGITS_MAX + 2:
        return None
    international = raw.startswith("+") or (raw.startswith("00") and not raw.startswith("000"))
    candidates: list[tuple[str, str | None]]
    if international:
        number = "+" + (digits[2:] if raw.startswith("00") else digits)
        candidates = [(number, None)]
    else:
        candidates = [(raw, region.upper()) for region in dict.fromkeys(r for r in regions if r)]
    for number, region in candidates:
        try:
            parsed = phonenumbers.parse(number, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(parsed):
            e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
            return e164, region or phonenumbers.region_code_for_country_code(parsed.country_code)
    return None


# --- emails ---------------------------------------------------------------------------------------

EMAIL_RE = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
    r"[A-Za-z]{2,24}(?![\w-])"
)

# Providers that ignore dots and "+tags" in the local part; screening folds them so that
# "A.Munteanu+jobs@gmail.com" and "amunteanu@gmail.com" reach the same mailbox.
_DOT_INSENSITIVE_DOMAINS = frozenset({"gmail.com", "googlemail.com"})
_PLUS_TAG_DOMAINS = frozenset(
    {"gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "protonmail.com",
     "proton.me", "icloud.com", "fastmail.com", "yahoo.com"}
)


def normalise_email(text: str) -> str | None:
    """Lower-cased address, or ``None`` if it is not an email address."""
    candidate = text.strip().strip("<>").lower()
    if not EMAIL_RE.fullmatch(candidate):
        return None
    return candidate


def mailbox_key(email: str) -> str | None:
    """The mailbox an address delivers to: dots and plus-tags folded where the provider ignores them.

    Stored values keep what was written (``normalise_email``); this key is for matching only.
    """
    value = normalise_email(email)
    if value is None:
        return None
    local, _, domain = value.partition("@")
    if domain == "googlemail.com":
        domain = "gmail.com"
    if domain in _PLUS_TAG_DOMAINS:
        local = local.split("+", 1)[0]
    if domain in _DOT_INSENSITIVE_DOMAINS:
        local = local.replace(".", "")
    return f"{local}@{domain}"


# --- IBANs ----------------------------------------------------------------------------------------

IBAN_RE = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}(?![A-Za-z0-9])")


def normalise_iban(text: str) -> str | None:
    """Upper-case IBAN without spaces if its country format and mod-97 checksum are valid."""
    compact = re.sub(r"[\s-]", "", text).upper()
    return compact if stdnum_iban.is_valid(compact) else None


# --- crypto wallets -------------------------------------------------------------------------------

WALLET_RE = re.compile(
    r"(?<![A-Za-z0-9])(?:"
    r"(?:bc1|BC1|tb1)[02-9ac-hj-np-zAC-HJ-NP-Z]{11,87}"  # bech32 / bech32m
    r"|0x[0-9a-fA-F]{40}"  # Ethereum
    r"|[13][1-9A-HJ-NP-Za-km-z]{25,34}"  # Bitcoin base58
    r"|T[1-9A-HJ-NP-Za-km-z]{33}"  # Tron
    r")(?![A-Za-z0-9])"
)


@dataclass(frozen=True, slots=True)
class Wallet:
    value: str
    chain: str


def _eip55_ok(address: str) -> bool:
    body = address[2:]
    if body == body.lower() or body == body.upper():
        return True  # no checksum encoded
    digest = keccak.new(digest_bits=256, data=body.lower().encode()).hexdigest()
    return all(
        (c.upper() if int(h, 16) >= 8 else c.lower()) == c for c, h in zip(body, digest) if c.isalpha()
    )


def _base58check(address: str) -> bytes | None:
    try:
        return base58.b58decode_check(address)
    except ValueError:
        return None


def normalise_wallet(text: str) -> Wallet | None:
    """Validate a crypto wallet address by its format's checksum; ``None`` if invalid.

    Bech32 and Ethereum addresses are case-insensitive and stored lower-cased; base58 ones are
    case-sensitive and kept as written.
    """
    address = text.strip()
    lowered = address.lower()
    if lowered.startswith(("bc1", "tb1")):
        hrp = lowered[:2]
        version, program = bech32.decode(hrp, lowered)
        return Wallet(lowered, "bitcoin") if version is not None and program is not None else None
    if lowered.startswith("0x") and len(address) == 42:
        return Wallet(lowered, "ethereum") if _eip55_ok(address) else None
    payload = _base58check(address)
    if payload is None:
        return None
    if address[0] in "13" and len(payload) == 21 and payload[0] in (0x00, 0x05):
        return Wallet(address, "bitcoin")
    if address[0] == "T" and len(payload) == 21 and payload[0] == 0x41:
        return Wallet(address, "tron")
    return None


# --- URLs and social handles ----------------------------------------------------------------------

URL_RE = re.compile(
    r"(?<![@\w.])(?:https?://|www\.)[^\s<>\"'()]+|"
    r"(?<![@\w.])[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|net|org|example|co\.uk|ro|pl|it|bg|info|biz|io|me)"
    r"/[^\s<>\"'()]*",
    re.IGNORECASE,
)
HANDLE_RE = re.compile(r"(?<![\w@.])@([A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?)(?![\w@])")


def normalise_url(text: str) -> str | None:
    """Host lower-cased without ``www.``, then the path, without scheme or trailing slash."""
    url = text.strip().rstrip(".,;:!?")
    url = re.sub(r"^https?://", "", url, flags=re.IGNORECASE)
    host, sep, path = url.partition("/")
    host = host.lower()
    if host.startswith("www."):
        host = host[4:]
    host = host.split(":", 1)[0] if host.endswith((":80", ":443")) else host
    if "." not in host or not re.fullmatch(r"[a-z0-9.-]+(:\d+)?", host):
        return None
    path = path.rstrip("/")
    return f"{host}/{path}" if path else host


def normalise_handle(text: str) -> str | None:
    match = HANDLE_RE.fullmatch(text.strip())
    return f"@{match.group(1).lower()}" if match else None


# --- names ----------------------------------------------------------------------------------------

_TITLES = frozenset(
    "mr mrs ms miss mx dr sir madam madame mister mrs. mr. ms. dr. pastor uncle auntie aunt "
    "signor signora pan pani domnul doamna".split()
)


@lru_cache(maxsize=65_536)  # pure, and called for the same few names over and over during extraction
def fold(text: str) -> str:
    """Case- and accent-insensitive form: 'Ștefan' and 'STEFAN' fold to 'stefan'."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    replacements = {"ß": "ss", "ł": "l", "đ": "d", "ø": "o", "æ": "ae", "œ": "oe", "ı": "i"}
    return "".join(replacements.get(c, c) for c in stripped.casefold())


def name_tokens(name: str) -> list[str]:
    """Folded name tokens without titles or punctuation, for name keys and fuzzy matching."""
    tokens = re.findall(r"[^\W\d_]+", fold(name))
    return [t for t in tokens if t not in _TITLES]


def name_key(name: str) -> str:
    """Order-insensitive key: 'MUNTEANU Andrei' and 'Andrei Munteanu' share 'andrei munteanu'."""
    return " ".join(sorted(name_tokens(name)))


def clean_display_name(text: str) -> str:
    """Readable canonical name: whitespace collapsed, quotes, a leading article and possessive dropped."""
    value = " ".join(text.split()).strip(" \"'“”‘’,.;:")
    value = re.sub(r"^(?:the|a|an)\s+", "", value, flags=re.IGNORECASE)
    value = re.sub(r"(?:'s|’s)$", "", value)
    return value


def identifier_hash(value: str, key: bytes | None = None) -> str:
    """Stable hash of a normalised identifier, keyed (HMAC-SHA256) when a key is given."""
    if key is None:
        return hashlib.sha256(value.encode()).hexdigest()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def identifier_forms(query: str) -> list[str]:
    """The normalised forms a query could take as an identifier (phone, email, IBAN, handle, URL)."""
    forms: list[str] = []
    phone = normalise_phone(query)
    if phone:
        forms.append(phone[0])
    for normalise in (normalise_email, normalise_iban, normalise_handle, normalise_url):
        value = normalise(query)
        if value:
            forms.append(value)
    return forms
