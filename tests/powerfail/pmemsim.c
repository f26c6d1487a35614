/*
 * pmemsim.c -- power-failure simulator: an LD_PRELOAD library that keeps
 * the image of a pool file a power failure would leave (see pmemsim.h)
 *
 * Definitions here take precedence over libpmem's because the library is
 * preloaded. libpmemobj's references are versioned (pmem_flush@LIBPMEM_1.0);
 * glibc binds a versioned reference to an unversioned definition in an
 * earlier object, as it does for malloc interposers, so these plain
 * definitions are enough. The real functions are found with
 * dlvsym(RTLD_NEXT, name, "LIBPMEM_1.0").
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pmemsim.h"

#define EXPORT __attribute__((visibility("default")))
#define LINE 64u
#define PAGE 4096u
#define MAXMAP 32

/* libpmem's flags (libpmem.h is not included: its prototypes would
 * clash with nothing, but the library must not depend on libpmem) */
#define F_NODRAIN (1u << 0)
#define F_NOFLUSH (1u << 5)

struct mapping {
	char *addr;
	size_t len;
	uint64_t off;	/* file offset of addr */
};

/* a line flushed and not yet drained: its contents at flush time */
struct pend {
	uint64_t off;
	unsigned char data[LINE];
};

static struct {
	int watching;
	char path[4096];
	unsigned char *shadow;
	uint64_t size;
	unsigned char *touched;	/* per page: ever non-zero in the shadow */
	/*
	 * The variant images (partial drain, write-back) are built in one
	 * buffer kept across images, which holds the shadow's touched pages
	 * plus what the last variant changed: copying and faulting in the
	 * whole pool for every image cost more than checking it.
	 */
	unsigned char *scratch;
	unsigned char *changed;	/* per page: scratch differs from shadow */
	unsigned char *write;	/* per page: in the image being written */
	struct mapping map[MAXMAP];
	int nmap;
	struct pend *pend;
	size_t npend, cap;
	pmemsim_hook hook;
	void *arg;
	int in_hook;
	struct pmemsim_stats st;
} S;

/* set while a real libpmem function runs: calls it makes are its own */
static __thread int inside;

static void
die(const char *what)
{
	fprintf(stderr, "pmemsim: %s\n", what);
	abort();
}

static void *
real(const char *name, const char *version)
{
	void *f = version ? dlvsym(RTLD_NEXT, name, version) : NULL;
	if (f == NULL)
		f = dlsym(RTLD_NEXT, name);
	if (f == NULL)
		die(name);
	return f;
}

#define REAL(name, version, type) \
	static __typeof__(type) real_; \
	if (real_ == NULL) \
		real_ = (type)real(name, version)

/* ---------------------------------------------------------------------- */
/* mappings of the watched file */

static void
forget_range(const char *addr, size_t len)
{
	for (int i = 0; i < S.nmap; i++) {
		struct mapping *m = &S.map[i];
		if (m->addr < addr + len && addr < m->addr + m->len) {
			S.map[i--] = S.map[--S.nmap];
		}
	}
}

static int
load_shadow(int fd, uint64_t size)
{
	S.shadow = malloc(size ? size : 1);
	S.touched = calloc(size / PAGE + 1, 1);
	if (S.shadow == NULL || S.touched == NULL)
		die("out of memory");
	S.size = size;
	for (uint64_t done = 0; done < size;) {
		ssize_t n = pread(fd, S.shadow + done, size - done,
				(off_t)done);
		if (n <= 0)
			return n < 0 ? errno : EIO;
		done += (uint64_t)n;
	}
	static const unsigned char zero[PAGE];
	for (uint64_t p = 0; p < size; p += PAGE) {
		uint64_t n = size - p < PAGE ? size - p : PAGE;
		S.touched[p / PAGE] = memcmp(S.shadow + p, zero, n) != 0;
	}
	return 0;
}

