/* sc_lint.c — validates a loaded spec: shapes, citations, cross-references.
 *
 * Every problem is one line "file: $.json.path: message" so that a person can
 * go straight to it. Lint never stops at the first problem. */
#include "sc_alloc.h"
#include "sc_buf.h"
#include "sc_schema.h"
#include "sc_spec.h"

#include <stdio.h>
#include <string.h>

enum vt { V_STR, V_BOOL, V_NUM, V_ARR, V_OBJ, V_ANY };

struct keydef {
  const char *key;
  enum vt type;
  bool required;
};

struct ctx {
  const struct sc_spec *spec;
  struct sc_buf *diag;
  const char *file;
  /* The top-level "sources" of a user's profile file that extends
   * another: the vendor's own documents a citation may name; NULL
   * elsewhere. */
  const cJSON *own_sources;
  char path[512];
  size_t problems;
  int elided; /* lines left out: |diag| was nearly full */
};

/* The longest message of one diagnostic line, and the room kept in |diag|
 * for the line that says the rest was left out. A user's file is
 * untrusted: a message quoting a 1 MB name is cut, and a file with more
 * problems than |diag| holds is reported as such rather than making the
 * full buffer look like an allocation failure. */
#define DIAG_MSG_MAX 480
#define DIAG_RESERVE 256

