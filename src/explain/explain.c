#include "explain/explain.h"

#include <string.h>

#include "core/conn.h"
#include "logs/line.h"

/*
 * Symptoms, most decisive first: when several lines of a paste are understood, the one whose
 * symptom comes first here explains the failure (a "banner line 0: Exceeded MaxStartups"
 * says more than the reset after it; a reset says more than the debug line before it).
 */
enum sym {
	/* client side */
	S_EXCEEDED_MAXSTARTUPS,
	S_NOT_ALLOWED,
	S_HOST_KEY,
	S_NEGOTIATE_HOSTKEY,
	S_NEGOTIATE,
	S_LIBCRYPTO,
	S_PROXY,
	S_PRE_BANNER_TEXT,
	S_INVALID_BANNER,
	S_BANNER_TIMEOUT,
	S_REFUSED,
	S_CONNECT_TIMEOUT,
	S_NO_ROUTE,
	S_NET_UNREACHABLE,
	S_RESOLVE,
	S_SESSION,
	S_KEX_RESET,
	S_KEX_CLOSED,
	S_CLOSED_AFTER_KEX, /* only from S_CLOSED_BY and the rest of the paste */
	S_CLOSED_BY,
	S_CORRUPT,
	S_TOO_MANY_AUTH,
	S_PERMISSION_DENIED,
	S_KEX_HANG,
	/* server side */
	S_SRV_F2B_BAN,
	S_SRV_SSHGUARD,
	S_SRV_FIREWALL_LOG,
	S_SRV_LIBWRAP,
	S_SRV_PENALTY,
	S_SRV_MAXSTARTUPS,
	S_SRV_THROTTLE,
	S_SRV_SESSION_MISSING,
	S_SRV_PRIVSEP,
	S_SRV_HOSTKEYS,
	S_SRV_BIND,
	S_SRV_SOCKET_UNIT,
	S_SRV_FATAL,
	S_SRV_LISTENER,
	S_SRV_LISTENER_STALLED,
	S_SRV_BACKLOG,
	S_SRV_CONNTRACK,
	S_SRV_CRASH,
	S_SRV_REFUSE,
	S_SRV_NEGOTIATE,
	S_SRV_PROTOCOL,
	S_SRV_CLIENT_RESET,
	S_SRV_CLIENT_BANNER,
	S_SRV_GRACE,
	S_SRV_F2B_FOUND,
	S_SRV_AUTH,
	S_SRV_CLOSED,
	S_SRV_ACCEPTED,
	S_SRV_LIFECYCLE,
	S__COUNT
};

struct step {
	enum cause_id cause;
	const char *why;
	const char *where; /* NULL: the cause's default command */
	const char *cmd;
};

struct symptom {
	const char *id;
	enum explain_side side;
	enum explain_phase phase;
	int pre_auth;
	const char *summary;
	const char *note;
	struct step steps[EXPLAIN_MAX_CAUSES];
};

#define C EXPLAIN_SIDE_CLIENT
#define S EXPLAIN_SIDE_SERVER

/* The phrases reused by several symptoms. */
#define WHY_LIBWRAP                                                                                \
	"TCP wrappers: Debian's sshd asks libwrap, which refuses a client matched in "             \
	"/etc/hosts.deny, sleeps 5 s and closes: about 5 s after connect"
#define WHY_DENYHOSTS "DenyHosts writes 'sshd: ADDR' lines into /etc/hosts.deny: the same signature"
#define WHY_MAXSTARTUPS                                                                            \
	"MaxStartups (default 10:30:100): too many unauthenticated connections, sshd drops new "   \
	"ones right after accept (instant; random below 'full', so a retry may pass)"
#define WHY_PERSOURCE                                                                              \
	"PerSourceMaxStartups (8.5+): your address holds too many unauthenticated connections; "   \
	"another source address works"
#define WHY_PENALTY                                                                                \
	"PerSourcePenalties (9.8+, on by default): your address earned penalties (failed or "      \
	"unauthenticated connections, probes, crashes) and is dropped for 15 s to 10 min"
#define WHY_FW_RESET                                                                               \
	"a firewall rule or middlebox resetting the connection after the handshake "               \
	"(REJECT --reject-with tcp-reset on established traffic, an IPS)"
#define WHY_SESSION_MISSING                                                                        \
	"sshd's per-connection program fails: sshd-session missing, or sshd upgraded to 9.8+ "     \
	"without a restart; every connection dies"
#define WHY_PRIVSEP                                                                                \
	"/run/sshd (the privilege separation directory) is missing: every connection dies"
#define WHY_FORWARDER                                                                              \
	"a forwarder (docker-proxy, VM NAT, kubectl port-forward, load balancer, sslh) accepted "  \
	"and its backend is down, or another service owns the port"

