/*
 * fw-layer.c — the firewall layer end to end, as `sshdiag server` runs it, for the lab:
 *
 *	fw-layer [--root DIR] [--client ADDR] [--server ADDR] [--port N]
 *	         [--iptables-save F] [--ip6tables-save F] [--ipset F] [--nft-json F] [--text]
 *
 * Collects (io/collect_firewall.h: live commands, or files), evaluates
 * (firewall/layer.h), and prints the diagnosis as JSON (report.h) — or as text with --text.
 * Exit status: the verdict's exit code with every other layer marked not applicable.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "core/diagnosis.h"
#include "firewall/layer.h"
#include "io/collect_firewall.h"
#include "io/rootfs.h"
#include "report/report.h"

int main(int argc, char **argv)
{
	struct collect_firewall_opts o;
	struct collected_firewall cf;
	struct conn_spec c;
	struct diagnosis d;
	struct rootfs fs;
	const char *root = NULL, *client = NULL;
	int text = 0, i, rc;
	struct buf b;
	char *json;

	memset(&o, 0, sizeof(o));
	memset(&c, 0, sizeof(c));
	c.port = 22;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--text") == 0) {
			text = 1;
		} else if (i + 1 >= argc) {
			fprintf(stderr, "fw-layer: %s needs a value\n", argv[i]);
			return 2;
		} else if (strcmp(argv[i], "--root") == 0) {
			root = argv[++i];
		} else if (strcmp(argv[i], "--client") == 0) {
			client = argv[++i];
			if (ip_addr_parse(client, &c.client) != 0)
				return 2;
			snprintf(c.client_text, sizeof(c.client_text), "%s", client);
		} else if (strcmp(argv[i], "--server") == 0) {
			if (ip_addr_parse(argv[++i], &c.server) != 0)
				return 2;
		} else if (strcmp(argv[i], "--port") == 0) {
			c.port = (unsigned)atoi(argv[++i]);
		} else if (strcmp(argv[i], "--iptables-save") == 0) {
			o.iptables_save = argv[++i];
		} else if (strcmp(argv[i], "--ip6tables-save") == 0) {
			o.ip6tables_save = argv[++i];
		} else if (strcmp(argv[i], "--ipset") == 0) {
			o.ipset = argv[++i];
		} else if (strcmp(argv[i], "--nft-json") == 0) {
			o.nft_json = argv[++i];
		} else {
			fprintf(stderr, "fw-layer: unknown option %s\n", argv[i]);
			return 2;
		}
	}
	o.client = &c.client;
	if (rootfs_open(&fs, root) != 0)
		return 2;
	if (collect_firewall(&fs, &o, &cf) != 0 || diagnosis_init(&d, client, c.port, NULL) != 0)
		return 4;
	for (i = 0; i < LAYER__COUNT; i++)
		if (i != LAYER_FIREWALL)
			diagnosis_set_layer(&d, (enum layer_id)i, LAYER_NOT_APPLICABLE,
			                    "not this tool's");
	if (firewall_layer_evaluate(&cf.in, &c, &d) != 0)
		return 4;
	diagnosis_conclude(&d);
	rc = verdict_exit_code(d.verdict);
	if (text) {
		buf_init(&b, 1 << 22);
		diagnosis_to_text(&d, &b, 0);
		fputs(b.data, stdout);
		buf_release(&b);
	} else if ((json = diagnosis_to_json(&d)) != NULL) {
		puts(json);
		free(json);
	}
	diagnosis_release(&d);
	collected_firewall_release(&cf);
	rootfs_close(&fs);
	return rc;
}
