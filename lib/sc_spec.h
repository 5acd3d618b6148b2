/* sc_spec.h — the spec model: the specs/ JSON files loaded, indexed and validated.
 *
 * The model keeps the cJSON trees of the spec files and indexes over them
 * (tokens, actions, profiles sorted by name). Everything points into the
 * trees, which the spec owns; a loaded spec is read-only. */
#ifndef SC_SPEC_H
#define SC_SPEC_H

#include <smsconform/smsconform.h>

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

struct sc_buf;
struct sc_schema_shapes;

/* One spec file's bytes (the embedded table ends with a NULL name). */
struct sc_spec_file {
  const char *name; /* relative to specs/: "tokens.json", "actions/rent.json" */
  const char *data;
  size_t len;
};
extern const struct sc_spec_file sc_specs_embedded[];

/* Field types of text patterns (specs/README.md). X(name, spelling). */
#define SC_FTYPE_MAP(X)                                                      \
  X(ID, "id")                                                                \
  X(INT, "int")                                                              \
  X(DECIMAL, "decimal")                                                      \
  X(MSISDN, "msisdn")                                                        \
  X(TEXT, "text")                                                            \
  X(REST, "rest")                                                            \
  X(BANNED_DATE, "banned_date")

enum sc_ftype {
#define SC_FTYPE_ENUM(name, str) SC_FTYPE_##name,
  SC_FTYPE_MAP(SC_FTYPE_ENUM)
#undef SC_FTYPE_ENUM
  SC_FTYPE__COUNT
};

/* Token kinds (specs/README.md). */
#define SC_TOKKIND_MAP(X)                                                    \
  X(SUCCESS, "success")                                                      \
  X(STATUS, "status")                                                        \
  X(ERROR, "error")                                                          \
  X(LIBRARY, "library")

enum sc_tokkind {
#define SC_TOKKIND_ENUM(name, str) SC_TOKKIND_##name,
  SC_TOKKIND_MAP(SC_TOKKIND_ENUM)
#undef SC_TOKKIND_ENUM
  SC_TOKKIND__COUNT
};

#define SC_MAX_SEGS 8

/* One piece of a compiled pattern after the token name: a literal or a
 * typed field. */
struct sc_seg {
  bool is_field;
  const char *lit; /* literal bytes (is_field false) */
  size_t lit_len;
  const char *name; /* field name (is_field true) */
  enum sc_ftype type;
};

struct sc_token {
  const char *name;
  const char *file;
  size_t name_len;
  enum sc_tokkind kind;
  const char *meaning;
  const cJSON *json;
  struct sc_seg segs[SC_MAX_SEGS];
  size_t nsegs;
  char *strings; /* owned storage the segments point into */
};

struct sc_action {
  const char *name;
  const char *file;
  const cJSON *json;
};

struct sc_profile {
  const char *name;
  const char *file;
  const cJSON *json; /* for a file that extends: the merged profile */
  bool reference;
  bool rest;
  bool builtin;      /* shipped in specs/profiles/ */
  const char *extends; /* the "extends" name, or NULL */
};

#define SC_SPEC_MAX_FILES 64

struct sc_spec_loaded {
  char *name;
  cJSON *root;
};

struct sc_view_slot;

struct sc_spec {
  struct sc_spec_loaded files[SC_SPEC_MAX_FILES];
  size_t nfiles;
  const cJSON *sources;   /* sources.json root */
  const cJSON *lifecycle; /* lifecycle.json root */
  struct sc_token *tokens;
  size_t ntokens;
  struct sc_action *actions;
  size_t nactions;
  struct sc_profile *profiles;
  size_t nprofiles;
  const struct sc_profile *reference;
  /* Every view a profile offers, built at load (sc_spec_view reads it
   * instead of looking ten keys up per call): an open-addressing table of
   * |nslots| (a power of two) keyed by profile name (NULL: the reference
   * profile as sc_spec_view(..., NULL, ...) reaches it) and action name. */
  struct sc_view_slot *slots;
  size_t nslots;
  /* The tokens by name the same way (sc_spec_token runs for every answer):
   * |ntokslots| slots (a power of two) of pointers into |tokens|, each
   * the token the binary search finds for its name. */
  const struct sc_token **tokslots;
  size_t ntokslots;
  /* The compiled shapes of every JSON schema of every view in the table
   * (sc_schema_compile), shared by the views' indexes. */
  struct sc_schema_shapes *shapes;
  /* The merged trees of the profiles that extend another (sc_profile.json
   * points at them), owned: |nmerged| of them. */
  cJSON **merged;
  size_t nmerged;
};

/* What a spec file holds, judged by its content as a user's file is:
 * a profile has a "name" (or "extends" or "dialect"); else a file with
 * "tokens" is a tokens file and one with "actions" an actions file. */
