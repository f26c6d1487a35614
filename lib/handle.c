/*
 * handle.c -- volatile handles to persistent containers, and what every
 * container kind does alike (new, open, close, value, length, cursor,
 * clear), driven by the kind's struct pk_kind (kind.c)
 *
 * A handle remembers the container's offset and generation. Each use
 * checks both against the container's header, so a handle whose container
 * was freed (its magic cleared) or whose memory now holds another object
 * (another generation) reports PK_ESTALE instead of touching it.
 */
#include <errno.h>
#include <stdlib.h>

#include "internal.h"

/*
 * pk__container_check -- the header of the container at off, if it is one
 * of the kind magic names: PK_EKIND for another kind of container,
 * PK_ESTALE for anything else (freed memory), PK_ECORRUPT for an offset
 * outside the pool.
 */
int
pk__container_check(void **out, pk_pool *pool, uint64_t off, uint32_t magic,
		size_t size)
{
	/* containers are 8-byte aligned: anything else is not one */
	struct pk_obj_hdr *h = off % 8 == 0 ? pk__ptr(pool, off, size) : NULL;

	if (h == NULL)
		return pk__err(PK_ECORRUPT, "offset %llu is not in the pool",
				(unsigned long long)off);
	if (h->magic != magic)
		return pk__kind_of_magic(h->magic) != NULL ?
			pk__err(PK_EKIND, NULL) : pk__err(PK_ESTALE, NULL);
	if (out != NULL)
		*out = h;
	return 0;
}

/*
 * The handle types pk_map, pk_list, pk_array and pk_log are a struct
 * pk_handle each (internal.h): a handle made here is returned as any of
 * them.
 */
_Static_assert(sizeof(pk_map) == sizeof(struct pk_handle) &&
		sizeof(pk_list) == sizeof(struct pk_handle) &&
		sizeof(pk_array) == sizeof(struct pk_handle) &&
		sizeof(pk_log) == sizeof(struct pk_handle),
		"container handles are struct pk_handle");

/* pk__handle_new -- a new handle to the container of kind k at off */
int
pk__handle_new(struct pk_handle **out, pk_pool *pool, uint64_t off,
		const struct pk_kind *k)
{
	struct pk_obj_hdr *hdr = NULL;
	struct pk_handle *h;
	/* the whole header must lie in the pool, not only its first bytes:
	 * every use reads fields beyond them */
	int rc = pk__container_check((void **)&hdr, pool, off, k->magic,
			k->hdr_size);

	*out = NULL;
	if (rc != 0)
		return rc;
	if ((h = malloc(sizeof(*h))) == NULL)
		return pk__err(ENOMEM, NULL);
	h->pool = pool;
	h->off = off;
	h->gen = hdr->gen;
	h->magic = k->magic;
	pk__pool_ref(pool);
	*out = h;
	return 0;
}

/* container_new -- create a container of kind k and a handle to it */
static int
container_new(struct pk_handle **out, pk_pool *pool, const struct pk_kind *k,
		const void *arg)
{
	struct pk_op op;
	uint64_t off = 0;
	int rc;

	if (out == NULL)
		return pk__err(EINVAL, "NULL out");
	*out = NULL;
	if ((rc = pk__op_begin(&op, pool, 1)) != 0 ||
	    (rc = pk__op_end(&op, k->create(pool, &off, arg))) != 0)
		return rc;
	return pk__handle_new(out, pool, off, k);
}

/* container_open -- a new handle to the container a value refers to */
static int
container_open(struct pk_handle **out, pk_pool *pool, const pk_value *val,
		const struct pk_kind *k)
{
	int rc;

	if (out == NULL)
		return pk__err(EINVAL, "NULL out");
	*out = NULL;
	if (pool == NULL || val == NULL)
		return pk__err(EINVAL, "NULL argument");
	if (pool->pop == NULL)
		return pk__err(PK_ECLOSED, NULL);
	if (val->type != k->type)
		return pk__err(PK_EKIND, "the value is not a %s", k->name);
	rc = pk__handle_new(out, pool, val->u.ref.off, k);
	if (rc == 0 && (*out)->gen != val->u.ref.gen) {
		pk__container_close(*out);
		*out = NULL;
		rc = pk__err(PK_ESTALE, NULL);
	}
	/*
	 * Another kind of container at that offset is PK_EKIND only if it is
	 * the very container the reference names (a value tagged with the
	 * wrong type); of another generation it is a later object in the
	 * memory of one that no longer exists: PK_ESTALE.
	 */
	if (rc == PK_EKIND) {
		const struct pk_obj_hdr *h = pk__ptr(pool, val->u.ref.off,
				sizeof(*h));
		if (h->gen != val->u.ref.gen)
			rc = pk__err(PK_ESTALE, NULL);
	}
	return rc == PK_ECORRUPT ? pk__err(PK_ESTALE, NULL) : rc;
}

