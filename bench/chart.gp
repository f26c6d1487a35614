# chart.gp -- cost per operation against table size from the CSV that
# `pk_bench --scale --csv` and `pk_bench.py --scale --csv` write:
#   gnuplot -e "csv='bench-scale.csv'; png='bench-scale.png'" bench/chart.gp
# Two panels (put, each in its own transaction; get), log-log, one line per
# system that has rows in the CSV.
if (!exists("csv")) csv = "bench-scale.csv"
if (!exists("png")) png = "bench-scale.png"
systems = "pmemkit naive lmdb py-pmemkit py-lmdb pypy-pmemkit"
medium = system(sprintf("sed -n 2p '%s' | cut -d, -f1", csv))
# C solid, CPython dashed, PyPy dotted
dash(s) = s[1:4] eq "pypy" ? 3 : s[1:3] eq "py-" ? 2 : 1
rows(s, op) = sprintf("< awk -F, '$2 == \"%s\" && $3 == \"%s\"' '%s'", s, op, csv)

set terminal pngcairo size 1200,520 font ",10"
set output png
set datafile separator ","
set logscale xy
set format x "%.0s%c"
set format y "%.0f"
set grid
set key top left
set xlabel "entries in the table"
set ylabel "ns per operation"
set multiplot layout 1,2 title sprintf("pmemkit benchmark, medium %s", medium)
set title "put, each in its own transaction"
plot for [s in systems] rows(s, "put_tx") using 4:5 with linespoints dt dash(s) title s
set title "get of a random present key"
plot for [s in systems] rows(s, "get") using 4:5 with linespoints dt dash(s) title s
unset multiplot
