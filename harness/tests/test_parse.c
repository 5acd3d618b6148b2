/* test_parse.c — tests for sc_parse.c: every example answer quoted in the
 * five source documents (../shared/seeds/), every error token they list for
 * an action, and hostile bodies a vendor or a broken proxy may send.
 *
 * One row a case. Each row names the document and the section it comes
 * from, or says why a trap exists. Every body is handed to sc_parse() in a
 * heap buffer of exactly its length (no terminating NUL), so an over-read by
 * one byte is an AddressSanitizer error, not a silent pass. Bodies carry an
 * explicit length so they may hold NUL bytes. */
#include <smsconform/smsconform.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse_cases.h"

#define NCASES (sizeof(cases) / sizeof(cases[0]))

static struct sc_spec *spec;

/* Loads the embedded spec; a spec that does not load fails every row. */
static void load_spec(void) {
  enum sc_err err = SC_ERR_OK;
  char *diag = NULL;

  spec = sc_spec_new(NULL, &err, &diag);
  if (!spec)
    cr_log_error("sc_spec_new: %s\n%s", sc_strerror(err), diag ? diag : "");
  sc_spec_free_diag(diag);
  cr_assert_not_null(spec, "the embedded spec does not load");
}

static void unload_spec(void) {
  sc_spec_destroy(spec);
  spec = NULL;
}

/* Writes |p|[0..|n|) into |out| with C escapes for unprintable bytes, cut
 * to fit; for messages that name a row by its body. */
static const char *shown(char *out, size_t size, const char *p, size_t n) {
  size_t o = 0;

  for (size_t i = 0; i < n && o + 5 < size; i++) {
    unsigned char c = (unsigned char)p[i];
    if (c == '\n')
      o += (size_t)snprintf(out + o, size - o, "\\n");
    else if (c == '\r')
      o += (size_t)snprintf(out + o, size - o, "\\r");
    else if (c == '\\' || c == '"')
      o += (size_t)snprintf(out + o, size - o, "\\%c", c);
    else if (c < 0x20 || c >= 0x7f)
      o += (size_t)snprintf(out + o, size - o, "\\x%02x", c);
    else
      out[o++] = (char)c;
  }
  if (o + 5 >= size && size > 4)
    memcpy(out + size - 4, "...", 4);
  else
    out[o] = '\0';
  return out;
}

/* Returns a heap copy of exactly |len| bytes of |body| (NULL when |len| is
 * 0, as struct sc_input allows), so ASan sees any read past the end. The
 * caller frees it after the result's spans are no longer used. */
static char *heap_copy(const char *body, size_t len) {
  char *copy;

  if (len == 0)
    return NULL;
  copy = malloc(len);
  cr_assert_not_null(copy);
  memcpy(copy, body, len);
  return copy;
}

/* Invariants that hold for every result, whatever the body. */
static void check_invariants(const struct sc_result *r, size_t len,
                             const char *what) {
  enum sc_verdict worst = SC_VERDICT_PASS;

  cr_expect_leq(r->ndevs, (size_t)SC_MAX_DEVIATIONS, "%s: ndevs", what);
  cr_expect_leq(r->nfields, (size_t)SC_MAX_FIELDS, "%s: nfields", what);
  for (size_t i = 0; i < r->ndevs && i < SC_MAX_DEVIATIONS; i++) {
    const struct sc_deviation *d = &r->devs[i];
    cr_expect_leq(d->offset, len, "%s: %s at offset %zu past length %zu",
                  what, sc_dev_name(d->code), d->offset, len);
    cr_expect_eq(d->verdict, sc_dev_verdict(d->code),
                 "%s: %s carries verdict %s, its list says %s", what,
                 sc_dev_name(d->code), sc_verdict_name(d->verdict),
                 sc_verdict_name(sc_dev_verdict(d->code)));
    cr_expect(r->verdict != SC_VERDICT_PASS || d->verdict != SC_VERDICT_FAIL,
              "%s: PASS with a FAIL deviation %s", what,
              sc_dev_name(d->code));
    if (d->verdict > worst)
      worst = d->verdict;
  }
  if (r->ndevs_dropped == 0)
    cr_expect_eq(r->verdict, worst, "%s: verdict %s, worst deviation %s",
                 what, sc_verdict_name(r->verdict), sc_verdict_name(worst));
  else
    cr_expect_geq(r->verdict, worst, "%s: verdict below its deviations",
                  what);
  for (size_t i = 0; i < r->nfields && i < SC_MAX_FIELDS; i++) {
    const struct sc_field *f = &r->fields[i];
    cr_expect_not_null(f->name, "%s: field %zu has no name", what, i);
    cr_expect(f->value.len == 0 || f->value.ptr != NULL, "%s: field %s",
              what, f->name);
  }
  if (r->token) {
    cr_expect_not_null(sc_token_name(r->token), "%s: token name", what);
    cr_expect_not_null(sc_token_kind(r->token), "%s: token kind", what);
  }
}

/* The parameters are row indices, not rows: Criterion runs each test in a
 * fresh process whose (PIE, ASLR) addresses differ from the parent's, so
 * the pointers inside a copied row would dangle. An index is looked up in
 * the worker's own |cases|. */
static void free_params(struct criterion_test_params *p) {
  cr_free(p->params);
}

ParameterizedTestParameters(parse, documents) {
  size_t *idx = cr_malloc(NCASES * sizeof(*idx));

  cr_assert_not_null(idx);
  for (size_t i = 0; i < NCASES; i++)
    idx[i] = i;
  return cr_make_param_array(size_t, idx, NCASES, free_params);
}

