# Our dom0 services alone (no Xen tools in the image), started by our
# xencommons the way a dom0 boots: xenstored, dom0's entries, xenconsoled.
# Runs in dom0 (sourced); the stack script already ran xencommons start.
# shellcheck shell=sh

vm_check "dom0 is named in xenstore" sh -c \
	'[ "$(xenstore-read /local/domain/0/name)" = Domain-0 ]'
vm_check "pool 0 is named" sh -c '[ "$(xenstore-read /local/pool/0/name)" = Pool-0 ]'
vm_check "xencommons status: both daemons running" /etc/init.d/xencommons status
vm_check "xencommons start again is harmless" /etc/init.d/xencommons start
vm_check "libxc sees dom0" sh -c 'xc-probe list | grep -q "^dom 0 "'
vm_check "xencommons stop ends xenconsoled" /etc/init.d/xencommons stop
vm_wait_for 10 "xenconsoled gone" sh -c '! /etc/init.d/xencommons status >/dev/null'
vm_check "xenstored keeps running after stop" xenstore-exists /local/domain/0
