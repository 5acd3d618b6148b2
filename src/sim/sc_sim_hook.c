/* sc_sim_hook.c — the simulator's webhooks and /control/webhook.
 *
 * Sources: 001 = seeds/001_ac8db1c65ff3c54b.txt, section "When you receive
 * an SMS to a number, if you have enabled the Webhooks functionality";
 * 004 = seeds/004_67353fd389171043.txt, section "Webhook POST"; ARCH =
 * ARCHITECTURE.md "Sandbox control protocol v1".
 *
 * When an SMS reaches an activation of an account that has a webhook URL,
 * hook_sms (the module's sms operation, under s->mu) queues one job: the
 * JSON payload of 001/004, built at once, and the URL as it was then. One
 * delivery thread POSTs due jobs with libcurl. It holds s->mu only while it
 * looks at the queue, never during network I/O; it sleeps on a condition
 * variable until the earliest retry is due on the simulated clock, or until
 * hook_sms, hook_clock or hook_destroy wakes it. An in-flight transfer is
 * run on a curl multi handle so that hook_destroy can interrupt it
 * (curl_multi_wakeup) instead of waiting for its timeout.
 *
 * 001: "we will wait for a response from your script with HTTP status 200.
 * If your script does not respond, we will send a request within 2 hours,
 * but no more than 8 times." Any answer but 200, or none, is a failed
 * attempt; attempts are made at the offsets of retry_at[] after the SMS,
 * measured on the simulated clock, so /control/clock makes due retries
 * happen at once. 004 gives no schedule and is served the same way. */
#include "sc_sim_base.h"

#include "sc_alloc.h"
#include "sc_spec.h"

#include <curl/curl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* 001: no more than 8 times, within 2 hours. */
#define HOOK_MAX_ATTEMPTS 8
static const long long retry_at[HOOK_MAX_ATTEMPTS] = {
    0, 60, 300, 900, 1800, 3600, 5400, 7200}; /* seconds after the SMS */

#define HOOK_CONNECT_MS 2000L
#define HOOK_TIMEOUT_MS 5000L
#define HOOK_RESPONSE_MAX 16384 /* bytes of an answer read; the rest cut */
#define HOOK_URL_MAX 2048
#define HOOK_JOBS_MAX 4096 /* queue cap; finished jobs make room first */

struct hook_job {
  unsigned long long id;
  unsigned long long activation;
  size_t account;
  char *url;
  char *payload;
  long long queued_at; /* simulated seconds: when the SMS arrived */
  long long next_at;   /* simulated seconds: the next attempt */
  unsigned attempts;
  long last_status; /* HTTP status of the last attempt; 0 = no answer */
  int delivered;    /* a 200 came */
  int given_up;     /* attempts used up (or no retry under the fault) */
  int inflight;
};

struct sim_hooks {
  pthread_t thread;
  int started;
  pthread_cond_t cv; /* waited on with s->mu */
  int cv_ok;
  int curl_ok;
  CURLM *multi; /* used by the thread only; woken from hook_destroy */
  atomic_int stop;
  /* guarded by s->mu */
  struct hook_job *jobs;
  size_t n, cap;
  unsigned long long next_job;
};

/* ---- the queue (under s->mu) --------------------------------------------- */

static void job_free(struct hook_job *j) {
  sc_free(j->url);
  sc_free(j->payload);
}

static void job_remove(struct sim_hooks *h, size_t i) {
  job_free(&h->jobs[i]);
  memmove(&h->jobs[i], &h->jobs[i + 1], (h->n - i - 1) * sizeof(*h->jobs));
  h->n--;
}

static struct hook_job *job_find(struct sim_hooks *h, unsigned long long id) {
  for (size_t i = 0; i < h->n; i++)
    if (h->jobs[i].id == id)
      return &h->jobs[i];
  return NULL;
}

/* Records the outcome of one attempt: |code| is the HTTP status (0 = no
 * answer). */
static void job_record(struct sc_sim *s, struct hook_job *j, long code) {
  j->inflight = 0;
  j->attempts++;
  j->last_status = code;
  /* 001: we wait for a response with HTTP status 200. */
  if (code == 200) {
    j->delivered = 1;
    return;
  }
  /* ... no more than 8 times; the fault never retries. */
  if (sim_fault(s, SIM_F_WEBHOOK_NO_RETRY)) {
    j->given_up = 1;
    return;
  }
  if (j->attempts >= HOOK_MAX_ATTEMPTS) {
    /* the other fault goes on past the cap, every 30 minutes */
    if (!sim_fault(s, SIM_F_WEBHOOK_RETRY_FOREVER)) {
      j->given_up = 1;
      return;
    }
    j->next_at = j->queued_at + retry_at[HOOK_MAX_ATTEMPTS - 1] +
                 1800LL * (long long)(j->attempts - HOOK_MAX_ATTEMPTS + 1);
    return;
  }
  j->next_at = j->queued_at + retry_at[j->attempts];
}

