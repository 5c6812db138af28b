"""FollowTheMoney interchange on the real sample graph (real spaCy, real SQLite store): every exported line is a
valid FtM entity, a revealed export imported into an empty store gives the same graph, a default export
imported gives a graph of the same shape and holds no victim's name, phone or e-mail, and hostile files
are refused with a clear error and change nothing. Also the screening list import, now read with FtM.

"The same graph" (revealed): the empty store's ``dump()`` after the import equals the source store's
``dump()`` record for record: every node (id, label, name, all props), every narrative record (source id,
node, content hash, ingestion time), every relationship (id, type, endpoints, props, every evidence with
its narrative, span, confidence and sentence) and the merge map.
"The same shape" (pseudonymised): an explicit isomorphism: each node maps, through its FtM id, to exactly
one imported node of the same label, and the relationships map onto one another with the same type, the
same mapped endpoints and the same number of narratives behind each.
"""

from __future__ import annotations

import io
import json
import shutil
import tracemalloc
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from followthemoney import model

from graph import model as m
from graph.pipeline.ingest import ingest
from graph.stores.factory import open_store
from graph.stores.protocol import GraphStore
from intake.sources import open_source
from nlp import Extractor
from screening.lists import ImportFileError, parse_file
from sharing.disclosure import disclosure
from sharing.ftm_export import FtmExportError, export_ftm, export_ftm_file
from sharing.ftm_import import import_ftm_file, read_ftm
from sharing.ftm_mapping import TOKEN_KIND
from sharing.ftm_read import FtmFileError, check_entity
from sharing.pseudonyms import Pseudonymiser
from tests.screening_helpers import SAMPLES, sightline

KEY = Pseudonymiser.from_secret("a test export key of enough length")


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory, extractor: Extractor) -> Iterator[GraphStore]:
    store = open_store(tmp_path_factory.mktemp("source"))
    report = ingest(open_source(SAMPLES).submissions(200_000), store, extractor, batch_size=16)
    assert len(report.written) == 64
    yield store
    store.close()


