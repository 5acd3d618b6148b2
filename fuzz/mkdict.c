/* mkdict.c — writes a fuzzing dictionary (libFuzzer / AFL++ format) for
 * one target, generated from the embedded spec so that it follows specs/
 * without being kept by hand: every token, action, parameter, allowed
 * value, JSON key and pattern literal the spec knows, in the form the
 * target's input uses.
 *
 *   mkdict TARGET > TARGET.dict
 *
 * TARGET is one of text, json, pattern, spec, sim, escape, roundtrip,
 * compare, catalogue. */
#include "sc_parse_int.h"
#include "sc_spec.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ENTRY_MAX 64

static char **seen;
static size_t nseen, capseen;

/* Prints |s| as one dictionary line, once. */
static void entry(const char *s) {
  size_t n = strlen(s);
  if (n == 0 || n > ENTRY_MAX)
    return;
  for (size_t i = 0; i < nseen; i++)
    if (strcmp(seen[i], s) == 0)
      return;
  if (nseen == capseen) {
    capseen = capseen ? 2 * capseen : 256;
    seen = realloc(seen, capseen * sizeof *seen);
    if (!seen) {
      fputs("mkdict: out of memory\n", stderr);
      exit(1);
    }
  }
  seen[nseen++] = strdup(s);
  putchar('"');
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"' || *p == '\\')
      printf("\\%c", *p);
    else if (*p < 0x20 || *p >= 0x7F)
      printf("\\x%02X", *p);
    else
      putchar(*p);
  }
  puts("\"");
}

/* |s| between |pre| and |post|, as one entry. */
static void entryf(const char *pre, const char *s, const char *post) {
  char buf[256];
  snprintf(buf, sizeof buf, "%s%s%s", pre, s, post);
  entry(buf);
}

/* Every object key under |j| (between |pre| and |post|), and with |values|
 * every short string value too. */
static void walk(const cJSON *j, const char *pre, const char *post,
                 int values) {
  for (const cJSON *c = j ? j->child : NULL; c; c = c->next) {
    if (c->string)
      entryf(pre, c->string, post);
    if (values && cJSON_IsString(c) && strlen(c->valuestring) <= 40)
      entryf(pre, c->valuestring, post);
    walk(c, pre, post, values);
  }
}

static void header_names(const struct sc_spec *s) {
  for (size_t i = 0; i < s->nactions; i++)
    entryf("", s->actions[i].name, " ");
  for (size_t i = 0; i < s->nprofiles; i++)
    entryf(" ", s->profiles[i].name, " ");
  entry(" 200 ");
  entry(" 500 ");
  entry("text/plain; charset=utf-8");
  entry("application/json");
  entry("text/html");
}

/* The server-error-text markers and what their checks look for around
 * them (sc_parse.c). */
static void leak_dict(void) {
  const char *m;
  for (size_t i = 0; (m = sc_leak_marker(i, NULL)) != NULL; i++)
    entry(m);
  static const char *const around[] = {
      ": ", "</b>:", " in /var/www/a.php on line 3", "#0 ", "\tat ",
      "    at ", "(Api.java:12)", " (/app/x.js:1:2)", "00942:", "\" does not exist",
      "' doesn't exist", "1 ["};
  for (size_t i = 0; i < sizeof around / sizeof *around; i++)
    entry(around[i]);
}

static void text_dict(const struct sc_spec *s) {
  for (size_t i = 0; i < s->ntokens; i++) {
    const struct sc_token *t = &s->tokens[i];
    entry(t->name);
    for (size_t k = 0; k < t->nsegs; k++) {
      if (t->segs[k].is_field)
        continue;
      char lit[ENTRY_MAX + 1];
      size_t n = t->segs[k].lit_len > ENTRY_MAX ? ENTRY_MAX : t->segs[k].lit_len;
      memcpy(lit, t->segs[k].lit, n);
      lit[n] = '\0';
      entry(lit);
    }
  }
  static const char *const extra[] = {"\xEF\xBB\xBF", "\r\n", "'", "-",
                                      "2026-02-13 12-00-00", "79990000000"};
  for (size_t i = 0; i < sizeof extra / sizeof *extra; i++)
    entry(extra[i]);
  leak_dict();
}

