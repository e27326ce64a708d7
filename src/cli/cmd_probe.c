#include <getopt.h>
#include <pwd.h>
#include <unistd.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>

#include "base/buf.h"
#include "base/err.h"
#include "cli/cli.h"
#include "firewall/layer.h"
#include "io/collect_firewall.h"
#include "io/deep.h"
#include "io/proc.h"
#include "io/rootfs.h"
#include "io/ssh_g.h"
#include "io/ramp_probe.h"
#include "io/prober.h"
#include "probe/client.h"
#include "probe/sshcfg.h"
#include "probe/target.h"
#include "report/report.h"

static const char probe_usage[] =
    "usage: sshdiag probe [options] TARGET...\n"
    "\n"
    "Connects to each target, reads the server identification and KEXINIT, and says where\n"
    "and how the connection dies, with the likely causes.  Needs no credentials.\n"
    "TARGET: host, host:port, [v6]:port or ssh://[user@]host[:port]; a host is\n"
    "looked up in your ssh configuration (ssh -G) first: an alias is probed where\n"
    "ssh goes.\n"
    "\n"
    "  -4, -6               IPv4 or IPv6 only\n"
    "  -b, --source ADDR    bind this local address (like ssh -b); repeat it or\n"
    "                       give a comma list to compare sources side by side\n"
    "  -F FILE              ssh client configuration file (passed to ssh -G)\n"
    "      --no-ssh-config  connect to TARGET as typed, without ssh -G's HostName,\n"
    "                       Port, BindAddress, AddressFamily, ConnectTimeout,\n"
    "                       ProxyJump\n"
    "  -p, --port N         port when the target names none (default: ssh's Port, 22)\n"
    "  -n, --repeat N       attempts per address (default 3, at most 20)\n"
    "  -t, --timeout MS     connect timeout; the banner timeout is twice it (default\n"
    "                       5000, or ssh's ConnectTimeout)\n"
    "  -u, --user NAME      user for the deep stage (default: ssh's User)\n"
    "      --no-deep        stop after KEXINIT (no key exchange, no authentication)\n"
    "      --ramp[=MAX]     estimate MaxStartups by holding up to MAX (default 64)\n"
    "                       unauthenticated connections: a LOAD TEST, only for your\n"
    "                       own servers; refused against OpenSSH >= 9.8 without --force\n"
    "      --force          ramp even where PerSourcePenalties will penalise it\n"
    "      --parallel N     sockets open at once across targets (default 512)\n"
    "      --json           one JSON object per address per line\n"
    "  -h, --help\n"
    "Every connection made counts against the server's ban tools and penalties: the\n"
    "default is small on purpose, and the report counts them.\n";

/* The local client's proposal: `ssh -G` for this host, else OpenSSH's defaults. */
static int local_client_algos(const struct probe_result *r, struct client_algos *c)
{
	char port[8];
	char *argv[] = {"ssh", "-G", "-p", port, r->address, NULL};
	struct proc_result pr;
	int rc;

	snprintf(port, sizeof(port), "%u", r->port);
	if (proc_run(argv, 3000, 1 << 20, &pr) != 0)
		return client_algos_default(c);
	rc = pr.exited && pr.status == 0 ? client_algos_from_ssh_g(pr.out.data, pr.out.len, c)
	                                 : client_algos_default(c);
	proc_result_release(&pr);
	return rc;
}

/*
 * `ssh -G` costs a process per host: it runs per address:port when at most ALGO_HOSTS_MAX
 * addresses are probed; a larger batch asks once and shares the answer (a per-host
 * KexAlgorithms in ~/.ssh/config is rare, and a batch is about reachability).
 */
#define ALGO_HOSTS_MAX 4

