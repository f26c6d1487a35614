# pmemkit.tcl -- the Tcl commands of the pmemkit package, on the C layer
# (the pk_* commands SWIG makes in namespace ::pmemkit; see pmemkit.i).
#
#   set pool [pmemkit::pool create /dev/shm/my.pool -size 64000000]
#   set root [$pool root]                ;# a map object
#   $root set name Alice
#   $pool transaction { $root set n [expr {[$root get n 0] + 1}] }
#   $pool close
#
# Pools, maps, lists and typed arrays are TclOO objects. A pool owns the
# objects of its containers (one per container: reading the same one again
# gives the same command) and destroys them when it is closed.

namespace eval ::pmemkit {
    variable version 0.1.0
    variable DEFAULT_SIZE [expr {64 << 20}]
    variable MIN_SIZE $::pmemkit::PK_POOL_MIN_SIZE
    namespace export pool
}

# ---- errors ----------------------------------------------------------------

# Raise the error of a return code, as the C layer does: errorCode
# {PMEMKIT <class> <code> <message>}.
proc ::pmemkit::Throw {code {message ""}} {
    if {$message eq ""} {
        set message [pk_strerror $code]
    }
    return -code error -level 2 \
        -errorcode [list PMEMKIT [pk_error_class $code] $code $message] $message
}

# The rows of a table of the C library (pk_error_table, pk_elem_table,
# pk_flag_table), each a list of the FIELDS asked for: every Tcl table of
# errors, element types and flags is made from them, at load time.
proc ::pmemkit::_rows {table row fields} {
    set rows {}
    for {set i 0} {[set r [::pmemkit::$table $i]] ne "NULL"} {incr i} {
        lappend rows [lmap f $fields { ::pmemkit::${row}_${f}_get $r }]
    }
    return $rows
}

namespace eval ::pmemkit {
    # {name code class message} rows of the error table (PK_ERROR_TABLE)
    variable ERRORS [_rows pk_error_table pk_error_row {name code cls message}]
}

# {name code class message} rows of the error table; class names of it
proc ::pmemkit::errors {} { variable ERRORS; return $ERRORS }
proc ::pmemkit::error_classes {} {
    variable ERRORS
    lsort -unique [lmap row $ERRORS {lindex $row 2}]
}

# ---- values ----------------------------------------------------------------

# minimal little-endian two's complement bytes of an integer
proc ::pmemkit::_bigint_bytes {n} {
    if {![string is entier -strict $n]} {
        return -code error -errorcode {PMEMKIT Value} "expected an integer but got \"$n\""
    }
    set bytes {}
    while {1} {
        lappend bytes [expr {$n & 0xff}]
        set n [expr {$n >> 8}]
        set top [lindex $bytes end]
        if {($n == 0 && $top < 0x80) || ($n == -1 && $top >= 0x80)} break
    }
    binary format c* $bytes
}

proc ::pmemkit::_bigint_from_bytes {bytes} {
    binary scan $bytes cu* list
    set n 0
    foreach b [lreverse $list] {
        set n [expr {($n << 8) | $b}]
    }
    if {[llength $list] && [lindex $list end] >= 0x80} {
        set n [expr {$n - (1 << (8 * [llength $list]))}]
    }
    return $n
}

# the Tcl value of a {type value} pair read from $pool
proc ::pmemkit::_value {pool pair} {
    lassign $pair t v
    switch -- $t {
        map - list - array { return [$pool _wrap $t $v] }
        bigint { return [_bigint_from_bytes $v] }
        log - unknown {
            Throw $::pmemkit::PK_EKIND \
                "pmemkit: a value of a kind the Tcl module cannot read yet ($t)"
        }
        default { return $v }
    }
}

