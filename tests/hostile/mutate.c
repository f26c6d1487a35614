/*
 * mutate.c -- damaged images derived from a seed pool
 *
 * A mutation is a list of edits (little-endian integers written at
 * offsets), a truncation, or a foreign file. Targeted edits overwrite one
 * field of one of pmemkit's structures (hx_seed.fld) with a value chosen
 * to hurt: zero, all ones, small and huge integers, off by one, and for
 * offsets the offset of another object, of the object itself (a loop), or
 * of the pool's end.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libpmemobj.h>

#include "layout.h"
#include "pmemkit.h"
#include "hostile.h"

const char *const hx_class_name[HX_NCLASSES] = {
	"field", "field+dirty", "bitflip", "byte", "multi", "poolhdr",
	"metadata", "page", "truncate", "foreign",
};

static uint64_t
get_le(const uint8_t *p, unsigned width)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < width; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static void
put_le(uint8_t *p, unsigned width, uint64_t v)
{
	for (unsigned i = 0; i < width; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void
describe(struct hx_mutation *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#include <stdarg.h>
static void
describe(struct hx_mutation *m, const char *fmt, ...)
{
	size_t n = strlen(m->desc);
	va_list ap;

	if (n + 2 >= sizeof(m->desc))
		return;
	if (n > 0) {
		strcpy(m->desc + n, "; ");
		n += 2;
	}
	va_start(ap, fmt);
	vsnprintf(m->desc + n, sizeof(m->desc) - n, fmt, ap);
	va_end(ap);
}

static void
add_edit(struct hx_mutation *m, uint64_t off, unsigned width, uint64_t val)
{
	if (m->nedits < HX_MAX_EDITS)
		m->edit[m->nedits++] = (struct hx_edit){ off, (uint8_t)width,
			val };
}

/* the value a targeted overwrite of field f writes; r picks the recipe */
static uint64_t
value_for(const struct hx_seed *s, const struct hx_field *f, uint64_t r,
		uint64_t *rng)
{
	static const uint64_t small[] = { 1, 2, 3, 4, 7, 8, 15, 16, 63, 64,
		0x7f, 0x80, 0xff, 0x100 };
	static const uint64_t huge[] = { 1ULL << 31, 1ULL << 32, 1ULL << 40,
		1ULL << 62, 1ULL << 63, ~0ULL - 1, ~0ULL - 7, ~0ULL >> 1 };
	static const uint64_t low[] = { 0, 8, 64, 4095, 4096, 8192, 1 << 20 };
	uint64_t cur = get_le(s->img + f->off, f->width);
	const struct hx_object *o = &s->obj[hx_rand(rng) % s->nobj];
	uint64_t v;

	switch (r % 16) {
	case 0: v = 0; break;
	case 1: v = ~0ULL; break;
	case 2: v = hx_rand(rng); break;
	case 3: v = small[hx_rand(rng) % 14]; break;
	case 4: v = huge[hx_rand(rng) % 8]; break;
	case 5: v = cur + 1; break;
	case 6: v = cur - 1; break;
	case 7: v = cur ^ (1ULL << (hx_rand(rng) % (8 * f->width))); break;
	case 8: v = cur * 2 + 1; break;
	case 9: v = o->off; break;	/* another object: kind confusion */
	case 10: v = s->obj[f->obj].off; break;	/* the object itself */
	case 11: v = o->off + (hx_rand(rng) % 2 ? 8 : -(uint64_t)64); break;
	case 12: v = s->size - (uint64_t[]){ 0, 1, 8, 64, 4096 }
		[hx_rand(rng) % 5]; break;
	case 13: v = low[hx_rand(rng) % 7]; break;
	default: {
		/* an object of the same kind: aliasing, shared segments */
		int kind = s->obj[f->obj].kind;
		v = cur;
		for (int tries = 0; tries < 64; tries++) {
			const struct hx_object *p =
				&s->obj[hx_rand(rng) % s->nobj];
			if (p->kind == kind && p->off != s->obj[f->obj].off) {
				v = p->off;
				break;
			}
		}
		if (!f->is_off)
			v = hx_rand(rng) >> (hx_rand(rng) % 64);
	}
	}
	if (f->width < 8)
		v &= (1ULL << (8 * f->width)) - 1;
	return v;
}

