/* cli_backtest_volume.h -- (private to src/cli) `backtest --what volume`. */
#ifndef FLEETCAST_CLI_BACKTEST_VOLUME_H
#define FLEETCAST_CLI_BACKTEST_VOLUME_H

/* The whole `fleetcast backtest --what volume ...` command: parses its own
 * options (argv[0] is "backtest"; --what volume is accepted), runs the
 * rolling-origin volume backtest and returns the exit status. cmd_backtest
 * hands over to it when --what is volume. */
int cli_backtest_volume(int argc, char **argv);

extern const char cli_backtest_volume_help[];

#endif
