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
# The records of a train input, in memory: for products each a ProductRecord (or a Shopify product), for orders
# an OrderRecord (or a Shopify order), then a RuleRecord, BundleRecord, ExperimentRecord or EventRecord; typed as
# any mapping so that dicts built at run time pass. The JSON form of the whole request, as the C and PHP bindings
# take it, is TrainRequest.
Records = Iterable[Mapping[str, Any]]
Source = Union[StrPath, Records]


class AddItem(TypedDict):
    product_id: str
    quantity: int


# An id: the shop's string, or an integer (Shopify's 64-bit ids), kept digit for digit.
IdInput = Union[str, int]


# The shopper added a product to the cart (from a list, when `list_id` is given).
class _AddToCartEventRequired(TypedDict):
    #: When it happened (RFC 3339).
    at: str
    product_id: IdInput
    type: Literal["add_to_cart"]
    #: The shopper's browser or device (not empty).
    visitor_id: IdInput


class AddToCartEvent(_AddToCartEventRequired, total=False):
    customer_id: Optional[IdInput]
    list_id: Optional[IdInput]
    session_id: Optional[IdInput]


# A percentage from 0 to 100 with at most four decimals: a number (12.5) or a decimal string ("12.5").
Percent = Union[str, float]


# Matches a product when any given criterion matches (ids, category, tag, vendor; case-insensitive names).
class Selector(TypedDict, total=False):
    category: Optional[str]
    product_ids: List[IdInput]
    tag: Optional[str]
    vendor: Optional[str]


# A discount on `target` products bought with a `trigger` product.
class _AddonBundleRequired(TypedDict):
    #: Unique among the bundles; an integer is read as its decimal text.
    id: IdInput
    kind: Literal["addon"]
    target: Selector
    trigger: Selector


class AddonBundle(_AddonBundleRequired, total=False):
    #: This much off the application (a volume tier: per unit).
    amount_off: Optional[Money]
    #: RFC 3339; live until then (after `starts_at`).
    ends_at: Optional[str]
    #: Applies alone: replaces every other bundle when it saves more (default false).
    exclusive: Optional[bool]
    #: At most this many applications in one cart.
    max_applications: Optional[int]
    percent_off: Optional[Percent]
    #: What the application costs in total (a volume tier: per unit).
    price: Optional[Money]
    #: Higher first when bundles compete for the same units (default 0).
    priority: Optional[int]
    #: How many target units one application discounts (default 1).
    quantity: Optional[int]
    #: Applies on top of other bundles (default false; not with `exclusive`).
    stackable: Optional[bool]
    #: RFC 3339; live from then on.
    starts_at: Optional[str]
    title: Optional[str]


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


# How a pair of co-bought products is scored.
Measure = Literal["auto", "default", "confidence", "lift", "jaccard", "cosine", "asymmetric_cosine"]


# The settings a variant overrides; the others are the model's. Settings that change how orders are counted (decay, windows, currency) cannot differ per variant, and `measure` names one (not `auto`).
class VariantConfig(TypedDict, total=False):
    #: α of the asymmetric cosine (unset: 0.5).
    asymmetric_alpha: Optional[float]
    #: Score of a due "buy it again" suggestion (the strongest learned complement scores 1.0) after a purchase
    #: and on product pages (unset: 0.5; tuned under `auto` on returning customers' next orders).
    buy_again_weight: Optional[float]
    #: `buy_again_weight` in the cart and at checkout, where a due restock competes with what goes with the
    #: cart (unset: `buy_again_weight`; tuned under `auto` on returning customers' held-out orders).
    cart_buy_again_weight: Optional[float]
    #: At checkout, only add-ons costing at most this fraction of the cart subtotal.
    checkout_max_price_fraction: float
    #: `false` turns cross-sell off: every `cross_sell` answer is empty whatever the request's `limit` or
    #: device (the control arm of a "recommendations off" experiment).
    cross_sell: bool
    #: Weight of the customer-level association against the same-order one. Unset: 0.3, but 0 under
    #: `measure: "auto"` (customer pairs are not tuned, and on every set measured they did not help).
    customer_weight: Optional[float]
    #: A product a shopper declined (trained `decline` events) this many times within `decline_window_days`
    #: is not offered to them again; 0 ignores trained declines.
    decline_limit: int
    #: Window of `decline_limit`, ending at the request's `now` (else the newest trained event).
    decline_window_days: int
    #: Upsell: a decoy costs at least this fraction of the target's price.
    decoy_min_ratio: float
    #: Suggestions returned when a request gives no `limit`.
    default_limit: int
    #: Weight of products the customer bought before, as extra seeds (unset: 0.3; tuned under `auto` on
    #: the held-out orders of returning customers).
    history_weight: Optional[float]
    #: Bundle suggestions: keep the margin at least this fraction of the price when `cost` is known.
    margin_floor: float
    #: Requests with more cart lines than this are refused (`invalid_input`, field `cart`).
    max_cart_lines: int
    #: At most this many suggestions from one category (diversity); 0 = no cap (unset: 2).
    max_per_category: Optional[int]
    #: Upsell: never offer more than this multiple of the base price.
    max_price_ratio: float
    measure: Measure
    #: Fill suggestions (popular in a category bought with the cart's, trending, popular) scoring below this
    #: are not shown: a shorter list rather than an irrelevant one. Fill scores 0.025–0.09.
    min_fill_score: float
    #: Learned candidates scoring below this fraction of the best one are noise, not suggestions.
    min_relative_score: float
    #: Pairs bought together in fewer orders than this are ignored by the default measure.
    min_support: int
    #: Default limit for `device: "mobile"`.
    mobile_limit: int
    #: Use shoppers' history and session (off: answers ignore customer_id, customer_history and viewed).
    personalization: bool
    #: Support damping: a pair seen `co` times keeps `co / (co + shrinkage)` of its score. Unset: 5 for the
    #: default measure, none for the others.
    shrinkage: Optional[float]
    #: Neighbours kept per product (unset: 50).
    top_k: Optional[int]
    #: Signal switches (all on by default; for ablation and merchants' choice): tag/vendor affinity and price
    #: band, this session's views, buy-again (and not re-suggesting one-time purchases), seasons.
    use_affinity: bool
    use_buy_again: bool
    use_seasonal: bool
    use_session: bool
    #: Weight of products viewed this session, as extra seeds.
    viewed_weight: float


