/* Xen command-line parsing. */
#include "check.h"
#include "common/cmdline.c"
#include "common/vsprintf.c"

static struct hv_options parse(const char *s)
{
	struct hv_options o;

	cmdline_defaults(&o);
	cmdline_parse(&o, s);
	return o;
}

int main(void)
{
	struct hv_options o;
	uint64_t sz;
	const char *end;

	o = parse("");
	CHECK(!o.console_com1 && o.loglvl == LOG_WARNING && o.dom0_pvh && !o.noreboot,
	      "defaults: no console, loglvl warning, pvh dom0, reboot allowed");

	o = parse("console=com1 com1=115200,8n1 loglvl=all guest_loglvl=debug noreboot");
	CHECK(o.console_com1 && !o.console_vga, "console=com1");
	CHECK(o.com1_baud == 115200 && o.com1_data_bits == 8 && o.com1_parity == 'n' &&
	      o.com1_stop_bits == 1, "com1=115200,8n1");
	CHECK(o.loglvl == LOG_ALL, "loglvl=all");
	CHECK(o.guest_loglvl == LOG_DEBUG, "guest_loglvl=debug");
	CHECK(o.noreboot, "noreboot");
	CHECK(o.nr_unknown == 0 && o.nr_bad == 0, "nothing unknown or bad");

	o = parse("console=com1,vga com1=9600,7e2");
	CHECK(o.console_com1 && o.console_vga, "console=com1,vga");
	CHECK(o.com1_baud == 9600 && o.com1_data_bits == 7 && o.com1_parity == 'e' &&
	      o.com1_stop_bits == 2, "com1=9600,7e2");

	o = parse("dom0_mem=512M dom0_max_vcpus=2 dom0=pvh");
	CHECK(o.dom0_mem == 512ULL << 20, "dom0_mem=512M");
	CHECK(o.dom0_vcpus_max == 2 && o.dom0_vcpus_min == 0, "dom0_max_vcpus=2");
	CHECK(o.maxcpus == 0, "maxcpus defaults to all CPUs");
	o = parse("maxcpus=1");
	CHECK(o.maxcpus == 1 && o.nr_bad == 0 && o.nr_unknown == 0, "maxcpus=1");
	o = parse("maxcpus=0 maxcpus=x2");
	CHECK(o.maxcpus == 0 && o.nr_bad == 2, "maxcpus=0 and maxcpus=x2 are bad values");
	CHECK(o.dom0_pvh, "dom0=pvh");

	o = parse("dom0_mem=min:128M,max:2G,1G dom0_max_vcpus=1-4");
	CHECK(o.dom0_mem == 1ULL << 30 && o.dom0_mem_min == 128ULL << 20 &&
	      o.dom0_mem_max == 2ULL << 30, "dom0_mem=min:128M,max:2G,1G");
	CHECK(o.dom0_vcpus_min == 1 && o.dom0_vcpus_max == 4, "dom0_max_vcpus=1-4");

	o = parse("dom0_mem=262144");
	CHECK(o.dom0_mem == 262144ULL << 10, "a size without suffix is in KiB (as Xen)");

	o = parse("loglvl=info/warning no-noreboot");
	CHECK(o.loglvl == LOG_INFO && !o.noreboot, "loglvl with rate-limit part; no-noreboot");
	o = parse("noreboot=0");
	CHECK(!o.noreboot, "noreboot=0 is false");

	o = parse("foo=bar sched=credit2 dom0_mem=lots com1=fast loglvl=loud dom0=pv");
	CHECK(o.nr_unknown == 2 && !strcmp(o.unknown[0], "foo=bar") &&
	      !strcmp(o.unknown[1], "sched=credit2"), "unknown options are kept by name");
	CHECK(o.nr_bad == 3 && !strcmp(o.bad[0], "dom0_mem=lots") &&
	      !strcmp(o.bad[1], "com1=fast") && !strcmp(o.bad[2], "loglvl=loud"),
	      "bad values are kept and do not change settings");
	CHECK(o.dom0_mem == 0 && o.com1_baud == 0 && o.loglvl == LOG_WARNING,
	      "bad values leave the defaults");
	CHECK(!o.dom0_pvh, "dom0=pv is parsed (and refused later by the builder)");

	o = parse("  console=com1   \"loglvl=debug\"  -- dom0 stuff=1");
	CHECK(o.console_com1 && o.loglvl == LOG_DEBUG && o.nr_unknown == 0,
	      "extra spaces, quotes and '--' terminator");

	CHECK(!strcmp(cmdline_skip_image("/boot/xen.gz console=com1"), "console=com1"),
	      "image name skipped");
	CHECK(!strcmp(cmdline_skip_image("xen"), ""), "image name alone");
	CHECK(cmdline_parse_size("4G", &end, &sz) == 0 && sz == 4ULL << 30 && !*end, "size 4G");
	CHECK(cmdline_parse_size("x", &end, &sz) < 0, "size x rejected");
	CHECK(cmdline_parse_size("99999999999999999999", &end, &sz) < 0, "size overflow rejected");
	CHECK(cmdline_parse_size("20000000000T", &end, &sz) < 0, "size shift overflow rejected");
	return check_done();
}
