/*
 * tables.c -- the rows of pmemkit_tables.h as data, for the languages
 */
#include "internal.h"

static const pk_error_row errors[] = {
#define PK_ERROR_ROW_(name, value, cls, msg) { #name, value, #cls, msg },
	PK_ERROR_TABLE(PK_ERROR_ROW_)
#undef PK_ERROR_ROW_
};

static const pk_elem_row elems[] = {
#define PK_ELEM_ROW_(name, value, sname, size, typecode, cls) \
	{ #name, value, sname, size, typecode, cls },
	PK_ELEM_TABLE(PK_ELEM_ROW_)
#undef PK_ELEM_ROW_
};

static const pk_flag_row flags[] = {
#define PK_FLAG_ROW_(name, value, meaning) { #name, value, meaning },
	PK_FLAG_TABLE(PK_FLAG_ROW_)
#undef PK_FLAG_ROW_
};

static const pk_pool_flag_row pool_flags[] = {
#define PK_POOL_FLAG_ROW_(name, value, option, meaning) \
	{ #name, value, option, meaning },
	PK_POOL_FLAG_TABLE(PK_POOL_FLAG_ROW_)
#undef PK_POOL_FLAG_ROW_
};

#define ROW(table, index) ((index) >= 0 && \
	(uint64_t)(index) < sizeof(table) / sizeof((table)[0]) ? \
	&(table)[index] : NULL)

/* pk_error_table -- row index of PK_ERROR_TABLE, or NULL */
const pk_error_row *
pk_error_table(int64_t index)
{
	return ROW(errors, index);
}

/* pk_elem_table -- row index of PK_ELEM_TABLE, or NULL */
const pk_elem_row *
pk_elem_table(int64_t index)
{
	return ROW(elems, index);
}

/* pk_flag_table -- row index of PK_FLAG_TABLE, or NULL */
const pk_flag_row *
pk_flag_table(int64_t index)
{
	return ROW(flags, index);
}

/* pk_pool_flag_table -- row index of PK_POOL_FLAG_TABLE, or NULL */
const pk_pool_flag_row *
pk_pool_flag_table(int64_t index)
{
	return ROW(pool_flags, index);
}
