/* The diagnosis engine: layer statuses and findings → one verdict. */
#include <string.h>

#include "base/err.h"
#include "core/diagnosis.h"

#include "t.h"
#include "tests.h"

static void all_layers(struct diagnosis *d, enum layer_status st)
{
	int i;

	for (i = 0; i < LAYER__COUNT; i++)
		CHECK_EQ_INT(diagnosis_set_layer(d, (enum layer_id)i, st, "checked %d", i), SD_OK);
}

void test_diagnosis_init_is_not_implemented_and_inconclusive(void)
{
	struct diagnosis d;
	int i;

	CHECK_EQ_INT(diagnosis_init(&d, "203.0.113.7", 22, NULL), SD_OK);
	for (i = 0; i < LAYER__COUNT; i++)
		CHECK_EQ_INT(d.layers[i].status, LAYER_NOT_IMPLEMENTED);
	CHECK_STREQ(d.client, "203.0.113.7");
	CHECK(d.user == NULL);
	CHECK_EQ_INT(d.port, 22);
	diagnosis_conclude(&d);
	CHECK_EQ_INT(d.verdict, VERDICT_INCONCLUSIVE);
	CHECK_EQ_INT(d.deciding, -1);
	CHECK_EQ_INT(verdict_exit_code(d.verdict), 3);
	CHECK_STREQ(verdict_name(d.verdict), "inconclusive");
	diagnosis_release(&d);
}

void test_diagnosis_all_evaluated_no_findings_is_clear(void)
{
	struct diagnosis d;

	CHECK_EQ_INT(diagnosis_init(&d, NULL, 22, "alice"), SD_OK);
	CHECK_STREQ(d.user, "alice");
	all_layers(&d, LAYER_EVALUATED);
	diagnosis_conclude(&d);
	CHECK_EQ_INT(d.verdict, VERDICT_CLEAR);
	CHECK_EQ_INT(verdict_exit_code(d.verdict), 0);
	CHECK_EQ_INT(d.deciding, -1);
	diagnosis_release(&d);
}

void test_diagnosis_not_applicable_still_clear(void)
{
	struct diagnosis d;

	CHECK_EQ_INT(diagnosis_init(&d, NULL, 22, NULL), SD_OK);
	all_layers(&d, LAYER_EVALUATED);
	CHECK_EQ_INT(diagnosis_set_layer(&d, LAYER_BANS, LAYER_NOT_APPLICABLE, "no ban tool"),
	             SD_OK);
	diagnosis_conclude(&d);
	CHECK_EQ_INT(d.verdict, VERDICT_CLEAR);
	diagnosis_release(&d);
}

void test_diagnosis_one_unevaluated_layer_is_inconclusive(void)
{
	struct diagnosis d;

	CHECK_EQ_INT(diagnosis_init(&d, NULL, 22, NULL), SD_OK);
	all_layers(&d, LAYER_EVALUATED);
	CHECK_EQ_INT(diagnosis_set_layer(&d, LAYER_LOGS, LAYER_UNREADABLE, "%s", "no journal"),
	             SD_OK);
	CHECK_STREQ(d.layers[LAYER_LOGS].note, "no journal");
	diagnosis_conclude(&d);
	CHECK_EQ_INT(d.verdict, VERDICT_INCONCLUSIVE);
	diagnosis_release(&d);
}

void test_diagnosis_risk_is_intermittent(void)
{
	struct diagnosis d;
	struct finding *f;

	CHECK_EQ_INT(diagnosis_init(&d, "198.51.100.2", 22, NULL), SD_OK);
	all_layers(&d, LAYER_EVALUATED);
	f = diagnosis_add_finding(&d, LAYER_SSHD_ADMISSION, CAUSE_MAX_STARTUPS, SEVERITY_RISK);
	if (!CHECK(f != NULL))
		goto out;
	diagnosis_conclude(&d);
	CHECK_EQ_INT(d.verdict, VERDICT_INTERMITTENT);
	CHECK_EQ_INT(verdict_exit_code(d.verdict), 1);
	CHECK_EQ_INT(d.deciding, 0);
out:
	diagnosis_release(&d);
}

