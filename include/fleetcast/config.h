/* config.h -- the run configuration (JSON): input files, horizon, service
 * level, seed, and the sections later stages read for themselves (scenario,
 * electric supply, temperatures). Paths in it are relative to its folder.
 * Create with fc_config_load() or fc_config_new(); free with fc_config_free(). */
#ifndef FLEETCAST_CONFIG_H
#define FLEETCAST_CONFIG_H

#include <stdint.h>
#include <cjson/cJSON.h>
#include "fleetcast/diag.h"

enum fc_input {
    FC_IN_SHIPMENTS, FC_IN_ROUTES, FC_IN_ZIPS, FC_IN_STATIONS, FC_IN_VEHICLES, FC_IN_FLEET,
    FC_IN_BUDGET,   /* the fleet the scenario check tests (the fleet file's format) */
    FC_INPUT_N
};

/* "shipments", "routes", ... */
const char *fc_input_name(int which);

typedef struct fc_config {
    char *path;                 /* the config file, or NULL for defaults */
    char *inputs[FC_INPUT_N];   /* resolved paths, NULL when not named */
    int horizon_months;         /* default 16 */
    double service_level;       /* default 0.9 */
    double spare_ratio;         /* default 0.1 */
    int paths;                  /* Monte Carlo sample paths, default 500 */
    uint64_t seed;              /* default 1 */
    cJSON *json;                /* the whole document (owned), NULL for defaults */
} fc_config;

fc_config *fc_config_new(void);
/* Read and check a config file: JSON syntax errors name line and column,
 * bad values name the key. FC_ENOINPUT if unreadable, FC_EDATA if wrong. */
int fc_config_load(const char *path, fc_diag *d, fc_config **out) FC_MUST_CHECK;
/* The same from text in memory (dir: folder for relative paths, or NULL). */
int fc_config_parse(const char *text, size_t n, const char *name, const char *dir,
                    fc_diag *d, fc_config **out) FC_MUST_CHECK;
void fc_config_free(fc_config *c);

/* Set an input path (copied); used for command-line overrides. */
int fc_config_set_input(fc_config *c, int which, const char *path) FC_MUST_CHECK;

/* Parse JSON text; on a syntax error report "NAME:LINE:COL: not valid JSON
 * here" (FC_EDATA) and return NULL. */
cJSON *fc_json_parse(const char *text, size_t n, const char *name, fc_diag *d);

/* Keys an object may hold (keys: NULL-terminated): each member of object o
 * whose key is not among them is reported in d (FC_EDATA, at file) as
 * "<before>KEY<after>: expected one of ..." (fc_json_expected_keys), the
 * key cut to 60 bytes; returns how many. A misspelt optional key would
 * otherwise be ignored and its default used without a word. */
int fc_json_unknown_keys(const cJSON *o, const char *const *keys, const char *file, const char *before,
                         const char *after, fc_diag *d);
/* What the unknown key `key` should have been, for the message: `one of
 * "a", "b" (unknown key)`, or `... (unknown key; did you mean "b"?)` when
 * one is a typo away (edit distance 1, or 2 for keys of 8 letters or
 * more), cut to cap bytes. */
void fc_json_expected_keys(const char *key, const char *const *keys, char *buf, size_t cap);

/* Read a whole file ("-" = stdin) into a NUL-terminated buffer (caller frees). */
int fc_read_file(const char *path, fc_diag *d, char **buf, size_t *n) FC_MUST_CHECK;

#endif
