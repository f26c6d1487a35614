/*
 * notation.c -- pmemkit values written in the dump notation
 * (doc/notation.md): JSON with tagged objects for what JSON lacks; the
 * reader is load.c
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

