/*
 * log.c -- the persistent log
 *
 * Records go one after the other into chunks (layout.h): the first of
 * CHUNK_MIN bytes, each next one twice the last up to CHUNK_MAX (less if
 * the pool has no room for that), or as large as a group of records that
 * needs more. Only the last chunk takes appends; the header counts what
 * the chunks before it hold, so a log's length, size and end are O(1),
 * and no record ever moves.
 *
 * Crash atomicity. Outside a transaction, records that fit the last chunk
 * are written after its last record, made persistent, and published by
 * one atomic 8-byte store of the chunk's pub (records and bytes used),
 * itself made persistent before the append returns: the bytes past pub
 * are garbage that nothing reads, so a crash before the store leaves the
 * log as it was, and one after it leaves every record of the store. An
 * append that needs a new chunk allocates it, fills it and links it in
 * one transaction; inside a user transaction pub is snapshotted before
 * it changes. Every other change (clear) is transactional.
 *
 * A position is the number of bytes (heads included) that the records
 * before it take in the chunks before its own, plus its offset in its
 * chunk: stable until a clear, and each record's head holds a check of
 * its length, so a position that is not a record's start is refused.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define CHUNK_MIN ((uint64_t)4 << 10)	/* data bytes of a first chunk */
#define CHUNK_MAX ((uint64_t)16 << 20)	/* chunks double up to this */
#define PUB_BYTES_MAX ((1ULL << PK_LOG_PUB_BYTES_BITS) - 1)
#define PUB_RECS_MAX ((1ULL << (64 - PK_LOG_PUB_BYTES_BITS)) - 1)

/* the range of the header that an append to a new chunk changes */
#define HDR_MUT_OFF offsetof(struct pk_log_hdr, count)
#define HDR_MUT_LEN (offsetof(struct pk_log_hdr, reserved) - HDR_MUT_OFF)

/* corrupt -- PK_ECORRUPT, saying what of the log is damaged */
static int
corrupt(const char *what)
{
	return pk__err(PK_ECORRUPT, "log: %s", what);
}

/* pub_bytes -- the bytes a chunk's published records take */
static inline uint64_t
pub_bytes(uint64_t pub)
{
	return pub & PUB_BYTES_MAX;
}

/* pub_recs -- the number of a chunk's published records */
static inline uint64_t
pub_recs(uint64_t pub)
{
	return pub >> PK_LOG_PUB_BYTES_BITS;
}

/* pub_payload -- the payload bytes of a chunk's published records */
static inline uint64_t
pub_payload(uint64_t pub)
{
	return pub_bytes(pub) - pub_recs(pub) * PK_LOG_REC_HEAD;
}

/* rec_check -- the check a record's head keeps of its length */
static inline uint32_t
rec_check(uint32_t len)
{
	return (len * 0x9E3779B1u) ^ 0x4F4C4B50u;
}

/* log_hdr -- the header of the log a handle refers to */
static inline int
log_hdr(struct pk_log_hdr **out, pk_log *log)
{
	return pk__handle_get((void **)out, PK_HANDLE_OF(log));
}

/*
 * chunk_get -- the chunk at off, checked whole (NULL if it is not one);
 * its pub read once into *pub, as an optimistic read may see it change
 */
static struct pk_logchunk *
chunk_get(pk_pool *pool, uint64_t off, uint64_t *pub)
{
	struct pk_logchunk *c = pk__ptr(pool, off, sizeof(*c));

	if (c == NULL || c->magic != PK_MAGIC_LOGCHUNK ||
	    c->cap > pool->size ||
	    pk__ptr(pool, off, sizeof(*c) + c->cap) == NULL)
		return NULL;
	*pub = __atomic_load_n(&c->pub, __ATOMIC_ACQUIRE);
	if (pub_bytes(*pub) > c->cap ||
	    pub_recs(*pub) > pub_bytes(*pub) / PK_LOG_REC_HEAD)
		return NULL;
	return c;
}

