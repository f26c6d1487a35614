/*
 * walk.c -- ls, tree, get, set, rm: looking at and changing one path
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "pk.h"

#define SUMMARY_MAX 120

static int pkfail(const char *cmd, const char *what, int r, const char *err)
{
	if (r == PK_NOTFOUND)
		return fprintf(stderr, "pmemkit: %s: %s: no such path\n", cmd, what), EX_NO;
	return fail("%s: %s: %s", cmd, what, err && err[0] ? err : pk_text(r));
}

/* summary -- one line about a value: a scalar's notation (cut at
 * SUMMARY_MAX bytes), or a container's kind and length */
static void summary(struct sbuf *b, pk_pool *pool, const pk_value *v, int full)
{
	if (v->type < PK_MAP) {
		struct sbuf s = {0};
		dump_scalar(&s, v);
		if (!full && s.len > SUMMARY_MAX) {
			size_t n = SUMMARY_MAX;
			/* not inside a UTF-8 sequence */
			while (n && ((unsigned char)s.p[n] & 0xC0) == 0x80) n--;
			sb_add(b, s.p, n);
			sb_puts(b, "...");
		} else
			sb_add(b, s.p, s.len);
		sb_free(&s);
		return;
	}
	uint64_t n = 0;
	container_length(pool, v, &n);
	sb_printf(b, "<%s, %llu %s>", type_name(v->type), (unsigned long long)n,
		v->type == PK_BLOCKS ? "blocks" : v->type == PK_LOG ? "records"
		: n == 1 ? "entry" : "entries");
}

static void json_entry(struct sbuf *b, pk_pool *pool, const char *path,
		const pk_value *key, const pk_value *v, int isset)
{
	sb_puts(b, "{\"path\":");
	sb_str(b, path, strlen(path));
	if (key) {
		sb_puts(b, ",\"key\":");
		dump_scalar(b, key);
	}
	sb_printf(b, ",\"type\":\"%s\"", isset ? "element" : type_name(v->type));
	if (isset) {
	} else if (v->type < PK_MAP) {
		sb_puts(b, ",\"value\":");
		dump_scalar(b, v);
	} else {
		uint64_t n = 0;
		container_length(pool, v, &n);
		sb_printf(b, ",\"length\":%llu", (unsigned long long)n);
	}
	sb_puts(b, "}");
}

static int open_path(pk_pool **pool, struct path *p, const char *pool_path,
		const char *path, int readonly)
{
	char err[512];
	if (path_parse(p, path ? path : "/", err, sizeof(err)))
		return fail("%s", err);
	*pool = open_pool(pool_path, readonly);
	return 0;
}

int cmd_ls(struct opts *o, int argc, char **argv)
{
	pk_pool *pool = NULL;
	struct path p;
	pk_value v;
	char err[512] = "";
	int r;
	if ((r = open_path(&pool, &p, argv[0], argc > 1 ? argv[1] : NULL, 1)))
		return r;
	const char *base = argc > 1 ? argv[1] : "/";
	if ((r = path_get(pool, &p, p.n, &v, err, sizeof(err)))) {
		close_pool(pool);
		return pkfail(o->cmd, base, r, err);
	}
	struct sbuf out = {0};
	if (o->json) sb_puts(&out, "[");
	if (v.type < PK_MAP) {
		if (o->json) json_entry(&out, pool, base, NULL, &v, 0);
		else {
			sb_printf(&out, "%s\t", base);
			summary(&out, pool, &v, 0);
			sb_puts(&out, "\n");
		}
	} else {
		struct dumper *d = dumper_new(pool);
		pk_value *keys, *vals;
		size_t n;
		if ((r = container_entries(d, &v, &keys, &vals, &n))) {
			int e = fail("ls: %s", dumper_error(d));
			dumper_free(d);
			close_pool(pool);
			return e;
		}
		for (size_t i = 0; i < n; i++) {
			struct sbuf path = {0};
			pk_value key = v.type == PK_LOG ? pk_int((int64_t)i) : keys[i];
			pk_value val = vals[i];
			sb_puts(&path, strcmp(base, "/") ? base : "");
			sb_puts(&path, "/");
			path_key(&path, &key);
			if (v.type == PK_BLOCKS) {
				uint64_t bs = 0;
				pk_blocks *b;
				if (!pk_blocks_open(&b, pool, &v)) {
					pk_blocks_block_size(&bs, b);
					pk_blocks_close(b);
				}
				if (o->json) {
					if (i) sb_puts(&out, ",");
					sb_puts(&out, "{\"path\":");
					sb_str(&out, path.p, path.len);
					sb_printf(&out, ",\"key\":%zu,\"type\":\"block\",\"length\":%llu}",
						i, (unsigned long long)bs);
				} else
					sb_printf(&out, "%s\t<block, %llu bytes>\n", path.p,
						(unsigned long long)bs);
			} else if (o->json) {
				if (i) sb_puts(&out, ",");
				json_entry(&out, pool, path.p, &key, &val, v.type == PK_SET);
			} else {
				sb_add(&out, path.p, path.len);
				sb_puts(&out, "\t");
				if (v.type == PK_SET) sb_puts(&out, "<element>");
				else summary(&out, pool, &val, 0);
				sb_puts(&out, "\n");
			}
			sb_free(&path);
		}
		free(keys);
		free(vals);
		dumper_free(d);
	}
	if (o->json) sb_puts(&out, "]\n");
	if (out.len) fwrite(out.p, 1, out.len, stdout);
	sb_free(&out);
	close_pool(pool);
	path_free(&p);
	return EX_OK;
}