# The form of a value to hand to the C layer. $type: what the caller asked
# for (-int, ...), or "" for the rules of the internal representation; a
# container command of this pool stores a reference to it.
proc ::pmemkit::_encode {pool type value} {
    switch -- $type {
        "" {
            if {[$pool _owns $value]} {
                return [_typed [$value kind] [$value _ref]]
            }
            return $value
        }
        dict { return [_typed map [[$pool newmap $value] _ref]] }
        list { return [_typed list [[$pool newlist $value] _ref]] }
        bigint { return [_typed int $value] }
        default { return [_typed $type $value] }
    }
}

# A key to hand to the C layer: a container command of this pool as its
# reference (which C refuses as a key: PMEMKIT KeyType).
proc ::pmemkit::_key {pool key} {
    if {[$pool _owns $key]} {
        return [_typed [$key kind] [$key _ref]]
    }
    return $key
}

# Split leading type options (-nil -bool -int -double -string -bytes
# -bigint, and -dict/-list for values) from the arguments. (Comparing
# with "in" only reads the strings: [string match] could change the
# representation of a key or value, and so its type.)
proc ::pmemkit::_typeopt {argsVar {containers 1}} {
    upvar 1 $argsVar args
    set type ""
    set names {-nil -bool -int -double -string -bytes -bigint}
    if {$containers} { lappend names -dict -list }
    while {[llength $args]} {
        set o [lindex $args 0]
        if {$o eq "--"} { set args [lrange $args 1 end]; break }
        if {$o ni $names} break
        set type [string range $o 1 end]
        set args [lrange $args 1 end]
    }
    return $type
}

# an index: an integer, end, or end-N
proc ::pmemkit::_index {i} {
    if {[string is entier -strict $i]} { return $i }
    if {$i eq "end"} { return -1 }
    if {[regexp {^end-(\d+)$} $i -> n]} { return [expr {-1 - $n}] }
    return -code error "bad index \"$i\": must be an integer, end or end-N"
}

# The body of the foreach methods: each entry of cursor $c as the values
# of $vars in the caller's caller, then $script there.
proc ::pmemkit::_loop {pool c vars script {entries {0 1}}} {
    try {
        while {[llength [set e [pk_cursor_next $c]]]} {
            set vals [list [_value $pool [lrange $e 0 1]] [_value $pool [lrange $e 2 3]]]
            set vals [lmap i $entries {lindex $vals $i}]
            uplevel 2 [list lassign $vals {*}$vars]
            set code [catch {uplevel 2 $script} res opts]
            switch -- $code {
                0 - 4 {}
                3 { break }
                default {
                    dict incr opts -level 2
                    return -options $opts $res
                }
            }
        }
    } finally {
        pk_cursor_free $c
    }
}

# ---- pools -----------------------------------------------------------------

# pmemkit::pool create PATH ?-size BYTES? ?-mode MODE?
# pmemkit::pool open PATH
proc ::pmemkit::pool {subcommand path args} {
    variable DEFAULT_SIZE
    switch -- $subcommand {
        create {
            set opts [dict merge [dict create -size $DEFAULT_SIZE -mode 0600] $args]
            dict for {k v} $opts {
                if {$k ni {-size -mode}} {
                    return -code error "bad option \"$k\": must be -size or -mode"
                }
            }
            set h [pk_pool_create $path [dict get $opts -size] [dict get $opts -mode]]
        }
        open {
            if {[llength $args]} {
                return -code error "wrong # args: should be \"pmemkit::pool open path\""
            }
            set h [pk_pool_open $path]
        }
        default {
            return -code error "bad subcommand \"$subcommand\": must be create or open"
        }
    }
    return [Pool new $h $path]
}

