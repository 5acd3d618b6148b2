/* test_hostile.c — the whole runner (the smsconform binary, as a user runs
 * it) against the hostile endpoint catalogue of hostile.c, and the key
 * hygiene of a full run.
 *
 * Catalogue: for every misbehaviour, `smsconform run` against a server
 * that misbehaves so on every request must
 *   - exit by itself within a bound derived from --timeout, with 1 (the
 *     checks failed) or 3 (the endpoint never answered), not by a signal;
 *   - say ERROR or FAIL for every check with a message naming the cause;
 *   - write a well-formed junit.xml (valid against data/report/junit.xsd),
 *     a report.json that parses, a report.html with no script but its own
 *     and no control byte, and no ESC in any file;
 *   - print nothing to the terminal that can drive it: no C0 control byte
 *     but \n and \t, no C1 control, valid UTF-8 only;
 *   - stay within a memory cap: peak RSS at most RSS_SLACK_MB above the
 *     same run against a server that answers "OK";
 *   - never show the key: not on stdout or stderr, not in any report or
 *     recording, and not at the second host that /redirect points to,
 *     which must receive nothing at all.
 * Key hygiene: a full run against the simulator with every output on, the
 * key given by file or by environment, plain and with characters that
 * need escaping; every byte of every output is searched for the key as it
 * is and in every form it could travel in (percent-encoded, form-encoded,
 * JSON-, HTML- and shell-escaped, base64 at any alignment). */
#define _GNU_SOURCE /* wait4, strcasestr */
#include "hostile.h"
#include "sc_buf.h"
#include "sc_escape.h"
#include "sc_sim.h"

#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <curl/curl.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SC_BINARY
#define SC_BINARY "build/smsconform"
#endif

/* The key of the catalogue runs: distinctive, and sent as it is (only
 * unreserved characters), so that the hostile server's log shows it. */
#define KEY "hostile-K3y-5e1d0c9b7a"

/* --timeout of the catalogue runs, and the bound on a whole run: the
 * probe and one round of the four checks (one request each, four jobs)
 * can each take a timeout, and clean-up buys nothing; the rest is process
 * start and exit on a loaded machine (ASan, other tests at once). */
#define TIMEOUT_S 1.0
#define BOUND_S (4 * TIMEOUT_S + 8.0)

/* The memory cap above the baseline. The catalogue's big answers are
 * 50 MB (/big), endless (/endless) and 1 GiB once inflated (/gzip): an
 * answer kept past the 1 MiB body cap, or inflated, takes more than this.
 * What the cap leaves room for: four bodies at the cap at once, their
 * buffers' doubling, the recording of five 1 MB answers (/gzip), and
 * AddressSanitizer's shadow memory (its quarantine is kept small, see
 * run_binary). Measured, at most: +23 MB plain and +10 MB under ASan,
 * both /gzip with its recording of five 1 MB answers; +5 MB for the
 * endless body. */
#define RSS_SLACK_MB 32

/* ---- running the binary ------------------------------------------------- */

struct child {
  int status;   /* as from wait4 */
  double secs;  /* wall time */
  long rss_kb;  /* peak resident set (ru_maxrss) */
  int killed;   /* ran past its bound and was killed */
};

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs `smsconform ARGV` in |dir| (its working directory) with stdout in
 * dir/stdout and stderr in dir/stderr, no terminal, and the environment
 * of this process without SMSCONFORM_* plus |env| (NULL-terminated
 * "NAME=value" lines). Kills it once it runs |bound| seconds. */
