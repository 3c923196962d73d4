"""The shared request/response schema as Python types (TypedDicts for annotations; plain dicts at runtime)."""

import os
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, Dict, List, Literal, Optional, TypedDict, Union

# Money in: a Decimal, a decimal str ("19.99"), or an int meaning whole units (20 is "20.00"). Never float.
Money = Union[Decimal, str, int]
StrPath = Union[str, "os.PathLike[str]"]
Records = Iterable[Mapping[str, Any]]
Source = Union[StrPath, Records]
Placement = Literal["product_page", "cart", "checkout", "post_purchase"]
Device = Literal["mobile", "desktop"]


class _CartLineRequired(TypedDict):
    product_id: str


class CartLine(_CartLineRequired, total=False):
    quantity: int
    price: Money


Cart = Iterable[Union[str, CartLine]]


class Filters(TypedDict, total=False):
    category: Optional[str]
    tags: List[str]
    vendor: Optional[str]
    min_price: Optional[Money]
    max_price: Optional[Money]
    in_stock: Optional[bool]


class Reason(TypedDict):
    code: str
    text: str


class Recommendation(TypedDict):
    product_id: str
    title: str
    price: str
    score: float
    reasons: List[Reason]
    #: Not learned for this cart: shown because the learned suggestions ran short.
    fill: bool


class _CrossSellResponseRequired(TypedDict):
    heading: str
    placement: Placement
    recommendations: List[Recommendation]


class CrossSellResponse(_CrossSellResponseRequired, total=False):
    unknown_products: List[str]


class _ProductUpdateRequired(TypedDict):
    id: str


class ProductUpdate(_ProductUpdateRequired, total=False):
    price: Money
    compare_at_price: Optional[Money]
    available: bool
    inventory: Optional[int]


# Answers of the operations whose schema is still growing in the core: JSON-ready dicts.
UpsellResponse = Dict[str, Any]
UpgradePathResponse = Dict[str, Any]
DecoyPriceResponse = Dict[str, Any]
PriceCartResponse = Dict[str, Any]
SuggestBundlesResponse = Dict[str, Any]
TrainStats = Dict[str, Any]

__all__ = [
    "Cart",
    "CartLine",
    "CrossSellResponse",
    "DecoyPriceResponse",
    "Device",
    "Filters",
    "Money",
    "Placement",
    "PriceCartResponse",
    "ProductUpdate",
    "Reason",
    "Recommendation",
    "Records",
    "Source",
    "StrPath",
    "SuggestBundlesResponse",
    "TrainStats",
    "UpgradePathResponse",
    "UpsellResponse",
]


class AssignResponse(TypedDict):
    experiment: str
    variant: str
