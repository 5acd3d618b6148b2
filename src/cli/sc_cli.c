/* sc_cli.c — the `smsconform` command line: help, version, run, serve,
 * compare, list, parse, lint. Options are read with getopt_long
 * (opts_next); each command returns an exit code from SC_EXIT_MAP. */
#include "sc_cli.h"

#include "sc_alloc.h"
#include "sc_baseline.h"
#include "sc_buf.h"
#include "sc_compare.h"
#include "sc_escape.h"
#include "sc_out.h"
#include "sc_record.h"
#include "sc_report.h"
#include "sc_run.h"
#include "sc_sim.h"
#include "sc_spec.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <pthread.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef SC_VERSION
#define SC_VERSION "0.0.0"
#endif

/* A body read by `parse` larger than this is refused (the runner caps
 * bodies the same way). */
#define PARSE_BODY_MAX (64u * 1024u * 1024u)

static const char usage_main[] =
    "smsconform - conformance checks for the SMS-activation API family\n"
    "\n"
    "Usage: smsconform [--specs DIR] COMMAND [ARGS]\n"
    "\n"
    "Commands:\n"
    "  run             run the conformance checks against --url (with no\n"
    "                  --url: against the built-in simulator); with\n"
    "                  --target NAME=URL (repeatable): several, compared\n"
    "  serve           run the reference simulator and its control endpoint\n"
    "  compare [NAME=]REPORT.json ... [--html F] [--md F] [--json F]\n"
    "                  merge several runs' JSON reports into one vendor\n"
    "                  matrix\n"
    "  list actions    every action: profiles offering it, money, sources\n"
    "  list tokens     every token: kind, the actions that answer it\n"
    "  list profiles   the vendor dialects (sms-activate, koalasms, ...)\n"
    "  list faults     the simulator's deliberate faults (serve --fault)\n"
    "  list checks     the checks `run` plans for a profile\n"
    "  parse           judge one response body and print the result as JSON\n"
    "  lint [FILE...]  validate specs/ and your own profile or actions files\n"
    "  help [COMMAND]  this text, or a command's\n"
    "\n"
    "`smsconform COMMAND --help` describes a command and all its options.\n"
    "\n"
    "Options:\n"
    "  --specs DIR     read the spec from DIR instead of the copy built in\n"
    "  -h, --help      this text\n"
    "  -V, --version   print the version\n"
    "\n"
    "Options take their value as `--opt VALUE` or `--opt=VALUE`; a long\n"
    "option may be shortened to a unique prefix; `--` ends the options.\n"
    "\n"
    "Exit codes: 0 pass (WARN included), 1 a FAIL was found or lint found\n"
    "problems, 2 usage error, 3 the endpoint could not be reached.\n"
    "\n"
    "Examples:\n"
    "  smsconform run --report-dir reports/out\n"
    "  SMSCONFORM_KEY=... smsconform run --url https://vendor/stubs/handler_api.php\n"
    "  smsconform list actions\n"
    "  smsconform list tokens --json > tokens.json\n"
    "  printf 'STATUS_OK:12:34' | smsconform parse --action getStatus\n"
    "  curl -s \"$URL?api_key=$SMSCONFORM_KEY&action=getBalance\" |\n"
    "      smsconform parse --action getBalance --profile smsbulk\n"
    "  smsconform lint my-vendor.json\n"
    "  smsconform compare acme.json beta.json --html compare.html\n";

static const char usage_list[] =
    "Usage: smsconform list actions|tokens|profiles|faults|checks [--json]\n"
    "                       [--profile P]\n"
    "\n"
    "  actions   every action: name, profiles offering it, money, sources\n"
    "  tokens    every token: name, kind, the actions that answer it\n"
    "  profiles  the vendor dialects\n"
    "  faults    the deliberate deviations `serve --fault` can switch on\n"
    "  checks    the checks `run` plans for a profile (default the\n"
    "            reference): stable id, category, needs, requirement\n"
    "  --json    machine-readable output (the whole spec entry, with\n"
    "            citations and derived fields)\n"
    "  --profile P  only what profile P offers\n";

static const char usage_lint[] =
    "Usage: smsconform lint [FILE...]\n"
    "\n"
    "Validates the spec (built in, or --specs DIR) together with each FILE:\n"
    "a profile, actions or tokens file of your own. Every problem is printed\n"
    "as `file: $.json.path: message`. Exit 0 when there is none, 1 otherwise.\n";

static const char usage_parse[] =
    "Usage: smsconform parse --action NAME [--profile P] [--status N]\n"
    "                        [--content-type T] [FILE|-]\n"
    "\n"
    "Reads one response body from FILE (or standard input) and prints the\n"
    "normalized result as JSON: kind (success, status, error, not_protocol),\n"
    "token, typed fields, and every deviation with its byte offset and\n"
    "verdict. Exit 0 when the verdict is PASS or WARN, 1 on FAIL.\n"
    "\n"
    "  --action NAME        the action the body answers (see `list actions`)\n"
    "  --profile P          the vendor dialect (default: the reference,\n"
    "                       sms-activate)\n"
    "  --status N           the HTTP status that came with the body\n"
    "  --content-type T     the Content-Type that came with the body\n";

static const char usage_serve[] =
    "Usage: smsconform serve [--profile P] [--fault F,...] [--host 127.0.0.1]\n"
    "                        [--port 0] [--keys KEYS] [--seed N]\n"
    "                        [--rate-limit N] [--stock N] [--actions A,...]\n"
    "\n"
    "Runs the reference simulator until SIGINT or SIGTERM. Its first lines\n"
    "on standard output are machine-readable:\n"
    "  handler: http://HOST:PORT/stubs/handler_api.php\n"
    "  control: http://HOST:PORT/control\n"
    "or, for --profile rest-v1, instead of handler:\n"
    "  rest: http://HOST:PORT/api/v1\n"
    "\n"
    "  --profile P  the dialect to speak: sms-activate (default), koalasms,\n"
    "               smsbulk, securesms or rest-v1 (see `list profiles`)\n"
    "  --fault F,...  switch on deliberate deviations, each a realistic\n"
    "               vendor bug a conformance run must catch (see\n"
    "               `list faults`); repeatable\n"
    "  --host H     IPv4 address to listen on (default 127.0.0.1; the control\n"
    "               endpoint can change any account: keep it on loopback)\n"
    "  --port N     TCP port; 0 picks a free one (default 0)\n"
    "  --keys KEYS  accounts: K1:100,K2:0.5 (key:balance) or K1,K2 (balance\n"
    "               100 each); default test-key:100,test-key-2:100\n"
    "  --seed N     ids, phones and codes repeat for the same seed (default 1)\n"
    "  --rate-limit N  rest-v1 requests per minute and key (default 300)\n"
    "  --stock N       numbers per service and country (default 1000)\n"
    "  --actions A,...  serve only these actions of the profile, like a\n"
    "               partial implementation: the others answer as an unknown\n"
    "               action (BAD_ACTION; WRONG_ACTION under smsbulk; 404 or\n"
    "               405 under rest-v1); /control/ is served in full;\n"
    "               repeatable (default: every action of the profile)\n"
    "\n"
    "Control protocol v1 (ARCHITECTURE.md), loopback clients only: POST\n"
    "reset, sms, clock, stock, price, balance, rent-sms, webhook; GET state.\n"
    "\n"
    "Example:\n"
    "  smsconform serve --port 8080 --keys K1:10 &\n"
    "  curl 'http://127.0.0.1:8080/stubs/handler_api.php?api_key=K1&action=getBalance'\n"
    "  curl -d '{\"advance\":300}' http://127.0.0.1:8080/control/clock\n";

