/* kexinit: packet framing, KEXINIT and DISCONNECT parsing, on built and on real bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "ssh/kexinit.h"

#include "fixture_kexinit92.h"
#include "sshbytes.h"
#include "t.h"
#include "tests.h"

/* Builds a framed KEXINIT from `lists`. */
static void framed_kexinit(struct bytes *pkt, const char *const lists[KEX_LIST_COUNT])
{
	struct bytes pl = {0};

	kexinit_payload(&pl, lists, 0);
	ssh_frame(pkt, pl.d, pl.n, 8);
	bytes_free(&pl);
}

/* kexinit_parse on a payload with one list replaced. */
static int parse_with_list(enum kex_list which, const void *list, size_t n)
{
	struct bytes pl = {0};
	struct kexinit k;
	int i, r;

	bytes_u8(&pl, SSH_MSG_KEXINIT);
	bytes_raw(&pl, "0123456789abcdef", 16);
	for (i = 0; i < KEX_LIST_COUNT; i++) {
		if (i == (int)which)
			bytes_sshstring(&pl, list, n);
		else
			bytes_cstring(&pl, test_kex_lists[i]);
	}
	bytes_u8(&pl, 0);
	bytes_u32(&pl, 0);
	memset(&k, 0, sizeof(k));
	r = kexinit_parse(pl.d, pl.n, &k);
	if (r == SD_OK)
		kexinit_release(&k);
	bytes_free(&pl);
	return r;
}

void test_kexinit_frame_finds_payload(void)
{
	static const uint8_t payload[] = {SSH_MSG_IGNORE, 0, 0, 0, 0};
	struct bytes pkt = {0};
	const uint8_t *p = NULL;
	size_t n = 0, used = 0;

	ssh_frame(&pkt, payload, sizeof(payload), 6);
	bytes_raw(&pkt, "NEXT", 4); /* the following packet is not part of this one */
	CHECK_EQ_INT(ssh_packet_frame(pkt.d, pkt.n, &p, &n, &used), SD_OK);
	CHECK(p == pkt.d + 5);
	CHECK_EQ_INT(n, sizeof(payload));
	CHECK_EQ_INT(used, 4 + 1 + sizeof(payload) + 6);
	bytes_free(&pkt);
}

void test_kexinit_parses_every_list(void)
{
	struct bytes pkt = {0};
	struct kexinit k;
	const uint8_t *p;
	size_t n, used;
	int i;

	framed_kexinit(&pkt, test_kex_lists);
	CHECK_EQ_INT(ssh_packet_frame(pkt.d, pkt.n, &p, &n, &used), SD_OK);
	CHECK_EQ_INT(used, pkt.n);
	if (!CHECK_EQ_INT(kexinit_parse(p, n, &k), SD_OK))
		goto out;
	for (i = 0; i < 16; i++)
		CHECK_EQ_INT(k.cookie[i], i);
	CHECK_EQ_INT(k.lists[KEX_ALGS].n, 4);
	CHECK_STREQ(k.lists[KEX_ALGS].names[0], "curve25519-sha256");
	CHECK_STREQ(k.lists[KEX_ALGS].names[1], "ecdh-sha2-nistp256");
	CHECK_STREQ(k.lists[KEX_ALGS].names[2], "ext-info-s");
	CHECK_STREQ(k.lists[KEX_ALGS].names[3], "kex-strict-s-v00@openssh.com");
	CHECK_EQ_INT(k.lists[KEX_HOSTKEY].n, 2);
	CHECK_STREQ(k.lists[KEX_HOSTKEY].names[0], "ssh-ed25519");
	CHECK_STREQ(k.lists[KEX_HOSTKEY].names[1], "rsa-sha2-512");
	CHECK_EQ_INT(k.lists[KEX_ENC_C2S].n, 2);
	CHECK_STREQ(k.lists[KEX_ENC_C2S].names[0], "chacha20-poly1305@openssh.com");
	CHECK_STREQ(k.lists[KEX_ENC_C2S].names[1], "aes128-ctr");
	CHECK_EQ_INT(k.lists[KEX_ENC_S2C].n, 1);
	CHECK_STREQ(k.lists[KEX_ENC_S2C].names[0], "aes256-gcm@openssh.com");
	CHECK_EQ_INT(k.lists[KEX_MAC_C2S].n, 1);
	CHECK_STREQ(k.lists[KEX_MAC_C2S].names[0], "hmac-sha2-256-etm@openssh.com");
	CHECK_EQ_INT(k.lists[KEX_MAC_S2C].n, 1);
	CHECK_STREQ(k.lists[KEX_MAC_S2C].names[0], "hmac-sha2-512");
	CHECK_EQ_INT(k.lists[KEX_COMP_C2S].n, 2);
	CHECK_STREQ(k.lists[KEX_COMP_C2S].names[1], "zlib@openssh.com");
	CHECK_EQ_INT(k.lists[KEX_COMP_S2C].n, 1);
	CHECK_STREQ(k.lists[KEX_COMP_S2C].names[0], "none");
	CHECK_EQ_INT(k.lists[KEX_LANG_C2S].n, 0);
	CHECK_EQ_INT(k.lists[KEX_LANG_S2C].n, 1);
	CHECK_STREQ(k.lists[KEX_LANG_S2C].names[0], "en-US");
	CHECK_EQ_INT(k.strict_kex, 1);
	CHECK_EQ_INT(k.ext_info, 1);
	CHECK_EQ_INT(k.first_kex_follows, 0);
	CHECK_EQ_INT(namelist_has(&k.lists[KEX_HOSTKEY], "ssh-ed25519"), 1);
	CHECK_EQ_INT(namelist_has(&k.lists[KEX_HOSTKEY], "ssh-rsa"), 0);
	kexinit_release(&k);
	CHECK_EQ_INT(k.lists[KEX_ALGS].n, 0);
out:
	bytes_free(&pkt);
}

