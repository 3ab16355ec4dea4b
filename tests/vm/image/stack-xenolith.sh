# Our toolstack, installed from `make install DESTDIR` and started by our
# own xencommons script, exactly as a dom0 boots it.
# shellcheck shell=sh

stack_start() {
	if [ ! -x /etc/init.d/xencommons ]; then
		vm_fail "/etc/init.d/xencommons is not installed by make install"
		return 1
	fi
	vm_check "xencommons start" /etc/init.d/xencommons start || return 1
	vm_wait_for 60 "xenstored answers" xenstore-exists /
}
