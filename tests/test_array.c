/* test_array.c -- placeholder, being written */
#include "common.h"
int main(void) { return 0; }
