/* sshdiag — why does this SSH login fail before authentication? */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cmd_sshd_config.h"
#include "core/causes.h"

static const char usage[] =
    "usage: sshdiag <command> [options]\n"
    "\n"
    "Tells why an SSH connection fails before authentication, and what to change.\n"
    "\n"
    "Commands:\n"
    "  probe TARGET...        client side: connect, read banner and KEXINIT, classify\n"
    "  server [--client ADDR] server side: follow a connection through every layer\n"
    "  logs [FILE...]         sshd and ban-tool evidence from logs and the journal\n"
    "  sshd-config            sshd's effective configuration for a connection, with\n"
    "                         where every value comes from (a better sshd -T -C)\n"
    "  bundle [-o FILE]       everything `server` reads, in a tar.gz for support (no\n"
    "                         private keys, no password hashes); read it with --root\n"
    "  explain MESSAGE|-      a pasted ssh or sshd message: side, phase, likely causes\n"
    "                         and the next command for each (no network, no root)\n"
    "\n"
    "Options: --help (also per command), --version.  Every command takes --json.\n"
    "Exit: 0 clear, 1 blocked or intermittent, 2 usage, 3 inconclusive, 4 internal error.\n";

int cli_use_color(void)
{
	const char *nc = getenv("NO_COLOR");

	return isatty(STDOUT_FILENO) && !(nc && *nc);
}

int cli_put_owned(FILE *f, char *s)
{
	if (!s) {
		fprintf(stderr, "sshdiag: out of memory\n");
		return SD_EXIT_INTERNAL;
	}
	fputs(s, f);
	fputc('\n', f);
	free(s);
	return 0;
}

int cli_parse_uint(const char *s, unsigned lo, unsigned hi, unsigned *out)
{
	char *end;
	unsigned long v;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return -1;
	*out = (unsigned)v;
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : NULL;
	int rc;

	if (!cmd) {
		fputs(usage, stderr);
		return SD_EXIT_USAGE;
	}
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
		fputs(usage, stdout);
		return SD_EXIT_CLEAR;
	}
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
		printf("sshdiag %s\n", SSHDIAG_VERSION);
		return SD_EXIT_CLEAR;
	}
	if (strcmp(cmd, "probe") == 0)
		rc = cmd_probe(argc - 1, argv + 1);
	else if (strcmp(cmd, "server") == 0)
		rc = cmd_server(argc - 1, argv + 1);
	else if (strcmp(cmd, "sshd-config") == 0)
		rc = cmd_sshd_config(argc - 1, argv + 1);
	else if (strcmp(cmd, "logs") == 0)
		rc = cmd_logs(argc - 1, argv + 1);
	else if (strcmp(cmd, "bundle") == 0)
		rc = cmd_bundle(argc - 1, argv + 1);
	else if (strcmp(cmd, "explain") == 0)
		rc = cmd_explain(argc - 1, argv + 1);
	else {
		fprintf(stderr, "sshdiag: unknown command '%s'\n\n%s", cmd, usage);
		return SD_EXIT_USAGE;
	}
	if (fflush(stdout) != 0)
		return SD_EXIT_INTERNAL;
	return rc;
}
