/* test_spec.c — sc_spec.c: the embedded spec loads, and it covers the five
 * source documents. The coverage checks read the documents themselves
 * (SC_SEEDS_DIR), so the lists they compare against are independent of
 * specs/: every token-like word, every `action=` name, every method of the
 * PHP and Python samples, and the action table of the seeds README. */
#include "sc_alloc.h"
#include "sc_buf.h"
#include "sc_spec.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const docs[] = {
    "000_7813cc59b783eb5c.txt", "001_ac8db1c65ff3c54b.txt",
    "002_0dec256545badc39.txt", "003_5a5597502c76a51c.txt",
    "004_67353fd389171043.txt"};

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  cr_assert_not_null(f, "cannot open %s (set SC_SEEDS_DIR)", path);
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *b = malloc((size_t)n + 1);
  cr_assert_eq(fread(b, 1, (size_t)n, f), (size_t)n);
  b[n] = '\0';
  fclose(f);
  if (len)
    *len = (size_t)n;
  return b;
}

static char *seed(const char *name) {
  char path[1024];
  snprintf(path, sizeof(path), "%s/%s", SC_SEEDS_DIR, name);
  return slurp(path, NULL);
}

static struct sc_spec *load(void) {
  enum sc_err e;
  char *diag = NULL;
  struct sc_spec *s = sc_spec_new(NULL, &e, &diag);
  cr_assert_not_null(s, "embedded spec does not load: %s\n%s", sc_strerror(e),
                     diag ? diag : "");
  sc_spec_free_diag(diag);
  return s;
}

Test(spec, embedded_spec_loads_and_indexes) {
  struct sc_spec *s = load();
  cr_expect_geq(s->ntokens, 60);
  cr_expect_geq(s->nactions, 45);
  cr_expect_eq(s->nprofiles, 5);
  cr_assert_not_null(s->reference);
  cr_expect_str_eq(s->reference->name, "sms-activate");
  cr_expect_not_null(sc_spec_token(s, "NO_ACTIVATION", 13));
  cr_expect_not_null(sc_spec_token(s, "NO_ACTIVATIONS", 14));
  cr_expect_null(sc_spec_token(s, "NO_ACTIVATIO", 12));
  cr_expect_not_null(sc_spec_action(s, "getNumber"));
  cr_expect_null(sc_spec_action(s, "getnumber"));
  sc_spec_destroy(s);
}

Test(spec, loads_from_directory_like_embedded) {
  enum sc_err e;
  char *diag = NULL;
  struct sc_spec *a = load();
  struct sc_spec *b = sc_spec_new(SC_SOURCE_DIR "/specs", &e, &diag);
  cr_assert_not_null(b, "%s", diag ? diag : sc_strerror(e));
  cr_expect_eq(a->ntokens, b->ntokens);
  cr_expect_eq(a->nactions, b->nactions);
  cr_expect_eq(a->nprofiles, b->nprofiles);
  sc_spec_free_diag(diag);
  sc_spec_destroy(a);
  sc_spec_destroy(b);
}

Test(spec, missing_directory_is_a_clear_error) {
  enum sc_err e;
  char *diag = NULL;
  struct sc_spec *s = sc_spec_new("/nonexistent/specs", &e, &diag);
  cr_expect_null(s);
  cr_expect_eq(e, SC_ERR_IO);
  cr_assert_not_null(diag);
  cr_expect(strstr(diag, "/nonexistent/specs/tokens.json: cannot open") != NULL,
            "%s", diag);
  sc_spec_free_diag(diag);
}

/* Every section that sources.json lists occurs verbatim in its document. */
Test(spec, every_listed_section_is_in_its_document) {
  struct sc_spec *s = load();
  const cJSON *d, *sec;
  int n = 0;
  cJSON_ArrayForEach(d, cJSON_GetObjectItem(s->sources, "documents")) {
    char *text = seed(cJSON_GetObjectItem(d, "file")->valuestring);
    cJSON_ArrayForEach(sec, cJSON_GetObjectItem(d, "sections")) {
      cr_expect(strstr(text, sec->valuestring) != NULL,
                "section \"%s\" is not in %s", sec->valuestring,
                cJSON_GetObjectItem(d, "file")->valuestring);
      n++;
    }
    free(text);
  }
  cr_expect_gt(n, 80);
  sc_spec_destroy(s);
}