static void
maybe_attach(void *addr, size_t len, int fd, off_t off)
{
	struct stat a, b;

	if (fstat(fd, &a) != 0 || stat(S.path, &b) != 0 ||
	    a.st_dev != b.st_dev || a.st_ino != b.st_ino)
		return;
	if (S.shadow == NULL && load_shadow(fd, (uint64_t)a.st_size) != 0)
		die("cannot read the watched file");
	if (S.nmap == MAXMAP)
		die("too many mappings");
	if ((uint64_t)off + len > S.size)
		len = S.size > (uint64_t)off ? S.size - (uint64_t)off : 0;
	S.map[S.nmap++] = (struct mapping){ addr, len, (uint64_t)off };
	S.st.mappings++;
}

EXPORT void *
mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	REAL("mmap", NULL, void *(*)(void *, size_t, int, int, int, off_t));
	void *p = real_(addr, len, prot, flags, fd, off);
	if (p != MAP_FAILED && S.watching) {
		forget_range(p, len);	/* MAP_FIXED replaces mappings */
		if (fd >= 0 && (flags & MAP_SHARED))
			maybe_attach(p, len, fd, off);
	}
	return p;
}

EXPORT void *
mmap64(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	return mmap(addr, len, prot, flags, fd, off);
}

EXPORT int
munmap(void *addr, size_t len)
{
	REAL("munmap", NULL, int (*)(void *, size_t));
	if (S.watching)
		forget_range(addr, len);
	return real_(addr, len);
}

/* ---------------------------------------------------------------------- */
/* flush and drain */

static void
push_line(uint64_t off, const char *src)
{
	if (S.npend == S.cap) {
		S.cap = S.cap ? S.cap * 2 : 4096;
		S.pend = realloc(S.pend, S.cap * sizeof(*S.pend));
		if (S.pend == NULL)
			die("out of memory");
	}
	S.pend[S.npend].off = off;
	memcpy(S.pend[S.npend].data, src, LINE);
	S.npend++;
	S.st.lines++;
}

/*
 * capture -- a flush of [addr, addr + len): the whole lines it covers,
 * as they are now (mappings are page-aligned, so lines are too)
 */
static void
capture(const void *addr, size_t len, unsigned align)
{
	const char *a = addr, *e = a + len;
	int hit = 0;

	for (int i = 0; i < S.nmap; i++) {
		struct mapping *m = &S.map[i];
		const char *lo = a > m->addr ? a : m->addr;
		const char *hi = e < m->addr + m->len ? e : m->addr + m->len;
		if (lo >= hi)
			continue;
		size_t s = (size_t)(lo - m->addr) / align * align;
		size_t t = ((size_t)(hi - m->addr) + align - 1) / align * align;
		if (t > m->len)
			t = m->len;
		for (size_t x = s; x < t; x += LINE)
			push_line(m->off + x, m->addr + x);
		hit = 1;
	}
	S.st.flushes += hit;
}

/* apply -- make a pending line durable; whether that changed the shadow */
static int
apply(const struct pend *p)
{
	if (p->off + LINE > S.size ||
	    memcmp(S.shadow + p->off, p->data, LINE) == 0)
		return 0;
	memcpy(S.shadow + p->off, p->data, LINE);
	S.touched[p->off / PAGE] = 1;
	return 1;
}

static void
drain_point(int is_msync)
{
	if (S.shadow == NULL || (S.nmap == 0 && S.npend == 0))
		return;
	S.st.drains++;
	S.st.msyncs += is_msync;
	if (S.hook != NULL && !S.in_hook) {
		S.in_hook = 1;
		S.hook(S.arg, S.st.drains);
		S.in_hook = 0;
	}
	int changed = 0;
	for (size_t i = 0; i < S.npend; i++)
		changed |= apply(&S.pend[i]);
	S.st.changes += (uint64_t)changed;
	S.npend = 0;
}

static int
ours(void)
{
	return S.watching && S.shadow != NULL && !inside;
}

EXPORT void
pmem_flush(const void *addr, size_t len)
{
	REAL("pmem_flush", "LIBPMEM_1.0", void (*)(const void *, size_t));
	if (ours())
		capture(addr, len, LINE);
	inside++;
	real_(addr, len);
	inside--;
}

EXPORT void
pmem_deep_flush(const void *addr, size_t len)
{
	REAL("pmem_deep_flush", "LIBPMEM_1.0", void (*)(const void *, size_t));
	if (ours())
		capture(addr, len, LINE);
	inside++;
	real_(addr, len);
	inside--;
}

