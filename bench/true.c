// SPDX-License-Identifier: GPL-2.0
/*
 * true.c - the static binary the workloads exec: exits with argv[1], or 0.
 */
#include <stdlib.h>

int main(int argc, char **argv)
{
	return argc > 1 ? atoi(argv[1]) : 0;
}
