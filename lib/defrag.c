/*
 * defrag.c -- pk_pool_defrag(): move objects out of sparsely used runs
 *
 * libpmemobj carves its heap into chunks of 256 KiB; small objects live in
 * runs of one or more chunks, each run of one allocation class. After most
 * objects of a full pool are freed, the ones left are spread over nearly
 * every run, and a run holding one object holds its chunks: the free space
 * is there, but no large object (a run of another class, or a huge object
 * of whole chunks) fits anywhere. libpmemobj's own pmemobj_defrag() fixes
 * that for objects whose PMEMoids live in the pool; pmemkit's references
 * are plain offsets, so this file does what palloc_defrag() does with
 * pmemkit's own walk:
 *
 * 1. libpmemobj forgets which runs its arenas were filling
 *    (pmemobj_defrag(pop, NULL, 0, NULL) only forces that recycle), so new
 *    objects go to the fullest runs with room;
 * 2. the walk of gc (pk__walk_movable()) lists every object reached, with
 *    the field that holds its offset where one field does; it meets damage:
 *    nothing moves (PK_ECORRUPT);
 * 3. every allocated object is counted against its run (libpmemobj's chunk
 *    headers say where a run starts and how many chunks it takes);
 * 4. the runs to empty are chosen (choose()): filled to half or less, all
 *    their objects movable (a run that keeps one object keeps its
 *    chunks), and what they hold fits in the other runs of their class;
 * 5. each of their objects is copied to a block of its class reserved
 *    outside them (reserve()), the field set to the copy and the old one
 *    freed, in transactions of MOVES_PER_TX moves (an abort or a crash
 *    keeps a batch whole or not at all), in the reverse order of the walk,
 *    so that no field written lies in an object already moved;
 * 6. the recycle again, which turns the runs left empty into free chunks.
 *
 * What moves: blobs of map, set, record and list values (and keys), map
 * directories, segments and overflow buckets, list segments. What stays:
 * container headers (handles and references in values name them by
 * offset), a record's class name and array elements (pointers to them are
 * handed out for as long as the record lives or the array is not resized),
 * log chunks (cursors keep their offset) and block arrays (their map points
 * into their extents). Handles stay valid; data borrowed before the call
 * (pk_value bytes) is not; a map cursor whose overflow buckets moved
 * reports PK_ECHANGED, as after any change (the map's modcount is bumped).
 * The whole run holds the pool's lock exclusively, as gc does: no reader
 * or writer of the pool runs meanwhile, and optimistic reads that began
 * before it see the pool's sequence number move and read again.
 *
 * Reading the chunk headers relies on libpmemobj's heap layout (1.x,
 * heap_layout.h), which is on-media format; a pool whose heap header
 * does not read as expected is refused (ENOTSUP), not guessed at.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* libpmemobj 1.x heap layout (src/libpmemobj/heap_layout.h, obj.h) */
#define CHUNK		((uint64_t)256 << 10)
#define MAX_CHUNK	(UINT16_MAX - 7)
#define HEAP_HDR_SIZE	1024		/* struct heap_header */
#define ZONE_HDR_SIZE	64		/* struct zone_header */
#define ZONE_META	(ZONE_HDR_SIZE + 8 * (uint64_t)MAX_CHUNK)
#define ZONE_SIZE	(ZONE_META + CHUNK * MAX_CHUNK)
#define ZONE_MAGIC	0xC3F0A2D2u	/* struct zone_header's */
#define CHUNK_TYPE_FREE		2
#define CHUNK_TYPE_RUN		4
#define CHUNK_TYPE_RUN_DATA	5
/* pmemobjpool: pool_hdr (4096), layout (1024), lanes_offset, nlanes,
 * heap_offset */
#define HEAP_OFFSET_AT	(4096 + 1024 + 16)

/* moves per transaction: bounds the logs a batch needs */
#define MOVES_PER_TX	64
/* blocks reserve() may hold back, at most (a few MiB of memory) */
#define MAX_BLOCKED	((size_t)1 << 16)

struct chunk_header {
	uint16_t type;
	uint16_t flags;
	uint32_t size_idx;
};

/* a run: the bytes and number of allocations in it before the moves, and
 * how many of them the walk can move */
