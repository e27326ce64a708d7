/*
 * gen.c — a synthetic but realistic auth.log for the log benchmark (bench/logs/run.sh).
 *
 *	gen LINES [SEED] > auth.log        (9,000,000 lines is about 1 GiB)
 *
 * The mix is that of an internet-facing Debian server (OpenSSH 9.2, rsyslog's traditional
 * format): bots guessing users and passwords (Invalid user / Failed password / pam_unix
 * authentication failure / Received disconnect / Disconnected / Connection closed …
 * [preauth]), scanners (kex_exchange_identification, banner exchange, connection reset),
 * legitimate logins and sessions, and everything else auth.log gets (CRON, sudo,
 * systemd-logind) — plus rare MaxStartups episodes, libwrap refusals and penalty drops.
 * Client addresses follow a Zipf-like law over CLIENTS addresses (a few heavy hitters, a long
 * tail); every process gets a fresh PID; time advances about 0.3 s per line.
 * Deterministic for a given seed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CLIENTS 60000

static uint64_t rng = 88172645463325252ULL;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static unsigned below(unsigned n)
{
	return (unsigned)(next() % n);
}

/* A Zipf-ish client: index i with weight ~1/(i+1). */
static unsigned client(void)
{
	double u = (double)(next() >> 11) / (double)(1ULL << 53);
	unsigned i = (unsigned)((double)CLIENTS * u * u * u);

	return i < CLIENTS ? i : CLIENTS - 1;
}

static void ip(unsigned i, char *buf, size_t len)
{
	uint32_t x = (uint32_t)(i * 2654435761u) ^ 0x5bd1e995u;

	snprintf(buf, len, "%u.%u.%u.%u", 1 + (x >> 24) % 223, (x >> 16) & 255, (x >> 8) & 255,
	         1 + (x & 255) % 254);
}

static const char *const users[] = {"admin",  "test",  "user",    "oracle", "postgres", "ubuntu",
                                    "git",    "guest", "ftpuser", "pi",     "support",  "deploy",
                                    "hadoop", "mysql", "www",     "dev",    "jenkins",  "ansible"};

static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