static const char usage_run[] =
    "Usage: smsconform run [options]\n"
    "\n"
    "Runs the conformance checks of a profile against an endpoint and\n"
    "reports every check with its verdict: PASS, WARN (a variant vendors\n"
    "send), FAIL (a deviation: expected, actual and the source document),\n"
    "SKIP (with the reason), UNSUPPORTED (the endpoint does not implement\n"
    "the action: support.<action> says so, and FAILs only for an action\n"
    "the profile requires), BLOCKED (a step the check needs failed; the\n"
    "check named as blocked_by owns that finding) or ERROR (the check\n"
    "could not be judged).\n"
    "With no --url the built-in simulator is started on a free loopback\n"
    "port and checked, control protocol and second account included.\n"
    "\n"
    "Target:\n"
    "  --url URL         the handler URL (.../stubs/handler_api.php)\n"
    "  --control URL     the sandbox control endpoint, if the target has one;\n"
    "                    without it, checks that need it are SKIP\n"
    "  --profile P       the dialect to hold the target to (default\n"
    "                    sms-activate; see `smsconform list profiles`), or\n"
    "                    a profile file of your own (lint it first)\n"
    "  --key-file F      read the API key from F (default: $SMSCONFORM_KEY)\n"
    "  --key2-file F     a second account's key (default: $SMSCONFORM_KEY2),\n"
    "                    for the isolation checks\n"
    "  --max-spend AMOUNT  money the run may spend on a non-loopback URL\n"
    "                    (default 0: checks that buy are SKIP); a ceiling:\n"
    "                    every request that may sell reserves its listed\n"
    "                    price first, and every number bought is given\n"
    "                    back at the end or listed as left active\n"
    "  --price AMOUNT    what a number of --service/--country costs there,\n"
    "                    when getPrices does not say (for --max-spend)\n"
    "  --actions A,B,... the actions the endpoint implements: the others\n"
    "                    are UNSUPPORTED without a request (default: one\n"
    "                    probe per action, the support.* checks)\n"
    "  --allow-wait SECONDS  without --control, checks that need time to\n"
    "                    pass (the early-cancel window) may wait this long\n"
    "                    in real time, and clean-up waits out the window\n"
    "                    before cancelling (default 0: such checks SKIP)\n"
    "  --service S, --country C  a service and country with stock at the\n"
    "                    target (default tg and 0)\n"
    "  --fault F,...     with the built-in simulator: switch on its faults\n"
    "                    (see `smsconform list faults`)\n"
    "\n"
    "Selection:\n"
    "  --only PAT, --skip PAT  check id glob (error.getStatus.*), category\n"
    "                    (money) or tag; repeatable\n"
    "  --tier smoke|full  smoke: a quick subset (default full)\n"
    "  --budget SECONDS  stop starting checks after this long (rest: SKIP)\n"
    "  --list            print the plan and exit\n"
    "\n"
    "Execution:\n"
    "  --jobs N          checks at once (default 4)\n"
    "  --timeout SECONDS per request (default 10)\n"
    "  --rate N          at most N requests per second (default: no limit)\n"
    "  --strict          WARN counts as a failure\n"
    "\n"
    "Known failures:\n"
    "  --baseline F      F lists accepted failures: they are reported but do\n"
    "                    not fail the run, so CI fails only on regressions\n"
    "  --update-baseline write this run's failures to the --baseline file\n"
    "\n"
    "Recordings:\n"
    "  --record DIR      save every request and answer (keys redacted) to\n"
    "                    DIR/recording.json\n"
    "  --replay DIR      judge a recording again, offline: the checks run\n"
    "                    with the recorded answers instead of the network\n"
    "\n"
    "Reports:\n"
    "  --report-dir DIR  write junit.xml, report.json, report.tap, report.md\n"
    "                    and report.html into DIR\n"
    "  --junit F, --json F, --tap F, --md F, --html F  one report each\n"
    "  --quiet           no progress and no summary table\n"
    "\n"
    "Several targets (a vendor comparison):\n"
    "  --target NAME=URL[,control=URL][,profile=P]\n"
    "                    run the checks against each target in turn\n"
    "                    (repeatable), then compare them; the key comes from\n"
    "                    $SMSCONFORM_KEY_<NAME> (NAME in upper case, any other\n"
    "                    character than a letter or digit as _), a second\n"
    "                    account's from $SMSCONFORM_KEY2_<NAME>; profile=P\n"
    "                    overrides --profile for this target\n"
    "  --target NAME=sim[:DIALECT][,profile=P][,fault=F+G]\n"
    "                    the built-in simulator speaking DIALECT (default: the\n"
    "                    profile), checked against the profile: checks of\n"
    "                    actions DIALECT's document does not describe are\n"
    "                    'unsupported'\n"
    "                    With --target, --json/--md/--html write the\n"
    "                    comparison (see `smsconform compare --help`) and\n"
    "                    --report-dir DIR writes each target's reports to\n"
    "                    DIR/NAME/ and the comparison to DIR/compare.*\n"
    "  --stable          in the comparison, leave out what differs between two\n"
    "                    runs (times, exchanges, loopback ports, dates)\n"
    "\n"
    "Exit codes: 0 no FAIL, 1 some FAIL or ERROR (with --target: at any\n"
    "target), 2 usage error, 3 endpoint unreachable (with --target: any;\n"
    "the others are still run and compared).\n"
    "\n"
    "Examples:\n"
    "  smsconform run --report-dir reports/out\n"
    "  smsconform run --fault no-refund --only money\n"
    "  SMSCONFORM_KEY=$KEY smsconform run --url $URL --junit junit.xml\n"
    "  smsconform run --url $URL --baseline known.json --update-baseline\n"
    "  SMSCONFORM_KEY_ACME=... SMSCONFORM_KEY_BETA=... smsconform run \\\n"
    "      --target acme=https://acme.example/stubs/handler_api.php \\\n"
    "      --target beta=https://beta.example/stubs/handler_api.php,"
    "profile=koalasms \\\n"
    "      --html compare.html --md compare.md\n"
    "  smsconform run --target ref=sim --target koala=sim:koalasms \\\n"
    "      --html dialects.html\n";

static const char usage_compare[] =
    "Usage: smsconform compare [NAME=]REPORT.json ... [--html F] [--md F]\n"
    "                          [--json F] [--stable] [--quiet]\n"
    "\n"
    "Merges the JSON reports of several runs (`run --json F`, or report.json\n"
    "of `run --report-dir DIR`) into one vendor matrix. Rows are checks,\n"
    "grouped by action and category; columns are vendors; each cell is PASS,\n"
    "WARN, FAIL, ERROR, SKIP, BLOCKED (a step the check needs failed), or\n"
    "unsupported when the endpoint does not implement the check's action\n"
    "(UNSUPPORTED) or the check is not in that vendor's run (its profile\n"
    "has no such action, or the run was filtered). Per vendor: a score, the\n"
    "share of the applicable checks passed (PASS and WARN pass, FAIL and\n"
    "ERROR do not, SKIP, BLOCKED and unsupported do not count); counts per\n"
    "category; latency per action (p50/p95); and\n"
    "every deviation with expected, actual and the document that demands it.\n"
    "A score table goes to standard output.\n"
    "\n"
    "  NAME=REPORT  the vendor's column name (default: the file name without\n"
    "               .json, or the directory's name for a report.json)\n"
    "  --html F     one self-contained HTML file: a card per vendor, score and\n"
    "               latency charts, a colour matrix to filter by category,\n"
    "               action, verdict and vendor, and per cell the check's\n"
    "               requirement, source and exchanges\n"
    "  --md F       Markdown, for a CI job summary or a README\n"
    "  --json F     the comparison as JSON (schema smsconform-compare/1)\n"
    "  --stable     leave out what differs between two runs of the same\n"
    "               checks (times, latencies, exchanges, the tool's version,\n"
    "               loopback ports, dates an endpoint sent), for a file kept\n"
    "               in version control\n"
    "  --quiet      no score table\n"
    "\n"
    "Exit codes: 0 compared, whatever the verdicts (a FAIL is a finding of\n"
    "the comparison; `run` gates on it), 1 an output could not be written,\n"
    "2 usage error or a report that cannot be read (the message says which\n"
    "file, where in it and what is wrong).\n"
    "\n"
    "Examples:\n"
    "  SMSCONFORM_KEY=$KEY_A smsconform run --url $URL_A --json acme.json\n"
    "  SMSCONFORM_KEY=$KEY_B smsconform run --url $URL_B --json beta.json\n"
    "  smsconform compare acme.json beta.json --html compare.html\n"
    "  smsconform compare acme=out/a/report.json beta=out/b/report.json \\\n"
    "      --md \"$GITHUB_STEP_SUMMARY\"\n"
    "  smsconform run --target acme=$URL_A --target beta=$URL_B \\\n"
    "      --html compare.html   # the same in one go (see `run --help`)\n";

static int usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* The command being run, for the hint after a usage error (NULL before
 * one is known). */
static const char *current_cmd;

static int usage_error(const char *fmt, ...) {
  va_list ap;
  fprintf(stderr, "smsconform: ");
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, "\nTry 'smsconform %s%s--help'.\n",
          current_cmd ? current_cmd : "", current_cmd ? " " : "");
  return SC_EXIT_USAGE;
}

/* ------------------------------------------------------------ options
 *
 * Every command reads its options with getopt_long: `--opt value` and
 * `--opt=value`, a unique prefix of a long option, `-h`, and `--` before
 * operands that start with '-'. The option string starts with "-": operands
 * come back in order as OPT_ARG (no permutation, whatever POSIXLY_CORRECT
 * says), so `compare a.json --html F b.json` keeps its order; and ":" so
 * that a missing value is told apart from an unknown option. */

enum { OPT_END = -1, OPT_ERR = -2, OPT_ARG = 1 };

struct opts {
  const char *cmd; /* "run: " prefix of the messages, NULL for the global */
  int argc;
  char **argv; /* argv[0] is the command's name, not an option */
  const struct option *lo;
  bool rest;   /* past `--`: every argument is an operand */
};

/* Starts reading |argv| (|argc| of them, argv[0] the command's name). */
static void opts_init(struct opts *p, const char *cmd, int argc, char **argv,
                      const struct option *lo) {
  p->cmd = cmd;
  p->argc = argc;
  p->argv = argv;
  p->lo = lo;
  p->rest = false;
  optind = 0; /* glibc: a full reset, for callers that run several commands */
  opterr = 0; /* the messages are ours */
}

static const char *opt_name(const struct option *lo, int val) {
  for (; lo->name; lo++)
    if (lo->val == val)
      return lo->name;
  return NULL;
}

/* The next option's value (its `val`, 'h' for help), OPT_ARG with the
 * operand in optarg, OPT_END, or OPT_ERR with a usage error printed and
 * its exit code in *rc. */
static int opts_next(struct opts *p, int *rc) {
  const char *pre = p->cmd ? p->cmd : "", *sep = p->cmd ? ": " : "";
  if (!p->rest) {
    int c = getopt_long(p->argc, p->argv, p->cmd ? "-:h" : "+:hV", p->lo,
                        NULL);
    if (c == ':') {
      const char *n = opt_name(p->lo, optopt);
      *rc = n ? usage_error("%s%soption --%s needs a value", pre, sep, n)
              : usage_error("%s%soption -%c needs a value", pre, sep, optopt);
      return OPT_ERR;
    }
    if (c == '?') {
      const char *a = p->argv[optind - 1 < p->argc ? optind - 1 : 0];
      const char *n = optopt ? opt_name(p->lo, optopt) : NULL;
      size_t len = strcspn(a, "=");
      if (n && !strncmp(a, "--", 2)) {
        *rc = usage_error("%s%soption --%s takes no value", pre, sep, n);
        return OPT_ERR;
      }
      if (optopt && !n) {
        *rc = usage_error("%s%sunknown option -%c", pre, sep, optopt);
        return OPT_ERR;
      }
      /* unknown, or a prefix of several */
      char names[512] = "";
      size_t o = 0, hits = 0;
      for (const struct option *l = p->lo; l->name; l++)
        if (len > 2 && !strncmp(l->name, a + 2, len - 2) && o < sizeof names)
          hits++, o += (size_t)snprintf(names + o, sizeof names - o,
                                        "%s--%s", o ? ", " : "", l->name);
      *rc = hits > 1
                ? usage_error("%s%soption %.*s is ambiguous (%s)", pre, sep,
                              (int)len, a, names)
                : usage_error("%s%sunknown option %.*s", pre, sep, (int)len,
                              a);
      return OPT_ERR;
    }
    if (c != -1)
      return c;
    if (!p->cmd)
      return OPT_END; /* the global options stop at the command */
    p->rest = true; /* `--`, or the end */
  }
  if (optind >= p->argc)
    return OPT_END;
  optarg = p->argv[optind++];
  return OPT_ARG;
}

