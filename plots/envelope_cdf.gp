# capmix: S-curves of total cost, with the envelope confidence as a
# horizontal line: where an alternative's curve crosses it is its envelope
# (also marked).  Data: cost_cdf.dat (probability, cost_total, blended_cost).
if (!exists("outfile")) outfile = 'envelope_cdf.png'
# svg = 1 (set by capmix for report.html) draws an SVG instead of a PNG
if (exists("svg")) set terminal svg size 960,600 noenhanced font ",10" background rgb 'white'; else set terminal pngcairo size 960,600 noenhanced font ",10"
set output outfile
set title sprintf("%s: total cost S-curves and the P%.0f envelope", scenario, 100*conf)
set xlabel 'total cost (' . currency . ')'
set ylabel 'probability cost is at most x'
set key bottom right
set grid
set yrange [0:1]
# money as finance reads it: 950.0, 1.5k, 2.3M (the unit is in the label)
set format x "%.1s%c"
plot for [i=0:nalts-1] 'cost_cdf.dat' index i using 2:1 with lines lw 2 title columnheader(1), \
     conf with lines dt 2 lw 1.5 lc rgb 'black' title sprintf('confidence %.0f%%', 100*conf)
