/* sc_parse_int.h — the text parser's internals, for its tests and fuzz
 * targets (the typed-pattern matcher and the server-error scanner). */
#ifndef SC_PARSE_INT_H
#define SC_PARSE_INT_H

#include <smsconform/smsconform.h>

#include <stdbool.h>
#include <stddef.h>

/* The typed-pattern matcher: matches what follows the name of token |t| in
 * a text answer, [p, e), against |t|'s compiled segments; records each
 * field as a span and every mismatch as a deviation in |r|. |body| is the
 * start of the whole answer (offsets count from it). */
struct sc_token;
void sc_match_pattern(const struct sc_token *t, const char *body,
                      const char *p, const char *e, struct sc_result *r);

/* The scanner for SQL and runtime error text (SERVER_ERROR_TEXT): the
 * offset in [p, p+n) of the first marker found, its engine and marker
 * text in *engine and *marker (either may be NULL), or (size_t)-1. */
size_t sc_leak_scan(const char *p, size_t n, const char **engine,
                    const char **marker);

/* Marker |i| (0, 1, ...) of the scanner's table and its engine; NULL past
 * the last (for fuzzing dictionaries). */
const char *sc_leak_marker(size_t i, const char **engine);

/* Checks the marker table against its index by first byte; on a problem
 * writes it to |why| and returns false (for tests). */
bool sc_leak_marker_check(char *why, size_t whylen);

#endif