/* Appends |more| to the comma list |*acc| (freeing the old one). */
static int join_list(char **acc, const char *more) {
  size_t a = *acc ? strlen(*acc) : 0, m = strlen(more);
  char *n = sc_malloc(a + m + 2);
  if (!n)
    return -1;
  if (a)
    memcpy(n, *acc, a);
  n[a] = ',';
  memcpy(n + (a ? a + 1 : 0), more, m + 1);
  sc_free(*acc);
  *acc = n;
  return 0;
}

static void print_diag(struct sc_buf *d) {
  if (d->len)
    fputs(d->ptr, stderr);
}

static struct sc_spec *load(const char *specs_dir, const char *const *extra,
                            size_t nextra, bool quiet_ok) {
  struct sc_buf d;
  enum sc_err e;
  sc_buf_init(&d, 4u << 20);
  struct sc_spec *s = sc_spec_load(specs_dir, extra, nextra, &d, &e);
  if (!s) {
    print_diag(&d);
    fprintf(stderr, "smsconform: cannot load the spec: %s\n",
            sc_strerror(e));
  } else if (!quiet_ok) {
    print_diag(&d);
  }
  sc_buf_free(&d);
  return s;
}

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

static int cmd_list(const char *specs, int argc, char **argv) {
  const char *what = NULL, *profile = NULL;
  bool json = false;
  int rc = SC_EXIT_OK, ch;
  static const struct option lo[] = {{"help", no_argument, NULL, 'h'},
                                     {"json", no_argument, NULL, 'j'},
                                     {"profile", required_argument, NULL, 'p'},
                                     {NULL, 0, NULL, 0}};
  struct opts op;
  opts_init(&op, "list", argc, argv, lo);
  while ((ch = opts_next(&op, &rc)) != OPT_END) {
    if (ch == OPT_ERR)
      return rc;
    if (ch == 'h') {
      fputs(usage_list, stdout);
      return SC_EXIT_OK;
    } else if (ch == 'j') {
      json = true;
    } else if (ch == 'p') {
      profile = optarg;
    } else if (!what) {
      what = optarg;
    } else {
      return usage_error("list: unexpected argument %s", optarg);
    }
  }
  if (!what)
    return usage_error("list: say what to list: %s",
                       "actions, tokens, profiles, faults, checks");
  bool a = !strcmp(what, "actions"), t = !strcmp(what, "tokens"),
       p = !strcmp(what, "profiles");
  if (!strcmp(what, "faults"))
    return list_faults(json);
  bool c = !strcmp(what, "checks");
  if (!a && !t && !p && !c)
    return usage_error(
        "list: cannot list '%s' (actions, tokens, profiles, faults, checks)",
        what);
  struct sc_spec *s = load(specs, NULL, 0, true);
  if (!s)
    return SC_EXIT_FAIL;
  if (c) {
    char err[512];
    struct sc_run_opts o = {.spec = s, .profile = profile,
                            .url = "http://127.0.0.1/", .key = "-"};
    rc = sc_run_list(&o, stdout, json, err, sizeof err)
             ? usage_error("list checks: %s", err)
             : SC_EXIT_OK;
    sc_spec_destroy(s);
    return rc;
  }
  const struct sc_profile *only = NULL;
  if (profile && !(only = sc_spec_profile(s, profile))) {
    sc_spec_destroy(s);
    return usage_error("no profile '%s' (see: smsconform list profiles)",
                       profile);
  }
  rc = a ? list_actions(s, json, only)
         : t ? list_tokens(s, json) : list_profiles(s, json);
  sc_spec_destroy(s);
  return rc;
}

static int cmd_lint(const char *specs, int argc, char **argv) {
  static const struct option lo[] = {{"help", no_argument, NULL, 'h'},
                                     {NULL, 0, NULL, 0}};
  struct opts op;
  int rc = SC_EXIT_OK, c;
  size_t nfiles = 0;
  /* the operands, in order, moved to the front of argv + 1 */
  opts_init(&op, "lint", argc, argv, lo);
  while ((c = opts_next(&op, &rc)) != OPT_END) {
    if (c == OPT_ERR)
      return rc;
    if (c == 'h') {
      fputs(usage_lint, stdout);
      return SC_EXIT_OK;
    }
    argv[1 + nfiles++] = optarg;
  }
  struct sc_buf d;
  enum sc_err e;
  sc_buf_init(&d, 4u << 20);
  struct sc_spec *s =
      sc_spec_load(specs, (const char *const *)argv + 1, nfiles, &d, &e);
  print_diag(&d);
  size_t problems = 0;
  for (size_t i = 0; i < d.len; i++)
    problems += d.ptr[i] == '\n';
  sc_buf_free(&d);
  if (!s) {
    fprintf(stderr, "lint: %zu problem(s); the spec is not usable (%s)\n",
            problems, sc_strerror(e));
    return SC_EXIT_FAIL;
  }
  printf("lint: OK: %zu files, %zu actions, %zu tokens, %zu profiles\n",
         s->nfiles, s->nactions, s->ntokens, s->nprofiles);
  sc_spec_destroy(s);
  return SC_EXIT_OK;
}

static int read_body(const char *path, char **out, size_t *len) {
  FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
  *out = NULL;
  if (!f) {
    fprintf(stderr, "smsconform: parse: cannot open %s: %s\n", path,
            strerror(errno));
    return SC_EXIT_USAGE;
  }
  struct sc_buf b;
  sc_buf_init(&b, PARSE_BODY_MAX);
  char chunk[16384];
  size_t n;
  while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0 && !b.err)
    sc_buf_add(&b, chunk, n);
  bool ioerr = ferror(f);
  if (f != stdin)
    fclose(f);
  if (b.err || ioerr) {
    fprintf(stderr, "smsconform: parse: %s: %s\n", path,
            b.err == SC_BUF_E2BIG ? "body larger than 64 MiB"
                                  : (ioerr ? "read error" : "out of memory"));
    sc_buf_free(&b);
    return SC_EXIT_USAGE;
  }
  *out = sc_buf_take(&b, len);
  return *out ? SC_EXIT_OK : SC_EXIT_FAIL;
}

/* Prints |r| as JSON; span values are escaped (they are endpoint bytes). */
static int print_result(const struct sc_input *in, const struct sc_result *r,
                        const struct sc_spec *s) {
  struct sc_buf b;
  sc_buf_init(&b, PARSE_BODY_MAX);
  sc_buf_adds(&b, "{\n  \"action\": \"");
  sc_escape_json(&b, in->action, strlen(in->action));
  sc_buf_adds(&b, "\",\n  \"profile\": \"");
  const char *prof = in->profile ? in->profile : s->reference->name;
  sc_escape_json(&b, prof, strlen(prof));
  sc_buf_printf(&b, "\",\n  \"kind\": \"%s\",\n  \"verdict\": \"%s\",\n",
                sc_kind_name(r->kind), sc_verdict_name(r->verdict));
  if (r->token)
    sc_buf_printf(&b, "  \"token\": \"%s\",\n  \"token_kind\": \"%s\",\n",
                  sc_token_name(r->token), sc_token_kind(r->token));
  else
    sc_buf_adds(&b, "  \"token\": null,\n");
  sc_buf_adds(&b, "  \"fields\": {");
  for (size_t i = 0; i < r->nfields; i++) {
    sc_buf_printf(&b, "%s\n    \"%s\": \"", i ? "," : "", r->fields[i].name);
    sc_escape_json(&b, r->fields[i].value.ptr, r->fields[i].value.len);
    sc_buf_addc(&b, '"');
  }
  sc_buf_adds(&b, r->nfields ? "\n  },\n" : "},\n");
  sc_buf_printf(&b, "  \"form\": %d,\n  \"deviations\": [", r->form);
  for (size_t i = 0; i < r->ndevs; i++) {
    const struct sc_deviation *d = &r->devs[i];
    sc_buf_printf(&b,
                  "%s\n    {\"code\": \"%s\", \"verdict\": \"%s\", "
                  "\"offset\": %zu, \"message\": \"",
                  i ? "," : "", sc_dev_name(d->code),
                  sc_verdict_name(d->verdict), d->offset);
    sc_escape_json(&b, d->message, strlen(d->message));
    sc_buf_adds(&b, "\"}");
  }
  sc_buf_printf(&b, "%s],\n  \"deviations_dropped\": %zu\n}\n",
                r->ndevs ? "\n  " : "", r->ndevs_dropped);
  if (b.err) {
    sc_buf_free(&b);
    fprintf(stderr, "smsconform: out of memory\n");
    return SC_EXIT_FAIL;
  }
  fwrite(b.ptr, 1, b.len, stdout);
  sc_buf_free(&b);
  return SC_EXIT_OK;
}

static int cmd_parse(const char *specs, int argc, char **argv) {
  struct sc_input in;
  memset(&in, 0, sizeof(in));
  const char *file = NULL, *status = NULL;
  int rc = SC_EXIT_OK, c;
  static const struct option lo[] = {
      {"help", no_argument, NULL, 'h'},
      {"action", required_argument, NULL, 'a'},
      {"profile", required_argument, NULL, 'p'},
      {"status", required_argument, NULL, 's'},
      {"content-type", required_argument, NULL, 't'},
      {NULL, 0, NULL, 0}};
  struct opts op;
  opts_init(&op, "parse", argc, argv, lo);
  while ((c = opts_next(&op, &rc)) != OPT_END) {
    if (c == OPT_ERR)
      return rc;
    if (c == 'h') {
      fputs(usage_parse, stdout);
      return SC_EXIT_OK;
    } else if (c == 'a') {
      in.action = optarg;
    } else if (c == 'p') {
      in.profile = optarg;
    } else if (c == 's') {
      status = optarg;
    } else if (c == 't') {
      in.content_type = optarg;
    } else if (!file) {
      file = optarg;
    } else {
      return usage_error("parse: more than one input: %s", optarg);
    }
  }
  if (!in.action)
    return usage_error("parse: %s is required", "--action NAME");
  if (status) {
    char *end;
    long v = strtol(status, &end, 10);
    if (*end || v < 100 || v > 999)
      return usage_error("parse: --status takes an HTTP status, not '%s'",
                         status);
    in.http_status = (int)v;
  }
  struct sc_spec *s = load(specs, NULL, 0, true);
  if (!s)
    return SC_EXIT_FAIL;
  char *body = NULL;
  size_t len = 0;
  rc = read_body(file ? file : "-", &body, &len);
  if (rc) {
    sc_spec_destroy(s);
    return rc;
  }
  in.body = body;
  in.body_len = len;
  struct sc_result r;
  enum sc_err e = sc_parse(s, &in, &r);
  if (e == SC_ERR_NO_ACTION) {
    rc = usage_error("parse: no action '%s' (see: smsconform list actions)",
                     in.action);
  } else if (e == SC_ERR_NO_PROFILE) {
    rc = usage_error("parse: no profile '%s' (see: smsconform list profiles)",
                     in.profile);
  } else if (e == SC_ERR_NOT_IN_PROFILE) {
    rc = usage_error("parse: the profile does not offer action '%s' "
                     "(see: smsconform list actions --profile P)",
                     in.action);
  } else if (e) {
    fprintf(stderr, "smsconform: parse: %s\n", sc_strerror(e));
    rc = SC_EXIT_FAIL;
  } else {
    rc = print_result(&in, &r, s);
    if (!rc && r.verdict >= SC_VERDICT_FAIL)
      rc = SC_EXIT_FAIL;
  }
  sc_result_free(&r);
  sc_free(body);
  sc_spec_destroy(s);
  return rc;
}

