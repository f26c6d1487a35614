/*
 * pf_dump.c -- the contents of a pool in a canonical form, read through
 * the public API only: map entries sorted by their encoded keys, lists and
 * sorted maps in order, arrays as type, width and bytes, and every container's flags.
 * Two pools with equal dumps hold the same data, whatever their layout.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pf.h"

#define MAX_DEPTH 64

void
pf_buf_add(struct pf_buf *b, const void *p, size_t n)
{
	if (b->n + n > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->n + n)
			cap *= 2;
		unsigned char *q = realloc(b->p, cap);
		if (q == NULL)
			abort();
		b->p = q;
		b->cap = cap;
	}
	if (n)
		memcpy(b->p + b->n, p, n);
	b->n += n;
}

void
pf_buf_free(struct pf_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

static void
add_u64(struct pf_buf *b, uint64_t x)
{
	pf_buf_add(b, &x, sizeof(x));
}

static int dump_value(struct pf_buf *b, pk_pool *pool, const pk_value *v,
		const uint64_t *path, int depth);

static int
dump_flags(struct pf_buf *b, pk_pool *pool, const pk_value *v)
{
	uint16_t f;
	int rc = pk_container_flags(&f, pool, v);
	if (rc == 0)
		add_u64(b, f);
	return rc;
}

/* one map entry, encoded apart so entries can be sorted */
struct entry {
	struct pf_buf key, all;
};

static int
cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	size_t n = x->key.n < y->key.n ? x->key.n : y->key.n;
	int c = memcmp(x->key.p, y->key.p, n);
	return c ? c : (x->key.n > y->key.n) - (x->key.n < y->key.n);
}

static int
dump_map(struct pf_buf *b, pk_pool *pool, const pk_value *v,
		const uint64_t *path, int depth)
{
	/* a set is dumped as the map of nil values it is, a record as the
	 * map of its attributes after its class name */
	int set = v->type == PK_SET, rec = v->type == PK_RECORD;
	pk_map *m = NULL;
	pk_set *s = NULL;
	pk_record *r = NULL;
	pk_cursor *cur;
	pk_value k, val;
	struct entry *e = NULL;
	size_t n = 0, cap = 0;
	uint64_t len;
	int rc;

	if ((rc = set ? pk_set_open(&s, pool, v) : rec ?
			pk_record_open(&r, pool, v) :
			pk_map_open(&m, pool, v)) != 0)
		return rc;
	if (rec && (rc = pk_record_class(&val, r)) == 0)
		rc = dump_value(b, pool, &val, path, depth);
	if (rc == 0)
		rc = set ? pk_set_length(&len, s) : rec ?
			pk_record_length(&len, r) : pk_map_length(&len, m);
	if (rc == 0)
		rc = set ? pk_set_cursor(&cur, s) : rec ?
			pk_record_cursor(&cur, r) : pk_map_cursor(&cur, m);
	if (rc != 0) {
		pk_set_close(s);
		pk_record_close(r);
		pk_map_close(m);
		return rc;
	}
	while ((rc = pk_cursor_next(&k, &val, cur)) == 0) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			e = realloc(e, cap * sizeof(*e));
			if (e == NULL)
				abort();
		}
		memset(&e[n], 0, sizeof(e[n]));
		if ((rc = dump_value(&e[n].key, pool, &k, path, depth)) != 0 ||
		    (rc = dump_value(&e[n].all, pool, &val, path, depth)) != 0) {
			n++;
			break;
		}
		n++;
	}
	if (rc == PK_ITEROVER)
		rc = n == len ? 0 : PK_ECORRUPT; /* the count must agree */
	pk_cursor_free(cur);
	pk_set_close(s);
	pk_record_close(r);
	pk_map_close(m);
	if (rc == 0) {
		if (n > 0)
			qsort(e, n, sizeof(*e), cmp_entry);
		add_u64(b, n);
		for (size_t i = 0; i < n; i++) {
			add_u64(b, e[i].key.n);
			pf_buf_add(b, e[i].key.p, e[i].key.n);
			add_u64(b, e[i].all.n);
			pf_buf_add(b, e[i].all.p, e[i].all.n);
		}
	}
	for (size_t i = 0; i < n; i++) {
		pf_buf_free(&e[i].key);
		pf_buf_free(&e[i].all);
	}
	free(e);
	return rc;
}

