/* fuzz.h — what the fuzz targets share.
 *
 * Every target is one file with LLVMFuzzerTestOneInput (and, where it needs
 * set-up, LLVMFuzzerInitialize). The same file builds three ways: with
 * libFuzzer (clang -fsanitize=fuzzer), with AFL++ (afl-clang-fast and its
 * libFuzzer driver), and with replay.c as a plain program that runs the
 * corpus in the tests. A target checks invariants, not only "no crash":
 * a broken invariant prints what broke and aborts, which every driver
 * reports as a finding.
 *
 * Parser inputs start with a header line that selects what the body is an
 * answer to, then the body:
 *
 *   ACTION [PROFILE [STATUS [CONTENT-TYPE...]]] "\n" BODY
 *
 * "-" leaves a field at its default (the reference profile, status 0, no
 * content type). A name the spec does not know still selects something
 * (by a hash of its bytes), so that every input exercises the parser. An
 * input without a newline is all body. */
#ifndef FUZZ_H
#define FUZZ_H

#include <smsconform/smsconform.h>

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The embedded spec, loaded on first use and kept for the process. */
const struct sc_spec *fz_spec(void);

/* A broken invariant: prints "invariant: ..." and aborts. */
void fz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
#define FZ_CHECK(cond, ...)                                                  \
  do {                                                                       \
    if (!(cond))                                                             \
      fz_fail(__VA_ARGS__);                                                  \
  } while (0)

/* Which dialects a parser input may select. */
enum fz_dialects { FZ_ANY, FZ_TEXT_ONLY };

/* A parser input split into header and body. |in| points into |data| (the
 * body) and into |names| (action, profile, content type). */
struct fz_input {
  struct sc_input in;
  char names[256];
};

/* Splits |data| and resolves the header against the spec; the result
 * always names an action that its profile offers. */
void fz_split(const uint8_t *data, size_t size, enum fz_dialects d,
              struct fz_input *out);

/* Checks what must hold of every parse result: offsets and spans inside
 * the body, a verdict that is the worst of the deviations and never PASS
 * for a body that is no protocol answer, a kind that fits the token, a
 * JSON tree only for a JSON body. */
void fz_check_result(const struct sc_input *in, const struct sc_result *r);

/* Parses |in| twice and checks both results and that they are equal
 * (nothing depends on uninitialised memory or on earlier calls). The
 * caller frees |r| with sc_result_free. */
void fz_parse_checked(const struct sc_input *in, struct sc_result *r);

/* Report output: valid UTF-8 with no control character but tab and
 * newline. */
void fz_clean_text(const char *what, const char *s, size_t n);
/* Every tag of |got| (a report with input in it) is one that |ref| (the
 * same report with harmless strings) has too, or one of the writers' own
 * tags, and it has as many "<script" as |ref|; with |md|, ``` code fences
 * are text and not looked at. */
void fz_same_markup(const char *what, int md, const char *got, size_t glen,
                    const char *ref, size_t rlen);

#endif
