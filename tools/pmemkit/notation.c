/*
 * notation.c -- pmemkit values to and from the dump notation
 * (doc/notation.md): JSON with tagged objects for what JSON lacks
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "pk.h"

const char *type_name(pk_type t)
{
	switch (t) {
	case PK_NIL: return "nil";
	case PK_BOOL: return "bool";
	case PK_INT: return "int";
	case PK_DOUBLE: return "double";
	case PK_BYTES: return "bytes";
	case PK_STRING: return "string";
	case PK_BIGINT: return "bigint";
	case PK_TUPLE: return "tuple";
	case PK_FROZENSET: return "frozenset";
	case PK_MAP: return "map";
	case PK_LIST: return "list";
	case PK_ARRAY: return "array";
	case PK_LOG: return "log";
	case PK_BLOCKS: return "blocks";
	case PK_SET: return "set";
	case PK_RECORD: return "record";
	case PK_SORTED: return "sorted";
	}
	return "?";
}

const char *elem_name(pk_elem e)
{
	const pk_elem_row *r;
	for (int64_t i = 0; (r = pk_elem_table(i)); i++)
		if (r->code == (int64_t)e)
			return r->sname;
	return "?";
}

/* ---- big integers: minimal little-endian two's complement <-> decimal ---- */

/* bigint_dec -- the decimal text of a PK_BIGINT's bytes */
static void bigint_dec(struct sbuf *out, const unsigned char *le, size_t n)
{
	int neg = n && (le[n - 1] & 0x80);
	unsigned char *mag = malloc(n + 1); /* big-endian magnitude */
	if (!mag) die("out of memory");
	unsigned carry = 1;
	for (size_t i = 0; i < n; i++) {
		unsigned b = le[i];
		if (neg) { b = (~b & 0xff) + carry; carry = b >> 8; b &= 0xff; }
		mag[n - 1 - i] = b;
	}
	char *dig = malloc(n * 3 + 2);
	if (!dig) die("out of memory");
	size_t nd = 0, start = 0;
	while (start < n) {
		unsigned rem = 0;
		for (size_t i = start; i < n; i++) {
			unsigned cur = rem << 8 | mag[i];
			mag[i] = cur / 10;
			rem = cur % 10;
		}
		dig[nd++] = '0' + rem;
		while (start < n && !mag[start]) start++;
	}
	if (!nd) dig[nd++] = '0';
	if (neg) sb_add(out, "-", 1);
	for (size_t i = nd; i-- > 0;)
		sb_add(out, &dig[i], 1);
	free(dig);
	free(mag);
}

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

/* ---- scalars ---- */

int dump_scalar(struct sbuf *out, const pk_value *v)
{
	switch (v->type) {
	case PK_NIL: sb_puts(out, "null"); return 0;
	case PK_BOOL: sb_puts(out, v->u.i ? "true" : "false"); return 0;
	case PK_INT: sb_printf(out, "%lld", (long long)v->u.i); return 0;
	case PK_DOUBLE: sb_double(out, v->u.d); return 0;
	case PK_STRING: sb_str(out, v->u.buf.ptr, v->u.buf.len); return 0;
	case PK_BYTES:
		sb_puts(out, "{\"$bytes\":\"");
		sb_base64(out, v->u.buf.ptr, v->u.buf.len);
		sb_puts(out, "\"}");
		return 0;
	case PK_BIGINT:
		sb_puts(out, "{\"$bigint\":\"");
		bigint_dec(out, v->u.buf.ptr, v->u.buf.len);
		sb_puts(out, "\"}");
		return 0;
	case PK_TUPLE:
	case PK_FROZENSET: {
		sb_puts(out, v->type == PK_TUPLE ? "{\"$tuple\":[" : "{\"$frozenset\":[");
		size_t pos = 0;
		pk_value it;
		int r, first = 1;
		while ((r = pk_tuple_next(&it, v, &pos)) == 0) {
			if (!first) sb_add(out, ",", 1);
			first = 0;
			if ((r = dump_scalar(out, &it))) return r;
		}
		if (r != PK_ITEROVER) return r;
		sb_puts(out, "]}");
		return 0;
	}
	default:
		return PK_EKIND;
	}
}

