"""Contact identifiers: phone numbers, e-mail addresses, IBANs and URLs, with their normalised values.

These are scored by exact value, not by overlap, so each gold span carries the value a finder has to
return: E.164 for a phone number that parses (its digits otherwise), the lower-cased address for an
e-mail, the compact IBAN, and a URL without scheme, "www." or trailing slash.
"""

from __future__ import annotations

import re

import phonenumbers
from stdnum import iban as stdnum_iban

from devset.invisible_chars import strip_invisible
from devset.render_context import Segment, TextContext
from devset.transliteration import ascii_fold

_EXTENSION_RE = re.compile(r"\s*(?:x|ext\.?|extension|#)\s*\d+\s*$", re.IGNORECASE)


class NoValidIban(Exception):
    """Faker gave no valid IBAN in eight tries; the text is drawn again with the next attempt seed."""


def phone_digits(text: str) -> str:
    """The value of a number libphonenumber cannot validate: its digits, without an extension."""
    return re.sub(r"\D", "", _EXTENSION_RE.sub("", text))


def phone_value(raw: str, region: str) -> str:
    """Gold value of a phone number as written: E.164 when valid in ``region``, else its digits."""
    clean = strip_invisible(raw)
    try:
        num = phonenumbers.parse(clean, region)
        if phonenumbers.is_valid_number(num):
            return phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)
    except phonenumbers.NumberParseException:
        pass
    return phone_digits(clean)


def _is_international(num: str) -> bool:
    s = num.lstrip("( ")
    return s.startswith(("+", "00"))


def _faker_phone_number(ctx: TextContext) -> str:
    """Faker's number for the locale; for en_PH a mobile (65%) or a landline number."""
    if ctx.loc.code == "en_PH":
        return ctx.fake.mobile_number() if ctx.rng.random() < 0.65 else ctx.fake.landline_number()
    return ctx.fake.phone_number()


def make_phone(ctx: TextContext, want_intl: bool | None) -> str:
    """A number not yet used in the text, international (+/00) or national as asked, else drawn (22%)."""
    if ctx.rng.random() < 0.04 and ctx.loc.code != "en_PH":
        raw = ctx.fake.msisdn()
        ctx.used_phones.add(raw)
        return raw
    if want_intl is None:
        want_intl = ctx.rng.random() < 0.22
    best = None
    for _ in range(12):
        num = _faker_phone_number(ctx).strip()
        if num in ctx.used_phones:
            continue
        if best is None:
            best = num
        if _is_international(num) == want_intl:
            best = num
            break
    ctx.used_phones.add(best)
    return best


def render_phone(ctx: TextContext, name: str, arg: str) -> list[Segment]:
    """{PH1}, {PH2}, ... any number; {PHI1} an international one."""
    want = True if name == "PHI" else None
    raw = make_phone(ctx, want)
    return [Segment(raw, "PHONE", phone_value(raw, ctx.phone_region()))]


def _ascii_letters(text: str) -> str:
    """Only the ASCII letters of ``text`` after folding accents, as an e-mail address would spell it."""
    return re.sub(r"[^A-Za-z]", "", ascii_fold(text))


def make_email(ctx: TextContext, slot: str) -> str:
    """Usually built from the slot's person's name (as people make addresses), else Faker's or a job one."""
    rng, fk = ctx.rng, ctx.fake
    r = rng.random()
    if slot in ctx.persons and r < 0.75:
        p = ctx.persons[slot]
        first = _ascii_letters(p.first) or "info"
        last = _ascii_letters(p.short) or "mail"
        style = rng.randrange(6)
        local = (f"{first}.{last}", f"{first}{last}", f"{first[0]}{last}", f"{first}_{last}",
                 f"{first}{rng.randint(1, 99)}", f"{last}.{first}")[style]
        if rng.random() < 0.3:
            local += str(rng.choice((rng.randint(70, 99), rng.randint(1, 9), rng.randint(2000, 2009))))
        domain = fk.free_email_domain()
        email = f"{local}@{domain}"
        if rng.random() < 0.25:
            email = f"{local.title()}@{domain.capitalize()}" if rng.random() < 0.5 else email.replace(local, local.title())
        else:
            email = email.lower()
        return email
    if r < 0.85:
        return fk.free_email()
    if r < 0.93:
        user = rng.choice(("jobs", "info", "booking", "office", "hr", "recruit", "contact", "work"))
        host = _ascii_letters(fk.last_name()).lower() or "mail"
        return f"{user}@{host}-{rng.choice(('jobs', 'staff', 'group', 'agency', 'travel'))}.{rng.choice(('com', 'net', 'eu', 'co.uk', 'info'))}"
    return fk.email()


def render_email(ctx: TextContext, name: str, arg: str) -> list[Segment]:
    """{EM1}, {EM3}, ...: an address for that person slot; {EM0} belongs to no person (never name-based)."""
    slot = name[-1] if name[-1].isdigit() else "1"
    e = make_email(ctx, slot)
    return [Segment(e, "EMAIL", e.lower())]


def render_iban(ctx: TextContext, name: str, arg: str) -> list[Segment]:
    """A valid IBAN of the locale, written compact or in groups of four."""
    for _ in range(8):
        raw = ctx.fake.iban()
        if stdnum_iban.is_valid(raw):
            break
    else:
        raise NoValidIban()
    compact = raw.replace(" ", "").upper()
    if ctx.rng.random() < 0.5:
        text = compact
    else:
        text = " ".join(compact[i:i + 4] for i in range(0, len(compact), 4))
    return [Segment(text, "IBAN", compact)]


def url_value(url: str) -> str:
    """Gold value of a URL: no scheme, no "www.", lower-case host, no trailing slash."""
    v = re.sub(r"^[a-z]+://", "", url, flags=re.IGNORECASE)
    host, _, path = v.partition("/")
    host = host.lower()
    host = host.removeprefix("www.")
    v = host + ("/" + path if path else "")
    return v.rstrip("/")


def render_url(ctx: TextContext, name: str, arg: str) -> list[Segment]:
    """A Faker URL, sometimes written without its scheme ("www.example.com") or trailing slash."""
    rng = ctx.rng
    u = ctx.fake.uri() if rng.random() < 0.4 else ctx.fake.url()
    if rng.random() < 0.12:                      # written without scheme
        u = re.sub(r"^https?://", "", u)
        if not u.startswith("www."):
            u = "www." + u
    if rng.random() < 0.5:
        u = u.rstrip("/") if rng.random() < 0.5 else u
    return [Segment(u, "URL", url_value(u))]
