/* smsconform.h — the response parser library for the SMS-activation API
 * family (SMS-Activate's handler_api.php, its clones, and a REST dialect).
 *
 * A client hands the parser what came back for one action: HTTP status,
 * content type and body bytes. The parser answers with a normalized result:
 * the kind of answer, the protocol token, typed fields as spans into the
 * caller's body, and every deviation from the source documents with a code,
 * a message, the byte offset it was found at and a verdict.
 *
 * The protocol knowledge (actions, tokens, forms, profiles) comes from the
 * spec, loaded once with sc_spec_new() and shared read-only afterwards: a
 * loaded spec may be used by many threads at once. The parser keeps no
 * global state. */
#ifndef SMSCONFORM_H
#define SMSCONFORM_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Library errors: why a call could not do its job (not protocol deviations,
 * which are results). X(name, message). */
#define SC_ERR_MAP(X)                                                        \
  X(OK, "success")                                                           \
  X(NOMEM, "out of memory")                                                  \
  X(INVAL, "invalid argument")                                               \
  X(SPEC, "the spec is invalid")                                             \
  X(NO_ACTION, "no such action in the spec")                                 \
  X(NO_PROFILE, "no such profile in the spec")                               \
  X(NOT_IN_PROFILE, "the action is not offered by this profile")            \
  X(IO, "input/output error")

enum sc_err {
#define SC_ERR_ENUM(name, msg) SC_ERR_##name,
  SC_ERR_MAP(SC_ERR_ENUM)
#undef SC_ERR_ENUM
};

const char *sc_err_name(enum sc_err e);
const char *sc_strerror(enum sc_err e);

/* Verdicts, worst last: the verdict of a result is the worst of its
 * deviations. X(name, exit code of `smsconform parse`). The parser gives
 * PASS, WARN or FAIL; the others are a run's: SKIP (a need of the check is
 * not met), UNSUPPORTED (the endpoint does not implement the check's
 * action), BLOCKED (a step the check needs failed; another check owns that
 * step's finding) and ERROR (the check could not be judged). */
#define SC_VERDICT_MAP(X)                                                    \
  X(PASS, 0)                                                                 \
  X(SKIP, 0)                                                                 \
  X(UNSUPPORTED, 0)                                                          \
  X(BLOCKED, 0)                                                              \
  X(WARN, 0)                                                                 \
  X(FAIL, 1)                                                                 \
  X(ERROR, 1)

enum sc_verdict {
#define SC_VERDICT_ENUM(name, code) SC_VERDICT_##name,
  SC_VERDICT_MAP(SC_VERDICT_ENUM)
#undef SC_VERDICT_ENUM
  SC_VERDICT__COUNT
};

const char *sc_verdict_name(enum sc_verdict v);

/* What kind of answer a body is. A SUCCESS without a token and without
 * JSON (token NULL, json NULL, form -1) is an empty success: the profile's
 * override of the action says "no_body" and the answer was HTTP 204 with
 * an empty body (specs/README.md, "A vendor's own profile"). */
#define SC_KIND_MAP(X)                                                       \
  X(SUCCESS, "success")                                                      \
  X(STATUS, "status")                                                        \
  X(ERROR, "error")                                                          \
  X(NOT_PROTOCOL, "not_protocol")

enum sc_kind {
#define SC_KIND_ENUM(name, str) SC_KIND_##name,
  SC_KIND_MAP(SC_KIND_ENUM)
#undef SC_KIND_ENUM
};

const char *sc_kind_name(enum sc_kind k);

/* Deviations: X(name, verdict, what it means). The verdict is the one the
 * parser gives; stable names are what reports and tests refer to.
 * SERVER_ERROR_TEXT, when found, is always devs[0]: a leaked SQL error or
 * stack trace is the first thing a report must say about that answer. */
