package Pmemkit::Pool;
# An open pool file. Containers read from it hold a reference to it, so it
# stays open while any of them lives; close() closes it at once (their use
# then dies with Pmemkit::Error::Closed) and DESTROY closes it otherwise.
use strict;
use warnings;
use Carp ();
use Scalar::Util ();
use overload ();

require Pmemkit;

sub _opts {
    my ($what, $opts, %defaults) = @_;
    my @bad = grep { !exists $defaults{$_} } sort keys %$opts;
    Carp::croak("$what: unknown option(s): @bad") if @bad;
    return map { $opts->{$_} // $defaults{$_} } sort keys %defaults;
}

# The pool options of the C library's table (pk_pool_flag_table(),
# PK_POOL_FLAG_TABLE): option name => flag ("readonly", "process_durable").
my %FLAG;
for (my $i = 0; my $row = Pmemkit::Raw::pk_pool_flag_table($i); $i++) {
    $FLAG{ $row->{option} } = $row->{value};
}

# $n as a non-negative integer (a number or a numeric string), or croak
sub _uint {
    my ($what, $name, $n) = @_;
    Carp::croak("$what: $name must be a non-negative integer, not "
        . (ref $n ? 'a reference' : "'$n'"))
        unless ref $n eq 'Math::BigInt' && $n->is_int && !$n->is_neg
            || !ref $n && $n =~ /\A(?:0|[1-9][0-9]*)\z/;
    my $s = ref $n ? $n->bstr : "$n";
    Carp::croak("$what: $name $s is too large")
        if length $s > 20 || length $s == 20 && $s gt '18446744073709551615';
    return $s + 0;
}

# The flags of the options in %opts that are pool flags (the others are
# left in %opts): true values set the flag.
sub _flags {
    my ($opts, @names) = @_;
    my $flags = 0;
    for (@names) {
        $flags |= $FLAG{$_} if delete $opts->{$_};
    }
    return $flags;
}

# Pmemkit::Pool->create($path, size => $bytes, max_size => $bytes,
# mode => 0600, replica => $path2, process_durable => 1): a new pool at
# $path, which must not exist. Without a size the pool grows on demand, up
# to max_size when given (else Pmemkit::DEFAULT_MAX_POOL_SIZE); with a
# size (at least Pmemkit::MIN_POOL_SIZE) and a max_size it starts at that
# size and grows; with a size alone it is one file of that size for good.
# replica: the path of a local replica kept in step (see repair()).
# process_durable: see open().
sub create {
    my ($class, $path, %opts) = @_;
    my $what = 'Pmemkit::Pool->create';
    # every flag but readonly: a pool is created read-write
    my $flags = _flags(\%opts,
        grep { $FLAG{$_} != $Pmemkit::Raw::PK_POOL_READONLY } sort keys %FLAG);
    Carp::croak("$what: readonly is an option of open, not of create")
        if exists $opts{readonly};
    my ($max, $mode, $replica, $size) = _opts($what, \%opts,
        max_size => 0, mode => 0600, replica => undef, size => 0);
    $size = _uint($what, 'size', $size);
    $max = _uint($what, 'max_size', $max);
    $mode = _uint($what, 'mode', $mode);
    Carp::croak("$what: mode " . sprintf('0%o', $mode) . ' is not a permission mode')
        if $mode > 07777;
    if (defined $replica) {
        Carp::croak("$what: replica must be a path, not a reference")
            if ref $replica && !overload::Method($replica, '""');
        # an empty path is no replica: a pool without the copy asked for
        Carp::croak("$what: replica is an empty path") if "$replica" eq '';
    }
    my $h = Pmemkit::Raw::pk_swig_pool_create("$path", $size, $max, $mode,
        $flags, defined $replica ? "$replica" : undef);
    return bless { h => $h, path => "$path", flags => $flags }, $class;
}

# Pmemkit::Pool->open($path, readonly => 1, process_durable => 1): an
# existing pool (a pool file, or the poolset file of a growing or
# replicated pool).
# readonly: reads and iteration work, every change dies with
# Pmemkit::Error::ReadOnly, and no byte of the file changes (also for a
# file the process may not write, or one a crash left unclean).
# process_durable: on a file that is not persistent memory, changes reach
# the page cache without msync: they survive the process being killed,
# but a power loss or kernel crash may lose or tear what came after the
# last sync() (or create, open, close). The mode is this open's.
sub open {
    my ($class, $path, %opts) = @_;
    my $flags = _flags(\%opts, sort keys %FLAG);
    _opts('Pmemkit::Pool->open', \%opts);
    my $h = Pmemkit::Raw::pk_swig_pool_open("$path", $flags);
    return bless { h => $h, path => "$path", flags => $flags }, $class;
}

# Pmemkit::Pool->repair($path): rebuild the damaged or missing parts of a
# closed pool made with a replica from its healthy copy. Dies
# Pmemkit::Error::PoolError when no healthy copy is left or the pool has no
# replica, Pmemkit::Error::OSError (EAGAIN) while it is open.
sub repair {
    my ($class, $path) = @_;
    Carp::croak('Pmemkit::Pool->repair: expected a path')
        unless defined $path && $path ne '';
    Pmemkit::Raw::pk_pool_repair("$path");
    return;
}

sub path      { $_[0]{path} }
sub is_closed { !defined $_[0]{h} }
# true for a pool opened with readonly => 1 (also after close)
sub is_readonly { !!($_[0]{flags} & $FLAG{readonly}) }
*readonly = \&is_readonly;
# true for a pool created or opened with process_durable => 1
sub is_process_durable { !!($_[0]{flags} & $FLAG{process_durable}) }

sub _h {
    return $_[0]{h} // Pmemkit::Error->throw(
        $Pmemkit::Raw::PK_ECLOSED, 'pool is closed');
}

