/* conn: client and server addresses, canonical text, prefix matching. */
#include <string.h>

#include "base/err.h"
#include "core/conn.h"

#include "t.h"
#include "tests.h"

static void canon(const char *in, int family, const char *want)
{
	struct ip_addr a;
	char text[64];

	if (!CHECK_EQ_INT(ip_addr_parse(in, &a), SD_OK)) {
		FAIL("address was \"%s\"", in);
		return;
	}
	CHECK_EQ_INT(a.family, family);
	ip_addr_format(&a, text, sizeof(text));
	CHECK_STREQ(text, want);
}

static int in_prefix(const char *addr, const char *prefix, unsigned len)
{
	struct ip_addr a, p;

	if (ip_addr_parse(addr, &a) != SD_OK || ip_addr_parse(prefix, &p) != SD_OK)
		return -1;
	return ip_addr_in_prefix(&a, &p, len);
}

void test_conn_parse_and_format(void)
{
	canon("203.0.113.7", 4, "203.0.113.7");
	canon("2001:DB8:0:0::1", 6, "2001:db8::1");
	canon("::1", 6, "::1");
	canon("::ffff:192.0.2.1", 4, "192.0.2.1"); /* IPv4-mapped becomes IPv4 */
}

void test_conn_parse_rejects(void)
{
	struct ip_addr a;

	memset(&a, 0x77, sizeof(a));
	CHECK_EQ_INT(ip_addr_parse("", &a), SD_ERR_INVALID);
	CHECK_EQ_INT(ip_addr_parse("example.org", &a), SD_ERR_INVALID);
	CHECK_EQ_INT(ip_addr_parse("256.1.1.1", &a), SD_ERR_INVALID);
	CHECK_EQ_INT(ip_addr_parse("10.0.0.1/8", &a), SD_ERR_INVALID);
	CHECK_EQ_INT(ip_addr_parse("[::1]", &a), SD_ERR_INVALID);
	CHECK_EQ_INT(a.family, 0x77777777); /* untouched on failure */
}

void test_conn_prefix_match(void)
{
	CHECK_EQ_INT(in_prefix("203.0.113.7", "203.0.113.0", 24), 1);
	CHECK_EQ_INT(in_prefix("203.0.114.7", "203.0.113.0", 24), 0);
	CHECK_EQ_INT(in_prefix("10.1.2.3", "10.0.0.0", 8), 1);
	CHECK_EQ_INT(in_prefix("10.1.2.3", "10.0.0.0", 15), 1); /* 10.0/15 holds 10.1 */
	CHECK_EQ_INT(in_prefix("10.2.2.3", "10.0.0.0", 15), 0);
	CHECK_EQ_INT(in_prefix("192.0.2.1", "0.0.0.0", 0), 1); /* everything */
	CHECK_EQ_INT(in_prefix("192.0.2.1", "192.0.2.1", 32), 1);
	CHECK_EQ_INT(in_prefix("192.0.2.1", "192.0.2.0", 33), 0); /* impossible length */
	CHECK_EQ_INT(in_prefix("2001:db8::5", "2001:db8::", 32), 1);
	CHECK_EQ_INT(in_prefix("2001:db9::5", "2001:db8::", 32), 0);
	CHECK_EQ_INT(in_prefix("2001:db8::5", "2001:db8::5", 128), 1);
	CHECK_EQ_INT(in_prefix("192.0.2.1", "::", 0), 0); /* families differ */
	CHECK_EQ_INT(in_prefix("::ffff:10.0.0.1", "10.0.0.0", 8), 1);
}

void test_conn_unset_address_matches_nothing(void)
{
	struct ip_addr unset, p;
	char text[64] = "junk";

	memset(&unset, 0, sizeof(unset));
	CHECK_EQ_INT(ip_addr_parse("0.0.0.0", &p), SD_OK);
	CHECK_EQ_INT(ip_addr_in_prefix(&unset, &p, 0), 0);
	ip_addr_format(&unset, text, sizeof(text));
	CHECK_STREQ(text, "");
}
