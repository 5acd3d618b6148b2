/* mkseeds.c — seed inputs for every fuzz target, in each target's input
 * format (fuzz.h and the targets' own comments):
 *
 *   - the parser's case table (tests/lib/parse_cases.h): every example
 *     answer quoted in the five documents, every documented error token,
 *     and the hostile bodies of the tests;
 *   - recorded runner exchanges (`smsconform run --record DIR` writes
 *     DIR/recording.json): each answer, and each request for the
 *     simulator target, with the redacted keys put back as K1 / K2;
 *   - the embedded spec files themselves (for the spec target);
 *   - JSON reports of runs (`smsconform run --json F`), for the compare
 *     target.
 *
 *   mkseeds OUTDIR [DIR/recording.json | REPORT.json ...]
 *
 * writes OUTDIR/<target>/<FNV-1a hash of the bytes>. fuzz/run.sh merges
 * them into corpus/<target>/ with libFuzzer's -merge=1, which keeps the
 * inputs that add coverage, named by their SHA-1. */
#include "parse_cases.h"

#include "sc_buf.h"
#include "sc_escape.h"
#include "sc_spec.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *outdir;
static unsigned long written;

static void put(const char *target, const char *data, size_t n) {
  unsigned long long h = 14695981039346656037ull;
  for (size_t i = 0; i < n; i++)
    h = (h ^ (unsigned char)data[i]) * 1099511628211ull;
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", outdir, target);
  if (mkdir(path, 0755) != 0 && errno != EEXIST) {
    fprintf(stderr, "mkseeds: %s: %s\n", path, strerror(errno));
    exit(1);
  }
  snprintf(path, sizeof path, "%s/%s/%016llx", outdir, target, h);
  FILE *f = fopen(path, "wb");
  if (!f || fwrite(data, 1, n, f) != n || fclose(f) != 0) {
    fprintf(stderr, "mkseeds: %s: %s\n", path, strerror(errno));
    exit(1);
  }
  written++;
}

/* A seed built in |b|; running out of memory ends the program. */
static void put_buf(const char *target, const struct sc_buf *b) {
  if (b->err) {
    fputs("mkseeds: out of memory\n", stderr);
    exit(1);
  }
  put(target, b->ptr ? b->ptr : "", b->len);
}

static int is_json(const char *b, size_t n) {
  size_t i = 0;
  if (n >= 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0)
    i = 3;
  while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n'))
    i++;
  return i < n && (b[i] == '{' || b[i] == '[');
}

/* One answer as parser seeds: "ACTION PROFILE STATUS CTYPE\nBODY". */
static void answer(const char *action, const char *profile, long status,
                   const char *ctype, const char *body, size_t n) {
  struct sc_buf s;
  sc_buf_init(&s, SIZE_MAX);
  char head[512];
  snprintf(head, sizeof head, "%s %s %ld%s%s\n", action,
           profile ? profile : "-", status, ctype ? " " : "",
           ctype ? ctype : "");
  sc_buf_adds(&s, head);
  sc_buf_add(&s, body, n);
  put_buf(is_json(body, n) ? "json" : "text", &s);
  put_buf("roundtrip", &s);
  /* escape: flags, then id, action, ..., the body last (fuzz_escape.c) */
  struct sc_buf e;
  sc_buf_init(&e, SIZE_MAX);
  sc_buf_add(&e, "\x18", 1); /* a FAIL with its details shown */
  static const char *const fields[] = {
      "format.x", NULL, "format", "the answer matches its form", "000.txt",
      "a section", "expected vs actual", "ACCESS_NUMBER:{id}:{phone}", NULL,
      "curl -s 'http://127.0.0.1/'", "GET", "http://127.0.0.1/x?a=1&b=2",
      "", NULL, "timeout"};
  for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
    const char *f = fields[i];
    if (i == 1)
      f = action;
    if (i == 8) {
      sc_buf_add(&e, body, n > 200 ? 200 : n);
    } else {
      sc_buf_adds(&e, f ? f : (ctype ? ctype : "text/plain"));
    }
    sc_buf_add(&e, "\xFF", 1);
  }
  sc_buf_add(&e, body, n);
  put_buf("escape", &e);
  sc_buf_free(&e);
  sc_buf_free(&s);
}

/* The part of a pattern seed: the token's pattern, then what follows the
 * token's name in the body. */
