/* buf: growth, the hard cap, formatting, sanitising, detaching. */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"

#include "t.h"
#include "tests.h"

void test_buf_init_is_empty_string(void)
{
	struct buf b;

	buf_init(&b, 16);
	CHECK(b.data != NULL);
	CHECK_STREQ(b.data, "");
	CHECK_EQ_INT(b.len, 0);
	CHECK_EQ_INT(b.max, 16);
	buf_release(&b);
}

void test_buf_grows_past_initial_allocation(void)
{
	struct buf b;
	size_t i;
	int bad = 0;

	buf_init(&b, BUF_MAX_DEFAULT);
	for (i = 0; i < 10000; i++)
		if (buf_addch(&b, (char)('a' + i % 26)) != SD_OK)
			bad++;
	CHECK_EQ_INT(bad, 0);
	CHECK_EQ_INT(b.len, 10000);
	CHECK(b.alloc >= b.len + 1);
	CHECK_EQ_INT(b.data[10000], '\0');
	CHECK_EQ_INT(strlen(b.data), 10000);
	for (i = 0, bad = 0; i < 10000; i++)
		bad += b.data[i] != (char)('a' + i % 26);
	CHECK_EQ_INT(bad, 0);
	buf_release(&b);
	CHECK_EQ_INT(b.len, 0);
	CHECK_STREQ(b.data, "");
}

void test_buf_add_binary_keeps_nul(void)
{
	struct buf b;

	buf_init(&b, 64);
	CHECK_EQ_INT(buf_add(&b, "a\0b", 3), SD_OK);
	CHECK_EQ_INT(b.len, 3);
	CHECK(memcmp(b.data, "a\0b", 4) == 0); /* content plus the terminator */
	buf_release(&b);
}

void test_buf_cap_refuses_and_leaves_content(void)
{
	struct buf b;

	buf_init(&b, 8);
	CHECK_EQ_INT(buf_adds(&b, "12345678"), SD_OK); /* exactly at the cap */
	CHECK_EQ_INT(buf_addch(&b, '9'), SD_ERR_TOO_LONG);
	CHECK_EQ_INT(buf_adds(&b, "xyz"), SD_ERR_TOO_LONG);
	CHECK_EQ_INT(buf_add(&b, "x", (size_t)-1), SD_ERR_TOO_LONG); /* no overflow in the check */
	CHECK_EQ_INT(buf_addf(&b, "%d", 1), SD_ERR_TOO_LONG);
	CHECK_EQ_INT(b.len, 8);
	CHECK_STREQ(b.data, "12345678");
	buf_release(&b);
}

void test_buf_cap_on_partial_fit(void)
{
	struct buf b;

	buf_init(&b, 6);
	CHECK_EQ_INT(buf_adds(&b, "abcd"), SD_OK);
	CHECK_EQ_INT(buf_adds(&b, "efg"), SD_ERR_TOO_LONG); /* would be 7 */
	CHECK_EQ_INT(b.len, 4);
	CHECK_STREQ(b.data, "abcd");
	buf_release(&b);
}

void test_buf_addf_appends_formatted(void)
{
	struct buf b;

	buf_init(&b, 256);
	CHECK_EQ_INT(buf_adds(&b, "x="), SD_OK);
	CHECK_EQ_INT(buf_addf(&b, "%d-%s-%05.1f", -42, "str", 3.14159), SD_OK);
	CHECK_STREQ(b.data, "x=-42-str-003.1");
	CHECK_EQ_INT(b.len, strlen("x=-42-str-003.1"));
	CHECK_EQ_INT(buf_addf(&b, "%s", ""), SD_OK);
	CHECK_EQ_INT(b.len, strlen("x=-42-str-003.1"));
	buf_release(&b);
}

void test_buf_addf_long_output_grows(void)
{
	struct buf b;

	buf_init(&b, 4096);
	CHECK_EQ_INT(buf_addf(&b, "%300s|", "end"), SD_OK);
	CHECK_EQ_INT(b.len, 301);
	CHECK(memcmp(b.data + 297, "end|", 4) == 0);
	buf_release(&b);
}

void test_buf_sanitized_escapes_control_high_backslash(void)
{
	static const unsigned char in[] = {'o',  'k',  ' ', 0x01, '\t', '\\', 0x7f,
	                                   0xff, 0x1b, '[', '\r', '\n', 0x00, 'z'};
	struct buf b;

	buf_init(&b, 256);
	CHECK_EQ_INT(buf_add_sanitized(&b, in, sizeof(in)), SD_OK);
	CHECK_STREQ(b.data, "ok \\x01 \\\\\\x7f\\xff\\x1b[\\x0d\\x0a\\x00z");
	buf_release(&b);
}