void test_kexinit_flags_absent(void)
{
	static const char *const lists[KEX_LIST_COUNT] = {
	    "curve25519-sha256",
	    "ssh-ed25519,kex-strict-s-v00@openssh.com", /* only counts in the kex list */
	    "aes128-ctr",
	    "aes128-ctr",
	    "hmac-sha2-256",
	    "hmac-sha2-256",
	    "none",
	    "none",
	    "",
	    ""};
	struct bytes pl = {0};
	struct kexinit k;

	kexinit_payload(&pl, lists, 1);
	if (CHECK_EQ_INT(kexinit_parse(pl.d, pl.n, &k), SD_OK)) {
		CHECK_EQ_INT(k.strict_kex, 0);
		CHECK_EQ_INT(k.ext_info, 0);
		CHECK_EQ_INT(k.first_kex_follows, 1);
		kexinit_release(&k);
	}
	bytes_free(&pl);
}

void test_kexinit_real_openssh_92(void)
{
	const uint8_t *p;
	size_t n, used;
	struct kexinit k;

	CHECK_EQ_INT(ssh_packet_frame(fixture_kexinit92, sizeof(fixture_kexinit92), &p, &n, &used),
	             SD_OK);
	CHECK_EQ_INT(used, sizeof(fixture_kexinit92));
	CHECK_EQ_INT(n, 1074);
	if (!CHECK_EQ_INT(kexinit_parse(p, n, &k), SD_OK))
		return;
	CHECK_EQ_INT(k.lists[KEX_ALGS].n, 12);
	CHECK_STREQ(k.lists[KEX_ALGS].names[0], "sntrup761x25519-sha512");
	CHECK_EQ_INT(namelist_has(&k.lists[KEX_ALGS], "curve25519-sha256"), 1);
	CHECK_EQ_INT(k.lists[KEX_HOSTKEY].n, 1);
	CHECK_STREQ(k.lists[KEX_HOSTKEY].names[0], "ssh-ed25519");
	CHECK_EQ_INT(k.lists[KEX_ENC_S2C].n, 6);
	CHECK_STREQ(k.lists[KEX_ENC_S2C].names[0], "chacha20-poly1305@openssh.com");
	CHECK_EQ_INT(k.lists[KEX_MAC_C2S].n, 10);
	CHECK_EQ_INT(k.lists[KEX_COMP_S2C].n, 2);
	CHECK_EQ_INT(k.lists[KEX_LANG_C2S].n, 0);
	CHECK_EQ_INT(k.lists[KEX_LANG_S2C].n, 0);
	CHECK_EQ_INT(k.strict_kex, 1); /* Debian backported the Terrapin countermeasure */
	CHECK_EQ_INT(k.ext_info, 0);   /* a server does not send ext-info-s before 9.6 */
	CHECK_EQ_INT(k.first_kex_follows, 0);
	kexinit_release(&k);
}

