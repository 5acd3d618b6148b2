/* fuzz_util.c — see fuzz.h. */
#include "fuzz.h"

#include "sc_escape.h"
#include "sc_spec.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const struct sc_spec *fz_spec(void) {
  static struct sc_spec *spec;
  if (!spec) {
    enum sc_err err;
    char *diag = NULL;
    spec = sc_spec_new(NULL, &err, &diag);
    if (!spec)
      fz_fail("the embedded spec does not load: %s\n%s", sc_strerror(err),
              diag ? diag : "");
  }
  return spec;
}

void fz_fail(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("invariant: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  abort();
}

/* FNV-1a: a name the spec does not know still picks an entry. */
static size_t hash(const char *s) {
  size_t h = 2166136261u;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 16777619u;
  return h;
}

/* The next space-separated word of *p (NUL-terminated in place), or NULL. */
static char *word(char **p) {
  char *s = *p;
  while (*s == ' ')
    s++;
  if (!*s)
    return NULL;
  char *e = strchr(s, ' ');
  if (e) {
    *e = '\0';
    *p = e + 1;
  } else {
    *p = s + strlen(s);
  }
  return s;
}

static int given(const char *w) { return w && strcmp(w, "-") != 0; }

void fz_split(const uint8_t *data, size_t size, enum fz_dialects d,
              struct fz_input *out) {
  const struct sc_spec *spec = fz_spec();
  const uint8_t *nl = memchr(data, '\n', size);
  size_t hlen = nl ? (size_t)(nl - data) : 0;
  if (hlen >= sizeof out->names)
    hlen = sizeof out->names - 1;
  memcpy(out->names, data, hlen);
  out->names[hlen] = '\0';
  char *cur = out->names;
  const char *action = word(&cur), *profile = word(&cur),
             *status = word(&cur);
  while (*cur == ' ')
    cur++;
  const char *ctype = *cur ? cur : NULL;

  const struct sc_profile *p = spec->reference;
  if (given(profile)) {
    p = sc_spec_profile(spec, profile);
    if (!p)
      p = &spec->profiles[hash(profile) % spec->nprofiles];
  }
  if (d == FZ_TEXT_ONLY && p->rest)
    p = spec->reference;
  const struct sc_action *a = given(action) ? sc_spec_action(spec, action) : NULL;
  if (!a || !sc_profile_has_action(p, a->name)) {
    size_t start = hash(action ? action : "") % spec->nactions;
    a = NULL;
    for (size_t k = 0; k < spec->nactions && !a; k++) {
      const struct sc_action *c = &spec->actions[(start + k) % spec->nactions];
      if (sc_profile_has_action(p, c->name))
        a = c;
    }
    if (!a)
      fz_fail("profile %s offers no action", p->name);
  }
  long st = given(status) ? strtol(status, NULL, 10) : 0;
  memset(&out->in, 0, sizeof out->in);
  out->in.action = a->name;
  out->in.profile = p->name;
  out->in.http_status = st < 0 || st > 999 ? 0 : (int)st;
  out->in.content_type = ctype;
  size_t skip = nl ? (size_t)(nl - data) + 1 : 0;
  out->in.body = (const char *)data + skip;
  out->in.body_len = size - skip;
}

static int within(const struct sc_input *in, const char *p, size_t n) {
  const char *b = in->body;
  return p >= b && n <= in->body_len && (size_t)(p - b) <= in->body_len - n;
}

/* The first byte of the answer proper: after a BOM and whitespace. */
static char first_byte(const struct sc_input *in) {
  const char *p = in->body, *e = in->body + in->body_len;
  if (e - p >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
    p += 3;
  while (p < e && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
    p++;
  return p < e ? *p : '\0';
}

void fz_check_result(const struct sc_input *in, const struct sc_result *r) {
  FZ_CHECK(r->kind <= SC_KIND_NOT_PROTOCOL, "kind %d out of range", r->kind);
  FZ_CHECK(r->verdict < SC_VERDICT__COUNT, "verdict %d", r->verdict);
  FZ_CHECK(r->ndevs <= SC_MAX_DEVIATIONS, "%zu deviations", r->ndevs);
  enum sc_verdict worst = SC_VERDICT_PASS;
  for (size_t i = 0; i < r->ndevs; i++) {
    const struct sc_deviation *d = &r->devs[i];
    FZ_CHECK(d->code < SC_DEV__COUNT, "deviation code %d", d->code);
    FZ_CHECK(d->verdict == sc_dev_verdict(d->code),
             "%s carries verdict %s", sc_dev_name(d->code),
             sc_verdict_name(d->verdict));
    FZ_CHECK(d->offset <= in->body_len, "%s at offset %zu of a %zu-byte body",
             sc_dev_name(d->code), d->offset, in->body_len);
    FZ_CHECK(memchr(d->message, '\0', sizeof d->message) != NULL,
             "an unterminated message");
    FZ_CHECK(d->message[0] != '\0', "%s without a message",
             sc_dev_name(d->code));
    FZ_CHECK(strcmp(sc_dev_name(d->code), "UNKNOWN") != 0 &&
                 sc_dev_describe(d->code)[0] != '\0',
             "deviation %d has no name or description", d->code);
    /* server error text is always named first (smsconform.h) */
    FZ_CHECK(d->code != SC_DEV_SERVER_ERROR_TEXT || i == 0,
             "SERVER_ERROR_TEXT is deviation %zu, not the first", i);
    if (d->verdict > worst)
      worst = d->verdict;
  }
  FZ_CHECK(strcmp(sc_kind_name(r->kind), "unknown") != 0 &&
               strcmp(sc_verdict_name(r->verdict), "UNKNOWN") != 0,
           "kind %d or verdict %d has no name", r->kind, r->verdict);
  if (r->ndevs_dropped == 0)
    FZ_CHECK(r->verdict == worst, "verdict %s, worst deviation %s",
             sc_verdict_name(r->verdict), sc_verdict_name(worst));
  else
    FZ_CHECK(r->verdict >= worst, "verdict %s below a deviation's %s",
             sc_verdict_name(r->verdict), sc_verdict_name(worst));
  if (r->verdict == SC_VERDICT_PASS)
    FZ_CHECK(r->kind != SC_KIND_NOT_PROTOCOL, "PASS for a %s answer",
             sc_kind_name(r->kind));
  /* Token classification: a status answer names its token, an error
   * answer its token or why it has none, and a success token makes a
   * success answer. */
  if (r->kind == SC_KIND_STATUS)
    FZ_CHECK(r->token != NULL, "a status answer without a token");
  if (r->kind == SC_KIND_ERROR && !r->token) {
    /* the JSON error form around a message that is no token */
    int unknown = 0;
    for (size_t i = 0; i < r->ndevs; i++)
      unknown |= r->devs[i].code == SC_DEV_UNKNOWN_TOKEN;
    FZ_CHECK(unknown || r->ndevs_dropped,
             "an error answer with neither a token nor UNKNOWN_TOKEN");
  }
  if (r->token && r->kind == SC_KIND_SUCCESS)
    FZ_CHECK(strcmp(sc_token_kind(r->token), "success") == 0,
             "a success answer with %s token %s", sc_token_kind(r->token),
             sc_token_name(r->token));
  if (r->token_span.ptr) {
    FZ_CHECK(within(in, r->token_span.ptr, r->token_span.len),
             "the token span lies outside the body");
    FZ_CHECK(r->token != NULL, "a token span without a token");
    const char *name = sc_token_name(r->token);
    FZ_CHECK(r->token_span.len == strlen(name) &&
                 strncasecmp(r->token_span.ptr, name, r->token_span.len) == 0,
             "the token span does not spell %s", name);
  }
  FZ_CHECK(r->nfields <= SC_MAX_FIELDS, "%zu fields", r->nfields);
  for (size_t i = 0; i < r->nfields; i++) {
    FZ_CHECK(r->fields[i].name && r->fields[i].type, "field %zu unnamed", i);
    FZ_CHECK(within(in, r->fields[i].value.ptr, r->fields[i].value.len),
             "field %s lies outside the body", r->fields[i].name);
  }
  if (r->json) {
    char c = first_byte(in);
    FZ_CHECK(c == '{' || c == '[', "a JSON tree for a body starting with %#x",
             (unsigned char)c);
  }
  FZ_CHECK(r->form >= -1, "form %d", r->form);
}

static void same(const struct sc_result *a, const struct sc_result *b) {
  FZ_CHECK(a->kind == b->kind && a->verdict == b->verdict &&
               a->token == b->token && a->form == b->form &&
               a->token_span.ptr == b->token_span.ptr &&
               a->token_span.len == b->token_span.len &&
               a->nfields == b->nfields && a->ndevs == b->ndevs &&
               a->ndevs_dropped == b->ndevs_dropped &&
               (a->json == NULL) == (b->json == NULL),
           "two parses of one input differ");
  for (size_t i = 0; i < a->nfields; i++)
    FZ_CHECK(a->fields[i].name == b->fields[i].name &&
                 a->fields[i].value.ptr == b->fields[i].value.ptr &&
                 a->fields[i].value.len == b->fields[i].value.len,
             "two parses differ in field %zu", i);
  for (size_t i = 0; i < a->ndevs; i++)
    FZ_CHECK(a->devs[i].code == b->devs[i].code &&
                 a->devs[i].offset == b->devs[i].offset &&
                 strcmp(a->devs[i].message, b->devs[i].message) == 0,
             "two parses differ in deviation %zu", i);
}

void fz_parse_checked(const struct sc_input *in, struct sc_result *r) {
  const struct sc_spec *spec = fz_spec();
  enum sc_err e = sc_parse(spec, in, r);
  FZ_CHECK(e == SC_ERR_OK, "sc_parse(%s, %s): %s", in->action, in->profile,
           sc_strerror(e));
  fz_check_result(in, r);
  struct sc_result again;
  e = sc_parse(spec, in, &again);
  FZ_CHECK(e == SC_ERR_OK, "second sc_parse: %s", sc_strerror(e));
  same(r, &again);
  sc_result_free(&again);
  /* The same input with a broken argument is refused, not parsed. */
  struct sc_input bad = *in;
  if (in->body_len) {
    bad.body = NULL;
    e = sc_parse(spec, &bad, &again);
    FZ_CHECK(e == SC_ERR_INVAL, "a NULL body of %zu bytes: %s", in->body_len,
             sc_strerror(e));
    sc_result_free(&again);
    bad.body = in->body;
  }
  bad.action = "noSuchAction";
  e = sc_parse(spec, &bad, &again);
  FZ_CHECK(e == SC_ERR_NO_ACTION, "an unknown action: %s", sc_strerror(e));
  sc_result_free(&again);
}

/* ---- report output ------------------------------------------------------ */

void fz_clean_text(const char *what, const char *s, size_t n) {
  size_t bad = sc_utf8_check(s, n);
  FZ_CHECK(bad == (size_t)-1, "%s: byte %#x at %zu is a NUL or not UTF-8",
           what, (unsigned char)s[bad], bad);
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    FZ_CHECK(c >= 0x20 ? c != 0x7F : c == '\t' || c == '\n',
             "%s: raw control character %#x at %zu", what, c, i);
  }
}

/* Blanks the inside of the code spans of line [i, eol) of |c|: a run of
 * backticks not escaped by a backslash opens one, the next run of the same
 * length on the line closes it (CommonMark 6.1; a span never crosses a
 * line in the writers' output, and one that would is left as it is: the
 * check stays the stricter). */
static void blank_spans(char *c, size_t i, size_t eol) {
  while (i < eol) {
    if (c[i] != '`') {
      i++;
      continue;
    }
    size_t bs = 0;
    while (bs < i && c[i - 1 - bs] == '\\')
      bs++;
    size_t run = 0;
    while (i + run < eol && c[i + run] == '`')
      run++;
    if (bs % 2) { /* an escaped backtick is text; the rest of the run */
      i++;
      continue;
    }
    size_t j = i + run, close = 0;
    while (j < eol && !close) {
      size_t r = 0;
      while (j + r < eol && c[j + r] == '`')
        r++;
      if (r == run)
        close = j;
      j += r ? r : 1;
    }
    if (!close) {
      i += run;
      continue;
    }
    memset(c + i + run, ' ', close - i - run);
    i = close + run;
  }
}

/* A copy of Markdown |s| with the inside of fenced code blocks and of code
 * spans blanked: a renderer shows those bytes as text, whatever they
 * are. */
static char *blank_fences(const char *s, size_t n) {
  char *c = malloc(n + 1);
  FZ_CHECK(c != NULL, "out of memory");
  memcpy(c, s, n);
  c[n] = '\0';
  size_t fence = 0; /* the open fence's length, 0 outside one */
  for (size_t i = 0; i < n;) {
    size_t eol = i;
    while (eol < n && c[eol] != '\n')
      eol++;
    size_t run = 0;
    while (i + run < eol && c[i + run] == '`')
      run++;
    if (!fence && run >= 3)
      fence = run;
    else if (fence && run >= fence && i + run == eol)
      fence = 0;
    else if (fence)
      memset(c + i, ' ', eol - i);
    else
      blank_spans(c, i, eol);
    i = eol + 1;
  }
  FZ_CHECK(fence == 0, "Markdown: a code fence that is never closed");
  return c;
}

/* Tag names ("<name", "</name", "<!name") of |s|, lower-cased, as one
 * string " a b c ". */
static char *tags_of(const char *s, size_t n) {
  size_t cap = 64, len = 1;
  char *out = malloc(cap);
  FZ_CHECK(out != NULL, "out of memory");
  strcpy(out, " ");
  for (size_t i = 0; i < n; i++) {
    if (s[i] != '<')
      continue;
    size_t j = i + 1;
    if (j < n && (s[j] == '/' || s[j] == '!'))
      j++;
    char name[40] = " ";
    size_t k = 1;
    while (j < n && k + 2 < sizeof name &&
           ((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= 'A' && s[j] <= 'Z') ||
            (s[j] >= '0' && s[j] <= '9') || s[j] == '-'))
      name[k++] = (char)(s[j++] | 0x20);
    if (k == 1)
      name[k++] = '?';
    name[k++] = ' ';
    name[k] = '\0';
    if (strstr(out, name))
      continue;
    if (len + k + 1 > cap) {
      cap = 2 * (len + k + 1);
      char *np = realloc(out, cap);
      FZ_CHECK(np != NULL, "out of memory");
      out = np;
    }
    strcpy(out + len, name + 1);
    len += k - 1;
  }
  return out;
}

static size_t count_ci(const char *s, size_t n, const char *needle) {
  size_t k = strlen(needle), c = 0;
  for (size_t i = 0; i + k <= n; i++)
    c += strncasecmp(s + i, needle, k) == 0;
  return c;
}

void fz_same_markup(const char *what, int md, const char *got, size_t glen,
                    const char *ref, size_t rlen) {
  char *g = md ? blank_fences(got, glen) : NULL;
  char *f = md ? blank_fences(ref, rlen) : NULL;
  if (md) {
    got = g;
    ref = f;
  }
  char *gt = tags_of(got, glen), *rt = tags_of(ref, rlen);
  char *save = NULL;
  for (char *t = strtok_r(gt, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
    char key[48];
    snprintf(key, sizeof key, " %s ", t);
    /* the writers' own markup, which the shape of the data may call for
     * where the harmless copy does not (a latency table, a <br> for a
     * newline in a Markdown cell); never <script>, counted below */
    static const char writers[] =
        " aside b body br code dd details div dl dt form h1 h2 h3 h4 head "
        "header html input label meta option p pre rect section select span "
        "strong style summary svg table tbody td text th thead title tr ";
    FZ_CHECK(strstr(rt, key) || strstr(writers, key),
             "%s: a <%s> tag that came from input", what, t);
  }
  free(gt);
  free(rt);
  FZ_CHECK(count_ci(got, glen, "<script") == count_ci(ref, rlen, "<script"),
           "%s: a <script> that came from input", what);
  free(g);
  free(f);
}
