# exit: 65
cp "$DATA"/ok/* .
awk 'BEGIN{s=""; for(i=0;i<10000;i++) s=s "x"; print "2024-03-05,01001," s ",4,2"}' >> shipments.csv
"$FC" validate --config config.json