static int cmd_serve(const char *specs, int argc, char **argv) {
  struct sc_sim_config cfg = {.host = "127.0.0.1",
                              .keys = "test-key:100,test-key-2:100",
                              .seed = 1,
                              .early_cancel_seconds = -1};
  const char *port = NULL, *seed = NULL, *rate = NULL, *stock = NULL;
  char *faults = NULL, *actions = NULL;
  int rc = SC_EXIT_OK, c;
  static const struct option lo[] = {
      {"help", no_argument, NULL, 'h'},
      {"host", required_argument, NULL, 'H'},
      {"port", required_argument, NULL, 'P'},
      {"keys", required_argument, NULL, 'k'},
      {"profile", required_argument, NULL, 'p'},
      {"rate-limit", required_argument, NULL, 'r'},
      {"stock", required_argument, NULL, 's'},
      {"seed", required_argument, NULL, 'S'},
      {"fault", required_argument, NULL, 'f'},
      {"actions", required_argument, NULL, 'a'},
      {NULL, 0, NULL, 0}};
  struct opts op;
  opts_init(&op, "serve", argc, argv, lo);
  while ((c = opts_next(&op, &rc)) != OPT_END) {
    switch (c) {
    case OPT_ERR:
      goto out;
    case 'h':
      fputs(usage_serve, stdout);
      goto out;
    case 'H': cfg.host = optarg; break;
    case 'P': port = optarg; break;
    case 'k': cfg.keys = optarg; break;
    case 'p': cfg.profile = optarg; break;
    case 'r': rate = optarg; break;
    case 's': stock = optarg; break;
    case 'S': seed = optarg; break;
    case 'f':
    case 'a':
      if (join_list(c == 'f' ? &faults : &actions, optarg)) {
        rc = usage_error("out of memory");
        goto out;
      }
      break;
    default:
      rc = usage_error("serve: unexpected argument %s", optarg);
      goto out;
    }
  }
  char *end;
  if (port) {
    unsigned long v = strtoul(port, &end, 10);
    if (*end || !*port || v > 65535) {
      rc = usage_error("serve: --port takes 0..65535, not '%s'", port);
      goto out;
    }
    cfg.port = (unsigned)v;
  }
  if (seed) {
    cfg.seed = strtoul(seed, &end, 10);
    if (*end || !*seed) {
      rc = usage_error("serve: --seed takes a number, not '%s'", seed);
      goto out;
    }
  }
  if (rate) {
    unsigned long v = strtoul(rate, &end, 10);
    if (*end || !*rate || v == 0 || v > 1000000) {
      rc = usage_error("serve: --rate-limit takes 1..1000000, not '%s'", rate);
      goto out;
    }
    cfg.rate_limit = (unsigned)v;
  }
  /* a suite run without --control cannot reset the stock between checks:
   * serve enough numbers for one (the tests' default is 10) */
  cfg.stock = 1000;
  if (stock) {
    unsigned long v = strtoul(stock, &end, 10);
    if (*end || !*stock || v == 0 || v > 1000000) {
      rc = usage_error("serve: --stock takes 1..1000000, not '%s'", stock);
      goto out;
    }
    cfg.stock = (unsigned)v;
  }
  cfg.faults = faults;
  cfg.actions = actions;
  struct sc_spec *spec = NULL;
  if (specs && !(spec = load(specs, NULL, 0, true))) {
    rc = SC_EXIT_FAIL;
    goto out;
  }
  cfg.spec = spec;
  /* Block the signals before the server's threads start, so that only
   * sigwait() below sees them. */
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  char err[256];
  struct sc_sim *sim = sc_sim_new(&cfg, err, sizeof(err));
  if (!sim) {
    fprintf(stderr, "smsconform: serve: %s\n", err);
    sc_spec_destroy(spec);
    rc = SC_EXIT_USAGE;
    goto out;
  }
  if (sc_sim_is_rest(sim))
    printf("rest: http://%s:%u/api/v1\n", cfg.host, sc_sim_port(sim));
  else
    printf("handler: http://%s:%u/stubs/handler_api.php\n", cfg.host,
           sc_sim_port(sim));
  printf("control: http://%s:%u/control\n", cfg.host, sc_sim_port(sim));
  printf("profile: %s\n", sc_sim_profile(sim));
  fflush(stdout);
  int sig = 0;
  sigwait(&set, &sig);
  fprintf(stderr, "smsconform: serve: stopping on signal %d\n", sig);
  sc_sim_destroy(sim);
  sc_spec_destroy(spec);
out:
  sc_free(faults);
  sc_free(actions);
  return rc;
}


/* Reads a key from |path|: the first line, without surrounding space. */
static char *read_key_file(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f)
    return NULL;
  char buf[512];
  char *line = fgets(buf, sizeof buf, f);
  fclose(f);
  if (!line)
    return NULL;
  size_t n = strcspn(buf, "\r\n");
  buf[n] = '\0';
  char *p = buf;
  while (*p == ' ' || *p == '\t')
    p++;
  n = strlen(p);
  while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
    p[--n] = '\0';
  return n ? sc_strdup(p) : NULL;
}

struct report_out {
  const char *path;
  int (*write)(const struct sc_report *, FILE *);
  const char *name; /* file name inside --report-dir */
};

/* One output file of |cmd|, all or nothing (sc_save_open): a writer that
 * fails leaves no half file, and an older file of that name as it was.
 * |fn| writes it; it returns non-zero on failure. */
static int save_output(const char *cmd, const char *path,
                       int (*fn)(FILE *f, const void *arg), const void *arg) {
  char err[4200];
  struct sc_save sv;
  FILE *f = sc_save_open(&sv, path, err, sizeof err);
  int rc = -1;
  if (f) {
    errno = 0;
    int ok = fn(f, arg) == 0;
    if (!ok && !errno)
      errno = EIO; /* the writer failed without a system error */
    rc = sc_save_close(&sv, f, ok, err, sizeof err);
  }
  if (rc)
    fprintf(stderr, "smsconform: %s: %s\n", cmd, err);
  return rc;
}

struct report_job {
  const struct sc_report *rep;
  int (*fn)(const struct sc_report *, FILE *);
};

static int report_job_write(FILE *f, const void *arg) {
  const struct report_job *j = arg;
  return j->fn(j->rep, f);
}

static int write_report(const struct sc_report *rep, const char *path,
                        int (*fn)(const struct sc_report *, FILE *)) {
  struct report_job j = {rep, fn};
  return save_output("run", path, report_job_write, &j);
}

/* Prints at most |max| bytes of |s| with every control character shown as
 * \xNN (sc_escape_controls), so that nothing from an endpoint can drive
 * the terminal. */
static void put_safe(FILE *out, const char *s, size_t max) {
  size_t n = s ? strnlen(s, max) : 0;
  struct sc_buf b;
  sc_buf_init(&b, 4 * max + 1);
  sc_escape_controls(&b, s, n, NULL);
  if (b.len)
    fwrite(b.ptr, 1, b.len, out);
  sc_buf_free(&b);
}

/* "smsconform: |cmd|: |msg|" on stderr, |msg| through put_safe: it may
 * quote what an endpoint or libcurl said. */
static void err_safe(const char *cmd, const char *msg) {
  fprintf(stderr, "smsconform: %s: ", cmd);
  put_safe(stderr, msg, 2048);
  fputc('\n', stderr);
}

/* --baseline FILE: marks the known failures; with --update-baseline the
 * file is first rewritten with the failures of this run. */
static int apply_baseline(struct sc_report *rep, const char *path,
                          bool update) {
  char err[512];
  if (update) {
    long n = sc_baseline_write(rep, path, err, sizeof err);
    if (n < 0) {
      fprintf(stderr, "smsconform: run: %s\n", err);
      return -1;
    }
    fprintf(stderr, "smsconform: run: wrote %ld known failures to %s\n", n,
            path);
  }
  size_t unknown = 0;
  if (sc_baseline_apply(rep, path, &unknown, err, sizeof err)) {
    fprintf(stderr, "smsconform: run: --baseline: %s\n", err);
    return -1;
  }
  if (unknown)
    fprintf(stderr,
            "smsconform: run: %zu baseline entries name no check of this "
            "run (renamed, or filtered out by --only/--skip/--tier)\n",
            unknown);
  return 0;
}

/* ------------------------------------------------------------ compare */

struct compare_job {
  const struct sc_compare *c;
  int (*fn)(const struct sc_compare *, FILE *, unsigned);
  unsigned flags;
};

static int compare_job_write(FILE *f, const void *arg) {
  const struct compare_job *j = arg;
  return j->fn(j->c, f, j->flags);
}

static int write_compare(const struct sc_compare *c, const char *cmd,
                         const char *path,
                         int (*fn)(const struct sc_compare *, FILE *, unsigned),
                         unsigned flags) {
  struct compare_job j = {c, fn, flags};
  return save_output(cmd, path, compare_job_write, &j);
}

