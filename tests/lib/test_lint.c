/* test_lint.c — sc_lint.c: the shipped spec passes; each broken fixture in
 * data/lint/ fails with the file and the JSON path of its problem. */
#include "sc_buf.h"
#include "sc_spec.h"

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <string.h>

struct lint_case {
  const char *file;   /* under data/lint/ */
  enum sc_err err;    /* SC_ERR_OK: the fixture is valid */
  const char *expect; /* a substring of the diagnostics */
};

/* Fixtures loaded together with a second file (two profiles that extend
 * each other). */
static const struct {
  const char *file, *also;
} pairs[] = {
    {"fail_extends_cycle_a.json", "fail_extends_cycle_b.json"},
    {"fail_extends_cycle_b.json", "fail_extends_cycle_a.json"},
};

static const char *also_of(const char *file) {
  for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++)
    if (strcmp(pairs[i].file, file) == 0)
      return pairs[i].also;
  return NULL;
}

static const struct lint_case cases[] = {
    /* a user's own profile that is right loads next to the shipped ones */
    {"ok_user_profile.json", SC_ERR_OK, NULL},
    /* keys the format does not know are typos, not extensions */
    {"fail_unknown_key.json", SC_ERR_SPEC,
     "fail_unknown_key.json: $.colour: unknown key \"colour\""},
    /* every action cites a document */
    {"fail_missing_sources.json", SC_ERR_SPEC,
     "$.actions[0]: an action lacks the required key \"sources\""},
    /* a token used by an action must be defined */
    {"fail_undefined_token.json", SC_ERR_SPEC,
     "$.actions[0].errors[0]: token \"NO_SUCH_TOKEN\" is not defined"},
    /* a citation names a section that exists in that document */
    {"fail_unknown_section.json", SC_ERR_SPEC,
     "cites section \"A heading nobody wrote\", which "
     "001_ac8db1c65ff3c54b.txt does not have"},
    {"fail_unknown_document.json", SC_ERR_SPEC,
     "cites \"999_nothing.txt\", which is not a source document"},
    /* names are unique across files */
    {"fail_duplicate_action.json", SC_ERR_SPEC,
     "action \"getNumber\" is defined twice (also in actions/activation.json)"},
    {"fail_duplicate_token.json", SC_ERR_SPEC,
     "fail_duplicate_token.json: $: token \"BAD_KEY\" is defined twice"},
    /* schemas use the typed schema language */
    {"fail_bad_schema.json", SC_ERR_SPEC,
     "$.actions[0].success[0].json.object.price: unknown schema type"},
    {"fail_open_without_enum.json", SC_ERR_SPEC,
     "\"open\" is true or false, and only with \"enum\""},
    /* broken JSON gets line and column */
    {"fail_syntax.json", SC_ERR_SPEC, "fail_syntax.json:4:1: invalid JSON"},
    {"fail_profile_unknown_action.json", SC_ERR_SPEC,
     "$.actions[0]: action \"getFoo\" is not defined"},
    {"fail_bad_pattern.json", SC_ERR_SPEC,
     "$.tokens[0].pattern: unknown field type"},
    {"fail_second_reference.json", SC_ERR_SPEC,
     "fail_second_reference.json: $: a second profile claims to be the "
     "reference"},
    {"fail_override_not_listed.json", SC_ERR_SPEC,
     "$.overrides.getNumber: overrides \"getNumber\", which the profile does "
     "not list"},
    {"fail_wrong_type.json", SC_ERR_SPEC, "$.reference: must be true or false"},
    {"fail_not_an_object.json", SC_ERR_SPEC,
     "$: a spec file holds one JSON object"},
    /* a profile that says what a partial implementation must have, how it
     * answers an unknown action, where the error envelope is documented and
     * which rules it borrows */
    {"ok_profile_scope.json", SC_ERR_OK, NULL},
    {"fail_required_not_listed.json", SC_ERR_SPEC,
     "fail_required_not_listed.json: $.required_actions.actions[1]: action "
     "\"getPrices\" is not among the profile's actions"},
    {"fail_required_no_sources.json", SC_ERR_SPEC,
     "fail_required_no_sources.json: $.required_actions: "
     "\"required_actions\" lacks the required key \"sources\""},
    {"fail_unknown_action_token.json", SC_ERR_SPEC,
     "fail_unknown_action_token.json: $.unknown_action.tokens[0]: token "
     "\"NO_SUCH_ACTION\" is not defined in tokens.json"},
    {"fail_unknown_action_status.json", SC_ERR_SPEC,
     "fail_unknown_action_status.json: $.unknown_action.http_status[1]: must "
     "be an HTTP status (100 to 599)"},
    {"fail_unknown_action_empty.json", SC_ERR_SPEC,
     "fail_unknown_action_empty.json: $.unknown_action: \"unknown_action\" "
     "names at least one token or HTTP status"},
    {"fail_envelope_key.json", SC_ERR_SPEC,
     "fail_envelope_key.json: $.error_envelope.key: \"key\" is \"error\""},
    {"fail_envelope_action.json", SC_ERR_SPEC,
     "fail_envelope_action.json: $.error_envelope.actions[0]: action "
     "\"getOperators\" is not among the profile's actions"},
    {"fail_borrowed_timing.json", SC_ERR_SPEC,
     "fail_borrowed_timing.json: $.borrowed[0].timing: timing "
     "\"sms_wait_seconds\" is neither in the profile's timing nor a timing "
     "rule of lifecycle.json"},
    {"fail_borrowed_from.json", SC_ERR_SPEC,
     "fail_borrowed_from.json: $.borrowed[0].from: \"999_nothing.txt\" is not "
     "a source document"},
    {"fail_borrowed_uncited.json", SC_ERR_SPEC,
     "fail_borrowed_uncited.json: $.borrowed[0].from: the sources cite "
     "nothing of 000_7813cc59b783eb5c.txt, the document the rule is "
     "borrowed from"},
    {"fail_borrowed_twice.json", SC_ERR_SPEC,
     "fail_borrowed_twice.json: $.borrowed[1].timing: timing "
     "\"activation_lifetime_seconds\" is declared borrowed twice"},
    {"fail_borrowed_unknown_key.json", SC_ERR_SPEC,
     "fail_borrowed_unknown_key.json: $.borrowed[0].value: unknown key "
     "\"value\" in a borrowed rule"},
    /* the schema language's nullable takes "null": "pass" or "warn" */
    {"fail_nullable_modifier.json", SC_ERR_SPEC,
     "fail_nullable_modifier.json: $.actions[0].success[0].json.object.sms: "
     "\"null\" is \"pass\" or \"warn\", and only with \"nullable\""},
    /* a vendor's own dialect as data: a file that extends a built-in
     * profile with its own tokens, error envelope, statuses, paths,
     * parameter names, empty successes, timings and documents */
    {"ok_dialect.json", SC_ERR_OK, NULL},
    {"fail_extends_unknown.json", SC_ERR_SPEC,
     "fail_extends_unknown.json: $.extends: extends \"no-such-profile\", "
     "which names no profile (neither a built-in one nor a file given with "
     "it)"},
    {"fail_extends_self.json", SC_ERR_SPEC,
     "fail_extends_self.json: $.extends: profile \"acme-self\" extends "
     "itself (a cycle of extends)"},
    /* two files extending each other: each is told */
    {"fail_extends_cycle_a.json", SC_ERR_SPEC,
     "fail_extends_cycle_a.json: $.extends: a cycle of extends: acme-cycle-a "
     "-> acme-cycle-b -> acme-cycle-a"},
    {"fail_extends_cycle_b.json", SC_ERR_SPEC,
     "fail_extends_cycle_b.json: $.extends: a cycle of extends: acme-cycle-b "
     "-> acme-cycle-a -> acme-cycle-b"},
    {"fail_extends_reference.json", SC_ERR_SPEC,
     "fail_extends_reference.json: $.reference: a profile that extends "
     "another is never the reference"},
    /* the actions an override may name are the merged profile's: smsbulk
     * has no rent */
    {"fail_extends_override_not_listed.json", SC_ERR_SPEC,
     "fail_extends_override_not_listed.json: $.overrides.getRentNumber: "
     "overrides \"getRentNumber\", which the profile does not list"},
    {"fail_plays_undefined.json", SC_ERR_SPEC,
     "fail_plays_undefined.json: $.tokens[0].plays: token \"NO_SUCH_TOKEN\" "
     "is not defined (undefined alias target)"},
    {"fail_token_unknown_key.json", SC_ERR_SPEC,
     "fail_token_unknown_key.json: $.tokens[0].play: unknown key \"play\" in "
     "a token"},
    {"fail_token_part_without_plays.json", SC_ERR_SPEC,
     "fail_token_part_without_plays.json: $.tokens[0]: token \"BAD_KEY\" is "
     "defined in tokens.json: an entry naming it declares the part it plays "
     "(\"plays\")"},
    {"fail_errors_status.json", SC_ERR_SPEC,
     "fail_errors_status.json: $.errors.http_status.NO_BALANCE: must be an "
     "HTTP status (100 to 599)"},
    {"fail_errors_status_type.json", SC_ERR_SPEC,
     "fail_errors_status_type.json: $.errors.http_status.BAD_KEY: must be an "
     "HTTP status (100 to 599)"},
    {"fail_errors_status_token.json", SC_ERR_SPEC,
     "fail_errors_status_token.json: $.errors.http_status.NOT_FOUND: token "
     "\"NOT_FOUND\" is not defined"},
    {"fail_errors_form.json", SC_ERR_SPEC,
     "fail_errors_form.json: $.errors.form: \"form\" is text, status-error "
     "or problem-details"},
    {"fail_errors_key.json", SC_ERR_SPEC,
     "fail_errors_key.json: $.errors.key: \"key\" is \"error\" or "
     "\"message\""},
    {"fail_errors_key_form.json", SC_ERR_SPEC,
     "fail_errors_key_form.json: $.errors.key: \"key\" goes with the "
     "status-error form only"},
    {"fail_errors_unknown_key.json", SC_ERR_SPEC,
     "fail_errors_unknown_key.json: $.errors.status: unknown key \"status\" "
     "in \"errors\""},
    {"fail_override_path.json", SC_ERR_SPEC,
     "fail_override_path.json: $.overrides.getBalance.path: a path starts "
     "with \"/\""},
    {"fail_override_method.json", SC_ERR_SPEC,
     "fail_override_method.json: $.overrides.getBalance.method: \"method\" is "
     "GET or POST"},
    {"fail_override_rename.json", SC_ERR_SPEC,
     "fail_override_rename.json: $.overrides.getBalance.rename.apikey: "
     "renames \"apikey\", which is not a parameter of getBalance"},
    {"fail_rename_keys.json", SC_ERR_SPEC,
     "fail_rename_keys.json: $.overrides.getActiveActivations.rename_keys."
     "activations: renames \"activations\", which is not a key of "
     "getActiveActivations's success answer"},
    {"fail_override_no_body.json", SC_ERR_SPEC,
     "fail_override_no_body.json: $.overrides.setStatus.no_body: must be true "
     "or false"},
    /* a vendor's document is cited as its own sources list it */
    {"fail_own_source_unlisted.json", SC_ERR_SPEC,
     "fail_own_source_unlisted.json: $.overrides.setStatus.sources[0]: cites "
     "\"acme-api.md\", which is not a source document (nor, with that "
     "section, one of the file's own sources)"},
    /* a file that is not there is an I/O error, named */
    {"does_not_exist.json", SC_ERR_IO, "does_not_exist.json: cannot open"},
};

