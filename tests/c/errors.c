/* Error paths of the C ABI: NULL arguments, bad JSON, invalid UTF-8, corrupt bytes, truncated and missing
 * files, err == NULL, plus save/load/bytes round trips and update_products. Run under ASan and valgrind.
 * Usage: errors SCRATCH_DIR */
#include "cartlift.h"
#include "fixture.h"

/* Check a failed call's status and error object, then free the error. `field` NULL means "any". */
static void expect_fail(int line, cartlift_status got, cartlift_error *err, cartlift_status want, const char *code,
                        const char *field) {
    if (got != want) {
        fprintf(stderr, "line %d: status %d, want %d (%s)\n", line, (int)got, (int)want,
                err ? cartlift_error_message(err) : "no error object");
        failures++;
    }
    if (err == NULL) {
        fprintf(stderr, "line %d: no error object\n", line);
        failures++;
        return;
    }
    if (cartlift_error_code(err) != want || !str_eq(cartlift_error_code_name(err), code)) {
        fprintf(stderr, "line %d: error code %d/%s, want %d/%s\n", line, (int)cartlift_error_code(err),
                cartlift_error_code_name(err), (int)want, code);
        failures++;
    }
    if (field != NULL && !str_eq(cartlift_error_field(err), field)) {
        fprintf(stderr, "line %d: field %s, want %s\n", line, cartlift_error_field(err), field);
        failures++;
    }
    if (cartlift_error_message(err) == NULL || cartlift_error_message(err)[0] == '\0') {
        fprintf(stderr, "line %d: empty message\n", line);
        failures++;
    }
    cartlift_error_free(err);
}
#define EXPECT_FAIL(call, want, code, field)          \
    do {                                              \
        cartlift_error *e_ = NULL;                    \
        cartlift_status s_ = (call);                  \
        expect_fail(__LINE__, s_, e_, want, code, field); \
    } while (0)
/* The `call` text uses `&e_` for its error out-parameter. */

static char *read_all(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;
    if (f == NULL) return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        fclose(f);
        return NULL;
    }
    fclose(f);
    buf[n] = '\0';
    *len = (size_t)n;
    return buf;
}

static int write_all(const char *path, const void *data, size_t len) {
    FILE *f = fopen(path, "wb");
    int ok;
    if (f == NULL) return 0;
    ok = fwrite(data, 1, len, f) == len;
    return fclose(f) == 0 && ok;
}


static const char CROSS_SELL[] = "{\"cart\": [\"cam\"], \"limit\": 3}";

static char *cross_sell(const cartlift_engine *engine, const char *request) {
    char *resp = NULL;
    cartlift_error *err = NULL;
    cartlift_status s = cartlift_cross_sell(engine, request, &resp, &err);
    if (s != CARTLIFT_OK) {
        fprintf(stderr, "cross_sell failed: %s\n", cartlift_error_message(err));
        failures++;
    }
    CHECK(err == NULL);
    cartlift_error_free(err);
    return resp;
}

