/*
 * path.c -- paths: one key a segment (doc/notation.md, "Paths")
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "pk.h"

/* bare -- whether s is a bare word: [A-Za-z_][A-Za-z0-9_.:@+-]*, and not
 * one of JSON's literals */
static int bare(const char *s, size_t n)
{
	if (!n || !((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z')
			|| s[0] == '_'))
		return 0;
	for (size_t i = 1; i < n; i++) {
		char c = s[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
				|| (c >= '0' && c <= '9') || strchr("_.:@+-", c)))
			return 0;
	}
	if ((n == 4 && !memcmp(s, "true", 4)) || (n == 5 && !memcmp(s, "false", 5))
			|| (n == 4 && !memcmp(s, "null", 4)))
		return 0;
	return 1;
}

static int digits(const char *s, size_t n)
{
	size_t i = n && s[0] == '-';
	if (i == n) return 0;
	for (; i < n; i++)
		if (s[i] < '0' || s[i] > '9') return 0;
	return 1;
}

int path_parse(struct path *p, const char *s, char *err, size_t errlen)
{
	size_t len = strlen(s), pos = 1, cap = 0;
	memset(p, 0, sizeof(*p));
	if (s[0] != '/') {
		snprintf(err, errlen, "bad path \"%s\": a path starts with '/'", s);
		return -1;
	}
	if (len == 1) return 0;
	while (pos <= len) {
		if (p->n == cap) {
			cap = cap ? cap * 2 : 8;
			p->keys = realloc(p->keys, cap * sizeof(*p->keys));
			p->docs = realloc(p->docs, cap * sizeof(*p->docs));
			if (!p->keys || !p->docs) die("out of memory");
		}
		size_t st = pos;
		struct jv *j = NULL;
		char jerr[200];
		if (pos < len && strchr("\"{[", s[pos])) {
			j = json_parse(s, len, &pos, jerr, sizeof(jerr));
			if (!j) {
				snprintf(err, errlen, "bad path segment %zu: %s", p->n + 1, jerr);
				goto bad;
			}
		} else {
			const char *sl = strchr(s + pos, '/');
			size_t end = sl ? (size_t)(sl - s) : len;
			if (end == pos) {
				snprintf(err, errlen, "bad path: segment %zu is empty", p->n + 1);
				goto bad;
			}
			if (bare(s + pos, end - pos)) {
				j = calloc(1, sizeof(*j));
				if (!j) die("out of memory");
				j->t = J_STR;
				j->len = end - pos;
				j->s = strndup(s + pos, end - pos);
				j->off = pos;
				pos = end;
			} else {
				size_t n = end - pos;
				j = json_parse_all(s + pos, n, jerr, sizeof(jerr));
				if (!j || (digits(s + pos, n) && j->t != J_NUM)) {
					snprintf(err, errlen, "bad path segment %zu \"%.*s\": not a bare word, an integer or a JSON value",
						p->n + 1, (int)n, s + pos);
					json_free(j);
					goto bad;
				}
				pos = end;
			}
		}
		if (pos < len && s[pos] != '/') {
			snprintf(err, errlen, "bad path: segment %zu has text after its value at byte %zu",
				p->n + 1, pos);
			json_free(j);
			goto bad;
		}
		p->docs[p->n] = j;
		if (scalar_from_json(&p->keys[p->n], j, 1, jerr, sizeof(jerr))) {
			p->n++;
			snprintf(err, errlen, "bad path segment %zu: %s", p->n, jerr);
			goto bad;
		}
		p->n++;
		(void)st;
		if (pos == len) break;
		pos++; /* the '/' */
		if (pos == len) {
			snprintf(err, errlen, "bad path: it ends with '/'");
			goto bad;
		}
	}
	return 0;
bad:
	path_free(p);
	return -1;
}

void path_free(struct path *p)
{
	for (size_t i = 0; i < p->n; i++)
		json_free(p->docs[i]);
	free(p->keys);
	free(p->docs);
	memset(p, 0, sizeof(*p));
}

/* tuple_key -- a scalar as in a path's JSON: tuples as [...] */
static void tuple_key(struct sbuf *b, const pk_value *key)
{
	if (key->type != PK_TUPLE) {
		if (dump_scalar(b, key))
			sb_puts(b, "?");
		return;
	}
	size_t pos = 0;
	pk_value it;
	sb_puts(b, "[");
	for (int first = 1; !pk_tuple_next(&it, key, &pos); first = 0) {
		if (!first) sb_puts(b, ",");
		tuple_key(b, &it);
	}
	sb_puts(b, "]");
}

/* path_key -- a key as a segment, in the shortest form that parses back */
void path_key(struct sbuf *b, const pk_value *key)
{
	if (key->type == PK_STRING && bare(key->u.buf.ptr, key->u.buf.len)) {
		sb_add(b, key->u.buf.ptr, key->u.buf.len);
		return;
	}
	tuple_key(b, key);
}

