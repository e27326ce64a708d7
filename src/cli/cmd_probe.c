#include <getopt.h>
#include <pwd.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "base/buf.h"
#include "base/err.h"
#include "cli/cli.h"
#include "io/deep.h"
#include "io/proc.h"
#include "io/ramp_probe.h"
#include "io/prober.h"
#include "report/report.h"

static const char probe_usage[] =
    "usage: sshdiag probe [options] TARGET...\n"
    "\n"
    "Connects to each target, reads the server identification and KEXINIT, and says where\n"
    "and how the connection dies, with the likely causes.  Needs no credentials.\n"
    "TARGET: host, host:port, [v6]:port or ssh://[user@]host[:port].\n"
    "\n"
    "  -4, -6               IPv4 or IPv6 only\n"
    "  -b, --source ADDR    bind this local address (like ssh -b)\n"
    "  -p, --port N         port when the target names none (default 22)\n"
    "  -n, --repeat N       attempts per address (default 3, at most 20)\n"
    "  -t, --timeout MS     connect timeout; the banner timeout is twice it (default 5000)\n"
    "  -u, --user NAME      user for the deep stage (default: ssh:// user, else yours)\n"
    "      --no-deep        stop after KEXINIT (no key exchange, no authentication)\n"
    "      --ramp[=MAX]     estimate MaxStartups by holding up to MAX (default 64)\n"
    "                       unauthenticated connections: a LOAD TEST, only for your\n"
    "                       own servers; refused against OpenSSH >= 9.8 without --force\n"
    "      --force          ramp even where PerSourcePenalties will penalise it\n"
    "      --json           one JSON object per address per line\n"
    "  -h, --help\n"
    "Every connection made counts against the server's ban tools and penalties: the\n"
    "default is small on purpose, and the report counts them.\n";

/* The local client's proposal: `ssh -G` for this host, else OpenSSH's defaults. */
static int local_client_algos(const struct probe_result *r, struct client_algos *c)
{
	char port[8];
	char *argv[] = {"ssh", "-G", "-p", port, r->address, NULL};
	struct proc_result pr;

	snprintf(port, sizeof(port), "%u", r->port);
	if (proc_run(argv, 3000, 1 << 20, &pr) == 0) {
		int rc = pr.exited && pr.status == 0
		             ? client_algos_from_ssh_g(pr.out.data, pr.out.len, c)
		             : client_algos_default(c);
		proc_result_release(&pr);
		return rc;
	}
	return client_algos_default(c);
}

static int predict_algos(struct probe_result *r)
{
	struct client_algos c;
	struct algo_prediction p;
	int rc;

	if (!r->have_kexinit || !r->address)
		return 0;
	if ((rc = local_client_algos(r, &c)) != 0)
		return rc;
	rc = algo_predict(&c, &r->kexinit, r->address, r->port, &p);
	if (rc == 0)
		rc = probe_result_note_algos(r, &p, c.from_defaults);
	algo_prediction_release(&p);
	client_algos_release(&c);
	return rc;
}

/* The user ssh would send: the ssh:// URL's, else the local user's name. */
static const char *default_user(const char *spec)
{
	static char name[256];
	struct passwd *pw;
	const char *at;

	if (strncmp(spec, "ssh://", 6) == 0 && (at = strchr(spec + 6, '@')) != NULL &&
	    (size_t)(at - spec - 6) < sizeof(name)) {
		memcpy(name, spec + 6, (size_t)(at - spec - 6));
		name[at - spec - 6] = '\0';
		return name;
	}
	pw = getpwuid(getuid());
	return pw && pw->pw_name ? pw->pw_name : "root";
}

