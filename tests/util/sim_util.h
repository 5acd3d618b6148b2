/* sim_util.h — helpers for the simulator tests: start a simulator, talk
 * HTTP to it with libcurl, drive the control protocol.
 *
 * Criterion re-execs its workers, so every Test starts its own simulator on
 * 127.0.0.1 port 0 and stops it before returning. Functions named su_*
 * assert (main test thread only); su_fetch does not (any thread). */
#ifndef SIM_UTIL_H
#define SIM_UTIL_H

#include "sc_sim.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <smsconform/smsconform.h>

/* Starts a simulator; |cfg| NULL fields take these defaults: host
 * 127.0.0.1, keys "K1:10,K2", seed 42, catalogue tests/data/sim/
 * fixture.json (five services in three countries, so that exact answers
 * do not move when the default catalogue grows; su_default_catalogue
 * selects the embedded default). early_cancel/lifetime as given (pass -1/0
 * for the profile's own). */
struct sc_sim *su_start_cfg(struct sc_sim_config cfg);
extern const char su_default_catalogue[];
/* The reference profile, keys K1:10,K2, seed 42, 120 s window, 1200 s
 * lifetime, with |faults| (NULL = none). */
struct sc_sim *su_start(const char *profile, const char *faults);
void su_stop(struct sc_sim *s);

struct su_resp {
  long code;
  char *body; /* NUL-terminated; free with su_resp_free */
  char ctype[128];
  char headers[4096]; /* raw response header lines */
};
void su_resp_free(struct su_resp *r);

/* One request; |body| NULL = GET unless |method| says otherwise;
 * |headers| a NULL-terminated list of "Name: value" lines (or NULL).
 * Returns 0, or -1 on a transport error. No assertions. */
int su_fetch(const char *url, const char *method, const char *body,
             const char *const *headers, struct su_resp *out);

/* su_fetch on the simulator's |path|, asserting an answer came. */
struct su_resp su_http(struct sc_sim *s, const char *method, const char *path,
                       const char *body, const char *const *headers);

/* GET /stubs/handler_api.php?|query|; asserts HTTP 200; the body (free
 * with sc_free). */
char *su_api(struct sc_sim *s, const char *query);
/* ... and expects the body to be exactly |want|. */
void su_api_expect(struct sc_sim *s, const char *query, const char *want);
/* printf-style query. */
char *su_apif(struct sc_sim *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* POST /control/|path| with |json|; expects status |want| and an
 * {"ok":true} (200) or {"error":…} (otherwise) body. */
void su_ctl_expect(struct sc_sim *s, const char *path, const char *json,
                   long want);
/* The parsed GET /control/state (free with cJSON_Delete). */
cJSON *su_state(struct sc_sim *s);

/* Buys |service|/|country| with |key| via getNumber; the activation id. */
unsigned long long su_buy(struct sc_sim *s, const char *key,
                          const char *service, const char *country);

/* GET /stubs/handler_api.php?<printf query>: the whole answer (free with
 * su_resp_free); asserts only that an answer came. */
struct su_resp su_getf(struct sc_sim *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The parser's verdict on |body| as the answer to |action| in |profile|
 * (NULL = reference), with HTTP |code| and content type |ctype| (NULL =
 * unknown); and the same for a whole answer. */
enum sc_verdict su_verdict_body(const char *action, const char *profile,
                                long code, const char *ctype, const char *body);
enum sc_verdict su_verdict(const char *action, const char *profile,
                           const struct su_resp *r);

/* Judges |r| with the shared parser as an answer to |action| in |profile|
 * (NULL = reference) and expects no FAIL: every answer the simulator gives
 * must pass the suite's own parser. |want_kind| (e.g. "success", "error",
 * "status") is checked too unless NULL. */
void su_expect_pass(const char *action, const char *profile,
                    const struct su_resp *r, const char *want_kind);

#endif
