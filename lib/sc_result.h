/* sc_result.h — recording deviations and the text syntax's lexical tests,
 * shared by the text parser and the JSON schema matcher (sc_result.c). */
#ifndef SC_RESULT_H
#define SC_RESULT_H

#include <smsconform/smsconform.h>

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* Records a deviation in |r| (or counts it in ndevs_dropped when full) and
 * raises r->verdict to the deviation's verdict. */
void sc_result_add(struct sc_result *r, enum sc_dev code, size_t offset,
                   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Text syntax shared by the text parser and the JSON schema matcher:
 * [p, p+n) is |min|..|max| ASCII digits; [p, p+n) is -?digits(.digits)?. */
bool sc_lex_digits(const char *p, size_t n, size_t min, size_t max);
bool sc_lex_decimal(const char *p, size_t n);

#endif