/* ---- one delivery (without s->mu) ---------------------------------------- */

static size_t on_answer(char *p, size_t size, size_t n, void *ud) {
  (void)p;
  size_t *got = ud;
  *got += size * n;
  return *got > HOOK_RESPONSE_MAX ? 0 : size * n; /* cap: cut it short */
}

/* POSTs |payload| to |url|; the HTTP status, or 0 when none came. Returns
 * early when hook_destroy asks the thread to stop. */
static long post(struct sim_hooks *h, const char *url, const char *payload) {
  CURL *e = curl_easy_init();
  struct curl_slist *hl =
      curl_slist_append(NULL, "Content-Type: application/json");
  long code = 0;
  size_t got = 0;
  if (!e || !hl)
    goto out;
  curl_easy_setopt(e, CURLOPT_URL, url);
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http");
  curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L); /* a 3xx is a failure */
  curl_easy_setopt(e, CURLOPT_PROXY, "");          /* straight to the URL */
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, HOOK_CONNECT_MS);
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, HOOK_TIMEOUT_MS);
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, hl);
  curl_easy_setopt(e, CURLOPT_USERAGENT, "smsconform-sim");
  curl_easy_setopt(e, CURLOPT_POSTFIELDS, payload);
  curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)strlen(payload));
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_answer);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, &got);
  if (curl_multi_add_handle(h->multi, e) != CURLM_OK)
    goto out;
  int running = 1;
  while (running && !atomic_load(&h->stop)) {
    if (curl_multi_perform(h->multi, &running) != CURLM_OK || !running)
      break;
    if (curl_multi_poll(h->multi, NULL, 0, 1000, NULL) != CURLM_OK)
      break;
  }
  CURLMsg *m;
  int left = 0;
  while ((m = curl_multi_info_read(h->multi, &left)))
    if (m->msg == CURLMSG_DONE && m->easy_handle == e &&
        (m->data.result == CURLE_OK || m->data.result == CURLE_WRITE_ERROR))
      curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &code);
  curl_multi_remove_handle(h->multi, e);
out:
  curl_slist_free_all(hl);
  curl_easy_cleanup(e);
  return code;
}

/* ---- the delivery thread ------------------------------------------------- */

static void *deliver_loop(void *arg) {
  struct sc_sim *s = arg;
  struct sim_hooks *h = s->hooks;
  pthread_mutex_lock(&s->mu);
  while (!atomic_load(&h->stop)) {
    long long now = sim_now(s), next = 0;
    struct hook_job *due = NULL;
    int waiting = 0;
    for (size_t i = 0; i < h->n; i++) {
      struct hook_job *j = &h->jobs[i];
      if (j->delivered || j->given_up || j->inflight)
        continue;
      if (j->next_at <= now) {
        if (!due || j->next_at < due->next_at)
          due = j;
      } else if (!waiting || j->next_at < next) {
        next = j->next_at;
        waiting = 1;
      }
    }
    if (due) {
      unsigned long long id = due->id;
      char *url = sc_strdup(due->url);
      char *payload = sc_strdup(due->payload);
      due->inflight = 1;
      pthread_mutex_unlock(&s->mu);
      long code = url && payload ? post(h, url, payload) : 0;
      sc_free(url);
      sc_free(payload);
      pthread_mutex_lock(&s->mu);
      /* The job is gone if /control/reset ran meanwhile. */
      struct hook_job *j = job_find(h, id);
      if (j && !atomic_load(&h->stop))
        job_record(s, j, code);
      else if (j)
        j->inflight = 0;
      continue;
    }
    if (!waiting) {
      pthread_cond_wait(&h->cv, &s->mu);
    } else {
      /* sim_now() is time(NULL) + clock_offset: the retry is due when the
       * real clock reaches next - clock_offset. */
      struct timespec ts = {(time_t)(next - s->clock_offset), 0};
      pthread_cond_timedwait(&h->cv, &s->mu, &ts);
    }
  }
  pthread_mutex_unlock(&s->mu);
  return NULL;
}

/* ---- the module's operations -------------------------------------------- */

