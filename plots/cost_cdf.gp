# capmix: cumulative distribution of cost per alternative.
# Data: cost_cdf.dat, one block per alternative (two blank lines between),
# columns: probability, cost_total, blended_cost.  Draw with
#     gnuplot cost_cdf.gp
if (!exists("outfile")) outfile = 'cost_cdf.png'
# svg = 1 (set by capmix for report.html) draws an SVG instead of a PNG
if (exists("svg")) set terminal svg size 960,600 noenhanced font ",10" background rgb 'white'; else set terminal pngcairo size 960,600 noenhanced font ",10"
set output outfile
set title sprintf("%s: %s by alternative", scenario, metric_label)
set xlabel metric_label . ' (' . currency . ')'
set ylabel 'probability cost is at most x'
set key bottom right
set grid
set yrange [0:1]
# money as finance reads it: 950.0, 1.5k, 2.3M (the unit is in the label)
set format x "%.1s%c"
plot for [i=0:nalts-1] 'cost_cdf.dat' index i using (column(metric_col)):1 with lines lw 2 title columnheader(1)
