/* fuzz_pattern.c — the typed-pattern matcher on its own: the input is a
 * pattern in the spec's notation ("ACCESS_NUMBER:{activationId:id}:{phone:
 * msisdn}"), a newline, and the bytes that follow the token's name in an
 * answer. A pattern that compiles is matched against the bytes; when the
 * match finds neither a literal out of place nor a variant, the literals
 * and the field values put back together must give the bytes exactly. */
#include "fuzz.h"

#include "sc_alloc.h"
#include "sc_parse_int.h"
#include "sc_spec.h"

#include <stdlib.h>
#include <string.h>

static int is_name_byte(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static int has(const struct sc_result *r, enum sc_dev code) {
  for (size_t i = 0; i < r->ndevs; i++)
    if (r->devs[i].code == code)
      return 1;
  return 0;
}

static void check_roundtrip(const struct sc_token *t, const char *body,
                            size_t len, const struct sc_result *r) {
  size_t off = 0, field = 0;
  for (size_t i = 0; i < t->nsegs; i++) {
    const struct sc_seg *sg = &t->segs[i];
    const char *p;
    size_t n;
    if (sg->is_field) {
      FZ_CHECK(field < r->nfields, "segment %zu: field %s not recorded", i,
               sg->name);
      FZ_CHECK(strcmp(r->fields[field].name, sg->name) == 0,
               "field %zu is %s, segment %zu names %s", field,
               r->fields[field].name, i, sg->name);
      p = r->fields[field].value.ptr;
      n = r->fields[field].value.len;
      FZ_CHECK(p == body + off, "field %s starts at %zu, not at %zu",
               sg->name, (size_t)(p - body), off);
      field++;
    } else {
      p = sg->lit;
      n = sg->lit_len;
    }
    FZ_CHECK(n <= len - off && memcmp(body + off, p, n) == 0,
             "segment %zu does not rebuild the bytes at %zu", i, off);
    off += n;
  }
  FZ_CHECK(off == len, "the segments rebuild %zu of %zu bytes", off, len);
  FZ_CHECK(field == r->nfields, "%zu fields recorded, %zu rebuilt",
           r->nfields, field);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const uint8_t *nl = memchr(data, '\n', size);
  if (!nl)
    return 0;
  size_t plen = (size_t)(nl - data);
  char *pattern = malloc(plen + 1);
  if (!pattern)
    return 0;
  memcpy(pattern, data, plen);
  pattern[plen] = '\0';
  size_t nlen = 0;
  while (nlen < plen && is_name_byte(pattern[nlen]))
    nlen++;
  if (nlen == 0 || memchr(pattern, '\0', plen)) {
    free(pattern);
    return 0;
  }
  char *name = malloc(nlen + 1);
  if (!name) {
    free(pattern);
    return 0;
  }
  memcpy(name, pattern, nlen);
  name[nlen] = '\0';
  struct sc_token t;
  memset(&t, 0, sizeof t);
  t.name = name;
  t.name_len = nlen;
  const char *why = sc_token_compile(&t, pattern);
  if (why) {
    FZ_CHECK(why[0] != '\0', "a compile error without a message");
  } else {
    FZ_CHECK(t.nsegs <= SC_MAX_SEGS, "%zu segments", t.nsegs);
    const char *body = (const char *)nl + 1;
    size_t len = size - plen - 1;
    struct sc_result r;
    memset(&r, 0, sizeof r);
    r.form = -1;
    sc_match_pattern(&t, body, body, body + len, &r);
    struct sc_input in = {.action = "fuzz", .body = body, .body_len = len};
    fz_check_result(&in, &r);
    for (size_t i = 1; i < r.nfields; i++)
      FZ_CHECK(r.fields[i].value.ptr >=
                   r.fields[i - 1].value.ptr + r.fields[i - 1].value.len,
               "fields %zu and %zu overlap or go backwards", i - 1, i);
    if (!has(&r, SC_DEV_PATTERN) && !has(&r, SC_DEV_FIELD_VARIANT) &&
        r.nfields < SC_MAX_FIELDS)
      check_roundtrip(&t, body, len, &r);
  }
  sc_free(t.strings);
  free(name);
  free(pattern);
  return 0;
}
