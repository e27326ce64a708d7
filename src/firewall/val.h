/*
 * val.h — the one value type the firewall model compares: a 128-bit unsigned integer.
 *
 * An IPv4 address is its 32-bit value, an IPv6 address its 128-bit value (big-endian
 * order, so numeric order is address order), a port, protocol, mark or flag set is its
 * number.  Intervals [lo, hi] of these express prefixes, ranges and single values alike.
 */
#ifndef SSHDIAG_FIREWALL_VAL_H
#define SSHDIAG_FIREWALL_VAL_H

#include <stddef.h>
#include <stdint.h>

#include "core/conn.h"

struct fw_val {
	uint64_t hi, lo;
};

static inline struct fw_val fw_val_u64(uint64_t v)
{
	struct fw_val r = {0, v};
	return r;
}

static inline int fw_val_cmp(struct fw_val a, struct fw_val b)
{
	if (a.hi != b.hi)
		return a.hi < b.hi ? -1 : 1;
	if (a.lo != b.lo)
		return a.lo < b.lo ? -1 : 1;
	return 0;
}

static inline int fw_val_eq(struct fw_val a, struct fw_val b)
{
	return a.hi == b.hi && a.lo == b.lo;
}

static inline struct fw_val fw_val_and(struct fw_val a, struct fw_val b)
{
	struct fw_val r = {a.hi & b.hi, a.lo & b.lo};
	return r;
}

/* Address width in bits: 32 for family 4, 128 for family 6. */
static inline unsigned fw_addr_bits(int family)
{
	return family == 6 ? 128 : 32;
}

struct fw_val fw_val_from_addr(const struct ip_addr *a);
void fw_val_to_addr(struct fw_val v, int family, struct ip_addr *out);

/* The mask of a /len prefix in a family's width (len is clamped to the width). */
struct fw_val fw_prefix_mask(int family, unsigned len);
/* [lo, hi] covered by addr/len. */
void fw_prefix_interval(struct fw_val addr, int family, unsigned len, struct fw_val *lo,
                        struct fw_val *hi);
/* The prefix length of a contiguous mask, or -1. */
int fw_mask_prefix_len(struct fw_val mask, int family);
/* The prefix length when [lo, hi] is exactly one CIDR block, else -1. */
int fw_interval_prefix_len(struct fw_val lo, struct fw_val hi, int family);

/*
 * Parses a numeric address of `len` bytes (not NUL-terminated).  family 0 accepts either
 * and reports which in *ret_family; 4 or 6 insists.  IPv4-mapped IPv6 stays IPv6 here (the
 * rule says what it says).  SD_OK or SD_ERR_INVALID.
 */
int fw_parse_addr(const char *s, size_t len, int family, struct fw_val *ret, int *ret_family);

/*
 * Parses "ADDR", "ADDR/LEN" or "ADDR/MASK" (dotted or IPv6 mask, contiguous or not).
 * Writes the value (already masked), the mask, the family and the prefix length (-1 for a
 * mask that is not contiguous).  SD_OK or SD_ERR_INVALID.
 */
int fw_parse_prefix(const char *s, size_t len, int family, struct fw_val *ret_addr,
                    struct fw_val *ret_mask, int *ret_family, int *ret_plen);

/* Text of an address ("192.0.2.1", "2001:db8::1") into buf (at least 64 bytes). */
void fw_format_addr(struct fw_val v, int family, char *buf, size_t size);
/* "a", "a/len" or "a-b" for an interval of addresses. */
void fw_format_interval(struct fw_val lo, struct fw_val hi, int family, char *buf, size_t size);

/* Parses a decimal or 0x-hex unsigned number of `len` bytes no greater than max. */
int fw_parse_uint(const char *s, size_t len, uint64_t max, uint64_t *ret);

#endif
