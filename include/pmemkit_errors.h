/*
 * pmemkit_errors.h -- the error table, for programs that included it by
 * this name; the tables now live in pmemkit_tables.h
 */
#ifndef PMEMKIT_ERRORS_H
#define PMEMKIT_ERRORS_H
#include "pmemkit_tables.h"
#endif /* PMEMKIT_ERRORS_H */