static int predict_algos(struct probe_result *res, size_t nres, const struct buf *const *cfg_text)
{
	struct client_algos cache[ALGO_HOSTS_MAX];
	const struct probe_result *key[ALGO_HOSTS_MAX];
	struct algo_prediction p;
	size_t i, k, ncache = 0;
	int rc = 0;

	for (i = 0; i < nres && rc == 0; i++) {
		struct probe_result *r = &res[i];
		if (!r->have_kexinit || !r->address)
			continue;
		if (cfg_text && cfg_text[i]) {
			/* the target's own ssh -G answer, asked for its alias and -F file */
			struct client_algos own;
			if ((rc = client_algos_from_ssh_g(cfg_text[i]->data, cfg_text[i]->len,
			                                  &own)) != 0)
				break;
			rc = algo_predict(&own, &r->kexinit, r->address, r->port, &p);
			if (rc == 0)
				rc = probe_result_note_algos(r, &p, own.from_defaults);
			algo_prediction_release(&p);
			client_algos_release(&own);
			continue;
		}
		for (k = 0; k < ncache; k++)
			if (key[k]->port == r->port && strcmp(key[k]->address, r->address) == 0)
				break;
		if (k == ncache && ncache < (nres > ALGO_HOSTS_MAX ? 1 : ALGO_HOSTS_MAX)) {
			if ((rc = local_client_algos(r, &cache[ncache])) != 0)
				break;
			key[ncache++] = r;
		}
		if (k == ncache)
			k = ncache - 1; /* the batch shares what was asked first */
		rc = algo_predict(&cache[k], &r->kexinit, r->address, r->port, &p);
		if (rc == 0)
			rc = probe_result_note_algos(r, &p, cache[k].from_defaults);
		algo_prediction_release(&p);
	}
	for (k = 0; k < ncache; k++)
		client_algos_release(&cache[k]);
	return rc;
}

/* The user ssh would send: the ssh:// URL's, else the local user's name.  Malloc'd. */
static char *default_user(const char *spec)
{
	struct passwd *pw;
	const char *at;

	if (strncmp(spec, "ssh://", 6) == 0 && (at = strchr(spec + 6, '@')) != NULL)
		return strndup(spec + 6, (size_t)(at - spec - 6));
	pw = getpwuid(getuid());
	return strdup(pw && pw->pw_name ? pw->pw_name : "root");
}

/* The deep stage, concurrently, where the banner stage says sshd admits us. */
static int run_deep(struct probe_result *res, size_t nres, const char *user, char *const *cfg_users,
                    const struct probe_options *o)
{
	struct deep_request *reqs;
	struct deep_options dopt;
	char **users;
	size_t i, n = 0;
	int r = SD_OK;

	reqs = calloc(nres ? nres : 1, sizeof(*reqs));
	users = calloc(nres ? nres : 1, sizeof(*users));
	if (!reqs || !users) {
		free(reqs);
		free(users);
		return SD_ERR_ALLOC;
	}
	for (i = 0; i < nres; i++) {
		if (res[i].outcome != OUTCOME_OK || !res[i].address)
			continue;
		reqs[n].address = res[i].address;
		reqs[n].port = res[i].port;
		if ((users[n] = user ? strdup(user)
		                : cfg_users && cfg_users[i]
		                    ? strdup(cfg_users[i])
		                    : default_user(res[i].target)) == NULL) {
			r = SD_ERR_ALLOC;
			break;
		}
		reqs[n].user = users[n];
		reqs[n].out = &res[i].deep;
		res[i].connections_made++;
		n++;
	}
	dopt.source = o->source;
	/* a key exchange costs the server real CPU: give it at least 10 s, as ssh would */
	dopt.timeout_ms = o->banner_timeout_ms > 10000 ? o->banner_timeout_ms : 10000;
	dopt.parallel = o->max_inflight < 128 ? o->max_inflight : 128;
	/*
	 * The deep connection is one more attempt: keep the gap between attempts, or sshd may
	 * still count the last banner connection against PerSourceMaxStartups and drop this one.
	 */
	if (r == SD_OK && n && o->gap_ms) {
		struct timespec ts = {(time_t)(o->gap_ms / 1000),
		                      (long)(o->gap_ms % 1000) * 1000000L};
		while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
			;
	}
	if (r == SD_OK)
		r = deep_probe_many(reqs, n, &dopt);
	for (i = 0; i < nres && r == SD_OK; i++)
		if (res[i].deep.ran)
			r = probe_result_conclude(&res[i]);
	for (i = 0; i < nres; i++)
		free(users[i]);
	free(users);
	free(reqs);
	return r;
}

#define MAX_SOURCES 16
/*
 * `ip route get` names the out-interface for the local firewall question; past this many
 * addresses it is left unknown (rules on -o then take their usual value, flagged uncertain).
 */
#define ROUTE_LOOKUPS_MAX 16
/*
 * `ssh -G` costs a process (about 4 ms) per target: a batch asks it for this many targets
 * and probes the rest as typed, so 1,000 endpoints stay within reach of the probe's own speed.
 */
#define SSH_G_TARGETS_MAX 64
/* ProxyJump hosts that have a ProxyJump of their own, followed at most this deep */
#define JUMP_DEPTH_MAX 4

