/* Field tables of the config types: the single description of each
 * type's fields, defaults and JSON names (as in the 4.17 IDL). */
#include <stddef.h>

#include "libxl_internal.h"

#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define ENUM(name, ...)                                                   \
	static const struct libxl__enum_val name##_vals[] = { __VA_ARGS__ }; \
	const struct libxl__enum name = { name##_vals, NELEM(name##_vals) }

ENUM(libxl__domain_type_enum, {"invalid", -1}, {"hvm", 1}, {"pv", 2}, {"pvh", 3});
ENUM(rdm_strategy_enum, {"ignore", 0}, {"host", 1});
ENUM(rdm_policy_enum, {"invalid", -1}, {"strict", 0}, {"relaxed", 1});
ENUM(channel_conn_enum, {"unknown", 0}, {"pty", 1}, {"socket", 2});
ENUM(dm_version_enum, {"unknown", 0}, {"qemu_xen_traditional", 1}, {"qemu_xen", 2});
ENUM(disk_format_enum, {"unknown", 0}, {"qcow", 1}, {"qcow2", 2}, {"vhd", 3},
     {"raw", 4}, {"empty", 5}, {"qed", 6});
ENUM(disk_backend_enum, {"unknown", 0}, {"phy", 1}, {"tap", 2}, {"qdisk", 3}, {"standalone", 4});
ENUM(disk_spec_enum, {"unknown", 0}, {"xen", 1}, {"virtio", 2});
ENUM(disk_transport_enum, {"unknown", 0}, {"mmio", 1});
ENUM(nic_type_enum, {"unknown", 0}, {"vif_ioemu", 1}, {"vif", 2});
ENUM(action_enum, {"destroy", 1}, {"restart", 2}, {"restart_rename", 3}, {"preserve", 4},
     {"coredump_destroy", 5}, {"coredump_restart", 6}, {"soft_reset", 7});
ENUM(tsc_mode_enum, {"default", 0}, {"always_emulate", 1}, {"native", 2}, {"native_paravirt", 3});
ENUM(gfx_kind_enum, {"default", 0}, {"igd", 1});
ENUM(timer_mode_enum, {"unknown", -1}, {"delay_for_missed_ticks", 0},
     {"no_delay_for_missed_ticks", 1}, {"no_missed_ticks_pending", 2},
     {"one_missed_tick_pending", 3});
ENUM(bios_enum, {"unknown", 0}, {"rombios", 1}, {"seabios", 2}, {"ovmf", 3});
ENUM(sched_enum, {"unknown", 0}, {"sedf", 4}, {"credit", 5}, {"credit2", 6},
     {"arinc653", 7}, {"rtds", 8}, {"null", 9});
ENUM(vga_enum, {"unknown", 0}, {"cirrus", 1}, {"std", 2}, {"none", 3}, {"qxl", 4});
ENUM(vendor_enum, {"none", 0}, {"xenserver", 1});
ENUM(viridian_enum, {"base", 0}, {"freq", 1}, {"time_ref_count", 2}, {"reference_tsc", 3},
     {"hcall_remote_tlb_flush", 4}, {"apic_assist", 5}, {"crash_ctl", 6}, {"synic", 7},
     {"stimer", 8}, {"hcall_ipi", 9}, {"ex_processor_masks", 10}, {"no_vp_limit", 11},
     {"cpu_hotplug", 12});
ENUM(hdtype_enum, {"ide", 1}, {"ahci", 2});
ENUM(vuart_enum, {"unknown", 0}, {"sbsa_uart", 1});
ENUM(vkb_backend_enum, {"unknown", 0}, {"qemu", 1}, {"linux", 2});
ENUM(passthrough_enum, {"default", 0}, {"disabled", 1}, {"enabled", 2}, {"sync_pt", 3}, {"share_pt", 4});
ENUM(gic_enum, {"default", 0}, {"v2", 0x20}, {"v3", 0x30});
ENUM(tee_enum, {"none", 0}, {"optee", 1});
ENUM(altp2m_enum, {"disabled", 0}, {"mixed", 1}, {"external", 2}, {"limited", 3});
ENUM(usbctrl_type_enum, {"auto", 0}, {"pv", 1}, {"devicemodel", 2}, {"qusb", 3});
ENUM(usbdev_type_enum, {"hostdev", 1});
ENUM(pcm_format_enum, {"s8", 1}, {"u8", 2}, {"s16_le", 3}, {"s16_be", 4}, {"u16_le", 5},
     {"u16_be", 6}, {"s24_le", 7}, {"s24_be", 8}, {"u24_le", 9}, {"u24_be", 10}, {"s32_le", 11},
     {"s32_be", 12}, {"u32_le", 13}, {"u32_be", 14}, {"f32_le", 15}, {"f32_be", 16},
     {"f64_le", 17}, {"f64_be", 18}, {"iec958_subframe_le", 19}, {"iec958_subframe_be", 20},
     {"mu_law", 21}, {"a_law", 22}, {"ima_adpcm", 23}, {"mpeg", 24}, {"gsm", 25});
ENUM(stream_type_enum, {"p", 1}, {"c", 2});

#define F(T, fld, K) { .name = #fld, .kind = K, .off = offsetof(T, fld) }
#define FI(T, fld, K, I) { .name = #fld, .kind = K, .off = offsetof(T, fld), .has_init = 1, .init = (I) }
#define FE(T, fld, E) { .name = #fld, .kind = LK_ENUM, .off = offsetof(T, fld), .en = &E }
#define FEI(T, fld, E, I) { .name = #fld, .kind = LK_ENUM, .off = offsetof(T, fld), .en = &E, .has_init = 1, .init = (I) }
#define FS(T, fld, SUB) { .name = #fld, .kind = LK_STRUCT, .off = offsetof(T, fld), .sub = &SUB }
/* anonymous nested struct: its fields are described with the parent's offsets */
#define FANON(name_, SUB) { .name = name_, .kind = LK_STRUCT, .off = 0, .sub = &SUB }
#define FA(T, fld, cnt, SUB) { .name = #fld, .kind = LK_ARRAY, .off = offsetof(T, fld), \
	.elem = LK_STRUCT, .sub = &SUB, .elem_size = sizeof(*((T *)0)->fld), .count_off = offsetof(T, cnt) }
