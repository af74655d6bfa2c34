/* gen_volume.c -- synthetic zip-level daily (or monthly) shipment history
 * for the volume forecast's backtests and scale bench. Its generating
 * process deliberately differs from the model's: growth rates that drift,
 * AR(1) monthly shocks at network, station and zip level, a calendar season
 * with a December peak, a weekday pattern, Poisson day counts, zips that
 * start late and zips that move station.
 *
 *   cc -O2 -o gen_volume bench/gen_volume.c -lm
 *   ./gen_volume OUTDIR ZIPS STATIONS DAYS SEED [monthly|network]
 * writes OUTDIR/{zips,stations,shipments}.csv, history ending 2024-12-31.
 *
 * `network` writes a whole network for `fleetcast run` (bench/run_scale.sh):
 * the same shipments, but stations grouped in cities of 10 around a centre,
 * zips within 1.5-30 km of their station (a zip that moves goes to the
 * nearest other station), and also routes.csv, vehicles.csv, fleet.csv and
 * config.json. Its route counts come from a rough continuous approximation
 * of its own (stem + local tour + service time, cut by shift or van, x 3%
 * noise, rounded up), not from fleetcast's physics: it is there to time the
 * batch at scale, not to judge the model. The extra draws come from a
 * second random stream, so the volumes equal those of the other modes. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* xorshift64; rs drives the volumes, rs2 the network mode's own draws
 * (geography, vans, route noise) */
static uint64_t rs = 88172645463325252ull, rs2 = 0x2545F4914F6CDD1Dull;
static double unif_from(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return ((*x >> 11) + 0.5) / 9007199254740992.0;
}
static double unif(void) { return unif_from(&rs); }
static double unif2(void) { return unif_from(&rs2); }
static double gauss(void) { return sqrt(-2 * log(unif())) * cos(6.283185307179586 * unif()); }
static double gauss2(void) { return sqrt(-2 * log(unif2())) * cos(6.283185307179586 * unif2()); }

#define KM_PER_DEG 111.2
static double km_between(double la1, double lo1, double la2, double lo2)
{
    double dy = (la1 - la2) * KM_PER_DEG, dx = (lo1 - lo2) * KM_PER_DEG * cos((la1 + la2) * 0.00872664626);
    return sqrt(dx * dx + dy * dy);
}

typedef struct {
    double lat, lon, area;
} netzip;

typedef struct {
    double lat, lon, shift, cap;
    int van;            /* index into van_name */
    double pk, st, work, stem_w, km_local, maxr;
} netstation;

static const char *const van_name[] = {"small", "medium", "large", "ev"};
static const int van_cap[] = {180, 300, 450, 250};

/* stations (cities of 10 around a centre), zips near their home station */
static int net_geography(const char *dir, int nz, int ns, const int *zst, int *zst2, netzip *zp, netstation *sp)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/stations.csv", dir);
    FILE *f = fopen(path, "w");
    if (!f) return 73;
    fprintf(f, "station,lat,lon,city,shift_hours,parking,chargers,charger_kw,site_power_kw,van_types\n");
    double clat = 0, clon = 0;
    for (int s = 0; s < ns; s++) {
        if (s % 10 == 0) clat = 30 + 15 * unif2(), clon = -120 + 45 * unif2();
        netstation *t = &sp[s];
        memset(t, 0, sizeof *t);
        t->lat = clat + 0.15 * gauss2();
        t->lon = clon + 0.2 * gauss2();
        t->shift = unif2() < 0.3 ? 9.5 : 8.75;
        double u = unif2();
        t->van = u < 0.1 ? 0 : u < 0.75 ? 1 : u < 0.9 ? 2 : 3;
        t->cap = van_cap[t->van];
        fprintf(f, "ST%04d,%.5f,%.5f,C%03d,%.2f,%d,%d,19.2,%d,small;medium;large;ev\n", s, t->lat, t->lon, s / 10,
                t->shift, 60 + (int)(80 * unif2()), 2 + (int)(8 * unif2()), 80 + (int)(200 * unif2()));
    }
    if (fclose(f)) return 74;
    snprintf(path, sizeof path, "%s/zips.csv", dir);
    f = fopen(path, "w");
    if (!f) return 73;
    fprintf(f, "zip,lat,lon,area_km2,hilliness\n");
    for (int z = 0; z < nz; z++) {
        const netstation *t = &sp[zst[z]];
        double d = 1.5 + 28.5 * unif2() * unif2(), a = 6.283185307179586 * unif2();
        zp[z].area = d < 8 ? 1 + 4 * unif2() : 5 + 30 * unif2();
        zp[z].lat = t->lat + d * sin(a) / KM_PER_DEG;
        zp[z].lon = t->lon + d * cos(a) / (KM_PER_DEG * cos(t->lat * 0.01745329252));
        fprintf(f, "%05d,%.5f,%.5f,%.2f,%.1f\n", z, zp[z].lat, zp[z].lon, zp[z].area, 20 * unif2());
        /* a zip that moves goes to the nearest other station */
        double best = 1e30;
        for (int s = 0; s < ns; s++) {
            if (s == zst[z]) continue;
            double k = km_between(t->lat, t->lon, sp[s].lat, sp[s].lon);
            if (k < best) best = k, zst2[z] = s;
        }
    }
    return fclose(f) ? 74 : 0;
}

