/* sc_spec.c — loads the specs/ JSON files into the model of sc_spec.h. */
#include "sc_spec.h"

#include "sc_alloc.h"
#include "sc_buf.h"
#include "sc_json.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A spec file larger than this is refused: specs are small, and a user's
 * profile file is untrusted input. */
#define SPEC_FILE_MAX (4u * 1024u * 1024u)

const char *sc_err_name(enum sc_err e) {
  switch (e) {
#define SC_ERR_NAME(name, msg)                                               \
  case SC_ERR_##name:                                                        \
    return #name;
    SC_ERR_MAP(SC_ERR_NAME)
#undef SC_ERR_NAME
  }
  return "UNKNOWN";
}

const char *sc_strerror(enum sc_err e) {
  switch (e) {
#define SC_ERR_MSG(name, msg)                                                \
  case SC_ERR_##name:                                                        \
    return msg;
    SC_ERR_MAP(SC_ERR_MSG)
#undef SC_ERR_MSG
  }
  return "unknown error";
}

const char *sc_ftype_name(enum sc_ftype t) {
  static const char *const names[] = {
#define SC_FTYPE_STR(name, str) str,
      SC_FTYPE_MAP(SC_FTYPE_STR)
#undef SC_FTYPE_STR
  };
  return (unsigned)t < SC_FTYPE__COUNT ? names[t] : "?";
}

bool sc_json_array_has_string(const cJSON *arr, const char *s) {
  const cJSON *it;
  if (!cJSON_IsArray(arr))
    return false;
  cJSON_ArrayForEach(it, arr) {
    if (cJSON_IsString(it) && strcmp(it->valuestring, s) == 0)
      return true;
  }
  return false;
}

static void line_col(const char *buf, size_t off, size_t *line, size_t *col) {
  *line = 1;
  *col = 1;
  for (size_t i = 0; i < off; i++) {
    if (buf[i] == '\n') {
      (*line)++;
      *col = 1;
    } else {
      (*col)++;
    }
  }
}

/* Parses one file's bytes strictly and stores the tree under |name|. */
static enum sc_err add_file(struct sc_spec *s, const char *name,
                            const char *data, size_t len, struct sc_buf *diag) {
  struct sc_json_error jerr;
  if (s->nfiles == SC_SPEC_MAX_FILES) {
    sc_buf_printf(diag, "%s: too many spec files (at most %d)\n", name,
                  SC_SPEC_MAX_FILES);
    return SC_ERR_SPEC;
  }
  if (sc_json_validate(data, len, &jerr) != SC_JSON_ERR_OK) {
    size_t line, col;
    line_col(data, jerr.offset, &line, &col);
    sc_buf_printf(diag, "%s:%zu:%zu: invalid JSON: %s (byte %zu)\n", name,
                  line, col, sc_json_strerror(jerr.code), jerr.offset);
    return SC_ERR_SPEC;
  }
  cJSON *root = cJSON_ParseWithLength(data, len);
  if (!root)
    return SC_ERR_NOMEM; /* it validated, so only memory can fail here */
  char *copy = sc_strdup(name);
  if (!copy) {
    cJSON_Delete(root);
    return SC_ERR_NOMEM;
  }
  s->files[s->nfiles].name = copy;
  s->files[s->nfiles].root = root;
  s->nfiles++;
  return SC_ERR_OK;
}

static enum sc_err read_whole(const char *path, char **out, size_t *outlen,
                              struct sc_buf *diag) {
  *out = NULL;
  *outlen = 0;
  FILE *f = fopen(path, "rb");
  if (!f) {
    sc_buf_printf(diag, "%s: cannot open: %s\n", path, strerror(errno));
    return SC_ERR_IO;
  }
  struct sc_buf b;
  sc_buf_init(&b, SPEC_FILE_MAX);
  char chunk[8192];
  size_t n;
  while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
    if (sc_buf_add(&b, chunk, n))
      break;
  }
  int ioerr = ferror(f);
  fclose(f);
  if (b.err == SC_BUF_E2BIG) {
    sc_buf_printf(diag, "%s: larger than %u bytes\n", path, SPEC_FILE_MAX);
    return SC_ERR_SPEC;
  }
  if (b.err)
    return SC_ERR_NOMEM;
  if (ioerr) {
    sc_buf_free(&b);
    sc_buf_printf(diag, "%s: read error\n", path);
    return SC_ERR_IO;
  }
  *out = sc_buf_take(&b, outlen);
  return *out ? SC_ERR_OK : SC_ERR_NOMEM;
}

