/*
 * fw_harness.h — what the firewall fuzz targets share: given the inputs one parser built from
 * the fuzzer's bytes, link them, ask about an IPv4 and an IPv6 client, render the evidence,
 * and run the whole firewall layer with and without a client.  Included by fuzz_iptables.c,
 * fuzz_ipset.c and fuzz_nftjson.c (each a program of its own).
 */
#ifndef SSHDIAG_TESTS_FUZZ_FW_HARNESS_H
#define SSHDIAG_TESTS_FUZZ_FW_HARNESS_H

#include <string.h>

#include "core/diagnosis.h"
#include "firewall/answer.h"
#include "firewall/layer.h"
#include "firewall/render.h"

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

#endif
