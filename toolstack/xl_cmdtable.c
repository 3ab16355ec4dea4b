/* Every xl command: add a line here and a main_<cmd> in its family file. */
#include <string.h>

#include "xl.h"

const struct xl_cmd xl_cmdtable[] = {
	{ "create", main_create, true, "Create a domain from config file <filename>",
	  "[options] [<configfile>] [<key>=<value> ...]\n"
	  "  -n, --dryrun   parse the config file and print the domain config as JSON\n"
	  "  -q, --quiet    do not print \"Parsing config from ...\"\n"
	  "  -f FILE        use the given configuration file\n"
	  "  -p             leave the domain paused after it is created" },
	{ "destroy", main_destroy, false, "Terminate a domain immediately", "<Domain>" },
	{ "list", main_list, false, "List information about all domains", "" },
	{ "block-attach", main_blockattach, true, "Create a new virtual block device",
	  "<Domain> <disk-spec-component(s)>..." },
	{ "network-attach", main_networkattach, true, "Create a new virtual network device",
	  "<Domain> [type=<type>] [mac=<mac>] [bridge=<bridge>] [ip=<ip>] [script=<script>]"
	  " [backend=<BackDomain>] [vifname=<name>] [rate=<rate>] [model=<model>]" },
	{ "help", main_help, false, "Print this help", "[<command>]" },
};
const int xl_cmdtable_len = sizeof(xl_cmdtable) / sizeof(xl_cmdtable[0]);

const struct xl_cmd *xl_cmd_find(const char *name)
{
	for (int i = 0; i < xl_cmdtable_len; i++)
		if (!strcmp(xl_cmdtable[i].name, name))
			return &xl_cmdtable[i];
	return NULL;
}
