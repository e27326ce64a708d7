/* banner: the identification exchange, fed whole or trickled. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "ssh/banner.h"

#include "t.h"
#include "tests.h"

#define OPENSSH92 "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3"

/* Feeds `s` in one chunk; returns what banner_feed said was consumed. */
static size_t feed_all(struct banner *b, const void *s, size_t n)
{
	size_t used = (size_t)-1;

	CHECK_EQ_INT(banner_feed(b, s, n, &used), SD_OK);
	return used;
}

static size_t feed_str(struct banner *b, const char *s)
{
	return feed_all(b, s, strlen(s));
}

/* Feeds one byte at a time; returns the sum of what was consumed. */
static size_t feed_bytewise(struct banner *b, const void *s, size_t n)
{
	const uint8_t *p = s;
	size_t i, used, total = 0;

	for (i = 0; i < n; i++) {
		used = (size_t)-1;
		CHECK_EQ_INT(banner_feed(b, p + i, 1, &used), SD_OK);
		CHECK(used <= 1);
		total += used;
	}
	return total;
}

void test_banner_single_chunk_equals_bytewise(void)
{
	static const char in[] = "Welcome\r\nsecond\tline \x01\n" OPENSSH92 "\r\n"
	                         "\x00\x00\x01\x0c\x0a\x14"; /* start of a packet */
	const size_t banner_len = strlen("Welcome\r\nsecond\tline \x01\n" OPENSSH92 "\r\n");
	struct banner a, b;
	size_t i, ua, ub;

	banner_init(&a);
	banner_init(&b);
	ua = feed_all(&a, in, sizeof(in) - 1);
	ub = feed_bytewise(&b, in, sizeof(in) - 1);
	CHECK_EQ_INT(ua, banner_len);
	CHECK_EQ_INT(ub, banner_len);
	CHECK_EQ_INT(a.state, BANNER_DONE);
	CHECK_EQ_INT(b.state, a.state);
	CHECK_STREQ(b.version_line, a.version_line);
	CHECK_STREQ(b.proto_version, a.proto_version);
	CHECK_STREQ(b.software, a.software);
	CHECK_STREQ(b.comments, a.comments);
	CHECK_EQ_INT(a.npre_lines, 2);
	CHECK_EQ_INT(b.npre_lines, a.npre_lines);
	for (i = 0; i < BANNER_KEEP_PRE_LINES; i++)
		CHECK_STREQ(b.pre_lines[i], a.pre_lines[i]);
	CHECK_STREQ(a.pre_lines[0], "Welcome");
	CHECK_STREQ(a.pre_lines[1], "second line \\x01");
	CHECK_EQ_INT(b.invalid_chars, a.invalid_chars);
	CHECK_EQ_INT(b.version_line_too_long, a.version_line_too_long);
	CHECK_EQ_INT(b.kind, a.kind);
	banner_release(&a);
	banner_release(&b);
}

/*
 * The kind of talker must not depend on how TCP split the first bytes: a server whose banner
 * arrives as "S", "SH-2.0-…" is still an SSH server, and an HTTP server trickling "H", "T", …
 * is still HTTP.
 */
void test_banner_kind_does_not_depend_on_chunking(void)
{
	static const char ssh[] = OPENSSH92 "\r\n";
	static const char http[] = "HTTP/1.1 400 Bad Request\r\n\r\n";
	struct banner a, b;

	banner_init(&a);
	banner_init(&b);
	feed_str(&a, ssh);
	feed_bytewise(&b, ssh, strlen(ssh));
	CHECK_EQ_INT(a.kind, BANNER_KIND_SSH);
	CHECK_EQ_INT(b.kind, BANNER_KIND_SSH);
	banner_release(&a);
	banner_release(&b);

	banner_init(&a);
	banner_init(&b);
	feed_str(&a, http);
	feed_all(&b, "HT", 2);
	feed_str(&b, http + 2);
	CHECK_EQ_INT(a.kind, BANNER_KIND_HTTP);
	CHECK_EQ_INT(b.kind, BANNER_KIND_HTTP);
	banner_release(&a);
	banner_release(&b);
}

