/*
 * unit.c — the firewall layer's unit tests: parsers, evaluator, answers, layer findings.
 * Links the pure core only.  Ends with "firewall-unit: N passed, N failed".
 */
#include "../unit/t.h"
#include "tests.h"

static const struct t_test tests[] = {FIREWALL_TESTS(T_ENTRY)};

int main(int argc, char **argv)
{
	return t_run("firewall-unit", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
