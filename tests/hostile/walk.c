/*
 * walk.c -- read everything a (possibly damaged) pool holds through the
 * public API, then check it, collect it and check it again
 *
 * Every byte a call hands out is read (strings, blobs, array data), so a
 * length or offset the library failed to bound faults here. A cursor that
 * returns more entries than the pool can hold has met a cycle it did not
 * bound: that is reported as an invariant failure, as is any return code
 * outside pmemkit's table and errno.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <libpmemobj.h>

#include "internal.h"
#include "hostile.h"

const char *const hx_stage_name[] = {
	"start", "open", "walk", "check", "gc", "check2", "defrag", "foreign",
	"close", "done",
};

int
hx_known_code(int rc)
{
	return rc == 0 || (rc >= PK_NOTFOUND - 15 && rc <= PK_NOTFOUND) ||
		(rc > 0 && rc < 134);
}

const char *
hx_code_name(int rc, char *buf, size_t len)
{
	const char *s = rc == 0 ? "OK" : pk_strerror(rc);
	size_t n = strcspn(s, ":");

	snprintf(buf, len, "%.*s", (int)n, s);
	return buf;
}

struct walker {
	pk_pool *pool;
	struct hx_result *r;
	uint64_t limit;		/* more cursor steps than this: a loop */
	uint64_t *seen;		/* container offsets walked (open addressing) */
	size_t cap, n;
	pk_value *todo;		/* containers to walk */
	size_t ntodo, captodo;
	volatile uint64_t sink;	/* what the reads add up to */
};

static void
bad(struct walker *w, const char *what, int rc)
{
	if (w->r->bad)
		return;
	w->r->bad = 1;
	snprintf(w->r->why, sizeof(w->r->why), "%s (rc %d: %s)", what, rc,
			pk_errormsg());
}

/* note -- a call's outcome: keep the walk's first error */
static int
note(struct walker *w, int rc, const char *call)
{
	if (!hx_known_code(rc))
		bad(w, call, rc);
	if (rc != 0 && rc != PK_ITEROVER && w->r->walk_rc == 0)
		w->r->walk_rc = rc;
	return rc;
}

/* seen -- 1 if off was walked already, else remember it */
static int
seen(struct walker *w, uint64_t off)
{
	if (2 * (w->n + 1) > w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 256;
		uint64_t *t = calloc(cap, sizeof(*t));
		if (t == NULL)
			return 1;
		for (size_t i = 0; i < w->cap; i++) {
			if (w->seen[i] == 0)
				continue;
			size_t j = (w->seen[i] * 0x9E3779B97F4A7C15ULL) >> 7;
			while (t[j & (cap - 1)] != 0)
				j++;
			t[j & (cap - 1)] = w->seen[i];
		}
		free(w->seen);
		w->seen = t;
		w->cap = cap;
	}
	size_t j = (off * 0x9E3779B97F4A7C15ULL) >> 7;
	for (;; j++) {
		uint64_t *e = &w->seen[j & (w->cap - 1)];
		if (*e == off)
			return 1;
		if (*e == 0) {
			*e = off;
			w->n++;
			return 0;
		}
	}
}

/* touch -- read every byte a value lends; queue the containers */
static void
touch(struct walker *w, const pk_value *v)
{
	uint64_t sum = 0;

	switch (v->type) {
	case PK_BYTES:
	case PK_STRING:
	case PK_BIGINT:
		for (size_t i = 0; i < v->u.buf.len; i++)
			sum += ((const uint8_t *)v->u.buf.ptr)[i];
		w->sink += sum;
		return;
	case PK_TUPLE:
	case PK_FROZENSET: {
		/* the library checks a tuple it reads: every item decodes */
		pk_value item;
		size_t pos = 0;
		int rc;
		while ((rc = pk_tuple_next(&item, v, &pos)) == 0)
			touch(w, &item);
		if (rc != PK_ITEROVER)
			bad(w, "a tuple read from the pool does not decode", rc);
		return;
	}
	case PK_MAP:
	case PK_LIST:
	case PK_ARRAY:
	case PK_LOG:
	case PK_BLOCKS:
	case PK_SET:
	case PK_RECORD:
	case PK_SORTED:
		if (v->u.ref.off == 0 || seen(w, v->u.ref.off))
			return;
		if (w->ntodo == w->captodo) {
			size_t cap = w->captodo ? w->captodo * 2 : 64;
			pk_value *t = realloc(w->todo, cap * sizeof(*t));
			if (t == NULL)
				return;
			w->todo = t;
			w->captodo = cap;
		}
		w->todo[w->ntodo++] = *v;
		return;
	default:
		w->sink += (uint64_t)v->u.i;
		return;
	}
}