static bool upper_word(const char *p, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!((p[i] >= 'A' && p[i] <= 'Z') || (p[i] >= '0' && p[i] <= '9') ||
          p[i] == '_'))
      return false;
  return p[0] >= 'A' && p[0] <= 'Z';
}

/* Words of the documents that are placeholders, not tokens. */
static const char *const not_tokens[] = {"API_KEY", "YOUR_API_KEY",
                                         "YOUR_KEY", NULL};

static bool listed(const char *const *list, const char *p, size_t n) {
  for (; *list; list++)
    if (strlen(*list) == n && memcmp(*list, p, n) == 0)
      return true;
  return false;
}

/* Length of the word at |p|: letters and digits, and '_' when |underscore|. */
static size_t word_len(const char *p, bool underscore) {
  size_t n = 0;
  while ((p[n] >= 'A' && p[n] <= 'Z') || (p[n] >= 'a' && p[n] <= 'z') ||
         (p[n] >= '0' && p[n] <= '9') || (underscore && p[n] == '_'))
    n++;
  return n;
}

/* A token of a document: an upper-case word with an underscore, or one
 * directly followed by ':' (BANNED:'…', ADDITIONAL:$id). */
Test(spec, every_token_of_every_document_is_defined) {
  struct sc_spec *s = load();
  size_t found = 0;
  for (size_t k = 0; k < 5; k++) {
    char *text = seed(docs[k]);
    for (char *p = text; *p;) {
      size_t n = word_len(p, true);
      char *q = p + n;
      if (n >= 4 && upper_word(p, n) &&
          (memchr(p, '_', n) || *q == ':') && !listed(not_tokens, p, n)) {
        found++;
        cr_expect_not_null(sc_spec_token(s, p, n),
                           "%s: token %.*s is not in specs/tokens.json",
                           docs[k], (int)n, p);
      }
      p = n ? q : p + 1;
    }
    free(text);
  }
  /* the scan itself works: the documents hold well over 200 token uses */
  cr_expect_gt(found, 200, "only %zu token uses found", found);
  sc_spec_destroy(s);
}

/* Library helpers of the samples that are not protocol actions. */
static const char *const not_actions[] = {"version", "activationStatus", NULL};

static void expect_action(const struct sc_spec *s, const char *doc,
                          const char *p, size_t n) {
  char name[64];
  if (n == 0 || n >= sizeof(name) || listed(not_actions, p, n))
    return;
  memcpy(name, p, n);
  name[n] = '\0';
  cr_expect_not_null(sc_spec_action(s, name),
                     "%s names action %s; specs/actions/ lacks it", doc, name);
}

Test(spec, every_action_named_in_a_document_is_defined) {
  struct sc_spec *s = load();
  size_t found = 0;
  for (size_t k = 0; k < 5; k++) {
    char *text = seed(docs[k]);
    static const char *const marks[] = {"action=", "$sms->", "$activate->",
                                        "sa."};
    for (size_t m = 0; m < 4; m++) {
      for (char *p = strstr(text, marks[m]); p;
           p = strstr(p + 1, marks[m])) {
        const char *w = p + strlen(marks[m]);
        size_t n = word_len(w, false);
        /* 003 glues the answer to the URL: "action=getBalanceACCESS_…" */
        for (size_t i = 1; i + 1 < n; i++)
          if (w[i] >= 'A' && w[i] <= 'Z' && w[i + 1] >= 'A' && w[i + 1] <= 'Z') {
            n = i;
            break;
          }
        if (m > 0 && w[n] != '(')
          continue; /* sa.debug_mode = True */
        if (n && w[0] >= 'a' && w[0] <= 'z') {
          found++;
          expect_action(s, docs[k], w, n);
        }
      }
    }
    free(text);
  }
  cr_expect_gt(found, 40);
  sc_spec_destroy(s);
}

/* The seeds README maps 001's headings to action names and says which are
 * inferred: each must exist, and "inferred" ones must be marked so. */
