/*
 * load.c -- the dump notation (doc/notation.md) read into pmemkit values:
 * scalars without a pool (paths, checks before a pool is opened),
 * containers created in the pool, inside the caller's transaction
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "pk.h"

/* bigint_parse -- decimal text to minimal two's complement bytes;
 * returns -1 for bad text */
static int bigint_parse(unsigned char **out, size_t *len, const char *s,
		size_t n)
{
	int neg = 0;
	if (n && s[0] == '-') { neg = 1; s++; n--; }
	if (!n || n > 100000) return -1;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9') return -1;
	size_t cap = n / 2 + 2;
	unsigned char *le = calloc(cap, 1);
	if (!le) die("out of memory");
	for (size_t i = 0; i < n; i++) {
		unsigned carry = s[i] - '0';
		for (size_t k = 0; k < cap; k++) {
			unsigned v = le[k] * 10 + carry;
			le[k] = v & 0xff;
			carry = v >> 8;
		}
	}
	if (neg) {
		unsigned carry = 1;
		for (size_t k = 0; k < cap; k++) {
			unsigned v = (~le[k] & 0xff) + carry;
			le[k] = v & 0xff;
			carry = v >> 8;
		}
	}
	size_t m = cap;
	while (m > 1) {
		if (le[m - 1] == 0 && !(le[m - 2] & 0x80)) m--;
		else if (le[m - 1] == 0xff && (le[m - 2] & 0x80)) m--;
		else break;
	}
	*out = le;
	*len = m;
	return 0;
}

/* ---- the loader ---- */

struct loader {
	pk_pool *pool;
	int tuples;        /* paths: [...] is a tuple */
	pk_value *ids;     /* by $id */
	size_t nids;
	void **arena;      /* buffers values point into */
	size_t narena, carena;
	uint64_t count;
	char err[512];
};

struct loader *loader_new(pk_pool *pool)
{
	struct loader *l = calloc(1, sizeof(*l));
	if (!l) die("out of memory");
	l->pool = pool;
	return l;
}

void loader_free(struct loader *l)
{
	if (!l) return;
	for (size_t i = 0; i < l->narena; i++) free(l->arena[i]);
	free(l->arena);
	free(l->ids);
	free(l);
}

const char *loader_error(struct loader *l) { return l->err; }
uint64_t loader_count(struct loader *l) { return l->count; }

static void keep(struct loader *l, void *p)
{
	if (l->narena == l->carena) {
		l->carena = l->carena ? l->carena * 2 : 64;
		l->arena = realloc(l->arena, l->carena * sizeof(void *));
		if (!l->arena) die("out of memory");
	}
	l->arena[l->narena++] = p;
}

static int lerr(struct loader *l, const struct jv *j, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int lerr(struct loader *l, const struct jv *j, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!l->err[0])
		snprintf(l->err, sizeof(l->err), "bad value at byte %zu: %s",
			j ? j->off : 0, msg);
	return -1;
}

static int lpk(struct loader *l, const struct jv *j, int r, const char *what)
{
	return lerr(l, j, "%s: %s", what, pk_text(r));
}

static const char *const tags[] = { "$bytes", "$bigint", "$double", "$tuple",
	"$frozenset", "$ref", "$map", "$list", "$sorted", "$set", "$array",
	"$log", "$blocks", "$record", NULL };

/* tag_of -- the tag of a tagged object, or NULL for a plain map */
static const char *tag_of(const struct jv *j, struct loader *l, int *bad)
{
	*bad = 0;
	if (j->t != J_OBJ) return NULL;
	const char *tag = NULL;
	int dollar = 0;
	for (size_t i = 0; i < j->n; i++) {
		const char *name = j->a[2 * i].s;
		if (name[0] != '$') continue;
		dollar = 1;
		for (int t = 0; tags[t]; t++)
			if (!strcmp(name, tags[t])) tag = tags[t];
	}
	if (dollar && !tag) {
		*bad = 1;
		lerr(l, j, "an object with \"$\" names but no known tag");
	}
	return tag;
}

int json_is_map(const struct jv *j)
{
	if (j->t != J_OBJ) return 0;
	if (json_member(j, "$map")) return 1;
	for (size_t i = 0; i < j->n; i++)
		if (j->a[2 * i].s[0] == '$') return 0;
	return 1;
}

