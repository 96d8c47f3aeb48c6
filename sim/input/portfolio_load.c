/*
 * portfolio_load — read and validate a portfolio file and the scenarios it
 * names (portfolio_load.h).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "distparse.h"
#include "param.h"
#include "portfolio_load.h"
#include "scnload.h"
#include "yamltree.h"

static const char *const top_keys[] = {"capmix", "portfolio", "description", "seed", "trials",
                                       "budget", "confidence", "initiatives", "correlations",
                                       "pools", NULL};
static const char *const init_keys[] = {"name", "scenario", "value", "must_fund",
                                        "exclusive_with", "options", NULL};
static const char *const corr_keys[] = {"between", "rank", NULL};
static const char *const pool_keys[] = {"name", "unit", "draws", NULL};

typedef struct loader {
    const yt_doc *doc;
    pf_portfolio *p;
    diag *d;
} loader;

static int missing(const loader *L, const yt_node *map, const char *key, const char *ctx)
{
    return yt_error(L->doc, map, L->d, "missing key '%s' in %s", key, ctx);
}

/* The initiative a name refers to, or an error at node n with a hint. */
static int find_named(const loader *L, const yt_node *n, const char *what, int *out)
{
    const char *s;
    if (yt_string(L->doc, n, what, &s, L->d))
        return -1;
    int i = pf_find(L->p, s);
    if (i >= 0) {
        *out = i;
        return 0;
    }
    const char *names[PF_MAX_INITIATIVES + 1];
    for (size_t k = 0; k < L->p->n; k++)
        names[k] = L->p->in[k].name;
    names[L->p->n] = NULL;
    char hint[128] = "";
    diag_hint(hint, sizeof hint, s, names);
    return yt_error(L->doc, n, L->d, "'%s': unknown initiative '%s'%s", what, s, hint);
}

static int load_scenario(const loader *L, pf_initiative *in, const yt_node *sn)
{
    const char *rel;
    if (yt_string(L->doc, sn, "scenario", &rel, L->d))
        return -1;
    if (!rel[0])
        return yt_error(L->doc, sn, L->d, "'scenario': empty path");
    /* relative to the portfolio file, as a reader of the file would expect */
    const char *slash = strrchr(L->p->file, '/');
    int dl = slash && rel[0] != '/' ? (int)(slash - L->p->file) : -1;
    int w = dl >= 0 ? snprintf(in->scenario, sizeof in->scenario, "%.*s/%s", dl, L->p->file, rel)
                    : snprintf(in->scenario, sizeof in->scenario, "%s", rel);
    if (w < 0 || (size_t)w >= sizeof in->scenario)
        return yt_error(L->doc, sn, L->d, "'scenario': path too long");
    if (access(in->scenario, R_OK) != 0)
        return yt_error(L->doc, sn, L->d, "cannot read scenario '%s' of initiative '%s': %s",
                        in->scenario, in->name, strerror(errno));
    return scn_load(in->scenario, &in->scn, L->d);
}

static int load_options(const loader *L, pf_initiative *in, const yt_node *on)
{
    const scn_scenario *s = in->scn;
    in->opt_alt = calloc(s->nalts, sizeof *in->opt_alt);
    if (!in->opt_alt)
        return diag_runtime(L->d, "out of memory");
    if (!on) {
        for (size_t a = 0; a < s->nalts; a++)
            in->opt_alt[a] = a;
        in->nopt = s->nalts;
        return 0;
    }
    if (on->kind != YT_SEQ || on->n == 0)
        return yt_error(L->doc, on, L->d, "'options' must be a non-empty list of alternative names");
    const char **names = calloc(s->nalts + 1, sizeof *names);
    if (!names)
        return diag_runtime(L->d, "out of memory");
    for (size_t a = 0; a < s->nalts; a++)
        names[a] = s->alts[a].name;
    for (size_t k = 0; k < on->n; k++) {
        const char *nm;
        if (yt_string(L->doc, on->items[k], "options", &nm, L->d)) {
            free(names);
            return -1;
        }
        int a = scn_find_alt(s, nm);
        if (a < 0) {
            char hint[128] = "";
            diag_hint(hint, sizeof hint, nm, names);
            free(names);
            return yt_error(L->doc, on->items[k], L->d,
                            "unknown option '%s' of initiative '%s': scenario '%s' has no such alternative%s",
                            nm, in->name, s->file, hint);
        }
        for (size_t j = 0; j < in->nopt; j++)
            if (in->opt_alt[j] == (size_t)a) {
                free(names);
                return yt_error(L->doc, on->items[k], L->d, "option '%s' listed twice", nm);
            }
        in->opt_alt[in->nopt++] = (size_t)a;
    }
    free(names);
    return 0;
}

