"""The pure parts of the joint computations: tables, polynomials, the restricted unpickler, party lists."""

from __future__ import annotations

import os
import pickle

import numpy as np
import pytest

from multiparty import fields, matching, tables
from multiparty.parties import PartyError, federation
from multiparty.runtime import restricted_loads


def test_the_tables_hold_every_identifier_once_in_cuckoo_and_three_times_in_simple() -> None:
    keys = [f"phone:+4072{i:07d}" for i in range(500)]
    built = tables.build(keys, index=1, parties=3, capacity=600, salt="s")
    assert built.size == 500 and sorted(k for k in built.keys if k) == sorted(keys)
    real = built.simple < fields.real_modulus(3)
    for b, key in enumerate(built.keys):
        if key is not None:  # the cuckoo bin's fingerprint is in the same bin of the simple table
            assert built.cuckoo[b] in built.simple[b]
    assert real.sum() <= 3 * 500
    assert set(np.unique(built.simple[~real])) == {fields.simple_dummy(1, 3)}


def test_a_set_over_the_capacity_is_refused_without_naming_an_identifier() -> None:
    with pytest.raises(tables.TableError) as caught:
        tables.build([f"email:a{i}@x.org" for i in range(11)], index=0, parties=3, capacity=10, salt="s")
    assert "11 identifiers exceed the agreed capacity of 10" in str(caught.value) and "@" not in str(caught.value)


def test_slot_counts_grow_slowly_with_capacity() -> None:
    assert [tables.n_slots(c) for c in (100, 10_000, 1_000_000)] == sorted(tables.n_slots(c) for c in
                                                                            (100, 10_000, 1_000_000))
    assert tables.n_slots(1_000_000) <= 20


def test_dummies_never_equal_a_fingerprint_or_each_other() -> None:
    m = 5
    values = {fields.cuckoo_dummy(i, m) for i in range(m)} | {fields.simple_dummy(i, m) for i in range(m)}
    assert len(values) == 2 * m and min(values) >= fields.real_modulus(m) and max(values) < fields.PRIME


def test_the_flag_polynomial_takes_the_right_values() -> None:
    p = fields.PRIME
    for m in (3, 5, 8):
        for at_least in range(2, m + 1):
            points = list(range(m))
            wanted = [int(c + 1 >= at_least) for c in points]
            coefficients = matching.lagrange(wanted, points, p)
            assert [sum(c * x ** k for k, c in enumerate(coefficients)) % p for x in points] == wanted


def test_the_unpickler_rebuilds_share_arrays_and_refuses_anything_else() -> None:
    shares = np.array([1, 2**40, 3], dtype=object)
    assert list(restricted_loads(pickle.dumps(shares))) == [1, 2**40, 3]
    assert restricted_loads(pickle.dumps(np.arange(4))).tolist() == [0, 1, 2, 3]

    class Exploit:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return os.system, ("echo owned",)

    with pytest.raises(pickle.UnpicklingError):
        restricted_loads(pickle.dumps(Exploit()))


def test_party_lists_are_checked_before_anything_connects() -> None:
    with pytest.raises(PartyError, match="at least 3 parties"):
        federation(["127.0.0.1:5000", "127.0.0.1:5001"], 0)
    with pytest.raises(PartyError, match="--index"):
        federation(["a:1", "b:2", "c:3"], 3)
    with pytest.raises(PartyError, match="HOST:PORT"):
        federation(["a:1", "b", "c:3"], 0)
    fed = federation(["10.0.0.1:7000", "10.0.0.2:7000", "example.org:7000"], 2)
    assert fed.threshold == 1 and fed.bind == "0.0.0.0"
    assert federation(["10.0.0.1:7000", "10.0.0.2:7000", "10.0.0.3:7000"], 1).bind == "10.0.0.2"