Test(spec, seeds_readme_action_table_is_covered) {
  struct sc_spec *s = load();
  char *text = seed("README.md");
  size_t rows = 0;
  for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
    if (line[0] != '|')
      continue;
    char *c1 = strchr(line + 1, '|');
    char *c2 = c1 ? strchr(c1 + 1, '|') : NULL;
    char *c3 = c2 ? strchr(c2 + 1, '|') : NULL;
    if (!c3)
      continue;
    *c2 = '\0';
    *c3 = '\0';
    bool inferred = strncmp(c2 + 1, " inferred ", 10) == 0 &&
                    strstr(c2 + 1, "named in") == NULL;
    for (char *p = c1 + 1; *p;) {
      size_t n = word_len(p, false);
      bool camel = false;
      for (size_t i = 0; i < n; i++)
        camel |= p[i] >= 'A' && p[i] <= 'Z';
      if (n && camel && p[0] >= 'a' && p[0] <= 'z') {
        char name[64];
        snprintf(name, sizeof(name), "%.*s", (int)n, p);
        const struct sc_action *a = sc_spec_action(s, name);
        cr_expect_not_null(a, "seeds README names %s", name);
        if (a && inferred)
          cr_expect(cJSON_IsTrue(cJSON_GetObjectItem(a->json, "inferred")),
                    "%s is inferred per the seeds README", name);
        rows++;
      }
      p += n ? n : 1;
    }
  }
  cr_expect_gt(rows, 30);
  free(text);
  sc_spec_destroy(s);
}

/* Every action of the reference profile cites 001, every profile's action
 * exists, and a spending action never lacks the flag's opposite check:
 * getNumber spends, getBalance does not. */
Test(spec, money_flags_and_views) {
  struct sc_spec *s = load();
  struct sc_view v;
  cr_assert_eq(sc_spec_view(s, "getNumber", NULL, &v), SC_ERR_OK);
  cr_expect(cJSON_IsTrue(cJSON_GetObjectItem(v.action->json, "spends")));
  cr_assert_eq(sc_spec_view(s, "getBalance", "smsbulk", &v), SC_ERR_OK);
  cr_expect(!cJSON_IsTrue(cJSON_GetObjectItem(v.action->json, "spends")));
  cr_expect_eq(sc_spec_view(s, "getRentNumber", "smsbulk", &v),
               SC_ERR_NOT_IN_PROFILE);
  cr_expect_eq(sc_spec_view(s, "nope", NULL, &v), SC_ERR_NO_ACTION);
  cr_expect_eq(sc_spec_view(s, "getBalance", "nope", &v), SC_ERR_NO_PROFILE);
  /* securesms answers WRONG_SERVICE where 001 says BAD_SERVICE (004) */
  cr_assert_eq(sc_spec_view(s, "getNumber", "securesms", &v), SC_ERR_OK);
  cr_expect(sc_view_allows_error(&v, "WRONG_SERVICE"));
  cr_expect(sc_view_allows_error(&v, "EARLY_CANCEL_DENIED") == false);
  sc_spec_destroy(s);
}

/* What each shipped profile says about a partial implementation
 * (required_actions, unknown_action), where it documents the error
 * envelope, and which timing rules it borrows; and the answers for a
 * profile without those keys and for NULL. */
