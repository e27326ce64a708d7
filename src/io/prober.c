#include "io/prober.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/errqueue.h>
#include <netdb.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "base/err.h"
#include "probe/target.h"
#include "ssh/kexinit.h"

#define READ_CHUNK       16384
#define PACKET_BUF_MAX   (4 + SSH_PACKET_MAX)
#define MAX_SKIP_PACKETS 8 /* SSH_MSG_IGNORE/DEBUG tolerated before KEXINIT */
#define SSH_MSG_DEBUG    4

void probe_options_default(struct probe_options *o)
{
	memset(o, 0, sizeof(*o));
	o->family = AF_UNSPEC;
	o->connect_timeout_ms = 5000;
	o->banner_timeout_ms = 10000; /* > libwrap's 5 s sleep, so its refusal is seen */
	o->kexinit_timeout_ms = 5000;
	o->repeat = 3;
	o->gap_ms = 300;
	o->default_port = 22;
	o->max_inflight = 512;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* Describes an ICMP error queued on the socket (IP_RECVERR), or NULL. */
static const char *icmp_detail(int fd)
{
	char cbuf[512], data[64];
	struct iovec iov = {data, sizeof(data)};
	struct msghdr msg;
	struct cmsghdr *c;
	struct sock_extended_err ee;

	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cbuf;
	msg.msg_controllen = sizeof(cbuf);
	if (recvmsg(fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
		return NULL;
	for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
		if (!((c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_RECVERR) ||
		      (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_RECVERR)))
			continue;
		memcpy(&ee, CMSG_DATA(c), sizeof(ee));
		if (ee.ee_origin == SO_EE_ORIGIN_ICMP && ee.ee_type == ICMP_DEST_UNREACH) {
			switch (ee.ee_code) {
			case ICMP_NET_UNREACH:
				return "ICMP network unreachable";
			case ICMP_HOST_UNREACH:
				return "ICMP host unreachable";
			case ICMP_PORT_UNREACH:
				return "ICMP port unreachable";
			case ICMP_NET_ANO:
				return "ICMP network administratively prohibited";
			case ICMP_HOST_ANO:
				return "ICMP host administratively prohibited";
			case ICMP_PKT_FILTERED:
				return "ICMP communication administratively prohibited";
			default:
				return "ICMP destination unreachable";
			}
		}
		if (ee.ee_origin == SO_EE_ORIGIN_ICMP6 && ee.ee_type == ICMP6_DST_UNREACH) {
			switch (ee.ee_code) {
			case ICMP6_DST_UNREACH_NOROUTE:
				return "ICMPv6 no route to destination";
			case ICMP6_DST_UNREACH_ADMIN:
				return "ICMPv6 administratively prohibited";
			case ICMP6_DST_UNREACH_ADDR:
				return "ICMPv6 address unreachable";
			case ICMP6_DST_UNREACH_NOPORT:
				return "ICMPv6 port unreachable";
			default:
				return "ICMPv6 destination unreachable";
			}
		}
	}
	return NULL;
}

static int bind_source(int fd, int family, const char *source)
{
	struct addrinfo hints, *ai = NULL;
	int r;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family;
	hints.ai_flags = AI_NUMERICHOST | AI_PASSIVE;
	if (getaddrinfo(source, NULL, &hints, &ai) != 0 || !ai) {
		errno = EADDRNOTAVAIL;
		return -1;
	}
	r = bind(fd, ai->ai_addr, ai->ai_addrlen);
	freeaddrinfo(ai);
	return r;
}

enum job_state { JOB_WAITING, JOB_CONNECTING, JOB_READING, JOB_FINISHED };

/* One address being probed: its attempts run one after another. */
struct job {
	struct probe_result *res;
	struct sockaddr_storage sa;
	socklen_t salen;
	unsigned attempts_left;
	enum job_state state;
	double start_at; /* when the next attempt may start (JOB_WAITING) */
	/* the attempt in progress */
	int fd;
	double t0, t_conn, t_banner, deadline;
	struct attempt_facts f;
	struct probe_attempt a;
	struct banner banner;
	struct buf pkt;
	struct kexinit kex;
	char *disconnect;
	int skipped;
};

static void job_reset_attempt(struct job *j)
{
	memset(&j->f, 0, sizeof(j->f));
	memset(&j->a, 0, sizeof(j->a));
	j->a.connect_ms = j->a.banner_ms = j->a.kexinit_ms = -1;
	banner_release(&j->banner);
	buf_release(&j->pkt);
	kexinit_release(&j->kex);
	free(j->disconnect);
	j->disconnect = NULL;
	j->skipped = 0;
	j->f.banner = &j->banner;
	j->t_conn = j->t_banner = -1;
}

/* Frames and parses the first meaningful packet; 1 when the attempt is finished. */
static int take_packets(struct job *j)
{
	const uint8_t *payload;
	size_t plen, used;
	uint32_t reason;
	int r;

	for (;;) {
		r = ssh_packet_frame((const uint8_t *)j->pkt.data, j->pkt.len, &payload, &plen,
		                     &used);
		if (r == SD_ERR_TRUNCATED)
			return 0;
		if (r != SD_OK || plen == 0) {
			j->f.packet_error = 1;
			return 1;
		}
		if (payload[0] == SSH_MSG_KEXINIT) {
			j->f.kexinit_ok = kexinit_parse(payload, plen, &j->kex) == SD_OK;
			j->f.packet_error = !j->f.kexinit_ok;
			return 1;
		}
		if (payload[0] == SSH_MSG_DISCONNECT) {
			j->f.got_disconnect =
			    disconnect_parse(payload, plen, &reason, &j->disconnect) == SD_OK;
			j->f.packet_error = !j->f.got_disconnect;
			return 1;
		}
		if ((payload[0] != SSH_MSG_IGNORE && payload[0] != SSH_MSG_DEBUG) ||
		    ++j->skipped > MAX_SKIP_PACKETS) {
			j->f.packet_error = 1;
			return 1;
		}
		memmove(j->pkt.data, j->pkt.data + used, j->pkt.len - used);
		j->pkt.len -= used;
	}
}

/* Ends the attempt in progress and records it; SD_ERR_ALLOC is the only failure. */
static int job_finish_attempt(struct job *j, const struct probe_options *o)
{
	int r;

	if (j->fd >= 0) {
		close(j->fd); /* closing removes it from the epoll set */
		j->fd = -1;
	}
	j->a.end_ms = now_ms() - j->t0;
	j->a.outcome = probe_classify(&j->f);
	if (!j->a.detail && j->disconnect && (j->a.detail = strdup(j->disconnect)) == NULL)
		return SD_ERR_ALLOC;
	if ((r = probe_result_add_attempt(j->res, &j->a)) != 0 ||
	    (r = probe_result_note_banner(j->res, &j->banner)) != 0)
		return r;
	if (j->f.kexinit_ok)
		probe_result_take_kexinit(j->res, &j->kex);
	if (j->disconnect && (r = probe_result_note_disconnect(j->res, j->disconnect)) != 0)
		return r;
	j->attempts_left--;
	j->state = j->attempts_left ? JOB_WAITING : JOB_FINISHED;
	j->start_at = now_ms() + o->gap_ms;
	job_reset_attempt(j);
	return SD_OK;
}

/* How a failed connect() reads, whether it failed at once or through SO_ERROR. */
static enum connect_result connect_result_of(int err)
{
	switch (err) {
	case ECONNREFUSED:
		return CONNECT_REFUSED;
	case ETIMEDOUT:
		return CONNECT_TIMEOUT;
	case EHOSTUNREACH:
	case ENETUNREACH:
	case EHOSTDOWN:
	case ENONET:
		return CONNECT_UNREACHABLE;
	default:
		return CONNECT_LOCAL_ERROR;
	}
}

/*
 * The source address and port the kernel picked: it binds them in connect() itself, so they
 * are known even when the SYN is never answered.
 */
static void note_local_end(struct job *j)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	char port[8];

	if (getsockname(j->fd, (struct sockaddr *)&ss, &len) != 0 ||
	    getnameinfo((struct sockaddr *)&ss, len, j->a.local_address, sizeof(j->a.local_address),
	                port, sizeof(port), NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
		j->a.local_address[0] = '\0';
		return;
	}
	j->a.local_port = (unsigned)atoi(port);
	if (j->a.local_port == 0) /* connect() failed before binding */
		j->a.local_address[0] = '\0';
}

/* Starts an attempt: socket, optional bind, non-blocking connect. */
static int job_start(struct job *j, int ep, const struct probe_options *o)
{
	struct epoll_event ev;
	int on = 1, fam = j->sa.ss_family;

	job_reset_attempt(j);
	j->t0 = now_ms();
	j->fd = socket(fam, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
	if (j->fd < 0 || (o->source && bind_source(j->fd, fam, o->source) != 0)) {
		j->a.sys_errno = errno;
		j->f.connect = CONNECT_LOCAL_ERROR;
		return job_finish_attempt(j, o);
	}
	if (fam == AF_INET)
		setsockopt(j->fd, IPPROTO_IP, IP_RECVERR, &on, sizeof(on));
	else
		setsockopt(j->fd, IPPROTO_IPV6, IPV6_RECVERR, &on, sizeof(on));
	j->res->connections_made++;
	j->state = JOB_CONNECTING;
	j->deadline = j->t0 + o->connect_timeout_ms;
	if (connect(j->fd, (struct sockaddr *)&j->sa, j->salen) != 0 && errno != EINPROGRESS) {
		j->a.sys_errno = errno;
		j->f.connect = connect_result_of(errno);
		note_local_end(j);
		return job_finish_attempt(j, o);
	}
	note_local_end(j);
	memset(&ev, 0, sizeof(ev));
	/* edge-triggered: one registration serves connect and reads; reads drain to EAGAIN */
	ev.events = EPOLLOUT | EPOLLIN | EPOLLRDHUP | EPOLLET;
	ev.data.ptr = j;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, j->fd, &ev) != 0) {
		j->a.sys_errno = errno;
		j->f.connect = CONNECT_LOCAL_ERROR;
		return job_finish_attempt(j, o);
	}
	return SD_OK;
}

static int job_connected(struct job *j, const struct probe_options *o)
{
	static const char ident[] = PROBE_IDENT "\r\n";
	socklen_t elen = sizeof(int);
	const char *icmp;
	int err = 0;

	if (getsockopt(j->fd, SOL_SOCKET, SO_ERROR, &err, &elen) != 0)
		err = errno;
	if (err == ECONNRESET || err == EPIPE) {
		/* the handshake completed and the reset came before we looked: a reset, not a
		 * connect failure */
		j->t_conn = now_ms();
		j->a.connect_ms = j->t_conn - j->t0;
		j->a.sys_errno = err;
		j->f.connect = CONNECT_OK;
		j->f.end = END_RESET;
		return job_finish_attempt(j, o);
	}
	if (err) {
		j->a.sys_errno = err;
		if ((icmp = icmp_detail(j->fd)) != NULL && (j->a.detail = strdup(icmp)) == NULL)
			return SD_ERR_ALLOC;
		j->f.connect = connect_result_of(err);
		if (!j->a.detail && (err == EPERM || err == EACCES) &&
		    (j->a.detail =
		         strdup("refused by this machine (a local OUTPUT firewall rule?)")) == NULL)
			return SD_ERR_ALLOC;
		return job_finish_attempt(j, o);
	}
	j->t_conn = now_ms();
	j->a.connect_ms = j->t_conn - j->t0;
	j->f.connect = CONNECT_OK;
	j->state = JOB_READING;
	j->deadline = j->t_conn + o->banner_timeout_ms;
	/* our identification first, as ssh does; a failure shows up when reading */
	(void)send(j->fd, ident, sizeof(ident) - 1, MSG_NOSIGNAL);
	return SD_OK;
}

/* Reads what is available; finishes the attempt when it is decided. */
static int job_readable(struct job *j, int ep, const struct probe_options *o)
{
	uint8_t chunk[READ_CHUNK];
	size_t used;
	ssize_t n;
	int r;

	for (;;) {
		n = recv(j->fd, chunk, sizeof(chunk), 0);
		if (n == 0) {
			j->f.end = END_EOF;
			return job_finish_attempt(j, o);
		}
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return SD_OK;
			j->a.sys_errno = errno;
			j->f.end = errno == ECONNRESET ? END_RESET : END_ERROR;
			return job_finish_attempt(j, o);
		}
		used = 0;
		if (j->banner.state == BANNER_NEED_MORE) {
			if ((r = banner_feed(&j->banner, chunk, (size_t)n, &used)) != 0)
				return r;
			if (j->banner.state == BANNER_NEED_MORE)
				continue;
			if (j->banner.state != BANNER_DONE) {
				j->f.end = END_PROTOCOL;
				return job_finish_attempt(j, o);
			}
			j->t_banner = now_ms();
			j->a.banner_ms = j->t_banner - j->t_conn;
			j->deadline = j->t_banner + o->kexinit_timeout_ms;
		}
		r = buf_add(&j->pkt, chunk + used, (size_t)n - used);
		if (r == SD_ERR_TOO_LONG) {
			j->f.packet_error = 1;
			j->f.end = END_PROTOCOL;
			return job_finish_attempt(j, o);
		}
		if (r != 0)
			return r;
		if (take_packets(j)) {
			j->f.end = END_COMPLETE;
			if (j->f.kexinit_ok)
				j->a.kexinit_ms = now_ms() - j->t_banner;
			return job_finish_attempt(j, o);
		}
	}
	(void)ep;
}

