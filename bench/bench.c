/*
 * bench.c -- the benchmark's shared helpers: key order, progress,
 * percentiles and the report
 */
#include <errno.h>
#include <stdarg.h>
#include <sys/mman.h>
#include <sys/statvfs.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "bench.h"

volatile uint64_t bench_sink;

#ifndef TMPFS_MAGIC
#define TMPFS_MAGIC 0x01021994
#endif

uint64_t *
bench_order(uint64_t n, uint64_t seed)
{
	uint64_t *v = malloc((n ? n : 1) * sizeof(*v));
	uint64_t s = seed * 0x2545F4914F6CDD1DULL + 1;
	if (v == NULL)
		abort();
	for (uint64_t i = 0; i < n; i++)
		v[i] = i;
	for (uint64_t i = n - 1; n > 0 && i > 0; i--) {
		uint64_t j = bench_rand(&s) % (i + 1), t = v[i];
		v[i] = v[j];
		v[j] = t;
	}
	return v;
}

/* progress */

void
bench_progress_start(struct bench_progress *p, const char *phase,
		uint64_t total)
{
	snprintf(p->phase, sizeof(p->phase), "%s", phase);
	p->total = total ? total : 1;
	p->on = isatty(STDERR_FILENO);
	p->next = 0;
	bench_progress_update(p, 0);
}

void
bench_progress_update(struct bench_progress *p, uint64_t done)
{
	double now;

	if (!p->on || (now = bench_now()) < p->next)
		return;
	p->next = now + 0.25;
	fprintf(stderr, "\r%s %3d%%\033[K", p->phase,
			(int)(100.0 * (double)done / (double)p->total));
}

void
bench_progress_end(struct bench_progress *p)
{
	if (p->on)
		fprintf(stderr, "\r\033[K");
}

int bench_prefault = 1;

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23	/* Linux 5.14 */
#endif

/*
 * what pk_pool_prefault() does, for the naive map's pool: every whole page
 * libpmemobj maps except the first, its header (PROT_NONE in its debug
 * build)
 */
int
bench_prefault_pool(void *addr, size_t len)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	char *p = (char *)addr + page;

	len = (len & ~(page - 1)) - page;
	if (madvise(p, page, MADV_POPULATE_WRITE) != 0 && errno == EINVAL) {
		for (size_t off = 0; off < len; off += page)
			(void)*((volatile const char *)p + off);
		return 0;
	}
	return madvise(p, len, MADV_POPULATE_WRITE);
}

/* the report */

static struct {
	FILE *csv;
	char medium[4200];	/* "DIR MODE" */
	const char *mode;
	int sized;
} out;

const char *
bench_medium_mode(void)
{
	return out.mode;
}

int
bench_output_open(const char *dir, const char *csv, int sized_names)
{
	const char *force = getenv("PMEM_IS_PMEM_FORCE");
	struct statfs fs;

	if (force != NULL && strcmp(force, "1") == 0)
		out.mode = "pmem-forced";
	else if (statfs(dir, &fs) == 0 && fs.f_type == TMPFS_MAGIC)
		out.mode = "tmpfs-msync";
	else
		out.mode = "disk-msync";
	snprintf(out.medium, sizeof(out.medium), "%s %s", dir, out.mode);
	out.sized = sized_names;
	if (csv != NULL) {
		if ((out.csv = fopen(csv, "w")) == NULL) {
			perror(csv);
			return -1;
		}
		fprintf(out.csv, "medium,system,op,entries,value,unit\n");
	}
	printf("medium %s\n", out.medium);
	fflush(stdout);
	return 0;
}

void
bench_output_close(void)
{
	if (out.csv != NULL)
		fclose(out.csv);
	out.csv = NULL;
}

const char *
bench_size_name(uint64_t n, char *buf, size_t len)
{
	if (n >= 1000000 && n % 1000000 == 0)
		snprintf(buf, len, "%lluM", (unsigned long long)(n / 1000000));
	else if (n >= 1000 && n % 1000 == 0)
		snprintf(buf, len, "%lluK", (unsigned long long)(n / 1000));
	else
		snprintf(buf, len, "%llu", (unsigned long long)n);
	return buf;
}

void
bench_figure(const char *sys, const char *op, uint64_t entries,
		double value, const char *unit)
{
	char size[32] = "";

	if (out.sized) {
		size[0] = '_';
		bench_size_name(entries, size + 1, sizeof(size) - 1);
	}
	printf("%s_%s%s %.1f %s\n", sys, op, size, value, unit);
	fflush(stdout);
	if (out.csv != NULL)
		fprintf(out.csv, "%s,%s,%s,%llu,%.1f,%s\n", out.medium, sys, op,
				(unsigned long long)entries, value, unit);
}

void
bench_ratio(const char *name, double a, double b)
{
	if (!(a > 0 && b > 0))
		return;
	printf("%s %.2f x\n", name, a / b);
	fflush(stdout);
	if (out.csv != NULL)
		fprintf(out.csv, "%s,ratio,%s,0,%.2f,x\n", out.medium, name,
				a / b);
}

uint64_t
bench_free_bytes(const char *dir)
{
	struct statvfs vfs;

	if (statvfs(dir, &vfs) != 0)
		return 0;
	return (uint64_t)vfs.f_bavail * vfs.f_frsize;
}

/* percentiles */

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

void
bench_latency_report(const char *sys, uint32_t *ns, uint64_t n,
		uint64_t entries)
{
	static const struct { const char *op; double q; } pct[] = {
		{ "put_latency_p50", 0.50 }, { "put_latency_p99", 0.99 },
		{ "put_latency_p99.9", 0.999 }, { "put_latency_max", 1.0 },
	};

	if (n == 0)
		return;
	qsort(ns, n, sizeof(*ns), cmp_u32);
	for (size_t i = 0; i < sizeof(pct) / sizeof(pct[0]); i++)
		bench_figure(sys, pct[i].op, entries,
				ns[(uint64_t)(pct[i].q * (double)(n - 1))], "ns");
}