void test_banner_pre_lines_kept_max_8_and_counted(void)
{
	struct banner b;
	char line[32];
	int i;

	banner_init(&b);
	for (i = 0; i < 11; i++) {
		snprintf(line, sizeof(line), "pre %d\r\n", i);
		feed_str(&b, line);
	}
	CHECK_EQ_INT(b.state, BANNER_NEED_MORE);
	feed_str(&b, "SSH-2.0-x\r\n");
	CHECK_EQ_INT(b.state, BANNER_DONE);
	CHECK_EQ_INT(b.npre_lines, 11);
	CHECK_STREQ(b.pre_lines[0], "pre 0");
	CHECK_STREQ(b.pre_lines[7], "pre 7");
	banner_release(&b);
}

void test_banner_pre_line_truncated_to_keep_chars(void)
{
	struct banner b;
	char line[600];

	memset(line, 'q', 500);
	strcpy(line + 500, "\n");
	banner_init(&b);
	feed_str(&b, line);
	CHECK_EQ_INT(b.npre_lines, 1);
	if (CHECK(b.pre_lines[0] != NULL))
		CHECK_EQ_INT(strlen(b.pre_lines[0]), BANNER_KEEP_LINE_CHARS);
	banner_release(&b);
}

void test_banner_consumed_stops_at_version_line(void)
{
	static const char in[] = "hello\r\nSSH-2.0-OpenSSH_9.9\r\n\x00\x00\x00\x1c\x04\x14rest";
	const size_t want = strlen("hello\r\nSSH-2.0-OpenSSH_9.9\r\n");
	struct banner b;
	size_t used;

	banner_init(&b);
	used = feed_all(&b, in, sizeof(in) - 1);
	CHECK_EQ_INT(b.state, BANNER_DONE);
	CHECK_EQ_INT(used, want);
	CHECK_EQ_INT(b.bytes_seen, sizeof(in) - 1);
	CHECK_STREQ(b.version_line, "SSH-2.0-OpenSSH_9.9");
	banner_release(&b);
}

void test_banner_feed_after_done_consumes_nothing(void)
{
	struct banner b;
	size_t used = 99;

	banner_init(&b);
	feed_str(&b, "SSH-2.0-a\r\n");
	CHECK_EQ_INT(banner_feed(&b, (const uint8_t *)"SSH-2.0-b\r\n", 11, &used), SD_OK);
	CHECK_EQ_INT(used, 0);
	CHECK_STREQ(b.software, "a");
	banner_release(&b);
}

void test_banner_needs_more_consumes_everything(void)
{
	struct banner b;

	banner_init(&b);
	CHECK_EQ_INT(feed_str(&b, "SSH-2.0-Open"), 12);
	CHECK_EQ_INT(b.state, BANNER_NEED_MORE);
	CHECK_EQ_INT(feed_str(&b, "SSH\r\n"), 5);
	CHECK_EQ_INT(b.state, BANNER_DONE);
	CHECK_STREQ(b.software, "OpenSSH");
	banner_release(&b);
}

void test_banner_crlf_and_bare_lf(void)
{
	struct banner a, b;

	banner_init(&a);
	banner_init(&b);
	feed_str(&a, "pre\r\nSSH-2.0-srv c\r\n");
	feed_str(&b, "pre\nSSH-2.0-srv c\n");
	CHECK_EQ_INT(a.state, BANNER_DONE);
	CHECK_EQ_INT(b.state, BANNER_DONE);
	CHECK_STREQ(a.version_line, "SSH-2.0-srv c");
	CHECK_STREQ(b.version_line, "SSH-2.0-srv c");
	CHECK_STREQ(a.pre_lines[0], "pre");
	CHECK_STREQ(b.pre_lines[0], "pre");
	CHECK_EQ_INT(a.invalid_chars, 0);
	CHECK_EQ_INT(b.invalid_chars, 0);
	banner_release(&a);
	banner_release(&b);
}