static int hook_init(struct sc_sim *s) {
  struct sim_hooks *h = sc_calloc(1, sizeof(*h));
  if (!h)
    return -1;
  s->hooks = h;
  atomic_init(&h->stop, 0);
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
    return -1;
  h->curl_ok = 1;
  h->multi = curl_multi_init();
  if (!h->multi || pthread_cond_init(&h->cv, NULL))
    return -1;
  h->cv_ok = 1;
  if (pthread_create(&h->thread, NULL, deliver_loop, s))
    return -1;
  h->started = 1;
  return 0;
}

static void hook_reset(struct sc_sim *s) {
  struct sim_hooks *h = s->hooks;
  if (!h)
    return;
  /* An attempt in flight finds its job gone and is forgotten. */
  for (size_t i = 0; i < h->n; i++)
    job_free(&h->jobs[i]);
  h->n = 0;
}

static void hook_destroy(struct sc_sim *s) {
  struct sim_hooks *h = s ? s->hooks : NULL;
  if (!h)
    return;
  if (h->started) {
    pthread_mutex_lock(&s->mu);
    atomic_store(&h->stop, 1);
    pthread_cond_broadcast(&h->cv);
    pthread_mutex_unlock(&s->mu);
    curl_multi_wakeup(h->multi); /* ends a transfer in flight */
    pthread_join(h->thread, NULL);
  }
  for (size_t i = 0; i < h->n; i++)
    job_free(&h->jobs[i]);
  sc_free(h->jobs);
  if (h->multi)
    curl_multi_cleanup(h->multi);
  if (h->cv_ok)
    pthread_cond_destroy(&h->cv);
  if (h->curl_ok)
    curl_global_cleanup();
  sc_free(h);
  s->hooks = NULL;
}

static void hook_dump(struct sc_sim *s, cJSON *root) {
  struct sim_hooks *h = s->hooks;
  cJSON *arr = cJSON_AddArrayToObject(root, "webhooks");
  for (size_t i = 0; arr && h && i < h->n; i++) {
    const struct hook_job *j = &h->jobs[i];
    char id[24];
    snprintf(id, sizeof id, "%llu", j->activation);
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddItemToArray(arr, o)) {
      cJSON_Delete(o);
      return;
    }
    int pending = !j->delivered && !j->given_up;
    if (!cJSON_AddStringToObject(o, "url", j->url) ||
        !cJSON_AddStringToObject(o, "apiKey", s->accounts[j->account].key) ||
        !cJSON_AddStringToObject(o, "activationId", id) ||
        !cJSON_AddNumberToObject(o, "attempts", j->attempts) ||
        !cJSON_AddBoolToObject(o, "delivered", j->delivered) ||
        !cJSON_AddBoolToObject(o, "gaveUp", j->given_up) ||
        !cJSON_AddBoolToObject(o, "inFlight", j->inflight) ||
        !cJSON_AddNumberToObject(o, "lastStatus", (double)j->last_status) ||
        !cJSON_AddNumberToObject(o, "queuedAt", (double)j->queued_at) ||
        !(pending
              ? cJSON_AddNumberToObject(o, "nextAttempt", (double)j->next_at)
              : cJSON_AddNullToObject(o, "nextAttempt")) ||
        !cJSON_AddStringToObject(o, "payload", j->payload))
      return;
  }
}

/* An http:// URL with a host, no spaces or control bytes (the simulator
 * posts plain HTTP only). */
static int url_ok(const char *u) {
  size_t n = strlen(u);
  if (n > HOOK_URL_MAX || strncasecmp(u, "http://", 7) != 0)
    return 0;
  if (!u[7] || u[7] == '/' || u[7] == ':' || u[7] == '?' || u[7] == '#')
    return 0;
  for (const char *p = u; *p; p++)
    if ((unsigned char)*p <= ' ' || *p == 0x7f)
      return 0;
  return 1;
}

/* ARCH: POST {control}/webhook {"apiKey":"…","url":"…"} - where this
 * account's webhooks go; "url": null stops them. Only the profiles that
 * document webhooks (001, 004) have any. */
