/* sc_cli.h — the command line, callable in-process by tests. */
#ifndef SC_CLI_H
#define SC_CLI_H

/* Exit codes of every command: X(name, code). */
#define SC_EXIT_MAP(X)                                                       \
  X(OK, 0)                                                                   \
  X(FAIL, 1)                                                                 \
  X(USAGE, 2)                                                                \
  X(UNREACHABLE, 3)

enum sc_exit {
#define SC_EXIT_ENUM(name, code) SC_EXIT_##name = code,
  SC_EXIT_MAP(SC_EXIT_ENUM)
#undef SC_EXIT_ENUM
};

int sc_cli_main(int argc, char **argv);

#endif