void test_banner_version_parts(void)
{
	struct banner b;

	banner_init(&b);
	feed_str(&b, OPENSSH92 "\r\n");
	CHECK_EQ_INT(b.state, BANNER_DONE);
	CHECK_STREQ(b.version_line, OPENSSH92);
	CHECK_STREQ(b.proto_version, "2.0");
	CHECK_STREQ(b.software, "OpenSSH_9.2p1");
	CHECK_STREQ(b.comments, "Debian-2+deb12u3");
	CHECK_EQ_INT(b.npre_lines, 0);
	CHECK_EQ_INT(b.kind, BANNER_KIND_SSH);
	CHECK_EQ_INT(b.version_line_too_long, 0);
	banner_release(&b);
}

void test_banner_no_comments_is_null(void)
{
	struct banner b;

	banner_init(&b);
	feed_str(&b, "SSH-2.0-dropbear_2022.83\r\n");
	CHECK_EQ_INT(b.state, BANNER_DONE);
	CHECK_STREQ(b.software, "dropbear_2022.83");
	CHECK(b.comments == NULL);
	banner_release(&b);
}

void test_banner_proto_1_99_accepted(void)
{
	struct banner b;

	banner_init(&b);
	feed_str(&b, "SSH-1.99-OpenSSH_3.9p1\r\n");
	CHECK_EQ_INT(b.state, BANNER_DONE);
	CHECK_STREQ(b.proto_version, "1.99");
	banner_release(&b);
}

void test_banner_ssh1_is_bad_version(void)
{
	struct banner b;

	banner_init(&b);
	feed_str(&b, "SSH-1.5-x\r\n");
	CHECK_EQ_INT(b.state, BANNER_BAD_VERSION);
	banner_release(&b);
}

void test_banner_empty_software_is_bad_version(void)
{
	struct banner b;

	banner_init(&b);
	feed_str(&b, "SSH-2.0-\r\n");
	CHECK_EQ_INT(b.state, BANNER_BAD_VERSION);
	banner_release(&b);
}

void test_banner_no_dash_is_bad_version(void)
{
	struct banner b;

	banner_init(&b);
	feed_str(&b, "SSH-2.0\r\n");
	CHECK_EQ_INT(b.state, BANNER_BAD_VERSION);
	banner_release(&b);
}

void test_banner_9000_byte_line_is_too_long(void)
{
	struct banner b;
	char *big = malloc(9001);
	size_t used;

	if (!CHECK(big != NULL))
		return;
	memset(big, 'A', 9000);
	big[9000] = '\n';
	banner_init(&b);
	used = feed_all(&b, big, 9001);
	CHECK_EQ_INT(b.state, BANNER_LINE_TOO_LONG);
	CHECK_EQ_INT(used, 9001);
	CHECK(b.line.len <= BANNER_MAX_LINE);
	banner_release(&b);
	/* the same line trickled in 1000-byte chunks, no newline ever */
	banner_init(&b);
	for (used = 0; used < 9; used++)
		feed_all(&b, big, 1000);
	CHECK_EQ_INT(b.state, BANNER_LINE_TOO_LONG);
	banner_release(&b);
	free(big);
}

void test_banner_line_of_max_length_is_accepted(void)
{
	struct banner b;
	char *line = malloc(BANNER_MAX_LINE + 1);

	if (!CHECK(line != NULL))
		return;
	memset(line, 'p', BANNER_MAX_LINE);
	line[BANNER_MAX_LINE] = '\n';
	banner_init(&b);
	feed_all(&b, line, BANNER_MAX_LINE + 1);
	CHECK_EQ_INT(b.state, BANNER_NEED_MORE);
	CHECK_EQ_INT(b.npre_lines, 1);
	banner_release(&b);
	free(line);
}