/* last_pub -- the pub of the log's last chunk, 0 for an empty log */
static int
last_pub(pk_pool *pool, const struct pk_log_hdr *l, uint64_t *pub)
{
	uint64_t last = __atomic_load_n(&l->last, __ATOMIC_RELAXED);

	*pub = 0;
	if (last == 0)
		return 0;
	return chunk_get(pool, last, pub) != NULL ? 0 :
		corrupt("bad last chunk");
}

/*
 * record_at -- the record whose head is at offset at of chunk c, which has
 * used bytes published: PK_ERANGE if none starts there
 */
static int
record_at(const struct pk_logchunk *c, uint64_t used, uint64_t at,
		pk_value *out)
{
	uint32_t head[2];

	if (at > used || used - at < PK_LOG_REC_HEAD)
		return pk__err(PK_ERANGE, "no record at offset %llu of a chunk",
				(unsigned long long)at);
	memcpy(head, c->data + at, sizeof(head));
	if (head[1] != rec_check(head[0]) ||
	    head[0] > used - at - PK_LOG_REC_HEAD)
		return pk__err(PK_ERANGE, "no record at offset %llu of a chunk",
				(unsigned long long)at);
	*out = pk_bytes(c->data + at + PK_LOG_REC_HEAD, head[0]);
	return 0;
}

/*
 * records_bytes -- check the records to append and the bytes they take:
 * PK_EKIND for a value that is not bytes (or a string), EINVAL for a
 * record or a group larger than a chunk can count
 */
static int
records_bytes(const pk_value *recs, size_t n, uint64_t *bytes)
{
	if (recs == NULL && n != 0)
		return pk__err(EINVAL, "NULL records");
	if (n > PUB_RECS_MAX)
		return pk__err(EINVAL, "%zu records at once: at most %llu", n,
				(unsigned long long)PUB_RECS_MAX);
	*bytes = 0;
	for (size_t i = 0; i < n; i++) {
		const pk_value *v = &recs[i];
		if (v->type != PK_BYTES && v->type != PK_STRING)
			return pk__err(PK_EKIND, "a log record is bytes, not "
					"a value of type %d", (int)v->type);
		if (v->u.buf.ptr == NULL && v->u.buf.len != 0)
			return pk__err(EINVAL, "NULL buffer");
		if (v->u.buf.len > PK_LOG_RECORD_MAX)
			return pk__err(EINVAL, "a record of %zu bytes: at most "
					"%zu", v->u.buf.len, PK_LOG_RECORD_MAX);
		*bytes += PK_LOG_REC_HEAD + v->u.buf.len;
		if (*bytes > PUB_BYTES_MAX)
			return pk__err(EINVAL, "records of more than %llu "
					"bytes at once",
					(unsigned long long)PUB_BYTES_MAX);
	}
	return 0;
}

/* records_write -- the records, heads and payloads, at dst */
static void
records_write(uint8_t *dst, const pk_value *recs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint32_t head[2];
		head[0] = (uint32_t)recs[i].u.buf.len;
		head[1] = rec_check(head[0]);
		memcpy(dst, head, sizeof(head));
		if (head[0] != 0)
			memcpy(dst + PK_LOG_REC_HEAD, recs[i].u.buf.ptr,
					head[0]);
		dst += PK_LOG_REC_HEAD + head[0];
	}
}

/*
 * chunk_new -- a new chunk holding the records, to follow a chunk of
 * prev_cap data bytes (0 for the first), in the running transaction
 */