static enum sc_err add_path(struct sc_spec *s, const char *path,
                            const char *name, struct sc_buf *diag) {
  char *data;
  size_t len;
  enum sc_err e = read_whole(path, &data, &len, diag);
  if (e)
    return e;
  e = add_file(s, name, data, len, diag);
  sc_free(data);
  return e;
}

/* Loading goes on past a bad file so that every problem is reported: the
 * first error is kept, but running out of memory overrides it and stops. */
static void keep_err(enum sc_err *e, enum sc_err fe) {
  if (fe && (!*e || fe == SC_ERR_NOMEM))
    *e = fe;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Adds every *.json of |dir|/|sub| in name order. */
static enum sc_err add_dir(struct sc_spec *s, const char *dir, const char *sub,
                           struct sc_buf *diag) {
  char path[4096];
  snprintf(path, sizeof(path), "%s/%s", dir, sub);
  DIR *d = opendir(path);
  if (!d) {
    sc_buf_printf(diag, "%s: cannot open directory: %s\n", path,
                  strerror(errno));
    return SC_ERR_IO;
  }
  char *names[SC_SPEC_MAX_FILES];
  size_t n = 0;
  enum sc_err e = SC_ERR_OK;
  struct dirent *de;
  while ((de = readdir(d)) != NULL) {
    size_t l = strlen(de->d_name);
    if (l < 6 || strcmp(de->d_name + l - 5, ".json") != 0)
      continue;
    if (n == SC_SPEC_MAX_FILES) {
      sc_buf_printf(diag, "%s: too many files\n", path);
      e = SC_ERR_SPEC;
      break;
    }
    if (!(names[n] = sc_strdup(de->d_name))) {
      e = SC_ERR_NOMEM;
      break;
    }
    n++;
  }
  closedir(d);
  qsort(names, n, sizeof(names[0]), cmp_str);
  for (size_t i = 0; i < n; i++) {
    if (!e) {
      char full[4096 + 256], rel[512];
      snprintf(full, sizeof(full), "%s/%s", path, names[i]);
      snprintf(rel, sizeof(rel), "%s/%s", sub, names[i]);
      keep_err(&e, add_path(s, full, rel, diag));
    }
    sc_free(names[i]);
  }
  return e;
}

/* Which index a file feeds, from its name (specs/ layout) or, for a user's
 * file, from its content. */
enum ftype { F_OTHER, F_SOURCES, F_TOKENS, F_LIFECYCLE, F_ACTIONS, F_PROFILE };

static enum ftype classify(const struct sc_spec_loaded *f) {
  if (strcmp(f->name, "sources.json") == 0)
    return F_SOURCES;
  if (strcmp(f->name, "tokens.json") == 0)
    return F_TOKENS;
  if (strcmp(f->name, "lifecycle.json") == 0)
    return F_LIFECYCLE;
  if (strncmp(f->name, "actions/", 8) == 0)
    return F_ACTIONS;
  if (strncmp(f->name, "profiles/", 9) == 0)
    return F_PROFILE;
  if (cJSON_GetObjectItemCaseSensitive(f->root, "tokens"))
    return F_TOKENS;
  if (cJSON_GetObjectItemCaseSensitive(f->root, "actions") &&
      !cJSON_GetObjectItemCaseSensitive(f->root, "dialect"))
    return F_ACTIONS;
  return F_PROFILE;
}

const char *sc_token_compile(struct sc_token *t, const char *pattern) {
  t->nsegs = 0;
  size_t nl = t->name_len;
  if (strncmp(pattern, t->name, nl) != 0)
    return "pattern does not start with the token name";
  const char *p = pattern + nl;
  size_t plen = strlen(p);
  sc_free(t->strings);
  t->strings = sc_strndup(p, plen); /* segments point into this copy */
  if (!t->strings)
    return "out of memory";
  char *q = t->strings;
  while (*q) {
    if (t->nsegs == SC_MAX_SEGS)
      return "pattern has too many pieces";
    struct sc_seg *sg = &t->segs[t->nsegs];
    memset(sg, 0, sizeof(*sg));
    if (*q == '{') {
      char *end = strchr(q, '}');
      char *colon = strchr(q, ':');
      if (!end || !colon || colon > end)
        return "field must be written {name:type}";
      *colon = '\0';
      *end = '\0';
      sg->is_field = true;
      sg->name = q + 1;
      if (!*sg->name)
        return "field without a name";
      int found = -1;
      for (int i = 0; i < SC_FTYPE__COUNT; i++)
        if (strcmp(colon + 1, sc_ftype_name((enum sc_ftype)i)) == 0)
          found = i;
      if (found < 0)
        return "unknown field type (see specs/README.md)";
      sg->type = (enum sc_ftype)found;
      if (sg->type == SC_FTYPE_REST && end[1] != '\0')
        return "a rest field must be the last piece";
      q = end + 1;
    } else {
      sg->lit = q;
      while (*q && *q != '{')
        q++;
      sg->lit_len = (size_t)(q - sg->lit);
    }
    t->nsegs++;
  }
  /* Literals are now terminated by the '\0' written over the next '{'
   * only when a field follows; lit_len is what the parser uses. */
  return NULL;
}

static int cmp_token(const void *a, const void *b) {
  return strcmp(((const struct sc_token *)a)->name,
                ((const struct sc_token *)b)->name);
}
static int cmp_action(const void *a, const void *b) {
  return strcmp(((const struct sc_action *)a)->name,
                ((const struct sc_action *)b)->name);
}
static int cmp_profile(const void *a, const void *b) {
  return strcmp(((const struct sc_profile *)a)->name,
                ((const struct sc_profile *)b)->name);
}

static const char *str_item(const cJSON *o, const char *key) {
  const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);
  return cJSON_IsString(it) ? it->valuestring : NULL;
}

