"""Reading a spec and its imports from disk, in dependency order."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from checker import errors
from checker.lang import declarations as D
from checker.lang.parse import parse_module


@dataclass
class Loaded:
    """The root module and every module it imports (imports first), with their source texts."""

    root: D.Module
    modules: list[D.Module]
    sources: dict[str, str] = field(default_factory=dict)


def load(path: str) -> Loaded:
    """Parse `path` and, recursively, every file it imports. Each file is read once."""
    sources: dict[str, str] = {}
    modules: list[D.Module] = []
    done: set[str] = set()

    def visit(file: str, stack: list[str], via: D.Import | None) -> D.Module | None:
        if "\x00" in file:
            raise errors.SpecError(errors.IMPORT, "an import path cannot contain a NUL character",
                                   via.span if via else None)
        real = os.path.realpath(file)
        if real in stack:
            cycle = " -> ".join(os.path.basename(p) for p in stack[stack.index(real):] + [real])
            raise errors.SpecError(errors.IMPORT, f"import cycle: {cycle}",
                                   via.span if via else None)
        if real in done:
            return None
        try:
            with open(file, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            if via is None:  # the file named on the command line
                raise errors.ConfigError(errors.IMPORT, f"cannot read {file}: {exc.strerror}",
                                         None) from None
            raise errors.SpecError(errors.IMPORT, f"cannot read {file}: {exc.strerror}",
                                   via.span) from None
        display = os.path.relpath(file) if not os.path.isabs(file) or _under_cwd(file) else file
        text = errors.decode_text(data, display)
        sources[display] = text
        module = parse_module(text, display)
        for decl in module.decls:
            if isinstance(decl, D.Import):
                target = os.path.join(os.path.dirname(file), decl.path)
                visit(target, stack + [real], decl)
        done.add(real)
        modules.append(module)
        return module

    root = visit(path, [], None)
    assert root is not None
    return Loaded(root, modules, sources)


def _under_cwd(file: str) -> bool:
    return os.path.realpath(file).startswith(os.path.realpath(os.getcwd()) + os.sep)
