#include "sshd/dump.h"

#include <arpa/inet.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "sshd/match.h"
#include "sshd/values.h"

static int add_listen(struct sshd_listen **v, size_t *n, size_t *cap, const struct sshd_listen *l)
{
	struct sshd_listen *nv;

	if (*n >= SSHD_LISTEN_MAX)
		return SD_OK;
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		if ((nv = realloc(*v, *cap * sizeof(*nv))) == NULL)
			return SD_ERR_ALLOC;
		*v = nv;
	}
	(*v)[(*n)++] = *l;
	return SD_OK;
}

/* getaddrinfo(addr, port, {family, SOCK_STREAM}) as far as the pure layer can: numbers only. */
static int expand_one(const char *host, int port, int family, const struct sshd_origin *org,
                      struct sshd_listen **v, size_t *n, size_t *cap)
{
	struct sshd_listen l;
	struct sshd_xaddr x;

	memset(&l, 0, sizeof(l));
	l.port = port;
	l.origin = *org;
	if (host == NULL) {
		/* AI_PASSIVE: getaddrinfo gives 0.0.0.0 then ::, sshd prints them reversed */
		l.wildcard = 1;
		if (family != 4) {
			l.family = 6;
			if (add_listen(v, n, cap, &l) != 0)
				return SD_ERR_ALLOC;
		}
		if (family != 6) {
			l.family = 4;
			if (add_listen(v, n, cap, &l) != 0)
				return SD_ERR_ALLOC;
		}
		return SD_OK;
	}
	snprintf(l.host, sizeof(l.host), "%s", host);
	if (sshd_addr_pton(host, &x) == 0) {
		if ((family == 4 && x.af != 4) || (family == 6 && x.af != 6))
			return SD_OK; /* sshd: "bad addr or host" at start-up */
		l.family = x.af;
		memcpy(l.addr, x.a, sizeof(l.addr));
	}
	return add_listen(v, n, cap, &l);
}

int sshd_listen_addrs(const struct sshd_options *o, struct sshd_listen **out, size_t *n)
{
	const struct sshd_setting *la = &o->kw[SK_LISTENADDRESS], *pt = &o->kw[SK_PORT];
	int family = o->kw[SK_ADDRESSFAMILY].n[0];
	size_t i, j, cap = 0;
	struct sshd_origin org;

	*out = NULL;
	*n = 0;
	if (family == -1)
		family = 0;
	if (la->nitems == 0) {
		for (j = 0; j < pt->nitems; j++)
			if (expand_one(NULL, pt->items[j].n, family, &pt->items[j].origin, out, n,
			               &cap))
				goto oom;
		return SD_OK;
	}
	for (i = 0; i < la->nitems; i++) {
		org = la->items[i].origin;
		if (la->items[i].n > 0) {
			if (expand_one(la->items[i].s, la->items[i].n, family, &org, out, n, &cap))
				goto oom;
			continue;
		}
		for (j = 0; j < pt->nitems; j++)
			if (expand_one(la->items[i].s, pt->items[j].n, family, &org, out, n, &cap))
				goto oom;
	}
	return SD_OK;
oom:
	free(*out);
	*out = NULL;
	*n = 0;
	return SD_ERR_ALLOC;
}

void sshd_listen_format(const struct sshd_listen *l, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	if (l->wildcard)
		snprintf(buf, len, l->family == 6 ? "[::]:%d" : "0.0.0.0:%d", l->port);
	else if (l->family == 4 && inet_ntop(AF_INET, l->addr, a, sizeof(a)))
		snprintf(buf, len, "%s:%d", a, l->port);
	else if (l->family == 6 && inet_ntop(AF_INET6, l->addr, a, sizeof(a)))
		snprintf(buf, len, "[%s]:%d", a, l->port);
	else
		snprintf(buf, len, "%s:%d", l->host, l->port);
}

/* ------------------------------------------------------------------ dump */

struct dumper {
	sshd_dump_fn emit;
	void *ctx;
	int version;
	int debian;
	int r;
};

static void out(struct dumper *d, enum sshd_kw kw, const char *value, const struct sshd_origin *org,
                int modelled)
{
	if (d->r == 0)
		d->r = d->emit(d->ctx, kw, value, org, modelled);
}

