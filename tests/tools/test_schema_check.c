/* test_schema_check.c -- the checker of the schema tests checked itself:
 * tiny schemas with documents that must pass and documents that must fail
 * with exactly the given messages (so the checker cannot be vacuous),
 * schemas it must refuse, and every schema of docs/schema (argv[1])
 * accepted. */
#include <dirent.h>
#include <string.h>
#include "../unit/check.h"
#include "schema_check.h"

typedef struct capture {
    char text[4096];
    size_t len;
} capture;

static void collect(void *ctx, const char *where, const char *message)
{
    capture *c = ctx;
    if (c->len < sizeof c->text)
        c->len += (size_t)snprintf(c->text + c->len, sizeof c->text - c->len, "%s: %s\n", where, message);
}

/* The violations of doc against schema, one "path: message" a line ("" when
 * it conforms); "SCHEMA REFUSED\n" plus the schema's problems when the
 * checker will not apply it. */
static const char *run(const char *schema, const char *doc)
{
    static capture c;
    memset(&c, 0, sizeof c);
    cJSON *sj = cJSON_Parse(schema), *dj = cJSON_Parse(doc);
    if (!sj || !dj) {
        cJSON_Delete(sj);
        cJSON_Delete(dj);
        return "TEST TEXT IS NOT JSON";
    }
    sc_schema *s = sc_schema_new(sj, collect, &c);
    if (!s) {
        capture lint = c;
        snprintf(c.text, sizeof c.text, "SCHEMA REFUSED\n%.4000s", lint.text);
    } else {
        long n = sc_schema_check(s, dj, collect, &c);
        /* the count returned is the count reported */
        long lines = 0;
        for (const char *p = c.text; *p; p++) lines += *p == '\n';
        if (n != lines) snprintf(c.text, sizeof c.text, "COUNT %ld != %ld LINES", n, lines);
    }
    sc_schema_free(s);
    cJSON_Delete(sj);
    cJSON_Delete(dj);
    return c.text;
}

#define EXPECT(schema, doc, want)                                                              \
    do {                                                                                       \
        const char *got_ = run(schema, doc);                                                   \
        if (strcmp(got_, want) == 0) check_pass++;                                             \
        else {                                                                                 \
            check_fail++;                                                                      \
            fprintf(stderr, "%s:%d: %s against %s\n  expected: %s\n  got:      %s\n", __FILE__, \
                    __LINE__, doc, schema, want, got_);                                        \
        }                                                                                      \
    } while (0)

/* The schema is refused, with this text among its problems. */
#define REFUSED(schema, text) \
    do {                                                                                       \
        const char *got_ = run(schema, "null");                                                \
        if (strncmp(got_, "SCHEMA REFUSED\n", 15) == 0 && strstr(got_, text)) check_pass++;     \
        else {                                                                                 \
            check_fail++;                                                                      \
            fprintf(stderr, "%s:%d: %s: expected refused with \"%s\", got: %s\n", __FILE__,     \
                    __LINE__, schema, text, got_);                                             \
        }                                                                                      \
    } while (0)

static void test_types(void)
{
    EXPECT("{\"type\": \"integer\"}", "3", "");
    EXPECT("{\"type\": \"integer\"}", "3.0", "");   /* 2020-12: no fraction, whatever the text */
    EXPECT("{\"type\": \"integer\"}", "2.5", "$: expected integer, got 2.5\n");
    EXPECT("{\"type\": \"integer\"}", "\"3\"", "$: expected integer, got \"3\"\n");
    EXPECT("{\"type\": \"number\"}", "-1e3", "");
    EXPECT("{\"type\": \"number\"}", "null", "$: expected number, got null\n");
    EXPECT("{\"type\": [\"number\", \"null\"]}", "null", "");
    EXPECT("{\"type\": [\"number\", \"null\"]}", "true", "$: expected number or null, got true\n");
    EXPECT("{\"type\": \"boolean\"}", "false", "");
    EXPECT("{\"type\": \"boolean\"}", "0", "$: expected boolean, got 0\n");
    EXPECT("{\"type\": \"string\"}", "\"\"", "");
    EXPECT("{\"type\": \"array\"}", "{}", "$: expected array, got {}\n");
    EXPECT("{\"type\": \"object\"}", "[1]", "$: expected object, got [1]\n");
    EXPECT("{\"type\": \"null\"}", "null", "");
    EXPECT("true", "{\"any\": 1}", "");
    EXPECT("false", "1", "$: no value is allowed here, got 1\n");
    /* a long value is cut */
    EXPECT("{\"type\": \"string\"}", "[\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"]",
           "$: expected string, got [\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...\n");
}

