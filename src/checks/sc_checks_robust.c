/* sc_checks_robust.c — robustness: bad inputs per parameter type.
 *
 * For every action the profile offers and every parameter of it, one check
 * (robust.<action>.<param>) sends the inputs that careless endpoints choke
 * on, derived from the parameter's type in the spec: quotes and SQL
 * metacharacters, multi-byte UTF-8 with a right-to-left mark, a NUL and
 * other control bytes, a few KB of it, a value of another type, a negative
 * number, an empty value, no value (when required) and the parameter given
 * twice. The key has one check of its own on an action that takes nothing
 * else (robust.<action>.api_key): the wrong-key error checks cover a plain
 * wrong key, this one a key with the same hostile bytes.
 *
 * Every answer must be one the documents allow: an error token of the
 * action or of the profile (one the spec knows but does not list for the
 * action is a WARN, as the parser grades it), or a success where the bad
 * value may be ignored (an optional parameter, or a valid value sent
 * beside it). Never a 5xx, an HTML page, an empty body, a stack trace or
 * database error text, or the API key echoed back: those FAIL, naming the
 * input that provoked them.
 *
 * An action about an activation (or a rent) gets a real one first, so that
 * a bad value of its other parameters reaches their validation; a purchase
 * that a bad optional value did not prevent is booked in the ledger (by the
 * engine, as every sale is) so that clean-up gives it back. */
#include "sc_checks_int.h"

#include "sc_buf.h"
#include "sc_escape.h"
#include "sc_http.h"
#include "sc_spec.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define RB_ID "robustness" /* check ids: RB_ID.<action>.<param> */
#define RB_LONG 4096   /* bytes of the overlong value */

/* What a check needs before it can send bad values (ck_def.iarg). */
#define RB_ACTIVATION 0x1 /* an activation of its own (an id parameter) */
#define RB_RENT 0x2       /* a rent of its own */
#define RB_SPENDS 0x4     /* a success takes money: book it */

/* ---- the bad inputs ------------------------------------------------------ */

/* In the order they are sent: the most telling first, so that a failure
 * names the input that matters. */
enum rb_kind {
  RB_SQL,      /* quotes and SQL metacharacters */
  RB_UNICODE,  /* multi-byte UTF-8, Arabic-Indic digits, a right-to-left mark */
  RB_CONTROL,  /* a NUL, CR LF and an ANSI escape, percent-encoded */
  RB_OVERLONG, /* a few KB */
  RB_WRONG,    /* a value of another type (an array for text) */
  RB_NEGATIVE, /* numeric types only */
  RB_EMPTY,
  RB_MISSING,  /* required parameters only */
  RB_REPEATED, /* the parameter twice, with two different values */
  RB__COUNT
};

static const char sql_value[] = "' OR 1=1; -- \"";
static const char unicode_value[] =
    "\xd9\xa1\xd9\xa2\xd9\xa3\xe2\x80\x8f\xd1\x82\xd0\xb5\xd1\x81\xd1\x82";
static const char control_value[] = "x\0\r\n\x1b[0m";
#define CONTROL_LEN (sizeof control_value - 1)

/* How a parameter type is written. */
static const struct ptype {
  const char *type;
  int numeric;       /* digits: overlong in digits, a negative, letters */
  const char *good;  /* a well-formed value; NULL: from the run or none */
  const char *wrong; /* a value of another type; NULL: the array form */
} ptypes[] = {
    {"id", 1, NULL, "abc"},
    {"int", 1, "1", "abc"},
    {"decimal", 1, "1", "abc"},
    {"timestamp", 1, "1700000000", "abc"},
    {"country", 1, NULL, "abc"},
    {"bool", 1, "true", "abc"},
    {"service", 0, NULL, "12345"},
    {"operator", 0, "any", "12345"},
    {"lang", 0, "en", "12345"},
    {"url", 0, "https://example.invalid/smsconform", "12345"},
    {"list", 0, "1", NULL},
    {"text", 0, "smsconform", NULL},
};

