// Request and answer types of the JSON surface, generated from include/cartlift.schema.json by
// gen-schema-types.js (json-schema-to-typescript): do not edit; run scripts/gen-schema.sh.

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
 * Every query operation of cartlift's JSON surface (Engine::query, the bindings, `cartlift query`): its request and its answer. An answer to a request naming an `experiment` and a `visitor_id` also carries `experiment: {id, variant}`.
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
    answer: {
      [k: string]: unknown | undefined;
    };
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
  experiment: string;
  experiments?: unknown[] | null;
  visitor_id: string;
}
/**
 * This interface was referenced by `Operations`'s JSON-Schema
 * via the `definition` "CrossSellResponse".
 */
export interface CrossSellResponse {
  heading: string;
  placement: Placement;
  recommendations: Recommendation[];
  /**
   * Cart products the engine has not seen (answered from what is known).
   */
  unknown_products?: string[];
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
  customer_history?: string[];
  customer_id?: string | null;
  /**
   * Offers the shopper dismissed: never suggested again.
   */
  declined?: string[];
  device?: Device | null;
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
  viewed?: string[];
  /**
   * The anonymous shopper (cookie id): trained declines of this visitor apply (also picks an
   * experiment's variant when `experiment` is given).
   */
  visitor_id?: string | null;
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
  bundles?: unknown[];
  cart: CartLineInput[];
  /**
   * Must be the catalog's currency when given.
   */
  currency?: string | null;
  /**
   * RFC 3339; default the current time.
   */
  now?: string | null;
  /**
   * `false` skips `opportunities` (an order-confirmation total needs no "add one more" hints, and it is
   * most of the work on carts with many near-miss bundles); default on.
   */
  opportunities?: boolean | null;
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
  events: unknown[];
  experiments: unknown[];
  mde?: number | null;
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
  declined?: string[];
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
  customer_history?: string[];
  customer_id?: string | null;
  /**
   * Upsells the shopper declined: never shown again.
   */
  declined?: string[];
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
  viewed?: string[];
  /**
   * The anonymous shopper: trained declines of this visitor apply (also picks an experiment's variant).
   */
  visitor_id?: string | null;
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
  queries: number;
  /**
   * One line for people: "auto: jaccard, top_k 200, ... — HR@10 0.31 vs 0.23 for the old default on ...".
   */
  summary: string;
}
