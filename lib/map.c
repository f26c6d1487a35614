/*
 * map.c -- the persistent hash map: the lookup and the operations
 *
 * The table (linear hashing over buckets of eight slots, grown and shrunk
 * a bucket at a time) is in map_table.c, the inserts and removes that
 * commit without a transaction in map_atomic.c, what they share in map.h.
 *
 * One lookup, find(), serves every operation. Inlined with its mode a
 * constant, it is two functions: the general one, which reports every
 * error and what an insert needs (the free slot, the chain's end), and
 * the fast one of get and contains, run as an optimistic read without
 * locks (lock.c), which answers the common case only -- a key of bytes, a
 * string or an int, found stored inline, or absent -- and leaves the rest
 * (keys stored out of line, other key types, damage, a writer at work, a
 * user transaction) to the general one (PK__ESLOW). A get that misses the
 * cache costs a miss plus its instructions, and only a short lookup lets
 * the processor start the next get's miss before this one's ends
 * (doc/performance.md).
 *
 * Crash atomicity: in a transaction every byte changed here is
 * snapshotted before it is written (pk__snap), except memory allocated in
 * the same transaction and the cases explained at claim_slot() (map.h)
 * and pk__map_split(); outside one, small inserts and removes commit
 * atomically without a transaction (map_atomic.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "map.h"

/* map_hdr -- the header of the map a handle refers to */
static inline int
map_hdr(struct pk_map_hdr **out, pk_map *map)
{
	return pk__handle_get((void **)out, PK_HANDLE_OF(map));
}

/*
 * A key as a lookup takes it: its canonical form (value.c) and hash, and
 * how a slot holds such a key inline -- the slot's key type and the key
 * lengths valid for that type -- so that the common case compares bytes
 * without decoding the slot.
 */
#define PROBE_NONE 0xFF	/* a key type no slot compares inline */
struct probe {
	struct pk_key k;
	uint32_t h;
	uint8_t type;		/* the slot ktype of such a key, or PROBE_NONE */
	uint8_t len;		/* the key's inline bytes at data */
	uint8_t kmin, kspan;	/* stored lengths inline: kmin + [0, kspan] */
	const void *data;
};

/* probe_inline -- p's inline form, if keys of its class have one: ints,
 * and bytes and strings of up to PK_SLOT_DATA bytes */
static inline void
probe_inline(struct probe *p)
{
	switch (p->k.cls) {
	case PK_KC_BYTES:
	case PK_KC_STRING:
		if (p->k.len > PK_SLOT_DATA)
			break;
		p->type = p->k.cls == PK_KC_BYTES ? PK_BYTES : PK_STRING;
		p->data = p->k.ptr;
		p->len = (uint8_t)p->k.len;
		p->kmin = 0;
		p->kspan = PK_SLOT_DATA;
		return;
	case PK_KC_INT:
		p->type = PK_INT;
		p->data = &p->k.i;
		p->len = p->kmin = 8;
		p->kspan = 0;
		return;
	}
	p->type = PROBE_NONE;
}

/* probe_make -- the probe of any key, checked (PK_EKEYTYPE, PK_EVALUE) */
static int
probe_make(struct probe *p, pk_pool *pool, const pk_value *key)
{
	int rc = pk__key_make(&p->k, key);

	if (rc != 0)
		return rc;
	probe_inline(p);
	p->h = hash32(pool, &p->k);
	return 0;
}

/*
 * probe_fast -- the probe of a key of bytes, a string or an int, made
 * without the checks of pk__key_make() (a string's UTF-8 is checked only
 * when the key is absent: one found matches a stored, so valid, key byte
 * for byte); PK__ESLOW for any other key
 */
static inline int
probe_fast(struct probe *p, pk_pool *pool, const pk_value *key)
{
	switch (key->type) {
	case PK_BYTES:
	case PK_STRING:
		if (key->u.buf.len > PK_SLOT_DATA ||
		    (key->u.buf.ptr == NULL && key->u.buf.len != 0))
			return PK__ESLOW;
		p->k.cls = key->type == PK_BYTES ? PK_KC_BYTES : PK_KC_STRING;
		p->k.ptr = key->u.buf.ptr;
		p->k.len = key->u.buf.len;
		break;
	case PK_INT:
		p->k.cls = PK_KC_INT;
		p->k.i = key->u.i;
		break;
	default:
		return PK__ESLOW;
	}
	probe_inline(p);
	/* as pk__key_hash() hashes these classes */
	p->h = (uint32_t)pk__hash_bytes(pool, p->k.cls, p->data, p->len) |
		PK_HASH_USED;
	return 0;
}

