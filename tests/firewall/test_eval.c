/* The evaluator and the answer: netfilter's order and verdict semantics, what the client sees. */
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "firewall/eval.h"

#include "../unit/t.h"
#include "fwtest.h"
#include "tests.h"

static const char *v4 = "198.51.100.9";

/* An nft table with one input base chain at `prio` holding `rule`. */
static void nft_one(char *out, size_t size, const char *family, const char *table, int prio,
                    const char *policy, const char *expr_json)
{
	snprintf(
	    out, size,
	    "{\"nftables\": [{\"table\": {\"family\": \"%s\", \"name\": \"%s\", \"handle\": 1}}, "
	    "{\"chain\": {\"family\": \"%s\", \"table\": \"%s\", \"name\": \"input\", \"handle\": "
	    "1, \"type\": \"filter\", \"hook\": \"input\", \"prio\": %d, \"policy\": \"%s\"}}, "
	    "{\"rule\": {\"family\": \"%s\", \"table\": \"%s\", \"chain\": \"input\", "
	    "\"handle\": 2, \"expr\": %s}}]}",
	    family, table, family, table, prio, policy, family, table, expr_json);
}

void test_eval_accept_ends_only_its_base_chain(void)
{
	static const char ipt[] =
	    "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp -j ACCEPT\nCOMMIT\n";
	char nft[1024];
	struct fw_ruleset rs;
	struct fw_answer a;

	/* iptables accepts at priority 0; a later nft chain (priority 10) still drops */
	nft_one(nft, sizeof(nft), "inet", "t", 10, "accept",
	        "[{\"match\": {\"op\": \"==\", \"left\": {\"payload\": {\"protocol\": \"tcp\", "
	        "\"field\": \"dport\"}}, \"right\": 22}}, {\"drop\": null}]");
	struct fwt_inputs in = {.ipt = ipt, .nft = nft};
	if (CHECK_EQ_INT(fwt_build(&rs, &in), SD_OK)) {
		fwt_ask(&rs, v4, NULL, 22, NULL, &a);
		CHECK_EQ_INT(a.sees, FW_SEES_TIMEOUT);
		CHECK_EQ_INT(rs.chains[fw_answer_decisive(&a)->chain].prio, 10);
	}
	fw_ruleset_release(&rs);
}

void test_eval_priority_order_decides_which_blocker_speaks(void)
{
	static const char ipt[] = "*filter\n:INPUT DROP [0:0]\nCOMMIT\n";
	char nft[1024];
	struct fw_ruleset rs;
	struct fw_answer a;

	/* nft at -10 rejects before the iptables policy (0) would drop */
	nft_one(nft, sizeof(nft), "ip", "early", -10, "accept", "[{\"reject\": null}]");
	struct fwt_inputs in = {.ipt = ipt, .nft = nft};
	if (CHECK_EQ_INT(fwt_build(&rs, &in), SD_OK)) {
		fwt_ask(&rs, v4, NULL, 22, NULL, &a);
		CHECK_EQ_INT(a.sees, FW_SEES_REFUSED);
		CHECK(fw_answer_decisive(&a)->rule != FW_NONE);
	}
	fw_ruleset_release(&rs);
}

void test_eval_jump_goto_return_semantics(void)
{
	/* INPUT jumps to a; a gotos b; b returns: back to INPUT after the jump, not into a */
	static const char ipt[] = "*filter\n:INPUT ACCEPT [0:0]\n:a - [0:0]\n:b - [0:0]\n"
	                          "-A INPUT -j a\n"
	                          "-A INPUT -s 198.51.100.9 -j REJECT\n"
	                          "-A a -g b\n"
	                          "-A a -j DROP\n"
	                          "-A b -j RETURN\n"
	                          "COMMIT\n";
	struct fwt_inputs in = {.ipt = ipt};
	struct fw_ruleset rs;
	struct fw_answer a;

	if (CHECK_EQ_INT(fwt_build(&rs, &in), SD_OK)) {
		fwt_ask(&rs, v4, NULL, 22, NULL, &a);
		CHECK_EQ_INT(a.sees, FW_SEES_REFUSED);
		CHECK_EQ_INT(a.pkt[FW_PKT_SYN].npath, 1);
		CHECK_EQ_INT(rs.rules[fw_answer_decisive(&a)->rule].number, 2);
	}
	fw_ruleset_release(&rs);
}