/* pk__container_close -- release a handle (NULL is a no-op) */
void
pk__container_close(struct pk_handle *h)
{
	if (h == NULL)
		return;
	pk__pool_unref(h->pool);
	free(h);
}

/* pk__container_value -- the value that refers to the container of h */
pk_value
pk__container_value(const struct pk_handle *h, const struct pk_kind *k)
{
	pk_value v;

	v.type = k->type;
	v.u.ref.off = h != NULL ? h->off : 0;
	v.u.ref.gen = h != NULL ? h->gen : 0;
	return v;
}

/* pk__handle_get -- the container a handle refers to, checked */
int
pk__handle_get(void **out, const struct pk_handle *h)
{
	struct pk_obj_hdr *hdr;

	if (PK_UNLIKELY(h == NULL))
		return pk__err(EINVAL, "NULL handle");
	if (PK_UNLIKELY(h->pool->pop == NULL))
		return pk__err(PK_ECLOSED, NULL);
	if (PK_UNLIKELY((hdr = pk__handle_peek(h)) == NULL))
		return pk__err(PK_ESTALE, NULL);
	*out = hdr;
	return 0;
}

/* container_hdr -- the header of the container of h, checked as its kind
 * requires */
static int
container_hdr(const char **out, const struct pk_handle *h,
		const struct pk_kind *k)
{
	int rc = pk__handle_get((void **)out, h);

	if (rc == 0 && k->check != NULL)
		rc = k->check(h->pool, *out);
	return rc;
}

/* container_length -- the container's number of entries */
static int
container_length(uint64_t *out, const struct pk_handle *h,
		const struct pk_kind *k)
{
	const char *hdr;
	int rc;

	if (out == NULL)
		return pk__err(EINVAL, "NULL out");
	if ((rc = container_hdr(&hdr, h, k)) != 0)
		return rc;
	if (k->length != NULL)
		*out = k->length(h->pool, hdr, &rc);
	else
		*out = *(const uint64_t *)(hdr + k->count_off);
	return rc;
}

/* pk__cursor_make -- a cursor at the first entry of the container of h */
int
pk__cursor_make(struct pk_cursor **out, const struct pk_handle *h,
		const struct pk_kind *k)
{
	struct pk_cursor *c;
	const char *hdr;
	int rc;

	if (out == NULL)
		return pk__err(EINVAL, "NULL out");
	*out = NULL;
	if ((rc = container_hdr(&hdr, h, k)) != 0)
		return rc;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return pk__err(ENOMEM, NULL);
	c->h = *h;
	pk__pool_ref(c->h.pool);
	c->modcount = *(const uint64_t *)(hdr + k->modcount_off);
	*out = c;
	return 0;
}

/* container_clear -- empty the container of h */
static int
container_clear(const struct pk_handle *h, const struct pk_kind *k)
{
	struct pk_obj_hdr *hdr;
	struct pk_op op;
	pk_value self;
	int rc;

	if ((rc = container_hdr((const char **)&hdr, h, k)) != 0 ||
	    (rc = pk__op_begin(&op, h->pool, 1)) != 0)
		return rc;
	/*
	 * Hold a reference while the entries are released: one of them may
	 * hold the last other reference to this container. Dropping the
	 * hold at the end leaves a container that had no other reference as
	 * unreferenced as a new one (gc frees it), not freed under its
	 * handles.
	 */
	self = pk__container_value(h, k);
	if ((rc = pk__ref_acquire(h->pool, &self)) == 0 &&
	    (rc = k->clear(h->pool, hdr)) == 0)
		hdr->refcount--;	/* snapshotted by pk__ref_acquire() */
	return pk__op_end(&op, rc);
}

/* ---- the public functions of every kind, each under its locks ---- */

