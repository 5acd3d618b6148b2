/* test_json.c — tests for sc_json.c: JSONTestSuite, hand cases with exact
 * offsets, sc_json_locate, and a cross-check against cJSON.
 *
 * Every input is copied into a heap buffer of exactly its size, so an
 * over-read by one byte is an AddressSanitizer error, not a silent pass. */
#include "sc_json.h"

#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <criterion/parameterized.h>

#include <cjson/cJSON.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef SC_JSONTESTSUITE_DIR
#define SC_JSONTESTSUITE_DIR "../shared/data/jsontestsuite/test_parsing"
#endif

/* Reads |path| into a malloc'd buffer of exactly its size (at least one
 * byte is allocated, so an empty file still yields a pointer). Returns NULL
 * on failure. The caller frees it. */
static char *read_exact(const char *path, size_t *len) {
  struct stat st;
  FILE *f = NULL;
  char *buf = NULL;

  *len = 0;
  if (stat(path, &st) != 0 || st.st_size < 0)
    return NULL;
  f = fopen(path, "rb");
  if (!f)
    return NULL;
  buf = malloc(st.st_size ? (size_t)st.st_size : 1);
  if (buf && fread(buf, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
    free(buf);
    buf = NULL;
  }
  fclose(f);
  if (buf)
    *len = (size_t)st.st_size;
  return buf;
}

/* JSONTestSuite (Nicolas Seriot): y_ files must be accepted, n_ files
 * rejected, i_ files (implementation-defined) may go either way but must
 * not crash or point past the input. The same files are handed to cJSON to
 * show why cJSON alone is not a validator. */
Test(json, jsontestsuite) {
  DIR *d = opendir(SC_JSONTESTSUITE_DIR);
  struct dirent *de;
  size_t y_ok = 0, n_rejected = 0, i_seen = 0, y_total = 0, n_total = 0;
  size_t cjson_n_accepted = 0, cjson_y_rejected = 0;

  cr_assert_not_null(d, "cannot open %s", SC_JSONTESTSUITE_DIR);
  while ((de = readdir(d)) != NULL) {
    const char *name = de->d_name;
    char path[4096];
    struct sc_json_error err;
    enum sc_json_err rc;
    cJSON *cj;
    size_t len;
    char *buf;
    int n;

    if (name[0] == '.' || name[1] != '_' || !strstr(name, ".json"))
      continue;
    n = snprintf(path, sizeof(path), "%s/%s", SC_JSONTESTSUITE_DIR, name);
    cr_assert(n > 0 && (size_t)n < sizeof(path), "path too long: %s", name);
    buf = read_exact(path, &len);
    cr_assert_not_null(buf, "cannot read %s", path);

    rc = sc_json_validate(buf, len, &err);
    cr_expect_eq(rc, err.code, "%s: return value and err.code differ", name);
    cr_expect_leq(err.offset, len, "%s: offset %zu past len %zu", name,
                  err.offset, len);
    cj = cJSON_ParseWithLength(buf, len);
    switch (name[0]) {
    case 'y':
      y_total++;
      cr_expect_eq(rc, SC_JSON_ERR_OK, "%s: rejected as %s at %zu", name,
                   sc_json_err_name(rc), err.offset);
      y_ok += rc == SC_JSON_ERR_OK;
      if (!cj) {
        cjson_y_rejected++;
        cr_log_info("cJSON rejects valid %s", name);
      }
      break;
    case 'n':
      n_total++;
      cr_expect_neq(rc, SC_JSON_ERR_OK, "%s: accepted", name);
      n_rejected += rc != SC_JSON_ERR_OK;
      if (cj)
        cjson_n_accepted++;
      break;
    default:
      i_seen++;
      break;
    }
    /* What the validator accepts, cJSON parses too, unless (and only
     * unless) a surrogate escape lacks its pair: sc_parse relies on it. */
    if (rc == SC_JSON_ERR_OK)
      cr_expect_eq(cj != NULL,
                   sc_json_lone_surrogate(buf, len) == (size_t)-1,
                   "%s: cJSON %s it, lone surrogate at %zu", name,
                   cj ? "parses" : "refuses", sc_json_lone_surrogate(buf, len));
    cJSON_Delete(cj);
    free(buf);
  }
  closedir(d);

  cr_log_info("JSONTestSuite: %zu/%zu y_ accepted, %zu/%zu n_ rejected, "
              "%zu i_ survived",
              y_ok, y_total, n_rejected, n_total, i_seen);
  cr_log_info("cJSON_ParseWithLength alone: accepts %zu n_ files, rejects "
              "%zu y_ files",
              cjson_n_accepted, cjson_y_rejected);
  cr_assert_eq(y_total, 95, "y_ files found: %zu", y_total);
  cr_assert_eq(n_total, 188, "n_ files found: %zu", n_total);
  cr_assert_eq(y_ok, 95);
  cr_assert_eq(n_rejected, 188);
}

/* One hand case: the body is |nest| '[' bytes, then |len| bytes of |in|,
 * then |nest| ']' bytes; the validator must answer |code| at |off|. |in| is
 * an array, not a pointer: Criterion copies the rows into a worker process
 * whose string literals may live at other addresses. */
struct json_case {
  char in[64];
  size_t len;
  size_t nest;
  enum sc_json_err code;
  size_t off;
};

#define ROW(s, code, off)                                                      \
  { s, sizeof(s) - 1, 0, SC_JSON_ERR_##code, off }
#define NEST(n, code, off)                                                     \
  { "", 0, n, SC_JSON_ERR_##code, off }

static const struct json_case cases[] = {
    /* cJSON stops after the value and ignores the rest */
    ROW("{\"a\":1}x", TRAILING, 7),
    /* a second value is trailing too */
    ROW("1 2", TRAILING, 2),
    /* a NUL after the value must not end the body as in C strings */
    ROW("1\0", TRAILING, 1),
    /* whitespace around the value is allowed (RFC 8259 section 2) */
    ROW(" \t\r\n[1] \n", OK, 0),
    /* leading zeros are not JSON; the offending byte is the second digit */
    ROW("-01", NUMBER, 2),
    /* a fraction needs a digit after the point */
    ROW("2.e3", NUMBER, 2),
    /* ... also inside an array */
    ROW("[2.]", NUMBER, 3),
    /* ... and at the end of the body the value is cut short */
    ROW("2.", TRUNCATED, 2),
    /* an exponent needs a digit after its sign */
    ROW("1e+", TRUNCATED, 3),
    /* hex is not JSON */
    ROW("0x1", NUMBER, 1),
    /* no plus sign in front */
    ROW("+1", UNEXPECTED, 0),
    /* no leading point */
    ROW(".5", UNEXPECTED, 0),
    /* JavaScript's Infinity and NaN are not JSON */
    ROW("Infinity", UNEXPECTED, 0),
    ROW("-Infinity", NUMBER, 1),
    ROW("NaN", UNEXPECTED, 0),
    /* a minus alone is not a number */
    ROW("[-]", NUMBER, 2),
    /* the grammar has no range limit: huge numbers are valid */
    ROW("1e99999", OK, 0),
    ROW("-0.0e-0", OK, 0),
    ROW("[123456789012345678901234567890]", OK, 0),
    /* trailing commas are rejected at the closing byte */
    ROW("[1,]", UNEXPECTED, 3),
    ROW("{\"a\":1,}", UNEXPECTED, 7),
    /* elements need a separator */
    ROW("[1 2]", UNEXPECTED, 3),
    /* keys must be strings */
    ROW("{1:2}", UNEXPECTED, 1),
    /* a key needs its colon */
    ROW("{\"a\" 1}", UNEXPECTED, 5),
    /* no comments in JSON */
    ROW("/*x*/1", UNEXPECTED, 0),
    ROW("[1]//x", TRAILING, 3),
    /* control characters must be escaped inside strings (section 7) */
    ROW("\"a\tb\"", STRING_CTRL, 2),
    /* ... and NUL is a control character, not an end of string */
    ROW("\"a\0b\"", STRING_CTRL, 2),
    /* \u takes exactly four hex digits: the quote is the bad byte */
    ROW("\"\\u12\"", ESCAPE, 5),
    /* unknown escape letter */
    ROW("\"\\x\"", ESCAPE, 2),
    /* \U is not \u */
    ROW("\"\\U0041\"", ESCAPE, 2),
    /* every valid escape */
    ROW("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\uABcd\"", OK, 0),
    /* lone surrogate escapes are syntactically fine (section 8.2) */
    ROW("\"\\uD800\"", OK, 0),
    ROW("\"\\uDFAA\\uD800\"", OK, 0),
    /* the body ends inside a value: offset is the length */
    ROW("{\"a\":", TRUNCATED, 5),
    ROW("[1,2", TRUNCATED, 4),
    ROW("\"abc", TRUNCATED, 4),
    ROW("\"\\", TRUNCATED, 2),
    ROW("\"\\u00", TRUNCATED, 5),
    ROW("-", TRUNCATED, 1),
    ROW("tru", TRUNCATED, 3),
    /* literals are lowercase and exact */
    ROW("trUe", UNEXPECTED, 2),
    ROW("[true,false,null]", OK, 0),
    /* nothing at all */
    ROW("", EMPTY, 0),
    /* only whitespace: EMPTY at the length */
    ROW(" \t\r\n ", EMPTY, 5),
    /* form feed and NBSP are not JSON whitespace */
    ROW("\f[1]", UNEXPECTED, 0),
    ROW("\xC2\xA0[1]", UNEXPECTED, 0),
    /* a BOM is valid UTF-8 but not JSON; callers skip it themselves */
    ROW("\xEF\xBB\xBF{}", UNEXPECTED, 0),
    /* valid multi-byte UTF-8 in a string: 2, 3 and 4 bytes */
    ROW("\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\"", OK, 0),
    /* the largest code point, U+10FFFF */
    ROW("\"\xF4\x8F\xBF\xBF\"", OK, 0),
    /* overlong '/': C0 can never start a valid sequence */
    ROW("\"\xC0\xAF\"", UTF8, 1),
    /* overlong 3-byte form of U+007F */
    ROW("\"\xE0\x81\xBF\"", UTF8, 2),
    /* U+D800 encoded in UTF-8: the second byte makes it a surrogate */
    ROW("\"\xED\xA0\x80\"", UTF8, 2),
    /* beyond U+10FFFF */
    ROW("\"\xF4\x90\x80\x80\"", UTF8, 2),
    ROW("\"\xF5\x80\x80\x80\"", UTF8, 1),
    /* stray continuation byte */
    ROW("\"\x80\"", UTF8, 1),
    /* truncated sequence: the closing quote cannot continue it */
    ROW("\"\xE2\x82\"", UTF8, 3),
    /* truncated sequence at the end of an unterminated string */
    ROW("\"\xE2\x82", TRUNCATED, 3),
    /* invalid UTF-8 outside strings is UTF8 too, not just unexpected */
    ROW("[\xFF]", UTF8, 1),
    ROW("{}\xFF", UTF8, 2),
    /* ... at the first offending byte even when the sequence fails later */
    ROW("[1\xC3", UTF8, 2),
    ROW("[\xE2\x82]", UTF8, 1),
    /* invalid UTF-8 where a digit or an escape letter is due */
    ROW("[1e\xE5]", UTF8, 3),
    ROW("\"\\\xE5\"", UTF8, 2),
    /* valid UTF-8 that is still a bad escape letter */
    ROW("\"\\\xC3\xA9\"", ESCAPE, 2),
    /* valid UTF-8 outside a string is merely unexpected */
    ROW("[\xC3\xA9]", UNEXPECTED, 1),
    /* 256 levels of nesting are allowed ... */
    NEST(SC_JSON_MAX_DEPTH, OK, 0),
    /* ... 257 are not: the 257th bracket is the offending byte */
    NEST(SC_JSON_MAX_DEPTH + 1, DEPTH, SC_JSON_MAX_DEPTH),
};

/* Writes |in| as a C string literal body into |out| (hostile bytes as
 * \xHH) so a failing row can be recognized in the report. */
static void show(const char *in, size_t len, char *out, size_t outsz) {
  size_t i, o = 0;

  for (i = 0; i < len && o + 5 < outsz; i++) {
    unsigned char c = (unsigned char)in[i];
    if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\')
      out[o++] = (char)c;
    else
      o += (size_t)snprintf(out + o, outsz - o, "\\x%02X", c);
  }
  out[o] = '\0';
}

ParameterizedTestParameters(json, hand_cases) {
  return cr_make_param_array(struct json_case, cases,
                             sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(const struct json_case *c, json, hand_cases) {
  size_t len = 2 * c->nest + c->len, i;
  char *buf = malloc(len ? len : 1);
  struct sc_json_error err = {SC_JSON_ERR_OK, 12345};
  enum sc_json_err rc;
  char shown[5 * sizeof(c->in) + 1];

  cr_assert_not_null(buf);
  for (i = 0; i < c->nest; i++) {
    buf[i] = '[';
    buf[len - 1 - i] = ']';
  }
  memcpy(buf + c->nest, c->in, c->len);
  show(c->in, c->len, shown, sizeof(shown));
  rc = sc_json_validate(buf, len, &err);
  cr_expect_eq(rc, err.code);
  cr_expect_eq(rc, c->code, "\"%s\" (nest %zu): got %s, want %s", shown,
               c->nest, sc_json_err_name(rc), sc_json_err_name(c->code));
  cr_expect_eq(err.offset, c->off,
               "\"%s\" (nest %zu): got offset %zu, want %zu", shown, c->nest,
               err.offset, c->off);
  free(buf);
}

Test(json, err_may_be_null) {
  cr_expect_eq(sc_json_validate("[1]", 3, NULL), SC_JSON_ERR_OK);
  cr_expect_eq(sc_json_validate("[1", 2, NULL), SC_JSON_ERR_TRUNCATED);
}

/* The span is |len| bytes even when a NUL-terminated string is longer. */
Test(json, len_limits_the_span) {
  struct sc_json_error err;

  cr_expect_eq(sc_json_validate("[1]garbage", 3, &err), SC_JSON_ERR_OK);
  cr_expect_eq(sc_json_validate("[1]", 2, &err), SC_JSON_ERR_TRUNCATED);
  cr_expect_eq(err.offset, 2);
}

Test(json, err_names) {
  cr_expect_str_eq(sc_json_err_name(SC_JSON_ERR_OK), "OK");
  cr_expect_str_eq(sc_json_err_name(SC_JSON_ERR_EMPTY), "EMPTY");
  cr_expect_str_eq(sc_json_err_name(SC_JSON_ERR_TRAILING), "TRAILING");
  cr_expect_str_eq(sc_json_err_name(SC_JSON_ERR_DEPTH), "DEPTH");
  cr_expect_str_eq(sc_json_strerror(SC_JSON_ERR_TRAILING),
                   "bytes after the JSON value");
  cr_expect_str_eq(sc_json_err_name((enum sc_json_err)999), "UNKNOWN");
  cr_expect_not_null(sc_json_strerror((enum sc_json_err)999));
}

/* sc_json_locate on a copy of |s| of exactly strlen(s) bytes, without the
 * NUL, so reading past the span is an ASan error. */
static size_t locate(const char *s, const char *const *path, size_t npath) {
  size_t len = strlen(s), r;
  char *buf = malloc(len ? len : 1);

  cr_assert_not_null(buf);
  memcpy(buf, s, len); /* NOLINT(bugprone-not-null-terminated-result) */
  r = sc_json_locate(buf, len, path, npath);
  free(buf);
  return r;
}

static const char doc[] =
    " {\"a\": {\"b\": [10, {\"c\": true}, \"x\"]}, \"d\": \"s\", "
    "\"e\\n\": 1, \"[0]\": 2}";

Test(json, locate_nested_path) {
  const char *path[] = {"a", "b", "[1]", "c"};

  cr_expect_eq(locate(doc, path, 4), (size_t)(strstr(doc, "true") - doc));
}

Test(json, locate_array_index) {
  const char *p0[] = {"a", "b", "[0]"};
  const char *p2[] = {"a", "b", "[2]"};

  cr_expect_eq(locate(doc, p0, 3), (size_t)(strstr(doc, "10") - doc));
  cr_expect_eq(locate(doc, p2, 3), (size_t)(strstr(doc, "\"x\"") - doc));
}

Test(json, locate_root) {
  cr_expect_eq(locate(doc, NULL, 0), 1);
}

/* An object key spelled like an index is still a key. */
Test(json, locate_key_like_index) {
  const char *path[] = {"[0]"};

  cr_expect_eq(locate(doc, path, 1), (size_t)(strstr(doc, "2}") - doc));
}

/* Keys are compared raw, between the quotes. */
Test(json, locate_raw_key) {
  const char *raw[] = {"e\\n"};
  const char *cooked[] = {"e\n"};

  cr_expect_eq(locate(doc, raw, 1), (size_t)(strstr(doc, "1,") - doc));
  cr_expect_eq(locate(doc, cooked, 1), (size_t)-1);
}

Test(json, locate_missing_key) {
  const char *path[] = {"a", "zz"};

  cr_expect_eq(locate(doc, path, 2), (size_t)-1);
}

Test(json, locate_index_out_of_range) {
  const char *path[] = {"a", "b", "[3]"};

  cr_expect_eq(locate(doc, path, 3), (size_t)-1);
}

Test(json, locate_into_scalar) {
  const char *p1[] = {"d", "x"};
  const char *p2[] = {"d", "[0]"};

  cr_expect_eq(locate(doc, p1, 2), (size_t)-1);
  cr_expect_eq(locate(doc, p2, 2), (size_t)-1);
}

/* Index syntax is strict: "[x]", "[]", "[1" select nothing in an array. */
Test(json, locate_bad_index) {
  const char *bad[] = {"[x]", "[]",   "[1",
                       "1",   "[-1]", "[99999999999999999999999999]"};
  const char *path[2] = {"a", NULL};
  size_t k;

  for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
    const char *p3[] = {"a", "b", bad[k]};
    cr_expect_eq(locate(doc, p3, 3), (size_t)-1, "%s", bad[k]);
  }
  cr_expect_eq(locate(doc, path, 2), (size_t)-1);
}

/* Invalid input is refused, not walked. */
Test(json, locate_invalid_input) {
  const char *path[] = {"a"};

  cr_expect_eq(locate("{\"a\":1", path, 1), (size_t)-1);
  cr_expect_eq(locate("{\"a\":1}x", path, 1), (size_t)-1);
  cr_expect_eq(locate("", NULL, 0), (size_t)-1);
  cr_expect_eq(sc_json_locate(NULL, 3, path, 1), (size_t)-1);
}

/* A surrogate escape without its pair, found where it starts; pairs, other
 * escapes and a backslash before a 'u' are no such thing. */
Test(json, lone_surrogate) {
  static const struct {
    const char *text;
    size_t at;
  } rows[] = {
      {"\"\\uD800\"", 1},
      {"\"ab\\udc00\"", 3},
      {"[\"\\uD83D\\uDE00\", \"\\uD83D\"]", 18},
      {"\"\\uD83D\\u0041\"", 1},
      {"\"\\uDFAA\\uD800\"", 1},
      {"\"\\uD83D\\uDE00\"", (size_t)-1},
      {"\"\\\\uD800\"", (size_t)-1}, /* an escaped backslash, then text */
      {"{\"k\\u00e9\":\"\\n\\u0000\"}", (size_t)-1},
  };
  for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
    size_t len = strlen(rows[i].text);
    cr_assert_eq(sc_json_validate(rows[i].text, len, NULL), SC_JSON_ERR_OK,
                 "%s", rows[i].text);
    size_t at = sc_json_lone_surrogate(rows[i].text, len);
    cr_expect_eq(at, rows[i].at, "%s: %zu, want %zu", rows[i].text, at,
                 rows[i].at);
    cJSON *j = cJSON_ParseWithLength(rows[i].text, len);
    cr_expect_eq(j != NULL, rows[i].at == (size_t)-1,
                 "%s: cJSON and the scan disagree", rows[i].text);
    cJSON_Delete(j);
  }
}
