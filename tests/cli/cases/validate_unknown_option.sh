# exit: 64
"$FC" validate --bogus
