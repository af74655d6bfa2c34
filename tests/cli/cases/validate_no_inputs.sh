# exit: 64
"$FC" validate
