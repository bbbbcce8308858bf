"""Every value of every type of the language round-trips unchanged through the spec text (a
literal), the compiled constants, the trace printer, ITF files and replay; values of different
types that Python holds equal (`True == 1`, `(True,) == (1,)`) are never merged."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker import api
from checker.explicit.search import SearchOptions
from checker.ir import types as T
from checker.ir.codegen import Emitter
from checker.trace import io as trace_io
from checker.trace import itf
from checker.trace import replay as trace_replay
from checker.trace import trace

COLOR = T.EnumType("Color", ("red", "green", "blue"))
KEYS = [T.BOOL, T.IntType(0, 2), T.IntType(-1, 0), COLOR]
ATOMS = KEYS + [T.IntType(-2, 3)]


def types(depth: int = 2) -> st.SearchStrategy[T.Type]:
    atom = st.sampled_from(ATOMS)
    if depth == 0:
        return atom
    inner = types(depth - 1)
    return st.one_of(
        atom,
        inner.map(T.SetType),
        st.tuples(st.sampled_from(KEYS), inner).map(lambda kv: T.MapType(*kv)),
        st.tuples(inner, st.integers(0, 2)).map(lambda ec: T.SeqType(ec[0], ec[1])),
        st.tuples(inner, st.integers(0, 2)).map(lambda ec: T.SeqType(ec[0], ec[1], bag=True)),
        st.dictionaries(st.sampled_from(["f", "g", "h"]), inner, min_size=1).map(T.record),
    )


def values(t: T.Type) -> st.SearchStrategy[Any]:
    if isinstance(t, (T.BoolType, T.IntType, T.EnumType)):
        return st.sampled_from(list(T.values(t)))
    if isinstance(t, T.SetType):
        return st.frozensets(values(t.elem), max_size=3)
    if isinstance(t, T.MapType):
        n = T.size(t.key)
        return st.lists(values(t.value), min_size=n, max_size=n).map(tuple)
    if isinstance(t, T.SeqType):
        items = st.lists(values(t.elem), max_size=t.capacity)
        return items.map(lambda xs: tuple(T.sort_values(xs)) if t.bag else tuple(xs))
    assert isinstance(t, T.RecordType)
    return st.tuples(*[values(f) for _, f in t.fields])


def typed_value() -> st.SearchStrategy[tuple[T.Type, Any]]:
    return types().filter(lambda t: T.size(t) < 10 ** 6).flatmap(
        lambda t: values(t).map(lambda v: (t, v)))


def type_text(t: T.Type) -> str:
    if isinstance(t, T.SeqType):
        return f"{'bag' if t.bag else 'seq'}[{type_text(t.elem)}, {t.capacity}]"
    if isinstance(t, T.SetType):
        return f"set[{type_text(t.elem)}]"
    if isinstance(t, T.MapType):
        return f"map[{type_text(t.key)}, {type_text(t.value)}]"
    if isinstance(t, T.RecordType):
        return "record { " + ", ".join(f"{n}: {type_text(f)}" for n, f in t.fields) + " }"
    return str(t)


def literal(t: T.Type, v: Any) -> str:
    """The value as an expression of the spec language."""
    if isinstance(t, T.BoolType):
        return "true" if v else "false"
    if isinstance(t, T.IntType):
        return f"({v})"
    if isinstance(t, T.EnumType):
        return t.members[v]
    if isinstance(t, T.SetType):
        return "{" + ", ".join(literal(t.elem, x) for x in T.sort_values(v)) + "}"
    if isinstance(t, T.MapType):
        keys = list(T.values(t.key))
        body = literal(t.value, v[-1])
        for k, x in reversed(list(zip(keys[:-1], v[:-1]))):
            body = f"if k == {literal(t.key, k)} then {literal(t.value, x)} else {body}"
        domain = "{false, true}" if isinstance(t.key, T.BoolType) else type_text(t.key)
        return f"[k in {domain} |-> {body}]"
    if isinstance(t, T.SeqType):
        return "<<" + ", ".join(literal(t.elem, x) for x in v) + ">>"
    assert isinstance(t, T.RecordType)
    return "[" + ", ".join(f"{n}: {literal(f, x)}" for (n, f), x in zip(t.fields, v)) + "]"


def twin_type(t: T.Type) -> T.Type:
    """The same shape with every boolean an integer of 0..1."""
    if isinstance(t, T.BoolType):
        return T.IntType(0, 1)
    if isinstance(t, T.SetType):
        return T.SetType(twin_type(t.elem))
    if isinstance(t, T.MapType):
        return T.MapType(t.key, twin_type(t.value))
    if isinstance(t, T.SeqType):
        return T.SeqType(twin_type(t.elem), t.capacity, t.bag)
    if isinstance(t, T.RecordType):
        return T.RecordType(tuple((n, twin_type(f)) for n, f in t.fields))
    return t


def twin(t: T.Type, v: Any) -> Any:
    """The value of `twin_type(t)` that Python holds equal to `v` (True == 1)."""
    if isinstance(t, T.BoolType):
        return int(v)
    if isinstance(t, T.SetType):
        return frozenset(twin(t.elem, x) for x in v)
    if isinstance(t, T.MapType):
        return tuple(twin(t.value, x) for x in v)
    if isinstance(t, T.SeqType):
        items = [twin(t.elem, x) for x in v]
        return tuple(T.sort_values(items) if t.bag else items)
    if isinstance(t, T.RecordType):
        return tuple(twin(f, x) for (_, f), x in zip(t.fields, v))
    return v


def test_equal_constants_of_different_types_get_different_names() -> None:
    em = Emitter()
    assert em.const((True,)) != em.const((1,))
    assert em.const(frozenset({True})) != em.const(frozenset({1}))
    assert em.const(((0, True),)) != em.const(((0, 1),))
    assert em.const((1, 2)) == em.const((1, 2))


def test_a_boolean_and_an_integer_sequence_stay_apart(spec_file: Callable[[str], str],
                                                      tmp_path: Path) -> None:
    """Regression: `<<true>>` and `<<1>>` shared one compiled constant; the trace printed
    `q = <<True>>`, the ITF file held {"#bigint": "True"} and replay crashed."""
    path = spec_file("""
        var q: seq[0..2, 2] = <<>>;
        var b: seq[bool, 2] = <<>>;
        action PushB when len(b) < 1 { b := <<true>>; }
        action PushQ when len(q) < 1 { q := <<1>>; }
    """)
    res = api.check(path, options=SearchOptions(engine="tuple"))
    [t] = res.traces
    assert t.steps[-1].values["q"] == [{"#bigint": "1"}]
    assert "/\\ q = <<1>>" in trace.format_text(t)
    out = str(tmp_path / "t.itf.json")
    trace_io.write_itf(t, out)
    states = trace_replay.replay(res.system, trace_io.read_itf(out))
    assert [T.typed_key(s) for s in states] == [
        T.typed_key(res.search.graph.states[i]) for i in res.search.violations[0].path]


def test_a_malformed_integer_in_an_itf_file_is_refused() -> None:
    try:
        itf.from_itf(T.IntType(0, 2), {"#bigint": "True"})
    except itf.ItfValueError:
        return
    raise AssertionError("accepted")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tv=typed_value())
def test_every_value_round_trips_through_text_printer_itf_and_replay(tv: tuple[T.Type, Any],
                                                                     tmp_path_factory: Any) -> None:
    t, v = tv
    t2, v2 = twin_type(t), twin(t, v)
    text = (f"enum Color {{ red, green, blue }};\n"
            f"var x: {type_text(t)} = {literal(t, v)};\n"
            f"var y: {type_text(t2)} = {literal(t2, v2)};\n"
            f"var n: 0..1 = 0;\n"
            f"action Step when n == 0 {{ n := 1; }}\n"
            f"invariant Never: n == 0;\n")
    folder = tmp_path_factory.mktemp("rt")
    path = folder / "rt.spec"
    path.write_text(text)
    res = api.check(str(path), options=SearchOptions(engine="tuple"))
    [tr] = res.traces
    states = [res.search.graph.states[i] for i in res.search.violations[0].path]
    for s in states:
        assert T.identical(s[0], v) and T.identical(s[1], v2), text
    shown = trace.format_text(tr)
    assert f"/\\ x = {itf.format_itf(itf.to_itf(t, v))}\n" in shown, text
    assert f"/\\ y = {itf.format_itf(itf.to_itf(t2, v2))}\n" in shown, text
    for step, s in zip(tr.steps, states):
        j = json.loads(json.dumps(step.values))
        assert T.identical(itf.from_itf(t, j["x"]), v) and T.identical(itf.from_itf(t2, j["y"]), v2)
        assert itf.format_itf(j["x"]) == itf.format_itf(itf.to_itf(t, s[0]))
    out = str(folder / "t.itf.json")
    trace_io.write_itf(tr, out)
    again = trace_replay.replay(res.system, trace_io.read_itf(out))
    assert [T.typed_key(s) for s in again] == [T.typed_key(s) for s in states]
