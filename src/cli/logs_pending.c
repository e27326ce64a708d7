/* The stub `sshdiag logs` until the log layer lands (it says so and exits 3). */
#include <getopt.h>
#include <string.h>

#include "cli/cli.h"
#include "core/causes.h"

static const char logs_usage[] =
    "usage: sshdiag logs [FILE...] [--journal[=DIR]] [--client ADDR] [--since T] [--json]\n"
    "\n"
    "Extracts every sshd and ban-tool event that explains pre-authentication failures from\n"
    "auth logs (plain, rotated, gzip) and the systemd journal, as per-client timelines.\n";

int cmd_logs(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"journal", optional_argument, NULL, 'j'}, {"client", required_argument, NULL, 'c'},
	    {"since", required_argument, NULL, 's'},   {"json", no_argument, NULL, 'J'},
	    {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
	};
	int c, json = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "c:s:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
		case 'c':
		case 's':
			break;
		case 'J':
			json = 1;
			break;
		case 'h':
			fputs(logs_usage, stdout);
			return SD_EXIT_CLEAR;
		default:
			fputs(logs_usage, stderr);
			return SD_EXIT_USAGE;
		}
	}
	/* The log layer has not landed: say so rather than print an empty, reassuring result. */
	if (json)
		puts("{\"status\": \"not_implemented\", \"events\": null}");
	else
		puts("sshdiag logs: not implemented in this version (no log was read)");
	return SD_EXIT_INCONCLUSIVE;
}
