/* sc_checks.c — the check catalogue of `smsconform run`.
 *
 * The plan is generated from the spec for one profile: which actions the
 * profile offers, their parameters, the error tokens each may answer, the
 * lifecycle table's setStatus transitions and timing. How a check drives
 * the endpoint (which request provokes which answer) is written here, once
 * per kind of check. Ids are stable: category.action.detail, built from
 * names in the spec, never from positions. */
#include "sc_checks_int.h"

#include "sc_alloc.h"
#include "sc_buf.h"
#include "sc_spec.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- reading the spec ---------------------------------------------------- */

const cJSON *ck_jget(const cJSON *o, const char *k) {
  return cJSON_GetObjectItemCaseSensitive(o, k);
}

const char *ck_jstr(const cJSON *o, const char *k) {
  const cJSON *v = ck_jget(o, k);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The first citation in |sources|, preferring the profile's own documents. */
void ck_cite(const struct ck_env *env, const cJSON *sources,
                 struct ck_def *d) {
  const cJSON *psrc = ck_jget(env->profile->json, "sources");
  const cJSON *s, *best = NULL;
  cJSON_ArrayForEach(s, sources) {
    const char *doc = ck_jstr(s, "doc");
    const cJSON *p;
    cJSON_ArrayForEach(p, psrc) {
      const char *pd = ck_jstr(p, "doc");
      if (doc && pd && strcmp(doc, pd) == 0 && !best)
        best = s;
    }
  }
  if (!best)
    best = cJSON_GetArrayItem(sources, 0);
  d->doc = best ? ck_jstr(best, "doc") : NULL;
  d->section = best ? ck_jstr(best, "section") : NULL;
}

/* The parameter |name| of the action as the profile sees it, or NULL. */
const cJSON *ck_param_named(const struct sc_view *v, const char *name) {
  const cJSON *p;
  cJSON_ArrayForEach(p, v->params) {
    const char *n = ck_jstr(p, "name");
    if (n && strcmp(n, name) == 0)
      return p;
  }
  return NULL;
}

const cJSON *ck_param_typed(const struct sc_view *v, const char *type) {
  const cJSON *p;
  cJSON_ArrayForEach(p, v->params) {
    const char *t = ck_jstr(p, "type");
    if (t && strcmp(t, type) == 0)
      return p;
  }
  return NULL;
}

static const char *action_file(const struct sc_view *v) {
  return v->action ? v->action->file : "";
}

int ck_in_family(const struct sc_view *v, const char *family) {
  return strstr(action_file(v), family) != NULL;
}

size_t ck_allowed_tokens(const struct sc_view *v, const char *const *tokens,
                         size_t max, const char **out) {
  size_t n = 0;
  for (size_t i = 0; i < max && tokens[i]; i++)
    if (sc_view_allows_error(v, tokens[i]))
      out[n++] = tokens[i];
  out[n] = NULL;
  return n;
}

/* ---- shared steps -------------------------------------------------------- */

const char *ck_svc(struct ck *c) {
  return ck_opts(c)->service ? ck_opts(c)->service : "tg";
}

const char *ck_ctry(struct ck *c) {
  return ck_opts(c)->country ? ck_opts(c)->country : "0";
}

/* 001 "Mail API Version 2": "... gmail.com mailboxes for registering
 * Telegram accounts": the one site the document names as a customer of the
 * e-mail API. */
const char CK_MAIL_SITE[] = "telegram.org";

const char *ck_param_value(struct ck *c, const cJSON *p, const char *id) {
  const char *name = ck_jstr(p, "name"), *type = ck_jstr(p, "type");
  if (!name || !type || strcmp(type, "key") == 0)
    return NULL;
  const cJSON *values = ck_jget(p, "values");
  if (strcmp(type, "service") == 0 ||
      (strcmp(type, "list") == 0 && strcmp(name, "service") == 0))
    return ck_svc(c);
  if (strcmp(type, "lang") == 0)
    return "en";
  if (strcmp(type, "country") == 0)
    return ck_ctry(c);
  if (strcmp(type, "id") == 0)
    return id;
  if (!cJSON_IsTrue(ck_jget(p, "required")))
    return NULL;
  if (strcmp(name, "rent_time") == 0 || strcmp(name, "time") == 0)
    return ck_env(c)->rent_hours;
  if (strcmp(name, "site") == 0)
    return CK_MAIL_SITE;
  /* 004 "Deposit wallet GET": the only example passes coin=usdt and
   * network=tron */
  if (strcmp(name, "coin") == 0)
    return "usdt";
  if (strcmp(name, "network") == 0)
    return "tron";
  if (strcmp(name, "status") == 0 && sc_json_array_has_string(values, "1"))
    return "1"; /* setStatus 1 answers without changing anything */
  if (strcmp(type, "enum") == 0 &&
      cJSON_IsString(cJSON_GetArrayItem(values, 0)))
    return cJSON_GetArrayItem(values, 0)->valuestring;
  return NULL;
}

int ck_fill_params(struct ck *c, const char *action, const char *id,
                   const char **kv, int cap) {
  struct sc_view v;
  if (sc_spec_view(ck_env(c)->spec, action, ck_env(c)->profile_name, &v))
    return -1;
  int n = 0;
  const cJSON *p;
  cJSON_ArrayForEach(p, v.params) {
    const char *val = ck_param_value(c, p, id);
    if (!val) {
      if (cJSON_IsTrue(ck_jget(p, "required")) &&
          strcmp(ck_jstr(p, "type") ? ck_jstr(p, "type") : "", "key") != 0)
        return -1;
      continue;
    }
    if (n + 2 > cap)
      return -1;
    kv[n++] = ck_jstr(p, "name");
    kv[n++] = val;
  }
  return n;
}

int ck_buy_refused(struct ck *c, const struct ck_ans *a) {
  if (!ck_ran_out(c, a))
    return 0;
  /* with control, one that shares the sandbox runs again alone; alone and
   * from a reset, a refusal is the endpoint's answer to judge */
  if (ck_opts(c)->control)
    return ck_rerun_alone(c) || ck_done(c);
  ck_skip(c,
          "the purchase this check needs was refused with %s: the account "
          "or the stock ran out during the run (without --control nothing "
          "resets them)",
          a->token);
  return 1;
}

long long ck_book(struct ck *c, enum ck_who who, const char *action,
                  const char *what, const char *id, long long before) {
  long long after = ck_balance(c, who);
  if (after < 0)
    return -1;
  /* the engine booked the sale at its listed price; a balance difference
   * prices it only where no other check's purchase can move the balance */
  if (ck_alone(c))
    ck_spent(c, action, what, id, (double)(before - after) / 100.0);
  return before - after;
}

/* getNumber for the run's service and country with the extra name, value
 * pairs |kv|; the id into |id|. The engine books the sale (at the listed
 * price: no balance is read for it). 1 on success; a failure is the
 * step's, owned by format.getNumber. */
static int buy_kv(struct ck *c, enum ck_who who, char *id, size_t n,
                  const char *const *kv, size_t nkv) {
  const char *all[16] = {"service", ck_svc(c), "country", ck_ctry(c)};
  size_t nall = 4;
  for (size_t i = 0; i < nkv && nall < 16; i++)
    all[nall++] = kv[i];
  const char *prev = ck_step(c, "format.getNumber");
  struct ck_ans a;
  ck_api_v(c, &a, who, 0, "getNumber", all, nall);
  int ok = !ck_buy_refused(c, &a) &&
           ck_expect1(c, &a, "ACCESS_NUMBER", "getNumber");
  if (ok)
    snprintf(id, n, "%s", a.field[0]);
  ck_ans_free(&a);
  ck_step_end(c, prev);
  return ok;
}

int ck_buy(struct ck *c, enum ck_who who, char *id, size_t n) {
  return buy_kv(c, who, id, n, NULL, 0);
}

static int make_activation(struct ck *c, char *id, size_t n) {
  return ck_buy(c, CK_WHO_KEY1, id, n);
}

int ck_buy_to_read(struct ck *c, char *id, size_t n) {
  /* one a minute short of its lifetime is bought anew: it must still be
   * waiting for its code when it is read */
  int life = 0;
  double max_age = ck_timing_known(ck_env(c), "activation_lifetime_seconds",
                                   &life) && life > 120
                       ? life - 60
                       : 0;
  return ck_shared(c, "activation", max_age, make_activation, id, n);
}

int ck_set_status(struct ck *c, struct ck_ans *a, enum ck_who who,
                      const char *id, const char *status) {
  return ck_api(c, a, who, "setStatus", "id", id, "status", status, NULL);
}

/* Expects getStatus of |id| to be one of |allowed|; 1 when it is. */
int ck_expect_status(struct ck *c, const char *id,
                         const char *const *allowed, const char *what) {
  struct ck_ans a;
  ck_api(c, &a, CK_WHO_KEY1, "getStatus", "id", id, NULL);
  int ok = ck_expect(c, &a, allowed, what);
  ck_ans_free(&a);
  return ok;
}

int ck_ctl_obj(struct ck *c, const char *path, cJSON *o, int ok) {
  char *s = ok ? cJSON_PrintUnformatted(o) : NULL;
  cJSON_Delete(o);
  if (!s) {
    ck_error(c, "out of memory");
    return 0;
  }
  ok = ck_ctl(c, path, "%s", s) == 200;
  cJSON_free(s);
  return ok;
}

int ck_sms(struct ck *c, const char *id, const char *code) {
  char text[64];
  snprintf(text, sizeof text, "Your code is %s", code);
  cJSON *o = cJSON_CreateObject();
  return ck_ctl_obj(c, "sms", o,
                 o && cJSON_AddStringToObject(o, "activationId", id) &&
                     cJSON_AddStringToObject(o, "text", text) &&
                     cJSON_AddStringToObject(o, "code", code));
}

int ck_set_balance(struct ck *c, double amount) {
  cJSON *o = cJSON_CreateObject();
  return ck_ctl_obj(c, "balance", o,
                 o && cJSON_AddStringToObject(o, "apiKey", ck_opts(c)->key) &&
                     cJSON_AddNumberToObject(o, "balance", amount));
}

void ck_provision(struct ck *c) {
  ck_ctl(c, "stock", "{\"service\":\"%s\",\"country\":\"%s\",\"count\":%d}",
         ck_svc(c), ck_ctry(c), CK_FIXTURE_STOCK);
  const char *keys[2] = {ck_opts(c)->key, ck_opts(c)->key2};
  for (int i = 0; i < 2 && keys[i]; i++) {
    cJSON *o = cJSON_CreateObject();
    ck_ctl_obj(c, "balance", o,
               o && cJSON_AddStringToObject(o, "apiKey", keys[i]) &&
                   cJSON_AddNumberToObject(o, "balance",
                                           CK_FIXTURE_STOCK * 100.0));
  }
}

int ck_advance(struct ck *c, int seconds) {
  return ck_wait(c, seconds);
}

void ck_money_text(long long cents, char *buf, size_t n) {
  snprintf(buf, n, "%s%lld.%02lld", cents < 0 ? "-" : "", llabs(cents) / 100,
           llabs(cents) % 100);
}

void ck_token_text(struct ck *c, const char *ref, const char *value, char *out,
                   size_t n) {
  snprintf(out, n, "%s:%s", ck_token(ck_env(c), ref), value);
}

void ck_expect_balance(struct ck *c, long long want, const char *what) {
  long long got = ck_balance(c, CK_WHO_KEY1);
  if (got < 0 || ck_done(c))
    return;
  if (got != want) {
    char e[96], g[96], es[32], gs[32];
    ck_money_text(want, es, sizeof es);
    ck_money_text(got, gs, sizeof gs);
    ck_token_text(c, "ACCESS_BALANCE", es, e, sizeof e);
    ck_token_text(c, "ACCESS_BALANCE", gs, g, sizeof g);
    ck_fail(c, e, g, "%s: the balance is %s, expected %s", what, g, e);
  } else {
    ck_ok(c);
  }
}

/* ---- format: every action's success answer ------------------------------ */

/* Actions called without an activation (catalogue, balance, lists). */
static void chk_format_plain(struct ck *c) {
  const char *kv[16];
  int n = ck_fill_params(c, ck_def(c)->action, NULL, kv, 16);
  if (n < 0) {
    ck_error(c, "no value known for a required parameter");
    return;
  }
  struct ck_ans a;
  ck_api_v(c, &a, CK_WHO_KEY1, 0, ck_def(c)->action, kv, (size_t)n);
  ck_expect(c, &a, NULL, ck_def(c)->action);
  ck_ans_free(&a);
}

/* A purchase action: the answer and the money it took. */
static void chk_format_buy(struct ck *c) {
  const char *action = ck_def(c)->action;
  if (strcmp(action, "getNumber") == 0) {
    char id[64];
    ck_buy(c, CK_WHO_KEY1, id, sizeof id);
    return;
  }
  const char *kv[16];
  int n = ck_fill_params(c, action, NULL, kv, 16);
  if (n < 0) {
    ck_error(c, "no value known for a required parameter");
    return;
  }
  /* the engine books what it sold */
  struct ck_ans a;
  ck_api_v(c, &a, CK_WHO_KEY1, 0, action, kv, (size_t)n);
  if (!ck_buy_refused(c, &a))
    ck_expect(c, &a, NULL, action);
  ck_ans_free(&a);
}

/* An action about one activation: buy, then call it. */
static void chk_format_activation(struct ck *c) {
  char id[64];
  const char *action = ck_def(c)->action;
  /* getStatus and getStatusV2 only read it */
  int reads = !ck_def(c)->iarg && (strcmp(action, "getStatus") == 0 ||
                                   strcmp(action, "getStatusV2") == 0);
  if (!(reads ? ck_buy_to_read(c, id, sizeof id)
              : ck_buy(c, CK_WHO_KEY1, id, sizeof id)))
    return;
  if (ck_def(c)->iarg && !ck_sms(c, id, "4821"))
    return;
  const char *kv[16];
  int n = ck_fill_params(c, action, id, kv, 16);
  if (n < 0) {
    ck_error(c, "no value known for a required parameter");
    return;
  }
  struct ck_ans a;
  ck_api_v(c, &a, CK_WHO_KEY1, 0, action, kv, (size_t)n);
  ck_expect(c, &a, NULL, action);
  ck_ans_free(&a);
}


/* A service code other than the one in use, from getPrices (001's
 * additional service must differ from the parent's); "" when none. */
static void other_service(struct ck *c, char *out, size_t n) {
  struct ck_ans a;
  out[0] = '\0';
  const char *prev = ck_step(c, "format.getPrices");
  ck_api(c, &a, CK_WHO_KEY1, "getPrices", "country", ck_ctry(c), NULL);
  if (ck_expect(c, &a, NULL, "getPrices for a second service")) {
    const cJSON *cty, *svc;
    cJSON_ArrayForEach(cty, a.res.json) cJSON_ArrayForEach(svc, cty) {
      if (!out[0] && svc->string && strcmp(svc->string, ck_svc(c)) != 0)
        snprintf(out, n, "%s", svc->string);
    }
    if (!out[0])
      ck_fail(c, "a second service", "one service",
              "getPrices lists no service besides %s", ck_svc(c));
  }
  ck_ans_free(&a);
  ck_step_end(c, prev);
}

static int step_status(struct ck *c, const char *id, const char *from,
                       const char *status, int late, const char *what);

/* Actions that need an activation made a particular way before they have
 * a success to answer (001): a number-verified one (getIncomingCallStatus),
 * a voice one that got its call (parseCall), a forwarded one with an SMS
 * (getAdditionalService), a completed one (getExtraActivation,
 * checkExtraActivation), or any (getActiveActivations, getHistory). */
static void chk_format_setup(struct ck *c) {
  const char *action = ck_def(c)->action;
  char id[64], second[32] = "";
  int ok;
  if (strcmp(action, "getIncomingCallStatus") == 0)
    ok = buy_kv(c, CK_WHO_KEY1, id, sizeof id,
                (const char *[]){"activationType", "1"}, 2);
  else if (strcmp(action, "parseCall") == 0)
    ok = buy_kv(c, CK_WHO_KEY1, id, sizeof id,
                (const char *[]){"activationType", "2", "language", "en"},
                4) &&
         ck_sms(c, id, "5521");
  else if (strcmp(action, "getAdditionalService") == 0)
    ok = buy_kv(c, CK_WHO_KEY1, id, sizeof id,
                (const char *[]){"forward", "1"}, 2) &&
         ck_sms(c, id, "5522");
  else if (strcmp(action, "getActiveActivations") == 0 ||
           strcmp(action, "getHistory") == 0)
    ok = ck_buy_to_read(c, id, sizeof id); /* any activation, only read */
  else
    ok = ck_buy(c, CK_WHO_KEY1, id, sizeof id);
  if (ok && strstr(action, "ExtraActivation"))
    ok = ck_sms(c, id, "5523") && step_status(c, id, "CODE_RECEIVED", "6", 0,
                                              "setStatus 6 on the parent");
  if (ok && strcmp(action, "getAdditionalService") == 0) {
    other_service(c, second, sizeof second);
    ok = second[0] != '\0';
  }
  if (!ok)
    return;
  const char *kv[16];
  int n = ck_fill_params(c, action, id, kv, 14);
  if (n < 0) {
    ck_error(c, "no value known for a required parameter");
    return;
  }
  for (int i = 0; second[0] && i + 1 < n; i += 2)
    if (strcmp(kv[i], "service") == 0)
      kv[i + 1] = second;
  struct ck_ans a; /* a purchase is booked by the engine */
  ck_api_v(c, &a, CK_WHO_KEY1, 0, action, kv, (size_t)n);
  ck_expect(c, &a, NULL, action);
  ck_ans_free(&a);
}

/* ---- error: each token an action may answer, provoked -------------------- */

/* How a check provokes an error. */
enum provoke {
  PV_BAD_KEY,
  PV_BAD_SERVICE,
  PV_UNKNOWN_ID,
  PV_NONNUMERIC_ID,
  PV_BAD_STATUS,
  PV_NO_BALANCE,
  PV_NO_NUMBERS,
  PV_MAX_PRICE,
  PV_EARLY_CANCEL,
  PV_ORDER_REPEAT,
  PV_NO_ACTIVATIONS,
  PV_BAD_COUNTRY,
};

static const struct provoker {
  enum provoke pv;
  const char *slug;      /* the condition, in the check id */
  const char *tokens[4]; /* what may come back, the first is the usual */
  const char *param;     /* a parameter the action must take, or NULL */
  unsigned needs;
  const char *requirement; /* "... answers T when <this>" */
} provokers[] = {
    {PV_BAD_KEY,
     "wrong-key",
     {"BAD_KEY", "NO_KEY"},
     NULL,
     0,
     "the API key is wrong"},
    {PV_BAD_SERVICE,
     "unknown-service",
     {"BAD_SERVICE", "WRONG_SERVICE"},
     "service",
     0,
     "the service code is unknown"},
    {PV_UNKNOWN_ID,
     "unknown-id",
     {"NO_ACTIVATION", "WRONG_ACTIVATION_ID", "INVALID_ACTIVATION_ID"},
     "id",
     0,
     "the activation id does not exist"},
    {PV_NONNUMERIC_ID,
     "non-numeric-id",
     {"WRONG_ACTIVATION_ID", "NO_ACTIVATION", "INVALID_ACTIVATION_ID"},
     "id",
     0,
     "the activation id is not a number"},
    {PV_BAD_STATUS,
     "bad-status",
     {"BAD_STATUS"},
     "status",
     CK_SPEND,
     "the status value is not one the document lists"},
    {PV_NO_BALANCE,
     "no-balance",
     {"NO_BALANCE"},
     "country",
     CK_CONTROL | CK_ALONE | CK_SPEND,
     "the balance does not cover the price"},
    {PV_NO_NUMBERS,
     "no-numbers",
     {"NO_NUMBERS"},
     "country",
     CK_CONTROL | CK_ALONE | CK_SPEND,
     "no number is in stock"},
    {PV_MAX_PRICE,
     "max-price",
     {"WRONG_MAX_PRICE"},
     "maxPrice",
     CK_SPEND,
     "maxPrice is below the price"},
    {PV_EARLY_CANCEL,
     "early-cancel",
     {"EARLY_CANCEL_DENIED"},
     "status",
     CK_SPEND,
     "a number is cancelled right after the purchase"},
    {PV_ORDER_REPEAT,
     "order-repeat",
     {"ORDER_ALREADY_EXISTS"},
     "orderId",
     CK_SPEND,
     "an orderId is used a second time"},
    {PV_NO_ACTIVATIONS,
     "none-active",
     {"NO_ACTIVATIONS"},
     NULL,
     CK_CONTROL | CK_ALONE,
     "the account holds no activation"},
    {PV_BAD_COUNTRY,
     "unknown-country",
     {"OPERATORS_NOT_FOUND", "BAD_COUNTRY"},
     "country",
     0,
     "the country does not exist"},
};


int ck_confirm_absent(struct ck *c, const char *reader, const char *owner,
                      const char *id, const char *const *gone_tokens,
                      const char *action) {
  const char *kv[16];
  int n = ck_fill_params(c, reader, id, kv, 16);
  const char *prev = ck_step(c, owner);
  struct ck_ans a;
  ck_api_v(c, &a, CK_WHO_KEY1, 0, reader, kv, n < 0 ? 0 : (size_t)n);
  int gone = a.ok && a.res.kind == SC_KIND_ERROR;
  if (!gone && !ck_done(c) &&
      (!gone_tokens || (a.ok && (a.res.kind == SC_KIND_STATUS ||
                                 a.res.kind == SC_KIND_SUCCESS))))
    ck_skip(c,
            "the random id %s names something at the endpoint (%s answered "
            "%s): %s is not sent to it",
            id, reader, a.token[0] ? a.token : sc_kind_name(a.res.kind),
            action);
  else if (!gone)
    ck_expect(c, &a, gone_tokens, reader);
  ck_ans_free(&a);
  ck_step_end(c, prev);
  if (gone)
    ck_absent(c, id);
  return gone;
}

/* A refused purchase took no money: with |emptied| (the balance was set
 * to 0 first) the balance is still 0. Judged where the endpoint has a
 * balance to read. */
static void refused_took_nothing(struct ck *c, int emptied) {
  if (ck_done(c) || !ck_supported(c, "getBalance"))
    return;
  long long bal = ck_balance(c, CK_WHO_KEY1);
  char zero[96];
  ck_token_text(c, "ACCESS_BALANCE", "0.00", zero, sizeof zero);
  if (emptied && bal > 0)
    ck_fail(c, zero, "a positive balance",
            "a refused purchase changed the balance");
}

static void chk_error(struct ck *c) {
  const struct ck_def *d = ck_def(c);
  const struct provoker *pv = &provokers[d->iarg];
  const char *action = d->action;
  struct sc_view v;
  sc_spec_view(ck_env(c)->spec, action, ck_env(c)->profile_name, &v);
  const char *allowed[5];
  ck_allowed_tokens(&v, pv->tokens, 4, allowed);
  char what[160];
  snprintf(what, sizeof what, "%s when %s", action, pv->requirement);
  const char *kv[24];
  int n = 0;
  char id[64];
  ck_unknown_id(c, id, sizeof id); /* an id no vendor hands out */
  enum ck_who who = CK_WHO_KEY1;
  struct ck_ans a;
  switch (pv->pv) {
  case PV_BAD_KEY:
    who = CK_WHO_BADKEY;
    break;
  case PV_NONNUMERIC_ID:
    snprintf(id, sizeof id, "abc");
    break;
  case PV_UNKNOWN_ID:
    if (strcmp(action, "setStatus") == 0 &&
        !ck_confirm_absent(c, "getStatus", "error.getStatus.NO_ACTIVATION",
                           id, (const char *[]){"NO_ACTIVATION", NULL},
                           action))
      return;
    break;
  case PV_NO_BALANCE:
    if (!ck_set_balance(c, 0))
      return;
    break;
  case PV_NO_NUMBERS:
    if (ck_ctl(c, "stock",
               "{\"service\":\"%s\",\"country\":\"%s\",\"count\":0}", ck_svc(c),
               ck_ctry(c)) != 200)
      return;
    break;
  case PV_NO_ACTIVATIONS: /* the engine's reset leaves none */
    break;
  case PV_BAD_STATUS:
  case PV_EARLY_CANCEL:
    if (!ck_buy(c, CK_WHO_KEY1, id, sizeof id))
      return;
    break;
  default:
    break;
  }
  n = ck_fill_params(c, action, id, kv, 20);
  if (n < 0) {
    ck_error(c, "no value known for a required parameter");
    return;
  }
  /* the parameter the condition is about */
  for (int i = 0; i + 1 < n; i += 2) {
    if (pv->pv == PV_BAD_SERVICE && strcmp(kv[i], "service") == 0)
      kv[i + 1] = "zz-smsconform";
    if (pv->pv == PV_BAD_COUNTRY && strcmp(kv[i], "country") == 0)
      kv[i + 1] = "99999";
    if (pv->pv == PV_BAD_STATUS && strcmp(kv[i], "status") == 0)
      kv[i + 1] = "99";
    if (pv->pv == PV_EARLY_CANCEL && strcmp(kv[i], "status") == 0)
      kv[i + 1] = "8";
  }
  if (pv->pv == PV_MAX_PRICE) {
    kv[n++] = "maxPrice";
    kv[n++] = "0.01";
  }
  if (pv->pv == PV_ORDER_REPEAT) {
    /* new to the endpoint in every run (a vendor remembers orderIds:
     * the one of an earlier run would be ORDER_ALREADY_EXISTS at once);
     * drawn from the run's seed, so a replay sends it again */
    char order[48], draw[24];
    ck_unknown_id(c, draw, sizeof draw);
    snprintf(order, sizeof order, "smsconform-%s", draw);
    kv[n++] = "orderId";
    kv[n++] = order;
    /* the first purchase is a step that the action's format check owns */
    char owner[96];
    snprintf(owner, sizeof owner, "format.%s", action);
    const char *prev = ck_step(c, owner);
    ck_api_v(c, &a, CK_WHO_KEY1, 0, action, kv, (size_t)n);
    int ok = ck_expect(c, &a, NULL, "the first purchase with an orderId");
    ck_ans_free(&a);
    ck_step_end(c, prev);
    if (!ok)
      return;
    ck_api_v(c, &a, CK_WHO_KEY1, 0, action, kv, (size_t)n);
    ck_expect(c, &a, allowed, what);
    ck_ans_free(&a);
    return;
  }
  ck_api_v(c, &a, who, 0, action, kv, (size_t)n);
  ck_expect(c, &a, allowed, what);
  ck_ans_free(&a);
  if (pv->pv == PV_NO_BALANCE || pv->pv == PV_NO_NUMBERS)
    refused_took_nothing(c, pv->pv == PV_NO_BALANCE);
}

/* The unknown action: one check for the endpoint. */
static void chk_bad_action(struct ck *c) {
  if (!ck_supported_any(c)) {
    ck_unsupported(c, "the endpoint implements none of the profile's "
                      "actions: it does not speak this dialect");
    return;
  }
  struct ck_ans a;
  /* the profile's unknown-action signal (sc_profile_unknown_action): its
   * tokens, else its HTTP statuses alone */
  const char *allowed[8];
  size_t n = ck_strings_of(
      ck_jget(sc_profile_unknown_action(ck_env(c)->profile), "tokens"), allowed,
      8);
  ck_api_raw(c, &a, CK_WHO_KEY1, "getBalance", "action=smsconformNoSuchAction",
             0);
  if (n)
    ck_expect(c, &a, allowed, "an unknown action");
  else if (!a.ok || !a.unknown_action)
    ck_fail(c, "the profile's HTTP status for an unknown action",
            a.ok ? "another answer" : "no answer",
            "an unknown action: not the profile's unknown-action signal "
            "(HTTP %ld)",
            a.r.status);
  else
    ck_ok(c);
  ck_judged(c, &a);
  ck_ans_free(&a);
}

/* ---- lifecycle: setStatus in every reachable state ----------------------- */

/* Drives a fresh activation into |state|; its id in |id|. 1 on success. */
void ck_transition_id(const struct ck_env *env, const char *from,
                      const char *status, int late, char *out, size_t n) {
  const cJSON *t;
  const char *w = "";
  cJSON_ArrayForEach(
      t, ck_jget(ck_jget(env->spec->lifecycle, "activation"), "transitions")) {
    const char *f = ck_jstr(t, "from"), *st = ck_jstr(t, "status");
    const char *when = ck_jstr(t, "when");
    if (!f || !st || strcmp(f, from) != 0 || strcmp(st, status) != 0)
      continue;
    if (!when || strcmp(when, "always") == 0) {
      w = "";
      break;
    }
    if (strcmp(when, late ? "after_early_cancel" : "before_early_cancel") ==
        0)
      w = late ? ".late" : ".early";
  }
  snprintf(out, n, "lifecycle.setStatus.%s.%s%s", from, status, w);
}

int ck_row_names_profile(const struct ck_env *env, const cJSON *t) {
  const cJSON *profs = ck_jget(t, "profiles");
  const struct sc_profile *base = sc_profile_base(env->spec, env->profile);
  return sc_json_array_has_string(profs, env->profile_name) ||
         (base && sc_json_array_has_string(profs, base->name));
}

/* The success answers of the lifecycle row of setStatus |status| in state
 * |from| (after the early-cancel window when |late|) as the profile sees
 * it (a row that names the profile takes the general row's place), into
 * |out| (|cap| slots, NULL-terminated): the answers that move the
 * activation on. */
static size_t row_successes(const struct ck_env *env, const char *from,
                            const char *status, int late, const char **out,
                            size_t cap) {
  const char *window = late ? "after_early_cancel" : "before_early_cancel";
  const cJSON *t, *row = NULL, *it;
  cJSON_ArrayForEach(
      t, ck_jget(ck_jget(env->spec->lifecycle, "activation"), "transitions")) {
    const char *f = ck_jstr(t, "from"), *st = ck_jstr(t, "status");
    const char *when = ck_jstr(t, "when");
    if (!f || !st || strcmp(f, from) != 0 || strcmp(st, status) != 0 ||
        (when && strcmp(when, "always") != 0 && strcmp(when, window) != 0))
      continue;
    int named = ck_jget(t, "profiles") != NULL;
    if (named && !ck_row_names_profile(env, t))
      continue;
    if (!row || named)
      row = t;
  }
  size_t n = 0;
  cJSON_ArrayForEach(it, ck_jget(row, "answers")) {
    const struct sc_token *tk =
        cJSON_IsString(it)
            ? sc_spec_token(env->spec, it->valuestring, strlen(it->valuestring))
            : NULL;
    if (tk && tk->kind == SC_TOKKIND_SUCCESS && n + 1 < cap)
      out[n++] = it->valuestring;
  }
  out[n] = NULL;
  return n;
}

/* setStatus |status| on |id| in state |from| (after the early-cancel
 * window when |late|) answers what the lifecycle table says moves the
 * activation on (row_successes). 1 when it does. */
static int set_status_moves(struct ck *c, const char *id, const char *from,
                            const char *status, int late, const char *what) {
  const char *ok_answers[8];
  size_t n = row_successes(ck_env(c), from, status, late, ok_answers, 8);
  struct ck_ans a;
  ck_set_status(c, &a, CK_WHO_KEY1, id, status);
  int ok = ck_expect(c, &a, n ? ok_answers : NULL, what);
  ck_ans_free(&a);
  return ok;
}

/* set_status_moves as a step that the transition's own check judges. */
static int step_status(struct ck *c, const char *id, const char *from,
                       const char *status, int late, const char *what) {
  char owner[128];
  ck_transition_id(ck_env(c), from, status, late, owner, sizeof owner);
  const char *prev = ck_step(c, owner);
  int ok = set_status_moves(c, id, from, status, late, what);
  ck_step_end(c, prev);
  return ok;
}

static int reach(struct ck *c, const char *state, char *id, size_t n,
                 int *refund_due) {
  *refund_due = 1;
  if (!ck_buy(c, CK_WHO_KEY1, id, n))
    return 0;
  if (strcmp(state, "WAIT_CODE") == 0)
    return 1;
  if (strcmp(state, "READY") == 0)
    return step_status(c, id, "WAIT_CODE", "1", 0,
                       "setStatus 1 after the purchase");
  if (strcmp(state, "EXPIRED") == 0) {
    int life = ck_timing(ck_env(c), "activation_lifetime_seconds");
    *refund_due = 0; /* the expiry refunded it */
    if (!ck_advance(c, life + 1))
      return 0;
    ck_refunded(c, id);
    return 1;
  }
  if (strcmp(state, "CANCELLED") == 0) {
    int early = ck_timing(ck_env(c), "early_cancel_seconds");
    if (early > 0 && !ck_advance(c, early + 1))
      return 0;
    *refund_due = 0;
    return step_status(c, id, "WAIT_CODE", "8", 1, "setStatus 8 to cancel");
  }
  *refund_due = 0; /* a code arrives below: no refund from here on */
  if (!ck_sms(c, id, "1357"))
    return 0;
  if (strcmp(state, "CODE_RECEIVED") == 0)
    return 1;
  if (strcmp(state, "WAIT_RETRY") == 0)
    return step_status(c, id, "CODE_RECEIVED", "3", 0,
                       "setStatus 3 after a code");
  if (strcmp(state, "COMPLETED") == 0)
    return step_status(c, id, "CODE_RECEIVED", "6", 0,
                       "setStatus 6 after a code");
  ck_error(c, "no way to reach state %s", state);
  return 0;
}

const cJSON *ck_state_named(const struct ck_env *env, const char *machine,
                           const char *name) {
  const cJSON *s;
  cJSON_ArrayForEach(s, ck_jget(ck_jget(env->spec->lifecycle, machine),
                                "states")) {
    const char *n = ck_jstr(s, "name");
    if (n && strcmp(n, name) == 0)
      return s;
  }
  return NULL;
}

/* True when the profile's getStatus may answer reference token |token|
 * (or the token that plays its part) on success. */
static int status_offered(const struct ck_env *env, const char *token) {
  struct sc_view v;
  if (sc_spec_view(env->spec, "getStatus", env->profile_name, &v))
    return 0;
  const char *own = ck_token(env, token);
  const cJSON *f;
  cJSON_ArrayForEach(f, v.success) {
    const char *t = ck_jstr(f, "token");
    if (t && (strcmp(t, token) == 0 || strcmp(t, own) == 0))
      return 1;
  }
  return 0;
}

/* True when lifecycle.json's |machine| has an "sms" event from |state|:
 * the state waits for a code. */
static int waits_for_sms(const struct ck_env *env, const char *machine,
                         const char *state) {
  const cJSON *e;
  cJSON_ArrayForEach(
      e, ck_jget(ck_jget(env->spec->lifecycle, machine), "events")) {
    const char *f = ck_jstr(e, "from"), *ev = ck_jstr(e, "event");
    if (f && ev && strcmp(f, state) == 0 && strcmp(ev, "sms") == 0)
      return 1;
  }
  return 0;
}

/* What the profile's getStatus may say of activation state |state|, into
 * |gs| (|cap| slots, NULL-terminated): the state's answers the profile
 * offers. A state that waits for a code and whose answers the profile
 * lacks (003 has no retry or resend answer) is reported as the initial
 * state is: waiting. */
static size_t state_answers(const struct ck_env *env, const char *state,
                            const char **gs, size_t cap) {
  const char *all[8];
  size_t ng = 0;
  ck_strings_of(ck_jget(ck_state_named(env, "activation", state), "getStatus"),
                all, 8);
  for (size_t i = 0; all[i] && ng + 1 < cap; i++)
    if (status_offered(env, all[i]))
      gs[ng++] = all[i];
  const char *initial =
      ck_jstr(ck_jget(env->spec->lifecycle, "activation"), "initial");
  if (!ng && all[0] && initial && strcmp(initial, state) != 0 &&
      waits_for_sms(env, "activation", state))
    return state_answers(env, initial, gs, cap);
  gs[ng] = NULL;
  return ng;
}

size_t ck_strings_of(const cJSON *arr, const char **out, size_t cap) {
  size_t n = 0;
  const cJSON *it;
  cJSON_ArrayForEach(it, arr) if (cJSON_IsString(it) && n + 1 < cap) out[n++] =
      it->valuestring;
  out[n] = NULL;
  return n;
}

/* state_answers, and for an activation that was cancelled or expired
 * NO_ACTIVATION too: the endpoint may have forgotten it. */
static size_t ended_answers(const struct ck_env *env, const char *state,
                            const char **gs, size_t cap) {
  size_t k = state_answers(env, state, gs, cap - 1);
  if (k && (strcmp(state, "CANCELLED") == 0 || strcmp(state, "EXPIRED") == 0))
    gs[k++] = "NO_ACTIVATION", gs[k] = NULL;
  return k;
}

static void chk_transition(struct ck *c) {
  const cJSON *t = ck_def(c)->json;
  const char *from = ck_jstr(t, "from"), *to = ck_jstr(t, "to");
  const char *status = ck_jstr(t, "status"), *when = ck_jstr(t, "when");
  const char *money = ck_jstr(t, "money");
  /* the money is judged where the endpoint has a balance to read */
  int bal = ck_supported(c, "getBalance");
  long long start = bal ? ck_balance(c, CK_WHO_KEY1) : 0;
  char id[64];
  int refund_due = 0;
  if (start < 0 || !reach(c, from, id, sizeof id, &refund_due))
    return;
  if (when && strcmp(when, "after_early_cancel") == 0) {
    int early = ck_timing(ck_env(c), "early_cancel_seconds");
    if (early > 0 && !ck_advance(c, early + 1))
      return;
  }
  long long before = bal ? ck_balance(c, CK_WHO_KEY1) : 0;
  if (before < 0)
    return;
  const char *answers[12];
  ck_strings_of(ck_jget(t, "answers"), answers, 12);
  char what[128];
  snprintf(what, sizeof what, "setStatus %s in state %s", status, from);
  struct ck_ans a;
  ck_set_status(c, &a, CK_WHO_KEY1, id, status);
  int ok = ck_expect(c, &a, answers, what);
  int success = ok && a.res.kind == SC_KIND_SUCCESS;
  ck_ans_free(&a);
  if (!ok)
    return;
  /* getStatus afterwards: the state the table says, as this profile's
   * getStatus can say it */
  const char *gs[10];
  if (ended_answers(ck_env(c), success ? to : from, gs, 10)) {
    snprintf(what, sizeof what, "getStatus after setStatus %s in state %s",
             status, from);
    if (!ck_expect_status(c, id, gs, what))
      return;
  }
  /* money: a refund exactly when the table says */
  if (!bal) {
    ck_ok(c);
    return;
  }
  long long want = before;
  if (success && money && strcmp(money, "refund") == 0 && refund_due)
    want = start;
  snprintf(what, sizeof what, "money after setStatus %s in state %s (%s)",
           status, from, success && money ? money : "none");
  ck_expect_balance(c, want, what);
}

/* ---- lifecycle scenarios ------------------------------------------------- */

/* getStatus of |id| answers what the profile's getStatus says of
 * activation state |state| (state_answers); with |code| (not NULL) its
 * answer carries that code too. 1 when it does. */
static int expect_state(struct ck *c, const char *id, const char *state,
                        const char *code, const char *what) {
  const char *gs[10];
  if (!state_answers(ck_env(c), state, gs, 10)) {
    ck_error(c,
             "lifecycle.json gives no getStatus answer of state %s that "
             "the profile offers",
             state);
    return 0;
  }
  struct ck_ans a;
  ck_api(c, &a, CK_WHO_KEY1, "getStatus", "id", id, NULL);
  int ok = ck_expect(c, &a, gs, what);
  if (ok && code && strcmp(a.field[0], code) != 0) {
    char want[96];
    ck_token_text(c, gs[0], code, want, sizeof want);
    ck_fail(c, want, a.field[0], "%s: %s carries code '%s', not '%s'", what,
            a.token, a.field[0], code);
    ok = 0;
  }
  ck_ans_free(&a);
  return ok;
}

static void chk_happy_path(struct ck *c) {
  const char *initial =
      ck_jstr(ck_jget(ck_env(c)->spec->lifecycle, "activation"), "initial");
  char id[64];
  if (!initial || !ck_buy(c, CK_WHO_KEY1, id, sizeof id) ||
      !expect_state(c, id, initial, NULL,
                    "getStatus right after the purchase") ||
      !ck_sms(c, id, "53197") ||
      !expect_state(c, id, "CODE_RECEIVED", "53197", "getStatus after the SMS"))
    return;
  set_status_moves(c, id, "CODE_RECEIVED", "6", 0,
                   "setStatus 6 after the code");
}

static void chk_retry(struct ck *c) {
  char id[64];
  if (!ck_buy(c, CK_WHO_KEY1, id, sizeof id) || !ck_sms(c, id, "11111") ||
      !set_status_moves(c, id, "CODE_RECEIVED", "3", 0,
                        "setStatus 3 after a code") ||
      !expect_state(c, id, "WAIT_RETRY", "11111",
                    "getStatus after setStatus 3") ||
      !ck_sms(c, id, "22222"))
    return;
  expect_state(c, id, "CODE_RECEIVED", "22222",
               "getStatus after the second SMS");
}

/* The other views of an activation agree with getStatus: getStatusV2
 * carries the code once it arrived, getActiveActivations lists the
 * activation while it runs and drops it once cancelled. The id and code are
 * looked for in the answer's bytes, whatever its shape. */
static void chk_views_agree(struct ck *c) {
  const char *action = ck_def(c)->arg;
  char id[64];
  if (!ck_buy(c, CK_WHO_KEY1, id, sizeof id))
    return;
  struct ck_ans a;
  int active = strcmp(action, "getActiveActivations") == 0;
  if (active) {
    ck_api(c, &a, CK_WHO_KEY1, action, NULL);
    if (ck_expect(c, &a, NULL, "getActiveActivations after a purchase") &&
        !strstr(a.r.body, id))
      ck_fail(c, id, "not listed",
              "getActiveActivations does not list activation %s", id);
    ck_ans_free(&a);
    int early = ck_timing(ck_env(c), "early_cancel_seconds");
    if (ck_done(c) || (early > 0 && !ck_advance(c, early + 1)))
      return;
    if (!set_status_moves(c, id, "WAIT_CODE", "8", 1, "setStatus 8"))
      return;
    ck_api(c, &a, CK_WHO_KEY1, action, NULL);
    if (a.ok && a.r.status == 200 && strstr(a.r.body, id))
      ck_fail(c, "the activation gone from the list", "still listed",
              "getActiveActivations still lists cancelled activation %s", id);
    else
      ck_ok(c);
    ck_ans_free(&a);
    return;
  }
  if (!ck_sms(c, id, "60413"))
    return;
  ck_api(c, &a, CK_WHO_KEY1, action, "id", id, NULL);
  if (ck_expect(c, &a, NULL, "getStatusV2 after the SMS") &&
      !strstr(a.r.body, "60413"))
    ck_fail(c, "the code 60413", "no code",
            "getStatusV2 does not carry the code that arrived");
  ck_ans_free(&a);
}

/* The object in |j| (searched depth-first) whose activationId is |id|. */
static const cJSON *entry_of(const cJSON *j, const char *id, int depth) {
  if (!j || depth > 8)
    return NULL;
  const cJSON *aid = ck_jget(j, "activationId");
  char buf[64] = "";
  if (cJSON_IsString(aid))
    snprintf(buf, sizeof buf, "%s", aid->valuestring);
  else if (cJSON_IsNumber(aid))
    snprintf(buf, sizeof buf, "%.0f", aid->valuedouble);
  if (cJSON_IsObject(j) && buf[0] && strcmp(buf, id) == 0)
    return j;
  const cJSON *it;
  cJSON_ArrayForEach(it, j) {
    const cJSON *e = entry_of(it, id, depth + 1);
    if (e)
      return e;
  }
  return NULL;
}

/* getNumberV2's activationTime is the time of the purchase on the
 * endpoint's own clock: the same getActiveActivations shows for that
 * activation (001 documents both in one format and names no zone, so the
 * two views are compared with each other, not with this machine). */
static void chk_v2_time(struct ck *c) {
  struct ck_ans a; /* the engine books the purchase */
  /* the purchase is a step that getNumberV2's format check owns */
  const char *prev = ck_step(c, "format.getNumberV2");
  ck_api(c, &a, CK_WHO_KEY1, "getNumberV2", "service", ck_svc(c), "country",
         ck_ctry(c), NULL);
  int ok = ck_expect(c, &a, NULL, "getNumberV2");
  ck_step_end(c, prev);
  if (!ok) {
    ck_ans_free(&a);
    return;
  }
  const cJSON *aid = ck_jget(a.res.json, "activationId");
  const char *t1 = ck_jstr(a.res.json, "activationTime");
  char id[64] = "", when[64] = "";
  if (cJSON_IsNumber(aid))
    snprintf(id, sizeof id, "%.0f", aid->valuedouble);
  else if (cJSON_IsString(aid))
    snprintf(id, sizeof id, "%s", aid->valuestring);
  snprintf(when, sizeof when, "%s", t1 ? t1 : "");
  ck_ans_free(&a);
  if (!id[0] || !when[0]) {
    ck_fail(c, "activationId and activationTime", "one missing",
            "getNumberV2 gave no activationId or activationTime");
    return;
  }
  ck_api(c, &a, CK_WHO_KEY1, "getActiveActivations", NULL);
  if (ck_expect(c, &a, NULL, "getActiveActivations after getNumberV2")) {
    const char *t2 = ck_jstr(entry_of(a.res.json, id, 0), "activationTime");
    if (!t2)
      ck_fail(c, id, "not listed with an activationTime",
              "getActiveActivations does not show activation %s with its "
              "activationTime",
              id);
    else if (strcmp(t2, when) != 0)
      ck_fail(c, t2, when,
              "getNumberV2 says activation %s began at %s, "
              "getActiveActivations says %s",
              id, when, t2);
    else
      ck_ok(c);
  }
  ck_ans_free(&a);
}

/* The count of |svc| in a getNumbersStatus answer: 001 keys service_flag
 * ("tg_0"), 003 service_country ("wa_187"). -1 when absent. */
static long stock_of(const cJSON *j, const char *svc, const char *ctry) {
  char k1[96], k2[96];
  snprintf(k1, sizeof k1, "%s_%s", svc, ctry);
  snprintf(k2, sizeof k2, "%s_0", svc);
  const cJSON *v = ck_jget(j, k1);
  if (!v)
    v = ck_jget(j, k2);
  if (cJSON_IsNumber(v))
    return (long)v->valuedouble;
  if (cJSON_IsString(v) && v->valuestring[0])
    return strtol(v->valuestring, NULL, 10);
  return -1;
}

static long read_stock(struct ck *c, const char *what) {
  struct ck_ans a;
  long n = -1;
  ck_api(c, &a, CK_WHO_KEY1, "getNumbersStatus", "country", ck_ctry(c), NULL);
  if (ck_expect(c, &a, NULL, what)) {
    n = stock_of(a.res.json, ck_svc(c), ck_ctry(c));
    if (n < 0)
      ck_fail(c, ck_svc(c), "no such key",
              "%s lists no count for service %s", what, ck_svc(c));
  }
  ck_ans_free(&a);
  return n;
}

/* getNumbersStatus counts what is left: one number fewer after a
 * purchase. The stock is set through control first, so no other buyer's
 * purchase can race the check. */
static void chk_stock_decreases(struct ck *c) {
  if (ck_ctl(c, "stock", "{\"service\":\"%s\",\"country\":\"%s\",\"count\":5}",
             ck_svc(c), ck_ctry(c)) != 200)
    return;
  long n0 = read_stock(c, "getNumbersStatus before a purchase");
  char id[64];
  if (n0 < 0 || !ck_buy(c, CK_WHO_KEY1, id, sizeof id))
    return;
  long n1 = read_stock(c, "getNumbersStatus after a purchase");
  if (n1 < 0)
    return;
  if (n1 != n0 - 1) {
    char e[32], g[32];
    snprintf(e, sizeof e, "%ld", n0 - 1);
    snprintf(g, sizeof g, "%ld", n1);
    ck_fail(c, e, g,
            "getNumbersStatus counted %ld before a purchase and %ld after", n0,
            n1);
  } else {
    ck_ok(c);
  }
}

/* ---- money ----------------------------------------------------------------
 */

/* The price of a number the check works with, in cents: with control
 * |cents|, set first; without, the one getPrices lists (or --price). -1
 * when there is none (the check is SKIP) or control failed. */
static long long working_price(struct ck *c, long long cents) {
  double listed;
  if (ck_opts(c)->control) {
    char cost[32];
    ck_money_text(cents, cost, sizeof cost);
    return ck_ctl(c, "price",
                  "{\"service\":\"%s\",\"country\":\"%s\",\"cost\":%s}",
                  ck_svc(c), ck_ctry(c), cost) == 200
               ? cents
               : -1;
  }
  if (ck_listed_price(c, &listed))
    return (long long)(listed * 100.0 + 0.5);
  ck_skip(c, "no listed price of %s/%s to work with (getPrices lists none; "
             "--price gives one)",
          ck_svc(c), ck_ctry(c));
  return -1;
}

static void chk_charge_is_price(struct ck *c) {
  long long cents = working_price(c, 37);
  if (cents < 0)
    return;
  long long before = ck_balance(c, CK_WHO_KEY1);
  char id[64];
  if (before < 0 || !ck_buy(c, CK_WHO_KEY1, id, sizeof id))
    return;
  char what[96], price[32];
  ck_money_text(cents, price, sizeof price);
  snprintf(what, sizeof what, "the balance after buying at %s", price);
  ck_expect_balance(c, before - cents, what);
}

static void chk_refund_once(struct ck *c) {
  long long start = ck_balance(c, CK_WHO_KEY1);
  char id[64];
  if (start < 0 || !ck_buy(c, CK_WHO_KEY1, id, sizeof id))
    return;
  int early = ck_timing(ck_env(c), "early_cancel_seconds");
  if (early > 0 && !ck_advance(c, early + 1))
    return;
  if (!set_status_moves(c, id, "WAIT_CODE", "8", 1, "setStatus 8"))
    return;
  struct ck_ans a;
  ck_refunded(c, id);
  ck_expect_balance(c, start, "the balance after a cancel");
  ck_set_status(c, &a, CK_WHO_KEY1, id, "8");
  ck_ans_free(&a); /* any answer; what matters is the money */
  ck_expect_balance(c, start, "the balance after a second cancel");
}

/* maxPrice half the price (1.00 set through control, or the listed
 * one). */
static void chk_max_price_money(struct ck *c) {
  long long cents = working_price(c, 100);
  if (cents < 0)
    return;
  if (cents < 2) {
    ck_skip(c, "the listed price %lld.%02lld leaves no lower maxPrice",
            cents / 100, cents % 100);
    return;
  }
  char max[32];
  ck_money_text(cents / 2, max, sizeof max);
  long long before = ck_balance(c, CK_WHO_KEY1);
  if (before < 0)
    return;
  struct ck_ans a;
  ck_api(c, &a, CK_WHO_KEY1, "getNumber", "service", ck_svc(c), "country",
         ck_ctry(c), "maxPrice", max, NULL);
  ck_expect1(c, &a, "WRONG_MAX_PRICE", "getNumber with maxPrice below price");
  ck_ans_free(&a);
  ck_expect_balance(c, before, "the balance after a refused purchase");
}

static void chk_never_negative(struct ck *c) {
  if (!ck_set_balance(c, 0.3) ||
      ck_ctl(c, "price", "{\"service\":\"%s\",\"country\":\"%s\",\"cost\":0.5}",
             ck_svc(c), ck_ctry(c)) != 200)
    return;
  struct ck_ans a;
  ck_api(c, &a, CK_WHO_KEY1, "getNumber", "service", ck_svc(c), "country", ck_ctry(c),
         NULL);
  ck_expect1(c, &a, "NO_BALANCE", "getNumber with 0.30 for a 0.50 number");
  ck_ans_free(&a);
  ck_expect_balance(c, 30, "the balance after a refused purchase");
}

static void chk_expiry_refund(struct ck *c) {
  long long start = ck_balance(c, CK_WHO_KEY1);
  char id[64];
  if (start < 0 || !ck_buy(c, CK_WHO_KEY1, id, sizeof id) ||
      !ck_advance(c, ck_timing(ck_env(c), "activation_lifetime_seconds") + 1))
    return;
  const char *gone[10];
  if (ended_answers(ck_env(c), "EXPIRED", gone, 10))
    ck_expect_status(c, id, gone, "getStatus after the lifetime ran out");
  ck_refunded(c, id);
  ck_expect_balance(c, start, "the balance after expiry without a code");
}

/* ---- isolation ------------------------------------------------------------
 */

static void chk_isolation(struct ck *c) {
  char id[64];
  const char *status = ck_def(c)->arg;
  /* getStatus only reads the first account's activation; a setStatus
   * that wrongly goes through must not change one other checks read */
  if (!(status[0] ? ck_buy(c, CK_WHO_KEY1, id, sizeof id)
                  : ck_buy_to_read(c, id, sizeof id)))
    return;
  struct ck_ans a;
  char what[160];
  const char *deny[] = {"NO_ACTIVATION", "WRONG_ACTIVATION_ID", "BAD_STATUS",
                        NULL};
  if (!status[0]) {
    snprintf(what, sizeof what, "getStatus of another account's activation");
    ck_api(c, &a, CK_WHO_KEY2, "getStatus", "id", id, NULL);
  } else {
    snprintf(what, sizeof what, "setStatus %s on another account's activation",
             status);
    ck_set_status(c, &a, CK_WHO_KEY2, id, status);
  }
  ck_expect(c, &a, deny, what);
  ck_ans_free(&a);
  const char *initial =
      ck_jstr(ck_jget(ck_env(c)->spec->lifecycle, "activation"), "initial");
  if (initial)
    expect_state(c, id, initial, NULL, "the owner's getStatus afterwards");
}

/* ---- transport ------------------------------------------------------------
 */

/* True when the profile's override of |action| names its "method": the
 * dialect documents that method alone for it. */
static int method_fixed(const struct ck_env *env, const char *action) {
  return ck_jstr(ck_jget(ck_jget(env->profile->json, "overrides"), action),
                 "method") != NULL;
}

/* The request the transport checks send: getBalance, or on an endpoint
 * without it getStatus of an id that does not exist; |allowed| the
 * answers that show the request was understood. With |any_method| only
 * an action whose method the profile leaves open (method_fixed) carries
 * it. The name, value pairs into |kv| (2 slots); returns their count. */
static size_t vehicle(struct ck *c, int any_method, const char **action,
                      char *id, size_t n, const char **kv,
                      const char **allowed) {
  static const char *const unknown[] = {
      "NO_ACTIVATION", "WRONG_ACTIVATION_ID", "INVALID_ACTIVATION_ID", NULL};
  const struct ck_env *env = ck_env(c);
  *action = NULL;
  if (!ck_supported(c, "getBalance") && !ck_supported(c, "getStatus")) {
    ck_unsupported(c, "the endpoint implements neither getBalance nor "
                      "getStatus to carry this check");
    return 0;
  }
  int bal = !(any_method && method_fixed(env, "getBalance"));
  int st = !(any_method && method_fixed(env, "getStatus")) &&
           sc_profile_has_action(env->profile, "getStatus") &&
           ck_supported(c, "getStatus");
  if (!bal && !st) {
    ck_skip(c,
            "the profile fixes the method of getBalance%s: no action "
            "is left to carry this check",
            sc_profile_has_action(env->profile, "getStatus") ? " and getStatus"
                                                             : "");
    return 0;
  }
  if (bal && (ck_supported(c, "getBalance") ||
              !sc_profile_has_action(env->profile, "getStatus"))) {
    *action = "getBalance";
    allowed[0] = "ACCESS_BALANCE";
    allowed[1] = NULL;
    return 0;
  }
  *action = "getStatus";
  struct sc_view v;
  allowed[0] = NULL;
  if (!sc_spec_view(ck_env(c)->spec, "getStatus", ck_env(c)->profile_name,
                    &v))
    ck_allowed_tokens(&v, unknown, 3, allowed);
  ck_unknown_id(c, id, n);
  kv[0] = "id";
  kv[1] = id;
  return 2;
}

static void chk_post(struct ck *c) {
  const char *action, *kv[2], *allowed[5];
  char id[24], what[96];
  size_t n = vehicle(c, 1, &action, id, sizeof id, kv, allowed);
  if (!action)
    return;
  snprintf(what, sizeof what, "%s sent as a POST form", action);
  struct ck_ans a;
  ck_api_v(c, &a, CK_WHO_KEY1, 1, action, kv, n);
  ck_expect(c, &a, allowed, what);
  ck_ans_free(&a);
}

static void chk_content_type(struct ck *c) {
  const char *action, *kv[2], *allowed[5];
  char id[24];
  size_t n = vehicle(c, 0, &action, id, sizeof id, kv, allowed);
  if (!action)
    return;
  struct ck_ans a;
  ck_api_v(c, &a, CK_WHO_KEY1, 0, action, kv, n);
  /* an error comes with the status the profile declares for it
   * ("errors"."http_status"), anything else with 200 */
  int want = a.res.kind == SC_KIND_ERROR
                 ? sc_profile_error_status(ck_env(c)->profile, a.token)
                 : 0;
  if (!want)
    want = 200;
  if (ck_expect(c, &a, allowed, action)) {
    if (strncmp(a.r.ctype, "text/html", 9) == 0)
      ck_fail(c, "text/plain", a.r.ctype, "a plain-text token is labelled %s",
              a.r.ctype);
    else if (a.r.status != want) {
      char e[32];
      snprintf(e, sizeof e, "HTTP %d", want);
      ck_fail(c, e, "another status", "%s answered HTTP %ld", action,
              a.r.status);
    }
  }
  ck_ans_free(&a);
}

/* ---- building the plan ----------------------------------------------------
 */

void ck_add(struct ck_builder *b, struct ck_def *d) {
  for (size_t i = 0; i < b->p->n; i++)
    if (strcmp(b->p->defs[i].id, d->id) == 0)
      return; /* one check per id */
  if (ck_plan_add(b->p, d))
    b->err = 1;
}

static const char *const plain_actions_skip[] = {
    /* planned in sc_checks_rent.c (mail, partner, wallet, webhooks) */
    "getDomains",        "getMailHistory",
    "buyPartnerProduct", "getActualWalletAddress",
    "webhook",           NULL};

int ck_listed(const char *const *list, const char *s) {
  for (size_t i = 0; list[i]; i++)
    if (strcmp(list[i], s) == 0)
      return 1;
  return 0;
}

/* Format checks whose activation needs a particular setup. */
static const char *const setup_actions[] = {
    "getActiveActivations", "getHistory",           "getIncomingCallStatus",
    "parseCall",            "getAdditionalService", "getExtraActivation",
    "checkExtraActivation", NULL};

static void plan_format(struct ck_builder *b, const char *action,
                        const struct sc_view *v) {
  struct ck_def d = {.cat = SC_CAT_FORMAT, .needs = CK_SMOKE};
  snprintf(d.id, sizeof d.id, "format.%s", action);
  snprintf(d.action, sizeof d.action, "%s", action);
  snprintf(d.tags, sizeof d.tags, "format %s", action);
  ck_cite(b->env, ck_jget(v->action->json, "sources"), &d);
  snprintf(d.requirement, sizeof d.requirement,
           "%s answers a success in the form the document gives", action);
  int spends = cJSON_IsTrue(ck_jget(v->action->json, "spends"));
  if (ck_listed(plain_actions_skip, action) || !ck_in_family(v, "activation"))
    return;
  if (spends && !ck_listed(setup_actions, action)) {
    if (strcmp(action, "getNumber") != 0 &&
        strcmp(action, "getNumberV2") != 0 &&
        strcmp(action, "getMultiServiceNumber") != 0)
      return;
    d.fn = chk_format_buy;
    d.needs |= CK_SPEND;
    /* the smoke tier buys one number for the format, one for the
     * lifecycle: the other purchases' forms are the full tier's */
    if (strcmp(action, "getNumber") != 0)
      d.needs &= ~CK_SMOKE;
  } else if (ck_param_typed(v, "id") && !ck_listed(setup_actions, action)) {
    if (strcmp(action, "getStatus") != 0 && strcmp(action, "getStatusV2") &&
        strcmp(action, "setStatus") != 0 && strcmp(action, "getFullSms"))
      return;
    if (strcmp(action, "getFullSms") == 0) {
      if (!ck_jget(v->action->json, "success") ||
          !cJSON_GetArraySize(ck_jget(v->action->json, "success")))
        return; /* no document shows the answer */
      d.iarg = 1;
      d.needs |= CK_CONTROL;
    }
    d.fn = chk_format_activation;
    d.needs = (d.needs | CK_SPEND) & ~CK_SMOKE;
  } else if (ck_listed(setup_actions, action)) {
    d.fn = chk_format_setup;
    d.needs = CK_SPEND;
    if (strcmp(action, "parseCall") == 0 ||
        strcmp(action, "getAdditionalService") == 0 ||
        strstr(action, "ExtraActivation"))
      d.needs |= CK_CONTROL;
  } else {
    d.fn = chk_format_plain;
  }
  ck_add(b, &d);
}

/* The errors the smoke tier asks for: a wrong key on each action the
 * profile requires (getBalance where it requires none), an unknown
 * service on getNumber and an unknown id on getStatus: the key errors of
 * a client's first calls, in a few requests and no purchase. */
static int smoke_error(const struct ck_env *env, const char *action,
                       enum provoke pv) {
  const cJSON *req = ck_jget(ck_jget(env->profile->json, "required_actions"),
                             "actions");
  switch (pv) {
  case PV_BAD_KEY:
    return cJSON_GetArraySize(req)
               ? sc_profile_action_required(env->profile, action)
               : strcmp(action, "getBalance") == 0;
  case PV_BAD_SERVICE:
    return strcmp(action, "getNumber") == 0;
  case PV_UNKNOWN_ID:
    return strcmp(action, "getStatus") == 0;
  default:
    return 0;
  }
}

static void plan_errors(struct ck_builder *b, const char *action,
                        const struct sc_view *v) {
  if (!ck_in_family(v, "activation") || ck_listed(plain_actions_skip, action))
    return;
  int spends = cJSON_IsTrue(ck_jget(v->action->json, "spends"));
  for (size_t i = 0; i < sizeof provokers / sizeof *provokers; i++) {
    const struct provoker *pv = &provokers[i];
    const char *allowed[5];
    if (!ck_allowed_tokens(v, pv->tokens, 4, allowed))
      continue;
    if (pv->param && !ck_param_named(v, pv->param) &&
        !(strcmp(pv->param, "id") == 0 && ck_param_typed(v, "id")))
      continue;
    /* the id conditions are about activations the action looks up */
    if ((pv->pv == PV_UNKNOWN_ID || pv->pv == PV_NONNUMERIC_ID) &&
        !ck_param_named(v, "id"))
      continue;
    if ((pv->pv == PV_NO_BALANCE || pv->pv == PV_NO_NUMBERS ||
         pv->pv == PV_MAX_PRICE) &&
        (!spends || strcmp(action, "getMultiServiceNumber") == 0))
      continue;
    if ((pv->pv == PV_BAD_STATUS || pv->pv == PV_EARLY_CANCEL) &&
        strcmp(action, "setStatus") != 0)
      continue;
    if (pv->pv == PV_EARLY_CANCEL &&
        ck_timing(b->env, "early_cancel_seconds") <= 0)
      continue;
    if (pv->pv == PV_NO_ACTIVATIONS &&
        strcmp(action, "getActiveActivations") != 0)
      continue;
    if (pv->pv == PV_BAD_COUNTRY && strcmp(action, "getOperators") != 0)
      continue;
    struct ck_def d = {.cat = SC_CAT_ERROR, .fn = chk_error, .iarg = (int)i};
    d.needs = pv->needs;
    if (smoke_error(b->env, action, pv->pv))
      d.needs |= CK_SMOKE;
    if (spends && pv->pv != PV_BAD_KEY)
      d.needs |= CK_SPEND; /* a wrong answer may buy (with a
                                          wrong key there is no account to
                                          charge) */
    /* the id names the reference token; the requirement and its source
     * the token that plays its part in the profile */
    const char *own = ck_token(b->env, allowed[0]);
    snprintf(d.id, sizeof d.id, "error.%s.%s", action, allowed[0]);
    snprintf(d.action, sizeof d.action, "%s", action);
    snprintf(d.tags, sizeof d.tags, "error %s %s", action, pv->slug);
    snprintf(d.requirement, sizeof d.requirement, "%s answers %s when %s",
             action, own, pv->requirement);
    const struct sc_token *t = sc_spec_token(b->env->spec, own, strlen(own));
    ck_cite(b->env, t ? ck_jget(t->json, "sources") : NULL, &d);
    ck_add(b, &d);
  }
}

void ck_mark_borrowed(const struct ck_env *env, const char *timing,
                      struct ck_def *d) {
  const cJSON *bw = sc_profile_borrowed(env->profile, timing);
  if (!bw || d->borrowed[0])
    return;
  const char *from = ck_jstr(bw, "from");
  const cJSON *src = NULL, *it;
  cJSON_ArrayForEach(it, ck_jget(bw, "sources")) {
    const char *doc = ck_jstr(it, "doc");
    if (!src && doc && from && strcmp(doc, from) == 0)
      src = it;
  }
  snprintf(d->borrowed, sizeof d->borrowed, "%s %d s is borrowed from %s (%s)",
           timing, ck_timing(env, timing), from ? from : "another document",
           src && ck_jstr(src, "section") ? ck_jstr(src, "section") : "");
}

/* What a lifecycle check of state |from| needs beyond a purchase: an SMS
 * (control) for the states after a code; time for the ones after the
 * early-cancel window or the lifetime (the control clock, or a real
 * wait). */
static void state_needs(const struct ck_env *env, const char *from,
                        const char *when, struct ck_def *d) {
  int early = ck_timing(env, "early_cancel_seconds");
  int life = ck_timing(env, "activation_lifetime_seconds");
  if (strcmp(from, "CODE_RECEIVED") == 0 || strcmp(from, "WAIT_RETRY") == 0 ||
      strcmp(from, "COMPLETED") == 0)
    d->needs |= CK_CONTROL;
  int wait = 0;
  if ((strcmp(from, "CANCELLED") == 0 ||
       (when && strcmp(when, "after_early_cancel") == 0)) &&
      early > 0)
    wait = early + 1;
  if (strcmp(from, "EXPIRED") == 0) {
    wait = life + 1;
    ck_mark_borrowed(env, "activation_lifetime_seconds", d);
  }
  if (early > 0 && (strcmp(from, "CANCELLED") == 0 ||
                    (when && strcmp(when, "always") != 0)))
    ck_mark_borrowed(env, "early_cancel_seconds", d);
  if (wait) {
    d->needs |= CK_WAIT;
    d->wait = wait;
  }
}

/* True when a row of the lifecycle table for the same state, value and
 * window names the profile: it takes the place of the general row |t|. */
static int overridden(const struct ck_env *env, const cJSON *t) {
  const cJSON *o;
  const char *from = ck_jstr(t, "from"), *status = ck_jstr(t, "status");
  const char *when = ck_jstr(t, "when");
  cJSON_ArrayForEach(
      o, ck_jget(ck_jget(env->spec->lifecycle, "activation"), "transitions")) {
    const char *ow = ck_jstr(o, "when");
    if (o != t && ck_jstr(o, "from") && ck_jstr(o, "status") &&
        !strcmp(ck_jstr(o, "from"), from) &&
        !strcmp(ck_jstr(o, "status"), status) &&
        !strcmp(ow ? ow : "", when ? when : "") && ck_row_names_profile(env, o))
      return 1;
  }
  return 0;
}

/* lifecycle.setStatus.FROM.S: every row of the lifecycle table the profile
 * offers, in the states a run can reach. */
static void plan_transitions(struct ck_builder *b, const cJSON *values) {
  const struct ck_env *env = b->env;
  int early = ck_timing(env, "early_cancel_seconds");
  static const char *const reachable[] = {
      "WAIT_CODE", "READY",     "CODE_RECEIVED", "WAIT_RETRY",
      "COMPLETED", "CANCELLED", "EXPIRED",       NULL};
  const cJSON *t;
  cJSON_ArrayForEach(
      t, ck_jget(ck_jget(env->spec->lifecycle, "activation"), "transitions")) {
    const char *from = ck_jstr(t, "from"), *status = ck_jstr(t, "status");
    const char *when = ck_jstr(t, "when");
    if (!from || !status || !ck_listed(reachable, from))
      continue;
    if (values && !sc_json_array_has_string(values, status))
      continue; /* the profile does not offer this value */
    const cJSON *profs = ck_jget(t, "profiles");
    if (profs && !ck_row_names_profile(env, t))
      continue;
    if (!profs && overridden(env, t))
      continue;
    if (when && strcmp(when, "before_early_cancel") == 0 && early <= 0)
      continue;
    struct ck_def d = {.cat = SC_CAT_LIFECYCLE,
                       .fn = chk_transition,
                       .json = t,
                       .needs = CK_SPEND};
    state_needs(env, from, when, &d);
    const char *w = !when || strcmp(when, "always") == 0       ? ""
                    : strcmp(when, "before_early_cancel") == 0 ? ".early"
                                                               : ".late";
    snprintf(d.id, sizeof d.id, "lifecycle.setStatus.%s.%s%s", from, status, w);
    snprintf(d.action, sizeof d.action, "setStatus");
    snprintf(d.tags, sizeof d.tags, "lifecycle setStatus %s", from);
    snprintf(d.requirement, sizeof d.requirement,
             "setStatus %s in state %s%s answers as the lifecycle table "
             "says, then getStatus (and the balance, where the endpoint has "
             "getBalance) agree",
             status, from,
             *w == '.' ? (w[1] == 'e' ? " inside the early-cancel window"
                                      : " after the early-cancel window")
                       : "");
    ck_cite(env, ck_jget(t, "sources"), &d);
    ck_add(b, &d);
  }
}

/* The scenarios of an activation and its money. */
static void plan_scenarios(struct ck_builder *b, const struct sc_view *v,
                           const cJSON *values) {
  const struct ck_env *env = b->env;
  struct {
    const char *id;
    enum sc_cat cat;
    ck_fn fn;
    const char *req;
    const char *token;
    const char *state; /* what it needs, as state_needs reads it */
    const char *when;
  } const fixed[] = {
      {"lifecycle.activation.happy-path", SC_CAT_LIFECYCLE, chk_happy_path,
       "buy, wait, receive the code with getStatus, complete with 6",
       "STATUS_OK", "CODE_RECEIVED", NULL},
      {"lifecycle.activation.retry", SC_CAT_LIFECYCLE, chk_retry,
       "after status 3 getStatus says STATUS_WAIT_RETRY with the last code, "
       "and the next SMS gives STATUS_OK with the new one",
       "STATUS_WAIT_RETRY", "CODE_RECEIVED", NULL},
      {"money.charge-equals-price", SC_CAT_MONEY, chk_charge_is_price,
       "a purchase takes exactly the listed price from the balance",
       "ACCESS_NUMBER", "WAIT_CODE", NULL},
      {"money.refund-once", SC_CAT_MONEY, chk_refund_once,
       "a cancel returns the price once, a second cancel nothing",
       "ACCESS_CANCEL", "CANCELLED", NULL},
      {"money.max-price-respected", SC_CAT_MONEY, chk_max_price_money,
       "a maxPrice below the price buys nothing and takes nothing",
       "WRONG_MAX_PRICE", "WAIT_CODE", NULL},
      {"money.balance-never-negative", SC_CAT_MONEY, chk_never_negative,
       "a purchase the balance does not cover is refused and the balance "
       "stays",
       "NO_BALANCE", "WAIT_CODE", NULL},
      {"money.expiry-refund", SC_CAT_MONEY, chk_expiry_refund,
       "an activation that ends without a code gives the money back",
       "STATUS_CANCEL", "EXPIRED", NULL},
  };
  for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++) {
    struct ck_def d = {.cat = fixed[i].cat,
                       .fn = fixed[i].fn,
                       .needs = CK_SPEND};
    state_needs(env, fixed[i].state, fixed[i].when, &d);
    if (fixed[i].fn == chk_never_negative) /* the balance is set */
      d.needs |= CK_CONTROL | CK_ALONE;
    /* with control the price is set first */
    if (fixed[i].fn == chk_charge_is_price || fixed[i].fn == chk_max_price_money)
      d.needs |= CK_ALONE;
    if (fixed[i].fn == chk_happy_path) /* the core lifecycle */
      d.needs |= CK_SMOKE;
    snprintf(d.id, sizeof d.id, "%s", fixed[i].id);
    snprintf(d.action, sizeof d.action, "getNumber");
    snprintf(d.tags, sizeof d.tags, "%s", sc_cat_name(fixed[i].cat));
    snprintf(d.requirement, sizeof d.requirement, "%s", fixed[i].req);
    const char *own = ck_token(env, fixed[i].token);
    const struct sc_token *tok = sc_spec_token(env->spec, own, strlen(own));
    ck_cite(env, tok ? ck_jget(tok->json, "sources") : NULL, &d);
    if (strstr(fixed[i].id, "max-price") &&
        !sc_view_allows_error(v, "WRONG_MAX_PRICE")) {
      struct sc_view gn;
      if (sc_spec_view(env->spec, "getNumber", env->profile_name, &gn) ||
          !sc_view_allows_error(&gn, "WRONG_MAX_PRICE") ||
          !ck_param_named(&gn, "maxPrice"))
        continue;
    }
    if (strstr(fixed[i].id, "retry") &&
        (!(values && sc_json_array_has_string(values, "3")) ||
         !status_offered(env, "STATUS_WAIT_RETRY")))
      continue;
    ck_add(b, &d);
  }
}

