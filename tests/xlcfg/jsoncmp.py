#!/usr/bin/env python3
"""TAP checks of xl against Xen 4.17's recorded behaviour.

  jsoncmp.py devices CORPORA XL      disk/vif cases (xl -N block-attach/network-attach)
  jsoncmp.py configs CORPORA XL DIR  every config: xl create -n; compared with
                                     DIR/<corpus>/<name>.json when Xen's output is recorded,
                                     else must succeed unless listed in DIR/../expected-rejects
JSON is compared structurally (key order free); c_info.uuid is ignored when
the config does not set one (xl makes a random one)."""
import json, os, re, subprocess, sys

n = 0
failed = 0


def tap(ok, what, detail=""):
    global n, failed
    n += 1
    if not ok:
        failed += 1
    print("%s %d - %s" % ("ok" if ok else "not ok", n, what))
    if not ok and detail:
        for line in detail.rstrip().splitlines()[:20]:
            print("#   " + line)
    sys.stdout.flush()


def run(args):
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")


def strip_uuid(obj):
    if isinstance(obj, dict) and isinstance(obj.get("c_info"), dict):
        obj["c_info"].pop("uuid", None)
    return obj


def devices(corpora, xl, recdir):
    for fname, cmd, prefix in (("xl-disk-cases.json", "block-attach", "disk: "),
                               ("xl-vif-cases.json", "network-attach", "vif: ")):
        # our own recording (every case) when present, else the corpus's
        rec = os.path.join(recdir, fname)
        cases = json.load(open(rec if os.path.exists(rec) else os.path.join(corpora, fname)))
        for c in cases:
            args = c["args"]
            rc, out, err = run([xl, "-N", cmd, "0"] + args)
            what = "%s %s" % (cmd, " ".join(repr(a) for a in args))
            if "exit_status" not in c:
                # unrecorded: must not crash and must be a clear verdict
                tap(rc in (0, 1) and (out.startswith(prefix) if rc == 0 else err != ""),
                    what + " (no Xen record: verdict %d)" % rc, err)
                continue
            want = c["xen_4_17_output"]
            if c["exit_status"] != 0:
                msg = want.strip()
                tap(rc != 0 and msg in err, what + " rejected as Xen does",
                    "rc=%d\nwant: %s\ngot:  %s" % (rc, msg, err))
                continue
            ok = rc == 0 and out.startswith(prefix) and want.startswith(prefix)
            detail = "rc=%d stderr=%s\nstdout=%s" % (rc, err, out)
            if ok:
                try:
                    ok = json.loads(out[len(prefix):]) == json.loads(want[len(prefix):])
                except ValueError as e:
                    ok, detail = False, str(e)
                detail += "\nwant=" + want
            tap(ok, what + " matches Xen 4.17", detail)


def configs(corpora, xl, recdir):
    rejects, hostdep = {}, {}
    rej = os.path.join(os.path.dirname(os.path.abspath(__file__)), "expected-rejects")
    for line in open(rej):
        line = line.strip()
        if line and not line.startswith("#"):
            name, msg = line.split(None, 1)
            if name == "host-dependent":
                name, msg = msg.split(None, 1)
                hostdep[name] = msg
            else:
                rejects[name] = msg
    here = os.path.dirname(os.path.abspath(__file__))
    for sub in ("seeds", "xen-examples", "xlcfg", "xmcfg", "extra"):
        d = os.path.join(here if sub == "extra" else corpora, sub)
        for name in sorted(os.listdir(d)):
            path = os.path.join(d, name)
            key = sub + "/" + name
            rc, out, err = run([xl, "create", "-q", "-n", path])
            rec = os.path.join(recdir, sub, name + ".json")
            if key in hostdep:
                tap(rc == 0 and hostdep[key] in err,
                    key + " loads; host-dependent check reported: " + hostdep[key],
                    "rc=%d stderr=%s" % (rc, err))
                continue
            if os.path.exists(os.path.join(recdir, sub, name + ".rejected")) and key not in rejects:
                tap(False, key + " is rejected by Xen 4.17 but not listed in expected-rejects")
                continue
            if key in rejects:
                tap(rc != 0 and rejects[key] in err, key + " rejected: " + rejects[key],
                    "rc=%d stderr=%s" % (rc, err))
                continue
            if os.path.exists(rec):
                want = json.load(open(rec))
                try:
                    got = json.loads(out)
                except ValueError:
                    got = None
                sets_uuid = re.search(r"^\s*uuid\s*=", open(path, errors="replace").read(), re.M)
                if not sets_uuid:
                    strip_uuid(want)
                    strip_uuid(got)
                # same bytes too (libxl's field order and layout), uuid line aside
                def text(t):
                    return [l for l in t.splitlines() if not (not sets_uuid and '"uuid":' in l)]
                same_text = text(out) == text(open(rec).read())
                tap(rc == 0 and got == want and same_text,
                    key + " matches Xen 4.17's xl create -n" + ("" if same_text or got != want
                                                               else " (only structurally)"),
                    "rc=%d stderr=%s\ngot=%s\nwant=%s" % (rc, err, json.dumps(got, sort_keys=True),
                                                          json.dumps(want, sort_keys=True)))
                continue
            ok = rc == 0
            if ok:
                try:
                    json.loads(out)
                except ValueError:
                    ok = False
            tap(ok, key + " loads (no Xen record yet)", "rc=%d stderr=%s" % (rc, err))


def main():
    mode, corpora, xl = sys.argv[1], sys.argv[2], sys.argv[3]
    if not os.path.isdir(corpora):
        print("1..0 # SKIP corpora not found at %s" % corpora)
        return 0
    if mode == "devices":
        devices(corpora, xl, sys.argv[4])
    else:
        configs(corpora, xl, sys.argv[4])
    print("1..%d" % n)
    return 1 if failed else 0


sys.exit(main())
