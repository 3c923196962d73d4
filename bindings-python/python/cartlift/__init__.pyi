"""Type stubs for cartlift (the compiled module is cartlift._cartlift, re-exported here)."""

from collections.abc import Iterable, Mapping
from typing import Any, Optional, Union, final

from cartlift.schema import (
    AssignResponse as AssignResponse,
    BasketWeight as BasketWeight,
    BundleRecord as BundleRecord,
    Cart as Cart,
    CartLine as CartLine,
    CartWeight as CartWeight,
    Config as Config,
    CrossSellResponse as CrossSellResponse,
    DecoyPriceResponse as DecoyPriceResponse,
    Device as Device,
    EventRecord as EventRecord,
    ExperimentRecord as ExperimentRecord,
    Filters as Filters,
    Measure as Measure,
    Money as Money,
    OrderLineRecord as OrderLineRecord,
    OrderRecord as OrderRecord,
    Placement as Placement,
    PriceCartResponse as PriceCartResponse,
    ProductRecord as ProductRecord,
    ProductUpdate as ProductUpdate,
    Reason as Reason,
    Recommendation as Recommendation,
    Records as Records,
    ReportResponse as ReportResponse,
    RuleRecord as RuleRecord,
    Source as Source,
    StrPath as StrPath,
    SuggestBundlesResponse as SuggestBundlesResponse,
    TrainRequest as TrainRequest,
    TrainStats as TrainStats,
    UpgradePathResponse as UpgradePathResponse,
    UpsellResponse as UpsellResponse,
)

__version__: str
__all__ = [
    "AssignResponse",
    "BasketWeight",
    "BundleRecord",
    "Cart",
    "CartLine",
    "CartWeight",
    "CartliftError",
    "Config",
    "CorruptModel",
    "Counts",
    "CrossSellResponse",
    "CurrencyMismatch",
    "DecoyPriceResponse",
    "Device",
    "Engine",
    "EventRecord",
    "ExperimentRecord",
    "Filters",
    "InternalError",
    "InvalidInput",
    "IoError",
    "Measure",
    "Money",
    "OrderLineRecord",
    "OrderRecord",
    "Placement",
    "PriceCartResponse",
    "ProductRecord",
    "ProductUpdate",
    "Reason",
    "Recommendation",
    "Records",
    "ReportResponse",
    "RuleRecord",
    "Source",
    "StrPath",
    "SuggestBundlesResponse",
    "TrainRequest",
    "TrainStats",
    "UnknownExperiment",
    "UnknownProduct",
    "UnsupportedVersion",
    "UpgradePathResponse",
    "UpsellResponse",
    "__version__",
]

@final
class Engine:
    """A trained, immutable engine; share it between threads, pickle it for processes."""

    @classmethod
    def train(
        cls,
        products: Source,
        orders: Optional[Source] = None,
        *,
        events: Optional[Source] = None,
        rules: Optional[Source] = None,
        bundles: Optional[Source] = None,
        config: Optional[Config] = None,
        skip_invalid: bool = False,
        experiments: Optional[Records] = None,
    ) -> "Engine": ...
    @classmethod
    def from_counts(
        cls,
        counts: "Counts",
        products: Source,
        *,
        rules: Optional[Source] = None,
        bundles: Optional[Source] = None,
        config: Optional[Config] = None,
        experiments: Optional[Records] = None,
        events: Optional[Source] = None,
        tuning: Optional[Mapping[str, Any]] = None,
        skip_invalid: bool = False,
    ) -> "Engine": ...
    @classmethod
    def load(cls, path: StrPath) -> "Engine": ...
    @classmethod
    def open(cls, path: StrPath) -> "Engine": ...
    def save(self, path: StrPath) -> None: ...
    def to_bytes(self) -> bytes: ...
    @classmethod
    def from_bytes(cls, data: bytes) -> "Engine": ...
    def __reduce__(self) -> tuple[Any, tuple[bytes]]: ...
    def cross_sell(
        self,
        cart: Cart,
        *,
        placement: Placement = "cart",
        customer_id: Optional[Union[str, int]] = None,
        visitor_id: Optional[Union[str, int]] = None,
        customer_history: Optional[Iterable[Union[str, int]]] = None,
        viewed: Optional[Iterable[Union[str, int]]] = None,
        declined: Optional[Iterable[Union[str, int]]] = None,
        device: Optional[Device] = None,
        limit: Optional[int] = None,
        offset: int = 0,
        filters: Optional[Filters] = None,
        personalize: Optional[bool] = None,
        now: Optional[str] = None,
        **fields: Any,
    ) -> CrossSellResponse: ...
    def upsell(self, product_id: str, **fields: Any) -> UpsellResponse: ...
    def upgrade_path(self, product_id: str, **fields: Any) -> UpgradePathResponse: ...
    def suggest_decoy_price(self, **fields: Any) -> DecoyPriceResponse: ...
    def price_cart(self, cart: Cart, **fields: Any) -> PriceCartResponse: ...
    def suggest_bundles(self, **fields: Any) -> SuggestBundlesResponse: ...
    def assign(
        self,
        experiment: Union[str, int],
        visitor_id: Union[str, int],
        *,
        experiments: Optional[Records] = None,
        **fields: Any,
    ) -> AssignResponse: ...
    def report(self, *, experiments: Records, events: Records, **fields: Any) -> ReportResponse: ...
    def update_products(self, updates: Iterable[ProductUpdate]) -> Engine: ...
    def stats(self) -> TrainStats: ...

@final
class Counts:
    """Exact co-purchase counts of a shard of orders (split by customer); merge, then `Engine.from_counts`."""

    @classmethod
    def from_orders(
        cls,
        products: Source,
        orders: Source,
        *,
        config: Optional[Config] = None,
        skip_invalid: bool = False,
        customer_pairs: bool = False,
        newest: Optional[str] = None,
    ) -> "Counts": ...
    @staticmethod
    def newest_order_at(
        products: Source,
        orders: Source,
        *,
        config: Optional[Config] = None,
        skip_invalid: bool = False,
    ) -> Optional[str]: ...
    @staticmethod
    def tune(
        products: Source,
        orders: Source,
        *,
        config: Optional[Config] = None,
        skip_invalid: bool = False,
    ) -> dict[str, Any]: ...
    @staticmethod
    def order_lines(data: bytes, *, file: str = "orders", skip_invalid: bool = False) -> list[str]: ...
    def merge(self, other: "Counts") -> "Counts": ...
    @staticmethod
    def merge_bytes(a: bytes, b: bytes) -> bytes: ...
    def to_bytes(self) -> bytes: ...
    @classmethod
    def from_bytes(cls, data: bytes) -> "Counts": ...
    @property
    def orders(self) -> int: ...
    @property
    def pairs(self) -> int: ...
    @property
    def reference(self) -> str: ...
    @property
    def newest(self) -> Optional[str]: ...
    @property
    def seasons_exact(self) -> bool: ...
    def __reduce__(self) -> tuple[Any, tuple[bytes]]: ...

class CartliftError(Exception):
    """Base class of every error cartlift raises."""

    code: str
    field: Optional[str]
    line: Optional[int]
    file: Optional[str]

class InvalidInput(CartliftError): ...
class UnknownProduct(CartliftError): ...
class CurrencyMismatch(CartliftError): ...
class CorruptModel(CartliftError): ...
class UnsupportedVersion(CartliftError): ...
class IoError(CartliftError): ...
class UnknownExperiment(CartliftError): ...
class InternalError(CartliftError): ...