/* ---- the dumper ---- */

struct seen { uint64_t off; uint64_t count; uint64_t id; };

struct dumper {
	pk_pool *pool;
	struct seen *tab;
	size_t cap, used;
	uint64_t next_id;
	uint64_t values;
	int depth;         /* containers being written or scanned */
	char err[256];
};

struct dumper *dumper_new(pk_pool *pool)
{
	struct dumper *d = calloc(1, sizeof(*d));
	if (!d) die("out of memory");
	d->pool = pool;
	d->cap = 1024;
	d->tab = calloc(d->cap, sizeof(*d->tab));
	if (!d->tab) die("out of memory");
	return d;
}

void dumper_free(struct dumper *d)
{
	if (!d) return;
	free(d->tab);
	free(d);
}

const char *dumper_error(struct dumper *d) { return d->err; }
uint64_t dumper_count(struct dumper *d) { return d->values; }

static struct seen *seen_get(struct dumper *d, uint64_t off)
{
	if (d->used * 2 >= d->cap) {
		struct seen *old = d->tab;
		size_t ocap = d->cap;
		d->cap *= 2;
		d->tab = calloc(d->cap, sizeof(*d->tab));
		if (!d->tab) die("out of memory");
		d->used = 0;
		for (size_t i = 0; i < ocap; i++)
			if (old[i].off) {
				struct seen *s = seen_get(d, old[i].off);
				*s = old[i];
			}
		free(old);
	}
	size_t h = (size_t)((off * 0x9E3779B97F4A7C15ull) >> 20) & (d->cap - 1);
	while (d->tab[h].off && d->tab[h].off != off)
		h = (h + 1) & (d->cap - 1);
	if (!d->tab[h].off) {
		d->tab[h].off = off;
		d->used++;
	}
	return &d->tab[h];
}

static int derr(struct dumper *d, int r, const char *what)
{
	snprintf(d->err, sizeof(d->err), "%s: %s", what, pk_text(r));
	return r;
}

/* A container opened generically. */
struct cont {
	pk_type t;
	union { pk_map *m; pk_list *l; pk_array *a; pk_log *g; pk_blocks *b;
		pk_set *s; pk_record *r; pk_sorted *o; void *p; } h;
};

static int cont_open(struct cont *c, pk_pool *pool, const pk_value *v)
{
	c->t = v->type;
	switch (v->type) {
	case PK_MAP: return pk_map_open(&c->h.m, pool, v);
	case PK_LIST: return pk_list_open(&c->h.l, pool, v);
	case PK_ARRAY: return pk_array_open(&c->h.a, pool, v);
	case PK_LOG: return pk_log_open(&c->h.g, pool, v);
	case PK_BLOCKS: return pk_blocks_open(&c->h.b, pool, v);
	case PK_SET: return pk_set_open(&c->h.s, pool, v);
	case PK_RECORD: return pk_record_open(&c->h.r, pool, v);
	case PK_SORTED: return pk_sorted_open(&c->h.o, pool, v);
	default: return PK_EKIND;
	}
}

static void cont_close(struct cont *c)
{
	switch (c->t) {
	case PK_MAP: pk_map_close(c->h.m); break;
	case PK_LIST: pk_list_close(c->h.l); break;
	case PK_ARRAY: pk_array_close(c->h.a); break;
	case PK_LOG: pk_log_close(c->h.g); break;
	case PK_BLOCKS: pk_blocks_close(c->h.b); break;
	case PK_SET: pk_set_close(c->h.s); break;
	case PK_RECORD: pk_record_close(c->h.r); break;
	case PK_SORTED: pk_sorted_close(c->h.o); break;
	default: break;
	}
}

static int cont_cursor(pk_cursor **cur, struct cont *c)
{
	switch (c->t) {
	case PK_MAP: return pk_map_cursor(cur, c->h.m);
	case PK_LIST: return pk_list_cursor(cur, c->h.l);
	case PK_ARRAY: return pk_array_cursor(cur, c->h.a);
	case PK_LOG: return pk_log_cursor(cur, c->h.g);
	case PK_BLOCKS: return pk_blocks_cursor(cur, c->h.b);
	case PK_SET: return pk_set_cursor(cur, c->h.s);
	case PK_RECORD: return pk_record_cursor(cur, c->h.r);
	case PK_SORTED: return pk_sorted_cursor(cur, c->h.o);
	default: return PK_EKIND;
	}
}

