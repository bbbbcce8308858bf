"""The state of one type-checking pass over a spec's declarations (`typecheck.check`): the
namespace, what is declared where, the IR built so far, and the errors collected (every
independent mistake is reported, not just the first)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from checker import errors
from checker.errors import Note, Span, SpecError
from checker.ir import nodes as ir
from checker.lang import declarations as D
from checker.lang.load import Loaded
from checker.lang.overrides import Override
from checker.lang.scope import Namespace
from checker.lang.stmt_checker import StmtChecker


@dataclass
class Pass:
    """What one type-checking pass has declared so far, and the errors it has collected."""

    loaded: Loaded
    overrides: list[Override]
    ns: Namespace = field(default_factory=Namespace)
    errors: list[SpecError] = field(default_factory=list)
    declared: dict[str, Span] = field(default_factory=dict)
    vars: list[ir.StateVar] = field(default_factory=list)
    actions: list[ir.Action] = field(default_factory=list)
    properties: list[ir.Property] = field(default_factory=list)
    fairness: list[ir.Fairness] = field(default_factory=list)
    deadlock: bool = True
    keep_going: bool = False
    aliases: dict[str, D.TypeDecl] = field(default_factory=dict)

    @property
    def checker(self) -> StmtChecker:
        return StmtChecker(self.ns)

    def attempt(self, work: Callable[[], None]) -> None:
        try:
            work()
        except errors.SpecErrors as many:
            self.errors.extend(many.errors)
        except SpecError as error:
            self.errors.append(error)

    def declare(self, name: str, span: Span, space: str = "") -> None:
        key = space + name
        if key in self.declared:
            raise SpecError(errors.DUPLICATE, f"'{name}' is declared twice", span,
                            [Note("first declared here", self.declared[key])])
        self.declared[key] = span