static int load_initiative(const loader *L, const yt_node *m, size_t idx)
{
    pf_initiative *in = &L->p->in[idx];
    if (yt_check_keys(L->doc, m, "an initiative", init_keys, L->d))
        return -1;
    in->line = m->line;
    in->col = m->col;
    in->value = dist_const(0);
    const yt_node *v = yt_get(m, "name", NULL);
    const char *name;
    if (!v)
        return missing(L, m, "name", "an initiative");
    if (yt_string(L->doc, v, "name", &name, L->d))
        return -1;
    if (!name[0] || strlen(name) >= SCN_NAME_MAX)
        return yt_error(L->doc, v, L->d, "'name' must have 1 to %d characters", SCN_NAME_MAX - 1);
    if (pf_find(L->p, name) >= 0)
        return yt_error(L->doc, v, L->d, "initiative '%s' named twice", name);
    snprintf(in->name, sizeof in->name, "%s", name);
    if (!(v = yt_get(m, "value", NULL)))
        return missing(L, m, "value", "an initiative");
    if (dist_parse(L->doc, v, "value", DOM_NONNEG, &in->value, L->d))
        return -1;
    if ((v = yt_get(m, "must_fund", NULL)) && yt_bool(L->doc, v, "must_fund", &in->must_fund, L->d))
        return -1;
    if (!(v = yt_get(m, "scenario", NULL)))
        return missing(L, m, "scenario", "an initiative");
    if (load_scenario(L, in, v))
        return -1;
    return load_options(L, in, yt_get(m, "options", NULL));
}

/* Declared edges i -> j; a path back to i of length >= 3 is a cycle. */
static int find_cycle(unsigned long long *decl, size_t n, size_t start, size_t at, int *path,
                      int len, unsigned long long seen)
{
    for (size_t j = 0; j < n; j++) {
        if (!(decl[at] >> j & 1))
            continue;
        if (j == start && len >= 3)
            return len;
        if (seen >> j & 1 || len >= PF_MAX_INITIATIVES)
            continue;
        path[len] = (int)j;
        int r = find_cycle(decl, n, start, j, path, len + 1, seen | 1ULL << j);
        if (r)
            return r;
    }
    return 0;
}

static int load_exclusive(const loader *L, const yt_node *seq)
{
    pf_portfolio *p = L->p;
    unsigned long long decl[PF_MAX_INITIATIVES] = {0};
    const yt_node *where[PF_MAX_INITIATIVES] = {0};
    for (size_t i = 0; i < p->n; i++) {
        const yt_node *e = yt_get(seq->items[i], "exclusive_with", NULL);
        if (!e)
            continue;
        where[i] = e;
        const yt_node *one[1] = {e};
        const yt_node *const *items = e->kind == YT_SEQ ? (const yt_node *const *)e->items : one;
        size_t ni = e->kind == YT_SEQ ? e->n : 1;
        for (size_t k = 0; k < ni; k++) {
            int j;
            if (find_named(L, items[k], "exclusive_with", &j))
                return -1;
            if ((size_t)j == i)
                return yt_error(L->doc, items[k], L->d,
                                "initiative '%s' cannot be exclusive with itself", p->in[i].name);
            if (p->in[i].must_fund && p->in[j].must_fund)
                return yt_error(L->doc, items[k], L->d,
                                "'%s' and '%s' are both must_fund and exclusive: no selection funds both",
                                p->in[i].name, p->in[j].name);
            decl[i] |= 1ULL << j;
            p->in[i].excl |= 1ULL << j;
            p->in[j].excl |= 1ULL << i;
        }
    }
    for (size_t i = 0; i < p->n; i++) {
        int path[PF_MAX_INITIATIVES + 1];
        path[0] = (int)i;
        int len = find_cycle(decl, p->n, i, i, path, 1, 1ULL << i);
        if (!len)
            continue;
        char buf[512];
        size_t o = 0;
        for (int k = 0; k < len && o < sizeof buf; k++)
            o += (size_t)snprintf(buf + o, sizeof buf - o, "'%s' -> ", p->in[path[k]].name);
        if (o < sizeof buf)
            snprintf(buf + o, sizeof buf - o, "'%s'", p->in[i].name);
        return yt_error(L->doc, where[i], L->d,
                        "exclusive_with forms a cycle %s: exclusion is pairwise, so say which pairs "
                        "you mean from one initiative (exclusive_with: [...])",
                        buf);
    }
    return 0;
}