/* The comparison's outputs: --json, --md, --html (NULL = not asked). 0, or
 * -1 when one could not be written. */
static int write_compares(const struct sc_compare *c, const char *cmd,
                          const char *json, const char *md, const char *html,
                          unsigned flags) {
  int rc = 0;
  if (json && write_compare(c, cmd, json, sc_compare_json, flags))
    rc = -1;
  if (md && write_compare(c, cmd, md, sc_compare_markdown, flags))
    rc = -1;
  if (html && write_compare(c, cmd, html, sc_compare_html, flags))
    rc = -1;
  return rc;
}

/* The column name of a report file: the file's name without .json, or
 * its directory's for a report.json written by --report-dir. */
static void default_name(const char *path, char *out, size_t len) {
  const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
  size_t n = strlen(base);
  if (n > 5 && strcmp(base + n - 5, ".json") == 0)
    n -= 5;
  if (n == 6 && strncmp(base, "report", 6) == 0 && base - path >= 2) {
    const char *end = base - 1, *start = end;
    while (start > path && start[-1] != '/')
      start--;
    if (end > start) {
      snprintf(out, len, "%.*s", (int)(end - start), start);
      return;
    }
  }
  snprintf(out, len, "%.*s", (int)n, base);
}

static int cmd_compare(int argc, char **argv) {
  const char *json = NULL, *md = NULL, *html = NULL;
  const char *files[SC_COMPARE_MAX_VENDORS];
  size_t nfiles = 0;
  bool stable = false, quiet = false;
  struct sc_compare *c = NULL;
  int rc = SC_EXIT_OK, ch;
  static const struct option lo[] = {{"help", no_argument, NULL, 'h'},
                                     {"stable", no_argument, NULL, 's'},
                                     {"quiet", no_argument, NULL, 'q'},
                                     {"json", required_argument, NULL, 'j'},
                                     {"md", required_argument, NULL, 'm'},
                                     {"html", required_argument, NULL, 'H'},
                                     {NULL, 0, NULL, 0}};
  struct opts op;
  opts_init(&op, "compare", argc, argv, lo);
  while ((ch = opts_next(&op, &rc)) != OPT_END) {
    switch (ch) {
    case OPT_ERR: return rc;
    case 'h': fputs(usage_compare, stdout); return SC_EXIT_OK;
    case 's': stable = true; break;
    case 'q': quiet = true; break;
    case 'j': json = optarg; break;
    case 'm': md = optarg; break;
    case 'H': html = optarg; break;
    default:
      if (nfiles == SC_COMPARE_MAX_VENDORS)
        return usage_error("compare: more than %d reports",
                           SC_COMPARE_MAX_VENDORS);
      files[nfiles++] = optarg;
    }
  }
  if (!nfiles)
    return usage_error("compare: give the JSON reports to compare (`run "
                       "--json F` writes one)");
  if (!(c = sc_compare_new()))
    return usage_error("out of memory");
  for (size_t i = 0; i < nfiles; i++) {
    char name[SC_COMPARE_NAME_MAX * 4], err[512];
    const char *path = files[i], *eq = strchr(files[i], '=');
    struct sc_report rep;
    struct stat st;
    /* NAME=FILE, unless the whole argument is a file */
    if (eq && stat(files[i], &st) != 0) {
      snprintf(name, sizeof name, "%.*s", (int)(eq - files[i]), files[i]);
      path = eq + 1;
    } else {
      default_name(path, name, sizeof name);
    }
    if (sc_compare_load(path, &rep, err, sizeof err)) {
      fprintf(stderr, "smsconform: compare: %s: %s\n", path, err);
      rc = SC_EXIT_USAGE;
      goto out;
    }
    if (sc_compare_add(c, name, NULL, NULL, &rep, err, sizeof err)) {
      fprintf(stderr, "smsconform: compare: %s: %s\n", files[i], err);
      rc = SC_EXIT_USAGE;
      goto out;
    }
  }
  if (write_compares(c, "compare", json, md, html,
                     stable ? SC_COMPARE_STABLE : 0))
    rc = SC_EXIT_FAIL;
  if (!quiet)
    sc_compare_console(c, stdout);
out:
  sc_compare_destroy(c);
  return rc;
}

/* ---------------------------------------------------------- --target */

#define MAX_TARGETS 32

/* One --target NAME=URL[,control=URL][,profile=P][,fault=F+G]. */
struct target {
  char name[SC_COMPARE_NAME_MAX + 1];
  char *buf; /* the argument after NAME=, cut at its keys */
  const char *url, *control, *profile;
  char *fault;         /* F+G as given, then F,G */
  const char *dialect; /* URL sim[:DIALECT]: the built-in simulator */
  char env[sizeof "SMSCONFORM_KEY2_" + SC_COMPARE_NAME_MAX];
  char env2[sizeof "SMSCONFORM_KEY2_" + SC_COMPARE_NAME_MAX];
};