void test_buf_sanitized_output_is_printable_for_all_bytes(void)
{
	unsigned char all[256];
	struct buf b;
	size_t i;
	int bad = 0;

	for (i = 0; i < 256; i++)
		all[i] = (unsigned char)i;
	buf_init(&b, 4096);
	CHECK_EQ_INT(buf_add_sanitized(&b, all, sizeof(all)), SD_OK);
	for (i = 0; i < b.len; i++)
		bad += (unsigned char)b.data[i] < 0x20 || (unsigned char)b.data[i] >= 0x7f;
	CHECK_EQ_INT(bad, 0);
	CHECK_EQ_INT(strlen(b.data), b.len);
	buf_release(&b);
}

void test_buf_sanitized_over_cap_is_rolled_back(void)
{
	struct buf b;

	buf_init(&b, 10);
	CHECK_EQ_INT(buf_adds(&b, "abc"), SD_OK);
	/* "de" fits, then \x01 needs 4 more: 3 + 2 + 4 = 9, then \x02 → 13 > 10 */
	CHECK_EQ_INT(buf_add_sanitized(&b, "de\x01\x02", 4), SD_ERR_TOO_LONG);
	CHECK_EQ_INT(b.len, 3);
	CHECK_STREQ(b.data, "abc");
	buf_release(&b);
}

void test_buf_wrapped_breaks_at_width_with_indent(void)
{
	struct buf b;

	buf_init(&b, 256);
	/* a fresh line starts with the indent; blanks collapse; the break is before "jumps" */
	CHECK_EQ_INT(buf_add_wrapped(&b, "  ", "the  quick brown fox jumps", 0, 20), SD_OK);
	CHECK_STREQ(b.data, "  the quick brown\n  fox jumps\n");
	buf_reset(&b);
	/* already at column 8 ("  label:"): a blank, then the words */
	CHECK_EQ_INT(buf_adds(&b, "  label:"), SD_OK);
	CHECK_EQ_INT(buf_add_wrapped(&b, "    ", "one two three", 8, 20), SD_OK);
	CHECK_STREQ(b.data, "  label: one two\n    three\n");
	buf_release(&b);
}

void test_buf_wrapped_cuts_a_long_word_after_a_comma(void)
{
	struct buf b;

	buf_init(&b, 256);
	/* room is 40 - 2 = 38: cut after the last comma in its second half, else at the room */
	CHECK_EQ_INT(buf_add_wrapped(&b, "  ",
	                             "ssh-ed25519,ecdsa-sha2-nistp256,rsa-sha2-512,ssh-rsa", 0, 40),
	             SD_OK);
	CHECK_STREQ(b.data, "  ssh-ed25519,ecdsa-sha2-nistp256,\n  rsa-sha2-512,ssh-rsa\n");
	buf_reset(&b);
	CHECK_EQ_INT(buf_add_wrapped(&b, "  ", "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN", 0, 40),
	             SD_OK);
	CHECK_STREQ(b.data, "  abcdefghijklmnopqrstuvwxyzABCDEFGHIJKL\n  MN\n");
	buf_release(&b);
}

void test_buf_detach_hands_over_and_empties(void)
{
	struct buf b;
	char *s;

	buf_init(&b, 64);
	CHECK_EQ_INT(buf_adds(&b, "hello"), SD_OK);
	s = buf_detach(&b);
	CHECK_STREQ(s, "hello");
	CHECK_EQ_INT(b.len, 0);
	CHECK_STREQ(b.data, "");
	CHECK(b.data != s);
	CHECK_EQ_INT(b.max, 64);
	CHECK_EQ_INT(buf_adds(&b, "again"), SD_OK); /* reusable */
	CHECK_STREQ(b.data, "again");
	free(s);
	buf_release(&b);
}

void test_buf_detach_of_empty_is_malloced(void)
{
	struct buf b;
	char *s;

	buf_init(&b, 64);
	s = buf_detach(&b);
	if (!CHECK(s != NULL))
		return;
	CHECK_STREQ(s, "");
	free(s); /* must be a heap string, not the shared empty one */
}

void test_buf_reset_keeps_memory(void)
{
	struct buf b;
	size_t alloc;

	buf_init(&b, 64);
	CHECK_EQ_INT(buf_adds(&b, "something"), SD_OK);
	alloc = b.alloc;
	buf_reset(&b);
	CHECK_EQ_INT(b.len, 0);
	CHECK_STREQ(b.data, "");
	CHECK_EQ_INT(b.alloc, alloc);
	buf_release(&b);
}

void test_sanitized_strndup_copies_and_respects_max(void)
{
	char *s = sanitized_strndup("a\x01", 2, 16), *t;

	CHECK_STREQ(s, "a\\x01");
	free(s);
	t = sanitized_strndup("\x01\x02\x03", 3, 8); /* needs 12 */
	CHECK(t == NULL);
	free(t);
}
