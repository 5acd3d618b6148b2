/* sc_sim_catalogue.c — the simulator's catalogue (see sc_sim_catalogue.h):
 * reading and checking a catalogue.json, and the look-ups.
 *
 * The format is specs/README.md's "catalogue.json". The checker walks the
 * parsed tree once, section by section, and records every problem with the
 * JSON path of the value at fault; uniqueness (service codes and REST
 * identifiers, country ids, ISO codes and slugs) is checked on the sorted
 * indices the look-ups then use. A catalogue is kept only when the whole
 * file is clean. Strings point into the parsed tree, which the catalogue
 * owns; what the loader makes itself (ids as text, lower-cased ISO codes,
 * slugs and REST identifiers made from names) sits in fixed buffers of the
 * entries. */
#include "sc_sim_catalogue.h"

#include "sc_alloc.h"
#include "sc_buf.h"
#include "sc_json.h"
#include "sc_spec.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NOTE_MAX 2000     /* bytes of a "note" */
#define KEY_SHOWN 40      /* bytes of an unknown key shown in a path */
#define PROVIDER_PCT_MAX 1000

/* ---- the checker's state and its reports --------------------------------- */

struct loader {
  const char *name; /* the file, as reported */
  struct sc_buf *diag;
  size_t nproblems; /* all of them, listed or not */
  int nomem;
  char path[256]; /* the JSON path of the value being checked: "$..." */
  size_t plen;
  struct sim_catalogue *cat;
  long long def_cost; /* "defaults", cents */
  long def_stock;
};

static void path_set(struct loader *L, size_t len) {
  L->plen = len;
  L->path[len] = '\0';
}

/* Appends |fmt| to the path (cut short when it does not fit); returns the
 * length to restore with path_set. */