/* dumper_scan -- count how often each container is reached */
int dumper_scan(struct dumper *d, const pk_value *v)
{
	if (v->type < PK_MAP)
		return 0;
	struct seen *s = seen_get(d, v->u.ref.off);
	if (s->count++)
		return 0;
	if (d->depth >= DUMP_DEPTH) {
		snprintf(d->err, sizeof(d->err), "containers nested deeper than %d: "
			"dump a path further down", DUMP_DEPTH);
		return PK_EVALUE;
	}
	/* only maps, lists, sorted maps and records hold containers */
	if (v->type != PK_MAP && v->type != PK_LIST && v->type != PK_SORTED
			&& v->type != PK_RECORD)
		return 0;
	struct cont c;
	pk_cursor *cur = NULL;
	int r = cont_open(&c, d->pool, v);
	if (r) return derr(d, r, "open a container");
	if ((r = cont_cursor(&cur, &c))) {
		cont_close(&c);
		return derr(d, r, "iterate a container");
	}
	pk_value k, val;
	d->depth++;
	while ((r = pk_cursor_next(&k, &val, cur)) == 0)
		if (val.type >= PK_MAP && (r = dumper_scan(d, &val)))
			break;
	d->depth--;
	pk_cursor_free(cur);
	cont_close(&c);
	if (r == PK_ITEROVER) return 0;
	if (!d->err[0]) derr(d, r, "iterate a container");
	return r;
}

struct ent { pk_value k, v; char *ks; size_t kl; };

static int ent_cmp(const void *a, const void *b)
{
	const struct ent *x = a, *y = b;
	size_t n = x->kl < y->kl ? x->kl : y->kl;
	int c = memcmp(x->ks, y->ks, n);
	if (c) return c;
	return x->kl < y->kl ? -1 : x->kl > y->kl;
}

/* collect -- a container's entries, with each key's notation */
static int collect(struct dumper *d, struct cont *c, struct ent **out,
		size_t *n, int sort)
{
	pk_cursor *cur;
	int r = cont_cursor(&cur, c);
	if (r) return derr(d, r, "iterate a container");
	size_t cap = 16, k = 0;
	struct ent *e = malloc(cap * sizeof(*e));
	if (!e) die("out of memory");
	while ((r = pk_cursor_next(&e[k].k, &e[k].v, cur)) == 0) {
		struct sbuf kb = {0};
		if ((r = dump_scalar(&kb, &e[k].k))) {
			sb_free(&kb);
			break;
		}
		sb_add(&kb, "", 0);
		e[k].ks = kb.p ? kb.p : strdup("");
		e[k].kl = kb.len;
		if (++k == cap) {
			cap *= 2;
			e = realloc(e, cap * sizeof(*e));
			if (!e) die("out of memory");
		}
	}
	pk_cursor_free(cur);
	if (r != PK_ITEROVER) {
		for (size_t i = 0; i < k; i++) free(e[i].ks);
		free(e);
		return derr(d, r, "iterate a container");
	}
	if (sort)
		qsort(e, k, sizeof(*e), ent_cmp);
	*out = e;
	*n = k;
	return 0;
}

static void ents_free(struct ent *e, size_t n)
{
	for (size_t i = 0; i < n; i++) free(e[i].ks);
	free(e);
}

static int dump_entries(struct dumper *d, struct sbuf *out, struct ent *e,
		size_t n, int pairs, int object)
{
	int r;
	for (size_t i = 0; i < n; i++) {
		if (i) sb_add(out, ",", 1);
		if (object) {
			sb_add(out, e[i].ks, e[i].kl);
			sb_add(out, ":", 1);
		} else if (pairs) {
			sb_add(out, "[", 1);
			sb_add(out, e[i].ks, e[i].kl);
			sb_add(out, ",", 1);
		}
		if ((r = dump_value(d, out, pairs || object ? &e[i].v : &e[i].k)))
			return r;
		if (pairs && !object)
			sb_add(out, "]", 1);
	}
	return 0;
}

