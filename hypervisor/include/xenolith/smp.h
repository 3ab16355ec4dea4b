/* CPU numbering. */
#ifndef XENOLITH_SMP_H
#define XENOLITH_SMP_H

#define NR_CPUS 8

unsigned int smp_processor_id(void);
unsigned int smp_nr_cpus(void);
/* Start every other CPU (INIT-SIPI-SIPI); they idle on their own timer. */
void smp_boot(void);

#endif