static void test_values(void)
{
    EXPECT("{\"const\": 2}", "2", "");
    EXPECT("{\"const\": 2}", "\"2\"", "$: expected 2, got \"2\"\n");
    EXPECT("{\"const\": {\"a\": [1, {\"b\": null}]}}", "{\"a\": [1, {\"b\": null}]}", "");
    EXPECT("{\"const\": {\"a\": [1, {\"b\": null}]}}", "{\"a\": [1, {\"b\": false}]}",
           "$: expected {\"a\":[1,{\"b\":null}]}, got {\"a\":[1,{\"b\":false}]}\n");
    EXPECT("{\"enum\": [\"zip\", \"station\"]}", "\"station\"", "");
    EXPECT("{\"enum\": [\"zip\", \"station\"]}", "\"Station\"",
           "$: expected one of [\"zip\",\"station\"], got \"Station\"\n");
    EXPECT("{\"enum\": [1, null]}", "1.0", "");
    EXPECT("{\"minimum\": 0, \"maximum\": 1}", "0", "");
    EXPECT("{\"minimum\": 0, \"maximum\": 1}", "1", "");
    EXPECT("{\"minimum\": 0, \"maximum\": 1}", "-0.5", "$: expected a number >= 0, got -0.5\n");
    EXPECT("{\"minimum\": 0, \"maximum\": 1}", "1.5", "$: expected a number <= 1, got 1.5\n");
    EXPECT("{\"minimum\": 0}", "\"-1\"", "");      /* bounds apply to numbers only */
    EXPECT("{\"exclusiveMinimum\": 0}", "0.001", "");
    EXPECT("{\"exclusiveMinimum\": 0}", "0", "$: expected a number > 0, got 0\n");
    EXPECT("{\"pattern\": \"^[0-9]{4}-(0[1-9]|1[0-2])$\"}", "\"2025-12\"", "");
    EXPECT("{\"pattern\": \"^[0-9]{4}-(0[1-9]|1[0-2])$\"}", "\"2025-13\"",
           "$: expected a string matching ^[0-9]{4}-(0[1-9]|1[0-2])$, got \"2025-13\"\n");
    EXPECT("{\"pattern\": \"^[0-9]{4}-(0[1-9]|1[0-2])$\"}", "202512", "");  /* strings only */
    EXPECT("{\"pattern\": \"b\"}", "\"abc\"", "");   /* unanchored, as in ECMA-262 */
}

static void test_arrays_objects(void)
{
    const char *pair = "{\"type\": \"array\", \"items\": {\"type\": \"integer\"}, \"minItems\": 2, \"maxItems\": 2}";
    EXPECT(pair, "[1, 2]", "");
    EXPECT(pair, "[1]", "$: expected at least 2 items, got 1\n");
    EXPECT(pair, "[1, 2, 3.5]", "$: expected at most 2 items, got 3\n$[2]: expected integer, got 3.5\n");
    const char *obj = "{\"type\": \"object\", \"required\": [\"id\", \"n\"], \"additionalProperties\": false,"
                      " \"properties\": {\"id\": {\"type\": \"string\"}, \"n\": {\"type\": \"integer\"},"
                      " \"odd key\": {\"type\": \"null\"}}}";
    EXPECT(obj, "{\"id\": \"a\", \"n\": 1}", "");
    EXPECT(obj, "{\"id\": \"a\"}", "$: missing required key \"n\"\n");
    EXPECT(obj, "{\"id\": \"a\", \"n\": 1, \"nn\": 2}", "$: unexpected key \"nn\"\n");
    EXPECT(obj, "{\"id\": \"a\", \"n\": 1, \"odd key\": 0}", "$[\"odd key\"]: expected null, got 0\n");
    EXPECT(obj, "{\"id\": \"a\", \"n\": 1, \"n\": 2}", "$: key \"n\" appears more than once\n");
    /* additionalProperties as a schema; without it, other keys go unchecked */
    EXPECT("{\"additionalProperties\": {\"type\": \"number\"}}", "{\"a\": 1, \"b\": \"x\"}",
           "$.b: expected number, got \"x\"\n");
    EXPECT("{\"properties\": {\"a\": {\"type\": \"number\"}}}", "{\"b\": \"x\"}", "");
    /* keywords of another type do not apply */
    EXPECT("{\"required\": [\"a\"], \"items\": false}", "\"text\"", "");
    /* the path of the brief's example */
    const char *plan = "{\"$defs\": {\"van\": {\"type\": \"object\", \"properties\": {\"needed\": {\"type\": \"integer\"}}}},"
                       " \"properties\": {\"stations\": {\"items\": {\"properties\": {\"months\": {\"items\":"
                       " {\"properties\": {\"vans\": {\"items\": {\"$ref\": \"#/$defs/van\"}}}}}}}}}}";
    EXPECT(plan, "{\"stations\": [{}, {}, {\"months\": [{\"vans\": [{\"needed\": 1}, {\"needed\": 2.5}]}]}]}",
           "$.stations[2].months[0].vans[1].needed: expected integer, got 2.5\n");
    /* $ref applies with its siblings */
    EXPECT("{\"$defs\": {\"n\": {\"type\": \"number\"}}, \"$ref\": \"#/$defs/n\", \"minimum\": 3}", "2",
           "$: expected a number >= 3, got 2\n");
    EXPECT("{\"$defs\": {\"n\": {\"type\": \"number\"}}, \"$ref\": \"#/$defs/n\", \"minimum\": 3}", "\"2\"",
           "$: expected number, got \"2\"\n");
    /* every violation, not only the first */
    EXPECT(obj, "{\"n\": 1.5, \"x\": 1}",
           "$: missing required key \"id\"\n$.n: expected integer, got 1.5\n$: unexpected key \"x\"\n");
}

