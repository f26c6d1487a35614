/*
 * alloc.c -- pmemkit's allocation classes
 *
 * libpmemobj's default classes step every few percent up to 256 KiB, and
 * each class in use takes a run of its own sized for hundreds of objects:
 * the class of a 33 KiB map segment takes megabytes. A small pool whose
 * objects fall in a handful of sizes then runs out of chunks (256 KiB
 * each) with almost nothing stored: an 8 MiB pool held 160 map entries.
 *
 * pmemkit registers six classes of its own at every open, with runs of
 * one to sixteen chunks (fewer in pools below 64 MiB). Five have units
 * from 64 B to 64 KiB, and an object takes up to 8 to 40 units of the
 * smallest that holds it (libpmemobj lets an object span units within
 * one 64-bit word of a run's bitmap; few units pack a word well): the
 * waste of rounding is under one unit, about a sixth of an object on
 * average. The sixth class has the size of a map's full segment, the
 * object large maps are made of, and takes nothing else. Few classes
 * means few partly used runs: a map uses four. Objects above 2.5 MiB are
 * whole chunks (libpmemobj's huge objects); between 256 KiB and 2.5 MiB
 * libpmemobj's own classes would take runs of megabytes.
 *
 * Classes are not recorded in the pool: a run records its own unit size,
 * so a pool opened by a library with other classes (or none) reads and
 * frees every object as it should. They must exist before libpmemobj
 * takes stock of the runs, which the first free after an open does: a
 * run of a class unknown then is never allocated from again in that
 * session, so pk_pool_open() opens twice (pool.c).
 */
#include <errno.h>
#include <stdio.h>

#include "map.h"

/* libpmemobj's chunk, the unit of its heap */
#define CHUNK ((size_t)256 << 10)
/* a run's own bytes in its first chunk (header, bitmap), at most */
#define RUN_META 1024

/* pools below this size are small: runs of a chunk where it can be */
#define SMALL_POOL ((size_t)64 << 20)

/* a class: unit size, most units an object takes, chunks per run in a
 * small pool and in another */
static const struct {
	uint32_t unit, units, small, large;
} classes[PK_ALLOC_CLASSES] = {
	{ 64, 8, 1, 1 },
	{ 576, 8, 1, 1 },	/* to 4.5 KiB: a 4 KiB value and its header */
	{ 4608, 8, 1, 1 },	/* to 36 KiB */
	{ 16384, 16, 2, 4 },	/* to 256 KiB */
	{ 65536, 40, 4, 16 },	/* to 2.5 MiB, where huge objects start */
	{ 0, 1, 1, 4 },		/* a map's full segment, and nothing else
				   (set below): 7 to a chunk, 31 to four */
};
#define SEGMENT_CLASS (PK_ALLOC_CLASSES - 1)

/*
 * The size of libpmemobj's undo log extensions ("tx.cache.size"), which
 * a transaction allocates when its snapshots outgrow the lane's own log,
 * in a default class: 32 KiB ones take a run of five chunks, a megabyte
 * and more that a small pool cannot spare. In a small pool they are
 * 512 B, in a class that shares a run with other small objects; a large
 * transaction then allocates more of them.
 */
#define SMALL_POOL_TX_CACHE 512

/* run_chunks -- the chunks a run of class d spans */
static size_t
run_chunks(const struct pobj_alloc_class_desc *d)
{
	return (d->units_per_block * d->unit_size + RUN_META + CHUNK - 1) /
		CHUNK;
}

/*
 * find_class -- the id of a class the pool has already with unit size u,
 * compact headers and runs of c chunks, or -1. libpmemobj makes one
 * itself when an open reads a run of a class it does not know (runs
 * record their unit size) before pmemkit registers its own, as the
 * replay of an unclean pool's logs does; pmemkit must then allocate from
 * that class, which holds those runs, and not from a twin of it.
 */
