/* sc_schema.c — the typed JSON schema of specs/README.md.
 *
 * Each type has a reference form (what SMS-Activate's document sends) and
 * the variants that real vendors send (a number as a string, true for "1",
 * a datetime with a T): a variant is WARN, anything else FAIL. */
#include "sc_schema.h"

#include "sc_alloc.h"
#include "sc_json.h"
#include "sc_result.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const struct {
  const char *name;
  size_t len;
  char ref;
} stypes[] = {
#define SC_STYPE_ROW(nm, str, ref) {str, sizeof(str) - 1, ref},
    SC_STYPE_MAP(SC_STYPE_ROW)
#undef SC_STYPE_ROW
};

#define AS_STRING " as string"

/* Runs for every scalar of every body matched: no strlen of the table. */
bool sc_schema_type(const char *s, enum sc_stype *type, bool *as_string) {
  size_t n = strlen(s);
  const size_t sl = sizeof(AS_STRING) - 1;
  *as_string = n > sl && memcmp(s + n - sl, AS_STRING, sl) == 0;
  if (*as_string)
    n -= sl;
  for (int i = 0; i < SC_STYPE__COUNT; i++) {
    if (stypes[i].len == n && stypes[i].name[0] == s[0] &&
        memcmp(stypes[i].name, s, n) == 0) {
      *type = (enum sc_stype)i;
      return true;
    }
  }
  return false;
}

/* ---- checking a schema (lint) ---- */

struct chk {
  char *msg;
  size_t msglen;
  char *path;
  size_t pathlen;
};

static bool chk_fail(struct chk *c, const char *msg) {
  snprintf(c->msg, c->msglen, "%s", msg);
  return false;
}

static bool chk_node(struct chk *c, const cJSON *s, int depth);

static bool chk_sub(struct chk *c, const cJSON *s, const char *key,
                    int depth) {
  size_t l = strlen(c->path);
  snprintf(c->path + l, c->pathlen - l, ".%s", key);
  if (!chk_node(c, s, depth + 1))
    return false;
  c->path[l] = '\0';
  return true;
}

static bool chk_node(struct chk *c, const cJSON *s, int depth) {
  enum sc_stype t;
  bool as_str;
  if (depth > 32)
    return chk_fail(c, "schema nested deeper than 32 levels");
  if (cJSON_IsString(s)) {
    if (!sc_schema_type(s->valuestring, &t, &as_str))
      return chk_fail(c, "unknown schema type (see specs/README.md)");
    return true;
  }
  if (!cJSON_IsObject(s))
    return chk_fail(c, "a schema is a type name or an object");
  static const char *const shapes[] = {"object", "array", "map",
                                       "const",  "enum",  "oneOf",
                                       "nullable"};
  static const char *const mods[] = {"closed", "min", "keys", "note",
                                     "open",   "null"};
  int nshape = 0;
  const cJSON *it;
  cJSON_ArrayForEach(it, s) {
    bool known = false;
    for (size_t i = 0; i < sizeof shapes / sizeof *shapes; i++)
      if (strcmp(it->string, shapes[i]) == 0) {
        nshape++;
        known = true;
      }
    for (size_t i = 0; i < sizeof mods / sizeof *mods; i++)
      known |= strcmp(it->string, mods[i]) == 0;
    if (!known) {
      size_t l = strlen(c->path);
      snprintf(c->path + l, c->pathlen - l, ".%s", it->string);
      return chk_fail(c, "unknown key in a schema");
    }
  }
  if (nshape != 1)
    return chk_fail(c, "a schema object has exactly one of object, array, "
                       "map, const, enum, oneOf, nullable");
  const cJSON *x;
  if ((x = cJSON_GetObjectItemCaseSensitive(s, "object"))) {
    if (!cJSON_IsObject(x))
      return chk_fail(c, "\"object\" maps keys to schemas");
    size_t l = strlen(c->path);
    snprintf(c->path + l, c->pathlen - l, ".object");
    cJSON_ArrayForEach(it, x) if (!chk_sub(c, it, it->string, depth))
      return false;
    c->path[l] = '\0';
  } else if ((x = cJSON_GetObjectItemCaseSensitive(s, "array"))) {
    if (!chk_sub(c, x, "array", depth))
      return false;
  } else if ((x = cJSON_GetObjectItemCaseSensitive(s, "map"))) {
    const cJSON *k = cJSON_GetObjectItemCaseSensitive(s, "keys");
    if (k && (!cJSON_IsString(k) || !sc_schema_type(k->valuestring, &t,
                                                    &as_str)))
      return chk_fail(c, "\"keys\" names a type");
    if (!chk_sub(c, x, "map", depth))
      return false;
  } else if ((x = cJSON_GetObjectItemCaseSensitive(s, "enum"))) {
    if (!cJSON_IsArray(x) || cJSON_GetArraySize(x) == 0)
      return chk_fail(c, "\"enum\" is a non-empty array of values");
  } else if ((x = cJSON_GetObjectItemCaseSensitive(s, "nullable"))) {
    if (!chk_sub(c, x, "nullable", depth))
      return false;
  } else if ((x = cJSON_GetObjectItemCaseSensitive(s, "oneOf"))) {
    if (!cJSON_IsArray(x) || cJSON_GetArraySize(x) < 2)
      return chk_fail(c, "\"oneOf\" is an array of at least two schemas");
    int i = 0;
    cJSON_ArrayForEach(it, x) {
      char key[24];
      snprintf(key, sizeof(key), "oneOf[%d]", i++);
      if (!chk_sub(c, it, key, depth))
        return false;
    }
  }
  const cJSON *min = cJSON_GetObjectItemCaseSensitive(s, "min");
  if (min && !cJSON_IsNumber(min))
    return chk_fail(c, "\"min\" is a number");
  const cJSON *closed = cJSON_GetObjectItemCaseSensitive(s, "closed");
  if (closed && !cJSON_IsBool(closed))
    return chk_fail(c, "\"closed\" is true or false");
  const cJSON *null = cJSON_GetObjectItemCaseSensitive(s, "null");
  if (null && (!cJSON_IsString(null) ||
               (strcmp(null->valuestring, "pass") != 0 &&
                strcmp(null->valuestring, "warn") != 0) ||
               !cJSON_GetObjectItemCaseSensitive(s, "nullable")))
    return chk_fail(c, "\"null\" is \"pass\" or \"warn\", and only with "
                       "\"nullable\"");
  const cJSON *open = cJSON_GetObjectItemCaseSensitive(s, "open");
  if (open && (!cJSON_IsBool(open) ||
               !cJSON_GetObjectItemCaseSensitive(s, "enum")))
    return chk_fail(c, "\"open\" is true or false, and only with \"enum\"");
  return true;
}

