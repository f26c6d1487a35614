/*
 * precheck.c -- what libpmemobj 1.12 trusts in a pool file, checked
 * before pmemobj_open() maps it
 *
 * libpmemobj reads its own metadata without bounds checks: a damaged log
 * entry size, chunk header or run header makes pmemobj_open() (or a later
 * walk of the heap) read past the mapping, divide by zero or loop for
 * ever. This file reads the same structures, from a read-only mapping of
 * the file, the way libpmemobj's open, recovery and heap walks read them
 * (PMDK 1.12.1: obj.c, lane.c, ulog.c, memops.c, heap.c, memblock.c),
 * with every offset and size checked against the file, and refuses the
 * file with PK_ECORRUPT naming the first thing that is wrong. It refuses
 * only what would make libpmemobj leave the file or the structure it is
 * in, or what libpmemobj never writes in a pmemkit pool: every pool
 * libpmemobj writes, crash images with logs pending included, passes.
 *
 * Its cost is one pass over libpmemobj's metadata: the two headers, the
 * lanes (3 KiB each), the chunk headers of each zone, the header and
 * bitmap of each run. The objects' allocation headers, one per object,
 * only a walk of every object reads (pmemobj_first/next: gc, check,
 * stats); they are checked before the first such walk of a session
 * (pk__precheck_objects), not at every open, where reading one line in
 * each of a big pool's pages would cost more than the rest of the open
 * (but for under valgrind: below).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "internal.h"

/*
 * Under valgrind, libpmemobj's open registers every object with memcheck
 * (palloc_heap_vg_open), by the size its allocation header gives less the
 * header: a header that gives 0 registers 2^64 bytes, and memcheck fills
 * the machine's memory with its shadow of them. The open's check reads the
 * objects' headers then, as libpmemobj is about to read them anyway.
 */
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif

/* ---- libpmemobj 1.12's on-media format (obj.h, pool_hdr.h, lane.h,
 * ulog.h, heap_layout.h): offsets and constants, not its structs ---- */

#define POOL_HDR_SIZE 4096
#define HDR_MAJOR_OFF 8
#define HDR_FEAT_OFF 12		/* compat, incompat, ro_compat */
#define HDR_CSUM_2K_END 2048	/* offsetof(struct pool_hdr, unused2) */
#define HDR_CSUM_OFF 4088	/* offsetof(struct pool_hdr, checksum) */
#define OBJ_FORMAT_MAJOR 6
#define FEAT_COMPAT_VALID 0x1u	/* CHECK_BAD_BLOCKS */
#define FEAT_INCOMPAT_VALID 0x7u	/* SINGLEHDR, CKSUM_2K, SDS */
#define FEAT_CKSUM_2K 0x2u

/* the pool descriptor, after the pool header */
#define DSC_OFF POOL_HDR_SIZE
#define DSC_SIZE 2048
#define DSC_LANES_OFF (DSC_OFF + PMEMOBJ_MAX_LAYOUT)
#define DSC_NLANES (DSC_LANES_OFF + 8)
#define DSC_HEAP_OFF (DSC_LANES_OFF + 16)
#define DSC_CSUM (DSC_OFF + DSC_SIZE - 8)
#define DSC_ROOT_OFF (DSC_OFF + DSC_SIZE)
#define DSC_ROOT_SIZE (DSC_ROOT_OFF + 16)
#define DSC_HEAP_SIZE (DSC_ROOT_OFF + 32)
#define MAX_NLANES 1024		/* OBJ_NLANES */

/* a lane: three logs, each a 64-byte header and its data */
#define LANE_SIZE 3072
#define ULOG_HDR 64
#define CACHELINE 64
static const struct {
	const char *name;
	uint64_t off, base;	/* in the lane; bytes of data */
	int redo;
} lane_log[3] = {
	{ "internal redo log", 0, 192, 1 },
	{ "external redo log", 256, 640, 1 },
	{ "undo log", 960, 2048, 0 },
};
/* entry types: the top three bits of an entry's offset */
#define OP_SET 0u
#define OP_AND 1u
#define OP_OR 2u
#define OP_BUF_SET 5u
#define OP_BUF_CPY 6u
#define ENTRY_OFF_MASK (~(7ULL << 61))
#define ENTRY_BUF_HDR 24	/* offset, checksum, size */

