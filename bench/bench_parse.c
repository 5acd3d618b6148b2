/* bench_parse.c — parser throughput: sc_parse() against bare cJSON.
 *
 * Corpus groups (each body is judged once first; a body whose verdict is
 * not the expected one stops the benchmark, so nothing is timed that the
 * parser does not accept):
 *   examples-text  every plain-text row of the parser's case table
 *                  (tests/lib/parse_cases.h) whose verdict is PASS or
 *                  WARN: the documented answers and error tokens;
 *   examples-json  the JSON rows of the same table, PASS or WARN;
 *   getPrices      a generated 001 getPrices body, COUNTRIES x SERVICES
 *                  {"cost","count"} entries, which must PASS;
 *   getPricesV3    a generated getPricesV3 body with providers in 000's
 *                  (KoalaSMS) form, PASS;
 *   getCountries   a generated getCountries body, PASS;
 *   getNumbersStatus  a generated "service_0": count map, PASS.
 *
 * For every JSON group the same bodies are timed through sc_parse() +
 * sc_result_free() and through cJSON_ParseWithLength() + cJSON_Delete()
 * alone; the ratio of the two is what the README reports. Time is the
 * thread's CPU time (CLOCK_THREAD_CPUTIME_ID), so figures are per core and
 * other work on the machine disturbs them little; each figure is the median
 * of |reps| runs of at least |min_ms| each, sc_parse and cJSON alternating.
 *
 * Usage: bench_parse [--reps N] [--min-ms MS] [--quick] [--only GROUP]
 * Output: one line per group and measure, "key value" pairs a script can
 * read (see bench/run.sh). */
#include <smsconform/smsconform.h>

#include "bench_util.h"
#include "sc_buf.h"

#include <cjson/cJSON.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "parse_cases.h"

#define NCASES (sizeof cases / sizeof cases[0])

/* 001 getPrices for every country and service: a realistic full answer
 * has about 190 countries and 700 services; the group keeps it to a size
 * a client fetches per request (one country list, all services). */
#define PRICES_COUNTRIES 20
#define PRICES_SERVICES 700
#define V3_COUNTRIES 10
#define V3_SERVICES 200
#define V3_PROVIDERS 3
#define COUNTRIES 200
#define STATUS_SERVICES 700

struct body {
  const char *action;
  const char *profile;
  int status;
  const char *ctype;
  char *ptr; /* heap copy of exactly len bytes */
  size_t len;
  enum sc_verdict want; /* PASS, or WARN for a table row */
};

struct group {
  const char *name;
  int json;
  struct body *b;
  size_t n, cap;
  size_t bytes;
};

static void die(const char *msg) {
  fprintf(stderr, "bench_parse: %s\n", msg);
  exit(1);
}

static void group_add(struct group *g, const char *action, const char *profile,
                      int status, const char *ctype, const char *p, size_t n,
                      enum sc_verdict want) {
  if (g->n == g->cap) {
    g->cap = g->cap ? g->cap * 2 : 64;
    g->b = realloc(g->b, g->cap * sizeof *g->b);
    if (!g->b)
      die("out of memory");
  }
  struct body *b = &g->b[g->n++];
  b->action = action;
  b->profile = profile;
  b->status = status;
  b->ctype = ctype;
  b->ptr = malloc(n ? n : 1);
  if (!b->ptr)
    die("out of memory");
  memcpy(b->ptr, p, n);
  b->len = n;
  b->want = want;
  g->bytes += n;
}

/* Service codes as the documents spell them: two lowercase letters for the
 * first 676, then a letter, a letter and a digit. */
static void service_code(size_t i, char out[8]) {
  if (i < 676)
    snprintf(out, 8, "%c%c", 'a' + (int)(i / 26), 'a' + (int)(i % 26));
  else
    snprintf(out, 8, "%c%c%d", 'a' + (int)(i / 260 % 26),
             'a' + (int)(i / 10 % 26), (int)(i % 10));
}

/* 001 getPrices: {"country": {"service": {"cost": decimal, "count": int}}} */
static void gen_prices(struct sc_buf *t) {
  sc_buf_printf(t, "{");
  for (size_t c = 0; c < PRICES_COUNTRIES; c++) {
    sc_buf_printf(t, "%s\"%zu\":{", c ? "," : "", c);
    for (size_t s = 0; s < PRICES_SERVICES; s++) {
      char code[8];
      service_code(s, code);
      sc_buf_printf(t, "%s\"%s\":{\"cost\":%zu.%02zu,\"count\":%zu}", s ? "," : "",
               code, 1 + (c * 7 + s) % 90, (c + s * 13) % 100,
               (c * 31 + s * 17) % 5000);
    }
    sc_buf_printf(t, "}");
  }
  sc_buf_printf(t, "}");
}

/* 001 getPricesV3: price, count and providers {id: {count, price[],
 * provider_id}} per country and service. */
