/* sc_spec.c — loads the specs/ JSON files into the model of sc_spec.h. */
#include "sc_spec.h"

#include "sc_alloc.h"
#include "sc_buf.h"
#include "sc_json.h"
#include "sc_schema.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
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

/* A hash of [p, p+n) for the tables of views and tokens, O(1) in the
 * length: the length, the first and the last eight (or four) bytes, which
 * tell the names of the spec apart; a collision costs one more probe. */
static size_t span_hash(const char *p, size_t n) {
  const uint64_t k = 0x9e3779b97f4a7c15u;
  uint64_t h = (uint64_t)n * k, a = 0, b = 0;
  if (n >= 8) {
    memcpy(&a, p, 8);
    memcpy(&b, p + n - 8, 8);
  } else if (n >= 4) {
    uint32_t a4, b4;
    memcpy(&a4, p, 4);
    memcpy(&b4, p + n - 4, 4);
    a = a4;
    b = b4;
  } else {
    for (size_t i = 0; i < n; i++)
      a = (a << 8) | (unsigned char)p[i];
  }
  h = (h ^ a) * k;
  h = (h ^ b) * k;
  return (size_t)(h ^ (h >> 32));
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
  int ioerr = sc_buf_add_file(&b, f) < 0;
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
  switch (sc_spec_content(f->root)) {
  case SC_CONTENT_TOKENS:
    return F_TOKENS;
  case SC_CONTENT_ACTIONS:
    return F_ACTIONS;
  case SC_CONTENT_PROFILE:
    break;
  }
  return F_PROFILE;
}

enum sc_spec_content sc_spec_content(const cJSON *root) {
  if (cJSON_GetObjectItemCaseSensitive(root, "name") ||
      cJSON_GetObjectItemCaseSensitive(root, "extends") ||
      cJSON_GetObjectItemCaseSensitive(root, "dialect"))
    return SC_CONTENT_PROFILE;
  if (cJSON_GetObjectItemCaseSensitive(root, "tokens"))
    return SC_CONTENT_TOKENS;
  if (cJSON_GetObjectItemCaseSensitive(root, "actions"))
    return SC_CONTENT_ACTIONS;
  return SC_CONTENT_PROFILE;
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

/* Adds token entry |it| of file |f| to the index, its pattern compiled
 * (an entry without a name is skipped; lint reports it). */
static enum sc_err index_token(struct sc_spec *s,
                               const struct sc_spec_loaded *f,
                               const cJSON *it) {
  const char *name = str_item(it, "name");
  if (!name)
    return SC_ERR_OK;
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
  return SC_ERR_OK;
}

/* True when a token named |name| is among the first |n| of the index
 * (sorted when |sorted|). */
static bool token_indexed(const struct sc_spec *s, size_t n, bool sorted,
                          const char *name) {
  if (sorted) {
    struct sc_token key;
    memset(&key, 0, sizeof(key));
    key.name = name;
    return bsearch(&key, s->tokens, n, sizeof(key), cmp_token) != NULL;
  }
  for (size_t i = 0; i < n; i++)
    if (strcmp(s->tokens[i].name, name) == 0)
      return true;
  return false;
}

/* Adds the "tokens" entries of the profile files after those of the
 * tokens files (sorted already): an entry naming a token that is defined
 * already only declares the part it plays and is not indexed again. */
static enum sc_err index_profile_tokens(struct sc_spec *s) {
  size_t nbase = s->ntokens;
  for (size_t i = 0; i < s->nfiles; i++) {
    const struct sc_spec_loaded *f = &s->files[i];
    const cJSON *it;
    if (classify(f) != F_PROFILE)
      continue;
    const cJSON *toks = cJSON_GetObjectItemCaseSensitive(f->root, "tokens");
    if (!cJSON_IsArray(toks))
      continue;
    cJSON_ArrayForEach(it, toks) {
      const char *name = str_item(it, "name");
      if (!name || token_indexed(s, nbase, true, name) ||
          token_indexed(s, s->ntokens, false, name))
        continue;
      if (index_token(s, f, it) != SC_ERR_OK)
        return SC_ERR_NOMEM;
    }
  }
  qsort(s->tokens, s->ntokens, sizeof(*s->tokens), cmp_token);
  return SC_ERR_OK;
}

/* The number of entries of the array under |key| of |root| (0 for
 * anything else). */
static size_t array_size(const cJSON *root, const char *key) {
  const cJSON *a = cJSON_GetObjectItemCaseSensitive(root, key);
  return cJSON_IsArray(a) ? (size_t)cJSON_GetArraySize(a) : 0;
}

/* Builds the indexes. Malformed entries are skipped here; lint reports
 * them. A profile's "json" is its file until resolve_profiles merges what
 * it extends. */
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
      nt += array_size(root, "tokens");
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
  s->merged = sc_calloc(np, sizeof(*s->merged));
  if (!s->tokens || !s->actions || !s->profiles || !s->merged)
    return SC_ERR_NOMEM;
  for (size_t i = 0; i < s->nfiles; i++) {
    const struct sc_spec_loaded *f = &s->files[i];
    const cJSON *it;
    switch (classify(f)) {
    case F_TOKENS:
      cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(f->root,
                                                              "tokens"))
        if (index_token(s, f, it) != SC_ERR_OK)
          return SC_ERR_NOMEM;
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
      p->builtin = strncmp(f->name, "profiles/", 9) == 0;
      p->extends = str_item(f->root, "extends");
      break;
    }
    default:
      break;
    }
  }
  qsort(s->tokens, s->ntokens, sizeof(*s->tokens), cmp_token);
  if (index_profile_tokens(s) != SC_ERR_OK)
    return SC_ERR_NOMEM;
  qsort(s->actions, s->nactions, sizeof(*s->actions), cmp_action);
  qsort(s->profiles, s->nprofiles, sizeof(*s->profiles), cmp_profile);
  return SC_ERR_OK;
}