bool sc_schema_check(const cJSON *schema, char *msg, size_t msglen,
                     char *path, size_t pathlen) {
  struct chk c = {msg, msglen, path, pathlen};
  path[0] = '\0';
  msg[0] = '\0';
  return chk_node(&c, schema, 0);
}

/* ---- matching a body (parser) ---- */

#define MAX_PATH 32

/* The path to the value being matched is kept only when deviations are
 * recorded (|r| set); an array index is kept as a number and written out
 * only for a deviation's message. */
/* What one schema node says, worked out once per sc_schema_match call: a
 * map's value schema is met once per entry, so the type name is parsed and
 * the shape key found once, not for every value. */
struct shape {
  bool scalar;       /* a type name */
  bool known;        /* ... that names a type */
  enum sc_stype t;
  bool as_str;
  const cJSON *object, *array, *map, *cnst, *enm, *one_of, *min, *keys, *open,
      *closed, *nullable, *null;
  bool keyed; /* |keys| names a type: |key_t| */
  bool null_warn; /* "null": "warn" beside "nullable" */
  enum sc_stype key_t;
};

#define SHAPE_SLOTS 64

/* The per-call cache, shared with the probes: which schema node each slot
 * holds (NULL: none yet), apart from the slots themselves so that
 * clearing them touches 512 bytes, not 64 shapes. Cleared on first use
 * only: with a compiled table a call usually never needs it. */
struct shape_cache {
  bool ready;
  const cJSON *nodes[SHAPE_SLOTS];
  struct shape shapes[SHAPE_SLOTS];
};

/* The shapes of every node of a set of schemas, worked out at spec load:
 * an open-addressing table of |mask| + 1 slots (a power of two, at most
 * half full) keyed by the node's address. Read-only once built, so
 * threads parsing at once share it. */
struct sc_schema_shapes {
  size_t mask;
  const cJSON **nodes; /* NULL: an empty slot */
  struct shape *shapes;
};

struct m {
  const struct sc_schema_shapes *compiled; /* NULL: none */
  struct shape_cache *cache;
  struct sc_result *r;  /* NULL: count only */
  const char *body;
  size_t len;
  size_t fails;
  size_t warns;
  int depth;
  const char *keys[MAX_PATH]; /* NULL: an array index, in idx */
  int idx[MAX_PATH];
};

/* The path's steps as sc_json_locate takes them ("[N]" for an index),
 * written into |buf|. */
static void path_steps(const struct m *m, const char **steps,
                       char (*buf)[24]) {
  for (int i = 0; i < m->depth && i < MAX_PATH; i++) {
    if (m->keys[i]) {
      steps[i] = m->keys[i];
    } else {
      snprintf(buf[i], sizeof buf[i], "[%d]", m->idx[i]);
      steps[i] = buf[i];
    }
  }
}

