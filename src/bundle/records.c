#include "bundle/records.h"

#include <string.h>

#include "base/err.h"

/* A whole field of digits in `base` (8 or 10) that fits in 63 bits: 0, else -1. */
static int number(const char *s, size_t n, unsigned base, unsigned long long *v)
{
	size_t i;

	*v = 0;
	if (n == 0 || n > 20)
		return -1;
	for (i = 0; i < n; i++) {
		unsigned d = (unsigned)(s[i] - '0');

		if (s[i] < '0' || d >= base || *v > (~0ull >> 2) / base)
			return -1;
		*v = *v * base + d;
	}
	return 0;
}

int bundle_next_line(const char *data, size_t len, size_t *pos, const char **line, size_t *llen)
{
	const char *nl;

	if (*pos >= len)
		return 0;
	*line = data + *pos;
	nl = memchr(*line, '\n', len - *pos);
	*llen = nl ? (size_t)(nl - *line) : len - *pos;
	*pos += *llen + (nl != NULL);
	return 1;
}

/* Splits at single spaces into at most `max` fields (the last keeps the rest). */
static size_t split_on(const char *line, size_t len, char sep, const char **f, size_t *fl,
                       size_t max)
{
	size_t n = 0, start = 0, i;

	if (max == 0)
		return 0;
	for (i = 0; i < len && n + 1 < max; i++)
		if (line[i] == sep) {
			f[n] = line + start;
			fl[n++] = i - start;
			start = i + 1;
		}
	f[n] = line + start;
	fl[n++] = len - start;
	return n;
}

size_t bundle_tsv_split(const char *line, size_t len, const char **f, size_t *fl, size_t max)
{
	return split_on(line, len, '\t', f, fl, max);
}

int bundle_stat_find(const char *data, size_t len, const char *path, struct bundle_stat *out)
{
	size_t pos = 0, ll, fl[5], plen = strlen(path);
	const char *line, *f[5];
	unsigned long long mode, uid, gid;

	while (bundle_next_line(data, len, &pos, &line, &ll)) {
		if (split_on(line, ll, ' ', f, fl, 5) != 5 || fl[0] != 1 || fl[4] != plen ||
		    memcmp(f[4], path, plen) != 0 ||
		    (f[0][0] != 'f' && f[0][0] != 'd' && f[0][0] != 'o') ||
		    number(f[1], fl[1], 8, &mode) || mode > 07777 ||
		    number(f[2], fl[2], 10, &uid) || uid > 0xffffffffu ||
		    number(f[3], fl[3], 10, &gid) || gid > 0xffffffffu)
			continue;
		out->type = f[0][0];
		out->mode = (unsigned)mode;
		out->uid = (unsigned)uid;
		out->gid = (unsigned)gid;
		return 1;
	}
	return 0;
}

int bundle_sshd_t_parse(const char *data, size_t len, struct bundle_sshd_t *t)
{
	size_t pos = 0, ll;
	const char *line;
	unsigned long long v;
	int neg;

	memset(t, 0, sizeof(*t));
	if (!bundle_next_line(data, len, &pos, &line, &ll) || ll < 9 ||
	    memcmp(line, "command: ", 9) != 0)
		return SD_ERR_INVALID;
	t->cmd = line + 9;
	t->cmd_len = ll - 9;
	if (!bundle_next_line(data, len, &pos, &line, &ll) || ll < 7 || memcmp(line, "exit: ", 6))
		return SD_ERR_INVALID;
	neg = line[6] == '-';
	if (number(line + 6 + neg, ll - 6 - neg, 10, &v) || v > 255)
		return SD_ERR_INVALID;
	t->status = neg ? -(int)v : (int)v;
	if (!bundle_next_line(data, len, &pos, &line, &ll) || ll != 0)
		return SD_ERR_INVALID;
	t->out = data + pos;
	t->out_len = len - pos;
	return SD_OK;
}

int bundle_journal_line(const char *line, size_t len, struct log_record *rec)
{
	const char *f[5];
	size_t fl[5];
	unsigned long long ts, pid;

	memset(rec, 0, sizeof(*rec));
	if (bundle_tsv_split(line, len, f, fl, 5) != 5 || number(f[2], fl[2], 10, &pid) ||
	    pid > 0xffffffffu)
		return SD_ERR_INVALID;
	rec->ts = number(f[0], fl[0], 10, &ts) || ts == 0 ? LOG_TS_NONE : (int64_t)ts;
	rec->ident = f[1];
	rec->ident_len = fl[1];
	rec->pid = (unsigned)pid;
	rec->host = f[3];
	rec->host_len = fl[3];
	rec->msg = f[4];
	rec->msg_len = fl[4];
	return SD_OK;
}