void test_eval_return_in_base_chain_is_policy(void)
{
	static const char ipt[] = "*filter\n:INPUT DROP [0:0]\n:a - [0:0]\n"
	                          "-A INPUT -g a\n-A INPUT -j ACCEPT\n-A a -j RETURN\nCOMMIT\n";
	struct fwt_inputs in = {.ipt = ipt};
	struct fw_ruleset rs;
	struct fw_answer a;

	if (CHECK_EQ_INT(fwt_build(&rs, &in), SD_OK)) {
		fwt_ask(&rs, v4, NULL, 22, NULL, &a);
		/* goto from the base chain, then return: the policy, not the next rule */
		CHECK_EQ_INT(a.sees, FW_SEES_TIMEOUT);
		CHECK(fw_answer_decisive(&a)->rule == FW_NONE);
	}
	fw_ruleset_release(&rs);
}

void test_eval_nat_chains_see_new_packets_only(void)
{
	static const char ipt[] = "*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n"
	                          ":OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n"
	                          "-A PREROUTING -p tcp --dport 22 -j REDIRECT --to-ports 22\n"
	                          "COMMIT\n"
	                          "*filter\n:INPUT ACCEPT [0:0]\n"
	                          "-A INPUT -m conntrack --ctstate ESTABLISHED -p tcp -j REJECT "
	                          "--reject-with tcp-reset\nCOMMIT\n";
	struct fwt_inputs in = {.ipt = ipt};
	struct fw_ruleset rs;
	struct fw_answer a;

	if (CHECK_EQ_INT(fwt_build(&rs, &in), SD_OK)) {
		fwt_ask(&rs, v4, NULL, 22, NULL, &a);
		CHECK_EQ_INT(a.sees, FW_SEES_RESET);
		CHECK_EQ_INT(a.blocked, FW_PKT_ACK);
		CHECK_EQ_INT(a.certainty, FW_CERTAIN); /* a REDIRECT to the same port is harmless */
	}
	fw_ruleset_release(&rs);
}

/* The run index must give the answers a linear scan gives. */
void test_eval_run_index_agrees_with_scan(void)
{
	struct buf text;
	struct fw_ruleset rs;
	struct fw_answer a;
	char addr[32];
	unsigned i;

	buf_init(&text, 1 << 20);
	buf_adds(&text, "*filter\n:INPUT ACCEPT [0:0]\n:f2b-sshd - [0:0]\n"
	                "-A INPUT -p tcp -m multiport --dports 22 -j f2b-sshd\n");
	for (i = 0; i < 2000; i++) {
		if (i == 1000) /* a rule that breaks the run: generic, then more bans */
			buf_adds(&text, "-A f2b-sshd -s 10.9.0.0/16 -j DROP\n");
		buf_addf(&text, "-A f2b-sshd -s 10.%u.%u.%u/32 -j REJECT --reject-with %s\n",
		         i / 65536, i / 256 % 256, i % 256,
		         i % 2 ? "icmp-port-unreachable" : "tcp-reset");
	}
	buf_adds(&text, "-A f2b-sshd -s 10.0.0.5/32 -j DROP\n-A f2b-sshd -j RETURN\nCOMMIT\n");
	struct fwt_inputs in = {.ipt = text.data};
	if (!CHECK_EQ_INT(fwt_build(&rs, &in), SD_OK))
		goto out;
	CHECK_EQ_INT(rs.chains[1].nruns, 2);
	for (i = 0; i < 2000; i += 37) {
		snprintf(addr, sizeof(addr), "10.%u.%u.%u", i / 65536, i / 256 % 256, i % 256);
		fwt_ask(&rs, addr, NULL, 22, NULL, &a);
		CHECK_EQ_INT(a.sees, FW_SEES_REFUSED);
		CHECK_EQ_INT(rs.rules[fw_answer_decisive(&a)->rule].number,
		             i < 1000 ? i + 1 : i + 2);
	}
	fwt_ask(&rs, "10.0.0.5", NULL, 22, NULL, &a); /* first of two rules for one address */
	CHECK_EQ_INT(rs.rules[fw_answer_decisive(&a)->rule].number, 6);
	fwt_ask(&rs, "10.9.1.1", NULL, 22, NULL, &a); /* the generic rule in between */
	CHECK_EQ_INT(a.sees, FW_SEES_TIMEOUT);
	fwt_ask(&rs, "10.200.0.1", NULL, 22, NULL, &a);
	CHECK_EQ_INT(a.sees, FW_SEES_CONNECTS);
	fwt_ask(&rs, "10.0.0.1", NULL, 2222, NULL, &a);
	CHECK_EQ_INT(a.sees, FW_SEES_CONNECTS);
out:
	fw_ruleset_release(&rs);
	buf_release(&text);
}