static const struct symptom symptoms[S__COUNT] = {
    [S_EXCEEDED_MAXSTARTUPS] = {"banner_maxstartups",
                                C,
                                EXPLAIN_PHASE_BANNER,
                                1,
                                "sshd (8.2-9.7) said 'Exceeded MaxStartups' instead of its banner: "
                                "its admission control dropped the connection",
                                "",
                                {{CAUSE_MAX_STARTUPS, WHY_MAXSTARTUPS, NULL, NULL},
                                 {CAUSE_PER_SOURCE_MAX_STARTUPS, WHY_PERSOURCE, NULL, NULL}}},
    [S_NOT_ALLOWED] = {"banner_not_allowed",
                       C,
                       EXPLAIN_PHASE_BANNER,
                       1,
                       "sshd (9.8+) said 'Not allowed at this time' instead of its banner: a "
                       "penalty on your address, or MaxStartups",
                       "",
                       {{CAUSE_PER_SOURCE_PENALTY, WHY_PENALTY, NULL, NULL},
                        {CAUSE_MAX_STARTUPS, WHY_MAXSTARTUPS, NULL, NULL},
                        {CAUSE_PER_SOURCE_MAX_STARTUPS, WHY_PERSOURCE, NULL, NULL}}},
    [S_HOST_KEY] = {"host_key_verification",
                    C,
                    EXPLAIN_PHASE_KEX,
                    1,
                    "the server's host key does not match the one in known_hosts (or is "
                    "unknown and BatchMode/StrictHostKeyChecking refused it): the client "
                    "stopped itself",
                    "Do not remove the old key before you know why it changed (reinstall, "
                    "new host behind the same address, or an attack).",
                    {{CAUSE_HOST_KEY_MISMATCH,
                      "compare the key the server offers now with the one you have; when "
                      "the change is expected, ssh-keygen -R HOST removes the old one",
                      NULL, NULL}}},
    [S_NEGOTIATE_HOSTKEY] = {"algorithm_mismatch",
                             C,
                             EXPLAIN_PHASE_KEX,
                             1,
                             "client and server share no host key algorithm: the key exchange "
                             "cannot start",
                             "",
                             {{CAUSE_ALGORITHM_MISMATCH,
                               "the server offers only key types this client refuses (ssh-rsa "
                               "SHA-1 or ssh-dss on a modern client): allow one for this host "
                               "(-o HostKeyAlgorithms=+TYPE) or give the server a new key",
                               NULL, NULL},
                              {CAUSE_HOST_KEYS_UNUSABLE,
                               "the server could load no modern host key (ed25519, ecdsa, "
                               "rsa-sha2)",
                               "server", "sshd -t"}}},
    [S_NEGOTIATE] = {"algorithm_mismatch",
                     C,
                     EXPLAIN_PHASE_KEX,
                     1,
                     "client and server share no algorithm of one kind (key exchange, cipher "
                     "or MAC): the key exchange cannot start",
                     "",
                     {{CAUSE_ALGORITHM_MISMATCH,
                       "compare 'Their offer' with the client's list (ssh -Q kex, ssh -Q "
                       "cipher, ssh -Q mac) and enable a common one on either side",
                       NULL, NULL}}},
    [S_LIBCRYPTO] = {"libcrypto_error",
                     C,
                     EXPLAIN_PHASE_KEX,
                     1,
                     "the client's crypto library refused a signature or algorithm during key "
                     "exchange",
                     "",
                     {{CAUSE_ALGORITHM_MISMATCH,
                       "typically a client whose crypto policy forbids SHA-1 signatures (RHEL 9 "
                       "DEFAULT) against an old server: upgrade the server or allow SHA-1 for "
                       "this host",
                       NULL, NULL}}},
    [S_PROXY] = {"proxy_failed",
                 C,
                 EXPLAIN_PHASE_BANNER,
                 1,
                 "'UNKNOWN port 65535' means the transport is a ProxyCommand or ProxyJump, not "
                 "a socket: the proxy or jump leg failed",
                 "",
                 {{CAUSE_NETWORK_PATH,
                   "the jump host refused or could not forward (AllowTcpForwarding no, jump "
                   "login failed, nc/helper missing): rerun the jump leg alone with -v",
                   "client", "ssh -G %H | grep -iE '^proxy(command|jump)'"}}},
    [S_PRE_BANNER_TEXT] = {"pre_banner_text",
                           C,
                           EXPLAIN_PHASE_BANNER,
                           1,
                           "something sent text that is not an SSH banner: not an SSH server",
                           "",
                           {{CAUSE_WRONG_SERVICE,
                             "another service (HTTP, TLS, a proxy) answers on this port", NULL,
                             NULL}}},
    [S_INVALID_BANNER] = {"invalid_banner",
                          C,
                          EXPLAIN_PHASE_BANNER,
                          1,
                          "what answered did not send a valid SSH identification string",
                          "",
                          {{CAUSE_WRONG_SERVICE,
                            "another service (HTTP, TLS, SMTP) or a proxy answers on this port, "
                            "or an SSH-1 server",
                            NULL, NULL}}},
    [S_BANNER_TIMEOUT] = {"banner_timeout",
                          C,
                          EXPLAIN_PHASE_BANNER,
                          1,
                          "TCP connected but no banner came before ConnectTimeout",
                          "",
                          {{CAUSE_LISTENER_STALLED,
                            "a wedged or overloaded listener: out of file descriptors, a full "
                            "accept queue, duplicate listeners after an upgrade",
                            NULL, NULL},
                           {CAUSE_TCP_WRAPPERS_DENY,
                            "libwrap's reverse DNS lookups stall when DNS is broken; sshd "
                            "answers (or refuses) only after them",
                            NULL, NULL},
                           {CAUSE_NETWORK_PATH,
                            "a middlebox that passes the handshake but not data", NULL, NULL}}},
    [S_REFUSED] = {"connection_refused",
                   C,
                   EXPLAIN_PHASE_TCP,
                   1,
                   "the SYN was refused (RST or ICMP port-unreachable): nothing accepted the "
                   "TCP connection",
                   "",
                   {{CAUSE_NOT_LISTENING,
                     "nothing listens on this address and port (sshd stopped, or on another "
                     "port or address)",
                     NULL, NULL},
                    {CAUSE_FIREWALL_REJECT,
                     "a REJECT rule (icmp-port-unreachable or tcp-reset) answers the same way",
                     NULL, NULL},
                    {CAUSE_FAIL2BAN_BAN,
                     "fail2ban's default banaction REJECTs banned addresses: a ban looks "
                     "exactly like this",
                     NULL, NULL},
                    {CAUSE_SSHD_NOT_RUNNING,
                     "sshd failed to start (config error, missing host keys)", NULL, NULL}}},
    [S_CONNECT_TIMEOUT] = {"connect_timeout",
                           C,
                           EXPLAIN_PHASE_TCP,
                           1,
                           "the SYN went unanswered: something drops the packets, or the "
                           "host is unreachable",
                           "",
                           {{CAUSE_FIREWALL_DROP,
                             "a DROP rule or default-deny policy (host firewall, cloud "
                             "security group)",
                             NULL, NULL},
                            {CAUSE_SSHGUARD_BAN, "sshguard blocks with DROP", NULL, NULL},
                            {CAUSE_FAIL2BAN_BAN, "fail2ban with a DROP banaction", NULL, NULL},
                            {CAUSE_NETWORK_PATH,
                             "the host is down or unreachable from this network (outbound "
                             "port 22 filtered, VPN routes): try another network",
                             NULL, NULL}}},
    [S_NO_ROUTE] = {"no_route",
                    C,
                    EXPLAIN_PHASE_TCP,
                    1,
                    "an ICMP host-unreachable or prohibited came back (or ARP failed on the "
                    "local network)",
                    "",
                    {{CAUSE_FIREWALL_REJECT,
                      "REJECT --reject-with icmp-host-prohibited or admin-prohibited "
                      "(firewalld style) gives 'No route to host' although the host is up",
                      NULL, NULL},
                     {CAUSE_NETWORK_PATH, "the host is down, or a router has no route to it", NULL,
                      NULL}}},
    [S_NET_UNREACHABLE] = {"network_unreachable",
                           C,
                           EXPLAIN_PHASE_TCP,
                           1,
                           "the client has no route to the server's network",
                           "",
                           {{CAUSE_NETWORK_PATH,
                             "the client's routing (VPN, IPv6 without a route): check ip "
                             "route get ADDR",
                             "client", "ip route get %A"}}},
    [S_RESOLVE] = {"resolve_failed",
                   C,
                   EXPLAIN_PHASE_TCP,
                   1,
                   "the host name did not resolve: no connection was attempted",
                   "",
                   {{CAUSE_NETWORK_PATH, "a typo, a missing DNS record, or a broken resolver",
                     "client", "getent ahosts %H"}}},
    [S_SESSION] = {"session_lost",
                   C,
                   EXPLAIN_PHASE_SESSION,
                   0,
                   "an established session was torn down: this is not a failure before "
                   "authentication",
                   "Idle NAT or load-balancer timeouts are the usual cause: "
                   "ServerAliveInterval 30 on the client keeps the path alive.",
                   {{CAUSE_NETWORK_PATH,
                     "an idle NAT, firewall or load balancer expired the connection, or the "
                     "server restarted",
                     NULL, NULL}}},
    [S_KEX_RESET] = {"kex_reset",
                     C,
                     EXPLAIN_PHASE_BANNER,
                     1,
                     "the server side accepted TCP and reset the connection before sending its "
                     "SSH banner",
                     "Timing tells them apart: about 5 s after connect is TCP wrappers; "
                     "instant is an admission drop, a firewall reset or a dying sshd child.",
                     {{CAUSE_TCP_WRAPPERS_DENY, WHY_LIBWRAP, NULL, NULL},
                      {CAUSE_DENYHOSTS_ENTRY, WHY_DENYHOSTS, NULL, NULL},
                      {CAUSE_MAX_STARTUPS, WHY_MAXSTARTUPS, NULL, NULL},
                      {CAUSE_PER_SOURCE_MAX_STARTUPS, WHY_PERSOURCE, NULL, NULL},
                      {CAUSE_PER_SOURCE_PENALTY, WHY_PENALTY, NULL, NULL},
                      {CAUSE_FIREWALL_RESET, WHY_FW_RESET, NULL, NULL},
                      {CAUSE_SSHD_SESSION_MISSING, WHY_SESSION_MISSING, NULL, NULL},
                      {CAUSE_PRIVSEP_DIR_MISSING, WHY_PRIVSEP, NULL, NULL},
                      {CAUSE_WRONG_SERVICE, WHY_FORWARDER, NULL, NULL}}},
    [S_KEX_CLOSED] = {"kex_closed",
                      C,
                      EXPLAIN_PHASE_BANNER,
                      1,
                      "the server side accepted TCP and closed the connection before sending "
                      "its SSH banner",
                      "Run ssh -v: 'banner line 0: Exceeded MaxStartups' or 'Not allowed at "
                      "this time' names sshd's admission control.",
                      {{CAUSE_MAX_STARTUPS, WHY_MAXSTARTUPS, NULL, NULL},
                       {CAUSE_PER_SOURCE_MAX_STARTUPS, WHY_PERSOURCE, NULL, NULL},
                       {CAUSE_PER_SOURCE_PENALTY, WHY_PENALTY, NULL, NULL},
                       {CAUSE_TCP_WRAPPERS_DENY, WHY_LIBWRAP, NULL, NULL},
                       {CAUSE_SSHD_SESSION_MISSING, WHY_SESSION_MISSING, NULL, NULL},
                       {CAUSE_WRONG_SERVICE, WHY_FORWARDER, NULL, NULL},
                       {CAUSE_PRIVSEP_DIR_MISSING, WHY_PRIVSEP, NULL, NULL},
                       {CAUSE_NETWORK_PATH,
                        "a proxy or VPN service on the client's side that refuses port 22", NULL,
                        NULL}}},
    [S_CLOSED_AFTER_KEX] = {"closed_after_kex",
                            C,
                            EXPLAIN_PHASE_AUTH,
                            1,
                            "the key exchange completed (the host key was seen) and the "
                            "server closed when authentication began",
                            "",
                            {{CAUSE_REFUSE_CONNECTION,
                              "RefuseConnection (9.9+) in a Match block for your address or "
                              "user: sshd evaluates it once the user name is known",
                              NULL, NULL},
                             {CAUSE_SSHD_SESSION_MISSING,
                              "sshd-auth (10.0+) missing or failing closes right after key "
                              "exchange",
                              NULL, NULL},
                             {CAUSE_NETWORK_PATH,
                              "LoginGraceTime expired (slow PAM, a hung agent prompt) or "
                              "the path died",
                              NULL, NULL}}},
    [S_CLOSED_BY] =
        {"closed",
         C,
         EXPLAIN_PHASE_BANNER,
         1,
         "the server side closed the connection; without more lines this is a "
         "close before the banner (9.5+ clients print only this line)",
         "Paste the whole ssh -v output: if the host key was already seen, the "
         "close came after key exchange (RefuseConnection, LoginGraceTime).",
         {{CAUSE_MAX_STARTUPS, WHY_MAXSTARTUPS, NULL, NULL},
          {CAUSE_PER_SOURCE_MAX_STARTUPS, WHY_PERSOURCE, NULL, NULL},
          {CAUSE_PER_SOURCE_PENALTY, WHY_PENALTY, NULL, NULL},
          {CAUSE_TCP_WRAPPERS_DENY, WHY_LIBWRAP, NULL, NULL},
          {CAUSE_SSHD_SESSION_MISSING, WHY_SESSION_MISSING, NULL, NULL},
          {CAUSE_WRONG_SERVICE, WHY_FORWARDER, NULL, NULL},
          {CAUSE_REFUSE_CONNECTION, "after key exchange: RefuseConnection (9.9+) in a Match block",
           NULL, NULL}}},
    [S_CORRUPT] = {"packet_corrupt",
                   C,
                   EXPLAIN_PHASE_KEX,
                   1,
                   "bytes arrived corrupted or out of framing: something on the path alters "
                   "the stream",
                   "",
                   {{CAUSE_NETWORK_PATH,
                     "a buggy middlebox, NIC offload or MTU problem on the path; compare from "
                     "another network",
                     NULL, NULL},
                    {CAUSE_WRONG_SERVICE, "a non-SSH service or proxy speaking after the banner",
                     NULL, NULL}}},
    [S_TOO_MANY_AUTH] = {"too_many_auth_failures",
                         C,
                         EXPLAIN_PHASE_AUTH,
                         0,
                         "the client offered too many keys (MaxAuthTries): an authentication "
                         "problem, not a failure before authentication",
                         "Use -o IdentitiesOnly=yes -i KEY to offer only the right key.",
                         {{CAUSE_AUTH_REJECTED,
                           "the agent offers many keys and sshd stops after MaxAuthTries "
                           "(default 6)",
                           NULL, NULL}}},
    [S_PERMISSION_DENIED] = {"permission_denied",
                             C,
                             EXPLAIN_PHASE_AUTH,
                             0,
                             "the connection reached sshd and authentication failed: this is "
                             "not a pre-authentication failure (network, firewall, TCP wrappers "
                             "and MaxStartups all let you through)",
                             "Check the user name, the key offered (ssh -v shows it), "
                             "authorized_keys and its permissions, and AllowUsers/DenyUsers/"
                             "AllowGroups (sshd logs 'not allowed because ...').",
                             {{CAUSE_AUTH_REJECTED,
                               "sshd rejected the methods tried; the server log says why "
                               "(wrong key, invalid user, AllowUsers/DenyUsers, permissions)",
                               NULL, NULL},
                              {CAUSE_FAIL2BAN_BAN,
                               "repeated failures get the address banned: the next attempt "
                               "may be refused",
                               NULL, NULL}}},
    [S_KEX_HANG] = {"kex_hang",
                    C,
                    EXPLAIN_PHASE_KEX,
                    1,
                    "the key exchange stalled waiting for the server's reply (the first large "
                    "packet)",
                    "",
                    {{CAUSE_NETWORK_PATH,
                      "an MTU/PMTUD black hole (VPN, tunnel, overlay): large packets are lost; "
                      "try -o KexAlgorithms=curve25519-sha256 or a lower MTU",
                      NULL, NULL},
                     {CAUSE_ALGORITHM_MISMATCH,
                      "a server that announces an algorithm it cannot do (post-quantum KEX "
                      "bugs): retry with -o KexAlgorithms=curve25519-sha256",
                      NULL, NULL}}},
    [S_SRV_F2B_BAN] = {"fail2ban_ban",
                       S,
                       EXPLAIN_PHASE_TCP,
                       1,
                       "fail2ban banned this address: its firewall rule refuses (or drops) "
                       "every new connection from it",
                       "",
                       {{CAUSE_FAIL2BAN_BAN,
                         "the ban lasts bantime (default 10 min); unban with fail2ban-client "
                         "set JAIL unbanip ADDR",
                         NULL, NULL},
                        {CAUSE_FIREWALL_REJECT, "the rule fail2ban inserted", "server",
                         "iptables-save | grep -F '%C'"}}},
    [S_SRV_SSHGUARD] = {"sshguard_block",
                        S,
                        EXPLAIN_PHASE_TCP,
                        1,
                        "sshguard blocked (or scored) this address: its firewall backend drops "
                        "the address's packets",
                        "",
                        {{CAUSE_SSHGUARD_BAN,
                          "blocked for BLOCK_TIME (default 120 s, longer for repeat "
                          "offenders); clients see a connect timeout",
                          NULL, NULL}}},
    [S_SRV_FIREWALL_LOG] = {"firewall_log",
                            S,
                            EXPLAIN_PHASE_TCP,
                            1,
                            "the kernel's firewall logged a packet it blocked",
                            "",
                            {{CAUSE_FIREWALL_DROP, "ufw's default deny (timeout on the client)",
                              NULL, NULL},
                             {CAUSE_FIREWALL_REJECT,
                              "ufw limit: 6 new connections in 30 s from one address are "
                              "refused",
                              "server", "ufw status verbose"}}},
    [S_SRV_LIBWRAP] = {"libwrap_refused",
                       S,
                       EXPLAIN_PHASE_BANNER,
                       1,
                       "TCP wrappers (libwrap in sshd) refused this client: it sees a reset "
                       "or close about 5 s after connecting",
                       "",
                       {{CAUSE_TCP_WRAPPERS_DENY,
                         "a line of /etc/hosts.deny matches the client (and no line of "
                         "/etc/hosts.allow does)",
                         NULL, NULL},
                        {CAUSE_DENYHOSTS_ENTRY, WHY_DENYHOSTS, NULL, NULL},
                        {CAUSE_FAIL2BAN_BAN, "fail2ban's hostsdeny action writes there too", NULL,
                         NULL}}},
    [S_SRV_PENALTY] = {"penalty_drop",
                       S,
                       EXPLAIN_PHASE_BANNER,
                       1,
                       "sshd (9.8+) dropped (or penalised) this source: PerSourcePenalties",
                       "Exempt monitoring, load-balancer and NAT addresses with "
                       "PerSourcePenaltyExemptList; a restart of sshd clears the penalties.",
                       {{CAUSE_PER_SOURCE_PENALTY, WHY_PENALTY, "server",
                         "sshdiag sshd-config -a -c %C | grep -i penalt"}}},
    [S_SRV_MAXSTARTUPS] = {"maxstartups_drop",
                           S,
                           EXPLAIN_PHASE_BANNER,
                           1,
                           "sshd dropped this connection before its banner: MaxStartups (or "
                           "PerSourceMaxStartups, logged the same way)",
                           "",
                           {{CAUSE_MAX_STARTUPS, WHY_MAXSTARTUPS, NULL, NULL},
                            {CAUSE_PER_SOURCE_MAX_STARTUPS, WHY_PERSOURCE, NULL, NULL}}},
    [S_SRV_THROTTLE] = {"maxstartups_throttling",
                        S,
                        EXPLAIN_PHASE_BANNER,
                        1,
                        "sshd is throttling: more unauthenticated connections than MaxStartups "
                        "'begin', new ones are dropped at random",
                        "",
                        {{CAUSE_MAX_STARTUPS, WHY_MAXSTARTUPS, NULL, NULL},
                         {CAUSE_PER_SOURCE_MAX_STARTUPS, WHY_PERSOURCE, NULL, NULL}}},
    [S_SRV_SESSION_MISSING] = {"sshd_session_failed",
                               S,
                               EXPLAIN_PHASE_BANNER,
                               1,
                               "sshd could not start its per-connection program: every "
                               "connection dies before the banner",
                               "",
                               {{CAUSE_SSHD_SESSION_MISSING,
                                 "sshd-session/sshd-auth missing or not executable, or sshd "
                                 "upgraded to 9.8+ and not restarted",
                                 "server",
                                 "sshdiag sshd-config -a | grep -iE 'sshd(session|auth)path'"}}},
    [S_SRV_PRIVSEP] = {"privsep_dir_missing",
                       S,
                       EXPLAIN_PHASE_BANNER,
                       1,
                       "the privilege separation directory is missing: every connection dies",
                       "systemd's RuntimeDirectory=sshd recreates it on restart; a tmpfiles "
                       "rule keeps it.",
                       {{CAUSE_PRIVSEP_DIR_MISSING, WHY_PRIVSEP, NULL, NULL}}},
    [S_SRV_HOSTKEYS] =
        {"host_keys_unusable",
         S,
         EXPLAIN_PHASE_TCP,
         1,
         "sshd cannot use its host keys: it refuses to start (or, up to 9.7, "
         "fails every connection)",
         "",
         {{CAUSE_HOST_KEYS_UNUSABLE, "host keys missing, unreadable or too open (mode must be 600)",
           NULL, NULL},
          {CAUSE_SSHD_NOT_RUNNING, "and then nothing listens: clients are refused", NULL, NULL}}},
    [S_SRV_BIND] = {"bind_failed",
                    S,
                    EXPLAIN_PHASE_TCP,
                    1,
                    "sshd could not listen on an address or port: clients there are refused",
                    "",
                    {{CAUSE_NOT_LISTENING,
                      "the port is taken by another program, the address is not on this host, "
                      "or SELinux forbids the port",
                      NULL, NULL},
                     {CAUSE_SSHD_NOT_RUNNING, "without any listening socket sshd exits", NULL,
                      NULL}}},
    [S_SRV_SOCKET_UNIT] = {"socket_unit_failed",
                           S,
                           EXPLAIN_PHASE_TCP,
                           1,
                           "systemd stopped accepting for ssh.socket: clients are refused "
                           "until it is restarted",
                           "",
                           {{CAUSE_NOT_LISTENING, "the socket unit hit its trigger limit or failed",
                             "server", "systemctl --no-pager status ssh.socket sshd.socket"}}},
    [S_SRV_FATAL] = {"sshd_fatal",
                     S,
                     EXPLAIN_PHASE_TCP,
                     1,
                     "sshd stopped with a fatal error",
                     "",
                     {{CAUSE_SSHD_CONFIG_INVALID, "a configuration sshd refuses", NULL, NULL},
                      {CAUSE_SSHD_NOT_RUNNING, "the listener is gone: clients are refused", NULL,
                       NULL}}},
    [S_SRV_LISTENER] = {"listener_error",
                        S,
                        EXPLAIN_PHASE_BANNER,
                        1,
                        "sshd's listener reported an error",
                        "",
                        {{CAUSE_SSHD_SESSION_MISSING,
                          "a child died at start-up (the startup pipe broke): sshd-session "
                          "missing or failing",
                          NULL, NULL},
                         {CAUSE_LISTENER_STALLED,
                          "out of file descriptors or processes: new connections hang", NULL,
                          NULL}}},
    [S_SRV_LISTENER_STALLED] = {"listener_stalled",
                                S,
                                EXPLAIN_PHASE_BANNER,
                                1,
                                "sshd's listener cannot accept or poll: new connections hang "
                                "(no banner) or are dropped",
                                "",
                                {{CAUSE_LISTENER_STALLED,
                                  "out of file descriptors (MaxStartups above the open-file "
                                  "limit, a descriptor leak): compare with the listener's limits",
                                  NULL, NULL},
                                 {CAUSE_MAX_STARTUPS,
                                  "MaxStartups larger than RLIMIT_NOFILE makes ppoll fail (8.9) "
                                  "or sshd exit (9.0+)",
                                  NULL, NULL}}},
    [S_SRV_BACKLOG] = {"syn_backlog_overflow",
                       S,
                       EXPLAIN_PHASE_TCP,
                       1,
                       "the kernel's SYN or accept queue for the port overflowed: new "
                       "connections time out or hang, intermittently",
                       "Usually a flood (brute force, scanners); it goes with MaxStartups drops.",
                       {{CAUSE_LISTENER_STALLED,
                         "sshd does not accept fast enough (overloaded, stalled)", "server",
                         "nstat -az TcpExtListenOverflows TcpExtListenDrops"},
                        {CAUSE_MAX_STARTUPS, WHY_MAXSTARTUPS, NULL, NULL}}},
    [S_SRV_CONNTRACK] = {"conntrack_full",
                         S,
                         EXPLAIN_PHASE_TCP,
                         1,
                         "the firewall's connection tracking table is full: new connections "
                         "are dropped (clients time out), established ones go on",
                         "",
                         {{CAUSE_FIREWALL_DROP, "conntrack drops the SYNs it cannot track",
                           "server", "cat /proc/sys/net/netfilter/nf_conntrack_{count,max}"}}},
    [S_SRV_CRASH] = {"preauth_crash",
                     S,
                     EXPLAIN_PHASE_AUTH,
                     1,
                     "sshd's pre-authentication process crashed (a sandbox violation or a bug)",
                     "Look at the kernel log (seccomp, audit) and upgrade sshd.",
                     {{CAUSE_PER_SOURCE_PENALTY,
                       "on 9.8+ each crash also earns the client's address a 90 s penalty", NULL,
                       NULL}}},
    [S_SRV_REFUSE] = {"refuse_connection",
                      S,
                      EXPLAIN_PHASE_AUTH,
                      1,
                      "RefuseConnection in a Match block refused this client once its user "
                      "name was known",
                      "",
                      {{CAUSE_REFUSE_CONNECTION,
                        "a Match block for this address or user sets RefuseConnection yes (9.9+)",
                        NULL, NULL}}},
    [S_SRV_NEGOTIATE] =
        {"algorithm_mismatch",
         S,
         EXPLAIN_PHASE_KEX,
         1,
         "the client and sshd share no algorithm of one kind",
         "sshguard counts these lines as attacks: three of them can turn the "
         "client's error into a timeout.",
         {{CAUSE_ALGORITHM_MISMATCH,
           "compare 'Their offer' with sshd's lists (sshd -T | grep -iE "
           "'kexalgorithms|ciphers|macs|hostkeyalgorithms')",
           "server", "sshd -T | grep -iE '^(kexalgorithms|ciphers|macs|hostkeyalgorithms)'"},
          {CAUSE_SSHGUARD_BAN, "sshguard scores each of these lines 10", NULL, NULL}}},
    [S_SRV_PROTOCOL] = {"protocol_error",
                        S,
                        EXPLAIN_PHASE_KEX,
                        1,
                        "sshd saw a protocol error from the client",
                        "",
                        {{CAUSE_NETWORK_PATH, "corruption on the path or a broken client", NULL,
                          NULL}}},
    [S_SRV_CLIENT_RESET] = {"client_banner_reset",
                            S,
                            EXPLAIN_PHASE_BANNER,
                            1,
                            "sshd's view: the connection was reset before the banner exchange "
                            "finished; this line explains the server's log, not a client's "
                            "error",
                            "",
                            {{CAUSE_FIREWALL_RESET,
                              "a firewall rule or middlebox resetting established connections "
                              "(the client then sees a reset too)",
                              NULL, NULL},
                             {CAUSE_WRONG_SERVICE,
                              "a non-SSH client (scanner, health check) that resets instead of "
                              "closing",
                              "server", "sshdiag logs --client %C"},
                             {CAUSE_NETWORK_PATH, "the client's side or the path dropped it", NULL,
                              NULL}}},
    [S_SRV_CLIENT_BANNER] = {"client_banner",
                             S,
                             EXPLAIN_PHASE_BANNER,
                             1,
                             "sshd's view: the client closed, reset or sent garbage before the "
                             "banner exchange finished (scanners, health checks, a proxy "
                             "sending PROXY protocol); this line explains the server's log, "
                             "not a client's error",
                             "fail2ban in mode aggressive/ddos and sshguard count these lines: "
                             "health checks can get banned.",
                             {{CAUSE_WRONG_SERVICE,
                               "a non-SSH client: port scanner, TCP health check, load "
                               "balancer sending PROXY protocol, or a client on the wrong port",
                               "server", "sshdiag logs --client %C"},
                              {CAUSE_FIREWALL_RESET,
                               "something between resets connections in mid-handshake", NULL, NULL},
                              {CAUSE_NETWORK_PATH, "the client gave up (its timeout, its path)",
                               NULL, NULL}}},
    [S_SRV_GRACE] = {"login_grace_timeout",
                     S,
                     EXPLAIN_PHASE_AUTH,
                     1,
                     "the client did not finish authenticating within LoginGraceTime",
                     "Slow pre-auth connections hold MaxStartups slots meanwhile.",
                     {{CAUSE_NETWORK_PATH,
                       "a stalled client (hung agent, slow PAM, a human at a prompt) or a path "
                       "that died",
                       NULL, NULL},
                      {CAUSE_MAX_STARTUPS,
                       "connections that never authenticate hold MaxStartups slots for others",
                       NULL, NULL}}},
    [S_SRV_F2B_FOUND] = {"fail2ban_found",
                         S,
                         EXPLAIN_PHASE_AUTH,
                         0,
                         "fail2ban counted a failure for this address: maxretry of them (5 by "
                         "default) within findtime get it banned",
                         "",
                         {{CAUSE_FAIL2BAN_BAN, "a ban follows after maxretry failures", NULL,
                           NULL}}},
    [S_SRV_AUTH] =
        {"auth_failed",
         S,
         EXPLAIN_PHASE_AUTH,
         0,
         "an authentication failure: the connection got through every "
         "pre-authentication layer",
         "",
         {{CAUSE_AUTH_REJECTED,
           "wrong key or password, invalid user, AllowUsers/DenyUsers/AllowGroups", NULL, NULL},
          {CAUSE_FAIL2BAN_BAN, "fail2ban's sshd filter counts these lines", NULL, NULL}}},
    [S_SRV_CLOSED] = {"connection_closed",
                      S,
                      EXPLAIN_PHASE_AUTH,
                      1,
                      "sshd's view: the client closed or reset the connection",
                      "",
                      {{CAUSE_AUTH_REJECTED,
                        "the client gave up during authentication (no acceptable key, a key "
                        "type the server refuses)",
                        NULL, NULL},
                       {CAUSE_NETWORK_PATH, "the client's side or the path dropped it", NULL,
                        NULL}}},
    [S_SRV_ACCEPTED] = {"login_accepted",
                        S,
                        EXPLAIN_PHASE_SESSION,
                        0,
                        "a successful login: nothing failed before authentication",
                        "",
                        {{CAUSE__COUNT, NULL, NULL, NULL}}},
    [S_SRV_LIFECYCLE] = {"sshd_lifecycle",
                         S,
                         EXPLAIN_PHASE_UNKNOWN,
                         1,
                         "sshd started, stopped or reloaded",
                         "While sshd is down, clients see 'Connection refused'.",
                         {{CAUSE_SSHD_NOT_RUNNING, "if it did not come back", NULL, NULL}}},
};

