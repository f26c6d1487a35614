/*
 * pf_scen.c -- the scenarios: every mutating operation of every container
 * kind, of the pool and of user transactions, each bracketed by
 * pf_begin()/pf_end() so every drain point it goes through is checked.
 * Sizes are parameters: the make check test and the longer sweep share
 * them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pf_ops.h"
#include "pmemsim.h"

/* store_root -- root[name] = v, ending the operation that made v */
static void
store_root(struct pf_ctx *c, const char *name, pk_value v)
{
	pk_value k = pk_string(name, strlen(name));

	W(pk_map_put(c->root, &k, &v));
	pf_end(c);
}

/* seg_start -- bucket n starts a segment of the map's directory */
static int
seg_start(uint64_t n)
{
	return n <= 64 ? (n & (n - 1)) == 0 : n % 64 == 0;
}

/*
 * abort_remove -- remove k in a transaction that aborts (a merge that
 * frees a segment, undone), then check the live pool: an undo the
 * images cannot show, as the recount at an unclean open repairs counts
 */
static void
abort_remove(struct pf_ctx *c, pk_map *m, const pk_value *k)
{
	pk_check_report rep = PK_CHECK_REPORT_INIT;

	W(pk_tx_begin(c->pool));
	W(pk_map_remove(m, k));
	W(pk_tx_abort(c->pool));
	W(pk_pool_check(&rep, c->pool));
}

/*
 * map_cycles -- grow a map past its first directory growth (640 keys)
 * and shrink it to empty again, cycles times: each split, new segment,
 * directory change and merge is then met again from other states. Only
 * the operations that change the table are checked, and of the plain
 * splits and merges (met hundreds of times) only the first few.
 */
static void
map_cycles(struct pf_ctx *c, pk_map *m, int cycles)
{
	const int keys = 645;
	struct pf_maphdr h;
	pk_value k, v;
	uint8_t buf[100];
	int splits = 0, merges = 0;

	for (int r = 0; r < cycles; r++) {
		for (int i = 0; i < keys; i++) {
			k = pk_int(i * 31 + r);
			v = i % 4 == 3 ? pf_bytes(buf, 60 + (size_t)i % 40,
					(uint32_t)i) : pk_int(i);
			pf_map_hdr(&h, m);
			int event = h.count + 1 > 5 * h.nbuckets;
			if (event && (seg_start(h.nbuckets) || splits++ < 3))
				pf_map_put(c, m, v.type == PK_INT ?
						"map.put.new" : "map.put.new-ext",
						&k, &v);
			else
				W(pk_map_put(m, &k, &v));
		}
		for (int i = 0; i < keys; i++) {
			k = pk_int(i * 31 + r);
			pf_map_hdr(&h, m);
			int event = h.nbuckets > 1 &&
				h.count - 1 < 2 * h.nbuckets;
			if (event && seg_start(h.nbuckets - 1))
				abort_remove(c, m, &k);
			if (event && (seg_start(h.nbuckets - 1) ||
					merges++ < 3))
				pf_map_remove(c, m, "map.remove", &k);
			else
				W(pk_map_remove(m, &k));
		}
	}
}

/*
 * map_merge_full -- merges that add overflow buckets: bucket 3 of a map
 * of 8 or more buckets filled with 8 keys of its own, bucket 7 given 1 to
 * 3 (keys chosen by their hash in this pool), then other keys removed
 * until the merge of bucket 7 into bucket 3 (nbuckets 8 to 7), which must
 * chain overflow buckets to the full one; then 12 keys of bucket 0 and a
 * clear, which unchains both. Rounds alternate inline and out-of-line
 * values.
 */
static void
map_merge_full(struct pf_ctx *c, pk_map *m, int rounds)
{
	enum { FULL = 8, FILL = 45, ZERO = 12 };
	int64_t full[FULL], src[3], fill[FILL], zero[ZERO];
	struct pf_maphdr h;
	uint8_t buf[100];
	pk_value k, v;

	for (int r = 0; r < rounds; r++) {
		int nf = 0, ns = 0, nl = 0, nz = 0, nsrc = 1 + r % 3;
		int merged = 0;
		for (int64_t i = 1000000LL * (r + 1); nf < FULL || ns < nsrc ||
				nl < FILL || nz < ZERO; i++) {
			k = pk_int(i);
			uint32_t hb = pf_key_hash(m, &k) & 15;
			if (hb == 3 && nf < FULL)
				full[nf++] = i;
			else if (hb == 7 && ns < nsrc)
				src[ns++] = i;
			else if (hb == 0 && nz < ZERO)
				zero[nz++] = i;
			else if ((hb & 7) != 3 && hb != 8 && nl < FILL)
				fill[nl++] = i;
		}
		/* the others first: bucket 3 is one bucket of its own, no
		 * chain, once the map has 8 */
		for (int i = 0; i < FILL; i++) {
			k = pk_int(fill[i]);
			W(pk_map_put(m, &k, &k));
		}
		for (int i = 0; i < FULL + nsrc; i++) {
			k = pk_int(i < FULL ? full[i] : src[i - FULL]);
			v = r % 2 ? pf_bytes(buf, 70 + (size_t)i, (uint32_t)i) :
				pk_int(i);
			W(pk_map_put(m, &k, &v));
		}
		for (int i = 0; i < FILL; i++) {
			k = pk_int(fill[i]);
			pf_map_hdr(&h, m);
			if (h.nbuckets == 8 && h.count - 1 < 2 * h.nbuckets) {
				pf_begin(c, "map.remove.merge-full", 0);
				W(pk_map_remove(m, &k));
				pf_end(c);
				merged = 1;
			} else {
				W(pk_map_remove(m, &k));
			}
		}
		if (!merged)
			fprintf(stderr, "map_merge_full: round %d met no merge "
					"into bucket 3\n", r);
		W(merged ? 0 : PK_ECORRUPT);
		/* then a clear, with bucket 0 chained too */
		for (int i = 0; i < ZERO; i++) {
			k = pk_int(zero[i]);
			W(pk_map_put(m, &k, &k));
		}
		pf_begin(c, "map.clear-chained", 0);
		W(pk_map_clear(m));
		pf_end(c);
	}
}

/*
 * map_tx_merge_split -- one transaction that removes keys until buckets
 * merge, then puts others until those buckets split again: a bucket the
 * transaction retired and then reuses held entries when it began, so the
 * split must snapshot it (an abort or a crash brings them back)
 */
static void
map_tx_merge_split(struct pf_ctx *c, pk_map *m)
{
	unsigned ids[50];
	char kb[32];
	pk_value k, v;

	/* 50 keys: 10 buckets (a split while count > 5 x buckets) */
	W(pk_map_clear(m));
	for (unsigned i = 0; i < 50; i++) {
		k = pf_key(kb, ids[i] = i);
		v = pk_int((int64_t)i);
		W(pk_map_put(m, &k, &v));
	}
	/* 40 removed: merges down to 5 buckets (merge while count < 2 x
	 * buckets); 40 put: splits back to 10, through buckets 5-9 the
	 * transaction retired */
	for (unsigned r = 0; r < 10; r++) {
		pf_begin(c, "map.tx-merge-split", 0);
		W(pk_tx_begin(c->pool));
		for (unsigned i = 0; i < 40; i++) {
			k = pf_key(kb, ids[(r * 7 + i) % 50]);
			W(pk_map_remove(m, &k));
		}
		for (unsigned i = 0; i < 40; i++) {
			k = pf_key(kb, ids[(r * 7 + i) % 50] = (r + 1) * 1000 +
					i);
			v = pk_int(-(int64_t)i);
			W(pk_map_put(m, &k, &v));
		}
		W(pk_tx_commit(c->pool));
		pf_end(c);
	}
}