oo::class create ::pmemkit::Pool {
    variable h path objects owned

    constructor {handle p} {
        set h $handle
        set path $p
        set objects [dict create]
        array set owned {}
    }

    # closing the pool aborts a transaction still open (and then raises
    # PMEMKIT Transaction, after closing)
    destructor {
        foreach o [dict values $objects] {
            catch {$o destroy}
        }
        if {$h ne ""} {
            set hh $h
            set h ""
            ::pmemkit::pk_pool_close $hh
        }
    }

    method close {} { my destroy }
    method path {} { return $path }

    method root {} {
        set r [::pmemkit::pk_pool_root $h]
        set ref [::pmemkit::pk_map_value $r]
        ::pmemkit::pk_map_close $r
        my _wrap map [lindex $ref 1]
    }

    # $pool transaction SCRIPT: commits when the script ends, aborts when
    # it raises an error (and re-raises it). Nesting is flat.
    method transaction {script} {
        ::pmemkit::pk_tx_begin $h
        set code [catch {uplevel 1 $script} res opts]
        if {$h eq ""} {
            # closed inside: the transaction was aborted
        } elseif {$code == 1} {
            catch {::pmemkit::pk_tx_abort $h}
        } else {
            ::pmemkit::pk_tx_commit $h
        }
        if {$code == 0} { return $res }
        dict incr opts -level
        return -options $opts $res
    }

    method depth {} { ::pmemkit::pk_tx_depth $h }

    # new containers, unreferenced until stored (gc frees them otherwise)
    method newmap {{dict {}}} {
        set m [my _adopt map [::pmemkit::pk_map_new $h]]
        if {[dict size $dict]} {
            my transaction { dict for {k v} $dict { $m set $k $v } }
        }
        return $m
    }
    method newlist {{list {}}} {
        set l [my _adopt list [::pmemkit::pk_list_new $h]]
        if {[llength $list]} { $l append {*}$list }
        return $l
    }
    # $pool newarray TYPE LENGTH ?-width W? | TYPE -values LIST ?-width W?
    method newarray {type args} {
        set width 0
        set values ""
        set length ""
        while {[llength $args]} {
            set args [lassign $args a]
            switch -- $a {
                -width { set args [lassign $args width] }
                -values { set args [lassign $args values]; set length [llength $values] }
                default { set length $a }
            }
        }
        if {$length eq ""} {
            return -code error "wrong # args: should be \"pool newarray type length|-values list ?-width w?\""
        }
        set elem [::pmemkit::Array::elem $type]
        if {$type eq "bytes"} {
            if {$width < 1} { return -code error "bytes elements need -width N" }
        } else {
            set width 0
        }
        set init ""
        if {$values ne ""} { set init [::pmemkit::Array::pack $type $width $values] }
        my _adopt array [::pmemkit::pk_array_new $h $elem $width $length $init]
    }

    method gc {} { ::pmemkit::pk_pool_gc $h }

    # map every page of the pool now (no first-touch page faults later)
    method prefault {} { ::pmemkit::pk_pool_prefault $h; return }

    # a dict of the report's counts, plus ok (1 for a healthy pool)
    method check {} {
        lassign [::pmemkit::pk_pool_check $h] code rep
        set r [dict create]
        foreach f {objects reachable leaked dangling refcounts damaged} {
            dict set r $f [::pmemkit::pk_check_report_${f}_get $rep]
        }
        ::pmemkit::delete_pk_check_report $rep
        dict set r ok [expr {$code == 0}]
    }
    method stats {} {
        set s [::pmemkit::pk_pool_stats_get $h]
        set r [dict create]
        foreach f {size used objects unclean recovered} {
            dict set r $f [::pmemkit::pk_pool_stats_${f}_get $s]
        }
        ::pmemkit::delete_pk_pool_stats $s
        return $r
    }

    # ---- for the container classes ----
    method _h {} { return $h }
    method _owns {cmd} { info exists owned($cmd) }
    # the object of the container a reference {offset generation} names
    method _wrap {kind ref} {
        set key "$kind $ref"
        if {[dict exists $objects $key]} { return [dict get $objects $key] }
        my _adopt $kind [::pmemkit::pk_${kind}_open $h [::pmemkit::_typed $kind $ref]]
    }
    # an object for a new handle
    method _adopt {kind handle} {
        set class [dict get {map Map list List array Array} $kind]
        set o [::pmemkit::$class new [self] $handle]
        set key "$kind [$o _ref]"
        if {[dict exists $objects $key]} {
            # the same container: one object for it
            $o destroy
            return [dict get $objects $key]
        }
        dict set objects $key $o
        set owned($o) 1
        return $o
    }
    method _forget {o} {
        unset -nocomplain owned($o)
        dict for {k v} $objects {
            if {$v eq $o} { dict unset objects $k; break }
        }
    }
    export _h _owns _wrap _adopt _forget
}