/* Proxy variables other tools honour and OpenSSH does not. */
static const char *const env_proxies[] = {
    "http_proxy", "HTTP_PROXY",  "https_proxy", "HTTPS_PROXY",  "all_proxy",
    "ALL_PROXY",  "socks_proxy", "SOCKS_PROXY", "SOCKS5_PROXY",
};

/* One target as ssh would reach it. */
struct plan {
	const char *spec;    /* as typed */
	char *connect;       /* what the prober connects to: "[HostName]:Port", or the spec */
	struct buf cfg_text; /* ssh -G's answer for the host probed (algorithms) */
	int have_text;
	char *user;               /* ssh's User for the host probed (deep stage), NULL: default */
	int family;               /* AF_* */
	char *bind;               /* BindAddress of the host probed */
	unsigned timeout_ms;      /* from ConnectTimeout, 0: none */
	struct probe_client base; /* what every source shares */
};

/* One target from one source. */
struct pair {
	size_t plan, src;
	struct probe_result *res; /* borrowed from its group */
	size_t nres;
	struct local_fw *fw; /* one per result */
	const char *source;  /* bound address, NULL: the kernel's choice */
	const char *source_from;
};

/* The pairs that share prober options, probed in one concurrent run. */
struct group {
	int family;
	const char *bind;
	unsigned timeout_ms;
	size_t *pairs, npairs;
	struct probe_result *res;
	size_t nres;
};

static void plan_release(struct plan *p)
{
	free(p->connect);
	if (p->have_text)
		buf_release(&p->cfg_text);
	free(p->user);
	free(p->bind);
	probe_client_release(&p->base);
	memset(p, 0, sizeof(*p));
}

static char *host_port(const char *host, unsigned port)
{
	struct buf b;
	char *s;

	buf_init(&b, 4096);
	if (buf_addf(&b, strchr(host, ':') ? "[%s]:%u" : "%s:%u", host, port) != 0) {
		buf_release(&b);
		return NULL;
	}
	s = buf_detach(&b);
	buf_release(&b);
	return s;
}

/* Runs ssh -G and parses it; SD_OK, or an error with *why saying why (malloc'd). */
static int ask_ssh(const char *file, const char *user, const char *host, unsigned port,
                   struct buf *text, struct ssh_client_config *cfg, char **why)
{
	struct ssh_g_query q = {file, user, host, port, 5000};
	char *err = NULL;
	int r;

	*why = NULL;
	if ((r = ssh_g_run(&q, text, &err)) != SD_OK) {
		if (r == SD_ERR_ALLOC)
			return r;
		*why = r == SD_ERR_NOT_FOUND ? strdup("ssh is not installed")
		       : err                 ? err
		                             : strdup(sd_strerror(r));
		if (err && *why != err)
			free(err);
		return *why ? r : SD_ERR_ALLOC;
	}
	if ((r = ssh_config_parse(text->data, text->len, cfg)) != SD_OK) {
		buf_release(text);
		if (r == SD_ERR_ALLOC)
			return r;
		*why = strdup("ssh -G printed no configuration");
		return *why ? r : SD_ERR_ALLOC;
	}
	return SD_OK;
}

static char *config_note(const char *file, const char *host)
{
	struct buf b;
	char *s;

	buf_init(&b, 8192);
	if (buf_addf(&b, "ssh -G%s%s %s", file ? " -F " : "", file ? file : "", host) != 0) {
		buf_release(&b);
		return NULL;
	}
	s = buf_detach(&b);
	buf_release(&b);
	return s;
}

/*
 * Works out where ssh would connect for one target: use_config 1 asks ssh -G, 0 does not
 * (--no-ssh-config), -1 does not because the batch is large.  SD_OK, SD_ERR_INVALID,
 * SD_ERR_ALLOC.
 */
