#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "cli/cli.h"
#include "core/causes.h"
#include "explain/explain.h"

static const char explain_usage[] =
    "usage: sshdiag explain [--json] MESSAGE...\n"
    "       sshdiag explain [--json] -          (the message on standard input)\n"
    "\n"
    "Explains a pasted ssh client or sshd/fail2ban log message: which side wrote it, the\n"
    "phase the connection was in (TCP connect, banner exchange, key exchange,\n"
    "authentication, session), the likely causes in order and the next command to run for\n"
    "each.  A whole `ssh -v` output or a piece of auth.log works too: the decisive line is\n"
    "picked and the host, port and addresses it names are put into the commands.\n"
    "Needs no network and no privileges: it only reads its arguments or standard input\n"
    "(at most 1 MiB).\n"
    "\n"
    "      --json   one JSON object\n"
    "  -h, --help\n"
    "\n"
    "Exit status: 0 explained, 2 usage error, 3 no line of the input was recognised,\n"
    "4 internal error.\n";

/* Reads standard input up to EXPLAIN_MAX_INPUT bytes (the rest is not read). */
static int read_stdin(struct buf *b)
{
	char chunk[8192];

	for (;;) {
		size_t room = EXPLAIN_MAX_INPUT - b->len;
		ssize_t n;

		if (room == 0)
			return 0;
		n = read(STDIN_FILENO, chunk, room < sizeof(chunk) ? room : sizeof(chunk));
		if (n < 0)
			return -1;
		if (n == 0)
			return 0;
		if (buf_add(b, chunk, (size_t)n) != 0)
			return -1;
	}
}

int cmd_explain(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"json", no_argument, NULL, 'J'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct explain_result *r;
	struct buf in, out;
	int json = 0, c, i, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'J':
			json = 1;
			break;
		case 'h':
			fputs(explain_usage, stdout);
			return SD_EXIT_CLEAR;
		default:
			fputs(explain_usage, stderr);
			return SD_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fprintf(stderr,
		        "sshdiag explain: no message (give it as arguments, or - for "
		        "standard input)\n\n%s",
		        explain_usage);
		return SD_EXIT_USAGE;
	}
	buf_init(&in, EXPLAIN_MAX_INPUT);
	if (argc - optind == 1 && strcmp(argv[optind], "-") == 0) {
		if (read_stdin(&in) != 0) {
			fprintf(stderr, "sshdiag explain: cannot read standard input\n");
			buf_release(&in);
			return SD_EXIT_INTERNAL;
		}
	} else {
		/* unquoted words are one message */
		for (i = optind; i < argc; i++) {
			if ((i > optind && buf_addch(&in, ' ') != 0) ||
			    buf_adds(&in, argv[i]) != 0) {
				fprintf(stderr, "sshdiag explain: message longer than %d bytes\n",
				        EXPLAIN_MAX_INPUT);
				buf_release(&in);
				return SD_EXIT_USAGE;
			}
		}
	}
	r = malloc(sizeof(*r));
	if (!r) {
		buf_release(&in);
		fprintf(stderr, "sshdiag: out of memory\n");
		return SD_EXIT_INTERNAL;
	}
	explain_message(in.data, in.len, r);
	buf_release(&in);
	if (json) {
		json_t *j = explain_render_json(r);

		rc = cli_put_owned(stdout,
		                   j ? json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL);
		json_decref(j);
	} else {
		buf_init(&out, BUF_MAX_DEFAULT);
		rc = explain_render_text(r, &out) == 0 ? 0 : SD_EXIT_INTERNAL;
		if (rc == 0)
			fputs(out.data, stdout);
		else
			fprintf(stderr, "sshdiag: out of memory\n");
		buf_release(&out);
	}
	if (rc == 0 && !r->recognised)
		rc = SD_EXIT_INCONCLUSIVE;
	free(r);
	return rc;
}
