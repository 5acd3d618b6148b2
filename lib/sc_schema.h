/* sc_schema.h — the typed JSON schema of specs/README.md: checking a schema
 * (lint) and matching a parsed body against one (parser). */
#ifndef SC_SCHEMA_H
#define SC_SCHEMA_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

struct sc_result;

/* Value types: X(name, spelling, JSON type of the reference form:
 * 'n' number, 's' string, 'b' bool, 'z' null, '*' any). */
#define SC_STYPE_MAP(X)                                                      \
  X(ID, "id", 'n')                                                           \
  X(INT, "int", 'n')                                                         \
  X(DECIMAL, "decimal", 'n')                                                 \
  X(CURRENCY, "currency", 'n')                                               \
  X(BOOL01, "bool01", 's')                                                   \
  X(BOOL, "bool", 'b')                                                       \
  X(MSISDN, "msisdn", 's')                                                   \
  X(E164, "e164", 's')                                                       \
  X(DATETIME, "datetime", 's')                                               \
  X(ISOTIME, "isotime", 's')                                                 \
  X(ISOLOCAL, "isolocal", 's')                                               \
  X(UNIXTIME, "unixtime", 'n')                                               \
  X(TEXT, "text", 's')                                                       \
  X(URL, "url", 's')                                                         \
  X(NULL, "null", 'z')                                                       \
  X(ANY, "any", '*')

enum sc_stype {
#define SC_STYPE_ENUM(name, str, ref) SC_STYPE_##name,
  SC_STYPE_MAP(SC_STYPE_ENUM)
#undef SC_STYPE_ENUM
  SC_STYPE__COUNT
};

/* Parses a type string ("decimal", "id as string"). Returns false when it
 * names no type. */
bool sc_schema_type(const char *s, enum sc_stype *type, bool *as_string);

/* Checks that |schema| is a well-formed schema; on a problem writes a
 * message and the JSON path suffix (relative to |schema|) of the offending
 * node and returns false. */
bool sc_schema_check(const cJSON *schema, char *msg, size_t msglen,
                     char *path, size_t pathlen);

/* The shapes of every node of a set of schemas (type name parsed, shape
 * key and modifiers found), compiled once so that matching does not work
 * them out again per call. Read-only once built: threads may match with
 * one table at once. */
struct sc_schema_shapes;

/* Compiles the nodes reachable from |schemas[0..n)| (checked schemas, see
 * sc_schema_check; the table points into them, so they must outlive it).
 * Returns NULL when an allocation fails. */
struct sc_schema_shapes *sc_schema_compile(const cJSON *const *schemas,
                                           size_t n);
/* Frees |c|; NULL is fine. */
void sc_schema_shapes_free(struct sc_schema_shapes *c);
/* How many nodes |c| holds, and whether it holds |node| (for tests). */
size_t sc_schema_shapes_count(const struct sc_schema_shapes *c);
bool sc_schema_shapes_has(const struct sc_schema_shapes *c,
                          const cJSON *node);

/* Matches |value| (the parsed body) against |schema|, adding deviations to
 * |r|; |body|/|len|, the valid JSON text |value| was parsed from, are used
 * to locate byte offsets. Returns the number of
 * FAIL deviations found (0 = the body has this shape, perhaps with WARNs).
 * When |r| is NULL nothing is recorded (used to rank alternatives).
 * |shapes| (may be NULL) holds compiled shapes of schema nodes; a node it
 * lacks is worked out per call. The answer is the same either way. */
size_t sc_schema_match(const cJSON *schema, const cJSON *value,
                       const char *body, size_t len, struct sc_result *r,
                       const struct sc_schema_shapes *shapes);

#endif
