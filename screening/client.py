"""The partner's side of screening: batch files, the HTTP client, keyed hashes and PSI, all computed locally.

``sightline screen`` uses these, and a partner can call them from Python. Nothing here needs access to
Sightline's data: ``hash_identifiers`` and ``PsiSession`` run on the partner's machine, so in those modes
only hashes (or blinded elliptic-curve points) cross the network.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import httpx

from screening.models import IDENTIFIER_KINDS, ScreenMatch
from screening.partner_keys import hash_value

SCREEN_COLUMNS = ("id", "name", "birth_date", "country", "phone", "email", "iban", "wallet", "kind", "region")
RESULT_COLUMNS = ("screened", "matched", "score", "matched_on", "category", "reference", "explanation", "warnings")
BATCH = 1000  # the API's limit per request


class ScreenFileError(ValueError):
    """A batch file or server answer that cannot be used; one clear message."""


@dataclass(frozen=True, slots=True)
class Result:
    """One row's answer, as written to the output file: ``screened`` is false for a row with nothing left
    to screen; ``explanation`` and ``warnings`` are joined with "; "."""

    matched: bool
    score: float
    matched_on: str
    category: str
    reference: str
    screened: bool = True
    explanation: str = ""
    warnings: str = ""

    @classmethod
    def from_api(cls, item: dict[str, Any]) -> Result:
        on = item.get("matched_on") or {}
        return cls(bool(item["matched"]), float(item["score"]),
                   f"{on['feature']}:{on['method']}" if on else "", item.get("category") or "",
                   item.get("reference") or "", True, "; ".join(item.get("explanation") or ()),
                   "; ".join(item.get("warnings") or ()))

    @classmethod
    def from_match(cls, match: ScreenMatch) -> Result:
        on = match.matched_on
        return cls(match.matched, round(match.score, 4), f"{on.feature}:{on.method}" if on else "",
                   match.category or "", match.reference or "", True, "; ".join(match.explanation),
                   "; ".join(match.warnings))

    def warned(self, warnings: list[str]) -> Result:
        """This result with the row's own warnings (reading the file) before the answer's."""
        joined = "; ".join([*warnings, self.warnings] if self.warnings else warnings)
        return replace(self, warnings=joined)


NO_RESULT = Result(False, 0.0, "", "", "")


def not_screened(warnings: list[str]) -> Result:
    """The answer for a row with nothing left to screen: not a "no match", and it says why."""
    return Result(False, 0.0, "", "", "", False, "", "; ".join(warnings))


def hash_identifiers(secret: bytes, items: Iterable[tuple[str, str, str | None]]) -> list[str | None]:
    """``hex(HMAC-SHA256(secret, "kind:key"))`` for each ``(kind, value, region)``; None where invalid."""
    return [hash_value(secret, kind, value, region) for kind, value, region in items]


def row_identifiers(fields: dict[str, str], default_region: str | None) -> list[tuple[str, str, str | None]]:
    region = fields.get("region") or fields.get("country") or default_region
    return [(kind, fields[kind], region) for kind in IDENTIFIER_KINDS if fields.get(kind)]


class Client:
    """The Sightline API as a partner key sees it."""

    def __init__(self, url: str, api_key: str, timeout: float = 120.0) -> None:
        self._http = httpx.Client(base_url=url.rstrip("/"), headers={"Authorization": f"Bearer {api_key}"},
                                  timeout=timeout)

    def close(self) -> None:
        self._http.close()

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        try:
            response = self._http.post(path, json=body)
        except httpx.HTTPError as error:
            raise ScreenFileError(f"cannot reach the Sightline API at {self._http.base_url} ({error})") from None
        if response.status_code != 200:
            try:
                message = response.json()["error"]["message"]
            except (ValueError, KeyError, TypeError):
                message = response.text[:200]
            raise ScreenFileError(f"the Sightline API answered {response.status_code}: {message}")
        return response.json()  # type: ignore[no-any-return]

    def screen(self, queries: Sequence[dict[str, str]], *, require_dob_match: bool = False,
               strict: bool = False) -> list[Result]:
        body: dict[str, Any] = {"queries": list(queries)}
        if require_dob_match:
            body["require_dob_match"] = True
        if strict:
            body["strict"] = True
        return [Result.from_api(r) for r in self._post("/v1/screen", body)["results"]]

    def screen_hashed(self, hashes: Sequence[str]) -> list[Result]:
        return [Result.from_api(r) for r in self._post("/v1/screen/hashed", {"hashes": list(hashes)})["results"]]

    def psi_matches(self, messages: Sequence[str]) -> set[int]:
        """Positions of ``messages`` (``kind:key`` strings, at most 1,000) that are flagged, by ECDH-PSI."""
        import base64

        from private_set_intersection.python import Response, ServerSetup, client

        psi = client.CreateWithNewKey(True)
        request = psi.CreateRequest(list(messages)).SerializeToString()
        answer = self._post("/v1/screen/psi", {"request": base64.b64encode(request).decode("ascii")})
        setup, response = ServerSetup(), Response()
        setup.ParseFromString(base64.b64decode(answer["setup"]))
        response.ParseFromString(base64.b64decode(answer["response"]))
        return set(psi.GetIntersection(setup, response))