void
pf_map_ops(struct pf_ctx *c, int keys, int check_every, int cycles)
{
	pk_map *m, *sub;
	pk_value k, v;
	uint8_t buf[200];
	char kb[32];

	pf_create(c);
	W(pk_map_new(&m, c->pool));
	k = pk_string("m", 1);
	v = pk_map_value(m);
	W(pk_map_put(c->root, &k, &v));
	/* growth: new keys, inline and out of line, splits, segments and
	 * (past 640 keys) the directory */
	for (int i = 0; i < keys; i++) {
		k = pf_key(kb, (unsigned)i);
		v = i % 4 == 3 ? pf_bytes(buf, 60 + i % 100, (uint32_t)i) :
			pk_int(i);
		/* i % 5 == 0: every split (count > 5 x buckets) */
		if (i % check_every == 0 || i % 5 == 0 ||
		    (i >= 636 && i <= 642))
			pf_map_put(c, m, v.type == PK_INT ? "map.put.new" :
					"map.put.new-ext", &k, &v);
		else
			W(pk_map_put(m, &k, &v));
	}
	/* replacing: inline by inline, inline by out of line and back, a
	 * scalar by a reference and a reference by a scalar */
	for (int i = 0; i < 14; i++) {
		k = pf_key(kb, (unsigned)i);
		v = pk_int(-i);
		pf_map_put(c, m, "map.put.replace", &k, &v);
		v = pf_bytes(buf, 120, (uint32_t)i + 1000);
		pf_map_put(c, m, "map.put.replace-ext", &k, &v);
		W(pk_map_new(&sub, c->pool));
		v = pk_map_value(sub);
		pf_map_put(c, m, "map.put.ref", &k, &v);
		k = pk_int(i);
		W(pk_map_put(sub, &k, &k));
		pk_map_close(sub);
	}
	/* dropping a referenced container from a large map (no merge) */
	for (int i = 0; i < 6; i++) {
		k = pk_int(100000 + i);
		W(pk_map_new(&sub, c->pool));
		v = pk_map_value(sub);
		W(pk_map_put(m, &k, &v));
		pk_map_close(sub);
		pf_map_remove(c, m, "map.remove.ref", &k);
	}
	/* shrinking: removes, merges, freed segments, directory shrink */
	for (int i = keys - 1; i >= 0; i--) {
		k = pf_key(kb, (unsigned)i);
		if (i % check_every == 0 || (i >= 250 && i <= 258) || i < 40)
			pf_map_remove(c, m, i < 14 ? "map.remove.ref" :
					i % 4 == 3 ? "map.remove.ext" :
					"map.remove", &k);
		else
			W(pk_map_remove(m, &k));
	}
	/* clear, of maps of several sizes */
	for (int r = 0; r < 10; r++) {
		for (int i = 0; i < 5 + r * 13; i++) {
			k = pf_key(kb, (unsigned)i);
			v = pf_bytes(buf, 10 + (size_t)(i * 3) % 150,
					(uint32_t)i);
			W(pk_map_put(m, &k, &v));
		}
		pf_begin(c, "map.clear", 0);
		W(pk_map_clear(m));
		pf_end(c);
	}
	map_cycles(c, m, cycles);
	map_merge_full(c, m, 10);
	map_tx_merge_split(c, m);
	pk_map_close(m);
}

/* list_to -- append ints, unchecked, until l holds n elements */
static void
list_to(pk_list *l, uint64_t n)
{
	pk_value vals[1000];
	uint64_t len;

	W(pk_list_length(&len, l));
	while (len < n) {
		size_t m = n - len < 1000 ? (size_t)(n - len) : 1000;
		for (size_t i = 0; i < m; i++)
			vals[i] = pk_int((int64_t)(len + i));
		W(pk_list_extend(l, vals, m));
		len += m;
	}
}

/* list_step -- one checked operation on l: append (n 1), extend by n, or
 * remove the last -n elements */
static void
list_step(struct pf_ctx *c, pk_list *l, const char *kind, int n)
{
	pk_value vals[16];

	for (int i = 0; i < n && i < 16; i++)
		vals[i] = i % 3 ? pk_int(-i) : pk_string("a long string!!", 15);
	pf_begin(c, kind, 0);
	if (n > 0)
		W(pk_list_extend(l, vals, (size_t)n));
	else
		W(pk_list_remove_range(l, n, INT64_MAX));
	pf_end(c);
}

/*
 * list_long -- a list long enough for capped segments (past the 2,040
 * cells of the doubling ones) and two directories (the second from
 * 2,040 + 64 * 2,083 = 135,352 elements), grown and shrunk across their
 * bounds, each kind of step ten times or more, then cleared
 */
static void
list_long(struct pf_ctx *c, pk_list *l)
{
	const int capped = 2040, seg = 2083, dir1 = capped + 64 * seg;
	pk_value v = pk_int(7);
	uint64_t len;

	/* the first capped segment and directory 0, made and freed (down
	 * to 1,016 elements: segments 0-6 and segment 7 as the spare) */
	for (int r = 0; r < 10; r++) {
		list_to(l, (uint64_t)capped);
		list_step(c, l, "list.append-directory", 1 + r % 3);
		W(pk_list_length(&len, l));
		list_step(c, l, "list.remove-directory", 1016 - (int)len);
	}
	/* capped segments in directory 0, added and freed one by one */
	for (int r = 1; r <= 10; r++) {
		list_to(l, (uint64_t)(capped + r * seg - 1));
		list_step(c, l, "list.append-capped", 2);
	}
	pf_begin(c, "list.insert", 0);
	W(pk_list_insert(l, -40, &v));
	pf_end(c);
	for (int r = 0; r < 10; r++)
		list_step(c, l, "list.remove-capped", -seg);
	/* directory 1 */
	list_to(l, (uint64_t)(dir1 - 1));
	list_step(c, l, "list.append-directory", 3);
	list_step(c, l, "list.remove-capped", -seg - 4); /* spare kept */
	list_step(c, l, "list.remove-directory", -seg);	/* dir 1 freed */
	list_step(c, l, "list.append-directory", 16);	/* again */
	pf_begin(c, "list.clear", 0);
	W(pk_list_clear(l));
	pf_end(c);
}

