/*
 * lab_server.c — a stand-in for `sshdiag server` as far as the bans and logs layers go, for
 * the lab (tests/bans/lab.sh): the firewall (iptables-save, nft -j list ruleset, ipset save
 * run here), TCP wrappers (/etc/hosts.allow, /etc/hosts.deny), bans and logs layers evaluated
 * in the order the server runs them, the others left not_implemented, then the text or JSON
 * report.  It is not installed; `sshdiag server` wires the same calls.
 *
 *	lab_server --client ADDR [--port N] [--root DIR] [--log FILE]... [--journal[=DIR]]
 *	           [--fail2ban-conf DIR] [--json]
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bans/layer.h"
#include "base/buf.h"
#include "base/err.h"
#include "core/diagnosis.h"
#include "firewall/layer.h"
#include "io/collect_bans.h"
#include "io/collect_logs.h"
#include "io/proc.h"
#include "io/rootfs.h"
#include "logs/layer.h"
#include "report/report.h"
#include "tcpwrap/layer.h"

#define MAX_LOGS 16

static int run(char *const argv[], struct proc_result *pr)
{
	memset(pr, 0, sizeof(*pr));
	if (proc_run(argv, 10000, 64u << 20, pr) != SD_OK)
		return -1;
	if (pr->exited && pr->status == 0)
		return 0;
	proc_result_release(pr);
	return -1;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"client", required_argument, NULL, 'c'},
	    {"port", required_argument, NULL, 'p'},
	    {"root", required_argument, NULL, 'r'},
	    {"log", required_argument, NULL, 'l'},
	    {"journal", optional_argument, NULL, 'j'},
	    {"fail2ban-conf", required_argument, NULL, 'f'},
	    {"json", no_argument, NULL, 'J'},
	    {NULL, 0, NULL, 0},
	};
	const char *logs[MAX_LOGS], *root = NULL, *f2bconf = NULL;
	const char *more[1];
	size_t nlogs = 0;
	int json = 0, journal = 0, c, r, i;
	const char *journal_dir = NULL;
	struct conn_spec cs;
	struct diagnosis d;
	struct rootfs fs;
	struct firewall_inputs fi;
	struct proc_result pr[3];
	int have[3] = {0, 0, 0};
	struct tcpwrap_inputs ti;
	struct buf allow, deny, out;
	struct collect_bans_opts bo;
	struct collected_bans cb;
	struct collect_logs_opts lo;
	struct log_summary_opts so;
	struct log_summary *s;
	struct log_clock clk;

	memset(&cs, 0, sizeof(cs));
	cs.port = 22;
	while ((c = getopt_long(argc, argv, "c:p:r:l:j::f:", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			if (ip_addr_parse(optarg, &cs.client) != SD_OK)
				return 2;
			ip_addr_format(&cs.client, cs.client_text, sizeof(cs.client_text));
			break;
		case 'p':
			cs.port = (unsigned)atoi(optarg);
			break;
		case 'r':
			root = optarg;
			break;
		case 'l':
			if (nlogs < MAX_LOGS)
				logs[nlogs++] = optarg;
			break;
		case 'j':
			journal = 1;
			journal_dir = optarg;
			break;
		case 'f':
			f2bconf = optarg;
			break;
		case 'J':
			json = 1;
			break;
		default:
			fprintf(
			    stderr,
			    "usage: lab_server --client ADDR [--port N] [--root DIR] "
			    "[--log FILE]... [--journal[=DIR]] [--fail2ban-conf DIR] [--json]\n");
			return 2;
		}
	}
	if (rootfs_open(&fs, root) != SD_OK)
		return 2;
	if (diagnosis_init(&d, cs.client.family ? cs.client_text : NULL, cs.port, NULL) != SD_OK)
		return 4;
	for (i = 0; i < LAYER__COUNT; i++)
		diagnosis_set_layer(&d, (enum layer_id)i, LAYER_NOT_IMPLEMENTED,
		                    "not wired in this "
		                    "stand-in");

	/* firewall (live commands only) */
	memset(&fi, 0, sizeof(fi));
	fi.live = 1;
	{
		char *ipt[] = {"iptables-save", NULL},
		     *nft[] = {"nft", "-j", "list", "ruleset", NULL},
		     *ips[] = {"ipset", "save", NULL};
		char **cmds[3] = {ipt, nft, ips};
		static const enum fw_input_kind kinds[3] = {FW_IN_IPTABLES, FW_IN_NFT_JSON,
		                                            FW_IN_IPSET};
		static const char *const origins[3] = {"iptables-save", "nft -j list ruleset",
		                                       "ipset save"};

		for (i = 0; i < 3 && fs.live; i++) {
			struct firewall_input *in = &fi.in[fi.n];

			if (run(cmds[i], &pr[i]) != 0) {
				in->state = FW_INPUT_ABSENT;
			} else {
				have[i] = 1;
				in->state = FW_INPUT_PRESENT;
				in->data = pr[i].out.data;
				in->len = pr[i].out.len;
			}
			in->kind = kinds[i];
			in->origin = origins[i];
			fi.n++;
		}
		if ((r = firewall_layer_evaluate(&fi, &cs, &d)) != SD_OK)
			fprintf(stderr, "lab_server: firewall layer: %s\n", sd_strerror(r));
	}

	/* TCP wrappers */
	memset(&ti, 0, sizeof(ti));
	buf_init(&allow, 1 << 20);
	buf_init(&deny, 1 << 20);
	ti.allow.path = "/etc/hosts.allow";
	ti.deny.path = "/etc/hosts.deny";
	if (rootfs_read(&fs, "/etc/hosts.allow", 1 << 20, &allow) == SD_OK) {
		ti.allow.data = (const uint8_t *)allow.data;
		ti.allow.len = allow.len;
	} else {
		ti.allow.missing = 1;
	}
	if (rootfs_read(&fs, "/etc/hosts.deny", 1 << 20, &deny) == SD_OK) {
		ti.deny.data = (const uint8_t *)deny.data;
		ti.deny.len = deny.len;
	} else {
		ti.deny.missing = 1;
	}
	ti.libwrap = TCPWRAP_LIBWRAP_YES; /* the lab's sshd 9.2 and 10.0 both link libwrap */
	ti.libwrap_binary = "/usr/sbin/sshd";
	if ((r = tcpwrap_layer_evaluate(&ti, &cs, &d)) != SD_OK)
		fprintf(stderr, "lab_server: tcp_wrappers layer: %s\n", sd_strerror(r));

	/* bans (collect first: fail2ban's log is where its configuration says) */
	memset(&bo, 0, sizeof(bo));
	bo.f2b_confdir = f2bconf;
	bo.client = cs.client.family ? &cs.client : NULL;
	bo.ask_server = 1;
	if ((r = collect_bans(&fs, &bo, &cb)) != SD_OK)
		fprintf(stderr, "lab_server: collect_bans: %s\n", sd_strerror(r));
	cb.in.dh.libwrap = 1;

	/* logs */
	collect_logs_clock(&clk);
	memset(&so, 0, sizeof(so));
	so.clock = clk;
	so.focus = cs.client.family ? &cs.client : NULL;
	so.since = LOG_TS_NONE;
	s = malloc(sizeof(*s));
	if (!s)
		return 4;
	log_summary_init(s, &so);
	memset(&lo, 0, sizeof(lo));
	lo.files = logs;
	lo.nfiles = nlogs;
	lo.journal = journal;
	lo.journal_dir = journal_dir;
	if (cb.f2b_log) {
		/* fail2ban's own log: explicit runs read it like a named file */
		more[0] = cb.f2b_log;
		if (nlogs) {
			if (nlogs < MAX_LOGS)
				logs[nlogs++] = cb.f2b_log;
			lo.nfiles = nlogs;
		} else {
			lo.more_files = more;
			lo.nmore = 1;
		}
	}
	lo.discover = nlogs == 0 && !journal;
	if ((r = collect_logs(&fs, &lo, s)) != SD_OK)
		fprintf(stderr, "lab_server: collect_logs: %s\n", sd_strerror(r));
	log_summary_finish(s);
	cb.in.logs = s;

	if ((r = bans_layer_evaluate(&cb.in, &cs, &d)) != SD_OK)
		fprintf(stderr, "lab_server: bans layer: %s\n", sd_strerror(r));
	if ((r = logs_layer_evaluate(s, &cs, &d)) != SD_OK)
		fprintf(stderr, "lab_server: logs layer: %s\n", sd_strerror(r));
	diagnosis_conclude(&d);
	if (json) {
		char *j = diagnosis_to_json(&d);

		if (j)
			puts(j);
		free(j);
	} else {
		buf_init(&out, 1 << 22);
		diagnosis_to_text(&d, &out, 0);
		fputs(out.data, stdout);
		buf_release(&out);
	}
	r = verdict_exit_code(d.verdict);
	diagnosis_release(&d);
	log_summary_release(s);
	free(s);
	collected_bans_release(&cb);
	buf_release(&allow);
	buf_release(&deny);
	for (i = 0; i < 3; i++)
		if (have[i])
			proc_result_release(&pr[i]);
	rootfs_close(&fs);
	return r;
}
