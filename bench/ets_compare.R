# ets_compare.R -- fleetcast's volume model against forecast::ets() on the
# monthly series that ship with R's datasets and forecast packages. Each
# series is one zip; rolling origins; horizons 1..16; MASE (scaled by the
# training set's seasonal naive error) per method, averaged over series.
# Usage: Rscript bench/ets_compare.R FLEETCAST_BINARY [ORIGINS]
suppressMessages(library(forecast))
args <- commandArgs(trailingOnly = TRUE)
fc <- args[1]
norig <- if (length(args) > 1) as.integer(args[2]) else 5
H <- 16
series <- list(AirPassengers = AirPassengers, co2 = co2, nottem = nottem,
               UKDriverDeaths = UKDriverDeaths, USAccDeaths = USAccDeaths,
               ldeaths = ldeaths, mdeaths = mdeaths, fdeaths = fdeaths,
               gas = forecast::gas, wineind = forecast::wineind)
dir <- tempfile("etscmp"); dir.create(dir)
writeLines(c("station,lat,lon", "S,0,0"), file.path(dir, "stations.csv"))
writeLines(c("zip,lat,lon,area_km2", "00001,0,0,1"), file.path(dir, "zips.csv"))
run_fleetcast <- function(y, start) {
  t0 <- start[1] * 12 + start[2] - 1
  mi <- t0 + seq_along(y) - 1
  d <- sprintf("%04d-%02d-01", mi %/% 12, mi %% 12 + 1)
  v <- sprintf("%.0f", round(as.numeric(y) * 100))
  f <- file.path(dir, "ship.csv")
  write.csv(data.frame(date = d, zip = "00001", station = "S", packages = v, stops = v),
            f, row.names = FALSE, quote = FALSE)
  out <- system2(fc, c("forecast", "--shipments", f, "--zips", file.path(dir, "zips.csv"),
                       "--stations", file.path(dir, "stations.csv"), "--level", "zip",
                       "--format", "csv", "--horizon", H, "--paths", 2000, "--threads", 1),
                 stdout = TRUE)
  r <- read.csv(text = out, colClasses = c(id = "character"))
  list(p50 = r$packages_p50 / 100, lo = r$packages_p10 / 100, hi = r$packages_p90 / 100)
}
res <- NULL
for (nm in names(series)) {
  y <- series[[nm]]
  n <- length(y)
  for (k in 0:(norig - 1)) {
    o <- n - H - 6 * k
    if (o < 36) next
    tr <- window(y, end = time(y)[o]); te <- as.numeric(y)[(o + 1):(o + H)]
    scale <- mean(abs(diff(as.numeric(tr), lag = 12)))
    e <- forecast(ets(tr), h = H, level = 80)
    f <- run_fleetcast(tr, start(tr))
    res <- rbind(res, data.frame(series = nm, origin = o, h = 1:H,
      ets = abs(te - as.numeric(e$mean)) / scale,
      fleetcast = abs(te - f$p50) / scale,
      snaive = abs(te - as.numeric(snaive(tr, h = H)$mean)) / scale,
      cover_ets = as.numeric(te >= as.numeric(e$lower) & te <= as.numeric(e$upper)),
      cover_fleetcast = as.numeric(te >= f$lo & te <= f$hi)))
  }
}
per <- aggregate(cbind(ets, fleetcast, snaive, cover_ets, cover_fleetcast) ~ series, res, mean)
cat("MASE by series (mean over origins and horizons 1-16) and 80% coverage\n")
print(per, digits = 3, row.names = FALSE)
cat("\nMean over series:\n")
print(colMeans(per[, -1]), digits = 4)
b <- cut(res$h, c(0, 3, 6, 12, 16), labels = c("1-3", "4-6", "7-12", "13-16"))
cat("\nMASE by horizon (mean over series and origins):\n")
print(aggregate(cbind(ets, fleetcast, snaive) ~ b, cbind(res, b = b), mean), digits = 3, row.names = FALSE)