static int dump_array(struct dumper *d, struct sbuf *out, struct cont *c)
{
	pk_elem el;
	size_t width;
	uint64_t n;
	int r;
	if ((r = pk_array_type(&el, &width, c->h.a)) || (r = pk_array_length(&n, c->h.a)))
		return derr(d, r, "read an array");
	sb_printf(out, "\"$array\":\"%s\",", elem_name(el));
	if (el == PK_ELEM_BYTES)
		sb_printf(out, "\"width\":%zu,", width);
	sb_puts(out, "\"items\":[");
	for (uint64_t i = 0; i < n; i++) {
		pk_value v;
		if (i) sb_add(out, ",", 1);
		if (el == PK_ELEM_U64) {
			uint64_t u;
			if ((r = pk_array_read(&u, c->h.a, i, 1)))
				return derr(d, r, "read an array");
			sb_printf(out, "%llu", (unsigned long long)u);
			continue;
		}
		if ((r = pk_array_get(&v, c->h.a, (int64_t)i)))
			return derr(d, r, "read an array");
		if (el == PK_ELEM_F32 && v.type == PK_DOUBLE) {
			/* the shortest text that reads back as the same float */
			float f = (float)v.u.d;
			char tmp[40];
			if (isnan(f) || isinf(f)) { sb_double(out, v.u.d); continue; }
			for (int p = 1; p <= 9; p++) {
				snprintf(tmp, sizeof(tmp), "%.*g", p, (double)f);
				if (strtof(tmp, NULL) == f) break;
			}
			sb_puts(out, tmp);
			if (!strpbrk(tmp, ".eE")) sb_puts(out, ".0");
			continue;
		}
		dump_scalar(out, &v);
	}
	sb_add(out, "]", 1);
	return 0;
}

static int dump_blocks(struct dumper *d, struct sbuf *out, struct cont *c)
{
	uint64_t n, bs;
	int r;
	if ((r = pk_blocks_length(&n, c->h.b)) || (r = pk_blocks_block_size(&bs, c->h.b)))
		return derr(d, r, "read a block array");
	sb_printf(out, "\"$blocks\":{\"block_size\":%llu,\"count\":%llu,\"blocks\":{",
		(unsigned long long)bs, (unsigned long long)n);
	unsigned char *buf = malloc(bs);
	struct sbuf bad = {0};
	if (!buf) die("out of memory");
	int first = 1;
	for (uint64_t i = 0; i < n; i++) {
		r = pk_blocks_read(buf, bs, c->h.b, i);
		if (r == EIO) {
			sb_printf(&bad, "%s%llu", bad.len ? "," : "", (unsigned long long)i);
			continue;
		}
		if (r) { free(buf); sb_free(&bad); return derr(d, r, "read a block"); }
		size_t len = bs;
		while (len && !buf[len - 1]) len--;
		if (!len) continue;
		sb_printf(out, "%s\"%llu\":{\"$bytes\":\"", first ? "" : ",",
			(unsigned long long)i);
		sb_base64(out, buf, len);
		sb_puts(out, "\"}");
		first = 0;
	}
	sb_puts(out, "}");
	if (bad.len) {
		sb_puts(out, ",\"bad\":[");
		sb_add(out, bad.p, bad.len);
		sb_puts(out, "]");
	}
	sb_puts(out, "}");
	free(buf);
	sb_free(&bad);
	return 0;
}