void test_kexinit_every_truncation_fails(void)
{
	struct bytes pkt = {0};
	const uint8_t *p;
	size_t i, n, used, payload_len, bad_frame = 0, bad_parse = 0;
	struct kexinit k;

	framed_kexinit(&pkt, test_kex_lists);
	/* every strict prefix of the packet needs more bytes */
	for (i = 0; i < pkt.n; i++) {
		uint8_t *copy =
		    malloc(i ? i : 1); /* an exact-size copy lets ASan catch overreads */
		if (!copy)
			break;
		memcpy(copy, pkt.d, i);
		if (ssh_packet_frame(copy, i, &p, &n, &used) != SD_ERR_TRUNCATED)
			bad_frame++;
		free(copy);
	}
	CHECK_EQ_INT(bad_frame, 0);
	if (!CHECK_EQ_INT(ssh_packet_frame(pkt.d, pkt.n, &p, &n, &used), SD_OK))
		goto out;
	payload_len = n;
	/* every strict prefix of the payload is an error, never a crash or a success */
	for (i = 0; i < payload_len; i++) {
		uint8_t *copy = malloc(i ? i : 1);
		int r;
		if (!copy)
			break;
		memcpy(copy, p, i);
		memset(&k, 0x5a, sizeof(k));
		r = kexinit_parse(copy, i, &k);
		if (r == SD_OK) {
			bad_parse++;
			kexinit_release(&k);
		} else if (r != SD_ERR_TRUNCATED) {
			FAIL("prefix of %zu bytes: %d, want SD_ERR_TRUNCATED", i, r);
		}
		free(copy);
	}
	CHECK_EQ_INT(bad_parse, 0);
out:
	bytes_free(&pkt);
}

void test_kexinit_packet_length_2_31_is_too_long(void)
{
	static const uint8_t in[] = {0x80, 0, 0, 0, 4, SSH_MSG_KEXINIT, 0, 0, 0, 0, 0, 0, 0};
	const uint8_t *p;
	size_t n, used;

	CHECK_EQ_INT(ssh_packet_frame(in, sizeof(in), &p, &n, &used), SD_ERR_TOO_LONG);
}

void test_kexinit_packet_length_just_over_max(void)
{
	uint8_t in[8] = {0};
	const uint8_t *p;
	size_t n, used;
	uint32_t len = SSH_PACKET_MAX + 1;

	in[0] = (uint8_t)(len >> 24);
	in[1] = (uint8_t)(len >> 16);
	in[2] = (uint8_t)(len >> 8);
	in[3] = (uint8_t)len;
	CHECK_EQ_INT(ssh_packet_frame(in, sizeof(in), &p, &n, &used), SD_ERR_TOO_LONG);
}

void test_kexinit_padding_longer_than_packet_is_invalid(void)
{
	/* packet_length 8: padding_length 9 cannot fit */
	static const uint8_t in[] = {0, 0, 0, 8, 9, 20, 1, 2, 3, 4, 5, 6};
	/* padding_length 7 + 1 == 8: an empty payload, which frames */
	static const uint8_t empty[] = {0, 0, 0, 8, 7, 1, 2, 3, 4, 5, 6, 7};
	const uint8_t *p;
	size_t n = 99, used = 99;

	CHECK_EQ_INT(ssh_packet_frame(in, sizeof(in), &p, &n, &used), SD_ERR_INVALID);
	CHECK_EQ_INT(ssh_packet_frame(empty, sizeof(empty), &p, &n, &used), SD_OK);
	CHECK_EQ_INT(n, 0);
	CHECK_EQ_INT(used, 12);
}

void test_kexinit_padding_under_4_is_invalid(void)
{
	static const uint8_t in[] = {0, 0, 0, 8, 3, 20, 1, 2, 3, 4, 5, 6};
	static const uint8_t tiny[] = {0, 0, 0, 4, 0, 0, 0, 0};
	const uint8_t *p;
	size_t n, used;

	CHECK_EQ_INT(ssh_packet_frame(in, sizeof(in), &p, &n, &used), SD_ERR_INVALID);
	CHECK_EQ_INT(ssh_packet_frame(tiny, sizeof(tiny), &p, &n, &used), SD_ERR_INVALID);
}

void test_kexinit_wrong_message_type_is_invalid(void)
{
	struct bytes pl = {0};
	struct kexinit k;

	kexinit_payload(&pl, test_kex_lists, 0);
	pl.d[0] = SSH_MSG_IGNORE;
	CHECK_EQ_INT(kexinit_parse(pl.d, pl.n, &k), SD_ERR_INVALID);
	bytes_free(&pl);
}

void test_kexinit_empty_name_is_invalid(void)
{
	CHECK_EQ_INT(parse_with_list(KEX_ALGS, "a,,b", 4), SD_ERR_INVALID);
	CHECK_EQ_INT(parse_with_list(KEX_HOSTKEY, "a,", 2), SD_ERR_INVALID);
	CHECK_EQ_INT(parse_with_list(KEX_HOSTKEY, ",a", 2), SD_ERR_INVALID);
	CHECK_EQ_INT(parse_with_list(KEX_ENC_C2S, ",", 1), SD_ERR_INVALID);
}