/* Criterion re-executes workers, so rows are passed by index. */
ParameterizedTestParameters(lint, fixtures) {
  static int idx[sizeof(cases) / sizeof(cases[0])];
  for (size_t i = 0; i < sizeof(idx) / sizeof(idx[0]); i++)
    idx[i] = (int)i;
  return cr_make_param_array(int, idx, sizeof(idx) / sizeof(idx[0]));
}

ParameterizedTest(int *i, lint, fixtures) {
  const struct lint_case *c = &cases[*i];
  char path[1024], also[1024];
  const char *second = also_of(c->file);
  snprintf(path, sizeof(path), "%s/lint/%s", SC_TESTDATA_DIR, c->file);
  snprintf(also, sizeof(also), "%s/lint/%s", SC_TESTDATA_DIR,
           second ? second : "");
  const char *extra[] = {path, also};
  struct sc_buf diag;
  enum sc_err e;
  sc_buf_init(&diag, 1u << 20);
  struct sc_spec *s = sc_spec_load(NULL, extra, second ? 2 : 1, &diag, &e);
  cr_expect_eq(e, c->err, "%s: %s, expected %s\n%s", c->file, sc_err_name(e),
               sc_err_name(c->err), diag.ptr ? diag.ptr : "");
  if (c->err == SC_ERR_OK) {
    cr_expect_not_null(s);
    cr_expect_eq(diag.len, 0, "%s", diag.ptr ? diag.ptr : "");
  } else {
    cr_expect_null(s);
    cr_assert_not_null(diag.ptr, "%s: no diagnostics", c->file);
    cr_expect(strstr(diag.ptr, c->expect) != NULL,
              "%s: expected \"%s\" in:\n%s", c->file, c->expect, diag.ptr);
  }
  sc_spec_destroy(s);
  sc_buf_free(&diag);
}

