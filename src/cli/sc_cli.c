/* sc_cli.c — the `smsconform` command line: the global options, help,
 * version and the dispatch to the commands (one file each, sc_cli_int.h),
 * and what the commands share: options read with getopt_long
 * (cli_opts_next), the spec, output files. Each command returns an exit
 * code from SC_EXIT_MAP. */
#include "sc_cli_int.h"

#include "sc_alloc.h"
#include "sc_buf.h"
#include "sc_escape.h"
#include "sc_out.h"
#include "sc_sim.h"
#include "sc_spec.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#ifndef SC_VERSION
#define SC_VERSION "0.0.0"
#endif

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

/* The command being run, for the hint after a usage error (NULL before
 * one is known). */
static const char *current_cmd;

int cli_usage_error(const char *fmt, ...) {
  va_list ap;
  fprintf(stderr, "smsconform: ");
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, "\nTry 'smsconform %s%s--help'.\n",
          current_cmd ? current_cmd : "", current_cmd ? " " : "");
  return SC_EXIT_USAGE;
}

/* ------------------------------------------------------------ options */

/* Starts reading |argv| (|argc| of them, argv[0] the command's name). */
void cli_opts_init(struct cli_opts *p, const char *cmd, int argc, char **argv,
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
int cli_opts_next(struct cli_opts *p, int *rc) {
  const char *pre = p->cmd ? p->cmd : "", *sep = p->cmd ? ": " : "";
  if (!p->rest) {
    int c = getopt_long(p->argc, p->argv, p->cmd ? "-:h" : "+:hV", p->lo,
                        NULL);
    if (c == ':') {
      const char *n = opt_name(p->lo, optopt);
      *rc =
          n ? cli_usage_error("%s%soption --%s needs a value", pre, sep, n)
            : cli_usage_error("%s%soption -%c needs a value", pre, sep, optopt);
      return OPT_ERR;
    }
    if (c == '?') {
      const char *a = p->argv[optind - 1 < p->argc ? optind - 1 : 0];
      const char *n = optopt ? opt_name(p->lo, optopt) : NULL;
      size_t len = strcspn(a, "=");
      if (n && !strncmp(a, "--", 2)) {
        *rc = cli_usage_error("%s%soption --%s takes no value", pre, sep, n);
        return OPT_ERR;
      }
      if (optopt && !n) {
        *rc = cli_usage_error("%s%sunknown option -%c", pre, sep, optopt);
        return OPT_ERR;
      }
      /* unknown, or a prefix of several */
      char names[512] = "";
      size_t o = 0, hits = 0;
      for (const struct option *l = p->lo; l->name; l++)
        if (len > 2 && !strncmp(l->name, a + 2, len - 2) && o < sizeof names)
          hits++, o += (size_t)snprintf(names + o, sizeof names - o,
                                        "%s--%s", o ? ", " : "", l->name);
      *rc = hits > 1 ? cli_usage_error("%s%soption %.*s is ambiguous (%s)", pre,
                                       sep, (int)len, a, names)
                     : cli_usage_error("%s%sunknown option %.*s", pre, sep,
                                       (int)len, a);
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
int cli_join_list(char **acc, const char *more) {
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

/* ------------------------------------------------------------ the spec */

void cli_print_diag(struct sc_buf *d) {
  if (d->len)
    fputs(d->ptr, stderr);
}

struct sc_spec *cli_load_spec(const char *specs_dir, const char *const *extra,
                              size_t nextra, bool quiet_ok) {
  struct sc_buf d;
  enum sc_err e;
  sc_buf_init(&d, 4u << 20);
  struct sc_spec *s = sc_spec_load(specs_dir, extra, nextra, &d, &e);
  if (!s) {
    cli_print_diag(&d);
    fprintf(stderr, "smsconform: cannot load the spec: %s\n",
            sc_strerror(e));
  } else if (!quiet_ok) {
    cli_print_diag(&d);
  }
  sc_buf_free(&d);
  return s;
}

/* ------------------------------------------------- --profile NAME|FILE */

bool cli_profile_is_file(const char *value) {
  struct stat st;
  size_t n = strlen(value);
  return strchr(value, '/') || (n >= 5 && !strcmp(value + n - 5, ".json")) ||
         (stat(value, &st) == 0 && S_ISREG(st.st_mode));
}

void cli_profile_init(struct cli_profile *p, const char *cmd) {
  memset(p, 0, sizeof *p);
  p->cmd = cmd;
}

int cli_profile_add_file(struct cli_profile *p, const char *path) {
  for (size_t i = 0; i < p->nfiles; i++)
    if (!strcmp(p->files[i], path))
      return 0; /* loading a file twice would define its profile twice */
  if (p->nfiles == CLI_MAX_PROFILE_FILES)
    return cli_usage_error("%s: more than %d profile files", p->cmd,
                           CLI_MAX_PROFILE_FILES);
  p->files[p->nfiles++] = path;
  return 0;
}

int cli_profile_add(struct cli_profile *p, const char *value) {
  p->arg = value;
  p->arg_is_file = cli_profile_is_file(value);
  return p->arg_is_file ? cli_profile_add_file(p, value) : 0;
}

const char *cli_profile_of_file(const struct sc_spec *s, const char *path) {
  for (size_t i = 0; i < s->nprofiles; i++)
    if (!strcmp(s->profiles[i].file, path))
      return s->profiles[i].name;
  return NULL;
}

/* The files of |p| refused: "smsconform: CMD: --profile A, B: ..." after
 * the |problems| themselves (already on stderr). */
static void profile_refused(const struct cli_profile *p, size_t problems,
                            enum sc_err e) {
  fprintf(stderr, "smsconform: %s: --profile ", p->cmd);
  for (size_t i = 0; i < p->nfiles; i++)
    fprintf(stderr, "%s%s", i ? ", " : "", p->files[i]);
  if (e == SC_ERR_NOMEM)
    fprintf(stderr, ": %s\n", sc_strerror(e));
  else
    fprintf(stderr, ": refused, nothing of it is loaded (%zu problem%s)\n",
            problems, problems == 1 ? "" : "s");
}

int cli_profile_load(struct cli_profile *p, const char *specs,
                     struct sc_spec **out) {
  struct sc_buf d;
  enum sc_err e;
  *out = NULL;
  p->name = p->arg;
  if (!p->nfiles) {
    *out = cli_load_spec(specs, NULL, 0, true);
    return *out ? SC_EXIT_OK : SC_EXIT_FAIL;
  }
  sc_buf_init(&d, 4u << 20);
  struct sc_spec *s = sc_spec_load(specs, p->files, p->nfiles, &d, &e);
  size_t problems = 0;
  for (size_t i = 0; !s && i < d.len; i++)
    problems += d.ptr[i] == '\n';
  if (!s)
    cli_print_diag(&d);
  sc_buf_free(&d);
  if (!s) {
    profile_refused(p, problems, e);
    return e == SC_ERR_NOMEM ? SC_EXIT_FAIL : SC_EXIT_USAGE;
  }
  if (p->arg_is_file && !(p->name = cli_profile_of_file(s, p->arg))) {
    sc_spec_destroy(s);
    return cli_usage_error("%s: %s holds no profile (see specs/README.md)",
                           p->cmd, p->arg);
  }
  *out = s;
  return SC_EXIT_OK;
}

/* ------------------------------------------------------------- output */

/* One output file of |cmd|, all or nothing (sc_save_open): a writer that
 * fails leaves no half file, and an older file of that name as it was.
 * |fn| writes it; it returns non-zero on failure. */
int cli_save_output(const char *cmd, const char *path,
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

/* Prints at most |max| bytes of |s| with every control character shown as
 * \xNN (sc_escape_controls), so that nothing from an endpoint can drive
 * the terminal. */
void cli_put_safe(FILE *out, const char *s, size_t max) {
  size_t n = s ? strnlen(s, max) : 0;
  struct sc_buf b;
  sc_buf_init(&b, 4 * max + 1);
  sc_escape_controls(&b, s, n, NULL);
  if (b.len)
    fwrite(b.ptr, 1, b.len, out);
  sc_buf_free(&b);
}

/* ------------------------------------------------------------- main */

/* `smsconform help [COMMAND]`. */
static int cmd_help(int argc, char **argv) {
  static const struct {
    const char *cmd, *text;
  } by[] = {{"run", cli_usage_run},         {"serve", cli_usage_serve},
            {"compare", cli_usage_compare}, {"list", cli_usage_list},
            {"parse", cli_usage_parse},     {"lint", cli_usage_lint}};
  if (argc < 2) {
    fputs(usage_main, stdout);
    return SC_EXIT_OK;
  }
  for (size_t k = 0; k < sizeof by / sizeof *by; k++)
    if (!strcmp(argv[1], by[k].cmd)) {
      fputs(by[k].text, stdout);
      return SC_EXIT_OK;
    }
  return cli_usage_error("help: no command '%s'", argv[1]);
}

int sc_cli_main(int argc, char **argv) {
  static const struct option lo[] = {{"help", no_argument, NULL, 'h'},
                                     {"version", no_argument, NULL, 'V'},
                                     {"specs", required_argument, NULL, 's'},
                                     {NULL, 0, NULL, 0}};
  const char *specs = NULL;
  int rc = SC_EXIT_OK, c;
  struct cli_opts op;
  current_cmd = NULL;
  cli_opts_init(&op, NULL, argc, argv, lo);
  while ((c = cli_opts_next(&op, &rc)) != OPT_END) {
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
    return cli_cmd_list(specs, n, rest);
  if (!strcmp(cmd, "lint"))
    return cli_cmd_lint(specs, n, rest);
  if (!strcmp(cmd, "parse"))
    return cli_cmd_parse(specs, n, rest);
  if (!strcmp(cmd, "run"))
    return cli_cmd_run(specs, n, rest);
  if (!strcmp(cmd, "serve"))
    return cli_cmd_serve(specs, n, rest);
  if (!strcmp(cmd, "compare"))
    return cli_cmd_compare(specs, n, rest);
  if (!strcmp(cmd, "help"))
    return cmd_help(n, rest);
  return cli_usage_error("unknown command '%s'", cmd);
}

void cli_sim_urls(const struct sc_sim *sim, char *url, size_t nurl, char *ctl,
                  size_t nctl) {
  snprintf(url, nurl, "http://127.0.0.1:%u%s", sc_sim_port(sim),
           sc_sim_is_rest(sim) ? "/api/v1" : "/stubs/handler_api.php");
  snprintf(ctl, nctl, "http://127.0.0.1:%u/control", sc_sim_port(sim));
}