static void run_binary(const char *dir, const char *const *argv,
                       const char *const *env, double bound,
                       struct child *out) {
  extern char **environ;
  const char *envp[512];
  size_t ne = 0;
  for (char **e = environ; *e && ne < 480; e++)
    if (strncmp(*e, "SMSCONFORM_", 11) != 0 &&
        strncmp(*e, "ASAN_OPTIONS=", 13) != 0)
      envp[ne++] = *e;
  /* Under AddressSanitizer, freed blocks wait in a quarantine (256 MB by
   * default) and stay resident: a small one keeps peak RSS a measure of
   * what the runner holds. Ignored by a build without it. */
  static char asan[1024];
  const char *ao = getenv("ASAN_OPTIONS");
  snprintf(asan, sizeof asan, "ASAN_OPTIONS=%s%squarantine_size_mb=4",
           ao ? ao : "", ao && *ao ? ":" : "");
  envp[ne++] = asan;
  for (size_t i = 0; env && env[i] && ne < 510; i++)
    envp[ne++] = env[i];
  envp[ne] = NULL;
  const char *av[64];
  size_t na = 0;
  av[na++] = SC_BINARY;
  for (size_t i = 0; argv[i] && na < 63; i++)
    av[na++] = argv[i];
  av[na] = NULL;
  char po[4096], pe[4096];
  snprintf(po, sizeof po, "%s/stdout", dir);
  snprintf(pe, sizeof pe, "%s/stderr", dir);
  int fo = open(po, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  int fe = open(pe, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  int fi = open("/dev/null", O_RDONLY | O_CLOEXEC);
  cr_assert(fo >= 0 && fe >= 0 && fi >= 0);
  memset(out, 0, sizeof *out);
  double t0 = now_s();
  pid_t pid = fork();
  cr_assert_geq(pid, 0);
  if (pid == 0) {
    /* only async-signal-safe calls until exec */
    if (dup2(fi, 0) < 0 || dup2(fo, 1) < 0 || dup2(fe, 2) < 0 || chdir(dir))
      _exit(126);
    execve(SC_BINARY, (char *const *)av, (char *const *)envp);
    _exit(127);
  }
  close(fo);
  close(fe);
  close(fi);
  struct rusage ru;
  for (;;) {
    memset(&ru, 0, sizeof ru);
    pid_t w = wait4(pid, &out->status, WNOHANG, &ru);
    if (w == pid)
      break;
    cr_assert(w == 0 || errno == EINTR, "wait4: %s", strerror(errno));
    if (now_s() - t0 > bound && !out->killed) {
      out->killed = 1;
      kill(pid, SIGKILL);
    }
    nanosleep(&(struct timespec){0, 10000000}, NULL);
  }
  out->secs = now_s() - t0;
  out->rss_kb = ru.ru_maxrss;
}

/* The whole file at |path|, NUL-terminated (not counted in *len); NULL if
 * it cannot be read. */
static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  size_t cap = 1 << 16, n = 0, r;
  char *b = malloc(cap);
  while (b && (r = fread(b + n, 1, cap - n - 1, f)) > 0) {
    n += r;
    if (n + 1 == cap)
      b = realloc(b, cap *= 2);
  }
  fclose(f);
  if (b)
    b[n] = '\0';
  if (len)
    *len = n;
  return b;
}

static char *xmkdtemp(void) {
  char tmpl[] = "/tmp/sc_hostile_XXXXXX";
  cr_assert_not_null(mkdtemp(tmpl));
  return strdup(tmpl);
}

/* Removes |path| and everything under it. */
static void rm_rf(const char *path) {
  DIR *d = opendir(path);
  if (d) {
    struct dirent *e;
    while ((e = readdir(d)))
      if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
        char p[4096];
        snprintf(p, sizeof p, "%s/%s", path, e->d_name);
        rm_rf(p);
      }
    closedir(d);
    rmdir(path);
  } else {
    unlink(path);
  }
}

