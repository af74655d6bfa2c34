# exit: 0
# -o naming a symbolic link replaces the file it points to and keeps the
# link (the rename replaced the link with a regular file; as root,
# -o /dev/stdout replaced the /dev/stdout link).
cp "$DATA"/ok/* .
mkdir keep
echo old > keep/summary.txt
ln -s keep/summary.txt latest.txt
"$FC" validate --config config.json -o latest.txt
test -L latest.txt
grep -q SPR keep/summary.txt
! ls keep | grep -q '\.tmp\.' || exit 1
# a dangling link (its file not made yet) too: the file is created where
# the link points, relative to the link's folder, and the link kept
mkdir -p links new
ln -s ../new/first.txt links/first.txt
"$FC" validate --config config.json -o links/first.txt
test -L links/first.txt
grep -q SPR new/first.txt