/* the heap */
#define HEAP_HDR_SIZE 1024
#define HEAP_SIG "MEMORY_HEAP_HDR"
#define CHUNKSIZE ((uint64_t)256 << 10)
#define MAX_CHUNK (UINT16_MAX - 7)
#define ZONE_HDR 64
#define ZONE_META (ZONE_HDR + (uint64_t)MAX_CHUNK * 8)	/* sizeof(zone) */
#define ZONE_MAX_SIZE (ZONE_META + (uint64_t)MAX_CHUNK * CHUNKSIZE)
#define ZONE_MIN_SIZE (ZONE_META + CHUNKSIZE)
#define ZONE_MAGIC 0xC3F0A2D2u
enum { CHUNK_FREE = 2, CHUNK_USED = 3, CHUNK_RUN = 4, CHUNK_RUN_DATA = 5 };
#define CHUNK_COMPACT 0x1u
#define CHUNK_NONE 0x2u
#define CHUNK_ALIGNED 0x4u
#define CHUNK_FLEX 0x8u
#define CHUNK_FLAGS_VALID 0xfu
#define RUN_HDR 16		/* block_size, alignment */
#define RUN_CONTENT (CHUNKSIZE - RUN_HDR)
#define RUN_DEFAULT_BITMAP 304	/* bytes: 40 words less the header's 2 */
#define RUN_DEFAULT_NBITS (RUN_DEFAULT_BITMAP * 8)
#define ALLOC_SIZE_MASK ((1ULL << 48) - 1)

/* the file, mapped read-only, and what was learned of it so far */
struct vf {
	const uint8_t *p;
	uint64_t size;		/* whole pages, as libpmemobj maps them */
	const char *path;
	uint64_t heap, heap_end;	/* the heap's bytes */
	uint64_t nzones;
	uint64_t root;		/* the root object's offset, or 0 */
	int redo_pending;	/* a redo log recovery will replay */
};