Test(lint, shipped_spec_is_clean_embedded_and_on_disk) {
  struct sc_buf diag;
  enum sc_err e;
  sc_buf_init(&diag, 1u << 20);
  struct sc_spec *s = sc_spec_load(NULL, NULL, 0, &diag, &e);
  cr_expect_not_null(s, "%s", diag.ptr ? diag.ptr : "");
  cr_expect_eq(sc_lint_spec(s, &diag), 0, "%s", diag.ptr ? diag.ptr : "");
  sc_spec_destroy(s);
  s = sc_spec_load(SC_SOURCE_DIR "/specs", NULL, 0, &diag, &e);
  cr_expect_not_null(s, "%s", diag.ptr ? diag.ptr : "");
  sc_spec_destroy(s);
  sc_buf_free(&diag);
}

/* ---- untrusted files: every shipped file, mutated ------------------------
 *
 * Each file of specs/, loaded as a user's own file (as `smsconform lint
 * FILE` and `run --profile FILE` read one, on top of the built-in spec),
 * after one mutation at a time: cut short at every 64th byte (a stride that
 * gives at most 200 cuts per file), each top-level value replaced by values
 * of other types, each key deleted (top level and one level down), strings
 * replaced by a 1 MB string, and 10 000 nested arrays (and objects) in
 * place of a value or as the whole file. Each must be accepted (and then
 * parse an answer) or refused with SC_ERR_SPEC and a diagnostic, never a
 * crash, within a time bound. */

