#include "sshd/lex.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"

#define WHITESPACE " \t\r\n"
#define QUOTE      "\""

int sshd_lex_load(const void *data, size_t len, struct buf *out)
{
	const char *p = data, *end = p + len, *nl, *line_end, *nul;
	size_t skip;
	int r;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		line_end = nl ? nl + 1 : end; /* getline() keeps the newline */
		skip = 0;
		while (p + skip < line_end &&
		       (p[skip] == ' ' || p[skip] == '\t' || p[skip] == '\r'))
			skip++;
		/* sshbuf_put(cp, strlen(cp)): an embedded NUL cuts the line, newline included */
		nul = memchr(p + skip, '\0', (size_t)(line_end - (p + skip)));
		if ((r = buf_add(out, p + skip, (size_t)((nul ? nul : line_end) - (p + skip)))) !=
		    0)
			return r;
		p = line_end;
	}
	return SD_OK;
}

char *sshd_strdelim(char **s)
{
	char *old;
	int wspace = 0;

	if (*s == NULL)
		return NULL;
	old = *s;
	*s = strpbrk(*s, WHITESPACE QUOTE "=");
	if (*s == NULL)
		return old;
	if ((*s)[0] == '\"') {
		memmove(*s, *s + 1, strlen(*s)); /* move the NUL too */
		if ((*s = strpbrk(*s, QUOTE)) == NULL)
			return NULL; /* no matching quote */
		(*s)[0] = '\0';
		*s += strspn(*s + 1, WHITESPACE) + 1;
		return old;
	}
	/* Allow only one '=' to be skipped */
	if ((*s)[0] == '=')
		wspace = 1;
	(*s)[0] = '\0';
	/* Skip any extra whitespace after first token */
	*s += strspn(*s + 1, WHITESPACE) + 1;
	if ((*s)[0] == '=' && !wspace)
		*s += strspn(*s + 1, WHITESPACE) + 1;
	return old;
}

void sshd_argv_free(struct sshd_argv *a)
{
	int i;

	for (i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
	a->v = NULL;
	a->n = 0;
}

int sshd_argv_split(const char *s, struct sshd_argv *out)
{
	struct sshd_argv a = {NULL, 0};
	char **nv, *arg;
	int quote, i, j;

	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] == ' ' || s[i] == '\t')
			continue;
		if (s[i] == '#')
			break;
		quote = 0;
		if ((nv = realloc(a.v, sizeof(*nv) * (size_t)(a.n + 2))) == NULL)
			goto oom;
		a.v = nv;
		a.v[a.n] = NULL;
		if ((arg = calloc(1, strlen(s + i) + 1)) == NULL)
			goto oom;
		a.v[a.n++] = arg;
		a.v[a.n] = NULL;
		for (j = 0; s[i] != '\0'; i++) {
			if (s[i] == '\\') {
				if (s[i + 1] == '\'' || s[i + 1] == '\"' || s[i + 1] == '\\' ||
				    (quote == 0 && s[i + 1] == ' ')) {
					i++; /* skip the backslash */
					arg[j++] = s[i];
				} else {
					arg[j++] = s[i]; /* unrecognised escape */
				}
			} else if (quote == 0 && (s[i] == ' ' || s[i] == '\t')) {
				break;
			} else if (quote == 0 && (s[i] == '\"' || s[i] == '\'')) {
				quote = s[i];
			} else if (quote != 0 && s[i] == quote) {
				quote = 0;
			} else {
				arg[j++] = s[i];
			}
		}
		if (s[i] == '\0') {
			if (quote != 0) {
				sshd_argv_free(&a);
				return SD_ERR_INVALID;
			}
			break;
		}
	}
	*out = a;
	return SD_OK;
oom:
	sshd_argv_free(&a);
	return SD_ERR_ALLOC;
}

int sshd_strtonum(const char *s, long long min, long long max, long long *out)
{
	char *ep;
	long long v;

	if (s == NULL)
		return -1;
	errno = 0;
	v = strtoll(s, &ep, 10);
	if (s == ep || *ep != '\0')
		return -1;
	if ((v == LLONG_MIN && errno == ERANGE) || v < min)
		return -1;
	if ((v == LLONG_MAX && errno == ERANGE) || v > max)
		return -1;
	*out = v;
	return 0;
}

int sshd_atoi(const char *s, int *out)
{
	long long v;

	if (s == NULL || *s == '\0' || sshd_strtonum(s, 0, INT_MAX, &v) != 0)
		return -1;
	*out = (int)v;
	return 0;
}

static int time_multiplier(char c, long *mult)
{
	switch (c) {
	case '\0':
	case 's':
	case 'S':
		*mult = 1;
		return 0;
	case 'm':
	case 'M':
		*mult = 60;
		return 0;
	case 'h':
	case 'H':
		*mult = 3600;
		return 0;
	case 'd':
	case 'D':
		*mult = 86400;
		return 0;
	case 'w':
	case 'W':
		*mult = 604800;
		return 0;
	}
	return -1;
}