/* allowed -- whether every member of a tagged object is one its tag takes */
static int allowed(struct loader *l, const struct jv *j, const char *names)
{
	for (size_t i = 0; i < j->n; i++) {
		const struct jv *k = &j->a[2 * i];
		char pat[80];
		snprintf(pat, sizeof(pat), " %s ", k->s);
		if (strlen(k->s) > 60 || !strstr(names, pat))
			return lerr(l, k, "\"%s\" is not a member this object takes", k->s);
		for (size_t m = 0; m < i; m++)
			if (!strcmp(j->a[2 * m].s, k->s))
				return lerr(l, k, "\"%s\" given twice", k->s);
	}
	return 0;
}

static int load_scalar_items(struct loader *l, pk_value *out,
		const struct jv *j, int frozen);

/* load_scalar -- a scalar; containers are an error */
static int load_scalar(struct loader *l, pk_value *out, const struct jv *j)
{
	int bad;
	const char *tag;
	switch (j->t) {
	case J_NULL: *out = pk_nil(); return 0;
	case J_TRUE: *out = pk_bool(1); return 0;
	case J_FALSE: *out = pk_bool(0); return 0;
	case J_STR: *out = pk_string(j->s, j->len); return 0;
	case J_NUM:
		if (!strpbrk(j->s, ".eE")) {
			errno = 0;
			long long v = strtoll(j->s, NULL, 10);
			if (errno != ERANGE) { *out = pk_int(v); return 0; }
			unsigned char *b;
			size_t n;
			if (bigint_parse(&b, &n, j->s, j->len))
				return lerr(l, j, "bad integer");
			keep(l, b);
			out->type = PK_BIGINT;
			out->u.buf.ptr = b;
			out->u.buf.len = n;
			return 0;
		} else {
			errno = 0;
			double d = strtod(j->s, NULL);
			if (isinf(d))
				return lerr(l, j, "number %s is out of a double's range", j->s);
			*out = pk_double(d);
			return 0;
		}
	case J_ARR:
		if (l->tuples)
			return load_scalar_items(l, out, j, 0);
		return lerr(l, j, "a list cannot be a key, an element or a tuple item (a tuple is {\"$tuple\":[...]})");
	case J_OBJ:
		break;
	}
	tag = tag_of(j, l, &bad);
	if (bad) return -1;
	if (!tag) return lerr(l, j, "a map cannot be a key or a tuple item");
	const struct jv *x = json_member(j, tag);
	if (!strcmp(tag, "$bytes")) {
		unsigned char *b;
		size_t n;
		if (allowed(l, j, " $bytes ")) return -1;
		if (x->t != J_STR || base64_decode(&b, &n, x->s, x->len))
			return lerr(l, x, "$bytes takes a base64 string (RFC 4648, padded)");
		keep(l, b);
		*out = pk_bytes(b, n);
		return 0;
	}
	if (!strcmp(tag, "$bigint")) {
		unsigned char *b;
		size_t n;
		if (allowed(l, j, " $bigint ")) return -1;
		if (x->t != J_STR || bigint_parse(&b, &n, x->s, x->len))
			return lerr(l, x, "$bigint takes a decimal string");
		keep(l, b);
		if (n <= 8) {
			/* in int64: an int */
			int64_t v = (b[n - 1] & 0x80) ? -1 : 0;
			for (size_t i = n; i-- > 0;)
				v = (int64_t)((uint64_t)v << 8 | b[i]);
			*out = pk_int(v);
			return 0;
		}
		out->type = PK_BIGINT;
		out->u.buf.ptr = b;
		out->u.buf.len = n;
		return 0;
	}
	if (!strcmp(tag, "$double")) {
		if (allowed(l, j, " $double ")) return -1;
		if (x->t == J_STR && !strcmp(x->s, "nan")) *out = pk_double(NAN);
		else if (x->t == J_STR && !strcmp(x->s, "inf")) *out = pk_double(INFINITY);
		else if (x->t == J_STR && !strcmp(x->s, "-inf")) *out = pk_double(-INFINITY);
		else return lerr(l, x, "$double takes \"nan\", \"inf\" or \"-inf\"");
		return 0;
	}
	if (!strcmp(tag, "$tuple") || !strcmp(tag, "$frozenset")) {
		if (allowed(l, j, !strcmp(tag, "$tuple") ? " $tuple " : " $frozenset "))
			return -1;
		return load_scalar_items(l, out, x, tag[1] == 'f');
	}
	return lerr(l, j, "%s is a container: it cannot be a key, an element or a tuple item", tag);
}

