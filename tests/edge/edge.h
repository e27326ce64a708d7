/*
 * edge.h — helpers for the edge tests: temp trees, a watchdog, and throwaway TCP servers on
 * 127.0.0.1 run in forked children (always reaped, killed by PID if they linger).
 */
#ifndef SSHDIAG_TESTS_EDGE_H
#define SSHDIAG_TESTS_EDGE_H

#include <stddef.h>
#include <sys/types.h>

/* Arms a SIGALRM watchdog: if the test is still running after `seconds`, the program prints
 * "FAIL name: timed out" and exits 1 instead of hanging.  0 disarms it. */
void edge_watchdog(const char *name, unsigned seconds);

/* Writes `n` bytes to dir/rel (creating parents), or FAILs; 0 on success. */
int edge_write_file(const char *dir, const char *rel, const void *data, size_t n);
/* Removes a tree (no symlink is followed). */
void edge_rm_tree(const char *dir);

/* What a server child does with one accepted connection (the socket is closed after). */
typedef void (*serve_fn)(int fd);

struct server {
	pid_t pid;
	unsigned port;
};

/* Listens on 127.0.0.1 (ephemeral port) and forks a child that serves `nconn` connections. */
int server_start(struct server *s, serve_fn fn, unsigned nconn);
/* Waits up to 5 s for the child, then kills it by PID; returns its wait status. */
int server_stop(struct server *s);
/* A port on 127.0.0.1 with nothing listening (bound, then closed). */
unsigned closed_port(void);

/* Server-side helpers for serve_fn implementations. */
void srv_read_ident(int fd);                    /* reads the client's identification line */
void srv_send(int fd, const void *p, size_t n); /* all of it, or until the peer goes away */
void srv_wait_close(int fd);                    /* until the client closes (bounded) */

/* CPU time (user + system) this process has used, in ms. */
double edge_cpu_ms(void);
double edge_now_ms(void);

#endif
