/* ssh -G output (probe/sshcfg.h) and the client-side rendering helpers (probe/client.h). */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "probe/client.h"
#include "probe/sshcfg.h"

#include "t.h"
#include "tests.h"

/* What OpenSSH 9.2's `ssh -G -F cfg lab` printed (abridged; order and case as printed). */
static const char ssh_g_92[] =
    "User root\n"
    "hostname 192.0.2.1\n"
    "port 2222\n"
    "addressfamily inet\n"
    "batchmode no\n"
    "proxyusefdpass no\n"
    "bindaddress 192.0.2.20\n"
    "connecttimeout 3\n"
    "kexalgorithms curve25519-sha256\n"
    "userknownhostsfile /root/.ssh/known_hosts /root/.ssh/known_hosts2\n";

void test_sshcfg_reads_what_ssh_g_prints(void)
{
	struct ssh_client_config c;

	if (!CHECK_EQ_INT(ssh_config_parse(ssh_g_92, strlen(ssh_g_92), &c), SD_OK))
		return;
	CHECK_STREQ(c.hostname, "192.0.2.1");
	CHECK_EQ_INT(c.port, 2222);
	CHECK_STREQ(c.user, "root"); /* "User" capitalised by 9.2 */
	CHECK_EQ_INT(c.family, 4);
	CHECK_STREQ(c.bind_address, "192.0.2.20");
	CHECK(c.bind_interface == NULL);
	CHECK_EQ_INT(c.connect_timeout_s, 3);
	CHECK(c.proxy_jump == NULL && c.proxy_command == NULL);
	ssh_config_release(&c);
}

void test_sshcfg_none_and_defaults(void)
{
	static const char t[] = "hostname h.example\r\nport 22\r\naddressfamily any\r\n"
	                        "connecttimeout none\r\nproxyjump none\r\nproxycommand none\r\n"
	                        "bindaddress none\r\n";
	struct ssh_client_config c;

	if (!CHECK_EQ_INT(ssh_config_parse(t, strlen(t), &c), SD_OK))
		return;
	CHECK_STREQ(c.hostname, "h.example"); /* CR stripped */
	CHECK_EQ_INT(c.family, 0);
	CHECK_EQ_INT(c.connect_timeout_s, 0);
	CHECK(c.proxy_jump == NULL && c.proxy_command == NULL && c.bind_address == NULL);
	ssh_config_release(&c);
}

void test_sshcfg_proxies_kept_verbatim_and_escaped(void)
{
	static const char t[] = "hostname pc\nport 22\nproxyjump bob@jump.example:2200,other\n"
	                        "proxycommand nc -X 5 -x 127.0.0.1:1080 %h %p\n"
	                        "bindinterface wg\0331\naddressfamily inet6\n";
	struct ssh_client_config c;

	if (!CHECK_EQ_INT(ssh_config_parse(t, sizeof(t) - 1, &c), SD_OK))
		return;
	CHECK_STREQ(c.proxy_jump, "bob@jump.example:2200,other");
	CHECK_STREQ(c.proxy_command, "nc -X 5 -x 127.0.0.1:1080 %h %p");
	CHECK(c.bind_interface && !strchr(c.bind_interface, '\033')); /* escaped for terminals */
	CHECK_EQ_INT(c.family, 6);
	ssh_config_release(&c);
}

void test_sshcfg_rejects_what_is_not_ssh_g(void)
{
	struct ssh_client_config c;
	char *big;

	CHECK_EQ_INT(ssh_config_parse("", 0, &c), SD_ERR_INVALID);
	CHECK_EQ_INT(ssh_config_parse("port 22\n", 8, &c), SD_ERR_INVALID);
	CHECK_EQ_INT(ssh_config_parse("hostname\n", 9, &c), SD_ERR_INVALID); /* no value */
	/* bad numbers read as "none", not as garbage */
	CHECK_EQ_INT(ssh_config_parse("hostname h\nport 99999\nconnecttimeout -1\n", 38, &c),
	             SD_OK);
	CHECK_EQ_INT(c.port, 0);
	CHECK_EQ_INT(c.connect_timeout_s, 0);
	ssh_config_release(&c);
	if ((big = calloc(1, SSHCFG_MAX_INPUT + 1)) != NULL) {
		CHECK_EQ_INT(ssh_config_parse(big, SSHCFG_MAX_INPUT + 1, &c), SD_ERR_TOO_LONG);
		free(big);
	}
}

static void jump(const char *spec, const char *user, const char *host, unsigned port)
{
	struct ssh_jump j;

	if (!CHECK_EQ_INT(ssh_jump_first(spec, &j), SD_OK)) {
		FAIL("jump was \"%s\"", spec);
		return;
	}
	CHECK_STREQ(j.user, user);
	CHECK_STREQ(j.host, host);
	CHECK_EQ_INT(j.port, port);
	ssh_jump_release(&j);
}

