"""The explored state graph as a networkx graph, and its export to DOT and GraphML.

Needs a search run with `SearchOptions(record_graph=True)`. Graphs above a node limit are refused
(drawing or loading them would not help anyone); `--graph-limit N` raises the limit.
"""

from __future__ import annotations

from typing import Optional, Sequence

import networkx as nx

from checker.ir import types as T
from checker.explicit.check import CheckResult

DEFAULT_LIMIT = 10_000
_RESERVED = ("label", "depth", "initial", "on_path")


class GraphTooLarge(Exception):
    """The state graph has more nodes than the limit allows."""

    def __init__(self, nodes: int, limit: int):
        super().__init__(f"the state graph has {nodes:,} states, more than the limit of "
                         f"{limit:,}; raise it with --graph-limit {nodes}")
        self.nodes = nodes
        self.limit = limit


class NoGraph(Exception):
    """The search did not keep its edges."""


def state_graph(res: CheckResult, limit: int = DEFAULT_LIMIT,
                highlight: Optional[Sequence[int]] = None) -> nx.DiGraph:
    """Nodes are state ids (0-based, in BFS order); `highlight` is a path of state ids, by
    default the first counterexample. Node attributes: label (the state as text), one per
    variable, depth, initial, on_path (position on the path or -1). Edge attributes: action,
    on_path."""
    graph = res.search.graph
    if len(graph.states) > limit:
        raise GraphTooLarge(len(graph.states), limit)
    if graph.edges is None:
        raise NoGraph("the search did not record its edges (SearchOptions(record_graph=True))")
    path = list(highlight if highlight is not None else _first_path(res))
    g = nx.DiGraph(name=res.spec.name)
    depth = _depths(graph.parent)
    spec = res.spec
    for sid, state in enumerate(graph.states):
        values = {v.name: T.format_value(v.type, x) for v, x in zip(spec.vars, state)}
        attrs = {(f"var_{k}" if k in _RESERVED else k): x for k, x in values.items()}
        g.add_node(sid, **attrs)
        g.nodes[sid].update(label="\n".join(f"{k} = {x}" for k, x in values.items()),
                            depth=depth[sid], initial=graph.parent[sid] < 0,
                            on_path=path.index(sid) if sid in path else -1)
    on_path = set(zip(path, path[1:]))
    for sid, successors in enumerate(graph.edges):
        actions = _actions(res, sid)
        for tid in successors:
            g.add_edge(sid, tid, action=actions.get(tid, ""), on_path=(sid, tid) in on_path)
    return g


def _first_path(res: CheckResult) -> tuple[int, ...]:
    return res.search.violations[0].path if res.search.violations else ()


def _depths(parent: list[int]) -> list[int]:
    """BFS level of each state, initial states at level 1 (parents come before children)."""
    depth: list[int] = []
    for p in parent:
        depth.append(1 if p < 0 else depth[p] + 1)
    return depth


def _actions(res: CheckResult, sid: int) -> dict[int, str]:
    """Target id -> the actions leading there from `sid`, in successor order."""
    graph, system = res.search.graph, res.system
    out: dict[int, list[str]] = {}
    for label, state in system.labeled_successors(graph.states[sid]):
        tid = graph.index.get(state)
        if tid is not None:
            names = out.setdefault(tid, [])
            text = system.label_text(label)
            if text not in names:
                names.append(text)
    return {tid: " | ".join(names) for tid, names in out.items()}


# ---------------------------------------------------------------- files


def write(g: nx.DiGraph, path: str) -> str:
    """Write DOT (.dot, .gv) or GraphML (.graphml); returns the format written."""
    lower = path.lower()
    if lower.endswith(".graphml"):
        nx.write_graphml(g, path)
        return "GraphML"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(to_dot(g))
    return "DOT"


def to_dot(g: nx.DiGraph) -> str:
    """Graphviz DOT text: the counterexample path in red, initial states with a double border."""
    lines = [f"digraph {_quote(str(g.graph.get('name') or 'states'))} {{",
             "  node [shape=box, fontname=\"monospace\", fontsize=10];",
             "  edge [fontname=\"sans-serif\", fontsize=9];"]
    for sid, data in g.nodes(data=True):
        style = [f"label={_quote(_node_label(sid, data))}"]
        if data.get("initial"):
            style.append("peripheries=2")
        if data.get("on_path", -1) >= 0:
            style.append("color=red, penwidth=2")
        lines.append(f"  s{sid} [{', '.join(style)}];")
    for a, b, data in g.edges(data=True):
        style = [f"label={_quote(str(data.get('action', '')))}"]
        if data.get("on_path"):
            style.append("color=red, penwidth=2")
        lines.append(f"  s{a} -> s{b} [{', '.join(style)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _node_label(sid: int, data: dict[str, object]) -> str:
    step = data.get("on_path", -1)
    head = f"state {sid}"
    if isinstance(step, int) and step >= 0:
        head += f" (trace state {step + 1})"
    return head + "\n" + str(data.get("label", ""))


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\l")
    return f'"{escaped}\\l"' if "\\l" in escaped else f'"{escaped}"'