void
pf_list_ops(struct pf_ctx *c, int n, int every)
{
	pk_list *l;
	pk_map *sub;
	pk_value k, v, vals[10];
	uint8_t buf[64], bufs[10][40];

	pf_create(c);
	W(pk_list_new(&l, c->pool));
	k = pk_string("l", 1);
	v = pk_list_value(l);
	W(pk_map_put(c->root, &k, &v));
	/* append: inline, out of line (over 14 bytes), references; growth
	 * to new segments at 8, 24, 56, 120 elements */
	for (int i = 0; i < n; i++) {
		const char *kind = "list.append";
		if (i % 7 == 3) {
			v = pf_bytes(buf, 15 + i % 40, (uint32_t)i);
			kind = "list.append-ext";
		} else if (i % 11 == 5) {
			W(pk_map_new(&sub, c->pool));
			v = pk_map_value(sub);
			pk_map_close(sub);
			kind = "list.append-ref";
		} else {
			v = pk_int(i);
		}
		if (i == 8 || i == 24 || i == 56 || i == 120)
			kind = "list.append-segment";
		if (i % every == 0 || i < 30 || i == 56 || i == 120) {
			pf_begin(c, kind, 0);
			W(pk_list_append(l, &v));
			pf_end(c);
		} else {
			W(pk_list_append(l, &v));
		}
	}
	for (int i = 0; i < 12; i++) {
		v = i % 2 ? pf_bytes(buf, 30, (uint32_t)i + 77) : pk_int(-i);
		pf_begin(c, "list.set", 0);
		W(pk_list_set(l, i * 5, &v));
		pf_end(c);
		pf_begin(c, "list.insert", 0);
		W(pk_list_insert(l, i == 0 ? 0 : i * 9 % 200, &v));
		pf_end(c);
		pf_begin(c, "list.pop", 0);
		W(pk_list_pop(l, i % 2 ? -1 : i * 4));
		pf_end(c);
	}
	for (int i = 0; i < 10; i++)
		vals[i] = i % 3 ? pk_int(i) : pf_bytes(bufs[i], 20 + i,
				(uint32_t)i);
	for (int i = 0; i < 10; i++) {
		pf_begin(c, "list.extend", 0);
		W(pk_list_extend(l, vals, 10));
		pf_end(c);
		pf_begin(c, "list.remove-range", 0);
		W(pk_list_remove_range(l, 3 + i, 20 + i * 2));
		pf_end(c);
	}
	/* shrinking frees segments; the last pops free references */
	for (int i = 0; i < 12; i++) {
		pf_begin(c, "list.remove-range", 0);
		W(pk_list_remove_range(l, -12, -2));
		pf_end(c);
	}
	pf_begin(c, "list.clear", 0);
	W(pk_list_clear(l));
	pf_end(c);
	/* growth to new segments again, and clears of several sizes, of
	 * lists holding references (a clear's rollback must restore the
	 * header's leaf mark, or gc would not see what they refer to) */
	for (int r = 0; r < 9; r++) {
		for (int i = 0; i < 10 + r * 7; i++) {
			sub = NULL;
			if (i % 5 == 1)
				v = pf_bytes(buf, 20, (uint32_t)i);
			else if (i % 9 == 4) {
				W(pk_map_new(&sub, c->pool));
				v = pk_map_value(sub);
			} else
				v = pk_int(i);
			if (i == 8 || i == 24 || i == 56) {
				pf_begin(c, "list.append-segment", 0);
				W(pk_list_append(l, &v));
				pf_end(c);
			} else {
				W(pk_list_append(l, &v));
			}
			if (sub != NULL)
				pk_map_close(sub);
		}
		pf_begin(c, "list.clear", 0);
		W(pk_list_clear(l));
		pf_end(c);
	}
	list_long(c, l);
	pk_list_close(l);
}

void
pf_log_ops(struct pf_ctx *c, int n, int every)
{
	pk_log *log;
	pk_value v, recs[6];
	uint8_t buf[300], bufs[6][100];

	pf_create(c);
	for (int i = 0; i < 10; i++) {
		if (i > 0)
			pk_log_close(log);
		pf_begin(c, "log.new-store", 0);
		W(pk_log_new(&log, c->pool));
		store_root(c, "g", pk_log_value(log));
	}
	/* appends: the first (a new chunk), ones that fit, ones that take
	 * the next chunk (4 KiB, 8 KiB, ...), an empty record */
	for (int i = 0; i < n; i++) {
		v = pf_bytes(buf, i % 7 == 0 ? 0 : 10 + (size_t)(i * 37) % 250,
				(uint32_t)i);
		if (i % every == 0 || i < 3) {
			pf_begin(c, "log.append", 0);
			W(pk_log_append(log, &v));
			pf_end(c);
		} else {
			W(pk_log_append(log, &v));
		}
	}
	/* groups, in the last chunk and across to a new one */
	for (int i = 0; i < 6; i++)
		recs[i] = pf_bytes(bufs[i], 20 + (size_t)i * 15,
				(uint32_t)i + 500);
	for (int i = 0; i < 12; i++) {
		pf_begin(c, "log.extend", 0);
		W(pk_log_extend(log, recs, 6));
		pf_end(c);
	}
	/* appends inside a user transaction; clears of several sizes */
	for (int r = 0; r < 10; r++) {
		pf_begin(c, "log.append-tx", 0);
		W(pk_tx_begin(c->pool));
		for (int i = 0; i < 2 + r; i++) {
			v = pf_bytes(buf, 100 + (size_t)r * 20, (uint32_t)i + 900);
			W(pk_log_append(log, &v));
		}
		W(pk_tx_commit(c->pool));
		pf_end(c);
		if (r % 3 == 2 || r == 9) {
			pf_begin(c, "log.clear", 0);
			W(pk_log_clear(log));
			pf_end(c);
		}
	}
	for (int r = 0; r < 7; r++) {
		for (int i = 0; i < r * 9; i++) {
			v = pf_bytes(buf, 150, (uint32_t)i);
			W(pk_log_append(log, &v));
		}
		pf_begin(c, "log.clear", 0);
		W(pk_log_clear(log));
		pf_end(c);
	}
	v = pf_bytes(buf, 40, 1);
	pf_begin(c, "log.append", 0);
	W(pk_log_append(log, &v));
	pf_end(c);
	pk_log_close(log);
}

void
pf_set_ops(struct pf_ctx *c, int n)
{
	pk_set *s;
	pk_value v;
	char buf[40];

	pf_create(c);
	for (int i = 0; i < 10; i++) {
		if (i > 0)
			pk_set_close(s);
		pf_begin(c, "set.new-store", 0);
		W(pk_set_new(&s, c->pool));
		store_root(c, "s", pk_set_value(s));
	}
	/* adds that split the map underneath, strings out of line too */
	for (int i = 0; i < n; i++) {
		v = i % 3 ? pk_int(i) : pk_string(buf, (size_t)snprintf(buf,
				sizeof(buf), "element %d of the set, long", i));
		pf_begin(c, "set.add", 0);
		W(pk_set_add(s, &v));
		pf_end(c);
	}
	for (int i = 1; i < n; i += 4) {
		if (i % 3 == 0)
			continue;	/* a string */
		v = pk_int(i);
		pf_begin(c, "set.discard", 0);
		W(pk_set_discard(s, &v));
		pf_end(c);
	}
	for (int r = 0; r < 10; r++) {
		pf_begin(c, "set.add-tx", 0);
		W(pk_tx_begin(c->pool));
		for (int i = 0; i < 4 + r * 3; i++) {
			v = pk_int(1000 + i);
			W(pk_set_add(s, &v));
		}
		W(pk_tx_commit(c->pool));
		pf_end(c);
		pf_begin(c, "set.clear", 0);
		W(pk_set_clear(s));
		pf_end(c);
	}
	pk_set_close(s);
}

/* sorted_key -- key i of the sorted map scenario: ints, doubles, and
 * strings long enough to live out of line */
static pk_value
sorted_key(char *buf, int i)
{
	if (i % 5 == 4)
		return pk_string(buf, (size_t)snprintf(buf, 64, "sorted key "
				"%05d, long enough to live out of line", i));
	if (i % 5 == 2)
		return pk_double(i + 0.5);
	return pk_int(i);
}

