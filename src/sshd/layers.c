/*
 * layers.c — the listen, sshd_admission and sshd_health layers (see layers.h).
 */
#include "sshd/layers.h"

#include <arpa/inet.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/err.h"
#include "sshd/dump.h"
#include "sshd/match.h"
#include "sshd/values.h"

void sshd_inputs_init(struct sshd_inputs *in)
{
	memset(in, 0, sizeof(*in));
	in->chosen = -1;
	sshd_version_default(&in->version);
}

/* ------------------------------------------------------------------ context */

struct lctx {
	const struct sshd_inputs *in;
	const struct conn_spec *c;
	struct diagnosis *d;
	const struct sshd_config *cfg; /* NULL when unreadable */
	const struct sshd_options *g;  /* start-up options */
	const struct sshd_options *e;  /* for this connection (pass 2) */
	struct sshd_effective eff;
	int have_eff;
	int version;
	const struct sshd_daemon *dmn; /* the diagnosed daemon, NULL */
	char client[64];               /* client address text, "" */
	char host[80];                 /* "H port P" for client texts */
	char server[64];               /* the server address as the client uses it, or "SERVER" */
	const char *unit;              /* "ssh" (Debian) or "sshd" */
	int oom;
};

static void chk(struct lctx *x, int r)
{
	if (r != 0)
		x->oom = 1;
}

static struct finding *add(struct lctx *x, enum layer_id layer, enum cause_id cause,
                           enum severity sev)
{
	struct finding *f = diagnosis_add_finding(x->d, layer, cause, sev);

	if (f == NULL)
		x->oom = 1;
	return f;
}

