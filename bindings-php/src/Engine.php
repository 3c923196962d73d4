<?php

declare(strict_types=1);

namespace Cartlift;

/**
 * A trained cartlift engine over PHP's FFI and libcartlift. Immutable: update_products() returns a new
 * engine. Requests and answers are PHP arrays in the shared schema (snake_case keys, money as decimal
 * strings such as "19.99"; a PHP float as money is rejected, since a float is never exact money).
 * Write an empty JSON object nested in a request as `new \stdClass()`; a top-level `[]` is sent as `{}`.
 */
final class Engine
{
    /** The FFI scope name that preload.php registers for PHP-FPM (`opcache.preload`). */
    public const SCOPE = 'cartlift';

    private static ?\FFI $ffi = null;
    private static bool $fromScope = false;
    private static ?string $libPath = null;
    private static ?string $headerPath = null;

    private \FFI\CData $handle;

    private function __construct(\FFI\CData $handle)
    {
        $this->handle = $handle;
    }

    public function __destruct()
    {
        if (isset($this->handle)) {
            self::ffi()->cartlift_engine_free($this->handle);
        }
    }

    /** Copies would share one native handle (and free it twice); serialize() or to_bytes() instead. */
    private function __clone()
    {
    }

    /** Use this library and header instead of `CARTLIFT_LIB`/`CARTLIFT_HEADER` or the defaults. */
    public static function configure(?string $libPath = null, ?string $headerPath = null): void
    {
        self::$libPath = $libPath;
        self::$headerPath = $headerPath;
        self::$ffi = null;
    }

    /**
     * The header for `ffi.preload` (PHP-FPM): the FFI declarations plus the FFI_SCOPE and FFI_LIB lines that
     * register libcartlift as the scope `cartlift`. Write it once at deploy time (bindings-php/ffi-header.php).
     */
    public static function preloadHeader(?string $libPath = null, ?string $headerPath = null): string
    {
        self::configure($libPath, $headerPath);
        $lib = self::libPath();
        if (str_contains($lib, '"') || str_contains($lib, "\n")) {
            throw new \InvalidArgumentException('library path must not contain a double quote or a newline');
        }
        return sprintf("#define FFI_SCOPE \"%s\"\n#define FFI_LIB \"%s\"\n", self::SCOPE, $lib) . self::headerText();
    }

    /**
     * Register the scope from an `opcache.preload` script with FFI::load (when the FPM master does not run as
     * root; with `opcache.preload_user` PHP refuses FFI::load, so use `ffi.preload` with preloadHeader()).
     */
    public static function preload(?string $libPath = null, ?string $headerPath = null): void
    {
        $header = self::preloadHeader($libPath, $headerPath);
        $tmp = tempnam(sys_get_temp_dir(), 'cartlift-ffi-');
        if ($tmp === false || file_put_contents($tmp, $header) === false) {
            throw new \RuntimeException('cannot write the FFI header to ' . sys_get_temp_dir());
        }
        try {
            \FFI::load($tmp);
        } finally {
            @unlink($tmp);
        }
        self::$ffi = null; // requests use FFI::scope()
    }

    /** The FFI instance: the preloaded scope when there is one, else FFI::cdef() of the header and library. */
    public static function ffi(): \FFI
    {
        if (self::$ffi !== null) {
            return self::$ffi;
        }
        try {
            self::$ffi = \FFI::scope(self::SCOPE);
            self::$fromScope = true;
            return self::$ffi;
        } catch (\FFI\Exception) {
            // not preloaded: load it here (allowed in the CLI, or anywhere with ffi.enable=1)
        }
        self::$fromScope = false;
        try {
            return self::$ffi = \FFI::cdef(self::headerText(), self::libPath());
        } catch (\FFI\Exception $e) {
            throw new \RuntimeException('cartlift: cannot load ' . self::libPath() . ': ' . $e->getMessage()
                . ' (under PHP-FPM with ffi.enable=preload, preload it: see bindings-php/README.md)', 0, $e);
        }
    }

    /** Whether calls go through the preloaded FFI scope (PHP-FPM set-up) rather than FFI::cdef(). */
    public static function usesPreloadedScope(): bool
    {
        self::ffi();
        return self::$fromScope;
    }

