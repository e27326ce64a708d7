/*
 * edge.c — io/collect_firewall.h in its file modes, against temporary trees: the bundle's
 * names, the persistent-rules fallback, sosreport and nftables.conf notes, explicit files.
 * (Live mode runs commands; it is exercised inside network namespaces by the lab hook,
 * tests/firewall/lab/after.sh, never against this host's firewall.)
 * Links the edge and the core.  Ends with "firewall-edge: N passed, N failed".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/err.h"
#include "firewall/layer.h"
#include "io/collect_firewall.h"
#include "io/rootfs.h"

#include "../unit/t.h"

static char tree[256];

static void put(const char *rel, const char *text)
{
	char path[512], *p;
	FILE *f;

	snprintf(path, sizeof(path), "%s%s", tree, rel);
	for (p = path + strlen(tree) + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	if ((f = fopen(path, "w")) != NULL) {
		fputs(text, f);
		fclose(f);
	}
}

static void rm_tree(void)
{
	char cmd[300];

	/* our own mkdtemp directory under /tmp */
	if (strncmp(tree, "/tmp/sdfw-edge.", 15) == 0) {
		snprintf(cmd, sizeof(cmd), "rm -rf -- '%s'", tree);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", tree);
	}
}

static int new_tree(void)
{
	strcpy(tree, "/tmp/sdfw-edge.XXXXXX");
	return mkdtemp(tree) != NULL;
}

static const struct firewall_input *find(const struct collected_firewall *c, const char *origin)
{
	size_t i;

	for (i = 0; i < c->in.n; i++)
		if (strcmp(c->in.in[i].origin, origin) == 0)
			return &c->in.in[i];
	return NULL;
}

static const char ipt[] = "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -s 192.0.2.10/32 -j DROP\n"
                          "COMMIT\n";

static void test_bundle_files_are_found(void)
{
	struct collect_firewall_opts o;
	struct collected_firewall c;
	const struct firewall_input *x;
	struct rootfs fs;

	if (!CHECK(new_tree()))
		return;
	put("/sshdiag/iptables-save.txt", ipt);
	put("/sshdiag/nft-ruleset.json", "{\"nftables\": []}\n");
	put("/etc/iptables/rules.v4", "*filter\nCOMMIT\n"); /* not read: the bundle has v4 */
	memset(&o, 0, sizeof(o));
	if (CHECK_EQ_INT(rootfs_open(&fs, tree), SD_OK)) {
		CHECK_EQ_INT(collect_firewall(&fs, &o, &c), SD_OK);
		/* a bundle's captures are cited as their commands, like the live run */
		CHECK_EQ_INT(c.in.live, 1);
		CHECK_EQ_INT(c.in.n, 2);
		x = find(&c, "iptables-save");
		if (CHECK(x != NULL)) {
			CHECK_EQ_INT(x->state, FW_INPUT_PRESENT);
			CHECK_EQ_INT(x->len, strlen(ipt));
			CHECK_EQ_INT(x->kind, FW_IN_IPTABLES);
		}
		CHECK(find(&c, "nft -j list ruleset") != NULL);
		CHECK(find(&c, "/etc/iptables/rules.v4") == NULL);
		CHECK(c.in.remedy != NULL);
		collected_firewall_release(&c);
		rootfs_close(&fs);
	}
	rm_tree();
}

static void test_persistent_rules_and_notes(void)
{
	struct collect_firewall_opts o;
	struct collected_firewall c;
	struct rootfs fs;

	if (!CHECK(new_tree()))
		return;
	put("/etc/sysconfig/iptables", ipt);
	put("/etc/sysconfig/ipset", "create s hash:ip\n");
	memset(&o, 0, sizeof(o));
	if (CHECK_EQ_INT(rootfs_open(&fs, tree), SD_OK)) {
		CHECK_EQ_INT(collect_firewall(&fs, &o, &c), SD_OK);
		CHECK_EQ_INT(c.in.n, 2);
		CHECK(find(&c, "/etc/sysconfig/iptables") != NULL);
		CHECK(c.in.note && strstr(c.in.note, "loaded at boot"));
		collected_firewall_release(&c);
		rootfs_close(&fs);
	}
	rm_tree();
	if (!CHECK(new_tree()))
		return;
	put("/sos_commands/firewall_tables/nft_-a_list_ruleset", "table inet t {\n}\n");
	if (CHECK_EQ_INT(rootfs_open(&fs, tree), SD_OK)) {
		CHECK_EQ_INT(collect_firewall(&fs, &o, &c), SD_OK);
		CHECK_EQ_INT(c.in.n, 0);
		CHECK(c.in.note && strstr(c.in.note, "sosreport"));
		collected_firewall_release(&c);
		rootfs_close(&fs);
	}
	rm_tree();
}

