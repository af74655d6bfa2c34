/* volume_backtest_driver.c -- runs `backtest --what volume` through
 * cli_backtest_volume() straight from libfleetcast_core.a, for as long as
 * the backtest command does not dispatch to it (bench/volume_backtest.sh). */
int cli_backtest_volume(int argc, char **argv);

int main(int argc, char **argv)
{
    static char name[] = "backtest";
    argv[0] = name;
    return cli_backtest_volume(argc, argv);
}