void test_eval_marks_set_in_mangle_are_seen_in_filter(void)
{
	static const char ipt[] = "*mangle\n:PREROUTING ACCEPT [0:0]\n"
	                          "-A PREROUTING -s 198.51.100.0/24 -j MARK --set-xmark 0x2/0xff\n"
	                          "COMMIT\n*filter\n:INPUT ACCEPT [0:0]\n"
	                          "-A INPUT -m mark --mark 0x2/0xff -p tcp -j REJECT "
	                          "--reject-with icmp-admin-prohibited\nCOMMIT\n";
	struct fwt_inputs in = {.ipt = ipt};
	struct fw_ruleset rs;
	struct fw_answer a;

	if (CHECK_EQ_INT(fwt_build(&rs, &in), SD_OK)) {
		fwt_ask(&rs, v4, NULL, 22, NULL, &a);
		CHECK_EQ_INT(a.sees, FW_SEES_NO_ROUTE);
		fwt_ask(&rs, "203.0.113.1", NULL, 22, NULL, &a);
		CHECK_EQ_INT(a.sees, FW_SEES_CONNECTS);
	}
	fw_ruleset_release(&rs);
}

void test_eval_raw_table_sees_no_conntrack(void)
{
	static const char ipt[] =
	    "*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n"
	    "-A PREROUTING -p tcp --dport 2222 -m state --state INVALID -j DROP\n"
	    "COMMIT\n*filter\n:INPUT ACCEPT [0:0]\n"
	    "-A INPUT -m state --state INVALID -j DROP\nCOMMIT\n";
	struct fwt_inputs in = {.ipt = ipt};
	struct fw_ruleset rs;
	struct fw_answer a;

	if (CHECK_EQ_INT(fwt_build(&rs, &in), SD_OK)) {
		/* before conntrack (raw, priority -300) every packet is "invalid" */
		fwt_ask(&rs, v4, NULL, 2222, NULL, &a);
		CHECK_EQ_INT(a.sees, FW_SEES_TIMEOUT);
		/* in filter it is NEW, then ESTABLISHED */
		fwt_ask(&rs, v4, NULL, 22, NULL, &a);
		CHECK_EQ_INT(a.sees, FW_SEES_CONNECTS);
	}
	fw_ruleset_release(&rs);
}

void test_eval_notrack_hides_the_state(void)
{
	static const char ipt[] = "*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n"
	                          "-A PREROUTING -p tcp --dport 22 -j CT --notrack\nCOMMIT\n"
	                          "*filter\n:INPUT DROP [0:0]\n"
	                          "-A INPUT -m conntrack --ctstate NEW -j ACCEPT\nCOMMIT\n";
	struct fwt_inputs in = {.ipt = ipt};
	struct fw_ruleset rs;
	struct fw_answer a;

	if (CHECK_EQ_INT(fwt_build(&rs, &in), SD_OK)) {
		fwt_ask(&rs, v4, NULL, 22, NULL, &a);
		CHECK_EQ_INT(a.sees, FW_SEES_TIMEOUT); /* untracked is not NEW */
	}
	fw_ruleset_release(&rs);
}

