/* check.h -- a tiny test harness for the unit tests: CHECK(cond),
 * CHECK_NEAR(a, b, tol) and a closing "N passed, M failed" line. */
#ifndef FLEETCAST_TEST_CHECK_H
#define FLEETCAST_TEST_CHECK_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static int check_pass, check_fail;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (cond) check_pass++;                                                      \
        else {                                                                       \
            check_fail++;                                                            \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                            \
    } while (0)

#define CHECK_NEAR(a, b, tol)                                                        \
    do {                                                                             \
        double check_a_ = (a), check_b_ = (b);                                       \
        if (fabs(check_a_ - check_b_) <= (tol)) check_pass++;                        \
        else {                                                                       \
            check_fail++;                                                            \
            fprintf(stderr, "%s:%d: %s = %.10g, expected %.10g (tol %g)\n", __FILE__, \
                    __LINE__, #a, check_a_, check_b_, (double)(tol));                \
        }                                                                            \
    } while (0)

static inline int check_report(void)
{
    printf("%d passed, %d failed\n", check_pass, check_fail);
    return check_fail ? 1 : 0;
}

#endif
