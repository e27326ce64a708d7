#!/usr/bin/env python3
"""Random rulesets for the firewall differential test.

gen.py --seed N --out DIR writes, for one case:
  DIR/ipset.rules          ipset restore input (may be empty)
  DIR/ipt4.rules           iptables-restore input, DIR/ipt4.backend = nft|legacy (or absent)
  DIR/ipt6.rules           ip6tables-restore input, same back-end (or absent)
  DIR/legacy4.rules        a second, legacy-only v4 ruleset in tables nft does not use (or absent)
  DIR/nft.rules            nft -f input (or absent)
  DIR/clients.txt          "CLIENT SERVER PORT" lines to try

Everything it generates is something the evaluator must decide with certainty:
user chains, jumps and gotos, returns, policies, masks (contiguous or not), negations,
ports, multiport, ct state, interfaces, addrtype/fib, marks set in mangle and matched in
filter, ipsets (hash:ip, hash:net with nomatch), nft named/anonymous sets, verdict maps,
every REJECT reply, output rules that drop SYN-ACKs, banners or the REJECT's replies.
No rate limits and no unmodelled matches: those have no single right answer."""
import argparse
import os
import random

IIF = "vc"
PORTS = (22, 2222)
SERVER4 = {"10.50": "10.50.255.1", "172.20": "172.20.9.254"}
SERVER6 = "fd50::ff"


def pool4():
    a = ["10.50.%d.%d" % (x, y) for x in range(4) for y in range(1, 51)]
    b = ["172.20.9.%d" % y for y in range(1, 41)]
    return a + b


def pool6():
    return ["fd50::%x:%x" % (x, y) for x in (1, 2) for y in range(1, 21)]


def server_for(addr):
    if ":" in addr:
        return SERVER6
    return SERVER4["10.50"] if addr.startswith("10.50.") else SERVER4["172.20"]


def v4int(a):
    p = [int(x) for x in a.split(".")]
    return (p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3]


