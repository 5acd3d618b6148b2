/* sc_cli_list.c — `smsconform list`: the spec's actions, tokens and
 * profiles, the simulator's faults and the plan of checks. */
#include "sc_cli_int.h"

#include "sc_checks.h"
#include "sc_run.h"
#include "sc_sim.h"
#include "sc_spec.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

const char cli_usage_list[] =
    "Usage: smsconform list actions|tokens|profiles|faults|checks [--json]\n"
    "                       [--profile NAME|FILE]\n"
    "\n"
    "  actions   every action: name, profiles offering it, money, sources\n"
    "  tokens    every token: name, kind, the actions that answer it\n"
    "  profiles  the vendor dialects\n"
    "  faults    the deliberate deviations `serve --fault` can switch on\n"
    "  checks    the checks `run` plans for a profile (default the\n"
    "            reference): stable id, category, needs, requirement\n"
    "  --json    machine-readable output (the whole spec entry, with\n"
    "            citations and derived fields)\n"
    CLI_HELP_PROFILE_OPT
    "            actions: only what the profile offers; checks: the\n"
    "            checks planned for it; with a FILE, tokens and profiles\n"
    "            include the file's own.\n"
    CLI_HELP_PROFILE("            ");

/* Prints and frees a `list --json` answer; the exit code. */
static int emit_json(cJSON *j) {
  char *txt = cJSON_Print(j);
  cJSON_Delete(j);
  if (!txt) {
    fprintf(stderr, "smsconform: out of memory\n");
    return SC_EXIT_FAIL;
  }
  puts(txt);
  cJSON_free(txt);
  return SC_EXIT_OK;
}

/* Names of the profiles offering |action|, as a new JSON array. */
static cJSON *profiles_of(const struct sc_spec *s, const char *action) {
  cJSON *arr = cJSON_CreateArray();
  for (size_t i = 0; arr && i < s->nprofiles; i++)
    if (sc_profile_has_action(&s->profiles[i], action))
      cJSON_AddItemToArray(arr, cJSON_CreateString(s->profiles[i].name));
  return arr;
}

static const char *docs_of(const cJSON *entry, char *buf, size_t len) {
  size_t o = 0;
  const cJSON *c;
  buf[0] = '\0';
  cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(entry, "sources")) {
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(c, "doc");
    char shortname[4];
    if (!cJSON_IsString(d) || o + 5 >= len)
      continue;
    snprintf(shortname, sizeof(shortname), "%.3s", d->valuestring);
    if (strstr(buf, shortname))
      continue;
    o += (size_t)snprintf(buf + o, len - o, "%s%.3s", o ? "," : "",
                          d->valuestring);
  }
  return buf;
}

static int list_actions(const struct sc_spec *s, bool json,
                        const struct sc_profile *only) {
  cJSON *out = json ? cJSON_CreateArray() : NULL;
  if (json && !out)
    return SC_EXIT_FAIL;
  if (!json)
    printf("%-30s %-8s %-6s %-16s %s\n", "ACTION", "NAME", "SPENDS",
           "SOURCES", "PROFILES");
  for (size_t i = 0; i < s->nactions; i++) {
    const struct sc_action *a = &s->actions[i];
    if (only && !sc_profile_has_action(only, a->name))
      continue;
    cJSON *prof = profiles_of(s, a->name);
    if (json) {
      cJSON *e = cJSON_Duplicate(a->json, true);
      if (e) {
        cJSON_AddItemToObject(e, "profiles", prof);
        cJSON_AddStringToObject(e, "file", a->file);
        cJSON_AddItemToArray(out, e);
      } else {
        cJSON_Delete(prof);
      }
      continue;
    }
    char docs[64], profs[256];
    size_t o = 0;
    const cJSON *p;
    profs[0] = '\0';
    cJSON_ArrayForEach(p, prof) o += (size_t)snprintf(
        profs + o, o < sizeof(profs) ? sizeof(profs) - o : 0, "%s%s",
        o ? "," : "", p->valuestring);
    cJSON_Delete(prof);
    printf("%-30s %-8s %-6s %-16s %s\n", a->name,
           cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(a->json, "inferred"))
               ? "inferred"
               : "written",
           cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(a->json, "spends"))
               ? "yes"
               : "no",
           docs_of(a->json, docs, sizeof(docs)), profs);
  }
  return json ? emit_json(out) : SC_EXIT_OK;
}

