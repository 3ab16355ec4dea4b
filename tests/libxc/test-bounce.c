/* xc_bounce: callers' arrays staged in hypercall buffers and copied back,
 * and the wrappers built on it on a failing hypercall (a handle whose
 * privcmd is /dev/null: every ioctl fails with ENOTTY). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xen/domctl.h>
#include <xen/memory.h>
#include <xenguest.h>
#include "check.h"
#include "xc_private.h"

static xc_interface *handle_on(const char *privcmd)
{
	xc_interface *xch = calloc(1, sizeof(*xch));

	if (!xch)
		return NULL;
	pthread_mutex_init(&xch->lock, NULL);
	xch->hcall_fd = -1;	/* locked anonymous memory, as on old kernels */
	xch->privcmd_fd = open(privcmd, O_RDWR | O_CLOEXEC);
	return xch;
}

static void staging(xc_interface *xch)
{
	unsigned char src[64], dst[64];
	struct xc_bounce none = { .in = src, .out = dst, .size = 0 };
	struct xc_bounce b = { .in = src, .out = dst, .size = sizeof(src) };

	for (unsigned int i = 0; i < sizeof(src); i++)
		src[i] = (unsigned char)(i + 1);
	memset(dst, 0xee, sizeof(dst));

	CHECK(xc_bounce_stage(xch, &none) == 0 && !none.buf, "size 0 stages nothing (a NULL handle)");
	xc_bounce_done(xch, &none, sizeof(dst));
	CHECK(dst[0] == 0xee, "size 0 copies nothing back");

	CHECK(xc_bounce_stage(xch, &b) == 0 && b.buf, "an array is staged");
	CHECK(b.buf && b.buf != src && !memcmp(b.buf, src, sizeof(src)),
	      "the staged buffer holds a copy of `in'");
	memset(b.buf, 0x5a, sizeof(src));
	errno = ENOTTY;
	xc_bounce_done(xch, &b, 10);
	CHECK(errno == ENOTTY, "done keeps errno (it runs on error paths)");
	CHECK(!b.buf, "done frees the buffer");
	CHECK(dst[0] == 0x5a && dst[9] == 0x5a && dst[10] == 0xee,
	      "done copies back out_len bytes and no more");

	CHECK(xc_bounce_stage(xch, &b) == 0, "staged again (the cached page)");
	CHECK(b.buf && !memcmp(b.buf, src, sizeof(src)), "a reused page holds the new copy");
	xc_bounce_done(xch, &b, 1000);	/* ASan: must not read or write past size */
	CHECK(!memcmp(dst, src, sizeof(src)), "out_len beyond size copies size bytes");

	struct xc_bounce out_only = { .out = dst, .size = sizeof(dst) };
	CHECK(xc_bounce_stage(xch, &out_only) == 0 && out_only.buf, "an output-only array is staged");
	xc_bounce_done(xch, &out_only, 0);
	CHECK(!memcmp(dst, src, sizeof(src)), "out_len 0 (failed call) leaves `out' alone");
}

static void failing_calls(xc_interface *xch)
{
	struct xen_cpuid_leaf leaves[4];
	struct xen_msr_entry msrs[2];
	uint32_t nl = 4, nm = 2, el = 7, es = 7, em = 7;
	unsigned int nodes = 3;
	xc_meminfo_t mem[3];
	uint32_t dist[9];

	memset(leaves, 0xab, sizeof(leaves));
	memset(msrs, 0xab, sizeof(msrs));
	errno = 0;
	CHECK(xc_get_domain_cpu_policy(xch, 1, &nl, leaves, &nm, msrs) == -1 && errno == ENOTTY,
	      "get_cpu_policy: the hypercall's errno survives the buffers being freed");
	CHECK(nl == 4 && nm == 2, "get_cpu_policy: counts untouched on failure");
	CHECK(((unsigned char *)leaves)[0] == 0xab && ((unsigned char *)msrs)[0] == 0xab,
	      "get_cpu_policy: arrays untouched on failure");

	errno = 0;
	CHECK(xc_set_domain_cpu_policy(xch, 1, 4, leaves, 2, msrs, &el, &es, &em) == -1 &&
	      errno == ENOTTY, "set_cpu_policy: the hypercall's errno survives");
	CHECK(el == ~0u && es == ~0u && em == ~0u, "set_cpu_policy: no failing leaf named");

	memset(mem, 0xab, sizeof(mem));
	errno = 0;
	CHECK(xc_numainfo(xch, &nodes, mem, dist) == -1 && errno == ENOTTY,
	      "numainfo: the hypercall's errno survives");
	CHECK(nodes == 3 && ((unsigned char *)mem)[0] == 0xab, "numainfo: nothing written on failure");

	xc_domaininfo_t info[2];
	memset(info, 0xab, sizeof(info));
	errno = 0;
	CHECK(xc_domain_getinfolist(xch, 0, 2, info) == -1 && errno == ENOTTY &&
	      ((unsigned char *)info)[0] == 0xab, "getinfolist: errno kept, nothing written");

	char con[16] = "untouched";
	unsigned int nchars = sizeof(con);
	errno = 0;
	CHECK(xc_readconsolering(xch, con, &nchars, 0, 0, NULL) == -1 && errno == ENOTTY &&
	      nchars == sizeof(con) && !strcmp(con, "untouched"),
	      "readconsolering: errno kept, nothing written");

	uint8_t ctx[32];
	memset(ctx, 0xab, sizeof(ctx));
	errno = 0;
	CHECK(xc_domain_hvm_getcontext(xch, 1, ctx, sizeof(ctx)) == -1 && errno == ENOTTY &&
	      ctx[0] == 0xab, "hvm_getcontext: errno kept, nothing written");
	errno = 0;
	CHECK(xc_domain_hvm_setcontext(xch, 1, ctx, sizeof(ctx)) == -1 && errno == ENOTTY,
	      "hvm_setcontext: errno kept");

	xen_pfn_t pfns[3] = { 1, 2, 3 };
	errno = 0;
	CHECK(xc_domain_populate_physmap_exact(xch, 1, 3, 0, 0, pfns) == -1 && errno == ENOTTY &&
	      pfns[0] == 1 && pfns[2] == 3, "populate_physmap: errno kept, frames untouched");

	struct xen_e820_entry e820[2] = { { 0, 0x1000, 1 }, { 0x100000, 0x1000, 1 } };
	errno = 0;
	CHECK(xc_domain_set_memory_map(xch, 1, e820, 2) == -1 && errno == ENOTTY,
	      "set_memory_map: errno kept");
}

int main(void)
{
	xc_interface *xch = handle_on("/dev/null");

	CHECK(xch && xch->privcmd_fd >= 0, "a handle on /dev/null");
	if (!xch || xch->privcmd_fd < 0)
		return check_done();
	staging(xch);
	failing_calls(xch);
	xc_interface_close(xch);
	return check_done();
}
