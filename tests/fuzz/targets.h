/* targets.h -- fuzz targets shared by the libFuzzer build and the replay. */
#ifndef FLEETCAST_FUZZ_TARGETS_H
#define FLEETCAST_FUZZ_TARGETS_H
#include <stddef.h>
#include <stdint.h>
int fuzz_csv(const uint8_t *data, size_t n);
int fuzz_config(const uint8_t *data, size_t n);
/* Returns 0 when fleetcast's reader and plain libcsv agree on data. */
int csv_differential(const char *data, size_t n, char *why, size_t whysz);
#endif
