"""Shared helpers: write a spec to a temporary file and check it."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import pytest

from checker import api
from checker.trace import itf
from checker.explicit.search import SearchOptions


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