static int load_scalar_items(struct loader *l, pk_value *out,
		const struct jv *x, int frozen)
{
	if (x->t != J_ARR)
		return lerr(l, x, "%s takes a list of items", frozen ? "$frozenset" : "$tuple");
	pk_value *items = calloc(x->n + 1, sizeof(*items));
	if (!items) die("out of memory");
	for (size_t i = 0; i < x->n; i++)
		if (load_scalar(l, &items[i], &x->a[i])) { free(items); return -1; }
	size_t len = 0;
	int r = frozen ? pk_frozenset_pack(NULL, 0, &len, items, x->n)
		: pk_tuple_pack(NULL, 0, &len, items, x->n);
	void *buf = r ? NULL : malloc(len ? len : 1);
	if (!r && !buf) die("out of memory");
	if (!r)
		r = frozen ? pk_frozenset_pack(buf, len, &len, items, x->n)
			: pk_tuple_pack(buf, len, &len, items, x->n);
	free(items);
	if (r) { free(buf); return lpk(l, x, r, frozen ? "a frozenset" : "a tuple"); }
	keep(l, buf);
	out->type = frozen ? PK_FROZENSET : PK_TUPLE;
	out->u.buf.ptr = buf;
	out->u.buf.len = len;
	uint64_t kept;
	if (frozen && (pk_tuple_length(&kept, out) || kept != x->n))
		return lerr(l, x, "a frozenset given members that are one (1, 1.0 and true are one)");
	return 0;
}

int scalar_from_json(pk_value *out, const struct jv *j, int tuples,
		char *err, size_t errlen)
{
	/* the loader's arena lives as long as the process: paths are few */
	static struct loader *l;
	if (!l) l = loader_new(NULL);
	l->err[0] = 0;
	l->tuples = tuples;
	if (load_scalar(l, out, j)) {
		snprintf(err, errlen, "%s", l->err);
		return -1;
	}
	return 0;
}

static int bind_id(struct loader *l, const struct jv *j, const pk_value *ref)
{
	const struct jv *id = json_member(j, "$id");
	if (!id) return 0;
	char *end;
	errno = 0;
	unsigned long long n = id->t == J_NUM ? strtoull(id->s, &end, 10) : 0;
	if (id->t != J_NUM || *end || errno || n == 0 || n > 100000000)
		return lerr(l, id, "$id takes a positive integer");
	if (n > l->nids) {
		size_t old = l->nids;
		l->nids = n * 2;
		l->ids = realloc(l->ids, l->nids * sizeof(*l->ids));
		if (!l->ids) die("out of memory");
		memset(l->ids + old, 0, (l->nids - old) * sizeof(*l->ids));
	}
	if (l->ids[n - 1].type != PK_NIL)
		return lerr(l, id, "$id %llu given twice", n);
	l->ids[n - 1] = *ref;
	return 0;
}

void loader_bind(struct loader *l, const struct jv *j, const pk_value *ref)
{
	bind_id(l, j, ref);
}

static int flags_of(struct loader *l, const struct jv *j, const pk_value *ref)
{
	const struct jv *f = json_member(j, "flags");
	if (!f) return 0;
	char *end;
	unsigned long n = f->t == J_NUM ? strtoul(f->s, &end, 10) : 99999;
	if (f->t != J_NUM || *end || n > 0xffff)
		return lerr(l, f, "flags takes an integer 0 to 65535");
	int r = pk_container_set_flags(l->pool, ref, (uint16_t)n);
	return r ? lpk(l, f, r, "set a container's flags") : 0;
}

/* pairs -- the [[k,v],...] list of a $map or $sorted */
static int pair_at(struct loader *l, const struct jv *x, size_t i,
		const struct jv **k, const struct jv **v)
{
	const struct jv *p = &x->a[i];
	if (p->t != J_ARR || p->n != 2)
		return lerr(l, p, "an entry is a list [key, value]");
	*k = &p->a[0];
	*v = &p->a[1];
	return 0;
}

int load_map_entries(struct loader *l, const pk_value *dst, const struct jv *j)
{
	pk_map *m;
	int r = pk_map_open(&m, l->pool, dst);
	if (r) return lpk(l, j, r, "open a map");
	const struct jv *x = json_member(j, "$map");
	size_t n = x ? (x->t == J_ARR ? x->n : 0) : j->n;
	if (x && x->t != J_ARR) { pk_map_close(m); return lerr(l, x, "$map takes a list of [key, value]"); }
	for (size_t i = 0; i < n; i++) {
		const struct jv *kj = NULL, *vj = NULL;
		pk_value k, v;
		if (x) {
			if (pair_at(l, x, i, &kj, &vj)) goto bad;
			if (load_scalar(l, &k, kj)) goto bad;
		} else {
			kj = &j->a[2 * i];
			vj = &j->a[2 * i + 1];
			k = pk_string(kj->s, kj->len);
		}
		if (load_value(l, &v, vj)) goto bad;
		if ((r = pk_map_put(m, &k, &v))) { lpk(l, vj, r, "put an entry"); goto bad; }
	}
	pk_map_close(m);
	return 0;
bad:
	pk_map_close(m);
	return -1;
}