static int
chunk_new(pk_pool *pool, uint64_t *off, uint64_t prev_cap,
		const pk_value *recs, size_t n, uint64_t bytes)
{
	uint64_t cap = prev_cap == 0 ? CHUNK_MIN :
		prev_cap >= CHUNK_MAX / 2 ? CHUNK_MAX : prev_cap * 2;
	struct pk_logchunk *c;
	int rc;

	if (cap < bytes)
		cap = bytes;
	/* allocated in the transaction: its bytes reach the media at commit
	 * (and the records' bytes past pub are never read); a pool too full
	 * for the next size may still hold a chunk just large enough */
	rc = pk__alloc(pool, off, sizeof(*c) + cap, PK_TN_LOGCHUNK, 0);
	if (rc == PK_ENOSPACE && cap > CHUNK_MIN && cap > bytes) {
		cap = bytes > CHUNK_MIN ? bytes : CHUNK_MIN;
		rc = pk__alloc(pool, off, sizeof(*c) + cap, PK_TN_LOGCHUNK, 0);
	}
	if (rc != 0)
		return rc;
	c = (struct pk_logchunk *)(pool->base + *off);
	c->magic = PK_MAGIC_LOGCHUNK;
	c->reserved = 0;
	c->next = 0;
	c->cap = cap;
	memset(c->pad, 0, sizeof(c->pad));
	records_write(c->data, recs, n);
	c->pub = (uint64_t)n << PK_LOG_PUB_BYTES_BITS | bytes;
	return 0;
}

/*
 * append_chunk -- append the records in a new chunk, linked after the
 * last one (c, of pub pub; NULL for an empty log), in the running
 * transaction
 */
static int
append_chunk(pk_pool *pool, struct pk_log_hdr *l, struct pk_logchunk *c,
		uint64_t pub, const pk_value *recs, size_t n, uint64_t bytes)
{
	uint64_t off;
	int rc;

	if ((rc = chunk_new(pool, &off, c != NULL ? c->cap : 0, recs, n,
			bytes)) != 0 ||
	    (rc = pk__snap((char *)l + HDR_MUT_OFF, HDR_MUT_LEN)) != 0)
		return rc;
	if (c == NULL) {
		l->first = off;
	} else {
		if ((rc = pk__snap(&c->next, sizeof(c->next))) != 0)
			return rc;
		c->next = off;
		l->count += pub_recs(pub);
		l->nbytes += pub_payload(pub);
		l->base += pub_bytes(pub);
	}
	l->last = off;
	return 0;
}

/* log_extend -- append n records, all or none */
static int
log_extend(pk_log *log, const pk_value *recs, size_t n)
{
	struct pk_log_hdr *l;
	struct pk_logchunk *c = NULL;
	uint64_t bytes = 0, pub = 0, used = 0, npub;
	struct pk_op op;
	int fits = 0, rc;

	if ((rc = log_hdr(&l, log)) != 0 ||
	    (rc = records_bytes(recs, n, &bytes)) != 0)
		return rc;
	if (n == 0)
		return 0;
	pk_pool *pool = log->h.pool;
	if (l->last != 0) {
		if ((c = chunk_get(pool, l->last, &pub)) == NULL)
			return corrupt("bad last chunk");
		used = pub_bytes(pub);
		fits = bytes <= c->cap - used &&
			pub_recs(pub) + n <= PUB_RECS_MAX;
	}
	npub = pub + ((uint64_t)n << PK_LOG_PUB_BYTES_BITS) + bytes;
	if (fits) {
		/* past pub: nothing reads these bytes until it moves */
		records_write(c->data + used, recs, n);
		pmemobj_persist(pool->pop, c->data + used, bytes);
	}
	if (fits && pk__tx_none()) {
		__atomic_store_n(&c->pub, npub, __ATOMIC_RELEASE);
		pmemobj_persist(pool->pop, &c->pub, sizeof(c->pub));
		return 0;
	}
	if ((rc = pk__op_begin(&op, pool, 1)) != 0)
		return rc;
	if (!fits)
		rc = append_chunk(pool, l, c, pub, recs, n, bytes);
	else if ((rc = pk__snap(&c->pub, sizeof(c->pub))) == 0)
		__atomic_store_n(&c->pub, npub, __ATOMIC_RELEASE);
	return pk__op_end(&op, rc);
}

/*
 * log_check -- what every use of a log's header relies on (the kind's
 * check): its first and last chunk both there or both not, and the last
 * one whole
 */
static int
log_check(pk_pool *pool, const void *hdr)
{
	const struct pk_log_hdr *l = hdr;
	uint64_t pub;

	if ((l->first == 0) != (l->last == 0))
		return corrupt("first and last chunk disagree");
	return last_pub(pool, l, &pub);
}