static void test_refused(void)
{
    REFUSED("{\"type\": \"object\", \"propertyNames\": {\"pattern\": \"^a\"}}",
            "#/propertyNames: keyword \"propertyNames\" is not implemented");
    /* found however deep, even where no document would reach */
    REFUSED("{\"properties\": {\"a\": {\"items\": {\"format\": \"date\"}}}}",
            "#/properties/a/items/format: keyword \"format\" is not implemented");
    REFUSED("{\"$defs\": {\"x\": {\"exclusiveMaximum\": 1}}}", "#/$defs/x/exclusiveMaximum: keyword");
    REFUSED("{\"type\": \"int\"}", "#/type: expected a type name");
    REFUSED("{\"type\": [\"number\", \"number\"]}", "type \"number\" given twice");
    REFUSED("{\"$ref\": \"#/$defs/missing\"}", "#/$ref: #/$defs/missing: no such definition");
    REFUSED("{\"$ref\": \"other.json#/x\"}", "expected \"#/$defs/NAME\"");
    REFUSED("{\"properties\": {\"a\": {\"$defs\": {}}}}", "$defs only at the root");
    REFUSED("{\"pattern\": \"^\\\\d{4}$\"}", "a backslash before a letter or digit");
    REFUSED("{\"pattern\": \"^(?:a|b)$\"}", "uses (?");
    REFUSED("{\"pattern\": \"^[[:digit:]]$\"}", "a POSIX bracket class");
    REFUSED("{\"pattern\": \"a+?\"}", "a lazy quantifier");
    REFUSED("{\"pattern\": \"^[\\\\.]$\"}", "a backslash inside [...]");
    REFUSED("{\"pattern\": \"^[^]a]$\"}", "a ] first inside [...]");
    EXPECT("{\"pattern\": \"^[^.a-c]\\\\.[0-9]{2}$\"}", "\"x.12\"", "");
    EXPECT("{\"pattern\": \"^[^.a-c]\\\\.[0-9]{2}$\"}", "\"xa12\"",
           "$: expected a string matching ^[^.a-c]\\.[0-9]{2}$, got \"xa12\"\n");
    REFUSED("{\"pattern\": \"(a\"}", "does not compile");
    REFUSED("{\"items\": [{\"type\": \"number\"}]}", "tuple form");
    REFUSED("{\"enum\": []}", "#/enum: expected a non-empty array");
    REFUSED("{\"minItems\": 1.5}", "expected a whole number >= 0");
    REFUSED("{\"minimum\": \"0\"}", "#/minimum: expected a number");
    REFUSED("{\"required\": [\"a\"], \"additionalProperties\": false, \"properties\": {\"b\": true}}",
            "required key \"a\" is not in properties");
    REFUSED("{\"type\": \"number\", \"type\": \"string\"}", "key \"type\" appears more than once");
    REFUSED("{\"description\": 1}", "#/description: expected a string");
    REFUSED("[]", "#: a schema must be an object or a boolean");
    REFUSED("{\"properties\": {\"a/b~\": 3}}", "#/properties/a~1b~0: a schema must be");
    /* a loop of $refs is a violation, not a crash */
    EXPECT("{\"$defs\": {\"a\": {\"$ref\": \"#/$defs/a\"}}, \"$ref\": \"#/$defs/a\"}", "1",
           "$: the schema's $refs loop (deeper than 200)\n");
}

/* Every schema of docs/schema is one the checker applies. */
static void test_project_schemas(const char *dir)
{
    DIR *d = opendir(dir);
    CHECK(d != NULL);
    if (!d) return;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 12 || strcmp(e->d_name + len - 12, ".schema.json") != 0) continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "rb");
        CHECK(f != NULL);
        if (!f) continue;
        static char text[1 << 17];
        size_t got = fread(text, 1, sizeof text - 1, f);
        fclose(f);
        CHECK(got < sizeof text - 1);
        text[got] = '\0';
        cJSON *sj = cJSON_Parse(text);
        capture c = {{0}, 0};
        sc_schema *s = sj ? sc_schema_new(sj, collect, &c) : NULL;
        if (s) check_pass++;
        else {
            check_fail++;
            fprintf(stderr, "%s: refused:\n%s", path, c.text);
        }
        sc_schema_free(s);
        cJSON_Delete(sj);
        n++;
    }
    closedir(d);
    CHECK(n >= 9);
}

int main(int argc, char **argv)
{
    test_types();
    test_values();
    test_arrays_objects();
    test_refused();
    sc_schema_free(NULL);
    if (argc > 1) test_project_schemas(argv[1]);
    else CHECK(!"usage: test_schema_check DOCS_SCHEMA_DIR");
    return check_report();
}
