/* libFuzzer target: the ELF dynamic-section reader and the version-string scan. */
#include <stddef.h>
#include <stdint.h>

#include "binfmt/elf.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elf_info e;
	char text[64];
	int major, minor;

	if (elf_parse(data, size, &e) == 0) {
		(void)elf_needs(&e, "libwrap.so");
		elf_info_release(&e);
	}
	(void)elf_openssh_version(data, size, &major, &minor, text, sizeof(text));
	return 0;
}
