/* generated from the plots folder by sim/embed_plots.sh: do not edit */
#include <stddef.h>
const struct plot_tmpl { const char *name; const char *text; } plot_templates_gen[] = {
    {"cost_cdf",
     "# capmix: cumulative distribution of cost per alternative.\n"
     "# Data: cost_cdf.dat, one block per alternative (two blank lines between),\n"
     "# columns: probability, cost_total, blended_cost.  Draw with\n"
     "#     gnuplot cost_cdf.gp\n"
     "if (!exists(\"outfile\")) outfile = 'cost_cdf.png'\n"
     "set terminal pngcairo size 960,600 noenhanced font \",10\"\n"
     "set output outfile\n"
     "set title sprintf(\"%s: %s by alternative\", scenario, metric_label)\n"
     "set xlabel metric_label . ' (' . currency . ')'\n"
     "set ylabel 'probability cost is at most x'\n"
     "set key bottom right\n"
     "set grid\n"
     "set yrange [0:1]\n"
     "set format x \"%.0f\"\n"
     "plot for [i=0:nalts-1] 'cost_cdf.dat' index i using (column(metric_col)):1 with lines lw 2 title columnheader(1)\n"
    },
    {"cost_per_outcome",
     "# capmix: cost per accepted outcome by alternative: box P25–P75, whiskers\n"
     "# P10–P90, line at the median, point at the mean.\n"
     "# Data: cost_per_outcome.dat: index, name, p10, p25, p50, p75, p90, mean.\n"
     "if (!exists(\"outfile\")) outfile = 'cost_per_outcome.png'\n"
     "set terminal pngcairo size 960,600 noenhanced font \",10\"\n"
     "set output outfile\n"
     "set title sprintf(\"%s: cost per accepted outcome (P10-P90, P25-P75, median, mean)\", scenario)\n"
     "set ylabel 'cost per accepted outcome (' . currency . ')'\n"
     "set boxwidth 0.5\n"
     "set style fill solid 0.25\n"
     "set grid ytics\n"
     "set xrange [-0.7:nalts-0.3]\n"
     "set yrange [0:*]\n"
     "set format y \"%.0f\"\n"
     "unset key\n"
     "plot 'cost_per_outcome.dat' using 1:4:3:7:6:xticlabels(2) with candlesticks whiskerbars lw 1.5, \\\n"
     "     '' using 1:5:5:5:5 with candlesticks lw 3 lc rgb 'black', \\\n"
     "     '' using 1:8 with points pt 7 ps 1.2 lc rgb 'dark-red'\n"
    },
    {NULL, NULL},
};
