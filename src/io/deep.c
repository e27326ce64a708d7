#include "io/deep.h"

#include <libssh/libssh.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/err.h"

static double mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* A sanitised copy of a string from libssh (which may echo server text), NULL stays NULL. */
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

int deep_probe(const char *address, unsigned port, const struct deep_options *o,
               struct probe_deep *d)
{
	ssh_session s;
	long timeout_usec = (long)o->timeout_ms * 1000L;
	int zero = 0, iport = (int)port, rc, r = SD_OK;
	double t0, t1;

	memset(d, 0, sizeof(*d));
	d->ran = 1;
	d->outcome = OUTCOME_KEX_FAILED;
	if ((d->user = strdup(o->user)) == NULL)
		return SD_ERR_ALLOC;
	if ((s = ssh_new()) == NULL)
		return SD_ERR_ALLOC;
	ssh_options_set(s, SSH_OPTIONS_LOG_VERBOSITY, &zero);
	ssh_options_set(s, SSH_OPTIONS_PROCESS_CONFIG, &zero); /* never the user's ~/.ssh/config */
	ssh_options_set(s, SSH_OPTIONS_HOST, address);
	ssh_options_set(s, SSH_OPTIONS_PORT, &iport);
	ssh_options_set(s, SSH_OPTIONS_USER, o->user);
	ssh_options_set(s, SSH_OPTIONS_TIMEOUT_USEC, &timeout_usec);
	if (o->source)
		ssh_options_set(s, SSH_OPTIONS_BINDADDR, o->source);
	t0 = mono_ms();
	rc = ssh_connect(s);
	t1 = mono_ms();
	d->kex_ms = t1 - t0;
	if (rc != SSH_OK) {
		r = dup_clean(&d->error, ssh_get_error(s));
		goto out;
	}
	if ((r = note_keyinfo(s, d)) != SD_OK)
		goto out;
	rc = ssh_userauth_none(s, NULL);
	d->auth_ms = mono_ms() - t1;
	if (rc == SSH_AUTH_DENIED || rc == SSH_AUTH_PARTIAL || rc == SSH_AUTH_SUCCESS) {
		d->outcome = OUTCOME_AUTH_METHODS;
		r = methods_text(ssh_userauth_list(s, NULL), &d->auth_methods);
	} else {
		/*
		 * libssh sends the service request and the userauth request back to back, so a
		 * close before the service accept is told apart by its error text.
		 */
		const char *err = ssh_get_error(s);
		d->outcome = err && strstr(err, "service") ? OUTCOME_CLOSED_AFTER_KEX
		                                           : OUTCOME_CLOSED_AT_AUTH;
		r = dup_clean(&d->error, err);
	}
out:
	ssh_disconnect(s);
	ssh_free(s);
	return r;
}