/* sorted_value -- the value of key i in round r: a blob one time in four */
static pk_value
sorted_value(uint8_t *buf, int i, int r)
{
	return (i + r) % 4 == 3 ? pf_bytes(buf, 60 + (size_t)(i % 30),
			(uint32_t)(i + r)) : pk_int(i * 10 + r);
}

/* sorted_do -- a put (v not NULL) or a remove of k */
static void
sorted_do(pk_sorted *m, const pk_value *k, const pk_value *v)
{
	if (v)
		W(pk_sorted_put(m, k, v));
	else
		W(pk_sorted_remove(m, k));
}

/*
 * sorted_op -- one put (v not NULL) or remove of k, checked when check is
 * set, when it splits or merges inner nodes or changes the height (two
 * nodes or more made or freed), and for the first 20 leaf splits and
 * merges, then one in three: a trial in a transaction that aborts tells
 * which it is
 */
static void
sorted_op(struct pf_ctx *c, pk_sorted *m, const pk_value *k,
		const pk_value *v, int check)
{
	static unsigned leaf_events;
	uint64_t before = pf_sorted_nodes(m);
	const char *base = v ? "sorted.put" : "sorted.remove";
	char kind[40];

	W(pk_tx_begin(c->pool));
	sorted_do(m, k, v);
	uint64_t after = pf_sorted_nodes(m);
	W(pk_tx_abort(c->pool));
	if (pf_sorted_nodes(m) != before)
		pf_fail("an aborted sorted map operation left its nodes");
	int64_t delta = (int64_t)(after - before);
	if (delta == 1 || delta == -1)
		check |= leaf_events++ < 20 || leaf_events % 3 == 0;
	else if (delta != 0)
		check = 1;
	if (!check) {
		sorted_do(m, k, v);
		return;
	}
	snprintf(kind, sizeof(kind), "%s%s", base, delta > 0 ? ".split" :
			delta < 0 ? ".merge" : "");
	pf_begin(c, kind, 0);
	sorted_do(m, k, v);
	pf_end(c);
}

/* sorted_range -- remove a range, checked */
static void
sorted_range(struct pf_ctx *c, pk_sorted *m, const pk_sorted_range *rg)
{
	uint64_t removed;

	pf_begin(c, "sorted.remove-range", 0);
	W(pk_sorted_remove_range(&removed, m, rg));
	pf_end(c);
}

/*
 * pf_sorted_ops -- a sorted map grown from empty to n entries (three
 * levels at n >= 1200) and shrunk to empty again, in scattered orders;
 * replaced values, user transactions, range removal (bounded, open and
 * by prefix), removal by index and clear. Of the puts and removes, those
 * that change inner nodes are all checked, some that split or merge
 * leaves (sorted_op()), the first 40 and one in every of the others.
 */
void
pf_sorted_ops(struct pf_ctx *c, int n, int every)
{
	pk_sorted *m;
	pk_sorted_range rg;
	pk_value k, v, lo, hi;
	uint8_t buf[100];
	char kb[64];
	int stride = 7919 % n ? 7919 : 7907;	/* coprime with n */

	pf_create(c);
	for (int i = 0; i < 10; i++) {
		if (i > 0)
			pk_sorted_close(m);
		pf_begin(c, "sorted.new-store", 0);
		W(pk_sorted_new(&m, c->pool));
		store_root(c, "sorted", pk_sorted_value(m));
	}
	for (int j = 0; j < n; j++) {
		int i = (int)((int64_t)j * stride % n);
		k = sorted_key(kb, i);
		v = sorted_value(buf, i, 0);
		sorted_op(c, m, &k, &v, j < 40 || j % every == 0);
	}
	/* replaced values: inline to out of line and back */
	for (int i = 0; i < 24; i++) {
		k = sorted_key(kb, i * 37 % n);
		v = sorted_value(buf, i * 37 % n, 1 + i % 3);
		pf_begin(c, "sorted.put.replace", 0);
		W(pk_sorted_put(m, &k, &v));
		pf_end(c);
	}
	/* user transactions: puts and removes together */
	for (int r = 0; r < 10; r++) {
		pf_begin(c, "sorted.tx", 0);
		W(pk_tx_begin(c->pool));
		for (int i = 0; i < 2 + r % 3; i++) {
			k = pk_int(n + r * 100 + i);
			v = sorted_value(buf, i, r);
			W(pk_sorted_put(m, &k, &v));
			k = sorted_key(kb, (r * 53 + i * 11) % n);
			int rc = pk_sorted_remove(m, &k);
			if (rc != 0 && rc != PK_NOTFOUND)
				pf_fail("pk_sorted_remove: %s", pk_strerror(rc));
		}
		W(pk_tx_commit(c->pool));
		pf_end(c);
	}
	/* ranges: bounded (over leaves), open, by prefix, to the end */
	for (int r = 0; r < 12; r++) {
		rg = (pk_sorted_range)PK_SORTED_RANGE_INIT;
		int a = (r * 97) % (n - 60);
		lo = pk_int(a);
		hi = pk_double(a + 6 + r * 3 + 0.5);
		switch (r % 4) {
		case 0:
			rg.lo = &lo;
			rg.hi = &hi;
			break;
		case 1:
			rg.lo = &lo;
			rg.hi = &hi;
			rg.lo_open = rg.hi_open = 1;
			break;
		case 2:	/* the strings of one decade: "sorted key 0xy4" */
			lo = pk_string(kb, (size_t)snprintf(kb, sizeof(kb),
					"sorted key %04d", a / 10));
			rg.prefix = &lo;
			break;
		default: /* the last few, from a key on */
			lo = pk_int(n + 100 * r);
			rg.lo = &lo;
			break;
		}
		sorted_range(c, m, &rg);
	}
	for (int i = 0; i < 12; i++) {
		pf_begin(c, "sorted.remove-at", 0);
		W(pk_sorted_remove_at(m, i % 2 ? -1 : i % 3 ? 0 : 17));
		pf_end(c);
	}
	/* every key goes, in another scattered order */
	for (int j = 0; j < n; j++) {
		int i = (int)((int64_t)j * 7907 % n);
		int ok;
		k = sorted_key(kb, i);
		W(pk_sorted_contains(&ok, m, &k));
		if (ok)
			sorted_op(c, m, &k, NULL, j > n - 40 ||
					j % every == 0);
	}
	/*
	 * An inner node that takes children from its sibling: ascending puts
	 * leave the root's first child with 16 children and fill its second
	 * to 28, then removes from the front merge the first child's leaves
	 * until it falls under a quarter full, beside a sibling too full to
	 * merge with. Every remove of it checked.
	 */
	unsigned height, kids[3], borrowed = 0;
	for (int i = 0;; i++) {
		k = pk_int(100000 + i);
		v = pk_int(i);
		W(pk_sorted_put(m, &k, &v));
		pf_sorted_shape(m, &height, kids);
		if (height == 3 && kids[0] == 2 && kids[2] >= 28)
			break;
		if (i > 5000)
			pf_fail("no shape for an inner borrow");
	}
	for (int i = 0; i < 400 && !borrowed; i++) {
		unsigned before = kids[1];
		k = pk_int(100000 + i);
		sorted_op(c, m, &k, NULL, 1);
		pf_sorted_shape(m, &height, kids);
		borrowed = kids[1] > before;
	}
	if (!borrowed)
		pf_fail("no inner node borrowed");
	for (int r = 0; r < 10; r++) {
		for (int i = 0; i < 1 + r * r * 4; i++) {
			k = sorted_key(kb, i);
			v = sorted_value(buf, i, r);
			W(pk_sorted_put(m, &k, &v));
		}
		pf_begin(c, "sorted.clear", 0);
		W(pk_sorted_clear(m));
		pf_end(c);
	}
	pk_sorted_close(m);
}

