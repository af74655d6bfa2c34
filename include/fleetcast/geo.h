/* geo.h -- distances on the earth, shared by the routing physics (model/)
 * and the example-data generator (synth/). */
#ifndef FLEETCAST_GEO_H
#define FLEETCAST_GEO_H

#define FC_EARTH_RADIUS_KM 6371.0088

/* Great-circle distance in km between two lat/lon points (degrees). */
double fc_geo_km(double lat1, double lon1, double lat2, double lon2);

/* Local planar offsets: km east (dx) and north (dy) of (lat0, lon0) -> lat/lon. */
void fc_geo_offset(double lat0, double lon0, double dx_km, double dy_km, double *lat, double *lon);

#endif
