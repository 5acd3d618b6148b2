/* sc_cli_serve.c — `smsconform serve`: the built-in simulator until a
 * signal stops it. */
#include "sc_cli_int.h"

#include "sc_alloc.h"
#include "sc_sim.h"
#include "sc_spec.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char cli_usage_serve[] =
    "Usage: smsconform serve [--profile NAME|FILE] [--catalogue FILE]\n"
    "                        [--fault F,...] [--host 127.0.0.1] [--port 0]\n"
    "                        [--keys KEYS] [--seed N] [--rate-limit N]\n"
    "                        [--latency MS[:JITTER]] [--stock N]\n"
    "                        [--actions A,...]\n"
    "\n"
    "Runs the reference simulator until SIGINT or SIGTERM. Its first lines\n"
    "on standard output are machine-readable:\n"
    "  handler: http://HOST:PORT/stubs/handler_api.php\n"
    "  control: http://HOST:PORT/control\n"
    "or, for --profile rest-v1, instead of handler:\n"
    "  rest: http://HOST:PORT/api/v1\n"
    "\n"
    CLI_HELP_PROFILE_OPT
    "               the dialect to speak (default sms-activate).\n"
    CLI_HELP_PROFILE("               ")
    "  --catalogue FILE  what to sell, from a catalogue.json of your own\n"
    "               (specs/README.md) instead of the built-in one: the\n"
    "               services, countries, operators and providers, and the\n"
    "               cost and stock of each offer. A file with a problem is\n"
    "               refused whole: each problem is printed as\n"
    "               `FILE: $.path: message`, and the exit code is 2.\n"
    "  --fault F,...  switch on deliberate deviations, each a realistic\n"
    "               vendor bug a conformance run must catch (see\n"
    "               `list faults`); repeatable\n"
    "  --host H     IPv4 address to listen on (default 127.0.0.1; the control\n"
    "               endpoint can change any account: keep it on loopback)\n"
    "  --port N     TCP port; 0 picks a free one (default 0)\n"
    "  --keys KEYS  accounts: K1:100,K2:0.5 (key:balance) or K1,K2 (balance\n"
    "               100 each); default test-key:100,test-key-2:100\n"
    "  --seed N     ids, phones and codes repeat for the same seed (default 1)\n"
    "  --rate-limit N  requests per minute and API key, 1..1000000 (default\n"
    "               300 under rest-v1, no limit under the handler dialects).\n"
    "               Past it: rest-v1 429 RATE_LIMITED with Retry-After and\n"
    "               002's X-RateLimit-*; smsbulk its RATE_LIMITED token with\n"
    "               Retry-After (003); the other dialects HTTP 429 with\n"
    "               Retry-After and RATE_LIMITED. The minute runs on the\n"
    "               simulated clock (POST /control/clock frees it); /control/\n"
    "               is never limited\n"
    "  --latency MS[:JITTER]  every answer but /control/'s waits MS\n"
    "               milliseconds, plus up to JITTER more drawn from --seed,\n"
    "               without holding up other requests: a slow vendor on\n"
    "               loopback (default 0; at most 60000 each)\n"
    "  --stock N       numbers per service and country (default 1000; with\n"
    "                  --catalogue, each offer's own)\n"
    "  --actions A,...  serve only these actions of the profile, like a\n"
    "               partial implementation: the others answer as an unknown\n"
    "               action (BAD_ACTION; WRONG_ACTION under smsbulk; 404 or\n"
    "               405 under rest-v1); /control/ is served in full;\n"
    "               repeatable (default: every action of the profile)\n"
    "\n"
    "Control protocol v1 (ARCHITECTURE.md), loopback clients only: POST\n"
    "reset, sms, clock, stock, price, balance, rent-sms, webhook; GET state.\n"
    "Extension: POST account {\"apiKey\":K,\"balance\":N} makes an account\n"
    "until the next reset (a run gives each check that buys one of its own).\n"
    "\n"
    "Example:\n"
    "  smsconform serve --port 8080 --keys K1:10 &\n"
    "  curl 'http://127.0.0.1:8080/stubs/handler_api.php?api_key=K1&action=getBalance'\n"
    "  curl -d '{\"advance\":300}' http://127.0.0.1:8080/control/clock\n";

