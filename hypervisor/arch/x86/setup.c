/* start_xen: from the multiboot hand-off to running dom0. */
#include <xenolith/boot.h>
#include <xenolith/cmdline.h>
#include <xenolith/printk.h>
#include <xenolith/serial.h>
#include <xenolith/smp.h>
#include <xenolith/traps.h>
#include <xenolith/x86.h>
#include <xenolith/setup.h>
#include <xenolith/dom0.h>
#include <xenolith/power.h>
#include <xenolith/svm.h>
#include <xenolith/mm.h>
#include <xenolith/time.h>

struct boot_info boot_info;
struct hv_options hv_opts;

void start_xen(uint32_t magic, uint32_t info_pa);

/* Everything below 4 GiB is identity mapped by head.S. */
static const void *boot_map(uint64_t pa, size_t len, void *ctx)
{
	(void)ctx;
	if (pa == 0 || pa + len < pa || pa + len > (1ULL << 32))
		return NULL;
	return (const void *)(uintptr_t)pa;
}

static const char *e820_name(uint32_t type)
{
	switch (type) {
	case E820_RAM: return "usable";
	case E820_RESERVED: return "reserved";
	case E820_ACPI: return "ACPI data";
	case E820_NVS: return "ACPI NVS";
	case E820_UNUSABLE: return "unusable";
	default: return "unknown";
	}
}

static void print_options(const struct hv_options *o)
{
	char buf[256];
	int n = 0;

	n += lib_snprintf(buf + n, sizeof(buf) - (size_t)n, "console=%s%s%s",
			  o->console_com1 ? "com1" : "",
			  o->console_com1 && o->console_vga ? "," : "",
			  o->console_vga ? "vga" : (o->console_com1 ? "" : "none"));
	if (o->com1_baud)
		n += lib_snprintf(buf + n, sizeof(buf) - (size_t)n, " com1=%u,%u%c%u",
				  o->com1_baud, o->com1_data_bits, o->com1_parity,
				  o->com1_stop_bits);
	else
		n += lib_snprintf(buf + n, sizeof(buf) - (size_t)n, " com1=auto");
	if (o->dom0_mem)
		n += lib_snprintf(buf + n, sizeof(buf) - (size_t)n, " dom0_mem=%lluM",
				  (unsigned long long)(o->dom0_mem >> 20));
	if (o->maxcpus)
		n += lib_snprintf(buf + n, sizeof(buf) - (size_t)n, " maxcpus=%u", o->maxcpus);
	if (o->dom0_vcpus_max)
		n += lib_snprintf(buf + n, sizeof(buf) - (size_t)n, " dom0_max_vcpus=%u-%u",
				  o->dom0_vcpus_min, o->dom0_vcpus_max);
	n += lib_snprintf(buf + n, sizeof(buf) - (size_t)n, " dom0=%s loglvl=%s guest_loglvl=%s%s",
			  o->dom0_pvh ? "pvh" : "pv", cmdline_loglvl_name(o->loglvl),
			  cmdline_loglvl_name(o->guest_loglvl), o->noreboot ? " noreboot" : "");
	printk("Parsed options: %s\n", buf);
	for (unsigned int i = 0; i < o->nr_unknown; i++)
		log_warn("Unknown command line option '%s' ignored\n", o->unknown[i]);
	for (unsigned int i = 0; i < o->nr_bad; i++)
		log_warn("Bad value in command line option '%s' ignored\n", o->bad[i]);
}

static void mask_legacy_pic(void)
{
	outb(0x21, 0xFF);
	outb(0xA1, 0xFF);
}

void start_xen(uint32_t magic, uint32_t info_pa)
{
	char err[128];
	int rc;

	rc = boot_parse(&boot_info, magic, info_pa, boot_map, NULL, err, sizeof(err));
	cmdline_defaults(&hv_opts);
	if (!rc)
		cmdline_parse(&hv_opts, cmdline_skip_image(boot_info.cmdline));
	/* With no console= at all we still talk on COM1: it is all we have. */
	serial_init(hv_opts.com1_baud, hv_opts.com1_data_bits, hv_opts.com1_parity,
		    hv_opts.com1_stop_bits);
	printk_set_threshold(hv_opts.loglvl > LOG_INFO ? hv_opts.loglvl : LOG_INFO);
	printk_set_guest_threshold(hv_opts.guest_loglvl);
	traps_init();
	traps_load(0);
	mask_legacy_pic();

	printk("Xenolith version %s (Xen %d.%d ABI) (%s) %s\n", XENOLITH_VERSION,
	       XENOLITH_XEN_MAJOR, XENOLITH_XEN_MINOR, "gcc " __VERSION__,
	       __DATE__);
	if (rc)
		panic("Bad boot information: %s", err);
	printk("Bootloader: %s (multiboot%s)\n",
	       boot_info.loader_name[0] ? boot_info.loader_name : "unknown",
	       boot_info.loader == 2 ? "2" : "1");
	printk("Command line: %s\n", cmdline_skip_image(boot_info.cmdline));
	print_options(&hv_opts);
	printk_set_threshold(hv_opts.loglvl);

	printk("Xen-e820 RAM map:\n");
	for (unsigned int i = 0; i < boot_info.nr_e820; i++) {
		const struct e820_entry *e = &boot_info.e820[i];

		printk(" [%016llx, %016llx] (%s)\n", (unsigned long long)e->addr,
		       (unsigned long long)(e->addr + e->size - 1), e820_name(e->type));
	}
	for (unsigned int i = 0; i < boot_info.nr_modules; i++) {
		const struct boot_module *m = &boot_info.modules[i];

		printk("Module %u: [%#llx, %#llx) %llu bytes, %s '%s'\n", i,
		       (unsigned long long)m->start, (unsigned long long)m->end,
		       (unsigned long long)(m->end - m->start),
		       i == 0 ? "dom0 kernel" : i == 1 ? "dom0 initrd" : "extra",
		       m->cmdline);
	}

	setup_continue();
}

void setup_continue(void)
{
	struct domain *d0;

	mm_setup();
	power_init(boot_info.rsdp);
	time_init();
	svm_cpu_init(0);
	smp_boot();
	d0 = dom0_build();
	mm_release_modules();
	printk("Std. Loglevel: %s; Guest Loglevel: %s\n", cmdline_loglvl_name(hv_opts.loglvl),
	       cmdline_loglvl_name(hv_opts.guest_loglvl));
	printk("%llu MiB free after building dom0\n",
	       (unsigned long long)(mm_free_pages() >> 8));
	printk("*** Starting Dom0 ***\n");
	scheduler_start(d0);
}