static int load_correlations(const loader *L, const yt_node *c)
{
    pf_portfolio *p = L->p;
    if (c->kind != YT_SEQ)
        return yt_error(L->doc, c, L->d, "'correlations' must be a list");
    if (c->n > PF_MAX_CORR)
        return yt_error(L->doc, c, L->d, "at most %d correlations", PF_MAX_CORR);
    for (size_t k = 0; k < c->n; k++) {
        const yt_node *m = c->items[k];
        if (yt_check_keys(L->doc, m, "a correlation", corr_keys, L->d))
            return -1;
        const yt_node *b = yt_get(m, "between", NULL), *r = yt_get(m, "rank", NULL);
        if (!b)
            return missing(L, m, "between", "a correlation");
        if (!r)
            return missing(L, m, "rank", "a correlation");
        if (b->kind != YT_SEQ || b->n != 2)
            return yt_error(L->doc, b, L->d, "'between' must list two initiatives");
        int ij[2];
        for (int e = 0; e < 2; e++) {
            const char *s;
            if (yt_string(L->doc, b->items[e], "between", &s, L->d))
                return -1;
            if (strchr(s, '/') || strchr(s, '.'))
                return yt_error(L->doc, b->items[e], L->d,
                                "'%s': correlating an input inside a scenario across initiatives is not "
                                "supported (each scenario draws its inputs on its own streams); "
                                "correlate two initiatives' costs: between: [INITIATIVE, INITIATIVE]",
                                s);
            if (find_named(L, b->items[e], "between", &ij[e]))
                return -1;
        }
        if (ij[0] == ij[1])
            return yt_error(L->doc, b, L->d, "'between' names '%s' twice", p->in[ij[0]].name);
        double rank;
        if (yt_number(L->doc, r, "rank", &rank, L->d))
            return -1;
        if (!(rank > -1 && rank < 1))
            return yt_error(L->doc, r, L->d, "'rank' must lie strictly between -1 and 1");
        for (size_t q = 0; q < p->ncorr; q++)
            if ((p->corr[q].i == ij[0] && p->corr[q].j == ij[1]) ||
                (p->corr[q].i == ij[1] && p->corr[q].j == ij[0]))
                return yt_error(L->doc, b, L->d, "the pair '%s', '%s' is correlated twice",
                                p->in[ij[0]].name, p->in[ij[1]].name);
        p->corr[p->ncorr++] = (pf_corr){ij[0], ij[1], rank, r->line, r->col};
    }
    return 0;
}

static int load_draw(const loader *L, pf_pool *pool, const yt_node *key, const yt_node *val)
{
    pf_portfolio *p = L->p;
    int i;
    if (find_named(L, key, "draws", &i))
        return -1;
    for (size_t k = 0; k < pool->ndraws; k++)
        if (pool->draws[k].init == i)
            return yt_error(L->doc, key, L->d, "initiative '%s' draws on pool '%s' twice", p->in[i].name,
                            pool->name);
    const pf_initiative *in = &p->in[i];
    pf_draw *dr = &pool->draws[pool->ndraws];
    const char *path;
    if (yt_string(L->doc, val, "draws", &path, L->d))
        return -1;
    if (strlen(path) >= sizeof dr->path)
        return yt_error(L->doc, val, L->d, "path '%s' is too long", path);
    size_t al = strcspn(path, "/.");
    char alt[SCN_NAME_MAX] = "";
    snprintf(alt, sizeof alt, "%.*s", (int)(al < SCN_NAME_MAX ? al : SCN_NAME_MAX - 1), path);
    int opt = 0;
    for (size_t o = 0; o < in->nopt; o++)
        if (!strcmp(in->scn->alts[in->opt_alt[o]].name, alt))
            opt = (int)o + 1;
    if (!opt)
        return yt_error(L->doc, val, L->d,
                        "pool '%s': '%s' is not an option of initiative '%s' (the path starts with "
                        "the option that draws on the pool: OPTION/SOURCE.key)",
                        pool->name, alt, in->name);
    yt_doc *doc;
    if (yt_load_file(in->scenario, &doc, L->d))
        return -1;
    diag d2;
    diag_clear(&d2);
    yt_node *n = prm_resolve(doc, path, &d2);
    double base = 0;
    int rc = 0;
    /* the system failing (memory) is not the user's file being wrong */
    if (!n && d2.kind == DIAG_RUNTIME)
        *L->d = d2, rc = -1;
    else if (!n)
        rc = yt_error(L->doc, val, L->d, "pool '%s': %s", pool->name, d2.msg);
    else if (n->kind != YT_SCALAR || yt_number(doc, n, path, &base, &d2))
        rc = yt_error(L->doc, val, L->d, "pool '%s': '%s' must be a plain number in '%s' to add a unit to",
                      pool->name, path, in->scenario);
    else if (prm_set(doc, n, base + pool->unit, L->d))
        rc = -1;
    else if (scn_load_doc(doc, in->scn->sha256, &dr->plus, &d2)) {
        if (d2.kind == DIAG_RUNTIME)
            *L->d = d2, rc = -1;
        else
            rc = yt_error(L->doc, val, L->d, "pool '%s': one more unit (%g) of '%s' is not a valid scenario: %s",
                          pool->name, pool->unit, path, d2.msg);
    }
    yt_free(doc);
    if (rc)
        return -1;
    /* only the drawing option runs again (removing the others leaves its
     * numbers as they were) */
    int a = scn_find_alt(dr->plus, alt);
    for (size_t k = dr->plus->nalts; k-- > 0;)
        if ((int)k != a)
            scn_remove_alt(dr->plus, k);
    dr->init = i;
    dr->opt = opt;
    dr->base = base;
    snprintf(dr->path, sizeof dr->path, "%s", path);
    pool->ndraws++;
    return 0;
}

