// Request and answer types of the JSON surface, generated from include/cartlift.schema.json by
// gen-schema-types.js (json-schema-to-typescript): do not edit; run scripts/gen-schema.sh.

/**
 * An id: the shop's string, or an integer (Shopify's 64-bit ids), kept digit for digit.
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "IdInput".
 */
export type IdInput = string | number;
/**
 * How a pair of co-bought products is scored.
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "Measure".
 */
export type Measure = 'auto' | 'default' | 'confidence' | 'lift' | 'jaccard' | 'cosine' | 'asymmetric_cosine';
/**
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "Placement".
 */
export type Placement = 'product_page' | 'cart' | 'checkout' | 'post_purchase';
/**
 * A cart line: either a bare product id or `{product_id, quantity, price?}`.
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "CartLineInput".
 */
export type CartLineInput = string | CartLineObject;
/**
 * Money: a decimal string ("19.99"), or an integer number of whole units (20 means "20.00"). Never a fraction.
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "MoneyInput".
 */
export type MoneyInput = string | number;
/**
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "Device".
 */
export type Device = 'mobile' | 'desktop';
/**
 * An experiment id, or price_cart's visitor id, as a request naming an experiment gives it: a non-empty
 * string, or a number (read as its decimal text).
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "AssignmentId".
 */
export type AssignmentId = string | number;
/**
 * One bundle definition (a line of the bundles file, a record of the train request's `bundles`).
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "BundleRecord".
 */
export type BundleRecord =
  FixedBundle | MixAndMatchBundle | VolumeBundle | BuyXGetYBundle | AddonBundle | ThresholdBundle;
/**
 * A percentage from 0 to 100 with at most four decimals: a number (12.5) or a decimal string ("12.5").
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "Percent".
 */
export type Percent = string | number;
/**
 * The metric a test is sized for.
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "PowerMetric".
 */
export type PowerMetric = 'revenue_per_visitor';
/**
 * One shopper event (a line of the events file, a record of the train request's and the report's `events`),
 * tagged by `type`: the fields every event has, and those of its type. Fields beyond those listed are ignored.
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "EventRecord".
 */
export type EventRecord =
  ImpressionEvent | ClickEvent | AddToCartEvent | RemoveFromCartEvent | DeclineEvent | ViewEvent | OrderEvent;
/**
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "Verdict".
 */
export type Verdict = ('better' | 'worse' | 'same') | 'unknown';
/**
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "Badge".
 */
export type Badge = 'most_popular' | 'best_value';
/**
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "Role".
 */
export type Role = 'base' | 'decoy' | 'target';
/**
 * A product attribute value as the shop sends it (`"storage_gb": 256`, `"print": true`, `"color": "red"`).
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "AttributeInput".
 */
export type AttributeInput = boolean | number | string;
/**
 * How much one order counts towards its pairs.
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "BasketWeight".
 */
export type BasketWeight = 'equal' | 'inverse_sqrt';
/**
 * How a cart's lines share a suggestion's score.
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "CartWeight".
 */
export type CartWeight = 'value' | 'equal';
/**
 * One rule as written by the merchant (a line of the rules file, a record of the train request's `rules`).
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "RuleRecord".
 */
export type RuleRecord = PinRule | ExcludeRule | ComplementRule | BoostRule | BuryRule | PriceRangeRule;
/**
 * A Shopify Admin API order (`{"order": {..}}`) or an orders webhook body; cancelled and voided orders count no lines.
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "ShopifyOrder".
 */
export type ShopifyOrder =
  | {
      order: {
        created_at: string;
        line_items: {
          [k: string]: unknown | undefined;
        }[];
        [k: string]: unknown | undefined;
      };
      [k: string]: unknown | undefined;
    }
  | {
      created_at: string;
      line_items: {
        [k: string]: unknown | undefined;
      }[];
      [k: string]: unknown | undefined;
    };
/**
 * A Shopify Admin API or webhook product, read as one product per variant: `{"product": {..}}`, `{"products": [..]}`, or a bare product with `variants`.
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "ShopifyProduct".
 */
export type ShopifyProduct =
  | {
      product: {
        variants: {
          [k: string]: unknown | undefined;
        }[];
        [k: string]: unknown | undefined;
      };
      [k: string]: unknown | undefined;
    }
  | {
      products: {
        variants: {
          [k: string]: unknown | undefined;
        }[];
        [k: string]: unknown | undefined;
      }[];
      [k: string]: unknown | undefined;
    }
  | {
      variants: {
        [k: string]: unknown | undefined;
      }[];
      [k: string]: unknown | undefined;
    };

/**
 * Every query operation of cartlift's JSON surface (Engine::query, the bindings, `cartlift query`): its request and its answer. A cross_sell, upsell or price_cart request may name an `experiment` (with a `visitor_id`); its answer then carries `experiment: {id, variant}`.
 */
export interface Operations {
  assign: {
    answer: AssignResponse;
    request: AssignRequest;
  };
  cross_sell: {
    answer: CrossSellResponse;
    request: CrossSellRequest;
  };
  price_cart: {
    answer: PriceCartResponse;
    request: PriceCartRequest;
  };
  report: {
    answer: ReportResponse;
    request: ReportRequest;
  };
  suggest_bundles: {
    answer: SuggestBundlesResponse;
    request: SuggestBundlesRequest;
  };
  suggest_decoy_price: {
    answer: DecoyPriceResponse;
    request: DecoyPriceRequest;
  };
  upgrade_path: {
    answer: UpgradePathResponse;
    request: UpgradePathRequest;
  };
  upsell: {
    answer: UpsellResponse;
    request: UpsellRequest;
  };
}
/**
 * The `assign` answer: the variant of the experiment this visitor sees.
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "AssignResponse".
 */
export interface AssignResponse {
  experiment: string;
  variant: string;
}
/**
 * The `assign` request of the JSON API. `experiments` are definitions; without them the engine's stored
 * experiments are used.
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "AssignRequest".
 */
export interface AssignRequest {
  /**
   * The experiment's id (an integer is read as its decimal text).
   */
  experiment: IdInput;
  experiments?: ExperimentRecord[] | null;
  /**
   * The visitor's id (an integer is read as its decimal text).
   */
  visitor_id: IdInput;
}
/**
 * One experiment as written by the shop (a line of the experiments file, a record of the train request's
 * `experiments`): visitors split among `variants` by weight, within `starts_at`..`ends_at`.
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "ExperimentRecord".
 */
export interface ExperimentRecord {
  description?: string | null;
  ends_at?: string | null;
  id: IdInput;
  /**
   * Placements the experiment covers (`product_page`, `cart`, ...); unset or empty: all.
   */
  placements?: string[] | null;
  starts_at?: string | null;
  variants: ExperimentVariant[];
}
/**
 * One arm of an experiment: a share of the visitors (`weight`, relative), and what it changes.
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "ExperimentVariant".
 */