/* bytes_equal -- whether n bytes at a and b are equal, n <= PK_SLOT_DATA */
static inline int
bytes_equal(const uint8_t *a, const uint8_t *b, size_t n)
{
	uint64_t a0, b0, a1, b1;

	if (n < 8 || n > 16)
		return n == 0 || memcmp(a, b, n) == 0;
	/* two loads each, overlapping when n < 16 */
	memcpy(&a0, a, 8);
	memcpy(&b0, b, 8);
	memcpy(&a1, a + n - 8, 8);
	memcpy(&b1, b + n - 8, 8);
	return ((a0 ^ b0) | (a1 ^ b1)) == 0;
}

/* slot_decoded_match -- whether slot s holds key k, by decoding the stored
 * key: 1 or 0, or a negative error */
static __attribute__((noinline)) int
slot_decoded_match(pk_pool *pool, const struct pk_slot *s,
		const struct pk_key *k)
{
	struct pk_key sk;
	pk_value v;
	int rc = pk__slot_key(pool, &v, s);

	if (rc != 0)
		return rc;
	if (pk__key_make(&sk, &v) != 0)
		return corrupt("stored key is invalid");
	return pk__key_equal(&sk, k);
}

/*
 * slot_match -- whether slot s (of p's hash) holds key p: 1 or 0, or a
 * negative error. The fast lookup answers only what it can decide from
 * the inline bytes, and PK__ESLOW for the rest: another key type, a key
 * out of line, or a length the general path would call damage.
 */
static inline __attribute__((always_inline)) int
slot_match(pk_pool *pool, const struct pk_slot *s, const struct probe *p,
		int fast)
{
	if (s->ktype == p->type && (unsigned)(s->klen - p->kmin) <= p->kspan)
		return s->klen == p->len && bytes_equal(s->data, p->data,
				p->len);
	return fast ? PK__ESLOW : slot_decoded_match(pool, s, &p->k);
}

/*
 * find -- look key p up in map m: 0 with l->slot, or PK_NOTFOUND. The
 * general lookup (fast 0) also gives where the key is (l->at, l->link) or
 * where it would go (l->free, l->last), and reports damage; the fast one
 * (fast 1) answers PK__ESLOW where the general one must decide (see
 * slot_match()) or would report damage. Every offset it follows is
 * bounds-checked and every chain walk bounded, as an optimistic read may
 * see any bytes.
 */
static inline __attribute__((always_inline)) int
find(pk_pool *pool, const struct pk_map_hdr *m, const struct probe *p,
		struct loc *l, int fast)
{
	uint64_t n = __atomic_load_n(&m->nbuckets, __ATOMIC_RELAXED);
	uint64_t links = 0, *link = NULL;
	struct chain c;
	int rc;

	l->slot = NULL;
	l->free = NULL;
	if (n == 0)
		return fast ? PK__ESLOW : corrupt("no buckets");
	if ((rc = chain_head(pool, m, home(p->h, n), &c)) != 0)
		return fast ? PK__ESLOW : rc;
	prefetch_bucket(c.s);
	do {
		for (unsigned i = 0; i < c.n; i++) {
			struct pk_slot *s = &c.s[i];
			if (s->hash == p->h) {
				if ((rc = slot_match(pool, s, p, fast)) == 1) {
					l->slot = s;
					if (!fast) {
						l->at = c;
						l->link = c.head ? NULL : link;
					}
					return 0;
				}
				if (rc != 0)
					return rc;
			} else if (!fast && s->hash == 0 && l->free == NULL) {
				l->free = s;
			}
		}
		if (!fast)
			l->last = c;
		/* every overflow bucket holds an entry: longer is a loop */
		if (++links > m->count + 2)
			return fast ? PK__ESLOW : corrupt("overflow chain loops");
		link = c.next;
	} while ((rc = chain_step(pool, &c)) == 1);
	return rc == 0 ? PK_NOTFOUND : fast ? PK__ESLOW : rc;
}

