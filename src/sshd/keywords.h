/*
 * sshd/keywords.h — every sshd_config keyword the modelled sshd builds accept (upstream
 * OpenSSH plus Debian's patches), as one X-macro table in the order `sshd -T` prints them.
 *
 * Columns:
 *   id       enum constant (SK_…); aliases are rows of their own (type T_ALIAS, param = the
 *            keyword they stand for) because an alias may have another scope than its target
 *            (DSAAuthentication is global, PubkeyAuthentication is Match-allowed)
 *   name     the keyword, lower-case (sshd compares with strcasecmp)
 *   scope    SSHD_G: global only — inside a Match block sshd refuses to start;
 *            SSHD_M: also allowed inside Match (the value set there overrides the global one)
 *   type     value type (enum sshd_type)
 *   prec     which value wins when the keyword repeats (enum sshd_prec, below): P_FIRST,
 *            P_LAST, P_ACC (accumulate), P_LINE (the first line's whole list), P_NONE; the version
 *            exceptions are in sshd_kw_precedence()
 *   param    per type: the multistate table, PermitOpen (0) / PermitListen (1), alias target
 *   since    first version that knows the keyword (SSHD_V(9, 8)), 0 for "any we model"
 *   deb      1 for Debian/Ubuntu-only keywords (GSSAPI key exchange, DebianBanner)
 *   def      the default, written as a configuration argument ("10:30:100"), NULL for none;
 *            sshd_kw_default() applies the per-version and per-distribution exceptions
 *
 * Which value wins when a keyword repeats ("first obtained value wins" and its exceptions):
 *   first      most keywords: the first line that sets it, in file order with Includes
 *              expanded in place;
 *   last       every line overrides: FingerprintHash, IPQoS, StreamLocalBindMask, and,
 *              version-dependent, MaxStartups/PerSourceNetBlockSize (before 10.1) and
 *              PerSourceMaxStartups (before 9.5) — see sshd_kw_precedence();
 *   accumulate Port, HostKey, HostCertificate, ListenAddress, Allow/DenyUsers,
 *              Allow/DenyGroups, AcceptEnv, Subsystem: every line adds;
 *   first-line AuthorizedKeysFile, SetEnv, LogVerbose, AuthenticationMethods, ChannelTimeout,
 *              PermitOpen, PermitListen: the first line's whole list.
 * A Match block's value replaces the global one for every Match-allowed keyword (lists
 * included: a matching block's AllowUsers replaces the global AllowUsers, and from 9.5 its
 * Subsystem lines replace the global subsystem list).
 */
#ifndef SSHDIAG_SSHD_KEYWORDS_H
#define SSHDIAG_SSHD_KEYWORDS_H

#include "sshd/version.h"

