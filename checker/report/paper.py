"""Generated regions of a Markdown document: the text between

    <!-- BEGIN generated: NAME -->
    <!-- END generated: NAME -->

belongs to `checkmodel report`; everything outside the markers is prose it leaves alone.
"""

from __future__ import annotations

import re
from typing import Mapping

_REGION = re.compile(
    r"(<!-- BEGIN generated: (?P<name>[\w.-]+) -->\n)(?P<body>.*?)(<!-- END generated: (?P=name) -->)",
    re.S)


def regions(text: str) -> dict[str, str]:
    """The current content of every generated region, by name."""
    return {m.group("name"): m.group("body") for m in _REGION.finditer(text)}


def fill(text: str, content: Mapping[str, str]) -> str:
    """Replace the body of each named region; a region without new content is left as it is.

    Raises KeyError when `content` names a region the document does not have.
    """
    missing = set(content) - set(regions(text))
    if missing:
        raise KeyError(f"no generated region named {', '.join(sorted(missing))}")

    def replace(m: re.Match[str]) -> str:
        name = m.group("name")
        if name not in content:
            return m.group(0)
        body = content[name]
        if body and not body.endswith("\n"):
            body += "\n"
        return f"{m.group(1)}{body}{m.group(4)}"

    return _REGION.sub(replace, text)