static size_t path_add(struct loader *L, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static size_t path_add(struct loader *L, const char *fmt, ...) {
  size_t mark = L->plen;
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(L->path + L->plen, sizeof L->path - L->plen, fmt, ap);
  va_end(ap);
  if (n > 0)
    L->plen += (size_t)n < sizeof L->path - L->plen
                   ? (size_t)n
                   : sizeof L->path - L->plen - 1;
  return mark;
}

static int plain_key(const char *k) {
  if (!*k || (*k >= '0' && *k <= '9'))
    return 0;
  for (; *k; k++)
    if (!((*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') ||
          (*k >= '0' && *k <= '9') || *k == '_'))
      return 0;
  return 1;
}

/* ".key", or ["key"] with JSON escapes for a key that is not a plain name
 * (at most KEY_SHOWN bytes of it, cut on a character boundary). */
static size_t path_key(struct loader *L, const char *key) {
  if (!key)
    key = "";
  if (plain_key(key) && strlen(key) <= KEY_SHOWN)
    return path_add(L, ".%s", key);
  char shown[KEY_SHOWN * 6 + 8];
  size_t n = 0, len = strlen(key), cut = len > KEY_SHOWN ? KEY_SHOWN : len;
  while (cut < len && cut > 0 && ((unsigned char)key[cut] & 0xC0) == 0x80)
    cut--;
  for (size_t i = 0; i < cut; i++) {
    unsigned char ch = (unsigned char)key[i];
    if (ch == '"' || ch == '\\')
      n += (size_t)snprintf(shown + n, sizeof shown - n, "\\%c", ch);
    else if (ch < 0x20)
      n += (size_t)snprintf(shown + n, sizeof shown - n, "\\u%04x", ch);
    else
      shown[n++] = (char)ch;
  }
  shown[n] = '\0';
  return path_add(L, "[\"%s%s\"]", shown, cut < len ? "..." : "");
}

static size_t path_index(struct loader *L, size_t i) {
  return path_add(L, "[%zu]", i);
}

/* One problem at the current path: "NAME: $.path: message". Past
 * SIM_CAT_DIAG_MAX problems they are only counted. */
static void problem(struct loader *L, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void problem(struct loader *L, const char *fmt, ...) {
  if (L->nproblems++ >= SIM_CAT_DIAG_MAX)
    return;
  sc_buf_printf(L->diag, "%s: %s: ", L->name, L->path);
  va_list ap;
  va_start(ap, fmt);
  sc_buf_vprintf(L->diag, fmt, ap);
  va_end(ap);
  sc_buf_addc(L->diag, '\n');
}

/* The same at member |key| of the current path. */
static void problem_at(struct loader *L, const char *key, const char *fmt,
                       ...) __attribute__((format(printf, 3, 4)));
static void problem_at(struct loader *L, const char *key, const char *fmt,
                       ...) {
  size_t mark = path_key(L, key);
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  problem(L, "%s", msg);
  path_set(L, mark);
}

static void *alloc(struct loader *L, size_t n, size_t size) {
  void *p = sc_calloc(n ? n : 1, size);
  if (!p)
    L->nomem = 1;
  return p;
}

/* ---- the shapes of values ------------------------------------------------ */

static int is_lower_or_digit(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* A service code: 1 to SIM_CAT_CODE_MAX lower-case letters and digits (no
 * '_': 001's getNumbersStatus keys are code, '_' and a number). */
static int is_code(const char *s) {
  size_t n = 0;
  for (; s[n]; n++)
    if (!is_lower_or_digit(s[n]))
      return 0;
  return n >= 1 && n <= SIM_CAT_CODE_MAX;
}

/* A slug or REST identifier: lower-case letters, digits and '-', neither
 * first nor last a '-', at least one letter (so that it is never a numeric
 * id). */
static int is_slug(const char *s) {
  size_t n = 0;
  int letter = 0;
  for (; s[n]; n++) {
    if (!is_lower_or_digit(s[n]) && s[n] != '-')
      return 0;
    letter |= s[n] >= 'a' && s[n] <= 'z';
  }
  return n >= 1 && n <= SIM_CAT_SLUG_MAX && s[0] != '-' && s[n - 1] != '-' &&
         letter;
}

static int is_iso(const char *s) {
  for (size_t i = 0; i < 2; i++)
    if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
      return 0;
  return s[2] == '\0';
}

/* An operator name as 001 writes them ("tele2", "chinamobile"): lower-case
 * letters, digits, '_' and '-' (a request lists them comma-separated). */
static int is_operator(const char *s) {
  size_t n = 0;
  for (; s[n]; n++)
    if (!is_lower_or_digit(s[n]) && s[n] != '_' && s[n] != '-')
      return 0;
  return n >= 1 && n <= SIM_CAT_SLUG_MAX;
}

#define CODE_RULE "not a service code (1 to 16 lower-case letters and digits)"
#define SLUG_RULE                                                           \
  "not a slug (lower-case letters, digits and '-', at most 63, with a "     \
  "letter, no '-' first or last)"

/* |text| as a slug into |out|: its ASCII letters (lower-cased) and digits,
 * each run of other bytes one '-', none at either end, cut at
 * SIM_CAT_SLUG_MAX bytes. 0, or -1 when that is not a slug. */
static int make_slug(const char *text, char out[SIM_CAT_SLUG_MAX + 1]) {
  size_t n = 0;
  int gap = 0;
  for (const char *p = text; *p; p++) {
    char c = *p;
    if (c >= 'A' && c <= 'Z')
      c = (char)(c - 'A' + 'a');
    if (!is_lower_or_digit(c)) {
      gap = 1;
      continue;
    }
    if (n + (gap && n) >= SIM_CAT_SLUG_MAX)
      break;
    if (gap && n)
      out[n++] = '-';
    out[n++] = c;
    gap = 0;
  }
  out[n] = '\0';
  return is_slug(out) ? 0 : -1;
}

/* ---- members ------------------------------------------------------------- */

/* The members of object |o| against the |n| names of |keys| (n <= 16): an
 * unknown or repeated member is a problem. */
static void check_members(struct loader *L, const cJSON *o,
                          const char *const *keys, size_t n) {
  unsigned seen = 0;
  for (const cJSON *m = o->child; m; m = m->next) {
    const char *k = m->string ? m->string : "";
    size_t i = 0;
    while (i < n && strcmp(keys[i], k) != 0)
      i++;
    if (i == n)
      problem_at(L, k, "unknown key");
    else if (seen & (1u << i))
      problem_at(L, k, "given twice");
    seen |= i < n ? 1u << i : 0;
  }
}

/* The string member |key| of |o| into |*out| (NULL when absent): at most
 * |max| bytes, not empty, and passing |ok| (NULL = any text; |rule| says
 * what it wants). 0, or -1 after a problem (a missing member is one when
 * |required|). */
static int get_text(struct loader *L, const cJSON *o, const char *key,
                    size_t max, int required, int (*ok)(const char *),
                    const char *rule, const char **out) {
  *out = NULL;
  const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);
  if (!it && !required)
    return 0;
  size_t mark = path_key(L, key);
  int rc = -1;
  if (!it)
    problem(L, "missing");
  else if (!cJSON_IsString(it) || !it->valuestring)
    problem(L, "not a string");
  else if (!*it->valuestring)
    problem(L, "empty");
  else if (strlen(it->valuestring) > max)
    problem(L, "longer than %zu bytes", max);
  else if (ok && !ok(it->valuestring))
    problem(L, "%s", rule);
  else {
    *out = it->valuestring;
    rc = 0;
  }
  path_set(L, mark);
  return rc;
}

/* The integer member |key| of |o|, |lo| to |hi|, into |*out|: 1 when read,
 * 0 when absent and not |required|, -1 after a problem. */
static int get_int(struct loader *L, const cJSON *o, const char *key,
                   long long lo, long long hi, int required, long long *out) {
  const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);
  if (!it && !required)
    return 0;
  size_t mark = path_key(L, key);
  int rc = -1;
  double d = cJSON_IsNumber(it) ? it->valuedouble : 0;
  if (!it)
    problem(L, "missing");
  else if (!cJSON_IsNumber(it))
    problem(L, "not an integer");
  else if (d > 9e18 || d < -9e18)
    problem(L, "out of range (%lld to %lld)", lo, hi);
  else if (d != (double)(long long)d)
    problem(L, "not an integer");
  else if (d < (double)lo || d > (double)hi)
    problem(L, "out of range (%lld to %lld)", lo, hi);
  else {
    *out = (long long)d;
    rc = 1;
  }
  path_set(L, mark);
  return rc;
}

/* A cost member (a number of units with at most two decimals, 0 to
 * SIM_CAT_MAX_COST) into cents; as get_int. */
static int get_cost(struct loader *L, const cJSON *o, const char *key,
                    int required, long long *cents) {
  const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);
  if (!it && !required)
    return 0;
  size_t mark = path_key(L, key);
  int rc = -1;
  double d = cJSON_IsNumber(it) ? it->valuedouble * 100.0 : 0;
  /* converted only once in range: a double past long long's is undefined */
  int in_range = d >= 0 && d <= SIM_CAT_MAX_COST * 100.0;
  long long c = in_range ? (long long)(d + 0.5) : 0;
  if (!it)
    problem(L, "missing");
  else if (!cJSON_IsNumber(it))
    problem(L, "not a number");
  else if (!in_range)
    problem(L, "out of range (0 to %d)", SIM_CAT_MAX_COST);
  else if ((double)c - d > 1e-6 || d - (double)c > 1e-6)
    problem(L, "more than two decimals");
  else {
    *cents = c;
    rc = 1;
  }
  path_set(L, mark);
  return rc;
}

static void get_note(struct loader *L, const cJSON *o) {
  const char *note;
  get_text(L, o, "note", NOTE_MAX, 0, NULL, NULL, &note);
}

/* The array member |key| of |o| with |min| to |max| entries; NULL (after a
 * problem, or silently when absent and |min| is 0) otherwise. */
static const cJSON *get_array(struct loader *L, const cJSON *o,
                              const char *key, size_t min, size_t max) {
  const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);
  if (!it && !min)
    return NULL;
  size_t n = 0;
  for (const cJSON *e = it ? it->child : NULL; e && n <= max; e = e->next)
    n++;
  if (!it)
    problem_at(L, key, "missing");
  else if (!cJSON_IsArray(it))
    problem_at(L, key, "not an array");
  else if (n < min)
    problem_at(L, key, "empty");
  else if (n > max)
    problem_at(L, key, "more than %zu entries", max);
  else
    return it;
  return NULL;
}

static size_t array_len(const cJSON *a) {
  size_t n = 0;
  for (const cJSON *e = a->child; e; e = e->next)
    n++;
  return n;
}

/* ---- sections ------------------------------------------------------------ */

static void read_defaults(struct loader *L, const cJSON *root) {
  const cJSON *d = cJSON_GetObjectItemCaseSensitive(root, "defaults");
  if (!d) {
    problem_at(L, "defaults", "missing");
    return;
  }
  size_t mark = path_key(L, "defaults");
  if (!cJSON_IsObject(d)) {
    problem(L, "not an object");
  } else {
    static const char *const keys[] = {"cost", "stock", "note"};
    check_members(L, d, keys, 3);
    long long stock = 0;
    get_cost(L, d, "cost", 1, &L->def_cost);
    if (get_int(L, d, "stock", 0, SIM_CAT_MAX_STOCK, 1, &stock) == 1)
      L->def_stock = (long)stock;
    get_note(L, d);
  }
  path_set(L, mark);
}

/* One provider; |prev| is the one before it (NULL for the first). */
static void read_provider(struct loader *L, const cJSON *it,
                          struct sim_provider *p,
                          const struct sim_provider *prev) {
  if (!cJSON_IsObject(it)) {
    problem(L, "not an object");
    return;
  }
  static const char *const keys[] = {"id", "pct", "note"};
  check_members(L, it, keys, 3);
  long long id = 0, pct = 0;
  if (get_int(L, it, "id", 1, 2147483647, 1, &id) == 1)
    p->id = (unsigned)id;
  if (get_int(L, it, "pct", 100, PROVIDER_PCT_MAX, 1, &pct) == 1) {
    p->pct = (unsigned)pct;
    if (!prev && pct != 100)
      problem_at(L, "pct", "the first provider sells at the offer's cost: "
                           "100");
    else if (prev && prev->pct && p->pct < prev->pct)
      problem_at(L, "pct", "cheaper than the provider before it (list "
                           "them cheapest first)");
  }
  get_note(L, it);
}

static void read_providers(struct loader *L, const cJSON *root) {
  const cJSON *arr =
      get_array(L, root, "providers", 1, SIM_CAT_MAX_PROVIDERS);
  if (!arr)
    return;
  struct sim_catalogue *cat = L->cat;
  size_t n = array_len(arr), i = 0;
  if (!(cat->providers = alloc(L, n, sizeof *cat->providers)))
    return;
  cat->nproviders = n;
  size_t top = path_key(L, "providers");
  for (const cJSON *it = arr->child; it; it = it->next, i++) {
    size_t mark = path_index(L, i);
    struct sim_provider *p = &cat->providers[i];
    read_provider(L, it, p, i ? &cat->providers[i - 1] : NULL);
    for (size_t j = 0; p->id && j < i; j++)
      if (cat->providers[j].id == p->id) {
        problem_at(L, "id", "provider id %u given twice (also "
                            "$.providers[%zu])", p->id, j);
        break;
      }
    path_set(L, mark);
  }
  path_set(L, top);
}

static void read_service(struct loader *L, const cJSON *it,
                         struct sim_service *sv) {
  if (!cJSON_IsObject(it)) {
    problem(L, "not an object");
    return;
  }
  static const char *const keys[] = {"code", "name", "rest", "note"};
  check_members(L, it, keys, 4);
  get_text(L, it, "code", SIM_CAT_CODE_MAX, 1, is_code, CODE_RULE,
           &sv->code);
  get_text(L, it, "name", SIM_CAT_TEXT_MAX, 1, NULL, NULL, &sv->name);
  get_note(L, it);
  if (cJSON_GetObjectItemCaseSensitive(it, "rest")) {
    get_text(L, it, "rest", SIM_CAT_SLUG_MAX, 0, is_slug, SLUG_RULE,
             &sv->rest);
  } else if (sv->name) {
    /* 002: "Service identifier (e.g. telegram, google)": the name in
     * lower case */
    if (make_slug(sv->name, sv->rest_buf) == 0)
      sv->rest = sv->rest_buf;
    else
      problem_at(L, "name", "no REST identifier can be made from it; give "
                            "\"rest\"");
  }
}

/* The operators of a country: their number, or -1 after a problem. */
static long read_operators(struct loader *L, const cJSON *it) {
  const cJSON *arr = get_array(L, it, "operators", 0, SIM_CAT_MAX_OPERATORS);
  if (!arr)
    return cJSON_GetObjectItemCaseSensitive(it, "operators") ? -1 : 0;
  size_t top = path_key(L, "operators"), i = 0;
  long n = 0;
  int bad = 0;
  for (const cJSON *e = arr->child; e; e = e->next, i++) {
    size_t mark = path_index(L, i);
    if (!cJSON_IsString(e) || !e->valuestring) {
      problem(L, "not a string");
      bad = 1;
    } else if (!is_operator(e->valuestring)) {
      problem(L, "not an operator name (lower-case letters, digits, '_' "
                 "and '-', at most 63)");
      bad = 1;
    } else {
      for (const cJSON *f = arr->child; f != e; f = f->next)
        if (cJSON_IsString(f) && f->valuestring &&
            strcmp(f->valuestring, e->valuestring) == 0) {
          problem(L, "operator \"%s\" given twice", e->valuestring);
          bad = 1;
          break;
        }
      n++;
    }
    path_set(L, mark);
  }
  path_set(L, top);
  return bad ? -1 : n;
}

static void read_country(struct loader *L, const cJSON *it,
                         struct sim_country *c) {
  if (!cJSON_IsObject(it)) {
    problem(L, "not an object");
    return;
  }
  static const char *const keys[] = {"id",  "iso", "slug",      "eng",
                                     "rus", "chn", "operators", "note"};
  check_members(L, it, keys, 8);
  long long id = 0;
  if (get_int(L, it, "id", 0, SIM_CAT_MAX_ID, 1, &id) == 1) {
    c->num = (long)id;
    snprintf(c->id_buf, sizeof c->id_buf, "%ld", c->num);
    c->id = c->id_buf;
  }
  const char *iso = NULL;
  if (get_text(L, it, "iso", 2, 1, is_iso,
               "not an ISO 3166-1 alpha-2 code (two letters)", &iso) == 0) {
    for (size_t i = 0; i < 2; i++)
      c->iso_buf[i] = (char)(iso[i] | 0x20); /* ASCII letter to lower */
    c->iso = c->iso_buf;
  }
  get_text(L, it, "eng", SIM_CAT_TEXT_MAX, 1, NULL, NULL, &c->eng);
  get_text(L, it, "rus", SIM_CAT_TEXT_MAX, 0, NULL, NULL, &c->rus);
  get_text(L, it, "chn", SIM_CAT_TEXT_MAX, 0, NULL, NULL, &c->chn);
  if (!c->rus)
    c->rus = c->eng;
  if (!c->chn)
    c->chn = c->eng;
  if (cJSON_GetObjectItemCaseSensitive(it, "slug")) {
    get_text(L, it, "slug", SIM_CAT_SLUG_MAX, 0, is_slug, SLUG_RULE,
             &c->slug);
  } else if (c->eng) {
    /* 003: a country as a slug of its name ("turkey") */
    if (make_slug(c->eng, c->slug_buf) == 0)
      c->slug = c->slug_buf;
    else
      problem_at(L, "eng", "no slug can be made from it; give \"slug\"");
  }
  read_operators(L, it);
  get_note(L, it);
}

static void read_services(struct loader *L, const cJSON *root) {
  const cJSON *arr = get_array(L, root, "services", 1, SIM_CAT_MAX_SERVICES);
  struct sim_catalogue *cat = L->cat;
  if (!arr || !(cat->services = alloc(L, array_len(arr), sizeof(*cat->services))))
    return;
  cat->nservices = array_len(arr);
  size_t top = path_key(L, "services"), i = 0;
  for (const cJSON *it = arr->child; it; it = it->next, i++) {
    size_t mark = path_index(L, i);
    read_service(L, it, &cat->services[i]);
    path_set(L, mark);
  }
  path_set(L, top);
}

static void read_countries(struct loader *L, const cJSON *root) {
  const cJSON *arr =
      get_array(L, root, "countries", 1, SIM_CAT_MAX_COUNTRIES);
  struct sim_catalogue *cat = L->cat;
  if (!arr ||
      !(cat->countries = alloc(L, array_len(arr), sizeof(*cat->countries))))
    return;
  cat->ncountries = array_len(arr);
  size_t top = path_key(L, "countries"), i = 0;
  for (const cJSON *it = arr->child; it; it = it->next, i++) {
    size_t mark = path_index(L, i);
    read_country(L, it, &cat->countries[i]);
    path_set(L, mark);
  }
  path_set(L, top);
}

/* Points every country at its operators, all in one NULL-separated array
 * (called on a clean catalogue only). */
static void fill_operators(struct loader *L, const cJSON *root) {
  struct sim_catalogue *cat = L->cat;
  const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "countries");
  size_t total = 0;
  for (const cJSON *it = arr->child; it; it = it->next) {
    const cJSON *ops = cJSON_GetObjectItemCaseSensitive(it, "operators");
    total += ops ? array_len(ops) + 1 : 0;
  }
  if (!total || !(cat->ops = alloc(L, total, sizeof *cat->ops)))
    return;
  size_t k = 0, i = 0;
  for (const cJSON *it = arr->child; it; it = it->next, i++) {
    const cJSON *ops = cJSON_GetObjectItemCaseSensitive(it, "operators");
    if (!ops)
      continue;
    cat->countries[i].operators = &cat->ops[k];
    for (const cJSON *e = ops->child; e; e = e->next)
      cat->ops[k++] = e->valuestring;
    cat->ops[k++] = NULL;
  }
}

