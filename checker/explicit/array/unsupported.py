"""Why a spec does not compile to the array engine (the tuple engine then runs instead)."""

from __future__ import annotations


class Unsupported(Exception):
    """A construct the array compiler does not handle; the message names it."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason
