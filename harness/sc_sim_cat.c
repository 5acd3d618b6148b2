/* sc_sim_cat.c — the simulator's balance, catalogue, e-mail, partner and
 * wallet actions.
 *
 * Sources: 001 = seeds/001_ac8db1c65ff3c54b.txt; see sc_sim.c. */
#include "sc_sim_int.h"

#include <stdio.h>
#include <string.h>

static void get_balance(struct sim_call *c) {
  /* 001: ACCESS_BALANCE: 'account balance' */
  sim_money_fmt(c->out, "ACCESS_BALANCE:", c->s->accounts[c->acc].balance);
}

const struct sim_action sim_actions_cat[] = {
    {"getBalance", get_balance},
    {NULL, NULL},
};

int sim_mail_init(struct sc_sim *s) {
  (void)s;
  return 0;
}
void sim_mail_reset(struct sc_sim *s) { (void)s; }
void sim_mail_destroy(struct sc_sim *s) { (void)s; }
void sim_mail_state(struct sc_sim *s, cJSON *root) {
  (void)s;
  (void)root;
}
