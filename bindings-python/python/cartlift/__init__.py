"""cartlift: cart-aware cross-sell, upsell tiers and exact bundle pricing, in-process.

Everything lives in the compiled ``cartlift._cartlift`` module; this package re-exports it so the
public names are ``cartlift.Engine``, ``cartlift.CartliftError`` and its subclasses.
"""

from cartlift._cartlift import (
    CartliftError,
    CorruptModel,
    CurrencyMismatch,
    Engine,
    InternalError,
    InvalidInput,
    IoError,
    UnknownExperiment,
    UnknownProduct,
    UnsupportedVersion,
    __version__,
)

__all__ = [
    "CartliftError",
    "CorruptModel",
    "CurrencyMismatch",
    "Engine",
    "InternalError",
    "InvalidInput",
    "IoError",
    "UnknownExperiment",
    "UnknownProduct",
    "UnsupportedVersion",
    "__version__",
]