static void gen_prices_v3(struct sc_buf *t) {
  sc_buf_printf(t, "{");
  for (size_t c = 0; c < V3_COUNTRIES; c++) {
    sc_buf_printf(t, "%s\"%zu\":{", c ? "," : "", c);
    for (size_t s = 0; s < V3_SERVICES; s++) {
      char code[8];
      service_code(s, code);
      sc_buf_printf(t, "%s\"%s\":{\"price\":%zu.5,\"count\":%zu,\"providers\":{",
               s ? "," : "", code, 1 + (c + s) % 40, (c * 7 + s) % 900);
      for (size_t p = 0; p < V3_PROVIDERS; p++)
        sc_buf_printf(t,
                 "%s\"%zu\":{\"count\":%zu,\"price\":[%zu.25,%zu.5],"
                 "\"provider_id\":%zu}",
                 p ? "," : "", 2000 + p, (s + p * 11) % 300, 1 + p, 2 + p,
                 2000 + p);
      sc_buf_printf(t, "}}");
    }
    sc_buf_printf(t, "}");
  }
  sc_buf_printf(t, "}");
}

/* 001 getCountries: {"id": {"id","rus","eng","chn","visible","retry",
 * "rent","multiService"}}; names in the three scripts the document uses. */
static void gen_countries(struct sc_buf *t) {
  sc_buf_printf(t, "{");
  for (size_t c = 0; c < COUNTRIES; c++)
    sc_buf_printf(t,
             "%s\"%zu\":{\"id\":%zu,\"rus\":\"\xd0\xa1\xd1\x82\xd1\x80"
             "\xd0\xb0\xd0\xbd\xd0\xb0 %zu\",\"eng\":\"Country %zu\","
             "\"chn\":\"\xe5\x9b\xbd\xe5\xae\xb6 %zu\",\"visible\":%d,"
             "\"retry\":%d,\"rent\":%d,\"multiService\":%d}",
             c ? "," : "", c, c, c, c, c, (int)(c % 2), (int)(c % 3 == 0),
             (int)(c % 5 == 0), 1);
  sc_buf_printf(t, "}");
}

/* 001 getNumbersStatus: {"service_0": count} (keys as the document
 * writes them, "vk_0"). */
static void gen_numbers_status(struct sc_buf *t) {
  sc_buf_printf(t, "{");
  for (size_t s = 0; s < STATUS_SERVICES; s++) {
    char code[8];
    service_code(s, code);
    sc_buf_printf(t, "%s\"%s_0\":%zu", s ? "," : "", code, (s * 37) % 4000);
  }
  sc_buf_printf(t, "}");
}

static int is_json(const char *p, size_t n) {
  size_t i = 0;
  if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
    i = 3;
  while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
    i++;
  return i < n && (p[i] == '{' || p[i] == '[');
}

static double cpu_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static volatile size_t sink;

/* One pass of sc_parse over the group (not inlined: a profiler collects
 * inside it only). */
__attribute__((noinline)) static void pass_sc(const struct sc_spec *spec, const struct group *g) {
  for (size_t i = 0; i < g->n; i++) {
    const struct body *b = &g->b[i];
    struct sc_input in = {b->action, b->profile, b->status,
                          b->ctype,  b->ptr,     b->len};
    struct sc_result r;
    if (sc_parse(spec, &in, &r) != SC_ERR_OK)
      die("sc_parse failed while timing");
    sink += r.ndevs + (size_t)r.verdict;
    sc_result_free(&r);
  }
}

/* One pass of bare cJSON over the group. */
__attribute__((noinline)) static void pass_cjson(const struct group *g) {
  for (size_t i = 0; i < g->n; i++) {
    cJSON *j = cJSON_ParseWithLength(g->b[i].ptr, g->b[i].len);
    if (!j)
      die("cJSON_ParseWithLength failed while timing");
    sink += (size_t)j->type;
    cJSON_Delete(j);
  }
}

/* Seconds per pass: as many passes as fit in |min_ms|, at least one. */
static double time_pass(const struct sc_spec *spec, const struct group *g,
                        int cjson, double min_ms) {
  double t0 = cpu_now(), t;
  size_t passes = 0;
  do {
    if (cjson)
      pass_cjson(g);
    else
      pass_sc(spec, g);
    passes++;
    t = cpu_now() - t0;
  } while (t * 1000.0 < min_ms);
  return t / (double)passes;
}

/* Judges every body once: each must come back with its expected verdict,
 * and a JSON body must be one cJSON reads. */
