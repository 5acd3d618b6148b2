/* sc_cli_lint.c — `smsconform lint`: the spec, and profiles of the
 * user's own, checked against the schemas. */
#include "sc_cli_int.h"

#include "sc_alloc.h"
#include "sc_buf.h"
#include "sc_spec.h"

#include <stdio.h>
#include <string.h>

const char cli_usage_lint[] =
    "Usage: smsconform lint [--profile NAME|FILE] [FILE...]\n"
    "\n"
    "Validates the spec (built in, or --specs DIR) together with each FILE:\n"
    "a profile, actions or tokens file of your own. Every problem is printed\n"
    "as `file: $.json.path: message`. Exit 0 when there is none, 1 when\n"
    "there are (2 for a --profile FILE with a problem, as in every command).\n"
    "\n"
    CLI_HELP_PROFILE_OPT
    "            the profile the FILEs go with: a FILE may extend it.\n"
    CLI_HELP_PROFILE("            ");

/* --profile: loaded alone first, so that a problem of its own is a
 * refusal (exit 2) as in every command; 0 or the exit code. */
static int lint_profile(struct cli_profile *prof, const char *specs) {
  struct sc_spec *s = NULL;
  int rc = cli_profile_load(prof, specs, &s);
  if (!rc && !sc_spec_profile(s, prof->name))
    rc = cli_usage_error("lint: no profile '%s' (see: smsconform list "
                         "profiles)",
                         prof->name);
  sc_spec_destroy(s);
  return rc;
}

/* Lints the spec with the |n| files |files|; the exit code. */
static int lint_files(const char *specs, const char *const *files, size_t n) {
  struct sc_buf d;
  enum sc_err e;
  sc_buf_init(&d, 4u << 20);
  struct sc_spec *s = sc_spec_load(specs, files, n, &d, &e);
  cli_print_diag(&d);
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

int cli_cmd_lint(const char *specs, int argc, char **argv) {
  static const struct option lo[] = {{"help", no_argument, NULL, 'h'},
                                     {"profile", required_argument, NULL, 'p'},
                                     {NULL, 0, NULL, 0}};
  struct cli_opts op;
  struct cli_profile prof;
  int rc = SC_EXIT_OK, c;
  size_t nops = 0, n;
  /* the operands, in order, moved to the front of argv + 1 */
  cli_profile_init(&prof, "lint");
  cli_opts_init(&op, "lint", argc, argv, lo);
  while ((c = cli_opts_next(&op, &rc)) != OPT_END) {
    if (c == OPT_ERR)
      return rc;
    if (c == 'h') {
      fputs(cli_usage_lint, stdout);
      return SC_EXIT_OK;
    }
    if (c == 'p') {
      if ((rc = cli_profile_add(&prof, optarg)))
        return rc;
      continue;
    }
    argv[1 + nops++] = optarg;
  }
  if (prof.arg && (rc = lint_profile(&prof, specs)))
    return rc;
  /* the profile files, then each FILE not among them */
  const char **files = sc_malloc((prof.nfiles + nops + 1) * sizeof *files);
  if (!files)
    return cli_usage_error("out of memory");
  memcpy(files, prof.files, prof.nfiles * sizeof *files);
  n = prof.nfiles;
  for (size_t i = 0; i < nops; i++) {
    size_t k = 0;
    while (k < prof.nfiles && strcmp(prof.files[k], argv[1 + i]))
      k++;
    if (k == prof.nfiles)
      files[n++] = argv[1 + i];
  }
  rc = lint_files(specs, files, n);
  sc_free(files);
  return rc;
}
