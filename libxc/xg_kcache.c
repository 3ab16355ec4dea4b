/* Unpacked kernels kept on disk. Decompressing a bzImage is most of the
 * work of creating a domain (seconds under emulation), and the same
 * kernel is used again and again: a restart, the next guest. An entry is
 * named after the file's identity (device, inode, size, mtime, ctime to
 * the nanosecond), so any write to the kernel, or another file at its
 * path, is a miss. Entries are re-checked like any kernel when used.
 * A bzImage is unpacked straight into its new entry (a shared file
 * mapping), so keeping it costs no extra copy. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include "include/xenguest.h"
#include "xg_kernel_i.h"

#define KCACHE_MAGIC "XLKCACH1"
#define KCACHE_HDR 4096			/* the ELF starts page-aligned: mmap-able */
#define KCACHE_KEEP 3			/* newest entries kept */
#define PREFAULT_STEP (4UL << 20)

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23		/* Linux 5.14 */
#endif

struct kcache_hdr {
	char magic[8];
	uint64_t dev, ino, size, mtime_ns, ctime_ns;
	uint64_t elf_size;
	char format[32];
};

static void hdr_fill(struct kcache_hdr *h, const struct stat *st)
{
	memset(h, 0, sizeof(*h));
	memcpy(h->magic, KCACHE_MAGIC, 8);
	h->dev = (uint64_t)st->st_dev;
	h->ino = (uint64_t)st->st_ino;
	h->size = (uint64_t)st->st_size;
	h->mtime_ns = (uint64_t)st->st_mtim.tv_sec * 1000000000u + (uint64_t)st->st_mtim.tv_nsec;
	h->ctime_ns = (uint64_t)st->st_ctim.tv_sec * 1000000000u + (uint64_t)st->st_ctim.tv_nsec;
}

static void entry_path(char *out, size_t len, const char *dir, const struct kcache_hdr *h)
{
	snprintf(out, len, "%s/%llx-%llx-%llx-%llx.elf", dir, (unsigned long long)h->dev,
		 (unsigned long long)h->ino, (unsigned long long)h->mtime_ns,
		 (unsigned long long)h->ctime_ns);
}

int xg_kcache_lookup(const char *dir, const struct stat *st, struct xg_kernel *k)
{
	struct kcache_hdr want, got;
	char path[512], why[128];
	struct stat cst;
	void *map;
	int fd, rc = -1;

	hdr_fill(&want, st);
	entry_path(path, sizeof(path), dir, &want);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (pread(fd, &got, sizeof(got), 0) != (ssize_t)sizeof(got) || fstat(fd, &cst) < 0)
		goto out;
	memcpy(want.format, got.format, sizeof(want.format));
	want.elf_size = got.elf_size;
	if (memcmp(&want, &got, sizeof(got)) != 0 || got.format[sizeof(got.format) - 1] ||
	    (uint64_t)cst.st_size != KCACHE_HDR + got.elf_size || got.elf_size == 0)
		goto out;
	map = mmap(NULL, got.elf_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, KCACHE_HDR);
	if (map == MAP_FAILED)
		goto out;
	memset(k, 0, sizeof(*k));
	k->elf = map;
	k->elf_size = got.elf_size;
	k->map = map;
	k->map_len = got.elf_size;
	if (xg_kernel_inspect(k, why, sizeof(why)) < 0) {
		xg_kernel_close(k);
		goto out;
	}
	snprintf(k->format, sizeof(k->format), "%s", got.format);
	rc = 0;
out:
	close(fd);
	return rc;
}

struct entry {
	char name[256];
	struct timespec mtime;
};

static int newer_first(const void *a, const void *b)
{
	const struct timespec *x = &((const struct entry *)a)->mtime;
	const struct timespec *y = &((const struct entry *)b)->mtime;

	if (x->tv_sec != y->tv_sec)
		return x->tv_sec < y->tv_sec ? 1 : -1;
	return x->tv_nsec < y->tv_nsec ? 1 : x->tv_nsec > y->tv_nsec ? -1 : 0;
}

