// Types of the `cartlift` package. The request and answer types are generated from the core's Rust types
// (include/cartlift.schema.json -> schema.d.ts, scripts/gen-schema.sh): the queries, the train request with its
// config and records, the train stats; errors and the Engine class are written here (the napi-generated
// declarations of the raw addon are in native.d.ts). Both are checked for drift by tests/node/run.sh. Field names
// are snake_case, as in the JSON schema.
import type {
  AssignRequest,
  AssignResponse,
  CartLineInput,
  CrossSellRequest,
  CrossSellResponse,
  DecoyPriceRequest,
  DecoyPriceResponse,
  PriceCartRequest,
  PriceCartResponse,
  ProductUpdate,
  ReportRequest,
  ReportResponse,
  SuggestBundlesRequest,
  SuggestBundlesResponse,
  TrainRequest,
  TrainStats,
  UpgradePathRequest,
  UpgradePathResponse,
  UpsellRequest,
  UpsellResponse,
} from './schema';

export * from './schema';

/** Money in answers is always a decimal string. */
export type Money = string;
/**
 * A file path (CSV, JSON, JSON Lines, Shopify export) or records in memory: each input of the generated
 * `TrainRequest` is `string | R[]` with its own record type `R`: `ProductRecord | ShopifyProduct` for products,
 * `OrderRecord | ShopifyOrder` for orders, `RuleRecord`, `BundleRecord`, `ExperimentRecord` and `EventRecord`
 * (unions of one interface per `kind` or `type`, e.g. `PinRule`, `FixedBundle`, `ViewEvent`).
 */
export type Source<T> = string | T[];

/** A cart line: a bare product id or an object (`CartLineInput` of the schema). */
export type CartLine = CartLineInput;

/**
 * A cross_sell, upsell or price_cart request may name an A/B experiment and the visitor (README, Measurement).
 * @deprecated `CrossSellRequest`, `UpsellRequest` and `PriceCartRequest` declare `experiment` and `visitor_id`.
 */
export type ExperimentFields = Pick<PriceCartRequest, 'experiment' | 'visitor_id'>;

/**
 * The answer to a request naming an experiment says which variant answered (`variant` null outside it).
 * @deprecated `CrossSellResponse`, `UpsellResponse` and `PriceCartResponse` declare `experiment`.
 */
export type ExperimentTag = Pick<PriceCartResponse, 'experiment'>;

/**
 * Any JSON object.
 * @deprecated `report` answers a `ReportResponse`, which the schema now declares.
 */
export type JsonObject = { [key: string]: unknown };

export type ErrorCode =
  | 'invalid_input'
  | 'unknown_product'
  | 'currency_mismatch'
  | 'corrupt_model'
  | 'unsupported_version'
  | 'io'
  | 'unknown_experiment'
  | 'internal'
  | 'native_addon_missing'
  | 'native_addon_invalid';

/** Every error cartlift throws is an `Error` with these extra properties. */
export interface CartliftError extends Error {
  code: ErrorCode;
  /** The offending field, e.g. "cart[0].quantity". */
  field?: string;
  /** 1-based line in an input file. */
  line?: number;
  file?: string;
}

/** A trained engine: an immutable snapshot, safe to share; queries are synchronous and take microseconds. */
export declare class Engine {
  private constructor(inner: unknown);
  /** Train on the libuv thread pool; the event loop stays free. */
  static train(request: TrainRequest): Promise<Engine>;
  /** Train on the calling thread (scripts). */
  static trainSync(request: TrainRequest): Engine;
  static load(path: string): Engine;
  /**
   * Map a model file read-only and answer from the map: fast, and worker processes that open one file share its
   * memory. Replace the file by rename (as `save` does), never in place: this engine keeps answering from the old
   * file until `open` is called again.
   */
  static open(path: string): Engine;
  /** Rebuild an engine from `toBuffer()` bytes (e.g. sent to a worker thread or kept in a cache). */
  static fromBuffer(buf: Uint8Array): Engine;
  save(path: string): void;
  toBuffer(): Buffer;
  /** Apply price/availability/inventory changes; returns a new Engine, this one is unchanged. */
  updateProducts(updates: ProductUpdate | ProductUpdate[]): Engine;
  stats(): TrainStats;

  crossSell(request: CrossSellRequest): CrossSellResponse;
  upsell(request: UpsellRequest): UpsellResponse;
  upgradePath(request: UpgradePathRequest): UpgradePathResponse;
  suggestDecoyPrice(request: DecoyPriceRequest): DecoyPriceResponse;
  priceCart(request: PriceCartRequest): PriceCartResponse;
  suggestBundles(request: SuggestBundlesRequest): SuggestBundlesResponse;
  /** The variant of an experiment a visitor sees: `{experiments, experiment, visitor_id}` -> `{experiment, variant}`. */
  assign(request: AssignRequest): AssignResponse;
  /** The experiment report from `{experiments, events}` (see docs/measurement.md). */
  report(request: ReportRequest): ReportResponse;
}

export declare const VERSION: string;
export declare const ERROR_CODES: readonly ErrorCode[];
/** Operation names as in the JSON schema and the conformance vectors (snake_case). */
export declare const OPERATIONS: readonly string[];