/* ---- indices ------------------------------------------------------------- */

/* An entry of an index being built: its key (text, or |num| for ids), the
 * position of its entry, and the member its key comes from. */
struct keyed {
  const char *key;
  long num;
  size_t idx;
  const char *field;
  int made; /* the key was made from |field| */
};

static int cmp_idx(const struct keyed *x, const struct keyed *y) {
  return (x->idx > y->idx) - (x->idx < y->idx);
}

static int cmp_text(const void *a, const void *b) {
  const struct keyed *x = a, *y = b;
  int c = strcmp(x->key, y->key);
  return c ? c : cmp_idx(x, y);
}

static int cmp_num(const void *a, const void *b) {
  const struct keyed *x = a, *y = b;
  if (x->num != y->num)
    return x->num < y->num ? -1 : 1;
  return cmp_idx(x, y);
}

/* Sorts the |n| keys of |k| (|numeric|: by num) into the positions
 * |*out| and reports each key that repeats an earlier entry's, at the
 * member it comes from: "duplicate WHAT "KEY" (also $.SECTION[I])". */
static void build_index(struct loader *L, struct keyed *k, size_t n,
                        int numeric, const char *section, const char *what,
                        size_t **out) {
  qsort(k, n, sizeof *k, numeric ? cmp_num : cmp_text);
  if (!(*out = alloc(L, n, sizeof **out)))
    return;
  size_t first = 0;
  for (size_t i = 0; i < n; i++) {
    (*out)[i] = k[i].idx;
    int same = i && (numeric ? k[i].num == k[first].num
                             : strcmp(k[i].key, k[first].key) == 0);
    if (!same) {
      first = i;
      continue;
    }
    size_t mark = path_add(L, ".%s[%zu]", section, k[i].idx);
    if (numeric)
      problem_at(L, k[i].field, "duplicate %s %ld (also $.%s[%zu])", what,
                 k[i].num, section, k[first].idx);
    else
      problem_at(L, k[i].field, "duplicate %s \"%s\"%s (also $.%s[%zu])",
                 what, k[i].key, k[i].made ? ", made from it" : "", section,
                 k[first].idx);
    path_set(L, mark);
  }
}

