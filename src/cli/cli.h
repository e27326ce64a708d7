/*
 * cli.h — the thin tool on top of the core: one function per subcommand.  Each returns the
 * process exit code (enum sd_exit); only main() exits.
 */
#ifndef SSHDIAG_CLI_CLI_H
#define SSHDIAG_CLI_CLI_H

#include <stdio.h>

int cmd_probe(int argc, char **argv);
int cmd_server(int argc, char **argv);
int cmd_logs(int argc, char **argv);
int cmd_bundle(int argc, char **argv);
int cmd_explain(int argc, char **argv);

/* 1 when stdout is a terminal and NO_COLOR is unset. */
int cli_use_color(void);
/* Writes a malloc'd string and a newline to `f`, frees it; SD_EXIT_INTERNAL if it is NULL. */
int cli_put_owned(FILE *f, char *s);
/* Parses a decimal number in [lo, hi]; 0 on success. */
int cli_parse_uint(const char *s, unsigned lo, unsigned hi, unsigned *out);

#endif
