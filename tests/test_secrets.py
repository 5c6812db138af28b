"""No built-in secret: the audit, pseudonym and partner-secrets keys come from the environment or from owner-only
files the first process creates in SIGHTLINE_HOME/secrets/, and partners' HMAC secrets are encrypted at rest.

Everything runs for real: ``sightline serve`` on loopback (tests/api_server.py), the ``sightline`` command in
subprocesses, ``api.sqlite`` read with sqlite3, and racing processes on one fresh home.
"""

from __future__ import annotations

import multiprocessing
import re
import sqlite3
import stat
from pathlib import Path

import pytest

from reports.pseudonyms import PERSON_PREFIX, pseudonym
from screening.partner_keys import hash_value
from state.audit import AuditLog
from state.db import ApiDatabase
from state.secrets import WHICH, SecretsError, create_exclusive, path_of, read_secret_file, secret
from state.settings import Settings
from tests.api_server import ROOT, make_key, running, wait_for_job
from tests.screening_helpers import SAMPLES, sightline

# Empty values count as unset: the tests must not pick up keys from the environment they run in.
NO_ENV = {"SIGHTLINE_API_AUDIT_KEY": "", "SIGHTLINE_PSEUDONYM_KEY": "", "SIGHTLINE_PARTNER_SECRETS_KEY": ""}
ENV_AUDIT = "an-audit-key-from-the-environment-0123456789"
PHONE = "+381641234567"
TOKEN = re.compile(rf"\b{PERSON_PREFIX}-[0-9A-F]{{6,10}}\b")


def _settings(home: Path, **values: str) -> Settings:
    return Settings(home=home, **{**{k.removeprefix("SIGHTLINE_").lower(): "" for k in NO_ENV}, **values})


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _files(home: Path) -> dict[str, str]:
    return {which: path_of(home, which).read_text() for which in WHICH}


def _audited_hash(home: Path, route: str) -> str:
    rows = sqlite3.connect(home / "api.sqlite").execute(
        "SELECT params FROM audit WHERE route = ? ORDER BY seq DESC LIMIT 1", (route,)).fetchall()
    return str(re.search(r'"q": "(hmac:[0-9a-f]+)"', rows[0][0]).group(1))  # type: ignore[union-attr]


def test_no_secret_is_built_into_the_code(tmp_path: Path) -> None:
    old_default = "sightline" + "-local"
    hits = [str(p.relative_to(ROOT)) for pattern in ("**/*.py", "**/*.md", "**/*.yml", "**/*.toml", "Dockerfile",
                                                      "Makefile")
            for p in ROOT.glob(pattern)
            if not {".venv", "build", "node_modules", ".git"} & set(p.parts) and old_default in p.read_text("utf-8", "ignore")]
    assert hits == []
    fields = [name for name in Settings.model_fields if name.endswith("_key") and name != "client_api_key"]
    assert sorted(fields) == ["api_audit_key", "export_key", "partner_secrets_key", "pseudonym_key"]
    assert all(Settings.model_fields[name].default is None for name in fields)
    assert not (tmp_path / "secrets").exists()
    # an environment value that could be guessed is refused, naming the variable and never the value
    with pytest.raises(SecretsError, match="SIGHTLINE_PSEUDONYM_KEY is shorter") as refused:
        secret(_settings(tmp_path, pseudonym_key="letmein"), "pseudonym")
    assert "letmein" not in str(refused.value)


def test_a_server_creates_its_keys_once_owner_only_says_so_and_the_environment_overrides(tmp_path: Path) -> None:
    home = tmp_path / "home"
    with running(home, NO_ENV) as server:
        created = _files(home)
        assert _mode(home / "secrets") == 0o700
        assert all(_mode(path_of(home, which)) == 0o600 for which in WHICH)
        assert all(re.fullmatch(r"[0-9a-f]{64}\n", value) for value in created.values())
        assert len(set(created.values())) == len(WHICH)
        with server.as_role("analyst") as analyst:
            assert analyst.get("/v1/entities", params={"q": PHONE}).status_code == 200
        log = server.output()
    assert all(f"{which} key: created {path_of(home, which)}" in log for which in WHICH), log
    assert not any(value.strip() in log for value in created.values())
    db = ApiDatabase(home / "api.sqlite")
    try:  # the audit log's hashes are made under the generated key, not any built-in one
        expected = AuditLog(db, created["audit"].strip()).hash_value(PHONE)
        assert _audited_hash(home, "/v1/entities") == expected
        assert AuditLog(db, "sightline" + "-local").hash_value(PHONE) != expected
    finally:
        db.close()

    with running(home, NO_ENV) as again:  # a second start reuses the files
        log = again.output()  # (each start logs to its own file)
        with again.as_role("analyst") as analyst:
            analyst.get("/v1/entities", params={"q": PHONE})
    assert _files(home) == created
    assert f"audit key: read from {path_of(home, 'audit')}" in log and "key: created" not in log
    assert _audited_hash(home, "/v1/entities") == expected

    with running(home, {**NO_ENV, "SIGHTLINE_API_AUDIT_KEY": ENV_AUDIT}) as overridden:
        with overridden.as_role("analyst") as analyst:
            analyst.get("/v1/entities", params={"q": PHONE})
        log = overridden.output()
    assert "audit key: from the environment (SIGHTLINE_API_AUDIT_KEY)" in log and ENV_AUDIT not in log
    assert _files(home) == created
    db = ApiDatabase(home / "api.sqlite")
    try:
        assert _audited_hash(home, "/v1/entities") == AuditLog(db, ENV_AUDIT).hash_value(PHONE) != expected
    finally:
        db.close()