static int make_plan(const char *spec, const struct probe_options *o, int port_given,
                     int use_config, const char *file, struct plan *p)
{
	struct target t;
	struct ssh_client_config jcfg;
	struct ssh_jump j;
	const struct ssh_client_config *hop;
	char *why = NULL;
	unsigned port, depth;
	size_t i;
	int r;

	memset(p, 0, sizeof(*p));
	memset(&jcfg, 0, sizeof(jcfg));
	p->spec = spec;
	p->family = o->family;
	if ((r = target_parse(spec, 0, &t)) != SD_OK)
		return r;
	p->base.host = spec;
	if (use_config <= 0) {
		p->base.config_note = strdup(use_config ? "not asked: ssh -G runs for the first 64 "
		                                          "targets of a batch only"
		                                        : "--no-ssh-config");
		p->connect = strdup(spec);
		target_release(&t);
		return p->connect && p->base.config_note ? SD_OK : SD_ERR_ALLOC;
	}
	port = t.port ? t.port : port_given ? o->default_port : 0;
	r = ask_ssh(file, t.user, t.host, port, &p->cfg_text, &p->base.cfg, &why);
	if (r == SD_ERR_ALLOC)
		goto out;
	if (r != SD_OK) {
		/* as typed, as before: the probe still says something useful */
		p->base.config_note = why;
		why = NULL;
		r = (p->connect = strdup(spec)) ? SD_OK : SD_ERR_ALLOC;
		goto out;
	}
	p->have_text = 1;
	p->base.ssh_config = 1;
	if ((p->base.config_note = config_note(file, t.host)) == NULL)
		goto oom;
	hop = &p->base.cfg;
	/*
	 * ssh's own TCP connection goes to the first jump host — and, when that host has a
	 * ProxyJump of its own, to that one's first hop — each looked up with its own config.
	 */
	for (depth = 0; hop->proxy_jump && depth < JUMP_DEPTH_MAX; depth++) {
		struct ssh_client_config next;
		struct buf jtext;
		size_t n = strcspn(hop->proxy_jump, ",");

		if (ssh_jump_first(hop->proxy_jump, &j) != SD_OK)
			break;
		free(p->base.jump);
		if ((p->base.jump = strndup(hop->proxy_jump, n)) == NULL) {
			ssh_jump_release(&j);
			goto oom;
		}
		r = ask_ssh(file, j.user, j.host, j.port, &jtext, &next, &why);
		if (r == SD_ERR_ALLOC) {
			ssh_jump_release(&j);
			goto out;
		}
		if (r == SD_OK) {
			buf_release(&p->cfg_text);
			p->cfg_text = jtext;
		} else { /* no configuration for it: as written */
			memset(&next, 0, sizeof(next));
			next.hostname = j.host;
			next.user = j.user;
			next.port = j.port ? j.port : 22;
			j.host = j.user = NULL;
			free(why);
			why = NULL;
		}
		ssh_jump_release(&j);
		ssh_config_release(&jcfg);
		jcfg = next;
		hop = &jcfg;
	}
	if ((p->connect = host_port(hop->hostname, hop->port ? hop->port : 22)) == NULL ||
	    (hop->user && (p->user = strdup(hop->user)) == NULL) ||
	    (hop->bind_address && (p->bind = strdup(hop->bind_address)) == NULL))
		goto oom;
	if (p->family == AF_UNSPEC)
		p->family = hop->family == 4 ? AF_INET : hop->family == 6 ? AF_INET6 : AF_UNSPEC;
	p->timeout_ms =
	    hop->connect_timeout_s
	        ? (hop->connect_timeout_s > 600 ? 600000 : hop->connect_timeout_s * 1000)
	        : 0;
	if (hop->bind_interface) {
		struct buf b;
		buf_init(&b, 8192);
		if (buf_addf(
		        &b,
		        "BindInterface %s: ssh binds to that interface; the probe does not (it "
		        "uses the route the kernel picks)",
		        hop->bind_interface) != 0 ||
		    (p->base.bind_interface_note = buf_detach(&b)) == NULL) {
			buf_release(&b);
			goto oom;
		}
		buf_release(&b);
	}
	if (p->base.cfg.proxy_jump &&
	    probe_client_add_proxy(&p->base, "proxy_jump", "ProxyJump", p->base.cfg.proxy_jump,
	                           1) == SD_ERR_ALLOC)
		goto oom;
	if (p->base.cfg.proxy_command &&
	    probe_client_add_proxy(&p->base, "proxy_command", "ProxyCommand",
	                           p->base.cfg.proxy_command, 1) == SD_ERR_ALLOC)
		goto oom;
	r = SD_OK;
	goto out;
oom:
	r = SD_ERR_ALLOC;
out:
	if (r == SD_OK)
		for (i = 0; i < sizeof(env_proxies) / sizeof(env_proxies[0]); i++) {
			const char *v = getenv(env_proxies[i]);
			if (v && *v &&
			    probe_client_add_proxy(&p->base, "environment", env_proxies[i], v, 0) ==
			        SD_ERR_ALLOC)
				r = SD_ERR_ALLOC;
		}
	ssh_config_release(&jcfg);
	target_release(&t);
	free(why);
	return r;
}