EXPORT void
pmem_drain(void)
{
	REAL("pmem_drain", "LIBPMEM_1.0", void (*)(void));
	inside++;
	real_();
	inside--;
	if (ours())
		drain_point(0);
}

EXPORT void
pmem_persist(const void *addr, size_t len)
{
	REAL("pmem_persist", "LIBPMEM_1.0", void (*)(const void *, size_t));
	int o = ours();
	if (o)
		capture(addr, len, LINE);
	inside++;
	real_(addr, len);
	inside--;
	if (o)
		drain_point(0);
}

EXPORT int
pmem_deep_persist(const void *addr, size_t len)
{
	REAL("pmem_deep_persist", "LIBPMEM_1.0", int (*)(const void *, size_t));
	int o = ours();
	if (o)
		capture(addr, len, LINE);
	inside++;
	int r = real_(addr, len);
	inside--;
	if (o)
		drain_point(0);
	return r;
}

EXPORT int
pmem_deep_drain(const void *addr, size_t len)
{
	REAL("pmem_deep_drain", "LIBPMEM_1.0", int (*)(const void *, size_t));
	inside++;
	int r = real_(addr, len);
	inside--;
	if (ours())
		drain_point(0);
	return r;
}

/*
 * msync writes back whole pages: the lines of the pages the range
 * touches become durable together, at once (a flush and a drain)
 */
EXPORT int
pmem_msync(const void *addr, size_t len)
{
	REAL("pmem_msync", "LIBPMEM_1.0", int (*)(const void *, size_t));
	int o = ours();
	if (o)
		capture(addr, len, PAGE);
	inside++;
	int r = real_(addr, len);
	inside--;
	if (o)
		drain_point(1);
	return r;
}

EXPORT int
msync(void *addr, size_t len, int flags)
{
	REAL("msync", NULL, int (*)(void *, size_t, int));
	int o = ours() && (flags & MS_SYNC);
	if (o)
		capture(addr, len, PAGE);
	inside++;
	int r = real_(addr, len, flags);
	inside--;
	if (o)
		drain_point(1);
	return r;
}

/* after a copy: flush unless NOFLUSH (which implies NODRAIN), drain
 * unless NODRAIN */
static void
after_copy(void *dest, size_t len, unsigned flags)
{
	if (!ours() || (flags & F_NOFLUSH))
		return;
	capture(dest, len, LINE);
	if (!(flags & F_NODRAIN))
		drain_point(0);
}