/* Calls |fn| for every regular file under |dir|; returns how many. */
static size_t each_file(const char *dir,
                        void (*fn)(const char *path, const char *data,
                                   size_t len, void *ud),
                        void *ud, size_t *bytes) {
  size_t n = 0;
  DIR *d = opendir(dir);
  cr_assert_not_null(d, "%s", dir);
  struct dirent *e;
  while ((e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
      continue;
    char p[4096];
    int w = snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
    cr_assert(w > 0 && (size_t)w < sizeof p, "path too long: %s/%s", dir,
              e->d_name);
    struct stat st;
    cr_assert_eq(lstat(p, &st), 0, "%s", p);
    if (S_ISDIR(st.st_mode)) {
      n += each_file(p, fn, ud, bytes);
    } else if (S_ISREG(st.st_mode)) {
      size_t len;
      char *data = slurp(p, &len);
      cr_assert_not_null(data, "%s", p);
      fn(p, data, len, ud);
      if (bytes)
        *bytes += len;
      free(data);
      n++;
    }
  }
  closedir(d);
  return n;
}

static const char *memfind(const char *h, size_t hn, const char *n,
                           size_t nn) {
  if (!nn || nn > hn)
    return NULL;
  for (const char *p = h; (p = memchr(p, n[0], (size_t)(h + hn - p - nn + 1)));
       p++)
    if (memcmp(p, n, nn) == 0)
      return p;
  return NULL;
}

/* ---- the key in every form it could travel in -------------------------- */

#define FORMS_MAX 24

struct forms {
  char *s[FORMS_MAX];
  const char *name[FORMS_MAX];
  size_t n;
};

static void form_add(struct forms *f, const char *name, struct sc_buf *b) {
  sc_buf_add(b, "", 0);
  char *s = sc_buf_take(b, NULL);
  cr_assert_not_null(s);
  for (size_t i = 0; i < f->n; i++)
    if (strcmp(f->s[i], s) == 0) {
      free(s);
      return; /* the same text as a form already listed */
    }
  cr_assert_lt(f->n, (size_t)FORMS_MAX);
  f->name[f->n] = name;
  f->s[f->n++] = s;
}

/* Every run of 8 or more letters and digits in |key|: whatever escaping
 * a writer applies, such a run stays as it is, so a key in any encoding
 * but base64 shows by it. */
static void forms_add_runs(struct forms *f, const char *key) {
  for (const char *p = key; *p;) {
    size_t n = 0;
    while (p[n] && ((p[n] >= '0' && p[n] <= '9') ||
                    (p[n] >= 'A' && p[n] <= 'Z') || (p[n] >= 'a' && p[n] <= 'z')))
      n++;
    if (n >= 8) {
      struct sc_buf b;
      sc_buf_init(&b, 1 << 16);
      sc_buf_add(&b, p, n);
      form_add(f, "a part of it", &b);
    }
    p += n ? n : 1;
  }
}

static void forms_init(struct forms *f, const char *key) {
  memset(f, 0, sizeof *f);
  size_t kl = strlen(key);
  struct sc_buf b;
  sc_buf_init(&b, 1 << 16);
  sc_buf_adds(&b, key);
  form_add(f, "as it is", &b);
  sc_buf_init(&b, 1 << 16);
  sc_escape_query(&b, key, kl);
  form_add(f, "percent-encoded", &b);
  /* lower-case hex digits, and a space as '+' (HTML forms) */
  sc_buf_init(&b, 1 << 16);
  for (const char *p = key; *p; p++) {
    unsigned char c = (unsigned char)*p;
    if (c == ' ')
      sc_buf_addc(&b, '+');
    else if (strchr("-._~", c) || (c >= '0' && c <= '9') ||
             (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))
      sc_buf_addc(&b, (char)c);
    else
      sc_buf_printf(&b, "%%%02x", c);
  }
  form_add(f, "form-encoded", &b);
  sc_buf_init(&b, 1 << 16);
  sc_escape_json(&b, key, kl);
  form_add(f, "JSON-escaped", &b);
  sc_buf_init(&b, 1 << 16);
  for (const char *p = key; *p; p++)
    switch (*p) {
    case '&': sc_buf_adds(&b, "&amp;"); break;
    case '<': sc_buf_adds(&b, "&lt;"); break;
    case '>': sc_buf_adds(&b, "&gt;"); break;
    case '"': sc_buf_adds(&b, "&quot;"); break;
    case '\'': sc_buf_adds(&b, "&#39;"); break;
    default: sc_buf_addc(&b, *p);
    }
  form_add(f, "HTML-escaped", &b);
  sc_buf_init(&b, 1 << 16);
  for (const char *p = key; *p; p++) {
    if (*p == '"' || *p == '\\' || *p == '`' || *p == '$')
      sc_buf_addc(&b, '\\');
    sc_buf_addc(&b, *p);
  }
  form_add(f, "shell-escaped", &b);
  /* base64 at each of the three alignments: the characters that only the
   * key's bytes decide */
  static const char *const b64[] = {"base64", "base64 (offset 1)",
                                    "base64 (offset 2)"};
  for (size_t o = 0; o < 3; o++) {
    char raw[600] = {0};
    cr_assert_lt(o + kl, sizeof raw);
    memcpy(raw + o, key, kl);
    struct sc_buf e;
    sc_buf_init(&e, 1 << 16);
    sc_base64_encode(&e, raw, o + kl);
    size_t from = (8 * o + 5) / 6, to = 8 * (o + kl) / 6;
    sc_buf_init(&b, 1 << 16);
    sc_buf_add(&b, e.ptr + from, to - from);
    sc_buf_free(&e);
    form_add(f, b64[o], &b);
  }
  forms_add_runs(f, key);
}

static void forms_free(struct forms *f) {
  for (size_t i = 0; i < f->n; i++)
    free(f->s[i]);
}

/* The form of the key found in [data, data+len), or NULL. */
static const char *key_in(const struct forms *f, const char *data,
                          size_t len) {
  for (size_t i = 0; i < f->n; i++)
    if (memfind(data, len, f->s[i], strlen(f->s[i])))
      return f->name[i];
  return NULL;
}

struct grep {
  const struct forms *forms;
  size_t files, bytes;
};

static void grep_file(const char *path, const char *data, size_t len,
                      void *ud) {
  struct grep *g = ud;
  const char *form = key_in(g->forms, data, len);
  cr_expect_null(form, "%s holds the key (%s)", path, form);
  g->files++;
}

/* ---- what the terminal may receive ------------------------------------ */

/* stdout and stderr: valid UTF-8, no C0 control but \n and \t, no DEL, no
 * C1 control (U+0080..U+009F). */
static void expect_terminal_safe(const char *what, const char *s,
                                 size_t len) {
  size_t bad = sc_utf8_check(s, len);
  cr_expect_eq(bad, (size_t)-1, "%s: invalid UTF-8 or NUL at byte %zu", what,
               bad);
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f ||
        (c == 0xc2 && i + 1 < len && (unsigned char)s[i + 1] >= 0x80 &&
         (unsigned char)s[i + 1] <= 0x9f)) {
      cr_expect(0, "%s: control byte 0x%02x at %zu: ...%.40s", what, c, i,
                s + (i > 20 ? i - 20 : 0));
      return;
    }
  }
}

