/* fuzz_escape.c — the report writers' escaping. The input fills one
 * check's strings and one exchange (what an endpoint, or a user's spec,
 * can put into a report): byte 0 picks verdict and flags, then fields
 * separated by 0xFF bytes, the last one running to the end as the body.
 * The fields also stand for the check's cause, blocked_by and one parser
 * deviation, the report's scope and one purchase (see build). The same
 * report is written as JUnit, TAP, JSON, Markdown, HTML and the console
 * summary, and each output is checked:
 *   - every output is valid UTF-8 with no control character but tab and
 *     newline (no NUL, no ANSI escape, no carriage return);
 *   - JUnit is well-formed XML (libxml2, no network, no entities);
 *   - JSON parses, and a message that was valid UTF-8 comes back equal;
 *   - HTML and Markdown (outside its code fences, which show text as it
 *     is) hold no tag and no "<script" that a report of harmless strings
 *     ("x") of the same shape does not hold, and every '&' in HTML starts
 *     a character reference. */
#include "fuzz.h"

#include "sc_escape.h"
#include "sc_report.h"

#include <cjson/cJSON.h>
#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { F_ID, F_ACTION, F_TAGS, F_REQ, F_DOC, F_SECTION, F_MESSAGE,
       F_EXPECTED, F_ACTUAL, F_CURL, F_METHOD, F_URL, F_REQBODY, F_CTYPE,
       F_TERROR, F_BODY, NFIELDS };

struct pieces {
  char *s[NFIELDS];
  size_t len[NFIELDS];
};

static void take(struct pieces *p, size_t f, const uint8_t *d, size_t n) {
  p->s[f] = malloc(n + 1);
  FZ_CHECK(p->s[f] != NULL, "out of memory");
  memcpy(p->s[f], d, n);
  p->s[f][n] = '\0';
  p->len[f] = n;
}

/* Fields up to each 0xFF; the last one present runs to the end (for the
 * body, 0xFF bytes included); the ones after it are absent (NULL). */
static void split(const uint8_t *data, size_t size, struct pieces *p) {
  size_t f = 0, start = 0;
  for (size_t i = 0; i < size && f < F_BODY; i++)
    if (data[i] == 0xFF) {
      take(p, f++, data + start, i - start);
      start = i + 1;
    }
  take(p, f++, data + start, size - start);
  for (; f < NFIELDS; f++) {
    p->s[f] = NULL;
    p->len[f] = 0;
  }
}

/* What the input fills besides the check's own strings: a deviation, an
 * unsupported action and a purchase. */
struct extra {
  struct sc_check_dev dev;
  char *scope[2];
  struct sc_spend spend;
};

static void build(struct sc_report *r, struct sc_check_result *c,
                  struct sc_exchange *ex, struct extra *x, struct pieces *p,
                  uint8_t flags) {
  memset(r, 0, sizeof *r);
  memset(c, 0, sizeof *c);
  memset(ex, 0, sizeof *ex);
  memset(x, 0, sizeof *x);
  ex->method = p->s[F_METHOD];
  ex->url = p->s[F_URL];
  ex->request_body = p->s[F_REQBODY];
  ex->content_type = p->s[F_CTYPE];
  ex->transport_error = (flags & 0x40) ? p->s[F_TERROR] : NULL;
  ex->body = p->s[F_BODY];
  ex->body_len = p->s[F_BODY] ? p->len[F_BODY] : 0;
  ex->body_truncated = (flags & 0x20) != 0;
  ex->status = 200;
  ex->ms = 1.5;
  c->id = p->s[F_ID];
  c->cat = (enum sc_cat)(flags % SC_CAT__COUNT);
  c->action = p->s[F_ACTION];
  c->tags = p->s[F_TAGS];
  c->requirement = p->s[F_REQ];
  c->doc = p->s[F_DOC];
  c->section = p->s[F_SECTION];
  c->verdict = (enum sc_verdict)((flags >> 3) % SC_VERDICT__COUNT);
  c->message = p->s[F_MESSAGE];
  c->expected = p->s[F_EXPECTED];
  c->actual = p->s[F_ACTUAL];
  c->curl = p->s[F_CURL];
  c->baseline = (flags & 0x80) != 0;
  c->ex = ex;
  c->nex = 1;
  c->ms = 2.0;
  /* the same strings again where the model has more: a BLOCKED check's
   * owner and the cause it shares, the parser's deviation, the HTTP
   * status, the scope and a purchase */
  c->cause = p->s[F_SECTION];
  c->blocked_by = (flags & 0x02) ? p->s[F_DOC] : NULL;
  c->http_status = (flags & 0x01) ? 404 : 200;
  x->dev.code = p->s[F_TAGS];
  x->dev.verdict = (enum sc_verdict)(flags % SC_VERDICT__COUNT);
  x->dev.offset = p->len[F_BODY];
  x->dev.message = p->s[F_EXPECTED];
  c->devs = &x->dev;
  c->ndevs = p->s[F_EXPECTED] ? 1 : 0;
  x->scope[0] = p->s[F_CTYPE];
  r->unsupported = x->scope;
  x->spend.what = p->s[F_REQBODY];
  x->spend.id = p->s[F_ID];
  x->spend.check = p->s[F_ACTION];
  x->spend.note = p->s[F_TERROR];
  x->spend.cost = 0.25;
  x->spend.cost_known = (flags & 0x01) != 0;
  x->spend.state = (enum sc_spend_state)(flags % SC_SPEND__COUNT);
  x->spend.refunded = (flags & 0x02) != 0;
  r->spend = &x->spend;
  r->nspend = 1;
  r->max_spend = (flags & 0x10) ? 1.0 : -1;
  r->tool = "smsconform fuzz";
  r->target = p->s[F_URL];
  r->profile = p->s[F_ACTION];
  r->started = "2026-01-01T00:00:00Z";
  r->seconds = 1.0;
  r->requests = 1;
  r->strict = (flags & 0x04) != 0;
  r->results = c;
  r->nresults = 1;
  sc_report_count(r);
}