/* Builds one index over the entries of an array whose key sits at |off|
 * (a const char * member); entries without one (refused already) are
 * left out. |made| is the member a made key comes from ("name" for a REST
 * identifier made from the name), |buf_off| where such keys are kept. */
static void index_text(struct loader *L, const void *base, size_t n,
                       size_t stride, size_t off, const char *field,
                       size_t buf_off, const char *made, const char *section,
                       const char *what, size_t **out) {
  struct keyed *k = alloc(L, n, sizeof *k);
  size_t m = 0;
  for (size_t i = 0; k && i < n; i++) {
    const char *e = (const char *)base + i * stride;
    const char *key = *(const char *const *)(e + off);
    if (!key)
      continue;
    int is_made = buf_off != (size_t)-1 && key == e + buf_off;
    k[m++] = (struct keyed){key, 0, i, is_made ? made : field, is_made};
  }
  if (k)
    build_index(L, k, m, 0, section, what, out);
  sc_free(k);
}

static void build_indices(struct loader *L) {
  struct sim_catalogue *cat = L->cat;
  const size_t ss = sizeof(struct sim_service), cs = sizeof(struct sim_country);
  if (cat->services) {
    index_text(L, cat->services, cat->nservices, ss,
               offsetof(struct sim_service, code), "code", (size_t)-1, NULL,
               "services", "service code", &cat->by_code);
    index_text(L, cat->services, cat->nservices, ss,
               offsetof(struct sim_service, rest), "rest",
               offsetof(struct sim_service, rest_buf), "name", "services",
               "REST identifier", &cat->by_rest);
  }
  if (!cat->countries)
    return;
  index_text(L, cat->countries, cat->ncountries, cs,
             offsetof(struct sim_country, iso), "iso", (size_t)-1, NULL,
             "countries", "ISO code", &cat->by_iso);
  index_text(L, cat->countries, cat->ncountries, cs,
             offsetof(struct sim_country, slug), "slug",
             offsetof(struct sim_country, slug_buf), "eng", "countries",
             "slug", &cat->by_slug);
  struct keyed *k = alloc(L, cat->ncountries, sizeof *k);
  size_t m = 0;
  for (size_t i = 0; k && i < cat->ncountries; i++)
    if (cat->countries[i].id)
      k[m++] = (struct keyed){NULL, cat->countries[i].num, i, "id", 0};
  if (k)
    build_index(L, k, m, 1, "countries", "country id", &cat->by_id);
  sc_free(k);
}