static int job_timeout(struct job *j, const struct probe_options *o)
{
	if (j->state == JOB_CONNECTING) {
		j->a.sys_errno = ETIMEDOUT;
		j->f.connect = CONNECT_TIMEOUT;
	} else {
		j->f.end = END_TIMEOUT;
	}
	return job_finish_attempt(j, o);
}

/* The event loop: starts attempts as slots free up, dispatches events and deadlines. */
static int run_jobs(struct job *jobs, size_t njobs, const struct probe_options *o)
{
	struct epoll_event evs[256];
	size_t i, active = 0, finished = 0;
	double now, next = 0;
	int ep, n, k, r = SD_OK, wait_ms, changed = 1;

	if ((ep = epoll_create1(EPOLL_CLOEXEC)) < 0)
		return SD_ERR_IO;
	for (;;) {
		now = now_ms();
		/*
		 * Walk the jobs only when something is due or an attempt ended (a socket slot
		 * freed): with 1,000 targets, walking them on every event would cost more CPU
		 * than the sockets themselves.
		 */
		if (changed || now >= next) {
			active = finished = 0;
			next = now + 1000;
			for (i = 0; i < njobs && r == SD_OK; i++) {
				struct job *j = &jobs[i];
				if ((j->state == JOB_CONNECTING || j->state == JOB_READING) &&
				    j->deadline <= now)
					r = job_timeout(j, o);
				if (j->state == JOB_CONNECTING || j->state == JOB_READING)
					active++;
			}
			for (i = 0; i < njobs && r == SD_OK; i++) {
				struct job *j = &jobs[i];
				if (j->state == JOB_WAITING && j->start_at <= now &&
				    active < o->max_inflight) {
					r = job_start(j, ep, o);
					if (j->state == JOB_CONNECTING)
						active++;
				}
				if (j->state == JOB_FINISHED)
					finished++;
				else if (j->state == JOB_WAITING && j->start_at < next &&
				         active < o->max_inflight)
					/* held back by the socket cap: it waits for an event */
					next = j->start_at;
				else if (j->state != JOB_WAITING && j->deadline < next)
					next = j->deadline;
			}
			changed = 0;
		}
		if (r != SD_OK || finished == njobs)
			break;
		wait_ms = (int)(next - now_ms() + 0.999);
		if (wait_ms < 0)
			wait_ms = 0;
		n = epoll_wait(ep, evs, (int)(sizeof(evs) / sizeof(evs[0])), wait_ms);
		if (n < 0 && errno != EINTR) {
			r = SD_ERR_IO;
			break;
		}
		for (k = 0; k < n && r == SD_OK; k++) {
			struct job *j = evs[k].data.ptr;
			enum job_state before = j->state;
			if (j->state == JOB_CONNECTING) {
				r = job_connected(j, o);
				/* pick up data that arrived with the connect event */
				if (r == SD_OK && j->state == JOB_READING &&
				    (evs[k].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)))
					r = job_readable(j, ep, o);
			} else if (j->state == JOB_READING) {
				r = job_readable(j, ep, o);
			}
			if (j->state == JOB_WAITING || j->state == JOB_FINISHED)
				changed |= before != j->state;
		}
	}
	for (i = 0; i < njobs; i++)
		if (jobs[i].fd >= 0) {
			close(jobs[i].fd);
			jobs[i].fd = -1;
		}
	close(ep);
	return r;
}