struct run {
	uint64_t used;
	uint64_t objects;
	uint64_t movable;
	uint64_t unit;		/* its class's unit (block) size */
	uint32_t chunks;	/* 0: no run starts at this chunk */
	int empty;		/* the moves are to empty it */
};

/* an object the walk can move */
struct cand {
	uint64_t owner, off;
	const void *field;
};

struct defrag {
	pk_pool *pool;
	uint64_t zone0;		/* offset of zone 0 */
	uint64_t nzones;
	struct run *runs;	/* by chunk number: zone * MAX_CHUNK + id */
	size_t nruns;
	struct cand *cand;
	size_t ncand, cap;
	struct pobj_action *block;	/* reserve()'s, cancelled at the end */
	size_t nblock, capblock;
};

/* heap_find -- locate zone 0 from the pool's descriptor, checking the
 * heap header is libpmemobj's as this file knows it */
static int
heap_find(struct defrag *d)
{
	pk_pool *pool = d->pool;
	uint64_t heap, chunksize = 0;
	const char *h;

	memcpy(&heap, pool->base + HEAP_OFFSET_AT, 8);
	h = heap < pool->size && pool->size - heap > HEAP_HDR_SIZE + ZONE_META ?
		pool->base + heap : NULL;
	/* struct heap_header: signature[16], major, minor, unused,
	 * chunksize */
	if (h != NULL)
		memcpy(&chunksize, h + 16 + 3 * 8, 8);
	if (h == NULL || memcmp(h, "MEMORY_HEAP_HDR", 16) != 0 ||
	    chunksize != CHUNK)
		return pk__err(ENOTSUP, "the pool's heap is not in the layout "
				"pk_pool_defrag() knows (libpmemobj 1.x)");
	d->zone0 = heap + HEAP_HDR_SIZE;
	d->nzones = (pool->size - d->zone0 + ZONE_SIZE - 1) / ZONE_SIZE;
	d->nruns = d->nzones * MAX_CHUNK;
	/* one zone (pools below 16 GiB): only the chunks it has */
	if (d->nzones == 1)
		d->nruns = (pool->size - d->zone0 - ZONE_META) / CHUNK + 1;
	if ((d->runs = calloc(d->nruns, sizeof(*d->runs))) == NULL)
		return pk__err(ENOMEM, NULL);
	return 0;
}

/*
 * run_of -- the run the allocation at off lies in, or NULL for a huge
 * object (whole chunks of its own) or what no run header accounts for
 */
static struct run *
run_of(struct defrag *d, uint64_t off)
{
	if (off < d->zone0 + ZONE_META)
		return NULL;
	uint64_t zone = (off - d->zone0) / ZONE_SIZE;
	uint64_t zoff = d->zone0 + zone * ZONE_SIZE;
	if (off - zoff < ZONE_META)
		return NULL;
	uint64_t id = (off - zoff - ZONE_META) / CHUNK;
	const struct chunk_header *ch = (const struct chunk_header *)
		(d->pool->base + zoff + ZONE_HDR_SIZE);

	if (id >= MAX_CHUNK || zone * MAX_CHUNK + id >= d->nruns)
		return NULL;
	/* a run's later chunks say RUN_DATA; its first says RUN */
	while (id > 0 && ch[id].type == CHUNK_TYPE_RUN_DATA)
		id--;
	if (ch[id].type != CHUNK_TYPE_RUN || ch[id].size_idx == 0)
		return NULL;
	struct run *r = &d->runs[zone * MAX_CHUNK + id];
	r->chunks = ch[id].size_idx;
	/* struct chunk_run_header: the unit size first */
	memcpy(&r->unit, d->pool->base + zoff + ZONE_META + id * CHUNK, 8);
	return r;
}

/* on_movable -- note an object the walk reached and can move */
static int
on_movable(void *arg, uint64_t owner, uint64_t off, const void *field)
{
	struct defrag *d = arg;

	if (d->ncand == d->cap) {
		size_t cap = d->cap ? 2 * d->cap : 1024;
		struct cand *c = realloc(d->cand, cap * sizeof(*c));
		if (c == NULL)
			return pk__err(ENOMEM, NULL);
		d->cand = c;
		d->cap = cap;
	}
	d->cand[d->ncand++] = (struct cand){ owner, off, field };
	return 0;
}

