/* fuzz_sshcfg — `ssh -G` output (probe/sshcfg.h), its ProxyJump first hop, its algorithm lists. */
#include <stdint.h>
#include <string.h>

#include "base/err.h"
#include "probe/algos.h"
#include "probe/sshcfg.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ssh_client_config c;
	struct client_algos a;
	struct ssh_jump j;
	int r;

	r = ssh_config_parse((const char *)data, size, &c);
	ASSERT(r == SD_OK || r == SD_ERR_INVALID || r == SD_ERR_TOO_LONG || r == SD_ERR_ALLOC);
	if (r == SD_OK) {
		ASSERT(c.hostname && c.hostname[0]);
		ASSERT(c.port <= 65535);
		ASSERT(c.family == 0 || c.family == 4 || c.family == 6);
		ASSERT(strlen(c.hostname) <= 4 * SSHCFG_MAX_VALUE);
		if (c.proxy_jump && ssh_jump_first(c.proxy_jump, &j) == SD_OK) {
			ASSERT(j.host && j.host[0] && j.port <= 65535);
			ssh_jump_release(&j);
		}
		ssh_config_release(&c);
	}
	if (client_algos_from_ssh_g((const char *)data, size, &a) == SD_OK)
		client_algos_release(&a);
	return 0;
}