enum sshd_type {
	T_FLAG,        /* yes | no */
	T_MULTI,       /* one of a fixed set of words (param: enum sshd_multistate) */
	T_INT,         /* 0 .. INT_MAX */
	T_TIME,        /* convtime(): "120", "2m", "1h30m" */
	T_UCTIME,      /* UnusedConnectionTimeout: a time or "none" ("none" always applies) */
	T_PATH,        /* a path; relative ones are taken from sshd's working directory */
	T_STR,         /* a word, kept as written */
	T_TILDE,       /* a path where "~" means the user's home */
	T_KEYSCMD,     /* rest of the line: an absolute command or "none" */
	T_FORCECMD,    /* rest of the line */
	T_VERADD,      /* VersionAddendum: rest of the line, cut at '#' */
	T_ALGOS,       /* an algorithm list; compiled-in lists are not modelled */
	T_PORT,        /* accumulate; -p on the command line replaces every Port line */
	T_LISTEN,      /* accumulate; expanded after the whole file (every Port) */
	T_HOSTKEY,     /* accumulate paths (HostKey, HostCertificate) */
	T_HKAGENT,     /* HostKeyAgent: a socket path or "SSH_AUTH_SOCK" */
	T_SKPROV,      /* SecurityKeyProvider: a path or "internal" */
	T_USERS,       /* AllowUsers/DenyUsers: accumulate user[@host] patterns */
	T_GROUPS,      /* AllowGroups/DenyGroups: accumulate */
	T_ACCEPTENV,   /* accumulate names */
	T_SETENV,      /* first line: NAME=VALUE ... */
	T_AUTHKEYS,    /* first line: paths */
	T_LOGVERBOSE,  /* first line */
	T_AUTHMETHODS, /* first line: method lists or "any" */
	T_CHANTIMEOUT, /* first line: type=time ... or "none" */
	T_PERMITOPEN,  /* first line: host:port ... | any | none (param 1: PermitListen) */
	T_SUBSYSTEM,   /* accumulate distinct names */
	T_MAXSTARTUPS, /* start:rate:full or N */
	T_NETBLOCK,    /* v4[:v6] prefix lengths */
	T_PSMAX,       /* N | none */
	T_PENALTIES,   /* PerSourcePenalties: yes | no | key:value ..., each key first-wins */
	T_EXEMPT,      /* an address/CIDR list */
	T_LOGLEVEL,    /* QUIET .. DEBUG3 */
	T_FACILITY,    /* DAEMON, USER, AUTH, AUTHPRIV, LOCAL0..7 */
	T_TUNNEL,      /* PermitTunnel */
	T_PUENV,       /* PermitUserEnvironment: yes | no | pattern-list */
	T_REKEY,       /* RekeyLimit bytes [interval] */
	T_IPQOS,       /* interactive [bulk] */
	T_BINDMASK,    /* octal mode */
	T_FPHASH,      /* md5 | sha256 | ... */
	T_PKOPTS,      /* PubkeyAuthOptions */
	T_RDOMAIN,     /* RDomain: routing domains are not supported on Linux builds */
	T_INCLUDE,
	T_MATCH,
	T_DEPRECATED,  /* accepted, ignored, logged ("Deprecated option") */
	T_UNSUPPORTED, /* accepted, ignored, logged ("Unsupported option") */
	T_IGNORE,      /* accepted, ignored silently (Protocol) */
	T_ALIAS,       /* another name for param */
};

enum sshd_multistate {
	MS_NONE,
	MS_IGNORERHOSTS, /* yes no shosts-only */
	MS_ADDRFAMILY,   /* inet inet6 any */
	MS_ROOTLOGIN,    /* without-password prohibit-password forced-commands-only yes no */
	MS_COMPRESSION,  /* yes delayed no */
	MS_GATEWAYPORTS, /* clientspecified yes no */
	MS_TCPFWD,       /* yes all no remote local */
};

enum sshd_scope {
	SSHD_G = 1, /* global only */
	SSHD_M = 3, /* global and inside Match */
};

/* How repeated lines of one keyword combine (the prec column). */
enum sshd_prec {
	P_FIRST, /* the first line that sets it */
	P_LAST,  /* every line overrides */
	P_ACC,   /* every line adds */
	P_LINE,  /* the first line's whole list */
	P_NONE,  /* Include, Match, ignored keywords */
};

