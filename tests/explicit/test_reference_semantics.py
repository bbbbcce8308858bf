"""Random specs: the breadth-first search (both engines), BMC and the reference interpreter of
the TLA+ meaning (tests/reference_interpreter.py, written from the IR, not from the compiler)
agree on distinct states, depth, verdicts, shortest counterexample lengths and evaluation
errors.

The generator extends the one of tests/smt/test_smt_random.py (ranges and arithmetic, booleans,
enums, maps with updates, sets, fifos, bags, action parameters, either/choose/await/let, if,
several initial states, invariants, transition properties, constraints, deadlock on and off)
with records, bounded sequences, set comprehensions, `elif`, processes with indexes, skip and
self-assignments (stuttering steps), and fairness with temporal properties (checked to run
and to be decided only on exhaustive searches; the reference has no liveness). `CONSTRUCTS`
names every construct a spec uses, so a run can say how many it covered.

`REFERENCE_EXAMPLES` (default 250) sets the number of examples; the slow variant runs
`REFERENCE_SLOW_EXAMPLES` (default 3000).
"""

from __future__ import annotations

import os
import re
from typing import Any, Callable, Optional

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from checker import api, errors
from checker.explicit.compile import compile_spec
from checker.explicit.search import SearchOptions, explore
from checker.ir import nodes as ir
from checker.ir.kinds import PropertyKind
from checker.smt.bmc import bmc
from tests import reference_interpreter as ref
from tests.smt.test_smt_random import Writer, _load, specs

LEVELS = 5  # BFS levels compared (traces of up to 5 states)
Draw = Callable[[st.SearchStrategy[Any]], Any]

# construct -> a regular expression that finds it in a spec's text
CONSTRUCTS = {
    "range": r"var x\d: 0\.\.", "arithmetic": r" [+-] |min\(|max\(", "division": r" / ",
    "bool": r": bool", "enum": r"enum Color", "map": r"map\[", "map update": r"m\[[^\]]+\] :=",
    "set": r"set\[", "set comprehension": r" for k in ", "fifo": r"fifo\[", "bag": r"bag\[",
    "record": r"record \{", "record update": r"\.(lo|on) :=", "sequence": r"seq\[",
    "append/head/tail": r"append\(|head\(|tail\(", "parameters": r"action a\d\(p in",
    "either": r"either \{", "choose": r"choose t", "await": r"await ", "let": r"let t",
    "if": r"\bif .* \{", "elif": r"\belif\b", "send": r"send ", "receive": r"receive ",
    "several initial states": r" in \{0, \d\}| in \{red, blue\}", "process": r"process w\[",
    "skip": r"skip;", "self-assignment": r"(\w+) := \1;", "invariant": r"invariant ",
    "transition": r"transition ", "constraint": r"constraint ", "deadlock off": r"deadlock off",
    "deadlock on": r"^(?![\s\S]*deadlock off)", "quantifier": r"exists k in|forall k in",
    "fairness": r"fair (action|process)", "temporal": r"temporal ",
}


def constructs(text: str) -> set[str]:
    return {name for name, pattern in CONSTRUCTS.items() if re.search(pattern, text, re.M)}


