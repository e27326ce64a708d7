/*
 * libFuzzer target: the ipset save parser, then everything that reads what it built —
 * link (sets, runs), the evaluator on an IPv4 and an IPv6 client, the rendering of evidence,
 * and the whole firewall layer with and without a client.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/diagnosis.h"
#include "firewall/answer.h"
#include "firewall/layer.h"
#include "firewall/render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Builds, asks, renders, and runs the layer with and without a client. */
static int fuzz_firewall(const struct firewall_inputs *in)
{
	static const char *const clients[] = {"192.0.2.10", "10.1.2.3", "2001:db8::1"};
	struct fw_ruleset rs;
	struct fw_question q;
	struct fw_answer a;
	struct conn_spec c;
	struct diagnosis d;
	struct buf b;
	unsigned failed;
	size_t i;

	fw_ruleset_init(&rs);
	if (firewall_build(in, &rs, &failed, NULL) == 0) {
		buf_init(&b, 1 << 20);
		for (i = 0; i < sizeof(clients) / sizeof(clients[0]); i++) {
			memset(&q, 0, sizeof(q));
			ip_addr_parse(clients[i], &q.client);
			q.port = 22;
			fw_answer(&rs, &q, &a);
			fw_render_answer(&rs, &a, &b);
			buf_reset(&b);
		}
		buf_release(&b);
	}
	fw_ruleset_release(&rs);
	for (i = 0; i < 2; i++) {
		memset(&c, 0, sizeof(c));
		c.port = 22;
		if (i == 0)
			ip_addr_parse("192.0.2.10", &c.client);
		if (diagnosis_init(&d, i == 0 ? "192.0.2.10" : NULL, 22, NULL) == 0) {
			(void)firewall_layer_evaluate(in, &c, &d);
			diagnosis_release(&d);
		}
	}
	return 0;
}

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
