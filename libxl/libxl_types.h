/* The domain configuration model: the C types of Xen 4.17's libxl IDL
 * that a domain config uses, with the same field names, so that code
 * written against libxl.h compiles and the JSON has the same shape. */
#ifndef LIBXL_TYPES_H
#define LIBXL_TYPES_H

#include <stdbool.h>
#include <stdint.h>

/* ---- builtin types ---- */
typedef struct { int val; } libxl_defbool;
typedef uint32_t libxl_domid;
typedef int libxl_devid;
typedef struct { uint8_t uuid[16]; } libxl_uuid;
typedef uint8_t libxl_mac[6];
typedef struct {
	uint32_t size;          /* bytes in map */
	uint8_t *map;
} libxl_bitmap;
typedef char **libxl_string_list;        /* NULL-terminated */
typedef char **libxl_key_value_list;     /* key, value, ..., NULL */
typedef uint32_t *libxl_hwcap;
typedef struct { uint8_t bytes[16]; } libxl_ms_vm_genid;

/* "cpuid=" policies as libxl keeps them: per CPUID leaf (and subleaf)
 * four 32-character register strings of '0','1','x','k','s' (bit 31
 * first), and per MSR one 64-character string. */
#define XEN_CPUID_INPUT_UNUSED 0xFFFFFFFFu
typedef struct {
	uint32_t input[2];      /* leaf, subleaf (UNUSED when none) */
	char *policy[4];        /* eax, ebx, ecx, edx; NULL = untouched */
} libxl_cpuid_leaf;
typedef struct {
	uint32_t index;
	char policy[65];
} libxl_cpuid_msr;
typedef struct libxl__cpuid_policy {
	int num_leaves;
	libxl_cpuid_leaf *leaves;
	int num_msrs;
	libxl_cpuid_msr *msrs;
} libxl_cpuid_policy;
typedef libxl_cpuid_policy *libxl_cpuid_policy_list;

#define LIBXL_MEMKB_DEFAULT (~0ULL)
#define LIBXL_MAX_GRANT_DEFAULT (~(uint32_t)0)
#define LIBXL_TIMER_MODE_DEFAULT -1
#define LIBXL_INVALID_GFN (~(uint64_t)0)
#define LIBXL_DOMAIN_SCHED_PARAM_WEIGHT_DEFAULT -1
#define LIBXL_DOMAIN_SCHED_PARAM_CAP_DEFAULT -1
#define LIBXL_DOMAIN_SCHED_PARAM_PERIOD_DEFAULT -1
#define LIBXL_DOMAIN_SCHED_PARAM_SLICE_DEFAULT -1
#define LIBXL_DOMAIN_SCHED_PARAM_LATENCY_DEFAULT -1
#define LIBXL_DOMAIN_SCHED_PARAM_EXTRATIME_DEFAULT -1
#define LIBXL_DOMAIN_SCHED_PARAM_BUDGET_DEFAULT -1