/* Resolves one spec and appends a result (and a job) per distinct address. */
static int resolve_spec(const char *spec, const struct target *t, const struct probe_options *o,
                        struct probe_result **v, size_t *n, size_t *cap)
{
	struct addrinfo hints, *ais = NULL, *ai;
	char portstr[8], addr[INET6_ADDRSTRLEN + 8];
	double t0, resolve_ms;
	size_t first = *n, i;
	int gai;

	memset(&hints, 0, sizeof(hints));
	snprintf(portstr, sizeof(portstr), "%u", t->port);
	hints.ai_family = o->family;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_protocol = IPPROTO_TCP;
	t0 = now_ms();
	gai = getaddrinfo(t->host, portstr, &hints, &ais);
	resolve_ms = now_ms() - t0;
	for (ai = gai == 0 ? ais : NULL; ai || (gai != 0 && *n == first);
	     ai = ai ? ai->ai_next : NULL) {
		addr[0] = '\0';
		if (ai && getnameinfo(ai->ai_addr, ai->ai_addrlen, addr, sizeof(addr), NULL, 0,
		                      NI_NUMERICHOST) != 0)
			continue;
		for (i = first; ai && i < *n; i++) /* getaddrinfo may repeat an address */
			if (strcmp((*v)[i].address, addr) == 0)
				break;
		if (ai && i < *n)
			continue;
		if (*n == *cap) {
			size_t nc = *cap ? *cap * 2 : 8;
			struct probe_result *nv = realloc(*v, nc * sizeof(**v));
			if (!nv)
				goto oom;
			*v = nv;
			*cap = nc;
		}
		if (probe_result_init(&(*v)[*n], spec, ai ? addr : NULL, t->port) != 0)
			goto oom;
		(*v)[*n].resolve_ms = resolve_ms;
		if (!ai) {
			(*v)[*n].outcome = OUTCOME_RESOLVE_FAILED;
			(*n)++;
			break;
		}
		(*n)++;
	}
	if (ais)
		freeaddrinfo(ais);
	return SD_OK;
oom:
	if (ais)
		freeaddrinfo(ais);
	return SD_ERR_ALLOC;
}

