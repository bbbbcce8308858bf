"""From a spec file and its command-line overrides to the typed IR: load, parse, type check.

`load_spec` reads overrides as the command line gives them (text); `reload` loads a spec again
with some of its constants at other values (how Z3 counterexamples with symbolic constants are
replayed), from what the IR records: its files, and the values of the constants given on the
command line. Values go back to the type checker as literals, never through text.
"""

from __future__ import annotations

import dataclasses
from typing import Mapping, Optional, Sequence

from checker import errors
from checker.ir import nodes as ir
from checker.ir import types as T
from checker.ir.kinds import ConstSource
from checker.lang import syntax as s
from checker.lang.load import Loaded, load
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
    return _checked(path, helpers, overrides, check_deadlock)


def reload(spec: ir.Spec, values: Mapping[str, T.Value]) -> ir.Spec:
    """`spec` loaded again from its files with its command-line overrides, and `values` for
    some of its constants as if given with --const (or --set, for a switch)."""
    by_name = {c.name: c for c in spec.constants}
    given = {c.name: c.value for c in spec.constants if c.source == ConstSource.COMMAND_LINE}
    given.update(values)
    overrides = [Override(name, _literal(by_name[name].type, value), by_name[name].switch)
                 for name, value in given.items()]
    return _checked(spec.path, spec.helpers, overrides, spec.check_deadlock)


def _checked(path: str, helpers: Sequence[str], overrides: list[Override],
             check_deadlock: Optional[bool]) -> ir.Spec:
    loaded = _with_helpers(load(path), helpers)
    spec = typecheck(loaded, overrides, check_deadlock)
    return dataclasses.replace(spec, helpers=tuple(helpers)) if helpers else spec


def _with_helpers(loaded: Loaded, helpers: Sequence[str]) -> Loaded:
    known = {m.path for m in loaded.modules}
    for extra in helpers:
        more = load(extra)
        loaded.modules.extend(m for m in more.modules if m.path not in known)
        known |= {m.path for m in more.modules}
        loaded.sources.update(more.sources)
    return loaded


def _override(name: str, text: str, switch: bool) -> Override:
    flag = "--set" if switch else "--const"
    try:
        value = parse_expr(text, f"<{flag} {name}>")
    except errors.SpecError as exc:
        raise errors.ConfigError(errors.BAD_OVERRIDE,
                                 f"{flag} {name}={text}: not a value ({exc.message})") from None
    return Override(name, value, switch)


def _literal(t: T.Type, value: T.Value) -> s.Expr:
    """A constant's value as the literal that denotes it (constants are bools, integers,
    enumeration members, or sets of symbolic atoms)."""
    if isinstance(t, T.BoolType):
        return s.BoolLit(bool(value))
    if isinstance(t, T.IntType):
        return s.IntLit(int(value))
    if isinstance(t, T.EnumType):
        return s.Name(t.members[int(value)])
    assert isinstance(t, T.SetType) and isinstance(t.elem, T.EnumType)
    return s.SetLit(tuple(s.Name(m) for m in t.elem.members))
