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
# gives the same command); closing it makes them (and itself) closed
# objects, which raise PMEMKIT Closed until destroyed.
#
# Methods whose names begin with "_" are internal: not exported, called
# across objects through the object's own [my] (::pmemkit::_my).

namespace eval ::pmemkit {
    variable version 0.1.0
    variable MIN_SIZE $::pmemkit::PK_POOL_MIN_SIZE
    # objects are named ::pmemkit::<kind><serial> (pool1, map2, ...):
    # _owned looks up only values that begin with ::pmemkit::
    variable serial 0
    # the handle the last container object constructed took (Pool _adopt)
    variable adopted ""
    namespace export pool region withregion register unregister registered tuplespec
    # record class name -> the TclOO class of its objects (register)
    variable records
    array set records {}
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

# Raise PMEMKIT Value for a command used wrongly (a bad option, wrong #
# args, a bad index or type name): every error of the package has a
# PMEMKIT errorCode.
proc ::pmemkit::Misuse {message} {
    return -code error -level 2 -errorcode \
        [list PMEMKIT [pk_error_class $::pmemkit::PK_EVALUE] $::pmemkit::PK_EVALUE $message] $message
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
    # the switches of pmemkit::pool => their bits: the rows of the
    # pool-option table (PK_POOL_FLAG_TABLE), each option as Tcl spells
    # options ("process_durable": -processdurable); open takes them all,
    # create all but -readonly (a pool is created read-write)
    variable POOL_FLAGS [dict create]
    variable CREATE_FLAGS [dict create]
    foreach row [_rows pk_pool_flag_table pk_pool_flag_row {option value}] {
        lassign $row option value
        dict set POOL_FLAGS -[string map {_ ""} $option] $value
        if {$value != $::pmemkit::PK_POOL_READONLY} {
            dict set CREATE_FLAGS -[string map {_ ""} $option] $value
        }
    }
    unset -nocomplain row option value
}

# "A, B or C" for a Misuse message
proc ::pmemkit::_oneof {words} {
    if {[llength $words] < 2} { return [join $words] }
    return "[join [lrange $words 0 end-1] ", "] or [lindex $words end]"
}

# {name code class message} rows of the error table; class names of it
proc ::pmemkit::errors {} { variable ERRORS; return $ERRORS }
proc ::pmemkit::error_classes {} {
    variable ERRORS
    lsort -unique [lmap row $ERRORS {lindex $row 2}]
}

# ---- methods ---------------------------------------------------------------

# Define the method NAME of CLASS with PARAMS as a proc's (defaults, a
# last "args"), checking the count itself, so that a wrong # args raises
# PMEMKIT Value like every other error of the package. USAGE replaces the
# generated usage (for methods that parse options themselves).
proc ::pmemkit::_method {class name params body {usage ""}} {
    set min 0
    set max 0
    set vars {}
    set words {}
    set defaults ""
    foreach p $params {
        lassign $p pn default
        if {$pn eq "args"} {
            set max -1
            lappend words "?arg ...?"
            continue
        }
        lappend vars $pn
        incr max
        if {[llength $p] == 2} {
            lappend words ?$pn?
            append defaults "if {\$_n < $max} { set $pn [list $default] }\n"
        } else {
            incr min
            lappend words $pn
        }
    }
    if {$usage eq ""} { set usage [join $words] }
    set wrong "::pmemkit::_wrongargs \[self\] $name [list $usage]"
    if {$min == $max} {
        # the common case, kept short: a fixed number of arguments
        set pre "if {\[llength \$args\] != $min} { $wrong }\n"
        if {[llength $vars]} { append pre "lassign \$args $vars\n" }
    } else {
        set cond [expr {$max < 0 ? "\$_n < $min" : "\$_n < $min || \$_n > $max"}]
        set pre "set _n \[llength \$args\]\nif {$cond} { $wrong }\n"
        if {[llength $vars]} { append pre "set args \[lassign \$args $vars\]\n" }
    }
    oo::define $class method $name args $pre$defaults$body
}

proc ::pmemkit::_wrongargs {obj name usage} {
    Misuse "wrong # args: should be \"[string trim "$obj $name $usage"]\""
}

# a method call on an object, exported or not (internal methods: "_...")
proc ::pmemkit::_my {obj args} {
    tailcall [info object namespace $obj]::my {*}$args
}

# The unknown method of every object (and of an object called without a
# method): PMEMKIT Value, naming the methods there are.
proc ::pmemkit::_unknown {obj args} {
    set ms [lsort [lsearch -all -inline -not -exact [info object methods $obj -all] unknown]]
    set list "[join [lrange $ms 0 end-1] {, }] or [lindex $ms end]"
    if {![llength $args]} {
        Misuse "wrong # args: should be \"$obj method ?arg ...?\": a method is one of $list"
    }
    Misuse "unknown method \"[lindex $args 0]\": must be $list"
}

# ---- values ----------------------------------------------------------------
#
# A value or key without a type option is typed by its string alone (the
# C layer's pk_tcl_untyped): a canonical integer (as expr prints one: no
# "+", no leading zeros or spaces) is an int (a big integer beyond int64),
# a canonical finite double (one that prints back the same: 2.5, 2.0,
# 1e+20) a double, anything else text; a pure byte array (no string yet:
# [binary format], bytes read from a pool) is bytes. The code here never
# makes the string of a value it passes on (_typeopt, _owned and _isbytes
# are C commands for that).

# minimal little-endian two's complement bytes of an integer
proc ::pmemkit::_bigint_bytes {n} {
    if {![string is entier -strict $n]} {
        Misuse "expected an integer but got \"$n\""
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

# the Tcl value of a {type value} pair read from the pool whose object's
# namespace is $pns; a tuple is the Tcl list of its items' values, a
# frozen set (the scalar: a key, element or item) the list of its members'
# in the library's canonical order
proc ::pmemkit::_value {pns pair} {
    lassign $pair t v
    switch -- $t {
        map - list - array - log - blocks - set - record - sorted { return [${pns}::my _wrap $t $v] }
        bigint { return [_bigint_from_bytes $v] }
        tuple - frozenset { return [lmap p $v { _value $pns $p }] }
        unknown {
            Throw $::pmemkit::PK_EKIND \
                "pmemkit: a value of a kind the Tcl module cannot read yet ($t)"
        }
        default { return $v }
    }
}

# The stored type of a {type value} pair, as the type queries give it
# ([$map keys -types], [$map type KEY], ...): the type's name, but for a
# tuple {tuple ITEMTYPE ...} and for a frozen set {frozenset ITEMTYPE
# ...}, each item's type likewise (a list whose first word is "tuple" or
# "frozenset": a text key that looks like a list is "string").
proc ::pmemkit::_typeof {pair} {
    lassign $pair t v
    if {$t ni {tuple frozenset}} { return $t }
    list $t {*}[lmap p $v { _typeof $p }]
}

# pmemkit::tuplespec ITEMS TYPE: the -tuple spec that stores (or finds)
# exactly the tuple ITEMS whose type TYPE a type query gave ({tuple int
# {tuple double bytes}}): each item as {-TYPE VALUE}, a nested tuple as
# {-tuple SPEC}. ITEMS typed by their strings alone would lose what a
# string cannot say (a nested tuple, bytes whose string was made, text
# "12"). A frozen set's members and its type {frozenset ITEMTYPE ...}
# give the -frozenset spec likewise (a nested one {-frozenset SPEC}).
proc ::pmemkit::tuplespec {items type} {
    if {![_islist $items] || ![_islist $type] ||
            [lindex $type 0] ni {tuple frozenset} ||
            [llength $type] != [llength $items] + 1} {
        Misuse "expected a tuple's (or frozen set's) items and its type {tuple ITEMTYPE ...} (or {frozenset ITEMTYPE ...}) but got \"$items\" and \"$type\""
    }
    lmap item $items t [lrange $type 1 end] {
        switch -- [lindex $t 0] {
            tuple - frozenset { list -[lindex $t 0] [tuplespec $item $t] }
            nil { list -nil }
            bool - int - double - bytes - string - bigint { list -$t $item }
            default { Misuse "bad item type \"$t\"" }
        }
    }
}

# whether a value can be read as a dict / a list, without making its string
proc ::pmemkit::_isdict {v} {
    expr {![_isbytes $v] && ![catch {dict size $v}]}
}
proc ::pmemkit::_islist {v} {
    expr {![_isbytes $v] && ![catch {llength $v}]}
}

# The form of a value to hand to the C layer. $type: what the caller asked
# for (int, ... from -int, ...), or "" for the rule of its string; a
# container command of this pool stores a reference to it; dict, list,
# tree (and treelist, a -list inside a tree), set and frozenset (a list
# as a set), sorted (a dict as a sorted map; treesorted a -sorted inside a
# tree) store a new container.
proc ::pmemkit::_encode {pns type value} {
    switch -- $type {
        "" {
            if {[_owned ${pns}::owned $value]} { return [_refvalue $value] }
            return $value
        }
        dict {
            if {![_isdict $value]} { Misuse "expected a dict for -dict but got \"$value\"" }
            return [_typed map [_my [${pns}::my newmap $value] _ref]]
        }
        list {
            if {![_islist $value]} { Misuse "expected a list for -list but got \"$value\"" }
            return [_typed list [_my [${pns}::my newlist $value] _ref]]
        }
        tree { return [_typed map [_my [_tree_map $pns $value] _ref]] }
        set - frozenset {
            if {![_islist $value]} { Misuse "expected a list for -$type but got \"$value\"" }
            return [_typed set [_my [${pns}::my _newset [expr {$type eq "frozenset"}] $value] _ref]]
        }
        treelist { return [_typed list [_my [_tree_list $pns $value] _ref]] }
        sorted { return [_typed sorted [_my [${pns}::my newsortedmap $value] _ref]] }
        treesorted { return [_typed sorted [_my [_tree_map $pns $value sorted] _ref]] }
        bigint { return [_typed int $value] }
        default { return [_typed $type $value] }
    }
}

# Run the command prefix CMD with VALUE as TYPE for the C layer (_encode)
# as its last argument: in one transaction when that makes a new
# container, so that a failure leaves none half made.
proc ::pmemkit::_put {pns type value cmd} {
    if {$type in {dict list tree set frozenset sorted}} {
        ${pns}::my transaction { {*}$cmd [_encode $pns $type $value] }
    } else {
        {*}$cmd [_encode $pns $type $value]
    }
}

# A -tree value: a dict whose values are tree items (_tree_item), as a new
# map (KIND sorted: a new sorted map); the maps and lists in it likewise
# (in the caller's transaction).
proc ::pmemkit::_tree_map {pns tree {kind map}} {
    if {![_isdict $tree]} { Misuse "expected a dict for -tree but got \"$tree\"" }
    set m [${pns}::my [expr {$kind eq "map" ? "newmap" : "newsortedmap"}]]
    set mh [_my $m _h]
    dict for {k item} $tree {
        lassign [_tree_item $item] t v
        pk_${kind}_put $mh [_key $pns $k] [_encode $pns $t $v]
    }
    return $m
}
proc ::pmemkit::_tree_list {pns items} {
    if {![_islist $items]} { Misuse "expected a list for -list but got \"$items\"" }
    set l [${pns}::my newlist]
    set lh [_my $l _h]
    foreach item $items {
        lassign [_tree_item $item] t v
        pk_list_append $lh [_encode $pns $t $v]
    }
    return $l
}
# A tree item -> {type value} for _encode: {-dict D} (or {-tree D}) a map
# of tree items, {-sorted D} a sorted map of tree items, {-list L} a list of tree items, {-set L} (or {-frozenset
# L}) a set of the elements of the list L, {-TYPE V} (-int -double
# -bool -string -bytes -bigint -tuple) V as that type, -nil nil; anything else
# (a pure byte array included) a plain value, typed by its string.
proc ::pmemkit::_tree_item {item} {
    if {![_isbytes $item] && ![catch {llength $item} n] && $n in {1 2}} {
        lassign $item o v
        if {$n == 1} {
            if {$o eq "-nil"} { return {nil {}} }
        } else {
            switch -- $o {
                -dict - -tree { return [list tree $v] }
                -sorted { return [list treesorted $v] }
                -list { return [list treelist $v] }
                -set - -frozenset { return [list [string range $o 1 end] $v] }
                -int - -double - -bool - -string - -bytes - -bigint - -tuple {
                    return [list [string range $o 1 end] $v]
                }
            }
        }
    }
    return [list "" $item]
}

# A key to hand to the C layer: a container command of this pool as its
# reference (which C refuses as a key: PMEMKIT KeyType). _keyval: the same
# with the key's type option (TYPE: "" for none); _keyarg: the key of
# the arguments ?-TYPE? KEY of a method.
proc ::pmemkit::_keyval {ov type key} {
    switch -- $type {
        "" {
            if {[_owned $ov $key]} { return [_refvalue $key] }
            return $key
        }
        bigint { return [_typed int $key] }
        default { return [_typed $type $key] }
    }
}
proc ::pmemkit::_keyarg {ov obj method arglist} {
    set arglist [lassign [_typeopt $arglist 0] type]
    if {[llength $arglist] != 1} { _wrongargs $obj $method "?-type? key" }
    _keyval $ov $type [lindex $arglist 0]
}
proc ::pmemkit::_key {pns key} {
    if {[_owned ${pns}::owned $key]} { return [_refvalue $key] }
    return $key
}
# the reference to the container of object $o, for the C layer
proc ::pmemkit::_refvalue {o} {
    _typed [$o kind] [_my $o _ref]
}

# an index: an integer (negative: from the end), end, or end-N, as the
# C layer takes it (-1 is the last)
proc ::pmemkit::_index {i} {
    if {[string is entier -strict $i]} { return $i }
    if {$i eq "end"} { return -1 }
    if {[regexp {^end-(\d+)$} $i -> n]} { return [expr {-1 - $n}] }
    Misuse "bad index \"$i\": must be an integer, end or end-N"
}
# an index made absolute for a container of $size elements (may be out of
# range)
proc ::pmemkit::_absindex {i size} {
    set i [_index $i]
    expr {$i < 0 ? $size + $i : $i}
}
# a count or length: a non-negative integer
proc ::pmemkit::_count {what n} {
    if {![string is entier -strict $n] || $n < 0} {
        Misuse "bad $what \"$n\": must be a non-negative integer"
    }
    return $n
}

# The body of the foreach methods: each entry of cursor $c as the values
# of $vars in the caller's caller, then $script there.
proc ::pmemkit::_loop {pns c vars script {entries {0 1}}} {
    try {
        while {[llength [set e [pk_cursor_next $c]]]} {
            set vals [list [_value $pns [lrange $e 0 1]] [_value $pns [lrange $e 2 3]]]
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

# pmemkit::pool create PATH ?-size BYTES? ?-maxsize BYTES? ?-mode MODE?
#     ?-replica PATH? ?-processdurable?
# pmemkit::pool open PATH ?-readonly? ?-processdurable?
# pmemkit::pool repair PATH
#
# create without -size makes a pool that grows on demand (up to -maxsize,
# else PK_POOL_MAX_DEFAULT, 32 GiB); -size alone a pool of that size for
# good; -size and -maxsize a pool that starts at -size and grows. A
# growing or replicated pool's PATH is a poolset file naming its parts
# (pk_pool_options). The switches are the C library's pool flags
# (POOL_FLAGS); -readonly is for open only.
proc ::pmemkit::pool {args} {
    variable MIN_SIZE
    variable POOL_FLAGS
    variable CREATE_FLAGS
    set usage "wrong # args: should be \"pmemkit::pool create path ?-size bytes? ?-maxsize bytes? ?-mode mode? ?-replica path?[join [lmap f [dict keys $CREATE_FLAGS] {string cat " ?" $f ?}] ""]\", \"pmemkit::pool open path[join [lmap f [dict keys $POOL_FLAGS] {string cat " ?" $f ?}] ""]\" or \"pmemkit::pool repair path\""
    if {[llength $args] < 2} { Misuse $usage }
    set args [lassign $args subcommand path]
    switch -- $subcommand {
        create {
            set opts [dict create -maxsize 0 -mode 0600 -replica ""]
            set flags 0
            while {[llength $args]} {
                set args [lassign $args k]
                if {[dict exists $CREATE_FLAGS $k]} {
                    set flags [expr {$flags | [dict get $CREATE_FLAGS $k]}]
                    continue
                }
                switch -- $k {
                    -size - -maxsize - -mode - -replica {}
                    default {
                        if {[dict exists $POOL_FLAGS $k]} {
                            Misuse "bad option \"$k\": a pool is created read-write (open it with $k)"
                        }
                        Misuse "bad option \"$k\": must be [_oneof [list -size -maxsize -mode -replica {*}[dict keys $CREATE_FLAGS]]]"
                    }
                }
                if {![llength $args]} { Misuse "option $k needs a value" }
                set args [lassign $args v]
                if {$k eq "-replica"} {
                    if {$v eq ""} { Misuse "bad value for -replica \"\": must be the path of the replica" }
                } elseif {![string is entier -strict $v] || $v < 0 || $v >= 2**64} {
                    Misuse "bad value for $k \"$v\": must be a non-negative integer"
                }
                dict set opts $k $v
            }
            set size 0
            set max [dict get $opts -maxsize]
            if {[dict exists $opts -size] && [set size [dict get $opts -size]] < $MIN_SIZE} {
                Misuse "pmemkit: pool size $size is below the minimum $MIN_SIZE"
            }
            if {$max != 0 && $max < max($size, $MIN_SIZE)} {
                Misuse "pmemkit: maximum pool size $max is below the [expr {$size ? "size" : "minimum"}] [expr {max($size, $MIN_SIZE)}]"
            }
            set h [pk_swig_pool_create $path $size $max [dict get $opts -mode] $flags [dict get $opts -replica]]
        }
        open {
            set flags 0
            foreach k $args {
                if {![dict exists $POOL_FLAGS $k]} {
                    Misuse "bad option \"$k\": must be [_oneof [dict keys $POOL_FLAGS]]"
                }
                set flags [expr {$flags | [dict get $POOL_FLAGS $k]}]
            }
            set h [pk_swig_pool_open $path $flags]
        }
        repair {
            if {[llength $args]} { Misuse $usage }
            pk_pool_repair $path
            return
        }
        default {
            Misuse "bad subcommand \"$subcommand\": must be create, open or repair"
        }
    }
    return [Pool create ::pmemkit::pool[incr ::pmemkit::serial] $h $path $flags]
}

# What a pool object, and every container object of it, becomes when the
# pool is closed: any method but destroy (which frees it) and close (a
# no-op) raises PMEMKIT Closed. Tcl cannot know whether a script still
# holds an object's name, so the object stays until destroyed.
oo::class create ::pmemkit::Closed {
    method close {} { return }
    method unknown {args} {
        ::pmemkit::Throw $::pmemkit::PK_ECLOSED "pmemkit: [self] is closed (its pool was closed)"
    }
}

oo::class create ::pmemkit::Pool {
    variable h path flags objects owned

    constructor {handle p {f 0}} {
        set h $handle
        set path $p
        set flags $f
        set objects [dict create]
        array set owned {}
    }

    # destroying a pool object closes the pool and destroys its objects
    destructor {
        foreach o [dict values $objects] {
            catch {$o destroy}
        }
        my _shut
    }
    method unknown {args} { ::pmemkit::_unknown [self] {*}$args }

    # Close the pool: its objects and itself become closed objects (see
    # Closed). A transaction still open is aborted (and then PMEMKIT
    # Transaction raised, after closing).
    method _shut {} {
        foreach o [dict values $objects] {
            catch {::pmemkit::_my $o _close}
            oo::objdefine $o class ::pmemkit::Closed
        }
        set objects [dict create]
        array unset owned
        if {$h ne ""} {
            set hh $h
            set h ""
            ::pmemkit::pk_pool_close $hh
        }
    }
}

::pmemkit::_method ::pmemkit::Pool close {} {
    try {
        my _shut
    } finally {
        oo::objdefine [self] class ::pmemkit::Closed
    }
    return
}
::pmemkit::_method ::pmemkit::Pool path {} { return $path }
# readonly: 1 for a pool opened -readonly (every write raises PMEMKIT
# ReadOnly), else 0; processdurable: 1 for a pool created or opened
# -processdurable (see sync), else 0
::pmemkit::_method ::pmemkit::Pool readonly {} {
    expr {($flags & [dict get $::pmemkit::POOL_FLAGS -readonly]) != 0}
}
::pmemkit::_method ::pmemkit::Pool processdurable {} {
    expr {($flags & [dict get $::pmemkit::POOL_FLAGS -processdurable]) != 0}
}

::pmemkit::_method ::pmemkit::Pool root {} {
    set r [::pmemkit::pk_pool_root $h]
    set ref [::pmemkit::pk_map_value $r]
    ::pmemkit::pk_map_close $r
    my _wrap map [lindex $ref 1]
}

# $pool transaction SCRIPT: commits when the script ends, aborts when it
# raises an error (and re-raises it). Nesting is flat.
::pmemkit::_method ::pmemkit::Pool transaction {script} {
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

::pmemkit::_method ::pmemkit::Pool depth {} { ::pmemkit::pk_tx_depth $h }

# new containers, unreferenced until stored (gc frees them otherwise)
::pmemkit::_method ::pmemkit::Pool newmap {{dict {}}} { my _newdict map $dict }
# $pool newsortedmap ?DICT?: a new sorted map of DICT's entries (typed as
# a map's set types them), all put in one transaction
::pmemkit::_method ::pmemkit::Pool newsortedmap {{dict {}}} { my _newdict sorted $dict }
::pmemkit::_method ::pmemkit::Pool newlist {{list {}}} {
    if {![::pmemkit::_islist $list]} { ::pmemkit::Misuse "expected a list but got \"$list\"" }
    set l [my _adopt list [::pmemkit::pk_list_new $h]]
    if {[llength $list]} { $l append -- {*}$list }
    return $l
}
# $pool newarray TYPE LENGTH ?-width W? | TYPE -values LIST ?-width W?
::pmemkit::_method ::pmemkit::Pool newarray {type args} {
    set width 0
    set values ""
    set length ""
    while {[llength $args]} {
        set args [lassign $args a]
        switch -- $a {
            -width - -values {
                if {![llength $args]} { ::pmemkit::Misuse "option $a needs a value" }
                set args [lassign $args v]
                if {$a eq "-width"} {
                    set width [::pmemkit::_count width $v]
                } else {
                    set values $v
                    set length [llength $values]
                }
            }
            default { set length [::pmemkit::_count length $a] }
        }
    }
    if {$length eq ""} {
        ::pmemkit::_wrongargs [self] newarray "type length|-values list ?-width w?"
    }
    set elem [::pmemkit::Array::elem $type]
    if {$type eq "bytes"} {
        if {$width < 1} { ::pmemkit::Misuse "bytes elements need -width N" }
    } else {
        set width 0
    }
    set init ""
    if {$values ne ""} { set init [::pmemkit::Array::pack $type $width $values] }
    my _adopt array [::pmemkit::pk_array_new $h $elem $width $length $init]
} {type length|-values list ?-width w?}

# $pool newlog ?RECORDS?: a new log, with the records of the list RECORDS
# appended as one atomic unit
::pmemkit::_method ::pmemkit::Pool newlog {{records {}}} {
    if {![::pmemkit::_islist $records]} {
        ::pmemkit::Misuse "expected a list of records but got \"$records\""
    }
    # (records checked before the log is made: a bad one makes none)
    set records [::pmemkit::_records $records]
    set l [my _adopt log [::pmemkit::pk_log_new $h]]
    if {[llength $records]} {
        try {
            ::pmemkit::pk_log_extend [::pmemkit::_my $l _h] $records
        } on error {msg opts} {
            $l destroy
            return -options $opts $msg
        }
    }
    return $l
}
# $pool newblocks BLOCKSIZE ?COUNT?: a new block array of COUNT blocks
# (default 0) of BLOCKSIZE bytes (512 to 65536) that read as zeros
::pmemkit::_method ::pmemkit::Pool newblocks {blocksize {count 0}} {
    set min $::pmemkit::PK_BLOCK_MIN
    set max $::pmemkit::PK_BLOCK_MAX
    if {![string is entier -strict $blocksize] || $blocksize < $min || $blocksize > $max} {
        ::pmemkit::Misuse "bad block size \"$blocksize\": must be an integer from $min to $max"
    }
    my _adopt blocks [::pmemkit::pk_blocks_new $h $blocksize [::pmemkit::_count count $count]]
}

# $pool newset ?-frozen? ?LIST?: a new set of the elements of LIST (typed
# as keys are: by their strings), made in one transaction; -frozen makes
# it read-only for good (Python reads it as a frozenset)
::pmemkit::_method ::pmemkit::Pool newset {args} {
    set frozen 0
    set elems {}
    if {[llength $args] == 2 && [lindex $args 0] eq "-frozen"} {
        set frozen 1
        set elems [lindex $args 1]
    } elseif {[llength $args] == 1} {
        set elems [lindex $args 0]
        if {[::pmemkit::_islist $elems] && [llength $elems] == 1 &&
                ![::pmemkit::_isbytes [lindex $elems 0]] && [lindex $elems 0] eq "-frozen"} {
            set frozen 1
            set elems {}
        }
    } elseif {[llength $args]} {
        ::pmemkit::_wrongargs [self] newset "?-frozen? ?list?"
    }
    my _newset $frozen $elems
} {?-frozen? ?list?}

# $pool newrecord CLASS ?DICT?: a new record of the class named CLASS
# with the attributes of DICT (values typed as a map's), made in one
# transaction; its object is of the TclOO class registered for CLASS
# (pmemkit::register), else a ::pmemkit::Record. Unreferenced until
# stored, as every new container.
::pmemkit::_method ::pmemkit::Pool newrecord {cls {dict {}}} {
    if {![::pmemkit::_isdict $dict]} { ::pmemkit::Misuse "expected a dict but got \"$dict\"" }
    # (the values checked before the record is made: a bad one makes none)
    set ov [info object namespace [self]]::owned
    set attrs [dict map {k v} $dict {
        if {[::pmemkit::_owned $ov $v]} { ::pmemkit::_refvalue $v } else { set v }
    }]
    set rec ""
    try {
        my transaction {
            set rec [my _adopt record [::pmemkit::pk_record_new $h $cls]]
            set rh [::pmemkit::_my $rec _h]
            dict for {k v} $attrs { ::pmemkit::pk_record_put $rh [::pmemkit::_typed string $k] $v }
        }
    } on error {msg opts} {
        if {$rec ne ""} { $rec destroy }
        return -options $opts $msg
    }
    return $rec
}

::pmemkit::_method ::pmemkit::Pool gc {} { ::pmemkit::pk_pool_gc $h }

# map every page of the pool now (no first-touch page faults later)
::pmemkit::_method ::pmemkit::Pool prefault {} { ::pmemkit::pk_pool_prefault $h; return }

# a dict of the report's counts, plus ok (1 for a healthy pool)
::pmemkit::_method ::pmemkit::Pool check {} {
    lassign [::pmemkit::pk_pool_check $h] code rep
    set r [dict create]
    foreach f {objects reachable leaked dangling refcounts damaged} {
        dict set r $f [::pmemkit::pk_check_report_${f}_get $rep]
    }
    ::pmemkit::delete_pk_check_report $rep
    dict set r ok [expr {$code == 0}]
}
# a dict: size (bytes mapped: a growing pool's parts now), used (bytes
# held by allocations), objects, unclean, recovered, max_size (the most
# the pool may grow to; a fixed pool's size), free (bytes it could still
# allocate, at most) (pk_pool_stats), and for each kind of container (map
# list array log blocks set record sorted) KIND_count and KIND_bytes: how many
# the pool holds, reachable or not, and the bytes they own (entries, blobs,
# storage; not the containers they refer to). The KIND_bytes add up to used.
::pmemkit::_method ::pmemkit::Pool stats {} {
    set s [::pmemkit::pk_pool_stats_get $h]
    set r [dict create]
    foreach f {size used objects unclean recovered max_size free} {
        dict set r $f [::pmemkit::pk_pool_stats_${f}_get $s]
    }
    ::pmemkit::delete_pk_pool_stats $s
    foreach kind {map list array log blocks set record sorted} {
        lassign [::pmemkit::pk_pool_kind_stats $h \
            [set ::pmemkit::PK_[string toupper $kind]]] count bytes
        dict set r ${kind}_count $count
        dict set r ${kind}_bytes $bytes
    }
    return $r
}

# $pool defrag: move objects out of sparsely used parts of the pool, so
# that the space deletes left is free space in one piece again; not inside
# a transaction (PMEMKIT Transaction). A dict of what it did
# (pk_defrag_report): objects (reachable from the root), moved,
# moved_bytes and freed_bytes (bytes of the runs the moves emptied: free
# space values of any size can use again; stats' used does not drop, a
# moved object keeps its size). Container objects stay valid. The report
# is versioned as pk_pool_stats, of this module's version.
::pmemkit::_method ::pmemkit::Pool defrag {} {
    set rep [::pmemkit::pk_pool_defrag $h]
    set r [dict create]
    foreach f {objects moved moved_bytes freed_bytes} {
        dict set r $f [::pmemkit::pk_defrag_report_${f}_get $rep]
    }
    ::pmemkit::delete_pk_defrag_report $rep
    return $r
}

# $pool sync: make every change so far durable against a power loss or a
# kernel crash, waiting for the disk: what a pool opened -processdurable
# needs (close does it too); nothing to do for other pools, whose changes
# are durable as each call returns. PMEMKIT ReadOnly on a read-only pool.
::pmemkit::_method ::pmemkit::Pool sync {} { ::pmemkit::pk_pool_sync $h; return }

# $pool sizeof OBJ ?-deep?: the bytes the container or record OBJ (an
# object of this pool) holds: its own (entries, blobs, storage), or with
# -deep also those of every container it refers to, directly or not, each
# once (cycles included). [$pool sizeof [$pool root] -deep] is the used of
# [$pool stats]. Anything else (a plain value, another pool's object, a
# closed one) raises PMEMKIT Value.
::pmemkit::_method ::pmemkit::Pool sizeof {obj args} {
    if {[llength $args] > 1 || ([llength $args] && [lindex $args 0] ne "-deep")} {
        ::pmemkit::_wrongargs [self] sizeof "obj ?-deep?"
    }
    # (_owned raises for another object of the package: said here for sizeof)
    if {[catch {::pmemkit::_owned [info object namespace [self]]::owned $obj} mine] || !$mine} {
        if {[string match ::pmemkit::* $obj] && [info object isa object $obj]} {
            if {[info object isa typeof $obj ::pmemkit::Container]} {
                ::pmemkit::Misuse "pmemkit: sizeof: $obj is a container of another pool ([$obj pool]), not of [self]"
            }
            if {[info object isa typeof $obj ::pmemkit::Closed]} {
                ::pmemkit::Misuse "pmemkit: sizeof: $obj is closed (its pool was closed)"
            }
        }
        ::pmemkit::Misuse "pmemkit: sizeof takes a container or record object of [self], not \"$obj\": a plain value (or a pool, a region) holds no bytes of its own in the pool"
    }
    lassign [::pmemkit::pk_container_bytes $h [::pmemkit::_refvalue $obj]] shallow deep
    return [expr {[llength $args] ? $deep : $shallow}]
} {obj ?-deep?}

# ---- internal, for the container classes (through ::pmemkit::_my or the
# pool namespace's my) ----
oo::define ::pmemkit::Pool {
    method _h {} { return $h }
    # a new map (KIND sorted: sorted map) of the entries of DICT, put in
    # one transaction
    method _newdict {kind dict} {
        if {![::pmemkit::_isdict $dict]} { ::pmemkit::Misuse "expected a dict but got \"$dict\"" }
        set m [my _adopt $kind [::pmemkit::pk_${kind}_new $h]]
        if {[dict size $dict]} {
            my transaction { dict for {k v} $dict { $m set -- $k $v } }
        }
        return $m
    }
    # the object of the container a reference {offset generation} names
    method _wrap {kind ref} {
        set key "$kind $ref"
        if {[dict exists $objects $key]} { return [dict get $objects $key] }
        my _adopt $kind [::pmemkit::pk_${kind}_open $h [::pmemkit::_typed $kind $ref]]
    }
    # an object for a new handle (a record's: of the class registered
    # for its class name, or ::pmemkit::Record)
    method _adopt {kind handle} {
        set ::pmemkit::adopted ""
        try {
            if {$kind eq "record"} {
                set class [::pmemkit::_record_class [lindex [::pmemkit::pk_record_class $handle] 1]]
            } else {
                set class ::pmemkit::[dict get {map Map list List array Array log Log blocks Blocks set Set sorted Sorted} $kind]
            }
            set o [$class create ::pmemkit::$kind[incr ::pmemkit::serial] [self] $handle]
        } on error {msg opts} {
            # (the object's destructor closed the handle if it had it)
            if {$::pmemkit::adopted ne $handle} { ::pmemkit::pk_${kind}_close $handle }
            return -options $opts $msg
        }
        set key "$kind [::pmemkit::_my $o _ref]"
        if {[dict exists $objects $key]} {
            # the same container: one object for it
            $o destroy
            return [dict get $objects $key]
        }
        dict set objects $key $o
        set owned($o) 1
        return $o
    }
    # a new set of the elements of the list ELEMS (frozen: read-only), all
    # or nothing: a bad element makes no set
    method _newset {frozen elems} {
        if {![::pmemkit::_islist $elems]} { ::pmemkit::Misuse "expected a list but got \"$elems\"" }
        set ov [info object namespace [self]]::owned
        set vals [lmap e $elems { ::pmemkit::_elem $ov "" $e }]
        set s ""
        try {
            my transaction {
                set s [my _adopt set [::pmemkit::pk_set_new $h]]
                set sh [::pmemkit::_my $s _h]
                foreach v $vals { ::pmemkit::pk_set_add $sh $v }
                if {$frozen} { ::pmemkit::_my $s _freeze }
            }
        } on error {msg opts} {
            if {$s ne ""} { $s destroy }
            return -options $opts $msg
        }
        return $s
    }
    method _forget {o} {
        unset -nocomplain owned($o)
        dict for {k v} $objects {
            if {$v eq $o} { dict unset objects $k; break }
        }
    }
}

# ---- containers ------------------------------------------------------------

# Every container object has: pool (the pool object), pns (its namespace,
# for the pool's internal methods), ov (the name of its owned array, for
# _owned), h (the C handle) and kind (map, list, array, log, blocks, set).
oo::class create ::pmemkit::Container {
    variable pool pns ov h kind

    constructor {p handle} {
        set pool $p
        set pns [info object namespace $p]
        set ov ${pns}::owned
        set h $handle
        # the handle is this object's now (Pool _adopt)
        set ::pmemkit::adopted $handle
        set kind [string tolower [namespace tail [info object class [self]]]]
    }
    # (also when a subclass's constructor failed, before or after this
    # class's constructor ran)
    destructor {
        if {![info exists h]} return
        if {[info object isa object $pool]} { ${pns}::my _forget [self] }
        my _close
    }
    method unknown {args} { ::pmemkit::_unknown [self] {*}$args }
    method _close {} {
        if {$h ne ""} {
            set hh $h
            set h ""
            ::pmemkit::pk_${kind}_close $hh
        }
    }
    method _h {} { return $h }
    method _ref {} { lindex [::pmemkit::pk_${kind}_value $h] 1 }
    # a plain Tcl copy: dicts for maps, lists for lists and arrays
    method _plain {} { my list }
}
::pmemkit::_method ::pmemkit::Container kind {} { return $kind }
::pmemkit::_method ::pmemkit::Container pool {} { return $pool }

# a plain copy of a {type value} pair read from the pool of namespace
# $pns: containers as dicts and lists, deeply (by the stored type: a text
# that is an object's name stays text)
proc ::pmemkit::_plain {pns pair} {
    set v [_value $pns $pair]
    if {[lindex $pair 0] in {map list array log blocks set record sorted}} { return [_my $v _plain] }
    return $v
}
# the entries of a cursor as {type value} pairs: {key value} for a map
# (an even list), the values for a list
proc ::pmemkit::_pairs {c entries} {
    set out {}
    try {
        while {[llength [set e [pk_cursor_next $c]]]} {
            foreach i $entries { lappend out [lrange $e [expr {2 * $i}] [expr {2 * $i + 1}]] }
        }
    } finally {
        pk_cursor_free $c
    }
    return $out
}

oo::class create ::pmemkit::Map {
    superclass ::pmemkit::Container
    variable pool pns ov h kind
    method _plain {} { my dict }
}

# Methods that take a key take a type option for it first (-string,
# -int, -double, -bool, -bytes, -bigint, -nil, -tuple): a text key "12"
# written by another language is [$map get -string 12]; [$map set] takes
# it as -keytype TYPE, or -tuple for a tuple key. -tuple KEY: KEY is a
# Tcl list of the tuple's items (pmemkit.i's pk_tcl_tuple_item), each
# typed by its string, or {-TYPE VALUE}, -nil, {-tuple ITEMS} for a
# nested tuple, {-frozenset ITEMS} for a frozen set. -frozenset KEY: a
# frozen set of KEY's items (the same item forms), in any order; [$map
# set] takes it as -keytype frozenset (its -frozenset is the value's, a
# new frozen set container).

# $map get ?-TYPE? KEY ?DEFAULT?: raises PMEMKIT NotFound without a default
::pmemkit::_method ::pmemkit::Map get {args} {
    if {[llength $args] == 1} {
        set key [lindex $args 0]
        if {[::pmemkit::_owned $ov $key]} { set key [::pmemkit::_refvalue $key] }
    } else {
        set args [lassign [::pmemkit::_typeopt $args 0] ktype]
        if {[llength $args] ni {1 2}} { ::pmemkit::_wrongargs [self] get "?-type? key ?default?" }
        set key [::pmemkit::_keyval $ov $ktype [lindex $args 0]]
    }
    set r [::pmemkit::pk_map_get $h $key]
    if {![llength $r]} {
        if {[llength $args] == 2} { return [lindex $args 1] }
        ::pmemkit::Throw [set ::pmemkit::PK_NOTFOUND] "key not found: [lindex $args 0]"
    }
    ::pmemkit::_value $pns $r
} {?-type? key ?default?}
# $map set ?-TYPE? ?-keytype TYPE? KEY VALUE (-nil: no VALUE). -tuple
# without -keytype is the key's (a tuple key: $map set -tuple {1 a} x,
# $map set -string -tuple {1 a} 12); with -keytype it is the value's.
::pmemkit::_method ::pmemkit::Map set {args} {
    set args [lassign [::pmemkit::_typeopt $args 2] type tuple]
    set n [expr {$type eq "nil" ? 1 : 2}]
    set ktype ""
    if {[llength $args] == $n + 2 && [lindex $args 0] eq "-keytype"} {
        set args [lassign $args -> ktype]
        set type [::pmemkit::_keytype $ktype $type $tuple]
    } elseif {$tuple} {
        set ktype tuple
    }
    if {[llength $args] != 2 && !($type eq "nil" && [llength $args] == 1)} {
        ::pmemkit::_wrongargs [self] set "?-type? ?-keytype type? key value"
    }
    lassign $args key value
    if {$ktype ne ""} {
        set key [::pmemkit::_keyval $ov $ktype $key]
    } elseif {[::pmemkit::_owned $ov $key]} {
        set key [::pmemkit::_refvalue $key]
    }
    if {$type eq ""} {
        if {[::pmemkit::_owned $ov $value]} { set value [::pmemkit::_refvalue $value] }
        ::pmemkit::pk_map_put $h $key $value
    } else {
        ::pmemkit::_put $pns $type $value [list ::pmemkit::pk_map_put $h $key]
    }
    return
} {?-type? ?-keytype type? key value}
::pmemkit::_method ::pmemkit::Map exists {args} {
    if {[llength $args] == 1} {
        set key [lindex $args 0]
        if {[::pmemkit::_owned $ov $key]} { set key [::pmemkit::_refvalue $key] }
    } else {
        set key [::pmemkit::_keyarg $ov [self] exists $args]
    }
    ::pmemkit::pk_map_contains $h $key
} {?-type? key}
# like dict unset: no error for an absent key; 1 if one was removed
::pmemkit::_method ::pmemkit::Map unset {args} {
    ::pmemkit::pk_map_remove $h [::pmemkit::_keyarg $ov [self] unset $args]
} {?-type? key}
# the type of a key's value: nil bool int double bytes string bigint map
# list array log blocks set record sorted, or {tuple ITEMTYPE ...}, {frozenset
# ITEMTYPE ...}
::pmemkit::_method ::pmemkit::Map type {args} {
    set r [::pmemkit::pk_map_get $h [::pmemkit::_keyarg $ov [self] type $args]]
    if {![llength $r]} {
        ::pmemkit::Throw [set ::pmemkit::PK_NOTFOUND] "key not found: [lindex $args end]"
    }
    ::pmemkit::_typeof $r
} {?-type? key}
::pmemkit::_method ::pmemkit::Map size {} { ::pmemkit::pk_map_length $h }
::pmemkit::_method ::pmemkit::Map clear {} { ::pmemkit::pk_map_clear $h; return }
# keys and values, those whose string matches PATTERN (as string match)
# if given, in the map's order; with -types, keys come as {KEY TYPE}
# pairs (a key's value cannot tell a text "12" from an int, nor a tuple,
# a list of its items, from a text: its TYPE is {tuple ITEMTYPE ...})
::pmemkit::_method ::pmemkit::Map keys {args} {
    set types 0
    if {[llength $args] && [lindex $args 0] eq "-types"} {
        set types 1
        set args [lrange $args 1 end]
    }
    if {[llength $args] > 1} { ::pmemkit::_wrongargs [self] keys "?-types? ?pattern?" }
    set pattern [expr {[llength $args] ? [lindex $args 0] : "*"}]
    set keys {}
    set c [::pmemkit::pk_map_cursor $h]
    try {
        while {[llength [set e [::pmemkit::pk_cursor_next $c]]]} {
            set k [::pmemkit::_value $pns [lrange $e 0 1]]
            if {$pattern eq "*" || [string match $pattern $k]} {
                if {$types} {
                    lappend keys [list $k [::pmemkit::_typeof [lrange $e 0 1]]]
                } else {
                    lappend keys $k
                }
            }
        }
    } finally {
        ::pmemkit::pk_cursor_free $c
    }
    return $keys
} {?-types? ?pattern?}
::pmemkit::_method ::pmemkit::Map values {{pattern *}} {
    set values {}
    my foreach {k v} { if {$pattern eq "*" || [string match $pattern $v]} { lappend values $v } }
    return $values
}
# $map incr ?-TYPE? KEY ?N?: add N (default 1) to the integer at KEY (0 when
# absent) and return it; one atomic store. Another type raises PMEMKIT
# Value.
::pmemkit::_method ::pmemkit::Map incr {args} {
    set args [lassign [::pmemkit::_typeopt $args 0] ktype]
    if {[llength $args] ni {1 2}} { ::pmemkit::_wrongargs [self] incr "?-type? key ?increment?" }
    lassign $args key n
    if {[llength $args] == 1} { set n 1 }
    set k [::pmemkit::_keyval $ov $ktype $key]
    set v [::pmemkit::_incremented [::pmemkit::pk_map_get $h $k] $n "the value of \"$key\""]
    ::pmemkit::pk_map_put $h $k [::pmemkit::_typed int $v]
    return $v
} {?-type? key ?increment?}
# The sum for an incr: N (an integer, checked) added to the integer of
# the {type value} pair R a get gave ("" for none: 0); WHAT names it in
# the error for another type (PMEMKIT Value)
proc ::pmemkit::_incremented {r n what} {
    if {![string is entier -strict $n]} { Misuse "expected an integer but got \"$n\"" }
    if {![llength $r]} { return $n }
    lassign $r t v
    switch -- $t {
        int {}
        bigint { set v [_bigint_from_bytes $v] }
        default { Throw $::pmemkit::PK_EVALUE "$what is of type $t, not an integer: incr cannot add to it" }
    }
    expr {$v + $n}
}
# The value type of a map's set or lappend given -keytype KTYPE (checked),
# the value's type option TYPE and whether -tuple was there (then the
# value's)
proc ::pmemkit::_keytype {ktype type tuple} {
    if {$ktype ni {string int double bool bytes bigint nil tuple frozenset}} {
        Misuse "bad key type \"$ktype\": must be string, int, double, bool, bytes, bigint, nil, tuple or frozenset"
    }
    if {$tuple} {
        if {$type ne ""} { Misuse "-tuple with -$type: one type for one value" }
        return tuple
    }
    return $type
}
# $map lappend ?-TYPE? ?-keytype TYPE? KEY VALUE...: append to the list at
# KEY (a new list when absent), all or nothing; returns its size. Another
# type raises PMEMKIT Kind. -tuple without -keytype is the key's (another
# type option the values'), as in a map's set; -keytype TYPE (a frozen
# set key: -keytype frozenset) needs a value after the key.
::pmemkit::_method ::pmemkit::Map lappend {args} {
    set args [lassign [::pmemkit::_typeopt $args 2] type tuple]
    if {![llength $args]} { ::pmemkit::_wrongargs [self] lappend "?-type? ?-keytype type? key ?value ...?" }
    if {[llength $args] >= 4 && [lindex $args 0] eq "-keytype"} {
        set args [lassign $args -> ktype key]
        set type [::pmemkit::_keytype $ktype $type $tuple]
        set k [::pmemkit::_keyval $ov $ktype $key]
    } elseif {$tuple} {
        set args [lassign $args key]
        set k [::pmemkit::_typed tuple $key]
    } else {
        set args [lassign $args key]
        set k [::pmemkit::_key $pns $key]
    }
    set opt [expr {$type eq "" ? "--" : "-$type"}]
    ${pns}::my transaction {
        set r [::pmemkit::pk_map_get $h $k]
        if {![llength $r]} {
            set l [${pns}::my newlist]
            ::pmemkit::pk_map_put $h $k [::pmemkit::_typed list [::pmemkit::_my $l _ref]]
        } elseif {[lindex $r 0] eq "list"} {
            set l [::pmemkit::_value $pns $r]
        } else {
            ::pmemkit::Throw $::pmemkit::PK_EKIND \
                "the value of \"$key\" is of type [lindex $r 0], not a list: lappend cannot append to it"
        }
        set size [$l append $opt {*}$args]
    }
    return $size
} {?-type? ?-keytype type? key ?value ...?}
# $map foreach {KEYVAR VALUEVAR} SCRIPT
::pmemkit::_method ::pmemkit::Map foreach {vars script} {
    ::pmemkit::_loop $pns [::pmemkit::pk_map_cursor $h] $vars $script
}
# the whole map as a dict (a snapshot); nested containers as nested dicts
# and lists
::pmemkit::_method ::pmemkit::Map dict {} {
    set d [dict create]
    foreach {k v} [::pmemkit::_pairs [::pmemkit::pk_map_cursor $h] {0 1}] {
        dict set d [::pmemkit::_value $pns $k] [::pmemkit::_plain $pns $v]
    }
    return $d
}

oo::class create ::pmemkit::List {
    superclass ::pmemkit::Container
    variable pool pns ov h kind
}

::pmemkit::_method ::pmemkit::List size {} { ::pmemkit::pk_list_length $h }
# indexes: integers (negative from the end), end, end-N; out of range
# raises PMEMKIT Range
::pmemkit::_method ::pmemkit::List get {index} {
    if {![string is entier -strict $index]} { set index [::pmemkit::_index $index] }
    ::pmemkit::_value $pns [::pmemkit::pk_list_get $h $index]
}
::pmemkit::_method ::pmemkit::List set {args} {
    set args [lassign [::pmemkit::_typeopt $args 1] type]
    if {[llength $args] != 2 && !($type eq "nil" && [llength $args] == 1)} {
        ::pmemkit::_wrongargs [self] set "?-type? index value"
    }
    lassign $args index value
    ::pmemkit::_put $pns $type $value [list ::pmemkit::pk_list_set $h [::pmemkit::_index $index]]
    return
} {?-type? index value}
# $list append ?-type? VALUE...: returns the new size
::pmemkit::_method ::pmemkit::List append {args} {
    set args [lassign [::pmemkit::_typeopt $args 1] type]
    set plain [expr {$type eq ""}]
    foreach v $args {
        if {$plain && [::pmemkit::_owned $ov $v]} { set plain 0 }
    }
    if {$plain} {
        ::pmemkit::pk_list_extend $h $args
    } else {
        ${pns}::my transaction {
            foreach v $args {
                ::pmemkit::pk_list_append $h [::pmemkit::_encode $pns $type $v]
            }
        }
    }
    my size
}
# $list insert INDEX ?-type? VALUE...
::pmemkit::_method ::pmemkit::List insert {index args} {
    set args [lassign [::pmemkit::_typeopt $args 1] type]
    set i [::pmemkit::_index $index]
    if {$i < 0} { set i [expr {[my size] + $i + 1}] }
    ${pns}::my transaction {
        foreach v $args {
            ::pmemkit::pk_list_insert $h $i [::pmemkit::_encode $pns $type $v]
            incr i
        }
    }
    return
} {index ?-type? ?value ...?}
# remove and return an element (default: the last); a container comes
# back as a plain copy (removing the last reference frees it)
::pmemkit::_method ::pmemkit::List pop {{index end}} {
    set i [::pmemkit::_index $index]
    ${pns}::my transaction {
        set v [::pmemkit::_plain $pns [::pmemkit::pk_list_get $h $i]]
        ::pmemkit::pk_list_pop $h $i
    }
    return $v
}
::pmemkit::_method ::pmemkit::List type {index} {
    ::pmemkit::_typeof [::pmemkit::pk_list_get $h [::pmemkit::_index $index]]
}
::pmemkit::_method ::pmemkit::List clear {} { ::pmemkit::pk_list_clear $h; return }
# $list range FIRST LAST: the elements FIRST to LAST as a Tcl list (as
# get gives them: containers as their objects); like lrange, out-of-range
# ends are clamped (indexes as get's: negative from the end, end, end-N)
::pmemkit::_method ::pmemkit::List range {first last} {
    set n [::pmemkit::pk_list_length $h]
    set f [::pmemkit::_absindex $first $n]
    set l [::pmemkit::_absindex $last $n]
    if {$f < 0} { set f 0 }
    if {$l >= $n} { set l [expr {$n - 1}] }
    set out {}
    for {set i $f} {$i <= $l} {incr i} {
        lappend out [::pmemkit::_value $pns [::pmemkit::pk_list_get $h $i]]
    }
    return $out
}
# $list search ?OPTIONS? PATTERN: as lsearch on the elements' Tcl values
# (options -exact -glob -regexp -nocase -all -inline -not -start INDEX;
# -glob by default): the index of the first match, -1 for none
::pmemkit::_method ::pmemkit::List search {args} {
    set opts {}
    set start 0
    while {[llength $args] > 1} {
        set args [lassign $args o]
        switch -- $o {
            -exact - -glob - -regexp - -nocase - -all - -inline - -not { lappend opts $o }
            -start {
                if {[llength $args] < 2} { ::pmemkit::_wrongargs [self] search "?options? pattern" }
                set args [lassign $args start]
                set start [::pmemkit::_absindex $start [my size]]
                if {$start < 0} { set start 0 }
            }
            default {
                ::pmemkit::Misuse "bad option \"$o\": must be -all, -exact, -glob, -inline, -nocase, -not, -regexp or -start"
            }
        }
    }
    if {[llength $args] != 1} { ::pmemkit::_wrongargs [self] search "?options? pattern" }
    if {[catch {lsearch {*}$opts -start $start [my range 0 end] [lindex $args 0]} r]} {
        ::pmemkit::Misuse $r
    }
    return $r
} {?options? pattern}
# $list foreach VAR SCRIPT, or {INDEXVAR VAR}
::pmemkit::_method ::pmemkit::List foreach {vars script} {
    set entries [expr {[llength $vars] == 1 ? {1} : {0 1}}]
    ::pmemkit::_loop $pns [::pmemkit::pk_list_cursor $h] $vars $script $entries
}
# the whole list as a Tcl list (a snapshot); nested containers as dicts
# and lists
::pmemkit::_method ::pmemkit::List list {} {
    lmap v [::pmemkit::_pairs [::pmemkit::pk_list_cursor $h] 1] { ::pmemkit::_plain $pns $v }
}

oo::class create ::pmemkit::Array {
    superclass ::pmemkit::Container
    variable pool pns ov h kind
}

::pmemkit::_method ::pmemkit::Array size {} { ::pmemkit::pk_array_length $h }
# element type (i8 ... f64, bytes) and width in bytes
::pmemkit::_method ::pmemkit::Array type {} {
    ::pmemkit::Array::name [lindex [::pmemkit::pk_array_type $h] 0]
}
::pmemkit::_method ::pmemkit::Array width {} { lindex [::pmemkit::pk_array_type $h] 1 }
::pmemkit::_method ::pmemkit::Array get {index} {
    set v [lindex [::pmemkit::pk_array_get $h [::pmemkit::_index $index]] 1]
    # u64 elements come as the same 64 bits in an int64
    if {$v < 0 && [my type] in $::pmemkit::Array::wide} { set v [expr {$v + (1 << 64)}] }
    return $v
}
::pmemkit::_method ::pmemkit::Array set {index value} {
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
::pmemkit::_method ::pmemkit::Array resize {length} {
    ::pmemkit::pk_array_resize $h [::pmemkit::_count length $length]
    return
}
# the elements as a Tcl list
::pmemkit::_method ::pmemkit::Array list {{start 0} {count ""}} {
    set start [::pmemkit::_count start $start]
    if {$count eq ""} { set count [expr {max(0, [my size] - $start)}] }
    set bytes [::pmemkit::_array_read $h $start [::pmemkit::_count count $count]]
    ::pmemkit::Array::unpack [my type] [my width] $bytes
}
# write the values from element START on, in one transaction
::pmemkit::_method ::pmemkit::Array write {start values} {
    if {![llength $values]} return
    ::pmemkit::pk_array_write $h [::pmemkit::_count start $start] \
        [::pmemkit::Array::pack [my type] [my width] $values]
    return
}
::pmemkit::_method ::pmemkit::Array foreach {vars script} {
    set entries [expr {[llength $vars] == 1 ? {1} : {0 1}}]
    ::pmemkit::_loop $pns [::pmemkit::pk_array_cursor $h] $vars $script $entries
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
            ::pmemkit::Misuse "unknown element type \"$type\": must be one of [dict keys $types]"
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
            set r [catch {binary format [string repeat "a$width" [llength $values]] {*}$values} b]
        } else {
            set r [catch {binary format $f* $values} b]
        }
        if {$r} { ::pmemkit::Misuse "bad values for a $type array: $b" }
        return $b
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
# ---- logs ------------------------------------------------------------------
#
# Records, block contents and region data are byte strings, as Tcl's byte
# commands (binary, a binary channel) take them: a byte array, or a string
# whose characters are U+0000-U+00FF, one byte each. A character above
# U+00FF raises PMEMKIT Value (the C layer's pk_tcl_check_bytes, which
# [_typed bytes] runs): text is bytes
# through [encoding convertto utf-8]. What is read comes as byte arrays.

# records for the C layer: each a checked byte string
proc ::pmemkit::_records {records} {
    lmap r $records { _typed bytes $r }
}

oo::class create ::pmemkit::Log {
    superclass ::pmemkit::Container
    variable pool pns ov h kind
}

# $log append RECORD ?RECORD ...?: several records as one atomic unit;
# returns the number of records
::pmemkit::_method ::pmemkit::Log append {record args} {
    if {[llength $args]} {
        ::pmemkit::pk_log_extend $h [::pmemkit::_records [linsert $args 0 $record]]
    } else {
        ::pmemkit::pk_log_append $h [::pmemkit::_typed bytes $record]
    }
    ::pmemkit::pk_log_length $h
} {record ?record ...?}
# $log extend LIST: the records of a list, as one atomic unit
::pmemkit::_method ::pmemkit::Log extend {records} {
    if {![::pmemkit::_islist $records]} {
        ::pmemkit::Misuse "expected a list of records but got \"$records\""
    }
    ::pmemkit::pk_log_extend $h [::pmemkit::_records $records]
    ::pmemkit::pk_log_length $h
}
::pmemkit::_method ::pmemkit::Log size {} { ::pmemkit::pk_log_length $h }
# the bytes of all the records (their lengths added up)
::pmemkit::_method ::pmemkit::Log nbytes {} { ::pmemkit::pk_log_nbytes $h }
# the position the next record appended will have
::pmemkit::_method ::pmemkit::Log tell {} { ::pmemkit::pk_log_tell $h }
# remove every record (positions from before are then invalid)
::pmemkit::_method ::pmemkit::Log clear {} { ::pmemkit::pk_log_clear $h; return }
# $log foreach ?-from POSITION? VAR SCRIPT, or {POSVAR VAR}: the records
# from the first, or from POSITION (one foreach gave, or one tell gave);
# PMEMKIT Range for a position that is no record's
::pmemkit::_method ::pmemkit::Log foreach {args} {
    if {[llength $args] == 4 && [lindex $args 0] eq "-from"} {
        set args [lassign $args -> from]
    } elseif {[llength $args] == 2} {
        set from 0
    } else {
        ::pmemkit::_wrongargs [self] foreach "?-from position? vars script"
    }
    lassign $args vars script
    set entries [expr {[llength $vars] == 1 ? {1} : {0 1}}]
    set c [::pmemkit::pk_log_cursor_at $h [::pmemkit::_count position $from]]
    ::pmemkit::_loop $pns $c $vars $script $entries
} {?-from position? vars script}
# $log list ?POSITION?: the records (from POSITION) as a Tcl list
::pmemkit::_method ::pmemkit::Log list {{from 0}} {
    set c [::pmemkit::pk_log_cursor_at $h [::pmemkit::_count position $from]]
    lmap v [::pmemkit::_pairs $c 1] { lindex $v 1 }
}

# ---- block arrays ----------------------------------------------------------

oo::class create ::pmemkit::Blocks {
    superclass ::pmemkit::Container
    variable pool pns ov h kind
    # a block's number from an index as a list's (negative from the end,
    # end, end-N); PMEMKIT Range past either end
    method _block {index} {
        if {[string is entier -strict $index] && $index >= 0 && $index < (1 << 62)} {
            return $index
        }
        set n [::pmemkit::pk_blocks_length $h]
        set i [::pmemkit::_absindex $index $n]
        if {$i < 0 || $i >= $n} {
            ::pmemkit::Throw $::pmemkit::PK_ERANGE \
                "pmemkit: block index \"$index\" out of range: the block array has $n blocks"
        }
        return $i
    }
    # a block's contents for the C layer; more bytes than a block holds
    # raise PMEMKIT Value
    method _data {data} {
        set bs [::pmemkit::pk_blocks_block_size $h]
        # (a pure byte array's length is its bytes' count: no string made)
        if {[string length $data] > $bs} {
            ::pmemkit::Misuse "pmemkit: [string length $data] bytes for a block of $bs"
        }
        ::pmemkit::_typed bytes $data
    }
}

::pmemkit::_method ::pmemkit::Blocks size {} { ::pmemkit::pk_blocks_length $h }
::pmemkit::_method ::pmemkit::Blocks blocksize {} { ::pmemkit::pk_blocks_block_size $h }
# $blocks get INDEX: exactly blocksize bytes; a block marked bad raises
# POSIX EIO
::pmemkit::_method ::pmemkit::Blocks get {index} {
    lindex [::pmemkit::pk_blocks_get $h [my _block $index]] 1
}
# $blocks set INDEX DATA: the block written whole, atomically (zeros after
# DATA)
::pmemkit::_method ::pmemkit::Blocks set {index data} {
    ::pmemkit::pk_blocks_write $h [my _block $index] [my _data $data]
    return
}
# make a block read as zeros (and no longer bad), atomically
::pmemkit::_method ::pmemkit::Blocks zero {index} {
    ::pmemkit::pk_blocks_zero $h [my _block $index]
    return
}
# mark a block bad: reading it raises POSIX EIO until it is set or zeroed
::pmemkit::_method ::pmemkit::Blocks seterror {index} {
    ::pmemkit::pk_blocks_set_error $h [my _block $index]
    return
}
# $blocks grow N: N more blocks that read as zeros, all or none; returns
# the number of blocks
::pmemkit::_method ::pmemkit::Blocks grow {n} {
    ::pmemkit::pk_blocks_grow $h [::pmemkit::_count count $n]
    ::pmemkit::pk_blocks_length $h
}
# $blocks append DATA: one more block holding DATA, in one transaction;
# returns the number of blocks
::pmemkit::_method ::pmemkit::Blocks append {data} {
    set v [my _data $data]
    ${pns}::my transaction {
        ::pmemkit::pk_blocks_grow $h 1
        set n [::pmemkit::pk_blocks_length $h]
        ::pmemkit::pk_blocks_write $h [expr {$n - 1}] $v
    }
    return $n
}
# $blocks foreach VAR SCRIPT, or {INDEXVAR VAR}; a block marked bad
# raises POSIX EIO
::pmemkit::_method ::pmemkit::Blocks foreach {vars script} {
    set entries [expr {[llength $vars] == 1 ? {1} : {0 1}}]
    ::pmemkit::_loop $pns [::pmemkit::pk_blocks_cursor $h] $vars $script $entries
}
# the blocks as a Tcl list of byte arrays
::pmemkit::_method ::pmemkit::Blocks list {} {
    lmap v [::pmemkit::_pairs [::pmemkit::pk_blocks_cursor $h] 1] { lindex $v 1 }
}

# ---- sets ------------------------------------------------------------------
#
# A set's elements are what a map takes as keys, typed the same way (by
# their strings, or a type option for all of them: -string, -int,
# -double, -bool, -bytes, -bigint, -nil) and compared as the pool
# compares keys: 1, 1.0 and a true boolean are one element, the text
# "1" another. A container is no element (PMEMKIT KeyType).

# an element for the C layer (TYPE: "" for none); a container object of
# this pool raises PMEMKIT KeyType here, before anything is changed
proc ::pmemkit::_elem {ov type e} {
    if {$type eq "" && [_owned $ov $e]} {
        Throw $::pmemkit::PK_EKEYTYPE \
            "pmemkit: a set's elements are scalars (as a map's keys): $e is a [$e kind]"
    }
    _keyval $ov $type $e
}

# An element's identity under the pool's equality, for the set
# operations: {n INTEGER} for integers, integral doubles and booleans
# (1, 1.0 and true are one element), {d DOUBLE}, {s TEXT}, {b HEX}, {z}
# for nil. TYPE is the stored type (or the one an option or the string
# gives); a byte string's string is not made.
proc ::pmemkit::_ident {type v} {
    switch -- $type {
        int - bigint { return [list n [expr {$v}]] }
        bool { return [list n [expr {$v ? 1 : 0}]] }
        double {
            if {![catch {expr {entier($v)}} i] && $i == $v} { return [list n $i] }
            return [list d [expr {double($v)}]]
        }
        bytes { return [list b [binary encode hex $v]] }
        nil { return z }
        default { return [list s $v] }
    }
}

# The identity of a {type value} pair read from a pool (as _ident); a
# tuple's is {t ITEM...}, its items' identities, a frozen set's {f
# ITEM...} (its members in the library's order: one for equal sets)
proc ::pmemkit::_identp {pair} {
    lassign $pair t v
    switch -- $t {
        tuple { return [list t {*}[lmap p $v { _identp $p }]] }
        frozenset { return [list f {*}[lmap p $v { _identp $p }]] }
        bigint { return [_ident int [_bigint_from_bytes $v]] }
        default { return [_ident $t $v] }
    }
}

# 1 if element V was removed from the set of handle H, 0 if not there
proc ::pmemkit::_discard {h v} {
    try {
        pk_set_discard $h $v
        return 1
    } trap {PMEMKIT NotFound} {} {
        return 0
    }
}

oo::class create ::pmemkit::Set {
    superclass ::pmemkit::Container
    variable pool pns ov h kind frozen

    constructor {p handle} {
        next $p $handle
        set frozen [expr {([::pmemkit::pk_container_flags [${pns}::my _h] \
            [::pmemkit::_typed set [my _ref]]] & $::pmemkit::PK_FLAG_FROZEN) != 0}]
    }
    method _plain {} { my members }
    # mark the set frozen (read-only), in the pool and in this object
    method _freeze {} {
        set ref [::pmemkit::_typed set [my _ref]]
        set ph [${pns}::my _h]
        ::pmemkit::pk_container_set_flags $ph $ref \
            [expr {[::pmemkit::pk_container_flags $ph $ref] | $::pmemkit::PK_FLAG_FROZEN}]
        set frozen 1
    }
    # refuse a mutator on a frozen set
    method _writable {method} {
        if {$frozen} {
            ::pmemkit::Throw $::pmemkit::PK_EKIND \
                "pmemkit: [self] is a frozen set (read-only): $method cannot change it"
        }
    }
    # the elements for the C layer of the arguments ?-TYPE? ELEM...
    method _elems {method arglist} {
        set arglist [lassign [::pmemkit::_typeopt $arglist 0] type]
        if {![llength $arglist]} { ::pmemkit::_wrongargs [self] $method "?-type? elem ?elem ...?" }
        lmap e $arglist { ::pmemkit::_elem $ov $type $e }
    }
    # {IDENT VALUE} of each element, in the set's order
    method _idents {} {
        set out {}
        foreach e [::pmemkit::_pairs [::pmemkit::pk_set_cursor $h] 0] {
            set v [::pmemkit::_value $pns $e]
            lappend out [::pmemkit::_identp $e] $v
        }
        return $out
    }
    # the operand of a set operation (?-TYPE? LIST, or a set object of any
    # pool) as a dict IDENT -> VALUE (the first of equal ones)
    method _operand {method arglist} {
        set arglist [lassign [::pmemkit::_typeopt $arglist 0] type]
        if {[llength $arglist] != 1} { ::pmemkit::_wrongargs [self] $method "?-type? list|set" }
        set other [lindex $arglist 0]
        set d [dict create]
        if {$type eq "" && [::pmemkit::_islist $other] && [llength $other] == 1 &&
                [string match ::pmemkit::* $other] && [info object isa object $other]} {
            if {[info object isa typeof $other ::pmemkit::Set]} {
                foreach {id v} [::pmemkit::_my $other _idents] { dict set d $id $v }
                return $d
            }
            # a closed one raises PMEMKIT Closed; another object is no set
            if {[info object isa typeof $other ::pmemkit::Closed]} { $other members }
            ::pmemkit::Misuse "expected a list or a set but got $other, which is no set"
        }
        if {![::pmemkit::_islist $other]} {
            ::pmemkit::Misuse "expected a list or a set but got \"$other\""
        }
        foreach v $other {
            if {$type eq "nil"} {
                set id z
            } elseif {$type eq "tuple"} {
                set id [::pmemkit::_identp [::pmemkit::_tuplepair $v]]
            } elseif {$type eq "frozenset"} {
                set id [::pmemkit::_identp [::pmemkit::_tuplepair $v frozenset]]
            } elseif {$type eq "bool"} {
                if {![string is boolean -strict $v]} { ::pmemkit::Misuse "expected a boolean but got \"$v\"" }
                set id [::pmemkit::_ident bool $v]
            } elseif {$type in {int double bigint}} {
                if {![string is double -strict $v]} { ::pmemkit::Misuse "expected a number but got \"$v\"" }
                set id [::pmemkit::_ident [expr {$type eq "double" ? "double" : "int"}] $v]
            } else {
                set id [::pmemkit::_ident [expr {$type eq "" ? [::pmemkit::_kind $v] : $type}] $v]
            }
            if {![dict exists $d $id]} { dict set d $id $v }
        }
        return $d
    }
}

# 1 for a frozen set (read-only: written by Python from a frozenset, or
# by [$pool newset -frozen] or -frozenset)
::pmemkit::_method ::pmemkit::Set frozen {} { return $frozen }
::pmemkit::_method ::pmemkit::Set size {} { ::pmemkit::pk_set_length $h }
# $set contains ?-TYPE? ELEM: 1 or 0 (a container raises PMEMKIT KeyType,
# as add does)
::pmemkit::_method ::pmemkit::Set contains {args} {
    if {[llength $args] == 1} {
        set e [::pmemkit::_elem $ov "" [lindex $args 0]]
    } else {
        set args [lassign [::pmemkit::_typeopt $args 0] type]
        if {[llength $args] != 1} { ::pmemkit::_wrongargs [self] contains "?-type? elem" }
        set e [::pmemkit::_keyval $ov $type [lindex $args 0]]
    }
    ::pmemkit::pk_set_contains $h $e
} {?-type? elem}
# $set add ?-TYPE? ELEM ?ELEM ...?: all or none (one transaction);
# returns the set's size
::pmemkit::_method ::pmemkit::Set add {args} {
    my _writable add
    set vals [my _elems add $args]
    if {[llength $vals] == 1} {
        ::pmemkit::pk_set_add $h [lindex $vals 0]
    } else {
        ${pns}::my transaction { foreach v $vals { ::pmemkit::pk_set_add $h $v } }
    }
    ::pmemkit::pk_set_length $h
} {?-type? elem ?elem ...?}
# $set remove ?-TYPE? ELEM ?ELEM ...?: those there removed, all or none
# (one transaction; an absent element is no error, as with dict unset);
# returns how many were removed
::pmemkit::_method ::pmemkit::Set remove {args} {
    my _writable remove
    set vals [my _elems remove $args]
    if {[llength $vals] == 1} { return [::pmemkit::_discard $h [lindex $vals 0]] }
    set n 0
    ${pns}::my transaction { foreach v $vals { incr n [::pmemkit::_discard $h $v] } }
    return $n
} {?-type? elem ?elem ...?}
::pmemkit::_method ::pmemkit::Set clear {} {
    my _writable clear
    ::pmemkit::pk_set_clear $h
    return
}
# the elements as a Tcl list, in no particular order; with -types, as
# {ELEM TYPE} pairs (an element cannot tell a text "7" from an int)
::pmemkit::_method ::pmemkit::Set members {args} {
    if {$args ni {{} -types}} { ::pmemkit::_wrongargs [self] members "?-types?" }
    lmap e [::pmemkit::_pairs [::pmemkit::pk_set_cursor $h] 0] {
        set v [::pmemkit::_value $pns $e]
        if {$args eq ""} { set v } else { list $v [::pmemkit::_typeof $e] }
    }
} {?-types?}
# $set foreach VAR SCRIPT: each element
::pmemkit::_method ::pmemkit::Set foreach {var script} {
    ::pmemkit::_loop $pns [::pmemkit::pk_set_cursor $h] $var $script {0}
}
# Set operations with ?-TYPE? LIST (its elements typed as add types them)
# or another set object: plain Tcl lists, the set unchanged. union: the
# elements, then those of the other not in the set; intersect: the
# elements also in the other; difference: those not in the other;
# symdiff: those in only one of them.
::pmemkit::_method ::pmemkit::Set union {args} {
    set d [my _operand union $args]
    set out {}
    foreach {id v} [my _idents] { lappend out $v; dict unset d $id }
    list {*}$out {*}[dict values $d]
} {?-type? list|set}
::pmemkit::_method ::pmemkit::Set intersect {args} {
    set d [my _operand intersect $args]
    set out {}
    foreach {id v} [my _idents] { if {[dict exists $d $id]} { lappend out $v } }
    return $out
} {?-type? list|set}
::pmemkit::_method ::pmemkit::Set difference {args} {
    set d [my _operand difference $args]
    set out {}
    foreach {id v} [my _idents] { if {![dict exists $d $id]} { lappend out $v } }
    return $out
} {?-type? list|set}
::pmemkit::_method ::pmemkit::Set symdiff {args} {
    set d [my _operand symdiff $args]
    set out {}
    foreach {id v} [my _idents] {
        if {[dict exists $d $id]} { dict unset d $id } else { lappend out $v }
    }
    list {*}$out {*}[dict values $d]
} {?-type? list|set}
# 1 if the set has the same elements as ?-TYPE? LIST or another set
::pmemkit::_method ::pmemkit::Set equal {args} {
    set d [my _operand equal $args]
    if {[dict size $d] != [::pmemkit::pk_set_length $h]} { return 0 }
    foreach {id v} [my _idents] { if {![dict exists $d $id]} { return 0 } }
    return 1
} {?-type? list|set}

# ---- sorted maps -----------------------------------------------------------
#
# A sorted map is a map whose entries come in the order of their keys:
# nil, then numbers by value (1, 1.0 and a true boolean are one key, as in
# a map), then byte strings bytewise, then text by code point, then
# tuples item by item. Keys are typed as a map's (by their strings, or a
# type option); a container or a frozen set is no key (PMEMKIT KeyType).
# Its object has every method of a map (get, set, exists, unset, type,
# size, clear, keys, values, incr, lappend, foreach, dict: the same
# arguments, in key order), and those of the order: an entry comes as a
# two-element list {KEY VALUE} (a container value as its object), "" where
# there is none.
#
# A range is given by options: -from KEY (keys at or after KEY), -after
# KEY (after it), -to KEY (at or before it), -before KEY (before it),
# -prefix P (text keys that start with P; bytes keys if P is a pure byte
# array or -keytype is bytes) and -keytype TYPE (the bounds' type, as a
# map's -keytype: [-keytype string -from 12] is the text "12").

oo::class create ::pmemkit::Sorted {
    superclass ::pmemkit::Container
    variable pool pns ov h kind
    method _plain {} { my dict }

    # {KEY VALUE} of a {ktype key vtype value} entry from the C layer ("")
    method _entry {e} {
        if {![llength $e]} { return {} }
        list [::pmemkit::_value $pns [lrange $e 0 1]] [::pmemkit::_value $pns [lrange $e 2 3]]
    }
    # The range options of ARGLIST (FLAGS: the flags a method takes
    # besides, of -reverse -keys): {HAS LO LOOPEN HI HIOPEN PREFIX FLAGS
    # REST}: the C layer's arguments, the flags given, the arguments after
    # the options ("--" ends them). A bound or prefix without a value
    # raises PMEMKIT Value.
    method _range {arglist flags} {
        set has 0
        lassign {"" 0 "" 0 ""} lo loopen hi hiopen prefix
        set ktype ""
        set given {}
        set bounds {}
        while {[llength $arglist]} {
            set o [lindex $arglist 0]
            if {[::pmemkit::_isbytes $o] || ![string match -* $o]} break
            set arglist [lrange $arglist 1 end]
            if {$o eq "--"} break
            if {$o in $flags} {
                lappend given $o
                continue
            }
            if {$o ni {-from -after -to -before -prefix -keytype}} {
                ::pmemkit::Misuse "bad option \"$o\": must be [::pmemkit::_oneof [list -after -before -from -keytype -prefix -to {*}$flags]]"
            }
            if {![llength $arglist]} { ::pmemkit::Misuse "option $o needs a value" }
            set arglist [lassign $arglist v]
            dict set bounds $o $v
        }
        if {[dict exists $bounds -keytype]} {
            set ktype [dict get $bounds -keytype]
            ::pmemkit::_keytype $ktype "" 0
            dict unset bounds -keytype
        }
        dict for {o v} $bounds {
            switch -- $o {
                -from - -after {
                    set has [expr {$has | $::pmemkit::PK_SWIG_HAS_LO}]
                    set lo [::pmemkit::_keyval $ov $ktype $v]
                    set loopen [expr {$o eq "-after"}]
                }
                -to - -before {
                    set has [expr {$has | $::pmemkit::PK_SWIG_HAS_HI}]
                    set hi [::pmemkit::_keyval $ov $ktype $v]
                    set hiopen [expr {$o eq "-before"}]
                }
                -prefix {
                    set has [expr {$has | $::pmemkit::PK_SWIG_HAS_PREFIX}]
                    set prefix [expr {[::pmemkit::_isbytes $v] || $ktype eq "bytes" ?
                        [::pmemkit::_typed bytes $v] : [::pmemkit::_typed string $v]}]
                }
            }
        }
        list $has $lo $loopen $hi $hiopen $prefix $given $arglist
    }
    # a cursor over the range of the C layer's arguments R (_range)
    method _cursor {r reverse} {
        lassign $r has lo loopen hi hiopen prefix
        ::pmemkit::pk_swig_sorted_range_cursor $h $has $lo $loopen $hi $hiopen $reverse $prefix
    }
    # the seek of a method (ceiling ...) with the arguments ?-TYPE? KEY
    method _seek {method how arglist} {
        my _entry [::pmemkit::pk_sorted_seek $h [::pmemkit::_keyarg $ov [self] $method $arglist] $how]
    }
}
# the methods of a map, on the sorted map's C functions
foreach m {get set exists unset type size clear keys values incr lappend dict} {
    oo::define ::pmemkit::Sorted method $m {*}[string map {::pmemkit::pk_map_ ::pmemkit::pk_sorted_} \
        [info class definition ::pmemkit::Map $m]]
}
unset m

# $m foreach ?RANGE OPTIONS? ?-reverse? {KEYVAR VALUEVAR} SCRIPT: the
# entries (of the range) in key order (-reverse: the last first)
::pmemkit::_method ::pmemkit::Sorted foreach {args} {
    set usage "?-from key? ?-after key? ?-to key? ?-before key? ?-prefix p? ?-keytype type? ?-reverse? vars script"
    if {[llength $args] < 2} { ::pmemkit::_wrongargs [self] foreach $usage }
    set r [my _range [lrange $args 0 end-2] -reverse]
    if {[llength [lindex $r end]]} { ::pmemkit::_wrongargs [self] foreach $usage }
    ::pmemkit::_loop $pns [my _cursor $r [expr {[llength [lindex $r 6]] > 0}]] \
        {*}[lrange $args end-1 end]
} {?-from key? ?-after key? ?-to key? ?-before key? ?-prefix p? ?-keytype type? ?-reverse? vars script}
# $m range ?RANGE OPTIONS? ?-reverse? ?-keys?: the entries of the range as
# a list KEY VALUE KEY VALUE ... in key order (a dict, when no two keys
# have one string), or with -keys the keys alone
::pmemkit::_method ::pmemkit::Sorted range {args} {
    set r [my _range $args {-reverse -keys}]
    if {[llength [lindex $r end]]} {
        ::pmemkit::_wrongargs [self] range "?-from key? ?-after key? ?-to key? ?-before key? ?-prefix p? ?-keytype type? ?-reverse? ?-keys?"
    }
    set flags [lindex $r 6]
    set c [my _cursor $r [expr {"-reverse" in $flags}]]
    set out {}
    if {"-keys" in $flags} {
        foreach k [::pmemkit::_pairs $c 0] { lappend out [::pmemkit::_value $pns $k] }
    } else {
        foreach p [::pmemkit::_pairs $c {0 1}] { lappend out [::pmemkit::_value $pns $p] }
    }
    return $out
} {?-from key? ?-after key? ?-to key? ?-before key? ?-prefix p? ?-keytype type? ?-reverse? ?-keys?}
# $m prefix ?-bytes? ?-reverse? ?-keys? P: [$m range -prefix P]: the
# entries whose text keys start with P (-bytes, or P a pure byte array:
# whose bytes keys do)
::pmemkit::_method ::pmemkit::Sorted prefix {args} {
    set opts [lrange $args 0 end-1]
    if {![llength $args] || [llength [lsearch -all -inline -not -regexp $opts {^-(bytes|reverse|keys)$}]]} {
        ::pmemkit::_wrongargs [self] prefix "?-bytes? ?-reverse? ?-keys? prefix"
    }
    set kt [expr {"-bytes" in $opts ? "bytes" : "string"}]
    my range -keytype $kt {*}[lsearch -all -inline -not $opts -bytes] -prefix [lindex $args end]
} {?-bytes? ?-reverse? ?-keys? prefix}
# $m deleterange ?RANGE OPTIONS?: remove the entries of the range (every
# entry without options) in one transaction; returns how many
::pmemkit::_method ::pmemkit::Sorted deleterange {args} {
    set r [my _range $args {}]
    if {[llength [lindex $r end]]} {
        ::pmemkit::_wrongargs [self] deleterange "?-from key? ?-after key? ?-to key? ?-before key? ?-prefix p? ?-keytype type?"
    }
    lassign $r has lo loopen hi hiopen prefix
    ::pmemkit::pk_swig_sorted_remove_range $h $has $lo $loopen $hi $hiopen $prefix
} {?-from key? ?-after key? ?-to key? ?-before key? ?-prefix p? ?-keytype type?}
# $m index INDEX: the entry {KEY VALUE} at INDEX in key order (an integer,
# negative from the end, end, end-N); PMEMKIT Range outside
::pmemkit::_method ::pmemkit::Sorted index {index} {
    my _entry [::pmemkit::pk_sorted_at $h [::pmemkit::_index $index]]
}
# the first and last entries {KEY VALUE}, "" for an empty map
::pmemkit::_method ::pmemkit::Sorted first {} {
    if {![::pmemkit::pk_sorted_length $h]} { return {} }
    my _entry [::pmemkit::pk_sorted_at $h 0]
}
::pmemkit::_method ::pmemkit::Sorted last {} {
    if {![::pmemkit::pk_sorted_length $h]} { return {} }
    my _entry [::pmemkit::pk_sorted_at $h -1]
}
# $m ceiling ?-TYPE? KEY: the entry of the least key at or after KEY;
# floor the greatest at or before, higher the least after, lower the
# greatest before; "" where there is none (KEY need not be there)
::pmemkit::_method ::pmemkit::Sorted ceiling {args} { my _seek ceiling $::pmemkit::PK_SEEK_GE $args } {?-type? key}
::pmemkit::_method ::pmemkit::Sorted higher {args} { my _seek higher $::pmemkit::PK_SEEK_GT $args } {?-type? key}
::pmemkit::_method ::pmemkit::Sorted floor {args} { my _seek floor $::pmemkit::PK_SEEK_LE $args } {?-type? key}
::pmemkit::_method ::pmemkit::Sorted lower {args} { my _seek lower $::pmemkit::PK_SEEK_LT $args } {?-type? key}
# $m rank ?-TYPE? KEY: the number of keys before KEY (present or not):
# its index when there
::pmemkit::_method ::pmemkit::Sorted rank {args} {
    ::pmemkit::pk_sorted_rank $h [::pmemkit::_keyarg $ov [self] rank $args] 0
} {?-type? key}
# $m pop ?INDEX?: remove and return the entry {KEY VALUE} at INDEX
# (default end: the last; 0 the first), one transaction; a container
# value comes back as a plain copy (removing the last reference frees it)
::pmemkit::_method ::pmemkit::Sorted pop {{index end}} {
    set i [::pmemkit::_index $index]
    ${pns}::my transaction {
        set e [::pmemkit::pk_sorted_at $h $i]
        set out [list [::pmemkit::_value $pns [lrange $e 0 1]] [::pmemkit::_plain $pns [lrange $e 2 3]]]
        ::pmemkit::pk_sorted_remove_at $h $i
    }
    return $out
}

# ---- records ---------------------------------------------------------------
#
# A record is an object of a named class whose attributes live in the
# pool. The program says which TclOO class a class name's records come
# back as (pmemkit::register); the pool never does: loading a pool runs
# nothing it names. Every record object, of a registered class or not, is
# a ::pmemkit::Record: its methods read and write the pool (each write
# atomic, a transaction groups several), and there is one object per
# record, so two reads of the same record are the same command (eq).

# pmemkit::register NAME ?-class OOCLASS?: records of the class named
# NAME come back as objects of OOCLASS, a subclass of ::pmemkit::Record
# (its methods reach the attributes through [my get x], [my set x 1], or
# the variables it declares, each the attribute of its name: _link);
# without -class as plain ::pmemkit::Record objects (the default for a
# name not registered). Objects already made keep their class.
proc ::pmemkit::register {name args} {
    variable records
    if {[llength $args] == 0} {
        set cls ::pmemkit::Record
    } elseif {[llength $args] == 2 && [lindex $args 0] eq "-class"} {
        set cls [uplevel 1 [list namespace which -command [lindex $args 1]]]
        if {$cls eq "" || ![info object isa class $cls] || ![_isrecordclass $cls]} {
            Misuse "bad class \"[lindex $args 1]\": must be a TclOO class whose superclass is ::pmemkit::Record"
        }
        foreach v [_record_vars $cls] {
            if {$v in {pool pns ov h kind}} {
                Misuse "$cls declares the variable $v, a record object's own: an attribute of that name is \[my get $v\]"
            }
        }
    } else {
        Misuse {wrong # args: should be "pmemkit::register name ?-class ooclass?"}
    }
    set n [string length [encoding convertto utf-8 $name]]
    if {$n < 1 || $n > $::pmemkit::PK_RECORD_CLASS_MAX} {
        Misuse "bad record class name \"$name\": must be 1 to $::pmemkit::PK_RECORD_CLASS_MAX bytes of UTF-8"
    }
    set records($name) $cls
    return
}
# pmemkit::unregister NAME: NAME's records come back as ::pmemkit::Record
proc ::pmemkit::unregister {name} {
    variable records
    unset -nocomplain records($name)
    return
}
# pmemkit::registered ?NAME?: the names registered (sorted), or the class
# NAME's records come back as
proc ::pmemkit::registered {args} {
    variable records
    if {[llength $args] == 0} { return [lsort [array names records]] }
    if {[llength $args] != 1} { Misuse {wrong # args: should be "pmemkit::registered ?name?"} }
    _record_class [lindex $args 0]
}
proc ::pmemkit::_record_class {name} {
    variable records
    if {[info exists records($name)]} { return $records($name) }
    return ::pmemkit::Record
}
# the variables the classes of a record object declare below
# ::pmemkit::Record (Record._link)
proc ::pmemkit::_record_vars {cls} {
    if {$cls eq "::pmemkit::Record"} { return {} }
    set vars [info class variables $cls]
    foreach s [info class superclasses $cls] {
        if {[_isrecordclass $s]} { lappend vars {*}[_record_vars $s] }
    }
    lsort -unique $vars
}
proc ::pmemkit::_isrecordclass {cls} {
    if {$cls eq "::pmemkit::Record"} { return 1 }
    foreach s [info class superclasses $cls] {
        if {[_isrecordclass $s]} { return 1 }
    }
    return 0
}

oo::class create ::pmemkit::Record {
    superclass ::pmemkit::Container
    variable pool pns ov h kind

    # (a subclass's constructor, if it has one, passes its arguments on:
    # constructor args { next {*}$args; ... })
    constructor {args} {
        if {[llength $args] != 2} {
            ::pmemkit::Misuse "a record object is made by \$pool newrecord CLASS ?DICT?, or read from a pool: [self class] new alone would hold nothing"
        }
        next {*}$args
        set kind record
        set vars [::pmemkit::_record_vars [info object class [self]]]
        if {[llength $vars]} { my _link $vars }
    }
    method _plain {} { my dict }
    # The variables VARS a subclass declares are the attributes of their
    # names: a read reads the pool (a missing attribute raises), a write
    # stores (atomic; typed by the value's string), an unset removes.
    method _link {vars} {
        set ns [namespace current]
        foreach v $vars {
            if {$v in {pool pns ov h kind}} {
                ::pmemkit::Misuse "[info object class [self]] declares the variable $v, the record object's own: an attribute of that name is \[my get $v\]"
            }
            trace add variable ${ns}::$v {read write unset} [list ${ns}::my _trace $v]
        }
    }
    method _trace {attr name1 name2 op} {
        set var [namespace current]::$attr
        if {$name2 ne ""} {
            ::pmemkit::Misuse "$attr is an attribute of a record: a value, not an array"
        }
        switch -- $op {
            read {
                set r [::pmemkit::pk_record_get $h [my _attr $attr]]
                if {![llength $r]} { my _missing $attr }
                set $var [::pmemkit::_value $pns $r]
            }
            write {
                set v [set $var]
                if {[::pmemkit::_owned $ov $v]} { set v [::pmemkit::_refvalue $v] }
                ::pmemkit::pk_record_put $h [my _attr $attr] $v
            }
            unset {
                # (also when the object goes: its handle is closed then)
                if {$h eq ""} return
                ::pmemkit::pk_record_remove $h [my _attr $attr]
                trace add variable $var {read write unset} [list [namespace current]::my _trace $attr]
            }
        }
    }
    # the C layer's name of an attribute: text
    method _attr {name} { ::pmemkit::_typed string $name }
    method _missing {name} {
        ::pmemkit::Throw $::pmemkit::PK_NOTFOUND \
            "pmemkit: [self] (a [my class] record) has no attribute \"$name\""
    }
}

# the record's class name (not the TclOO class of its object: [info
# object class] says that)
::pmemkit::_method ::pmemkit::Record class {} {
    lindex [::pmemkit::pk_record_class $h] 1
}
# $rec get NAME ?DEFAULT?: PMEMKIT NotFound for a missing attribute
# without a default
::pmemkit::_method ::pmemkit::Record get {name args} {
    if {[llength $args] > 1} { ::pmemkit::_wrongargs [self] get "name ?default?" }
    set r [::pmemkit::pk_record_get $h [my _attr $name]]
    if {![llength $r]} {
        if {[llength $args]} { return [lindex $args 0] }
        my _missing $name
    }
    ::pmemkit::_value $pns $r
} {name ?default?}
# $rec set ?-TYPE? NAME VALUE, or $rec set NAME VALUE -TYPE: one atomic
# store (a new container for -dict, -list, -tree, -set: one
# transaction); type options as a map's set (-tuple: a tuple value)
::pmemkit::_method ::pmemkit::Record set {args} {
    set args [lassign [::pmemkit::_typeopt $args 1] type]
    if {$type eq "" && [llength $args] == 3} {
        set rest [lassign [::pmemkit::_typeopt [lrange $args 2 2] 1] type]
        if {$type eq "" || [llength $rest]} {
            ::pmemkit::_wrongargs [self] set "?-type? name value"
        }
        set args [lrange $args 0 1]
    }
    if {[llength $args] != 2 && !($type eq "nil" && [llength $args] == 1)} {
        ::pmemkit::_wrongargs [self] set "?-type? name value"
    }
    lassign $args name value
    ::pmemkit::_put $pns $type $value [list ::pmemkit::pk_record_put $h [my _attr $name]]
    return
} {?-type? name value}
# $rec unset ?-nocomplain? NAME: as Tcl's unset, a missing attribute
# raises PMEMKIT NotFound (not with -nocomplain); 1 if one was removed
::pmemkit::_method ::pmemkit::Record unset {args} {
    if {[llength $args] == 2 && [lindex $args 0] eq "-nocomplain"} {
        return [::pmemkit::pk_record_remove $h [my _attr [lindex $args 1]]]
    }
    if {[llength $args] != 1} { ::pmemkit::_wrongargs [self] unset "?-nocomplain? name" }
    if {![::pmemkit::pk_record_remove $h [my _attr [lindex $args 0]]]} {
        my _missing [lindex $args 0]
    }
    return 1
} {?-nocomplain? name}
::pmemkit::_method ::pmemkit::Record exists {name} {
    ::pmemkit::pk_record_contains $h [my _attr $name]
}
# the type of an attribute's value, as [$map type KEY]'s
::pmemkit::_method ::pmemkit::Record type {name} {
    set r [::pmemkit::pk_record_get $h [my _attr $name]]
    if {![llength $r]} { my _missing $name }
    ::pmemkit::_typeof $r
}
::pmemkit::_method ::pmemkit::Record size {} { ::pmemkit::pk_record_length $h }
# the attributes' names (those matching PATTERN, as string match), in no
# particular order
::pmemkit::_method ::pmemkit::Record names {{pattern *}} {
    set out {}
    foreach k [::pmemkit::_pairs [::pmemkit::pk_record_cursor $h] 0] {
        set k [lindex $k 1]
        if {$pattern eq "*" || [string match $pattern $k]} { lappend out $k }
    }
    return $out
}
# $rec foreach {NAMEVAR VALUEVAR} SCRIPT
::pmemkit::_method ::pmemkit::Record foreach {vars script} {
    ::pmemkit::_loop $pns [::pmemkit::pk_record_cursor $h] $vars $script
}
# $rec incr NAME ?N?: as a map's incr (0 when absent), one atomic store
::pmemkit::_method ::pmemkit::Record incr {name {n 1}} {
    set v [::pmemkit::_incremented [::pmemkit::pk_record_get $h [my _attr $name]] $n \
        "the attribute \"$name\""]
    ::pmemkit::pk_record_put $h [my _attr $name] [::pmemkit::_typed int $v]
    return $v
}
# the attributes as a plain dict (a snapshot; nested containers as dicts
# and lists)
::pmemkit::_method ::pmemkit::Record dict {} {
    set d [dict create]
    foreach {k v} [::pmemkit::_pairs [::pmemkit::pk_record_cursor $h] {0 1}] {
        dict set d [lindex $k 1] [::pmemkit::_plain $pns $v]
    }
    return $d
}

# ---- raw persistent memory -------------------------------------------------

# pmemkit::region PATH ?-create? ?-exclusive? ?-size BYTES? ?-mode MODE?:
# a region object for the file mapped whole. With -create a missing file
# is made of -size bytes (an existing one is mapped as it is, never
# truncated; -exclusive refuses it); without, -size, if given, must be
# the file's length.
proc ::pmemkit::region {args} {
    set usage {wrong # args: should be "pmemkit::region path ?-create? ?-exclusive? ?-size bytes? ?-mode mode?"}
    if {![llength $args]} { Misuse $usage }
    set args [lassign $args path]
    set create 0
    set exclusive 0
    set size ""
    set mode 0600
    while {[llength $args]} {
        set args [lassign $args o]
        switch -- $o {
            -create - -exclusive { set [string range $o 1 end] 1 }
            -size - -mode {
                if {![llength $args]} { Misuse "option $o needs a value" }
                set args [lassign $args v]
                if {![string is entier -strict $v] || $v < 0 || $v >= (1 << 64)} {
                    Misuse "bad value for $o \"$v\": must be a non-negative integer"
                }
                set [string range $o 1 end] $v
            }
            default { Misuse "bad option \"$o\": must be -create, -exclusive, -mode or -size" }
        }
    }
    variable PK_REGION_CREATE
    variable PK_REGION_EXCL
    if {$create} {
        if {$size eq "" || $size == 0} { Misuse "pmemkit::region -create needs -size BYTES (more than 0)" }
        set h [pk_region_map $path $size \
            [expr {$PK_REGION_CREATE | ($exclusive ? $PK_REGION_EXCL : 0)}] $mode]
    } else {
        if {$exclusive} { Misuse "-exclusive without -create" }
        set h [pk_region_map $path 0 0 $mode]
        if {$size ne "" && $size != [set n [pk_region_length $h]]} {
            pk_region_close $h
            Misuse "$path has $n bytes, not $size"
        }
    }
    Region create ::pmemkit::region[incr ::pmemkit::serial] $h $path
}

# pmemkit::withregion VAR PATH ?OPTIONS? SCRIPT: the region of
# [pmemkit::region PATH ?OPTIONS?] in VAR while SCRIPT runs; then, however
# the script ends, the whole region is persisted and unmapped, and its
# object destroyed. Returns the script's result.
proc ::pmemkit::withregion {var path args} {
    if {![llength $args]} {
        Misuse {wrong # args: should be "pmemkit::withregion var path ?options? script"}
    }
    set r [region $path {*}[lrange $args 0 end-1]]
    upvar 1 $var v
    set v $r
    set code [catch {uplevel 1 [lindex $args end]} res opts]
    if {[info object isa object $r]} {
        if {[info object class $r] eq "::pmemkit::Region"} {
            if {[catch {$r persist} err eopts] && $code != 1} {
                set code 1
                lassign [list $err $eopts] res opts
            }
            $r close
        }
        $r destroy
    }
    if {$code == 0} { return $res }
    dict incr opts -level
    return -options $opts $res
}

# What a region object becomes when closed: any method but destroy and
# close (a no-op) raises PMEMKIT Closed.
oo::class create ::pmemkit::ClosedRegion {
    superclass ::pmemkit::Closed
    method unknown {args} {
        ::pmemkit::Throw $::pmemkit::PK_ECLOSED "pmemkit: [self] is closed (the region was unmapped)"
    }
}

oo::class create ::pmemkit::Region {
    variable h path len pmem pos

    constructor {handle p} {
        set h $handle
        set path $p
        set len [::pmemkit::pk_region_length $h]
        set pmem [::pmemkit::pk_region_is_pmem $h]
        set pos 0
    }
    # destroying an open region unmaps it (persisting nothing)
    destructor {
        if {$h ne ""} { ::pmemkit::pk_region_close $h }
    }
    method unknown {args} { ::pmemkit::_unknown [self] {*}$args }

    # an offset or length: a non-negative integer (PMEMKIT Range for a
    # negative one or one past 64 bits)
    method _off {x} {
        if {![string is entier -strict $x]} {
            ::pmemkit::Misuse "bad offset or length \"$x\": must be an integer"
        }
        if {$x < 0 || $x >= (1 << 64)} {
            ::pmemkit::Throw $::pmemkit::PK_ERANGE \
                "pmemkit: offset or length $x outside the region of $len bytes"
        }
        return $x
    }
    # OFFSET and LENGTH ("" for the rest of the region from OFFSET)
    method _range {offset length} {
        set offset [my _off $offset]
        if {$length eq ""} { return [list $offset [expr {max($len - $offset, 0)}]] }
        list $offset [my _off $length]
    }
    # the flags of -nodrain and -noflush at the head of ARGS, then the
    # other arguments
    method _flags {args} {
        set flags 0
        while {[llength $args] && [lindex $args 0] in {-nodrain -noflush}} {
            set args [lassign $args o]
            set flags [expr {$flags | ($o eq "-nodrain" ?
                $::pmemkit::PK_REGION_NODRAIN : $::pmemkit::PK_REGION_NOFLUSH)}]
        }
        linsert $args 0 $flags
    }
    method _get {offset n} {
        # (a range outside the region is C's PMEMKIT Range)
        if {$n > 0x7fffffff && $offset + $n <= $len} {
            ::pmemkit::Misuse "pmemkit: $n bytes are more than one Tcl value holds"
        }
        lindex [::pmemkit::pk_region_get $h $offset $n] 1
    }
}

::pmemkit::_method ::pmemkit::Region size {} { return $len }
# 1 on persistent memory, 0 where a persist is an msync()
::pmemkit::_method ::pmemkit::Region ispmem {} { return $pmem }
::pmemkit::_method ::pmemkit::Region path {} { return $path }
# unmap (persisting nothing: persist first); the object then raises
# PMEMKIT Closed until destroyed
::pmemkit::_method ::pmemkit::Region close {} {
    set hh $h
    set h ""
    oo::objdefine [self] class ::pmemkit::ClosedRegion
    ::pmemkit::pk_region_close $hh
    return
}
# $r persist ?OFFSET? ?LENGTH?: make the range persistent (default: from
# OFFSET, 0, to the end); flush (not waited for: drain waits) and
# deepflush (through the memory controller's buffers too) likewise
::pmemkit::_method ::pmemkit::Region persist {{offset 0} {length ""}} {
    ::pmemkit::pk_region_persist $h {*}[my _range $offset $length]
    return
}
::pmemkit::_method ::pmemkit::Region flush {{offset 0} {length ""}} {
    ::pmemkit::pk_region_flush $h {*}[my _range $offset $length]
    return
}
::pmemkit::_method ::pmemkit::Region deepflush {{offset 0} {length ""}} {
    ::pmemkit::pk_region_deep_flush $h {*}[my _range $offset $length]
    return
}
::pmemkit::_method ::pmemkit::Region drain {} { ::pmemkit::pk_region_drain $h; return }
# $r readat OFFSET LENGTH: the bytes there (PMEMKIT Range for a range
# outside the region)
::pmemkit::_method ::pmemkit::Region readat {offset length} {
    my _get [my _off $offset] [my _off $length]
}
# $r writeat ?-nodrain? ?-noflush? OFFSET DATA: DATA copied in at OFFSET
# and persisted (-nodrain: flushed, not waited for; -noflush: plain
# stores, persist later); bytes past the end raise PMEMKIT Range and
# nothing is written
::pmemkit::_method ::pmemkit::Region writeat {args} {
    set args [lassign [my _flags {*}$args] flags]
    if {[llength $args] != 2} { ::pmemkit::_wrongargs [self] writeat "?-nodrain? ?-noflush? offset data" }
    lassign $args offset data
    ::pmemkit::pk_region_write $h [my _off $offset] [::pmemkit::_typed bytes $data] $flags
    return
} {?-nodrain? ?-noflush? offset data}
# $r move ?-nodrain? ?-noflush? DST SRC LENGTH (the ranges may overlap)
::pmemkit::_method ::pmemkit::Region move {args} {
    set args [lassign [my _flags {*}$args] flags]
    if {[llength $args] != 3} { ::pmemkit::_wrongargs [self] move "?-nodrain? ?-noflush? dst src length" }
    ::pmemkit::pk_region_move $h {*}[lmap x $args { my _off $x }] $flags
    return
} {?-nodrain? ?-noflush? dst src length}
# $r fill ?-nodrain? ?-noflush? OFFSET BYTE LENGTH (BYTE 0 to 255)
::pmemkit::_method ::pmemkit::Region fill {args} {
    set args [lassign [my _flags {*}$args] flags]
    if {[llength $args] != 3} { ::pmemkit::_wrongargs [self] fill "?-nodrain? ?-noflush? offset byte length" }
    lassign $args offset byte length
    if {![string is entier -strict $byte] || $byte < 0 || $byte > 255} {
        ::pmemkit::Misuse "bad byte \"$byte\": must be an integer from 0 to 255"
    }
    ::pmemkit::pk_region_fill $h [my _off $offset] $byte [my _off $length] $flags
    return
} {?-nodrain? ?-noflush? offset byte length}

# A position for read, write, seek and tell, as a channel's.
# $r seek OFFSET ?ORIGIN?: ORIGIN start (default), current or end; a
# position outside 0..size raises PMEMKIT Range
::pmemkit::_method ::pmemkit::Region seek {offset {origin start}} {
    if {![string is entier -strict $offset]} {
        ::pmemkit::Misuse "bad offset \"$offset\": must be an integer"
    }
    switch -- $origin {
        start { set p $offset }
        current { set p [expr {$pos + $offset}] }
        end { set p [expr {$len + $offset}] }
        default { ::pmemkit::Misuse "bad origin \"$origin\": must be start, current or end" }
    }
    if {$p < 0 || $p > $len} {
        ::pmemkit::Throw $::pmemkit::PK_ERANGE \
            "pmemkit: position $p outside the region of $len bytes"
    }
    set pos $p
    return
}
::pmemkit::_method ::pmemkit::Region tell {} { return $pos }
::pmemkit::_method ::pmemkit::Region eof {} { expr {$pos >= $len} }
# $r read ?N?: up to N bytes from the position (all to the end without N)
::pmemkit::_method ::pmemkit::Region read {{n ""}} {
    set left [expr {$len - $pos}]
    if {$n eq ""} {
        set n $left
    } else {
        set n [expr {min([::pmemkit::_count "byte count" $n], $left)}]
    }
    set data [my _get $pos $n]
    incr pos $n
    return $data
}
# $r write ?-nodrain? ?-noflush? DATA: at the position, persisted, which
# moves past it; bytes past the end raise PMEMKIT Range, and nothing is
# written
::pmemkit::_method ::pmemkit::Region write {args} {
    set args [lassign [my _flags {*}$args] flags]
    if {[llength $args] != 1} { ::pmemkit::_wrongargs [self] write "?-nodrain? ?-noflush? data" }
    set data [lindex $args 0]
    ::pmemkit::pk_region_write $h $pos [::pmemkit::_typed bytes $data] $flags
    # (a pure byte array's length is its bytes' count: no string made)
    incr pos [string length $data]
    return
} {?-nodrain? ?-noflush? data}

package provide pmemkit $::pmemkit::version
