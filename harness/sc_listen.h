/* sc_listen.h — a loopback HTTP listener the runner starts to receive
 * webhooks. */
#ifndef SC_LISTEN_H
#define SC_LISTEN_H
#endif
