"""Joint computations between three organisations, each a separate ``sightline mpc`` process on loopback
with its own Sightline home: its own graph (a generated population of victims), its own imported list of
flagged entities written as a CSV file. The lists are designed so that the true overlaps are known by
construction (and written differently in each file, so normalisation is exercised); the statistics are
checked against the same table computed in the clear on the pooled cases.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.api_server import free_port

ROOT = Path(__file__).resolve().parents[1]
IBANS = ("GB82WEST12345698765432", "DE89370400440532013000", "FR1420041010050500013M02606")
WALLET = "0x52908400098527886e0f7030069857d2e4169ee7"
HEADER = "reference,name,phone,email,iban,wallet"


def _rows(index: int, victim_phone: str) -> list[str]:
    """Party ``index``'s list. By construction: all three share 4 phones, 1 IBAN and 1 name; parties 0 and 1
    share 3 e-mails; 0 and 2 share 2 phones; 1 and 2 a wallet and a name; each has 20 phones of its own.
    Party 1 also lists a phone that is a *victim's* in party 0's graph: party 0's victim rule withholds it
    from its own list, so it must never be counted."""
    spelt = ("+40 722 111 1{:02d}", "0040722111 1{:02d}", "+40-722-111-1{:02d}")[index]
    rows = [f"common-{j},,{spelt.format(j)},,," for j in range(4)]
    rows.append(f"common-iban,,,,{IBANS[0] if index != 1 else 'gb82 west 1234 5698 7654 32'},")
    rows.append("common-name," + ("Ion Popescu", "POPESCU Ión", "popescu ion")[index] + ",,,,")
    if index in (0, 1):
        rows += [f"pair01-{j},,,{'Recruiter' if index else 'recruiter'}{j}@example.org,," for j in range(3)]
    if index in (0, 2):
        rows += [f"pair02-{j},,+39 333 000 00{j},,," for j in range(2)]
    if index in (1, 2):
        rows.append(f"pair12-wallet,,,,,{WALLET if index == 1 else WALLET.upper().replace('0X', '0x')}")
        rows.append("pair12-name," + ("Mara Lungu" if index == 1 else "Lungu Mara") + ",,,,")
    rows += [f"own-{j},,+4073{index}{j:06d},,," for j in range(20)]
    if index:
        rows.append(f"own-iban,,,,{IBANS[index]},")
    if index == 0:
        rows.append(f"victim,,{victim_phone},,,")  # withheld by the victim rule: the phone is a victim's here
    if index == 1:
        rows.append(f"victim-elsewhere,,{victim_phone},,,")
    return rows


@pytest.fixture(scope="module")
def homes(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    from evaluation.sharing_population import generate, load
    from graph.stores.factory import open_store
    from screening.lists import FlaggedLists, parse_file
    from state.db import ApiDatabase

    base = tmp_path_factory.mktemp("mpc")
    populations = [generate(240, seed=190 + i, refused_share=0.0) for i in range(3)]
    victim_phone = min(populations[0].secrets["phone"])
    out: list[Path] = []
    for i, population in enumerate(populations):
        home = base / f"party{i}"
        home.mkdir()
        store = open_store(home)
        try:
            load(population, store)
        finally:
            store.close()
        listing = home / "flagged.csv"
        listing.write_text("\n".join([HEADER, *_rows(i, victim_phone)]) + "\n", encoding="utf-8")
        parsed = parse_file(listing, "flagged", "recruitment", "test list", None, "person", False)
        db = ApiDatabase(home / "api.sqlite")
        try:
            FlaggedLists(db).replace("flagged", "recruitment", listing.name, parsed.entities, "test")
        finally:
            db.close()
        out.append(home)
    return out


def _start(home: Path, index: int, ports: list[int], *args: str, env: dict[str, str] | None = None,
           parties: int = 3) -> subprocess.Popen[str]:
    cmd = [sys.executable, "-m", "cli.main", "mpc", *args, "--index", str(index)]
    for port in ports[:parties]:
        cmd += ["--party", f"127.0.0.1:{port}"]
    return subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "SIGHTLINE_HOME": str(home), "COLUMNS": "200", **(env or {})})


def test_analysis_marks_bring_the_exploiters_and_never_a_victim(homes: list[Path]) -> None:
    """What a party may bring from its own graph: recruiters' phones with --analysis-marks, never a victim's."""
    from graph.analysis._common import is_victim
    from graph.stores.factory import open_store
    from multiparty.inputs import flagged_identifiers, name_key
    from screening.flagged import GraphFacts
    from state.settings import Settings

    settings = Settings(home=homes[0])
    plain = flagged_identifiers(settings)
    marked = flagged_identifiers(settings, analysis_marks=True)
    store = open_store(homes[0])
    try:
        facts = GraphFacts.read(store)
    finally:
        store.close()
    victims = {f"{kind}:{key}" for kind, key in facts.victim_keys}
    victims |= {f"name:{name_key(data.get('name', ''))}" for _, data in facts.graph.nodes(data=True)
                if is_victim(data)}
    assert len(victims) >= 480 and not (marked & victims) and not (plain & victims)
    assert len(marked - plain) >= 10 and all(k.startswith(("phone:+4474", "name:")) for k in marked - plain)


def _run_all(homes: list[Path], *args: str, per_party: dict[int, list[str]] | None = None,
             env: dict[str, str] | None = None, outputs: bool = True) -> list[tuple[int, str, Path]]:
    ports = [free_port() for _ in homes]
    procs = []
    for i, home in enumerate(homes):
        extra = [*args, *(per_party or {}).get(i, [])]
        if outputs:
            extra += ["--output", str(home / f"result-{args[0]}.json")]
        procs.append(_start(home, i, ports, *extra, env=env))
    results = []
    for i, proc in enumerate(procs):
        _, err = proc.communicate(timeout=300)
        results.append((proc.returncode, err, homes[i] / f"result-{args[0]}.json"))
    return results


def _result(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_overlap_counts_are_exact_and_only_your_own_identifiers_come_back(homes: list[Path],
                                                                           tmp_path: Path) -> None:
    from multiparty.inputs import flagged_identifiers
    from state.settings import Settings

    tls_dirs = _certificates(tmp_path)
    runs = _run_all(homes, "overlap", "--capacity", "64", "--salt", "test-overlap",
                    per_party={i: ["--tls-dir", str(tls_dirs[i])] for i in range(3)},
                    env={"SIGHTLINE_MPC_REVEAL_OVERLAP": "true"})
    assert [code for code, _, _ in runs] == [0, 0, 0], [err[-600:] for _, err, _ in runs]
    results = [_result(path)["result"] for _, _, path in runs]
    assert all(r["pairs"] == results[0]["pairs"] and r["all_parties"] == results[0]["all_parties"] for r in results)
    pairs = {tuple(p["parties"]): p for p in results[0]["pairs"]}
    assert pairs[(0, 1)]["total"] == 9 and pairs[(0, 1)]["by_kind"]["email"] == 3  # the victim's phone: not counted
    assert pairs[(0, 2)]["total"] == 8 and pairs[(0, 2)]["by_kind"]["phone"] == 6
    assert pairs[(1, 2)]["total"] == 8 and pairs[(1, 2)]["by_kind"] == {"phone": 4, "email": 0, "iban": 1,
                                                                         "wallet": 1, "name": 2}
    assert results[0]["all_parties"]["by_kind"] == {"phone": 4, "email": 0, "iban": 1, "wallet": 0, "name": 1}

    sets = [flagged_identifiers(Settings(home=home)) for home in homes]
    for i, result in enumerate(results):
        assert result["which_ones"] is True
        shared = result["shared_with"]
        assert set(shared) <= sets[i]  # a party learns about its own identifiers only
        for key, others in shared.items():
            assert others == sorted(j for j in range(3) if j != i and key in sets[j])
    # Nothing a party does not hold reaches it: not in its result, not on its terminal.
    for i, (_, err, path) in enumerate(runs):
        seen = path.read_text(encoding="utf-8") + err
        foreign = set().union(*(sets[j] for j in range(3) if j != i)) - sets[i]
        leaked = [key for key in foreign if key.split(":", 1)[1] in seen]
        assert leaked == []


def test_without_every_opt_in_only_counts_are_released(homes: list[Path]) -> None:
    runs = _run_all(homes, "overlap", "--capacity", "64", "--salt", "test-opt-in",
                    per_party={0: [], 1: [], 2: []}, env=None)
    assert [code for code, _, _ in runs] == [0, 0, 0], [err[-600:] for _, err, _ in runs]
    for _, _, path in runs:
        result = _result(path)["result"]
        assert result["which_ones"] is False and "shared_with" not in result
        assert result["all_parties"]["total"] == 6


def test_key_actors_tell_each_party_only_its_own(homes: list[Path]) -> None:
    from multiparty.inputs import flagged_identifiers
    from state.settings import Settings

    runs = _run_all(homes, "key-actors", "--min-orgs", "3", "--capacity", "64", "--salt", "test-key-actors")
    assert [code for code, _, _ in runs] == [0, 0, 0], [err[-600:] for _, err, _ in runs]
    sets = [flagged_identifiers(Settings(home=home)) for home in homes]
    common = sets[0] & sets[1] & sets[2]
    assert len(common) == 6
    for _, _, path in runs:
        result = _result(path)["result"]
        assert result["distinct_key_actors"] == 6
        assert set(result["yours"]) == common


def test_joint_statistics_equal_the_pooled_table_with_small_cells_suppressed(homes: list[Path]) -> None:
    from multiparty import joint_stats
    from multiparty.inputs import victim_cases
    from state.settings import Settings

    countries = "RO,NG,VN,AL,PL,GB,IT,DE,FR,AT"
    runs = _run_all(homes, "stats", "--by", "origin,destination", "--countries", countries)
    assert [code for code, _, _ in runs] == [0, 0, 0], [err[-600:] for _, err, _ in runs]
    table = joint_stats.domain(["origin", "destination"], countries=countries.split(","), years=(2018, 2026))
    counts = [joint_stats.local_counts(victim_cases(Settings(home=home)), table) for home in homes]
    expected = joint_stats.expected_table(counts, table, 11)
    assert 0 < len(expected["published"]) < table.cells - 100  # the data gives both kinds of cell
    for home, (_, _, path) in zip(homes, runs):
        result = _result(path)["result"]
        assert result.pop("your_cases") == len(victim_cases(Settings(home=home)))
        assert result == expected
    # every published cell has at least k victims beyond its largest contributor; no suppressed total is shown
    for cell in expected["published"]:
        assert cell["victims"] >= 11


def test_a_party_that_never_joins_stops_the_others_with_nothing_written(homes: list[Path]) -> None:
    ports = [free_port() for _ in homes]
    procs = [_start(homes[i], i, ports, "overlap", "--capacity", "64", "--timeout", "6",
                    "--output", str(homes[i] / "never.json")) for i in range(2)]
    began = time.monotonic()
    outs = [p.communicate(timeout=60) for p in procs]
    assert time.monotonic() - began < 30
    for proc, (_, err) in zip(procs, outs):
        assert proc.returncode == 1
        # party 2 never came; under load the other one may also not have connected yet: both are named
        assert re.search(r"(party 2|parties [0-9, ]*2) did not join within 6 s", err) and "Traceback" not in err
    assert not any((home / "never.json").exists() for home in homes)


def test_a_party_whose_input_does_not_fit_is_refused_before_anything_is_shared(homes: list[Path]) -> None:
    runs = _run_all(homes, "overlap", "--capacity", "64", outputs=False,
                    per_party={0: ["--salt", "one"], 1: ["--salt", "one"], 2: ["--salt", "another"]})
    # party 2's session salt differs: named as a disagreement (no data moved)
    assert [code for code, _, _ in runs] == [1, 1, 1]
    assert all("do not agree on salt;" in err for _, err, _ in runs), runs[0][1][-400:]
    runs = _run_all(homes, "overlap", "--capacity", "32", "--salt", "test-refusal", outputs=False)
    assert [code for code, _, _ in runs] == [1, 1, 1]
    for _, err, _ in runs:  # party 1 brings 33 identifiers, the others 31
        assert "party 1 refused its input before anything was shared" in err and "Traceback" not in err
    assert "exceed the agreed capacity of 32" in runs[1][1] and "capacity of 32" not in runs[0][1]


def test_a_party_that_drops_out_stops_the_others_at_once(homes: list[Path]) -> None:
    ports = [free_port() for _ in homes]
    args = ("overlap", "--capacity", "40000", "--salt", "test-drop", "--timeout", "120")
    procs = [_start(homes[i], i, ports, *args, "--output", str(homes[i] / "dropped.json")) for i in range(3)]
    assert procs[2].stderr is not None
    for line in procs[2].stderr:  # wait until the computation itself is under way, then kill party 2
        if "computing overlap" in line:
            break
    time.sleep(1.0)
    procs[2].kill()
    began = time.monotonic()
    outs = [p.communicate(timeout=120) for p in procs[:2]]
    assert time.monotonic() - began < 60  # well within the timeout: the drop is noticed, not waited out
    for proc, (_, err) in zip(procs[:2], outs):
        assert proc.returncode == 1, err[-400:]
        assert "party 2 dropped out during the computation" in err and "Traceback" not in err
    assert not any((home / "dropped.json").exists() for home in homes)


def test_a_party_that_stalls_stops_the_others_after_the_timeout_of_silence(homes: list[Path]) -> None:
    import signal

    ports = [free_port() for _ in homes]
    args = ("overlap", "--capacity", "20000", "--salt", "test-stall", "--timeout", "3")
    procs = [_start(homes[i], i, ports, *args, "--output", str(homes[i] / "stalled.json")) for i in range(3)]
    assert procs[2].stderr is not None
    for line in procs[2].stderr:
        if "computing overlap" in line:
            break
    procs[2].send_signal(signal.SIGSTOP)  # frozen, connections still open: only silence tells
    try:
        began = time.monotonic()
        outs = [p.communicate(timeout=120) for p in procs[:2]]
        assert time.monotonic() - began < 60
    finally:
        procs[2].kill()
        procs[2].wait()
    errors = [err for _, err in outs]
    assert [p.returncode for p in procs[:2]] == [1, 1], [e[-400:] for e in errors]
    assert all("Traceback" not in e for e in errors)
    # the first to notice the silence stops; the other then sees it leave
    assert any("no party sent anything for 3 s during the computation" in e for e in errors)
    assert all("no party sent anything" in e or "dropped out during the computation" in e for e in errors)
    assert not any((home / "stalled.json").exists() for home in homes)


def test_a_party_with_a_certificate_from_another_authority_is_refused(homes: list[Path], tmp_path: Path) -> None:
    dirs = _certificates(tmp_path / "good")
    rogue = _certificates(tmp_path / "rogue")
    per_party = {0: ["--tls-dir", str(dirs[0])], 1: ["--tls-dir", str(dirs[1])], 2: ["--tls-dir", str(rogue[2])]}
    runs = _run_all(homes, "overlap", "--capacity", "64", "--timeout", "3", per_party=per_party, outputs=False)
    assert [code for code, _, _ in runs] == [1, 1, 1]
    assert all("Traceback" not in err for _, err, _ in runs)
    assert "TLS handshake" in runs[2][1] or "did not join" in runs[2][1]


def _certificates(base: Path) -> list[Path]:
    from multiparty import tls

    ca_dir = base / "ca"
    tls.create_ca(ca_dir)
    out = []
    for i in range(3):
        party = base / f"tls{i}"
        tls.create_request(party, i)
        tls.sign_request(ca_dir, party / "party.csr", i, party / "party.crt")
        tls.copy_ca_cert(ca_dir, party)
        out.append(party)
    return out


def test_five_parties_publish_only_cells_that_any_two_of_them_cannot_subtract_down_below_k() -> None:
    """With five parties two may collude (t = 2): a cell needs k victims beyond its two largest contributors
    (the parties' counts are sorted inside the computation)."""
    ports = ",".join(str(free_port()) for _ in range(5))
    procs = [subprocess.Popen([sys.executable, "-m", "tests.mpc_stats_party", str(i), ports], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for i in range(5)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * 5, [err[-400:] for _, err in outs]
    lines = {out.strip() for out, _ in outs}
    assert len(lines) == 1
    equal, published, suppressed = lines.pop().split()
    assert equal == "True" and int(published) > 0 and int(suppressed) > 0