export interface ExperimentVariant {
  /**
   * The bundle ids live for this variant (default: every trained bundle).
   */
  bundles?: string[] | null;
  /**
   * Strategy/config override this variant applies (kept as JSON text).
   */
  config?: VariantConfig | null;
  /**
   * The variant the others are compared with (at most one; default: the first).
   */
  control?: boolean;
  id: IdInput;
  weight: number;
}
/**
 * The settings a variant overrides; the others are the model's. Settings that change how orders are counted (decay, windows, currency) cannot differ per variant, and `measure` names one (not `auto`).
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "VariantConfig".
 */
export interface VariantConfig {
  /**
   * α of the asymmetric cosine (unset: 0.5).
   */
  asymmetric_alpha?: number | null;
  /**
   * Score of a due "buy it again" suggestion (the strongest learned complement scores 1.0) after a purchase
   * and on product pages (unset: 0.5; tuned under `auto` on returning customers' next orders).
   */
  buy_again_weight?: number | null;
  /**
   * `buy_again_weight` in the cart and at checkout, where a due restock competes with what goes with the
   * cart (unset: `buy_again_weight`; tuned under `auto` on returning customers' held-out orders).
   */
  cart_buy_again_weight?: number | null;
  /**
   * At checkout, only add-ons costing at most this fraction of the cart subtotal.
   */
  checkout_max_price_fraction?: number;
  /**
   * `false` turns cross-sell off: every `cross_sell` answer is empty whatever the request's `limit` or
   * device (the control arm of a "recommendations off" experiment).
   */
  cross_sell?: boolean;
  /**
   * Weight of the customer-level association against the same-order one. Unset: 0.3, but 0 under
   * `measure: "auto"` (customer pairs are not tuned, and on every set measured they did not help).
   */
  customer_weight?: number | null;
  /**
   * A product a shopper declined (trained `decline` events) this many times within `decline_window_days`
   * is not offered to them again; 0 ignores trained declines.
   */
  decline_limit?: number;
  /**
   * Window of `decline_limit`, ending at the request's `now` (else the newest trained event).
   */
  decline_window_days?: number;
  /**
   * Upsell: a decoy costs at least this fraction of the target's price.
   */
  decoy_min_ratio?: number;
  /**
   * Suggestions returned when a request gives no `limit`.
   */
  default_limit?: number;
  /**
   * Weight of products the customer bought before, as extra seeds (unset: 0.3; tuned under `auto` on
   * the held-out orders of returning customers).
   */
  history_weight?: number | null;
  /**
   * Bundle suggestions: keep the margin at least this fraction of the price when `cost` is known.
   */
  margin_floor?: number;
  /**
   * Requests with more cart lines than this are refused (`invalid_input`, field `cart`).
   */
  max_cart_lines?: number;
  /**
   * At most this many suggestions from one category (diversity); 0 = no cap (unset: 2).
   */
  max_per_category?: number | null;
  /**
   * Upsell: never offer more than this multiple of the base price.
   */
  max_price_ratio?: number;
  measure?: Measure;
  /**
   * Fill suggestions (popular in a category bought with the cart's, trending, popular) scoring below this
   * are not shown: a shorter list rather than an irrelevant one. Fill scores 0.025–0.09.
   */
  min_fill_score?: number;
  /**
   * Learned candidates scoring below this fraction of the best one are noise, not suggestions.
   */
  min_relative_score?: number;
  /**
   * Pairs bought together in fewer orders than this are ignored by the default measure.
   */
  min_support?: number;
  /**
   * Default limit for `device: "mobile"`.
   */
  mobile_limit?: number;
  /**
   * Use shoppers' history and session (off: answers ignore customer_id, customer_history and viewed).
   */
  personalization?: boolean;
  /**
   * Support damping: a pair seen `co` times keeps `co / (co + shrinkage)` of its score. Unset: 5 for the
   * default measure, none for the others.
   */
  shrinkage?: number | null;
  /**
   * Neighbours kept per product (unset: 50).
   */
  top_k?: number | null;
  /**
   * Signal switches (all on by default; for ablation and merchants' choice): tag/vendor affinity and price
   * band, this session's views, buy-again (and not re-suggesting one-time purchases), seasons.
   */
  use_affinity?: boolean;
  use_buy_again?: boolean;
  use_seasonal?: boolean;
  use_session?: boolean;
  /**
   * Weight of products viewed this session, as extra seeds.
   */
  viewed_weight?: number;
}
/**
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "CrossSellResponse".
 */
export interface CrossSellResponse {
  /**
   * Only when the request named an `experiment`.
   */
  experiment?: VariantTag;
  heading: string;
  placement: Placement;
  recommendations: Recommendation[];
  /**
   * Cart products the engine has not seen (answered from what is known).
   */
  unknown_products?: string[];
}
/**
 * Which variant of the request's experiment answered: `variant` is null outside the experiment's window or
 * placements (a request without `placement` is in its kind's default).
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "VariantTag".
 */
export interface VariantTag {
  /**
   * The request's `experiment`, as text.
   */
  id: string;
  variant: string | null;
}
/**
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "Recommendation".
 */
export interface Recommendation {
  /**
   * Not learned for this cart: popular in a category bought with the cart's (or trending or popular, for a
   * cart nothing is known about), shown because the learned suggestions ran short.
   */
  fill: boolean;
  price: string;
  product_id: string;
  reasons: Reason[];
  score: number;
  title: string;
}
/**
 * A machine code and a human sentence saying why something was suggested.
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "Reason".
 */
export interface Reason {
  code: string;
  text: string;
}
/**
 * The cross-sell request of the shared schema.
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "CrossSellRequest".
 */
export interface CrossSellRequest {
  cart: CartLineInput[];
  /**
   * Products this customer bought before.
   */
  customer_history?: IdInput[];
  customer_id?: IdInput | null;
  /**
   * Offers the shopper dismissed: never suggested again.
   */
  declined?: IdInput[];
  device?: Device | null;
  /**
   * An experiment trained into the model: the answer is `visitor_id`'s variant's (and says which).
   */
  experiment?: AssignmentId;
  filters?: Filters | null;
  limit?: number | null;
  /**
   * Time for bundle windows, "buy it again", seasons and decline windows (RFC 3339); default: the clock
   * (decline windows: the newest trained event).
   */
  now?: string | null;
  offset?: number;
  /**
   * `false` ignores every personal signal for this request (no consent); default on.
   */
  personalize?: boolean | null;
  placement?: Placement & string;
  /**
   * Products viewed this session.
   */
  viewed?: IdInput[];
  /**
   * The anonymous shopper (cookie id): trained declines of this visitor apply (also picks an
   * experiment's variant when `experiment` is given).
   */
  visitor_id?: IdInput | null;
}
/**
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "CartLineObject".
 */
export interface CartLineObject {
  /**
   * Unit price override (a negotiated or sale price); the catalog price otherwise.
   */
  price?: MoneyInput | null;
  product_id: string;
  quantity?: number;
}
/**
 * Storefront filters on suggestions.
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "Filters".
 */