void test_sshcfg_jump_first_hop(void)
{
	struct ssh_jump j;

	jump("bob@jump.example:2200,other", "bob", "jump.example", 2200);
	jump("jumper", NULL, "jumper", 0);
	jump("[2001:db8::7]:2222", NULL, "2001:db8::7", 2222);
	jump("ssh://alice@bastion:22,x", "alice", "bastion", 22);
	CHECK_EQ_INT(ssh_jump_first("", &j), SD_ERR_INVALID);
	CHECK_EQ_INT(ssh_jump_first(",b", &j), SD_ERR_INVALID);
	CHECK_EQ_INT(ssh_jump_first("h:0", &j), SD_ERR_INVALID);
	CHECK_EQ_INT(ssh_jump_first("a b", &j), SD_ERR_INVALID);
}

void test_client_env_proxy_credentials_removed(void)
{
	struct probe_client c;

	memset(&c, 0, sizeof(c));
	CHECK_EQ_INT(probe_client_add_proxy(&c, "environment", "https_proxy",
	                                    "http://alice:s3cret@proxy.example:3128/", 0),
	             SD_OK);
	CHECK_EQ_INT(probe_client_add_proxy(&c, "environment", "all_proxy", "socks5://p:1080", 0),
	             SD_OK);
	CHECK_EQ_INT(probe_client_add_proxy(&c, "proxy_command", "ProxyCommand", "nc u@h %p", 1),
	             SD_OK);
	CHECK_STREQ(c.proxies[0].value, "http://***@proxy.example:3128/");
	CHECK_STREQ(c.proxies[1].value, "socks5://p:1080");
	CHECK_STREQ(c.proxies[2].value, "nc u@h %p"); /* a command is shown as configured */
	probe_client_release(&c);
}

void test_client_text_wraps_at_80_columns(void)
{
	struct probe_client c;
	struct probe_result r;
	struct buf out;
	const char *p, *nl;

	memset(&c, 0, sizeof(c));
	if (!CHECK_EQ_INT(
	        probe_result_init(&r, "a-rather-long-alias.example.org", "192.0.2.1", 2222), SD_OK))
		return;
	c.host = "a-rather-long-alias.example.org";
	c.ssh_config = 1;
	c.config_note = strdup("ssh -G -F /home/someone/.ssh/config.d/work a-rather-long-alias");
	c.cfg.hostname = strdup("192.0.2.1");
	c.cfg.port = 2222;
	c.cfg.user = strdup("someone");
	c.cfg.bind_address = strdup("192.0.2.20");
	c.cfg.connect_timeout_s = 10;
	c.cfg.proxy_command = strdup("nc -X 5 -x 127.0.0.1:1080 %h %p");
	buf_init(&out, 1 << 16);
	CHECK_EQ_INT(probe_client_headline(&c, &r, &out), SD_OK);
	CHECK_EQ_INT(probe_client_to_text(&c, &r, &out), SD_OK);
	for (p = out.data; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!CHECK(nl && nl - p <= 80))
			break;
	}
	CHECK(strstr(out.data, "ssh goes through a ProxyCommand") != NULL);
	CHECK(strstr(out.data, "BindAddress 192.0.2.20") != NULL);
	buf_release(&out);
	probe_client_release(&c);
	probe_result_release(&r);
}

void test_client_sources_side_by_side(void)
{
	struct probe_result a, b;
	struct probe_client ca, cb;
	const struct probe_result *rv[2] = {&a, &b};
	const struct probe_client *cv[2] = {&ca, &cb};
	struct probe_attempt at;
	struct buf out;

	memset(&ca, 0, sizeof(ca));
	memset(&cb, 0, sizeof(cb));
	ca.source = "192.0.2.10";
	cb.source = "192.0.2.20";
	if (!CHECK_EQ_INT(probe_result_init(&a, "lab", "192.0.2.1", 2222), SD_OK) ||
	    !CHECK_EQ_INT(probe_result_init(&b, "lab", "192.0.2.1", 2222), SD_OK))
		return;
	memset(&at, 0, sizeof(at));
	at.outcome = OUTCOME_RESET_BEFORE_BANNER;
	at.detail = strdup("x");
	probe_result_add_attempt(&a, &at);
	a.outcome = OUTCOME_RESET_BEFORE_BANNER;
	b.outcome = OUTCOME_OK;
	b.banner_line = strdup("SSH-2.0-OpenSSH_9.2");
	buf_init(&out, 1 << 16);
	CHECK_EQ_INT(probe_sources_table(rv, cv, 2, &out), SD_OK);
	CHECK(strstr(out.data, "lab from each source address:\n") != NULL);
	CHECK(strstr(out.data, "  192.0.2.10      192.0.2.1:2222        reset_before_banner x\n") !=
	      NULL);
	CHECK(strstr(out.data, "  192.0.2.20      192.0.2.1:2222        ok                  "
	                       "SSH-2.0-OpenSSH_9.2\n") != NULL);
	/* a local block is what the row says, whatever the attempts showed */
	ca.fw.blocked = 1;
	buf_reset(&out);
	CHECK_EQ_INT(probe_sources_table(rv, cv, 2, &out), SD_OK);
	CHECK(strstr(out.data, "reset_before_banner this machine's firewall\n") != NULL);
	buf_release(&out);
	ca.source = cb.source = NULL; /* borrowed */
	probe_result_release(&a);
	probe_result_release(&b);
}