# ---- containers ------------------------------------------------------------

oo::class create ::pmemkit::Container {
    variable pool h kind

    constructor {p handle} {
        set pool $p
        set h $handle
        set kind [string tolower [namespace tail [info object class [self]]]]
    }
    destructor {
        if {[info object isa object $pool]} { $pool _forget [self] }
        ::pmemkit::pk_${kind}_close $h
    }
    method kind {} { return $kind }
    method pool {} { return $pool }
    method _ref {} { lindex [::pmemkit::pk_${kind}_value $h] 1 }
    # a plain Tcl copy: dicts for maps, lists for lists and arrays
    method plain {} { my list }
    export _ref
}

# a plain copy of a value: containers as dicts and lists, deeply
proc ::pmemkit::_plain {v} {
    if {[info object isa object $v] && [info object isa typeof $v ::pmemkit::Container]} {
        return [$v plain]
    }
    return $v
}

oo::class create ::pmemkit::Map {
    superclass ::pmemkit::Container
    variable pool h kind

    # $map get KEY ?DEFAULT?: raises PMEMKIT NotFound without a default
    method get {key args} {
        set r [::pmemkit::pk_map_get $h [::pmemkit::_key $pool $key]]
        if {![llength $r]} {
            if {[llength $args]} { return [lindex $args 0] }
            ::pmemkit::Throw [set ::pmemkit::PK_NOTFOUND] "key not found: $key"
        }
        ::pmemkit::_value $pool $r
    }
    # $map set ?-int|-double|-bool|-string|-bytes|-bigint|-nil|-dict|-list? KEY ?VALUE?
    method set {args} {
        set type [::pmemkit::_typeopt args]
        if {[llength $args] != 2 && !($type eq "nil" && [llength $args] == 1)} {
            return -code error "wrong # args: should be \"map set ?-type? key value\""
        }
        lassign $args key value
        if {$type in {dict list}} {
            $pool transaction {
                ::pmemkit::pk_map_put $h [::pmemkit::_key $pool $key] [::pmemkit::_encode $pool $type $value]
            }
        } else {
            ::pmemkit::pk_map_put $h [::pmemkit::_key $pool $key] [::pmemkit::_encode $pool $type $value]
        }
        return
    }
    method exists {key} { ::pmemkit::pk_map_contains $h [::pmemkit::_key $pool $key] }
    # like dict unset: no error for an absent key; 1 if one was removed
    method unset {key} { ::pmemkit::pk_map_remove $h [::pmemkit::_key $pool $key] }
    # the type of a key's value: nil bool int double bytes string bigint
    # map list array
    method type {key} {
        set r [::pmemkit::pk_map_get $h [::pmemkit::_key $pool $key]]
        if {![llength $r]} {
            ::pmemkit::Throw [set ::pmemkit::PK_NOTFOUND] "key not found: $key"
        }
        lindex $r 0
    }
    method size {} { ::pmemkit::pk_map_length $h }
    method clear {} { ::pmemkit::pk_map_clear $h; return }
    method keys {} {
        set keys {}
        my foreach {k v} { lappend keys $k }
        return $keys
    }
    # $map foreach {KEYVAR VALUEVAR} SCRIPT
    method foreach {vars script} {
        ::pmemkit::_loop $pool [::pmemkit::pk_map_cursor $h] $vars $script
    }
    # the whole map as a dict; nested containers as nested dicts and lists
    method dict {} {
        set d [dict create]
        my foreach {k v} { dict set d $k [::pmemkit::_plain $v] }
        return $d
    }
    method plain {} { my dict }
}

