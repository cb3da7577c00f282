"""Deliberately broken servers: each keeps the reference's behaviour but one realistic defect.

They exist to prove the checks work: fuzzing a variant must report the rule it breaks, and
fuzzing the reference must report nothing.  `VARIANTS` maps each name to its `Variant`
(the rule it breaks and the defect in one line)::

    >>> VARIANTS["no_lock"].rule
    'C11'
    >>> app = create_app(variant="no_lock")   # doctest: +SKIP

Every rule C1 to C13 has at least one variant (C14 has `slow_orders`).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from ordercheck.errors import OrdercheckError
from ordercheck.server import _defects_orders, _defects_payloads, _defects_protocol
from ordercheck.server._reference import Reference
from ordercheck.server._registry import Variant

__all__ = ["VARIANTS", "UnknownVariantError", "Variant", "behaviour_for"]

_ENTRIES = {
    **_defects_protocol.registry.entries,
    **_defects_payloads.registry.entries,
    **_defects_orders.registry.entries,
}

VARIANTS: Mapping[str, Variant] = MappingProxyType(
    {name: variant for name, (variant, _) in _ENTRIES.items()}
)


class UnknownVariantError(OrdercheckError, ValueError):
    """A variant name that is not in `VARIANTS` (a user's mistake, so exit code 2)."""

    def __init__(self, name: str):
        self.name = name
        super().__init__(
            f"variant={name!r} is not a known variant; `ordercheck serve --list-variants` "
            "lists them"
        )


def behaviour_for(name: str | None) -> type[Reference]:
    """The behaviour class of variant `name`; `None` is the conformant reference."""
    if name is None:
        return Reference
    try:
        return _ENTRIES[name][1]
    except KeyError:
        raise UnknownVariantError(name) from None
