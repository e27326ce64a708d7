/*
 * libFuzzer target: the parsers of a bundle's /sshdiag records (bundle/records.h) — stat.tsv
 * lookups, sshd-t.txt, tab-separated lines, journal.tsv — on any bytes; every pointer they
 * return must stay inside the input.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "bundle/records.h"
#include "fuzz.h"

static void inside(const char *base, size_t size, const char *p, size_t n)
{
	if (n && (p < base || p + n > base + size))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *d = (const char *)data, *line, *f[5];
	struct bundle_stat st;
	struct bundle_sshd_t t;
	struct log_record rec;
	size_t pos = 0, ll, fl[5], n, i;

	(void)bundle_stat_find(d, size, "/etc/ssh/ssh_host_ed25519_key", &st);
	(void)bundle_stat_find(d, size, "", &st);
	if (bundle_sshd_t_parse(d, size, &t) == SD_OK) {
		inside(d, size, t.cmd, t.cmd_len);
		inside(d, size, t.out, t.out_len);
	}
	while (bundle_next_line(d, size, &pos, &line, &ll)) {
		inside(d, size, line, ll);
		n = bundle_tsv_split(line, ll, f, fl, 5);
		for (i = 0; i < n; i++)
			inside(line, ll, f[i], fl[i]);
		if (bundle_journal_line(line, ll, &rec) == SD_OK) {
			inside(line, ll, rec.ident, rec.ident_len);
			inside(line, ll, rec.host, rec.host_len);
			inside(line, ll, rec.msg, rec.msg_len);
		}
	}
	return 0;
}
