/* One engine, many threads: every thread runs queries, failing calls, byte dumps and update_products on the
 * same engine at once and must get exactly the single-threaded answers. Built with -pthread.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>

#include "cartlift.h"
#include "fixture.h"

#define THREADS 8
#define ROUNDS 150

static const char *const REQUESTS[] = {
    "{\"cart\": [\"cam\"], \"limit\": 3}",
    "{\"cart\": [{\"product_id\": \"bag\", \"quantity\": 2}], \"limit\": 5}",
    "{\"cart\": [\"lens\", \"card\"], \"declined\": [\"bag\"]}",
    "{\"cart\": [], \"customer_history\": [\"strap\"]}",
};
#define NREQ (sizeof REQUESTS / sizeof REQUESTS[0])

static const cartlift_engine *shared;
static char *expected[NREQ];

struct worker {
    int id;
    int mismatches;
};

static void *work(void *arg) {
    struct worker *w = arg;
    int round;
    for (round = 0; round < ROUNDS; round++) {
        size_t r = (size_t)(round + w->id) % NREQ;
        char *answer = NULL;
        cartlift_error *err = NULL;
        if (cartlift_cross_sell(shared, REQUESTS[r], &answer, &err) != CARTLIFT_OK || !str_eq(answer, expected[r])) {
            w->mismatches++;
        }
        cartlift_string_free(answer);
        cartlift_error_free(err);
        /* Failures on other threads never leak into this thread's error (there is no shared last-error). */
        err = NULL;
        if (cartlift_cross_sell(shared, "{\"cart\": [{\"product_id\": \"cam\", \"quantity\": -1}]}", &answer,
                                &err) != CARTLIFT_INVALID_INPUT ||
            !str_eq(cartlift_error_field(err), "cart[0].quantity")) {
            w->mismatches++;
        }
        cartlift_error_free(err);
        if (round % 25 == w->id % 25) {
            uint8_t *data = NULL;
            size_t len = 0;
            cartlift_engine *updated = NULL;
            if (cartlift_engine_to_bytes(shared, &data, &len, NULL) != CARTLIFT_OK || len == 0) w->mismatches++;
            cartlift_bytes_free(data, len);
            if (cartlift_update_products(shared, "[{\"id\": \"lens\", \"price\": \"1.00\"}]", &updated, NULL) !=
                CARTLIFT_OK) {
                w->mismatches++;
            }
            cartlift_engine_free(updated);
        }
    }
    return NULL;
}

int main(void) {
    cartlift_engine *engine = NULL;
    cartlift_error *err = NULL;
    pthread_t threads[THREADS];
    struct worker workers[THREADS];
    size_t i;
    int total = 0;

    if (cartlift_engine_train(FIXTURE_TRAIN, &engine, &err) != CARTLIFT_OK) {
        fprintf(stderr, "training failed: %s\n", cartlift_error_message(err));
        cartlift_error_free(err);
        return 1;
    }
    shared = engine;
    for (i = 0; i < NREQ; i++) {
        CHECK(cartlift_cross_sell(engine, REQUESTS[i], &expected[i], NULL) == CARTLIFT_OK);
        CHECK(expected[i] != NULL);
    }
    for (i = 0; i < THREADS; i++) {
        workers[i].id = (int)i;
        workers[i].mismatches = 0;
        CHECK(pthread_create(&threads[i], NULL, work, &workers[i]) == 0);
    }
    for (i = 0; i < THREADS; i++) {
        CHECK(pthread_join(threads[i], NULL) == 0);
        total += workers[i].mismatches;
    }
    CHECK(total == 0);
    for (i = 0; i < NREQ; i++) cartlift_string_free(expected[i]);
    cartlift_engine_free(engine);
    if (failures) {
        fprintf(stderr, "threads: %d check(s) failed, %d mismatched answers\n", failures, total);
        return 1;
    }
    printf("threads: %d threads x %d rounds on one engine, all answers identical\n", THREADS, ROUNDS);
    return 0;
}
