"""Values for constants and switches given from outside their declaration: `set NAME = e;` in a
spec file and `--const`/`--set` on the command line."""

from __future__ import annotations

from dataclasses import dataclass

from checker import errors
from checker.errors import ConfigError, Note, Span, SpecError
from checker.ir.kinds import ConstSource
from checker.lang import declarations as D
from checker.lang import syntax as s

Given = dict[str, tuple[s.Expr, ConstSource, Span]]  # name -> (value, where from, its span)


@dataclass(frozen=True)
class Override:
    """A value for a constant or switch given on the command line (`--const`, `--set`)."""

    name: str
    value: s.Expr
    switch: bool  # given with --set (a switch) rather than --const


def spec_overrides(overrides: list[Override], decls: list[D.Decl]) -> Given:
    """`set NAME = e;` in the files, then the command line on top: name -> (value, source, span)."""
    out: Given = {}
    for d in decls:
        if isinstance(d, D.SetOverride):
            out[d.name] = (d.value, ConstSource.SPEC, d.span)
    for o in overrides:
        out[o.name] = (o.value, ConstSource.COMMAND_LINE, o.value.span)
    return out


def unknown_overrides(overrides: list[Override], decls: list[D.Decl]) -> list[SpecError]:
    """Overrides that name nothing, or a constant given with --set (and the other way round)."""
    found: list[SpecError] = []
    known: dict[str, D.Const | D.Switch | D.ConstAtoms] = {
        d.name: d for d in decls if isinstance(d, (D.Const, D.Switch, D.ConstAtoms))}
    names = sorted(known)
    for o in overrides:
        d = known.get(o.name)
        if d is None:
            hint = [Note("constants and switches: " + ", ".join(names))] if names else []
            found.append(ConfigError(errors.BAD_OVERRIDE,
                                        f"no constant or switch named '{o.name}'", None, hint))
        elif o.switch != isinstance(d, D.Switch):
            flag = "--set" if isinstance(d, D.Switch) else "--const"
            kind = "a switch" if isinstance(d, D.Switch) else "a constant"
            found.append(ConfigError(errors.BAD_OVERRIDE,
                                        f"'{o.name}' is {kind}: give it with {flag}", None,
                                        [Note("declared here", d.span)]))
    for decl in decls:
        if isinstance(decl, D.SetOverride) and decl.name not in known:
            found.append(SpecError(errors.BAD_OVERRIDE,
                                      f"`set` names no constant or switch: '{decl.name}'", decl.span))
    return found


def override_error(overrides: list[Override], name: str, span: Span, message: str) -> SpecError:
    """A bad value for `name`: a command-line error if the command line gave it."""
    if any(o.name == name for o in overrides):
        return ConfigError(errors.BAD_OVERRIDE, message, None)
    return SpecError(errors.BAD_OVERRIDE, message, span)