/* a copy of a key that outlives nothing but this walk step */
static int
same_value(const pk_value *a, const pk_value *b)
{
	if (a->type != b->type)
		return 0;
	switch (a->type) {
	case PK_BYTES:
	case PK_STRING:
	case PK_BIGINT:
		return a->u.buf.len == b->u.buf.len &&
			memcmp(a->u.buf.ptr, b->u.buf.ptr, a->u.buf.len) == 0;
	case PK_MAP:
	case PK_LIST:
	case PK_ARRAY:
	case PK_LOG:
	case PK_BLOCKS:
	case PK_SET:
	case PK_RECORD:
	case PK_SORTED:
		return a->u.ref.off == b->u.ref.off;
	default:
		return a->u.i == b->u.i;
	}
}

static void
walk_cursor(struct walker *w, pk_cursor *c, uint64_t limit, const char *what,
		pk_map *map)
{
	pk_value k, v, g;
	uint64_t steps = 0;
	int rc;

	while ((rc = pk_cursor_next(&k, &v, c)) == 0) {
		w->r->entries++;
		touch(w, &k);
		touch(w, &v);
		if (map != NULL) {
			/* every key a cursor gives must be found again */
			int in = 0;
			if (note(w, pk_map_get(&g, map, &k), "pk_map_get") == 0)
				w->sink += same_value(&g, &v);
			note(w, pk_map_contains(&in, map, &k),
					"pk_map_contains");
		}
		if (++steps > limit) {
			bad(w, what, 0);
			break;
		}
	}
	note(w, rc, "pk_cursor_next");
}

static void
walk_map(struct walker *w, const pk_value *ref)
{
	pk_map *m;
	pk_cursor *c;
	uint64_t n;
	pk_value g, probe = pk_int(987654321);

	if (note(w, pk_map_open(&m, w->pool, ref), "pk_map_open") != 0)
		return;
	note(w, pk_map_length(&n, m), "pk_map_length");
	if (note(w, pk_map_cursor(&c, m), "pk_map_cursor") == 0) {
		walk_cursor(w, c, w->limit, "map cursor did not end", m);
		pk_cursor_free(c);
	}
	/* a key that is not there: a whole chain is searched */
	int rc = pk_map_get(&g, m, &probe);
	if (rc != PK_NOTFOUND)
		note(w, rc, "pk_map_get");
	pk_map_close(m);
}

/* walk_set -- every element by the cursor, each found again */
static void
walk_set(struct walker *w, const pk_value *ref)
{
	pk_set *s;
	pk_cursor *c;
	pk_value k, v, probe = pk_int(987654321);
	uint64_t n = 0, i = 0;
	int rc, in;

	if (note(w, pk_set_open(&s, w->pool, ref), "pk_set_open") != 0)
		return;
	if (note(w, pk_set_length(&n, s), "pk_set_length") != 0)
		n = w->limit;
	if (note(w, pk_set_cursor(&c, s), "pk_set_cursor") == 0) {
		while ((rc = pk_cursor_next(&k, &v, c)) == 0) {
			touch(w, &k);
			if (++i > w->limit) {
				bad(w, "set cursor did not end", 0);
				break;
			}
			/* damage can hide an element from its lookup (a
			 * slot's hash), as for a map's keys: noted, no more */
			note(w, pk_set_contains(&in, s, &k), "pk_set_contains");
		}
		if (rc != 0)
			note(w, rc, "pk_cursor_next");
		pk_cursor_free(c);
	}
	rc = pk_set_contains(&in, s, &probe);
	note(w, rc, "pk_set_contains");
	pk_set_close(s);
}

/*
 * walk_sorted -- every entry forward (each found again) and backward, the
 * ends and the middle by index, and the order's lookups of a key that is
 * not there: whatever the damage, each ends with a result or a code
 */
