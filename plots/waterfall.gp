# capmix: a waterfall of one figure of one alternative between two
# scenarios — the OLD value, each change switched on in turn (red up,
# green down), and the NEW value; the steps add up to the total exactly.
# Data: waterfall.dat (tab-separated): position, label, bar start, bar
# end, kind (0 an end, 1 a rise, 2 a fall).
if (!exists("outfile")) outfile = datafile[1:strlen(datafile)-4] . '.png'
if (exists("svg")) set terminal svg size 960,600 noenhanced font ",10" background rgb 'white'; else set terminal pngcairo size 960,600 noenhanced font ",10"
set output outfile
set datafile separator "\t"
set title sprintf("%s: %s of '%s', change by change", scenario, figure, alt)
# money axes as finance reads them (capmix sets scale and unit from the
# largest bar: 1, 1e3 'k' or 1e6 'M'); a probability in percent
set ylabel money ? figure . ' (' . currency . ')' : figure . ' (%)'
sym = currency eq 'USD' ? '$' : (currency eq 'EUR' ? 'EUR ' : (currency eq 'GBP' ? 'GBP ' : ''))
if (money) set format y sym . '%g' . unit; else set format y '%g%%'
set grid ytics
set key off
set xtics rotate by 30 right
set style fill solid 0.8 border -1
set offsets 0.5, 0.5, 0, 0
plot datafile using 1:($3/scale):($1-0.4):($1+0.4):((($3<$4)?$3:$4)/scale):((($3<$4)?$4:$3)/scale):($5==0?0x4682b4:($5==1?0xb22222:0x2e8b57)):xtic(2) \
     with boxxyerror lc rgb variable
