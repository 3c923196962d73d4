<?php
// Run with ffi.enable=preload, ffi.preload and opcache.preload=bindings-php/preload.php under php-cgi (a non-CLI
// SAPI, where FFI is restricted to preloaded code as under PHP-FPM) and the CLI; tests/c/run.sh does both.
// Proves the documented PHP-FPM set-up registers the FFI scope and that Cartlift\Engine uses it. This script
// itself is not preloaded, so it must not call the FFI API directly.

declare(strict_types=1);

$ok = class_exists(Cartlift\Engine::class, false); // preloaded, not autoloaded
if (!$ok) {
    require_once __DIR__ . '/../../bindings-php/autoload.php'; // so a run without preloading fails on FFI itself
}
$engine = Cartlift\Engine::train([
    'products' => [['id' => 'a', 'title' => 'A', 'price' => '1.00'], ['id' => 'b', 'title' => 'B', 'price' => '2.00']],
    'orders' => [['id' => '1', 'created_at' => '2024-01-01T00:00:00Z', 'lines' => [['product_id' => 'a'], ['product_id' => 'b']]]],
]);
$ok = $ok && Cartlift\Engine::usesPreloadedScope();
$ok = $ok && $engine->cross_sell(['cart' => ['a']])['recommendations'][0]['product_id'] === 'b';
if (!$ok) {
    fwrite(STDERR, "preload: the preloaded FFI scope was not used\n");
    exit(1);
}
echo "preload: FFI scope '" . Cartlift\Engine::SCOPE . "' preloaded and used\n";
