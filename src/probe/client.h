/*
 * client.h — the client's own side of a probe (pure): the configuration ssh applies to the
 * target, the local source address each attempt used, whether this machine's own firewall
 * stops the connection, and which proxies are (or are not) in ssh's path.  The CLI fills a
 * struct probe_client per probed address and source; this module decides nothing about the
 * network, it evaluates the local ruleset and renders.
 *
 * Local firewall: the probe's own packets asked of the local ruleset with answer.h's `local`
 * question (SYN, ACK and version string through output, SYN-ACK and banner through input),
 * from the source address the kernel actually chose to the address probed.
 *
 * Proxies: ProxyJump and ProxyCommand from `ssh -G` are in the path; http(s)_proxy,
 * all_proxy and the like in the environment are not (OpenSSH ignores them) and are reported
 * as such, their credentials removed.
 */
#ifndef SSHDIAG_PROBE_CLIENT_H
#define SSHDIAG_PROBE_CLIENT_H

#include <jansson.h>
#include <stddef.h>

#include "base/buf.h"
#include "firewall/ruleset.h"
#include "probe/result.h"
#include "probe/sshcfg.h"

enum local_fw_status {
	LOCAL_FW_NOT_CHECKED, /* nothing to ask (no address), or not asked */
	LOCAL_FW_UNREADABLE,  /* the ruleset could not be read: see note */
	LOCAL_FW_EVALUATED,
};

struct local_fw {
	enum local_fw_status status;
	int blocked;        /* a local rule or policy stops the connection */
	int certain;        /* no rate limit or unmodelled match could change that */
	int rejected;       /* the deciding rule rejects (else it drops) */
	char *place;        /* "iptables filter OUTPUT rule 1", "nft inet t output policy" */
	char *chain;        /* "OUTPUT" */
	unsigned long rule; /* the rule number in its chain (live capture); 0 for a policy */
	char *text;         /* the rule as its tool prints it */
	const char *packet; /* "SYN", "SYN-ACK", … : the packet stopped */
	const char *sees;   /* fw_sees_name(): "timeout", "refused", … */
	char *note;         /* unreadable: why; else NULL */
};

/*
 * Asks the local ruleset (linked) whether a TCP connection from `src` to `dst` port `port`
 * leaving through interface `oif` (NULL: unknown) gets out and its answers in.  SD_OK,
 * SD_ERR_INVALID (an address does not parse), SD_ERR_ALLOC.
 */
int local_fw_evaluate(const struct fw_ruleset *rs, const char *src, const char *dst, unsigned port,
                      const char *oif, struct local_fw *out);
void local_fw_release(struct local_fw *f);

#define CLIENT_MAX_PROXIES 8

struct client_proxy {
	const char *kind; /* "proxy_jump", "proxy_command", "environment" */
	char *name;       /* "ProxyJump", "https_proxy", … */
	char *value;      /* sanitised; credentials removed from URLs */
	int in_path;      /* 1: ssh's connection goes through it */
};

struct probe_client {
	const char *host;  /* the host as typed (alias) */
	int ssh_config;    /* 1: ssh -G was used for this target */
	char *config_note; /* "ssh -G -F FILE host", or why the configuration was not used */
	struct ssh_client_config cfg; /* the target's (valid when ssh_config) */
	char *jump;   /* the ProxyJump first hop that was probed instead, NULL: none */
	char *source; /* the address bound (--source or BindAddress), NULL: the kernel's */
	const char *source_from;   /* "--source", "BindAddress", NULL */
	char *bind_interface_note; /* BindInterface is not reproduced */
	struct client_proxy proxies[CLIENT_MAX_PROXIES];
	size_t nproxies;
	struct local_fw fw;
};

void probe_client_release(struct probe_client *c);

/*
 * Records an environment variable that names a proxy ssh does not use; `value` is
 * sanitised and any "user:password@" removed.  SD_OK, SD_ERR_TOO_LONG (full), SD_ERR_ALLOC.
 */
int probe_client_add_proxy(struct probe_client *c, const char *kind, const char *name,
                           const char *value, int in_path);

/*
 * What to say before probe_result_to_text(): that a jump host was probed instead of the
 * target, that ssh would use a ProxyCommand, that this machine's own firewall stops the
 * connection (the server-side causes that follow apply only once it is fixed).
 */
int probe_client_headline(const struct probe_client *c, const struct probe_result *r,
                          struct buf *out);
/* The lines that follow probe_result_to_text() for the same address. */
int probe_client_to_text(const struct probe_client *c, const struct probe_result *r,
                         struct buf *out);
/* The "client" object of probe_result_to_json() (report/report.h). */
json_t *probe_client_to_json(const struct probe_client *c);

/*
 * One row per source for the same target: "from 192.0.2.10: reset_before_banner …".
 * rs[i] and cs[i] belong together.
 */
int probe_sources_table(const struct probe_result *const *rs, const struct probe_client *const *cs,
                        size_t n, struct buf *out);

#endif
