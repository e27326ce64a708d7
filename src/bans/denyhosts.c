#include "bans/denyhosts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"

#define PREFIX "# DenyHosts:"

static char *trimmed(const char *p, const char *e)
{
	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	return strndup(p, (size_t)(e - p));
}

int dh_conf_parse(const char *text, size_t len, struct dh_conf *c)
{
	const char *p = text, *end = text + len;
	int r = SD_OK;

	memset(c, 0, sizeof(*c));
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *e = nl ? nl : end, *eq;
		char **dst = NULL;

		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
		if (p < e && *p != '#' && (eq = memchr(p, '=', (size_t)(e - p))) != NULL) {
			const char *k = p, *ke = eq;
			size_t kl;

			while (ke > k && (ke[-1] == ' ' || ke[-1] == '\t'))
				ke--;
			kl = (size_t)(ke - k);
#define KEY(s) (kl == sizeof(s) - 1 && memcmp(k, s, kl) == 0)
			if (KEY("HOSTS_DENY"))
				dst = &c->hosts_deny;
			else if (KEY("WORK_DIR"))
				dst = &c->work_dir;
			else if (KEY("BLOCK_SERVICE"))
				dst = &c->block_service;
			else if (KEY("PURGE_DENY"))
				dst = &c->purge_deny;
			else if (KEY("IPTABLES"))
				dst = &c->iptables;
			else if (KEY("BLOCKPORT"))
				dst = &c->blockport;
#undef KEY
			if (dst) {
				free(*dst);
				if ((*dst = trimmed(eq + 1, e)) == NULL) {
					r = SD_ERR_ALLOC;
					break;
				}
			}
		}
		p = nl ? nl + 1 : end;
	}
#define DEF(f, v)                                                                                  \
	if (!r && !c->f && (c->f = strdup(v)) == NULL)                                             \
		r = SD_ERR_ALLOC;
	DEF(hosts_deny, "/etc/hosts.deny")
	DEF(work_dir, "/var/lib/denyhosts")
	DEF(block_service, "sshd")
	DEF(purge_deny, "")
	DEF(iptables, "")
	DEF(blockport, "")
#undef DEF
	if (r)
		dh_conf_release(c);
	return r;
}

void dh_conf_release(struct dh_conf *c)
{
	free(c->hosts_deny);
	free(c->work_dir);
	free(c->block_service);
	free(c->purge_deny);
	free(c->iptables);
	free(c->blockport);
	memset(c, 0, sizeof(*c));
}

static int addr_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ||
	       c == '.' || c == ':';
}

/* Does [p, e) hold the address as a token of its own?  Position of the token or NULL. */
static const char *token(const char *p, const char *e, const struct ip_addr *a)
{
	const char *q = p;

	while (q < e) {
		const char *s;
		char tok[64];
		struct ip_addr x;
		size_t n;

		while (q < e && !addr_char(*q))
			q++;
		s = q;
		while (q < e && addr_char(*q))
			q++;
		n = (size_t)(q - s);
		if (!n || n >= sizeof(tok))
			continue;
		memcpy(tok, s, n);
		tok[n] = '\0';
		/* IPv4 followed by ":count:" (work files) or a list's ':' */
		if (strchr(tok, '.')) {
			char *c = strchr(strrchr(tok, '.'), ':');

			if (c)
				*c = '\0';
		}
		if (ip_addr_parse(tok, &x) == SD_OK && x.family == a->family &&
		    memcmp(x.bytes, a->bytes, 16) == 0)
			return s;
	}
	return NULL;
}

static void copy_line(char *dst, size_t dl, const char *p, const char *e)
{
	size_t n = e > p ? (size_t)(e - p) : 0;

	while (n && (p[n - 1] == '\r'))
		n--;
	if (n >= dl)
		n = dl - 1;
	memcpy(dst, p, n);
	dst[n] = '\0';
}

size_t dh_deny_find(const char *text, size_t len, const struct ip_addr *a, struct dh_hit *hits,
                    size_t max)
{
	const char *p = text, *end = text + len, *prev = NULL, *prev_e = NULL;
	unsigned lineno = 0;
	size_t n = 0;

	while (p < end && n < max) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *e = nl ? nl : end;
		const char *colon;

		lineno++;
		if (p < e && *p != '#' && (colon = memchr(p, ':', (size_t)(e - p))) != NULL &&
		    token(colon + 1, e, a)) {
			struct dh_hit *h = &hits[n++];

			memset(h, 0, sizeof(*h));
			h->line = lineno;
			h->count = -1;
			copy_line(h->text, sizeof(h->text), p, e);
			if (prev && (size_t)(prev_e - prev) > sizeof(PREFIX) - 1 &&
			    memcmp(prev, PREFIX, sizeof(PREFIX) - 1) == 0) {
				const char *d = prev + sizeof(PREFIX) - 1, *bar;

				bar = memmem(d, (size_t)(prev_e - d), " | ", 3);
				if (!bar)
					bar = prev_e;
				/* the bar's own blank may follow the prefix: the date is empty */
				while (d < bar && *d == ' ')
					d++;
				h->comment_line = lineno - 1;
				copy_line(h->comment, sizeof(h->comment), prev, prev_e);
				copy_line(h->date, sizeof(h->date), d, bar);
			}
		}
		prev = p;
		prev_e = e;
		p = nl ? nl + 1 : end;
	}
	return n;
}

size_t dh_work_find(const char *text, size_t len, const struct ip_addr *a, struct dh_hit *hits,
                    size_t max)
{
	const char *p = text, *end = text + len;
	unsigned lineno = 0;
	size_t n = 0;

	while (p < end && n < max) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *e = nl ? nl : end, *t;

		lineno++;
		if ((t = token(p, e, a)) != NULL) {
			struct dh_hit *h = &hits[n++];
			const char *c;

			memset(h, 0, sizeof(*h));
			h->line = lineno;
			h->count = -1;
			copy_line(h->text, sizeof(h->text), p, e);
			/* "ADDR:count:date": the count after the address */
			c = t;
			while (c < e && addr_char(*c) && *c != ':')
				c++;
			while (c < e && *c != ':')
				c++;
			if (c + 1 < e && c[1] >= '0' && c[1] <= '9') {
				long v = 0;

				for (c++; c < e && *c >= '0' && *c <= '9' && v < 100000000; c++)
					v = v * 10 + (*c - '0');
				h->count = v;
				if (c < e && *c == ':')
					copy_line(h->date, sizeof(h->date), c + 1, e);
			}
		}
		p = nl ? nl + 1 : end;
	}
	return n;
}
