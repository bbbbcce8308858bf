"""The report's figures, drawn from the report's data (never from a separate run)."""

from __future__ import annotations

import os
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.colors import ListedColormap  # noqa: E402

from checker.views import msc
from checker.views import msc_format
from checker.views import render
from checker.trace import trace  # noqa: E402
from checker.trace import io as trace_io
from checker.ir.kinds import Status
from checker.report.config import ReportConfig
from checker.report.table import Cell  # noqa: E402
from checker.report.tables import _properties  # noqa: E402


def paths(data: dict[str, Any], config: ReportConfig) -> list[str]:
    out = [os.path.join(config.figures, "verdict_matrix.svg"),
           os.path.join(config.figures, "state_counts.svg")]
    for cx in data["counterexamples"]:
        if cx["trace"] is not None:
            out.append(os.path.join(config.figures, f"{cx['name']}.svg"))
            out.append(os.path.join(config.figures, f"{cx['name']}.mmd"))
    return out


def draw_all(data: dict[str, Any], config: ReportConfig, root: str) -> None:
    directory = os.path.join(root, config.figures)
    os.makedirs(directory, exist_ok=True)
    verdict_matrix(data["designs"], os.path.join(directory, "verdict_matrix.svg"))
    state_counts(data["sweeps"], os.path.join(directory, "state_counts.svg"))
    for cx in data["counterexamples"]:
        if cx["trace"] is None:
            continue
        t = trace_io.from_itf_json(cx["trace"])
        chart = msc.build_chart(t)
        render.save(render.chart_figure(chart), os.path.join(directory, f"{cx['name']}.svg"))
        with open(os.path.join(directory, f"{cx['name']}.mmd"), "w", encoding="utf-8") as f:
            f.write(msc_format.format_mermaid(chart))


def verdict_matrix(rows: list[dict[str, Any]], path: str) -> None:
    props = _properties(rows)
    codes = {Status.HOLDS: 0, Status.VIOLATED: 1, Status.UNKNOWN: 2, Status.NOT_CHECKED: 2}
    grid = [[codes[Cell.decode(r["verdicts"][p]).status] if p in r["verdicts"] else 3
             for r in rows] for p in props]
    fig, ax = plt.subplots(figsize=(1.4 * len(rows) + 4, 0.42 * len(props) + 1.5))
    cmap = ListedColormap(["#7fc97f", "#f0605d", "#cccccc", "#ffffff"])
    ax.imshow(grid, cmap=cmap, vmin=0, vmax=3, aspect="auto")
    for i, p in enumerate(props):
        for j, r in enumerate(rows):
            v = r["verdicts"].get(p)
            text = "–" if v is None else _cell_text(Cell.decode(v))
            ax.text(j, i, text, ha="center", va="center", fontsize=8)
    ax.set_xticks(range(len(rows)), [r["name"] for r in rows], rotation=30, ha="right")
    ax.set_yticks(range(len(props)), props, fontsize=8)
    ax.set_title("Verdicts by design (✗ n: shortest counterexample of n states)", fontsize=10)
    fig.tight_layout()
    render.save(fig, path)
    plt.close(fig)


def state_counts(sweeps: list[dict[str, Any]], path: str) -> None:
    fig, ax = plt.subplots(figsize=(6.5, 4))
    for sweep in sweeps:
        xs = [str(p["value"]) for p in sweep["points"]]
        ys = [p["distinct"] for p in sweep["points"]]
        ax.plot(xs, ys, marker="o", label=f"{sweep['spec'].rsplit('/', 1)[-1]}: {sweep['label']}")
    ax.set_yscale("log")
    ax.set_xlabel("bound value")
    ax.set_ylabel("distinct states")
    ax.set_title("State space against the model's bounds", fontsize=10)
    ax.legend(fontsize=7)
    fig.tight_layout()
    render.save(fig, path)
    plt.close(fig)


def _cell_text(cell: Cell) -> str:
    return f"✗ {cell.length}" if cell.status == Status.VIOLATED else cell.status.value
