/*
 * oracle.h — the real libwrap (Debian libwrap0) as the judge of our evaluator.
 *
 * hosts_ctl(3) builds a request from strings only — no socket — so libwrap never resolves a
 * name or asks an ident server: the client name and user are taken as given.  Without a
 * socket it has no server endpoint either: the server's address and name are "unknown" and
 * port patterns never match.  Never give it rules with spawn, twist or aclexec: it runs them.
 */
#ifndef SSHDIAG_TESTS_TCPWRAP_ORACLE_H
#define SSHDIAG_TESTS_TCPWRAP_ORACLE_H

/* hosts_ctl("sshd", name, addr, user) with the two tables redirected; 1 grant, 0 deny. */
int oracle_decide(const char *allow_path, const char *deny_path, const char *name, const char *addr,
                  const char *user);

#endif
