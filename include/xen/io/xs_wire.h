/*
 * Xenstore wire ABI of Xen 4.17: message header, message types, the error
 * name table, limits and the shared ring page between a domain and
 * xenstored.  Used by xenstored, libxenstore and tests.
 */
#ifndef XENOLITH_XEN_IO_XS_WIRE_H
#define XENOLITH_XEN_IO_XS_WIRE_H

#include <stdint.h>

enum xsd_sockmsg_type {
	XS_CONTROL = 0,
#define XS_DEBUG XS_CONTROL
	XS_DIRECTORY = 1,
	XS_READ = 2,
	XS_GET_PERMS = 3,
	XS_WATCH = 4,
	XS_UNWATCH = 5,
	XS_TRANSACTION_START = 6,
	XS_TRANSACTION_END = 7,
	XS_INTRODUCE = 8,
	XS_RELEASE = 9,
	XS_GET_DOMAIN_PATH = 10,
	XS_WRITE = 11,
	XS_MKDIR = 12,
	XS_RM = 13,
	XS_SET_PERMS = 14,
	XS_WATCH_EVENT = 15,
	XS_ERROR = 16,
	XS_IS_DOMAIN_INTRODUCED = 17,
	XS_RESUME = 18,
	XS_SET_TARGET = 19,
	/* 20 was XS_RESTRICT; the number stays reserved. */
	XS_RESET_WATCHES = 21,
	XS_DIRECTORY_PART = 22,
	XS_TYPE_COUNT,
	XS_INVALID = 0xffff
};

#define XS_WRITE_NONE "NONE"
#define XS_WRITE_CREATE "CREATE"
#define XS_WRITE_CREATE_EXCL "CREATE|EXCL"

/* Errors travel as the errno *name*; this is the order Xen uses. */
struct xsd_errors {
	int errnum;
	const char *errstring;
};

#ifdef EINVAL
#define XSD_ERROR(x) { x, #x }
static const struct xsd_errors xsd_errors[] __attribute__((unused)) = {
	XSD_ERROR(EINVAL),
	XSD_ERROR(EACCES),
	XSD_ERROR(EEXIST),
	XSD_ERROR(EISDIR),
	XSD_ERROR(ENOENT),
	XSD_ERROR(ENOMEM),
	XSD_ERROR(ENOSPC),
	XSD_ERROR(EIO),
	XSD_ERROR(ENOTEMPTY),
	XSD_ERROR(ENOSYS),
	XSD_ERROR(EROFS),
	XSD_ERROR(EBUSY),
	XSD_ERROR(EAGAIN),
	XSD_ERROR(EISCONN),
	XSD_ERROR(E2BIG),
	XSD_ERROR(EPERM),
};
#undef XSD_ERROR
#endif

/* Every message: this header, then len bytes of payload. */
struct xsd_sockmsg {
	uint32_t type;   /* enum xsd_sockmsg_type */
	uint32_t req_id; /* echoed in the reply */
	uint32_t tx_id;  /* 0: no transaction */
	uint32_t len;    /* payload bytes that follow */
};

enum xs_watch_type {
	XS_WATCH_PATH = 0,
	XS_WATCH_TOKEN
};

/* Shared page between a domain and xenstored: two byte rings with
 * free-running indices, byte i at (i & (XENSTORE_RING_SIZE - 1)). */
#define XENSTORE_RING_SIZE 1024
typedef uint32_t XENSTORE_RING_IDX;
#define MASK_XENSTORE_IDX(idx) ((idx) & (XENSTORE_RING_SIZE - 1))

struct xenstore_domain_interface {
	char req[XENSTORE_RING_SIZE]; /* domain -> xenstored */
	char rsp[XENSTORE_RING_SIZE]; /* xenstored -> domain */
	XENSTORE_RING_IDX req_cons, req_prod;
	XENSTORE_RING_IDX rsp_cons, rsp_prod;
	uint32_t server_features;
	uint32_t connection;
	uint32_t error;
};

/* Limits, both directions. */
#define XENSTORE_PAYLOAD_MAX 4096
#define XENSTORE_ABS_PATH_MAX 3072
#define XENSTORE_REL_PATH_MAX 2048

/* server_features bits */
#define XENSTORE_SERVER_FEATURE_RECONNECTION 1
#define XENSTORE_SERVER_FEATURE_ERROR 2

/* connection field */
#define XENSTORE_CONNECTED 0
#define XENSTORE_RECONNECT 1

/* error field */
#define XENSTORE_ERROR_NONE 0
#define XENSTORE_ERROR_COMM 1
#define XENSTORE_ERROR_RINGIDX 2
#define XENSTORE_ERROR_PROTO 3

#endif
