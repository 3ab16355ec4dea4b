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

int main(int argc, char **argv)
{
	bool xz = argc > 1 && !strcmp(argv[1], "xz");
	bool zst = argc > 1 && !strcmp(argv[1], "zst");
	bool lz4 = argc > 1 && !strcmp(argv[1], "lz4");
	bool lzma = argc > 1 && !strcmp(argv[1], "lzma");
	bool bz2 = argc > 1 && !strcmp(argv[1], "bz2");
	bool lzo = argc > 1 && !strcmp(argv[1], "lzo");
	bool expect_fail = argc == 5 && !strcmp(argv[2], "-f");
	const char *gz, *orig;
	size_t gzlen = 0, olen = 0;
	uint8_t *in = NULL, *ref = NULL, *out = NULL;
	void *work = NULL;
	char err[128] = "";
	long n;
	int rc = 1;

	if (argc < 2 || (!xz && !zst && !lz4 && !lzma && !bz2 && !lzo &&
			  strcmp(argv[1], "gz")) ||
	    argc != (expect_fail ? 5 : 4)) {
		fprintf(stderr, "usage: %s gz|xz|zst|lz4|lzma|bz2|lzo [-f] FILE ORIGINAL\n", argv[0]);
		return 2;
	}
	gz = argv[expect_fail ? 3 : 2];
	orig = argv[expect_fail ? 4 : 3];
	in = slurp(gz, &gzlen);
	ref = slurp(orig, &olen);
	out = malloc(olen + 16);
	work = malloc(xz ? unxz_work_size() : zst ? unzstd_work_size() :
		      lz4 ? unlz4_work_size() : lzma ? unlzma_work_size() :
		      bz2 ? unbzip2_work_size() : lzo ? unlzo_work_size() :
		      gunzip_work_size());
	if (!in || !ref || !out || !work) {
		fprintf(stderr, "%s: cannot read %s or %s\n", argv[0], gz, orig);
		rc = 2;
		goto out;
	}
	n = xz ? unxz(in, gzlen, out, olen + 16, work, err, sizeof(err))
	  : zst ? unzstd(in, gzlen, out, olen + 16, work, err, sizeof(err))
	  : lz4 ? unlz4(in, gzlen, out, olen + 16, work, err, sizeof(err))
	  : lzma ? unlzma(in, gzlen, out, olen + 16, work, err, sizeof(err))
	  : bz2 ? unbzip2(in, gzlen, out, olen + 16, work, err, sizeof(err))
	  : lzo ? unlzo(in, gzlen, out, olen + 16, work, err, sizeof(err))
	       : gunzip(in, gzlen, out, olen + 16, work, err, sizeof(err));
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
