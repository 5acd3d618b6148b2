/* test_sim_soak.c — the simulator under a bounded load of concurrent mixed
 * clients, two simulators in the process: the handler dialect
 * (sms-activate) and the REST dialect (rest-v1), on loopback.
 *
 * Each client thread has its own seeded random mix over two accounts that
 * it shares with another thread: balance, purchases (getNumber,
 * getNumberV2, rents; POST numbers/buy), status reads, setStatus 1, 3, 6
 * and 8, rent finish and cancel, DELETE, SMS through the control protocol
 * and clock advances (which run out early-cancel windows and expire
 * activations). The soak runs in rounds; after each round, with the
 * clients stopped, the main thread checks from what the clients saw:
 *
 *   - money, per account, exactly in integer cents:
 *       starting balance == balance + charges - refunds
 *     charges: the price of every purchase answered with a number (the
 *     prices are set through /control/price; getNumberV2 also says its
 *     activationCost); refunds: every activation that ended cancelled
 *     (setStatus 8 or expiry; a REST DELETE as its "refunded" says) and
 *     every rent cancelled with success;
 *   - no activation or rent lost or duplicated: every id handed out is
 *     distinct, each is found by getStatus (GET activations/:id), and
 *     GET /control/state lists exactly these, with the same account, cost
 *     and refunded flag;
 *
 * then resets both simulators. After the last round the heap in use (live
 * bytes: the sanitizer's allocator, or mallinfo2) must be within 10% of
 * what it was after the first round (the warm-up). VmRSS is reported.
 *
 * Bounded: SOAK_ROUNDS rounds of SOAK_PER_ROUND requests per client. For a
 * long run, SC_SOAK_SECONDS=N keeps starting rounds until N seconds have
 * passed (SC_SOAK_THREADS sets the number of clients); the figures are
 * printed on stderr as one "soak:" line. */
#include "sim_util.h"

#include "sc_alloc.h"
#include "sc_buf.h"

#include <criterion/criterion.h>
#include <curl/curl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define SOAK_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SOAK_ASAN 1
#endif
#endif
#ifdef SOAK_ASAN
/* the sanitizer runtime's count of live heap bytes */
size_t __sanitizer_get_current_allocated_bytes(void);
#else
#include <malloc.h>
#endif

#define NACC 4         /* accounts per simulator */
#define LOW_ACC 3      /* this one has little money: NO_BALANCE happens */
#define SOAK_ROUNDS 4  /* the first is the warm-up */
#define SOAK_PER_ROUND 250
#define SOAK_THREADS 8 /* half on each simulator */
#define RENT_CENTS 40  /* sc_sim_rent.c: 0.10 an hour, 4 hours */
#define MAX_THREADS 64

static const char *const services[] = {"tg", "wa", "vk", "go", "ig"};
static const char *const rest_services[] = {"telegram", "whatsapp", "vk",
                                            "google", "instagram"};
static const char *const countries[] = {"0", "12", "187"};
static const char *const isos[] = {"ru", "us", "tr"};
#define NSERV 5
#define NCTRY 3

/* The price of (service, country) in cents, set through /control/price. */
static long long price_of(size_t si, size_t ci) {
  return 7 + 13 * (long long)si + 5 * (long long)ci;
}

static long long start_cents(size_t acc) {
  return acc == LOW_ACC ? 500 : 100000;
}

/* ------------------------------------------------------------- clients */

/* One purchase as its buyer saw it. */
struct rec {
  unsigned long long id;
  unsigned acc;
  int rent;
  long long cost;       /* cents charged */
  int cancel_seen;      /* ACCESS_CANCEL, or a rent cancelled */
  int delete_seen;      /* REST: a DELETE was answered 200 */
  int delete_refunded;  /* ... with "refunded": true */
};

struct worker {
  unsigned idx;
  int rest;             /* on the REST simulator */
  unsigned acc[2];      /* the two accounts it uses */
  unsigned port;
  uint64_t rng;
  unsigned long todo;   /* requests this round */
  int cancels_only;     /* the mix: buy, status 1 and 8, clock moves */
  CURL *h;
  struct sc_buf body;
  long status;
  struct rec *recs;
  size_t nrecs, caprecs;
  /* figures */
  unsigned long requests, purchases, cancels, sms, clocks, errors;
  char first_error[512];
};

