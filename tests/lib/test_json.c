/* test_json.c — tests for sc_json.c: JSONTestSuite, hand cases with exact
 * offsets, sc_json_locate, a cross-check against cJSON, and sc_json_parse
 * against both the validator and cJSON_ParseWithLength (a differential
 * test over every test file, corpus file and case-table body).
 *
 * Every input is copied into a heap buffer of exactly its size, so an
 * over-read by one byte is an AddressSanitizer error, not a silent pass. */
#include "sc_json.h"

#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <criterion/parameterized.h>

#include <cjson/cJSON.h>

#include <dirent.h>
#include <stdint.h>
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
  /* on a valid text, the variant that trusts it answers the same */
  if (sc_json_validate(buf, len, NULL) == SC_JSON_ERR_OK)
    cr_expect_eq(sc_json_locate_valid(buf, len, path, npath), r);
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

/* ---- sc_json_parse: one pass, validator's verdict, cJSON's tree ---- */

/* The body table of the parser tests. It has its own |cases|, so the name
 * is moved aside while it is read. */
#define cases parse_table
#include "parse_cases.h"
#undef cases

#ifndef SC_SOURCE_DIR
#define SC_SOURCE_DIR "."
#endif

/* Where two trees first differ, written into |why|; "" when they are equal
 * in everything cJSON_ParseWithLength sets: type, key, string (as a C
 * string: cJSON stops at a "\u0000"), the double bit for bit, the int, and
 * the links (each prev is the previous sibling, the first child's prev
 * the last one, the last next NULL). */
static void tree_diff(const cJSON *a, const cJSON *b, const char *at, char *why,
                      size_t whysz) {
  char here[512];
  size_t k = 0;
  const cJSON *fa = a, *fb = b;

  if (why[0])
    return;
  for (; a || b; a = a->next, b = b->next, k++) {
    snprintf(here, sizeof here, "%s/%zu", at, k);
    if (!a || !b) {
      snprintf(why, whysz, "%s: %s has more siblings", here,
               a ? "ours" : "cJSON");
      return;
    }
    if (a->type != b->type) {
      snprintf(why, whysz, "%s: type %d, cJSON %d", here, a->type, b->type);
      return;
    }
    if ((a->string == NULL) != (b->string == NULL) ||
        (a->string && strcmp(a->string, b->string) != 0)) {
      snprintf(why, whysz, "%s: key \"%s\", cJSON \"%s\"", here,
               a->string ? a->string : "(null)",
               b->string ? b->string : "(null)");
      return;
    }
    if ((a->valuestring == NULL) != (b->valuestring == NULL) ||
        (a->valuestring && strcmp(a->valuestring, b->valuestring) != 0)) {
      snprintf(why, whysz, "%s: string \"%s\", cJSON \"%s\"", here,
               a->valuestring ? a->valuestring : "(null)",
               b->valuestring ? b->valuestring : "(null)");
      return;
    }
    if (memcmp(&a->valuedouble, &b->valuedouble, sizeof(double)) != 0 ||
        a->valueint != b->valueint) {
      snprintf(why, whysz, "%s: number %.17g (%d), cJSON %.17g (%d)", here,
               a->valuedouble, a->valueint, b->valuedouble, b->valueint);
      return;
    }
    if ((a->child == NULL) != (b->child == NULL)) {
      snprintf(why, whysz, "%s: %s has children", here,
               a->child ? "ours" : "cJSON");
      return;
    }
    /* the prev links, checked on both sides */
    for (int side = 0; side < 2; side++) {
      const cJSON *n = side ? b : a, *first = side ? fb : fa, *want;
      if (n == first) {
        for (want = first; want->next; want = want->next)
          ;
        /* the first node of a list: prev is the last one, except at the
         * root, which has no siblings and no prev */
        if (first->prev != (at[0] ? want : NULL)) {
          snprintf(why, whysz, "%s: %s first prev is not the last sibling",
                   here, side ? "cJSON's" : "our");
          return;
        }
      } else if (n->prev == NULL || n->prev->next != n) {
        snprintf(why, whysz, "%s: %s prev is not the previous sibling", here,
                 side ? "cJSON's" : "our");
        return;
      }
    }
    if (a->child)
      tree_diff(a->child, b->child, here, why, whysz);
    if (why[0])
      return;
  }
}

