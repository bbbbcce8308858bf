"""The Markdown of PAPER.md's generated regions, from the data of `checker.report.compute`."""

from __future__ import annotations

from typing import Any

from checker.ir.kinds import ProofStatus, Status
from checker.report.config import ReportConfig
from checker.report.table import Cell


def regions(data: dict[str, Any], config: ReportConfig) -> dict[str, str]:
    out = {"matrix": matrix(data["designs"]),
           "fixsets": fixsets(data["lattice"]),
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


def _properties(rows: list[dict[str, Any]]) -> list[str]:
    names: list[str] = []
    for row in rows:
        for name in row["verdicts"]:
            if name not in names and name != "Deadlock":
                names.append(name)
    return names


def matrix(rows: list[dict[str, Any]]) -> str:
    """Designs down, properties across (numbered; the legend names them)."""
    props = _properties(rows)
    head = "| design | " + " | ".join(f"P{i}" for i in range(1, len(props) + 1)) + \
        " | distinct states |"
    lines = [head, "|---" * (len(props) + 2) + "|"]
    for r in rows:
        done = "" if r["complete"] else " (cut short)"
        lines.append(f"| `{r['name']}` | " + " | ".join(_cell(r["verdicts"].get(p)) for p in props)
                     + f" | {r['distinct']:,}{done} |")
    lines.append("")
    lines.append(", ".join(f"P{i} {p}" for i, p in enumerate(props, start=1)) + ".")
    lines.append("")
    lines.append("*holds*: no violation in the exhaustive search of the design's state space at "
                 "its default bounds; **✗** *n*: violated, the shortest counterexample has *n* "
                 "states; –: not checked in that design.")
    return "\n".join(lines)


def fixsets(lattice: dict[str, Any]) -> str:
    dims = lattice["dimensions"]
    lines = [f"Lattice: `{lattice['spec']}` with every combination of "
             f"{len(dims)} switches ({lattice['points']} designs, each searched exhaustively"
             f"{'' if lattice['complete'] else ' — SOME SEARCHES WERE CUT SHORT'}):", ""]
    lines.append("| switch | today | fixes |")
    lines.append("|---|---|---|")
    for d in dims:
        lines.append(f"| `{d['switch']}` | {d['today']} | {', '.join(d['fixes'])} |")
    lines.append("")
    lines.append("| property | designs where it holds | minimal sets of fixes that make it hold |")
    lines.append("|---|---|---|")
    for prop, info in lattice["properties"].items():
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
        lines.append(f"![{cx['name']}]({config.figures}/{cx['name']}.svg)")
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