/* The other views of an activation and of a purchase agree with
 * getStatus. */
static void plan_views(struct ck_builder *b) {
  const struct ck_env *env = b->env;
  /* the other views of an activation */
  static const char *const views[] = {"getStatusV2", "getActiveActivations"};
  for (size_t i = 0; i < sizeof views / sizeof *views; i++) {
    struct sc_view vv;
    if (!sc_profile_has_action(env->profile, views[i]) ||
        sc_spec_view(env->spec, views[i], env->profile_name, &vv))
      continue;
    struct ck_def d = {.cat = SC_CAT_LIFECYCLE,
                       .fn = chk_views_agree,
                       .needs = CK_SPEND};
    /* getStatusV2 after an SMS; getActiveActivations before and after a
     * cancel */
    state_needs(env, i == 0 ? "CODE_RECEIVED" : "CANCELLED", NULL, &d);
    snprintf(d.arg, sizeof d.arg, "%s", views[i]);
    snprintf(d.id, sizeof d.id, "lifecycle.%s.agrees", views[i]);
    snprintf(d.action, sizeof d.action, "%s", views[i]);
    snprintf(d.tags, sizeof d.tags, "lifecycle consistency %s", views[i]);
    snprintf(d.requirement, sizeof d.requirement,
             "%s reflects the same activation state as getStatus", views[i]);
    ck_cite(env, ck_jget(vv.action->json, "sources"), &d);
    ck_add(b, &d);
  }
  /* the other views of a purchase: V2's time, the stock count */
  struct {
    const char *id, *action, *needs_action, *req;
    ck_fn fn;
  } const views2[] = {
      {"lifecycle.getNumberV2.time-agrees", "getNumberV2",
       "getActiveActivations",
       "getNumberV2's activationTime is the time getActiveActivations shows "
       "for the same activation",
       chk_v2_time},
      {"lifecycle.getNumbersStatus.stock-decreases", "getNumbersStatus",
       "getNumber",
       "getNumbersStatus counts one number fewer after a purchase",
       chk_stock_decreases},
  };
  for (size_t i = 0; i < sizeof views2 / sizeof *views2; i++) {
    struct sc_view vv;
    if (!sc_profile_has_action(env->profile, views2[i].action) ||
        !sc_profile_has_action(env->profile, views2[i].needs_action) ||
        sc_spec_view(env->spec, views2[i].action, env->profile_name, &vv))
      continue;
    struct ck_def d = {.cat = SC_CAT_LIFECYCLE,
                       .fn = views2[i].fn,
                       .needs = CK_SPEND};
    /* the stock is set first, so that no other buyer races the count */
    if (views2[i].fn == chk_stock_decreases)
      d.needs |= CK_CONTROL | CK_ALONE;
    snprintf(d.id, sizeof d.id, "%s", views2[i].id);
    snprintf(d.action, sizeof d.action, "%s", views2[i].action);
    snprintf(d.tags, sizeof d.tags, "lifecycle consistency %s",
             views2[i].action);
    snprintf(d.requirement, sizeof d.requirement, "%s", views2[i].req);
    ck_cite(env, ck_jget(vv.action->json, "sources"), &d);
    ck_add(b, &d);
  }
}

