/*
 * t.c — the runner and the checks of t.h.  tests/edge/t.c #includes this file, because every
 * .c in a test directory is linked into that directory's program.
 */
#include "t.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *t_current = "?";
static int t_failed_checks;

static void t_report(const char *file, int line, const char *msg)
{
	printf("FAIL %s: %s:%d: %s\n", t_current, file, line, msg);
	fflush(stdout);
	t_failed_checks++;
}

void t_fail(const char *file, int line, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	t_report(file, line, msg);
}

int t_check(int ok, const char *file, int line, const char *expr)
{
	if (!ok)
		t_report(file, line, expr);
	return ok;
}

int t_check_int(long long got, long long want, const char *file, int line, const char *egot,
                const char *ewant)
{
	if (got == want)
		return 1;
	t_fail(file, line, "%s == %s (got %lld, want %lld)", egot, ewant, got, want);
	return 0;
}

int t_check_str(const char *got, const char *want, const char *file, int line, const char *egot,
                const char *ewant)
{
	if (got == want || (got && want && strcmp(got, want) == 0))
		return 1;
	t_fail(file, line, "%s == %s (got %s%.200s%s, want %s%.200s%s)", egot, ewant,
	       got ? "\"" : "", got ? got : "NULL", got ? "\"" : "", want ? "\"" : "",
	       want ? want : "NULL", want ? "\"" : "");
	return 0;
}

static int t_selected(const char *name, int argc, char **argv)
{
	int i;

	if (argc <= 1)
		return 1;
	for (i = 1; i < argc; i++)
		if (strstr(name, argv[i]))
			return 1;
	return 0;
}

int t_run(const char *suite, const struct t_test *tests, size_t n, int argc, char **argv)
{
	size_t i, passed = 0, failed = 0;

	for (i = 0; i < n; i++) {
		if (!t_selected(tests[i].name, argc, argv))
			continue;
		t_current = tests[i].name;
		t_failed_checks = 0;
		tests[i].fn();
		if (t_failed_checks)
			failed++;
		else
			passed++;
	}
	printf("%s: %zu passed, %zu failed\n", suite, passed, failed);
	return failed ? 1 : 0;
}
