/*
 * sshd/proctcp.h — the kernel's socket table and sshd's process titles, parsed from bytes.
 *
 * /proc/net/tcp and /proc/net/tcp6 list one socket per line:
 *   sl  local_address rem_address   st tx_queue:rx_queue tr tm->when retrnsmt uid timeout inode
 *    0: 0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000  0 0 12345 ...
 * Addresses are hex in the kernel's byte order per 32-bit word (host order: little-endian on
 * x86), ports big hex; state 0A is LISTEN, 01 ESTABLISHED, 03 SYN_RECV.  For a listening
 * socket rx_queue is the accept queue: connections the kernel completed that sshd has not
 * accept()ed yet.
 *
 * sshd's listener rewrites its title to "sshd: /usr/sbin/sshd -D [listener] 3 of 10-100
 * startups" (8.2+), which is both its command line and MaxStartups' live counter.  Pre-auth
 * children are titled "[accepted]", "[net]", "[preauth]" or "[session-auth…]" (9.x/10.x).
 */
#ifndef SSHDIAG_SSHD_PROCTCP_H
#define SSHDIAG_SSHD_PROCTCP_H

#include <stddef.h>
#include <stdint.h>

#define TCP_ST_ESTABLISHED 0x01
#define TCP_ST_SYN_RECV    0x03
#define TCP_ST_LISTEN      0x0A

struct tcp_sock {
	int family; /* 4 or 6 */
	uint8_t laddr[16];
	unsigned lport;
	uint8_t raddr[16];
	unsigned rport;
	unsigned state;
	unsigned long rx_queue;
	unsigned long tx_queue;
	unsigned long inode;
	unsigned uid;
};

/*
 * Parses the bytes of /proc/net/tcp (family 4) or tcp6 (6) and appends every socket to
 * *v / *n (realloc'd; the caller frees *v).  Malformed lines are skipped.  An IPv4-mapped
 * IPv6 address in tcp6 stays family 6.  `little_endian`: the byte order of the kernel that
 * wrote the file (1 on x86 and most ARM).  SD_OK or SD_ERR_ALLOC.
 */
int proctcp_parse(const char *data, size_t len, int family, int little_endian, struct tcp_sock **v,
                  size_t *n);

/* 1 if the socket is in `family` listening on `port` and accepts for `addr` (NULL: any). */
int proctcp_listen_covers(const struct tcp_sock *s, unsigned port, int family, const uint8_t *addr);

/* What a process title says about an sshd process. */
enum sshd_proc_role {
	SSHD_PROC_OTHER,
	SSHD_PROC_LISTENER, /* "[listener]" */
	SSHD_PROC_PREAUTH,  /* a connection before authentication */
	SSHD_PROC_SESSION,  /* an authenticated connection ("user@pts/0", "[priv]") */
};

struct sshd_title {
	enum sshd_proc_role role;
	int have_startups; /* "N of B-F startups" present */
	int startups, begin, full;
	/* the command line kept in a listener's title ("/usr/sbin/sshd -D -f x"), "" if none */
	char cmdline[1024];
};

/*
 * Parses a title as /proc/PID/cmdline shows it (NULs between words are read as spaces, the
 * padding NULs at the end ignored).
 */
void sshd_title_parse(const char *data, size_t len, struct sshd_title *t);

#endif