/* Builds the indexes. Malformed entries are skipped here; lint reports
 * them. */
static enum sc_err build_index(struct sc_spec *s) {
  size_t nt = 0, na = 0, np = 0;
  for (size_t i = 0; i < s->nfiles; i++) {
    const cJSON *root = s->files[i].root;
    switch (classify(&s->files[i])) {
    case F_TOKENS:
      nt += (size_t)cJSON_GetArraySize(
          cJSON_GetObjectItemCaseSensitive(root, "tokens"));
      break;
    case F_ACTIONS:
      na += (size_t)cJSON_GetArraySize(
          cJSON_GetObjectItemCaseSensitive(root, "actions"));
      break;
    case F_PROFILE:
      np++;
      break;
    case F_SOURCES:
      s->sources = root;
      break;
    case F_LIFECYCLE:
      s->lifecycle = root;
      break;
    case F_OTHER:
      break;
    }
  }
  s->tokens = sc_calloc(nt, sizeof(*s->tokens));
  s->actions = sc_calloc(na, sizeof(*s->actions));
  s->profiles = sc_calloc(np, sizeof(*s->profiles));
  if (!s->tokens || !s->actions || !s->profiles)
    return SC_ERR_NOMEM;
  for (size_t i = 0; i < s->nfiles; i++) {
    const struct sc_spec_loaded *f = &s->files[i];
    const cJSON *it;
    switch (classify(f)) {
    case F_TOKENS:
      cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(f->root,
                                                              "tokens")) {
        const char *name = str_item(it, "name");
        if (!name)
          continue;
        struct sc_token *t = &s->tokens[s->ntokens++];
        t->name = name;
        t->file = f->name;
        t->name_len = strlen(name);
        t->json = it;
        t->meaning = str_item(it, "meaning");
        t->kind = SC_TOKKIND_ERROR;
        const char *kind = str_item(it, "kind");
        if (kind) {
#define SC_TOKKIND_CMP(nm, str)                                              \
  if (strcmp(kind, str) == 0)                                                \
    t->kind = SC_TOKKIND_##nm;
          SC_TOKKIND_MAP(SC_TOKKIND_CMP)
#undef SC_TOKKIND_CMP
        }
        const char *pat = str_item(it, "pattern");
        const char *why = sc_token_compile(t, pat ? pat : name);
        if (why && strcmp(why, "out of memory") == 0)
          return SC_ERR_NOMEM;
        if (why)
          t->nsegs = 0; /* lint reports it */
      }
      break;
    case F_ACTIONS:
      cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(f->root,
                                                              "actions")) {
        const char *name = str_item(it, "name");
        if (!name)
          continue;
        struct sc_action *a = &s->actions[s->nactions++];
        a->name = name;
        a->file = f->name;
        a->json = it;
      }
      break;
    case F_PROFILE: {
      const char *name = str_item(f->root, "name");
      if (!name)
        break;
      struct sc_profile *p = &s->profiles[s->nprofiles++];
      p->name = name;
      p->file = f->name;
      p->json = f->root;
      p->reference = cJSON_IsTrue(
          cJSON_GetObjectItemCaseSensitive(f->root, "reference"));
      const char *dialect = str_item(f->root, "dialect");
      p->rest = dialect && strcmp(dialect, "rest") == 0;
      break;
    }
    default:
      break;
    }
  }
  qsort(s->tokens, s->ntokens, sizeof(*s->tokens), cmp_token);
  qsort(s->actions, s->nactions, sizeof(*s->actions), cmp_action);
  qsort(s->profiles, s->nprofiles, sizeof(*s->profiles), cmp_profile);
  for (size_t i = 0; i < s->nprofiles; i++)
    if (s->profiles[i].reference && !s->reference)
      s->reference = &s->profiles[i];
  return SC_ERR_OK;
}