/* ---- profiles that extend another (specs/README.md, "A vendor's own
 * profile") ---- */

/* Sets |key| of object |o| to |v| (which it takes), replacing a member of
 * that name. False when memory ran out (|v| is freed then). */
static bool put(cJSON *o, const char *key, cJSON *v) {
  if (!v)
    return false;
  cJSON *old = cJSON_GetObjectItemCaseSensitive(o, key);
  if (!old) {
    if (cJSON_AddItemToObject(o, key, v))
      return true;
    cJSON_Delete(v);
    return false;
  }
  /* the key copied here: cJSON's replace does not say when its copy
   * fails */
  if (!sc_json_set_key(v, key)) {
    cJSON_Delete(v);
    return false;
  }
  return cJSON_ReplaceItemViaPointer(o, old, v);
}

/* |key| of |o| as an object, made (empty) when it is missing or not an
 * object; NULL when memory ran out. */
static cJSON *object_member(cJSON *o, const char *key) {
  cJSON *m = cJSON_GetObjectItemCaseSensitive(o, key);
  if (cJSON_IsObject(m))
    return m;
  return put(o, key, cJSON_CreateObject())
             ? cJSON_GetObjectItemCaseSensitive(o, key)
             : NULL;
}

/* Each member of |from| replaces the member of that name in |into|. */
static bool merge_members(cJSON *into, const cJSON *from) {
  const cJSON *it;
  cJSON_ArrayForEach(it, from) {
    if (!put(into, it->string, cJSON_Duplicate(it, 1)))
      return false;
  }
  return true;
}

/* "overrides": per action, and within an action per key. */
static bool merge_overrides(cJSON *m, const cJSON *ovs) {
  cJSON *into = object_member(m, "overrides");
  const cJSON *ov;
  if (!into)
    return false;
  cJSON_ArrayForEach(ov, ovs) {
    cJSON *have = cJSON_GetObjectItemCaseSensitive(into, ov->string);
    bool ok = cJSON_IsObject(have) && cJSON_IsObject(ov)
                  ? merge_members(have, ov)
                  : put(into, ov->string, cJSON_Duplicate(ov, 1));
    if (!ok)
      return false;
  }
  return true;
}

/* "tokens": the file's entries after the parent's; an entry of the same
 * name as one of the parent's takes its place. */
static bool merge_tokens(cJSON *m, const cJSON *toks) {
  cJSON *into = cJSON_GetObjectItemCaseSensitive(m, "tokens");
  const cJSON *t;
  if (!cJSON_IsArray(into)) {
    if (!put(m, "tokens", cJSON_CreateArray()))
      return false;
    into = cJSON_GetObjectItemCaseSensitive(m, "tokens");
  }
  cJSON_ArrayForEach(t, toks) {
    const char *name = str_item(t, "name");
    cJSON *copy = cJSON_Duplicate(t, 1), *old = NULL, *it;
    if (!copy)
      return false;
    cJSON_ArrayForEach(it, into) {
      const char *n = str_item(it, "name");
      if (name && n && strcmp(n, name) == 0 && !old)
        old = it;
    }
    bool ok = old ? cJSON_ReplaceItemViaPointer(into, old, copy)
                  : cJSON_AddItemToArray(into, copy);
    if (!ok) {
      cJSON_Delete(copy);
      return false;
    }
  }
  return true;
}

/* The profile |child| (a file's tree) makes of |parent| (a profile's
 * tree, merged already): a top-level key replaces the parent's, but for
 * "overrides", "tokens" and "timing"; "reference" is false. NULL when
 * memory ran out. */