static const struct ptype *ptype_of(const char *type) {
  for (size_t i = 0; i < sizeof ptypes / sizeof *ptypes; i++)
    if (type && strcmp(ptypes[i].type, type) == 0)
      return &ptypes[i];
  return &ptypes[sizeof ptypes / sizeof *ptypes - 1]; /* as text */
}

/* One parameter under test. */
struct rb_param {
  const char *name;
  const char *type;
  int required;
  int numeric;
  const cJSON *values; /* enum: the listed values */
  const char *wrong;   /* NULL: the array form */
  const char *good;    /* a valid value, or NULL when none is known */
};

/* True when every listed value is a (signed) whole number. */
static int numeric_enum(const cJSON *values) {
  const cJSON *it;
  int any = 0;
  cJSON_ArrayForEach(it, values) {
    const char *s = cJSON_IsString(it) ? it->valuestring : "";
    if (*s == '-')
      s++;
    if (!*s || strspn(s, "0123456789") != strlen(s))
      return 0;
    any = 1;
  }
  return any;
}

/* Appends |n| bytes of |p| form-encoded. */
static void form_escape(struct sc_buf *b, const char *p, size_t n) {
  sc_escape_query(b, p, n);
}

static void form_pair(struct sc_buf *b, const char *name, const char *v,
                      size_t n) {
  sc_buf_addc(b, '&');
  form_escape(b, name, strlen(name));
  sc_buf_addc(b, '=');
  form_escape(b, v, n);
}

/* The value of bad input |k| for |p| into |val| (bytes, may hold a NUL).
 * Returns 0 when the input does not apply to the parameter (a negative
 * for text, a missing optional parameter, a value the enum lists). */
static int bad_value(const struct rb_param *p, enum rb_kind k,
                     struct sc_buf *val) {
  sc_buf_reset(val);
  switch (k) {
  case RB_SQL:
    sc_buf_adds(val, sql_value);
    break;
  case RB_UNICODE:
    sc_buf_adds(val, unicode_value);
    break;
  case RB_CONTROL:
    sc_buf_add(val, control_value, CONTROL_LEN);
    break;
  case RB_OVERLONG:
    for (size_t i = 0; i < RB_LONG; i++)
      sc_buf_addc(val, p->numeric                     ? '9'
                       : strcmp(p->type, "list") == 0 ? (i % 2 ? ',' : '1')
                                                      : 'A');
    break;
  case RB_WRONG:
    if (!p->wrong)
      return 1; /* the array form: no value of its own */
    sc_buf_adds(val, p->wrong);
    break;
  case RB_NEGATIVE:
    if (!p->numeric)
      return 0;
    sc_buf_adds(val, sc_json_array_has_string(p->values, "-1") ? "-99" : "-1");
    break;
  case RB_EMPTY:
    break;
  case RB_MISSING:
    return p->required;
  case RB_REPEATED:
    return 1;
  case RB__COUNT:
    return 0;
  }
  if (val->err)
    return 0;
  /* a value the enum lists is not a bad one */
  if (p->values && val->len && !memchr(val->ptr, '\0', val->len) &&
      sc_json_array_has_string(p->values, val->ptr))
    return 0;
  if (p->values && !val->len && sc_json_array_has_string(p->values, ""))
    return 0;
  return 1;
}

/* Appends the parameter part of bad input |k| (|val| from bad_value). */
static void add_bad(struct sc_buf *q, const struct rb_param *p, enum rb_kind k,
                    const struct sc_buf *val) {
  const char *v = val->len ? val->ptr : "";
  switch (k) {
  case RB_MISSING:
    return;
  case RB_WRONG:
    if (!p->wrong) { /* p[]=1: PHP reads an array where a string belongs */
      sc_buf_addc(q, '&');
      form_escape(q, p->name, strlen(p->name));
      sc_buf_adds(q, "%5B%5D=1");
      return;
    }
    break;
  case RB_REPEATED:
    /* a valid value first when one is known, then a bad one */
    if (p->good)
      form_pair(q, p->name, p->good, strlen(p->good));
    else
      form_pair(q, p->name, p->wrong ? p->wrong : "1",
                strlen(p->wrong ? p->wrong : "1"));
    form_pair(q, p->name, sql_value, strlen(sql_value));
    return;
  default:
    break;
  }
  form_pair(q, p->name, v, val->len);
}

