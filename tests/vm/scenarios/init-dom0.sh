# Our xen-init-dom0 must leave xenstore exactly as Xen 4.17's does. The
# stack already ran Xen's; dump, restart xenstored empty, run ours, dump,
# compare. Runs in dom0 (sourced).
# shellcheck shell=sh

# dom0's kernel writes control/feature-* when it first connects to
# xenstored; a restarted xenstored never sees those again, so they are
# left out of the comparison.
xenstore-ls -fp | grep -v '^/local/domain/0/control' >/tmp/theirs
kill "$(cat /run/xenstored.pid)"
vm_wait_for 30 "Xen's xenstored stopped" sh -c '! kill -0 "$(cat /run/xenstored.pid)" 2>/dev/null'
rm -rf /var/lib/xenstored/* /run/xenstored/*
/usr/lib/xen-4.17/bin/xenstored --pid-file /run/xenstored.pid
vm_wait_for 60 "fresh xenstored answers" xenstore-exists /
vm_check "our xen-init-dom0 runs" env LD_LIBRARY_PATH=/usr/lib /usr/local/sbin/xen-init-dom0
xenstore-ls -fp >/tmp/ours
echo "--- Xen 4.17's xen-init-dom0:"; cat /tmp/theirs
echo "--- ours:"; cat /tmp/ours
vm_check "xenstore after our xen-init-dom0 equals Xen's" cmp -s /tmp/theirs /tmp/ours