static void path_str(const char *const *steps, int depth, char *out,
                     size_t outlen) {
  size_t l = (size_t)snprintf(out, outlen, "$");
  for (int i = 0; i < depth && i < MAX_PATH && l < outlen; i++) {
    if (steps[i][0] == '[')
      l += (size_t)snprintf(out + l, outlen - l, "%s", steps[i]);
    else
      l += (size_t)snprintf(out + l, outlen - l, ".%s", steps[i]);
  }
}

static void dev(struct m *m, enum sc_dev code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void dev(struct m *m, enum sc_dev code, const char *fmt, ...) {
  if (sc_dev_verdict(code) == SC_VERDICT_FAIL)
    m->fails++;
  else
    m->warns++;
  if (!m->r)
    return;
  char what[160], path[160];
  const char *steps[MAX_PATH];
  char buf[MAX_PATH][24];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof(what), fmt, ap);
  va_end(ap);
  path_steps(m, steps, buf);
  path_str(steps, m->depth, path, sizeof(path));
  size_t off = 0;
  if (m->depth <= MAX_PATH) {
    /* the body was parsed, so it is valid JSON (sc_schema.h) */
    size_t o =
        sc_json_locate_valid(m->body, m->len, steps, (size_t)m->depth);
    if (o != (size_t)-1)
      off = o;
  }
  sc_result_add(m->r, code, off, "%s: %s", path, what);
}

static void push(struct m *m, const char *key) {
  if (m->r && m->depth < MAX_PATH)
    m->keys[m->depth] = key;
  m->depth++;
}

static void push_index(struct m *m, int i) {
  if (m->r && m->depth < MAX_PATH) {
    m->keys[m->depth] = NULL;
    m->idx[m->depth] = i;
  }
  m->depth++;
}

static void popm(struct m *m) {
  m->depth--;
}

/* cJSON's type tests, inline: they run for every value of every body
 * matched, and the library's are calls through the PLT. Same answers (a
 * NULL item has no type). */
static inline bool is_type(const cJSON *v, int type) {
  return v && (v->type & 0xFF) == type;
}
static inline bool is_string(const cJSON *v) {
  return is_type(v, cJSON_String);
}
static inline bool is_number(const cJSON *v) {
  return is_type(v, cJSON_Number);
}
static inline bool is_null(const cJSON *v) {
  return is_type(v, cJSON_NULL);
}
static inline bool is_object(const cJSON *v) {
  return is_type(v, cJSON_Object);
}
static inline bool is_array(const cJSON *v) {
  return is_type(v, cJSON_Array);
}
static inline bool is_true(const cJSON *v) {
  return is_type(v, cJSON_True);
}
static inline bool is_bool(const cJSON *v) {
  return v && (v->type & (cJSON_True | cJSON_False)) != 0;
}

/* NUL-terminated forms of the shared text syntax (sc_parse_int.h). */
static bool all_digits(const char *s, size_t min, size_t max) {
  return sc_lex_digits(s, strlen(s), min, max);
}

static bool is_integral(double d) {
  return d >= -9007199254740992.0 && d <= 9007199254740992.0 &&
         (double)(long long)d == d;
}

static bool decimal_text(const char *s) {
  return sc_lex_decimal(s, strlen(s));
}

/* Matches |fmt| against |s|: 'd' a digit, other bytes literally. Returns a
 * pointer past the match or NULL. */
static const char *shape(const char *s, const char *fmt) {
  for (; *fmt; fmt++, s++) {
    if (*fmt == 'd' ? (*s < '0' || *s > '9') : *s != *fmt)
      return NULL;
  }
  return s;
}

/* RFC 3339 zone: Z or +hh:mm, optionally after fractional seconds. */
static const char *zone(const char *s, bool *has) {
  if (*s == '.') {
    s++;
    while (*s >= '0' && *s <= '9')
      s++;
  }
  *has = true;
  if (*s == 'Z' || *s == 'z')
    return s + 1;
  if ((*s == '+' || *s == '-') && shape(s + 1, "dd:dd"))
    return s + 6;
  *has = false;
  return s;
}

enum fit { FIT_REF, FIT_VARIANT, FIT_NO };

/* How a scalar fits a type: reference, variant (with |why|), or not. */
/* Each family of scalar types: how |v| fits type |t| (FIT_REF, a
 * tolerated FIT_VARIANT, or FIT_NO), with the reason in *why. |s| is
 * v's string or NULL, |num| whether v is a number. */

