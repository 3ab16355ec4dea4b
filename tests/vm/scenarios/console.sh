# Our xenconsoled under Xen 4.17's xl: the reference guest's output must
# reach the log our daemon writes, through the pty it announces in
# xenstore, and the hypervisor log must be copied too. Runs in dom0.
# shellcheck shell=sh

. /vm/scenarios/reference.sh
cat /run/xenconsoled.err
vm_check "our daemon served the guest console on a pty" \
	grep -q "domain 1 (ref): console on /dev/pts/" /run/xenconsoled.err
vm_check "our daemon let go of the guest when it was gone" \
	grep -q "domain 1 (ref): gone" /run/xenconsoled.err
vm_check "hypervisor log copied to hypervisor.log" \
	grep -q "Xen version 4.17" /var/log/xen/console/hypervisor.log
vm_check "xenconsoled still running" sh -c 'kill -0 "$(cat /run/xenconsoled.pid)"'
