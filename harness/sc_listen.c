/* sc_listen.c — see sc_listen.h. */
#include "sc_listen.h"
