#include "io/prober.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/errqueue.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <netinet/icmp6.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/err.h"
#include "probe/target.h"
#include "ssh/kexinit.h"

#define READ_CHUNK       16384
#define PACKET_BUF_MAX   (4 + SSH_PACKET_MAX)
#define MAX_SKIP_PACKETS 8 /* SSH_MSG_IGNORE/DEBUG tolerated before KEXINIT */

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
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* Waits for `events` until the absolute deadline; 1 ready, 0 timeout, -1 error. */
static int wait_fd(int fd, short events, double deadline)
{
	struct pollfd p = {fd, events, 0};
	double left;
	int r;

	for (;;) {
		left = deadline - now_ms();
		if (left <= 0)
			return 0;
		r = poll(&p, 1, (int)(left + 0.999));
		if (r > 0)
			return 1;
		if (r == 0)
			continue;
		if (errno != EINTR)
			return -1;
	}
}

/* Describes an ICMP error queued on the socket (IP_RECVERR), or NULL. */
static char *icmp_detail(int fd)
{
	char cbuf[512], data[64];
	struct iovec iov = {data, sizeof(data)};
	struct msghdr msg = {0};
	struct cmsghdr *c;
	const char *what = NULL;

	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cbuf;
	msg.msg_controllen = sizeof(cbuf);
	if (recvmsg(fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
		return NULL;
	for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
		struct sock_extended_err ee;
		if (!((c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_RECVERR) ||
		      (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_RECVERR)))
			continue;
		memcpy(&ee, CMSG_DATA(c), sizeof(ee));
		if (ee.ee_origin == SO_EE_ORIGIN_ICMP && ee.ee_type == ICMP_DEST_UNREACH) {
			switch (ee.ee_code) {
			case ICMP_NET_UNREACH:
				what = "ICMP network unreachable";
				break;
			case ICMP_HOST_UNREACH:
				what = "ICMP host unreachable";
				break;
			case ICMP_PORT_UNREACH:
				what = "ICMP port unreachable";
				break;
			case ICMP_NET_ANO:
				what = "ICMP network administratively prohibited";
				break;
			case ICMP_HOST_ANO:
				what = "ICMP host administratively prohibited";
				break;
			case ICMP_PKT_FILTERED:
				what = "ICMP communication administratively prohibited";
				break;
			default:
				what = "ICMP destination unreachable";
				break;
			}
		} else if (ee.ee_origin == SO_EE_ORIGIN_ICMP6 && ee.ee_type == ICMP6_DST_UNREACH) {
			switch (ee.ee_code) {
			case ICMP6_DST_UNREACH_NOROUTE:
				what = "ICMPv6 no route to destination";
				break;
			case ICMP6_DST_UNREACH_ADMIN:
				what = "ICMPv6 administratively prohibited";
				break;
			case ICMP6_DST_UNREACH_ADDR:
				what = "ICMPv6 address unreachable";
				break;
			case ICMP6_DST_UNREACH_NOPORT:
				what = "ICMPv6 port unreachable";
				break;
			default:
				what = "ICMPv6 destination unreachable";
				break;
			}
		}
	}
	return what ? strdup(what) : NULL;
}

static int bind_source(int fd, int family, const char *source)
{
	struct addrinfo hints = {0}, *ai = NULL;
	int r;

	hints.ai_family = family;
	hints.ai_flags = AI_NUMERICHOST | AI_PASSIVE;
	if (getaddrinfo(source, NULL, &hints, &ai) != 0 || !ai)
		return -1;
	r = bind(fd, ai->ai_addr, ai->ai_addrlen);
	freeaddrinfo(ai);
	return r;
}

struct attempt_io {
	struct banner banner;
	uint8_t pkt[PACKET_BUF_MAX];
	size_t pktlen;
	struct kexinit kex;
	char *disconnect;
	int skipped;
};

/* Tries to frame and parse the first meaningful packet; 1 when the attempt is finished. */
static int take_packets(struct attempt_io *io, struct attempt_facts *f)
{
	const uint8_t *payload;
	size_t plen, used;
	uint32_t reason;
	int r;

	for (;;) {
		r = ssh_packet_frame(io->pkt, io->pktlen, &payload, &plen, &used);
		if (r == SD_ERR_TRUNCATED)
			return 0;
		if (r != SD_OK || plen == 0) {
			f->packet_error = 1;
			return 1;
		}
		if (payload[0] == SSH_MSG_KEXINIT) {
			f->kexinit_ok = kexinit_parse(payload, plen, &io->kex) == SD_OK;
			f->packet_error = !f->kexinit_ok;
			return 1;
		}
		if (payload[0] == SSH_MSG_DISCONNECT) {
			f->got_disconnect =
			    disconnect_parse(payload, plen, &reason, &io->disconnect) == SD_OK;
			f->packet_error = !f->got_disconnect;
			return 1;
		}
		if ((payload[0] != SSH_MSG_IGNORE && payload[0] != 4 /* DEBUG */) ||
		    ++io->skipped > MAX_SKIP_PACKETS) {
			f->packet_error = 1;
			return 1;
		}
		memmove(io->pkt, io->pkt + used, io->pktlen - used);
		io->pktlen -= used;
	}
}

/* One attempt against one resolved address. */
static int probe_once(const struct addrinfo *ai, const struct probe_options *o,
                      struct probe_result *res)
{
	struct attempt_io *io;
	struct attempt_facts f = {0};
	struct probe_attempt a = {0};
	uint8_t chunk[READ_CHUNK];
	double t0, t_conn = -1, t_banner = -1, deadline;
	int fd = -1, on = 1, err = 0, r;
	socklen_t elen = sizeof(err);
	ssize_t n;
	size_t used;

	if ((io = calloc(1, sizeof(*io))) == NULL)
		return SD_ERR_ALLOC;
	banner_init(&io->banner);
	f.banner = &io->banner;
	a.connect_ms = a.banner_ms = a.kexinit_ms = -1;
	t0 = now_ms();

	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
	if (fd < 0 || (o->source && bind_source(fd, ai->ai_family, o->source) != 0)) {
		a.sys_errno = errno;
		f.connect = CONNECT_LOCAL_ERROR;
		goto done;
	}
	if (ai->ai_family == AF_INET)
		setsockopt(fd, IPPROTO_IP, IP_RECVERR, &on, sizeof(on));
	else
		setsockopt(fd, IPPROTO_IPV6, IPV6_RECVERR, &on, sizeof(on));
	res->connections_made++;
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0 && errno != EINPROGRESS) {
		err = errno;
	} else {
		r = wait_fd(fd, POLLOUT, t0 + o->connect_timeout_ms);
		if (r == 0)
			err = ETIMEDOUT;
		else if (r < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) != 0)
			err = errno;
	}
	if (err) {
		a.sys_errno = err;
		a.detail = icmp_detail(fd);
		switch (err) {
		case ECONNREFUSED:
			f.connect = CONNECT_REFUSED;
			break;
		case ETIMEDOUT:
			f.connect = CONNECT_TIMEOUT;
			break;
		case EHOSTUNREACH:
		case ENETUNREACH:
		case EHOSTDOWN:
		case ENONET:
			f.connect = CONNECT_UNREACHABLE;
			break;
		default:
			f.connect = CONNECT_LOCAL_ERROR;
			break;
		}
		if (!a.detail && (err == EPERM || err == EACCES))
			a.detail =
			    strdup("refused locally (an OUTPUT firewall rule on this machine?)");
		goto done;
	}
	t_conn = now_ms();
	a.connect_ms = t_conn - t0;
	f.connect = CONNECT_OK;
	/* our identification first, as ssh does; a failure here shows up when reading */
	(void)send(fd, PROBE_IDENT "\r\n", sizeof(PROBE_IDENT "\r\n") - 1, MSG_NOSIGNAL);

	deadline = t_conn + o->banner_timeout_ms;
	for (;;) {
		r = wait_fd(fd, POLLIN, deadline);
		if (r == 0) {
			f.end = END_TIMEOUT;
			break;
		}
		n = r < 0 ? -1 : recv(fd, chunk, sizeof(chunk), 0);
		if (n == 0) {
			f.end = END_EOF;
			break;
		}
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			a.sys_errno = errno;
			f.end = errno == ECONNRESET ? END_RESET : END_ERROR;
			break;
		}
		used = 0;
		if (io->banner.state == BANNER_NEED_MORE) {
			if ((r = banner_feed(&io->banner, chunk, (size_t)n, &used)) != 0)
				goto oom;
			if (io->banner.state == BANNER_NEED_MORE)
				continue;
			if (io->banner.state != BANNER_DONE) {
				f.end = END_PROTOCOL;
				break;
			}
			t_banner = now_ms();
			a.banner_ms = t_banner - t_conn;
			deadline = t_banner + o->kexinit_timeout_ms;
		}
		if ((size_t)n - used > PACKET_BUF_MAX - io->pktlen) {
			f.packet_error = 1;
			f.end = END_PROTOCOL;
			break;
		}
		memcpy(io->pkt + io->pktlen, chunk + used, (size_t)n - used);
		io->pktlen += (size_t)n - used;
		if (take_packets(io, &f)) {
			f.end = END_COMPLETE;
			if (f.kexinit_ok)
				a.kexinit_ms = now_ms() - t_banner;
			break;
		}
	}
