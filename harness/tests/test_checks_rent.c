/* test_checks_rent.c — the checks of sc_checks_rent.c against the simulator. */
#include "run_util.h"

#include <criterion/criterion.h>

TestSuite(checks_rent, .init = ru_setup, .fini = ru_teardown, .timeout = 60);