/* ---- the catalogue ------------------------------------------------------ */

struct hcase {
  const char *name;      /* what the row is, for messages */
  const char *behaviour; /* hostile.c path served for every request; NULL:
                            nothing listens (connection refused) */
  const char *scheme;    /* the --url scheme */
  int exit_code;         /* 1: the checks FAIL; 3: never answered */
  const char *want;      /* '|'-separated; one must be in every check's
                            message or actual */
};

static const struct hcase cases[] = {
    /* nothing listens on the port */
    {"connection refused", NULL, "http", 3, "cannot connect"},
    /* accepts, reads, never answers */
    {"hang before headers", "/hang", "http", 3, "within the timeout"},
    /* headers, then 10 of 100 bytes, then silence */
    {"hang mid-body", "/hang-body", "http", 1, "within the timeout"},
    /* slowloris in the head: a header line every 100 ms */
    {"slowloris headers", "/drip-head", "http", 1,
     "within the timeout|too many or too large"},
    /* slowloris in the body: a byte every 100 ms */
    {"slowloris body", "/drip-body", "http", 1, "within the timeout"},
    /* Content-Length 50 MB */
    {"50 MB body", "/big", "http", 1, "larger than the body cap"},
    /* a chunked body that never ends */
    {"endless chunked body", "/endless", "http", 1,
     "larger than the body cap"},
    /* an invalid chunk size */
    {"invalid chunk encoding", "/bad-chunk", "http", 1,
     "not a valid HTTP answer|connection broke"},
    /* Content-Encoding: gzip, 1 GiB inflated: never inflated */
    {"gzip bomb", "/gzip", "http", 1, "HTTP 200"},
    /* a TCP reset at once */
    {"reset", "/reset", "http", 3, "connection broke|not a valid HTTP"},
    /* a TCP reset mid-body */
    {"reset mid-body", "/reset-mid", "http", 1,
     "connection broke|not a valid HTTP"},
    /* 10,000 header lines */
    {"10,000 headers", "/headers", "http", 1, "too many or too large"},
    /* no status line */
    {"HTTP/0.9 garbage", "/http09", "http", 3, "not a valid HTTP answer"},
    /* a TLS alert to a plain request */
    {"TLS answer to plain HTTP", "/tls-alert", "http", 3,
     "not a valid HTTP answer"},
    /* https:// to a plain HTTP server */
    {"TLS to a plain port", "/ok", "https", 3, "TLS failure"},
    /* a thousand 100 Continue, then silence */
    {"1xx loop", "/1xx", "http", 3, "within the timeout"},
    /* 302 to 127.0.0.2 with the key-bearing query */
    {"redirect to another host", "/redirect", "http", 1, "HTTP 302"},
    /* 302 to file:///etc/passwd */
    {"redirect to file://", "/redirect-file", "http", 1, "HTTP 302"},
    /* 302 to itself */
    {"redirect loop", "/redirect-loop", "http", 1, "HTTP 302"},
    /* invalid UTF-8 and NULs after a token */
    {"binary body", "/binary", "http", 1, "HTTP 200"},
    /* overlong forms, surrogates, C1 controls */
    {"invalid UTF-8 and C1", "/bad-utf8", "http", 1, "HTTP 200"},
    /* <script>, ]]>, controls and ANSI in an HTML body */
    {"markup", "/markup", "http", 1, "HTTP 200"},
    /* the same after a token, where messages quote the body */
    {"markup after a token", "/markup-token", "http", 1, "HTTP 200"},
    /* CSI/OSC in the reason phrase, a header and the body */
    {"terminal escapes", "/escapes", "http", 1, "HTTP 200"},
};
#define NCASES (sizeof cases / sizeof *cases)

