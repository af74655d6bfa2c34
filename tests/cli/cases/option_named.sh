# exit: 64
# A bad option's message names it, long or short, unknown or without its
# value ("unknown option or missing value" named neither).
"$FC" validate --shipmnts x.csv 2>&1 >/dev/null | grep -q "unknown option '--shipmnts'" || exit 1
"$FC" run --previous 2>&1 >/dev/null | grep -q "option '--previous' needs a value" || exit 1
"$FC" validate -x 2>&1 >/dev/null | grep -q "unknown option '-x'" || exit 1
"$FC" run --reproducible=yes c.json 2>&1 >/dev/null | grep -q "option '--reproducible' takes no value" || exit 1
"$FC" forecast --format