static void
walk_sorted(struct walker *w, const pk_value *ref)
{
	pk_sorted *m;
	pk_cursor *c;
	pk_sorted_range rg = PK_SORTED_RANGE_INIT;
	pk_value k, v, g, probe = pk_int(987654321), pre = pk_string("a ", 2);
	uint64_t n = 0, i = 0, rank;
	int rc, in;

	if (note(w, pk_sorted_open(&m, w->pool, ref), "pk_sorted_open") != 0)
		return;
	if (note(w, pk_sorted_length(&n, m), "pk_sorted_length") != 0)
		n = 0;
	if (note(w, pk_sorted_cursor(&c, m), "pk_sorted_cursor") == 0) {
		while ((rc = pk_cursor_next(&k, &v, c)) == 0) {
			w->r->entries++;
			touch(w, &k);
			touch(w, &v);
			if (++i > w->limit) {
				bad(w, "sorted map cursor did not end", 0);
				break;
			}
			if (note(w, pk_sorted_get(&g, m, &k),
					"pk_sorted_get") == 0)
				w->sink += same_value(&g, &v);
			note(w, pk_sorted_contains(&in, m, &k),
					"pk_sorted_contains");
		}
		if (rc != 0)
			note(w, rc, "pk_cursor_next");
		pk_cursor_free(c);
	}
	rg.reverse = 1;
	rg.prefix = &pre;
	if (note(w, pk_sorted_range_cursor(&c, m, &rg),
			"pk_sorted_range_cursor") == 0) {
		i = 0;
		while ((rc = pk_cursor_next(&k, &v, c)) == 0 &&
				++i <= w->limit)
			touch(w, &k);
		if (rc != 0)
			note(w, rc, "pk_cursor_next");
		pk_cursor_free(c);
	}
	int64_t at[3] = { 0, -1, (int64_t)(n / 2) };
	for (int j = 0; j < 3 && n > 0; j++)
		if (note(w, pk_sorted_at(&k, &v, m, at[j]), "pk_sorted_at")
				== 0)
			touch(w, &k);
	note(w, pk_sorted_rank(&rank, m, &probe, 1), "pk_sorted_rank");
	for (int how = PK_SEEK_GE; how <= PK_SEEK_LT; how++)
		if (note(w, pk_sorted_seek(&k, &v, m, &probe, (pk_seek)how),
				"pk_sorted_seek") == 0)
			touch(w, &k);
	pk_sorted_close(m);
}

/* walk_record -- the class name, every attribute by the cursor, each
 * read again by name */
static void
walk_record(struct walker *w, const pk_value *ref)
{
	pk_record *r;
	pk_cursor *c;
	pk_value k, v, probe = pk_string("no such attribute", 17);
	uint64_t n = 0, i = 0;
	int rc;

	if (note(w, pk_record_open(&r, w->pool, ref), "pk_record_open") != 0)
		return;
	if (note(w, pk_record_class(&v, r), "pk_record_class") == 0)
		touch(w, &v);
	note(w, pk_record_length(&n, r), "pk_record_length");
	if (note(w, pk_record_cursor(&c, r), "pk_record_cursor") == 0) {
		while ((rc = pk_cursor_next(&k, &v, c)) == 0) {
			touch(w, &k);
			touch(w, &v);
			if (++i > w->limit) {
				bad(w, "record cursor did not end", 0);
				break;
			}
			if (k.type != PK_STRING)
				continue;	/* damage: get refuses it */
			if (note(w, pk_record_get(&v, r, &k),
					"pk_record_get") == 0)
				touch(w, &v);
		}
		if (rc != 0)
			note(w, rc, "pk_cursor_next");
		pk_cursor_free(c);
	}
	rc = pk_record_get(&v, r, &probe);
	if (rc != PK_NOTFOUND)
		note(w, rc, "pk_record_get");
	pk_record_close(r);
}

static void
walk_list(struct walker *w, const pk_value *ref)
{
	pk_list *l;
	pk_cursor *c;
	pk_value v;
	uint64_t n = 0, i;
	int rc;

	if (note(w, pk_list_open(&l, w->pool, ref), "pk_list_open") != 0)
		return;
	note(w, pk_list_length(&n, l), "pk_list_length");
	if (note(w, pk_list_cursor(&c, l), "pk_list_cursor") == 0) {
		walk_cursor(w, c, w->limit, "list cursor did not end", NULL);
		pk_cursor_free(c);
	}
	/* every index, up to the first that fails; then the ends */
	for (i = 0; i < n && i <= w->limit; i++) {
		if (note(w, pk_list_get(&v, l, (int64_t)i), "pk_list_get") != 0)
			break;
		touch(w, &v);
	}
	if (note(w, pk_list_get(&v, l, -1), "pk_list_get") == 0)
		touch(w, &v);
	rc = pk_list_get(&v, l, (int64_t)n);
	if (rc != PK_ERANGE)
		note(w, rc, "pk_list_get");
	pk_list_close(l);
}

