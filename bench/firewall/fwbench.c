/*
 * fwbench.c — how long the firewall layer takes on a big input, and how much memory:
 *
 *	fwbench (--iptables|--ipset|--nft-json) FILE [--with-iptables FILE] [--with-ipset FILE]
 *	        [--client ADDR]... [--repeat N]
 *
 * The --with files are small companions (rules that test a big set, sets a big ruleset tests).
 * The file is read into memory first (timed apart); then, timed together as the layer does
 * them: parse, link (set sorting, rule indexes) and the decision for each client (five
 * packets, flips of uncertain rules).  Prints one line per repeat and the best, and the
 * peak RSS of the process (the input bytes included).  Links the pure core only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "base/err.h"
#include "firewall/answer.h"
#include "firewall/ipset.h"
#include "firewall/iptables.h"
#include "firewall/nft.h"
#include "firewall/ruleset.h"

#define MAX_FILE    (1024u * 1024 * 1024)
#define MAX_CLIENTS 8

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *slurp(const char *path, size_t *ret_len)
{
	FILE *f = fopen(path, "rb");
	long n;
	char *b;

	if (!f || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || (size_t)n > MAX_FILE ||
	    fseek(f, 0, SEEK_SET) != 0) {
		if (f)
			fclose(f);
		return NULL;
	}
	if ((b = malloc((size_t)n + 1)) == NULL || fread(b, 1, (size_t)n, f) != (size_t)n) {
		free(b);
		fclose(f);
		return NULL;
	}
	fclose(f);
	b[n] = '\0';
	*ret_len = (size_t)n;
	return b;
}

static int parse(struct fw_ruleset *rs, enum fw_input_kind kind, const char *data, size_t len)
{
	uint32_t src;
	int r;

	if ((r = fw_ruleset_add_source(rs, kind, "bench", 0, data, len, &src)) != 0)
		return r;
	return kind == FW_IN_IPSET      ? fw_ipset_parse(rs, src)
	       : kind == FW_IN_NFT_JSON ? fw_nft_parse(rs, src)
	                                : fw_iptables_parse(rs, src);
}

int main(int argc, char **argv)
{
	const char *file = NULL, *companion = NULL, *clients[MAX_CLIENTS];
	enum fw_input_kind kind = FW_IN_IPTABLES, ckind = FW_IN_IPSET;
	char *data, *cdata = NULL;
	size_t len, clen = 0;
	unsigned nclients = 0, repeat = 3, k, i;
	double t0, t1, t2, t3, best = 1e9, read_s;
	struct fw_ruleset rs;
	struct fw_question q;
	struct fw_answer a;
	struct rusage ru;
	int r;

	for (i = 1; i < (unsigned)argc; i++) {
		if (i + 1 < (unsigned)argc &&
		    (strcmp(argv[i], "--iptables") == 0 || strcmp(argv[i], "--ipset") == 0 ||
		     strcmp(argv[i], "--nft-json") == 0)) {
			kind = strcmp(argv[i], "--nft-json") == 0 ? FW_IN_NFT_JSON
			       : strcmp(argv[i], "--ipset") == 0  ? FW_IN_IPSET
			                                          : FW_IN_IPTABLES;
			file = argv[++i];
		} else if (i + 1 < (unsigned)argc && (strcmp(argv[i], "--with-ipset") == 0 ||
		                                      strcmp(argv[i], "--with-iptables") == 0)) {
			ckind = strcmp(argv[i], "--with-ipset") == 0 ? FW_IN_IPSET : FW_IN_IPTABLES;
			companion = argv[++i];
		} else if (i + 1 < (unsigned)argc && strcmp(argv[i], "--client") == 0 &&
		           nclients < MAX_CLIENTS) {
			clients[nclients++] = argv[++i];
		} else if (i + 1 < (unsigned)argc && strcmp(argv[i], "--repeat") == 0) {
			repeat = (unsigned)atoi(argv[++i]);
		} else {
			fprintf(stderr,
			        "usage: fwbench (--iptables|--ipset|--nft-json) FILE "
			        "[--with-iptables FILE] [--with-ipset FILE] [--client ADDR]... "
			        "[--repeat N]\n");
			return 2;
		}
	}
	if (!file || repeat == 0)
		return 2;
	t0 = now();
	if ((data = slurp(file, &len)) == NULL ||
	    (companion && !(cdata = slurp(companion, &clen)))) {
		fprintf(stderr, "fwbench: cannot read input\n");
		return 2;
	}
	read_s = now() - t0;
	for (k = 0; k < repeat; k++) {
		fw_ruleset_init(&rs);
		t0 = now();
		if ((r = parse(&rs, kind, data, len)) != 0 ||
		    (cdata && (r = parse(&rs, ckind, cdata, clen)) != 0)) {
			fprintf(stderr, "fwbench: parse: %s\n", sd_strerror(r));
			return 1;
		}
		t1 = now();
		if ((r = fw_ruleset_link(&rs)) != 0) {
			fprintf(stderr, "fwbench: link: %s\n", sd_strerror(r));
			return 1;
		}
		t2 = now();
		for (i = 0; i < nclients; i++) {
			memset(&q, 0, sizeof(q));
			if (ip_addr_parse(clients[i], &q.client) != 0)
				return 2;
			q.port = 22;
			fw_answer(&rs, &q, &a);
			if (k == 0)
				printf("  client %s: %s\n", clients[i],
				       fw_sees_name((enum fw_sees)a.sees));
		}
		t3 = now();
		printf(
		    "  run %u: parse %.3f s, link %.3f s, decision %.4f s, total %.3f s (%u rules, "
		    "%u set elements in %u sets)\n",
		    k + 1, t1 - t0, t2 - t1, t3 - t2, t3 - t0, rs.nrules,
		    rs.nsets ? rs.sets[0].nelems : 0, rs.nsets);
		if (t3 - t0 < best)
			best = t3 - t0;
		fw_ruleset_release(&rs);
	}
	getrusage(RUSAGE_SELF, &ru);
	printf("fwbench: %s: %zu bytes (read %.3f s); best parse+link+decision %.3f s; peak RSS "
	       "%.1f MiB\n",
	       file, len, read_s, best, (double)ru.ru_maxrss / 1024.0);
	free(data);
	free(cdata);
	return 0;
}