void test_kexinit_non_ascii_name_is_invalid(void)
{
	CHECK_EQ_INT(parse_with_list(KEX_ALGS, "curve25519-sha256,\xc3\xa9t\xc3\xa9", 23),
	             SD_ERR_INVALID);
	CHECK_EQ_INT(parse_with_list(KEX_MAC_S2C, "hmac\x01", 5), SD_ERR_INVALID);
	CHECK_EQ_INT(parse_with_list(KEX_MAC_S2C, "hmac sha", 8), SD_ERR_INVALID);
	CHECK_EQ_INT(parse_with_list(KEX_MAC_S2C, "hm\0ac", 5), SD_ERR_INVALID);
}

void test_kexinit_name_length_limit(void)
{
	char name[KEXINIT_NAME_MAX + 2];

	memset(name, 'n', sizeof(name));
	CHECK_EQ_INT(parse_with_list(KEX_ALGS, name, KEXINIT_NAME_MAX), SD_OK);
	CHECK_EQ_INT(parse_with_list(KEX_ALGS, name, KEXINIT_NAME_MAX + 1), SD_ERR_INVALID);
}

void test_kexinit_too_many_names(void)
{
	struct bytes l = {0};
	size_t i;

	for (i = 0; i < KEXINIT_NAMES_MAX; i++)
		bytes_raw(&l, i ? ",a" : "a", i ? 2 : 1);
	CHECK_EQ_INT(parse_with_list(KEX_ALGS, l.d, l.n), SD_OK);
	bytes_raw(&l, ",a", 2);
	CHECK_EQ_INT(parse_with_list(KEX_ALGS, l.d, l.n), SD_ERR_TOO_LONG);
	bytes_free(&l);
}

void test_kexinit_list_over_limit_is_too_long(void)
{
	char *big = malloc(KEXINIT_LIST_MAX + 1);

	if (!CHECK(big != NULL))
		return;
	memset(big, 'a', KEXINIT_LIST_MAX + 1);
	CHECK_EQ_INT(parse_with_list(KEX_ENC_S2C, big, KEXINIT_LIST_MAX + 1), SD_ERR_TOO_LONG);
	free(big);
}

void test_kexinit_list_names(void)
{
	CHECK_STREQ(kex_list_name(KEX_ALGS), "kex_algorithms");
	CHECK_STREQ(kex_list_name(KEX_HOSTKEY), "server_host_key_algorithms");
	CHECK_STREQ(kex_list_name(KEX_LANG_S2C), "languages_server_to_client");
	CHECK_STREQ(kex_list_name(KEX_LIST_COUNT), "unknown");
}

void test_disconnect_parses_and_sanitises(void)
{
	static const char text[] = "Too many\x07 users\r\n\x1b[31mred";
	struct bytes pl = {0}, pkt = {0};
	const uint8_t *p;
	size_t n, used;
	uint32_t reason = 0;
	char *desc = NULL;

	disconnect_payload(&pl, 12, text, sizeof(text) - 1);
	ssh_frame(&pkt, pl.d, pl.n, 4);
	CHECK_EQ_INT(ssh_packet_frame(pkt.d, pkt.n, &p, &n, &used), SD_OK);
	if (CHECK_EQ_INT(disconnect_parse(p, n, &reason, &desc), SD_OK)) {
		CHECK_EQ_INT(reason, 12);
		CHECK_STREQ(desc, "Too many\\x07 users\\x0d\\x0a\\x1b[31mred");
		free(desc);
	}
	bytes_free(&pl);
	bytes_free(&pkt);
}

void test_disconnect_long_text_is_capped(void)
{
	struct bytes pl = {0};
	char *text = malloc(5000), *desc = NULL;
	uint32_t reason;

	if (!CHECK(text != NULL))
		return;
	memset(text, 0x01, 5000); /* every byte expands to 4 */
	disconnect_payload(&pl, 2, text, 5000);
	if (CHECK_EQ_INT(disconnect_parse(pl.d, pl.n, &reason, &desc), SD_OK)) {
		CHECK(strlen(desc) <= 4096);
		CHECK(strlen(desc) > 0);
		free(desc);
	}
	bytes_free(&pl);
	free(text);
}

void test_disconnect_rejects_wrong_type_and_truncation(void)
{
	struct bytes pl = {0};
	uint32_t reason = 7;
	char *desc = NULL;
	size_t i;
	int ok = 0;

	disconnect_payload(&pl, 2, "bye", 3);
	/* the language tag is not read: everything up to the description is required */
	for (i = 0; i < 1 + 4 + 4 + 3; i++)
		if (disconnect_parse(pl.d, i, &reason, &desc) == SD_OK) {
			ok++;
			free(desc);
			desc = NULL;
		}
	CHECK_EQ_INT(ok, 0);
	CHECK_EQ_INT(reason, 7);
	CHECK(desc == NULL);
	pl.d[0] = SSH_MSG_KEXINIT;
	CHECK_EQ_INT(disconnect_parse(pl.d, pl.n, &reason, &desc), SD_ERR_INVALID);
	bytes_free(&pl);
}