static void verify(const struct sc_spec *spec, const struct group *g) {
  for (size_t i = 0; i < g->n; i++) {
    const struct body *b = &g->b[i];
    struct sc_input in = {b->action, b->profile, b->status,
                          b->ctype,  b->ptr,     b->len};
    struct sc_result r;
    enum sc_err e = sc_parse(spec, &in, &r);
    if (e != SC_ERR_OK || r.verdict != b->want) {
      fprintf(stderr,
              "bench_parse: %s body %zu (%s, %zu bytes): %s, verdict %s, "
              "expected %s\n",
              g->name, i, b->action, b->len, sc_strerror(e),
              sc_verdict_name(r.verdict), sc_verdict_name(b->want));
      for (size_t k = 0; k < r.ndevs; k++)
        fprintf(stderr, "  %s at %zu: %s\n", sc_dev_name(r.devs[k].code),
                r.devs[k].offset, r.devs[k].message);
      exit(1);
    }
    sc_result_free(&r);
    if (g->json) {
      cJSON *j = cJSON_ParseWithLength(b->ptr, b->len);
      if (!j) {
        fprintf(stderr, "bench_parse: %s body %zu: cJSON cannot read it\n",
                g->name, i);
        exit(1);
      }
      cJSON_Delete(j);
    }
  }
}

int main(int argc, char **argv) {
  int reps = 5;
  double min_ms = 200;
  const char *only = NULL; /* one group, for a profiler */
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc)
      reps = atoi(argv[++i]);
    else if (strcmp(argv[i], "--min-ms") == 0 && i + 1 < argc)
      min_ms = atof(argv[++i]);
    else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
      only = argv[++i];
    else if (strcmp(argv[i], "--quick") == 0) {
      reps = 1;
      min_ms = 20;
    } else {
      fprintf(stderr, "usage: bench_parse [--reps N] [--min-ms MS] [--quick] "
                      "[--only GROUP]\n");
      return 2;
    }
  }
  if (reps < 1 || reps > 99)
    reps = 5;

  enum sc_err err;
  char *diag = NULL;
  struct sc_spec *spec = sc_spec_new(NULL, &err, &diag);
  if (!spec) {
    fprintf(stderr, "bench_parse: spec: %s\n%s", sc_strerror(err),
            diag ? diag : "");
    return 1;
  }
  sc_spec_free_diag(diag);

  struct group groups[] = {
      {"examples-text", 0, NULL, 0, 0, 0},
      {"examples-json", 1, NULL, 0, 0, 0},
      {"getPrices", 1, NULL, 0, 0, 0},
      {"getPricesV3", 1, NULL, 0, 0, 0},
      {"getCountries", 1, NULL, 0, 0, 0},
      {"getNumbersStatus", 1, NULL, 0, 0, 0},
  };
  const size_t ngroups = sizeof groups / sizeof *groups;

  for (size_t i = 0; i < NCASES; i++) {
    const struct parse_case *c = &cases[i];
    if (c->verdict != SC_VERDICT_PASS && c->verdict != SC_VERDICT_WARN)
      continue;
    int json = is_json(c->body, c->len);
    group_add(&groups[json ? 1 : 0], c->action, c->profile, c->http_status,
              c->content_type, c->body, c->len, c->verdict);
  }
  /* getPricesV3 is 000's (KoalaSMS) call, in 000's form */
  struct {
    void (*gen)(struct sc_buf *);
    const char *action;
    const char *profile;
  } gens[] = {{gen_prices, "getPrices", NULL},
              {gen_prices_v3, "getPricesV3", "koalasms"},
              {gen_countries, "getCountries", NULL},
              {gen_numbers_status, "getNumbersStatus", NULL}};
  for (size_t k = 0; k < sizeof gens / sizeof *gens; k++) {
    struct sc_buf t;
    sc_buf_init(&t, SIZE_MAX);
    gens[k].gen(&t);
    if (t.err)
      die("out of memory");
    group_add(&groups[2 + k], gens[k].action, gens[k].profile, 200,
              "application/json; charset=utf-8", t.ptr, t.len,
              SC_VERDICT_PASS);
    sc_buf_free(&t);
  }

  for (size_t k = 0; k < ngroups; k++)
    verify(spec, &groups[k]);

  for (size_t k = 0; k < ngroups; k++) {
    struct group *g = &groups[k];
    double sc_t[99], cj_t[99];
    if (only && strcmp(only, g->name) != 0)
      continue;
    for (int r = 0; r < reps; r++) {
      sc_t[r] = time_pass(spec, g, 0, min_ms);
      if (g->json)
        cj_t[r] = time_pass(spec, g, 1, min_ms);
    }
    double sc_s = bench_median(sc_t, reps);
    printf("parse group=%s bodies=%zu bytes=%zu sc_resp_s=%.0f sc_mb_s=%.1f",
           g->name, g->n, g->bytes, (double)g->n / sc_s,
           (double)g->bytes / sc_s / 1e6);
    if (g->json) {
      double cj_s = bench_median(cj_t, reps);
      printf(" cjson_resp_s=%.0f cjson_mb_s=%.1f ratio=%.3f",
             (double)g->n / cj_s, (double)g->bytes / cj_s / 1e6, cj_s / sc_s);
    }
    printf("\n");
    fflush(stdout);
  }
  for (size_t k = 0; k < ngroups; k++) {
    for (size_t i = 0; i < groups[k].n; i++)
      free(groups[k].b[i].ptr);
    free(groups[k].b);
  }
  sc_spec_destroy(spec);
  return 0;
}
