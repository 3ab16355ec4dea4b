/* CRC-32 (gzip, xz) and CRC-64 (xz): bit loops for headers, tables the
 * caller keeps for bulk data. */
#include <xenolith/decompress.h>

uint32_t crc32_update(uint32_t crc, const uint8_t *p, size_t n)
{
	crc = ~crc;
	while (n--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xEDB88320U & (0U - (crc & 1)));
	}
	return ~crc;
}

void crc32_tables_init(uint32_t t[8][256])
{
	for (uint32_t i = 0; i < 256; i++)
		t[0][i] = ~crc32_update(~0U, (const uint8_t[]){ (uint8_t)i }, 1);
	for (int k = 1; k < 8; k++)
		for (int i = 0; i < 256; i++)
			t[k][i] = (t[k - 1][i] >> 8) ^ t[0][t[k - 1][i] & 0xFF];
}

/* Slicing by 8: eight table lookups per 8 bytes instead of 64 shifts. */
uint32_t crc32_update_tab(const uint32_t t[8][256], uint32_t crc, const uint8_t *p, size_t n)
{
	crc = ~crc;
	for (; n >= 8; n -= 8, p += 8) {
		uint32_t a = crc ^ ((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
				    (uint32_t)p[3] << 24);

		crc = t[7][a & 0xFF] ^ t[6][(a >> 8) & 0xFF] ^ t[5][(a >> 16) & 0xFF] ^
		      t[4][a >> 24] ^ t[3][p[4]] ^ t[2][p[5]] ^ t[1][p[6]] ^ t[0][p[7]];
	}
	while (n--)
		crc = t[0][(crc ^ *p++) & 0xFF] ^ (crc >> 8);
	return ~crc;
}

uint64_t crc64_update(uint64_t crc, const uint8_t *p, size_t n)
{
	crc = ~crc;
	while (n--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xC96C5795D7870F42ULL & (0ULL - (crc & 1)));
	}
	return ~crc;
}

void crc64_table_init(uint64_t t[256])
{
	for (unsigned int i = 0; i < 256; i++)
		t[i] = ~crc64_update(~0ULL, (const uint8_t[]){ (uint8_t)i }, 1);
}

uint64_t crc64_update_tab(const uint64_t t[256], uint64_t crc, const uint8_t *p, size_t n)
{
	crc = ~crc;
	while (n--)
		crc = t[(crc ^ *p++) & 0xFF] ^ (crc >> 8);
	return ~crc;
}