/* fields of headers rather than slots and cells, drawn half the time so
 * the few header fields are hit as often as the many slots */
static size_t *hdr_fields, nhdr;
static const struct hx_seed *hdr_seed;

static const struct hx_field *
pick_field(const struct hx_seed *s, uint64_t *rng)
{
	if (hdr_seed != s) {
		free(hdr_fields);
		hdr_fields = malloc(s->nfld * sizeof(*hdr_fields));
		nhdr = 0;
		for (size_t i = 0; hdr_fields != NULL && i < s->nfld; i++)
			if (strncmp(s->fld[i].name, "slot.", 5) != 0 &&
			    strncmp(s->fld[i].name, "cell.", 5) != 0)
				hdr_fields[nhdr++] = i;
		hdr_seed = s;
	}
	if (nhdr > 0 && hx_rand(rng) % 2)
		return &s->fld[hdr_fields[hx_rand(rng) % nhdr]];
	return &s->fld[hx_rand(rng) % s->nfld];
}

static void
field_edit(struct hx_mutation *m, const struct hx_seed *s,
		const struct hx_field *f, uint64_t val)
{
	const struct hx_object *o = &s->obj[f->obj];

	add_edit(m, f->off, f->width, val);
	describe(m, "%s @%#llx (%s @%#llx) := %#llx (was %#llx)", f->name,
			(unsigned long long)f->off, hx_kind_name[o->kind],
			(unsigned long long)o->off, (unsigned long long)val,
			(unsigned long long)get_le(s->img + f->off, f->width));
}

/* a byte of a pmemkit object, most often in its first cache line */
static uint64_t
pick_byte(const struct hx_seed *s, uint64_t *rng, const struct hx_object **out)
{
	const struct hx_object *o;

	do
		o = &s->obj[hx_rand(rng) % s->nobj];
	while (o->kind == HX_FOREIGN);
	*out = o;
	uint64_t span = hx_rand(rng) % 10 < 6 && o->size > 64 ? 64 : o->size;
	return o->off + hx_rand(rng) % (span ? span : 1);
}

static void
flip_edit(struct hx_mutation *m, const struct hx_seed *s, uint64_t off,
		unsigned bit, const char *where)
{
	add_edit(m, off, 1, s->img[off] ^ (1u << bit));
	describe(m, "flip bit %u of byte @%#llx (%s)", bit,
			(unsigned long long)off, where);
}

static void
byte_edit(struct hx_mutation *m, const struct hx_seed *s, uint64_t off,
		uint8_t val, const char *where)
{
	add_edit(m, off, 1, val);
	describe(m, "byte @%#llx (%s) := %#x (was %#x)",
			(unsigned long long)off, where, val, s->img[off]);
}

/* one random edit of class field, bitflip or byte */
static void
one_edit(struct hx_mutation *m, const struct hx_seed *s, int cls,
		uint64_t *rng)
{
	const struct hx_object *o;
	uint64_t off;

	switch (cls) {
	case HX_C_FIELD: {
		const struct hx_field *f = pick_field(s, rng);
		field_edit(m, s, f, value_for(s, f, hx_rand(rng), rng));
		return;
	}
	case HX_C_BITFLIP:
		off = pick_byte(s, rng, &o);
		flip_edit(m, s, off, (unsigned)(hx_rand(rng) % 8),
				hx_kind_name[o->kind]);
		return;
	default: {
		static const uint8_t vals[] = { 0, 0xff, 0x80, 0x7f, 1 };
		uint64_t r = hx_rand(rng);
		off = pick_byte(s, rng, &o);
		byte_edit(m, s, off, r % 2 ? vals[(r >> 8) % 5] :
				(uint8_t)(r >> 16), hx_kind_name[o->kind]);
		return;
	}
	}
}

