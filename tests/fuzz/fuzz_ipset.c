/*
 * libFuzzer target: the ipset save parser, then everything that reads what it built —
 * link (sets, runs), the evaluator on an IPv4 and an IPv6 client, the rendering of evidence,
 * and the whole firewall layer with and without a client.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fw_harness.h"
#include "fuzz.h"

/* Rules that test the sets the input may create. */
static const char companion[] = "*filter\n:INPUT DROP [0:0]\n"
                                "-A INPUT -m set --match-set f2b-sshd src -j REJECT\n"
                                "-A INPUT -m set ! --match-set nets src,dst -j DROP\n"
                                "-A INPUT -m set --match-set l src -j DROP\n"
                                "-A INPUT -m set --match-set p dst -j ACCEPT\nCOMMIT\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct firewall_inputs in;

	memset(&in, 0, sizeof(in));
	in.n = 2;
	in.in[0].kind = FW_IN_IPSET;
	in.in[0].state = FW_INPUT_PRESENT;
	in.in[0].origin = "ipset save";
	in.in[0].data = (const char *)data;
	in.in[0].len = size;
	in.in[1].kind = FW_IN_IPTABLES;
	in.in[1].state = FW_INPUT_PRESENT;
	in.in[1].origin = "iptables-save";
	in.in[1].data = companion;
	in.in[1].len = sizeof(companion) - 1;
	return fuzz_firewall(&in);
}