/* ---- offers -------------------------------------------------------------- */

/* Every offer at the defaults; 0, or -1 when there is no matrix to fill
 * (sections missing, too many offers, out of memory). */
static int make_offers(struct loader *L) {
  struct sim_catalogue *cat = L->cat;
  if (!cat->services || !cat->countries)
    return -1;
  if (cat->nservices > SIM_CAT_MAX_OFFERS / cat->ncountries) {
    problem(L, "%zu services x %zu countries: more than %d offers",
            cat->nservices, cat->ncountries, SIM_CAT_MAX_OFFERS);
    return -1;
  }
  size_t n = cat->nservices * cat->ncountries;
  cat->cost = alloc(L, n, sizeof *cat->cost);
  cat->stock = alloc(L, n, sizeof *cat->stock);
  if (!cat->cost || !cat->stock)
    return -1;
  for (size_t i = 0; i < n; i++) {
    cat->cost[i] = L->def_cost;
    cat->stock[i] = L->def_stock;
  }
  return 0;
}

static long country_by_num(const struct sim_catalogue *cat, long num) {
  size_t lo = 0, hi = cat->by_id ? cat->ncountries : 0;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    long v = cat->countries[cat->by_id[mid]].num;
    if (v == num)
      return (long)cat->by_id[mid];
    if (v < num)
      lo = mid + 1;
    else
      hi = mid;
  }
  return -1;
}

