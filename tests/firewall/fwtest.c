#include "fwtest.h"

#include <string.h>

#include "base/err.h"
#include "firewall/ipset.h"
#include "firewall/iptables.h"
#include "firewall/nft.h"

static int add(struct fw_ruleset *rs, enum fw_input_kind kind, const char *origin, const char *text)
{
	uint32_t src;
	int r;

	if (!text)
		return SD_OK;
	if ((r = fw_ruleset_add_source(rs, kind, origin, 0, text, strlen(text), &src)) != 0)
		return r;
	if (kind == FW_IN_IPSET)
		return fw_ipset_parse(rs, src);
	if (kind == FW_IN_NFT_JSON)
		return fw_nft_parse(rs, src);
	return fw_iptables_parse(rs, src);
}

int fwt_build(struct fw_ruleset *rs, const struct fwt_inputs *in)
{
	int r;

	fw_ruleset_init(rs);
	if ((r = add(rs, FW_IN_IPTABLES, "/etc/iptables/rules.v4", in->ipt)) ||
	    (r = add(rs, FW_IN_IP6TABLES, "/etc/iptables/rules.v6", in->ip6t)) ||
	    (r = add(rs, FW_IN_IPTABLES_LEGACY, "iptables-legacy.txt", in->ipt_legacy)) ||
	    (r = add(rs, FW_IN_IPSET, "ipset.txt", in->ipset)) ||
	    (r = add(rs, FW_IN_NFT_JSON, "nft.json", in->nft)))
		return r;
	return fw_ruleset_link(rs);
}

void fwt_ask(const struct fw_ruleset *rs, const char *client, const char *server, unsigned port,
             const char *iif, struct fw_answer *out)
{
	struct fw_question q;

	memset(&q, 0, sizeof(q));
	ip_addr_parse(client, &q.client);
	if (server)
		ip_addr_parse(server, &q.server);
	q.port = port;
	q.iif = iif;
	fw_answer(rs, &q, out);
}

void fwt_layer_inputs(const struct fwt_inputs *in, int live, struct firewall_inputs *out)
{
	const struct {
		const char *text;
		enum fw_input_kind kind;
		const char *origin;
	} all[] = {{in->ipt, FW_IN_IPTABLES, "iptables-save"},
	           {in->ip6t, FW_IN_IP6TABLES, "ip6tables-save"},
	           {in->ipt_legacy, FW_IN_IPTABLES_LEGACY, "iptables-legacy-save"},
	           {in->ipset, FW_IN_IPSET, "ipset save"},
	           {in->nft, FW_IN_NFT_JSON, "nft -j list ruleset"}};
	size_t i;

	memset(out, 0, sizeof(*out));
	out->live = live;
	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		if (!all[i].text)
			continue;
		out->in[out->n].kind = all[i].kind;
		out->in[out->n].state = FW_INPUT_PRESENT;
		out->in[out->n].origin = all[i].origin;
		out->in[out->n].data = all[i].text;
		out->in[out->n].len = strlen(all[i].text);
		out->n++;
	}
}

int fwt_layer(const struct firewall_inputs *in, const char *client, struct diagnosis *d)
{
	struct conn_spec c;
	int r;

	memset(&c, 0, sizeof(c));
	if (client) {
		ip_addr_parse(client, &c.client);
		ip_addr_parse(c.client.family == 6 ? "2001:db8::1" : "192.0.2.1", &c.server);
	}
	c.port = 22;
	if ((r = diagnosis_init(d, client, 22, NULL)) != 0)
		return r;
	return firewall_layer_evaluate(in, &c, d);
}

const struct finding *fwt_first(const struct diagnosis *d)
{
	size_t i;

	for (i = 0; i < d->nfindings; i++)
		if (d->findings[i]->layer == LAYER_FIREWALL)
			return d->findings[i];
	return NULL;
}

int fwt_has(const struct finding *f, const char *needle, int fix)
{
	size_t i;

	if (!f)
		return 0;
	if (fix) {
		for (i = 0; i < f->nfix; i++)
			if (strstr(f->fix[i], needle))
				return 1;
		return 0;
	}
	for (i = 0; i < f->nevidence; i++)
		if (strstr(f->evidence[i].text, needle) || strstr(f->evidence[i].source, needle))
			return 1;
	return 0;
}
