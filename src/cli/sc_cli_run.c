/* sc_cli_run.c — `smsconform run`: the checks against one endpoint (the
 * built-in simulator, a --url, or a --replay), its baseline and reports;
 * with --target several (sc_cli_target.c). */
#include "sc_cli_int.h"

#include "sc_alloc.h"
#include "sc_baseline.h"
#include "sc_checks.h"
#include "sc_compare.h"
#include "sc_record.h"
#include "sc_report.h"
#include "sc_run.h"
#include "sc_sim.h"
#include "sc_spec.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char cli_usage_run[] =
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
    CLI_HELP_PROFILE_OPT
    "                    the dialect to hold the target to (default\n"
    "                    sms-activate); a FILE needs --url (or --target,\n"
    "                    --replay, --list).\n"
    CLI_HELP_PROFILE("                    ")
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
    "  --seed N          the seed of the run's random ids (unknown ids,\n"
    "                    orderIds): the same N sends the same ids (default:\n"
    "                    from the clock; --record keeps it for --replay)\n"
    "  --list            print the plan, then what each tier costs in\n"
    "                    requests and purchases (measured against the\n"
    "                    built-in simulator, with and without control),\n"
    "                    and exit\n"
    "\n"
    "Execution:\n"
    "  --jobs N          checks at once (default 8)\n"
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
    "                    overrides --profile for this target (a NAME or a\n"
    "                    FILE, as --profile)\n"
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

const struct cli_report_out cli_reports[CLI_NREPORTS] = {
    {NULL, sc_report_junit, "junit.xml"},
    {NULL, sc_report_json, "report.json"},
    {NULL, sc_report_tap, "report.tap"},
    {NULL, sc_report_markdown, "report.md"},
    {NULL, sc_report_html, "report.html"},
};

struct report_job {
  const struct sc_report *rep;
  int (*fn)(const struct sc_report *, FILE *);
};

static int report_job_write(FILE *f, const void *arg) {
  const struct report_job *j = arg;
  return j->fn(j->rep, f);
}

int cli_write_report(const struct sc_report *rep, const char *path,
                     int (*fn)(const struct sc_report *, FILE *)) {
  struct report_job j = {rep, fn};
  return cli_save_output("run", path, report_job_write, &j);
}

/* "smsconform: |cmd|: |msg|" on stderr, |msg| through cli_put_safe: it may
 * quote what an endpoint or libcurl said. */
