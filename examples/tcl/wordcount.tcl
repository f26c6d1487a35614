#!/usr/bin/env tclsh
# wordcount.tcl -- count words across runs: the counts live in a pool, so
# every run adds to what the previous ones counted.
#
# Run it from a build tree (after `make`), on emulated persistent memory:
#   export PMEM_IS_PMEM_FORCE=1 TCLLIBPATH=bindings/tcl/pkg
#   echo "the cat and the hat" | tclsh examples/tcl/wordcount.tcl /dev/shm/words.pool
#   echo "the end" | tclsh examples/tcl/wordcount.tcl /dev/shm/words.pool
# (once installed, without TCLLIBPATH). Prints the counts, most frequent first.
package require pmemkit

lassign $argv path
if {$path eq ""} {
    puts stderr "usage: wordcount.tcl POOL < text"
    exit 2
}
if {[file exists $path]} {
    set pool [pmemkit::pool open $path]
} else {
    set pool [pmemkit::pool create $path -size [expr {16 << 20}]]
}
set root [$pool root]
if {![$root exists counts]} { $root set -dict counts {} }
set counts [$root get counts]

# one transaction per run: a crash counts all of the input or none of it
$pool transaction {
    foreach word [regexp -all -inline {\w+} [string tolower [read stdin]]] {
        # one atomic store per word; -string: a word of digits is text too
        $counts incr -string $word
    }
}
foreach {word n} [lsort -stride 2 -index 1 -integer -decreasing [$counts dict]] {
    puts "$n $word"
}
$pool close