static cJSON *merge_profile(const cJSON *parent, const cJSON *child) {
  cJSON *m = cJSON_Duplicate(parent, 1);
  const cJSON *it;
  bool ok = m != NULL;
  for (it = child ? child->child : NULL; ok && it; it = it->next) {
    const char *k = it->string;
    if (strcmp(k, "overrides") == 0 && cJSON_IsObject(it))
      ok = merge_overrides(m, it);
    else if (strcmp(k, "tokens") == 0 && cJSON_IsArray(it))
      ok = merge_tokens(m, it);
    else if (strcmp(k, "timing") == 0 && cJSON_IsObject(it)) {
      cJSON *t = object_member(m, "timing");
      ok = t && merge_members(t, it);
    } else
      ok = put(m, k, cJSON_Duplicate(it, 1));
  }
  if (ok)
    ok = put(m, "reference", cJSON_CreateFalse());
  if (!ok) {
    cJSON_Delete(m);
    return NULL;
  }
  return m;
}

/* The success forms of |action| in |ovs|'s action, with the top-level
 * keys of every JSON object form renamed by |rn| ({"reference": "wire"}):
 * a copy, or NULL when memory ran out. */
static cJSON *renamed_success(const cJSON *success, const cJSON *rn) {
  cJSON *out = cJSON_Duplicate(success, 1);
  cJSON *form;
  if (!out)
    return NULL;
  cJSON_ArrayForEach(form, out) {
    cJSON *obj = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(form, "json"), "object");
    cJSON *k;
    cJSON_ArrayForEach(k, obj) {
      const cJSON *to = cJSON_GetObjectItemCaseSensitive(rn, k->string);
      if (!cJSON_IsString(to))
        continue;
      if (!sc_json_set_key(k, to->valuestring)) {
        cJSON_Delete(out);
        return NULL;
      }
    }
  }
  return out;
}

/* An override with "rename_keys" and no "success" of its own in the file
 * (|own|) gets the success forms it renames: the parent's (already in the
 * merged override |ov|), else the action's. */
static bool rename_success(const struct sc_spec *s, cJSON *m,
                           const cJSON *own) {
  cJSON *ov;
  cJSON_ArrayForEach(ov, cJSON_GetObjectItemCaseSensitive(m, "overrides")) {
    const cJSON *rn = cJSON_GetObjectItemCaseSensitive(ov, "rename_keys");
    const cJSON *mine = cJSON_GetObjectItemCaseSensitive(own, ov->string);
    if (!cJSON_IsObject(rn) ||
        cJSON_GetObjectItemCaseSensitive(mine, "success"))
      continue;
    const cJSON *base = cJSON_GetObjectItemCaseSensitive(ov, "success");
    const struct sc_action *a = sc_spec_action(s, ov->string);
    if (!base && a)
      base = cJSON_GetObjectItemCaseSensitive(a->json, "success");
    if (!cJSON_IsArray(base))
      continue;
    if (!put(ov, "success", renamed_success(base, rn)))
      return false;
  }
  return true;
}

/* Where resolve_profile is with each profile. */
enum { R_NEW, R_BUSY, R_DONE, R_BROKEN };

/* Points profile |i|'s "json" at the merged tree when it extends another,
 * resolving that one first. A profile whose "extends" names no profile, or
 * one in a cycle, keeps its file's tree and is R_BROKEN (lint reports
 * it and the load fails). */
static enum sc_err resolve_profile(struct sc_spec *s, size_t i,
                                   unsigned char *st) {
  struct sc_profile *p = &s->profiles[i];
  if (st[i] != R_NEW)
    return SC_ERR_OK;
  if (!p->extends) {
    st[i] = R_DONE;
    return SC_ERR_OK;
  }
  st[i] = R_BUSY;
  const struct sc_profile *par = sc_spec_profile(s, p->extends);
  size_t j = par ? (size_t)(par - s->profiles) : i;
  if (j == i || st[j] == R_BUSY) {
    st[i] = R_BROKEN;
    return SC_ERR_OK;
  }
  enum sc_err e = resolve_profile(s, j, st);
  if (e)
    return e;
  if (st[j] != R_DONE) {
    st[i] = R_BROKEN;
    return SC_ERR_OK;
  }
  cJSON *m = merge_profile(par->json, p->json);
  if (!m)
    return SC_ERR_NOMEM;
  s->merged[s->nmerged++] = m;
  if (!rename_success(
          s, m, cJSON_GetObjectItemCaseSensitive(p->json, "overrides")))
    return SC_ERR_NOMEM;
  p->json = m;
  st[i] = R_DONE;
  return SC_ERR_OK;
}

/* Merges every profile that extends another, then reads what the code
 * keys on from the profile as merged: reference, dialect, the reference
 * profile of the spec. */