/* pk__container_new -- container_new() under the pool's exclusive lock */
int
pk__container_new(struct pk_handle **out, pk_pool *pool,
		const struct pk_kind *k, const void *arg)
{
	struct pk_lock l;
	int rc;

	/* exclusive: a new container takes the pool's generation counter */
	pk__lock(&l, pool, PK_EXCL);
	rc = container_new(out, pool, k, arg);
	pk__unlock(&l);
	return rc;
}

/* pk__container_open -- container_open() under the pool's shared lock */
int
pk__container_open(struct pk_handle **out, pk_pool *pool, const pk_value *val,
		const struct pk_kind *k)
{
	struct pk_lock l;
	int rc;

	pk__lock(&l, pool, PK_SHARED);
	rc = container_open(out, pool, val, k);
	pk__unlock(&l);
	return rc;
}

/* pk__container_length -- container_length() as an optimistic read */
int
pk__container_length(uint64_t *out, const struct pk_handle *h,
		const struct pk_kind *k)
{
	struct pk_read r;
	int rc;

	pk__read_begin(&r, h, PK_READ_OPTIMISTIC);
	do
		rc = container_length(out, h, k);
	while (!pk__read_done(&r));
	return rc;
}

/* pk__container_cursor -- container_cursor() under the container's locks */
int
pk__container_cursor(struct pk_cursor **out, const struct pk_handle *h,
		const struct pk_kind *k)
{
	struct pk_read r;
	int rc;

	pk__read_begin(&r, h, PK_READ_LOCKED);
	do
		rc = pk__cursor_make(out, h, k);
	while (!pk__read_done(&r));
	return rc;
}

/* pk__container_clear -- container_clear() under the pool's exclusive lock */
int
pk__container_clear(const struct pk_handle *h, const struct pk_kind *k)
{
	struct pk_lock l;
	int rc;

	/* exclusive: it may free what its entries refer to */
	pk__lock(&l, h != NULL ? h->pool : NULL, PK_EXCL);
	rc = container_clear(h, k);
	pk__unlock(&l);
	return rc;
}

/* flags_target -- the header of the container ref refers to, checked */
static int
flags_target(struct pk_obj_hdr **out, pk_pool *pool, const pk_value *ref)
{
	if (pool == NULL || ref == NULL)
		return pk__err(EINVAL, "NULL argument");
	if (pool->pop == NULL)
		return pk__err(PK_ECLOSED, NULL);
	return pk__ref_target(out, pool, ref);
}

/* container_flags -- read the flags of the container ref refers to */
static int
container_flags(uint16_t *out, pk_pool *pool, const pk_value *ref)
{
	struct pk_obj_hdr *h;
	int rc;

	if (out == NULL)
		return pk__err(EINVAL, "NULL out");
	if ((rc = flags_target(&h, pool, ref)) != 0)
		return rc;
	*out = h->flags;
	return 0;
}

/*
 * container_set_flags -- set the flags of the container ref refers to, in a
 * transaction
 */
static int
container_set_flags(pk_pool *pool, const pk_value *ref, uint16_t flags)
{
	struct pk_obj_hdr *h;
	struct pk_op op;
	int rc;

	if ((rc = flags_target(&h, pool, ref)) != 0 ||
	    (rc = pk__op_begin(&op, pool, 1)) != 0)
		return rc;
	rc = pk__snap(&h->flags, sizeof(h->flags));
	if (rc == 0)
		h->flags = flags;
	return pk__op_end(&op, rc);
}

/* ---- the public functions, each under its locks (lock.c) ---- */

/* pk_container_flags -- the container flags, from PK_FLAG_TABLE (pmemkit.h) */
int
pk_container_flags(uint16_t *out, pk_pool *pool, const pk_value *ref)
{
	struct pk_lock l;
	int rc;

	pk__lock(&l, pool, PK_SHARED);
	rc = container_flags(out, pool, ref);
	pk__unlock(&l);
	return rc;
}

/*
 * pk_container_set_flags -- set a container's flags, atomically (in the
 * caller's transaction if one is open) (pmemkit.h)
 */
int
pk_container_set_flags(pk_pool *pool, const pk_value *ref, uint16_t flags)
{
	struct pk_lock l;
	int rc;

	pk__lock(&l, pool, PK_EXCL);
	rc = container_set_flags(pool, ref, flags);
	pk__unlock(&l);
	return rc;
}
