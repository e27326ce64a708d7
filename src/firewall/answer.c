#include "firewall/answer.h"

#include <string.h>

#include "firewall/val.h"

/* The packet going the other way: server → client. */
static void reverse(const struct fw_packet *in, struct fw_packet *out)
{
	*out = *in;
	out->src = in->dst;
	out->dst = in->src;
	out->src_known = in->dst_known;
	out->dst_known = in->src_known;
	out->sport = in->dport;
	out->dport = in->sport;
	out->ctdir = 2;
	strcpy(out->iif, in->oif);
	strcpy(out->oif, in->iif);
	out->srctype = in->dsttype;
	out->dsttype = in->srctype;
}

void fw_question_packets(const struct fw_question *q, struct fw_packet out[FW_PKT__COUNT])
{
	struct fw_packet *syn = &out[FW_PKT_SYN];
	int dst_known = q->server.family == q->client.family, v6 = q->client.family == 6;
	unsigned cport = q->client_port ? q->client_port : FW_CLIENT_PORT;

	memset(out, 0, FW_PKT__COUNT * sizeof(*out));
	syn->family = (uint8_t)q->client.family;
	syn->proto = 6;
	syn->tcpflags = FW_TCP_SYN;
	syn->ctstate = FW_CT_NEW;
	syn->ctdir = 1;
	syn->src_known = 1;
	syn->dst_known = (uint8_t)dst_known;
	syn->src = fw_val_from_addr(&q->client);
	if (dst_known)
		syn->dst = fw_val_from_addr(&q->server);
	syn->sport = (uint16_t)cport;
	syn->dport = (uint16_t)q->port;
	if (q->iif && strlen(q->iif) < sizeof(syn->iif))
		strcpy(q->local ? syn->oif : syn->iif, q->iif);
	syn->srctype = q->local ? FW_AT_LOCAL : FW_AT_UNICAST;
	syn->dsttype = q->local ? FW_AT_UNICAST : FW_AT_LOCAL;
	syn->len = v6 ? 80 : 60;
	if (q->iif_addr.family == q->client.family) {
		syn->iif_primary = fw_val_from_addr(&q->iif_addr);
		syn->iif_primary_known = 1;
	}

	out[FW_PKT_ACK] = *syn;
	out[FW_PKT_ACK].tcpflags = FW_TCP_ACK;
	out[FW_PKT_ACK].ctstate = FW_CT_ESTABLISHED;
	out[FW_PKT_ACK].len = v6 ? 72 : 52;

	out[FW_PKT_DATA] = out[FW_PKT_ACK];
	out[FW_PKT_DATA].tcpflags = FW_TCP_ACK | FW_TCP_PSH;
	out[FW_PKT_DATA].len = v6 ? 112 : 92;

	reverse(syn, &out[FW_PKT_SYNACK]);
	out[FW_PKT_SYNACK].tcpflags = FW_TCP_SYN | FW_TCP_ACK;
	out[FW_PKT_SYNACK].ctstate = FW_CT_ESTABLISHED;

	reverse(&out[FW_PKT_DATA], &out[FW_PKT_BANNER]);
	out[FW_PKT_BANNER].ctdir = 2;
	fw_reply_packet(syn, FW_RJ_PORT_UNREACH, &out[FW_PKT_REPLY]);
	out[FW_PKT_RESYN] = *syn;
	out[FW_PKT_RESYN].ctstate = FW_CT_ESTABLISHED;
}

static int reply_lost(const struct fw_ruleset *rs, const struct fw_packet *to,
                      const struct fw_decision *d, const struct fw_assume *as,
                      struct fw_answer *out);

/* What conntrack's NAT mapping does to the connection's later packets. */
static void apply_nat(const struct fw_decision *syn, struct fw_packet pk[FW_PKT__COUNT])
{
	static const enum fw_pkt in[] = {FW_PKT_ACK, FW_PKT_DATA, FW_PKT_RESYN};
	static const enum fw_pkt out[] = {FW_PKT_SYNACK, FW_PKT_BANNER};
	size_t i;

	if (!syn->redirected)
		return;
	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		pk[in[i]].dst = syn->nat_dst;
		pk[in[i]].dst_known = syn->nat_dst_known;
		pk[in[i]].dport = syn->nat_dport;
	}
	for (i = 0; i < sizeof(out) / sizeof(out[0]); i++) {
		pk[out[i]].src = syn->nat_dst;
		pk[out[i]].src_known = syn->nat_dst_known;
		pk[out[i]].sport = syn->nat_dport;
	}
}

/*
 * The SYN-ACK was dropped: if conntrack (output, priority -200) saw it first, the client's
 * retried SYN is "established" and may be rejected.  Returns what the client sees.
 */
