"""The report's figures, drawn from the report's data (never from a separate run)."""

from __future__ import annotations

import os
from typing import Any, Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.colors import ListedColormap  # noqa: E402

from checker.views import render
from checker.ir.kinds import Status
from checker.report import charts
from checker.report.config import ReportConfig
from checker.report.table import Cell  # noqa: E402
from checker.report.tables import _properties  # noqa: E402


def paths(data: dict[str, Any], config: ReportConfig) -> list[str]:
    out = [os.path.join(config.figures, "verdict_matrix.svg"),
           os.path.join(config.figures, "state_counts.svg")]
    for cx in data["counterexamples"]:
        if cx["trace"] is not None:
            out += [os.path.join(config.figures, name) for name in charts.figure_names(cx)]
            out.append(os.path.join(config.figures, f"{cx['name']}.mmd"))
    return out


def draw_all(data: dict[str, Any], config: ReportConfig, root: str) -> None:
    directory = os.path.join(root, config.figures)
    os.makedirs(directory, exist_ok=True)
    first = data["environments"][0]["name"]  # the default environment: what the code allows
    verdict_matrix([r for r in data["designs"] if r["env"] == first],
                   os.path.join(directory, "verdict_matrix.svg"), config.property_order)
    state_counts(data["sweeps"], os.path.join(directory, "state_counts.svg"))
    for cx in data["counterexamples"]:
        if cx["trace"] is not None:
            charts.draw(cx, directory)


# Okabe-Ito colours (distinguishable with every common colour-vision deficiency); each verdict
# also has its own symbol, so the matrix reads in grey print too.
_HOLDS, _VIOLATED, _UNKNOWN, _ABSENT = "#56B4E9", "#E69F00", "#BBBBBB", "#FFFFFF"
PAPER_WIDTH = 7.0  # inches: a figure drawn at this width is shown at its own font sizes


def verdict_matrix(rows: list[dict[str, Any]], path: str, order: Sequence[str] = ()) -> None:
    """Designs down, properties across (P1..Pn, named in the key on the right), those of
    `order` first."""
    props = _properties(rows, order)
    codes = {Status.HOLDS: 0, Status.VIOLATED: 1, Status.UNKNOWN: 2, Status.NOT_CHECKED: 2}
    grid = [[codes[Cell.decode(r["verdicts"][p]).status] if p in r["verdicts"] else 3
             for p in props] for r in rows]
    fig = plt.figure(figsize=(PAPER_WIDTH, 0.26 * len(rows) + 1.3))
    ax = fig.add_axes((0.22, 0.12, 0.46, 0.76))
    ax.imshow(grid, cmap=ListedColormap([_HOLDS, _VIOLATED, _UNKNOWN, _ABSENT]), vmin=0,
              vmax=3, aspect="auto")
    for i, r in enumerate(rows):
        for j, p in enumerate(props):
            v = r["verdicts"].get(p)
            ax.text(j, i, "–" if v is None else _cell_text(Cell.decode(v)), ha="center",
                    va="center", fontsize=6.5)
    ax.set_xticks(range(len(props)), [f"P{j + 1}" for j in range(len(props))], fontsize=7)
    ax.set_yticks(range(len(rows)), [r["name"] for r in rows], fontsize=7)
    ax.tick_params(length=0)
    ax.set_xticks([x - 0.5 for x in range(1, len(props))], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, len(rows))], minor=True)
    ax.grid(which="minor", color="white", linewidth=1)
    key = "\n".join(f"P{j + 1}  {p}" for j, p in enumerate(props))
    fig.text(0.70, 0.88, key, fontsize=6.5, va="top", family="monospace")
    fig.text(0.70, 0.12, "✓ holds (exhaustive search)\n✗n violated: shortest\n"
             "     counterexample of n states\n?  unknown (cut short)\n–  not in that design",
             fontsize=6.5, va="bottom")
    fig.suptitle("Verdicts by design", fontsize=9, x=0.45)
    render.save(fig, path)
    plt.close(fig)


def state_counts(sweeps: list[dict[str, Any]], path: str) -> None:
    """One panel per bound swept (each its own x axis), distinct states on a log scale."""
    fig, axes = plt.subplots(1, len(sweeps), figsize=(PAPER_WIDTH, 2.6), sharey=True,
                             squeeze=False)
    for ax, sweep in zip(axes[0], sweeps):
        xs = [int(p["value"]) for p in sweep["points"]]
        ys = [p["distinct"] for p in sweep["points"]]
        ax.plot(xs, ys, marker="o", color="#0072B2")
        ax.set_xticks(xs, [str(x) for x in xs], fontsize=7)
        ax.set_xlabel(sweep["label"], fontsize=7.5)
        ax.set_yscale("log")
        ax.tick_params(axis="y", labelsize=7)
        ax.set_title(sweep["spec"].rsplit("/", 1)[-1], fontsize=7.5)
        ax.grid(True, which="major", color="#dddddd", linewidth=0.6)
    axes[0][0].set_ylabel("distinct states", fontsize=7.5)
    fig.suptitle("State space against each bound of the model (the others at their defaults)",
                 fontsize=8.5)
    fig.tight_layout()
    render.save(fig, path)
    plt.close(fig)


def _cell_text(cell: Cell) -> str:
    if cell.status == Status.VIOLATED:
        return f"✗{cell.length}"
    return "✓" if cell.status == Status.HOLDS else "?"