# One arm of an experiment: a share of the visitors (`weight`, relative), and what it changes.
class _ExperimentVariantRequired(TypedDict):
    id: IdInput
    weight: int


class ExperimentVariant(_ExperimentVariantRequired, total=False):
    #: The bundle ids live for this variant (default: every trained bundle).
    bundles: Optional[List[str]]
    #: Strategy/config override this variant applies (kept as JSON text).
    config: Optional[VariantConfig]
    #: The variant the others are compared with (at most one; default: the first).
    control: bool


# One experiment as written by the shop (a line of the experiments file, a record of the train request's
# `experiments`): visitors split among `variants` by weight, within `starts_at`..`ends_at`.
class _ExperimentRecordRequired(TypedDict):
    id: IdInput
    variants: List[ExperimentVariant]


class ExperimentRecord(_ExperimentRecordRequired, total=False):
    description: Optional[str]
    ends_at: Optional[str]
    #: Placements the experiment covers (`product_page`, `cart`, ...); unset or empty: all.
    placements: Optional[List[str]]
    starts_at: Optional[str]


# The `assign` request of the JSON API. `experiments` are definitions; without them the engine's stored
# experiments are used.
class _AssignRequestRequired(TypedDict):
    #: The experiment's id (an integer is read as its decimal text).
    experiment: IdInput
    #: The visitor's id (an integer is read as its decimal text).
    visitor_id: IdInput


class AssignRequest(_AssignRequestRequired, total=False):
    experiments: Optional[List[ExperimentRecord]]


# The `assign` answer: the variant of the experiment this visitor sees.
class AssignResponse(TypedDict):
    experiment: str
    variant: str


# An experiment id, or price_cart's visitor id, as a request naming an experiment gives it: a non-empty
# string, or a number (read as its decimal text).
AssignmentId = Union[str, float]


Verdict = Literal["better", "worse", "same", "unknown"]


# One attribute of an option against the base: "256 GB vs 128 GB: 2x storage".
class AttributeComparison(TypedDict):
    attribute: str
    base_value: str
    text: str
    value: str
    verdict: Verdict


# A product attribute value as the shop sends it (`"storage_gb": 256`, `"print": true`, `"color": "red"`).
AttributeInput = Union[bool, float, str]


Badge = Literal["most_popular", "best_value"]


# How much one order counts towards its pairs.
BasketWeight = Literal["equal", "inverse_sqrt"]


# Multiply the score of matching products (factor above 1).
class BoostRule(TypedDict):
    factor: float
    kind: Literal["boost"]
    target: Selector


# A product of a fixed bundle and how many of it.
class _BundleItemRequired(TypedDict):
    product_id: IdInput


class BundleItem(_BundleItemRequired, total=False):
    quantity: int


# The `buy` or `get` side of a buy-x-get-y bundle.
class _BundleSideRequired(TypedDict):
    collection: Selector


class BundleSide(_BundleSideRequired, total=False):
    quantity: int


# Buy `buy.quantity` of one collection, get `get.quantity` of another `percent_off`.
class _BuyXGetYBundleRequired(TypedDict):
    buy: BundleSide
    get: BundleSide
    #: Unique among the bundles; an integer is read as its decimal text.
    id: IdInput
    kind: Literal["buy_x_get_y"]
    percent_off: Percent


class BuyXGetYBundle(_BuyXGetYBundleRequired, total=False):
    #: RFC 3339; live until then (after `starts_at`).
    ends_at: Optional[str]
    #: Applies alone: replaces every other bundle when it saves more (default false).
    exclusive: Optional[bool]
    #: At most this many applications in one cart.
    max_applications: Optional[int]
    #: Higher first when bundles compete for the same units (default 0).
    priority: Optional[int]
    #: Applies on top of other bundles (default false; not with `exclusive`).
    stackable: Optional[bool]
    #: RFC 3339; live from then on.
    starts_at: Optional[str]
    title: Optional[str]


# These products together (`items`) at a discount.
class _FixedBundleRequired(TypedDict):
    #: Unique among the bundles; an integer is read as its decimal text.
    id: IdInput
    items: List[BundleItem]
    kind: Literal["fixed"]


class FixedBundle(_FixedBundleRequired, total=False):
    #: This much off the application (a volume tier: per unit).
    amount_off: Optional[Money]
    #: RFC 3339; live until then (after `starts_at`).
    ends_at: Optional[str]
    #: Applies alone: replaces every other bundle when it saves more (default false).
    exclusive: Optional[bool]
    #: At most this many applications in one cart.
    max_applications: Optional[int]
    percent_off: Optional[Percent]
    #: What the application costs in total (a volume tier: per unit).
    price: Optional[Money]
    #: Higher first when bundles compete for the same units (default 0).
    priority: Optional[int]
    #: Applies on top of other bundles (default false; not with `exclusive`).
    stackable: Optional[bool]
    #: RFC 3339; live from then on.
    starts_at: Optional[str]
    title: Optional[str]