static const pk_elem_row *elem_by_name(const char *s)
{
	const pk_elem_row *r;
	for (int64_t i = 0; (r = pk_elem_table(i)); i++)
		if (!strcmp(r->sname, s)) return r;
	return NULL;
}

static int load_array(struct loader *l, pk_value *out, const struct jv *j)
{
	if (allowed(l, j, " $array $id items width flags ")) return -1;
	const struct jv *t = json_member(j, "$array"), *items = json_member(j, "items"),
		*w = json_member(j, "width");
	const pk_elem_row *row = t->t == J_STR ? elem_by_name(t->s) : NULL;
	if (!row) return lerr(l, t, "$array takes an element type name (i8 ... f64, bytes)");
	if (!items || items->t != J_ARR) return lerr(l, j, "$array needs \"items\": [...]");
	size_t width = 0;
	if (row->code == PK_ELEM_BYTES) {
		if (!w || w->t != J_NUM || strpbrk(w->s, ".eE-") || !(width = strtoull(w->s, NULL, 10)))
			return lerr(l, j, "a bytes array needs \"width\": a positive integer");
	} else if (w)
		return lerr(l, w, "only a bytes array takes \"width\"");
	pk_array *a;
	int r = pk_array_new(&a, l->pool, (pk_elem)row->code, width, items->n, NULL);
	if (r) return lpk(l, j, r, "create an array");
	*out = pk_array_value(a);
	if (bind_id(l, j, out)) goto bad;
	for (size_t i = 0; i < items->n; i++) {
		const struct jv *it = &items->a[i];
		pk_value v;
		if (row->code == PK_ELEM_U64 && it->t == J_NUM && !strpbrk(it->s, ".eE-")) {
			errno = 0;
			unsigned long long u = strtoull(it->s, NULL, 10);
			if (errno) { lerr(l, it, "out of range for u64"); goto bad; }
			v = pk_int((int64_t)u);
		} else if (row->code == PK_ELEM_U64) {
			lerr(l, it, "a u64 element is an integer 0 to 2^64-1");
			goto bad;
		} else if (load_scalar(l, &v, it))
			goto bad;
		if (!strcmp(row->cls, "float") && v.type == PK_INT && it->t == J_NUM) {
			lerr(l, it, "a float element is written with '.' or 'e'");
			goto bad;
		}
		if ((r = pk_array_set(a, (int64_t)i, &v))) {
			lpk(l, it, r, "set an array element");
			goto bad;
		}
	}
	if (flags_of(l, j, out)) goto bad;
	pk_array_close(a);
	return 0;
bad:
	pk_array_close(a);
	return -1;
}

