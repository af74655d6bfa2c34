/* libfuzzer.c -- libFuzzer entry point (cmake -DFC_FUZZ=ON, clang). */
#include <stddef.h>
#include <stdint.h>
#include "targets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    return FC_FUZZ_TARGET(data, n);
}