/* log_length -- records in the log (the kind's length) */
static uint64_t
log_length(pk_pool *pool, const void *hdr, int *rc)
{
	const struct pk_log_hdr *l = hdr;
	uint64_t pub;

	*rc = last_pub(pool, l, &pub);
	return l->count + pub_recs(pub);
}

/* log_nbytes -- the payload bytes of all records */
static int
log_nbytes(uint64_t *out, pk_log *log)
{
	struct pk_log_hdr *l;
	uint64_t pub;
	int rc;

	if (out == NULL)
		return pk__err(EINVAL, "NULL out");
	if ((rc = log_hdr(&l, log)) != 0 ||
	    (rc = last_pub(log->h.pool, l, &pub)) != 0)
		return rc;
	*out = l->nbytes + pub_payload(pub);
	return 0;
}

/* log_tell -- the position of the end of the log */
static int
log_tell(uint64_t *out, pk_log *log)
{
	struct pk_log_hdr *l;
	uint64_t pub;
	int rc;

	if (out == NULL)
		return pk__err(EINVAL, "NULL out");
	if ((rc = log_hdr(&l, log)) != 0 ||
	    (rc = last_pub(log->h.pool, l, &pub)) != 0)
		return rc;
	*out = l->base + pub_bytes(pub);
	return 0;
}

/* max_chunks -- more chunks than the pool can hold: a longer chain loops */
static inline uint64_t
max_chunks(const pk_pool *pool)
{
	return pool->size / sizeof(struct pk_logchunk);
}

/*
 * chunk_enter -- whether chunk c (at off, of pub pub), met after chunks
 * of chain bytes and passed records, can be where the header says the
 * log goes on: the last one exactly where the header puts it, any other
 * within what the header counts before the last. A chain damaged into a
 * loop fails this before any record is met twice.
 */
static int
chunk_enter(const struct pk_log_hdr *l, uint64_t off, uint64_t pub,
		uint64_t chain, uint64_t passed)
{
	if (off == l->last ? chain != l->base || passed != l->count :
	    pub_bytes(pub) > l->base - chain || chain > l->base ||
	    pub_recs(pub) > l->count - passed || passed > l->count)
		return corrupt("the chunks disagree with the header");
	return 0;
}

/*
 * cursor_seek -- put cursor cur (of log l) at position pos: the chunk
 * holding it (cur->at, 0 for an empty log), its offset there
 * (cur->index) and the chunk's own position (cur->chain)
 */
static int
cursor_seek(pk_cursor *cur, pk_pool *pool, const struct pk_log_hdr *l,
		uint64_t pos)
{
	uint64_t off = l->first, base = 0, passed = 0, steps = 0, pub;
	struct pk_logchunk *c;
	pk_value rec;
	int rc;

	if (off == 0) {
		if (pos != 0)
			return pk__err(PK_ERANGE, "position %llu of an empty "
					"log", (unsigned long long)pos);
		return 0;
	}
	for (;;) {
		if ((c = chunk_get(pool, off, &pub)) == NULL)
			return corrupt("bad chunk");
		if ((rc = chunk_enter(l, off, pub, base, passed)) != 0)
			return rc;
		if (pos - base < pub_bytes(pub) || off == l->last)
			break;
		if (++steps > max_chunks(pool))
			return corrupt("chunk chain loops");
		base += pub_bytes(pub);
		passed += pub_recs(pub);
		if ((off = c->next) == 0)
			return corrupt("the chunks end before the last");
	}
	if (pos - base > pub_bytes(pub))
		return pk__err(PK_ERANGE, "position %llu past the end (%llu)",
				(unsigned long long)pos,
				(unsigned long long)(base + pub_bytes(pub)));
	if (pos - base < pub_bytes(pub) &&
	    record_at(c, pub_bytes(pub), pos - base, &rec) != 0)
		return pk__err(PK_ERANGE, "position %llu is not a record's",
				(unsigned long long)pos);
	/* the records of the chunk before pos, which the cursor counts on
	 * from (a chunk gives no more than its pub says) */
	unsigned recs = 0;
	for (uint64_t at = 0; at < pos - base; recs++) {
		if (record_at(c, pub_bytes(pub), at, &rec) != 0)
			return pk__err(PK_ERANGE, "position %llu is not a "
					"record's", (unsigned long long)pos);
		at += PK_LOG_REC_HEAD + rec.u.buf.len;
	}
	cur->slot = recs;
	cur->at = off;
	cur->index = pos - base;
	cur->chain = base;
	cur->passed = passed;
	return 0;
}

