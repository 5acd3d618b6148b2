/* test_alloc.c — sc_alloc.c: failing the Nth allocation, for every N (or a
 * stride of them past the first few hundred), in the spec loader and the
 * parser. Each call must return an error or succeed; never crash. Leaks are
 * caught by LeakSanitizer in the ASan+UBSan build. */
#include "sc_alloc.h"
#include "sc_json.h"
#include "sc_spec.h"

#include <criterion/criterion.h>
#include <string.h>

/* Runs |fn| once to count its allocations, then fails allocation 1, 2, …
 * (every one up to 300, then a stride so about 300 more are tried). */
static void every_allocation(int (*fn)(void *), void *arg, int want_nomem) {
  sc_alloc_fail_after(0);
  cr_assert_eq(fn(arg), 0, "the call fails without injected failures");
  unsigned long total = sc_alloc_fail_after(0);
  cr_assert_gt(total, 0);
  unsigned long step = total > 600 ? (total - 300) / 300 : 1;
  unsigned long tried = 0;
  for (unsigned long n = 1; n <= total; n += (n < 300 ? 1 : step)) {
    sc_alloc_fail_after(n);
    int rc = fn(arg);
    sc_alloc_fail_after(0);
    cr_expect(rc == 0 || rc == want_nomem,
              "allocation %lu of %lu failed: rc %d", n, total, rc);
    tried++;
  }
  cr_log_info("%lu of %lu allocations failed in turn", tried, total);
}

static int load_spec(void *arg) {
  (void)arg;
  enum sc_err e;
  char *diag = NULL;
  struct sc_spec *s = sc_spec_new(NULL, &e, &diag);
  sc_spec_free_diag(diag);
  sc_spec_destroy(s);
  return s ? 0 : (int)e;
}

Test(alloc, spec_loader_survives_every_failed_allocation) {
  every_allocation(load_spec, NULL, SC_ERR_NOMEM);
}

/* The last allocations of a load build the table of views and compile the
 * views' schema shapes; the stride above may step over them, so each of
 * the last 400 fails in turn: NOMEM and no leak, or a loaded spec. */
Test(alloc, spec_loader_survives_failed_view_table_and_shape_compile) {
  sc_alloc_fail_after(0);
  cr_assert_eq(load_spec(NULL), 0);
  unsigned long total = sc_alloc_fail_after(0);
  unsigned long first = total > 400 ? total - 400 : 1;
  for (unsigned long n = first; n <= total; n++) {
    sc_alloc_fail_after(n);
    int rc = load_spec(NULL);
    sc_alloc_fail_after(0);
    cr_expect(rc == SC_ERR_NOMEM, "allocation %lu of %lu failed: rc %d", n,
              total, rc);
  }
}

struct parse_arg {
  struct sc_spec *spec;
  const char *action;
  const char *profile;
  const char *body;
};

static int parse_one(void *arg) {
  struct parse_arg *a = arg;
  struct sc_input in = {a->action, a->profile, 200, NULL, a->body,
                        strlen(a->body)};
  struct sc_result r;
  enum sc_err e = sc_parse(a->spec, &in, &r);
  sc_result_free(&r);
  return (int)e;
}

Test(alloc, parser_survives_every_failed_allocation) {
  enum sc_err e;
  struct sc_spec *s = sc_spec_new(NULL, &e, NULL);
  cr_assert_not_null(s);
  /* a text answer is parsed in place: no allocation at all */
  struct parse_arg text = {s, "getNumber", NULL, "ACCESS_NUMBER:1:79990001122"};
  sc_alloc_fail_after(0);
  cr_expect_eq(parse_one(&text), 0);
  cr_expect_eq(sc_alloc_fail_after(0), 0, "text parsing allocated");
  static const char *const bodies[][3] = {
      {"getNumberV2", "securesms",
       "{\"activationId\":\"1\",\"phoneNumber\":\"919876543210\","
       "\"activationCost\":0.28,\"countryCode\":\"22\","
       "\"canGetAnotherSms\":true,\"activationTime\":\"2026-06-12 21:14:05\","
       "\"activationOperator\":\"any\"}"},
      {"getRentStatus", NULL,
       "{\"status\":\"error\",\"message\":\"NO_ID_RENT\"}"},
      {"getNumberV2", NULL, "{\"activationId\":\"abc\"}"},
  };
  for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
    struct parse_arg a = {s, bodies[i][0], bodies[i][1], bodies[i][2]};
    every_allocation(parse_one, &a, SC_ERR_NOMEM);
  }
  sc_spec_destroy(s);
}