static bool lists_token(const cJSON *entry, const char *tok) {
  static const char *const keys[] = {"errors", "json_errors", "errors_add"};
  for (size_t k = 0; k < 3; k++)
    if (sc_json_array_has_string(cJSON_GetObjectItemCaseSensitive(entry,
                                                                  keys[k]),
                                 tok))
      return true;
  const cJSON *f;
  cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(entry, "success")) {
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(f, "token");
    if (cJSON_IsString(t) && strcmp(t->valuestring, tok) == 0)
      return true;
  }
  return false;
}

/* The actions that may answer |tok| in any profile (derived, not stored). */
static cJSON *answered_by(const struct sc_spec *s, const char *tok) {
  cJSON *arr = cJSON_CreateArray();
  for (size_t i = 0; arr && i < s->nactions; i++) {
    const struct sc_action *a = &s->actions[i];
    bool yes = lists_token(a->json, tok);
    for (size_t p = 0; !yes && p < s->nprofiles; p++) {
      const cJSON *pj = s->profiles[p].json;
      if (!sc_profile_has_action(&s->profiles[p], a->name))
        continue;
      yes = sc_json_array_has_string(
                cJSON_GetObjectItemCaseSensitive(pj, "common_errors"), tok) ||
            lists_token(cJSON_GetObjectItemCaseSensitive(
                            cJSON_GetObjectItemCaseSensitive(pj, "overrides"),
                            a->name),
                        tok);
    }
    if (yes)
      cJSON_AddItemToArray(arr, cJSON_CreateString(a->name));
  }
  return arr;
}

static int list_tokens(const struct sc_spec *s, bool json) {
  cJSON *out = json ? cJSON_CreateArray() : NULL;
  if (json && !out)
    return SC_EXIT_FAIL;
  if (!json)
    printf("%-30s %-8s %-16s %s\n", "TOKEN", "KIND", "SOURCES", "ANSWERED BY");
  for (size_t i = 0; i < s->ntokens; i++) {
    const struct sc_token *t = &s->tokens[i];
    cJSON *by = answered_by(s, t->name);
    if (json) {
      cJSON *e = cJSON_Duplicate(t->json, true);
      if (e) {
        cJSON_AddItemToObject(e, "answered_by", by);
        cJSON_AddItemToArray(out, e);
      } else {
        cJSON_Delete(by);
      }
      continue;
    }
    char docs[64];
    int n = cJSON_GetArraySize(by);
    const cJSON *first = cJSON_GetArrayItem(by, 0);
    printf("%-30s %-8s %-16s %s%s\n", t->name, sc_token_kind(t),
           docs_of(t->json, docs, sizeof(docs)),
           first ? first->valuestring : "-",
           n > 1 ? (n > 2 ? " and others" : " and 1 more") : "");
    cJSON_Delete(by);
  }
  return json ? emit_json(out) : SC_EXIT_OK;
}

static int list_profiles(const struct sc_spec *s, bool json) {
  cJSON *out = json ? cJSON_CreateArray() : NULL;
  if (json && !out)
    return SC_EXIT_FAIL;
  if (!json)
    printf("%-14s %-18s %-8s %-9s %s\n", "PROFILE", "TITLE", "DIALECT",
           "ACTIONS", "REFERENCE");
  for (size_t i = 0; i < s->nprofiles; i++) {
    const struct sc_profile *p = &s->profiles[i];
    if (json) {
      cJSON_AddItemToArray(out, cJSON_Duplicate(p->json, true));
      continue;
    }
    const cJSON *title = cJSON_GetObjectItemCaseSensitive(p->json, "title");
    printf("%-14s %-18s %-8s %-9d %s\n", p->name,
           cJSON_IsString(title) ? title->valuestring : "",
           p->rest ? "rest" : "handler",
           cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(p->json,
                                                               "actions")),
           p->reference ? "yes" : "");
  }
  return json ? emit_json(out) : SC_EXIT_OK;
}