/* Four checks of one request each: three GETs and a form POST. */
static const char *const only_args[] = {
    "--only", "format.getBalance",      "--only", "format.getCountries",
    "--only", "transport.text-answer",  "--only", "transport.post-form"};
#define NONLY (sizeof only_args / sizeof *only_args)

/* Runs the four checks against |url| into |dir| (reports in dir/out,
 * recording in dir/rec). */
static void run_catalogue(const char *dir, const char *url, struct child *c) {
  const char *argv[40];
  size_t n = 0;
  argv[n++] = "run";
  argv[n++] = "--url";
  argv[n++] = url;
  argv[n++] = "--timeout";
  argv[n++] = "1";
  for (size_t i = 0; i < NONLY; i++)
    argv[n++] = only_args[i];
  argv[n++] = "--report-dir";
  argv[n++] = "out";
  argv[n++] = "--record";
  argv[n++] = "rec";
  argv[n] = NULL;
  static const char *const env[] = {"SMSCONFORM_KEY=" KEY, NULL};
  run_binary(dir, argv, env, BOUND_S + 20, c);
}

static void expect_report_html(const char *what, const char *s) {
  size_t scripts = 0;
  for (const char *p = s; (p = strcasestr(p, "<script")); p++)
    scripts++;
  cr_expect_eq(scripts, 1u, "%s: %zu <script (only the report's own)", what,
               scripts);
  cr_expect_null(strstr(s, "<img"), "%s: markup from the body", what);
  for (const char *p = s; *p; p++) {
    unsigned char c = (unsigned char)*p;
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) {
      cr_expect(0, "%s: control byte 0x%02x at %zu", what, c,
                (size_t)(p - s));
      break;
    }
  }
}

static void expect_junit(const char *what, const char *s, size_t len) {
  xmlDocPtr doc = xmlReadMemory(s, (int)len, "junit.xml", NULL,
                                XML_PARSE_NONET | XML_PARSE_NOERROR |
                                    XML_PARSE_NOWARNING);
  cr_assert_not_null(doc, "%s: junit.xml is not well-formed", what);
  xmlSchemaParserCtxtPtr pc =
      xmlSchemaNewParserCtxt(SC_TESTDATA_DIR "/report/junit.xsd");
  xmlSchemaPtr schema = pc ? xmlSchemaParse(pc) : NULL;
  cr_assert_not_null(schema, "junit.xsd does not load");
  xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(schema);
  cr_expect_eq(xmlSchemaValidateDoc(vc, doc), 0,
               "%s: junit.xml is invalid against junit.xsd", what);
  xmlSchemaFreeValidCtxt(vc);
  xmlSchemaFree(schema);
  xmlSchemaFreeParserCtxt(pc);
  xmlFreeDoc(doc);
}

/* One of the '|'-separated phrases of |want| is in |s|. */
static int has_phrase(const char *s, const char *want) {
  char buf[256];
  snprintf(buf, sizeof buf, "%s", want);
  for (char *sv, *w = strtok_r(buf, "|", &sv); w; w = strtok_r(NULL, "|", &sv))
    if (strstr(s, w))
      return 1;
  return 0;
}

static void expect_report_json(const struct hcase *hc, const char *s) {
  cJSON *j = cJSON_Parse(s);
  cr_assert_not_null(j, "%s: report.json does not parse", hc->name);
  const cJSON *results = cJSON_GetObjectItemCaseSensitive(j, "results"), *r;
  int selected = 0;
  cJSON_ArrayForEach(r, results) {
    const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(r, "id"));
    const char *v = cJSON_GetStringValue(cJSON_GetObjectItem(r, "verdict"));
    const char *m = cJSON_GetStringValue(cJSON_GetObjectItem(r, "message"));
    const char *a = cJSON_GetStringValue(cJSON_GetObjectItem(r, "actual"));
    const char *curl = cJSON_GetStringValue(cJSON_GetObjectItem(r, "curl"));
    cr_assert(id && v, "%s: a result without id or verdict", hc->name);
    if (!strncmp(id, "support.", 8)) {
      /* the run's own probes: any answer but the unknown-action signal
       * says the action is there (its format check judges the answer);
       * none at all is an ERROR that says why */
      cr_expect(!strcmp(v, "PASS") || (!strcmp(v, "ERROR") && m && *m),
                "%s: %s is %s", hc->name, id, v);
      continue;
    }
    selected++;
    cr_expect(!strcmp(v, "FAIL") || !strcmp(v, "ERROR"), "%s: %s is %s",
              hc->name, id, v);
    cr_expect(m && *m, "%s: %s has no message", hc->name, id);
    char both[4096];
    snprintf(both, sizeof both, "%s | %s", m ? m : "", a ? a : "");
    cr_expect(has_phrase(both, hc->want), "%s: %s: \"%s\" not in \"%s\"",
              hc->name, id, hc->want, both);
    /* the reproduction line names the key by its variable */
    if (curl)
      cr_expect(strstr(curl, "$SMSCONFORM_KEY") != NULL, "%s: %s: %s",
                hc->name, id, curl);
  }
  cr_expect_eq(selected, (int)(NONLY / 2),
               "%s: every selected check is reported", hc->name);
  cJSON_Delete(j);
}

