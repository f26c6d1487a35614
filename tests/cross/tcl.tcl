# The Tcl package's part of the cross-language test (README.md here):
# `tcl.tcl write POOL` stores the data set, `tcl.tcl dump POOL` prints
# every value of a pool in the dump format.
package require pmemkit

# a record class: its declared variables are the attributes
oo::class create Point {
    superclass ::pmemkit::Record
    variable x y
}

proc write {path} {
    pmemkit::register Point -class Point
    set p [pmemkit::pool create $path]
    set r [$p root]
    $p transaction {
        # a value's string decides its type: numbers are numbers
        $r set int -7
        $r set int64max 9223372036854775807
        $r set big 1267650600228229401496703205376
        $r set negbig [expr {-(2**70)}]
        $r set float 2.5
        $r set ascii hello
        $r set text "\u00fcn\u00ef \u20ac"
        # what Tcl cannot say by the string: digits as text, bools, nil
        $r set -string digits 12
        $r set nul "a\0b"
        $r set bytes [binary format H* 00ff41]
        $r set -bool yes true
        $r set -bool no false
        $r set -nil nil
        $r set -list list {1 two 3.5}
        [$r get list] append -list {}
        [$r get list] append -dict {}
        $r set -tree map {a 1 b {-dict {c {-list {{-bool true} -nil}}}}}
        $r set -dict intkeys {7 seven -1 {minus one}}
        $r set i32 [$p newarray i32 -values {1 -2 3}]
        $r set f64 [$p newarray f64 -values {0.5 -1.25}]
        # records and blocks are byte strings: plain literals
        $r set log [$p newlog [list "" "a\0b" xyz]]
        set blocks [$p newblocks 512 2]
        $blocks set 0 hello
        $r set blocks $blocks
        # a list stored as a set: -set says it (a Tcl list is a list)
        $r set -set set [list 7 seven [binary format H* 07]]
        # a Tcl list is text: -tuple says a key is a tuple (its items
        # typed by their strings, a nested tuple as {-tuple ITEMS})
        set tk [$p newmap]
        $tk set -tuple {1 a} x
        $tk set -tuple [list 2 [list -tuple [list 3.5 [binary format H* 04]]]] 2
        # a frozen set as a key: -keytype frozenset in a map's set (its
        # -frozenset is the value's), -frozenset elsewhere
        $tk set -keytype frozenset {b 2} 3
        $r set tuplekeys $tk
        $r set record [$p newrecord Point {x 1 y 2.5}]
        # a sorted map: a dict's keys are text, so bytes go in by set
        # (a byte array is bytes)
        set s [$p newsortedmap {b 2 1 one}]
        $s set [binary format H* 01] 2.5
        $r set sorted $s
    }
    $p close
}

proc hexof {s} {
    if {$s eq ""} { return - }
    binary scan $s H* h
    return $h
}

# a key with its stored type ([$map keys -types]: {tuple ITEMTYPE ...}
# for a tuple, {frozenset ITEMTYPE ...} for a frozen set, whose items
# print as keys do, and floats, booleans, nil)
proc key {k type} {
    switch -- [lindex $type 0] {
        string { return s:[hexof [encoding convertto utf-8 $k]] }
        bytes { return b:[hexof $k] }
        int - bigint { return i:$k }
        double { return f:[hexof [binary format Q $k]] }
        bool - nil { return [expr {$type eq "nil" ? "nil" : $k}] }
        tuple {
            set items [lmap item $k t [lrange $type 1 end] { key $item $t }]
            return "t:([join $items ,])"
        }
        frozenset {
            set items [lmap item $k t [lrange $type 1 end] { key $item $t }]
            return "fs:{[join $items ,]}"
        }
        default { error "a key of type $type" }
    }
}
# the arguments that find key K of type TYPE: ?-TYPE? K
proc keyargs {k type} {
    if {[lindex $type 0] in {tuple frozenset}} {
        return [list -[lindex $type 0] [pmemkit::tuplespec $k $type]]
    }
    list -$type $k
}

# a scalar with its stored type ([$map type KEY], [$list type I])
proc scalar {v type} {
    switch -- $type {
        nil { return nil }
        bool { return "bool $v" }
        int - bigint { return "int $v" }
        double { return "float [hexof [binary format Q $v]]" }
        string { return "str [hexof [encoding convertto utf-8 $v]]" }
        bytes { return "bytes [hexof $v]" }
        default { error "a value of type $type" }
    }
}

proc dump {path v type} {
    switch -- $type {
        map - sorted {
            # (a sorted map's keys come in key order: @i is the index)
            puts "$path $type [$v size]"
            set i 0
            foreach kt [$v keys -types] {
                lassign $kt k t
                if {$type eq "sorted"} { puts "$path@$i [key $k $t]"; incr i }
                dump $path/[key $k $t] [$v get {*}[keyargs $k $t]] [$v type {*}[keyargs $k $t]]
            }
        }
        list {
            puts "$path list [$v size]"
            $v foreach {i x} { dump $path\[$i\] $x [$v type $i] }
        }
        array {
            set t [$v type]
            puts "$path array $t [$v size]"
            set ft [expr {$t in {f32 f64} ? "double" : "int"}]
            $v foreach {i x} { puts "$path\[$i\] [scalar $x $ft]" }
        }
        log {
            puts "$path log [$v size]"
            set i 0
            $v foreach rec { puts "$path\[$i\] [scalar $rec bytes]"; incr i }
        }
        blocks {
            puts "$path blocks [$v blocksize] [$v size]"
            $v foreach {i blk} { puts "$path\[$i\] [scalar $blk bytes]" }
        }
        set {
            puts "$path set [$v size]"
            foreach et [$v members -types] {
                lassign $et e t
                puts "$path/[key $e $t] member"
            }
        }
        record {
            puts "$path record [hexof [encoding convertto utf-8 [$v class]]] [$v size]"
            foreach n [$v names] {
                dump $path/[key $n string] [$v get $n] [$v type $n]
            }
        }
        default {
            if {[lindex $type 0] in {tuple frozenset}} {
                puts "$path [lindex $type 0] [llength $v]"
                set i 0
                foreach x $v t [lrange $type 1 end] { dump $path\[$i\] $x $t; incr i }
            } else {
                puts "$path [scalar $v $type]"
            }
        }
    }
}

lassign $argv cmd path
if {[llength $argv] != 2 || $cmd ni {write dump}} {
    puts stderr "usage: tcl.tcl write|dump POOL"
    exit 2
}
if {$cmd eq "write"} {
    write $path
} else {
    set p [pmemkit::pool open $path]
    dump . [$p root] map
    $p close
}
