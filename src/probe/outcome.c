#include "probe/outcome.h"

static const char *const outcome_names[] = {
#define N(id, name, text) name,
    PROBE_OUTCOMES(N)
#undef N
};

static const char *const outcome_texts[] = {
#define N(id, name, text) text,
    PROBE_OUTCOMES(N)
#undef N
};

const char *probe_outcome_name(enum probe_outcome o)
{
	return (unsigned)o < OUTCOME__COUNT ? outcome_names[o] : "unknown";
}

const char *probe_outcome_text(enum probe_outcome o)
{
	return (unsigned)o < OUTCOME__COUNT ? outcome_texts[o] : "unknown";
}

int probe_outcome_is_success(enum probe_outcome o)
{
	return o == OUTCOME_OK || o == OUTCOME_AUTH_METHODS;
}

static int has_sshd_refusal(const struct banner *b)
{
	size_t i;

	for (i = 0; i < b->npre_lines && i < BANNER_KEEP_PRE_LINES; i++)
		if (banner_is_sshd_refusal(b->pre_lines[i]))
			return 1;
	return 0;
}

/* The connection ended before a version line was read. */
static enum probe_outcome before_banner(const struct attempt_facts *f)
{
	const struct banner *b = f->banner;

	switch (b->state) {
	case BANNER_BAD_VERSION:
		return OUTCOME_PROTOCOL_ERROR;
	case BANNER_LINE_TOO_LONG:
	case BANNER_TOO_MANY_LINES:
		return OUTCOME_NOT_SSH;
	case BANNER_NEED_MORE:
	case BANNER_DONE:
		break;
	}
	if (has_sshd_refusal(b))
		return OUTCOME_REFUSED_BY_SSHD;
	/* a version line still arriving when time ran out (a server trickling bytes) */
	if (f->end == END_TIMEOUT && b->kind == BANNER_KIND_SSH && b->npre_lines == 0)
		return OUTCOME_TIMEOUT_BANNER;
	if (b->bytes_seen > 0)
		return OUTCOME_NOT_SSH;
	switch (f->end) {
	case END_RESET:
		return OUTCOME_RESET_BEFORE_BANNER;
	case END_EOF:
		return OUTCOME_CLOSED_BEFORE_BANNER;
	case END_TIMEOUT:
		return OUTCOME_TIMEOUT_BANNER;
	case END_PROTOCOL:
		return OUTCOME_PROTOCOL_ERROR;
	case END_COMPLETE:
	case END_ERROR:
		break;
	}
	return OUTCOME_LOCAL_ERROR;
}

enum probe_outcome probe_classify(const struct attempt_facts *f)
{
	switch (f->connect) {
	case CONNECT_OK:
		break;
	case CONNECT_REFUSED:
		return OUTCOME_REFUSED;
	case CONNECT_TIMEOUT:
		return OUTCOME_TIMEOUT_CONNECT;
	case CONNECT_UNREACHABLE:
		return OUTCOME_UNREACHABLE;
	case CONNECT_LOCAL_ERROR:
		return OUTCOME_LOCAL_ERROR;
	}
	if (f->banner->state != BANNER_DONE)
		return before_banner(f);
	if (f->kexinit_ok)
		return OUTCOME_OK;
	if (f->packet_error)
		return OUTCOME_PROTOCOL_ERROR;
	if (f->got_disconnect)
		return OUTCOME_CLOSED_AFTER_BANNER;
	switch (f->end) {
	case END_RESET:
		return OUTCOME_RESET_AFTER_BANNER;
	case END_EOF:
		return OUTCOME_CLOSED_AFTER_BANNER;
	case END_TIMEOUT:
		return OUTCOME_TIMEOUT_KEXINIT;
	case END_PROTOCOL:
		return OUTCOME_PROTOCOL_ERROR;
	case END_COMPLETE:
	case END_ERROR:
		break;
	}
	return OUTCOME_LOCAL_ERROR;
}
