"""The Markdown of PAPER.md's generated regions, from the data of `checker.report.compute`."""

from __future__ import annotations

from typing import Any, Iterable, Sequence

from checker.ir.kinds import ProofStatus, Status
from checker.report import charts
from checker.report.config import ReportConfig
from checker.report.table import Cell


def regions(data: dict[str, Any], config: ReportConfig) -> dict[str, str]:
    order = config.property_order
    out = {"matrix": matrix(data, order),
           "fixsets": "\n\n".join(fixsets(data["lattices"][env], order)
                                   for env in ordered(data["lattices"], _env_order(data))),
           "sweeps": sweeps(data["sweeps"]),
           "counterexamples": counterexamples(data["counterexamples"], config)}
    if "proofs" in data:
        out["proofs"] = proofs(data["proofs"])
    if config.claims:
        from checker.report import claims as report_claims
        out["claims"] = report_claims.table(config.claims, data)
    return out


def _cell(verdict: str | None) -> str:
    if verdict is None:
        return "–"
    cell = Cell.decode(verdict)
    return f"**✗** {cell.length}" if cell.status == Status.VIOLATED else cell.status.value


def _properties(rows: list[dict[str, Any]], order: Sequence[str] = ()) -> list[str]:
    """The properties of the rows: those of `order` first, in its order, then the others
    alphabetically; never the order of the data's dicts (saved JSON has its keys sorted, fresh
    data has them in the specs' order, and both must render alike)."""
    names = {name for row in rows for name in row["verdicts"] if name != "Deadlock"}
    return ordered(names, order)


def ordered(names: Iterable[str], order: Sequence[str]) -> list[str]:
    rank = {name: i for i, name in enumerate(order)}
    return sorted(names, key=lambda n: (rank.get(n, len(rank)), n))


def _env_order(data: dict[str, Any]) -> list[str]:
    return [e["name"] for e in data["environments"]]


def matrix(data: dict[str, Any], order: Sequence[str] = ()) -> str:
    """One table per environment (designs down, properties across, numbered; the legend names
    them), the cells that change with the larger Horizon, and the verdicts that change with the
    environment."""
    from checker.report.claims import horizon_changed
    rows = data["designs"]
    props = _properties(rows, order)
    lines: list[str] = []
    marked: list[str] = []
    for env in data["environments"]:
        mine = [r for r in rows if r["env"] == env["name"]]
        lines.append(f"**{env['name'].capitalize()} environment: {env['label']}.** "
                     + "; ".join(mine[0]["assumed"]) + "." if mine and mine[0]["assumed"]
                     else f"**{env['name']}**")
        lines.append("")
        lines.append("| design | " + " | ".join(f"P{i}" for i in range(1, len(props) + 1))
                     + " | distinct states |")
        lines.append("|---" * (len(props) + 2) + "|")
        for r in mine:
            cells = []
            for i, p in enumerate(props, start=1):
                text = _cell(r["verdicts"].get(p))
                if horizon_changed(r, p):
                    text += " †"
                    marked.append(_changed(r, p, i))
                cells.append(text)
            done = "" if r["complete"] else " (cut short)"
            lines.append(f"| `{r['name']}` | " + " | ".join(cells) + f" | {r['distinct']:,}{done} |")
        lines.append("")
    lines.append(", ".join(f"P{i} {p}" for i, p in enumerate(props, start=1)) + ".")
    lines.append("")
    lines.append("*holds*: no violation in the exhaustive search of the design's state space at "
                 "the bounds shown; **✗** *n*: violated, the shortest counterexample has *n* "
                 "states; –: not checked in that design.")
    lines += _recheck_notes(data, marked)
    lines += _environment_dependence(data, props)
    return "\n".join(lines)


def _changed(row: dict[str, Any], prop: str, index: int) -> str:
    again = row["recheck"]
    return (f"`{row['name']}` ({row['env']}) P{index} {prop}: {_cell(row['verdicts'][prop])} "
            f"with Horizon {row['consts'].get('Horizon', _horizon(row))}, "
            f"{_cell(again['verdicts'][prop])} with Horizon {again['consts']['Horizon']}")


def _horizon(row: dict[str, Any]) -> str:
    for line in row["assumed"]:
        for item in line.split(": ", 1)[-1].split(", "):
            if item.startswith("Horizon="):
                return str(item.split("=", 1)[1])
    return "?"


def _recheck_notes(data: dict[str, Any], marked: list[str]) -> list[str]:
    raise_by = data.get("horizon_recheck", 0)
    if not raise_by:
        return []
    rows = data["designs"]
    short = [f"`{r['name']}` ({r['env']})" for r in rows
             if r.get("recheck") and not r["recheck"]["complete"]]
    names = sorted({r["name"] for r in rows if r.get("recheck")})
    every = len(names) == len({r["name"] for r in rows})
    which = "every design" if every else ", ".join(f"`{n}`" for n in names)
    lines = ["", f"Every cell of {which} was checked again with Horizon + {raise_by}, in both "
             "environments (both ways: a holds that turns violated and a violation that "
             "disappears)" + ("." if every else "; the other designs were not re-checked.")]
    if marked:
        lines.append(" † marks a cell that changes, so it is **horizon-dependent**, not a "
                     "verdict: " + "; ".join(marked) + ".")
    else:
        lines[-1] += " No cell changed."
    if short:
        lines.append(" The re-check was cut short for " + ", ".join(short) + ".")
    return lines