static void
set_dirty(struct hx_mutation *m, const struct hx_seed *s)
{
	add_edit(m, hx_dirty_off(s), 8, 1);
	describe(m, "root.dirty := 1 (open runs gc)");
}

/*
 * libpmemobj's metadata in the seed image, found the way libpmemobj finds
 * it (offsets of libpmemobj 1.12's format, as lib/precheck.c reads it):
 * the pool header and descriptor, the lanes, the heap and zone headers,
 * the chunk headers in use, each run's header and bitmap, and the
 * allocation header of every pmemkit object
 */
enum { R_POOLHDR, R_DESC, R_LANE, R_HEAPHDR, R_ZONEHDR, R_CHUNKHDRS,
	R_RUNHDR, R_ALLOCHDR, R_NKINDS };
static const char *const region_name[R_NKINDS] = {
	"pool header", "pool descriptor", "lane", "heap header",
	"zone header", "chunk headers", "run header and bitmap",
	"allocation header",
};
/* how often each is drawn, in percent */
static const unsigned region_weight[R_NKINDS] = { 8, 10, 25, 5, 5, 15, 17,
	15 };

struct region {
	uint64_t off, len;
	int kind;
};
static struct region *regions;
static size_t nregions;
static const struct hx_seed *regions_seed;

static void
region_add(const struct hx_seed *s, int kind, uint64_t off, uint64_t len)
{
	static size_t cap;

	if (off >= s->size || len == 0)
		return;
	if (len > s->size - off)
		len = s->size - off;
	if (nregions == cap) {
		size_t ncap = cap ? cap * 2 : 256;
		struct region *n = realloc(regions, ncap * sizeof(*n));
		if (n == NULL)
			return;
		regions = n;
		cap = ncap;
	}
	regions[nregions++] = (struct region){ off, len, kind };
}

static void
find_regions(const struct hx_seed *s)
{
	uint64_t lanes = get_le(s->img + 5120, 8), nlanes = get_le(s->img +
			5128, 8), heap = get_le(s->img + 5136, 8);
	uint64_t zone = heap + 1024, chunks, used = 0;
	const uint64_t meta = 64 + (uint64_t)(UINT16_MAX - 7) * 8;

	nregions = 0;
	regions_seed = s;
	region_add(s, R_POOLHDR, 0, 4096);
	region_add(s, R_DESC, 4096, 2048 + 48);
	/* the first lanes are the ones a single-threaded writer used */
	for (uint64_t i = 0; i < nlanes && i < 16; i++)
		region_add(s, R_LANE, lanes + i * 3072, 3072);
	region_add(s, R_HEAPHDR, heap, 1024);
	region_add(s, R_ZONEHDR, zone, 64);
	chunks = get_le(s->img + zone + 4, 4);
	for (uint64_t c = 0; c < chunks && zone + 64 + c * 8 < s->size; ) {
		uint64_t h = get_le(s->img + zone + 64 + c * 8, 8);
		uint64_t n = h >> 32, t = h & 0xffff;
		if (n == 0)
			break;
		if (t == 4)	/* a run: its header and bitmap */
			region_add(s, R_RUNHDR, zone + meta + c * (256 << 10),
					16 + 8 * 38);
		if (t != 2)
			used = c + n;
		c += n;
	}
	region_add(s, R_CHUNKHDRS, zone + 64, 8 * (used + 1));
	for (size_t i = 0; i < s->nobj; i++)
		if (s->obj[i].kind != HX_FOREIGN && s->obj[i].off >= 16)
			region_add(s, R_ALLOCHDR, s->obj[i].off - 16, 16);
}

