<?php
// PHP conformance and error tests for Cartlift\Engine (plain PHP, no composer).
// Usage: php -d ffi.enable=1 tests/php/run.php [VECTORS_DIR]   (CARTLIFT_LIB names libcartlift.so)
// Exits non-zero on any failure.

declare(strict_types=1);

require_once __DIR__ . '/../../bindings-php/autoload.php';

use Cartlift\CartliftException;
use Cartlift\Engine;

$failures = 0;
$checks = 0;

function fail(string $what): void
{
    global $failures;
    $failures++;
    fwrite(STDERR, "FAIL: $what\n");
}

function check(bool $ok, string $what): void
{
    global $checks;
    $checks++;
    if (!$ok) {
        fail($what);
    }
}

/** Numbers agree when they differ by at most this (tests/vectors/README.md: scores to 6 decimal places). */
const NUMBER_TOLERANCE = 1e-6;

/** Parsed-JSON equality (tests/vectors/README.md): objects by key set, lists in order, numbers within
 *  NUMBER_TOLERANCE, everything else strictly. */
function same(mixed $a, mixed $b): bool
{
    if ((is_int($a) || is_float($a)) && (is_int($b) || is_float($b))) {
        return abs($a - $b) <= NUMBER_TOLERANCE;
    }
    if (is_array($a) && is_array($b)) {
        if (count($a) !== count($b) || array_is_list($a) !== array_is_list($b)) {
            return false;
        }
        foreach ($a as $k => $v) {
            if (!array_key_exists($k, $b) || !same($v, $b[$k])) {
                return false;
            }
        }
        return true;
    }
    return $a === $b;
}

/** JSON objects as PHP arrays, the way a PHP caller writes them; an empty object stays `new stdClass()`. */
function native(mixed $v): mixed
{
    if ($v instanceof stdClass) {
        $arr = get_object_vars($v);
        return $arr === [] ? $v : array_map('native', $arr);
    }
    return is_array($v) ? array_map('native', $v) : $v;
}

function request_of(stdClass $case): array
{
    $r = native($case->request);
    return $r instanceof stdClass ? [] : $r;
}

const CLASSES = [
    'invalid_input' => Cartlift\InvalidInputException::class,
    'unknown_product' => Cartlift\UnknownProductException::class,
    'currency_mismatch' => Cartlift\CurrencyMismatchException::class,
    'corrupt_model' => Cartlift\CorruptModelException::class,
    'unsupported_version' => Cartlift\UnsupportedVersionException::class,
    'io' => Cartlift\IoException::class,
    'unknown_experiment' => Cartlift\UnknownExperimentException::class,
    'internal' => Cartlift\InternalException::class,
];
const OPS = ['cross_sell', 'upsell', 'upgrade_path', 'suggest_decoy_price', 'price_cart', 'suggest_bundles', 'assign', 'report'];

/** Run $fn, which must throw a CartliftException of $code (and $field when not null). */
function expect_error(string $where, string $code, ?string $field, callable $fn): void
{
    global $checks;
    $checks++;
    try {
        $fn();
        fail("$where: succeeded, expected $code");
    } catch (CartliftException $e) {
        $class = CLASSES[$e->getErrorCode()] ?? null;
        if ($e->getErrorCode() !== $code || ($field !== null && $e->getField() !== $field)) {
            fail("$where: got {$e->getErrorCode()} field " . var_export($e->getField(), true)
                . ", expected $code field " . var_export($field, true) . ': ' . $e->getMessage());
        } elseif ($class === null || !($e instanceof $class) || $e->getMessage() === '') {
            fail("$where: " . get_class($e) . " for $code, or an empty message");
        }
    } catch (Throwable $e) {
        fail("$where: " . get_class($e) . ': ' . $e->getMessage());
    }
}

/** A vector's error (tests/vectors/README.md): the code, and the field and line exactly (absent: the error
 *  names none). */
function expect_vector_error(string $where, object $want, callable $fn): void
{
    global $checks;
    $checks++;
    try {
        $fn();
        fail("$where: succeeded, expected {$want->code}");
    } catch (CartliftException $e) {
        $got = ['code' => $e->getErrorCode(), 'field' => $e->getField(), 'line' => $e->getInputLine()];
        $expected = ['code' => $want->code, 'field' => $want->field ?? null, 'line' => $want->line ?? null];
        check($got === $expected, "$where: error " . json_encode($got) . ', expected ' . json_encode($expected)
            . ': ' . $e->getMessage());
    } catch (Throwable $e) {
        fail("$where: " . get_class($e) . ': ' . $e->getMessage());
    }
}

