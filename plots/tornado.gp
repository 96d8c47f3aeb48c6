# capmix: tornado chart: the statistic with each uncertain input held at its
# P10 and at its P90 (all else random, the same random numbers), widest
# swing at the top; the line is the statistic with every input random.
# Data: tornado.csv: rank, input, value at P10, value at P90, low, high, swing.
if (!exists("outfile")) outfile = 'tornado.png'
# svg = 1 (set by capmix for report.html) draws an SVG instead of a PNG
if (exists("svg")) set terminal svg size 960,600 noenhanced font ",10" background rgb 'white'; else set terminal pngcairo size 960,600 noenhanced font ",10"
set output outfile
set datafile separator ','
set title sprintf("%s: what drives %s of '%s'", scenario, metric_label, alt)
set xlabel metric_label
set yrange [ninputs+0.7:0.3]
set grid xtics
set style fill solid 0.6 noborder
set format x "%.6g"
unset key
set arrow from base, graph 0 to base, graph 1 nohead lw 2 dt 2 lc rgb 'black'
plot 'tornado.csv' every ::1 using (($5+$6)/2):1:(($6-$5)/2):(0.35):ytic(2) with boxxyerror lc rgb 'steelblue'