/* OpenSSH <= 9.7: strtol() for each number. */
static int convtime_strtol(const char *s)
{
	long total = 0, secs, mult;
	const char *p = s;
	char *endp;

	if (p == NULL || *p == '\0')
		return -1;
	while (*p) {
		errno = 0;
		secs = strtol(p, &endp, 10);
		if (p == endp || (errno == ERANGE && (secs == INT_MIN || secs == INT_MAX)) ||
		    secs < 0)
			return -1;
		if (time_multiplier(*endp, &mult) != 0)
			return -1;
		if (*endp != '\0')
			endp++;
		if (secs > INT_MAX / mult)
			return -1;
		secs *= mult;
		if (total > INT_MAX - secs)
			return -1;
		total += secs;
		p = endp;
	}
	return (int)total;
}

/* OpenSSH >= 9.8: digits only, each group through strtonum(). */
static int convtime_digits(const char *s)
{
	long total = 0, secs, mult;
	const char *p = s, *np;
	char num[32];
	long long v;
	size_t n;

	if (s == NULL || *s == '\0')
		return -1;
	while (*p) {
		for (np = p; isdigit((unsigned char)*np); np++)
			;
		n = (size_t)(np - p);
		if (n == 0 || n >= sizeof(num))
			return -1;
		memcpy(num, p, n);
		num[n] = '\0';
		if (sshd_strtonum(num, 0, INT_MAX, &v) != 0)
			return -1;
		secs = (long)v;
		if (time_multiplier(*np, &mult) != 0)
			return -1;
		if (secs > INT_MAX / mult)
			return -1;
		secs *= mult;
		if (total > INT_MAX - secs)
			return -1;
		total += secs;
		p = *np ? np + 1 : np;
	}
	return (int)total;
}

int sshd_convtime(const char *s, int version)
{
	return version >= 908 ? convtime_digits(s) : convtime_strtol(s);
}

int sshd_a2port(const char *s)
{
	long long v;

	if (s == NULL)
		return -1;
	if (sshd_strtonum(s, 0, 65535, &v) == 0)
		return (int)v;
	if (strcmp(s, "ssh") == 0)
		return 22;
	return -1;
}

char *sshd_hpdelim(char **cp)
{
	char *s, *old;

	if (cp == NULL || *cp == NULL)
		return NULL;
	old = s = *cp;
	if (*s == '[') {
		if ((s = strchr(s, ']')) == NULL)
			return NULL;
		s++;
	} else if ((s = strpbrk(s, ":/")) == NULL) {
		s = *cp + strlen(*cp);
	}
	switch (*s) {
	case '\0':
		*cp = NULL;
		break;
	case ':':
		*s = '\0';
		*cp = s + 1;
		break;
	default: /* '/' (hpdelim() refuses it) or garbage after ']' */
		return NULL;
	}
	return old;
}

char *sshd_cleanhostname(char *host)
{
	size_t n = strlen(host);

	if (n > 0 && host[0] == '[' && host[n - 1] == ']') {
		host[n - 1] = '\0';
		return host + 1;
	}
	return host;
}

#define SCALE_LENGTH 7
#define MAX_DIGITS   (SCALE_LENGTH * 3)

int sshd_scan_scaled(const char *scaled, long long *result)
{
	static const char scale_chars[] = "BKMGTPE";
	const char *p = scaled;
	int sign = 0;
	unsigned int i, ndigits = 0, fract_digits = 0;
	long long scale_fact, whole = 0, fpart = 0;

	while (isascii((unsigned char)*p) && isspace((unsigned char)*p))
		++p;
	while (*p == '-' || *p == '+') {
		if (sign)
			return -1;
		sign = *p == '-' ? -1 : 1;
		++p;
	}
	for (; isascii((unsigned char)*p) && (isdigit((unsigned char)*p) || *p == '.'); ++p) {
		if (*p == '.') {
			if (fract_digits > 0)
				return -1;
			fract_digits = 1;
			continue;
		}
		i = (unsigned)(*p - '0');
		if (fract_digits > 0) {
			if (fract_digits >= MAX_DIGITS - 1)
				continue;
			fract_digits++;
			if (fpart > LLONG_MAX / 10)
				return -1;
			fpart *= 10;
			if ((long long)i > LLONG_MAX - fpart)
				return -1;
			fpart += i;
		} else {
			if (++ndigits >= MAX_DIGITS)
				return -1;
			if (whole > LLONG_MAX / 10)
				return -1;
			whole *= 10;
			if ((long long)i > LLONG_MAX - whole)
				return -1;
			whole += i;
		}
	}
	if (sign)
		whole *= sign;
	if (!*p) {
		*result = whole;
		return 0;
	}
	for (i = 0; i < SCALE_LENGTH; i++) {
		if (*p != scale_chars[i] && *p != tolower((unsigned char)scale_chars[i]))
			continue;
		scale_fact = 1LL << (10 * i); /* 1024^i, i <= 6 */
		if (isalnum((unsigned char)p[1]))
			return -1;
		if (whole > LLONG_MAX / scale_fact || whole < LLONG_MIN / scale_fact)
			return -1;
		whole *= scale_fact;
		while (fpart >= LLONG_MAX / scale_fact || fpart <= LLONG_MIN / scale_fact) {
			fpart /= 10;
			fract_digits--;
		}
		fpart *= scale_fact;
		if (fract_digits > 0) {
			for (i = 0; i < fract_digits - 1; i++)
				fpart /= 10;
		}
		whole = sign == -1 ? whole - fpart : whole + fpart;
		*result = whole;
		return 0;
	}
	return -1;
}