/* id, int, unixtime and currency: whole numbers, as numbers or strings. */
static enum fit fit_whole(enum sc_stype t, bool as_string, const cJSON *v,
                          const char *s, bool num, const char **why) {
  bool neg_ok = t == SC_STYPE_INT;
  bool ok_num = num && is_integral(v->valuedouble) &&
                (neg_ok || v->valuedouble >= 0);
  bool ok_str = s && (all_digits(s, 1, 19) ||
                      (neg_ok && s[0] == '-' && all_digits(s + 1, 1, 19)));
  if (t == SC_STYPE_CURRENCY) {
    ok_num = ok_num && v->valuedouble >= 1 && v->valuedouble <= 999;
    ok_str = s && all_digits(s, 3, 3);
  }
  if (ok_num) {
    *why = "a number where the reference sends a string";
    return as_string ? FIT_VARIANT : FIT_REF;
  }
  if (ok_str) {
    *why = "a string where the reference sends a number";
    return as_string ? FIT_REF : FIT_VARIANT;
  }
  *why = t == SC_STYPE_CURRENCY ? "not an ISO 4217 numeric code"
                                : "not a whole number";
  return FIT_NO;
}

static enum fit fit_decimal(bool as_string, const char *s, bool num,
                            const char **why) {
  if (num) {
    *why = "a number where the reference sends a string";
    return as_string ? FIT_VARIANT : FIT_REF;
  }
  if (s && decimal_text(s)) {
    *why = "a string where the reference sends a number";
    return as_string ? FIT_REF : FIT_VARIANT;
  }
  *why = "not a decimal number";
  return FIT_NO;
}

/* bool01 ("0"/"1") and bool (true/false): each tolerates the other. */
static enum fit fit_bool(enum sc_stype t, const cJSON *v, const char *s,
                         bool num, const char **why) {
  bool zero_one = num && (v->valuedouble == 0 || v->valuedouble == 1);
  if (t == SC_STYPE_BOOL01) {
    if (s && (strcmp(s, "0") == 0 || strcmp(s, "1") == 0))
      return FIT_REF;
    if (is_bool(v) || zero_one) {
      *why = "true/false or a number where the reference sends \"0\"/\"1\"";
      return FIT_VARIANT;
    }
    *why = "not \"0\" or \"1\"";
    return FIT_NO;
  }
  if (is_bool(v))
    return FIT_REF;
  if ((s && (!strcmp(s, "0") || !strcmp(s, "1") || !strcmp(s, "true") ||
             !strcmp(s, "false"))) ||
      zero_one) {
    *why = "\"0\"/\"1\" or a number where the reference sends true/false";
    return FIT_VARIANT;
  }
  *why = "not a boolean";
  return FIT_NO;
}

/* msisdn (digits only) and e164 (+digits). */
static enum fit fit_phone(enum sc_stype t, const cJSON *v, const char *s,
                          bool num, const char **why) {
  if (t == SC_STYPE_E164) {
    if (s && s[0] == '+' && all_digits(s + 1, 6, 15))
      return FIT_REF;
    if (s && all_digits(s, 6, 15)) {
      *why = "no '+' before the digits";
      return FIT_VARIANT;
    }
    *why = "not a +digits phone number";
    return FIT_NO;
  }
  if (s && all_digits(s, 6, 15))
    return FIT_REF;
  if (num && is_integral(v->valuedouble) && v->valuedouble > 0) {
    *why = "a number where the reference sends a string of digits";
    return FIT_VARIANT;
  }
  if (s && s[0] != '+' && strlen(s) >= 6 && strlen(s) <= 15 &&
      strspn(s, "0123456789*") == strlen(s)) {
    *why = "digits masked with '*'";
    return FIT_VARIANT;
  }
  *why = s && s[0] == '+' ? "a '+' before the digits: clients read the "
                            "number as digits only"
                          : "not a phone number of 6 to 15 digits";
  return FIT_NO;
}

/* datetime ("YYYY-MM-DD HH:MM:SS"), isolocal (with 'T', no zone) and
 * isotime (RFC 3339): each tolerates the others' forms. */
static enum fit fit_time(enum sc_stype t, const char *s, const char **why) {
  const char *e;
  bool space = s && (e = shape(s, "dddd-dd-dd dd:dd:dd")) != NULL;
  bool tee = s && (shape(s, "dddd-dd-ddTdd:dd:dd")) != NULL;
  bool has_zone = false;
  if (space || tee) {
    const char *end = zone(s + 19, &has_zone);
    if (*end != '\0')
      space = tee = false;
  }
  if (t == SC_STYPE_DATETIME) {
    if (space && !has_zone)
      return FIT_REF;
    if (space || tee) {
      *why = "ISO 8601 form where the reference sends "
             "\"YYYY-MM-DD HH:MM:SS\"";
      return FIT_VARIANT;
    }
    *why = "not a \"YYYY-MM-DD HH:MM:SS\" datetime";
    return FIT_NO;
  }
  if (t == SC_STYPE_ISOLOCAL) {
    if (tee && !has_zone)
      return FIT_REF;
    if (space || tee) {
      *why = "a space or a zone where the reference sends "
             "\"YYYY-MM-DDTHH:MM:SS\"";
      return FIT_VARIANT;
    }
    *why = "not a \"YYYY-MM-DDTHH:MM:SS\" datetime";
    return FIT_NO;
  }
  if (tee && has_zone)
    return FIT_REF;
  if (space || tee) {
    *why = "datetime without a zone or without the 'T' of RFC 3339";
    return FIT_VARIANT;
  }
  *why = "not an RFC 3339 datetime";
  return FIT_NO;
}