/* Everything `serve` was told, as given, then checked by serve_numbers. */
struct serve_args {
  struct sc_sim_config cfg;
  struct cli_profile prof; /* every --profile */
  const char *port, *seed, *rate, *stock, *latency;
  char *faults, *actions; /* every --fault, every --actions, joined */
  bool help;
};

/* Reads the command line into |a|; 0 or an exit code. Stops at --help. */
static int serve_parse(struct serve_args *a, int argc, char **argv) {
  static const struct option lo[] = {
      {"help", no_argument, NULL, 'h'},
      {"host", required_argument, NULL, 'H'},
      {"port", required_argument, NULL, 'P'},
      {"keys", required_argument, NULL, 'k'},
      {"profile", required_argument, NULL, 'p'},
      {"rate-limit", required_argument, NULL, 'r'},
      {"latency", required_argument, NULL, 'L'},
      {"stock", required_argument, NULL, 's'},
      {"seed", required_argument, NULL, 'S'},
      {"fault", required_argument, NULL, 'f'},
      {"actions", required_argument, NULL, 'a'},
      {"catalogue", required_argument, NULL, 'C'},
      {NULL, 0, NULL, 0}};
  struct cli_opts op;
  int rc = SC_EXIT_OK, c;
  cli_opts_init(&op, "serve", argc, argv, lo);
  while ((c = cli_opts_next(&op, &rc)) != OPT_END) {
    switch (c) {
    case OPT_ERR: return rc;
    case 'h': a->help = true; return SC_EXIT_OK;
    case 'H': a->cfg.host = optarg; break;
    case 'P': a->port = optarg; break;
    case 'k': a->cfg.keys = optarg; break;
    case 'p':
      if ((rc = cli_profile_add(&a->prof, optarg)))
        return rc;
      break;
    case 'C': a->cfg.catalogue = optarg; break;
    case 'r': a->rate = optarg; break;
    case 'L': a->latency = optarg; break;
    case 's': a->stock = optarg; break;
    case 'S': a->seed = optarg; break;
    case 'f':
    case 'a':
      if (cli_join_list(c == 'f' ? &a->faults : &a->actions, optarg))
        return cli_usage_error("out of memory");
      break;
    default:
      return cli_usage_error("serve: unexpected argument %s", optarg);
    }
  }
  return SC_EXIT_OK;
}

/* The most milliseconds --latency takes, for the wait and for its jitter
 * (the simulator's own bound). */
#define SERVE_LATENCY_MAX 60000ul

/* One run of decimal digits at |*p| (no sign, no space), advancing |*p|
 * past it; -1 when there is none or it is over SERVE_LATENCY_MAX. */
static long latency_ms(const char **p) {
  if (**p < '0' || **p > '9')
    return -1;
  char *end;
  unsigned long v = strtoul(*p, &end, 10);
  *p = end;
  return v > SERVE_LATENCY_MAX ? -2 : (long)v;
}

/* --latency MS or MS:JITTER into |cfg|; 0 or an exit code. */
static int serve_latency(const char *arg, struct sc_sim_config *cfg) {
  const char *p = arg;
  long ms = latency_ms(&p), jitter = 0;
  if (ms >= 0 && *p == ':') {
    p++;
    jitter = latency_ms(&p);
  }
  if (ms == -2 || jitter == -2)
    return cli_usage_error("serve: --latency takes at most %lu ms, and as "
                           "much jitter, not '%s'",
                           SERVE_LATENCY_MAX, arg);
  if (ms < 0 || jitter < 0 || *p)
    return cli_usage_error("serve: --latency takes MS or MS:JITTER "
                           "(milliseconds), not '%s'",
                           arg);
  cfg->latency_ms = (unsigned)ms;
  cfg->latency_jitter_ms = (unsigned)jitter;
  return SC_EXIT_OK;
}