static int list_faults(bool json) {
  cJSON *out = json ? cJSON_CreateArray() : NULL;
  if (!json)
    printf("%-24s %-10s %s\n", "FAULT", "FAMILY", "WHAT IT BREAKS");
  const char *family, *what, *name;
  for (size_t i = 0; (name = sc_sim_fault_info(i, &family, &what)); i++) {
    if (!json) {
      printf("%-24s %-10s %s\n", name, family, what);
      continue;
    }
    cJSON *o = cJSON_CreateObject();
    if (!cJSON_AddItemToArray(out, o) ||
        !cJSON_AddStringToObject(o, "name", name) ||
        !cJSON_AddStringToObject(o, "family", family) ||
        !cJSON_AddStringToObject(o, "what", what)) {
      if (o && !o->prev)
        cJSON_Delete(o); /* never attached */
      cJSON_Delete(out);
      return emit_json(NULL); /* reports out of memory */
    }
  }
  return json ? emit_json(out) : SC_EXIT_OK;
}

/* `list checks`: the plan for |profile| (NULL = the reference). */
static int list_checks(const struct sc_spec *s, const char *profile,
                       bool json) {
  char err[512];
  struct sc_run_opts o = {.catalogue = sc_checks_catalogue(),
                          .spec = s, .profile = profile,
                          .url = "http://127.0.0.1/", .key = "-"};
  return sc_run_list(&o, stdout, json, err, sizeof err)
             ? cli_usage_error("list checks: %s", err)
             : SC_EXIT_OK;
}

/* Reads the command line: the subject into *what, --json, --profile. 0,
 * or an exit code (-1 after --help). */
static int list_args(int argc, char **argv, const char **what, bool *json,
                     struct cli_profile *prof) {
  static const struct option lo[] = {{"help", no_argument, NULL, 'h'},
                                     {"json", no_argument, NULL, 'j'},
                                     {"profile", required_argument, NULL, 'p'},
                                     {NULL, 0, NULL, 0}};
  struct cli_opts op;
  int rc = SC_EXIT_OK, ch;
  cli_opts_init(&op, "list", argc, argv, lo);
  while ((ch = cli_opts_next(&op, &rc)) != OPT_END) {
    if (ch == OPT_ERR)
      return rc;
    if (ch == 'h') {
      fputs(cli_usage_list, stdout);
      return -1;
    } else if (ch == 'j') {
      *json = true;
    } else if (ch == 'p') {
      if ((rc = cli_profile_add(prof, optarg)))
        return rc;
    } else if (!*what) {
      *what = optarg;
    } else {
      return cli_usage_error("list: unexpected argument %s", optarg);
    }
  }
  return SC_EXIT_OK;
}

int cli_cmd_list(const char *specs, int argc, char **argv) {
  const char *what = NULL;
  bool json = false;
  struct cli_profile prof;
  struct sc_spec *s = NULL;
  cli_profile_init(&prof, "list");
  int rc = list_args(argc, argv, &what, &json, &prof);
  if (rc)
    return rc < 0 ? SC_EXIT_OK : rc;
  if (!what)
    return cli_usage_error("list: say what to list: %s",
                           "actions, tokens, profiles, faults, checks");
  bool a = !strcmp(what, "actions"), t = !strcmp(what, "tokens"),
       p = !strcmp(what, "profiles"), f = !strcmp(what, "faults"),
       c = !strcmp(what, "checks");
  if (!a && !t && !p && !f && !c)
    return cli_usage_error(
        "list: cannot list '%s' (actions, tokens, profiles, faults, checks)",
        what);
  /* the faults are the simulator's: the spec only to refuse a bad file */
  if (f && !prof.nfiles)
    return list_faults(json);
  if ((rc = cli_profile_load(&prof, specs, &s)))
    return rc;
  const struct sc_profile *only = NULL;
  if (f)
    rc = list_faults(json);
  else if (c)
    rc = list_checks(s, prof.name, json);
  else if (prof.name && !(only = sc_spec_profile(s, prof.name)))
    rc = cli_usage_error("no profile '%s' (see: smsconform list profiles)",
                         prof.name);
  else
    rc = a ? list_actions(s, json, only)
         : t ? list_tokens(s, json) : list_profiles(s, json);
  sc_spec_destroy(s);
  return rc;
}