/* The second account against the first one's activation. */
static void plan_isolation(struct ck_builder *b) {
  const struct ck_env *env = b->env;
  /* isolation: the second account against the first one's activation */
  static const char *const iso[] = {"", "8", "6", "3"};
  for (size_t i = 0; i < sizeof iso / sizeof *iso; i++) {
    struct ck_def d = {.cat = SC_CAT_ISOLATION,
                       .fn = chk_isolation,
                       .needs = CK_KEY2 | CK_SPEND};
    snprintf(d.arg, sizeof d.arg, "%s", iso[i]);
    if (iso[i][0])
      snprintf(d.id, sizeof d.id, "isolation.setStatus.%s", iso[i]);
    else
      snprintf(d.id, sizeof d.id, "isolation.getStatus");
    snprintf(d.action, sizeof d.action, "%s",
             iso[i][0] ? "setStatus" : "getStatus");
    snprintf(d.tags, sizeof d.tags, "isolation");
    snprintf(d.requirement, sizeof d.requirement,
             "a second account can neither see nor change the first "
             "account's activation (%s)",
             iso[i][0] ? "setStatus" : "getStatus");
    const char *own = ck_token(env, "NO_ACTIVATION");
    const struct sc_token *tk = sc_spec_token(env->spec, own, strlen(own));
    ck_cite(env, tk ? ck_jget(tk->json, "sources") : NULL, &d);
    ck_add(b, &d);
  }
}

