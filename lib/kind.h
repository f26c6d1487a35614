/*
 * kind.h -- container kinds: the table that drives what every kind does alike (handle.c, kind.c, cursor.c)
 */
#ifndef PK_KIND_H
#define PK_KIND_H

#include "internal.h"

/*
 * handle.c -- handles, and what every container kind does alike, driven by
 * its pk_kind: the public pk_<kind>_new, _open, _close, _value, _length,
 * _cursor and _clear are these, each under its locks
 */
struct pk_kind;
struct pk_cursor;
PK_HIDDEN int pk__handle_get(void **out, const struct pk_handle *h);
PK_HIDDEN int pk__container_check(void **out, pk_pool *pool, uint64_t off,
		uint32_t magic, size_t size);
PK_HIDDEN int pk__handle_new(struct pk_handle **out, pk_pool *pool,
		uint64_t off, const struct pk_kind *k);
PK_HIDDEN int pk__container_new(struct pk_handle **out, pk_pool *pool,
		const struct pk_kind *k, const void *arg);
PK_HIDDEN int pk__container_open(struct pk_handle **out, pk_pool *pool,
		const pk_value *val, const struct pk_kind *k);
PK_HIDDEN void pk__container_close(struct pk_handle *h);
PK_HIDDEN pk_value pk__container_value(const struct pk_handle *h,
		const struct pk_kind *k);
PK_HIDDEN int pk__container_length(uint64_t *out, const struct pk_handle *h,
		const struct pk_kind *k);
PK_HIDDEN int pk__container_cursor(struct pk_cursor **out,
		const struct pk_handle *h, const struct pk_kind *k);
/* a cursor at the start of the container of h, without the locks (the
 * caller's bracket holds them) */
PK_HIDDEN int pk__cursor_make(struct pk_cursor **out,
		const struct pk_handle *h, const struct pk_kind *k);
PK_HIDDEN int pk__container_clear(const struct pk_handle *h,
		const struct pk_kind *k);

/*
 * kind.c -- what each container kind provides, so references, freeing,
 * iteration, gc and check work alike for all of them
 */
struct pk_walker {
	pk_pool *pool;
	/*
	 * an allocation the container owns (segments, blobs, ...); field is
	 * where its offset is stored (8 bytes, maybe unaligned) when
	 * rewriting them is all it takes to move the object
	 * (pk_pool_defrag()), else NULL. A walk reports an object before
	 * the objects whose offsets it holds, so moves made in the reverse
	 * order of a walk never write a field in an object already moved.
	 */
	int (*object)(struct pk_walker *w, uint64_t off, const void *field);
	/* a reference to a container of the given type, held in a value */
	int (*ref)(struct pk_walker *w, uint64_t off, unsigned type);
	/* the container at off holds n entries, not the count it records:
	 * a crash after an atomic insert or remove (map.c) */
	int (*miscount)(struct pk_walker *w, uint64_t off, uint64_t n);
	void *arg;
	/* the incompatible-feature bits (layout.h) of the values met, which
	 * the walks add to: pk_pool_check() compares them with the root's */
	uint64_t incompat;
};
struct pk_kind {
	pk_type type;
	uint32_t magic;
	const char *name;	/* for messages: "map", "list", ... */
	size_t hdr_size;
	uint64_t type_num;
	/* the incompatible-feature bit (layout.h) a pool holding one must
	 * have, or 0 */
	uint64_t incompat;
	/* offset in the header of its leaf field (layout.h); 0 for a kind
	 * whose values are never references */
	size_t leaf_off;
	/* offsets in the header of its modcount, which cursors compare,
	 * and of its number of entries (pk_<kind>_length()) */
	size_t modcount_off;
	size_t count_off;
	/* the number of entries, for a kind that does not keep it in one
	 * field (count_off unused then); sets *rc to a failure */
	uint64_t (*length)(pk_pool *pool, const void *hdr, int *rc);
	/* allocate a new, empty container in the running transaction; arg
	 * is what the kind's pk_<kind>_new() passes, checked already */
	int (*create)(pk_pool *pool, uint64_t *off, const void *arg);
	/* what every use of the header relies on, beyond its magic and
	 * generation (which the handle checks): PK_ECORRUPT if not; NULL
	 * for none */
	int (*check)(pk_pool *pool, const void *hdr);
	/* empty the container, giving its space back, in the running
	 * transaction (the caller holds a reference on it meanwhile); NULL
	 * for a kind that cannot be cleared */
	int (*clear)(pk_pool *pool, void *hdr);
	/* free the container's storage and header; references in its values
	 * are released (pk__payload_release), which may free more */
	int (*destroy)(pk_pool *pool, uint64_t off);
	/* report every owned allocation and every reference; PK_ECORRUPT for
	 * damage met on the way */
	int (*walk)(pk_pool *pool, uint64_t off, struct pk_walker *w);
	/* the entry after the one cursor c last gave */
	int (*cursor_next)(struct pk_cursor *c, pk_value *key, pk_value *val);
	/* cursor_next only reads, and checks what it reads, as an
	 * optimistic read does (lock.h): a step that met a writer runs again,
	 * locked, from the cursor as it was before */
	int cursor_optimistic;
};
PK_HIDDEN const struct pk_kind *pk__kind_of_type(unsigned type);
PK_HIDDEN const struct pk_kind *pk__kind_of_magic(uint32_t magic);
PK_HIDDEN extern const struct pk_kind pk__map_kind;
PK_HIDDEN extern const struct pk_kind pk__list_kind;
PK_HIDDEN extern const struct pk_kind pk__array_kind;
PK_HIDDEN extern const struct pk_kind pk__log_kind;
PK_HIDDEN extern const struct pk_kind pk__blocks_kind;
PK_HIDDEN extern const struct pk_kind pk__set_kind;
PK_HIDDEN extern const struct pk_kind pk__record_kind;
PK_HIDDEN extern const struct pk_kind pk__sorted_kind;

/* cursor.c */
struct pk_cursor {
	struct pk_handle h;	/* the container iterated */
	uint64_t modcount;	/* the container's modcount at creation */
	uint64_t index;		/* map: bucket; list, array: next element */
	uint64_t chain;		/* map: overflow depth in that bucket */
	uint64_t at;		/* map: that overflow bucket, 0 for the head;
				   log: the chunk */
	uint64_t passed;	/* log: records in the chunks before at */
	unsigned slot;		/* map: next slot to look at; log: records
				   given from the chunk at */
	uint64_t end;		/* sorted: the index the cursor stops at */
	int reverse;		/* sorted: from the last entry down */
};

#endif /* PK_KIND_H */
