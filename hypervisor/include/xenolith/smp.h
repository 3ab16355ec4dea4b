/* CPU numbering. */
#ifndef XENOLITH_SMP_H
#define XENOLITH_SMP_H

#define NR_CPUS 8

unsigned int smp_processor_id(void);
unsigned int smp_nr_cpus(void);
#define KICK_VECTOR 0xF0

/* Start every other CPU (INIT-SIPI-SIPI); they idle on their own timer
 * until the scheduler starts. */
void smp_boot(void);
/* Make pCPU cpu leave guest mode or wake from HLT (interrupts off). */
void smp_send_kick(unsigned int cpu);
void smp_kick_others(void);

#endif
