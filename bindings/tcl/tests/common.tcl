# What the test files share: the package, a fresh directory for pools under
# $PK_TEST_DIR (default /dev/shm) removed at the end, helpers.
package require tcltest 2
namespace import ::tcltest::*
package require pmemkit

set ::pkdir [file join [expr {[info exists ::env(PK_TEST_DIR)] ? $::env(PK_TEST_DIR) : "/dev/shm"}] \
    pmemkit-tcl-[pid]-[file rootname [file tail [info script]]]]
file mkdir $::pkdir
set ::pkn 0
proc pool_path {{name test}} { file join $::pkdir $name-[incr ::pkn].pool }
proc new_pool {} { pmemkit::pool create [pool_path] -size [expr {32 << 20}] }
# the errorCode of a script's error
proc errcode {script} {
    if {![catch {uplevel 1 $script} msg opts]} { return "no error" }
    dict get $opts -errorcode
}
proc cleanup_pools {} { file delete -force $::pkdir }
testConstraint python [expr {[info exists ::env(PK_PYTHON)] && $::env(PK_PYTHON) ne ""}]
