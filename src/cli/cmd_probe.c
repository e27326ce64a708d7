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
    "      --parallel N     sockets open at once across targets (default 512)\n"
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
	int rc;

	snprintf(port, sizeof(port), "%u", r->port);
	if (proc_run(argv, 3000, 1 << 20, &pr) != 0)
		return client_algos_default(c);
	rc = pr.exited && pr.status == 0 ? client_algos_from_ssh_g(pr.out.data, pr.out.len, c)
	                                 : client_algos_default(c);
	proc_result_release(&pr);
	return rc;
}

/*
 * `ssh -G` costs a process per host: it runs per address:port when at most ALGO_HOSTS_MAX
 * addresses are probed; a larger batch asks once and shares the answer (a per-host
 * KexAlgorithms in ~/.ssh/config is rare, and a batch is about reachability).
 */
#define ALGO_HOSTS_MAX 4

static int predict_algos(struct probe_result *res, size_t nres)
{
	struct client_algos cache[ALGO_HOSTS_MAX];
	const struct probe_result *key[ALGO_HOSTS_MAX];
	struct algo_prediction p;
	size_t i, k, ncache = 0;
	int rc = 0;

	for (i = 0; i < nres && rc == 0; i++) {
		struct probe_result *r = &res[i];
		if (!r->have_kexinit || !r->address)
			continue;
		for (k = 0; k < ncache; k++)
			if (key[k]->port == r->port && strcmp(key[k]->address, r->address) == 0)
				break;
		if (k == ncache && ncache < (nres > ALGO_HOSTS_MAX ? 1 : ALGO_HOSTS_MAX)) {
			if ((rc = local_client_algos(r, &cache[ncache])) != 0)
				break;
			key[ncache++] = r;
		}
		if (k == ncache)
			k = ncache - 1; /* the batch shares what was asked first */
		rc = algo_predict(&cache[k], &r->kexinit, r->address, r->port, &p);
		if (rc == 0)
			rc = probe_result_note_algos(r, &p, cache[k].from_defaults);
		algo_prediction_release(&p);
	}
	for (k = 0; k < ncache; k++)
		client_algos_release(&cache[k]);
	return rc;
}

/* The user ssh would send: the ssh:// URL's, else the local user's name.  Malloc'd. */
static char *default_user(const char *spec)
{
	struct passwd *pw;
	const char *at;

	if (strncmp(spec, "ssh://", 6) == 0 && (at = strchr(spec + 6, '@')) != NULL)
		return strndup(spec + 6, (size_t)(at - spec - 6));
	pw = getpwuid(getuid());
	return strdup(pw && pw->pw_name ? pw->pw_name : "root");
}

/* The deep stage, concurrently, where the banner stage says sshd admits us. */
static int run_deep(struct probe_result *res, size_t nres, const char *user,
                    const struct probe_options *o)
{
	struct deep_request *reqs;
	struct deep_options dopt;
	char **users;
	size_t i, n = 0;
	int r = SD_OK;

	reqs = calloc(nres ? nres : 1, sizeof(*reqs));
	users = calloc(nres ? nres : 1, sizeof(*users));
	if (!reqs || !users) {
		free(reqs);
		free(users);
		return SD_ERR_ALLOC;
	}
	for (i = 0; i < nres; i++) {
		if (res[i].outcome != OUTCOME_OK || !res[i].address)
			continue;
		reqs[n].address = res[i].address;
		reqs[n].port = res[i].port;
		if ((users[n] = user ? strdup(user) : default_user(res[i].target)) == NULL) {
			r = SD_ERR_ALLOC;
			break;
		}
		reqs[n].user = users[n];
		reqs[n].out = &res[i].deep;
		res[i].connections_made++;
		n++;
	}
	dopt.source = o->source;
	/* a key exchange costs the server real CPU: give it at least 10 s, as ssh would */
	dopt.timeout_ms = o->banner_timeout_ms > 10000 ? o->banner_timeout_ms : 10000;
	dopt.parallel = o->max_inflight < 128 ? o->max_inflight : 128;
	if (r == SD_OK)
		r = deep_probe_many(reqs, n, &dopt);
	for (i = 0; i < nres && r == SD_OK; i++)
		if (res[i].deep.ran)
			r = probe_result_conclude(&res[i]);
	for (i = 0; i < nres; i++)
		free(users[i]);
	free(users);
	free(reqs);
	return r;
}

int cmd_probe(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"source", required_argument, NULL, 'b'},   {"port", required_argument, NULL, 'p'},
	    {"repeat", required_argument, NULL, 'n'},   {"timeout", required_argument, NULL, 't'},
	    {"json", no_argument, NULL, 'J'},           {"help", no_argument, NULL, 'h'},
	    {"user", required_argument, NULL, 'u'},     {"no-deep", no_argument, NULL, 'D'},
	    {"ramp", optional_argument, NULL, 'R'},     {"force", no_argument, NULL, 'F'},
	    {"parallel", required_argument, NULL, 'P'}, {NULL, 0, NULL, 0},
	};
	struct probe_options o;
	struct probe_result *res;
	size_t nres, i, bad = 0;
	unsigned v;
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
		case 'P':
			if (cli_parse_uint(optarg, 1, 4096, &o.max_inflight) != 0)
				goto usage;
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
	if (predict_algos(res, nres) != 0) {
		fprintf(stderr, "sshdiag probe: out of memory\n");
		return SD_EXIT_INTERNAL;
	}
	for (i = 0; i < nres; i++)
		if (probe_result_conclude(&res[i]) != 0) {
			fprintf(stderr, "sshdiag probe: out of memory\n");
			return SD_EXIT_INTERNAL;
		}
	if (deep && (r = run_deep(res, nres, user, &o)) != 0) {
		fprintf(stderr, "sshdiag probe: %s\n", sd_strerror(r));
		return SD_EXIT_INTERNAL;
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