/* a region of the given kind, at random */
static const struct region *
pick_region(const struct hx_seed *s, uint64_t *rng)
{
	uint64_t r = hx_rand(rng) % 100;
	int kind = 0;

	if (regions_seed != s)
		find_regions(s);
	while (kind < R_NKINDS - 1 && r >= region_weight[kind])
		r -= region_weight[kind++];
	for (int tries = 0; tries < 1000; tries++) {
		const struct region *g = &regions[hx_rand(rng) % nregions];
		if (g->kind == kind)
			return g;
	}
	return &regions[hx_rand(rng) % nregions];
}

static void
fill_edit(struct hx_mutation *m, uint64_t off, uint64_t len, uint64_t noise,
		const char *where)
{
	if (m->nfills >= HX_MAX_FILLS)
		return;
	m->fill[m->nfills++] = (struct hx_fill){ off, len, noise };
	describe(m, "%llu bytes @%#llx (%s) := %s", (unsigned long long)len,
			(unsigned long long)off, where, noise ? "noise" :
			"zeros");
}

/* meta_edit -- a bit flip, a run of noise or zeros, or a hostile integer
 * in libpmemobj's metadata */
static void
meta_edit(struct hx_mutation *m, const struct hx_seed *s, uint64_t *rng)
{
	static const uint64_t vals[] = { 0, ~0ULL, 1, 0x40, 0xffff, 1ULL << 32,
		1ULL << 63, 0x7fffffffffffffffULL };
	const struct region *g = pick_region(s, rng);
	uint64_t r = hx_rand(rng) % 100, off = g->off + hx_rand(rng) % g->len;
	uint64_t len = 1 + hx_rand(rng) % 64;
	char where[64];

	snprintf(where, sizeof(where), "%s", region_name[g->kind]);
	if (len > g->off + g->len - off)
		len = g->off + g->len - off;
	if (r < 35) {
		flip_edit(m, s, off, (unsigned)(hx_rand(rng) % 8), where);
	} else if (r < 60) {
		fill_edit(m, off, len, hx_rand(rng) | 1, where);
	} else if (r < 85) {
		off &= ~(uint64_t)7;
		if (off + 8 > s->size)
			off = s->size - 8;
		uint64_t v = vals[hx_rand(rng) % 8];
		if (hx_rand(rng) % 2)
			v = get_le(s->img + off, 8) + (hx_rand(rng) % 2 ?
					1 : -(uint64_t)1) * (1 + hx_rand(rng) %
					64);
		add_edit(m, off, 8, v);
		describe(m, "u64 @%#llx (%s) := %#llx (was %#llx)",
				(unsigned long long)off, where,
				(unsigned long long)v, (unsigned long long)
				get_le(s->img + off, 8));
	} else {
		fill_edit(m, off, len, 0, where);
	}
}

/* page_edit -- a page that holds data zeroed or overwritten, or a run of
 * noise in it: a pmemkit object's, a run's first or the lanes' */
static void
page_edit(struct hx_mutation *m, const struct hx_seed *s, uint64_t *rng)
{
	uint64_t r = hx_rand(rng) % 100, page;
	const char *where;

	if (hx_rand(rng) % 10 < 7) {
		const struct hx_object *o;
		page = pick_byte(s, rng, &o);
		where = hx_kind_name[o->kind];
	} else {
		const struct region *g = pick_region(s, rng);
		page = g->off + hx_rand(rng) % g->len;
		where = region_name[g->kind];
	}
	page &= ~(uint64_t)4095;
	if (r < 40) {
		fill_edit(m, page, 4096, 0, where);
	} else if (r < 60) {
		fill_edit(m, page, 4096, hx_rand(rng) | 1, where);
	} else {
		uint64_t len = 16 + hx_rand(rng) % 497;
		uint64_t off = page + hx_rand(rng) % (4096 - len);
		fill_edit(m, off, len, hx_rand(rng) | 1, where);
	}
}

/* truncation lengths: around every boundary of the header, then random */
static const uint64_t trunc_fixed[] = { 0, 1, 7, 8, 9, 63, 64, 512, 4095,
	4096, 4097, 4104, 4160, 8191, 8192, 8193, 12288, 16384, 65536,
	1 << 20, 2 << 20, 4 << 20, (8 << 20) - 4096, (8 << 20) - 1 };