export interface Filters {
  category?: string | null;
  /**
   * Only products in stock (default true: cartlift never suggests what cannot be bought).
   */
  in_stock?: boolean | null;
  max_price?: MoneyInput | null;
  min_price?: MoneyInput | null;
  tags?: string[];
  vendor?: string | null;
}
/**
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "PriceCartResponse".
 */
export interface PriceCartResponse {
  applied: AppliedBundle[];
  currency: string;
  discount: string;
  /**
   * Only when the request named an `experiment`.
   */
  experiment?: VariantTag;
  lines: PricedLine[];
  opportunities: Opportunity[];
  /**
   * True when the bundle choice is proven best (always for carts up to 40 units in practice).
   */
  optimal: boolean;
  subtotal: string;
  total: string;
}
/**
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "AppliedBundle".
 */
export interface AppliedBundle {
  applications: number;
  bundle_id: string;
  kind: string;
  saving: string;
  title: string | null;
  units: UnitsUsed[];
}
/**
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "UnitsUsed".
 */
export interface UnitsUsed {
  product_id: string;
  quantity: number;
}
/**
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "PricedLine".
 */
export interface PricedLine {
  discount: string;
  product_id: string;
  quantity: number;
  subtotal: string;
  total: string;
  unit_price: string;
}
/**
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "Opportunity".
 */
export interface Opportunity {
  /**
   * Units to add (empty for a threshold: spend `spend_more` instead).
   */
  add: AddItem[];
  bundle_id: string;
  kind: string;
  /**
   * The exact extra saving on the whole cart once the change is made.
   */
  saving: string;
  /**
   * What the change costs at list price (for a threshold, the spend still missing).
   */
  spend_more: string;
  text: string;
}
/**
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "AddItem".
 */
export interface AddItem {
  product_id: string;
  quantity: number;
}
/**
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "PriceCartRequest".
 */
export interface PriceCartRequest {
  /**
   * Extra definitions for this request; one with a trained bundle's id replaces it.
   */
  bundles?: BundleRecord[];
  cart: CartLineInput[];
  /**
   * Must be the catalog's currency when given.
   */
  currency?: string | null;
  /**
   * An experiment trained into the model: the cart is priced as `visitor_id`'s variant prices it (and the
   * answer says which).
   */
  experiment?: AssignmentId;
  /**
   * RFC 3339; default the current time.
   */
  now?: string | null;
  /**
   * `false` skips `opportunities` (an order-confirmation total needs no "add one more" hints, and it is
   * most of the work on carts with many near-miss bundles); default on.
   */
  opportunities?: boolean | null;
  /**
   * The visitor whose variant of `experiment` prices the cart (only with `experiment`).
   */
  visitor_id?: AssignmentId;
}
/**
 * These products together (`items`) at a discount.
 */
export interface FixedBundle {
  /**
   * This much off the application (a volume tier: per unit).
   */
  amount_off?: MoneyInput | null;
  /**
   * RFC 3339; live until then (after `starts_at`).
   */
  ends_at?: string | null;
  /**
   * Applies alone: replaces every other bundle when it saves more (default false).
   */
  exclusive?: boolean | null;
  /**
   * Unique among the bundles; an integer is read as its decimal text.
   */
  id: IdInput;
  /**
   * @minItems 1
   */
  items: [BundleItem, ...BundleItem[]];
  kind: 'fixed';
  /**
   * At most this many applications in one cart.
   */
  max_applications?: number | null;
  percent_off?: Percent | null;
  /**
   * What the application costs in total (a volume tier: per unit).
   */
  price?: MoneyInput | null;
  /**
   * Higher first when bundles compete for the same units (default 0).
   */
  priority?: number | null;
  /**
   * Applies on top of other bundles (default false; not with `exclusive`).
   */
  stackable?: boolean | null;
  /**
   * RFC 3339; live from then on.
   */
  starts_at?: string | null;
  title?: string | null;
}
/**
 * A product of a fixed bundle and how many of it.
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "BundleItem".
 */
export interface BundleItem {
  product_id: IdInput;
  quantity?: number;
}
/**
 * Any `quantity` products of a collection at a discount.
 */
export interface MixAndMatchBundle {
  /**
   * This much off the application (a volume tier: per unit).
   */
  amount_off?: MoneyInput | null;
  collection: Selector;
  /**
   * RFC 3339; live until then (after `starts_at`).
   */
  ends_at?: string | null;
  /**
   * Applies alone: replaces every other bundle when it saves more (default false).
   */
  exclusive?: boolean | null;
  /**
   * Unique among the bundles; an integer is read as its decimal text.
   */
  id: IdInput;
  kind: 'mix_and_match';
  /**
   * At most this many applications in one cart.
   */
  max_applications?: number | null;
  percent_off?: Percent | null;
  /**
   * What the application costs in total (a volume tier: per unit).
   */
  price?: MoneyInput | null;
  /**
   * Higher first when bundles compete for the same units (default 0).
   */
  priority?: number | null;
  quantity: number;
  /**
   * Applies on top of other bundles (default false; not with `exclusive`).
   */
  stackable?: boolean | null;
  /**
   * RFC 3339; live from then on.
   */
  starts_at?: string | null;
  title?: string | null;
}
/**
 * Matches a product when any given criterion matches (ids, category, tag, vendor; case-insensitive names).
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "Selector".
 */
export interface Selector {
  category?: string | null;
  product_ids?: IdInput[];
  tag?: string | null;
  vendor?: string | null;
}
/**
 * Per-unit discounts by how many products of a collection the cart holds.
 */
export interface VolumeBundle {
  collection: Selector;
  /**
   * RFC 3339; live until then (after `starts_at`).
   */
  ends_at?: string | null;
  /**
   * Applies alone: replaces every other bundle when it saves more (default false).
   */
  exclusive?: boolean | null;
  /**
   * Unique among the bundles; an integer is read as its decimal text.
   */
  id: IdInput;
  kind: 'volume';
  /**
   * At most this many applications in one cart.
   */
  max_applications?: number | null;
  /**
   * Higher first when bundles compete for the same units (default 0).
   */
  priority?: number | null;
  /**
   * Applies on top of other bundles (default false; not with `exclusive`).
   */
  stackable?: boolean | null;
  /**
   * RFC 3339; live from then on.
   */
  starts_at?: string | null;
  /**
   * @minItems 1
   */
  tiers: [VolumeTier, ...VolumeTier[]];
  title?: string | null;
}
/**
 * A tier of a volume bundle: from `min_quantity` units (increasing from tier to tier), this discount per unit.
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "VolumeTier".
 */
export interface VolumeTier {
  /**
   * This much off the application (a volume tier: per unit).
   */
  amount_off?: MoneyInput | null;
  min_quantity: number;
  percent_off?: Percent | null;
  /**
   * What the application costs in total (a volume tier: per unit).
   */
  price?: MoneyInput | null;
}
/**
 * Buy `buy.quantity` of one collection, get `get.quantity` of another `percent_off`.
 */