static enum fit fit_type(enum sc_stype t, bool as_string, const cJSON *v,
                         const char **why) {
  const char *s = is_string(v) ? v->valuestring : NULL;
  bool num = is_number(v);
  *why = "";
  switch (t) {
  case SC_STYPE_ID:
  case SC_STYPE_INT:
  case SC_STYPE_UNIXTIME:
  case SC_STYPE_CURRENCY:
    return fit_whole(t, as_string, v, s, num, why);
  case SC_STYPE_DECIMAL:
    return fit_decimal(as_string, s, num, why);
  case SC_STYPE_BOOL01:
  case SC_STYPE_BOOL:
    return fit_bool(t, v, s, num, why);
  case SC_STYPE_MSISDN:
  case SC_STYPE_E164:
    return fit_phone(t, v, s, num, why);
  case SC_STYPE_DATETIME:
  case SC_STYPE_ISOLOCAL:
  case SC_STYPE_ISOTIME:
    return fit_time(t, s, why);
  case SC_STYPE_TEXT:
  case SC_STYPE_URL:
    if (s)
      return FIT_REF;
    if (num || is_bool(v)) {
      *why = "a number or boolean where the reference sends a string";
      return FIT_VARIANT;
    }
    *why = "not a string";
    return FIT_NO;
  case SC_STYPE_NULL:
    *why = "not null";
    return is_null(v) ? FIT_REF : FIT_NO;
  case SC_STYPE_ANY:
  case SC_STYPE__COUNT:
    return FIT_REF;
  }
  return FIT_NO;
}

static const char *json_type(const cJSON *v) {
  if (is_object(v))
    return "an object";
  if (is_array(v))
    return "an array";
  if (is_string(v))
    return "a string";
  if (is_number(v))
    return "a number";
  if (is_bool(v))
    return "a boolean";
  return "null";
}

static bool json_equal(const cJSON *a, const cJSON *b) {
  return cJSON_Compare(a, b, true);
}

/* cJSON_GetObjectItemCaseSensitive without a library call per member: the
 * first member named |key|, or NULL. */
static const cJSON *member(const cJSON *o, const char *key) {
  for (const cJSON *c = o ? o->child : NULL; c; c = c->next)
    if (c->string && c->string[0] == key[0] && strcmp(c->string, key) == 0)
      return c;
  return NULL;
}

/* True when |fields| has a member named |key|, or |key| followed by '?'
 * (the known keys of a closed object). */
static bool has_field(const cJSON *fields, const char *key) {
  size_t kl = strlen(key);
  for (const cJSON *c = fields->child; c; c = c->next)
    if (c->string && strncmp(c->string, key, kl) == 0 &&
        (c->string[kl] == '\0' ||
         (c->string[kl] == '?' && c->string[kl + 1] == '\0')))
      return true;
  return false;
}

static void match(struct m *m, const cJSON *s, const cJSON *v);

static void match_object(struct m *m, const struct shape *sh,
                         const cJSON *fields, const cJSON *v) {
  if (!is_object(v)) {
    dev(m, SC_DEV_JSON_TYPE, "%s where an object is expected", json_type(v));
    return;
  }
  const cJSON *f;
  char key[128];
  cJSON_ArrayForEach(f, fields) {
    size_t kl = strlen(f->string);
    bool optional = kl > 0 && f->string[kl - 1] == '?';
    const char *name = f->string; /* copied only to drop the '?' */
    if (optional || kl >= sizeof(key)) {
      if (optional)
        kl--;
      if (kl >= sizeof(key))
        kl = sizeof(key) - 1;
      memcpy(key, f->string, kl);
      key[kl] = '\0';
      name = key;
    }
    const cJSON *x = member(v, name);
    if (!x) {
      if (!optional)
        dev(m, SC_DEV_JSON_MISSING, "required key \"%s\" is missing", name);
      continue;
    }
    push(m, x->string);
    match(m, f, x);
    popm(m);
  }
  if (is_true(sh->closed)) {
    cJSON_ArrayForEach(f, v) {
      if (!has_field(fields, f->string))
        dev(m, SC_DEV_JSON_SHAPE, "unexpected key \"%.60s\"", f->string);
    }
  }
}

/* |s| looked at once: its type, or its shape key and modifiers (one walk
 * over the schema object instead of a lookup per possible key; lint allows
 * exactly one shape key). */
