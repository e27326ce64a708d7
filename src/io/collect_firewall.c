#include "io/collect_firewall.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/err.h"
#include "bundle/records.h"
#include "firewall/iptables.h"
#include "firewall/limits.h"
#include "io/proc.h"

#define DEFAULT_TIMEOUT_MS 10000u
#define WHY_MAX            200u

static const char remedy_live[] =
    "run sshdiag as root (iptables-save, ipset and nft need CAP_NET_ADMIN)";
static const char remedy_offline[] =
    "capture iptables-save, ip6tables-save, ipset save and nft -j list ruleset "
    "on the host and "
    "pass them with --iptables-save, --ip6tables-save, --ipset and --nft-json "
    "(or put them in "
    "the bundle as /sshdiag/iptables-save.txt, /sshdiag/ip6tables-save.txt, "
    "/sshdiag/ipset-save.txt, /sshdiag/nft-ruleset.json)";

/*
 * Keeps a copy alive as long as the collection; a command's complaint is sanitised and
 * shortened, a path is kept whole.  NULL on OOM.
 */
static const char *keep_as(struct collected_firewall *c, const char *s, size_t len, int complaint)
{
	char *p;

	if (c->nstrs == sizeof(c->strs) / sizeof(c->strs[0]))
		return NULL;
	p = complaint ? sanitized_strndup(s, len, WHY_MAX) : strndup(s, len);
	if (!p)
		return NULL;
	c->strs[c->nstrs++] = p;
	return p;
}

static const char *keep(struct collected_firewall *c, const char *s, size_t len)
{
	return keep_as(c, s, len, 1);
}

static struct firewall_input *next_input(struct collected_firewall *c, enum fw_input_kind kind,
                                         const char *origin)
{
	struct firewall_input *x;

	if (c->in.n == FW_MAX_SOURCES)
		return NULL;
	x = &c->in.in[c->in.n];
	memset(x, 0, sizeof(*x));
	x->kind = kind;
	x->origin = origin;
	x->state = FW_INPUT_ABSENT;
	buf_init(&c->data[c->in.n], FW_MAX_INPUT_BYTES);
	c->in.n++;
	return x;
}

/* The first line of a command's complaint. */
static size_t first_line(const struct buf *b)
{
	const char *nl = memchr(b->data, '\n', b->len);

	return nl ? (size_t)(nl - b->data) : b->len;
}

static int contains(const struct buf *b, const char *s)
{
	return memmem(b->data, b->len, s, strlen(s)) != NULL;
}

/* ---- live ---- */

static int run_one(struct collected_firewall *c, enum fw_input_kind kind, const char *origin,
                   char *const argv[], unsigned timeout_ms)
{
	struct firewall_input *x = next_input(c, kind, origin);
	struct buf *data;
	struct proc_result pr;
	int r;

	if (!x)
		return SD_OK;
	data = &c->data[c->in.n - 1];
	r = proc_run(argv, timeout_ms, FW_MAX_INPUT_BYTES, &pr);
	if (r == SD_ERR_NOT_FOUND)
		return SD_OK; /* absent: nothing can have been loaded with it */
	if (r == SD_ERR_ALLOC)
		return r;
	if (r != SD_OK) {
		x->state = FW_INPUT_FAILED;
		x->why = sd_strerror(r);
		return SD_OK;
	}
	if (pr.timed_out) {
		x->state = FW_INPUT_FAILED;
		x->why = "timed out";
	} else if (pr.truncated) {
		x->state = FW_INPUT_FAILED;
		x->why = "output larger than the limit";
	} else if (pr.exited && pr.status == 0) {
		x->state = FW_INPUT_PRESENT;
		*data = pr.out; /* the collection owns it now */
		buf_init(&pr.out, 1);
		x->data = data->data;
		x->len = data->len;
	} else if (contains(&pr.err, "ermission denied") || contains(&pr.err, "not permitted") ||
	           contains(&pr.err, "must be root")) {
		x->state = FW_INPUT_UNREADABLE;
		if ((x->why = keep(c, pr.err.data, first_line(&pr.err))) == NULL)
			x->why = "permission denied";
	} else if (contains(&pr.err, "not supported") || contains(&pr.err, "does not exist")) {
		x->state = FW_INPUT_ABSENT; /* the kernel lacks the module: no rules of this
		                               kind */
	} else {
		x->state = FW_INPUT_FAILED;
		if (!pr.err.len || (x->why = keep(c, pr.err.data, first_line(&pr.err))) == NULL)
			x->why = "failed";
	}
	proc_result_release(&pr);
	return SD_OK;
}

