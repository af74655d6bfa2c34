/* geo.c -- haversine distance and small planar offsets. */
#include <math.h>
#include "fleetcast/geo.h"

#define DEG (M_PI / 180.0)

double fc_geo_km(double lat1, double lon1, double lat2, double lon2)
{
    double dlat = (lat2 - lat1) * DEG, dlon = (lon2 - lon1) * DEG;
    double a = sin(dlat / 2) * sin(dlat / 2) +
               cos(lat1 * DEG) * cos(lat2 * DEG) * sin(dlon / 2) * sin(dlon / 2);
    return 2 * FC_EARTH_RADIUS_KM * asin(fmin(1.0, sqrt(a)));
}

void fc_geo_offset(double lat0, double lon0, double dx_km, double dy_km, double *lat, double *lon)
{
    *lat = lat0 + dy_km / (FC_EARTH_RADIUS_KM * DEG);
    *lon = lon0 + dx_km / (FC_EARTH_RADIUS_KM * DEG * cos(lat0 * DEG));
}