const struct pk_kind pk__map_kind = {
	.type = PK_MAP,
	.magic = PK_MAGIC_MAP,
	.name = "map",
	.hdr_size = sizeof(struct pk_map_hdr),
	.type_num = PK_TN_MAP,
	.leaf_off = offsetof(struct pk_map_hdr, leaf),
	.modcount_off = offsetof(struct pk_map_hdr, modcount),
	.count_off = offsetof(struct pk_map_hdr, count),
	.create = pk__map_create,
	.clear = pk__map_clear,
	.destroy = pk__map_destroy,
	.walk = pk__map_walk,
	.cursor_next = pk__map_cursor_next,
};

/* map_put -- insert or replace key's value */
static int
map_put(pk_map *map, const pk_value *key, const pk_value *val)
{
	struct pk_map_hdr *m;
	struct probe p;
	struct pk_slot *s;
	struct loc l;
	struct pk_op op;
	int fresh = 0, found = 0, rc, frc = 0;

	if ((rc = map_hdr(&m, map)) != 0 ||
	    (rc = probe_make(&p, map->h.pool, key)) != 0 ||
	    (rc = pk__value_check_in(map->h.pool, val)) != 0)
		return rc;
	pk_pool *pool = map->h.pool;
	if (pk__tx_none()) {
		/* a lookup needs no transaction, and the insert may not */
		rc = find(pool, m, &p, &l, 0);
		if (rc == PK_NOTFOUND && l.free != NULL &&
		    m->count < LOAD_SPLIT * m->nbuckets &&
		    pk__slot_plain(key, val))
			return pk__map_insert_atomic(pool, m, l.free, p.h, key,
					val);
		if (rc != 0 && rc != PK_NOTFOUND)
			return rc;
		if (rc == 0 && (rc = pk__ref_drop_check(l.slot->vtype)) != 0)
			return rc;
		found = 1;
		frc = rc;
	}
	if ((rc = pk__op_begin(&op, pool, 1)) != 0)
		return rc;
	if ((rc = pk__leaf_unset(&m->leaf, val, 1)) != 0)
		return pk__op_end(&op, rc);
	rc = found ? frc : find(pool, m, &p, &l, 0);
	if (rc == 0) {
		rc = pk__snap(l.slot, sizeof(*l.slot));
		if (rc == 0)
			rc = pk__slot_set_value(pool, l.slot, val);
		return pk__op_end(&op, rc);
	}
	if (rc != PK_NOTFOUND)
		return pk__op_end(&op, rc);

	rc = 0;
	s = l.free;
	if (s == NULL)
		rc = pk__map_place(pool, l.last, 0, &s, &fresh);
	if (rc == 0)
		rc = claim_slot(s, fresh);
	if (rc == 0)
		rc = pk__snap((char *)m + HDR_MUT_OFF, HDR_MUT_LEN);
	if (rc == 0)
		rc = pk__slot_write(pool, s, key, val);
	if (rc == 0) {
		s->hash = p.h;
		filled_slot(pool, s, fresh);
		m->count++;
		m->modcount++;
		/* once over the load, a large map's SPLIT_BATCH splits
		 * share the transaction and leave room for atomic inserts */
		unsigned batch = m->nbuckets < PK_SEG_BUCKETS ? 1 : SPLIT_BATCH;
		for (unsigned i = 0; i < batch && rc == 0 &&
				m->count + i * LOAD_SPLIT >
				LOAD_SPLIT * m->nbuckets; i++)
			rc = pk__map_split(pool, m);
	}
	return pk__op_end(&op, rc);
}

/* map_get -- key's value, by the general lookup */
static int
map_get(pk_value *out, pk_map *map, const pk_value *key)
{
	struct pk_map_hdr *m;
	struct probe p;
	struct loc l;
	int rc;

	if (out == NULL)
		return pk__err(EINVAL, "NULL out");
	if ((rc = map_hdr(&m, map)) != 0 ||
	    (rc = probe_make(&p, map->h.pool, key)) != 0 ||
	    (rc = find(map->h.pool, m, &p, &l, 0)) != 0)
		return rc;
	return pk__slot_value(map->h.pool, out, l.slot);
}

/* map_contains -- whether key is present, by the general lookup */
static int
map_contains(int *out, pk_map *map, const pk_value *key)
{
	pk_value v;
	int rc;

	if (out == NULL)
		return pk__err(EINVAL, "NULL out");
	rc = map_get(&v, map, key);
	*out = rc == 0;
	return rc == PK_NOTFOUND ? 0 : rc;
}