static void evf(struct lctx *x, struct finding *f, const char *source, unsigned long line,
                const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void evf(struct lctx *x, struct finding *f, const char *source, unsigned long line,
                const char *fmt, ...)
{
	struct buf b;
	va_list ap;

	if (f == NULL)
		return;
	buf_init(&b, 4096);
	va_start(ap, fmt);
	if (buf_vaddf(&b, fmt, ap) == SD_ERR_ALLOC)
		x->oom = 1;
	va_end(ap);
	chk(x, finding_add_evidence(f, source, line, b.data));
	buf_release(&b);
}

/* The sshd binary as an evidence source for built-in defaults. */
static const char *binary_source(const struct lctx *x)
{
	if (x->dmn && x->dmn->exe[0])
		return x->dmn->exe;
	if (x->in->binary.path[0])
		return x->in->binary.path;
	return "sshd";
}

/*
 * Evidence for where a value came from: the configuration line (and its Match line), the
 * command line, or the built-in default.  `shown` is the keyword and value as sshd -T prints.
 */
static void ev_origin(struct lctx *x, struct finding *f, const struct sshd_origin *o,
                      const char *shown)
{
	const char *text;
	char buf[1024];
	size_t len;

	if (f == NULL)
		return;
	if (o->file == NULL) {
		evf(x, f, binary_source(x), 0, "%s (built-in default of %s)", shown,
		    x->in->version.known ? x->in->version.text : "this OpenSSH");
		return;
	}
	if (o->file == SSHD_ORIGIN_CMDLINE) {
		evf(x, f, x->in->cmdline_source[0] ? x->in->cmdline_source : "sshd command line", 0,
		    "%s (sshd command line)", shown);
		return;
	}
	if (x->cfg && (text = sshd_config_line(x->cfg, o->file, o->line, &len)) != NULL) {
		snprintf(buf, sizeof(buf), "%.*s", (int)(len > 900 ? 900 : len), text);
		evf(x, f, o->file, o->line, "%s", buf);
	} else {
		evf(x, f, o->file, o->line, "%s", shown);
	}
	if (o->match_file && x->cfg &&
	    (text = sshd_config_line(x->cfg, o->match_file, o->match_line, &len)) != NULL) {
		snprintf(buf, sizeof(buf), "%.*s", (int)(len > 900 ? 900 : len), text);
		evf(x, f, o->match_file, o->match_line, "%s", buf);
	}
}

/* "FILE line N" / "the built-in default" / "sshd's command line" for summaries. */
static void where(const struct sshd_origin *o, char *buf, size_t len)
{
	if (o->file == NULL)
		snprintf(buf, len, "the built-in default");
	else if (o->file == SSHD_ORIGIN_CMDLINE)
		snprintf(buf, len, "sshd's command line");
	else if (o->match_file)
		snprintf(buf, len, "%s line %u (Match block at %s line %u)", o->file, o->line,
		         o->match_file, o->match_line);
	else
		snprintf(buf, len, "%s line %u", o->file, o->line);
}

/* The file to edit for a keyword: where it is set, else the main configuration file. */
static const char *edit_file(const struct lctx *x, const struct sshd_origin *o)
{
	if (o->file && o->file != SSHD_ORIGIN_CMDLINE)
		return o->file;
	if (x->cfg && sshd_config_main_file(x->cfg))
		return sshd_config_main_file(x->cfg);
	return SSHD_CONFIG_FILE;
}

static void fix_edit(struct lctx *x, struct finding *f, const struct sshd_origin *o,
                     const char *newline, const char *why)
{
	if (f == NULL)
		return;
	if (o->file && o->file != SSHD_ORIGIN_CMDLINE)
		chk(x, finding_add_fix(f, "in %s line %u, change the line to: %s%s%s%s", o->file,
		                       o->line, newline, why ? "  (" : "", why ? why : "",
		                       why ? ")" : ""));
	else if (o->file == SSHD_ORIGIN_CMDLINE)
		chk(x, finding_add_fix(f,
		                       "change sshd's command line (the -o option in the service "
		                       "unit or /etc/default/ssh) to: -o '%s'",
		                       newline));
	else
		chk(x, finding_add_fix(f, "add to %s, before any Match block: %s%s%s%s",
		                       edit_file(x, o), newline, why ? "  (" : "", why ? why : "",
		                       why ? ")" : ""));
}

static void fix_restart(struct lctx *x, struct finding *f, const char *what)
{
	if (f)
		chk(x, finding_add_fix(f, "%s: systemctl %s %s", what ? what : "then apply it",
		                       "restart", x->unit));
}

static void client_sees(struct lctx *x, struct finding *f, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void client_sees(struct lctx *x, struct finding *f, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	if (f == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	chk(x, finding_set_client_sees(f, buf));
}

/* What the client prints when sshd's listener drops it right after accept(). */
static void sees_dropped(struct lctx *x, struct finding *f)
{
	client_sees(
	    x, f,
	    "kex_exchange_identification: read: Connection reset by peer / Connection reset "
	    "by %s (or \"Connection closed by %s\"); with -v: banner line 0: %s",
	    x->host, x->host,
	    x->version >= SSHD_V(9, 8) ? "Not allowed at this time" : "Exceeded MaxStartups");
}

/* ------------------------------------------------------------------ listen */

static int server_family(const struct lctx *x)
{
	if (x->c->server.family)
		return x->c->server.family;
	return x->c->client.family ? x->c->client.family : 4;
}

static void fmt_sock(const struct tcp_sock *s, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(s->family == 4 ? AF_INET : AF_INET6, s->laddr, a, sizeof(a));
	snprintf(buf, len, s->family == 4 ? "%s:%u" : "[%s]:%u", a, s->lport);
}

/* The Port / ListenAddress lines, or the defaults, as evidence. */
static void ev_listen_config(struct lctx *x, struct finding *f)
{
	const struct sshd_setting *pt = &x->g->kw[SK_PORT], *la = &x->g->kw[SK_LISTENADDRESS];
	char shown[320];
	size_t i;

	for (i = 0; i < pt->nitems; i++) {
		snprintf(shown, sizeof(shown), "Port %d", pt->items[i].n);
		ev_origin(x, f, &pt->items[i].origin, shown);
	}
	for (i = 0; i < la->nitems; i++) {
		snprintf(shown, sizeof(shown), "ListenAddress %s", la->items[i].s);
		ev_origin(x, f, &la->items[i].origin, shown);
	}
}

/* 1 if the configuration (Port/ListenAddress, or ssh.socket) listens on the asked port. */
static int config_listens(const struct lctx *x, char *ports, size_t len)
{
	struct sshd_listen *l;
	size_t n, i, off = 0;
	int found = 0;

	ports[0] = '\0';
	if (sshd_listen_addrs(x->g, &l, &n) != 0)
		return 1;
	for (i = 0; i < n; i++) {
		char a[300];

		if ((unsigned)l[i].port == x->in->port)
			found = 1;
		sshd_listen_format(&l[i], a, sizeof(a));
		if (off < len)
			off += (size_t)snprintf(ports + off, len - off, "%s%s", off ? ", " : "", a);
	}
	free(l);
	return found;
}

static void not_running(struct lctx *x)
{
	const struct sshd_diags *dg = x->cfg ? sshd_config_diags(x->cfg) : NULL;
	struct finding *f = add(x, LAYER_LISTEN, CAUSE_SSHD_NOT_RUNNING, SEVERITY_BLOCKER);
	size_t i;

	if (f == NULL)
		return;
	client_sees(x, f, "ssh: connect to host %s port %u: Connection refused", x->server,
	            x->in->port);
	if (x->in->test_ran && !x->in->test_ok) {
		chk(x, finding_set_summary(f,
		                           "no sshd is running, and `%s` says its configuration is "
		                           "invalid, so it cannot start",
		                           x->in->test_cmd));
		evf(x, f, x->in->test_cmd, 0, "%.600s",
		    x->in->test_output ? x->in->test_output : "");
	} else if (dg && dg->fatal) {
		chk(x,
		    finding_set_summary(f, "no sshd is running, and its configuration is invalid "
		                           "(sshd would refuse to start)"));
		for (i = 0; i < dg->n; i++)
			if (dg->v[i].level == SSHD_DIAG_FATAL)
				evf(x, f, dg->v[i].file ? dg->v[i].file : "sshd", dg->v[i].line,
				    "%s", dg->v[i].msg);
	} else {
		chk(x, finding_set_summary(f,
		                           "no sshd is running on this host (stopped, failed, or "
		                           "never started), so nothing accepts on port %u",
		                           x->in->port));
		evf(x, f, "/proc", 0, "no sshd listener process in this network namespace");
	}
	chk(x, finding_add_fix(f, "see why it stopped: journalctl -u %s -b --no-pager | tail -50",
	                       x->unit));
	chk(x, finding_add_fix(f, "check the configuration: sshd -t"));
	chk(x, finding_add_fix(f, "start it: systemctl start %s", x->unit));
}

static void eval_listen(struct lctx *x)
{
	const struct sshd_inputs *in = x->in;
	const struct sshd_socket *cover = NULL, *other = NULL;
	int fam = server_family(x);
	const uint8_t *addr = x->c->server.family ? x->c->server.bytes : NULL;
	char ports[512], sock[80];
	struct finding *f;
	size_t i, j;
	int sshd_owner = 0, known_owner = 0, systemd_owner = 0;

	if (!in->live) {
		chk(x, diagnosis_set_layer(x->d, LAYER_LISTEN, LAYER_UNREADABLE,
		                           "listening sockets are not part of a copied tree; run "
		                           "`sshdiag server` on the host itself to see them"));
		if (x->g && !config_listens(x, ports, sizeof(ports)) && !in->socket_unit_enabled) {
			f = add(x, LAYER_LISTEN, CAUSE_NOT_LISTENING, SEVERITY_BLOCKER);
			chk(x, finding_set_summary(
			           f, "sshd is configured to listen on %s, not on port %u", ports,
			           in->port));
			client_sees(x, f, "ssh: connect to host %s port %u: Connection refused",
			            x->server, in->port);
			ev_listen_config(x, f);
			if (f)
				chk(x, finding_add_fix(
				           f,
				           "add `Port %u` to %s (before any Match block), or "
				           "connect to the configured port",
				           in->port, edit_file(x, &x->g->kw[SK_PORT].origin)));
			fix_restart(x, f, NULL);
		}
		return;
	}
	if (!in->sockets_read) {
		chk(x,
		    diagnosis_set_layer(x->d, LAYER_LISTEN, LAYER_UNREADABLE, "%s",
		                        in->sockets_note[0] ? in->sockets_note
		                                            : "/proc/net/tcp could not be read"));
		return;
	}
	chk(x, diagnosis_set_layer(x->d, LAYER_LISTEN, LAYER_EVALUATED, "%s",
	                           "/proc/net/tcp, /proc/net/tcp6 and /proc/*/fd"));
	for (i = 0; i < in->nsockets; i++) {
		const struct tcp_sock *s = &in->sockets[i].s;

		if (s->state != TCP_ST_LISTEN || s->lport != in->port)
			continue;
		if (proctcp_listen_covers(s, in->port, fam, addr))
			cover = cover ? cover : &in->sockets[i];
		else
			other = other ? other : &in->sockets[i];
	}
	if (cover == NULL) {
		if (other != NULL) {
			fmt_sock(&other->s, sock, sizeof(sock));
			f = add(x, LAYER_LISTEN, CAUSE_NOT_LISTENING, SEVERITY_BLOCKER);
			chk(x, finding_set_summary(f,
			                           "port %u is only listened on at %s, not on the "
			                           "address this client connects to",
			                           in->port, sock));
			evf(x, f, other->s.family == 4 ? "/proc/net/tcp" : "/proc/net/tcp6", 0,
			    "%s LISTEN inode %lu", sock, other->s.inode);
			if (x->g) {
				ev_listen_config(x, f);
				if (f)
					chk(x, finding_add_fix(
					           f, "remove or widen the ListenAddress lines (or "
					              "add `ListenAddress 0.0.0.0` / "
					              "`ListenAddress ::`)"));
				fix_restart(x, f, NULL);
			}
			return;
		}
		if (in->procs_read && in->ndaemons == 0) {
			/* the symptom first (what the client meets), then why */
			f = add(x, LAYER_LISTEN, CAUSE_NOT_LISTENING, SEVERITY_BLOCKER);
			chk(x, finding_set_summary(f,
			                           "nothing listens on port %u: no sshd is running "
			                           "(see sshd_not_running)",
			                           in->port));
			client_sees(x, f, "ssh: connect to host %s port %u: Connection refused",
			            x->server, in->port);
			evf(x, f, "/proc/net/tcp", 0, "no LISTEN socket on port %u", in->port);
			chk(x,
			    f ? finding_add_fix(f, "start sshd: systemctl start %s", x->unit) : 0);
			not_running(x);
			return;
		}
		f = add(x, LAYER_LISTEN, CAUSE_NOT_LISTENING, SEVERITY_BLOCKER);
		client_sees(x, f, "ssh: connect to host %s port %u: Connection refused", x->server,
		            in->port);
		if (x->dmn && x->g) {
			config_listens(x, ports, sizeof(ports));
			chk(x, finding_set_summary(
			           f,
			           "sshd (pid %d) runs but nothing listens on port %u: "
			           "its configuration listens on %s",
			           x->dmn->pid, in->port, ports));
			ev_listen_config(x, f);
			if (f)
				chk(x, finding_add_fix(
				           f,
				           "add `Port %u` to %s before any Match block (every "
				           "Port line adds one), or connect to the configured port",
				           in->port, edit_file(x, &x->g->kw[SK_PORT].origin)));
			fix_restart(x, f, NULL);
		} else {
			chk(x, finding_set_summary(f, "nothing listens on port %u", in->port));
			evf(x, f, "/proc/net/tcp", 0, "no LISTEN socket on port %u", in->port);
			chk(x, finding_add_fix(
			           f,
			           "start sshd (systemctl start %s) or connect to the port it "
			           "listens on",
			           x->unit));
		}
		return;
	}
	for (j = 0; j < cover->nowners; j++) {
		known_owner = 1;
		if (cover->owners[j].is_sshd)
			sshd_owner = 1;
		if (cover->owners[j].is_systemd)
			systemd_owner = 1;
	}
	fmt_sock(&cover->s, sock, sizeof(sock));
	if (known_owner && !sshd_owner && !systemd_owner) {
		const struct sshd_owner *o = &cover->owners[0];

		f = add(x, LAYER_LISTEN, CAUSE_WRONG_SERVICE, SEVERITY_BLOCKER);
		chk(x, finding_set_summary(
		           f,
		           "port %u is held by %s (pid %d), not by sshd: the client "
		           "talks to another service",
		           in->port, o->comm[0] ? o->comm : "another program", o->pid));
		client_sees(x, f,
		            "kex_exchange_identification: Connection closed by remote host, or a "
		            "banner that is not SSH (the other service's reply)");
		evf(x, f, cover->s.family == 4 ? "/proc/net/tcp" : "/proc/net/tcp6", 0,
		    "%s LISTEN inode %lu", sock, cover->s.inode);
		{
			char src[64];

			snprintf(src, sizeof(src), "/proc/%d/exe", o->pid);
			evf(x, f, src, 0, "%s", o->exe[0] ? o->exe : o->comm);
		}
		if (f) {
			chk(x,
			    finding_add_fix(f,
			                    "stop the service that holds port %u (pid %d, %s), or "
			                    "give sshd another port",
			                    in->port, o->pid, o->exe[0] ? o->exe : o->comm));
			chk(x, finding_add_fix(f, "see who listens: ss -ltnp 'sport = :%u'",
			                       in->port));
		}
		return;
	}
	if (!known_owner) {
		chk(x, diagnosis_set_layer(
		           x->d, LAYER_LISTEN, LAYER_EVALUATED,
		           "%s listens; its owner could not be read (run as root to see "
		           "/proc/*/fd)",
		           sock));
	}
	if (systemd_owner && x->g && in->nlisten_streams > 0) {
		/* socket activation: ListenStream= decides, Port/ListenAddress are not used */
		char cfgports[512];

		if (!config_listens(x, cfgports, sizeof(cfgports))) {
			f = add(x, LAYER_LISTEN, CAUSE_NOT_LISTENING, SEVERITY_INFO);
			chk(x, finding_set_summary(
			           f,
			           "systemd's %s listens on port %u for sshd; "
			           "sshd_config's Port/ListenAddress (%s) are not used "
			           "while socket activation is on",
			           in->socket_unit[0] ? in->socket_unit : "ssh.socket", in->port,
			           cfgports));
			for (i = 0; i < in->nlisten_streams; i++)
				evf(x, f, in->socket_unit[0] ? in->socket_unit : "ssh.socket", 0,
				    "ListenStream=%s", in->listen_streams[i]);
			ev_listen_config(x, f);
			if (f)
				chk(x, finding_add_fix(
				           f, "change ListenStream= (systemctl edit ssh.socket), "
				              "then: systemctl daemon-reload && systemctl restart "
				              "ssh.socket"));
		}
	}
}

/* ------------------------------------------------------------------ admission */

/* sshd's should_drop_connection(): the drop probability in percent. */
static int drop_percent(int startups, int begin, int rate, int full)
{
	int p;

	if (startups < begin)
		return 0;
	if (startups >= full || rate == 100)
		return 100;
	p = 100 - rate;
	p *= startups - begin;
	p /= full - begin;
	p += rate;
	return p > 100 ? 100 : p;
}

/* Unauthenticated connections from the client's PerSourceNetBlockSize network. */
static int per_source_count(const struct lctx *x, int v4len, int v6len, char *net, size_t len)
{
	const struct sshd_inputs *in = x->in;
	struct sshd_xaddr cl, peer;
	unsigned masklen;
	size_t i;
	int n = 0;
	char a[INET6_ADDRSTRLEN];

	if (!in->preauth_counted || x->c->client.family == 0)
		return -1;
	memset(&cl, 0, sizeof(cl));
	cl.af = x->c->client.family;
	memcpy(cl.a, x->c->client.bytes, 16);
	masklen = (unsigned)(cl.af == 4 ? v4len : v6len);
	if (masklen > (cl.af == 4 ? 32u : 128u))
		masklen = cl.af == 4 ? 32 : 128;
	/* the network: the client's address with the host bits cleared */
	{
		struct sshd_xaddr netw = cl;
		unsigned b;

		for (b = masklen; b < (cl.af == 4 ? 32u : 128u); b++)
			netw.a[b / 8] &= (uint8_t) ~(0x80 >> (b % 8));
		inet_ntop(cl.af == 4 ? AF_INET : AF_INET6, netw.a, a, sizeof(a));
		snprintf(net, len, "%s/%u", a, masklen);
		for (i = 0; i < in->npreauth_peers; i++) {
			memset(&peer, 0, sizeof(peer));
			peer.af = in->preauth_peers[i].family;
			memcpy(peer.a, in->preauth_peers[i].addr, 16);
			if (sshd_addr_netmatch(&peer, &netw, masklen))
				n++;
		}
	}
	return n;
}

static void eval_maxstartups(struct lctx *x)
{
	const struct sshd_setting *ms = &x->g->kw[SK_MAXSTARTUPS];
	const struct sshd_setting *lg = &x->g->kw[SK_LOGINGRACETIME];
	int begin = ms->n[0], rate = ms->n[1], full = ms->n[2], count = -1, p;
	char shown[64], wh[600];
	struct finding *f;

	snprintf(shown, sizeof(shown), "MaxStartups %d:%d:%d", begin, rate, full);
	if (x->dmn && x->dmn->title.have_startups)
		count = x->dmn->title.startups;
	else if (x->in->preauth_counted)
		count = (int)x->in->npreauth_peers;
	if (count < 0 || (p = drop_percent(count, begin, rate, full)) == 0) {
		if (lg->n[0] == 0) {
			f = add(x, LAYER_SSHD_ADMISSION, CAUSE_MAX_STARTUPS, SEVERITY_INFO);
			chk(x, finding_set_summary(
			           f,
			           "LoginGraceTime 0: unauthenticated connections never "
			           "time out, so idle ones can fill MaxStartups "
			           "(%d:%d:%d) and then every new connection is dropped",
			           begin, rate, full));
			where(&lg->origin, wh, sizeof(wh));
			ev_origin(x, f, &lg->origin, "LoginGraceTime 0");
			fix_edit(x, f, &lg->origin, "LoginGraceTime 60", NULL);
		}
		return;
	}
	f = add(x, LAYER_SSHD_ADMISSION, CAUSE_MAX_STARTUPS, SEVERITY_RISK);
	where(&ms->origin, wh, sizeof(wh));
	if (p >= 100)
		chk(x,
		    finding_set_summary(f,
		                        "MaxStartups %d:%d:%d is full: %d unauthenticated "
		                        "connections are open, so sshd drops every new connection "
		                        "right after accept() until some finish (at most "
		                        "LoginGraceTime %d s); set at %s",
		                        begin, rate, full, count, lg->n[0], wh));
	else
		chk(x,
		    finding_set_summary(f,
		                        "MaxStartups %d:%d:%d: %d unauthenticated connections are "
		                        "open, so sshd drops a new connection with probability "
		                        "%d%%; set at %s",
		                        begin, rate, full, count, p, wh));
	sees_dropped(x, f);
	ev_origin(x, f, &ms->origin, shown);
	if (x->dmn && x->dmn->title.have_startups) {
		char src[64];

		snprintf(src, sizeof(src), "/proc/%d/cmdline", x->dmn->pid);
		evf(x, f, src, 0, "[listener] %d of %d-%d startups", x->dmn->title.startups,
		    x->dmn->title.begin, x->dmn->title.full);
	}
	{
		char line[64];

		snprintf(line, sizeof(line), "MaxStartups %d:30:%d", begin > 10 ? begin : 10,
		         full * 2 > 100 ? full * 2 : 100);
		fix_edit(
		    x, f, &ms->origin, line,
		    x->version < SSHD_V(10, 1)
		        ? "more room for unauthenticated connections; before 10.1 the LAST "
		          "MaxStartups line wins"
		        : "more room for unauthenticated connections; the FIRST MaxStartups line "
		          "wins");
	}
	if (f) {
		chk(x, finding_add_fix(f,
		                       "see who holds them: ss -tn state established '( sport = "
		                       ":%u )'",
		                       x->in->port));
		if (lg->n[0] == 0 || lg->n[0] > 60)
			chk(x, finding_add_fix(
			           f,
			           "shorten LoginGraceTime (now %d s), e.g. LoginGraceTime "
			           "30",
			           lg->n[0]));
	}
	fix_restart(x, f, NULL);
}

static void eval_per_source(struct lctx *x)
{
	const struct sshd_setting *psm = &x->g->kw[SK_PERSOURCEMAXSTARTUPS];
	const struct sshd_setting *nb = &x->g->kw[SK_PERSOURCENETBLOCK];
	int limit = psm->n[0], count;
	char net[80], shown[64], wh[600];
	struct finding *f;

	if (limit == INT_MAX || limit < 0)
		return;
	count = per_source_count(x, nb->n[0], nb->n[1], net, sizeof(net));
	if (count < limit) {
		f = add(x, LAYER_SSHD_ADMISSION, CAUSE_PER_SOURCE_MAX_STARTUPS, SEVERITY_INFO);
		if (count < 0)
			chk(x,
			    finding_set_summary(f,
			                        "PerSourceMaxStartups %d: sshd drops a connection "
			                        "when %d unauthenticated ones from the same "
			                        "/%d (IPv4) or /%d (IPv6) network are open; the "
			                        "current count is not known here",
			                        limit, limit, nb->n[0], nb->n[1]));
		else
			chk(x, finding_set_summary(f,
			                           "PerSourceMaxStartups %d: %d unauthenticated "
			                           "connection(s) from %s are open now",
			                           limit, count, net));
		snprintf(shown, sizeof(shown), "PerSourceMaxStartups %d", limit);
		ev_origin(x, f, &psm->origin, shown);
		return;
	}
	f = add(x, LAYER_SSHD_ADMISSION, CAUSE_PER_SOURCE_MAX_STARTUPS, SEVERITY_BLOCKER);
	where(&psm->origin, wh, sizeof(wh));
	chk(x, finding_set_summary(f,
	                           "PerSourceMaxStartups %d: %d unauthenticated connection(s) "
	                           "from %s (PerSourceNetBlockSize %d:%d) are already open, so "
	                           "sshd drops every new connection from that network right "
	                           "after accept() until one finishes; set at %s",
	                           limit, count, net, nb->n[0], nb->n[1], wh));
	sees_dropped(x, f);
	snprintf(shown, sizeof(shown), "PerSourceMaxStartups %d", limit);
	ev_origin(x, f, &psm->origin, shown);
	snprintf(shown, sizeof(shown), "PerSourceNetBlockSize %d:%d", nb->n[0], nb->n[1]);
	ev_origin(x, f, &nb->origin, shown);
	evf(x, f, "/proc/net/tcp", 0,
	    "%d established connection(s) from %s to port %u held by "
	    "sshd processes before authentication",
	    count, net, x->in->port);
	{
		char line[64];

		snprintf(line, sizeof(line), "PerSourceMaxStartups %d",
		         limit * 4 > 10 ? limit * 4 : 10);
		fix_edit(x, f, &psm->origin, line,
		         x->version < SSHD_V(9, 5) ? "or none; before 9.5 the LAST such line wins"
		                                   : "or none");
	}
	if (f)
		chk(x, finding_add_fix(f,
		                       "find the connections from %s that never authenticate: ss "
		                       "-tn state established '( sport = :%u )'",
		                       net, x->in->port));
	fix_restart(x, f, NULL);
}

static void eval_penalties(struct lctx *x)
{
	const struct sshd_penalties *pen = &x->g->pen;
	const struct sshd_setting *ex = &x->g->kw[SK_PENALTYEXEMPTLIST];
	enum severity sev = SEVERITY_INFO;
	struct finding *f;
	char why[256] = "", shown[512];
	int min = pen->v[PEN_MIN], exempt = 0;

	if (x->version < SSHD_V(9, 8) || pen->enabled != 1)
		return;
	if (x->client[0] && ex->s && sshd_addr_match_list(x->client, ex->s) == 1)
		exempt = 1;
	if (!exempt) {
		if (pen->v[PEN_NOAUTH] > min)
			snprintf(why, sizeof(why),
			         "one connection that does not authenticate (noauth:%d "
			         "s > min:%d s)",
			         pen->v[PEN_NOAUTH], min);
		else if (pen->v[PEN_AUTHFAIL] > min)
			snprintf(why, sizeof(why),
			         "one failed authentication (authfail:%d s > min:%d s)",
			         pen->v[PEN_AUTHFAIL], min);
		else if (x->version >= SSHD_V(9, 9) && pen->v[PEN_REFUSE] > min)
			snprintf(why, sizeof(why),
			         "one RefuseConnection refusal (refuseconnection:%d s > "
			         "min:%d s)",
			         pen->v[PEN_REFUSE], min);
		if (why[0])
			sev = SEVERITY_RISK;
	}
	f = add(x, LAYER_SSHD_ADMISSION, CAUSE_PER_SOURCE_PENALTY, sev);
	if (exempt)
		chk(x, finding_set_summary(f,
		                           "PerSourcePenalties is on, but %s is in "
		                           "PerSourcePenaltyExemptList: never penalised",
		                           x->client));
	else if (why[0])
		chk(x, finding_set_summary(f,
		                           "PerSourcePenalties: %s is enough to make sshd refuse "
		                           "the client's network right after accept() (penalties "
		                           "add up to max:%d s); sshd keeps this state in memory "
		                           "only, so whether this client is penalised right now "
		                           "cannot be read from outside sshd (look for \"drop "
		                           "connection ... penalty:\" in the logs)",
		                           why, pen->v[PEN_MAX]));
	else
		chk(x,
		    finding_set_summary(f,
		                        "PerSourcePenalties is on (the default since 9.8): "
		                        "repeated crashes, failed logins or connections that "
		                        "never authenticate make sshd refuse the client's network "
		                        "for a while; the penalty table lives in sshd's memory and "
		                        "cannot be read from outside (look for \"drop connection "
		                        "... penalty:\" in the logs)%s",
		                        x->version < SSHD_V(10, 0)
		                            ? "; in 9.8/9.9 one LoginGraceTime expiry is charged "
		                              "the crash penalty (90 s)"
		                            : ""));
	if (sev != SEVERITY_INFO)
		sees_dropped(x, f);
	snprintf(shown, sizeof(shown),
	         "PerSourcePenalties crash:%d authfail:%d noauth:%d grace-exceeded:%d min:%d "
	         "max:%d",
	         pen->v[PEN_CRASH], pen->v[PEN_AUTHFAIL], pen->v[PEN_NOAUTH], pen->v[PEN_GRACE],
	         min, pen->v[PEN_MAX]);
	ev_origin(x, f, &pen->enabled_origin, shown);
	if (ex->s) {
		snprintf(shown, sizeof(shown), "PerSourcePenaltyExemptList %.400s", ex->s);
		ev_origin(x, f, &ex->origin, shown);
	}
	if (!exempt && f) {
		if (x->client[0])
			chk(x, finding_add_fix(
			           f,
			           "exempt trusted sources: add `PerSourcePenaltyExemptList "
			           "%s` to %s (before any Match block)",
			           x->client, edit_file(x, &ex->origin)));
		chk(x, finding_add_fix(f,
		                       "the table is lost when the listener restarts: systemctl "
		                       "restart %s",
		                       x->unit));
		chk(x, finding_add_fix(f, "journalctl -u %s | grep 'penalty:'", x->unit));
	}
}

static void eval_refuse(struct lctx *x)
{
	const struct sshd_setting *rc;
	struct finding *f;
	char wh[600];

	if (x->version < SSHD_V(9, 9) || !x->have_eff)
		return;
	rc = &x->e->kw[SK_REFUSECONNECTION];
	if (rc->n[0] != 1)
		return;
	f = add(x, LAYER_SSHD_ADMISSION, CAUSE_REFUSE_CONNECTION, SEVERITY_BLOCKER);
	where(&rc->origin, wh, sizeof(wh));
	chk(x, finding_set_summary(f,
	                           "RefuseConnection yes applies to this connection (%s): sshd "
	                           "completes key exchange, then closes the connection at the "
	                           "first authentication request, where Match blocks are "
	                           "evaluated, and logs \"administratively prohibited "
	                           "connection for USER from %s\"%s",
	                           wh, x->client[0] ? x->client : "CLIENT",
	                           x->c->user ? ""
	                                      : "; the user was not given, so User/Group "
	                                        "criteria were taken as not matching"));
	client_sees(x, f, "Connection closed by %s", x->host);
	ev_origin(x, f, &rc->origin, "RefuseConnection yes");
	if (f && rc->origin.match_file)
		chk(x, finding_add_fix(f,
		                       "narrow or remove the Match block at %s line %u (or set "
		                       "RefuseConnection no inside it)",
		                       rc->origin.match_file, rc->origin.match_line));
	else
		fix_edit(x, f, &rc->origin, "RefuseConnection no", NULL);
	if (f)
		chk(x, finding_add_fix(f, "then: systemctl reload %s", x->unit));
}

/* Rows of the no-client table for sshd's admission limits (the logs add their pressure). */
static void admission_rows(struct lctx *x)
{
	const struct sshd_setting *ms = &x->g->kw[SK_MAXSTARTUPS];
	const struct sshd_setting *psm = &x->g->kw[SK_PERSOURCEMAXSTARTUPS];
	const struct sshd_setting *nb = &x->g->kw[SK_PERSOURCENETBLOCK];
	const struct sshd_penalties *pen = &x->g->pen;
	char by[400], now[96] = "";

	if (x->dmn && x->dmn->title.have_startups)
		snprintf(now, sizeof(now), "; now %d open", x->dmn->title.startups);
	snprintf(by, sizeof(by),
	         "MaxStartups %d:%d:%d: drops start at %d unauthenticated connections, all are "
	         "dropped at %d%s",
	         ms->n[0], ms->n[1], ms->n[2], ms->n[0], ms->n[2], now);
	chk(x, diagnosis_add_blocked(x->d, LAYER_SSHD_ADMISSION, CAUSE_MAX_STARTUPS, SEVERITY_RISK,
	                             BLOCKED_WHO_BUSY, by, NULL,
	                             ms->origin.file == SSHD_ORIGIN_CMDLINE ? "sshd's command line"
	                                                                    : ms->origin.file,
	                             ms->origin.line, NULL));
	if (psm->n[0] != INT_MAX && psm->n[0] >= 0) {
		snprintf(by, sizeof(by),
		         "PerSourceMaxStartups %d: a source /%d (IPv6 /%d) with %d unauthenticated "
		         "connections open is dropped",
		         psm->n[0], nb->n[0], nb->n[1], psm->n[0]);
		chk(x,
		    diagnosis_add_blocked(x->d, LAYER_SSHD_ADMISSION, CAUSE_PER_SOURCE_MAX_STARTUPS,
		                          SEVERITY_RISK, "each busy source network", by, NULL,
		                          psm->origin.file, psm->origin.line, NULL));
	}
	if (x->version >= SSHD_V(9, 8) && pen->enabled == 1) {
		snprintf(
		    by, sizeof(by),
		    "PerSourcePenalties: a source that fails (noauth %d s, authfail %d s, crash "
		    "%d s) is refused once its penalty passes min %d s",
		    pen->v[PEN_NOAUTH], pen->v[PEN_AUTHFAIL], pen->v[PEN_CRASH], pen->v[PEN_MIN]);
		chk(x, diagnosis_add_blocked(x->d, LAYER_SSHD_ADMISSION, CAUSE_PER_SOURCE_PENALTY,
		                             SEVERITY_RISK, BLOCKED_WHO_PENALIZED, by, NULL,
		                             x->g->kw[SK_PERSOURCEPENALTIES].origin.file,
		                             x->g->kw[SK_PERSOURCEPENALTIES].origin.line, NULL));
	}
}

/*
 * Not root: something listens on the port but whose process it is cannot be read, so neither
 * can the configuration it runs with (-f, -o) nor its live counts.
 */
static const char hidden_note[] =
    "a socket listens on the port but its process could not be read (run as root to see "
    "/proc/*/exe, /proc/*/fd and sshd's command line)";

static int listener_hidden(const struct sshd_inputs *in)
{
	size_t i;

	if (!in->live || in->ndaemons || !in->procs_hidden)
		return 0;
	for (i = 0; i < in->nsockets; i++)
		if (in->sockets[i].s.state == TCP_ST_LISTEN)
			return 1;
	return 0;
}

static void eval_admission(struct lctx *x)
{
	if (x->g == NULL) {
		chk(x, diagnosis_set_layer(x->d, LAYER_SSHD_ADMISSION, LAYER_UNREADABLE, "%s",
		                           x->in->config_note[0] ? x->in->config_note
		                                                 : "sshd's configuration could not "
		                                                   "be read (run as root)"));
		return;
	}
	if (listener_hidden(x->in)) {
		chk(x, diagnosis_set_layer(x->d, LAYER_SSHD_ADMISSION, LAYER_UNREADABLE, "%s",
		                           hidden_note));
		return;
	}
	if (x->in->live && x->in->procs_read && x->in->ndaemons == 0) {
		chk(x,
		    diagnosis_set_layer(x->d, LAYER_SSHD_ADMISSION, LAYER_NOT_APPLICABLE,
		                        "no sshd listener is running, so nothing admits or drops "
		                        "connections"));
		return;
	}
	if (x->dmn && x->dmn->cmd.inetd) {
		chk(x, diagnosis_set_layer(
		           x->d, LAYER_SSHD_ADMISSION, LAYER_NOT_APPLICABLE,
		           "sshd runs in inetd mode (-i): no listener, no MaxStartups"));
		return;
	}
	chk(x,
	    diagnosis_set_layer(
	        x->d, LAYER_SSHD_ADMISSION, LAYER_EVALUATED, "%s%s", x->in->config_source,
	        x->in->live ? "" : "; live counts of connections are not available under --root"));
	eval_refuse(x);
	eval_maxstartups(x);
	eval_per_source(x);
	eval_penalties(x);
	if (!x->client[0])
		admission_rows(x);
}

/* ------------------------------------------------------------------ health */

static enum cause_id privsep_cause(void)
{
	int c = cause_from_name("privsep_dir_missing");

	return c >= 0 ? (enum cause_id)c : CAUSE_SSHD_SESSION_MISSING;
}

static int running(const struct lctx *x)
{
	return x->dmn != NULL;
}

static void eval_session(struct lctx *x, enum sshd_kw kw, const struct sshd_file *file,
                         const struct sshd_version *fv, const char *what)
{
	const struct sshd_setting *st = &x->g->kw[kw];
	const struct sshd_version *dv = x->dmn ? &x->dmn->version : &x->in->version;
	struct finding *f;
	char shown[600], wh[600];

	if (!file->checked)
		return;
	/* without the sshd binary (or a running one) we do not know which helpers it needs */
	if (!running(x) && !(x->in->binary.checked && x->in->binary.exists))
		return;
	snprintf(shown, sizeof(shown), "%s %s",
	         kw == SK_SSHDSESSIONPATH ? "SshdSessionPath" : "SshdAuthPath", file->path);
	where(&st->origin, wh, sizeof(wh));
	if (!file->exists || !file->is_reg || !file->executable) {
		f = add(x, LAYER_SSHD_HEALTH, CAUSE_SSHD_SESSION_MISSING, SEVERITY_BLOCKER);
		if (running(x))
			chk(x, finding_set_summary(
			           f,
			           "%s %s %s: the running listener (pid %d, %s) execs it "
			           "for every connection, so every connection dies "
			           "right after accept()",
			           what, file->path,
			           !file->exists ? "does not exist" : "is not executable",
			           x->dmn->pid, dv->text));
		else
			chk(x, finding_set_summary(
			           f,
			           "%s %s %s: sshd refuses to start (\"%s does not exist "
			           "or is not executable\")",
			           what, file->path,
			           !file->exists ? "does not exist" : "is not executable",
			           file->path));
		client_sees(x, f,
		            "kex_exchange_identification: read: Connection reset by peer / "
		            "Connection reset by %s (or \"Connection closed\")",
		            x->host);
		ev_origin(x, f, &st->origin, shown);
		evf(x, f, file->path, 0, "%s",
		    !file->exists ? "No such file or directory" : "not an executable regular file");
		if (f) {
			chk(x,
			    finding_add_fix(
			        f,
			        "reinstall the server package (apt install --reinstall "
			        "openssh-server) or point %s at the right binary (%s)",
			        kw == SK_SSHDSESSIONPATH ? "SshdSessionPath" : "SshdAuthPath", wh));
			chk(x, finding_add_fix(f,
			                       "restart the listener so binary and helpers match: "
			                       "systemctl restart %s",
			                       x->unit));
		}
		return;
	}
	if (running(x) && fv->known && dv->known &&
	    (fv->major != dv->major || fv->minor != dv->minor)) {
		f = add(x, LAYER_SSHD_HEALTH, CAUSE_SSHD_SESSION_MISSING, SEVERITY_BLOCKER);
		chk(x,
		    finding_set_summary(f,
		                        "%s %s is %s but the running listener (pid %d) is %s: the "
		                        "package was upgraded without restarting sshd, and the "
		                        "new helper cannot serve the old listener",
		                        what, file->path, fv->text, x->dmn->pid, dv->text));
		sees_dropped(x, f);
		ev_origin(x, f, &st->origin, shown);
		evf(x, f, file->path, 0, "%s", fv->text);
		{
			char src[64];

			snprintf(src, sizeof(src), "/proc/%d/exe", x->dmn->pid);
			evf(x, f, src, 0, "%s%s (%s)", x->dmn->exe,
			    x->dmn->exe_deleted ? " (deleted)" : "", dv->text);
		}
		fix_restart(x, f, "restart the listener");
	}
}

static void eval_upgrade(struct lctx *x)
{
	const struct sshd_daemon *dm = x->dmn;
	const struct sshd_version *bv = &x->in->binary_version;
	struct finding *f;
	char src[64];

	if (!dm || !dm->version.known || !bv->known)
		return;
	if (!dm->exe_deleted &&
	    SSHD_V(bv->major, bv->minor) == SSHD_V(dm->version.major, dm->version.minor))
		return;
	if (SSHD_V(dm->version.major, dm->version.minor) >= SSHD_V(9, 8))
		return; /* the listener execs sshd-session, checked above */
	/* before 9.8 the listener re-executes its own path for every connection */
	f = add(x, LAYER_SSHD_HEALTH, CAUSE_SSHD_SESSION_MISSING,
	        SSHD_V(bv->major, bv->minor) >= SSHD_V(9, 8) ? SEVERITY_BLOCKER : SEVERITY_RISK);
	chk(x, finding_set_summary(f,
	                           "the running listener (pid %d) is %s but %s on disk is now %s: "
	                           "it re-executes that file for every connection%s",
	                           dm->pid, dm->version.text, dm->exe, bv->text,
	                           SSHD_V(bv->major, bv->minor) >= SSHD_V(9, 8)
	                               ? ", and sshd 9.8+ refuses the re-exec (\"-R not supported "
	                                 "here\"): every new connection dies right after accept()"
	                               : "; the two versions may not agree on the re-exec state"));
	sees_dropped(x, f);
	snprintf(src, sizeof(src), "/proc/%d/exe", dm->pid);
	evf(x, f, src, 0, "%s%s (%s)", dm->exe, dm->exe_deleted ? " (deleted)" : "",
	    dm->version.text);
	evf(x, f, x->in->binary.path, 0, "%s", bv->text);
	fix_restart(x, f, "restart the listener after a package upgrade");
}

static void eval_hostkeys(struct lctx *x)
{
	const struct sshd_setting *hk = &x->g->kw[SK_HOSTKEY];
	size_t i, usable = 0, checked = 0, present = 0;
	struct finding *f;
	char shown[600];
	enum severity sev;

	for (i = 0; i < x->in->nhostkeys; i++) {
		const struct sshd_file *k = &x->in->hostkeys[i];

		if (!k->checked)
			continue;
		checked++;
		if (k->exists)
			present++;
		if (k->exists && k->is_reg && !(k->uid == 0 && (k->mode & 077)))
			usable++;
	}
	if (checked == 0 || usable == checked)
		return;
	/* none usable: sshd does not start; 9.8+ listeners keep keys loaded at start */
	if (usable > 0)
		sev = SEVERITY_INFO;
	else if (!x->in->live)
		/* a copied tree often leaves the private keys out on purpose */
		sev = present == 0 ? SEVERITY_INFO : SEVERITY_RISK;
	else if (!running(x))
		sev = SEVERITY_BLOCKER;
	else
		sev = x->version >= SSHD_V(9, 8) ? SEVERITY_RISK : SEVERITY_BLOCKER;
	f = add(x, LAYER_SSHD_HEALTH, CAUSE_HOST_KEYS_UNUSABLE, sev);
	if (usable > 0)
		chk(x,
		    finding_set_summary(f, "%zu of %zu host keys cannot be used (sshd skips them)",
		                        checked - usable, checked));
	else if (!x->in->live && present == 0)
		chk(x, finding_set_summary(
		           f, "the host keys are not in this tree (bundles often leave "
		              "private keys out); on the host, sshd needs at least one"));
	else if (!x->in->live)
		chk(x, finding_set_summary(
		           f, "no host key in this tree can be used: sshd would refuse "
		              "to start (\"no hostkeys available -- exiting\")"));
	else if (!running(x))
		chk(x, finding_set_summary(
		           f, "no host key can be used, so sshd refuses to start (\"no "
		              "hostkeys available -- exiting\")"));
	else if (sev == SEVERITY_RISK)
		chk(x, finding_set_summary(
		           f, "no host key on disk can be used: the running listener "
		              "keeps the keys it loaded at start, but the next restart "
		              "fails"));
	else
		chk(x, finding_set_summary(
		           f, "no host key can be used: this sshd (before 9.8) reloads "
		              "the keys for every connection, so every connection "
		              "fails before the banner"));
	if (sev == SEVERITY_BLOCKER && running(x))
		client_sees(x, f, "kex_exchange_identification: Connection closed by remote host");
	for (i = 0; i < x->in->nhostkeys; i++) {
		const struct sshd_file *k = &x->in->hostkeys[i];
		const struct sshd_origin *o = i < hk->nitems ? &hk->items[i].origin : &hk->origin;

		if (!k->checked || (k->exists && k->is_reg && !(k->uid == 0 && (k->mode & 077))))
			continue;
		snprintf(shown, sizeof(shown), "HostKey %s", k->path);
		ev_origin(x, f, o, shown);
		if (!k->exists)
			evf(x, f, k->path, 0, "No such file or directory");
		else if (!k->is_reg)
			evf(x, f, k->path, 0, "not a regular file");
		else
			evf(x, f, k->path, 0,
			    "mode %04o owner %u: \"Permissions 0%o for '%s' are too open\"",
			    k->mode, k->uid, k->mode, k->path);
		if (f) {
			if (!k->exists)
				chk(x, finding_add_fix(
				           f,
				           "create the missing host keys: ssh-keygen -A (or "
				           "remove the HostKey line for %s)",
				           k->path));
			else if (k->is_reg)
				chk(x, finding_add_fix(f, "chmod 600 %s", k->path));
		}
	}
	if (sev == SEVERITY_BLOCKER || sev == SEVERITY_RISK)
		fix_restart(x, f, NULL);
}

static void eval_privsep(struct lctx *x)
{
	const struct sshd_file *p = &x->in->privsep;
	struct finding *f;
	int bad_owner;

	if (!p->checked)
		return;
	bad_owner = p->exists && p->is_dir && (p->uid != 0 || (p->mode & 022));
	if (p->exists && p->is_dir && !bad_owner)
		return;
	f = add(x, LAYER_SSHD_HEALTH, privsep_cause(), SEVERITY_BLOCKER);
	if (!p->exists || !p->is_dir)
		chk(x, finding_set_summary(
		           f, "the privilege-separation directory %s is missing: %s", p->path,
		           running(x) ? "every new connection fails (the pre-auth "
		                        "process cannot chroot there)"
		                      : "sshd refuses to start (\"Missing privilege "
		                        "separation directory\")"));
	else
		chk(x, finding_set_summary(f,
		                           "%s must be owned by root and not group- or "
		                           "world-writable (owner %u, mode %04o): sshd refuses it",
		                           p->path, p->uid, p->mode));
	if (running(x))
		client_sees(x, f,
		            "kex_exchange_identification: read: Connection reset by peer (or "
		            "\"Connection closed by %s\")",
		            x->host);
	evf(x, f, p->path, 0, "%s",
	    !p->exists   ? "No such file or directory"
	    : !p->is_dir ? "not a directory"
	                 : "bad owner/mode");
	if (f) {
		chk(x, finding_add_fix(f, "mkdir -p %s && chown root:root %s && chmod 0755 %s",
		                       p->path, p->path, p->path));
		chk(x, finding_add_fix(f,
		                       "make it survive reboots: RuntimeDirectory=sshd with "
		                       "RuntimeDirectoryPreserve=yes in the unit, or a tmpfiles.d "
		                       "entry (d %s 0755 root root)",
		                       p->path));
	}
}

static void eval_config_valid(struct lctx *x)
{
	const struct sshd_diags *dg = sshd_config_diags(x->cfg);
	struct finding *f;
	size_t i;
	int first = 1;

	if (x->in->test_ran && !x->in->test_ok) {
		f = add(x, LAYER_SSHD_HEALTH, CAUSE_SSHD_CONFIG_INVALID,
		        running(x) ? SEVERITY_RISK : SEVERITY_BLOCKER);
		chk(x,
		    finding_set_summary(f, "`%s` rejects the configuration: %s", x->in->test_cmd,
		                        running(x) ? "the running sshd keeps its old settings, but "
		                                     "the next restart or reload fails"
		                                   : "sshd cannot start"));
		evf(x, f, x->in->test_cmd, 0, "%.800s",
		    x->in->test_output ? x->in->test_output : "");
		if (f)
			chk(x,
			    finding_add_fix(f, "fix the reported line, then check with: sshd -t"));
	} else if (dg->fatal && !x->in->test_ran) {
		f = add(x, LAYER_SSHD_HEALTH, CAUSE_SSHD_CONFIG_INVALID,
		        running(x) ? SEVERITY_RISK : SEVERITY_BLOCKER);
		chk(x, finding_set_summary(f, "OpenSSH %d.%d would refuse this configuration%s",
		                           x->version / 100, x->version % 100,
		                           running(x) ? " at the next restart or reload"
		                                      : ": sshd cannot start"));
		for (i = 0; i < dg->n; i++) {
			if (dg->v[i].level == SSHD_DIAG_INFO)
				continue;
			evf(x, f, dg->v[i].file ? dg->v[i].file : "sshd", dg->v[i].line, "%s",
			    dg->v[i].msg);
			if (first && f && dg->v[i].file && dg->v[i].file != SSHD_ORIGIN_CMDLINE) {
				chk(x, finding_add_fix(
				           f, "fix %s line %u (%s), then check with: sshd -t",
				           dg->v[i].file, dg->v[i].line, dg->v[i].msg));
				first = 0;
			}
		}
	}
	/* the per-connection pass can fail on its own (only for some connections) */
	if (x->have_eff && x->eff.diags.fatal) {
		f = add(x, LAYER_SSHD_HEALTH, CAUSE_SSHD_CONFIG_INVALID, SEVERITY_BLOCKER);
		chk(x, finding_set_summary(
		           f, "sshd's per-connection configuration pass fails for this "
		              "connection, so it is closed at the first authentication "
		              "request"));
		client_sees(x, f, "Connection closed by %s", x->host);
		for (i = 0; i < x->eff.diags.n; i++)
			if (x->eff.diags.v[i].level == SSHD_DIAG_FATAL)
				evf(x, f, x->eff.diags.v[i].file ? x->eff.diags.v[i].file : "sshd",
				    x->eff.diags.v[i].line, "%s", x->eff.diags.v[i].msg);
	}
}

static void eval_health(struct lctx *x)
{
	if (x->g == NULL) {
		chk(x, diagnosis_set_layer(x->d, LAYER_SSHD_HEALTH, LAYER_UNREADABLE, "%s",
		                           x->in->config_note[0] ? x->in->config_note
		                                                 : "sshd's configuration could not "
		                                                   "be read (run as root)"));
		return;
	}
	if (listener_hidden(x->in)) {
		chk(x, diagnosis_set_layer(x->d, LAYER_SSHD_HEALTH, LAYER_UNREADABLE, "%s",
		                           hidden_note));
		return;
	}
	chk(x, diagnosis_set_layer(x->d, LAYER_SSHD_HEALTH, LAYER_EVALUATED, "%s%s",
	                           x->in->config_source, x->in->test_ran ? "; sshd -t ran" : ""));
	if (x->version >= SSHD_V(9, 8))
		eval_session(x, SK_SSHDSESSIONPATH, &x->in->session, &x->in->session_version,
		             "sshd-session");
	if (x->version >= SSHD_V(10, 0))
		eval_session(x, SK_SSHDAUTHPATH, &x->in->auth, &x->in->auth_version, "sshd-auth");
	eval_upgrade(x);
	eval_hostkeys(x);
	eval_privsep(x);
	eval_config_valid(x);
}

/* ------------------------------------------------------------------ entry */

void sshd_conn_from_spec(const struct conn_spec *c, const struct sshd_options *global,
                         struct sshd_conn *out, char *host, char *laddr)
{
	memset(out, 0, sizeof(*out));
	host[0] = laddr[0] = '\0';
	out->user = c->user;
	out->lport = c->port ? (int)c->port : -1;
	if (c->client.family) {
		ip_addr_format(&c->client, host, 64);
		out->addr = host;
		/* Match Host sees the address unless UseDNS resolves it (not done here) */
		if (global == NULL || global->kw[SK_USEDNS].n[0] != 1)
			out->host = host;
	}
	if (c->server.family) {
		ip_addr_format(&c->server, laddr, 64);
		out->laddr = laddr;
	}
	out->user_exists = c->user != NULL;
}

int sshd_layers_evaluate(const struct sshd_inputs *in, const struct conn_spec *c,
                         struct diagnosis *d)
{
	struct lctx x;
	struct sshd_conn ci;
	char host[64], laddr[64];

	/*
	 * A copied tree with neither an sshd binary nor a configuration says nothing about
	 * sshd: unread, never a verdict built on assumed defaults.
	 */
	if (!in->live && in->config_missing && !(in->binary.checked && in->binary.exists)) {
		const char *why = "no sshd binary and no sshd_config in this tree: copy "
		                  "/usr/sbin/sshd, /usr/lib/openssh and /etc/ssh into it (or use "
		                  "`sshdiag bundle`)";
		if (diagnosis_set_layer(d, LAYER_LISTEN, LAYER_UNREADABLE, "%s", why) ||
		    diagnosis_set_layer(d, LAYER_SSHD_ADMISSION, LAYER_UNREADABLE, "%s", why) ||
		    diagnosis_set_layer(d, LAYER_SSHD_HEALTH, LAYER_UNREADABLE, "%s", why))
			return SD_ERR_ALLOC;
		return SD_OK;
	}
	memset(&x, 0, sizeof(x));
	x.in = in;
	x.c = c;
	x.d = d;
	x.cfg = in->config;
	x.g = in->config ? sshd_config_global(in->config) : NULL;
	x.version = in->config ? sshd_config_version(in->config) : sshd_version_num(&in->version);
	x.unit = (in->version.known && !in->version.debian) ? "sshd" : "ssh";
	if (in->chosen >= 0 && (size_t)in->chosen < in->ndaemons)
		x.dmn = &in->daemons[in->chosen];
	if (c->client.family)
		ip_addr_format(&c->client, x.client, sizeof(x.client));
	{
		char sa[64] = "SERVER";
		size_t i;

		if (c->server.family) {
			ip_addr_format(&c->server, sa, sizeof(sa));
		} else {
			/* a listening socket bound to one address tells which one the client used
			 */
			for (i = 0; i < in->nsockets; i++) {
				const struct tcp_sock *s = &in->sockets[i].s;
				static const uint8_t zero[16];

				if (s->state == TCP_ST_LISTEN && s->lport == in->port &&
				    memcmp(s->laddr, zero, s->family == 4 ? 4 : 16) != 0) {
					inet_ntop(s->family == 4 ? AF_INET : AF_INET6, s->laddr, sa,
					          sizeof(sa));
					break;
				}
			}
		}
		snprintf(x.host, sizeof(x.host), "%s port %u", sa, c->port ? c->port : in->port);
		snprintf(x.server, sizeof(x.server), "%s", sa);
	}
	if (x.g) {
		sshd_conn_from_spec(c, x.g, &ci, host, laddr);
		if (in->user_looked_up) {
			ci.user_exists = in->user_exists;
			ci.groups = (const char *const *)in->user_groups;
			ci.ngroups = in->nuser_groups;
		}
		if (sshd_config_evaluate(in->config, &ci, &x.eff) != 0)
			return SD_ERR_ALLOC;
		x.have_eff = 1;
		x.e = &x.eff.opts;
	}
	eval_listen(&x);
	eval_admission(&x);
	eval_health(&x);
	if (x.have_eff)
		sshd_effective_release(&x.eff);
	return x.oom ? SD_ERR_ALLOC : SD_OK;
}
