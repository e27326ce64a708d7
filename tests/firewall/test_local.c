/* answer.h's local question: the client's own host, packets out through output, answers in. */
#include <string.h>

#include "base/err.h"
#include "firewall/eval.h"
#include "probe/client.h"

#include "../unit/t.h"
#include "fwtest.h"
#include "tests.h"

/* The probe's question: 192.0.2.20 (this host) → 192.0.2.1:22, leaving by eth0. */
static void ask_local(const char *ipt, struct fw_answer *a)
{
	struct fw_ruleset rs;
	struct fw_question q;
	struct fwt_inputs in = {.ipt = ipt};

	memset(a, 0, sizeof(*a));
	if (!CHECK_EQ_INT(fwt_build(&rs, &in), SD_OK)) {
		fw_ruleset_release(&rs);
		return;
	}
	memset(&q, 0, sizeof(q));
	ip_addr_parse("192.0.2.20", &q.client);
	ip_addr_parse("192.0.2.1", &q.server);
	q.port = 22;
	q.iif = "eth0";
	q.local = 1;
	fw_answer(&rs, &q, a);
	fw_ruleset_release(&rs);
}

void test_local_output_drop_stops_the_syn(void)
{
	struct fw_answer a;

	ask_local("*filter\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -o eth0 -d 192.0.2.1 -p tcp --dport 22 "
	          "-j DROP\nCOMMIT\n",
	          &a);
	CHECK_EQ_INT(a.blocked, FW_PKT_SYN);
	CHECK_EQ_INT(a.sees, FW_SEES_TIMEOUT); /* measured: connect() times out */
	CHECK_EQ_INT(a.certainty, FW_CERTAIN);
}

void test_local_output_reject_refuses_at_once(void)
{
	struct fw_answer a;

	ask_local("*filter\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -p tcp --dport 22 -j REJECT "
	          "--reject-with tcp-reset\nCOMMIT\n",
	          &a);
	CHECK_EQ_INT(a.blocked, FW_PKT_SYN);
	CHECK_EQ_INT(a.sees, FW_SEES_REFUSED);
	ask_local("*filter\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -p tcp --dport 22 -j REJECT "
	          "--reject-with icmp-host-prohibited\nCOMMIT\n",
	          &a);
	CHECK_EQ_INT(a.sees, FW_SEES_NO_ROUTE);
}

void test_local_input_policy_needs_established(void)
{
	struct fw_answer a;

	/* a default-deny INPUT without the usual established rule eats the SYN-ACK */
	ask_local("*filter\n:INPUT DROP [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n", &a);
	CHECK_EQ_INT(a.blocked, FW_PKT_SYNACK);
	CHECK_EQ_INT(a.sees, FW_SEES_TIMEOUT);
	ask_local("*filter\n:INPUT DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -m conntrack "
	          "--ctstate RELATED,ESTABLISHED -j ACCEPT\nCOMMIT\n",
	          &a);
	CHECK_EQ_INT(a.blocked, FW_PKT__COUNT);
	CHECK_EQ_INT(a.sees, FW_SEES_CONNECTS);
}

void test_local_server_side_rules_do_not_apply(void)
{
	struct fw_answer a;

	/* an sshd host's rules (INPUT, dport 22; OUTPUT, sport 22) do not touch a client */
	ask_local("*filter\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 22 "
	          "-j DROP\n-A OUTPUT -p tcp --sport 22 -j DROP\nCOMMIT\n",
	          &a);
	CHECK_EQ_INT(a.blocked, FW_PKT__COUNT);
	/* the interface: a rule for another one does not apply */
	ask_local("*filter\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -o wg0 -p tcp --dport 22 -j DROP\n"
	          "COMMIT\n",
	          &a);
	CHECK_EQ_INT(a.blocked, FW_PKT__COUNT);
}

void test_local_version_string_dropped_hangs(void)
{
	struct fw_answer a;

	ask_local("*filter\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -p tcp --dport 22 -m conntrack "
	          "--ctstate ESTABLISHED -m length --length 80:65535 -j DROP\nCOMMIT\n",
	          &a);
	CHECK_EQ_INT(a.blocked, FW_PKT_DATA);
	CHECK_EQ_INT(a.sees, FW_SEES_HANG);
}

void test_local_fw_evaluate_names_chain_and_rule(void)
{
	static const char ipt[] = "*filter\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -o lo -j ACCEPT\n"
	                          "-A OUTPUT -d 192.0.2.1/32 -p tcp -m tcp --dport 2222 -j DROP\n"
	                          "COMMIT\n";
	struct fw_ruleset rs;
	struct fwt_inputs in = {.ipt = ipt};
	struct local_fw f;

	if (!CHECK_EQ_INT(fwt_build(&rs, &in), SD_OK))
		goto out;
	if (!CHECK_EQ_INT(local_fw_evaluate(&rs, "192.0.2.20", "192.0.2.1", 2222, NULL, &f), SD_OK))
		goto out;
	CHECK(f.blocked);
	CHECK(!f.rejected);
	CHECK_STREQ(f.chain, "OUTPUT");
	CHECK_STREQ(f.packet, "SYN");
	CHECK_STREQ(f.sees, "timeout");
	CHECK(f.text && strstr(f.text, "--dport 2222 -j DROP"));
	CHECK(f.place && strstr(f.place, "OUTPUT"));
	local_fw_release(&f);
	/* another port passes; a family mismatch is refused as a question */
	CHECK_EQ_INT(local_fw_evaluate(&rs, "192.0.2.20", "192.0.2.1", 22, NULL, &f), SD_OK);
	CHECK(!f.blocked);
	local_fw_release(&f);
	CHECK_EQ_INT(local_fw_evaluate(&rs, "2001:db8::2", "192.0.2.1", 22, NULL, &f),
	             SD_ERR_INVALID);
out:
	fw_ruleset_release(&rs);
}
