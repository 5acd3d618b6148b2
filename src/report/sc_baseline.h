/* sc_baseline.h — known failures a CI job accepts (--baseline FILE).
 *
 * A baseline lists check ids whose failure is known and accepted: the run
 * still reports them (as "accepted by baseline") but they do not fail it,
 * so a CI job fails only on regressions. --update-baseline writes the
 * current failures as the new baseline. The file is JSON:
 *
 *   {"schema": "smsconform-baseline/1", "profile": "sms-activate",
 *    "accepted": [{"id": "error.getStatus.NO_ACTIVATION",
 *                  "verdict": "FAIL", "message": "..."}]}
 *
 * Only "id" is read back; verdict and message are there for reviewers. */
#ifndef SC_BASELINE_H
#define SC_BASELINE_H

#include "sc_report.h"

#include <stddef.h>

#define SC_BASELINE_SCHEMA "smsconform-baseline/1"

/* Marks every result of |r| whose id |path| lists (c->baseline = 1) and
 * counts in |*unknown| the ids the run does not have (NULL: not counted).
 * Returns 0, or -1 with a message in |err|: an unreadable file, not JSON,
 * or not a baseline. */
int sc_baseline_apply(struct sc_report *r, const char *path, size_t *unknown,
                      char *err, size_t errlen);

/* Writes the results that fail the run now (sc_report_blocks, ignoring any
 * baseline marks), sorted by id, to |path|; never a result UNSUPPORTED or
 * BLOCKED: the first is no failure, and the second's finding is its
 * owner's (a BLOCKED that no failure explains still fails the run, and is
 * fixed by running its owner, not by accepting it). An entry whose check
 * is UNSUPPORTED now, or BLOCKED by a failure, no longer fails, and every
 * report says it can go. Returns the number written, or -1 with a message
 * in |err|; on failure |path| keeps what it held before (see
 * sc_out_save). */
long sc_baseline_write(const struct sc_report *r, const char *path, char *err,
                       size_t errlen);

#endif