/*
 * `ip -o -4 addr show dev IF` → "2: br0    inet 192.0.2.1/24 …": the interface's first
 * address, where a REDIRECT sends the connection.
 */
static int find_iif_addr(struct collected_firewall *c, int family, unsigned timeout)
{
	char dev[16],
	    *argv[] = {"ip", "-o", family == 6 ? "-6" : "-4", "addr", "show", "dev", dev, NULL};
	const char *a, *end;
	struct proc_result pr;
	int r;

	snprintf(dev, sizeof(dev), "%s", c->in.iif);
	if ((r = proc_run(argv, timeout, 65536, &pr)) != SD_OK)
		return r == SD_ERR_ALLOC ? r : SD_OK;
	if (pr.exited && pr.status == 0 &&
	    (a = strstr(pr.out.data, family == 6 ? " inet6 " : " inet ")) != NULL) {
		a += family == 6 ? 7 : 6;
		end = a + strcspn(a, "/ \n");
		if (end > a && (c->in.iif_addr = keep(c, a, (size_t)(end - a))) == NULL)
			r = SD_ERR_ALLOC;
	}
	proc_result_release(&pr);
	return r;
}

/* `ip -o route get ADDR` → "… dev br0 …": the interface toward the client. */
static int find_iif(struct collected_firewall *c, const struct ip_addr *client, unsigned timeout)
{
	char addr[64], *argv[] = {"ip", "-o", "route", "get", addr, NULL};
	struct proc_result pr;
	const char *dev, *end;
	int r;

	ip_addr_format(client, addr, sizeof(addr));
	if ((r = proc_run(argv, timeout, 4096, &pr)) != SD_OK)
		return r == SD_ERR_ALLOC ? r : SD_OK;
	if (pr.exited && pr.status == 0 && (dev = strstr(pr.out.data, " dev ")) != NULL) {
		dev += 5;
		end = dev + strcspn(dev, " \n");
		if (end > dev && end - dev < 16 &&
		    (c->in.iif = keep(c, dev, (size_t)(end - dev))) == NULL)
			r = SD_ERR_ALLOC;
	}
	proc_result_release(&pr);
	if (r == SD_OK && c->in.iif)
		r = find_iif_addr(c, client->family, timeout);
	return r;
}

static int collect_live(struct collected_firewall *c, const struct collect_firewall_opts *o)
{
	static char *const ipt[] = {"iptables-save", NULL}, *ip6t[] = {"ip6tables-save", NULL};
	static char *const iptl[] = {"iptables-legacy-save", NULL};
	static char *const ip6tl[] = {"ip6tables-legacy-save", NULL};
	static char *const ipset[] = {"ipset", "save", NULL};
	static char *const nft[] = {"nft", "-j", "list", "ruleset", NULL};
	unsigned t = o->timeout_ms ? o->timeout_ms : DEFAULT_TIMEOUT_MS;
	int r;

	c->in.live = 1;
	c->in.remedy = remedy_live;
	if ((r = run_one(c, FW_IN_IPTABLES, "iptables-save", ipt, t)) ||
	    (r = run_one(c, FW_IN_IP6TABLES, "ip6tables-save", ip6t, t)) ||
	    (r = run_one(c, FW_IN_IPTABLES_LEGACY, "iptables-legacy-save", iptl, t)) ||
	    (r = run_one(c, FW_IN_IP6TABLES_LEGACY, "ip6tables-legacy-save", ip6tl, t)) ||
	    (r = run_one(c, FW_IN_IPSET, "ipset save", ipset, t)) ||
	    (r = run_one(c, FW_IN_NFT_JSON, "nft -j list ruleset", nft, t)))
		return r;
	if (o->client && o->client->family)
		return find_iif(c, o->client, t);
	return SD_OK;
}

