/*
 * fuzz.h — what every libFuzzer target shares: the entry point's prototype (the targets are
 * built with -Wmissing-prototypes) and ASSERT, which traps so the fuzzer records the input.
 */
#ifndef SSHDIAG_TESTS_FUZZ_FUZZ_H
#define SSHDIAG_TESTS_FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An invariant of the code under test: a violation is a finding, like a crash. */
#define ASSERT(x)                                                                                  \
	do {                                                                                       \
		if (!(x))                                                                          \
			__builtin_trap();                                                          \
	} while (0)

#endif