static void null_arguments(const cartlift_engine *engine) {
    cartlift_engine *out = (cartlift_engine *)&out; /* a stale value the call must overwrite */
    char *resp = NULL;
    uint8_t *data = NULL;
    size_t len = 0, i;
    const uint8_t byte = 0;

    EXPECT_FAIL(cartlift_engine_train(NULL, &out, &e_), CARTLIFT_NULL_ARGUMENT, "null_argument", "request_json");
    CHECK(out == NULL);
    EXPECT_FAIL(cartlift_engine_train(FIXTURE_TRAIN, NULL, &e_), CARTLIFT_NULL_ARGUMENT, "null_argument", "out");
    EXPECT_FAIL(cartlift_engine_load(NULL, &out, &e_), CARTLIFT_NULL_ARGUMENT, "null_argument", "path");
    EXPECT_FAIL(cartlift_engine_load("x.model", NULL, &e_), CARTLIFT_NULL_ARGUMENT, "null_argument", "out");
    EXPECT_FAIL(cartlift_engine_load_bytes(NULL, 10, &out, &e_), CARTLIFT_NULL_ARGUMENT, "null_argument", "data");
    EXPECT_FAIL(cartlift_engine_load_bytes(&byte, 1, NULL, &e_), CARTLIFT_NULL_ARGUMENT, "null_argument", "out");
    EXPECT_FAIL(cartlift_engine_save(NULL, "x.model", &e_), CARTLIFT_NULL_ARGUMENT, "null_argument", "engine");
    EXPECT_FAIL(cartlift_engine_save(engine, NULL, &e_), CARTLIFT_NULL_ARGUMENT, "null_argument", "path");
    EXPECT_FAIL(cartlift_engine_to_bytes(NULL, &data, &len, &e_), CARTLIFT_NULL_ARGUMENT, "null_argument", "engine");
    CHECK(data == NULL && len == 0);
    EXPECT_FAIL(cartlift_engine_to_bytes(engine, NULL, &len, &e_), CARTLIFT_NULL_ARGUMENT, "null_argument", "data");
    EXPECT_FAIL(cartlift_engine_to_bytes(engine, &data, NULL, &e_), CARTLIFT_NULL_ARGUMENT, "null_argument", "len");
    EXPECT_FAIL(cartlift_update_products(NULL, "[]", &out, &e_), CARTLIFT_NULL_ARGUMENT, "null_argument", "engine");
    EXPECT_FAIL(cartlift_update_products(engine, NULL, &out, &e_), CARTLIFT_NULL_ARGUMENT, "null_argument",
                "updates_json");
    EXPECT_FAIL(cartlift_update_products(engine, "[]", NULL, &e_), CARTLIFT_NULL_ARGUMENT, "null_argument", "out");
    for (i = 0; i < QUERY_OPS_LEN; i++) {
        resp = (char *)&resp;
        EXPECT_FAIL(QUERY_OPS[i].fn(NULL, CROSS_SELL, &resp, &e_), CARTLIFT_NULL_ARGUMENT, "null_argument", "engine");
        CHECK(resp == NULL);
        EXPECT_FAIL(QUERY_OPS[i].fn(engine, NULL, &resp, &e_), CARTLIFT_NULL_ARGUMENT, "null_argument",
                    "request_json");
        EXPECT_FAIL(QUERY_OPS[i].fn(engine, CROSS_SELL, NULL, &e_), CARTLIFT_NULL_ARGUMENT, "null_argument",
                    "response_json");
        /* err == NULL: the status alone, no crash, no leak. */
        CHECK(QUERY_OPS[i].fn(NULL, NULL, NULL, NULL) == CARTLIFT_NULL_ARGUMENT);
    }
    CHECK(cartlift_engine_train(NULL, NULL, NULL) == CARTLIFT_NULL_ARGUMENT);

    /* NULL-safe frees and accessors. */
    cartlift_engine_free(NULL);
    cartlift_error_free(NULL);
    cartlift_string_free(NULL);
    cartlift_bytes_free(NULL, 0);
    CHECK(cartlift_error_message(NULL) == NULL);
    CHECK(cartlift_error_code_name(NULL) == NULL);
    CHECK(cartlift_error_field(NULL) == NULL);
    CHECK(cartlift_error_file(NULL) == NULL);
    CHECK(cartlift_error_line(NULL) == 0);
    CHECK(cartlift_error_code(NULL) == CARTLIFT_NULL_ARGUMENT);
}