Test(spec, profile_scope_accessors) {
  struct sc_spec *s = load();
  const struct sc_profile *ref = sc_spec_profile(s, "sms-activate"),
                          *koala = sc_spec_profile(s, "koalasms"),
                          *bulk = sc_spec_profile(s, "smsbulk"),
                          *secure = sc_spec_profile(s, "securesms"),
                          *rest = sc_spec_profile(s, "rest-v1");
  cr_assert(ref && koala && bulk && secure && rest);

  /* 001: the core activation API is required, the rest optional */
  static const char *const core[] = {"getBalance", "getNumber", "getStatus",
                                     "setStatus"};
  for (size_t i = 0; i < 4; i++) {
    cr_expect(sc_profile_action_required(ref, core[i]), "%s", core[i]);
    cr_expect(sc_profile_action_required(koala, core[i]), "%s", core[i]);
    cr_expect(sc_profile_action_required(bulk, core[i]), "%s", core[i]);
    cr_expect(sc_profile_action_required(secure, core[i]), "%s", core[i]);
  }
  cr_expect_not(sc_profile_action_required(ref, "getRentNumber"));
  cr_expect_not(sc_profile_action_required(ref, "getNumberV2"));
  cr_expect_not(sc_profile_action_required(koala, "getPricesV3"));
  /* 003: all seven */
  cr_expect(sc_profile_action_required(bulk, "getCountries"));
  cr_expect(sc_profile_action_required(bulk, "getNumbersStatus"));
  /* 004: not the wallet, not the webhook */
  cr_expect(sc_profile_action_required(secure, "getTopCountriesByService"));
  cr_expect_not(sc_profile_action_required(secure, "getActualWalletAddress"));
  cr_expect_not(sc_profile_action_required(secure, "webhook"));
  cr_expect(sc_profile_action_required(rest, "v1.activations.delete"));
  /* every required action is one of the profile's (lint says so too) */
  for (size_t p = 0; p < s->nprofiles; p++)
    for (size_t a = 0; a < s->nactions; a++)
      if (sc_profile_action_required(&s->profiles[p], s->actions[a].name))
        cr_expect(sc_profile_has_action(&s->profiles[p], s->actions[a].name));

  /* the unknown-action signal */
  cr_expect(sc_profile_is_unknown_action(ref, "BAD_ACTION", 200));
  cr_expect_not(sc_profile_is_unknown_action(ref, "WRONG_ACTION", 200));
  cr_expect(sc_profile_is_unknown_action(koala, "BAD_ACTION", 0));
  cr_expect(sc_profile_is_unknown_action(secure, "BAD_ACTION", 0));
  cr_expect(sc_profile_is_unknown_action(bulk, "WRONG_ACTION", 200));
  cr_expect_not(sc_profile_is_unknown_action(bulk, "BAD_ACTION", 200));
  cr_expect(sc_profile_is_unknown_action(rest, NULL, 404));
  cr_expect(sc_profile_is_unknown_action(rest, NULL, 405));
  cr_expect_not(sc_profile_is_unknown_action(rest, NULL, 401));
  cr_expect_not(sc_profile_is_unknown_action(rest, "BAD_ACTION", 200));
  const cJSON *u = sc_profile_unknown_action(bulk);
  cr_assert_not_null(u);
  cr_expect_not_null(cJSON_GetObjectItemCaseSensitive(u, "sources"));

  /* the error envelope: 001's Python sample, two calls */
  cr_expect(sc_profile_error_envelope(ref, "getActiveActivations"));
  cr_expect(sc_profile_error_envelope(ref, "getOperators"));
  cr_expect_not(sc_profile_error_envelope(ref, "getStatus"));
  cr_expect_not(sc_profile_error_envelope(koala, "getActiveActivations"));
  struct sc_view v;
  cr_assert_eq(sc_spec_view(s, "getActiveActivations", NULL, &v), SC_ERR_OK);
  cr_expect(v.ix && v.ix->error_envelope);
  cr_assert_eq(sc_spec_view(s, "getActiveActivations", "koalasms", &v),
               SC_ERR_OK);
  cr_expect(v.ix && !v.ix->error_envelope);

  /* borrowed timing: sms-activate's lifetime is KoalaSMS's figure */
  const cJSON *b = sc_profile_borrowed(ref, "activation_lifetime_seconds");
  cr_assert_not_null(b);
  cr_expect_str_eq(cJSON_GetObjectItemCaseSensitive(b, "from")->valuestring,
                   "000_7813cc59b783eb5c.txt");
  cr_expect_null(sc_profile_borrowed(ref, "early_cancel_seconds"));
  cr_expect_null(sc_profile_borrowed(koala, "activation_lifetime_seconds"));
  cr_expect_not_null(sc_profile_borrowed(bulk, "activation_lifetime_seconds"));
  cr_expect_not_null(sc_profile_borrowed(secure, "webhook_retry_max"));
  cr_expect_not_null(
      sc_profile_borrowed(secure, "webhook_retry_window_seconds"));
  cr_expect_null(sc_profile_borrowed(rest, "activation_lifetime_seconds"));

  /* NULL everywhere */
  cr_expect_not(sc_profile_action_required(NULL, "getNumber"));
  cr_expect_not(sc_profile_action_required(ref, NULL));
  cr_expect_null(sc_profile_unknown_action(NULL));
  cr_expect_not(sc_profile_is_unknown_action(NULL, "BAD_ACTION", 404));
  cr_expect_null(sc_profile_borrowed(NULL, "activation_lifetime_seconds"));
  cr_expect_null(sc_profile_borrowed(ref, NULL));
  cr_expect_not(sc_profile_error_envelope(NULL, "getOperators"));
  cr_expect_not(sc_profile_error_envelope(ref, NULL));
  sc_spec_destroy(s);
}

/* A profile without the keys: every action optional, BAD_ACTION, nothing
 * borrowed, no envelope. */
