/* test_ledger.c — the money of a run (sc_ledger.c): the ceiling holds
 * against threads buying at once, a sale is booked once, prices and
 * releases move the totals, and a sandbox reset gives the ceiling
 * nothing back. */
#include "sc_ledger.h"

#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* A run that never set a ceiling buys whatever comes. */
Test(ledger, no_ceiling_refuses_nothing) {
  struct sc_ledger l;
  sc_ledger_init(&l, -1);
  for (int i = 0; i < 1000; i++)
    cr_assert_eq(sc_ledger_reserve(&l, 5.0), 0);
  sc_ledger_free(&l);
}

/* The reservation is what keeps the ceiling: spent + held + the next
 * estimate may not pass it. */
Test(ledger, ceiling_counts_what_is_held) {
  struct sc_ledger l;
  sc_ledger_init(&l, 1.00);
  cr_assert_eq(sc_ledger_reserve(&l, 0.50), 0);
  cr_assert_eq(sc_ledger_reserve(&l, 0.50), 0);
  cr_expect_eq(sc_ledger_reserve(&l, 0.01), -1, "1.01 would pass 1.00");
  sc_ledger_unreserve(&l, 0.50); /* that request sold nothing */
  cr_expect_eq(sc_ledger_reserve(&l, 0.50), 0);
  double held;
  cr_expect_eq(sc_ledger_committed_held(&l, &held), 0.0);
  cr_expect_eq(held, 1.00);
  sc_ledger_free(&l);
}

struct buyer {
  struct sc_ledger *l;
  int bought;
};

static void *buy_all(void *arg) {
  struct buyer *b = arg;
  for (int i = 0; i < 200; i++) {
    if (sc_ledger_reserve(b->l, 0.25))
      continue;
    char id[32];
    snprintf(id, sizeof id, "%p-%d", (void *)b, i);
    sc_ledger_book(b->l, "getNumber", "getNumber tg/0", id, "t", 0.25, 1, 0);
    sc_ledger_unreserve(b->l, 0.25);
    b->bought++;
  }
  return NULL;
}

/* Eight threads buying at once never pass the ceiling together. */
Test(ledger, ceiling_holds_across_threads) {
  struct sc_ledger l;
  sc_ledger_init(&l, 5.00);
  pthread_t th[8];
  struct buyer b[8];
  for (int i = 0; i < 8; i++) {
    b[i] = (struct buyer){&l, 0};
    cr_assert_eq(pthread_create(&th[i], NULL, buy_all, &b[i]), 0);
  }
  int total = 0;
  for (int i = 0; i < 8; i++) {
    pthread_join(th[i], NULL);
    total += b[i].bought;
  }
  cr_expect_eq(total, 20, "5.00 buys 20 numbers at 0.25, not %d", total);
  cr_expect_eq(l.n, 20u);
  cr_expect_leq(sc_ledger_committed_held(&l, NULL), 5.00 + 1e-9);
  sc_ledger_free(&l);
}

/* A sale read twice is one purchase; a measured price replaces the listed
 * one; a cancel gives the ceiling its money back, a sandbox reset does
 * not. */
Test(ledger, booking_pricing_and_release) {
  struct sc_ledger l;
  sc_ledger_init(&l, 10.00);
  sc_ledger_book(&l, "getNumber", "getNumber tg/0", "7", "a", 0.50, 1, 1.0);
  sc_ledger_book(&l, "getNumber", "getNumber tg/0", "7", "b", 0.50, 1, 2.0);
  cr_assert_eq(l.n, 1u, "the same unsettled id is one purchase");
  cr_expect_str_eq(l.items[0].check, "a");
  sc_ledger_price(&l, "getNumber", "getNumber tg/0", "7", "a", 0.45, 3.0);
  cr_expect_eq(l.items[0].cost, 0.45);
  cr_expect(sc_ledger_owns(&l, "7"));
  cr_expect(!sc_ledger_owns(&l, "8"));
  sc_ledger_released(&l, "7");
  cr_expect_eq(l.items[0].state, SC_SPEND_RELEASED);
  cr_expect_lt(sc_ledger_committed_held(&l, NULL), 1e-9);
  /* the same id sold again (ids start over after a reset) is new */
  sc_ledger_book(&l, "getNumber", "getNumber tg/0", "7", "c", 0.50, 1, 4.0);
  cr_assert_eq(l.n, 2u);
  sc_ledger_book(&l, "getNumber", "getNumber tg/0", "9", "c", 0.50, 1, 4.0);
  sc_ledger_used(&l, "9");
  sc_ledger_reset(&l);
  cr_expect_eq(l.items[1].state, SC_SPEND_RELEASED);
  cr_expect_eq(l.items[2].state, SC_SPEND_USED, "a used number stays used");
  cr_expect_eq(sc_ledger_committed_held(&l, NULL), 1.00,
               "a reset gives the ceiling nothing back");
  /* a sale without a price is booked as such */
  sc_ledger_book(&l, "buyPartnerProduct", "buyPartnerProduct", "", "d", 0, 0,
                 5.0);
  cr_expect(!l.items[3].cost_known);
  sc_ledger_left(&l, 3, "the answer carried no id");
  struct sc_report rep;
  memset(&rep, 0, sizeof rep);
  cr_assert_eq(sc_ledger_report(&l, &rep), 0);
  cr_assert_eq(rep.nspend, 4u);
  cr_expect_eq(rep.spend[0].refunded, 1);
  cr_expect_eq(rep.spend[3].state, SC_SPEND_LEFT_ACTIVE);
  cr_expect_str_eq(rep.spend[3].note, "the answer carried no id");
  cr_expect_str_eq(rep.spend[1].check, "c");
  sc_report_free(&rep);
  sc_ledger_free(&l);
}
