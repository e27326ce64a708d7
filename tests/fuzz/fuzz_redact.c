/*
 * libFuzzer target: the bundle's redaction scanner over any file's bytes — the private-key
 * and binary checks, and redact_text, whose output must hold no crypt(3) hash it can see,
 * and must be the input again when it found none.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "bundle/redact.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf out, again;
	unsigned n = 0, m = 0;

	(void)redact_has_private_key(data, size);
	(void)redact_is_binary(data, size);
	buf_init(&out, 4 * size + 64);
	if (redact_text((const char *)data, size, &out, &n) == SD_OK) {
		if (n == 0 && (out.len != size || memcmp(out.data, data, size) != 0))
			abort();
		/* redacting the result again finds nothing more */
		buf_init(&again, 4 * out.len + 64);
		if (redact_text(out.data, out.len, &again, &m) == SD_OK && m != 0)
			abort();
		buf_release(&again);
	}
	buf_release(&out);
	return 0;
}
