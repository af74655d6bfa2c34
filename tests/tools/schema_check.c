/* schema_check.c -- the JSON Schema checker of the tests (schema_check.h):
 * a pass over the whole schema first (an unknown keyword is an error, not
 * a silently unchecked part), then a walk of the document reporting every
 * violation with its JSON path. */
#include <math.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "schema_check.h"

/* A $ref chain deeper than this is a loop ("a": {"$ref": "#/$defs/a"}). */
enum { MAX_DEPTH = 200, DESCRIBE_MAX = 60 };

typedef struct compiled {
    const cJSON *node;      /* the "pattern" member */
    regex_t re;
} compiled;

struct sc_schema {
    const cJSON *root;
    const cJSON *defs;      /* the root's $defs, or NULL */
    compiled *re;
    int nre, cap;
};

/* ---- paths and messages ---- */

typedef struct path {
    char *s;
    size_t len, cap;
    int oom;
} path;

/* Appends to p; returns the length to pop back to. */
static size_t path_push(path *p, const char *fmt, ...)
{
    size_t old = p->len;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        p->oom = 1;
        return old;
    }
    if (p->len + (size_t)n + 1 > p->cap) {
        size_t cap = (p->len + (size_t)n + 1) * 2;
        char *s = realloc(p->s, cap);
        if (!s) {
            p->oom = 1;
            return old;
        }
        p->s = s;
        p->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(p->s + p->len, p->cap - p->len, fmt, ap);
    va_end(ap);
    p->len += (size_t)n;
    return old;
}

static void path_pop(path *p, size_t len)
{
    p->len = len;
    if (p->s) p->s[len] = '\0';
}