static void pattern(const struct sc_spec *spec, const char *body, size_t n) {
  size_t k = 0;
  while (k < n && ((body[k] >= 'A' && body[k] <= 'Z') || body[k] == '_' ||
                   (body[k] >= '0' && body[k] <= '9')))
    k++;
  const struct sc_token *t = sc_spec_token(spec, body, k);
  if (!t)
    return;
  const cJSON *p = cJSON_GetObjectItemCaseSensitive(t->json, "pattern");
  struct sc_buf s;
  sc_buf_init(&s, SIZE_MAX);
  sc_buf_adds(&s, cJSON_IsString(p) ? p->valuestring : t->name);
  sc_buf_add(&s, "\n", 1);
  sc_buf_add(&s, body + k, n - k);
  put_buf("pattern", &s);
  sc_buf_free(&s);
}

/* The action a REST request is for: http.method and http.path, where a
 * ":name" segment matches any one segment. */
static const char *rest_action(const struct sc_spec *spec, const char *method,
                               const char *path) {
  for (size_t i = 0; i < spec->nactions; i++) {
    const cJSON *http =
        cJSON_GetObjectItemCaseSensitive(spec->actions[i].json, "http");
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(http, "method");
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(http, "path");
    if (!cJSON_IsString(m) || !cJSON_IsString(t) ||
        strcmp(m->valuestring, method) != 0)
      continue;
    const char *a = t->valuestring, *b = path;
    while (*a && *b) {
      if (*a == ':') {
        while (*a && *a != '/')
          a++;
        while (*b && *b != '/' && *b != '?')
          b++;
      } else if (*a == *b) {
        a++;
        b++;
      } else {
        break;
      }
    }
    if (!*a && (!*b || *b == '?'))
      return spec->actions[i].name;
  }
  return NULL;
}

/* |s| with $SMSCONFORM_KEY2 / $SMSCONFORM_KEY put back as K2 / K1. */
static void unredact(struct sc_buf *out, const char *s) {
  while (*s) {
    if (strncmp(s, "$SMSCONFORM_KEY2", 16) == 0) {
      sc_buf_adds(out, "K2");
      s += 16;
    } else if (strncmp(s, "$SMSCONFORM_KEY", 15) == 0) {
      sc_buf_adds(out, "K1");
      s += 15;
    } else {
      sc_buf_add(out, s, 1);
      s++;
    }
  }
}

static const char *str_of(const cJSON *o, const char *k) {
  const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, k);
  return cJSON_IsString(it) ? it->valuestring : NULL;
}

/* The bytes of |path| in |b| (initialised here); 0, or -1 when the file
 * cannot be read. */
static int slurp(const char *path, struct sc_buf *b) {
  sc_buf_init(b, SIZE_MAX);
  FILE *f = fopen(path, "rb");
  if (!f)
    return -1;
  char buf[65536];
  size_t k;
  while ((k = fread(buf, 1, sizeof buf, f)) > 0)
    sc_buf_add(b, buf, k);
  int bad = ferror(f) || b->err;
  fclose(f);
  return bad ? -1 : 0;
}