static void err_safe(const char *cmd, const char *msg) {
  fprintf(stderr, "smsconform: %s: ", cmd);
  cli_put_safe(stderr, msg, 2048);
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

/* ---------------------------------------------------------------- run */

/* Everything `run` was told, as given, then checked by run_args_check. */
struct run_args {
  struct sc_run_opts o;
  const char *key_file, *key2_file, *jobs, *timeout, *rate, *spend, *tier,
      *budget, *report_dir, *baseline, *record_dir, *replay_dir, *actions,
      *allow_wait, *price, *seed;
  struct cli_report_out outs[CLI_NREPORTS]; /* --junit, --json, --tap, --md,
                                               --html (cli_reports) */
  const char *only[64], *skip[64];
  const char *action_list[129];
  size_t nonly, nskip, ntargets;
  struct cli_target targets[CLI_MAX_TARGETS];
  struct cli_profile prof; /* every --profile */
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
  RUN_LIST, RUN_STRICT, RUN_QUIET, RUN_UPDATE_BASELINE, RUN_STABLE, RUN_SEED
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
    {"seed", required_argument, NULL, RUN_SEED},
    {NULL, 0, NULL, 0}};

static void run_args_init(struct run_args *a) {
  memset(a, 0, sizeof *a);
  memcpy(a->outs, cli_reports, sizeof cli_reports);
  a->o.catalogue = sc_checks_catalogue();
  cli_profile_init(&a->prof, "run");
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
  if (a->ntargets == CLI_MAX_TARGETS)
    return cli_usage_error("run: more than %d --target", CLI_MAX_TARGETS);
  if ((rc = cli_target_parse(v, &a->targets[a->ntargets++])))
    return rc;
  for (size_t k = 0; k + 1 < a->ntargets; k++)
    if (!strcmp(a->targets[k].name, a->targets[a->ntargets - 1].name))
      return cli_usage_error("run: two targets are named '%s'",
                             a->targets[k].name);
  return 0;
}

/* The option |c| with value |v| into |a|; 0 or an exit code. */
static int run_set(struct run_args *a, int c, const char *v) {
  /* options that only keep their value */
  const char **slot[] = {
      [RUN_URL - RUN_URL] = &a->o.url,
      [RUN_CONTROL - RUN_URL] = &a->o.control,
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
  if (c == RUN_PROFILE)
    return cli_profile_add(&a->prof, v);
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
  case RUN_SEED: a->seed = v; return 0;
  case RUN_TARGET: return run_add_target(a, v);
  case RUN_ONLY:
  case RUN_SKIP: {
    size_t *n = c == RUN_ONLY ? &a->nonly : &a->nskip;
    if (*n == 63)
      return cli_usage_error("run: too many --%s",
                             c == RUN_ONLY ? "only" : "skip");
    (c == RUN_ONLY ? a->only : a->skip)[(*n)++] = v;
    return 0;
  }
  case RUN_FAULT:
    return cli_join_list(&a->faults, v) ? cli_usage_error("out of memory") : 0;
  default:
    return cli_usage_error("run: unexpected argument %s", v);
  }
}

/* Reads the command line into |a|; 0 or an exit code. */
static int run_args_parse(struct run_args *a, int argc, char **argv) {
  struct cli_opts op;
  int c, rc = 0;
  cli_opts_init(&op, "run", argc, argv, run_options);
  while (!a->help && (c = cli_opts_next(&op, &rc)) != OPT_END)
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
    return cli_usage_error("run: --jobs takes 1..64, not '%s'", a->jobs);
  if (a->timeout) {
    double t = strtod(a->timeout, &end);
    if (*end || !(t > 0 && t <= 3600))
      return cli_usage_error(
          "run: --timeout takes seconds (0.1..3600), not '%s'", a->timeout);
    o->timeout_ms = (long)(t * 1000);
  }
  if (a->rate && ((o->rate = strtod(a->rate, &end)) <= 0 || *end))
    return cli_usage_error("run: --rate takes requests per second, not '%s'",
                           a->rate);
  if (a->spend && ((o->max_spend = strtod(a->spend, &end)) < 0 || *end))
    return cli_usage_error("run: --max-spend takes an amount, not '%s'",
                           a->spend);
  if (a->budget && ((o->budget = strtod(a->budget, &end)) <= 0 || *end))
    return cli_usage_error("run: --budget takes seconds, not '%s'", a->budget);
  if (a->allow_wait) {
    long w = strtol(a->allow_wait, &end, 10);
    if (*end || w < 0 || w > 86400)
      return cli_usage_error("run: --allow-wait takes seconds (0..86400), not "
                             "'%s'",
                             a->allow_wait);
    o->allow_wait = (int)w;
  }
  if (a->price && (!((o->price = strtod(a->price, &end)) > 0) || *end))
    return cli_usage_error("run: --price takes an amount above 0, not '%s'",
                           a->price);
  if (a->seed) {
    errno = 0;
    o->seed = strtoull(a->seed, &end, 10);
    if (*end || !*a->seed || errno || !o->seed || a->seed[0] == '-')
      return cli_usage_error("run: --seed takes a number above 0, not '%s'",
                             a->seed);
  }
  return 0;
}

/* --actions A,B,...: into a->action_list; 0 or an exit code. */
static int run_args_actions(struct run_args *a) {
  size_t na = 0;
  if (!a->actions)
    return 0;
  if (!(a->actions_buf = strdup(a->actions)))
    return cli_usage_error("out of memory");
  for (char *save = NULL, *t = strtok_r(a->actions_buf, ",", &save); t;
       t = strtok_r(NULL, ",", &save)) {
    if (na == 128)
      return cli_usage_error("run: --actions names more than 128 actions");
    a->action_list[na++] = t;
  }
  if (!na)
    return cli_usage_error("run: --actions takes a list of action names "
                           "(getNumber,getStatus,setStatus)");
  a->o.actions = a->action_list;
  return 0;
}

/* The options that do not go together; 0 or an exit code. */
static int run_args_combine(const struct run_args *a) {
  if (a->update_baseline && !a->baseline)
    return cli_usage_error("run: --update-baseline needs --baseline FILE (the "
                           "file to write)");
  if (a->faults && (a->o.url || a->replay_dir))
    return cli_usage_error(
        "run: --fault applies to the built-in simulator only");
  if (a->replay_dir && (a->o.url || a->record_dir))
    return cli_usage_error("run: --replay takes its target from the recording "
                           "(no --url, no --record)");
  if (!a->ntargets)
    return a->stable ? cli_usage_error("run: --stable applies to a comparison "
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
      return cli_usage_error("run: %s does not go with --target (%s)",
                             alone[k][0], alone[k][1]);
  return 0;
}

/* Every check of the options, in the order a user fixes them. */
static int run_args_check(struct run_args *a) {
  int rc;
  if ((rc = run_args_numbers(a)) || (rc = run_args_actions(a)))
    return rc;
  if (a->tier && strcmp(a->tier, "smoke") && strcmp(a->tier, "full"))
    return cli_usage_error("run: --tier is smoke or full, not '%s'", a->tier);
  a->o.smoke = a->tier && !strcmp(a->tier, "smoke");
  return run_args_combine(a);
}

/* Loads the spec with the profile files of --profile and of each
 * --target's profile=, and points a->o.profile (and each such target's
 * profile) at the profile's name. 0 or an exit code; *out owned by the
 * caller. */
static int run_load_spec(const char *specs, struct run_args *a,
                         struct sc_spec **out) {
  struct sc_spec *spec = NULL;
  int rc;
  *out = NULL;
  for (size_t k = 0; k < a->ntargets; k++)
    if (a->targets[k].profile && cli_profile_is_file(a->targets[k].profile) &&
        (rc = cli_profile_add_file(&a->prof, a->targets[k].profile)))
      return rc;
  if ((rc = cli_profile_load(&a->prof, specs, &spec)))
    return rc;
  a->o.profile = a->prof.name;
  for (size_t k = 0; k < a->ntargets; k++) {
    struct cli_target *t = &a->targets[k];
    if (!t->profile || !cli_profile_is_file(t->profile))
      continue;
    const char *name = cli_profile_of_file(spec, t->profile);
    if (!name) {
      sc_spec_destroy(spec);
      return cli_usage_error("run: --target %s: %s holds no profile (see "
                             "specs/README.md)",
                             t->name, t->profile);
    }
    t->profile = name;
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
      return cli_usage_error("run: --replay: %s", err);
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
      return cli_usage_error("run: cannot start the simulator: %s", err);
    cli_sim_urls(ep->sim, ep->url, sizeof ep->url, ep->ctl, sizeof ep->ctl);
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
      return cli_usage_error("run: no API key: set SMSCONFORM_KEY or pass "
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
    const struct cli_report_out *ro = &a->outs[i / 2];
    char path[1024];
    if (i % 2 == 0 && a->report_dir)
      snprintf(path, sizeof path, "%s/%s", a->report_dir, ro->name);
    else if (i % 2 == 1 && ro->path)
      snprintf(path, sizeof path, "%s", ro->path);
    else
      continue;
    if (cli_write_report(rep, path, ro->write))
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
    return cli_usage_error("out of memory");
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

/* `run --target`: every target, then the comparison (--json, --md and
 * --html are the comparison's). */
static int run_compare(const struct run_args *a, const struct sc_spec *spec) {
  unsigned flags = a->stable ? SC_COMPARE_STABLE : 0;
  const struct cli_compare_outs outs = {.json = a->outs[1].path,
                                        .md = a->outs[3].path,
                                        .html = a->outs[4].path,
                                        .report_dir = a->report_dir,
                                        .flags = flags,
                                        .quiet = a->quiet};
  return cli_run_targets(spec, &a->o, a->targets, a->ntargets, &outs);
}

/* What one tier costs: the plan run against the built-in simulator
 * speaking the profile, a complete implementation (a partial endpoint
 * costs less), with the control protocol or without it (as against a
 * vendor). 0; 1 when the simulator cannot speak the profile; -1 when the
 * run failed; *err says why. */
static int tier_cost(const struct run_args *a, const struct sc_spec *spec,
                     int smoke, int control, size_t *requests,
                     size_t *purchases, char *err, size_t errlen) {
  struct sc_sim_config cfg = {
      .keys = "smsconform-k1:1000000,smsconform-k2:1000000",
      .seed = 1,
      .early_cancel_seconds = -1,
      .stock = control ? 0 : 1000000,
      .profile = a->o.profile,
      .spec = spec};
  struct sc_sim *sim = sc_sim_new(&cfg, err, errlen);
  if (!sim)
    return 1;
  char url[256], ctl[256];
  cli_sim_urls(sim, url, sizeof url, ctl, sizeof ctl);
  struct sc_run_opts o = a->o;
  o.url = url;
  o.control = control ? ctl : NULL;
  o.key = "smsconform-k1";
  o.key2 = "smsconform-k2";
  o.smoke = smoke;
  o.max_spend = -1;
  o.allow_wait = 0;
  o.progress = NULL;
  o.record = NULL;
  o.replay = NULL;
  struct sc_report rep;
  int r = sc_run(&o, &rep, err, errlen);
  sc_sim_destroy(sim);
  if (r == SC_RUN_FAILED)
    return -1;
  *requests = (size_t)rep.requests;
  *purchases = rep.nspend;
  sc_report_free(&rep);
  return 0;
}

/* The cost of each tier, with and without control, under the plan. */
static int list_costs(const struct run_args *a, const struct sc_spec *spec) {
  char err[512] = "";
  printf("\nwhat each tier costs, measured against the built-in simulator "
         "speaking %s\n(a complete implementation; a partial endpoint "
         "costs less):\n\n",
         a->o.profile ? a->o.profile : "the reference profile");
  printf("  %-6s %-8s %9s %10s  %s\n", "tier", "control", "requests",
         "purchases", "worst-case spend");
  for (int smoke = 1; smoke >= 0; smoke--)
    for (int control = 1; control >= 0; control--) {
      size_t req = 0, buys = 0;
      int rc = tier_cost(a, spec, smoke, control, &req, &buys, err,
                         sizeof err);
      if (rc > 0) {
        printf("  (not measured: %s)\n", err);
        return SC_EXIT_OK;
      }
      if (rc)
        return cli_usage_error("run: --list: %s", err);
      char spend[96];
      if (a->o.price > 0)
        snprintf(spend, sizeof spend, "%.2f (%zu x %.2f, --price)",
                 (double)buys * a->o.price, buys, a->o.price);
      else
        snprintf(spend, sizeof spend, "%zu x the listed price", buys);
      printf("  %-6s %-8s %9zu %10zu  %s\n", smoke ? "smoke" : "full",
             control ? "yes" : "no", req, buys, spend);
    }
  printf("\nAgainst a URL that is not loopback a run buys only within "
         "--max-spend (nothing\nunless it is given); every purchase is "
         "released at the end, or listed as left\nactive with what to "
         "do.\n");
  return SC_EXIT_OK;
}

/* `run --list`: prints the plan and what each tier costs. */
static int run_list(struct run_args *a, const struct sc_spec *spec) {
  char err[512] = "";
  const char *url = a->o.url;
  a->o.url = a->o.url ? a->o.url : "http://127.0.0.1/";
  if (sc_run_list(&a->o, stdout, 0, err, sizeof err))
    return cli_usage_error("run: %s", err);
  a->o.url = url;
  return list_costs(a, spec);
}

int cli_cmd_run(const char *specs, int argc, char **argv) {
  struct run_args *a = sc_malloc(sizeof *a);
  struct sc_spec *spec = NULL;
  struct endpoint ep;
  int rc;
  if (!a)
    return cli_usage_error("out of memory");
  run_args_init(a);
  memset(&ep, 0, sizeof ep);
  if ((rc = run_args_parse(a, argc, argv)))
    goto out;
  if (a->help) {
    fputs(cli_usage_run, stdout);
    goto out;
  }
  if ((rc = run_args_check(a)) || (rc = run_load_spec(specs, a, &spec)))
    goto out;
  if (a->ntargets)
    rc = run_compare(a, spec);
  else if (a->list)
    rc = run_list(a, spec);
  else if (!(rc = endpoint_open(&ep, a, spec)))
    rc = run_one(a);
out:
  endpoint_free(&ep);
  sc_spec_destroy(spec);
  run_args_free(a);
  sc_free(a);
  return rc;
}
