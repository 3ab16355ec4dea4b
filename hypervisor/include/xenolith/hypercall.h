/* Hypercall dispatch and the guest-visible platform (CPUID, MSRs). */
#ifndef XENOLITH_HYPERCALL_H
#define XENOLITH_HYPERCALL_H

#include "lib.h"

struct vcpu;

#define HYPERCALL_PAGE_ENTRIES 128

/* 64-bit ABI: nr in rax, arguments rdi rsi rdx r10 r8. */
long hypercall_dispatch(struct vcpu *v, unsigned long nr, const unsigned long args[5]);
/* Fill a hypercall page: "mov eax, n; vmmcall; ret" per 32-byte slot. */
void hypercall_page_fill(uint8_t page[4096]);

typedef void (*cpuid_host_fn)(uint32_t leaf, uint32_t sub, uint32_t out[4]);
struct cpuid_ctx {
	cpuid_host_fn host;
	unsigned int vcpu_id;
	unsigned int domid;
	unsigned int nr_vcpus;
};
/* The CPUID a guest sees: host leaves filtered, plus the Xen leaves. */
void cpuid_guest(const struct cpuid_ctx *c, uint32_t leaf, uint32_t sub,
		 uint32_t out[4]);

#endif
