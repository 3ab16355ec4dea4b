/* 16550 UART on COM1. */
#ifndef XENOLITH_SERIAL_H
#define XENOLITH_SERIAL_H

#include "lib.h"

void serial_init(unsigned int baud, unsigned int data_bits, char parity,
		 unsigned int stop_bits);
void serial_putc(char c);
void serial_write(const char *s, size_t len);
/* Next received byte, or -1 when none is waiting. */
int serial_getc(void);

#endif