void sc_spec_destroy(struct sc_spec *s) {
  if (!s)
    return;
  for (size_t i = 0; i < s->nfiles; i++) {
    sc_free(s->files[i].name);
    cJSON_Delete(s->files[i].root);
  }
  for (size_t i = 0; i < s->ntokens; i++)
    sc_free(s->tokens[i].strings);
  sc_free(s->tokens);
  sc_free(s->actions);
  sc_free(s->profiles);
  sc_free(s);
}

/* The one loader: |dir| or the embedded files, then user files from paths
 * (|extra|) and from memory (|mem|). */
static struct sc_spec *load(const char *dir, const char *const *extra,
                            size_t nextra, const struct sc_spec_file *mem,
                            size_t nmem, struct sc_buf *diag,
                            enum sc_err *err) {
  enum sc_err e = SC_ERR_OK;
  sc_alloc_init();
  struct sc_spec *s = sc_calloc(1, sizeof(*s));
  if (!s) {
    e = SC_ERR_NOMEM;
    goto out;
  }
  if (dir) {
    static const char *const top[] = {"sources.json", "tokens.json",
                                      "lifecycle.json"};
    for (size_t i = 0; i < 3 && e != SC_ERR_NOMEM; i++) {
      char path[4096];
      snprintf(path, sizeof(path), "%s/%s", dir, top[i]);
      keep_err(&e, add_path(s, path, top[i], diag));
    }
    static const char *const subs[] = {"actions", "profiles"};
    for (size_t i = 0; i < 2 && e != SC_ERR_NOMEM; i++) {
      keep_err(&e, add_dir(s, dir, subs[i], diag));
    }
  } else {
    for (const struct sc_spec_file *f = sc_specs_embedded; f->name; f++) {
      keep_err(&e, add_file(s, f->name, f->data, f->len, diag));
      if (e == SC_ERR_NOMEM)
        break;
    }
  }
  for (size_t i = 0; i < nextra && e != SC_ERR_NOMEM; i++) {
    keep_err(&e, add_path(s, extra[i], extra[i], diag));
  }
  for (size_t i = 0; i < nmem && e != SC_ERR_NOMEM; i++) {
    keep_err(&e, add_file(s, mem[i].name, mem[i].data, mem[i].len, diag));
  }
  if (e)
    goto out;
  if ((e = build_index(s)))
    goto out;
  if (sc_lint_spec(s, diag) > 0)
    e = SC_ERR_SPEC;
  if (diag->err)
    e = SC_ERR_NOMEM;
out:
  if (e) {
    sc_spec_destroy(s);
    s = NULL;
  }
  *err = e;
  return s;
}

struct sc_spec *sc_spec_load(const char *dir, const char *const *extra,
                             size_t nextra, struct sc_buf *diag,
                             enum sc_err *err) {
  return load(dir, extra, nextra, NULL, 0, diag, err);
}

struct sc_spec *sc_spec_load_mem(const struct sc_spec_file *extra,
                                 size_t nextra, struct sc_buf *diag,
                                 enum sc_err *err) {
  return load(NULL, NULL, 0, extra, nextra, diag, err);
}