Test(spec, profile_scope_defaults) {
  static const char user[] =
      "{\"version\": 1, \"name\": \"bare\", \"title\": \"Bare\", "
      "\"reference\": false, \"dialect\": \"handler\", \"sources\": "
      "[{\"doc\": \"001_ac8db1c65ff3c54b.txt\", \"section\": \"Activation "
      "API\"}], \"actions\": [\"getBalance\", \"getNumber\"]}";
  struct sc_spec_file f = {"bare.json", user, sizeof user - 1};
  struct sc_buf diag;
  enum sc_err e;
  sc_buf_init(&diag, 1u << 16);
  struct sc_spec *s = sc_spec_load_mem(&f, 1, &diag, &e);
  cr_assert_not_null(s, "%s", diag.ptr ? diag.ptr : "");
  const struct sc_profile *p = sc_spec_profile(s, "bare");
  cr_assert_not_null(p);
  cr_expect_not(sc_profile_action_required(p, "getNumber"));
  const cJSON *u = sc_profile_unknown_action(p);
  cr_assert_not_null(u);
  const cJSON *toks = cJSON_GetObjectItemCaseSensitive(u, "tokens");
  cr_expect_eq(cJSON_GetArraySize(toks), 1);
  cr_expect(sc_json_array_has_string(toks, "BAD_ACTION"));
  cr_expect_eq(cJSON_GetArraySize(
                   cJSON_GetObjectItemCaseSensitive(u, "http_status")),
               0);
  cr_expect(sc_profile_is_unknown_action(p, "BAD_ACTION", 200));
  cr_expect_not(sc_profile_is_unknown_action(p, NULL, 404));
  cr_expect_null(sc_profile_borrowed(p, "activation_lifetime_seconds"));
  cr_expect_not(sc_profile_error_envelope(p, "getBalance"));
  sc_spec_destroy(s);
  sc_buf_free(&diag);
}

/* ---- a dialect as data: a profile file that extends another ------------ */

/* ACME extends sms-activate; ACME2 extends ACME (the order of the files
 * does not matter). */
static const char acme[] =
    "{\"version\": 1, \"name\": \"acme\", \"title\": \"ACME SMS\", "
    "\"extends\": \"sms-activate\", "
    "\"sources\": [{\"doc\": \"acme-api.md\", \"section\": \"Errors\"}], "
    "\"tokens\": [{\"name\": \"NOT_FOUND\", \"kind\": \"error\", "
    "\"plays\": \"NO_ACTIVATION\", \"meaning\": \"No activation has this "
    "id.\", \"sources\": [{\"doc\": \"acme-api.md\", \"section\": "
    "\"Errors\"}]}, {\"name\": \"WRONG_ACTION\", \"plays\": "
    "\"BAD_ACTION\"}], "
    "\"errors\": {\"form\": \"problem-details\", \"http_status\": "
    "{\"BAD_KEY\": 401, \"NO_BALANCE\": 402, \"NOT_FOUND\": 404, \"*\": "
    "400}, \"sources\": [{\"doc\": \"acme-api.md\", \"section\": "
    "\"Errors\"}]}, "
    "\"overrides\": {\"getBalance\": {\"path\": \"/wallet\", \"rename\": "
    "{\"api_key\": \"key\"}, \"sources\": [{\"doc\": \"acme-api.md\", "
    "\"section\": \"Errors\"}]}}, "
    "\"timing\": {\"early_cancel_seconds\": 60}}";
static const char acme2[] =
    "{\"version\": 1, \"name\": \"acme2\", \"extends\": \"acme\", "
    "\"sources\": [{\"doc\": \"acme-api.md\", \"section\": \"Errors\"}], "
    "\"errors\": {\"form\": \"status-error\", \"key\": \"message\", "
    "\"sources\": [{\"doc\": \"acme-api.md\", \"section\": \"Errors\"}]}, "
    "\"overrides\": {\"getBalance\": {\"method\": \"POST\", \"sources\": "
    "[{\"doc\": \"acme-api.md\", \"section\": \"Errors\"}]}, "
    "\"setStatus\": {\"no_body\": true, \"sources\": [{\"doc\": "
    "\"acme-api.md\", \"section\": \"Errors\"}]}}, "
    "\"timing\": {\"activation_lifetime_seconds\": 900}}";

static struct sc_spec *load_acme(struct sc_buf *diag) {
  struct sc_spec_file f[] = {{"acme2.json", acme2, sizeof acme2 - 1},
                             {"acme.json", acme, sizeof acme - 1}};
  enum sc_err e;
  sc_buf_init(diag, 1u << 16);
  struct sc_spec *s = sc_spec_load_mem(f, 2, diag, &e);
  cr_assert_not_null(s, "%s: %s", sc_err_name(e), diag->ptr ? diag->ptr : "");
  return s;
}

