/* A shop backend's use of libcartlift: train on a products file and an orders file, then ask what goes with a
 * product and price a cart of it.
 *
 *   cc -std=c99 recommend.c $(pkg-config --cflags --libs cartlift) -o recommend
 *   ./recommend PRODUCTS ORDERS PRODUCT_ID
 *
 * PRODUCTS and ORDERS are files in any format cartlift reads (`cartlift demo --export demo/` writes a pair; try
 * ./recommend demo/products.jsonl demo/orders.jsonl cam-a2). Answers are the shared JSON schema, printed as
 * they come. Compiled and run by tests/c/run.sh. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cartlift.h"

/* `text` as a JSON string literal (quotes and backslashes escaped), or NULL when out of memory. Control
 * characters are refused: a path or product id has none. */
static char *json_string(const char *text) {
    size_t n = strlen(text);
    char *out = malloc(2 * n + 3);
    char *w = out;
    if (out == NULL) return NULL;
    *w++ = '"';
    for (const char *r = text; *r != '\0'; r++) {
        if ((unsigned char)*r < 0x20) {
            free(out);
            return NULL;
        }
        if (*r == '"' || *r == '\\') *w++ = '\\';
        *w++ = *r;
    }
    *w++ = '"';
    *w = '\0';
    return out;
}

/* Print a failed call's error (code, message and, when known, field, file and line) and free it. */
static int report(const char *what, cartlift_error *err) {
    fprintf(stderr, "%s failed: %s: %s", what, cartlift_error_code_name(err), cartlift_error_message(err));
    if (cartlift_error_field(err) != NULL) fprintf(stderr, " (field %s)", cartlift_error_field(err));
    if (cartlift_error_file(err) != NULL) fprintf(stderr, " (file %s, line %u)", cartlift_error_file(err),
                                                  (unsigned)cartlift_error_line(err));
    fputc('\n', stderr);
    cartlift_error_free(err);
    return 1;
}

/* Every query of the ABI has this shape: engine, request JSON, answer out, error out. */
typedef cartlift_status (*cartlift_query)(const cartlift_engine *, const char *, char **, cartlift_error **);

/* One query: the request is `request_format` around the quoted product id; print the answer. */
static int ask(const cartlift_engine *engine, const char *name, cartlift_query query, const char *request_format,
               const char *id) {
    char request[1024];
    char *answer = NULL;
    cartlift_error *err = NULL;
    if (snprintf(request, sizeof request, request_format, id) >= (int)sizeof request) {
        fprintf(stderr, "product id too long\n");
        return 1;
    }
    if (query(engine, request, &answer, &err) != CARTLIFT_OK) return report(name, err);
    printf("%s: %s\n", name, answer);
    cartlift_string_free(answer);
    return 0;
}

int main(int argc, char **argv) {
    cartlift_engine *engine = NULL;
    cartlift_error *err = NULL;
    char *products, *orders, *id, *train;
    int failed = 1;
    if (argc != 4) {
        fprintf(stderr, "usage: %s PRODUCTS ORDERS PRODUCT_ID\n", argv[0]);
        return 2;
    }
    products = json_string(argv[1]);
    orders = json_string(argv[2]);
    id = json_string(argv[3]);
    train = malloc(strlen(argv[1]) * 2 + strlen(argv[2]) * 2 + 64);
    if (products == NULL || orders == NULL || id == NULL || train == NULL) {
        fprintf(stderr, "out of memory, or a control character in an argument\n");
    } else {
        sprintf(train, "{\"products\": %s, \"orders\": %s}", products, orders);
        if (cartlift_engine_train(train, &engine, &err) != CARTLIFT_OK) {
            report("train", err);
        } else {
            printf("cartlift %s: trained\n", cartlift_version());
            failed = ask(engine, "cross_sell", cartlift_cross_sell,
                         "{\"cart\": [%s], \"placement\": \"product_page\", \"limit\": 4}", id)
                     || ask(engine, "price_cart", cartlift_price_cart,
                            "{\"cart\": [{\"product_id\": %s, \"quantity\": 2}]}", id);
        }
    }
    cartlift_engine_free(engine);
    free(products);
    free(orders);
    free(id);
    free(train);
    return failed;
}