/* count_movable -- the candidates counted against their runs */
static void
count_movable(struct defrag *d)
{
	for (size_t i = 0; i < d->ncand; i++) {
		struct run *r = run_of(d, d->cand[i].off);
		if (r != NULL)
			r->movable++;
	}
}

/* count_runs -- every allocation counted against its run */
static void
count_runs(struct defrag *d)
{
	for (PMEMoid o = pmemobj_first(d->pool->pop); !OID_IS_NULL(o);
			o = pmemobj_next(o)) {
		struct run *r = run_of(d, o.off);
		if (r == NULL)
			continue;
		r->used += pk__obj_bytes(d->pool, o.off);
		r->objects++;
	}
}

/* emptied -- whether the moves are to empty r (choose()) */
static int
emptied(const struct run *r)
{
	return r != NULL && r->empty;
}

/* capacity -- the bytes r can hold, near enough (its header and bitmap
 * take under 1 KiB) */
static uint64_t
capacity(const struct run *r)
{
	return (uint64_t)r->chunks * CHUNK - 1024;
}

/* by_used -- runs in increasing order of bytes used */
static int
by_used(const void *a, const void *b)
{
	const struct run *x = *(struct run *const *)a;
	const struct run *y = *(struct run *const *)b;

	return x->used < y->used ? -1 : x->used > y->used;
}

/*
 * choose -- mark the runs to empty: filled to half or less
 * (palloc_defrag()'s threshold: moving out of fuller runs gains less),
 * all their objects movable, least used first, as long as what they hold
 * fits in the free space of the other runs of their class that stay.
 * A compact pool's partly used runs (one per class) are left alone.
 */
static int
choose(struct defrag *d)
{
	struct run **v = malloc(d->nruns * sizeof(*v));
	/* per class (unit size): free bytes in the runs that stay, and the
	 * bytes of the runs to empty */
	struct cls { uint64_t unit, room, need; } cls[256];
	size_t n = 0, ncls = 0, c;

	if (v == NULL)
		return pk__err(ENOMEM, NULL);
	for (size_t i = 0; i < d->nruns; i++) {
		struct run *r = &d->runs[i];
		if (r->chunks == 0)
			continue;
		for (c = 0; c < ncls && cls[c].unit != r->unit; c++)
			;
		if (c == ncls) {
			if (ncls == 256)
				continue;	/* libpmemobj has 255 classes */
			cls[ncls++] = (struct cls){ r->unit, 0, 0 };
		}
		if (capacity(r) > r->used)
			cls[c].room += capacity(r) - r->used;
		if (r->objects > 0 && r->movable == r->objects &&
		    r->used * 2 <= capacity(r))
			v[n++] = r;
	}
	qsort(v, n, sizeof(*v), by_used);
	for (size_t i = 0; i < n; i++) {
		struct run *r = v[i];
		uint64_t own = capacity(r) > r->used ? capacity(r) - r->used : 0;
		for (c = 0; c < ncls && cls[c].unit != r->unit; c++)
			;
		if (c == ncls || cls[c].need + r->used > cls[c].room - own)
			continue;
		cls[c].room -= own;
		cls[c].need += r->used;
		r->empty = 1;
	}
	free(v);
	return 0;
}

/*
 * reserve -- a block of the class of the object at off, outside the runs
 * being emptied, in *act for the transaction to publish. libpmemobj hands out the blocks of a run it
 * has begun to fill before it looks at the next, and that may be a run
 * being emptied: blocks there are kept reserved, unused, in d->block
 * (cancelled at the end), so that the next reservation looks elsewhere.
 * PK_ENOSPACE when there is no room outside those runs.
 */
