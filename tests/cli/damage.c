/*
 * damage.c -- make pools that pmemkit check must find damaged, for
 * tests/cli/test_cli.py:
 *   damage leak POOL      a map created and never stored (leaked)
 *   damage refcount POOL  the list at root key "victim" gets a wrong
 *                         reference count (its header overwritten)
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "pmemkit.h"

#define CK(x) do { int r_ = (x); if (r_) { fprintf(stderr, "%s:%d: %s: %s\n", \
	__FILE__, __LINE__, #x, pk_strerror(r_)); return 2; } } while (0)

int main(int argc, char **argv)
{
	pk_pool *pool;
	pk_map *root, *m;
	pk_list *l;
	if (argc != 3) {
		fprintf(stderr, "usage: damage leak|refcount POOL\n");
		return 2;
	}
	CK(pk_pool_open(&pool, argv[2]));
	CK(pk_pool_root(&root, pool));
	if (!strcmp(argv[1], "leak")) {
		CK(pk_map_new(&m, pool));
		pk_map_close(m);
		pk_map_close(root);
		CK(pk_pool_close(pool));
		return 0;
	}
	pk_value key = pk_string("victim", 6), v;
	CK(pk_list_new(&l, pool));
	v = pk_list_value(l);
	CK(pk_map_put(root, &key, &v));
	uint64_t off = v.u.ref.off, bad = 99;
	pk_list_close(l);
	pk_map_close(root);
	CK(pk_pool_close(pool));
	/* the header: magic (4), version (2), flags (2), gen (8), refcount */
	int fd = open(argv[2], O_RDWR);
	if (fd < 0 || pwrite(fd, &bad, 8, (off_t)(off + 16)) != 8) {
		perror(argv[2]);
		return 2;
	}
	close(fd);
	return 0;
}
