/* A small store shared by the C error and thread tests (the conformance vectors live in tests/vectors). */
#ifndef CARTLIFT_TEST_FIXTURE_H
#define CARTLIFT_TEST_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cartlift.h"

static const char FIXTURE_TRAIN[] =
    "{\"products\": ["
    "{\"id\": \"cam\", \"title\": \"Camera\", \"price\": \"499.00\", \"category\": \"cameras\"},"
    "{\"id\": \"lens\", \"title\": \"Lens\", \"price\": \"199.99\", \"category\": \"lenses\"},"
    "{\"id\": \"bag\", \"title\": \"Bag\", \"price\": \"49.50\", \"category\": \"bags\"},"
    "{\"id\": \"card\", \"title\": \"SD card\", \"price\": 20, \"category\": \"storage\"},"
    "{\"id\": \"strap\", \"title\": \"Strap\", \"price\": \"15.00\", \"category\": \"bags\"}],"
    "\"orders\": ["
    "{\"id\": \"o1\", \"customer_id\": \"u1\", \"created_at\": \"2024-03-01T10:00:00Z\","
    " \"lines\": [{\"product_id\": \"cam\"}, {\"product_id\": \"lens\"}, {\"product_id\": \"card\", \"quantity\": 2}]},"
    "{\"id\": \"o2\", \"customer_id\": \"u2\", \"created_at\": \"2024-03-02T10:00:00Z\","
    " \"lines\": [{\"product_id\": \"cam\"}, {\"product_id\": \"card\"}]},"
    "{\"id\": \"o3\", \"customer_id\": \"u1\", \"created_at\": \"2024-03-03T10:00:00Z\","
    " \"lines\": [{\"product_id\": \"bag\"}, {\"product_id\": \"strap\"}]},"
    "{\"id\": \"o4\", \"created_at\": \"2024-03-04T10:00:00Z\","
    " \"lines\": [{\"product_id\": \"cam\"}, {\"product_id\": \"bag\"}]}]}";

static int failures = 0;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (!(cond)) {                                                               \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
            failures++;                                                              \
        }                                                                            \
    } while (0)

static int str_eq(const char *a, const char *b) {
    if (a == NULL || b == NULL) return a == b;
    return strcmp(a, b) == 0;
}

/* Every query operation of the ABI, by its shared-schema name: one list for all C tests. */
typedef cartlift_status (*query_fn)(const cartlift_engine *, const char *, char **, cartlift_error **);
#if defined(__GNUC__)
__attribute__((unused))
#endif
static const struct {
    const char *name;
    query_fn fn;
} QUERY_OPS[] = {
    {"cross_sell", cartlift_cross_sell},     {"upsell", cartlift_upsell},
    {"upgrade_path", cartlift_upgrade_path}, {"suggest_decoy_price", cartlift_suggest_decoy_price},
    {"price_cart", cartlift_price_cart},     {"suggest_bundles", cartlift_suggest_bundles},
    {"assign", cartlift_assign},             {"report", cartlift_report},
};
#define QUERY_OPS_LEN (sizeof QUERY_OPS / sizeof QUERY_OPS[0])

#endif