struct sc_spec *sc_spec_new(const char *dir, enum sc_err *err, char **diag) {
  struct sc_buf d;
  enum sc_err e;
  sc_buf_init(&d, 1u << 20);
  struct sc_spec *s = sc_spec_load(dir, NULL, 0, &d, &e);
  if (err)
    *err = e;
  if (diag)
    *diag = d.len ? sc_buf_take(&d, NULL) : NULL;
  sc_buf_free(&d);
  return s;
}

void sc_spec_free_diag(char *diag) {
  sc_free(diag);
}

const struct sc_token *sc_spec_token(const struct sc_spec *s, const char *name,
                                     size_t len) {
  size_t lo = 0, hi = s->ntokens;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    const struct sc_token *t = &s->tokens[mid];
    size_t n = t->name_len < len ? t->name_len : len;
    int c = memcmp(t->name, name, n);
    if (c == 0)
      c = t->name_len < len ? -1 : (t->name_len > len ? 1 : 0);
    if (c == 0)
      return t;
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}

const struct sc_action *sc_spec_action(const struct sc_spec *s,
                                       const char *name) {
  struct sc_action key = {name, NULL, NULL};
  return bsearch(&key, s->actions, s->nactions, sizeof(key), cmp_action);
}

const struct sc_profile *sc_spec_profile(const struct sc_spec *s,
                                         const char *name) {
  struct sc_profile key;
  memset(&key, 0, sizeof(key));
  key.name = name;
  return bsearch(&key, s->profiles, s->nprofiles, sizeof(key), cmp_profile);
}

bool sc_profile_has_action(const struct sc_profile *p, const char *action) {
  return sc_json_array_has_string(
      cJSON_GetObjectItemCaseSensitive(p->json, "actions"), action);
}

enum sc_err sc_spec_view(const struct sc_spec *s, const char *action,
                         const char *profile, struct sc_view *v) {
  memset(v, 0, sizeof(*v));
  const struct sc_action *a = sc_spec_action(s, action);
  if (!a)
    return SC_ERR_NO_ACTION;
  const struct sc_profile *p =
      profile ? sc_spec_profile(s, profile) : s->reference;
  if (!p)
    return SC_ERR_NO_PROFILE;
  if (!sc_profile_has_action(p, action))
    return SC_ERR_NOT_IN_PROFILE;
  v->spec = s;
  v->action = a;
  v->profile = p;
  v->success = cJSON_GetObjectItemCaseSensitive(a->json, "success");
  v->params = cJSON_GetObjectItemCaseSensitive(a->json, "params");
  v->errors = cJSON_GetObjectItemCaseSensitive(a->json, "errors");
  v->json_errors = cJSON_GetObjectItemCaseSensitive(a->json, "json_errors");
  v->common_errors =
      cJSON_GetObjectItemCaseSensitive(p->json, "common_errors");
  const cJSON *ov = cJSON_GetObjectItemCaseSensitive(
      cJSON_GetObjectItemCaseSensitive(p->json, "overrides"), action);
  if (ov) {
    const cJSON *x;
    if ((x = cJSON_GetObjectItemCaseSensitive(ov, "success")))
      v->success = x;
    if ((x = cJSON_GetObjectItemCaseSensitive(ov, "params")))
      v->params = x;
    if ((x = cJSON_GetObjectItemCaseSensitive(ov, "errors")))
      v->errors = x;
    if ((x = cJSON_GetObjectItemCaseSensitive(ov, "json_errors")))
      v->json_errors = x;
    v->errors_add = cJSON_GetObjectItemCaseSensitive(ov, "errors_add");
  }
  return SC_ERR_OK;
}

bool sc_view_json_error(const struct sc_view *v, const char *token) {
  return sc_json_array_has_string(v->json_errors, token);
}

bool sc_view_allows_error(const struct sc_view *v, const char *token) {
  return sc_json_array_has_string(v->errors, token) ||
         sc_json_array_has_string(v->json_errors, token) ||
         sc_json_array_has_string(v->errors_add, token) ||
         sc_json_array_has_string(v->common_errors, token);
}

const char *sc_token_name(const struct sc_token *t) {
  return t ? t->name : NULL;
}

const char *sc_token_kind(const struct sc_token *t) {
  static const char *const names[] = {
#define SC_TOKKIND_STR(name, str) str,
      SC_TOKKIND_MAP(SC_TOKKIND_STR)
#undef SC_TOKKIND_STR
  };
  return t ? names[t->kind] : NULL;
}

const char *sc_token_meaning(const struct sc_token *t) {
  return t ? t->meaning : NULL;
}
