"""Run-time faults of generated code: where an evaluation can fail, and the error it becomes.

Generated code raises `Fault(site, detail)`; `site` indexes the compiled system's table of
`FaultSite`s, each the span of the expression or statement that failed and, for a domain check,
the type the value had to lie in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

from checker import errors
from checker.errors import EvaluationError, Note, Span
from checker.ir import types as T


class Fault(Exception):
    """Raised by generated code when a value leaves its domain or an operation is undefined."""

    def __init__(self, site: int, detail: str):
        super().__init__(detail)
        self.site = site
        self.detail = detail


@dataclass(frozen=True)
class FaultSite:
    """A place in the spec where evaluation can fail.

    `domain` is set for a domain check (an assignment or send whose value must lie in a type);
    otherwise the operation itself is undefined there (division by zero, a key outside a map).
    """

    span: Optional[Span]
    domain: Optional[T.Type] = None

    def message(self, detail: str) -> str:
        if self.domain is not None:
            return f"value {detail} is outside the domain {self.domain}"
        return detail

    def error(self, detail: str, notes: Sequence[Note] = ()) -> EvaluationError:
        code = errors.DOMAIN if self.domain is not None else errors.EVALUATION
        return EvaluationError(code, self.message(detail), self.span, list(notes))