static const char *tree_base = "/";

/* tree_walk -- a value and what is under it, indented */
static int tree_walk(struct dumper *d, pk_pool *pool, struct sbuf *out,
		const pk_value *key, const pk_value *v, int depth, int json,
		int isset)
{
	if (json) {
		sb_puts(out, "{");
		if (key) {
			sb_puts(out, "\"key\":");
			dump_scalar(out, key);
			sb_puts(out, ",");
		}
		sb_printf(out, "\"type\":\"%s\"", isset ? "element" : type_name(v->type));
		if (!isset && v->type < PK_MAP) {
			sb_puts(out, ",\"value\":");
			dump_scalar(out, v);
		}
	} else {
		sb_printf(out, "%*s", depth * 2, "");
		if (key)
			path_key(out, key);
		else
			sb_puts(out, tree_base);
		sb_puts(out, "  ");
		if (isset) sb_puts(out, "<element>");
		else summary(out, pool, v, 0);
	}
	if (isset || v->type < PK_MAP) {
		if (json) sb_puts(out, "}");
		else sb_puts(out, "\n");
		return 0;
	}
	uint64_t n = 0;
	container_length(pool, v, &n);
	if (dumper_visit(d, v->u.ref.off)) {
		/* shared or a cycle: shown where first met */
		if (json) sb_printf(out, ",\"length\":%llu,\"seen\":true}", (unsigned long long)n);
		else sb_puts(out, "  (shown above)\n");
		return 0;
	}
	if (depth >= DUMP_DEPTH) {
		fail("tree: containers nested deeper than %d: give a path further down",
			DUMP_DEPTH);
		return PK_EVALUE;
	}
	if (json) sb_printf(out, ",\"length\":%llu,\"children\":[", (unsigned long long)n);
	else sb_puts(out, "\n");
	if (v->type == PK_BLOCKS || v->type == PK_ARRAY || v->type == PK_LOG) {
		/* leaves only: the summary says how many */
		if (json) sb_puts(out, "]}");
		return 0;
	}
	pk_value *keys, *vals;
	size_t cnt;
	int r = container_entries(d, v, &keys, &vals, &cnt);
	if (r) return r;
	for (size_t i = 0; i < cnt && !r; i++) {
		if (json && i) sb_puts(out, ",");
		r = tree_walk(d, pool, out, &keys[i], &vals[i], depth + 1, json,
			v->type == PK_SET);
	}
	free(keys);
	free(vals);
	if (json) sb_puts(out, "]}");
	return r;
}