void test_banner_1025_pre_lines_is_too_many(void)
{
	struct banner b;
	int i;

	banner_init(&b);
	for (i = 0; i < BANNER_MAX_PRE_LINES; i++)
		feed_str(&b, "x\r\n");
	CHECK_EQ_INT(b.state, BANNER_NEED_MORE);
	feed_str(&b, "x\r\n");
	CHECK_EQ_INT(b.state, BANNER_TOO_MANY_LINES);
	CHECK_EQ_INT(b.npre_lines, BANNER_MAX_PRE_LINES + 1);
	banner_release(&b);
}

void test_banner_1024_pre_lines_then_version_is_done(void)
{
	struct banner b;
	int i;

	banner_init(&b);
	for (i = 0; i < BANNER_MAX_PRE_LINES; i++)
		feed_str(&b, "x\n");
	feed_str(&b, "SSH-2.0-late\n");
	CHECK_EQ_INT(b.state, BANNER_DONE);
	CHECK_EQ_INT(b.npre_lines, BANNER_MAX_PRE_LINES);
	banner_release(&b);
}

void test_banner_nul_sets_invalid_chars(void)
{
	static const char in[] = "SSH-2.0-Open\0SSH\r\n";
	struct banner b;

	banner_init(&b);
	feed_all(&b, in, sizeof(in) - 1);
	CHECK_EQ_INT(b.invalid_chars, 1);
	CHECK_STREQ(b.version_line, "SSH-2.0-Open\\x00SSH");
	banner_release(&b);

	banner_init(&b);
	feed_all(&b, "pre\0line\n", 9);
	CHECK_EQ_INT(b.invalid_chars, 1);
	CHECK_STREQ(b.pre_lines[0], "pre\\x00line");
	banner_release(&b);
}

void test_banner_stray_cr_sets_invalid_chars(void)
{
	struct banner b;

	banner_init(&b);
	feed_str(&b, "SSH-2.0-a\rb\r\n");
	CHECK_EQ_INT(b.invalid_chars, 1);
	banner_release(&b);
}

void test_banner_long_version_line_flagged(void)
{
	struct banner b;
	char line[400];

	memcpy(line, "SSH-2.0-", 8);
	memset(line + 8, 'v', 300);
	strcpy(line + 308, "\r\n");
	banner_init(&b);
	feed_str(&b, line);
	CHECK_EQ_INT(b.state, BANNER_DONE);
	CHECK_EQ_INT(b.version_line_too_long, 1);
	banner_release(&b);
}

void test_banner_classify_kinds(void)
{
	static const uint8_t tls[] = {0x16, 0x03, 0x01, 0x00, 0x2a, 0x02};
	static const uint8_t alert[] = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28};
	static const uint8_t bin[] = {0x00, 0x00, 0x00, 0x0c, 0x0a, 0x15, 0x80, 0x81, 0xfe, 0xff};
#define CL(s) banner_classify((const uint8_t *)(s), strlen(s))
	CHECK_EQ_INT(banner_classify(NULL, 0), BANNER_KIND_NONE);
	CHECK_EQ_INT(CL("SSH-2.0-x\r\n"), BANNER_KIND_SSH);
	CHECK_EQ_INT(CL("HTTP/1.1 400 Bad Request\r\n\r\n"), BANNER_KIND_HTTP);
	CHECK_EQ_INT(CL("<!DOCTYPE html>"), BANNER_KIND_HTTP);
	CHECK_EQ_INT(CL("<html><body>"), BANNER_KIND_HTTP);
	CHECK_EQ_INT(banner_classify(tls, sizeof(tls)), BANNER_KIND_TLS);
	CHECK_EQ_INT(banner_classify(alert, sizeof(alert)), BANNER_KIND_TLS);
	CHECK_EQ_INT(CL("220 mx.example.org ESMTP Postfix (Debian/GNU)\r\n"), BANNER_KIND_SMTP);
	CHECK_EQ_INT(CL("220 (vsFTPd 3.0.3)\r\n"), BANNER_KIND_FTP);
	CHECK_EQ_INT(CL("220 ProFTPD Server ready.\r\n"), BANNER_KIND_FTP);
	CHECK_EQ_INT(CL("+OK Dovecot ready.\r\n"), BANNER_KIND_POP3);
	CHECK_EQ_INT(CL("* OK [CAPABILITY IMAP4rev1] Dovecot ready.\r\n"), BANNER_KIND_IMAP);
	CHECK_EQ_INT(CL("Exceeded MaxStartups\r\n"), BANNER_KIND_TEXT);
	CHECK_EQ_INT(banner_classify(bin, sizeof(bin)), BANNER_KIND_BINARY);
