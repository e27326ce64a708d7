#include "sshd/values.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct word {
	const char *name;
	int value;
};

static const struct word ms_flag[] = {{"yes", 1}, {"no", 0}, {NULL, -1}};
static const struct word ms_ignorerhosts[] = {
    {"yes", 1}, {"no", 0}, {"shosts-only", 2}, {NULL, -1}};
static const struct word ms_addrfamily[] = {{"inet", 4}, {"inet6", 6}, {"any", 0}, {NULL, -1}};
static const struct word ms_rootlogin[] = {{"without-password", 2},
                                           {"prohibit-password", 2},
                                           {"forced-commands-only", 1},
                                           {"yes", 3},
                                           {"no", 0},
                                           {NULL, -1}};
static const struct word ms_compression[] = {{"yes", 2}, {"delayed", 2}, {"no", 0}, {NULL, -1}};
static const struct word ms_gatewayports[] = {
    {"clientspecified", 2}, {"yes", 1}, {"no", 0}, {NULL, -1}};
static const struct word ms_tcpfwd[] = {{"yes", 3},    {"all", 3},   {"no", 0},
                                        {"remote", 2}, {"local", 1}, {NULL, -1}};

static const struct word *table(enum sshd_multistate t)
{
	switch (t) {
	case MS_IGNORERHOSTS:
		return ms_ignorerhosts;
	case MS_ADDRFAMILY:
		return ms_addrfamily;
	case MS_ROOTLOGIN:
		return ms_rootlogin;
	case MS_COMPRESSION:
		return ms_compression;
	case MS_GATEWAYPORTS:
		return ms_gatewayports;
	case MS_TCPFWD:
		return ms_tcpfwd;
	case MS_NONE:
		break;
	}
	return ms_flag;
}

static int word_parse(const struct word *w, const char *s, int icase)
{
	if (s == NULL)
		return -1;
	for (; w->name; w++)
		if ((icase ? strcasecmp(s, w->name) : strcmp(s, w->name)) == 0)
			return w->value;
	return -1;
}

static const char *word_name(const struct word *w, int v, const char *unknown)
{
	for (; w->name; w++)
		if (w->value == v)
			return w->name;
	return unknown;
}

int sshd_multistate_parse(enum sshd_multistate t, const char *word)
{
	return word_parse(table(t), word, 1);
}

const char *sshd_multistate_name(enum sshd_multistate t, int value)
{
	return word_name(table(t), value, "UNKNOWN");
}

/* Debian adds "SILENT" (= QUIET) in front, so QUIET prints as SILENT there. */
static const struct word loglevels[] = {{"SILENT", 0}, {"QUIET", 0},   {"FATAL", 1}, {"ERROR", 2},
                                        {"INFO", 3},   {"VERBOSE", 4}, {"DEBUG", 5}, {"DEBUG1", 5},
                                        {"DEBUG2", 6}, {"DEBUG3", 7},  {NULL, -1}};

int sshd_loglevel_parse(const char *word, int debian)
{
	return word_parse(debian ? loglevels : loglevels + 1, word, 1);
}

const char *sshd_loglevel_name(int level, int debian)
{
	return word_name(debian ? loglevels : loglevels + 1, level, "UNKNOWN");
}

static const struct word facilities[] = {
    {"DAEMON", 0},  {"USER", 1},    {"AUTH", 2},   {"AUTHPRIV", 3}, {"LOCAL0", 4},
    {"LOCAL1", 5},  {"LOCAL2", 6},  {"LOCAL3", 7}, {"LOCAL4", 8},   {"LOCAL5", 9},
    {"LOCAL6", 10}, {"LOCAL7", 11}, {NULL, -1}};

int sshd_facility_parse(const char *word)
{
	return word_parse(facilities, word, 1);
}

const char *sshd_facility_name(int facility)
{
	return word_name(facilities, facility, "UNKNOWN");
}

static const struct word ipqos[] = {
    {"none", 0x7fffffff},  {"af11", 0x28}, {"af12", 0x30}, {"af13", 0x38},     {"af21", 0x48},
    {"af22", 0x50},        {"af23", 0x58}, {"af31", 0x68}, {"af32", 0x70},     {"af33", 0x78},
    {"af41", 0x88},        {"af42", 0x90}, {"af43", 0x98}, {"cs0", 0x00},      {"cs1", 0x20},
    {"cs2", 0x40},         {"cs3", 0x60},  {"cs4", 0x80},  {"cs5", 0xa0},      {"cs6", 0xc0},
    {"cs7", 0xe0},         {"ef", 0xb8},   {"le", 0x04},   {"lowdelay", 0x10}, {"throughput", 0x08},
    {"reliability", 0x04}, {NULL, -1}};

int sshd_ipqos_parse(const char *word, int version)
{
	char *ep;
	long v;
	int r;

	if (word == NULL)
		return -1;
	if ((r = word_parse(ipqos, word, 1)) != -1)
		return r;
	if (version >= 908) { /* strtonum(): decimal only */
		long long ll;

		errno = 0;
		ll = strtoll(word, &ep, 10);
		if (*word == '\0' || *ep != '\0' || errno == ERANGE || ll < 0 || ll > 255)
			return -1;
		return (int)ll;
	}
	errno = 0;
	v = strtol(word, &ep, 0);
	if (*word == '\0' || *ep != '\0' || v < 0 || v > 255)
		return -1;
	return (int)v;
}

const char *sshd_ipqos_name(int value, char *buf, unsigned len)
{
	const char *n = word_name(ipqos, value, NULL);

	if (n)
		return n;
	snprintf(buf, len, "0x%02x", (unsigned)value & 0xffffffffu);
	return buf;
}

static const struct word tunnel[] = {
    {"no", 0}, {"point-to-point", 1}, {"ethernet", 2}, {"yes", 3}, {NULL, -1}};

int sshd_tunnel_parse(const char *word)
{
	return word_parse(tunnel, word, 0);
}

const char *sshd_tunnel_name(int value)
{
	return word_name(tunnel, value, "none");
}

static const struct word digests[] = {{"MD5", 0},    {"SHA1", 1},   {"SHA256", 2},
                                      {"SHA384", 3}, {"SHA512", 4}, {NULL, -1}};

int sshd_digest_parse(const char *word)
{
	return word_parse(digests, word, 1);
}

const char *sshd_digest_name(int value)
{
	return word_name(digests, value, "UNKNOWN");
}

int sshd_authmethods_valid(const char *list, int debian)
{
	static const char *const methods[] = {"none",
	                                      "publickey",
	                                      "gssapi-with-mic",
	                                      "password",
	                                      "keyboard-interactive",
	                                      "hostbased",
	                                      "gssapi-keyex",
	                                      NULL};
	const char *p = list, *e;
	size_t n, k;
	int i, found;

	if (*list == '\0')
		return -1;
	for (;;) {
		e = strchr(p, ',');
		n = e ? (size_t)(e - p) : strlen(p);
		for (k = 0; k < n && p[k] != ':'; k++)
			;
		found = 0;
		for (i = 0; methods[i]; i++) {
			if (!debian && strcmp(methods[i], "gssapi-keyex") == 0)
				continue;
			if (strlen(methods[i]) == k && strncmp(p, methods[i], k) == 0)
				found = 1;
		}
		if (!found)
			return -1;
		if (!e)
			break;
		p = e + 1;
	}
	return 0;
}
