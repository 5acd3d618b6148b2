/* sc_sim_rest.c — the simulator's REST dialect under /api/v1/.
 *
 * Source: 002 = seeds/002_0dec256545badc39.txt; see sc_sim.c. */
#include "sc_sim_int.h"

int sim_rest_init(struct sc_sim *s) {
  (void)s;
  return 0;
}
void sim_rest_reset(struct sc_sim *s) { (void)s; }
void sim_rest_destroy(struct sc_sim *s) { (void)s; }
enum MHD_Result sim_rest_handle(struct sc_sim *s, struct MHD_Connection *conn,
                                const char *url, const char *method,
                                struct sim_req *r) {
  (void)s;
  (void)url;
  (void)method;
  (void)r;
  struct sc_buf out;
  sc_buf_init(&out, 1024);
  sc_buf_adds(&out, "{\"error\":\"not found\"}");
  return sim_reply(conn, 404, "application/json", &out);
}