# Any `quantity` products of a collection at a discount.
class _MixAndMatchBundleRequired(TypedDict):
    collection: Selector
    #: Unique among the bundles; an integer is read as its decimal text.
    id: IdInput
    kind: Literal["mix_and_match"]
    quantity: int


class MixAndMatchBundle(_MixAndMatchBundleRequired, total=False):
    #: This much off the application (a volume tier: per unit).
    amount_off: Optional[Money]
    #: RFC 3339; live until then (after `starts_at`).
    ends_at: Optional[str]
    #: Applies alone: replaces every other bundle when it saves more (default false).
    exclusive: Optional[bool]
    #: At most this many applications in one cart.
    max_applications: Optional[int]
    percent_off: Optional[Percent]
    #: What the application costs in total (a volume tier: per unit).
    price: Optional[Money]
    #: Higher first when bundles compete for the same units (default 0).
    priority: Optional[int]
    #: Applies on top of other bundles (default false; not with `exclusive`).
    stackable: Optional[bool]
    #: RFC 3339; live from then on.
    starts_at: Optional[str]
    title: Optional[str]


# Money off an order whose subtotal reaches `min_subtotal`.
class _ThresholdBundleRequired(TypedDict):
    #: Unique among the bundles; an integer is read as its decimal text.
    id: IdInput
    kind: Literal["threshold"]
    min_subtotal: Money


class ThresholdBundle(_ThresholdBundleRequired, total=False):
    amount_off: Optional[Money]
    #: RFC 3339; live until then (after `starts_at`).
    ends_at: Optional[str]
    #: Applies alone: replaces every other bundle when it saves more (default false).
    exclusive: Optional[bool]
    #: At most this many applications in one cart.
    max_applications: Optional[int]
    percent_off: Optional[Percent]
    #: Higher first when bundles compete for the same units (default 0).
    priority: Optional[int]
    #: Applies on top of other bundles (default false; not with `exclusive`).
    stackable: Optional[bool]
    #: RFC 3339; live from then on.
    starts_at: Optional[str]
    title: Optional[str]


# A tier of a volume bundle: from `min_quantity` units (increasing from tier to tier), this discount per unit.
class _VolumeTierRequired(TypedDict):
    min_quantity: int


class VolumeTier(_VolumeTierRequired, total=False):
    #: This much off the application (a volume tier: per unit).
    amount_off: Optional[Money]
    percent_off: Optional[Percent]
    #: What the application costs in total (a volume tier: per unit).
    price: Optional[Money]


# Per-unit discounts by how many products of a collection the cart holds.
class _VolumeBundleRequired(TypedDict):
    collection: Selector
    #: Unique among the bundles; an integer is read as its decimal text.
    id: IdInput
    kind: Literal["volume"]
    tiers: List[VolumeTier]


class VolumeBundle(_VolumeBundleRequired, total=False):
    #: RFC 3339; live until then (after `starts_at`).
    ends_at: Optional[str]
    #: Applies alone: replaces every other bundle when it saves more (default false).
    exclusive: Optional[bool]
    #: At most this many applications in one cart.
    max_applications: Optional[int]
    #: Higher first when bundles compete for the same units (default 0).
    priority: Optional[int]
    #: Applies on top of other bundles (default false; not with `exclusive`).
    stackable: Optional[bool]
    #: RFC 3339; live from then on.
    starts_at: Optional[str]
    title: Optional[str]


# One bundle definition (a line of the bundles file, a record of the train request's `bundles`).
BundleRecord = Union[FixedBundle, MixAndMatchBundle, VolumeBundle, BuyXGetYBundle, AddonBundle, ThresholdBundle]


# Multiply the score of matching products (factor below 1; default 0.5).
class _BuryRuleRequired(TypedDict):
    kind: Literal["bury"]
    target: Selector


class BuryRule(_BuryRuleRequired, total=False):
    factor: float


class _CartLineRequired(TypedDict):
    product_id: str


class CartLine(_CartLineRequired, total=False):
    #: Unit price override (a negotiated or sale price); the catalog price otherwise.
    price: Optional[Money]
    quantity: int


Cart = Iterable[Union[str, CartLine]]


# How a cart's lines share a suggestion's score.
CartWeight = Literal["value", "equal"]


# The shopper clicked a product (of a list, when `list_id` is given).
class _ClickEventRequired(TypedDict):
    #: When it happened (RFC 3339).
    at: str
    product_id: IdInput
    type: Literal["click"]
    #: The shopper's browser or device (not empty).
    visitor_id: IdInput


class ClickEvent(_ClickEventRequired, total=False):
    customer_id: Optional[IdInput]
    list_id: Optional[IdInput]
    session_id: Optional[IdInput]


class ComparisonRow(TypedDict):
    attribute: str
    label: str
    values: List[str]


# A table a storefront renders as is: one column per option, rows "price" then attributes by name.
class ComparisonTable(TypedDict):
    product_ids: List[str]
    rows: List[ComparisonRow]


# Products matching `to` complete products matching `from` ("Complete your setup").
_ComplementRuleRequired = TypedDict("_ComplementRuleRequired", {
    "from": Selector,
    "kind": Literal["complement"],
    "to": Selector,
})