/* ---- enumerations (values as in the 4.17 IDL) ---- */
typedef enum {
	LIBXL_DOMAIN_TYPE_INVALID = -1, LIBXL_DOMAIN_TYPE_HVM = 1,
	LIBXL_DOMAIN_TYPE_PV = 2, LIBXL_DOMAIN_TYPE_PVH = 3,
} libxl_domain_type;
typedef enum { LIBXL_RDM_RESERVE_STRATEGY_IGNORE = 0, LIBXL_RDM_RESERVE_STRATEGY_HOST = 1 } libxl_rdm_reserve_strategy;
typedef enum { LIBXL_RDM_RESERVE_POLICY_INVALID = -1, LIBXL_RDM_RESERVE_POLICY_STRICT = 0, LIBXL_RDM_RESERVE_POLICY_RELAXED = 1 } libxl_rdm_reserve_policy;
typedef enum { LIBXL_CHANNEL_CONNECTION_UNKNOWN = 0, LIBXL_CHANNEL_CONNECTION_PTY = 1, LIBXL_CHANNEL_CONNECTION_SOCKET = 2 } libxl_channel_connection;
typedef enum { LIBXL_DEVICE_MODEL_VERSION_UNKNOWN = 0, LIBXL_DEVICE_MODEL_VERSION_QEMU_XEN_TRADITIONAL = 1, LIBXL_DEVICE_MODEL_VERSION_QEMU_XEN = 2 } libxl_device_model_version;
typedef enum {
	LIBXL_DISK_FORMAT_UNKNOWN = 0, LIBXL_DISK_FORMAT_QCOW = 1, LIBXL_DISK_FORMAT_QCOW2 = 2,
	LIBXL_DISK_FORMAT_VHD = 3, LIBXL_DISK_FORMAT_RAW = 4, LIBXL_DISK_FORMAT_EMPTY = 5, LIBXL_DISK_FORMAT_QED = 6,
} libxl_disk_format;
typedef enum {
	LIBXL_DISK_BACKEND_UNKNOWN = 0, LIBXL_DISK_BACKEND_PHY = 1, LIBXL_DISK_BACKEND_TAP = 2,
	LIBXL_DISK_BACKEND_QDISK = 3, LIBXL_DISK_BACKEND_STANDALONE = 4,
} libxl_disk_backend;
typedef enum { LIBXL_DISK_SPECIFICATION_UNKNOWN = 0, LIBXL_DISK_SPECIFICATION_XEN = 1, LIBXL_DISK_SPECIFICATION_VIRTIO = 2 } libxl_disk_specification;
typedef enum { LIBXL_DISK_TRANSPORT_UNKNOWN = 0, LIBXL_DISK_TRANSPORT_MMIO = 1 } libxl_disk_transport;
typedef enum { LIBXL_NIC_TYPE_UNKNOWN = 0, LIBXL_NIC_TYPE_VIF_IOEMU = 1, LIBXL_NIC_TYPE_VIF = 2 } libxl_nic_type;
typedef enum {
	LIBXL_ACTION_ON_SHUTDOWN_DESTROY = 1, LIBXL_ACTION_ON_SHUTDOWN_RESTART = 2,
	LIBXL_ACTION_ON_SHUTDOWN_RESTART_RENAME = 3, LIBXL_ACTION_ON_SHUTDOWN_PRESERVE = 4,
	LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_DESTROY = 5, LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_RESTART = 6,
	LIBXL_ACTION_ON_SHUTDOWN_SOFT_RESET = 7,
} libxl_action_on_shutdown;
typedef enum { LIBXL_TSC_MODE_DEFAULT = 0, LIBXL_TSC_MODE_ALWAYS_EMULATE = 1, LIBXL_TSC_MODE_NATIVE = 2, LIBXL_TSC_MODE_NATIVE_PARAVIRT = 3 } libxl_tsc_mode;
typedef enum { LIBXL_GFX_PASSTHRU_KIND_DEFAULT = 0, LIBXL_GFX_PASSTHRU_KIND_IGD = 1 } libxl_gfx_passthru_kind;
typedef enum {
	LIBXL_TIMER_MODE_UNKNOWN = -1, LIBXL_TIMER_MODE_DELAY_FOR_MISSED_TICKS = 0,
	LIBXL_TIMER_MODE_NO_DELAY_FOR_MISSED_TICKS = 1, LIBXL_TIMER_MODE_NO_MISSED_TICKS_PENDING = 2,
	LIBXL_TIMER_MODE_ONE_MISSED_TICK_PENDING = 3,
} libxl_timer_mode;
typedef enum { LIBXL_BIOS_TYPE_UNKNOWN = 0, LIBXL_BIOS_TYPE_ROMBIOS = 1, LIBXL_BIOS_TYPE_SEABIOS = 2, LIBXL_BIOS_TYPE_OVMF = 3 } libxl_bios_type;
typedef enum {
	LIBXL_SCHEDULER_UNKNOWN = 0, LIBXL_SCHEDULER_SEDF = 4, LIBXL_SCHEDULER_CREDIT = 5,
	LIBXL_SCHEDULER_CREDIT2 = 6, LIBXL_SCHEDULER_ARINC653 = 7, LIBXL_SCHEDULER_RTDS = 8, LIBXL_SCHEDULER_NULL = 9,
} libxl_scheduler;
typedef enum {
	LIBXL_VGA_INTERFACE_TYPE_UNKNOWN = 0, LIBXL_VGA_INTERFACE_TYPE_CIRRUS = 1, LIBXL_VGA_INTERFACE_TYPE_STD = 2,
	LIBXL_VGA_INTERFACE_TYPE_NONE = 3, LIBXL_VGA_INTERFACE_TYPE_QXL = 4,
} libxl_vga_interface_type;
typedef enum { LIBXL_VENDOR_DEVICE_NONE = 0, LIBXL_VENDOR_DEVICE_XENSERVER = 1 } libxl_vendor_device;
typedef enum {
	LIBXL_VIRIDIAN_ENLIGHTENMENT_BASE = 0, LIBXL_VIRIDIAN_ENLIGHTENMENT_FREQ = 1,
	LIBXL_VIRIDIAN_ENLIGHTENMENT_TIME_REF_COUNT = 2, LIBXL_VIRIDIAN_ENLIGHTENMENT_REFERENCE_TSC = 3,
	LIBXL_VIRIDIAN_ENLIGHTENMENT_HCALL_REMOTE_TLB_FLUSH = 4, LIBXL_VIRIDIAN_ENLIGHTENMENT_APIC_ASSIST = 5,
	LIBXL_VIRIDIAN_ENLIGHTENMENT_CRASH_CTL = 6, LIBXL_VIRIDIAN_ENLIGHTENMENT_SYNIC = 7,
	LIBXL_VIRIDIAN_ENLIGHTENMENT_STIMER = 8, LIBXL_VIRIDIAN_ENLIGHTENMENT_HCALL_IPI = 9,
	LIBXL_VIRIDIAN_ENLIGHTENMENT_EX_PROCESSOR_MASKS = 10, LIBXL_VIRIDIAN_ENLIGHTENMENT_NO_VP_LIMIT = 11,
	LIBXL_VIRIDIAN_ENLIGHTENMENT_CPU_HOTPLUG = 12,
} libxl_viridian_enlightenment;
typedef enum { LIBXL_HDTYPE_IDE = 1, LIBXL_HDTYPE_AHCI = 2 } libxl_hdtype;
typedef enum { LIBXL_VUART_TYPE_UNKNOWN = 0, LIBXL_VUART_TYPE_SBSA_UART = 1 } libxl_vuart_type;
typedef enum { LIBXL_VKB_BACKEND_UNKNOWN = 0, LIBXL_VKB_BACKEND_QEMU = 1, LIBXL_VKB_BACKEND_LINUX = 2 } libxl_vkb_backend;
typedef enum {
	LIBXL_PASSTHROUGH_DEFAULT = 0, LIBXL_PASSTHROUGH_DISABLED = 1, LIBXL_PASSTHROUGH_ENABLED = 2,
	LIBXL_PASSTHROUGH_SYNC_PT = 3, LIBXL_PASSTHROUGH_SHARE_PT = 4,
} libxl_passthrough;
typedef enum { LIBXL_GIC_VERSION_DEFAULT = 0, LIBXL_GIC_VERSION_V2 = 0x20, LIBXL_GIC_VERSION_V3 = 0x30 } libxl_gic_version;
typedef enum { LIBXL_TEE_TYPE_NONE = 0, LIBXL_TEE_TYPE_OPTEE = 1 } libxl_tee_type;
typedef enum { LIBXL_ALTP2M_MODE_DISABLED = 0, LIBXL_ALTP2M_MODE_MIXED = 1, LIBXL_ALTP2M_MODE_EXTERNAL = 2, LIBXL_ALTP2M_MODE_LIMITED = 3 } libxl_altp2m_mode;
typedef enum { LIBXL_USBCTRL_TYPE_AUTO = 0, LIBXL_USBCTRL_TYPE_PV = 1, LIBXL_USBCTRL_TYPE_DEVICEMODEL = 2, LIBXL_USBCTRL_TYPE_QUSB = 3 } libxl_usbctrl_type;
typedef enum { LIBXL_USBDEV_TYPE_HOSTDEV = 1 } libxl_usbdev_type;
typedef enum {
	LIBXL_VSND_PCM_FORMAT_S8 = 1, LIBXL_VSND_PCM_FORMAT_U8, LIBXL_VSND_PCM_FORMAT_S16_LE,
	LIBXL_VSND_PCM_FORMAT_S16_BE, LIBXL_VSND_PCM_FORMAT_U16_LE, LIBXL_VSND_PCM_FORMAT_U16_BE,
	LIBXL_VSND_PCM_FORMAT_S24_LE, LIBXL_VSND_PCM_FORMAT_S24_BE, LIBXL_VSND_PCM_FORMAT_U24_LE,
	LIBXL_VSND_PCM_FORMAT_U24_BE, LIBXL_VSND_PCM_FORMAT_S32_LE, LIBXL_VSND_PCM_FORMAT_S32_BE,
	LIBXL_VSND_PCM_FORMAT_U32_LE, LIBXL_VSND_PCM_FORMAT_U32_BE, LIBXL_VSND_PCM_FORMAT_F32_LE,
	LIBXL_VSND_PCM_FORMAT_F32_BE, LIBXL_VSND_PCM_FORMAT_F64_LE, LIBXL_VSND_PCM_FORMAT_F64_BE,
	LIBXL_VSND_PCM_FORMAT_IEC958_SUBFRAME_LE, LIBXL_VSND_PCM_FORMAT_IEC958_SUBFRAME_BE,
	LIBXL_VSND_PCM_FORMAT_MU_LAW, LIBXL_VSND_PCM_FORMAT_A_LAW, LIBXL_VSND_PCM_FORMAT_IMA_ADPCM,
	LIBXL_VSND_PCM_FORMAT_MPEG, LIBXL_VSND_PCM_FORMAT_GSM,
} libxl_vsnd_pcm_format;
typedef enum { LIBXL_VSND_STREAM_TYPE_P = 1, LIBXL_VSND_STREAM_TYPE_C = 2 } libxl_vsnd_stream_type;

