# capmix: the break-even curve between two alternatives: for each x, the y at
# which their statistics are equal, with its interval; one side of the
# curve is where each alternative wins (the lower statistic).
# Data: breakeven.csv: x, y*, lo, hi.
if (!exists("outfile")) outfile = 'breakeven.png'
# svg = 1 (set by capmix for report.html) draws an SVG instead of a PNG
if (exists("svg")) set terminal svg size 960,600 noenhanced font ",10" background rgb 'white'; else set terminal pngcairo size 960,600 noenhanced font ",10"
set output outfile
set datafile separator ','
set title sprintf("%s: where %s of '%s' equals that of '%s'", scenario, metric_label, alt_a, alt_b)
set xlabel xparam
set ylabel yparam
set key top left
set grid
set xrange [xlo:xhi]
set yrange [ylo:yhi]
set style fill transparent solid 0.25 noborder
set label 1 above_label at graph 0.6, graph 0.92
set label 2 below_label at graph 0.6, graph 0.08
plot 'breakeven.csv' using 1:3:4 with filledcurves lc rgb 'steelblue' title 'interval', \
     '' using 1:2 with linespoints lw 2 pt 7 ps 0.6 lc rgb 'navy' title 'break-even'
