/*
 * pf_stats.c -- counts per operation kind, in memory shared with the
 * processes Check forks for each test, printed by main at the end
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "pf.h"

#define MAX_KINDS 128

struct kind {
	char name[48];
	uint64_t ops, drains, min, max, images, before, after, nopool, bad;
};

static struct kind *K;

void
pf_stats_init(void)
{
	K = mmap(NULL, MAX_KINDS * sizeof(*K), PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (K == MAP_FAILED)
		K = NULL;
}

void
pf_stats_add(const char *kind, uint64_t drains, uint64_t images,
		uint64_t before, uint64_t after, uint64_t nopool,
		uint64_t violations)
{
	int i;

	if (K == NULL)
		return;
	for (i = 0; i < MAX_KINDS && K[i].name[0]; i++)
		if (strcmp(K[i].name, kind) == 0)
			break;
	if (i == MAX_KINDS)
		return;
	struct kind *k = &K[i];
	if (!k->name[0]) {
		snprintf(k->name, sizeof(k->name), "%s", kind);
		k->min = drains;
	}
	k->ops++;
	k->drains += drains;
	k->min = drains < k->min ? drains : k->min;
	k->max = drains > k->max ? drains : k->max;
	k->images += images;
	k->before += before;
	k->after += after;
	k->nopool += nopool;
	k->bad += violations;
}

void
pf_stats_print(void)
{
	uint64_t ops = 0, drains = 0, images = 0, bad = 0, broken = 0;

	if (K == NULL)
		return;
	printf("%-26s %6s %8s %5s %5s %8s %7s %7s %6s %5s\n", "operation",
			"ops", "drains", "min", "max", "images", "before",
			"after", "nopool", "viol");
	for (int i = 0; i < MAX_KINDS && K[i].name[0]; i++) {
		struct kind *k = &K[i];
		printf("%-26s %6llu %8llu %5llu %5llu %8llu %7llu %7llu %6llu "
				"%5llu\n", k->name, (unsigned long long)k->ops,
				(unsigned long long)k->drains,
				(unsigned long long)k->min,
				(unsigned long long)k->max,
				(unsigned long long)k->images,
				(unsigned long long)k->before,
				(unsigned long long)k->after,
				(unsigned long long)k->nopool,
				(unsigned long long)k->bad);
		ops += k->ops;
		drains += k->drains;
		images += k->images;
		bad += k->bad;
		if (strncmp(k->name, "broken.", 7) == 0)
			broken += k->bad;
	}
	printf("total: %llu operations, %llu drain points, %llu crash images "
			"checked, %llu violations (%llu in deliberately broken "
			"operations)\n", (unsigned long long)ops,
			(unsigned long long)drains, (unsigned long long)images,
			(unsigned long long)bad, (unsigned long long)broken);
}

int
pf_stats_below(uint64_t min, char *buf, size_t len)
{
	int n = 0;
	size_t at = 0;

	buf[0] = 0;
	for (int i = 0; K != NULL && i < MAX_KINDS && K[i].name[0]; i++) {
		/* a defrag is a run of transactions of 64 moves each, not
		 * one path: its scenario asserts each of its three rounds
		 * made four or more of them (pf_scen.c pf_defrag_ops) */
		if (K[i].ops >= min || strncmp(K[i].name, "broken.", 7) == 0 ||
		    strncmp(K[i].name, "msync:", 6) == 0 ||
		    strcmp(K[i].name, "pool.defrag") == 0)
			continue;
		n++;
		if (at < len)
			at += (size_t)snprintf(buf + at, len - at, "%s%s %llu",
					at ? ", " : "", K[i].name,
					(unsigned long long)K[i].ops);
	}
	return n;
}