static int
reserve(struct defrag *d, uint64_t off, struct pobj_action *act)
{
	pk_pool *pool = d->pool;
	PMEMoid old = { pool->uuid_lo, off }, o;
	size_t usable = pmemobj_alloc_usable_size(old);
	size_t size = pk__alloc_copy_size(pool, usable);

	for (;;) {
		if (d->nblock == d->capblock) {
			size_t cap = d->capblock ? 2 * d->capblock : 256;
			struct pobj_action *v;
			if (cap > MAX_BLOCKED)
				return pk__err(PK_ENOSPACE, "no room outside "
						"the runs being emptied");
			if ((v = realloc(d->block, cap * sizeof(*v))) == NULL)
				return pk__err(ENOMEM, NULL);
			d->block = v;
			d->capblock = cap;
		}
		o = pmemobj_xreserve(pool->pop, act, size,
				pmemobj_type_num(old), pk__alloc_flags(pool,
						size));
		if (OID_IS_NULL(o))
			return pk__err(PK_ENOSPACE, "no room for a copy");
		if (!emptied(run_of(d, o.off)))
			break;
		d->block[d->nblock++] = *act;
	}
	return 0;
}

/*
 * move -- in the running transaction, copy c to the block at off (of
 * usable bytes), set the field that holds its offset to the copy, and free
 * it. The copy is made here, not when the block was reserved: an earlier
 * move of the batch may have set a field inside c.
 */
static int
move(pk_pool *pool, const struct cand *c, uint64_t off, size_t usable)
{
	void *field = (void *)c->field;
	int rc;

	/* flushed, not drained: the commit drains before its commit point,
	 * as for the map's flushed slots (doc/design.md, "Transactions") */
	pmemobj_memcpy(pool->pop, pool->base + off, pool->base + c->off,
			usable, PMEMOBJ_F_MEM_NODRAIN);
	if ((rc = pk__snap(field, 8)) != 0)
		return rc;
	memcpy(field, &off, 8);
	if (pmemobj_type_num((PMEMoid){ pool->uuid_lo, c->off }) ==
			PK_TN_OVERFLOW) {
		/* a map cursor may stand in it: it must see a change */
		const struct pk_obj_hdr *h = (const void *)(pool->base +
				c->owner);
		const struct pk_kind *k = pk__kind_of_magic(h->magic);
		uint64_t *mod = (uint64_t *)(pool->base + c->owner +
				k->modcount_off);
		if ((rc = pk__snap(mod, 8)) != 0)
			return rc;
		(*mod)++;
	}
	return pk__free(pool, c->off);
}

/*
 * move_batch -- move up to MOVES_PER_TX candidates of runs being emptied,
 * from *i down, in one transaction: their blocks reserved first, then
 * published in it, each object copied, its field set and the old object
 * freed
 */
static int
move_batch(struct defrag *d, size_t *i, pk_defrag_report *rep)
{
	struct pobj_action act[MOVES_PER_TX];
	const struct cand *c[MOVES_PER_TX];
	uint64_t bytes = 0;
	size_t n = 0;
	struct pk_op op;
	int rc = 0;

	while (*i > 0 && n < MOVES_PER_TX && rc == 0) {
		c[n] = &d->cand[--*i];
		if (!emptied(run_of(d, c[n]->off)))
			continue;
		if ((rc = reserve(d, c[n]->off, &act[n])) == 0)
			n++;
	}
	if (n == 0)
		return rc;
	if (rc != 0) {
		pmemobj_cancel(d->pool->pop, act, n);
		return rc;
	}
	if ((rc = pk__op_begin(&op, d->pool, 1)) != 0) {
		pmemobj_cancel(d->pool->pop, act, n);
		return rc;
	}
	/* once published in it, the transaction's abort cancels them */
	if (pmemobj_tx_publish(act, n) != 0) {
		rc = pk__err_pmemobj(errno ? errno : ENOMEM, "publish");
		pmemobj_cancel(d->pool->pop, act, n);
	}
	for (size_t j = 0; j < n && rc == 0; j++) {
		size_t usable = pmemobj_alloc_usable_size((PMEMoid){
				d->pool->uuid_lo, c[j]->off });
		bytes += usable;
		rc = move(d->pool, c[j], act[j].heap.offset, usable);
	}
	if ((rc = pk__op_end(&op, rc)) == 0) {
		rep->moved += n;
		rep->moved_bytes += bytes;
	}
	return rc;
}

/*
 * move_all -- move the candidates of the runs being emptied, newest-walked
 * first, a batch per transaction; stops early, keeping what earlier
 * batches did, when the pool has no room for a batch's copies
 */