#undef C
#undef S

/* The next command for a cause when the symptom does not name one. */
static const struct {
	const char *where;
	const char *cmd;
} cause_next[CAUSE__COUNT] = {
    [CAUSE_NOT_LISTENING] = {"server", "ss -ltnp 'sport = :%P'"},
    [CAUSE_SSHD_NOT_RUNNING] = {"server", "sshd -t && systemctl --no-pager status ssh sshd"},
    [CAUSE_FIREWALL_REJECT] = {"server", "iptables-save | grep -E 'REJECT|%C'"},
    [CAUSE_FIREWALL_DROP] = {"server", "iptables-save | grep -E 'DROP|%C'"},
    [CAUSE_FAIL2BAN_BAN] = {"server", "fail2ban-client status sshd"},
    [CAUSE_SSHGUARD_BAN] = {"server", "iptables -S sshguard"},
    [CAUSE_DENYHOSTS_ENTRY] = {"server", "grep -nF '%C' /etc/hosts.deny"},
    [CAUSE_TCP_WRAPPERS_DENY] = {"server", "sshdiag server --client %C --port %P"},
    [CAUSE_MAX_STARTUPS] = {"server", "sshdiag sshd-config -a | grep -i maxstartups"},
    [CAUSE_PER_SOURCE_MAX_STARTUPS] = {"server",
                                       "sshdiag sshd-config -a -c %C | grep -i persource"},
    [CAUSE_PER_SOURCE_PENALTY] = {"server", "sshdiag logs --client %C"},
    [CAUSE_REFUSE_CONNECTION] = {"server", "sshdiag sshd-config -c %C -u %U | grep -i refuseconn"},
    [CAUSE_SSHD_SESSION_MISSING] = {"server", "sshdiag server --client %C --port %P"},
    [CAUSE_SSHD_CONFIG_INVALID] = {"server", "sshd -t"},
    [CAUSE_HOST_KEYS_UNUSABLE] = {"server", "sshd -t"},
    [CAUSE_WRONG_SERVICE] = {"client", "sshdiag probe %T"},
    [CAUSE_FIREWALL_RESET] = {"server", "iptables-save | grep -E 'tcp-reset|%C'"},
    [CAUSE_NETWORK_PATH] = {"client", "sshdiag probe %T"},
    [CAUSE_ALGORITHM_MISMATCH] = {"client", "sshdiag probe %T"},
    [CAUSE_LAYER_UNREADABLE] = {"server", "sshdiag server --client %C --port %P"},
    [CAUSE_LISTENER_STALLED] = {"server", "ss -ltn 'sport = :%P'"},
    [CAUSE_TCP_WRAPPERS_LINT] = {"server", "sshdiag server --client %C --port %P"},
    [CAUSE_PRIVSEP_DIR_MISSING] = {"server", "ls -ld /run/sshd"},
    [CAUSE_AUTH_REJECTED] = {"server", "sshdiag logs --client %C"},
    [CAUSE_HOST_KEY_MISMATCH] = {"client", "ssh-keyscan -p %P %H | ssh-keygen -lf -"},
};

