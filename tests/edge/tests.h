/*
 * tests.h — every edge test (rootfs against temp trees, the prober against local servers), in
 * the order they run.
 */
#ifndef SSHDIAG_TESTS_EDGE_TESTS_H
#define SSHDIAG_TESTS_EDGE_TESTS_H

#define EDGE_TESTS(X)                                                                              \
	X(rootfs_reads_regular_file)                                                               \
	X(rootfs_missing_and_directory)                                                            \
	X(rootfs_absolute_symlink_resolves_inside_root)                                            \
	X(rootfs_absolute_symlink_never_reads_host)                                                \
	X(rootfs_dotdot_escape_never_reads_host)                                                   \
	X(rootfs_fifo_is_not_regular_and_does_not_block)                                           \
	X(rootfs_file_over_cap_is_too_long)                                                        \
	X(rootfs_open_missing_root)                                                                \
	X(rootfs_live_mode_reads_host_file)                                                        \
	X(rootfs_readlink_opendir_and_proc_snapshot)                                               \
	X(prober_ok_with_real_kexinit)                                                             \
	X(prober_ok_when_banner_and_kexinit_share_a_segment)                                       \
	X(prober_closed_before_banner)                                                             \
	X(prober_reset_before_banner_linger0)                                                      \
	X(prober_close_with_unread_ident_is_reset)                                                 \
	X(prober_http_is_not_ssh)                                                                  \
	X(prober_exceeded_maxstartups_is_refused_by_sshd)                                          \
	X(prober_not_allowed_is_refused_by_sshd)                                                   \
	X(prober_closed_port_is_refused)                                                           \
	X(prober_silent_server_times_out_banner)                                                   \
	X(prober_waiting_does_not_spin)                                                            \
	X(prober_closed_after_banner)                                                              \
	X(prober_timeout_kexinit)                                                                  \
	X(prober_disconnect_text_is_kept_sanitised)                                                \
	X(prober_bad_version_is_protocol_error)                                                    \
	X(prober_hostile_endless_lines_is_not_ssh_fast)                                            \
	X(prober_hostile_10mb_line_is_not_ssh_fast)                                                \
	X(prober_hostile_packet_length_is_protocol_error)                                          \
	X(prober_repeat_counts_every_attempt)                                                      \
	X(prober_many_targets_keep_input_order)                                                    \
	X(prober_bad_spec_is_reported_by_index)                                                    \
	X(prober_immediate_reset_is_never_local_error)                                             \
	X(prober_sshd_style_maxstartups_drop_is_refused_by_sshd)

EDGE_TESTS(T_PROTO)

#endif