class ComplementRule(_ComplementRuleRequired, total=False):
    heading: Optional[str]
    weight: float


# The engine's settings (`config` of a train request, `--config FILE` on the CLI): every one optional, with
# the defaults given here; unknown keys are rejected.
class Config(TypedDict, total=False):
    #: α of the asymmetric cosine (unset: 0.5).
    asymmetric_alpha: Optional[float]
    #: How much one order counts towards its pairs (unset: `equal`).
    basket_weight: Optional[BasketWeight]
    #: Score of a due "buy it again" suggestion (the strongest learned complement scores 1.0) after a purchase
    #: and on product pages (unset: 0.5; tuned under `auto` on returning customers' next orders).
    buy_again_weight: Optional[float]
    #: `buy_again_weight` in the cart and at checkout, where a due restock competes with what goes with the
    #: cart (unset: `buy_again_weight`; tuned under `auto` on returning customers' held-out orders).
    cart_buy_again_weight: Optional[float]
    #: How cart lines share a suggestion's score (unset: `value`).
    cart_weight: Optional[CartWeight]
    #: At checkout, only add-ons costing at most this fraction of the cart subtotal.
    checkout_max_price_fraction: float
    #: `false` turns cross-sell off: every `cross_sell` answer is empty whatever the request's `limit` or
    #: device (the control arm of a "recommendations off" experiment).
    cross_sell: bool
    #: Currency of records that do not name one (ISO 4217). Unset: the products' currency, else the one
    #: currency the orders name (Shopify's product CSV has no currency column), else USD.
    currency: Optional[str]
    #: Weight of the customer-level association against the same-order one. Unset: 0.3, but 0 under
    #: `measure: "auto"` (customer pairs are not tuned, and on every set measured they did not help).
    customer_weight: Optional[float]
    #: "Customers who bought this also bought": orders of one customer within this many days count as related.
    customer_window_days: int
    #: Each order is related to at most this many of the customer's previous orders (within the window); 0 = all.
    #: One keeps the "bought next" signal: on weekly grocery shoppers every earlier order made the build 4× slower
    #: and 2× larger for slightly worse suggestions (BENCHMARKS.md).
    customer_window_orders: int
    #: A cart line's neighbour list is cut at `top_k`, and a suggestion missing from it counts 0 for that
    #: line, though it may go with it up to as well as the list's last entry. Summed over a long cart, those
    #: zeros favour products found in many lists (often merely popular ones) over one that goes strongly with
    #: a few lines. A suggestion found in some cart line's list is credited this share (0 to 1) of the last
    #: score of every cut list it is missing from (unset: 0; tuned under `auto`).
    cut_credit: Optional[float]
    #: Reference time for decay and trending (RFC 3339). Default: the newest order. Models to be merged must share it.
    decay_reference: Optional[str]
    #: A product a shopper declined (trained `decline` events) this many times within `decline_window_days`
    #: is not offered to them again; 0 ignores trained declines.
    decline_limit: int
    #: Window of `decline_limit`, ending at the request's `now` (else the newest trained event).
    decline_window_days: int
    #: Upsell: a decoy costs at least this fraction of the target's price.
    decoy_min_ratio: float
    #: Suggestions returned when a request gives no `limit`.
    default_limit: int
    #: Orders lose half their weight every `half_life_days` before the reference time; 0 turns decay off.
    #: Unset: 180, or tuned under `measure: "auto"` (so are the other `Option` settings below).
    half_life_days: Optional[float]
    #: Weight of products the customer bought before, as extra seeds (unset: 0.3; tuned under `auto` on
    #: the held-out orders of returning customers).
    history_weight: Optional[float]
    #: Bundle suggestions: keep the margin at least this fraction of the price when `cost` is known.
    margin_floor: float
    #: Requests with more cart lines than this are refused (`invalid_input`, field `cart`).
    max_cart_lines: int
    #: Only each product's this many most frequent companions are scored (unset: all; 2,000 under `auto`).
    max_companions: Optional[int]
    #: At most this many suggestions from one category (diversity); 0 = no cap (unset: 2).
    max_per_category: Optional[int]
    #: Upsell: never offer more than this multiple of the base price.
    max_price_ratio: float
    measure: Measure
    #: Fill suggestions (popular in a category bought with the cart's, trending, popular) scoring below this
    #: are not shown: a shorter list rather than an irrelevant one. Fill scores 0.025–0.09.
    min_fill_score: float
    #: Learned candidates scoring below this fraction of the best one are noise, not suggestions.
    min_relative_score: float
    #: Pairs bought together in fewer orders than this are ignored by the default measure.
    min_support: int
    #: Default limit for `device: "mobile"`.
    mobile_limit: int
    #: Use shoppers' history and session (off: answers ignore customer_id, customer_history and viewed).
    personalization: bool
    #: Where co-occurrence says little beyond what sells (a small range bought by everyone), the learned
    #: score of a suggestion is blended with its popularity: `(1 - p) · learned + p · popularity`, both in
    #: [0, 1]. Only suggestions the cart's learned lists hold are reordered (unset: 0; tuned under `auto`).
    popularity_prior: Optional[float]
    #: A product needs this many repeat purchases (same customer, later day) before it has a repurchase cycle.
    repurchase_min_repeats: int
    #: Seasonal boost when last year's sales around this date were at least this multiple of the usual rate.
    seasonal_min_lift: float
    #: Support damping: a pair seen `co` times keeps `co / (co + shrinkage)` of its score. Unset: 5 for the
    #: default measure, none for the others.
    shrinkage: Optional[float]
    #: Keep each customer's recent purchases in the model so `customer_id` alone personalizes.
    store_customer_history: bool
    #: ... "rarely": bought together in fewer than this fraction of the sessions that viewed them together.
    substitute_max_cobuy_ratio: float
    #: Same-category products viewed together in at least this many sessions (and rarely bought together) are
    #: substitutes; 0 learns none.
    substitute_min_coviews: int
    #: Neighbours kept per product (unset: 50).
    top_k: Optional[int]
    #: Trending compares the last `trending_window_days` with the long-run rate.
    trending_window_days: int
    #: Signal switches (all on by default; for ablation and merchants' choice): tag/vendor affinity and price
    #: band, this session's views, buy-again (and not re-suggesting one-time purchases), seasons.
    use_affinity: bool
    use_buy_again: bool
    use_seasonal: bool
    use_session: bool
    #: Weight of products viewed this session, as extra seeds.
    viewed_weight: float


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
    customer_history: List[IdInput]
    customer_id: Optional[IdInput]
    #: Offers the shopper dismissed: never suggested again.
    declined: List[IdInput]
    device: Optional[Device]
    #: An experiment trained into the model: the answer is `visitor_id`'s variant's (and says which).
    experiment: AssignmentId
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
    viewed: List[IdInput]
    #: The anonymous shopper (cookie id): trained declines of this visitor apply (also picks an
    #: experiment's variant when `experiment` is given).
    visitor_id: Optional[IdInput]


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


