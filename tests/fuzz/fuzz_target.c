/* fuzz_target — what a user types as a probe target (argv is a NUL-terminated string). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "probe/target.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct target t;
	char *s;
	int r;

	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	r = target_parse(s, 22, &t);
	ASSERT(r == SD_OK || r == SD_ERR_INVALID || r == SD_ERR_ALLOC);
	if (r == SD_OK) {
		ASSERT(t.host != NULL && t.host[0] != '\0');
		ASSERT(strchr(t.host, ' ') == NULL && strchr(t.host, '@') == NULL);
		ASSERT(strchr(t.host, '/') == NULL);
		ASSERT(t.port >= 1 && t.port <= 65535);
		ASSERT(t.user == NULL || t.user[0] != '\0');
		ASSERT(strlen(t.host) <= size);
		target_release(&t);
	}
	free(s);
	return 0;
}
