#include "core/conn.h"

#include <arpa/inet.h>
#include <string.h>

#include "base/err.h"

int ip_addr_parse(const char *text, struct ip_addr *out)
{
	struct ip_addr a;
	static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

	memset(&a, 0, sizeof(a));
	if (inet_pton(AF_INET, text, a.bytes) == 1) {
		a.family = 4;
	} else if (inet_pton(AF_INET6, text, a.bytes) == 1) {
		a.family = 6;
		if (memcmp(a.bytes, mapped, sizeof(mapped)) == 0) {
			memmove(a.bytes, a.bytes + 12, 4);
			memset(a.bytes + 4, 0, 12);
			a.family = 4;
		}
	} else {
		return SD_ERR_INVALID;
	}
	*out = a;
	return SD_OK;
}

void ip_addr_format(const struct ip_addr *a, char *buf, unsigned len)
{
	if (len == 0)
		return;
	buf[0] = '\0';
	if (a->family == 4)
		inet_ntop(AF_INET, a->bytes, buf, len);
	else if (a->family == 6)
		inet_ntop(AF_INET6, a->bytes, buf, len);
}

int ip_addr_in_prefix(const struct ip_addr *a, const struct ip_addr *prefix, unsigned len)
{
	unsigned full, rest, max = a->family == 4 ? 32 : 128;
	uint8_t mask;

	if (a->family != prefix->family || a->family == 0 || len > max)
		return 0;
	full = len / 8;
	rest = len % 8;
	if (memcmp(a->bytes, prefix->bytes, full) != 0)
		return 0;
	if (rest == 0)
		return 1;
	mask = (uint8_t)(0xff << (8 - rest));
	return (a->bytes[full] & mask) == (prefix->bytes[full] & mask);
}