/* What the parser's answer for |len| bytes at |buf| must be: the
 * validator's code and offset when it refuses; SURROGATE at the first lone
 * surrogate when cJSON refuses a valid text; else cJSON's tree. Returns 0,
 * or 1 after an expectation failed (|name| says which input). */
static int differential(const char *name, const char *buf, size_t len) {
  struct sc_json_error want, got = {SC_JSON_ERR_OK, 12345};
  char why[1024] = "";
  cJSON *ours, *theirs;
  int bad = 0;

  sc_json_validate(buf, len, &want);
  ours = sc_json_parse(buf, len, &got);
  if (want.code != SC_JSON_ERR_OK) {
    bad = ours != NULL || got.code != want.code || got.offset != want.offset;
    cr_expect(!bad, "%s: parse says %s at %zu (%s), validator %s at %zu", name,
              sc_json_err_name(got.code), got.offset,
              ours ? "with a tree" : "no tree", sc_json_err_name(want.code),
              want.offset);
    cJSON_Delete(ours);
    return bad;
  }
  theirs = cJSON_ParseWithLength(buf, len);
  if (!theirs) {
    size_t at = sc_json_lone_surrogate(buf, len);
    bad = ours != NULL || got.code != SC_JSON_ERR_SURROGATE ||
          got.offset != at || at == (size_t)-1;
    cr_expect(!bad,
              "%s: cJSON refuses it (lone surrogate at %zu), parse "
              "says %s at %zu",
              name, at, sc_json_err_name(got.code), got.offset);
  } else if (!ours || got.code != SC_JSON_ERR_OK || got.offset != 0) {
    bad = 1;
    cr_expect(0, "%s: cJSON parses it, parse says %s at %zu", name,
              sc_json_err_name(got.code), got.offset);
  } else {
    tree_diff(ours, theirs, "", why, sizeof why);
    bad = why[0] != '\0';
    cr_expect(!bad, "%s: trees differ at %s", name, why);
  }
  cJSON_Delete(ours);
  cJSON_Delete(theirs);
  return bad;
}

/* differential() on a heap copy of exactly |len| bytes, so that reading
 * one byte past the span is an AddressSanitizer error. */
static int differential_exact(const char *name, const char *s, size_t len) {
  char *buf = malloc(len ? len : 1);
  int bad;

  cr_assert_not_null(buf);
  memcpy(buf, s, len);
  bad = differential(name, buf, len);
  free(buf);
  return bad;
}

/* Every regular file of |dir|, whole, and (for corpus files, whose first
 * line selects the action) the body after the first newline. Returns how
 * many files were read. */
static size_t differential_dir(const char *dir, int header) {
  DIR *d = opendir(dir);
  struct dirent *de;
  size_t files = 0, failed = 0;

  cr_assert_not_null(d, "cannot open %s", dir);
  while ((de = readdir(d)) != NULL) {
    char path[4096];
    size_t len;
    char *buf;

    if (de->d_name[0] == '.')
      continue;
    snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
    buf = read_exact(path, &len);
    if (!buf)
      continue;
    files++;
    failed += (size_t)differential(de->d_name, buf, len);
    if (header) {
      const char *nl = memchr(buf, '\n', len);
      if (nl)
        failed += (size_t)differential_exact(de->d_name, nl + 1,
                                             len - (size_t)(nl + 1 - buf));
    }
    free(buf);
  }
  closedir(d);
  cr_expect_eq(failed, 0, "%zu inputs of %s differ", failed, dir);
  return files;
}

Test(json_parse, jsontestsuite_matches_validator_and_cjson) {
  size_t n = differential_dir(SC_JSONTESTSUITE_DIR, 0);
  cr_expect_geq(n, 95 + 188, "only %zu files", n);
}

Test(json_parse, corpus_json_matches_validator_and_cjson) {
  cr_expect_gt(differential_dir(SC_SOURCE_DIR "/corpus/json", 1), 100);
}

