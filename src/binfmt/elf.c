#include "binfmt/elf.h"

#include <stdlib.h>
#include <string.h>

#include "base/err.h"

#define PT_LOAD    1
#define PT_DYNAMIC 2
#define DT_NULL    0
#define DT_NEEDED  1
#define DT_STRTAB  5
#define DT_STRSZ   10
#define DYN_MAX    4096 /* dynamic entries read at most */

struct elf_reader {
	const uint8_t *p;
	size_t len;
	int le;
	int bits;
};

/* Reads an unsigned integer of `n` bytes at `off`; 0 on success. */
static int rd(const struct elf_reader *r, uint64_t off, unsigned n, uint64_t *out)
{
	uint64_t v = 0;
	unsigned i;

	if (off > r->len || n > r->len - off)
		return -1;
	for (i = 0; i < n; i++) {
		unsigned shift = r->le ? 8 * i : 8 * (n - 1 - i);
		v |= (uint64_t)r->p[off + i] << shift;
	}
	*out = v;
	return 0;
}

static unsigned word(const struct elf_reader *r)
{
	return r->bits == 64 ? 8 : 4;
}

void elf_info_release(struct elf_info *e)
{
	size_t i;

	for (i = 0; i < e->nneeded; i++)
		free(e->needed[i]);
	memset(e, 0, sizeof(*e));
}

struct segment {
	uint64_t type, offset, vaddr, filesz;
};

static int read_phdr(const struct elf_reader *r, uint64_t off, struct segment *s)
{
	if (r->bits == 64)
		return rd(r, off, 4, &s->type) || rd(r, off + 8, 8, &s->offset) ||
		       rd(r, off + 16, 8, &s->vaddr) || rd(r, off + 32, 8, &s->filesz);
	return rd(r, off, 4, &s->type) || rd(r, off + 4, 4, &s->offset) ||
	       rd(r, off + 8, 4, &s->vaddr) || rd(r, off + 16, 4, &s->filesz);
}

int elf_parse(const uint8_t *data, size_t len, struct elf_info *out)
{
	struct elf_reader r = {data, len, 1, 64};
	struct segment loads[64], dyn = {0, 0, 0, 0}, s;
	uint64_t phoff, phentsize, phnum, tag, val, strtab = 0, strsz = 0, stroff = 0, i;
	uint64_t needed_off[ELF_NEEDED_MAX];
	size_t nloads = 0, nneeded = 0, k;
	int have_dyn = 0, have_strtab = 0;

	memset(out, 0, sizeof(*out));
	if (len < 16 || memcmp(data, "\177ELF", 4) != 0)
		return SD_OK;
	if ((data[4] != 1 && data[4] != 2) || (data[5] != 1 && data[5] != 2))
		return SD_ERR_INVALID;
	r.bits = data[4] == 2 ? 64 : 32;
	r.le = data[5] == 1;
	out->is_elf = 1;
	out->bits = r.bits;
	if (r.bits == 64) {
		if (rd(&r, 32, 8, &phoff) || rd(&r, 54, 2, &phentsize) || rd(&r, 56, 2, &phnum))
			return SD_ERR_INVALID;
	} else if (rd(&r, 28, 4, &phoff) || rd(&r, 42, 2, &phentsize) || rd(&r, 44, 2, &phnum)) {
		return SD_ERR_INVALID;
	}
	if (phentsize < (r.bits == 64 ? 56u : 32u))
		return SD_ERR_INVALID;
	for (i = 0; i < phnum; i++) {
		if (read_phdr(&r, phoff + i * phentsize, &s) != 0)
			return SD_ERR_INVALID;
		if (s.type == PT_LOAD && nloads < sizeof(loads) / sizeof(loads[0]))
			loads[nloads++] = s;
		else if (s.type == PT_DYNAMIC && !have_dyn) {
			dyn = s;
			have_dyn = 1;
		}
	}
	if (!have_dyn)
		return SD_OK; /* statically linked: no NEEDED */
	for (i = 0; i < DYN_MAX && (i + 1) * 2 * word(&r) <= dyn.filesz; i++) {
		uint64_t off = dyn.offset + i * 2 * word(&r);
		if (rd(&r, off, word(&r), &tag) || rd(&r, off + word(&r), word(&r), &val))
			return SD_ERR_INVALID;
		if (tag == DT_NULL)
			break;
		if (tag == DT_NEEDED && nneeded < ELF_NEEDED_MAX)
			needed_off[nneeded++] = val;
		else if (tag == DT_STRTAB) {
			strtab = val;
			have_strtab = 1;
		} else if (tag == DT_STRSZ)
			strsz = val;
	}
	if (!have_strtab)
		return nneeded ? SD_ERR_INVALID : SD_OK;
	/* DT_STRTAB is an address: find the loaded segment holding it */
	for (k = 0; k < nloads; k++)
		if (strtab >= loads[k].vaddr && strtab - loads[k].vaddr < loads[k].filesz) {
			stroff = strtab - loads[k].vaddr + loads[k].offset;
			break;
		}
	if (k == nloads || stroff > len)
		return SD_ERR_INVALID;
	if (strsz == 0 || strsz > len - stroff)
		strsz = len - stroff;
	for (k = 0; k < nneeded; k++) {
		const char *name;
		size_t n;
		if (needed_off[k] >= strsz)
			continue;
		name = (const char *)data + stroff + needed_off[k];
		n = strnlen(name, strsz - needed_off[k]);
		if (n == strsz - needed_off[k] || n == 0)
			continue; /* not terminated inside the table */
		if ((out->needed[out->nneeded] = strndup(name, n)) == NULL) {
			elf_info_release(out);
			return SD_ERR_ALLOC;
		}
		out->nneeded++;
	}
	return SD_OK;
}

int elf_needs(const struct elf_info *e, const char *prefix)
{
	size_t i, n = strlen(prefix);

	for (i = 0; i < e->nneeded; i++)
		if (strncmp(e->needed[i], prefix, n) == 0)
			return 1;
	return 0;
}

int elf_openssh_version(const uint8_t *data, size_t len, int *major, int *minor, char *text,
                        size_t textlen)
{
	static const char tag[] = "OpenSSH_";
	const uint8_t *p = data, *end = data + len, *q;
	size_t i;

	while (len >= sizeof(tag) &&
	       (p = memmem(p, (size_t)(end - p), tag, sizeof(tag) - 1)) != NULL) {
		int ma = 0, mi = 0, digits = 0;
		q = p + sizeof(tag) - 1;
		while (q < end && *q >= '0' && *q <= '9' && digits < 3) {
			ma = ma * 10 + (*q++ - '0');
			digits++;
		}
		if (digits && q < end && *q == '.') {
			q++;
			digits = 0;
			while (q < end && *q >= '0' && *q <= '9' && digits < 3) {
				mi = mi * 10 + (*q++ - '0');
				digits++;
			}
			if (digits && q < end && *q == 'p') {
				*major = ma;
				*minor = mi;
				for (i = 0; p + i < end && i + 1 < textlen && p[i] > 0x20 &&
				            p[i] < 0x7f && p[i] != ',';
				     i++)
					text[i] = (char)p[i];
				text[i] = '\0';
				return 1;
			}
		}
		p += sizeof(tag) - 1;
	}
	return 0;
}
