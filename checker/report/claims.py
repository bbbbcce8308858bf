"""Claims: sentences of the paper checked against the report's data, so prose cannot go stale.

Each claim in report.toml names a check; `evaluate` runs it on the data of `report.compute` and the
paper shows each claim with its status. tests/test_report.py fails if any claim is not confirmed.
"""

from __future__ import annotations

from typing import Any, Callable

from checker.ir.kinds import Status
from checker.report.config import Claim
from checker.report.table import Cell


def evaluate(claim: Claim, data: dict[str, Any]) -> bool:
    check = _CHECKS.get(claim.kind)
    if check is None:
        raise ValueError(f"claim {claim.id}: unknown kind {claim.kind!r}")
    return check(claim.args, data)


def _rows(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["name"]: row for row in data["designs"]}


def _same_verdicts(args: dict[str, Any], data: dict[str, Any]) -> bool:
    rows = _rows(data)
    first, *rest = [rows[d]["verdicts"] for d in args["designs"]]
    return all(r == first for r in rest)


def _same_row(args: dict[str, Any], data: dict[str, Any]) -> bool:
    rows = _rows(data)
    keys = [(rows[d]["verdicts"], rows[d]["distinct"], rows[d]["depth"]) for d in args["designs"]]
    return all(k == keys[0] for k in keys[1:])


def _verdict(args: dict[str, Any], data: dict[str, Any]) -> bool:
    got = _rows(data)[args["design"]]["verdicts"].get(args["property"])
    return got is not None and Cell.decode(got).status == Status(args["expected"])


def _minimal_sets(args: dict[str, Any], data: dict[str, Any]) -> bool:
    got = data["lattice"]["properties"][args["property"]]["minimal"]
    return sorted(map(sorted, got)) == sorted(map(sorted, args["sets"]))


def _point(args: dict[str, Any], data: dict[str, Any]) -> bool:
    want = sorted(args["fixes"])
    for p in data["lattice"]["verdicts"]:
        if sorted(p["fixes"]) == want:
            return bool(p["verdicts"].get(args["property"]) == args["expected"])
    raise ValueError(f"no lattice point with fixes {want}")


def _proof(args: dict[str, Any], data: dict[str, Any]) -> bool:
    for row in data.get("proofs", []):
        if row["spec"] == args["spec"] and row["property"] == args["property"]:
            return bool(row["status"] == args["expected"])
    raise ValueError(f"no proof of {args['property']} on {args['spec']}")


def _holds_nowhere(args: dict[str, Any], data: dict[str, Any]) -> bool:
    return bool(data["lattice"]["properties"][args["property"]]["holding_points"] == 0)


_CHECKS: dict[str, Callable[[dict[str, Any], dict[str, Any]], bool]] = {
    "same_verdicts": _same_verdicts, "same_row": _same_row, "verdict": _verdict,
    "minimal_sets": _minimal_sets, "point": _point, "holds_nowhere": _holds_nowhere,
    "proof": _proof,
}


def table(claims: tuple[Claim, ...], data: dict[str, Any]) -> str:
    lines = ["| | claim | confirmed by this run |", "|---|---|---|"]
    for c in claims:
        ok = evaluate(c, data)
        lines.append(f"| {c.id} | {c.text} | {'yes' if ok else '**NO: the prose is stale**'} |")
    return "\n".join(lines)