static int load_blocks(struct loader *l, pk_value *out, const struct jv *j)
{
	if (allowed(l, j, " $blocks $id flags ")) return -1;
	const struct jv *x = json_member(j, "$blocks");
	if (x->t != J_OBJ) return lerr(l, x, "$blocks takes an object");
	struct loader tmp = { 0 };
	(void)tmp;
	for (size_t i = 0; i < x->n; i++) {
		const char *nm = x->a[2 * i].s;
		if (strcmp(nm, "block_size") && strcmp(nm, "count") && strcmp(nm, "blocks")
				&& strcmp(nm, "bad"))
			return lerr(l, &x->a[2 * i], "\"%s\" is not a member of $blocks", nm);
	}
	const struct jv *bs = json_member(x, "block_size"), *cnt = json_member(x, "count"),
		*bl = json_member(x, "blocks"), *bad = json_member(x, "bad");
	if (!bs || bs->t != J_NUM || !cnt || cnt->t != J_NUM || strpbrk(bs->s, ".eE-")
			|| strpbrk(cnt->s, ".eE-"))
		return lerr(l, x, "$blocks needs \"block_size\" and \"count\" integers");
	if (bl && bl->t != J_OBJ) return lerr(l, bl, "\"blocks\" takes an object");
	if (bad && bad->t != J_ARR) return lerr(l, bad, "\"bad\" takes a list of block numbers");
	pk_blocks *b;
	uint64_t count = strtoull(cnt->s, NULL, 10);
	int r = pk_blocks_new(&b, l->pool, strtoull(bs->s, NULL, 10), count);
	if (r) return lpk(l, x, r, "create a block array");
	*out = pk_blocks_value(b);
	if (bind_id(l, j, out)) goto fail;
	for (size_t i = 0; bl && i < bl->n; i++) {
		const struct jv *k = &bl->a[2 * i];
		char *end;
		errno = 0;
		unsigned long long idx = strtoull(k->s, &end, 10);
		pk_value v;
		if (!k->len || *end || errno || k->s[0] == '-' || (k->s[0] == '0' && k->len > 1)) {
			lerr(l, k, "a block's name is its number");
			goto fail;
		}
		if (load_scalar(l, &v, &bl->a[2 * i + 1])) goto fail;
		if ((r = pk_blocks_write(b, idx, &v))) {
			lpk(l, &bl->a[2 * i + 1], r, "write a block");
			goto fail;
		}
	}
	for (size_t i = 0; bad && i < bad->n; i++) {
		const struct jv *k = &bad->a[i];
		if (k->t != J_NUM || strpbrk(k->s, ".eE-")) { lerr(l, k, "a block number"); goto fail; }
		if ((r = pk_blocks_set_error(b, strtoull(k->s, NULL, 10)))) {
			lpk(l, k, r, "mark a block bad");
			goto fail;
		}
	}
	if (flags_of(l, j, out)) goto fail;
	pk_blocks_close(b);
	return 0;
fail:
	pk_blocks_close(b);
	return -1;
}

/* same_keys -- refuse a map, sorted map or set given two keys that are
 * one key to the library (1, 1.0 and true; 0.0 and -0.0; all NaNs): the
 * second would replace the first, and the pool would not hold the input */
static int same_keys(struct loader *l, const struct jv *j, const pk_value *c,
		size_t given)
{
	uint64_t n;
	int r = container_length(l->pool, c, &n);
	if (r) return lpk(l, j, r, "count entries");
	if (n != given)
		return lerr(l, j, "%zu keys given, %llu kept: some are one key to pmemkit (1, 1.0 and true are one key)",
			given, (unsigned long long)n);
	return 0;
}