/* The merged profile: the parent's keys, the file's on top of them (per
 * action and per key in "overrides", per rule in "timing", added in
 * "tokens"), never the reference; its tokens join the index. */
Test(spec, extends_merges_the_parent) {
  struct sc_buf diag;
  struct sc_spec *s = load_acme(&diag);
  const struct sc_profile *ref = sc_spec_profile(s, "sms-activate"),
                          *a = sc_spec_profile(s, "acme"),
                          *b = sc_spec_profile(s, "acme2");
  cr_assert(ref && a && b);
  cr_expect_eq(s->reference, ref);
  cr_expect(ref->builtin && !a->builtin && !b->builtin);
  cr_expect_null(ref->extends);
  cr_expect_str_eq(a->extends, "sms-activate");
  cr_expect_str_eq(b->extends, "acme");
  cr_expect(!a->reference && !b->reference && !a->rest);
  cr_expect_str_eq(a->file, "acme.json");
  /* the parent's actions and keys */
  cr_expect(sc_profile_has_action(b, "getRentNumber"));
  cr_expect_str_eq(cJSON_GetObjectItem(b->json, "title")->valuestring,
                   "ACME SMS");
  cr_expect_str_eq(cJSON_GetObjectItem(b->json, "name")->valuestring,
                   "acme2");
  cr_expect(cJSON_IsFalse(cJSON_GetObjectItem(b->json, "reference")));
  cr_expect(sc_profile_action_required(b, "getNumber"));
  /* "overrides" per action and per key: acme's path, acme2's method */
  cr_expect_str_eq(sc_profile_action_path(b, "getBalance"), "/wallet");
  cr_expect_str_eq(sc_profile_action_method(b, "getBalance"), "POST");
  cr_expect_str_eq(sc_profile_action_method(a, "getBalance"), "GET");
  cr_expect_str_eq(sc_profile_param_name(b, "getBalance", "api_key"), "key");
  cr_expect_str_eq(sc_profile_param_name(b, "getNumber", "api_key"),
                   "api_key");
  cr_expect(sc_profile_no_body(b, "setStatus"));
  cr_expect_not(sc_profile_no_body(a, "setStatus"));
  /* "timing" per rule, then lifecycle.json's */
  double t = 0;
  cr_expect(sc_profile_timing(s, b, "early_cancel_seconds", &t));
  cr_expect_eq(t, 60);
  cr_expect(sc_profile_timing(s, b, "activation_lifetime_seconds", &t));
  cr_expect_eq(t, 900);
  cr_expect(sc_profile_timing(s, a, "activation_lifetime_seconds", &t));
  cr_expect_eq(t, 1200);
  cr_expect(sc_profile_timing(s, ref, "early_cancel_seconds", &t));
  cr_expect_eq(t, 120);
  cr_expect_not(sc_profile_timing(s, b, "no_such_rule", &t));
  /* "tokens": the file's token is defined, in the file; the part a
   * defined token plays is declared, not defined twice */
  const struct sc_token *nf = sc_spec_token(s, "NOT_FOUND", 9);
  cr_assert_not_null(nf);
  cr_expect_str_eq(nf->file, "acme.json");
  cr_expect_eq(nf->kind, SC_TOKKIND_ERROR);
  cr_expect_str_eq(sc_spec_token(s, "WRONG_ACTION", 12)->file, "tokens.json");
  cr_expect_str_eq(sc_profile_token_for(b, "NO_ACTIVATION"), "NOT_FOUND");
  cr_expect_str_eq(sc_profile_token_for(b, "BAD_ACTION"), "WRONG_ACTION");
  cr_expect_str_eq(sc_profile_token_for(ref, "NO_ACTIVATION"),
                   "NO_ACTIVATION");
  cr_expect_str_eq(sc_profile_token_plays(a, "NOT_FOUND"), "NO_ACTIVATION");
  cr_expect_str_eq(sc_profile_token_plays(a, "BAD_KEY"), "BAD_KEY");
  /* "errors": acme2 replaces acme's envelope as a whole */
  const char *key = "x";
  cr_expect_eq(sc_profile_error_form(a, &key), SC_ERROR_FORM_PROBLEM);
  cr_expect_null(key);
  cr_expect_eq(sc_profile_error_form(b, &key), SC_ERROR_FORM_STATUS_ERROR);
  cr_expect_str_eq(key, "message");
  cr_expect_eq(sc_profile_error_form(ref, NULL), SC_ERROR_FORM_TEXT);
  cr_expect_eq(sc_profile_error_status(a, "BAD_KEY"), 401);
  cr_expect_eq(sc_profile_error_status(a, "NOT_FOUND"), 404);
  /* NOT_FOUND plays NO_ACTIVATION's part: its status too */
  cr_expect_eq(sc_profile_error_status(a, "NO_ACTIVATION"), 404);
  cr_expect_eq(sc_profile_error_status(a, "BAD_SERVICE"), 400);
  cr_expect_eq(sc_profile_error_status(b, "BAD_KEY"), 0);
  cr_expect_eq(sc_profile_error_status(ref, "BAD_KEY"), 0);
  /* the built-in profile each is made from */
  cr_expect_eq(sc_profile_base(s, b), ref);
  cr_expect_eq(sc_profile_base(s, a), ref);
  cr_expect_eq(sc_profile_base(s, ref), ref);
  sc_spec_destroy(s);
  sc_buf_free(&diag);
}

