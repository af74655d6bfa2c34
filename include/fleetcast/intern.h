/* intern.h -- a string table that gives each distinct id (zip, station,
 * van type) a dense integer 0..n-1, in order of first appearance.
 * Create with fc_intern_new(), free with fc_intern_free(). */
#ifndef FLEETCAST_INTERN_H
#define FLEETCAST_INTERN_H

#include <stddef.h>
#include <stdint.h>

typedef struct fc_intern fc_intern;

fc_intern *fc_intern_new(void);
void fc_intern_free(fc_intern *t);

/* Id of the n-byte string s, or -1 if absent. */
int32_t fc_intern_find(const fc_intern *t, const char *s, size_t n);
/* Id of s, adding it if absent; -1 on out of memory. *added is set to 1
 * when s was new (added may be NULL). */
int32_t fc_intern_add(fc_intern *t, const char *s, size_t n, int *added);
/* The NUL-terminated string of an id (owned by the table). */
const char *fc_intern_name(const fc_intern *t, int32_t id);
int32_t fc_intern_count(const fc_intern *t);
/* Is id's string exactly the n bytes at s? (a cheap check before a lookup) */
int fc_intern_is(const fc_intern *t, int32_t id, const char *s, size_t n);

/* The name among names[0..n-1] (n < 0: up to a NULL entry) that `name` is
 * a typo away from -- edit distance 1, or 2 for names of 8 bytes or more;
 * letter case ignored -- or NULL. For "did you mean" in messages about a
 * key or a column nobody reads. */
const char *fc_name_near(const char *name, const char *const *names, int n);

/* 64-bit hash of bytes (FNV-1a style, used for tables and seeds). */
uint64_t fc_hash_bytes(const void *p, size_t n, uint64_t seed);

#endif
