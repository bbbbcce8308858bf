"""Random specs: the breadth-first search (both engines), BMC and the reference interpreter of
the TLA+ meaning (tests/reference_interpreter.py, written from the IR, not from the compiler)
agree on distinct states, depth, verdicts, shortest counterexample lengths and evaluation
errors.

The generator extends the one of tests/smt/test_smt_random.py (ranges and arithmetic, booleans,
enums, maps with updates, sets, fifos, bags, action parameters, either/choose/await/let, if,
several initial states, invariants, transition properties, constraints, deadlock on and off)
with records, bounded sequences, set comprehensions, `elif`, processes with indexes, skip and
self-assignments (stuttering steps), and temporal properties under fairness: every form the
language has (`eventually`, `always eventually`, `eventually always`, `always`, `~>`), quantified
over a set, with `enabled(...)` in them, under weak and strong fairness on actions, on processes
(declared with the process or apart) and on groups (`fair a0 or a1;`). Their verdicts are
compared with the naive judge of tests/reference_liveness.py, and every lasso the checker
prints is checked there to be a fair behaviour of the spec that violates the property.
`CONSTRUCTS` names every construct a spec uses, so a run can say how many it covered.

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
from checker.explicit.array.engine import choose
from checker.explicit.search import SearchOptions, explore
from checker.ir import nodes as ir
from checker.ir.kinds import PropertyKind, Status
from checker.trace import itf
from checker.smt.bmc import bmc
from tests import reference_interpreter as ref
from tests import reference_liveness as live
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
    "strong fairness": r"strong fair ", "fair process": r"fair process ",
    "fairness apart": r"^(strong )?fair w;", "fairness group": r"fair [\w.]+ or ",
    "eventually": r"^temporal \w+: (forall [^:]+: )*eventually (?!always)",
    "always eventually": r"always eventually ", "eventually always": r"eventually always ",
    "always": r"^temporal \w+: (forall [^:]+: )*always (?!eventually)", "leads to": r" ~> ",
    "quantified temporal": r"^temporal \w+: forall ", "enabled": r"enabled\(",
    "enabled on and off": r"action cross when lit",
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
    if draw(st.integers(0, 9)) < 4:  # temporal properties in about half of the specs
        extras = extras | {"temporal"}
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
        decls += draw(temporal_lines("\n".join([text] + decls + actions), "process" in extras))
        lines = [draw(_fairness_prefix()) + line if line.startswith("action ") else line
                 for line in lines]
    out = lines[:2] + [d for d in decls if d.startswith("var")] + lines[2:]
    out += [a for a in actions] + [d for d in decls if d and not d.startswith("var")]
    return "\n".join(out) + "\n"


def _fairness_prefix() -> st.SearchStrategy[str]:
    return st.sampled_from(["", "", "fair ", "strong fair "])


@st.composite
def temporal_lines(draw: Draw, text: str, process: bool) -> list[str]:
    """Temporal properties over the spec's variables (every form, some quantified, some with
    `enabled`), and fairness declared apart from the actions: on a group, on the process."""
    ints = {x: int(b) for x, b in re.findall(r"var (x\d): 0\.\.(\d)", text)}
    preds = [f"{x} {op} {k}" for x, b in ints.items() for k in range(b + 1)
             for op in ("==", ">=")]
    preds += ["b", "not b"] * ("var b: bool" in text) + ["c == red"] * ("var c:" in text)
    preds += ["m[red] == 0"] * ("var m:" in text) + ["card(s) > 0"] * ("var s:" in text)
    preds += ["len(q) == 0"] * ("var q:" in text) + ["r.on"] * ("var r:" in text)
    preds += ["w[0].y == 0", "w[1].y > 0"] * process
    actions = [a for a in ("a0", "a1", "a2", "tick") if f"action {a}" in text]
    preds += [f"enabled({a})" for a in actions] + [f"not enabled({a})" for a in actions]
    preds += ["enabled(w[1].bump)", "not enabled(w.bump)"] * process
    quantified = [("k", "0..1", "x0 >= k"), ("k", "0..1", "x0 != k")]
    quantified += [("k", "Color", "c != k")] * ("var c:" in text)
    quantified += [("k", "Color", "m[k] == 0")] * ("var m:" in text)
    quantified += [("i", "0..1", "w[i].y == 0"), ("i", "0..1", "enabled(w[i].bump)")] * process
    quantified += [("k", "{red, green}", "enabled(a0(k))")] * bool(
        re.search(r"action a0\(p in", text))
    out = []
    if draw(st.booleans()):  # enabled on and off: weak and strong fairness differ
        out += ["var lit: bool = false;", "var crossed: bool = false;",
                f"{draw(st.sampled_from(['', 'fair ']))}action blink {{ lit := not lit; }}",
                f"{draw(_fairness_prefix())}action cross when lit and not crossed "
                f"{{ crossed := true; }}", "temporal Crossed: eventually crossed;"]
        preds += ["crossed", "crossed", "lit", "not lit", "enabled(cross)"]
        actions += ["blink", "cross"]
    for i in range(draw(st.integers(1, 3))):
        form = draw(st.sampled_from(["eventually", "always eventually", "eventually always",
                                     "always", "leads to"]))
        prefix = ""
        if draw(st.booleans()):
            var, domain, p = draw(st.sampled_from(quantified))
            prefix = f"forall {var} in {domain}: "
            q = draw(st.sampled_from([p, f"not ({p})"] + preds))
        else:
            p, q = draw(st.sampled_from(preds)), draw(st.sampled_from(preds))
        body = f"{p} ~> {q}" if form == "leads to" else f"{form} {p}"
        out.append(f"temporal T{i}: {prefix}{body};")
    if len(actions) > 1 and draw(st.booleans()):
        group = draw(st.lists(st.sampled_from(actions), min_size=2, max_size=3, unique=True))
        out.append(f"{draw(st.sampled_from(['fair', 'strong fair']))} {' or '.join(group)};")
    if process and draw(st.booleans()):
        out.append(draw(st.sampled_from(["fair w;", "strong fair w;", "fair w or tick;"])))
    return out


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
    engines = ("tuple", "auto", "array") if choose(spec, "auto").arrays else ("tuple", "auto")
    for engine in engines:
        assert by_bfs(spec, engine) == expected, (engine, text)
    if with_bmc:
        z3 = by_bmc(spec)
        if z3 is not None:
            assert z3 == _violated(expected), text
    if any(p.kind == PropertyKind.TEMPORAL for p in spec.properties):
        agree_on_temporal(spec, text)


def agree_on_temporal(spec: ir.Spec, text: str, max_states: int = 3000) -> int:
    """The checker's temporal verdicts are the naive judge's, and each lasso it prints is a
    fair behaviour of the spec that violates the property (checked in the reference); returns
    how many verdicts were compared (errors aside)."""
    judged = live.judge_all(spec, max_states)
    if judged is None:
        return 0  # too large for the naive judge
    compared = 0
    res = api.check_spec(spec, SearchOptions(check_deadlock=False, keep_going=True,
                                             max_states=20_000))
    for v in res.temporal:
        want = judged[v.name]
        if want == "error":  # an action, constraint or the property fails to evaluate
            assert res.search.error is not None or v.status == Status.UNKNOWN, (v.name, text)
            continue
        if res.search.error is not None:  # in an invariant or transition property, which
            # the judge does not evaluate: the reference's search meets an error too
            assert ref.explore(spec, max_states, deadlock=False).error_at is not None, text
            continue
        assert res.search.complete, text
        assert str(v.status) == want, (v.name, v.instance, text)
        if v.status == Status.VIOLATED:
            assert v.trace is not None
            states = [tuple(itf.from_itf(var.type, step.values[var.name]) for var in spec.vars)
                      for step in v.trace.steps]
            why = live.check_lasso(spec, v.prop, states, v.trace.loop)
            assert why is None, (v.name, why, v.trace.loop, states, text)
        compared += 1
    return compared


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


EXAMPLES_DIR = os.path.join(os.path.dirname(__file__), "..", "..", "specs", "examples")
TEMPORAL_EXAMPLES = sorted(f for f in os.listdir(EXAMPLES_DIR)
                           if "temporal " in open(os.path.join(EXAMPLES_DIR, f),
                                                  encoding="utf-8").read())


CLASSICS = [(name, {}, {}) for name in TEMPORAL_EXAMPLES] + [
    ("dining.spec", {}, {"asymmetric": "true"}),
    ("dining.spec", {"NP": "4"}, {"asymmetric": "true"})]


@pytest.mark.parametrize("name,consts,switches", CLASSICS)
def test_the_classics_agree_with_the_naive_judge(name: str, consts: dict[str, str],
                                                 switches: dict[str, str]) -> None:
    """Every example with temporal properties (dining philosophers also asymmetric, and with
    four philosophers): the same verdicts as the naive judge, and real lassos."""
    spec = api.load_spec(os.path.join(EXAMPLES_DIR, name), consts, switches)
    assert agree_on_temporal(spec, name, max_states=20_000) == len(
        [p for p in spec.properties if p.kind == PropertyKind.TEMPORAL])


def test_the_lasso_check_refuses_what_is_not_a_fair_violating_behaviour(
        spec_file: Callable[[str], str]) -> None:
    """check_lasso is not vacuous: on specs/examples/fairness_group.spec (states are
    (side, done)), flipping forever is unfair under `fair left or right;` and a fair
    counterexample to Finishes under `fair left; fair right;`."""
    group = api.load_spec(os.path.join(EXAMPLES_DIR, "fairness_group.spec"))
    text = open(os.path.join(EXAMPLES_DIR, "fairness_group.spec"), encoding="utf-8").read()
    split = api.load_spec(spec_file(text.replace("fair left or right;", "fair left; fair right;")))
    flips = [(0, False), (1, False)]
    finishes = group.property("Finishes")
    assert live.check_lasso(split, split.property("Finishes"), flips, 0) is None
    assert "unfair" in (live.check_lasso(group, finishes, flips, 0) or "")
    assert "unfair" in (live.check_lasso(split, split.property("Finishes"), [(0, False)], 0)
                        or "")
    assert "no step" in (live.check_lasso(group, finishes, [(0, False), (0, True), (1, False)],
                                          2) or "")
    assert "satisfies" in (live.check_lasso(group, finishes, [(0, False), (0, True)], 1) or "")
    assert "initial" in (live.check_lasso(group, finishes, [(1, False)], 0) or "")
