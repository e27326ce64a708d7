/*
 * causes.h — the stable vocabulary of the report: layers, causes, severities, verdicts.
 *
 * These ids appear in JSON output and are a contract: add new ones at the end of a table,
 * never rename or renumber.  Every table is an X-macro so the enum, its name and its text
 * cannot drift apart.
 */
#ifndef SSHDIAG_CORE_CAUSES_H
#define SSHDIAG_CORE_CAUSES_H

/* Layers in the order a connection meets them; `logs` is evidence, not a gate. */
#define SD_LAYERS(X)                                                                               \
	X(LAYER_LISTEN, "listen", "listening socket")                                              \
	X(LAYER_FIREWALL, "firewall", "host firewall (iptables, nftables, ipset)")                 \
	X(LAYER_BANS, "bans", "ban tools (fail2ban, sshguard, denyhosts)")                         \
	X(LAYER_TCP_WRAPPERS, "tcp_wrappers", "TCP wrappers (hosts.allow, hosts.deny)")            \
	X(LAYER_SSHD_ADMISSION, "sshd_admission", "sshd admission control")                        \
	X(LAYER_SSHD_HEALTH, "sshd_health", "sshd health")                                         \
	X(LAYER_LOGS, "logs", "log evidence")

enum layer_id {
#define SD_LAYER_ENUM(id, name, text) id,
	SD_LAYERS(SD_LAYER_ENUM)
#undef SD_LAYER_ENUM
	    LAYER__COUNT
};

#define SD_LAYER_STATUSES(X)                                                                       \
	X(LAYER_EVALUATED, "evaluated")                                                            \
	X(LAYER_NOT_APPLICABLE, "not_applicable")                                                  \
	X(LAYER_UNREADABLE, "unreadable")                                                          \
	X(LAYER_NOT_IMPLEMENTED, "not_implemented")

enum layer_status {
#define SD_LS_ENUM(id, name) id,
	SD_LAYER_STATUSES(SD_LS_ENUM)
#undef SD_LS_ENUM
};

/*
 * Causes: id, JSON name, and what the real OpenSSH client (9.x) prints when this cause stops
 * it (empty when it depends on details the finding supplies).
 */
#define SD_CAUSES(X)                                                                               \
	X(CAUSE_NOT_LISTENING, "not_listening", "Connection refused")                              \
	X(CAUSE_SSHD_NOT_RUNNING, "sshd_not_running", "Connection refused")                        \
	X(CAUSE_FIREWALL_REJECT, "firewall_reject", "Connection refused")                          \
	X(CAUSE_FIREWALL_DROP, "firewall_drop", "Connection timed out")                            \
	X(CAUSE_FAIL2BAN_BAN, "fail2ban_ban", "")                                                  \
	X(CAUSE_SSHGUARD_BAN, "sshguard_ban", "Connection timed out")                              \
	X(CAUSE_DENYHOSTS_ENTRY, "denyhosts_entry",                                                \
	  "kex_exchange_identification: read: Connection reset by peer")                           \
	X(CAUSE_TCP_WRAPPERS_DENY, "tcp_wrappers_deny",                                            \
	  "kex_exchange_identification: read: Connection reset by peer")                           \
	X(CAUSE_MAX_STARTUPS, "max_startups", "")                                                  \
	X(CAUSE_PER_SOURCE_MAX_STARTUPS, "per_source_max_startups", "")                            \
	X(CAUSE_PER_SOURCE_PENALTY, "per_source_penalty", "")                                      \
	X(CAUSE_REFUSE_CONNECTION, "refuse_connection", "")                                        \
	X(CAUSE_SSHD_SESSION_MISSING, "sshd_session_missing", "")                                  \
	X(CAUSE_SSHD_CONFIG_INVALID, "sshd_config_invalid", "")                                    \
	X(CAUSE_HOST_KEYS_UNUSABLE, "host_keys_unusable", "")                                      \
	X(CAUSE_WRONG_SERVICE, "wrong_service", "")                                                \
	X(CAUSE_FIREWALL_RESET, "firewall_reset",                                                  \
	  "kex_exchange_identification: read: Connection reset by peer")                           \
	X(CAUSE_NETWORK_PATH, "network_path", "")                                                  \
	X(CAUSE_ALGORITHM_MISMATCH, "algorithm_mismatch", "")                                      \
	X(CAUSE_LAYER_UNREADABLE, "layer_unreadable", "")                                          \
	X(CAUSE_LISTENER_STALLED, "listener_stalled",                                              \
	  "Connection timed out during banner exchange")                                           \
	X(CAUSE_TCP_WRAPPERS_LINT, "tcp_wrappers_lint", "")                                        \
	X(CAUSE_PRIVSEP_DIR_MISSING, "privsep_dir_missing", "")                                    \
	X(CAUSE_AUTH_REJECTED, "auth_rejected", "Permission denied (publickey)")                   \
	X(CAUSE_HOST_KEY_MISMATCH, "host_key_mismatch", "Host key verification failed.")           \
	X(CAUSE_LOCAL_FIREWALL, "local_firewall", "")

enum cause_id {
#define SD_CAUSE_ENUM(id, name, sees) id,
	SD_CAUSES(SD_CAUSE_ENUM)
#undef SD_CAUSE_ENUM
	    CAUSE__COUNT
};

#define SD_SEVERITIES(X)                                                                           \
	X(SEVERITY_BLOCKER, "blocker")                                                             \
	X(SEVERITY_RISK, "risk")                                                                   \
	X(SEVERITY_INFO, "info")

enum severity {
#define SD_SEV_ENUM(id, name) id,
	SD_SEVERITIES(SD_SEV_ENUM)
#undef SD_SEV_ENUM
};

#define SD_VERDICTS(X)                                                                             \
	X(VERDICT_CLEAR, "clear", 0)                                                               \
	X(VERDICT_BLOCKED, "blocked", 1)                                                           \
	X(VERDICT_INTERMITTENT, "intermittent", 1)                                                 \
	X(VERDICT_INCONCLUSIVE, "inconclusive", 3)

enum verdict {
#define SD_VERDICT_ENUM(id, name, code) id,
	SD_VERDICTS(SD_VERDICT_ENUM)
#undef SD_VERDICT_ENUM
};

/* Process exit codes (the CLI contract). */
enum sd_exit {
	SD_EXIT_CLEAR = 0,
	SD_EXIT_PROBLEM = 1,
	SD_EXIT_USAGE = 2,
	SD_EXIT_INCONCLUSIVE = 3,
	SD_EXIT_INTERNAL = 4,
};

const char *layer_name(enum layer_id id);
const char *layer_text(enum layer_id id);
const char *layer_status_name(enum layer_status st);
const char *cause_name(enum cause_id id);
/* What the client prints for this cause, or "" when the finding must say. */
const char *cause_client_sees(enum cause_id id);
/* Looks a cause up by its JSON name; -1 when unknown. */
int cause_from_name(const char *name);
const char *severity_name(enum severity s);
const char *verdict_name(enum verdict v);
enum sd_exit verdict_exit_code(enum verdict v);

#endif