/* ---- structures ---- */
typedef struct { uint32_t first, number; } libxl_ioport_range;
typedef struct { uint64_t start, number, gfn; } libxl_iomem_range;
typedef struct { libxl_vga_interface_type kind; } libxl_vga_interface_info;
typedef struct {
	libxl_defbool enable; char *listen; char *passwd; int display; libxl_defbool findunused;
} libxl_vnc_info;
typedef struct {
	libxl_defbool enable; int port; int tls_port; char *host; libxl_defbool disable_ticketing;
	char *passwd; libxl_defbool agent_mouse; libxl_defbool vdagent; libxl_defbool clipboard_sharing;
	int usbredirection; char *image_compression; char *streaming_video;
} libxl_spice_info;
typedef struct { libxl_defbool enable; libxl_defbool opengl; char *display; char *xauthority; } libxl_sdl_info;

typedef struct {
	libxl_domain_type type;
	libxl_defbool hap;
	libxl_defbool oos;
	uint32_t ssidref;
	char *ssid_label;
	char *name;
	libxl_domid domid;
	libxl_uuid uuid;
	libxl_key_value_list xsdata;
	libxl_key_value_list platformdata;
	uint32_t poolid;
	char *pool_name;
	libxl_defbool run_hotplug_scripts;
	libxl_defbool driver_domain;
	libxl_passthrough passthrough;
	libxl_defbool xend_suspend_evtchn_compat;
} libxl_domain_create_info;

