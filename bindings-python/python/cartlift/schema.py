"""The shared request/response schema as Python types (TypedDicts for annotations; plain dicts at runtime).

Generated from include/cartlift.schema.json by scripts/gen_python_types.py: do not edit (scripts/gen-schema.sh).
"""

import os
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, Dict, List, Literal, Optional, Tuple, TypedDict, Union

# Money in: a Decimal, a decimal str ("19.99"), or an int meaning whole units (20 is "20.00"). Never float.
Money = Union[Decimal, str, int]
StrPath = Union[str, "os.PathLike[str]"]
Records = Iterable[Mapping[str, Any]]
Source = Union[StrPath, Records]


class AddItem(TypedDict):
    product_id: str
    quantity: int


class UnitsUsed(TypedDict):
    product_id: str
    quantity: int


class AppliedBundle(TypedDict):
    applications: int
    bundle_id: str
    kind: str
    saving: str
    title: Optional[str]
    units: List[UnitsUsed]


# The `assign` request of the JSON API. `experiments` are definitions; without them the engine's stored
# experiments are used.
class _AssignRequestRequired(TypedDict):
    experiment: str
    visitor_id: str


class AssignRequest(_AssignRequestRequired, total=False):
    experiments: Optional[List[Any]]


# The `assign` answer: the variant of the experiment this visitor sees.
class AssignResponse(TypedDict):
    experiment: str
    variant: str


Verdict = Literal["better", "worse", "same", "unknown"]


# One attribute of an option against the base: "256 GB vs 128 GB: 2x storage".
class AttributeComparison(TypedDict):
    attribute: str
    base_value: str
    text: str
    value: str
    verdict: Verdict


Badge = Literal["most_popular", "best_value"]


class _CartLineRequired(TypedDict):
    product_id: str


class CartLine(_CartLineRequired, total=False):
    #: Unit price override (a negotiated or sale price); the catalog price otherwise.
    price: Optional[Money]
    quantity: int


Cart = Iterable[Union[str, CartLine]]


class ComparisonRow(TypedDict):
    attribute: str
    label: str
    values: List[str]


# A table a storefront renders as is: one column per option, rows "price" then attributes by name.
class ComparisonTable(TypedDict):
    product_ids: List[str]
    rows: List[ComparisonRow]


Device = Literal["mobile", "desktop"]


# Storefront filters on suggestions.
class Filters(TypedDict, total=False):
    category: Optional[str]
    #: Only products in stock (default true: cartlift never suggests what cannot be bought).
    in_stock: Optional[bool]
    max_price: Optional[Money]
    min_price: Optional[Money]
    tags: List[str]
    vendor: Optional[str]


Placement = Literal["product_page", "cart", "checkout", "post_purchase"]


# The cross-sell request of the shared schema.
class _CrossSellRequestRequired(TypedDict):
    cart: List[Union[str, CartLine]]


class CrossSellRequest(_CrossSellRequestRequired, total=False):
    #: Products this customer bought before.
    customer_history: List[str]
    customer_id: Optional[str]
    #: Offers the shopper dismissed: never suggested again.
    declined: List[str]
    device: Optional[Device]
    filters: Optional[Filters]
    limit: Optional[int]
    #: Time for bundle windows, "buy it again", seasons and decline windows (RFC 3339); default: the clock
    #: (decline windows: the newest trained event).
    now: Optional[str]
    offset: int
    #: `false` ignores every personal signal for this request (no consent); default on.
    personalize: Optional[bool]
    placement: Placement
    #: Products viewed this session.
    viewed: List[str]
    #: The anonymous shopper (cookie id): trained declines of this visitor apply (also picks an
    #: experiment's variant when `experiment` is given).
    visitor_id: Optional[str]


# A machine code and a human sentence saying why something was suggested.
class Reason(TypedDict):
    code: str
    text: str


class Recommendation(TypedDict):
    #: Not learned for this cart: popular in a category bought with the cart's (or trending or popular, for a
    #: cart nothing is known about), shown because the learned suggestions ran short.
    fill: bool
    price: str
    product_id: str
    reasons: List[Reason]
    score: float
    title: str


class _CrossSellResponseRequired(TypedDict):
    heading: str
    placement: Placement
    recommendations: List[Recommendation]


class CrossSellResponse(_CrossSellResponseRequired, total=False):
    #: Cart products the engine has not seen (answered from what is known).
    unknown_products: List[str]


# For merchants: at what price an existing middle option would become a decoy for the target.
class _DecoyPriceRequestRequired(TypedDict):
    #: The base (entry tier) of the ladder.
    product_id: str


class DecoyPriceRequest(_DecoyPriceRequestRequired, total=False):
    max_price_ratio: Optional[float]
    #: The tier to make look best; default: the highest-priced tier an upsell from the base could target.
    target_id: Optional[str]


