/* fuzz_roundtrip.c — a differential target: an answer that parses (kind
 * other than not_protocol) is written out again from the normalized
 * result, and the new body must parse to the same normalized result.
 *
 *   - JSON: the parsed tree printed by cJSON (numbers that cJSON cannot
 *     print back, infinities, are left out);
 *   - text: the token name, then the pattern's literals with the field
 *     values recorded between them.
 *
 * The normalized result is the kind, the token, the success form, the
 * field values, and the deviations other than those about layout, which a
 * re-written body drops by design (whitespace, BOM, quotes, a variant
 * space or quote in a text pattern). Server error text is found in the
 * bytes as sent, so where the layout changed it may change with it
 * ("panic: runtime error" across a variant space after ':'). */
#include "fuzz.h"

#include "sc_buf.h"
#include "sc_spec.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <string.h>

static int layout(enum sc_dev d) {
  return d == SC_DEV_WHITESPACE || d == SC_DEV_BOM || d == SC_DEV_QUOTED ||
         d == SC_DEV_FIELD_VARIANT;
}

static unsigned codes(const struct sc_result *r, unsigned *count) {
  memset(count, 0, SC_DEV__COUNT * sizeof *count);
  unsigned n = 0;
  for (size_t i = 0; i < r->ndevs; i++)
    if (!layout(r->devs[i].code)) {
      count[r->devs[i].code]++;
      n++;
    }
  return n;
}

static int has(const struct sc_result *r, enum sc_dev d) {
  for (size_t i = 0; i < r->ndevs; i++)
    if (r->devs[i].code == d)
      return 1;
  return 0;
}

static int printable(const cJSON *j) {
  for (; j; j = j->next) {
    if (cJSON_IsNumber(j) && !isfinite(j->valuedouble))
      return 0;
    if (!printable(j->child))
      return 0;
  }
  return 1;
}

static void compare(const struct sc_result *a, const struct sc_result *b,
                    const char *again, size_t alen) {
  FZ_CHECK(a->kind == b->kind, "kind %s, re-written %s: %.*s",
           sc_kind_name(a->kind), sc_kind_name(b->kind), (int)alen, again);
  FZ_CHECK(a->token == b->token, "token %s, re-written %s",
           a->token ? sc_token_name(a->token) : "none",
           b->token ? sc_token_name(b->token) : "none");
  FZ_CHECK(a->form == b->form, "form %d, re-written %d: %.*s", a->form,
           b->form, (int)alen, again);
  FZ_CHECK(a->nfields == b->nfields, "%zu fields, re-written %zu",
           a->nfields, b->nfields);
  for (size_t i = 0; i < a->nfields; i++)
    FZ_CHECK(a->fields[i].name == b->fields[i].name &&
                 a->fields[i].value.len == b->fields[i].value.len &&
                 memcmp(a->fields[i].value.ptr, b->fields[i].value.ptr,
                        a->fields[i].value.len) == 0,
             "field %s changed when re-written", a->fields[i].name);
  if (a->ndevs_dropped || b->ndevs_dropped)
    return;
  unsigned ca[SC_DEV__COUNT], cb[SC_DEV__COUNT];
  codes(a, ca);
  codes(b, cb);
  int relaid = 0;
  for (size_t i = 0; i < a->ndevs; i++)
    relaid |= layout(a->devs[i].code);
  for (size_t d = 0; d < SC_DEV__COUNT; d++)
    FZ_CHECK(ca[d] == cb[d] || (relaid && d == SC_DEV_SERVER_ERROR_TEXT),
             "%u %s deviations, re-written %u: %.*s", ca[d],
             sc_dev_name((enum sc_dev)d), cb[d], (int)alen, again);
}

/* The text answer rebuilt from |r|: 0, or -1 when it cannot be. */
static int rebuild_text(const struct sc_result *r, struct sc_buf *b) {
  const struct sc_token *t = r->token;
  sc_buf_adds(b, t->name);
  size_t field = 0;
  for (size_t i = 0; i < t->nsegs; i++) {
    const struct sc_seg *sg = &t->segs[i];
    if (!sg->is_field) {
      sc_buf_add(b, sg->lit, sg->lit_len);
    } else {
      if (field == r->nfields)
        return -1;
      sc_buf_add(b, r->fields[field].value.ptr, r->fields[field].value.len);
      field++;
    }
  }
  return b->err ? -1 : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct fz_input f;
  fz_split(data, size, FZ_ANY, &f);
  struct sc_result r;
  fz_parse_checked(&f.in, &r);
  if (r.kind == SC_KIND_NOT_PROTOCOL || has(&r, SC_DEV_PATTERN) ||
      r.nfields == SC_MAX_FIELDS) {
    sc_result_free(&r);
    return 0;
  }
  struct sc_buf b;
  sc_buf_init(&b, 1u << 24);
  int ok = 0;
  if (r.json) {
    if (printable(r.json)) {
      char *txt = cJSON_PrintUnformatted(r.json);
      if (txt) {
        sc_buf_adds(&b, txt);
        cJSON_free(txt);
        ok = !b.err;
      }
    }
  } else if (r.token && !has(&r, SC_DEV_TOKEN_CASE)) {
    ok = rebuild_text(&r, &b) == 0;
  }
  if (ok) {
    struct sc_input again = f.in;
    again.body = b.ptr ? b.ptr : "";
    again.body_len = b.len;
    struct sc_result r2;
    fz_parse_checked(&again, &r2);
    compare(&r, &r2, again.body, again.body_len);
    sc_result_free(&r2);
  }
  sc_buf_free(&b);
  sc_result_free(&r);
  return 0;
}
