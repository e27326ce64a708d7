#include "cli/cmd_sshd_config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "cli/cli.h"
#include "core/causes.h"
#include "core/conn.h"
#include "io/collect_sshd.h"
#include "io/rootfs.h"
#include "sshd/config.h"
#include "sshd/layers.h"
#include "sshd/render.h"

static const char usage_text[] =
    "usage: sshdiag sshd-config [--client ADDR] [--user NAME] [--port N] [--laddr ADDR]\n"
    "                           [-f FILE] [--root DIR] [--all] [--json]\n"
    "\n"
    "Prints the configuration sshd uses for one connection, as `sshd -T -C` would, with the\n"
    "file and line (or default) every value comes from, the Match blocks that apply, and the\n"
    "problems sshd would report.  Finds the running sshd (its -f, -o, -p) or reads\n"
    "/etc/ssh/sshd_config with the options of its systemd unit.  Read-only.\n"
    "\n"
    "  -c, --client ADDR   the client address (Match Address, Host)\n"
    "  -u, --user NAME     the login name (Match User, Group)\n"
    "  -p, --port N        the server port (Match LocalPort; default 22)\n"
    "  -l, --laddr ADDR    the server address the client connects to (Match LocalAddress)\n"
    "  -f, --file FILE     read this configuration file instead of the daemon's\n"
    "  -r, --root DIR      a copied system tree instead of this host\n"
    "  -a, --all           also list the values left at their defaults\n"
    "      --json          one JSON object\n"
    "  -h, --help\n"
    "\n"
    "Exit: 0 valid, 1 sshd would refuse this configuration, 2 usage, 3 unreadable, 4 internal.\n";

static int usage(void)
{
	fputs(usage_text, stderr);
	return SD_EXIT_USAGE;
}

int cmd_sshd_config(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"client", required_argument, NULL, 'c'}, {"user", required_argument, NULL, 'u'},
	    {"port", required_argument, NULL, 'p'},   {"laddr", required_argument, NULL, 'l'},
	    {"file", required_argument, NULL, 'f'},   {"root", required_argument, NULL, 'r'},
	    {"all", no_argument, NULL, 'a'},          {"json", no_argument, NULL, 'J'},
	    {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
	};
	const char *client = NULL, *user = NULL, *laddr = NULL, *file = NULL, *root = NULL;
	struct collect_sshd_opts copts;
	struct sshd_render_info info;
	struct sshd_inputs in;
	struct sshd_effective eff;
	struct sshd_conn ci;
	struct ip_addr a;
	struct rootfs fs;
	struct buf b;
	char client_text[64] = "", laddr_text[64] = "", bin[SSHD_PATH_MAX + 16] = "";
	unsigned port = 22;
	int json = 0, all = 0, c, r, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "c:u:p:l:f:r:ah", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			client = optarg;
			break;
		case 'u':
			user = optarg;
			break;
		case 'p':
			if (cli_parse_uint(optarg, 1, 65535, &port) != 0)
				return usage();
			break;
		case 'l':
			laddr = optarg;
			break;
		case 'f':
			file = optarg;
			break;
		case 'r':
			root = optarg;
			break;
		case 'a':
			all = 1;
			break;
		case 'J':
			json = 1;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return SD_EXIT_CLEAR;
		default:
			return usage();
		}
	}
	if (optind != argc)
		return usage();
	if (client) {
		if (ip_addr_parse(client, &a) != 0) {
			fprintf(stderr,
			        "sshdiag sshd-config: --client needs a numeric IPv4 or IPv6 "
			        "address\n");
			return SD_EXIT_USAGE;
		}
		ip_addr_format(&a, client_text, sizeof(client_text));
	}
	if (laddr) {
		if (ip_addr_parse(laddr, &a) != 0) {
			fprintf(stderr, "sshdiag sshd-config: --laddr needs a numeric address\n");
			return SD_EXIT_USAGE;
		}
		ip_addr_format(&a, laddr_text, sizeof(laddr_text));
	}
	if (file && file[0] != '/') {
		fprintf(stderr, "sshdiag sshd-config: -f needs an absolute path (as seen on the "
		                "diagnosed system)\n");
		return SD_EXIT_USAGE;
	}
	if ((r = rootfs_open(&fs, root)) != 0) {
		fprintf(stderr, "sshdiag sshd-config: cannot open root %s: %s\n", root ? root : "/",
		        sd_strerror(r));
		return SD_EXIT_USAGE;
	}
	memset(&copts, 0, sizeof(copts));
	copts.port = port;
	copts.config_file = file;
	copts.user = user;
	if ((r = collect_sshd(&fs, &copts, &in)) != 0) {
		fprintf(stderr, "sshdiag sshd-config: %s\n", sd_strerror(r));
		collect_sshd_release(&in);
		rootfs_close(&fs);
		return SD_EXIT_INTERNAL;
	}
	if (in.config == NULL) {
		fprintf(stderr, "sshdiag sshd-config: %s\n", in.config_note);
		collect_sshd_release(&in);
		rootfs_close(&fs);
		return SD_EXIT_INCONCLUSIVE;
	}
	/* like sshd -T -C: what is not given does not match */
	memset(&ci, 0, sizeof(ci));
	ci.test = 1;
	ci.user = user;
	ci.user_exists = in.user_exists;
	ci.groups = (const char *const *)in.user_groups;
	ci.ngroups = in.nuser_groups;
	ci.addr = client_text[0] ? client_text : NULL;
	ci.host = ci.addr;
	ci.laddr = laddr_text[0] ? laddr_text : NULL;
	ci.lport = (int)port;
	if (sshd_config_evaluate(in.config, &ci, &eff) != 0) {
		collect_sshd_release(&in);
		rootfs_close(&fs);
		return SD_EXIT_INTERNAL;
	}
	memset(&info, 0, sizeof(info));
	info.source = in.config_source;
	if (in.chosen >= 0)
		snprintf(bin, sizeof(bin), "%s%s", in.daemons[in.chosen].exe,
		         in.daemons[in.chosen].exe_deleted ? " (deleted)" : "");
	else
		snprintf(bin, sizeof(bin), "%s", in.binary.path);
	info.binary = bin[0] ? bin : NULL;
	info.version = in.version.known ? in.version.text : NULL;
	info.client = ci.addr;
	info.user = user;
	info.laddr = ci.laddr;
	info.lport = (int)port;
	info.all = all;
	rc = sshd_config_diags(in.config)->fatal || eff.diags.fatal ? SD_EXIT_PROBLEM
	                                                            : SD_EXIT_CLEAR;
	if (!in.live && in.config_note[0])
		rc = SD_EXIT_INCONCLUSIVE;
	if (json) {
		if (cli_put_owned(stdout, sshd_render_json(in.config, &eff, &info)) != 0)
			rc = SD_EXIT_INTERNAL;
	} else {
		buf_init(&b, 1 << 24);
		if (sshd_render_text(in.config, &eff, &info, &b) != 0)
			rc = SD_EXIT_INTERNAL;
		fputs(b.data, stdout);
		buf_release(&b);
	}
	sshd_effective_release(&eff);
	collect_sshd_release(&in);
	rootfs_close(&fs);
	return rc;
}
