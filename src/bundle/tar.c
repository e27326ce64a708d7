#include "bundle/tar.h"

#include <stdio.h>
#include <string.h>

#include "base/err.h"

#define NAME_MAX_LEN 4096u

/* An octal field of `len` bytes: digits, then a NUL. */
static void octal(char *field, size_t len, uint64_t v)
{
	size_t i = len - 1;

	field[i] = '\0';
	while (i-- > 0) {
		field[i] = (char)('0' + (v & 7));
		v >>= 3;
	}
}

static void checksum(uint8_t *h)
{
	unsigned sum = 0, i;

	memset(h + 148, ' ', 8);
	for (i = 0; i < TAR_BLOCK; i++)
		sum += h[i];
	octal((char *)h + 148, 7, sum);
	h[155] = ' ';
}

/* Splits `name` into ustar's prefix (≤155) and name (≤100) at a '/'; 0 when it fits. */
static int split(const char *name, size_t *cut)
{
	size_t n = strlen(name), i;

	if (n <= 100) {
		*cut = 0;
		return 0;
	}
	for (i = n - 1; i > 0; i--)
		if (name[i] == '/' && i <= 155 && n - i - 1 <= 100 && n - i - 1 > 0) {
			*cut = i;
			return 0;
		}
	return -1;
}

static int block(struct buf *out, const struct tar_member *m, const char *name, char type,
                 uint64_t size, const char *link)
{
	uint8_t h[TAR_BLOCK];
	size_t cut = 0;

	memset(h, 0, sizeof(h));
	if (split(name, &cut) == 0 && cut) {
		memcpy(h + 345, name, cut);
		memcpy(h, name + cut + 1, strlen(name) - cut - 1);
	} else {
		memcpy(h, name, strlen(name) < 100 ? strlen(name) : 100);
	}
	octal((char *)h + 100, 8, m->mode & 07777);
	octal((char *)h + 108, 8, m->uid <= 07777777 ? m->uid : 0);
	octal((char *)h + 116, 8, m->gid <= 07777777 ? m->gid : 0);
	octal((char *)h + 124, 12, size);
	octal((char *)h + 136, 12, m->mtime > 0 ? (uint64_t)m->mtime : 0);
	h[156] = (uint8_t)type;
	if (link)
		memcpy(h + 157, link, strlen(link) < 100 ? strlen(link) : 100);
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	checksum(h);
	return buf_add(out, h, sizeof(h));
}

/* One pax record "LEN KEY=VALUE\n", LEN counting itself. */
static int pax_record(struct buf *rec, const char *key, const char *value)
{
	size_t body = 1 + strlen(key) + 1 + strlen(value) + 1, len = body, digits;

	for (;;) {
		char tmp[24];

		digits = (size_t)snprintf(tmp, sizeof(tmp), "%zu", len);
		if (body + digits == len)
			break;
		len = body + digits;
	}
	return buf_addf(rec, "%zu %s=%s\n", len, key, value);
}

int tar_header(struct buf *out, const struct tar_member *m)
{
	size_t cut, nl = m->name ? strlen(m->name) : 0;
	const char *link = m->type == TAR_SYMLINK ? m->linkname : NULL;
	int long_name, long_link, r = SD_OK;
	uint64_t size = m->type == TAR_FILE ? m->size : 0;

	if (nl == 0)
		return SD_ERR_INVALID;
	if (nl > NAME_MAX_LEN || (link && strlen(link) > NAME_MAX_LEN) || size >= (1ull << 33))
		return SD_ERR_TOO_LONG;
	long_name = split(m->name, &cut) != 0;
	long_link = link && strlen(link) > 100;
	if (long_name || long_link) {
		struct buf rec;
		uint8_t zero[TAR_BLOCK] = {0};

		buf_init(&rec, 3 * NAME_MAX_LEN);
		if ((long_name && (r = pax_record(&rec, "path", m->name))) ||
		    (long_link && (r = pax_record(&rec, "linkpath", link))) ||
		    (r = block(out, m, "././@PaxHeader", 'x', rec.len, NULL)) ||
		    (r = buf_add(out, rec.data, rec.len)) ||
		    (r = buf_add(out, zero, tar_padding(rec.len)))) {
			buf_release(&rec);
			return r;
		}
		buf_release(&rec);
	}
	return block(out, m, m->name, (char)m->type, size, link);
}

size_t tar_padding(uint64_t size)
{
	return (size_t)((TAR_BLOCK - size % TAR_BLOCK) % TAR_BLOCK);
}
