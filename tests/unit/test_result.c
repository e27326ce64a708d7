/* probe_result_conclude: outcome, pattern, ranked causes, server-side checks. */
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "probe/result.h"

#include "t.h"
#include "tests.h"

static void add(struct probe_result *r, enum probe_outcome o, double end_ms)
{
	struct probe_attempt a;

	memset(&a, 0, sizeof(a));
	a.outcome = o;
	a.connect_ms = 0.3;
	a.banner_ms = a.kexinit_ms = -1;
	a.end_ms = end_ms;
	CHECK_EQ_INT(probe_result_add_attempt(r, &a), SD_OK);
}

static int cause_rank(const struct probe_result *r, enum cause_id c)
{
	size_t i;

	for (i = 0; i < r->ncauses; i++)
		if (r->causes[i].cause == c)
			return (int)i;
	return -1;
}

void test_result_deterministic_counts(void)
{
	struct probe_result r;

	CHECK_EQ_INT(probe_result_init(&r, "host", "192.0.2.1", 22), SD_OK);
	add(&r, OUTCOME_REFUSED, 1);
	add(&r, OUTCOME_REFUSED, 1);
	add(&r, OUTCOME_REFUSED, 1);
	CHECK_EQ_INT(probe_result_conclude(&r), SD_OK);
	CHECK_EQ_INT(r.outcome, OUTCOME_REFUSED);
	CHECK_EQ_INT(r.pattern, PATTERN_DETERMINISTIC);
	CHECK_EQ_INT(r.counts[OUTCOME_REFUSED], 3);
	CHECK_EQ_INT(r.counts[OUTCOME_OK], 0);
	CHECK_STREQ(probe_pattern_name(r.pattern), "deterministic");
	probe_result_release(&r);
}

void test_result_intermittent_most_frequent(void)
{
	struct probe_result r;

	CHECK_EQ_INT(probe_result_init(&r, "host", "192.0.2.1", 22), SD_OK);
	add(&r, OUTCOME_OK, 20);
	add(&r, OUTCOME_CLOSED_BEFORE_BANNER, 2);
	add(&r, OUTCOME_OK, 20);
	add(&r, OUTCOME_OK, 20);
	add(&r, OUTCOME_RESET_BEFORE_BANNER, 2);
	CHECK_EQ_INT(probe_result_conclude(&r), SD_OK);
	CHECK_EQ_INT(r.outcome, OUTCOME_OK);
	CHECK_EQ_INT(r.pattern, PATTERN_INTERMITTENT);
	CHECK_EQ_INT(r.counts[OUTCOME_OK], 3);
	CHECK_EQ_INT(r.counts[OUTCOME_CLOSED_BEFORE_BANNER], 1);
	CHECK_EQ_INT(r.counts[OUTCOME_RESET_BEFORE_BANNER], 1);
	CHECK_STREQ(probe_pattern_name(r.pattern), "intermittent");
	probe_result_release(&r);
}

void test_result_tie_goes_to_the_failure(void)
{
	struct probe_result r;

	CHECK_EQ_INT(probe_result_init(&r, "host", "192.0.2.1", 22), SD_OK);
	add(&r, OUTCOME_OK, 20);
	add(&r, OUTCOME_CLOSED_BEFORE_BANNER, 2);
	add(&r, OUTCOME_CLOSED_BEFORE_BANNER, 2);
	add(&r, OUTCOME_OK, 20);
	CHECK_EQ_INT(probe_result_conclude(&r), SD_OK);
	CHECK_EQ_INT(r.outcome, OUTCOME_CLOSED_BEFORE_BANNER);
	CHECK_EQ_INT(r.pattern, PATTERN_INTERMITTENT);
	probe_result_release(&r);
}

