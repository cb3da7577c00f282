"""Defaults every part shares, named once: the merchant and key of the page's example (which
the reference server knows and the fuzzer sends unless told otherwise), and the variable the
key may come from."""

from typing import Final

DEFAULT_MERCHANT_ID: Final = "demo-merchant"
DEFAULT_ACCESS_KEY: Final = "1mg_client_access_key"  # the page's example value
ACCESS_KEY_ENVVAR: Final = "ORDERCHECK_ACCESS_KEY"
