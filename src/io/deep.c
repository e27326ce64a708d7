#include "io/deep.h"

#include <libssh/libssh.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/err.h"

/* How often sessions are driven when poll() says nothing: libssh may hold pending writes. */
#define DEEP_TICK_MS 20

static double mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* A sanitised copy of a string from libssh (which may echo server text); NULL stays NULL. */
static int dup_clean(char **dst, const char *src)
{
	if (!src)
		return SD_OK;
	return (*dst = sanitized_strndup(src, strnlen(src, 1024), 4096)) ? SD_OK : SD_ERR_ALLOC;
}

static int methods_text(int m, char **out)
{
	static const struct {
		int bit;
		const char *name;
	} names[] = {
	    {SSH_AUTH_METHOD_PUBLICKEY, "publickey"},
	    {SSH_AUTH_METHOD_PASSWORD, "password"},
	    {SSH_AUTH_METHOD_INTERACTIVE, "keyboard-interactive"},
	    {SSH_AUTH_METHOD_HOSTBASED, "hostbased"},
	    {SSH_AUTH_METHOD_GSSAPI_MIC, "gssapi-with-mic"},
	};
	struct buf b;
	size_t i;
	int r = 0;

	buf_init(&b, 256);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (m & names[i].bit)
			r |= buf_addf(&b, "%s%s", b.len ? "," : "", names[i].name);
	if (r || (*out = buf_detach(&b)) == NULL) {
		buf_release(&b);
		return SD_ERR_ALLOC;
	}
	return SD_OK;
}

static int note_keyinfo(ssh_session s, struct probe_deep *d)
{
	ssh_key key = NULL;
	unsigned char *hash = NULL;
	size_t hlen = 0;
	char *fp;
	int r = SD_OK;

	if (dup_clean(&d->kex, ssh_get_kex_algo(s)) ||
	    dup_clean(&d->cipher_c2s, ssh_get_cipher_out(s)) ||
	    dup_clean(&d->cipher_s2c, ssh_get_cipher_in(s)) ||
	    dup_clean(&d->mac_c2s, ssh_get_hmac_out(s)) ||
	    dup_clean(&d->mac_s2c, ssh_get_hmac_in(s)))
		return SD_ERR_ALLOC;
	if (ssh_get_server_publickey(s, &key) != SSH_OK)
		return SD_OK;
	if (dup_clean(&d->hostkey_type, ssh_key_type_to_char(ssh_key_type(key))))
		r = SD_ERR_ALLOC;
	if (r == SD_OK &&
	    ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &hlen) == 0) {
		fp = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, hlen);
		if (fp && dup_clean(&d->fingerprint, fp))
			r = SD_ERR_ALLOC;
		ssh_string_free_char(fp);
		ssh_clean_pubkey_hash(&hash);
	}
	ssh_key_free(key);
	return r;
}

enum deep_state { DS_PENDING, DS_CONNECTING, DS_AUTH, DS_DONE };

struct deep_job {
	struct deep_request *req;
	ssh_session s;
	enum deep_state state;
	double t0, t_kex, deadline;
};

static void job_close(struct deep_job *j)
{
	if (j->s) {
		ssh_disconnect(j->s);
		ssh_free(j->s);
		j->s = NULL;
	}
	j->state = DS_DONE;
}

static int job_fail(struct deep_job *j, const char *why)
{
	int r = dup_clean(&j->req->out->error, why);

	job_close(j);
	return r;
}

static int job_open(struct deep_job *j, const struct deep_options *o)
{
	struct probe_deep *d = j->req->out;
	int zero = 0, iport = (int)j->req->port;

	memset(d, 0, sizeof(*d));
	d->ran = 1;
	d->outcome = OUTCOME_KEX_FAILED;
	if ((d->user = strdup(j->req->user)) == NULL || (j->s = ssh_new()) == NULL)
		return SD_ERR_ALLOC;
	ssh_options_set(j->s, SSH_OPTIONS_LOG_VERBOSITY, &zero);
	ssh_options_set(j->s, SSH_OPTIONS_PROCESS_CONFIG, &zero); /* never ~/.ssh/config */
	ssh_options_set(j->s, SSH_OPTIONS_HOST, j->req->address);
	ssh_options_set(j->s, SSH_OPTIONS_PORT, &iport);
	ssh_options_set(j->s, SSH_OPTIONS_USER, j->req->user);
	if (o->source)
		ssh_options_set(j->s, SSH_OPTIONS_BINDADDR, o->source);
	ssh_set_blocking(j->s, 0);
	j->t0 = mono_ms();
	j->deadline = j->t0 + o->timeout_ms;
	j->state = DS_CONNECTING;
	return SD_OK;
}

