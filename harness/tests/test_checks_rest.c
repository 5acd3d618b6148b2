/* test_checks_rest.c — the checks of sc_checks_rest.c against the simulator. */
#include "run_util.h"

#include <criterion/criterion.h>

TestSuite(checks_rest, .init = ru_setup, .fini = ru_teardown, .timeout = 60);
