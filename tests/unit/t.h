/*
 * t.h — a tiny test framework in the spirit of git's and curl's: no library, no magic.
 *
 * A test is a `void test_NAME(void)` function listed in the suite's list header (see
 * tests/unit/tests.h).  Checks record file:line on failure and let the test go on; each
 * returns 1 when it held, so a test can stop before dereferencing what failed:
 *
 *	if (!CHECK(p != NULL))
 *		return;
 *
 * The runner prints one `FAIL name: file:line: expr` line per failed check and ends with one
 * summary line `SUITE: N passed, N failed` (N counts test functions); it exits 1 if any
 * failed.  Arguments, if any, select the tests whose name contains one of them.
 */
#ifndef SSHDIAG_TESTS_T_H
#define SSHDIAG_TESTS_T_H

#include <stddef.h>

struct t_test {
	const char *name;
	void (*fn)(void);
};

/* Builds the table entry and the prototype for a test from a list X-macro. */
#define T_ENTRY(name) {#name, test_##name},
#define T_PROTO(name) void test_##name(void);

int t_check(int ok, const char *file, int line, const char *expr);
int t_check_int(long long got, long long want, const char *file, int line, const char *egot,
                const char *ewant);
int t_check_str(const char *got, const char *want, const char *file, int line, const char *egot,
                const char *ewant);
/* Records a failure with a free-form message. */
void t_fail(const char *file, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

int t_run(const char *suite, const struct t_test *tests, size_t n, int argc, char **argv);

#define CHECK(expr) t_check(!!(expr), __FILE__, __LINE__, #expr)
#define CHECK_EQ_INT(got, want)                                                                    \
	t_check_int((long long)(got), (long long)(want), __FILE__, __LINE__, #got, #want)
/* NULL-safe: NULL equals only NULL. */
#define CHECK_STREQ(got, want) t_check_str((got), (want), __FILE__, __LINE__, #got, #want)
#define FAIL(...)              t_fail(__FILE__, __LINE__, __VA_ARGS__)

#endif
