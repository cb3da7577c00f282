"""The strategies' internals: import from `ordercheck.strategies`, whose `__all__` is the
public API; the map of these modules is in its docstring."""