/* sc_json_parse with its allocations failing in turn: |want| is what it
 * answers whichever allocation fails (a tree is never half returned). */
struct json_arg {
  const char *text;
  enum sc_json_err want; /* NOMEM for a valid text */
  size_t want_off;
};

static int json_parse_one(void *arg) {
  struct json_arg *a = arg;
  struct sc_json_error err;
  cJSON *j = sc_json_parse(a->text, strlen(a->text), &err);
  int rc;
  if (j) {
    cr_expect_eq(err.code, SC_JSON_ERR_OK);
    rc = 0;
  } else {
    cr_expect(err.code == a->want && err.offset == a->want_off,
              "%s: %s at %zu, want %s at %zu", a->text,
              sc_json_err_name(err.code), err.offset, sc_json_err_name(a->want),
              a->want_off);
    rc = err.code == SC_JSON_ERR_NOMEM ? SC_ERR_NOMEM : 1;
  }
  cJSON_Delete(j);
  return rc;
}

/* A text with a fault after everything that allocates: the fault wins
 * over the failed allocation, as it did when validation came first. */
static int json_parse_faulty(void *arg) {
  struct json_arg *a = arg;
  struct sc_json_error err;
  cJSON *j = sc_json_parse(a->text, strlen(a->text), &err);
  cr_expect_null(j);
  cJSON_Delete(j);
  cr_expect(err.code == a->want && err.offset == a->want_off,
            "%s: %s at %zu, want %s at %zu", a->text,
            sc_json_err_name(err.code), err.offset, sc_json_err_name(a->want),
            a->want_off);
  return 0;
}

Test(alloc, json_parser_survives_every_failed_allocation) {
  sc_alloc_init();
  /* nodes, keys, escaped strings, and a number longer than the parser's
   * stack copy for strtod */
  static const char valid[] =
      "{\"a\":[1,2.5,true,null,\"x\\n\\u00e9\\uD83D\\uDE00\"],\"\":{},"
      "\"b\":{\"c\":[[],\"\"]},\"n\":"
      "1.000000000000000000000000000000000000000000000000000000000000000000"
      "00000000000000000000000000000000000000000000000000000000000000001}";
  struct json_arg ok = {valid, SC_JSON_ERR_NOMEM, 0};
  every_allocation(json_parse_one, &ok, SC_ERR_NOMEM);

  static const char bad_end[] = "{\"a\":[1,\"xy\",{\"k\":2}],\"b\":tru}";
  struct json_arg bad = {bad_end, SC_JSON_ERR_UNEXPECTED, sizeof bad_end - 2};
  sc_alloc_fail_after(0);
  json_parse_faulty(&bad);
  unsigned long total = sc_alloc_fail_after(0);
  for (unsigned long n = 1; n <= total + 1; n++) {
    sc_alloc_fail_after(n);
    json_parse_faulty(&bad);
    sc_alloc_fail_after(0);
  }

  static const char lone_end[] = "[\"a\",{\"k\":[2,3]},\"\\uDC00\"]";
  struct json_arg lone = {lone_end, SC_JSON_ERR_SURROGATE,
                          (size_t)(strchr(lone_end, '\\') - lone_end)};
  sc_alloc_fail_after(0);
  json_parse_faulty(&lone);
  total = sc_alloc_fail_after(0);
  for (unsigned long n = 1; n <= total + 1; n++) {
    sc_alloc_fail_after(n);
    json_parse_faulty(&lone);
    sc_alloc_fail_after(0);
  }
}
