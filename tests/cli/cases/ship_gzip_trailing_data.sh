# exit: 65
# Bytes after the gzip stream that are not another gzip member are an
# error (zlib's gzread dropped them without a word); the serial read and the
# read-ahead thread say the same.
cp "$DATA"/ok/* .
gzip shipments.csv && printf 'not gzip\n' >> shipments.csv.gz
for t in 1 2; do
    st=0
    "$FC" forecast --config config.json --shipments shipments.csv.gz --threads $t -o out$t 2> err$t || st=$?
    [ $st = 65 ]
    grep -q 'shipments.csv.gz: trailing data after the gzip stream' err$t
done
cmp err1 err2
"$FC" validate --config config.json --shipments shipments.csv.gz