def _race(home: str, barrier: multiprocessing.synchronize.Barrier, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    barrier.wait()
    settings = _settings(Path(home))
    out.put(tuple(secret(settings, which).value for which in WHICH))


def test_processes_racing_on_a_fresh_home_all_get_the_same_keys(tmp_path: Path) -> None:
    context = multiprocessing.get_context("fork")
    barrier, out = context.Barrier(8), context.Queue()
    workers = [context.Process(target=_race, args=(str(tmp_path), barrier, out)) for _ in range(8)]
    for worker in workers:
        worker.start()
    seen = {out.get(timeout=60) for _ in workers}
    for worker in workers:
        worker.join(30)
        assert worker.exitcode == 0
    assert len(seen) == 1
    assert seen.pop() == tuple(path_of(tmp_path, which).read_text().strip() for which in WHICH)
    assert sorted(p.name for p in (tmp_path / "secrets").iterdir()) == sorted(f"{w}.key" for w in WHICH)  # no temp left
    # and a second creator never overwrites the first
    assert not create_exclusive(path_of(tmp_path, "audit"), "0" * 64)
    assert path_of(tmp_path, "audit").read_text().strip() != "0" * 64


def test_a_damaged_or_loosened_key_file_is_refused_or_tightened(tmp_path: Path) -> None:
    assert sightline(tmp_path, "secrets", "status", env=NO_ENV).returncode == 0
    audit = path_of(tmp_path, "audit")
    audit.chmod(0o644)
    read_secret_file(audit)
    assert _mode(audit) == 0o600
    audit.write_text("victim name, not a key\n")
    done = sightline(tmp_path, "secrets", "status", env=NO_ENV)
    assert done.returncode == 1 and "not a Sightline key file" in done.stderr
    assert "Traceback" not in done.stderr and "victim name" not in done.stderr


def test_partner_secrets_are_encrypted_in_api_sqlite_and_plain_rows_migrate(tmp_path: Path) -> None:
    home = tmp_path / "home"
    listed = tmp_path / "list.csv"
    listed.write_text(f"reference,name,phone\nAG-1,Dragan Kovac,{PHONE}\n", encoding="utf-8")
    assert sightline(home, "watchlist", "import", str(listed), "--category", "recruitment", env=NO_ENV).returncode == 0
    legacy = "ab" * 32  # a secret an earlier version stored in plain text
    db = ApiDatabase(home / "api.sqlite")
    with db.transaction() as tx:
        tx.execute("INSERT INTO partner_secrets VALUES ('Org A', ?, '2024-01-01T00:00:00+00:00')", (legacy,))
    db.close()

    def stored(organisation: str) -> str:
        rows = sqlite3.connect(home / "api.sqlite").execute(
            "SELECT secret FROM partner_secrets WHERE organisation = ?", (organisation,)).fetchall()
        return str(rows[0][0])

    def screened(client: object, secret_hex: str) -> bool:
        response = client.post("/v1/screen/hashed", json={"hashes": [hash_value(bytes.fromhex(secret_hex), "phone", PHONE)]})  # type: ignore[attr-defined]
        assert response.status_code == 200, response.text
        return bool(response.json()["results"][0]["matched"])

    with running(home, NO_ENV) as server, server.as_role("partner") as partner:
        migrated = stored("Org A")
        assert migrated.startswith("enc1:") and legacy not in migrated  # re-encrypted at start
        assert screened(partner, legacy)  # and still the same secret
        created = sightline(home, "partners", "hmac-key", "Bank B", env=NO_ENV)
        assert created.returncode == 0 and "partner-secrets key: read from" in created.stderr
        bank_secret = created.stdout.strip().splitlines()[-1]
        assert stored("Bank B").startswith("enc1:") and bank_secret not in stored("Bank B")
        with server.client(make_key(home, "partner", "Bank B")) as bank:
            assert screened(bank, bank_secret)
            # a row copied to another organisation does not decrypt (the organisation is bound to it): 409, no 500
            with sqlite3.connect(home / "api.sqlite") as raw:
                raw.execute("UPDATE partner_secrets SET secret = ? WHERE organisation = 'Bank B'", (migrated,))
            assert bank.post("/v1/screen/hashed", json={"hashes": ["0" * 64]}).status_code == 409
        # rotating the encryption key stops, changing nothing, while a row does not decrypt
        key_before = path_of(home, "partner-secrets").read_text()
        refused = sightline(home, "secrets", "rotate", "--which", "partner-secrets", env=NO_ENV)
        assert refused.returncode == 1 and "'Bank B' is damaged" in refused.stderr and "Traceback" not in refused.stderr
        assert stored("Org A") == migrated and path_of(home, "partner-secrets").read_text() == key_before
        assert not list((home / "secrets").glob("*.next"))
        assert sightline(home, "partners", "hmac-key", "Bank B", "--rotate", env=NO_ENV).returncode == 0
        # then it re-encrypts every row; the partners' secrets and hashes stay valid
        rotated = sightline(home, "secrets", "rotate", "--which", "partner-secrets", env=NO_ENV)
        assert rotated.returncode == 0, rotated.stderr
        assert stored("Org A").split(":")[1] != migrated.split(":")[1]  # another key's fingerprint
        assert not list((home / "secrets").glob("*.next")) and screened(partner, legacy)
        assert _mode(path_of(home, "partner-secrets")) == 0o600
    # under another key (the variable set to something else) the secret is unreadable: said, not crashed
    with running(home, {**NO_ENV, "SIGHTLINE_PARTNER_SECRETS_KEY": "another-key-0123456789abcdef"}) as server:
        with server.as_role("partner") as partner:
            assert partner.post("/v1/screen/hashed", json={"hashes": ["0" * 64]}).status_code == 409
        log = server.output()
    assert "encrypted under another partner-secrets key" in log and legacy not in log


def test_rotating_the_audit_key_and_refusing_an_environment_key(tmp_path: Path) -> None:
    assert sightline(tmp_path, "secrets", "status", env=NO_ENV).returncode == 0
    before = _files(tmp_path)
    done = sightline(tmp_path, "secrets", "rotate", "--which", "audit", env=NO_ENV)
    assert done.returncode == 0 and "no longer be compared" in done.stdout
    after = _files(tmp_path)
    assert after["audit"] != before["audit"] and after["pseudonym"] == before["pseudonym"]
    assert _mode(path_of(tmp_path, "audit")) == 0o600
    refused = sightline(tmp_path, "secrets", "rotate", "--which", "pseudonym",
                        env={**NO_ENV, "SIGHTLINE_PSEUDONYM_KEY": "a-pseudonym-key-from-the-environment"})
    assert refused.returncode == 1 and "SIGHTLINE_PSEUDONYM_KEY" in refused.stderr
    assert _files(tmp_path)["pseudonym"] == before["pseudonym"]
    assert sightline(tmp_path, "secrets", "rotate", "--which", "nonsense", env=NO_ENV).returncode != 0


def test_report_pseudonyms_use_the_generated_key_in_the_cli_and_the_worker(tmp_path: Path) -> None:
    home, narratives = tmp_path / "home", tmp_path / "narratives"
    narratives.mkdir()
    for path in sorted(SAMPLES.glob("s0[0-1]*.txt")):
        (narratives / path.name).write_text(path.read_text("utf-8"), "utf-8")
    for step in (("ingest", str(narratives)), ("analyse",)):
        done = sightline(home, *step, env=NO_ENV)
        assert done.returncode == 0, done.stderr

    def cli_report(out: str, env: dict[str, str] = NO_ENV) -> set[str]:
        done = sightline(home, "report", "--formats", "md", "-o", str(tmp_path / out), env=env)
        assert done.returncode == 0, done.stderr
        return set(TOKEN.findall((tmp_path / out / "report.md").read_text("utf-8")))

    first, second = cli_report("a"), cli_report("b")
    key = path_of(home, "pseudonym").read_text().strip()
    from graph.stores.factory import open_configured_store

    store = open_configured_store(_settings(home).store_config())
    try:
        expected = {pseudonym(node, key) for node in store.project().nodes}
    finally:
        store.close()
    assert first and first == second and first <= expected
    with running(home, NO_ENV) as server, server.as_role("analyst") as analyst:
        job = analyst.post("/v1/reports", json={"formats": ["md"]}).json()["job_id"]
        assert wait_for_job(analyst, job)["status"] == "done"
        worker_tokens = set(TOKEN.findall(analyst.get(f"/v1/reports/{job}", params={"format": "md"}).text))
    assert worker_tokens and worker_tokens <= expected and worker_tokens & first
    other = cli_report("c", {**NO_ENV, "SIGHTLINE_PSEUDONYM_KEY": "another-pseudonym-key-0123456789"})
    assert other and not other & first