/* dump_sorted -- a sorted map's entries in its order, which must be the
 * order of the same map before or after an operation; each key must be
 * found again by a lookup, which the separators of inner nodes guide
 * (the cursor goes by the counts alone) */
static int
dump_sorted(struct pf_buf *b, pk_pool *pool, const pk_value *v,
		const uint64_t *path, int depth)
{
	pk_sorted *m;
	pk_cursor *cur;
	pk_value k, val, again;
	uint64_t len, n = 0;
	int rc;

	if ((rc = pk_sorted_open(&m, pool, v)) != 0)
		return rc;
	if ((rc = pk_sorted_length(&len, m)) == 0 &&
	    (rc = pk_sorted_cursor(&cur, m)) == 0) {
		add_u64(b, len);
		while ((rc = pk_cursor_next(&k, &val, cur)) == 0 &&
		       (rc = dump_value(b, pool, &k, path, depth)) == 0 &&
		       (rc = dump_value(b, pool, &val, path, depth)) == 0) {
			n++;
			if (pk_sorted_get(&again, m, &k) != 0 ||
			    again.type != val.type) {
				rc = PK_ECORRUPT;	/* lost to lookups */
				break;
			}
		}
		if (rc == PK_ITEROVER)
			rc = n == len ? 0 : PK_ECORRUPT;
		pk_cursor_free(cur);
	}
	pk_sorted_close(m);
	return rc;
}

static int
dump_list(struct pf_buf *b, pk_pool *pool, const pk_value *v,
		const uint64_t *path, int depth)
{
	pk_list *l;
	uint64_t len;
	pk_value x;
	int rc;

	if ((rc = pk_list_open(&l, pool, v)) != 0)
		return rc;
	if ((rc = pk_list_length(&len, l)) == 0) {
		add_u64(b, len);
		for (uint64_t i = 0; i < len && rc == 0; i++)
			if ((rc = pk_list_get(&x, l, (int64_t)i)) == 0)
				rc = dump_value(b, pool, &x, path, depth);
	}
	pk_list_close(l);
	return rc;
}

static int
dump_array(struct pf_buf *b, pk_pool *pool, const pk_value *v)
{
	pk_array *a;
	pk_elem elem;
	size_t width, len;
	const void *data;
	uint64_t n;
	int rc;

	if ((rc = pk_array_open(&a, pool, v)) != 0)
		return rc;
	if ((rc = pk_array_type(&elem, &width, a)) == 0 &&
	    (rc = pk_array_length(&n, a)) == 0 &&
	    (rc = pk_array_data(&data, &len, a)) == 0) {
		if (len != n * width)
			rc = PK_ECORRUPT;
		add_u64(b, (uint64_t)elem);
		add_u64(b, width);
		add_u64(b, n);
		pf_buf_add(b, data, rc == 0 ? len : 0);
	}
	pk_array_close(a);
	return rc;
}

/* dump_log -- a log's records with their positions, and its counts,
 * which must agree with them */
static int
dump_log(struct pf_buf *b, pk_pool *pool, const pk_value *v)
{
	uint64_t len, nbytes, end, n = 0, sum = 0;
	pk_cursor *cur;
	pk_value k, rec;
	pk_log *log;
	int rc;

	if ((rc = pk_log_open(&log, pool, v)) != 0)
		return rc;
	if ((rc = pk_log_length(&len, log)) == 0 &&
	    (rc = pk_log_nbytes(&nbytes, log)) == 0 &&
	    (rc = pk_log_tell(&end, log)) == 0 &&
	    (rc = pk_log_cursor(&cur, log)) == 0) {
		add_u64(b, len);
		add_u64(b, end);
		while ((rc = pk_cursor_next(&k, &rec, cur)) == 0) {
			add_u64(b, (uint64_t)k.u.i);
			add_u64(b, rec.u.buf.len);
			pf_buf_add(b, rec.u.buf.ptr, rec.u.buf.len);
			n++;
			sum += rec.u.buf.len;
		}
		if (rc == PK_ITEROVER)
			rc = n == len && sum == nbytes ? 0 : PK_ECORRUPT;
		pk_cursor_free(cur);
	}
	pk_log_close(log);
	return rc;
}

