/* intern.c -- open-addressing hash table from strings to dense ids. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "fleetcast/intern.h"

struct fc_intern {
    int32_t *slots;     /* id + 1, 0 = empty */
    size_t nslots;      /* power of two */
    char **names;
    uint32_t *lens;
    uint32_t *hashes;
    int32_t n, cap;
};

uint64_t fc_hash_bytes(const void *p, size_t n, uint64_t h)
{
    const unsigned char *s = p;
    h ^= 0xcbf29ce484222325ULL ^ n;
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
        h ^= h >> 31;
        s += 8;
        n -= 8;
    }
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 0x100000001b3ULL;
    }
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 32;
    return h;
}

fc_intern *fc_intern_new(void)
{
    fc_intern *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->nslots = 64;
    t->slots = calloc(t->nslots, sizeof *t->slots);
    if (!t->slots) {
        free(t);
        return NULL;
    }
    return t;
}

void fc_intern_free(fc_intern *t)
{
    if (!t) return;
    for (int32_t i = 0; i < t->n; i++) free(t->names[i]);
    free(t->names);
    free(t->hashes);
    free(t->lens);
    free(t->slots);
    free(t);
}

static size_t probe(const fc_intern *t, const char *s, size_t n, uint32_t h, int *found)
{
    size_t mask = t->nslots - 1, i = h & mask;
    for (;;) {
        int32_t v = t->slots[i];
        if (!v) {
            *found = 0;
            return i;
        }
        if (t->hashes[v - 1] == h && t->lens[v - 1] == n) {
            if (memcmp(t->names[v - 1], s, n) == 0) {
                *found = 1;
                return i;
            }
        }
        i = (i + 1) & mask;
    }
}

int32_t fc_intern_find(const fc_intern *t, const char *s, size_t n)
{
    int found;
    uint32_t h = (uint32_t)fc_hash_bytes(s, n, 0);
    size_t i = probe(t, s, n, h, &found);
    return found ? t->slots[i] - 1 : -1;
}

static int grow(fc_intern *t)
{
    size_t ns = t->nslots * 2;
    int32_t *slots = calloc(ns, sizeof *slots);
    if (!slots) return -1;
    for (int32_t id = 0; id < t->n; id++) {
        size_t i = t->hashes[id] & (ns - 1);
        while (slots[i]) i = (i + 1) & (ns - 1);
        slots[i] = id + 1;
    }
    free(t->slots);
    t->slots = slots;
    t->nslots = ns;
    return 0;
}

int32_t fc_intern_add(fc_intern *t, const char *s, size_t n, int *added)
{
    int found;
    uint32_t h = (uint32_t)fc_hash_bytes(s, n, 0);
    size_t i = probe(t, s, n, h, &found);
    if (added) *added = !found;
    if (found) return t->slots[i] - 1;
    if (t->n == t->cap) {
        int32_t nc = t->cap ? t->cap * 2 : 64;
        char **names = realloc(t->names, (size_t)nc * sizeof *names);
        if (!names) return -1;
        t->names = names;
        uint32_t *hashes = realloc(t->hashes, (size_t)nc * sizeof *hashes);
        if (!hashes) return -1;
        t->hashes = hashes;
        uint32_t *lens = realloc(t->lens, (size_t)nc * sizeof *lens);
        if (!lens) return -1;
        t->lens = lens;
        t->cap = nc;
    }
    char *copy = malloc(n + 1);
    if (!copy) return -1;
    memcpy(copy, s, n);
    copy[n] = '\0';
    int32_t id = t->n++;
    t->names[id] = copy;
    t->hashes[id] = h;
    t->lens[id] = (uint32_t)n;
    t->slots[i] = id + 1;
    if ((size_t)t->n * 2 > t->nslots && grow(t)) {
        /* The table still holds the id through the old slots. */
    }
    return id;
}

const char *fc_intern_name(const fc_intern *t, int32_t id)
{
    return id >= 0 && id < t->n ? t->names[id] : "";
}

int32_t fc_intern_count(const fc_intern *t) { return t ? t->n : 0; }

int fc_intern_is(const fc_intern *t, int32_t id, const char *s, size_t n)
{
    if (id < 0 || id >= t->n || t->lens[id] != n) return 0;
    /* Ids are a few bytes: a loop, not a memcmp call (the shipments reader
     * asks this twice per row). */
    const char *a = t->names[id];
    for (size_t i = 0; i < n; i++)
        if (a[i] != s[i]) return 0;
    return 1;
}

/* Levenshtein distance of a and b, letter case ignored; 99 when either is
 * over 63 bytes. */
static int edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63) return 99;
    int row[64];
    for (size_t j = 0; j <= lb; j++) row[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int diag = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int up = row[j], best = diag + (tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]));
            if (up + 1 < best) best = up + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            diag = up;
            row[j] = best;
        }
    }
    return row[lb];
}

const char *fc_name_near(const char *name, const char *const *names, int n)
{
    const char *near = NULL;
    int best = strlen(name) >= 8 ? 3 : 2;
    for (int i = 0; n < 0 ? names[i] != NULL : i < n; i++) {
        int dist = edit_distance(name, names[i]);
        if (dist < best) {
            best = dist;
            near = names[i];
        }
    }
    return near;
}