/* load_container -- a container from its notation, created in the pool */
static int load_container(struct loader *l, pk_value *out, const struct jv *j,
		const char *tag)
{
	int r = 0;
	const struct jv *x = tag ? json_member(j, tag) : j;
	if (!l->pool) return lerr(l, j, "a container cannot be a key");
	if (!tag || !strcmp(tag, "$map")) {
		pk_map *m;
		if (tag && allowed(l, j, " $map $id flags ")) return -1;
		if ((r = pk_map_new(&m, l->pool))) return lpk(l, j, r, "create a map");
		*out = pk_map_value(m);
		pk_map_close(m);
		if (tag && bind_id(l, j, out)) return -1;
		if (load_map_entries(l, out, j)) return -1;
		if (same_keys(l, j, out, tag ? json_member(j, "$map")->n : j->n))
			return -1;
		return tag ? flags_of(l, j, out) : 0;
	}
	if (!strcmp(tag, "$array")) return load_array(l, out, j);
	if (!strcmp(tag, "$blocks")) return load_blocks(l, out, j);
	if (!strcmp(tag, "$record")) {
		if (allowed(l, j, " $record $id fields flags ")) return -1;
		const struct jv *f = json_member(j, "fields");
		if (x->t != J_STR) return lerr(l, x, "$record takes the class name");
		if (!f || f->t != J_OBJ) return lerr(l, j, "$record needs \"fields\": {...}");
		pk_record *rec;
		if ((r = pk_record_new(&rec, l->pool, x->s, x->len)))
			return lpk(l, x, r, "create a record");
		*out = pk_record_value(rec);
		if (bind_id(l, j, out)) goto rbad;
		for (size_t i = 0; i < f->n; i++) {
			pk_value k = pk_string(f->a[2 * i].s, f->a[2 * i].len), v;
			if (load_value(l, &v, &f->a[2 * i + 1])) goto rbad;
			if ((r = pk_record_put(rec, &k, &v))) {
				lpk(l, &f->a[2 * i + 1], r, "set a field");
				goto rbad;
			}
		}
		if (flags_of(l, j, out)) goto rbad;
		pk_record_close(rec);
		return 0;
rbad:
		pk_record_close(rec);
		return -1;
	}
	/* the rest take a list */
	if (x->t != J_ARR) return lerr(l, x, "%s takes a list", tag);
	if (!strcmp(tag, "$list")) {
		if (allowed(l, j, " $list $id flags ")) return -1;
		pk_list *li;
		if ((r = pk_list_new(&li, l->pool))) return lpk(l, j, r, "create a list");
		*out = pk_list_value(li);
		if (bind_id(l, j, out)) goto lbad;
		for (size_t i = 0; i < x->n; i++) {
			pk_value v;
			if (load_value(l, &v, &x->a[i])) goto lbad;
			if ((r = pk_list_append(li, &v))) { lpk(l, &x->a[i], r, "append"); goto lbad; }
		}
		if (flags_of(l, j, out)) goto lbad;
		pk_list_close(li);
		return 0;
lbad:
		pk_list_close(li);
		return -1;
	}
	if (!strcmp(tag, "$sorted")) {
		if (allowed(l, j, " $sorted $id flags ")) return -1;
		pk_sorted *s;
		if ((r = pk_sorted_new(&s, l->pool))) return lpk(l, j, r, "create a sorted map");
		*out = pk_sorted_value(s);
		if (bind_id(l, j, out)) goto sbad;
		for (size_t i = 0; i < x->n; i++) {
			const struct jv *kj = NULL, *vj = NULL;
			pk_value k, v;
			if (pair_at(l, x, i, &kj, &vj) || load_scalar(l, &k, kj)
					|| load_value(l, &v, vj))
				goto sbad;
			if ((r = pk_sorted_put(s, &k, &v))) { lpk(l, kj, r, "put an entry"); goto sbad; }
		}
		if (same_keys(l, j, out, x->n) || flags_of(l, j, out)) goto sbad;
		pk_sorted_close(s);
		return 0;
sbad:
		pk_sorted_close(s);
		return -1;
	}
	if (!strcmp(tag, "$set")) {
		if (allowed(l, j, " $set $id flags ")) return -1;
		pk_set *s;
		if ((r = pk_set_new(&s, l->pool))) return lpk(l, j, r, "create a set");
		*out = pk_set_value(s);
		if (bind_id(l, j, out)) goto tbad;
		for (size_t i = 0; i < x->n; i++) {
			pk_value v;
			if (load_scalar(l, &v, &x->a[i])) goto tbad;
			if ((r = pk_set_add(s, &v))) { lpk(l, &x->a[i], r, "add an element"); goto tbad; }
		}
		if (same_keys(l, j, out, x->n) || flags_of(l, j, out)) goto tbad;
		pk_set_close(s);
		return 0;
tbad:
		pk_set_close(s);
		return -1;
	}
	if (!strcmp(tag, "$log")) {
		if (allowed(l, j, " $log $id flags ")) return -1;
		pk_log *g;
		if ((r = pk_log_new(&g, l->pool))) return lpk(l, j, r, "create a log");
		*out = pk_log_value(g);
		if (bind_id(l, j, out)) goto gbad;
		for (size_t i = 0; i < x->n; i++) {
			pk_value v;
			if (load_scalar(l, &v, &x->a[i])) goto gbad;
			if (v.type != PK_BYTES && v.type != PK_STRING) {
				lerr(l, &x->a[i], "a log record is a string or $bytes");
				goto gbad;
			}
			if ((r = pk_log_append(g, &v))) { lpk(l, &x->a[i], r, "append a record"); goto gbad; }
		}
		if (flags_of(l, j, out)) goto gbad;
		pk_log_close(g);
		return 0;
gbad:
		pk_log_close(g);
		return -1;
	}
	return lerr(l, j, "unknown tag %s", tag);
}

