/* sc_report.h — the outcome of a run, and the writers that turn it into
 * JUnit XML, TAP 14, JSON, Markdown and one self-contained HTML file.
 *
 * The runner fills a struct sc_report; the writers only read it. Every
 * string that came from an endpoint (bodies, content types, messages that
 * quote them) is untrusted: the writers escape it for their format, and
 * the API key never reaches a report (the runner redacts it before it is
 * stored here). */
#ifndef SC_REPORT_H
#define SC_REPORT_H

#include <smsconform/smsconform.h>

#include <stddef.h>
#include <stdio.h>

/* Check categories: X(name, spelling). */
#define SC_CAT_MAP(X)                                                        \
  X(SUPPORT, "support")                                                      \
  X(FORMAT, "format")                                                        \
  X(ERROR, "error")                                                          \
  X(LIFECYCLE, "lifecycle")                                                  \
  X(MONEY, "money")                                                          \
  X(ISOLATION, "isolation")                                                  \
  X(ROBUSTNESS, "robustness")                                                \
  X(TRANSPORT, "transport")                                                  \
  X(REST, "rest")                                                            \
  X(WEBHOOK, "webhook")

enum sc_cat {
#define SC_CAT_ENUM(name, str) SC_CAT_##name,
  SC_CAT_MAP(SC_CAT_ENUM)
#undef SC_CAT_ENUM
  SC_CAT__COUNT
};

const char *sc_cat_name(enum sc_cat c);

/* One HTTP exchange as the report shows it (key already redacted). */
struct sc_exchange {
  char *method;
  char *url;
  char *request_body; /* NULL when none */
  char *request_auth; /* the Authorization value, key redacted; or NULL */
  long status;        /* 0 when no answer */
  char *content_type; /* NULL when none */
  char *body;         /* possibly binary; body_len bytes, NUL-terminated */
  size_t body_len;
  int body_truncated; /* the report keeps at most SC_REPORT_BODY_MAX */
  char *transport_error; /* NULL when an answer came */
  double ms;
};

#define SC_REPORT_BODY_MAX 4096

/* One check's outcome. */
struct sc_check_result {
  char *id;          /* stable: "error.getStatus.NO_ACTIVATION" */
  enum sc_cat cat;
  char *action;      /* NULL for checks not about one action */
  char *tags;        /* space-separated */
  char *requirement; /* one sentence: what the document demands */
  char *doc;         /* source document file name */
  char *section;     /* section heading in it */
  enum sc_verdict verdict;
  char *message;     /* one line; NULL on PASS */
  char *expected;    /* NULL when not applicable */
  char *actual;
  char *curl;        /* one-line reproduction, key as $SMSCONFORM_KEY */
  int baseline;      /* 1: a known failure accepted by --baseline */
  /* BLOCKED: the id of the check that owns the step that failed
   * ("format.getBalance"); NULL otherwise */
  char *blocked_by;
  /* A short statement of why the check did not pass, the same for every
   * check that did not pass for the same reason ("getBalance unusable",
   * "wrong key answered with JSON_SHAPE"); the reports group findings by
   * it. NULL on PASS. */
  char *cause;
  /* The answer the verdict rests on: its HTTP status (0 = none) and the
   * parser's deviations on it, in the parser's order. */
  long http_status;
  struct sc_check_dev *devs;
  size_t ndevs;
  struct sc_exchange *ex;
  size_t nex;
  double ms;
};

/* One deviation the parser found in the answer a check judged. */
struct sc_check_dev {
  char *code;    /* SC_DEV_MAP name: "JSON_MISSING" */
  enum sc_verdict verdict;
  size_t offset; /* byte offset into the body */
  char *message; /* the parser's message, with the JSON path when it has
                    one ("$: required key \"activeActivations\" is
                    missing") */
};

/* What became of a purchase by the end of the run. */
#define SC_SPEND_STATE_MAP(X)                                                \
  X(RELEASED, "released")       /* cancelled, the money came back */         \
  X(USED, "used")               /* a code came or it was completed: kept */  \
  X(LEFT_ACTIVE, "left-active") /* still held: cancelling was refused or    \
                                   not possible in this run */

enum sc_spend_state {
#define SC_SPEND_ENUM(name, str) SC_SPEND_##name,
  SC_SPEND_STATE_MAP(SC_SPEND_ENUM)
#undef SC_SPEND_ENUM
  SC_SPEND__COUNT
};

const char *sc_spend_state_name(enum sc_spend_state s);

/* A purchase made during the run. */
struct sc_spend {
  char *what;  /* "getNumber tg/0" */
  char *id;    /* activation or rent id */
  char *check; /* the id of the check whose request bought it */
  double cost; /* the price paid; meaningful only when cost_known */
  int cost_known;
  int refunded; /* the money came back (state RELEASED) */
  enum sc_spend_state state;
  char *note;  /* why it was left active, or NULL */
};

struct sc_report {
  char *tool;    /* "smsconform 0.1.0" */
  char *target;  /* the URL checked (no key) */
  char *profile;
  char *started; /* RFC 3339 UTC */
  double seconds;
  unsigned long requests;
  int strict;    /* WARN counts as failure */
  struct sc_check_result *results;
  size_t nresults;
  struct sc_spend *spend;
  size_t nspend;
  double max_spend; /* the run's ceiling; < 0 = none */
  /* Scope: the actions the endpoint does not implement (support.*),
   * NULL-terminated or NULL. */
  char **unsupported;
  size_t counts[SC_VERDICT__COUNT]; /* filled by sc_report_count */
};

