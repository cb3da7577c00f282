"""Strategies for the simple regular expressions specs use, without `from_regex`.

`from_regex` draws a pattern one character at a time (about 1.5 ms for a phone number); a
pattern built from character classes, literals, groups, alternation and quantifiers can be
drawn as a few whole strings instead.  This module handles that subset with ECMA-262 meaning
(``\\d`` is ASCII, ``.`` excludes line terminators) and returns None for anything else, where
the caller falls back to `from_regex`.  Whatever it draws is still checked by the validators'
engine (`_text.matches`), so a gap here can cost speed, never validity.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from hypothesis import strategies as st

# Spelled out as an alphabet up to this many characters; larger classes draw by range.
_SPELL_OUT = 4096
# Repetitions drawn for an unbounded quantifier (* + {n,}) beyond its minimum.
_OPEN_ENDED = 8
_LINE_TERMINATORS = "\n\r\u2028\u2029"
_ESCAPE_CLASSES = {
    "d": [(0x30, 0x39)],
    "w": [(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)],
    "s": [(0x09, 0x0D), (0x20, 0x20)],
}
_ESCAPE_LITERALS = {"t": "\t", "n": "\n", "r": "\r", "f": "\f", "v": "\v", "0": "\0"}

Interval = tuple[int, int]
Alphabet = st.SearchStrategy[str] | str


@dataclass(frozen=True)
class _Atom:
    """One thing a quantifier applies to: a literal, a set of characters, or a group."""

    literal: str | None = None
    alphabet: Alphabet | None = None
    group: st.SearchStrategy[str] | None = None


class _Unsupported(Exception):
    """The pattern uses syntax outside the subset: fall back to `from_regex`."""


def _alphabet(intervals: list[Interval], negated: bool) -> Alphabet:
    size = sum(hi - lo + 1 for lo, hi in intervals)
    if negated:
        if size > _SPELL_OUT:
            raise _Unsupported
        excluded = "".join(chr(c) for lo, hi in intervals for c in range(lo, hi + 1))
        return st.characters(codec="utf-8", exclude_characters=excluded)
    if size <= _SPELL_OUT:
        return "".join(chr(c) for lo, hi in intervals for c in range(lo, hi + 1))
    return st.one_of(
        [st.characters(codec="utf-8", min_codepoint=lo, max_codepoint=hi) for lo, hi in intervals]
    )


class _Parser:
    """Recursive descent over the supported subset, building strategies as it goes."""

    def __init__(self, pattern: str):
        self.text = pattern
        self.at = 0

    def peek(self) -> str:
        return self.text[self.at] if self.at < len(self.text) else ""

    def take(self) -> str:
        char = self.peek()
        self.at += 1
        return char

    def alternation(self) -> st.SearchStrategy[str]:
        branches = [self.sequence()]
        while self.peek() == "|":
            self.take()
            branches.append(self.sequence())
        return branches[0] if len(branches) == 1 else st.one_of(branches)

    def sequence(self) -> st.SearchStrategy[str]:
        pieces: list[st.SearchStrategy[str]] = []
        while self.peek() not in ("", "|", ")"):
            pieces.append(self.piece())
        if not pieces:
            return st.just("")
        return pieces[0] if len(pieces) == 1 else st.tuples(*pieces).map("".join)

    def piece(self) -> st.SearchStrategy[str]:
        atom = self.atom()
        low, high = self.quantifier()
        if atom.alphabet is not None:
            return st.text(atom.alphabet, min_size=low, max_size=high)
        if atom.literal is not None:
            literal = atom.literal
            return st.integers(low, high).map(lambda n: literal * n)
        assert atom.group is not None
        if (low, high) == (1, 1):
            return atom.group
        return st.lists(atom.group, min_size=low, max_size=high).map("".join)

    def quantifier(self) -> tuple[int, int]:
        char = self.peek()
        if char in ("*", "+", "?"):
            self.take()
            low, high = {"*": (0, None), "+": (1, None), "?": (0, 1)}[char]
        elif char == "{":
            low, high = self.braces()
        else:
            return 1, 1
        if self.peek() == "?":
            self.take()  # lazy: the same strings
        return low, (low + _OPEN_ENDED if high is None else high)

    def braces(self) -> tuple[int, int | None]:
        end = self.text.find("}", self.at)
        body = self.text[self.at + 1 : end]
        low_text, comma, high_text = body.partition(",")
        if end < 0 or not low_text.isdigit() or (high_text and not high_text.isdigit()):
            raise _Unsupported
        self.at = end + 1
        high = int(high_text) if high_text else (None if comma else int(low_text))
        return int(low_text), high

    def atom(self) -> _Atom:
        char = self.take()
        if char == "[":
            return _Atom(alphabet=self.char_class())
        if char == "(":
            if self.text.startswith("?:", self.at):
                self.at += 2
            elif self.peek() == "?":
                raise _Unsupported  # lookarounds, named groups
            inner = self.alternation()
            if self.take() != ")":
                raise _Unsupported
            return _Atom(group=inner)
        if char == ".":
            return _Atom(
                alphabet=st.characters(codec="utf-8", exclude_characters=_LINE_TERMINATORS)
            )
        if char == "\\":
            intervals, literal = self.escape()
            if literal is not None:
                return _Atom(literal=literal)
            return _Atom(alphabet=_alphabet(intervals, False))
        if char in ("^", "$", "*", "+", "?", "{", "}", "]", ""):
            raise _Unsupported
        return _Atom(literal=char)

    def escape(self) -> tuple[list[Interval], str | None]:
        char = self.take()
        if char in _ESCAPE_CLASSES:
            return _ESCAPE_CLASSES[char], None
        if char in _ESCAPE_LITERALS:
            return [], _ESCAPE_LITERALS[char]
        if char == "u" and len(self.text) >= self.at + 4:
            code = self.text[self.at : self.at + 4]
            self.at += 4
            try:
                return [], chr(int(code, 16))
            except ValueError:
                raise _Unsupported from None
        if char.isalnum() or char == "":
            raise _Unsupported  # \b, \D, \p{...}, backreferences
        return [], char

    def class_member(self) -> list[Interval]:
        char = self.take()
        if char == "\\":
            intervals, literal = self.escape()
            if literal is None:
                return intervals
            char = literal
        if self.peek() == "-" and self.text[self.at + 1 : self.at + 2] not in ("]", ""):
            self.take()
            end = self.take()
            if end == "\\":
                _, literal = self.escape()
                if literal is None:
                    raise _Unsupported
                end = literal
            return [(ord(char), ord(end))]
        return [(ord(char), ord(char))]

    def char_class(self) -> Alphabet:
        negated = self.peek() == "^"
        if negated:
            self.take()
        intervals: list[Interval] = []
        while self.peek() != "]":
            if self.peek() == "":
                raise _Unsupported
            intervals.extend(self.class_member())
        self.take()
        return _alphabet(intervals, negated)


def _strip_anchors(pattern: str) -> str:
    # A full match also matches the unanchored pattern (ECMA patterns search), so generating
    # full matches is right either way.
    if pattern.startswith("^"):
        pattern = pattern[1:]
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1]
    return pattern


@lru_cache(maxsize=512)
def pattern_strings(pattern: str) -> st.SearchStrategy[str] | None:
    """Strings fully matching `pattern`, or None when it uses syntax outside the subset.

    >>> from hypothesis import find
    >>> find(pattern_strings("^[6-9][0-9]{9}$"), lambda s: True)
    '6000000000'
    """
    parser = _Parser(_strip_anchors(pattern))
    try:
        strategy = parser.alternation()
    except (_Unsupported, IndexError, ValueError):
        return None
    return strategy if parser.at == len(parser.text) else None


@lru_cache(maxsize=512)
def class_alphabet(char_class: str) -> Alphabet | None:
    """The alphabet of one ``[...]`` class, for `st.text` (None if outside the subset)."""
    parser = _Parser(char_class)
    try:
        parser.take()
        alphabet = parser.char_class()
    except (_Unsupported, IndexError, ValueError):
        return None
    return alphabet if parser.at == len(char_class) else None


# Python's own regex parser (``re._parser``) gives the tree the two witnesses below are read
# off.  Typed loosely: it is an implementation module without stubs of its own.
_sre: Any = importlib.import_module("re._parser")
_CATEGORY_CHARS = {"CATEGORY_DIGIT": "0", "CATEGORY_WORD": "a", "CATEGORY_SPACE": " "}
# Tried in order for a negated class: the first one it does not exclude is used.
_PLAIN = "a0A_-.x"


class _NoWitness(Exception):
    """The pattern uses syntax the witness reader does not follow."""


def _class_char(items: list[Any]) -> str:
    negated = bool(items) and str(items[0][0]) == "NEGATE"
    chars: list[str] = []
    for op, arg in items[1:] if negated else items:
        name = str(op)
        if name == "LITERAL":
            chars.append(chr(arg))
        elif name == "RANGE":
            chars.append(chr(arg[0]))
        elif name == "CATEGORY" and str(arg) in _CATEGORY_CHARS:
            chars.append(_CATEGORY_CHARS[str(arg)])
        else:
            raise _NoWitness
    if not negated:
        if not chars:
            raise _NoWitness
        return chars[0]
    excluded = {chr(arg) for op, arg in items[1:] if str(op) == "LITERAL"}
    return next((c for c in _PLAIN if c not in excluded and c not in chars), "a")


def _witness(tree: Any, extra: int) -> str:
    out: list[str] = []
    for op, arg in tree:
        name = str(op)
        if name == "LITERAL":
            out.append(chr(arg))
        elif name == "IN":
            out.append(_class_char(arg))
        elif name == "ANY":
            out.append("a")
        elif name in ("MAX_REPEAT", "MIN_REPEAT"):
            low, high, inner = arg
            count = low + extra if high == _sre.MAXREPEAT else min(low + extra, high)
            out.append(_witness(inner, extra) * count)
        elif name == "SUBPATTERN":
            out.append(_witness(arg[-1], extra))
        elif name == "BRANCH":
            out.append(min((_witness(b, extra) for b in arg[1]), key=len))
        elif name != "AT":
            raise _NoWitness
    return "".join(out)


@lru_cache(maxsize=512)
def witness_strings(pattern: str) -> tuple[str, ...]:
    """Two strings read off `pattern` without drawing: every repetition at its minimum, and
    one more of each (where the pattern allows); empty where the syntax is beyond the
    reader.  Deterministic stand-ins for "a value of this field", which the caller checks.

    >>> witness_strings("^[1-9][0-9]{5}$"), witness_strings("^0*(\\\\.0*)?$")
    (('100000', '100000'), ('', '0.0'))
    """
    try:
        tree = _sre.parse(pattern)
        return (_witness(tree, 0), _witness(tree, 1))
    except (_NoWitness, re.error, TypeError, ValueError):
        return ()
