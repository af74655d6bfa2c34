/* schema_check.h -- a JSON Schema (draft 2020-12) checker for the tests:
 * exactly the keywords docs/schema/ uses, and an error for any other, so
 * no part of a schema goes unchecked unnoticed.
 *
 * Keywords: type (a name or an array of names; "integer" is a number with
 * no fraction), properties, required, additionalProperties (a boolean or a
 * schema), items (a schema), enum, const, minimum, maximum,
 * exclusiveMinimum, minItems, maxItems, pattern (POSIX extended regular
 * expressions: the syntax they share with ECMA-262, checked), $ref to
 * "#/$defs/NAME", and $defs at the root; $schema, $id, title and
 * description are read as annotations. A schema may be true or false.
 * Beyond the standard, an object with a key twice is a violation (readers
 * disagree on which one they see). */
#ifndef FLEETCAST_SCHEMA_CHECK_H
#define FLEETCAST_SCHEMA_CHECK_H

#include <cjson/cJSON.h>

/* One problem: where (a JSON path into the document, "$.rows[2].month",
 * or a JSON pointer into the schema, "#/properties/rows") and what. */
typedef void sc_report_fn(void *ctx, const char *where, const char *message);

typedef struct sc_schema sc_schema;

/* Checks the whole schema (every keyword known and well formed, every
 * $ref resolved, every pattern compiled) and returns it ready to use, or
 * NULL after reporting each problem (or, with none reported, out of
 * memory). root is borrowed: it must outlive the result, which the caller
 * frees with sc_schema_free. */
sc_schema *sc_schema_new(const cJSON *root, sc_report_fn *report, void *ctx);
void sc_schema_free(sc_schema *s);

/* Reports each violation of doc against s; returns how many there were. */
long sc_schema_check(const sc_schema *s, const cJSON *doc, sc_report_fn *report, void *ctx);

#endif