Test(json_parse, corpus_roundtrip_matches_validator_and_cjson) {
  cr_expect_gt(differential_dir(SC_SOURCE_DIR "/corpus/roundtrip", 1), 100);
}

Test(json_parse, parse_cases_match_validator_and_cjson) {
  size_t failed = 0, json = 0;
  for (size_t i = 0; i < sizeof parse_table / sizeof *parse_table; i++) {
    const struct parse_case *c = &parse_table[i];
    char name[64];
    snprintf(name, sizeof name, "parse_cases.h row %zu", i);
    failed += (size_t)differential_exact(name, c->body, c->len);
    /* the parser hands over the body from its first '{' or '[' */
    const char *o = memchr(c->body, '{', c->len),
               *a = memchr(c->body, '[', c->len);
    if (a && (!o || a < o))
      o = a;
    if (o) {
      json++;
      failed +=
          (size_t)differential_exact(name, o, c->len - (size_t)(o - c->body));
    }
  }
  cr_expect_gt(json, 20);
  cr_expect_eq(failed, 0);
}

/* Hand cases: each row is one JSON text. */
static const char *const tree_rows[] = {
    /* every kind of value, nested, with whitespace */
    " { \"a\" : [ 1 , -2.5 , true , false , null , \"s\" , { } , [ ] ] ,"
    " \"b\" : { \"c\" : { \"d\" : [ [ [ ] ] ] } } } ",
    /* scalars at the top */
    "1",
    "-0",
    "\"\"",
    "true",
    "false",
    "null",
    " 7 ",
    /* empty keys, duplicate keys (cJSON keeps both, in order) */
    "{\"\":\"\",\"a\":1,\"a\":2}",
    /* one child, two, many: the first child's prev is the last */
    "[1]",
    "[1,2]",
    "[1,2,3,4,5,6,7,8,9,10]",
    "{\"k\":{}}",
    /* escapes, in keys and values */
    "{\"\\\"\\\\\\/\\b\\f\\n\\r\\t\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"}",
    /* \u0000 ends cJSON's C string there */
    "[\"a\\u0000b\"]",
    "{\"k\\u0000ey\":\"\\u0000\"}",
    /* 1, 2 and 3 UTF-8 bytes from \u, and the edges between them */
    "[\"\\u0001\\u007F\\u0080\\u07FF\\u0800\\uFFFF\\u00e9\\uABcd\"]",
    /* surrogate pairs: 4 UTF-8 bytes, the lowest and the highest */
    "[\"\\uD800\\uDC00\", \"\\uD83D\\uDE00\", \"\\uDBFF\\uDFFF\"]",
    "{\"\\uD83D\\uDE00\":\"x\\uD83D\\uDE00y\"}",
    /* lone surrogates, first or later, in keys and values, and at the end
     * of a string or before another escape */
    "[\"\\uD800\"]",
    "[\"\\uDC00\"]",
    "[\"ok\", \"x\\uDBFFy\"]",
    "{\"\\uD800\":1}",
    "[\"\\uD800\\u0041\"]",
    "[\"\\uD800\\n\"]",
    "[\"\\uD800\\uD800\"]",
    "[\"\\uDFAA\\uD800\"]",
    "[\"\\uD83D\\uDE00\", \"\\uD83D\"]",
    /* raw multi-byte UTF-8 */
    "[\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF\"]",
    /* numbers at the edges of the fast path: 15, 16, 17 and more digits */
    "[123456789012345, 1234567890123456, 12345678901234567,"
    " 123456789012345678, 1234567890123456789, 12345678901234567890,"
    " 123456789012345678901234567890]",
    "[0.123456789012345, 0.1234567890123456, 0.12345678901234567,"
    " 1.2345678901234567890123]",
    /* 2^53 and its neighbours */
    "[9007199254740991, 9007199254740992, 9007199254740993,"
    " 9007199254740994, 9007199254740995, -9007199254740993]",
    /* exponents +-22 and +-23, with 1 and with many digits */
    "[1e22, 1e23, 1e-22, 1e-23, 123456789e22, 123456789e-22,"
    " 123456789e23, 123456789e-23, 9007199254740993e22, 1.5e22, 1.5e-22,"
    " 4.5e-23, 1E+22, 1E+023, 1e-0022, 1e0000000000000000000000000000001]",
    /* zeros: -0 keeps its sign, any exponent of zero is zero */
    "[0, -0, 0.0, -0.0, 0e0, -0e-0, 0e99999999999999999999, -0.000e-5]",
    /* out of range: infinity, and values that round to 0 or to the
     * smallest subnormal */
    "[1e400, -1e400, 1e99999, 4.9e-324, 2.4703282292062327e-324,"
    " 2.4703282292062328e-324, 5e-324, 1e-400, -1e-400]",
    /* the largest double, and just past where it rounds to infinity */
    "[1.7976931348623157e308, 1.7976931348623158e308,"
    " 1.7976931348623159e308, 2.2250738585072011e-308,"
    " 2.2250738585072014e-308]",
    /* valueint saturates at INT_MAX and INT_MIN */
    "[2147483646, 2147483647, 2147483648, -2147483647, -2147483648,"
    " -2147483649, 2147483647.5, -2147483648.5, 1e10, -1e10, 2.9, -2.9]",
    /* decimals that are not exact doubles */
    "[0.1, 0.2, 0.3, 1.1, 2.675, 3.14159265358979323846, 1.15,"
    " 0.000001, 0.0000001, 123.456, 99.99, 5e-1, 25e-2]",
    /* a long fraction of zeros before the digits */
    "[0.00000000000000000000000000000000000000000000000000001,"
    " 1.00000000000000000000000000000000000000000000000000001]",
    /* longer than 63 characters (cJSON used to stop there) and longer
     * than the parser's stack copy */
    "[1111111111111111111111111111111111111111111111111111111111111111111,"
    " 0.11111111111111111111111111111111111111111111111111111111111111111,"
    " 1111111111111111111111111111111111111111111111111111111111111111111"
    "1111111111111111111111111111111111111111111111111111111111111111111"
    "1111111111111111111111111111111111111111111111111111111111111111111"
    "e-100]",
    "11111111111111111111111111111111111111111111111111111111111111111111",
};

