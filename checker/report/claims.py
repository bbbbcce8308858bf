"""Claims: sentences of the paper checked against the report's data, so prose cannot go stale.

Each claim in report.toml names a check; `evaluate` runs it on the data of `report.compute` and the
paper shows each claim with its status. tests/test_report.py fails if any claim is not confirmed.
"""

from __future__ import annotations

from typing import Any, Callable, Optional

from checker.ir.kinds import Status
from checker.report.config import Claim
from checker.report.table import Cell


def evaluate(claim: Claim, data: dict[str, Any]) -> bool:
    check = _CHECKS.get(claim.kind)
    if check is None:
        raise ValueError(f"claim {claim.id}: unknown kind {claim.kind!r}")
    return check(claim.args, data)


def _env(args: dict[str, Any], data: dict[str, Any]) -> str:
    return str(args.get("env") or data["environments"][0]["name"])


def _rows(data: dict[str, Any], args: dict[str, Any]) -> dict[str, dict[str, Any]]:
    env = _env(args, data)
    return {row["name"]: row for row in data["designs"] if row["env"] == env}


def _lattice(data: dict[str, Any], args: dict[str, Any]) -> dict[str, Any]:
    return data["lattices"][_env(args, data)]  # type: ignore[no-any-return]


def _same_verdicts(args: dict[str, Any], data: dict[str, Any]) -> bool:
    rows = _rows(data, args)
    first, *rest = [rows[d]["verdicts"] for d in args["designs"]]
    return all(r == first for r in rest)


def _same_row(args: dict[str, Any], data: dict[str, Any]) -> bool:
    rows = _rows(data, args)
    keys = [(rows[d]["verdicts"], rows[d]["distinct"], rows[d]["depth"]) for d in args["designs"]]
    return all(k == keys[0] for k in keys[1:])


def _verdict(args: dict[str, Any], data: dict[str, Any]) -> bool:
    got = _rows(data, args)[args["design"]]["verdicts"].get(args["property"])
    return got is not None and Cell.decode(got).status == Status(args["expected"])


def _same_verdict_on(args: dict[str, Any], data: dict[str, Any]) -> bool:
    return all(_verdict(dict(args, design=d), data) for d in args["designs"])


def _minimal_sets(args: dict[str, Any], data: dict[str, Any]) -> bool:
    got = _lattice(data, args)["properties"][args["property"]]["minimal"]
    return sorted(map(sorted, got)) == sorted(map(sorted, args["sets"]))


def _point(args: dict[str, Any], data: dict[str, Any]) -> bool:
    want = sorted(args["fixes"])
    for p in _lattice(data, args)["verdicts"]:
        if sorted(p["fixes"]) == want:
            return bool(p["verdicts"].get(args["property"]) == args["expected"])
    raise ValueError(f"no lattice point with fixes {want}")


def _proof(args: dict[str, Any], data: dict[str, Any]) -> bool:
    for row in data.get("proofs", []):
        if row["spec"] == args["spec"] and row["property"] == args["property"]:
            return bool(row["status"] == args["expected"])
    raise ValueError(f"no proof of {args['property']} on {args['spec']}")


def _horizon_stable(args: dict[str, Any], data: dict[str, Any]) -> bool:
    row = _rows(data, args)[args["design"]]
    return horizon_changed(row, args["property"]) is False


def horizon_changed(row: dict[str, Any], prop: str) -> Optional[bool]:
    """Does the row's verdict on `prop` change with the larger Horizon? None if not re-checked
    (or the re-check was cut short)."""
    again = row.get("recheck")
    if not again or not again["complete"] or prop not in row["verdicts"]:
        return None
    return bool(Cell.decode(row["verdicts"][prop]).status
                != Cell.decode(again["verdicts"][prop]).status)


def _lattice_agrees(args: dict[str, Any], data: dict[str, Any]) -> bool:
    """The lattice point with these fixes gets, on every lattice property, the verdict the
    design row gets in the matrix (the lattice may run at smaller bounds)."""
    row = _rows(data, args)[args["design"]]
    want = sorted(args["fixes"])
    for p in _lattice(data, args)["verdicts"]:
        if sorted(p["fixes"]) == want:
            return all(Cell.decode(row["verdicts"][prop]).status == Status(status)
                       for prop, status in p["verdicts"].items()
                       if prop not in args.get("except", []))
    raise ValueError(f"no lattice point with fixes {want}")


def _holds_nowhere(args: dict[str, Any], data: dict[str, Any]) -> bool:
    return bool(_lattice(data, args)["properties"][args["property"]]["holding_points"] == 0)


_CHECKS: dict[str, Callable[[dict[str, Any], dict[str, Any]], bool]] = {
    "same_verdicts": _same_verdicts, "same_row": _same_row, "verdict": _verdict,
    "minimal_sets": _minimal_sets, "point": _point, "holds_nowhere": _holds_nowhere,
    "proof": _proof, "horizon_stable": _horizon_stable, "same_verdict_on": _same_verdict_on,
    "lattice_agrees": _lattice_agrees,
}


def table(claims: tuple[Claim, ...], data: dict[str, Any]) -> str:
    lines = ["| | claim | confirmed by this run |", "|---|---|---|"]
    for c in claims:
        try:
            status = "yes" if evaluate(c, data) else "**NO: the prose is stale**"
        except (KeyError, ValueError) as exc:  # a design, property or point the data lacks
            status = f"**NO: the data has no {exc}**"
        lines.append(f"| {c.id} | {c.text} | {status} |")
    return "\n".join(lines)