void test_diagnosis_info_only_does_not_change_clear(void)
{
	struct diagnosis d;

	CHECK_EQ_INT(diagnosis_init(&d, NULL, 22, NULL), SD_OK);
	all_layers(&d, LAYER_EVALUATED);
	CHECK(diagnosis_add_finding(&d, LAYER_LOGS, CAUSE_FAIL2BAN_BAN, SEVERITY_INFO) != NULL);
	diagnosis_conclude(&d);
	CHECK_EQ_INT(d.verdict, VERDICT_CLEAR);
	diagnosis_release(&d);
}

void test_diagnosis_blockers_sorted_by_layer(void)
{
	struct diagnosis d;
	struct finding *late, *early, *risk;

	CHECK_EQ_INT(diagnosis_init(&d, "203.0.113.7", 22, NULL), SD_OK);
	all_layers(&d, LAYER_EVALUATED);
	/* added in reverse order of the layers a connection meets */
	late = diagnosis_add_finding(&d, LAYER_TCP_WRAPPERS, CAUSE_TCP_WRAPPERS_DENY,
	                             SEVERITY_BLOCKER);
	risk = diagnosis_add_finding(&d, LAYER_SSHD_ADMISSION, CAUSE_MAX_STARTUPS, SEVERITY_RISK);
	early = diagnosis_add_finding(&d, LAYER_FIREWALL, CAUSE_FIREWALL_DROP, SEVERITY_BLOCKER);
	if (!CHECK(late && early && risk))
		goto out;
	diagnosis_conclude(&d);
	CHECK_EQ_INT(d.verdict, VERDICT_BLOCKED);
	CHECK_EQ_INT(verdict_exit_code(d.verdict), 1);
	CHECK_EQ_INT(d.nfindings, 3);
	CHECK(d.findings[0] == early);
	CHECK(d.findings[1] == late);
	CHECK(d.findings[2] == risk);
	CHECK_EQ_INT(d.deciding, 0);
	CHECK_EQ_INT(d.findings[d.deciding]->layer, LAYER_FIREWALL);
out:
	diagnosis_release(&d);
}

void test_diagnosis_sort_is_stable_within_a_layer(void)
{
	struct diagnosis d;
	struct finding *a, *b, *c;

	CHECK_EQ_INT(diagnosis_init(&d, NULL, 22, NULL), SD_OK);
	a = diagnosis_add_finding(&d, LAYER_BANS, CAUSE_FAIL2BAN_BAN, SEVERITY_RISK);
	b = diagnosis_add_finding(&d, LAYER_LISTEN, CAUSE_NOT_LISTENING, SEVERITY_INFO);
	c = diagnosis_add_finding(&d, LAYER_BANS, CAUSE_SSHGUARD_BAN, SEVERITY_RISK);
	if (!CHECK(a && b && c))
		goto out;
	diagnosis_conclude(&d);
	CHECK(d.findings[0] == b);
	CHECK(d.findings[1] == a);
	CHECK(d.findings[2] == c);
	CHECK_EQ_INT(d.verdict, VERDICT_INTERMITTENT);
	CHECK_EQ_INT(d.deciding, 1);
out:
	diagnosis_release(&d);
}

void test_diagnosis_unreadable_plus_blocker_is_blocked(void)
{
	struct diagnosis d;

	CHECK_EQ_INT(diagnosis_init(&d, NULL, 22, NULL), SD_OK);
	all_layers(&d, LAYER_EVALUATED);
	CHECK_EQ_INT(diagnosis_set_layer(&d, LAYER_FIREWALL, LAYER_UNREADABLE, "not root"), SD_OK);
	CHECK(diagnosis_add_finding(&d, LAYER_SSHD_ADMISSION, CAUSE_REFUSE_CONNECTION,
	                            SEVERITY_BLOCKER) != NULL);
	diagnosis_conclude(&d);
	CHECK_EQ_INT(d.verdict, VERDICT_BLOCKED);
	CHECK_EQ_INT(d.deciding, 0);
	diagnosis_release(&d);
}

