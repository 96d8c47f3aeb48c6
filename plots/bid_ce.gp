# capmix: certainty equivalent of each alternative against the sponsor's
# risk tolerance (exponential utility).  Where the bid's line crosses a
# mix's is the tolerance below which the bid is worth its price.
# Data: bid_ce.dat: risk tolerance, then one CE column per alternative.
if (!exists("outfile")) outfile = 'bid_ce.png'
# svg = 1 (set by capmix for report.html) draws an SVG instead of a PNG
if (exists("svg")) set terminal svg size 960,600 noenhanced font ",10" background rgb 'white'; else set terminal pngcairo size 960,600 noenhanced font ",10"
set output outfile
set title sprintf("%s: certainty equivalent of %s against risk tolerance", scenario, metric_label)
set xlabel 'risk tolerance (' . currency . ', log scale)'
set ylabel 'certainty equivalent (' . currency . ')'
set logscale x
set key top right
set grid
set format x "%.1s%c"
set format y "%.1s%c"
plot for [i=2:ncols] 'bid_ce.dat' using 1:i with lines lw 2 title columnheader(i)