/* log_cursor_at -- a cursor at position pos of the log */
static int
log_cursor_at(pk_cursor **out, pk_log *log, uint64_t pos)
{
	struct pk_log_hdr *l;
	int rc;

	if (out == NULL)
		return pk__err(EINVAL, "NULL out");
	*out = NULL;
	if ((rc = log_hdr(&l, log)) != 0 ||
	    (rc = pk__cursor_make(out, &log->h, &pk__log_kind)) != 0)
		return rc;
	if ((rc = cursor_seek(*out, log->h.pool, l, pos)) != 0) {
		pk_cursor_free(*out);
		*out = NULL;
	}
	return rc;
}

/*
 * log_cursor_next -- the next record, with its position as key. At the
 * end of the last chunk the cursor stays, and meets what is appended
 * later; PK_ECHANGED once the log was cleared.
 */
static int
log_cursor_next(pk_cursor *cur, pk_value *key, pk_value *val)
{
	struct pk_log_hdr *l;
	struct pk_logchunk *c;
	pk_pool *pool = cur->h.pool;
	uint64_t pub, steps = 0;
	pk_value rec;
	int rc;

	if ((rc = pk__handle_get((void **)&l, &cur->h)) != 0)
		return rc;
	if (l->modcount != cur->modcount)
		return pk__err(PK_ECHANGED, NULL);
	if (cur->at == 0) {
		/* made on an empty log */
		if (l->first == 0)
			return PK_ITEROVER;
		cur->at = l->first;
		cur->index = cur->chain = cur->passed = 0;
		cur->slot = 0;
		if ((c = chunk_get(pool, cur->at, &pub)) == NULL)
			return corrupt("bad chunk");
		if ((rc = chunk_enter(l, cur->at, pub, 0, 0)) != 0)
			return rc;
	}
	if ((c = chunk_get(pool, cur->at, &pub)) == NULL)
		return corrupt("bad chunk");
	while (cur->index >= pub_bytes(pub)) {
		if (cur->at == l->last)
			return PK_ITEROVER;
		if (c->next == 0)
			return corrupt("the chunks end before the last");
		if (++steps > max_chunks(pool))
			return corrupt("chunk chain loops");
		cur->chain += pub_bytes(pub);
		cur->passed += pub_recs(pub);
		cur->at = c->next;
		cur->index = 0;
		cur->slot = 0;
		if ((c = chunk_get(pool, cur->at, &pub)) == NULL)
			return corrupt("bad chunk");
		if ((rc = chunk_enter(l, cur->at, pub, cur->chain,
				cur->passed)) != 0)
			return rc;
	}
	if (record_at(c, pub_bytes(pub), cur->index, &rec) != 0 ||
	    cur->slot >= pub_recs(pub))
		return corrupt("bad record");
	cur->slot++;
	if (key != NULL)
		*key = pk_int((int64_t)(cur->chain + cur->index));
	if (val != NULL)
		*val = rec;
	cur->index += PK_LOG_REC_HEAD + rec.u.buf.len;
	return 0;
}

/* chunks_free -- free every chunk of the log (each free takes effect at
 * commit) */
