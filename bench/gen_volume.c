/* gen_volume.c -- synthetic zip-level daily (or monthly) shipment history
 * for the volume forecast's backtests and scale bench. Its generating
 * process deliberately differs from the model's: growth rates that drift,
 * AR(1) monthly shocks at network, station and zip level, a calendar season
 * with a December peak, a weekday pattern, Poisson day counts, zips that
 * start late and zips that move station.
 *
 *   cc -O2 -o gen_volume bench/gen_volume.c -lm
 *   ./gen_volume OUTDIR ZIPS STATIONS DAYS SEED [monthly]
 * writes OUTDIR/{zips,stations,shipments}.csv, history ending 2024-12-31. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rs = 88172645463325252ull;
static double unif(void)
{
    rs ^= rs << 13;
    rs ^= rs >> 7;
    rs ^= rs << 17;
    return ((rs >> 11) + 0.5) / 9007199254740992.0;
}
static double gauss(void) { return sqrt(-2 * log(unif())) * cos(6.283185307179586 * unif()); }
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
            if (p == 0 && wd == 6) continue;  /* no row on an empty Sunday */
            fprintf(f, "%s,%05d,ST%04d,%d,%d\n", date, z, s, p, sp);
        }
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
    return fclose(f) ? 74 : 0;
}