/* A printable rendering of |n| bytes for a message: non-ASCII and control
 * bytes as \xNN, values longer than 40 bytes cut to 24. */
static void show(char *out, size_t outlen, const char *p, size_t n) {
  size_t o = 0, max = n > 40 ? 24 : n;
  for (size_t i = 0; i < max && o + 5 < outlen; i++) {
    unsigned char ch = (unsigned char)p[i];
    if (ch >= 0x20 && ch < 0x7f && ch != '\\')
      out[o++] = (char)ch;
    else
      o += (size_t)snprintf(out + o, outlen - o, "\\x%02x", ch);
  }
  if (max < n && o + 24 < outlen)
    o += (size_t)snprintf(out + o, outlen - o, "...(%zu bytes)", n);
  out[o] = '\0';
}

/* What the message calls the input: "status='...'", "without status". */
static void label(char *out, size_t n, const struct rb_param *p, enum rb_kind k,
                  const struct sc_buf *val) {
  char v[96];
  switch (k) {
  case RB_MISSING:
    snprintf(out, n, "a request without %s", p->name);
    return;
  case RB_REPEATED:
    show(v, sizeof v, sql_value, strlen(sql_value));
    snprintf(out, n, "%s twice ('%s', then '%s')", p->name,
             p->good    ? p->good
             : p->wrong ? p->wrong
                        : "1",
             v);
    return;
  case RB_WRONG:
    if (!p->wrong) {
      snprintf(out, n, "%s[]=1 (an array)", p->name);
      return;
    }
    break;
  default:
    break;
  }
  show(v, sizeof v, val->len ? val->ptr : "", val->len);
  snprintf(out, n, "%s='%s'", p->name, v);
}

/* ---- judging an answer --------------------------------------------------- */

/* "HTTP 500 text/plain "ERROR_SQL"" for |actual|: the body's first 120
 * bytes, printable, with the keys replaced before it is cut (the report
 * redacts whole keys only). */
static void describe(struct ck *c, char *out, size_t n,
                     const struct ck_ans *a) {
  if (!a->ok) {
    snprintf(out, n, "no answer: %s (%s)", sc_http_err_message(a->r.err),
             a->r.errmsg);
    return;
  }
  const char *keys[2] = {ck_opts(c)->key, ck_opts(c)->key2};
  const char *names[2] = {"$SMSCONFORM_KEY", "$SMSCONFORM_KEY2"};
  char body[400];
  size_t o = 0, i = 0, len = a->r.body ? a->r.len : 0;
  while (i < len && o + 24 < sizeof body && i < 160) {
    int hit = 0;
    for (int k = 0; k < 2 && !hit; k++) {
      size_t kl = keys[k] ? strlen(keys[k]) : 0;
      if (kl && i + kl <= len && memcmp(a->r.body + i, keys[k], kl) == 0) {
        o += (size_t)snprintf(body + o, sizeof body - o, "%s", names[k]);
        i += kl;
        hit = 1;
      }
    }
    if (hit)
      continue;
    unsigned char ch = (unsigned char)a->r.body[i++];
    if (ch >= 0x20 && ch < 0x7f && ch != '\\' && ch != '"')
      body[o++] = (char)ch;
    else
      o += (size_t)snprintf(body + o, sizeof body - o, "\\x%02x", ch);
  }
  body[o] = '\0';
  snprintf(out, n, "HTTP %ld %s \"%s\"%s", a->r.status,
           a->r.ctype[0] ? a->r.ctype : "(no content type)", body,
           i < len ? "..." : "");
}

