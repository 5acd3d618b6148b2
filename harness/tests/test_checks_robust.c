/* test_checks_robust.c — the checks of sc_checks_robust.c against the simulator. */
#include "run_util.h"

#include <criterion/criterion.h>

TestSuite(checks_robust, .init = ru_setup, .fini = ru_teardown, .timeout = 60);