export interface BuyXGetYBundle {
  buy: BundleSide;
  /**
   * RFC 3339; live until then (after `starts_at`).
   */
  ends_at?: string | null;
  /**
   * Applies alone: replaces every other bundle when it saves more (default false).
   */
  exclusive?: boolean | null;
  get: BundleSide;
  /**
   * Unique among the bundles; an integer is read as its decimal text.
   */
  id: IdInput;
  kind: 'buy_x_get_y';
  /**
   * At most this many applications in one cart.
   */
  max_applications?: number | null;
  percent_off: Percent;
  /**
   * Higher first when bundles compete for the same units (default 0).
   */
  priority?: number | null;
  /**
   * Applies on top of other bundles (default false; not with `exclusive`).
   */
  stackable?: boolean | null;
  /**
   * RFC 3339; live from then on.
   */
  starts_at?: string | null;
  title?: string | null;
}
/**
 * The `buy` or `get` side of a buy-x-get-y bundle.
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "BundleSide".
 */
export interface BundleSide {
  collection: Selector;
  quantity?: number;
}
/**
 * A discount on `target` products bought with a `trigger` product.
 */
export interface AddonBundle {
  /**
   * This much off the application (a volume tier: per unit).
   */
  amount_off?: MoneyInput | null;
  /**
   * RFC 3339; live until then (after `starts_at`).
   */
  ends_at?: string | null;
  /**
   * Applies alone: replaces every other bundle when it saves more (default false).
   */
  exclusive?: boolean | null;
  /**
   * Unique among the bundles; an integer is read as its decimal text.
   */
  id: IdInput;
  kind: 'addon';
  /**
   * At most this many applications in one cart.
   */
  max_applications?: number | null;
  percent_off?: Percent | null;
  /**
   * What the application costs in total (a volume tier: per unit).
   */
  price?: MoneyInput | null;
  /**
   * Higher first when bundles compete for the same units (default 0).
   */
  priority?: number | null;
  /**
   * How many target units one application discounts (default 1).
   */
  quantity?: number | null;
  /**
   * Applies on top of other bundles (default false; not with `exclusive`).
   */
  stackable?: boolean | null;
  /**
   * RFC 3339; live from then on.
   */
  starts_at?: string | null;
  target: Selector;
  title?: string | null;
  trigger: Selector;
}
/**
 * Money off an order whose subtotal reaches `min_subtotal`.
 */
export interface ThresholdBundle {
  amount_off?: MoneyInput | null;
  /**
   * RFC 3339; live until then (after `starts_at`).
   */
  ends_at?: string | null;
  /**
   * Applies alone: replaces every other bundle when it saves more (default false).
   */
  exclusive?: boolean | null;
  /**
   * Unique among the bundles; an integer is read as its decimal text.
   */
  id: IdInput;
  kind: 'threshold';
  /**
   * At most this many applications in one cart.
   */
  max_applications?: number | null;
  min_subtotal: MoneyInput;
  percent_off?: Percent | null;
  /**
   * Higher first when bundles compete for the same units (default 0).
   */
  priority?: number | null;
  /**
   * Applies on top of other bundles (default false; not with `exclusive`).
   */
  stackable?: boolean | null;
  /**
   * RFC 3339; live from then on.
   */
  starts_at?: string | null;
  title?: string | null;
}
/**
 * The `report` answer of the JSON API (and `cartlift report --format json`): the report of each experiment
 * over the events. Money is a decimal string in `currency`; rates and statistics are floats, null when they
 * cannot be computed (no orders, fewer than two values).
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "ReportResponse".
 */
export interface ReportResponse {
  /**
   * How long before an order a click can earn it (hours).
   */
  attribution_window_hours: number;
  /**
   * The currency of every money string (ISO 4217).
   */
  currency: string;
  events: EventCounts;
  /**
   * One report per experiment, in the order of the definitions.
   */
  experiments: ExperimentReport[];
  /**
   * The relative lift in revenue per visitor that `power` sizes the test for.
   */
  mde: number;
}
/**
 * What became of the events: counts, and the first malformed ones (at most 100) with why.
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "EventCounts".
 */
export interface EventCounts {
  declines: number;
  /**
   * Events identical to an earlier one, and orders whose `order_id` was already seen: counted once.
   */
  duplicates: number;
  malformed: number;
  malformed_examples: MalformedEvent[];
  /**
   * Events earlier than an event before them (sorted, not dropped).
   */
  out_of_order: number;
  /**
   * Events given.
   */
  read: number;
  /**
   * Clicks naming an unknown list, or a product the list did not show.
   */
  unmatched_clicks: number;
  /**
   * Events read, less the malformed and the duplicates.
   */
  valid: number;
  /**
   * Impressions tagged with another variant than the visitor's assignment.
   */
  variant_mismatches: number;
}
/**
 * A malformed event: where it was and why.
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "MalformedEvent".
 */
export interface MalformedEvent {
  /**
   * The error code, as an error of the same input would have (`invalid_input`, `currency_mismatch`).
   */
  code: string;
  /**
   * The offending field, when one is.
   */
  field: string | null;
  /**
   * 0-based position in the input.
   */
  index: number;
  message: string;
}
/**
 * One experiment: its variants (lifts against `control`) and, per week, their headline numbers.
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "ExperimentReport".
 */
export interface ExperimentReport {
  /**
   * The control variant's id.
   */
  control: string;
  ends_at: string | null;
  id: string;
  /**
   * Placements the experiment covers; empty: all.
   */
  placements: string[];
  starts_at: string | null;
  variants: VariantReport[];
  /**
   * Every week any variant saw activity, each with every variant.
   */
  weeks: WeekReport[];
}
/**
 * One variant's visitors, orders and recommendations; the lifts and `power` are null for the control.
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "VariantReport".
 */
export interface VariantReport {
  /**
   * Average order value.
   */
  aov: string | null;
  /**
   * 95% t interval of the mean order value.
   *
   * @minItems 2
   * @maxItems 2
   */
  aov_ci: [number, number] | null;
  /**
   * Welch's t-test of order values against the control's.
   */
  aov_lift: Lift | null;
  /**
   * Orders holding an attributed recommended item.
   */
  attached_orders: number;
  /**
   * Two-proportion z-test against the control.
   */
  attachment_lift: Lift | null;
  attachment_rate: number | null;
  /**
   * 95% Wilson interval.
   *
   * @minItems 2
   * @maxItems 2
   */
  attachment_rate_ci: [number, number] | null;
  /**
   * Revenue of attributed lines.
   */
  attributed_revenue: string;
  /**
   * Of impressions with placement `bundle`: the share followed within the window by an order of all its products.
   */
  bundle_take_rate: number | null;
  /**
   * Two-proportion z-test against the control.
   */
  click_through_lift: Lift | null;
  click_through_rate: number | null;
  control: boolean;
  /**
   * Two-proportion z-test against the control.
   */
  conversion_lift: Lift | null;
  conversion_rate: number | null;
  /**
   * 95% Wilson interval.
   *
   * @minItems 2
   * @maxItems 2
   */
  conversion_rate_ci: [number, number] | null;
  /**
   * Visitors with an order.
   */
  converters: number;
  /**
   * Recommendation lists shown in the experiment's placements.
   */
  impressions: number;
  orders: number;
  /**
   * Per placement shown.
   */
  placements: {
    [k: string]: PlacementReport | undefined;
  };
  power: PowerAnalysis | null;
  revenue: string;
  revenue_per_visitor: string | null;
  /**
   * Welch's t-test of every visitor's revenue (zeros included) against the control's.
   */
  revenue_per_visitor_lift: Lift | null;
  /**
   * Of impressions with placement `upsell`: the share with an `add_to_cart` from that list.
   */
  upsell_acceptance: number | null;
  variant: string;
  /**
   * Visitors with any event inside the experiment window, assigned to this variant.
   */
  visitors: number;
  weight: number;
}
/**
 * A variant against the control: treatment − control (`estimate`), its 95% interval and two-sided p-value. For
 * AOV and revenue per visitor (Welch's t-test) in whole units of the currency; for rates (two-proportion z-test)
 * a difference of proportions.
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "Lift".
 */