/* Splits "a,b" and appends; 0, or -1 when there are too many or one is empty. */
static int add_sources(const char *arg, const char **v, char **owned, size_t *n)
{
	const char *p = arg;
	size_t len;

	while (*p) {
		len = strcspn(p, ",");
		if (len == 0 || *n == MAX_SOURCES || (owned[*n] = strndup(p, len)) == NULL)
			return -1;
		v[*n] = owned[*n];
		(*n)++;
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

/*
 * Reads the local ruleset once (root only, read-only) and links it into rs, which borrows
 * the bytes in *cf: release *cf after rs.
 */
static int load_local_firewall(struct fw_ruleset *rs, struct collected_firewall *cf,
                               char **unreadable)
{
	struct collect_firewall_opts fo;
	struct rootfs fs;
	unsigned failed = 0;
	size_t i, present = 0, blind = 0;
	int r;

	*unreadable = NULL;
	memset(&fo, 0, sizeof(fo));
	fo.timeout_ms = 5000;
	if (rootfs_open(&fs, NULL) != 0)
		return (*unreadable = strdup("cannot open /")) ? SD_OK : SD_ERR_ALLOC;
	r = collect_firewall(&fs, &fo, cf);
	rootfs_close(&fs);
	if (r != SD_OK)
		return r;
	for (i = 0; i < cf->in.n; i++) {
		present += cf->in.in[i].state == FW_INPUT_PRESENT;
		blind += cf->in.in[i].state == FW_INPUT_UNREADABLE;
	}
	if (blind && !present) {
		*unreadable = strdup(geteuid() == 0 ? "the ruleset commands failed"
		                                    : "not readable without root: run as root");
		return *unreadable ? SD_OK : SD_ERR_ALLOC;
	}
	return firewall_build(&cf->in, rs, &failed, NULL);
}

/* `ip -o route get DST from SRC` → "… dev eth0 …": the interface the SYN leaves by. */
static void route_dev(const char *dst, const char *src, char dev[16])
{
	char *argv[] = {"ip", "-o", "route", "get", (char *)dst, "from", (char *)src, NULL};
	struct proc_result pr;
	const char *d, *end;

	dev[0] = '\0';
	if (proc_run(argv, 3000, 4096, &pr) != SD_OK)
		return;
	if (pr.exited && pr.status == 0 && pr.out.data &&
	    (d = strstr(pr.out.data, " dev ")) != NULL) {
		d += 5;
		end = d + strcspn(d, " \n");
		if (end > d && end - d < 16) {
			memcpy(dev, d, (size_t)(end - d));
			dev[end - d] = '\0';
		}
	}
	proc_result_release(&pr);
}

static int print_result(const struct probe_result *r, const struct probe_client *c, int json)
{
	struct buf b;
	int rc;

	if (json)
		return cli_put_owned(stdout, probe_result_to_json(r, c));
	buf_init(&b, 1 << 20);
	rc = probe_client_headline(c, r, &b) != 0 ||
	     probe_result_to_text(r, &b, cli_use_color()) != 0 ||
	     probe_client_to_text(c, r, &b) != 0;
	fputs(b.data, stdout);
	buf_release(&b);
	return rc ? SD_EXIT_INTERNAL : 0;
}

/* Probes one group: the prober, the algorithm check, the deep stage, the ramp. */
static int run_group(struct group *g, struct plan *plans, struct pair *pairs,
                     const struct probe_options *base, int timeout_given, const char *user,
                     int deep, int ramp, int force, struct ramp_options *ropt)
{
	struct probe_options o = *base;
	char **specs = NULL, **users = NULL;
	const struct buf **texts = NULL;
	size_t i, bad = 0;
	int r;

	o.family = g->family;
	o.source = g->bind;
	if (!timeout_given && g->timeout_ms) {
		o.connect_timeout_ms = g->timeout_ms;
		o.banner_timeout_ms = 2 * g->timeout_ms;
		o.kexinit_timeout_ms = g->timeout_ms;
	}
	if ((specs = calloc(g->npairs, sizeof(*specs))) == NULL)
		return SD_ERR_ALLOC;
	for (i = 0; i < g->npairs; i++)
		specs[i] = plans[pairs[g->pairs[i]].plan].connect;
	r = probe_targets(specs, g->npairs, &o, &g->res, &g->nres, &bad);
	free(specs);
	if (r != SD_OK)
		return r;
	texts = calloc(g->nres ? g->nres : 1, sizeof(*texts));
	users = calloc(g->nres ? g->nres : 1, sizeof(*users));
	if (!texts || !users) {
		r = SD_ERR_ALLOC;
		goto out;
	}
	for (i = 0; i < g->nres; i++) {
		struct pair *pr = &pairs[g->pairs[g->res[i].spec_index]];
		struct plan *pl = &plans[pr->plan];
		if (!pr->res)
			pr->res = &g->res[i];
		pr->nres++;
		texts[i] = pl->have_text ? &pl->cfg_text : NULL;
		users[i] = pl->user;
		/* report the target as typed, not the HostName:Port it became */
		free(g->res[i].target);
		if ((g->res[i].target = strdup(pl->spec)) == NULL) {
			r = SD_ERR_ALLOC;
			goto out;
		}
	}
	if ((r = predict_algos(g->res, g->nres, texts)) != 0)
		goto out;
	for (i = 0; i < g->nres; i++)
		if ((r = probe_result_conclude(&g->res[i])) != 0)
			goto out;
	if (deep && (r = run_deep(g->res, g->nres, user, users, &o)) != 0)
		goto out;
	for (i = 0; i < g->nres && ramp; i++) {
		int major = 0, minor = 0;
		if (!g->res[i].banner_line)
			continue;
		if (banner_openssh_version(g->res[i].software, &major, &minor) &&
		    (major > 9 || (major == 9 && minor >= 8)) && !force) {
			fprintf(stderr,
			        "sshdiag probe: not ramping %s: OpenSSH %d.%d penalises every "
			        "unauthenticated connection (PerSourcePenalties) and would block "
			        "this address; exempt it (PerSourcePenaltyExemptList) and use "
			        "--force\n",
			        g->res[i].address, major, minor);
			continue;
		}
		fprintf(
		    stderr,
		    "sshdiag probe: WARNING: --ramp is a load test (hundreds of connections, up "
		    "to %u held open): use it only against servers you run\n",
		    ropt->max_held);
		ropt->source = o.source;
		if ((r = ramp_run(&g->res[i], ropt)) != 0)
			goto out;
	}
out:
	free(texts);
	free(users);
	return r;
}

int cmd_probe(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"source", required_argument, NULL, 'b'},
	    {"port", required_argument, NULL, 'p'},
	    {"repeat", required_argument, NULL, 'n'},
	    {"timeout", required_argument, NULL, 't'},
	    {"json", no_argument, NULL, 'J'},
	    {"help", no_argument, NULL, 'h'},
	    {"user", required_argument, NULL, 'u'},
	    {"no-deep", no_argument, NULL, 'D'},
	    {"ramp", optional_argument, NULL, 'R'},
	    {"force", no_argument, NULL, 'f'},
	    {"parallel", required_argument, NULL, 'P'},
	    {"no-ssh-config", no_argument, NULL, 'C'},
	    {NULL, 0, NULL, 0},
	};
	struct probe_options o;
	struct plan *plans = NULL;
	struct pair *pairs = NULL;
	struct group *groups = NULL;
	const char *sources[MAX_SOURCES];
	char *owned_src[MAX_SOURCES] = {NULL};
	size_t nsrc = 0, ntargets, npairs = 0, ngroups = 0, i, k, g;
	unsigned v;
	const char *user = NULL, *file = NULL;
	struct ramp_options ropt;
	struct fw_ruleset rs;
	struct collected_firewall cf;
	char *fw_why = NULL;
	int json = 0, deep = 1, ramp = 0, force = 0, use_config = 1, port_given = 0;
	int timeout_given = 0, c, rc = SD_EXIT_CLEAR, r = SD_OK, fw_loaded = 0;
	unsigned routes = 0;

	probe_options_default(&o);
	ramp_options_default(&ropt);
	fw_ruleset_init(&rs);
	memset(&cf, 0, sizeof(cf));
	optind = 1;
	while ((c = getopt_long(argc, argv, "46b:p:n:t:u:F:h", longopts, NULL)) != -1) {
		switch (c) {
		case '4':
			o.family = AF_INET;
			break;
		case '6':
			o.family = AF_INET6;
			break;
		case 'b':
			if (add_sources(optarg, sources, owned_src, &nsrc) != 0) {
				fprintf(stderr, "sshdiag probe: bad --source list (at most %d)\n",
				        MAX_SOURCES);
				rc = SD_EXIT_USAGE;
				goto done;
			}
			break;
		case 'F':
			file = optarg;
			break;
		case 'C':
			use_config = 0;
			break;
		case 'p':
			if (cli_parse_uint(optarg, 1, 65535, &o.default_port) != 0)
				goto usage;
			port_given = 1;
			break;
		case 'n':
			if (cli_parse_uint(optarg, 1, 20, &o.repeat) != 0)
				goto usage;
			break;
		case 't':
			if (cli_parse_uint(optarg, 100, 600000, &v) != 0)
				goto usage;
			o.connect_timeout_ms = v;
			o.banner_timeout_ms = 2 * v;
			o.kexinit_timeout_ms = v;
			timeout_given = 1;
			break;
		case 'J':
			json = 1;
			break;
		case 'u':
			user = optarg;
			break;
		case 'D':
			deep = 0;
			break;
		case 'f':
			force = 1;
			break;
		case 'P':
			if (cli_parse_uint(optarg, 1, 4096, &o.max_inflight) != 0)
				goto usage;
			break;
		case 'R':
			ramp = 1;
			if (optarg && cli_parse_uint(optarg, 1, 1024, &ropt.max_held) != 0)
				goto usage;
			break;
		case 'h':
			fputs(probe_usage, stdout);
			goto done;
		default:
			goto usage;
		}
	}
	if (optind >= argc)
		goto usage;
	if (nsrc == 0)
		sources[nsrc++] = NULL;
	ntargets = (size_t)(argc - optind);
	plans = calloc(ntargets, sizeof(*plans));
	pairs = calloc(ntargets * nsrc, sizeof(*pairs));
	groups = calloc(ntargets * nsrc, sizeof(*groups));
	if (!plans || !pairs || !groups)
		goto oom;
	for (i = 0; i < ntargets; i++) {
		r = make_plan(argv[optind + (int)i], &o, port_given,
		              use_config ? (i < SSH_G_TARGETS_MAX ? 1 : -1) : 0, file, &plans[i]);
		if (r == SD_ERR_INVALID) {
			fprintf(stderr, "sshdiag probe: bad target '%s'\n", argv[optind + (int)i]);
			rc = SD_EXIT_USAGE;
			goto done;
		}
		if (r != SD_OK)
			goto oom;
	}
	/* pairs in output order (target, then source); groups of pairs sharing prober options */
	for (i = 0; i < ntargets; i++)
		for (k = 0; k < nsrc; k++) {
			struct pair *p = &pairs[npairs];
			p->plan = i;
			p->src = k;
			p->source = sources[k] ? sources[k] : plans[i].bind;
			p->source_from = sources[k]      ? "--source"
			                 : plans[i].bind ? "BindAddress"
			                                 : NULL;
			for (g = 0; g < ngroups; g++)
				if (groups[g].family == plans[i].family &&
				    groups[g].timeout_ms == plans[i].timeout_ms &&
				    (groups[g].bind == p->source ||
				     (groups[g].bind && p->source &&
				      strcmp(groups[g].bind, p->source) == 0)))
					break;
			if (g == ngroups) {
				groups[g].family = plans[i].family;
				groups[g].bind = p->source;
				groups[g].timeout_ms = plans[i].timeout_ms;
				if ((groups[g].pairs = calloc(ntargets * nsrc, sizeof(size_t))) ==
				    NULL)
					goto oom;
				ngroups++;
			}
			groups[g].pairs[groups[g].npairs++] = npairs++;
		}
	for (g = 0; g < ngroups; g++) {
		r = run_group(&groups[g], plans, pairs, &o, timeout_given, user, deep, ramp, force,
		              &ropt);
		if (r != SD_OK) {
			fprintf(stderr, "sshdiag probe: %s\n", sd_strerror(r));
			rc = SD_EXIT_INTERNAL;
			goto done;
		}
	}
	/* this machine's own firewall, for the packets each attempt really sent */
	if ((r = load_local_firewall(&rs, &cf, &fw_why)) != SD_OK)
		goto oom;
	fw_loaded = !fw_why;
	for (i = 0; i < npairs; i++) {
		struct pair *p = &pairs[i];
		if ((p->fw = calloc(p->nres ? p->nres : 1, sizeof(*p->fw))) == NULL)
			goto oom;
		for (k = 0; k < p->nres; k++) {
			const struct probe_result *res = &p->res[k];
			const char *src = p->source;
			size_t a;
			/* the address the kernel really used, else the one asked for */
			for (a = 0; a < res->nattempts; a++)
				if (res->attempts[a].local_address[0]) {
					src = res->attempts[a].local_address;
					break;
				}
			if (!fw_loaded) {
				p->fw[k].status = LOCAL_FW_UNREADABLE;
				if ((p->fw[k].note = strdup(fw_why)) == NULL)
					goto oom;
			} else if (res->address && src) {
				char dev[16] = "";
				/* a process per address: the first ROUTE_LOOKUPS_MAX only (batches)
				 */
				if (routes++ < ROUTE_LOOKUPS_MAX)
					route_dev(res->address, src, dev);
				r = local_fw_evaluate(&rs, src, res->address, res->port,
				                      dev[0] ? dev : NULL, &p->fw[k]);
				if (r == SD_ERR_ALLOC)
					goto oom;
				if (r == SD_OK && p->fw[k].blocked) {
					char why[600];
					snprintf(
					    why, sizeof(why),
					    "this machine's own firewall: %s %s the %s before it "
					    "reaches the network%s",
					    p->fw[k].place, p->fw[k].rejected ? "rejects" : "drops",
					    p->fw[k].packet ? p->fw[k].packet : "connection",
					    p->fw[k].certain ? "" : " (uncertain)");
					if (probe_result_put_cause_first(&p->res[k],
					                                 CAUSE_LOCAL_FIREWALL, why))
						goto oom;
				}
			}
		}
	}
	for (i = 0; i < npairs; i++) {
		struct pair *p = &pairs[i];
		for (k = 0; k < p->nres; k++) {
			struct probe_client cl =
			    plans[p->plan].base; /* a shallow view, not released */
			cl.source = (char *)p->source;
			cl.source_from = p->source_from;
			cl.fw = p->fw[k];
			if (!probe_outcome_is_success(p->res[k].outcome))
				rc = rc == SD_EXIT_CLEAR ? SD_EXIT_PROBLEM : rc;
			if (print_result(&p->res[k], &cl, json) != 0)
				rc = SD_EXIT_INTERNAL;
		}
		/* after the last source of a target: the sources side by side */
		if (!json && nsrc > 1 && p->src == nsrc - 1) {
			const struct probe_result *rv[MAX_SOURCES * 8];
			const struct probe_client *cv[MAX_SOURCES * 8];
			struct probe_client views[MAX_SOURCES * 8];
			struct buf b;
			size_t n = 0, q;
			for (q = i + 1 - nsrc; q <= i; q++)
				for (k = 0; k < pairs[q].nres && n < MAX_SOURCES * 8; k++, n++) {
					views[n] = plans[pairs[q].plan].base;
					views[n].source = (char *)pairs[q].source;
					views[n].fw = pairs[q].fw[k];
					rv[n] = &pairs[q].res[k];
					cv[n] = &views[n];
				}
			buf_init(&b, 1 << 20);
			if (probe_sources_table(rv, cv, n, &b) != 0)
				rc = SD_EXIT_INTERNAL;
			fputs(b.data, stdout);
			buf_release(&b);
		}
	}
	goto done;
oom:
	fprintf(stderr, "sshdiag probe: out of memory\n");
	rc = SD_EXIT_INTERNAL;
	goto done;
usage:
	fputs(probe_usage, stderr);
	rc = SD_EXIT_USAGE;
done:
	for (g = 0; groups && g < ngroups; g++) {
		for (k = 0; k < groups[g].nres; k++)
			probe_result_release(&groups[g].res[k]);
		free(groups[g].res);
		free(groups[g].pairs);
	}
	for (i = 0; pairs && i < npairs; i++) {
		for (k = 0; pairs[i].fw && k < pairs[i].nres; k++)
			local_fw_release(&pairs[i].fw[k]);
		free(pairs[i].fw);
	}
	for (i = 0; plans && i < (size_t)(argc - optind) && optind < argc; i++)
		plan_release(&plans[i]);
	free(plans);
	free(pairs);
	free(groups);
	for (i = 0; i < MAX_SOURCES; i++)
		free(owned_src[i]);
	free(fw_why);
	fw_ruleset_release(&rs);
	collected_firewall_release(&cf); /* after rs, which points into it */
	return rc;
}