/* map_remove -- remove key and its value */
static int
map_remove(pk_map *map, const pk_value *key)
{
	struct pk_map_hdr *m;
	struct pk_slot gone;
	struct probe p;
	struct loc l;
	struct pk_op op;
	int found, rc;

	if ((rc = map_hdr(&m, map)) != 0 ||
	    (rc = probe_make(&p, map->h.pool, key)) != 0)
		return rc;
	pk_pool *pool = map->h.pool;
	if ((found = pk__tx_none())) {
		if ((rc = find(pool, m, &p, &l, 0)) != 0 ||
		    (rc = pk__ref_drop_check(l.slot->vtype)) != 0)
			return rc;
		if (pk__map_remove_atomic(pool, m, &l))
			return 0;
	}
	if ((rc = pk__op_begin(&op, pool, 1)) != 0)
		return rc;
	if (!found && (rc = find(pool, m, &p, &l, 0)) != 0)
		return pk__op_end(&op, rc);
	/* keep a copy: merging may reuse the slot before it is released */
	memcpy(&gone, l.slot, sizeof(gone));
	if ((rc = clear_slot(l.slot)) != 0 ||
	    (rc = pk__snap((char *)m + HDR_MUT_OFF, HDR_MUT_LEN)) != 0)
		return pk__op_end(&op, rc);
	m->count--;
	m->modcount++;
	/* an overflow bucket left empty goes back to the pool */
	if (l.link != NULL)
		rc = pk__map_unlink_if_empty(pool, l.link);
	if (rc == 0 && m->nbuckets > 1 && m->count < LOAD_MERGE * m->nbuckets)
		rc = pk__map_merge(pool, m);
	/* a merge skipped for want of an overflow bucket left the map
	 * behind: one more catches up, so an emptied map ends at one bucket */
	if (rc == 0 && m->nbuckets > 1 && m->count < m->nbuckets)
		rc = pk__map_merge(pool, m);
	if (rc == 0)
		rc = pk__slot_release(pool, &gone);
	return pk__op_end(&op, rc);
}

/* pk__map_cursor_next -- the next entry, walking buckets and their chains */
int
pk__map_cursor_next(pk_cursor *cur, pk_value *key, pk_value *val)
{
	struct pk_map_hdr *m;
	pk_pool *pool = cur->h.pool;
	int rc;

	if ((rc = pk__handle_get((void **)&m, &cur->h)) != 0)
		return rc;
	if (m->modcount != cur->modcount)
		return pk__err(PK_ECHANGED, NULL);
	for (; cur->index < m->nbuckets; cur->index++, cur->chain = 0,
			cur->at = 0) {
		struct chain c;
		if ((rc = chain_head(pool, m, cur->index, &c)) != 0 ||
		    (cur->at != 0 && (rc = chain_resume(pool, &c, cur->at,
				    cur->chain)) != 0))
			return rc;
		do {
			for (; cur->slot < c.n; cur->slot++) {
				struct pk_slot *s = &c.s[cur->slot];
				pk_value kv, vv;
				if (s->hash == 0)
					continue;
				cur->slot++;
				if ((rc = pk__slot_key(pool, &kv, s)) != 0 ||
				    (rc = pk__slot_value(pool, &vv, s)) != 0)
					return rc;
				if (key != NULL)
					*key = kv;
				if (val != NULL)
					*val = vv;
				return 0;
			}
			cur->slot = 0;
			/* every overflow bucket holds an entry: longer loops */
			if (++cur->chain > m->count + 2)
				return corrupt("overflow chain loops");
			if ((rc = chain_step(pool, &c)) == 1)
				cur->at = pk__off(pool, c.next) -
					offsetof(struct pk_overflow, next);
		} while (rc == 1);
		if (rc != 0)
			return rc;
	}
	return PK_ITEROVER;
}

/*
 * copy_payload -- pk_map_get_copy()'s copy of the payload v borrows into
 * buf, or, when it is longer than cap, its length with a NULL pointer. In
 * an optimistic read v may hold garbage, but its pointer and length were
 * bounds-checked together (each read once), so the copy stays in the pool.
 */
struct copy_to {
	void *buf;
	size_t cap;
};

