"""Substitution of constants for bound names in IR expressions (for quantified properties)."""

from __future__ import annotations

import itertools
from dataclasses import replace
from typing import Iterator, Mapping

from checker.ir import nodes as ir
from checker.ir import types as T


def substitute(e: ir.Expr, values: Mapping[str, ir.Lit]) -> ir.Expr:
    """`e` with every free `Local` named in `values` replaced by its literal."""
    if not values:
        return e
    if isinstance(e, ir.Local):
        return values.get(e.name, e)
    if isinstance(e, ir.Op):
        return replace(e, args=tuple(substitute(a, values) for a in e.args))
    if isinstance(e, ir.Bind):
        inner = {k: v for k, v in values.items() if k != e.var}
        cond = substitute(e.cond, inner) if e.cond is not None else None
        return replace(e, domain=substitute(e.domain, values), body=substitute(e.body, inner),
                       cond=cond)
    return e


def instances(prop: ir.Property) -> Iterator[tuple[str, ir.Property]]:
    """Each instance of a quantified property, with a label such as `p = 2, q = 1` (a property
    without binders is its own single instance, labelled "")."""
    if not prop.binders:
        yield "", prop
        return
    for combo in itertools.product(*[b.values for b in prop.binders]):
        values = {b.var: ir.Lit(v, b.type, b.span) for b, v in zip(prop.binders, combo)}
        label = ", ".join(f"{b.var} = {T.format_value(b.type, v)}"
                          for b, v in zip(prop.binders, combo))
        right = substitute(prop.right, values) if prop.right is not None else None
        yield label, replace(prop, expr=substitute(prop.expr, values), right=right, binders=())
