#include "probe/client.h"

#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "core/conn.h"
#include "firewall/answer.h"
#include "firewall/render.h"

void local_fw_release(struct local_fw *f)
{
	free(f->place);
	free(f->chain);
	free(f->text);
	free(f->note);
	memset(f, 0, sizeof(*f));
}

static const char *packet_name(unsigned p)
{
	static const char *const names[FW_PKT__COUNT] = {
	    "SYN", "SYN-ACK", "ACK", "version string", "server banner", "reply", "SYN retry",
	};
	return p < FW_PKT__COUNT ? names[p] : NULL;
}

int local_fw_evaluate(const struct fw_ruleset *rs, const char *src, const char *dst, unsigned port,
                      const char *oif, struct local_fw *out)
{
	struct fw_question q;
	struct fw_answer *a;
	const struct fw_frame *f;
	struct buf b;
	int r = SD_OK;

	memset(out, 0, sizeof(*out));
	memset(&q, 0, sizeof(q));
	if (ip_addr_parse(src, &q.client) != 0 || ip_addr_parse(dst, &q.server) != 0 ||
	    q.client.family != q.server.family)
		return SD_ERR_INVALID;
	q.port = port;
	q.local = 1;
	q.iif = oif; /* for a local question: the interface toward the server */
	if ((a = malloc(sizeof(*a))) == NULL) /* large: keep it off the stack */
		return SD_ERR_ALLOC;
	fw_answer(rs, &q, a);
	out->status = LOCAL_FW_EVALUATED;
	out->blocked = a->blocked != FW_PKT__COUNT;
	out->certain = a->certainty == FW_CERTAIN;
	out->sees = fw_sees_name((enum fw_sees)a->sees);
	if ((f = fw_answer_decisive(a)) != NULL) {
		out->rejected = a->pkt[a->blocked].outcome == FW_OUT_REJECT;
		out->packet = packet_name(a->blocked);
		out->rule = f->rule == FW_NONE ? 0 : fw_frame_line(rs, f);
		buf_init(&b, 4096);
		r = fw_render_place(rs, f, &b);
		out->place = r == 0 ? buf_detach(&b) : NULL;
		buf_release(&b);
		buf_init(&b, 4096);
		r |= fw_render_frame_text(rs, f, &b);
		out->text = r == 0 ? buf_detach(&b) : NULL;
		buf_release(&b);
		out->chain = strdup(rs->chains[f->chain].name ? rs->chains[f->chain].name : "?");
		if (r != 0 || !out->place || !out->text || !out->chain)
			r = SD_ERR_ALLOC;
	}
	free(a);
	if (r != SD_OK)
		local_fw_release(out);
	return r;
}

void probe_client_release(struct probe_client *c)
{
	size_t i;

	free(c->config_note);
	ssh_config_release(&c->cfg);
	free(c->jump);
	free(c->source);
	free(c->bind_interface_note);
	for (i = 0; i < c->nproxies; i++) {
		free(c->proxies[i].name);
		free(c->proxies[i].value);
	}
	local_fw_release(&c->fw);
	memset(c, 0, sizeof(*c));
}

/* The userinfo of a proxy URL becomes "***": credentials never reach a report. */
static char *redact_url(const char *v)
{
	const char *scheme = strstr(v, "://"), *host = scheme ? scheme + 3 : v, *at, *end;
	struct buf b;
	char *s;

	end = host + strcspn(host, "/?#");
	for (at = end; at > host && at[-1] != '@'; at--)
		;
	buf_init(&b, 4 * SSHCFG_MAX_VALUE);
	if (at > host) {
		if (buf_add_sanitized(&b, v, (size_t)(host - v)) != 0 ||
		    buf_adds(&b, "***@") != 0 || buf_add_sanitized(&b, at, strlen(at)) != 0) {
			buf_release(&b);
			return NULL;
		}
	} else if (buf_add_sanitized(&b, v, strnlen(v, SSHCFG_MAX_VALUE)) != 0) {
		buf_release(&b);
		return NULL;
	}
	s = buf_detach(&b);
	buf_release(&b);
	return s;
}