static void no_esc_file(const char *path, const char *data, size_t len,
                        void *ud) {
  (void)ud;
  const char *p = memchr(data, 0x1b, len);
  cr_expect_null(p, "%s: a raw ESC at byte %zu", path,
                 p ? (size_t)(p - data) : 0);
}

/* The same run against a server that answers "OK": the baseline for the
 * memory cap. */
static long baseline_rss_kb(void) {
  struct hostile *ok = hostile_start_mode("/ok");
  cr_assert_not_null(ok);
  char *dir = xmkdtemp(), url[128];
  snprintf(url, sizeof url, "http://127.0.0.1:%u/stubs/handler_api.php",
           hostile_port(ok));
  struct child c;
  run_catalogue(dir, url, &c);
  hostile_stop(ok);
  rm_rf(dir);
  free(dir);
  cr_assert(WIFEXITED(c.status), "baseline run: status %d", c.status);
  return c.rss_kb;
}

static void catalogue_setup(void) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
}

static void catalogue_teardown(void) {
  curl_global_cleanup();
}

TestSuite(hostile, .init = catalogue_setup, .fini = catalogue_teardown,
          .timeout = 120);

ParameterizedTestParameters(hostile, catalogue) {
  static int idx[NCASES];
  for (size_t i = 0; i < NCASES; i++)
    idx[i] = (int)i;
  return cr_make_param_array(int, idx, NCASES);
}

ParameterizedTest(int *i, hostile, catalogue) {
  const struct hcase *hc = &cases[*i];
  /* the second host, which /redirect sends the key to */
  struct hostile *other = hostile_start_at("127.0.0.2", "/ok");
  cr_assert_not_null(other, "cannot listen on 127.0.0.2");
  struct hostile *srv = NULL;
  unsigned port;
  if (hc->behaviour) {
    srv = hostile_start_mode(hc->behaviour);
    cr_assert_not_null(srv);
    hostile_redirect_to(srv, hostile_port(other));
    port = hostile_port(srv);
  } else {
    /* a port that was free a moment ago: nothing listens there now */
    struct hostile *gone = hostile_start_mode("/ok");
    cr_assert_not_null(gone);
    port = hostile_port(gone);
    hostile_stop(gone);
  }
  char url[160];
  snprintf(url, sizeof url, "%s://127.0.0.1:%u/stubs/handler_api.php",
           hc->scheme, port);
  char *dir = xmkdtemp();
  struct child c;
  run_catalogue(dir, url, &c);
  long base_kb = baseline_rss_kb();
  cr_log_info("%-26s exit %d  %.2f s  peak RSS %ld KiB (baseline %ld KiB)",
              hc->name, WIFEXITED(c.status) ? WEXITSTATUS(c.status) : -1,
              c.secs, c.rss_kb, base_kb);

  char p[4200];
  size_t olen, elen;
  snprintf(p, sizeof p, "%s/stdout", dir);
  char *out = slurp(p, &olen);
  snprintf(p, sizeof p, "%s/stderr", dir);
  char *err = slurp(p, &elen);
  cr_assert(out && err);

  /* it ended by itself, in time, with the right code */
  cr_expect(!c.killed, "%s: still running after %.0f s", hc->name, c.secs);
  cr_assert(WIFEXITED(c.status), "%s: ended by signal %d; stderr: %s",
            hc->name, WIFSIGNALED(c.status) ? WTERMSIG(c.status) : 0, err);
  cr_expect_eq(WEXITSTATUS(c.status), hc->exit_code,
               "%s: exit %d, want %d; stderr: %s", hc->name,
               WEXITSTATUS(c.status), hc->exit_code, err);
  cr_expect_lt(c.secs, BOUND_S, "%s: took %.2f s", hc->name, c.secs);
  if (hc->exit_code == 3)
    cr_expect(strstr(err, "does not answer") && has_phrase(err, hc->want),
              "%s: stderr does not say why: %s", hc->name, err);

  /* the terminal */
  expect_terminal_safe("stdout", out, olen);
  expect_terminal_safe("stderr", err, elen);

  /* the reports */
  size_t len;
  snprintf(p, sizeof p, "%s/out/report.json", dir);
  char *json = slurp(p, NULL);
  cr_expect_not_null(json, "%s: no report.json", hc->name);
  if (json)
    expect_report_json(hc, json);
  free(json);
  snprintf(p, sizeof p, "%s/out/junit.xml", dir);
  char *junit = slurp(p, &len);
  cr_expect_not_null(junit, "%s: no junit.xml", hc->name);
  if (junit)
    expect_junit(hc->name, junit, len);
  free(junit);
  snprintf(p, sizeof p, "%s/out/report.html", dir);
  char *html = slurp(p, NULL);
  cr_expect_not_null(html, "%s: no report.html", hc->name);
  if (html)
    expect_report_html(hc->name, html);
  free(html);
  each_file(dir, no_esc_file, NULL, NULL);

  /* memory */
  cr_expect_leq(c.rss_kb, base_kb + RSS_SLACK_MB * 1024L,
                "%s: peak RSS %ld KiB, baseline %ld KiB", hc->name, c.rss_kb,
                base_kb);

  /* the key: nowhere in what the run wrote, never at the second host */
  struct forms f;
  forms_init(&f, KEY);
  struct grep g = {&f, 0, 0};
  each_file(dir, grep_file, &g, NULL);
  cr_expect_geq(g.files, 7u, "%s: stdout, stderr and five reports", hc->name);
  cr_expect_eq(hostile_requests(other), 0u,
               "%s: the second host received a request", hc->name);
  cr_expect(!hostile_saw(other, KEY), "%s: the key reached the second host",
            hc->name);
  if (srv) {
    cr_expect_gt(hostile_requests(srv), 0u, "%s: no request arrived",
                 hc->name);
    /* the key did travel, to the endpoint it belongs to */
    if (!strcmp(hc->scheme, "http"))
      cr_expect(hostile_saw(srv, "api_key=" KEY), "%s: the key never sent",
                hc->name);
    /* no content encoding was asked for */
    cr_expect(!hostile_saw(srv, "Accept-Encoding"), "%s", hc->name);
  }
  forms_free(&f);
  free(out);
  free(err);
  hostile_stop(srv);
  hostile_stop(other);
  rm_rf(dir);
  free(dir);
}