void test_diagnosis_finding_fields(void)
{
	struct diagnosis d;
	struct finding *f;

	CHECK_EQ_INT(diagnosis_init(&d, NULL, 22, NULL), SD_OK);
	f = diagnosis_add_finding(&d, LAYER_FIREWALL, CAUSE_FIREWALL_DROP, SEVERITY_BLOCKER);
	if (!CHECK(f != NULL))
		goto out;
	CHECK_STREQ(f->client_sees, "Connection timed out"); /* the cause's usual text */
	CHECK_EQ_INT(finding_set_summary(f, "DROP rule %d", 3), SD_OK);
	CHECK_STREQ(f->summary, "DROP rule 3");
	CHECK_EQ_INT(finding_set_client_sees(f, "ssh: connect to host x port 22: timed out"),
	             SD_OK);
	CHECK_STREQ(f->client_sees, "ssh: connect to host x port 22: timed out");
	CHECK_EQ_INT(finding_add_evidence(f, "iptables-save", 12, "-A INPUT -j DROP"), SD_OK);
	CHECK_EQ_INT(finding_add_evidence(f, "/etc/hosts.deny", 0, NULL), SD_OK);
	CHECK_EQ_INT(f->nevidence, 2);
	CHECK_STREQ(f->evidence[0].source, "iptables-save");
	CHECK_EQ_INT(f->evidence[0].line, 12);
	CHECK_STREQ(f->evidence[1].text, "");
	CHECK_EQ_INT(finding_add_fix(f, "iptables -D INPUT %d", 12), SD_OK);
	CHECK_EQ_INT(f->nfix, 1);
	CHECK_STREQ(f->fix[0], "iptables -D INPUT 12");
out:
	diagnosis_release(&d);
}

void test_diagnosis_set_layer_rejects_bad_layer(void)
{
	struct diagnosis d;

	CHECK_EQ_INT(diagnosis_init(&d, NULL, 22, NULL), SD_OK);
	CHECK_EQ_INT(diagnosis_set_layer(&d, LAYER__COUNT, LAYER_EVALUATED, NULL), SD_ERR_INVALID);
	CHECK_EQ_INT(diagnosis_set_layer(&d, LAYER_LISTEN, LAYER_EVALUATED, NULL), SD_OK);
	CHECK(d.layers[LAYER_LISTEN].note == NULL);
	diagnosis_release(&d);
}

void test_causes_names_and_lookup(void)
{
	CHECK_STREQ(layer_name(LAYER_LISTEN), "listen");
	CHECK_STREQ(layer_name(LAYER_LOGS), "logs");
	CHECK_STREQ(layer_status_name(LAYER_NOT_IMPLEMENTED), "not_implemented");
	CHECK_STREQ(cause_name(CAUSE_TCP_WRAPPERS_DENY), "tcp_wrappers_deny");
	CHECK_EQ_INT(cause_from_name("max_startups"), CAUSE_MAX_STARTUPS);
	CHECK_EQ_INT(cause_from_name("listener_stalled"), CAUSE_LISTENER_STALLED);
	CHECK_EQ_INT(cause_from_name("nope"), -1);
	CHECK_STREQ(severity_name(SEVERITY_RISK), "risk");
	CHECK_STREQ(verdict_name(VERDICT_BLOCKED), "blocked");
	CHECK_EQ_INT(verdict_exit_code(VERDICT_CLEAR), SD_EXIT_CLEAR);
	CHECK_EQ_INT(verdict_exit_code(VERDICT_BLOCKED), SD_EXIT_PROBLEM);
	CHECK_EQ_INT(verdict_exit_code(VERDICT_INTERMITTENT), SD_EXIT_PROBLEM);
	CHECK_EQ_INT(verdict_exit_code(VERDICT_INCONCLUSIVE), SD_EXIT_INCONCLUSIVE);
	CHECK_STREQ(cause_name(CAUSE__COUNT), "unknown");
	CHECK_STREQ(cause_client_sees(CAUSE__COUNT), "");
}