/* one zip-day's work at station t: stops n, packages p */
static void net_zip_day(netstation *t, const netzip *z, int n, int p)
{
    if (n <= 0) return;
    double d = km_between(t->lat, t->lon, z->lat, z->lon);
    double lkm = 0.72 * sqrt(z->area / n) * (1 + 0.5 / n);          /* km per stop */
    double tau = lkm / 18.0 + (2.2 + 0.45 * (double)p / n) / 60.0;  /* hours per stop */
    double stem = 2 * 1.35 * d / 42.0 + 0.15;                       /* hours per route */
    t->pk += p;
    t->st += n;
    t->work += n * tau;
    t->stem_w += n * tau * stem;
    t->km_local += n * lkm;
    t->maxr += n * tau * 2 * 1.35 * d; /* stem km, work-weighted */
}

/* close a station-day: one routes row, the counters reset */
static void net_station_day(FILE *f, const char *date, int s, netstation *t, int *peak)
{
    if (t->st > 0) {
        double stem = t->stem_w / t->work, stem_km = t->maxr / t->work;
        double by_time = t->work / (0.93 * t->shift - stem), by_van = t->pk / t->cap;
        double fluid = (by_time > by_van ? by_time : by_van) * exp(0.03 * gauss2());
        int routes = (int)ceil(fluid);
        if (routes > *peak) *peak = routes;
        fprintf(f, "%s,ST%04d,%s,%d,%.0f,%.0f,%.2f,%.1f\n", date, s, van_name[t->van], routes, t->pk, t->st,
                routes * stem + t->work, routes * stem_km + t->km_local);
    }
    double lat = t->lat, lon = t->lon, shift = t->shift, cap = t->cap;
    int van = t->van;
    memset(t, 0, sizeof *t);
    t->lat = lat, t->lon = lon, t->shift = shift, t->cap = cap, t->van = van;
}

static int net_finish(const char *dir, int ns, const netstation *sp, const int *peak)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/vehicles.csv", dir);
    FILE *f = fopen(path, "w");
    if (!f) return 73;
    fprintf(f, "van_type,capacity_packages,electric,battery_kwh,kwh_per_km,cost_per_day,cost_per_km\n"
               "small,180,0,,,95,0.24\nmedium,300,0,,,115,0.30\nlarge,450,0,,,140,0.36\nev,250,1,80,0.28,120,0.12\n");
    if (fclose(f)) return 74;
    snprintf(path, sizeof path, "%s/fleet.csv", dir);
    f = fopen(path, "w");
    if (!f) return 73;
    fprintf(f, "station,van_type,count\n");
    for (int s = 0; s < ns; s++) fprintf(f, "ST%04d,%s,%d\n", s, van_name[sp[s].van], peak[s] + 1);
    if (fclose(f)) return 74;
    snprintf(path, sizeof path, "%s/config.json", dir);
    f = fopen(path, "w");
    if (!f) return 73;
    fprintf(f, "{\n  \"inputs\": {\"shipments\": \"shipments.csv\", \"routes\": \"routes.csv\", "
               "\"zips\": \"zips.csv\",\n             \"stations\": \"stations.csv\", "
               "\"vehicles\": \"vehicles.csv\", \"fleet\": \"fleet.csv\"},\n"
               "  \"horizon_months\": 16, \"service_level\": 0.9, \"spare_ratio\": 0.1, \"paths\": 500, "
               "\"seed\": 42\n}\n");
    return fclose(f) ? 74 : 0;
}
static int poisson(double lam)
{
    if (lam > 30) {
        double v = lam + sqrt(lam) * gauss();
        return v < 0 ? 0 : (int)(v + 0.5);
    }
    double L = exp(-lam), p = 1;
    int k = 0;
    do {
        k++;
        p *= unif();
    } while (p > L);
    return k - 1;
}

