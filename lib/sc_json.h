/* sc_json.h — strict RFC 8259 JSON validation with byte offsets, and the
 * parser that validates and builds a cJSON tree in the same pass.
 *
 * cJSON accepts bodies that RFC 8259 rejects (trailing garbage, comments,
 * leading zeros, raw control characters, bad \u escapes), so no body is
 * handed to cJSON's own parser: sc_json_validate judges a body without
 * allocating, sc_json_parse judges it and builds the tree cJSON would. No
 * global state; the input is a span that need not be NUL-terminated and may
 * contain NUL bytes. */
#ifndef SC_JSON_H
#define SC_JSON_H

#include <cjson/cJSON.h>
#include <stddef.h>

/* Why a body is not JSON. One list, three uses (enum, name, message). */
#define SC_JSON_ERR_MAP(X)                                                   \
  X(OK, "valid JSON")                                                        \
  X(EMPTY, "empty body: no JSON value")                                      \
  X(UNEXPECTED, "unexpected byte")                                           \
  X(TRUNCATED, "body ends inside a JSON value")                              \
  X(TRAILING, "bytes after the JSON value")                                  \
  X(NUMBER, "malformed number")                                              \
  X(STRING_CTRL, "raw control character inside a string")                    \
  X(ESCAPE, "invalid escape sequence in a string")                           \
  X(UTF8, "invalid UTF-8")                                                   \
  X(DEPTH, "nesting deeper than the limit")                                  \
  X(SURROGATE, "escaped surrogate without its pair")                         \
  X(NOMEM, "out of memory")

enum sc_json_err {
#define SC_JSON_ENUM(name, msg) SC_JSON_ERR_##name,
  SC_JSON_ERR_MAP(SC_JSON_ENUM)
#undef SC_JSON_ENUM
};

/* Maximum nesting of arrays and objects; deeper is SC_JSON_ERR_DEPTH. */
#define SC_JSON_MAX_DEPTH 256

struct sc_json_error {
  enum sc_json_err code;
  size_t offset; /* byte offset of the first offending byte */
};

/* Validates |len| bytes at |buf| as exactly one JSON text (RFC 8259),
 * optionally surrounded by JSON whitespace. A UTF-8 byte order mark is
 * NOT accepted here (callers that tolerate one skip it first). Returns
 * SC_JSON_ERR_OK or the first error; |err| (may be NULL) is always set. */
enum sc_json_err sc_json_validate(const char *buf, size_t len,
                                  struct sc_json_error *err);

/* Validates |len| bytes at |buf| exactly as sc_json_validate does and, in
 * the same pass, builds the tree that cJSON_ParseWithLength builds for
 * them: the same nodes, links, keys, strings, doubles and ints. Nodes and
 * strings come from cJSON_malloc; the caller frees the tree with
 * cJSON_Delete. Returns NULL and sets |err| (may be NULL) to:
 *   - what sc_json_validate answers, code and offset, when it refuses;
 *   - SURROGATE, at the offset sc_json_lone_surrogate answers, for a valid
 *     text that holds a surrogate escape without its pair (cJSON refuses
 *     it, and no UTF-8 string can hold it);
 *   - NOMEM when an allocation failed, offset 0; but a text that is not
 *     valid, or holds a lone surrogate, is reported as such first, so the
 *     answer does not depend on how far the tree got.
 * On success |err| is OK at offset 0. sc_json_validate never answers
 * SURROGATE or NOMEM. */
cJSON *sc_json_parse(const char *buf, size_t len, struct sc_json_error *err);

/* Returns the byte offset of the value found by following |path| from the
 * root of a VALID JSON text: |path| is an array of |npath| keys; a key of
 * the form "[N]" selects element N of an array. Returns (size_t)-1 when the
 * path does not exist. Used only to point a report at a deviating value. */
size_t sc_json_locate(const char *buf, size_t len, const char *const *path,
                      size_t npath);

/* sc_json_locate for a text the caller has already validated (or parsed
 * with sc_json_parse), without validating it again. On any other input it
 * still reads only inside the span, but what it answers is unspecified. */
size_t sc_json_locate_valid(const char *buf, size_t len,
                            const char *const *path, size_t npath);

/* Returns the byte offset of the first escaped UTF-16 surrogate without
 * its pair ("\uD800" alone, "\uDC00" first) in a VALID JSON text, or
 * (size_t)-1 when there is none. Such a string is valid JSON syntax (RFC
 * 8259 section 8.2) but no UTF-8 text can hold it, and cJSON refuses it. */
size_t sc_json_lone_surrogate(const char *buf, size_t len);

/* Gives member |item| the key |key| (a copy, in cJSON's allocator); 0 when
 * memory ran out (the old key stays). */
int sc_json_set_key(cJSON *item, const char *key);

const char *sc_json_err_name(enum sc_json_err e);
const char *sc_json_strerror(enum sc_json_err e);

#endif