int cmd_tree(struct opts *o, int argc, char **argv)
{
	pk_pool *pool = NULL;
	struct path p;
	pk_value v;
	char err[512] = "";
	int r;
	if ((r = open_path(&pool, &p, argv[0], argc > 1 ? argv[1] : NULL, 1)))
		return r;
	const char *base = argc > 1 ? argv[1] : "/";
	if ((r = path_get(pool, &p, p.n, &v, err, sizeof(err)))) {
		close_pool(pool);
		return pkfail(o->cmd, base, r, err);
	}
	struct dumper *d = dumper_new(pool);
	struct sbuf out = {0};
	tree_base = base;
	r = tree_walk(d, pool, &out, NULL, &v, 0, o->json, 0);
	if (r) {
		int e = r == PK_EVALUE ? EX_FAIL : fail("tree: %s", dumper_error(d));
		dumper_free(d);
		close_pool(pool);
		return e;
	}
	if (o->json) sb_puts(&out, "\n");
	fwrite(out.p, 1, out.len, stdout);
	sb_free(&out);
	dumper_free(d);
	close_pool(pool);
	path_free(&p);
	return EX_OK;
}

int cmd_get(struct opts *o, int argc, char **argv)
{
	pk_pool *pool = NULL;
	struct path p;
	pk_value v;
	char err[512] = "";
	int r;
	(void)o; (void)argc;
	if ((r = open_path(&pool, &p, argv[0], argv[1], 1)))
		return r;
	if ((r = path_get(pool, &p, p.n, &v, err, sizeof(err)))) {
		close_pool(pool);
		return pkfail(o->cmd, argv[1], r, err);
	}
	struct dumper *d = dumper_new(pool);
	struct sbuf out = {0};
	if ((r = dumper_scan(d, &v)) || (r = dump_value(d, &out, &v))) {
		int e = fail("get: %s", dumper_error(d));
		dumper_free(d);
		close_pool(pool);
		return e;
	}
	sb_puts(&out, "\n");
	fwrite(out.p, 1, out.len, stdout);
	sb_free(&out);
	dumper_free(d);
	close_pool(pool);
	path_free(&p);
	return EX_OK;
}

/* put_child -- store val at key in container parent: one library call */
int put_child(pk_pool *pool, const pk_value *parent, const pk_value *key,
		const pk_value *val, char *err, size_t errlen)
{
	int r;
	int64_t idx = key->type == PK_INT ? key->u.i : 0;
	if ((parent->type == PK_LIST || parent->type == PK_ARRAY
			|| parent->type == PK_BLOCKS) && key->type != PK_INT) {
		snprintf(err, errlen, "a %s's entries are named by integers",
			type_name(parent->type));
		return PK_EKEYTYPE;
	}
	switch (parent->type) {
	case PK_MAP: {
		pk_map *m;
		if ((r = pk_map_open(&m, pool, parent))) break;
		r = pk_map_put(m, key, val);
		pk_map_close(m);
		break;
	}
	case PK_SORTED: {
		pk_sorted *m;
		if ((r = pk_sorted_open(&m, pool, parent))) break;
		r = pk_sorted_put(m, key, val);
		pk_sorted_close(m);
		break;
	}
	case PK_RECORD: {
		pk_record *m;
		if ((r = pk_record_open(&m, pool, parent))) break;
		r = pk_record_put(m, key, val);
		pk_record_close(m);
		break;
	}
	case PK_SET: {
		pk_set *m;
		if (val->type != PK_BOOL || !val->u.i) {
			snprintf(err, errlen, "a set's element is set to true (added) or removed with rm");
			return PK_EVALUE;
		}
		if ((r = pk_set_open(&m, pool, parent))) break;
		r = pk_set_add(m, key);
		pk_set_close(m);
		break;
	}
	case PK_LIST: {
		pk_list *m;
		uint64_t n;
		if ((r = pk_list_open(&m, pool, parent))) break;
		if (!(r = pk_list_length(&n, m)))
			r = idx == (int64_t)n ? pk_list_append(m, val)
				: pk_list_set(m, idx, val);
		pk_list_close(m);
		break;
	}
	case PK_ARRAY: {
		pk_array *m;
		if ((r = pk_array_open(&m, pool, parent))) break;
		pk_value v = *val;
		pk_elem el;
		size_t w;
		if (v.type == PK_BIGINT && !pk_array_type(&el, &w, m)
				&& el == PK_ELEM_U64 && v.u.buf.len == 9
				&& ((const unsigned char *)v.u.buf.ptr)[8] == 0) {
			uint64_t u = 0;
			for (int i = 8; i-- > 0;)
				u = u << 8 | ((const unsigned char *)v.u.buf.ptr)[i];
			v = pk_int((int64_t)u);
		}
		r = pk_array_set(m, idx, &v);
		pk_array_close(m);
		break;
	}
	case PK_BLOCKS: {
		pk_blocks *m;
		uint64_t n;
		if ((r = pk_blocks_open(&m, pool, parent))) break;
		if (!(r = pk_blocks_length(&n, m))) {
			if (idx < 0) idx += (int64_t)n;
			r = idx < 0 ? PK_ERANGE : pk_blocks_write(m, (uint64_t)idx, val);
		}
		pk_blocks_close(m);
		break;
	}
	case PK_LOG: {
		pk_log *m;
		uint64_t n;
		if ((r = pk_log_open(&m, pool, parent))) break;
		if (!(r = pk_log_length(&n, m))) {
			if (key->type != PK_INT || idx != (int64_t)n) {
				snprintf(err, errlen, "a log only grows: set its entry %llu to append",
					(unsigned long long)n);
				pk_log_close(m);
				return PK_EVALUE;
			}
			r = pk_log_append(m, val);
		}
		pk_log_close(m);
		break;
	}
	default:
		snprintf(err, errlen, "a %s is not a container", type_name(parent->type));
		return PK_EKIND;
	}
	if (r)
		snprintf(err, errlen, "%s", pk_text(r));
	return r;
}

