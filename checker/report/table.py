"""Designs x properties: check several specs and tabulate every verdict (text and JSON)."""

from __future__ import annotations

import json
import textwrap
import time
from dataclasses import asdict, dataclass
from typing import Callable, Optional, Sequence

from checker.ir.kinds import Status
from checker import api
from checker.explicit.check import Verdict
from checker.explicit.search import SearchOptions


@dataclass(frozen=True)
class Cell:
    """One verdict of the table. Saved as text: `holds`, `unknown` or `violated:7` (a violation
    whose shortest counterexample has 7 states); `encode` and `decode` are the only codec."""

    status: Status
    length: Optional[int] = None

    @classmethod
    def of(cls, verdict: Verdict) -> Cell:
        traced = verdict.status in (Status.VIOLATED, Status.REACHED)
        return cls(verdict.status, verdict.trace_length if traced else None)

    def encode(self) -> str:
        return self.status.value if self.length is None else f"{self.status.value}:{self.length}"

    @classmethod
    def decode(cls, text: str) -> Cell:
        status, _, length = text.partition(":")
        return cls(Status(status), int(length) if length else None)


@dataclass
class Row:
    spec: str
    name: str
    verdicts: dict[str, str]  # property -> `Cell.encode()`, as saved
    distinct: int
    generated: int
    depth: int
    seconds: float
    complete: bool
    error: Optional[str] = None  # the evaluation error that stopped the search, if one did


def run(paths: Sequence[str], options: SearchOptions = SearchOptions(keep_going=True),
        on_spec: Optional[Callable[[str], None]] = None) -> list[Row]:
    """Check each spec with --continue, so every property gets a verdict."""
    rows = []
    for path in paths:
        if on_spec is not None:
            on_spec(path)
        rows.append(run_one(path, options=options))
    return rows


def run_one(path: str, name: Optional[str] = None, consts: Optional[dict[str, str]] = None,
            options: SearchOptions = SearchOptions(keep_going=True),
            switches: Optional[dict[str, str]] = None) -> Row:
    """One row: a spec (with constant and switch overrides) and a verdict for each of its
    properties."""
    started = time.monotonic()
    res = api.check(path, consts=consts, switches=switches, options=options)
    return row_of(path, name, res, time.monotonic() - started)


def row_of(path: str, name: Optional[str], res: api.CheckResult, seconds: float) -> Row:
    """The row of a check; `seconds` is everything: load, compile, search, liveness."""
    cells = {v.property: Cell.of(v).encode() for v in res.verdicts}
    s = res.search
    error = None if s.error is None else str(s.error)
    return Row(path, name or res.spec.name, cells, s.distinct, s.generated, s.depth,
               round(seconds, 2), s.complete, error)


def _failed(shown: str, row: Row) -> str:
    """A verdict left unknown by an evaluation error is shown as the error."""
    return "ERROR" if row.error is not None and shown in ("unknown", "?") else shown


def errors_text(rows: list[Row]) -> list[str]:
    """A line per spec whose search stopped at an evaluation error: the table's `unknown`s in
    that row are because of it."""
    return [f"{r.name}: {r.error} (the search stopped there; its verdicts are unknown)"
            for r in rows if r.error is not None]


def _cell(text: Optional[str]) -> str:
    if text is None:
        return "-"
    cell = Cell.decode(text)
    if cell.status == Status.VIOLATED:
        return f"VIOLATED/{cell.length}"
    if cell.status == Status.REACHED:
        return f"reached/{cell.length}"  # the shortest trace to a witness state
    return cell.status.value


_SHORT = {Status.HOLDS: "ok", Status.UNKNOWN: "?", Status.NOT_CHECKED: ".",
          Status.UNREACHABLE: "unr"}


def _short_cell(text: Optional[str]) -> str:
    if text is None:
        return "-"
    cell = Cell.decode(text)
    if cell.status == Status.REACHED:
        return f"R{cell.length}"
    return f"V{cell.length}" if cell.status == Status.VIOLATED else _SHORT[cell.status]


def format_text(rows: list[Row], width: Optional[int] = None) -> str:
    """One row per spec, one column per property; `VIOLATED/7` is a 7-state counterexample.

    Wider than `width`, the columns are keyed P1..Pn (a legend below names them) and the
    verdicts abbreviated; still too wide, the properties are split over several tables."""
    properties: list[str] = []
    for r in rows:
        for p in r.verdicts:
            if p not in properties:
                properties.append(p)
    full = _grid(rows, properties, properties, _cell)
    if width is None or max(len(line) for line in full) <= width:
        return "\n".join(full + ["", "holds = no violation in the exhaustive search; VIOLATED/n "
                                  "= shortest counterexample of n states; - = not declared in "
                                  "that spec"] + _witness_legend(rows, "reached/n", "unreachable"))
    keys = [f"P{i + 1}" for i in range(len(properties))]
    lines: list[str] = []
    for part in _parts(rows, properties, keys, width):
        lines += (_grid(rows, [properties[i] for i in part], [keys[i] for i in part],
                        _short_cell) + [""])
    lines += [f"{k} = {p}" for k, p in zip(keys, properties)]
    lines += [""] + textwrap.wrap(
        "ok = holds (exhaustive search); Vn = VIOLATED, shortest counterexample of n states; "
        "? = unknown (search cut short); - = not declared in that spec", width)
    return "\n".join(lines + _witness_legend(rows, "Rn", "unr"))


def _witness_legend(rows: list[Row], reached: str, unreachable: str) -> list[str]:
    """The legend of `reachable` properties' cells, when the table has any."""
    statuses = {Cell.decode(text).status for r in rows for text in r.verdicts.values()}
    if not statuses & {Status.REACHED, Status.UNREACHABLE}:
        return []
    return [f"{reached} = reachable: a witness state at the end of a shortest trace of n states; "
            f"{unreachable} = no witness in the exhaustive search"]


def _parts(rows: list[Row], properties: list[str], keys: list[str],
           width: int) -> list[list[int]]:
    """The property columns, split into consecutive groups whose tables fit `width`."""
    parts: list[list[int]] = [[]]
    for i in range(len(properties)):
        trial = parts[-1] + [i]
        grid = _grid(rows, [properties[j] for j in trial], [keys[j] for j in trial], _short_cell)
        if parts[-1] and max(len(line) for line in grid) > width:
            parts.append([i])
        else:
            parts[-1] = trial
    return parts


def _grid(rows: list[Row], properties: list[str], heads: list[str],
          cell: Callable[[Optional[str]], str]) -> list[str]:
    head = ["spec"] + heads + ["distinct", "seconds"]
    body = [[r.name] + [_failed(cell(r.verdicts.get(p)), r) for p in properties]
            + [f"{r.distinct:,}", f"{r.seconds:.1f}"] for r in rows]
    widths = [max(len(str(x)) for x in col) for col in zip(head, *body)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(head, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in body]
    return lines