static int
find_class(PMEMobjpool *pop, size_t u, size_t c)
{
	for (int id = 1; id < 255; id++) {
		struct pobj_alloc_class_desc d;
		char name[48];
		snprintf(name, sizeof(name), "heap.alloc_class.%d.desc", id);
		if (pmemobj_ctl_get(pop, name, &d) != 0)
			continue;
		if (d.unit_size == u && d.header_type == POBJ_HEADER_COMPACT &&
		    run_chunks(&d) == c)
			return id;
	}
	return -1;
}

/*
 * add_class -- the class of unit size u with runs of c chunks, or of the
 * next few sizes up: one the pool has (find_class()), else a new one
 * (libpmemobj refuses a class with the unit and run sizes of one it has,
 * its defaults included, and the next run size is tried). The class id,
 * and in *chunks the run size taken; -1 if none is.
 */
static int
add_class(PMEMobjpool *pop, size_t u, size_t c, size_t *chunks)
{
	for (size_t i = 0; i < 4; i++, c++) {
		struct pobj_alloc_class_desc d = {
			.unit_size = u,
			.alignment = 0,
			.units_per_block = (unsigned)((c * CHUNK - RUN_META) /
					u),
			.header_type = POBJ_HEADER_COMPACT,
		};
		int id;
		if (d.units_per_block == 0)
			continue;
		*chunks = c;
		if ((id = find_class(pop, u, c)) >= 0)
			return id;
		if (pmemobj_ctl_set(pop, "heap.alloc_class.new.desc",
				&d) == 0)
			return (int)d.class_id;
	}
	return -1;
}

/* pk__alloc_classes -- register pmemkit's classes on a pool just opened */
int
pk__alloc_classes(pk_pool *pool)
{
	int small = pool->size < SMALL_POOL;

	if (small) {
		long long cache = SMALL_POOL_TX_CACHE;
		if (pmemobj_ctl_set(pool->pop, "tx.cache.size", &cache) != 0)
			return pk__err_pmemobj(errno ? errno : EINVAL,
					"transaction cache size");
	}	for (int i = 0; i < PK_ALLOC_CLASSES; i++) {
		size_t u = classes[i].unit != 0 ? classes[i].unit :
			(seg_bytes(PK_SEG_SHIFT + 1) + PK_OBJ_HDR + 63) &
			~(size_t)63;
		size_t c;
		int id = add_class(pool->pop, u, small ? classes[i].small :
				classes[i].large, &c);
		if (id < 0)
			return pk__err_pmemobj(errno ? errno : EINVAL,
					"allocation class");
		pool->alloc_class[i] = (uint8_t)id;
		/* an object spans units of one run, within one word */
		size_t fit = (c * CHUNK - RUN_META) / u;
		size_t units = classes[i].units < fit ? classes[i].units : fit;
		pool->alloc_max[i] = (uint32_t)(u * units - PK_OBJ_HDR);
		if (i == SEGMENT_CLASS)
			pool->alloc_max[i] = (uint32_t)seg_bytes(PK_SEG_SHIFT +
					1);
	}
	return 0;
}

/*
 * pk__alloc_copy_size -- what to ask pk__alloc() for to copy an object of
 * usable bytes into its own class: its usable size, but for a map's full
 * segment, whose class takes exactly that size (its unit rounds it up)
 */
size_t
pk__alloc_copy_size(const pk_pool *pool, size_t usable)
{
	size_t seg = pool->alloc_max[SEGMENT_CLASS];

	return usable >= seg && usable < seg + 64 ? seg : usable;
}

/* pk__alloc_flags -- the class flag of an allocation of size bytes: the
 * map segment's, the smallest other class it fits in, or none (a huge
 * allocation) */
uint64_t
pk__alloc_flags(const pk_pool *pool, size_t size)
{
	int lo = 0, hi = SEGMENT_CLASS;

	if (size == pool->alloc_max[SEGMENT_CLASS])
		return POBJ_CLASS_ID(pool->alloc_class[SEGMENT_CLASS]);
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (pool->alloc_max[mid] < size)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < SEGMENT_CLASS ?
		POBJ_CLASS_ID(pool->alloc_class[lo]) : 0;
}
