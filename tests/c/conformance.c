/* Cross-language conformance: run every case of every store in tests/vectors through the C ABI.
 * Each store's engine is trained from train.json, then every case runs against it, against a copy reloaded
 * from model bytes and against a copy reloaded from a saved file. Answers and errors are checked as
 * tests/vectors/README.md specifies (json_same: numbers within 1e-6; errors by code, field and line); request text is passed to the library byte for byte as it appears in the vector file, so
 * big integer ids and exact decimals are never re-serialized by cJSON.
 * Usage: conformance VECTORS_DIR SCRATCH_DIR */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <dirent.h>
#include <sys/stat.h>

#include "cartlift.h"
#include "fixture.h"


static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;
    if (f == NULL) return NULL;
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return NULL;
    }
    buf = malloc((size_t)n + 1);
    if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        fclose(f);
        return NULL;
    }
    fclose(f);
    buf[n] = '\0';
    return buf;
}

static const char *skip_ws(const char *p) {
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
    return p;
}

/* End of the JSON string starting at the opening quote `p` (one past the closing quote), or NULL. */
static const char *skip_string(const char *p) {
    for (p++; *p; p++) {
        if (*p == '\\') {
            if (*++p == '\0') return NULL;
        } else if (*p == '"') {
            return p + 1;
        }
    }
    return NULL;
}

