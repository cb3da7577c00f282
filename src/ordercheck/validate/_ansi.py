"""ANSI styling for the text renderer.

The renderers do not import click (the validate engine and its output are usable without the
command line), so they colour with these few escape codes of ECMA-48 (SGR): the only ones the
text output uses.
"""

from __future__ import annotations

_ATTRIBUTES = {"bold": "1", "dim": "2", "underline": "4"}
_COLOURS = {"red": "31", "green": "32", "yellow": "33", "cyan": "36"}
RESET = "\x1b[0m"


def style(
    text: str,
    *,
    fg: str | None = None,
    bold: bool = False,
    dim: bool = False,
    underline: bool = False,
) -> str:
    """`text` wrapped in the SGR codes for the colour and attributes asked for.

    >>> style("ok", fg="green", bold=True)
    '\\x1b[1;32mok\\x1b[0m'
    """
    asked = {"bold": bold, "dim": dim, "underline": underline}
    codes = [_ATTRIBUTES[name] for name, on in asked.items() if on]
    if fg is not None:
        codes.append(_COLOURS[fg])
    return f"\x1b[{';'.join(codes)}m{text}{RESET}" if codes else text
