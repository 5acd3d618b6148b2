/* test_alloc.c — sc_alloc.c: failing the Nth allocation, for every N (or a
 * stride of them past the first few hundred), in the spec loader and the
 * parser. Each call must return an error or succeed; never crash. Leaks are
 * caught by LeakSanitizer in the ASan+UBSan build. */
#include "sc_alloc.h"
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
      {"getRentStatus", NULL, "{\"status\":\"error\",\"message\":\"NO_ID_RENT\"}"},
      {"getNumberV2", NULL, "{\"activationId\":\"abc\"}"},
  };
  for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
    struct parse_arg a = {s, bodies[i][0], bodies[i][1], bodies[i][2]};
    every_allocation(parse_one, &a, SC_ERR_NOMEM);
  }
  sc_spec_destroy(s);
}