/* The second host records what reaches it: without this, "it received
 * nothing" could not fail. */
Test(hostile, second_host_records_what_arrives) {
  struct hostile *other = hostile_start_at("127.0.0.2", "/ok");
  cr_assert_not_null(other);
  char url[128];
  snprintf(url, sizeof url, "http://127.0.0.2:%u/steal?api_key=" KEY,
           hostile_port(other));
  CURL *e = curl_easy_init();
  FILE *sink = fopen("/dev/null", "w");
  curl_easy_setopt(e, CURLOPT_URL, url);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, sink);
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, 5000L);
  cr_expect_eq(curl_easy_perform(e), CURLE_OK);
  curl_easy_cleanup(e);
  fclose(sink);
  cr_expect_eq(hostile_requests(other), 1u);
  cr_expect(hostile_saw(other, KEY));
  hostile_stop(other);
}

/* ---- key hygiene of a full run ----------------------------------------- */

struct kcase {
  const char *name;
  const char *profile;
  const char *key, *key2;
  int key_file; /* 1: --key-file/--key2-file; 0: SMSCONFORM_KEY[2] */
};

static const struct kcase kcases[] = {
    /* a plain key from the environment */
    {"plain key, environment", "sms-activate", "hygiene-K3y-0a1b2c3d4e",
     "hygiene-K3y2-9f8e7d6c5b", 0},
    /* characters that need escaping in a query, a form, JSON, HTML and a
     * shell line (space / & + % " ' < > ` $ \), from a file */
    {"escaped key, file", "sms-activate",
     "Hyg13neAlpha Zulu/&+%\"'<>`$\\Charlie7Delta9",
     "Sec0ndKeyEcho Yankee/&+%\"'<>`$\\Xray5Whiskey", 1},
    /* the REST dialect, the key as a Bearer token: RFC 6750's b64token
     * characters only (+ / . _ ~ -) */
    {"rest-v1 key, environment", "rest-v1", "RestHyg13ne+Foxtrot/Golf.H_~-9",
     "RestSec0nd+Kilo/Lima.Mike_~-8", 0},
};
#define NKCASES (sizeof kcases / sizeof *kcases)

ParameterizedTestParameters(keys, full_run_never_shows_the_key) {
  static int idx[NKCASES];
  for (size_t i = 0; i < NKCASES; i++)
    idx[i] = (int)i;
  return cr_make_param_array(int, idx, NKCASES);
}

