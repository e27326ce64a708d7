#include "sshd/keywords.h"

#include <stddef.h>
#include <strings.h>

static const struct sshd_keyword keywords[SK__COUNT] = {
#define SSHD_KW_ROW(id, name, scope, type, prec, param, since, deb, def)                           \
	[id] = {name, scope, type, prec, param, since, deb, def},
    SSHD_KEYWORDS(SSHD_KW_ROW)
#undef SSHD_KW_ROW
};

const struct sshd_keyword *sshd_kw(enum sshd_kw id)
{
	return &keywords[id];
}

const char *sshd_kw_name(enum sshd_kw id)
{
	return (unsigned)id < SK__COUNT ? keywords[id].name : "?";
}

int sshd_kw_lookup(const char *name, int version, int debian)
{
	int i;

	for (i = 0; i < SK__COUNT; i++) {
		if (strcasecmp(name, keywords[i].name) != 0)
			continue;
		if (keywords[i].since > version || (keywords[i].debian_only && !debian))
			return -1;
		return i;
	}
	return -1;
}

enum sshd_kw sshd_kw_canonical(enum sshd_kw id)
{
	return keywords[id].type == T_ALIAS ? (enum sshd_kw)keywords[id].param : id;
}

enum sshd_scope sshd_kw_scope(enum sshd_kw id, int version)
{
	if (id == SK_SUBSYSTEM && version < SSHD_V(9, 5))
		return SSHD_G;
	return keywords[id].scope;
}

enum sshd_prec sshd_kw_precedence(enum sshd_kw id, int version)
{
	switch (id) {
	case SK_MAXSTARTUPS:
	case SK_PERSOURCENETBLOCK:
		return version >= SSHD_V(10, 1) ? P_FIRST : P_LAST; /* bz3859 */
	case SK_PERSOURCEMAXSTARTUPS:
		return version >= SSHD_V(9, 5) ? P_FIRST : P_LAST;
	default:
		return keywords[sshd_kw_canonical(id)].prec;
	}
}

const char *sshd_kw_default(enum sshd_kw id, int version, int debian)
{
	switch (id) {
	case SK_PIDFILE:
		return debian ? "/run/sshd.pid" : "/var/run/sshd.pid";
	case SK_SSHDSESSIONPATH:
		return debian ? "/usr/lib/openssh/sshd-session" : "/usr/libexec/sshd-session";
	case SK_SSHDAUTHPATH:
		return debian ? "/usr/lib/openssh/sshd-auth" : "/usr/libexec/sshd-auth";
	case SK_IPQOS:
		/* Debian keeps the pre-7.8 defaults; upstream moved to DSCP classes */
		return debian                     ? "lowdelay throughput"
		       : version >= SSHD_V(10, 1) ? "ef cs1"
		                                  : "af21 cs1";
	default:
		(void)version;
		return keywords[id].def;
	}
}

const char *sshd_prec_name(enum sshd_prec p)
{
	switch (p) {
	case P_FIRST:
		return "first value wins";
	case P_LAST:
		return "last value wins";
	case P_ACC:
		return "every line adds";
	case P_LINE:
		return "first line wins";
	case P_NONE:
		break;
	}
	return "";
}
