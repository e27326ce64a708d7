#include <arpa/inet.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "cli/cli.h"
#include "core/diagnosis.h"
#include "core/conn.h"
#include "bans/layer.h"
#include "firewall/layer.h"
#include "io/collect_bans.h"
#include "io/collect_firewall.h"
#include "io/collect_logs.h"
#include "io/collect_sshd.h"
#include "logs/layer.h"
#include "logs/summary.h"
#include "io/collect_tcpwrap.h"
#include "io/rootfs.h"
#include "sshd/layers.h"
#include "tcpwrap/layer.h"
#include "report/report.h"

static const char server_usage[] =
    "usage: sshdiag server [--client ADDR] [--port N] [--user NAME] [--root DIR] [--json]\n"
    "\n"
    "Follows a connection from ADDR through every layer it meets on this server (listening\n"
    "socket, firewall, ban tools, TCP wrappers, sshd admission, sshd health) and names the\n"
    "one that stops it, with evidence and a fix.  Read-only: it never changes anything.\n"
    "\n"
    "  -c, --client ADDR   the client address as this server sees it\n"
    "  -p, --port N        the SSH port (default 22)\n"
    "  -u, --user NAME     the login name (for Match blocks)\n"
    "  -r, --root DIR      diagnose a copied system tree or bundle instead of this host\n"
    "      --client-name N the client's host name as the server resolves it (for\n"
    "                      name patterns in hosts.allow/hosts.deny)\n"
    "      --resolve       look the client's name up (sends DNS queries)\n"
    "      --log FILE      read this log too (repeatable; default: find sshd's logs)\n"
    "      --iptables-save FILE, --ip6tables-save FILE, --ipset FILE, --nft-json FILE\n"
    "                      read these rulesets (saved output) instead of running the\n"
    "                      commands or searching the tree\n"
    "      --journal[=DIR] read the systemd journal (or the journal files in DIR)\n"
    "      --json          one JSON object\n"
    "  -h, --help\n";

/* Layers whose evaluators have not landed yet say so, which forces `inconclusive`. */
static const char not_yet[] = "not implemented in this version";

