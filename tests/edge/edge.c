#include "edge.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../unit/t.h"

static char watchdog_msg[256];

static void watchdog_fire(int sig)
{
	ssize_t r = write(STDOUT_FILENO, watchdog_msg, strlen(watchdog_msg));

	(void)r;
	(void)sig;
	_exit(1);
}

void edge_watchdog(const char *name, unsigned seconds)
{
	if (seconds) {
		snprintf(watchdog_msg, sizeof(watchdog_msg),
		         "FAIL %s: timed out after %u s (something blocked)\n", name, seconds);
		signal(SIGALRM, watchdog_fire);
	}
	alarm(seconds);
}

static int mkdirs(char *path)
{
	char *p;

	for (p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) != 0 && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return 0;
}

int edge_write_file(const char *dir, const char *rel, const void *data, size_t n)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	if (mkdirs(path) != 0 || (f = fopen(path, "wb")) == NULL) {
		FAIL("cannot create %s: %s", path, strerror(errno));
		return -1;
	}
	if (n && fwrite(data, 1, n, f) != n) {
		FAIL("cannot write %s", path);
		fclose(f);
		return -1;
	}
	fclose(f);
	return 0;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

void edge_rm_tree(const char *dir)
{
	if (dir && *dir)
		nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

double edge_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

double edge_cpu_ms(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000.0 +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000.0;
}

int server_start(struct server *s, serve_fn fn, unsigned nconn)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	unsigned i;
	int lfd, one = 1;

	s->pid = -1;
	s->port = 0;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(lfd, 16) != 0 ||
	    getsockname(lfd, (struct sockaddr *)&sa, &len) != 0) {
		FAIL("listen on 127.0.0.1: %s", strerror(errno));
		if (lfd >= 0)
			close(lfd);
		return -1;
	}
	s->port = ntohs(sa.sin_port);
	fflush(stdout);
	if ((s->pid = fork()) < 0) {
		FAIL("fork: %s", strerror(errno));
		close(lfd);
		return -1;
	}
	if (s->pid == 0) {
		signal(SIGPIPE, SIG_IGN);
		alarm(20); /* a server child never outlives a stuck test */
		for (i = 0; i < nconn; i++) {
			int c = accept(lfd, NULL, NULL);
			if (c < 0)
				_exit(2);
			fn(c);
			close(c);
		}
		_exit(0);
	}
	close(lfd);
	return 0;
}

int server_stop(struct server *s)
{
	int status = -1, i;

	if (s->pid <= 0)
		return -1;
	for (i = 0; i < 100; i++) {
		if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
			s->pid = -1;
			return status;
		}
		usleep(50 * 1000);
	}
	kill(s->pid, SIGKILL);
	waitpid(s->pid, &status, 0);
	s->pid = -1;
	return status;
}

unsigned closed_port(void)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	unsigned port = 0;
	int fd;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		return 0;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&sa, &len) == 0)
		port = ntohs(sa.sin_port);
	close(fd); /* bound but never listening: connects are refused */
	return port;
}

void srv_read_ident(int fd)
{
	struct pollfd p = {fd, POLLIN, 0};
	char c;
	int i;

	for (i = 0; i < 512; i++) {
		if (poll(&p, 1, 3000) <= 0 || read(fd, &c, 1) != 1 || c == '\n')
			return;
	}
}

void srv_send(int fd, const void *p, size_t n)
{
	const char *s = p;
	ssize_t w;

	while (n) {
		w = send(fd, s, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

void srv_wait_close(int fd)
{
	struct pollfd p = {fd, POLLIN, 0};
	char b[4096];
	int i;

	for (i = 0; i < 1000; i++)
		if (poll(&p, 1, 5000) <= 0 || read(fd, b, sizeof(b)) <= 0)
			return;
}