/* child_get -- the entry of container cont named by key */
int child_get(pk_pool *pool, const pk_value *cont, const pk_value *key,
		pk_value *out, char *err, size_t errlen)
{
	int r;
	int64_t idx = key->type == PK_INT ? key->u.i : 0;
	int isint = key->type == PK_INT;
	switch (cont->type) {
	case PK_MAP: {
		pk_map *m;
		if ((r = pk_map_open(&m, pool, cont))) break;
		r = pk_map_get(out, m, key);
		pk_map_close(m);
		break;
	}
	case PK_SORTED: {
		pk_sorted *m;
		if ((r = pk_sorted_open(&m, pool, cont))) break;
		r = pk_sorted_get(out, m, key);
		pk_sorted_close(m);
		if (r == PK_EKEYTYPE) r = PK_NOTFOUND;
		break;
	}
	case PK_RECORD: {
		pk_record *m;
		if (key->type != PK_STRING) return PK_NOTFOUND;
		if ((r = pk_record_open(&m, pool, cont))) break;
		r = pk_record_get(out, m, key);
		pk_record_close(m);
		break;
	}
	case PK_SET: {
		pk_set *m;
		int in = 0;
		if ((r = pk_set_open(&m, pool, cont))) break;
		r = pk_set_contains(&in, m, key);
		pk_set_close(m);
		if (r == PK_EKEYTYPE) r = 0;
		if (!r && !in) r = PK_NOTFOUND;
		if (!r) *out = *key;
		break;
	}
	case PK_LIST: {
		pk_list *m;
		if (!isint) return PK_NOTFOUND;
		if ((r = pk_list_open(&m, pool, cont))) break;
		r = pk_list_get(out, m, idx);
		pk_list_close(m);
		if (r == PK_ERANGE) r = PK_NOTFOUND;
		break;
	}
	case PK_ARRAY: {
		pk_array *m;
		if (!isint) return PK_NOTFOUND;
		if ((r = pk_array_open(&m, pool, cont))) break;
		pk_elem el;
		size_t w;
		r = pk_array_get(out, m, idx);
		if (!r && !pk_array_type(&el, &w, m) && el == PK_ELEM_U64
				&& out->u.i < 0) {
			/* beyond int64: the same 64 bits, as a big int */
			static unsigned char big[9];
			uint64_t u = (uint64_t)out->u.i;
			for (int i = 0; i < 8; i++) big[i] = u >> (8 * i);
			big[8] = 0;
			out->type = PK_BIGINT;
			out->u.buf.ptr = big;
			out->u.buf.len = 9;
		}
		pk_array_close(m);
		if (r == PK_ERANGE) r = PK_NOTFOUND;
		break;
	}
	case PK_BLOCKS: {
		pk_blocks *m;
		uint64_t n;
		if (!isint) return PK_NOTFOUND;
		if ((r = pk_blocks_open(&m, pool, cont))) break;
		if (!(r = pk_blocks_length(&n, m))) {
			if (idx < 0) idx += (int64_t)n;
			r = idx < 0 ? PK_ERANGE : pk_blocks_get(out, m, (uint64_t)idx);
		}
		pk_blocks_close(m);
		if (r == PK_ERANGE) r = PK_NOTFOUND;
		break;
	}
	case PK_LOG: {
		pk_log *m;
		pk_cursor *c;
		uint64_t n;
		if (!isint) return PK_NOTFOUND;
		if ((r = pk_log_open(&m, pool, cont))) break;
		if (!(r = pk_log_length(&n, m)) && !(r = pk_log_cursor(&c, m))) {
			if (idx < 0) idx += (int64_t)n;
			if (idx < 0 || (uint64_t)idx >= n) r = PK_NOTFOUND;
			for (int64_t i = 0; !r && i <= idx; i++)
				r = pk_cursor_next(NULL, out, c);
			pk_cursor_free(c);
		}
		pk_log_close(m);
		break;
	}
	default:
		snprintf(err, errlen, "a %s is not a container", type_name(cont->type));
		return PK_EKIND;
	}
	if (r && r != PK_NOTFOUND)
		snprintf(err, errlen, "%s", pk_text(r));
	return r;
}

/* path_get -- the value the first upto segments of p name */
int path_get(pk_pool *pool, const struct path *p, size_t upto,
		pk_value *out, char *err, size_t errlen)
{
	pk_map *root;
	int r = pk_pool_root(&root, pool);
	if (r) {
		snprintf(err, errlen, "%s", pk_text(r));
		return r;
	}
	*out = pk_map_value(root);
	pk_map_close(root);
	for (size_t i = 0; i < upto; i++) {
		pk_value cur = *out;
		if (cur.type < PK_MAP) {
			snprintf(err, errlen, "segment %zu: a %s is not a container",
				i + 1, type_name(cur.type));
			return PK_EKIND;
		}
		if ((r = child_get(pool, &cur, &p->keys[i], out, err, errlen)))
			return r;
	}
	return 0;
}