done:
	a.end_ms = now_ms() - t0;
	a.outcome = probe_classify(&f);
	if (!a.detail && io->disconnect)
		a.detail = strdup(io->disconnect);
	if (fd >= 0)
		close(fd);
	r = probe_result_add_attempt(res, &a);
	if (r == 0)
		r = probe_result_note_banner(res, &io->banner);
	if (r == 0 && f.kexinit_ok)
		probe_result_take_kexinit(res, &io->kex);
	if (r == 0 && io->disconnect)
		r = probe_result_note_disconnect(res, io->disconnect);
	kexinit_release(&io->kex);
	free(io->disconnect);
	banner_release(&io->banner);
	free(io);
	return r;
oom:
	if (fd >= 0)
		close(fd);
	free(a.detail);
	kexinit_release(&io->kex);
	free(io->disconnect);
	banner_release(&io->banner);
	free(io);
	return SD_ERR_ALLOC;
}

static int numeric_address(const struct addrinfo *ai, char *out, size_t len)
{
	return getnameinfo(ai->ai_addr, ai->ai_addrlen, out, (socklen_t)len, NULL, 0,
	                   NI_NUMERICHOST);
}

int probe_target(const char *spec, const struct probe_options *o, struct probe_result **ret,
                 size_t *nret)
{
	struct target t;
	struct addrinfo hints = {0}, *ais = NULL, *ai;
	struct probe_result *v = NULL, *nv;
	char portstr[8], addr[INET6_ADDRSTRLEN + 8];
	double t0, resolve_ms;
	size_t n = 0, i;
	unsigned k;
	int r;

	if ((r = target_parse(spec, o->default_port, &t)) != 0)
		return r;
	snprintf(portstr, sizeof(portstr), "%u", t.port);
	hints.ai_family = o->family;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_protocol = IPPROTO_TCP;
	t0 = now_ms();
	r = getaddrinfo(t.host, portstr, &hints, &ais);
	resolve_ms = now_ms() - t0;
	if (r != 0) {
		if ((v = calloc(1, sizeof(*v))) == NULL ||
		    probe_result_init(v, spec, NULL, t.port) != 0) {
			free(v);
			target_release(&t);
			return SD_ERR_ALLOC;
		}
		v->resolve_ms = resolve_ms;
		v->outcome = OUTCOME_RESOLVE_FAILED;
		*ret = v;
		*nret = 1;
		target_release(&t);
		return SD_OK;
	}
	for (ai = ais; ai; ai = ai->ai_next) {
		if (numeric_address(ai, addr, sizeof(addr)) != 0)
			continue;
		for (i = 0; i < n; i++) /* getaddrinfo may repeat an address */
			if (strcmp(v[i].address, addr) == 0)
				break;
		if (i < n)
			continue;
		if ((nv = realloc(v, (n + 1) * sizeof(*v))) == NULL)
			goto oom;
		v = nv;
		if (probe_result_init(&v[n], spec, addr, t.port) != 0)
			goto oom;
		v[n].resolve_ms = resolve_ms;
		n++;
		for (k = 0; k < o->repeat; k++) {
			if (k)
				sleep_ms(o->gap_ms);
			if (probe_once(ai, o, &v[n - 1]) != 0)
				goto oom;
		}
		if (probe_result_conclude(&v[n - 1]) != 0)
			goto oom;
	}
	freeaddrinfo(ais);
	target_release(&t);
	*ret = v;
	*nret = n;
	return SD_OK;
oom:
	for (i = 0; i < n; i++)
		probe_result_release(&v[i]);
	free(v);
	freeaddrinfo(ais);
	target_release(&t);
	return SD_ERR_ALLOC;
}
