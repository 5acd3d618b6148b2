/* sc_cli_target.c — `smsconform run --target`: several endpoints run in
 * turn and compared. */
#include "sc_cli_int.h"

#include "sc_alloc.h"
#include "sc_compare.h"
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

/* Parses |arg| into |t|; 0, or a usage error's exit code. */
int cli_target_parse(const char *arg, struct cli_target *t) {
  static const char *const keys[] = {"control=", "profile=", "fault="};
  const char *eq = strchr(arg, '=');
  size_t n = eq ? (size_t)(eq - arg) : 0;

  memset(t, 0, sizeof *t);
  if (!eq || !n || n > SC_COMPARE_NAME_MAX || arg[0] == '.' ||
      strspn(arg, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                  "0123456789._-") != n)
    return cli_usage_error("run: --target takes NAME=URL[,control=URL]"
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
    return cli_usage_error("out of memory");
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
      return cli_usage_error("run: --target %s: unknown key '%.*s' (control, "
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
    return cli_usage_error("run: --target %s: no URL", t->name);
  if (!strcmp(t->url, "sim") || !strncmp(t->url, "sim:", 4)) {
    t->dialect = t->url[3] ? t->url + 4 : NULL;
    if (t->control)
      return cli_usage_error("run: --target %s: the built-in simulator brings "
                             "its own control endpoint",
                             t->name);
  } else if (strncmp(t->url, "http://", 7) && strncmp(t->url, "https://", 8)) {
    return cli_usage_error("run: --target %s: '%s' is not an http(s) URL nor "
                           "sim[:DIALECT]",
                           t->name, t->url);
  } else if (t->fault) {
    return cli_usage_error("run: --target %s: fault= applies to the built-in "
                           "simulator (sim[:DIALECT]) only",
                           t->name);
  }
  if (t->fault)
    for (char *p = t->fault; *p; p++)
      if (*p == '+')
        *p = ',';
  return 0;
}

/* A comparison run by `run --target`. */
struct fleet {
  const struct sc_spec *spec;
  const struct sc_run_opts *base; /* the options common to every target */
  const char *profile;            /* --profile, or the reference */
  const struct cli_compare_outs *outs;
  struct sc_compare *cmp;
  bool unreachable; /* a target did not answer */
  bool failed;      /* a target failed, or an output could not be written */
};

/* Everything that can be wrong with the targets, said before the first
 * run: two targets reading one key, an unknown profile or dialect, a key
 * not set. 0, or a usage error's exit code. */
static int targets_check(const struct fleet *f, const struct cli_target *t,
                         size_t n) {
  for (size_t i = 0; i < n; i++) {
    const char *p = t[i].profile ? t[i].profile : f->profile;
    for (size_t k = 0; k < i; k++)
      if (!strcmp(t[k].env, t[i].env))
        return cli_usage_error("run: targets '%s' and '%s' both read their "
                               "key from %s: rename one",
                               t[k].name, t[i].name, t[i].env);
    if (!sc_spec_profile(f->spec, p))
      return cli_usage_error("run: --target %s: no profile '%s' (see: "
                             "smsconform list profiles)",
                             t[i].name, p);
    if (t[i].dialect && !sc_spec_profile(f->spec, t[i].dialect))
      return cli_usage_error("run: --target %s: no dialect '%s' (see: "
                             "smsconform list profiles)",
                             t[i].name, t[i].dialect);
    const char *key = getenv(t[i].env);
    if (!t[i].dialect && strcmp(t[i].url, "sim") != 0 && !(key && *key))
      return cli_usage_error("run: --target %s: no API key: set %s (a key "
                             "in argv would show in ps)",
                             t[i].name, t[i].env);
  }
  return SC_EXIT_OK;
}

/* One target's run: its options, and the simulator it may bring. */
struct target_run {
  struct sc_run_opts o;
  struct sc_sim *sim;  /* the built-in simulator, or NULL */
  const char *dialect; /* the simulator's dialect */
  char url[256], ctl[256];
  char note[160]; /* what the target is, for the comparison; "" = a URL */
};

/* Points tr->o at target |t|, starting the built-in simulator when |t|
 * names it. 0, or a usage error's exit code. */
static int target_open(const struct fleet *f, const struct cli_target *t,
                       struct target_run *tr) {
  struct sc_run_opts *o = &tr->o;
  char err[512];
  *o = *f->base;
  o->profile = t->profile ? t->profile : f->profile;
  o->url = t->url;
  o->control = t->control;
  o->key = getenv(t->env);
  o->key2 = getenv(t->env2) && *getenv(t->env2) ? getenv(t->env2) : NULL;
  o->progress = !f->outs->quiet && isatty(STDERR_FILENO) ? stderr : NULL;
  if (!t->dialect && strcmp(t->url, "sim") != 0)
    return SC_EXIT_OK;
  tr->dialect = t->dialect ? t->dialect : o->profile;
  struct sc_sim_config cfg = {.keys = "smsconform-k1:100,"
                                      "smsconform-k2:100",
                              .seed = 1,
                              .early_cancel_seconds = -1,
                              .profile = tr->dialect,
                              .faults = t->fault,
                              .spec = f->spec};
  if (!(tr->sim = sc_sim_new(&cfg, err, sizeof err)))
    return cli_usage_error("run: --target %s: cannot start the simulator: %s",
                           t->name, err);
  cli_sim_urls(tr->sim, tr->url, sizeof tr->url, tr->ctl, sizeof tr->ctl);
  snprintf(tr->note, sizeof tr->note, "the built-in simulator%s%s",
           t->fault ? ", with faults " : "", t->fault ? t->fault : "");
  o->url = tr->url;
  o->control = tr->ctl;
  o->key = "smsconform-k1";
  o->key2 = "smsconform-k2";
  return SC_EXIT_OK;
}

/* --report-dir: the five reports of target |name| in a folder of its
 * own. A failure sets f->failed. */
static void target_reports(struct fleet *f, const char *name,
                           const struct sc_report *rep) {
  char dir[4096];
  int dl = snprintf(dir, sizeof dir, "%s/%s", f->outs->report_dir, name);
  if (dl < 0 || (size_t)dl >= sizeof dir - 32) {
    fprintf(stderr, "smsconform: run: --report-dir: path too long\n");
    f->failed = true;
    return;
  }
  if (mkdir(dir, 0777) && errno != EEXIST) {
    fprintf(stderr, "smsconform: run: cannot create %s: %s\n", dir,
            strerror(errno));
    f->failed = true;
    return;
  }
  for (size_t k = 0; k < CLI_NREPORTS; k++) {
    char path[4096];
    if (snprintf(path, sizeof path, "%s/%s", dir, cli_reports[k].name) < 0)
      continue;
    if (cli_write_report(rep, path, cli_reports[k].write))
      f->failed = true;
  }
}

/* Runs target |t| and adds its report to the comparison. 0 when the
 * comparison goes on (an unreachable target included: f->unreachable),
 * else the exit code that ends it. */
static int target_run(struct fleet *f, const struct cli_target *t) {
  struct target_run tr;
  struct sc_report rep;
  char err[512];
  memset(&tr, 0, sizeof tr);
  int rc = target_open(f, t, &tr);
  if (rc)
    return rc;
  int r = sc_run(&tr.o, &rep, err, sizeof err);
  sc_sim_destroy(tr.sim);
  if (r != SC_RUN_OK) {
    fprintf(stderr, "smsconform: run: %s: ", t->name);
    cli_put_safe(stderr, err, 2048);
    fputc('\n', stderr);
  }
  if (r == SC_RUN_UNREACHABLE) {
    sc_report_free(&rep);
    f->unreachable = true;
    return SC_EXIT_OK;
  }
  if (r != SC_RUN_OK)
    return SC_EXIT_USAGE;
  /* the reference's checks against another dialect: what that
   * dialect's document does not describe is unsupported */
  if (tr.sim && strcmp(tr.dialect, tr.o.profile) != 0)
    sc_compare_keep_documented(&rep, f->spec, tr.dialect);
  if (f->outs->report_dir)
    target_reports(f, t->name, &rep);
  if (sc_report_blockers(&rep))
    f->failed = true;
  if (!f->outs->quiet)
    fprintf(stderr,
            "smsconform: run: %s: %s, %zu checks, %lu requests, "
            "%.2f s\n",
            t->name, sc_report_blockers(&rep) ? "FAIL" : "PASS",
            rep.nresults, rep.requests, rep.seconds);
  if (sc_compare_add(f->cmp, t->name, tr.note[0] ? tr.note : NULL,
                     tr.sim ? tr.dialect : NULL, &rep, err, sizeof err)) {
    fprintf(stderr, "smsconform: run: %s: %s\n", t->name, err);
    return SC_EXIT_FAIL;
  }
  return SC_EXIT_OK;
}

/* The comparison's outputs: --json, --md, --html, and the three of
 * --report-dir. A failure sets f->failed. */
static void fleet_outputs(struct fleet *f) {
  const struct cli_compare_outs *outs = f->outs;
  if (cli_write_compares(f->cmp, "run", outs->json, outs->md, outs->html,
                         outs->flags))
    f->failed = true;
  if (outs->report_dir) {
    char pj[4096], pm[4096], ph[4096];
    if (snprintf(pj, sizeof pj, "%s/compare.json", outs->report_dir) < 0 ||
        snprintf(pm, sizeof pm, "%s/compare.md", outs->report_dir) < 0 ||
        snprintf(ph, sizeof ph, "%s/compare.html", outs->report_dir) < 0 ||
        cli_write_compares(f->cmp, "run", pj, pm, ph, outs->flags))
      f->failed = true;
  }
}

int cli_run_targets(const struct sc_spec *spec, const struct sc_run_opts *base,
                    const struct cli_target *t, size_t n,
                    const struct cli_compare_outs *outs) {
  struct fleet f = {.spec = spec,
                    .base = base,
                    .profile = base->profile ? base->profile
                                             : spec->reference->name,
                    .outs = outs,
                    .cmp = sc_compare_new()};
  int rc;
  if (!f.cmp)
    return cli_usage_error("out of memory");
  if ((rc = targets_check(&f, t, n)))
    goto out;
  if (outs->report_dir && mkdir(outs->report_dir, 0777) && errno != EEXIST) {
    fprintf(stderr, "smsconform: run: cannot create %s: %s\n",
            outs->report_dir, strerror(errno));
    rc = SC_EXIT_FAIL;
    goto out;
  }
  for (size_t i = 0; i < n; i++)
    if ((rc = target_run(&f, &t[i])))
      goto out;
  fleet_outputs(&f);
  if (!outs->quiet)
    sc_compare_console(f.cmp, stdout);
  rc = f.unreachable ? SC_EXIT_UNREACHABLE
       : f.failed    ? SC_EXIT_FAIL
                     : SC_EXIT_OK;
out:
  sc_compare_destroy(f.cmp);
  return rc;
}
