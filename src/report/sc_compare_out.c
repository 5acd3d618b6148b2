/* sc_compare_out.c — what the comparison's writers share (see
 * sc_compare_int.h). A writer stages its output in one sc_buf the way the
 * report writers do, so a failed allocation and a failed write end the
 * same way (-1). Every string of a report goes out through
 * sc_report_escape() with the rules of the format; under SC_COMPARE_STABLE
 * it is scrubbed first of what differs between two runs. */
#include "sc_compare_int.h"

#include <stdint.h>
#include <string.h>

void cmp_out_init(struct out *o, FILE *f, unsigned flags) {
  sc_out_init(&o->w, f);
  o->flags = flags;
  sc_buf_init(&o->tmp, SIZE_MAX);
  sc_buf_init(&o->scr, SIZE_MAX);
}

int cmp_out_end(struct out *o) {
  sc_buf_free(&o->tmp);
  sc_buf_free(&o->scr);
  return sc_out_end(&o->w);
}

int cmp_begin(const struct sc_compare *c, FILE *out, unsigned flags,
              int timing, struct out *o, struct view *v) {
  if (!c || !out || cmp_view_build(c, v, timing))
    return -1;
  cmp_out_init(o, out, flags);
  return 0;
}

int cmp_finish(struct out *o, struct view *v) {
  cmp_view_free(v);
  return cmp_out_end(o);
}

void cmp_out_check(struct out *o) {
  if (o->tmp.err || o->scr.err)
    o->w.err = -1;
  sc_out_check(&o->w);
}

static int digit(char c) {
  return c >= '0' && c <= '9';
}

/* The length of the digits at |s[i]|, at least |lo| and at most |hi| of
 * them, or 0. */
static size_t digits(const char *s, size_t n, size_t i, size_t lo, size_t hi) {
  size_t k = 0;
  while (i + k < n && k < hi + 1 && digit(s[i + k]))
    k++;
  return k >= lo && k <= hi ? k : 0;
}

/* A date and time at |s[i]| ("2026-11-23 14:34:59", with a space or a
 * T), or as much of one as is there when a message cut it short, from
 * year and month on: its length, with |*parts| set to how many of year,
 * month, day, hour, minute and second it holds; 0 when there is none. */
static size_t datetime(const char *s, size_t n, size_t i, size_t *parts) {
  static const struct {
    size_t lo, hi;
    char sep; /* what comes before the part */
  } part[] = {{4, 4, 0},   {1, 2, '-'}, {1, 2, '-'},
              {1, 2, ' '}, {2, 2, ':'}, {2, 2, ':'}};
  size_t at = i, k;
  for (k = 0; k < sizeof part / sizeof *part; k++) {
    size_t from = at;
    if (part[k].sep) {
      if (at >= n ||
          (s[at] != part[k].sep && !(part[k].sep == ' ' && s[at] == 'T')))
        break;
      from++;
    }
    size_t d = digits(s, n, from, part[k].lo, part[k].hi);
    if (!d)
      break;
    at = from + d;
  }
  *parts = k;
  return k >= 2 ? at - i : 0;
}

/* Under SC_COMPARE_STABLE a loopback address keeps its host and loses its
 * port ("127.0.0.1:PORT"): the simulator and the webhook listener take a
 * free port, another one each run. A date and time an endpoint sent is
 * shown as "YYYY-MM-DD hh:mm:ss" (or as much of that as a message that
 * cut the answer short kept): the simulator runs on the wall clock. */
static void scrub(struct sc_buf *b, const char *s, size_t n) {
  static const char *const hosts[] = {"127.0.0.1:", "localhost:", "[::1]:"};
  size_t i = 0, run = 0;
  sc_buf_reset(b);
  while (i < n) {
    size_t parts = 0, hl = 0, dl = digit(s[i]) ? datetime(s, n, i, &parts) : 0;
    for (size_t h = 0; h < sizeof hosts / sizeof *hosts && !hl && !dl; h++) {
      size_t l = strlen(hosts[h]);
      if (n - i > l && memcmp(s + i, hosts[h], l) == 0 && digit(s[i + l]))
        hl = l;
    }
    if (dl) {
      /* "YYYY-MM-DD hh:mm:ss" up to the parts there are */
      static const size_t ends[] = {0, 4, 7, 10, 13, 16, 19};
      sc_buf_add(b, s + i - run, run);
      sc_buf_add(b,
                 memchr(s + i, 'T', dl) ? "YYYY-MM-DDThh:mm:ss"
                                        : "YYYY-MM-DD hh:mm:ss",
                 ends[parts]);
      run = 0;
      i += dl;
      continue;
    }
    if (!hl) {
      run++;
      i++;
      continue;
    }
    sc_buf_add(b, s + i - run, run + hl);
    sc_buf_adds(b, "PORT");
    run = 0;
    for (i += hl; i < n && digit(s[i]); i++)
      ;
  }
  sc_buf_add(b, s + n - run, run);
}

void cmp_out_scrub(struct out *o, const char **s, size_t *n) {
  if (!cmp_stable(o))
    return;
  scrub(&o->scr, *s, *n);
  *s = o->scr.ptr ? o->scr.ptr : "";
  *n = o->scr.len;
}

void cmp_out_escn(struct out *o, const char *s, size_t n, enum sc_report_esc m,
                  size_t cap) {
  if (!s || o->w.err)
    return;
  cmp_out_scrub(o, &s, &n);
  sc_report_escape(&o->w.b, m, s, n, cap);
  cmp_out_check(o);
}

void cmp_out_esc(struct out *o, const char *s, enum sc_report_esc m,
                 size_t cap) {
  if (s)
    cmp_out_escn(o, s, strlen(s), m, cap);
}

void cmp_out_citation(struct out *o, const struct sc_check_result *c,
                      enum sc_report_esc m, size_t cap) {
  cmp_out_esc(o, c->doc, m, cap);
  if (c->doc && c->section)
    sc_out_s(&o->w, " \xC2\xA7 ");
  cmp_out_esc(o, c->section, m, cap);
}

void cmp_out_score(struct out *o, const struct sc_compare_score *s) {
  if (s->score < 0) {
    sc_out_s(&o->w, "n/a");
    return;
  }
  sc_out_num(&o->w, 100 * s->score, 1, 0);
  sc_out_s(&o->w, " %");
}