static void outf(struct dumper *d, enum sshd_kw kw, const struct sshd_origin *org, int modelled,
                 const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void outf(struct dumper *d, enum sshd_kw kw, const struct sshd_origin *org, int modelled,
                 const char *fmt, ...)
{
	struct buf b;
	va_list ap;

	buf_init(&b, BUF_MAX_DEFAULT);
	va_start(ap, fmt);
	if (buf_vaddf(&b, fmt, ap) != 0 && d->r == 0)
		d->r = SD_ERR_ALLOC;
	va_end(ap);
	out(d, kw, b.data, org, modelled);
	buf_release(&b);
}

/* A list on one line: "authorizedkeysfile a b". */
static void oneline(struct dumper *d, enum sshd_kw kw, const struct sshd_setting *st,
                    const char *empty)
{
	struct buf b;
	size_t i;
	int r = 0;

	if (st->nitems == 0) {
		if (empty)
			out(d, kw, empty, &st->origin, 1);
		return;
	}
	buf_init(&b, BUF_MAX_DEFAULT);
	for (i = 0; i < st->nitems && r == 0; i++)
		r = buf_addf(&b, "%s%s", i ? " " : "", st->items[i].s ? st->items[i].s : "(null)");
	if (r != 0 && d->r == 0)
		d->r = r;
	out(d, kw, b.data, &st->origin, 1);
	buf_release(&b);
}

static void each(struct dumper *d, enum sshd_kw kw, const struct sshd_setting *st)
{
	size_t i;

	for (i = 0; i < st->nitems; i++)
		out(d, kw, st->items[i].s ? st->items[i].s : "(null)", &st->items[i].origin, 1);
}

static int printed(const struct dumper *d, enum sshd_kw kw)
{
	const struct sshd_keyword *k = sshd_kw(kw);

	if (k->since > d->version || (k->debian_only && !d->debian))
		return 0;
	switch (kw) {
	case SK_DEBIANBANNER:
		return d->version >= SSHD_V(10, 0);
	case SK_KERBEROSGETAFSTOKEN: /* built without AFS */
	case SK_RDOMAIN:             /* built without routing-domain support */
		return 0;
	default:
		return 1;
	}
}

static void dump_setting(struct dumper *d, const struct sshd_options *o, enum sshd_kw kw)
{
	const struct sshd_keyword *k = sshd_kw(kw);
	const struct sshd_setting *st = &o->kw[kw];
	const struct sshd_origin *org = &st->origin;
	char b1[8], b2[8];
	size_t i;

	switch (k->type) {
	case T_FLAG:
		out(d, kw, sshd_multistate_name(MS_NONE, st->n[0]), org, 1);
		break;
	case T_MULTI:
		out(d, kw, sshd_multistate_name((enum sshd_multistate)k->param, st->n[0]), org, 1);
		break;
	case T_INT:
	case T_TIME:
		outf(d, kw, org, 1, "%d", st->n[0]);
		break;
	case T_UCTIME:
		if (st->n[0] == 0)
			out(d, kw, "none", org, 1);
		else
			outf(d, kw, org, 1, "%d", st->n[0]);
		break;
	case T_BINDMASK:
		outf(d, kw, org, 1, "0%o", (unsigned)st->n[0]);
		break;
	case T_PATH:
	case T_STR:
	case T_TILDE:
	case T_KEYSCMD:
	case T_FORCECMD:
	case T_HKAGENT:
	case T_SKPROV:
	case T_EXEMPT:
		out(d, kw, st->s ? st->s : "none", org, 1);
		break;
	case T_VERADD:
		out(d, kw, st->s && *st->s ? st->s : "none", org, 1);
		break;
	case T_ALGOS:
		out(d, kw, st->s ? st->s : "(built-in)", org, 0);
		break;
	case T_PORT:
		for (i = 0; i < st->nitems; i++)
			outf(d, kw, &st->items[i].origin, 1, "%d", st->items[i].n);
		break;
	case T_LISTEN: {
		struct sshd_listen *l;
		size_t n;
		char a[300];

		if (sshd_listen_addrs(o, &l, &n) != 0) {
			if (d->r == 0)
				d->r = SD_ERR_ALLOC;
			break;
		}
		for (i = 0; i < n; i++) {
			sshd_listen_format(&l[i], a, sizeof(a));
			out(d, kw, a, &l[i].origin, l[i].family != 0);
		}
		free(l);
		break;
	}
	case T_LOGLEVEL:
		out(d, kw, sshd_loglevel_name(st->n[0], d->debian), org, 1);
		break;
	case T_FACILITY:
		out(d, kw, sshd_facility_name(st->n[0]), org, 1);
		break;
	case T_FPHASH:
		out(d, kw, sshd_digest_name(st->n[0]), org, 1);
		break;
	case T_AUTHKEYS:
		oneline(d, kw, st, NULL);
		break;
	case T_HOSTKEY:
	case T_USERS:
	case T_GROUPS:
	case T_ACCEPTENV:
	case T_SETENV:
		each(d, kw, st);
		break;
	case T_AUTHMETHODS:
		oneline(d, kw, st, "any");
		break;
	case T_LOGVERBOSE:
		oneline(d, kw, st, NULL);
		break;
	case T_CHANTIMEOUT:
		oneline(d, kw, st, d->version >= SSHD_V(9, 3) ? "none" : NULL);
		break;
	case T_SUBSYSTEM:
		for (i = 0; i < st->nitems; i++)
			outf(d, kw, &st->items[i].origin, 1, "%s %s", st->items[i].s,
			     st->items[i].s2 ? st->items[i].s2 : "");
		break;
	case T_MAXSTARTUPS:
		outf(d, kw, org, 1, "%d:%d:%d", st->n[0], st->n[1], st->n[2]);
		break;
	case T_PSMAX:
		if (st->n[0] == INT_MAX)
			out(d, kw, "none", org, 1);
		else
			outf(d, kw, org, 1, "%d", st->n[0]);
		break;
	case T_NETBLOCK:
		outf(d, kw, org, 1, "%d:%d", st->n[0], st->n[1]);
		break;
	case T_TUNNEL:
		out(d, kw, sshd_tunnel_name(st->n[0]), org, 1);
		break;
	case T_IPQOS:
		outf(d, kw, org, 1, "%s %s", sshd_ipqos_name(st->n[0], b1, sizeof(b1)),
		     sshd_ipqos_name(st->n[1], b2, sizeof(b2)));
		break;
	case T_REKEY:
		outf(d, kw, org, 1, "%llu %d", (unsigned long long)st->ll, st->n[0]);
		break;
	case T_PERMITOPEN:
		oneline(d, kw, st, "any");
		break;
	case T_PUENV:
		if (st->s)
			out(d, kw, st->s, org, 1);
		else
			out(d, kw, sshd_multistate_name(MS_NONE, st->n[0]), org, 1);
		break;
	case T_PKOPTS:
		outf(d, kw, org, 1, "%s%s%s", st->n[0] == 0 ? "none" : "",
		     (st->n[0] & 1) ? (st->n[0] == 1 ? "touch-required" : "touch-required ") : "",
		     (st->n[0] & 2) ? "verify-required" : "");
		break;
	case T_PENALTIES: {
		const struct sshd_penalties *p = &o->pen;
		const struct sshd_origin *po = &p->enabled_origin;

		if (!p->enabled) {
			out(d, kw, "no", po, 1);
			break;
		}
		{
			char refuse[32] = "";

			if (d->version >= SSHD_V(9, 9))
				snprintf(refuse, sizeof(refuse), " refuseconnection:%d",
				         p->v[PEN_REFUSE]);
			outf(d, kw, po, 1,
			     "crash:%d authfail:%d noauth:%d grace-exceeded:%d%s max:%d min:%d "
			     "max-sources4:%d max-sources6:%d overflow:%s overflow6:%s",
			     p->v[PEN_CRASH], p->v[PEN_AUTHFAIL], p->v[PEN_NOAUTH], p->v[PEN_GRACE],
			     refuse, p->v[PEN_MAX], p->v[PEN_MIN], p->v[PEN_MAXSRC4],
			     p->v[PEN_MAXSRC6],
			     p->v[PEN_OVERFLOW] == SSHD_OVERFLOW_DENY_ALL ? "deny-all"
			                                                  : "permissive",
			     p->v[PEN_OVERFLOW6] == SSHD_OVERFLOW_DENY_ALL ? "deny-all"
			                                                   : "permissive");
		}
		break;
	}
	case T_RDOMAIN:
	case T_INCLUDE:
	case T_MATCH:
	case T_DEPRECATED:
	case T_UNSUPPORTED:
	case T_IGNORE:
	case T_ALIAS:
		break;
	}
}

int sshd_dump(const struct sshd_options *o, int version, int debian, sshd_dump_fn emit, void *ctx)
{
	struct dumper d = {emit, ctx, version, debian, 0};
	int k;

	for (k = 0; k < SK__COUNT && d.r == 0; k++)
		if (printed(&d, (enum sshd_kw)k))
			dump_setting(&d, o, (enum sshd_kw)k);
	return d.r;
}

static int text_emit(void *ctx, enum sshd_kw kw, const char *value,
                     const struct sshd_origin *origin, int modelled)
{
	(void)origin;
	(void)modelled;
	return buf_addf(ctx, "%s %s\n", sshd_kw_name(kw), value);
}

int sshd_dump_text(const struct sshd_options *o, int version, int debian, struct buf *b)
{
	return sshd_dump(o, version, debian, text_emit, b);
}
