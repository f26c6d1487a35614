/*
 * map_atomic.c -- the map's inserts and removes without a transaction,
 * and the entry counts they leave to be written back
 *
 * Outside any transaction, an insert whose key
 * and value fit a free slot of their chain inline (no blob, no reference)
 * and that needs no split commits without a libpmemobj transaction: the
 * free slot, whose bytes nothing reads, is filled and persisted, then its
 * hash is stored -- an aligned 4-byte store, which makes the entry exist
 * -- and persisted. A remove of such an entry that frees no overflow
 * bucket and needs no merge clears the hash the same way. The count and
 * modcount are written after that, neither snapshotted nor flushed at
 * once: after a crash the count may be off, and opening a pool after an
 * unclean session recounts every map (gc.c) before anything else reads
 * it; a clean close flushes them first (unsynced_note()). Every other
 * change, and every change inside a transaction, is transactional.
 */
#include <string.h>

#include "map.h"

static void unsynced_note(pk_pool *pool, const void *ptr);

/* publish -- make the entry in slot s exist (hash h) or not (hash 0) */
static void
publish(pk_pool *pool, struct pk_map_hdr *m, struct pk_slot *s, uint32_t h,
		int insert)
{
	__atomic_store_n(&s->hash, h, __ATOMIC_RELEASE);
	pmemobj_persist(pool->pop, &s->hash, sizeof(s->hash));
	m->count = insert ? m->count + 1 : m->count - 1;
	m->modcount++;
	unsynced_note(pool, &m->count);
}

/* pk__map_insert_atomic -- the atomic insert into the free slot s */
int
pk__map_insert_atomic(pk_pool *pool, struct pk_map_hdr *m, struct pk_slot *s,
		uint32_t h, const pk_value *key, const pk_value *val)
{
	int rc = pk__slot_write(pool, s, key, val); /* allocates nothing */

	if (rc != 0)
		return rc;
	pmemobj_persist(pool->pop, (char *)s + sizeof(s->hash),
			sizeof(*s) - sizeof(s->hash));
	publish(pool, m, s, h, 1);
	return 0;
}

/* pk__map_remove_atomic -- remove the entry found at l atomically, if it
 * can go so (1), else change nothing (0) */
int
pk__map_remove_atomic(pk_pool *pool, struct pk_map_hdr *m,
		const struct loc *l)
{
	unsigned others = 0;

	if (!pk__slot_plain_stored(l->slot) ||
	    (m->nbuckets > 1 && m->count - 1 < LOAD_MERGE * m->nbuckets))
		return 0;
	if (l->link != NULL) {
		for (unsigned i = 0; i < l->at.n; i++)
			others += l->at.s[i].hash != 0 &&
				&l->at.s[i] != l->slot;
		if (others == 0)
			return 0; /* the overflow bucket would be freed */
	}
	publish(pool, m, l->slot, 0, 0);
	return 1;
}

/* pk__map_sync -- write back the noted map headers (no fence): before a
 * pool is marked clean */
void
pk__map_sync(pk_pool *pool)
{
	for (unsigned i = 0; i < pool->unsynced.n; i++)
		pmemobj_flush(pool->pop, pool->base + pool->unsynced.off[i],
				PK_UNSYNCED_LEN);
	__atomic_store_n(&pool->unsynced.n, 0, __ATOMIC_RELAXED);
}

/*
 * unsynced_note -- note the PK_UNSYNCED_LEN bytes at ptr, written without a
 * flush. A map's counts need not be durable for its entries to be (a pool
 * reopened after a crash is recounted), only before close marks the pool
 * clean.
 */
static void
unsynced_note(pk_pool *pool, const void *ptr)
{
	uint64_t off = (uint64_t)((const char *)ptr - pool->base);

	/* writers to different maps may note at once (lock.c) */
	pthread_mutex_lock(&pool->unsynced.lock);
	for (unsigned i = 0; i < pool->unsynced.n; i++)
		if (pool->unsynced.off[i] == off)
			goto out;
	if (pool->unsynced.n == PK_UNSYNCED)
		pk__map_sync(pool);
	pool->unsynced.off[pool->unsynced.n] = off;
	__atomic_store_n(&pool->unsynced.n, pool->unsynced.n + 1,
			__ATOMIC_RELAXED);
out:
	pthread_mutex_unlock(&pool->unsynced.lock);
}

/*
 * pk__map_freeing -- the object at off is about to be freed: write
 * back now the noted lines inside it, which close must not touch once it
 * is gone (the free takes effect at commit; if the transaction aborts,
 * the object stays, with its counts written back). The flush is a second
 * guard today: pk__obj_free() snapshots the header's magic, which shares
 * the count's cache line, and an abort writes that line back.
 */
void
pk__map_freeing(pk_pool *pool, uint64_t off)
{
	/* a line noted meanwhile by another thread is not in this object,
	 * which the caller's locks keep from other writers */
	if (__atomic_load_n(&pool->unsynced.n, __ATOMIC_RELAXED) == 0)
		return;
	PMEMoid oid = { pool->uuid_lo, off };
	uint64_t end = off + pmemobj_alloc_usable_size(oid);

	pthread_mutex_lock(&pool->unsynced.lock);
	for (unsigned i = 0; i < pool->unsynced.n; i++) {
		uint64_t u = pool->unsynced.off[i];
		if (u >= off && u < end) {
			pmemobj_flush(pool->pop, pool->base + u,
					PK_UNSYNCED_LEN);
			pool->unsynced.off[i--] = pool->unsynced.off[pool->unsynced.n - 1];
			__atomic_store_n(&pool->unsynced.n, pool->unsynced.n - 1,
					__ATOMIC_RELAXED);
		}
	}
	pthread_mutex_unlock(&pool->unsynced.lock);
}