static void recording(const struct sc_spec *spec, const char *path) {
  struct sc_buf txt;
  cJSON *root =
      slurp(path, &txt) ? NULL : cJSON_ParseWithLength(txt.ptr, txt.len);
  sc_buf_free(&txt);
  if (!root) {
    fprintf(stderr, "mkseeds: %s: cannot read a recording\n", path);
    exit(1);
  }
  const char *profile = str_of(root, "profile");
  const cJSON *check;
  cJSON_ArrayForEach(check, cJSON_GetObjectItemCaseSensitive(root, "checks")) {
    const cJSON *x;
    cJSON_ArrayForEach(x, check) {
      const char *method = str_of(x, "method"), *url = str_of(x, "url");
      if (!method || !url)
        continue;
      const char *p = strstr(url, "://");
      p = p ? strchr(p + 3, '/') : NULL;
      if (!p)
        continue;
      /* the request, for the simulator */
      struct sc_buf q;
  sc_buf_init(&q, SIZE_MAX);
      sc_buf_adds(&q, method);
      sc_buf_add(&q, " ", 1);
      unredact(&q, p);
      sc_buf_add(&q, "\n", 1);
      const char *auth = str_of(x, "auth");
      if (auth) {
        sc_buf_adds(&q, "Authorization: ");
        unredact(&q, auth);
        sc_buf_add(&q, "\n", 1);
      }
      const char *body = str_of(x, "body");
      if (body && *body)
        sc_buf_adds(&q, body[0] == '{' ? "Content-Type: application/json\n"
                                : "Content-Type: "
                                  "application/x-www-form-urlencoded\n");
      sc_buf_add(&q, "\n", 1);
      if (body)
        unredact(&q, body);
      put_buf("sim", &q);
      sc_buf_free(&q);
      /* the answer, for the parser */
      const char *action = NULL;
      char name[128];
      const char *a = strstr(p, "action=");
      if (a) {
        size_t k = strcspn(a + 7, "&#");
        snprintf(name, sizeof name, "%.*s", (int)k, a + 7);
        action = name;
      } else if (strncmp(p, "/api/v1", 7) == 0) {
        action = rest_action(spec, method, p);
      }
      if (!action || !sc_spec_action(spec, action))
        continue;
      const char *r = str_of(x, "response"), *r64 = str_of(x, "response_base64");
      struct sc_buf resp;
      sc_buf_init(&resp, SIZE_MAX);
      /* no answer recorded, or base64 that does not decode: no seed */
      int have = r    ? sc_buf_adds(&resp, r) == 0
                 : r64 ? sc_base64_decode(&resp, r64, strlen(r64)) == 0
                       : 0;
      if (have) {
        const cJSON *st = cJSON_GetObjectItemCaseSensitive(x, "status");
        const char *ans = resp.ptr ? resp.ptr : "";
        answer(action, profile,
               cJSON_IsNumber(st) ? (long)st->valuedouble : 0,
               str_of(x, "content_type"), ans, resp.len);
        pattern(spec, ans, resp.len);
      }
      sc_buf_free(&resp);
    }
  }
  cJSON_Delete(root);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fputs("usage: mkseeds OUTDIR [DIR/recording.json | REPORT.json ...]\n",
          stderr);
    return 2;
  }
  outdir = argv[1];
  if (mkdir(outdir, 0755) != 0 && errno != EEXIST) {
    fprintf(stderr, "mkseeds: %s: %s\n", outdir, strerror(errno));
    return 1;
  }
  enum sc_err err;
  char *diag = NULL;
  struct sc_spec *spec = sc_spec_new(NULL, &err, &diag);
  if (!spec) {
    fprintf(stderr, "mkseeds: the embedded spec does not load: %s\n",
            sc_strerror(err));
    return 1;
  }
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    const struct parse_case *c = &cases[i];
    answer(c->action, c->profile, c->http_status, c->content_type, c->body,
           c->len);
    pattern(spec, c->body, c->len);
  }
  for (const struct sc_spec_file *f = sc_specs_embedded; f->name; f++)
    put("spec", f->data, f->len);
  static const char *const requests[] = {
      "action=getBalance&api_key=K1",
      "action=getNumber&api_key=K1&service=tg&country=0",
      "POST /stubs/handler_api.php\nContent-Type: "
      "application/x-www-form-urlencoded\n\naction=getNumberV2&api_key=K1&"
      "service=tg&country=0",
      "POST /control/sms\nContent-Type: application/json\n\n"
      "{\"activationId\":\"1\",\"text\":\"code 12345\",\"code\":\"12345\"}",
      "POST /control/clock\n\n{\"advance\":1300}",
      "GET /control/state\n\n",
      "POST /api/v1/numbers/buy\nAuthorization: Bearer K1\nContent-Type: "
      "application/json\n\n{\"service\":\"telegram\",\"country\":\"ru\"}"};
  for (size_t i = 0; i < sizeof requests / sizeof *requests; i++)
    put("sim", requests[i], strlen(requests[i]));
  for (int i = 2; i < argc; i++) {
    const char *base = strrchr(argv[i], '/');
    base = base ? base + 1 : argv[i];
    if (strcmp(base, "recording.json") == 0) {
      recording(spec, argv[i]);
    } else {
      struct sc_buf txt;
      if (slurp(argv[i], &txt)) {
        fprintf(stderr, "mkseeds: %s: cannot read it\n", argv[i]);
        return 1;
      }
      put_buf("compare", &txt);
      sc_buf_free(&txt);
    }
  }
  fprintf(stderr, "mkseeds: %lu seed files in %s\n", written, outdir);
  sc_spec_free_diag(diag);
  sc_spec_destroy(spec);
  return 0;
}