int probe_targets(char *const specs[], size_t nspecs, const struct probe_options *o,
                  struct probe_result **ret, size_t *nret, size_t *bad_spec)
{
	struct probe_result *v = NULL;
	struct job *jobs = NULL;
	struct target t;
	struct addrinfo hints, *ai;
	char portstr[8];
	size_t n = 0, cap = 0, i, k, first;
	int r = SD_OK;

	for (i = 0; i < nspecs; i++) {
		if ((r = target_parse(specs[i], o->default_port, &t)) != 0) {
			*bad_spec = i;
			goto out;
		}
		first = n;
		r = resolve_spec(specs[i], &t, o, &v, &n, &cap);
		target_release(&t);
		if (r != 0)
			goto out;
		for (k = first; k < n; k++)
			v[k].spec_index = i;
	}
	if (n && (jobs = calloc(n, sizeof(*jobs))) == NULL) {
		r = SD_ERR_ALLOC;
		goto out;
	}
	for (i = 0; i < n; i++) {
		struct job *j = &jobs[i];
		j->fd = -1;
		j->res = &v[i];
		banner_init(&j->banner);
		buf_init(&j->pkt, PACKET_BUF_MAX);
		if (!v[i].address) {
			j->state = JOB_FINISHED;
			continue;
		}
		memset(&hints, 0, sizeof(hints));
		hints.ai_flags = AI_NUMERICHOST;
		hints.ai_socktype = SOCK_STREAM;
		snprintf(portstr, sizeof(portstr), "%u", v[i].port);
		if (getaddrinfo(v[i].address, portstr, &hints, &ai) != 0) {
			j->state = JOB_FINISHED;
			v[i].outcome = OUTCOME_RESOLVE_FAILED;
			continue;
		}
		memcpy(&j->sa, ai->ai_addr, ai->ai_addrlen);
		j->salen = ai->ai_addrlen;
		freeaddrinfo(ai);
		j->attempts_left = o->repeat ? o->repeat : 1;
		j->state = JOB_WAITING;
	}
	r = run_jobs(jobs, n, o);
	for (i = 0; i < n && r == SD_OK; i++)
		if (v[i].nattempts)
			r = probe_result_conclude(&v[i]);
out:
	for (i = 0; jobs && i < n; i++) {
		banner_release(&jobs[i].banner);
		buf_release(&jobs[i].pkt);
		kexinit_release(&jobs[i].kex);
		free(jobs[i].disconnect);
		free(jobs[i].a.detail);
	}
	free(jobs);
	if (r != SD_OK) {
		for (i = 0; i < n; i++)
			probe_result_release(&v[i]);
		free(v);
		return r;
	}
	*ret = v;
	*nret = n;
	return SD_OK;
}
