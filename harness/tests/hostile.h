/* hostile.h — a deliberately broken HTTP server for the tests: one
 * misbehaviour per path, on 127.0.0.1, port chosen by the kernel.
 *
 *   /ok              200, "OK"
 *   /hang            accepts, reads the request, never answers
 *   /hang-body       headers and 10 of 100 promised bytes, then silence
 *   /big             Content-Length 50 MB of zeros, streamed
 *   /endless         chunked body that never ends
 *   /bad-chunk       an invalid chunk size
 *   /reset           closes at once with a TCP reset
 *   /reset-mid       headers and part of the body, then a reset
 *   /headers         10,000 header lines
 *   /http09          bytes with no status line at all
 *   /redirect        302 to another host (127.0.0.2)
 *   /redirect-file   302 to file:///etc/passwd
 *   /redirect-loop   302 to itself
 *   /1xx             a thousand 100 Continue heads, then silence
 *   /binary          200 with invalid UTF-8 and NUL bytes
 *   /markup          200 with <script>, ]]>, control characters and ANSI
 *                    escape sequences
 * Every request received is logged (method, path, whole head) so a test
 * can check what a client sent, e.g. that no key leaked. */
#ifndef HOSTILE_H
#define HOSTILE_H

#include <stddef.h>

struct hostile;

struct hostile *hostile_start(void);
unsigned hostile_port(const struct hostile *h);
/* Number of requests seen, and whether any request head contained |s|. */
unsigned hostile_requests(struct hostile *h);
int hostile_saw(struct hostile *h, const char *s);
void hostile_stop(struct hostile *h);

#endif