void test_result_reset_at_5s_ranks_tcp_wrappers_first(void)
{
	struct probe_result r;

	CHECK_EQ_INT(probe_result_init(&r, "host", "192.0.2.1", 22), SD_OK);
	add(&r, OUTCOME_RESET_BEFORE_BANNER, 5003.2);
	add(&r, OUTCOME_RESET_BEFORE_BANNER, 5001.7);
	add(&r, OUTCOME_RESET_BEFORE_BANNER, 5010.0);
	CHECK_EQ_INT(probe_result_conclude(&r), SD_OK);
	CHECK_EQ_INT(r.outcome, OUTCOME_RESET_BEFORE_BANNER);
	CHECK_EQ_INT(r.pattern, PATTERN_DETERMINISTIC);
	if (CHECK(r.ncauses >= 2)) {
		CHECK_STREQ(cause_name(r.causes[0].cause), "tcp_wrappers_deny");
		CHECK_EQ_INT(cause_rank(&r, CAUSE_DENYHOSTS_ENTRY), 1);
		CHECK(r.causes[0].why && strstr(r.causes[0].why, "5 s"));
	}
	probe_result_release(&r);
}

void test_result_fast_reset_does_not_rank_tcp_wrappers_first(void)
{
	struct probe_result r;

	CHECK_EQ_INT(probe_result_init(&r, "host", "192.0.2.1", 22), SD_OK);
	add(&r, OUTCOME_RESET_BEFORE_BANNER, 3.0);
	add(&r, OUTCOME_RESET_BEFORE_BANNER, 2.5);
	CHECK_EQ_INT(probe_result_conclude(&r), SD_OK);
	CHECK(r.ncauses > 0);
	CHECK(cause_rank(&r, CAUSE_TCP_WRAPPERS_DENY) > 0);
	CHECK_EQ_INT(cause_rank(&r, CAUSE_DENYHOSTS_ENTRY), -1);
	probe_result_release(&r);
}

void test_result_intermittent_close_ranks_max_startups_first(void)
{
	struct probe_result r;

	CHECK_EQ_INT(probe_result_init(&r, "host", "192.0.2.1", 22), SD_OK);
	add(&r, OUTCOME_CLOSED_BEFORE_BANNER, 1.2);
	add(&r, OUTCOME_OK, 15.0);
	add(&r, OUTCOME_CLOSED_BEFORE_BANNER, 1.1);
	CHECK_EQ_INT(probe_result_conclude(&r), SD_OK);
	CHECK_EQ_INT(r.outcome, OUTCOME_CLOSED_BEFORE_BANNER);
	CHECK_EQ_INT(r.pattern, PATTERN_INTERMITTENT);
	if (CHECK(r.ncauses >= 2)) {
		CHECK_STREQ(cause_name(r.causes[0].cause), "max_startups");
		CHECK_EQ_INT(r.causes[1].cause, CAUSE_PER_SOURCE_MAX_STARTUPS);
	}
	probe_result_release(&r);
}

void test_result_refused_ranks_not_listening_first(void)
{
	struct probe_result r;

	CHECK_EQ_INT(probe_result_init(&r, "host", "192.0.2.1", 2222), SD_OK);
	add(&r, OUTCOME_REFUSED, 0.2);
	CHECK_EQ_INT(probe_result_conclude(&r), SD_OK);
	if (CHECK(r.ncauses >= 1))
		CHECK_STREQ(cause_name(r.causes[0].cause), "not_listening");
	CHECK(cause_rank(&r, CAUSE_FIREWALL_REJECT) > 0);
	CHECK(cause_rank(&r, CAUSE_FAIL2BAN_BAN) > 0);
	probe_result_release(&r);
}

void test_result_causes_have_reasons_and_no_duplicates(void)
{
	struct probe_result r;
	size_t i, j;
	int dup = 0, empty = 0;

	CHECK_EQ_INT(probe_result_init(&r, "host", "192.0.2.1", 22), SD_OK);
	add(&r, OUTCOME_CLOSED_BEFORE_BANNER, 5000);
	add(&r, OUTCOME_OK, 5000);
	add(&r, OUTCOME_CLOSED_BEFORE_BANNER, 5000);
	CHECK_EQ_INT(probe_result_conclude(&r), SD_OK);
	for (i = 0; i < r.ncauses; i++) {
		empty += !r.causes[i].why || !r.causes[i].why[0];
		for (j = i + 1; j < r.ncauses; j++)
			dup += r.causes[i].cause == r.causes[j].cause;
	}
	CHECK(r.ncauses > 3);
	CHECK_EQ_INT(dup, 0);
	CHECK_EQ_INT(empty, 0);
	probe_result_release(&r);
}

