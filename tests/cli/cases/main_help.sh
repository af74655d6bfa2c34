# exit: 0
"$FC" --help | grep -q "validate"
"$FC" --version | grep -q "^fleetcast [0-9]"
