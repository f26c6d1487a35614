# Run every *.test file here with tcltest; prints
# "all.tcl: Total N Passed P Skipped S Failed F".
package require tcltest 2
tcltest::configure -testdir [file dirname [file normalize [info script]]] {*}$argv
tcltest::runAllTests
