# Shared by vif-bridge, vif-route and vif-nat (sourced after
# xen-hotplug-common.sh): the interface netback made for the vif, named
# `vifname` from xenstore when the config gave one.
# shellcheck shell=sh

[ -n "${vif:-}" ] || hotplug_fail "no vif in the environment (run by the toolstack)"
dev=$vif
vifname=$(xs_get vifname)
case $action in
add|online)
	# netback announces InitWait, which starts us, just before it
	# registers the interface: give it up to 5 s to appear
	n=0
	while [ ! -d "/sys/class/net/$dev" ] && [ "$n" -lt 50 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	[ -d "/sys/class/net/$dev" ] || hotplug_fail "interface $dev does not exist (is xen-netback loaded?)"
	if [ -n "$vifname" ] && [ "$vifname" != "$dev" ]; then
		ip link set dev "$dev" down 2>/dev/null
		ip link set dev "$dev" name "$vifname" ||
			hotplug_fail "cannot rename $dev to $vifname"
		dev=$vifname
	fi
	;;
remove|offline)
	[ -n "$vifname" ] && [ -d "/sys/class/net/$vifname" ] && dev=$vifname
	;;
esac

# The guest's addresses from the ip= setting (space separated).
vif_ips=$(xs_get ip)

# dom0's address on netdev (or the interface of the default route).
main_ip() {
	nd=${netdev:-}
	[ -n "$nd" ] || nd=$(ip route show default 2>/dev/null | awk '{ for (i = 1; i < NF; i++) if ($i == "dev") { print $(i + 1); exit } }')
	[ -n "$nd" ] || nd=eth0
	ip -4 addr show dev "$nd" 2>/dev/null | awk '$1 == "inet" { sub("/.*", "", $2); print $2; exit }'
}