export interface Lift {
  ci_high: number;
  ci_low: number;
  /**
   * Welch's degrees of freedom (AOV and revenue per visitor).
   */
  df?: number;
  estimate: number;
  /**
   * Null when a z-test has no spread (both rates 0 or both 1).
   */
  p_value: number | null;
  /**
   * `estimate` over the control mean (AOV and revenue per visitor, when that mean is not zero).
   */
  relative?: number;
  /**
   * `ci_high` over the control mean, with `relative`.
   */
  relative_ci_high?: number;
  /**
   * `ci_low` over the control mean, with `relative`.
   */
  relative_ci_low?: number;
  /**
   * The test statistic (t or z); null as `p_value`.
   */
  statistic: number | null;
}
/**
 * One placement's recommendation lists of a variant.
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "PlacementReport".
 */
export interface PlacementReport {
  attached_orders: number;
  /**
   * Of all the variant's orders.
   */
  attachment_rate: number | null;
  attributed_revenue: string;
  click_through_rate: number | null;
  impressions: number;
}
/**
 * Visitors per variant needed to detect a relative lift of `mde` in revenue per visitor (two-sided 5%, 80%
 * power), and how many more than the smaller of this variant and the control has.
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "PowerAnalysis".
 */
export interface PowerAnalysis {
  alpha: number;
  mde: number;
  metric: PowerMetric;
  more_visitors_needed: number;
  power: number;
  visitors_needed_per_variant: number;
}
/**
 * One week (starting on Monday) of an experiment.
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "WeekReport".
 */
export interface WeekReport {
  /**
   * Every variant, zeros where it had no activity that week.
   */
  variants: WeekVariant[];
  /**
   * The Monday's date (YYYY-MM-DD).
   */
  week: string;
}
/**
 * A variant's headline numbers in one week.
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "WeekVariant".
 */
export interface WeekVariant {
  aov: string | null;
  attachment_rate: number | null;
  conversion_rate: number | null;
  orders: number;
  revenue: string;
  revenue_per_visitor: string | null;
  variant: string;
  visitors: number;
}
/**
 * The `report` request of the JSON API.
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "ReportRequest".
 */
export interface ReportRequest {
  attribution_window_hours?: number | null;
  currency?: string | null;
  /**
   * Shopper events, in the request itself (not a path). A malformed one does not fail the report: it is
   * counted and listed in the answer's `events`.
   */
  events: EventRecord[];
  /**
   * Experiment definitions, in the request itself (not a path).
   */
  experiments: ExperimentRecord[];
  mde?: number | null;
}
/**
 * A list of recommendations was shown.
 */
export interface ImpressionEvent {
  /**
   * When it happened (RFC 3339).
   */
  at: string;
  customer_id?: IdInput | null;
  experiment?: string | null;
  /**
   * The list's id, echoed by the clicks and add-to-carts it leads to.
   */
  list_id: IdInput;
  placement: string;
  product_ids: IdInput[];
  session_id?: IdInput | null;
  type: 'impression';
  variant?: string | null;
  /**
   * The shopper's browser or device (not empty).
   */
  visitor_id: IdInput;
}
/**
 * The shopper clicked a product (of a list, when `list_id` is given).
 */
export interface ClickEvent {
  /**
   * When it happened (RFC 3339).
   */
  at: string;
  customer_id?: IdInput | null;
  list_id?: IdInput | null;
  product_id: IdInput;
  session_id?: IdInput | null;
  type: 'click';
  /**
   * The shopper's browser or device (not empty).
   */
  visitor_id: IdInput;
}
/**
 * The shopper added a product to the cart (from a list, when `list_id` is given).
 */
export interface AddToCartEvent {
  /**
   * When it happened (RFC 3339).
   */
  at: string;
  customer_id?: IdInput | null;
  list_id?: IdInput | null;
  product_id: IdInput;
  session_id?: IdInput | null;
  type: 'add_to_cart';
  /**
   * The shopper's browser or device (not empty).
   */
  visitor_id: IdInput;
}
/**
 * The shopper took a product out of the cart (a weak "not this one").
 */
export interface RemoveFromCartEvent {
  /**
   * When it happened (RFC 3339).
   */
  at: string;
  customer_id?: IdInput | null;
  list_id?: IdInput | null;
  product_id: IdInput;
  session_id?: IdInput | null;
  type: 'remove_from_cart';
  /**
   * The shopper's browser or device (not empty).
   */
  visitor_id: IdInput;
}
/**
 * The shopper dismissed a suggested product: kept away from them (`decline_limit`).
 */
export interface DeclineEvent {
  /**
   * When it happened (RFC 3339).
   */
  at: string;
  customer_id?: IdInput | null;
  /**
   * The list the product was declined from.
   */
  list_id: IdInput;
  product_id: IdInput;
  session_id?: IdInput | null;
  type: 'decline';
  /**
   * The shopper's browser or device (not empty).
   */
  visitor_id: IdInput;
}
/**
 * The shopper viewed a product's page.
 */
export interface ViewEvent {
  /**
   * When it happened (RFC 3339).
   */
  at: string;
  customer_id?: IdInput | null;
  list_id?: IdInput | null;
  product_id: IdInput;
  session_id?: IdInput | null;
  type: 'view';
  /**
   * The shopper's browser or device (not empty).
   */
  visitor_id: IdInput;
}
/**
 * The shopper placed an order (counted once per `order_id`).
 */
export interface OrderEvent {
  /**
   * When it happened (RFC 3339).
   */
  at: string;
  currency?: string | null;
  customer_id?: IdInput | null;
  lines: EventOrderLine[];
  order_id: IdInput;
  session_id?: IdInput | null;
  total: MoneyInput;
  type: 'order';
  /**
   * The shopper's browser or device (not empty).
   */
  visitor_id: IdInput;
}
/**
 * A line of an order event: a product, how many, and the price paid for one.
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "EventOrderLine".
 */