/* The numbers among the options, into a->cfg; 0 or an exit code. */
static int serve_numbers(struct serve_args *a) {
  struct sc_sim_config *cfg = &a->cfg;
  char *end;
  if (a->port) {
    unsigned long v = strtoul(a->port, &end, 10);
    if (*end || !*a->port || v > 65535)
      return cli_usage_error("serve: --port takes 0..65535, not '%s'", a->port);
    cfg->port = (unsigned)v;
  }
  if (a->seed) {
    cfg->seed = strtoul(a->seed, &end, 10);
    if (*end || !*a->seed)
      return cli_usage_error("serve: --seed takes a number, not '%s'", a->seed);
  }
  if (a->rate) {
    unsigned long v = strtoul(a->rate, &end, 10);
    if (*end || !*a->rate || v == 0 || v > 1000000)
      return cli_usage_error("serve: --rate-limit takes 1..1000000, not '%s'",
                             a->rate);
    cfg->rate_limit = (unsigned)v;
  }
  int rc;
  if (a->latency && (rc = serve_latency(a->latency, cfg)))
    return rc;
  /* a suite run without --control cannot reset the stock between checks:
   * serve enough numbers for one (the tests' default is 10); a catalogue
   * of the user's own keeps the stock it gives (0) */
  cfg->stock = cfg->catalogue ? 0 : 1000;
  if (a->stock) {
    unsigned long v = strtoul(a->stock, &end, 10);
    if (*end || !*a->stock || v == 0 || v > 1000000)
      return cli_usage_error("serve: --stock takes 1..1000000, not '%s'",
                             a->stock);
    cfg->stock = (unsigned)v;
  }
  return SC_EXIT_OK;
}

/* Says why the simulator did not start: its message |err|; the problems
 * of a --catalogue file (`FILE: $.path: message`, one a line) as they
 * are, each line its own, and then that the file was refused. */
static void serve_failed(const struct sc_sim_config *cfg, char *err) {
  size_t n = strlen(err), c = cfg->catalogue ? strlen(cfg->catalogue) : 0;
  while (n && err[n - 1] == '\n')
    err[--n] = '\0';
  if (c && !strncmp(err, cfg->catalogue, c) && err[c] == ':')
    fprintf(stderr,
            "%s\nsmsconform: serve: --catalogue %s: refused, nothing of it "
            "is loaded\n",
            err, cfg->catalogue);
  else
    fprintf(stderr, "smsconform: serve: %s\n", err);
}

/* Starts the simulator of |cfg| on the profile of |prof|, prints its URLs
 * and serves until SIGINT or SIGTERM; the exit code. The spec is loaded
 * here for --specs DIR or a profile file (the simulator loads the
 * embedded one itself). */
static int serve_until_signal(struct sc_sim_config *cfg,
                              struct cli_profile *prof, const char *specs) {
  struct sc_spec *spec = NULL;
  int rc;
  cfg->profile = prof->arg;
  if ((specs || prof->nfiles) && (rc = cli_profile_load(prof, specs, &spec)))
    return rc;
  if (spec)
    cfg->profile = prof->name;
  cfg->spec = spec;
  /* Block the signals before the server's threads start, so that only
   * sigwait() below sees them. */
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  /* the simulator's message may carry a line per problem of --catalogue */
  char err[65536 + 256];
  struct sc_sim *sim = sc_sim_new(cfg, err, sizeof(err));
  if (!sim) {
    serve_failed(cfg, err);
    sc_spec_destroy(spec);
    return SC_EXIT_USAGE;
  }
  if (sc_sim_is_rest(sim))
    printf("rest: http://%s:%u/api/v1\n", cfg->host, sc_sim_port(sim));
  else
    printf("handler: http://%s:%u/stubs/handler_api.php\n", cfg->host,
           sc_sim_port(sim));
  printf("control: http://%s:%u/control\n", cfg->host, sc_sim_port(sim));
  printf("profile: %s\n", sc_sim_profile(sim));
  fflush(stdout);
  int sig = 0;
  sigwait(&set, &sig);
  fprintf(stderr, "smsconform: serve: stopping on signal %d\n", sig);
  sc_sim_destroy(sim);
  sc_spec_destroy(spec);
  return SC_EXIT_OK;
}

int cli_cmd_serve(const char *specs, int argc, char **argv) {
  struct serve_args a = {.cfg = {.host = "127.0.0.1",
                                 .keys = "test-key:100,test-key-2:100",
                                 .seed = 1,
                                 .early_cancel_seconds = -1}};
  cli_profile_init(&a.prof, "serve");
  int rc = serve_parse(&a, argc, argv);
  if (!rc && a.help) {
    fputs(cli_usage_serve, stdout);
  } else if (!rc && !(rc = serve_numbers(&a))) {
    a.cfg.faults = a.faults;
    a.cfg.actions = a.actions;
    rc = serve_until_signal(&a.cfg, &a.prof, specs);
  }
  sc_free(a.faults);
  sc_free(a.actions);
  return rc;
}
