# Benchmark body (tests/bench/xl-lifecycle runs it): the same PVH guest
# (then the same kernel as a PV guest) created and destroyed by Debian's Xen 4.17 xl and by ours, alternately,
# on Xen 4.17 with Debian's xenstored and xenconsoled. Reports VM-METRIC
# lines: the toolstack's own share (create -p until it returns, destroy),
# and create to guest marker (mostly guest boot). Runs in dom0 (sourced).
# shellcheck shell=sh

rounds=${XL_BENCH_ROUNDS:-4}
rm -rf /var/cache/xenolith/kernels
ours() { LD_LIBRARY_PATH=/usr/lib /usr/local/sbin/xl-ours "$@"; }
xen() { xl "$@"; }

cat >/tmp/b.cfg <<CFG
type = "pvh"
kernel = "/guest/vmlinuz"
ramdisk = "/guest/initrd"
extra = "console=hvc0 quiet"
memory = 256
vcpus = 2
CFG

# The same guest as PV: no type= (as in the users' configs).
grep -v '^type' /tmp/b.cfg >/tmp/b-pv.cfg

gone() { ! xl list | grep -q "^$1 "; }

# One timed create -p / destroy pair; the metric names carry the tool.
# Our xl keeps unpacked kernels in /var/cache/xenolith/kernels: its first
# create of a kernel (cold) is reported apart from later ones.
pair() {
	tool=$1 n=$2 cfg=${3:-/tmp/b.cfg} sfx=${4:-} what=create_p_s
	[ "$tool" = ours ] && [ ! -d /var/cache/xenolith/kernels ] && what=cold_create_p_s
	t=$(vm_uptime)
	$tool create -q -p "$cfg" name=\""$n"\" || return 1
	vm_metric "${tool}_$what$sfx" "$(vm_elapsed "$t")"
	t=$(vm_uptime)
	$tool destroy "$n" || return 1
	vm_metric "${tool}_destroy_s$sfx" "$(vm_elapsed "$t")"
	vm_wait_for 60 "$n gone" gone "$n"
}

i=0
while [ $i -lt "$rounds" ]; do
	i=$((i + 1))
	vm_check "round $i: Xen's xl create -p/destroy" pair xen "x$i"
	vm_check "round $i: our xl create -p/destroy" pair ours "o$i"
done
# Ours again as xm, as the seeds start guests: `xm create` finds the
# config in /etc/xen (xm's search path) from another directory.
ln -sf /usr/local/sbin/xl-ours /usr/local/sbin/xm
mkdir -p /etc/xen && cp /tmp/b-pv.cfg /etc/xen/b-pv
xm_pair() {
	t=$(vm_uptime)
	(cd / && LD_LIBRARY_PATH=/usr/lib xm create -q -p b-pv name=\""$1"\") || return 1
	vm_metric ours_xm_create_p_s_pv "$(vm_elapsed "$t")"
	ours destroy "$1" || return 1
	vm_wait_for 60 "$1 gone" gone "$1"
}
i=0
while [ $i -lt "$rounds" ]; do
	i=$((i + 1))
	vm_check "round $i: Xen's xl create -p/destroy, PV" pair xen "xp$i" /tmp/b-pv.cfg _pv
	vm_check "round $i: our xl create -p/destroy, PV" pair ours "op$i" /tmp/b-pv.cfg _pv
	vm_check "round $i: our xm create -p (from /etc/xen)/destroy, PV" xm_pair "mp$i"
done

# Create to guest marker, twice each, alternating: the guest boots and
# powers off.
for r in 1 2; do
	for tool in xen ours; do
		log=/var/log/xen/console/guest-m$tool$r.log
		t=$(vm_uptime)
		vm_check "$tool: xl create" $tool create -q /tmp/b.cfg name=\"m$tool$r\"
		vm_metric "${tool}_create_s" "$(vm_elapsed "$t")"
		vm_wait_for 600 "$tool: guest marker" grep -q GUEST-MARKER "$log"
		vm_metric "${tool}_create_to_marker_s" "$(vm_elapsed "$t")"
		grep GUEST-INFO "$log" | sed "s/^/$tool: /"
		vm_wait_for 120 "$tool: guest gone after poweroff" gone "m$tool$r"
	done
done
# xendomains, Xen's script with Xen's xl and ours with ours, alternately,
# on the same two auto guests: `start` until it returns (two creates),
# then, once both guests are up, `stop` until it returns (both shut down
# through their PV control driver).  XENDOMAINS_SAVE is emptied so that
# Xen's stops its guests as ours does, by shutting them down.
mkdir -p /etc/xen/auto
for g in d1 d2; do
	sed -e 's/^extra.*/extra = "console=hvc0 quiet guest_mode=stay"/' /tmp/b.cfg >/etc/xen/auto/$g
	printf 'name = "%s"\ncpus = "1"\n' $g >>/etc/xen/auto/$g
done
mkdir -p /etc/default
cat >/etc/default/xendomains <<'XD'
XENDOMAINS_AUTO=/etc/xen/auto
XENDOMAINS_AUTO_ONLY=true
XENDOMAINS_CREATE_USLEEP=0
XENDOMAINS_SHUTDOWN="--wait"
XENDOMAINS_SHUTDOWN_ALL="--all --wait"
XENDOMAINS_STOP_MAXWAIT=300
XENDOMAINS_SAVE=
XENDOMAINS_RESTORE=false
XD
xd() {
	if [ "$1" = xen ]; then
		/usr/lib/xen-4.17/bin/xendomains "$2"
	else
		XL=/usr/local/sbin/xl-ours LD_LIBRARY_PATH=/usr/lib /usr/local/sbin/xendomains-ours "$2"
	fi
}
xd_round() {
	rm -f /var/log/xen/console/guest-d1.log /var/log/xen/console/guest-d2.log /var/lock/xendomains
	t=$(vm_uptime)
	xd "$1" start >/tmp/xd.out 2>&1 || { cat /tmp/xd.out; return 1; }
	vm_metric "${1}_xd_start_s" "$(vm_elapsed "$t")"
	for g in d1 d2; do
		vm_wait_for 600 "$1: $g up" grep -q "GUEST-MARKER: staying up" \
			/var/log/xen/console/guest-$g.log || { cat /tmp/xd.out; return 1; }
	done
	# xl sysrq, ten times ("s": sync), by the round's own xl
	t=$(vm_uptime)
	for k in 1 2 3 4 5 6 7 8 9 10; do
		"$1" sysrq d1 s || return 1
	done
	vm_metric "${1}_sysrq10_s" "$(vm_elapsed "$t")"
	t=$(vm_uptime)
	xd "$1" stop >/tmp/xd.out 2>&1 || { cat /tmp/xd.out; return 1; }
	vm_metric "${1}_xd_stop_s" "$(vm_elapsed "$t")"
	cat /tmp/xd.out
	gone d1 && gone d2
}
for r in 1 2; do
	vm_check "round $r: Xen's xendomains start/stop" xd_round xen
	vm_check "round $r: our xendomains start/stop" xd_round ours
done

# A triple fault shows as a reboot: Xen's xl restarts the guest, ours too.
xl dmesg | grep -B1 -A3 "Triple fault"
vm_log "triple faults: $(xl dmesg | grep -c 'Triple fault')"