/* Parses |arg| into |t|; 0, or a usage error's exit code. */
static int parse_target(const char *arg, struct target *t) {
  static const char *const keys[] = {"control=", "profile=", "fault="};
  const char *eq = strchr(arg, '=');
  size_t n = eq ? (size_t)(eq - arg) : 0;

  memset(t, 0, sizeof *t);
  if (!eq || !n || n > SC_COMPARE_NAME_MAX || arg[0] == '.' ||
      strspn(arg, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                  "0123456789._-") != n)
    return usage_error("run: --target takes NAME=URL[,control=URL]"
                       "[,profile=P]: NAME of letters, digits, '.', '_', "
                       "'-' (at most %d, not starting with '.'), not '%s'",
                       SC_COMPARE_NAME_MAX, arg);
  memcpy(t->name, arg, n);
  /* SMSCONFORM_KEY_<NAME>: upper case, anything but A-Z0-9 as _ */
  strcpy(t->env, "SMSCONFORM_KEY_");
  strcpy(t->env2, "SMSCONFORM_KEY2_");
  for (size_t k = 0; k < n; k++) {
    char ch = arg[k];
    ch = ch >= 'a' && ch <= 'z' ? (char)(ch - 'a' + 'A')
         : (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ? ch
                                                                : '_';
    t->env[15 + k] = ch;
    t->env2[16 + k] = ch;
  }
  if (!(t->buf = sc_strdup(eq + 1)))
    return usage_error("out of memory");
  t->url = t->buf;
  /* a comma followed by word= starts a key */
  for (char *p = strchr(t->buf, ','); p; p = strchr(p + 1, ',')) {
    size_t w = strspn(p + 1, "abcdefghijklmnopqrstuvwxyz");
    if (!w || p[1 + w] != '=')
      continue;
    size_t k = 0;
    while (k < 3 && strncmp(p + 1, keys[k], strlen(keys[k])) != 0)
      k++;
    if (k == 3)
      return usage_error("run: --target %s: unknown key '%.*s' (control, "
                         "profile, fault)",
                         t->name, (int)w, p + 1);
    *p = '\0';
    if (k == 0)
      t->control = p + 1 + strlen(keys[k]);
    else if (k == 1)
      t->profile = p + 1 + strlen(keys[k]);
    else
      t->fault = p + 1 + strlen(keys[k]);
  }
  if (!*t->url)
    return usage_error("run: --target %s: no URL", t->name);
  if (!strcmp(t->url, "sim") || !strncmp(t->url, "sim:", 4)) {
    t->dialect = t->url[3] ? t->url + 4 : NULL;
    if (t->control)
      return usage_error("run: --target %s: the built-in simulator brings "
                         "its own control endpoint",
                         t->name);
  } else if (strncmp(t->url, "http://", 7) && strncmp(t->url, "https://", 8)) {
    return usage_error("run: --target %s: '%s' is not an http(s) URL nor "
                       "sim[:DIALECT]",
                       t->name, t->url);
  } else if (t->fault) {
    return usage_error("run: --target %s: fault= applies to the built-in "
                       "simulator (sim[:DIALECT]) only",
                       t->name);
  }
  if (t->fault)
    for (char *p = t->fault; *p; p++)
      if (*p == '+')
        *p = ',';
  return 0;
}

/* Runs every target in turn and compares them. |o| holds the options
 * common to all; |outs| the --json, --md and --html paths (the
 * comparison). Returns the exit code. */
static int run_targets(const struct sc_spec *spec,
                       const struct sc_run_opts *base, struct target *t,
                       size_t n, const char *json, const char *md,
                       const char *html, const char *report_dir, unsigned flags,
                       bool quiet) {
  static const struct report_out per[] = {
      {NULL, sc_report_junit, "junit.xml"},
      {NULL, sc_report_json, "report.json"},
      {NULL, sc_report_tap, "report.tap"},
      {NULL, sc_report_markdown, "report.md"},
      {NULL, sc_report_html, "report.html"},
  };
  const char *run_profile =
      base->profile ? base->profile : spec->reference->name;
  struct sc_compare *cmp = sc_compare_new();
  bool unreachable = false, failed = false;
  int rc = SC_EXIT_OK;
  char err[512];

  if (!cmp)
    return usage_error("out of memory");
  /* everything that can be wrong is said before the first run */
  for (size_t i = 0; i < n; i++) {
    const char *p = t[i].profile ? t[i].profile : run_profile;
    for (size_t k = 0; k < i; k++)
      if (!strcmp(t[k].env, t[i].env)) {
        rc = usage_error("run: targets '%s' and '%s' both read their key "
                         "from %s: rename one",
                         t[k].name, t[i].name, t[i].env);
        goto out;
      }
    if (!sc_spec_profile(spec, p)) {
      rc = usage_error("run: --target %s: no profile '%s' (see: smsconform "
                       "list profiles)",
                       t[i].name, p);
      goto out;
    }
    if (t[i].dialect && !sc_spec_profile(spec, t[i].dialect)) {
      rc = usage_error("run: --target %s: no dialect '%s' (see: smsconform "
                       "list profiles)",
                       t[i].name, t[i].dialect);
      goto out;
    }
    const char *key = getenv(t[i].env);
    if (!t[i].dialect && strcmp(t[i].url, "sim") != 0 && !(key && *key)) {
      rc = usage_error("run: --target %s: no API key: set %s (a key in "
                       "argv would show in ps)",
                       t[i].name, t[i].env);
      goto out;
    }
  }
  if (report_dir && mkdir(report_dir, 0777) && errno != EEXIST) {
    fprintf(stderr, "smsconform: run: cannot create %s: %s\n", report_dir,
            strerror(errno));
    rc = SC_EXIT_FAIL;
    goto out;
  }
  for (size_t i = 0; i < n; i++) {
    struct sc_run_opts o = *base;
    struct sc_sim *sim = NULL;
    struct sc_report rep;
    char url[256], ctl[256], note[160];
    const char *dialect = NULL;
    bool is_sim = t[i].dialect || !strcmp(t[i].url, "sim");

    o.profile = t[i].profile ? t[i].profile : run_profile;
    o.url = t[i].url;
    o.control = t[i].control;
    o.key = getenv(t[i].env);
    o.key2 = getenv(t[i].env2) && *getenv(t[i].env2) ? getenv(t[i].env2) : NULL;
    note[0] = '\0';
    if (is_sim) {
      dialect = t[i].dialect ? t[i].dialect : o.profile;
      struct sc_sim_config cfg = {.keys = "smsconform-k1:100,"
                                          "smsconform-k2:100",
                                  .seed = 1,
                                  .early_cancel_seconds = -1,
                                  .profile = dialect,
                                  .faults = t[i].fault,
                                  .spec = spec};
      if (!(sim = sc_sim_new(&cfg, err, sizeof err))) {
        rc = usage_error("run: --target %s: cannot start the simulator: %s",
                         t[i].name, err);
        goto out;
      }
      snprintf(url, sizeof url, "http://127.0.0.1:%u%s", sc_sim_port(sim),
               sc_sim_is_rest(sim) ? "/api/v1" : "/stubs/handler_api.php");
      snprintf(ctl, sizeof ctl, "http://127.0.0.1:%u/control",
               sc_sim_port(sim));
      snprintf(note, sizeof note, "the built-in simulator%s%s",
               t[i].fault ? ", with faults " : "",
               t[i].fault ? t[i].fault : "");
      o.url = url;
      o.control = ctl;
      o.key = "smsconform-k1";
      o.key2 = "smsconform-k2";
    }
    o.progress = !quiet && isatty(STDERR_FILENO) ? stderr : NULL;
    int r = sc_run(&o, &rep, err, sizeof err);
    sc_sim_destroy(sim);
    if (r != SC_RUN_OK) {
      fprintf(stderr, "smsconform: run: %s: ", t[i].name);
      put_safe(stderr, err, 2048);
      fputc('\n', stderr);
    }
    if (r == SC_RUN_UNREACHABLE) {
      sc_report_free(&rep);
      unreachable = true;
      continue;
    }
    if (r != SC_RUN_OK) {
      rc = SC_EXIT_USAGE;
      goto out;
    }
    /* the reference's checks against another dialect: what that
     * dialect's document does not describe is unsupported */
    if (is_sim && strcmp(dialect, o.profile) != 0)
      sc_compare_keep_documented(&rep, spec, dialect);
    if (report_dir) {
      char dir[4096];
      int dl = snprintf(dir, sizeof dir, "%s/%s", report_dir, t[i].name);
      if (dl < 0 || (size_t)dl >= sizeof dir - 32) {
        fprintf(stderr, "smsconform: run: --report-dir: path too long\n");
        failed = true;
      } else if (mkdir(dir, 0777) && errno != EEXIST) {
        fprintf(stderr, "smsconform: run: cannot create %s: %s\n", dir,
                strerror(errno));
        failed = true;
      } else {
        for (size_t k = 0; k < sizeof per / sizeof *per; k++) {
          char path[4096];
          if (snprintf(path, sizeof path, "%s/%s", dir, per[k].name) < 0)
            continue;
          if (write_report(&rep, path, per[k].write))
            failed = true;
        }
      }
    }
    if (sc_report_blockers(&rep))
      failed = true;
    if (!quiet)
      fprintf(stderr,
              "smsconform: run: %s: %s, %zu checks, %lu requests, "
              "%.2f s\n",
              t[i].name, sc_report_blockers(&rep) ? "FAIL" : "PASS",
              rep.nresults, rep.requests, rep.seconds);
    if (sc_compare_add(cmp, t[i].name, note[0] ? note : NULL,
                       is_sim ? dialect : NULL, &rep, err, sizeof err)) {
      fprintf(stderr, "smsconform: run: %s: %s\n", t[i].name, err);
      rc = SC_EXIT_FAIL;
      goto out;
    }
  }
  if (write_compares(cmp, "run", json, md, html, flags))
    failed = true;
  if (report_dir) {
    char pj[4096], pm[4096], ph[4096];
    if (snprintf(pj, sizeof pj, "%s/compare.json", report_dir) < 0 ||
        snprintf(pm, sizeof pm, "%s/compare.md", report_dir) < 0 ||
        snprintf(ph, sizeof ph, "%s/compare.html", report_dir) < 0 ||
        write_compares(cmp, "run", pj, pm, ph, flags))
      failed = true;
  }
  if (!quiet)
    sc_compare_console(cmp, stdout);
  rc = unreachable ? SC_EXIT_UNREACHABLE : failed ? SC_EXIT_FAIL : SC_EXIT_OK;
out:
  sc_compare_destroy(cmp);
  return rc;
}

/* ---------------------------------------------------------------- run */

/* Everything `run` was told, as given, then checked by run_args_check. */
struct run_args {
  struct sc_run_opts o;
  const char *key_file, *key2_file, *jobs, *timeout, *rate, *spend, *tier,
      *budget, *report_dir, *baseline, *record_dir, *replay_dir, *actions,
      *allow_wait, *price;
  struct report_out outs[5]; /* --junit, --json, --tap, --md, --html */
  const char *only[64], *skip[64];
  const char *action_list[129];
  size_t nonly, nskip, ntargets;
  struct target targets[MAX_TARGETS];
  bool help, list, quiet, update_baseline, stable;
  char *faults;      /* every --fault, joined by commas */
  char *actions_buf; /* --actions cut into action_list */
};

enum {
  RUN_URL = 256, RUN_CONTROL, RUN_PROFILE, RUN_KEY_FILE, RUN_KEY2_FILE,
  RUN_JOBS, RUN_TIMEOUT, RUN_RATE, RUN_MAX_SPEND, RUN_ACTIONS,
  RUN_ALLOW_WAIT, RUN_PRICE, RUN_TIER, RUN_BUDGET, RUN_SERVICE, RUN_COUNTRY,
  RUN_REPORT_DIR, RUN_BASELINE, RUN_RECORD, RUN_REPLAY, RUN_JUNIT, RUN_JSON,
  RUN_TAP, RUN_MD, RUN_HTML, RUN_ONLY, RUN_SKIP, RUN_FAULT, RUN_TARGET,
  RUN_LIST, RUN_STRICT, RUN_QUIET, RUN_UPDATE_BASELINE, RUN_STABLE
};

static const struct option run_options[] = {
    {"help", no_argument, NULL, 'h'},
    {"url", required_argument, NULL, RUN_URL},
    {"control", required_argument, NULL, RUN_CONTROL},
    {"profile", required_argument, NULL, RUN_PROFILE},
    {"key-file", required_argument, NULL, RUN_KEY_FILE},
    {"key2-file", required_argument, NULL, RUN_KEY2_FILE},
    {"jobs", required_argument, NULL, RUN_JOBS},
    {"timeout", required_argument, NULL, RUN_TIMEOUT},
    {"rate", required_argument, NULL, RUN_RATE},
    {"max-spend", required_argument, NULL, RUN_MAX_SPEND},
    {"actions", required_argument, NULL, RUN_ACTIONS},
    {"allow-wait", required_argument, NULL, RUN_ALLOW_WAIT},
    {"price", required_argument, NULL, RUN_PRICE},
    {"tier", required_argument, NULL, RUN_TIER},
    {"budget", required_argument, NULL, RUN_BUDGET},
    {"service", required_argument, NULL, RUN_SERVICE},
    {"country", required_argument, NULL, RUN_COUNTRY},
    {"report-dir", required_argument, NULL, RUN_REPORT_DIR},
    {"baseline", required_argument, NULL, RUN_BASELINE},
    {"record", required_argument, NULL, RUN_RECORD},
    {"replay", required_argument, NULL, RUN_REPLAY},
    {"junit", required_argument, NULL, RUN_JUNIT},
    {"json", required_argument, NULL, RUN_JSON},
    {"tap", required_argument, NULL, RUN_TAP},
    {"md", required_argument, NULL, RUN_MD},
    {"html", required_argument, NULL, RUN_HTML},
    {"only", required_argument, NULL, RUN_ONLY},
    {"skip", required_argument, NULL, RUN_SKIP},
    {"fault", required_argument, NULL, RUN_FAULT},
    {"target", required_argument, NULL, RUN_TARGET},
    {"list", no_argument, NULL, RUN_LIST},
    {"strict", no_argument, NULL, RUN_STRICT},
    {"quiet", no_argument, NULL, RUN_QUIET},
    {"update-baseline", no_argument, NULL, RUN_UPDATE_BASELINE},
    {"stable", no_argument, NULL, RUN_STABLE},
    {NULL, 0, NULL, 0}};

static void run_args_init(struct run_args *a) {
  static const struct report_out outs[] = {
      {NULL, sc_report_junit, "junit.xml"},
      {NULL, sc_report_json, "report.json"},
      {NULL, sc_report_tap, "report.tap"},
      {NULL, sc_report_markdown, "report.md"},
      {NULL, sc_report_html, "report.html"},
  };
  memset(a, 0, sizeof *a);
  memcpy(a->outs, outs, sizeof outs);
  a->o.only = a->only;
  a->o.skip = a->skip;
}

static void run_args_free(struct run_args *a) {
  for (size_t k = 0; k < a->ntargets; k++)
    sc_free(a->targets[k].buf);
  sc_free(a->faults);
  free(a->actions_buf);
}

/* --target V: one more target; 0 or a usage error's exit code. */
static int run_add_target(struct run_args *a, const char *v) {
  int rc;
  if (a->ntargets == MAX_TARGETS)
    return usage_error("run: more than %d --target", MAX_TARGETS);
  if ((rc = parse_target(v, &a->targets[a->ntargets++])))
    return rc;
  for (size_t k = 0; k + 1 < a->ntargets; k++)
    if (!strcmp(a->targets[k].name, a->targets[a->ntargets - 1].name))
      return usage_error("run: two targets are named '%s'",
                         a->targets[k].name);
  return 0;
}

/* The option |c| with value |v| into |a|; 0 or an exit code. */
static int run_set(struct run_args *a, int c, const char *v) {
  /* options that only keep their value */
  const char **slot[] = {
      [RUN_URL - RUN_URL] = &a->o.url,
      [RUN_CONTROL - RUN_URL] = &a->o.control,
      [RUN_PROFILE - RUN_URL] = &a->o.profile,
      [RUN_KEY_FILE - RUN_URL] = &a->key_file,
      [RUN_KEY2_FILE - RUN_URL] = &a->key2_file,
      [RUN_JOBS - RUN_URL] = &a->jobs,
      [RUN_TIMEOUT - RUN_URL] = &a->timeout,
      [RUN_RATE - RUN_URL] = &a->rate,
      [RUN_MAX_SPEND - RUN_URL] = &a->spend,
      [RUN_ACTIONS - RUN_URL] = &a->actions,
      [RUN_ALLOW_WAIT - RUN_URL] = &a->allow_wait,
      [RUN_PRICE - RUN_URL] = &a->price,
      [RUN_TIER - RUN_URL] = &a->tier,
      [RUN_BUDGET - RUN_URL] = &a->budget,
      [RUN_SERVICE - RUN_URL] = &a->o.service,
      [RUN_COUNTRY - RUN_URL] = &a->o.country,
      [RUN_REPORT_DIR - RUN_URL] = &a->report_dir,
      [RUN_BASELINE - RUN_URL] = &a->baseline,
      [RUN_RECORD - RUN_URL] = &a->record_dir,
      [RUN_REPLAY - RUN_URL] = &a->replay_dir,
      [RUN_JUNIT - RUN_URL] = &a->outs[0].path,
      [RUN_JSON - RUN_URL] = &a->outs[1].path,
      [RUN_TAP - RUN_URL] = &a->outs[2].path,
      [RUN_MD - RUN_URL] = &a->outs[3].path,
      [RUN_HTML - RUN_URL] = &a->outs[4].path,
  };
  if (c >= RUN_URL && c <= RUN_HTML) {
    *slot[c - RUN_URL] = v;
    return 0;
  }
  switch (c) {
  case 'h': a->help = true; return 0;
  case RUN_LIST: a->list = true; return 0;
  case RUN_STRICT: a->o.strict = 1; return 0;
  case RUN_QUIET: a->quiet = true; return 0;
  case RUN_UPDATE_BASELINE: a->update_baseline = true; return 0;
  case RUN_STABLE: a->stable = true; return 0;
  case RUN_TARGET: return run_add_target(a, v);
  case RUN_ONLY:
  case RUN_SKIP: {
    size_t *n = c == RUN_ONLY ? &a->nonly : &a->nskip;
    if (*n == 63)
      return usage_error("run: too many --%s",
                         c == RUN_ONLY ? "only" : "skip");
    (c == RUN_ONLY ? a->only : a->skip)[(*n)++] = v;
    return 0;
  }
  case RUN_FAULT:
    return join_list(&a->faults, v) ? usage_error("out of memory") : 0;
  default:
    return usage_error("run: unexpected argument %s", v);
  }
}

/* Reads the command line into |a|; 0 or an exit code. */
static int run_args_parse(struct run_args *a, int argc, char **argv) {
  struct opts op;
  int c, rc = 0;
  opts_init(&op, "run", argc, argv, run_options);
  while (!a->help && (c = opts_next(&op, &rc)) != OPT_END)
    if (c == OPT_ERR || (rc = run_set(a, c, optarg)))
      return rc;
  return 0;
}

/* The numbers among the options, into a->o; 0 or an exit code. */
static int run_args_numbers(struct run_args *a) {
  struct sc_run_opts *o = &a->o;
  char *end;
  if (a->jobs && ((o->jobs = (unsigned)strtoul(a->jobs, &end, 10)) < 1 ||
                  o->jobs > 64 || *end))
    return usage_error("run: --jobs takes 1..64, not '%s'", a->jobs);
  if (a->timeout) {
    double t = strtod(a->timeout, &end);
    if (*end || !(t > 0 && t <= 3600))
      return usage_error("run: --timeout takes seconds (0.1..3600), not '%s'",
                         a->timeout);
    o->timeout_ms = (long)(t * 1000);
  }
  if (a->rate && ((o->rate = strtod(a->rate, &end)) <= 0 || *end))
    return usage_error("run: --rate takes requests per second, not '%s'",
                       a->rate);
  if (a->spend && ((o->max_spend = strtod(a->spend, &end)) < 0 || *end))
    return usage_error("run: --max-spend takes an amount, not '%s'",
                       a->spend);
  if (a->budget && ((o->budget = strtod(a->budget, &end)) <= 0 || *end))
    return usage_error("run: --budget takes seconds, not '%s'", a->budget);
  if (a->allow_wait) {
    long w = strtol(a->allow_wait, &end, 10);
    if (*end || w < 0 || w > 86400)
      return usage_error("run: --allow-wait takes seconds (0..86400), not "
                         "'%s'",
                         a->allow_wait);
    o->allow_wait = (int)w;
  }
  if (a->price && (!((o->price = strtod(a->price, &end)) > 0) || *end))
    return usage_error("run: --price takes an amount above 0, not '%s'",
                       a->price);
  return 0;
}

/* --actions A,B,...: into a->action_list; 0 or an exit code. */
static int run_args_actions(struct run_args *a) {
  size_t na = 0;
  if (!a->actions)
    return 0;
  if (!(a->actions_buf = strdup(a->actions)))
    return usage_error("out of memory");
  for (char *save = NULL, *t = strtok_r(a->actions_buf, ",", &save); t;
       t = strtok_r(NULL, ",", &save)) {
    if (na == 128)
      return usage_error("run: --actions names more than 128 actions");
    a->action_list[na++] = t;
  }
  if (!na)
    return usage_error("run: --actions takes a list of action names "
                       "(getNumber,getStatus,setStatus)");
  a->o.actions = a->action_list;
  return 0;
}

/* The options that do not go together; 0 or an exit code. */
static int run_args_combine(const struct run_args *a) {
  if (a->update_baseline && !a->baseline)
    return usage_error("run: --update-baseline needs --baseline FILE (the "
                       "file to write)");
  if (a->faults && (a->o.url || a->replay_dir))
    return usage_error("run: --fault applies to the built-in simulator only");
  if (a->replay_dir && (a->o.url || a->record_dir))
    return usage_error("run: --replay takes its target from the recording "
                       "(no --url, no --record)");
  if (!a->ntargets)
    return a->stable ? usage_error("run: --stable applies to a comparison "
                                   "(--target)")
                     : 0;
  static const char *const alone[][2] = {
      {"--url", "each target names its own"},
      {"--control", "each target names its own"},
      {"--key-file", "each key comes from SMSCONFORM_KEY_<NAME>"},
      {"--key2-file", "each key comes from SMSCONFORM_KEY2_<NAME>"},
      {"--fault", "use --target NAME=sim,fault=F"},
      {"--replay", "it is about one target"},
      {"--record", "it is about one target"},
      {"--baseline", "it is about one target"},
      {"--junit", "--report-dir DIR writes one per target"},
      {"--tap", "--report-dir DIR writes one per target"},
      {"--list", "the plan is the same for every target"}};
  const bool given[] = {a->o.url,      a->o.control,  a->key_file,
                        a->key2_file,  a->faults,     a->replay_dir,
                        a->record_dir, a->baseline,   a->outs[0].path,
                        a->outs[2].path, a->list};
  for (size_t k = 0; k < sizeof given / sizeof *given; k++)
    if (given[k])
      return usage_error("run: %s does not go with --target (%s)",
                         alone[k][0], alone[k][1]);
  return 0;
}

/* Every check of the options, in the order a user fixes them. */
static int run_args_check(struct run_args *a) {
  int rc;
  if ((rc = run_args_numbers(a)) || (rc = run_args_actions(a)))
    return rc;
  if (a->tier && strcmp(a->tier, "smoke") && strcmp(a->tier, "full"))
    return usage_error("run: --tier is smoke or full, not '%s'", a->tier);
  a->o.smoke = a->tier && !strcmp(a->tier, "smoke");
  return run_args_combine(a);
}

/* Loads the spec, with --profile FILE (a profile of the user's own) if
 * given, and points a->o.profile at that profile's name. 0 or an exit
 * code; *out owned by the caller. */
static int run_load_spec(const char *specs, struct run_args *a,
                         struct sc_spec **out) {
  const char *pfile = a->o.profile && (strchr(a->o.profile, '/') ||
                                       strstr(a->o.profile, ".json"))
                          ? a->o.profile
                          : NULL;
  struct sc_spec *spec =
      load(specs, pfile ? &pfile : NULL, pfile ? 1 : 0, true);
  *out = NULL;
  if (!spec)
    return SC_EXIT_FAIL;
  if (pfile) {
    const char *base = strrchr(pfile, '/') ? strrchr(pfile, '/') + 1 : pfile;
    a->o.profile = NULL;
    for (size_t i = 0; i < spec->nprofiles && !a->o.profile; i++)
      if (strcmp(spec->profiles[i].file, pfile) == 0 ||
          strcmp(spec->profiles[i].file, base) == 0)
        a->o.profile = spec->profiles[i].name;
    if (!a->o.profile) {
      sc_spec_destroy(spec);
      return usage_error("run: %s holds no profile (see specs/README.md)",
                         pfile);
    }
    if (!a->o.url && !a->replay_dir && !a->list && !a->ntargets) {
      sc_spec_destroy(spec);
      return usage_error("run: the built-in simulator serves the documented "
                         "profiles only; check your own with --url");
    }
  }
  a->o.spec = spec;
  *out = spec;
  return 0;
}

/* What one run is pointed at: a recording, the built-in simulator, or
 * the --url with its keys (never from argv). */
struct endpoint {
  struct sc_record *replay;
  struct sc_sim *sim;
  char *key, *key2;
  char url[256], ctl[256];
};

static void endpoint_free(struct endpoint *ep) {
  sc_sim_destroy(ep->sim);
  sc_record_destroy(ep->replay);
  sc_free(ep->key);
  sc_free(ep->key2);
  memset(ep, 0, sizeof *ep);
}

/* Sets up |ep| and points a->o at it; 0 or an exit code. */
static int endpoint_open(struct endpoint *ep, struct run_args *a,
                         const struct sc_spec *spec) {
  struct sc_run_opts *o = &a->o;
  char err[512];
  memset(ep, 0, sizeof *ep);
  if (a->replay_dir) {
    if (!(ep->replay = sc_record_load(a->replay_dir, err, sizeof err)))
      return usage_error("run: --replay: %s", err);
    /* the recorded requests carry the keys as placeholders: any key does */
    o->replay = ep->replay;
    o->url = sc_record_target(ep->replay);
    o->control =
        *sc_record_control(ep->replay) ? sc_record_control(ep->replay) : NULL;
    if (!o->profile && *sc_record_profile(ep->replay))
      o->profile = sc_record_profile(ep->replay);
    ep->key = sc_strdup("smsconform-replay-key-1");
    ep->key2 = sc_strdup("smsconform-replay-key-2");
  } else if (!o->url) {
    struct sc_sim_config cfg = {.keys = "smsconform-k1:100,smsconform-k2:100",
                                .seed = 1,
                                .early_cancel_seconds = -1,
                                .profile = o->profile,
                                .faults = a->faults,
                                .spec = spec};
    if (!(ep->sim = sc_sim_new(&cfg, err, sizeof err)))
      return usage_error("run: cannot start the simulator: %s", err);
    snprintf(ep->url, sizeof ep->url, "http://127.0.0.1:%u%s",
             sc_sim_port(ep->sim),
             sc_sim_is_rest(ep->sim) ? "/api/v1" : "/stubs/handler_api.php");
    snprintf(ep->ctl, sizeof ep->ctl, "http://127.0.0.1:%u/control",
             sc_sim_port(ep->sim));
    o->url = ep->url;
    o->control = ep->ctl;
    ep->key = sc_strdup("smsconform-k1");
    ep->key2 = sc_strdup("smsconform-k2");
  } else {
    const char *env = getenv("SMSCONFORM_KEY"),
               *env2 = getenv("SMSCONFORM_KEY2");
    ep->key = a->key_file ? read_key_file(a->key_file)
                          : (env && *env ? sc_strdup(env) : NULL);
    ep->key2 = a->key2_file ? read_key_file(a->key2_file)
                            : (env2 && *env2 ? sc_strdup(env2) : NULL);
    if (!ep->key)
      return usage_error("run: no API key: set SMSCONFORM_KEY or pass "
                         "--key-file (a key in argv would show in ps)");
  }
  o->key = ep->key;
  o->key2 = ep->key2;
  return 0;
}

/* --report-dir writes all five reports; --json F and the others one more
 * copy each, wherever they say. 0, or SC_EXIT_FAIL if one failed. */
static int run_write_reports(const struct run_args *a,
                             const struct sc_report *rep) {
  int rc = 0;
  if (a->report_dir && mkdir(a->report_dir, 0777) && errno != EEXIST) {
    fprintf(stderr, "smsconform: run: cannot create %s: %s\n", a->report_dir,
            strerror(errno));
    rc = SC_EXIT_FAIL;
  }
  for (size_t i = 0; i < 2 * (sizeof a->outs / sizeof *a->outs); i++) {
    const struct report_out *ro = &a->outs[i / 2];
    char path[1024];
    if (i % 2 == 0 && a->report_dir)
      snprintf(path, sizeof path, "%s/%s", a->report_dir, ro->name);
    else if (i % 2 == 1 && ro->path)
      snprintf(path, sizeof path, "%s", ro->path);
    else
      continue;
    if (write_report(rep, path, ro->write))
      rc = SC_EXIT_FAIL;
  }
  return rc;
}

/* Runs the checks against one target (a->o, set up by endpoint_open),
 * then baseline, reports and console; the exit code. */
static int run_one(struct run_args *a) {
  struct sc_run_opts *o = &a->o;
  struct sc_report rep;
  char err[512] = "";
  int rc = SC_EXIT_OK;
  const char *nc = getenv("NO_COLOR");
  o->progress = !a->quiet && isatty(STDERR_FILENO) ? stderr : NULL;
  o->color = isatty(STDOUT_FILENO) && !(nc && *nc);
  if (a->record_dir &&
      !(o->record = sc_record_new(o->profile, o->url, o->control)))
    return usage_error("out of memory");
  int r = sc_run(o, &rep, err, sizeof err);
  if (o->record && r != SC_RUN_FAILED &&
      sc_record_save(o->record, a->record_dir, err, sizeof err)) {
    fprintf(stderr, "smsconform: run: --record: %s\n", err);
    rc = SC_EXIT_FAIL;
  }
  sc_record_destroy(o->record);
  o->record = NULL;
  if (r == SC_RUN_FAILED) {
    err_safe("run", err);
    return SC_EXIT_USAGE;
  }
  if (r == SC_RUN_OK && a->baseline &&
      apply_baseline(&rep, a->baseline, a->update_baseline)) {
    sc_report_free(&rep);
    return SC_EXIT_USAGE;
  }
  /* an unreachable endpoint still gets its reports (every check ERROR,
   * with the reason): a CI job finds its JUnit file and says why */
  if (run_write_reports(a, &rep))
    rc = SC_EXIT_FAIL;
  if (!a->quiet)
    sc_report_console(&rep, stdout, o->color);
  if (sc_report_blockers(&rep))
    rc = SC_EXIT_FAIL;
  sc_report_free(&rep);
  if (r == SC_RUN_UNREACHABLE) {
    err_safe("run", err);
    rc = SC_EXIT_UNREACHABLE;
  }
  return rc;
}

/* `run --list`: prints the plan. */
static int run_list(struct run_args *a) {
  char err[512] = "";
  a->o.url = a->o.url ? a->o.url : "http://127.0.0.1/";
  return sc_run_list(&a->o, stdout, 0, err, sizeof err)
             ? usage_error("run: %s", err)
             : SC_EXIT_OK;
}

static int cmd_run(const char *specs, int argc, char **argv) {
  struct run_args *a = sc_malloc(sizeof *a);
  struct sc_spec *spec = NULL;
  struct endpoint ep;
  int rc;
  if (!a)
    return usage_error("out of memory");
  run_args_init(a);
  memset(&ep, 0, sizeof ep);
  if ((rc = run_args_parse(a, argc, argv)))
    goto out;
  if (a->help) {
    fputs(usage_run, stdout);
    goto out;
  }
  if ((rc = run_args_check(a)) || (rc = run_load_spec(specs, a, &spec)))
    goto out;
  if (a->ntargets)
    rc = run_targets(spec, &a->o, a->targets, a->ntargets, a->outs[1].path,
                     a->outs[3].path, a->outs[4].path, a->report_dir,
                     a->stable ? SC_COMPARE_STABLE : 0, a->quiet);
  else if (a->list)
    rc = run_list(a);
  else if (!(rc = endpoint_open(&ep, a, spec)))
    rc = run_one(a);
out:
  endpoint_free(&ep);
  sc_spec_destroy(spec);
  run_args_free(a);
  sc_free(a);
  return rc;
}

/* ------------------------------------------------------------- main */

/* `smsconform help [COMMAND]`. */
static int cmd_help(int argc, char **argv) {
  static const struct {
    const char *cmd, *text;
  } by[] = {{"run", usage_run},     {"serve", usage_serve},
            {"compare", usage_compare}, {"list", usage_list},
            {"parse", usage_parse}, {"lint", usage_lint}};
  if (argc < 2) {
    fputs(usage_main, stdout);
    return SC_EXIT_OK;
  }
  for (size_t k = 0; k < sizeof by / sizeof *by; k++)
    if (!strcmp(argv[1], by[k].cmd)) {
      fputs(by[k].text, stdout);
      return SC_EXIT_OK;
    }
  return usage_error("help: no command '%s'", argv[1]);
}

int sc_cli_main(int argc, char **argv) {
  static const struct option lo[] = {{"help", no_argument, NULL, 'h'},
                                     {"version", no_argument, NULL, 'V'},
                                     {"specs", required_argument, NULL, 's'},
                                     {NULL, 0, NULL, 0}};
  const char *specs = NULL;
  int rc = SC_EXIT_OK, c;
  struct opts op;
  current_cmd = NULL;
  opts_init(&op, NULL, argc, argv, lo);
  while ((c = opts_next(&op, &rc)) != OPT_END) {
    if (c == OPT_ERR)
      return rc;
    if (c == 'h') {
      fputs(usage_main, stdout);
      return SC_EXIT_OK;
    }
    if (c == 'V') {
      printf("smsconform %s\n", SC_VERSION);
      return SC_EXIT_OK;
    }
    specs = optarg;
  }
  int i = optind;
  if (i >= argc) {
    fputs(usage_main, stderr);
    return SC_EXIT_USAGE;
  }
  /* each command reads argv[i..], argv[i] its own name */
  const char *cmd = argv[i];
  static const char *const known[] = {"list", "lint", "parse", "run",
                                      "serve", "compare"};
  current_cmd = NULL;
  for (size_t k = 0; k < sizeof known / sizeof *known; k++)
    if (!strcmp(cmd, known[k]))
      current_cmd = known[k];
  int n = argc - i;
  char **rest = argv + i;
  if (!strcmp(cmd, "list"))
    return cmd_list(specs, n, rest);
  if (!strcmp(cmd, "lint"))
    return cmd_lint(specs, n, rest);
  if (!strcmp(cmd, "parse"))
    return cmd_parse(specs, n, rest);
  if (!strcmp(cmd, "run"))
    return cmd_run(specs, n, rest);
  if (!strcmp(cmd, "serve"))
    return cmd_serve(specs, n, rest);
  if (!strcmp(cmd, "compare"))
    return cmd_compare(n, rest);
  if (!strcmp(cmd, "help"))
    return cmd_help(n, rest);
  return usage_error("unknown command '%s'", cmd);
}
