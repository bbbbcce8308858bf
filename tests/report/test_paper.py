from __future__ import annotations

import pytest

from checker.report import paper

DOC = """# Title
prose stays
<!-- BEGIN generated: matrix -->
old
<!-- END generated: matrix -->
more prose
<!-- BEGIN generated: fixes -->
keep
<!-- END generated: fixes -->
"""


def test_fill_replaces_only_named_regions_and_keeps_prose() -> None:
    out = paper.fill(DOC, {"matrix": "| a | b |"})
    assert paper.regions(out) == {"matrix": "| a | b |\n", "fixes": "keep\n"}
    assert out.replace("| a | b |", "old") == DOC


def test_fill_is_idempotent() -> None:
    once = paper.fill(DOC, {"matrix": "new\n"})
    assert paper.fill(once, {"matrix": "new\n"}) == once


def test_unknown_region_is_refused() -> None:
    with pytest.raises(KeyError):
        paper.fill(DOC, {"nope": "x"})
