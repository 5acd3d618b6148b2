/* sc_alloc.c — allocation wrapper with failure injection for tests. */
#include "sc_alloc.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

/* Failure injection state, per thread: a test fails the allocations of
 * the thread that asks, and the threads of a simulator or a run beside it
 * neither disturb its count nor race on it. Only tests change it;
 * production code never calls sc_alloc_fail_after, so the counters only
 * ever count. */
static _Thread_local unsigned long fail_at;
static _Thread_local unsigned long count;

static int should_fail(void) {
  count++;
  return fail_at != 0 && count >= fail_at;
}

void *sc_malloc(size_t n) {
  if (should_fail())
    return NULL;
  return malloc(n ? n : 1);
}

void *sc_calloc(size_t nmemb, size_t size) {
  if (should_fail())
    return NULL;
  return calloc(nmemb ? nmemb : 1, size ? size : 1);
}

void *sc_realloc(void *p, size_t n) {
  if (should_fail())
    return NULL;
  return realloc(p, n ? n : 1);
}

char *sc_strndup(const char *s, size_t n) {
  char *d = sc_malloc(n + 1);
  if (!d)
    return NULL;
  memcpy(d, s, n);
  d[n] = '\0';
  return d;
}

char *sc_strdup(const char *s) {
  return sc_strndup(s, strlen(s));
}

void sc_free(void *p) {
  free(p);
}

static void *cjson_malloc(size_t n) {
  return sc_malloc(n);
}

void sc_alloc_init(void) {
  cJSON_Hooks hooks = {cjson_malloc, sc_free};
  cJSON_InitHooks(&hooks);
}

unsigned long sc_alloc_fail_after(unsigned long n) {
  unsigned long made = count;
  fail_at = n;
  count = 0;
  return made;
}
