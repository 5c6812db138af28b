"""The partner's side of screening: batch files, the HTTP client, keyed hashes and PSI, all computed locally.

``sightline screen`` uses these, and a partner can call them from Python. Nothing here needs access to
Sightline's data: ``hash_identifiers`` and ``PsiSession`` run on the partner's machine, so in those modes
only hashes (or blinded elliptic-curve points) cross the network.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from screening.partner_keys import hash_value
from screening.lists import check_birth_date, country_code
from screening.queries import QueryProblem, build_query
from screening.models import IDENTIFIER_KINDS

SCREEN_COLUMNS = ("id", "name", "birth_date", "country", "phone", "email", "iban", "wallet", "kind", "region")
RESULT_COLUMNS = ("matched", "score", "matched_on", "category", "reference")
BATCH = 1000  # the API's limit per request


class ScreenFileError(ValueError):
    """A batch file or server answer that cannot be used; one clear message."""


@dataclass(frozen=True, slots=True)
class Result:
    """One row's answer, as written to the output file."""

    matched: bool
    score: float
    matched_on: str
    category: str
    reference: str

    @classmethod
    def from_api(cls, item: dict[str, Any]) -> Result:
        on = item.get("matched_on") or {}
        return cls(bool(item["matched"]), float(item["score"]),
                   f"{on['feature']}:{on['method']}" if on else "", item.get("category") or "",
                   item.get("reference") or "")


NO_RESULT = Result(False, 0.0, "", "", "")


def row_query(cells: dict[str, str], default_region: str | None) -> dict[str, str]:
    """A file row as the API's query fields (country as ISO alpha-2); raises QueryProblem."""
    fields = {k: v.strip() for k, v in cells.items() if k != "id" and v and v.strip()}
    if "country" in fields:
        code = country_code(fields["country"])
        if code is None:
            raise QueryProblem("country", "not an ISO country code or name")
        fields["country"] = code
    if "birth_date" in fields and check_birth_date(fields["birth_date"]) is None:
        raise QueryProblem("birth_date", "not YYYY, YYYY-MM or YYYY-MM-DD")
    if "region" in fields:
        fields["region"] = fields["region"].upper()
    if fields.get("name"):
        fields["kind"] = fields.get("kind", "person").lower()  # a name without a kind is a person's
    else:
        fields.pop("kind", None)
    build_query(fields, default_region)  # the same checks the server makes
    return fields


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

    def screen(self, queries: Sequence[dict[str, str]]) -> list[Result]:
        return [Result.from_api(r) for r in self._post("/v1/screen", {"queries": list(queries)})["results"]]

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