function run_vectors(string $dir, string $scratch): array
{
    $stores = array_values(array_filter(scandir($dir), fn ($s) => $s[0] !== '.' && is_dir("$dir/$s")));
    if ($stores === []) {
        fail("no stores in $dir (the vectors are missing)");
        return [0, 0];
    }
    $ncases = 0;
    foreach ($stores as $store) {
        $train = native(json_decode(file_get_contents("$dir/$store/train.json"), false, 512, JSON_THROW_ON_ERROR | JSON_BIGINT_AS_STRING));
        try {
            $trained = Engine::train($train);
        } catch (Throwable $e) {
            fail("$store: training failed: " . $e->getMessage());
            continue;
        }
        $trained->save("$scratch/$store.cartlift");
        $engines = [
            'trained' => $trained,
            'from bytes' => Engine::from_bytes($trained->to_bytes()),
            'from file' => Engine::load("$scratch/$store.cartlift"),
            'mapped file' => Engine::open("$scratch/$store.cartlift"),
            'unserialized' => unserialize(serialize($trained)),
        ];
        $cases = glob("$dir/$store/cases/*.json");
        sort($cases);
        if ($cases === []) {
            fail("$store: no cases");
        }
        foreach ($cases as $file) {
            $ncases++;
            $name = "$store/" . basename($file);
            $case = json_decode(file_get_contents($file), false, 512, JSON_THROW_ON_ERROR | JSON_BIGINT_AS_STRING);
            $request = request_of($case);
            $error = $case->error ?? null;
            if ($case->op === 'train') {
                if ($error !== null) {
                    expect_vector_error($name, $error, fn () => Engine::train($request));
                } else {
                    try {
                        Engine::train($request);
                    } catch (Throwable $e) {
                        fail("$name: training failed: " . $e->getMessage());
                    }
                }
                continue;
            }
            if (!in_array($case->op, OPS, true)) {
                fail("$name: unknown op {$case->op}");
                continue;
            }
            $op = $case->op;
            foreach ($engines as $how => $engine) {
                $where = "$name [$how]";
                if ($error !== null) {
                    expect_vector_error($where, $error, fn () => $engine->$op($request));
                    continue;
                }
                $want = json_decode(json_encode($case->response), true, 512, JSON_BIGINT_AS_STRING);
                try {
                    $got = $engine->$op($request);
                    check(same($want, $got), "$where: answer differs\n  expected: " . json_encode($want)
                        . "\n  got:      " . json_encode($got));
                } catch (Throwable $e) {
                    fail("$where: " . get_class($e) . ': ' . $e->getMessage());
                }
            }
        }
    }
    return [count($stores), $ncases];
}