static uint64_t next_rand(uint64_t *s) {
  uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

static unsigned pick(struct worker *w, unsigned n) {
  return (unsigned)(next_rand(&w->rng) % n);
}

static void bad(struct worker *w, const char *what, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void bad(struct worker *w, const char *what, const char *fmt, ...) {
  if (!w->errors++) {
    char detail[384];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    snprintf(w->first_error, sizeof w->first_error, "%s: %s (HTTP %ld: %.80s)",
             what, detail, w->status, w->body.ptr ? w->body.ptr : "");
  }
}

static size_t on_data(char *p, size_t size, size_t n, void *ud) {
  return sc_buf_add(ud, p, size * n) ? 0 : size * n;
}

/* One request on the worker's kept-alive connection. |auth|: the REST key
 * or NULL. Returns 0 when an answer came (w->status, w->body). */
static int http(struct worker *w, const char *method, const char *path,
                const char *body, const char *auth) {
  char url[512], authz[128];
  struct curl_slist *hl = NULL;
  sc_buf_free(&w->body);
  sc_buf_init(&w->body, 1 << 20);
  w->status = 0;
  w->requests++;
  snprintf(url, sizeof url, "http://127.0.0.1:%u%s", w->port, path);
  curl_easy_setopt(w->h, CURLOPT_URL, url);
  curl_easy_setopt(w->h, CURLOPT_CUSTOMREQUEST, NULL);
  if (body) {
    curl_easy_setopt(w->h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(w->h, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
    hl = curl_slist_append(hl, "Content-Type: application/json");
  } else {
    curl_easy_setopt(w->h, CURLOPT_HTTPGET, 1L);
  }
  if (strcmp(method, "DELETE") == 0)
    curl_easy_setopt(w->h, CURLOPT_CUSTOMREQUEST, "DELETE");
  if (auth) {
    snprintf(authz, sizeof authz, "Authorization: Bearer %s", auth);
    hl = curl_slist_append(hl, authz);
  }
  curl_easy_setopt(w->h, CURLOPT_HTTPHEADER, hl);
  CURLcode rc = curl_easy_perform(w->h);
  curl_easy_setopt(w->h, CURLOPT_HTTPHEADER, NULL);
  curl_slist_free_all(hl);
  if (rc != CURLE_OK) {
    bad(w, path, "transport: %s", curl_easy_strerror(rc));
    return -1;
  }
  curl_easy_getinfo(w->h, CURLINFO_RESPONSE_CODE, &w->status);
  if (sc_buf_add(&w->body, "", 0)) {
    bad(w, path, "answer too large");
    return -1;
  }
  return 0;
}

static const char *text(const struct worker *w) {
  return w->body.ptr ? w->body.ptr : "";
}

static int is(const struct worker *w, const char *tok) {
  return strcmp(text(w), tok) == 0;
}

static int starts(const struct worker *w, const char *prefix) {
  return strncmp(text(w), prefix, strlen(prefix)) == 0;
}

/* "12.50" (or "12.5", "12") as cents, without floating point; -1 if not a
 * non-negative amount. */
static long long cents_of(const char *s, size_t n) {
  long long v = 0;
  size_t i = 0;
  int frac = -1;
  if (!n)
    return -1;
  for (; i < n; i++) {
    if (s[i] == '.' && frac < 0) {
      frac = 0;
      continue;
    }
    if (s[i] < '0' || s[i] > '9' || frac >= 2 || v > 1000000000000ll)
      return -1;
    v = v * 10 + (s[i] - '0');
    if (frac >= 0)
      frac++;
  }
  for (; frac < 2; frac = frac < 0 ? 1 : frac + 1)
    v *= 10;
  return v;
}

static struct rec *add_rec(struct worker *w, unsigned long long id,
                           unsigned acc, int rent, long long cost) {
  if (w->nrecs == w->caprecs) {
    size_t nc = w->caprecs ? w->caprecs * 2 : 64;
    struct rec *n = realloc(w->recs, nc * sizeof *n);
    if (!n) {
      bad(w, "test", "out of memory");
      return NULL;
    }
    w->recs = n;
    w->caprecs = nc;
  }
  struct rec *r = &w->recs[w->nrecs++];
  memset(r, 0, sizeof *r);
  r->id = id;
  r->acc = acc;
  r->rent = rent;
  r->cost = cost;
  w->purchases++;
  return r;
}

/* A random earlier purchase of this worker (activation or rent), or NULL. */
static struct rec *some_rec(struct worker *w, int rent) {
  for (int tries = 0; tries < 4 && w->nrecs; tries++) {
    struct rec *r = &w->recs[pick(w, (unsigned)w->nrecs)];
    if (r->rent == rent)
      return r;
  }
  return NULL;
}

static void key_of(unsigned acc, char *buf, size_t n) {
  snprintf(buf, n, "K%u", acc);
}

static void control(struct worker *w, const char *path, const char *json,
                    int allow_409) {
  if (http(w, "POST", path, json, NULL))
    return;
  if (!(w->status == 200 || (allow_409 && w->status == 409)))
    bad(w, path, "control answered");
}

static void op_sms(struct worker *w) {
  struct rec *r = some_rec(w, 0);
  char json[128];
  if (!r)
    return;
  w->sms++;
  snprintf(json, sizeof json,
           "{\"activationId\":\"%s%llu\",\"code\":\"%u\",\"text\":\"code %u\"}",
           w->rest ? "act_" : "", r->id, 10000 + pick(w, 90000),
           pick(w, 1000));
  control(w, "/control/sms", json, 1);
}

static void op_clock(struct worker *w) {
  char json[64];
  w->clocks++;
  snprintf(json, sizeof json, "{\"advance\":%u}", pick(w, 400));
  control(w, "/control/clock", json, 0);
}

/* The handler dialect. */
static void op_handler(struct worker *w) {
  char path[512], key[16];
  unsigned acc = w->acc[pick(w, 2)];
  size_t si = pick(w, NSERV), ci = pick(w, NCTRY);
  key_of(acc, key, sizeof key);
  unsigned op = pick(w, 100);
  if (w->cancels_only) {
    static const unsigned ops[] = {10, 45, 45, 96};
    op = ops[pick(w, 4)];
  }
  if (op < 10) {
    snprintf(path, sizeof path,
             "/stubs/handler_api.php?api_key=%s&action=getBalance", key);
    if (http(w, "GET", path, NULL, NULL))
      return;
    const char *t = text(w);
    size_t tl = strlen(t);
    if (w->status != 200 || !starts(w, "ACCESS_BALANCE:") || tl < 15 ||
        cents_of(t + 15, tl - 15) < 0)
      bad(w, "getBalance", "unexpected answer");
  } else if (op < 30) {
    int v2 = op >= 22;
    snprintf(path, sizeof path,
             "/stubs/handler_api.php?api_key=%s&action=%s&service=%s"
             "&country=%s",
             key, v2 ? "getNumberV2" : "getNumber", services[si],
             countries[ci]);
    if (http(w, "GET", path, NULL, NULL))
      return;
    if (w->status != 200) {
      bad(w, "getNumber", "status");
    } else if (is(w, "NO_BALANCE") || is(w, "NO_NUMBERS")) {
      /* refused: nothing charged */
    } else if (!v2) {
      unsigned long long id;
      char phone[32];
      if (sscanf(text(w), "ACCESS_NUMBER:%llu:%31s", &id, phone) != 2)
        bad(w, "getNumber", "unexpected answer");
      else
        add_rec(w, id, acc, 0, price_of(si, ci));
    } else {
      cJSON *j = cJSON_Parse(text(w));
      const cJSON *id = cJSON_GetObjectItemCaseSensitive(j, "activationId");
      const cJSON *cost = cJSON_GetObjectItemCaseSensitive(j, "activationCost");
      long long c = cJSON_IsString(cost)
                        ? cents_of(cost->valuestring, strlen(cost->valuestring))
                        : -1;
      if (!cJSON_IsNumber(id) || c < 0)
        bad(w, "getNumberV2", "unexpected answer");
      else if (c != price_of(si, ci))
        bad(w, "getNumberV2", "activationCost %lld, price %lld", c,
            price_of(si, ci));
      else
        add_rec(w, (unsigned long long)id->valuedouble, acc, 0, c);
      cJSON_Delete(j);
    }
  } else if (op < 45) {
    struct rec *r = some_rec(w, 0);
    if (!r)
      return;
    key_of(r->acc, key, sizeof key);
    snprintf(path, sizeof path,
             "/stubs/handler_api.php?api_key=%s&action=getStatus&id=%llu", key,
             r->id);
    if (http(w, "GET", path, NULL, NULL))
      return;
    if (w->status != 200 ||
        !(is(w, "STATUS_WAIT_CODE") || starts(w, "STATUS_OK:") ||
          starts(w, "STATUS_WAIT_RETRY:") || is(w, "STATUS_CANCEL")))
      bad(w, "getStatus", "id %llu", r->id);
    else if (r->cancel_seen && !is(w, "STATUS_CANCEL"))
      bad(w, "getStatus", "id %llu was cancelled", r->id);
  } else if (op < 65) {
    static const int sts[] = {1, 3, 6, 8, 8};
    struct rec *r = some_rec(w, 0);
    if (!r)
      return;
    int st = w->cancels_only ? (pick(w, 2) ? 8 : 1) : sts[pick(w, 5)];
    if (w->cancels_only && st == 1)
      r = &w->recs[w->nrecs - 1]; /* ready: the newest purchase */
    key_of(r->acc, key, sizeof key);
    snprintf(path, sizeof path,
             "/stubs/handler_api.php?api_key=%s&action=setStatus&id=%llu"
             "&status=%d",
             key, r->id, st);
    if (http(w, "GET", path, NULL, NULL))
      return;
    if (w->status != 200)
      bad(w, "setStatus", "status");
    else if (is(w, "ACCESS_CANCEL")) {
      if (st != 8 || r->cancel_seen)
        bad(w, "setStatus", "ACCESS_CANCEL for %d, twice: %d", st,
            r->cancel_seen);
      r->cancel_seen = 1;
      w->cancels++;
    } else if (!(is(w, "ACCESS_READY") || is(w, "ACCESS_RETRY_GET") ||
                 is(w, "ACCESS_ACTIVATION") || is(w, "BAD_STATUS") ||
                 is(w, "EARLY_CANCEL_DENIED")))
      bad(w, "setStatus", "unexpected answer to %d", st);
  } else if (op < 72) {
    snprintf(path, sizeof path,
             "/stubs/handler_api.php?api_key=%s&action=getRentNumber"
             "&service=%s&country=0&time=4",
             key, services[si]);
    if (http(w, "GET", path, NULL, NULL))
      return;
    cJSON *j = cJSON_Parse(text(w));
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(j, "status");
    const cJSON *ph = cJSON_GetObjectItemCaseSensitive(j, "phone");
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(ph, "id");
    const cJSON *msg = cJSON_GetObjectItemCaseSensitive(j, "message");
    if (w->status == 200 && cJSON_IsString(st) &&
        !strcmp(st->valuestring, "success") && cJSON_IsNumber(id))
      add_rec(w, (unsigned long long)id->valuedouble, acc, 1, RENT_CENTS);
    else if (!(w->status == 200 && cJSON_IsString(msg) &&
               (!strcmp(msg->valuestring, "NO_BALANCE") ||
                !strcmp(msg->valuestring, "NO_NUMBERS"))))
      bad(w, "getRentNumber", "unexpected answer");
    cJSON_Delete(j);
  } else if (op < 78) {
    struct rec *r = some_rec(w, 1);
    if (!r)
      return;
    int cancel = pick(w, 3) != 0;
    key_of(r->acc, key, sizeof key);
    snprintf(path, sizeof path,
             "/stubs/handler_api.php?api_key=%s&action=setRentStatus&id=%llu"
             "&status=%d",
             key, r->id, cancel ? 2 : 1);
    if (http(w, "GET", path, NULL, NULL))
      return;
    cJSON *j = cJSON_Parse(text(w));
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(j, "status");
    const cJSON *msg = cJSON_GetObjectItemCaseSensitive(j, "message");
    if (w->status == 200 && cJSON_IsString(st) &&
        !strcmp(st->valuestring, "success")) {
      if (cancel) {
        if (r->cancel_seen)
          bad(w, "setRentStatus", "rent %llu cancelled twice", r->id);
        r->cancel_seen = 1;
        w->cancels++;
      }
    } else if (!(w->status == 200 && cJSON_IsString(msg) &&
                 (!strcmp(msg->valuestring, "ALREADY_CANCEL") ||
                  !strcmp(msg->valuestring, "ALREADY_FINISH") ||
                  !strcmp(msg->valuestring, "CANT_CANCEL")))) {
      bad(w, "setRentStatus", "unexpected answer");
    }
    cJSON_Delete(j);
  } else if (op < 82) {
    snprintf(path, sizeof path,
             "/stubs/handler_api.php?api_key=%s&action=getActiveActivations",
             key);
    if (http(w, "GET", path, NULL, NULL))
      return;
    cJSON *j = cJSON_Parse(text(w));
    if (w->status != 200 ||
        !(is(w, "NO_ACTIVATIONS") ||
          cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(j, "activeActivations"))))
      bad(w, "getActiveActivations", "unexpected answer");
    cJSON_Delete(j);
  } else if (op < 96) {
    op_sms(w);
  } else {
    op_clock(w);
  }
}

/* The REST dialect. */
static void op_rest(struct worker *w) {
  char path[256], key[16], json[128];
  unsigned acc = w->acc[pick(w, 2)];
  size_t si = pick(w, NSERV), ci = pick(w, NCTRY);
  key_of(acc, key, sizeof key);
  unsigned op = pick(w, 100);
  if (op < 10) {
    if (http(w, "GET", "/api/v1/balance", NULL, key))
      return;
    cJSON *j = cJSON_Parse(text(w));
    if (w->status != 200 ||
        !cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(j, "balance")))
      bad(w, "balance", "unexpected answer");
    cJSON_Delete(j);
  } else if (op < 35) {
    snprintf(json, sizeof json, "{\"service\":\"%s\",\"country\":\"%s\"}",
             rest_services[si], isos[ci]);
    if (http(w, "POST", "/api/v1/numbers/buy", json, key))
      return;
    cJSON *j = cJSON_Parse(text(w));
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(j, "id");
    const cJSON *msg = cJSON_GetObjectItemCaseSensitive(j, "message");
    unsigned long long n;
    if (w->status == 200 && cJSON_IsString(id) &&
        sscanf(id->valuestring, "act_%llu", &n) == 1)
      add_rec(w, n, acc, 0, price_of(si, ci));
    else if (!((w->status == 402 || w->status == 409) && cJSON_IsString(msg)))
      bad(w, "numbers/buy", "unexpected answer");
    cJSON_Delete(j);
  } else if (op < 55) {
    struct rec *r = some_rec(w, 0);
    if (!r)
      return;
    key_of(r->acc, key, sizeof key);
    snprintf(path, sizeof path, "/api/v1/activations/act_%llu", r->id);
    if (http(w, "GET", path, NULL, key))
      return;
    cJSON *j = cJSON_Parse(text(w));
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(j, "status");
    if (w->status != 200 || !cJSON_IsString(st))
      bad(w, "activations/:id", "id %llu", r->id);
    else if (r->delete_seen && strcmp(st->valuestring, "cancelled") != 0)
      bad(w, "activations/:id", "id %llu was deleted", r->id);
    cJSON_Delete(j);
  } else if (op < 75) {
    struct rec *r = some_rec(w, 0);
    if (!r)
      return;
    key_of(r->acc, key, sizeof key);
    snprintf(path, sizeof path, "/api/v1/activations/act_%llu", r->id);
    if (http(w, "DELETE", path, NULL, key))
      return;
    cJSON *j = cJSON_Parse(text(w));
    const cJSON *ref = cJSON_GetObjectItemCaseSensitive(j, "refunded");
    const cJSON *msg = cJSON_GetObjectItemCaseSensitive(j, "message");
    if (w->status == 200 && cJSON_IsBool(ref)) {
      if (r->delete_seen)
        bad(w, "DELETE", "id %llu deleted twice", r->id);
      r->delete_seen = 1;
      r->delete_refunded = cJSON_IsTrue(ref);
      w->cancels++;
    } else if (!(w->status == 409 && cJSON_IsString(msg) &&
                 (!strcmp(msg->valuestring, "BAD_STATUS") ||
                  !strcmp(msg->valuestring, "EARLY_CANCEL_DENIED")))) {
      bad(w, "DELETE", "unexpected answer");
    }
    cJSON_Delete(j);
  } else if (op < 95) {
    op_sms(w);
  } else {
    op_clock(w);
  }
}

static void *worker_main(void *p) {
  struct worker *w = p;
  w->h = curl_easy_init();
  if (!w->h) {
    bad(w, "test", "curl_easy_init");
    return NULL;
  }
  curl_easy_setopt(w->h, CURLOPT_WRITEFUNCTION, on_data);
  curl_easy_setopt(w->h, CURLOPT_WRITEDATA, &w->body);
  curl_easy_setopt(w->h, CURLOPT_TIMEOUT, 30L);
  curl_easy_setopt(w->h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(w->h, CURLOPT_PROXY, "");
  for (unsigned long i = 0; i < w->todo && w->errors < 20; i++) {
    if (w->rest)
      op_rest(w);
    else
      op_handler(w);
  }
  curl_easy_cleanup(w->h);
  w->h = NULL;
  sc_buf_free(&w->body);
  return NULL;
}

/* ------------------------------------------------------- main thread */

static size_t heap_bytes(void) {
#ifdef SOAK_ASAN
  return __sanitizer_get_current_allocated_bytes();
#else
  struct mallinfo2 m = mallinfo2();
  return m.uordblks + m.hblkhd;
#endif
}

static long rss_kib(void) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  long kib = -1;
  while (f && fgets(line, sizeof line, f))
    if (strncmp(line, "VmRSS:", 6) == 0)
      kib = atol(line + 6);
  if (f)
    fclose(f);
  return kib;
}

/* One request from the main thread, asserting an answer. */
static struct su_resp call(struct sc_sim *s, const char *method,
                           const char *path, const char *body,
                           const char *key) {
  char authz[64];
  const char *h[] = {authz, "Content-Type: application/json", NULL};
  snprintf(authz, sizeof authz, "Authorization: Bearer %s", key ? key : "");
  return su_http(s, method, path, body, key ? h : h + 1);
}

/* Prices for every offer (after each reset). */
static void set_prices(struct sc_sim *s) {
  for (size_t si = 0; si < NSERV; si++)
    for (size_t ci = 0; ci < NCTRY; ci++) {
      char json[128];
      long long p = price_of(si, ci);
      snprintf(json, sizeof json,
               "{\"service\":\"%s\",\"country\":\"%s\",\"cost\":%lld.%02lld}",
               services[si], countries[ci], p / 100, p % 100);
      su_ctl_expect(s, "price", json, 200);
    }
}

struct totals {
  unsigned long requests, purchases, activations, rents, cancels, sms, clocks;
  long long money_checked; /* cents of charges and refunds reconciled */
  unsigned long mismatches; /* accounts whose money did not add up */
  char first_mismatch[256];
};

static int by_id(const void *a, const void *b) {
  unsigned long long x = *(const unsigned long long *)a,
                     y = *(const unsigned long long *)b;
  return x < y ? -1 : x > y;
}

/* The cents of a JSON number of the state dump (two decimals at most). */
static long long json_cents(const cJSON *v) {
  char buf[64];
  if (!cJSON_IsNumber(v))
    return -1;
  snprintf(buf, sizeof buf, "%.2f", v->valuedouble);
  return cents_of(buf, strlen(buf));
}

/* After a round: everything the clients of |s| saw, checked against the
 * simulator. Money mismatches are counted (so that a fault run can expect
 * them); everything else is asserted. */
static void reconcile(struct sc_sim *s, int rest, struct worker *ws,
                      unsigned nw, struct totals *t) {
  long long charges[NACC] = {0}, refunds[NACC] = {0};
  size_t n = 0;
  for (unsigned i = 0; i < nw; i++)
    if (ws[i].rest == rest)
      n += ws[i].nrecs;
  unsigned long long *ids = calloc(n ? n : 1, sizeof *ids);
  cr_assert_not_null(ids);
  cJSON *state = su_state(s);
  const cJSON *acts = cJSON_GetObjectItemCaseSensitive(state, "activations");
  const cJSON *rents = cJSON_GetObjectItemCaseSensitive(state, "rents");
  size_t k = 0, nacts = 0, nrents = 0;
  for (unsigned i = 0; i < nw; i++) {
    if (ws[i].rest != rest)
      continue;
    for (size_t j = 0; j < ws[i].nrecs; j++) {
      const struct rec *r = &ws[i].recs[j];
      char key[16], path[256];
      int refunded = 0;
      ids[k++] = r->id;
      key_of(r->acc, key, sizeof key);
      /* found by the client's own status call */
      if (r->rent) {
        nrents++;
        refunded = r->cancel_seen;
      } else if (!rest) {
        nacts++;
        snprintf(path, sizeof path,
                 "/stubs/handler_api.php?api_key=%s&action=getStatus&id=%llu",
                 key, r->id);
        struct su_resp a = call(s, "GET", path, NULL, NULL);
        cr_assert(strncmp(a.body, "STATUS_", 7) == 0,
                  "activation %llu lost: %s", r->id, a.body);
        refunded = strcmp(a.body, "STATUS_CANCEL") == 0;
        cr_assert(!r->cancel_seen || refunded,
                  "activation %llu: cancelled, now %s", r->id, a.body);
        su_resp_free(&a);
      } else {
        nacts++;
        snprintf(path, sizeof path, "/api/v1/activations/act_%llu", r->id);
        struct su_resp a = call(s, "GET", path, NULL, key);
        cJSON *aj = cJSON_Parse(a.body);
        const cJSON *st = cJSON_GetObjectItemCaseSensitive(aj, "status");
        cr_assert(a.code == 200 && cJSON_IsString(st),
                  "activation act_%llu lost: %ld %s", r->id, a.code, a.body);
        int cancelled = strcmp(st->valuestring, "cancelled") == 0;
        cr_assert(!r->delete_seen || cancelled,
                  "act_%llu deleted, now %s", r->id, st->valuestring);
        /* a DELETE says whether it refunded; an activation cancelled
         * without one expired, and expiry refunds */
        refunded = r->delete_seen ? r->delete_refunded : cancelled;
        cJSON_Delete(aj);
        su_resp_free(&a);
      }
      charges[r->acc] += r->cost;
      if (refunded)
        refunds[r->acc] += r->cost;
      /* the simulator's own ledger lists it, the same way */
      const cJSON *list = r->rent ? rents : acts, *e, *found = NULL;
      char idtxt[32];
      snprintf(idtxt, sizeof idtxt, "%llu", r->id);
      cJSON_ArrayForEach(e, list) {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(e, "id");
        if (cJSON_IsString(id) && strcmp(id->valuestring, idtxt) == 0) {
          found = e;
          break;
        }
      }
      cr_assert_not_null(found, "%s %llu is not in the control state",
                         r->rent ? "rent" : "activation", r->id);
      const cJSON *ak = cJSON_GetObjectItemCaseSensitive(found, "apiKey");
      cr_assert(cJSON_IsString(ak) && strcmp(ak->valuestring, key) == 0,
                "%llu: another account in the state", r->id);
      cr_assert_eq(json_cents(cJSON_GetObjectItemCaseSensitive(found, "cost")),
                   r->cost, "%llu: the state's cost differs", r->id);
      cr_assert_eq(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(found,
                                                                 "refunded")),
                   refunded, "%llu: the state's refunded flag differs", r->id);
    }
  }
  /* no id twice, and nothing in the state that no client bought */
  qsort(ids, n, sizeof *ids, by_id);
  for (size_t i = 1; i < n; i++)
    cr_assert_neq(ids[i], ids[i - 1], "id %llu handed out twice", ids[i]);
  cr_assert_eq((size_t)cJSON_GetArraySize(acts), nacts,
               "the state lists %d activations, the clients bought %zu",
               cJSON_GetArraySize(acts), nacts);
  cr_assert_eq((size_t)cJSON_GetArraySize(rents), nrents,
               "the state lists %d rents, the clients ordered %zu",
               cJSON_GetArraySize(rents), nrents);
  /* money, per account, from the balance the account reads */
  for (unsigned a = 0; a < NACC; a++) {
    char key[16], path[128];
    long long bal;
    key_of(a, key, sizeof key);
    if (rest) {
      struct su_resp b = call(s, "GET", "/api/v1/balance", NULL, key);
      /* the raw number as sent: "balance":12.40 */
      const char *p = strstr(b.body, "\"balance\":");
      cr_assert_not_null(p, "%s", b.body);
      p += 10;
      bal = cents_of(p, strspn(p, "0123456789."));
      su_resp_free(&b);
    } else {
      snprintf(path, sizeof path,
               "/stubs/handler_api.php?api_key=%s&action=getBalance", key);
      char *b = su_api(s, path + strlen("/stubs/handler_api.php?"));
      cr_assert(strncmp(b, "ACCESS_BALANCE:", 15) == 0, "%s", b);
      bal = cents_of(b + 15, strlen(b + 15));
      sc_free(b);
    }
    cr_assert_geq(bal, 0, "%s: the balance is negative or unreadable", key);
    t->money_checked += charges[a] + refunds[a];
    if (start_cents(a) != bal + charges[a] - refunds[a]) {
      if (!t->mismatches++)
        snprintf(t->first_mismatch, sizeof t->first_mismatch,
                 "%s %s: start %lld != balance %lld + charges %lld - "
                 "refunds %lld",
                 rest ? "rest-v1" : "sms-activate", key, start_cents(a), bal,
                 charges[a], refunds[a]);
    }
  }
  t->activations += nacts;
  t->rents += nrents;
  cJSON_Delete(state);
  free(ids);
}

struct soak_opts {
  unsigned threads;
  unsigned rounds;         /* at least; more while |seconds| last */
  double seconds;
  unsigned long per_round; /* requests per client and round */
  const char *handler_faults;
  unsigned long seed;
  int cancels_only; /* the handler clients only buy, set 1 and 8, move the
                       clock */
};

struct soak_result {
  struct totals t;
  unsigned rounds;
  size_t heap_warm, heap_end;
  long rss_warm, rss_end;
  double seconds;
};

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void settle(void) {
  /* the server closes the clients' connections after they hang up */
  struct timespec ts = {0, 300 * 1000 * 1000};
  nanosleep(&ts, NULL);
}

static void soak(const struct soak_opts *o, struct soak_result *res) {
  char keys[256] = "";
  for (unsigned a = 0; a < NACC; a++) {
    long long c = start_cents(a);
    size_t l = strlen(keys);
    snprintf(keys + l, sizeof keys - l, "%sK%u:%lld.%02lld", a ? "," : "", a,
             c / 100, c % 100);
  }
  struct sc_sim_config hc = {.profile = "sms-activate",
                             .keys = keys,
                             .seed = o->seed,
                             .faults = o->handler_faults,
                             .stock = 1000000,
                             .early_cancel_seconds = -1,
                             .lifetime_seconds = 0};
  struct sc_sim_config rc = hc;
  rc.profile = "rest-v1";
  rc.faults = NULL;
  rc.seed = o->seed + 1;
  rc.rate_limit = 4000000000u;
  struct sc_sim *sims[2] = {su_start_cfg(hc), su_start_cfg(rc)};
  struct worker *ws = calloc(o->threads, sizeof *ws);
  cr_assert_not_null(ws);
  memset(res, 0, sizeof *res);
  double t0 = now_s();
  for (unsigned round = 0;
       round < o->rounds || (o->seconds > 0 && now_s() - t0 < o->seconds);
       round++) {
    set_prices(sims[0]);
    set_prices(sims[1]);
    pthread_t th[MAX_THREADS];
    for (unsigned i = 0; i < o->threads; i++) {
      struct worker *w = &ws[i];
      memset(w, 0, sizeof *w);
      w->idx = i;
      w->rest = i % 2;
      /* two accounts, each shared with the next client of the dialect */
      w->acc[0] = (i / 2) % NACC;
      w->acc[1] = (i / 2 + 1) % NACC;
      w->port = sc_sim_port(sims[w->rest]);
      w->rng = o->seed * 1000003u + round * 7919u + i;
      w->todo = o->per_round;
      w->cancels_only = o->cancels_only;
      sc_buf_init(&w->body, 1 << 20);
      cr_assert_eq(pthread_create(&th[i], NULL, worker_main, w), 0);
    }
    for (unsigned i = 0; i < o->threads; i++)
      pthread_join(th[i], NULL);
    for (unsigned i = 0; i < o->threads; i++) {
      struct worker *w = &ws[i];
      cr_assert_eq(w->errors, 0u, "client %u (%s): %lu unexpected answers, "
                   "the first: %s", i, w->rest ? "rest-v1" : "sms-activate",
                   w->errors, w->first_error);
      res->t.requests += w->requests;
      res->t.purchases += w->purchases;
      res->t.cancels += w->cancels;
      res->t.sms += w->sms;
      res->t.clocks += w->clocks;
    }
    /* The simulated clock is wall time plus the advances: an activation
     * near the end of its lifetime could expire between the status read
     * and the balance read. Far past every lifetime, every activation
     * still waiting for a code has expired (and been refunded) before the
     * reconciliation starts, and nothing changes while it runs. */
    su_ctl_expect(sims[0], "clock", "{\"advance\":100000}", 200);
    su_ctl_expect(sims[1], "clock", "{\"advance\":100000}", 200);
    reconcile(sims[0], 0, ws, o->threads, &res->t);
    reconcile(sims[1], 1, ws, o->threads, &res->t);
    for (unsigned i = 0; i < o->threads; i++)
      free(ws[i].recs);
    su_ctl_expect(sims[0], "reset", "{}", 200);
    su_ctl_expect(sims[1], "reset", "{}", 200);
    settle();
    res->heap_end = heap_bytes();
    res->rss_end = rss_kib();
    if (round == 0) {
      res->heap_warm = res->heap_end;
      res->rss_warm = res->rss_end;
    }
    res->rounds = round + 1;
  }
  res->seconds = now_s() - t0;
  free(ws);
  su_stop(sims[0]);
  su_stop(sims[1]);
}

static unsigned long env_num(const char *name, unsigned long dflt) {
  const char *v = getenv(name);
  return v && *v ? strtoul(v, NULL, 10) : dflt;
}

Test(soak, money_ids_and_memory_hold_under_concurrent_clients,
     .timeout = 3600) {
  struct soak_opts o = {.threads = (unsigned)env_num("SC_SOAK_THREADS",
                                                     SOAK_THREADS),
                        .rounds = SOAK_ROUNDS,
                        .seconds = (double)env_num("SC_SOAK_SECONDS", 0),
                        .per_round = SOAK_PER_ROUND,
                        .seed = env_num("SC_SOAK_SEED", 7)};
  struct soak_result r;
  cr_assert(o.threads >= 2 && o.threads <= MAX_THREADS);
  if (o.seconds > 0)
    o.per_round = 2000;
  soak(&o, &r);
  fprintf(stderr,
          "soak: %.1f s, %u rounds, %lu requests (%.0f/s), %u clients, %u "
          "accounts x 2 simulators, %lu activations, %lu rents, %lu "
          "cancels, %lu sms, %lu clock moves, %lld.%02lld of money "
          "reconciled, heap %zu -> %zu bytes, VmRSS %ld -> %ld KiB\n",
          r.seconds, r.rounds, r.t.requests, (double)r.t.requests / r.seconds,
          o.threads, NACC, r.t.activations, r.t.rents, r.t.cancels, r.t.sms,
          r.t.clocks, r.t.money_checked / 100, r.t.money_checked % 100,
          r.heap_warm, r.heap_end, r.rss_warm, r.rss_end);
  cr_expect_eq(r.t.mismatches, 0u, "money does not add up: %s",
               r.t.first_mismatch);
  /* the mix did what it is for */
  cr_expect_gt(r.t.activations, 100u);
  cr_expect_gt(r.t.rents, 10u);
  cr_expect_gt(r.t.cancels, 50u);
  /* flat memory: the heap after the last round is within 10% of the heap
   * after the warm-up round (both after a reset, the clients gone) */
  double growth = ((double)r.heap_end - (double)r.heap_warm) /
                  (double)r.heap_warm;
  cr_expect(growth < 0.10 && growth > -0.10,
            "heap %zu bytes after the warm-up, %zu after %u rounds (%+.1f%%)",
            r.heap_warm, r.heap_end, r.rounds, growth * 100);
}

/* The checker can fail: a simulator that refunds a cancel twice (after
 * status 1) makes money appear, and the reconciliation says so. The
 * handler clients' mix is narrowed to what provokes it (buy, status 1,
 * status 8, clock moves past the early-cancel window). */
Test(soak, a_double_refund_is_caught, .timeout = 600) {
  struct soak_opts o = {.threads = 4,
                        .rounds = 2,
                        .per_round = 400,
                        .handler_faults = "double-refund",
                        .seed = 11,
                        .cancels_only = 1};
  struct soak_result r;
  soak(&o, &r);
  fprintf(stderr, "fault run: %lu requests, %lu purchases, %lu cancels, %lu "
          "clock moves, %lu money mismatches (%s)\n", r.t.requests,
          r.t.purchases, r.t.cancels, r.t.clocks, r.t.mismatches,
          r.t.first_mismatch);
  cr_expect_gt(r.t.mismatches, 0u,
               "a double refund went unnoticed over %lu requests (%lu "
               "cancels)",
               r.t.requests, r.t.cancels);
}
