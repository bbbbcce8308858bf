"""The Python entry points: load and type-check a spec, compile it, check it.

`checker.cli` is a thin layer over these; tests and the report use them directly.
"""

from __future__ import annotations

from typing import Mapping, Optional

from checker.explicit.check import (CheckResult, Verdict, check_spec, known_properties,
                                    verdicts, violation_trace)
from checker.explicit.search import ProgressCallback, SearchOptions
from checker.lang.frontend import load_spec

__all__ = ["CheckResult", "Verdict", "check", "check_spec", "known_properties", "load_spec",
           "verdicts", "violation_trace"]


def check(path: str, consts: Optional[Mapping[str, str]] = None,
          switches: Optional[Mapping[str, str]] = None,
          options: SearchOptions = SearchOptions(),
          on_progress: Optional[ProgressCallback] = None,
          check_deadlock: Optional[bool] = None) -> CheckResult:
    """Load, compile and explore a spec; build a trace for every violation found."""
    spec = load_spec(path, consts, switches, check_deadlock)
    return check_spec(spec, options, on_progress)