# Which variant of the request's experiment answered: `variant` is null outside the experiment's window or
# placements (a request without `placement` is in its kind's default).
class VariantTag(TypedDict):
    #: The request's `experiment`, as text.
    id: str
    variant: Optional[str]


class _CrossSellResponseRequired(TypedDict):
    heading: str
    placement: Placement
    recommendations: List[Recommendation]


class CrossSellResponse(_CrossSellResponseRequired, total=False):
    #: Only when the request named an `experiment`.
    experiment: VariantTag
    #: Cart products the engine has not seen (answered from what is known).
    unknown_products: List[str]


# The shopper dismissed a suggested product: kept away from them (`decline_limit`).
class _DeclineEventRequired(TypedDict):
    #: When it happened (RFC 3339).
    at: str
    #: The list the product was declined from.
    list_id: IdInput
    product_id: IdInput
    type: Literal["decline"]
    #: The shopper's browser or device (not empty).
    visitor_id: IdInput


class DeclineEvent(_DeclineEventRequired, total=False):
    customer_id: Optional[IdInput]
    session_id: Optional[IdInput]


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


# A malformed event: where it was and why.
class MalformedEvent(TypedDict):
    #: The error code, as an error of the same input would have (`invalid_input`, `currency_mismatch`).
    code: str
    #: The offending field, when one is.
    field: Optional[str]
    #: 0-based position in the input.
    index: int
    message: str


# What became of the events: counts, and the first malformed ones (at most 100) with why.
class EventCounts(TypedDict):
    declines: int
    #: Events identical to an earlier one, and orders whose `order_id` was already seen: counted once.
    duplicates: int
    malformed: int
    malformed_examples: List[MalformedEvent]
    #: Events earlier than an event before them (sorted, not dropped).
    out_of_order: int
    #: Events given.
    read: int
    #: Clicks naming an unknown list, or a product the list did not show.
    unmatched_clicks: int
    #: Events read, less the malformed and the duplicates.
    valid: int
    #: Impressions tagged with another variant than the visitor's assignment.
    variant_mismatches: int


# A line of an order event: a product, how many, and the price paid for one.
class _EventOrderLineRequired(TypedDict):
    price: Money
    product_id: IdInput


class EventOrderLine(_EventOrderLineRequired, total=False):
    quantity: int


# A list of recommendations was shown.
class _ImpressionEventRequired(TypedDict):
    #: When it happened (RFC 3339).
    at: str
    #: The list's id, echoed by the clicks and add-to-carts it leads to.
    list_id: IdInput
    placement: str
    product_ids: List[IdInput]
    type: Literal["impression"]
    #: The shopper's browser or device (not empty).
    visitor_id: IdInput


class ImpressionEvent(_ImpressionEventRequired, total=False):
    customer_id: Optional[IdInput]
    experiment: Optional[str]
    session_id: Optional[IdInput]
    variant: Optional[str]


# The shopper placed an order (counted once per `order_id`).
class _OrderEventRequired(TypedDict):
    #: When it happened (RFC 3339).
    at: str
    lines: List[EventOrderLine]
    order_id: IdInput
    total: Money
    type: Literal["order"]
    #: The shopper's browser or device (not empty).
    visitor_id: IdInput


class OrderEvent(_OrderEventRequired, total=False):
    currency: Optional[str]
    customer_id: Optional[IdInput]
    session_id: Optional[IdInput]


# The shopper took a product out of the cart (a weak "not this one").
class _RemoveFromCartEventRequired(TypedDict):
    #: When it happened (RFC 3339).
    at: str
    product_id: IdInput
    type: Literal["remove_from_cart"]
    #: The shopper's browser or device (not empty).
    visitor_id: IdInput


class RemoveFromCartEvent(_RemoveFromCartEventRequired, total=False):
    customer_id: Optional[IdInput]
    list_id: Optional[IdInput]
    session_id: Optional[IdInput]