static int
move_all(struct defrag *d, pk_defrag_report *rep)
{
	size_t i = d->ncand;
	int rc = 0;

	while (i > 0 && rc == 0)
		rc = move_batch(d, &i, rep);
	pmemobj_cancel(d->pool->pop, d->block, d->nblock);
	return rc == PK_ENOSPACE ? 0 : rc;
}

/*
 * freed -- after the last recycle: the bytes of the runs that held objects
 * and now lie in free chunks. Counting objects would not do: a run may
 * also hold libpmemobj's own (log extensions), which no walk lists and
 * which keep it a run. The zone's chunk headers are read as libpmemobj
 * reads them, from the first, each leading to the next by its size: the
 * headers inside a free block are stale (and closed to valgrind).
 */
static void
freed(struct defrag *d, pk_defrag_report *rep)
{
	for (uint64_t z = 0; z < d->nzones; z++) {
		uint64_t zoff = d->zone0 + z * ZONE_SIZE, n;
		uint32_t magic, chunks;
		const struct chunk_header *ch = (const struct chunk_header *)
			(d->pool->base + zoff + ZONE_HDR_SIZE);
		if (zoff + ZONE_META > d->pool->size)
			break;
		memcpy(&magic, d->pool->base + zoff, 4);
		memcpy(&chunks, d->pool->base + zoff + 4, 4);
		if (magic != ZONE_MAGIC)
			continue;
		for (uint64_t id = 0; id < chunks && id < MAX_CHUNK; id += n) {
			n = ch[id].size_idx ? ch[id].size_idx : 1;
			for (uint64_t j = id; ch[id].type == CHUNK_TYPE_FREE &&
					j < id + n && z * MAX_CHUNK + j <
					d->nruns; j++) {
				const struct run *r = &d->runs[z * MAX_CHUNK +
					j];
				if (r->objects > 0)
					rep->freed_bytes += r->chunks * CHUNK;
			}
		}
	}
}

/* recycle -- have libpmemobj take stock of every run again (steps 1, 6) */
static int
recycle(pk_pool *pool)
{
	if (pmemobj_defrag(pool->pop, NULL, 0, NULL) != 0)
		return pk__err_pmemobj(errno ? errno : ENOMEM,
				"pmemobj_defrag");
	return 0;
}

/* pool_defrag -- the steps above */
static int
pool_defrag(pk_defrag_report *out, pk_pool *pool)
{
	pk_defrag_report rep = PK_DEFRAG_REPORT_INIT;
	pk_check_report chk;
	struct defrag d = { .pool = pool };
	int rc;

	if ((rc = pk__pool_change_ok(pool, "defrag")) != 0)
		return rc;
	if (out != NULL && out->version != PK_DEFRAG_REPORT_VERSION)
		return pk__err(EINVAL, "pk_defrag_report version %u unknown "
				"(this library's is %d)", out->version,
				PK_DEFRAG_REPORT_VERSION);
	if ((rc = heap_find(&d)) != 0)
		return rc;
	rc = pk__walk_movable(pool, &chk, on_movable, &d);
	if (rc == 0 && (chk.damaged || chk.dangling))
		rc = pk__err(PK_ECORRUPT, "%llu damaged objects, %llu "
				"dangling references: nothing moved",
				(unsigned long long)chk.damaged,
				(unsigned long long)chk.dangling);
	rep.objects = chk.reachable;
	if (rc == 0)
		rc = recycle(pool);
	if (rc == 0) {
		count_runs(&d);
		count_movable(&d);
		rc = choose(&d);
	}
	if (rc == 0)
		rc = move_all(&d, &rep);
	if (rc == 0 && rep.moved > 0 && (rc = recycle(pool)) == 0)
		freed(&d, &rep);
	free(d.runs);
	free(d.cand);
	free(d.block);
	if (out != NULL)
		*out = rep;
	return rc;
}

/* pk_pool_defrag -- under the pool's lock, exclusively (as gc) */
int
pk_pool_defrag(pk_defrag_report *out, pk_pool *pool)
{
	struct pk_lock l;
	int rc;

	pk__lock(&l, pool, PK_EXCL);
	rc = pool_defrag(out, pool);
	pk__unlock(&l);
	return rc;
}