/* Drives one session as far as it goes without blocking. */
static int job_step(struct deep_job *j)
{
	struct probe_deep *d = j->req->out;
	int rc, r;

	if (j->state == DS_CONNECTING) {
		rc = ssh_connect(j->s);
		if (rc == SSH_AGAIN)
			return SD_OK;
		j->t_kex = mono_ms();
		d->kex_ms = j->t_kex - j->t0;
		if (rc != SSH_OK)
			return job_fail(j, ssh_get_error(j->s));
		if ((r = note_keyinfo(j->s, d)) != SD_OK)
			return r;
		j->state = DS_AUTH;
	}
	if (j->state == DS_AUTH) {
		rc = ssh_userauth_none(j->s, NULL);
		if (rc == SSH_AUTH_AGAIN)
			return SD_OK;
		d->auth_ms = mono_ms() - j->t_kex;
		if (rc == SSH_AUTH_DENIED || rc == SSH_AUTH_PARTIAL || rc == SSH_AUTH_SUCCESS) {
			d->outcome = OUTCOME_AUTH_METHODS;
			r = methods_text(ssh_userauth_list(j->s, NULL), &d->auth_methods);
			job_close(j);
			return r;
		}
		/*
		 * libssh asks for the ssh-userauth service first: a close before the service is
		 * accepted names the service in its error.
		 */
		const char *err = ssh_get_error(j->s);
		d->outcome = err && strstr(err, "service") ? OUTCOME_CLOSED_AFTER_KEX
		                                           : OUTCOME_CLOSED_AT_AUTH;
		return job_fail(j, err);
	}
	return SD_OK;
}

int deep_probe_many(struct deep_request *reqs, size_t n, const struct deep_options *o)
{
	struct deep_job *jobs;
	struct pollfd *pfd;
	size_t i, done = 0, active, np;
	unsigned parallel = o->parallel ? o->parallel : 64;
	double now;
	int r = SD_OK;

	jobs = calloc(n ? n : 1, sizeof(*jobs));
	pfd = calloc(parallel, sizeof(*pfd));
	if (!jobs || !pfd) {
		free(jobs);
		free(pfd);
		return SD_ERR_ALLOC;
	}
	for (i = 0; i < n; i++)
		jobs[i].req = &reqs[i];
	while (done < n && r == SD_OK) {
		now = mono_ms();
		active = np = 0;
		for (i = 0; i < n && r == SD_OK; i++) {
			struct deep_job *j = &jobs[i];
			if (j->state == DS_PENDING && active < parallel) {
				if ((r = job_open(j, o)) != SD_OK)
					break;
			}
			if (j->state == DS_CONNECTING || j->state == DS_AUTH) {
				if (now > j->deadline) {
					r = job_fail(j, "timed out");
				} else if ((r = job_step(j)) == SD_OK && j->state != DS_DONE) {
					socket_t fd = ssh_get_fd(j->s);
					active++;
					if (fd >= 0 && np < parallel) {
						pfd[np].fd = fd;
						pfd[np].events = POLLIN;
						pfd[np++].revents = 0;
					}
				}
			}
		}
		done = 0;
		for (i = 0; i < n; i++)
			done += jobs[i].state == DS_DONE;
		if (done == n || r != SD_OK)
			break;
		if (np)
			(void)poll(pfd, np, DEEP_TICK_MS);
	}
	for (i = 0; i < n; i++)
		if (jobs[i].s)
			job_close(&jobs[i]);
	free(jobs);
	free(pfd);
	return r;
}
