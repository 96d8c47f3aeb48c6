# capmix: cost per accepted outcome by alternative: the box and whiskers
# are the per-trial ratio's P25–P75 and P10–P90 with a line at its median;
# the point is the cost per accepted outcome as finance means it, expected
# total cost over expected accepted outcomes (the ratio of totals).
# Data: cost_per_outcome.dat: index, name, p10, p25, p50, p75, p90, ratio of totals.
if (!exists("outfile")) outfile = 'cost_per_outcome.png'
# svg = 1 (set by capmix for report.html) draws an SVG instead of a PNG
if (exists("svg")) set terminal svg size 960,600 noenhanced font ",10" background rgb 'white'; else set terminal pngcairo size 960,600 noenhanced font ",10"
set output outfile
set title sprintf("%s: cost per accepted outcome (per-trial P10-P90, P25-P75, median; point: total cost / accepted)", scenario)
set ylabel 'cost per accepted outcome (' . currency . ')'
set boxwidth 0.5
set style fill solid 0.25
set grid ytics
set xrange [-0.7:nalts-0.3]
set yrange [0:*]
# money as finance reads it: 950.0, 1.5k, 2.3M (the unit is in the label)
set format y "%.1s%c"
unset key
plot 'cost_per_outcome.dat' using 1:4:3:7:6:xticlabels(2) with candlesticks whiskerbars lw 1.5, \
     '' using 1:5:5:5:5 with candlesticks lw 3 lc rgb 'black', \
     '' using 1:8 with points pt 7 ps 1.2 lc rgb 'dark-red'