/* One entry of "offers"; |seen| marks the pairs given so far, NULL when
 * the entries are only checked, not resolved (the sections they name had
 * problems). */
static void read_offer(struct loader *L, const cJSON *it,
                       unsigned char *seen) {
  if (!cJSON_IsObject(it)) {
    problem(L, "not an object");
    return;
  }
  static const char *const keys[] = {"service", "country", "cost", "stock",
                                     "note"};
  check_members(L, it, keys, 5);
  const char *code = NULL;
  long long id = 0, cost = 0, stock = 0;
  int ok = get_text(L, it, "service", SIM_CAT_CODE_MAX, 1, is_code,
                    CODE_RULE, &code) == 0;
  ok = (get_int(L, it, "country", 0, SIM_CAT_MAX_ID, 1, &id) == 1) && ok;
  int has_cost = get_cost(L, it, "cost", 0, &cost);
  int has_stock = get_int(L, it, "stock", 0, SIM_CAT_MAX_STOCK, 0, &stock);
  get_note(L, it);
  if (!ok || !seen)
    return;
  struct sim_catalogue *cat = L->cat;
  long si = sim_catalogue_service(cat, code);
  long ci = country_by_num(cat, (long)id);
  if (si < 0)
    problem_at(L, "service", "no service \"%s\" in $.services", code);
  if (ci < 0)
    problem_at(L, "country", "no country %lld in $.countries", id);
  if (si < 0 || ci < 0)
    return;
  size_t o = (size_t)si * cat->ncountries + (size_t)ci;
  if (seen[o / 8] & (1u << (o % 8))) {
    problem(L, "a second offer of service \"%s\" in country %lld", code, id);
    return;
  }
  seen[o / 8] |= (unsigned char)(1u << (o % 8));
  if (has_cost == 1)
    cat->cost[o] = cost;
  if (has_stock == 1)
    cat->stock[o] = (long)stock;
}

