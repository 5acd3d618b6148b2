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
 * engine, as every sale is) so that clean-up gives it back.
 *
 * Actions that sell (the spec's "spends": getNumber, getRentNumber, ...).
 * An endpoint that ignores a bad optional value sells a number, so the bad
 * values of such an action's optional parameters are pooled: the first of
 * its checks to need them (the others wait) sends a few requests that each
 * carry a bad value of many optional parameters at once, the required ones
 * valid. Request r gives optional parameter i the kind in column
 * (r + i) mod R of the kinds, R = max(kinds, parameters): a Latin square,
 * so every (parameter, kind) pair is sent once and no request carries one
 * kind twice (never two overlong values). Each check reads its verdict
 * from the answers to the requests that carried its parameter:
 *  - a success is fine for every value it carried;
 *  - a refusal of several values might hide what the others do: it is
 *    split in halves, each sent again, until each refused value stands
 *    alone (a refusal is fine for it), and a parameter with a value that
 *    was not a success alone has its values sent alone from then on;
 *  - an answer the documents do not allow is traced to its cause the same
 *    way, down to the value that provokes it, or the smallest set that
 *    does when only values together do; when a request without bad values
 *    is answered so too, the values are not the cause and all share the
 *    finding. The check that owns such a value sends that request again
 *    itself and states the finding on it.
 * With control every request that is not refused buys until the next
 * check's sandbox reset, so the pool raises the stock and the balance
 * first: no answer stands for a value that only ran the sandbox dry.
 *
 * Without the control protocol the money is real. Once a hostile request
 * of such an action has bought something, no further request of it that
 * may buy is sent: the pool's (whatever its purpose), a required
 * parameter given twice with a valid value first. A bad required value
 * normally buys nothing and is sent until one does. The checks of an
 * action may run on several threads: its budgeted requests take turns,
 * and the pool spends the one sale only after a bad required value was
 * refused (its own probe, when no check of a required parameter sent one
 * yet) and before the repeated valid values of the required parameters,
 * since each of its requests covers a pair of many parameters. What is
 * left unsent is SKIP in the checks that own it, naming the sale. The
 * checks that need an activation or a rent share one (ck_shared): what a
 * hostile getNumber or getRentNumber bought, else one bought for them.
 * With control the sandbox gives the money back and is reset before each
 * of these checks (they run alone): every pair is sent, still pooled, and
 * each check that needs an activation or a rent buys its own. */
#include "sc_checks_int.h"

#include "sc_alloc.h"
#include "sc_buf.h"
#include "sc_escape.h"
#include "sc_http.h"
#include "sc_spec.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <pthread.h>
#include <stdarg.h>
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

/* The judgement of one answer before it is stated: PASS, WARN or FAIL,
 * with what ck_fail or ck_warn would be told. */
struct rb_find {
  enum sc_verdict v;
  int success; /* a success (or a token no document shows answered) */
  char msg[1600];
  char exp[640], act[800];
};

static void find_v(struct rb_find *f, enum sc_verdict v, const char *fmt,
                   va_list ap) __attribute__((format(printf, 3, 0)));
static void find_v(struct rb_find *f, enum sc_verdict v, const char *fmt,
                   va_list ap) {
  /* as the check states them: the first failure tells the story, a
   * warning keeps the first message */
  if (f->v >= v)
    return;
  vsnprintf(f->msg, sizeof f->msg, fmt, ap);
  f->v = v;
}

static void find_fail(struct rb_find *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void find_fail(struct rb_find *f, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  find_v(f, SC_VERDICT_FAIL, fmt, ap);
  va_end(ap);
}

static void find_warn(struct rb_find *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void find_warn(struct rb_find *f, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  find_v(f, SC_VERDICT_WARN, fmt, ap);
  va_end(ap);
}

/* What the answer's body holds that no answer may: nothing, or an HTML
 * page; 0 when neither (an empty body is fine where the profile says the
 * action's success has none, "no_body": an empty 204). */
static int bad_body(const struct ck_ans *a, const char *what,
                    struct rb_find *f) {
  const char *body = a->r.body ? a->r.body : "";
  size_t len = a->r.body ? a->r.len : 0, ws = 0;
  while (ws < len && isspace((unsigned char)body[ws]))
    ws++;
  if (ws == len && !a->empty) {
    find_fail(f, "%s answered an empty body (HTTP %ld)", what, a->r.status);
    return 1;
  }
  /* a body of markup (a text/html label on a token is the transport
   * checks' business) */
  int html = ws < len && body[ws] == '<';
  for (size_t i = 0; i < a->res.ndevs; i++)
    html |= a->res.devs[i].code == SC_DEV_HTML_BODY;
  if (html)
    find_fail(f, "%s answered an HTML page (HTTP %ld)", what, a->r.status);
  return html;
}

/* Judges the answer |a| to the input |what| into |f| (PASS when it is
 * one the documents allow), stating nothing. */
static void assess(struct ck *c, const struct sc_view *v,
                   const struct ck_ans *a, const char *what,
                   enum rb_success succ, const char *tail,
                   struct rb_find *f) {
  memset(f, 0, sizeof *f);
  f->v = SC_VERDICT_PASS;
  documented(f->exp, sizeof f->exp, v, tail);
  describe(c, f->act, sizeof f->act, a);
  if (!a->ok) {
    find_fail(f, "%s got no answer: %s", what, sc_http_err_message(a->r.err));
    return;
  }
  /* leaks first, whatever form they come in */
  if (a->echo) {
    find_fail(f, "%s answered with the API key in the answer", what);
    return;
  }
  if (a->res.ndevs && a->res.devs[0].code == SC_DEV_SERVER_ERROR_TEXT) {
    find_fail(f, "%s answered text that leaks internals: %s", what,
              a->res.devs[0].message);
    return;
  }
  if (a->r.status >= 500) {
    find_fail(f, "%s answered HTTP %ld", what, a->r.status);
    return;
  }
  if (bad_body(a, what, f))
    return;
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
      find_warn(f, "%s answered %s; no document shows what %s answers", what,
                a->token, v->action->name);
      f->success = 1;
      return;
    }
    find_fail(f, "%s answered %s: %s", what, sc_dev_name(worst->code),
              worst->message);
    return;
  }
  if (worst && worst->verdict == SC_VERDICT_WARN)
    find_warn(f, "%s: %s: %s", what, sc_dev_name(worst->code),
              worst->message);
  if (is_error)
    return;
  if (a->res.kind != SC_KIND_SUCCESS && a->res.kind != SC_KIND_STATUS) {
    find_fail(f, "%s answered %s", what, sc_kind_name(a->res.kind));
    return;
  }
  f->success = 1;
  const char *said = a->token[0] ? a->token : "a success";
  if (succ == RB_SUCCESS_FAIL)
    find_fail(f, "%s was accepted: %s answered %s", what, v->action->name,
              said);
  else if (succ == RB_SUCCESS_NUL)
    find_warn(f,
              "%s was accepted (%s): a value holding a NUL byte is read up "
              "to the NUL rather than refused",
              what, said);
  else if (succ == RB_SUCCESS_WARN)
    find_warn(f,
              "%s was accepted (%s); %s documents no error to refuse a value "
              "with",
              what, said, v->action->name);
}

/* States the finding |f| on the check. */
static void state(struct ck *c, const struct rb_find *f) {
  if (f->v == SC_VERDICT_FAIL)
    ck_fail(c, f->exp, f->act, "%s", f->msg);
  else if (f->v == SC_VERDICT_WARN)
    ck_warn(c, "%s", f->msg);
}

/* Judges the answer |a| to the input |what| and states the finding.
 * Returns 1 when it is a success, 0 otherwise; the check has failed when
 * ck_done says so. */
static int judge(struct ck *c, const struct sc_view *v, const struct ck_ans *a,
                 const char *what, enum rb_success succ, const char *tail) {
  struct rb_find f;
  assess(c, v, a, what, succ, tail, &f);
  state(c, &f);
  return f.success;
}

/* True when the answer sold something: the engine books every success of
 * an action that sells. */
static int sold(const struct ck_ans *a) {
  return a->ok && a->res.kind == SC_KIND_SUCCESS;
}

/* ---- what the checks of a run share -------------------------------------- */

#define RB_MAXP 32 /* optional parameters one pool holds */
#define RB_WHAT 1000 /* bytes of a message's name of the inputs */

/* The kinds an optional parameter is sent: the square's columns. */
static const enum rb_kind opt_kinds[] = {RB_SQL,      RB_UNICODE, RB_CONTROL,
                                         RB_OVERLONG, RB_WRONG,   RB_NEGATIVE,
                                         RB_EMPTY,    RB_REPEATED};
#define RB_NOPT (sizeof opt_kinds / sizeof *opt_kinds)

/* What the pool knows of one (parameter, kind) pair. */
enum rb_mark {
  RB_NONE,   /* the kind does not apply to the parameter */
  RB_FINE,   /* sent; answered as the documents allow */
  RB_UNSENT, /* not sent: rb_act.unsent says why */
  RB_BAD     /* in a request answered otherwise: rb_cell.shot */
};

/* How a RB_BAD pair's request provokes its answer. */
enum rb_how {
  RB_ALONE,     /* the pair's value alone */
  RB_TOGETHER,  /* the values of the request together; each half alone is
                   answered as allowed */
  RB_ANYWAY,    /* a request without bad values is answered so too */
  RB_UNNARROWED /* the halves could not be sent (rb_act.unsent) */
};

struct rb_cell {
  unsigned char mark, how, level; /* level: an enum sc_verdict */
  int shot;                       /* RB_FINE, RB_BAD: the request */
};

/* One request the pool sent: the kind of each optional parameter (-1:
 * none, the plain value if any) and its answer, judged. */
struct rb_shot {
  signed char kind[RB_MAXP];
  struct ck_ans a;
  enum sc_verdict level; /* PASS, WARN or FAIL */
  int success;           /* PASS: a success, else a refusal */
};

enum rb_state { RB_POOL_EMPTY, RB_POOL_FILLING, RB_POOL_FILLED };

/* What the checks of one action share in a run: the budget of one sale
 * (no control) and the pool of its optional parameters. */
struct rb_act {
  char action[64];
  /* the first sale a hostile request of the action made, "" none; and
   * whether a bad required value made one */
  char sale[700];
  int required_sold;
  int probed;  /* a bad required value was answered without a sale */
  int sending; /* a budgeted request of the action is on its way */
  /* the pool's probe of a required parameter (pool_sentinel), once sent:
   * that parameter's check reads it instead of sending it again */
  char probe_param[64];
  struct ck_ans probe;
  enum rb_state state;
  size_t np;        /* its optional parameters, in the view's order */
  char name[RB_MAXP][64];
  char good[RB_MAXP][96]; /* the valid value sent beside a repeated bad */
  unsigned char has_good[RB_MAXP];
  struct rb_cell cell[RB_MAXP][RB__COUNT];
  struct rb_shot *shot;
  size_t nshot, capshot;
  int plain;          /* the shot of a request without bad values; -1 */
  char unsent[900];   /* why the RB_UNSENT pairs were not sent */
  struct rb_act *next;
};

/* One run's shared state (ck_run_state). */
struct rb_run {
  struct rb_act *acts;
  /* without control: the activation [0] and the rent [1] a hostile
   * getNumber and getRentNumber bought */
  char object[2][64];
};

/* Everything below is under rb_mu; rb_cv is broadcast when a pool is
 * filled or an action's turn to send is given back. */
static pthread_mutex_t rb_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t rb_cv = PTHREAD_COND_INITIALIZER;

static void act_free(struct rb_act *x) {
  for (size_t i = 0; i < x->nshot; i++)
    ck_ans_free(&x->shot[i].a);
  ck_ans_free(&x->probe);
  sc_free(x->shot);
  sc_free(x);
}

/* What a run's state holds, let go when the run ends. */
static void run_state_free(void *p) {
  struct rb_run *r = p;
  while (r->acts) {
    struct rb_act *next = r->acts->next;
    act_free(r->acts);
    r->acts = next;
  }
}

/* The shared state of the check's run; NULL when out of memory. */
static struct rb_run *run_get(struct ck *c) {
  return ck_run_state(c, "robustness", sizeof(struct rb_run), run_state_free);
}

/* The shared state of |action| in run |r|; NULL when out of memory. */
static struct rb_act *act_of(struct rb_run *r, const char *action) {
  pthread_mutex_lock(&rb_mu);
  struct rb_act *x = r->acts;
  while (x && strcmp(x->action, action) != 0)
    x = x->next;
  if (!x && (x = sc_calloc(1, sizeof *x))) {
    snprintf(x->action, sizeof x->action, "%s", action);
    x->plain = -1;
    x->next = r->acts;
    r->acts = x;
  }
  pthread_mutex_unlock(&rb_mu);
  return x;
}

/* ---- the budget of one sale (no control) --------------------------------- */

/* Whether the check's requests spend real money: its action sells and no
 * sandbox gives the money back. */
static int budgeted(const struct ck *c) {
  return (ck_def(c)->iarg & RB_SPENDS) && !ck_opts(c)->control;
}

/* Takes the turn of |x|'s action to send: its budgeted requests go one at
 * a time (the checks of an action may run on several threads), so that
 * each sees the sales of those before it. No other wait happens while a
 * turn is held. */
static void turn_take(struct rb_act *x) {
  pthread_mutex_lock(&rb_mu);
  while (x->sending)
    pthread_cond_wait(&rb_cv, &rb_mu);
  x->sending = 1;
  pthread_mutex_unlock(&rb_mu);
}

static void turn_give(struct rb_act *x) {
  pthread_mutex_lock(&rb_mu);
  x->sending = 0;
  pthread_cond_broadcast(&rb_cv);
  pthread_mutex_unlock(&rb_mu);
}

/* Why what is left unsent after |sale| stays so, into |out|. */
static void sale_text(const char *sale, char *out, size_t n) {
  snprintf(out, n,
           "%s: the endpoint sells despite bad values, and without "
           "--control each further request may buy another; with --control "
           "(the sandbox gives the money back) they are sent",
           sale);
}

/* Whether the budget holds back a request of |x|'s action: |may_buy| one
 * whose required values are valid (none is bad), held back once a
 * hostile request bought something; else one with a bad required value,
 * held back once such a value bought something. The reason into |why|.
 * The caller holds the action's turn. */
static int held_back(struct rb_act *x, int may_buy, char *why, size_t n) {
  pthread_mutex_lock(&rb_mu);
  int held = may_buy ? x->sale[0] != 0 : x->required_sold;
  if (held)
    sale_text(x->sale, why, n);
  pthread_mutex_unlock(&rb_mu);
  return held;
}

/* Books against the budget of |x| the answer |a| to |what| (a bad required
 * value when |bad_required|): a sale, or a bad required value refused. The
 * activation of a getNumber or the rent of a getRentNumber that sold then
 * serves the checks that need one (make_object). */
static void budget_note(struct ck *c, struct rb_run *run, struct rb_act *x,
                        const char *what, const struct ck_ans *a,
                        int bad_required) {
  char ids[1][64];
  size_t nid = sold(a) ? ck_answer_ids(a, ids, 1) : 0;
  int slot = strcmp(x->action, "getNumber") == 0       ? 0
             : strcmp(x->action, "getRentNumber") == 0 ? 1
                                                       : -1;
  pthread_mutex_lock(&rb_mu);
  if (bad_required && a->ok && !sold(a))
    x->probed = 1;
  if (sold(a) && !x->sale[0])
    snprintf(x->sale, sizeof x->sale, "%s sold %s to %s's request %.400s",
             x->action, nid ? ids[0] : "something", ck_def(c)->id, what);
  if (sold(a) && bad_required)
    x->required_sold = 1;
  if (slot >= 0 && nid && !run->object[slot][0])
    snprintf(run->object[slot], sizeof run->object[slot], "%s", ids[0]);
  pthread_mutex_unlock(&rb_mu);
}

/* ---- activations and rents ----------------------------------------------- */

/* A rent for the run's rent length from a plain getRentNumber, its id into
 * |id|. No balance is read (the engine books it at the listed price): a
 * check that read one would hold every purchase of the run until its end
 * (ck_hold_money), its own action's turn included. 1 on success; else the
 * check has stated why. */
static int rent_plain(struct ck *c, char *id, size_t n) {
  const char *kv[36];
  int nkv = ck_fill_params(c, "getRentNumber", NULL, kv, 32), timed = 0;
  if (nkv < 0) {
    ck_error(c, "no value known for a required parameter of getRentNumber");
    return 0;
  }
  for (int i = 0; i + 1 < nkv; i += 2)
    if (strcmp(kv[i], "time") == 0) {
      kv[i + 1] = ck_env(c)->rent_hours;
      timed = 1;
    }
  if (!timed) {
    kv[nkv++] = "time";
    kv[nkv++] = ck_env(c)->rent_hours;
  }
  struct ck_ans a;
  char ids[1][64];
  ck_api_v(c, &a, CK_WHO_KEY1, 0, "getRentNumber", kv, (size_t)nkv);
  int ok = !ck_buy_refused(c, &a) && ck_expect(c, &a, NULL, "getRentNumber");
  if (ok && (a.res.kind != SC_KIND_SUCCESS || !ck_answer_ids(&a, ids, 1))) {
    ck_fail(c, "the success form with the rent's id", a.token,
            "getRentNumber: expected the success form with the rent's id, "
            "got %s",
            a.token[0] ? a.token : sc_kind_name(a.res.kind));
    ok = 0;
  }
  if (ok)
    snprintf(id, n, "%s", ids[0]);
  ck_ans_free(&a);
  return ok;
}

/* ck_shared's make of the activation (|slot| 0) or rent (1) the checks that
 * need one share without control: what a hostile getNumber (getRentNumber)
 * bought, once its pool, if being filled, is; else one bought plainly. */
static int make_object(struct ck *c, int slot, char *out, size_t n) {
  const char *action = slot ? "getRentNumber" : "getNumber";
  struct rb_run *run = run_get(c);
  out[0] = '\0';
  if (run && strcmp(ck_def(c)->action, action) != 0) {
    struct rb_act *x = act_of(run, action);
    pthread_mutex_lock(&rb_mu);
    while (x && x->state == RB_POOL_FILLING)
      pthread_cond_wait(&rb_cv, &rb_mu);
    snprintf(out, n, "%s", run->object[slot]);
    pthread_mutex_unlock(&rb_mu);
  }
  if (out[0])
    return 1;
  return slot ? rent_plain(c, out, n) : ck_buy(c, CK_WHO_KEY1, out, n);
}

static int make_activation(struct ck *c, char *out, size_t n) {
  return make_object(c, 0, out, n);
}

static int make_rent(struct ck *c, char *out, size_t n) {
  return make_object(c, 1, out, n);
}

/* The activation (RB_ACTIVATION) or rent (RB_RENT) the check works on,
 * into |obj| ("" when it needs none): with control one of its own (the
 * sandbox forgets it at the next check's reset); without, one the checks
 * that need it share (ck_shared: the first makes it, make_object). 1 when
 * there is one; else the check's finding is stated. */
static int get_object(struct ck *c, char *obj, size_t n) {
  unsigned f = (unsigned)ck_def(c)->iarg;
  obj[0] = '\0';
  if (f & RB_ACTIVATION)
    return ck_opts(c)->control
               ? ck_buy(c, CK_WHO_KEY1, obj, n)
               : ck_shared(c, "robustness.activation", 0, make_activation,
                           obj, n);
  if (f & RB_RENT)
    return ck_opts(c)->control
               ? ck_rent(c, obj, n)
               : ck_shared(c, "robustness.rent", 0, make_rent, obj, n);
  return 1;
}

/* ---- plain calls --------------------------------------------------------- */

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

/* A valid value of |p| for the repeated input when the plain call gives
 * none: its type's, or the enum's first; none for an id. */
static void param_good(struct rb_param *p) {
  if (p->good || (p->type && strcmp(p->type, "id") == 0))
    return;
  p->good = ptype_of(p->type)->good;
  if (p->values) {
    const cJSON *f = cJSON_GetArrayItem(p->values, 0);
    p->good = cJSON_IsString(f) ? f->valuestring : NULL;
  }
}

/* ---- the pool of an action that sells ------------------------------------ */

/* Whether parameter |pj| is one of the pooled kind: optional, not the
 * key. */
static int poolable(const cJSON *pj) {
  const char *type = ck_jstr(pj, "type");
  return ck_jstr(pj, "name") && type && strcmp(type, "key") != 0 &&
         !cJSON_IsTrue(ck_jget(pj, "required"));
}

/* The place of parameter |name| in the pool of |v|'s action (the first
 * RB_MAXP poolable ones), or -1 when it is not in it. */
static int pool_index(const struct sc_view *v, const char *name) {
  int n = 0;
  const cJSON *pj;
  cJSON_ArrayForEach(pj, v->params) {
    if (!poolable(pj))
      continue;
    if (n == RB_MAXP)
      return -1;
    if (strcmp(ck_jstr(pj, "name"), name) == 0)
      return n;
    n++;
  }
  return -1;
}

/* What a check sends the pool's requests with: the optional parameters it
 * holds and the values of a plain call. The strings point into the spec,
 * the run's options and |obj|: the struct is not copied. */
struct rb_pctx {
  struct sc_view v;
  struct rb_param p[RB_MAXP];
  const char *plain[RB_MAXP]; /* a plain call's value of each, or NULL */
  size_t np;
  const char *kv[64]; /* the plain call's other parameters */
  int nkv;
  char obj[64];
};

/* Fills |x| for the check's action |v|, getting the activation or rent
 * it needs. 0, or -1 with the check's finding stated. */
static int pctx_init(struct ck *c, const struct sc_view *v,
                     struct rb_pctx *x) {
  memset(x, 0, sizeof *x);
  x->v = *v;
  if (!get_object(c, x->obj, sizeof x->obj))
    return -1;
  const cJSON *pj;
  cJSON_ArrayForEach(pj, v->params) {
    if (poolable(pj) && x->np < RB_MAXP)
      rb_param_init(&x->p[x->np++], pj);
  }
  const char *kv[64], *none;
  int n = plain_call(c, v, x->obj[0] ? x->obj : NULL, "", kv, 64, &none);
  if (n < 0) {
    ck_error(c, "no value known for a required parameter of %s",
             v->action->name);
    return -1;
  }
  for (int i = 0; i + 1 < n; i += 2) {
    int k = -1;
    for (size_t j = 0; j < x->np && k < 0; j++)
      if (strcmp(x->p[j].name, kv[i]) == 0)
        k = (int)j;
    if (k >= 0) {
      x->plain[k] = kv[i + 1];
    } else {
      x->kv[x->nkv++] = kv[i];
      x->kv[x->nkv++] = kv[i + 1];
    }
  }
  for (size_t j = 0; j < x->np; j++) {
    x->p[j].good = x->plain[j];
    param_good(&x->p[j]);
  }
  return 0;
}

/* The query of the request carrying |kind| (per optional parameter its
 * kind, or -1: its plain value if it has one) into |q|. 0, or -1 when out
 * of memory. */
static int set_query(const struct rb_pctx *x, const signed char *kind,
                     struct sc_buf *q, struct sc_buf *val) {
  const char *action = x->v.action->name;
  sc_buf_reset(q);
  sc_buf_adds(q, "action=");
  form_escape(q, action, strlen(action));
  for (int i = 0; i + 1 < x->nkv; i += 2)
    form_pair(q, x->kv[i], x->kv[i + 1], strlen(x->kv[i + 1]));
  for (size_t i = 0; i < x->np; i++)
    if (kind[i] < 0 && x->plain[i])
      form_pair(q, x->p[i].name, x->plain[i], strlen(x->plain[i]));
  for (size_t i = 0; i < x->np; i++)
    if (kind[i] >= 0 && bad_value(&x->p[i], (enum rb_kind)kind[i], val))
      add_bad(q, &x->p[i], (enum rb_kind)kind[i], val);
  sc_buf_add(q, "", 0);
  return q->err || val->err ? -1 : 0;
}

/* Appends |s| after |sep| to |out| (|n| bytes, |*o| used), "..." once it
 * is full. */
static void cat(char *out, size_t n, size_t *o, const char *sep,
                const char *s) {
  if (*o + 4 >= n)
    return;
  int w = snprintf(out + *o, n - *o, "%s%s", sep, s);
  if (w < 0 || *o + (size_t)w + 4 >= n) {
    snprintf(out + n - 4, 4, "...");
    *o = n;
    return;
  }
  *o += (size_t)w;
}

/* What a message calls the bad values of |kind|: parameter |first|'s
 * first (-1: none), the others after "sent with". */
static void set_label(const struct rb_pctx *x, const signed char *kind,
                      int first, struct sc_buf *val, char *out, size_t n) {
  size_t o = 0;
  int lead = 0, others = 0;
  char one[200];
  out[0] = '\0';
  if (first >= 0 && kind[first] >= 0 &&
      bad_value(&x->p[first], (enum rb_kind)kind[first], val)) {
    label(one, sizeof one, &x->p[first], (enum rb_kind)kind[first], val);
    cat(out, n, &o, "", one);
    lead = 1;
  }
  for (size_t i = 0; i < x->np; i++) {
    if ((int)i == first || kind[i] < 0 ||
        !bad_value(&x->p[i], (enum rb_kind)kind[i], val))
      continue;
    label(one, sizeof one, &x->p[i], (enum rb_kind)kind[i], val);
    const char *sep = others ? ", " : lead ? " sent with " : "";
    cat(out, n, &o, sep, one);
    others++;
  }
  if (!o)
    snprintf(out, n, "a request without bad values");
}

/* Marks the pairs of |kind| with what shot |shot| showed. A pair keeps the
 * worst answer it took part in; among equals the first found, the most
 * specific. */
static void mark(struct rb_act *x, const signed char *kind, int shot,
                 enum rb_mark m, enum rb_how how, enum sc_verdict lv) {
  for (size_t i = 0; i < RB_MAXP; i++) {
    if (kind[i] < 0)
      continue;
    struct rb_cell *cl = &x->cell[i][(int)kind[i]];
    if (cl->mark == RB_BAD && (m != RB_BAD || cl->level >= lv))
      continue;
    cl->mark = (unsigned char)m;
    cl->how = (unsigned char)how;
    cl->level = (unsigned char)lv;
    cl->shot = shot;
  }
}

/* Filling a pool: the check that fills it, what it sends with, and
 * whether it may send more. */
struct rb_fill {
  struct ck *c;
  struct rb_run *run;
  struct rb_act *x;
  struct rb_pctx *p;
  struct sc_buf q, val;
  int stopped;
  /* parameters a value of which was not a success alone: their values
   * are sent alone, so that a refusal of theirs hides no other value */
  unsigned char alone[RB_MAXP];
};

static void fill_stop(struct rb_fill *f, const char *why) {
  f->stopped = 1;
  if (!f->x->unsent[0])
    snprintf(f->x->unsent, sizeof f->x->unsent, "%s", why);
}

/* Sends the request carrying |kind| from the filling check and keeps its
 * answer, judged, as a shot. Its index, or -1 when it was not sent (the
 * budget, the check stopped, memory): the fill stops, the pool's |unsent|
 * says why. */
static int pool_send(struct rb_fill *f, const signed char *kind) {
  struct ck *c = f->c;
  struct rb_act *x = f->x;
  char why[900], what[RB_WHAT];
  if (f->stopped)
    return -1;
  if (x->nshot == x->capshot) {
    size_t nc = x->capshot ? x->capshot * 2 : 16;
    struct rb_shot *ns = sc_realloc(x->shot, nc * sizeof *ns);
    if (!ns) {
      ck_error(c, "out of memory");
      fill_stop(f, "out of memory");
      return -1;
    }
    x->shot = ns;
    x->capshot = nc;
  }
  if (set_query(f->p, kind, &f->q, &f->val)) {
    ck_error(c, "out of memory");
    fill_stop(f, "out of memory");
    return -1;
  }
  set_label(f->p, kind, -1, &f->val, what, sizeof what);
  int budget = budgeted(c);
  if (budget) {
    turn_take(x);
    if (held_back(x, 1, why, sizeof why)) {
      turn_give(x);
      fill_stop(f, why);
      return -1;
    }
  }
  struct rb_shot *s = &x->shot[x->nshot];
  memset(s, 0, sizeof *s);
  memcpy(s->kind, kind, sizeof s->kind);
  ck_api_raw(c, &s->a, CK_WHO_KEY1, x->action, f->q.ptr, 0);
  if (budget) {
    budget_note(c, f->run, x, what, &s->a, 0);
    turn_give(x);
  }
  if (!s->a.ok && ck_done(c)) {
    ck_ans_free(&s->a);
    snprintf(why, sizeof why, "%s could not send them (its verdict says why)",
             ck_def(c)->id);
    fill_stop(f, why);
    return -1;
  }
  struct rb_find fd;
  assess(c, &f->p->v, &s->a, what, RB_SUCCESS_OK, "", &fd);
  s->level = fd.v;
  s->success = fd.success;
  return (int)x->nshot++;
}

/* The first required parameter of |v| other than the key, or NULL. */
static const char *first_required(const struct sc_view *v) {
  const cJSON *pj;
  cJSON_ArrayForEach(pj, v->params) {
    const char *type = ck_jstr(pj, "type");
    if (type && strcmp(type, "key") != 0 &&
        cJSON_IsTrue(ck_jget(pj, "required")))
      return ck_jstr(pj, "name");
  }
  return NULL;
}

/* Without control, before the pool may spend the action's one sale:
 * whether a bad value of a required parameter (its first, quotes and SQL)
 * buys something. If it does, that is the sale, and nothing else of the
 * action is sent that may buy. Not sent when a check of a required
 * parameter has had one refused already. The answer is kept for that
 * parameter's check, which judges it as its own (probe_of). */
static void pool_sentinel(struct rb_fill *f) {
  struct ck *c = f->c;
  struct rb_act *x = f->x;
  struct rb_pctx *p = f->p;
  const char *name = first_required(&p->v);
  int at = -1;
  for (int i = 0; name && i + 1 < p->nkv && at < 0; i += 2)
    if (strcmp(p->kv[i], name) == 0)
      at = i + 1;
  if (at < 0)
    return;
  signed char none[RB_MAXP];
  memset(none, -1, sizeof none);
  turn_take(x);
  pthread_mutex_lock(&rb_mu);
  int known = x->probed || x->required_sold;
  pthread_mutex_unlock(&rb_mu);
  const char *keep = p->kv[at];
  p->kv[at] = sql_value;
  if (!known && !set_query(p, none, &f->q, &f->val)) {
    char what[200], shown[96];
    show(shown, sizeof shown, sql_value, strlen(sql_value));
    snprintf(what, sizeof what, "%s='%s'", name, shown);
    struct ck_ans a;
    ck_api_raw(c, &a, CK_WHO_KEY1, x->action, f->q.ptr, 0);
    budget_note(c, f->run, x, what, &a, 1);
    pthread_mutex_lock(&rb_mu);
    x->probe = a;
    snprintf(x->probe_param, sizeof x->probe_param, "%s", name);
    pthread_mutex_unlock(&rb_mu);
  }
  p->kv[at] = keep;
  turn_give(x);
}

/* The answer the pool's probe got to bad input |k| of required parameter
 * |name|, or NULL when it sent none. */
static const struct ck_ans *probe_of(struct rb_act *x, const char *name,
                                     enum rb_kind k) {
  pthread_mutex_lock(&rb_mu);
  int kept = k == RB_SQL && strcmp(x->probe_param, name) == 0;
  pthread_mutex_unlock(&rb_mu);
  return kept ? &x->probe : NULL;
}

/* How a request without bad values is answered: sent once per pool, when
 * a request is answered otherwise than allowed; PASS when it cannot be
 * sent. */
static enum sc_verdict plain_level(struct rb_fill *f) {
  if (f->x->plain == -1 && !f->stopped) {
    signed char none[RB_MAXP];
    memset(none, -1, sizeof none);
    int s = pool_send(f, none);
    f->x->plain = s < 0 ? -2 : s;
  }
  return f->x->plain >= 0 ? f->x->shot[f->x->plain].level : SC_VERDICT_PASS;
}

static size_t count_pairs(const signed char *kind) {
  size_t n = 0;
  for (size_t i = 0; i < RB_MAXP; i++)
    n += kind[i] >= 0;
  return n;
}

/* The halves of |whole| (|n| pairs) into |half|. */
static void halves(const signed char *whole, size_t n,
                   signed char half[2][RB_MAXP]) {
  size_t k = 0;
  memset(half, -1, 2 * RB_MAXP);
  for (size_t i = 0; i < RB_MAXP; i++)
    if (whole[i] >= 0) {
      half[k < (n + 1) / 2 ? 0 : 1][i] = whole[i];
      k++;
    }
}

static void settle(struct rb_fill *f, int s);

/* Traces the answer of shot |s| (worse than a plain request's) to the
 * values that provoke it: each half of its request is sent again and
 * settled. When both halves are answered better than the whole, it takes
 * the values together; a half that cannot be sent keeps the whole's
 * answer, not narrowed down. */
static void locate(struct rb_fill *f, int s) {
  signed char whole[RB_MAXP], half[2][RB_MAXP];
  memcpy(whole, f->x->shot[s].kind, sizeof whole);
  enum sc_verdict lv = f->x->shot[s].level, worst = SC_VERDICT_PASS;
  halves(whole, count_pairs(whole), half);
  int both = 1;
  for (int h = 0; h < 2; h++) {
    int t = pool_send(f, half[h]);
    if (t < 0) {
      mark(f->x, half[h], s, RB_BAD, RB_UNNARROWED, lv);
      both = 0;
      continue;
    }
    if (f->x->shot[t].level > worst)
      worst = f->x->shot[t].level;
    settle(f, t);
  }
  if (both && worst < lv)
    mark(f->x, whole, s, RB_BAD, RB_TOGETHER, lv);
}

/* Shot |s| is a refusal of several values, which may hide what the
 * others do: each half is sent again and settled, down to the values
 * refused alone. A half that cannot be sent keeps the whole's refusal. */
static void unmask(struct rb_fill *f, int s) {
  signed char whole[RB_MAXP], half[2][RB_MAXP];
  memcpy(whole, f->x->shot[s].kind, sizeof whole);
  halves(whole, count_pairs(whole), half);
  for (int h = 0; h < 2; h++) {
    int t = pool_send(f, half[h]);
    if (t < 0)
      mark(f->x, half[h], s, RB_FINE, RB_ALONE, SC_VERDICT_PASS);
    else
      settle(f, t);
  }
}

/* What the answer of shot |s| says of its values: a success is fine for
 * them all; a refusal is fine for a value alone, and is split when it
 * covers several (unmask); an answer the documents do not allow is traced
 * to its values (locate), unless a plain request is answered so too. A
 * value alone that is not a success sends its parameter's others alone. */
static void settle(struct rb_fill *f, int s) {
  const struct rb_shot *sh = &f->x->shot[s];
  signed char kind[RB_MAXP];
  memcpy(kind, sh->kind, sizeof kind);
  size_t n = count_pairs(kind);
  enum sc_verdict lv = sh->level;
  if (n == 1 && !(lv == SC_VERDICT_PASS && sh->success))
    for (size_t i = 0; i < RB_MAXP; i++)
      if (kind[i] >= 0)
        f->alone[i] = 1;
  if (lv == SC_VERDICT_PASS && (sh->success || n == 1))
    mark(f->x, kind, s, RB_FINE, RB_ALONE, lv);
  else if (lv == SC_VERDICT_PASS)
    unmask(f, s);
  else if (lv <= plain_level(f))
    mark(f->x, kind, s, RB_BAD, RB_ANYWAY, lv);
  else if (n == 1)
    mark(f->x, kind, s, RB_BAD, RB_ALONE, lv);
  else
    locate(f, s);
}

/* Sends the pairs of |kind|, if any, and settles the answer. */
static void pool_try(struct rb_fill *f, const signed char *kind) {
  if (!count_pairs(kind))
    return;
  int s = pool_send(f, kind);
  if (s < 0)
    mark(f->x, kind, -1, RB_UNSENT, RB_ALONE, SC_VERDICT_PASS);
  else
    settle(f, s);
}

/* Row |r| of the square of |rows| rows: the kind of each optional
 * parameter in column (r + i) mod rows, -1 where the column is past the
 * kinds or its kind does not apply. 0 when the row holds none. */
static int square_row(const struct rb_pctx *x, size_t r, size_t rows,
                      signed char *kind, struct sc_buf *val) {
  int any = 0;
  memset(kind, -1, RB_MAXP);
  for (size_t i = 0; i < x->np; i++) {
    size_t col = (r + i) % rows;
    if (col < RB_NOPT && bad_value(&x->p[i], opt_kinds[col], val)) {
      kind[i] = (signed char)opt_kinds[col];
      any = 1;
    }
  }
  return any;
}

/* Sends the rows of the square, each answer settled; the values of a
 * parameter sent alone (rb_fill.alone) go in requests of their own. */
static void pool_fill(struct rb_fill *f) {
  size_t np = f->p->np, rows = np > RB_NOPT ? np : RB_NOPT;
  struct ck *c = f->c;
  if (budgeted(c))
    pool_sentinel(f);
  /* with control every request that is not refused buys, until the next
   * reset: enough stock and money that none is refused for want of them
   * (a refusal would stand for the values' answer). The sandbox the
   * checks share has them (ck_provision); one that runs alone from a
   * reset is given them here. */
  if (ck_has_sandbox(c))
    ck_provision(c);
  for (size_t r = 0; r < rows; r++) {
    signed char kind[RB_MAXP], rest[RB_MAXP], one[RB_MAXP];
    unsigned char apart[RB_MAXP];
    if (!square_row(f->p, r, rows, kind, &f->val))
      continue;
    memcpy(rest, kind, sizeof rest);
    for (size_t i = 0; i < RB_MAXP; i++) {
      apart[i] = kind[i] >= 0 && f->alone[i];
      if (apart[i])
        rest[i] = -1;
    }
    pool_try(f, rest);
    for (size_t i = 0; i < RB_MAXP; i++) {
      if (!apart[i])
        continue;
      memset(one, -1, sizeof one);
      one[i] = kind[i];
      pool_try(f, one);
    }
  }
}

/* Keeps the pooled parameters' names and valid values for the checks
 * that read the pool. */
static void keep_params(struct rb_act *x, const struct rb_pctx *p) {
  x->np = p->np;
  for (size_t i = 0; i < p->np; i++) {
    snprintf(x->name[i], sizeof x->name[i], "%s", p->p[i].name);
    x->has_good[i] = p->p[i].good != NULL;
    snprintf(x->good[i], sizeof x->good[i], "%s",
             p->p[i].good ? p->p[i].good : "");
  }
}

/* The pool of the check's action, filled: by this check when it is the
 * first to need it (the others wait until it is), else as another check
 * filled it. NULL when it could not be filled (the check's finding is
 * stated, and the next check tries again). */
static struct rb_act *pool_get(struct ck *c, struct rb_run *run,
                               const struct sc_view *v) {
  struct rb_act *x = act_of(run, ck_def(c)->action);
  if (!x) {
    ck_error(c, "out of memory");
    return NULL;
  }
  pthread_mutex_lock(&rb_mu);
  while (x->state == RB_POOL_FILLING)
    pthread_cond_wait(&rb_cv, &rb_mu);
  int mine = x->state == RB_POOL_EMPTY;
  if (mine)
    x->state = RB_POOL_FILLING;
  pthread_mutex_unlock(&rb_mu);
  if (!mine)
    return x;
  struct rb_fill f = {.c = c, .run = run, .x = x};
  f.p = sc_calloc(1, sizeof *f.p);
  int ok = f.p && !pctx_init(c, v, f.p);
  if (!f.p)
    ck_error(c, "out of memory");
  if (ok) {
    keep_params(x, f.p);
    sc_buf_init(&f.q, 1 << 16);
    sc_buf_init(&f.val, RB_LONG + 64);
    pool_fill(&f);
    sc_buf_free(&f.q);
    sc_buf_free(&f.val);
  }
  sc_free(f.p);
  pthread_mutex_lock(&rb_mu);
  x->state = ok ? RB_POOL_FILLED : RB_POOL_EMPTY;
  pthread_cond_broadcast(&rb_cv);
  pthread_mutex_unlock(&rb_mu);
  return ok ? x : NULL;
}

/* ---- robust.<action>.<param> -------------------------------------------- */

/* The parameter |idx| of pool |x| as it was sent. */
static void pool_param(const struct rb_act *x, const struct sc_view *v,
                       int idx, struct rb_param *p) {
  rb_param_init(p, ck_param_named(v, x->name[idx]));
  p->good = x->has_good[idx] ? x->good[idx] : NULL;
}

/* |names| with what the way its request was traced says of it. */
static void how_text(const struct rb_act *x, const struct rb_cell *cl,
                     const char *names, char *out, size_t n) {
  switch ((enum rb_how)cl->how) {
  case RB_TOGETHER:
    snprintf(out, n, "%s (each half of them alone is answered as allowed)",
             names);
    break;
  case RB_ANYWAY:
    snprintf(out, n, "%s (a request without bad values is answered so too)",
             names);
    break;
  case RB_UNNARROWED:
    snprintf(out, n, "%s (which of them provokes it was not narrowed down: %s)",
             names, x->unsent);
    break;
  default:
    snprintf(out, n, "%s", names);
  }
}

/* The check is BLOCKED by the action's format check: a request without
 * bad values is answered the same way (RB_ANYWAY, fails_anyway). */
static void blocked_by_format(struct ck *c, const struct sc_view *v) {
  char owner[96];
  snprintf(owner, sizeof owner, "format.%s", v->action->name);
  ck_blocked(c, owner,
             "%s answers a request without bad values the same way: "
             "the bad values cannot be judged apart from it",
             v->action->name);
}

/* The pair of cell |cl| (of parameter |idx|) took part in a request that
 * was answered otherwise than the documents allow: the check sends that
 * request again itself, so that the report's reproduction is its own, and
 * states the finding; the first answer's when the endpoint answers as
 * allowed this time. */
static void confirm(struct ck *c, struct rb_run *run, const struct sc_view *v,
                    struct rb_act *x, int idx, const struct rb_cell *cl) {
  const struct rb_shot *s = &x->shot[cl->shot];
  if (cl->how == RB_ANYWAY && s->level == SC_VERDICT_FAIL) {
    /* no bad value is the cause: the action answers a plain request the
     * same way, and that answer is its format check's finding (a WARN
     * there is this check's WARN as well) */
    blocked_by_format(c, v);
    return;
  }
  const char *tail = ", or a success: the parameter is optional";
  struct rb_pctx *p = sc_calloc(1, sizeof *p);
  struct sc_buf q, val;
  sc_buf_init(&q, 1 << 16);
  sc_buf_init(&val, RB_LONG + 64);
  if (!p || pctx_init(c, v, p) || set_query(p, s->kind, &q, &val)) {
    if (!ck_done(c))
      ck_error(c, "out of memory");
    goto out;
  }
  char names[RB_WHAT], what[RB_WHAT + 1200];
  set_label(p, s->kind, idx, &val, names, sizeof names);
  how_text(x, cl, names, what, sizeof what);
  struct ck_ans a;
  struct rb_find f;
  /* a request answered otherwise than allowed normally buys nothing: sent
   * again whatever the budget, and booked against it */
  if (budgeted(c))
    turn_take(x);
  ck_api_raw(c, &a, CK_WHO_KEY1, v->action->name, q.ptr, 0);
  if (budgeted(c)) {
    budget_note(c, run, x, names, &a, 0);
    turn_give(x);
  }
  if (!ck_done(c)) {
    assess(c, v, &a, what, RB_SUCCESS_OK, tail, &f);
    const struct ck_ans *kept = &a;
    if (f.v == SC_VERDICT_PASS) {
      size_t o = strlen(what);
      snprintf(what + o, sizeof what - o,
               ", the first time it was sent (answered as allowed again)");
      assess(c, v, &s->a, what, RB_SUCCESS_OK, tail, &f);
      kept = &s->a;
    }
    state(c, &f);
    ck_judged(c, kept);
  }
  ck_ans_free(&a);
out:
  sc_buf_free(&q);
  sc_buf_free(&val);
  sc_free(p);
}

/* robust.<action>.<param> of an optional parameter of an action that
 * sells: the verdict from the answers of the pool's requests that carried
 * the parameter. */
static void chk_pooled(struct ck *c, struct rb_run *run,
                       const struct sc_view *v) {
  const char *name = ck_def(c)->arg;
  struct rb_act *x = pool_get(c, run, v);
  if (!x)
    return;
  int idx = -1;
  for (size_t i = 0; i < x->np && idx < 0; i++)
    if (strcmp(x->name[i], name) == 0)
      idx = (int)i;
  if (idx < 0) {
    ck_error(c, "the pool of %s holds no %s", v->action->name, name);
    return;
  }
  struct rb_param p;
  pool_param(x, v, idx, &p);
  struct sc_buf val;
  sc_buf_init(&val, RB_LONG + 64);
  char unsent[700], what[200];
  size_t o = 0, nunsent = 0, nall = 0;
  for (int k = 0; k < RB__COUNT && !ck_done(c); k++) {
    const struct rb_cell *cl = &x->cell[idx][k];
    if (cl->mark == RB_NONE)
      continue;
    nall++;
    if (cl->mark == RB_BAD) {
      confirm(c, run, v, x, idx, cl);
    } else if (cl->mark == RB_UNSENT) {
      bad_value(&p, (enum rb_kind)k, &val);
      label(what, sizeof what, &p, (enum rb_kind)k, &val);
      cat(unsent, sizeof unsent, &o, nunsent++ ? ", " : "", what);
    }
  }
  sc_buf_free(&val);
  if (nunsent && !ck_done(c))
    ck_skip(c, "%zu of the %zu bad values of %s were not sent (%s): %s",
            nunsent, nall, name, unsent, x->unsent);
  else if (!ck_done(c))
    ck_ok(c);
}

/* What send_each works with. */
struct rb_each {
  struct ck *c;
  struct rb_run *run;
  const struct sc_view *v;
  struct rb_param p;
  const char *kv[32];
  int nkv;
  enum rb_success weak;
  struct rb_act *x; /* the budget of the action (no control), or NULL */
  struct sc_buf q, val;
  char unsent[700], why[900];
  size_t o, nunsent, nall;
};

/* Whether any parameter of |v| goes into a pool. */
static int has_pool(const struct sc_view *v) {
  const cJSON *pj;
  cJSON_ArrayForEach(pj, v->params) {
    if (poolable(pj))
      return 1;
  }
  return 0;
}

/* Sends bad input |k| of the parameter, if it applies and the budget
 * lets it, and judges the answer. */
/* The code of the worst FAIL among |a|'s deviations, or SC_DEV__COUNT. */
static enum sc_dev fail_code(const struct ck_ans *a) {
  enum sc_dev d = SC_DEV__COUNT;
  for (size_t i = 0; a->ok && i < a->res.ndevs; i++)
    if (a->res.devs[i].verdict >= SC_VERDICT_FAIL) {
      d = a->res.devs[i].code;
      break;
    }
  return d;
}

/* |a| is a success whose form fails (or no protocol answer at all), and a
 * request without bad values is answered with the same failure: the
 * action's format check owns it, not the bad value. The request without bad values is the action's pool's,
 * else (with control, where it costs nothing real) one sent now. */
static int fails_anyway(struct rb_each *e, const struct ck_ans *a) {
  struct ck *c = e->c;
  enum sc_dev d = fail_code(a);
  enum sc_kind kind = a->res.kind;
  if ((kind != SC_KIND_SUCCESS && kind != SC_KIND_NOT_PROTOCOL) ||
      d == SC_DEV__COUNT)
    return 0;
  const char *action = ck_def(c)->action;
  struct rb_act *x = e->x ? e->x : e->run ? act_of(e->run, action) : NULL;
  int same = -1;
  if (x) {
    pthread_mutex_lock(&rb_mu);
    if (x->plain >= 0)
      same = x->shot[x->plain].a.res.kind == kind &&
             fail_code(&x->shot[x->plain].a) == d;
    pthread_mutex_unlock(&rb_mu);
  }
  if (same >= 0 || !ck_opts(c)->control || !e->p.good)
    return same > 0;
  struct sc_buf q;
  sc_buf_init(&q, 1 << 16);
  sc_buf_adds(&q, "action=");
  form_escape(&q, action, strlen(action));
  for (int i = 0; i + 1 < e->nkv; i += 2)
    form_pair(&q, e->kv[i], e->kv[i + 1], strlen(e->kv[i + 1]));
  form_pair(&q, e->p.name, e->p.good, strlen(e->p.good));
  sc_buf_add(&q, "", 0);
  struct ck_ans plain;
  memset(&plain, 0, sizeof plain);
  if (!q.err)
    ck_api_raw(c, &plain, CK_WHO_KEY1, action, q.ptr, 0);
  same = plain.res.kind == kind && fail_code(&plain) == d;
  ck_ans_free(&plain);
  sc_buf_free(&q);
  return same;
}

/* As judge, except that a FAIL a request without bad values gets too
 * (fails_anyway) makes the check BLOCKED by the action's format check. */
static void judge_each(struct rb_each *e, const struct ck_ans *a,
                       const char *what, enum rb_success succ,
                       const char *tail) {
  struct rb_find f;
  assess(e->c, e->v, a, what, succ, tail, &f);
  if (f.v == SC_VERDICT_FAIL && fails_anyway(e, a))
    blocked_by_format(e->c, e->v);
  else
    state(e->c, &f);
}

static void send_kind(struct rb_each *e, enum rb_kind k) {
  struct ck *c = e->c;
  const struct rb_param *p = &e->p;
  const char *action = ck_def(c)->action;
  char what[200];
  if (!bad_value(p, k, &e->val))
    return;
  e->nall++;
  label(what, sizeof what, p, k, &e->val);
  /* a request that may buy: nothing in it is a bad required value */
  int may_buy = !p->required || (k == RB_REPEATED && p->good);
  /* the one sale goes to the pool first: a request of it covers a pair
   * of every optional parameter */
  if (e->x && may_buy && has_pool(e->v) && !pool_get(c, e->run, e->v))
    return;
  if (e->x) {
    turn_take(e->x);
    const struct ck_ans *kept = probe_of(e->x, p->name, k);
    if (kept) {
      turn_give(e->x);
      judge_each(e, kept, what, e->weak, "");
      ck_judged(c, kept);
      return;
    }
    if (held_back(e->x, may_buy, e->why, sizeof e->why)) {
      turn_give(e->x);
      cat(e->unsent, sizeof e->unsent, &e->o, e->nunsent++ ? ", " : "",
          what);
      return;
    }
  }
  sc_buf_reset(&e->q);
  sc_buf_adds(&e->q, "action=");
  form_escape(&e->q, action, strlen(action));
  for (int i = 0; i + 1 < e->nkv; i += 2)
    form_pair(&e->q, e->kv[i], e->kv[i + 1], strlen(e->kv[i + 1]));
  add_bad(&e->q, p, k, &e->val);
  sc_buf_add(&e->q, "", 0);
  if (e->q.err) {
    if (e->x)
      turn_give(e->x);
    ck_error(c, "out of memory");
    return;
  }
  /* a success is fine where the value may be ignored; a C endpoint
   * that reads "x\0..." as "x" may find it valid: a WARN, it refused
   * nothing it could not read */
  enum rb_success succ =
      !p->required || (k == RB_REPEATED && p->good) ? RB_SUCCESS_OK
      : k == RB_CONTROL && e->weak == RB_SUCCESS_FAIL ? RB_SUCCESS_NUL
                                                      : e->weak;
  struct ck_ans a;
  ck_api_raw(c, &a, CK_WHO_KEY1, action, e->q.ptr, 0);
  if (e->x) {
    budget_note(c, e->run, e->x, what, &a, !may_buy);
    turn_give(e->x);
  }
  /* a purchase a bad value did not prevent is booked by the engine */
  judge_each(e, &a, what, succ,
             p->required ? "" : ", or a success: the parameter is optional");
  ck_judged(c, &a);
  ck_ans_free(&a);
}

/* robust.<action>.<param> with a request of its own for each bad input:
 * a required parameter, or one of an action that buys nothing. */
static void send_each(struct ck *c, struct rb_run *run,
                      const struct sc_view *v, const cJSON *pj) {
  const struct ck_def *d = ck_def(c);
  struct rb_each e = {.c = c, .run = run, .v = v};
  rb_param_init(&e.p, pj);
  char obj[64];
  if (!get_object(c, obj, sizeof obj))
    return;
  e.nkv = plain_call(c, v, obj[0] ? obj : NULL, e.p.name, e.kv, 32, &e.p.good);
  if (e.nkv < 0) {
    ck_error(c, "no value known for a required parameter of %s", d->action);
    return;
  }
  param_good(&e.p);
  /* a bad required value may only be accepted where the action has no
   * error to refuse it with (never an id: an id that names nothing is
   * never found) */
  e.weak = own_errors(v) || (e.p.type && strcmp(e.p.type, "id") == 0)
               ? RB_SUCCESS_FAIL
               : RB_SUCCESS_WARN;
  if (budgeted(c) && !(e.x = act_of(run, d->action))) {
    ck_error(c, "out of memory");
    return;
  }
  sc_buf_init(&e.val, RB_LONG + 64);
  sc_buf_init(&e.q, 1 << 16);
  for (int k = 0; k < RB__COUNT && !ck_done(c); k++)
    send_kind(&e, (enum rb_kind)k);
  sc_buf_free(&e.val);
  sc_buf_free(&e.q);
  if (e.nunsent && !ck_done(c))
    ck_skip(c, "%zu of the %zu bad values of %s were not sent (%s): %s",
            e.nunsent, e.nall, e.p.name, e.unsent, e.why);
  else if (!ck_done(c))
    ck_ok(c);
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
  /* only checks that buy, or need an activation or a rent, share */
  struct rb_run *run = d->iarg ? run_get(c) : NULL;
  if (d->iarg && !run) {
    ck_error(c, "out of memory");
    return;
  }
  if ((d->iarg & RB_SPENDS) && pool_index(&v, d->arg) >= 0)
    chk_pooled(c, run, &v);
  else
    send_each(c, run, &v, pj);
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
        d.needs = CK_SPEND;
      snprintf(d.arg, sizeof d.arg, "%s", name);
      snprintf(d.group, sizeof d.group, RB_ID ".%s", a->valuestring);
      /* without control the checks that need an activation (a rent) read
       * what the hostile getNumber (getRentNumber) bought (make_object) */
      if (flags & (RB_ACTIVATION | RB_RENT))
        snprintf(d.after, sizeof d.after, RB_ID ".%s",
                 flags & RB_ACTIVATION ? "getNumber" : "getRentNumber");
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
