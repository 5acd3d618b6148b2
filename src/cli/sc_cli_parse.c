/* sc_cli_parse.c — `smsconform parse`: one answer body judged by the
 * parser, printed as JSON. */
#include "sc_cli_int.h"

#include "sc_alloc.h"
#include "sc_buf.h"
#include "sc_escape.h"
#include "sc_spec.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* A body read by `parse` larger than this is refused (the runner caps
 * bodies the same way). */
#define PARSE_BODY_MAX (64u * 1024u * 1024u)

const char cli_usage_parse[] =
    "Usage: smsconform parse --action NAME [--profile NAME|FILE]\n"
    "                        [--status N] [--content-type T] [FILE|-]\n"
    "\n"
    "Reads one response body from FILE (or standard input) and prints the\n"
    "normalized result as JSON: kind (success, status, error, not_protocol),\n"
    "token, typed fields, and every deviation with its byte offset and\n"
    "verdict. Exit 0 when the verdict is PASS or WARN, 1 on FAIL.\n"
    "\n"
    "  --action NAME        the action the body answers (see `list actions`)\n"
    CLI_HELP_PROFILE_OPT
    "                       the vendor dialect (default: the reference,\n"
    "                       sms-activate).\n"
    CLI_HELP_PROFILE("                       ")
    "  --status N           the HTTP status that came with the body\n"
    "  --content-type T     the Content-Type that came with the body\n";

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
  bool ioerr = sc_buf_add_file(&b, f) < 0;
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

int cli_cmd_parse(const char *specs, int argc, char **argv) {
  struct sc_input in;
  struct cli_profile prof;
  memset(&in, 0, sizeof(in));
  cli_profile_init(&prof, "parse");
  const char *file = NULL, *status = NULL;
  int rc = SC_EXIT_OK, c;
  static const struct option lo[] = {
      {"help", no_argument, NULL, 'h'},
      {"action", required_argument, NULL, 'a'},
      {"profile", required_argument, NULL, 'p'},
      {"status", required_argument, NULL, 's'},
      {"content-type", required_argument, NULL, 't'},
      {NULL, 0, NULL, 0}};
  struct cli_opts op;
  cli_opts_init(&op, "parse", argc, argv, lo);
  while ((c = cli_opts_next(&op, &rc)) != OPT_END) {
    if (c == OPT_ERR)
      return rc;
    if (c == 'h') {
      fputs(cli_usage_parse, stdout);
      return SC_EXIT_OK;
    } else if (c == 'a') {
      in.action = optarg;
    } else if (c == 'p') {
      if ((rc = cli_profile_add(&prof, optarg)))
        return rc;
    } else if (c == 's') {
      status = optarg;
    } else if (c == 't') {
      in.content_type = optarg;
    } else if (!file) {
      file = optarg;
    } else {
      return cli_usage_error("parse: more than one input: %s", optarg);
    }
  }
  if (!in.action)
    return cli_usage_error("parse: %s is required", "--action NAME");
  if (status) {
    char *end;
    long v = strtol(status, &end, 10);
    if (*end || v < 100 || v > 999)
      return cli_usage_error("parse: --status takes an HTTP status, not '%s'",
                             status);
    in.http_status = (int)v;
  }
  struct sc_spec *s;
  if ((rc = cli_profile_load(&prof, specs, &s)))
    return rc;
  in.profile = prof.name;
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
    rc = cli_usage_error("parse: no action '%s' (see: smsconform list actions)",
                         in.action);
  } else if (e == SC_ERR_NO_PROFILE) {
    rc = cli_usage_error(
        "parse: no profile '%s' (see: smsconform list profiles)", in.profile);
  } else if (e == SC_ERR_NOT_IN_PROFILE) {
    rc = cli_usage_error("parse: the profile does not offer action '%s' "
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
