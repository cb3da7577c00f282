"""Strings: ones that match a spec pattern at a chosen length, and ones that just miss it.

Patterns have ECMA-262 meaning (CONTRACT.md).  Strings are *proposed* by the fastest way
that fits the pattern: a repeated character class gets `st.text` with the length wanted,
other simple patterns `_regex.pattern_strings`, anything else Hypothesis' `from_regex` (with
``re.ASCII``, so ``\\d`` stays ASCII as in ECMA).  `matches` (jsonschema-rs, the engine the
validators use) always has the last word.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from hypothesis import strategies as st

from ordercheck.json_tools import fast_validator
from ordercheck.strategies._internal.regex_strings import class_alphabet, pattern_strings

# Characters that read like text: letters, marks, digits, punctuation and spaces.
READABLE = st.characters(codec="utf-8", categories=("L", "M", "N", "P", "Zs"))
# One Unicode plane's worth of characters (no lone surrogates: payloads must encode as JSON).
PLANES = 17

# ``^[class]*$``, ``^[class]+$`` or ``^[class]{m,n}$``: one character class repeated, whose
# length Hypothesis can control directly instead of hoping `from_regex` reaches it.
_REPEATED_CLASS = re.compile(r"^\^(\[(?:\\.|[^\]\\])+\])(\*|\+|\{(\d+)(?:,(\d*))?\})\$$")

# What turns a matching string into a near miss: separators, look-alikes (letter O for zero),
# other scripts' digits, invisible and astral characters.
_INTRUDERS = (" ", "-", ".", "/", "@", "+", "#", "O", "l", "é", "०", "٣", "\t", "\u200b", "😀")
_DEVANAGARI_DIGITS = str.maketrans("0123456789", "०१२३४५६७८९")


@lru_cache(maxsize=512)
def _pattern_validator(pattern: str) -> Any:
    return fast_validator({"type": "string", "pattern": pattern})


def matches(pattern: str, text: str) -> bool:
    """Whether `text` matches `pattern` with ECMA-262 meaning (as the validators judge it)."""
    return bool(_pattern_validator(pattern).is_valid(text))


def plane_characters(plane: int) -> st.SearchStrategy[str]:
    """Characters of one Unicode plane (0 to 16), lone surrogates excluded."""
    low = plane << 16
    return st.characters(codec="utf-8", min_codepoint=low, max_codepoint=low | 0xFFFF)


def _repeated_class(pattern: str) -> tuple[str, int, int | None] | None:
    found = _REPEATED_CLASS.match(pattern)
    if found is None:
        return None
    char_class, quantifier, low, high = found.groups()
    if quantifier in ("*", "+"):
        return char_class, (1 if quantifier == "+" else 0), None
    if high is None:
        return char_class, int(low), int(low)
    return char_class, int(low), int(high) if high else None


def _from_regex(pattern: str) -> st.SearchStrategy[str] | None:
    try:
        return st.from_regex(re.compile(pattern, re.ASCII), fullmatch=True)
    except re.error:
        return None


def strings(
    patterns: tuple[str, ...],
    *,
    min_size: int = 0,
    max_size: int | None = None,
    alphabet: st.SearchStrategy[str] = READABLE,
) -> st.SearchStrategy[str]:
    """Strings of length `min_size`..`max_size` matching every pattern in `patterns`.

    >>> from hypothesis import find
    >>> find(strings(("^[0-9]+$",), min_size=3, max_size=3), lambda s: True)
    '000'
    """

    def fits(text: str) -> bool:
        size_ok = min_size <= len(text) and (max_size is None or len(text) <= max_size)
        return size_ok and all(matches(p, text) for p in patterns)

    if not patterns:
        return st.text(alphabet, min_size=min_size, max_size=max_size)
    repeated = _repeated_class(patterns[0])
    chars = class_alphabet(repeated[0]) if repeated is not None else None
    if repeated is not None and chars is not None:
        _, low, high = repeated
        low = max(low, min_size)
        high = max_size if high is None else (high if max_size is None else min(high, max_size))
        if high is not None and low > high:
            return st.nothing()
        return st.text(chars, min_size=low, max_size=high).filter(fits)
    drawn = pattern_strings(patterns[0])
    if drawn is None:
        drawn = _from_regex(patterns[0])
    if drawn is None:  # not even Python can read it: text the engine may accept
        drawn = st.text(alphabet, min_size=min_size, max_size=max_size)
    return drawn.filter(fits)


def _stretch(size: int) -> Any:
    return lambda seed: (seed * -(-size // len(seed)))[:size]


def stretched(
    patterns: tuple[str, ...], size: int, alphabet: st.SearchStrategy[str] | str = READABLE
) -> st.SearchStrategy[str]:
    """Strings of exactly `size` characters made by repeating a short drawn one: a long
    boundary value for the price of a short draw (Hypothesis draws text a character at a
    time).  Empty where the first pattern is not one repeated character class."""
    if patterns:
        repeated = _repeated_class(patterns[0])
        chars = class_alphabet(repeated[0]) if repeated is not None else None
        if repeated is None or chars is None or size < repeated[1]:
            return st.nothing()
        if repeated[2] is not None and size > repeated[2]:
            return st.nothing()
        alphabet = chars
    if size == 0:
        return st.just("").filter(lambda text: all(matches(p, text) for p in patterns))
    seeds = st.text(alphabet, min_size=1, max_size=min(size, 16))
    return seeds.map(_stretch(size)).filter(lambda text: all(matches(p, text) for p in patterns))


@st.composite
def near_misses(draw: st.DrawFn, text: str) -> str:
    """`text` changed a little, the telling changes first (Hypothesis' simplest example, and
    what it shrinks to, is the first): a trailing newline (Python's ``$`` takes it, ECMA's
    does not), digits of another script (``\\d`` without ``re.ASCII``), an ASCII digit changed
    (a PIN or mobile one digit off), a character dropped, added or replaced, padding, case
    swapped, the text doubled or emptied."""
    intruder = draw(st.sampled_from(_INTRUDERS) | READABLE)
    digit = draw(st.sampled_from("0123456789"))
    at = draw(st.integers(0, len(text)))
    edits = (
        text + "\n",
        text.translate(_DEVANAGARI_DIGITS),
        text[:at] + digit + text[at + 1 :],
        text[:at] + text[at + 1 :] if text else intruder,
        text[:at] + intruder + text[at:],
        text[:at] + intruder + text[at + 1 :],
        " " + text,
        text.swapcase(),
        text + text,
        "",
    )
    return edits[draw(st.integers(0, len(edits) - 1))]