/* ---- files ---- */

/* Reads one file (path must outlive the collection); a missing file adds no
 * input. */
static int read_one(struct collected_firewall *c, const struct rootfs *fs, enum fw_input_kind kind,
                    const char *path, int sniff)
{
	struct firewall_input *x;
	struct buf *data;
	int r;

	if ((x = next_input(c, kind, path)) == NULL)
		return SD_OK;
	data = &c->data[c->in.n - 1];
	r = rootfs_read(fs, path, FW_MAX_INPUT_BYTES, data);
	if (r == SD_ERR_ALLOC)
		return r;
	if (r == SD_ERR_NOT_FOUND) {
		c->in.n--; /* nothing there: not an input at all */
		buf_release(data);
		return SD_OK;
	}
	if (r != SD_OK) {
		x->state = r == SD_ERR_PERM ? FW_INPUT_UNREADABLE : FW_INPUT_FAILED;
		x->why = sd_strerror(r);
		return SD_OK;
	}
	x->state = FW_INPUT_PRESENT;
	x->data = data->data;
	x->len = data->len;
	if (sniff)
		x->kind = fw_iptables_sniff(x->data, x->len, kind);
	return SD_OK;
}

/* An explicit file: absolute, or relative to where sshdiag was started. */
static int read_explicit(struct collected_firewall *c, const struct rootfs *host,
                         enum fw_input_kind kind, const char *path, int sniff)
{
	char cwd[4096], full[8192];
	const char *origin;
	size_t before = c->in.n;
	int r;

	if (strlen(path) + 2 > sizeof(full))
		return SD_OK; /* longer than any path: nothing to read */
	if (path[0] == '/') {
		strcpy(full, path);
	} else if (getcwd(cwd, sizeof(cwd)) && strlen(cwd) + strlen(path) + 2 <= sizeof(full)) {
		strcpy(full, cwd);
		strcat(full, "/");
		strcat(full, path);
	} else {
		strcpy(full, "/"); /* rootfs paths are absolute; this one will not be found */
		strcat(full, path);
	}
	if ((origin = keep_as(c, full, strlen(full), 0)) == NULL)
		return SD_ERR_ALLOC;
	r = read_one(c, host, kind, origin, sniff);
	if (r == SD_OK && c->in.n == before) {
		/* the user named it: say it is missing */
		struct firewall_input *x = next_input(c, kind, origin);

		if (x) {
			x->state = FW_INPUT_FAILED;
			x->why = "no such file";
		}
	}
	return r;
}

const struct collect_firewall_capture collect_firewall_captures[COLLECT_FIREWALL_NCAPTURES] = {
    {FW_IN_IPTABLES,
     "/sshdiag/iptables-save.txt",
     "iptables-save",
     {"iptables-save", NULL},
     {"/etc/iptables/rules.v4", "/etc/sysconfig/iptables"}},
    {FW_IN_IP6TABLES,
     "/sshdiag/ip6tables-save.txt",
     "ip6tables-save",
     {"ip6tables-save", NULL},
     {"/etc/iptables/rules.v6", "/etc/sysconfig/ip6tables"}},
    {FW_IN_IPTABLES_LEGACY,
     "/sshdiag/iptables-legacy-save.txt",
     "iptables-legacy-save",
     {"iptables-legacy-save", NULL},
     {NULL, NULL}},
    {FW_IN_IP6TABLES_LEGACY,
     "/sshdiag/ip6tables-legacy-save.txt",
     "ip6tables-legacy-save",
     {"ip6tables-legacy-save", NULL},
     {NULL, NULL}},
    {FW_IN_IPSET,
     "/sshdiag/ipset-save.txt",
     "ipset save",
     {"ipset", "save", NULL},
     {"/etc/iptables/ipsets", "/etc/sysconfig/ipset"}},
    {FW_IN_NFT_JSON,
     "/sshdiag/nft-ruleset.json",
     "nft -j list ruleset",
     {"nft", "-j", "list", "ruleset", NULL},
     {NULL, NULL}},
};