static void test_explicit_files_only(void)
{
	struct collect_firewall_opts o;
	struct collected_firewall c;
	const struct firewall_input *x;
	struct rootfs fs;
	char path[1024], cwd[512];

	if (!CHECK(new_tree()))
		return;
	put("/v6.txt", "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -s 2001:db8::/32 -j DROP\nCOMMIT\n");
	put("/sshdiag/iptables-save.txt", ipt); /* ignored: explicit files are used alone */
	snprintf(path, sizeof(path), "%s/v6.txt", tree);
	memset(&o, 0, sizeof(o));
	o.iptables_save = path;
	o.nft_json = "no-such-file.json";
	if (CHECK_EQ_INT(rootfs_open(&fs, tree), SD_OK) &&
	    CHECK(getcwd(cwd, sizeof(cwd)) != NULL)) {
		CHECK_EQ_INT(collect_firewall(&fs, &o, &c), SD_OK);
		CHECK_EQ_INT(c.in.n, 2);
		x = find(&c, path);
		if (CHECK(x != NULL)) {
			CHECK_EQ_INT(x->state, FW_INPUT_PRESENT);
			CHECK_EQ_INT(x->kind, FW_IN_IP6TABLES); /* sniffed from the addresses */
		}
		snprintf(path, sizeof(path), "%s/no-such-file.json", cwd);
		x = find(&c, path);
		if (CHECK(x != NULL)) {
			CHECK_EQ_INT(x->state, FW_INPUT_FAILED);
			CHECK_STREQ(x->why, "no such file");
		}
		collected_firewall_release(&c);
		rootfs_close(&fs);
	}
	rm_tree();
}

static void test_layer_on_a_tree(void)
{
	struct collect_firewall_opts o;
	struct collected_firewall c;
	struct conn_spec spec;
	struct diagnosis d;
	struct rootfs fs;

	if (!CHECK(new_tree()))
		return;
	put("/etc/iptables/rules.v4", ipt);
	memset(&o, 0, sizeof(o));
	memset(&spec, 0, sizeof(spec));
	ip_addr_parse("192.0.2.10", &spec.client);
	spec.port = 22;
	if (CHECK_EQ_INT(rootfs_open(&fs, tree), SD_OK) &&
	    CHECK_EQ_INT(collect_firewall(&fs, &o, &c), SD_OK) &&
	    CHECK_EQ_INT(diagnosis_init(&d, "192.0.2.10", 22, NULL), SD_OK)) {
		CHECK_EQ_INT(firewall_layer_evaluate(&c.in, &spec, &d), SD_OK);
		CHECK_EQ_INT(d.layers[LAYER_FIREWALL].status, LAYER_EVALUATED);
		if (CHECK_EQ_INT(d.nfindings, 1)) {
			CHECK_EQ_INT(d.findings[0]->cause, CAUSE_FIREWALL_DROP);
			CHECK_STREQ(d.findings[0]->evidence[0].source, "/etc/iptables/rules.v4");
			CHECK_EQ_INT(d.findings[0]->evidence[0].line, 3);
		}
		diagnosis_release(&d);
		collected_firewall_release(&c);
		rootfs_close(&fs);
	}
	rm_tree();
}

static void test_nothing_found_is_unreadable_with_remedy(void)
{
	struct collect_firewall_opts o;
	struct collected_firewall c;
	struct conn_spec spec;
	struct diagnosis d;
	struct rootfs fs;

	if (!CHECK(new_tree()))
		return;
	memset(&o, 0, sizeof(o));
	memset(&spec, 0, sizeof(spec));
	spec.port = 22;
	if (CHECK_EQ_INT(rootfs_open(&fs, tree), SD_OK) &&
	    CHECK_EQ_INT(collect_firewall(&fs, &o, &c), SD_OK) &&
	    CHECK_EQ_INT(diagnosis_init(&d, NULL, 22, NULL), SD_OK)) {
		CHECK_EQ_INT(firewall_layer_evaluate(&c.in, &spec, &d), SD_OK);
		CHECK_EQ_INT(d.layers[LAYER_FIREWALL].status, LAYER_UNREADABLE);
		CHECK(strstr(d.layers[LAYER_FIREWALL].note, "--nft-json") != NULL);
		diagnosis_release(&d);
		collected_firewall_release(&c);
		rootfs_close(&fs);
	}
	rm_tree();
}

int main(int argc, char **argv)
{
	static const struct t_test tests[] = {
	    {"bundle_files_are_found", test_bundle_files_are_found},
	    {"persistent_rules_and_notes", test_persistent_rules_and_notes},
	    {"explicit_files_only", test_explicit_files_only},
	    {"layer_on_a_tree", test_layer_on_a_tree},
	    {"nothing_found_is_unreadable_with_remedy",
	     test_nothing_found_is_unreadable_with_remedy},
	};

	return t_run("firewall-edge", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
