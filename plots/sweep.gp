# capmix: a statistic of every alternative along a swept parameter, with the
# P10-P90 band of the metric, and the solved crossings marked.
# Data: sweep.csv: value, then per alternative: stat, se, p10, p90.
if (!exists("outfile")) outfile = 'sweep.png'
# svg = 1 (set by capmix for report.html) draws an SVG instead of a PNG
if (exists("svg")) set terminal svg size 960,600 noenhanced font ",10" background rgb 'white'; else set terminal pngcairo size 960,600 noenhanced font ",10"
set output outfile
set datafile separator ','
set title sprintf("%s: %s against %s", scenario, metric_label, param)
set xlabel param
set ylabel metric_label
set key outside right top
set grid
set style fill transparent solid 0.15 noborder
set format y "%.4g"
plot for [i=0:nalts-1] 'sweep.csv' using 1:(column(4+4*i)):(column(5+4*i)) with filledcurves notitle lc i+1, \
     for [i=0:nalts-1] 'sweep.csv' using 1:(column(2+4*i)) with linespoints lw 2 pt 7 ps 0.6 lc i+1 title columnheader(2+4*i)