/* The answers the documents allow, for |expected|. */
static void documented(char *out, size_t n, const struct sc_view *v,
                       const char *tail) {
  const cJSON *lists[] = {v->errors, v->json_errors, v->errors_add,
                          v->common_errors};
  size_t o =
      (size_t)snprintf(out, n, "an error token of %s (", v->action->name);
  int first = 1;
  for (size_t l = 0; l < sizeof lists / sizeof *lists; l++) {
    const cJSON *it;
    cJSON_ArrayForEach(it, lists[l]) {
      if (!cJSON_IsString(it) || o + 40 >= n)
        continue;
      int dup = 0;
      for (size_t k = 0; k < l && !dup; k++)
        dup = sc_json_array_has_string(lists[k], it->valuestring);
      if (dup)
        continue;
      o += (size_t)snprintf(out + o, n - o, "%s%s", first ? "" : ", ",
                            it->valuestring);
      first = 0;
    }
  }
  snprintf(out + o, n - o, ")%s", tail);
}

/* Whether the action lists an error of its own, beyond the profile's
 * common ones: if not, the documents give it no way to refuse a value. */
static int own_errors(const struct sc_view *v) {
  const cJSON *lists[] = {v->errors, v->json_errors, v->errors_add};
  for (size_t l = 0; l < sizeof lists / sizeof *lists; l++) {
    const cJSON *it;
    cJSON_ArrayForEach(it, lists[l]) {
      if (cJSON_IsString(it) &&
          !sc_json_array_has_string(v->common_errors, it->valuestring))
        return 1;
    }
  }
  return 0;
}

/* How a success answer is taken. */
enum rb_success {
  RB_SUCCESS_FAIL, /* a bad required value was accepted */
  RB_SUCCESS_WARN, /* accepted, but the action documents no refusal */
  RB_SUCCESS_NUL,  /* accepted: read up to its NUL byte, it was valid */
  RB_SUCCESS_OK    /* the value may be ignored, or a valid one was sent */
};

/* Judges the answer |a| to the input |what|. Returns 1 when it is a
 * success, 0 otherwise; the check has failed
 * when ck_done says so. */
static int judge(struct ck *c, const struct sc_view *v, const struct ck_ans *a,
                 const char *what, enum rb_success succ, const char *tail) {
  char exp[640], act[800];
  documented(exp, sizeof exp, v, tail);
  describe(c, act, sizeof act, a);
  const char *body = a->r.body ? a->r.body : "";
  size_t len = a->r.body ? a->r.len : 0;
  if (!a->ok) {
    ck_fail(c, exp, act, "%s got no answer: %s", what,
            sc_http_err_message(a->r.err));
    return 0;
  }
  /* leaks first, whatever form they come in */
  if (a->echo) {
    ck_fail(c, exp, act, "%s answered with the API key in the answer", what);
    return 0;
  }
  if (a->res.ndevs && a->res.devs[0].code == SC_DEV_SERVER_ERROR_TEXT) {
    ck_fail(c, exp, act, "%s answered text that leaks internals: %s", what,
            a->res.devs[0].message);
    return 0;
  }
  if (a->r.status >= 500) {
    ck_fail(c, exp, act, "%s answered HTTP %ld", what, a->r.status);
    return 0;
  }
  size_t ws = 0;
  while (ws < len && isspace((unsigned char)body[ws]))
    ws++;
  /* an empty body is a failure, but where the profile says the action's
   * success has none ("no_body": an empty 204) */
  if (ws == len && !a->empty) {
    ck_fail(c, exp, act, "%s answered an empty body (HTTP %ld)", what,
            a->r.status);
    return 0;
  }
  /* a body of markup (a text/html label on a token is the transport
   * checks' business) */
  int html = ws < len && body[ws] == '<';
  for (size_t i = 0; i < a->res.ndevs; i++)
    html |= a->res.devs[i].code == SC_DEV_HTML_BODY;
  if (html) {
    ck_fail(c, exp, act, "%s answered an HTML page (HTTP %ld)", what,
            a->r.status);
    return 0;
  }
  const struct sc_deviation *worst = NULL;
  for (size_t i = 0; i < a->res.ndevs; i++)
    if (!worst || a->res.devs[i].verdict > worst->verdict)
      worst = &a->res.devs[i];
  int nosuccess = cJSON_GetArraySize(v->success) == 0;
  int is_error = a->res.kind == SC_KIND_ERROR ||
                 (a->token[0] && sc_view_allows_error(v, a->token));
  if (worst && worst->verdict >= SC_VERDICT_FAIL) {
    /* no document shows this action's answer: a known token is all the
     * spec can judge */
    if (nosuccess && worst->code == SC_DEV_WRONG_ANSWER) {
      ck_warn(c, "%s answered %s; no document shows what %s answers", what,
              a->token, v->action->name);
      return 1;
    }
    ck_fail(c, exp, act, "%s answered %s: %s", what, sc_dev_name(worst->code),
            worst->message);
    return 0;
  }
  if (worst && worst->verdict == SC_VERDICT_WARN)
    ck_warn(c, "%s: %s: %s", what, sc_dev_name(worst->code), worst->message);
  if (is_error)
    return 0;
  if (a->res.kind != SC_KIND_SUCCESS && a->res.kind != SC_KIND_STATUS) {
    ck_fail(c, exp, act, "%s answered %s", what, sc_kind_name(a->res.kind));
    return 0;
  }
  const char *said = a->token[0] ? a->token : "a success";
  if (succ == RB_SUCCESS_FAIL)
    ck_fail(c, exp, act, "%s was accepted: %s answered %s", what,
            v->action->name, said);
  else if (succ == RB_SUCCESS_NUL)
    ck_warn(c,
            "%s was accepted (%s): a value holding a NUL byte is read up to "
            "the NUL rather than refused",
            what, said);
  else if (succ == RB_SUCCESS_WARN)
    ck_warn(c,
            "%s was accepted (%s); %s documents no error to refuse a value "
            "with",
            what, said, v->action->name);
  return 1;
}