int cmd_server(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"client", required_argument, NULL, 'c'},
	    {"port", required_argument, NULL, 'p'},
	    {"user", required_argument, NULL, 'u'},
	    {"root", required_argument, NULL, 'r'},
	    {"json", no_argument, NULL, 'J'},
	    {"client-name", required_argument, NULL, 'N'},
	    {"resolve", no_argument, NULL, 'R'},
	    {"log", required_argument, NULL, 'L'},
	    {"iptables-save", required_argument, NULL, '4'},
	    {"ip6tables-save", required_argument, NULL, '6'},
	    {"ipset", required_argument, NULL, 'I'},
	    {"nft-json", required_argument, NULL, 'F'},
	    {"journal", optional_argument, NULL, 'j'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *client = NULL, *user = NULL, *root = NULL, *client_name = NULL;
	struct tcpwrap_collected tw;
	struct collect_sshd_opts so;
	struct sshd_inputs si;
	char sshd_exe[600], session[600];
	struct conn_spec conn;
	int resolve = 0, journal = 0;
	const char *logs[16], *journal_dir = NULL, *more[1];
	size_t nlogs = 0;
	struct collect_bans_opts bo;
	struct collected_bans cb;
	struct collect_logs_opts lo;
	struct log_summary_opts lso;
	struct log_summary ls;
	struct log_clock clk;
	struct collect_firewall_opts fo;
	struct collected_firewall cf;
	unsigned port = 22;
	unsigned char addr[16];
	struct diagnosis d;
	struct rootfs fs;
	struct buf b;
	int json = 0, c, i, r, rc;

	memset(&fo, 0, sizeof(fo));
	optind = 1;
	while ((c = getopt_long(argc, argv, "c:p:u:r:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			client = optarg;
			break;
		case 'p':
			if (cli_parse_uint(optarg, 1, 65535, &port) != 0)
				goto usage;
			break;
		case 'u':
			user = optarg;
			break;
		case 'r':
			root = optarg;
			break;
		case 'J':
			json = 1;
			break;
		case 'N':
			client_name = optarg;
			break;
		case 'R':
			resolve = 1;
			break;
		case 'L':
			if (nlogs == sizeof(logs) / sizeof(logs[0]))
				goto usage;
			logs[nlogs++] = optarg;
			break;
		case 'j':
			journal = 1;
			journal_dir = optarg;
			break;
		case '4':
			fo.iptables_save = optarg;
			break;
		case '6':
			fo.ip6tables_save = optarg;
			break;
		case 'I':
			fo.ipset = optarg;
			break;
		case 'F':
			fo.nft_json = optarg;
			break;
		case 'h':
			fputs(server_usage, stdout);
			return SD_EXIT_CLEAR;
		default:
			goto usage;
		}
	}
	if (optind != argc)
		goto usage;
	memset(&conn, 0, sizeof(conn));
	conn.port = port;
	conn.user = user;
	if (client) {
		(void)addr;
		if (ip_addr_parse(client, &conn.client) != 0) {
			fprintf(stderr,
			        "sshdiag server: --client needs a numeric IPv4 or IPv6 address\n");
			return SD_EXIT_USAGE;
		}
		ip_addr_format(&conn.client, conn.client_text, sizeof(conn.client_text));
	}
	if ((r = rootfs_open(&fs, root)) != 0) {
		fprintf(stderr, "sshdiag server: cannot open root %s: %s\n", root ? root : "/",
		        sd_strerror(r));
		return SD_EXIT_USAGE;
	}
	if (diagnosis_init(&d, client, port, user) != 0) {
		rootfs_close(&fs);
		return SD_EXIT_INTERNAL;
	}
	for (i = 0; i < LAYER__COUNT; i++)
		if (diagnosis_set_layer(&d, (enum layer_id)i, LAYER_NOT_IMPLEMENTED, "%s", not_yet))
			goto oom;
	/* collect (edge), then evaluate (pure), layer by layer */
	memset(&so, 0, sizeof(so));
	so.port = port;
	so.user = user;
	so.run_sshd_t = 1;
	if (collect_sshd(&fs, &so, &si) != 0)
		goto oom;
	r = sshd_layers_evaluate(&si, &conn, &d);
	/* the TCP wrappers check runs in the binary that accepts this port */
	sshd_exe[0] = session[0] = '\0';
	if (si.chosen >= 0 && (size_t)si.chosen < si.ndaemons)
		snprintf(sshd_exe, sizeof(sshd_exe), "/proc/%d/exe", si.daemons[si.chosen].pid);
	if (si.session.checked && si.session.exists)
		snprintf(session, sizeof(session), "%s", si.session.path);
	collect_sshd_release(&si);
	if (r != 0)
		goto oom;
	/* the firewall before the ban tools: a ban is enforced by a rule the firewall layer names
	 */
	fo.client = conn.client.family ? &conn.client : NULL;
	if (collect_firewall(&fs, &fo, &cf) != 0)
		goto oom;
	r = firewall_layer_evaluate(&cf.in, &conn, &d);
	collected_firewall_release(&cf);
	if (r != 0)
		goto oom;
	if (collect_tcpwrap(&fs, sshd_exe[0] ? sshd_exe : NULL, session[0] ? session : NULL, &tw) !=
	    0)
		goto oom;
	if (client_name)
		tw.in.client_name = client_name;
	else if (resolve && client) {
		resolve_client_name(conn.client_text, tw.client_name, sizeof(tw.client_name));
		tw.in.client_name = tw.client_name;
	}
	r = tcpwrap_layer_evaluate(&tw.in, &conn, &d);
	collect_tcpwrap_release(&tw);
	if (r != 0)
		goto oom;
	/* ban tools, then the logs (fail2ban's own log among them), which both cite */
	memset(&bo, 0, sizeof(bo));
	bo.client = conn.client.family ? &conn.client : NULL;
	bo.ask_server = fs.live;
	if (collect_bans(&fs, &bo, &cb) != 0)
		goto oom;
	collect_logs_clock(&clk);
	memset(&lso, 0, sizeof(lso));
	lso.clock = clk;
	lso.focus = conn.client.family ? &conn.client : NULL;
	lso.since = LOG_TS_NONE;
	log_summary_init(&ls, &lso);
	memset(&lo, 0, sizeof(lo));
	lo.files = logs;
	lo.nfiles = nlogs;
	lo.journal = journal;
	lo.journal_dir = journal_dir;
	lo.discover = nlogs == 0 && !journal;
	more[0] = cb.f2b_log;
	lo.more_files = more;
	lo.nmore = cb.f2b_log ? 1 : 0;
	r = collect_logs(&fs, &lo, &ls);
	if (r == 0) {
		log_summary_finish(&ls);
		cb.in.logs = &ls;
		cb.in.clock = clk;
		r = bans_layer_evaluate(&cb.in, &conn, &d);
	}
	if (r == 0)
		r = logs_layer_evaluate(&ls, &conn, &d);
	collected_bans_release(&cb);
	log_summary_release(&ls);
	if (r != 0)
		goto oom;
	diagnosis_conclude(&d);
	rc = verdict_exit_code(d.verdict);
	if (json) {
		if (cli_put_owned(stdout, diagnosis_to_json(&d)) != 0)
			rc = SD_EXIT_INTERNAL;
	} else {
		buf_init(&b, 1 << 22);
		if (diagnosis_to_text(&d, &b, cli_use_color()) != 0)
			rc = SD_EXIT_INTERNAL;
		fputs(b.data, stdout);
		buf_release(&b);
	}
	diagnosis_release(&d);
	rootfs_close(&fs);
	return rc;
oom:
	diagnosis_release(&d);
	rootfs_close(&fs);
	return SD_EXIT_INTERNAL;
usage:
	fputs(server_usage, stderr);
	return SD_EXIT_USAGE;
}