int cmd_probe(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"source", required_argument, NULL, 'b'},
	    {"port", required_argument, NULL, 'p'},
	    {"repeat", required_argument, NULL, 'n'},
	    {"timeout", required_argument, NULL, 't'},
	    {"json", no_argument, NULL, 'J'},
	    {"help", no_argument, NULL, 'h'},
	    {"user", required_argument, NULL, 'u'},
	    {"no-deep", no_argument, NULL, 'D'},
	    {"ramp", optional_argument, NULL, 'R'},
	    {"force", no_argument, NULL, 'F'},
	    {NULL, 0, NULL, 0},
	};
	struct probe_options o;
	struct probe_result *res;
	size_t nres, i, bad = 0;
	unsigned v;
	struct deep_options dopt;
	const char *user = NULL;
	struct ramp_options ropt;
	int json = 0, deep = 1, ramp = 0, force = 0, c, rc = SD_EXIT_CLEAR, r;

	probe_options_default(&o);
	ramp_options_default(&ropt);
	optind = 1;
	while ((c = getopt_long(argc, argv, "46b:p:n:t:u:h", longopts, NULL)) != -1) {
		switch (c) {
		case '4':
			o.family = AF_INET;
			break;
		case '6':
			o.family = AF_INET6;
			break;
		case 'b':
			o.source = optarg;
			break;
		case 'p':
			if (cli_parse_uint(optarg, 1, 65535, &o.default_port) != 0)
				goto usage;
			break;
		case 'n':
			if (cli_parse_uint(optarg, 1, 20, &o.repeat) != 0)
				goto usage;
			break;
		case 't':
			if (cli_parse_uint(optarg, 100, 600000, &v) != 0)
				goto usage;
			o.connect_timeout_ms = v;
			o.banner_timeout_ms = 2 * v;
			o.kexinit_timeout_ms = v;
			break;
		case 'J':
			json = 1;
			break;
		case 'u':
			user = optarg;
			break;
		case 'D':
			deep = 0;
			break;
		case 'F':
			force = 1;
			break;
		case 'R':
			ramp = 1;
			if (optarg && cli_parse_uint(optarg, 1, 1024, &ropt.max_held) != 0)
				goto usage;
			break;
		case 'h':
			fputs(probe_usage, stdout);
			return SD_EXIT_CLEAR;
		default:
			goto usage;
		}
	}
	if (optind >= argc)
		goto usage;
	r = probe_targets(argv + optind, (size_t)(argc - optind), &o, &res, &nres, &bad);
	if (r == SD_ERR_INVALID) {
		fprintf(stderr, "sshdiag probe: bad target '%s'\n", argv[optind + (int)bad]);
		return SD_EXIT_USAGE;
	}
	if (r != 0) {
		fprintf(stderr, "sshdiag probe: %s\n", sd_strerror(r));
		return SD_EXIT_INTERNAL;
	}
	for (i = 0; i < nres; i++)
		if (predict_algos(&res[i]) != 0 || probe_result_conclude(&res[i]) != 0) {
			fprintf(stderr, "sshdiag probe: out of memory\n");
			return SD_EXIT_INTERNAL;
		}
	for (i = 0; i < nres && deep; i++) {
		/* the deep stage only where the banner stage says sshd admits us */
		if (res[i].outcome != OUTCOME_OK || !res[i].address)
			continue;
		dopt.user = user ? user : default_user(res[i].target);
		dopt.source = o.source;
		dopt.timeout_ms = o.banner_timeout_ms;
		res[i].connections_made++;
		if (deep_probe(res[i].address, res[i].port, &dopt, &res[i].deep) != 0 ||
		    probe_result_conclude(&res[i]) != 0) {
			fprintf(stderr, "sshdiag probe: out of memory\n");
			return SD_EXIT_INTERNAL;
		}
	}
	for (i = 0; i < nres && ramp; i++) {
		int major = 0, minor = 0;
		if (!res[i].banner_line)
			continue;
		if (banner_openssh_version(res[i].software, &major, &minor) &&
		    (major > 9 || (major == 9 && minor >= 8)) && !force) {
			fprintf(stderr,
			        "sshdiag probe: not ramping %s: OpenSSH %d.%d penalises every "
			        "unauthenticated connection (PerSourcePenalties) and would block "
			        "this address; exempt it (PerSourcePenaltyExemptList) and use "
			        "--force\n",
			        res[i].address, major, minor);
			continue;
		}
		fprintf(
		    stderr,
		    "sshdiag probe: WARNING: --ramp is a load test (hundreds of connections, up "
		    "to %u held open): use it only against servers you run\n",
		    ropt.max_held);
		ropt.source = o.source;
		if (ramp_run(&res[i], &ropt) != 0) {
			fprintf(stderr, "sshdiag probe: out of memory\n");
			return SD_EXIT_INTERNAL;
		}
	}
	for (i = 0; i < nres; i++) {
		if (!probe_outcome_is_success(res[i].outcome))
			rc = SD_EXIT_PROBLEM;
		if (json) {
			if (cli_put_owned(stdout, probe_result_to_json(&res[i])) != 0)
				rc = SD_EXIT_INTERNAL;
		} else {
			struct buf b;
			buf_init(&b, 1 << 20);
			if (probe_result_to_text(&res[i], &b, cli_use_color()) != 0)
				rc = SD_EXIT_INTERNAL;
			fputs(b.data, stdout);
			buf_release(&b);
		}
		probe_result_release(&res[i]);
	}
	free(res);
	return rc;
usage:
	fputs(probe_usage, stderr);
	return SD_EXIT_USAGE;
}