/* records, and tuples as keys: the first tuple marks the pool (a
 * persisted store outside the transaction), later ones go in and out of a
 * map and a set, short and out of line */
void
pf_record_ops(struct pf_ctx *c, int n)
{
	pk_record *r;
	pk_list *l;
	pk_map *m;
	pk_value k, v, items[3];
	char buf[64];
	uint8_t tb[128];
	size_t tl;

	pf_create(c);
	for (int i = 0; i < 10; i++) {
		if (i > 0)
			pk_record_close(r);
		pf_begin(c, "record.new-store", 0);
		W(pk_record_new(&r, c->pool, "app.Point", 9));
		store_root(c, "r", pk_record_value(r));
	}
	for (int i = 0; i < n; i++) {
		k = pk_string(buf, (size_t)snprintf(buf, sizeof(buf), "a%d",
				i % 12));
		v = i % 4 == 3 ? pk_string("a value too long to sit in the "
				"slot with its name", 48) : pk_int(i);
		pf_begin(c, i % 4 == 3 ? "record.remove" : "record.put", 0);
		if (i % 4 == 3) {
			int rc = pk_record_remove(r, &k);
			if (rc != 0 && rc != PK_NOTFOUND)
				W(rc);
		} else {
			W(pk_record_put(r, &k, &v));
		}
		pf_end(c);
	}
	for (int j = 0; j < 10; j++) {
		pf_begin(c, "record.put-container", 0);
		W(pk_list_new(&l, c->pool));
		k = pk_string("tags", 4);
		v = pk_list_value(l);
		W(pk_record_put(r, &k, &v));
		pf_end(c);
		pk_list_close(l);
		pf_begin(c, "record.put-tx", 0);
		W(pk_tx_begin(c->pool));
		for (int i = 0; i < 2 + j; i++) {
			k = pk_string(buf, (size_t)snprintf(buf, sizeof(buf),
					"t%d", i));
			v = pk_int(i + j);
			W(pk_record_put(r, &k, &v));
		}
		W(pk_tx_commit(c->pool));
		pf_end(c);
		pk_record_close(r);
		pf_begin(c, "record.drop", 0);
		k = pk_string("r", 1);
		W(pk_map_remove(c->root, &k));
		pf_end(c);
		W(pk_record_new(&r, c->pool, "app.Point", 9));
		v = pk_record_value(r);
		W(pk_map_put(c->root, &k, &v));
	}
	pk_record_close(r);

	W(pk_map_new(&m, c->pool));
	k = pk_string("t", 1);
	v = pk_map_value(m);
	W(pk_map_put(c->root, &k, &v));
	for (int i = 0; i < n; i++) {
		/* every 4th step removes the key the step before put */
		int j = i % 4 == 3 ? i - 1 : i;
		items[0] = pk_int(j);
		items[1] = pk_string(buf, (size_t)snprintf(buf, sizeof(buf),
				j % 3 ? "k%d" : "a tuple item long enough to go "
				"out of line, %d", j));
		items[2] = pk_double(j / 2.0);
		/* a frozen set of the items, every third key */
		if (j % 3 == 1)
			W(pk_frozenset_pack(tb, sizeof(tb), &tl, items, 3));
		else
			W(pk_tuple_pack(tb, sizeof(tb), &tl, items, 3));
		k.type = j % 3 == 1 ? PK_FROZENSET : PK_TUPLE;
		k.u.buf.ptr = tb;
		k.u.buf.len = tl;
		v = pk_int(i);
		pf_begin(c, i == 0 ? "tuple.first" : i % 4 == 3 ?
				"tuple.remove" : "tuple.put", 0);
		if (i % 4 == 3) {
			W(pk_map_remove(m, &k));
		} else {
			W(pk_map_put(m, &k, &v));
			if (i % 4 == 2)
				W(pk_map_put(m, &k, &v));
		}
		pf_end(c);
	}
	pk_map_close(m);
}

void
pf_blocks_ops(struct pf_ctx *c)
{
	pk_blocks *b;
	pk_value v;
	uint8_t buf[1024];

	pf_create(c);
	for (int i = 0; i < 10; i++) {
		if (i > 0)
			pk_blocks_close(b);
		pf_begin(c, "blocks.new-store", 0);
		W(pk_blocks_new(&b, c->pool, 1024, 6));
		store_root(c, "b", pk_blocks_value(b));
	}
	/* writes: whole blocks, short ones (zero-filled), the same block
	 * again and again (the spare goes round) */
	for (int i = 0; i < 14; i++) {
		v = pf_bytes(buf, i % 4 == 3 ? 100 : 1024, (uint32_t)i);
		pf_begin(c, "blocks.write", 0);
		W(pk_blocks_write(b, (uint64_t)(i % 5 == 4 ? 0 : i % 6), &v));
		pf_end(c);
	}
	for (int i = 0; i < 9; i++) {
		pf_begin(c, "blocks.zero", 0);
		W(pk_blocks_zero(b, (uint64_t)(2 + i) % 6));
		pf_end(c);
		pf_begin(c, "blocks.set-error", 0);
		W(pk_blocks_set_error(b, (uint64_t)(3 + i) % 6));
		pf_end(c);
		v = pf_bytes(buf, 1024, (uint32_t)(50 + i));
		W(pk_blocks_write(b, (uint64_t)(3 + i) % 6, &v));
	}
	v = pf_bytes(buf, 1024, 77);
	pf_begin(c, "blocks.write", 0);
	W(pk_blocks_write(b, 3, &v));
	pf_end(c);
	pf_begin(c, "blocks.set-error", 0);
	W(pk_blocks_set_error(b, 4));
	pf_end(c);
	pf_begin(c, "blocks.zero", 0);
	W(pk_blocks_zero(b, 4));
	pf_end(c);
	/* growth: within the map, then to a larger one */
	for (int i = 0; i < 10; i++) {
		pf_begin(c, "blocks.grow", 0);
		W(pk_blocks_grow(b, i % 3 == 2 ? 9 : 1));
		pf_end(c);
	}
	v = pf_bytes(buf, 1024, 88);
	pf_begin(c, "blocks.write", 0);
	W(pk_blocks_write(b, 15, &v));
	pf_end(c);
	/* inside a user transaction: in place, undone together */
	for (int r = 0; r < 10; r++) {
		pf_begin(c, "blocks.write-tx", 0);
		W(pk_tx_begin(c->pool));
		for (int i = 0; i < 1 + r % 3; i++) {
			v = pf_bytes(buf, 1024, (uint32_t)(i + r * 10 + 900));
			W(pk_blocks_write(b, (uint64_t)(i * 5 + r) % 20, &v));
		}
		W(pk_blocks_set_error(b, (uint64_t)r % 20 + 1));
		W(pk_blocks_zero(b, (uint64_t)(r + 6) % 20));
		W(pk_tx_commit(c->pool));
		pf_end(c);
	}
	v = pf_bytes(buf, 1024, 99);
	pf_begin(c, "blocks.write", 0);
	W(pk_blocks_write(b, 5, &v));
	pf_end(c);
	pk_blocks_close(b);
}

