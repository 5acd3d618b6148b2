/* hostile.h — a deliberately broken HTTP server for the tests: one
 * misbehaviour per path, on 127.0.0.1, port chosen by the kernel.
 *
 *   /ok              200, "OK"
 *   /wait-once       the first request: 200 RATE_LIMITED with Retry-After:
 *                    1 (003); every later one: 200 "OK"
 *   /hang            accepts, reads the request, never answers
 *   /hang-body       headers and 10 of 100 promised bytes, then silence
 *   /big             Content-Length 50 MB of zeros, streamed
 *   /endless         chunked body that never ends
 *   /bad-chunk       an invalid chunk size
 *   /reset           closes at once with a TCP reset
 *   /reset-mid       headers and part of the body, then a reset
 *   /headers         10,000 header lines
 *   /http09          bytes with no status line at all
 *   /redirect        302 to another host (127.0.0.2, the port given to
 *                    hostile_redirect_to) with the request's own query
 *   /redirect-file   302 to file:///etc/passwd
 *   /redirect-loop   302 to itself
 *   /1xx             a thousand 100 Continue heads, then silence
 *   /binary          200 with invalid UTF-8 and NUL bytes
 *   /markup          200 with <script>, ]]>, control characters and ANSI
 *                    escape sequences
 *   /markup-token    the same markup after a token, where messages quote it
 *   /drip-head       slowloris: a status line, then a header line every
 *                    100 ms, forever
 *   /drip-body       slowloris: headers, then a body byte every 100 ms
 *   /gzip            Content-Encoding: gzip, about 1 MB that inflates to
 *                    1 GiB of zeros, whatever the request accepted
 *   /tls-alert       a TLS alert record in answer to a plain request
 *   /bad-utf8        a token followed by invalid UTF-8, NULs and C1 controls
 *   /escapes         CSI and OSC sequences, BEL, backspace, CR and DEL in
 *                    the reason phrase, a header and the body
 * Any path: a TLS ClientHello is answered at once with what the path
 * says, in plain HTTP (TLS to a plain port).
 * Every request received is logged (method, path, whole head) so a test
 * can check what a client sent, e.g. that no key leaked. */
#ifndef HOSTILE_H
#define HOSTILE_H

#include <stddef.h>

struct hostile;

/* A server on 127.0.0.1 that behaves by path. */
struct hostile *hostile_start(void);
/* A server that gives every request, whatever its path, the behaviour
 * |behaviour| (one of the paths above): the runner asks for its own
 * paths. */
struct hostile *hostile_start_mode(const char *behaviour);
/* The same on IPv4 address |addr| (e.g. "127.0.0.2", a second host);
 * |behaviour| NULL: by path. */
struct hostile *hostile_start_at(const char *addr, const char *behaviour);
/* The port on 127.0.0.2 that /redirect points to (default 9). */
void hostile_redirect_to(struct hostile *h, unsigned port);
unsigned hostile_port(const struct hostile *h);
/* The /gzip body: |*len| bytes, made once, kept until exit. */
const unsigned char *hostile_gzip_bomb(size_t *len);
/* Number of requests seen, and whether any request head contained |s|. */
unsigned hostile_requests(struct hostile *h);
int hostile_saw(struct hostile *h, const char *s);
void hostile_stop(struct hostile *h);

#endif