# Close the pool; a no-op when it is closed. A transaction still open is
# aborted (and this dies with Pmemkit::Error::Transaction after closing).
sub close {
    my ($self) = @_;
    my $h = delete $self->{h} or return;
    Pmemkit::Raw::pk_pool_close($h);
    return;
}

sub DESTROY {
    my ($self) = @_;
    my $h = delete $self->{h} or return;
    local ($@, $!);
    eval { Pmemkit::Raw::pk_pool_close($h) };
}

# The root map.
sub root { Pmemkit::Map->_new($_[0], scalar Pmemkit::Raw::pk_pool_root($_[0]->_h)) }

# $pool->transaction(sub { ... }): runs the sub in a transaction, committed
# when it returns (its value is returned) and aborted when it dies (the
# error is rethrown). Leaving the sub by a loop control (last, next, redo
# of a loop outside it; perl warns "Exiting subroutine via last"), a goto
# or exit commits too, as leaving a loop that way is a normal exit: a guard
# does it as perl unwinds the call. Transactions nest flatly: an abort at any level
# aborts the whole of it.
sub transaction {
    my ($self, $code) = @_;
    Carp::croak('Pmemkit::Pool->transaction: expected a code reference')
        unless ref $code eq 'CODE';
    my $h = $self->_h;
    my $want = wantarray;
    my @r;
    Pmemkit::Raw::pk_tx_begin($h);
    my $guard = bless [$self], 'Pmemkit::_TxGuard';
    my $ok = eval {
        if ($want) { @r = $code->() }
        elsif (defined $want) { $r[0] = $code->() }
        else { $code->() }
        1;
    };
    @$guard = ();
    if (!$ok) {
        my $err = $@;
        # closing the pool inside the sub aborted the transaction already
        eval { Pmemkit::Raw::pk_tx_abort($self->{h}) } if $self->{h};
        $self->_unbind_all;
        die $err;
    }
    Pmemkit::Raw::pk_tx_commit($self->{h}) if $self->{h};
    $self->_bound_for_good if $self->{binds};
    return $want ? @r : $r[0];
}