@st.composite
def richer_specs(draw: Draw) -> str:
    """A spec of tests/smt/test_smt_random.py with some of the constructs it lacks added."""
    text = str(draw(specs()))
    extras = draw(st.sets(st.sampled_from(["record", "seq", "process", "elif", "stutter",
                                           "comprehension", "temporal", "outside"]),
                         max_size=4))
    lines = text.rstrip("\n").split("\n")
    decls, actions = [], []
    ints = sorted(set(re.findall(r"\bx\d\b", text)))
    if "record" in extras:
        decls.append("var r: record { lo: 0..2, on: bool } = [lo: 0, on: false];")
        guard = "r.lo < 2" if draw(st.booleans()) else "true"
        actions.append(f"action rec when {guard} {{ r.lo := min(r.lo + 1, 2); "
                       f"r.on := not r.on; }}")
        decls.append("invariant RecOk: r.lo < 2 or r.on;" if draw(st.booleans()) else "")
    if "seq" in extras:
        decls.append("var q2: seq[0..2, 2] = <<>>;")
        actions.append("action push when len(q2) < 2 { q2 := append(q2, len(q2)); }")
        actions.append("action pop when len(q2) > 0 { let h = head(q2); q2 := tail(q2); }")
        if draw(st.booleans()):
            decls.append("invariant SeqOk: len(q2) < 2 or q2[2] != 1;")
    if "process" in extras:
        bound = draw(st.integers(1, 2))
        body = f"var y: 0..{bound} = 0; action bump when y < {bound} {{ y := y + 1; }}"
        if draw(st.booleans()):
            body += " action reset when y == " + str(bound) + " { y := 0; }"
        fair = "fair " if "temporal" in extras and draw(st.booleans()) else ""
        decls.append(f"{fair}process w[i in 0..1] {{ {body} }}")
        if draw(st.booleans()):
            decls.append(f"invariant NotBoth: not (w[0].y == {bound} and w[1].y == {bound});")
        if "temporal" in extras:
            decls.append(f"temporal Reach: eventually w[0].y == {bound};")
    if "elif" in extras and ints:
        x = ints[0]
        actions.append(f"action branch {{ if {x} == 0 {{ {x} := 1; }} elif {x} == 1 "
                       f"{{ {x} := 0; }} else {{ skip; }} }}")
    if "stutter" in extras and ints:
        x = ints[-1]
        actions.append(f"action same {{ {x} := {x}; }}" if draw(st.booleans())
                       else "action idle { skip; }")
        if "process" not in extras:  # some variable changes: only a stutter violates it
            names = re.findall(r"^var (\w+)", text, re.M) + (["r"] if "record" in extras else [])
            names += ["q2"] if "seq" in extras else []
            decls.append("transition Moves: " + " or ".join(f"{n}' != {n}" for n in names)
                         + ";")
    bound = re.search(r"var x0: 0\.\.(\d)", text)
    if "outside" in extras and bound:  # violated only by states outside the constraint
        top = bound.group(1)
        decls.append(f"constraint Tight: x0 < {top};")
        decls.append(f"invariant Under: x0 < {top};" if draw(st.booleans())
                     else f"transition NotToTop: x0' != {top};")
    if "comprehension" in extras and "var s: set[Color]" in text:
        decls.append("invariant Comp: card({k for k in Color if k in s}) <= 2;")
    if "temporal" in extras and ints:
        x = ints[0]
        fairness = draw(st.sampled_from(["", "fair ", "strong fair "]))
        actions.append(f"{fairness}action tick when {x} == 0 {{ {x} := 1; }}")
        decls.append(f"temporal Eventually1: eventually {x} == 1;")
    out = lines[:2] + [d for d in decls if d.startswith("var")] + lines[2:]
    out += [a for a in actions] + [d for d in decls if d and not d.startswith("var")]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- running each side


def _verdicts(shortest: dict[str, int], names: list[str], complete: bool,
              error_at: Optional[int]) -> dict[str, Any]:
    """violated (length) / holds / unknown, for the properties before the first error."""
    out: dict[str, Any] = {}
    for name in names:
        k = shortest.get(name)
        if k is not None and (error_at is None or k < error_at):
            out[name] = k
        elif error_at is None:
            out[name] = "holds" if complete else "unknown"
    return out


def by_reference(spec: ir.Spec) -> dict[str, Any]:
    found = ref.explore(spec, LEVELS, spec.check_deadlock)
    names = _safety_names(spec)
    return {"verdicts": _verdicts(found.shortest, names, found.complete, found.error_at),
            "error": found.error_at,
            "states": found.states if found.error_at is None else None,
            "depth": found.depth if found.error_at is None else None}