static enum sc_err resolve_profiles(struct sc_spec *s) {
  unsigned char *st = sc_calloc(s->nprofiles + 1, 1);
  enum sc_err e = SC_ERR_OK;
  if (!st)
    return SC_ERR_NOMEM;
  for (size_t i = 0; i < s->nprofiles && !e; i++)
    e = resolve_profile(s, i, st);
  sc_free(st);
  for (size_t i = 0; i < s->nprofiles && !e; i++) {
    struct sc_profile *p = &s->profiles[i];
    p->reference = !p->extends && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
                                      p->json, "reference"));
    const char *dialect = str_item(p->json, "dialect");
    p->rest = dialect && strcmp(dialect, "rest") == 0;
  }
  for (size_t i = 0; i < s->nprofiles && !e; i++)
    if (s->profiles[i].reference && !s->reference)
      s->reference = &s->profiles[i];
  return e;
}

static enum sc_err build_views(struct sc_spec *s);
static void free_views(struct sc_spec *s);

void sc_spec_destroy(struct sc_spec *s) {
  if (!s)
    return;
  for (size_t i = 0; i < s->nfiles; i++) {
    sc_free(s->files[i].name);
    cJSON_Delete(s->files[i].root);
  }
  for (size_t i = 0; i < s->ntokens; i++)
    sc_free(s->tokens[i].strings);
  free_views(s);
  for (size_t i = 0; i < s->nmerged; i++)
    cJSON_Delete(s->merged[i]);
  sc_free(s->merged);
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
      /* the simulator's catalogue, embedded with the spec: src/sim reads
       * and checks it */
      if (strcmp(f->name, "catalogue.json") == 0)
        continue;
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
  if ((e = build_index(s)) || (e = resolve_profiles(s)))
    goto out;
  if (sc_lint_spec(s, diag) > 0)
    e = SC_ERR_SPEC;
  /* a diagnostic buffer that is only full still says why the spec is
   * refused; one that could not grow means memory ran out */
  if (diag->err == SC_BUF_ENOMEM)
    e = SC_ERR_NOMEM;
  else if (diag->err && !e)
    e = SC_ERR_SPEC;
  if (!e)
    e = build_views(s);
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

/* The slot of the token named [name, name+len) among |n| (a power of
 * two) |slots|, or the empty slot where it would go. */
static const struct sc_token **token_slot(const struct sc_token **slots,
                                          size_t n, const char *name,
                                          size_t len) {
  for (size_t i = span_hash(name, len) & (n - 1);; i = (i + 1) & (n - 1)) {
    const struct sc_token **sl = &slots[i];
    if (!*sl || ((*sl)->name_len == len && memcmp((*sl)->name, name, len) == 0))
      return sl;
  }
}

static const struct sc_token *token_search(const struct sc_spec *s,
                                           const char *name, size_t len);

const struct sc_token *sc_spec_token(const struct sc_spec *s, const char *name,
                                     size_t len) {
  if (s->ntokslots)
    return *token_slot(s->tokslots, s->ntokslots, name, len);
  return token_search(s, name, len);
}

/* Builds the hashed index of the tokens from the binary search, so that
 * both find the same token for a name (the first of equal names to be
 * found is the one the search finds). */
static enum sc_err build_token_index(struct sc_spec *s) {
  size_t n = 16;
  while (n < 2 * s->ntokens)
    n *= 2;
  const struct sc_token **slots = sc_calloc(n, sizeof(*slots));
  if (!slots)
    return SC_ERR_NOMEM;
  for (size_t k = 0; k < s->ntokens; k++) {
    const struct sc_token *t =
        token_search(s, s->tokens[k].name, s->tokens[k].name_len);
    const struct sc_token **sl = token_slot(slots, n, t->name, t->name_len);
    if (!*sl)
      *sl = t;
  }
  s->tokslots = slots;
  s->ntokslots = n;
  return SC_ERR_OK;
}

static const struct sc_token *token_search(const struct sc_spec *s,
                                           const char *name, size_t len) {
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

/* |key| of the profile's JSON, or NULL (for a NULL profile too). */
static const cJSON *profile_item(const struct sc_profile *p, const char *key) {
  return p ? cJSON_GetObjectItemCaseSensitive(p->json, key) : NULL;
}

bool sc_profile_action_required(const struct sc_profile *p,
                                const char *action) {
  return action &&
         sc_json_array_has_string(
             cJSON_GetObjectItemCaseSensitive(
                 profile_item(p, "required_actions"), "actions"),
             action);
}

/* The answer for a profile without "unknown_action": 001's BAD_ACTION
 * ("BAD_ACTION - incorrect action"), which every handler clone keeps. A
 * static tree, linked as cJSON links one (a first child's prev is the
 * last child), read-only and never freed. */
static cJSON dflt_http;
static cJSON dflt_note;
static cJSON dflt_bad_action = {.prev = &dflt_bad_action,
                                .type = cJSON_String,
                                .valuestring = (char *)"BAD_ACTION"};
static cJSON dflt_tokens = {.next = &dflt_http,
                            .prev = &dflt_note,
                            .child = &dflt_bad_action,
                            .type = cJSON_Array,
                            .string = (char *)"tokens"};
static cJSON dflt_http = {.next = &dflt_note,
                          .prev = &dflt_tokens,
                          .type = cJSON_Array,
                          .string = (char *)"http_status"};
static cJSON dflt_note = {.prev = &dflt_http,
                          .type = cJSON_String,
                          .valuestring =
                              (char *)"the profile does not say: BAD_ACTION, "
                                      "001's token for an incorrect action",
                          .string = (char *)"note"};
static cJSON dflt_unknown_action = {.child = &dflt_tokens,
                                    .type = cJSON_Object};

const cJSON *sc_profile_unknown_action(const struct sc_profile *p) {
  if (!p)
    return NULL;
  const cJSON *u = profile_item(p, "unknown_action");
  return cJSON_IsObject(u) ? u : &dflt_unknown_action;
}

bool sc_profile_is_unknown_action(const struct sc_profile *p,
                                  const char *token, int http_status) {
  const cJSON *u = sc_profile_unknown_action(p), *it;
  if (!u)
    return false;
  if (token &&
      sc_json_array_has_string(cJSON_GetObjectItemCaseSensitive(u, "tokens"),
                               token))
    return true;
  cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(u, "http_status")) {
    if (http_status && cJSON_IsNumber(it) && it->valuedouble == http_status)
      return true;
  }
  return false;
}

const cJSON *sc_profile_borrowed(const struct sc_profile *p,
                                 const char *timing) {
  const cJSON *b;
  if (!timing)
    return NULL;
  cJSON_ArrayForEach(b, profile_item(p, "borrowed")) {
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(b, "timing");
    if (cJSON_IsString(t) && strcmp(t->valuestring, timing) == 0)
      return b;
  }
  return NULL;
}

bool sc_profile_error_envelope(const struct sc_profile *p,
                               const char *action) {
  return action &&
         sc_json_array_has_string(
             cJSON_GetObjectItemCaseSensitive(profile_item(p, "error_envelope"),
                                              "actions"),
             action);
}

/* ---- a dialect as data ---- */

const char *sc_profile_token_for(const struct sc_profile *p, const char *ref) {
  const cJSON *toks = profile_item(p, "tokens"), *t;
  const char *found = NULL;
  if (!ref)
    return NULL;
  if (!cJSON_IsArray(toks))
    return ref;
  /* the last entry that plays |ref|: a file's own entries follow those
   * of the profile it extends */
  cJSON_ArrayForEach(t, toks) {
    const char *plays = str_item(t, "plays"), *name = str_item(t, "name");
    if (plays && name && strcmp(plays, ref) == 0)
      found = name;
  }
  return found ? found : ref;
}

const char *sc_profile_token_plays(const struct sc_profile *p,
                                   const char *name) {
  const cJSON *toks = profile_item(p, "tokens"), *t;
  if (!name)
    return NULL;
  if (!cJSON_IsArray(toks))
    return name;
  cJSON_ArrayForEach(t, toks) {
    const char *plays = str_item(t, "plays"), *n = str_item(t, "name");
    if (plays && n && strcmp(n, name) == 0)
      return plays;
  }
  return name;
}

enum sc_error_form sc_profile_error_form(const struct sc_profile *p,
                                         const char **key) {
  const cJSON *errs = profile_item(p, "errors");
  const char *form = str_item(errs, "form");
  if (key)
    *key = NULL;
  if (form && strcmp(form, "problem-details") == 0)
    return SC_ERROR_FORM_PROBLEM;
  if (form && strcmp(form, "status-error") == 0) {
    const char *k = str_item(errs, "key");
    if (key)
      *key = k && strcmp(k, "message") == 0 ? "message" : "error";
    return SC_ERROR_FORM_STATUS_ERROR;
  }
  return SC_ERROR_FORM_TEXT;
}

/* An HTTP status of "http_status", or 0 for anything else. */
static int http_status_value(const cJSON *v) {
  if (!cJSON_IsNumber(v) || v->valuedouble < 100 || v->valuedouble > 599 ||
      v->valuedouble != (int)v->valuedouble)
    return 0;
  return (int)v->valuedouble;
}

int sc_profile_error_status(const struct sc_profile *p, const char *token) {
  const cJSON *st =
      cJSON_GetObjectItemCaseSensitive(profile_item(p, "errors"),
                                       "http_status");
  if (!token || !cJSON_IsObject(st))
    return 0;
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(st, token);
  const char *plays = sc_profile_token_plays(p, token),
             *player = sc_profile_token_for(p, token);
  if (!v && plays != token)
    v = cJSON_GetObjectItemCaseSensitive(st, plays);
  if (!v && player != token)
    v = cJSON_GetObjectItemCaseSensitive(st, player);
  if (!v)
    v = cJSON_GetObjectItemCaseSensitive(st, "*");
  return http_status_value(v);
}

/* The profile's override of |action| (an object), or NULL. */
static const cJSON *profile_override(const struct sc_profile *p,
                                     const char *action) {
  const cJSON *ov = action ? cJSON_GetObjectItemCaseSensitive(
                                 profile_item(p, "overrides"), action)
                           : NULL;
  return cJSON_IsObject(ov) ? ov : NULL;
}

const char *sc_profile_action_path(const struct sc_profile *p,
                                   const char *action) {
  return str_item(profile_override(p, action), "path");
}

const char *sc_profile_action_method(const struct sc_profile *p,
                                     const char *action) {
  const char *m = str_item(profile_override(p, action), "method");
  if (m)
    return m;
  return p && p->rest ? NULL : "GET";
}

const char *sc_profile_param_name(const struct sc_profile *p,
                                  const char *action, const char *param) {
  const char *w = param ? str_item(cJSON_GetObjectItemCaseSensitive(
                                       profile_override(p, action), "rename"),
                                   param)
                        : NULL;
  return w ? w : param;
}

const char *sc_profile_answer_key(const struct sc_profile *p,
                                  const char *action, const char *key) {
  const cJSON *to = cJSON_GetObjectItemCaseSensitive(
      cJSON_GetObjectItemCaseSensitive(profile_override(p, action),
                                       "rename_keys"),
      key);
  return cJSON_IsString(to) ? to->valuestring : key;
}

bool sc_profile_no_body(const struct sc_profile *p, const char *action) {
  return cJSON_IsTrue(
      cJSON_GetObjectItemCaseSensitive(profile_override(p, action), "no_body"));
}

bool sc_profile_timing(const struct sc_spec *s, const struct sc_profile *p,
                       const char *name, double *out) {
  const cJSON *v, *t;
  if (!name)
    return false;
  v = cJSON_GetObjectItemCaseSensitive(profile_item(p, "timing"), name);
  if (!cJSON_IsNumber(v)) {
    const cJSON *rules =
        s ? cJSON_GetObjectItemCaseSensitive(s->lifecycle, "timing") : NULL;
    v = NULL;
    /* lifecycle.json: [{"name", "value", ...}] */
    cJSON_ArrayForEach(t, rules) {
      const char *n = str_item(t, "name");
      if (!v && n && strcmp(n, name) == 0)
        v = cJSON_GetObjectItemCaseSensitive(t, "value");
    }
  }
  if (!cJSON_IsNumber(v))
    return false;
  if (out)
    *out = v->valuedouble;
  return true;
}

const struct sc_profile *sc_profile_base(const struct sc_spec *s,
                                         const struct sc_profile *p) {
  /* at most one step per profile: a loaded spec has no cycle, and one
   * that is being linted may */
  for (size_t n = 0; p && s && !p->builtin && p->extends && n < s->nprofiles;
       n++) {
    const struct sc_profile *par = sc_spec_profile(s, p->extends);
    if (!par || par == p)
      break;
    p = par;
  }
  return p;
}

/* The view as the spec's JSON says it, looked up key by key: what the
 * table of views holds, and the answer for anything the table lacks. */
static enum sc_err view_build(const struct sc_spec *s, const char *action,
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

/* ---- the table of views ---- */

struct sc_view_slot {
  const char *profile; /* NULL: the reference reached without a name; the
                          slot is empty when action is NULL */
  const char *action;
  size_t profile_len, action_len;
  struct sc_view view;
  struct sc_view_ix ix;
};

static size_t view_hash(const char *profile, size_t plen, const char *action,
                        size_t alen) {
  size_t h = span_hash(action, alen);
  return profile ? h ^ (span_hash(profile, plen) * 3u) : h ^ 0x5bd1e995u;
}

static struct sc_view_slot *view_slot(const struct sc_spec *s,
                                      const char *profile,
                                      const char *action) {
  size_t mask = s->nslots - 1;
  size_t alen = strlen(action), plen = profile ? strlen(profile) : 0;
  for (size_t i = view_hash(profile, plen, action, alen) & mask;;
       i = (i + 1) & mask) {
    struct sc_view_slot *sl = &s->slots[i];
    if (!sl->action)
      return sl;
    if (sl->action_len == alen && sl->profile_len == plen &&
        !sl->profile == !profile && memcmp(sl->action, action, alen) == 0 &&
        (!profile || memcmp(sl->profile, profile, plen) == 0))
      return sl;
  }
}

/* Sets |flag| (and |form|, when not yet set) for every token named |name|:
 * the tokens are sorted by name, so equal names are neighbours. */
static void ix_mark(const struct sc_spec *s, struct sc_view_ix *ix,
                    const char *name, unsigned flag, int form) {
  const struct sc_token *t = sc_spec_token(s, name, strlen(name));
  if (!t)
    return;
  size_t lo = (size_t)(t - s->tokens), hi = lo + 1;
  while (lo > 0 && strcmp(s->tokens[lo - 1].name, name) == 0)
    lo--;
  while (hi < s->ntokens && strcmp(s->tokens[hi].name, name) == 0)
    hi++;
  for (size_t k = lo; k < hi; k++) {
    ix->tok[k] |= (unsigned char)flag;
    if (form >= 0 && ix->form[k] < 0)
      ix->form[k] = form;
  }
}

static void ix_mark_list(const struct sc_spec *s, struct sc_view_ix *ix,
                         const cJSON *list, unsigned flag) {
  const cJSON *it;
  if (!cJSON_IsArray(list))
    return;
  cJSON_ArrayForEach(it, list) {
    if (cJSON_IsString(it))
      ix_mark(s, ix, it->valuestring, flag, -1);
  }
}

/* A token that plays another's part in the profile ("tokens" entries
 * with "plays") is listed where the token it plays is: it gets that
 * token's flags and success form in the view. */
static void ix_mark_aliases(const struct sc_spec *s, struct sc_view_ix *ix,
                            const struct sc_profile *p) {
  const cJSON *toks = profile_item(p, "tokens"), *it;
  if (!cJSON_IsArray(toks))
    return;
  cJSON_ArrayForEach(it, toks) {
    const char *name = str_item(it, "name"), *plays = str_item(it, "plays");
    const struct sc_token *t =
        plays ? sc_spec_token(s, plays, strlen(plays)) : NULL;
    if (!name || !t)
      continue;
    size_t ti = (size_t)(t - s->tokens);
    ix_mark(s, ix, name, ix->tok[ti], ix->form[ti]);
  }
}

/* Fills the slot for (|profile|, |action|) from view_build, unless it is
 * there already or the view does not exist. */
static enum sc_err view_add(struct sc_spec *s, const char *profile,
                            const char *action) {
  struct sc_view_slot *sl = view_slot(s, profile, action);
  if (sl->action)
    return SC_ERR_OK;
  struct sc_view v;
  if (view_build(s, action, profile, &v) != SC_ERR_OK)
    return SC_ERR_OK; /* not a view: sc_spec_view answers why */
  struct sc_view_ix *ix = &sl->ix;
  size_t nforms = (size_t)cJSON_GetArraySize(v.success);
  ix->tok = sc_calloc(s->ntokens + 1, sizeof(*ix->tok));
  ix->form = sc_calloc(s->ntokens + 1, sizeof(*ix->form));
  ix->schemas = sc_calloc(nforms + 1, sizeof(*ix->schemas));
  ix->schema_form = sc_calloc(nforms + 1, sizeof(*ix->schema_form));
  if (!ix->tok || !ix->form || !ix->schemas || !ix->schema_form)
    return SC_ERR_NOMEM; /* the slot's arrays are freed with the spec */
  for (size_t k = 0; k < s->ntokens; k++)
    ix->form[k] = -1;
  const cJSON *f;
  int i = 0;
  /* judge_token: the first form whose "token" is the token's name */
  cJSON_ArrayForEach(f, v.success) {
    const cJSON *tk = cJSON_GetObjectItemCaseSensitive(f, "token");
    if (cJSON_IsString(tk))
      ix_mark(s, ix, tk->valuestring, 0, i);
    const cJSON *schema = cJSON_GetObjectItemCaseSensitive(f, "json");
    if (schema && ix->nschemas < nforms) {
      ix->schemas[ix->nschemas] = schema;
      ix->schema_form[ix->nschemas++] = i;
    }
    i++;
  }
  ix_mark_list(s, ix, v.errors, SC_VTOK_ERRORS);
  ix_mark_list(s, ix, v.json_errors, SC_VTOK_JSON);
  ix_mark_list(s, ix, v.errors_add, SC_VTOK_ADD);
  ix_mark_list(s, ix, v.common_errors, SC_VTOK_COMMON);
  ix_mark_aliases(s, ix, v.profile);
  ix->error_envelope = sc_profile_error_envelope(v.profile, action);
  const cJSON *errs = profile_item(v.profile, "errors");
  ix->errors_declared = cJSON_IsObject(errs);
  ix->error_form = sc_profile_error_form(v.profile, &ix->error_key);
  ix->error_status =
      cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(errs, "http_status"));
  ix->no_body = sc_profile_no_body(v.profile, action);
  sl->profile = profile;
  sl->action = action;
  sl->profile_len = profile ? strlen(profile) : 0;
  sl->action_len = strlen(action);
  sl->view = v;
  sl->view.ix = ix;
  return SC_ERR_OK;
}

/* Compiles the shapes of every view's JSON schemas into one table for the
 * whole spec (views share schemas: a profile's view of an action it does
 * not override holds the action's own). */
static enum sc_err compile_shapes(struct sc_spec *s) {
  size_t n = 0;
  for (size_t i = 0; i < s->nslots; i++)
    n += s->slots[i].ix.nschemas;
  const cJSON **all = sc_calloc(n + 1, sizeof(*all));
  if (!all)
    return SC_ERR_NOMEM;
  n = 0;
  for (size_t i = 0; i < s->nslots; i++)
    for (size_t k = 0; k < s->slots[i].ix.nschemas; k++)
      all[n++] = s->slots[i].ix.schemas[k];
  s->shapes = sc_schema_compile(all, n);
  sc_free(all);
  if (!s->shapes)
    return SC_ERR_NOMEM;
  for (size_t i = 0; i < s->nslots; i++)
    s->slots[i].ix.shapes = s->shapes;
  return SC_ERR_OK;
}

/* Builds the table: every action each profile lists, under the profile's
 * name, and the reference profile's once more under NULL. The slots hold
 * what view_build answers for the same names, so sc_spec_view answers the
 * same with or without the table. */
static enum sc_err build_views(struct sc_spec *s) {
  enum sc_err e = build_token_index(s);
  if (e)
    return e;
  size_t n = 0;
  for (size_t i = 0; i < s->nprofiles; i++)
    n += (size_t)cJSON_GetArraySize(
        cJSON_GetObjectItemCaseSensitive(s->profiles[i].json, "actions"));
  if (s->reference)
    n += (size_t)cJSON_GetArraySize(
        cJSON_GetObjectItemCaseSensitive(s->reference->json, "actions"));
  size_t nslots = 16;
  while (nslots < 2 * n)
    nslots *= 2;
  s->slots = sc_calloc(nslots, sizeof(*s->slots));
  if (!s->slots)
    return SC_ERR_NOMEM;
  s->nslots = nslots;
  for (size_t i = 0; i <= s->nprofiles; i++) {
    const struct sc_profile *p =
        i < s->nprofiles ? &s->profiles[i] : s->reference;
    if (!p)
      continue;
    const char *key = i < s->nprofiles ? p->name : NULL;
    const cJSON *a;
    cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(p->json,
                                                           "actions")) {
      if (!cJSON_IsString(a))
        continue;
      e = view_add(s, key, a->valuestring);
      if (e)
        return e;
    }
  }
  return compile_shapes(s);
}

