# exit: 64
"$FC"
