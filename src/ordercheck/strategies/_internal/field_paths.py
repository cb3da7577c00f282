"""Places in a document: a rule's field template (``user.address.pincode``, ``skus.*``,
``prescriptions[]``) made concrete on one document, and copies of a document with the value
at a place replaced, deleted or its key renamed (copying only the path, so a breach of a
large base costs little).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hypothesis import reject
from hypothesis import strategies as st

from ordercheck.strategies._internal.constraints import Shape

ITEM = "[]"
VALUE = "*"
PathStep = str | int
DELETE: Any = object()


def template_steps(field: str) -> tuple[str, ...]:
    """``user.address.pincode`` -> (user, address, pincode); ``skus.*`` -> (skus, *);
    ``prescriptions[]`` -> (prescriptions, []); ``body`` -> ()."""
    if field == "body":
        return ()
    steps: list[str] = []
    for part in field.split("."):
        name = part.rstrip(ITEM)
        steps.append(name)
        steps.extend([ITEM] * ((len(part) - len(name)) // len(ITEM)))
    return tuple(steps)


def shape_at(shape: Shape | None, steps: Sequence[str]) -> Shape | None:
    """The shape a field template leads to (None where the schema does not go)."""
    for step in steps:
        if shape is None:
            return None
        if step == ITEM:
            shape = shape.items
        elif step == VALUE:
            shape = shape.values
        else:
            shape = shape.properties.get(step)
    return shape


def get(document: Any, steps: Sequence[PathStep]) -> Any:
    for step in steps:
        document = document[step]
    return document


def replaced(document: Any, steps: Sequence[PathStep], value: Any) -> Any:
    """`document` with the value at `steps` replaced (or deleted), copying only the path."""
    if not steps:
        return value
    head, rest = steps[0], steps[1:]
    if isinstance(document, list):
        copy = list(document)
        copy[int(head)] = replaced(copy[int(head)], rest, value)
        return copy
    out = dict(document)
    if not rest and value is DELETE:
        out.pop(str(head), None)
    else:
        out[str(head)] = replaced(out.get(str(head)), rest, value)
    return out


def renamed(mapping: dict[str, Any], old: str, new: str) -> dict[str, Any]:
    return {(new if key == old else key): value for key, value in mapping.items()}


@st.composite
def concrete(draw: st.DrawFn, document: Any, template: Sequence[str]) -> list[PathStep]:
    """`template` made concrete on `document`: an index for ``[]``, a key for ``*``."""
    steps: list[PathStep] = []
    node = document
    for step in template:
        if step == ITEM:
            if not isinstance(node, list) or not node:
                reject()
            index = draw(st.integers(0, len(node) - 1))
            steps.append(index)
            node = node[index]
        else:
            if not isinstance(node, dict) or (step == VALUE and not node):
                reject()
            key = draw(st.sampled_from(list(node))) if step == VALUE else step
            steps.append(key)
            node = node.get(key)
    return steps


def first_place(document: Any, template: Sequence[str]) -> list[PathStep] | None:
    """`template` made concrete on `document` without drawing: the first item of each array
    and the first entry of each map (None where the document has none)."""
    steps: list[PathStep] = []
    node = document
    for step in template:
        if step == ITEM:
            if not isinstance(node, list) or not node:
                return None
            steps.append(0)
            node = node[0]
        else:
            if not isinstance(node, dict) or (step == VALUE and not node):
                return None
            key = next(iter(node)) if step == VALUE else step
            steps.append(key)
            node = node.get(key)
    return steps
