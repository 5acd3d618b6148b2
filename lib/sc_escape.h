/* sc_escape.h — UTF-8 checking and escaping of untrusted bytes for output.
 *
 * Everything an endpoint sends is untrusted: before it reaches a report or
 * a terminal it passes through here. */
#ifndef SC_ESCAPE_H
#define SC_ESCAPE_H

#include <stddef.h>

struct sc_buf;

/* The UTF-8 sequence whose lead byte |p[i]| is >= 0x80 (RFC 3629): its
 * length, or 0 with |*bad| set to the first byte that cannot belong to a
 * valid sequence (|len| when the input ends inside it). One checker for
 * the JSON validator, the text parser and the escapers. */
size_t sc_utf8_seq(const unsigned char *p, size_t len, size_t i,
                   size_t *bad);

/* Offset of the first NUL byte or invalid UTF-8 byte in [p, p+n), or
 * (size_t)-1 when there is none. Rejects overlong forms, surrogates and
 * code points above U+10FFFF. */
size_t sc_utf8_check(const char *p, size_t n);

/* Appends [p, p+n) as the inside of a JSON string: quotes, backslashes and
 * control characters escaped, invalid UTF-8 bytes replaced by U+FFFD.
 * Returns the buffer's error state (0 on success). */
int sc_escape_json(struct sc_buf *b, const char *p, size_t n);

/* Appends [p, p+n) as readable text that can drive no terminal: every C0
 * control and DEL, every C1 control (U+0080..U+009F: U+009B is CSI to a
 * terminal that decodes UTF-8), every byte that is not part of valid UTF-8
 * (a lone 0x9b is CSI to an 8-bit terminal) and every ASCII byte in
 * |also| (may be NULL) as \xNN; the rest as it is. Returns the buffer's
 * error state. */
int sc_escape_controls(struct sc_buf *b, const char *p, size_t n,
                       const char *also);

/* Appends [p, p+n) percent-encoded for a query string, a form body or a
 * path segment: every byte but RFC 3986's unreserved ones as %XX. Returns
 * the buffer's error state. */
int sc_escape_query(struct sc_buf *b, const char *p, size_t n);

/* Appends base64 (RFC 4648, with padding) of [data, data+n). Returns the
 * buffer's error state. */
int sc_base64_encode(struct sc_buf *b, const void *data, size_t n);
/* Appends the bytes that the base64 text [s, s+n) encodes. Returns 0, or -1
 * on text that is not padded base64 (or a buffer error). */
int sc_base64_decode(struct sc_buf *b, const char *s, size_t n);

#endif