#define SC_DEV_MAP(X)                                                         \
  X(EMPTY_BODY, FAIL, "the body is empty")                                   \
  X(HTML_BODY, FAIL, "the body is an HTML page, not a protocol answer")      \
  X(NOT_PROTOCOL, FAIL, "the body is neither a protocol token nor JSON")     \
  X(UNKNOWN_TOKEN, FAIL, "a token that no source document defines")          \
  X(TOKEN_CASE, FAIL, "a known token in the wrong letter case")              \
  X(LIBRARY_NAME, FAIL, "a client-library name, never sent on the wire")    \
  X(WRONG_ANSWER, FAIL, "a token this action never answers on success")     \
  X(UNDOCUMENTED_TOKEN, WARN, "an error token not documented for the action") \
  X(BINARY, FAIL, "NUL bytes or invalid UTF-8 in a text answer")             \
  X(BOM, WARN, "a UTF-8 byte order mark before the answer")                  \
  X(WHITESPACE, WARN, "whitespace around the token")                         \
  X(QUOTED, WARN, "the token is wrapped in quotes")                          \
  X(PATTERN, FAIL, "the answer does not match the token's pattern")          \
  X(FIELD, FAIL, "a field of the answer has the wrong syntax")               \
  X(FIELD_VARIANT, WARN, "a field in a variant form that vendors send")      \
  X(JSON_SYNTAX, FAIL, "malformed JSON (RFC 8259)")                          \
  X(JSON_SHAPE, FAIL, "JSON of the wrong shape for this action")             \
  X(JSON_MISSING, FAIL, "a required JSON key is missing")                    \
  X(JSON_TYPE, FAIL, "a JSON value of the wrong type")                       \
  X(JSON_VARIANT, WARN, "a JSON value in a variant form that vendors send")  \
  X(JSON_UNLISTED, WARN, "a value an open list of values does not show")     \
  X(JSON_UNEXPECTED, FAIL, "JSON where the action answers plain text")       \
  X(TEXT_UNEXPECTED, FAIL, "plain text where the action answers JSON")       \
  X(ERROR_FORM, WARN, "an error token in a form the action does not use")    \
  X(PROBLEM_DETAILS, WARN, "error as {\"title\",\"details\"} JSON dialect")  \
  X(HTTP_STATUS, WARN, "an HTTP status the dialect does not use here")       \
  X(HTTP_5XX, FAIL, "an HTTP server error status")                           \
  X(CONTENT_TYPE, WARN, "a content type that does not fit the body")        \
  X(SERVER_ERROR_TEXT, FAIL, "SQL or runtime error text in the answer")

enum sc_dev {
#define SC_DEV_ENUM(name, verdict, msg) SC_DEV_##name,
  SC_DEV_MAP(SC_DEV_ENUM)
#undef SC_DEV_ENUM
  SC_DEV__COUNT
};

const char *sc_dev_name(enum sc_dev d);
const char *sc_dev_describe(enum sc_dev d);
enum sc_verdict sc_dev_verdict(enum sc_dev d);

/* A span into the caller's body: never NUL-terminated. */
struct sc_span {
  const char *ptr;
  size_t len;
};

/* A typed field of a text answer (`ACCESS_NUMBER:{activationId}:{phone}`).
 * |name| points into the spec; |value| into the caller's body. */
struct sc_field {
  const char *name;
  const char *type;
  struct sc_span value;
};

#define SC_DEV_MESSAGE_MAX 200

struct sc_deviation {
  enum sc_dev code;
  enum sc_verdict verdict;
  size_t offset; /* byte offset into the body */
  char message[SC_DEV_MESSAGE_MAX];
};

#define SC_MAX_FIELDS 8
#define SC_MAX_DEVIATIONS 16

struct sc_token;
struct sc_spec;
struct cJSON;

struct sc_result {
  enum sc_kind kind;
  enum sc_verdict verdict;
  const struct sc_token *token; /* NULL when the answer carries none */
  struct sc_span token_span;    /* the token as it stands in the body */
  struct sc_field fields[SC_MAX_FIELDS];
  size_t nfields;
  struct sc_deviation devs[SC_MAX_DEVIATIONS];
  size_t ndevs;
  size_t ndevs_dropped; /* deviations past SC_MAX_DEVIATIONS, counted */
  struct cJSON *json;   /* the parsed JSON body, owned; NULL for text */
  int form;             /* index of the success form matched, or -1 */
};

/* What came back for one request. */
struct sc_input {
  const char *action;       /* action name, required */
  const char *profile;      /* profile name; NULL = the reference profile */
  int http_status;          /* 0 = unknown */
  const char *content_type; /* NULL = unknown */
  const char *body;         /* may be NULL when body_len is 0 */
  size_t body_len;
};

/* Loads the spec embedded at build time, or, when |dir| is not NULL, the
 * specs/ tree at |dir|. The spec is validated as `smsconform lint` does;
 * on failure NULL is returned, *err says why, and when |diag| is not NULL it
 * receives a malloc'd, newline-separated list of "file: path: message"
 * lines that the caller frees with sc_spec_free_diag(). */
struct sc_spec *sc_spec_new(const char *dir, enum sc_err *err, char **diag);
void sc_spec_destroy(struct sc_spec *spec);
void sc_spec_free_diag(char *diag);

/* Parses one answer. |out| is reset on entry and must be released with
 * sc_result_free() whatever the return value. Returns SC_ERR_OK when |out|
 * holds a result (whatever its verdict), SC_ERR_NO_ACTION / NO_PROFILE /
 * NOT_IN_PROFILE for unknown names, SC_ERR_NOMEM when an allocation failed
 * (then |out| holds nothing useful). Never crashes on any body bytes. */
enum sc_err sc_parse(const struct sc_spec *spec, const struct sc_input *in,
                     struct sc_result *out);
void sc_result_free(struct sc_result *r);

/* Token accessors (a token belongs to the spec). */
const char *sc_token_name(const struct sc_token *t);
const char *sc_token_kind(const struct sc_token *t);
const char *sc_token_meaning(const struct sc_token *t);

#ifdef __cplusplus
}
#endif

#endif
