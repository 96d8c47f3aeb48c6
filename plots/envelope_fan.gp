# capmix: burn fan chart of one alternative: P10-P90 band and median of
# cumulative spend at every month end, the envelope as a horizontal line,
# and the median accepted outcomes on the right axis.
# Data: fan_NAME.dat: month, day, spend P10, P50, P90, accepted P10, P50, P90.
if (!exists("outfile")) outfile = datafile[1:strlen(datafile)-4] . '.png'
# svg = 1 (set by capmix for report.html) draws an SVG instead of a PNG
if (exists("svg")) set terminal svg size 960,600 noenhanced font ",10" background rgb 'white'; else set terminal pngcairo size 960,600 noenhanced font ",10"
set output outfile
set title sprintf("%s: %s, cumulative spend by month (P10-P90, median) and the P%.0f envelope", scenario, alt, 100*conf)
set xlabel 'month'
set ylabel 'cumulative spend (' . currency . ')'
set y2label 'accepted outcomes (median)'
set ytics nomirror
set y2tics
set key bottom right
set grid
# money as finance reads it: 950.0, 1.5k, 2.3M (the unit is in the label)
set format y "%.1s%c"
set style fill transparent solid 0.25 noborder
plot datafile using 1:3:5 with filledcurves lc rgb 'steelblue' title 'spend P10-P90', \
     '' using 1:4 with lines lw 2 lc rgb 'steelblue' title 'spend P50', \
     envelope with lines dt 2 lw 2 lc rgb 'dark-red' title 'envelope ' . gprintf('%.1s%c', envelope), \
     '' using 1:7 axes x1y2 with lines lw 2 lc rgb 'dark-green' title 'accepted P50'