/* ---- objects and purchases ----------------------------------------------- */

/* ---- the checks ---------------------------------------------------------- */

/* The name, value pairs of a plain call of |action| without |skip|, into
 * |kv| (|cap| strings): the runner's own (ck_fill_params) or, when it knows
 * no value for a required parameter, a well-formed one of its type. The
 * value |skip| would have had goes to |*skipped|. Returns the number of
 * strings, or -1. */
static int plain_call(struct ck *c, const struct sc_view *v, const char *id,
                      const char *skip, const char **kv, int cap,
                      const char **skipped) {
  const char *fk[32];
  int n = ck_fill_params(c, v->action->name, id, fk, 32);
  int out = 0;
  *skipped = NULL;
  if (n >= 0) {
    for (int i = 0; i + 1 < n; i += 2) {
      if (strcmp(fk[i], skip) == 0) {
        *skipped = fk[i + 1];
        continue;
      }
      if (out + 2 > cap)
        return -1;
      kv[out++] = fk[i];
      kv[out++] = fk[i + 1];
    }
    return out;
  }
  const cJSON *p;
  cJSON_ArrayForEach(p, v->params) {
    const char *name = ck_jstr(p, "name"), *type = ck_jstr(p, "type");
    if (!name || !type || strcmp(type, "key") == 0 ||
        !cJSON_IsTrue(ck_jget(p, "required")))
      continue;
    const char *val = ck_param_value(c, p, id);
    if (!val && strcmp(type, "enum") != 0 && strcmp(type, "id") != 0)
      val = ptype_of(type)->good;
    if (strcmp(name, skip) == 0) {
      *skipped = val;
      continue;
    }
    if (!val || out + 2 > cap)
      return -1;
    kv[out++] = name;
    kv[out++] = val;
  }
  return out;
}

static void rb_param_init(struct rb_param *rp, const cJSON *p) {
  memset(rp, 0, sizeof *rp);
  rp->name = ck_jstr(p, "name");
  rp->type = ck_jstr(p, "type");
  rp->required = cJSON_IsTrue(ck_jget(p, "required"));
  const struct ptype *t = ptype_of(rp->type);
  rp->numeric = t->numeric;
  rp->wrong = t->wrong;
  if (rp->type && strcmp(rp->type, "enum") == 0) {
    rp->values = ck_jget(p, "values");
    rp->numeric = numeric_enum(rp->values);
    rp->wrong = rp->numeric ? "abc" : "12345";
  }
}

