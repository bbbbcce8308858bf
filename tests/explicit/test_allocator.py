"""specs/examples/allocator.spec, the simple allocator of the TLA+ examples: the classic that
needs set-valued constants, `subset`/`subseteq`, `choose` and `enabled`. States, depth and every
verdict on both explicit engines and in the reference interpreter and its liveness judge; the
properties can fail (variants without strong fairness or without the `available` check); and
`--const` on Clients/Resources changes the state count and the quantified properties follow."""

from __future__ import annotations

import os
from typing import Mapping, Optional

import pytest

from checker import api
from checker.explicit.search import SearchOptions
from checker.ir.kinds import PropertyKind, Status
from tests import reference_interpreter as ref
from tests import reference_liveness as live
from tests.conftest import engine_params
from tests.explicit.test_reference_semantics import agree_on_temporal

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ALLOCATOR = os.path.join(ROOT, "specs", "examples", "allocator.spec")
PROPERTIES = ["TypeOK", "Mutex", "SingleOwner", "Deadlock", "AllocateEnabled",
              "ClientsWillReturn", "ClientsWillObtain", "InfOftenSatisfied"]


def check(path: str = ALLOCATOR, consts: Optional[Mapping[str, str]] = None,
          engine: str = "tuple") -> api.CheckResult:
    return api.check(path, consts, options=SearchOptions(keep_going=True, engine=engine))


def variant(tmp_path: object, old: str, new: str) -> str:
    with open(ALLOCATOR, encoding="utf-8") as handle:
        text = handle.read()
    assert old in text
    path = os.path.join(str(tmp_path), "allocator_variant.spec")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text.replace(old, new))
    return path


def expected_states(clients: int, resources: int) -> int:
    """Each resource independently: every client awaits it or not, and at most one holds it
    (a client never awaits what it holds): 2^n + n * 2^(n-1) ways per resource."""
    per_resource = 2 ** clients + clients * 2 ** (clients - 1)
    return int(per_resource ** resources)


@pytest.mark.parametrize("consts,engine", engine_params([{}, {"Clients": "{c1,c2,c3}"}],
                                                        name=lambda c: "3-clients" if c else "default"))
def test_states_depth_and_every_verdict_on_both_engines(consts: dict[str, str],
                                                        engine: str) -> None:
    res = check(consts=consts, engine=engine)
    assert res.search.engine == engine
    assert res.exhaustive
    clients = 3 if consts else 2
    assert res.search.distinct == expected_states(clients, 2) == (400 if consts else 64)
    assert res.search.depth == (6 if consts else 5)
    assert [v.property for v in res.verdicts] == PROPERTIES
    assert all(v.status == Status.HOLDS for v in res.verdicts), res.verdicts


@pytest.mark.parametrize("consts,states,depth", [({}, 64, 5), ({"Clients": "{c1,c2,c3}"}, 400, 6)])
def test_the_reference_interpreter_and_liveness_judge_agree(consts: dict[str, str], states: int,
                                                            depth: int) -> None:
    spec = api.load_spec(ALLOCATOR, consts)
    found = ref.explore(spec, 50, deadlock=True)
    assert found.complete and found.error_at is None and found.shortest == {}
    assert (len(found.states), found.depth) == (states, depth)
    temporal = [p.name for p in spec.properties if p.kind == PropertyKind.TEMPORAL]
    assert live.judge_all(spec, 5000) == {name: "holds" for name in temporal}


@pytest.mark.parametrize("clients,resources", [(1, 2), (3, 2), (2, 3)])
def test_const_changes_the_state_count(clients: int, resources: int) -> None:
    consts = {"Clients": "{" + ",".join(f"c{i}" for i in range(1, clients + 1)) + "}",
              "Resources": "{" + ",".join(f"r{i}" for i in range(1, resources + 1)) + "}"}
    res = check(consts=consts)
    assert res.exhaustive and res.search.distinct == expected_states(clients, resources)
    assert all(v.status == Status.HOLDS for v in res.verdicts), res.verdicts


def test_without_strong_fairness_a_client_can_wait_forever_once_it_has_a_rival(
        tmp_path: object) -> None:
    """Weak fairness on Allocate lets a resource be given to the other client each time it is
    free: ClientsWillObtain fails with two clients, holds with one (the quantifier follows)."""
    path = variant(tmp_path, "strong fair process allocator", "fair process allocator")
    alone = check(path, {"Clients": "{c1}"})
    assert alone.verdict("ClientsWillObtain").status == Status.HOLDS
    rivals = check(path)
    obtain = [v for v in rivals.temporal if v.name == "ClientsWillObtain"]
    assert [v.status for v in obtain] == [Status.VIOLATED]
    assert "c = c1" in str(obtain[0].instance)
    spec = api.load_spec(path)
    judged = live.judge_all(spec, 5000)
    assert judged is not None and judged["ClientsWillObtain"] == "violated"
    assert agree_on_temporal(spec, path) == 4  # every verdict the judge's, the lasso fair
    assert rivals.verdict("ClientsWillReturn").status == Status.HOLDS


def test_allocating_a_held_resource_breaks_mutex_and_single_owner(tmp_path: object) -> None:
    path = variant(tmp_path, "S subseteq (available inter unsat[c])", "S subseteq unsat[c]")
    for engine in ("tuple", "array"):
        res = check(path, engine=engine)
        assert res.verdict("Mutex").status == Status.VIOLATED
        assert res.verdict("SingleOwner").status == Status.VIOLATED
        assert res.verdict("AllocateEnabled").status == Status.VIOLATED
    found = ref.explore(api.load_spec(path), 50, deadlock=True)
    assert {"Mutex", "SingleOwner"} <= set(found.shortest)
    assert found.shortest["Mutex"] == res.verdict("Mutex").trace_length