/* True when |c| fails the run: FAIL or ERROR, WARN under strict, or a
 * BLOCKED that nothing explains (sc_report_unexplained), and not accepted
 * by the baseline. */
int sc_report_blocks(const struct sc_report *r,
                     const struct sc_check_result *c);
/* The number of results that fail the run (exit code 1 when > 0). */
size_t sc_report_blockers(const struct sc_report *r);
/* 1 when |c| is BLOCKED and no result of |r| explains it: its blocked_by
 * names no check of |r| with FAIL, ERROR or UNSUPPORTED (directly, or
 * through checks BLOCKED themselves, at most 8 links). Such a result fails
 * the run as an ERROR (unless the baseline accepts it): a step failed
 * that no check of the run owns. An explained BLOCKED never fails it, and
 * UNSUPPORTED never does: the owner's failure carries the exit code. */
int sc_report_unexplained(const struct sc_report *r,
                          const struct sc_check_result *c);

/* Fills |r->counts| from the results. */
void sc_report_count(struct sc_report *r);
/* Free what one exchange / one result owns (the struct itself stays). */
void sc_exchange_free(struct sc_exchange *e);
void sc_check_result_free(struct sc_check_result *c);
/* Frees everything |r| owns (strings, arrays) and zeroes it. */
void sc_report_free(struct sc_report *r);

/* The writers: 0 on success, -1 on an I/O or allocation failure. Every
 * report opens with the findings grouped by cause (results that did not
 * pass with the same |cause|, a result without one under its own id),
 * largest group first, and carries the scope (|unsupported|) and the
 * ledger: each purchase, and spent (the known prices), refunded (those
 * released) and left active (count, ids, price). A purchase counts as
 * released only with state SC_SPEND_RELEASED and |refunded| set; with
 * state RELEASED and |refunded| 0 (a zeroed state) it is shown as left
 * active. */
int sc_report_junit(const struct sc_report *r, FILE *out);
int sc_report_tap(const struct sc_report *r, FILE *out);
int sc_report_json(const struct sc_report *r, FILE *out);
int sc_report_markdown(const struct sc_report *r, FILE *out);
int sc_report_html(const struct sc_report *r, FILE *out);
/* The summary `run` prints on the console: the findings by cause, every
 * result that fails the run with its detail (cause, blocked by, HTTP
 * status, deviations, source, reproduction), the counts per category and
 * verdict, the baseline (accepted failures, entries that no longer
 * fail), the scope, the ledger with the purchases left active, and the
 * final line ("FAIL  299 checks, 2059 requests, 0.21 s, spent 1.00,
 * profile P"). |color|: ANSI colours. Text from the model is escaped so
 * that it cannot drive a terminal. 0, or -1 on a write or allocation
 * failure. */
int sc_report_console(const struct sc_report *r, FILE *out, int color);

/* The writers' escaping, for other writers of untrusted text (the vendor
 * comparison, sc_compare_*.c). What cannot be shown as it is becomes \xNN
 * (a control character or a byte of invalid UTF-8) or \uNNNN (an invisible
 * or misleading code point) in the display modes. */
enum sc_report_esc {
  SC_REPORT_ESC_HTML, /* HTML text or a double-quoted attribute value */
  SC_REPORT_ESC_MD,   /* Markdown on one line, table cells included */
  SC_REPORT_ESC_LINE, /* one line of plain text (a code block) */
  SC_REPORT_ESC_TEXT, /* plain text, tabs and line breaks kept */
  SC_REPORT_ESC_JSON, /* inside a JSON string, lossless */
  SC_REPORT_ESC_JSON_SCRIPT /* as JSON, and <, >, & as \u00XX: safe inside
                               an HTML <script> element */
};

struct sc_buf;

/* Appends [s, s+n) to |b| escaped for |m|. In the display modes, when |cap|
 * is not 0, at most |cap| code points are shown, then an ellipsis. NULL |s|
 * appends nothing. Returns the buffer's error state (0 on success), or -1
 * for a mode outside the enum. */
int sc_report_escape(struct sc_buf *b, enum sc_report_esc m, const char *s,
                     size_t n, size_t cap);

/* The version of the JSON report's schema ("schema" key). Version 2 adds
 * to version 1, per result: "cause", "blocked_by", "http_status",
 * "deviations" [{code, verdict, offset, message}] (and "unexplained",
 * "baseline_stale" where they apply); per purchase: "check",
 * "cost_known" (and "cost": null when it is not), "state", "note"; and
 * at the top: "scope" {unsupported: [actions]}, "causes" [{cause, by_id,
 * count, verdicts {VERDICT: n}, accepted, blocked_by [ids], checks
 * [ids]}] and "ledger" {spent, refunded, unknown_cost, states {state: n},
 * left_active {count, cost, ids}, max_spend (null: none)}. `compare`
 * reads both versions. */
#define SC_REPORT_SCHEMA "smsconform-report/2"
#define SC_REPORT_SCHEMA_V1 "smsconform-report/1"

#endif