def by_bfs(spec: ir.Spec, engine: str) -> dict[str, Any]:
    try:
        system = compile_spec(spec)
    except errors.SpecError:
        return {"verdicts": {}, "error": 1, "states": None, "depth": None}
    options = SearchOptions(max_depth=LEVELS, keep_going=True, engine=engine,
                            check_deadlock=spec.check_deadlock)
    if engine == "tuple":
        search = explore(system, options)
    else:
        search = api.check_spec(spec, options).search
    error = len(search.error_states()) if search.error is not None else None
    shortest = {v.name: v.length for v in search.violations}
    return {"verdicts": _verdicts(shortest, _safety_names(spec), search.complete, error),
            "error": error,
            "states": set(search.graph.states) if error is None else None,
            "depth": search.depth if error is None else None}


def by_bmc(spec: ir.Spec) -> Optional[dict[str, Any]]:
    """Shortest violations within LEVELS - 1 steps; None where the Z3 encoding refuses."""
    try:
        result = bmc(spec, LEVELS - 1, keep_going=True)
    except errors.SpecError:
        return None
    assert result.complete, result.unknown
    found = {v.name: len(v.states) for v in result.violations}
    error = found.pop("EvaluationError", None)
    return {n: k for n, k in found.items() if error is None or k < error} | (
        {"error": error} if error is not None else {})


def _safety_names(spec: ir.Spec) -> list[str]:
    names = [p.name for p in spec.properties
             if p.kind in (PropertyKind.INVARIANT, PropertyKind.TRANSITION)]
    return names + (["Deadlock"] if spec.check_deadlock else [])


def _violated(side: dict[str, Any]) -> dict[str, Any]:
    out = {n: k for n, k in side["verdicts"].items() if isinstance(k, int)}
    if side["error"] is not None:
        out["error"] = side["error"]
    return out


def agree(text: str, with_bmc: bool) -> None:
    spec = _load(text)
    expected = by_reference(spec)
    for engine in ("tuple", "auto"):
        assert by_bfs(spec, engine) == expected, (engine, text)
    if with_bmc:
        z3 = by_bmc(spec)
        if z3 is not None:
            assert z3 == _violated(expected), text
    temporal = [p for p in spec.properties if p.kind == PropertyKind.TEMPORAL]
    if temporal and expected["error"] is None:
        res = api.check_spec(spec, SearchOptions(check_deadlock=False, max_states=20_000))
        for v in res.temporal:  # decided only when the search was exhaustive
            assert str(v.status) in ("holds", "violated", "unknown")
            assert str(v.status) != "holds" or res.search.complete


EXAMPLES = int(os.environ.get("REFERENCE_EXAMPLES", "250"))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(richer_specs())
def test_bfs_and_the_reference_agree(text: str) -> None:
    agree(text, with_bmc=False)


@settings(max_examples=max(10, EXAMPLES // 8), deadline=None,
          suppress_health_check=list(HealthCheck))
@given(richer_specs())
def test_bfs_bmc_and_the_reference_agree(text: str) -> None:
    agree(text, with_bmc=True)


@pytest.mark.slow
@settings(max_examples=int(os.environ.get("REFERENCE_SLOW_EXAMPLES", "3000")), deadline=None,
          suppress_health_check=list(HealthCheck))
@given(richer_specs())
def test_bfs_bmc_and_the_reference_agree_on_many_specs(text: str) -> None:
    agree(text, with_bmc=len(text) % 4 == 0)  # BMC on about a quarter (it is slower)


def test_the_generator_covers_every_construct() -> None:
    """Every construct of CONSTRUCTS appears in some generated spec."""
    covered: set[str] = set()

    @settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck),
              database=None)
    @given(richer_specs())
    def collect(text: str) -> None:
        covered.update(constructs(text))

    collect()
    assert set(CONSTRUCTS) - covered == set()