    private static function libPath(): string
    {
        return self::$libPath ?? (getenv('CARTLIFT_LIB') ?: 'libcartlift.so');
    }

    private static function headerText(): string
    {
        $path = self::$headerPath ?? (getenv('CARTLIFT_HEADER')
            ?: dirname(__DIR__, 2) . '/include/cartlift_php.h');
        $text = @file_get_contents($path);
        if ($text === false) {
            throw new \RuntimeException("cartlift FFI header not found at $path (set CARTLIFT_HEADER)");
        }
        return $text;
    }

    /** The libcartlift version. */
    public static function version(): string
    {
        return self::text(self::ffi()->cartlift_version()) ?? '';
    }

    /** Train from a request: `['products' => PATH or [..], 'orders' => PATH or [..], 'config' => [..], ...]`. */
    public static function train(array $request): self
    {
        $ffi = self::ffi();
        $out = $ffi->new('cartlift_engine*');
        $err = $ffi->new('cartlift_error*');
        $status = $ffi->cartlift_engine_train(self::encode($request), \FFI::addr($out), \FFI::addr($err));
        self::check($ffi, $status, $err);
        return new self($out);
    }

    /** Load a model file written by save(). */
    public static function load(string $path): self
    {
        $ffi = self::ffi();
        $out = $ffi->new('cartlift_engine*');
        $err = $ffi->new('cartlift_error*');
        $status = $ffi->cartlift_engine_load(self::path($path), \FFI::addr($out), \FFI::addr($err));
        self::check($ffi, $status, $err);
        return new self($out);
    }

    /**
     * Map a model file written by save() read-only and answer from the map: fast, and PHP-FPM workers that open
     * one file share its memory. Replace the file by rename (as save() does), never in place: an open engine
     * keeps answering from the old file until open() is called again.
     */
    public static function open(string $path): self
    {
        $ffi = self::ffi();
        $out = $ffi->new('cartlift_engine*');
        $err = $ffi->new('cartlift_error*');
        $status = $ffi->cartlift_engine_open(self::path($path), \FFI::addr($out), \FFI::addr($err));
        self::check($ffi, $status, $err);
        return new self($out);
    }

    /** Load a model from bytes written by to_bytes() (e.g. from APCu or a shared cache). */
    public static function from_bytes(string $bytes): self
    {
        $ffi = self::ffi();
        $n = strlen($bytes);
        $buf = $ffi->new('uint8_t[' . max(1, $n) . ']');
        \FFI::memcpy($buf, $bytes, $n);
        $out = $ffi->new('cartlift_engine*');
        $err = $ffi->new('cartlift_error*');
        $status = $ffi->cartlift_engine_load_bytes($buf, $n, \FFI::addr($out), \FFI::addr($err));
        self::check($ffi, $status, $err);
        return new self($out);
    }

    /** Save the model to a file, atomically. */
    public function save(string $path): void
    {
        $ffi = self::ffi();
        $err = $ffi->new('cartlift_error*');
        self::check($ffi, $ffi->cartlift_engine_save($this->handle, self::path($path), \FFI::addr($err)), $err);
    }

    /** The model as bytes. */
    public function to_bytes(): string
    {
        $ffi = self::ffi();
        $data = $ffi->new('uint8_t*');
        $len = $ffi->new('size_t');
        $err = $ffi->new('cartlift_error*');
        $status = $ffi->cartlift_engine_to_bytes($this->handle, \FFI::addr($data), \FFI::addr($len), \FFI::addr($err));
        self::check($ffi, $status, $err);
        try {
            return \FFI::string($data, $len->cdata);
        } finally {
            $ffi->cartlift_bytes_free($data, $len->cdata);
        }
    }

    public function cross_sell(array $request): array
    {
        return $this->query('cartlift_cross_sell', $request);
    }

    public function upsell(array $request): array
    {
        return $this->query('cartlift_upsell', $request);
    }

    public function upgrade_path(array $request): array
    {
        return $this->query('cartlift_upgrade_path', $request);
    }

    public function suggest_decoy_price(array $request): array
    {
        return $this->query('cartlift_suggest_decoy_price', $request);
    }

    public function price_cart(array $request): array
    {
        return $this->query('cartlift_price_cart', $request);
    }

