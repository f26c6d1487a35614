/*
 * admin.c -- info, stats, check, gc, defrag, create, repair
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "pk.h"

static const pk_type kinds[] = { PK_MAP, PK_LIST, PK_ARRAY, PK_LOG,
	PK_BLOCKS, PK_SET, PK_RECORD, PK_SORTED };
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

/* replicas -- the REPLICA lines of a poolset file; -1 for a plain pool */
static int replicas(const char *path, int *poolset)
{
	FILE *f = fopen(path, "r");
	char line[4096];
	int n = 0;
	*poolset = 0;
	if (!f) return 0;
	if (fgets(line, sizeof(line), f) && !strncmp(line, "PMEMPOOLSET", 11)) {
		*poolset = 1;
		while (fgets(line, sizeof(line), f))
			if (!strncmp(line, "REPLICA", 7)) n++;
	}
	fclose(f);
	return n;
}

static int kind_stats(pk_pool *pool, uint64_t *count, uint64_t *bytes)
{
	for (size_t i = 0; i < NKINDS; i++) {
		int r = pk_pool_kind_stats(&count[i], &bytes[i], pool, kinds[i]);
		if (r) return fail("%s: %s", type_name(kinds[i]), pk_text(r));
	}
	return 0;
}

/* figures -- a pool's stats and its containers' counts and bytes by kind,
 * read with the pool open read-only */
static int figures(const char *path, const char *cmd, pk_pool_stats *st,
		uint64_t *count, uint64_t *bytes)
{
	pk_pool *pool = open_pool(path, 1);
	int r = pk_pool_stats_get(st, pool);
	if (r) r = fail("%s: %s", cmd, pk_text(r));
	else r = kind_stats(pool, count, bytes);
	close_pool(pool);
	return r;
}

int cmd_info(struct opts *o, int argc, char **argv)
{
	(void)argc;
	pk_pool_stats st = PK_POOL_STATS_INIT;
	uint64_t count[NKINDS], bytes[NKINDS];
	int r = figures(argv[0], "info", &st, count, bytes);
	if (r) return r;
	int poolset, nrep = replicas(argv[0], &poolset);
	int grows = st.max_size > st.size;
	if (o->json) {
		printf("{\"pool\":");
		struct sbuf b = {0};
		sb_str(&b, argv[0], strlen(argv[0]));
		printf("%s,\"format\":%u,\"library_format\":%d,\"library\":\"%s\",\"size\":%llu,\"used\":%llu,"
			"\"free\":%llu,\"max_size\":%llu,\"grows\":%s,\"poolset\":%s,"
			"\"replicas\":%d,\"clean\":%s,\"containers\":{", b.p,
			(unsigned)st.format, PK_FORMAT_VERSION, pk_version(), (unsigned long long)st.size,
			(unsigned long long)st.used, (unsigned long long)st.free,
			(unsigned long long)st.max_size, grows ? "true" : "false",
			poolset ? "true" : "false", nrep, st.unclean ? "false" : "true");
		for (size_t i = 0; i < NKINDS; i++)
			printf("%s\"%s\":%llu", i ? "," : "", type_name(kinds[i]),
				(unsigned long long)count[i]);
		printf("}}\n");
		sb_free(&b);
		return EX_OK;
	}
	printf("pool:       %s\n", argv[0]);
	printf("format:     %u (this library's: %d, %s; a read-write open brings an older\n"
		"            pool to it)\n", (unsigned)st.format, PK_FORMAT_VERSION, pk_version());
	printf("size:       %llu\n", (unsigned long long)st.size);
	printf("used:       %llu\n", (unsigned long long)st.used);
	printf("free:       %llu\n", (unsigned long long)st.free);
	if (grows)
		printf("growth:     grows on demand, to %llu\n", (unsigned long long)st.max_size);
	else
		printf("growth:     fixed size\n");
	printf("replicas:   %d\n", nrep);
	printf("state:      %s\n", st.unclean
		? "unclean: the last session did not close it (a read-write open recovers it)"
		: "clean");
	printf("containers:");
	for (size_t i = 0; i < NKINDS; i++)
		printf(" %s %llu%s", type_name(kinds[i]), (unsigned long long)count[i],
			i + 1 < NKINDS ? "," : "\n");
	return EX_OK;
}

int cmd_stats(struct opts *o, int argc, char **argv)
{
	(void)argc;
	pk_pool_stats st = PK_POOL_STATS_INIT;
	uint64_t count[NKINDS], bytes[NKINDS];
	int r = figures(argv[0], "stats", &st, count, bytes);
	if (r) return r;
	if (o->json) {
		printf("{\"size\":%llu,\"used\":%llu,\"free\":%llu,\"objects\":%llu,\"kinds\":{",
			(unsigned long long)st.size, (unsigned long long)st.used,
			(unsigned long long)st.free, (unsigned long long)st.objects);
		for (size_t i = 0; i < NKINDS; i++)
			printf("%s\"%s\":{\"count\":%llu,\"bytes\":%llu}", i ? "," : "",
				type_name(kinds[i]), (unsigned long long)count[i],
				(unsigned long long)bytes[i]);
		printf("}}\n");
		return EX_OK;
	}
	printf("size     %llu\nused     %llu\nfree     %llu\nobjects  %llu\n",
		(unsigned long long)st.size, (unsigned long long)st.used,
		(unsigned long long)st.free, (unsigned long long)st.objects);
	printf("%-8s %12s %14s\n", "kind", "containers", "bytes");
	for (size_t i = 0; i < NKINDS; i++)
		printf("%-8s %12llu %14llu\n", type_name(kinds[i]),
			(unsigned long long)count[i], (unsigned long long)bytes[i]);
	return EX_OK;
}

