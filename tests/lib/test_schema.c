/* test_schema.c — tests for sc_schema.c's compiled shapes: matching with
 * the table the spec compiles at load answers exactly what matching
 * without it answers (FAIL count, verdict, every deviation's code, offset
 * and message), for every JSON body of the parser's case table against
 * every JSON schema of every view, and for hand-written schemas whose
 * nodes the table holds only in part (the per-call fallback). */
#include "sc_json.h"
#include "sc_parse_int.h"
#include "sc_schema.h"
#include "sc_spec.h"

#include <criterion/criterion.h>

#include <stdio.h>
#include <string.h>

#include "parse_cases.h"

#define NCASES (sizeof(cases) / sizeof(cases[0]))

static struct sc_spec *load(void) {
  enum sc_err e;
  struct sc_spec *s = sc_spec_new(NULL, &e, NULL);
  cr_assert_not_null(s, "the embedded spec loads");
  return s;
}

/* Matches |v| (parsed from |body|) against |schema| with and without
 * |shapes| and expects the same answer; returns the FAIL count. */
static size_t same_match(const cJSON *schema, const cJSON *v,
                         const char *body, size_t len,
                         const struct sc_schema_shapes *shapes,
                         const char *what) {
  static struct sc_result a, b;
  memset(&a, 0, sizeof a);
  memset(&b, 0, sizeof b);
  size_t fa = sc_schema_match(schema, v, body, len, &a, NULL);
  size_t fb = sc_schema_match(schema, v, body, len, &b, shapes);
  cr_assert_eq(fa, fb, "%s: FAILs %zu without the table, %zu with", what,
               fa, fb);
  cr_assert_eq(sc_schema_match(schema, v, body, len, NULL, shapes), fa,
               "%s: counting only", what);
  cr_assert_eq(a.verdict, b.verdict, "%s: verdict", what);
  cr_assert_eq(a.ndevs, b.ndevs, "%s: deviations", what);
  cr_assert_eq(a.ndevs_dropped, b.ndevs_dropped, "%s: dropped", what);
  for (size_t i = 0; i < a.ndevs; i++) {
    cr_assert_eq(a.devs[i].code, b.devs[i].code, "%s: dev %zu code", what,
                 i);
    cr_assert_eq(a.devs[i].offset, b.devs[i].offset, "%s: dev %zu offset",
                 what, i);
    cr_assert_str_eq(a.devs[i].message, b.devs[i].message,
                     "%s: dev %zu message", what, i);
  }
  return fa;
}

/* The JSON text of row |c|: from its first '{' or '[' to the end. */
static cJSON *case_json(const struct parse_case *c, const char **p,
                        size_t *n) {
  const char *b = c->body, *e = c->body + c->len;
  while (b < e && *b != '{' && *b != '[')
    b++;
  struct sc_json_error err;
  *p = b;
  *n = (size_t)(e - b);
  return b < e ? sc_json_parse(b, *n, &err) : NULL;
}

Test(schema_shapes, every_view_schema_is_compiled) {
  struct sc_spec *s = load();
  cr_assert_not_null(s->shapes);
  size_t views = 0;
  for (size_t p = 0; p < s->nprofiles; p++) {
    for (size_t a = 0; a < s->nactions; a++) {
      struct sc_view v;
      if (sc_spec_view(s, s->actions[a].name, s->profiles[p].name, &v) ||
          !v.ix)
        continue;
      views++;
      cr_assert_eq(v.ix->shapes, s->shapes, "one table for the spec");
      for (size_t k = 0; k < v.ix->nschemas; k++)
        cr_assert(sc_schema_shapes_has(v.ix->shapes, v.ix->schemas[k]),
                  "%s/%s schema %zu", s->profiles[p].name,
                  s->actions[a].name, k);
    }
  }
  cr_assert_gt(views, 0);
  cr_assert_gt(sc_schema_shapes_count(s->shapes), views / 4);
  sc_spec_destroy(s);
}

/* Every JSON body of the case table against every schema of every view:
 * far more pairs than sc_parse ever ranks, so every kind of deviation
 * (type, variant, missing, shape, unlisted) is met. */
Test(schema_shapes, compiled_match_equals_per_call_match) {
  struct sc_spec *s = load();
  size_t pairs = 0, failing = 0;
  for (size_t i = 0; i < NCASES; i++) {
    const char *p;
    size_t n;
    cJSON *j = case_json(&cases[i], &p, &n);
    if (!j)
      continue;
    for (size_t pr = 0; pr < s->nprofiles; pr++) {
      for (size_t a = 0; a < s->nactions; a++) {
        struct sc_view v;
        if (sc_spec_view(s, s->actions[a].name, s->profiles[pr].name, &v) ||
            !v.ix)
          continue;
        for (size_t k = 0; k < v.ix->nschemas; k++) {
          char what[160];
          snprintf(what, sizeof what, "row %zu vs %s/%s schema %zu", i,
                   s->profiles[pr].name, s->actions[a].name, k);
          failing += same_match(v.ix->schemas[k], j, p, n, v.ix->shapes,
                                what) > 0;
          pairs++;
        }
      }
    }
    cJSON_Delete(j);
  }
  cr_assert_gt(pairs, 1000);
  cr_assert_gt(failing, 0);
  sc_spec_destroy(s);
}

