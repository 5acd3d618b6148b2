/* sc_cli_lint.c — `smsconform lint`: the spec, and profiles of the
 * user's own, checked against the schemas. */
#include "sc_cli_int.h"

#include "sc_buf.h"
#include "sc_spec.h"

#include <stdio.h>

const char cli_usage_lint[] =
    "Usage: smsconform lint [FILE...]\n"
    "\n"
    "Validates the spec (built in, or --specs DIR) together with each FILE:\n"
    "a profile, actions or tokens file of your own. Every problem is printed\n"
    "as `file: $.json.path: message`. Exit 0 when there is none, 1 otherwise.\n";

int cli_cmd_lint(const char *specs, int argc, char **argv) {
  static const struct option lo[] = {{"help", no_argument, NULL, 'h'},
                                     {NULL, 0, NULL, 0}};
  struct cli_opts op;
  int rc = SC_EXIT_OK, c;
  size_t nfiles = 0;
  /* the operands, in order, moved to the front of argv + 1 */
  cli_opts_init(&op, "lint", argc, argv, lo);
  while ((c = cli_opts_next(&op, &rc)) != OPT_END) {
    if (c == OPT_ERR)
      return rc;
    if (c == 'h') {
      fputs(cli_usage_lint, stdout);
      return SC_EXIT_OK;
    }
    argv[1 + nfiles++] = optarg;
  }
  struct sc_buf d;
  enum sc_err e;
  sc_buf_init(&d, 4u << 20);
  struct sc_spec *s =
      sc_spec_load(specs, (const char *const *)argv + 1, nfiles, &d, &e);
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