static void fill_shape(struct shape *sh, const cJSON *s) {
  memset(sh, 0, sizeof *sh);
  if (is_string(s)) {
    sh->scalar = true;
    sh->known = sc_schema_type(s->valuestring, &sh->t, &sh->as_str);
    return;
  }
  for (const cJSON *k = s->child; k; k = k->next) {
    const char *n = k->string;
    const cJSON **slot = NULL;
    if (!n)
      continue;
    switch (n[0]) {
    case 'o':
      slot = strcmp(n, "object") == 0  ? &sh->object
             : strcmp(n, "oneOf") == 0 ? &sh->one_of
             : strcmp(n, "open") == 0  ? &sh->open
                                       : NULL;
      break;
    case 'a':
      slot = strcmp(n, "array") == 0 ? &sh->array : NULL;
      break;
    case 'm':
      slot = strcmp(n, "map") == 0   ? &sh->map
             : strcmp(n, "min") == 0 ? &sh->min
                                     : NULL;
      break;
    case 'c':
      slot = strcmp(n, "const") == 0    ? &sh->cnst
             : strcmp(n, "closed") == 0 ? &sh->closed
                                        : NULL;
      break;
    case 'e':
      slot = strcmp(n, "enum") == 0 ? &sh->enm : NULL;
      break;
    case 'k':
      slot = strcmp(n, "keys") == 0 ? &sh->keys : NULL;
      break;
    case 'n':
      slot = strcmp(n, "nullable") == 0 ? &sh->nullable
             : strcmp(n, "null") == 0   ? &sh->null
                                        : NULL;
      break;
    default:
      break;
    }
    if (slot && !*slot) /* the first of a key, as a lookup finds it */
      *slot = k;
  }
  bool as_str;
  sh->keyed = is_string(sh->keys) &&
              sc_schema_type(sh->keys->valuestring, &sh->key_t, &as_str);
  sh->null_warn =
      is_string(sh->null) && strcmp(sh->null->valuestring, "warn") == 0;
}

static size_t node_hash(const cJSON *s) {
  uint64_t h = (uint64_t)(uintptr_t)s * 0x9E3779B97F4A7C15u;
  return (size_t)(h >> 32);
}

/* The compiled slot of |s|, or NULL when |s| is not in |c|. */
static const struct shape *compiled_shape(const struct sc_schema_shapes *c,
                                          const cJSON *s) {
  for (size_t i = node_hash(s) & c->mask;; i = (i + 1) & c->mask) {
    if (c->nodes[i] == s)
      return &c->shapes[i];
    if (!c->nodes[i])
      return NULL;
  }
}

/* The shape of |s|: from the compiled table when it holds |s|, else from
 * the per-call cache, filled on a miss. */
static const struct shape *shape_of(struct m *m, const cJSON *s) {
  if (m->compiled) {
    const struct shape *sh = compiled_shape(m->compiled, s);
    if (sh)
      return sh;
  }
  struct shape_cache *c = m->cache;
  if (!c->ready) {
    memset(c->nodes, 0, sizeof c->nodes);
    c->ready = true;
  }
  size_t at = ((uintptr_t)s / sizeof(cJSON)) % SHAPE_SLOTS;
  struct shape *sh = &c->shapes[at];
  if (c->nodes[at] == s)
    return sh;
  c->nodes[at] = s;
  fill_shape(sh, s);
  return sh;
}

/* The shape of |s| for a loop that matches many values against it: the
 * compiled one, or a copy in |local| (a per-call cache slot may be taken
 * by another node while the values are matched). */
static const struct shape *loop_shape(struct m *m, const cJSON *s,
                                      struct shape *local) {
  if (m->compiled) {
    const struct shape *sh = compiled_shape(m->compiled, s);
    if (sh)
      return sh;
  }
  *local = *shape_of(m, s);
  return local;
}

static void match_shape(struct m *m, const struct shape *sh, const cJSON *v);

/* What schema |s| expects, for a message: its type name, or the kind of
 * value its shape key describes. */
static const char *schema_what(const cJSON *s) {
  if (is_string(s))
    return s->valuestring;
  for (const cJSON *k = s ? s->child : NULL; k; k = k->next) {
    if (!k->string)
      continue;
    if (strcmp(k->string, "object") == 0 || strcmp(k->string, "map") == 0)
      return "an object";
    if (strcmp(k->string, "array") == 0)
      return "an array";
  }
  return "a value";
}

static void match(struct m *m, const cJSON *s, const cJSON *v) {
  match_shape(m, shape_of(m, s), v);
}