oo::class create ::pmemkit::List {
    superclass ::pmemkit::Container
    variable pool h kind

    method size {} { ::pmemkit::pk_list_length $h }
    # indexes: integers (negative from the end), end, end-N; out of
    # range raises PMEMKIT Range
    method get {index} {
        ::pmemkit::_value $pool [::pmemkit::pk_list_get $h [::pmemkit::_index $index]]
    }
    method set {args} {
        set type [::pmemkit::_typeopt args]
        if {[llength $args] != 2 && !($type eq "nil" && [llength $args] == 1)} {
            return -code error "wrong # args: should be \"list set ?-type? index value\""
        }
        lassign $args index value
        set i [::pmemkit::_index $index]
        if {$type in {dict list}} {
            $pool transaction {
                ::pmemkit::pk_list_set $h $i [::pmemkit::_encode $pool $type $value]
            }
        } else {
            ::pmemkit::pk_list_set $h $i [::pmemkit::_encode $pool $type $value]
        }
        return
    }
    # $list append ?-type? VALUE...: returns the new size
    method append {args} {
        set type [::pmemkit::_typeopt args]
        set plain [expr {$type eq ""}]
        foreach v $args {
            if {$plain && [$pool _owns $v]} { set plain 0 }
        }
        if {$plain} {
            ::pmemkit::pk_list_extend $h $args
        } else {
            $pool transaction {
                foreach v $args {
                    ::pmemkit::pk_list_append $h [::pmemkit::_encode $pool $type $v]
                }
            }
        }
        my size
    }
    # $list insert INDEX ?-type? VALUE...
    method insert {index args} {
        set type [::pmemkit::_typeopt args]
        set i [::pmemkit::_index $index]
        if {$i < 0} { set i [expr {[my size] + $i + 1}] }
        $pool transaction {
            foreach v $args {
                ::pmemkit::pk_list_insert $h $i [::pmemkit::_encode $pool $type $v]
                incr i
            }
        }
        return
    }
    # remove and return an element (default: the last); a container comes
    # back as a plain copy (removing the last reference frees it)
    method pop {{index end}} {
        set i [::pmemkit::_index $index]
        $pool transaction {
            set v [::pmemkit::_plain [my get $i]]
            ::pmemkit::pk_list_pop $h $i
        }
        return $v
    }
    method type {index} {
        lindex [::pmemkit::pk_list_get $h [::pmemkit::_index $index]] 0
    }
    method clear {} { ::pmemkit::pk_list_clear $h; return }
    # $list foreach VAR SCRIPT, or {INDEXVAR VAR}
    method foreach {vars script} {
        set entries [expr {[llength $vars] == 1 ? {1} : {0 1}}]
        ::pmemkit::_loop $pool [::pmemkit::pk_list_cursor $h] $vars $script $entries
    }
    # the whole list as a Tcl list; nested containers as dicts and lists
    method list {} {
        set l {}
        my foreach v { lappend l [::pmemkit::_plain $v] }
        return $l
    }
}