# The shopper viewed a product's page.
class _ViewEventRequired(TypedDict):
    #: When it happened (RFC 3339).
    at: str
    product_id: IdInput
    type: Literal["view"]
    #: The shopper's browser or device (not empty).
    visitor_id: IdInput


class ViewEvent(_ViewEventRequired, total=False):
    customer_id: Optional[IdInput]
    list_id: Optional[IdInput]
    session_id: Optional[IdInput]


# One shopper event (a line of the events file, a record of the train request's and the report's `events`),
# tagged by `type`: the fields every event has, and those of its type. Fields beyond those listed are ignored.
EventRecord = Union[ImpressionEvent, ClickEvent, AddToCartEvent, RemoveFromCartEvent, DeclineEvent, ViewEvent, OrderEvent]


# Never suggest `target` (when the cart matches `when`, or always).
class _ExcludeRuleRequired(TypedDict):
    kind: Literal["exclude"]
    target: Selector


class ExcludeRule(_ExcludeRuleRequired, total=False):
    when: Optional[Selector]


# A variant against the control: treatment − control (`estimate`), its 95% interval and two-sided p-value. For
# AOV and revenue per visitor (Welch's t-test) in whole units of the currency; for rates (two-proportion z-test)
# a difference of proportions.
class _LiftRequired(TypedDict):
    ci_high: float
    ci_low: float
    estimate: float
    #: Null when a z-test has no spread (both rates 0 or both 1).
    p_value: Optional[float]
    #: The test statistic (t or z); null as `p_value`.
    statistic: Optional[float]


class Lift(_LiftRequired, total=False):
    #: Welch's degrees of freedom (AOV and revenue per visitor).
    df: float
    #: `estimate` over the control mean (AOV and revenue per visitor, when that mean is not zero).
    relative: float
    #: `ci_high` over the control mean, with `relative`.
    relative_ci_high: float
    #: `ci_low` over the control mean, with `relative`.
    relative_ci_low: float


# One placement's recommendation lists of a variant.
class PlacementReport(TypedDict):
    attached_orders: int
    #: Of all the variant's orders.
    attachment_rate: Optional[float]
    attributed_revenue: str
    click_through_rate: Optional[float]
    impressions: int


# The metric a test is sized for.
PowerMetric = Literal["revenue_per_visitor"]


# Visitors per variant needed to detect a relative lift of `mde` in revenue per visitor (two-sided 5%, 80%
# power), and how many more than the smaller of this variant and the control has.
class PowerAnalysis(TypedDict):
    alpha: float
    mde: float
    metric: PowerMetric
    more_visitors_needed: int
    power: float
    visitors_needed_per_variant: int


# One variant's visitors, orders and recommendations; the lifts and `power` are null for the control.
class VariantReport(TypedDict):
    #: Average order value.
    aov: Optional[str]
    #: 95% t interval of the mean order value.
    aov_ci: Optional[Tuple[float, float]]
    #: Welch's t-test of order values against the control's.
    aov_lift: Optional[Lift]
    #: Orders holding an attributed recommended item.
    attached_orders: int
    #: Two-proportion z-test against the control.
    attachment_lift: Optional[Lift]
    attachment_rate: Optional[float]
    #: 95% Wilson interval.
    attachment_rate_ci: Optional[Tuple[float, float]]
    #: Revenue of attributed lines.
    attributed_revenue: str
    #: Of impressions with placement `bundle`: the share followed within the window by an order of all its products.
    bundle_take_rate: Optional[float]
    #: Two-proportion z-test against the control.
    click_through_lift: Optional[Lift]
    click_through_rate: Optional[float]
    control: bool
    #: Two-proportion z-test against the control.
    conversion_lift: Optional[Lift]
    conversion_rate: Optional[float]
    #: 95% Wilson interval.
    conversion_rate_ci: Optional[Tuple[float, float]]
    #: Visitors with an order.
    converters: int
    #: Recommendation lists shown in the experiment's placements.
    impressions: int
    orders: int
    #: Per placement shown.
    placements: Dict[str, PlacementReport]
    power: Optional[PowerAnalysis]
    revenue: str
    revenue_per_visitor: Optional[str]
    #: Welch's t-test of every visitor's revenue (zeros included) against the control's.
    revenue_per_visitor_lift: Optional[Lift]
    #: Of impressions with placement `upsell`: the share with an `add_to_cart` from that list.
    upsell_acceptance: Optional[float]
    variant: str
    #: Visitors with any event inside the experiment window, assigned to this variant.
    visitors: int
    weight: int


# A variant's headline numbers in one week.
class WeekVariant(TypedDict):
    aov: Optional[str]
    attachment_rate: Optional[float]
    conversion_rate: Optional[float]
    orders: int
    revenue: str
    revenue_per_visitor: Optional[str]
    variant: str
    visitors: int


# One week (starting on Monday) of an experiment.
class WeekReport(TypedDict):
    #: Every variant, zeros where it had no activity that week.
    variants: List[WeekVariant]
    #: The Monday's date (YYYY-MM-DD).
    week: str


# One experiment: its variants (lifts against `control`) and, per week, their headline numbers.
class ExperimentReport(TypedDict):
    #: The control variant's id.
    control: str
    ends_at: Optional[str]
    id: str
    #: Placements the experiment covers; empty: all.
    placements: List[str]
    starts_at: Optional[str]
    variants: List[VariantReport]
    #: Every week any variant saw activity, each with every variant.
    weeks: List[WeekReport]


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


