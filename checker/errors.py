"""Located, coded errors in a user's spec or command line, and how they are printed.

An error in the user's input is a `SpecError` (or a subclass) carrying a code, a span and notes.
Only `checker.cli` turns them into text and exit codes; internal bugs stay tracebacks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Mapping, Optional


@dataclass(frozen=True, slots=True)
class Span:
    """A region of a source file (1-based lines and columns)."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


NO_SPAN = Span("<none>", 0, 0, 0, 0)


class ErrorFamily(StrEnum):
    """The family of an error code: its first digit (docs/errors.md)."""

    SYNTAX = "E1"  # the text of a spec or its imports
    NAMES_AND_TYPES = "E2"
    EVALUATION = "E3"  # a value outside its domain, a missing key, division by zero
    INPUT = "E4"  # traces and other input that is not a spec
    UNSUPPORTED = "E5"  # a construct an engine cannot handle

    @classmethod
    def of(cls, code: str) -> ErrorFamily:
        return cls(code[:2])


# Error codes, one per kind of mistake. docs/errors.md explains each one.
SYNTAX = "E100"
IMPORT = "E101"
ENCODING = "E102"
TOO_DEEP = "E103"
UNDEFINED = "E200"
DUPLICATE = "E201"
TYPE_MISMATCH = "E202"
ARITY = "E203"
NOT_BOOLEAN = "E204"
NOT_ASSIGNABLE = "E205"
UNBOUNDED = "E206"
BAD_OVERRIDE = "E207"
PRIME_MISUSE = "E208"
NOT_CONSTANT = "E209"
EMPTY_SPEC = "E210"
DOMAIN = "E300"
EVALUATION = "E301"
NO_INITIAL_STATE = "E302"
TRACE_MISMATCH = "E400"
BAD_TRACE_FILE = "E401"
BAD_VALUE = "E402"
BAD_OUTPUT = "E403"
UNSUPPORTED = "E500"


@dataclass(frozen=True)
class Note:
    message: str
    span: Optional[Span] = None


@dataclass
class SpecError(Exception):
    """One mistake in the user's input, with where it is."""

    code: str
    message: str
    span: Optional[Span] = None
    notes: list[Note] = field(default_factory=list)

    @property
    def family(self) -> ErrorFamily:
        return ErrorFamily.of(self.code)

    def __str__(self) -> str:
        where = f"{self.span}: " if self.span else ""
        return f"{where}error[{self.code}]: {self.message}"


class SpecErrors(Exception):
    """Several independent mistakes found in one pass (the type checker collects them)."""

    def __init__(self, errors: list[SpecError]):
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


class EvaluationError(SpecError):
    """A spec that type-checks but does something undefined while being explored."""


class ConfigError(SpecError):
    """A mistake on the command line or in a file given to it (not in the spec)."""


def render(error: SpecError, sources: Mapping[str, str]) -> str:
    """The text a person sees: `file:line:col: error[CODE]: message`, the line, a caret, notes."""
    lines = [str(error)]
    if error.span is not None:
        lines.extend(_excerpt(error.span, sources))
    for note in error.notes:
        if note.span is not None:
            lines.append(f"{note.span}: note: {note.message}")
            lines.extend(_excerpt(note.span, sources))
        else:
            lines.append(f"note: {note.message}")
    return "\n".join(lines)


def _excerpt(span: Span, sources: Mapping[str, str]) -> list[str]:
    text = sources.get(span.file)
    if text is None or span.line < 1:
        return []
    source_lines = text.splitlines()
    if span.line > len(source_lines):
        return []
    line = source_lines[span.line - 1].rstrip()
    width = 1
    if span.end_line == span.line and span.end_column > span.column:
        width = span.end_column - span.column
    gutter = f"{span.line:>4} | "
    indent = "".join(c if c == "\t" else " " for c in line[:span.column - 1])
    caret = " " * (len(gutter) - 2) + "| " + indent + "^" * max(1, width)
    return [gutter + line, caret]


def decode_text(data: bytes, path: str, code: str = ENCODING) -> str:
    """A file's bytes as text: UTF-8, with or without a byte-order mark. Anything else is a
    located error (the first undecodable byte as line:column) with a hint."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SpecError(code, "the file is UTF-16 text; checkmodel reads UTF-8",
                        Span(path, 1, 1, 1, 2),
                        [Note("convert it, e.g. `iconv -f UTF-16 -t UTF-8 FILE > NEW`")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = exc.start
        line = data.count(b"\n", 0, start) + 1
        line_start = data.rfind(b"\n", 0, start) + 1
        column = len(data[line_start:start].decode("utf-8", errors="replace")) + 1
        raise SpecError(code, f"the file is not UTF-8 text: byte 0x{data[start]:02x} at offset "
                        f"{start} cannot be decoded", Span(path, line, column, line, column + 1),
                        [Note("save it as UTF-8 (e.g. `iconv -f LATIN1 -t UTF-8 FILE > NEW`)")]
                        ) from None
