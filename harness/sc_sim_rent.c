/* sc_sim_rent.c — the simulator's rent actions and /control/rent-sms.
 *
 * Sources: 001 = seeds/001_ac8db1c65ff3c54b.txt; see sc_sim.c. */
#include "sc_sim_int.h"

const struct sim_action sim_actions_rent[] = {
    {NULL, NULL},
};

int sim_rent_init(struct sc_sim *s) {
  (void)s;
  return 0;
}
void sim_rent_reset(struct sc_sim *s) { (void)s; }
void sim_rent_destroy(struct sc_sim *s) { (void)s; }
void sim_rent_state(struct sc_sim *s, cJSON *root) {
  (void)s;
  (void)root;
}
int sim_rent_control(struct sc_sim *s, const char *path, const cJSON *body,
                     struct sc_buf *out) {
  (void)s;
  (void)path;
  (void)body;
  (void)out;
  return 0;
}
void sim_rent_expire(struct sc_sim *s) { (void)s; }