/* bad -- refuse the file: PK_ECORRUPT with what is wrong */
static int
bad(const struct vf *v, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int
bad(const struct vf *v, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return pk__err(PK_ECORRUPT, "%s: damaged libpmemobj metadata: %s",
			v->path, msg);
}

/* in -- whether [off, off + len) lies in the file, without overflow */
static int
in(const struct vf *v, uint64_t off, uint64_t len)
{
	return off <= v->size && len <= v->size - off;
}

static uint64_t
u64(const struct vf *v, uint64_t off)
{
	uint64_t x;
	memcpy(&x, v->p + off, sizeof(x));
	return x;
}

static uint32_t
u32(const struct vf *v, uint64_t off)
{
	uint32_t x;
	memcpy(&x, v->p + off, sizeof(x));
	return x;
}

/*
 * fletcher -- libpmemobj's util_checksum_compute(): 32-bit words summed,
 * Fletcher-64 style, the 8 bytes at csum (and everything from skip on,
 * when skip is not 0) read as zeros; seeded with start for a sequence
 */
static uint64_t
fletcher(const struct vf *v, uint64_t off, uint64_t len, uint64_t csum,
		uint64_t skip, uint64_t start)
{
	uint32_t lo = (uint32_t)start, hi = (uint32_t)(start >> 32);
	uint64_t end = skip ? off + skip : off + len;

	for (uint64_t p = off; p < off + len; p += 4) {
		if (p != csum && p != csum + 4 && p < end)
			lo += u32(v, p);
		hi += lo;
	}
	return (uint64_t)hi << 32 | lo;
}

/* ---- the pool header and the pool descriptor ---- */

static int
check_pool_hdr(const struct vf *v)
{
	uint32_t compat = u32(v, HDR_FEAT_OFF), incompat = u32(v,
			HDR_FEAT_OFF + 4), ro = u32(v, HDR_FEAT_OFF + 8);

	if (memcmp(v->p, "PMEMOBJ", 8) != 0)
		return bad(v, "pool header signature");
	if (u32(v, HDR_MAJOR_OFF) != OBJ_FORMAT_MAJOR)
		return bad(v, "pool header: format %u, libpmemobj reads %u",
				u32(v, HDR_MAJOR_OFF), OBJ_FORMAT_MAJOR);
	if ((compat & ~FEAT_COMPAT_VALID) || (incompat & ~FEAT_INCOMPAT_VALID)
			|| ro)
		return bad(v, "pool header: unknown features %#x/%#x/%#x",
				compat, incompat, ro);
	if (fletcher(v, 0, POOL_HDR_SIZE, HDR_CSUM_OFF, incompat &
				FEAT_CKSUM_2K ? HDR_CSUM_2K_END : 0, 0) !=
			u64(v, HDR_CSUM_OFF))
		return bad(v, "pool header checksum");
	return 0;
}

static int
check_descriptor(struct vf *v, uint64_t *lanes, uint64_t *nlanes)
{
	uint64_t heap, heap_size, root, root_size;

	if (fletcher(v, DSC_OFF, DSC_SIZE, DSC_CSUM, 0, 0) != u64(v, DSC_CSUM))
		return bad(v, "pool descriptor checksum");
	*lanes = u64(v, DSC_LANES_OFF);
	*nlanes = u64(v, DSC_NLANES);
	heap = u64(v, DSC_HEAP_OFF);
	if (*lanes < DSC_ROOT_OFF || *nlanes == 0 || *nlanes > MAX_NLANES ||
			*lanes % CACHELINE != 0)
		return bad(v, "pool descriptor: %llu lanes at %#llx",
				(unsigned long long)*nlanes,
				(unsigned long long)*lanes);
	if (heap % 4096 != 0 || heap < *lanes + *nlanes * LANE_SIZE ||
			!in(v, heap, HEAP_HDR_SIZE + ZONE_MIN_SIZE))
		return bad(v, "pool descriptor: heap at %#llx",
				(unsigned long long)heap);
	v->heap = heap;
	v->heap_end = v->size;
	/* libpmemobj refuses a heap_size above the file itself; 0 means
	 * "the whole file" */
	heap_size = u64(v, DSC_HEAP_SIZE);
	if (heap_size > v->size - heap)
		return bad(v, "pool descriptor: heap size %llu past the file",
				(unsigned long long)heap_size);
	root = u64(v, DSC_ROOT_OFF);
	root_size = u64(v, DSC_ROOT_SIZE);
	if ((root != 0 || root_size != 0) && (root < heap ||
				!in(v, root, root_size)))
		return bad(v, "pool descriptor: root object of %llu bytes at "
				"%#llx", (unsigned long long)root_size,
				(unsigned long long)root);
	v->root = root;
	return 0;
}

/* ---- the heap ---- */

/* zone_chunks -- zone_calc_size_idx(): the chunks zone z may have */
static uint64_t
zone_chunks(const struct vf *v, uint64_t z)
{
	uint64_t size = u64(v, DSC_HEAP_SIZE);

	if (size == 0)
		size = v->heap_end - v->heap;
	if (z + 1 < v->nzones)
		return MAX_CHUNK;
	if (size < z * ZONE_MAX_SIZE + ZONE_META + HEAP_HDR_SIZE)
		return 0;
	return (size - z * ZONE_MAX_SIZE - ZONE_META - HEAP_HDR_SIZE) /
		CHUNKSIZE;
}

static uint64_t
zone_off(const struct vf *v, uint64_t z)
{
	return v->heap + HEAP_HDR_SIZE + z * ZONE_MAX_SIZE;
}

static uint64_t
chunk_hdr(const struct vf *v, uint64_t z, uint64_t c)
{
	return u64(v, zone_off(v, z) + ZONE_HDR + c * 8);
}

#define HDR_TYPE(h) ((unsigned)((h) & 0xffff))
#define HDR_FLAGS(h) ((unsigned)(((h) >> 16) & 0xffff))
#define HDR_SIZE(h) ((uint64_t)((h) >> 32))

static uint64_t
chunk_off(const struct vf *v, uint64_t z, uint64_t c)
{
	return zone_off(v, z) + ZONE_META + c * CHUNKSIZE;
}

/* header bytes of an allocation, by the chunk's flags (memblock.c) */
static uint64_t
alloc_hdr_size(unsigned flags)
{
	return flags & CHUNK_COMPACT ? 16 : flags & CHUNK_NONE ? 0 : 64;
}

/* alloc_size -- the size an allocation's header gives (0 for none) */
static uint64_t
alloc_size(const struct vf *v, uint64_t block, unsigned flags)
{
	if (flags & CHUNK_COMPACT)
		return u64(v, block) & ALLOC_SIZE_MASK;
	return u64(v, block + 8);	/* legacy: the size after 8 bytes */
}

/*
 * check_run -- a run's header, bitmap and the objects it marks used, as
 * memblock_run_bitmap() and run_iterate_used() read them
 */
static int
check_run(const struct vf *v, uint64_t z, uint64_t c, uint64_t h,
		int objects)
{
	uint64_t run = chunk_off(v, z, c), n = HDR_SIZE(h);
	uint64_t unit = u64(v, run), align = u64(v, run + 8);
	uint64_t content = RUN_CONTENT + (n - 1) * CHUNKSIZE;
	uint64_t nbits, nvalues, bitmap, data;
	unsigned flags = HDR_FLAGS(h);

	for (uint64_t k = 1; k < n; k++) {
		uint64_t d = chunk_hdr(v, z, c + k);
		if (HDR_TYPE(d) != CHUNK_RUN_DATA || HDR_SIZE(d) != k)
			return bad(v, "zone %llu chunk %llu: not part of the "
					"run at chunk %llu",
					(unsigned long long)z,
					(unsigned long long)(c + k),
					(unsigned long long)c);
	}
	if (unit < 8 || unit > content)
		return bad(v, "zone %llu chunk %llu: run of %llu-byte blocks",
				(unsigned long long)z, (unsigned long long)c,
				(unsigned long long)unit);
	if ((flags & CHUNK_ALIGNED) && (align == 0 || (align & (align - 1))
				|| align > content))
		return bad(v, "zone %llu chunk %llu: run alignment %llu",
				(unsigned long long)z, (unsigned long long)c,
				(unsigned long long)align);
	if (!(flags & CHUNK_ALIGNED))
		align = 0;	/* libpmemobj reads it only when flagged */
	if (flags & CHUNK_FLEX) {
		nbits = content / unit;
		nvalues = (nbits + 63) / 64;
		nvalues = ((nvalues + 2 + 7) & ~7ULL) - 2;
		bitmap = nvalues * 8;
		if (bitmap >= content || (content - bitmap) / unit <= !!align)
			return bad(v, "zone %llu chunk %llu: run bitmap",
					(unsigned long long)z,
					(unsigned long long)c);
		nbits = (content - bitmap) / unit - !!align;
		nvalues -= (nvalues * 64 - nbits) / 64;
	} else {
		uint64_t m = n;
		nbits = (content - RUN_DEFAULT_BITMAP) / unit;
		while (nbits > RUN_DEFAULT_NBITS) {
			if (m == 1) {
				nbits = RUN_DEFAULT_NBITS;
				break;
			}
			m--;
			nbits = (RUN_CONTENT + (m - 1) * CHUNKSIZE -
					RUN_DEFAULT_BITMAP) / unit;
		}
		if (nbits <= !!align)
			return bad(v, "zone %llu chunk %llu: run bitmap",
					(unsigned long long)z,
					(unsigned long long)c);
		nbits -= !!align;
		nvalues = RUN_DEFAULT_BITMAP / 8 -
			(RUN_DEFAULT_NBITS - nbits) / 64;
		bitmap = RUN_DEFAULT_BITMAP;
	}
	data = run + RUN_HDR + bitmap;
	if (align) {
		uint64_t hs = alloc_hdr_size(flags);
		data = ((data + hs + align - 1) & ~(align - 1)) - hs;
	}
	if (data + nbits * unit > run + n * CHUNKSIZE || !in(v, run, n *
				CHUNKSIZE))
		return bad(v, "zone %llu chunk %llu: run of %llu blocks of "
				"%llu bytes past its chunks",
				(unsigned long long)z, (unsigned long long)c,
				(unsigned long long)nbits,
				(unsigned long long)unit);
	/*
	 * Walking the objects (pmemobj_first/next, gc) steps from a used
	 * block by the size its header gives: a header that gives 0 makes it
	 * step in place for ever.
	 */
	if (!objects || (flags & CHUNK_NONE))
		return 0;
	/* as run_iterate_used(): objects never span two bitmap words */
	for (uint64_t i = 0; i < nvalues; i++) {
		uint64_t w = u64(v, run + RUN_HDR + i * 8), sz;
		for (uint64_t j = 0; w != 0 && j < 64 && i * 64 + j < nbits; ) {
			if (!(w >> j & 1)) {
				j++;
				continue;
			}
			/* CALC_SIZE_IDX(), which libpmemobj keeps in 32 bits */
			sz = alloc_size(v, data + (i * 64 + j) * unit, flags);
			sz = sz == 0 ? 0 : (uint32_t)((sz - 1) / unit + 1);
			if (sz == 0 || sz > nbits)
				return bad(v, "zone %llu chunk %llu: object %llu "
						"of the run: size %llu",
						(unsigned long long)z,
						(unsigned long long)c,
						(unsigned long long)(i * 64 + j),
						(unsigned long long)alloc_size(v,
							data + (i * 64 + j) *
							unit, flags));
			j += sz;
		}
	}
	return 0;
}

/* check_zone -- heap_verify_zone() with bounds, each run, and with
 * objects, each object's size */
static int
check_zone(const struct vf *v, uint64_t z, int objects)
{
	uint64_t zo = zone_off(v, z), max = zone_chunks(v, z), size, i;
	uint32_t magic;

	if (!in(v, zo, ZONE_HDR))
		return 0;	/* libpmemobj's nzones leaves it out */
	magic = u32(v, zo);
	if (magic == 0)
		return 0;	/* never used: libpmemobj initialises it */
	if (magic != ZONE_MAGIC)
		return bad(v, "zone %llu magic %#x", (unsigned long long)z,
				magic);
	size = u32(v, zo + 4);
	if (size == 0 || size > max || !in(v, zo, ZONE_META + size *
				CHUNKSIZE))
		return bad(v, "zone %llu of %llu chunks (at most %llu)",
				(unsigned long long)z,
				(unsigned long long)size,
				(unsigned long long)max);
	for (i = 0; i < size; ) {
		uint64_t h = chunk_hdr(v, z, i);
		unsigned t = HDR_TYPE(h);
		uint64_t n = HDR_SIZE(h);
		int rc;

		if (t != CHUNK_FREE && t != CHUNK_USED && t != CHUNK_RUN)
			return bad(v, "zone %llu chunk %llu: type %u",
					(unsigned long long)z,
					(unsigned long long)i, t);
		if (HDR_FLAGS(h) & ~CHUNK_FLAGS_VALID)
			return bad(v, "zone %llu chunk %llu: flags %#x",
					(unsigned long long)z,
					(unsigned long long)i, HDR_FLAGS(h));
		if (n == 0 || n > size - i)
			return bad(v, "zone %llu chunk %llu: %llu chunks, past "
					"the zone's %llu",
					(unsigned long long)z,
					(unsigned long long)i,
					(unsigned long long)n,
					(unsigned long long)size);
		/* libpmemobj finds an object's header by these flags alone;
		 * every class a pmemkit pool uses (libpmemobj's defaults
		 * and alloc.c's) has compact headers */
		if ((t == CHUNK_USED || t == CHUNK_RUN) && (HDR_FLAGS(h) &
					(CHUNK_COMPACT | CHUNK_NONE)) !=
				CHUNK_COMPACT)
			return bad(v, "zone %llu chunk %llu: flags %#x, not "
					"compact allocation headers",
					(unsigned long long)z,
					(unsigned long long)i, HDR_FLAGS(h));
		if (t == CHUNK_RUN && (rc = check_run(v, z, i, h,
						objects)) != 0)
			return rc;
		if (objects && t == CHUNK_USED && !(HDR_FLAGS(h) & CHUNK_NONE) &&
				alloc_size(v, chunk_off(v, z, i),
					HDR_FLAGS(h)) == 0)
			return bad(v, "zone %llu chunk %llu: object of size 0",
					(unsigned long long)z,
					(unsigned long long)i);
		i += n;
	}
	return 0;
}

static int heap_block(const struct vf *v, uint64_t off);

static int
check_heap(struct vf *v, int objects)
{
	uint64_t h = v->heap, left = v->heap_end - v->heap - HEAP_HDR_SIZE;
	int rc;

	if (memcmp(v->p + h, HEAP_SIG, sizeof(HEAP_SIG)) != 0)
		return bad(v, "heap header signature");
	if (fletcher(v, h, HEAP_HDR_SIZE, h + HEAP_HDR_SIZE - 8, 0, 0) !=
			u64(v, h + HEAP_HDR_SIZE - 8))
		return bad(v, "heap header checksum");
	/* heap_max_zone() */
	v->nzones = 0;
	while (left >= ZONE_MIN_SIZE) {
		v->nzones++;
		left -= left <= ZONE_MAX_SIZE ? left : ZONE_MAX_SIZE;
	}
	for (uint64_t z = 0; z < v->nzones; z++)
		if ((rc = check_zone(v, z, objects)) != 0)
			return rc;
	/*
	 * libpmemobj initialises zones in order, and one whose magic reads
	 * 0 as it opens is taken for new: every chunk in it free. A zone
	 * that holds the root object, or comes before one in use, has been
	 * zeroed, and what it held would be overwritten.
	 */
	for (uint64_t z = 1; z < v->nzones; z++)
		if (in(v, zone_off(v, z), ZONE_HDR) &&
		    u32(v, zone_off(v, z)) == ZONE_MAGIC &&
		    u32(v, zone_off(v, z - 1)) == 0)
			return bad(v, "zone %llu magic 0, before zone %llu in "
					"use", (unsigned long long)(z - 1),
					(unsigned long long)z);
	if (v->root != 0 && !heap_block(v, v->root))
		return bad(v, "root object at %#llx not in an allocated "
				"chunk or run", (unsigned long long)v->root);
	return 0;
}

/*
 * heap_block -- whether off is where an allocation libpmemobj could free
 * lies: in a zone's used chunk or run, as memblock_from_offset() finds it
 */
static int
heap_block(const struct vf *v, uint64_t off)
{
	uint64_t z, c, h, zo;

	if (off < v->heap + HEAP_HDR_SIZE || off >= v->heap_end)
		return 0;
	z = (off - v->heap - HEAP_HDR_SIZE) / ZONE_MAX_SIZE;
	zo = zone_off(v, z);
	if (z >= v->nzones || off < zo + ZONE_META || !in(v, zo, ZONE_HDR) ||
			u32(v, zo) != ZONE_MAGIC)
		return 0;
	c = (off - zo - ZONE_META) / CHUNKSIZE;
	if (c >= u32(v, zo + 4))
		return 0;
	h = chunk_hdr(v, z, c);
	if (HDR_TYPE(h) == CHUNK_RUN_DATA) {
		if (HDR_SIZE(h) > c)
			return 0;
		h = chunk_hdr(v, z, c - HDR_SIZE(h));
	}
	return HDR_TYPE(h) == CHUNK_USED || HDR_TYPE(h) == CHUNK_RUN;
}

/* ---- the lanes' logs ---- */

struct walk {
	const char *what;	/* "lane 3 undo log" */
	uint64_t first;		/* the log's header */
	uint64_t gen;		/* its generation: buffer entries carry it */
	int apply;		/* recovery replays the entries walked */
};

/*
 * entry_checksum -- ulog_entry_valid(): the buffer entry's checksum field
 * read as zeros, then util_checksum_seq() over the log's generation
 */
static uint64_t
entry_checksum(const struct vf *v, uint64_t e, uint64_t size, uint64_t gen)
{
	uint64_t c = fletcher(v, e, size, e + 8, 0, 0);
	uint32_t lo = (uint32_t)c, hi = (uint32_t)(c >> 32);

	lo += (uint32_t)gen;
	hi += lo;
	lo += (uint32_t)(gen >> 32);
	hi += lo;
	return (uint64_t)hi << 32 | lo;
}

/*
 * entry -- one entry at e, as ulog_foreach_entry() reads it: its size in
 * *size, or 0 where the walk ends (an invalid entry)
 */
static int
entry(const struct vf *v, const struct walk *w, uint64_t e, uint64_t *size)
{
	uint64_t o, t, target, len = 8, bsize;

	*size = 0;
	if (!in(v, e, 8))
		return bad(v, "%s: entry at %#llx past the file", w->what,
				(unsigned long long)e);
	o = u64(v, e);
	if (o == 0)
		return 0;
	t = o >> 61;
	target = o & ENTRY_OFF_MASK;
	switch (t) {
	case OP_SET: case OP_AND: case OP_OR:
		if (!in(v, e, 16))
			return bad(v, "%s: entry past the file", w->what);
		*size = 16;
		break;
	case OP_BUF_SET: case OP_BUF_CPY:
		if (!in(v, e, ENTRY_BUF_HDR))
			return bad(v, "%s: entry past the file", w->what);
		bsize = u64(v, e + 16);
		/* libpmemobj reads the whole entry to checksum it */
		if (bsize > v->size || !in(v, e, (ENTRY_BUF_HDR + bsize +
						CACHELINE - 1) & ~(uint64_t)
					(CACHELINE - 1)))
			return bad(v, "%s: entry of %llu bytes past the file",
					w->what, (unsigned long long)bsize);
		*size = (ENTRY_BUF_HDR + bsize + CACHELINE - 1) &
			~(uint64_t)(CACHELINE - 1);
		if (entry_checksum(v, e, *size, w->gen) != u64(v, e + 8)) {
			*size = 0;	/* a stale entry ends the walk */
			return 0;
		}
		len = bsize;
		break;
	default:
		/* libpmemobj takes it as valid, of size 0: it never ends */
		return bad(v, "%s: entry of unknown type %llu", w->what,
				(unsigned long long)t);
	}
	if (w->apply && (target < DSC_ROOT_OFF || !in(v, target, len)))
		return bad(v, "%s: entry writes %llu bytes at %#llx, outside "
				"the pool", w->what, (unsigned long long)len,
				(unsigned long long)target);
	return 0;
}

/*
 * base_nbytes -- ulog_base_nbytes(): the bytes of valid entries in the
 * first log of a chain
 */
static int
base_nbytes(const struct vf *v, const struct walk *w, uint64_t cap,
		uint64_t *out)
{
	struct walk quiet = *w;
	uint64_t off = 0, size;
	int rc;

	quiet.apply = 0;
	for (*out = 0; off < cap; off += size) {
		if ((rc = entry(v, &quiet, w->first + ULOG_HDR + off,
						&size)) != 0)
			return rc;
		if (size == 0)
			break;
	}
	*out = off;
	return 0;
}

/*
 * check_chain -- the log's chain of extensions (ulog_capacity(),
 * ulog_rebuild_next_vec() at every open): each in the heap, where
 * libpmemobj can free it, and no loop (Brent's cycle detection)
 */
static int
check_chain(const struct vf *v, const struct walk *w, uint64_t base)
{
	uint64_t u = w->first, cap = u64(v, u + 16), tort = u, steps = 0;
	uint64_t power = 1, n = 0;

	if (cap > base)
		return bad(v, "%s: capacity %llu above its %llu bytes",
				w->what, (unsigned long long)cap,
				(unsigned long long)base);
	for (;;) {
		uint64_t next = u64(v, u + 8);
		if (next == 0)
			return 0;
		if (next > v->size - ULOG_HDR)
			return bad(v, "%s: extension %llu at %#llx past the "
					"file", w->what, (unsigned long long)n,
					(unsigned long long)next);
		/* libpmemobj aligns the offset up to a cache line, and
		 * frees the allocation at the offset itself */
		u = (next + CACHELINE - 1) & ~(uint64_t)(CACHELINE - 1);
		cap = in(v, u, ULOG_HDR) ? u64(v, u + 16) : 0;
		if (!in(v, u, ULOG_HDR) || !heap_block(v, next) ||
				cap > v->size || !in(v, u + ULOG_HDR, cap))
			return bad(v, "%s: extension %llu at %#llx not a log "
					"in the heap", w->what,
					(unsigned long long)n,
					(unsigned long long)next);
		n++;
		if (u == tort)
			return bad(v, "%s: its extensions form a loop",
					w->what);
		if (++steps == power) {
			tort = u;
			power *= 2;
			steps = 0;
		}
	}
}

/*
 * check_entries -- ulog_foreach_entry() over the chain: every entry
 * libpmemobj reads in bounds, and those recovery replays writing inside
 * the pool
 */
static int
check_entries(const struct vf *v, const struct walk *w)
{
	uint64_t u = w->first, size;
	int rc;

	for (;;) {
		uint64_t cap = u64(v, u + 16);
		for (uint64_t off = 0; off < cap; off += size) {
			if ((rc = entry(v, w, u + ULOG_HDR + off, &size)) != 0)
				return rc;
			if (size == 0)
				return 0;
		}
		if (u64(v, u + 8) == 0)
			return 0;
		u = (u64(v, u + 8) + CACHELINE - 1) & ~(uint64_t)
			(CACHELINE - 1);
	}
}

static int
check_log(struct vf *v, uint64_t lane, uint64_t i, int pass)
{
	char what[64];
	struct walk w;
	uint64_t nbytes, cap;
	int rc;

	snprintf(what, sizeof(what), "lane %llu %s", (unsigned long long)i,
			lane_log[pass].name);
	w.what = what;
	w.first = lane + lane_log[pass].off;
	w.gen = u64(v, w.first + 24);
	w.apply = 0;
	if ((rc = check_chain(v, &w, lane_log[pass].base)) != 0)
		return rc;
	cap = u64(v, w.first + 16);
	if ((rc = base_nbytes(v, &w, cap, &nbytes)) != 0)
		return rc;
	if (nbytes > cap)
		nbytes = cap;
	if (nbytes == 0)
		return 0;
	if (lane_log[pass].redo) {
		/* ulog_recovery_needed(): replayed if its checksum holds */
		if (fletcher(v, w.first, ULOG_HDR + nbytes, w.first, 0, 0) !=
				u64(v, w.first))
			return 0;
		v->redo_pending = 1;
	}
	w.apply = 1;
	return check_entries(v, &w);
}

static int
check_lanes(struct vf *v, uint64_t lanes, uint64_t nlanes)
{
	int rc;

	for (uint64_t i = 0; i < nlanes; i++)
		for (int pass = 0; pass < 3; pass++)
			if ((rc = check_log(v, lanes + i * LANE_SIZE, i,
							pass)) != 0)
				return rc;
	return 0;
}

/*
 * pk__precheck_objects -- PK_ECORRUPT if walking the objects of the open
 * pool would loop: an allocation header that gives a size of 0 blocks.
 * Checked once a session, in the pool's mapping, by the caller of the
 * walk, which holds the pool's lock against allocations (lock.c).
 */
int
pk__precheck_objects(pk_pool *pool)
{
	struct vf v = { .path = "pool" };
	uint64_t lanes, nlanes;
	int rc = __atomic_load_n(&pool->heap_checked, __ATOMIC_ACQUIRE);

	if (rc != 1)
		return rc == 0 ? 0 : pk__err(PK_ECORRUPT, "%s",
				"damaged libpmemobj metadata (see the first "
				"walk's error)");
	v.p = (const uint8_t *)pool->base;
	v.size = pool->size;
	/* a growing pool's heap reaches past the bound of the offsets
	 * pmemkit handed out, to the end of the parts libpmemobj mapped */
	if (pool->growing) {
		uint64_t parts = pk__parts_mapped(pool->part_dir);
		if (parts > v.size)
			v.size = parts;
	}
	if ((rc = check_descriptor(&v, &lanes, &nlanes)) == 0)
		rc = check_heap(&v, 1);
	__atomic_store_n(&pool->heap_checked, rc == 0 ? 0 : 2,
			__ATOMIC_RELEASE);
	return rc;
}

/*
 * pk__precheck_map -- refuse, with PK_ECORRUPT, a pool mapped read-only
 * at p (size bytes, whole pages) whose libpmemobj metadata would make
 * pmemobj_open(), its recovery or a walk of its heap fault, loop or write
 * outside the pool
 */
int
pk__precheck_map(const void *p, uint64_t size, const char *path)
{
	struct vf v = { .path = path, .p = p, .size = size };
	uint64_t lanes = 0, nlanes = 0;
	int rc;

	if (v.size < DSC_ROOT_OFF + 64)
		return bad(&v, "truncated to %llu bytes",
				(unsigned long long)size);
	if ((rc = check_pool_hdr(&v)) == 0 &&
	    (rc = check_descriptor(&v, &lanes, &nlanes)) == 0 &&
	    (rc = check_heap(&v, RUNNING_ON_VALGRIND != 0)) == 0)
		rc = check_lanes(&v, lanes, nlanes);
	return rc;
}

/*
 * pk__precheck_pmemobj -- pk__precheck_map() of a pool file of size bytes
 * open at fd
 */
int
pk__precheck_pmemobj(int fd, const char *path, uint64_t size)
{
	/* libpmemobj maps the file's whole pages only */
	uint64_t len = size & ~((uint64_t)sysconf(_SC_PAGESIZE) - 1);
	void *p;
	int rc;

	if (len < DSC_ROOT_OFF + 64)
		return pk__precheck_map(NULL, len, path);
	p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return pk__err(errno, "%s: mmap: %s", path, strerror(errno));
	rc = pk__precheck_map(p, len, path);
	munmap(p, len);
	return rc;
}