/* dump_blocks -- a block array's size and blocks, a bad one as a mark */
static int
dump_blocks(struct pf_buf *b, pk_pool *pool, const pk_value *v)
{
	static uint8_t buf[PK_BLOCK_MAX];
	uint64_t n, bsize;
	pk_blocks *blk;
	int rc;

	if ((rc = pk_blocks_open(&blk, pool, v)) != 0)
		return rc;
	if ((rc = pk_blocks_length(&n, blk)) == 0 &&
	    (rc = pk_blocks_block_size(&bsize, blk)) == 0) {
		add_u64(b, n);
		add_u64(b, bsize);
		for (uint64_t i = 0; i < n && rc == 0; i++) {
			rc = pk_blocks_read(buf, sizeof(buf), blk, i);
			if (rc == EIO) {
				add_u64(b, 0xBADB10Cu);
				rc = 0;
			} else if (rc == 0) {
				pf_buf_add(b, buf, bsize);
			}
		}
	}
	pk_blocks_close(blk);
	return rc;
}

static int
dump_value(struct pf_buf *b, pk_pool *pool, const pk_value *v,
		const uint64_t *path, int depth)
{
	uint64_t here[MAX_DEPTH + 1];
	int rc;

	add_u64(b, (uint64_t)v->type);
	switch (v->type) {
	case PK_NIL:
		return 0;
	case PK_BOOL:
	case PK_INT:
		add_u64(b, (uint64_t)v->u.i);
		return 0;
	case PK_DOUBLE:
		pf_buf_add(b, &v->u.d, sizeof(v->u.d));
		return 0;
	case PK_BYTES:
	case PK_STRING:
	case PK_BIGINT:
	case PK_TUPLE:
	case PK_FROZENSET:
		add_u64(b, v->u.buf.len);
		pf_buf_add(b, v->u.buf.ptr, v->u.buf.len);
		return 0;
	case PK_MAP:
	case PK_LIST:
	case PK_ARRAY:
	case PK_LOG:
	case PK_BLOCKS:
	case PK_SET:
	case PK_RECORD:
	case PK_SORTED:
		break;
	default:
		return PK_ECORRUPT;
	}
	/* a container met again on the way down is a cycle: name it */
	for (int i = 0; i < depth; i++)
		if (path[i] == v->u.ref.off) {
			add_u64(b, 0xC7C1Eu);
			add_u64(b, (uint64_t)(depth - i));
			return 0;
		}
	if (depth >= MAX_DEPTH)
		return PK_ECORRUPT;
	if (depth > 0)
		memcpy(here, path, (size_t)depth * sizeof(*here));
	here[depth] = v->u.ref.off;
	if ((rc = dump_flags(b, pool, v)) != 0)
		return rc;
	if (v->type == PK_MAP || v->type == PK_SET || v->type == PK_RECORD)
		return dump_map(b, pool, v, here, depth + 1);
	if (v->type == PK_LIST)
		return dump_list(b, pool, v, here, depth + 1);
	if (v->type == PK_SORTED)
		return dump_sorted(b, pool, v, here, depth + 1);
	if (v->type == PK_LOG)
		return dump_log(b, pool, v);
	if (v->type == PK_BLOCKS)
		return dump_blocks(b, pool, v);
	return dump_array(b, pool, v);
}

int
pf_dump(struct pf_buf *out, pk_pool *pool)
{
	pk_map *root;
	int rc = pk_pool_root(&root, pool);
	if (rc != 0)
		return rc;
	pk_value v = pk_map_value(root);
	pk_map_close(root);
	return dump_value(out, pool, &v, NULL, 0);
}
