#include "probe/result.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"

int probe_result_init(struct probe_result *r, const char *target, const char *address,
                      unsigned port)
{
	memset(r, 0, sizeof(*r));
	r->port = port;
	r->outcome = OUTCOME_LOCAL_ERROR;
	if ((r->target = strdup(target)) == NULL ||
	    (address && (r->address = strdup(address)) == NULL)) {
		probe_result_release(r);
		return SD_ERR_ALLOC;
	}
	return SD_OK;
}

void probe_result_release(struct probe_result *r)
{
	size_t i;

	free(r->target);
	free(r->address);
	for (i = 0; i < r->nattempts; i++)
		free(r->attempts[i].detail);
	free(r->attempts);
	free(r->banner_line);
	free(r->software);
	for (i = 0; i < BANNER_KEEP_PRE_LINES; i++)
		free(r->pre_lines[i]);
	free(r->not_ssh_kind);
	kexinit_release(&r->kexinit);
	free(r->disconnect);
	probe_deep_release(&r->deep);
	for (i = 0; i < ALGO__COUNT; i++)
		free(r->algo_chosen[i]);
	free(r->algo_mismatch);
	free(r->ramp_levels);
	free(r->ramp_note);
	for (i = 0; i < r->ncauses; i++)
		free(r->causes[i].why);
	free(r->causes);
	for (i = 0; i < r->nserver_checks; i++)
		free(r->server_checks[i]);
	free(r->server_checks);
	free(r->budget_warning);
	memset(r, 0, sizeof(*r));
}

int probe_result_add_attempt(struct probe_result *r, struct probe_attempt *a)
{
	struct probe_attempt *v;

	if ((v = realloc(r->attempts, (r->nattempts + 1) * sizeof(*v))) == NULL) {
		free(a->detail);
		a->detail = NULL;
		return SD_ERR_ALLOC;
	}
	r->attempts = v;
	r->attempts[r->nattempts++] = *a;
	a->detail = NULL;
	return SD_OK;
}

static int dup_opt(char **dst, const char *src)
{
	if (!src || *dst)
		return SD_OK;
	return (*dst = strdup(src)) ? SD_OK : SD_ERR_ALLOC;
}

int probe_result_note_banner(struct probe_result *r, const struct banner *b)
{
	size_t i;
	int r2;

	if (r->npre_lines == 0 && b->npre_lines) {
		for (i = 0; i < b->npre_lines && i < BANNER_KEEP_PRE_LINES; i++)
			if ((r->pre_lines[i] = strdup(b->pre_lines[i])) == NULL)
				return SD_ERR_ALLOC;
		r->npre_lines = b->npre_lines;
	}
	if (b->kind != BANNER_KIND_NONE && b->kind != BANNER_KIND_SSH &&
	    (r2 = dup_opt(&r->not_ssh_kind, banner_kind_name(b->kind))) != 0)
		return r2;
	if (b->state != BANNER_DONE)
		return SD_OK;
	if ((r2 = dup_opt(&r->banner_line, b->version_line)) != 0)
		return r2;
	return dup_opt(&r->software, b->software);
}

void probe_result_take_kexinit(struct probe_result *r, struct kexinit *k)
{
	if (r->have_kexinit) {
		kexinit_release(k);
		return;
	}
	r->kexinit = *k;
	r->have_kexinit = 1;
	memset(k, 0, sizeof(*k));
}

int probe_result_note_disconnect(struct probe_result *r, const char *text)
{
	return dup_opt(&r->disconnect, text);
}

int probe_result_note_algos(struct probe_result *r, const struct algo_prediction *p,
                            int from_defaults)
{
	size_t i;

	for (i = 0; i < ALGO__COUNT; i++)
		if (p->chosen[i] && (r->algo_chosen[i] = strdup(p->chosen[i])) == NULL)
			return SD_ERR_ALLOC;
	if (p->message && (r->algo_mismatch = strdup(p->message)) == NULL)
		return SD_ERR_ALLOC;
	r->have_algos = 1;
	r->algos_from_defaults = from_defaults;
	return SD_OK;
}

