# exit: 0
# The lock file gets the umask's mode like the outputs (0644 shut the
# group out of a group-shared output folder: exit 73 for the next
# operator), and a lock file that is not writable still locks.
"$FC" synth --out d --seed 1 --cities 1 --stations 2 --zips 20 --days 420 -q
umask 002
"$FC" run d/config.json -o out -q --threads 1 >/dev/null
test "$(stat -c %a out/.fleetcast.lock)" = 664
chmod 444 out/.fleetcast.lock
"$FC" run d/config.json -o out -q --threads 1 >/dev/null
