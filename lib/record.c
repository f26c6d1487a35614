/*
 * record.c -- the persistent record: an object of a named class whose
 * attributes are a map from names to values
 *
 * A record is a map (map.c, map_table.c) under a header of its own magic
 * and type number, as a set is (set.c), whose keys are text: the
 * attributes' names. The header's cls field holds the offset of a blob
 * with the class name, written when the record is created (in the same
 * transaction as the header) and never changed, so reading it takes no
 * lock. Setting and deleting an attribute are the map's put and remove,
 * so outside a transaction a small one commits with one atomic store.
 */
#include <errno.h>
#include <string.h>

#include "map.h"

/* rec_map -- the record as the map it is built on */
static inline pk_map *
rec_map(pk_record *rec)
{
	return (pk_map *)rec;
}

/* name_check -- an attribute's name must be text */
static int
name_check(const pk_value *name)
{
	if (name != NULL && name->type != PK_STRING)
		return pk__err(PK_EKEYTYPE, "a record's attribute names are "
				"strings");
	return 0;
}

struct record_arg {
	const char *cls;
	size_t len;
};

/* class_blob -- the blob of a record's class name, checked */
static const struct pk_blob *
class_blob(const pk_pool *pool, const struct pk_map_hdr *m)
{
	const struct pk_blob *b = pk__ptr(pool, m->cls, sizeof(*b));

	if (b == NULL || b->magic != PK_MAGIC_BLOB || b->len == 0 ||
	    b->len > PK_RECORD_CLASS_MAX ||
	    pk__ptr(pool, m->cls + sizeof(*b), b->len) == NULL)
		return NULL;
	return b;
}

/* record_create -- allocate a record with its class name and no
 * attributes (the kind's create); the pool is marked as one that holds
 * records */
static int
record_create(pk_pool *pool, uint64_t *off, const void *arg)
{
	const struct record_arg *a = arg;
	struct pk_map_hdr *m;
	struct pk_blob *b;
	uint64_t boff;
	int rc;

	if ((rc = pk__incompat_mark(pool, PK_INCOMPAT_RECORD)) != 0 ||
	    (rc = pk__map_create_as(pool, off, PK_MAGIC_RECORD,
			    PK_TN_RECORD)) != 0 ||
	    (rc = pk__alloc(pool, &boff, sizeof(*b) + a->len, PK_TN_BLOB,
			    0)) != 0)
		return rc;
	b = (struct pk_blob *)(pool->base + boff);
	b->magic = PK_MAGIC_BLOB;
	b->reserved = 0;
	b->len = a->len;
	memcpy(b->data, a->cls, a->len);
	m = (struct pk_map_hdr *)(pool->base + *off);
	m->cls = boff;
	return 0;
}

/* record_check -- a record's class name is a blob of a valid length */
static int
record_check(pk_pool *pool, const void *hdr)
{
	if (class_blob(pool, hdr) == NULL)
		return pk__err(PK_ECORRUPT, "bad class name of a record");
	return 0;
}

/* record_destroy -- free the class name, then the map */
static int
record_destroy(pk_pool *pool, uint64_t off)
{
	const struct pk_map_hdr *m = (void *)(pool->base + off);
	int rc;

	if (class_blob(pool, m) == NULL)
		return pk__err(PK_ECORRUPT, "bad class name of a record");
	if ((rc = pk__free(pool, m->cls)) != 0)
		return rc;
	return pk__map_destroy(pool, off);
}

/* record_walk -- the class name's blob, and what the map owns */
static int
record_walk(pk_pool *pool, uint64_t off, struct pk_walker *w)
{
	const struct pk_map_hdr *m = (void *)(pool->base + off);
	int rc;

	if (class_blob(pool, m) == NULL)
		return pk__err(PK_ECORRUPT, "bad class name of a record");
	/* not movable: its name is borrowed for as long as the record
	 * lives (pk_record_class()) */
	if ((rc = w->object(w, m->cls, NULL)) != 0)
		return rc;
	return pk__map_walk(pool, off, w);
}

