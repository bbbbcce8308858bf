"""Texts generated from the grammar itself: the front end either accepts them or reports a
located `SpecError`; it never fails with any other exception (a traceback for the user)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.lark import from_lark
from lark import Lark

from checker import errors
from checker.explicit.compile import compile_spec
from checker.lang.load import load
from checker.lang.typecheck import check

_GRAMMAR = Lark(resources.files("checker.lang").joinpath("grammar.lark").read_text(), parser="lalr")
_NAMES = st.sampled_from(["x", "y", "n", "Runs", "r1", "a", "b", "idle", "self", "q", "m"])


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=from_lark(_GRAMMAR, explicit={"NAME": _NAMES,
                                          "INT": st.integers(0, 5).map(str),
                                          "STRING": st.just('"doc"')}))
def test_front_end_never_crashes(tmp_path: Path, text: str) -> None:
    path = tmp_path / "fuzz.spec"
    path.write_text(text)
    try:
        spec = check(load(str(path)))
        compile_spec(spec)
    except (errors.SpecError, errors.SpecErrors):
        pass
