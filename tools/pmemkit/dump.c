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
	path_free(&p);
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

/* The lines of a --lines input: each line's text, parsed when needed. */
struct line { const char *p; size_t len; size_t no; };

static int split_lines(char *buf, size_t len, struct line **out, size_t *n)
{
	size_t pos = 0, no = 0, cap = 0;
	*out = NULL;
	*n = 0;
	while (pos < len) {
		char *nl = memchr(buf + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - buf) : len;
		no++;
		if (end > pos || no == 1) {
			if (*n == cap) {
				cap = cap ? cap * 2 : 1024;
				*out = realloc(*out, cap * sizeof(**out));
				if (!*out) die("out of memory");
			}
			(*out)[(*n)++] = (struct line){ buf + pos, end - pos, no };
		}
		pos = end + 1;
	}
	return 0;
}

static struct jv *parse_line(const struct line *ln, int header, char *err,
		size_t errlen)
{
	char e[400];
	struct jv *j = json_parse_all(ln->p, ln->len, e, sizeof(e));
	if (!j) {
		snprintf(err, errlen, "line %zu: %s", ln->no, e);
		return NULL;
	}
	if (header) {
		const struct jv *m = json_member(j, "pmemkit"), *f = json_member(j, "format");
		if (!m || m->t != J_STR || strcmp(m->s, "dump") || !f || f->t != J_NUM
				|| strcmp(f->s, "1")) {
			snprintf(err, errlen, "line %zu is not the header {\"pmemkit\":\"dump\",\"format\":1}",
				ln->no);
			json_free(j);
			return NULL;
		}
		return j;
	}
	if (j->t != J_ARR || j->n != 2) {
		snprintf(err, errlen, "line %zu: an entry is a list [key, value]", ln->no);
		json_free(j);
		return NULL;
	}
	if (notation_check(j, e, sizeof(e))) {
		snprintf(err, errlen, "line %zu: %s", ln->no, e);
		json_free(j);
		return NULL;
	}
	return j;
}

/* load_lines -- the entries of a --lines input into the map at target:
 * one transaction, or one per batch entries; entries up to skip are
 * already in the pool (an earlier load stopped after them): their $ids
 * are bound to what the pool holds */
static int load_lines(pk_pool *pool, struct loader *l, const pk_value *target,
		struct line *lines, size_t n, const struct jv *header,
		uint64_t batch, uint64_t skip, uint64_t *done, char *err,
		size_t errlen)
{
	pk_map *m;
	int r, intx = 0;
	loader_bind(l, header, target);
	if (loader_error(l)[0]) {
		snprintf(err, errlen, "line 1: %s", loader_error(l));
		return PK_EVALUE;
	}
	if ((r = pk_map_open(&m, pool, target))) {
		snprintf(err, errlen, "%s", pk_text(r));
		return r;
	}
	*done = 0;
	for (size_t i = 1; i < n; i++) {
		char e[400];
		struct jv *j = parse_line(&lines[i], 0, e, sizeof(e));
		pk_value k, v;
		if (!j) { snprintf(err, errlen, "%s", e); r = PK_EVALUE; break; }
		if (i <= skip) {
			/* loaded before: bind its $ids to the pool's containers */
			if (load_value(l, &k, &j->a[0]) || pk_map_get(&v, m, &k)
					|| loader_bind_existing(l, &j->a[1], &v)) {
				snprintf(err, errlen, "line %zu: an entry --skip passes is not in the pool as given%s%s",
					lines[i].no, loader_error(l)[0] ? ": " : "", loader_error(l));
				json_free(j);
				r = PK_EVALUE;
				break;
			}
			json_free(j);
			*done = i;
			continue;
		}
		if (!intx) {
			if ((r = pk_tx_begin(pool))) {
				snprintf(err, errlen, "%s", pk_text(r));
				json_free(j);
				break;
			}
			intx = 1;
		}
		if (load_value(l, &k, &j->a[0]) || k.type >= PK_MAP
				|| load_value(l, &v, &j->a[1])) {
			snprintf(err, errlen, "line %zu: %s", lines[i].no,
				loader_error(l)[0] ? loader_error(l) : "a key is a scalar");
			r = PK_EVALUE;
		} else if ((r = pk_map_put(m, &k, &v)))
			snprintf(err, errlen, "line %zu: %s", lines[i].no, pk_text(r));
		json_free(j);
		if (r) break;
		if (batch && (i - skip) % batch == 0) {
			intx = 0;
			if ((r = pk_tx_commit(pool)) || (r = pk_pool_sync(pool))) {
				snprintf(err, errlen, "line %zu: commit: %s", lines[i].no, pk_text(r));
				break;
			}
			*done = i;
			progress("%zu entries committed", i);
		}
	}
	pk_map_close(m);
	if (r) {
		if (intx) pk_tx_abort(pool);
		return r;
	}
	if (intx && (r = pk_tx_commit(pool))) {
		snprintf(err, errlen, "commit: %s", pk_text(r));
		return r;
	}
	*done = n - 1;
	return 0;
}

