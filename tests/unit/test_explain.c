#include <stdlib.h>
#include <string.h>

#include "explain/explain.h"
#include "t.h"
#include "tests.h"

static struct explain_result *ex(const char *text)
{
	struct explain_result *r = malloc(sizeof(*r));

	if (r)
		explain_message(text, strlen(text), r);
	return r;
}

void test_explain_old_wording_is_banner_exchange(void)
{
	struct explain_result *r =
	    ex("ssh_exchange_identification: read: Connection reset by peer");

	CHECK(r->recognised);
	CHECK_EQ_INT(r->side, EXPLAIN_SIDE_CLIENT);
	CHECK_EQ_INT(r->phase, EXPLAIN_PHASE_BANNER);
	CHECK_EQ_INT(r->pre_auth, 1);
	CHECK_STREQ(cause_name(r->causes[0].cause), "tcp_wrappers_deny");
	free(r);
}

void test_explain_most_decisive_line_wins(void)
{
	struct explain_result *r =
	    ex("debug1: Connecting to srv.example [192.0.2.1] port 2222.\n"
	       "debug1: kex_exchange_identification: banner line 0: Exceeded MaxStartups\r\n"
	       "kex_exchange_identification: read: Connection reset by peer\n"
	       "Connection reset by 192.0.2.1 port 2222\n");

	CHECK_STREQ(r->symptom, "banner_maxstartups");
	CHECK_EQ_INT(r->shown[0].no, 2);
	CHECK_STREQ(cause_name(r->causes[0].cause), "max_startups");
	CHECK_STREQ(r->host, "srv.example");
	CHECK_STREQ(r->address, "192.0.2.1");
	CHECK_EQ_INT(r->port, 2222);
	CHECK_STREQ(r->first.cmd, "sshdiag probe srv.example:2222");
	free(r);
}

void test_explain_close_after_host_key_is_authentication(void)
{
	struct explain_result *r =
	    ex("Warning: Permanently added '192.0.2.1' (ED25519) to the list "
	       "of known hosts.\nConnection closed by 192.0.2.1 port 22\n");
	struct explain_result *q = ex("Connection closed by 192.0.2.1 port 22\n");

	CHECK_EQ_INT(r->phase, EXPLAIN_PHASE_AUTH);
	CHECK_STREQ(cause_name(r->causes[0].cause), "refuse_connection");
	CHECK_EQ_INT(q->phase, EXPLAIN_PHASE_BANNER);
	CHECK_STREQ(cause_name(q->causes[0].cause), "max_startups");
	free(r);
	free(q);
}

void test_explain_server_line_names_the_client(void)
{
	struct explain_result *r =
	    ex("Nov 24 03:25:15 lab sshd[9]: refused connect from 192.0.2.10 "
	       "(192.0.2.10)");

	CHECK_EQ_INT(r->side, EXPLAIN_SIDE_SERVER);
	CHECK_STREQ(r->client, "192.0.2.10");
	CHECK_STREQ(cause_name(r->causes[0].cause), "tcp_wrappers_deny");
	CHECK_STREQ(r->causes[0].next.cmd, "sshdiag server --client 192.0.2.10 --port 22");
	free(r);
}

void test_explain_permission_denied_is_not_pre_auth(void)
{
	struct explain_result *r = ex("alice@192.0.2.1: Permission denied (publickey).");

	CHECK_EQ_INT(r->phase, EXPLAIN_PHASE_AUTH);
	CHECK_EQ_INT(r->pre_auth, 0);
	CHECK_STREQ(r->user, "alice");
	CHECK_STREQ(cause_name(r->causes[0].cause), "auth_rejected");
	free(r);
}

void test_explain_unknown_text_is_not_recognised(void)
{
	struct explain_result *r = ex("the printer is on fire\n\n");

	CHECK_EQ_INT(r->recognised, 0);
	CHECK_EQ_INT(r->ncauses, 0);
	CHECK_EQ_INT(r->lines, 2);
	free(r);
}

void test_explain_shell_metacharacters_stay_out_of_commands(void)
{
	struct explain_result *r = ex("ssh: connect to host `id`;x port 22: Connection refused\n"
	                              "ssh: connect to host a'b port 22: Connection refused");
	size_t i;

	CHECK(r->recognised);
	CHECK(strpbrk(r->first.cmd, "`;'$") == NULL);
	for (i = 0; i < r->ncauses; i++)
		CHECK(strchr(r->causes[i].next.cmd, '`') == NULL);
	free(r);
}

void test_explain_text_fits_80_columns(void)
{
	struct explain_result *r =
	    ex("Nov 24 03:25:15 lab sshd[100]: drop connection #0 from [192.0.2.10]:40000 on "
	       "[192.0.2.1]:22 penalty: connections without attempting authentication");
	struct buf b;
	const char *p;
	int wide = 0;

	buf_init(&b, 1 << 20);
	CHECK_EQ_INT(explain_render_text(r, &b), 0);
	for (p = b.data; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		wide |= n > 80;
		p += n + (nl ? 1 : 0);
	}
	CHECK_EQ_INT(wide, 0);
	CHECK(strncmp(b.data, "SERVER side, banner exchange, before authentication\n", 52) == 0);
	buf_release(&b);
	free(r);
}
