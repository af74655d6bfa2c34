# exit: 64
"$FC" run
