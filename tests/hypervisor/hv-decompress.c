/* Helper for test-gunzip.sh and test-un{xz,zstd,lz4,lzma,bzip2,lzo}.sh:
 * decompress FILE (gz, xz, zst, lz4, lzma, bz2 or lzo)
 * with the hypervisor's own decoder and compare with ORIGINAL (or, with
 * -f, expect a failure or different data). */
#include <stdio.h>
#include <stdlib.h>
#include "common/crc.c"
#include "common/inflate.c"
#include "common/lzma.c"
#include "common/unxz.c"
#include "common/unlzma.c"
#include "common/unzstd.c"
#include "common/unlz4.c"
#include "common/unbzip2.c"
#include "common/unlzo.c"
#include "common/vsprintf.c"

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0, got;

	if (!f)
		return NULL;
	do {
		if (n == cap) {
			uint8_t *nb = realloc(buf, cap ? cap * 2 : 65536);

			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
			cap = cap ? cap * 2 : 65536;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got);
	fclose(f);
	*len = n;
	return buf;
}

static const struct decoder {
	const char *name;
	size_t (*work_size)(void);
	long (*decode)(const uint8_t *in, size_t inlen, uint8_t *out, size_t outlen,
		       void *work, char *err, size_t errlen);
} decoders[] = {
	{ "gz", gunzip_work_size, gunzip },
	{ "xz", unxz_work_size, unxz },
	{ "zst", unzstd_work_size, unzstd },
	{ "lz4", unlz4_work_size, unlz4 },
	{ "lzma", unlzma_work_size, unlzma },
	{ "bz2", unbzip2_work_size, unbzip2 },
	{ "lzo", unlzo_work_size, unlzo },
};

int main(int argc, char **argv)
{
	const struct decoder *d = NULL;
	bool expect_fail = argc == 5 && !strcmp(argv[2], "-f");
	const char *gz, *orig;
	size_t gzlen = 0, olen = 0;
	uint8_t *in = NULL, *ref = NULL, *out = NULL;
	void *work = NULL;
	char err[128] = "";
	long n;
	int rc = 1;

	for (size_t i = 0; argc > 1 && i < sizeof(decoders) / sizeof(decoders[0]); i++)
		if (!strcmp(argv[1], decoders[i].name))
			d = &decoders[i];
	if (!d || argc != (expect_fail ? 5 : 4)) {
		fprintf(stderr, "usage: %s gz|xz|zst|lz4|lzma|bz2|lzo [-f] FILE ORIGINAL\n", argv[0]);
		return 2;
	}
	gz = argv[expect_fail ? 3 : 2];
	orig = argv[expect_fail ? 4 : 3];
	in = slurp(gz, &gzlen);
	ref = slurp(orig, &olen);
	out = malloc(olen + 16);
	work = malloc(d->work_size());
	if (!in || !ref || !out || !work) {
		fprintf(stderr, "%s: cannot read %s or %s\n", argv[0], gz, orig);
		rc = 2;
		goto out;
	}
	n = d->decode(in, gzlen, out, olen + 16, work, err, sizeof(err));
	if (expect_fail) {
		if (n >= 0 && (size_t)n == olen && !memcmp(out, ref, olen)) {
			fprintf(stderr, "corrupt input decoded as the original\n");
			goto out;
		}
		printf("%s\n", n < 0 ? err : "decoded to different data");
		rc = 0;
		goto out;
	}
	if (n < 0) {
		fprintf(stderr, "%s: %s\n", gz, err);
		goto out;
	}
	if ((size_t)n != olen || memcmp(out, ref, olen)) {
		fprintf(stderr, "%s: output differs (%ld vs %zu bytes)\n", gz, n, olen);
		goto out;
	}
	rc = 0;
out:
	free(in);
	free(ref);
	free(out);
	free(work);
	return rc;
}