static enum fw_sees retried_syn(const struct fw_ruleset *rs, const struct fw_question *q,
                                struct fw_packet *pk, const struct fw_assume *as,
                                struct fw_answer *out)
{
	const struct fw_frame *f = fw_decisive(&out->pkt[FW_PKT_SYNACK]);
	const struct fw_decision *d = &out->pkt[FW_PKT_RESYN];
	const struct fw_chain *c;

	if (!f)
		return FW_SEES_TIMEOUT;
	c = &rs->chains[f->chain];
	if (c->hook == FW_HOOK_OUTPUT && c->prio < -200)
		return FW_SEES_TIMEOUT; /* dropped before conntrack: the retry is new again */
	fw_eval(rs, &pk[FW_PKT_RESYN], FW_DIR_IN, as, &out->pkt[FW_PKT_RESYN]);
	out->evaluated[FW_PKT_RESYN] = 1;
	if (d->outcome != FW_OUT_REJECT || reply_lost(rs, &pk[FW_PKT_RESYN], d, as, out))
		return FW_SEES_TIMEOUT;
	return d->reject == FW_RJ_TCP_RESET
	           ? FW_SEES_REFUSED
	           : fw_reject_sees((enum fw_reject)d->reject, q->client.family);
}

/*
 * nf_send_reset()/nf_send_unreach() attach the rejected packet's conntrack to the reply
 * as "related, reply direction" (nf_ct_attach()), and send it through output: measured.
 */
void fw_reply_packet(const struct fw_packet *to, enum fw_reject rj, struct fw_packet *out)
{
	reverse(to, out);
	out->ctstate = FW_CT_RELATED;
	out->ct_attached = 1;
	if (rj == FW_RJ_TCP_RESET) {
		out->proto = 6;
		/* a RST answering a segment without ACK acknowledges it */
		out->tcpflags = (to->tcpflags & FW_TCP_ACK) ? FW_TCP_RST : FW_TCP_RST | FW_TCP_ACK;
		out->len = to->family == 6 ? 60 : 40;
	} else {
		/* IP header, ICMP header, then the offending packet (whole, for ours) */
		out->proto = to->family == 6 ? 58 : 1;
		out->tcpflags = 0;
		out->sport = out->dport = 0;
		out->len = (uint16_t)((to->family == 6 ? 48 : 28) + to->len);
	}
}

enum fw_sees fw_reject_sees(enum fw_reject rj, int family)
{
	switch (rj) {
	case FW_RJ_DEFAULT:
	case FW_RJ_TCP_RESET:
	case FW_RJ_PORT_UNREACH:
	case FW_RJ6_PORT_UNREACH:
	case FW_RJX_PORT_UNREACH:
		return FW_SEES_REFUSED;
	case FW_RJ_NET_UNREACH:
	case FW_RJ_NET_PROHIB:
	case FW_RJ6_NO_ROUTE:
	case FW_RJX_NO_ROUTE:
		return FW_SEES_NET_UNREACH;
	case FW_RJ_HOST_UNREACH:
	case FW_RJ_HOST_PROHIB:
	case FW_RJ_ADMIN_PROHIB:
	case FW_RJ6_ADDR_UNREACH:
	case FW_RJX_HOST_UNREACH:
		return FW_SEES_NO_ROUTE;
	case FW_RJ_PROTO_UNREACH:
		return FW_SEES_PROTO;
	case FW_RJ6_ADM_PROHIB:
	case FW_RJ6_POLICY_FAIL:
	case FW_RJ6_REJECT_ROUTE:
		return FW_SEES_PERM;
	case FW_RJX_ADMIN_PROHIB:
		return family == 6 ? FW_SEES_PERM : FW_SEES_NO_ROUTE;
	default:
		return FW_SEES_REFUSED;
	}
}

static const char *const sees_text[FW_SEES__COUNT] = {
    "connects",
    "Connection refused",
    "Connection timed out",
    "No route to host",
    "Network is unreachable",
    "Protocol not available",
    "Permission denied",
    "Connection reset by peer",
    "timed out (connected, then nothing: ConnectTimeout or TCP gives up)",
};

static const char *const sees_name[FW_SEES__COUNT] = {
    "connects", "refused", "timeout", "no_route", "net_unreach", "proto", "perm", "reset", "hang",
};

const char *fw_sees_text(enum fw_sees s)
{
	return (unsigned)s < FW_SEES__COUNT ? sees_text[s] : "?";
}

const char *fw_sees_name(enum fw_sees s)
{
	return (unsigned)s < FW_SEES__COUNT ? sees_name[s] : "?";
}