oo::class create ::pmemkit::Array {
    superclass ::pmemkit::Container
    variable pool h kind

    method size {} { ::pmemkit::pk_array_length $h }
    # element type (i8 ... f64, bytes) and width in bytes
    method type {} {
        ::pmemkit::Array::name [lindex [::pmemkit::pk_array_type $h] 0]
    }
    method width {} { lindex [::pmemkit::pk_array_type $h] 1 }
    method get {index} {
        set v [lindex [::pmemkit::pk_array_get $h [::pmemkit::_index $index]] 1]
        # u64 elements come as the same 64 bits in an int64
        if {$v < 0 && [my type] in $::pmemkit::Array::wide} { set v [expr {$v + (1 << 64)}] }
        return $v
    }
    method set {index value} {
        set type [my type]
        set cls [::pmemkit::Array::class $type]
        if {$cls eq "bytes"} {
            set value [::pmemkit::_typed bytes $value]
        } elseif {$type in $::pmemkit::Array::wide && [string is entier -strict $value] && $value > 0x7fffffffffffffff} {
            if {$value >= (1 << 64)} {
                ::pmemkit::Throw [set ::pmemkit::PK_ERANGE] "value out of the range of $type"
            }
            set value [expr {$value - (1 << 64)}]
        } elseif {$cls eq "float"} {
            set value [::pmemkit::_typed double $value]
        } else {
            set value [::pmemkit::_typed int $value]
        }
        ::pmemkit::pk_array_set $h [::pmemkit::_index $index] $value
        return
    }
    method resize {length} { ::pmemkit::pk_array_resize $h $length; return }
    # the elements as a Tcl list
    method list {{start 0} {count ""}} {
        if {$count eq ""} { set count [expr {[my size] - $start}] }
        set bytes [::pmemkit::_array_read $h $start $count]
        ::pmemkit::Array::unpack [my type] [my width] $bytes
    }
    # write the values from element START on, in one transaction
    method write {start values} {
        if {![llength $values]} return
        ::pmemkit::pk_array_write $h $start \
            [::pmemkit::Array::pack [my type] [my width] $values]
        return
    }
    method foreach {vars script} {
        set entries [expr {[llength $vars] == 1 ? {1} : {0 1}}]
        ::pmemkit::_loop $pool [::pmemkit::pk_array_cursor $h] $vars $script $entries
    }
}

namespace eval ::pmemkit::Array {
    # binary format codes (native order) by class and size of the element
    variable formats {
        signed {1 c 2 t 4 n 8 m} unsigned {1 c 2 t 4 n 8 m} float {4 r 8 q} bytes {0 a}
    }
    # element type (the short name of the C library's element table:
    # i8 ... f64, bytes) -> {element code, binary format code, class};
    # element code -> type; the types beyond int64 (u64: C gives their
    # elements as the same 64 bits in an int64). A row Tcl cannot format
    # is left out.
    variable types {}
    variable names {}
    variable wide {}
    foreach row [::pmemkit::_rows pk_elem_table pk_elem_row {sname code size cls}] {
        lassign $row sname code size cls
        if {![dict exists $formats $cls $size]} continue
        dict set types $sname [list $code [dict get $formats $cls $size] $cls]
        dict set names $code $sname
        if {$cls eq "unsigned" && $size == 8} { lappend wide $sname }
    }
    unset formats row sname code size cls

    proc elem {type} {
        variable types
        if {![dict exists $types $type]} {
            return -code error "unknown element type \"$type\": must be one of [dict keys $types]"
        }
        lindex [dict get $types $type] 0
    }
    proc name {elem} {
        variable names
        if {[dict exists $names $elem]} { return [dict get $names $elem] }
    }
    # the class of a type: signed, unsigned, float or bytes
    proc class {type} {
        variable types
        lindex [dict get $types $type] 2
    }
    proc pack {type width values} {
        variable types
        set f [lindex [dict get $types $type] 1]
        if {$type eq "bytes"} {
            return [binary format [string repeat "a$width" [llength $values]] {*}$values]
        }
        binary format $f* $values
    }
    proc unpack {type width bytes} {
        variable types
        set f [lindex [dict get $types $type] 1]
        if {$type eq "bytes"} {
            set n [expr {[string length $bytes] / $width}]
            return [lmap i [lsearch -all [lrepeat $n x] x] {
                string range $bytes [expr {$i * $width}] [expr {($i + 1) * $width - 1}]
            }]
        }
        # unsigned types read unsigned
        if {[lindex [dict get $types $type] 2] eq "unsigned"} { append f u }
        binary scan $bytes $f* list
        return $list
    }
}

package provide pmemkit $::pmemkit::version