static void read_offers(struct loader *L, const cJSON *root, int resolve) {
  const cJSON *arr = get_array(L, root, "offers", 0, SIM_CAT_MAX_OFFERS);
  if (!arr)
    return;
  struct sim_catalogue *cat = L->cat;
  unsigned char *seen = NULL;
  if (resolve &&
      !(seen = alloc(L, (cat->nservices * cat->ncountries + 7) / 8, 1)))
    return;
  size_t top = path_key(L, "offers"), i = 0;
  for (const cJSON *it = arr->child; it; it = it->next, i++) {
    size_t mark = path_index(L, i);
    read_offer(L, it, seen);
    path_set(L, mark);
  }
  path_set(L, top);
  sc_free(seen);
}

/* ---- the whole file ------------------------------------------------------ */

static void check(struct loader *L, const cJSON *root) {
  if (!cJSON_IsObject(root)) {
    problem(L, "not an object");
    return;
  }
  static const char *const keys[] = {"version",  "note",     "defaults",
                                     "providers", "services", "countries",
                                     "offers"};
  check_members(L, root, keys, 7);
  long long v = 0;
  if (get_int(L, root, "version", 0, 1000000, 1, &v) == 1 && v != 1)
    problem_at(L, "version", "version %lld is not known (1 is)", v);
  get_note(L, root);
  read_defaults(L, root);
  read_providers(L, root);
  read_services(L, root);
  read_countries(L, root);
  build_indices(L);
  int matrix = make_offers(L) == 0;
  read_offers(L, root, matrix && !L->nproblems && !L->nomem);
  if (!L->nproblems && !L->nomem)
    fill_operators(L, root);
}

/* Line and column (from 1) of byte |off| of |data|. */
static void line_col(const char *data, size_t len, size_t off, size_t *line,
                     size_t *col) {
  *line = 1;
  *col = 1;
  for (size_t i = 0; i < off && i < len; i++) {
    if (data[i] == '\n') {
      (*line)++;
      *col = 1;
    } else {
      (*col)++;
    }
  }
}

struct sim_catalogue *sim_catalogue_new(const char *name, const char *data,
                                        size_t len, struct sc_buf *diag) {
  sc_alloc_init();
  struct loader L = {.name = name ? name : "catalogue", .diag = diag};
  path_add(&L, "$");
  if (len > SIM_CAT_FILE_MAX) {
    problem(&L, "larger than %zu MiB", SIM_CAT_FILE_MAX >> 20);
    return NULL;
  }
  struct sc_json_error jerr;
  cJSON *root = sc_json_parse(data ? data : "", data ? len : 0, &jerr);
  if (!root) {
    size_t line, col;
    line_col(data, data ? len : 0, jerr.offset, &line, &col);
    if (jerr.code == SC_JSON_ERR_NOMEM)
      sc_buf_printf(diag, "%s: out of memory\n", L.name);
    else
      problem(&L, "invalid JSON at line %zu, column %zu (byte %zu): %s",
              line, col, jerr.offset, sc_json_strerror(jerr.code));
    return NULL;
  }
  struct sim_catalogue *cat = sc_calloc(1, sizeof *cat);
  if (!cat) {
    cJSON_Delete(root);
    sc_buf_printf(diag, "%s: out of memory\n", L.name);
    return NULL;
  }
  cat->root = root;
  L.cat = cat;
  check(&L, root);
  if (L.nproblems > SIM_CAT_DIAG_MAX)
    sc_buf_printf(diag, "%s: %zu more problems not listed\n", L.name,
                  L.nproblems - SIM_CAT_DIAG_MAX);
  if (L.nomem && !L.nproblems)
    sc_buf_printf(diag, "%s: out of memory\n", L.name);
  if (L.nproblems || L.nomem) {
    sim_catalogue_destroy(cat);
    return NULL;
  }
  return cat;
}