/* Client texts: every needle (and needle2 after it, when set) must occur in the line. */
struct pattern {
	const char *needle;
	const char *needle2;
	enum sym sym;
};

static const struct pattern client_patterns[] = {
    {"Exceeded MaxStartups", NULL, S_EXCEEDED_MAXSTARTUPS},
    {"Not allowed at this time", NULL, S_NOT_ALLOWED},
    {"Host key verification failed", NULL, S_HOST_KEY},
    {"REMOTE HOST IDENTIFICATION HAS CHANGED", NULL, S_HOST_KEY},
    {"No ", " host key is known for", S_HOST_KEY},
    {"no matching host key type found", NULL, S_NEGOTIATE_HOSTKEY},
    {"Unable to negotiate with", NULL, S_NEGOTIATE},
    {"no matching key exchange method found", NULL, S_NEGOTIATE},
    {"no matching cipher found", NULL, S_NEGOTIATE},
    {"no matching MAC found", NULL, S_NEGOTIATE},
    {"error in libcrypto", NULL, S_LIBCRYPTO},
    {"UNKNOWN port 65535", NULL, S_PROXY},
    {"stdio forwarding failed", NULL, S_PROXY},
    {"open failed: administratively prohibited", NULL, S_PROXY},
    {"Bad stdio forwarding specification", NULL, S_PROXY},
    {"banner line ", ": ", S_PRE_BANNER_TEXT},
    {"banner exchange: Connection to", "invalid format", S_INVALID_BANNER},
    {"Bad remote protocol version identification", NULL, S_INVALID_BANNER},
    {"Protocol major versions differ", NULL, S_INVALID_BANNER},
    {"No SSH version received", NULL, S_INVALID_BANNER},
    {"No banner received", NULL, S_INVALID_BANNER},
    {"Connection timed out during banner exchange", NULL, S_BANNER_TIMEOUT},
    {"Connection to ", " timed out", S_BANNER_TIMEOUT},
    {"Error reading SSH protocol banner", "timed out", S_BANNER_TIMEOUT},
    {"Connection refused", NULL, S_REFUSED},
    {"Connection timed out", NULL, S_CONNECT_TIMEOUT},
    {"Operation timed out", NULL, S_CONNECT_TIMEOUT},
    {"No route to host", NULL, S_NO_ROUTE},
    {"Network is unreachable", NULL, S_NET_UNREACHABLE},
    {"Could not resolve hostname", NULL, S_RESOLVE},
    {"Name or service not known", NULL, S_RESOLVE},
    {"Temporary failure in name resolution", NULL, S_RESOLVE},
    {"nodename nor servname provided", NULL, S_RESOLVE},
    {"client_loop: ", NULL, S_SESSION},
    {"Timeout, server ", "not responding", S_SESSION},
    {"Read from remote host", NULL, S_SESSION},
    {"Connection to ", " closed by remote host", S_SESSION},
    {"Broken pipe", NULL, S_SESSION},
    {"exchange_identification: read: Connection reset", NULL, S_KEX_RESET},
    {"exchange_identification: read: Connection aborted", NULL, S_KEX_RESET},
    {"Error reading SSH protocol banner", NULL, S_KEX_RESET},
    {"Connection reset by ", NULL, S_KEX_RESET},
    {"exchange_identification: Connection closed by remote host", NULL, S_KEX_CLOSED},
    {"Connection closed by remote host", NULL, S_KEX_CLOSED},
    {"Server unexpectedly closed network connection", NULL, S_KEX_CLOSED},
    {"Connection closed by ", " port ", S_CLOSED_BY},
    {"Bad packet length", NULL, S_CORRUPT},
    {"Corrupted MAC on input", NULL, S_CORRUPT},
    {"message authentication code incorrect", NULL, S_CORRUPT},
    {"Too many authentication failures", NULL, S_TOO_MANY_AUTH},
    {"Permission denied (", NULL, S_PERMISSION_DENIED},
    {"expecting SSH2_MSG_KEX_ECDH_REPLY", NULL, S_KEX_HANG},
    {"expecting SSH2_MSG_KEX_DH_GEX", NULL, S_KEX_HANG},
};