void test_result_server_checks_for_failure(void)
{
	struct probe_result r;
	size_t i;
	int has_port = 0, has_ss = 0;

	CHECK_EQ_INT(probe_result_init(&r, "host", "192.0.2.1", 2222), SD_OK);
	add(&r, OUTCOME_REFUSED, 0.2);
	CHECK_EQ_INT(probe_result_conclude(&r), SD_OK);
	CHECK(r.nserver_checks > 0);
	for (i = 0; i < r.nserver_checks; i++) {
		has_port += strstr(r.server_checks[i], "2222") != NULL;
		has_ss += strstr(r.server_checks[i], "ss -ltnp") != NULL;
	}
	CHECK(has_port > 0);
	CHECK(has_ss > 0);
	probe_result_release(&r);
}

void test_result_no_checks_or_causes_for_ok(void)
{
	struct probe_result r;

	CHECK_EQ_INT(probe_result_init(&r, "host", "192.0.2.1", 22), SD_OK);
	add(&r, OUTCOME_OK, 12);
	add(&r, OUTCOME_OK, 11);
	CHECK_EQ_INT(probe_result_conclude(&r), SD_OK);
	CHECK_EQ_INT(r.outcome, OUTCOME_OK);
	CHECK_EQ_INT(r.nserver_checks, 0);
	CHECK_EQ_INT(r.ncauses, 0);
	probe_result_release(&r);
}

void test_result_refused_by_sshd_not_allowed_ranks_penalty_first(void)
{
	struct probe_result r;
	struct banner b;
	size_t used;
	static const char in[] = "Not allowed at this time\r\n";

	CHECK_EQ_INT(probe_result_init(&r, "host", "192.0.2.1", 22), SD_OK);
	banner_init(&b);
	CHECK_EQ_INT(banner_feed(&b, (const uint8_t *)in, sizeof(in) - 1, &used), SD_OK);
	CHECK_EQ_INT(probe_result_note_banner(&r, &b), SD_OK);
	banner_release(&b);
	add(&r, OUTCOME_REFUSED_BY_SSHD, 1);
	CHECK_EQ_INT(probe_result_conclude(&r), SD_OK);
	CHECK_EQ_INT(r.npre_lines, 1);
	CHECK_STREQ(r.pre_lines[0], "Not allowed at this time");
	if (CHECK(r.ncauses >= 1))
		CHECK_EQ_INT(r.causes[0].cause, CAUSE_PER_SOURCE_PENALTY);
	probe_result_release(&r);
}

void test_result_note_banner_keeps_first(void)
{
	struct probe_result r;
	struct banner b;
	size_t used;

	CHECK_EQ_INT(probe_result_init(&r, "host", NULL, 22), SD_OK);
	CHECK(r.address == NULL);
	banner_init(&b);
	CHECK_EQ_INT(banner_feed(&b, (const uint8_t *)"SSH-2.0-first c\r\n", 17, &used), SD_OK);
	CHECK_EQ_INT(probe_result_note_banner(&r, &b), SD_OK);
	banner_release(&b);
	banner_init(&b);
	CHECK_EQ_INT(banner_feed(&b, (const uint8_t *)"SSH-2.0-second\r\n", 16, &used), SD_OK);
	CHECK_EQ_INT(probe_result_note_banner(&r, &b), SD_OK);
	banner_release(&b);
	CHECK_STREQ(r.banner_line, "SSH-2.0-first c");
	CHECK_STREQ(r.software, "first");
	CHECK(r.not_ssh_kind == NULL);
	probe_result_release(&r);
}

void test_result_add_attempt_takes_detail(void)
{
	struct probe_result r;
	struct probe_attempt a;

	CHECK_EQ_INT(probe_result_init(&r, "host", "192.0.2.1", 22), SD_OK);
	memset(&a, 0, sizeof(a));
	a.outcome = OUTCOME_UNREACHABLE;
	a.detail = strdup("ICMP host unreachable");
	CHECK_EQ_INT(probe_result_add_attempt(&r, &a), SD_OK);
	CHECK(a.detail == NULL);
	CHECK_EQ_INT(r.nattempts, 1);
	CHECK_STREQ(r.attempts[0].detail, "ICMP host unreachable");
	probe_result_release(&r); /* ASan: the detail is freed exactly once */
}