void test_eval_equal_priority_disagreement_is_flagged(void)
{
	static const char ipt[] = "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp -j DROP\nCOMMIT\n";
	char nft[1024];
	struct fw_ruleset rs;
	struct fw_answer a;

	nft_one(nft, sizeof(nft), "inet", "t", 0, "accept", "[{\"reject\": null}]");
	struct fwt_inputs in = {.ipt = ipt, .nft = nft};
	if (CHECK_EQ_INT(fwt_build(&rs, &in), SD_OK)) {
		fwt_ask(&rs, v4, NULL, 22, NULL, &a);
		CHECK(a.blocked == FW_PKT_SYN);
		CHECK(a.pkt[FW_PKT_SYN].tie_chain != FW_NONE);
		CHECK_EQ_INT(a.certainty, FW_CERTAIN); /* blocked either way */
		CHECK(a.sees_varies);
	}
	fw_ruleset_release(&rs);
}

void test_eval_goto_loop_hits_the_budget(void)
{
	static const char nft[] =
	    "{\"nftables\": [{\"table\": {\"family\": \"ip\", \"name\": \"t\", \"handle\": 1}}, "
	    "{\"chain\": {\"family\": \"ip\", \"table\": \"t\", \"name\": \"i\", \"handle\": 1, "
	    "\"type\": \"filter\", \"hook\": \"input\", \"prio\": 0, \"policy\": \"accept\"}}, "
	    "{\"chain\": {\"family\": \"ip\", \"table\": \"t\", \"name\": \"a\", \"handle\": 2}}, "
	    "{\"chain\": {\"family\": \"ip\", \"table\": \"t\", \"name\": \"b\", \"handle\": 3}}, "
	    "{\"rule\": {\"family\": \"ip\", \"table\": \"t\", \"chain\": \"i\", \"handle\": 4, "
	    "\"expr\": [{\"jump\": {\"target\": \"a\"}}]}}, "
	    "{\"rule\": {\"family\": \"ip\", \"table\": \"t\", \"chain\": \"a\", \"handle\": 5, "
	    "\"expr\": [{\"jump\": {\"target\": \"b\"}}]}}, "
	    "{\"rule\": {\"family\": \"ip\", \"table\": \"t\", \"chain\": \"b\", \"handle\": 6, "
	    "\"expr\": [{\"jump\": {\"target\": \"a\"}}]}}]}";
	struct fwt_inputs in = {.nft = nft};
	struct fw_ruleset rs;
	struct fw_answer a;

	if (CHECK_EQ_INT(fwt_build(&rs, &in), SD_OK)) {
		fwt_ask(&rs, v4, NULL, 22, NULL, &a);
		CHECK(a.pkt[FW_PKT_SYN].budget);
		CHECK_EQ_INT(a.certainty, FW_UNCERTAIN);
	}
	fw_ruleset_release(&rs);
}

void test_eval_interface_unknown_but_never_loopback(void)
{
	static const char ipt[] = "*filter\n:INPUT DROP [0:0]\n"
	                          "-A INPUT -i lo -j ACCEPT\n"
	                          "-A INPUT -i eth0 -p tcp --dport 22 -j ACCEPT\nCOMMIT\n";
	struct fwt_inputs in = {.ipt = ipt};
	struct fw_ruleset rs;
	struct fw_answer a;

	if (!CHECK_EQ_INT(fwt_build(&rs, &in), SD_OK))
		goto out;
	fwt_ask(&rs, v4, NULL, 22, "eth0", &a);
	CHECK_EQ_INT(a.sees, FW_SEES_CONNECTS);
	CHECK_EQ_INT(a.certainty, FW_CERTAIN);
	fwt_ask(&rs, v4, NULL, 22, "eth1", &a);
	CHECK_EQ_INT(a.sees, FW_SEES_TIMEOUT);
	CHECK_EQ_INT(a.certainty, FW_CERTAIN);
	fwt_ask(&rs, v4, NULL, 22, NULL, &a);
	/* -i lo is certainly false; -i eth0 depends on what we were not told */
	CHECK_EQ_INT(a.certainty, FW_UNCERTAIN);
	if (CHECK_EQ_INT(a.nalt, 1))
		CHECK_EQ_INT(a.alt[0].tern, FW_TERN_CONTEXT);
out:
	fw_ruleset_release(&rs);
}

