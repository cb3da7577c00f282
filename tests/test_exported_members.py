"""`__all__` of the public packages lists every public name they define, and nothing else
(in the manner of httpx's tests/test_exported_members.py)."""

from __future__ import annotations

import inspect
from types import ModuleType

import pytest

import ordercheck.spec
import ordercheck.validate
import ordercheck.validators

PUBLIC_PACKAGES = [ordercheck.spec, ordercheck.validate, ordercheck.validators]


def public_members(module: ModuleType) -> set[str]:
    """Names a user would see with `dir()`: not private, not submodules, not `annotations`."""
    return {
        name
        for name, value in vars(module).items()
        if not name.startswith("_") and not inspect.ismodule(value) and name != "annotations"
    }


@pytest.mark.parametrize("module", PUBLIC_PACKAGES, ids=lambda m: m.__name__)
def test_all_lists_every_public_member(module: ModuleType) -> None:
    """Every public name of the package is in `__all__`, and every entry exists."""
    exported = set(module.__all__)
    assert len(exported) == len(module.__all__), "duplicates in __all__"
    assert exported == public_members(module)
    assert all(hasattr(module, name) for name in module.__all__)


@pytest.mark.parametrize("module", PUBLIC_PACKAGES, ids=lambda m: m.__name__)
def test_exported_members_come_from_the_package(module: ModuleType) -> None:
    """Each exported class or function is defined inside the package it is exported from,
    so `__all__` never re-exports a dependency by accident."""
    for name in module.__all__:
        value = getattr(module, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert value.__module__.startswith(module.__name__), (name, value.__module__)