static void problem(struct ctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void problem(struct ctx *c, const char *fmt, ...) {
  char msg[DIAG_MSG_MAX];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (n < 0) {
    msg[0] = '\0';
  } else if ((size_t)n >= sizeof msg) {
    /* cut on a UTF-8 character boundary, then say so */
    size_t k = sizeof msg - 4;
    while (k && ((unsigned char)msg[k] & 0xC0) == 0x80)
      k--;
    memcpy(msg + k, "...", 4);
  }
  c->problems++;
  size_t need = strlen(c->file) + strlen(c->path) + strlen(msg) + 8;
  if (c->elided)
    return;
  if (c->diag->len + need + DIAG_RESERVE > c->diag->max) {
    c->elided = 1;
    sc_buf_printf(c->diag, "%s: further problems not listed\n", c->file);
    return;
  }
  sc_buf_printf(c->diag, "%s: %s: %s\n", c->file, c->path[0] ? c->path : "$",
                msg);
}

/* Path stack: push returns the old length to restore. */
static size_t push_key(struct ctx *c, const char *key) {
  size_t l = strlen(c->path);
  snprintf(c->path + l, sizeof(c->path) - l, "%s.%s", l ? "" : "$", key);
  return l;
}
static size_t push_idx(struct ctx *c, int i) {
  size_t l = strlen(c->path);
  snprintf(c->path + l, sizeof(c->path) - l, "%s[%d]", l ? "" : "$", i);
  return l;
}
static void pop(struct ctx *c, size_t l) {
  c->path[l] = '\0';
}

static bool is_type(const cJSON *v, enum vt t) {
  switch (t) {
  case V_STR:
    return cJSON_IsString(v);
  case V_BOOL:
    return cJSON_IsBool(v);
  case V_NUM:
    return cJSON_IsNumber(v);
  case V_ARR:
    return cJSON_IsArray(v);
  case V_OBJ:
    return cJSON_IsObject(v);
  case V_ANY:
    return true;
  }
  return false;
}

static const char *type_name(enum vt t) {
  static const char *const n[] = {"a string", "true or false", "a number",
                                  "an array", "an object", "any value"};
  return n[t];
}

/* Checks |o| is an object whose keys are all in |defs| with the right types
 * and whose required keys are present (those of |required| when it is not
 * NULL, else those |defs| marks). Returns false if |o| is no object. */
static bool check_keys_req(struct ctx *c, const cJSON *o,
                           const struct keydef *defs, const char *what,
                           const char *const *required) {
  if (!cJSON_IsObject(o)) {
    problem(c, "%s must be an object", what);
    return false;
  }
  const cJSON *it;
  cJSON_ArrayForEach(it, o) {
    const struct keydef *d = defs;
    while (d->key && strcmp(d->key, it->string) != 0)
      d++;
    size_t l = push_key(c, it->string);
    if (!d->key)
      problem(c, "unknown key \"%s\" in %s", it->string, what);
    else if (!is_type(it, d->type))
      problem(c, "must be %s", type_name(d->type));
    pop(c, l);
  }
  for (const struct keydef *d = defs; d->key; d++) {
    bool req = d->required;
    if (required) {
      req = false;
      for (const char *const *r = required; *r; r++)
        req |= strcmp(*r, d->key) == 0;
    }
    if (req && !cJSON_GetObjectItemCaseSensitive(o, d->key))
      problem(c, "%s lacks the required key \"%s\"", what, d->key);
  }
  return true;
}

static bool check_keys(struct ctx *c, const cJSON *o, const struct keydef *defs,
                       const char *what) {
  return check_keys_req(c, o, defs, what, NULL);
}

static const cJSON *get(const cJSON *o, const char *k) {
  return cJSON_GetObjectItemCaseSensitive(o, k);
}

static const cJSON *find_document(const struct sc_spec *s, const char *file) {
  const cJSON *d;
  cJSON_ArrayForEach(d, get(s->sources, "documents")) {
    const cJSON *f = get(d, "file");
    if (cJSON_IsString(f) && strcmp(f->valuestring, file) == 0)
      return d;
  }
  return NULL;
}

/* True when the file's own "sources" list the pair |doc|, |section|. */
static bool own_source(const struct ctx *c, const char *doc,
                       const char *section) {
  const cJSON *cit;
  cJSON_ArrayForEach(cit, c->own_sources) {
    const cJSON *d = get(cit, "doc"), *sec = get(cit, "section");
    if (cJSON_IsString(d) && cJSON_IsString(sec) &&
        strcmp(d->valuestring, doc) == 0 &&
        strcmp(sec->valuestring, section) == 0)
      return true;
  }
  return false;
}

static const struct keydef citation_keys[] = {
    {"doc", V_STR, true}, {"section", V_STR, true}, {"note", V_STR, false},
    {NULL, V_ANY, false}};

/* "sources": a non-empty array of citations of known sections. */
static void check_sources(struct ctx *c, const cJSON *o, size_t min) {
  const cJSON *src = get(o, "sources");
  if (!src)
    return; /* check_keys reports a required "sources" that is missing */
  size_t l = push_key(c, "sources");
  if (!cJSON_IsArray(src) || (size_t)cJSON_GetArraySize(src) < min) {
    problem(c, "must be an array of at least %zu citation(s)", min);
    pop(c, l);
    return;
  }
  int i = 0;
  const cJSON *cit;
  cJSON_ArrayForEach(cit, src) {
    size_t l2 = push_idx(c, i++);
    if (check_keys(c, cit, citation_keys, "a citation")) {
      const cJSON *doc = get(cit, "doc"), *sec = get(cit, "section");
      if (cJSON_IsString(doc) && cJSON_IsString(sec)) {
        const cJSON *d = find_document(c->spec, doc->valuestring);
        /* a vendor's own document: a pair of the file's own sources */
        if (!d && !own_source(c, doc->valuestring, sec->valuestring))
          problem(c, "cites \"%s\", which is not a source document%s",
                  doc->valuestring,
                  c->own_sources ? " (nor, with that section, one of the "
                                   "file's own sources)"
                                 : "");
        else if (d && !sc_json_array_has_string(get(d, "sections"),
                                                sec->valuestring))
          problem(c, "cites section \"%s\", which %s does not have",
                  sec->valuestring, doc->valuestring);
      }
    }
    pop(c, l2);
  }
  pop(c, l);
}

/* An array of token names, each defined. */
static void check_token_list(struct ctx *c, const cJSON *o, const char *key) {
  const cJSON *arr = get(o, key);
  if (!arr)
    return;
  size_t l = push_key(c, key);
  if (!cJSON_IsArray(arr)) {
    problem(c, "must be an array of token names");
  } else {
    int i = 0;
    const cJSON *t;
    cJSON_ArrayForEach(t, arr) {
      size_t l2 = push_idx(c, i++);
      if (!cJSON_IsString(t))
        problem(c, "must be a token name");
      else if (!sc_spec_token(c->spec, t->valuestring,
                              strlen(t->valuestring)))
        problem(c, "token \"%s\" is not defined in tokens.json",
                t->valuestring);
      pop(c, l2);
    }
  }
  pop(c, l);
}

static void check_schema(struct ctx *c, const cJSON *schema) {
  char msg[200], sub[256];
  if (!sc_schema_check(schema, msg, sizeof(msg), sub, sizeof(sub))) {
    size_t l = strlen(c->path);
    snprintf(c->path + l, sizeof(c->path) - l, "%s", sub);
    problem(c, "%s", msg);
    pop(c, l);
  }
}

static const struct keydef form_keys[] = {{"token", V_STR, false},
                                          {"json", V_ANY, false},
                                          {"note", V_STR, false},
                                          {NULL, V_ANY, false}};

static void check_success(struct ctx *c, const cJSON *arr) {
  if (!arr)
    return;
  size_t l = push_key(c, "success");
  if (!cJSON_IsArray(arr)) {
    problem(c, "must be an array of forms");
    pop(c, l);
    return;
  }
  int i = 0;
  const cJSON *f;
  cJSON_ArrayForEach(f, arr) {
    size_t l2 = push_idx(c, i++);
    if (check_keys(c, f, form_keys, "a success form")) {
      const cJSON *tok = get(f, "token"), *js = get(f, "json");
      if (!tok == !js) {
        problem(c, "a form has exactly one of \"token\" and \"json\"");
      } else if (tok && cJSON_IsString(tok)) {
        const struct sc_token *t =
            sc_spec_token(c->spec, tok->valuestring, strlen(tok->valuestring));
        if (!t)
          problem(c, "token \"%s\" is not defined in tokens.json",
                  tok->valuestring);
      } else if (js) {
        size_t l3 = push_key(c, "json");
        check_schema(c, js);
        pop(c, l3);
      }
    }
    pop(c, l2);
  }
  pop(c, l);
}

static const char *const param_types[] = {
    "key",  "service", "country", "operator", "id",   "int",
    "decimal", "bool", "text",    "url",      "timestamp", "enum",
    "list", "lang",    NULL};

static const struct keydef param_keys[] = {
    {"name", V_STR, true},    {"required", V_BOOL, true},
    {"type", V_STR, true},    {"values", V_ARR, false},
    {"sources", V_ARR, false}, {"note", V_STR, false},
    {"in", V_STR, false},     {NULL, V_ANY, false}};

static void check_params(struct ctx *c, const cJSON *arr) {
  if (!arr)
    return;
  size_t l = push_key(c, "params");
  if (!cJSON_IsArray(arr)) {
    problem(c, "must be an array");
    pop(c, l);
    return;
  }
  int i = 0;
  const cJSON *p, *q;
  cJSON_ArrayForEach(p, arr) {
    size_t l2 = push_idx(c, i++);
    if (check_keys(c, p, param_keys, "a parameter")) {
      const cJSON *type = get(p, "type"), *name = get(p, "name");
      if (cJSON_IsString(type)) {
        const char *const *t = param_types;
        while (*t && strcmp(*t, type->valuestring) != 0)
          t++;
        if (!*t)
          problem(c, "unknown parameter type \"%s\"", type->valuestring);
        else if (strcmp(*t, "enum") == 0 &&
                 cJSON_GetArraySize(get(p, "values")) == 0)
          problem(c, "an enum parameter lists its \"values\"");
      }
      const cJSON *in = get(p, "in");
      if (cJSON_IsString(in) && strcmp(in->valuestring, "header") &&
          strcmp(in->valuestring, "query") && strcmp(in->valuestring, "body") &&
          strcmp(in->valuestring, "path"))
        problem(c, "\"in\" is one of header, query, body, path");
      check_sources(c, p, 1);
      /* duplicate parameter names */
      int j = 0;
      cJSON_ArrayForEach(q, arr) {
        if (j++ >= i - 1)
          break;
        const cJSON *qn = get(q, "name");
        if (cJSON_IsString(name) && cJSON_IsString(qn) &&
            strcmp(name->valuestring, qn->valuestring) == 0) {
          problem(c, "duplicate parameter \"%s\"", name->valuestring);
          break;
        }
      }
    }
    pop(c, l2);
  }
  pop(c, l);
}

static const struct keydef action_keys[] = {
    {"name", V_STR, true},       {"inferred", V_BOOL, true},
    {"spends", V_BOOL, true},    {"summary", V_STR, true},
    {"sources", V_ARR, true},    {"params", V_ARR, true},
    {"success", V_ARR, true},    {"errors", V_ARR, false},
    {"json_errors", V_ARR, false}, {"where", V_STR, false},
    {"http", V_OBJ, false},      {"http_errors", V_ARR, false},
    {"note", V_STR, false},      {NULL, V_ANY, false}};

static const struct keydef http_keys[] = {{"method", V_STR, true},
                                          {"path", V_STR, true},
                                          {NULL, V_ANY, false}};

static void check_action(struct ctx *c, const cJSON *a) {
  if (!check_keys(c, a, action_keys, "an action"))
    return;
  check_sources(c, a, 1);
  check_params(c, get(a, "params"));
  check_success(c, get(a, "success"));
  check_token_list(c, a, "errors");
  check_token_list(c, a, "json_errors");
  const cJSON *where = get(a, "where");
  if (cJSON_IsString(where) && strcmp(where->valuestring, "server") &&
      strcmp(where->valuestring, "client"))
    problem(c, "\"where\" is \"server\" or \"client\"");
  const cJSON *http = get(a, "http");
  if (http) {
    size_t l = push_key(c, "http");
    check_keys(c, http, http_keys, "\"http\"");
    pop(c, l);
  }
}

static const struct keydef token_keys[] = {
    {"name", V_STR, true},     {"pattern", V_STR, false},
    {"kind", V_STR, true},     {"meaning", V_STR, true},
    {"sources", V_ARR, true},  {"provoke", V_STR, false},
    {"note", V_STR, false},    {"retry", V_BOOL, false},
    {"runs_out", V_BOOL, false}, {NULL, V_ANY, false}};

/* What a token entry says once its keys are checked. */
static void check_token_body(struct ctx *c, const cJSON *t) {
  check_sources(c, t, 1);
  const cJSON *name = get(t, "name"), *kind = get(t, "kind"),
              *pat = get(t, "pattern");
  if (!cJSON_IsString(name))
    return;
  const char *n = name->valuestring;
  bool ok = n[0] >= 'A' && n[0] <= 'Z';
  for (const char *p = n; *p && ok; p++)
    ok = (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_';
  if (!ok)
    problem(c, "token name \"%s\" is not of the form [A-Z][A-Z0-9_]*", n);
  if (cJSON_IsString(kind)) {
    bool known = false;
#define SC_TOKKIND_CHK(nm, str) known |= strcmp(kind->valuestring, str) == 0;
    SC_TOKKIND_MAP(SC_TOKKIND_CHK)
#undef SC_TOKKIND_CHK
    if (!known)
      problem(c, "kind \"%s\" is not success, status, error or library",
              kind->valuestring);
  }
  if (cJSON_IsString(pat)) {
    struct sc_token tmp;
    memset(&tmp, 0, sizeof(tmp));
    tmp.name = n;
    tmp.name_len = strlen(n);
    const char *why = sc_token_compile(&tmp, pat->valuestring);
    sc_free(tmp.strings);
    if (why) {
      size_t l = push_key(c, "pattern");
      problem(c, "%s", why);
      pop(c, l);
    }
  }
}

static void check_token(struct ctx *c, const cJSON *t) {
  if (check_keys(c, t, token_keys, "a token"))
    check_token_body(c, t);
}

static const struct keydef override_keys[] = {
    {"success", V_ARR, false},   {"params", V_ARR, false},
    {"errors", V_ARR, false},    {"json_errors", V_ARR, false},
    {"errors_add", V_ARR, false}, {"sources", V_ARR, true},
    {"note", V_STR, false},      {"path", V_STR, false},
    {"method", V_STR, false},    {"rename", V_OBJ, false},
    {"no_body", V_BOOL, false},  {"rename_keys", V_OBJ, false},
    {NULL, V_ANY, false}};

static const struct keydef profile_keys[] = {
    {"version", V_NUM, true},     {"name", V_STR, true},
    {"title", V_STR, true},       {"reference", V_BOOL, true},
    {"dialect", V_STR, true},     {"sources", V_ARR, true},
    {"actions", V_ARR, true},     {"common_errors", V_ARR, false},
    {"timing", V_OBJ, false},     {"overrides", V_OBJ, false},
    {"differences", V_ARR, false}, {"conflicts", V_ARR, false},
    {"content_type", V_OBJ, false}, {"auth", V_OBJ, false},
    {"rate_limit", V_OBJ, false}, {"note", V_STR, false},
    {"required_actions", V_OBJ, false}, {"unknown_action", V_OBJ, false},
    {"error_envelope", V_OBJ, false}, {"borrowed", V_ARR, false},
    {"extends", V_STR, false},    {"tokens", V_ARR, false},
    {"errors", V_OBJ, false},     {NULL, V_ANY, false}};

/* A profile that extends another takes the rest from it. */
static const char *const extending_required[] = {"version", "name",
                                                 "sources", NULL};

static const struct keydef what_keys[] = {{"what", V_STR, true},
                                          {"sources", V_ARR, true},
                                          {"note", V_STR, false},
                                          {NULL, V_ANY, false}};

static void check_whats(struct ctx *c, const cJSON *p, const char *key,
                        size_t min_sources) {
  const cJSON *arr = get(p, key);
  if (!arr)
    return;
  size_t l = push_key(c, key);
  int i = 0;
  const cJSON *w;
  cJSON_ArrayForEach(w, arr) {
    size_t l2 = push_idx(c, i++);
    if (check_keys(c, w, what_keys, "an entry"))
      check_sources(c, w, min_sources);
    pop(c, l2);
  }
  pop(c, l);
}

/* |o|.|key|: an array of action names, each one of the profile's
 * |acts|. */
static void check_profile_actions(struct ctx *c, const cJSON *o,
                                  const char *key, const cJSON *acts) {
  const cJSON *arr = get(o, key), *a;
  if (!cJSON_IsArray(arr))
    return; /* check_keys reports it */
  size_t l = push_key(c, key);
  int i = 0;
  cJSON_ArrayForEach(a, arr) {
    size_t l2 = push_idx(c, i++);
    if (!cJSON_IsString(a))
      problem(c, "must be an action name");
    else if (!sc_json_array_has_string(acts, a->valuestring))
      problem(c, "action \"%s\" is not among the profile's actions",
              a->valuestring);
    pop(c, l2);
  }
  pop(c, l);
}

static const struct keydef required_keys[] = {{"actions", V_ARR, true},
                                              {"sources", V_ARR, true},
                                              {"note", V_STR, false},
                                              {NULL, V_ANY, false}};

static const struct keydef unknown_action_keys[] = {
    {"tokens", V_ARR, false}, {"http_status", V_ARR, false},
    {"sources", V_ARR, true}, {"note", V_STR, false},
    {NULL, V_ANY, false}};

static const struct keydef envelope_keys[] = {
    {"key", V_STR, true},     {"actions", V_ARR, true},
    {"sources", V_ARR, true}, {"note", V_STR, false},
    {NULL, V_ANY, false}};

static const struct keydef borrowed_keys[] = {
    {"timing", V_STR, true},  {"from", V_STR, true},
    {"sources", V_ARR, true}, {"note", V_STR, false},
    {NULL, V_ANY, false}};

/* "unknown_action": defined tokens and HTTP statuses, at least one. */
static void check_unknown_action(struct ctx *c, const cJSON *u) {
  if (!check_keys(c, u, unknown_action_keys, "\"unknown_action\""))
    return;
  check_sources(c, u, 1);
  check_token_list(c, u, "tokens");
  const cJSON *st = get(u, "http_status"), *it;
  size_t l = push_key(c, "http_status");
  int i = 0;
  const cJSON *sts = cJSON_IsArray(st) ? st : NULL;
  cJSON_ArrayForEach(it, sts) {
    size_t l2 = push_idx(c, i++);
    if (!cJSON_IsNumber(it) || it->valuedouble < 100 ||
        it->valuedouble > 599 || it->valuedouble != (int)it->valuedouble)
      problem(c, "must be an HTTP status (100 to 599)");
    pop(c, l2);
  }
  pop(c, l);
  if (cJSON_GetArraySize(get(u, "tokens")) + cJSON_GetArraySize(st) == 0)
    problem(c, "\"unknown_action\" names at least one token or HTTP status");
}

/* True when |name| is a key of the profile's "timing" or a timing rule
 * of lifecycle.json (what a check falls back on when the profile has no
 * value). */
static bool known_timing(const struct ctx *c, const cJSON *p,
                         const char *name) {
  if (get(get(p, "timing"), name))
    return true;
  const cJSON *t;
  cJSON_ArrayForEach(t, get(c->spec->lifecycle, "timing")) {
    const cJSON *n = get(t, "name");
    if (cJSON_IsString(n) && strcmp(n->valuestring, name) == 0)
      return true;
  }
  return false;
}

/* "borrowed": each entry a known timing rule (of the profile as merged,
 * |m|), once, from a source document that its sources cite. */
static void check_borrowed(struct ctx *c, const cJSON *p, const cJSON *m) {
  const cJSON *arr = get(p, "borrowed"), *b, *b2;
  if (!cJSON_IsArray(arr))
    return;
  size_t l = push_key(c, "borrowed");
  int i = 0;
  cJSON_ArrayForEach(b, arr) {
    size_t l2 = push_idx(c, i++);
    if (check_keys(c, b, borrowed_keys, "a borrowed rule")) {
      check_sources(c, b, 1);
      const cJSON *t = get(b, "timing"), *from = get(b, "from");
      if (cJSON_IsString(t)) {
        size_t l3 = push_key(c, "timing");
        if (!known_timing(c, m, t->valuestring))
          problem(c,
                  "timing \"%s\" is neither in the profile's timing nor a "
                  "timing rule of lifecycle.json",
                  t->valuestring);
        cJSON_ArrayForEach(b2, arr) {
          if (b2 == b)
            break;
          const cJSON *t2 = get(b2, "timing");
          if (cJSON_IsString(t2) && strcmp(t2->valuestring, t->valuestring) == 0) {
            problem(c, "timing \"%s\" is declared borrowed twice",
                    t->valuestring);
            break;
          }
        }
        pop(c, l3);
      }
      if (cJSON_IsString(from)) {
        size_t l3 = push_key(c, "from");
        bool cited = false;
        const cJSON *cit;
        cJSON_ArrayForEach(cit, get(b, "sources")) {
          const cJSON *d = get(cit, "doc");
          cited |= cJSON_IsString(d) && strcmp(d->valuestring, from->valuestring) == 0;
        }
        if (!find_document(c->spec, from->valuestring))
          problem(c, "\"%s\" is not a source document", from->valuestring);
        else if (!cited)
          problem(c,
                  "the sources cite nothing of %s, the document the rule "
                  "is borrowed from",
                  from->valuestring);
        pop(c, l3);
      }
    }
    pop(c, l2);
  }
  pop(c, l);
}

/* The keys that say what a partial implementation must have and how it
 * answers, and where the profile's rules come from; |m| is the profile as
 * merged, |acts| its actions. */
static void check_profile_scope(struct ctx *c, const cJSON *p,
                                const cJSON *m, const cJSON *acts) {
  const cJSON *x;
  size_t l;
  if ((x = get(p, "required_actions"))) {
    l = push_key(c, "required_actions");
    if (check_keys(c, x, required_keys, "\"required_actions\"")) {
      check_sources(c, x, 1);
      check_profile_actions(c, x, "actions", acts);
    }
    pop(c, l);
  }
  if ((x = get(p, "unknown_action"))) {
    l = push_key(c, "unknown_action");
    check_unknown_action(c, x);
    pop(c, l);
  }
  if ((x = get(p, "error_envelope"))) {
    l = push_key(c, "error_envelope");
    if (check_keys(c, x, envelope_keys, "\"error_envelope\"")) {
      check_sources(c, x, 1);
      const cJSON *k = get(x, "key");
      if (cJSON_IsString(k) && strcmp(k->valuestring, "error") != 0) {
        size_t l2 = push_key(c, "key");
        problem(c, "\"key\" is \"error\" ({\"status\":\"error\","
                   "\"message\":TOKEN} is an action's json_errors)");
        pop(c, l2);
      }
      check_profile_actions(c, x, "actions", acts);
    }
    pop(c, l);
  }
  check_borrowed(c, p, m);
}

/* ---- a dialect as data (specs/README.md, "A vendor's own profile") ---- */

static void check_list(struct ctx *c, const cJSON *root, const char *key,
                       void (*each)(struct ctx *, const cJSON *));

static const struct keydef profile_token_keys[] = {
    {"name", V_STR, true},     {"pattern", V_STR, false},
    {"kind", V_STR, true},     {"meaning", V_STR, true},
    {"sources", V_ARR, true},  {"provoke", V_STR, false},
    {"note", V_STR, false},    {"plays", V_STR, false},
    {"retry", V_BOOL, false},  {"runs_out", V_BOOL, false},
    {NULL, V_ANY, false}};

/* An entry naming a token defined elsewhere: it declares the part. */
static const struct keydef part_token_keys[] = {
    {"name", V_STR, true},     {"pattern", V_STR, false},
    {"kind", V_STR, false},    {"meaning", V_STR, false},
    {"sources", V_ARR, false}, {"provoke", V_STR, false},
    {"note", V_STR, false},    {"plays", V_STR, false},
    {NULL, V_ANY, false}};

static const struct keydef errors_keys[] = {
    {"form", V_STR, true},        {"key", V_STR, false},
    {"http_status", V_OBJ, false}, {"sources", V_ARR, true},
    {"note", V_STR, false},       {NULL, V_ANY, false}};

/* "plays": a defined token other than the entry's own. */
static void check_plays(struct ctx *c, const cJSON *t, const char *name) {
  const cJSON *plays = get(t, "plays");
  if (!cJSON_IsString(plays))
    return;
  size_t l = push_key(c, "plays");
  const char *pl = plays->valuestring;
  if (!sc_spec_token(c->spec, pl, strlen(pl)))
    problem(c, "token \"%s\" is not defined (undefined alias target)", pl);
  else if (name && strcmp(name, pl) == 0)
    problem(c, "token \"%s\" plays itself", pl);
  pop(c, l);
}

/* A "tokens" entry of a profile: a token of the dialect's own, checked as
 * tokens.json's are, or (when the name is defined elsewhere) the part a
 * defined token plays. */
static void check_profile_token(struct ctx *c, const cJSON *t) {
  const cJSON *n = get(t, "name");
  const char *name = cJSON_IsString(n) ? n->valuestring : NULL;
  const struct sc_token *def =
      name ? sc_spec_token(c->spec, name, strlen(name)) : NULL;
  if (!def || def->json == t) {
    if (check_keys(c, t, profile_token_keys, "a token"))
      check_token_body(c, t);
  } else if (check_keys(c, t, part_token_keys, "a token")) {
    const cJSON *kind = get(t, "kind"), *pat = get(t, "pattern"),
                *dpat = get(def->json, "pattern"), *dkind = get(def->json,
                                                                "kind");
    check_sources(c, t, 1);
    if (!get(t, "plays"))
      problem(c,
              "token \"%s\" is defined in %s: an entry naming it declares "
              "the part it plays (\"plays\")",
              name, def->file);
    if ((cJSON_IsString(kind) && cJSON_IsString(dkind) &&
         strcmp(kind->valuestring, dkind->valuestring) != 0) ||
        (cJSON_IsString(pat) &&
         strcmp(pat->valuestring,
                cJSON_IsString(dpat) ? dpat->valuestring : name) != 0))
      problem(c, "token \"%s\" is defined in %s with another kind or pattern",
              name, def->file);
  }
  check_plays(c, t, name);
}

/* "extends": a profile, and no cycle. */
static void check_extends(struct ctx *c, const cJSON *p) {
  const cJSON *x = get(p, "extends"), *n = get(p, "name");
  if (!cJSON_IsString(x))
    return;
  const char *name = cJSON_IsString(n) ? n->valuestring : "";
  const struct sc_profile *cur = sc_spec_profile(c->spec, x->valuestring);
  char chain[256];
  size_t l = push_key(c, "extends"),
         k = (size_t)snprintf(chain, sizeof chain, "%s", name);
  if (strcmp(name, x->valuestring) == 0) {
    problem(c, "profile \"%s\" extends itself (a cycle of extends)", name);
    cur = NULL;
  } else if (!cur) {
    problem(c,
            "extends \"%s\", which names no profile (neither a built-in one "
            "nor a file given with it)",
            x->valuestring);
  }
  for (size_t i = 0; cur && i < c->spec->nprofiles; i++) {
    if (k < sizeof chain)
      k += (size_t)snprintf(chain + k, sizeof chain - k, " -> %s", cur->name);
    if (strcmp(cur->name, name) == 0) {
      problem(c, "a cycle of extends: %s", chain);
      break;
    }
    if (strcmp(cur->name, x->valuestring) == 0 && i > 0)
      break; /* a cycle that this profile only leads into */
    cur = cur->extends ? sc_spec_profile(c->spec, cur->extends) : NULL;
  }
  pop(c, l);
  if (cJSON_IsTrue(get(p, "reference"))) {
    l = push_key(c, "reference");
    problem(c, "a profile that extends another is never the reference");
    pop(c, l);
  }
}

static bool is_http_status(const cJSON *v) {
  return cJSON_IsNumber(v) && v->valuedouble >= 100 &&
         v->valuedouble <= 599 && v->valuedouble == (int)v->valuedouble;
}

/* "errors": the envelope's form and key, and a status per error token. */
static void check_errors(struct ctx *c, const cJSON *p) {
  const cJSON *e = get(p, "errors");
  if (!e)
    return;
  size_t l = push_key(c, "errors"), l2;
  if (check_keys(c, e, errors_keys, "\"errors\"")) {
    const cJSON *form = get(e, "form"), *key = get(e, "key"),
                *st = get(e, "http_status"), *it;
    check_sources(c, e, 1);
    bool se = cJSON_IsString(form) &&
              strcmp(form->valuestring, "status-error") == 0;
    if (cJSON_IsString(form) && !se &&
        strcmp(form->valuestring, "text") != 0 &&
        strcmp(form->valuestring, "problem-details") != 0) {
      l2 = push_key(c, "form");
      problem(c, "\"form\" is text, status-error or problem-details");
      pop(c, l2);
    }
    if (cJSON_IsString(key)) {
      l2 = push_key(c, "key");
      if (strcmp(key->valuestring, "error") != 0 &&
          strcmp(key->valuestring, "message") != 0)
        problem(c, "\"key\" is \"error\" or \"message\"");
      else if (!se)
        problem(c, "\"key\" goes with the status-error form only");
      pop(c, l2);
    }
    if (!cJSON_IsObject(st))
      st = NULL;
    l2 = push_key(c, "http_status");
    cJSON_ArrayForEach(it, st) {
      size_t l3 = push_key(c, it->string);
      if (strcmp(it->string, "*") != 0 &&
          !sc_spec_token(c->spec, it->string, strlen(it->string)))
        problem(c, "token \"%s\" is not defined", it->string);
      if (!is_http_status(it))
        problem(c, "must be an HTTP status (100 to 599)");
      pop(c, l3);
    }
    pop(c, l2);
  }
  pop(c, l);
}

/* The parameters of |action| as the profile |m| (merged) sees them. */
static const cJSON *view_params(const struct ctx *c, const cJSON *m,
                                const char *action) {
  const cJSON *x = get(get(get(m, "overrides"), action), "params");
  if (x)
    return x;
  const struct sc_action *a = sc_spec_action(c->spec, action);
  return a ? get(a->json, "params") : NULL;
}

/* Whether a JSON object form of |action|'s success, as the action
 * itself gives it, has top-level key |key| ("rename_keys" renames those). */
static bool success_has_key(const struct ctx *c, const char *action,
                            const char *key) {
  const struct sc_action *a = sc_spec_action(c->spec, action);
  const cJSON *form, *forms = a ? get(a->json, "success") : NULL;
  cJSON_ArrayForEach(form, forms) {
    if (get(get(get(form, "json"), "object"), key))
      return true;
  }
  return false;
}

/* An override's "rename_keys": {"reference key": "wire key"}. */
static void check_rename_keys(struct ctx *c, const cJSON *ov) {
  const cJSON *rk = get(ov, "rename_keys"), *it;
  if (!cJSON_IsObject(rk))
    return;
  size_t l = push_key(c, "rename_keys");
  cJSON_ArrayForEach(it, rk) {
    size_t l2 = push_key(c, it->string);
    if (!cJSON_IsString(it) || !it->valuestring[0])
      problem(c, "a wire name is a non-empty string");
    if (!success_has_key(c, ov->string, it->string))
      problem(c, "renames \"%s\", which is not a key of %s's success answer",
              it->string, ov->string);
    pop(c, l2);
  }
  pop(c, l);
}

/* An override's "path", "method" and "rename". */
static void check_override_wire(struct ctx *c, const cJSON *ov,
                                const cJSON *m) {
  const cJSON *path = get(ov, "path"), *method = get(ov, "method"),
              *rn = get(ov, "rename"), *it;
  size_t l;
  if (cJSON_IsString(path) && path->valuestring[0] != '/') {
    l = push_key(c, "path");
    problem(c, "a path starts with \"/\" (relative to the --url origin)");
    pop(c, l);
  }
  if (cJSON_IsString(method) && strcmp(method->valuestring, "GET") != 0 &&
      strcmp(method->valuestring, "POST") != 0) {
    l = push_key(c, "method");
    problem(c, "\"method\" is GET or POST");
    pop(c, l);
  }
  check_rename_keys(c, ov);
  const cJSON *params = view_params(c, m, ov->string);
  if (!cJSON_IsObject(rn))
    rn = NULL;
  cJSON_ArrayForEach(it, rn) {
    bool has = false;
    const cJSON *q;
    cJSON_ArrayForEach(q, params) {
      const cJSON *qn = get(q, "name");
      has |= cJSON_IsString(qn) && strcmp(qn->valuestring, it->string) == 0;
    }
    l = push_key(c, "rename");
    size_t l2 = push_key(c, it->string);
    if (!cJSON_IsString(it) || !it->valuestring[0])
      problem(c, "a wire name is a non-empty string");
    if (!has)
      problem(c, "renames \"%s\", which is not a parameter of %s", it->string,
              ov->string);
    pop(c, l2);
    pop(c, l);
  }
}

/* "overrides": each of an action of the profile (|acts|, as merged; NULL
 * when that is not known). */
static void check_overrides(struct ctx *c, const cJSON *p, const cJSON *m,
                            const cJSON *acts) {
  const cJSON *ovs = get(p, "overrides"), *ov;
  size_t l = push_key(c, "overrides");
  if (!cJSON_IsObject(ovs))
    ovs = NULL;
  cJSON_ArrayForEach(ov, ovs) {
    size_t l2 = push_key(c, ov->string);
    if (acts && !sc_json_array_has_string(acts, ov->string))
      problem(c, "overrides \"%s\", which the profile does not list",
              ov->string);
    if (check_keys(c, ov, override_keys, "an override")) {
      check_sources(c, ov, 1);
      check_success(c, get(ov, "success"));
      check_params(c, get(ov, "params"));
      check_token_list(c, ov, "errors");
      check_token_list(c, ov, "json_errors");
      check_token_list(c, ov, "errors_add");
      check_override_wire(c, ov, m);
    }
    pop(c, l2);
  }
  pop(c, l);
}

/* The profile the file at c->file makes (merged when it extends another),
 * or NULL when the file names none. */
static const struct sc_profile *profile_of(const struct ctx *c) {
  for (size_t i = 0; i < c->spec->nprofiles; i++)
    if (c->spec->profiles[i].file == c->file)
      return &c->spec->profiles[i];
  return NULL;
}

/* "actions" (each defined) and "timing" (each >= 0) of the file. */
static void check_actions_timing(struct ctx *c, const cJSON *p) {
  const cJSON *acts = get(p, "actions"), *a, *t;
  size_t l = push_key(c, "actions");
  int i = 0;
  cJSON_ArrayForEach(a, acts) {
    size_t l2 = push_idx(c, i++);
    if (!cJSON_IsString(a))
      problem(c, "must be an action name");
    else if (!sc_spec_action(c->spec, a->valuestring))
      problem(c, "action \"%s\" is not defined in specs/actions/",
              a->valuestring);
    pop(c, l2);
  }
  pop(c, l);
  l = push_key(c, "timing");
  cJSON_ArrayForEach(t, get(p, "timing")) {
    size_t l2 = push_key(c, t->string);
    if (!cJSON_IsNumber(t) || t->valuedouble < 0)
      problem(c, "a timing value is a number of seconds (or a count) >= 0");
    pop(c, l2);
  }
  pop(c, l);
}

/* A profile file. What it says of its actions is checked against the
 * profile it makes: for a file that extends another, the merged one (not
 * checked when "extends" is broken; check_extends says why). */
static void check_profile(struct ctx *c, const cJSON *p) {
  const struct sc_profile *prof = profile_of(c);
  bool ext = get(p, "extends") != NULL;
  const cJSON *m = prof && prof->json != p ? prof->json : p;
  bool merged = !ext || m != p;
  c->own_sources = ext && prof && !prof->builtin ? get(p, "sources") : NULL;
  if (!check_keys_req(c, p, profile_keys, "a profile",
                      ext ? extending_required : NULL))
    return;
  check_sources(c, p, 1);
  const cJSON *v = get(p, "version");
  if (cJSON_IsNumber(v) && v->valuedouble != 1)
    problem(c, "version must be 1");
  const cJSON *d = get(p, "dialect");
  if (cJSON_IsString(d) && strcmp(d->valuestring, "handler") &&
      strcmp(d->valuestring, "rest"))
    problem(c, "dialect is \"handler\" or \"rest\"");
  check_actions_timing(c, p);
  check_token_list(c, p, "common_errors");
  check_extends(c, p);
  if (cJSON_IsArray(get(p, "tokens")))
    check_list(c, p, "tokens", check_profile_token);
  check_errors(c, p);
  const cJSON *acts = get(m, "actions");
  check_overrides(c, p, m, merged ? acts : NULL);
  if (merged)
    check_profile_scope(c, p, m, acts);
  check_whats(c, p, "differences", 1);
  check_whats(c, p, "conflicts", 2);
  c->own_sources = NULL;
}

static const struct keydef state_keys[] = {
    {"name", V_STR, true},        {"getStatus", V_ARR, false},
    {"getRentStatus", V_ARR, false}, {"meaning", V_STR, false},
    {"sources", V_ARR, true},     {"note", V_STR, false},
    {NULL, V_ANY, false}};

static const struct keydef event_keys[] = {
    {"from", V_STR, true},  {"event", V_STR, true}, {"to", V_STR, true},
    {"money", V_STR, false}, {"sources", V_ARR, true},
    {"answers", V_ARR, false}, {"note", V_STR, false},
    {NULL, V_ANY, false}};

static const struct keydef transition_keys[] = {
    {"from", V_STR, true},     {"status", V_STR, true},
    {"answers", V_ARR, true},  {"to", V_STR, true},
    {"money", V_STR, false},   {"when", V_STR, false},
    {"sources", V_ARR, true},  {"note", V_STR, false},
    {"profiles", V_ARR, false}, {"action", V_STR, false},
    {NULL, V_ANY, false}};

static bool has_state(const cJSON *states, const char *name) {
  const cJSON *s;
  cJSON_ArrayForEach(s, states) {
    const cJSON *n = get(s, "name");
    if (cJSON_IsString(n) && strcmp(n->valuestring, name) == 0)
      return true;
  }
  return false;
}

static void check_state_ref(struct ctx *c, const cJSON *states, const cJSON *o,
                            const char *key) {
  const cJSON *v = get(o, key);
  if (cJSON_IsString(v) && !has_state(states, v->valuestring)) {
    size_t l = push_key(c, key);
    problem(c, "state \"%s\" is not defined", v->valuestring);
    pop(c, l);
  }
}

static void check_machine(struct ctx *c, const cJSON *m) {
  const cJSON *states = get(m, "states"), *it;
  if (!cJSON_IsArray(states) || cJSON_GetArraySize(states) == 0) {
    problem(c, "a state machine lists its \"states\"");
    return;
  }
  size_t l = push_key(c, "states");
  int i = 0;
  cJSON_ArrayForEach(it, states) {
    size_t l2 = push_idx(c, i++);
    if (check_keys(c, it, state_keys, "a state")) {
      check_sources(c, it, 1);
      check_token_list(c, it, "getStatus");
      check_token_list(c, it, "getRentStatus");
    }
    pop(c, l2);
  }
  pop(c, l);
  check_state_ref(c, states, m, "initial");
  static const char *const lists[] = {"events", "transitions"};
  for (int k = 0; k < 2; k++) {
    l = push_key(c, lists[k]);
    i = 0;
    cJSON_ArrayForEach(it, get(m, lists[k])) {
      size_t l2 = push_idx(c, i++);
      if (check_keys(c, it, k ? transition_keys : event_keys,
                     k ? "a transition" : "an event")) {
        check_sources(c, it, 1);
        check_state_ref(c, states, it, "from");
        check_state_ref(c, states, it, "to");
        check_token_list(c, it, "answers");
      }
      pop(c, l2);
    }
    pop(c, l);
  }
}

static const struct keydef timing_keys[] = {
    {"name", V_STR, true},    {"meaning", V_STR, true},
    {"value", V_NUM, false},  {"sources", V_ARR, true},
    {"note", V_STR, false},   {NULL, V_ANY, false}};

static void check_lifecycle(struct ctx *c, const cJSON *root) {
  static const char *const machines[] = {"activation", "rent"};
  for (int k = 0; k < 2; k++) {
    const cJSON *m = get(root, machines[k]);
    size_t l = push_key(c, machines[k]);
    if (!cJSON_IsObject(m))
      problem(c, "lifecycle.json describes the %s state machine",
              machines[k]);
    else
      check_machine(c, m);
    pop(c, l);
  }
  size_t l = push_key(c, "timing");
  int i = 0;
  const cJSON *t;
  cJSON_ArrayForEach(t, get(root, "timing")) {
    size_t l2 = push_idx(c, i++);
    if (check_keys(c, t, timing_keys, "a timing rule"))
      check_sources(c, t, 1);
    pop(c, l2);
  }
  pop(c, l);
}

static const struct keydef document_keys[] = {
    {"file", V_STR, true},    {"vendor", V_STR, true},
    {"base", V_STR, true},    {"sections", V_ARR, true},
    {NULL, V_ANY, false}};

static void check_sources_file(struct ctx *c, const cJSON *root) {
  size_t l = push_key(c, "documents");
  int i = 0;
  const cJSON *d;
  cJSON_ArrayForEach(d, get(root, "documents")) {
    size_t l2 = push_idx(c, i++);
    check_keys(c, d, document_keys, "a document");
    pop(c, l2);
  }
  pop(c, l);
}

static void check_version(struct ctx *c, const cJSON *root) {
  const cJSON *v = get(root, "version");
  if (!cJSON_IsNumber(v) || v->valuedouble != 1)
    problem(c, "\"version\": 1 is required at the top of every spec file");
}

/* Runs |each| on every entry of the array under |key| of one file;
 * uniqueness across files is checked from the index (check_duplicates). */
static void check_list(struct ctx *c, const cJSON *root, const char *key,
                       void (*each)(struct ctx *, const cJSON *)) {
  const cJSON *arr = get(root, key), *it;
  size_t l = push_key(c, key);
  if (!cJSON_IsArray(arr)) {
    problem(c, "must be an array");
    pop(c, l);
    return;
  }
  int i = 0;
  cJSON_ArrayForEach(it, arr) {
    size_t l2 = push_idx(c, i++);
    each(c, it);
    pop(c, l2);
  }
  pop(c, l);
}

static void check_duplicates(struct ctx *c) {
  const struct sc_spec *s = c->spec;
  c->path[0] = '\0';
  for (size_t i = 1; i < s->ntokens; i++)
    if (strcmp(s->tokens[i].name, s->tokens[i - 1].name) == 0) {
      c->file = s->tokens[i].file;
      problem(c, "token \"%s\" is defined twice (also in %s)",
              s->tokens[i].name, s->tokens[i - 1].file);
    }
  for (size_t i = 1; i < s->nactions; i++)
    if (strcmp(s->actions[i].name, s->actions[i - 1].name) == 0) {
      c->file = s->actions[i].file;
      problem(c, "action \"%s\" is defined twice (also in %s)",
              s->actions[i].name, s->actions[i - 1].file);
    }
  size_t nref = 0;
  c->file = "profiles";
  for (size_t i = 0; i < s->nprofiles; i++) {
    nref += s->profiles[i].reference;
    if (s->profiles[i].reference && nref == 2) {
      c->file = s->profiles[i].file;
      problem(c, "a second profile claims to be the reference");
    }
    if (i && strcmp(s->profiles[i].name, s->profiles[i - 1].name) == 0) {
      c->file = s->profiles[i].file;
      problem(c, "profile \"%s\" is defined twice (also in %s)",
              s->profiles[i].name, s->profiles[i - 1].file);
    }
  }
  if (nref == 0)
    problem(c, "no profile is the reference: exactly one must be");
  if (!s->sources) {
    c->file = "sources.json";
    problem(c, "missing: the source documents must be listed");
  }
  if (!s->lifecycle) {
    c->file = "lifecycle.json";
    problem(c, "missing: the lifecycle must be described");
  }
}

size_t sc_lint_spec(const struct sc_spec *s, struct sc_buf *diag) {
  struct ctx c;
  memset(&c, 0, sizeof(c));
  c.spec = s;
  c.diag = diag;
  for (size_t i = 0; i < s->nfiles; i++) {
    const cJSON *root = s->files[i].root;
    c.file = s->files[i].name;
    c.path[0] = '\0';
    if (!cJSON_IsObject(root)) {
      problem(&c, "a spec file holds one JSON object");
      continue;
    }
    check_version(&c, root);
    if (root == s->sources) {
      check_sources_file(&c, root);
    } else if (root == s->lifecycle) {
      check_lifecycle(&c, root);
    } else if (sc_spec_content(root) == SC_CONTENT_TOKENS) {
      check_list(&c, root, "tokens", check_token);
    } else if (sc_spec_content(root) == SC_CONTENT_ACTIONS) {
      check_list(&c, root, "actions", check_action);
    } else {
      check_profile(&c, root);
    }
  }
  check_duplicates(&c);
  return c.problems;
}