static void bad_input(const cartlift_engine *engine) {
    cartlift_engine *out = NULL;
    char *resp = NULL;
    cartlift_error *err = NULL;
    size_t i;
    /* 0xC3 0x28 is not UTF-8. */
    static const char bad_utf8[] = {'{', '"', 'c', 'a', 'r', 't', '"', ':', '[', '"', (char)0xC3, (char)0x28, '"', ']',
                                    '}', '\0'};

    EXPECT_FAIL(cartlift_engine_train("{", &out, &e_), CARTLIFT_INVALID_INPUT, "invalid_input", NULL);
    EXPECT_FAIL(cartlift_engine_train("not json", &out, &e_), CARTLIFT_INVALID_INPUT, "invalid_input", NULL);
    EXPECT_FAIL(cartlift_engine_train("{\"products\": [], \"bogus\": 1}", &out, &e_), CARTLIFT_INVALID_INPUT,
                "invalid_input", NULL);
    EXPECT_FAIL(cartlift_engine_train(bad_utf8, &out, &e_), CARTLIFT_INVALID_INPUT, "invalid_input", "request_json");
    CHECK(out == NULL);
    CHECK(cartlift_engine_train("{", &out, NULL) == CARTLIFT_INVALID_INPUT);
    CHECK(out == NULL);

    for (i = 0; i < QUERY_OPS_LEN; i++) {
        EXPECT_FAIL(QUERY_OPS[i].fn(engine, "{\"cart\": [", &resp, &e_), CARTLIFT_INVALID_INPUT, "invalid_input", NULL);
        EXPECT_FAIL(QUERY_OPS[i].fn(engine, bad_utf8, &resp, &e_), CARTLIFT_INVALID_INPUT, "invalid_input",
                    "request_json");
        CHECK(QUERY_OPS[i].fn(engine, "[1,", &resp, NULL) == CARTLIFT_INVALID_INPUT);
        CHECK(resp == NULL);
    }
    /* A syntax error names its line. */
    CHECK(cartlift_cross_sell(engine, "{\n\"cart\": [,]}", &resp, &err) == CARTLIFT_INVALID_INPUT);
    CHECK(cartlift_error_line(err) == 2);
    cartlift_error_free(err);
    /* Core validation comes through with its field. */
    EXPECT_FAIL(cartlift_cross_sell(engine, "{\"cart\": [{\"product_id\": \"cam\", \"quantity\": 0}]}", &resp, &e_),
                CARTLIFT_INVALID_INPUT, "invalid_input", "cart[0].quantity");
    EXPECT_FAIL(cartlift_cross_sell(engine, "{\"cart\": [{\"product_id\": \"cam\", \"price\": 1.5}]}", &resp, &e_),
                CARTLIFT_INVALID_INPUT, "invalid_input", "cart[0].price");
    /* Absurd requests are errors (a huge offset once sized an allocation whose failure aborted the host). */
    EXPECT_FAIL(cartlift_cross_sell(engine, "{\"cart\": [\"cam\"], \"offset\": 10000000000000, \"limit\": 5}", &resp,
                                    &e_),
                CARTLIFT_INVALID_INPUT, "invalid_input", "offset");
    EXPECT_FAIL(cartlift_price_cart(engine, "{\"cart\": [{\"product_id\": \"cam\", \"quantity\": 1000000}]}", &resp, &e_),
                CARTLIFT_INVALID_INPUT, "invalid_input", "cart[0].quantity");
    EXPECT_FAIL(cartlift_price_cart(engine, "{\"cart\": [{\"product_id\": \"cam\", \"price\": \"90000000000000.00\"}]}",
                                    &resp, &e_),
                CARTLIFT_INVALID_INPUT, "invalid_input", "cart[0].price");
    CHECK(cartlift_cross_sell(engine, "{\"cart\": [\"cam\"]}", &resp, NULL) == CARTLIFT_OK && resp != NULL);
    cartlift_string_free(resp);
    resp = NULL;
    EXPECT_FAIL(cartlift_update_products(engine, "[{\"id\": \"nope\", \"price\": \"1.00\"}]", &out, &e_),
                CARTLIFT_UNKNOWN_PRODUCT, "unknown_product", "updates[0].id");
    EXPECT_FAIL(cartlift_update_products(engine, "[{\"id\": ", &out, &e_), CARTLIFT_INVALID_INPUT, "invalid_input",
                NULL);
    CHECK(out == NULL);
}

