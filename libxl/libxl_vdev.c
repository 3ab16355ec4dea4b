/* Virtual disk names to Xen device numbers (xen-abi-facts 7.3):
 * xvd: 202<<8|d<<4|p (d,p < 16), else 1<<28|d<<8|p (d < 2^20, p < 256);
 * sd: 8<<8|d<<4|p (d,p < 16); hd: 3<<8|d<<6|p (d 0-1) and 22<<8 for
 * d 2-3 (p < 64); "d<D>p<P>" is the extended xvd form; plain numbers
 * are device numbers already. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "libxl.h"

/* bijective base-26 letters: a=0 .. z=25, aa=26 ... */
static int letters(const char **pp, int *out)
{
	const char *p = *pp;
	long v = 0;

	if (!islower((unsigned char)*p))
		return -1;
	while (islower((unsigned char)*p)) {
		v = v * 26 + (*p - 'a' + 1);
		if (v > (1L << 20))
			return -1;
		p++;
	}
	*out = (int)(v - 1);
	*pp = p;
	return 0;
}

static int number(const char *p, long max, int *out, const char **end)
{
	long v = 0;

	if (!isdigit((unsigned char)*p))
		return -1;
	if (p[0] == '0' && isdigit((unsigned char)p[1]))
		return -1;  /* no leading zeros: "xvda01" is not a name */
	while (isdigit((unsigned char)*p)) {
		v = v * 10 + (*p - '0');
		if (v > max)
			return -1;
		p++;
	}
	*out = (int)v;
	*end = p;
	return 0;
}

int libxl_devid_from_vdev(const char *vdev, int *pdisk, int *ppart)
{
	const char *p;
	int disk, part = 0;

	if (!vdev || !*vdev)
		return -1;
	if (isdigit((unsigned char)vdev[0])) {
		char *end;
		unsigned long v;

		errno = 0;
		v = strtoul(vdev, &end, 0);
		if (errno || *end || v > INT_MAX)
			return -1;
		if (pdisk)
			*pdisk = -1;
		if (ppart)
			*ppart = -1;
		return (int)v;
	}
	if (vdev[0] == 'd' && isdigit((unsigned char)vdev[1])) {
		p = vdev + 1;
		if (number(p, (1L << 20) - 1, &disk, &p))
			return -1;
		if (*p == 'p') {
			if (number(p + 1, 255, &part, &p))
				return -1;
		}
		if (*p)
			return -1;
		goto xvd;
	}
	if (!strncmp(vdev, "xvd", 3)) {
		p = vdev + 3;
		if (letters(&p, &disk))
			return -1;
		if (*p && number(p, 255, &part, &p))
			return -1;
		if (*p || disk >= (1 << 20))
			return -1;
		goto xvd;
	}
	if (!strncmp(vdev, "hd", 2) || !strncmp(vdev, "sd", 2)) {
		int is_hd = vdev[0] == 'h';

		p = vdev + 2;
		if (letters(&p, &disk))
			return -1;
		if (*p && number(p, is_hd ? 63 : 15, &part, &p))
			return -1;
		if (*p)
			return -1;
		if (pdisk)
			*pdisk = disk;
		if (ppart)
			*ppart = part;
		if (is_hd) {
			if (disk > 3)
				return -1;
			return disk < 2 ? (3 << 8) | (disk << 6) | part
					: (22 << 8) | ((disk - 2) << 6) | part;
		}
		if (disk > 15)
			return -1;
		return (8 << 8) | (disk << 4) | part;
	}
	return -1;
xvd:
	if (pdisk)
		*pdisk = disk;
	if (ppart)
		*ppart = part;
	if (disk < 16 && part < 16)
		return (202 << 8) | (disk << 4) | part;
	return (1 << 28) | (disk << 8) | part;
}