/* clang-format off */
#define SSHD_KEYWORDS(X)                                                                           \
	/* id                    name                               scope   type            prec     param                    since           deb def */ \
	X(SK_PORT,                  "port",                            SSHD_G, T_PORT,         P_ACC,   0,                       0,              0, "22") \
	X(SK_ADDRESSFAMILY,         "addressfamily",                   SSHD_G, T_MULTI,        P_FIRST, MS_ADDRFAMILY,           0,              0, "any") \
	X(SK_LISTENADDRESS,         "listenaddress",                   SSHD_G, T_LISTEN,       P_ACC,   0,                       0,              0, NULL) \
	X(SK_USEPAM,                "usepam",                          SSHD_G, T_FLAG,         P_FIRST, 0,                       0,              0, "no") \
	X(SK_PAMSERVICENAME,        "pamservicename",                  SSHD_M, T_STR,          P_FIRST, 0,                       SSHD_V(9, 8),   0, "sshd") \
	X(SK_LOGINGRACETIME,        "logingracetime",                  SSHD_G, T_TIME,         P_FIRST, 0,                       0,              0, "120") \
	X(SK_X11DISPLAYOFFSET,      "x11displayoffset",                SSHD_M, T_INT,          P_FIRST, 0,                       0,              0, "10") \
	X(SK_MAXAUTHTRIES,          "maxauthtries",                    SSHD_M, T_INT,          P_FIRST, 0,                       0,              0, "6") \
	X(SK_MAXSESSIONS,           "maxsessions",                     SSHD_M, T_INT,          P_FIRST, 0,                       0,              0, "10") \
	X(SK_CLIENTALIVEINTERVAL,   "clientaliveinterval",             SSHD_M, T_TIME,         P_FIRST, 0,                       0,              0, "0") \
	X(SK_CLIENTALIVECOUNTMAX,   "clientalivecountmax",             SSHD_M, T_INT,          P_FIRST, 0,                       0,              0, "3") \
	X(SK_REQUIREDRSASIZE,       "requiredrsasize",                 SSHD_M, T_INT,          P_FIRST, 0,                       0,              0, "1024") \
	X(SK_STREAMLOCALBINDMASK,   "streamlocalbindmask",             SSHD_M, T_BINDMASK,     P_LAST,  0,                       0,              0, "0177") \
	X(SK_UNUSEDCONNTIMEOUT,     "unusedconnectiontimeout",         SSHD_M, T_UCTIME,       P_FIRST, 0,                       0,              0, "none") \
	X(SK_PERMITROOTLOGIN,       "permitrootlogin",                 SSHD_M, T_MULTI,        P_FIRST, MS_ROOTLOGIN,            0,              0, "prohibit-password") \
	X(SK_IGNORERHOSTS,          "ignorerhosts",                    SSHD_M, T_MULTI,        P_FIRST, MS_IGNORERHOSTS,         0,              0, "yes") \
	X(SK_IGNOREUSERKNOWNHOSTS,  "ignoreuserknownhosts",            SSHD_G, T_FLAG,         P_FIRST, 0,                       0,              0, "no") \
	X(SK_HOSTBASEDAUTH,         "hostbasedauthentication",         SSHD_M, T_FLAG,         P_FIRST, 0,                       0,              0, "no") \
	X(SK_HOSTBASEDNAMEPKT,      "hostbasedusesnamefrompacketonly", SSHD_M, T_FLAG,         P_FIRST, 0,                       0,              0, "no") \
	X(SK_PUBKEYAUTH,            "pubkeyauthentication",            SSHD_M, T_FLAG,         P_FIRST, 0,                       0,              0, "yes") \
	X(SK_KERBEROSAUTH,          "kerberosauthentication",          SSHD_M, T_FLAG,         P_FIRST, 0,                       0,              0, "no") \
	X(SK_KERBEROSORLOCALPW,     "kerberosorlocalpasswd",           SSHD_G, T_FLAG,         P_FIRST, 0,                       0,              0, "yes") \
	X(SK_KERBEROSTICKETCLEAN,   "kerberosticketcleanup",           SSHD_G, T_FLAG,         P_FIRST, 0,                       0,              0, "yes") \
	X(SK_GSSAPIAUTH,            "gssapiauthentication",            SSHD_M, T_FLAG,         P_FIRST, 0,                       0,              0, "no") \
	X(SK_GSSAPICLEANUPCREDS,    "gssapicleanupcredentials",        SSHD_G, T_FLAG,         P_FIRST, 0,                       0,              0, "yes") \
	X(SK_GSSAPIKEYEXCHANGE,     "gssapikeyexchange",               SSHD_G, T_FLAG,         P_FIRST, 0,                       0,              1, "no") \
	X(SK_GSSAPISTRICTACCEPTOR,  "gssapistrictacceptorcheck",       SSHD_G, T_FLAG,         P_FIRST, 0,                       0,              0, "yes") \
	X(SK_GSSAPISTORECREDS,      "gssapistorecredentialsonrekey",   SSHD_G, T_FLAG,         P_FIRST, 0,                       0,              1, "no") \
	X(SK_GSSAPIKEXALGORITHMS,   "gssapikexalgorithms",             SSHD_G, T_ALGOS,        P_FIRST, 0,                       0,              1, NULL) \
	X(SK_PASSWORDAUTH,          "passwordauthentication",          SSHD_M, T_FLAG,         P_FIRST, 0,                       0,              0, "yes") \
	X(SK_KBDINTERACTIVEAUTH,    "kbdinteractiveauthentication",    SSHD_M, T_FLAG,         P_FIRST, 0,                       0,              0, "yes") \
	X(SK_PRINTMOTD,             "printmotd",                       SSHD_G, T_FLAG,         P_FIRST, 0,                       0,              0, "yes") \
	X(SK_PRINTLASTLOG,          "printlastlog",                    SSHD_G, T_FLAG,         P_FIRST, 0,                       0,              0, "yes") \
	X(SK_X11FORWARDING,         "x11forwarding",                   SSHD_M, T_FLAG,         P_FIRST, 0,                       0,              0, "no") \
	X(SK_X11USELOCALHOST,       "x11uselocalhost",                 SSHD_M, T_FLAG,         P_FIRST, 0,                       0,              0, "yes") \
	X(SK_PERMITTTY,             "permittty",                       SSHD_M, T_FLAG,         P_FIRST, 0,                       0,              0, "yes") \
	X(SK_PERMITUSERRC,          "permituserrc",                    SSHD_M, T_FLAG,         P_FIRST, 0,                       0,              0, "yes") \
	X(SK_STRICTMODES,           "strictmodes",                     SSHD_G, T_FLAG,         P_FIRST, 0,                       0,              0, "yes") \
	X(SK_TCPKEEPALIVE,          "tcpkeepalive",                    SSHD_G, T_FLAG,         P_FIRST, 0,                       0,              0, "yes") \
	X(SK_PERMITEMPTYPASSWORDS,  "permitemptypasswords",            SSHD_M, T_FLAG,         P_FIRST, 0,                       0,              0, "no") \
	X(SK_COMPRESSION,           "compression",                     SSHD_G, T_MULTI,        P_FIRST, MS_COMPRESSION,          0,              0, "yes") \
	X(SK_GATEWAYPORTS,          "gatewayports",                    SSHD_M, T_MULTI,        P_FIRST, MS_GATEWAYPORTS,         0,              0, "no") \
	X(SK_USEDNS,                "usedns",                          SSHD_G, T_FLAG,         P_FIRST, 0,                       0,              0, "no") \
	X(SK_ALLOWTCPFORWARDING,    "allowtcpforwarding",              SSHD_M, T_MULTI,        P_FIRST, MS_TCPFWD,               0,              0, "yes") \
	X(SK_ALLOWAGENTFORWARDING,  "allowagentforwarding",            SSHD_M, T_FLAG,         P_FIRST, 0,                       0,              0, "yes") \
	X(SK_DISABLEFORWARDING,     "disableforwarding",               SSHD_M, T_FLAG,         P_FIRST, 0,                       0,              0, "no") \
	X(SK_ALLOWSTREAMLOCALFWD,   "allowstreamlocalforwarding",      SSHD_M, T_MULTI,        P_FIRST, MS_TCPFWD,               0,              0, "yes") \
	X(SK_STREAMLOCALUNLINK,     "streamlocalbindunlink",           SSHD_M, T_FLAG,         P_FIRST, 0,                       0,              0, "no") \
	X(SK_FINGERPRINTHASH,       "fingerprinthash",                 SSHD_G, T_FPHASH,       P_LAST,  0,                       0,              0, "SHA256") \
	X(SK_EXPOSEAUTHINFO,        "exposeauthinfo",                  SSHD_M, T_FLAG,         P_FIRST, 0,                       0,              0, "no") \
	X(SK_REFUSECONNECTION,      "refuseconnection",                SSHD_M, T_FLAG,         P_FIRST, 0,                       SSHD_V(9, 9),   0, "no") \
	X(SK_DEBIANBANNER,          "debianbanner",                    SSHD_G, T_FLAG,         P_FIRST, 0,                       0,              1, "yes") \
	X(SK_PIDFILE,               "pidfile",                         SSHD_G, T_PATH,         P_FIRST, 0,                       0,              0, "/run/sshd.pid") \
	X(SK_MODULIFILE,            "modulifile",                      SSHD_G, T_PATH,         P_FIRST, 0,                       0,              0, "/etc/ssh/moduli") \
	X(SK_XAUTHLOCATION,         "xauthlocation",                   SSHD_G, T_PATH,         P_FIRST, 0,                       0,              0, "/usr/bin/xauth") \
	X(SK_CIPHERS,               "ciphers",                         SSHD_G, T_ALGOS,        P_FIRST, 0,                       0,              0, NULL) \
	X(SK_MACS,                  "macs",                            SSHD_G, T_ALGOS,        P_FIRST, 0,                       0,              0, NULL) \
	X(SK_BANNER,                "banner",                          SSHD_M, T_PATH,         P_FIRST, 0,                       0,              0, NULL) \
	X(SK_FORCECOMMAND,          "forcecommand",                    SSHD_M, T_FORCECMD,     P_FIRST, 0,                       0,              0, NULL) \
	X(SK_CHROOTDIRECTORY,       "chrootdirectory",                 SSHD_M, T_STR,          P_FIRST, 0,                       0,              0, NULL) \
	X(SK_TRUSTEDUSERCAKEYS,     "trustedusercakeys",               SSHD_M, T_PATH,         P_FIRST, 0,                       0,              0, NULL) \
	X(SK_REVOKEDKEYS,           "revokedkeys",                     SSHD_M, T_PATH,         P_FIRST, 0,                       0,              0, NULL) \
	X(SK_SECURITYKEYPROVIDER,   "securitykeyprovider",             SSHD_G, T_SKPROV,       P_FIRST, 0,                       0,              0, "internal") \
	X(SK_AUTHPRINCIPALSFILE,    "authorizedprincipalsfile",        SSHD_M, T_TILDE,        P_FIRST, 0,                       0,              0, NULL) \
	X(SK_VERSIONADDENDUM,       "versionaddendum",                 SSHD_G, T_VERADD,       P_FIRST, 0,                       0,              0, NULL) \
	X(SK_AUTHKEYSCOMMAND,       "authorizedkeyscommand",           SSHD_M, T_KEYSCMD,      P_FIRST, 0,                       0,              0, NULL) \
	X(SK_AUTHKEYSCOMMANDUSER,   "authorizedkeyscommanduser",       SSHD_M, T_STR,          P_FIRST, 0,                       0,              0, NULL) \
	X(SK_AUTHPRINCCOMMAND,      "authorizedprincipalscommand",     SSHD_M, T_KEYSCMD,      P_FIRST, 0,                       0,              0, NULL) \
	X(SK_AUTHPRINCCOMMANDUSER,  "authorizedprincipalscommanduser", SSHD_M, T_STR,          P_FIRST, 0,                       0,              0, NULL) \
	X(SK_HOSTKEYAGENT,          "hostkeyagent",                    SSHD_G, T_HKAGENT,      P_FIRST, 0,                       0,              0, NULL) \
	X(SK_KEXALGORITHMS,         "kexalgorithms",                   SSHD_G, T_ALGOS,        P_FIRST, 0,                       0,              0, NULL) \
	X(SK_CASIGALGORITHMS,       "casignaturealgorithms",           SSHD_M, T_ALGOS,        P_FIRST, 0,                       0,              0, NULL) \
	X(SK_HOSTBASEDALGORITHMS,   "hostbasedacceptedalgorithms",     SSHD_M, T_ALGOS,        P_FIRST, 0,                       0,              0, NULL) \
	X(SK_HOSTKEYALGORITHMS,     "hostkeyalgorithms",               SSHD_G, T_ALGOS,        P_FIRST, 0,                       0,              0, NULL) \
	X(SK_PUBKEYALGORITHMS,      "pubkeyacceptedalgorithms",        SSHD_M, T_ALGOS,        P_FIRST, 0,                       0,              0, NULL) \
	X(SK_SSHDSESSIONPATH,       "sshdsessionpath",                 SSHD_G, T_PATH,         P_FIRST, 0,                       SSHD_V(9, 8),   0, "/usr/lib/openssh/sshd-session") \
	X(SK_SSHDAUTHPATH,          "sshdauthpath",                    SSHD_G, T_PATH,         P_FIRST, 0,                       SSHD_V(10, 0),  0, "/usr/lib/openssh/sshd-auth") \
	X(SK_PENALTYEXEMPTLIST,     "persourcepenaltyexemptlist",      SSHD_G, T_EXEMPT,       P_FIRST, 0,                       SSHD_V(9, 8),   0, NULL) \
	X(SK_LOGLEVEL,              "loglevel",                        SSHD_M, T_LOGLEVEL,     P_FIRST, 0,                       0,              0, "INFO") \
	X(SK_SYSLOGFACILITY,        "syslogfacility",                  SSHD_G, T_FACILITY,     P_FIRST, 0,                       0,              0, "AUTH") \
	X(SK_AUTHORIZEDKEYSFILE,    "authorizedkeysfile",              SSHD_M, T_AUTHKEYS,     P_LINE,  0,                       0,              0, ".ssh/authorized_keys .ssh/authorized_keys2") \
	X(SK_HOSTKEY,               "hostkey",                         SSHD_G, T_HOSTKEY,      P_ACC,   0,                       0,              0, NULL) \
	X(SK_HOSTCERTIFICATE,       "hostcertificate",                 SSHD_G, T_HOSTKEY,      P_ACC,   0,                       0,              0, NULL) \
	X(SK_ALLOWUSERS,            "allowusers",                      SSHD_M, T_USERS,        P_ACC,   0,                       0,              0, NULL) \
	X(SK_DENYUSERS,             "denyusers",                       SSHD_M, T_USERS,        P_ACC,   0,                       0,              0, NULL) \
	X(SK_ALLOWGROUPS,           "allowgroups",                     SSHD_M, T_GROUPS,       P_ACC,   0,                       0,              0, NULL) \
	X(SK_DENYGROUPS,            "denygroups",                      SSHD_M, T_GROUPS,       P_ACC,   0,                       0,              0, NULL) \
	X(SK_ACCEPTENV,             "acceptenv",                       SSHD_M, T_ACCEPTENV,    P_ACC,   0,                       0,              0, NULL) \
	X(SK_SETENV,                "setenv",                          SSHD_M, T_SETENV,       P_LINE,  0,                       0,              0, NULL) \
	X(SK_AUTHMETHODS,           "authenticationmethods",           SSHD_M, T_AUTHMETHODS,  P_LINE,  0,                       0,              0, NULL) \
	X(SK_LOGVERBOSE,            "logverbose",                      SSHD_M, T_LOGVERBOSE,   P_LINE,  0,                       0,              0, NULL) \
	X(SK_CHANNELTIMEOUT,        "channeltimeout",                  SSHD_M, T_CHANTIMEOUT,  P_LINE,  0,                       0,              0, NULL) \
	X(SK_SUBSYSTEM,             "subsystem",                       SSHD_M, T_SUBSYSTEM,    P_ACC,   0,                       0,              0, NULL) \
	X(SK_MAXSTARTUPS,           "maxstartups",                     SSHD_G, T_MAXSTARTUPS,  P_LAST,  0,                       0,              0, "10:30:100") \
	X(SK_PERSOURCEMAXSTARTUPS,  "persourcemaxstartups",            SSHD_G, T_PSMAX,        P_LAST,  0,                       0,              0, "none") \
	X(SK_PERSOURCENETBLOCK,     "persourcenetblocksize",           SSHD_G, T_NETBLOCK,     P_LAST,  0,                       0,              0, "32:128") \
	X(SK_PERMITTUNNEL,          "permittunnel",                    SSHD_M, T_TUNNEL,       P_FIRST, 0,                       0,              0, "no") \
	X(SK_IPQOS,                 "ipqos",                           SSHD_M, T_IPQOS,        P_LAST,  0,                       0,              0, "lowdelay throughput") \
	X(SK_REKEYLIMIT,            "rekeylimit",                      SSHD_M, T_REKEY,        P_FIRST, 0,                       0,              0, "default none") \
	X(SK_PERMITOPEN,            "permitopen",                      SSHD_M, T_PERMITOPEN,   P_LINE,  0,                       0,              0, NULL) \
	X(SK_PERMITLISTEN,          "permitlisten",                    SSHD_M, T_PERMITOPEN,   P_LINE,  1,                       0,              0, NULL) \
	X(SK_PERMITUSERENV,         "permituserenvironment",           SSHD_G, T_PUENV,        P_FIRST, 0,                       0,              0, "no") \
	X(SK_PUBKEYAUTHOPTIONS,     "pubkeyauthoptions",               SSHD_M, T_PKOPTS,       P_FIRST, 0,                       0,              0, "none") \
	X(SK_PERSOURCEPENALTIES,    "persourcepenalties",              SSHD_G, T_PENALTIES,    P_FIRST, 0,                       SSHD_V(9, 8),   0, NULL) \
	X(SK_RDOMAIN,               "rdomain",                         SSHD_M, T_RDOMAIN,      P_NONE,  0,                       0,              0, NULL) \
	X(SK_INCLUDE,               "include",                         SSHD_M, T_INCLUDE,      P_NONE,  0,                       0,              0, NULL) \
	X(SK_MATCH,                 "match",                           SSHD_M, T_MATCH,        P_NONE,  0,                       0,              0, NULL) \
	X(SK_PROTOCOL,              "protocol",                        SSHD_G, T_IGNORE,       P_NONE,  0,                       0,              0, NULL) \
	X(SK_KERBEROSGETAFSTOKEN,   "kerberosgetafstoken",             SSHD_G, T_UNSUPPORTED,  P_NONE,  0,                       0,              0, NULL) \
	X(SK_KERBEROSTGTPASSING,    "kerberostgtpassing",              SSHD_G, T_UNSUPPORTED,  P_NONE,  0,                       0,              0, NULL) \
	X(SK_AFSTOKENPASSING,       "afstokenpassing",                 SSHD_G, T_UNSUPPORTED,  P_NONE,  0,                       0,              0, NULL) \
	X(SK_GSSUSESESSIONCCACHE,   "gssapiusesessioncredcache",       SSHD_G, T_UNSUPPORTED,  P_NONE,  0,                       0,              1, NULL) \
	X(SK_GSSUSESESSIONCCACHE2,  "gssusesessionccache",             SSHD_G, T_UNSUPPORTED,  P_NONE,  0,                       0,              1, NULL) \
	X(SK_PAMAUTHVIAKBDINT,      "pamauthenticationviakbdint",      SSHD_G, T_DEPRECATED,   P_NONE,  0,                       0,              0, NULL) \
	X(SK_SERVERKEYBITS,         "serverkeybits",                   SSHD_G, T_DEPRECATED,   P_NONE,  0,                       0,              0, NULL) \
	X(SK_KEYREGENINTERVAL,      "keyregenerationinterval",         SSHD_G, T_DEPRECATED,   P_NONE,  0,                       0,              0, NULL) \
	X(SK_RHOSTSAUTH,            "rhostsauthentication",            SSHD_G, T_DEPRECATED,   P_NONE,  0,                       0,              0, NULL) \
	X(SK_RHOSTSRSAAUTH,         "rhostsrsaauthentication",         SSHD_M, T_DEPRECATED,   P_NONE,  0,                       0,              0, NULL) \
	X(SK_RSAAUTH,               "rsaauthentication",               SSHD_M, T_DEPRECATED,   P_NONE,  0,                       0,              0, NULL) \
	X(SK_CHECKMAIL,             "checkmail",                       SSHD_G, T_DEPRECATED,   P_NONE,  0,                       0,              0, NULL) \
	X(SK_USELOGIN,              "uselogin",                        SSHD_G, T_DEPRECATED,   P_NONE,  0,                       0,              0, NULL) \
	X(SK_VERIFYREVMAPPING,      "verifyreversemapping",            SSHD_G, T_DEPRECATED,   P_NONE,  0,                       0,              0, NULL) \
	X(SK_REVMAPPINGCHECK,       "reversemappingcheck",             SSHD_G, T_DEPRECATED,   P_NONE,  0,                       0,              0, NULL) \
	X(SK_AUTHKEYSFILE2,         "authorizedkeysfile2",             SSHD_M, T_DEPRECATED,   P_NONE,  0,                       0,              0, NULL) \
	X(SK_USEPRIVSEP,            "useprivilegeseparation",          SSHD_G, T_DEPRECATED,   P_NONE,  0,                       0,              0, NULL) \
	X(SK_PERMITBLACKLISTED,     "permitblacklistedkeys",           SSHD_G, T_DEPRECATED,   P_NONE,  0,                       0,              1, NULL) \
	X(SK_HOSTDSAKEY,            "hostdsakey",                      SSHD_G, T_ALIAS,        P_NONE,  SK_HOSTKEY,              0,              0, NULL) \
	X(SK_HOSTBASEDKEYTYPES,     "hostbasedacceptedkeytypes",       SSHD_M, T_ALIAS,        P_NONE,  SK_HOSTBASEDALGORITHMS,  0,              0, NULL) \
	X(SK_PUBKEYKEYTYPES,        "pubkeyacceptedkeytypes",          SSHD_M, T_ALIAS,        P_NONE,  SK_PUBKEYALGORITHMS,     0,              0, NULL) \
	X(SK_DSAAUTH,               "dsaauthentication",               SSHD_G, T_ALIAS,        P_NONE,  SK_PUBKEYAUTH,           0,              0, NULL) \
	X(SK_CHALLENGERESPONSE,     "challengeresponseauthentication", SSHD_M, T_ALIAS,        P_NONE,  SK_KBDINTERACTIVEAUTH,   0,              0, NULL) \
	X(SK_SKEYAUTH,              "skeyauthentication",              SSHD_M, T_ALIAS,        P_NONE,  SK_KBDINTERACTIVEAUTH,   0,              0, NULL) \
	X(SK_KEEPALIVE,             "keepalive",                       SSHD_G, T_ALIAS,        P_NONE,  SK_TCPKEEPALIVE,         0,              0, NULL) \
	X(SK_GSSAPICLEANUPCREDS2,   "gssapicleanupcreds",              SSHD_G, T_ALIAS,        P_NONE,  SK_GSSAPICLEANUPCREDS,   0,              1, NULL)