static void plan_lifecycle(struct ck_builder *b) {
  const struct ck_env *env = b->env;
  if (!sc_profile_has_action(env->profile, "setStatus") ||
      !sc_profile_has_action(env->profile, "getStatus"))
    return;
  struct sc_view v;
  if (sc_spec_view(env->spec, "setStatus", env->profile_name, &v))
    return;
  const cJSON *values = ck_jget(ck_param_named(&v, "status"), "values");
  plan_transitions(b, values);
  plan_scenarios(b, &v, values);
  plan_views(b);
  plan_isolation(b);
}

/* "an unknown action answers T" for the profile's unknown-action signal
 * (sc_profile_unknown_action): its first token, else its HTTP statuses. */
static void unknown_action_requirement(const struct ck_env *env, char *out,
                                       size_t n) {
  const cJSON *sig = sc_profile_unknown_action(env->profile), *it;
  const char *tok[4];
  if (ck_strings_of(ck_jget(sig, "tokens"), tok, 4)) {
    snprintf(out, n, "an unknown action answers %s", tok[0]);
    return;
  }
  size_t o = (size_t)snprintf(out, n, "an unknown action answers HTTP");
  const char *sep = " ";
  cJSON_ArrayForEach(it, ck_jget(sig, "http_status")) {
    if (cJSON_IsNumber(it) && o < n)
      o += (size_t)snprintf(out + o, n - o, "%s%d", sep, (int)it->valuedouble);
    sep = " or ";
  }
}