static int
chunks_free(pk_pool *pool, const struct pk_log_hdr *l)
{
	uint64_t off = l->first, steps = 0, pub;
	struct pk_logchunk *c;
	int rc;

	while (off != 0) {
		if ((c = chunk_get(pool, off, &pub)) == NULL)
			return corrupt("bad chunk");
		if (++steps > max_chunks(pool))
			return corrupt("chunk chain loops");
		uint64_t next = off == l->last ? 0 : c->next;
		if (next == 0 && off != l->last)
			return corrupt("the chunks end before the last");
		if ((rc = pk__free(pool, off)) != 0)
			return rc;
		off = next;
	}
	return 0;
}

/* log_create -- allocate an empty log (the kind's create); the pool is
 * marked as one that holds logs */
static int
log_create(pk_pool *pool, uint64_t *off, const void *arg)
{
	struct pk_log_hdr *l;
	uint64_t gen;
	int rc;

	(void)arg;
	if ((rc = pk__incompat_mark(pool, PK_INCOMPAT_LOG)) != 0)
		return rc;
	if ((rc = pk__alloc(pool, off, sizeof(*l), PK_TN_LOG, 1)) != 0 ||
	    (rc = pk__gen_next(pool, &gen)) != 0 ||
	    (rc = pk__created(pool, *off)) != 0)
		return rc;
	l = (struct pk_log_hdr *)(pool->base + *off);
	l->h.magic = PK_MAGIC_LOG;
	l->h.version = 1;
	l->h.gen = gen;
	return 0;
}

/* log_clear -- drop every record and chunk (the kind's clear) */
static int
log_clear(pk_pool *pool, void *hdr)
{
	struct pk_log_hdr *l = hdr;
	int rc;

	if (l->first == 0)
		return 0;
	if ((rc = chunks_free(pool, l)) != 0 ||
	    (rc = pk__snap((char *)l + HDR_MUT_OFF, HDR_MUT_LEN)) != 0)
		return rc;
	l->count = l->nbytes = l->base = 0;
	l->first = l->last = 0;
	l->modcount++;
	return 0;
}

/* log_destroy -- free a log whose last reference went */
static int
log_destroy(pk_pool *pool, uint64_t off)
{
	int rc = chunks_free(pool, (struct pk_log_hdr *)(pool->base + off));

	return rc != 0 ? rc : pk__obj_free(pool, off);
}

/*
 * log_walk -- every chunk of a log, each checked record by record against
 * its pub and the header's counts (a log holds no references)
 */
static int
log_walk(pk_pool *pool, uint64_t off, struct pk_walker *w)
{
	const struct pk_log_hdr *l =
		(const struct pk_log_hdr *)(pool->base + off);
	uint64_t coff = l->first, steps = 0, pub = 0, count = 0, nbytes = 0;
	uint64_t base = 0, prev = 0;
	struct pk_logchunk *c = NULL;
	int rc;

	while (coff != 0) {
		if ((c = chunk_get(pool, coff, &pub)) == NULL)
			return corrupt("bad chunk");
		if (++steps > max_chunks(pool))
			return corrupt("chunk chain loops");
		/* not movable: cursors keep a chunk's offset */
		if ((rc = w->object(w, coff, NULL)) != 0)
			return rc;
		uint64_t at = 0, recs = 0;
		while (at < pub_bytes(pub)) {
			pk_value rec = pk_bytes(NULL, 0);
			if (record_at(c, pub_bytes(pub), at, &rec) != 0)
				return corrupt("bad record");
			at += PK_LOG_REC_HEAD + rec.u.buf.len;
			recs++;
		}
		if (recs != pub_recs(pub))
			return corrupt("a chunk's count is wrong");
		prev = coff;
		if (coff == l->last)
			break;
		count += recs;
		nbytes += pub_payload(pub);
		base += pub_bytes(pub);
		coff = c->next;
	}
	if (prev != l->last || (c != NULL && c->next != 0) ||
	    count != l->count || nbytes != l->nbytes || base != l->base)
		return corrupt("the header disagrees with the chunks");
	return 0;
}