ParameterizedTest(int *i, keys, full_run_never_shows_the_key,
                  .timeout = 300) {
  const struct kcase *kc = &kcases[*i];
  char err[256], cfgkeys[256];
  snprintf(cfgkeys, sizeof cfgkeys, "%s:100,%s:100", kc->key, kc->key2);
  struct sc_sim_config cfg = {.keys = cfgkeys,
                              .seed = 5,
                              .early_cancel_seconds = -1,
                              .profile = kc->profile};
  struct sc_sim *sim = sc_sim_new(&cfg, err, sizeof err);
  cr_assert_not_null(sim, "%s", err);
  char url[160], ctl[160];
  snprintf(url, sizeof url, "http://127.0.0.1:%u%s", sc_sim_port(sim),
           sc_sim_is_rest(sim) ? "/api/v1" : "/stubs/handler_api.php");
  snprintf(ctl, sizeof ctl, "http://127.0.0.1:%u/control", sc_sim_port(sim));
  char *dir = xmkdtemp();
  /* the key files live outside the directory that is searched */
  char *kdir = xmkdtemp(), k1[4200], k2[4200];
  snprintf(k1, sizeof k1, "%s/key", kdir);
  snprintf(k2, sizeof k2, "%s/key2", kdir);
  FILE *kf1 = fopen(k1, "w"), *kf2 = fopen(k2, "w");
  cr_assert(kf1 && kf2);
  fprintf(kf1, "%s\n", kc->key);
  fprintf(kf2, "%s\n", kc->key2);
  fclose(kf1);
  fclose(kf2);
  char env1[300], env2[300];
  snprintf(env1, sizeof env1, "SMSCONFORM_KEY=%s", kc->key);
  snprintf(env2, sizeof env2, "SMSCONFORM_KEY2=%s", kc->key2);
  const char *env[] = {env1, env2, NULL};
  const char *argv[32] = {"run",      "--url",        url,   "--control",
                          ctl,        "--profile",    kc->profile,
                          "--report-dir", "out",      "--record",  "rec",
                          "--json",   "run.json",     "--junit",   "run.xml",
                          "--tap",    "run.tap",      "--md",      "run.md",
                          "--html",   "run.html"};
  size_t na = 21;
  if (kc->key_file) {
    argv[na++] = "--key-file";
    argv[na++] = k1;
    argv[na++] = "--key2-file";
    argv[na++] = k2;
  }
  argv[na] = NULL;
  struct child c;
  run_binary(dir, argv, kc->key_file ? NULL : env, 240, &c);
  char p[4200];
  snprintf(p, sizeof p, "%s/stderr", dir);
  char *errtxt = slurp(p, NULL);
  cr_assert(WIFEXITED(c.status), "%s: ended by signal; stderr: %s", kc->name,
            errtxt);
  cr_expect(WEXITSTATUS(c.status) <= 1, "%s: exit %d; stderr: %s", kc->name,
            WEXITSTATUS(c.status), errtxt);
  free(errtxt);
  sc_sim_destroy(sim);

  /* the run used the key: the simulator accepted it */
  snprintf(p, sizeof p, "%s/run.json", dir);
  char *json = slurp(p, NULL);
  cr_assert_not_null(json);
  cJSON *j = cJSON_Parse(json);
  cr_assert_not_null(j);
  const cJSON *r;
  size_t n = 0, passed = 0;
  cJSON_ArrayForEach(r, cJSON_GetObjectItem(j, "results")) {
    n++;
    passed += !strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(r, "verdict")),
                      "PASS");
  }
  cr_expect_gt(n, 25u, "%s: a full run", kc->name);
  cr_expect_gt(passed, n / 2, "%s: %zu of %zu passed: was the key taken?",
               kc->name, passed, n);
  cJSON_Delete(j);
  free(json);

  struct forms f;
  forms_init(&f, kc->key);
  struct forms f2;
  forms_init(&f2, kc->key2);
  struct grep g = {&f, 0, 0}, g2 = {&f2, 0, 0};
  size_t bytes = 0;
  size_t files = each_file(dir, grep_file, &g, &bytes);
  each_file(dir, grep_file, &g2, NULL);
  cr_log_info("%s: %zu files, %zu bytes searched for %zu forms of each key",
              kc->name, files, bytes, f.n);
  /* stdout, stderr, the five reports twice (--report-dir and one flag
   * each) and the recording */
  cr_expect_eq(files, 13u, "%s: %zu files", kc->name, files);
  forms_free(&f);
  forms_free(&f2);
  rm_rf(dir);
  rm_rf(kdir);
  free(dir);
  free(kdir);
}