#define COPY_FN(name, ptype, call) \
EXPORT void * \
name(void *dest, ptype src, size_t len, unsigned flags) \
{ \
	REAL(#name, "LIBPMEM_1.0", void *(*)(void *, ptype, size_t, unsigned)); \
	inside++; \
	void *r = real_(dest, src, len, flags); \
	inside--; \
	after_copy(dest, len, flags); \
	return r; \
}
COPY_FN(pmem_memcpy, const void *, memcpy)
COPY_FN(pmem_memmove, const void *, memmove)
COPY_FN(pmem_memset, int, memset)

#define COPY_FIXED(name, base, ptype, fl) \
EXPORT void * \
name(void *dest, ptype src, size_t len) \
{ \
	return base(dest, src, len, fl); \
}
COPY_FIXED(pmem_memcpy_persist, pmem_memcpy, const void *, 0)
COPY_FIXED(pmem_memcpy_nodrain, pmem_memcpy, const void *, F_NODRAIN)
COPY_FIXED(pmem_memmove_persist, pmem_memmove, const void *, 0)
COPY_FIXED(pmem_memmove_nodrain, pmem_memmove, const void *, F_NODRAIN)
COPY_FIXED(pmem_memset_persist, pmem_memset, int, 0)
COPY_FIXED(pmem_memset_nodrain, pmem_memset, int, F_NODRAIN)

/* ---------------------------------------------------------------------- */
/* the interface */

EXPORT void
pmemsim_unwatch(void)
{
	free(S.shadow);
	free(S.touched);
	free(S.scratch);
	free(S.changed);
	free(S.write);
	free(S.pend);
	memset(&S, 0, sizeof(S));
}

EXPORT int
pmemsim_watch(const char *path)
{
	pmemsim_hook fn = S.hook;
	void *arg = S.arg;

	pmemsim_unwatch();
	S.hook = fn; /* the hook outlives a watch */
	S.arg = arg;
	if (strlen(path) >= sizeof(S.path))
		return ENAMETOOLONG;
	strcpy(S.path, path);
	S.watching = 1;
	return 0;
}

EXPORT void
pmemsim_set_hook(pmemsim_hook fn, void *arg)
{
	S.hook = fn;
	S.arg = arg;
}

EXPORT void
pmemsim_get_stats(struct pmemsim_stats *out)
{
	*out = S.st;
	out->pending = S.npend;
	out->size = S.size;
}

static uint64_t
splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* write_pages -- the pages of img marked in which, a run per call */
static int
write_pages(int fd, const unsigned char *img, const unsigned char *which)
{
	uint64_t npages = (S.size + PAGE - 1) / PAGE;

	for (uint64_t p = 0; p < npages; p++) {
		if (!which[p])
			continue;
		uint64_t q = p + 1;
		while (q < npages && which[q])
			q++;
		uint64_t from = p * PAGE;
		uint64_t to = q * PAGE < S.size ? q * PAGE : S.size;
		if (pwrite(fd, img + from, to - from, (off_t)from) !=
				(ssize_t)(to - from))
			return errno ? errno : EIO;
		p = q;
	}
	return 0;
}

/* variant_line -- the image's line at off takes src */
static void
variant_line(uint64_t off, const unsigned char *src)
{
	memcpy(S.scratch + off, src, LINE);
	S.changed[off / PAGE] = 1;
	S.write[off / PAGE] = 1;
}

/* variant -- build in S.scratch the shadow as changed by flags */
static int
variant(unsigned flags, uint64_t seed)
{
	uint64_t npages = S.size / PAGE + 1;

	if (S.scratch == NULL) {
		S.scratch = calloc(S.size ? S.size : 1, 1);
		S.changed = calloc(npages, 1);
		S.write = calloc(npages, 1);
		if (S.scratch == NULL || S.changed == NULL || S.write == NULL)
			return ENOMEM;
	}
	for (uint64_t p = 0; p < npages; p++) {
		uint64_t at = p * PAGE, n = S.size - at < PAGE ?
			S.size - at : PAGE;
		if (S.touched[p])
			memcpy(S.scratch + at, S.shadow + at, n);
		else if (S.changed[p])
			memset(S.scratch + at, 0, n);
		S.changed[p] = 0;
		S.write[p] = S.touched[p];
	}
	if (flags & PMEMSIM_IMG_EVICT) {
		for (int i = 0; i < S.nmap; i++) {
			struct mapping *m = &S.map[i];
			for (size_t x = 0; x + LINE <= m->len; x += LINE)
				if (memcmp(S.scratch + m->off + x, m->addr + x,
						LINE) != 0 && (splitmix(&seed) & 1))
					variant_line(m->off + x,
						(const unsigned char *)m->addr + x);
		}
	}
	if (flags & PMEMSIM_IMG_PARTIAL) {
		for (size_t i = 0; i < S.npend; i++)
			if (S.pend[i].off + LINE <= S.size &&
			    (splitmix(&seed) & 1))
				variant_line(S.pend[i].off, S.pend[i].data);
	}
	return 0;
}

EXPORT int
pmemsim_write_image(const char *path, unsigned flags, uint64_t seed)
{
	const unsigned char *img = S.shadow;
	int rc = 0;

	if (S.shadow == NULL)
		return ENODATA;
	if (flags != PMEMSIM_IMG_DURABLE) {
		if ((rc = variant(flags, seed)) != 0)
			return rc;
		img = S.scratch;
	}
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return errno;
	if (ftruncate(fd, (off_t)S.size) != 0)
		rc = errno;
	if (rc == 0)
		rc = write_pages(fd, img, img == S.shadow ? S.touched :
				S.write);
	if (close(fd) != 0 && rc == 0)
		rc = errno;
	return rc;
}
