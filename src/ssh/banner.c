#include "ssh/banner.h"

#include <stdlib.h>
#include <string.h>

#include "base/err.h"

void banner_init(struct banner *b)
{
	memset(b, 0, sizeof(*b));
	b->state = BANNER_NEED_MORE;
	buf_init(&b->line, BANNER_MAX_LINE);
}

void banner_release(struct banner *b)
{
	size_t i;

	free(b->version_line);
	free(b->proto_version);
	free(b->software);
	free(b->comments);
	for (i = 0; i < BANNER_KEEP_PRE_LINES; i++)
		free(b->pre_lines[i]);
	buf_release(&b->line);
	banner_init(b);
}

static int starts_with(const uint8_t *p, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);
	return len >= n && memcmp(p, prefix, n) == 0;
}

enum banner_kind banner_classify(const uint8_t *p, size_t len)
{
	size_t i, text = 0;

	if (len == 0)
		return BANNER_KIND_NONE;
	if (starts_with(p, len, "SSH-") || (len < 4 && memcmp(p, "SSH-", len) == 0))
		return BANNER_KIND_SSH;
	if (starts_with(p, len, "HTTP/") || starts_with(p, len, "<!DOCTYPE") ||
	    starts_with(p, len, "<html") || starts_with(p, len, "<HTML"))
		return BANNER_KIND_HTTP;
	/* TLS record: handshake (22) or alert (21), version 3.x */
	if (len >= 2 && (p[0] == 0x16 || p[0] == 0x15) && p[1] == 0x03)
		return BANNER_KIND_TLS;
	if (starts_with(p, len, "+OK") || starts_with(p, len, "-ERR"))
		return BANNER_KIND_POP3;
	if (starts_with(p, len, "* OK"))
		return BANNER_KIND_IMAP;
	if (starts_with(p, len, "220")) {
		size_t lim = len < 200 ? len : 200;
		for (i = 0; i + 4 <= lim; i++)
			if (memcmp(p + i, "SMTP", 4) == 0 || memcmp(p + i, "smtp", 4) == 0)
				return BANNER_KIND_SMTP;
		return BANNER_KIND_FTP;
	}
	for (i = 0; i < len && i < 256; i++)
		if ((p[i] >= 0x20 && p[i] < 0x7f) || p[i] == '\r' || p[i] == '\n' || p[i] == '\t')
			text++;
	return text * 10 >= (i * 9) ? BANNER_KIND_TEXT : BANNER_KIND_BINARY;
}

const char *banner_kind_name(enum banner_kind kind)
{
	static const char *const names[] = {
	    [BANNER_KIND_NONE] = "none", [BANNER_KIND_SSH] = "ssh",
	    [BANNER_KIND_HTTP] = "http", [BANNER_KIND_SMTP] = "smtp",
	    [BANNER_KIND_FTP] = "ftp",   [BANNER_KIND_TLS] = "tls",
	    [BANNER_KIND_POP3] = "pop3", [BANNER_KIND_IMAP] = "imap",
	    [BANNER_KIND_TEXT] = "text", [BANNER_KIND_BINARY] = "binary",
	};
	return (unsigned)kind < sizeof(names) / sizeof(names[0]) ? names[kind] : "unknown";
}

int banner_is_sshd_refusal(const char *line)
{
	return line && (strstr(line, "Exceeded MaxStartups") != NULL ||
	                strstr(line, "Not allowed at this time") != NULL);
}

int banner_openssh_version(const char *software, int *major, int *minor)
{
	const char *p;
	char *end;
	long ma, mi;

	if (!software || strncmp(software, "OpenSSH_", 8) != 0)
		return 0;
	p = software + 8;
	ma = strtol(p, &end, 10);
	if (end == p || *end != '.' || ma < 0 || ma > 1000)
		return 0;
	p = end + 1;
	mi = strtol(p, &end, 10);
	if (end == p || mi < 0 || mi > 1000)
		return 0;
	*major = (int)ma;
	*minor = (int)mi;
	return 1;
}