static void plan_transport(struct ck_builder *b) {
  if (!sc_profile_has_action(b->env->profile, "getBalance"))
    return;
  struct sc_view v;
  if (sc_spec_view(b->env->spec, "getBalance", b->env->profile_name, &v))
    return;
  /* about the endpoint, not one action: getBalance carries them where the
   * endpoint has it (vehicle) */
  struct ck_def d = {
      .cat = SC_CAT_TRANSPORT, .fn = chk_post, .needs = CK_SMOKE};
  snprintf(d.id, sizeof d.id, "transport.post-form");
  snprintf(d.tags, sizeof d.tags, "transport");
  snprintf(d.requirement, sizeof d.requirement,
           "parameters are accepted in a POST form as well as in the query");
  ck_cite(b->env, ck_jget(b->env->profile->json, "sources"), &d);
  ck_add(b, &d);
  d.fn = chk_content_type;
  snprintf(d.id, sizeof d.id, "transport.text-answer");
  snprintf(d.requirement, sizeof d.requirement,
           "a plain-text answer comes with HTTP 200 and a text/plain type");
  ck_add(b, &d);
  d.fn = chk_bad_action;
  d.cat = SC_CAT_ERROR;
  snprintf(d.id, sizeof d.id, "error.handler.BAD_ACTION");
  snprintf(d.tags, sizeof d.tags, "error unknown-action");
  unknown_action_requirement(b->env, d.requirement, sizeof d.requirement);
  const char *own = ck_token(b->env, "BAD_ACTION");
  const struct sc_token *t = sc_spec_token(b->env->spec, own, strlen(own));
  ck_cite(b->env, t ? ck_jget(t->json, "sources") : NULL, &d);
  ck_add(b, &d);
}

int ck_build_plan(struct ck_plan *p, const struct ck_env *env) {
  struct ck_builder b = {p, env, 0};
  if (env->rest) {
    ck_plan_rest(&b);
    return b.err ? -1 : 0;
  }
  const cJSON *a;
  cJSON_ArrayForEach(a, ck_jget(env->profile->json, "actions")) {
    if (!cJSON_IsString(a))
      continue;
    struct sc_view v;
    if (sc_spec_view(env->spec, a->valuestring, env->profile_name, &v))
      continue;
    plan_format(&b, a->valuestring, &v);
    plan_errors(&b, a->valuestring, &v);
  }
  plan_lifecycle(&b);
  plan_transport(&b);
  ck_plan_rent(&b);
  ck_plan_robust(&b);
  return b.err ? -1 : 0;
}

static const struct sc_catalogue catalogue = {
    .build_plan = ck_build_plan,
    .rent_hours = ck_rent_hours,
    .fill_params = ck_fill_params,
    .provision = ck_provision,
};

const struct sc_catalogue *sc_checks_catalogue(void) {
  return &catalogue;
}
