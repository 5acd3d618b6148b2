/* sc_main.c — the smsconform binary. */
#include "sc_cli.h"

int main(int argc, char **argv) {
  return sc_cli_main(argc, argv);
}