function run_errors(string $scratch): void
{
    $train = [
        'products' => [
            ['id' => 'cam', 'title' => 'Camera', 'price' => '499.00', 'category' => 'cameras'],
            ['id' => 'lens', 'title' => 'Lens', 'price' => '199.99', 'category' => 'lenses'],
            ['id' => 'card', 'title' => 'SD card', 'price' => 20, 'category' => 'storage'],
        ],
        'orders' => [
            ['id' => 'o1', 'created_at' => '2024-03-01T10:00:00Z', 'lines' => [['product_id' => 'cam'], ['product_id' => 'lens']]],
            ['id' => 'o2', 'created_at' => '2024-03-02T10:00:00Z', 'lines' => [['product_id' => 'cam'], ['product_id' => 'card', 'quantity' => 2]]],
        ],
        'config' => new stdClass(),
    ];
    $engine = Engine::train($train);
    check(preg_match('/^\d+\.\d+\.\d+/', Engine::version()) === 1, 'version');

    $before = $engine->cross_sell(['cart' => ['cam'], 'limit' => 5]);
    check(count($before['recommendations']) > 0, 'cross_sell answers');

    // Bad input through the PHP API.
    expect_error('quantity 0', 'invalid_input', 'cart[0].quantity',
        fn () => $engine->cross_sell(['cart' => [['product_id' => 'cam', 'quantity' => 0]]]));
    expect_error('float money', 'invalid_input', 'cart[0].price',
        fn () => $engine->cross_sell(['cart' => [['product_id' => 'cam', 'price' => 1.5]]]));
    expect_error('whole float money', 'invalid_input', 'cart[0].price',
        fn () => $engine->cross_sell(['cart' => [['product_id' => 'cam', 'price' => 20.0]]]));
    // Absurd requests are errors, and the worker answers the next request (an offset this large once aborted it).
    expect_error('huge offset', 'invalid_input', 'offset',
        fn () => $engine->cross_sell(['cart' => ['cam'], 'offset' => 10000000000000, 'limit' => 5]));
    expect_error('huge quantity', 'invalid_input', 'cart[0].quantity',
        fn () => $engine->price_cart(['cart' => [['product_id' => 'cam', 'quantity' => 1000000]]]));
    expect_error('huge price', 'invalid_input', 'cart[0].price',
        fn () => $engine->price_cart(['cart' => [['product_id' => 'cam', 'price' => '90000000000000.00']]]));
    check($engine->cross_sell(['cart' => ['cam'], 'limit' => 5]) == $before, 'answers after absurd requests');
    expect_error('invalid UTF-8', 'invalid_input', null, fn () => $engine->cross_sell(['cart' => ["\xC3\x28"]]));
    expect_error('unknown key', 'invalid_input', null, fn () => $engine->cross_sell(['cart' => [], 'bogus' => 1]));
    expect_error('train unknown key', 'invalid_input', null, fn () => Engine::train($train + ['bogus' => 1]));
    expect_error('train missing file', 'io', null, fn () => Engine::train(['products' => "$scratch/none.jsonl"]));
    foreach (OPS as $op) {
        expect_error("$op list request", 'invalid_input', null, fn () => $engine->$op([1, 2]));
    }

    // update_products: a new engine, the old one unchanged; all or nothing.
    $updated = $engine->update_products([['id' => 'lens', 'price' => '149.00']]);
    $prices = array_column($updated->cross_sell(['cart' => ['cam'], 'limit' => 5])['recommendations'], 'price', 'product_id');
    check(($prices['lens'] ?? null) === '149.00', 'update_products changes the price');
    check(same($before, $engine->cross_sell(['cart' => ['cam'], 'limit' => 5])), 'the old engine is unchanged');
    expect_error('update unknown product', 'unknown_product', 'updates[0].id',
        fn () => $engine->update_products([['id' => 'nope', 'price' => '1.00']]));
    // One update object (not a list) applies too: the card, suggested with the camera before, is gone after.
    $ids = fn (array $answer) => array_column($answer['recommendations'], 'product_id');
    check(in_array('card', $ids($before), true), 'the card is suggested with the camera');
    $one = $engine->update_products(['id' => 'card', 'available' => false]);
    check(!in_array('card', $ids($one->cross_sell(['cart' => ['cam'], 'limit' => 5])), true), 'one update object');

    // Models: corrupt bytes, truncated and missing files, paths with NUL.
    $bytes = $engine->to_bytes();
    check(same($before, Engine::from_bytes($bytes)->cross_sell(['cart' => ['cam'], 'limit' => 5])), 'bytes round trip');
    expect_error('empty bytes', 'corrupt_model', null, fn () => Engine::from_bytes(''));
    expect_error('garbage bytes', 'corrupt_model', null, fn () => Engine::from_bytes(str_repeat('x', 64)));
    expect_error('truncated bytes', 'corrupt_model', null, fn () => Engine::from_bytes(substr($bytes, 0, -1)));
    $flipped = $bytes;
    $flipped[strlen($flipped) - 1] = chr(ord($flipped[strlen($flipped) - 1]) ^ 0x5a);
    expect_error('flipped byte', 'corrupt_model', null, fn () => Engine::from_bytes($flipped));
    $newer = $bytes;
    $newer[8] = "\xff";
    expect_error('newer format', 'unsupported_version', null, fn () => Engine::from_bytes($newer));

    $path = "$scratch/php-engine.cartlift";
    $engine->save($path);
    check(same($before, Engine::load($path)->cross_sell(['cart' => ['cam'], 'limit' => 5])), 'file round trip');
    file_put_contents("$scratch/php-truncated.cartlift", substr(file_get_contents($path), 0, 30));
    try {
        Engine::load("$scratch/php-truncated.cartlift");
        fail('truncated file loaded');
    } catch (Cartlift\CorruptModelException $e) {
        check($e->getInputFile() === "$scratch/php-truncated.cartlift", 'truncated file names the file');
        check($e->getCode() === 4, 'getCode() is the C status number');
    }
    check(same($before, Engine::open($path)->cross_sell(['cart' => ['cam'], 'limit' => 5])), 'mapped file answers as loaded');
    expect_error('truncated mapped file', 'corrupt_model', null, fn () => Engine::open("$scratch/php-truncated.cartlift"));
    expect_error('missing file', 'io', null, fn () => Engine::load("$scratch/missing/none.cartlift"));
    expect_error('unwritable path', 'io', null, fn () => $engine->save("$scratch/missing/none.cartlift"));
    expect_error('NUL in path', 'invalid_input', 'path', fn () => Engine::load("$path\0.txt"));

    // A syntax error in a rules file names its line.
    file_put_contents("$scratch/rules.jsonl", "\n{\"bad\": \n");
    try {
        Engine::train($train + ['rules' => "$scratch/rules.jsonl"]);
        fail('a broken rules file trained');
    } catch (Cartlift\InvalidInputException $e) {
        check($e->getInputLine() === 2 && $e->getInputFile() === "$scratch/rules.jsonl",
            'rules syntax error names file and line: ' . $e->getMessage());
    }

    // Copies would double-free the native handle, so cloning is refused.
    try {
        $copy = clone $engine;
        fail('clone succeeded');
    } catch (Error) {
        check(true, 'clone refused');
    }
}

