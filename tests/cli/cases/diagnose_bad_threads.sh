# exit: 64
# --threads takes a whole number of worker threads from 1 to 64; anything
# else is a usage error before any input is read.
"$FC" diagnose --threads 0 --config missing.json
