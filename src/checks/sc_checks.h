/* sc_checks.h — the check catalogue: every family of checks (the handler
 * API's activations, money, isolation and transport; the REST dialect;
 * rent, e-mail, partner and webhooks; bad inputs), as the table a run is
 * handed (struct sc_catalogue, sc_run.h):
 *
 *   struct sc_run_opts o = {.catalogue = sc_checks_catalogue(), ...};
 *   sc_run(&o, &rep, err, sizeof err);
 */
#ifndef SC_CHECKS_H
#define SC_CHECKS_H

#include "sc_run.h"

/* The catalogue; static, never freed. */
const struct sc_catalogue *sc_checks_catalogue(void);

#endif