static int load_pools(const loader *L, const yt_node *c)
{
    pf_portfolio *p = L->p;
    if (c->kind != YT_SEQ || c->n == 0)
        return yt_error(L->doc, c, L->d, "'pools' must be a non-empty list");
    if (c->n > PF_MAX_POOLS)
        return yt_error(L->doc, c, L->d, "at most %d pools", PF_MAX_POOLS);
    for (size_t k = 0; k < c->n; k++) {
        const yt_node *m = c->items[k], *v;
        if (yt_check_keys(L->doc, m, "a pool", pool_keys, L->d))
            return -1;
        pf_pool *pool = &p->pools[k];
        p->npools = k + 1;
        const char *name;
        if (!(v = yt_get(m, "name", NULL)))
            return missing(L, m, "name", "a pool");
        if (yt_string(L->doc, v, "name", &name, L->d))
            return -1;
        if (!name[0] || strlen(name) >= SCN_NAME_MAX)
            return yt_error(L->doc, v, L->d, "'name' must have 1 to %d characters", SCN_NAME_MAX - 1);
        snprintf(pool->name, sizeof pool->name, "%s", name);
        pool->unit = 1;
        if ((v = yt_get(m, "unit", NULL))) {
            if (yt_number(L->doc, v, "unit", &pool->unit, L->d))
                return -1;
            if (!(pool->unit > 0))
                return yt_error(L->doc, v, L->d, "'unit' must be positive");
        }
        const yt_node *dr = yt_get(m, "draws", NULL);
        if (!dr)
            return missing(L, m, "draws", "a pool (initiative: OPTION/SOURCE.key, ...)");
        if (dr->kind != YT_MAP || dr->n == 0)
            return yt_error(L->doc, dr, L->d,
                            "'draws' must map initiatives to the parameter they draw (pricing: ai-team/team.headcount)");
        if (!(pool->draws = calloc(dr->n, sizeof *pool->draws)))
            return diag_runtime(L->d, "out of memory");
        for (size_t q = 0; q < dr->n; q++)
            if (load_draw(L, pool, dr->keys[q], dr->items[q]))
                return -1;
    }
    return 0;
}

int pf_copula(const pf_portfolio *p, cop_model *m, diag *d)
{
    memset(m, 0, sizeof *m);
    for (size_t q = 0; q < p->ncorr; q++) {
        int a = cop_coordinate(m, p->in[p->corr[q].i].name);
        int b = cop_coordinate(m, p->in[p->corr[q].j].name);
        if (a < 0 || b < 0 || cop_add_pair(m, a, b, p->corr[q].rank, p->corr[q].line, p->corr[q].col)) {
            cop_release(m);
            return diag_runtime(d, "out of memory");
        }
    }
    if (m->k && cop_factor(m, p->file, d)) {
        cop_release(m);
        return -1;
    }
    return 0;
}

