# exit: 64
"$FC" forecast --horizon 0 --shipments s.csv --zips z.csv --stations st.csv
