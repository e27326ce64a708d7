#include "firewall/val.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "base/err.h"

struct fw_val fw_val_from_addr(const struct ip_addr *a)
{
	struct fw_val v = {0, 0};
	int i;

	if (a->family == 4) {
		v.lo = (uint64_t)a->bytes[0] << 24 | (uint64_t)a->bytes[1] << 16 |
		       (uint64_t)a->bytes[2] << 8 | a->bytes[3];
	} else if (a->family == 6) {
		for (i = 0; i < 8; i++) {
			v.hi = v.hi << 8 | a->bytes[i];
			v.lo = v.lo << 8 | a->bytes[8 + i];
		}
	}
	return v;
}

void fw_val_to_addr(struct fw_val v, int family, struct ip_addr *out)
{
	int i;

	memset(out, 0, sizeof(*out));
	out->family = family;
	if (family == 4) {
		for (i = 0; i < 4; i++)
			out->bytes[i] = (uint8_t)(v.lo >> (24 - 8 * i));
	} else if (family == 6) {
		for (i = 0; i < 8; i++) {
			out->bytes[i] = (uint8_t)(v.hi >> (56 - 8 * i));
			out->bytes[8 + i] = (uint8_t)(v.lo >> (56 - 8 * i));
		}
	}
}

struct fw_val fw_prefix_mask(int family, unsigned len)
{
	struct fw_val m = {0, 0};
	unsigned bits = fw_addr_bits(family);

	if (len > bits)
		len = bits;
	if (bits == 32) {
		m.lo = len == 0 ? 0 : (0xffffffffull << (32 - len)) & 0xffffffffull;
		return m;
	}
	if (len >= 64) {
		m.hi = ~0ull;
		m.lo = len == 64 ? 0 : ~0ull << (128 - len);
	} else {
		m.hi = len == 0 ? 0 : ~0ull << (64 - len);
	}
	return m;
}

void fw_prefix_interval(struct fw_val addr, int family, unsigned len, struct fw_val *lo,
                        struct fw_val *hi)
{
	struct fw_val m = fw_prefix_mask(family, len);
	struct fw_val full = fw_prefix_mask(family, fw_addr_bits(family));

	lo->hi = addr.hi & m.hi;
	lo->lo = addr.lo & m.lo;
	hi->hi = lo->hi | (full.hi & ~m.hi);
	hi->lo = lo->lo | (full.lo & ~m.lo);
}

int fw_mask_prefix_len(struct fw_val mask, int family)
{
	unsigned len;

	for (len = 0; len <= fw_addr_bits(family); len++)
		if (fw_val_eq(fw_prefix_mask(family, len), mask))
			return (int)len;
	return -1;
}

int fw_interval_prefix_len(struct fw_val lo, struct fw_val hi, int family)
{
	struct fw_val plo, phi;
	unsigned len;

	for (len = 0; len <= fw_addr_bits(family); len++) {
		fw_prefix_interval(lo, family, len, &plo, &phi);
		if (fw_val_eq(plo, lo) && fw_val_eq(phi, hi))
			return (int)len;
	}
	return -1;
}

int fw_parse_addr(const char *s, size_t len, int family, struct fw_val *ret, int *ret_family)
{
	char tmp[INET6_ADDRSTRLEN + 1];
	struct ip_addr a;

	if (len == 0 || len >= sizeof(tmp))
		return SD_ERR_INVALID;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	memset(&a, 0, sizeof(a));
	if (family != 6 && inet_pton(AF_INET, tmp, a.bytes) == 1)
		a.family = 4;
	else if (family != 4 && inet_pton(AF_INET6, tmp, a.bytes) == 1)
		a.family = 6;
	else
		return SD_ERR_INVALID;
	*ret = fw_val_from_addr(&a);
	if (ret_family)
		*ret_family = a.family;
	return SD_OK;
}

int fw_parse_uint(const char *s, size_t len, uint64_t max, uint64_t *ret)
{
	uint64_t v = 0;
	unsigned base = 10, d;
	size_t i = 0;

	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (i == len)
		return SD_ERR_INVALID;
	for (; i < len; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			d = (unsigned)(s[i] - '0');
		else if (base == 16 && s[i] >= 'a' && s[i] <= 'f')
			d = (unsigned)(s[i] - 'a' + 10);
		else if (base == 16 && s[i] >= 'A' && s[i] <= 'F')
			d = (unsigned)(s[i] - 'A' + 10);
		else
			return SD_ERR_INVALID;
		if (v > (max - d) / base)
			return SD_ERR_INVALID;
		v = v * base + d;
	}
	*ret = v;
	return SD_OK;
}

int fw_parse_prefix(const char *s, size_t len, int family, struct fw_val *ret_addr,
                    struct fw_val *ret_mask, int *ret_family, int *ret_plen)
{
	const char *slash = memchr(s, '/', len);
	struct fw_val addr, mask;
	uint64_t plen;
	int fam, mfam, pl;

	if (fw_parse_addr(s, slash ? (size_t)(slash - s) : len, family, &addr, &fam) != 0)
		return SD_ERR_INVALID;
	if (!slash) {
		pl = (int)fw_addr_bits(fam);
		mask = fw_prefix_mask(fam, (unsigned)pl);
	} else if (fw_parse_uint(slash + 1, len - (size_t)(slash + 1 - s), fw_addr_bits(fam),
	                         &plen) == 0) {
		pl = (int)plen;
		mask = fw_prefix_mask(fam, (unsigned)pl);
	} else if (fw_parse_addr(slash + 1, len - (size_t)(slash + 1 - s), fam, &mask, &mfam) ==
	           0) {
		pl = fw_mask_prefix_len(mask,
		                        fam); /* a dotted mask: rare, and maybe not contiguous */
	} else {
		return SD_ERR_INVALID;
	}
	*ret_addr = fw_val_and(addr, mask);
	*ret_mask = mask;
	if (ret_family)
		*ret_family = fam;
	if (ret_plen)
		*ret_plen = pl;
	return SD_OK;
}

void fw_format_addr(struct fw_val v, int family, char *buf, size_t size)
{
	struct ip_addr a;

	fw_val_to_addr(v, family, &a);
	if (size == 0)
		return;
	buf[0] = '\0';
	if (family == 4 || family == 6)
		inet_ntop(family == 4 ? AF_INET : AF_INET6, a.bytes, buf, (socklen_t)size);
}

void fw_format_interval(struct fw_val lo, struct fw_val hi, int family, char *buf, size_t size)
{
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	int plen;

	fw_format_addr(lo, family, a, sizeof(a));
	if (fw_val_eq(lo, hi)) {
		snprintf(buf, size, "%s", a);
	} else if ((plen = fw_interval_prefix_len(lo, hi, family)) >= 0) {
		snprintf(buf, size, "%s/%d", a, plen);
	} else {
		fw_format_addr(hi, family, b, sizeof(b));
		snprintf(buf, size, "%s-%s", a, b);
	}
}