# Objects stored as new records in the open transaction (Pmemkit::Object's
# _store_ref): an abort makes them again the unstored objects they were,
# rather than objects of records the abort took back; the outermost
# commit keeps them bound.
sub _bound { push @{ $_[0]{binds} }, [ @_[1 .. $#_] ] }

sub _unbind_all {
    my ($self) = @_;
    my $b = delete $self->{binds} or return;
    $_->[0]->_unbind(@$_[1 .. $#$_]) for reverse @$b;
    return;
}

sub _bound_for_good {
    my ($self) = @_;
    delete $self->{binds}
        unless $self->{h} && Pmemkit::Raw::pk_tx_depth($self->{h});
    return;
}

# Nesting depth of the open transaction (0: none).
sub tx_depth { scalar Pmemkit::Raw::pk_tx_depth($_[0]->_h) }

# New containers, unreferenced until stored (gc() frees them otherwise).
sub new_map {
    my ($self, $init) = @_;
    my $m = Pmemkit::Map->_new($self, scalar Pmemkit::Raw::pk_map_new($self->_h));
    $m->put(%$init) if $init && %$init;
    return $m;
}

sub new_list {
    my ($self, $init) = @_;
    my $l = Pmemkit::List->_new($self, scalar Pmemkit::Raw::pk_list_new($self->_h));
    $l->push(@$init) if $init && @$init;
    return $l;
}

# $pool->new_set(\@elements, frozen => 1): a new set of the elements,
# added in one transaction (each checked first: a reference other than
# Pmemkit::bytes(), Pmemkit::string() and a Math::BigInt dies with
# Pmemkit::Error::KeyType); frozen makes it a read-only
# Pmemkit::FrozenSet (Pmemkit::Set).
sub new_set {
    my ($self, $init, %opts) = @_;
    my ($frozen) = _opts('Pmemkit::Pool->new_set', \%opts, frozen => 0);
    Carp::croak('Pmemkit::Pool->new_set: expected an array reference of elements')
        if defined $init && ref $init ne 'ARRAY';
    my @e = map { Pmemkit::Set::_elem($_) } @{ $init // [] };
    my $h = $self->_h;
    return $self->transaction(sub {
        my $s = Pmemkit::Set->_new($self, scalar Pmemkit::Raw::pk_set_new($h));
        Pmemkit::Raw::pk_set_add($s, $_) for @e;
        if ($frozen) {
            Pmemkit::Raw::pk_container_set_flags($h, $s->_ref,
                $Pmemkit::Raw::PK_FLAG_FROZEN);
            bless $s, 'Pmemkit::FrozenSet';
        }
        return $s;
    });
}

# $pool->new_sorted_map(\%hash) or ->new_sorted_map([key => value, ...])
# (the pairs keep their keys' types) or ->new_sorted_map(Pmemkit::sorted(...)):
# a new Pmemkit::SortedMap of the entries, put in one transaction (a bad
# key makes nothing).
sub new_sorted_map {
    my ($self, $init) = @_;
    my @kv = !defined $init ? ()
        : ref $init eq 'HASH' ? %$init
        : ref $init eq 'ARRAY' ? @$init
        : Scalar::Util::blessed($init) && $init->isa('Pmemkit::SortedValue') ? $init->pairs
        : Carp::croak('Pmemkit::Pool->new_sorted_map: expected a hash reference, '
            . 'an array reference of key => value pairs or a Pmemkit::sorted() value');
    Carp::croak('Pmemkit::Pool->new_sorted_map: expected key => value pairs') if @kv % 2;
    my $h = $self->_h;
    return $self->transaction(sub {
        my $m = Pmemkit::SortedMap->_new($self, scalar Pmemkit::Raw::pk_sorted_new($h));
        $m->put(@kv) if @kv;
        return $m;
    });
}

# $pool->new_object($name, attr => value, ...): a new record of class
# $name, an object of the package registered for it (Pmemkit::register)
# or a Pmemkit::Record, with the attributes set in one transaction.
sub new_object {
    my ($self, $name, @kv) = @_;
    return Pmemkit::Object->_create($self, $name, @kv);
}

# $pool->new_log(\@records): a new log, with the records appended as one
# atomic unit (Pmemkit::Log).
sub new_log {
    my ($self, $records) = @_;
    Carp::croak('Pmemkit::Pool->new_log: expected an array reference of records')
        if defined $records && ref $records ne 'ARRAY';
    my $log = Pmemkit::Log->_new($self, scalar Pmemkit::Raw::pk_log_new($self->_h));
    $log->append(@$records) if $records && @$records;
    return $log;
}

# $pool->new_blocks($block_size, $count): a new block array of $count
# blocks (default 0) of $block_size bytes (512 to 65536) reading as zeros
# (Pmemkit::Blocks).
sub new_blocks {
    my ($self, $block_size, $count) = @_;
    return Pmemkit::Blocks->_create($self, $block_size, $count);
}

# $pool->new_array($type, $length_or_values, width => $w): a typed array of
# $type (i8 u8 i16 u16 i32 u32 i64 u64 f32 f64, or bytes of width $w),
# zeros of a length or the given values.
sub new_array {
    my ($self, $type, $init, %opts) = @_;
    my ($width) = _opts('Pmemkit::Pool->new_array', \%opts, width => 0);
    return Pmemkit::Array->_create($self, $type, $width, $init // 0);
}

# Map every page of the pool now, so that no later operation pays a
# first-touch page fault; changes no data.
sub prefault { Pmemkit::Raw::pk_pool_prefault($_[0]->_h); return }

# Free every container not reachable from the root; returns how many
# objects were freed.
sub gc { scalar Pmemkit::Raw::pk_pool_gc($_[0]->_h) }

my @CHECK_FIELDS = qw(objects reachable leaked dangling refcounts damaged);

# The fields of a versioned C struct SWIG wraps (pk_pool_stats,
# pk_defrag_report) but its version and reserved ones: every field the
# header declares, as the struct grows.
sub _fields {
    my ($class) = @_;
    no strict 'refs';
    return sort grep { $_ ne 'version' && !/_\z/ }
        map { /\Aswig_(\w+)_get\z/ ? $1 : () } keys %{"${class}::"};
}
my @STATS_FIELDS = _fields('Pmemkit::Raw::pk_pool_stats');
my @DEFRAG_FIELDS = _fields('Pmemkit::Raw::pk_defrag_report');

# $pool->defrag: move objects out of sparsely used parts of the pool, so
# that the space deletes left is free space in one piece again.
# Crash-safe. Returns a hash ref: objects (considered), moved,
# moved_bytes and freed_bytes (given back to the pool's free space).
# Dies Pmemkit::Error::Transaction inside a transaction,
# Pmemkit::Error::ReadOnly for a read-only pool.
sub defrag {
    my ($self) = @_;
    my $h = $self->_h;
    my $rep = Pmemkit::Raw::pk_pool_defrag($h);
    return { map { $_ => $rep->{$_} } @DEFRAG_FIELDS };
}

# $pool->sync: make every change so far durable against a power loss or
# kernel crash, waiting for the disk: what a process_durable pool needs
# (close does it too); a no-op for other pools, whose changes are durable
# when they return. Dies Pmemkit::Error::ReadOnly for a read-only pool.
sub sync { Pmemkit::Raw::pk_pool_sync($_[0]->_h); return }

# Walk the pool, changing nothing: a hash of the report's counts plus ok
# (true for a healthy pool).
sub check {
    my ($self) = @_;
    my ($code, $rep) = (Pmemkit::Raw::pk_pool_check($self->_h))[0, 1];
    my %r = map { $_ => $rep->{$_} } @CHECK_FIELDS;
    $r{ok} = $code == 0 ? 1 : 0;
    return \%r;
}

# the kinds of container, as stats() names them
my @KINDS = (map => $Pmemkit::Raw::PK_MAP, list => $Pmemkit::Raw::PK_LIST,
    array => $Pmemkit::Raw::PK_ARRAY, log => $Pmemkit::Raw::PK_LOG,
    blocks => $Pmemkit::Raw::PK_BLOCKS, set => $Pmemkit::Raw::PK_SET,
    record => $Pmemkit::Raw::PK_RECORD, sorted_map => $Pmemkit::Raw::PK_SORTED);

# Space and state of the pool, as a hash: every field of pk_pool_stats
# (size: bytes mapped, used: bytes held by allocations, objects, unclean,
# recovered, and those the C header adds), and
# for each kind of container (map list array log blocks set record)
# KIND_count and KIND_bytes: how many the pool holds and the bytes they
# own (not those of what they refer to); the KIND_bytes add up to used.
sub stats {
    my ($self) = @_;
    my $h = $self->_h;
    my $s = Pmemkit::Raw::pk_pool_stats_get($h);
    my %r = map { $_ => $s->{$_} } @STATS_FIELDS;
    for (my $i = 0; $i < @KINDS; $i += 2) {
        @r{"$KINDS[$i]_count", "$KINDS[$i]_bytes"} =
            (Pmemkit::Raw::pk_pool_kind_stats($h, $KINDS[$i + 1]))[-2, -1];
    }
    return \%r;
}

# $pool->sizeof($container, deep => 1): the bytes a container of this pool
# (or a stored record) holds: its own (entries, blobs, storage), or with
# deep also those of every container it refers to, directly or not, each
# once. Dies for anything else: a plain value, an object not stored.
sub sizeof {
    my ($self, $c, %opts) = @_;
    my ($deep) = _opts('Pmemkit::Pool->sizeof', \%opts, deep => 0);
    Carp::croak('Pmemkit::Pool->sizeof: expected a container or a stored '
        . 'record, not ' . (!defined $c ? 'undef' : ref $c || 'a plain value'))
        unless Scalar::Util::blessed($c) && $c->isa('Pmemkit::_Container');
    Carp::croak('Pmemkit::Pool->sizeof: the ' . ref($c)
        . ' object is not stored in a pool') unless defined $$c->{pool};
    Carp::croak('Pmemkit::Pool->sizeof: the container belongs to another pool')
        unless $$c->{pool} == $self;
    my ($shallow, $all) =
        (Pmemkit::Raw::pk_container_bytes($self->_h, $c->_ref))[-2, -1];
    return $deep ? $all : $shallow;
}

# ---- internals -------------------------------------------------------------

# the class of each type of container
my %CLASS_OF = ($Pmemkit::Raw::PK_MAP => 'Pmemkit::Map',
    $Pmemkit::Raw::PK_LIST => 'Pmemkit::List',
    $Pmemkit::Raw::PK_ARRAY => 'Pmemkit::Array',
    $Pmemkit::Raw::PK_LOG => 'Pmemkit::Log',
    $Pmemkit::Raw::PK_BLOCKS => 'Pmemkit::Blocks',
    $Pmemkit::Raw::PK_SET => 'Pmemkit::Set',
    $Pmemkit::Raw::PK_RECORD => 'Pmemkit::Object',
    $Pmemkit::Raw::PK_SORTED => 'Pmemkit::SortedMap');

# A Perl value for one read from the pool (refs only: plain scalars are
# used as they are).
sub _value {
    my ($self, $v) = @_;
    my $class = ref $v;
    if ($class eq 'Pmemkit::_Ref') {
        my $kind = $CLASS_OF{ $v->[0] }
            // Carp::croak("pmemkit: a container of unknown type $v->[0]");
        return $kind->_open($self, $v);
    }
    return Pmemkit::_from_bigint_bytes($$v) if $class eq 'Pmemkit::_BigInt';
    return $v;
}

# The reference C stores for a container of this pool.
# An object (Pmemkit::Object) not stored yet, which has no pool, becomes
# a new record in this one.
sub _ref_of {
    my ($self, $c) = @_;
    my $pool = $$c->{pool} // return $c->_store_ref($self);
    Carp::croak('pmemkit: the container belongs to another pool')
        unless $pool == $self;
    return $c->_ref;
}

# A new container made from a plain hash or array (deeply); the caller is
# in a transaction (see _store).
my %building;
sub _build {
    my ($self, $v) = @_;
    my $addr = Scalar::Util::refaddr($v);
    Carp::croak('pmemkit: cannot store a structure that contains itself')
        if $building{$addr};
    local $building{$addr} = 1;
    my $c = Scalar::Util::reftype($v) eq 'HASH'
        ? $self->new_map($v) : $self->new_list($v);
    return $c->_ref;
}

# Call $setter with the C form of $value: in one transaction when a plain
# hash or array becomes new containers (or a Pmemkit::set() value a set,
# an object a record: Pmemkit::_Builder).
sub _store {
    my ($self, $setter, $value) = @_;
    if (ref $value && (!Scalar::Util::blessed($value)
            || $value->isa('Pmemkit::_Builder'))) {
        return $self->transaction(sub { $setter->(Pmemkit::_to_c($self, $value)) });
    }
    return $setter->(Pmemkit::_to_c($self, $value));
}

package Pmemkit::_Container;
# What maps, lists, arrays, logs and block arrays share: a pool and a C handle, released with
# the kind's close function when the object goes. Two objects read from
# the same container are == and eq (same_as); each kind derefs as its
# contents (%$map, @$list, @$array: _tied) and has TO_JSON. An object is a
# reference to a reference to the hash of its fields (pool, h, tied), so
# that the kinds may overload %{} and @{} and still reach their fields
# ($$self->{h}); the C functions take the object itself for its handle
# (bindings/perl/pmemkit.i), with no dereference in Perl.
use overload
    '==' => sub { $_[0]->same_as($_[1]) },
    '!=' => sub { !$_[0]->same_as($_[1]) },
    'eq' => sub { $_[0]->same_as($_[1]) },
    'ne' => sub { !$_[0]->same_as($_[1]) },
    'bool' => sub { 1 },
    fallback => 1;

sub _new { my $fields = { pool => $_[1], h => $_[2] }; bless \$fields, $_[0] }

sub pool { ${$_[0]}->{pool} }

# true when both are the same persistent container
sub same_as {
    my ($self, $other) = @_;
    return !!0 unless ref $other && Scalar::Util::blessed($other)
        && $other->isa('Pmemkit::_Container') && $$other->{pool} == $$self->{pool};
    my ($a, $b) = ($self->_ref, $other->_ref);
    return $a->[0] == $b->[0] && $a->[1] == $b->[1] && $a->[2] == $b->[2];
}

# The hash or array tied to the container that %{} or @{} gives: tied to
# another object of the same container (no cycle through this one) and
# kept with this one, so that each %$map iterates one hash, and a
# reference taken to it outlives this object.
sub _tied {
    my ($self, $class) = @_;
    return $$self->{tied} //= do {
        my $twin = ref($self)->_open($$self->{pool}, $self->_ref);
        if ($class->can('TIEHASH')) {
            my %h;
            tie %h, $class, $twin;
            \%h;
        } else {
            my @a;
            tie @a, $class, $twin;
            \@a;
        }
    };
}

# for JSON encoders (convert_blessed): a plain copy
sub TO_JSON { Pmemkit::_plain($_[0]) }

sub DESTROY {
    my ($self) = @_;
    my $h = delete $$self->{h} or return;
    $self->_close($h);
}

# What the keyed containers (maps, records) share, from their iterator of
# (key, value): $c->each(sub { my ($key, $value) = @_; ... }),
sub _kv_each {
    my ($self, $cb) = @_;
    my $it = $self->iterator;
    while (my ($k, $v) = $it->()) {
        $cb->($k, $v);
    }
    return;
}

# the keys,
sub _kv_keys {
    my ($self) = @_;
    my (@k, $k);
    my $it = $self->iterator;
    CORE::push @k, $k while ($k) = $it->();
    return @k;
}

# and a plain hash ref, deeply copied (keys stringified).
sub _kv_to_hash {
    my ($self) = @_;
    my %h;
    my $it = $self->iterator;
    while (my ($k, $v) = $it->()) {
        $h{$k} = ref $v ? Pmemkit::_plain($v) : $v;
    }
    return \%h;
}

# What the sequences (lists, logs, block arrays) share, from their
# iterator (whose arguments come after the callback):
# $seq->each(sub { my ($value, $key) = @_; ... }) for every element;
sub _seq_each {
    my ($self, $cb, @from) = @_;
    my $it = $self->iterator(@from);
    while (my ($k, $v) = $it->()) {
        $cb->($v, $k);
    }
    return;
}

# $seq->elements: the elements, as a list.
sub _seq_elements {
    my ($self, @from) = @_;
    my @v;
    my $it = $self->iterator(@from);
    while (my (undef, $v) = $it->()) {
        CORE::push @v, $v;
    }
    return @v;
}

# A closure over a new cursor: each call returns the next ($key, $value),
# made Perl values, and () after the last.
sub _cursor_iter {
    my ($self, $cursor) = @_;
    my $cur = Pmemkit::_Cursor->_new($cursor, $self);
    my $pool = $$self->{pool};
    return sub {
        my ($k, $v) = Pmemkit::Raw::pk_cursor_next($cur->{c}) or return;
        $k = $pool->_value($k) if ref $k;
        $v = $pool->_value($v) if ref $v;
        return ($k, $v);
    };
}

package Pmemkit::_Tie;
# What the tie classes (Pmemkit::Map::Tie, ::List::Tie, ::Array::Tie)
# share: the object is { c => the container }; for arrays, reading past
# the end gives undef.

sub _tie {
    my ($class, $c, $kind) = @_;
    Carp::croak("$class: expected a $kind")
        unless Scalar::Util::blessed($c) && $c->isa($kind);
    return bless { c => $c }, $class;
}

sub _container { $_[0]{c} }
sub FETCHSIZE  { $_[0]{c}->size }
sub EXTEND     { }
sub EXISTS     { $_[1] < $_[0]{c}->size }

sub FETCH {
    my ($self, $i) = @_;
    return undef if $i >= $self->{c}->size;
    return $self->{c}->get($i);
}

# The Perl value of a value read through the tie. The last few
# containers read come back as the same objects while they are read
# again, so that each %{ $h{map} } goes on with one tied hash (each read
# of $h{map} would otherwise be a new object, and each a new iteration).
my $RECENT = 8;
sub _value {
    my ($self, $v) = @_;
    my $pool = ${ $self->{c} }->{pool};
    return $pool->_value($v) unless ref $v eq 'Pmemkit::_Ref';
    my $id = "@$v";
    my $recent = $self->{recent} //= [];
    for my $r (@$recent) {
        return $r->[1] if $r->[0] eq $id;
    }
    my $obj = $pool->_value($v);
    unshift @$recent, [$id, $obj];
    splice @$recent, $RECENT if @$recent > $RECENT;
    return $obj;
}

package Pmemkit::_TxGuard;
# [pool] while a transaction()'s sub runs: when the call is left without
# reaching its end (a loop control or goto out of the sub, exit), the guard
# goes with the call's frame and commits. A failed commit cannot die from here
# (perl is unwinding): it warns, and the library has aborted.

sub DESTROY {
    my $pool = $_[0][0] or return;
    my $h = $pool->{h} or return;
    local ($@, $!);
    eval { Pmemkit::Raw::pk_tx_commit($h); 1 }
        or warn "pmemkit: the transaction left by a loop control did not commit: $@";
    $pool->_bound_for_good if $pool->{binds};
}

package Pmemkit::_Cursor;

# the container too: it outlives its cursor
sub _new { bless { c => $_[1], of => $_[2] }, $_[0] }

sub DESTROY {
    my $c = delete $_[0]{c} or return;
    Pmemkit::Raw::pk_cursor_free($c);
}

1;
