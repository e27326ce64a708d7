/*
 * libFuzzer target: the iptables-save / ip6tables-save (both back-ends) parser, then everything
 * that reads what it built — link (sets, runs), the evaluator on an IPv4 and an IPv6 client, the
 * rendering of evidence, and the whole firewall layer with and without a client.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fw_harness.h"
#include "fuzz.h"

/* A second input the rules can refer to. */
static const char companion[] = "create f2b-sshd hash:ip family inet\nadd f2b-sshd 192.0.2.10\n"
                                "create nets hash:net family inet\nadd nets 10.0.0.0/8\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct firewall_inputs in;

	memset(&in, 0, sizeof(in));
	in.n = 2;
	in.in[0].kind = size && data[0] & 1 ? FW_IN_IP6TABLES : FW_IN_IPTABLES;
	in.in[0].state = FW_INPUT_PRESENT;
	in.in[0].origin = "iptables-save";
	in.in[0].data = (const char *)data;
	in.in[0].len = size;
	in.in[1].kind = FW_IN_IPSET;
	in.in[1].state = FW_INPUT_PRESENT;
	in.in[1].origin = "ipset save";
	in.in[1].data = companion;
	in.in[1].len = sizeof(companion) - 1;
	return fuzz_firewall(&in);
}
