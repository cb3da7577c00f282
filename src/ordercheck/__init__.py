"""ordercheck: contract testing and payload validation for the 1mg Create Order API.

Layers, lowest first (see ARCHITECTURE.md): `spec` -> `validators`, `strategies` -> `checks`
-> `runner`, `server` -> `reports` -> `cli`, `pytest_plugin`.
"""

__version__ = "0.1.0"
