/* hvm_op hypercall (34). */
#ifndef XEN_PUBLIC_HVM_HVM_OP_H
#define XEN_PUBLIC_HVM_HVM_OP_H

#include <stdint.h>
#include "../xen.h"

#define HVMOP_set_param 0
#define HVMOP_get_param 1
#define HVMOP_flush_tlbs 5
#define HVMOP_pagetable_dying 9
#define HVMOP_get_time 10
#define HVMOP_get_mem_type 15
#define HVMOP_set_evtchn_upcall_vector 23

struct xen_hvm_param {
	domid_t domid;
	uint16_t pad;
	uint32_t index;
	uint64_t value;
};

struct xen_hvm_pagetable_dying {
	domid_t domid;
	uint16_t pad[3];
	uint64_t gpa;
};

struct xen_hvm_get_time {
	uint64_t now;
};

struct xen_hvm_evtchn_upcall_vector {
	uint32_t vcpu;
	uint8_t vector;
};

#endif
