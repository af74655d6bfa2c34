# exit: 66
"$FC" validate --config nowhere.json