/* robust.<action>.<param>: every bad input of the parameter's type. */
static void chk_robust(struct ck *c) {
  const struct ck_def *d = ck_def(c);
  struct sc_view v;
  if (sc_spec_view(ck_env(c)->spec, d->action, ck_env(c)->profile_name, &v)) {
    ck_error(c, "the profile has no action %s", d->action);
    return;
  }
  const cJSON *pj = ck_param_named(&v, d->arg);
  if (!pj) {
    ck_error(c, "%s has no parameter %s", d->action, d->arg);
    return;
  }
  struct rb_param p;
  rb_param_init(&p, pj);
  char obj[64] = "";
  if ((d->iarg & RB_ACTIVATION) && !ck_buy(c, CK_WHO_KEY1, obj, sizeof obj))
    return;
  if ((d->iarg & RB_RENT) && !ck_rent(c, obj, sizeof obj))
    return;
  const char *kv[32];
  int n = plain_call(c, &v, obj[0] ? obj : NULL, p.name, kv, 32, &p.good);
  if (n < 0) {
    ck_error(c, "no value known for a required parameter of %s", d->action);
    return;
  }
  if (!p.good && (!p.type || strcmp(p.type, "id") != 0)) {
    const struct ptype *t = ptype_of(p.type);
    p.good = t->good;
    if (p.values) {
      const cJSON *f = cJSON_GetArrayItem(p.values, 0);
      p.good = cJSON_IsString(f) ? f->valuestring : NULL;
    }
  }
  /* a bad required value may only be accepted where the action has no
   * error to refuse it with (never an id: an id that names nothing is
   * never found) */
  enum rb_success weak = own_errors(&v) || (p.type && strcmp(p.type, "id") == 0)
                             ? RB_SUCCESS_FAIL
                             : RB_SUCCESS_WARN;
  struct sc_buf val, q;
  sc_buf_init(&val, RB_LONG + 64);
  sc_buf_init(&q, 1 << 16);
  for (int k = 0; k < RB__COUNT && !ck_done(c); k++) {
    if (!bad_value(&p, (enum rb_kind)k, &val))
      continue;
    sc_buf_reset(&q);
    sc_buf_adds(&q, "action=");
    form_escape(&q, d->action, strlen(d->action));
    for (int i = 0; i + 1 < n; i += 2)
      form_pair(&q, kv[i], kv[i + 1], strlen(kv[i + 1]));
    add_bad(&q, &p, (enum rb_kind)k, &val);
    sc_buf_add(&q, "", 0);
    if (q.err) {
      ck_error(c, "out of memory");
      break;
    }
    char what[200];
    label(what, sizeof what, &p, (enum rb_kind)k, &val);
    /* a success is fine where the value may be ignored; a C endpoint
     * that reads "x\0..." as "x" may find it valid: a WARN, it refused
     * nothing it could not read */
    enum rb_success succ =
        !p.required || (k == RB_REPEATED && p.good)  ? RB_SUCCESS_OK
        : k == RB_CONTROL && weak == RB_SUCCESS_FAIL ? RB_SUCCESS_NUL
                                                     : weak;
    struct ck_ans a;
    ck_api_raw(c, &a, CK_WHO_KEY1, d->action, q.ptr, 0);
    /* a purchase a bad value did not prevent is booked by the engine */
    judge(c, &v, &a, what, succ,
          p.required ? "" : ", or a success: the parameter is optional");
    ck_judged(c, &a);
    ck_ans_free(&a);
  }
  sc_buf_free(&val);
  sc_buf_free(&q);
  if (!ck_done(c))
    ck_ok(c);
}

/* robust.<action>.api_key: the key with the same hostile bytes. Most
 * inputs start with the run's own key, so that an endpoint that repeats a
 * rejected key back shows the real one; none of them may be accepted. The
 * messages name the key as <the key>: a key cut short would escape the
 * report's redaction. */