int cmd_check(struct opts *o, int argc, char **argv)
{
	(void)argc;
	pk_pool *pool = open_pool(argv[0], 1);
	pk_check_report rep = PK_CHECK_REPORT_INIT;
	progress("checking");
	int r = pk_pool_check(&rep, pool);
	progress_end();
	char msg[300];
	snprintf(msg, sizeof(msg), "%s", pk_text(r));
	close_pool(pool);
	if (r && r != PK_ECORRUPT)
		return fail("check: %s", msg);
	int healthy = r == 0;
	if (o->json)
		printf("{\"healthy\":%s,\"objects\":%llu,\"reachable\":%llu,\"leaked\":%llu,"
			"\"dangling\":%llu,\"refcounts\":%llu,\"damaged\":%llu}\n",
			healthy ? "true" : "false",
			(unsigned long long)rep.objects, (unsigned long long)rep.reachable,
			(unsigned long long)rep.leaked, (unsigned long long)rep.dangling,
			(unsigned long long)rep.refcounts, (unsigned long long)rep.damaged);
	else
		printf("%s: objects %llu, reachable %llu, leaked %llu, dangling %llu, "
			"wrong refcounts %llu, damaged %llu\n",
			healthy ? "healthy" : "damaged",
			(unsigned long long)rep.objects, (unsigned long long)rep.reachable,
			(unsigned long long)rep.leaked, (unsigned long long)rep.dangling,
			(unsigned long long)rep.refcounts, (unsigned long long)rep.damaged);
	return healthy ? EX_OK : EX_NO;
}

int cmd_gc(struct opts *o, int argc, char **argv)
{
	(void)argc; (void)o;
	pk_pool *pool = open_pool(argv[0], 0);
	uint64_t freed = 0;
	progress("collecting");
	int r = pk_pool_gc(&freed, pool);
	progress_end();
	if (r) {
		close_pool(pool);
		return fail("gc: %s", pk_text(r));
	}
	close_pool(pool);
	printf("freed %llu objects\n", (unsigned long long)freed);
	return EX_OK;
}

int cmd_defrag(struct opts *o, int argc, char **argv)
{
	(void)argc; (void)o;
	pk_pool *pool = open_pool(argv[0], 0);
	pk_defrag_report rep = PK_DEFRAG_REPORT_INIT;
	int r = pk_pool_defrag(&rep, pool);
	close_pool(pool);
	if (r) return fail("defrag: %s", pk_text(r));
	printf("objects %llu, moved %llu (%llu bytes), freed %llu bytes\n",
		(unsigned long long)rep.objects, (unsigned long long)rep.moved,
		(unsigned long long)rep.moved_bytes, (unsigned long long)rep.freed_bytes);
	return EX_OK;
}

/* parse_size -- bytes with an optional K, M or G suffix */
static int parse_size(const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	int shift = 0;
	if (end == s || s[0] == '-' || errno) return -1;
	if (*end == 'K' || *end == 'k') shift = 10, end++;
	else if (*end == 'M' || *end == 'm') shift = 20, end++;
	else if (*end == 'G' || *end == 'g') shift = 30, end++;
	if (*end || (shift && v > (~0ull >> shift))) return -1;
	*out = (uint64_t)v << shift;
	return 0;
}

int cmd_create(struct opts *o, int argc, char **argv)
{
	uint64_t size = (uint64_t)64 << 20;
	if (argc > 1 && parse_size(argv[1], &size))
		return fail("create: bad SIZE \"%s\": bytes, with a K, M or G suffix", argv[1]);
	if (size && size < PK_POOL_MIN_SIZE)
		return fail("create: SIZE %s is below the minimum, 8M", argv[1]);
	pk_pool_options opts = PK_POOL_OPTIONS_INIT;
	opts.size = size;
	opts.replica = o->replica;
	pk_pool *pool;
	int r = pk_pool_create_opts(&pool, argv[0], &opts);
	if (r)
		return fail("create: %s: %s", argv[0], pk_text(r));
	close_pool(pool);
	return EX_OK;
}

int cmd_repair(struct opts *o, int argc, char **argv)
{
	(void)argc; (void)o;
	int r = pk_pool_repair(argv[0]);
	if (r)
		return fail("repair: %s: %s", argv[0], pk_text(r));
	printf("repaired (or nothing needed repair)\n");
	return EX_OK;
}