typedef struct {
	libxl_scheduler sched;
	int weight, cap, period, budget, extratime, slice, latency;
} libxl_domain_sched_params;

typedef struct {
	uint64_t memkb;
	int num_distances;
	uint32_t *distances;
	uint32_t pnode;
	libxl_bitmap vcpus;
} libxl_vnode_info;

typedef struct { libxl_rdm_reserve_strategy strategy; libxl_rdm_reserve_policy policy; } libxl_rdm_reserve;

typedef struct {
	int max_vcpus;
	libxl_bitmap avail_vcpus;
	libxl_bitmap cpumap;
	libxl_bitmap nodemap;
	int num_vcpu_hard_affinity;
	libxl_bitmap *vcpu_hard_affinity;
	int num_vcpu_soft_affinity;
	libxl_bitmap *vcpu_soft_affinity;
	libxl_defbool numa_placement;
	libxl_tsc_mode tsc_mode;
	uint64_t max_memkb, target_memkb, video_memkb, shadow_memkb, iommu_memkb;
	uint32_t rtc_timeoffset;
	uint32_t exec_ssidref;
	char *exec_ssid_label;
	libxl_defbool localtime;
	libxl_defbool disable_migrate;
	libxl_cpuid_policy_list cpuid;
	char *blkdev_start;
	int num_vnuma_nodes;
	libxl_vnode_info *vnuma_nodes;
	uint32_t max_grant_frames;
	uint32_t max_maptrack_frames;
	int max_grant_version;
	libxl_device_model_version device_model_version;
	libxl_defbool device_model_stubdomain;
	uint64_t stubdomain_memkb;
	char *stubdomain_kernel, *stubdomain_cmdline, *stubdomain_ramdisk;
	char *device_model;
	uint32_t device_model_ssidref;
	char *device_model_ssid_label;
	char *device_model_user;
	libxl_string_list extra, extra_pv, extra_hvm;
	libxl_domain_sched_params sched_params;
	int num_ioports;
	libxl_ioport_range *ioports;
	int num_irqs;
	uint32_t *irqs;
	int num_iomem;
	libxl_iomem_range *iomem;
	libxl_defbool claim_mode;
	uint32_t event_channels;
	char *kernel, *cmdline, *ramdisk, *device_tree;
	libxl_defbool acpi;
	char *bootloader;
	libxl_string_list bootloader_args;
	libxl_timer_mode timer_mode;
	libxl_defbool nested_hvm;
	libxl_defbool apic;
	libxl_defbool dm_restrict;
	libxl_tee_type tee;
	libxl_domain_type type;
	union {
		struct {
			char *firmware;
			libxl_bios_type bios;
			libxl_defbool pae, apic, acpi, acpi_s3, acpi_s4, acpi_laptop_slate, nx, viridian;
			libxl_bitmap viridian_enable, viridian_disable;
			char *timeoffset;
			libxl_defbool hpet, vpt_align;
			uint64_t mmio_hole_memkb;
			libxl_timer_mode timer_mode;
			libxl_defbool nested_hvm, altp2m;
			char *system_firmware, *smbios_firmware, *acpi_firmware;
			libxl_hdtype hdtype;
			libxl_defbool nographic;
			libxl_vga_interface_info vga;
			libxl_vnc_info vnc;
			char *keymap;
			libxl_sdl_info sdl;
			libxl_spice_info spice;
			libxl_defbool gfx_passthru;
			libxl_gfx_passthru_kind gfx_passthru_kind;
			char *serial, *boot;
			libxl_defbool usb;
			int usbversion;
			char *usbdevice;
			libxl_defbool vkb_device;
			char *soundhw;
			libxl_defbool xen_platform_pci;
			libxl_string_list usbdevice_list;
			libxl_vendor_device vendor_device;
			libxl_ms_vm_genid ms_vm_genid;
			libxl_string_list serial_list;
			libxl_rdm_reserve rdm;
			uint64_t rdm_mem_boundary_memkb;
			uint64_t mca_caps;
		} hvm;
		struct {
			char *kernel;
			uint64_t slack_memkb;
			char *bootloader;
			libxl_string_list bootloader_args;
			char *cmdline, *ramdisk;
			const char *features;
			libxl_defbool e820_host;
		} pv;
		struct {
			libxl_defbool pvshim;
			char *pvshim_path, *pvshim_cmdline, *pvshim_extra;
		} pvh;
	} u;
	struct { libxl_gic_version gic_version; libxl_vuart_type vuart; } arch_arm;
	struct { libxl_defbool msr_relaxed; } arch_x86;
	libxl_altp2m_mode altp2m;
	int vmtrace_buf_kb;
	libxl_defbool vpmu;
} libxl_domain_build_info;