# One line of an order: a product, how many, and optionally the price paid for one.
class _OrderLineRecordRequired(TypedDict):
    product_id: IdInput


class OrderLineRecord(_OrderLineRecordRequired, total=False):
    price: Optional[Money]
    quantity: int


# One line of the orders JSON Lines input.
class _OrderRecordRequired(TypedDict):
    created_at: str
    id: IdInput
    lines: List[OrderLineRecord]


class OrderRecord(_OrderRecordRequired, total=False):
    #: ISO 4217 code of the order's money; when given it must be the catalog's.
    currency: Optional[str]
    customer_id: Optional[IdInput]


# What `auto` chose for `history_weight`, `cart_buy_again_weight` and `buy_again_weight` on the held-out
# orders of returning customers.
class _PersonalTuneReportRequired(TypedDict):
    #: True when there were too few such orders and the weights stayed unset.
    fallback: bool
    hit_rate: float
    next_hit_rate: float
    #: Next-order queries (the customer's previous order as the cart, after a purchase), and HR@10 on them
    #: with the chosen and the unset `buy_again_weight` (0 when it was not tuned).
    next_queries: int
    next_unset_hit_rate: float
    queries: int
    #: One line for people: "personal: history_weight 0, cart_buy_again_weight 0.2 — HR@10 0.29 vs 0.27 ...".
    summary: str
    #: HR@10 with the weights unset, on the same queries.
    unset_hit_rate: float


class PersonalTuneReport(_PersonalTuneReportRequired, total=False):
    #: `buy_again_weight` chosen on the next-order queries (absent: set by the merchant, or not tuned).
    buy_again_weight: Optional[float]
    cart_buy_again_weight: Optional[float]
    #: The weights chosen (absent: set by the merchant, or not tuned).
    history_weight: Optional[float]


# Always show `products` first when the cart matches `when` (any cart when absent).
class _PinRuleRequired(TypedDict):
    kind: Literal["pin"]
    products: List[IdInput]


class PinRule(_PinRuleRequired, total=False):
    placements: List[Placement]
    when: Optional[Selector]


class _PriceCartRequestRequired(TypedDict):
    cart: List[Union[str, CartLine]]


class PriceCartRequest(_PriceCartRequestRequired, total=False):
    #: Extra definitions for this request; one with a trained bundle's id replaces it.
    bundles: List[BundleRecord]
    #: Must be the catalog's currency when given.
    currency: Optional[str]
    #: An experiment trained into the model: the cart is priced as `visitor_id`'s variant prices it (and the
    #: answer says which).
    experiment: AssignmentId
    #: RFC 3339; default the current time.
    now: Optional[str]
    #: `false` skips `opportunities` (an order-confirmation total needs no "add one more" hints, and it is
    #: most of the work on carts with many near-miss bundles); default on.
    opportunities: Optional[bool]
    #: The visitor whose variant of `experiment` prices the cart (only with `experiment`).
    visitor_id: AssignmentId


class PricedLine(TypedDict):
    discount: str
    product_id: str
    quantity: int
    subtotal: str
    total: str
    unit_price: str


class _PriceCartResponseRequired(TypedDict):
    applied: List[AppliedBundle]
    currency: str
    discount: str
    lines: List[PricedLine]
    opportunities: List[Opportunity]
    #: True when the bundle choice is proven best (always for carts up to 40 units in practice).
    optimal: bool
    subtotal: str
    total: str


class PriceCartResponse(_PriceCartResponseRequired, total=False):
    #: Only when the request named an `experiment`.
    experiment: VariantTag


# Only suggest products priced within [min, max].
class _PriceRangeRuleRequired(TypedDict):
    kind: Literal["price_range"]


class PriceRangeRule(_PriceRangeRuleRequired, total=False):
    max: Optional[Money]
    min: Optional[Money]


# One product line of the products JSON Lines input (the documented schema).
class _ProductRecordRequired(TypedDict):
    id: IdInput
    price: Money


class ProductRecord(_ProductRecordRequired, total=False):
    attributes: Dict[str, AttributeInput]
    available: Optional[bool]
    category: Optional[str]
    compare_at_price: Optional[Money]
    cost: Optional[Money]
    currency: Optional[str]
    family: Optional[str]
    inventory: Optional[int]
    kind: Optional[str]
    tags: List[str]
    title: str
    vendor: Optional[str]


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
    #: Shopper events, in the request itself (not a path). A malformed one does not fail the report: it is
    #: counted and listed in the answer's `events`.
    events: List[EventRecord]
    #: Experiment definitions, in the request itself (not a path).
    experiments: List[ExperimentRecord]


class ReportRequest(_ReportRequestRequired, total=False):
    attribution_window_hours: Optional[int]
    currency: Optional[str]
    mde: Optional[float]


# The `report` answer of the JSON API (and `cartlift report --format json`): the report of each experiment
# over the events. Money is a decimal string in `currency`; rates and statistics are floats, null when they
# cannot be computed (no orders, fewer than two values).
class ReportResponse(TypedDict):
    #: How long before an order a click can earn it (hours).
    attribution_window_hours: float
    #: The currency of every money string (ISO 4217).
    currency: str
    events: EventCounts
    #: One report per experiment, in the order of the definitions.
    experiments: List[ExperimentReport]
    #: The relative lift in revenue per visitor that `power` sizes the test for.
    mde: float


Role = Literal["base", "decoy", "target"]