class DecoySuggestion(TypedDict):
    already_decoy: bool
    price: str
    price_change: str
    product_id: str
    reasons: List[Reason]
    #: The lowest price at which it is a decoy for the target (its current price when it already is).
    suggested_price: str
    title: str


class DecoyPriceResponse(TypedDict):
    #: Decoys cost from this price up to the target's (`decoy_min_ratio` × target price, rounded up).
    min_decoy_price: Optional[str]
    product_id: str
    reasons: List[Reason]
    #: Middle options the target dominates, highest-priced first; empty when none can become a decoy.
    suggestions: List[DecoySuggestion]
    target_id: Optional[str]
    target_price: Optional[str]


# A row that `skip_invalid` left out, and why.
class _SkippedRequired(TypedDict):
    line: int
    message: str


class Skipped(_SkippedRequired, total=False):
    field: Optional[str]


# What a load read: counts, the detected format and the skipped rows (the first 20 reasons are kept).
class _LoadReportRequired(TypedDict):
    #: The detected format (`json_lines`, `shopify_orders_csv`, ...).
    format: str
    #: Rows read, and rows `skip_invalid` left out.
    loaded: int
    skipped: int


class LoadReport(_LoadReportRequired, total=False):
    file: Optional[str]
    skipped_reasons: List[Skipped]


class Opportunity(TypedDict):
    #: Units to add (empty for a threshold: spend `spend_more` instead).
    add: List[AddItem]
    bundle_id: str
    kind: str
    #: The exact extra saving on the whole cart once the change is made.
    saving: str
    #: What the change costs at list price (for a threshold, the spend still missing).
    spend_more: str
    text: str


class _PriceCartRequestRequired(TypedDict):
    cart: List[Union[str, CartLine]]


class PriceCartRequest(_PriceCartRequestRequired, total=False):
    #: Extra definitions for this request; one with a trained bundle's id replaces it.
    bundles: List[Any]
    #: Must be the catalog's currency when given.
    currency: Optional[str]
    #: RFC 3339; default the current time.
    now: Optional[str]
    #: `false` skips `opportunities` (an order-confirmation total needs no "add one more" hints, and it is
    #: most of the work on carts with many near-miss bundles); default on.
    opportunities: Optional[bool]


class PricedLine(TypedDict):
    discount: str
    product_id: str
    quantity: int
    subtotal: str
    total: str
    unit_price: str


class PriceCartResponse(TypedDict):
    applied: List[AppliedBundle]
    currency: str
    discount: str
    lines: List[PricedLine]
    opportunities: List[Opportunity]
    #: True when the bundle choice is proven best (always for carts up to 40 units in practice).
    optimal: bool
    subtotal: str
    total: str


# A partial product change: only the given fields change. `inventory: null` means "not tracked".
class _ProductUpdateRequired(TypedDict):
    id: str


class ProductUpdate(_ProductUpdateRequired, total=False):
    available: Optional[bool]
    compare_at_price: Optional[Money]
    inventory: Optional[int]
    price: Optional[Money]


# The `report` request of the JSON API.
class _ReportRequestRequired(TypedDict):
    events: List[Any]
    experiments: List[Any]


class ReportRequest(_ReportRequestRequired, total=False):
    attribution_window_hours: Optional[int]
    currency: Optional[str]
    mde: Optional[float]


Role = Literal["base", "decoy", "target"]


class SuggestBundlesRequest(TypedDict, total=False):
    #: ...or around a cart.
    cart: Optional[List[Union[str, CartLine]]]
    limit: Optional[int]
    #: Suggest bundles around one product...
    product_id: Optional[str]


class SuggestedBundle(TypedDict):
    #: A definition the merchant can add to their bundles file as is.
    definition: Any
    #: Margin after the discount in percent with two decimals (floored); null when a cost is unknown.
    margin_percent: Optional[str]
    #: Orders that contained every pair of the set (the weakest pair's count).
    orders_together: int
    percent_off: int
    price: str
    product_ids: List[str]
    #: Sum of list prices.
    regular_price: str
    saving: str
    strength: float
    text: str


class SuggestBundlesResponse(TypedDict):
    bundles: List[SuggestedBundle]
    currency: str


# What the tuner chose and what it measured; kept in the model's train stats.
class TuneReport(TypedDict):
    evaluations: int
    #: True when there were too few held-out queries and the fallback settings were used.
    fallback: bool
    hit_rate: float
    ndcg: float
    #: The settings of the default before `auto` (`measure: "default"`), on the same queries.
    old_default_hit_rate: float
    queries: int
    #: One line for people: "auto: jaccard, top_k 200, ... — HR@10 0.31 vs 0.23 for the old default on ...".
    summary: str


