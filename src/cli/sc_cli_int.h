/* sc_cli_int.h — shared by the files of the command line: sc_cli.c (the
 * global options, help, the dispatch, and what every command uses: option
 * reading, the spec, output files) and one file per command:
 * sc_cli_run.c (`run`, with sc_cli_target.c for `run --target`),
 * sc_cli_serve.c, sc_cli_compare.c, sc_cli_list.c, sc_cli_parse.c and
 * sc_cli_lint.c.
 *
 * A command is called with argv[0] its own name and returns an exit code
 * from SC_EXIT_MAP (sc_cli.h). */
#ifndef SC_CLI_INT_H
#define SC_CLI_INT_H

#include "sc_cli.h"
#include "sc_compare.h"
#include "sc_run.h"

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct sc_buf;
struct sc_report;
struct sc_spec;

/* ---- the commands -------------------------------------------------------
 *
 * |specs| is --specs DIR, or NULL for the embedded spec. */

int cli_cmd_list(const char *specs, int argc, char **argv);
int cli_cmd_lint(const char *specs, int argc, char **argv);
int cli_cmd_parse(const char *specs, int argc, char **argv);
int cli_cmd_run(const char *specs, int argc, char **argv);
int cli_cmd_serve(const char *specs, int argc, char **argv);
int cli_cmd_compare(const char *specs, int argc, char **argv);

/* Each command's --help, which `smsconform help COMMAND` prints too. */
extern const char cli_usage_list[];
extern const char cli_usage_lint[];
extern const char cli_usage_parse[];
extern const char cli_usage_run[];
extern const char cli_usage_serve[];
extern const char cli_usage_compare[];

/* "smsconform: " and the message on stderr, then the hint at the running
 * command's --help; returns SC_EXIT_USAGE. */
int cli_usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* ---- options --------------------------------------------------------------
 *
 * Every command reads its options with getopt_long: `--opt value` and
 * `--opt=value`, a unique prefix of a long option, `-h`, and `--` before
 * operands that start with '-'. The option string starts with "-": operands
 * come back in order as OPT_ARG (no permutation, whatever POSIXLY_CORRECT
 * says), so `compare a.json --html F b.json` keeps its order; and ":" so
 * that a missing value is told apart from an unknown option. */

enum { OPT_END = -1, OPT_ERR = -2, OPT_ARG = 1 };

struct cli_opts {
  const char *cmd; /* "run: " prefix of the messages, NULL for the global */
  int argc;
  char **argv; /* argv[0] is the command's name, not an option */
  const struct option *lo;
  bool rest; /* past `--`: every argument is an operand */
};

/* Starts reading |argv| (|argc| of them, argv[0] the command's name). */
void cli_opts_init(struct cli_opts *p, const char *cmd, int argc, char **argv,
                   const struct option *lo);
/* The next option's value (its `val`, 'h' for help), OPT_ARG with the
 * operand in optarg, OPT_END, or OPT_ERR with a usage error printed and
 * its exit code in *rc. */
int cli_opts_next(struct cli_opts *p, int *rc);
/* Appends |more| to the comma list |*acc| (freeing the old one); 0, or
 * -1 when out of memory (|*acc| as it was). */
int cli_join_list(char **acc, const char *more);

/* ---- the spec ------------------------------------------------------------ */

/* Prints the diagnostics in |d| on stderr. */
void cli_print_diag(struct sc_buf *d);
/* The spec from |specs_dir| (NULL = embedded) with the |nextra| files of
 * |extra|; NULL with the reason on stderr. Its diagnostics are printed
 * when it loads too, unless |quiet_ok|. The caller destroys it. */
struct sc_spec *cli_load_spec(const char *specs_dir, const char *const *extra,
                              size_t nextra, bool quiet_ok);

/* ---- --profile NAME|FILE -------------------------------------------------
 *
 * Every command takes --profile the same way: a value naming an existing
 * file, or containing '/', or ending in .json, is a profile file of the
 * user's own (specs/README.md, "A vendor's own profile"), loaded with the
 * spec as one of sc_spec_load's |extra| files; any other value names a
 * built-in profile. --profile may be repeated, so that a file can extend
 * a file given before it: every file is loaded, and the last --profile is
 * the one used. */

#define CLI_MAX_PROFILE_FILES 16

struct cli_profile {
  const char *cmd;  /* "list": the prefix of the messages */
  const char *arg;  /* the last --profile, or NULL */
  bool arg_is_file; /* |arg| is one of |files| */
  const char *files[CLI_MAX_PROFILE_FILES]; /* in the order given */
  size_t nfiles;
  /* After cli_profile_load: the profile used (the last file's profile, or
   * |arg| as given), NULL when no --profile was given. */
  const char *name;
};

/* The help of --profile, the same words in every command: one line of
 * the option, then the lines shared, each after |ind| (spaces, so that
 * they line up with the command's other options). The command puts its
 * own sentence (what the profile is for, the default) in between. */
