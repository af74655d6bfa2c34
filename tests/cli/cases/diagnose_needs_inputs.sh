# exit: 64
$FC diagnose --shipments "$DATA/model/shipments.csv" --zips "$DATA/model/zips.csv"
