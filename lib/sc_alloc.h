/* sc_alloc.h — the one allocation wrapper.
 *
 * Every allocation of the library (and cJSON's, through its hooks) goes
 * through here so that a test can fail the Nth allocation for every N and
 * prove that nothing leaks or crashes. */
#ifndef SC_ALLOC_H
#define SC_ALLOC_H

#include <stddef.h>

void *sc_malloc(size_t n);
void *sc_calloc(size_t count, size_t size);
void *sc_realloc(void *p, size_t n);
char *sc_strndup(const char *s, size_t n);
char *sc_strdup(const char *s);
void sc_free(void *p);

/* Routes cJSON's allocations through sc_malloc/sc_free. Idempotent. */
void sc_alloc_init(void);

/* Test hook: the |n|th allocation of the calling thread from now on
 * (1-based) and every one after it fail; 0 switches failure off. Returns
 * how many allocations the calling thread made since its last call. Other
 * threads are not affected. */
unsigned long sc_alloc_fail_after(unsigned long n);

#endif