export interface EventOrderLine {
  price: MoneyInput;
  product_id: IdInput;
  quantity?: number;
}
/**
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "SuggestBundlesResponse".
 */
export interface SuggestBundlesResponse {
  bundles: SuggestedBundle[];
  currency: string;
}
/**
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "SuggestedBundle".
 */
export interface SuggestedBundle {
  /**
   * A definition the merchant can add to their bundles file as is.
   */
  definition: {
    [k: string]: unknown | undefined;
  };
  /**
   * Margin after the discount in percent with two decimals (floored); null when a cost is unknown.
   */
  margin_percent: string | null;
  /**
   * Orders that contained every pair of the set (the weakest pair's count).
   */
  orders_together: number;
  percent_off: number;
  price: string;
  product_ids: string[];
  /**
   * Sum of list prices.
   */
  regular_price: string;
  saving: string;
  strength: number;
  text: string;
}
/**
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "SuggestBundlesRequest".
 */
export interface SuggestBundlesRequest {
  /**
   * ...or around a cart.
   */
  cart?: CartLineInput[] | null;
  limit?: number | null;
  /**
   * Suggest bundles around one product...
   */
  product_id?: string | null;
}
/**
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "DecoyPriceResponse".
 */
export interface DecoyPriceResponse {
  /**
   * Decoys cost from this price up to the target's (`decoy_min_ratio` × target price, rounded up).
   */
  min_decoy_price: string | null;
  product_id: string;
  reasons: Reason[];
  /**
   * Middle options the target dominates, highest-priced first; empty when none can become a decoy.
   */
  suggestions: DecoySuggestion[];
  target_id: string | null;
  target_price: string | null;
}
/**
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "DecoySuggestion".
 */
export interface DecoySuggestion {
  already_decoy: boolean;
  price: string;
  price_change: string;
  product_id: string;
  reasons: Reason[];
  /**
   * The lowest price at which it is a decoy for the target (its current price when it already is).
   */
  suggested_price: string;
  title: string;
}
/**
 * For merchants: at what price an existing middle option would become a decoy for the target.
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "DecoyPriceRequest".
 */
export interface DecoyPriceRequest {
  max_price_ratio?: number | null;
  /**
   * The base (entry tier) of the ladder.
   */
  product_id: string;
  /**
   * The tier to make look best; default: the highest-priced tier an upsell from the base could target.
   */
  target_id?: string | null;
}
/**
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "UpgradePathResponse".
 */
export interface UpgradePathResponse {
  price: string;
  product_id: string;
  /**
   * Cheapest first; in stock, not declined, better than the product on at least one attribute.
   */
  tiers: UpgradeTier[];
}
/**
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "UpgradeTier".
 */
export interface UpgradeTier {
  comparisons: AttributeComparison[];
  price: string;
  price_delta: string;
  product_id: string;
  title: string;
  /**
   * Price per unit of the first quantity attribute this tier shares with the product.
   */
  unit_value: UnitValue | null;
}
/**
 * One attribute of an option against the base: "256 GB vs 128 GB: 2x storage".
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "AttributeComparison".
 */
export interface AttributeComparison {
  attribute: string;
  base_value: string;
  text: string;
  value: string;
  verdict: Verdict;
}
/**
 * Price per unit of a quantity attribute, exact: "$0.39 per GB".
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "UnitValue".
 */
export interface UnitValue {
  attribute: string;
  price_per_unit: string;
  text: string;
  unit: string;
}
/**
 * Later upgrade offers (post-purchase, email): the higher tiers of a product.
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "UpgradePathRequest".
 */
export interface UpgradePathRequest {
  declined?: IdInput[];
  /**
   * Only tiers up to this multiple of the price (no ceiling when absent: later offers may reach further).
   */
  max_price_ratio?: number | null;
  product_id: string;
}
/**
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "UpsellResponse".
 */
export interface UpsellResponse {
  comparison: ComparisonTable;
  /**
   * Only when the request named an `experiment`.
   */
  experiment?: VariantTag;
  /**
   * The merchant's offer end, only while it is in the future.
   */
  expires_at: string | null;
  /**
   * Display order: base, decoy (when one fits), target. Empty when no honest upsell exists.
   */
  options: UpsellOption[];
  placement: Placement;
  product_id: string;
  /**
   * About the offer as a whole: where tiers came from, or why there is none.
   */
  reasons: Reason[];
}
/**
 * A table a storefront renders as is: one column per option, rows "price" then attributes by name.
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "ComparisonTable".
 */
export interface ComparisonTable {
  product_ids: string[];
  rows: ComparisonRow[];
}
/**
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "ComparisonRow".
 */
export interface ComparisonRow {
  attribute: string;
  label: string;
  values: string[];
}
/**
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "UpsellOption".
 */
export interface UpsellOption {
  badge: Badge | null;
  /**
   * Against the base (empty for the base).
   */
  comparisons: AttributeComparison[];
  price: string;
  /**
   * Difference from the base, signed: "+$20.00" (the base itself: "+$0.00").
   */
  price_delta: string;
  product_id: string;
  reasons: Reason[];
  role: Role;
  title: string;
  unit_value: UnitValue | null;
}
/**
 * The upsell request of the shared schema.
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "UpsellRequest".
 */
export interface UpsellRequest {
  cart?: CartLineInput[];
  /**
   * Products this customer bought before: their highest price bounds the offer (price band).
   */
  customer_history?: IdInput[];
  customer_id?: IdInput | null;
  /**
   * Upsells the shopper declined: never shown again.
   */
  declined?: IdInput[];
  /**
   * An experiment trained into the model: the answer is `visitor_id`'s variant's (and says which).
   */
  experiment?: AssignmentId;
  /**
   * Merchant-set end of a limited-time upgrade offer (RFC 3339); the only source of urgency.
   */
  expires_at?: string | null;
  /**
   * Overrides `config.max_price_ratio` for this request.
   */
  max_price_ratio?: number | null;
  /**
   * Request time (RFC 3339) for `expires_at`; the clock when absent.
   */
  now?: string | null;
  /**
   * `false` turns off the price band and premium browsing (no consent); `config.personalization` too.
   */
  personalize?: boolean | null;
  placement?: Placement & string;
  /**
   * What the shopper is looking at or has in the cart: the base of the offer.
   */
  product_id: string;
  /**
   * Products viewed this session: premium browsing moves the target one tier up.
   */
  viewed?: IdInput[];
  /**
   * The anonymous shopper: trained declines of this visitor apply (also picks an experiment's variant).
   */
  visitor_id?: IdInput | null;
}
/**
 * The engine's settings (`config` of a train request, `--config FILE` on the CLI): every one optional, with
 * the defaults given here; unknown keys are rejected.
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "Config".
 */
