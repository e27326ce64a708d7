/* The edge-test program: the I/O edges (rootfs, prober) on top of the core. */
#include <signal.h>

#include "../unit/t.h"
#include "tests.h"

static const struct t_test tests[] = {EDGE_TESTS(T_ENTRY)};

int main(int argc, char **argv)
{
	signal(SIGPIPE, SIG_IGN);
	return t_run("edge", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