/* copy_payload -- copy the payload v borrows into to's buffer */
static void
copy_payload(pk_value *v, const struct copy_to *to)
{
	if (v->type != PK_BYTES && v->type != PK_STRING &&
	    v->type != PK_BIGINT && !pk__composite(v->type))
		return;
	if (v->u.buf.len > to->cap) {
		v->u.buf.ptr = NULL;
		return;
	}
	if (v->u.buf.len != 0)
		memcpy(to->buf, v->u.buf.ptr, v->u.buf.len);
	/* never NULL here: NULL says "too long" (buf may be NULL if cap 0) */
	v->u.buf.ptr = to->buf != NULL ? to->buf : (const void *)"";
}

/*
 * lookup_fast -- get (out != NULL) or contains (found != NULL) key in map
 * by the fast path, as an optimistic read; a get copies the payload when
 * to is not NULL (before the read is validated: a torn copy is thrown
 * away with the rest)
 */
static int
lookup_fast(pk_value *out, int *found, pk_map *map, const pk_value *key,
		const struct copy_to *to)
{
	const struct pk_handle *h = PK_HANDLE_OF(map);
	const struct pk_slot *s;
	struct pk_map_hdr *m;
	struct pk_readseq seq;
	struct probe p;
	struct loc l;
	pk_pool *pool;
	int rc;

	if (key == NULL || (out == NULL && found == NULL) ||
	    !pk__seq_begin(h, &seq) ||
	    (m = (struct pk_map_hdr *)pk__handle_peek(h)) == NULL ||
	    probe_fast(&p, pool = h->pool, key) != 0)
		return PK__ESLOW;
	rc = find(pool, m, &p, &l, 1);
	s = l.slot;
	/* an absent string key must be valid to be absent */
	if (rc == PK_NOTFOUND && p.type == PK_STRING &&
	    !pk__utf8_valid(p.data, p.len))
		return PK__ESLOW;
	if (rc == 0) {
		/* each read once: a writer may change them meanwhile */
		unsigned t = s->vtype;
		unsigned off = __atomic_load_n(&s->klen, __ATOMIC_RELAXED);
		unsigned len = __atomic_load_n(&s->vlen, __ATOMIC_RELAXED);
		pk_value v;
		if ((t == PK_BYTES || t == PK_STRING) &&
		    off + len <= PK_SLOT_DATA) {
			if (out != NULL) {
				out->type = (pk_type)t;
				out->u.buf.ptr = s->data + off;
				out->u.buf.len = len;
			}
		} else if (pk__slot_value(pool, &v, s) != 0) {
			/* contains reads it too: the general path would
			 * report the damage, for both */
			rc = PK__ESLOW;
		} else if (out != NULL) {
			*out = v;
		}
		if (rc == 0 && out != NULL && to != NULL)
			copy_payload(out, to);
	}
	if (found != NULL && rc != PK__ESLOW) {
		*found = rc == 0;
		rc = 0;
	}
	if (rc != PK__ESLOW && !pk__seq_valid(h, &seq))
		rc = PK__ESLOW;
	return rc;
}

/* ---- the public functions, each under its locks (lock.c) ---- */

/*
 * map_get_slow -- the general path of get (and below, of get_copy and
 * contains), apart so that the fast path's callers do not pay for its
 * registers
 */
static __attribute__((noinline)) int
map_get_slow(pk_value *out, pk_map *map, const pk_value *key)
{
	struct pk_read r;
	int rc;

	pk__read_begin(&r, PK_HANDLE_OF(map), PK_READ_OPTIMISTIC);
	do
		rc = map_get(out, map, key);
	while (!pk__read_done(&r));
	return rc;
}

/* map_get_copy -- map_get() and copy_payload() */
static int
map_get_copy(pk_value *out, const struct copy_to *to, pk_map *map,
		const pk_value *key)
{
	int rc = map_get(out, map, key);
	if (rc == 0)
		copy_payload(out, to);
	return rc;
}

/* map_get_copy_slow -- map_get_copy() under a read bracket */
static __attribute__((noinline)) int
map_get_copy_slow(pk_value *out, const struct copy_to *to, pk_map *map,
		const pk_value *key)
{
	struct pk_read r;
	int rc;

	pk__read_begin(&r, PK_HANDLE_OF(map), PK_READ_OPTIMISTIC);
	do
		rc = map_get_copy(out, to, map, key);
	while (!pk__read_done(&r));
	return rc;
}

