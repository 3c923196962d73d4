#!/usr/bin/env bash
# C ABI and PHP tests: header drift, C tests (strict C99, ASan+UBSan, valgrind, pthreads, static link), the
# header as C++, then the PHP binding (vectors, errors, the PHP-FPM preload set-up). Works from a clean clone;
# as root it installs what is missing with apt. Exits non-zero on any failure.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
start=$SECONDS
step() { printf '\n== %s (%ss)\n' "$*" $((SECONDS - start)); }

# --- Tools -------------------------------------------------------------------------------------------------
step "tools"
need=()
command -v php >/dev/null || need+=(php-cli)
command -v php-cgi >/dev/null || need+=(php-cgi) # a non-CLI SAPI: FFI restricted to preloaded code, as in FPM
[[ -f /usr/include/cjson/cJSON.h ]] || need+=(libcjson-dev)
command -v pkg-config >/dev/null || need+=(pkg-config)
command -v valgrind >/dev/null || need+=(valgrind)
command -v cc >/dev/null || need+=(gcc)
command -v g++ >/dev/null || need+=(g++)
if ((${#need[@]})); then
    if [[ $(id -u) -eq 0 ]]; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
    else
        echo "missing: ${need[*]} (run as root to install them with apt)" >&2
        exit 1
    fi
fi
php -r 'exit(extension_loaded("ffi") ? 0 : 1);' || { echo "PHP has no FFI extension" >&2; exit 1; }

# --- Build and Rust tests --------------------------------------------------------------------------------
# The build of scripts/test.sh's `cargo test` (the workspace's default members: core, CLI, this crate), which
# holds libcartlift.so and libcartlift.a: `cargo build -p cartlift-c` unifies the shared dependencies' features
# without the dev-dependencies and compiled cartlift-core and most of its dependencies a second time. After
# scripts/test.sh this builds nothing. The dev profile: deps are optimized anyway (profile.dev.package."*"), the
# C tests get debug info for ASan and valgrind.
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
step "cargo test --no-run (the build of scripts/test.sh)"
cargo test --locked -j2 --no-run --lib --test headers --message-format=json-render-diagnostics >"$tmp/cargo.json"
# This crate's lines of the build's JSON messages: its test executables and its libraries.
grep -F "\"manifest_path\":\"$root/bindings-c/Cargo.toml\"" "$tmp/cargo.json" >"$tmp/cartlift-c.json" || true
mapfile -t rust_tests < <(sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' "$tmp/cartlift-c.json")
so="$(grep -o '"[^"]*/libcartlift\.so"' "$tmp/cartlift-c.json" | tr -d '"' | head -1)"
[[ ${#rust_tests[@]} -eq 2 && -f "$so" ]] || { echo "cartlift-c: test executables or libcartlift.so not found" >&2; exit 1; }
libdir="$(dirname "$so")"
ls "$libdir/libcartlift.so" "$libdir/libcartlift.a" >/dev/null

step "Rust tests of cartlift-c: panic boundary, status mapping, header drift (tests/headers.rs)"
# Run as `cargo test` would (from the crate's directory), without another selection of packages.
for t in "${rust_tests[@]}"; do (cd bindings-c && "$t" --quiet); done
# The PHP header must stay in the subset PHP's FFI parses: no preprocessor lines, no extern "C".
if grep -nE '^[[:space:]]*#|extern "C"' include/cartlift_php.h; then
    echo "cartlift_php.h holds preprocessor lines or extern \"C\"" >&2
    exit 1
fi

step "pkg-config: the cartlift.pc the build wrote beside the library (bindings-c/build.rs)"
version="$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)"
# `cargo build` puts the library beside cartlift.pc (target/<profile>/); a test build leaves it in deps/ below:
# link it up as `cargo build` would, so the tests link through the .pc file exactly as a user does.
if [[ $libdir == */deps ]]; then
    ln -f "$libdir/libcartlift.so" "$libdir/libcartlift.a" "${libdir%/deps}/"
    libdir="${libdir%/deps}"
fi
export PKG_CONFIG_PATH="$libdir${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
[[ "$(pkg-config --modversion cartlift)" == "$version" ]]
[[ "$(pkg-config --variable=libdir cartlift)" == "$libdir" ]] || { echo "cartlift.pc names another libdir" >&2; exit 1; }
[[ -f "$(pkg-config --variable=includedir cartlift)/cartlift.h" ]]
pkg-config --cflags --libs cartlift

step "headers compile as C99, C++ and (PHP header) C"
strict=(-Wall -Wextra -Werror -pedantic)
cc -std=c99 "${strict[@]}" -fsyntax-only -x c include/cartlift.h
g++ -std=c++11 "${strict[@]}" -fsyntax-only -x c++ include/cartlift.h
printf '#include "cartlift.h"\nint main() { cartlift_engine *e = nullptr; cartlift_error *err = nullptr;\n  cartlift_status s = cartlift_engine_train("{}", &e, &err); cartlift_error_free(err); cartlift_engine_free(e);\n  return s == CARTLIFT_OK ? 0 : 1; }\n' >"$tmp/cxx.cpp"
g++ -std=c++11 "${strict[@]}" $(pkg-config --cflags cartlift) -fsyntax-only "$tmp/cxx.cpp"
cc -std=c99 "${strict[@]}" -fsyntax-only -include stddef.h -include stdint.h -x c include/cartlift_php.h

# --- C tests -----------------------------------------------------------------------------------------------
vectors="$root/tests/vectors"
[[ -d "$vectors" ]] || { echo "tests/vectors is missing: the conformance vectors are required" >&2; exit 1; }
out="$root/build/c"
mkdir -p "$out"
cflags=(-std=c99 "${strict[@]}" -g -Itests/c)
cjson=($(pkg-config --cflags --libs libcjson))
export LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

step "C tests: build (pkg-config), plain and -fsanitize=address,undefined"
for t in errors conformance threads; do
    extra=()
    [[ $t == conformance ]] && extra=("${cjson[@]}")
    [[ $t == threads ]] && extra=(-pthread)
    cc "${cflags[@]}" "tests/c/$t.c" -o "$out/$t" $(pkg-config --cflags --libs cartlift) "${extra[@]}"
    cc "${cflags[@]}" -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all \
        "tests/c/$t.c" -o "$out/$t-asan" $(pkg-config --cflags --libs cartlift) "${extra[@]}"
done
# The static library links on its own, with the system libraries pkg-config lists as private.
cc "${cflags[@]}" tests/c/threads.c -o "$out/threads-static" $(pkg-config --cflags cartlift) "$libdir/libcartlift.a" \
    $(pkg-config --libs-only-l --static cartlift | sed 's/-lcartlift//') -pthread
if ldd "$out/threads-static" | grep libcartlift >/dev/null; then echo "threads-static links libcartlift.so" >&2; exit 1; fi

# The example of the README's layout table, built as a user would (bindings-c/README.md) and run on real data.
step "examples/c: build and run"
cc "${cflags[@]}" examples/c/recommend.c -o "$out/recommend" $(pkg-config --cflags --libs cartlift)
sample="$root/tests/data/completejourney-3000"
"$out/recommend" "$sample/products.jsonl" "$sample/orders.jsonl" 1082185 >"$tmp/recommend.out"
grep -q '^cross_sell: {.*"recommendations":\[{' "$tmp/recommend.out"
grep -q '^price_cart: {.*"total"' "$tmp/recommend.out"
if "$out/recommend" "$sample/products.jsonl" "$tmp/missing.jsonl" 1082185 2>"$tmp/recommend.err"; then
    echo "examples/c/recommend succeeded on a missing file" >&2
    exit 1
fi
grep -q 'train failed: io' "$tmp/recommend.err"

scratch="$tmp/scratch"
mkdir -p "$scratch"
step "C tests under ASan+UBSan"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
"$out/errors-asan" "$scratch"
"$out/conformance-asan" "$vectors" "$scratch"
"$out/threads-asan"
unset ASAN_OPTIONS UBSAN_OPTIONS

step "C tests under valgrind"
vg=(valgrind -q --leak-check=full --show-leak-kinds=definite,possible --errors-for-leak-kinds=definite,possible
    --error-exitcode=1 --suppressions=tests/c/valgrind.supp)
"${vg[@]}" "$out/errors" "$scratch"
"${vg[@]}" "$out/conformance" "$vectors" "$scratch"
"${vg[@]}" "$out/threads"
"$out/threads-static"

# --- PHP ---------------------------------------------------------------------------------------------------
step "PHP tests ($(php -r 'echo PHP_VERSION;'))"
export CARTLIFT_LIB="$libdir/libcartlift.so"
php -d ffi.enable=1 tests/php/run.php "$vectors"

step "PHP-FPM set-up: ffi.preload + opcache.preload (bindings-php/README.md), under php-cgi and the CLI"
mkdir -p build/php
php -d ffi.enable=1 bindings-php/ffi-header.php "$CARTLIFT_LIB" build/php/cartlift_ffi.h
preload=(-d ffi.enable=preload -d ffi.preload="$root/build/php/cartlift_ffi.h" -d opcache.enable=1
         -d opcache.enable_cli=1 -d opcache.preload="$root/bindings-php/preload.php" -d opcache.preload_user="$(id -un)")
php-cgi -q "${preload[@]}" -f tests/php/preload_check.php
php "${preload[@]}" tests/php/preload_check.php
# Without opcache.preload a non-CLI SAPI must refuse FFI: proves the check above tests the restriction.
if php-cgi -q -d ffi.enable=preload -d ffi.preload="$root/build/php/cartlift_ffi.h" -f tests/php/preload_check.php \
        >"$tmp/cgi.out" 2>&1; then
    echo "php-cgi allowed FFI without preloading: the preload check proves nothing" >&2
    exit 1
fi
grep 'restricted by "ffi.enable"' "$tmp/cgi.out" >/dev/null

step "all C and PHP tests passed"