/* clang-format on */

enum sshd_kw {
#define SSHD_KW_ENUM(id, name, scope, type, prec, param, since, deb, def) id,
	SSHD_KEYWORDS(SSHD_KW_ENUM)
#undef SSHD_KW_ENUM
	    SK__COUNT
};

struct sshd_keyword {
	const char *name;
	enum sshd_scope scope;
	enum sshd_type type;
	enum sshd_prec prec;
	int param;
	int since;
	int debian_only;
	const char *def;
};

const struct sshd_keyword *sshd_kw(enum sshd_kw id);
const char *sshd_kw_name(enum sshd_kw id);

/*
 * Looks a keyword up as sshd does (case-insensitively), for the given version and build:
 * the id (aliases not resolved) or -1 ("Bad configuration option").
 */
int sshd_kw_lookup(const char *name, int version, int debian);
/* The keyword an alias stands for (itself otherwise). */
enum sshd_kw sshd_kw_canonical(enum sshd_kw id);
/* The scope in that version (Subsystem became Match-allowed in 9.5). */
enum sshd_scope sshd_kw_scope(enum sshd_kw id, int version);
/* Which value wins when the keyword repeats, in that version. */
enum sshd_prec sshd_kw_precedence(enum sshd_kw id, int version);
/* The default as a configuration argument for that version and build, NULL for none. */
const char *sshd_kw_default(enum sshd_kw id, int version, int debian);
/* A human name for a precedence ("first", "last", "accumulate", "first-line"). */
const char *sshd_prec_name(enum sshd_prec p);

#endif
