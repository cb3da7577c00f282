"""How a broken variant is declared: its public description and the behaviour that has it.

Each defect module keeps a `Registry` and decorates one small `Reference` subclass per
variant, so a variant's name, rule and one-line description sit on the code that has the
defect.  `variants.py` merges the registries into the public `VARIANTS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from ordercheck.server._reference import Reference

R = TypeVar("R", bound=type[Reference])


@dataclass(frozen=True)
class Variant:
    """A deliberately broken server: the contract rule it breaks and the realistic defect.

    >>> Variant("no_lock", "C11", "no per-id lock").rule
    'C11'
    """

    name: str
    rule: str
    description: str
    consequences: tuple[str, ...] = ()


class Registry:
    """The variants one defect module declares, in declaration order."""

    def __init__(self) -> None:
        self.entries: dict[str, tuple[Variant, type[Reference]]] = {}

    def add(
        self, name: str, rule: str, description: str, consequences: tuple[str, ...] = ()
    ) -> Callable[[R], R]:
        """Class decorator: register the decorated `Reference` subclass as variant `name`,
        which breaks `rule` and, unavoidably, the `consequences` (an error body that is not
        the envelope hides the lock message C11 reads)."""

        def register(behaviour: R) -> R:
            if name in self.entries:
                raise ValueError(f"variant name={name!r} is declared twice")
            variant = Variant(name, rule, description, consequences)
            self.entries[name] = (variant, behaviour)
            return behaviour

        return register