/* Splits "SSH-proto-software[ comments]" (already sanitised, no CR LF). */
static int parse_version_line(struct banner *b, const char *line)
{
	const char *proto = line + 4, *dash, *sp;

	if ((dash = strchr(proto, '-')) == NULL || dash == proto)
		return SD_ERR_INVALID;
	sp = strchr(dash + 1, ' ');
	if ((b->proto_version = strndup(proto, (size_t)(dash - proto))) == NULL)
		return SD_ERR_ALLOC;
	b->software = sp ? strndup(dash + 1, (size_t)(sp - dash - 1)) : strdup(dash + 1);
	if (b->software == NULL)
		return SD_ERR_ALLOC;
	if (sp && (b->comments = strdup(sp + 1)) == NULL)
		return SD_ERR_ALLOC;
	if (b->software[0] == '\0')
		return SD_ERR_INVALID;
	if (strcmp(b->proto_version, "2.0") != 0 && strcmp(b->proto_version, "1.99") != 0)
		return SD_ERR_INVALID;
	return SD_OK;
}

/* Handles one complete line (without its LF) held in b->line. */
static int banner_take_line(struct banner *b)
{
	char *s;
	size_t n = b->line.len;
	int r;

	if (n && b->line.data[n - 1] == '\r')
		n--;
	if (memchr(b->line.data, '\0', n) || memchr(b->line.data, '\r', n))
		b->invalid_chars = 1;
	if (n >= 4 && memcmp(b->line.data, "SSH-", 4) == 0) {
		if ((b->version_line = sanitized_strndup(b->line.data, n, BANNER_MAX_LINE * 4)) ==
		    NULL)
			return SD_ERR_ALLOC;
		b->version_line_too_long = b->line.len + 1 > BANNER_MAX_VERSION_LINE;
		r = parse_version_line(b, b->version_line);
		if (r == SD_ERR_ALLOC)
			return r;
		b->state = r == SD_OK ? BANNER_DONE : BANNER_BAD_VERSION;
		return SD_OK;
	}
	if (b->npre_lines < BANNER_KEEP_PRE_LINES) {
		size_t keep = n < BANNER_KEEP_LINE_CHARS ? n : BANNER_KEEP_LINE_CHARS;
		if ((s = sanitized_strndup(b->line.data, keep, BANNER_KEEP_LINE_CHARS * 4)) == NULL)
			return SD_ERR_ALLOC;
		b->pre_lines[b->npre_lines] = s;
	}
	if (++b->npre_lines > BANNER_MAX_PRE_LINES)
		b->state = BANNER_TOO_MANY_LINES;
	return SD_OK;
}

int banner_feed(struct banner *b, const uint8_t *data, size_t len, size_t *consumed)
{
	size_t i = 0, start;
	const uint8_t *nl;
	int r;

	*consumed = 0;
	if (b->state != BANNER_NEED_MORE || len == 0)
		return SD_OK;
	/* classify on the first bytes, however thinly they arrive */
	if (b->headlen < sizeof(b->head)) {
		size_t n = sizeof(b->head) - b->headlen < len ? sizeof(b->head) - b->headlen : len;
		memcpy(b->head + b->headlen, data, n);
		b->headlen += n;
		b->kind = banner_classify(b->head, b->headlen);
	}
	b->bytes_seen += len;
	while (i < len && b->state == BANNER_NEED_MORE) {
		start = i;
		nl = memchr(data + i, '\n', len - i);
		i = nl ? (size_t)(nl - data) : len;
		r = buf_add(&b->line, data + start, i - start);
		if (r == SD_ERR_TOO_LONG) {
			/* longer than BANNER_MAX_LINE: OpenSSH gives up here too */
			b->state = BANNER_LINE_TOO_LONG;
			break;
		}
		if (r != 0)
			return r;
		if (!nl)
			break;
		i++; /* the LF */
		if ((r = banner_take_line(b)) != 0)
			return r;
		buf_reset(&b->line);
	}
	*consumed = b->state == BANNER_DONE ? i : len;
	return SD_OK;
}