/* map_contains_slow -- map_contains() under a read bracket */
static __attribute__((noinline)) int
map_contains_slow(int *out, pk_map *map, const pk_value *key)
{
	struct pk_read r;
	int rc;

	pk__read_begin(&r, PK_HANDLE_OF(map), PK_READ_OPTIMISTIC);
	do
		rc = map_contains(out, map, key);
	while (!pk__read_done(&r));
	return rc;
}

/* pk_map_get -- look up a key (pmemkit.h) */
int
pk_map_get(pk_value *out, pk_map *map, const pk_value *key)
{
	int rc = out != NULL ? lookup_fast(out, NULL, map, key, NULL) :
		PK__ESLOW;
	return rc != PK__ESLOW ? rc : map_get_slow(out, map, key);
}

/*
 * pk_map_get_copy -- look up a key and copy its value out of the pool
 * (pmemkit.h)
 */
int
pk_map_get_copy(pk_value *out, void *buf, size_t cap, pk_map *map,
		const pk_value *key)
{
	struct copy_to to = { buf, cap };
	int rc;

	if (buf == NULL && cap != 0)
		return pk__err(EINVAL, "NULL buf of %zu bytes", cap);
	rc = out != NULL ? lookup_fast(out, NULL, map, key, &to) : PK__ESLOW;
	return rc != PK__ESLOW ? rc : map_get_copy_slow(out, &to, map, key);
}

/* pk_map_contains -- tell whether a key is present (pmemkit.h) */
int
pk_map_contains(int *out, pk_map *map, const pk_value *key)
{
	int rc = out != NULL ? lookup_fast(NULL, out, map, key, NULL) :
		PK__ESLOW;
	return rc != PK__ESLOW ? rc : map_contains_slow(out, map, key);
}

/* pk_map_put -- insert or replace the value for a key (pmemkit.h) */
int
pk_map_put(pk_map *map, const pk_value *key, const pk_value *val)
{
	struct pk_write w;
	int rc;

	if ((rc = pk__write_begin(&w, PK_HANDLE_OF(map),
			pk__refs_in(val, 1))) != 0)
		return rc;
	do
		rc = map_put(map, key, val);
	while (!pk__write_done(&w, rc));
	return rc;
}

/* pk_map_remove -- remove a key and its value (pmemkit.h) */
int
pk_map_remove(pk_map *map, const pk_value *key)
{
	struct pk_write w;
	int rc;

	if ((rc = pk__write_begin(&w, PK_HANDLE_OF(map), 0)) != 0)
		return rc;
	do
		rc = map_remove(map, key);
	while (!pk__write_done(&w, rc));
	return rc;
}

/* ---- what every kind does alike (handle.c) ---- */

/* pk_map_new -- create a new, empty map in a pool (pmemkit.h) */
int
pk_map_new(pk_map **out, pk_pool *pool)
{
	return pk__container_new((struct pk_handle **)out, pool,
			&pk__map_kind, NULL);
}

/* pk_map_open -- open a handle to the map a value refers to (pmemkit.h) */
int
pk_map_open(pk_map **out, pk_pool *pool, const pk_value *val)
{
	return pk__container_open((struct pk_handle **)out, pool, val,
			&pk__map_kind);
}

/* pk_map_close -- release a map handle (pmemkit.h) */
void
pk_map_close(pk_map *map)
{
	pk__container_close(PK_HANDLE_OF(map));
}

/*
 * pk_map_value -- a value that refers to the map, to store it in a container
 * (pmemkit.h)
 */
pk_value
pk_map_value(const pk_map *map)
{
	return pk__container_value(PK_HANDLE_OF(map), &pk__map_kind);
}

/* pk_map_length -- number of entries, in O(1) (pmemkit.h) */
int
pk_map_length(uint64_t *out, pk_map *map)
{
	return pk__container_length(out, PK_HANDLE_OF(map), &pk__map_kind);
}

/*
 * pk_map_cursor -- start iterating over a map's entries, in no particular
 * order (pmemkit.h)
 */
int
pk_map_cursor(pk_cursor **out, pk_map *map)
{
	return pk__container_cursor(out, PK_HANDLE_OF(map), &pk__map_kind);
}

/*
 * pk_map_clear -- remove every entry and give the space back to the pool
 * (pmemkit.h)
 */
int
pk_map_clear(pk_map *map)
{
	return pk__container_clear(PK_HANDLE_OF(map), &pk__map_kind);
}