#define NTRUNC_FIXED (sizeof(trunc_fixed) / sizeof(trunc_fixed[0]))

static const char *const foreign_name[] = {
	"empty", "one random byte", "4 KiB of noise", "8 MiB of noise",
	"8 MiB of zeros", "an ELF executable", "PMEMOBJ signature, zeros",
	"PMEMOBJ signature, noise", "pmemobj layout \"other\"",
	"pmemobj empty layout", "pmemkit layout, no root",
	"pmemkit layout, 8-byte root", "pmemkit layout, zero root",
	"root of format 99", "root with incompat flags",
	"root without a root map", "root map is a foreign object",
	"root claims a huge pool", "signature and layout name, noise",
	"seed header, noise after 4 MiB",
};

void
hx_mutation_make(struct hx_mutation *m, const struct hx_seed *s, int cls,
		uint64_t *rng)
{
	static unsigned ntrunc, nforeign;
	uint64_t off;

	memset(m, 0, sizeof(*m));
	m->cls = cls;
	switch (cls) {
	case HX_C_FIELD:
	case HX_C_BITFLIP:
	case HX_C_BYTE:
		one_edit(m, s, cls, rng);
		return;
	case HX_C_FIELD_DIRTY:
		one_edit(m, s, HX_C_FIELD, rng);
		set_dirty(m, s);
		return;
	case HX_C_MULTI: {
		int n = 2 + (int)(hx_rand(rng) % 4);
		for (int i = 0; i < n; i++)
			one_edit(m, s, (int)(hx_rand(rng) % 3) == 0 ?
					HX_C_BITFLIP : hx_rand(rng) % 2 ?
					HX_C_FIELD : HX_C_BYTE, rng);
		if (hx_rand(rng) % 3 == 0)
			set_dirty(m, s);
		return;
	}
	case HX_C_POOLHDR: {
		/* libpmemobj's part: its header, lanes and heap headers */
		uint64_t first = s->size;
		for (size_t i = 0; i < s->nobj; i++)
			if (s->obj[i].off < first)
				first = s->obj[i].off;
		uint64_t r = hx_rand(rng) % 4;
		off = r < 2 ? hx_rand(rng) % 8192 : r == 2 ?
			hx_rand(rng) % first : hx_rand(rng) % s->size;
		if (hx_rand(rng) % 2)
			flip_edit(m, s, off, (unsigned)(hx_rand(rng) % 8),
					"pool");
		else
			byte_edit(m, s, off, (uint8_t)hx_rand(rng), "pool");
		return;
	}
	case HX_C_META:
		meta_edit(m, s, rng);
		if (hx_rand(rng) % 4 == 0)
			meta_edit(m, s, rng);
		return;
	case HX_C_PAGE:
		page_edit(m, s, rng);
		return;
	case HX_C_TRUNC: {
		unsigned i = ntrunc++;
		if (i < NTRUNC_FIXED)
			m->truncate = trunc_fixed[i];
		else if (i % 16 == 0) /* longer than the pool */
			m->truncate = s->size + 1 + hx_rand(rng) % (1 << 20);
		else
			m->truncate = hx_rand(rng) % s->size;
		if (m->truncate == 0)
			m->truncate = ~0ULL; /* "to zero bytes" */
		describe(m, "truncate to %llu bytes", (unsigned long long)
				(m->truncate == ~0ULL ? 0 : m->truncate));
		return;
	}
	default:
		m->foreign = (int)(nforeign++ % (unsigned)hx_foreign_count());
		m->noise = hx_rand(rng);
		describe(m, "foreign file #%d (%s), noise %#llx", m->foreign,
				foreign_name[m->foreign],
				(unsigned long long)m->noise);
		return;
	}
}

/*
 * hx_mutation_decode -- fuzzer input as a mutation: a flags byte, then
 * records of 12 bytes [op, sel(3), val(8)] naming edits by object and
 * field, so that most inputs hit pmemkit's structures
 */
