/* fuzz_compare.c — `smsconform compare`'s reader and writers: the input is
 * a JSON report file (schema smsconform-report/2 or /1, as `run --json`
 * writes it), untrusted twice over (a user's file, holding what endpoints
 * sent). It is either read, or refused with a message; a report that is
 * read is compared with itself under a second name and written as HTML,
 * Markdown and JSON:
 *   - every output is valid UTF-8 with no control character but tab and
 *     newline;
 *   - the comparison's JSON parses;
 *   - the HTML, and the Markdown outside code fences, hold no tag and no
 *     "<script" that the comparison of the same report with every string
 *     made harmless ("x") does not hold. */
#include "fuzz.h"

#include "sc_alloc.h"
#include "sc_compare.h"
#include "sc_escape.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef int (*writer_fn)(const struct sc_compare *, FILE *, unsigned);

static char *render(writer_fn w, const struct sc_compare *c, size_t *len) {
  char *buf = NULL;
  FILE *f = open_memstream(&buf, len);
  FZ_CHECK(f != NULL, "open_memstream failed");
  FZ_CHECK(w(c, f, 0) == 0, "a writer failed on a memory stream");
  fclose(f);
  return buf;
}

static void harmless(char **s) {
  if (*s) {
    sc_free(*s);
    *s = sc_strdup("x");
    FZ_CHECK(*s != NULL, "out of memory");
  }
}

/* Every string of |r| that came from the file becomes "x" (ids "x<n>",
 * which must stay distinct). */
static void make_harmless(struct sc_report *r) {
  harmless(&r->tool);
  harmless(&r->target);
  harmless(&r->profile);
  harmless(&r->started);
  for (size_t i = 0; i < r->nresults; i++) {
    struct sc_check_result *c = &r->results[i];
    if (c->id) {
      sc_free(c->id);
      char id[32];
      snprintf(id, sizeof id, "x%zu", i);
      c->id = sc_strdup(id);
      FZ_CHECK(c->id != NULL, "out of memory");
    }
    char **f[] = {&c->action,  &c->tags,    &c->requirement, &c->doc,
                  &c->section, &c->message, &c->expected,    &c->actual,
                  &c->curl,    &c->cause,   &c->blocked_by};
    for (size_t k = 0; k < sizeof f / sizeof *f; k++)
      harmless(f[k]);
    for (size_t k = 0; k < c->ndevs; k++) {
      harmless(&c->devs[k].code);
      harmless(&c->devs[k].message);
    }
    for (size_t k = 0; k < c->nex; k++) {
      struct sc_exchange *e = &c->ex[k];
      char **g[] = {&e->method,       &e->url,          &e->request_body,
                    &e->request_auth, &e->content_type, &e->body,
                    &e->transport_error};
      for (size_t m = 0; m < sizeof g / sizeof *g; m++)
        harmless(g[m]);
      e->body_len = e->body ? 1 : 0;
    }
  }
  for (size_t i = 0; i < r->nspend; i++) {
    harmless(&r->spend[i].what);
    harmless(&r->spend[i].id);
    harmless(&r->spend[i].check);
    harmless(&r->spend[i].note);
  }
  for (size_t i = 0; r->unsupported && r->unsupported[i]; i++)
    harmless(&r->unsupported[i]);
}

/* A comparison of the report in |text| with itself (|safe|: made
 * harmless first). NULL when the report is refused. */
static struct sc_compare *compare_of(const uint8_t *text, size_t len,
                                     int safe) {
  struct sc_compare *c = sc_compare_new();
  FZ_CHECK(c != NULL, "out of memory");
  static const char *const names[] = {"vendor-a", "vendor-b"};
  for (size_t v = 0; v < 2; v++) {
    struct sc_report rep;
    char err[256] = "";
    if (sc_compare_parse((const char *)text, len, &rep, err, sizeof err)) {
      FZ_CHECK(err[0] != '\0', "a report refused without a message");
      FZ_CHECK(rep.nresults == 0 && rep.results == NULL,
               "a refused report keeps results");
      sc_compare_destroy(c);
      return NULL;
    }
    if (safe)
      make_harmless(&rep);
    if (sc_compare_add(c, names[v], NULL, NULL, &rep, err, sizeof err)) {
      FZ_CHECK(err[0] != '\0', "a report not added, without a message");
      sc_compare_destroy(c);
      return NULL;
    }
  }
  return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct sc_compare *c = compare_of(data, size, 0);
  if (!c)
    return 0;
  struct sc_compare *ref = compare_of(data, size, 1);
  FZ_CHECK(ref != NULL, "the harmless copy cannot be compared");
  FZ_CHECK(sc_compare_nvendors(c) == 2, "%zu vendors",
           sc_compare_nvendors(c));
  size_t n, rn;
  char *out = render(sc_compare_json, c, &n);
  fz_clean_text("JSON", out, n);
  cJSON *j = cJSON_ParseWithLength(out, n);
  FZ_CHECK(j != NULL, "the comparison's JSON does not parse");
  cJSON_Delete(j);
  free(out);
  static const struct {
    const char *name;
    writer_fn fn;
  } w[] = {{"HTML", sc_compare_html}, {"Markdown", sc_compare_markdown}};
  for (size_t k = 0; k < 2; k++) {
    out = render(w[k].fn, c, &n);
    char *r = render(w[k].fn, ref, &rn);
    fz_clean_text(w[k].name, out, n);
    fz_same_markup(w[k].name, k == 1, out, n, r, rn);
    free(out);
    free(r);
  }
  sc_compare_destroy(ref);
  sc_compare_destroy(c);
  return 0;
}