def _environment_dependence(data: dict[str, Any], props: list[str]) -> list[str]:
    envs = [e["name"] for e in data["environments"]]
    if len(envs) < 2:
        return []
    first, other = envs[0], envs[1]
    by = {(r["name"], r["env"]): r for r in data["designs"]}
    lines = ["", f"Verdicts that depend on the environment ({first} vs {other}):", "",
             f"| design | holds only in the {other} environment | holds only in the {first} "
             "environment |", "|---|---|---|"]
    for r in (r for r in data["designs"] if r["env"] == first):
        o = by.get((r["name"], other))
        if o is None:
            continue
        lucky = [p for p in props if _holds(o, p) and not _holds(r, p)]
        worse = [p for p in props if _holds(r, p) and not _holds(o, p)]
        lines.append(f"| `{r['name']}` | {', '.join(lucky) or '–'} | {', '.join(worse) or '–'} |")
    return lines


def _holds(row: dict[str, Any], prop: str) -> bool:
    text = row["verdicts"].get(prop)
    return text is not None and Cell.decode(text).status == Status.HOLDS


def fixsets(lattice: dict[str, Any], order: Sequence[str] = ()) -> str:
    dims = lattice["dimensions"]
    bounds = ", ".join(f"{k}={v}" for k, v in sorted(lattice.get("consts", {}).items()))
    lines = [f"Lattice ({lattice.get('env', 'default')} environment"
             + (f"; bounds {bounds}" if bounds else "") + f"): `{lattice['spec']}` with "
             "every combination of "
             f"{len(dims)} switches ({lattice['points']} designs, each searched exhaustively"
             f"{'' if lattice['complete'] else ' — SOME SEARCHES WERE CUT SHORT'}):", ""]
    lines.append("| switch | today | fixes |")
    lines.append("|---|---|---|")
    for d in dims:
        lines.append(f"| `{d['switch']}` | {d['today']} | {', '.join(d['fixes'])} |")
    lines.append("")
    lines.append("| property | designs where it holds | minimal sets of fixes that make it hold |")
    lines.append("|---|---|---|")
    for prop in ordered(lattice["properties"], order):
        info = lattice["properties"][prop]
        sets = info["minimal"]
        shown = "; ".join("{" + ", ".join(f"`{c}`" for c in s) + "}" if s else "{} (holds today)"
                          for s in sets) or "none: no combination of these switches"
        lines.append(f"| {prop} | {info['holding_points']} of {lattice['points']} | {shown} |")
    return "\n".join(lines)


def sweeps(items: list[dict[str, Any]]) -> str:
    lines = ["| spec | bound | value | distinct states | depth |", "|---|---|---|---|---|"]
    for sweep in items:
        for point in sweep["points"]:
            done = "" if point["complete"] else " (cut short)"
            lines.append(f"| `{sweep['spec']}` | {sweep['label']} | {point['value']} | "
                         f"{point['distinct']:,}{done} | {point['depth']} |")
    return "\n".join(lines)


def counterexamples(items: list[dict[str, Any]], config: ReportConfig) -> str:
    lines = []
    for cx in items:
        t = cx["trace"]
        lines.append(f"**{cx['name']}**: `{cx['property']}` on `{cx['spec']}`"
                     + (f" — {cx['caption']}" if cx["caption"] else ""))
        lines.append("")
        if t is None:
            lines.append("*No counterexample: the property holds on this design.*")
            lines.append("")
            continue
        names = charts.figure_names(cx)
        for k, name in enumerate(names, 1):
            shown = cx["name"] if len(names) == 1 else f"{cx['name']}, part {k} of {len(names)}"
            lines.append(f"![{shown}]({config.figures}/{name})")
            lines.append("")
        actions = [s["#meta"].get("action") for s in t["states"][1:]]
        lines.append(f"{len(t['states'])} states: " + " → ".join(f"`{a}`" for a in actions))
        lines.append("")
    return "\n".join(lines).rstrip()


def proofs(rows: list[dict[str, Any]]) -> str:
    """Properties down, proved designs across."""
    specs: list[str] = []
    for row in rows:
        if row["spec"] not in specs:
            specs.append(row["spec"])
    props: list[str] = []
    for row in rows:
        if row["property"] not in props:
            props.append(row["property"])
    cell = {(r["spec"], r["property"]): r["status"] for r in rows}
    names = [s.rsplit("/", 1)[-1].removesuffix(".spec") for s in specs]
    lines = ["| property | " + " | ".join(f"`{n}`" for n in names) + " |",
             "|---" * (len(specs) + 1) + "|"]
    for p in props:
        shown = [_proof_cell(cell.get((s, p), "–")) for s in specs]
        lines.append(f"| {p} | " + " | ".join(shown) + " |")
    return "\n".join(lines)


def _proof_cell(status: str) -> str:
    return f"**{status}**" if status == ProofStatus.PROVED else status
