#include "base/cursor.h"

#include "base/err.h"

int cur_get_u8(struct cursor *c, uint8_t *ret)
{
	if (c->len < 1)
		return SD_ERR_TRUNCATED;
	*ret = c->p[0];
	c->p++;
	c->len--;
	return SD_OK;
}

int cur_get_u32(struct cursor *c, uint32_t *ret)
{
	if (c->len < 4)
		return SD_ERR_TRUNCATED;
	*ret = (uint32_t)c->p[0] << 24 | (uint32_t)c->p[1] << 16 | (uint32_t)c->p[2] << 8 |
	       (uint32_t)c->p[3];
	c->p += 4;
	c->len -= 4;
	return SD_OK;
}

int cur_get_bytes(struct cursor *c, size_t n, const uint8_t **ret)
{
	if (c->len < n)
		return SD_ERR_TRUNCATED;
	if (ret)
		*ret = c->p;
	c->p += n;
	c->len -= n;
	return SD_OK;
}

int cur_get_sshstring(struct cursor *c, size_t max, const uint8_t **ret, size_t *ret_len)
{
	struct cursor save = *c;
	uint32_t n;
	int r;

	if ((r = cur_get_u32(c, &n)) != 0)
		return r;
	if (n > max) {
		*c = save;
		return SD_ERR_TOO_LONG;
	}
	if (c->len < n) {
		*c = save;
		return SD_ERR_TRUNCATED;
	}
	*ret = c->p;
	*ret_len = n;
	c->p += n;
	c->len -= n;
	return SD_OK;
}
