"""The Lark parser tables are cached in the user's cache folder and reloaded from there."""

from __future__ import annotations

import os

import pytest

from checker.lang import parse

SPEC = "module m; var x: 0..3 = 0; action a when x < 3 { x := x + 1; } invariant I: x <= 3;"


def test_parser_saved_then_loaded_from_the_cache_parses_alike(tmp_path: object,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    parse._parser.cache_clear()
    try:
        fresh = parse.parse_module(SPEC, "m.spec")
        files = os.listdir(os.path.join(str(tmp_path), "checkmodel"))
        assert len(files) == 1 and files[0].startswith("grammar-")
        parse._parser.cache_clear()
        loaded = parse.parse_module(SPEC, "m.spec")  # from the file written above
        assert loaded == fresh
        with pytest.raises(Exception) as info:
            parse.parse_module("module m; var x = 0;", "m.spec")
        assert "E1" in str(getattr(info.value, "code", ""))
    finally:
        parse._parser.cache_clear()


def test_an_unwritable_cache_folder_means_no_cache(tmp_path: object,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = os.path.join(str(tmp_path), "file")
    with open(blocker, "w") as handle:
        handle.write("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", blocker)
    assert parse._cache_file("grammar") is None