/* ---- what the client sees ---- */

void test_answer_reject_errnos(void)
{
	static const struct {
		const char *with;
		const char *client;
		enum fw_sees sees;
	} cases[] = {{"icmp-port-unreachable", "198.51.100.9", FW_SEES_REFUSED},
	             {"tcp-reset", "198.51.100.9", FW_SEES_REFUSED},
	             {"icmp-host-unreachable", "198.51.100.9", FW_SEES_NO_ROUTE},
	             {"icmp-admin-prohibited", "198.51.100.9", FW_SEES_NO_ROUTE},
	             {"icmp-host-prohibited", "198.51.100.9", FW_SEES_NO_ROUTE},
	             {"icmp-net-unreachable", "198.51.100.9", FW_SEES_NET_UNREACH},
	             {"icmp-net-prohibited", "198.51.100.9", FW_SEES_NET_UNREACH},
	             {"icmp-proto-unreachable", "198.51.100.9", FW_SEES_PROTO},
	             {"icmp6-adm-prohibited", "2001:db8::9", FW_SEES_PERM},
	             {"icmp6-policy-fail", "2001:db8::9", FW_SEES_PERM},
	             {"icmp6-reject-route", "2001:db8::9", FW_SEES_PERM},
	             {"icmp6-no-route", "2001:db8::9", FW_SEES_NET_UNREACH},
	             {"icmp6-addr-unreachable", "2001:db8::9", FW_SEES_NO_ROUTE},
	             {"icmp6-port-unreachable", "2001:db8::9", FW_SEES_REFUSED}};
	char text[256];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int six = strchr(cases[i].client, ':') != NULL;
		struct fwt_inputs in = {.ipt = six ? NULL : text, .ip6t = six ? text : NULL};
		struct fw_ruleset rs;
		struct fw_answer a;

		snprintf(
		    text, sizeof(text),
		    "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp -j REJECT --reject-with %s\n"
		    "COMMIT\n",
		    cases[i].with);
		if (CHECK_EQ_INT(fwt_build(&rs, &in), SD_OK)) {
			fwt_ask(&rs, cases[i].client, NULL, 22, NULL, &a);
			if (!CHECK_EQ_INT(a.sees, cases[i].sees))
				FAIL("%s", cases[i].with);
		}
		fw_ruleset_release(&rs);
	}
}

void test_answer_after_the_handshake(void)
{
	static const struct {
		const char *rule;
		enum fw_pkt pkt;
		enum fw_sees sees;
	} cases[] = {
	    {"-A INPUT -m conntrack --ctstate ESTABLISHED -p tcp -j REJECT --reject-with tcp-reset",
	     FW_PKT_ACK, FW_SEES_RESET},
	    {"-A INPUT -m conntrack --ctstate ESTABLISHED -j REJECT", FW_PKT_ACK, FW_SEES_REFUSED},
	    /* dropping the pure ACK alone is harmless: the version string completes it */
	    {"-A INPUT -m conntrack --ctstate ESTABLISHED -j DROP", FW_PKT_DATA, FW_SEES_HANG},
	    {"-A INPUT -p tcp -m length --length 0:56 -j DROP", FW_PKT__COUNT, FW_SEES_CONNECTS},
	    /* the lab's 06: the handshake's ACK is short, the version string is not */
	    {"-A INPUT -p tcp -m conntrack --ctstate ESTABLISHED -m length ! --length 40:60 -j "
	     "REJECT --reject-with tcp-reset",
	     FW_PKT_DATA, FW_SEES_RESET},
	    {"-A OUTPUT -p tcp --sport 22 --tcp-flags SYN,ACK SYN,ACK -j DROP", FW_PKT_SYNACK,
	     FW_SEES_TIMEOUT},
	    {"-A OUTPUT -p tcp --sport 22 -m length --length 61:1500 -j REJECT", FW_PKT_BANNER,
	     FW_SEES_HANG},
	};
	char text[512];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fwt_inputs in = {.ipt = text};
		struct fw_ruleset rs;
		struct fw_answer a;

		snprintf(text, sizeof(text),
		         "*filter\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n%s\nCOMMIT\n",
		         cases[i].rule);
		if (CHECK_EQ_INT(fwt_build(&rs, &in), SD_OK)) {
			fwt_ask(&rs, v4, NULL, 22, NULL, &a);
			if (!CHECK_EQ_INT(a.blocked, cases[i].pkt) ||
			    !CHECK_EQ_INT(a.sees, cases[i].sees))
				FAIL("case %zu: %s", i, cases[i].rule);
		}
		fw_ruleset_release(&rs);
	}
}

