from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack

import pytest

from nlp import Extractor


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    """One real pipeline (the real en_core_web_sm model) for the whole run."""
    return Extractor()


@pytest.fixture(scope="session")
def neo4j_uri(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The Bolt URI of one real local Neo4j 5.26 (with APOC, no auth) shared by the whole test run.

    Started lazily, by the first test that asks for it, as a child of this process in a temporary
    SIGHTLINE_HOME; stopped cleanly (stdin closed) when the session ends, or when pytest dies. Maven runs
    only if no cached classpath exists (see graph.neo4j_local.toolchain.ensure_classpath). Tests share the
    one database, so each test must clean up after itself or use its own identifiers.
    """
    from graph.neo4j_local.server import Neo4jServerError, running_child

    home = tmp_path_factory.mktemp("neo4j-home")
    with ExitStack() as stack:
        try:
            server = stack.enter_context(running_child(home))
        except Neo4jServerError as error:
            pytest.fail(f"could not start the local Neo4j for the tests: {error}", pytrace=False)
        yield server.uri


@pytest.fixture(scope="session")
def postgres() -> Iterator[object]:
    """One real PostgreSQL 15 on a free loopback port for the whole run (tests.postgres_server), started by the
    first test that asks for it; each test creates its own database on it. Not skipped when it cannot start:
    the test fails with the reason."""
    from tests.postgres_server import PostgresError, running_postgres

    with ExitStack() as stack:
        try:
            server = stack.enter_context(running_postgres())
        except PostgresError as error:
            pytest.fail(f"could not start PostgreSQL for the tests: {error}", pytrace=False)
        yield server


@pytest.fixture(scope="session")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """One real server with the sample graph and keys for every role, shared by the browser tests."""
    from tests.browser import running_workspace

    with running_workspace(tmp_path_factory.mktemp("workspace")) as ws:
        yield ws


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One headless Debian Chromium per test module."""
    from tests.browser import new_browser

    driver = new_browser()
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="session")
def population_home(tmp_path_factory: pytest.TempPathFactory) -> object:
    """A SIGHTLINE_HOME whose embedded store holds a generated population of 10,000 victims
    (``evaluation.sharing_population``); the population (with every raw value) is ``home.population``."""
    from evaluation.sharing_population import generate, load
    from graph.stores.factory import open_store

    home = tmp_path_factory.mktemp("population-home")
    population = generate(10_000)
    store = open_store(home)
    try:
        load(population, store)
    finally:
        store.close()
    return home, population
