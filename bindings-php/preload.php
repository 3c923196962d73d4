<?php

// opcache.preload script for PHP-FPM, where ffi.enable=preload (the default) allows FFI only in preloaded code.
// It compiles the Cartlift classes into the preload set (so their FFI calls are allowed in every worker) and,
// when `ffi.preload` has not already registered the "cartlift" scope, registers it with FFI::load (possible only
// without opcache.preload_user). See bindings-php/README.md for both set-ups.

require_once __DIR__ . '/autoload.php';

try {
    FFI::scope(Cartlift\Engine::SCOPE);
} catch (FFI\Exception) {
    Cartlift\Engine::preload(
        getenv('CARTLIFT_LIB') ?: null,       // e.g. '/usr/local/lib/libcartlift.so'
        getenv('CARTLIFT_HEADER') ?: null,    // e.g. '/usr/local/include/cartlift_php.h'
    );
}
