/*
 * dump.c -- dump and load: a pool, or what is under a path, as the
 * notation (doc/notation.md), and back in one transaction
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "pk.h"

int cmd_dump(struct opts *o, int argc, char **argv)
{
	struct path p;
	char err[512] = "";
	pk_value v;
	int r;
	if (path_parse(&p, argc > 1 ? argv[1] : "/", err, sizeof(err)))
		return fail("%s", err);
	pk_pool *pool = open_pool(argv[0], 1);
	if ((r = path_get(pool, &p, p.n, &v, err, sizeof(err)))) {
		close_pool(pool);
		if (r == PK_NOTFOUND)
			return fprintf(stderr, "pmemkit: dump: %s: no such path\n", argv[1]), EX_NO;
		return fail("dump: %s", err);
	}
	if (o->lines && v.type != PK_MAP) {
		close_pool(pool);
		return fail("dump: --lines dumps a map, and %s is a %s",
			argc > 1 ? argv[1] : "/", type_name(v.type));
	}
	struct dumper *d = dumper_new(pool);
	progress("scanning");
	if ((r = dumper_scan(d, &v))) {
		int e = fail("dump: %s", dumper_error(d));
		dumper_free(d);
		close_pool(pool);
		return e;
	}
	if (o->lines) {
		r = dump_lines(d, stdout, &v);
	} else {
		struct sbuf out = {0};
		if (!(r = dump_value(d, &out, &v))) {
			sb_puts(&out, "\n");
			fwrite(out.p, 1, out.len, stdout);
		}
		sb_free(&out);
	}
	progress_end();
	if (r) {
		int e = fail("dump: %s", dumper_error(d));
		dumper_free(d);
		close_pool(pool);
		return e;
	}
	dumper_free(d);
	close_pool(pool);
	if (fflush(stdout) || ferror(stdout))
		return fail("dump: writing the output: %s", strerror(errno));
	return EX_OK;
}

static char *read_all(FILE *f, size_t *len)
{
	size_t cap = 1 << 16, n = 0, k;
	char *b = malloc(cap);
	if (!b) die("out of memory");
	while ((k = fread(b + n, 1, cap - n, f)) > 0) {
		n += k;
		if (n == cap) {
			cap *= 2;
			b = realloc(b, cap);
			if (!b) die("out of memory");
		}
	}
	if (ferror(f)) die("load: reading the input: %s", strerror(errno));
	*len = n;
	return b;
}

int cmd_load(struct opts *o, int argc, char **argv)
{
	struct path p;
	char err[512] = "";
	int r;
	if (path_parse(&p, argc > 1 ? argv[1] : "/", err, sizeof(err)))
		return fail("%s", err);
	size_t len;
	char *buf = read_all(stdin, &len);
	struct jv **docs = NULL, *header = NULL;
	size_t ndocs = 0;
	/* the whole input is parsed before the pool is opened */
	if (o->lines) {
		size_t pos = 0, line = 0, cap = 0;
		while (pos < len) {
			char *nl = memchr(buf + pos, '\n', len - pos);
			size_t end = nl ? (size_t)(nl - buf) : len;
			line++;
			if (end > pos) {
				struct jv *j = json_parse_all(buf + pos, end - pos, err, sizeof(err));
				if (!j)
					return fail("load: line %zu: %s", line, err);
				if (line == 1) {
					const struct jv *m = json_member(j, "pmemkit"),
						*f = json_member(j, "format");
					if (!m || m->t != J_STR || strcmp(m->s, "dump") || !f
							|| f->t != J_NUM || strcmp(f->s, "1"))
						return fail("load: line 1 is not the header {\"pmemkit\":\"dump\",\"format\":1}");
					header = j;
				} else {
					if (j->t != J_ARR || j->n != 2)
						return fail("load: line %zu: an entry is a list [key, value]", line);
					if (ndocs == cap) {
						cap = cap ? cap * 2 : 64;
						docs = realloc(docs, cap * sizeof(*docs));
						if (!docs) die("out of memory");
					}
					docs[ndocs++] = j;
				}
			} else if (line == 1)
				return fail("load: line 1 is not the header {\"pmemkit\":\"dump\",\"format\":1}");
			pos = end + 1;
		}
		if (!header)
			return fail("load: the input is empty: no header line");
	} else {
		struct jv *j = json_parse_all(buf, len, err, sizeof(err));
		if (!j)
			return fail("load: %s", err);
		if (!p.n && !json_is_map(j))
			return fail("load: the input for the root must be a map ({...} or {\"$map\":[...]})");
		docs = malloc(sizeof(*docs));
		if (!docs) die("out of memory");
		docs[ndocs++] = j;
	}
	free(buf);
	for (size_t i = 0; i < ndocs; i++)
		if (notation_check(docs[i], err, sizeof(err)))
			return o->lines ? fail("load: entry %zu: %s", i + 1, err)
				: fail("load: %s", err);
	pk_value target;
	/* read-only first: a missing target refuses before any write */
	pk_pool *pool = open_pool(argv[0], 1);
	r = path_get(pool, &p, o->lines ? p.n : (p.n ? p.n - 1 : 0), &target, err, sizeof(err));
	if (!r && ((o->lines && target.type != PK_MAP) || target.type < PK_MAP)) {
		snprintf(err, sizeof(err), "a %s%s", type_name(target.type),
			o->lines ? " is not a map" : " is not a container");
		r = PK_EKIND;
	}
	close_pool(pool);
	if (r == PK_NOTFOUND)
		return fprintf(stderr, "pmemkit: load: %s: no such path\n", argc > 1 ? argv[1] : "/"), EX_NO;
	if (r)
		return fail("load: %s", err);
	pool = open_pool(argv[0], 0);
	if ((r = pk_tx_begin(pool))) {
		close_pool(pool);
		return fail("load: %s", pk_strerror(r));
	}
	struct loader *l = loader_new(pool);
	r = path_get(pool, &p, o->lines ? p.n : (p.n ? p.n - 1 : 0), &target, err, sizeof(err));
	if (r) {
	} else if (o->lines) {
		pk_map *m;
		loader_bind(l, header, &target);
		if (loader_error(l)[0]) {
			snprintf(err, sizeof(err), "line 1: %s", loader_error(l));
			r = PK_EVALUE;
		} else if ((r = pk_map_open(&m, pool, &target)))
			snprintf(err, sizeof(err), "%s", pk_strerror(r));
		else {
			for (size_t i = 0; i < ndocs && !r; i++) {
				pk_value k, v;
				if (load_value(l, &k, &docs[i]->a[0]) || k.type >= PK_MAP
						|| load_value(l, &v, &docs[i]->a[1])) {
					snprintf(err, sizeof(err), "entry %zu: %s", i + 1,
						loader_error(l)[0] ? loader_error(l) : "a key is a scalar");
					r = PK_EVALUE;
				} else if ((r = pk_map_put(m, &k, &v)))
					snprintf(err, sizeof(err), "entry %zu: %s: %s", i + 1,
						pk_strerror(r), pk_errormsg());
			}
			pk_map_close(m);
		}
	} else if (!p.n) {
		loader_bind(l, docs[0], &target);
		if (loader_error(l)[0] || load_map_entries(l, &target, docs[0])) {
			snprintf(err, sizeof(err), "%s", loader_error(l));
			r = PK_EVALUE;
		}
	} else {
		r = set_value(pool, &p, docs[0], err, sizeof(err));
	}
	progress_end();
	if (r) {
		pk_tx_abort(pool);
		close_pool(pool);
		return fail("load: %s (nothing was changed)", err);
	}
	if ((r = pk_tx_commit(pool))) {
		close_pool(pool);
		return fail("load: commit: %s%s%s (nothing was changed)", pk_strerror(r),
			pk_errormsg()[0] ? ": " : "", pk_errormsg());
	}
	if (isatty(2))
		fprintf(stderr, "pmemkit: load: %llu values\n", (unsigned long long)loader_count(l));
	loader_free(l);
	close_pool(pool);
	for (size_t i = 0; i < ndocs; i++) json_free(docs[i]);
	free(docs);
	json_free(header);
	return EX_OK;
}