/* rm_child -- remove the entry key of parent: one library call */
static int rm_child(pk_pool *pool, const pk_value *parent, const pk_value *key,
		char *err, size_t errlen)
{
	int r;
	switch (parent->type) {
	case PK_MAP: {
		pk_map *m;
		if ((r = pk_map_open(&m, pool, parent))) break;
		r = pk_map_remove(m, key);
		pk_map_close(m);
		break;
	}
	case PK_SORTED: {
		pk_sorted *m;
		if ((r = pk_sorted_open(&m, pool, parent))) break;
		r = pk_sorted_remove(m, key);
		pk_sorted_close(m);
		break;
	}
	case PK_RECORD: {
		pk_record *m;
		if ((r = pk_record_open(&m, pool, parent))) break;
		r = pk_record_remove(m, key);
		pk_record_close(m);
		break;
	}
	case PK_SET: {
		pk_set *m;
		if ((r = pk_set_open(&m, pool, parent))) break;
		r = pk_set_discard(m, key);
		pk_set_close(m);
		break;
	}
	case PK_LIST: {
		pk_list *m;
		if ((r = pk_list_open(&m, pool, parent))) break;
		r = pk_list_pop(m, key->u.i);
		pk_list_close(m);
		break;
	}
	case PK_BLOCKS: {
		pk_blocks *m;
		uint64_t n;
		int64_t idx = key->u.i;
		if ((r = pk_blocks_open(&m, pool, parent))) break;
		if (!(r = pk_blocks_length(&n, m))) {
			if (idx < 0) idx += (int64_t)n;
			r = pk_blocks_zero(m, (uint64_t)idx);
		}
		pk_blocks_close(m);
		break;
	}
	default:
		snprintf(err, errlen, "a %s's entries cannot be removed (%s)",
			type_name(parent->type), parent->type == PK_LOG
			? "a log only grows" : "an array has a fixed length");
		return PK_EKIND;
	}
	if (r)
		snprintf(err, errlen, "%s", pk_text(r));
	return r;
}