void test_answer_dropped_reply_turns_refusal_into_silence(void)
{
	static const char ipt[] = "*filter\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n"
	                          "-A INPUT -p tcp --dport 22 -j REJECT\n"
	                          "-A OUTPUT -m conntrack --ctstate RELATED -j DROP\nCOMMIT\n";
	struct fwt_inputs in = {.ipt = ipt};
	struct fw_ruleset rs;
	struct fw_answer a;

	if (CHECK_EQ_INT(fwt_build(&rs, &in), SD_OK)) {
		fwt_ask(&rs, v4, NULL, 22, NULL, &a);
		CHECK_EQ_INT(a.sees, FW_SEES_TIMEOUT);
		CHECK(a.reply_lost);
		CHECK_EQ_INT(a.blocked, FW_PKT_SYN);
	}
	fw_ruleset_release(&rs);
}

void test_answer_rate_limits_are_rate_dependent(void)
{
	static const char ipt[] =
	    "*filter\n:INPUT ACCEPT [0:0]\n"
	    "-A INPUT -p tcp --dport 22 -m conntrack --ctstate NEW -m recent --update --seconds 30 "
	    "--hitcount 6 --name DEFAULT --mask 255.255.255.255 --rsource -j REJECT\n"
	    "-A INPUT -p tcp --dport 22 -m limit --limit 3/min -j ACCEPT\n"
	    "-A INPUT -p tcp --dport 22 -j DROP\nCOMMIT\n";
	struct fwt_inputs in = {.ipt = ipt};
	struct fw_ruleset rs;
	struct fw_answer a;
	uint32_t i, seen = 0;

	if (CHECK_EQ_INT(fwt_build(&rs, &in), SD_OK)) {
		fwt_ask(&rs, v4, NULL, 22, NULL, &a);
		CHECK_EQ_INT(a.sees, FW_SEES_CONNECTS); /* quiet: under both limits */
		CHECK_EQ_INT(a.certainty, FW_RATE_DEPENDENT);
		for (i = 0; i < a.nalt; i++) {
			if (a.alt[i].sees == FW_SEES_REFUSED)
				seen |= 1; /* recent: too many new connections */
			if (a.alt[i].sees == FW_SEES_TIMEOUT)
				seen |= 2; /* limit exceeded: falls through to the drop */
		}
		CHECK_EQ_INT(seen, 3);
	}
	fw_ruleset_release(&rs);
}

void test_answer_server_address_unknown_is_context(void)
{
	static const char ipt[] = "*filter\n:INPUT DROP [0:0]\n"
	                          "-A INPUT -d 192.0.2.1/32 -p tcp --dport 22 -j ACCEPT\n"
	                          "-A INPUT -d 127.0.0.0/8 -j ACCEPT\nCOMMIT\n";
	struct fwt_inputs in = {.ipt = ipt};
	struct fw_ruleset rs;
	struct fw_answer a;

	if (CHECK_EQ_INT(fwt_build(&rs, &in), SD_OK)) {
		fwt_ask(&rs, v4, "192.0.2.1", 22, NULL, &a);
		CHECK_EQ_INT(a.sees, FW_SEES_CONNECTS);
		CHECK_EQ_INT(a.certainty, FW_CERTAIN);
		fwt_ask(&rs, v4, NULL, 22, NULL, &a);
		CHECK_EQ_INT(a.certainty, FW_UNCERTAIN);
		CHECK_EQ_INT(a.nalt, 1); /* the loopback rule is certainly false */
	}
	fw_ruleset_release(&rs);
}