ParameterizedTest(size_t *row, parse, documents, .init = load_spec,
                  .fini = unload_spec) {
  const struct parse_case *c = &cases[*row];
  struct sc_input in = {0};
  struct sc_result r;
  char what[200];
  char *copy = heap_copy(c->body, c->len);
  enum sc_err rc;

  {
    char b[140];
    snprintf(what, sizeof(what), "row %zu \"%s\"", *row,
             shown(b, sizeof(b), c->body, c->len));
  }
  in.action = c->action;
  in.profile = c->profile;
  in.http_status = c->http_status;
  in.content_type = c->content_type;
  in.body = copy;
  in.body_len = c->len;

  rc = sc_parse(spec, &in, &r);
  cr_assert_eq(rc, SC_ERR_OK, "%s (%s/%s): sc_parse: %s", what,
               c->action, c->profile ? c->profile : "reference",
               sc_err_name(rc));

  if (c->kind != SC_KIND_ANY)
    cr_expect_eq(r.kind, (enum sc_kind)c->kind, "%s: kind %s, want %s",
                 what, sc_kind_name(r.kind),
                 sc_kind_name((enum sc_kind)c->kind));
  cr_expect_eq(r.verdict, c->verdict, "%s (%s): verdict %s, want %s",
               what, c->action, sc_verdict_name(r.verdict),
               sc_verdict_name(c->verdict));
  if (c->token) {
    cr_expect_not_null(r.token, "%s: no token, want %s", what, c->token);
    if (r.token)
      cr_expect_str_eq(sc_token_name(r.token), c->token,
                       "%s: token %s, want %s", what,
                       sc_token_name(r.token), c->token);
  } else {
    cr_expect_null(r.token, "%s: token %s, want none", what,
                   r.token ? sc_token_name(r.token) : "");
  }

  if (c->field) {
    const struct sc_field *f = NULL;
    size_t vlen = strlen(c->value);
    for (size_t i = 0; i < r.nfields && i < SC_MAX_FIELDS; i++)
      if (r.fields[i].name && strcmp(r.fields[i].name, c->field) == 0)
        f = &r.fields[i];
    cr_expect_not_null(f, "%s: no field %s", what, c->field);
    if (f) {
      char got[80];
      /* The span must lie inside the caller's body. */
      cr_expect(f->value.len == 0 ||
                    (f->value.ptr >= copy &&
                     f->value.ptr + f->value.len <= copy + c->len),
                "%s: field %s points outside the body", what, c->field);
      cr_expect(f->value.len == vlen &&
                    memcmp(f->value.ptr, c->value, vlen) == 0,
                "%s: field %s is %s, want %s", what, c->field,
                shown(got, sizeof(got), f->value.ptr, f->value.len),
                c->value);
    }
  }

  if (c->dev != NO_DEV) {
    const struct sc_deviation *d = NULL;
    for (size_t i = 0; i < r.ndevs && i < SC_MAX_DEVIATIONS; i++)
      if ((int)r.devs[i].code == c->dev) {
        d = &r.devs[i];
        break;
      }
    cr_expect_not_null(d, "%s: no deviation %s", what,
                       sc_dev_name((enum sc_dev)c->dev));
    if (d && c->dev_off != ANY_OFF)
      cr_expect_eq(d->offset, (size_t)c->dev_off,
                   "%s: %s at offset %zu, want %ld", what,
                   sc_dev_name(d->code), d->offset, c->dev_off);
  }

  check_invariants(&r, c->len, what);
  sc_result_free(&r);
  free(copy);
}

/* 1 MB of 'A': no token, no JSON, no crash, and nothing read past the end.
 * Built at run time, too big for the table. */
Test(parse, one_megabyte_of_A, .init = load_spec, .fini = unload_spec) {
  const size_t len = 1024 * 1024;
  char *body = malloc(len);
  struct sc_input in = {0};
  struct sc_result r;

  cr_assert_not_null(body);
  memset(body, 'A', len);
  in.action = "getBalance";
  in.http_status = 200;
  in.body = body;
  in.body_len = len;
  cr_assert_eq(sc_parse(spec, &in, &r), SC_ERR_OK);
  cr_expect_eq(r.verdict, SC_VERDICT_FAIL, "1 MB of 'A': verdict %s",
               sc_verdict_name(r.verdict));
  cr_expect_eq(r.kind, SC_KIND_NOT_PROTOCOL, "1 MB of 'A': kind %s",
               sc_kind_name(r.kind));
  cr_expect_null(r.token, "1 MB of 'A': a token");
  check_invariants(&r, len, "1 MB of 'A'");
  sc_result_free(&r);
  free(body);
}

/* Names the spec does not know are library errors, not results. */
Test(parse, unknown_names, .init = load_spec, .fini = unload_spec) {
  struct sc_input in = {0};
  struct sc_result r;

  in.body = "BAD_KEY";
  in.body_len = 7;
  in.action = "noSuchAction";
  cr_expect_eq(sc_parse(spec, &in, &r), SC_ERR_NO_ACTION);
  sc_result_free(&r);
  in.action = "getBalance";
  in.profile = "noSuchVendor";
  cr_expect_eq(sc_parse(spec, &in, &r), SC_ERR_NO_PROFILE);
  sc_result_free(&r);
  /* 003 Action Reference: SMSBulk offers seven calls, no rent */
  in.action = "getRentList";
  in.profile = "smsbulk";
  cr_expect_eq(sc_parse(spec, &in, &r), SC_ERR_NOT_IN_PROFILE);
  sc_result_free(&r);
}