typedef struct {
	libxl_domid backend_domid; char *backend_domname; libxl_devid devid;
	libxl_vnc_info vnc; libxl_sdl_info sdl; char *keymap;
} libxl_device_vfb;

typedef struct {
	libxl_domid backend_domid; char *backend_domname; libxl_devid devid;
	libxl_vkb_backend backend_type; char *unique_id;
	bool feature_disable_keyboard, feature_disable_pointer, feature_abs_pointer,
	     feature_raw_pointer, feature_multi_touch;
	uint32_t width, height, multi_touch_width, multi_touch_height, multi_touch_num_contacts;
} libxl_device_vkb;

typedef struct {
	libxl_domid backend_domid;
	char *backend_domname;
	char *pdev_path;
	char *vdev;
	libxl_disk_backend backend;
	libxl_disk_format format;
	char *script;
	int removable, readwrite, is_cdrom;
	bool direct_io_safe;
	libxl_defbool discard_enable;
	libxl_disk_specification specification;
	libxl_disk_transport transport;
	uint32_t irq;
	uint64_t base;
	libxl_defbool colo_enable, colo_restore_enable;
	char *colo_host;
	int colo_port;
	char *colo_export, *active_disk, *hidden_disk;
	libxl_defbool trusted;
} libxl_device_disk;