/* walk_log -- every record, its counts, and positions into it */
static void
walk_log(struct walker *w, const pk_value *ref)
{
	pk_log *log;
	pk_cursor *c;
	uint64_t n = 0, nbytes, end;

	if (note(w, pk_log_open(&log, w->pool, ref), "pk_log_open") != 0)
		return;
	/* a length that fails leaves the cursor bounded by the walk's
	 * limit (it fails too, unless the damage is further on) */
	if (note(w, pk_log_length(&n, log), "pk_log_length") != 0)
		n = w->limit;
	note(w, pk_log_nbytes(&nbytes, log), "pk_log_nbytes");
	if (note(w, pk_log_tell(&end, log), "pk_log_tell") == 0 &&
	    note(w, pk_log_cursor_at(&c, log, end), "pk_log_cursor_at") == 0) {
		int rc = pk_cursor_next(NULL, NULL, c);
		if (rc != PK_ITEROVER)
			note(w, rc, "pk_cursor_next");
		pk_cursor_free(c);
	}
	if (note(w, pk_log_cursor(&c, log), "pk_log_cursor") == 0) {
		/* as many records as the length says, no more */
		walk_cursor(w, c, n, "log cursor went past the length", NULL);
		pk_cursor_free(c);
	}
	pk_log_close(log);
}

/* walk_blocks -- every block, by reads and by the cursor */
static void
walk_blocks(struct walker *w, const pk_value *ref)
{
	static uint8_t buf[PK_BLOCK_MAX];
	pk_blocks *b;
	pk_cursor *c;
	uint64_t n = 0, bsize;

	if (note(w, pk_blocks_open(&b, w->pool, ref), "pk_blocks_open") != 0)
		return;
	if (note(w, pk_blocks_length(&n, b), "pk_blocks_length") != 0)
		n = 0;
	note(w, pk_blocks_block_size(&bsize, b), "pk_blocks_block_size");
	for (uint64_t i = 0; i < n && i < w->limit; i++) {
		int rc = pk_blocks_read(buf, sizeof(buf), b, i);
		if (rc != EIO)
			note(w, rc, "pk_blocks_read");
	}
	/* the cursor, which a bad block ends with EIO: the seed has one */
	if (note(w, pk_blocks_cursor(&c, b), "pk_blocks_cursor") == 0) {
		pk_value k, v;
		uint64_t i = 0;
		int rc;
		while ((rc = pk_cursor_next(&k, &v, c)) == 0) {
			touch(w, &v);
			if (++i > n) {
				bad(w, "block cursor went past the length", 0);
				break;
			}
		}
		if (rc != EIO && rc != 0)
			note(w, rc, "pk_cursor_next");
		pk_cursor_free(c);
	}
	pk_blocks_close(b);
}

static void
walk_array(struct walker *w, const pk_value *ref)
{
	pk_array *a;
	pk_cursor *c;
	pk_elem elem;
	size_t width, len = 0;
	const void *data;
	uint64_t n = 0, sum = 0;
	pk_value v;

	if (note(w, pk_array_open(&a, w->pool, ref), "pk_array_open") != 0)
		return;
	note(w, pk_array_length(&n, a), "pk_array_length");
	note(w, pk_array_type(&elem, &width, a), "pk_array_type");
	if (note(w, pk_array_data(&data, &len, a), "pk_array_data") == 0) {
		for (size_t i = 0; i < len; i++)
			sum += ((const uint8_t *)data)[i];
		w->sink += sum;
		/* the same bytes copied out */
		void *buf = len ? malloc(len) : NULL;
		if (buf != NULL) {
			note(w, pk_array_read(buf, a, 0, n), "pk_array_read");
			free(buf);
		}
	}
	if (note(w, pk_array_cursor(&c, a), "pk_array_cursor") == 0) {
		/* as many elements as the length says, no more */
		walk_cursor(w, c, n, "array cursor went past the length",
				NULL);
		pk_cursor_free(c);
	}
	for (uint64_t i = 0; i < n && i < 4096; i++) {
		if (note(w, pk_array_get(&v, a, (int64_t)i), "pk_array_get"))
			break;
		touch(w, &v);
	}
	pk_array_close(a);
}

static void
walk_all(struct walker *w)
{
	pk_map *root;
	pk_value v;
	uint16_t flags;

	if (note(w, pk_pool_root(&root, w->pool), "pk_pool_root") != 0)
		return;
	v = pk_map_value(root);
	pk_map_close(root);
	touch(w, &v);
	while (w->ntodo > 0) {
		v = w->todo[--w->ntodo];
		w->r->containers++;
		note(w, pk_container_flags(&flags, w->pool, &v),
				"pk_container_flags");
		switch (v.type) {
		case PK_MAP: {
			/* a reference opened as another kind is refused */
			pk_list *l;
			int rc = pk_list_open(&l, w->pool, &v);
			if (rc == 0) {
				bad(w, "a map opened as a list", rc);
				pk_list_close(l);
			}
			walk_map(w, &v);
			break;
		}
		case PK_LIST: walk_list(w, &v); break;
		case PK_LOG: walk_log(w, &v); break;
		case PK_BLOCKS: walk_blocks(w, &v); break;
		case PK_SET: walk_set(w, &v); break;
		case PK_RECORD: walk_record(w, &v); break;
		case PK_SORTED: walk_sorted(w, &v); break;
		default: walk_array(w, &v); break;
		}
	}
}

