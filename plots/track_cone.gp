# capmix: the forecast cone of a running alternative — the final cost
# re-forecast from the ledger up to each month (P10-P90 band and median)
# against the actual cumulative spend, and the envelope.
# Data: cone.dat: month, final cost P10, P50, P90, actual spend to date.
if (!exists("outfile")) outfile = datafile[1:strlen(datafile)-4] . '.png'
if (exists("svg")) set terminal svg size 960,600 noenhanced font ",10" background rgb 'white'; else set terminal pngcairo size 960,600 noenhanced font ",10"
set output outfile
set title sprintf("%s: %s, final cost re-forecast at each month (P10-P90, median) and the actual spend", scenario, alt)
set xlabel 'month of the ledger'
set ylabel 'cost (' . currency . ')'
set key top left
set grid
# money as finance reads it: 950.0, 1.5k, 2.3M (the unit is in the label)
set format y "%.1s%c"
set xtics 1
set style fill transparent solid 0.25 noborder
plot datafile using 1:2:4 with filledcurves lc rgb 'steelblue' title 'final cost P10-P90', \
     '' using 1:3 with linespoints lw 2 pt 7 lc rgb 'steelblue' title 'final cost P50', \
     '' using 1:5 with linespoints lw 2 pt 5 lc rgb 'black' title 'actual spend to date', \
     envelope with lines dt 2 lw 2 lc rgb 'dark-red' title 'envelope ' . gprintf('%.1s%c', envelope)
