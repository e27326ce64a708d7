/*
 * fuzz_banner — the identification-exchange reader on hostile bytes.
 *
 * The input is fed in two chunks split at a position chosen from its first byte, and again one
 * byte at a time; both runs must agree (chunking must not change the parse) and every
 * invariant of struct banner must hold.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ssh/banner.h"
#include "fuzz.h"

static void check_printable(const char *s)
{
	if (!s)
		return;
	for (; *s; s++)
		ASSERT((unsigned char)*s >= 0x20 && (unsigned char)*s < 0x7f);
}

/* Feeds and returns the total consumed; checks the per-call contract. */
static size_t feed(struct banner *b, const uint8_t *p, size_t n)
{
	enum banner_state before = b->state;
	size_t used = (size_t)-1;

	ASSERT(banner_feed(b, p, n, &used) == 0);
	ASSERT(used <= n);
	if (before != BANNER_NEED_MORE)
		ASSERT(used == 0);
	else if (b->state != BANNER_DONE)
		ASSERT(used == n);
	return used;
}

static void check_banner(const struct banner *b, size_t size)
{
	size_t i;
	int ma, mi;

	ASSERT(b->bytes_seen <= size);
	ASSERT(b->line.len <= BANNER_MAX_LINE);
	ASSERT(b->npre_lines <= BANNER_MAX_PRE_LINES + 1);
	for (i = 0; i < BANNER_KEEP_PRE_LINES; i++) {
		if (i < b->npre_lines) {
			ASSERT(b->pre_lines[i] != NULL);
			ASSERT(strlen(b->pre_lines[i]) <= 4 * BANNER_KEEP_LINE_CHARS);
			check_printable(b->pre_lines[i]);
			(void)banner_is_sshd_refusal(b->pre_lines[i]);
		} else {
			ASSERT(b->pre_lines[i] == NULL);
		}
	}
	if (b->state == BANNER_DONE) {
		ASSERT(b->version_line && b->proto_version && b->software);
		ASSERT(strncmp(b->version_line, "SSH-", 4) == 0);
		ASSERT(b->software[0] != '\0');
		ASSERT(strcmp(b->proto_version, "2.0") == 0 ||
		       strcmp(b->proto_version, "1.99") == 0);
		if (banner_openssh_version(b->software, &ma, &mi))
			ASSERT(ma >= 0 && mi >= 0);
	}
	if (b->state == BANNER_TOO_MANY_LINES)
		ASSERT(b->npre_lines == BANNER_MAX_PRE_LINES + 1);
	check_printable(b->version_line);
	check_printable(b->proto_version);
	check_printable(b->software);
	check_printable(b->comments);
	ASSERT(banner_kind_name(b->kind) != NULL);
}

static int same(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct banner two, one;
	size_t split, used2 = 0, used1 = 0, i;

	if (size == 0)
		return 0;
	split = (size_t)data[0] * size / 256;

	banner_init(&two);
	used2 += feed(&two, data, split);
	used2 += feed(&two, data + split, size - split);
	check_banner(&two, size);

	banner_init(&one);
	for (i = 0; i < size && one.state == BANNER_NEED_MORE; i++)
		used1 += feed(&one, data + i, 1);
	check_banner(&one, size);

	/* chunking must not change what was parsed (the kind guess is not compared) */
	ASSERT(one.state == two.state);
	if (one.state == BANNER_DONE || one.state == BANNER_NEED_MORE)
		ASSERT(used1 == used2); /* after an error state `consumed` means nothing */
	ASSERT(same(one.version_line, two.version_line));
	ASSERT(same(one.software, two.software));
	ASSERT(same(one.comments, two.comments));
	ASSERT(one.npre_lines == two.npre_lines);
	ASSERT(one.invalid_chars == two.invalid_chars);
	for (i = 0; i < BANNER_KEEP_PRE_LINES; i++)
		ASSERT(same(one.pre_lines[i], two.pre_lines[i]));

	(void)banner_classify(data, size);
	banner_release(&two);
	banner_release(&one);
	return 0;
}
