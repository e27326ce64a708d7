#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/err.h"
#include "cli/cli.h"
#include "core/causes.h"
#include "core/conn.h"
#include "io/bundle.h"

static const char bundle_usage[] =
    "usage: sshdiag bundle [-o FILE|-] [--root DIR] [--port N] [--client ADDR]\n"
    "                      [--log FILE]... [--log-max MIB] [--journal-hours H]\n"
    "                      [--json]\n"
    "\n"
    "Collects what `sshdiag server` reads on this host (configuration, ruleset captures,\n"
    "fail2ban's database and answers, the log window, sshd binaries, the listening sockets\n"
    "and processes) into a tar.gz with a manifest, for `sshdiag server --root DIR` on another\n"
    "machine.  Private keys and password hashes are never included.  Read-only: it writes\n"
    "only FILE (default sshdiag-bundle-YYYYmmdd-HHMMSS.tar.gz, mode 0600; - for stdout).\n"
    "\n"
    "  -o, --output FILE     where to write the bundle (refuses to overwrite)\n"
    "  -r, --root DIR        bundle a copied tree (or an unpacked bundle) instead of this host\n"
    "  -p, --port N          the SSH port (default 22)\n"
    "  -c, --client ADDR     also record the interface ADDR's packets arrive on (for\n"
    "                        firewall rules on -i / iif)\n"
    "      --log FILE        take this log, as `server --log FILE` (repeatable)\n"
    "      --log-max MIB     keep the last MIB of each log (default 16)\n"
    "      --journal-hours H the journal window (default 48)\n"
    "      --json            print the manifest (JSON) on stdout as well\n"
    "  -h, --help\n";

int cmd_bundle(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"output", required_argument, NULL, 'o'},
	    {"root", required_argument, NULL, 'r'},
	    {"client", required_argument, NULL, 'c'},
	    {"json", no_argument, NULL, 'J'},
	    {"port", required_argument, NULL, 'p'},
	    {"log", required_argument, NULL, 'L'},
	    {"log-max", required_argument, NULL, 'M'},
	    {"journal-hours", required_argument, NULL, 'H'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *out = NULL, *logs[16];
	char cwd[2048], abs[16][4096];
	struct bundle_opts o;
	char name[128], why[512];
	struct ip_addr addr;
	char *manifest = NULL;
	int json = 0;
	size_t i;
	unsigned v;
	int c, fd, r;

	memset(&o, 0, sizeof(o));
	o.logs = logs;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:r:p:c:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'r':
			o.root = optarg;
			break;
		case 'c':
			if (ip_addr_parse(optarg, &addr) != 0) {
				fprintf(stderr, "sshdiag bundle: --client needs a numeric IPv4 or "
				                "IPv6 address\n");
				return SD_EXIT_USAGE;
			}
			o.client = optarg;
			break;
		case 'p':
			if (cli_parse_uint(optarg, 1, 65535, &o.port) != 0)
				goto usage;
			break;
		case 'L':
			if (o.nlogs == sizeof(logs) / sizeof(logs[0]))
				goto usage;
			logs[o.nlogs++] = optarg;
			break;
		case 'M':
			if (cli_parse_uint(optarg, 1, 4096, &v) != 0)
				goto usage;
			o.log_max = (uint64_t)v << 20;
			break;
		case 'H':
			if (cli_parse_uint(optarg, 1, 24 * 366, &o.journal_hours) != 0)
				goto usage;
			break;
		case 'J':
			json = 1;
			break;
		case 'h':
			fputs(bundle_usage, stdout);
			return SD_EXIT_CLEAR;
		default:
			goto usage;
		}
	}
	if (optind != argc)
		goto usage;
	/* on this host a relative log is where bundle was started, as for server --log; in a
	 * tree, paths are as seen there */
	for (i = 0; !o.root && i < o.nlogs; i++)
		if (logs[i][0] != '/' && getcwd(cwd, sizeof(cwd)) &&
		    snprintf(abs[i], sizeof(abs[0]), "%s/%s", cwd, logs[i]) < (int)sizeof(abs[0]))
			logs[i] = abs[i];
	if (!out) {
		time_t t = time(NULL);
		struct tm tm;

		gmtime_r(&t, &tm);
		strftime(name, sizeof(name), "sshdiag-bundle-%Y%m%d-%H%M%S.tar.gz", &tm);
		out = name;
	}
	if (json && strcmp(out, "-") == 0) {
		fprintf(stderr,
		        "sshdiag bundle: --json prints the manifest on stdout: it cannot go "
		        "with -o -\n");
		return SD_EXIT_USAGE;
	}
	if (strcmp(out, "-") == 0) {
		fd = STDOUT_FILENO;
	} else if ((fd = open(out, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0) {
		fprintf(stderr, "sshdiag bundle: cannot create %s: %s\n", out, strerror(errno));
		return SD_EXIT_USAGE;
	}
	if (!o.root && geteuid() != 0)
		fprintf(stderr, "sshdiag bundle: not root: sockets, processes, rulesets and some "
		                "files cannot be read; the bundle will say so (run as root)\n");
	why[0] = '\0';
	r = bundle_write_manifest(&o, fd, why, sizeof(why), json ? &manifest : NULL);
	if (fd != STDOUT_FILENO && close(fd) != 0 && r == SD_OK) {
		r = SD_ERR_IO;
		snprintf(why, sizeof(why), "closing %s: %s", out, strerror(errno));
	}
	if (r != SD_OK) {
		free(manifest);
		fprintf(stderr, "sshdiag bundle: %s\n", why[0] ? why : sd_strerror(r));
		if (fd != STDOUT_FILENO)
			unlink(out);
		return r == SD_ERR_NOT_FOUND || r == SD_ERR_PERM ? SD_EXIT_USAGE : SD_EXIT_INTERNAL;
	}
	if (fd != STDOUT_FILENO)
		fprintf(stderr, "sshdiag bundle: wrote %s\n", out);
	if (json)
		return cli_put_owned(stdout, manifest) ? SD_EXIT_INTERNAL : SD_EXIT_CLEAR;
	return SD_EXIT_CLEAR;
usage:
	fputs(bundle_usage, stderr);
	return SD_EXIT_USAGE;
}
