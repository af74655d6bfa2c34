/* schema_check_main.c -- `schema_check SCHEMA [DOC...]`: check JSON
 * documents against a schema of docs/schema/ (the CLI cases run it on
 * fleetcast's outputs as $SCHEMA_CHECK). With no DOC, checks the schema
 * alone. Each violation is a line on stderr, "DOC: $.path: message".
 * Exit 0: every document conforms; 1: a violation; 2: usage, a file that
 * cannot be read or is not JSON, or a schema schema_check cannot apply. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "schema_check.h"

/* Lines shown per document; the count of the rest follows. */
enum { SHOW_MAX = 40 };

typedef struct sink {
    const char *name;
    long n;
} sink;

static void print_line(void *ctx, const char *where, const char *message)
{
    sink *s = ctx;
    if (s->n++ < SHOW_MAX) fprintf(stderr, "%s: %s: %s\n", s->name, where, message);
}

/* The whole of path ("-": stdin) parsed, or NULL after a message. */
static cJSON *read_json(const char *path)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "schema_check: %s: %s\n", path, strerror(errno));
        return NULL;
    }
    size_t len = 0, cap = 1 << 16;
    char *buf = malloc(cap);
    while (buf) {
        len += fread(buf + len, 1, cap - len - 1, f);
        if (len < cap - 1) break;
        char *b = realloc(buf, cap * 2);
        if (!b) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = b;
        cap *= 2;
    }
    int bad = ferror(f);
    if (f != stdin) fclose(f);
    if (!buf || bad) {
        fprintf(stderr, "schema_check: %s: %s\n", path, buf ? "read error" : "out of memory");
        free(buf);
        return NULL;
    }
    buf[len] = '\0';
    const char *end = NULL;
    cJSON *j = strlen(buf) == len ? cJSON_ParseWithOpts(buf, &end, 1) : NULL;
    if (!j)
        fprintf(stderr, "schema_check: %s: not a JSON document (at byte %ld)\n", path,
                end ? (long)(end - buf) : (long)strlen(buf));
    free(buf);
    return j;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argv[1][0] == '-') {
        fprintf(stderr, "usage: schema_check SCHEMA [DOC...]   (DOC '-' is stdin)\n");
        return 2;
    }
    cJSON *root = read_json(argv[1]);
    if (!root) return 2;
    sink lint = {argv[1], 0};
    sc_schema *s = sc_schema_new(root, print_line, &lint);
    if (!s) {
        if (lint.n > SHOW_MAX) fprintf(stderr, "%s: ... %ld problems in all\n", argv[1], lint.n);
        if (!lint.n) fprintf(stderr, "schema_check: out of memory\n");
        cJSON_Delete(root);
        return 2;
    }
    int rc = 0;
    for (int i = 2; i < argc; i++) {
        cJSON *doc = read_json(argv[i]);
        if (!doc) {
            rc = 2;
            continue;
        }
        sink out = {argv[i], 0};
        long n = sc_schema_check(s, doc, print_line, &out);
        if (n > SHOW_MAX) fprintf(stderr, "%s: ... %ld violations of %s in all\n", argv[i], n, argv[1]);
        if (n && rc == 0) rc = 1;
        cJSON_Delete(doc);
    }
    sc_schema_free(s);
    cJSON_Delete(root);
    return rc;
}