/** assign and report; the pinned visitor's variant is the one core/src/measure/experiment.rs and `cartlift assign` give. */
function run_measure(): void
{
    $engine = Engine::train(['products' => [['id' => 'x', 'title' => 'X', 'price' => '1.00']]]);
    $exp = ['id' => 'e', 'variants' => [['id' => 'v0', 'weight' => 50], ['id' => 'v1', 'weight' => 50]]];
    $a = $engine->assign(['experiments' => [$exp], 'experiment' => 'e', 'visitor_id' => 'visitor-42']);
    check(same($a, ['experiment' => 'e', 'variant' => 'v1']), 'assign pinned visitor: ' . json_encode($a));
    expect_error('assign without experiments', 'unknown_experiment', null,
        fn () => $engine->assign(['experiment' => 'e', 'visitor_id' => 'visitor-42']));
    $events = [
        ['type' => 'order', 'at' => '2026-03-01T10:05:00Z', 'visitor_id' => 'visitor-42', 'order_id' => 'o1',
         'total' => '12.50', 'lines' => [['product_id' => 'x', 'quantity' => 1, 'price' => '12.50']]],
    ];
    $r = $engine->report(['experiments' => [$exp], 'events' => $events]);
    $variants = array_column($r['experiments'][0]['variants'] ?? [], null, 'variant');
    check(($variants['v1']['orders'] ?? null) === 1 && ($variants['v1']['aov'] ?? null) === '12.50',
        'report counts the order in v1: ' . json_encode($variants));
    check(($variants['v0']['orders'] ?? null) === 0, 'report: v0 has no orders');
    expect_error('report mde 0', 'invalid_input', 'mde',
        fn () => $engine->report(['experiments' => [$exp], 'events' => [], 'mde' => 0]));
}

$vectors = $argv[1] ?? getenv('CARTLIFT_VECTORS') ?: dirname(__DIR__) . '/vectors';
$scratch = sys_get_temp_dir() . '/cartlift-php-' . getmypid();
@mkdir($scratch, 0700, true);
try {
    run_errors($scratch);
    run_measure();
    if (!is_dir($vectors)) {
        fail("vectors directory $vectors is missing");
        [$stores, $cases] = [0, 0];
    } else {
        [$stores, $cases] = run_vectors($vectors, $scratch);
    }
} finally {
    array_map('unlink', glob("$scratch/*") ?: []);
    @rmdir($scratch);
}
if ($failures > 0) {
    fwrite(STDERR, "php: $failures failure(s) in $checks checks\n");
    exit(1);
}
echo "php: $stores stores, $cases cases, $checks checks passed (cartlift " . Engine::version() . ")\n";