void probe_deep_release(struct probe_deep *d)
{
	free(d->user);
	free(d->kex);
	free(d->hostkey_type);
	free(d->cipher_c2s);
	free(d->cipher_s2c);
	free(d->mac_c2s);
	free(d->mac_s2c);
	free(d->fingerprint);
	free(d->auth_methods);
	free(d->error);
	memset(d, 0, sizeof(*d));
}

const char *probe_pattern_name(enum probe_pattern p)
{
	return p == PATTERN_INTERMITTENT ? "intermittent" : "deterministic";
}

static int add_cause(struct probe_result *r, enum cause_id cause, const char *why)
{
	struct likely_cause *v;
	size_t i;
	char *s;

	for (i = 0; i < r->ncauses; i++)
		if (r->causes[i].cause == cause)
			return SD_OK;
	if ((s = strdup(why)) == NULL)
		return SD_ERR_ALLOC;
	if ((v = realloc(r->causes, (r->ncauses + 1) * sizeof(*v))) == NULL) {
		free(s);
		return SD_ERR_ALLOC;
	}
	r->causes = v;
	r->causes[r->ncauses].cause = cause;
	r->causes[r->ncauses].why = s;
	r->ncauses++;
	return SD_OK;
}

int probe_result_put_cause_first(struct probe_result *r, enum cause_id cause, const char *why)
{
	struct likely_cause c;
	size_t i;
	int rc;

	if ((rc = add_cause(r, cause, why)) != SD_OK)
		return rc;
	for (i = 0; r->causes[i].cause != cause; i++)
		;
	c = r->causes[i];
	memmove(&r->causes[1], &r->causes[0], i * sizeof(c));
	r->causes[0] = c;
	return SD_OK;
}

