/*
 * cmd_sshd_config.h — `sshdiag sshd-config`: the effective sshd configuration for one
 * connection, with where every value came from (a better `sshd -T -C`).
 */
#ifndef SSHDIAG_CLI_CMD_SSHD_CONFIG_H
#define SSHDIAG_CLI_CMD_SSHD_CONFIG_H

/* Returns the process exit code (enum sd_exit). */
int cmd_sshd_config(int argc, char **argv);

#endif
