#include <string.h>

#include "base/err.h"
#include "binfmt/elf.h"
#include "t.h"
#include "tests.h"

/* A minimal little-endian ELF64 with one PT_LOAD, one PT_DYNAMIC and two DT_NEEDED. */
static size_t make_elf64(uint8_t *b, size_t cap)
{
	const char strtab[] = "\0libwrap.so.0\0libc.so.6\0";
	size_t off_ph = 64, off_dyn = 64 + 2 * 56, off_str = off_dyn + 6 * 16, end;
	uint64_t dyn[12] = {1, 1, 1, 14, 5, 0x400000 + off_str, 10, sizeof(strtab), 0, 0, 0, 0};
	int i;

	memset(b, 0, cap);
	memcpy(b, "\177ELF\2\1\1", 7);
	b[32] = (uint8_t)off_ph; /* e_phoff */
	b[54] = 56;              /* e_phentsize */
	b[56] = 2;               /* e_phnum */
	end = off_str + sizeof(strtab);
	/* PT_LOAD: offset 0, vaddr 0x400000, filesz end */
	b[off_ph] = 1;
	b[off_ph + 16 + 2] = 0x40;
	b[off_ph + 32] = (uint8_t)(end & 0xff);
	b[off_ph + 33] = (uint8_t)(end >> 8);
	/* PT_DYNAMIC */
	b[off_ph + 56] = 2;
	b[off_ph + 56 + 8] = (uint8_t)off_dyn;
	b[off_ph + 56 + 32] = 6 * 16;
	for (i = 0; i < 12; i++) {
		uint64_t v = dyn[i];
		int k;
		for (k = 0; k < 8; k++)
			b[off_dyn + (size_t)i * 8 + (size_t)k] = (uint8_t)(v >> (8 * k));
	}
	memcpy(b + off_str, strtab, sizeof(strtab));
	return end;
}

void test_elf_needed(void)
{
	uint8_t b[512];
	size_t n = make_elf64(b, sizeof(b));
	struct elf_info e;

	CHECK_EQ_INT(elf_parse(b, n, &e), SD_OK);
	CHECK_EQ_INT(e.is_elf, 1);
	CHECK_EQ_INT(e.bits, 64);
	CHECK_EQ_INT((int)e.nneeded, 2);
	if (e.nneeded == 2) {
		CHECK_STREQ(e.needed[0], "libwrap.so.0");
		CHECK_STREQ(e.needed[1], "libc.so.6");
	}
	CHECK(elf_needs(&e, "libwrap.so"));
	CHECK(!elf_needs(&e, "libssl"));
	elf_info_release(&e);
}

void test_elf_truncated_never_reads_past_end(void)
{
	uint8_t b[512];
	size_t n = make_elf64(b, sizeof(b)), cut;
	struct elf_info e;
	int r;

	for (cut = 0; cut < n; cut++) {
		r = elf_parse(b, cut, &e);
		CHECK(r == SD_OK || r == SD_ERR_INVALID);
		if (r == SD_OK)
			elf_info_release(&e);
	}
}

void test_elf_not_elf(void)
{
	struct elf_info e;

	CHECK_EQ_INT(elf_parse((const uint8_t *)"#!/bin/sh\n", 10, &e), SD_OK);
	CHECK_EQ_INT(e.is_elf, 0);
	CHECK_EQ_INT((int)e.nneeded, 0);
}

void test_elf_openssh_version(void)
{
	const char s[] = "junk OpenSSH_ OpenSSH_x OpenSSH_10.0p2 Debian";
	char text[32];
	int ma = 0, mi = 0;

	CHECK(elf_openssh_version((const uint8_t *)s, sizeof(s), &ma, &mi, text, sizeof(text)));
	CHECK_EQ_INT(ma, 10);
	CHECK_EQ_INT(mi, 0);
	CHECK_STREQ(text, "OpenSSH_10.0p2");
	CHECK(
	    !elf_openssh_version((const uint8_t *)"OpenSSH_9.", 10, &ma, &mi, text, sizeof(text)));
}
