/* cursor: every getter consumes exactly what it returns, or nothing at all. */
#include <stdint.h>

#include "base/cursor.h"
#include "base/err.h"

#include "t.h"
#include "tests.h"

void test_cursor_u8_reads_and_truncates(void)
{
	static const uint8_t in[] = {0xab};
	struct cursor c = cursor_of(in, sizeof(in));
	uint8_t v = 0;

	CHECK_EQ_INT(cur_get_u8(&c, &v), SD_OK);
	CHECK_EQ_INT(v, 0xab);
	CHECK_EQ_INT(c.len, 0);
	v = 7;
	CHECK_EQ_INT(cur_get_u8(&c, &v), SD_ERR_TRUNCATED);
	CHECK_EQ_INT(v, 7);
	CHECK_EQ_INT(c.len, 0);
}

void test_cursor_u32_is_big_endian(void)
{
	static const uint8_t in[] = {0x01, 0x02, 0x03, 0x04, 0xff, 0xff, 0xff, 0xff};
	struct cursor c = cursor_of(in, sizeof(in));
	uint32_t v = 0;

	CHECK_EQ_INT(cur_get_u32(&c, &v), SD_OK);
	CHECK_EQ_INT(v, 0x01020304);
	CHECK_EQ_INT(cur_get_u32(&c, &v), SD_OK);
	CHECK_EQ_INT(v, 0xffffffffu);
	CHECK_EQ_INT(c.len, 0);
	CHECK(c.p == in + 8);
}

void test_cursor_u32_truncated_leaves_cursor(void)
{
	static const uint8_t in[] = {1, 2, 3};
	struct cursor c = cursor_of(in, sizeof(in));
	uint32_t v = 99;

	CHECK_EQ_INT(cur_get_u32(&c, &v), SD_ERR_TRUNCATED);
	CHECK_EQ_INT(v, 99);
	CHECK(c.p == in);
	CHECK_EQ_INT(c.len, 3);
}

void test_cursor_bytes_reads_and_truncates(void)
{
	static const uint8_t in[] = "abcdef";
	struct cursor c = cursor_of(in, 6);
	const uint8_t *p = NULL;

	CHECK_EQ_INT(cur_get_bytes(&c, 2, &p), SD_OK);
	CHECK(p == in);
	CHECK_EQ_INT(cur_get_bytes(&c, 1, NULL), SD_OK); /* skip */
	CHECK_EQ_INT(c.len, 3);
	CHECK(c.p == in + 3);
	p = NULL;
	CHECK_EQ_INT(cur_get_bytes(&c, 4, &p), SD_ERR_TRUNCATED);
	CHECK(p == NULL);
	CHECK(c.p == in + 3);
	CHECK_EQ_INT(c.len, 3);
	CHECK_EQ_INT(cur_get_bytes(&c, 0, &p), SD_OK);
	CHECK(p == in + 3);
	CHECK_EQ_INT(cur_get_bytes(&c, 3, &p), SD_OK);
	CHECK_EQ_INT(c.len, 0);
}

void test_cursor_sshstring_reads(void)
{
	static const uint8_t in[] = {0, 0, 0, 3, 'a', 'b', 'c', 0, 0, 0, 0, 'z'};
	struct cursor c = cursor_of(in, sizeof(in));
	const uint8_t *p = NULL;
	size_t n = 0;

	CHECK_EQ_INT(cur_get_sshstring(&c, 16, &p, &n), SD_OK);
	CHECK_EQ_INT(n, 3);
	CHECK(p == in + 4);
	CHECK_EQ_INT(cur_get_sshstring(&c, 16, &p, &n), SD_OK); /* empty string */
	CHECK_EQ_INT(n, 0);
	CHECK_EQ_INT(c.len, 1);
	CHECK(c.p == in + 11);
}

void test_cursor_sshstring_exactly_max_is_ok(void)
{
	static const uint8_t in[] = {0, 0, 0, 2, 'h', 'i'};
	struct cursor c = cursor_of(in, sizeof(in));
	const uint8_t *p;
	size_t n;

	CHECK_EQ_INT(cur_get_sshstring(&c, 2, &p, &n), SD_OK);
	CHECK_EQ_INT(n, 2);
}

void test_cursor_sshstring_over_max_leaves_cursor(void)
{
	static const uint8_t in[] = {0, 0, 0, 5, 'h', 'e', 'l', 'l', 'o'};
	struct cursor c = cursor_of(in, sizeof(in));
	const uint8_t *p = NULL;
	size_t n = 77;

	CHECK_EQ_INT(cur_get_sshstring(&c, 4, &p, &n), SD_ERR_TOO_LONG);
	CHECK(c.p == in);
	CHECK_EQ_INT(c.len, sizeof(in));
	CHECK(p == NULL);
	CHECK_EQ_INT(n, 77);
}

void test_cursor_sshstring_huge_length_is_too_long_not_truncated(void)
{
	static const uint8_t in[] = {0xff, 0xff, 0xff, 0xff, 'x'};
	struct cursor c = cursor_of(in, sizeof(in));
	const uint8_t *p = NULL;
	size_t n = 0;

	CHECK_EQ_INT(cur_get_sshstring(&c, 1024, &p, &n), SD_ERR_TOO_LONG);
	CHECK(c.p == in);
	CHECK_EQ_INT(c.len, sizeof(in));
}

void test_cursor_sshstring_truncated_body_leaves_cursor(void)
{
	static const uint8_t in[] = {0, 0, 0, 5, 'h', 'e'};
	struct cursor c = cursor_of(in, sizeof(in));
	const uint8_t *p = NULL;
	size_t n = 77;

	CHECK_EQ_INT(cur_get_sshstring(&c, 100, &p, &n), SD_ERR_TRUNCATED);
	CHECK(c.p == in);
	CHECK_EQ_INT(c.len, sizeof(in));
	CHECK(p == NULL);
	CHECK_EQ_INT(n, 77);
}

void test_cursor_sshstring_truncated_length_leaves_cursor(void)
{
	static const uint8_t in[] = {0, 0};
	struct cursor c = cursor_of(in, sizeof(in));
	const uint8_t *p = NULL;
	size_t n = 77;

	CHECK_EQ_INT(cur_get_sshstring(&c, 100, &p, &n), SD_ERR_TRUNCATED);
	CHECK(c.p == in);
	CHECK_EQ_INT(c.len, 2);
	CHECK_EQ_INT(n, 77);
}
