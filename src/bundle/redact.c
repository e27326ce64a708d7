#include "bundle/redact.h"

#include <string.h>

#include "base/err.h"

int redact_denied_path(const char *path)
{
	static const char *const denied[] = {"/etc/shadow",           "/etc/shadow-",
	                                     "/etc/gshadow",          "/etc/gshadow-",
	                                     "/etc/security/opasswd", "/etc/tcb"};
	size_t i, n;

	for (i = 0; i < sizeof(denied) / sizeof(denied[0]); i++) {
		n = strlen(denied[i]);
		if (strncmp(path, denied[i], n) == 0 && (path[n] == '\0' || path[n] == '/'))
			return 1;
	}
	return 0;
}

int redact_has_private_key(const void *data, size_t len)
{
	static const char *const marks[] = {"PRIVATE KEY-----", "PuTTY-User-Key-File-",
	                                    "BEGIN SSH2 ENCRYPTED PRIVATE KEY"};
	size_t i;

	for (i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		if (memmem(data, len, marks[i], strlen(marks[i])))
			return 1;
	return 0;
}

int redact_is_binary(const void *data, size_t len)
{
	return (len >= 4 && memcmp(data,
	                           "\x7f"
	                           "ELF",
	                           4) == 0) ||
	       (len >= 16 && memcmp(data, "SQLite format 3", 16) == 0);
}

static int salt_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '/' || c == '$' || c == '=' || c == ',' || c == '+' || c == '-';
}

/* The length of a crypt(3) hash starting at p ("$ID$…"), or 0. */
static size_t hash_len(const char *p, const char *end)
{
	static const char *const ids[] = {"1",    "2a",  "2b",      "2x",       "2y",     "3",
	                                  "5",    "6",   "7",       "y",        "gy",     "md5",
	                                  "sha1", "sm3", "argon2i", "argon2id", "argon2d"};
	size_t i, n, k;

	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		n = strlen(ids[i]);
		if ((size_t)(end - p) < n + 2 || memcmp(p + 1, ids[i], n) != 0 ||
		    (p[n + 1] != '$' && p[n + 1] != ','))
			continue;
		for (k = n + 2; p + k < end && salt_char(p[k]); k++)
			;
		/* salt and hash: at least a short salt, a '$' and some hash */
		if (k >= n + 2 + 10 && memchr(p + n + 2, '$', k - n - 2))
			return k;
	}
	return 0;
}

int redact_text(const char *data, size_t len, struct buf *out, unsigned *n)
{
	const char *p = data, *end = data + len, *start = data;
	size_t h;
	int r;

	*n = 0;
	while ((p = memchr(p, '$', (size_t)(end - p))) != NULL) {
		if ((h = hash_len(p, end)) == 0) {
			p++;
			continue;
		}
		if ((r = buf_add(out, start, (size_t)(p - start))) ||
		    (r = buf_adds(out, REDACTED_TEXT)))
			return r;
		(*n)++;
		p += h;
		start = p;
	}
	return buf_add(out, start, (size_t)(end - start));
}
