"""Shared helpers: write a spec to a temporary file and check it; the lifecycle specs, checked
once per session, environment and engine (several test modules pin their verdicts); the engines
the engine-parametrised tests run on.

Tests that pin counts, verdicts or traces run on both explicit engines (`engine_params`): a cheap
subset by default, the whole matrix under `-m slow`. `CHECKMODEL_ENGINE=array` (or `tuple`) runs
them on that engine only, and makes it the engine of every helper call that names none (else
the tuple engine).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Optional

import pytest

from checker import api
from checker.trace import itf, trace
from checker.explicit.search import SearchOptions

SPECS = Path(__file__).resolve().parent.parent / "specs"
ENGINES = ("tuple", "array")


def engines() -> tuple[str, ...]:
    """The engines the engine-parametrised tests run on: both, or the one CHECKMODEL_ENGINE names."""
    chosen = os.environ.get("CHECKMODEL_ENGINE")
    if not chosen:
        return ENGINES
    if chosen not in ENGINES:
        raise pytest.UsageError(f"CHECKMODEL_ENGINE={chosen!r}: expected one of {ENGINES}")
    return (chosen,)


def default_engine() -> str:
    """The engine of a helper call that names none: CHECKMODEL_ENGINE's, else the tuple engine
    (the reference; so the cached lifecycle checks are shared by every test that reads them)."""
    return os.environ.get("CHECKMODEL_ENGINE") or "tuple"


def engine_params(cases: Iterable[Any], cheap: Callable[[Any, str], bool] = lambda c, e: True,
                  name: Callable[[Any], str] = str) -> list[Any]:
    """pytest params (case, engine) for every case on every engine of `engines()` (a tuple case
    is spread into several arguments); those not `cheap(case, engine)` are marked slow (the
    whole matrix runs under `-m slow`). `name(case)` is the case's part of the test id."""
    out = []
    for case in cases:
        for engine in engines():
            values = case + (engine,) if isinstance(case, tuple) else (case, engine)
            marks = () if cheap(case, engine) else (pytest.mark.slow,)
            label = "-".join(map(str, case)) if isinstance(case, tuple) else name(case)
            out.append(pytest.param(*values, marks=marks, id=f"{label}-{engine}"))
    return out


@dataclass(frozen=True)
class LifecycleRun:
    """What the tests read of one check of a lifecycle spec (the state graph is not kept)."""

    spec: Any
    system: Any
    verdicts: list[api.Verdict]
    traces: list[trace.Trace]
    temporal: list[Any]
    exhaustive: bool
    distinct: int


@dataclass
class LifecycleResults:
    """`lifecycle(name, env, engine)`: specs/NAME.spec checked with --continue in one environment:
    "default" (the spec as written: what the code allows) or "optimistic" (OPTIMISTIC), on one
    engine (`default_engine()` when none is named)."""

    OPTIMISTIC = {"server_lag": "bounded_by_timeout", "install_phase": "bounded",
                  "complete_payload": "always_accepted"}
    cache: dict[tuple[str, str, str], LifecycleRun] = field(default_factory=dict)

    def __call__(self, name: str, env: str = "default",
                 engine: Optional[str] = None) -> LifecycleRun:
        engine = engine or default_engine()
        if (name, env, engine) not in self.cache:
            switches: Optional[dict[str, str]] = self.OPTIMISTIC if env == "optimistic" else None
            res = api.check(str(SPECS / f"{name}.spec"), switches=switches,
                            options=SearchOptions(keep_going=True, engine=engine))
            assert res.search.engine == engine, (name, res.search.engine)
            self.cache[(name, env, engine)] = LifecycleRun(
                res.spec, res.system, res.verdicts, res.traces, res.temporal, res.exhaustive,
                res.search.distinct)
        return self.cache[(name, env, engine)]


@pytest.fixture(scope="session")
def lifecycle() -> LifecycleResults:
    return LifecycleResults()


@pytest.fixture
def spec_file(tmp_path: Path) -> Callable[[str], str]:
    counter = iter(range(1000))

    def write(text: str) -> str:
        path = tmp_path / f"spec{next(counter)}.spec"
        path.write_text(text)
        return str(path)

    return write


@pytest.fixture
def reachable(spec_file: Callable[[str], str]) -> Callable[..., list[dict[str, Any]]]:
    """All reachable states of a spec text, as dicts of ITF-like plain values (sorted)."""

    def run(text: str, **consts: str) -> list[dict[str, Any]]:
        res = api.check(spec_file(text), consts=consts,
                        options=SearchOptions(keep_going=True, check_deadlock=False))
        assert res.search.complete
        spec = res.spec
        out = [{v.name: _plain(itf.to_itf(v.type, x)) for v, x in zip(spec.vars, s)}
               for s in res.search.graph.states]
        return sorted(out, key=repr)

    return run


def _plain(j: Any) -> Any:
    """ITF without the #bigint wrappers, for readable expectations."""
    if isinstance(j, dict):
        if set(j) == {"#bigint"}:
            return int(j["#bigint"])
        if set(j) == {"#set"}:
            return {"set": [_plain(x) for x in j["#set"]]}
        if set(j) == {"#map"}:
            return {_plain(k) if not isinstance(_plain(k), dict) else repr(k): _plain(v)
                    for k, v in j["#map"]}
        return {k: _plain(v) for k, v in j.items()}
    if isinstance(j, list):
        return [_plain(x) for x in j]
    return j


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under pytest-xdist (`make test` runs two workers), every test that reads the shared
    lifecycle checks runs on the same worker (`--dist loadgroup`), so each check is computed once
    and not once per worker."""
    for item in items:
        if "lifecycle" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("lifecycle"))