/* load_value -- any value */
int load_value(struct loader *l, pk_value *out, const struct jv *j)
{
	int bad;
	l->count++;
	if ((l->count & 0xffff) == 0)
		progress("%llu values", (unsigned long long)l->count);
	if (j->t == J_ARR) {
		pk_list *li;
		int r;
		if (!l->pool) return lerr(l, j, "a list cannot be a key");
		if ((r = pk_list_new(&li, l->pool))) return lpk(l, j, r, "create a list");
		*out = pk_list_value(li);
		for (size_t i = 0; i < j->n; i++) {
			pk_value v;
			if (load_value(l, &v, &j->a[i])) { pk_list_close(li); return -1; }
			if ((r = pk_list_append(li, &v))) {
				pk_list_close(li);
				return lpk(l, &j->a[i], r, "append");
			}
		}
		pk_list_close(li);
		return 0;
	}
	if (j->t != J_OBJ) return load_scalar(l, out, j);
	const char *tag = tag_of(j, l, &bad);
	if (bad) return -1;
	if (tag && !strcmp(tag, "$ref")) {
		const struct jv *x = json_member(j, "$ref");
		if (allowed(l, j, " $ref ")) return -1;
		unsigned long long n = x->t == J_NUM && !strpbrk(x->s, ".eE-")
			? strtoull(x->s, NULL, 10) : 0;
		if (!n || n > l->nids || l->ids[n - 1].type == PK_NIL)
			return lerr(l, x, "$ref to an $id not given before it");
		*out = l->ids[n - 1];
		return 0;
	}
	if (tag && (!strcmp(tag, "$bytes") || !strcmp(tag, "$bigint")
			|| !strcmp(tag, "$double") || !strcmp(tag, "$tuple")
			|| !strcmp(tag, "$frozenset")))
		return load_scalar(l, out, j);
	return load_container(l, out, j, tag);
}

static int name_cmp(const void *a, const void *b)
{
	const struct jv *x = *(const struct jv *const *)a, *y = *(const struct jv *const *)b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->s, y->s, n);
	return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* dup_names -- an object that names a member twice is refused: which
 * one a map would keep is not for the reader to guess */
static int dup_names(struct loader *l, const struct jv *j)
{
	if (j->n < 2) return 0;
	const struct jv **names = malloc(j->n * sizeof(*names));
	if (!names) die("out of memory");
	for (size_t i = 0; i < j->n; i++) names[i] = &j->a[2 * i];
	qsort(names, j->n, sizeof(*names), name_cmp);
	int r = 0;
	for (size_t i = 1; i < j->n && !r; i++)
		if (!name_cmp(&names[i - 1], &names[i]))
			r = lerr(l, names[i], "the name \"%s\" is given twice", names[i]->s);
	free(names);
	return r;
}

/* check_value -- what can be checked of a notation value without a pool:
 * JSON forms, tags and their members, scalars, keys (so that input a load
 * or set would refuse is refused before the pool is opened) */
static int check_value(struct loader *l, const struct jv *j)
{
	int bad;
	pk_value v;
	if (j->t == J_ARR) {
		for (size_t i = 0; i < j->n; i++)
			if (check_value(l, &j->a[i])) return -1;
		return 0;
	}
	if (j->t != J_OBJ) return load_scalar(l, &v, j);
	const char *tag = tag_of(j, l, &bad);
	if (bad) return -1;
	if (!tag) {
		if (dup_names(l, j)) return -1;
		for (size_t i = 0; i < j->n; i++)
			if (check_value(l, &j->a[2 * i + 1])) return -1;
		return 0;
	}
	const struct jv *x = json_member(j, tag);
	if (!strcmp(tag, "$ref"))
		return allowed(l, j, " $ref ") || x->t != J_NUM
			? lerr(l, j, "$ref takes an $id") : 0;
	if (!strcmp(tag, "$bytes") || !strcmp(tag, "$bigint") || !strcmp(tag, "$double")
			|| !strcmp(tag, "$tuple") || !strcmp(tag, "$frozenset"))
		return load_scalar(l, &v, j);
	if (!strcmp(tag, "$map") || !strcmp(tag, "$sorted")) {
		if (allowed(l, j, !strcmp(tag, "$map") ? " $map $id flags " : " $sorted $id flags "))
			return -1;
		if (x->t != J_ARR) return lerr(l, x, "%s takes a list of [key, value]", tag);
		for (size_t i = 0; i < x->n; i++) {
			const struct jv *kj = NULL, *vj = NULL;
			if (pair_at(l, x, i, &kj, &vj) || load_scalar(l, &v, kj)
					|| check_value(l, vj))
				return -1;
		}
		return 0;
	}
	if (!strcmp(tag, "$list") || !strcmp(tag, "$set") || !strcmp(tag, "$log")) {
		char names[40];
		snprintf(names, sizeof(names), " %s $id flags ", tag);
		if (allowed(l, j, names)) return -1;
		if (x->t != J_ARR) return lerr(l, x, "%s takes a list", tag);
		for (size_t i = 0; i < x->n; i++) {
			if (tag[1] == 'l' && tag[2] == 'i') {
				if (check_value(l, &x->a[i])) return -1;
			} else if (load_scalar(l, &v, &x->a[i]))
				return -1;
			else if (tag[2] == 'o' && v.type != PK_BYTES && v.type != PK_STRING)
				return lerr(l, &x->a[i], "a log record is a string or $bytes");
		}
		return 0;
	}
	if (!strcmp(tag, "$record")) {
		const struct jv *f = json_member(j, "fields");
		if (allowed(l, j, " $record $id fields flags ")) return -1;
		if (x->t != J_STR) return lerr(l, x, "$record takes the class name");
		if (!f || f->t != J_OBJ) return lerr(l, j, "$record needs \"fields\": {...}");
		if (dup_names(l, f)) return -1;
		for (size_t i = 0; i < f->n; i++)
			if (check_value(l, &f->a[2 * i + 1])) return -1;
		return 0;
	}
	if (!strcmp(tag, "$array")) {
		const struct jv *items = json_member(j, "items");
		if (allowed(l, j, " $array $id items width flags ")) return -1;
		if (x->t != J_STR || !elem_by_name(x->s))
			return lerr(l, x, "$array takes an element type name (i8 ... f64, bytes)");
		if (!items || items->t != J_ARR) return lerr(l, j, "$array needs \"items\": [...]");
		for (size_t i = 0; i < items->n; i++)
			if (items->a[i].t != J_NUM && load_scalar(l, &v, &items->a[i]))
				return -1;
		return 0;
	}
	if (!strcmp(tag, "$blocks")) {
		if (allowed(l, j, " $blocks $id flags ")) return -1;
		if (x->t != J_OBJ) return lerr(l, x, "$blocks takes an object");
		const struct jv *bl = json_member(x, "blocks");
		for (size_t i = 0; bl && bl->t == J_OBJ && i < bl->n; i++)
			if (load_scalar(l, &v, &bl->a[2 * i + 1])) return -1;
		return 0;
	}
	return 0;
}