const struct pk_kind pk__log_kind = {
	.type = PK_LOG,
	.magic = PK_MAGIC_LOG,
	.name = "log",
	.hdr_size = sizeof(struct pk_log_hdr),
	.type_num = PK_TN_LOG,
	.incompat = PK_INCOMPAT_LOG,
	.modcount_off = offsetof(struct pk_log_hdr, modcount),
	.length = log_length,
	.create = log_create,
	.check = log_check,
	.clear = log_clear,
	.destroy = log_destroy,
	.walk = log_walk,
	.cursor_next = log_cursor_next,
};

/* ---- the public functions, each under its locks (lock.c) ---- */

/* pk_log_append -- append a record, atomically and durably (pmemkit.h) */
int
pk_log_append(pk_log *log, const pk_value *val)
{
	if (val == NULL)
		return pk__err(EINVAL, "NULL record");
	return pk_log_extend(log, val, 1);
}

/* pk_log_extend -- append records as one atomic unit (pmemkit.h) */
int
pk_log_extend(pk_log *log, const pk_value *vals, size_t n)
{
	struct pk_write w;
	int rc;

	if ((rc = pk__write_begin(&w, PK_HANDLE_OF(log), 0)) != 0)
		return rc;
	do
		rc = log_extend(log, vals, n);
	while (!pk__write_done(&w, rc));
	return rc;
}

/* pk_log_nbytes -- bytes of all the records' payloads (pmemkit.h) */
int
pk_log_nbytes(uint64_t *out, pk_log *log)
{
	struct pk_read r;
	int rc;

	pk__read_begin(&r, PK_HANDLE_OF(log), PK_READ_OPTIMISTIC);
	do
		rc = log_nbytes(out, log);
	while (!pk__read_done(&r));
	return rc;
}

/* pk_log_tell -- the position of the next record appended (pmemkit.h) */
int
pk_log_tell(uint64_t *out, pk_log *log)
{
	struct pk_read r;
	int rc;

	pk__read_begin(&r, PK_HANDLE_OF(log), PK_READ_OPTIMISTIC);
	do
		rc = log_tell(out, log);
	while (!pk__read_done(&r));
	return rc;
}

/* pk_log_cursor_at -- iterate over the records from a position
 * (pmemkit.h) */
int
pk_log_cursor_at(pk_cursor **out, pk_log *log, uint64_t pos)
{
	struct pk_read r;
	int rc;

	pk__read_begin(&r, PK_HANDLE_OF(log), PK_READ_LOCKED);
	do
		rc = log_cursor_at(out, log, pos);
	while (!pk__read_done(&r));
	return rc;
}

/* ---- what every kind does alike (handle.c) ---- */

/* pk_log_new -- create a new, empty log (pmemkit.h) */
int
pk_log_new(pk_log **out, pk_pool *pool)
{
	return pk__container_new((struct pk_handle **)out, pool,
			&pk__log_kind, NULL);
}

/* pk_log_open -- open a handle to the log a value refers to (pmemkit.h) */
int
pk_log_open(pk_log **out, pk_pool *pool, const pk_value *val)
{
	return pk__container_open((struct pk_handle **)out, pool, val,
			&pk__log_kind);
}

/* pk_log_close -- release a log handle (pmemkit.h) */
void
pk_log_close(pk_log *log)
{
	pk__container_close(PK_HANDLE_OF(log));
}

/* pk_log_value -- a value that refers to the log (pmemkit.h) */
pk_value
pk_log_value(const pk_log *log)
{
	return pk__container_value(PK_HANDLE_OF(log), &pk__log_kind);
}

/* pk_log_length -- number of records, in O(1) (pmemkit.h) */
int
pk_log_length(uint64_t *out, pk_log *log)
{
	return pk__container_length(out, PK_HANDLE_OF(log), &pk__log_kind);
}

/* pk_log_cursor -- iterate over the records from the first (pmemkit.h) */
int
pk_log_cursor(pk_cursor **out, pk_log *log)
{
	return pk__container_cursor(out, PK_HANDLE_OF(log), &pk__log_kind);
}

/* pk_log_clear -- remove every record (pmemkit.h) */
int
pk_log_clear(pk_log *log)
{
	return pk__container_clear(PK_HANDLE_OF(log), &pk__log_kind);
}
