/*
 * elf.h — what sshdiag needs to know about a program file, read from its bytes (pure):
 * the shared libraries it links (DT_NEEDED, as `ldd` would start from, without running the
 * loader — so it works on a copied tree under --root), and the OpenSSH version string it
 * carries.  Every offset and size from the file is checked against the buffer.
 */
#ifndef SSHDIAG_BINFMT_ELF_H
#define SSHDIAG_BINFMT_ELF_H

#include <stddef.h>
#include <stdint.h>

#define ELF_NEEDED_MAX 256 /* DT_NEEDED entries kept */

struct elf_info {
	int is_elf;
	int bits; /* 32 or 64 */
	char *needed[ELF_NEEDED_MAX];
	size_t nneeded;
};

/*
 * Parses the dynamic section of an ELF file held in memory.  SD_OK (is_elf = 0 for a file
 * that is not ELF), SD_ERR_INVALID for an ELF file whose headers point outside the buffer,
 * SD_ERR_ALLOC.
 */
int elf_parse(const uint8_t *data, size_t len, struct elf_info *out);
void elf_info_release(struct elf_info *e);

/* 1 if a DT_NEEDED entry starts with `prefix` (e.g. "libwrap.so"). */
int elf_needs(const struct elf_info *e, const char *prefix);

/*
 * Finds "OpenSSH_<major>.<minor>p<n>" in the bytes (the version string compiled into sshd).
 * 1 and the version on success; `text` (at least 32 bytes) gets e.g. "OpenSSH_9.2p1".
 */
int elf_openssh_version(const uint8_t *data, size_t len, int *major, int *minor, char *text,
                        size_t textlen);

#endif
