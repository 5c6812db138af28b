"""How a victim was recruited, in HTCDS terms, from the sentences that say so.

HTCDS 2.0 records ``vic_MethodOfRecruitment`` (a place or channel: through online social networks, an
online or newspaper advert, family, friends, at work, ...) and ``vic_RecruitmentWebsitesAndApps``. The
extraction already finds who recruited whom (``RECRUITED`` relations) with the sentence that says it;
these rules read the channel from those sentences only, so a platform named elsewhere in the narrative
("he later sold her on Telegram") is not taken for the way she was recruited. A sentence that names no
channel gives nothing: an empty field, never a guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# HTCDS vic_RecruitmentWebsitesAndApps picklist value -> how texts write it
APPS = {
    "Facebook": r"facebook|\bfb\b", "Instagram": r"instagram", "WhatsApp": r"whats\s?app",
    "Telegram": r"telegram", "FacebookMessenger": r"messenger", "Viber": r"viber", "SnapChat": r"snap\s?chat",
    "Line": r"\bline app\b", "WeChat": r"wechat", "QQ": r"\bqq\b", "TikTok": r"tik\s?tok", "Twitter": r"twitter|\bx\.com\b",
}
_APPS = {code: re.compile(pattern, re.IGNORECASE) for code, pattern in APPS.items()}
_SOCIAL_APPS = {"Facebook", "Instagram", "TikTok", "Twitter", "SnapChat", "Viber", "WhatsApp", "Telegram",
                "FacebookMessenger", "WeChat", "QQ", "Line"}

# HTCDS vic_MethodOfRecruitment picklist value -> cue, checked in this order
METHODS = (
    ("ThroughANewspaperAdvert", r"\bnewspaper\b.{0,40}\b(?:ad|advert|advertisement)s?\b|\b(?:ad|advert|advertisement)s?\b.{0,40}\bnewspaper\b"),
    ("ThroughATelevisionAdvert", r"\b(?:tv|television)\b.{0,40}\b(?:ad|advert|advertisement)s?\b"),
    ("ThroughAnOnlineAdvertisement", r"\b(?:online|internet|website|web\s?site|job site|site)\b.{0,40}\b(?:ad|advert|advertisement|listing|posting)s?\b"
                                     r"|\b(?:ad|advert|advertisement|listing|posting)s?\b.{0,40}\b(?:online|internet|website|web\s?site)\b"),
    ("ThroughFamilyOrFamilyEvents", r"\b(?:my|her|his|their)\s+(?:own\s+)?(?:cousin|uncle|aunt|aunty|auntie|brother|sister|"
                                    r"mother|father|stepfather|stepmother|relative|family|grandmother|grandfather|in-law)s?\b"
                                    r"|\b(?:a|an)\s+(?:relative|family member|family friend)\b|\bwedding\b"),
    ("ThroughFriendsOrSocialEvents", r"\b(?:a|my|her|his|their)\s+(?:friend|girlfriend|boyfriend|neighbour|neighbor|classmate)s?\b|\bparty\b"),
    ("AtAnEducationalInstitution", r"\b(?:school|college|university|campus)\b"),
    ("AtAPlaceOfBusiness", r"\b(?:shop|bar|caf[eé]|restaurant|market|salon|hotel|club)\b"),
    ("AtWork", r"\b(?:at work|at my work|where (?:i|she|he) worked|colleague)\b"),
)
_METHODS = tuple((code, re.compile(pattern, re.IGNORECASE)) for code, pattern in METHODS)


def recruitment_apps(sentences: Iterable[str]) -> tuple[str, ...]:
    """HTCDS website/app values named in the recruitment sentences, sorted."""
    text = " ".join(sentences)
    return tuple(sorted(code for code, pattern in _APPS.items() if pattern.search(text)))


def recruitment_methods(sentences: Iterable[str]) -> tuple[str, ...]:
    """HTCDS method-of-recruitment values the recruitment sentences state, sorted; a social network or
    messaging app named in them is ``ThroughOnlineSocialNetworks``."""
    listed = list(sentences)
    text = " ".join(listed)
    found = {code for code, pattern in _METHODS if pattern.search(text)}
    if set(recruitment_apps(listed)) & _SOCIAL_APPS and "ThroughAnOnlineAdvertisement" not in found:
        found.add("ThroughOnlineSocialNetworks")
    return tuple(sorted(found))