#define CLI_HELP_PROFILE_OPT "  --profile NAME|FILE\n"
#define CLI_HELP_PROFILE(ind)                                                 \
  ind "NAME: a built-in profile (`smsconform list profiles`).\n"               \
  ind "FILE (a path, or a name ending in .json): a profile of\n"              \
  ind "your own (specs/README.md, \"A vendor's own profile\"),\n"            \
  ind "loaded with the spec; repeat --profile for a file that\n"              \
  ind "extends another file (the last one is used). A file with\n"           \
  ind "a problem is refused whole: each problem is printed as\n"             \
  ind "`FILE: $.path: message`, and the exit code is 2.\n"

/* True when --profile |value| names a profile file, not a built-in
 * profile. */
bool cli_profile_is_file(const char *value);
/* Starts |p| for command |cmd| ("list"): no --profile yet. */
void cli_profile_init(struct cli_profile *p, const char *cmd);
/* One --profile |value|: a file is added to the files to load (once), and
 * |value| becomes the profile to use. 0, or a usage error's exit code. */
int cli_profile_add(struct cli_profile *p, const char *value);
/* Adds file |path| to the files to load without using its profile (`run
 * --target NAME=URL,profile=FILE`). 0, or a usage error's exit code. */
int cli_profile_add_file(struct cli_profile *p, const char *path);
/* Loads the spec (|specs| = --specs DIR, or NULL for the embedded one)
 * with p's files, all or nothing, and sets p->name. 0 with the spec in
 * *out (the caller destroys it), or an exit code with *out NULL and the
 * reason on stderr: SC_EXIT_USAGE for a file with a problem (every
 * problem as `FILE: $.path: message`) or one that holds no profile,
 * SC_EXIT_FAIL when the spec alone cannot be loaded. A built-in name is
 * not looked up: each command says in its own words that it is unknown. */
int cli_profile_load(struct cli_profile *p, const char *specs,
                     struct sc_spec **out);
/* The name of the profile that file |path| (given to cli_profile_add or
 * cli_profile_add_file) defines in |s|, or NULL when it defines none. */
const char *cli_profile_of_file(const struct sc_spec *s, const char *path);

/* ---- output ----------------------------------------------------------- */

/* One output file of |cmd|, all or nothing (sc_save_open): a writer that
 * fails leaves no half file, and an older file of that name as it was.
 * |fn| writes it; it returns non-zero on failure. 0, or non-zero with the
 * reason on stderr. */
int cli_save_output(const char *cmd, const char *path,
                    int (*fn)(FILE *f, const void *arg), const void *arg);
/* Prints at most |max| bytes of |s| with every control character shown as
 * \xNN (sc_escape_controls), so that nothing from an endpoint can drive
 * the terminal. */
void cli_put_safe(FILE *out, const char *s, size_t max);

/* A report `run` writes: where --junit, --json, ... put it (NULL = not
 * asked), its writer and its file name inside --report-dir. */
struct cli_report_out {
  const char *path;
  int (*write)(const struct sc_report *, FILE *);
  const char *name;
};

/* The five reports, in the order of their options: JUnit, JSON, TAP,
 * Markdown, HTML (no paths). */
#define CLI_NREPORTS 5
extern const struct cli_report_out cli_reports[CLI_NREPORTS];

/* |rep| written by |fn| to |path| (cli_save_output); 0 or non-zero. */
int cli_write_report(const struct sc_report *rep, const char *path,
                     int (*fn)(const struct sc_report *, FILE *));

/* The comparison's outputs: --json, --md, --html (NULL = not asked), as
 * command |cmd|. 0, or -1 when one could not be written. */
int cli_write_compares(const struct sc_compare *c, const char *cmd,
                       const char *json, const char *md, const char *html,
                       unsigned flags);

/* ---- run --target -------------------------------------------------------- */

#define CLI_MAX_TARGETS 32

/* One --target NAME=URL[,control=URL][,profile=P][,fault=F+G]. */
struct cli_target {
  char name[SC_COMPARE_NAME_MAX + 1];
  char *buf; /* the argument after NAME=, cut at its keys */
  const char *url, *control, *profile;
  char *fault;         /* F+G as given, then F,G */
  const char *dialect; /* URL sim[:DIALECT]: the built-in simulator */
  char env[sizeof "SMSCONFORM_KEY2_" + SC_COMPARE_NAME_MAX];
  char env2[sizeof "SMSCONFORM_KEY2_" + SC_COMPARE_NAME_MAX];
};

/* Parses |arg| into |t| (the caller frees t->buf, also on failure); 0, or
 * a usage error's exit code. */
int cli_target_parse(const char *arg, struct cli_target *t);

/* What `run --target` writes besides each target's reports. */
struct cli_compare_outs {
  const char *json, *md, *html; /* the comparison; NULL = not asked */
  const char *report_dir;       /* every report of every target, or NULL */
  unsigned flags;               /* SC_COMPARE_STABLE */
  bool quiet;
};

/* Runs each of the |n| targets |t| in turn and compares them. |base| holds
 * the options common to all. Returns the exit code. */
int cli_run_targets(const struct sc_spec *spec, const struct sc_run_opts *base,
                    const struct cli_target *t, size_t n,
                    const struct cli_compare_outs *outs);

/* The handler (or REST) URL and the control URL of simulator |sim| on
 * loopback. */
struct sc_sim;
void cli_sim_urls(const struct sc_sim *sim, char *url, size_t nurl, char *ctl,
                  size_t nctl);

#endif
