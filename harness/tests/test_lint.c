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
  char path[1024];
  snprintf(path, sizeof(path), "%s/lint/%s", SC_TESTDATA_DIR, c->file);
  const char *extra[] = {path};
  struct sc_buf diag;
  enum sc_err e;
  sc_buf_init(&diag, 1u << 20);
  struct sc_spec *s = sc_spec_load(NULL, extra, 1, &diag, &e);
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
