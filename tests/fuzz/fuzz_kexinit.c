/*
 * fuzz_kexinit — packet framing, SSH_MSG_KEXINIT and SSH_MSG_DISCONNECT on hostile bytes:
 * framed (as the prober sees them after the banner) and as a bare payload.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "ssh/kexinit.h"
#include "fuzz.h"

static void check_kexinit(const struct kexinit *k)
{
	size_t i, j, n;
	int l;

	for (l = 0; l < KEX_LIST_COUNT; l++) {
		ASSERT(k->lists[l].n <= KEXINIT_NAMES_MAX);
		ASSERT(k->lists[l].n == 0 || k->lists[l].names != NULL);
		for (i = 0; i < k->lists[l].n; i++) {
			const char *s = k->lists[l].names[i];
			n = strlen(s);
			ASSERT(n >= 1 && n <= KEXINIT_NAME_MAX);
			for (j = 0; j < n; j++)
				ASSERT(s[j] > 0x20 && s[j] < 0x7f && s[j] != ',');
		}
	}
	ASSERT(k->strict_kex == namelist_has(&k->lists[KEX_ALGS], "kex-strict-s-v00@openssh.com"));
	ASSERT(k->ext_info == namelist_has(&k->lists[KEX_ALGS], "ext-info-s"));
}

static void parse_payload(const uint8_t *p, size_t n)
{
	struct kexinit k;
	uint32_t reason;
	char *desc = NULL;
	size_t i;

	if (kexinit_parse(p, n, &k) == SD_OK) {
		ASSERT(n >= 1 && p[0] == SSH_MSG_KEXINIT);
		check_kexinit(&k);
		kexinit_release(&k);
	}
	if (disconnect_parse(p, n, &reason, &desc) == SD_OK) {
		ASSERT(desc != NULL && strlen(desc) <= 4096);
		for (i = 0; desc[i]; i++)
			ASSERT((unsigned char)desc[i] >= 0x20 && (unsigned char)desc[i] < 0x7f);
		free(desc);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *payload = NULL;
	size_t plen = 0, used = 0, off = 0;
	int r, packets;

	/* a stream of framed packets, as after the banner */
	for (packets = 0; packets < 16 && off < size; packets++) {
		r = ssh_packet_frame(data + off, size - off, &payload, &plen, &used);
		if (r != SD_OK)
			break;
		ASSERT(used >= 9 && used <= size - off);
		ASSERT(payload > data + off && payload + plen <= data + off + used);
		parse_payload(payload, plen);
		off += used;
	}
	/* the input as a bare payload */
	parse_payload(data, size);
	return 0;
}
