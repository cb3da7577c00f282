"""Re-exports imported on first use (PEP 562), so a package can offer a curated API without
importing its heavy modules until a name is asked for."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any


def lazy_exports(package: str, homes: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` that imports ``homes[name]`` (a module path) on first use of
    `name` and caches the value in the package.

    >>> getattr_ = lazy_exports("ordercheck", {"load_spec": "ordercheck.spec"})
    >>> getattr_("load_spec").__name__
    'load_spec'
    """

    def __getattr__(name: str) -> Any:
        if name not in homes:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(homes[name]), name)
        setattr(import_module(package), name, value)
        return value

    return __getattr__
