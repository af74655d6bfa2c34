/* replay.c -- runs a fuzz target over every file of a corpus folder, so the
 * corpora are regression tests under plain ctest (no clang needed). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "targets.h"

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: fuzz_replay csv|config DIR\n");
        return 64;
    }
    int (*fn)(const uint8_t *, size_t) = strcmp(argv[1], "csv") == 0 ? fuzz_csv
                                         : strcmp(argv[1], "config") == 0 ? fuzz_config : NULL;
    if (!fn) {
        fprintf(stderr, "fuzz_replay: no target '%s'\n", argv[1]);
        return 64;
    }
    DIR *dir = opendir(argv[2]);
    if (!dir) {
        perror(argv[2]);
        return 66;
    }
    struct dirent *e;
    int count = 0;
    while ((e = readdir(dir)) != NULL) {
        if (e->d_name[0] == '.') continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", argv[2], e->d_name);
        FILE *f = fopen(path, "rb");
        if (!f) continue;
        char *buf = malloc(1 << 20);
        size_t n = buf ? fread(buf, 1, 1 << 20, f) : 0;
        fclose(f);
        fn((const uint8_t *)buf, n);
        free(buf);
        count++;
    }
    closedir(dir);
    printf("%d passed, 0 failed\n", count);
    return count > 0 ? 0 : 1;
}