/* A token that plays an allowed token's part is allowed as that token,
 * in the profile's views only. */
Test(spec, alias_is_allowed_as_the_token_it_plays) {
  struct sc_buf diag;
  struct sc_spec *s = load_acme(&diag);
  struct sc_view v;
  cr_assert_eq(sc_spec_view(s, "getStatus", "acme", &v), SC_ERR_OK);
  cr_expect(sc_view_allows_error(&v, "NOT_FOUND"));
  cr_expect(sc_view_allows_error(&v, "NO_ACTIVATION"));
  const struct sc_token *nf = sc_spec_token(s, "NOT_FOUND", 9),
                        *na = sc_spec_token(s, "NO_ACTIVATION", 13);
  cr_expect_eq(v.ix->tok[nf - s->tokens], v.ix->tok[na - s->tokens]);
  cr_expect(v.ix->errors_declared);
  cr_expect_eq(v.ix->error_form, SC_ERROR_FORM_PROBLEM);
  cr_expect(v.ix->error_status);
  cr_assert_eq(sc_spec_view(s, "getBalance", "acme", &v), SC_ERR_OK);
  cr_expect_not(sc_view_allows_error(&v, "NOT_FOUND"));
  cr_assert_eq(sc_spec_view(s, "getStatus", NULL, &v), SC_ERR_OK);
  cr_expect_not(sc_view_allows_error(&v, "NOT_FOUND"));
  cr_expect_not(v.ix->errors_declared);
  cr_assert_eq(sc_spec_view(s, "setStatus", "acme2", &v), SC_ERR_OK);
  cr_expect(v.ix->no_body);
  sc_spec_destroy(s);
  sc_buf_free(&diag);
}

/* The accessors' defaults: NULL arguments and a profile without the
 * keys. */
Test(spec, dialect_accessor_defaults) {
  struct sc_spec *s = load();
  const struct sc_profile *ref = s->reference,
                          *rest = sc_spec_profile(s, "rest-v1");
  cr_expect_str_eq(sc_profile_token_for(NULL, "BAD_KEY"), "BAD_KEY");
  cr_expect_null(sc_profile_token_for(ref, NULL));
  cr_expect_str_eq(sc_profile_token_plays(NULL, "BAD_KEY"), "BAD_KEY");
  cr_expect_eq(sc_profile_error_form(NULL, NULL), SC_ERROR_FORM_TEXT);
  cr_expect_eq(sc_profile_error_status(NULL, "BAD_KEY"), 0);
  cr_expect_eq(sc_profile_error_status(ref, NULL), 0);
  cr_expect_null(sc_profile_action_path(ref, "getBalance"));
  cr_expect_null(sc_profile_action_path(NULL, "getBalance"));
  cr_expect_str_eq(sc_profile_action_method(ref, "getBalance"), "GET");
  cr_expect_str_eq(sc_profile_action_method(NULL, NULL), "GET");
  cr_expect_null(sc_profile_action_method(rest, "v1.numbers.buy"));
  cr_expect_str_eq(sc_profile_param_name(NULL, "getBalance", "api_key"),
                   "api_key");
  cr_expect_null(sc_profile_param_name(ref, "getBalance", NULL));
  cr_expect_not(sc_profile_no_body(NULL, "setStatus"));
  cr_expect_not(sc_profile_no_body(ref, NULL));
  double t = -1;
  cr_expect(sc_profile_timing(s, NULL, "rent_min_hours", &t));
  cr_expect_eq(t, 4);
  cr_expect_not(sc_profile_timing(NULL, ref, "rent_min_hours", &t));
  cr_expect_not(sc_profile_timing(s, ref, NULL, &t));
  cr_expect_eq(sc_profile_base(s, NULL), NULL);
  cr_expect_eq(sc_profile_base(NULL, ref), ref);
  sc_spec_destroy(s);
}