static void match_scalar(struct m *m, const struct shape *sh, const cJSON *v) {
  const char *why;
  if (!sh->known)
    return; /* lint rejects this */
  enum sc_stype t = sh->t;
  if (stypes[t].ref != '*' && (is_object(v) || is_array(v))) {
    dev(m, SC_DEV_JSON_TYPE, "%s where %s (%s) is expected", json_type(v),
        "a scalar", stypes[t].name);
    return;
  }
  switch (fit_type(t, sh->as_str, v, &why)) {
  case FIT_REF:
    break;
  case FIT_VARIANT:
    dev(m, SC_DEV_JSON_VARIANT, "%s: %s", stypes[t].name, why);
    break;
  case FIT_NO:
    dev(m, SC_DEV_JSON_TYPE, "%s: %s", stypes[t].name, why);
    break;
  }
}

/* {"array": S, "min": N}: every element against S. */
static void match_array(struct m *m, const struct shape *sh, const cJSON *v) {
  if (!is_array(v)) {
    dev(m, SC_DEV_JSON_TYPE, "%s where an array is expected", json_type(v));
    return;
  }
  int n = cJSON_GetArraySize(v);
  if (sh->min && n < (int)sh->min->valuedouble)
    dev(m, SC_DEV_JSON_SHAPE, "%d element(s), at least %d expected", n,
        (int)sh->min->valuedouble);
  int i = 0;
  struct shape local;
  const struct shape *xs = v->child ? loop_shape(m, sh->array, &local) : NULL;
  const cJSON *it;
  cJSON_ArrayForEach(it, v) {
    push_index(m, i++);
    match_shape(m, xs, it);
    popm(m);
  }
}

/* {"map": S}: an object keyed by ids (or decimals), every value against S. */
static void match_map(struct m *m, const struct shape *sh, const cJSON *v) {
  if (!is_object(v)) {
    dev(m, SC_DEV_JSON_TYPE, "%s where an object keyed by %s is expected",
        json_type(v), "id");
    return;
  }
  bool keyed = sh->keyed;
  enum sc_stype t = sh->key_t;
  struct shape local;
  const struct shape *xs = v->child ? loop_shape(m, sh->map, &local) : NULL;
  const cJSON *it;
  cJSON_ArrayForEach(it, v) {
    push(m, it->string);
    if (keyed && (t == SC_STYPE_ID || t == SC_STYPE_INT) &&
        !all_digits(it->string, 1, 19))
      dev(m, SC_DEV_JSON_SHAPE, "key \"%.40s\" is not a numeric id",
          it->string);
    else if (keyed && t == SC_STYPE_DECIMAL && !decimal_text(it->string))
      dev(m, SC_DEV_JSON_SHAPE, "key \"%.40s\" is not a decimal", it->string);
    match_shape(m, xs, it);
    popm(m);
  }
}

/* {"const": V} and {"enum": [...], "open": B}. */
static void match_value(struct m *m, const struct shape *sh, const cJSON *v) {
  const cJSON *it;
  if (sh->cnst) {
    if (!json_equal(sh->cnst, v)) {
      char *want = cJSON_PrintUnformatted(sh->cnst);
      dev(m, SC_DEV_JSON_SHAPE, "expected the value %.60s",
          want ? want : "(constant)");
      cJSON_free(want);
    }
    return;
  }
  bool found = false, same_type = false;
  cJSON_ArrayForEach(it, sh->enm) {
    found |= json_equal(it, v);
    same_type |= (it->type & 0xFF) == (v->type & 0xFF);
  }
  if (found)
    return;
  char *want = cJSON_PrintUnformatted(sh->enm);
  /* an open list shows the values a document names; another value of
   * the same JSON type is one it did not (002's status before an SMS) */
  if (same_type && is_true(sh->open))
    dev(m, SC_DEV_JSON_UNLISTED, "not one of the documented %.100s",
        want ? want : "(enum)");
  else
    dev(m, SC_DEV_JSON_SHAPE, "not one of %.100s", want ? want : "(enum)");
  cJSON_free(want);
}

/* {"one_of": [...]}: the alternative with the fewest FAILs, then the
 * fewest WARNs (an exact fit beats a variant), matched for real. */
static void match_one_of(struct m *m, const cJSON *alts, const cJSON *v) {
  const cJSON *best = NULL, *it;
  size_t best_fails = (size_t)-1, best_warns = (size_t)-1;
  cJSON_ArrayForEach(it, alts) {
    /* a probe counts and keeps no path */
    struct m probe;
    probe.compiled = m->compiled;
    probe.cache = m->cache;
    probe.r = NULL;
    probe.body = m->body;
    probe.len = m->len;
    probe.fails = probe.warns = 0;
    probe.depth = m->depth;
    match(&probe, it, v);
    if (probe.fails < best_fails ||
        (probe.fails == best_fails && probe.warns < best_warns)) {
      best_fails = probe.fails;
      best_warns = probe.warns;
      best = it;
    }
    if (best_fails == 0 && best_warns == 0)
      break;
  }
  if (best)
    match(m, best, v);
}