static int is_identifier(const char *k)
{
    if (!(*k == '_' || (*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z'))) return 0;
    for (; *k; k++)
        if (!(*k == '_' || (*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') || (*k >= '0' && *k <= '9')))
            return 0;
    return 1;
}

/* A member of the document: .key, or ["key"] for any other name. */
static size_t path_push_key(path *p, const char *k)
{
    if (is_identifier(k)) return path_push(p, ".%s", k);
    cJSON *s = cJSON_CreateString(k);
    char *q = s ? cJSON_PrintUnformatted(s) : NULL;
    size_t old = q ? path_push(p, "[%s]", q) : (p->oom = 1, p->len);
    cJSON_free(q);
    cJSON_Delete(s);
    return old;
}

/* A member of the schema, as a JSON pointer token (~ -> ~0, / -> ~1). */
static size_t path_push_token(path *p, const char *k)
{
    size_t old = path_push(p, "/");
    for (; *k; k++) {
        if (*k == '~') path_push(p, "~0");
        else if (*k == '/') path_push(p, "~1");
        else path_push(p, "%c", *k);
    }
    return old;
}

/* v as compact JSON, cut at DESCRIBE_MAX characters (caller frees). */
static char *describe(const cJSON *v)
{
    char *s = cJSON_PrintUnformatted(v);
    if (!s) return NULL;
    if (strlen(s) > DESCRIBE_MAX) strcpy(s + DESCRIBE_MAX - 3, "...");
    return s;
}

static void vsay(sc_report_fn *report, void *ctx, const path *p, const char *fmt, va_list ap)
{
    char buf[512];
    vsnprintf(buf, sizeof buf, fmt, ap);
    report(ctx, p->oom || !p->s ? "?" : p->s, buf);
}

/* ---- the pass over the schema ---- */

typedef struct linter {
    sc_schema *s;
    sc_report_fn *report;
    void *ctx;
    path p;
    int errors;
} linter;

static void lint_error(linter *l, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsay(l->report, l->ctx, &l->p, fmt, ap);
    va_end(ap);
    l->errors++;
}

static const char *const type_names[] = {"object", "array", "string", "number", "integer", "boolean", "null"};

static int is_type_name(const cJSON *t)
{
    if (!cJSON_IsString(t)) return 0;
    for (size_t i = 0; i < sizeof type_names / sizeof type_names[0]; i++)
        if (strcmp(t->valuestring, type_names[i]) == 0) return 1;
    return 0;
}

/* A member name given twice: cJSON keeps both, other readers one of them. */
static void lint_duplicates(linter *l, const cJSON *o)
{
    for (const cJSON *a = o->child; a; a = a->next)
        for (const cJSON *b = o->child; b != a; b = b->next)
            if (strcmp(a->string, b->string) == 0) {
                lint_error(l, "key \"%s\" appears more than once", a->string);
                break;
            }
}

/* POSIX extended and ECMA-262 regular expressions agree on literals,
 * ., [...], [^...], ^, $, |, (...), *, +, ?, {m,n} and escaped punctuation
 * outside brackets; the rest (\d, \w, \b, (?:...), lazy quantifiers,
 * [[:digit:]], a backslash or a leading ] inside brackets) would mean one
 * thing to schema_check and another to the users' validators. */
static const char *pattern_not_shared(const char *re)
{
    const char *bracket = NULL;   /* the first character inside [...] */
    for (const char *c = re; *c; c++) {
        if (bracket) {
            if (c == bracket && *c == ']') return "a ] first inside [...]";
            if (*c == '\\') return "a backslash inside [...]";
            if (*c == '[' && (c[1] == ':' || c[1] == '=' || c[1] == '.')) return "a POSIX bracket class";
            if (*c == ']') bracket = NULL;
            continue;
        }
        if (*c == '[') {
            bracket = c[1] == '^' ? c + 2 : c + 1;
            if (c[1] == '^') c++;
            continue;
        }
        if (c[0] == '\\' && c[1] && (c[1] == '_' || (c[1] >= '0' && c[1] <= '9') ||
                                     (c[1] >= 'a' && c[1] <= 'z') || (c[1] >= 'A' && c[1] <= 'Z')))
            return "a backslash before a letter or digit";
        if (c[0] == '\\' && c[1]) {
            c++;
            continue;
        }
        if (c[0] == '(' && c[1] == '?') return "(?";
        if ((c[0] == '*' || c[0] == '+' || c[0] == '?' || c[0] == '}') && c[1] == '?')
            return "a lazy quantifier";
    }
    return NULL;
}

static void lint_schema(linter *l, const cJSON *node, int is_root);

static void lint_pattern(linter *l, const cJSON *k)
{
    if (!cJSON_IsString(k)) {
        lint_error(l, "expected a string");
        return;
    }
    const char *why = pattern_not_shared(k->valuestring);
    if (why) {
        lint_error(l, "pattern %s uses %s, which POSIX and ECMA-262 regular expressions read differently",
                   k->valuestring, why);
        return;
    }
    sc_schema *s = l->s;
    if (s->nre == s->cap) {
        int cap = s->cap ? 2 * s->cap : 8;
        compiled *r = realloc(s->re, (size_t)cap * sizeof *r);
        if (!r) {
            lint_error(l, "out of memory");
            return;
        }
        s->re = r;
        s->cap = cap;
    }
    compiled *c = &s->re[s->nre];
    int rc = regcomp(&c->re, k->valuestring, REG_EXTENDED | REG_NOSUB);
    if (rc != 0) {
        char msg[256];
        regerror(rc, &c->re, msg, sizeof msg);
        lint_error(l, "pattern %s does not compile: %s", k->valuestring, msg);
        return;
    }
    c->node = k;
    s->nre++;
}

static void lint_ref(linter *l, const cJSON *k)
{
    static const char prefix[] = "#/$defs/";
    if (!cJSON_IsString(k) || strncmp(k->valuestring, prefix, sizeof prefix - 1) != 0) {
        lint_error(l, "expected \"#/$defs/NAME\" (the only $ref schema_check resolves)");
        return;
    }
    const char *name = k->valuestring + sizeof prefix - 1;
    if (!*name || strchr(name, '/') || strchr(name, '~') || strchr(name, '%')) {
        lint_error(l, "expected \"#/$defs/NAME\" with a plain NAME, got \"%s\"", k->valuestring);
        return;
    }
    if (!l->s->defs || !cJSON_GetObjectItemCaseSensitive(l->s->defs, name))
        lint_error(l, "%s: no such definition in the root's $defs", k->valuestring);
}

static void lint_keyword(linter *l, const cJSON *k, int is_root)
{
    const char *w = k->string;
    if (!strcmp(w, "$schema") || !strcmp(w, "$id") || !strcmp(w, "title") || !strcmp(w, "description")) {
        if (!cJSON_IsString(k)) lint_error(l, "expected a string");
    } else if (!strcmp(w, "$defs")) {
        if (!is_root) {
            lint_error(l, "$defs only at the root (#/$defs/NAME is resolved there)");
        } else if (!cJSON_IsObject(k)) {
            lint_error(l, "expected an object of schemas");
        } else {
            lint_duplicates(l, k);
            for (const cJSON *d = k->child; d; d = d->next) {
                size_t mark = path_push_token(&l->p, d->string);
                lint_schema(l, d, 0);
                path_pop(&l->p, mark);
            }
        }
    } else if (!strcmp(w, "type")) {
        if (cJSON_IsArray(k) && cJSON_GetArraySize(k) > 0) {
            for (const cJSON *t = k->child; t; t = t->next) {
                if (!is_type_name(t)) lint_error(l, "expected type names, got an element that is not one");
                for (const cJSON *u = k->child; u != t; u = u->next)
                    if (cJSON_IsString(t) && cJSON_IsString(u) && strcmp(t->valuestring, u->valuestring) == 0)
                        lint_error(l, "type \"%s\" given twice", t->valuestring);
            }
        } else if (!is_type_name(k)) {
            lint_error(l, "expected a type name (object, array, string, number, integer, boolean, "
                          "null) or a non-empty array of them");
        }
    } else if (!strcmp(w, "properties")) {
        if (!cJSON_IsObject(k)) {
            lint_error(l, "expected an object of schemas");
            return;
        }
        lint_duplicates(l, k);
        for (const cJSON *d = k->child; d; d = d->next) {
            size_t mark = path_push_token(&l->p, d->string);
            lint_schema(l, d, 0);
            path_pop(&l->p, mark);
        }
    } else if (!strcmp(w, "required")) {
        if (!cJSON_IsArray(k)) {
            lint_error(l, "expected an array of key names");
            return;
        }
        for (const cJSON *t = k->child; t; t = t->next) {
            if (!cJSON_IsString(t)) {
                lint_error(l, "expected an array of key names");
                return;
            }
            for (const cJSON *u = k->child; u != t; u = u->next)
                if (strcmp(t->valuestring, u->valuestring) == 0)
                    lint_error(l, "\"%s\" given twice", t->valuestring);
        }
    } else if (!strcmp(w, "additionalProperties")) {
        lint_schema(l, k, 0);
    } else if (!strcmp(w, "items")) {
        if (cJSON_IsArray(k)) lint_error(l, "an array of schemas is draft 7's tuple form (2020-12: prefixItems, "
                                            "not implemented)");
        else lint_schema(l, k, 0);
    } else if (!strcmp(w, "enum")) {
        if (!cJSON_IsArray(k) || cJSON_GetArraySize(k) == 0) lint_error(l, "expected a non-empty array");
    } else if (!strcmp(w, "const")) {
        /* any value */
    } else if (!strcmp(w, "minimum") || !strcmp(w, "maximum") || !strcmp(w, "exclusiveMinimum")) {
        if (!cJSON_IsNumber(k)) lint_error(l, "expected a number");
    } else if (!strcmp(w, "minItems") || !strcmp(w, "maxItems")) {
        if (!cJSON_IsNumber(k) || k->valuedouble < 0 || k->valuedouble != floor(k->valuedouble) ||
            k->valuedouble > 1e9)
            lint_error(l, "expected a whole number >= 0");
    } else if (!strcmp(w, "pattern")) {
        lint_pattern(l, k);
    } else if (!strcmp(w, "$ref")) {
        lint_ref(l, k);
    } else {
        lint_error(l, "keyword \"%s\" is not implemented by schema_check (tests/tools/schema_check.c): "
                      "implement it, or that part of the schema goes unchecked", w);
    }
}

static void lint_schema(linter *l, const cJSON *node, int is_root)
{
    if (cJSON_IsBool(node)) return;
    if (!cJSON_IsObject(node)) {
        lint_error(l, "a schema must be an object or a boolean");
        return;
    }
    lint_duplicates(l, node);
    for (const cJSON *k = node->child; k; k = k->next) {
        size_t mark = path_push_token(&l->p, k->string);
        lint_keyword(l, k, is_root);
        path_pop(&l->p, mark);
    }
    /* a required key no instance could have */
    const cJSON *req = cJSON_GetObjectItemCaseSensitive(node, "required");
    const cJSON *props = cJSON_GetObjectItemCaseSensitive(node, "properties");
    const cJSON *addl = cJSON_GetObjectItemCaseSensitive(node, "additionalProperties");
    if (cJSON_IsFalse(addl) && cJSON_IsArray(req))
        for (const cJSON *r = req->child; r; r = r->next)
            if (cJSON_IsString(r) && !(cJSON_IsObject(props) && cJSON_GetObjectItemCaseSensitive(props, r->valuestring)))
                lint_error(l, "required key \"%s\" is not in properties, and additionalProperties is false",
                           r->valuestring);
}

sc_schema *sc_schema_new(const cJSON *root, sc_report_fn *report, void *ctx)
{
    sc_schema *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->root = root;
    const cJSON *defs = cJSON_IsObject(root) ? cJSON_GetObjectItemCaseSensitive(root, "$defs") : NULL;
    s->defs = cJSON_IsObject(defs) ? defs : NULL;
    linter l = {s, report, ctx, {0}, 0};
    path_push(&l.p, "#");
    lint_schema(&l, root, 1);
    if (l.p.oom && !l.errors) lint_error(&l, "out of memory");
    free(l.p.s);
    if (l.errors) {
        sc_schema_free(s);
        return NULL;
    }
    return s;
}

void sc_schema_free(sc_schema *s)
{
    if (!s) return;
    for (int i = 0; i < s->nre; i++) regfree(&s->re[i].re);
    free(s->re);
    free(s);
}

/* ---- the walk of the document ---- */

typedef struct checker {
    const sc_schema *s;
    sc_report_fn *report;
    void *ctx;
    path p;
    long n;
} checker;

static void violation(checker *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsay(c->report, c->ctx, &c->p, fmt, ap);
    va_end(ap);
    c->n++;
}

static int type_is(const char *t, const cJSON *v)
{
    if (!strcmp(t, "object")) return cJSON_IsObject(v);
    if (!strcmp(t, "array")) return cJSON_IsArray(v);
    if (!strcmp(t, "string")) return cJSON_IsString(v);
    if (!strcmp(t, "number")) return cJSON_IsNumber(v);
    if (!strcmp(t, "integer"))
        return cJSON_IsNumber(v) && isfinite(v->valuedouble) && v->valuedouble == floor(v->valuedouble);
    if (!strcmp(t, "boolean")) return cJSON_IsBool(v);
    if (!strcmp(t, "null")) return cJSON_IsNull(v);
    return 0;
}

static int json_equal(const cJSON *a, const cJSON *b)
{
    if ((a->type & 0xFF) != (b->type & 0xFF)) return 0;
    if (cJSON_IsNumber(a)) return a->valuedouble == b->valuedouble;
    if (cJSON_IsString(a)) return strcmp(a->valuestring, b->valuestring) == 0;
    if (cJSON_IsArray(a)) {
        const cJSON *x = a->child, *y = b->child;
        for (; x && y; x = x->next, y = y->next)
            if (!json_equal(x, y)) return 0;
        return !x && !y;
    }
    if (cJSON_IsObject(a)) {
        if (cJSON_GetArraySize(a) != cJSON_GetArraySize(b)) return 0;
        for (const cJSON *x = a->child; x; x = x->next) {
            const cJSON *y = cJSON_GetObjectItemCaseSensitive(b, x->string);
            if (!y || !json_equal(x, y)) return 0;
        }
        return 1;
    }
    return 1;  /* true, false, null */
}

static const regex_t *compiled_for(const sc_schema *s, const cJSON *node)
{
    for (int i = 0; i < s->nre; i++)
        if (s->re[i].node == node) return &s->re[i].re;
    return NULL;
}

static void check_value(checker *c, const cJSON *schema, const cJSON *v, int depth);

/* "expected integer", "expected number or null", with what came. */
static void check_type(checker *c, const cJSON *type, const cJSON *v, int *ok)
{
    *ok = 1;
    if (cJSON_IsString(type)) *ok = type_is(type->valuestring, v);
    else {
        *ok = 0;
        for (const cJSON *t = type->child; t && !*ok; t = t->next) *ok = type_is(t->valuestring, v);
    }
    if (*ok) return;
    char want[128] = "";
    if (cJSON_IsString(type)) snprintf(want, sizeof want, "%s", type->valuestring);
    else
        for (const cJSON *t = type->child; t; t = t->next) {
            size_t len = strlen(want);
            snprintf(want + len, sizeof want - len, "%s%s", len ? " or " : "", t->valuestring);
        }
    char *got = describe(v);
    violation(c, "expected %s, got %s", want, got ? got : "?");
    cJSON_free(got);
}

static void check_object(checker *c, const cJSON *schema, const cJSON *v, int depth)
{
    for (const cJSON *a = v->child; a; a = a->next)
        for (const cJSON *b = v->child; b != a; b = b->next)
            if (strcmp(a->string, b->string) == 0) {
                violation(c, "key \"%s\" appears more than once", a->string);
                break;
            }
    const cJSON *req = cJSON_GetObjectItemCaseSensitive(schema, "required");
    for (const cJSON *r = req ? req->child : NULL; r; r = r->next)
        if (!cJSON_GetObjectItemCaseSensitive(v, r->valuestring))
            violation(c, "missing required key \"%s\"", r->valuestring);
    const cJSON *props = cJSON_GetObjectItemCaseSensitive(schema, "properties");
    const cJSON *addl = cJSON_GetObjectItemCaseSensitive(schema, "additionalProperties");
    for (const cJSON *m = v->child; m; m = m->next) {
        const cJSON *sub = props ? cJSON_GetObjectItemCaseSensitive(props, m->string) : NULL;
        if (!sub && cJSON_IsFalse(addl)) {
            violation(c, "unexpected key \"%s\"", m->string);
            continue;
        }
        if (!sub) sub = addl;
        if (!sub) continue;
        size_t mark = path_push_key(&c->p, m->string);
        check_value(c, sub, m, depth + 1);
        path_pop(&c->p, mark);
    }
}

static void check_value(checker *c, const cJSON *schema, const cJSON *v, int depth)
{
    if (depth > MAX_DEPTH) {
        violation(c, "the schema's $refs loop (deeper than %d)", MAX_DEPTH);
        return;
    }
    if (cJSON_IsTrue(schema)) return;
    if (cJSON_IsFalse(schema)) {
        char *got = describe(v);
        violation(c, "no value is allowed here, got %s", got ? got : "?");
        cJSON_free(got);
        return;
    }
    const cJSON *ref = cJSON_GetObjectItemCaseSensitive(schema, "$ref");
    if (ref)
        check_value(c, cJSON_GetObjectItemCaseSensitive(c->s->defs, ref->valuestring + strlen("#/$defs/")), v,
                    depth + 1);
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(schema, "type");
    int ok = 1;
    if (type) check_type(c, type, v, &ok);
    if (!ok) return;  /* the other keywords would only repeat it */
    const cJSON *k;
    char *got = NULL, *want = NULL;
    if ((k = cJSON_GetObjectItemCaseSensitive(schema, "const")) && !json_equal(k, v)) {
        want = describe(k);
        got = describe(v);
        violation(c, "expected %s, got %s", want ? want : "?", got ? got : "?");
    }
    if ((k = cJSON_GetObjectItemCaseSensitive(schema, "enum"))) {
        const cJSON *e = k->child;
        while (e && !json_equal(e, v)) e = e->next;
        if (!e) {
            cJSON_free(want);
            cJSON_free(got);
            want = cJSON_PrintUnformatted(k);
            got = describe(v);
            violation(c, "expected one of %s, got %s", want ? want : "?", got ? got : "?");
        }
    }
    if (cJSON_IsNumber(v)) {
        static const char *const bounds[][2] = {
            {"minimum", ">="}, {"exclusiveMinimum", ">"}, {"maximum", "<="}};
        for (int b = 0; b < 3; b++) {
            if (!(k = cJSON_GetObjectItemCaseSensitive(schema, bounds[b][0]))) continue;
            double x = v->valuedouble, lim = k->valuedouble;
            if (b == 0 ? x >= lim : b == 1 ? x > lim : x <= lim) continue;
            cJSON_free(want);
            cJSON_free(got);
            want = describe(k);
            got = describe(v);
            violation(c, "expected a number %s %s, got %s", bounds[b][1], want ? want : "?", got ? got : "?");
        }
    }
    if (cJSON_IsString(v) && (k = cJSON_GetObjectItemCaseSensitive(schema, "pattern"))) {
        const regex_t *re = compiled_for(c->s, k);
        if (re && regexec(re, v->valuestring, 0, NULL, 0) != 0) {
            cJSON_free(got);
            got = describe(v);
            violation(c, "expected a string matching %s, got %s", k->valuestring, got ? got : "?");
        }
    }
    if (cJSON_IsArray(v)) {
        int n = cJSON_GetArraySize(v);
        if ((k = cJSON_GetObjectItemCaseSensitive(schema, "minItems")) && n < k->valuedouble)
            violation(c, "expected at least %.0f items, got %d", k->valuedouble, n);
        if ((k = cJSON_GetObjectItemCaseSensitive(schema, "maxItems")) && n > k->valuedouble)
            violation(c, "expected at most %.0f items, got %d", k->valuedouble, n);
        if ((k = cJSON_GetObjectItemCaseSensitive(schema, "items"))) {
            int i = 0;
            for (const cJSON *e = v->child; e; e = e->next, i++) {
                size_t mark = path_push(&c->p, "[%d]", i);
                check_value(c, k, e, depth + 1);
                path_pop(&c->p, mark);
            }
        }
    }
    if (cJSON_IsObject(v)) check_object(c, schema, v, depth);
    cJSON_free(want);
    cJSON_free(got);
}

long sc_schema_check(const sc_schema *s, const cJSON *doc, sc_report_fn *report, void *ctx)
{
    checker c = {s, report, ctx, {0}, 0};
    path_push(&c.p, "$");
    check_value(&c, s->root, doc, 0);
    if (c.p.oom) violation(&c, "out of memory: the check is incomplete");
    free(c.p.s);
    return c.n;
}