/* A file whose "extends" is broken is refused whole, with the reason. */
Test(spec, broken_extends_refuses_the_load) {
  static const char lone[] =
      "{\"version\": 1, \"name\": \"acme2\", \"extends\": \"acme\", "
      "\"sources\": [{\"doc\": \"001_ac8db1c65ff3c54b.txt\", \"section\": "
      "\"Activation API\"}]}";
  struct sc_spec_file f = {"acme2.json", lone, sizeof lone - 1};
  struct sc_buf diag;
  enum sc_err e;
  sc_buf_init(&diag, 1u << 16);
  struct sc_spec *s = sc_spec_load_mem(&f, 1, &diag, &e);
  cr_expect_null(s);
  cr_expect_eq(e, SC_ERR_SPEC);
  cr_assert_not_null(diag.ptr);
  cr_expect(strstr(diag.ptr, "acme2.json: $.extends: extends \"acme\", "
                             "which names no profile") != NULL,
            "%s", diag.ptr);
  sc_buf_free(&diag);
}

/* Merging allocates: every allocation of the load may fail, and the load
 * then fails without a leak or a crash (ASan says so). */
Test(spec, extends_load_survives_every_allocation_failure) {
  struct sc_spec_file f[] = {{"acme2.json", acme2, sizeof acme2 - 1},
                             {"acme.json", acme, sizeof acme - 1}};
  sc_alloc_init();
  for (unsigned long n = 1;; n += n < 2000 ? 1 : 97) {
    struct sc_buf diag;
    enum sc_err e = SC_ERR_OK;
    sc_buf_init(&diag, 1u << 16);
    sc_alloc_fail_after(n);
    struct sc_spec *s = sc_spec_load_mem(f, 2, &diag, &e);
    sc_alloc_fail_after(0);
    sc_buf_free(&diag);
    if (s) {
      cr_expect_eq(e, SC_ERR_OK);
      cr_expect_not_null(sc_spec_profile(s, "acme2"));
      sc_spec_destroy(s);
      break;
    }
    cr_assert(e == SC_ERR_NOMEM || e == SC_ERR_SPEC, "at %lu: %s", n,
              sc_err_name(e));
  }
}

/* The worked example of examples/dialect: its rename_keys gives
 * getActiveActivations the action's own success forms with "data" for
 * "activeActivations", for the parser and for the simulator alike. */
Test(spec, example_dialect_renames_answer_keys) {
  struct sc_buf diag;
  enum sc_err e;
  const char *extra[] = {SC_SOURCE_DIR "/examples/dialect/problem-details.json"};
  sc_buf_init(&diag, 1u << 16);
  struct sc_spec *s = sc_spec_load(NULL, extra, 1, &diag, &e);
  cr_assert_not_null(s, "%s", diag.ptr ? diag.ptr : "");
  const struct sc_profile *p = sc_spec_profile(s, "acme");
  cr_assert_not_null(p);
  cr_expect_str_eq(
      sc_profile_answer_key(p, "getActiveActivations", "activeActivations"),
      "data");
  cr_expect_str_eq(sc_profile_answer_key(p, "getStatus", "activeActivations"),
                   "activeActivations");
  struct sc_view v;
  cr_assert_eq(sc_spec_view(s, "getActiveActivations", "acme", &v), SC_ERR_OK);
  const cJSON *obj = cJSON_GetObjectItemCaseSensitive(
      cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(v.success, 0),
                                       "json"),
      "object");
  cr_expect_not_null(cJSON_GetObjectItemCaseSensitive(obj, "data"));
  cr_expect_null(cJSON_GetObjectItemCaseSensitive(obj, "activeActivations"));
  /* the parent's view is untouched */
  cr_assert_eq(sc_spec_view(s, "getActiveActivations", "sms-activate", &v),
               SC_ERR_OK);
  obj = cJSON_GetObjectItemCaseSensitive(
      cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(v.success, 0),
                                       "json"),
      "object");
  cr_expect_not_null(cJSON_GetObjectItemCaseSensitive(obj, "activeActivations"));
  sc_spec_destroy(s);
  sc_buf_free(&diag);
}
