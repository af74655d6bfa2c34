# exit: 65
# A key no command reads is an error that names it and, when it is a typo
# away from one, the key it should be: "servce_level" used to be ignored,
# so the plan ran at the default service level of 0.9 without a word. The
# same in "inputs", the "plan" section and the "model" section (which only
# warned, a message a cron job shows nobody).
cp "$DATA"/ok/* .
sed -i 's/"horizon_months": 16/"horizon_months": 16, "servce_level": 0.99, "plan": {"charging_windw_h": 4}, "model": {"prior_sdd": 0.1}/' config.json
grep -q servce_level config.json || exit 1
"$FC" validate --config config.json && exit 1
"$FC" plan --config config.json -o p.json && exit 1
test ! -e p.json || exit 1
sed -i 's/"servce_level": 0.99, "plan": {"charging_windw_h": 4}, //' config.json
"$FC" fit --config config.json -o m.json && exit 1
test ! -e m.json || exit 1
cp "$DATA"/ok/config.json config.json
sed -i 's/"horizon_months": 16/"horizon_months": 16, "plan": {"charging_windw_h": 4}/' config.json
"$FC" plan --config config.json -o p.json