/* Lines of programs the log classifier does not read (kernel, systemd). */
static const struct pattern server_patterns[] = {
    {"[UFW BLOCK]", NULL, S_SRV_FIREWALL_LOG},
    {"[UFW LIMIT BLOCK]", NULL, S_SRV_FIREWALL_LOG},
    {"Trigger limit hit", NULL, S_SRV_SOCKET_UNIT},
    {"Too many incoming connections", NULL, S_SRV_THROTTLE},
    {"Failed to queue service startup job", NULL, S_SRV_SOCKET_UNIT},
    {"*Blocked in csf*", NULL, S_SRV_FIREWALL_LOG},
    {"Possible SYN flooding on port", NULL, S_SRV_BACKLOG},
    {"nf_conntrack: table full", NULL, S_SRV_CONNTRACK},
    {"-R not supported here", NULL, S_SRV_SESSION_MISSING},
    {"Missing privilege separation directory", NULL, S_SRV_PRIVSEP},
    {"chroot(\"/run/sshd\")", NULL, S_SRV_PRIVSEP},
};

/* Lines that show the key exchange completed (a close after them is not pre-banner). */
static const char *const kex_done_markers[] = {
    "Warning: Permanently added",  "Authenticated to",
    "SSH2_MSG_SERVICE_ACCEPT",     "Server host key:",
    "SSH2_MSG_NEWKEYS received",   "Authentications that can continue",
    "Next authentication method:", "Offering public key",
};