int probe_client_add_proxy(struct probe_client *c, const char *kind, const char *name,
                           const char *value, int in_path)
{
	struct client_proxy *p;

	if (c->nproxies == CLIENT_MAX_PROXIES)
		return SD_ERR_TOO_LONG;
	p = &c->proxies[c->nproxies];
	p->kind = kind;
	p->in_path = in_path;
	p->name = strdup(name);
	p->value = in_path ? sanitized_strndup(value, strlen(value), 4 * SSHCFG_MAX_VALUE)
	                   : redact_url(value);
	if (!p->name || !p->value) {
		free(p->name);
		free(p->value);
		p->name = p->value = NULL;
		return SD_ERR_ALLOC;
	}
	c->nproxies++;
	return SD_OK;
}

/* The local addresses the attempts used, distinct, comma-separated ("" when none). */
static int add_local_addresses(const struct probe_result *r, struct buf *out)
{
	size_t i, k;
	int rc = 0, n = 0;

	for (i = 0; i < r->nattempts; i++) {
		const char *a = r->attempts[i].local_address;
		if (!a[0])
			continue;
		for (k = 0; k < i && strcmp(r->attempts[k].local_address, a) != 0; k++)
			;
		if (k < i)
			continue;
		rc |= buf_addf(out, "%s%s", n++ ? ", " : "", a);
	}
	return rc;
}

static int fw_text(const struct local_fw *f, struct buf *out)
{
	int rc = 0;

	switch (f->status) {
	case LOCAL_FW_NOT_CHECKED:
		return buf_adds(out, "    local firewall: not checked\n");
	case LOCAL_FW_UNREADABLE:
		return buf_addf(out, "    local firewall: not readable (%s)\n",
		                f->note ? f->note : "run as root");
	case LOCAL_FW_EVALUATED:
		break;
	}
	if (!f->blocked)
		return buf_addf(
		    out, "    local firewall (output/input of this machine): lets it through%s\n",
		    f->certain ? "" : " (a rate limit or unmodelled rule could change that)");
	rc |= buf_addf(out, "    local firewall: THIS MACHINE stops it: %s %s the %s%s\n", f->place,
	               f->rejected ? "rejects" : "drops", f->packet ? f->packet : "connection",
	               f->certain ? "" : " (uncertain: rate or unmodelled match)");
	rc |= buf_addf(out, "      %s\n", f->text);
	rc |= buf_addf(out, "      ssh sees: %s\n", f->sees);
	return rc;
}

static int headline(const struct probe_client *c, const struct probe_result *r, struct buf *out)
{
	const struct local_fw *f = &c->fw;
	int rc = 0;

	/* what was probed is not the host typed: say so before the verdict on it */
	if (c->jump)
		rc |= buf_addf(out,
		               "%s: ssh goes through ProxyJump %s:\n  probing that jump host (%s "
		               "port %u), the only host this machine connects to\n",
		               r->target, c->jump, r->address ? r->address : "?", r->port);
	if (c->cfg.proxy_command)
		rc |= buf_addf(
		    out,
		    "%s: ssh goes through a ProxyCommand:\n  this direct probe tests a path ssh "
		    "does not use\n",
		    r->target);
	if (f->status != LOCAL_FW_EVALUATED || !f->blocked)
		return rc ? SD_ERR_ALLOC : SD_OK;
	return rc |
	       buf_addf(out,
	                "%s: stopped by THIS MACHINE's own firewall: %s %s the %s%s\n"
	                "  (see \"Client side\" below; the causes listed next apply once it is "
	                "fixed)\n",
	                r->target, f->place, f->rejected ? "rejects" : "drops",
	                f->packet ? f->packet : "connection", f->certain ? "" : " (uncertain)");
}

