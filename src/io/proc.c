#include "io/proc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/err.h"

#define ERR_MAX (64 * 1024)

static const char proc_path[] = "/usr/sbin:/usr/bin:/sbin:/bin";

static double mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

void proc_result_release(struct proc_result *r)
{
	buf_release(&r->out);
	buf_release(&r->err);
}

/* Reads what is there; marks truncation and drops the excess past the buffer's cap. */
static int drain(int fd, struct buf *b, int *truncated)
{
	char chunk[65536];
	ssize_t n = read(fd, chunk, sizeof(chunk));

	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 1 : 0;
	if (n == 0)
		return 0;
	if (buf_add(b, chunk, (size_t)n) != 0 && truncated)
		*truncated = 1;
	return 1;
}

int proc_run(char *const argv[], unsigned timeout_ms, size_t max_out, struct proc_result *r)
{
	char *const envp[] = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C", NULL};
	posix_spawn_file_actions_t fa;
	int outp[2] = {-1, -1}, errp[2] = {-1, -1}, st, rc, open_fds = 2;
	struct pollfd pf[2];
	double deadline;
	pid_t pid;
	char path[4096];
	const char *dir, *end;

	memset(r, 0, sizeof(*r));
	buf_init(&r->out, max_out);
	buf_init(&r->err, ERR_MAX);
	/* resolve argv[0] in our fixed PATH, never the caller's */
	if (strchr(argv[0], '/')) {
		if (strlen(argv[0]) >= sizeof(path))
			return SD_ERR_TOO_LONG;
		strcpy(path, argv[0]);
	} else {
		path[0] = '\0';
		for (dir = proc_path; *dir; dir = *end ? end + 1 : end) {
			end = strchrnul(dir, ':');
			if ((size_t)(end - dir) + strlen(argv[0]) + 2 > sizeof(path))
				continue;
			memcpy(path, dir, (size_t)(end - dir));
			path[end - dir] = '/';
			strcpy(path + (end - dir) + 1, argv[0]);
			if (access(path, X_OK) == 0)
				break;
			path[0] = '\0';
		}
	}
	if (!path[0] || access(path, X_OK) != 0)
		return SD_ERR_NOT_FOUND;
	if (pipe2(outp, O_CLOEXEC) != 0 || pipe2(errp, O_CLOEXEC) != 0) {
		rc = SD_ERR_IO;
		goto fail;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, outp[1], 1);
	posix_spawn_file_actions_adddup2(&fa, errp[1], 2);
	rc = posix_spawn(&pid, path, &fa, NULL, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	close(outp[1]);
	close(errp[1]);
	outp[1] = errp[1] = -1;
	if (rc != 0) {
		rc = rc == ENOENT ? SD_ERR_NOT_FOUND : SD_ERR_IO;
		goto fail;
	}
	deadline = mono_ms() + timeout_ms;
	pf[0].fd = outp[0];
	pf[1].fd = errp[0];
	pf[0].events = pf[1].events = POLLIN;
	while (open_fds > 0) {
		double left = deadline - mono_ms();
		if (left <= 0) {
			r->timed_out = 1;
			kill(pid, SIGKILL);
			break;
		}
		if (poll(pf, 2, (int)left + 1) < 0 && errno != EINTR)
			break;
		if (pf[0].fd >= 0 && (pf[0].revents & (POLLIN | POLLHUP | POLLERR)) &&
		    !drain(pf[0].fd, &r->out, &r->truncated)) {
			pf[0].fd = -1;
			open_fds--;
		}
		if (pf[1].fd >= 0 && (pf[1].revents & (POLLIN | POLLHUP | POLLERR)) &&
		    !drain(pf[1].fd, &r->err, NULL)) {
			pf[1].fd = -1;
			open_fds--;
		}
	}
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	r->exited = WIFEXITED(st);
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st);
	close(outp[0]);
	close(errp[0]);
	return SD_OK;
fail:
	if (outp[0] >= 0)
		close(outp[0]);
	if (outp[1] >= 0)
		close(outp[1]);
	if (errp[0] >= 0)
		close(errp[0]);
	if (errp[1] >= 0)
		close(errp[1]);
	proc_result_release(r);
	return rc;
}