void test_causes_every_name_round_trips(void)
{
	int i, bad = 0;

	for (i = 0; i < CAUSE__COUNT; i++)
		bad += cause_from_name(cause_name((enum cause_id)i)) != i;
	CHECK_EQ_INT(bad, 0);
}

void test_diagnosis_enforcing_rule_yields_to_the_ban(void)
{
	struct diagnosis d;
	struct finding *rule, *ban, *wrap;

	CHECK_EQ_INT(diagnosis_init(&d, "203.0.113.7", 22, NULL), SD_OK);
	all_layers(&d, LAYER_EVALUATED);
	wrap = diagnosis_add_finding(&d, LAYER_TCP_WRAPPERS, CAUSE_TCP_WRAPPERS_DENY,
	                             SEVERITY_BLOCKER);
	ban = diagnosis_add_finding(&d, LAYER_BANS, CAUSE_FAIL2BAN_BAN, SEVERITY_BLOCKER);
	rule = diagnosis_add_finding(&d, LAYER_FIREWALL, CAUSE_FIREWALL_REJECT, SEVERITY_BLOCKER);
	if (!CHECK(rule && ban && wrap))
		goto out;
	rule->enforces = ban;
	diagnosis_conclude(&d);
	CHECK_EQ_INT(d.verdict, VERDICT_BLOCKED);
	/* connection order is kept; the ban decides, not the rule that applies it */
	CHECK(d.findings[0] == rule && d.findings[1] == ban && d.findings[2] == wrap);
	CHECK_EQ_INT(d.deciding, 1);
	CHECK_EQ_INT(diagnosis_index_of(&d, rule->enforces), 1);
	/* an enforced finding that is only a risk does not take over */
	ban->severity = SEVERITY_RISK;
	diagnosis_conclude(&d);
	CHECK_EQ_INT(d.deciding, 0);
out:
	diagnosis_release(&d);
}

void test_diagnosis_blocked_table_sorted_and_capped(void)
{
	struct diagnosis d;
	size_t i;

	CHECK_EQ_INT(diagnosis_init(&d, NULL, 22, NULL), SD_OK);
	CHECK_EQ_INT(diagnosis_add_blocked(&d, LAYER_TCP_WRAPPERS, CAUSE_TCP_WRAPPERS_DENY,
	                                   SEVERITY_BLOCKER, "192.0.2.20", "hosts.deny line 3",
	                                   NULL, "/etc/hosts.deny", 3, "remove line 3"),
	             SD_OK);
	CHECK_EQ_INT(diagnosis_add_blocked(&d, LAYER_FIREWALL, CAUSE_FIREWALL_REJECT,
	                                   SEVERITY_BLOCKER, "192.0.2.10", "f2b-sshd rule 1",
	                                   "2026-11-24 10:52:00", "iptables-save", 1, NULL),
	             SD_OK);
	diagnosis_conclude(&d);
	if (CHECK_EQ_INT(d.nblocked, 2)) {
		CHECK_STREQ(d.blocked[0].who, "192.0.2.10");
		CHECK_STREQ(d.blocked[0].until, "2026-11-24 10:52:00");
		CHECK(d.blocked[0].fix == NULL);
		CHECK_STREQ(d.blocked[1].where.source, "/etc/hosts.deny");
		CHECK_EQ_INT(d.blocked[1].where.line, 3);
	}
	for (i = 0; i < DIAGNOSIS_BLOCKED_MAX + 5; i++)
		CHECK_EQ_INT(diagnosis_add_blocked(&d, LAYER_BANS, CAUSE_FAIL2BAN_BAN,
		                                   SEVERITY_BLOCKER, "x", "y", NULL, NULL, 0, NULL),
		             SD_OK);
	CHECK_EQ_INT(d.nblocked, DIAGNOSIS_BLOCKED_MAX);
	CHECK_EQ_INT(d.blocked_omitted, 7);
	diagnosis_release(&d);
}
