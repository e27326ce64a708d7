/*
 * collect_firewall.h — gathers the firewall layer's inputs (firewall/layer.h), read-only.
 *
 * Live mode (the running system, no explicit files) runs, with a timeout each and a cap on
 * their output (FW_MAX_INPUT_BYTES):
 *
 *	iptables-save  ip6tables-save  iptables-legacy-save  ip6tables-legacy-save
 *	ipset save     nft -j list ruleset
 *
 * A command that is not installed is "absent" (no rules of that kind can have been loaded
 * through it); one that fails with a permission error makes its input unreadable (the layer
 * then says "run as root"); any other failure or a timeout makes it failed.  With a client,
 * `ip -o route get CLIENT` names the interface its packets use (assumed symmetric), and
 * `ip -o addr show dev IF` its first address (where a REDIRECT sends the connection).
 *
 * Offline (--root DIR, or any explicit file): only files.  Explicit files (--iptables-save,
 * --ip6tables-save, --ipset, --nft-json) are read from this host and used alone.  Otherwise
 * the tree is searched, as seen on the diagnosed system:
 *
 *	/sshdiag/iptables-save.txt  /sshdiag/ip6tables-save.txt      (a bundle: captures)
 *	/sshdiag/iptables-legacy-save.txt  /sshdiag/ip6tables-legacy-save.txt
 *	/sshdiag/ipset-save.txt  /sshdiag/nft-ruleset.json
 *	/etc/iptables/rules.v4 /etc/iptables/rules.v6 /etc/iptables/ipsets   (Debian persistent)
 *	/etc/sysconfig/iptables /etc/sysconfig/ip6tables /etc/sysconfig/ipset (RHEL services)
 *
 * the persistent files only when the tree lacks that capture and is not a bundle (a bundle has
 * /sshdiag/manifest.json and captured the running ruleset), flagged as the ruleset
 * loaded at boot rather than a capture.  A sosreport (sos_commands/firewall_tables/) holds
 * only `nft list ruleset` text and `iptables -L` listings, which cannot be evaluated exactly:
 * the layer note says so and asks for the captures.
 *
 * A bundle's capture is cited as the command that made it ("iptables-save", rule numbers as
 * evidence lines), exactly like the live run, so both give the same evidence.
 */
#ifndef SSHDIAG_IO_COLLECT_FIREWALL_H
#define SSHDIAG_IO_COLLECT_FIREWALL_H

#include "base/buf.h"
#include "core/conn.h"
#include "firewall/layer.h"
#include "io/rootfs.h"

struct collect_firewall_opts {
	const char *iptables_save; /* files on this host, NULL when not given */
	const char *ip6tables_save;
	const char *ipset;
	const char *nft_json;
	const struct ip_addr *client; /* for the in-interface; NULL or family 0: none */
	unsigned timeout_ms;          /* per command; 0: 10 s */
};

/* A ruleset capture: the command, the bundle file that holds its output, how it is cited. */
struct collect_firewall_capture {
	enum fw_input_kind kind;
	const char *bundle;        /* "/sshdiag/iptables-save.txt" */
	const char *origin;        /* "iptables-save", as the live run cites it */
	const char *argv[5];       /* the command */
	const char *persistent[2]; /* the configuration loaded at boot */
};

#define COLLECT_FIREWALL_NCAPTURES 6
/* A bundle's captures that failed on the host: "unreadable|failed<TAB>COMMAND<TAB>WHY" lines. */
#define BUNDLE_FW_FAILED_FILE "/sshdiag/firewall-failed.tsv"
/* A bundle taken with --client: "CLIENT<TAB>IIF<TAB>IIF_ADDR", what ip route get / ip addr said. */
#define BUNDLE_FW_IIF_FILE "/sshdiag/firewall-iif.tsv"
extern const struct collect_firewall_capture collect_firewall_captures[COLLECT_FIREWALL_NCAPTURES];

/* Owns every byte and string that `in` points at. */
struct collected_firewall {
	struct firewall_inputs in;
	struct buf data[FW_MAX_SOURCES];
	char *strs[2 * FW_MAX_SOURCES + 4];
	unsigned nstrs;
};

/* Fills *out (release it with collected_firewall_release(), also after an error).  SD_OK or
 * SD_ERR_ALLOC: failing commands and files are recorded in out->in, not returned. */
int collect_firewall(const struct rootfs *fs, const struct collect_firewall_opts *o,
                     struct collected_firewall *out);
void collected_firewall_release(struct collected_firewall *c);

#endif