struct sim_catalogue *sim_catalogue_read(const char *path,
                                         struct sc_buf *diag) {
  FILE *f = path ? fopen(path, "rb") : NULL;
  if (!f) {
    sc_buf_printf(diag, "%s: cannot open: %s\n", path ? path : "(null)",
                  path ? strerror(errno) : "no path");
    return NULL;
  }
  struct sc_buf b;
  sc_buf_init(&b, SIM_CAT_FILE_MAX);
  int rerr = sc_buf_add_file(&b, f) < 0 ? errno : 0;
  fclose(f);
  struct sim_catalogue *cat = NULL;
  if (b.err == SC_BUF_E2BIG)
    sc_buf_printf(diag, "%s: larger than %zu MiB\n", path,
                  SIM_CAT_FILE_MAX >> 20);
  else if (b.err)
    sc_buf_printf(diag, "%s: out of memory\n", path);
  else if (rerr)
    sc_buf_printf(diag, "%s: cannot read: %s\n", path, strerror(rerr));
  else
    cat = sim_catalogue_new(path, b.ptr ? b.ptr : "", b.len, diag);
  sc_buf_free(&b);
  return cat;
}

/* The default catalogue: specs/catalogue.json, embedded with the spec. */
struct sim_catalogue *sim_catalogue_embedded(struct sc_buf *diag) {
  /* specs/catalogue.json, embedded with the spec */
  for (const struct sc_spec_file *f = sc_specs_embedded; f->name; f++)
    if (strcmp(f->name, "catalogue.json") == 0)
      return sim_catalogue_new(f->name, f->data, f->len, diag);
  sc_buf_printf(diag, "catalogue.json: not embedded in this build\n");
  return NULL;
}

struct sim_catalogue *sim_catalogue_open(const char *path, char *err,
                                         size_t errlen) {
  struct sc_buf diag;
  sc_buf_init(&diag, (size_t)1 << 20);
  struct sim_catalogue *cat =
      path ? sim_catalogue_read(path, &diag) : sim_catalogue_embedded(&diag);
  if (!cat && err && errlen) {
    size_t n = diag.err ? 0 : diag.len;
    while (n && diag.ptr[n - 1] == '\n')
      n--;
    if (n == 0)
      snprintf(err, errlen, "%s: out of memory", path ? path : "catalogue");
    else
      snprintf(err, errlen, "%.*s", (int)(n < 65536 ? n : 65536), diag.ptr);
  }
  sc_buf_free(&diag);
  return cat;
}

void sim_catalogue_destroy(struct sim_catalogue *cat) {
  if (!cat)
    return;
  sc_free(cat->services);
  sc_free(cat->countries);
  sc_free(cat->providers);
  sc_free(cat->cost);
  sc_free(cat->stock);
  sc_free(cat->ops);
  sc_free(cat->by_code);
  sc_free(cat->by_rest);
  sc_free(cat->by_id);
  sc_free(cat->by_iso);
  sc_free(cat->by_slug);
  cJSON_Delete(cat->root);
  sc_free(cat);
}

/* ---- look-ups ------------------------------------------------------------ */

/* Binary search of |key| in the index |ix| (|n| positions) over the
 * entries at |base| (|stride| bytes each) whose key is the const char *
 * at |off|. */
static long search(const size_t *ix, size_t n, const void *base,
                   size_t stride, size_t off, const char *key) {
  size_t lo = 0, hi = ix ? n : 0;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    const char *k =
        *(const char *const *)((const char *)base + ix[mid] * stride + off);
    int c = strcmp(k, key);
    if (c == 0)
      return (long)ix[mid];
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return -1;
}

long sim_catalogue_service(const struct sim_catalogue *cat,
                           const char *code) {
  if (!cat || !code)
    return -1;
  return search(cat->by_code, cat->nservices, cat->services,
                sizeof(struct sim_service), offsetof(struct sim_service, code),
                code);
}

long sim_catalogue_service_rest(const struct sim_catalogue *cat,
                                const char *name) {
  if (!cat || !name)
    return -1;
  return search(cat->by_rest, cat->nservices, cat->services,
                sizeof(struct sim_service), offsetof(struct sim_service, rest),
                name);
}

long sim_catalogue_country_iso(const struct sim_catalogue *cat,
                               const char *iso) {
  if (!cat || !iso || !is_iso(iso))
    return -1;
  char low[3] = {(char)(iso[0] | 0x20), (char)(iso[1] | 0x20), '\0'};
  return search(cat->by_iso, cat->ncountries, cat->countries,
                sizeof(struct sim_country), offsetof(struct sim_country, iso),
                low);
}

/* The id a country parameter names when it is written as the catalogue
 * writes ids (decimal, no sign, no leading zero); -1 otherwise. */
static long canonical_id(const char *s) {
  size_t n = strspn(s, "0123456789");
  if (n == 0 || s[n] || n > 5 || (s[0] == '0' && n > 1))
    return -1;
  return strtol(s, NULL, 10);
}

long sim_catalogue_country(const struct sim_catalogue *cat,
                           const char *country, int lenient) {
  if (!cat || !country)
    return -1;
  long num = canonical_id(country);
  if (num >= 0)
    return country_by_num(cat, num);
  if (!lenient)
    return -1;
  long ci = sim_catalogue_country_iso(cat, country);
  if (ci >= 0)
    return ci;
  return search(cat->by_slug, cat->ncountries, cat->countries,
                sizeof(struct sim_country),
                offsetof(struct sim_country, slug), country);
}
