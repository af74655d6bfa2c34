# exit: 64
$FC diagnose --alpha 2 --shipments x.csv
