/*
 * tests.h — every firewall unit test, in the order they run (see tests/unit/tests.h).
 */
#ifndef SSHDIAG_TESTS_FIREWALL_TESTS_H
#define SSHDIAG_TESTS_FIREWALL_TESTS_H

#define FIREWALL_TESTS(X)                                                                          \
	/* test_parse.c */                                                                         \
	X(ipt_tables_chains_policies_numbers_lines)                                                \
	X(ipt_rule_numbers_per_chain_when_interleaved)                                             \
	X(ipt_legacy_header_and_counters_and_quotes)                                               \
	X(ipt_unknown_match_is_kept_as_unmodelled)                                                 \
	X(ipt_masks_negations_and_old_syntax)                                                      \
	X(ipt_undeclared_chain_and_bad_line_are_noted)                                             \
	X(ipt_reject_with_every_spelling)                                                          \
	X(ipt_implicit_tcp_match_and_port_names)                                                   \
	X(ipt_sniff_family)                                                                        \
	X(ipset_membership_most_specific_nomatch)                                                  \
	X(ipset_list_set_and_unsupported_types)                                                    \
	X(ipset_rule_uses_set_and_missing_set_is_uncertain)                                        \
	X(nft_tables_chains_sets_rules)                                                            \
	X(nft_set_elements_vmap_and_inet_families)                                                 \
	X(nft_rejects_what_is_not_nft_json)                                                        \
	X(nft_reset_keeps_its_hidden_tcp_dependency)                                               \
	X(nft_xt_and_unknown_statements_are_unmodelled)                                            \
	X(nft_iptables_nft_copy_is_skipped)                                                        \
	X(nft_rule_text_in_nft_syntax)                                                             \
	/* test_eval.c */                                                                          \
	X(eval_accept_ends_only_its_base_chain)                                                    \
	X(eval_priority_order_decides_which_blocker_speaks)                                        \
	X(eval_jump_goto_return_semantics)                                                         \
	X(eval_return_in_base_chain_is_policy)                                                     \
	X(eval_nat_chains_see_new_packets_only)                                                    \
	X(eval_run_index_agrees_with_scan)                                                         \
	X(eval_marks_set_in_mangle_are_seen_in_filter)                                             \
	X(eval_raw_table_sees_no_conntrack)                                                        \
	X(eval_notrack_hides_the_state)                                                            \
	X(eval_equal_priority_disagreement_is_flagged)                                             \
	X(eval_goto_loop_hits_the_budget)                                                          \
	X(eval_interface_unknown_but_never_loopback)                                               \
	X(answer_reject_errnos)                                                                    \
	X(answer_after_the_handshake)                                                              \
	X(answer_dropped_reply_turns_refusal_into_silence)                                         \
	X(answer_rate_limits_are_rate_dependent)                                                   \
	X(answer_server_address_unknown_is_context)                                                \
	/* test_layer.c */                                                                         \
	X(layer_fail2ban_blocker_evidence_owner_fix)                                               \
	X(layer_offline_lines_are_file_lines)                                                      \
	X(layer_fixes_by_kind)                                                                     \
	X(layer_nft_set_element_fix_and_source)                                                    \
	X(layer_reset_established_cause)                                                           \
	X(layer_rate_limit_is_a_risk)                                                              \
	X(layer_unreadable_inputs_and_remedy)                                                      \
	X(layer_partial_read_blocker_still_counts)                                                 \
	X(layer_other_family_not_read_is_unreadable)                                               \
	X(layer_clear_when_everything_accepts)                                                     \
	X(layer_no_client_lists_blocked_addresses)                                                 \
	X(layer_no_client_everyone_blocked_is_blocker)                                             \
	X(owner_recognition)                                                                       \
	/* test_limits.c */                                                                        \
	X(limits_long_line_is_too_long)                                                            \
	X(limits_too_many_words_is_noted_not_fatal)                                                \
	X(limits_every_prefix_of_each_input)                                                       \
	X(limits_deep_json_expression_is_bounded)                                                  \
	/* test_local.c */                                                                         \
	X(local_output_drop_stops_the_syn)                                                         \
	X(local_output_reject_refuses_at_once)                                                     \
	X(local_input_policy_needs_established)                                                    \
	X(local_server_side_rules_do_not_apply)                                                    \
	X(local_version_string_dropped_hangs)                                                      \
	X(local_fw_evaluate_names_chain_and_rule)

FIREWALL_TESTS(T_PROTO)

#endif