/* Matches |v| against the schema node whose shape is |sh|. */
static void match_shape(struct m *m, const struct shape *sh, const cJSON *v) {
  if (sh->scalar)
    match_scalar(m, sh, v);
  else if (sh->object)
    match_object(m, sh, sh->object, v);
  else if (sh->array)
    match_array(m, sh, v);
  else if (sh->map)
    match_map(m, sh, v);
  else if (sh->cnst || sh->enm)
    match_value(m, sh, v);
  else if (sh->one_of)
    match_one_of(m, sh->one_of, v);
  else if (sh->nullable) {
    /* null for a value that does not exist yet (no SMS, no call): PASS,
     * or a WARN where only vendors send it and no document shows it */
    if (!is_null(v))
      match(m, sh->nullable, v);
    else if (sh->null_warn)
      dev(m, SC_DEV_JSON_VARIANT,
          "null where the documents show %s; vendors send null for a "
          "value that does not exist yet",
          schema_what(sh->nullable));
  }
}

size_t sc_schema_match(const cJSON *schema, const cJSON *value,
                       const char *body, size_t len, struct sc_result *r,
                       const struct sc_schema_shapes *shapes) {
  struct m m;
  struct shape_cache cache;
  cache.ready = false;
  /* the path arrays are written by push before they are read */
  m.compiled = shapes;
  m.cache = &cache;
  m.r = r;
  m.body = body;
  m.len = len;
  m.fails = 0;
  m.warns = 0;
  m.depth = 0;
  match(&m, schema, value);
  return m.fails;
}

/* ---- compiling shapes (spec load) ---- */

/* Deeper than lint allows (32): what lies below is left to the per-call
 * cache. */
#define COMPILE_DEPTH 40

/* Calls |fn| for every schema node match() reaches from |s|, following
 * the same shape key it follows; |s| first. */
static void walk_nodes(const cJSON *s, int depth,
                       void (*fn)(void *, const cJSON *, struct shape *),
                       void *arg) {
  struct shape sh;
  if (!s || depth > COMPILE_DEPTH)
    return;
  fill_shape(&sh, s);
  fn(arg, s, &sh);
  if (sh.scalar)
    return;
  const cJSON *it;
  if (sh.object) {
    cJSON_ArrayForEach(it, sh.object) walk_nodes(it, depth + 1, fn, arg);
  } else if (sh.array) {
    walk_nodes(sh.array, depth + 1, fn, arg);
  } else if (sh.map) {
    walk_nodes(sh.map, depth + 1, fn, arg);
  } else if (sh.cnst || sh.enm) {
    return;
  } else if (sh.one_of) {
    cJSON_ArrayForEach(it, sh.one_of) walk_nodes(it, depth + 1, fn, arg);
  } else if (sh.nullable) {
    walk_nodes(sh.nullable, depth + 1, fn, arg);
  }
}

static void count_node(void *arg, const cJSON *s, struct shape *sh) {
  (void)s;
  (void)sh;
  (*(size_t *)arg)++;
}

static void add_node(void *arg, const cJSON *s, struct shape *sh) {
  struct sc_schema_shapes *c = arg;
  size_t i = node_hash(s) & c->mask;
  while (c->nodes[i] && c->nodes[i] != s)
    i = (i + 1) & c->mask;
  c->nodes[i] = s;
  c->shapes[i] = *sh;
}

struct sc_schema_shapes *sc_schema_compile(const cJSON *const *schemas,
                                           size_t n) {
  size_t count = 0;
  for (size_t k = 0; k < n; k++)
    walk_nodes(schemas[k], 0, count_node, &count);
  size_t nslots = 16;
  while (nslots < 2 * count)
    nslots *= 2;
  struct sc_schema_shapes *c = sc_calloc(1, sizeof(*c));
  if (!c)
    return NULL;
  c->mask = nslots - 1;
  c->nodes = sc_calloc(nslots, sizeof(*c->nodes));
  c->shapes = sc_calloc(nslots, sizeof(*c->shapes));
  if (!c->nodes || !c->shapes) {
    sc_schema_shapes_free(c);
    return NULL;
  }
  for (size_t k = 0; k < n; k++)
    walk_nodes(schemas[k], 0, add_node, c);
  return c;
}

void sc_schema_shapes_free(struct sc_schema_shapes *c) {
  if (!c)
    return;
  sc_free(c->nodes);
  sc_free(c->shapes);
  sc_free(c);
}

size_t sc_schema_shapes_count(const struct sc_schema_shapes *c) {
  size_t n = 0;
  for (size_t i = 0; c && i <= c->mask; i++)
    n += c->nodes[i] != NULL;
  return n;
}

bool sc_schema_shapes_has(const struct sc_schema_shapes *c,
                          const cJSON *node) {
  return c && node && compiled_shape(c, node) != NULL;
}
