/*
 * bench.c — how fast is one decision over big tables?
 *
 *	tcpwrap-bench [-p] [-n N] DIR ADDR
 *
 * Maps DIR/hosts.allow and DIR/hosts.deny (like `tcpdmatch -d`, run in DIR), decides for
 * daemon "sshd" and client ADDR with an unknown name, and prints the decision, the time of
 * mapping the files, the time of one decision (best of N) and the peak RSS.  With -p the
 * tables are parsed first (hosts_access_parse + hosts_access_decide) instead of streamed.
 * Time the whole process to compare with tcpdmatch and grep.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/err.h"
#include "tcpwrap/hosts_access.h"

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The whole file mapped; data NULL when it does not exist. */
static int slurp(const char *path, uint8_t **data, size_t *len)
{
	struct stat st;
	void *p;
	int fd = open(path, O_RDONLY);

	*data = NULL;
	*len = 0;
	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	if (fstat(fd, &st) != 0) {
		close(fd);
		return -1;
	}
	if (st.st_size > 0) {
		p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
		if (p == MAP_FAILED) {
			close(fd);
			return -1;
		}
		*data = p;
	} else {
		*data = (uint8_t *)"";
	}
	*len = (size_t)st.st_size;
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	char pa[4096], pd[4096];
	uint8_t *a, *d;
	size_t alen, dlen;
	int opt, parse = 0, n = 1, i;
	double t0, t1, best = 1e9, tp = 0;
	struct ha_client c;
	struct ha_decision dec;
	struct ha_input ia, id;
	struct ha_file fa, fd;
	struct rusage ru;

	while ((opt = getopt(argc, argv, "pn:")) != -1) {
		if (opt == 'p')
			parse = 1;
		else if (opt == 'n')
			n = atoi(optarg);
		else
			return 2;
	}
	if (argc - optind != 2) {
		fprintf(stderr, "usage: tcpwrap-bench [-p] [-n N] DIR ADDR\n");
		return 2;
	}
	snprintf(pa, sizeof(pa), "%s/hosts.allow", argv[optind]);
	snprintf(pd, sizeof(pd), "%s/hosts.deny", argv[optind]);
	t0 = now();
	if (slurp(pa, &a, &alen) != 0 || slurp(pd, &d, &dlen) != 0) {
		perror("read");
		return 2;
	}
	t1 = now();
	memset(&c, 0, sizeof(c));
	c.daemon = "sshd";
	c.addr = argv[optind + 1];
	c.name = NULL;
	c.user = NULL;
	c.server_port = HA_PORT_UNKNOWN;
	ia = (struct ha_input){"hosts.allow", a, alen};
	id = (struct ha_input){"hosts.deny", d, dlen};
	if (parse) {
		double p0 = now();

		if (hosts_access_parse(ia.name, a, alen, &fa) != 0 ||
		    hosts_access_parse(id.name, d, dlen, &fd) != 0)
			return 2;
		tp = now() - p0;
	}
	for (i = 0; i < n; i++) {
		double s = now();

		if (parse)
			hosts_access_decide(&fa, &fd, &c, &dec);
		else
			hosts_access_decide_stream(&ia, &id, &c, &dec);
		s = now() - s;
		if (s < best)
			best = s;
	}
	getrusage(RUSAGE_SELF, &ru);
	printf("%s %s: %s%s (%s, line %u); map %.1f ms, parse %.1f ms, decide %.2f ms, "
	       "peak RSS %ld KiB\n",
	       argv[optind + 1], parse ? "parsed" : "streamed", ha_result_name(dec.result),
	       dec.certain ? "" : " (uncertain)", ha_why_name(dec.why), dec.rule.line,
	       (t1 - t0) * 1e3, tp * 1e3, best * 1e3, ru.ru_maxrss);
	if (parse) {
		hosts_access_free(&fa);
		hosts_access_free(&fd);
	}
	return 0; /* the mappings go with the process */
}