void
pf_array_ops(struct pf_ctx *c, uint64_t len, int iters)
{
	pk_array *a, *b;
	pk_value k, v;
	/* the initial elements, and a source for the range writes below */
	size_t ndata = len > 512 ? len : 512;
	int64_t *data = malloc(ndata * sizeof(*data));
	void *win;

	if (data == NULL)
		abort();
	pf_create(c);
	for (size_t i = 0; i < ndata; i++)
		data[i] = (int64_t)(i * 1000003);
	for (int i = 0; i < 10; i++) {
		if (i > 0)
			pk_array_close(a);
		pf_begin(c, "array.new-store", 0);
		W(pk_array_new(&a, c->pool, PK_ELEM_I64, 0, len - 9 + 
				(uint64_t)i, data));
		store_root(c, "a", pk_array_value(a));
	}
	W(pk_array_new(&b, c->pool, PK_ELEM_BYTES, 5, 40, NULL));
	k = pk_string("b", 1);
	v = pk_array_value(b);
	W(pk_map_put(c->root, &k, &v));
	for (int i = 0; i < iters; i++) {
		v = pk_int(-i * 77);
		pf_begin(c, "array.set", 0);
		W(pk_array_set(a, i * 7, &v));
		pf_end(c);
		v = pk_bytes("abcde", 5);
		pf_begin(c, "array.set", 0);
		W(pk_array_set(b, (i * 3) % 40, &v));
		pf_end(c);
		pf_begin(c, "array.write", 0);
		W(pk_array_write(a, (uint64_t)(i * 5) % 100,
				20 + (uint64_t)(i * 9) % 150, data + i));
		pf_end(c);
		pf_begin(c, "array.window", 0);
		W(pk_tx_begin(c->pool));
		W(pk_array_window(&win, a, (uint64_t)i, (uint64_t)i + 30));
		for (int j = 0; j < 30; j++)
			((int64_t *)win)[j] = i * 100 + j;
		W(pk_array_window(&win, b, 0, 8));
		memset(win, 'a' + i, 40);
		W(pk_tx_commit(c->pool));
		pf_end(c);
	}
	uint64_t sizes[] = { len * 2, len + 3, len / 2, 0, 17, len * 4, len,
		len + 1, 3, len * 3, 40, len / 3, len };
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		pf_begin(c, "array.resize", 0);
		W(pk_array_resize(a, sizes[i]));
		pf_end(c);
	}
	for (int i = 0; i < 10; i++) {
		pf_begin(c, "tx.abort", 0);
		W(pk_tx_begin(c->pool));
		W(pk_array_write(a, (uint64_t)i, 10, data + 100 + i));
		if (i % 2)
			W(pk_array_resize(a, len + (uint64_t)i));
		W(pk_tx_abort(c->pool));
		pf_end(c);
	}
	pk_array_close(a);
	pk_array_close(b);
	free(data);
}

/* a subtree: a map holding a list of small maps and an array */
pk_value
pf_subtree(struct pf_ctx *c, int n)
{
	pk_map *m, *leaf;
	pk_list *l;
	pk_array *a;
	pk_value k, v;
	uint8_t buf[20 + 10 * 64];

	if (n > 64)
		pf_fail("subtree too large");
	W(pk_map_new(&m, c->pool));
	W(pk_list_new(&l, c->pool));
	W(pk_array_new(&a, c->pool, PK_ELEM_F64, 0, 16, NULL));
	for (int i = 0; i < n; i++) {
		W(pk_map_new(&leaf, c->pool));
		k = pk_int(i);
		v = pf_bytes(buf, 20 + (size_t)i * 10, (uint32_t)i);
		W(pk_map_put(leaf, &k, &v));
		v = pk_map_value(leaf);
		W(pk_list_append(l, &v));
		pk_map_close(leaf);
	}
	k = pk_string("list", 4);
	v = pk_list_value(l);
	W(pk_map_put(m, &k, &v));
	k = pk_string("array", 5);
	v = pk_array_value(a);
	W(pk_map_put(m, &k, &v));
	v = pk_map_value(m);
	pk_map_close(m);
	pk_list_close(l);
	pk_array_close(a);
	return v;
}

void
pf_nested_ops(struct pf_ctx *c, int rounds)
{
	pk_map *m;
	pk_list *l;
	pk_value k, v, x;
	uint8_t buf[10 + 11 * 64];
	uint64_t freed;

	if (rounds > 60)
		pf_fail("too many rounds");

	pf_create(c);
	for (int i = 0; i < rounds; i++) {
		/* storing a new subtree: its count goes from 0 to 1 */
		v = pf_subtree(c, 3 + i);
		k = pk_int(i);
		pf_begin(c, "nested.store", 0);
		W(pk_map_put(c->root, &k, &v));
		pf_end(c);
		/* a second reference, then the first one goes */
		if (i % 4 != 0) {
			k = pk_int(100 + i);
			pf_begin(c, "nested.store-shared", 0);
			W(pk_map_put(c->root, &k, &v));
			pf_end(c);
			k = pk_int(i);
			pf_begin(c, "nested.unref", 0);
			W(pk_map_remove(c->root, &k));
			pf_end(c);
		}
	}
	/* removing the last reference frees the subtree */
	for (int i = 0; i < rounds; i++) {
		k = pk_int(i % 4 != 0 ? 100 + i : i);
		pf_begin(c, "nested.free", 0);
		W(pk_map_remove(c->root, &k));
		pf_end(c);
	}
	/* a list element that holds the last reference, popped */
	W(pk_list_new(&l, c->pool));
	k = pk_string("l", 1);
	v = pk_list_value(l);
	W(pk_map_put(c->root, &k, &v));
	for (int i = 0; i < 3; i++) {
		v = pf_subtree(c, 2);
		W(pk_list_append(l, &v));
	}
	for (int i = 0; i < 10; i++) {
		v = pf_subtree(c, 1 + i % 3);
		W(pk_list_append(l, &v));
		pf_begin(c, "nested.free-pop", 0);
		W(pk_list_pop(l, 1));
		pf_end(c);
		v = pf_subtree(c, 1 + i % 2);
		pf_begin(c, "nested.free-set", 0);
		W(pk_list_set(l, 0, &v));	/* the old subtree goes */
		pf_end(c);
	}

	/* user transactions over several containers */
	W(pk_map_new(&m, c->pool));
	k = pk_string("m", 1);
	v = pk_map_value(m);
	W(pk_map_put(c->root, &k, &v));
	for (int i = 0; i < rounds + 2; i++) {
		pf_begin(c, "tx.multi", 0);
		W(pk_tx_begin(c->pool));
		k = pk_int(i);
		v = pf_bytes(buf, 10 + (size_t)i * 11, (uint32_t)i);
		W(pk_map_put(m, &k, &v));
		W(pk_list_append(l, &v));
		W(pk_tx_begin(c->pool)); /* a nested level */
		x = pf_subtree(c, 1);
		k = pk_int(1000 + i);
		W(pk_map_put(m, &k, &x));
		if (i > 0) {
			k = pk_int(i - 1);
			W(pk_map_remove(m, &k));
		}
		W(pk_tx_commit(c->pool));
		W(pk_list_pop(l, 0));
		W(pk_container_set_flags(c->pool, &v, 0) == 0 ? 0 : 0);
		W(pk_tx_commit(c->pool));
		pf_end(c);
	}
	for (int i = 0; i < 10; i++) {
		v = pk_map_value(m);
		pf_begin(c, "flags.set", 0);
		W(pk_container_set_flags(c->pool, &v, (uint16_t)(0x101 * i)));
		pf_end(c);
	}

	/*
	 * A reference taken or dropped, and a map holding references
	 * cleared, in transactions that abort: the counts and the leaf mark
	 * must be back as they were (the recount at an unclean open
	 * would hide a lost snapshot from the images; the check of the
	 * live pool does not)
	 */
	for (int i = 0; i < 20; i++) {
		pk_check_report rep = PK_CHECK_REPORT_INIT;
		pk_value k2 = pk_string("m-again", 7);
		v = pk_map_value(m);
		if (i % 2)
			W(pk_map_put(c->root, &k2, &v));
		pf_begin(c, i % 2 ? "tx.abort-ref-drop" : "tx.abort-ref-take",
				0);
		W(pk_tx_begin(c->pool));
		if (i % 2)
			W(pk_map_remove(c->root, &k2));
		else
			W(pk_map_put(c->root, &k2, &v));
		W(pk_tx_abort(c->pool));
		pf_end(c);
		W(pk_pool_check(&rep, c->pool));
		if (i % 2)
			W(pk_map_remove(c->root, &k2));
		/* a clear of a map holding references, undone: no leaf */
		W(pk_tx_begin(c->pool));
		W(pk_map_clear(m));
		W(pk_tx_abort(c->pool));
		W(pk_pool_check(&rep, c->pool));
	}

	/* garbage for gc: unstored containers and an unreachable cycle */
	for (int i = 0; i < 10; i++) {
		pk_map *a, *b;
		(void)pf_subtree(c, 1 + i % 2);
		W(pk_map_new(&a, c->pool));
		W(pk_map_new(&b, c->pool));
		k = pk_string("b", 1);
		v = pk_map_value(b);
		W(pk_map_put(a, &k, &v));
		k = pk_string("a", 1);
		v = pk_map_value(a);
		W(pk_map_put(b, &k, &v));
		pk_map_close(a);
		pk_map_close(b);
		pf_begin(c, "pool.gc", 0);
		W(pk_pool_gc(&freed, c->pool));
		pf_end(c);
		if (freed == 0)
			pf_fail("gc freed nothing");
	}
	pk_map_close(m);
	pk_list_close(l);
}