static int client_text(const struct probe_client *c, const struct probe_result *r, struct buf *out)
{
	const struct ssh_client_config *g = &c->cfg;
	struct buf l;
	size_t i;
	int rc = 0;

	rc |= buf_adds(out, "  Client side:\n");
	if (c->ssh_config) {
		rc |= buf_addf(out, "    ssh config (%s):\n      %s -> HostName %s, Port %u",
		               c->config_note, c->host, g->hostname ? g->hostname : "?", g->port);
		if (g->user)
			rc |= buf_addf(out, ", User %s", g->user);
		if (g->family)
			rc |= buf_addf(out, ", AddressFamily %s", ssh_family_name(g->family));
		if (g->bind_address)
			rc |= buf_addf(out, ", BindAddress %s", g->bind_address);
		if (g->connect_timeout_s)
			rc |= buf_addf(out, ", ConnectTimeout %u", g->connect_timeout_s);
		rc |= buf_addch(out, '\n');
	} else if (c->config_note) {
		rc |= buf_addf(out, "    ssh config: not used (%s)\n", c->config_note);
	}
	if (c->jump)
		rc |= buf_addf(
		    out,
		    "    ProxyJump %s: ssh connects to the jump host, not to %s: this probe "
		    "tested the first hop %s (%s port %u); test the rest from there "
		    "(sshdiag probe %s on %s)\n",
		    g->proxy_jump, c->host, c->jump, r->address ? r->address : "?", r->port,
		    g->hostname ? g->hostname : c->host, c->jump);
	if (g->proxy_command)
		rc |= buf_addf(
		    out,
		    "    ProxyCommand %s: ssh's connection goes through that command; this "
		    "probe connected directly, a path ssh does not use\n",
		    g->proxy_command);
	if (c->bind_interface_note)
		rc |= buf_addf(out, "    %s\n", c->bind_interface_note);
	buf_init(&l, 4096);
	rc |= add_local_addresses(r, &l);
	if (c->source)
		rc |=
		    buf_addf(out, "    source address: %s (bound, from %s); used: %s\n", c->source,
		             c->source_from ? c->source_from : "--source", l.len ? l.data : "none");
	else
		rc |= buf_addf(out, "    source address used: %s (chosen by the kernel's route)\n",
		               l.len ? l.data : "none (the connection failed before binding)");
	buf_release(&l);
	rc |= fw_text(&c->fw, out);
	for (i = 0; i < c->nproxies; i++) {
		const struct client_proxy *p = &c->proxies[i];
		if (p->in_path)
			continue;
		rc |= buf_addf(out,
		               "    proxy %s=%s in the environment: ssh does not use it (not in "
		               "the path)\n",
		               p->name, p->value);
	}
	if (!g->proxy_jump && !g->proxy_command)
		rc |= buf_adds(out, "    proxies in ssh's path: none (direct TCP connection)\n");
	return rc ? SD_ERR_ALLOC : SD_OK;
}

/*
 * Copies `text` to `out` with every line longer than WIDTH broken at spaces; a continuation
 * is indented two more than its line.  A word longer than a line stays whole.
 */
#define WIDTH 80
static int wrap(const char *text, struct buf *out)
{
	const char *p = text, *nl, *brk, *q;
	size_t cont, col;
	int rc = 0;

	for (; *p; p = *nl ? nl + 1 : nl) {
		nl = p + strcspn(p, "\n");
		cont = strspn(p, " ") + 2;
		col = 0; /* where p lands on the output line, less what p itself holds */
		while ((size_t)(nl - p) + col > WIDTH) {
			brk = NULL;
			for (q = p + (col ? 0 : cont - 2); q < nl && (size_t)(q - p) + col <= WIDTH;
			     q++)
				if (*q == ' ')
					brk = q;
			if (!brk)
				break;
			rc |= buf_add(out, p, (size_t)(brk - p));
			rc |= buf_addf(out, "\n%*s", (int)cont, "");
			col = cont;
			p = brk + 1;
		}
		rc |= buf_add(out, p, (size_t)(nl - p));
		rc |= buf_addch(out, '\n');
	}
	return rc;
}

/* Renders with `fn` into a scratch buffer, then wraps into `out`. */
static int wrapped(int (*fn)(const struct probe_client *, const struct probe_result *,
                             struct buf *),
                   const struct probe_client *c, const struct probe_result *r, struct buf *out)
{
	struct buf t;
	int rc;

	buf_init(&t, 1 << 20);
	rc = fn(c, r, &t);
	if (rc == 0 && t.len)
		rc = wrap(t.data, out);
	buf_release(&t);
	return rc ? SD_ERR_ALLOC : SD_OK;
}

int probe_client_headline(const struct probe_client *c, const struct probe_result *r,
                          struct buf *out)
{
	return wrapped(headline, c, r, out);
}

int probe_client_to_text(const struct probe_client *c, const struct probe_result *r,
                         struct buf *out)
{
	return wrapped(client_text, c, r, out);
}