#include "sc_alloc.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <time.h>

static const char *const spec_files[] = {
    "sources.json",          "tokens.json",           "lifecycle.json",
    "actions/activation.json", "actions/email.json",  "actions/partner.json",
    "actions/rent.json",     "actions/rest.json",     "profiles/koalasms.json",
    "profiles/rest-v1.json", "profiles/securesms.json",
    "profiles/sms-activate.json", "profiles/smsbulk.json",
    /* a vendor's own dialect: extends, tokens, errors, wire overrides */
    "../tests/data/lint/ok_dialect.json"};
#define NSPEC_FILES (sizeof spec_files / sizeof *spec_files)

#define MUT_SECONDS 20.0 /* one load, even under ASan */
#define NEST 10000
#define BIG_STRING ((size_t)1 << 20)

struct mut_stats {
  unsigned long tried, accepted, refused;
  double slowest;
};

static double mono_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Loads |len| bytes at |data| as a user's file; asserts the outcome. */
static void load_mutant(const char *file, const char *what, size_t at,
                        const char *data, size_t len, struct mut_stats *st) {
  char name[128];
  snprintf(name, sizeof name, "user-%s", strchr(file, '/') ? strchr(file, '/') + 1
                                                         : file);
  struct sc_spec_file f = {name, data, len};
  struct sc_buf diag;
  enum sc_err e = SC_ERR_OK;
  sc_buf_init(&diag, 1u << 20);
  double t0 = mono_s();
  struct sc_spec *s = sc_spec_load_mem(&f, 1, &diag, &e);
  double dt = mono_s() - t0;
  st->tried++;
  if (dt > st->slowest)
    st->slowest = dt;
  cr_assert_lt(dt, MUT_SECONDS, "%s, %s at %zu: %.1f s", file, what, at, dt);
  if (s) {
    st->accepted++;
    cr_assert_eq(e, SC_ERR_OK, "%s, %s at %zu", file, what, at);
    static const char body[] = "ACCESS_BALANCE:1.00";
    struct sc_input in = {"getBalance", NULL, 200, "text/plain", body,
                          sizeof body - 1};
    struct sc_result r;
    if (sc_spec_action(s, "getBalance")) {
      cr_assert_eq(sc_parse(s, &in, &r), SC_ERR_OK, "%s, %s at %zu", file,
                   what, at);
      sc_result_free(&r);
    }
    sc_spec_destroy(s);
  } else {
    st->refused++;
    cr_assert_eq(e, SC_ERR_SPEC, "%s, %s at %zu: %s", file, what, at,
                 sc_err_name(e));
    cr_assert(diag.len > 0, "%s, %s at %zu: refused without a word", file,
              what, at);
  }
  sc_buf_free(&diag);
}