static int load_doc(const loader *L)
{
    pf_portfolio *p = L->p;
    const yt_node *root = L->doc->root, *v;
    if (!root)
        return diag_input(L->d, p->file, 1, 1, "empty portfolio file");
    if (yt_check_keys(L->doc, root, "a portfolio", top_keys, L->d))
        return -1;
    long long ver;
    if (!(v = yt_get(root, "capmix", NULL)))
        return missing(L, root, "capmix", "a portfolio (the format version: capmix: 1)");
    if (yt_integer(L->doc, v, "capmix", 1, 1, &ver, L->d))
        return -1;
    const char *s;
    if (!(v = yt_get(root, "portfolio", NULL)))
        return missing(L, root, "portfolio", "a portfolio (its name)");
    if (yt_string(L->doc, v, "portfolio", &s, L->d))
        return -1;
    snprintf(p->name, sizeof p->name, "%s", s);
    long long ll = 1;
    if ((v = yt_get(root, "seed", NULL)) && yt_integer(L->doc, v, "seed", 0, LLONG_MAX, &ll, L->d))
        return -1;
    p->seed = v ? (uint64_t)ll : 1;
    ll = 10000;
    if ((v = yt_get(root, "trials", NULL)) &&
        yt_integer(L->doc, v, "trials", 1, (long long)SCN_MAX_TRIALS, &ll, L->d))
        return -1;
    p->trials = (uint64_t)ll;
    if (!(v = yt_get(root, "budget", NULL)))
        return missing(L, root, "budget", "a portfolio");
    if (yt_number(L->doc, v, "budget", &p->budget, L->d))
        return -1;
    if (!(p->budget > 0))
        return yt_error(L->doc, v, L->d, "'budget' must be positive");
    p->confidence = 0.9;
    if ((v = yt_get(root, "confidence", NULL))) {
        if (yt_number(L->doc, v, "confidence", &p->confidence, L->d))
            return -1;
        if (!(p->confidence > 0 && p->confidence < 1))
            return yt_error(L->doc, v, L->d, "'confidence' must lie strictly between 0 and 1");
    }
    const yt_node *seq = yt_get(root, "initiatives", NULL);
    if (!seq)
        return missing(L, root, "initiatives", "a portfolio");
    if (seq->kind != YT_SEQ || seq->n == 0)
        return yt_error(L->doc, seq, L->d, "'initiatives' must be a non-empty list");
    if (seq->n > PF_MAX_INITIATIVES)
        return yt_error(L->doc, seq, L->d, "at most %d initiatives", PF_MAX_INITIATIVES);
    p->in = calloc(seq->n, sizeof *p->in);
    if (!p->in)
        return diag_runtime(L->d, "out of memory");
    for (size_t i = 0; i < seq->n; i++) {
        p->n = i;
        if (load_initiative(L, seq->items[i], i)) {
            p->n = i + 1; /* so pf_free releases what it holds */
            return -1;
        }
    }
    p->n = seq->n;
    if (load_exclusive(L, seq))
        return -1;
    if ((v = yt_get(root, "correlations", NULL)) && load_correlations(L, v))
        return -1;
    if ((v = yt_get(root, "pools", NULL)) && load_pools(L, v))
        return -1;
    cop_model m;
    if (pf_copula(p, &m, L->d))
        return -1;
    cop_release(&m);
    return 0;
}

int pf_load(const char *path, pf_portfolio **out, diag *d)
{
    *out = NULL;
    pf_portfolio *p = calloc(1, sizeof *p);
    if (!p || !(p->file = strdup(path))) {
        free(p);
        return diag_runtime(d, "out of memory");
    }
    yt_doc *doc;
    if (yt_load_file(path, &doc, d)) {
        pf_free(p);
        return -1;
    }
    loader L = {doc, p, d};
    int rc = load_doc(&L);
    yt_free(doc);
    if (rc) {
        pf_free(p);
        return -1;
    }
    *out = p;
    return 0;
}

void pf_free(pf_portfolio *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++) {
        scn_free(p->in[i].scn);
        dist_release(&p->in[i].value);
        free(p->in[i].opt_alt);
    }
    for (size_t k = 0; k < p->npools; k++) {
        for (size_t q = 0; q < p->pools[k].ndraws; q++)
            scn_free(p->pools[k].draws[q].plus);
        free(p->pools[k].draws);
    }
    free(p->in);
    free(p->file);
    free(p);
}

int pf_find(const pf_portfolio *p, const char *name)
{
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->in[i].name, name) == 0)
            return (int)i;
    return -1;
}