static void json_dict(const struct sc_spec *s) {
  for (size_t i = 0; i < s->nactions; i++) {
    const cJSON *a = s->actions[i].json;
    walk(cJSON_GetObjectItemCaseSensitive(a, "success"), "\"", "\":", 0);
    walk(cJSON_GetObjectItemCaseSensitive(a, "json_errors"), "\"", "\"", 0);
  }
  for (size_t i = 0; i < s->ntokens; i++)
    entryf("\"", s->tokens[i].name, "\"");
  static const char *const extra[] = {
      "\"status\":\"error\"", "\"message\":", "\"title\":", "\"details\":",
      "true", "false", "null", "1e309", "-0", "\\u0000", "\\ud800",
      "\"2026-04-15 10:07:30\"", "\"2026-04-15T10:07:30Z\"", "[]", "{}",
      "\"error\":", "\"sms\":null", "\"smsCode\":null"};
  for (size_t i = 0; i < sizeof extra / sizeof *extra; i++)
    entry(extra[i]);
  leak_dict();
}

static void pattern_dict(const struct sc_spec *s) {
  for (size_t i = 0; i < s->ntokens; i++) {
    const cJSON *p =
        cJSON_GetObjectItemCaseSensitive(s->tokens[i].json, "pattern");
    if (cJSON_IsString(p))
      entry(p->valuestring);
  }
  for (int t = 0; t < SC_FTYPE__COUNT; t++)
    entryf("{f:", sc_ftype_name((enum sc_ftype)t), "}");
  entry("'");
  entry(":");
}

static void spec_dict(const struct sc_spec *s) {
  for (size_t i = 0; i < s->nfiles; i++)
    walk(s->files[i].root, "\"", "\"", 1);
  for (int t = 0; t < SC_FTYPE__COUNT; t++)
    entryf("{f:", sc_ftype_name((enum sc_ftype)t), "}");
  static const char *const extra[] = {" as string", "\"open\": true", "[]",
                                      "{}", "null", "\"nullable\":",
                                      "\"null\": \"warn\""};
  for (size_t i = 0; i < sizeof extra / sizeof *extra; i++)
    entry(extra[i]);
}

static void sim_dict(const struct sc_spec *s) {
  for (size_t i = 0; i < s->nactions; i++) {
    const cJSON *a = s->actions[i].json;
    entryf("action=", s->actions[i].name, "");
    const cJSON *http = cJSON_GetObjectItemCaseSensitive(a, "http");
    const cJSON *path = cJSON_GetObjectItemCaseSensitive(http, "path");
    const cJSON *method = cJSON_GetObjectItemCaseSensitive(http, "method");
    if (cJSON_IsString(path))
      entry(path->valuestring);
    if (cJSON_IsString(method))
      entryf("", method->valuestring, " ");
    const cJSON *p;
    cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(a, "params")) {
      const cJSON *name = cJSON_GetObjectItemCaseSensitive(p, "name");
      if (cJSON_IsString(name)) {
        entryf("&", name->valuestring, "=");
        entryf("\"", name->valuestring, "\":");
      }
      const cJSON *v;
      cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(p, "values")) {
        if (cJSON_IsString(v))
          entryf("=", v->valuestring, "");
      }
    }
  }
  static const char *const extra[] = {
      "GET ", "POST ", "HEAD ", "DELETE ", "/stubs/handler_api.php?",
      "/control/reset", "/control/sms", "/control/clock", "/control/stock",
      "/control/price", "/control/balance", "/control/rent-sms",
      "/control/account",
      "/control/state", "\"activationId\":", "\"rentId\":", "\"advance\":",
      "\"count\":", "\"cost\":", "\"apiKey\":", "\"service\":",
      "\"country\":", "api_key=K1", "api_key=K2", "K1", "K2",
      "Authorization: Bearer K1", "Content-Type: application/json",
      "Content-Type: application/x-www-form-urlencoded", "%00", "%zz", "+",
      "[]=", "tg", "ru", "telegram"};
  for (size_t i = 0; i < sizeof extra / sizeof *extra; i++)
    entry(extra[i]);
}