static void bytes_and_files(const cartlift_engine *engine, const char *dir) {
    char path[4096], bad[4096], *want, *got, *file;
    uint8_t *data = NULL, *copy;
    size_t len = 0, flen = 0;
    cartlift_engine *loaded = NULL;
    cartlift_error *err = NULL;

    want = cross_sell(engine, CROSS_SELL);

    /* Bytes round trip answers the same. */
    CHECK(cartlift_engine_to_bytes(engine, &data, &len, &err) == CARTLIFT_OK && err == NULL);
    CHECK(data != NULL && len > 24);
    CHECK(cartlift_engine_load_bytes(data, len, &loaded, &err) == CARTLIFT_OK);
    got = cross_sell(loaded, CROSS_SELL);
    CHECK(str_eq(want, got));
    cartlift_string_free(got);
    cartlift_engine_free(loaded);
    loaded = NULL;

    /* Corrupt, truncated, empty, garbage and newer-version bytes. */
    copy = malloc(len);
    memcpy(copy, data, len);
    copy[len - 1] ^= 0x5a;
    EXPECT_FAIL(cartlift_engine_load_bytes(copy, len, &loaded, &e_), CARTLIFT_CORRUPT_MODEL, "corrupt_model", NULL);
    EXPECT_FAIL(cartlift_engine_load_bytes(data, len - 1, &loaded, &e_), CARTLIFT_CORRUPT_MODEL, "corrupt_model",
                NULL);
    EXPECT_FAIL(cartlift_engine_load_bytes(data, 10, &loaded, &e_), CARTLIFT_CORRUPT_MODEL, "corrupt_model", NULL);
    EXPECT_FAIL(cartlift_engine_load_bytes(data, 0, &loaded, &e_), CARTLIFT_CORRUPT_MODEL, "corrupt_model", NULL);
    EXPECT_FAIL(cartlift_engine_load_bytes((const uint8_t *)"garbage garbage garbage garbage", 31, &loaded, &e_),
                CARTLIFT_CORRUPT_MODEL, "corrupt_model", NULL);
    memcpy(copy, data, len);
    copy[8] = 0xff; /* format version, little-endian u32 after the 8-byte magic */
    EXPECT_FAIL(cartlift_engine_load_bytes(copy, len, &loaded, &e_), CARTLIFT_UNSUPPORTED_VERSION,
                "unsupported_version", NULL);
    CHECK(cartlift_engine_load_bytes(data, len - 1, &loaded, NULL) == CARTLIFT_CORRUPT_MODEL);
    CHECK(loaded == NULL);
    free(copy);

    /* File round trip. */
    snprintf(path, sizeof path, "%s/engine.cartlift", dir);
    CHECK(cartlift_engine_save(engine, path, &err) == CARTLIFT_OK && err == NULL);
    CHECK(cartlift_engine_load(path, &loaded, &err) == CARTLIFT_OK && err == NULL);
    got = cross_sell(loaded, CROSS_SELL);
    CHECK(str_eq(want, got));
    cartlift_string_free(got);
    cartlift_engine_free(loaded);
    loaded = NULL;

    /* A truncated file is a corrupt model naming the file. */
    file = read_all(path, &flen);
    CHECK(file != NULL && flen == len);
    snprintf(bad, sizeof bad, "%s/truncated.cartlift", dir);
    CHECK(file != NULL && write_all(bad, file, flen / 2));
    CHECK(cartlift_engine_load(bad, &loaded, &err) == CARTLIFT_CORRUPT_MODEL);
    CHECK(str_eq(cartlift_error_file(err), bad));
    CHECK(cartlift_error_code(err) == CARTLIFT_CORRUPT_MODEL);
    cartlift_error_free(err);
    CHECK(cartlift_engine_load(bad, &loaded, NULL) == CARTLIFT_CORRUPT_MODEL);
    CHECK(loaded == NULL);
    /* Mapped: the same file opens as a corrupt model too, and the whole one answers as loaded. */
    CHECK(cartlift_engine_open(bad, &loaded, &err) == CARTLIFT_CORRUPT_MODEL);
    CHECK(str_eq(cartlift_error_file(err), bad));
    cartlift_error_free(err);
    err = NULL;
    CHECK(loaded == NULL);
    CHECK(cartlift_engine_open(path, &loaded, &err) == CARTLIFT_OK && err == NULL);
    got = cross_sell(loaded, CROSS_SELL);
    CHECK(str_eq(want, got));
    cartlift_string_free(got);
    cartlift_engine_free(loaded);
    loaded = NULL;
    free(file);

    /* Missing files and unwritable paths are I/O errors. */
    snprintf(bad, sizeof bad, "%s/missing/none.cartlift", dir);
    EXPECT_FAIL(cartlift_engine_load(bad, &loaded, &e_), CARTLIFT_IO, "io", NULL);
    EXPECT_FAIL(cartlift_engine_save(engine, bad, &e_), CARTLIFT_IO, "io", NULL);
    CHECK(cartlift_engine_save(engine, bad, NULL) == CARTLIFT_IO);
    EXPECT_FAIL(cartlift_engine_load(dir, &loaded, &e_), CARTLIFT_IO, "io", NULL);
    CHECK(loaded == NULL);

    cartlift_bytes_free(data, len);
    cartlift_string_free(want);
}

