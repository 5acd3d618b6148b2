/* sc_result.c — the parser's result vocabulary: the deviation table (names,
 * verdicts, descriptions), verdict and kind names, recording a deviation in
 * a result, and the lexical tests of the text syntax. It sits below both
 * the text parser (sc_parse.c) and the JSON schema matcher (sc_schema.c),
 * which each use it and neither of which it knows. */
#include "sc_result.h"

#include <stdio.h>

static const struct {
  const char *name;
  enum sc_verdict verdict;
  const char *what;
} devs[] = {
#define SC_DEV_ROW(nm, v, msg) {#nm, SC_VERDICT_##v, msg},
    SC_DEV_MAP(SC_DEV_ROW)
#undef SC_DEV_ROW
};

const char *sc_dev_name(enum sc_dev d) {
  return (unsigned)d < SC_DEV__COUNT ? devs[d].name : "UNKNOWN";
}
const char *sc_dev_describe(enum sc_dev d) {
  return (unsigned)d < SC_DEV__COUNT ? devs[d].what : "unknown deviation";
}
enum sc_verdict sc_dev_verdict(enum sc_dev d) {
  return (unsigned)d < SC_DEV__COUNT ? devs[d].verdict : SC_VERDICT_FAIL;
}

const char *sc_verdict_name(enum sc_verdict v) {
  switch (v) {
#define SC_VERDICT_NAME(nm, code)                                            \
  case SC_VERDICT_##nm:                                                      \
    return #nm;
    SC_VERDICT_MAP(SC_VERDICT_NAME)
#undef SC_VERDICT_NAME
  case SC_VERDICT__COUNT:
    break;
  }
  return "UNKNOWN";
}

const char *sc_kind_name(enum sc_kind k) {
  switch (k) {
#define SC_KIND_NAME(nm, str)                                                \
  case SC_KIND_##nm:                                                         \
    return str;
    SC_KIND_MAP(SC_KIND_NAME)
#undef SC_KIND_NAME
  }
  return "unknown";
}

void sc_result_add(struct sc_result *r, enum sc_dev code, size_t offset,
                   const char *fmt, ...) {
  enum sc_verdict v = sc_dev_verdict(code);
  if (v > r->verdict)
    r->verdict = v;
  if (r->ndevs == SC_MAX_DEVIATIONS) {
    r->ndevs_dropped++;
    return;
  }
  struct sc_deviation *d = &r->devs[r->ndevs++];
  d->code = code;
  d->verdict = v;
  d->offset = offset;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(d->message, sizeof(d->message), fmt, ap);
  va_end(ap);
}

bool sc_lex_digits(const char *p, size_t n, size_t min, size_t max) {
  if (n < min || n > max)
    return false;
  for (size_t i = 0; i < n; i++)
    if (p[i] < '0' || p[i] > '9')
      return false;
  return true;
}

bool sc_lex_decimal(const char *p, size_t n) {
  size_t i = 0;
  if (i < n && p[i] == '-')
    i++;
  size_t d0 = i;
  while (i < n && p[i] >= '0' && p[i] <= '9')
    i++;
  if (i == d0)
    return false;
  if (i < n && p[i] == '.') {
    size_t f0 = ++i;
    while (i < n && p[i] >= '0' && p[i] <= '9')
      i++;
    if (i == f0)
      return false;
  }
  return i == n;
}