int cmd_load(struct opts *o, int argc, char **argv)
{
	struct path p;
	char err[512] = "";
	const char *where = argc > 1 ? argv[1] : "/";
	int r;
	if ((o->batch || o->skip) && !o->lines)
		return fail("load: --batch and --skip go with --lines");
	if (path_parse(&p, where, err, sizeof(err)))
		return fail("%s", err);
	if (isatty(0))
		return fail("load: reads the input from standard input: pmemkit load POOL < FILE");
	size_t len;
	char *buf = read_all(stdin, &len);
	struct jv *doc = NULL, *header = NULL;
	struct line *lines = NULL;
	size_t nlines = 0;
	/* the whole input is parsed and checked before the pool is opened */
	if (o->lines) {
		split_lines(buf, len, &lines, &nlines);
		if (!nlines)
			return fail("load: the input is empty: no header line");
		if (!(header = parse_line(&lines[0], 1, err, sizeof(err))))
			return fail("load: %s", err);
		for (size_t i = 1; i < nlines; i++) {
			struct jv *j = parse_line(&lines[i], 0, err, sizeof(err));
			if (!j) return fail("load: %s", err);
			json_free(j);
		}
		if (o->skip >= nlines)
			return fail("load: --skip %llu passes every entry (the input has %zu)",
				(unsigned long long)o->skip, nlines - 1);
	} else {
		doc = json_parse_all(buf, len, err, sizeof(err));
		if (!doc)
			return fail("load: %s", err);
		if (!p.n && !json_is_map(doc))
			return fail("load: the input for the root must be a map ({...} or {\"$map\":[...]})");
		if (notation_check(doc, err, sizeof(err)))
			return fail("load: %s", err);
	}
	pk_value target;
	size_t upto = o->lines ? p.n : (p.n ? p.n - 1 : 0);
	/* read-only first: a missing target refuses before any write */
	pk_pool *pool = open_pool(argv[0], 1);
	r = path_get(pool, &p, upto, &target, err, sizeof(err));
	if (!r && ((o->lines && target.type != PK_MAP) || target.type < PK_MAP)) {
		snprintf(err, sizeof(err), "a %s%s", type_name(target.type),
			o->lines ? " is not a map" : " is not a container");
		r = PK_EKIND;
	}
	close_pool(pool);
	if (r == PK_NOTFOUND)
		return fprintf(stderr, "pmemkit: load: %s: no such path\n", where), EX_NO;
	if (r)
		return fail("load: %s", err);
	pool = open_pool_flags(argv[0], o->pdurable ? PK_POOL_PROCESS_DURABLE : 0);
	struct loader *l = loader_new(pool);
	if ((r = path_get(pool, &p, upto, &target, err, sizeof(err)))) {
	} else if (o->lines) {
		uint64_t done = 0;
		r = load_lines(pool, l, &target, lines, nlines, header, o->batch,
			o->skip, &done, err, sizeof(err));
		if (r && o->batch && done > o->skip) {
			progress_end();
			close_pool(pool);
			return fail("load: %s (entries 1 to %llu are loaded: resume with --skip %llu)",
				err, (unsigned long long)done, (unsigned long long)done);
		}
	} else {
		if ((r = pk_tx_begin(pool))) {
			snprintf(err, sizeof(err), "%s", pk_text(r));
		} else {
			if (!p.n) {
				loader_bind(l, doc, &target);
				if (loader_error(l)[0] || load_map_entries(l, &target, doc)) {
					snprintf(err, sizeof(err), "%s", loader_error(l));
					r = PK_EVALUE;
				}
			} else
				r = set_value(pool, &p, doc, err, sizeof(err));
			if (r)
				pk_tx_abort(pool);
			else if ((r = pk_tx_commit(pool)))
				snprintf(err, sizeof(err), "commit: %s", pk_text(r));
		}
	}
	progress_end();
	if (r) {
		close_pool(pool);
		return fail("load: %s (nothing was changed%s)", err,
			o->skip ? " by this load" : "");
	}
	if (isatty(2))
		fprintf(stderr, "pmemkit: load: %llu values\n", (unsigned long long)loader_count(l));
	loader_free(l);
	close_pool(pool);
	json_free(doc);
	json_free(header);
	free(lines);
	free(buf);
	path_free(&p);
	return EX_OK;
}