/* check_element -- whether an array element or a block takes val */
static int check_element(pk_pool *pool, const pk_value *parent,
		const struct jv *val, char *err, size_t errlen)
{
	pk_value v;
	char e[300];
	if (scalar_from_json(&v, val, 0, e, sizeof(e))) {
		snprintf(err, errlen, "a %s holds scalars only", type_name(parent->type));
		return PK_EVALUE;
	}
	if (parent->type == PK_BLOCKS) {
		pk_blocks *b;
		uint64_t bs = 0;
		if (!pk_blocks_open(&b, pool, parent)) {
			pk_blocks_block_size(&bs, b);
			pk_blocks_close(b);
		}
		if (v.type != PK_BYTES && v.type != PK_STRING) {
			snprintf(err, errlen, "a block is written from $bytes or a string");
			return PK_EVALUE;
		}
		if (v.u.buf.len > bs) {
			snprintf(err, errlen, "%zu bytes do not fit a block of %llu", v.u.buf.len,
				(unsigned long long)bs);
			return PK_EVALUE;
		}
		return 0;
	}
	pk_array *a;
	pk_elem el;
	size_t width;
	int r = pk_array_open(&a, pool, parent);
	if (r) return r;
	r = pk_array_type(&el, &width, a);
	pk_array_close(a);
	if (r) return r;
	const pk_elem_row *row = NULL;
	for (int64_t i = 0; (row = pk_elem_table(i)); i++)
		if (row->code == (int64_t)el) break;
	if (!row) return 0;
	if (!strcmp(row->cls, "bytes")) {
		if (v.type != PK_BYTES || v.u.buf.len != width) {
			snprintf(err, errlen, "an element of this array is $bytes of %zu bytes", width);
			return PK_EVALUE;
		}
		return 0;
	}
	if (!strcmp(row->cls, "float")) {
		if (v.type != PK_INT && v.type != PK_DOUBLE) {
			snprintf(err, errlen, "an element of this array is a number");
			return PK_EVALUE;
		}
		return 0;
	}
	int u64big = v.type == PK_BIGINT && el == PK_ELEM_U64 && v.u.buf.len == 9
		&& ((const unsigned char *)v.u.buf.ptr)[8] == 0;
	if (v.type != PK_INT && v.type != PK_BOOL && !u64big) {
		snprintf(err, errlen, "an element of this array is an integer");
		return PK_EVALUE;
	}
	if (u64big || el == PK_ELEM_U64 || el == PK_ELEM_I64)
		return 0; /* (u64 takes any int64's bits, as pk_array_set()) */
	int bits = (int)row->size * 8;
	int64_t lo = !strcmp(row->cls, "signed") ? -((int64_t)1 << (bits - 1)) : 0;
	int64_t hi = !strcmp(row->cls, "signed") ? ((int64_t)1 << (bits - 1)) - 1
		: ((int64_t)1 << bits) - 1;
	if (v.u.i < lo || v.u.i > hi) {
		snprintf(err, errlen, "%lld does not fit an element of type %s",
			(long long)v.u.i, row->sname);
		return PK_ERANGE;
	}
	return 0;
}

/* check_target -- with the pool open read-only: the parent exists and is
 * a container (and for rm the entry exists), so that a refused command
 * never opens the pool for writing */
static int check_target(const char *pool_path, const struct path *p, int need,
		const struct jv *val, const char *what, const char *path)
{
	char err[512] = "";
	pk_value parent, v;
	pk_pool *pool = open_pool(pool_path, 1);
	int r = path_get(pool, p, p->n - 1, &parent, err, sizeof(err));
	if (!r && parent.type < PK_MAP) {
		snprintf(err, sizeof(err), "a %s is not a container", type_name(parent.type));
		r = PK_EKIND;
	}
	if (!r && (parent.type == PK_LIST || parent.type == PK_ARRAY
			|| parent.type == PK_BLOCKS || parent.type == PK_LOG)
			&& p->keys[p->n - 1].type != PK_INT) {
		snprintf(err, sizeof(err), "a %s's entries are named by integers",
			type_name(parent.type));
		r = PK_EKEYTYPE;
	}
	if (!r && parent.type == PK_RECORD && p->keys[p->n - 1].type != PK_STRING) {
		snprintf(err, sizeof(err), "a record's fields are named by strings");
		r = PK_EKEYTYPE;
	}
	if (!r && need && (parent.type == PK_ARRAY || parent.type == PK_LOG)) {
		snprintf(err, sizeof(err), "a %s's entries cannot be removed (%s)",
			type_name(parent.type), parent.type == PK_LOG
			? "a log only grows" : "an array has a fixed length");
		r = PK_EKIND;
	}
	if (!r && val && parent.type == PK_SET && val->t != J_TRUE) {
		snprintf(err, sizeof(err), "a set's element is set to true (added) or removed with rm");
		r = PK_EVALUE;
	}
	if (!r && val && parent.type == PK_LOG) {
		uint64_t n = 0;
		container_length(pool, &parent, &n);
		if (p->keys[p->n - 1].u.i != (int64_t)n) {
			snprintf(err, sizeof(err), "a log only grows: set its entry %llu to append",
				(unsigned long long)n);
			r = PK_EVALUE;
		}
	}
	if (!r && val && (parent.type == PK_ARRAY || parent.type == PK_BLOCKS))
		r = check_element(pool, &parent, val, err, sizeof(err));
	if (!r && need)
		r = child_get(pool, &parent, &p->keys[p->n - 1], &v, err, sizeof(err));
	close_pool(pool);
	if (r == PK_NOTFOUND && !need)
		return fprintf(stderr, "pmemkit: %s: %s: no such path\n", what, path), EX_NO;
	if (r) return r == PK_NOTFOUND ? (fprintf(stderr, "pmemkit: %s: %s: no such path\n",
		what, path), EX_NO) : fail("%s: %s: %s", what, path, err);
	return 0;
}