static int add_check(struct probe_result *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int add_check(struct probe_result *r, const char *fmt, ...)
{
	struct buf b;
	va_list ap;
	char **v, *s;
	size_t i;
	int rc;

	buf_init(&b, 4096);
	va_start(ap, fmt);
	rc = buf_vaddf(&b, fmt, ap);
	va_end(ap);
	if (rc != 0 || (s = buf_detach(&b)) == NULL) {
		buf_release(&b);
		return SD_ERR_ALLOC;
	}
	for (i = 0; i < r->nserver_checks; i++)
		if (strcmp(r->server_checks[i], s) == 0) {
			free(s);
			return SD_OK;
		}
	if ((v = realloc(r->server_checks, (r->nserver_checks + 1) * sizeof(*v))) == NULL) {
		free(s);
		return SD_ERR_ALLOC;
	}
	r->server_checks = v;
	r->server_checks[r->nserver_checks++] = s;
	return SD_OK;
}

/* The median time-to-failure of the attempts that ended with the overall outcome. */
static double median_end_ms(const struct probe_result *r)
{
	double v[64], t;
	size_t n = 0, i, j;

	for (i = 0; i < r->nattempts && n < 64; i++)
		if (r->attempts[i].outcome == r->outcome)
			v[n++] = r->attempts[i].end_ms;
	if (n == 0)
		return -1;
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && v[j - 1] > v[j]; j--) {
			t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return v[n / 2];
}

static int pre_line_has(const struct probe_result *r, const char *needle)
{
	size_t i;

	for (i = 0; i < r->npre_lines && i < BANNER_KEEP_PRE_LINES; i++)
		if (strstr(r->pre_lines[i], needle))
			return 1;
	return 0;
}

static int refused_by_icmp(const struct probe_result *r)
{
	size_t i;

	for (i = 0; i < r->nattempts; i++)
		if (r->attempts[i].outcome == OUTCOME_REFUSED && r->attempts[i].detail &&
		    strstr(r->attempts[i].detail, "ICMP"))
			return 1;
	return 0;
}

static int causes_before_banner(struct probe_result *r)
{
	double t = median_end_ms(r);
	int intermittent = r->pattern == PATTERN_INTERMITTENT, rc = 0;
	int delayed = t >= PROBE_LIBWRAP_DELAY_MIN_MS && t <= PROBE_LIBWRAP_DELAY_MAX_MS;

	if (intermittent) {
		rc |= add_cause(r, CAUSE_MAX_STARTUPS,
		                "some attempts pass and others are dropped right after accept: "
		                "sshd's MaxStartups random early drop behaves exactly like this");
		rc |=
		    add_cause(r, CAUSE_PER_SOURCE_MAX_STARTUPS,
		              "PerSourceMaxStartups drops a source while it holds too many "
		              "unauthenticated connections (other tools from your address count)");
	}
	if (delayed)
		rc |= add_cause(r, CAUSE_TCP_WRAPPERS_DENY,
		                "accepted, then closed about 5 s later: libwrap (TCP wrappers in "
		                "Debian's sshd) sleeps 5 s after refusing a client in hosts.deny");
	if (delayed)
		rc |= add_cause(r, CAUSE_DENYHOSTS_ENTRY,
		                "denyhosts blocks through hosts.deny, so it fails the same way");
	rc |= add_cause(r, CAUSE_PER_SOURCE_PENALTY,
	                "OpenSSH >= 9.8 drops penalised sources (PerSourcePenalties, on by "
	                "default) right after accept; repeated failed or unauthenticated "
	                "connections from your address earn penalties");
	rc |= add_cause(r, CAUSE_MAX_STARTUPS,
	                "when MaxStartups 'full' is reached sshd drops every new connection "
	                "right after accept");
	rc |= add_cause(r, CAUSE_SSHD_SESSION_MISSING,
	                "every connection dying before the banner also fits an sshd whose "
	                "per-connection helper fails (upgraded to >= 9.8 without restart, "
	                "sshd-session missing)");
	rc |= add_cause(r, CAUSE_HOST_KEYS_UNUSABLE,
	                "older sshd (<= 9.7) fails per connection when host keys are unusable");
	if (!delayed)
		rc |= add_cause(r, CAUSE_TCP_WRAPPERS_DENY,
		                "TCP wrappers (hosts.deny) also close right after accept in builds "
		                "that do not sleep before exiting");
	rc |= add_cause(r, CAUSE_FIREWALL_RESET,
	                "a middlebox or IPS that resets the connection after the handshake "
	                "looks the same from outside");
	rc |= add_cause(r, CAUSE_WRONG_SERVICE,
	                "a forwarder (docker-proxy, VM NAT, load balancer) whose backend is down "
	                "accepts and then closes");
	return rc ? SD_ERR_ALLOC : SD_OK;
}

static int derive_causes(struct probe_result *r)
{
	int rc = 0;

	if (r->algo_mismatch)
		rc |=
		    add_cause(r, CAUSE_ALGORITHM_MISMATCH,
		              "the local ssh client and the server share no algorithm of one kind: "
		              "ssh will stop with the 'Unable to negotiate' message shown");
	switch (r->outcome) {
	case OUTCOME_OK:
	case OUTCOME_AUTH_METHODS:
	case OUTCOME_RESOLVE_FAILED:
	case OUTCOME_LOCAL_ERROR:
	case OUTCOME__COUNT:
		break;
	case OUTCOME_CLOSED_AT_AUTH:
		rc |= add_cause(
		    r, CAUSE_REFUSE_CONNECTION,
		    "the key exchange completed and the server closed at the first "
		    "authentication request, which is where sshd evaluates Match blocks: "
		    "RefuseConnection (OpenSSH >= 9.9) in a Match for your address or user");
		rc |= add_cause(r, CAUSE_PER_SOURCE_PENALTY,
		                "a Match block that refuses this user or address closes here too");
		break;
	case OUTCOME_CLOSED_AFTER_KEX:
		rc |=
		    add_cause(r, CAUSE_SSHD_SESSION_MISSING,
		              "sshd closed right after the key exchange: its per-connection helper "
		              "(sshd-auth in OpenSSH >= 10) may be missing or failing");
		rc |= add_cause(r, CAUSE_REFUSE_CONNECTION,
		                "a refusal evaluated at the start of authentication");
		break;
	case OUTCOME_KEX_FAILED:
		rc |=
		    add_cause(r, CAUSE_ALGORITHM_MISMATCH,
		              "the key exchange failed: no common algorithm, or the server closed "
		              "during it (see the error)");
		rc |= add_cause(r, CAUSE_HOST_KEYS_UNUSABLE,
		                "the server has no usable host key of a type the client accepts");
		rc |= add_cause(r, CAUSE_NETWORK_PATH,
		                "large key-exchange packets lost on the path (MTU black hole)");
		break;
	case OUTCOME_REFUSED:
		/* a closed port answers with RST; an ICMP port-unreachable comes from a REJECT rule
		 */
		if (refused_by_icmp(r))
			rc |= add_cause(
			    r, CAUSE_FIREWALL_REJECT,
			    "the SYN was answered with ICMP port-unreachable, which a "
			    "closed Linux port never sends: a firewall REJECT rule (fail2ban's "
			    "default banaction does exactly this)");
		rc |= add_cause(r, CAUSE_NOT_LISTENING,
		                "the SYN was refused: nothing accepts on this address and port "
		                "(sshd stopped, or listening on another address or port)");
		rc |= add_cause(r, CAUSE_FIREWALL_REJECT,
		                "a REJECT rule answers the same way (tcp-reset or "
		                "icmp-port-unreachable)");
		rc |= add_cause(r, CAUSE_FAIL2BAN_BAN,
		                "fail2ban's default iptables banaction REJECTs banned addresses: a "
		                "ban looks exactly like this");
		rc |= add_cause(r, CAUSE_SSHD_NOT_RUNNING,
		                "sshd may have failed to start (config error, missing host keys)");
		break;
	case OUTCOME_TIMEOUT_CONNECT:
		rc |= add_cause(r, CAUSE_FIREWALL_DROP,
		                "the SYN went unanswered: a DROP rule or a default-deny policy "
		                "(host firewall or cloud security group)");
		rc |= add_cause(r, CAUSE_SSHGUARD_BAN, "sshguard and many ban setups DROP");
		rc |= add_cause(r, CAUSE_FAIL2BAN_BAN, "fail2ban with a DROP banaction");
		rc |= add_cause(r, CAUSE_NETWORK_PATH,
		                "the host may be down or unreachable from this network: try "
		                "another network (--source)");
		break;
	case OUTCOME_UNREACHABLE:
		rc |= add_cause(r, CAUSE_FIREWALL_REJECT,
		                "an ICMP unreachable/prohibited came back: REJECT with "
		                "icmp-host-prohibited or admin-prohibited, or a router's filter");
		rc |= add_cause(r, CAUSE_NETWORK_PATH, "no route on the path to the server");
		break;
	case OUTCOME_RESET_BEFORE_BANNER:
	case OUTCOME_CLOSED_BEFORE_BANNER:
		rc |= causes_before_banner(r);
		break;
	case OUTCOME_REFUSED_BY_SSHD:
		if (pre_line_has(r, "Not allowed at this time"))
			rc |= add_cause(r, CAUSE_PER_SOURCE_PENALTY,
			                "sshd >= 9.8 said 'Not allowed at this time': a penalty on "
			                "your address or MaxStartups");
		if (r->pattern == PATTERN_INTERMITTENT)
			rc |= add_cause(r, CAUSE_MAX_STARTUPS,
			                "sshd refused some attempts itself: MaxStartups random "
			                "early drop");
		rc |= add_cause(r, CAUSE_PER_SOURCE_MAX_STARTUPS,
		                "sshd refused the connection itself: PerSourceMaxStartups when "
		                "your address holds too many unauthenticated connections");
		rc |= add_cause(r, CAUSE_MAX_STARTUPS,
		                "sshd refused the connection itself: too many unauthenticated "
		                "connections (MaxStartups)");
		/* "Exceeded MaxStartups" is the wording of 8.2-9.7, which have no penalties */
		if (!pre_line_has(r, "Exceeded MaxStartups"))
			rc |= add_cause(r, CAUSE_PER_SOURCE_PENALTY,
			                "OpenSSH >= 9.8 penalises sources that fail or never "
			                "authenticate");
		break;
	case OUTCOME_TIMEOUT_BANNER:
		rc |= add_cause(r, CAUSE_LISTENER_STALLED,
		                "TCP was accepted but no banner came: a wedged or overloaded "
		                "listener (out of file descriptors, stuck after an upgrade)");
		rc |= add_cause(r, CAUSE_TCP_WRAPPERS_DENY,
		                "libwrap's reverse lookups can stall when DNS is broken; a refusal "
		                "arrives only after them");
		break;
	case OUTCOME_NOT_SSH:
	case OUTCOME_PROTOCOL_ERROR:
		rc |= add_cause(r, CAUSE_WRONG_SERVICE,
		                "what answered is not an SSH server (or not only one): another "
		                "service owns this port, or a proxy sits in front");
		break;
	case OUTCOME_RESET_AFTER_BANNER:
	case OUTCOME_CLOSED_AFTER_BANNER:
		rc |= add_cause(r, CAUSE_SSHD_SESSION_MISSING,
		                "the banner came but sshd died before key exchange: a broken "
		                "per-connection helper (sshd-auth in OpenSSH >= 10) fits");
		rc |= add_cause(r, CAUSE_HOST_KEYS_UNUSABLE,
		                "sshd has no usable host key for the key exchange");
		rc |=
		    add_cause(r, CAUSE_FIREWALL_RESET,
		              "a middlebox or IPS resetting the connection after the first bytes");
		break;
	case OUTCOME_TIMEOUT_KEXINIT:
		rc |= add_cause(r, CAUSE_NETWORK_PATH,
		                "the banner passed but the larger KEXINIT packet did not: an MTU "
		                "black hole or a middlebox on the path");
		break;
	}
	return rc ? SD_ERR_ALLOC : SD_OK;
}

static int derive_checks(struct probe_result *r)
{
	size_t i;
	int rc = 0;

	if (r->outcome == OUTCOME_OK || r->outcome == OUTCOME_AUTH_METHODS ||
	    r->outcome == OUTCOME_RESOLVE_FAILED)
		return SD_OK;
	rc |= add_check(r, "sshdiag server --client <your address as the server sees it> --port %u",
	                r->port);
	for (i = 0; i < r->ncauses && i < 4; i++) {
		switch (r->causes[i].cause) {
		case CAUSE_NOT_LISTENING:
		case CAUSE_SSHD_NOT_RUNNING:
			rc |= add_check(r, "ss -ltnp 'sport = :%u'", r->port);
			rc |= add_check(r, "systemctl status ssh.service ssh.socket");
			break;
		case CAUSE_FIREWALL_REJECT:
		case CAUSE_FIREWALL_DROP:
		case CAUSE_FIREWALL_RESET:
			rc |= add_check(r, "iptables-save; nft list ruleset");
			break;
		case CAUSE_FAIL2BAN_BAN:
			rc |= add_check(r, "fail2ban-client status sshd");
			break;
		case CAUSE_SSHGUARD_BAN:
			rc |= add_check(
			    r, "ipset list sshguard4 (or: nft list set ip sshguard attackers)");
			break;
		case CAUSE_TCP_WRAPPERS_DENY:
		case CAUSE_DENYHOSTS_ENTRY:
			rc |= add_check(r, "tcpdmatch sshd <your address>");
			break;
		case CAUSE_MAX_STARTUPS:
		case CAUSE_PER_SOURCE_MAX_STARTUPS:
		case CAUSE_PER_SOURCE_PENALTY:
			rc |= add_check(r, "sshd -T | grep -i -E 'maxstartups|persource'");
			rc |= add_check(
			    r, "journalctl -u ssh | grep -E 'MaxStartups|penalty|drop connection'");
			break;
		case CAUSE_SSHD_SESSION_MISSING:
		case CAUSE_HOST_KEYS_UNUSABLE:
		case CAUSE_LISTENER_STALLED:
			rc |= add_check(r, "sshd -t; journalctl -u ssh -n 50");
			break;
		case CAUSE_WRONG_SERVICE:
			rc |= add_check(r, "ss -ltnp 'sport = :%u'", r->port);
			break;
		default:
			break;
		}
	}
	return rc ? SD_ERR_ALLOC : SD_OK;
}

/*
 * Probing must not get the user banned: say when the server penalises unauthenticated
 * connections (OpenSSH >= 9.8) or when it started refusing in the middle of the run.
 */
static int derive_budget_warning(struct probe_result *r)
{
	struct buf b;
	int major = 0, minor = 0, rc = 0;
	size_t i;
	int turned = 0;

	free(r->budget_warning);
	r->budget_warning = NULL;
	for (i = 1; i < r->nattempts; i++)
		if (probe_outcome_is_success(r->attempts[i - 1].outcome) &&
		    !probe_outcome_is_success(r->attempts[i].outcome))
			turned = 1;
	buf_init(&b, 4096);
	if (banner_openssh_version(r->software, &major, &minor) &&
	    (major > 9 || (major == 9 && minor >= 8)))
		rc |= buf_addf(&b,
		               "OpenSSH %d.%d penalises connections that never authenticate "
		               "(PerSourcePenalties noauth, 1 s each; your address is blocked once "
		               "more than 15 s accumulate): this run made %u connections. ",
		               major, minor, r->connections_made);
	if (turned)
		rc |= buf_adds(&b,
		               "The server started refusing during this run: a ban tool or "
		               "penalty may be counting these probes; wait before probing again.");
	if (rc) {
		buf_release(&b);
		return SD_ERR_ALLOC;
	}
	if (b.len && (r->budget_warning = buf_detach(&b)) == NULL)
		return SD_ERR_ALLOC;
	buf_release(&b);
	return SD_OK;
}

int probe_result_conclude(struct probe_result *r)
{
	size_t i, best = 0, kinds = 0;
	int rc;

	/* idempotent: conclude again after the deep stage */
	for (i = 0; i < r->ncauses; i++)
		free(r->causes[i].why);
	r->ncauses = 0;
	for (i = 0; i < r->nserver_checks; i++)
		free(r->server_checks[i]);
	r->nserver_checks = 0;
	memset(r->counts, 0, sizeof(r->counts));
	for (i = 0; i < r->nattempts; i++)
		r->counts[r->attempts[i].outcome]++;
	/* the most frequent outcome; a tie goes to the failure, as that is what needs explaining */
	for (i = 0; i < OUTCOME__COUNT; i++) {
		if (r->counts[i] == 0)
			continue;
		/*
		 * reset or close after the same step is a race (a close with our identification
		 * unread becomes a reset), not a different behaviour: one kind for the pattern
		 */
		if (!((i == OUTCOME_CLOSED_BEFORE_BANNER &&
		       r->counts[OUTCOME_RESET_BEFORE_BANNER]) ||
		      (i == OUTCOME_CLOSED_AFTER_BANNER && r->counts[OUTCOME_RESET_AFTER_BANNER])))
			kinds++;
		if (r->counts[i] > r->counts[best] || r->counts[best] == 0 ||
		    (r->counts[i] == r->counts[best] && best == OUTCOME_OK))
			best = i;
	}
	if (r->nattempts)
		r->outcome = (enum probe_outcome)best;
	r->pattern = kinds > 1 ? PATTERN_INTERMITTENT : PATTERN_DETERMINISTIC;
	/* the deep stage goes further than the banner attempts: its answer is the final one */
	if (r->deep.ran && r->outcome == OUTCOME_OK)
		r->outcome = r->deep.outcome;
	if ((rc = derive_causes(r)) != 0 || (rc = derive_budget_warning(r)) != 0)
		return rc;
	return derive_checks(r);
}