static void chk_robust_key(struct ck *c) {
  const struct ck_def *d = ck_def(c);
  struct sc_view v;
  if (sc_spec_view(ck_env(c)->spec, d->action, ck_env(c)->profile_name, &v)) {
    ck_error(c, "the profile has no action %s", d->action);
    return;
  }
  const char *key = ck_opts(c)->key;
  const char *name = d->arg;
  struct sc_buf val, q;
  sc_buf_init(&val, RB_LONG + 1024);
  sc_buf_init(&q, 1 << 16);
  for (int k = 0; k < RB__COUNT && !ck_done(c); k++) {
    if (k == RB_NEGATIVE)
      continue;
    char what[320], shown[96];
    sc_buf_reset(&val);
    sc_buf_reset(&q);
    sc_buf_adds(&q, "action=");
    form_escape(&q, d->action, strlen(d->action));
    switch (k) {
    case RB_SQL:
    case RB_UNICODE:
    case RB_OVERLONG:
      if (k == RB_SQL)
        sc_buf_adds(&val, sql_value);
      else if (k == RB_UNICODE)
        sc_buf_adds(&val, unicode_value);
      else
        for (size_t i = 0; i < RB_LONG; i++)
          sc_buf_addc(&val, 'A');
      show(shown, sizeof shown, val.ptr, val.len);
      snprintf(what, sizeof what, "%s=<the key> followed by '%s'", name, shown);
      sc_buf_addc(&q, '&');
      form_escape(&q, name, strlen(name));
      sc_buf_addc(&q, '=');
      form_escape(&q, key, strlen(key));
      form_escape(&q, val.ptr, val.len);
      break;
    case RB_CONTROL:
    case RB_EMPTY:
      if (k == RB_CONTROL)
        sc_buf_add(&val, control_value, CONTROL_LEN);
      show(shown, sizeof shown, val.len ? val.ptr : "", val.len);
      snprintf(what, sizeof what, "%s='%s'", name, shown);
      form_pair(&q, name, val.len ? val.ptr : "", val.len);
      break;
    case RB_WRONG: /* api_key[]=<key>: PHP reads an array */
      snprintf(what, sizeof what, "%s[]=<the key> (an array)", name);
      sc_buf_addc(&q, '&');
      form_escape(&q, name, strlen(name));
      sc_buf_adds(&q, "%5B%5D=");
      form_escape(&q, key, strlen(key));
      break;
    case RB_MISSING:
      snprintf(what, sizeof what, "a request without %s", name);
      break;
    case RB_REPEATED:
      show(shown, sizeof shown, sql_value, strlen(sql_value));
      snprintf(what, sizeof what,
               "%s twice (<the key>, then <the key> followed by '%s')", name,
               shown);
      form_pair(&q, name, key, strlen(key));
      sc_buf_addc(&q, '&');
      form_escape(&q, name, strlen(name));
      sc_buf_addc(&q, '=');
      form_escape(&q, key, strlen(key));
      form_escape(&q, sql_value, strlen(sql_value));
      break;
    default:
      continue;
    }
    sc_buf_add(&q, "", 0);
    if (q.err || val.err) {
      ck_error(c, "out of memory");
      break;
    }
    struct ck_ans a;
    ck_api_raw(c, &a, CK_WHO_NOKEY, d->action, q.ptr, 0);
    /* a valid key was among the two: the endpoint may take either */
    judge(c, &v, &a, what, k == RB_REPEATED ? RB_SUCCESS_OK : RB_SUCCESS_FAIL,
          "");
    ck_judged(c, &a);
    ck_ans_free(&a);
  }
  sc_buf_free(&val);
  sc_buf_free(&q);
  if (!ck_done(c))
    ck_ok(c);
}

/* ---- the plan ------------------------------------------------------------ */

static void cite_param(const struct ck_env *env, const struct sc_view *v,
                       const cJSON *param, struct ck_def *d) {
  const cJSON *src = ck_jget(param, "sources");
  if (!cJSON_GetArraySize(src))
    src = ck_jget(v->action->json, "sources");
  ck_cite(env, src, d);
}

/* The key check goes on the first action that takes nothing but the key
 * and buys nothing (getBalance in every documented dialect). */