# What training read and how long each phase took.
class _TrainStatsRequired(TypedDict):
    customer_pairs: int
    events: LoadReport
    orders: LoadReport
    #: Distinct pairs of products bought in one order, and by one customer in different orders.
    pairs: int
    #: (phase, milliseconds)
    phases_ms: List[Tuple[str, int]]
    #: How the products, orders and events files were read.
    products: LoadReport
    #: Order lines naming a product not in the catalog (counted, not fatal).
    unknown_product_lines: int


class TrainStats(_TrainStatsRequired, total=False):
    #: The catalog's currency when it was taken from the orders, as neither the products nor config named one.
    currency_from_orders: Optional[str]
    #: What `measure: "auto"` chose, and what it measured.
    tuning: Optional[TuneReport]


# Price per unit of a quantity attribute, exact: "$0.39 per GB".
class UnitValue(TypedDict):
    attribute: str
    price_per_unit: str
    text: str
    unit: str


# Later upgrade offers (post-purchase, email): the higher tiers of a product.
class _UpgradePathRequestRequired(TypedDict):
    product_id: str


class UpgradePathRequest(_UpgradePathRequestRequired, total=False):
    declined: List[str]
    #: Only tiers up to this multiple of the price (no ceiling when absent: later offers may reach further).
    max_price_ratio: Optional[float]


class UpgradeTier(TypedDict):
    comparisons: List[AttributeComparison]
    price: str
    price_delta: str
    product_id: str
    title: str
    #: Price per unit of the first quantity attribute this tier shares with the product.
    unit_value: Optional[UnitValue]


class UpgradePathResponse(TypedDict):
    price: str
    product_id: str
    #: Cheapest first; in stock, not declined, better than the product on at least one attribute.
    tiers: List[UpgradeTier]


class UpsellOption(TypedDict):
    badge: Optional[Badge]
    #: Against the base (empty for the base).
    comparisons: List[AttributeComparison]
    price: str
    #: Difference from the base, signed: "+$20.00" (the base itself: "+$0.00").
    price_delta: str
    product_id: str
    reasons: List[Reason]
    role: Role
    title: str
    unit_value: Optional[UnitValue]


# The upsell request of the shared schema.
class _UpsellRequestRequired(TypedDict):
    #: What the shopper is looking at or has in the cart: the base of the offer.
    product_id: str


class UpsellRequest(_UpsellRequestRequired, total=False):
    cart: List[Union[str, CartLine]]
    #: Products this customer bought before: their highest price bounds the offer (price band).
    customer_history: List[str]
    customer_id: Optional[str]
    #: Upsells the shopper declined: never shown again.
    declined: List[str]
    #: Merchant-set end of a limited-time upgrade offer (RFC 3339); the only source of urgency.
    expires_at: Optional[str]
    #: Overrides `config.max_price_ratio` for this request.
    max_price_ratio: Optional[float]
    #: Request time (RFC 3339) for `expires_at`; the clock when absent.
    now: Optional[str]
    #: `false` turns off the price band and premium browsing (no consent); `config.personalization` too.
    personalize: Optional[bool]
    placement: Placement
    #: Products viewed this session: premium browsing moves the target one tier up.
    viewed: List[str]
    #: The anonymous shopper: trained declines of this visitor apply (also picks an experiment's variant).
    visitor_id: Optional[str]


class UpsellResponse(TypedDict):
    comparison: ComparisonTable
    #: The merchant's offer end, only while it is in the future.
    expires_at: Optional[str]
    #: Display order: base, decoy (when one fits), target. Empty when no honest upsell exists.
    options: List[UpsellOption]
    placement: Placement
    product_id: str
    #: About the offer as a whole: where tiers came from, or why there is none.
    reasons: List[Reason]


__all__ = [
    "AddItem",
    "AppliedBundle",
    "AssignRequest",
    "AssignResponse",
    "AttributeComparison",
    "Badge",
    "Cart",
    "CartLine",
    "ComparisonRow",
    "ComparisonTable",
    "CrossSellRequest",
    "CrossSellResponse",
    "DecoyPriceRequest",
    "DecoyPriceResponse",
    "DecoySuggestion",
    "Device",
    "Filters",
    "LoadReport",
    "Money",
    "Opportunity",
    "Placement",
    "PriceCartRequest",
    "PriceCartResponse",
    "PricedLine",
    "ProductUpdate",
    "Reason",
    "Recommendation",
    "Records",
    "ReportRequest",
    "Role",
    "Skipped",
    "Source",
    "StrPath",
    "SuggestBundlesRequest",
    "SuggestBundlesResponse",
    "SuggestedBundle",
    "TrainStats",
    "TuneReport",
    "UnitValue",
    "UnitsUsed",
    "UpgradePathRequest",
    "UpgradePathResponse",
    "UpgradeTier",
    "UpsellOption",
    "UpsellRequest",
    "UpsellResponse",
    "Verdict",
]