const char *explain_side_name(enum explain_side s)
{
	static const char *const t[] = {
#define N(id, name) name,
	    EXPLAIN_SIDES(N)
#undef N
	};
	return (size_t)s < sizeof(t) / sizeof(t[0]) ? t[s] : "unknown";
}

const char *explain_phase_name(enum explain_phase p)
{
	static const char *const t[] = {
#define N(id, name, text) name,
	    EXPLAIN_PHASES(N)
#undef N
	};
	return (size_t)p < sizeof(t) / sizeof(t[0]) ? t[p] : "unknown";
}

const char *explain_phase_text(enum explain_phase p)
{
	static const char *const t[] = {
#define N(id, name, text) text,
	    EXPLAIN_PHASES(N)
#undef N
	};
	return (size_t)p < sizeof(t) / sizeof(t[0]) ? t[p] : "unknown phase";
}

static const char *find(const char *p, size_t len, const char *needle)
{
	return memmem(p, len, needle, strlen(needle));
}

static int has(const char *p, size_t len, const char *needle)
{
	return find(p, len, needle) != NULL;
}

/* The best (lowest) symptom of `pats` the line matches, S__COUNT when none. */
static enum sym match_patterns(const struct pattern *pats, size_t n, const char *p, size_t len)
{
	enum sym best = S__COUNT;
	size_t i;

	for (i = 0; i < n; i++) {
		const char *a;

		if (pats[i].sym >= best)
			continue;
		a = find(p, len, pats[i].needle);
		if (!a)
			continue;
		if (pats[i].needle2) {
			size_t off = (size_t)(a - p) + strlen(pats[i].needle);

			if (!has(a + strlen(pats[i].needle), len - off, pats[i].needle2))
				continue;
		}
		best = pats[i].sym;
	}
	return best;
}

/* A character that may appear in a host name or address we put into a command. */
static int host_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '-' || c == '_' || c == ':' || c == '%';
}

/* Copies the host-like word at p (bounded by end) into out; 0 when there is none. */
static int take_word(const char *p, const char *end, char *out, size_t cap)
{
	size_t n = 0;

	if (p < end && *p == '[')
		p++;
	while (p + n < end && host_char(p[n]))
		n++;
	/* a trailing ':' or '.' belongs to the sentence, not the host */
	while (n > 0 && (p[n - 1] == ':' || p[n - 1] == '.'))
		n--;
	if (n == 0 || n >= cap)
		return 0;
	memcpy(out, p, n);
	out[n] = '\0';
	return 1;
}

static unsigned take_port(const char *p, const char *end)
{
	unsigned v = 0;
	size_t n = 0;

	while (p + n < end && p[n] >= '0' && p[n] <= '9' && n < 6)
		v = v * 10 + (unsigned)(p[n++] - '0');
	return n > 0 && v > 0 && v < 65536 ? v : 0;
}

static int is_numeric_addr(const char *s)
{
	struct ip_addr a;

	return ip_addr_parse(s, &a) == 0;
}

static void set_host(struct explain_result *r, const char *w)
{
	if (is_numeric_addr(w)) {
		if (!r->address[0] && strlen(w) < sizeof(r->address))
			strcpy(r->address, w);
	} else if (!r->host[0] && strcmp(w, "UNKNOWN") != 0 && strlen(w) < sizeof(r->host)) {
		strcpy(r->host, w);
	}
}

/* "<needle>WORD port N" anywhere in the line: the server and its port (client texts). */
static void take_host_port(struct explain_result *r, const char *p, size_t len, const char *needle)
{
	const char *end = p + len, *a = find(p, len, needle), *q;
	char w[256];

	if (!a)
		return;
	a += strlen(needle);
	if (!take_word(a, end, w, sizeof(w)))
		return;
	/* only "WORD port N" names a server ("Connection reset by peer" does not) */
	q = find(a, (size_t)(end - a), " port ");
	if (!q || q - a > (ptrdiff_t)strlen(w) + 2)
		return;
	set_host(r, w);
	if (!r->port)
		r->port = take_port(q + 6, end);
}

static void extract_client_line(struct explain_result *r, const char *p, size_t len)
{
	const char *end = p + len, *a;
	char w[256];

	take_host_port(r, p, len, "connect to host ");
	take_host_port(r, p, len, "Connection reset by ");
	take_host_port(r, p, len, "Connection closed by ");
	take_host_port(r, p, len, "Connection to ");
	take_host_port(r, p, len, "Unable to negotiate with ");
	/* "debug1: Connecting to HOST [ADDR] port N." */
	if ((a = find(p, len, "Connecting to ")) && take_word(a + 14, end, w, sizeof(w))) {
		const char *b = memchr(a, '[', (size_t)(end - a)), *q;

		set_host(r, w);
		if (b && take_word(b, end, w, sizeof(w)))
			set_host(r, w);
		q = find(a, (size_t)(end - a), "] port ");
		if (q && !r->port)
			r->port = take_port(q + 7, end);
	}
	if ((a = find(p, len, "Could not resolve hostname ")) &&
	    take_word(a + 27, end, w, sizeof(w)))
		set_host(r, w);
	if ((a = find(p, len, "Host key for ")) && take_word(a + 13, end, w, sizeof(w)))
		set_host(r, w);
	/* "user@host: Permission denied (...)" */
	if ((a = find(p, len, ": Permission denied (")) != NULL) {
		const char *s = a, *at;

		while (s > p && s[-1] != ' ')
			s--;
		at = memchr(s, '@', (size_t)(a - s));
		if (at && !r->user[0] && (size_t)(at - s) < sizeof(r->user) && at > s) {
			size_t i, ok = 1;

			for (i = 0; s + i < at; i++)
				ok &= host_char(s[i]) && s[i] != ':';
			if (ok) {
				memcpy(r->user, s, (size_t)(at - s));
				r->user[at - s] = '\0';
			}
		}
		if (at && take_word(at + 1, a, w, sizeof(w)))
			set_host(r, w);
	}
	/* "debug1: Authenticating to HOST:PORT as 'USER'" (ssh -v) */
	if ((a = find(p, len, "Authenticating to ")) && (a = find(a, (size_t)(end - a), " as '")) &&
	    !r->user[0]) {
		const char *u = a + 5, *q = memchr(u, '\'', (size_t)(end - u));
		size_t i, ok = q && q > u && (size_t)(q - u) < sizeof(r->user);

		for (i = 0; ok && u + i < q; i++)
			ok = host_char(u[i]) && u[i] != ':';
		if (ok) {
			memcpy(r->user, u, (size_t)(q - u));
			r->user[q - u] = '\0';
		}
	}
	if ((a = find(p, len, "Their offer: ")) && !r->detail[0]) {
		size_t n = (size_t)(end - (a + 13));

		if (n >= sizeof(r->detail))
			n = sizeof(r->detail) - 1;
		memcpy(r->detail, a + 13, n);
		r->detail[n] = '\0';
		/* offers are algorithm names: keep them shell- and terminal-safe */
		for (size_t i = 0; i < n; i++)
			if (!host_char(r->detail[i]) && r->detail[i] != ',' && r->detail[i] != '@')
				r->detail[i] = '\0';
	}
}