export interface Config {
  /**
   * α of the asymmetric cosine (unset: 0.5).
   */
  asymmetric_alpha?: number | null;
  /**
   * How much one order counts towards its pairs (unset: `equal`).
   */
  basket_weight?: BasketWeight | null;
  /**
   * Score of a due "buy it again" suggestion (the strongest learned complement scores 1.0) after a purchase
   * and on product pages (unset: 0.5; tuned under `auto` on returning customers' next orders).
   */
  buy_again_weight?: number | null;
  /**
   * `buy_again_weight` in the cart and at checkout, where a due restock competes with what goes with the
   * cart (unset: `buy_again_weight`; tuned under `auto` on returning customers' held-out orders).
   */
  cart_buy_again_weight?: number | null;
  /**
   * How cart lines share a suggestion's score (unset: `value`).
   */
  cart_weight?: CartWeight | null;
  /**
   * At checkout, only add-ons costing at most this fraction of the cart subtotal.
   */
  checkout_max_price_fraction?: number;
  /**
   * `false` turns cross-sell off: every `cross_sell` answer is empty whatever the request's `limit` or
   * device (the control arm of a "recommendations off" experiment).
   */
  cross_sell?: boolean;
  /**
   * Currency of records that do not name one (ISO 4217). Unset: the products' currency, else the one
   * currency the orders name (Shopify's product CSV has no currency column), else USD.
   */
  currency?: string | null;
  /**
   * Weight of the customer-level association against the same-order one. Unset: 0.3, but 0 under
   * `measure: "auto"` (customer pairs are not tuned, and on every set measured they did not help).
   */
  customer_weight?: number | null;
  /**
   * "Customers who bought this also bought": orders of one customer within this many days count as related.
   */
  customer_window_days?: number;
  /**
   * Each order is related to at most this many of the customer's previous orders (within the window); 0 = all.
   * One keeps the "bought next" signal: on weekly grocery shoppers every earlier order made the build 4× slower
   * and 2× larger for slightly worse suggestions (BENCHMARKS.md).
   */
  customer_window_orders?: number;
  /**
   * A cart line's neighbour list is cut at `top_k`, and a suggestion missing from it counts 0 for that
   * line, though it may go with it up to as well as the list's last entry. Summed over a long cart, those
   * zeros favour products found in many lists (often merely popular ones) over one that goes strongly with
   * a few lines. A suggestion found in some cart line's list is credited this share (0 to 1) of the last
   * score of every cut list it is missing from (unset: 0; tuned under `auto`).
   */
  cut_credit?: number | null;
  /**
   * Reference time for decay and trending (RFC 3339). Default: the newest order. Models to be merged must share it.
   */
  decay_reference?: string | null;
  /**
   * A product a shopper declined (trained `decline` events) this many times within `decline_window_days`
   * is not offered to them again; 0 ignores trained declines.
   */
  decline_limit?: number;
  /**
   * Window of `decline_limit`, ending at the request's `now` (else the newest trained event).
   */
  decline_window_days?: number;
  /**
   * Upsell: a decoy costs at least this fraction of the target's price.
   */
  decoy_min_ratio?: number;
  /**
   * Suggestions returned when a request gives no `limit`.
   */
  default_limit?: number;
  /**
   * Orders lose half their weight every `half_life_days` before the reference time; 0 turns decay off.
   * Unset: 180, or tuned under `measure: "auto"` (so are the other `Option` settings below).
   */
  half_life_days?: number | null;
  /**
   * Weight of products the customer bought before, as extra seeds (unset: 0.3; tuned under `auto` on
   * the held-out orders of returning customers).
   */
  history_weight?: number | null;
  /**
   * Bundle suggestions: keep the margin at least this fraction of the price when `cost` is known.
   */
  margin_floor?: number;
  /**
   * Requests with more cart lines than this are refused (`invalid_input`, field `cart`).
   */
  max_cart_lines?: number;
  /**
   * Only each product's this many most frequent companions are scored (unset: all; 2,000 under `auto`).
   */
  max_companions?: number | null;
  /**
   * At most this many suggestions from one category (diversity); 0 = no cap (unset: 2).
   */
  max_per_category?: number | null;
  /**
   * Upsell: never offer more than this multiple of the base price.
   */
  max_price_ratio?: number;
  measure?: Measure & string;
  /**
   * Fill suggestions (popular in a category bought with the cart's, trending, popular) scoring below this
   * are not shown: a shorter list rather than an irrelevant one. Fill scores 0.025–0.09.
   */
  min_fill_score?: number;
  /**
   * Learned candidates scoring below this fraction of the best one are noise, not suggestions.
   */
  min_relative_score?: number;
  /**
   * Pairs bought together in fewer orders than this are ignored by the default measure.
   */
  min_support?: number;
  /**
   * Default limit for `device: "mobile"`.
   */
  mobile_limit?: number;
  /**
   * Use shoppers' history and session (off: answers ignore customer_id, customer_history and viewed).
   */
  personalization?: boolean;
  /**
   * Where co-occurrence says little beyond what sells (a small range bought by everyone), the learned
   * score of a suggestion is blended with its popularity: `(1 - p) · learned + p · popularity`, both in
   * [0, 1]. Only suggestions the cart's learned lists hold are reordered (unset: 0; tuned under `auto`).
   */
  popularity_prior?: number | null;
  /**
   * A product needs this many repeat purchases (same customer, later day) before it has a repurchase cycle.
   */
  repurchase_min_repeats?: number;
  /**
   * Seasonal boost when last year's sales around this date were at least this multiple of the usual rate.
   */
  seasonal_min_lift?: number;
  /**
   * Support damping: a pair seen `co` times keeps `co / (co + shrinkage)` of its score. Unset: 5 for the
   * default measure, none for the others.
   */
  shrinkage?: number | null;
  /**
   * Keep each customer's recent purchases in the model so `customer_id` alone personalizes.
   */
  store_customer_history?: boolean;
  /**
   * ... "rarely": bought together in fewer than this fraction of the sessions that viewed them together.
   */
  substitute_max_cobuy_ratio?: number;
  /**
   * Same-category products viewed together in at least this many sessions (and rarely bought together) are
   * substitutes; 0 learns none.
   */
  substitute_min_coviews?: number;
  /**
   * Neighbours kept per product (unset: 50).
   */
  top_k?: number | null;
  /**
   * Trending compares the last `trending_window_days` with the long-run rate.
   */
  trending_window_days?: number;
  /**
   * Signal switches (all on by default; for ablation and merchants' choice): tag/vendor affinity and price
   * band, this session's views, buy-again (and not re-suggesting one-time purchases), seasons.
   */
  use_affinity?: boolean;
  use_buy_again?: boolean;
  use_seasonal?: boolean;
  use_session?: boolean;
  /**
   * Weight of products viewed this session, as extra seeds.
   */
  viewed_weight?: number;
}
/**
 * What a load read: counts, the detected format and the skipped rows (the first 20 reasons are kept).
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "LoadReport".
 */
