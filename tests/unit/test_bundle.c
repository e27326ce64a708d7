/* The pure half of `sshdiag bundle`: SHA-256, ustar headers, redaction. */
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/sha256.h"
#include "bundle/records.h"
#include "bundle/redact.h"
#include "bundle/tar.h"

#include "t.h"
#include "tests.h"

static void hex_of(const char *s, size_t len, char out[65])
{
	struct sha256 h;

	sha256_init(&h);
	sha256_update(&h, s, len);
	sha256_hex(&h, out);
}

void test_sha256_known_vectors(void)
{
	char hex[65], big[1001];
	struct sha256 h;
	size_t i;

	hex_of("", 0, hex);
	CHECK_STREQ(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	hex_of("abc", 3, hex);
	CHECK_STREQ(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	hex_of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, hex);
	CHECK_STREQ(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	/* a million 'a', fed in uneven pieces */
	memset(big, 'a', sizeof(big));
	sha256_init(&h);
	for (i = 0; i < 1000; i++)
		sha256_update(&h, big, i % 2 ? 999 : 1001);
	sha256_hex(&h, hex);
	CHECK_STREQ(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

static unsigned field_octal(const unsigned char *h, size_t off, size_t len)
{
	unsigned v = 0;
	size_t i;

	for (i = off; i < off + len && h[i] >= '0' && h[i] <= '7'; i++)
		v = v * 8 + (h[i] - '0');
	return v;
}

void test_tar_header_ustar_fields_and_checksum(void)
{
	struct tar_member m = {.name = "etc/ssh/sshd_config",
	                       .type = TAR_FILE,
	                       .mode = 0644,
	                       .uid = 0,
	                       .gid = 0,
	                       .size = 1234,
	                       .mtime = 1700000000};
	const unsigned char *h;
	unsigned sum = 0, i;
	struct buf b;

	buf_init(&b, 1 << 16);
	CHECK_EQ_INT(tar_header(&b, &m), SD_OK);
	CHECK_EQ_INT(b.len, 512);
	h = (const unsigned char *)b.data;
	CHECK_STREQ((const char *)h, "etc/ssh/sshd_config");
	CHECK_EQ_INT(field_octal(h, 100, 7), 0644);
	CHECK_EQ_INT(field_octal(h, 124, 11), 1234);
	CHECK_EQ_INT(h[156], '0');
	CHECK(memcmp(h + 257,
	             "ustar\0"
	             "00",
	             8) == 0);
	for (i = 0; i < 512; i++)
		sum += i >= 148 && i < 156 ? ' ' : h[i];
	CHECK_EQ_INT(field_octal(h, 148, 6), sum);
	CHECK_EQ_INT(tar_padding(1234), 512 - 1234 % 512);
	CHECK_EQ_INT(tar_padding(1024), 0);
	buf_release(&b);
}

void test_tar_header_long_name_splits_or_uses_pax(void)
{
	char name[300], link[200];
	struct tar_member m = {.type = TAR_FILE, .mode = 0600};
	struct buf b;

	/* 150 bytes with a '/' at 60: fits as prefix + name */
	memset(name, 'a', 150);
	name[60] = '/';
	name[150] = '\0';
	m.name = name;
	buf_init(&b, 1 << 16);
	CHECK_EQ_INT(tar_header(&b, &m), SD_OK);
	CHECK_EQ_INT(b.len, 512);
	CHECK(memcmp(b.data + 345, name, 60) == 0);
	CHECK(memcmp(b.data, name + 61, 89) == 0);
	/* 250 bytes without a usable '/': a pax "path" record first */
	buf_reset(&b);
	memset(name, 'b', 250);
	name[250] = '\0';
	CHECK_EQ_INT(tar_header(&b, &m), SD_OK);
	CHECK_EQ_INT(b.len, 3 * 512);
	CHECK_EQ_INT(b.data[156], 'x');
	CHECK(strstr(b.data + 512, " path=bbbb") != NULL);
	/* the record's length counts itself: "254 path=…\n" */
	CHECK(strncmp(b.data + 512, "260 path=", 9) == 0);
	CHECK_EQ_INT(b.data[1024 + 156], '0');
	/* a long symlink target: pax "linkpath" */
	buf_reset(&b);
	memset(link, 'c', 150);
	link[150] = '\0';
	m.name = "proc/1/exe";
	m.type = TAR_SYMLINK;
	m.linkname = link;
	CHECK_EQ_INT(tar_header(&b, &m), SD_OK);
	CHECK(strstr(b.data + 512, " linkpath=ccc") != NULL);
	CHECK_EQ_INT(b.data[1024 + 156], '2');
	m.name = "";
	CHECK_EQ_INT(tar_header(&b, &m), SD_ERR_INVALID);
	buf_release(&b);
}

void test_redact_denied_paths(void)
{
	CHECK(redact_denied_path("/etc/shadow"));
	CHECK(redact_denied_path("/etc/gshadow-"));
	CHECK(redact_denied_path("/etc/tcb/root/shadow"));
	CHECK(!redact_denied_path("/etc/shadowsocks.json"));
	CHECK(!redact_denied_path("/etc/passwd"));
}

void test_redact_private_keys_and_binaries(void)
{
	static const char openssh[] = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn...\n";
	static const char pem[] = "-----BEGIN RSA PRIVATE KEY-----\nMIIE...\n";
	static const char pub[] = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI planted\n";

	CHECK(redact_has_private_key(openssh, strlen(openssh)));
	CHECK(redact_has_private_key(pem, strlen(pem)));
	CHECK(!redact_has_private_key(pub, strlen(pub)));
	CHECK(redact_is_binary("\x7f"
	                       "ELF\2\1\1",
	                       7));
	CHECK(redact_is_binary("SQLite format 3\0....", 20));
	CHECK(!redact_is_binary(pub, strlen(pub)));
}

static char *redacted(const char *in, unsigned *n)
{
	static char out[1024];
	struct buf b;

	buf_init(&b, 4096);
	if (redact_text(in, strlen(in), &b, n) != SD_OK)
		return NULL;
	snprintf(out, sizeof(out), "%s", b.data);
	buf_release(&b);
	return out;
}

void test_redact_text_replaces_crypt_hashes_in_place(void)
{
	unsigned n = 0;

	CHECK_STREQ(redacted("root:$6$saltsalt$abcdefghijklmnopqrstuv:19000:0::\n", &n),
	            "root:[REDACTED]:19000:0::\n");
	CHECK_EQ_INT(n, 1);
	CHECK_STREQ(
	    redacted("a $y$j9T$salt12345678$hashhashhash b\nc $2b$12$saltsaltsaltsaltsaltsu\n", &n),
	    "a [REDACTED] b\nc [REDACTED]\n");
	CHECK_EQ_INT(n, 2);
	/* not hashes: shell variables, prices, a bare "$6$" */
	CHECK_STREQ(redacted("echo $HOME $6 costs $5$ and $6$x\n", &n),
	            "echo $HOME $6 costs $5$ and $6$x\n");
	CHECK_EQ_INT(n, 0);
	/* line count and the rest of the line stay */
	CHECK_STREQ(redacted("x\n$1$abcdefgh$ijklmnopqrstuvwxyz0123\ny", &n), "x\n[REDACTED]\ny");
	CHECK_EQ_INT(n, 1);
}

void test_bundle_stat_find_exact_path_and_bounds(void)
{
	static const char tsv[] = "f 600 0 0 /etc/ssh/key\n"
	                          "d 755 0 0 /run/sshd\n"
	                          "f 9999 0 0 /bad/mode\n"
	                          "f 644 0 /short\n"
	                          "f 640 1000 1001 /srv/a key";
	struct bundle_stat st;

	CHECK_EQ_INT(bundle_stat_find(tsv, strlen(tsv), "/etc/ssh/key", &st), 1);
	CHECK_EQ_INT(st.type, 'f');
	CHECK_EQ_INT(st.mode, 0600);
	CHECK_EQ_INT(bundle_stat_find(tsv, strlen(tsv), "/run/sshd", &st), 1);
	CHECK_EQ_INT(st.type, 'd');
	/* a path with a blank, on the last line without a newline */
	CHECK_EQ_INT(bundle_stat_find(tsv, strlen(tsv), "/srv/a key", &st), 1);
	CHECK_EQ_INT(st.uid, 1000);
	CHECK_EQ_INT(st.gid, 1001);
	CHECK_EQ_INT(bundle_stat_find(tsv, strlen(tsv), "/etc/ssh/ke", &st), 0);
	CHECK_EQ_INT(bundle_stat_find(tsv, strlen(tsv), "/bad/mode", &st), 0);
	CHECK_EQ_INT(bundle_stat_find(tsv, strlen(tsv), "/short", &st), 0);
	/* the length given bounds the search: the first line cut short is not a match */
	CHECK_EQ_INT(bundle_stat_find(tsv, 15, "/etc/ssh/key", &st), 0);
}

void test_bundle_sshd_t_and_journal_records(void)
{
	static const char ok[] = "command: /usr/sbin/sshd -t -f /x\nexit: 255\n\n/x line 3: Bad\n";
	static const char jl[] =
	    "1700000000123456\tsshd\t42\tlab\tInvalid user a\tb from 192.0.2.1";
	struct bundle_sshd_t t;
	struct log_record rec;

	CHECK_EQ_INT(bundle_sshd_t_parse(ok, strlen(ok), &t), SD_OK);
	CHECK_EQ_INT(t.cmd_len, strlen("/usr/sbin/sshd -t -f /x"));
	CHECK_EQ_INT(t.status, 255);
	CHECK_EQ_INT(t.out_len, strlen("/x line 3: Bad\n"));
	CHECK_EQ_INT(bundle_sshd_t_parse("command: x\nexit: 1\nnot empty\n", 28, &t),
	             SD_ERR_INVALID);
	CHECK_EQ_INT(bundle_sshd_t_parse("command: x\nexit: 9999\n\n", 24, &t), SD_ERR_INVALID);
	CHECK_EQ_INT(bundle_sshd_t_parse("exit: 0\n\n", 9, &t), SD_ERR_INVALID);
	CHECK_EQ_INT(bundle_journal_line(jl, strlen(jl), &rec), SD_OK);
	CHECK_EQ_INT(rec.ts, 1700000000123456LL);
	CHECK_EQ_INT(rec.pid, 42);
	CHECK_EQ_INT(rec.ident_len, 4);
	/* the message keeps its own tab */
	CHECK_EQ_INT(rec.msg_len, strlen("Invalid user a\tb from 192.0.2.1"));
	CHECK_EQ_INT(bundle_journal_line("1\tsshd\tx\th\tm", 12, &rec), SD_ERR_INVALID);
	CHECK_EQ_INT(bundle_journal_line("1\tsshd\t42\th", 11, &rec), SD_ERR_INVALID);
	CHECK_EQ_INT(bundle_journal_line("zz\tsshd\t1\th\tm", 13, &rec), SD_OK);
	CHECK_EQ_INT(rec.ts, LOG_TS_NONE);
}