static void format_addr(const struct ip_addr *a, char *out, size_t cap)
{
	char t[64];

	ip_addr_format(a, t, sizeof(t));
	if (strlen(t) < cap)
		strcpy(out, t);
}

static void extract_event(struct explain_result *r, const struct log_event *ev)
{
	if (ev->addr.family && !r->client[0]) {
		format_addr(&ev->addr, r->client, sizeof(r->client));
		r->client_port = ev->port < 65536 ? ev->port : 0;
	}
	if (ev->laddr.family && !r->address[0])
		format_addr(&ev->laddr, r->address, sizeof(r->address));
	if (ev->lport && ev->lport < 65536 && !r->port)
		r->port = ev->lport;
	if (ev->user.p && ev->user.len && ev->user.len < sizeof(r->user) && !r->user[0]) {
		size_t i, ok = 1;

		for (i = 0; i < ev->user.len; i++)
			ok &= host_char(ev->user.p[i]) && ev->user.p[i] != ':';
		if (ok) {
			memcpy(r->user, ev->user.p, ev->user.len);
			r->user[ev->user.len] = '\0';
		}
	}
	if (ev->detail.p && ev->detail.len && !r->detail[0]) {
		size_t n =
		    ev->detail.len < sizeof(r->detail) - 1 ? ev->detail.len : sizeof(r->detail) - 1;
		size_t i;

		for (i = 0; i < n; i++) {
			unsigned char c = (unsigned char)ev->detail.p[i];

			r->detail[i] = c >= 0x20 && c < 0x7f ? (char)c : '?';
		}
		r->detail[n] = '\0';
	}
}

/* The symptom of a classified server line. */
static enum sym server_sym(const struct log_event *ev)
{
	const char *d = ev->detail.p ? ev->detail.p : "";
	size_t dl = ev->detail.p ? ev->detail.len : 0;

	switch (ev->cls) {
	case LC_MAXSTARTUPS_DROP:
		return S_SRV_MAXSTARTUPS;
	case LC_PENALTY_DROP:
	case LC_PENALTY:
	case LC_PENALTY_TABLE_FULL:
		return S_SRV_PENALTY;
	case LC_THROTTLE_BEGIN:
	case LC_THROTTLE_STATUS:
		return S_SRV_THROTTLE;
	case LC_DROPS_RATELIMITED:
		return ev->msg.p && has(ev->msg.p, ev->msg.len, "PerSourcePenalties")
		           ? S_SRV_PENALTY
		           : S_SRV_THROTTLE;
	case LC_GRACE_TIMEOUT:
		return S_SRV_GRACE;
	case LC_SESSION_CRASH:
		return S_SRV_CRASH;
	case LC_LISTENER_ERROR:
	case LC_SSHD_FATAL:
		if (has(d, dl, "privilege separation directory") ||
		    has(d, dl, "chroot(\"/run/sshd\")"))
			return S_SRV_PRIVSEP;
		if (has(d, dl, "sshd-session") || has(d, dl, "sshd-auth") ||
		    has(d, dl, "rexec of") || has(d, dl, "-R not supported") ||
		    has(d, dl, "not executable"))
			return S_SRV_SESSION_MISSING;
		if (has(d, dl, "hostkey") || has(d, dl, "host key") || has(d, dl, "too open"))
			return S_SRV_HOSTKEYS;
		if (has(d, dl, "Bind to port") || has(d, dl, "Cannot bind"))
			return S_SRV_BIND;
		if (has(d, dl, "Too many open files") || has(d, dl, "ppoll"))
			return S_SRV_LISTENER_STALLED;
		return ev->cls == LC_LISTENER_ERROR ? S_SRV_LISTENER : S_SRV_FATAL;
	case LC_SSHD_START:
	case LC_SSHD_STOP:
		return S_SRV_LIFECYCLE;
	case LC_LIBWRAP_REFUSED:
		return S_SRV_LIBWRAP;
	case LC_KEX_RESET:
		return S_SRV_CLIENT_RESET;
	case LC_NO_IDENT:
	case LC_BAD_IDENT:
	case LC_KEX_CLOSED:
		return S_SRV_CLIENT_BANNER;
	case LC_CONN_CLOSED:
	case LC_CONN_RESET:
	case LC_DISCONNECTED:
		return S_SRV_CLOSED;
	case LC_NEGOTIATION_FAILED:
		return S_SRV_NEGOTIATE;
	case LC_PROTOCOL_ERROR:
		return S_SRV_PROTOCOL;
	case LC_INVALID_USER:
	case LC_AUTH_FAILED:
	case LC_MAX_AUTH_TRIES:
	case LC_USER_NOT_ALLOWED:
		return S_SRV_AUTH;
	case LC_REFUSE_CONNECTION:
		return S_SRV_REFUSE;
	case LC_ACCEPTED:
		return S_SRV_ACCEPTED;
	case LC_F2B_BAN:
		return S_SRV_F2B_BAN;
	case LC_F2B_FOUND:
		return S_SRV_F2B_FOUND;
	case LC_SSHGUARD_ATTACK:
	case LC_SSHGUARD_BLOCK:
		return S_SRV_SSHGUARD;
	case LC_CONNECTION:
	case LC_F2B_UNBAN:
	case LC_F2B_IGNORE:
	case LC_SSHGUARD_RELEASE:
	case LC_NONE:
	case LC__COUNT:
		break;
	}
	return S__COUNT;
}

/* The client of a line the log classifier does not read: "SRC=A" (netfilter), "from A". */
static void take_client(const char *p, size_t len, struct log_event *ev)
{
	static const char *const keys[] = {"SRC=", " from "};
	const char *end = p + len, *a;
	char w[64];
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if ((a = find(p, len, keys[i])) &&
		    take_word(a + strlen(keys[i]), end, w, sizeof(w)) &&
		    ip_addr_parse(w, &ev->addr) == 0)
			return;
	memset(&ev->addr, 0, sizeof(ev->addr));
}

/* Does the line start like a log line (syslog or ISO time, or "ident[pid]: ")? */
static int has_log_prefix(const char *p, size_t len, size_t *msg_off, size_t *ident_len)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	size_t i = 0;

	*msg_off = 0;
	*ident_len = 0;
	if (len >= 16 && p[3] == ' ') {
		for (i = 0; i < 36; i += 3)
			if (memcmp(p, months + i, 3) == 0)
				return 1;
	}
	if (len >= 11 && p[4] == '-' && p[7] == '-' && p[0] >= '0' && p[0] <= '9')
		return 1;
	/* ident[pid]: message */
	for (i = 0; i < len && i < 64 && (host_char(p[i]) && p[i] != ':'); i++)
		;
	if (i > 0 && i < len && p[i] == '[') {
		size_t j = i + 1;

		while (j < len && p[j] >= '0' && p[j] <= '9')
			j++;
		if (j > i + 1 && j + 2 < len && p[j] == ']' && p[j + 1] == ':' && p[j + 2] == ' ') {
			*ident_len = i;
			*msg_off = j + 3;
			return 1;
		}
	}
	return 0;
}

static int ends_with(const char *p, size_t len, const char *s)
{
	size_t n = strlen(s);

	while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\r'))
		len--;
	return len >= n && memcmp(p + len - n, s, n) == 0;
}

/* What one line says: its symptom (S__COUNT: nothing) and, for server lines, the event. */
static enum sym classify_line(const char *p, size_t len, const struct log_clock *clk,
                              struct log_event *ev, int *server)
{
	size_t msg_off, ident_len, skip;
	enum sym s;
	enum log_class c;

