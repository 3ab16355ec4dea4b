/* Every xl command: add a line here and a main_<cmd> in its family file. */
#include <string.h>

#include "xl.h"
#include "xl_sched.h"

const struct xl_cmd xl_cmdtable[] = {
	{ "create", main_create, true, "Create a domain from config file <filename>",
	  "[options] [<configfile>] [<key>=<value> ...]\n"
	  "  -n, --dryrun   parse the config file and print the domain config as JSON\n"
	  "  -q, --quiet    do not print \"Parsing config from ...\"\n"
	  "  -f FILE        use the given configuration file\n"
	  "  -p             leave the domain paused after it is created\n"
	  "  -c             connect to the console after the domain is created\n"
	  "  -F             run the domain monitor in the foreground\n"
	  "  -e             no monitor: on_poweroff/on_reboot/on_crash are not carried out" },
	{ "destroy", main_destroy, false, "Terminate a domain immediately", "<Domain>" },
	{ "shutdown", main_shutdown, false, "Issue a shutdown signal to a domain",
	  "[options] <-a|Domain>\n"
	  "  -a, --all      shutdown all guest domains\n"
	  "  -w, --wait     wait for the domain(s) to shut down\n"
	  "  -F             fall back to an ACPI power event (not available for PVH)" },
	{ "reboot", main_reboot, false, "Issue a reboot signal to a domain",
	  "[options] <-a|Domain>\n"
	  "  -a, --all      reboot all guest domains\n"
	  "  -w, --wait     wait for the domain(s) to shut down\n"
	  "  -F             fall back to an ACPI reset event (not available for PVH)" },
	{ "console", main_console, false, "Attach to domain's console",
	  "[options] <Domain>\n"
	  "  -t <type>      console type, pv (PVH guests have no serial)\n"
	  "  -n <number>    console number (0)\n"
	  "  Ctrl-] detaches." },
	{ "list", main_list, false, "List information about all domains",
	  "[options] [Domain]\n"
	  "  -l, --long        output all VM details\n"
	  "  -v, --verbose     prints out UUIDs and security context\n"
	  "  -Z, --context     prints out security context\n"
	  "  -c, --cpupool     prints the cpupool the domain is in\n"
	  "  -n, --numa        prints out NUMA node affinity" },
	{ "block-attach", main_blockattach, true, "Create a new virtual block device",
	  "<Domain> <disk-spec-component(s)>..." },
	{ "network-attach", main_networkattach, true, "Create a new virtual network device",
	  "<Domain> [type=<type>] [mac=<mac>] [bridge=<bridge>] [ip=<ip>] [script=<script>]"
	  " [backend=<BackDomain>] [vifname=<name>] [rate=<rate>] [model=<model>]" },
	{ "help", main_help, false, "Print this help", "[<command>]" },
	{ "info", main_info, false, "Get information about Xen host",
	  "[options] [<key>]\n"
	  "  -n, --numa         List host NUMA topology information" },
	{ "dmesg", main_dmesg, false, "Read and/or clear dmesg buffer",
	  "[-c]\n"
	  "  -c                        Clear dmesg buffer as well as printing it" },
	{ "uptime", main_uptime, false, "Print uptime for all/some domains", "[-s] [Domain]" },
	{ "domid", main_domid, false, "Convert a domain name to domain id", "<DomainName>" },
	{ "domname", main_domname, false, "Convert a domain id to domain name", "<DomainId>" },
	{ "pause", main_pause, false, "Pause execution of a domain", "<Domain>" },
	{ "unpause", main_unpause, false, "Unpause a paused domain", "<Domain>" },
	{ "rename", main_rename, false, "Rename a domain", "<Domain> <NewDomainName>" },
	{ "sysrq", main_sysrq, false, "Send a sysrq to a domain", "<Domain> <letter>" },
	{ "vcpu-list", main_vcpulist, false, "List the VCPUs for all/some domains", "[Domain, ...]" },
	{ "vcpu-pin", main_vcpupin, true, "Set which CPUs a VCPU can use",
	  "[option] <Domain> <VCPU|all> <Hard affinity|-|all> <Soft affinity|-|all>\n"
	  "  -f, --force        undo an override pinning done by the kernel\n"
	  "  --ignore-global-affinity-masks Ignore global masks in xl.conf" },
	{ "vcpu-set", main_vcpuset, false, "Set the number of active VCPUs allowed for the domain",
	  "[option] <Domain> <vCPUs>\n"
	  "  -i, --ignore-host  Don't limit the vCPU based on the host CPU count" },
	{ "mem-set", main_memset, false, "Set the current memory usage for a domain",
	  "<Domain> <MemMB['b'[bytes]|'k'[KB]|'m'[MB]|'g'[GB]|'t'[TB]]>" },
	{ "mem-max", main_memmax, false, "Set the maximum amount reservation for a domain",
	  "<Domain> <MemMB['b'[bytes]|'k'[KB]|'m'[MB]|'g'[GB]|'t'[TB]]>" },
	/* schedulers (xl_sched.c) */
	{ "sched-credit", main_sched_credit, false, "Get/set credit scheduler parameters",
	  "[-d <Domain> [-w[=WEIGHT]|-c[=CAP]]] [-s [-t TSLICE] [-r RATELIMIT] [-m DELAY]] [-p CPUPOOL]\n"
	  "  -d DOMAIN, --domain=DOMAIN        Domain to modify\n"
	  "  -w WEIGHT, --weight=WEIGHT        Weight (int)\n"
	  "  -c CAP,    --cap=CAP              Cap (int)\n"
	  "  -s         --schedparam           Query / modify scheduler parameters\n"
	  "  -t TSLICE, --tslice_ms=TSLICE     Set the timeslice, in milliseconds\n"
	  "  -r RLIMIT, --ratelimit_us=RLIMIT  Set the scheduling rate limit, in microseconds\n"
	  "  -m DLY,    --migration_delay_us=DLY  Set the migration delay, in microseconds\n"
	  "  -p CPUPOOL, --cpupool=CPUPOOL     Restrict output to CPUPOOL" },
	{ "sched-credit2", main_sched_credit2, false, "Get/set credit2 scheduler parameters",
	  "[-d <Domain> [-w[=WEIGHT]|-c[=CAP]]] [-s [-r RATELIMIT]] [-p CPUPOOL]\n"
	  "  -d DOMAIN, --domain=DOMAIN        Domain to modify\n"
	  "  -w WEIGHT, --weight=WEIGHT        Weight (int)\n"
	  "  -c CAP,    --cap=CAP              Cap (int)\n"
	  "  -s         --schedparam           Query / modify scheduler parameters\n"
	  "  -r RLIMIT, --ratelimit_us=RLIMIT  Set the scheduling rate limit, in microseconds\n"
	  "  -p CPUPOOL, --cpupool=CPUPOOL     Restrict output to CPUPOOL" },
	/* devices (xl_devices.c) */
	{ "block-list", main_blocklist, false, "List virtual block devices for a domain",
	  "<Domain(s)>" },
	{ "block-detach", main_blockdetach, false, "Destroy a domain's virtual block device",
	  "[option] <Domain> <DevId>\n"
	  "  -f, --force        do not wait for the domain to release the device" },
	{ "network-list", main_networklist, false, "List virtual network interfaces for a domain",
	  "<Domain(s)>" },
	{ "network-detach", main_networkdetach, false, "Destroy a domain's virtual network device",
	  "<Domain> <DevId|mac>" },
};
const int xl_cmdtable_len = sizeof(xl_cmdtable) / sizeof(xl_cmdtable[0]);

const struct xl_cmd *xl_cmd_find(const char *name)
{
	for (int i = 0; i < xl_cmdtable_len; i++)
		if (!strcmp(xl_cmdtable[i].name, name))
			return &xl_cmdtable[i];
	return NULL;
}