/* set_value -- store j at the path: one call for a scalar, one
 * transaction for a container */
int set_value(pk_pool *pool, const struct path *p, const struct jv *j,
		char *err, size_t errlen)
{
	pk_value parent, v;
	int r = path_get(pool, p, p->n - 1, &parent, err, errlen);
	if (r) return r == PK_NOTFOUND ? (snprintf(err, errlen, "no such path"), r) : r;
	struct loader *l = loader_new(pool);
	char e2[16];
	/* a scalar is one library call; a container one transaction */
	int tx = j->t == J_ARR || (j->t == J_OBJ && scalar_from_json(&v, j, 0, e2, sizeof(e2)));
	if (tx && (r = pk_tx_begin(pool))) {
		snprintf(err, errlen, "%s", pk_text(r));
		loader_free(l);
		return r;
	}
	if (load_value(l, &v, j)) {
		snprintf(err, errlen, "%s", loader_error(l));
		r = PK_EVALUE;
	} else
		r = put_child(pool, &parent, &p->keys[p->n - 1], &v, err, errlen);
	if (tx) {
		if (r) pk_tx_abort(pool);
		else if ((r = pk_tx_commit(pool)))
			snprintf(err, errlen, "commit: %s", pk_text(r));
	}
	loader_free(l);
	return r;
}

int cmd_set(struct opts *o, int argc, char **argv)
{
	struct path p;
	char err[512] = "";
	int r;
	(void)o; (void)argc;
	if (path_parse(&p, argv[1], err, sizeof(err)))
		return fail("%s", err);
	if (!p.n)
		return fail("set: the root cannot be replaced: name a key under it");
	struct jv *j = json_parse_all(argv[2], strlen(argv[2]), err, sizeof(err));
	if (!j)
		return fail("set: VALUE: %s", err);
	/* the value is checked before the pool is opened */
	if (notation_check(j, err, sizeof(err)))
		return fail("set: VALUE: %s", err);
	if ((r = check_target(argv[0], &p, 0, j, "set", argv[1])))
		return r;
	pk_pool *pool = open_pool(argv[0], 0);
	r = set_value(pool, &p, j, err, sizeof(err));
	json_free(j);
	close_pool(pool);
	if (r) return fail("set: %s: %s", argv[1], err);
	path_free(&p);
	return EX_OK;
}

int cmd_rm(struct opts *o, int argc, char **argv)
{
	struct path p;
	char err[512] = "";
	pk_value parent;
	int r;
	(void)o; (void)argc;
	if (path_parse(&p, argv[1], err, sizeof(err)))
		return fail("%s", err);
	if (!p.n)
		return fail("rm: the root cannot be removed: name a key under it");
	if ((r = check_target(argv[0], &p, 1, NULL, "rm", argv[1])))
		return r;
	pk_pool *pool = open_pool(argv[0], 0);
	r = path_get(pool, &p, p.n - 1, &parent, err, sizeof(err));
	if (!r)
		r = rm_child(pool, &parent, &p.keys[p.n - 1], err, sizeof(err));
	close_pool(pool);
	if (r == PK_NOTFOUND)
		return fprintf(stderr, "pmemkit: rm: %s: no such path\n", argv[1]), EX_NO;
	if (r) return fail("rm: %s: %s", argv[1], err);
	path_free(&p);
	return EX_OK;
}