	*server = 0;
	memset(ev, 0, sizeof(*ev));
	s = match_patterns(server_patterns, sizeof(server_patterns) / sizeof(server_patterns[0]), p,
	                   len);
	if (s != S__COUNT) {
		*server = 1;
		take_client(p, len, ev);
		return s;
	}
	if (has_log_prefix(p, len, &msg_off, &ident_len)) {
		*server = 1;
		c = log_parse_line(p, len, clk, NULL, 0, ev);
		if (c == LC_NONE && ident_len) {
			memset(ev, 0, sizeof(*ev));
			c = log_parse_message(log_prog_of(p, ident_len), p + msg_off, len - msg_off,
			                      ev);
		}
		return c == LC_NONE ? S__COUNT : server_sym(ev);
	}
	/* "sshd: message" (sshd -e, an init script's capture) */
	skip = len > 6 && memcmp(p, "sshd: ", 6) == 0             ? 6
	       : len > 14 && memcmp(p, "sshd-session: ", 14) == 0 ? 14
	                                                          : 0;
	if (skip) {
		c = log_parse_message(LP_SSHD, p + skip, len - skip, ev);
		if (c != LC_NONE) {
			*server = 1;
			return server_sym(ev);
		}
		memset(ev, 0, sizeof(*ev));
	}
	/* sshd's own wording of a client's close ends in [preauth]; levels are sshd's too */
	if (!ends_with(p, len, "[preauth]") &&
	    !(len > 7 && (memcmp(p, "error: ", 7) == 0 || memcmp(p, "fatal: ", 7) == 0))) {
		s = match_patterns(client_patterns,
		                   sizeof(client_patterns) / sizeof(client_patterns[0]), p, len);
		if (s != S__COUNT)
			return s;
	}
	/* a bare "debugN: " line is ssh -v's, not a server's */
	if (len > 5 && memcmp(p, "debug", 5) == 0)
		return S__COUNT;
	c = log_parse_line(p, len, clk, NULL, 1, ev);
	if (c == LC_NONE) {
		memset(ev, 0, sizeof(*ev));
		c = log_parse_message(LP_FAIL2BAN, p, len, ev);
	}
	if (c == LC_NONE) {
		memset(ev, 0, sizeof(*ev));
		c = log_parse_message(LP_SSHGUARD, p, len, ev);
	}
	if (c == LC_NONE)
		return S__COUNT;
	*server = 1;
	return server_sym(ev);
}

static void add_shown(struct explain_result *r, size_t no, const char *p, size_t len)
{
	struct explain_line *l;
	size_t i, n = 0;

	if (r->nshown >= EXPLAIN_MAX_LINES_SHOWN)
		return;
	l = &r->shown[r->nshown++];
	l->no = no;
	for (i = 0; i < len && n + 1 < sizeof(l->text); i++) {
		unsigned char c = (unsigned char)p[i];

		if (c == '\r')
			continue;
		l->text[n++] = c == '\t' ? ' ' : (c >= 0x20 && c < 0x7f ? (char)c : '?');
	}
	l->text[n] = '\0';
}

/* Fills a command template: %T probe target, %H host, %A address, %P port, %C client, %U user. */
static void expand(const struct explain_result *r, const char *tmpl, char *out, size_t cap)
{
	char target[300], port[16];
	const char *host = r->host[0] ? r->host : r->address[0] ? r->address : "HOST";
	const char *addr = r->address[0] ? r->address : host;
	size_t n = 0;

	snprintf(port, sizeof(port), "%u", r->port ? r->port : 22);
	if (r->port && r->port != 22)
		snprintf(target, sizeof(target), strchr(host, ':') ? "[%s]:%u" : "%s:%u", host,
		         r->port);
	else
		snprintf(target, sizeof(target), "%s", host);
	for (; *tmpl && n + 1 < cap; tmpl++) {
		const char *sub = NULL;

		if (*tmpl == '%' && tmpl[1]) {
			switch (tmpl[1]) {
			case 'T':
				sub = target;
				break;
			case 'H':
				sub = host;
				break;
			case 'A':
				sub = addr;
				break;
			case 'P':
				sub = port;
				break;
			case 'C':
				sub = r->client[0] ? r->client : "CLIENT_ADDR";
				break;
			case 'U':
				sub = r->user[0] ? r->user : "USER";
				break;
			default:
				break;
			}
		}
		if (sub) {
			size_t k = strlen(sub);

			if (n + k >= cap)
				break;
			memcpy(out + n, sub, k);
			n += k;
			tmpl++;
		} else {
			out[n++] = *tmpl;
		}
	}
	out[n] = '\0';
}

/*
 * Shows the recognised lines after the decisive one: the client's last words after its
 * verdict line ("Connection reset by A port N" after "kex_exchange_identification: ..."), or
 * the same server event again.
 */
static void add_following(struct explain_result *r, const char *text, size_t len, size_t best_off,
                          size_t best_no, int best_server, enum sym best)
{
	const char *nl = memchr(text + best_off, '\n', len - best_off);
	size_t off = nl ? (size_t)(nl - text) + 1 : len, no = best_no;
	struct log_clock clk;
	struct log_event ev;

	log_clock_init(&clk, 0, 0);
	while (off < len && no < EXPLAIN_MAX_LINES && r->nshown < EXPLAIN_MAX_LINES_SHOWN) {
		const char *p = text + off;
		size_t l, scan;
		enum sym s;
		int server;

		nl = memchr(p, '\n', len - off);
		l = nl ? (size_t)(nl - p) : len - off;
		off += l + (nl ? 1 : 0);
		no++;
		scan = l > EXPLAIN_MAX_LINE ? EXPLAIN_MAX_LINE : l;
		while (scan > 0 && (p[scan - 1] == '\r' || p[scan - 1] == ' '))
			scan--;
		if (scan == 0)
			continue;
		s = classify_line(p, scan, &clk, &ev, &server);
		if (s != S__COUNT && server == best_server && (!server || s == best))
			add_shown(r, no, p, scan);
	}
}

void explain_message(const char *text, size_t len, struct explain_result *r)
{
	struct log_clock clk;
	struct log_event ev, best_ev;
	enum sym best = S__COUNT, best_sym;
	size_t best_no = 0, best_off = 0, best_len = 0, off = 0, no = 0, i;
	int best_server = 0, kex_done = 0;
	const struct symptom *sy;

	memset(r, 0, sizeof(*r));
	memset(&best_ev, 0, sizeof(best_ev));
	r->symptom = "";
	r->summary = "no line of the input is a message sshdiag knows";
	r->note = "";
	if (len > EXPLAIN_MAX_INPUT)
		len = EXPLAIN_MAX_INPUT;
	/* a fixed clock: times in the paste are not used, only the words */
	log_clock_init(&clk, 0, 0);

	while (off < len && no < EXPLAIN_MAX_LINES) {
		const char *p = text + off, *nl = memchr(p, '\n', len - off);
		size_t l = nl ? (size_t)(nl - p) : len - off, scan = l;
		enum sym s;
		int server;

		off += l + (nl ? 1 : 0);
		no++;
		if (scan > EXPLAIN_MAX_LINE)
			scan = EXPLAIN_MAX_LINE;
		while (scan > 0 && (p[scan - 1] == '\r' || p[scan - 1] == ' '))
			scan--;
		if (scan == 0)
			continue;
		for (i = 0; i < sizeof(kex_done_markers) / sizeof(kex_done_markers[0]); i++)
			kex_done |= has(p, scan, kex_done_markers[i]);
		s = classify_line(p, scan, &clk, &ev, &server);
		if (!server)
			extract_client_line(r, p, scan);
		if (s == S__COUNT)
			continue;
		/* ties: the first line (the ones after it are shown with it) */
		if (s < best) {
			best = s;
			best_no = no;
			best_off = (size_t)(p - text);
			best_len = scan;
			best_server = server;
			if (server)
				best_ev = ev;
		}
	}
	r->lines = no;
	if (best == S__COUNT)
		return;
	best_sym = best;
	if (best == S_CLOSED_BY && kex_done)
		best = S_CLOSED_AFTER_KEX;
	/* the decisive line's own facts first (they win over facts of other lines) */
	if (best_server) {
		char c[64];

		memcpy(c, r->client, sizeof(c));
		r->client[0] = '\0';
		extract_event(r, &best_ev);
		if (!r->client[0])
			memcpy(r->client, c, sizeof(c));
	}
	sy = &symptoms[best];
	r->recognised = 1;
	r->side = sy->side;
	r->phase = sy->phase;
	r->pre_auth = sy->pre_auth;
	r->symptom = sy->id;
	r->summary = sy->summary;
	r->note = sy->note ? sy->note : "";
	add_shown(r, best_no, text + best_off, best_len);
	add_following(r, text, len, best_off, best_no, best_server, best_sym);
	for (i = 0; i < EXPLAIN_MAX_CAUSES; i++) {
		const struct step *st = &sy->steps[i];
		struct explain_cause *ec;

		if (!st->why || st->cause >= CAUSE__COUNT)
			break;
		ec = &r->causes[r->ncauses++];
		ec->cause = st->cause;
		ec->why = st->why;
		ec->next.where = st->cmd ? st->where : cause_next[st->cause].where;
		expand(r, st->cmd ? st->cmd : cause_next[st->cause].cmd, ec->next.cmd,
		       sizeof(ec->next.cmd));
	}
	/* the first thing to run: from the side that wrote the message */
	if (r->side == EXPLAIN_SIDE_CLIENT) {
		r->first.where = "client";
		expand(r, "sshdiag probe %T", r->first.cmd, sizeof(r->first.cmd));
	} else {
		r->first.where = "server";
		expand(r, r->client[0] ? "sshdiag server --client %C --port %P" : "sshdiag server",
		       r->first.cmd, sizeof(r->first.cmd));
	}
}
