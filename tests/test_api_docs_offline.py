"""/docs and /redoc work on a closed network: every script and style they reference comes from the same
server (the files fastapi-offline ships), none from a CDN or any other host."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

import pytest

from tests.api_server import Server, running

_REFERENCE = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_ABSOLUTE_URL = re.compile(r"""https?://[^\s"'<>)]+""", re.IGNORECASE)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running(tmp_path_factory.mktemp("api-docs"), {"SIGHTLINE_API_WORKER": "false"}) as s:
        yield s


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_page_and_its_assets_come_from_this_server(server: Server, page: str) -> None:
    with server.client() as client:
        response = client.get(page)
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
        html = response.text
        # The page itself names no other host: not in a src/href, not in its inline script.
        assert _ABSOLUTE_URL.findall(html) == []
        references = _REFERENCE.findall(html)
        scripts = [r for r in references if r.endswith(".js")]
        assert scripts, "the page loads no script of its own"
        assert any(r.endswith(".css") for r in references) or page == "/redoc"
        for reference in references:
            url = urljoin(f"{server.base}{page}", reference)
            assert urlsplit(url).netloc == urlsplit(server.base).netloc, reference
            asset = client.get(url)
            assert asset.status_code == 200, (reference, asset.status_code)
            assert len(asset.content) > 0
        assert "/openapi.json" in html
        assert client.get("/openapi.json").status_code == 200


def test_swagger_ui_calls_no_validator(server: Server) -> None:
    """Swagger UI's validator badge sends the document's address to a third party unless switched off."""
    with server.client() as client:
        html = client.get("/docs").text
    assert re.search(r'"validatorUrl"\s*:\s*null', html), html[-800:]


def test_a_missing_asset_is_a_plain_404(server: Server) -> None:
    with server.client() as client:
        response = client.get("/docs/assets/nothing-here.js")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
