/*
 * libFuzzer target: the nft -j list ruleset (JSON, read object by object) parser, then everything
 * that reads what it built — link (sets, runs), the evaluator on an IPv4 and an IPv6 client, the
 * rendering of evidence, and the whole firewall layer with and without a client.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fw_harness.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct firewall_inputs in;

	memset(&in, 0, sizeof(in));
	in.n = 1;
	in.in[0].kind = FW_IN_NFT_JSON;
	in.in[0].state = FW_INPUT_PRESENT;
	in.in[0].origin = "nft -j list ruleset";
	in.in[0].data = (const char *)data;
	in.in[0].len = size;
	return fuzz_firewall(&in);
}