static int hook_control(struct sc_sim *s, const char *path,
                        const cJSON *body, struct sc_buf *out) {
  if (strcmp(path, "webhook") != 0)
    return 0;
  const cJSON *k = cJSON_GetObjectItemCaseSensitive(body, "apiKey");
  const cJSON *u = cJSON_GetObjectItemCaseSensitive(body, "url");
  if (!cJSON_IsString(k) || !k->valuestring)
    return sim_ctl_error(out, 400, "apiKey required");
  if (!cJSON_IsNull(u) && (!cJSON_IsString(u) || !u->valuestring))
    return sim_ctl_error(out, 400, "url required (a string, or null)");
  if (cJSON_IsString(u) && !url_ok(u->valuestring))
    return sim_ctl_error(out, 400, "url must be an http:// URL with a host");
  if (!sc_profile_has_action(s->profile, "webhook"))
    return sim_ctl_error(out, 404, "this profile documents no webhooks");
  char *copy = cJSON_IsString(u) ? sc_strdup(u->valuestring) : NULL;
  if (cJSON_IsString(u) && !copy)
    return sim_ctl_error(out, 500, "out of memory");
  int rc;
  pthread_mutex_lock(&s->mu);
  struct sim_account *a = sim_find_account(s, k->valuestring, NULL);
  if (!a) {
    rc = sim_ctl_error(out, 404, "no such apiKey");
  } else {
    sc_free(a->webhook_url);
    a->webhook_url = copy;
    copy = NULL;
    rc = sim_ctl_ok(out);
  }
  pthread_mutex_unlock(&s->mu);
  sc_free(copy);
  return rc;
}

/* 001/004: the payload, one JSON object:
 *   {"activationId": 635468024, "service": "go", "text": "Your sms text",
 *    "code": "Your sms code", "country": 0,
 *    "receivedAt": "2022-06-01 17:30:57"}
 * activationId and country are JSON numbers in both documents. */
static char *payload_for(const struct sc_sim *s,
                         const struct sim_activation *a) {
  const struct sim_offer *o = &s->offers[a->offer];
  char at[64];
  sim_fmt_time(at, sizeof at, a->sms_at, SIM_TIME_001);
  cJSON *root = cJSON_CreateObject();
  char *txt = NULL;
  /* The fault names the code field smsCode (as getActiveActivations
   * does), where both documents write "code". */
  if (root && cJSON_AddNumberToObject(root, "activationId", (double)a->id) &&
      cJSON_AddStringToObject(root, "service",
                              sim_service(s, o->service)->code) &&
      cJSON_AddStringToObject(root, "text", a->text) &&
      cJSON_AddStringToObject(
          root, sim_fault(s, SIM_F_WEBHOOK_PAYLOAD) ? "smsCode" : "code",
          a->code) &&
      cJSON_AddNumberToObject(root, "country",
                              (double)sim_country(s, o->country)->num) &&
      cJSON_AddStringToObject(root, "receivedAt", at))
    txt = cJSON_PrintUnformatted(root);
  cJSON_Delete(root);
  return txt;
}

static void hook_sms(struct sc_sim *s, const struct sim_activation *a) {
  struct sim_hooks *h = s->hooks;
  const char *url = s->accounts[a->account].webhook_url;
  /* serve --actions without webhook: a vendor that never sends one */
  if (!h || !url || !sim_offers(s, "webhook"))
    return;
  if (h->n == HOOK_JOBS_MAX) {
    /* Make room: the oldest finished job goes; with none, the SMS is
     * not announced (a vendor's queue is finite too). */
    size_t i = 0;
    while (i < h->n && !h->jobs[i].delivered && !h->jobs[i].given_up)
      i++;
    if (i == h->n)
      return;
    job_remove(h, i);
  }
  if (h->n == h->cap) {
    size_t nc = h->cap ? h->cap * 2 : 16;
    struct hook_job *nj = sc_realloc(h->jobs, nc * sizeof(*nj));
    if (!nj)
      return;
    h->jobs = nj;
    h->cap = nc;
  }
  char *payload = payload_for(s, a);
  char *u = sc_strdup(url);
  if (!payload || !u) {
    cJSON_free(payload);
    sc_free(u);
    return;
  }
  struct hook_job *j = &h->jobs[h->n++];
  memset(j, 0, sizeof(*j));
  j->id = ++h->next_job;
  j->activation = a->id;
  j->account = a->account;
  j->url = u;
  /* cJSON allocates through sc_malloc (sc_alloc_init), so sc_free frees
   * it like the URL. */
  j->payload = payload;
  j->queued_at = a->sms_at;
  j->next_at = a->sms_at + retry_at[0];
  pthread_cond_broadcast(&h->cv);
}

static void hook_clock(struct sc_sim *s) {
  if (s->hooks)
    pthread_cond_broadcast(&s->hooks->cv);
}

static const char *const hook_control_paths[] = {"webhook", NULL};

const struct sim_module sim_hook_module = {
    .name = "hook",
    .control_paths = hook_control_paths,
    .init = hook_init, /* starts the delivery thread */
    .init_error = "cannot start the webhook thread",
    .reset = hook_reset,
    .destroy = hook_destroy, /* stops it */
    .state = hook_dump,
    .control = hook_control,
    .sms = hook_sms,
    .clock = hook_clock,
};