static void load_tree(const char *file, const char *what, size_t at,
                      const cJSON *root, struct mut_stats *st) {
  char *txt = cJSON_PrintUnformatted(root);
  cr_assert_not_null(txt);
  load_mutant(file, what, at, txt, strlen(txt), st);
  cJSON_free(txt);
}

/* |n| nested arrays (or objects) around 1, as text (malloc'd). */
static char *nested(size_t n, int objects) {
  size_t unit = objects ? 5 : 1; /* {"a": */
  char *p = malloc(n * (unit + 1) + 2);
  cr_assert_not_null(p);
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    memcpy(p + k, objects ? "{\"a\":" : "[", unit);
    k += unit;
  }
  p[k++] = '1';
  for (size_t i = 0; i < n; i++)
    p[k++] = objects ? '}' : ']';
  p[k] = '\0';
  return p;
}

/* The values a value of |v|'s type is replaced by. */
static cJSON *other_type(const cJSON *v, int which) {
  if (cJSON_IsObject(v) || cJSON_IsArray(v))
    return which ? cJSON_CreateNumber(1) : cJSON_CreateString("x");
  if (cJSON_IsString(v))
    return which ? cJSON_CreateObject() : cJSON_CreateNumber(-1e308);
  if (cJSON_IsNumber(v))
    return which ? cJSON_CreateArray() : cJSON_CreateString("1");
  return which ? cJSON_CreateNull() : cJSON_CreateString("true");
}

/* Every string node of |v| (depth first) into |out| (up to |cap|). */
static size_t strings_of(cJSON *v, cJSON **out, size_t n, size_t cap) {
  for (cJSON *c = v ? v->child : NULL; c; c = c->next) {
    if (cJSON_IsString(c) && n < cap)
      out[n++] = c;
    n = strings_of(c, out, n, cap);
  }
  return n;
}

ParameterizedTestParameters(lint, mutated_spec_files) {
  static int idx[NSPEC_FILES];
  for (size_t i = 0; i < NSPEC_FILES; i++)
    idx[i] = (int)i;
  return cr_make_param_array(int, idx, NSPEC_FILES);
}