static json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *probe_client_to_json(const struct probe_client *c)
{
	json_t *o = json_object(), *cfg = json_object(), *fw = json_object(), *px = json_array();
	const struct ssh_client_config *g = &c->cfg;
	static const char *const status[] = {"not_checked", "unreadable", "evaluated"};
	size_t i;

	json_object_set_new(o, "host", jstr(c->host));
	json_object_set_new(cfg, "used", json_boolean(c->ssh_config));
	json_object_set_new(cfg, "note", jstr(c->config_note));
	if (c->ssh_config) {
		json_object_set_new(cfg, "hostname", jstr(g->hostname));
		json_object_set_new(cfg, "port", g->port ? json_integer(g->port) : json_null());
		json_object_set_new(cfg, "user", jstr(g->user));
		json_object_set_new(cfg, "address_family", json_string(ssh_family_name(g->family)));
		json_object_set_new(cfg, "bind_address", jstr(g->bind_address));
		json_object_set_new(cfg, "bind_interface", jstr(g->bind_interface));
		json_object_set_new(cfg, "connect_timeout_s",
		                    g->connect_timeout_s ? json_integer(g->connect_timeout_s)
		                                         : json_null());
		json_object_set_new(cfg, "proxy_jump", jstr(g->proxy_jump));
		json_object_set_new(cfg, "proxy_command", jstr(g->proxy_command));
	}
	json_object_set_new(o, "ssh_config", cfg);
	json_object_set_new(o, "probed_jump_host", jstr(c->jump));
	json_object_set_new(o, "source", jstr(c->source));
	json_object_set_new(o, "source_from", jstr(c->source_from));
	json_object_set_new(fw, "status", json_string(status[c->fw.status]));
	if (c->fw.status == LOCAL_FW_EVALUATED) {
		json_object_set_new(fw, "blocked", json_boolean(c->fw.blocked));
		json_object_set_new(fw, "certain", json_boolean(c->fw.certain));
		json_object_set_new(fw, "client_sees", jstr(c->fw.sees));
		json_object_set_new(fw, "packet", jstr(c->fw.packet));
		json_object_set_new(fw, "place", jstr(c->fw.place));
		json_object_set_new(fw, "chain", jstr(c->fw.chain));
		json_object_set_new(
		    fw, "rule", c->fw.place ? json_integer((json_int_t)c->fw.rule) : json_null());
		json_object_set_new(fw, "text", jstr(c->fw.text));
	}
	json_object_set_new(fw, "note", jstr(c->fw.note));
	json_object_set_new(o, "local_firewall", fw);
	for (i = 0; i < c->nproxies; i++) {
		json_t *p = json_object();
		json_object_set_new(p, "kind", json_string(c->proxies[i].kind));
		json_object_set_new(p, "name", jstr(c->proxies[i].name));
		json_object_set_new(p, "value", jstr(c->proxies[i].value));
		json_object_set_new(p, "in_path", json_boolean(c->proxies[i].in_path));
		json_array_append_new(px, p);
	}
	json_object_set_new(o, "proxies", px);
	return o;
}

int probe_sources_table(const struct probe_result *const *rs, const struct probe_client *const *cs,
                        size_t n, struct buf *out)
{
	size_t i, k;
	int rc = 0;

	if (n == 0)
		return SD_OK;
	rc |= buf_addf(out, "%s from each source address:\n", rs[0]->target);
	rc |= buf_addf(out, "  %-15s %-21s %-19s %s\n", "source", "address", "outcome", "detail");
	for (i = 0; i < n; i++) {
		const struct probe_result *r = rs[i];
		const char *detail = NULL;
		char addr[64];
		snprintf(addr, sizeof(addr), "%s:%u", r->address ? r->address : "?", r->port);
		for (k = 0; k < r->nattempts && !detail; k++)
			detail = r->attempts[k].detail;
		if (!detail && (r->software || r->banner_line))
			detail = r->software ? r->software : r->banner_line;
		if (cs[i]->fw.blocked)
			detail = "this machine's firewall";
		rc |= buf_addf(out, "  %-15s %-21s ", cs[i]->source ? cs[i]->source : "(route)",
		               addr);
		if (detail)
			rc |= buf_addf(out, "%-19s %s\n", probe_outcome_name(r->outcome), detail);
		else
			rc |= buf_addf(out, "%s\n", probe_outcome_name(r->outcome));
	}
	return rc ? SD_ERR_ALLOC : SD_OK;
}
