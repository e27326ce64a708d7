#include "base/err.h"

const char *sd_strerror(int err)
{
	switch (err) {
#define SD_ERR_CASE(name, value, text)                                                             \
	case value:                                                                                \
		return text;
		SD_ERRORS(SD_ERR_CASE)
#undef SD_ERR_CASE
	}
	return "unknown error";
}
