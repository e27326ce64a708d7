/* The unit-test program: the pure core only (linked against libsshdiag-core.a). */
#include "t.h"
#include "tests.h"

static const struct t_test tests[] = {UNIT_TESTS(T_ENTRY)};

int main(int argc, char **argv)
{
	return t_run("unit", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