typedef struct {
	libxl_domid backend_domid;
	char *backend_domname;
	libxl_devid devid;
	int mtu;
	char *model;
	libxl_mac mac;
	char *ip, *bridge, *ifname, *script;
	libxl_nic_type nictype;
	uint64_t rate_bytes_per_interval;
	uint32_t rate_interval_usecs;
	char *gatewaydev;
	char *coloft_forwarddev;
	char *colo_sock_mirror_id, *colo_sock_mirror_ip, *colo_sock_mirror_port;
	char *colo_sock_compare_pri_in_id, *colo_sock_compare_pri_in_ip, *colo_sock_compare_pri_in_port;
	char *colo_sock_compare_sec_in_id, *colo_sock_compare_sec_in_ip, *colo_sock_compare_sec_in_port;
	char *colo_sock_compare_notify_id, *colo_sock_compare_notify_ip, *colo_sock_compare_notify_port;
	char *colo_sock_redirector0_id, *colo_sock_redirector0_ip, *colo_sock_redirector0_port;
	char *colo_sock_redirector1_id, *colo_sock_redirector1_ip, *colo_sock_redirector1_port;
	char *colo_sock_redirector2_id, *colo_sock_redirector2_ip, *colo_sock_redirector2_port;
	char *colo_filter_mirror_queue, *colo_filter_mirror_outdev;
	char *colo_filter_redirector0_queue, *colo_filter_redirector0_indev, *colo_filter_redirector0_outdev;
	char *colo_filter_redirector1_queue, *colo_filter_redirector1_indev, *colo_filter_redirector1_outdev;
	char *colo_compare_pri_in, *colo_compare_sec_in, *colo_compare_out, *colo_compare_notify_dev;
	char *colo_sock_sec_redirector0_id, *colo_sock_sec_redirector0_ip, *colo_sock_sec_redirector0_port;
	char *colo_sock_sec_redirector1_id, *colo_sock_sec_redirector1_ip, *colo_sock_sec_redirector1_port;
	char *colo_filter_sec_redirector0_queue, *colo_filter_sec_redirector0_indev, *colo_filter_sec_redirector0_outdev;
	char *colo_filter_sec_redirector1_queue, *colo_filter_sec_redirector1_indev, *colo_filter_sec_redirector1_outdev;
	char *colo_filter_sec_rewriter0_queue;
	char *colo_checkpoint_host, *colo_checkpoint_port;
	libxl_defbool trusted;
} libxl_device_nic;