static void update_products(const cartlift_engine *engine) {
    cartlift_engine *updated = NULL;
    cartlift_error *err = NULL;
    char *before = cross_sell(engine, "{\"cart\": [\"cam\"], \"limit\": 5}"), *after, *again;
    CHECK(before != NULL && strstr(before, "\"199.99\"") != NULL);
    CHECK(cartlift_update_products(engine, "[{\"id\": \"lens\", \"price\": \"149.00\"}]", &updated, &err) ==
          CARTLIFT_OK);
    CHECK(err == NULL && updated != NULL && updated != engine);
    after = cross_sell(updated, "{\"cart\": [\"cam\"], \"limit\": 5}");
    CHECK(after != NULL && strstr(after, "\"149.00\"") != NULL && strstr(after, "\"199.99\"") == NULL);
    /* The old engine is unchanged. */
    again = cross_sell(engine, "{\"cart\": [\"cam\"], \"limit\": 5}");
    CHECK(str_eq(before, again));
    cartlift_string_free(before);
    cartlift_string_free(after);
    cartlift_string_free(again);
    cartlift_engine_free(updated);
    /* One object works as well as a list. */
    CHECK(cartlift_update_products(engine, "{\"id\": \"bag\", \"available\": false}", &updated, NULL) == CARTLIFT_OK);
    cartlift_engine_free(updated);
}

/* Assignment is a stable contract (docs/measurement.md): this visitor gets "v1", the answer pinned in
 * core/src/measure/experiment.rs and given by `cartlift assign` for the same experiment. */
static void assign_and_report(const cartlift_engine *engine) {
    static const char EXP[] = "{\"id\": \"e\", \"variants\": [{\"id\": \"v0\", \"weight\": 50}, {\"id\": \"v1\", \"weight\": 50}]}";
    char request[512];
    char *resp = NULL;
    cartlift_error *err = NULL;

    snprintf(request, sizeof request, "{\"experiments\": [%s], \"experiment\": \"e\", \"visitor_id\": \"visitor-42\"}", EXP);
    CHECK(cartlift_assign(engine, request, &resp, &err) == CARTLIFT_OK);
    CHECK(err == NULL);
    if (!str_eq(resp, "{\"experiment\":\"e\",\"variant\":\"v1\"}")) {
        fprintf(stderr, "assign answered %s, want variant v1\n", resp ? resp : "(null)");
        failures++;
    }
    cartlift_string_free(resp);
    resp = NULL;
    EXPECT_FAIL(cartlift_assign(engine, "{\"experiment\": \"e\", \"visitor_id\": \"visitor-42\"}", &resp, &e_),
                CARTLIFT_UNKNOWN_EXPERIMENT, "unknown_experiment", NULL);

    snprintf(request, sizeof request, "{\"experiments\": [%s], \"events\": []}", EXP);
    CHECK(cartlift_report(engine, request, &resp, &err) == CARTLIFT_OK);
    CHECK(err == NULL && resp != NULL && strstr(resp, "\"experiments\"") != NULL);
    cartlift_string_free(resp);
}

int main(int argc, char **argv) {
    cartlift_engine *engine = NULL;
    cartlift_error *err = NULL;
    const char *v = cartlift_version();

    if (argc != 2) {
        fprintf(stderr, "usage: %s SCRATCH_DIR\n", argv[0]);
        return 2;
    }
    CHECK(v != NULL && v[0] >= '0' && v[0] <= '9');
    if (cartlift_engine_train(FIXTURE_TRAIN, &engine, &err) != CARTLIFT_OK) {
        fprintf(stderr, "training the fixture failed: %s\n", cartlift_error_message(err));
        cartlift_error_free(err);
        return 1;
    }
    CHECK(err == NULL);
    null_arguments(engine);
    bad_input(engine);
    bytes_and_files(engine, argv[1]);
    update_products(engine);
    assign_and_report(engine);
    cartlift_engine_free(engine);
    if (failures) {
        fprintf(stderr, "errors: %d check(s) failed\n", failures);
        return 1;
    }
    printf("errors: all checks passed (cartlift %s)\n", v);
    return 0;
}