void
hx_mutation_decode(struct hx_mutation *m, const struct hx_seed *s,
		const uint8_t *data, size_t len)
{
	memset(m, 0, sizeof(*m));
	m->cls = HX_C_MULTI;
	if (len == 0)
		return;
	if (data[0] & 1)
		set_dirty(m, s);
	for (size_t p = 1; p + 12 <= len && m->nedits < HX_MAX_EDITS;
			p += 12) {
		uint8_t op = data[p];
		uint32_t sel = (uint32_t)data[p + 1] | (uint32_t)data[p + 2] << 8 |
			(uint32_t)data[p + 3] << 16;
		uint64_t val = get_le(data + p + 4, 8), rng = val;
		const struct hx_field *f = &s->fld[sel % s->nfld];
		const struct hx_object *o = &s->obj[sel % s->nobj];

		if (o->kind == HX_FOREIGN) /* it must stay intact */
			o = &s->obj[(sel + 1) % s->nobj];
		uint64_t off = o->off + (val >> 8) % (o->size ? o->size : 1);

		switch (op % 8) {
		case 0:
			field_edit(m, s, f, value_for(s, f, val, &rng));
			break;
		case 1:
			flip_edit(m, s, off, val & 7, hx_kind_name[o->kind]);
			break;
		case 2:
			byte_edit(m, s, off, (uint8_t)val, hx_kind_name[o->kind]);
			break;
		case 3:
			off = o->off + ((val >> 8) % (o->size / 8 ? o->size / 8 :
						1)) * 8;
			add_edit(m, off, 8, hx_rand(&rng));
			describe(m, "u64 @%#llx (%s)", (unsigned long long)off,
					hx_kind_name[o->kind]);
			break;
		case 4:
			/* libpmemobj's metadata, or a page that holds data:
			 * lib/precheck.c must refuse what would crash
			 * pmemobj_open or a heap walk */
			if (val & 1)
				meta_edit(m, s, &rng);
			else
				page_edit(m, s, &rng);
			break;
		case 5:
			field_edit(m, s, f, s->obj[(val >> 8) % s->nobj].off +
					(uint64_t)(int8_t)val);
			break;
		case 6:
			if (m->truncate == 0) {
				m->truncate = val % s->size;
				if (m->truncate == 0)
					m->truncate = ~0ULL;
				describe(m, "truncate to %llu",
					(unsigned long long)m->truncate);
			}
			break;
		default: {
			uint64_t v = val;
			if (f->width < 8)
				v &= (1ULL << (8 * f->width)) - 1;
			field_edit(m, s, f, v);
			break;
		}
		}
	}
}

/* foreign files */

static int
write_buf(const char *path, const void *buf, size_t len, uint64_t length)
{
	int fd = open(path, O_WRONLY | O_CREAT, 0600);
	size_t done = 0;

	if (fd < 0)
		return -1;
	while (done < len) {
		ssize_t n = pwrite(fd, (const char *)buf + done, len - done,
				(off_t)done);
		if (n <= 0) {
			close(fd);
			return -1;
		}
		done += (size_t)n;
	}
	int rc = ftruncate(fd, (off_t)length);
	close(fd);
	return rc;
}

/* a libpmemobj pool of layout, with a root of root_len bytes from root */
static int
pmemobj_file(const char *path, const char *layout, size_t root_len,
		const void *root, int foreign_map)
{
	PMEMobjpool *pop;

	unlink(path);
	if ((pop = pmemobj_create(path, layout, PK_POOL_MIN_SIZE, 0600)) ==
			NULL)
		return -1;
	if (root_len > 0) {
		PMEMoid r = pmemobj_root(pop, root_len);
		struct pk_root *pr = pmemobj_direct(r);
		pmemobj_memcpy_persist(pop, pr, root, root_len);
		if (foreign_map) {
			/* root_map leads to an object that is not a map */
			PMEMoid o;
			if (pmemobj_alloc(pop, &o, 512, 7, NULL, NULL) == 0) {
				memset(pmemobj_direct(o), 0x5a, 512);
				pr->root_map = o.off;
				pmemobj_persist(pop, pr, sizeof(*pr));
			}
		}
	}
	pmemobj_close(pop);
	return 0;
}

