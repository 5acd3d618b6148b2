/* sc_compare.c — see sc_compare.h. */
#include "sc_compare.h"

typedef int sc_compare_unused;
