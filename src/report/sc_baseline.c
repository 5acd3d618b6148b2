/* sc_baseline.c — see sc_baseline.h. */
#include "sc_baseline.h"

#include "sc_alloc.h"
#include "sc_buf.h"
#include "sc_out.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The whole file, NUL-terminated; NULL with a message on failure. */
static char *slurp(const char *path, char *err, size_t errlen) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
    return NULL;
  }
  struct sc_buf b;
  sc_buf_init(&b, (size_t)64 << 20);
  int rc = sc_buf_add_file(&b, f);
  int rerr = errno;
  fclose(f);
  if (rc == SC_BUF_E2BIG)
    snprintf(err, errlen, "%s: larger than 64 MiB", path);
  else if (rc > 0)
    snprintf(err, errlen, "out of memory");
  else if (rc < 0)
    snprintf(err, errlen, "cannot read %s: %s", path, strerror(rerr));
  /* an empty file is an empty string */
  char *text = rc ? NULL : b.len ? sc_buf_take(&b, NULL) : sc_strdup("");
  if (!rc && !text)
    snprintf(err, errlen, "out of memory");
  sc_buf_free(&b);
  return text;
}

int sc_baseline_apply(struct sc_report *r, const char *path, size_t *unknown,
                      char *err, size_t errlen) {
  if (unknown)
    *unknown = 0;
  char *text = slurp(path, err, errlen);
  if (!text)
    return -1;
  cJSON *j = cJSON_Parse(text);
  sc_free(text);
  const cJSON *schema = cJSON_GetObjectItemCaseSensitive(j, "schema");
  const cJSON *acc = cJSON_GetObjectItemCaseSensitive(j, "accepted");
  if (!j || !cJSON_IsString(schema) ||
      strcmp(schema->valuestring, SC_BASELINE_SCHEMA) != 0 ||
      !cJSON_IsArray(acc)) {
    snprintf(err, errlen,
             "%s is not a baseline (JSON with \"schema\": \"%s\" and an "
             "\"accepted\" array; --update-baseline writes one)",
             path, SC_BASELINE_SCHEMA);
    cJSON_Delete(j);
    return -1;
  }
  const cJSON *e;
  cJSON_ArrayForEach(e, acc) {
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(e, "id");
    if (!cJSON_IsString(id))
      continue;
    int found = 0;
    for (size_t i = 0; r->results && i < r->nresults; i++)
      if (r->results[i].id && strcmp(r->results[i].id, id->valuestring) == 0) {
        r->results[i].baseline = 1;
        found = 1;
      }
    if (!found && unknown)
      (*unknown)++;
  }
  cJSON_Delete(j);
  return 0;
}

static int by_id(const void *a, const void *b) {
  const struct sc_check_result *x = *(const struct sc_check_result *const *)a;
  const struct sc_check_result *y = *(const struct sc_check_result *const *)b;
  return strcmp(x->id, y->id);
}

/* A known failure is a finding of the check itself: neither an action the
 * endpoint does not implement (UNSUPPORTED) nor a step another check owns
 * (BLOCKED, whose owner's failure is the entry to accept). */
static int writable(const struct sc_report *r,
                    const struct sc_check_result *c) {
  struct sc_check_result now = *c;
  if (!c->id || c->verdict == SC_VERDICT_UNSUPPORTED ||
      c->verdict == SC_VERDICT_BLOCKED)
    return 0;
  now.baseline = 0; /* what fails now, accepted or not */
  return sc_report_blocks(r, &now);
}

long sc_baseline_write(const struct sc_report *r, const char *path, char *err,
                       size_t errlen) {
  long n = -1;
  const struct sc_check_result **sel =
      sc_calloc(r->nresults ? r->nresults : 1, sizeof *sel);
  cJSON *j = cJSON_CreateObject();
  cJSON *acc = NULL;
  char *text = NULL;
  if (!sel || !j)
    goto oom;
  size_t k = 0;
  for (size_t i = 0; r->results && i < r->nresults; i++)
    if (writable(r, &r->results[i]))
      sel[k++] = &r->results[i];
  qsort(sel, k, sizeof *sel, by_id);
  if (!cJSON_AddStringToObject(j, "schema", SC_BASELINE_SCHEMA) ||
      !cJSON_AddStringToObject(j, "profile", r->profile ? r->profile : "") ||
      !(acc = cJSON_AddArrayToObject(j, "accepted")))
    goto oom;
  for (size_t i = 0; i < k; i++) {
    cJSON *e = cJSON_CreateObject();
    if (!e || !cJSON_AddItemToArray(acc, e) ||
        !cJSON_AddStringToObject(e, "id", sel[i]->id) ||
        !cJSON_AddStringToObject(e, "verdict",
                                 sc_verdict_name(sel[i]->verdict)) ||
        !cJSON_AddStringToObject(e, "message",
                                 sel[i]->message ? sel[i]->message : ""))
      goto oom;
  }
  if (!(text = cJSON_Print(j)))
    goto oom;
  /* all or nothing: a baseline that fails to write keeps the old one */
  if (sc_out_save(path, text, strlen(text), "\n", err, errlen) == 0)
    n = (long)k;
  goto out;
oom:
  snprintf(err, errlen, "out of memory");
out:
  cJSON_free(text);
  cJSON_Delete(j);
  sc_free(sel);
  return n;
}
