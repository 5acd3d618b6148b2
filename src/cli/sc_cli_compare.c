/* sc_cli_compare.c — `smsconform compare`: the JSON reports of several
 * runs side by side, and the comparison's outputs (`run --target` writes
 * them too). */
#include "sc_cli_int.h"

#include "sc_alloc.h"
#include "sc_compare.h"
#include "sc_report.h"
#include "sc_spec.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

const char cli_usage_compare[] =
    "Usage: smsconform compare [NAME=]REPORT.json ... [--html F] [--md F]\n"
    "                          [--json F] [--profile NAME|FILE] [--stable]\n"
    "                          [--quiet]\n"
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
    CLI_HELP_PROFILE_OPT
    "               the dialect whose document decides what is compared:\n"
    "               in every column, a check of an action it does not\n"
    "               list (or one that needs such an action) is\n"
    "               unsupported (default: every check of every run).\n"
    CLI_HELP_PROFILE("               ")
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
  return cli_save_output(cmd, path, compare_job_write, &j);
}

/* The comparison's outputs: --json, --md, --html (NULL = not asked). 0, or
 * -1 when one could not be written. */
int cli_write_compares(const struct sc_compare *c, const char *cmd,
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

/* What `compare` was told. */
struct compare_args {
  const char *json, *md, *html;
  const char *files[SC_COMPARE_MAX_VENDORS];
  size_t nfiles;
  struct cli_profile prof;
  bool stable, quiet, help;
};

/* Reads the command line into |a|; 0 or an exit code. Stops at --help. */
static int compare_parse(struct compare_args *a, int argc, char **argv) {
  static const struct option lo[] = {{"help", no_argument, NULL, 'h'},
                                     {"stable", no_argument, NULL, 's'},
                                     {"quiet", no_argument, NULL, 'q'},
                                     {"json", required_argument, NULL, 'j'},
                                     {"md", required_argument, NULL, 'm'},
                                     {"html", required_argument, NULL, 'H'},
                                     {"profile", required_argument, NULL, 'p'},
                                     {NULL, 0, NULL, 0}};
  struct cli_opts op;
  int rc = SC_EXIT_OK, ch;
  cli_opts_init(&op, "compare", argc, argv, lo);
  while ((ch = cli_opts_next(&op, &rc)) != OPT_END) {
    switch (ch) {
    case OPT_ERR: return rc;
    case 'h': a->help = true; return SC_EXIT_OK;
    case 's': a->stable = true; break;
    case 'q': a->quiet = true; break;
    case 'j': a->json = optarg; break;
    case 'm': a->md = optarg; break;
    case 'H': a->html = optarg; break;
    case 'p':
      if ((rc = cli_profile_add(&a->prof, optarg)))
        return rc;
      break;
    default:
      if (a->nfiles == SC_COMPARE_MAX_VENDORS)
        return cli_usage_error("compare: more than %d reports",
                               SC_COMPARE_MAX_VENDORS);
      a->files[a->nfiles++] = optarg;
    }
  }
  if (!a->nfiles)
    return cli_usage_error("compare: give the JSON reports to compare (`run "
                           "--json F` writes one)");
  return SC_EXIT_OK;
}

/* Reads report |arg| ([NAME=]FILE) and adds it to |c|; with |spec|, only
 * what profile |dialect| documents (sc_compare_keep_documented). 0, or
 * the exit code with the reason on stderr. */
static int compare_one(struct sc_compare *c, const char *arg,
                       const struct sc_spec *spec, const char *dialect) {
  char name[SC_COMPARE_NAME_MAX * 4], err[512];
  const char *path = arg, *eq = strchr(arg, '=');
  struct sc_report rep;
  struct stat st;
  /* NAME=FILE, unless the whole argument is a file */
  if (eq && stat(arg, &st) != 0) {
    snprintf(name, sizeof name, "%.*s", (int)(eq - arg), arg);
    path = eq + 1;
  } else {
    default_name(path, name, sizeof name);
  }
  if (sc_compare_load(path, &rep, err, sizeof err)) {
    fprintf(stderr, "smsconform: compare: %s: %s\n", path, err);
    return SC_EXIT_USAGE;
  }
  if (spec)
    sc_compare_keep_documented(&rep, spec, dialect);
  if (sc_compare_add(c, name, NULL, spec ? dialect : NULL, &rep, err,
                     sizeof err)) {
    fprintf(stderr, "smsconform: compare: %s: %s\n", arg, err);
    return SC_EXIT_USAGE;
  }
  return SC_EXIT_OK;
}

int cli_cmd_compare(const char *specs, int argc, char **argv) {
  struct compare_args *a = sc_calloc(1, sizeof *a);
  struct sc_compare *c = NULL;
  struct sc_spec *spec = NULL;
  int rc;
  if (!a)
    return cli_usage_error("out of memory");
  cli_profile_init(&a->prof, "compare");
  if ((rc = compare_parse(a, argc, argv)) || a->help) {
    if (a->help)
      fputs(cli_usage_compare, stdout);
    goto out;
  }
  /* the spec only for --profile: a comparison of reports needs none */
  if (a->prof.arg && (rc = cli_profile_load(&a->prof, specs, &spec)))
    goto out;
  if (spec && !sc_spec_profile(spec, a->prof.name)) {
    rc = cli_usage_error("compare: no profile '%s' (see: smsconform list "
                         "profiles)",
                         a->prof.name);
    goto out;
  }
  if (!(c = sc_compare_new())) {
    rc = cli_usage_error("out of memory");
    goto out;
  }
  for (size_t i = 0; i < a->nfiles; i++)
    if ((rc = compare_one(c, a->files[i], spec, a->prof.name)))
      goto out;
  if (cli_write_compares(c, "compare", a->json, a->md, a->html,
                         a->stable ? SC_COMPARE_STABLE : 0))
    rc = SC_EXIT_FAIL;
  if (!a->quiet)
    sc_compare_console(c, stdout);
out:
  sc_compare_destroy(c);
  sc_spec_destroy(spec);
  sc_free(a);
  return rc;
}