Test(json_parse, hand_rows) {
  for (size_t i = 0; i < sizeof tree_rows / sizeof *tree_rows; i++)
    differential_exact(tree_rows[i], tree_rows[i], strlen(tree_rows[i]));
}

/* Arrays and objects nested to the limit, and one deeper. */
Test(json_parse, depth_limit) {
  for (size_t n = SC_JSON_MAX_DEPTH - 1; n <= SC_JSON_MAX_DEPTH + 2; n++) {
    size_t cap = 8 * n + 16, k, len = 0;
    char *arr = malloc(cap), *obj = malloc(cap), name[64];
    struct sc_json_error err;
    cJSON *j;

    cr_assert(arr && obj);
    for (k = 0; k < n; k++)
      arr[k] = '[';
    for (k = 0; k < n; k++)
      arr[n + k] = ']';
    snprintf(name, sizeof name, "%zu arrays", n);
    differential_exact(name, arr, 2 * n);
    j = sc_json_parse(arr, 2 * n, &err);
    cr_expect_eq(j != NULL, n <= SC_JSON_MAX_DEPTH, "%s", name);
    if (n > SC_JSON_MAX_DEPTH)
      cr_expect(err.code == SC_JSON_ERR_DEPTH &&
                    err.offset == SC_JSON_MAX_DEPTH,
                "%s: %s at %zu", name, sc_json_err_name(err.code), err.offset);
    cJSON_Delete(j);
    for (k = 0; k < n; k++) {
      memcpy(obj + len, "{\"a\":", 5);
      len += 5;
    }
    obj[len++] = '1';
    for (k = 0; k < n; k++)
      obj[len++] = '}';
    snprintf(name, sizeof name, "%zu objects", n);
    differential_exact(name, obj, len);
    free(arr);
    free(obj);
  }
}

/* A body with a bit of everything, and every prefix, and every one-byte
 * change to a hostile byte. */
