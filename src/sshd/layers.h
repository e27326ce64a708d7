/*
 * sshd/layers.h — the three sshd layers of `sshdiag server`, as pure evaluators over what
 * the edge collected (struct sshd_inputs, filled by io/collect_sshd.h):
 *
 *   listen          is anything accepting on the port, and is it sshd?  (not_listening,
 *                   sshd_not_running, wrong_service; systemd's ssh.socket overriding Port)
 *   sshd_admission  what sshd's listener does right after accept() and what the session
 *                   does at the first userauth request: MaxStartups (with the live count of
 *                   unauthenticated connections), PerSourceMaxStartups/PerSourceNetBlockSize,
 *                   PerSourcePenalties (state not readable from outside sshd), the Match
 *                   block that sets RefuseConnection for this client;
 *   sshd_health     what makes every new connection die although sshd runs: sshd-session
 *                   missing or from another version, host keys unusable, the privilege-
 *                   separation directory missing, a configuration sshd would now refuse.
 *
 * Every finding carries evidence {source: a path on the diagnosed system (or a command),
 * line, text} and concrete fixes.  Each layer's status is evaluated, not_applicable, or
 * unreadable with a note saying what would make it readable.
 */
#ifndef SSHDIAG_SSHD_LAYERS_H
#define SSHDIAG_SSHD_LAYERS_H

#include <stddef.h>
#include <stdint.h>

#include "core/conn.h"
#include "core/diagnosis.h"
#include "sshd/config.h"
#include "sshd/proctcp.h"
#include "sshd/version.h"

#define SSHD_PATH_MAX 512
#define SSHD_NOTE_MAX 256

/* A file the layers care about, as stat(2) saw it on the diagnosed system. */
struct sshd_file {
	char path[SSHD_PATH_MAX];
	int checked; /* 0: not looked at */
	int exists;  /* 0 with err set when stat failed */
	int err;     /* SD_ERR_* of the failed lookup, 0 */
	int is_dir;
	int is_reg;
	unsigned mode; /* permission bits */
	unsigned uid;
	unsigned gid;
	int executable; /* some x bit set */
};

/* A process holding a socket. */
struct sshd_owner {
	int pid;
	char comm[64];           /* /proc/PID/comm */
	char exe[SSHD_PATH_MAX]; /* /proc/PID/exe, "" if unreadable */
	struct sshd_title title; /* its title, parsed */
	int is_sshd;             /* sshd, sshd-session or sshd-auth */
	int is_systemd;          /* PID 1 / systemd (socket activation) */
};

/* A socket from /proc/net/tcp{,6} with its owners. */
struct sshd_socket {
	struct tcp_sock s;
	struct sshd_owner *owners;
	size_t nowners;
};

/* One running sshd listener. */
struct sshd_daemon {
	int pid;
	char exe[SSHD_PATH_MAX];     /* without " (deleted)" */
	int exe_deleted;             /* the binary was replaced or removed after start */
	struct sshd_version version; /* of the running binary */
	char cwd[SSHD_PATH_MAX];
	struct sshd_title title;
	struct sshd_cmdline_copy {
		char *config_file; /* -f, NULL */
		struct sshd_cmd *cmds;
		size_t ncmds;
		int inetd;
	} cmd;
	int owns_port;        /* one of its sockets listens on the asked port */
	int socket_activated; /* its listening socket is also held by systemd */
};

struct sshd_inputs {
	int live; /* 1: the running system; 0: a --root tree */
	char root[SSHD_PATH_MAX];
	unsigned port;

	/* the listening sockets (live only) */
	int sockets_read;
	char sockets_note[SSHD_NOTE_MAX];
	struct sshd_socket *sockets; /* every socket on the asked port (any state) */
	size_t nsockets;

	/* the running sshd listeners (live only) */
	int procs_read;
	size_t procs_hidden; /* processes whose executable could not be read (not root) */
	char procs_note[SSHD_NOTE_MAX];
	struct sshd_daemon *daemons;
	size_t ndaemons;
	int chosen; /* the daemon whose configuration is diagnosed, -1 */

	/* the configuration that daemon uses (or the system's default one) */
	struct sshd_config *config; /* NULL when unreadable */
	char config_note[SSHD_NOTE_MAX];
	int config_missing;                 /* the configuration file does not exist */
	char config_source[SSHD_NOTE_MAX];  /* how we found it: "sshd pid 123 (-f FILE)", … */
	char cmdline_source[SSHD_PATH_MAX]; /* where -o/-p came from: "/proc/123/cmdline", a unit */
	struct sshd_version version;        /* the version the configuration is read as */

	/* the sshd binary on disk and the per-connection binaries (9.8+ / 10.0+) */
	struct sshd_file binary;
	struct sshd_version binary_version;
	struct sshd_file session;
	struct sshd_version session_version;
	struct sshd_file auth;
	struct sshd_version auth_version;

	/* the host keys of the effective configuration, and /run/sshd */
	struct sshd_file *hostkeys;
	size_t nhostkeys;
	struct sshd_file privsep;

	/* systemd socket activation */
	int socket_unit_found;
	char socket_unit[SSHD_PATH_MAX];
	int socket_unit_enabled;
	char **listen_streams; /* ListenStream= values */
	size_t nlisten_streams;

	/* pre-auth connections per client address (live only): remote addresses */
	struct sshd_peer {
		int family;
		uint8_t addr[16];
	} * preauth_peers;
	size_t npreauth_peers;
	int preauth_counted;

	/* the user asked about, from /etc/passwd and /etc/group (Match Group) */
	int user_looked_up;
	int user_exists;
	char **user_groups;
	size_t nuser_groups;

	/* `sshd -t` (live only, with the system's own binary) */
	int test_ran;
	int test_ok;
	char test_cmd[SSHD_PATH_MAX];
	char *test_output;
};

/* Empties an inputs struct (all unset). */
void sshd_inputs_init(struct sshd_inputs *in);

/*
 * Sets the statuses of LAYER_LISTEN, LAYER_SSHD_ADMISSION and LAYER_SSHD_HEALTH in d and adds
 * their findings for the connection c.  SD_OK or SD_ERR_ALLOC.
 */
int sshd_layers_evaluate(const struct sshd_inputs *in, const struct conn_spec *c,
                         struct diagnosis *d);

/*
 * The connection attributes sshd's Match pass would see for c (test = 0; a NULL user means
 * unknown, and then User/Group criteria do not match).  `host` receives the address text
 * (UseDNS no) and `laddr` the server address; both buffers at least 64 bytes.
 */
void sshd_conn_from_spec(const struct conn_spec *c, const struct sshd_options *global,
                         struct sshd_conn *out, char *host, char *laddr);

#endif