/*
 * foreign_intact -- the foreign object is still allocated, unchanged
 * (through libpmemobj's list of objects of the open pool)
 */
static int
foreign_intact(pk_pool *pool)
{
	int found = 0;

	for (PMEMoid o = pmemobj_first(pool->pop); !OID_IS_NULL(o);
			o = pmemobj_next(o)) {
		const uint8_t *p = pmemobj_direct(o);
		if (pmemobj_type_num(o) != HX_FOREIGN_TN ||
		    pmemobj_alloc_usable_size(o) < HX_FOREIGN_SIZE)
			continue;
		found = 1;
		for (unsigned i = 0; i < HX_FOREIGN_SIZE; i++)
			if (p[i] != HX_FOREIGN_BYTE)
				found = 0;
	}
	return found;
}

void
hx_walk_file(const char *path, struct hx_result *r, int check_foreign)
{
	struct walker w;
	pk_check_report rep = PK_CHECK_REPORT_INIT;
	struct stat st;

	memset(r, 0, sizeof(*r));
	memset(&w, 0, sizeof(w));
	w.r = r;
	r->stage = HX_ST_OPEN;
	r->open_rc = pk_pool_open(&w.pool, path);
	if (!hx_known_code(r->open_rc))
		bad(&w, "pk_pool_open", r->open_rc);
	if (r->open_rc != 0) {
		snprintf(r->open_why, sizeof(r->open_why), "%s",
				pk_errormsg());
		r->stage = HX_ST_DONE;
		return;
	}
	/* more entries than slots or cells fit in the pool: a loop */
	w.limit = stat(path, &st) == 0 ? (uint64_t)st.st_size / 16 : 1u << 20;
	r->stage = HX_ST_WALK;
	walk_all(&w);
	/* the space accounting walks what check walks: codes, no crash */
	for (int t = PK_MAP; t <= PK_RECORD; t++) {
		uint64_t n, b;
		int rc = pk_pool_kind_stats(&n, &b, w.pool, (pk_type)t);
		if (!hx_known_code(rc))
			bad(&w, "pk_pool_kind_stats", rc);
	}
	{
		pk_map *root;
		uint64_t shallow, deep;
		if (pk_pool_root(&root, w.pool) == 0) {
			pk_value rv = pk_map_value(root);
			int rc = pk_container_bytes(&shallow, &deep, w.pool,
					&rv);
			if (!hx_known_code(rc))
				bad(&w, "pk_container_bytes", rc);
			pk_map_close(root);
		}
	}
	r->stage = HX_ST_CHECK;
	r->check_rc = pk_pool_check(&rep, w.pool);
	if (!hx_known_code(r->check_rc))
		bad(&w, "pk_pool_check", r->check_rc);
	r->stage = HX_ST_GC;
	r->gc_rc = pk_pool_gc(&r->freed, w.pool);
	if (!hx_known_code(r->gc_rc))
		bad(&w, "pk_pool_gc", r->gc_rc);
	if (r->gc_rc == 0) {
		r->stage = HX_ST_CHECK2;
		r->check2_rc = pk_pool_check(&rep, w.pool);
		if (!hx_known_code(r->check2_rc))
			bad(&w, "pk_pool_check after gc", r->check2_rc);
	}
	/* a pool that checks clean stays so through a defrag */
	if (r->gc_rc == 0 && r->check2_rc == 0) {
		int rc;
		r->stage = HX_ST_DEFRAG;
		rc = pk_pool_defrag(NULL, w.pool);
		if (!hx_known_code(rc))
			bad(&w, "pk_pool_defrag", rc);
		if (rc == 0 && (rc = pk_pool_check(&rep, w.pool)) != 0)
			bad(&w, "pk_pool_check after defrag", rc);
	}
	if (check_foreign) {
		r->stage = HX_ST_FOREIGN;
		r->foreign_lost = !foreign_intact(w.pool);
	}
	r->stage = HX_ST_CLOSE;
	if (!hx_known_code(pk_pool_close(w.pool)))
		bad(&w, "pk_pool_close", 0);
	free(w.seen);
	free(w.todo);
	r->stage = HX_ST_DONE;
}