/* End of the JSON value starting at `p`, or NULL. The document was already validated by cJSON. */
static const char *skip_value(const char *p) {
    int depth = 0;
    do {
        if (*p == '"') {
            if ((p = skip_string(p)) == NULL) return NULL;
            continue;
        }
        if (*p == '{' || *p == '[') depth++;
        else if (*p == '}' || *p == ']') depth--;
        else if (depth == 0 && (*p == ',' || *p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')) return p;
        else if (*p == '\0') return depth == 0 ? p : NULL;
        p++;
    } while (depth > 0);
    return p;
}

/* A copy of the raw text of top-level member `key` of the JSON object `text`, or NULL. */
static char *raw_member(const char *text, const char *key) {
    const char *p = skip_ws(text), *k, *end;
    size_t klen = strlen(key);
    if (*p != '{') return NULL;
    p = skip_ws(p + 1);
    while (*p == '"') {
        const char *kend = skip_string(p);
        int match;
        k = p + 1;
        if (kend == NULL) return NULL;
        match = (size_t)(kend - k - 1) == klen && memcmp(k, key, klen) == 0;
        p = skip_ws(kend);
        if (*p != ':') return NULL;
        p = skip_ws(p + 1);
        end = skip_value(p);
        if (end == NULL) return NULL;
        if (match) {
            char *out = malloc((size_t)(end - p) + 1);
            memcpy(out, p, (size_t)(end - p));
            out[end - p] = '\0';
            return out;
        }
        p = skip_ws(end);
        if (*p == ',') p = skip_ws(p + 1);
    }
    return NULL;
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names in `dir` (ending in `suffix` when given, else subdirectories); count in *n. */
static char **list_dir(const char *dir, const char *suffix, size_t *n) {
    DIR *d = opendir(dir);
    struct dirent *ent;
    char **names = NULL, path[4096];
    struct stat st;
    size_t cap = 0;
    *n = 0;
    if (d == NULL) return NULL;
    while ((ent = readdir(d)) != NULL) {
        size_t len = strlen(ent->d_name);
        if (ent->d_name[0] == '.') continue;
        if (suffix != NULL) {
            size_t sl = strlen(suffix);
            if (len <= sl || strcmp(ent->d_name + len - sl, suffix) != 0) continue;
        } else {
            snprintf(path, sizeof path, "%s/%s", dir, ent->d_name);
            if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) continue;
        }
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            names = realloc(names, cap * sizeof *names);
        }
        names[*n] = malloc(len + 1);
        memcpy(names[*n], ent->d_name, len + 1);
        (*n)++;
    }
    closedir(d);
    qsort(names, *n, sizeof *names, cmp_str);
    return names;
}

static void free_list(char **names, size_t n) {
    size_t i;
    for (i = 0; i < n; i++) free(names[i]);
    free(names);
}

/* Numbers agree when they differ by at most this (scores to 6 decimal places). */
#define NUMBER_TOLERANCE 1e-6

/* The specification's equality: objects by key set, arrays in order, numbers within NUMBER_TOLERANCE, the
 * rest exactly. */
static int json_same(const cJSON *a, const cJSON *b) {
    const cJSON *x, *y;
    if (a == NULL || b == NULL) return a == b;
    if (cJSON_IsNumber(a) && cJSON_IsNumber(b)) {
        double d = a->valuedouble - b->valuedouble;
        return (d < 0 ? -d : d) <= NUMBER_TOLERANCE;
    }
    if (cJSON_IsArray(a) && cJSON_IsArray(b)) {
        if (cJSON_GetArraySize(a) != cJSON_GetArraySize(b)) return 0;
        for (x = a->child, y = b->child; x != NULL; x = x->next, y = y->next) {
            if (!json_same(x, y)) return 0;
        }
        return 1;
    }
    if (cJSON_IsObject(a) && cJSON_IsObject(b)) {
        if (cJSON_GetArraySize(a) != cJSON_GetArraySize(b)) return 0;
        for (x = a->child; x != NULL; x = x->next) {
            if (!json_same(x, cJSON_GetObjectItemCaseSensitive(b, x->string))) return 0;
        }
        return 1;
    }
    return cJSON_Compare(a, b, 1);
}

/* Check a failed call against the case's "error": code, numeric status, and field and line exactly (absent in
 * the case: the error names none). */
static int check_error(const char *where, cartlift_status status, cartlift_error *err, const cJSON *want) {
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(want, "code");
    const cJSON *field = cJSON_GetObjectItemCaseSensitive(want, "field");
    const cJSON *line = cJSON_GetObjectItemCaseSensitive(want, "line");
    const char *got_field;
    if (status == CARTLIFT_OK) {
        fprintf(stderr, "%s: succeeded, expected error %s\n", where, cJSON_IsString(code) ? code->valuestring : "?");
        return 0;
    }
    if (!cJSON_IsString(code) || !str_eq(cartlift_error_code_name(err), code->valuestring) ||
        cartlift_error_code(err) != status) {
        fprintf(stderr, "%s: error %s (status %d), expected %s: %s\n", where, cartlift_error_code_name(err),
                (int)status, cJSON_IsString(code) ? code->valuestring : "?", cartlift_error_message(err));
        return 0;
    }
    got_field = cartlift_error_field(err);
    if (cJSON_IsString(field) ? !str_eq(got_field, field->valuestring) : got_field != NULL) {
        fprintf(stderr, "%s: error field %s, expected %s: %s\n", where, got_field ? got_field : "(none)",
                cJSON_IsString(field) ? field->valuestring : "(none)", cartlift_error_message(err));
        return 0;
    }
    if (cartlift_error_line(err) != (cJSON_IsNumber(line) ? (uint64_t)line->valuedouble : 0)) {
        fprintf(stderr, "%s: error line %lu, expected %s: %s\n", where, (unsigned long)cartlift_error_line(err),
                cJSON_IsNumber(line) ? "that line" : "none", cartlift_error_message(err));
        return 0;
    }
    return 1;
}

/* Run one case on one engine; 1 when it passes. */
static int run_case(const char *where, const cartlift_engine *engine, const char *op, const char *request,
                    const cJSON *response, const cJSON *error) {
    size_t i;
    char *answer = NULL;
    cartlift_error *err = NULL;
    cartlift_status status, quiet;
    cartlift_engine *trained = NULL;
    cJSON *got;
    int ok;

    if (strcmp(op, "train") == 0) {
        status = cartlift_engine_train(request, &trained, &err);
        cartlift_engine_free(trained);
        trained = NULL;
        /* A train case without "error" expects training to succeed (its "response" is null). */
        ok = error != NULL ? check_error(where, status, err, error) : status == CARTLIFT_OK;
        if (error == NULL && !ok) fprintf(stderr, "%s: training failed: %s\n", where, cartlift_error_message(err));
        cartlift_error_free(err);
        /* err == NULL gives the same status and leaks nothing. */
        quiet = cartlift_engine_train(request, &trained, NULL);
        cartlift_engine_free(trained);
        return ok && quiet == status;
    }
    for (i = 0; i < QUERY_OPS_LEN; i++) {
        if (strcmp(QUERY_OPS[i].name, op) == 0) break;
    }
    if (i == QUERY_OPS_LEN) {
        fprintf(stderr, "%s: unknown op %s\n", where, op);
        return 0;
    }
    status = QUERY_OPS[i].fn(engine, request, &answer, &err);
    if (error != NULL) {
        ok = check_error(where, status, err, error) && answer == NULL;
        cartlift_error_free(err);
        cartlift_string_free(answer);
        quiet = QUERY_OPS[i].fn(engine, request, &answer, NULL);
        cartlift_string_free(answer);
        return ok && quiet == status;
    }
    if (status != CARTLIFT_OK) {
        fprintf(stderr, "%s: failed with %s: %s\n", where, cartlift_error_code_name(err), cartlift_error_message(err));
        cartlift_error_free(err);
        return 0;
    }
    got = cJSON_Parse(answer);
    ok = got != NULL && json_same(response, got);
    if (!ok) {
        char *want = cJSON_PrintUnformatted(response);
        fprintf(stderr, "%s: answer differs\n  expected: %s\n  got:      %s\n", where, want, answer);
        free(want);
    }
    cJSON_Delete(got);
    cartlift_string_free(answer);
    return ok;
}

int main(int argc, char **argv) {
    char **stores, **cases, path[4096], where[4096];
    size_t nstores, ncases, s, c, e, total = 0, checks = 0;

    if (argc != 3) {
        fprintf(stderr, "usage: %s VECTORS_DIR SCRATCH_DIR\n", argv[0]);
        return 2;
    }
    stores = list_dir(argv[1], NULL, &nstores);
    if (nstores == 0) {
        fprintf(stderr, "conformance: no stores in %s (the vectors are missing)\n", argv[1]);
        free_list(stores, nstores);
        return 1;
    }
    for (s = 0; s < nstores; s++) {
        cartlift_engine *engines[4] = {NULL, NULL, NULL, NULL};
        static const char *const how[4] = {"trained", "from bytes", "from file", "mapped file"};
        cartlift_error *err = NULL;
        uint8_t *bytes = NULL;
        size_t len = 0;
        char *train;

        snprintf(path, sizeof path, "%s/%s/train.json", argv[1], stores[s]);
        train = read_file(path);
        if (train == NULL) {
            fprintf(stderr, "%s: cannot read\n", path);
            failures++;
            continue;
        }
        if (cartlift_engine_train(train, &engines[0], &err) != CARTLIFT_OK) {
            fprintf(stderr, "%s: training failed: %s\n", path, cartlift_error_message(err));
            cartlift_error_free(err);
            free(train);
            failures++;
            continue;
        }
        free(train);
        CHECK(cartlift_engine_to_bytes(engines[0], &bytes, &len, NULL) == CARTLIFT_OK);
        CHECK(cartlift_engine_load_bytes(bytes, len, &engines[1], NULL) == CARTLIFT_OK);
        cartlift_bytes_free(bytes, len);
        snprintf(path, sizeof path, "%s/%s.cartlift", argv[2], stores[s]);
        CHECK(cartlift_engine_save(engines[0], path, NULL) == CARTLIFT_OK);
        CHECK(cartlift_engine_load(path, &engines[2], NULL) == CARTLIFT_OK);
        CHECK(cartlift_engine_open(path, &engines[3], NULL) == CARTLIFT_OK);

        snprintf(path, sizeof path, "%s/%s/cases", argv[1], stores[s]);
        cases = list_dir(path, ".json", &ncases);
        if (ncases == 0) {
            fprintf(stderr, "%s: no cases\n", path);
            failures++;
        }
        for (c = 0; c < ncases; c++) {
            char *text, *request;
            cJSON *doc, *op;
            snprintf(path, sizeof path, "%s/%s/cases/%s", argv[1], stores[s], cases[c]);
            text = read_file(path);
            doc = text ? cJSON_Parse(text) : NULL;
            op = cJSON_GetObjectItemCaseSensitive(doc, "op");
            request = text ? raw_member(text, "request") : NULL;
            total++;
            if (doc == NULL || !cJSON_IsString(op) || request == NULL ||
                (cJSON_GetObjectItemCaseSensitive(doc, "response") == NULL) ==
                    (cJSON_GetObjectItemCaseSensitive(doc, "error") == NULL)) {
                fprintf(stderr, "%s: not a valid case (op, request and one of response/error)\n", path);
                failures++;
            } else {
                for (e = 0; e < 4; e++) {
                    snprintf(where, sizeof where, "%s/%s [%s]", stores[s], cases[c], how[e]);
                    checks++;
                    if (engines[e] == NULL ||
                        !run_case(where, engines[e], op->valuestring, request,
                                  cJSON_GetObjectItemCaseSensitive(doc, "response"),
                                  cJSON_GetObjectItemCaseSensitive(doc, "error"))) {
                        failures++;
                    }
                    if (strcmp(op->valuestring, "train") == 0) break; /* training does not use the engine */
                }
            }
            free(request);
            cJSON_Delete(doc);
            free(text);
        }
        free_list(cases, ncases);
        for (e = 0; e < 4; e++) cartlift_engine_free(engines[e]);
    }
    free_list(stores, nstores);
    if (failures) {
        fprintf(stderr, "conformance: %d failure(s) in %lu cases\n", failures, (unsigned long)total);
        return 1;
    }
    printf("conformance: %lu stores, %lu cases, %lu checks passed\n", (unsigned long)nstores, (unsigned long)total,
           (unsigned long)checks);
    return 0;
}