/* A deep stage that ran after good banner attempts decides the outcome. */
void test_result_deep_stage_outcome_wins_over_ok(void)
{
	struct probe_result r;

	CHECK_EQ_INT(probe_result_init(&r, "host", "192.0.2.1", 22), SD_OK);
	add(&r, OUTCOME_OK, 10);
	add(&r, OUTCOME_OK, 11);
	r.deep.ran = 1;
	r.deep.outcome = OUTCOME_CLOSED_AT_AUTH;
	CHECK_EQ_INT(probe_result_conclude(&r), SD_OK);
	CHECK_EQ_INT(r.outcome, OUTCOME_CLOSED_AT_AUTH);
	CHECK_EQ_INT(probe_outcome_is_success(r.outcome), 0);
	if (CHECK(r.ncauses > 0))
		CHECK_EQ_INT(r.causes[0].cause, CAUSE_REFUSE_CONNECTION);
	CHECK(r.nserver_checks > 0);
	probe_result_release(&r);
}

void test_result_deep_stage_does_not_hide_banner_failures(void)
{
	struct probe_result r;

	CHECK_EQ_INT(probe_result_init(&r, "host", "192.0.2.1", 22), SD_OK);
	add(&r, OUTCOME_RESET_BEFORE_BANNER, 3);
	r.deep.ran = 1;
	r.deep.outcome = OUTCOME_AUTH_METHODS;
	CHECK_EQ_INT(probe_result_conclude(&r), SD_OK);
	CHECK_EQ_INT(r.outcome, OUTCOME_RESET_BEFORE_BANNER);
	probe_result_release(&r);
}

void test_result_auth_methods_is_success(void)
{
	struct probe_result r;

	CHECK_EQ_INT(probe_result_init(&r, "host", "192.0.2.1", 22), SD_OK);
	add(&r, OUTCOME_OK, 10);
	r.deep.ran = 1;
	r.deep.outcome = OUTCOME_AUTH_METHODS;
	CHECK_EQ_INT(probe_result_conclude(&r), SD_OK);
	CHECK_EQ_INT(r.outcome, OUTCOME_AUTH_METHODS);
	CHECK_EQ_INT(probe_outcome_is_success(r.outcome), 1);
	CHECK_EQ_INT(probe_outcome_is_success(OUTCOME_OK), 1);
	CHECK_EQ_INT(r.ncauses, 0);
	CHECK_EQ_INT(r.nserver_checks, 0);
	probe_result_release(&r);
}

void test_result_conclude_twice_is_idempotent(void)
{
	struct probe_result r;
	size_t ncauses, nchecks;

	CHECK_EQ_INT(probe_result_init(&r, "host", "192.0.2.1", 22), SD_OK);
	add(&r, OUTCOME_CLOSED_BEFORE_BANNER, 1);
	add(&r, OUTCOME_OK, 10);
	CHECK_EQ_INT(probe_result_conclude(&r), SD_OK);
	ncauses = r.ncauses;
	nchecks = r.nserver_checks;
	CHECK_EQ_INT(probe_result_conclude(&r), SD_OK);
	CHECK_EQ_INT(r.ncauses, ncauses);
	CHECK_EQ_INT(r.nserver_checks, nchecks);
	CHECK_EQ_INT(r.counts[OUTCOME_OK], 1);
	probe_result_release(&r);
}

void test_result_reset_and_close_before_banner_are_one_pattern(void)
{
	struct probe_result r;

	/* libwrap's refusal arrives as a reset or a close depending on a race: still one cause */
	CHECK_EQ_INT(probe_result_init(&r, "host", "192.0.2.1", 22), SD_OK);
	add(&r, OUTCOME_RESET_BEFORE_BANNER, 5010);
	add(&r, OUTCOME_CLOSED_BEFORE_BANNER, 5005);
	CHECK_EQ_INT(probe_result_conclude(&r), SD_OK);
	CHECK_EQ_INT(r.pattern, PATTERN_DETERMINISTIC);
	CHECK(r.ncauses > 0 && r.causes[0].cause == CAUSE_TCP_WRAPPERS_DENY);
	/* but an ok among them is a real difference */
	add(&r, OUTCOME_OK, 10);
	CHECK_EQ_INT(probe_result_conclude(&r), SD_OK);
	CHECK_EQ_INT(r.pattern, PATTERN_INTERMITTENT);
	probe_result_release(&r);
}
