# exit: 64
# --log-format json applies to messages about the options before it too
# (they came out as text, which a log collector reading JSON lines drops).
"$FC" plan --horizon x --log-format json