/*
 * A bundle's capture is a command's output on the host: it is cited as that command (like the
 * live run), and its evidence lines are rule numbers.
 */
static int read_capture(struct collected_firewall *c, const struct rootfs *fs,
                        const struct collect_firewall_capture *t)
{
	size_t before = c->in.n;
	int r = read_one(c, fs, t->kind, t->bundle, 0);

	if (r == SD_OK && c->in.n != before) {
		c->in.in[before].origin = t->origin;
		c->in.live = 1;
	}
	return r;
}

/*
 * The captures a bundle could not make on the host (BUNDLE_FW_FAILED_FILE: "unreadable" or
 * "failed", a tab, the command as cited, a tab, why): the same inputs, in the same state, so
 * --root is as inconclusive as the live run was.
 */
static int read_failed_captures(struct collected_firewall *c, const struct rootfs *fs)
{
	struct buf b;
	const char *line, *f[3];
	size_t i, pos = 0, ll, fl[3];
	int r = SD_OK;

	buf_init(&b, 1u << 20);
	if (rootfs_read(fs, BUNDLE_FW_FAILED_FILE, b.max, &b) != SD_OK) {
		buf_release(&b);
		return SD_OK;
	}
	while (!r && bundle_next_line(b.data, b.len, &pos, &line, &ll)) {
		struct firewall_input *x;

		if (bundle_tsv_split(line, ll, f, fl, 3) != 3)
			continue;
		for (i = 0; i < COLLECT_FIREWALL_NCAPTURES; i++) {
			const struct collect_firewall_capture *k = &collect_firewall_captures[i];

			if (strlen(k->origin) != fl[1] || memcmp(k->origin, f[1], fl[1]) != 0)
				continue;
			if ((x = next_input(c, k->kind, k->origin)) == NULL)
				break;
			x->state = fl[0] == 10 && memcmp(f[0], "unreadable", 10) == 0
			               ? FW_INPUT_UNREADABLE
			               : FW_INPUT_FAILED;
			if ((x->why = keep(c, f[2], fl[2])) == NULL)
				r = SD_ERR_ALLOC;
			c->in.live = 1;
			break;
		}
	}
	buf_release(&b);
	return r;
}

/*
 * The interface facts a bundle taken with --client recorded (BUNDLE_FW_IIF_FILE lines:
 * "CLIENT<TAB>IIF<TAB>IIF_ADDR", as the live run found them with ip route get / ip addr).
 */
static int read_iif(struct collected_firewall *c, const struct rootfs *fs,
                    const struct ip_addr *client)
{
	char want[64];
	struct buf b;
	const char *line, *f[3];
	size_t pos = 0, ll, fl[3];
	int r = SD_OK;

	if (!client || !client->family)
		return SD_OK;
	ip_addr_format(client, want, sizeof(want));
	buf_init(&b, 1u << 16);
	if (rootfs_read(fs, BUNDLE_FW_IIF_FILE, b.max, &b) == SD_OK) {
		while (bundle_next_line(b.data, b.len, &pos, &line, &ll)) {
			if (bundle_tsv_split(line, ll, f, fl, 3) != 3 || fl[0] != strlen(want) ||
			    memcmp(f[0], want, fl[0]) != 0)
				continue;
			if ((fl[1] && (c->in.iif = keep(c, f[1], fl[1])) == NULL) ||
			    (fl[2] && (c->in.iif_addr = keep(c, f[2], fl[2])) == NULL))
				r = SD_ERR_ALLOC;
			break;
		}
	}
	buf_release(&b);
	return r;
}