/* Hand-written schemas (checked by sc_schema_check first) and bodies that
 * fit, fit as variants, or not. */
static const char *const schemas[] = {
    "{\"object\":{\"id\":\"id\",\"cost\":\"decimal as string\","
    "\"when?\":\"datetime\",\"flag?\":\"bool01\"},\"closed\":true}",
    "{\"map\":{\"array\":{\"object\":{\"n\":\"int\"}},\"min\":1},"
    "\"keys\":\"id\"}",
    "{\"oneOf\":[{\"object\":{\"status\":{\"const\":\"ok\"}}},"
    "{\"array\":\"msisdn\"},{\"enum\":[\"A\",\"B\"],\"open\":true}]}",
    "{\"map\":\"currency\",\"keys\":\"decimal\"}",
    "{\"object\":{\"id\":{\"nullable\":\"id\"},\"cost?\":{\"nullable\":"
    "{\"array\":\"decimal\"},\"null\":\"warn\"}}}",
    "{\"nullable\":{\"oneOf\":[{\"array\":\"msisdn\"},\"text\"]},"
    "\"null\":\"pass\"}",
};

static const char *const bodies[] = {
    "{\"id\":1,\"cost\":\"1.5\",\"when\":\"2026-01-02 03:04:05\"}",
    ("{\"id\":\"1\",\"cost\":1.5,\"when\":\"2026-01-02T03:04:05Z\","
     "\"flag\":true,\"extra\":0}"),
    "{\"cost\":[],\"flag\":\"2\"}",
    "{\"12\":[{\"n\":1},{\"n\":\"2\"}],\"x\":[],\"7\":{}}",
    "{\"status\":\"ok\"}",
    "[\"79990001122\",\"+79990001122\",7999000112,\"79**0001122\"]",
    "\"C\"",
    "[]",
    "{\"1.5\":643,\"x\":\"840\",\"2\":\"12\"}",
    "null",
    "{\"id\":null,\"cost\":null}",
    "{\"id\":\"7\",\"cost\":[\"1.5\",null]}",
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

Test(schema_shapes, partial_table_falls_back_per_call) {
  for (size_t i = 0; i < N(schemas); i++) {
    cJSON *sch = cJSON_Parse(schemas[i]);
    cr_assert_not_null(sch);
    char msg[160], path[160];
    cr_assert(sc_schema_check(sch, msg, sizeof msg, path, sizeof path),
              "schema %zu: %s at %s", i, msg, path);
    /* the whole schema, the first subschema only (the root and its
     * siblings are looked up per call), and an empty table */
    const cJSON *inner = sch->child ? sch->child->child : NULL;
    const cJSON *whole[] = {sch};
    const cJSON *part[] = {inner ? inner : sch};
    struct sc_schema_shapes *tw = sc_schema_compile(whole, 1);
    struct sc_schema_shapes *tp = sc_schema_compile(part, 1);
    struct sc_schema_shapes *te = sc_schema_compile(NULL, 0);
    cr_assert(tw && tp && te);
    cr_assert(sc_schema_shapes_has(tw, sch));
    cr_assert_eq(sc_schema_shapes_count(te), 0);
    for (size_t b = 0; b < N(bodies); b++) {
      cJSON *v = cJSON_Parse(bodies[b]);
      cr_assert_not_null(v);
      char what[64];
      size_t n = strlen(bodies[b]);
      snprintf(what, sizeof what, "schema %zu body %zu whole", i, b);
      same_match(sch, v, bodies[b], n, tw, what);
      snprintf(what, sizeof what, "schema %zu body %zu part", i, b);
      same_match(sch, v, bodies[b], n, tp, what);
      snprintf(what, sizeof what, "schema %zu body %zu empty", i, b);
      same_match(sch, v, bodies[b], n, te, what);
      cJSON_Delete(v);
    }
    sc_schema_shapes_free(tw);
    sc_schema_shapes_free(tp);
    sc_schema_shapes_free(te);
    cJSON_Delete(sch);
  }
  sc_schema_shapes_free(NULL);
}

/* ---- nullable ---- */

/* |body| against |schema|: the FAIL count, and the verdict and first
 * deviation in |r|. */
static size_t match_text(const char *schema, const char *body,
                         struct sc_result *r) {
  cJSON *sch = cJSON_Parse(schema), *v = cJSON_Parse(body);
  char msg[160], path[160];
  cr_assert(sch && v);
  cr_assert(sc_schema_check(sch, msg, sizeof msg, path, sizeof path),
            "%s: %s at %s", schema, msg, path);
  memset(r, 0, sizeof *r);
  size_t fails = sc_schema_match(sch, v, body, strlen(body), r, NULL);
  cJSON_Delete(sch);
  cJSON_Delete(v);
  return fails;
}

Test(schema_nullable, null_is_pass_or_warn_never_fail) {
  static struct sc_result r;
  /* null where nullable: PASS */
  cr_expect_eq(match_text("{\"object\":{\"code\":{\"nullable\":\"text\"}}}",
                          "{\"code\":null}", &r), 0);
  cr_expect_eq(r.verdict, SC_VERDICT_PASS);
  cr_expect_eq(r.ndevs, 0);
  /* ... explicitly "pass" */
  cr_expect_eq(match_text("{\"nullable\":\"text\",\"null\":\"pass\"}", "null",
                          &r), 0);
  cr_expect_eq(r.verdict, SC_VERDICT_PASS);
  /* "null": "warn": a JSON_VARIANT at the null, naming what the documents
   * show */
  cr_expect_eq(match_text("{\"object\":{\"sms\":{\"nullable\":{\"object\":"
                          "{\"code\":\"text\"}},\"null\":\"warn\"}}}",
                          "{\"sms\": null}", &r), 0);
  cr_expect_eq(r.verdict, SC_VERDICT_WARN);
  cr_assert_eq(r.ndevs, 1);
  cr_expect_eq(r.devs[0].code, SC_DEV_JSON_VARIANT);
  cr_expect_eq(r.devs[0].offset, 8);
  cr_expect_str_eq(r.devs[0].message,
                   "$.sms: null where the documents show an object; vendors "
                   "send null for a value that does not exist yet");
  /* anything else is matched against the inner schema: a variant stays a
   * variant, a wrong type a FAIL */
  cr_expect_eq(match_text("{\"nullable\":\"id\"}", "\"12\"", &r), 0);
  cr_expect_eq(r.verdict, SC_VERDICT_WARN);
  cr_expect_eq(match_text("{\"nullable\":\"id\",\"null\":\"warn\"}", "[]", &r),
               1);
  cr_expect_eq(r.verdict, SC_VERDICT_FAIL);
  cr_expect_eq(r.devs[0].code, SC_DEV_JSON_TYPE);
  /* a plain type does not take null */
  cr_expect_eq(match_text("{\"object\":{\"code\":\"text\"}}",
                          "{\"code\":null}", &r), 1);
  cr_expect_eq(r.devs[0].code, SC_DEV_JSON_TYPE);
  /* inside oneOf, an exact fit beats a nullable WARN */
  cr_expect_eq(match_text("{\"oneOf\":[{\"nullable\":\"text\",\"null\":"
                          "\"warn\"},\"null\"]}",
                          "null", &r), 0);
  cr_expect_eq(r.verdict, SC_VERDICT_PASS);
}

Test(schema_nullable, check_rejects_misuse) {
  static const struct {
    const char *schema, *msg, *path;
  } bad[] = {
      {"{\"nullable\":\"text\",\"null\":\"maybe\"}",
       "\"null\" is \"pass\" or \"warn\", and only with \"nullable\"", ""},
      {"{\"array\":\"text\",\"null\":\"warn\"}",
       "\"null\" is \"pass\" or \"warn\", and only with \"nullable\"", ""},
      {"{\"nullable\":\"text\",\"null\":true}",
       "\"null\" is \"pass\" or \"warn\", and only with \"nullable\"", ""},
      {"{\"nullable\":\"nothing\"}",
       "unknown schema type (see specs/README.md)", ".nullable"},
      {"{\"nullable\":\"text\",\"array\":\"text\"}",
       "a schema object has exactly one of object, array, map, const, enum, "
       "oneOf, nullable",
       ""},
      {"{\"object\":{\"a\":{\"nullable\":{\"map\":\"int\",\"keys\":7}}}}",
       "\"keys\" names a type", ".object.a.nullable"},
  };
  for (size_t i = 0; i < N(bad); i++) {
    cJSON *s = cJSON_Parse(bad[i].schema);
    char msg[200], path[200];
    cr_assert_not_null(s);
    cr_expect_not(sc_schema_check(s, msg, sizeof msg, path, sizeof path),
                  "%s accepted", bad[i].schema);
    cr_expect_str_eq(msg, bad[i].msg, "%s", bad[i].schema);
    cr_expect_str_eq(path, bad[i].path, "%s", bad[i].schema);
    cJSON_Delete(s);
  }
}

/* The shipped spec uses nullable where specs/README.md says, and the
 * compiled table holds the inner schemas. */
Test(schema_nullable, shipped_views_compile_the_inner_schema) {
  struct sc_spec *s = load();
  struct sc_view v;
  cr_assert_eq(sc_spec_view(s, "getStatusV2", NULL, &v), SC_ERR_OK);
  const cJSON *sms = cJSON_GetObjectItemCaseSensitive(
      cJSON_GetObjectItemCaseSensitive(v.ix->schemas[0], "object"), "sms?");
  const cJSON *inner = cJSON_GetObjectItemCaseSensitive(sms, "nullable");
  cr_assert_not_null(inner, "getStatusV2 sms? is nullable");
  cr_expect(sc_schema_shapes_has(v.ix->shapes, sms));
  cr_expect(sc_schema_shapes_has(v.ix->shapes, inner));
  sc_spec_destroy(s);
}