/* dump_value -- the notation of v (scan first, for "$id") */
int dump_value(struct dumper *d, struct sbuf *out, const pk_value *v)
{
	d->values++;
	if ((d->values & 0xffff) == 0)
		progress("%llu values", (unsigned long long)d->values);
	if (v->type < PK_MAP) {
		int r = dump_scalar(out, v);
		if (r) derr(d, r, "write a value");
		return r;
	}
	/* every value is scanned first (dumper_scan) */
	struct seen *s = seen_get(d, v->u.ref.off);
	if (s->id) {
		sb_printf(out, "{\"$ref\":%llu}", (unsigned long long)s->id);
		return 0;
	}
	int shared = s->count > 1;
	if (shared)
		s->id = ++d->next_id;
	uint64_t id = s->id;
	uint16_t flags = 0;
	int r = pk_container_flags(&flags, d->pool, v);
	if (r) return derr(d, r, "read a container's flags");
	struct cont c;
	if ((r = cont_open(&c, d->pool, v)))
		return derr(d, r, "open a container");
	int tagged = shared || flags;
	struct ent *e = NULL;
	if (d->depth >= DUMP_DEPTH) {
		cont_close(&c);
		snprintf(d->err, sizeof(d->err), "containers nested deeper than %d: "
			"dump a path further down", DUMP_DEPTH);
		return PK_EVALUE;
	}
	d->depth++;
	size_t n = 0;
	char idbuf[48] = "";
	if (id) snprintf(idbuf, sizeof(idbuf), "\"$id\":%llu,", (unsigned long long)id);
	switch (v->type) {
	case PK_MAP: {
		if ((r = collect(d, &c, &e, &n, 1))) break;
		int object = !tagged;
		for (size_t i = 0; object && i < n; i++)
			if (e[i].k.type != PK_STRING || (e[i].k.u.buf.len
					&& ((const char *)e[i].k.u.buf.ptr)[0] == '$'))
				object = 0;
		if (object) {
			sb_add(out, "{", 1);
			r = dump_entries(d, out, e, n, 1, 1);
			sb_add(out, "}", 1);
		} else {
			sb_printf(out, "{%s\"$map\":[", idbuf);
			r = dump_entries(d, out, e, n, 1, 0);
			sb_add(out, "]", 1);
			tagged = 1;
		}
		break;
	}
	case PK_SORTED:
		if ((r = collect(d, &c, &e, &n, 0))) break;
		sb_printf(out, "{%s\"$sorted\":[", idbuf);
		r = dump_entries(d, out, e, n, 1, 0);
		sb_add(out, "]", 1);
		tagged = 1;
		break;
	case PK_SET:
		if ((r = collect(d, &c, &e, &n, 1))) break;
		sb_printf(out, "{%s\"$set\":[", idbuf);
		r = dump_entries(d, out, e, n, 0, 0);
		sb_add(out, "]", 1);
		tagged = 1;
		break;
	case PK_LIST:
		if ((r = collect(d, &c, &e, &n, 0))) break;
		if (tagged) sb_printf(out, "{%s\"$list\":[", idbuf);
		else sb_add(out, "[", 1);
		for (size_t i = 0; i < n && !r; i++) {
			if (i) sb_add(out, ",", 1);
			r = dump_value(d, out, &e[i].v);
		}
		sb_add(out, "]", 1);
		break;
	case PK_RECORD: {
		pk_value cls;
		if ((r = pk_record_class(&cls, c.h.r))) { derr(d, r, "read a record"); break; }
		if ((r = collect(d, &c, &e, &n, 1))) break;
		sb_printf(out, "{%s\"$record\":", idbuf);
		sb_str(out, cls.u.buf.ptr, cls.u.buf.len);
		sb_puts(out, ",\"fields\":{");
		r = dump_entries(d, out, e, n, 1, 1);
		sb_add(out, "}", 1);
		tagged = 1;
		break;
	}
	case PK_LOG:
		if ((r = collect(d, &c, &e, &n, 0))) break;
		sb_printf(out, "{%s\"$log\":[", idbuf);
		for (size_t i = 0; i < n; i++) {
			if (i) sb_add(out, ",", 1);
			pk_value rec = e[i].v;
			if (pk_utf8_valid(rec.u.buf.ptr, rec.u.buf.len))
				rec.type = PK_STRING;
			dump_scalar(out, &rec);
		}
		sb_add(out, "]", 1);
		tagged = 1;
		break;
	case PK_ARRAY:
		sb_printf(out, "{%s", idbuf);
		r = dump_array(d, out, &c);
		tagged = 1;
		break;
	case PK_BLOCKS:
		sb_printf(out, "{%s", idbuf);
		r = dump_blocks(d, out, &c);
		tagged = 1;
		break;
	default:
		r = derr(d, PK_EKIND, "write a value");
	}
	d->depth--;
	if (e) ents_free(e, n);
	cont_close(&c);
	if (r) return r;
	if (tagged) {
		if (flags) sb_printf(out, ",\"flags\":%u", flags);
		sb_add(out, "}", 1);
	}
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

/* dumper_visit -- how often the container at off was visited before */
uint64_t dumper_visit(struct dumper *d, uint64_t off)
{
	return seen_get(d, off)->count++;
}

/* dump_lines -- a map as JSON Lines: a header, then [key, value] a line */
int dump_lines(struct dumper *d, FILE *f, const pk_value *map)
{
	struct cont c;
	struct ent *e;
	size_t n;
	int r = cont_open(&c, d->pool, map);
	if (r) return derr(d, r, "open a map");
	struct seen *s = seen_get(d, map->u.ref.off);
	fprintf(f, "{\"pmemkit\":\"dump\",\"format\":1");
	if (s->count > 1) {
		s->id = ++d->next_id;
		fprintf(f, ",\"$id\":%llu", (unsigned long long)s->id);
	}
	fprintf(f, "}\n");
	if ((r = collect(d, &c, &e, &n, 1))) { cont_close(&c); return r; }
	for (size_t i = 0; i < n && !r; i++) {
		struct sbuf b = {0};
		sb_add(&b, "[", 1);
		sb_add(&b, e[i].ks, e[i].kl);
		sb_add(&b, ",", 1);
		if (!(r = dump_value(d, &b, &e[i].v))) {
			sb_add(&b, "]\n", 2);
			fwrite(b.p, 1, b.len, f);
		}
		sb_free(&b);
	}
	ents_free(e, n);
	cont_close(&c);
	return r;
}

/* container_entries -- a container's entries for ls and tree: maps,
 * sets and records sorted by key notation, the others in order */
int container_entries(struct dumper *d, const pk_value *v, pk_value **keys,
		pk_value **vals, size_t *n)
{
	struct cont c;
	struct ent *e;
	int r = cont_open(&c, d->pool, v);
	if (r) return derr(d, r, "open a container");
	if (v->type == PK_BLOCKS) {
		/* blocks: their numbers, not their contents */
		uint64_t len;
		if ((r = pk_blocks_length(&len, c.h.b))) { cont_close(&c); return derr(d, r, "read"); }
		*keys = calloc(len + 1, sizeof(pk_value));
		*vals = calloc(len + 1, sizeof(pk_value));
		if (!*keys || !*vals) die("out of memory");
		for (uint64_t i = 0; i < len; i++) {
			(*keys)[i] = pk_int((int64_t)i);
			(*vals)[i] = pk_nil();
		}
		*n = len;
		cont_close(&c);
		return 0;
	}
	int sort = v->type == PK_MAP || v->type == PK_SET || v->type == PK_RECORD;
	if ((r = collect(d, &c, &e, n, sort))) { cont_close(&c); return r; }
	*keys = calloc(*n + 1, sizeof(pk_value));
	*vals = calloc(*n + 1, sizeof(pk_value));
	if (!*keys || !*vals) die("out of memory");
	for (size_t i = 0; i < *n; i++) {
		(*keys)[i] = e[i].k;
		(*vals)[i] = v->type == PK_SET ? pk_nil() : e[i].v;
	}
	ents_free(e, *n);
	cont_close(&c);
	return 0;
}

/* container_length -- entries of a container */
int container_length(pk_pool *pool, const pk_value *v, uint64_t *n)
{
	struct cont c;
	int r = cont_open(&c, pool, v);
	if (r) return r;
	switch (c.t) {
	case PK_MAP: r = pk_map_length(n, c.h.m); break;
	case PK_LIST: r = pk_list_length(n, c.h.l); break;
	case PK_ARRAY: r = pk_array_length(n, c.h.a); break;
	case PK_LOG: r = pk_log_length(n, c.h.g); break;
	case PK_BLOCKS: r = pk_blocks_length(n, c.h.b); break;
	case PK_SET: r = pk_set_length(n, c.h.s); break;
	case PK_RECORD: r = pk_record_length(n, c.h.r); break;
	case PK_SORTED: r = pk_sorted_length(n, c.h.o); break;
	default: r = PK_EKIND;
	}
	cont_close(&c);
	return r;
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
