package Pmemkit::SortedMap;
# A persistent map that keeps its entries in the order of their keys (the
# C library's sorted map, Python's pmemkit.SortedMap): every method of a
# Pmemkit::Map, with keys, values, iteration and %$map in key order, plus
# the entries by position and around a key, ranges, prefixes and range
# removal. Keys are those of a map (equal numbers are one key: 1, 1.0 and
# a true boolean; a plain string is a text key), but for frozen sets,
# which have no order (Pmemkit::Error::KeyType). The order: undef; then
# numbers by value; then bytes (Pmemkit::bytes()) bytewise; then text by
# code point; then tuples item by item. Every change is atomic and
# durable when it returns; the methods that change several entries
# (put of several, delete_range, clear, shift, pop) are one transaction.
use strict;
use warnings;
use Carp ();
use Scalar::Util ();

require Pmemkit;
our @ISA = ('Pmemkit::_Container');

# %$map, $map->{key}: the map as a tied hash (Pmemkit::SortedMap::Tie),
# iterating in key order
use overload '%{}' => sub { $_[0]->_tied('Pmemkit::SortedMap::Tie') }, fallback => 1;

sub _close { Pmemkit::Raw::pk_sorted_close($_[1]) }
sub _ref   { scalar Pmemkit::Raw::pk_sorted_value($_[0]) }
sub _open  { $_[0]->_new($_[1], scalar Pmemkit::Raw::pk_sorted_open($_[1]->_h, $_[2])) }

# a value read from the pool as a Perl value
sub _v { ref $_[1] ? ${ $_[0] }->{pool}->_value($_[1]) : $_[1] }

# ($key, $value) read from C, as Perl values; () for none. In scalar
# context the callers give the key alone.
sub _kv {
    my $self = CORE::shift;
    return unless @_;
    return ($self->_v($_[0]), $self->_v($_[1]));
}

# get, fetch, put(key => value, ...) (several: one transaction), exists,
# delete (returns the value, a container as a plain copy), size, clear,
# iterator (in key order), each, keys, values, to_hash (a plain hash: the
# order and the keys' types are lost; to_value keeps them), tied_hash:
# those of a map (Pmemkit::Map::_keyed_methods), over the sorted map's C
# functions.
Pmemkit::Map::_keyed_methods(__PACKAGE__, 'Pmemkit::SortedMap::Tie', 'pk_sorted');

# A Pmemkit::sorted() value of the entries (values as plain copies),
# which stores again as a new sorted map.
sub to_value {
    my ($self) = @_;
    my @kv;
    my $it = $self->iterator;
    while (my ($k, $v) = $it->()) {
        CORE::push @kv, $k, ref $v ? Pmemkit::_plain($v) : $v;
    }
    return Pmemkit::SortedValue->_new(\@kv);
}

sub TO_JSON { $_[0]->to_hash }

# ---- order -------------------------------------------------------------

# at($i): the entry at index $i in key order ($key, $value; in scalar
# context the key); a negative index counts from the end; outside dies
# Pmemkit::Error::Range.
sub at {
    my ($self, $i) = @_;
    my @kv = $self->_kv(Pmemkit::Raw::pk_sorted_at($self, Pmemkit::_int('Pmemkit::SortedMap->at', $i)));
    return wantarray ? @kv : $kv[0];
}

# first, last: the entry with the least or greatest key ($key, $value; in
# scalar context the key), () or undef when the map is empty.
sub first { $_[0]->_end(0) }
sub last  { $_[0]->_end(-1) }

sub _end {
    my ($self, $i) = @_;
    return wantarray ? () : undef unless $self->size;
    return $self->at($i);
}

# ceiling($k): the entry with the least key at or after $k; higher($k):
# after it; floor($k): the greatest at or before it; lower($k): before
# it. ($key, $value; in scalar context the key), () or undef for none.
sub ceiling { $_[0]->_seek($_[1], $Pmemkit::Raw::PK_SEEK_GE) }
sub higher  { $_[0]->_seek($_[1], $Pmemkit::Raw::PK_SEEK_GT) }
sub floor   { $_[0]->_seek($_[1], $Pmemkit::Raw::PK_SEEK_LE) }
sub lower   { $_[0]->_seek($_[1], $Pmemkit::Raw::PK_SEEK_LT) }

