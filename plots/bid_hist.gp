# capmix: histogram of the bid's cost against the best capacity mix's, with
# the bid price and the break-even price marked.
# Data: bid_hist.dat: bin centre, then the share of trials in the bin for
# each of the two alternatives.
if (!exists("outfile")) outfile = 'bid_hist.png'
# svg = 1 (set by capmix for report.html) draws an SVG instead of a PNG
if (exists("svg")) set terminal svg size 960,600 noenhanced font ",10" background rgb 'white'; else set terminal pngcairo size 960,600 noenhanced font ",10"
set output outfile
set title sprintf("%s: %s, share of trials per bin", scenario, metric_label)
set xlabel metric_label . ' (' . currency . ')'
set ylabel 'share of trials'
set key top right
set grid ytics
set style fill transparent solid 0.45 noborder
# money as finance reads it: 950.0, 1.5k, 2.3M (the unit is in the label)
set format x "%.1s%c"
set arrow 1 from price, graph 0 to price, graph 1 nohead lw 2 dt 2 lc rgb 'dark-red'
set label 1 'bid price' at price, graph 0.95 offset 0.5,0 tc rgb 'dark-red'
set arrow 2 from breakeven, graph 0 to breakeven, graph 1 nohead lw 2 dt 3 lc rgb 'dark-green'
set label 2 be_label at breakeven, graph 0.88 offset 0.5,0 tc rgb 'dark-green'
plot 'bid_hist.dat' using 1:2 with boxes title columnheader(2), \
     '' using 1:3 with boxes title columnheader(3)