#undef CL
	CHECK_STREQ(banner_kind_name(BANNER_KIND_HTTP), "http");
	CHECK_STREQ(banner_kind_name(BANNER_KIND_TLS), "tls");
	CHECK_STREQ(banner_kind_name(BANNER_KIND_BINARY), "binary");
	CHECK_STREQ(banner_kind_name((enum banner_kind)999), "unknown");
}

void test_banner_feed_records_kind(void)
{
	struct banner b;

	banner_init(&b);
	feed_str(&b, "HTTP/1.1 400 Bad Request\r\n\r\n");
	CHECK_EQ_INT(b.kind, BANNER_KIND_HTTP);
	CHECK_EQ_INT(b.state, BANNER_NEED_MORE);
	CHECK_EQ_INT(b.npre_lines, 2);
	CHECK_STREQ(b.pre_lines[0], "HTTP/1.1 400 Bad Request");
	CHECK_STREQ(b.pre_lines[1], "");
	banner_release(&b);
}

void test_banner_sshd_refusal_lines(void)
{
	CHECK_EQ_INT(banner_is_sshd_refusal("Exceeded MaxStartups"), 1);
	CHECK_EQ_INT(banner_is_sshd_refusal("Not allowed at this time"), 1);
	CHECK_EQ_INT(banner_is_sshd_refusal("Welcome to host"), 0);
	CHECK_EQ_INT(banner_is_sshd_refusal(""), 0);
	CHECK_EQ_INT(banner_is_sshd_refusal(NULL), 0);
}

void test_banner_openssh_version_parses(void)
{
	int ma = -1, mi = -1;

	CHECK_EQ_INT(banner_openssh_version("OpenSSH_9.2p1", &ma, &mi), 1);
	CHECK_EQ_INT(ma, 9);
	CHECK_EQ_INT(mi, 2);
	CHECK_EQ_INT(banner_openssh_version("OpenSSH_10.0", &ma, &mi), 1);
	CHECK_EQ_INT(ma, 10);
	CHECK_EQ_INT(mi, 0);
	CHECK_EQ_INT(banner_openssh_version("OpenSSH_8.9p1", &ma, &mi), 1);
	CHECK_EQ_INT(ma, 8);
	CHECK_EQ_INT(mi, 9);
}

void test_banner_openssh_version_rejects(void)
{
	int ma = -7, mi = -7;

	CHECK_EQ_INT(banner_openssh_version("dropbear_2022.83", &ma, &mi), 0);
	CHECK_EQ_INT(banner_openssh_version("OpenSSH_", &ma, &mi), 0);
	CHECK_EQ_INT(banner_openssh_version("OpenSSH_9", &ma, &mi), 0);
	CHECK_EQ_INT(banner_openssh_version("OpenSSH_9.", &ma, &mi), 0);
	CHECK_EQ_INT(banner_openssh_version("OpenSSH_x.1", &ma, &mi), 0);
	CHECK_EQ_INT(banner_openssh_version(NULL, &ma, &mi), 0);
	CHECK_EQ_INT(ma, -7); /* outputs untouched on failure */
	CHECK_EQ_INT(mi, -7);
}

void test_banner_release_is_reusable(void)
{
	struct banner b;

	banner_init(&b);
	feed_str(&b, "a\nSSH-2.0-x\n");
	banner_release(&b);
	CHECK_EQ_INT(b.state, BANNER_NEED_MORE);
	CHECK(b.version_line == NULL);
	CHECK_EQ_INT(b.npre_lines, 0);
	feed_str(&b, "SSH-2.0-y\n");
	CHECK_STREQ(b.software, "y");
	banner_release(&b);
}