static const char sample[] =
    "{\"activationId\":\"635468024\",\"phoneNumber\":\"79584******\","
    "\"activationCost\":12.50,\"countryCode\":\"0\",\"canGetAnotherSms\":true,"
    "\"activationTime\":\"2022-06-01 17:30:57\",\"activationOperator\":null,"
    "\"text\":\"\xD0\x9A\xD0\xBE\xD0\xB4 \\u00e9\\uD83D\\uDE00\xE2\x82\xAC\","
    "\"list\":[1,-0.5e-3,[],{},false,1E400]}";

Test(json_parse, every_truncation) {
  size_t len = sizeof sample - 1, failed = 0;
  char name[64];
  for (size_t n = 0; n <= len; n++) {
    snprintf(name, sizeof name, "the sample cut at %zu", n);
    failed += (size_t)differential_exact(name, sample, n);
  }
  cr_expect_eq(failed, 0);
}

Test(json_parse, every_hostile_byte_everywhere) {
  static const unsigned char hostile[] = {
      0x00, 0x01, 0x1F, 0x7F, 0x80, 0xBF, 0xC0, 0xC2, 0xE0, 0xED, 0xF0, 0xF4,
      0xF5, 0xFF, '"',  '\\', ',',  '}',  ']',  'u',  '0',  '.',  'e',  '-'};
  size_t len = sizeof sample - 1, failed = 0;
  char *buf = malloc(len), name[64];
  cr_assert_not_null(buf);
  for (size_t at = 0; at < len; at++)
    for (size_t h = 0; h < sizeof hostile; h++) {
      memcpy(buf, sample, len);
      buf[at] = (char)hostile[h];
      snprintf(name, sizeof name, "0x%02X at %zu", hostile[h], at);
      failed += (size_t)differential(name, buf, len);
    }
  free(buf);
  cr_expect_eq(failed, 0);
}

/* Random numbers in every form the grammar has, against strtod through
 * cJSON: one array of many, so each is compared bit for bit. */
Test(json_parse, random_numbers) {
  uint64_t s = 0x9E3779B97F4A7C15u;
  size_t cap = 1u << 22, len = 0;
  char *buf = malloc(cap);
  cr_assert_not_null(buf);
  buf[len++] = '[';
  for (int k = 0; k < 60000; k++) {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    uint64_t r = s;
    if (k)
      buf[len++] = ',';
    if (r & 1)
      buf[len++] = '-';
    r >>= 1;
    int idigits = 1 + (int)(r % 20);
    r /= 20;
    for (int d = 0; d < idigits; d++) {
      int c = (int)(r % 10);
      r /= 10;
      if (!r)
        r = s >> 3;
      buf[len++] = (char)('0' + (d == 0 && idigits > 1 && c == 0 ? 1 : c));
    }
    if (idigits == 1 && (s & 64))
      buf[len - 1] = '0';
    if (s & 2) {
      int fdigits = 1 + (int)((s >> 8) % 20);
      buf[len++] = '.';
      for (int d = 0; d < fdigits; d++)
        buf[len++] = (char)('0' + (int)((s >> (d * 3 % 60)) % 10));
    }
    if (s & 4) {
      int ex = (int)((s >> 20) % 700) - 350;
      if (s & 8)
        ex = (int)((s >> 20) % 60) - 30;
      len += (size_t)snprintf(buf + len, cap - len, "%s%d",
                              (s & 16) ? "E" : "e", ex);
    }
  }
  buf[len++] = ']';
  differential("random numbers", buf, len);
  free(buf);
}

Test(json_parse, null_and_empty) {
  struct sc_json_error err;
  cr_expect_null(sc_json_parse(NULL, 5, &err));
  cr_expect_eq(err.code, SC_JSON_ERR_EMPTY);
  cr_expect_eq(err.offset, 0);
  cr_expect_null(sc_json_parse("  ", 2, NULL));
  cJSON *j = sc_json_parse("[1]garbage", 3, &err);
  cr_expect_not_null(j);
  cr_expect_eq(err.code, SC_JSON_ERR_OK);
  cJSON_Delete(j);
}