/* Drops all but the KCACHE_KEEP newest entries. */
static void evict(const char *dir)
{
	struct entry *all = NULL, *grown;
	size_t n = 0, cap = 0;
	struct dirent *e;
	struct stat st;
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);

		if (len < 5 || len >= sizeof(all->name) || strcmp(e->d_name + len - 4, ".elf") ||
		    fstatat(dirfd(d), e->d_name, &st, 0) < 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			grown = realloc(all, cap * sizeof(*all));
			if (!grown)
				break;
			all = grown;
		}
		snprintf(all[n].name, sizeof(all[n].name), "%s", e->d_name);
		all[n++].mtime = st.st_mtim;
	}
	if (n > KCACHE_KEEP) {
		qsort(all, n, sizeof(*all), newer_first);
		for (size_t i = KCACHE_KEEP; i < n; i++)
			unlinkat(dirfd(d), all[i].name, 0);
	}
	free(all);
	closedir(d);
}

/* mkdir -p, the last component private to root. */
static int make_dirs(const char *dir)
{
	char path[512];
	size_t len = strlen(dir);

	if (len == 0 || len >= sizeof(path))
		return -1;
	memcpy(path, dir, len + 1);
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(path, 0700) < 0 && errno != EEXIST ? -1 : 0;
}

/*
 * The new entry's pages, faulted in ahead of the decoder by a second
 * thread: under emulation, allocating them costs a sixth of the decoding
 * (0.24 s of 1.6 s for a 66 MB kernel in Xen 4.17's PV dom0), and that
 * need not wait for it where dom0 has another vCPU.  MADV_POPULATE_WRITE
 * leaves the contents alone, so the two never race on data; the decoder
 * faults in whatever it reaches first.
 */
struct prefault {
	uint8_t *base;
	size_t len;
	pthread_t thread;
	bool running;
};

static void *prefault_run(void *arg)
{
	struct prefault *pf = arg;

	for (size_t off = 0; off < pf->len; off += PREFAULT_STEP) {
		size_t n = pf->len - off < PREFAULT_STEP ? pf->len - off : PREFAULT_STEP;

		if (madvise(pf->base + off, n, MADV_POPULATE_WRITE) < 0)
			break;
	}
	return NULL;
}

int xg_kcache_fill(const char *dir, const struct stat *st, const uint8_t *data, size_t size,
		   struct xg_kernel *k)
{
	size_t want = xg_bzimage_unpacked_size(data, size), cap, got = 0;
	struct kcache_hdr h;
	char path[512], tmp[520], why[200];
	uint8_t *map = MAP_FAILED;
	struct prefault pf;
	struct statvfs vfs;
	int fd, rc;

	if (!want || make_dirs(dir) < 0)
		return -1;
	hdr_fill(&h, st);
	entry_path(path, sizeof(path), dir, &h);
	snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0)
		return -1;
	/* Some room past the announced size, so a decoder that wants space
	 * to see its end marker is not cut short. */
	cap = want + 4096;
	/* A write into a file mapping that finds its file system full is a
	 * SIGBUS, so a cache without room for the entry is left alone (the
	 * caller unpacks into memory).  ramfs counts no blocks at all. */
	if (fstatvfs(fd, &vfs) < 0 ||
	    (vfs.f_blocks && (uint64_t)vfs.f_bavail * vfs.f_frsize < KCACHE_HDR + cap) ||
	    ftruncate(fd, (off_t)(KCACHE_HDR + cap)) < 0)
		goto fail;
	map = mmap(NULL, KCACHE_HDR + cap, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		goto fail;
	pf = (struct prefault){ .base = map, .len = KCACHE_HDR + cap };
	pf.running = pthread_create(&pf.thread, NULL, prefault_run, &pf) == 0;
	rc = xg_bzimage_unpack_into(data, size, map + KCACHE_HDR, cap, &got, h.format,
				    sizeof(h.format), why, sizeof(why));
	if (pf.running)
		pthread_join(pf.thread, NULL);
	if (rc < 0 || got != want || ftruncate(fd, (off_t)(KCACHE_HDR + got)) < 0)
		goto fail;
	h.elf_size = got;
	memcpy(map, &h, sizeof(h));
	memset(k, 0, sizeof(*k));
	k->elf = map + KCACHE_HDR;
	k->elf_size = got;
	k->map = map;
	k->map_len = KCACHE_HDR + cap;
	snprintf(k->format, sizeof(k->format), "%s", h.format);
	if (xg_kernel_inspect(k, why, sizeof(why)) < 0 || rename(tmp, path) < 0) {
		memset(k, 0, sizeof(*k));
		goto fail;
	}
	close(fd);
	evict(dir);
	return 0;
fail:
	if (map != MAP_FAILED)
		munmap(map, KCACHE_HDR + cap);
	close(fd);
	unlink(tmp);
	return -1;
}