int notation_check(const struct jv *j, char *err, size_t errlen)
{
	struct loader *l = loader_new(NULL);
	int r = check_value(l, j);
	if (r) snprintf(err, errlen, "%s", l->err);
	loader_free(l);
	return r;
}

/* loader_bind_existing -- bind the $ids in j to the containers of the
 * pool's value v, which an earlier load made from j (load --skip) */
int loader_bind_existing(struct loader *l, const struct jv *j, const pk_value *v)
{
	int bad;
	char err[200];
	if (j->t != J_ARR && j->t != J_OBJ) return 0;
	const char *tag = tag_of(j, l, &bad);
	if (bad) return -1;
	if (tag && (!strcmp(tag, "$ref") || !strcmp(tag, "$bytes") || !strcmp(tag, "$bigint")
			|| !strcmp(tag, "$double") || !strcmp(tag, "$tuple")
			|| !strcmp(tag, "$frozenset")))
		return 0;
	if (v->type < PK_MAP) return lerr(l, j, "the pool holds a %s here", type_name(v->type));
	if (tag && bind_id(l, j, v)) return -1;
	/* the children that can hold containers */
	const struct jv *x = tag ? json_member(j, tag) : j;
	pk_value c, k;
	if (j->t == J_ARR || (tag && !strcmp(tag, "$list"))) {
		for (size_t i = 0; i < x->n; i++) {
			k = pk_int((int64_t)i);
			if (child_get(l->pool, v, &k, &c, err, sizeof(err))
					|| loader_bind_existing(l, &x->a[i], &c))
				return lerr(l, &x->a[i], "not in the pool as given");
		}
		return 0;
	}
	if (!tag || !strcmp(tag, "$record")) {
		const struct jv *f = tag ? json_member(j, "fields") : j;
		for (size_t i = 0; i < f->n; i++) {
			k = pk_string(f->a[2 * i].s, f->a[2 * i].len);
			if (child_get(l->pool, v, &k, &c, err, sizeof(err))
					|| loader_bind_existing(l, &f->a[2 * i + 1], &c))
				return lerr(l, &f->a[2 * i + 1], "not in the pool as given");
		}
		return 0;
	}
	if (!strcmp(tag, "$map") || !strcmp(tag, "$sorted")) {
		for (size_t i = 0; i < x->n; i++) {
			const struct jv *p = &x->a[i];
			if (load_scalar(l, &k, &p->a[0])
					|| child_get(l->pool, v, &k, &c, err, sizeof(err))
					|| loader_bind_existing(l, &p->a[1], &c))
				return lerr(l, p, "not in the pool as given");
		}
	}
	return 0;
}
