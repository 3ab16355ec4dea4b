/* COM1 (16550) polled output. */
#include <xenolith/serial.h>
#include <xenolith/x86.h>

#define COM1 0x3F8
#define UART_THR 0
#define UART_RBR 0
#define UART_DLL 0
#define UART_IER 1
#define UART_DLM 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define LSR_DR 0x01
#define LSR_THRE 0x20

static bool serial_up;

void serial_init(unsigned int baud, unsigned int data_bits, char parity,
		 unsigned int stop_bits)
{
	uint8_t lcr = (uint8_t)((data_bits - 5) & 3);

	if (stop_bits == 2)
		lcr |= 0x04;
	switch (parity) {
	case 'o': lcr |= 0x08; break;
	case 'e': lcr |= 0x18; break;
	case 'm': lcr |= 0x28; break;
	case 's': lcr |= 0x38; break;
	default: break;
	}
	outb(COM1 + UART_IER, 0);
	if (baud) {
		unsigned int div = 115200 / baud;

		if (!div)
			div = 1;
		outb(COM1 + UART_LCR, 0x80);
		outb(COM1 + UART_DLL, (uint8_t)div);
		outb(COM1 + UART_DLM, (uint8_t)(div >> 8));
	}
	outb(COM1 + UART_LCR, lcr);
	outb(COM1 + UART_FCR, 0x07); /* enable and clear FIFOs */
	outb(COM1 + UART_MCR, 0x03); /* DTR | RTS */
	serial_up = true;
}

void serial_putc(char c)
{
	unsigned int spins = 0;

	if (!serial_up)
		return;
	/* bounded wait: a missing UART must not hang the hypervisor */
	while (!(inb(COM1 + UART_LSR) & LSR_THRE) && spins++ < 100000)
		cpu_relax();
	outb(COM1 + UART_THR, (uint8_t)c);
}

void serial_write(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			serial_putc('\r');
		serial_putc(s[i]);
	}
}

int serial_getc(void)
{
	if (!serial_up || !(inb(COM1 + UART_LSR) & LSR_DR))
		return -1;
	return inb(COM1 + UART_RBR);
}