static void civil(int32_t z, int *y, int *m, int *d)
{
    z += 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)yoe + era * 400 + (*m <= 2);
}

int main(int argc, char **argv)
{
    if (argc < 6) {
        fprintf(stderr, "usage: gen_volume OUTDIR ZIPS STATIONS DAYS SEED [monthly]\n");
        return 64;
    }
    const char *dir = argv[1];
    int nz = atoi(argv[2]), ns = atoi(argv[3]), nd = atoi(argv[4]);
    rs ^= (uint64_t)strtoull(argv[5], NULL, 10) * 0x9E3779B97F4A7C15ull;
    int monthly = argc > 6 && strcmp(argv[6], "monthly") == 0;
    int network = argc > 6 && strcmp(argv[6], "network") == 0;
    char path[4096];
    snprintf(path, sizeof path, "%s/stations.csv", dir);
    FILE *f = fopen(path, "w");
    if (!f) return 73;
    fprintf(f, "station,lat,lon,city\n");
    for (int s = 0; s < ns; s++)
        fprintf(f, "ST%04d,%.4f,%.4f,C%03d\n", s, 30 + 15 * unif(), -120 + 45 * unif(), s / 10);
    fclose(f);
    snprintf(path, sizeof path, "%s/zips.csv", dir);
    f = fopen(path, "w");
    if (!f) return 73;
    fprintf(f, "zip,lat,lon,area_km2\n");
    for (int z = 0; z < nz; z++) fprintf(f, "%05d,%.4f,%.4f,%.2f\n", z, 30 + 15 * unif(), -100 + 20 * unif(), 1 + 30 * unif());
    fclose(f);

    int32_t day_end = 20088; /* 2024-12-31 */
    int32_t day0 = day_end - nd + 1;
    int nmonths = nd / 28 + 3;
    double *net = calloc((size_t)nmonths, sizeof *net);
    double *stn = calloc((size_t)ns * (size_t)nmonths, sizeof *stn);
    double *zsh = calloc((size_t)nz * (size_t)nmonths, sizeof *zsh);
    int *zst = malloc((size_t)nz * sizeof *zst), *zst2 = malloc((size_t)nz * sizeof *zst2);
    int *zmove = malloc((size_t)nz * sizeof *zmove), *zstart = malloc((size_t)nz * sizeof *zstart);
    double *zlam = malloc((size_t)nz * sizeof *zlam), *zg = malloc((size_t)nz * sizeof *zg);
    double *zamp = malloc((size_t)nz * sizeof *zamp), *zppr = malloc((size_t)nz * sizeof *zppr);
    double *sg = malloc((size_t)ns * sizeof *sg);
    /* monthly shocks: AR(1) in logs */
    double a = 0;
    for (int t = 0; t < nmonths; t++) net[t] = a = 0.6 * a + 0.025 * gauss();
    for (int s = 0; s < ns; s++) {
        sg[s] = 0.12 + 0.10 * gauss();
        a = 0;
        double g = 0;
        for (int t = 0; t < nmonths; t++) {
            g += 0.002 * gauss();  /* drifting growth */
            a = 0.5 * a + 0.04 * gauss();
            stn[(size_t)s * nmonths + t] = a + g * t;
        }
    }
    for (int z = 0; z < nz; z++) {
        zst[z] = (int)(unif() * ns);
        zmove[z] = unif() < 0.03 ? (int)(nd * (0.3 + 0.6 * unif())) : -1;
        zst2[z] = (int)(unif() * ns);
        zstart[z] = unif() < 0.06 ? (int)(nd * (0.5 + 0.45 * unif())) : 0;
        zlam[z] = exp(log(40) + 1.1 * gauss());
        if (zlam[z] > 3000) zlam[z] = 3000;
        zg[z] = 0.08 * gauss();
        zamp[z] = 1 + 0.3 * gauss();
        zppr[z] = 1.25 + 0.35 * unif();
        a = 0;
        for (int t = 0; t < nmonths; t++) zsh[(size_t)z * nmonths + t] = a = 0.4 * a + 0.06 * gauss();
    }
    netzip *nzp = NULL;
    netstation *nsp = NULL;
    int *peak = NULL;
    FILE *rf = NULL;
    if (network) {
        nzp = malloc((size_t)nz * sizeof *nzp);
        nsp = malloc((size_t)ns * sizeof *nsp);
        peak = calloc((size_t)ns, sizeof *peak);
        if (!nzp || !nsp || !peak) return 70;
        int st = net_geography(dir, nz, ns, zst, zst2, nzp, nsp);
        if (st) return st;
        snprintf(path, sizeof path, "%s/routes.csv", dir);
        rf = fopen(path, "w");
        if (!rf) return 73;
        fprintf(rf, "date,station,van_type,routes,packages,stops,route_hours,route_km\n");
    }
    static const double season[12] = {-0.10, -0.12, -0.02, 0.00, 0.02, -0.04,
                                      -0.06, -0.03, 0.00, 0.04, 0.15, 0.32};
    static const double dow[7] = {1.18, 1.12, 1.06, 1.02, 1.0, 0.55, 0.07}; /* Mon..Sun */
    snprintf(path, sizeof path, "%s/shipments.csv", dir);
    f = fopen(path, "w");
    if (!f) return 73;
    static char obuf[1 << 20];
    setvbuf(f, obuf, _IOFBF, sizeof obuf);
    fprintf(f, "date,zip,station,packages,stops\n");
    int32_t mstart = -1;
    int cy = 0, cm = 0;
    double *macc = monthly ? calloc((size_t)nz * 2, sizeof(double)) : NULL;
    for (int32_t dd = day0; dd <= day_end; dd++) {
        int y, m, d;
        civil(dd, &y, &m, &d);
        int t = (y - 2000) * 12 + m - 1;
        if (mstart < 0) mstart = t;
        int ti = t - mstart;
        double yrs = (dd - day0) / 365.25;
        int wd = (int)((dd + 3) % 7);
        char date[16];
        snprintf(date, sizeof date, "%04d-%02d-%02d", y, m, d);
        for (int z = 0; z < nz; z++) {
            if (dd - day0 < zstart[z]) continue;
            int s = (zmove[z] >= 0 && dd - day0 >= zmove[z]) ? zst2[z] : zst[z];
            double lx = log(zlam[z]) + (sg[zst[z]] + zg[z]) * yrs + zamp[z] * season[m - 1] + net[ti] +
                        stn[(size_t)zst[z] * nmonths + ti] + zsh[(size_t)z * nmonths + ti];
            double lam = exp(lx) * dow[wd] * exp(0.08 * gauss());
            int p = poisson(lam);
            int sp = p ? (int)(p / zppr[z] + unif()) : 0;
            if (p && sp < 1) sp = 1;
            if (sp > p) sp = p;
            if (monthly) {
                macc[2 * z] += p;
                macc[2 * z + 1] += sp;
                continue;
            }
            if (network) net_zip_day(&nsp[s], &nzp[z], sp, p);
            if (p == 0 && wd == 6) continue;  /* no row on an empty Sunday */
            fprintf(f, "%s,%05d,ST%04d,%d,%d\n", date, z, s, p, sp);
        }
        if (network)
            for (int s = 0; s < ns; s++) net_station_day(rf, date, s, &nsp[s], &peak[s]);
        int ny, nm, ndd;
        civil(dd + 1, &ny, &nm, &ndd);
        if (monthly && (ndd == 1)) {
            cy = y;
            cm = m;
            for (int z = 0; z < nz; z++) {
                if (dd - day0 < zstart[z]) continue;
                int s = (zmove[z] >= 0 && dd - day0 >= zmove[z]) ? zst2[z] : zst[z];
                fprintf(f, "%04d-%02d-01,%05d,ST%04d,%.0f,%.0f\n", cy, cm, z, s, macc[2 * z], macc[2 * z + 1]);
                macc[2 * z] = macc[2 * z + 1] = 0;
            }
        }
    }
    if (network) {
        if (fclose(rf)) return 74;
        int st = net_finish(dir, ns, nsp, peak);
        if (st) return st;
    }
    return fclose(f) ? 74 : 0;
}