    public function suggest_bundles(array $request): array
    {
        return $this->query('cartlift_suggest_bundles', $request);
    }

    /**
     * The variant a visitor gets: `['experiments' => [...], 'experiment' => 'e1', 'visitor_id' => 'V1']` answers
     * `['experiment' => 'e1', 'variant' => '...']`. Deterministic and stateless (docs/measurement.md).
     */
    public function assign(array $request): array
    {
        return $this->query('cartlift_assign', $request);
    }

    /** The experiment report from `['experiments' => [...], 'events' => [...]]` (lists of arrays, not paths). */
    public function report(array $request): array
    {
        return $this->query('cartlift_report', $request);
    }

    /**
     * Apply price/availability/inventory changes (`[['id' => 'sku-1', 'price' => '9.99']]`) without retraining.
     * Returns a NEW engine; this one is unchanged. All updates apply or none.
     */
    public function update_products(array $updates): self
    {
        $ffi = self::ffi();
        $out = $ffi->new('cartlift_engine*');
        $err = $ffi->new('cartlift_error*');
        $json = self::encode($updates, array_is_list($updates) ? '[]' : '{}');
        $status = $ffi->cartlift_update_products($this->handle, $json, \FFI::addr($out), \FFI::addr($err));
        self::check($ffi, $status, $err);
        return new self($out);
    }

    /** serialize() stores the model bytes, so an engine can go into APCu or a cache. */
    public function __serialize(): array
    {
        return ['model' => $this->to_bytes()];
    }

    public function __unserialize(array $data): void
    {
        if (!is_string($data['model'] ?? null)) {
            throw new InvalidInputException('serialized engine has no model bytes', 1, 'invalid_input', 'model');
        }
        $engine = self::from_bytes($data['model']);
        $this->handle = $engine->handle;
        unset($engine->handle); // ownership moved here
    }

    private function query(string $fn, array $request): array
    {
        $ffi = self::ffi();
        $response = $ffi->new('char*');
        $err = $ffi->new('cartlift_error*');
        $status = $ffi->$fn($this->handle, self::encode($request), \FFI::addr($response), \FFI::addr($err));
        self::check($ffi, $status, $err);
        try {
            $json = \FFI::string($response);
        } finally {
            $ffi->cartlift_string_free($response);
        }
        return json_decode($json, true, 512, JSON_THROW_ON_ERROR | JSON_BIGINT_AS_STRING);
    }

    /** JSON for the library; floats keep their fraction so money given as a float is rejected, not rounded. */
    private static function encode(array $value, string $empty = '{}'): string
    {
        if ($value === []) {
            return $empty;
        }
        try {
            return json_encode(
                $value,
                JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_PRESERVE_ZERO_FRACTION,
            );
        } catch (\JsonException $e) {
            throw new InvalidInputException('request cannot be sent as JSON: ' . $e->getMessage(), 1, 'invalid_input');
        }
    }

    private static function path(string $path): string
    {
        if (str_contains($path, "\0")) {
            throw new InvalidInputException('path: contains a NUL byte', 1, 'invalid_input', 'path');
        }
        return $path;
    }

    /** A `const char *` result: PHP's FFI hands these back as strings already (NULL as null). */
    private static function text(mixed $p): ?string
    {
        return $p === null || is_string($p) ? $p : \FFI::string($p);
    }

    /** Turn a failed status into an exception (and free the native error). */
    private static function check(\FFI $ffi, int $status, \FFI\CData $err): void
    {
        if ($status === 0) {
            return;
        }
        if (\FFI::isNull($err)) {
            throw CartliftException::fromStatus($status, "cartlift call failed with status $status", 'internal');
        }
        try {
            $str = self::text(...);
            $line = $ffi->cartlift_error_line($err);
            $e = CartliftException::fromStatus(
                $status,
                $str($ffi->cartlift_error_message($err)) ?? '',
                $str($ffi->cartlift_error_code_name($err)) ?? 'internal',
                $str($ffi->cartlift_error_field($err)),
                $line === 0 ? null : $line,
                $str($ffi->cartlift_error_file($err)),
            );
        } finally {
            $ffi->cartlift_error_free($err);
        }
        throw $e;
    }
}