typedef struct {
	uint8_t func, dev, bus;
	int domain;
	uint32_t vdevfn, vfunc_mask;
	bool msitranslate, power_mgmt, permissive, seize;
	libxl_rdm_reserve_policy rdm_policy;
	char *name;
} libxl_device_pci;

typedef struct { uint64_t start, size; libxl_rdm_reserve_policy policy; } libxl_device_rdm;
typedef struct { char *path; } libxl_device_dtdev;
typedef struct { libxl_domid backend_domid; char *backend_domname; libxl_devid devid; libxl_uuid uuid; } libxl_device_vtpm;
typedef struct {
	libxl_domid backend_domid; char *backend_domname; char *tag; char *path;
	char *security_model; libxl_devid devid;
} libxl_device_p9;
typedef struct { libxl_domid backend_domid; char *backend_domname; libxl_devid devid; } libxl_device_pvcallsif;
typedef struct {
	libxl_domid backend_domid; char *backend_domname; libxl_devid devid; char *name;
	libxl_channel_connection connection;
	union { struct { char *path; } socket; } u;
} libxl_device_channel;
typedef struct {
	libxl_usbctrl_type type; libxl_devid devid; int version; int ports;
	libxl_domid backend_domid; char *backend_domname;
} libxl_device_usbctrl;
typedef struct {
	libxl_devid ctrl; int port; libxl_usbdev_type type;
	union { struct { uint8_t hostbus, hostaddr; } hostdev; } u;
} libxl_device_usbdev;

typedef struct { char *unique_id; uint32_t width, height; } libxl_connector_param;
typedef struct {
	libxl_domid backend_domid; char *backend_domname; libxl_devid devid; bool be_alloc;
	int num_connectors; libxl_connector_param *connectors;
} libxl_device_vdispl;
typedef struct {
	int num_sample_rates; uint32_t *sample_rates;
	int num_sample_formats; libxl_vsnd_pcm_format *sample_formats;
	uint32_t channels_min, channels_max, buffer_size;
} libxl_vsnd_params;
typedef struct { char *unique_id; libxl_vsnd_stream_type type; libxl_vsnd_params params; } libxl_vsnd_stream;
typedef struct {
	char *name; libxl_vsnd_params params;
	int num_vsnd_streams; libxl_vsnd_stream *streams;
} libxl_vsnd_pcm;
typedef struct {
	libxl_domid backend_domid; char *backend_domname; libxl_devid devid;
	char *short_name, *long_name; libxl_vsnd_params params;
	int num_vsnd_pcms; libxl_vsnd_pcm *pcms;
} libxl_device_vsnd;

typedef struct {
	libxl_domain_create_info c_info;
	libxl_domain_build_info b_info;
	int num_disks;        libxl_device_disk *disks;
	int num_nics;         libxl_device_nic *nics;
	int num_pcidevs;      libxl_device_pci *pcidevs;
	int num_rdms;         libxl_device_rdm *rdms;
	int num_dtdevs;       libxl_device_dtdev *dtdevs;
	int num_vfbs;         libxl_device_vfb *vfbs;
	int num_vkbs;         libxl_device_vkb *vkbs;
	int num_vtpms;        libxl_device_vtpm *vtpms;
	int num_p9s;          libxl_device_p9 *p9s;
	int num_pvcallsifs;   libxl_device_pvcallsif *pvcallsifs;
	int num_vdispls;      libxl_device_vdispl *vdispls;
	int num_vsnds;        libxl_device_vsnd *vsnds;
	int num_channels;     libxl_device_channel *channels;
	int num_usbctrls;     libxl_device_usbctrl *usbctrls;
	int num_usbdevs;      libxl_device_usbdev *usbdevs;
	libxl_action_on_shutdown on_poweroff, on_reboot, on_watchdog, on_crash, on_soft_reset;
} libxl_domain_config;

#endif
