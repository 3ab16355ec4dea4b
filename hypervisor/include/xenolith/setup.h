/* Boot-time state shared by the setup stages. */
#ifndef XENOLITH_SETUP_H
#define XENOLITH_SETUP_H

#include "boot.h"
#include "cmdline.h"

extern struct boot_info boot_info;
extern struct hv_options hv_opts;
extern char _start_image[], _end_image[];

/* Boot memory: frame table, free lists, page tables; then give the
 * module pages back once dom0 has its copies. */
void mm_setup(void);
void mm_release_modules(void);

/* After console and traps are up: memory, SVM, dom0. Never returns. */
void setup_continue(void) __attribute__((noreturn));

#endif
