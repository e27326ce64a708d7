#include "sshd/version.h"

#include <ctype.h>
#include <string.h>

#include "base/err.h"

int sshd_version_num(const struct sshd_version *v)
{
	if (v == NULL || !v->known)
		return SSHD_V_DEFAULT;
	return SSHD_V(v->major, v->minor);
}

void sshd_version_default(struct sshd_version *v)
{
	memset(v, 0, sizeof(*v));
	v->major = SSHD_V_DEFAULT / 100;
	v->minor = SSHD_V_DEFAULT % 100;
	v->debian = 1;
}

static int parse_uint(const char **p, int *out)
{
	int n = 0, digits = 0;

	while (isdigit((unsigned char)**p) && digits < 6) {
		n = n * 10 + (**p - '0');
		(*p)++;
		digits++;
	}
	if (digits == 0)
		return -1;
	*out = n;
	return 0;
}

int sshd_version_parse(const char *text, struct sshd_version *v)
{
	struct sshd_version x;
	const char *p, *end;
	size_t n, i;

	memset(&x, 0, sizeof(x));
	if (text == NULL || (p = strstr(text, "OpenSSH_")) == NULL)
		return SD_ERR_INVALID;
	p += 8;
	if (parse_uint(&p, &x.major) != 0 || *p != '.')
		return SD_ERR_INVALID;
	p++;
	if (parse_uint(&p, &x.minor) != 0)
		return SD_ERR_INVALID;
	if (*p == 'p')
		x.portable = 1;
	/* keep the release text up to ',' (sshd -V adds ", OpenSSL …") or the end */
	p = strstr(text, "OpenSSH_");
	end = strchr(p, ',');
	n = end ? (size_t)(end - p) : strlen(p);
	while (n > 0 && isspace((unsigned char)p[n - 1]))
		n--;
	if (n >= sizeof(x.text))
		n = sizeof(x.text) - 1;
	for (i = 0; i < n; i++)
		x.text[i] = isprint((unsigned char)p[i]) ? p[i] : '?';
	x.text[n] = '\0';
	x.debian = strstr(x.text, "Debian") != NULL || strstr(x.text, "Ubuntu") != NULL;
	x.known = 1;
	*v = x;
	return SD_OK;
}

int sshd_version_from_binary(const void *bytes, size_t len, struct sshd_version *v)
{
	static const char tag[] = "OpenSSH_";
	const char *b = bytes, *p = b, *end = b + len, *s, *e, *best = NULL;
	size_t best_len = 0, n;
	char tmp[96];

	while (p < end && (s = memmem(p, (size_t)(end - p), tag, sizeof(tag) - 1)) != NULL) {
		e = memchr(s, '\0', (size_t)(end - s));
		if (e == NULL)
			e = end;
		n = (size_t)(e - s);
		p = s + 1;
		if (n >= sizeof(tmp) || (s > b && s[-1] != '\0'))
			continue;
		if (memchr(s, ',', n) || memchr(s, '*', n) || !isdigit((unsigned char)s[8]))
			continue;
		if (n > best_len) {
			best = s;
			best_len = n;
		}
	}
	if (best == NULL)
		return SD_ERR_NOT_FOUND;
	memcpy(tmp, best, best_len);
	tmp[best_len] = '\0';
	return sshd_version_parse(tmp, v) == 0 ? SD_OK : SD_ERR_NOT_FOUND;
}
