# capmix: burn fan of a portfolio's selection: P10-P90 band, median and
# mean of cumulative spend at every month end, and the budget.
# Data: portfolio_fan.dat: month, mean, P10, P50, P90.
if (!exists("outfile")) outfile = datafile[1:strlen(datafile)-4] . '.png'
# svg = 1 (set by capmix for report.html) draws an SVG instead of a PNG
if (exists("svg")) set terminal svg size 960,600 noenhanced font ",10" background rgb 'white'; else set terminal pngcairo size 960,600 noenhanced font ",10"
set output outfile
set title sprintf("portfolio %s: cumulative spend of the selection by month (P10-P90, median, mean)", portfolio)
set xlabel 'month'
set ylabel 'cumulative spend (' . currency . ')'
set key bottom right
set grid
# money as finance reads it: 950.0, 1.5k, 2.3M (the unit is in the label)
set format y "%.1s%c"
set style fill transparent solid 0.25 noborder
plot datafile using 1:3:5 with filledcurves lc rgb 'steelblue' title 'spend P10-P90', \
     '' using 1:4 with lines lw 2 lc rgb 'steelblue' title 'spend P50', \
     '' using 1:2 with lines dt 3 lw 2 lc rgb 'black' title 'mean', \
     budget with lines dt 2 lw 2 lc rgb 'dark-red' title sprintf('budget %s (P%.0f)', gprintf('%.1s%c', budget), 100*conf)