static void escape_dict(void) {
  static const char *const extra[] = {
      "\xFF", "<script>", "</script>", "<!--", "-->", "]]>", "<![CDATA[",
      "&amp;", "&#", "&", "<", ">", "\"", "'", "`", "```", "|", "\\",
      "\x1B[31m", "\x1B]0;", "\r", "\x7F", "\xC2\x85", "\xE2\x80\xAE",
      "\xEF\xBB\xBF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xC0\xAF",
      "javascript:", "<img src=x onerror=alert(1)>", "{{", "${", "# ",
      "ok ", "not ok ", "---", "...", "\n", "\t"};
  for (size_t i = 0; i < sizeof extra / sizeof *extra; i++)
    entry(extra[i]);
}

/* A JSON report (schema smsconform-report/1): its keys, and the names a
 * report holds (actions, tokens, categories, verdicts). */
static void compare_dict(const struct sc_spec *s) {
  static const char *const keys[] = {
      "schema", "smsconform-report/1", "tool", "target", "profile",
      "started", "seconds", "requests", "strict", "summary", "results", "id",
      "category", "action", "tags", "requirement", "doc", "section",
      "verdict", "outcome", "message", "expected", "actual", "curl",
      "baseline", "ms", "exchanges", "method", "url", "request_body",
      "request_auth", "status", "content_type", "body", "body_base64",
      "body_truncated", "body_encoding", "base64", "body_len", "transport_error", "spend", "what", "cost",
      "refunded", "PASS", "WARN", "FAIL", "SKIP", "ERROR"};
  for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
    entryf("\"", keys[i], "\"");
  for (size_t i = 0; i < s->nactions; i++)
    entryf("\"", s->actions[i].name, "\"");
  for (size_t i = 0; i < s->nprofiles; i++)
    entryf("\"", s->profiles[i].name, "\"");
  static const char *const extra[] = {"<script>", "</script>", "&", "\\u0000",
                                      "\\ud800", "1e309", "null", "[]", "{}"};
  for (size_t i = 0; i < sizeof extra / sizeof *extra; i++)
    entry(extra[i]);
}

/* The catalogue file's keys and the default catalogue's codes. */
static void catalogue_dict(void) {
  static const char *const keys[] = {
      "version", "note", "defaults", "cost", "stock", "providers", "id",
      "pct", "services", "code", "name", "rest", "countries", "iso", "eng",
      "rus", "chn", "slug", "operators", "offers", "service", "country"};
  for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
    entryf("\"", keys[i], "\"");
  for (const struct sc_spec_file *f = sc_specs_embedded; f->name; f++) {
    if (strcmp(f->name, "catalogue.json") != 0)
      continue;
    cJSON *j = cJSON_ParseWithLength(f->data, f->len);
    walk(j, "\"", "\"", 1);
    cJSON_Delete(j);
  }
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fputs("usage: mkdict text|json|pattern|spec|sim|escape|roundtrip|compare|"
          "catalogue\n",
          stderr);
    return 2;
  }
  enum sc_err err;
  char *diag = NULL;
  struct sc_spec *s = sc_spec_new(NULL, &err, &diag);
  if (!s) {
    fprintf(stderr, "mkdict: the embedded spec does not load: %s\n%s\n",
            sc_strerror(err), diag ? diag : "");
    return 1;
  }
  const char *t = argv[1];
  printf("# %s.dict: generated from specs/ by fuzz/mkdict.c; do not edit\n",
         t);
  int rc = 0;
  if (strcmp(t, "text") == 0) {
    header_names(s);
    text_dict(s);
  } else if (strcmp(t, "json") == 0) {
    header_names(s);
    json_dict(s);
  } else if (strcmp(t, "roundtrip") == 0) {
    header_names(s);
    text_dict(s);
    json_dict(s);
  } else if (strcmp(t, "pattern") == 0) {
    pattern_dict(s);
  } else if (strcmp(t, "spec") == 0) {
    spec_dict(s);
  } else if (strcmp(t, "sim") == 0) {
    sim_dict(s);
  } else if (strcmp(t, "escape") == 0) {
    escape_dict();
  } else if (strcmp(t, "compare") == 0) {
    compare_dict(s);
  } else if (strcmp(t, "catalogue") == 0) {
    catalogue_dict();
  } else {
    fprintf(stderr, "mkdict: no target %s\n", t);
    rc = 2;
  }
  for (size_t i = 0; i < nseen; i++)
    free(seen[i]);
  free(seen);
  sc_spec_free_diag(diag);
  sc_spec_destroy(s);
  return rc;
}
