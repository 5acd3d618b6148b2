/* fuzz_catalogue.c — the simulator's catalogue loader on a user's file
 * (`serve --catalogue FILE`). A file is either refused with at least one
 * `NAME: $.path: message` line, or accepted; an accepted catalogue finds
 * every service by its code and REST name and every country by its id,
 * and every offer's cost and stock can be read. */
#include "fuzz.h"

#include "sc_buf.h"
#include "sc_sim_catalogue.h"

#include <string.h>

static void check_catalogue(const struct sim_catalogue *cat) {
  FZ_CHECK(cat->nservices > 0 && cat->ncountries > 0,
           "accepted with %zu services and %zu countries", cat->nservices,
           cat->ncountries);
  for (size_t i = 0; i < cat->nservices; i++) {
    const struct sim_service *sv = &cat->services[i];
    long at = sim_catalogue_service(cat, sv->code);
    FZ_CHECK(at >= 0 && strcmp(cat->services[at].code, sv->code) == 0,
             "service %s looked up as %ld", sv->code, at);
    at = sim_catalogue_service_rest(cat, sv->rest);
    FZ_CHECK(at >= 0 && strcmp(cat->services[at].rest, sv->rest) == 0,
             "service %s's REST name %s looked up as %ld", sv->code,
             sv->rest, at);
  }
  for (size_t i = 0; i < cat->ncountries; i++) {
    const struct sim_country *ct = &cat->countries[i];
    long at = sim_catalogue_country(cat, ct->id, 0);
    FZ_CHECK(at >= 0 && cat->countries[at].num == ct->num,
             "country %s looked up as %ld", ct->id, at);
  }
  long long sum = 0;
  for (size_t o = 0; o < cat->nservices * cat->ncountries; o++)
    sum += cat->cost[o] + cat->stock[o];
  FZ_CHECK(sum >= 0, "negative cost or stock in an accepted catalogue");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct sc_buf diag;
  sc_buf_init(&diag, 1u << 20);
  struct sim_catalogue *cat =
      sim_catalogue_new("cat.json", (const char *)data, size, &diag);
  if (cat) {
    check_catalogue(cat);
    sim_catalogue_destroy(cat);
  } else {
    FZ_CHECK(diag.len > 0, "a catalogue refused without a diagnostic");
    FZ_CHECK(strncmp(diag.ptr, "cat.json: ", 10) == 0,
             "a diagnostic that names no file: %.80s", diag.ptr);
  }
  sc_buf_free(&diag);
  return 0;
}