/* drop_pool -- close the pool and delete it, to create another */
static void
drop_pool(struct pf_ctx *c)
{
	pk_map_close(c->root);
	c->root = NULL;
	W(pk_pool_close(c->pool));
	c->pool = NULL;
	unlink(c->path);
	W(pf_sim_watch(c->path));
}

void
pf_pool_ops(struct pf_ctx *c, int rounds)
{
	pk_value k, v;
	uint8_t buf[100];
	size_t tl;
	pid_t pid;
	int status;

	/* creation, and the first tuple key, which marks the pool */
	for (int i = 0; i < 10; i++) {
		if (i > 0)
			drop_pool(c);
		pf_begin(c, "pool.create", PF_NOPOOL);
		pf_create(c);
		pf_end(c);
		pk_value items[2] = { pk_int(i), pk_string("tuple", 5) };
		W(pk_tuple_pack(buf, sizeof(buf), &tl, items, 2));
		k.type = PK_TUPLE;
		k.u.buf.ptr = buf;
		k.u.buf.len = tl;
		v = pk_int(i);
		pf_begin(c, "tuple.first", 0);
		W(pk_map_put(c->root, &k, &v));
		pf_end(c);
	}
	for (int i = 0; i < 20; i++) {
		k = pk_int(i);
		v = i % 2 ? pk_int(i) : pf_bytes(buf, 80, (uint32_t)i);
		W(pk_map_put(c->root, &k, &v));
	}
	v = pf_subtree(c, 3);
	k = pk_string("tree", 4);
	W(pk_map_put(c->root, &k, &v));
	for (int round = 0; round < rounds; round++) {
		/* inserts that leave the root map's count to the close, and
		 * another map's, whose header shares no line with the root
		 * object's clean mark */
		pk_value tv;
		pk_map *t;
		k = pk_string("tree", 4);
		W(pk_map_get(&tv, c->root, &k));
		W(pk_map_open(&t, c->pool, &tv));
		for (int i = 0; i < 3; i++) {
			k = pk_int(2000 + round * 3 + i);
			W(pk_map_put(c->root, &k, &k));
			W(pk_map_put(t, &k, &k));
		}
		pk_map_close(t);
		/* the tree's last reference dropped in a transaction that
		 * aborts: freeing it wrote its count back first, which the
		 * close no longer would */
		W(pk_tx_begin(c->pool));
		k = pk_string("tree", 4);
		W(pk_map_remove(c->root, &k));
		W(pk_tx_abort(c->pool));
		pf_begin(c, "pool.close", 0);
		pk_map_close(c->root);
		c->root = NULL;
		W(pk_pool_close(c->pool));
		c->pool = NULL;
		pf_end(c);
		pf_begin(c, "pool.open", 0);
		W(pk_pool_open(&c->pool, c->path));
		W(pk_pool_root(&c->root, c->pool));
		pf_end(c);
		/* the session's first container takes a generation the
		 * open reserved: an image holding it must hold the limit */
		char name[16];
		snprintf(name, sizeof(name), "new%d", round);
		pk_list *l;
		pf_begin(c, "pool.open-new", 0);
		W(pk_list_new(&l, c->pool));
		store_root(c, name, pk_list_value(l));
		pk_list_close(l);
	}
	/*
	 * A process that dies inside a transaction, with an unstored
	 * container: the next open rolls back and collects, and a power
	 * failure during that recovery must not change the outcome.
	 */
	for (int round = 0; round < rounds; round++) {
		pk_map_close(c->root);
		c->root = NULL;
		W(pk_pool_close(c->pool));
		c->pool = NULL;
		pid = fork();
		if (pid == 0) {
			pk_pool *p;
			pk_map *r, *leak;
			pf_sim_set_hook(NULL, NULL);
			pf_sim_unwatch();
			if (pk_pool_open(&p, c->path) != 0 ||
			    pk_pool_root(&r, p) != 0 ||
			    pk_map_new(&leak, p) != 0 ||
			    pk_tx_begin(p) != 0)
				_exit(1);
			for (int i = 0; i < 10 + round * 10; i++) {
				k = pk_int(500 + i);
				v = pf_bytes(buf, 70, (uint32_t)i);
				if (pk_map_put(r, &k, &v) != 0)
					_exit(1);
				k = pk_int(i);
				if (pk_map_remove(r, &k) != 0 && i < 20)
					_exit(1);
			}
			_exit(0); /* no commit, no close */
		}
		if (pid < 0 || waitpid(pid, &status, 0) != pid ||
		    !WIFEXITED(status) || WEXITSTATUS(status) != 0)
			pf_fail("the crashing process failed");
		/* watch afresh: the file as the dead process left it */
		W(pf_sim_watch(c->path));
		pf_begin(c, "pool.open-recovery", 0);
		W(pk_pool_open(&c->pool, c->path));
		W(pk_pool_root(&c->root, c->pool));
		pf_end(c);
		pk_pool_stats st = PK_POOL_STATS_INIT;
		W(pk_pool_stats_get(&st, c->pool));
		if (!st.unclean || st.recovered == 0)
			pf_fail("recovery did not run (unclean %d, recovered "
					"%llu)", st.unclean,
					(unsigned long long)st.recovered);
	}
	/*
	 * Counts a power failure left behind the entries of atomic
	 * inserts: the open recounts them, and the close that marks the
	 * pool clean must leave the new counts durable.
	 */
	char crash[4200];
	snprintf(crash, sizeof(crash), "%s.crash", c->path);
	for (int round = 0; round < rounds; round++) {
		pk_map_close(c->root);
		c->root = NULL;
		W(pk_pool_close(c->pool));
		c->pool = NULL;
		fflush(NULL);
		pid = fork();
		if (pid == 0) {
			pk_pool *p;
			pk_map *r;
			pf_sim_set_hook(NULL, NULL);
			if (pf_sim_watch(c->path) != 0 ||
			    pk_pool_open(&p, c->path) != 0 ||
			    pk_pool_root(&r, p) != 0)
				_exit(1);
			for (int i = 0; i < 3; i++) {
				k = pk_int(3000 + round * 10 + i);
				if (pk_map_put(r, &k, &k) != 0)
					_exit(1);
			}
			_exit(pf_sim_write_image(crash, PMEMSIM_IMG_DURABLE,
					0) != 0);
		}
		if (pid < 0 || waitpid(pid, &status, 0) != pid ||
		    !WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
		    rename(crash, c->path) != 0)
			pf_fail("the power failure after atomic inserts failed");
		W(pf_sim_watch(c->path));
		W(pk_pool_open(&c->pool, c->path));
		W(pk_pool_root(&c->root, c->pool));
		pf_begin(c, "pool.close-recounted", 0);
		pk_map_close(c->root);
		c->root = NULL;
		W(pk_pool_close(c->pool));
		c->pool = NULL;
		pf_end(c);
		W(pk_pool_open(&c->pool, c->path));
		W(pk_pool_root(&c->root, c->pool));
	}
	/*
	 * The first open of a pool of format 1 (a new pool made to look
	 * like one) by this library, and its first leaf: an image holding
	 * the leaf must say format 2.
	 */
	for (int round = 0; round < rounds; round++) {
		pk_list *l;
		drop_pool(c);
		pf_create(c);
		pf_format1(c->pool, c->root);
		pf_begin(c, "pool.reopen-upgrade", 0);
		pk_map_close(c->root);
		c->root = NULL;
		W(pk_pool_close(c->pool));
		c->pool = NULL;
		W(pk_pool_open(&c->pool, c->path));
		W(pk_pool_root(&c->root, c->pool));
		W(pk_list_new(&l, c->pool));
		store_root(c, "leaf", pk_list_value(l));
		pk_list_close(l);
	}
}