const char *fw_reject_name(enum fw_reject rj)
{
	static const char *const names[FW_RJ__COUNT] = {
	    "reject",
	    "tcp-reset",
	    "icmp-net-unreachable",
	    "icmp-host-unreachable",
	    "icmp-proto-unreachable",
	    "icmp-port-unreachable",
	    "icmp-net-prohibited",
	    "icmp-host-prohibited",
	    "icmp-admin-prohibited",
	    "icmp6-no-route",
	    "icmp6-adm-prohibited",
	    "icmp6-addr-unreachable",
	    "icmp6-port-unreachable",
	    "icmp6-policy-fail",
	    "icmp6-reject-route",
	    "icmpx port-unreachable",
	    "icmpx admin-prohibited",
	    "icmpx no-route",
	    "icmpx host-unreachable",
	};

	return (unsigned)rj < FW_RJ__COUNT ? names[rj] : "?";
}

const char *fw_tern_text(enum fw_tern t)
{
	switch (t) {
	case FW_TERN_RATE:
		return "depends on rate";
	case FW_TERN_STATE:
		return "depends on earlier packets";
	case FW_TERN_UNMODELLED:
		return "unmodelled match";
	case FW_TERN_CONTEXT:
		return "depends on the interface or server address";
	case FW_TERN_SET:
		return "set contents unknown";
	case FW_TERN_TARGET:
		return "unmodelled target";
	case FW_TERN_ORDER:
		return "order of equal-priority chains undefined";
	case FW_TERN_BUDGET:
		return "evaluation limit reached";
	default:
		return "";
	}
}

/* A REJECT sends something back; output may still drop it. */
static int reply_lost(const struct fw_ruleset *rs, const struct fw_packet *to,
                      const struct fw_decision *d, const struct fw_assume *as,
                      struct fw_answer *out)
{
	struct fw_packet reply;

	fw_reply_packet(to, (enum fw_reject)d->reject, &reply);
	fw_eval(rs, &reply, FW_DIR_OUT, as, &out->pkt[FW_PKT_REPLY]);
	out->evaluated[FW_PKT_REPLY] = 1;
	out->reply_lost = out->pkt[FW_PKT_REPLY].outcome != FW_OUT_ACCEPT;
	return out->reply_lost;
}

/*
 * The client's own host: its packets leave through output, the server's come in through
 * input.  A local reject reaches the socket at once (its reply never crosses a wire); a
 * dropped SYN or SYN-ACK leaves connect() waiting; anything dropped later leaves ssh waiting
 * for the banner.
 */
static void local_assume(const struct fw_ruleset *rs, struct fw_packet pk[FW_PKT__COUNT],
                         int family, const struct fw_assume *as, struct fw_answer *out)
{
	static const enum fw_dir dir[FW_PKT_REPLY] = {FW_DIR_OUT, FW_DIR_IN, FW_DIR_OUT, FW_DIR_OUT,
	                                              FW_DIR_IN};
	const struct fw_decision *d;
	unsigned i;

	for (i = 0; i < FW_PKT_REPLY; i++) {
		fw_eval(rs, &pk[i], dir[i], as, &out->pkt[i]);
		out->evaluated[i] = 1;
		d = &out->pkt[i];
		if (d->outcome == FW_OUT_ACCEPT || (i == FW_PKT_ACK && d->outcome == FW_OUT_DROP))
			continue; /* a lost pure ACK does no harm (see below) */
		out->blocked = (uint8_t)i;
		if (dir[i] == FW_DIR_IN || d->outcome == FW_OUT_DROP)
			out->sees = i <= FW_PKT_SYNACK ? FW_SEES_TIMEOUT : FW_SEES_HANG;
		else if (d->reject == FW_RJ_TCP_RESET)
			out->sees = i == FW_PKT_SYN ? FW_SEES_REFUSED : FW_SEES_RESET;
		else
			out->sees = fw_reject_sees((enum fw_reject)d->reject, family);
		break;
	}
}

