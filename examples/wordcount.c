/*
 * wordcount.c -- a persistent word counter
 *
 * Usage: wordcount POOL [FILE...]
 *
 * Counts the words of each FILE (standard input if none) into a map kept
 * in POOL (created on first use), then prints the ten most frequent words
 * and the totals. The counts accumulate across runs: run it twice on the
 * same file and every count doubles. All counts of one run are added in
 * one transaction, so a crash leaves either none or all of them.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pmemkit.h"

#define POOL_SIZE ((size_t)64 << 20)
#define TOP 10

static void
check(int rc, const char *what)
{
	if (rc != 0) {
		fprintf(stderr, "wordcount: %s: %s\n", what, pk_errormsg());
		exit(1);
	}
}

/* add one occurrence of the word w (len bytes) */
static void
count_word(pk_map *counts, const char *w, size_t len)
{
	pk_value key = pk_string(w, len), val;
	int rc = pk_map_get(&val, counts, &key);

	if (rc == PK_NOTFOUND)
		val = pk_int(0);
	else
		check(rc, "get");
	val.u.i++;
	check(pk_map_put(counts, &key, &val), "put");
}

static void
count_file(pk_map *counts, FILE *f)
{
	char word[64];
	size_t len = 0;
	int c;

	do {
		c = getc(f);
		if (c != EOF && (isalnum(c) || c == '\'')) {
			if (len < sizeof(word))
				word[len++] = (char)tolower(c);
		} else if (len > 0) {
			count_word(counts, word, len);
			len = 0;
		}
	} while (c != EOF);
}

struct entry {
	const void *word;
	size_t len;
	int64_t n;
};

static int
by_count(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	size_t l = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->word, y->word, l);
	return c != 0 ? c : (x->len > y->len) - (x->len < y->len);
}

int
main(int argc, char **argv)
{
	pk_pool *pool;
	pk_map *root, *counts;
	pk_value name = pk_string("counts", 6), v, k;
	pk_cursor *cur;
	struct entry *all = NULL;
	size_t n = 0, cap = 0;
	int64_t total = 0;
	int rc;

	if (argc < 2) {
		fprintf(stderr, "usage: wordcount POOL [FILE...]\n");
		return 2;
	}
	rc = pk_pool_open(&pool, argv[1]);
	if (rc == ENOENT) {
		rc = pk_pool_create(&pool, argv[1], POOL_SIZE, 0);
		if (rc == 0)
			printf("created %s\n", argv[1]);
	}
	check(rc, argv[1]);
	check(pk_pool_root(&root, pool), "root");

	/* the counts live in a map of their own under the root */
	rc = pk_map_get(&v, root, &name);
	if (rc == PK_NOTFOUND) {
		check(pk_map_new(&counts, pool), "new map");
		v = pk_map_value(counts);
		check(pk_map_put(root, &name, &v), "put");
	} else {
		check(rc, "get");
		check(pk_map_open(&counts, pool, &v), "open");
	}

	check(pk_tx_begin(pool), "begin");
	if (argc == 2)
		count_file(counts, stdin);
	for (int i = 2; i < argc; i++) {
		FILE *f = fopen(argv[i], "r");
		if (f == NULL) {
			perror(argv[i]);
			pk_tx_abort(pool);
			return 1;
		}
		count_file(counts, f);
		fclose(f);
	}
	check(pk_tx_commit(pool), "commit");

	check(pk_map_cursor(&cur, counts), "cursor");
	while ((rc = pk_cursor_next(&k, &v, cur)) == 0) {
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			all = realloc(all, cap * sizeof(*all));
			if (all == NULL)
				return 1;
		}
		all[n].word = k.u.buf.ptr;
		all[n].len = k.u.buf.len;
		all[n].n = v.u.i;
		total += v.u.i;
		n++;
	}
	if (rc != PK_ITEROVER)
		check(rc, "next");
	pk_cursor_free(cur);
	qsort(all, n, sizeof(*all), by_count);
	for (size_t i = 0; i < n && i < TOP; i++)
		printf("%8lld %.*s\n", (long long)all[i].n, (int)all[i].len,
				(const char *)all[i].word);
	printf("%lld words, %zu distinct, in %s\n", (long long)total, n,
			argv[1]);
	free(all);
	pk_map_close(counts);
	pk_map_close(root);
	check(pk_pool_close(pool), "close");
	return 0;
}
