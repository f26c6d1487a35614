/*
 * kind.c -- the table of container kinds
 */
#include "internal.h"

static const struct pk_kind *const kinds[] = {
	&pk__map_kind, &pk__list_kind, &pk__array_kind, &pk__log_kind,
	&pk__blocks_kind, &pk__set_kind, &pk__record_kind,
	&pk__sorted_kind,
};

/* pk__kind_of_type -- the kind of containers of a value type, or NULL */
const struct pk_kind *
pk__kind_of_type(unsigned type)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if ((unsigned)kinds[i]->type == type)
			return kinds[i];
	return NULL;
}

/* pk__kind_of_magic -- the kind whose header magic is magic, or NULL */
const struct pk_kind *
pk__kind_of_magic(uint32_t magic)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (kinds[i]->magic == magic)
			return kinds[i];
	return NULL;
}
