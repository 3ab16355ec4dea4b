/* Reading host ACPI: checksums and the \\_S5 sleep type in DSDT AML. */
#include <xenolith/power.h>

int acpi_checksum_ok(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	for (size_t i = 0; i < len; i++)
		sum = (uint8_t)(sum + b[i]);
	return sum == 0;
}

static int aml_byte_value(const uint8_t *p, const uint8_t *end, uint8_t *val,
			  const uint8_t **next)
{
	if (p >= end)
		return -1;
	switch (*p) {
	case 0x00: /* ZeroOp */
		*val = 0;
		*next = p + 1;
		return 0;
	case 0x01: /* OneOp */
		*val = 1;
		*next = p + 1;
		return 0;
	case 0x0A: /* BytePrefix */
		if (p + 1 >= end)
			return -1;
		*val = p[1];
		*next = p + 2;
		return 0;
	default:
		return -1;
	}
}

int acpi_find_s5(const uint8_t *aml, size_t len, uint8_t *typa, uint8_t *typb)
{
	const uint8_t *end = aml + len;

	for (const uint8_t *p = aml; p + 4 < end; p++) {
		const uint8_t *q;
		unsigned int pkglen_bytes;

		if (memcmp(p, "_S5_", 4))
			continue;
		/* NameOp "_S5_" or "\_S5_" precedes; a PackageOp follows */
		q = p + 4;
		if (q >= end || *q != 0x12)
			continue;
		q++;
		if (q >= end)
			return -1;
		pkglen_bytes = (*q >> 6) + 1;
		q += pkglen_bytes;
		if (q >= end)
			return -1;
		q++; /* NumElements */
		if (aml_byte_value(q, end, typa, &q) || aml_byte_value(q, end, typb, &q))
			return -1;
		return 0;
	}
	return -1;
}
