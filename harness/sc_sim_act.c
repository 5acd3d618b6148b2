/* sc_sim_act.c — the simulator's activation actions (handler dialects).
 *
 * Sources: 001 = seeds/001_ac8db1c65ff3c54b.txt, 004 =
 * seeds/004_67353fd389171043.txt; see sc_sim.c for the others. */
#include "sc_sim_int.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static void get_number(struct sim_call *c) {
  struct sc_sim *s = c->s;
  const char *service = sim_param(c, "service");
  const char *country = sim_param(c, "country");
  const char *max_price = sim_param(c, "maxPrice");
  long si = sim_service_index(service);
  /* 001: BAD_SERVICE - incorrect service name */
  if (si < 0) {
    sim_token(c, sim_bad_service(s));
    return;
  }
  long ci = sim_country_index(country, 0);
  /* 001 lists no error for a missing or unknown country: nothing to sell
   * there, so NO_NUMBERS. */
  if (ci < 0) {
    sim_token(c, "NO_NUMBERS");
    return;
  }
  struct sim_offer *o = sim_offer_at(s, (size_t)si, (size_t)ci);
  /* 001: WRONG_MAX_PRICE:$min - the specified maximum price is less than the
   * allowed one; $min is the minimum allowable price. */
  if (max_price && *max_price && !sim_fault(s, SIM_F_IGNORE_MAX_PRICE)) {
    long long mp = sim_parse_money(max_price);
    if (mp < 0 || mp < o->cost) {
      sim_money_fmt(c->out, "WRONG_MAX_PRICE:", o->cost);
      return;
    }
  }
  const char *tok = NULL;
  struct sim_activation *act = sim_buy(s, c->acc, o, &tok);
  if (!act) {
    sim_token(c, tok);
    return;
  }
  /* 001: ACCESS_NUMBER:$id:$phone */
  sc_buf_printf(c->out, "ACCESS_NUMBER:%llu:%s%s", act->id,
                sim_fault(s, SIM_F_PHONE_PLUS) ? "+" : "", act->phone);
}

static void get_status(struct sim_call *c) {
  struct sc_sim *s = c->s;
  /* 001 lists WRONG_ACTIVATION_ID only for setStatus; for getStatus a
   * non-numeric id is just an activation that does not exist. */
  struct sim_activation *a =
      sim_find_act(s, sim_parse_id(sim_param(c, "id")), c->acc);
  if (!a) {
    sim_token(c, "NO_ACTIVATION"); /* 001: id does not exist */
    return;
  }
  enum sim_act_state st = a->state;
  if (sim_fault(s, SIM_F_CANCEL_NOT_REFLECTED) && st == SIM_ST_CANCEL)
    st = SIM_ST_WAIT_CODE;
  switch (st) {
  case SIM_ST_WAIT_CODE:
    if (sim_fault(s, SIM_F_EARLY_STATUS_OK))
      sim_token(c, "STATUS_OK:000000");
    else
      sim_token(c, "STATUS_WAIT_CODE"); /* 001: waiting for SMS */
    break;
  case SIM_ST_OK:
  case SIM_ST_DONE:
    sc_buf_printf(c->out, "STATUS_OK:%s", a->code); /* 001: code received */
    break;
  case SIM_ST_WAIT_RETRY:
    /* 001: STATUS_WAIT_RETRY: 'past, unmatched code' */
    sc_buf_printf(c->out, "STATUS_WAIT_RETRY:%s",
                  sim_fault(s, SIM_F_RETRY_NO_LASTCODE) ? "" : a->lastcode);
    break;
  case SIM_ST_CANCEL:
    sim_token(c, "STATUS_CANCEL"); /* 001: activation canceled */
    break;
  }
}

static void set_status(struct sim_call *c) {
  struct sc_sim *s = c->s;
  const char *st = sim_param(c, "status");
  unsigned long long id = sim_parse_id(sim_param(c, "id"));
  /* 001: WRONG_ACTIVATION_ID - invalid ID or ID is not a number */
  if (!id) {
    sim_token(c, "WRONG_ACTIVATION_ID");
    return;
  }
  struct sim_activation *a = sim_find_act(s, id, c->acc);
  /* 001: NO_ACTIVATION - activation id does not exist (another account's
   * activation does not exist for this key). */
  if (!a) {
    sim_token(c, "NO_ACTIVATION");
    return;
  }
  int status = -1;
  if (st && strlen(st) == 1 && isdigit((unsigned char)st[0]))
    status = st[0] - '0';
  switch (status) {
  case 1:
    /* 001: 1 - notify about the number availability -> ACCESS_READY;
     * allowed right after getNumber. */
    if (a->state != SIM_ST_WAIT_CODE)
      break;
    a->ready = 1;
    sim_token(c, "ACCESS_READY");
    return;
  case 3:
    /* 001: "Immediately after receiving the code: 3 - request one more SMS"
     * -> ACCESS_RETRY_GET, waiting for a new SMS. */
    if (a->state != SIM_ST_OK)
      break;
    memcpy(a->lastcode, a->code, sizeof a->lastcode);
    a->state = SIM_ST_WAIT_RETRY;
    sim_token(c, "ACCESS_RETRY_GET");
    return;
  case 6:
    /* 001: 6 - finish the activation, after a code or after status 3. */
    if (a->state != SIM_ST_OK && a->state != SIM_ST_WAIT_RETRY)
      break;
    a->state = SIM_ST_DONE;
    sim_token(c, "ACCESS_ACTIVATION");
    return;
  case 8:
    /* 001: 8 - cancel, offered after getNumber and after status 1 only;
     * completed, cancelled or coded activations: BAD_STATUS. */
    if (a->state != SIM_ST_WAIT_CODE)
      break;
    /* 001/004: EARLY_CANCEL_DENIED - not allowed to cancel a number within
     * the first 2 minutes (early_cancel_seconds). */
    if (sim_now(s) - a->bought_at < s->early_cancel &&
        !sim_fault(s, SIM_F_EARLY_CANCEL_ALLOWED)) {
      sim_token(c, "EARLY_CANCEL_DENIED");
      return;
    }
    a->state = SIM_ST_CANCEL;
    if (!sim_fault(s, SIM_F_NO_REFUND))
      sim_refund(s, a); /* exactly once */
    sim_token(c, "ACCESS_CANCEL");
    return;
  default:
    break;
  }
  sim_token(c, "BAD_STATUS"); /* 001: BAD_STATUS - incorrect status */
}

const struct sim_action sim_actions_act[] = {
    {"getNumber", get_number},
    {"getStatus", get_status},
    {"setStatus", set_status},
    {NULL, NULL},
};
