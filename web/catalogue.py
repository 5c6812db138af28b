"""Every workspace page, its address and who may open it: the navigation and the 403s are read from here.

A page is data, not code: a path, a title, the roles allowed, whether it is in the menu, and the template
and script that draw it (``templates/pages/<name>.html``, ``static/js/pages/<name>.js``). A role that may not
open a page gets 403 there and never sees a link to it.
"""

from __future__ import annotations

from dataclasses import dataclass

ANALYST, NGO, PARTNER, ADMIN = "analyst", "ngo", "partner", "admin"


@dataclass(frozen=True, slots=True)
class Page:
    name: str
    path: str
    title: str
    roles: frozenset[str]
    in_menu: bool = True
    script: bool = True  # a page without data of its own (a static help page) has no script

    @property
    def template(self) -> str:
        return f"pages/{self.name}.html"


def _page(name: str, path: str, title: str, *roles: str, in_menu: bool = True) -> Page:
    return Page(name=name, path=path, title=title, roles=frozenset(roles), in_menu=in_menu)


PAGES: tuple[Page, ...] = (
    _page("dashboard", "/dashboard", "Dashboard", ANALYST, NGO),
    _page("search", "/search", "Search", ANALYST),
    _page("entity", "/entities/{entity_id:path}", "Entity", ANALYST, in_menu=False),
    _page("explore", "/explore", "Graph explorer", ANALYST),
    _page("communities", "/communities", "Networks", ANALYST),
    _page("map", "/map", "Map", ANALYST),
    _page("timeline", "/timeline", "Timeline", ANALYST),
    _page("exposure", "/exposure", "Exposure", ANALYST),
    _page("review", "/review", "Review queue", ANALYST),
    _page("watchlist", "/watchlist", "Watchlist", ANALYST),
    _page("reports", "/reports", "Reports", ANALYST),
    _page("report", "/reports/{job_id}", "Report", ANALYST, in_menu=False),
    _page("submit", "/submit", "Submit a narrative", NGO),
    _page("submissions", "/submissions", "My submissions", NGO),
    _page("submission", "/submissions/{narrative_id:path}", "Submission", NGO, in_menu=False),
    _page("screen", "/screen", "Screen a file", PARTNER),
    _page("aggregates", "/statistics", "Statistics", NGO, PARTNER, ANALYST, ADMIN),  # k-anonymous tables only
    _page("keys", "/admin/keys", "API keys", ADMIN),
    _page("audit", "/admin/audit", "Audit log", ADMIN),
)

HOME = {ANALYST: "/dashboard", NGO: "/submissions", PARTNER: "/screen", ADMIN: "/admin/keys"}


def menu(role: str) -> list[Page]:
    """The pages this role may open, in menu order."""
    return [page for page in PAGES if page.in_menu and role in page.roles]


def by_name(name: str) -> Page:
    return next(page for page in PAGES if page.name == name)