#define NFOREIGN 20

/* made once (creating a pool takes a while), then copied */
static uint8_t *made[NFOREIGN];
static size_t made_len[NFOREIGN];

static int
read_file(const char *path, uint8_t **buf, size_t *len)
{
	int fd = open(path, O_RDONLY);
	off_t end = fd < 0 ? -1 : lseek(fd, 0, SEEK_END);
	size_t done = 0;

	if (end < 0 || (*buf = malloc((size_t)end + 1)) == NULL) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	while (done < (size_t)end) {
		ssize_t n = pread(fd, *buf + done, (size_t)end - done,
				(off_t)done);
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	close(fd);
	*len = done;
	return 0;
}

int
hx_foreign_count(void)
{
	return NFOREIGN;
}

static int
foreign_write(int which, const struct hx_seed *s, const char *path,
		uint64_t seed)
{
	size_t size = PK_POOL_MIN_SIZE;
	struct pk_root r;
	uint8_t *buf;
	int rc;

	memset(&r, 0, sizeof(r));
	r.magic = PK_MAGIC_ROOT;
	r.format = PK_FORMAT_VERSION;
	r.pool_size = PK_POOL_MIN_SIZE;
	if (which >= 8 && which <= 17 && made[which] != NULL)
		return write_buf(path, made[which], made_len[which],
				made_len[which]);
	switch (which) {
	case 8: return pmemobj_file(path, "other", 64, &r, 0);
	case 9: return pmemobj_file(path, "", 64, &r, 0);
	case 10: return pmemobj_file(path, PK_LAYOUT_NAME, 0, NULL, 0);
	case 11: return pmemobj_file(path, PK_LAYOUT_NAME, 8, &r, 0);
	case 12: {
		struct pk_root z;
		memset(&z, 0, sizeof(z));
		return pmemobj_file(path, PK_LAYOUT_NAME, sizeof(z), &z, 0);
	}
	case 13:
		r.format = 99;
		return pmemobj_file(path, PK_LAYOUT_NAME, sizeof(r), &r, 0);
	case 14:
		r.incompat = 1ULL << 63;	/* a flag no library knows */
		return pmemobj_file(path, PK_LAYOUT_NAME, sizeof(r), &r, 0);
	case 15:
		return pmemobj_file(path, PK_LAYOUT_NAME, sizeof(r), &r, 0);
	case 16:
		return pmemobj_file(path, PK_LAYOUT_NAME, sizeof(r), &r, 1);
	case 17:
		r.pool_size = ~0ULL;
		return pmemobj_file(path, PK_LAYOUT_NAME, sizeof(r), &r, 1);
	default:
		break;
	}
	switch (which) {
	case 0: size = 0; break;
	case 1: size = 1; break;
	case 2: size = 4096; break;
	case 5: {
		/* an ELF file: this very program */
		int fd = open("/proc/self/exe", O_RDONLY);
		ssize_t n;
		if (fd < 0 || (buf = malloc(16 << 20)) == NULL)
			return -1;
		n = read(fd, buf, 16 << 20);
		close(fd);
		rc = n > 0 ? write_buf(path, buf, (size_t)n, (uint64_t)n) : -1;
		free(buf);
		return rc;
	}
	default: break;
	}
	if ((buf = calloc(1, size ? size : 1)) == NULL)
		return -1;
	switch (which) {
	case 1: case 2: case 3: case 7: case 18:
		for (size_t i = 0; i < size; i++)
			buf[i] = (uint8_t)hx_rand(&seed);
		break;
	case 19:
		/* the seed's libpmemobj header, then noise */
		memcpy(buf, s->img, size < s->size ? size : s->size);
		for (size_t i = 4 << 20; i < size; i++)
			buf[i] = (uint8_t)hx_rand(&seed);
		break;
	default: /* 0, 4, 6: zeros */
		break;
	}
	if (which == 6 || which == 7 || which == 18)
		memcpy(buf, "PMEMOBJ", 8);
	if (which == 18)
		memcpy(buf + 4096, PK_LAYOUT_NAME, sizeof(PK_LAYOUT_NAME));
	rc = write_buf(path, buf, size, size);
	free(buf);
	return rc;
}

/*
 * The file last written, kept mapped: the next image of the seed's size
 * only copies the pages that differ (the last case's damage and whatever
 * opening it wrote), not the whole pool.
 */
static struct {
	char path[4200];
	uint8_t *map;
	size_t len;
} last;

static void
last_drop(void)
{
	if (last.map != NULL)
		munmap(last.map, last.len);
	last.map = NULL;
	last.path[0] = '\0';
}

/* sync_image -- make the file at path hold the seed image, page by page */
static int
sync_image(const struct hx_seed *s, const char *path)
{
	if (last.map == NULL || strcmp(last.path, path) != 0) {
		int fd = open(path, O_RDWR | O_CREAT, 0600);
		last_drop();
		if (fd < 0)
			return -1;
		if (ftruncate(fd, (off_t)s->size) != 0) {
			close(fd);
			return -1;
		}
		last.map = mmap(NULL, s->size, PROT_READ | PROT_WRITE,
				MAP_SHARED, fd, 0);
		close(fd);
		if (last.map == MAP_FAILED) {
			last.map = NULL;
			return -1;
		}
		last.len = s->size;
		snprintf(last.path, sizeof(last.path), "%s", path);
	}
	for (size_t p = 0; p < s->size; p += 4096) {
		size_t n = s->size - p < 4096 ? s->size - p : 4096;
		if (memcmp(last.map + p, s->img + p, n) != 0)
			memcpy(last.map + p, s->img + p, n);
	}
	return 0;
}

int
hx_mutation_write(const struct hx_mutation *m, struct hx_seed *s,
		const char *path)
{
	uint8_t old[HX_MAX_EDITS][8], *saved[HX_MAX_FILLS];
	uint64_t len = s->size;
	int rc;

	if (m->cls == HX_C_FOREIGN) {
		last_drop();
		rc = foreign_write(m->foreign, s, path, m->noise);
		if (rc == 0 && m->foreign >= 8 && m->foreign <= 17 &&
		    made[m->foreign] == NULL)
			rc = read_file(path, &made[m->foreign],
					&made_len[m->foreign]);
		return rc;
	}
	for (int i = 0; i < m->nfills; i++) {
		const struct hx_fill *f = &m->fill[i];
		uint64_t noise = f->noise;
		if ((saved[i] = malloc(f->len)) == NULL) {
			while (i-- > 0)
				free(saved[i]);
			return -1;
		}
		memcpy(saved[i], s->img + f->off, f->len);
		for (uint64_t b = 0; b < f->len; b++)
			s->img[f->off + b] = f->noise ?
				(uint8_t)hx_rand(&noise) : 0;
	}
	for (int i = 0; i < m->nedits; i++) {
		memcpy(old[i], s->img + m->edit[i].off, m->edit[i].width);
		put_le(s->img + m->edit[i].off, m->edit[i].width,
				m->edit[i].val);
	}
	if (m->truncate != 0) {
		last_drop();
		len = m->truncate == ~0ULL ? 0 : m->truncate;
		rc = write_buf(path, s->img, len < s->size ? len : s->size,
				len);
	} else {
		rc = sync_image(s, path);
	}
	for (int i = m->nedits - 1; i >= 0; i--)
		memcpy(s->img + m->edit[i].off, old[i], m->edit[i].width);
	for (int i = m->nfills - 1; i >= 0; i--) {
		memcpy(s->img + m->fill[i].off, saved[i], m->fill[i].len);
		free(saved[i]);
	}
	return rc;
}
