/*
 * err.h — one table of error codes for the whole program.
 *
 * Functions that can fail return 0 (SD_OK) or a negative SD_ERR_* value and write their
 * outputs only on success.  Codes are stable: never renumber, retire by leaving a gap.
 */
#ifndef SSHDIAG_BASE_ERR_H
#define SSHDIAG_BASE_ERR_H

#define SD_ERRORS(X)                                                                               \
	X(SD_OK, 0, "success")                                                                     \
	X(SD_ERR_ALLOC, -1, "out of memory")                                                       \
	X(SD_ERR_INVALID, -2, "malformed input")                                                   \
	X(SD_ERR_TRUNCATED, -3, "input ends early")                                                \
	X(SD_ERR_TOO_LONG, -4, "input exceeds a limit")                                            \
	X(SD_ERR_IO, -5, "input/output error")                                                     \
	X(SD_ERR_NOT_FOUND, -6, "not found")                                                       \
	X(SD_ERR_PERM, -7, "permission denied")                                                    \
	X(SD_ERR_ESCAPE, -8, "path leaves the root directory")                                     \
	X(SD_ERR_TIMEOUT, -9, "timed out")                                                         \
	X(SD_ERR_UNSUPPORTED, -10, "not supported")                                                \
	X(SD_ERR_NOT_REGULAR, -11, "not a regular file")                                           \
	X(SD_ERR_USAGE, -12, "usage error")

enum sd_err {
#define SD_ERR_ENUM(name, value, text) name = value,
	SD_ERRORS(SD_ERR_ENUM)
#undef SD_ERR_ENUM
};

/* A static, human-readable text for any SD_ERR_* value (unknown codes included). */
const char *sd_strerror(int err);

#endif
