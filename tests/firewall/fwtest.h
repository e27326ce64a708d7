/*
 * fwtest.h — helpers shared by the firewall unit tests: build a linked ruleset from literal
 * inputs, ask a question, run the whole layer.
 */
#ifndef SSHDIAG_TESTS_FIREWALL_FWTEST_H
#define SSHDIAG_TESTS_FIREWALL_FWTEST_H

#include "core/diagnosis.h"
#include "firewall/answer.h"
#include "firewall/layer.h"
#include "firewall/ruleset.h"

/* Inputs by kind (NULL: absent), parsed and linked into rs; live=0 (file lines). */
struct fwt_inputs {
	const char *ipt, *ip6t, *ipt_legacy, *ipset, *nft;
};

/* SD_OK or the first parse error.  rs is initialised here; release it with
 * fw_ruleset_release(). */
int fwt_build(struct fw_ruleset *rs, const struct fwt_inputs *in);
/* The answer for client → server:port arriving on iif (NULL: unknown). */
void fwt_ask(const struct fw_ruleset *rs, const char *client, const char *server, unsigned port,
             const char *iif, struct fw_answer *out);
/* Fills a firewall_inputs from fwt_inputs (origins "iptables-save" etc.). */
void fwt_layer_inputs(const struct fwt_inputs *in, int live, struct firewall_inputs *out);
/* Runs the layer for client (NULL: none) on port 22, server 192.0.2.1 / 2001:db8::1. */
int fwt_layer(const struct firewall_inputs *in, const char *client, struct diagnosis *d);
/* The first finding of the firewall layer, or NULL. */
const struct finding *fwt_first(const struct diagnosis *d);
/* 1 if some evidence (or fix, when fix=1) of f contains `needle`. */
int fwt_has(const struct finding *f, const char *needle, int fix);

#endif
