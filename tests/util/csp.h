/* csp.h — the Content-Security-Policy entry that the HTML report and the
 * vendor comparison write for their one inline script, worked out again by
 * the tests: script-src 'sha256-<base64 of the script's SHA-256>'. */
#ifndef CSP_H
#define CSP_H

#include <stddef.h>

/* Base64 of a SHA-256 digest, with its NUL. */
#define CSP_HASH_LEN 48

/* The base64 SHA-256 of [msg, msg+len). */
void csp_hash(const void *msg, size_t len, char out[CSP_HASH_LEN]);

/* "script-src 'sha256-...'" for the first <script>...</script> of |html|,
 * into |out|; 0, or -1 when the page has no such script. */
int csp_script_src(const char *html, char *out, size_t n);

#endif