static int collect_tree(struct collected_firewall *c, const struct rootfs *fs)
{
	size_t i, k, before;
	int r, persistent = 0;
	/* a bundle captured the running ruleset: what was loaded at boot does not count */
	int bundle = rootfs_exists(fs, "/sshdiag/manifest.json") == SD_OK;

	c->in.remedy = remedy_offline;
	for (i = 0; i < COLLECT_FIREWALL_NCAPTURES; i++) {
		const struct collect_firewall_capture *t = &collect_firewall_captures[i];

		before = c->in.n;
		if ((r = read_capture(c, fs, t)) != 0)
			return r;
		for (k = 0; !bundle && k < 2 && c->in.n == before && t->persistent[k]; k++) {
			if ((r = read_one(c, fs, t->kind, t->persistent[k], 0)) != 0)
				return r;
			persistent |= c->in.n != before;
		}
	}
	if (bundle && (r = read_failed_captures(c, fs)) != 0)
		return r;
	if (bundle && c->in.live)
		c->in.remedy = remedy_live; /* what the live run would have said */
	if (rootfs_exists(fs, "/sos_commands/firewall_tables") == 0)
		c->in.note = "this sosreport holds nft list ruleset text and iptables -L listings, "
		             "which cannot be evaluated exactly: capture iptables-save and nft -j "
		             "list "
		             "ruleset on the host";
	else if (persistent)
		c->in.note = "read the rules loaded at boot (/etc/iptables, /etc/sysconfig), not a "
		             "capture of the running ruleset";
	else if (rootfs_exists(fs, "/etc/nftables.conf") == 0)
		c->in.note = "/etc/nftables.conf is nft text, which is not read: capture "
		             "nft -j list "
		             "ruleset on the host";
	return SD_OK;
}

int collect_firewall(const struct rootfs *fs, const struct collect_firewall_opts *o,
                     struct collected_firewall *out)
{
	struct rootfs host;
	int r = SD_OK;

	memset(out, 0, sizeof(*out));
	if (o->iptables_save || o->ip6tables_save || o->ipset || o->nft_json) {
		out->in.remedy = remedy_offline;
		if ((r = rootfs_open(&host, NULL)) != 0) {
			struct firewall_input *x = next_input(out, FW_IN_IPTABLES, "/");

			if (x) {
				x->state = FW_INPUT_FAILED;
				x->why = sd_strerror(r);
			}
			return SD_OK;
		}
		if ((o->iptables_save &&
		     (r = read_explicit(out, &host, FW_IN_IPTABLES, o->iptables_save, 1))) ||
		    (o->ip6tables_save &&
		     (r = read_explicit(out, &host, FW_IN_IP6TABLES, o->ip6tables_save, 1))) ||
		    (o->ipset && (r = read_explicit(out, &host, FW_IN_IPSET, o->ipset, 0))) ||
		    (o->nft_json &&
		     (r = read_explicit(out, &host, FW_IN_NFT_JSON, o->nft_json, 0))))
			(void)0;
		rootfs_close(&host);
		return r;
	}
	if (fs->live)
		return collect_live(out, o);
	if ((r = collect_tree(out, fs)) != SD_OK)
		return r;
	return read_iif(out, fs, o->client);
}

void collected_firewall_release(struct collected_firewall *c)
{
	size_t i;

	for (i = 0; i < c->in.n; i++)
		buf_release(&c->data[i]);
	for (i = 0; i < c->nstrs; i++)
		free(c->strs[i]);
	memset(c, 0, sizeof(*c));
}
