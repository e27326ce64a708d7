/*
 * fw-predict.c — the evaluator as a command, for the differential test and by hand:
 *
 *	fw-predict [--iptables F] [--ip6tables F] [--iptables-legacy F] [--ip6tables-legacy F] *
 *[--ipset F] [--nft-json F] [--server ADDR] [--port N] [--iif NAME]
 *	           [--iif-addr ADDR]
 *	           [--explain] [CLIENT…]
 *
 * Prints one line per client: "CLIENT SEES CERTAINTY", where SEES is fw_sees_name() and
 * CERTAINTY certain|rate|uncertain; --explain adds the deciding path.  Clients are read from
 * stdin (one per line) when none are given.  Links the pure core only; the files are read
 * here with stdio because this is a test tool, not the product.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "firewall/answer.h"
#include "firewall/ipset.h"
#include "firewall/iptables.h"
#include "firewall/nft.h"
#include "firewall/render.h"
#include "firewall/ruleset.h"

#define MAX_FILE (512u * 1024 * 1024)

static char *slurp(const char *path, size_t *ret_len)
{
	FILE *f = fopen(path, "rb");
	size_t n = 0, cap = 1 << 16, got;
	char *b = NULL, *nb;

	if (!f)
		return NULL;
	for (;;) {
		if ((nb = realloc(b, cap + 1)) == NULL)
			break;
		b = nb;
		got = fread(b + n, 1, cap - n, f);
		n += got;
		if (n < cap || cap >= MAX_FILE)
			break;
		cap *= 2;
	}
	fclose(f);
	if (b)
		b[n] = '\0';
	*ret_len = n;
	return b;
}

static const char *certainty_name(uint8_t c)
{
	return c == FW_CERTAIN ? "certain" : c == FW_RATE_DEPENDENT ? "rate" : "uncertain";
}

int main(int argc, char **argv)
{
	static const struct {
		const char *opt;
		enum fw_input_kind kind;
	} kinds[] = {{"--iptables", FW_IN_IPTABLES},
	             {"--ip6tables", FW_IN_IP6TABLES},
	             {"--iptables-legacy", FW_IN_IPTABLES_LEGACY},
	             {"--ip6tables-legacy", FW_IN_IP6TABLES_LEGACY},
	             {"--ipset", FW_IN_IPSET},
	             {"--nft-json", FW_IN_NFT_JSON}};
	struct fw_ruleset rs;
	struct fw_question q;
	struct fw_answer a;
	char *files[16], line[256];
	const char *server4 = NULL, *server6 = NULL, *iif = NULL, *iif4 = NULL, *iif6 = NULL;
	unsigned nfiles = 0, port = 22, k;
	int explain = 0, i, r, rc = 0;
	uint32_t src;
	size_t len;
	struct buf b;

	fw_ruleset_init(&rs);
	for (i = 1; i < argc; i++) {
		for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
			if (strcmp(argv[i], kinds[k].opt) == 0)
				break;
		if (k < sizeof(kinds) / sizeof(kinds[0]) && i + 1 < argc && nfiles < 16) {
			if ((files[nfiles] = slurp(argv[++i], &len)) == NULL) {
				fprintf(stderr, "fw-predict: cannot read %s\n", argv[i]);
				return 2;
			}
			if (fw_ruleset_add_source(&rs, kinds[k].kind, argv[i], 0, files[nfiles],
			                          len, &src) != 0)
				return 2;
			r = kinds[k].kind == FW_IN_IPSET      ? fw_ipset_parse(&rs, src)
			    : kinds[k].kind == FW_IN_NFT_JSON ? fw_nft_parse(&rs, src)
			                                      : fw_iptables_parse(&rs, src);
			if (r != 0) {
				fprintf(stderr, "fw-predict: %s: %s\n", argv[i], sd_strerror(r));
				return 2;
			}
			nfiles++;
		} else if (strcmp(argv[i], "--server") == 0 && i + 1 < argc) {
			if (strchr(argv[++i], ':'))
				server6 = argv[i];
			else
				server4 = argv[i];
		} else if (strcmp(argv[i], "--port") == 0 && i + 1 < argc) {
			port = (unsigned)atoi(argv[++i]);
		} else if (strcmp(argv[i], "--iif") == 0 && i + 1 < argc) {
			iif = argv[++i];
		} else if (strcmp(argv[i], "--iif-addr") == 0 && i + 1 < argc) {
			if (strchr(argv[++i], ':'))
				iif6 = argv[i];
			else
				iif4 = argv[i];
		} else if (strcmp(argv[i], "--explain") == 0) {
			explain = 1;
		} else if (argv[i][0] == '-') {
			fprintf(stderr, "fw-predict: unknown option %s\n", argv[i]);
			return 2;
		} else {
			break;
		}
	}
	if ((r = fw_ruleset_link(&rs)) != 0) {
		fprintf(stderr, "fw-predict: link: %s\n", sd_strerror(r));
		return 2;
	}
	if (explain)
		for (k = 0; k < rs.nnotes; k++)
			printf("# note %s:%u: %s\n", rs.sources[rs.notes[k].source].origin,
			       rs.notes[k].line, rs.notes[k].text);
	buf_init(&b, 1 << 20);
	for (int from_stdin = i >= argc;;) {
		char client[128], server[128];
		unsigned p = port;
		int n;

		server[0] = '\0';
		if (!from_stdin) {
			if (i >= argc)
				break;
			snprintf(client, sizeof(client), "%s", argv[i++]);
		} else {
			if (!fgets(line, sizeof(line), stdin))
				break;
			n = sscanf(line, "%127s %127s %u", client, server, &p);
			if (n < 1)
				continue;
			if (n < 2)
				server[0] = '\0';
			if (n < 3)
				p = port;
		}
		memset(&q, 0, sizeof(q));
		if (ip_addr_parse(client, &q.client) != 0) {
			printf("%s invalid -\n", client);
			rc = 1;
			continue;
		}
		if (server[0])
			ip_addr_parse(server, &q.server);
		else if (q.client.family == 4 && server4)
			ip_addr_parse(server4, &q.server);
		else if (q.client.family == 6 && server6)
			ip_addr_parse(server6, &q.server);
		q.port = p;
		q.iif = iif;
		if (q.client.family == 4 && iif4)
			ip_addr_parse(iif4, &q.iif_addr);
		if (q.client.family == 6 && iif6)
			ip_addr_parse(iif6, &q.iif_addr);
		fw_answer(&rs, &q, &a);
		if (from_stdin)
			printf("%s %s %u %s %s\n", client, server[0] ? server : "-", p,
			       fw_sees_name((enum fw_sees)a.sees), certainty_name(a.certainty));
		else
			printf("%s %s %s\n", client, fw_sees_name((enum fw_sees)a.sees),
			       certainty_name(a.certainty));
		if (explain) {
			buf_reset(&b);
			fw_render_answer(&rs, &a, &b);
			fputs(b.data, stdout);
		}
	}
	buf_release(&b);
	fw_ruleset_release(&rs);
	for (k = 0; k < nfiles; k++)
		free(files[k]);
	return rc;
}