enum sc_spec_content {
  SC_CONTENT_PROFILE,
  SC_CONTENT_TOKENS,
  SC_CONTENT_ACTIONS
};
enum sc_spec_content sc_spec_content(const cJSON *root);

/* A dialect's error envelope (a profile's "errors"; specs/README.md). */
enum sc_error_form {
  SC_ERROR_FORM_TEXT,         /* the token as the whole body */
  SC_ERROR_FORM_STATUS_ERROR, /* {"status":"error",KEY:TOKEN} */
  SC_ERROR_FORM_PROBLEM       /* {"title":TOKEN,"details":TEXT} */
};

/* Flags of sc_view_ix.tok: where a token is listed for a view. */
#define SC_VTOK_ERRORS 0x01u /* errors */
#define SC_VTOK_JSON 0x02u   /* json_errors */
#define SC_VTOK_ADD 0x04u    /* errors_add */
#define SC_VTOK_COMMON 0x08u /* common_errors */

/* A view's lists indexed by token, built at load: what the parser asks of
 * every answer without walking the view's JSON arrays. */
struct sc_view_ix {
  unsigned char *tok; /* per spec->tokens index: SC_VTOK_* */
  int *form;          /* per spec->tokens index: the first success form
                         whose "token" names it, or -1 */
  const cJSON **schemas; /* the "json" of the success forms that have one,
                            in order */
  int *schema_form;      /* ... and the index of each such form */
  size_t nschemas;
  /* Their nodes' compiled shapes, owned by the spec (sc_spec.shapes). */
  const struct sc_schema_shapes *shapes;
  /* The profile's error_envelope lists the action: its error tokens may
   * come as {"status":"error","error":TOKEN} (specs/README.md). */
  bool error_envelope;
  /* The profile's "errors": declared at all; the form and, for
   * SC_ERROR_FORM_STATUS_ERROR, the key ("error" or "message"); and
   * whether it declares HTTP statuses ("http_status"). */
  bool errors_declared;
  enum sc_error_form error_form;
  const char *error_key;
  bool error_status;
  /* The override's "no_body": a success is an empty body with HTTP 204. */
  bool no_body;
};

/* An action as one profile sees it: the action's own entries, replaced or
 * extended by the profile's override. Pointers into the spec; any may be
 * NULL when absent. */
struct sc_view {
  const struct sc_spec *spec;
  const struct sc_action *action;
  const struct sc_profile *profile;
  const cJSON *success;
  const cJSON *params;
  const cJSON *errors;
  const cJSON *json_errors;
  const cJSON *errors_add;
  const cJSON *common_errors;
  /* The token index of this view; NULL for a view not from the spec's
   * table (sc_parse needs it and refuses such a view with SC_ERR_SPEC). */
  const struct sc_view_ix *ix;
};

/* Loads |dir| (or the embedded files when NULL) plus |nextra| user files
 * (a profile, actions or tokens file each, classified by content). Lint
 * problems are appended to |diag| as lines; returns NULL with *err set when
 * the spec cannot be used. */
struct sc_spec *sc_spec_load(const char *dir, const char *const *extra,
                             size_t nextra, struct sc_buf *diag,
                             enum sc_err *err);

/* The same for the embedded files plus user files held in memory: |name|
 * is what diagnostics call the file (it must not start with "actions/" or
 * "profiles/" unless the file is one of those). */
struct sc_spec *sc_spec_load_mem(const struct sc_spec_file *extra,
                                 size_t nextra, struct sc_buf *diag,
                                 enum sc_err *err);

const struct sc_token *sc_spec_token(const struct sc_spec *s, const char *name,
                                     size_t len);
const struct sc_action *sc_spec_action(const struct sc_spec *s,
                                       const char *name);
const struct sc_profile *sc_spec_profile(const struct sc_spec *s,
                                         const char *name);
bool sc_profile_has_action(const struct sc_profile *p, const char *action);

