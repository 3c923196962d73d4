<?php

// Write the header for `ffi.preload`: php bindings-php/ffi-header.php /usr/local/lib/libcartlift.so [OUT.h]
// (the declarations of include/cartlift_php.h plus FFI_SCOPE "cartlift" and FFI_LIB).

require_once __DIR__ . '/autoload.php';

if ($argc < 2) {
    fwrite(STDERR, "usage: php ffi-header.php LIBCARTLIFT_SO [OUT.h]\n");
    exit(2);
}
$header = Cartlift\Engine::preloadHeader($argv[1], getenv('CARTLIFT_HEADER') ?: null);
if (isset($argv[2])) {
    file_put_contents($argv[2], $header) !== false || exit(1);
} else {
    echo $header;
}