static void free_views(struct sc_spec *s) {
  for (size_t i = 0; i < s->nslots; i++) {
    struct sc_view_ix *ix = &s->slots[i].ix;
    sc_free(ix->tok);
    sc_free(ix->form);
    sc_free(ix->schemas);
    sc_free(ix->schema_form);
  }
  sc_free(s->slots);
  sc_free(s->tokslots);
  sc_schema_shapes_free(s->shapes);
}

enum sc_err sc_spec_view(const struct sc_spec *s, const char *action,
                         const char *profile, struct sc_view *v) {
  if (s->nslots && action) {
    const struct sc_view_slot *sl = view_slot(s, profile, action);
    if (sl->action) {
      *v = sl->view;
      return SC_ERR_OK;
    }
  }
  return view_build(s, action, profile, v);
}

bool sc_view_json_error(const struct sc_view *v, const char *token) {
  if (sc_json_array_has_string(v->json_errors, token))
    return true;
  const char *plays = sc_profile_token_plays(v->profile, token);
  return plays && plays != token &&
         sc_json_array_has_string(v->json_errors, plays);
}

static bool view_lists_error(const struct sc_view *v, const char *token) {
  return sc_json_array_has_string(v->errors, token) ||
         sc_json_array_has_string(v->json_errors, token) ||
         sc_json_array_has_string(v->errors_add, token) ||
         sc_json_array_has_string(v->common_errors, token);
}

/* A token that plays an allowed token's part in the profile is allowed
 * as that token is. */
bool sc_view_allows_error(const struct sc_view *v, const char *token) {
  if (view_lists_error(v, token))
    return true;
  const char *plays = sc_profile_token_plays(v->profile, token);
  return plays && plays != token && view_lists_error(v, plays);
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
