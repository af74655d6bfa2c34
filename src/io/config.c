/* config.c -- reading and checking the JSON run configuration. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "fleetcast/config.h"
#include "fleetcast/intern.h"

static const char *const input_names[FC_INPUT_N + 1] = {
    "shipments", "routes", "zips", "stations", "vehicles", "fleet", "budget", NULL};

const char *fc_input_name(int which)
{
    return which >= 0 && which < FC_INPUT_N ? input_names[which] : "?";
}

fc_config *fc_config_new(void)
{
    fc_config *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->horizon_months = 16;
    c->service_level = 0.9;
    c->spare_ratio = 0.1;
    c->paths = 500;
    c->seed = 1;
    return c;
}

void fc_config_free(fc_config *c)
{
    if (!c) return;
    free(c->path);
    for (int i = 0; i < FC_INPUT_N; i++) free(c->inputs[i]);
    cJSON_Delete(c->json);
    free(c);
}

int fc_config_set_input(fc_config *c, int which, const char *path)
{
    char *p = strdup(path);
    if (!p) return FC_EINTERNAL;
    free(c->inputs[which]);
    c->inputs[which] = p;
    return FC_OK;
}

int fc_read_file(const char *path, fc_diag *d, char **buf, size_t *n)
{
    int is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    *buf = NULL;
    *n = 0;
    struct stat sb;
    if (f && !is_stdin && fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
        fclose(f);
        f = NULL;
        errno = EISDIR;
    }
    if (!f) {
        fc_diag_error(d, FC_ENOINPUT, "%s: cannot open: %s", path, strerror(errno));
        return FC_ENOINPUT;
    }
    size_t cap = 4096, len = 0;
    char *b = malloc(cap);
    while (b) {
        if (len + 1 >= cap) {
            char *nb = realloc(b, cap * 2);
            if (!nb) {
                free(b);
                b = NULL;
                break;
            }
            b = nb;
            cap *= 2;
        }
        size_t got = fread(b + len, 1, cap - len - 1, f);
        len += got;
        if (got == 0) break;
    }
    int err = ferror(f);
    if (!is_stdin) fclose(f);
    if (!b) {
        fc_diag_error(d, FC_EINTERNAL, "%s: out of memory", path);
        return FC_EINTERNAL;
    }
    if (err) {
        free(b);
        fc_diag_error(d, FC_EIO, "%s: read error: %s", path, strerror(errno));
        return FC_EIO;
    }
    b[len] = '\0';
    *buf = b;
    *n = len;
    return FC_OK;
}

static void where(const char *text, const char *at, long *line, long *col)
{
    *line = 1;
    *col = 1;
    for (const char *p = text; p < at && *p; p++) {
        if (*p == '\n') {
            (*line)++;
            *col = 1;
        } else {
            (*col)++;
        }
    }
}

static char *join(const char *dir, const char *p)
{
    if (!dir || !*dir || p[0] == '/' || strcmp(p, "-") == 0) return strdup(p);
    size_t n = strlen(dir) + strlen(p) + 2;
    char *s = malloc(n);
    if (s) snprintf(s, n, "%s/%s", dir, p);
    return s;
}

static int get_number(const cJSON *root, const char *key, double lo, double hi, int whole,
                      const char *name, fc_diag *d, double *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, key);
    if (!v || cJSON_IsNull(v)) return 0;
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) || v->valuedouble < lo ||
        v->valuedouble > hi || (whole && v->valuedouble != floor(v->valuedouble))) {
        fc_diag_at(d, FC_EDATA, name, 0, 0, "key '%s': expected %s in [%g, %g]", key,
                   whole ? "a whole number" : "a number", lo, hi);
        return -1;
    }
    *out = v->valuedouble;
    return 0;
}

void fc_json_expected_keys(const char *key, const char *const *keys, char *buf, size_t cap)
{
    size_t n = (size_t)snprintf(buf, cap, "one of");
    for (int i = 0; keys[i] && n < cap; i++)
        n += (size_t)snprintf(buf + n, cap - n, "%s \"%s\"", i ? "," : "", keys[i]);
    const char *near = key ? fc_name_near(key, keys, -1) : NULL;
    if (n >= cap) return;
    if (near) snprintf(buf + n, cap - n, " (unknown key; did you mean \"%s\"?)", near);
    else snprintf(buf + n, cap - n, " (unknown key)");
}

/* The next member of an object, from it on, whose key is not among keys. */
static const cJSON *next_unknown(const cJSON *it, const char *const *keys)
{
    for (; it; it = it->next) {
        int ok = 0;
        for (int i = 0; keys[i] && !ok; i++) ok = it->string && strcmp(it->string, keys[i]) == 0;
        if (!ok) return it;
    }
    return NULL;
}