sub _seek {
    my ($self, $k, $how) = @_;
    my @kv = $self->_kv(Pmemkit::Raw::pk_sorted_seek($self, Pmemkit::_key_to_c($k), $how));
    return wantarray ? @kv : $kv[0];
}

# rank($k): how many keys are less than $k (its index when present);
# rank($k, after => 1): less than or equal to it.
sub rank {
    my ($self, $k, %opts) = @_;
    my ($after) = Pmemkit::Pool::_opts('Pmemkit::SortedMap->rank', \%opts, after => 0);
    return scalar Pmemkit::Raw::pk_sorted_rank($self, Pmemkit::_key_to_c($k), $after ? 1 : 0);
}

# shift, pop: remove the first or last entry and return it ($key, $value,
# a container value as a plain copy; in scalar context the key, as for
# first and last), () or undef when the map is empty. One transaction.
sub shift { $_[0]->_take(0) }
sub pop   { $_[0]->_take(-1) }

sub _take {
    my ($self, $i) = @_;
    my @kv = $$self->{pool}->transaction(sub {
        return unless $self->size;
        my ($k, $v) = $self->at($i);
        $v = Pmemkit::_plain($v) if ref $v;
        Pmemkit::Raw::pk_sorted_remove_at($self, $i);
        return ($k, $v);
    });
    return wantarray ? @kv : $kv[0];
}

# ---- ranges ------------------------------------------------------------

my %RANGE_OPTS = map { $_ => 1 } qw(lo hi lo_open hi_open exclusive reverse prefix);

# The C arguments of a range: ($has, $lo, $lo_open, $hi, $hi_open,
# $reverse, $prefix). An undef bound given as an argument is no bound
# (undef is the least key: from undef inclusive is from the start); the
# options lo => $k and hi => $k give a bound that may be undef, the key.
sub _range_args {
    my ($what, $lo, $hi, $opts) = @_;
    $opts //= {};
    Carp::croak("Pmemkit::SortedMap->$what: expected a hash reference of options")
        unless ref $opts eq 'HASH';
    my @bad = grep { !$RANGE_OPTS{$_} } sort CORE::keys %$opts;
    Carp::croak("Pmemkit::SortedMap->$what: unknown option(s): @bad") if @bad;
    my $has = 0;
    $lo = $opts->{lo} if CORE::exists $opts->{lo};
    $hi = $opts->{hi} if CORE::exists $opts->{hi};
    $has |= $Pmemkit::Raw::PK_SWIG_HAS_LO if defined $lo || CORE::exists $opts->{lo};
    $has |= $Pmemkit::Raw::PK_SWIG_HAS_HI if defined $hi || CORE::exists $opts->{hi};
    my $prefix = $opts->{prefix};
    if (defined $prefix) {
        $has |= $Pmemkit::Raw::PK_SWIG_HAS_PREFIX;
        my $class = Scalar::Util::blessed($prefix) // '';
        Pmemkit::Error->throw($Pmemkit::Raw::PK_EKEYTYPE,
            'a prefix is a string or Pmemkit::bytes(), not '
            . ($class ? "an object of class $class" : 'a reference to '
               . Scalar::Util::reftype($prefix)))
            if ref $prefix && $class ne 'Pmemkit::Bytes' && $class ne 'Pmemkit::String';
        # a number is its decimal string, as perl would print it
        $prefix = "$prefix" unless ref $prefix;
    }
    my $ex = $opts->{exclusive} ? 1 : 0;
    return ($has, $has & $Pmemkit::Raw::PK_SWIG_HAS_LO ? Pmemkit::_key_to_c($lo) : undef,
        ($opts->{lo_open} || $ex) ? 1 : 0,
        $has & $Pmemkit::Raw::PK_SWIG_HAS_HI ? Pmemkit::_key_to_c($hi) : undef,
        ($opts->{hi_open} || $ex) ? 1 : 0, $opts->{reverse} ? 1 : 0, $prefix);
}