/* What a profile says about a partial implementation and where its rules
 * come from (specs/README.md, "profiles/NAME.json"). All accept NULL for any
 * argument; the cJSON answered belongs to the spec (or is static) and is
 * never freed by the caller.
 *
 * sc_profile_action_required: true when |action| is in the profile's
 * "required_actions" (a conformant implementation of the dialect must have
 * it); false for every other action, and for every action of a profile
 * without the key (all optional).
 *
 * sc_profile_unknown_action: the profile's "unknown_action" object,
 * {"tokens": [NAME...], "http_status": [N...], "sources": [...]}: how the
 * dialect answers an action it does not know. A profile without the key
 * answers a static {"tokens": ["BAD_ACTION"], "http_status": []} (001's
 * token, which the handler clones keep); NULL only for a NULL profile.
 *
 * sc_profile_is_unknown_action: true when an answer with the token named
 * |token| (NULL: none) or the HTTP status |http_status| (0: unknown) is
 * that signal.
 *
 * sc_profile_borrowed: the "borrowed" entry whose "timing" is |timing|
 * ({"timing", "from": DOCUMENT, "sources": [...]}): a timing rule the
 * profile's checks use that its own document does not give, so that a
 * check built on it is at most WARN and names |from|. NULL when the rule
 * is not borrowed.
 *
 * sc_profile_error_envelope: true when the profile's "error_envelope"
 * lists |action|: {"status":"error","error":TOKEN} is a documented error
 * form there (elsewhere it is the deviation ERROR_FORM). */
bool sc_profile_action_required(const struct sc_profile *p,
                                const char *action);
const cJSON *sc_profile_unknown_action(const struct sc_profile *p);
bool sc_profile_is_unknown_action(const struct sc_profile *p,
                                  const char *token, int http_status);
const cJSON *sc_profile_borrowed(const struct sc_profile *p,
                                 const char *timing);
bool sc_profile_error_envelope(const struct sc_profile *p,
                               const char *action);

/* A dialect as data (specs/README.md, "A vendor's own profile"). All
 * accept NULL for any pointer argument and answer the default then.
 *
 * sc_profile_token_for: the name of the token that plays |ref|'s part in
 * the profile (its "tokens" entry with "plays": |ref|), else |ref|.
 * sc_profile_token_plays: the reference token whose part |name| plays in
 * the profile, else |name|. */
const char *sc_profile_token_for(const struct sc_profile *p, const char *ref);
const char *sc_profile_token_plays(const struct sc_profile *p,
                                   const char *name);

/* The form, and for SC_ERROR_FORM_STATUS_ERROR the key ("error" or
 * "message") in *key (may be NULL). A profile without "errors" answers
 * SC_ERROR_FORM_TEXT. */
enum sc_error_form sc_profile_error_form(const struct sc_profile *p,
                                         const char **key);
/* The HTTP status the profile declares for error token |token|: its own
 * entry, else the entry of the token it plays or of the token that plays
 * its part, else "*"; 0 when it declares none. */
int sc_profile_error_status(const struct sc_profile *p, const char *token);

/* Where and how |action| is sent: the override's "path" (NULL: the
 * dialect's endpoint, --url itself) and "method" ("GET" by default for the
 * handler dialects and a NULL profile; NULL for a REST profile that does
 * not override it, whose action's own "http" says); the wire name of
 * reference parameter |param| ("rename", else |param|); and whether a
 * success is an empty 204 body ("no_body"). */
const char *sc_profile_action_path(const struct sc_profile *p,
                                   const char *action);
const char *sc_profile_action_method(const struct sc_profile *p,
                                     const char *action);
const char *sc_profile_param_name(const struct sc_profile *p,
                                  const char *action, const char *param);
bool sc_profile_no_body(const struct sc_profile *p, const char *action);
/* The name the dialect gives top-level key |key| of |action|'s success
 * answer ("rename_keys"), else |key|. */
const char *sc_profile_answer_key(const struct sc_profile *p,
                                  const char *action, const char *key);

/* The profile's timing rule |name| ("timing"), else lifecycle.json's
 * timing rule of that name; false when neither gives one. */
bool sc_profile_timing(const struct sc_spec *s, const struct sc_profile *p,
                       const char *name, double *out);

/* The built-in profile a profile is made from: itself for a shipped one,
 * the end of its "extends" chain for a file (what the simulator's code
 * paths key on). */
const struct sc_profile *sc_profile_base(const struct sc_spec *s,
                                         const struct sc_profile *p);

/* Fills |v| for |action| as |profile| (NULL = reference) sees it. */
enum sc_err sc_spec_view(const struct sc_spec *s, const char *action,
                         const char *profile, struct sc_view *v);
/* True when |token| may be answered by the action as an error: listed in
 * errors, json_errors, errors_add or the profile's common_errors. */
bool sc_view_allows_error(const struct sc_view *v, const char *token);
bool sc_view_json_error(const struct sc_view *v, const char *token);

const char *sc_ftype_name(enum sc_ftype t);
bool sc_json_array_has_string(const cJSON *arr, const char *s);

/* Lint: validates a loaded spec; appends "file: path: message" lines to
 * |diag| and returns the number of problems. */
size_t sc_lint_spec(const struct sc_spec *s, struct sc_buf *diag);

/* Compiles |t|'s pattern (or its bare name); 0 or an error message. */
const char *sc_token_compile(struct sc_token *t, const char *pattern);

#endif
