<?php
// Run with opcache.preload=bindings-php/preload.php and ffi.enable=preload (tests/c/run.sh does): proves the
// documented PHP-FPM set-up registers the FFI scope, and that Cartlift\Engine uses it.

declare(strict_types=1);

$ok = class_exists(Cartlift\Engine::class, false); // preloaded, not autoloaded
$scope = FFI::scope(Cartlift\Engine::SCOPE);       // throws when preload did not register it
$ok = $ok && Cartlift\Engine::usesPreloadedScope();
$engine = Cartlift\Engine::train([
    'products' => [['id' => 'a', 'title' => 'A', 'price' => '1.00'], ['id' => 'b', 'title' => 'B', 'price' => '2.00']],
    'orders' => [['id' => '1', 'created_at' => '2024-01-01T00:00:00Z', 'lines' => [['product_id' => 'a'], ['product_id' => 'b']]]],
]);
$ok = $ok && $engine->cross_sell(['cart' => ['a']])['recommendations'][0]['product_id'] === 'b';
if (!$ok) {
    fwrite(STDERR, "preload: the preloaded FFI scope was not used\n");
    exit(1);
}
echo "preload: FFI scope '" . Cartlift\Engine::SCOPE . "' preloaded and used\n";
