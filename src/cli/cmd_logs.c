#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "cli/cli.h"
#include "core/causes.h"
#include "core/conn.h"
#include "io/collect_logs.h"
#include "io/rootfs.h"
#include "logs/layer.h"
#include "logs/render.h"
#include "logs/summary.h"

static const char logs_usage[] =
    "usage: sshdiag logs [FILE...] [--journal[=DIR]] [--client ADDR] [--since T] [--root DIR]\n"
    "                    [--json]\n"
    "\n"
    "Extracts every sshd and ban-tool event that explains pre-authentication failures from\n"
    "auth logs (plain, rotated, gzip) and the systemd journal, as per-client timelines.\n"
    "Without FILE or --journal it reads what this system logs to: the running sshd's -E file,\n"
    "the files syslog sends the auth facility to (with their rotations), fail2ban's log and\n"
    "the journal.\n"
    "\n"
    "  -j, --journal[=DIR]  read the systemd journal (or the journal files in DIR)\n"
    "  -c, --client ADDR    the timeline of this client (numeric IPv4 or IPv6)\n"
    "  -s, --since T        only events from T on: 2026-11-24, \"2026-11-24 10:00\", 10:00,\n"
    "                       -2h, \"30 min ago\", today, yesterday, @EPOCH\n"
    "  -n, --top N          clients to list (default 20; 0: all)\n"
    "  -r, --root DIR       find the logs (and --journal's) inside a copied system tree\n"
    "      --json           one JSON object\n"
    "  -h, --help\n"
    "\n"
    "Exit status: 0 nothing that blocks logins, 1 drops, refusals or bans found (for ADDR, or\n"
    "in the last hour), 2 usage error, 3 no log could be read, 4 internal error.\n";

/* Something that blocks connections: for the client, or anyone in the last hour. */
static int problem_found(const struct log_summary *s, const struct ip_addr *client)
{
	static const enum log_kind blocking[] = {LK_MAXSTARTUPS,       LK_PENALTY,      LK_LIBWRAP,
	                                         LK_REFUSE_CONNECTION, LK_SSHD_FAILURE, LK_FAIL2BAN,
	                                         LK_SSHGUARD};
	size_t i;

	if (client && client->family) {
		const struct log_client *cl = log_summary_client(s, client);
		unsigned c;

		if (!cl)
			return 0;
		for (c = 1; c < LC__COUNT; c++)
			if (cl->count[c] && ((log_class_flags((enum log_class)c) & LCF_ADMISSION) ||
			                     c == LC_F2B_BAN || c == LC_SSHGUARD_BLOCK ||
			                     c == LC_REFUSE_CONNECTION))
				return 1;
		return 0;
	}
	for (i = 0; i < sizeof(blocking) / sizeof(blocking[0]); i++) {
		const struct log_window *w = log_summary_window(s, blocking[i], 0);

		if (w && w->last != LOG_TS_NONE &&
		    w->last >= s->o.clock.now - (int64_t)LOGS_RECENT * LOG_US)
			return 1;
	}
	return 0;
}

int cmd_logs(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"journal", optional_argument, NULL, 'j'}, {"client", required_argument, NULL, 'c'},
	    {"since", required_argument, NULL, 's'},   {"top", required_argument, NULL, 'n'},
	    {"root", required_argument, NULL, 'r'},    {"json", no_argument, NULL, 'J'},
	    {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
	};
	struct collect_logs_opts co;
	struct log_summary_opts so;
	struct logs_render_opts ro;
	struct log_summary *s = NULL;
	struct ip_addr client;
	struct log_clock clk;
	const char *client_text = NULL, *since = NULL, *root = NULL;
	char canon[64];
	unsigned top = 20;
	int top_set = 0, json = 0, c, r, rc;
	struct rootfs fs;
	struct buf b;

	memset(&co, 0, sizeof(co));
	memset(&client, 0, sizeof(client));
	optind = 1;
	while ((c = getopt_long(argc, argv, "j::c:s:n:r:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			co.journal = 1;
			co.journal_dir = optarg;
			break;
		case 'c':
			client_text = optarg;
			break;
		case 's':
			since = optarg;
			break;
		case 'n':
			if (cli_parse_uint(optarg, 0, 1000000000, &top) != 0)
				goto usage;
			top_set = 1;
			break;
		case 'r':
			root = optarg;
			break;
		case 'J':
			json = 1;
			break;
		case 'h':
			fputs(logs_usage, stdout);
			return SD_EXIT_CLEAR;
		default:
			goto usage;
		}
	}
	if (client_text && ip_addr_parse(client_text, &client) != SD_OK) {
		fprintf(stderr, "sshdiag logs: --client needs a numeric IPv4 or IPv6 address\n");
		return SD_EXIT_USAGE;
	}
	if (client_text) {
		ip_addr_format(&client, canon, sizeof(canon));
		client_text = canon;
	}
	collect_logs_clock(&clk);
	memset(&so, 0, sizeof(so));
	so.clock = clk;
	so.focus = client.family ? &client : NULL;
	so.since = LOG_TS_NONE;
	if (since && log_since_parse(since, &clk, &so.since) != SD_OK) {
		fprintf(stderr,
		        "sshdiag logs: cannot read --since '%s' (try 2026-11-24, "
		        "\"2026-11-24 10:00\", 10:00, -2h or yesterday)\n",
		        since);
		return SD_EXIT_USAGE;
	}
	co.files = (const char *const *)argv + optind;
	co.nfiles = (size_t)(argc - optind);
	co.discover = co.nfiles == 0 && !co.journal;
	if (co.discover) {
		static const char *const more[] = {"/var/log/fail2ban.log"};

		co.more_files = more;
		co.nmore = 1;
	}
	if ((r = rootfs_open(&fs, root ? root : "/")) != SD_OK) {
		fprintf(stderr, "sshdiag logs: cannot open %s: %s\n", root ? root : "/",
		        sd_strerror(r));
		return root ? SD_EXIT_USAGE : SD_EXIT_INTERNAL;
	}
	if ((s = malloc(sizeof(*s))) == NULL) {
		rootfs_close(&fs);
		return SD_EXIT_INTERNAL;
	}
	log_summary_init(s, &so);
	r = collect_logs(&fs, &co, s);
	rootfs_close(&fs);
	if (r != SD_OK) {
		fprintf(stderr, "sshdiag logs: %s\n", sd_strerror(r));
		rc = SD_EXIT_INTERNAL;
		goto out;
	}
	log_summary_finish(s);
	memset(&ro, 0, sizeof(ro));
	ro.client = client.family ? &client : NULL;
	ro.client_text = client_text;
	ro.top = top_set ? top : (json ? 100 : 20);
	ro.color = cli_use_color();
	if (!log_summary_any_read(s))
		rc = SD_EXIT_INCONCLUSIVE;
	else
		rc = problem_found(s, ro.client) ? SD_EXIT_PROBLEM : SD_EXIT_CLEAR;
	if (s->oom)
		rc = SD_EXIT_INTERNAL;
	if (json) {
		json_t *j = logs_render_json(s, &ro);

		if (!j ||
		    cli_put_owned(stdout, json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER)))
			rc = SD_EXIT_INTERNAL;
		json_decref(j);
	} else {
		buf_init(&b, (size_t)1 << 28);
		if (logs_render_text(s, &ro, &b) != SD_OK)
			rc = SD_EXIT_INTERNAL;
		fputs(b.data, stdout);
		buf_release(&b);
	}
out:
	log_summary_release(s);
	free(s);
	return rc;
usage:
	fputs(logs_usage, stderr);
	return SD_EXIT_USAGE;
}