void
pf_msync_ops(struct pf_ctx *c, int n)
{
	pk_value k, v;
	pk_list *l;
	uint8_t buf[100];
	char kb[32];

	pf_begin(c, "pool.create", PF_NOPOOL);
	pf_create(c);
	pf_end(c);
	W(pk_list_new(&l, c->pool));
	k = pk_string("l", 1);
	v = pk_list_value(l);
	W(pk_map_put(c->root, &k, &v));
	for (int i = 0; i < n; i++) {
		k = pf_key(kb, (unsigned)i);
		v = i % 3 ? pk_int(i) : pf_bytes(buf, 90, (uint32_t)i);
		/* a blob (transactional) and an inline entry (atomic) */
		if (i % 3 == 0)
			pf_map_put(c, c->root, "map.put.new-ext", &k, &v);
		else if (i % 3 == 1)
			pf_map_put(c, c->root, "map.put.new", &k, &v);
		else
			W(pk_map_put(c->root, &k, &v));
		if (i % 4 == 0) {
			pf_begin(c, "list.append", 0);
			W(pk_list_append(l, &v));
			pf_end(c);
		} else {
			W(pk_list_append(l, &v));
		}
	}
	for (int i = 0; i < n; i += 4) {
		k = pf_key(kb, (unsigned)i);
		pf_map_remove(c, c->root, "map.remove", &k);
	}
	v = pf_subtree(c, 3);
	k = pk_string("t", 1);
	pf_begin(c, "nested.store", 0);
	W(pk_map_put(c->root, &k, &v));
	pf_end(c);
	pf_begin(c, "nested.free", 0);
	W(pk_map_remove(c->root, &k));
	pf_end(c);
	pk_list_close(l);
	pf_begin(c, "pool.close", 0);
	pk_map_close(c->root);
	c->root = NULL;
	W(pk_pool_close(c->pool));
	c->pool = NULL;
	pf_end(c);
	pf_begin(c, "pool.open", 0);
	W(pk_pool_open(&c->pool, c->path));
	W(pk_pool_root(&c->root, c->pool));
	pf_end(c);
}


/*
 * pf_defrag_ops -- a pool filled with map entries, sorted map entries and
 * list items (a quarter of them blobs), most deleted, then defragmented
 * rounds times: every image of a defrag holds the same contents, moved or
 * not
 */
void
pf_defrag_ops(struct pf_ctx *c, int n, int rounds)
{
	pk_defrag_report r = PK_DEFRAG_REPORT_INIT;
	pk_map *m;
	pk_sorted *sm;
	pk_list *l;
	pk_value k, v;
	uint8_t buf[600];
	char kb[32];

	pf_create(c);
	W(pk_map_new(&m, c->pool));
	W(pk_sorted_new(&sm, c->pool));
	W(pk_list_new(&l, c->pool));
	k = pk_string("s", 1);
	v = pk_sorted_value(sm);
	W(pk_map_put(c->root, &k, &v));
	k = pk_string("m", 1);
	v = pk_map_value(m);
	W(pk_map_put(c->root, &k, &v));
	k = pk_string("l", 1);
	v = pk_list_value(l);
	W(pk_map_put(c->root, &k, &v));
	for (int round = 0; round < rounds; round++) {
		for (int i = 0; i < n; i++) {
			k = pf_key(kb, (unsigned)(round * n + i));
			v = i % 4 == 3 ? pf_bytes(buf, 60 + (size_t)i % 500,
					(uint32_t)i) : pk_int(i);
			W(pk_map_put(m, &k, &v));
			if (i % 3 == 0)
				W(pk_list_append(l, &v));
			if (i % 4 == 0)
				W(pk_sorted_put(sm, &k, &v));
		}
		/* nine in ten go: the rest are spread over every run */
		for (int i = 0; i < n; i++) {
			k = pf_key(kb, (unsigned)(round * n + i));
			if (i % 10 != 7)
				W(pk_map_remove(m, &k));
			if (i % 4 == 0 && i % 40 != 12)
				W(pk_sorted_remove(sm, &k));
		}
		for (int64_t i = n / 3 - 1; i >= 0; i--)
			if (i % 10 != 4)
				W(pk_list_pop(l, i));
		pf_begin(c, "pool.defrag", 0);
		W(pk_pool_defrag(&r, c->pool));
		pf_end(c);
		/* four transactions' worth (lib/defrag.c moves 64 objects in
		 * each), so that three rounds take the move path at least 10
		 * times (pf_stats.c) */
		if (r.moved <= 3 * 64)
			pf_fail("defrag moved %llu objects",
					(unsigned long long)r.moved);
	}
	pk_map_close(m);
	pk_sorted_close(sm);
	pk_list_close(l);
}