typedef int (*writer_fn)(const struct sc_report *, FILE *);

/* The console summary, as `run` prints it when not on a terminal. */
static int console(const struct sc_report *r, FILE *out) {
  return sc_report_console(r, out, 0);
}

static char *render(writer_fn w, const struct sc_report *r, size_t *len) {
  char *buf = NULL;
  FILE *f = open_memstream(&buf, len);
  FZ_CHECK(f != NULL, "open_memstream failed");
  FZ_CHECK(w(r, f) == 0, "a writer failed on a memory stream");
  fclose(f);
  return buf;
}

/* Outside the writer's own <script> and <style> blocks, every '&' starts a
 * character reference. */
static void check_entities(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    static const char *const blocks[][2] = {{"<script", "</script>"},
                                            {"<style", "</style>"}};
    for (size_t b = 0; b < 2; b++) {
      size_t k = strlen(blocks[b][0]);
      if (n - i >= k && strncasecmp(s + i, blocks[b][0], k) == 0) {
        const char *end = NULL;
        for (size_t j = i; j + strlen(blocks[b][1]) <= n && !end; j++)
          if (strncasecmp(s + j, blocks[b][1], strlen(blocks[b][1])) == 0)
            end = s + j;
        FZ_CHECK(end != NULL, "HTML: %s without its end", blocks[b][0]);
        i = (size_t)(end - s);
      }
    }
    if (s[i] != '&')
      continue;
    size_t j = i + 1;
    if (j < n && s[j] == '#')
      j++;
    while (j < n && j - i < 12 &&
           ((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= 'A' && s[j] <= 'Z') ||
            (s[j] >= '0' && s[j] <= '9')))
      j++;
    FZ_CHECK(j < n && s[j] == ';' && j > i + 1,
             "HTML: a bare '&' at %zu: %.20s", i, s + i);
  }
}

static void check_json(const char *s, size_t n, const struct pieces *p) {
  cJSON *j = cJSON_ParseWithLength(s, n);
  FZ_CHECK(j != NULL, "the JSON report does not parse");
  const cJSON *res = cJSON_GetObjectItemCaseSensitive(j, "results");
  const cJSON *c0 = cJSON_GetArrayItem(res, 0);
  FZ_CHECK(c0 != NULL, "the JSON report lost its result");
  const char *msg = p->s[F_MESSAGE];
  if (msg && sc_utf8_check(msg, strlen(msg)) == (size_t)-1) {
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(c0, "message");
    FZ_CHECK(cJSON_IsString(m) && strcmp(m->valuestring, msg) == 0,
             "the JSON report changed the message");
  }
  cJSON_Delete(j);
}

static void check_xml(const char *s, size_t n) {
  xmlDocPtr doc = xmlReadMemory(s, (int)n, "junit.xml", NULL,
                                XML_PARSE_NONET | XML_PARSE_NOERROR |
                                    XML_PARSE_NOWARNING);
  FZ_CHECK(doc != NULL, "the JUnit report is not well-formed XML");
  xmlFreeDoc(doc);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  xmlInitParser();
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0)
    return 0;
  uint8_t flags = data[0];
  struct pieces p, x;
  split(data + 1, size - 1, &p);
  for (size_t f = 0; f < NFIELDS; f++) {
    x.s[f] = p.s[f] ? strdup("x") : NULL;
    x.len[f] = p.s[f] ? 1 : 0;
  }
  struct sc_report r, rx;
  struct sc_check_result c, cx;
  struct sc_exchange ex, exx;
  struct extra e, ex2;
  build(&r, &c, &ex, &e, &p, flags);
  build(&rx, &cx, &exx, &ex2, &x, flags);

  static const struct {
    const char *name;
    writer_fn fn;
  } writers[] = {{"JUnit", sc_report_junit}, {"TAP", sc_report_tap},
                 {"JSON", sc_report_json},   {"Markdown", sc_report_markdown},
                 {"HTML", sc_report_html},   {"console", console}};
  for (size_t w = 0; w < sizeof writers / sizeof *writers; w++) {
    size_t n, rn;
    char *out = render(writers[w].fn, &r, &n);
    fz_clean_text(writers[w].name, out, n);
    if (w == 0)
      check_xml(out, n);
    if (w == 2)
      check_json(out, n, &p);
    if (w == 3 || w == 4) {
      char *ref = render(writers[w].fn, &rx, &rn);
      fz_same_markup(writers[w].name, w == 3, out, n, ref, rn);
      free(ref);
    }
    if (w == 4)
      check_entities(out, n);
    free(out);
  }
  for (size_t f = 0; f < NFIELDS; f++) {
    free(p.s[f]);
    free(x.s[f]);
  }
  return 0;
}
