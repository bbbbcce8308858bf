"""From a spec file and its command-line overrides to the typed IR: load, parse, type check."""

from __future__ import annotations

from typing import Mapping, Optional, Sequence

from checker import errors
from checker.ir import nodes as ir
from checker.lang.load import load
from checker.lang.parse import parse_expr
from checker.lang.overrides import Override
from checker.lang.typecheck import check as typecheck


def load_spec(path: str, consts: Optional[Mapping[str, str]] = None,
              switches: Optional[Mapping[str, str]] = None,
              check_deadlock: Optional[bool] = None, helpers: Sequence[str] = ()) -> ir.Spec:
    """Parse and type-check a spec file, with `--const` and `--set` style overrides as text.

    The declarations of `helpers` files (helper invariants for `prove --helpers`) are merged in
    as if the spec imported them.
    """
    overrides = [_override(n, v, False) for n, v in (consts or {}).items()]
    overrides += [_override(n, v, True) for n, v in (switches or {}).items()]
    loaded = load(path)
    known = {m.path for m in loaded.modules}
    for extra in helpers:
        more = load(extra)
        loaded.modules.extend(m for m in more.modules if m.path not in known)
        known |= {m.path for m in more.modules}
        loaded.sources.update(more.sources)
    return typecheck(loaded, overrides, check_deadlock)


def _override(name: str, text: str, switch: bool) -> Override:
    flag = "--set" if switch else "--const"
    try:
        value = parse_expr(text, f"<{flag} {name}>")
    except errors.SpecError as exc:
        raise errors.ConfigError(errors.BAD_OVERRIDE,
                                 f"{flag} {name}={text}: not a value ({exc.message})") from None
    return Override(name, value, switch)


