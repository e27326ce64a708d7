/* probe_classify: one outcome per set of facts an attempt can record. */
#include <string.h>

#include "base/err.h"
#include "probe/outcome.h"

#include "t.h"
#include "tests.h"

/* Classifies facts whose identification exchange saw `server_bytes`. */
static enum probe_outcome classify(enum connect_result conn, enum end_event end,
                                   const char *server_bytes, int kexinit_ok, int disconnect,
                                   int packet_error)
{
	struct banner b;
	struct attempt_facts f;
	enum probe_outcome o;
	size_t used;

	banner_init(&b);
	if (server_bytes && *server_bytes)
		CHECK_EQ_INT(
		    banner_feed(&b, (const uint8_t *)server_bytes, strlen(server_bytes), &used),
		    SD_OK);
	memset(&f, 0, sizeof(f));
	f.connect = conn;
	f.end = end;
	f.banner = &b;
	f.kexinit_ok = kexinit_ok;
	f.got_disconnect = disconnect;
	f.packet_error = packet_error;
	o = probe_classify(&f);
	banner_release(&b);
	return o;
}

#define SSHB "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"

void test_classify_connect_failures(void)
{
	CHECK_EQ_INT(classify(CONNECT_REFUSED, END_ERROR, NULL, 0, 0, 0), OUTCOME_REFUSED);
	CHECK_EQ_INT(classify(CONNECT_TIMEOUT, END_ERROR, NULL, 0, 0, 0), OUTCOME_TIMEOUT_CONNECT);
	CHECK_EQ_INT(classify(CONNECT_UNREACHABLE, END_ERROR, NULL, 0, 0, 0), OUTCOME_UNREACHABLE);
	CHECK_EQ_INT(classify(CONNECT_LOCAL_ERROR, END_ERROR, NULL, 0, 0, 0), OUTCOME_LOCAL_ERROR);
}

void test_classify_before_banner_ends(void)
{
	CHECK_EQ_INT(classify(CONNECT_OK, END_RESET, NULL, 0, 0, 0), OUTCOME_RESET_BEFORE_BANNER);
	CHECK_EQ_INT(classify(CONNECT_OK, END_EOF, NULL, 0, 0, 0), OUTCOME_CLOSED_BEFORE_BANNER);
	CHECK_EQ_INT(classify(CONNECT_OK, END_TIMEOUT, NULL, 0, 0, 0), OUTCOME_TIMEOUT_BANNER);
}

void test_classify_refused_by_sshd_maxstartups(void)
{
	CHECK_EQ_INT(classify(CONNECT_OK, END_EOF, "Exceeded MaxStartups\r\n", 0, 0, 0),
	             OUTCOME_REFUSED_BY_SSHD);
	/* the refusal wins over how the connection ended */
	CHECK_EQ_INT(classify(CONNECT_OK, END_RESET, "Exceeded MaxStartups\r\n", 0, 0, 0),
	             OUTCOME_REFUSED_BY_SSHD);
}

void test_classify_refused_by_sshd_not_allowed(void)
{
	CHECK_EQ_INT(classify(CONNECT_OK, END_EOF, "Not allowed at this time\r\n", 0, 0, 0),
	             OUTCOME_REFUSED_BY_SSHD);
}

void test_classify_not_ssh_http_then_eof(void)
{
	CHECK_EQ_INT(classify(CONNECT_OK, END_EOF, "HTTP/1.1 400 Bad Request\r\n\r\n", 0, 0, 0),
	             OUTCOME_NOT_SSH);
	/* a partial line without a newline is also something else talking */
	CHECK_EQ_INT(classify(CONNECT_OK, END_EOF, "garbage", 0, 0, 0), OUTCOME_NOT_SSH);
}

void test_classify_banner_limits_are_not_ssh(void)
{
	struct banner b;
	struct attempt_facts f;

	banner_init(&b);
	memset(&f, 0, sizeof(f));
	f.connect = CONNECT_OK;
	f.end = END_PROTOCOL;
	f.banner = &b;
	b.state = BANNER_LINE_TOO_LONG;
	b.bytes_seen = 9000;
	CHECK_EQ_INT(probe_classify(&f), OUTCOME_NOT_SSH);
	b.state = BANNER_TOO_MANY_LINES;
	CHECK_EQ_INT(probe_classify(&f), OUTCOME_NOT_SSH);
	banner_release(&b);
}

void test_classify_after_banner_ends(void)
{
	CHECK_EQ_INT(classify(CONNECT_OK, END_RESET, SSHB, 0, 0, 0), OUTCOME_RESET_AFTER_BANNER);
	CHECK_EQ_INT(classify(CONNECT_OK, END_EOF, SSHB, 0, 0, 0), OUTCOME_CLOSED_AFTER_BANNER);
	CHECK_EQ_INT(classify(CONNECT_OK, END_COMPLETE, SSHB, 0, 1, 0),
	             OUTCOME_CLOSED_AFTER_BANNER);
	CHECK_EQ_INT(classify(CONNECT_OK, END_TIMEOUT, SSHB, 0, 0, 0), OUTCOME_TIMEOUT_KEXINIT);
}

void test_classify_protocol_errors(void)
{
	CHECK_EQ_INT(classify(CONNECT_OK, END_PROTOCOL, "SSH-1.5-x\r\n", 0, 0, 0),
	             OUTCOME_PROTOCOL_ERROR);
	CHECK_EQ_INT(classify(CONNECT_OK, END_PROTOCOL, SSHB, 0, 0, 1), OUTCOME_PROTOCOL_ERROR);
	CHECK_EQ_INT(classify(CONNECT_OK, END_COMPLETE, SSHB, 0, 0, 1), OUTCOME_PROTOCOL_ERROR);
}

void test_classify_ok(void)
{
	CHECK_EQ_INT(classify(CONNECT_OK, END_COMPLETE, SSHB, 1, 0, 0), OUTCOME_OK);
	CHECK_EQ_INT(classify(CONNECT_OK, END_COMPLETE, "pre line\r\n" SSHB, 1, 0, 0), OUTCOME_OK);
}

void test_outcome_names(void)
{
	CHECK_STREQ(probe_outcome_name(OUTCOME_OK), "ok");
	CHECK_STREQ(probe_outcome_name(OUTCOME_RESET_BEFORE_BANNER), "reset_before_banner");
	CHECK_STREQ(probe_outcome_name(OUTCOME_REFUSED_BY_SSHD), "refused_by_sshd");
	CHECK_STREQ(probe_outcome_name(OUTCOME_LOCAL_ERROR), "local_error");
	CHECK_STREQ(probe_outcome_name(OUTCOME__COUNT), "unknown");
	CHECK(strlen(probe_outcome_text(OUTCOME_NOT_SSH)) > 0);
}

/* A version line still trickling in when time ran out is a banner timeout, not "not SSH". */
void test_classify_partial_version_line_timeout(void)
{
	CHECK_EQ_INT(classify(CONNECT_OK, END_TIMEOUT, "SSH-2.0-Open", 0, 0, 0),
	             OUTCOME_TIMEOUT_BANNER);
	/* but a partial line that is not SSH still is something else talking */
	CHECK_EQ_INT(classify(CONNECT_OK, END_TIMEOUT, "220 mail", 0, 0, 0), OUTCOME_NOT_SSH);
}
