# exit: 64
"$FC" frobnicate