#define FAK(T, fld, cnt, K) { .name = #fld, .kind = LK_ARRAY, .off = offsetof(T, fld), \
	.elem = K, .elem_size = sizeof(*((T *)0)->fld), .count_off = offsetof(T, cnt) }
#define FAE(T, fld, cnt, E) { .name = #fld, .kind = LK_ARRAY, .off = offsetof(T, fld), \
	.elem = LK_ENUM, .en = &E, .elem_size = sizeof(*((T *)0)->fld), .count_off = offsetof(T, cnt) }
#define TYPE(var, T, name_, ...)                                           \
	static const struct libxl__field var##_fields[] = { __VA_ARGS__ };  \
	const struct libxl__type var = { name_, sizeof(T), var##_fields, NELEM(var##_fields) }
#define STYPE(var, T, name_, ...)                                          \
	static const struct libxl__field var##_fields[] = { __VA_ARGS__ };  \
	static const struct libxl__type var = { name_, sizeof(T), var##_fields, NELEM(var##_fields) }

typedef libxl_ioport_range IOP;
STYPE(ioport_type, IOP, "ioport_range", F(IOP, first, LK_U32), F(IOP, number, LK_U32));
typedef libxl_iomem_range IOM;
STYPE(iomem_type, IOM, "iomem_range", F(IOM, start, LK_U64), F(IOM, number, LK_U64),
      FI(IOM, gfn, LK_U64, -1));
typedef libxl_vga_interface_info VGA;
STYPE(vga_type, VGA, "vga_interface_info", FEI(VGA, kind, vga_enum, 0));
typedef libxl_vnc_info VNC;
STYPE(vnc_type, VNC, "vnc_info", F(VNC, enable, LK_DEFBOOL), F(VNC, listen, LK_STRING),
      F(VNC, passwd, LK_STRING), F(VNC, display, LK_INT), F(VNC, findunused, LK_DEFBOOL));
typedef libxl_spice_info SPICE;
STYPE(spice_type, SPICE, "spice_info", F(SPICE, enable, LK_DEFBOOL), F(SPICE, port, LK_INT),
      F(SPICE, tls_port, LK_INT), F(SPICE, host, LK_STRING), F(SPICE, disable_ticketing, LK_DEFBOOL),
      F(SPICE, passwd, LK_STRING), F(SPICE, agent_mouse, LK_DEFBOOL), F(SPICE, vdagent, LK_DEFBOOL),
      F(SPICE, clipboard_sharing, LK_DEFBOOL), F(SPICE, usbredirection, LK_INT),
      F(SPICE, image_compression, LK_STRING), F(SPICE, streaming_video, LK_STRING));
typedef libxl_sdl_info SDL;
STYPE(sdl_type, SDL, "sdl_info", F(SDL, enable, LK_DEFBOOL), F(SDL, opengl, LK_DEFBOOL),
      F(SDL, display, LK_STRING), F(SDL, xauthority, LK_STRING));

typedef libxl_domain_create_info CI;
TYPE(libxl__domain_create_info_type, CI, "domain_create_info",
     FEI(CI, type, libxl__domain_type_enum, -1), F(CI, hap, LK_DEFBOOL), F(CI, oos, LK_DEFBOOL),
     F(CI, ssidref, LK_U32), F(CI, ssid_label, LK_STRING), F(CI, name, LK_STRING),
     F(CI, domid, LK_DOMID), F(CI, uuid, LK_UUID), F(CI, xsdata, LK_KVLIST),
     F(CI, platformdata, LK_KVLIST), F(CI, poolid, LK_U32), F(CI, pool_name, LK_STRING),
     F(CI, run_hotplug_scripts, LK_DEFBOOL), F(CI, driver_domain, LK_DEFBOOL),
     FE(CI, passthrough, passthrough_enum), F(CI, xend_suspend_evtchn_compat, LK_DEFBOOL));

typedef libxl_domain_sched_params SP;
STYPE(sched_type, SP, "domain_sched_params", FE(SP, sched, sched_enum),
      FI(SP, weight, LK_INT, -1), FI(SP, cap, LK_INT, -1), FI(SP, period, LK_INT, -1),
      FI(SP, budget, LK_INT, -1), FI(SP, extratime, LK_INT, -1), FI(SP, slice, LK_INT, -1),
      FI(SP, latency, LK_INT, -1));

typedef libxl_vnode_info VN;
STYPE(vnode_type, VN, "vnode_info", FI(VN, memkb, LK_MEMKB, -1),
      FAK(VN, distances, num_distances, LK_U32), F(VN, pnode, LK_U32), F(VN, vcpus, LK_BITMAP));

typedef libxl_rdm_reserve RDM;
STYPE(rdm_type, RDM, "rdm_reserve", FE(RDM, strategy, rdm_strategy_enum),
      FEI(RDM, policy, rdm_policy_enum, -1));

typedef libxl_domain_build_info BI;
STYPE(hvm_type, BI, "hvm",
      F(BI, u.hvm.firmware, LK_STRING), FE(BI, u.hvm.bios, bios_enum),
      F(BI, u.hvm.pae, LK_DEFBOOL), F(BI, u.hvm.apic, LK_DEFBOOL), F(BI, u.hvm.acpi, LK_DEFBOOL),
      F(BI, u.hvm.acpi_s3, LK_DEFBOOL), F(BI, u.hvm.acpi_s4, LK_DEFBOOL),
      F(BI, u.hvm.acpi_laptop_slate, LK_DEFBOOL), F(BI, u.hvm.nx, LK_DEFBOOL),
      F(BI, u.hvm.viridian, LK_DEFBOOL), F(BI, u.hvm.viridian_enable, LK_BITMAP),
      F(BI, u.hvm.viridian_disable, LK_BITMAP), F(BI, u.hvm.timeoffset, LK_STRING),
      F(BI, u.hvm.hpet, LK_DEFBOOL), F(BI, u.hvm.vpt_align, LK_DEFBOOL),
      FI(BI, u.hvm.mmio_hole_memkb, LK_MEMKB, -1),
      FEI(BI, u.hvm.timer_mode, timer_mode_enum, -1), F(BI, u.hvm.nested_hvm, LK_DEFBOOL),
      F(BI, u.hvm.altp2m, LK_DEFBOOL), F(BI, u.hvm.system_firmware, LK_STRING),
      F(BI, u.hvm.smbios_firmware, LK_STRING), F(BI, u.hvm.acpi_firmware, LK_STRING),
      FEI(BI, u.hvm.hdtype, hdtype_enum, 1), F(BI, u.hvm.nographic, LK_DEFBOOL),
      FS(BI, u.hvm.vga, vga_type), FS(BI, u.hvm.vnc, vnc_type), F(BI, u.hvm.keymap, LK_STRING),
      FS(BI, u.hvm.sdl, sdl_type), FS(BI, u.hvm.spice, spice_type),
      F(BI, u.hvm.gfx_passthru, LK_DEFBOOL), FE(BI, u.hvm.gfx_passthru_kind, gfx_kind_enum),
      F(BI, u.hvm.serial, LK_STRING), F(BI, u.hvm.boot, LK_STRING), F(BI, u.hvm.usb, LK_DEFBOOL),
      F(BI, u.hvm.usbversion, LK_INT), F(BI, u.hvm.usbdevice, LK_STRING),
      F(BI, u.hvm.vkb_device, LK_DEFBOOL), F(BI, u.hvm.soundhw, LK_STRING),
      F(BI, u.hvm.xen_platform_pci, LK_DEFBOOL), F(BI, u.hvm.usbdevice_list, LK_STRLIST),
      FE(BI, u.hvm.vendor_device, vendor_enum), F(BI, u.hvm.ms_vm_genid, LK_GENID),
      F(BI, u.hvm.serial_list, LK_STRLIST), FS(BI, u.hvm.rdm, rdm_type),
      FI(BI, u.hvm.rdm_mem_boundary_memkb, LK_MEMKB, -1), F(BI, u.hvm.mca_caps, LK_U64));
STYPE(pv_type, BI, "pv",
      F(BI, u.pv.kernel, LK_STRING), FI(BI, u.pv.slack_memkb, LK_MEMKB, -1),
      F(BI, u.pv.bootloader, LK_STRING), F(BI, u.pv.bootloader_args, LK_STRLIST),
      F(BI, u.pv.cmdline, LK_STRING), F(BI, u.pv.ramdisk, LK_STRING),
      { .name = "features", .kind = LK_STRING, .off = offsetof(BI, u.pv.features), .is_const = 1 },
      F(BI, u.pv.e820_host, LK_DEFBOOL));
STYPE(pvh_type, BI, "pvh",
      F(BI, u.pvh.pvshim, LK_DEFBOOL), F(BI, u.pvh.pvshim_path, LK_STRING),
      F(BI, u.pvh.pvshim_cmdline, LK_STRING), F(BI, u.pvh.pvshim_extra, LK_STRING));
static const struct libxl__ucase bi_cases[] = {
	{ 1, "hvm", &hvm_type }, { 2, "pv", &pv_type }, { 3, "pvh", &pvh_type },
	{ -1, "invalid", NULL },
};
STYPE(arch_arm_type, BI, "arch_arm",
      FEI(BI, arch_arm.gic_version, gic_enum, 0), FE(BI, arch_arm.vuart, vuart_enum));
STYPE(arch_x86_type, BI, "arch_x86", F(BI, arch_x86.msr_relaxed, LK_DEFBOOL));

TYPE(libxl__domain_build_info_type, BI, "domain_build_info",
     F(BI, max_vcpus, LK_INT), F(BI, avail_vcpus, LK_BITMAP), F(BI, cpumap, LK_BITMAP),
     F(BI, nodemap, LK_BITMAP),
     FAK(BI, vcpu_hard_affinity, num_vcpu_hard_affinity, LK_BITMAP),
     FAK(BI, vcpu_soft_affinity, num_vcpu_soft_affinity, LK_BITMAP),
     F(BI, numa_placement, LK_DEFBOOL), FE(BI, tsc_mode, tsc_mode_enum),
     FI(BI, max_memkb, LK_MEMKB, -1), FI(BI, target_memkb, LK_MEMKB, -1),
     FI(BI, video_memkb, LK_MEMKB, -1), FI(BI, shadow_memkb, LK_MEMKB, -1),
     FI(BI, iommu_memkb, LK_MEMKB, -1), F(BI, rtc_timeoffset, LK_U32),
     F(BI, exec_ssidref, LK_U32), F(BI, exec_ssid_label, LK_STRING),
     F(BI, localtime, LK_DEFBOOL), F(BI, disable_migrate, LK_DEFBOOL),
     F(BI, cpuid, LK_CPUID), F(BI, blkdev_start, LK_STRING),
     FA(BI, vnuma_nodes, num_vnuma_nodes, vnode_type),
     FI(BI, max_grant_frames, LK_U32, 0xffffffffLL), FI(BI, max_maptrack_frames, LK_U32, 0xffffffffLL),
     FI(BI, max_grant_version, LK_INT, -1),
     FE(BI, device_model_version, dm_version_enum), F(BI, device_model_stubdomain, LK_DEFBOOL),
     FI(BI, stubdomain_memkb, LK_MEMKB, -1), F(BI, stubdomain_kernel, LK_STRING),
     F(BI, stubdomain_cmdline, LK_STRING), F(BI, stubdomain_ramdisk, LK_STRING),
     F(BI, device_model, LK_STRING), F(BI, device_model_ssidref, LK_U32),
     F(BI, device_model_ssid_label, LK_STRING), F(BI, device_model_user, LK_STRING),
     F(BI, extra, LK_STRLIST), F(BI, extra_pv, LK_STRLIST), F(BI, extra_hvm, LK_STRLIST),
     FS(BI, sched_params, sched_type),
     FA(BI, ioports, num_ioports, ioport_type), FAK(BI, irqs, num_irqs, LK_U32),
     FA(BI, iomem, num_iomem, iomem_type),
     F(BI, claim_mode, LK_DEFBOOL), F(BI, event_channels, LK_U32),
     F(BI, kernel, LK_STRING), F(BI, cmdline, LK_STRING), F(BI, ramdisk, LK_STRING),
     F(BI, device_tree, LK_STRING), F(BI, acpi, LK_DEFBOOL), F(BI, bootloader, LK_STRING),
     F(BI, bootloader_args, LK_STRLIST), FEI(BI, timer_mode, timer_mode_enum, -1),
     F(BI, nested_hvm, LK_DEFBOOL), F(BI, apic, LK_DEFBOOL), F(BI, dm_restrict, LK_DEFBOOL),
     FEI(BI, tee, tee_enum, 0),
     { .name = "u", .kind = LK_UNION, .off = offsetof(BI, type), .has_init = 1, .init = -1,
       .en = &libxl__domain_type_enum, .keyname = "type", .cases = bi_cases, .ncases = NELEM(bi_cases) },
     FANON("arch_arm", arch_arm_type), FANON("arch_x86", arch_x86_type),
     FEI(BI, altp2m, altp2m_enum, 0), F(BI, vmtrace_buf_kb, LK_INT), F(BI, vpmu, LK_DEFBOOL));

typedef libxl_device_vfb VFB;
TYPE(libxl__device_vfb_type, VFB, "device_vfb",
     F(VFB, backend_domid, LK_DOMID), F(VFB, backend_domname, LK_STRING),
     FI(VFB, devid, LK_DEVID, -1), FS(VFB, vnc, vnc_type), FS(VFB, sdl, sdl_type),
     F(VFB, keymap, LK_STRING));
typedef libxl_device_vkb VKB;
TYPE(libxl__device_vkb_type, VKB, "device_vkb",
     F(VKB, backend_domid, LK_DOMID), F(VKB, backend_domname, LK_STRING),
     FI(VKB, devid, LK_DEVID, -1), FE(VKB, backend_type, vkb_backend_enum),
     F(VKB, unique_id, LK_STRING), F(VKB, feature_disable_keyboard, LK_BOOL),
     F(VKB, feature_disable_pointer, LK_BOOL), F(VKB, feature_abs_pointer, LK_BOOL),
     F(VKB, feature_raw_pointer, LK_BOOL), F(VKB, feature_multi_touch, LK_BOOL),
     F(VKB, width, LK_U32), F(VKB, height, LK_U32), F(VKB, multi_touch_width, LK_U32),
     F(VKB, multi_touch_height, LK_U32), F(VKB, multi_touch_num_contacts, LK_U32));

typedef libxl_device_disk DD;
TYPE(libxl__device_disk_type, DD, "device_disk",
     F(DD, backend_domid, LK_DOMID), F(DD, backend_domname, LK_STRING),
     F(DD, pdev_path, LK_STRING), F(DD, vdev, LK_STRING),
     FE(DD, backend, disk_backend_enum), FE(DD, format, disk_format_enum),
     F(DD, script, LK_STRING), F(DD, removable, LK_INT), F(DD, readwrite, LK_INT),
     F(DD, is_cdrom, LK_INT), F(DD, direct_io_safe, LK_BOOL), F(DD, discard_enable, LK_DEFBOOL),
     FE(DD, specification, disk_spec_enum), FE(DD, transport, disk_transport_enum),
     F(DD, irq, LK_U32), F(DD, base, LK_U64),
     F(DD, colo_enable, LK_DEFBOOL), F(DD, colo_restore_enable, LK_DEFBOOL),
     F(DD, colo_host, LK_STRING), F(DD, colo_port, LK_INT), F(DD, colo_export, LK_STRING),
     F(DD, active_disk, LK_STRING), F(DD, hidden_disk, LK_STRING), F(DD, trusted, LK_DEFBOOL));

typedef libxl_device_nic NIC;
#define NS(f) F(NIC, f, LK_STRING)
TYPE(libxl__device_nic_type, NIC, "device_nic",
     F(NIC, backend_domid, LK_DOMID), NS(backend_domname), FI(NIC, devid, LK_DEVID, -1),
     F(NIC, mtu, LK_INT), NS(model), F(NIC, mac, LK_MAC), NS(ip), NS(bridge), NS(ifname),
     NS(script), FE(NIC, nictype, nic_type_enum), F(NIC, rate_bytes_per_interval, LK_U64),
     F(NIC, rate_interval_usecs, LK_U32), NS(gatewaydev), NS(coloft_forwarddev),
     NS(colo_sock_mirror_id), NS(colo_sock_mirror_ip), NS(colo_sock_mirror_port),
     NS(colo_sock_compare_pri_in_id), NS(colo_sock_compare_pri_in_ip), NS(colo_sock_compare_pri_in_port),
     NS(colo_sock_compare_sec_in_id), NS(colo_sock_compare_sec_in_ip), NS(colo_sock_compare_sec_in_port),
     NS(colo_sock_compare_notify_id), NS(colo_sock_compare_notify_ip), NS(colo_sock_compare_notify_port),
     NS(colo_sock_redirector0_id), NS(colo_sock_redirector0_ip), NS(colo_sock_redirector0_port),
     NS(colo_sock_redirector1_id), NS(colo_sock_redirector1_ip), NS(colo_sock_redirector1_port),
     NS(colo_sock_redirector2_id), NS(colo_sock_redirector2_ip), NS(colo_sock_redirector2_port),
     NS(colo_filter_mirror_queue), NS(colo_filter_mirror_outdev),
     NS(colo_filter_redirector0_queue), NS(colo_filter_redirector0_indev), NS(colo_filter_redirector0_outdev),
     NS(colo_filter_redirector1_queue), NS(colo_filter_redirector1_indev), NS(colo_filter_redirector1_outdev),
     NS(colo_compare_pri_in), NS(colo_compare_sec_in), NS(colo_compare_out), NS(colo_compare_notify_dev),
     NS(colo_sock_sec_redirector0_id), NS(colo_sock_sec_redirector0_ip), NS(colo_sock_sec_redirector0_port),
     NS(colo_sock_sec_redirector1_id), NS(colo_sock_sec_redirector1_ip), NS(colo_sock_sec_redirector1_port),
     NS(colo_filter_sec_redirector0_queue), NS(colo_filter_sec_redirector0_indev),
     NS(colo_filter_sec_redirector0_outdev), NS(colo_filter_sec_redirector1_queue),
     NS(colo_filter_sec_redirector1_indev), NS(colo_filter_sec_redirector1_outdev),
     NS(colo_filter_sec_rewriter0_queue), NS(colo_checkpoint_host), NS(colo_checkpoint_port),
     F(NIC, trusted, LK_DEFBOOL));

typedef libxl_device_pci PCI;
TYPE(libxl__device_pci_type, PCI, "device_pci",
     F(PCI, func, LK_U8), F(PCI, dev, LK_U8), F(PCI, bus, LK_U8), F(PCI, domain, LK_INT),
     F(PCI, vdevfn, LK_U32), F(PCI, vfunc_mask, LK_U32), F(PCI, msitranslate, LK_BOOL),
     F(PCI, power_mgmt, LK_BOOL), F(PCI, permissive, LK_BOOL), F(PCI, seize, LK_BOOL),
     FEI(PCI, rdm_policy, rdm_policy_enum, -1), F(PCI, name, LK_STRING));

typedef libxl_device_rdm DRDM;
TYPE(libxl__device_rdm_type, DRDM, "device_rdm", F(DRDM, start, LK_U64), F(DRDM, size, LK_U64),
     FEI(DRDM, policy, rdm_policy_enum, -1));
typedef libxl_device_dtdev DT;
TYPE(libxl__device_dtdev_type, DT, "device_dtdev", F(DT, path, LK_STRING));
typedef libxl_device_vtpm VTPM;
TYPE(libxl__device_vtpm_type, VTPM, "device_vtpm", F(VTPM, backend_domid, LK_DOMID),
     F(VTPM, backend_domname, LK_STRING), FI(VTPM, devid, LK_DEVID, -1), F(VTPM, uuid, LK_UUID));
typedef libxl_device_p9 P9;
TYPE(libxl__device_p9_type, P9, "device_p9", F(P9, backend_domid, LK_DOMID),
     F(P9, backend_domname, LK_STRING), F(P9, tag, LK_STRING), F(P9, path, LK_STRING),
     F(P9, security_model, LK_STRING), FI(P9, devid, LK_DEVID, -1));
typedef libxl_device_pvcallsif PVC;
TYPE(libxl__device_pvcallsif_type, PVC, "device_pvcallsif", F(PVC, backend_domid, LK_DOMID),
     F(PVC, backend_domname, LK_STRING), FI(PVC, devid, LK_DEVID, -1));

typedef libxl_device_channel CH;
STYPE(ch_socket_type, CH, "socket", F(CH, u.socket.path, LK_STRING));
static const struct libxl__ucase ch_cases[] = {
	{ 0, "unknown", NULL }, { 1, "pty", NULL }, { 2, "socket", &ch_socket_type },
};
TYPE(libxl__device_channel_type, CH, "device_channel",
     F(CH, backend_domid, LK_DOMID), F(CH, backend_domname, LK_STRING),
     FI(CH, devid, LK_DEVID, -1), F(CH, name, LK_STRING),
     { .name = "u", .kind = LK_UNION, .off = offsetof(CH, connection), .en = &channel_conn_enum,
       .keyname = "connection", .cases = ch_cases, .ncases = NELEM(ch_cases) });

typedef libxl_device_usbctrl UC;
TYPE(libxl__device_usbctrl_type, UC, "device_usbctrl", FE(UC, type, usbctrl_type_enum),
     FI(UC, devid, LK_DEVID, -1), F(UC, version, LK_INT), F(UC, ports, LK_INT),
     F(UC, backend_domid, LK_DOMID), F(UC, backend_domname, LK_STRING));
typedef libxl_device_usbdev UD;
STYPE(ud_host_type, UD, "hostdev", F(UD, u.hostdev.hostbus, LK_U8), F(UD, u.hostdev.hostaddr, LK_U8));
static const struct libxl__ucase ud_cases[] = { { 1, "hostdev", &ud_host_type } };
TYPE(libxl__device_usbdev_type, UD, "device_usbdev", FI(UD, ctrl, LK_DEVID, -1), F(UD, port, LK_INT),
     { .name = "u", .kind = LK_UNION, .off = offsetof(UD, type), .en = &usbdev_type_enum,
       .keyname = "type", .cases = ud_cases, .ncases = NELEM(ud_cases) });

typedef libxl_connector_param CP;
STYPE(connector_type, CP, "connector_param", F(CP, unique_id, LK_STRING), F(CP, width, LK_U32),
      F(CP, height, LK_U32));
typedef libxl_device_vdispl VD;
TYPE(libxl__device_vdispl_type, VD, "device_vdispl", F(VD, backend_domid, LK_DOMID),
     F(VD, backend_domname, LK_STRING), FI(VD, devid, LK_DEVID, -1), F(VD, be_alloc, LK_BOOL),
     FA(VD, connectors, num_connectors, connector_type));
typedef libxl_vsnd_params VP;
STYPE(vsnd_params_type, VP, "vsnd_params", FAK(VP, sample_rates, num_sample_rates, LK_U32),
      FAE(VP, sample_formats, num_sample_formats, pcm_format_enum), F(VP, channels_min, LK_U32),
      F(VP, channels_max, LK_U32), F(VP, buffer_size, LK_U32));
typedef libxl_vsnd_stream VSS;
STYPE(vsnd_stream_type, VSS, "vsnd_stream", F(VSS, unique_id, LK_STRING),
      FE(VSS, type, stream_type_enum), FS(VSS, params, vsnd_params_type));
typedef libxl_vsnd_pcm VSP;
STYPE(vsnd_pcm_type, VSP, "vsnd_pcm", F(VSP, name, LK_STRING), FS(VSP, params, vsnd_params_type),
      FA(VSP, streams, num_vsnd_streams, vsnd_stream_type));
typedef libxl_device_vsnd VS;
TYPE(libxl__device_vsnd_type, VS, "device_vsnd", F(VS, backend_domid, LK_DOMID),
     F(VS, backend_domname, LK_STRING), FI(VS, devid, LK_DEVID, -1), F(VS, short_name, LK_STRING),
     F(VS, long_name, LK_STRING), FS(VS, params, vsnd_params_type),
     FA(VS, pcms, num_vsnd_pcms, vsnd_pcm_type));

typedef libxl_domain_config DC;
TYPE(libxl__domain_config_type, DC, "domain_config",
     FS(DC, c_info, libxl__domain_create_info_type), FS(DC, b_info, libxl__domain_build_info_type),
     FA(DC, disks, num_disks, libxl__device_disk_type), FA(DC, nics, num_nics, libxl__device_nic_type),
     FA(DC, pcidevs, num_pcidevs, libxl__device_pci_type), FA(DC, rdms, num_rdms, libxl__device_rdm_type),
     FA(DC, dtdevs, num_dtdevs, libxl__device_dtdev_type), FA(DC, vfbs, num_vfbs, libxl__device_vfb_type),
     FA(DC, vkbs, num_vkbs, libxl__device_vkb_type), FA(DC, vtpms, num_vtpms, libxl__device_vtpm_type),
     FA(DC, p9s, num_p9s, libxl__device_p9_type),
     FA(DC, pvcallsifs, num_pvcallsifs, libxl__device_pvcallsif_type),
     FA(DC, vdispls, num_vdispls, libxl__device_vdispl_type),
     FA(DC, vsnds, num_vsnds, libxl__device_vsnd_type),
     FA(DC, channels, num_channels, libxl__device_channel_type),
     FA(DC, usbctrls, num_usbctrls, libxl__device_usbctrl_type),
     FA(DC, usbdevs, num_usbdevs, libxl__device_usbdev_type),
     FEI(DC, on_poweroff, action_enum, 1), FEI(DC, on_reboot, action_enum, 1),
     FEI(DC, on_watchdog, action_enum, 1), FEI(DC, on_crash, action_enum, 1),
     FEI(DC, on_soft_reset, action_enum, 1));

/* enum name helpers of the public API */
#define ENUM_API(pub, T, E)                                                   \
	int libxl_##pub##_from_string(const char *s, T *v)                    \
	{                                                                     \
		int x;                                                        \
		if (libxl__enum_from_string(&E, s, &x))                       \
			return ERROR_FAIL;                                    \
		*v = (T)x;                                                    \
		return 0;                                                     \
	}
ENUM_API(domain_type, libxl_domain_type, libxl__domain_type_enum)
ENUM_API(action_on_shutdown, libxl_action_on_shutdown, action_enum)
ENUM_API(tsc_mode, libxl_tsc_mode, tsc_mode_enum)
ENUM_API(timer_mode, libxl_timer_mode, timer_mode_enum)
ENUM_API(bios_type, libxl_bios_type, bios_enum)
ENUM_API(passthrough, libxl_passthrough, passthrough_enum)
ENUM_API(vuart_type, libxl_vuart_type, vuart_enum)
ENUM_API(gic_version, libxl_gic_version, gic_enum)
ENUM_API(tee_type, libxl_tee_type, tee_enum)
ENUM_API(altp2m_mode, libxl_altp2m_mode, altp2m_enum)
ENUM_API(rdm_reserve_strategy, libxl_rdm_reserve_strategy, rdm_strategy_enum)
ENUM_API(rdm_reserve_policy, libxl_rdm_reserve_policy, rdm_policy_enum)
ENUM_API(viridian_enlightenment, libxl_viridian_enlightenment, viridian_enum)
ENUM_API(usbctrl_type, libxl_usbctrl_type, usbctrl_type_enum)
ENUM_API(scheduler, libxl_scheduler, sched_enum)
ENUM_API(vkb_backend, libxl_vkb_backend, vkb_backend_enum)
ENUM_API(vsnd_pcm_format, libxl_vsnd_pcm_format, pcm_format_enum)
ENUM_API(vsnd_stream_type, libxl_vsnd_stream_type, stream_type_enum)

const char *libxl_domain_type_to_string(libxl_domain_type t)
{
	return libxl__enum_to_string(&libxl__domain_type_enum, t);
}
const char *libxl_action_on_shutdown_to_string(libxl_action_on_shutdown a)
{
	return libxl__enum_to_string(&action_enum, a);
}
const char *libxl_tsc_mode_to_string(libxl_tsc_mode m)
{
	return libxl__enum_to_string(&tsc_mode_enum, m);
}
const char *libxl_timer_mode_to_string(libxl_timer_mode m)
{
	return libxl__enum_to_string(&timer_mode_enum, m);
}
