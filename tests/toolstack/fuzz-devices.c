/* libFuzzer target for the device layer's pure parts: MAC parsing and
 * the node sets and hotplug environment built from disk and vif specs
 * whose strings come from the input (fields separated by newlines:
 * mac, target, vdev, script, bridge, ip, ifname). Checks that every
 * value stays NUL-terminated within its slot and that the sets and the
 * environment never overflow. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "lx_device.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_nodes(const struct lx_nodes *n)
{
	if (n->n > LX_MAX_NODES)
		abort();
	for (size_t i = 0; i < n->n; i++)
		if (!memchr(n->kv[i].key, 0, LX_NODE_KEY) || !memchr(n->kv[i].val, 0, LX_NODE_VAL))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *field[7] = { 0 }, *p;
	static struct lx_nodes back, front;
	struct lx_hotplug_env env;
	uint8_t mac[6];
	char err[256];
	struct lx_dev d;
	int nf = 0;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = 0;
	for (p = buf; nf < 7; nf++) {
		field[nf] = p;
		p = strchr(p, '\n');
		if (!p)
			break;
		*p++ = 0;
	}
	for (int i = 0; i < 7; i++)
		if (!field[i])
			field[i] = "";
	if (lx_mac_parse(field[0], mac) == 0 && strlen(field[0]) != 17)
		abort();
	{
		struct lx_disk_spec s = {
			.target = field[1], .vdev = field[2], .devid = (int)(size % 70000) - 1,
			.script = field[3], .readwrite = size & 1, .cdrom = size & 2,
		};

		if (lx_disk_nodes(1, 0, &s, &back, &front, err, sizeof(err)) == 0) {
			check_nodes(&back);
			check_nodes(&front);
			if (s.cdrom && strcmp(lx_nodes_get(&back, "mode"), "r"))
				abort();
		}
	}
	{
		struct lx_nic_spec s = {
			.devid = 0, .script = field[3], .bridge = field[4], .ip = field[5],
			.ifname = field[6], .rate_usecs = (uint32_t)(size & 4),
		};

		memcpy(s.mac, mac, 6);
		if (lx_nic_nodes(1, 0, &s, (int)(size % 9), &back, &front, err, sizeof(err)) == 0) {
			check_nodes(&back);
			check_nodes(&front);
		}
	}
	lx_dev_init(&d, (size & 8) ? "vif" : "vbd", (uint32_t)size, 0, (int)size, field[2]);
	if (lx_hotplug_env_build(&d, field[3], field[4], &env) == 0) {
		int n = 0;

		while (env.env[n])
			n++;
		if (n > LX_HOTPLUG_ENV_MAX)
			abort();
	}
	free(buf);
	return 0;
}
