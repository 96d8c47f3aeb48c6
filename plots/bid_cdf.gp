# capmix: the bid's cost distribution against the capacity mixes', with the
# bid price and the break-even price marked.
# Data: bid_cdf.dat, one block per alternative (two blank lines between),
# columns: probability, cost.
if (!exists("outfile")) outfile = 'bid_cdf.png'
# svg = 1 (set by capmix for report.html) draws an SVG instead of a PNG
if (exists("svg")) set terminal svg size 960,600 noenhanced font ",10" background rgb 'white'; else set terminal pngcairo size 960,600 noenhanced font ",10"
set output outfile
set title sprintf("%s: %s, fixed bid against doing the work", scenario, metric_label)
set xlabel metric_label . ' (' . currency . ')'
set ylabel 'probability cost is at most x'
set key bottom right
set grid
set yrange [0:1]
# money as finance reads it: 950.0, 1.5k, 2.3M (the unit is in the label)
set format x "%.1s%c"
set arrow 1 from price, graph 0 to price, graph 1 nohead lw 2 dt 2 lc rgb 'dark-red'
set label 1 'bid price' at price, graph 0.95 offset 0.5,0 tc rgb 'dark-red'
set arrow 2 from breakeven, graph 0 to breakeven, graph 1 nohead lw 2 dt 3 lc rgb 'dark-green'
set label 2 be_label at breakeven, graph 0.88 offset 0.5,0 tc rgb 'dark-green'
plot for [i=0:nblocks-1] 'bid_cdf.dat' index i using 2:1 with lines lw 2 title columnheader(1)