def v4str(n):
    return "%d.%d.%d.%d" % (n >> 24 & 255, n >> 16 & 255, n >> 8 & 255, n & 255)


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.p4 = pool4()
        self.p6 = pool6()
        self.mentioned4 = []
        self.mentioned6 = []
        self.ipsets = {}  # name -> (family, type)
        self.marks = False

    # ---- values -------------------------------------------------------------
    def prefix4(self, plain=False):
        r = self.r
        a = r.choice(self.p4)
        self.mentioned4.append(a)
        n = v4int(a)
        if a.startswith("172.20."):
            lens = [24, 26, 28, 29, 30, 31, 32, 32]
        else:
            lens = [16, 20, 22, 23, 24, 25, 27, 28, 30, 32, 32, 32]
        if not plain and r.random() < 0.08:
            # non-contiguous: every x.y.*.LAST
            return "%s/255.255.0.255" % v4str(n & 0xFFFF00FF)
        if r.random() < 0.04:
            return "10.0.0.0/8" if a.startswith("10.") else "172.16.0.0/12"
        ln = r.choice(lens)
        mask = (0xFFFFFFFF << (32 - ln)) & 0xFFFFFFFF
        return "%s/%d" % (v4str(n & mask), ln)

    def range4(self):
        a, b = sorted(v4int(self.r.choice(self.p4)) for _ in range(2))
        self.mentioned4 += [v4str(a), v4str(b)]
        return v4str(a), v4str(b)

    def prefix6(self):
        a = self.r.choice(self.p6)
        self.mentioned6.append(a)
        x, y = a.split("::")[1].split(":")
        ln = self.r.choice([64, 112, 124, 126, 128, 128])
        if ln == 64:
            return "fd50::/64"
        if ln == 112:
            return "fd50::%s:0/112" % x
        yv = int(y, 16)
        m = (0xFFFF << (128 - ln)) & 0xFFFF
        return "fd50::%s:%x/%d" % (x, yv & m, ln)

    def port_spec(self):
        r = self.r.random()
        if r < 0.35:
            return "22"
        if r < 0.55:
            return "2222"
        if r < 0.7:
            return self.r.choice(["20:30", "2000:3000", "1:1024"])
        return self.r.choice(["80", "443", "8022"])

    # ---- iptables -------------------------------------------------------------
    def reject4(self, tcp):
        opts = ["icmp-port-unreachable", "icmp-host-unreachable", "icmp-net-unreachable",
                "icmp-proto-unreachable", "icmp-net-prohibited", "icmp-host-prohibited",
                "icmp-admin-prohibited"]
        if tcp:
            opts += ["tcp-reset", "tcp-reset"]
        return "-j REJECT --reject-with " + self.r.choice(opts)

    def reject6(self, tcp):
        opts = ["icmp6-port-unreachable", "icmp6-no-route", "icmp6-adm-prohibited",
                "icmp6-addr-unreachable", "icmp6-policy-fail", "icmp6-reject-route"]
        if tcp:
            opts += ["tcp-reset", "tcp-reset"]
        return "-j REJECT --reject-with " + self.r.choice(opts)

    def ipt_matches(self, v6, table, out=False):
        r = self.r
        m = []
        tcp = False
        if r.random() < (0.5 if not out else 0.3):
            pre = self.prefix6() if v6 else self.prefix4()
            m.append(("! " if r.random() < 0.2 else "") + ("-d " if out else "-s ") + pre)
        elif not v6 and r.random() < 0.1:
            lo, hi = self.range4()
            m.append("-m iprange %s--%s-range %s-%s" % ("! " if r.random() < 0.2 else "",
                                                      "dst" if out else "src", lo, hi))
        if not out and r.random() < 0.15:
            srv = SERVER6 if v6 else r.choice(list(SERVER4.values()))
            m.append(("! " if r.random() < 0.3 else "") + "-d %s/%d" % (srv, 128 if v6 else 32))
        if r.random() < 0.75:
            if r.random() < 0.95:
                m.append("-p tcp")
                tcp = True
            else:
                m.append("-p udp")
            if tcp and r.random() < 0.7:
                if r.random() < 0.75:
                    neg = "! " if r.random() < 0.15 else ""
                    m.append("-m tcp %s--%s %s" % (neg, "sport" if out else "dport",
                                                  self.port_spec()))
                else:
                    ports = ",".join(self.r.sample(["22", "2222", "80", "1000:1100", "8022"], 2))
                    neg = "! " if r.random() < 0.2 else ""
                    m.append("-m multiport %s--%s %s" % (neg, "sports" if out else "dports", ports))
            if tcp and r.random() < 0.15:
                m.append(r.choice(["--syn", "! --syn", "--tcp-flags SYN,ACK SYN",
                                   "--tcp-flags SYN,RST,ACK ACK"]))
        if r.random() < 0.3:
            st = r.choice(["NEW", "ESTABLISHED", "RELATED,ESTABLISHED", "INVALID", "RELATED",
                           "NEW,ESTABLISHED"])
            neg = "! " if r.random() < 0.1 else ""
            if r.random() < 0.7:
                m.append("-m conntrack %s--ctstate %s" % (neg, st))
            else:
                m.append("-m state %s--state %s" % (neg, st))
        if r.random() < 0.1 and table in ("filter", "mangle", "raw"):
            o = "-o" if out else "-i"
            m.append(r.choice(["%s %s" % (o, IIF), "%s v+" % o, "! %s lo" % o, "%s eth9" % o]))
        if not v6 and r.random() < 0.08 and not out:
            m.append("-m addrtype %s--dst-type %s" % ("! " if r.random() < 0.2 else "",
                                                      r.choice(["LOCAL", "UNICAST", "LOCAL,BROADCAST"])))
        if self.ipsets and r.random() < 0.2 and not out:
            cand = [n for n, (f, t) in self.ipsets.items() if (f == 6) == v6]
            if cand:
                m.append("-m set %s--match-set %s src" % ("! " if r.random() < 0.15 else "",
                                                          r.choice(cand)))
        if self.marks and table == "filter" and r.random() < 0.25:
            m.append("-m mark %s--mark 0x%x/0xff" % ("! " if r.random() < 0.2 else "",
                                                    r.choice([1, 2])))
        if r.random() < 0.05:
            m.append('-m comment --comment "diff case %d"' % r.randrange(100))
        if r.random() < 0.05:
            m.append("-m conntrack --ctdir %s" % r.choice(["ORIGINAL", "REPLY"]))
        if r.random() < 0.08:
            m.append("-m length %s--length %s" % ("! " if r.random() < 0.4 else "",
                                                 r.choice(["40:60", "0:56", "61:1500", "53:100",
                                                           "80:120", "72"])))
        if tcp and r.random() < 0.06 and not any("syn" in x or "tcp-flags" in x for x in m):
            m.append(r.choice(["--tcp-flags PSH PSH", "--tcp-flags PSH,ACK ACK",
                               "--tcp-flags ALL ACK"]))
        if r.random() < 0.04:
            m.append("-m pkttype %s--pkt-type %s" % ("! " if r.random() < 0.3 else "",
                                                     r.choice(["unicast", "broadcast"])))
        if out and not v6 and r.random() < 0.08:
            m.append("-m addrtype --src-type LOCAL")
        if out and r.random() < 0.15:
            # what REJECT sends back crosses output too
            m = [r.choice(["-p icmpv6" if v6 else "-p icmp",
                           "-p tcp --tcp-flags RST RST",
                           "-m conntrack --ctstate RELATED"])]
        return m, tcp

    def ipt_rule(self, chain, v6, table, chains_after, out=False, user=False):
        r = self.r
        m, tcp = self.ipt_matches(v6, table, out)
        x = r.random()
        if table == "mangle" and r.random() < 0.5:
            self.marks = True
            tgt = "-j MARK --set-xmark 0x%x/0xff" % r.choice([1, 2])
        elif chains_after and x < 0.3:
            tgt = ("-g " if r.random() < 0.25 else "-j ") + r.choice(chains_after)
        elif x < 0.5:
            tgt = "-j ACCEPT"
        elif x < 0.68:
            tgt = "-j DROP"
        elif x < 0.88 and table == "filter" and not out:
            # (a REJECT in output answers the host itself; that answer is not followed)
            tgt = (self.reject6 if v6 else self.reject4)(tcp)
        elif x < 0.93:
            tgt = '-j LOG --log-prefix "diff "'
        elif user or x < 0.96:
            tgt = "-j RETURN"
        else:
            tgt = "-j DROP"
        return "-A %s %s %s" % (chain, " ".join(m), tgt)

    def iptables(self, v6):
        r = self.r
        out = []
        tables = ["filter"]
        if r.random() < 0.3:
            tables.insert(0, "mangle")
        if r.random() < 0.15:
            tables.insert(0, "raw")
        if r.random() < 0.12:
            tables.append("nat")
        for t in tables:
            out.append("*" + t)
            if t == "filter":
                builtins = [("INPUT", r.choice(["ACCEPT", "ACCEPT", "DROP"])),
                            ("FORWARD", "ACCEPT"),
                            ("OUTPUT", "DROP" if r.random() < 0.12 else "ACCEPT")]
            elif t == "nat":
                builtins = [(c, "ACCEPT") for c in ("PREROUTING", "INPUT", "OUTPUT", "POSTROUTING")]
            elif t == "mangle":
                builtins = [(c, "ACCEPT") for c in ("PREROUTING", "INPUT", "FORWARD", "OUTPUT",
                                                    "POSTROUTING")]
            else:
                builtins = [("PREROUTING", "ACCEPT"), ("OUTPUT", "ACCEPT")]
            nuser = r.randrange(0, 4) if t == "filter" else 0
            users = [r.choice(["f2b-sshd", "c%d" % i, "ufw-user-input", "sshguard"]) + "_%d" % i
                     for i in range(nuser)]
            users = [u.split("_")[0] if i == 0 and u.startswith("f2b") else u
                     for i, u in enumerate(users)]
            for c, pol in builtins:
                out.append(":%s %s [0:0]" % (c, pol))
            for u in users:
                out.append(":%s - [0:0]" % u)
            pol = dict(builtins)
            if t == "filter":
                if pol["OUTPUT"] == "DROP" and r.random() < 0.7:
                    out.append("-A OUTPUT -m conntrack --ctstate %s -j ACCEPT" %
                               r.choice(["ESTABLISHED", "RELATED,ESTABLISHED"]))
                for _ in range(r.randrange(1, 7)):
                    out.append(self.ipt_rule("INPUT", v6, t, users))
                for _ in range(r.randrange(0, 3) if r.random() < 0.4 else 0):
                    out.append(self.ipt_rule("OUTPUT", v6, t, [], out=True))
                for i, u in enumerate(users):
                    for _ in range(r.randrange(1, 5)):
                        out.append(self.ipt_rule(u, v6, t, users[i + 1:], user=True))
            elif t == "nat":
                port = r.choice(["22", "2222"])
                out.append("-A PREROUTING -p tcp -m tcp --dport %s -j REDIRECT --to-ports %s" % (port, port))
                out.append("-A PREROUTING -s %s -j ACCEPT" % (self.prefix6() if v6 else self.prefix4()))
                out.append("-A INPUT -p tcp -j %s" % r.choice(["ACCEPT", "RETURN"]))
            else:
                chain = r.choice(["PREROUTING", "INPUT"] if t == "mangle" else ["PREROUTING"])
                for _ in range(r.randrange(1, 3)):
                    out.append(self.ipt_rule(chain, v6, t, []))
            out.append("COMMIT")
        return "\n".join(out) + "\n"

    def legacy_extra(self):
        """A legacy-only table that does not collide in priority with iptables-nft's filter."""
        lines = ["*raw", ":PREROUTING ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]"]
        for _ in range(self.r.randrange(1, 3)):
            lines.append("-A PREROUTING -s %s -p tcp -m tcp --dport %s -j DROP"
                         % (self.prefix4(), self.r.choice(["22", "2222"])))
        lines.append("COMMIT")
        return "\n".join(lines) + "\n"

    # ---- ipset ----------------------------------------------------------------
    def ipset(self, v6):
        r = self.r
        out = []
        if r.random() < 0.5:
            self.ipsets["f2b-sshd"] = (4, "hash:ip")
            out.append("create f2b-sshd hash:ip family inet hashsize 1024 maxelem 65536")
            for a in r.sample(self.p4, 6):
                self.mentioned4.append(a)
                out.append("add f2b-sshd %s" % a)
        if r.random() < 0.5:
            self.ipsets["nets"] = (4, "hash:net")
            out.append("create nets hash:net family inet hashsize 1024 maxelem 65536")
            seen = set()
            for _ in range(r.randrange(1, 5)):
                p = self.prefix4(plain=True)
                if p not in seen:
                    seen.add(p)
                    out.append("add nets %s%s" % (p, " nomatch" if r.random() < 0.2 else ""))
        if v6 and r.random() < 0.6:
            self.ipsets["nets6"] = (6, "hash:net")
            out.append("create nets6 hash:net family inet6 hashsize 1024 maxelem 65536")
            for p in sorted(set(self.prefix6() for _ in range(r.randrange(1, 3)))):
                out.append("add nets6 %s" % p)
        return "\n".join(out) + "\n" if out else ""

    # ---- nftables -------------------------------------------------------------
    def nft_reject(self, fam, tfam):
        r = self.r
        x = r.random()
        if x < 0.25:
            return "reject with tcp reset"
        if x < 0.4:
            return "reject"
        if tfam == "ip":
            fam = 4
        elif tfam == "ip6":
            fam = 6
        elif x < 0.75:
            return "reject with icmpx type %s" % r.choice(
                ["port-unreachable", "admin-prohibited", "no-route", "host-unreachable"])
        if fam == 4:
            return "reject with icmp type %s" % r.choice(
                ["port-unreachable", "host-unreachable", "net-unreachable", "prot-unreachable",
                 "net-prohibited", "host-prohibited", "admin-prohibited"])
        return "reject with icmpv6 type %s" % r.choice(
            ["port-unreachable", "no-route", "admin-prohibited", "addr-unreachable",
             "policy-fail", "reject-route"])

    def nft_matches(self, tfam, sets, out=False):
        """tfam: 'inet', 'ip', 'ip6'. Returns (matches, l3 family used or 0, tcp)."""
        r = self.r
        m = []
        fam = 0
        if tfam == "ip":
            fam = 4
        elif tfam == "ip6":
            fam = 6
        elif r.random() < 0.6:
            fam = r.choice([4, 4, 6])
        key = "daddr" if out else "saddr"
        if fam and r.random() < 0.55:
            p = "ip" if fam == 4 else "ip6"
            x = r.random()
            neg = "!= " if r.random() < 0.2 else ""
            named = [n for n, f in sets if f == fam]
            if named and x < 0.3 and not out:
                m.append("%s %s %s@%s" % (p, key, neg, r.choice(named)))
            elif x < 0.5:
                elems = [self.prefix4(plain=True) if fam == 4 else self.prefix6()
                         for _ in range(r.randrange(1, 4))]
                m.append("%s %s %s{ %s }" % (p, key, neg, ", ".join(sorted(set(elems)))))
            elif fam == 4 and x < 0.6:
                lo, hi = self.range4()
                m.append("ip %s %s%s-%s" % (key, neg, lo, hi))
            else:
                m.append("%s %s %s%s" % (p, key, neg,
                                         self.prefix4(plain=True) if fam == 4 else self.prefix6()))
        if fam and not out and r.random() < 0.1:
            srv = r.choice(list(SERVER4.values())) if fam == 4 else SERVER6
            m.append("%s daddr %s%s" % ("ip" if fam == 4 else "ip6",
                                        "!= " if r.random() < 0.3 else "", srv))
        tcp = False
        if r.random() < 0.7:
            tcp = True
            x = r.random()
            pk = "sport" if out else "dport"
            if x < 0.45:
                m.append("tcp %s %s" % (pk, self.port_spec().replace(":", "-")))
            elif x < 0.7:
                m.append("tcp %s { %s }" % (pk, ", ".join(r.sample(["22", "2222", "80", "1000-1100"], 2))))
            elif x < 0.85:
                m.append("tcp %s != %s" % (pk, r.choice(["22", "2222"])))
            else:
                m.append("th %s %s" % (pk, r.choice(["22", "2222", "20-30"])))
        elif r.random() < 0.1:
            m.append("meta l4proto udp")
        if r.random() < 0.25:
            m.append("ct state %s" % r.choice(["new", "established", "established,related",
                                               "invalid", "related", "new,established"]))
        if r.random() < 0.08:
            o = "oifname" if out else "iifname"
            m.append(r.choice(['%s "%s"' % (o, IIF), '%s "v*"' % o, '%s != "lo"' % o,
                               '%s "eth9"' % o]))
        if not out and r.random() < 0.06:
            m.append("fib daddr type %slocal" % ("!= " if r.random() < 0.3 else ""))
        if tcp and r.random() < 0.08:
            m.append(r.choice(["tcp flags syn", "tcp flags & (syn|ack) == syn",
                               "tcp flags & (syn|ack) == ack"]))
        if self.marks and r.random() < 0.2:
            m.append("meta mark %s0x%x" % ("!= " if r.random() < 0.2 else "", r.choice([1, 2])))
        if r.random() < 0.04:
            m.append("ct direction %s" % r.choice(["original", "reply"]))
        if r.random() < 0.06:
            m.append("meta length %s%s" % ("!= " if r.random() < 0.3 else "",
                                           r.choice(["40-60", "0-56", "61-1500", "53-100"])))
        if tcp and r.random() < 0.05:
            m.append(r.choice(["tcp flags psh", "tcp flags & (psh|ack) == ack"]))
        if r.random() < 0.04:
            m.append("meta pkttype %s" % r.choice(["host", "broadcast"]))
        if out and r.random() < 0.2:
            m = [r.choice(["meta l4proto { icmp, ipv6-icmp }", "tcp flags rst",
                           "ct state related", "ct state established"])]
        return m, fam, tcp

    def nft(self, v6):
        r = self.r
        lines = []
        used_prios = {0, -150, -300, -100, 50, 100}
        ntables = r.choice([1, 1, 2])
        for ti in range(ntables):
            tfam = r.choice(["inet", "inet", "ip"] + (["ip6", "inet"] if v6 else []))
            tname = r.choice(["t%d" % ti, "filter%d" % ti, "f2b-table" if ti == 0 else "x%d" % ti])
            lines.append("table %s %s {" % (tfam, tname))
            sets = []
            if r.random() < 0.5 and tfam in ("inet", "ip"):
                elems = sorted(set(self.prefix4(plain=True) for _ in range(r.randrange(1, 4))))
                name = "addr-set-sshd" if tname == "f2b-table" else "s4"
                lines.append("  set %s { type ipv4_addr; flags interval; auto-merge; elements = { %s } }"
                             % (name, ", ".join(elems)))
                sets.append((name, 4))
            if v6 and r.random() < 0.5 and tfam in ("inet", "ip6"):
                elems = sorted(set(self.prefix6() for _ in range(r.randrange(1, 3))))
                lines.append("  set s6 { type ipv6_addr; flags interval; auto-merge; elements = { %s } }"
                             % ", ".join(elems))
                sets.append(("s6", 6))
            nuser = r.randrange(0, 3)
            users = ["u%d" % i for i in range(nuser)]
            # a mangle-like chain that sets marks, before the filter chains
            if r.random() < 0.2:
                self.marks = True
                lines.append("  chain setmark { type filter hook prerouting priority -160; policy accept;")
                m, _, _ = self.nft_matches(tfam, sets)
                lines.append("    %s meta mark set 0x%x" % (" ".join(m), r.choice([1, 2])))
                lines.append("  }")
            hooks = ["input"] + (["output"] if r.random() < 0.25 else [])
            for hook in hooks:
                # (-200 is conntrack's own priority in output: order undefined, avoided)
                prios = (-200, -20, -5, 5, 15, 40, 60) if hook == "input" else (-20, -5, 5, 15, 40, 60)
                prio = r.choice([p for p in prios if p not in used_prios])
                used_prios.add(prio)
                pol = "drop" if r.random() < (0.3 if hook == "input" else 0.1) else "accept"
                lines.append("  chain %s { type filter hook %s priority %d; policy %s;"
                             % (hook, hook, prio, pol))
                if hook == "output" and pol == "drop":
                    lines.append("    ct state established,related accept")
                if hook == "input" and r.random() < 0.15:
                    lines.append("    ct state vmap { established : accept, invalid : drop }")
                for _ in range(r.randrange(1, 6)):
                    lines.append("    " + self.nft_rule(tfam, sets, users, hook == "output"))
                lines.append("  }")
            for i, u in enumerate(users):
                lines.append("  chain %s {" % u)
                for _ in range(r.randrange(1, 4)):
                    lines.append("    " + self.nft_rule(tfam, sets, users[i + 1:], False, user=True))
                lines.append("  }")
            lines.append("}")
        return "\n".join(lines) + "\n"

    def nft_rule(self, tfam, sets, users, out, user=False):
        r = self.r
        m, fam, tcp = self.nft_matches(tfam, sets, out)
        x = r.random()
        if not out and fam == 4 and x < 0.07:
            a, b = r.sample(self.p4, 2)
            self.mentioned4 += [a, b]
            v = ["%s : drop" % a, "%s : accept" % b]
            if users:
                c = r.choice([x for x in self.p4 if x not in (a, b)])
                self.mentioned4.append(c)
                v.append("%s : %s %s" % (c, r.choice(["jump", "goto"]), users[0]))
            return "%s ip saddr vmap { %s }" % (" ".join(m), ", ".join(v))
        if users and x < 0.3:
            verdict = r.choice(["jump", "jump", "goto"]) + " " + r.choice(users)
        elif x < 0.5:
            verdict = "accept"
        elif x < 0.68:
            verdict = "drop"
        elif x < 0.88 and not out:
            verdict = self.nft_reject(fam if fam else 0, tfam)
            if verdict.startswith("reject with icmp type") and fam != 4:
                verdict = "reject with icmpx type port-unreachable"
            if verdict.startswith("reject with icmpv6") and fam != 6:
                verdict = "reject with icmpx type admin-prohibited"
            if verdict == "reject with tcp reset" and not tcp:
                m.append("meta l4proto tcp")
        elif x < 0.93:
            verdict = 'counter log prefix "diff "'
        elif user:
            verdict = "return"
        else:
            verdict = "counter"
        return "%s %s" % (" ".join(m), verdict)

    # ---- the case -------------------------------------------------------------
    def clients(self, v6):
        r = self.r
        c4 = set(r.sample(self.mentioned4, min(len(self.mentioned4), 18)))
        while len(c4) < 36:
            c4.add(r.choice(self.p4))
        out = [(a, server_for(a), p) for a in sorted(c4) for p in PORTS]
        if v6:
            c6 = set(r.sample(self.mentioned6, min(len(self.mentioned6), 6)))
            while len(c6) < 12:
                c6.add(r.choice(self.p6))
            out += [(a, SERVER6, p) for a in sorted(c6) for p in PORTS]
        return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    g = Gen(a.seed)
    r = g.r
    os.makedirs(a.out, exist_ok=True)
    v6 = r.random() < 0.35
    files = {}
    files["ipset.rules"] = g.ipset(v6)
    kind = r.choice(["ipt", "ipt", "nft", "nft", "both"])
    if kind in ("ipt", "both"):
        backend = r.choice(["nft", "legacy"])
        files["ipt4.backend"] = backend + "\n"
        files["ipt4.rules"] = g.iptables(False)
        if v6:
            files["ipt6.rules"] = g.iptables(True)
        if backend == "nft" and r.random() < 0.2:
            files["legacy4.rules"] = g.legacy_extra()
    if kind in ("nft", "both"):
        files["nft.rules"] = g.nft(v6)
    files["clients.txt"] = "".join("%s %s %d\n" % c for c in g.clients(v6))
    for name, text in files.items():
        with open(os.path.join(a.out, name), "w") as f:
            f.write(text)


main()
