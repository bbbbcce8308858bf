"""The design-review report: the verdict table, fix sets, claims, PAPER.md and figures/."""