static void plan_key(struct ck_builder *b) {
  const struct ck_env *env = b->env;
  const cJSON *a;
  cJSON_ArrayForEach(a, ck_jget(env->profile->json, "actions")) {
    struct sc_view v;
    if (!cJSON_IsString(a) ||
        sc_spec_view(env->spec, a->valuestring, env->profile_name, &v) ||
        cJSON_IsTrue(ck_jget(v.action->json, "spends")) ||
        ck_jstr(v.action->json, "http"))
      continue;
    const cJSON *key = ck_param_typed(&v, "key");
    if (!key || cJSON_GetArraySize(v.params) != 1)
      continue;
    struct ck_def d = {.cat = SC_CAT_ROBUSTNESS, .fn = chk_robust_key};
    const char *kname = ck_jstr(key, "name");
    snprintf(d.arg, sizeof d.arg, "%s", kname ? kname : "api_key");
    snprintf(d.id, sizeof d.id, RB_ID ".%s.%s", a->valuestring, d.arg);
    snprintf(d.action, sizeof d.action, "%s", a->valuestring);
    snprintf(d.tags, sizeof d.tags, "robust %s %s key", a->valuestring, d.arg);
    snprintf(d.requirement, sizeof d.requirement,
             "a key carrying quotes, SQL, unicode, control bytes or a few KB "
             "is refused with a documented error token, never accepted, "
             "echoed back, or answered with a 5xx, HTML or an empty body");
    cite_param(env, &v, key, &d);
    ck_add(b, &d);
    return;
  }
}

void ck_plan_robust(struct ck_builder *b) {
  const struct ck_env *env = b->env;
  if (env->rest)
    return; /* the REST dialect has its own plan */
  plan_key(b);
  const cJSON *a;
  cJSON_ArrayForEach(a, ck_jget(env->profile->json, "actions")) {
    struct sc_view v;
    if (!cJSON_IsString(a) ||
        sc_spec_view(env->spec, a->valuestring, env->profile_name, &v))
      continue;
    const char *where = ck_jstr(v.action->json, "where");
    if (where && strcmp(where, "client") == 0)
      continue; /* a payload the vendor sends, not a request */
    unsigned flags = 0;
    if (cJSON_IsTrue(ck_jget(v.action->json, "spends")))
      flags |= RB_SPENDS;
    /* an id parameter names an activation or a rent: the run makes one */
    if (ck_param_typed(&v, "id")) {
      if (ck_in_family(&v, "activation") &&
          sc_profile_has_action(env->profile, "getNumber"))
        flags |= RB_ACTIVATION;
      else if (ck_in_family(&v, "rent") &&
               sc_profile_has_action(env->profile, "getRentNumber"))
        flags |= RB_RENT;
    }
    const cJSON *p;
    cJSON_ArrayForEach(p, v.params) {
      const char *name = ck_jstr(p, "name"), *type = ck_jstr(p, "type");
      if (!name || !type || strcmp(type, "key") == 0)
        continue;
      int req = cJSON_IsTrue(ck_jget(p, "required"));
      struct ck_def d = {
          .cat = SC_CAT_ROBUSTNESS, .fn = chk_robust, .iarg = (int)flags};
      if (flags)
        d.needs = CK_SPEND | CK_SERIAL;
      snprintf(d.arg, sizeof d.arg, "%s", name);
      snprintf(d.id, sizeof d.id, RB_ID ".%s.%s", a->valuestring, name);
      snprintf(d.action, sizeof d.action, "%s", a->valuestring);
      snprintf(d.tags, sizeof d.tags, "robust %s %s %s", a->valuestring, name,
               type);
      snprintf(d.requirement, sizeof d.requirement,
               "%s answers bad values of %s (%s: quotes and SQL, unicode, "
               "control bytes, a few KB, another type, empty%s, twice) with a "
               "documented token%s, never a 5xx, HTML, an empty body, leaked "
               "internals or the key",
               a->valuestring, name, type, req ? ", absent" : "",
               req ? "" : " or a success");
      cite_param(env, &v, p, &d);
      ck_add(b, &d);
    }
  }
}
