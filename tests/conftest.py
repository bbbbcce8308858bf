"""Shared helpers: write a spec to a temporary file and check it; the lifecycle specs, checked
once per session and environment (several test modules pin their verdicts)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

import pytest

from checker import api
from checker.trace import itf, trace
from checker.explicit.search import SearchOptions

SPECS = Path(__file__).resolve().parent.parent / "specs"


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
    """`lifecycle(name, env)`: specs/NAME.spec checked with --continue in one environment:
    "default" (the spec as written: what the code allows) or "optimistic" (OPTIMISTIC)."""

    OPTIMISTIC = {"server_lag": "bounded_by_timeout", "install_phase": "bounded",
                  "complete_payload": "always_accepted"}
    cache: dict[tuple[str, str], LifecycleRun] = field(default_factory=dict)

    def __call__(self, name: str, env: str = "default") -> LifecycleRun:
        if (name, env) not in self.cache:
            switches: Optional[dict[str, str]] = self.OPTIMISTIC if env == "optimistic" else None
            res = api.check(str(SPECS / f"{name}.spec"), switches=switches,
                            options=SearchOptions(keep_going=True))
            self.cache[(name, env)] = LifecycleRun(res.spec, res.system, res.verdicts,
                                                   res.traces, res.temporal, res.exhaustive,
                                                   res.search.distinct)
        return self.cache[(name, env)]


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