void fw_answer_assume(const struct fw_ruleset *rs, const struct fw_question *q,
                      const struct fw_assume *as, struct fw_answer *out)
{
	/* in time order; the client sends its version string before the server's arrives */
	static const enum fw_dir dir[FW_PKT_REPLY] = {FW_DIR_IN, FW_DIR_OUT, FW_DIR_IN, FW_DIR_IN,
	                                              FW_DIR_OUT};
	struct fw_packet pk[FW_PKT__COUNT];
	const struct fw_decision *d;
	unsigned i;

	memset(out, 0, sizeof(*out));
	out->blocked = FW_PKT__COUNT;
	out->sees = FW_SEES_CONNECTS;
	fw_question_packets(q, pk);
	if (q->local) {
		local_assume(rs, pk, q->client.family, as, out);
		return;
	}
	for (i = 0; i < FW_PKT_REPLY; i++) {
		fw_eval(rs, &pk[i], dir[i], as, &out->pkt[i]);
		out->evaluated[i] = 1;
		d = &out->pkt[i];
		if (i == FW_PKT_SYN && d->outcome == FW_OUT_ACCEPT)
			apply_nat(d, pk);
		if (d->outcome == FW_OUT_ACCEPT)
			continue;
		/*
		 * A pure ACK that vanishes does no harm: ssh sends its version string at once,
		 * and that segment completes the handshake (measured).  Its REJECT does harm.
		 */
		if (i == FW_PKT_ACK &&
		    (d->outcome == FW_OUT_DROP || reply_lost(rs, &pk[i], d, as, out))) {
			out->reply_lost = 0;
			continue;
		}
		out->blocked = (uint8_t)i;
		if (i == FW_PKT_SYNACK)
			/* our own packet dies: the client retries, then gives up (or is refused) */
			out->sees = retried_syn(rs, q, pk, as, out);
		else if (dir[i] == FW_DIR_OUT)
			out->sees = FW_SEES_HANG;
		else if (d->outcome == FW_OUT_DROP || reply_lost(rs, &pk[i], d, as, out))
			out->sees = i == FW_PKT_SYN ? FW_SEES_TIMEOUT : FW_SEES_HANG;
		else if (d->reject == FW_RJ_TCP_RESET)
			out->sees = i == FW_PKT_SYN ? FW_SEES_REFUSED : FW_SEES_RESET;
		else /* ICMP errors are hard errors, after the handshake too (measured) */
			out->sees = fw_reject_sees((enum fw_reject)d->reject, q->client.family);
		break;
	}
}

const struct fw_frame *fw_answer_decisive(const struct fw_answer *a)
{
	if (a->blocked >= FW_PKT__COUNT)
		return NULL;
	return fw_decisive(&a->pkt[a->blocked]);
}

static int tern_weighs(uint8_t t)
{
	return t != FW_TERN_RATE && t != FW_TERN_STATE;
}

void fw_answer(const struct fw_ruleset *rs, const struct fw_question *q, struct fw_answer *out)
{
	struct fw_answer alt;
	struct fw_assume as;
	const struct fw_frame *f;
	uint32_t rules[FW_MAX_ALTS];
	uint8_t terns[FW_MAX_ALTS];
	uint32_t n = 0, i, k, j;
	int unknown = 0, weighty = 0, differs = 0, blocked;

	fw_answer_assume(rs, q, NULL, out);
	blocked = out->blocked != FW_PKT__COUNT;
	for (i = 0; i < FW_PKT__COUNT; i++) {
		const struct fw_decision *d = &out->pkt[i];

		if (!out->evaluated[i])
			continue;
		if (d->budget || d->nat_rule != FW_NONE || d->nunc_total > d->nunc)
			unknown = 1;
		if (d->tie_chain != FW_NONE)
			out->sees_varies = 1; /* both chains block; only the reply is in doubt */
		for (k = 0; k < d->nunc; k++) {
			if (d->unc[k].tern == FW_TERN_TARGET) {
				/* taken as "accept": had it dropped, a block stays a block */
				if (blocked)
					out->sees_varies = 1;
				else
					unknown = 1;
				continue;
			}
			for (j = 0; j < n && rules[j] != d->unc[k].rule; j++)
				;
			if (j < n)
				continue;
			if (n == FW_MAX_ALTS) {
				unknown = 1;
				continue;
			}
			rules[n] = d->unc[k].rule;
			terns[n] = d->unc[k].tern;
			n++;
		}
	}
	for (i = 0; i < n; i++) {
		memset(&as, 0, sizeof(as));
		as.flip[0] = rules[i];
		as.nflip = 1;
		fw_answer_assume(rs, q, &as, &alt);
		out->alt[i].rule = rules[i];
		out->alt[i].tern = terns[i];
		out->alt[i].sees = alt.sees;
		out->alt[i].pkt = alt.blocked;
		f = fw_answer_decisive(&alt);
		out->alt[i].decisive.chain = f ? f->chain : FW_NONE;
		out->alt[i].decisive.rule = f ? f->rule : FW_NONE;
		if ((alt.blocked != FW_PKT__COUNT) != blocked) {
			differs = 1;
			if (tern_weighs(terns[i]))
				weighty = 1;
		} else if (alt.sees != out->sees) {
			out->sees_varies = 1;
		}
	}
	out->nalt = n;
	if (unknown || weighty)
		out->certainty = FW_UNCERTAIN;
	else if (differs)
		out->certainty = FW_RATE_DEPENDENT;
	else
		out->certainty = FW_CERTAIN;
}