ParameterizedTest(int *fi, lint, mutated_spec_files, .timeout = 900) {
  const char *file = spec_files[*fi];
  char path[1024];
  struct mut_stats st = {0};
  snprintf(path, sizeof path, "%s/specs/%s", SC_SOURCE_DIR, file);
  FILE *f = fopen(path, "rb");
  cr_assert_not_null(f, "%s", path);
  static char text[1 << 20];
  size_t len = fread(text, 1, sizeof text - 1, f);
  fclose(f);
  text[len] = '\0';
  sc_alloc_init();

  /* the file as it is */
  load_mutant(file, "unchanged", 0, text, len, &st);
  /* cut short */
  size_t stride = len / 200 > 64 ? len / 200 : 64;
  for (size_t at = 0; at < len; at += stride)
    load_mutant(file, "cut", at, text, at, &st);

  cJSON *root = cJSON_ParseWithLength(text, len);
  cr_assert_not_null(root, "%s is not JSON", file);
  char *deep = nested(NEST, 0), *deep_obj = nested(NEST, 1);
  size_t k = 0;
  for (cJSON *top = root->child; top; top = top->next, k++) {
    /* another type in place of a top-level value */
    for (int which = 0; which < 2; which++) {
      cJSON *copy = cJSON_Duplicate(root, 1);
      cr_assert_not_null(copy);
      cJSON *v = cJSON_GetObjectItemCaseSensitive(copy, top->string);
      cr_assert(cJSON_ReplaceItemInObjectCaseSensitive(
          copy, top->string, other_type(v, which)));
      load_tree(file, "type flipped", k, copy, &st);
      cJSON_Delete(copy);
    }
    /* the key deleted; and each key of its first elements */
    cJSON *copy = cJSON_Duplicate(root, 1);
    cJSON_DeleteItemFromObjectCaseSensitive(copy, top->string);
    load_tree(file, "key deleted", k, copy, &st);
    cJSON_Delete(copy);
    size_t nkeys = 0;
    const cJSON *first = cJSON_IsArray(top) ? top->child : top;
    for (size_t e = 0; e < 2 && first; e++, first = first->next) {
      if (!cJSON_IsObject(first))
        break;
      for (const cJSON *in = first->child; in && nkeys < 12;
           in = in->next, nkeys++) {
        copy = cJSON_Duplicate(root, 1);
        cJSON *t = cJSON_GetObjectItemCaseSensitive(copy, top->string);
        cJSON *el = cJSON_IsArray(t) ? cJSON_GetArrayItem(t, (int)e) : t;
        cJSON_DeleteItemFromObjectCaseSensitive(el, in->string);
        load_tree(file, "inner key deleted", k, copy, &st);
        cJSON_Delete(copy);
      }
    }
    /* 10 000 nested arrays, and objects, in place of the value */
    for (int obj = 0; obj < 2; obj++) {
      copy = cJSON_Duplicate(root, 1);
      char *txt = cJSON_PrintUnformatted(copy);
      cr_assert_not_null(txt);
      /* spliced in as text: cJSON itself cannot hold that depth */
      char key[256];
      snprintf(key, sizeof key, "{\"%s\":", top->string);
      cr_assert(strncmp(txt, "{", 1) == 0);
      size_t bl = strlen(txt) + strlen(deep_obj) + strlen(key) + 8;
      char *b = malloc(bl);
      cr_assert_not_null(b);
      snprintf(b, bl, "%s%s,%s", key, obj ? deep_obj : deep, txt + 1);
      load_mutant(file, obj ? "deep objects" : "deep arrays", k, b,
                  strlen(b), &st);
      free(b);
      cJSON_free(txt);
      cJSON_Delete(copy);
    }
  }
  /* strings replaced by 1 MB, one at a time (at most 40 of them, spread
   * over the file) */
  static cJSON *strs[100000];
  size_t ns = strings_of(root, strs, 0, sizeof strs / sizeof *strs);
  char *big = malloc(BIG_STRING + 1);
  cr_assert_not_null(big);
  for (size_t i = 0; i < BIG_STRING; i++)
    big[i] = "ab%{}:[]\\u00e9"[i % 14];
  big[BIG_STRING] = '\0';
  size_t step = ns > 40 ? ns / 40 : 1;
  for (size_t i = 0; i < ns; i += step) {
    char *old = strs[i]->valuestring;
    strs[i]->valuestring = big;
    load_tree(file, "1 MB string", i, root, &st);
    strs[i]->valuestring = old;
  }
  free(big);
  /* the whole file nothing but depth */
  load_mutant(file, "only nesting", 0, deep, strlen(deep), &st);
  load_mutant(file, "only nesting", 1, deep_obj, strlen(deep_obj), &st);
  free(deep);
  free(deep_obj);
  cJSON_Delete(root);
  fprintf(stderr,
          "mutated %s: %lu loads, %lu accepted, %lu refused, slowest %.3f s\n",
          file, st.tried, st.accepted, st.refused, st.slowest);
  cr_expect_gt(st.refused, 0u);
}
