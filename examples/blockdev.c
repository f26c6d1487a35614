/*
 * blockdev.c -- a small block device in a pool: 4 KiB sectors, each
 * written whole and atomically
 *
 * Usage: blockdev POOL write N TEXT   write TEXT into sector N (zeros after)
 *        blockdev POOL read N         print sector N's text
 *        blockdev POOL zero N         zero sector N
 *        blockdev POOL bad N          mark sector N bad (reads fail)
 *        blockdev POOL info           sectors and their size
 *
 * The device is the block array under "disk" in POOL, 64 sectors made on
 * first use, and grown when a write goes past its end. A crash during a
 * write leaves the sector's old contents or the new, never a mix.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pmemkit.h"

#define POOL_SIZE ((size_t)64 << 20)
#define SECTOR 4096

static void
check(int rc, const char *what)
{
	if (rc != 0) {
		fprintf(stderr, "blockdev: %s: %s\n", what, pk_errormsg());
		exit(1);
	}
}

static pk_blocks *
disk(pk_pool *pool, pk_map *root)
{
	pk_value key = pk_string("disk", 4), val;
	pk_blocks *b;
	int rc = pk_map_get(&val, root, &key);

	if (rc == PK_NOTFOUND) {
		check(pk_tx_begin(pool), "begin");
		check(pk_blocks_new(&b, pool, SECTOR, 64), "new device");
		val = pk_blocks_value(b);
		check(pk_map_put(root, &key, &val), "store the device");
		check(pk_tx_commit(pool), "commit");
		return b;
	}
	check(rc, "get");
	check(pk_blocks_open(&b, pool, &val), "open the device");
	return b;
}

int
main(int argc, char **argv)
{
	static char buf[SECTOR + 1];
	const char *cmd = argc > 2 ? argv[2] : "";
	pk_pool *pool;
	pk_map *root;
	pk_blocks *b;
	uint64_t n, count, size;
	int rc;

	if (argc < 3 || (strcmp(cmd, "info") != 0 && argc < 4) ||
	    (strcmp(cmd, "write") == 0 && argc < 5)) {
		fprintf(stderr, "usage: blockdev POOL write N TEXT | read N | "
				"zero N | bad N | info\n");
		return 2;
	}
	rc = pk_pool_open(&pool, argv[1]);
	if (rc == ENOENT)
		rc = pk_pool_create(&pool, argv[1], POOL_SIZE, 0600);
	check(rc, argv[1]);
	check(pk_pool_root(&root, pool), "root");
	b = disk(pool, root);
	n = argc > 3 ? strtoull(argv[3], NULL, 10) : 0;
	check(pk_blocks_length(&count, b), "length");
	if (strcmp(cmd, "write") == 0) {
		pk_value text = pk_bytes(argv[4], strlen(argv[4]));
		if (n >= count)
			check(pk_blocks_grow(b, n + 1 - count), "grow");
		check(pk_blocks_write(b, n, &text), "write");
	} else if (strcmp(cmd, "read") == 0) {
		rc = pk_blocks_read(buf, SECTOR, b, n);
		if (rc == EIO) {
			printf("sector %llu is bad\n", (unsigned long long)n);
		} else {
			check(rc, "read");
			printf("%s\n", buf);	/* up to its first zero */
		}
	} else if (strcmp(cmd, "zero") == 0) {
		check(pk_blocks_zero(b, n), "zero");
	} else if (strcmp(cmd, "bad") == 0) {
		check(pk_blocks_set_error(b, n), "mark bad");
	} else {
		check(pk_blocks_block_size(&size, b), "block size");
		printf("%llu sectors of %llu bytes\n", (unsigned long long)count,
				(unsigned long long)size);
	}
	pk_blocks_close(b);
	pk_map_close(root);
	check(pk_pool_close(pool), "close");
	return 0;
}
