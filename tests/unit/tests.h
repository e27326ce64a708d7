/*
 * tests.h — every unit test, in the order they run.  A test defined in a test_*.c file must be
 * listed here (its prototype comes from this list, so -Wmissing-prototypes flags one that is
 * not).
 */
#ifndef SSHDIAG_TESTS_UNIT_TESTS_H
#define SSHDIAG_TESTS_UNIT_TESTS_H

#define UNIT_TESTS(X)                                                                              \
	/* test_buf.c */                                                                           \
	X(buf_init_is_empty_string)                                                                \
	X(buf_grows_past_initial_allocation)                                                       \
	X(buf_add_binary_keeps_nul)                                                                \
	X(buf_cap_refuses_and_leaves_content)                                                      \
	X(buf_cap_on_partial_fit)                                                                  \
	X(buf_addf_appends_formatted)                                                              \
	X(buf_addf_long_output_grows)                                                              \
	X(buf_sanitized_escapes_control_high_backslash)                                            \
	X(buf_sanitized_output_is_printable_for_all_bytes)                                         \
	X(buf_sanitized_over_cap_is_rolled_back)                                                   \
	X(buf_wrapped_breaks_at_width_with_indent)                                                 \
	X(buf_wrapped_cuts_a_long_word_after_a_comma)                                              \
	X(buf_detach_hands_over_and_empties)                                                       \
	X(buf_detach_of_empty_is_malloced)                                                         \
	X(buf_reset_keeps_memory)                                                                  \
	X(sanitized_strndup_copies_and_respects_max)                                               \
	/* test_cursor.c */                                                                        \
	X(cursor_u8_reads_and_truncates)                                                           \
	X(cursor_u32_is_big_endian)                                                                \
	X(cursor_u32_truncated_leaves_cursor)                                                      \
	X(cursor_bytes_reads_and_truncates)                                                        \
	X(cursor_sshstring_reads)                                                                  \
	X(cursor_sshstring_exactly_max_is_ok)                                                      \
	X(cursor_sshstring_over_max_leaves_cursor)                                                 \
	X(cursor_sshstring_huge_length_is_too_long_not_truncated)                                  \
	X(cursor_sshstring_truncated_body_leaves_cursor)                                           \
	X(cursor_sshstring_truncated_length_leaves_cursor)                                         \
	/* test_banner.c */                                                                        \
	X(banner_single_chunk_equals_bytewise)                                                     \
	X(banner_kind_does_not_depend_on_chunking)                                                 \
	X(banner_pre_lines_kept_max_8_and_counted)                                                 \
	X(banner_pre_line_truncated_to_keep_chars)                                                 \
	X(banner_consumed_stops_at_version_line)                                                   \
	X(banner_feed_after_done_consumes_nothing)                                                 \
	X(banner_needs_more_consumes_everything)                                                   \
	X(banner_crlf_and_bare_lf)                                                                 \
	X(banner_version_parts)                                                                    \
	X(banner_no_comments_is_null)                                                              \
	X(banner_proto_1_99_accepted)                                                              \
	X(banner_ssh1_is_bad_version)                                                              \
	X(banner_empty_software_is_bad_version)                                                    \
	X(banner_no_dash_is_bad_version)                                                           \
	X(banner_9000_byte_line_is_too_long)                                                       \
	X(banner_line_of_max_length_is_accepted)                                                   \
	X(banner_1025_pre_lines_is_too_many)                                                       \
	X(banner_1024_pre_lines_then_version_is_done)                                              \
	X(banner_nul_sets_invalid_chars)                                                           \
	X(banner_stray_cr_sets_invalid_chars)                                                      \
	X(banner_long_version_line_flagged)                                                        \
	X(banner_classify_kinds)                                                                   \
	X(banner_feed_records_kind)                                                                \
	X(banner_sshd_refusal_lines)                                                               \
	X(banner_openssh_version_parses)                                                           \
	X(banner_openssh_version_rejects)                                                          \
	X(banner_release_is_reusable)                                                              \
	/* test_kexinit.c */                                                                       \
	X(kexinit_frame_finds_payload)                                                             \
	X(kexinit_parses_every_list)                                                               \
	X(kexinit_flags_absent)                                                                    \
	X(kexinit_real_openssh_92)                                                                 \
	X(kexinit_every_truncation_fails)                                                          \
	X(kexinit_packet_length_2_31_is_too_long)                                                  \
	X(kexinit_packet_length_just_over_max)                                                     \
	X(kexinit_padding_longer_than_packet_is_invalid)                                           \
	X(kexinit_padding_under_4_is_invalid)                                                      \
	X(kexinit_wrong_message_type_is_invalid)                                                   \
	X(kexinit_empty_name_is_invalid)                                                           \
	X(kexinit_non_ascii_name_is_invalid)                                                       \
	X(kexinit_name_length_limit)                                                               \
	X(kexinit_too_many_names)                                                                  \
	X(kexinit_list_over_limit_is_too_long)                                                     \
	X(kexinit_list_names)                                                                      \
	X(disconnect_parses_and_sanitises)                                                         \
	X(disconnect_long_text_is_capped)                                                          \
	X(disconnect_rejects_wrong_type_and_truncation)                                            \
	/* test_outcome.c */                                                                       \
	X(classify_connect_failures)                                                               \
	X(classify_before_banner_ends)                                                             \
	X(classify_refused_by_sshd_maxstartups)                                                    \
	X(classify_refused_by_sshd_not_allowed)                                                    \
	X(classify_not_ssh_http_then_eof)                                                          \
	X(classify_banner_limits_are_not_ssh)                                                      \
	X(classify_after_banner_ends)                                                              \
	X(classify_protocol_errors)                                                                \
	X(classify_ok)                                                                             \
	X(outcome_names)                                                                           \
	X(classify_partial_version_line_timeout)                                                   \
	/* test_result.c */                                                                        \
	X(result_deterministic_counts)                                                             \
	X(result_intermittent_most_frequent)                                                       \
	X(result_tie_goes_to_the_failure)                                                          \
	X(result_reset_at_5s_ranks_tcp_wrappers_first)                                             \
	X(result_fast_reset_does_not_rank_tcp_wrappers_first)                                      \
	X(result_intermittent_close_ranks_max_startups_first)                                      \
	X(result_refused_ranks_not_listening_first)                                                \
	X(result_causes_have_reasons_and_no_duplicates)                                            \
	X(result_server_checks_for_failure)                                                        \
	X(result_no_checks_or_causes_for_ok)                                                       \
	X(result_refused_by_sshd_not_allowed_ranks_penalty_first)                                  \
	X(result_note_banner_keeps_first)                                                          \
	X(result_add_attempt_takes_detail)                                                         \
	X(result_deep_stage_outcome_wins_over_ok)                                                  \
	X(result_deep_stage_does_not_hide_banner_failures)                                         \
	X(result_auth_methods_is_success)                                                          \
	X(result_conclude_twice_is_idempotent)                                                     \
	X(result_reset_and_close_before_banner_are_one_pattern)                                    \
	/* test_elf.c */                                                                           \
	X(elf_needed)                                                                              \
	X(elf_truncated_never_reads_past_end)                                                      \
	X(elf_not_elf)                                                                             \
	X(elf_openssh_version)                                                                     \
	/* test_target.c */                                                                        \
	X(target_host)                                                                             \
	X(target_host_port)                                                                        \
	X(target_default_port_is_used)                                                             \
	X(target_bracketed_v6)                                                                     \
	X(target_bare_v6)                                                                          \
	X(target_ssh_url)                                                                          \
	X(target_invalid_ports)                                                                    \
	X(target_invalid_forms)                                                                    \
	X(target_release_twice_is_safe)                                                            \
	X(target_ssh_url_trailing_slash_after_port)                                                \
	X(target_slashes_are_not_a_host)                                                           \
	/* test_diagnosis.c */                                                                     \
	X(diagnosis_init_is_not_implemented_and_inconclusive)                                      \
	X(diagnosis_all_evaluated_no_findings_is_clear)                                            \
	X(diagnosis_not_applicable_still_clear)                                                    \
	X(diagnosis_one_unevaluated_layer_is_inconclusive)                                         \
	X(diagnosis_risk_is_intermittent)                                                          \
	X(diagnosis_info_only_does_not_change_clear)                                               \
	X(diagnosis_blockers_sorted_by_layer)                                                      \
	X(diagnosis_sort_is_stable_within_a_layer)                                                 \
	X(diagnosis_unreadable_plus_blocker_is_blocked)                                            \
	X(diagnosis_enforcing_rule_yields_to_the_ban)                                              \
	X(diagnosis_blocked_table_sorted_and_capped)                                               \
	X(diagnosis_finding_fields)                                                                \
	X(diagnosis_set_layer_rejects_bad_layer)                                                   \
	X(causes_names_and_lookup)                                                                 \
	X(causes_every_name_round_trips)                                                           \
	X(conn_parse_and_format)                                                                   \
	X(conn_parse_rejects)                                                                      \
	X(conn_prefix_match)                                                                       \
	X(conn_unset_address_matches_nothing)                                                      \
	/* test_report.c */                                                                        \
	X(report_diagnosis_json_top_level)                                                         \
	X(report_diagnosis_json_findings)                                                          \
	X(report_diagnosis_json_layers_in_order)                                                   \
	X(report_diagnosis_json_escapes_hostile_text)                                              \
	X(report_probe_json_keys)                                                                  \
	X(report_probe_json_without_kexinit_is_null)                                               \
	X(report_diagnosis_text_fits_80_columns)                                                   \
	X(report_diagnosis_text_color_only_when_asked)                                             \
	X(report_diagnosis_text_verdict_lines)                                                     \
	X(report_enforced_ban_decides_and_fixes_once)                                              \
	X(report_no_client_table)                                                                  \
	X(report_probe_text_fits_80_columns)                                                       \
	/* test_sshcfg.c */                                                                        \
	X(sshcfg_reads_what_ssh_g_prints)                                                          \
	X(sshcfg_none_and_defaults)                                                                \
	X(sshcfg_proxies_kept_verbatim_and_escaped)                                                \
	X(sshcfg_rejects_what_is_not_ssh_g)                                                        \
	X(sshcfg_jump_first_hop)                                                                   \
	X(client_env_proxy_credentials_removed)                                                    \
	X(client_text_wraps_at_80_columns)                                                         \
	X(client_sources_side_by_side)                                                             \
	/* test_explain.c */                                                                       \
	X(explain_old_wording_is_banner_exchange)                                                  \
	X(explain_most_decisive_line_wins)                                                         \
	X(explain_close_after_host_key_is_authentication)                                          \
	X(explain_server_line_names_the_client)                                                    \
	X(explain_permission_denied_is_not_pre_auth)                                               \
	X(explain_unknown_text_is_not_recognised)                                                  \
	X(explain_shell_metacharacters_stay_out_of_commands)                                       \
	X(explain_text_fits_80_columns)                                                            \
	/* test_bundle.c */                                                                        \
	X(sha256_known_vectors)                                                                    \
	X(tar_header_ustar_fields_and_checksum)                                                    \
	X(tar_header_long_name_splits_or_uses_pax)                                                 \
	X(redact_denied_paths)                                                                     \
	X(redact_private_keys_and_binaries)                                                        \
	X(redact_text_replaces_crypt_hashes_in_place)                                              \
	X(bundle_stat_find_exact_path_and_bounds)                                                  \
	X(bundle_sshd_t_and_journal_records)

UNIT_TESTS(T_PROTO)

#endif
