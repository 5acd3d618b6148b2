/* sc_record.h — recordings of a run's exchanges: `run --record DIR` saves
 * every request and answer per check, `run --replay DIR` runs the checks
 * again with the recorded answers instead of the network, so a recording
 * can be re-judged offline by a newer spec or parser.
 *
 * DIR/recording.json:
 *   {"schema": "smsconform-recording/1", "profile": "...", "target": "...",
 *    "control": "...",
 *    "checks": {"<check id>": [{"method", "url", "body", "auth",
 *       "status", "content_type", "headers", "response" | "response_base64",
 *       "response_len", "response_cut", "error", "errmsg", "ms"}, ...]}}
 * Requests and answers are stored with the keys already replaced by
 * $SMSCONFORM_KEY / $SMSCONFORM_KEY2 (the caller redacts).
 *
 * Memory: a recording keeps answers whole up to SC_RECORD_BODIES_MAX
 * bytes in all; past that an answer keeps its first SC_RECORD_CUT_LEN
 * bytes, "response_len" its length and "response_cut" true, so that an
 * endpoint answering a megabyte to each of thousands of requests cannot
 * make a run hold gigabytes. Replaying a cut answer is SC_RECORD_CUT. */
#ifndef SC_RECORD_H
#define SC_RECORD_H

#include "sc_http.h"

#include <stddef.h>

#define SC_RECORD_SCHEMA "smsconform-recording/1"

#define SC_RECORD_BODIES_MAX ((size_t)32 << 20)
#define SC_RECORD_CUT_LEN ((size_t)4096)

/* A request as recorded and compared: redacted strings (NULL = none). */
struct sc_record_req {
  const char *method;
  const char *url;
  const char *body;
  const char *auth;
};

struct sc_record;

/* An empty recording of a run against |target| (and |control|, or NULL)
 * to add to. NULL when out of memory. */
struct sc_record *sc_record_new(const char *profile, const char *target,
                                const char *control);
/* Appends one exchange of |check| (thread-safe). |body|/|body_len| is the
 * redacted answer body (may hold NUL bytes). Returns 0 or -1 (memory). */
int sc_record_add(struct sc_record *rec, const char *check,
                  const struct sc_record_req *q,
                  const struct sc_http_resp *resp, const char *body,
                  size_t body_len);
/* |check| starts (or starts again, run alone: what it recorded before is
 * dropped): it is in the recording even when it sends nothing, so that a
 * replay runs it. Returns 0 or -1 (memory). */
int sc_record_begin(struct sc_record *rec, const char *check);
/* Answer bytes kept whole from now on, instead of SC_RECORD_BODIES_MAX
 * (for tests). */
void sc_record_limit(struct sc_record *rec, size_t bytes);
/* Writes DIR/recording.json (creating DIR), one check at a time. 0, or -1
 * with a message. */
int sc_record_save(const struct sc_record *rec, const char *dir, char *err,
                   size_t errlen);

/* Reads DIR/recording.json. NULL with a message when it cannot. */
struct sc_record *sc_record_load(const char *dir, char *err, size_t errlen);
/* What the recording was made with: profile, handler/base URL, control
 * URL ("" when not said). */
const char *sc_record_profile(const struct sc_record *rec);
const char *sc_record_target(const struct sc_record *rec);
const char *sc_record_control(const struct sc_record *rec);
/* True when |check| was recorded. */
int sc_record_has(const struct sc_record *rec, const char *check);

/* The seed of the run's random ids ("seed"): a recording keeps it, so that
 * a replay sends the ids the recorded run sent. sc_record_seed is 0 when
 * the recording has none. sc_record_set_seed returns -1 when out of
 * memory. */
int sc_record_set_seed(struct sc_record *rec, unsigned long long seed);
unsigned long long sc_record_seed(const struct sc_record *rec);

#define SC_RECORD_OK 0
#define SC_RECORD_END 1      /* the check made fewer requests then */
#define SC_RECORD_DIVERGED 2 /* the request differs from the recorded one */
#define SC_RECORD_CUT 3      /* the answer was kept only in part */
#define SC_RECORD_NOMEM 4    /* the answer could not be copied */

/* The |i|-th recorded answer of |check| into |resp| (release with
 * sc_http_resp_free), after comparing |q| with the recorded request
 * (method, URL and body must match). Returns SC_RECORD_OK, or END,
 * DIVERGED, CUT (|resp| holds the part kept) or NOMEM (|resp| holds no
 * answer: err SC_HTTP_OTHER, nothing to free) with a message in |err|. */
int sc_record_get(const struct sc_record *rec, const char *check, size_t i,
                  const struct sc_record_req *q, struct sc_http_resp *resp,
                  char *err, size_t errlen);

void sc_record_destroy(struct sc_record *rec);

#endif
