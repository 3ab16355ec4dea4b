/* event_channel_op hypercall (32), 2-level ABI structures. */
#ifndef XEN_PUBLIC_EVENT_CHANNEL_H
#define XEN_PUBLIC_EVENT_CHANNEL_H

#include <stdint.h>
#include "xen.h"

typedef uint32_t evtchn_port_t;

#define EVTCHNOP_bind_interdomain 0
#define EVTCHNOP_bind_virq 1
#define EVTCHNOP_bind_pirq 2
#define EVTCHNOP_close 3
#define EVTCHNOP_send 4
#define EVTCHNOP_status 5
#define EVTCHNOP_alloc_unbound 6
#define EVTCHNOP_bind_ipi 7
#define EVTCHNOP_bind_vcpu 8
#define EVTCHNOP_unmask 9
#define EVTCHNOP_reset 10
#define EVTCHNOP_init_control 11
#define EVTCHNOP_expand_array 12
#define EVTCHNOP_set_priority 13
#define EVTCHNOP_reset_cont 14

struct evtchn_alloc_unbound {
	domid_t dom, remote_dom;
	evtchn_port_t port;
};

struct evtchn_bind_interdomain {
	domid_t remote_dom;
	evtchn_port_t remote_port;
	evtchn_port_t local_port;
};

#define VIRQ_TIMER 0
#define VIRQ_DEBUG 1
#define VIRQ_CONSOLE 2
#define VIRQ_DOM_EXC 3
#define VIRQ_TBUF 4
#define VIRQ_DEBUGGER 6
#define VIRQ_XENOPROF 7
#define VIRQ_CON_RING 8
#define VIRQ_PCPU_STATE 9
#define VIRQ_MEM_EVENT 10
#define VIRQ_ARGO 11
#define VIRQ_ENOMEM 12
#define VIRQ_XENPMU 13
#define NR_VIRQS 24

struct evtchn_bind_virq {
	uint32_t virq;
	uint32_t vcpu;
	evtchn_port_t port;
};

struct evtchn_bind_pirq {
	uint32_t pirq;
	uint32_t flags;
	evtchn_port_t port;
};

struct evtchn_bind_ipi {
	uint32_t vcpu;
	evtchn_port_t port;
};

struct evtchn_close {
	evtchn_port_t port;
};

struct evtchn_send {
	evtchn_port_t port;
};

#define EVTCHNSTAT_closed 0
#define EVTCHNSTAT_unbound 1
#define EVTCHNSTAT_interdomain 2
#define EVTCHNSTAT_pirq 3
#define EVTCHNSTAT_virq 4
#define EVTCHNSTAT_ipi 5

struct evtchn_status {
	domid_t dom;
	evtchn_port_t port;
	uint32_t status;
	uint32_t vcpu;
	union {
		struct {
			domid_t dom;
		} unbound;
		struct {
			domid_t dom;
			evtchn_port_t port;
		} interdomain;
		uint32_t pirq;
		uint32_t virq;
	} u;
};

struct evtchn_bind_vcpu {
	evtchn_port_t port;
	uint32_t vcpu;
};

struct evtchn_unmask {
	evtchn_port_t port;
};

struct evtchn_reset {
	domid_t dom;
};

struct evtchn_init_control {
	uint64_t control_gfn;
	uint32_t offset;
	uint32_t vcpu;
	uint8_t link_bits;
	uint8_t _pad[7];
};

struct evtchn_expand_array {
	uint64_t array_gfn;
};

struct evtchn_set_priority {
	evtchn_port_t port;
	uint32_t priority;
};

#endif
