/* The LZMA range decoder and model shared by the .xz (LZMA2) and legacy
 * .lzma decoders. */
#ifndef XENOLITH_LZMA_H
#define XENOLITH_LZMA_H

#include <xenolith/decompress.h>

#define PROB_INIT 1024
#define NUM_STATES 12
#define POS_STATES_MAX 16
#define LEN_LOW 8
#define LEN_MID 8
#define LEN_HIGH 256

struct len_probs {
	uint16_t choice, choice2;
	uint16_t low[POS_STATES_MAX][LEN_LOW];
	uint16_t mid[POS_STATES_MAX][LEN_MID];
	uint16_t high[LEN_HIGH];
};

struct lzma {
	unsigned int lc, lp, pb;
	unsigned int state;
	uint32_t rep[4];
	uint16_t is_match[NUM_STATES][POS_STATES_MAX];
	uint16_t is_rep[NUM_STATES], is_rep0[NUM_STATES], is_rep1[NUM_STATES], is_rep2[NUM_STATES];
	uint16_t is_rep0_long[NUM_STATES][POS_STATES_MAX];
	uint16_t dist_slot[4][64];
	uint16_t dist_special[115];
	uint16_t dist_align[16];
	struct len_probs match_len, rep_len;
	uint16_t literal[0x300 << 4]; /* lc + lp <= 4 in LZMA2 */
};

/* Set lc/lp/pb from a properties byte; -1 if out of range or
 * lc + lp > 4 (the literal tables are sized for that, as LZMA2 limits). */
int lzma_props(struct lzma *z, uint8_t props);
/* Every probability to its start, the state and repeat distances to 0. */
void lzma_reset_state(struct lzma *z);
/* Range-coded data at chunk[0..packed) (its first byte 0, then the
 * coder's first 4 bytes) producing exactly 'unpacked' bytes at out[*pos];
 * out[dict_start..*pos) is the dictionary.  With eopm, 'unpacked' is only
 * a bound and the end marker ends the data early (returns 1).  0 done,
 * -1 corrupt, -2 out too small. */
int lzma_decode(struct lzma *z, const uint8_t *chunk, size_t packed, uint8_t *out,
		size_t outlen, size_t *pos, size_t dict_start, size_t unpacked, bool eopm);

#endif