int main(int argc, char **argv)
{
	unsigned long long n = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000000, i;
	unsigned pid = 1000, listener = 812, mon = 10, day = 1, h = 0, mi = 0, s = 0;
	unsigned long long ms = 0;
	static char out[1 << 20];
	char a[32], ts[32], l[32];

	if (argc > 2)
		rng ^= strtoull(argv[2], NULL, 10) * 0x9E3779B97F4A7C15ULL;
	setvbuf(stdout, out, _IOFBF, sizeof(out));
	for (i = 0; i < n;) {
		unsigned r = below(1000), c = client(), p = 30000 + below(35000);
		const char *u = users[below(sizeof(users) / sizeof(users[0]))];
		int k;

		ms += 150 + below(300);
		while (ms >= 1000) {
			ms -= 1000;
			if (++s == 60) {
				s = 0;
				if (++mi == 60) {
					mi = 0;
					if (++h == 24) {
						h = 0;
						if (++day == 29) {
							day = 1;
							mon = (mon + 1) % 12;
						}
					}
				}
			}
		}
		snprintf(ts, sizeof(ts), "%s %2u %02u:%02u:%02u", months[mon], day, h, mi, s);
		ip(c, a, sizeof(a));
		pid = pid >= 4000000 ? 1000 : pid + 1 + below(7);
#define OUT(...)                                                                                   \
	do {                                                                                       \
		printf(__VA_ARGS__);                                                               \
		i++;                                                                               \
	} while (0)
		if (r < 300) {
			/* a bot guessing an invalid user: 4 lines */
			OUT("%s www-frontend-01 sshd[%u]: Invalid user %s from %s port %u\n", ts,
			    pid, u, a, p);
			OUT("%s www-frontend-01 sshd[%u]: pam_unix(sshd:auth): check pass; user "
			    "unknown\n",
			    ts, pid);
			OUT("%s www-frontend-01 sshd[%u]: pam_unix(sshd:auth): authentication "
			    "failure; logname= "
			    "uid=0 euid=0 tty=ssh ruser= rhost=%s\n",
			    ts, pid, a);
			OUT("%s www-frontend-01 sshd[%u]: Failed password for invalid user %s from "
			    "%s port %u "
			    "ssh2\n",
			    ts, pid, u, a, p);
			if (below(2))
				OUT("%s www-frontend-01 sshd[%u]: Received disconnect from %s port "
				    "%u:11: Bye Bye "
				    "[preauth]\n",
				    ts, pid, a, p);
			else
				OUT("%s www-frontend-01 sshd[%u]: Disconnected from invalid user "
				    "%s %s port %u "
				    "[preauth]\n",
				    ts, pid, u, a, p);
		} else if (r < 450) {
			/* root guessing */
			OUT("%s www-frontend-01 sshd[%u]: pam_unix(sshd:auth): authentication "
			    "failure; logname= "
			    "uid=0 euid=0 tty=ssh ruser= rhost=%s  user=root\n",
			    ts, pid, a);
			OUT("%s www-frontend-01 sshd[%u]: Failed password for root from %s port %u "
			    "ssh2\n",
			    ts, pid, a, p);
			OUT("%s www-frontend-01 sshd[%u]: Connection closed by authenticating user "
			    "root %s port "
			    "%u [preauth]\n",
			    ts, pid, a, p);
		} else if (r < 540) {
			/* scanners */
			k = (int)below(4);
			if (k == 0) {
				OUT("%s www-frontend-01 sshd[%u]: error: "
				    "kex_exchange_identification: read: "
				    "Connection reset by peer\n",
				    ts, pid);
				OUT("%s www-frontend-01 sshd[%u]: Connection reset by %s port %u\n",
				    ts, pid, a, p);
			} else if (k == 1) {
				OUT("%s www-frontend-01 sshd[%u]: error: "
				    "kex_exchange_identification: Connection "
				    "closed by remote host\n",
				    ts, pid);
				OUT("%s www-frontend-01 sshd[%u]: Connection closed by %s port "
				    "%u\n",
				    ts, pid, a, p);
			} else if (k == 2) {
				OUT("%s www-frontend-01 sshd[%u]: error: "
				    "kex_exchange_identification: client sent "
				    "invalid protocol identifier \"GET / HTTP/1.1\"\n",
				    ts, pid);
				OUT("%s www-frontend-01 sshd[%u]: banner exchange: Connection from "
				    "%s port %u: "
				    "invalid format\n",
				    ts, pid, a, p);
			} else {
				OUT("%s www-frontend-01 sshd[%u]: Unable to negotiate with %s port "
				    "%u: no matching "
				    "host key type found. Their offer: ssh-rsa,ssh-dss [preauth]\n",
				    ts, pid, a, p);
			}
		} else if (r < 600) {
			/* a legitimate login and its session */
			ip(below(20), a, sizeof(a));
			OUT("%s www-frontend-01 sshd[%u]: Accepted publickey for deploy from %s "
			    "port %u ssh2: "
			    "ED25519 SHA256:Vj1W4M5bmc0Pbm7R0sLmm8gB9P7dHa9ZlTIjyyTQoL0\n",
			    ts, pid, a, p);
			OUT("%s www-frontend-01 sshd[%u]: pam_unix(sshd:session): session opened "
			    "for user "
			    "deploy(uid=1000) by (uid=0)\n",
			    ts, pid);
			OUT("%s www-frontend-01 systemd-logind[402]: New session %u of user "
			    "deploy.\n",
			    ts, pid % 9000);
			OUT("%s www-frontend-01 sshd[%u]: Received disconnect from %s port %u:11: "
			    "disconnected by "
			    "user\n",
			    ts, pid, a, p);
			OUT("%s www-frontend-01 sshd[%u]: pam_unix(sshd:session): session closed "
			    "for user "
			    "deploy\n",
			    ts, pid);
		} else if (r < 990) {
			/* the rest of auth.log */
			k = (int)below(3);
			if (k == 0) {
				OUT("%s www-frontend-01 CRON[%u]: pam_unix(cron:session): session "
				    "opened for user "
				    "root(uid=0) by (uid=0)\n",
				    ts, pid);
				OUT("%s www-frontend-01 CRON[%u]: pam_unix(cron:session): session "
				    "closed for user "
				    "root\n",
				    ts, pid);
			} else if (k == 1) {
				OUT("%s www-frontend-01 sudo:   deploy : TTY=pts/0 ; "
				    "PWD=/home/deploy ; USER=root ; "
				    "COMMAND=/usr/bin/systemctl restart app\n",
				    ts);
				OUT("%s www-frontend-01 sudo: pam_unix(sudo:session): session "
				    "opened for user "
				    "root(uid=0) by deploy(uid=1000)\n",
				    ts);
			} else {
				OUT("%s www-frontend-01 systemd-logind[402]: Session %u logged "
				    "out. Waiting for "
				    "processes to exit.\n",
				    ts, pid % 9000);
				OUT("%s www-frontend-01 systemd-logind[402]: Removed session %u.\n",
				    ts, pid % 9000);
			}
		} else if (r < 996) {
			/* a MaxStartups episode */
			OUT("%s www-frontend-01 sshd[%u]: error: beginning MaxStartups "
			    "throttling\n",
			    ts, listener);
			snprintf(l, sizeof(l), "198.51.100.1");
			for (k = 0; k < 8; k++) {
				ip(client(), a, sizeof(a));
				OUT("%s www-frontend-01 sshd[%u]: drop connection #%u from [%s]:%u "
				    "on [%s]:22 past "
				    "MaxStartups\n",
				    ts, listener, 10 + below(90), a, 30000 + below(35000), l);
			}
			OUT("%s www-frontend-01 sshd[%u]: exited MaxStartups throttling after "
			    "00:00:%02u, %u "
			    "connections dropped\n",
			    ts, listener, 1 + below(59), 8 + below(200));
		} else {
			OUT("%s www-frontend-01 sshd[%u]: refused connect from %s (%s)\n", ts, pid,
			    a, a);
			OUT("%s www-frontend-01 sshd[%u]: fatal: Timeout before authentication for "
			    "%s port %u\n",
			    ts, pid + 1, a, p);
		}
	}
	return 0;
}
