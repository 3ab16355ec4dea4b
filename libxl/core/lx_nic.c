/* Virtual network interfaces (vif) served by dom0's netback: the
 * interface vifDOMID.DEVID that the hotplug script (vif-bridge by
 * default) puts on a bridge or routes. Nodes as libxl 4.17 writes them. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lx.h"
#include "lx_device.h"
#include "random.h"

int lx_mac_parse(const char *s, uint8_t mac[6])
{
	for (int i = 0; i < 6; i++) {
		unsigned int v = 0;

		for (int k = 0; k < 2; k++, s++) {
			char c = *s;

			if (c >= '0' && c <= '9')
				v = v * 16 + (unsigned int)(c - '0');
			else if (c >= 'a' && c <= 'f')
				v = v * 16 + (unsigned int)(c - 'a' + 10);
			else if (c >= 'A' && c <= 'F')
				v = v * 16 + (unsigned int)(c - 'A' + 10);
			else
				return -1;
		}
		mac[i] = (uint8_t)v;
		if (i < 5 && *s++ != ':')
			return -1;
	}
	return *s ? -1 : 0;
}

int lx_nic_nodes(uint32_t domid, uint32_t backend_domid, const struct lx_nic_spec *s, int devid,
		 struct lx_nodes *back, struct lx_nodes *front, char *err, size_t errlen)
{
	const char *script = s->script && s->script[0] ? s->script : "vif-bridge";
	const uint8_t *m = s->mac;
	int bad = 0;

	back->n = front->n = 0;
	if (devid < 0)
		return lx_fail(err, errlen, "vif: invalid device number %d", devid);
	bad |= lx_nodes_add(back, "frontend-id", "%u", domid);
	bad |= lx_nodes_add(back, "online", "1");
	bad |= lx_nodes_add(back, "state", "%d", LX_XBS_INITIALISING);
	bad |= lx_nodes_add(back, "script", "%s%s%s", script[0] == '/' ? "" : LX_SCRIPT_DIR,
			    script[0] == '/' ? "" : "/", script);
	if (s->ifname && s->ifname[0])
		bad |= lx_nodes_add(back, "vifname", "%s", s->ifname);
	bad |= lx_nodes_add(back, "mac", "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3],
			    m[4], m[5]);
	if (s->ip && s->ip[0])
		bad |= lx_nodes_add(back, "ip", "%s", s->ip);
	if (s->gatewaydev && s->gatewaydev[0])
		bad |= lx_nodes_add(back, "gatewaydev", "%s", s->gatewaydev);
	if (s->rate_usecs > 0)
		bad |= lx_nodes_add(back, "rate", "%llu,%u", (unsigned long long)s->rate_bytes,
				    s->rate_usecs);
	if (s->bridge && s->bridge[0])
		bad |= lx_nodes_add(back, "bridge", "%s", s->bridge);
	bad |= lx_nodes_add(back, "handle", "%d", devid);
	bad |= lx_nodes_add(back, "type", "vif");
	/* present but empty: netback then waits for the hotplug script to
	 * say "connected" before it connects the frontend (libxl 4.17) */
	bad |= lx_nodes_add(back, "hotplug-status", "%s", "");
	bad |= lx_nodes_add(front, "backend-id", "%u", backend_domid);
	bad |= lx_nodes_add(front, "state", "%d", LX_XBS_INITIALISING);
	bad |= lx_nodes_add(front, "handle", "%d", devid);
	bad |= lx_nodes_add(front, "mac", "%s", lx_nodes_get(back, "mac"));
	if (bad)
		return lx_fail(err, errlen, "vif %d: a value is too long", devid);
	return 0;
}

/* The next free handle: one past the highest in use (libxl's rule). */
static int next_devid(struct lx_ctx *ctx, uint32_t domid)
{
	unsigned int n;
	int *ids = lx_dev_list(ctx, domid, "vif", &n);
	int next = n ? ids[n - 1] + 1 : 0;

	free(ids);
	return next;
}

int lx_nic_add(struct lx_ctx *ctx, uint32_t domid, const struct lx_nic_spec *spec,
	       int *devid_out, char *err, size_t errlen)
{
	struct lx_nic_spec s = *spec;
	struct lx_nodes back, front;
	struct lx_dev d;
	char name[32];
	int devid = s.devid >= 0 ? s.devid : next_devid(ctx, domid);
	static const uint8_t zero[6];

	if (!memcmp(s.mac, zero, 6)) {
		/* Xen's OUI with random low bytes, as libxl picks one. */
		uint8_t r[3] = { 0 };

		if (random_bytes(r, sizeof(r)) < 0)
			return lx_fail(err, errlen, "vif %d: no random MAC address: %s", devid,
				    strerror(errno));
		s.mac[0] = 0x00;
		s.mac[1] = 0x16;
		s.mac[2] = 0x3e;
		s.mac[3] = r[0] & 0x7f;
		s.mac[4] = r[1];
		s.mac[5] = r[2];
	}
	if (lx_nic_nodes(domid, 0, &s, devid, &back, &front, err, errlen) < 0)
		return -1;
	snprintf(name, sizeof(name), "vif%u.%d", domid, devid);
	lx_dev_init(&d, "vif", domid, 0, devid, name);
	if (lx_dev_write(ctx, &d, &back, &front, err, errlen) < 0)
		return -1;
	if (lx_dev_connect(ctx, &d, err, errlen) < 0)
		return -1;
	if (devid_out)
		*devid_out = devid;
	return 0;
}

int lx_nic_remove(struct lx_ctx *ctx, uint32_t domid, int devid, bool force, char *err,
		  size_t errlen)
{
	struct lx_dev d;
	char name[32], *be;
	unsigned int bdom = 0;
	int rc;

	snprintf(name, sizeof(name), "vif%u.%d", domid, devid);
	lx_dev_init(&d, "vif", domid, 0, devid, name);
	be = lx_dev_read(ctx, d.lx, "backend");
	if (!be) {
		errno = ENOENT;
		return lx_fail(err, errlen, "domain %u has no network device %d", domid, devid);
	}
	if (sscanf(be, "/local/domain/%u/", &bdom) == 1 && bdom != 0)
		lx_dev_init(&d, "vif", domid, bdom, devid, name);
	rc = lx_dev_remove(ctx, &d, force, err, errlen);
	free(be);
	return rc;
}
