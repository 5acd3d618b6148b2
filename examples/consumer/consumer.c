/* consumer.c — the smallest client of the smsconform parser library: judge
 * one getBalance answer and print its verdict and balance.
 *
 *   cc consumer.c $(pkg-config --cflags --libs smsconform) -o consumer
 *
 * or with CMake: find_package(smsconform) and smsconform::smsconform (see
 * CMakeLists.txt next to this file). Exit 0 when the answer is PASS. */
#include <smsconform/smsconform.h>

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
  const char *body = argc > 1 ? argv[1] : "ACCESS_BALANCE:12.50";
  enum sc_err err = SC_ERR_OK;
  char *diag = NULL;
  struct sc_result r;
  int rc = 1;

  /* NULL: the spec built into the library. */
  struct sc_spec *spec = sc_spec_new(NULL, &err, &diag);
  if (!spec) {
    fprintf(stderr, "sc_spec_new: %s\n%s", sc_strerror(err),
            diag ? diag : "");
    sc_spec_free_diag(diag);
    return 1;
  }
  struct sc_input in = {.action = "getBalance",
                        .http_status = 200,
                        .content_type = "text/plain",
                        .body = body,
                        .body_len = strlen(body)};
  err = sc_parse(spec, &in, &r);
  if (err != SC_ERR_OK) {
    fprintf(stderr, "sc_parse: %s\n", sc_strerror(err));
    goto out;
  }
  printf("%s %s", sc_verdict_name(r.verdict),
         r.token ? sc_token_name(r.token) : "(no token)");
  for (size_t i = 0; i < r.nfields; i++)
    printf(" %s=%.*s", r.fields[i].name, (int)r.fields[i].value.len,
           r.fields[i].value.ptr);
  printf("\n");
  for (size_t i = 0; i < r.ndevs; i++)
    printf("  %s at byte %zu: %s\n", sc_dev_name(r.devs[i].code),
           r.devs[i].offset, r.devs[i].message);
  rc = r.verdict == SC_VERDICT_PASS ? 0 : 1;
out:
  sc_result_free(&r);
  sc_spec_destroy(spec);
  return rc;
}
