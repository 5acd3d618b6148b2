/* sc_sim_hook.c — the simulator's webhooks and /control/webhook.
 *
 * Sources: 001 = seeds/001_ac8db1c65ff3c54b.txt; see sc_sim.c. */
#include "sc_sim_int.h"

int sim_hook_init(struct sc_sim *s) {
  (void)s;
  return 0;
}
void sim_hook_reset(struct sc_sim *s) { (void)s; }
void sim_hook_destroy(struct sc_sim *s) { (void)s; }
void sim_hook_state(struct sc_sim *s, cJSON *root) {
  (void)s;
  (void)root;
}
int sim_hook_control(struct sc_sim *s, const char *path, const cJSON *body,
                     struct sc_buf *out) {
  (void)s;
  (void)path;
  (void)body;
  (void)out;
  return 0;
}
void sim_hook_sms(struct sc_sim *s, const struct sim_activation *a) {
  (void)s;
  (void)a;
}
void sim_hook_clock(struct sc_sim *s) { (void)s; }