# range($lo, $hi, \%opts): an iterator (as iterator's) over the entries
# with $lo <= key <= $hi in key order. Options: lo_open => 1 (key > $lo),
# hi_open => 1 (key < $hi), exclusive => 1 (both), reverse => 1 (from the
# last), prefix => $p (only the keys of $p's type, text or
# Pmemkit::bytes(), that start with it), lo => $k / hi => $k (a bound
# that may be undef, the least key; an undef argument is no bound).
sub range {
    my ($self, $lo, $hi, $opts) = @_;
    my @a = _range_args('range', $lo, $hi, $opts);
    return $self->_cursor_iter(scalar Pmemkit::Raw::pk_swig_sorted_range_cursor($self, @a));
}

# range_keys($lo, $hi, \%opts): the keys of range() as a list (in scalar
# context how many); range_pairs: its ($key, $value) pairs, flat.
sub range_keys {
    my ($self, @args) = @_;
    my (@k, $k);
    my $it = $self->range(@args);
    CORE::push @k, $k while ($k) = $it->();
    return @k;
}

sub range_pairs {
    my ($self, @args) = @_;
    my @kv;
    my $it = $self->range(@args);
    while (my @e = $it->()) {
        CORE::push @kv, @e;
    }
    return @kv;
}

# prefix($p, \%opts): range() of the keys that start with $p (text, or
# Pmemkit::bytes() for bytes keys); prefix_keys: their keys.
sub prefix {
    my ($self, $p, $opts) = @_;
    Carp::croak('Pmemkit::SortedMap->prefix: expected a prefix, not undef') unless defined $p;
    return $self->range(undef, undef, { %{ $opts // {} }, prefix => $p });
}

sub prefix_keys {
    my ($self, $p, $opts) = @_;
    Carp::croak('Pmemkit::SortedMap->prefix_keys: expected a prefix, not undef') unless defined $p;
    return $self->range_keys(undef, undef, { %{ $opts // {} }, prefix => $p });
}

# delete_range($lo, $hi, \%opts): remove the entries range() would give
# (reverse aside), in one transaction; returns how many.
sub delete_range {
    my ($self, $lo, $hi, $opts) = @_;
    my @a = _range_args('delete_range', $lo, $hi, $opts);
    splice @a, 5, 1;    # no reverse
    return scalar Pmemkit::Raw::pk_swig_sorted_remove_range($self, @a);
}

package Pmemkit::SortedMap::Tie;
# tie my %h, 'Pmemkit::SortedMap::Tie', $map (or %$map): the sorted map as
# a Perl hash, as Pmemkit::Map::Tie is a map's (string keys that also find
# canonical integer keys, nested access and autovivification store), but
# keys %h and each %h go in key order.
our @ISA = ('Pmemkit::Map::Tie');
sub TIEHASH { $_[0]->_tie($_[1], 'Pmemkit::SortedMap') }

# FETCH: Pmemkit::Map::_keyed_methods

# An undef key, the first in order, would end keys %h before it began (a
# tied hash's iteration ends at an undef key): it dies instead of giving
# an empty hash.
sub FIRSTKEY {
    my ($self) = @_;
    my $k = $self->SUPER::FIRSTKEY;
    Carp::croak('Pmemkit::SortedMap: a tied hash cannot give the undef key '
        . '(its iteration would end at it): use $map->keys or $map->iterator')
        if !defined $k && $self->{c}->size;
    return $k;
}

package Pmemkit::SortedValue;
# What Pmemkit::sorted(key => value, ...) (or Pmemkit::sorted(\%hash))
# returns: entries to be stored as a new sorted map. A plain hash stores
# as a map (and its keys are all strings), so a sorted map is stored from
# this marker, from $pool->new_sorted_map, or from a Pmemkit::SortedMap
# (which stores a reference to itself). The pairs keep their keys' types:
# Pmemkit::sorted(1 => 'one', Pmemkit::bytes("\x01") => 2.5).
our @ISA = ('Pmemkit::_Marker');
sub _what { 'a Pmemkit::sorted() value' }

sub _new { bless { kv => $_[1] }, $_[0] }

# the pairs (key, value, ...) in the order given
sub pairs { @{ $_[0]{kv} } }
sub size  { @{ $_[0]{kv} } / 2 }

sub TO_JSON {
    my %h = @{ $_[0]{kv} };
    return \%h;
}

1;