export interface LoadReport {
  file?: string | null;
  /**
   * The detected format (`json_lines`, `shopify_orders_csv`, ...).
   */
  format: string;
  /**
   * Rows read, and rows `skip_invalid` left out.
   */
  loaded: number;
  skipped: number;
  skipped_reasons?: Skipped[];
}
/**
 * A row that `skip_invalid` left out, and why.
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "Skipped".
 */
export interface Skipped {
  field?: string | null;
  line: number;
  message: string;
}
/**
 * One line of an order: a product, how many, and optionally the price paid for one.
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "OrderLineRecord".
 */
export interface OrderLineRecord {
  price?: MoneyInput | null;
  product_id: IdInput;
  quantity?: number;
}
/**
 * One line of the orders JSON Lines input.
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "OrderRecord".
 */
export interface OrderRecord {
  created_at: string;
  /**
   * ISO 4217 code of the order's money; when given it must be the catalog's.
   */
  currency?: string | null;
  customer_id?: IdInput | null;
  id: IdInput;
  lines: OrderLineRecord[];
}
/**
 * What `auto` chose for `history_weight`, `cart_buy_again_weight` and `buy_again_weight` on the held-out
 * orders of returning customers.
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "PersonalTuneReport".
 */
export interface PersonalTuneReport {
  /**
   * `buy_again_weight` chosen on the next-order queries (absent: set by the merchant, or not tuned).
   */
  buy_again_weight?: number | null;
  cart_buy_again_weight?: number | null;
  /**
   * True when there were too few such orders and the weights stayed unset.
   */
  fallback: boolean;
  /**
   * The weights chosen (absent: set by the merchant, or not tuned).
   */
  history_weight?: number | null;
  hit_rate: number;
  next_hit_rate: number;
  /**
   * Next-order queries (the customer's previous order as the cart, after a purchase), and HR@10 on them
   * with the chosen and the unset `buy_again_weight` (0 when it was not tuned).
   */
  next_queries: number;
  next_unset_hit_rate: number;
  queries: number;
  /**
   * One line for people: "personal: history_weight 0, cart_buy_again_weight 0.2 — HR@10 0.29 vs 0.27 ...".
   */
  summary: string;
  /**
   * HR@10 with the weights unset, on the same queries.
   */
  unset_hit_rate: number;
}
/**
 * One product line of the products JSON Lines input (the documented schema).
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "ProductRecord".
 */
export interface ProductRecord {
  attributes?: {
    [k: string]: AttributeInput | undefined;
  };
  available?: boolean | null;
  category?: string | null;
  compare_at_price?: MoneyInput | null;
  cost?: MoneyInput | null;
  currency?: string | null;
  family?: string | null;
  id: IdInput;
  inventory?: number | null;
  kind?: string | null;
  price: MoneyInput;
  tags?: string[];
  title?: string;
  vendor?: string | null;
}
/**
 * A partial product change: only the given fields change. `inventory: null` means "not tracked".
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "ProductUpdate".
 */
export interface ProductUpdate {
  available?: boolean | null;
  compare_at_price?: MoneyInput | null;
  id: string;
  inventory?: number | null;
  price?: MoneyInput | null;
}
/**
 * Always show `products` first when the cart matches `when` (any cart when absent).
 */
export interface PinRule {
  kind: 'pin';
  placements?: Placement[];
  products: IdInput[];
  when?: Selector | null;
}
/**
 * Never suggest `target` (when the cart matches `when`, or always).
 */
export interface ExcludeRule {
  kind: 'exclude';
  target: Selector;
  when?: Selector | null;
}
/**
 * Products matching `to` complete products matching `from` ("Complete your setup").
 */
export interface ComplementRule {
  from: Selector;
  heading?: string | null;
  kind: 'complement';
  to: Selector;
  weight?: number;
}
/**
 * Multiply the score of matching products (factor above 1).
 */
export interface BoostRule {
  factor: number;
  kind: 'boost';
  target: Selector;
}
/**
 * Multiply the score of matching products (factor below 1; default 0.5).
 */
export interface BuryRule {
  factor?: number;
  kind: 'bury';
  target: Selector;
}
/**
 * Only suggest products priced within [min, max].
 */
export interface PriceRangeRule {
  kind: 'price_range';
  max?: MoneyInput | null;
  min?: MoneyInput | null;
}
/**
 * What `train` reads: each input a file path (any supported format) or records in memory.
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "TrainRequest".
 */
export interface TrainRequest {
  /**
   * Bundle definitions for `price_cart` and `suggest_bundles`.
   */
  bundles?: (string | BundleRecord[]) | null;
  config?: Config | null;
  /**
   * Shopper events (the measurement schema, JSON Lines or array): views teach substitutes, declines keep
   * offers away from the shopper who declined them.
   */
  events?: (string | EventRecord[]) | null;
  /**
   * A/B experiment definitions (JSON Lines or array), stored in the model for `assign` and for requests
   * carrying `experiment` + `visitor_id`.
   */
  experiments?: (string | ExperimentRecord[]) | null;
  /**
   * The order history the associations are counted from.
   */
  orders?: (string | (OrderRecord | ShopifyOrder)[]) | null;
  /**
   * The catalog.
   */
  products: string | (ProductRecord | ShopifyProduct)[];
  /**
   * Merchant rules (`pin`, `exclude`, `complement`, `boost`, `bury`, `price_range`).
   */
  rules?: (string | RuleRecord[]) | null;
  /**
   * Skip bad rows (counted and reported) instead of failing the whole load.
   */
  skip_invalid?: boolean;
}
/**
 * What training read and how long each phase took.
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "TrainStats".
 */
export interface TrainStats {
  /**
   * The catalog's currency when it was taken from the orders, as neither the products nor config named one.
   */
  currency_from_orders?: string | null;
  customer_pairs: number;
  events: LoadReport;
  orders: LoadReport;
  /**
   * Distinct pairs of products bought in one order, and by one customer in different orders.
   */
  pairs: number;
  /**
   * (phase, milliseconds)
   */
  phases_ms: [string, number][];
  /**
   * How the products, orders and events files were read.
   */
  products: LoadReport;
  /**
   * What `measure: "auto"` chose, and what it measured.
   */
  tuning?: TuneReport | null;
  /**
   * Order lines naming a product not in the catalog (counted, not fatal).
   */
  unknown_product_lines: number;
}
/**
 * What the tuner chose and what it measured; kept in the model's train stats.
 *
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "TuneReport".
 */
export interface TuneReport {
  evaluations: number;
  /**
   * True when there were too few held-out queries and the fallback settings were used.
   */
  fallback: boolean;
  hit_rate: number;
  ndcg: number;
  /**
   * The settings of the default before `auto` (`measure: "default"`), on the same queries.
   */
  old_default_hit_rate: number;
  /**
   * What was chosen for the personal weights (absent when the merchant set them, personalization is off,
   * or the model was trained before they were tuned).
   */
  personal?: PersonalTuneReport | null;
  queries: number;
  /**
   * One line for people: "auto: jaccard, top_k 200, ... — HR@10 0.31 vs 0.23 for the old default on ...".
   */
  summary: string;
}