@pytest.fixture(scope="module")
def exports(source: GraphStore, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("exports")
    paths = {"default": folder / "default.ftm.jsonl", "revealed": folder / "revealed.ftm.jsonl"}
    assert export_ftm_file(source, paths["default"], KEY) > 0
    assert export_ftm_file(source, paths["revealed"], KEY, reveal=True) > 0
    return paths


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def dump(store: GraphStore) -> list[str]:
    return sorted(json.dumps(r, sort_keys=True, ensure_ascii=False) for r in store.dump())


def test_every_exported_line_is_a_valid_ftm_entity(source: GraphStore, exports: dict[str, Path]) -> None:
    stats = source.stats()
    for mode, path in exports.items():
        entities = lines(path)
        assert len(entities) == stats["total_nodes"] + stats["total_relationships"], mode
        assert len({e["id"] for e in entities}) == len(entities)
        for data in entities:
            proxy = model.get_proxy(data, cleaned=False)  # FtM re-cleans every value from scratch
            proxy.schema.validate(data)
            assert proxy.to_dict()["properties"] == data["properties"], (mode, data["schema"])  # nothing dropped
            assert check_entity(data) == []
        schemata = Counter(e["schema"] for e in entities)
        for schema in ("Person", "Organization", "Company", "Address", "BankAccount", "CryptoWallet", "UserAccount",
                       "PlainText", "Associate", "Employment", "Payment", "Ownership", "UnknownLink"):
            assert schemata[schema] > 0, (mode, schema)


def test_ids_are_keyed_pseudonyms_stable_under_one_key(source: GraphStore, exports: dict[str, Path]) -> None:
    again, other = io.StringIO(), io.StringIO()
    export_ftm(source, again, KEY)
    export_ftm(source, other, Pseudonymiser.from_secret("another export key, another recipient"))
    assert again.getvalue() == exports["default"].read_text(encoding="utf-8")  # byte for byte
    first = {e["id"] for e in lines(exports["default"])}
    assert first.isdisjoint(json.loads(line)["id"] for line in other.getvalue().splitlines())
    text = exports["default"].read_text(encoding="utf-8")
    assert "person:" not in text and "phone:" not in text and "location:" not in text  # no Sightline id


def test_revealed_export_imports_as_the_same_graph(source: GraphStore, exports: dict[str, Path],
                                                    tmp_path: Path) -> None:
    target = open_store(tmp_path / "target")
    try:
        imported = import_ftm_file(target, exports["revealed"])
        assert target.stats() == source.stats()
        assert dump(target) == dump(source)  # see the module docstring: record for record
        assert imported.nodes == source.stats()["total_nodes"]
    finally:
        target.close()


def test_phones_and_emails_are_properties_of_their_users(exports: dict[str, Path], source: GraphStore) -> None:
    by_id = {e["id"]: e for e in lines(exports["revealed"])}
    G = source.project()
    uses = [(u, v) for u, v, d in G.edges(data=True) if d["type"] in (m.USES_PHONE, m.USES_EMAIL)]
    assert uses
    for user, identifier in uses:
        entity = by_id[KEY.token(TOKEN_KIND[G.nodes[user]["label"]], user)]
        values = entity["properties"].get("phone", []) + entity["properties"].get("email", [])
        assert G.nodes[identifier]["name"] in values, (user, identifier)
    nobody = [n for n, d in G.nodes(data=True) if d["label"] == m.PHONE and not any(
        G.edges[e]["type"] == m.USES_PHONE for e in G.in_edges(n, keys=True))]
    for phone in nobody:  # a number nobody is known to use is still there, as a UserAccount
        assert by_id[KEY.token("phone", phone)]["schema"] == "UserAccount"


def test_default_export_imports_as_a_graph_of_the_same_shape(source: GraphStore, exports: dict[str, Path],
                                                              tmp_path: Path) -> None:
    target = open_store(tmp_path / "target")
    try:
        imported = import_ftm_file(target, exports["default"])
        original, copy = source.project(), target.project()
        mapping = {n: imported.node_of[KEY.token(TOKEN_KIND[d["label"]], n)] for n, d in original.nodes(data=True)}
        assert len(set(mapping.values())) == original.number_of_nodes() == copy.number_of_nodes()
        assert all(copy.nodes[mapping[n]]["label"] == d["label"] for n, d in original.nodes(data=True))

        def edges(G: Any, rename: dict[str, str]) -> Counter:
            return Counter((d["type"], rename.get(u, u), rename.get(v, v), len(d["narratives"]))
                           for u, v, d in G.edges(data=True))

        assert edges(original, mapping) == edges(copy, {})
        assert target.stats()["narratives"] == source.stats()["narratives"]
        hidden = [n for n, d in original.nodes(data=True) if d["label"] == m.PERSON and "victim" in d["roles"]]
        assert hidden and all(copy.nodes[mapping[n]]["name"] == KEY.token("person", n) for n in hidden)
    finally:
        target.close()


def _victim_values(store: GraphStore) -> set[str]:
    """Every name, alias, phone and e-mail of a person with a victim role, and every evidence sentence; less
    the few that are part of a shown name (the samples have a victim "Andi" and a recruiter "Andi", a victim
    alias "Varga" and a controller "Tomas Varga", a "person" named like the shown Gangmasters and Labour
    Abuse Authority: the shown name is the same string)."""
    G = store.project()
    policy = disclosure(G)
    raw: set[str] = set()
    victims = [n for n, d in G.nodes(data=True) if d["label"] == m.PERSON and "victim" in d["roles"]]
    for person in victims:
        raw |= {G.nodes[person]["name"], *G.nodes[person].get("aliases", [])}
        for _, target, d in G.out_edges(person, data=True):
            if d["type"] in (m.USES_PHONE, m.USES_EMAIL):
                raw.add(G.nodes[target]["name"])
    raw = {v for v in raw if len(v) >= 4}  # "Ana" would match anywhere
    raw |= {e["sentence"] for _, _, d in G.edges(data=True) for e in d["evidence"] if len(e["sentence"]) > 30}
    shown = {d["name"] for n, d in G.nodes(data=True) if policy.reveal(n)}  # (a mention's "sentence" is its name)
    return {v for v in raw if not any(v in name for name in shown)}


def test_default_export_holds_no_victim_value_and_no_sentence(source: GraphStore, exports: dict[str, Path]) -> None:
    raw = _victim_values(source)
    assert len(raw) > 100
    default = exports["default"].read_text(encoding="utf-8")
    escaped = json.dumps(default)  # values inside the JSON notes are escaped twice
    leaked = [v for v in raw if v in default or json.dumps(v)[1:-1] in default or v in escaped]
    assert leaked == []
    revealed = exports["revealed"].read_text(encoding="utf-8")
    assert sum(1 for v in raw if json.dumps(v, ensure_ascii=False)[1:-1] in revealed) > 100  # the test can fail
    policy = disclosure(source.project())
    shown = [d["name"] for n, d in source.project().nodes(data=True) if d["label"] == m.PERSON and policy.reveal(n)]
    assert shown and all(json.dumps(name, ensure_ascii=False) in default for name in shown)


def test_empty_graph_is_refused_and_writes_no_file(tmp_path: Path) -> None:
    store = open_store(tmp_path / "empty")
    try:
        with pytest.raises(FtmExportError, match="empty"):
            export_ftm_file(store, tmp_path / "out.jsonl", KEY)
        assert not (tmp_path / "out.jsonl").exists() and not list(tmp_path.glob(".out.jsonl.*"))
    finally:
        store.close()


SECRET = "Ioana Secretname"


def _hostile(tmp_path: Path, good: list[str]) -> dict[str, tuple[Path, str]]:
    def write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text("\n".join(good) + "\n" + text + "\n", encoding="utf-8")
        return path

    person = {"id": "person-aaaaaaaaaaaaaaaa", "schema": "Person", "properties": {"name": [SECRET]}}
    return {
        "schema": (write("schema.jsonl", json.dumps({**person, "schema": "Persn"})), "unknown schema 'Persn'"),
        "property": (write("property.jsonl", json.dumps({**person, "properties": {"name": [SECRET],
                                                                                   "hairColour": ["red"]}})),
                     "Person has no property 'hairColour'"),
        "value": (write("value.jsonl", json.dumps({**person, "properties": {"name": ["x"], "phone": [SECRET]}})),
                  "Person.phone: 1 value(s) not a valid phone"),
        "json": (write("json.jsonl", '{"id": "x", "schema": "Person", "properties": {"name": ["' + SECRET + '"]'),
                 "not valid JSON"),
        "unmapped": (write("sanction.jsonl", json.dumps({"id": "s1", "schema": "Sanction",
                                                          "properties": {"entity": ["x"], "program": [SECRET]}})),
                     "a Sanction has no place in the graph"),
        "dangling": (write("link.jsonl", json.dumps({"id": "l1", "schema": "UnknownLink", "properties": {
            "subject": ["person-aaaaaaaaaaaaaaab"], "object": ["nobody-here"], "role": ["RECRUITED"]}})),
                     "links an entity that is not in the file"),
    }


def test_hostile_ftm_files_are_refused_and_change_nothing(exports: dict[str, Path], tmp_path: Path) -> None:
    store = open_store(tmp_path / "store")
    good = exports["revealed"].read_text(encoding="utf-8").splitlines()[:200]  # nodes only: no dangling link
    try:
        (tmp_path / "good.jsonl").write_text("\n".join(good) + "\n", encoding="utf-8")
        import_ftm_file(store, tmp_path / "good.jsonl")
        before, stats = dump(store), store.stats()
        assert stats["total_nodes"] == 200
        for case, (path, message) in _hostile(tmp_path, good).items():
            with pytest.raises(FtmFileError) as refused:
                import_ftm_file(store, path)
            text = str(refused.value)
            assert message in text and "nothing was imported" in text, (case, text)
            assert SECRET not in text, case  # never echoes a value
            assert "line 201" in text or case == "dangling", (case, text)
        assert dump(store) == before and store.stats() == stats
    finally:
        store.close()


def _huge_line(path: Path, megabytes: int) -> None:
    """A ``megabytes`` MB line, written in 1 MB pieces (never held whole)."""
    piece = "a" * (1 << 20)
    with path.open("w", encoding="utf-8") as out:
        out.write('{"id": "p1", "schema": "Person", "properties": {"name": ["')
        for _ in range(megabytes):
            out.write(piece)
        out.write('"]}}\n')


def test_a_100_mb_line_is_refused_reading_at_most_1_mb(tmp_path: Path) -> None:
    path = tmp_path / "huge.jsonl"
    _huge_line(path, 100)
    assert path.stat().st_size > 100 << 20
    tracemalloc.start()
    try:
        with pytest.raises(FtmFileError, match="line 1: longer than 1 MB"):
            read_ftm(path)
        with pytest.raises(ImportFileError, match="line 1: longer than 1 MB"):
            parse_file(path.rename(tmp_path / "huge.ftm"), "huge", "sanctions", "r")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 << 20, peak  # the line was not read whole


def test_cli_imports_ftm_and_refuses_a_hostile_file(exports: dict[str, Path], tmp_path: Path) -> None:
    home = tmp_path / "home"
    bad = tmp_path / "bad.jsonl"
    shutil.copy(exports["default"], bad)
    with bad.open("a", encoding="utf-8") as out:
        out.write(json.dumps({"id": "x1", "schema": "Person", "properties": {"name": [SECRET], "shoeSize": ["9"]}}) + "\n")
    refused = sightline(home, "import", "--format", "ftm", str(bad))
    assert refused.returncode == 2 and "has no property 'shoeSize'" in refused.stderr, refused.stderr
    assert "nothing was imported" in refused.stderr and SECRET not in refused.stderr
    assert "Traceback" not in refused.stderr
    assert _empty(home)
    done = sightline(home, "import", "--format", "ftm", str(exports["default"]))
    assert done.returncode == 0, done.stderr
    assert "imported" in done.stderr and "FtM entities" in done.stderr
    assert not _empty(home)
    unknown = sightline(home, "import", "--format", "xml", str(exports["default"]))
    assert unknown.returncode == 2 and "unknown import format" in unknown.stderr


def _empty(home: Path) -> bool:
    store = open_store(home)
    try:
        return store.stats()["total_nodes"] == 0
    finally:
        store.close()


def test_screening_lists_are_read_strictly_with_followthemoney(tmp_path: Path) -> None:
    records = [
        {"id": "p1", "schema": "Person", "properties": {"name": ["Olena Marchenko"], "weakAlias": ["Lena"],
                                                         "abbreviation": ["O.M."], "citizenship": ["ua"],
                                                         "phone": ["067 123 4567"], "email": ["olena@example.org"]}},
        {"id": "s1", "schema": "Sanction", "properties": {"entity": ["p1"], "program": ["X"]}},
    ]
    path = tmp_path / "list.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    parsed = parse_file(path, "agency", "sanctions", "listed")
    [entity] = parsed.entities
    assert entity.name == "Olena Marchenko" and set(entity.aliases) == {"Lena", "O.M."}
    assert entity.country == "UA" and entity.identifiers["phone"] == ("067 123 4567",)  # national, with the country
    assert parsed.ignored == 1
    records += [{"id": "p2", "schema": "Person", "properties": {"name": [SECRET], "shoeSize": ["9"]}},
                {"id": "p3", "schema": "Persn", "properties": {"name": [SECRET]}},
                {"id": "p4", "schema": "Person", "properties": {"name": ["X"], "birthDate": [SECRET]}}]
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    with pytest.raises(ImportFileError) as refused:
        parse_file(path, "agency", "sanctions", "listed")
    text = str(refused.value)
    for expected in ("line 3: Person has no property 'shoeSize'", "line 4: unknown FollowTheMoney schema 'Persn'",
                     "line 5: Person.birthDate: 1 value(s) not a valid date"):
        assert expected in text, text
    assert SECRET not in text