int fc_json_unknown_keys(const cJSON *o, const char *const *keys, const char *file, const char *before,
                         const char *after, fc_diag *d)
{
    int n = 0;
    for (const cJSON *it = o ? next_unknown(o->child, keys) : NULL; it; it = next_unknown(it->next, keys)) {
        char what[1024];
        fc_json_expected_keys(it->string, keys, what, sizeof what);
        fc_diag_at(d, FC_EDATA, file, 0, 0, "%s%.60s%s: expected %s", before, it->string, after, what);
        n++;
    }
    return n;
}

cJSON *fc_json_parse(const char *text, size_t n, const char *name, fc_diag *d)
{
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, n, &end, 0);
    if (!root) {
        long line, col;
        where(text, end ? end : text, &line, &col);
        fc_diag_at(d, FC_EDATA, name, line, (int)col, "not valid JSON here");
    }
    return root;
}

int fc_config_parse(const char *text, size_t n, const char *name, const char *dir,
                    fc_diag *d, fc_config **out)
{
    *out = NULL;
    cJSON *root = fc_json_parse(text, n, name, d);
    if (!root) return FC_EDATA;
    if (!cJSON_IsObject(root)) {
        fc_diag_at(d, FC_EDATA, name, 0, 0, "expected a JSON object at the top level");
        cJSON_Delete(root);
        return FC_EDATA;
    }
    fc_config *c = fc_config_new();
    if (!c) {
        cJSON_Delete(root);
        return FC_EINTERNAL;
    }
    c->json = root;
    c->path = strdup(name);
    int bad = 0;
    /* Every section any command reads; "synth" records how synth made the
     * data, "description" is for people. */
    static const char *const top_keys[] = {
        "description", "inputs", "shipments", "routes", "zips", "stations", "vehicles", "fleet",
        "budget", "horizon_months", "service_level", "spare_ratio", "paths", "seed", "plan",
        "scenario", "model", "output_dir", "previous_run", "synth", NULL};
    if (fc_json_unknown_keys(root, top_keys, name, "key '", "'", d)) bad = 1;
    /* Inputs may sit at the top level or in an "inputs" object. */
    const cJSON *inputs = cJSON_GetObjectItemCaseSensitive(root, "inputs");
    if (inputs && !cJSON_IsObject(inputs)) {
        fc_diag_at(d, FC_EDATA, name, 0, 0, "key 'inputs': expected an object of file names");
        bad = 1;
        inputs = NULL;
    }
    if (fc_json_unknown_keys(inputs, input_names, name, "key 'inputs.", "'", d)) bad = 1;
    for (int i = 0; i < FC_INPUT_N; i++) {
        const cJSON *v = inputs ? cJSON_GetObjectItemCaseSensitive(inputs, input_names[i]) : NULL;
        if (!v) v = cJSON_GetObjectItemCaseSensitive(root, input_names[i]);
        if (!v || cJSON_IsNull(v)) continue;
        if (!cJSON_IsString(v) || !*v->valuestring) {
            fc_diag_at(d, FC_EDATA, name, 0, 0, "key '%s': expected a file name", input_names[i]);
            bad = 1;
            continue;
        }
        c->inputs[i] = join(dir, v->valuestring);
        if (!c->inputs[i]) bad = 2;
    }
    double x;
    x = c->horizon_months;
    if (get_number(root, "horizon_months", 1, 120, 1, name, d, &x)) bad = 1;
    c->horizon_months = (int)x;
    if (get_number(root, "service_level", 0.5, 0.999, 0, name, d, &c->service_level)) bad = 1;
    if (get_number(root, "spare_ratio", 0, 2, 0, name, d, &c->spare_ratio)) bad = 1;
    x = c->paths;
    if (get_number(root, "paths", 1, 100000, 1, name, d, &x)) bad = 1;
    c->paths = (int)x;
    x = (double)c->seed;
    if (get_number(root, "seed", 0, 9007199254740991.0, 1, name, d, &x)) bad = 1;
    c->seed = (uint64_t)x;
    if (bad) {
        fc_config_free(c);
        return bad == 2 ? FC_EINTERNAL : FC_EDATA;
    }
    *out = c;
    return FC_OK;
}

int fc_config_load(const char *path, fc_diag *d, fc_config **out)
{
    char *text;
    size_t n;
    *out = NULL;
    int st = fc_read_file(path, d, &text, &n);
    if (st) return st;
    char *dir = strdup(path);
    if (!dir) {
        free(text);
        return FC_EINTERNAL;
    }
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    else
        dir[0] = '\0';
    st = fc_config_parse(text, n, strcmp(path, "-") ? path : "<stdin>", dir, d, out);
    free(dir);
    free(text);
    return st;
}