const struct pk_kind pk__record_kind = {
	.type = PK_RECORD,
	.magic = PK_MAGIC_RECORD,
	.name = "record",
	.hdr_size = sizeof(struct pk_map_hdr),
	.type_num = PK_TN_RECORD,
	.incompat = PK_INCOMPAT_RECORD,
	.leaf_off = offsetof(struct pk_map_hdr, leaf),
	.modcount_off = offsetof(struct pk_map_hdr, modcount),
	.count_off = offsetof(struct pk_map_hdr, count),
	.create = record_create,
	.check = record_check,
	.destroy = record_destroy,
	.walk = record_walk,
	.cursor_next = pk__map_cursor_next,
};

/* pk_record_new -- create a record of a class (pmemkit.h) */
int
pk_record_new(pk_record **out, pk_pool *pool, const char *cls, size_t len)
{
	struct record_arg a = { cls, len };

	if (out != NULL)
		*out = NULL;
	if (cls == NULL && len != 0)
		return pk__err(EINVAL, "NULL class name");
	if (len == 0 || len > PK_RECORD_CLASS_MAX)
		return pk__err(PK_EVALUE, "a class name has 1 to %d bytes",
				PK_RECORD_CLASS_MAX);
	if (!pk__utf8_valid((const uint8_t *)cls, len))
		return pk__err(PK_EVALUE, "a class name is UTF-8 text");
	return pk__container_new((struct pk_handle **)out, pool,
			&pk__record_kind, &a);
}

/* pk_record_class -- the record's class name (pmemkit.h) */
int
pk_record_class(pk_value *out, pk_record *rec)
{
	const struct pk_map_hdr *m;
	const struct pk_blob *b;
	int rc;

	if (out == NULL || rec == NULL)
		return pk__err(EINVAL, "NULL argument");
	if ((rc = pk__handle_get((void **)&m, PK_HANDLE_OF(rec))) != 0)
		return rc;
	if ((b = class_blob(PK_HANDLE_OF(rec)->pool, m)) == NULL)
		return pk__err(PK_ECORRUPT, "bad class name of a record");
	*out = pk_string((const char *)b->data, b->len);
	return 0;
}

/* pk_record_get -- read an attribute (pmemkit.h) */
int
pk_record_get(pk_value *out, pk_record *rec, const pk_value *name)
{
	int rc = name_check(name);

	return rc != 0 ? rc : pk_map_get(out, rec_map(rec), name);
}

/* pk_record_put -- set an attribute (pmemkit.h) */
int
pk_record_put(pk_record *rec, const pk_value *name, const pk_value *val)
{
	int rc = name_check(name);

	return rc != 0 ? rc : pk_map_put(rec_map(rec), name, val);
}

/* pk_record_remove -- delete an attribute (pmemkit.h) */
int
pk_record_remove(pk_record *rec, const pk_value *name)
{
	int rc = name_check(name);

	return rc != 0 ? rc : pk_map_remove(rec_map(rec), name);
}

/* pk_record_contains -- whether the record has an attribute (pmemkit.h) */
int
pk_record_contains(int *out, pk_record *rec, const pk_value *name)
{
	int rc = name_check(name);

	return rc != 0 ? rc : pk_map_contains(out, rec_map(rec), name);
}

/* ---- what every kind does alike (handle.c) ---- */

/* pk_record_open -- open a handle to the record a value refers to
 * (pmemkit.h) */
int
pk_record_open(pk_record **out, pk_pool *pool, const pk_value *val)
{
	return pk__container_open((struct pk_handle **)out, pool, val,
			&pk__record_kind);
}

/* pk_record_close -- release a record handle (pmemkit.h) */
void
pk_record_close(pk_record *rec)
{
	pk__container_close(PK_HANDLE_OF(rec));
}

/* pk_record_value -- a value that refers to the record (pmemkit.h) */
pk_value
pk_record_value(const pk_record *rec)
{
	return pk__container_value(PK_HANDLE_OF(rec), &pk__record_kind);
}

/* pk_record_length -- number of attributes, in O(1) (pmemkit.h) */
int
pk_record_length(uint64_t *out, pk_record *rec)
{
	return pk__container_length(out, PK_HANDLE_OF(rec), &pk__record_kind);
}

/* pk_record_cursor -- iterate over the attributes (pmemkit.h) */
int
pk_record_cursor(pk_cursor **out, pk_record *rec)
{
	return pk__container_cursor(out, PK_HANDLE_OF(rec),
			&pk__record_kind);
}