# One rule as written by the merchant (a line of the rules file, a record of the train request's `rules`).
RuleRecord = Union[PinRule, ExcludeRule, ComplementRule, BoostRule, BuryRule, PriceRangeRule]


# A Shopify Admin API order (`{"order": {..}}`) or an orders webhook body; cancelled and voided orders count no lines.
ShopifyOrder = Dict[str, Any]


# A Shopify Admin API or webhook product, read as one product per variant: `{"product": {..}}`, `{"products": [..]}`, or a bare product with `variants`.
ShopifyProduct = Dict[str, Any]


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


# What `train` reads: each input a file path (any supported format) or records in memory.
class _TrainRequestRequired(TypedDict):
    #: The catalog.
    products: Union[str, List[Union[ProductRecord, ShopifyProduct]]]


class TrainRequest(_TrainRequestRequired, total=False):
    #: Bundle definitions for `price_cart` and `suggest_bundles`.
    bundles: Optional[Union[str, List[BundleRecord]]]
    config: Optional[Config]
    #: Shopper events (the measurement schema, JSON Lines or array): views teach substitutes, declines keep
    #: offers away from the shopper who declined them.
    events: Optional[Union[str, List[EventRecord]]]
    #: A/B experiment definitions (JSON Lines or array), stored in the model for `assign` and for requests
    #: carrying `experiment` + `visitor_id`.
    experiments: Optional[Union[str, List[ExperimentRecord]]]
    #: The order history the associations are counted from.
    orders: Optional[Union[str, List[Union[OrderRecord, ShopifyOrder]]]]
    #: Merchant rules (`pin`, `exclude`, `complement`, `boost`, `bury`, `price_range`).
    rules: Optional[Union[str, List[RuleRecord]]]
    #: Skip bad rows (counted and reported) instead of failing the whole load.
    skip_invalid: bool


# What the tuner chose and what it measured; kept in the model's train stats.
class _TuneReportRequired(TypedDict):
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


class TuneReport(_TuneReportRequired, total=False):
    #: What was chosen for the personal weights (absent when the merchant set them, personalization is off,
    #: or the model was trained before they were tuned).
    personal: Optional[PersonalTuneReport]


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
    declined: List[IdInput]
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
    customer_history: List[IdInput]
    customer_id: Optional[IdInput]
    #: Upsells the shopper declined: never shown again.
    declined: List[IdInput]
    #: An experiment trained into the model: the answer is `visitor_id`'s variant's (and says which).
    experiment: AssignmentId
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
    viewed: List[IdInput]
    #: The anonymous shopper: trained declines of this visitor apply (also picks an experiment's variant).
    visitor_id: Optional[IdInput]


class _UpsellResponseRequired(TypedDict):
    comparison: ComparisonTable
    #: The merchant's offer end, only while it is in the future.
    expires_at: Optional[str]
    #: Display order: base, decoy (when one fits), target. Empty when no honest upsell exists.
    options: List[UpsellOption]
    placement: Placement
    product_id: str
    #: About the offer as a whole: where tiers came from, or why there is none.
    reasons: List[Reason]


class UpsellResponse(_UpsellResponseRequired, total=False):
    #: Only when the request named an `experiment`.
    experiment: VariantTag


__all__ = [
    "AddItem",
    "AddToCartEvent",
    "AddonBundle",
    "AppliedBundle",
    "AssignRequest",
    "AssignResponse",
    "AssignmentId",
    "AttributeComparison",
    "AttributeInput",
    "Badge",
    "BasketWeight",
    "BoostRule",
    "BundleItem",
    "BundleRecord",
    "BundleSide",
    "BuryRule",
    "BuyXGetYBundle",
    "Cart",
    "CartLine",
    "CartWeight",
    "ClickEvent",
    "ComparisonRow",
    "ComparisonTable",
    "ComplementRule",
    "Config",
    "CrossSellRequest",
    "CrossSellResponse",
    "DeclineEvent",
    "DecoyPriceRequest",
    "DecoyPriceResponse",
    "DecoySuggestion",
    "Device",
    "EventCounts",
    "EventOrderLine",
    "EventRecord",
    "ExcludeRule",
    "ExperimentRecord",
    "ExperimentReport",
    "ExperimentVariant",
    "Filters",
    "FixedBundle",
    "IdInput",
    "ImpressionEvent",
    "Lift",
    "LoadReport",
    "MalformedEvent",
    "Measure",
    "MixAndMatchBundle",
    "Money",
    "Opportunity",
    "OrderEvent",
    "OrderLineRecord",
    "OrderRecord",
    "Percent",
    "PersonalTuneReport",
    "PinRule",
    "Placement",
    "PlacementReport",
    "PowerAnalysis",
    "PowerMetric",
    "PriceCartRequest",
    "PriceCartResponse",
    "PriceRangeRule",
    "PricedLine",
    "ProductRecord",
    "ProductUpdate",
    "Reason",
    "Recommendation",
    "Records",
    "RemoveFromCartEvent",
    "ReportRequest",
    "ReportResponse",
    "Role",
    "RuleRecord",
    "Selector",
    "ShopifyOrder",
    "ShopifyProduct",
    "Skipped",
    "Source",
    "StrPath",
    "SuggestBundlesRequest",
    "SuggestBundlesResponse",
    "SuggestedBundle",
    "ThresholdBundle",
    "TrainRequest",
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
    "VariantConfig",
    "VariantReport",
    "VariantTag",
    "Verdict",
    "ViewEvent",
    "VolumeBundle",
    "VolumeTier",
    "WeekReport",
    "WeekVariant",
]
