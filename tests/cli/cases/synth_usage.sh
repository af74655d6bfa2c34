# exit: 64
$FC synth --seed 3
