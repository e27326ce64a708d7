/*
 * conn.h — the connection being diagnosed, as every layer sees it: who connects (client
 * address), to what (server address and port), as whom (user).  Pure data, parsed once.
 */
#ifndef SSHDIAG_CORE_CONN_H
#define SSHDIAG_CORE_CONN_H

#include <stdint.h>

struct ip_addr {
	int family;        /* 0 (unset), 4 or 6 */
	uint8_t bytes[16]; /* network order; IPv4 in the first 4 bytes */
};

struct conn_spec {
	struct ip_addr client; /* family 0 when diagnosing "any client" */
	char client_text[64];  /* canonical text of client, "" when unset */
	struct ip_addr server; /* local address the client connects to, family 0 if unknown */
	unsigned port;         /* server port */
	const char *user;      /* login name, NULL when unknown (not owned) */
};

/* Parses a numeric IPv4 or IPv6 address (IPv4-mapped IPv6 becomes IPv4).  0 or SD_ERR_INVALID. */
int ip_addr_parse(const char *text, struct ip_addr *out);
/* Canonical text into buf (at least 64 bytes). */
void ip_addr_format(const struct ip_addr *a, char *buf, unsigned len);
/* 1 if `a` lies in prefix/len (same family); len in bits. */
int ip_addr_in_prefix(const struct ip_addr *a, const struct ip_addr *prefix, unsigned len);

#endif
