package Pmemkit::Tuple;
# Perl has no tuple: Pmemkit::tuple(@items) makes one, a read-only array
# reference of this class, which stores as a tuple (the C library's
# PK_TUPLE): a map key, a set element or a value. Its items are what a map
# takes as a key (undef, booleans, numbers, strings, which are text,
# Pmemkit::bytes(), Pmemkit::string(), Math::BigInt) and tuples; as keys
# tuples are equal item by item with the keys' equality: (1, 'a'),
# (1.0, 'a') and (!!1, 'a') are one key. A tuple read from a pool is a
# Pmemkit::Tuple again (bytes items Pmemkit::Bytes, big integers
# Math::BigInt), which finds its entry again.
#
# @$t, $t->[0] and scalar @$t read it; changing it dies ("Modification of
# a read-only value attempted"). == and eq compare tuples by that
# equality; a tuple stringifies as the Perl that makes it,
# Pmemkit::tuple(1, 'a'), so that one used as a plain hash's key or
# printed shows what it is.
use strict;
use warnings;
use B ();
use Carp ();
use Scalar::Util ();
use overload ();
no if $] >= 5.036, warnings => 'experimental::builtin';

require Pmemkit;

# The overloads of a tuple and of a frozen set (the scalar), objects of
# $class: == and eq compare two of the class by their _id, eq with
# anything else compares strings; "" is the class's _repr.
sub _overloads {
    my ($class) = @_;
    my $is = sub { Scalar::Util::blessed($_[0]) && $_[0]->isa($class) };
    my $same = sub { $is->($_[1]) && $_[0]->_id eq $_[1]->_id };
    return ('""' => \&{"${class}::_repr"},
        'eq' => sub { $is->($_[1]) ? $same->(@_) : "$_[0]" eq "$_[1]" },
        'ne' => sub { $is->($_[1]) ? !$same->(@_) : "$_[0]" ne "$_[1]" },
        '==' => $same,
        '!=' => sub { !$same->(@_) },
        'bool' => sub { 1 },
        fallback => 1);
}
overload->import(_overloads('Pmemkit::Tuple'));

# An item of a tuple or a member of a frozen set ($what names it in the
# error, $fn the function): a scalar, Pmemkit::bytes(), Pmemkit::string(),
# a Math::BigInt (a number), a tuple or a frozen set (the scalar) as it
# is; a frozen set stored (Pmemkit::FrozenSet) or made by
# Pmemkit::frozen_set() as the frozen set (the scalar) of its members.
# Anything else (a container, a mutable set, another object) dies with
# Pmemkit::Error::KeyType.
sub _item {
    my ($e, $what, $fn) = @_;
    return $e unless ref $e;
    my $c = Scalar::Util::blessed($e);
    if (defined $c) {
        return $e if $e->isa('Pmemkit::_Forced') || $e->isa('Pmemkit::Tuple')
            || $e->isa('Pmemkit::FrozenSet::Scalar');
        if ($e->isa('Math::BigInt')) {
            Carp::croak("$fn: a big integer that is not a number")
                if $e->is_nan || $e->is_inf;
            return $e;
        }
        my $fs = Pmemkit::FrozenSet::Scalar::_of($e);
        return $fs if $fs;
    }
    Pmemkit::Error->throw($Pmemkit::Raw::PK_EKEYTYPE,
        "$what must be a scalar, a tuple or a frozen set, not "
        . (defined $c ? "an object of class $c"
           : 'a reference to ' . Scalar::Util::reftype($e)));
}

# Pmemkit::tuple(@items) (or Pmemkit::Tuple->new(@items)): each item is
# checked here (_item): a reference other than Pmemkit::bytes(),
# Pmemkit::string(), a Math::BigInt (a number), a tuple or a frozen set
# dies with Pmemkit::Error::KeyType (a container or a mutable object
# cannot be an item). The items are copied (Pmemkit::bytes() and
# Math::BigInt items too, so that changing the caller's object changes no
# tuple).
sub new {
    my $class = shift;
    my @e = map { _item($_, 'a tuple item', 'Pmemkit::tuple') } @_;
    my @items = map {
        !ref $_ || $_->isa('Pmemkit::Tuple') || $_->isa('Pmemkit::FrozenSet::Scalar') ? $_
        : $_->isa('Math::BigInt') ? $_->copy
        : do { my $s = ${$_}; my $r = bless \$s, ref $_; Internals::SvREADONLY($s, 1); $r }
    } @e;
    my $t = bless \@items, $class;
    Internals::SvREADONLY($_, 1) for @items;
    Internals::SvREADONLY(@items, 1);
    return $t;
}

# the items, as a list (in scalar context: how many)
sub items { wantarray ? @{ $_[0] } : scalar @{ $_[0] } }
sub size  { scalar @{ $_[0] } }

# the identity under the keys' equality (Pmemkit::Set::_id of each item,
# length-prefixed)
sub _id {
    my ($self) = @_;
    return 't' . join '', map { my $i = Pmemkit::Set::_id($_); length($i) . ":$i" } @$self;
}

# perl 5.36's booleans (!!1, builtin::true)
my $is_bool = defined &builtin::is_bool ? \&builtin::is_bool : sub { '' };

sub _quote {
    my ($s) = @_;
    $s =~ s/([\\'])/\\$1/g;
    return "'$s'";
}

sub _repr_item {
    my ($e) = @_;
    return 'undef' unless defined $e;
    if (ref $e) {
        return "$e" if $e->isa('Pmemkit::Tuple') || $e->isa('Pmemkit::FrozenSet::Scalar');
        return 'Pmemkit::bytes("' . join('', map { sprintf '\\x%02x', ord } split //, $$e) . '")'
            if $e->isa('Pmemkit::Bytes');
        return 'Pmemkit::string(' . _quote($$e) . ')' if $e->isa('Pmemkit::String');
        return "Math::BigInt->new('" . $e->bstr . "')";
    }
    return $e ? '!!1' : '!!0' if $is_bool->($e);
    return _quote($e) if B::svref_2object(\$e)->FLAGS & B::SVf_POK;
    return "$e";
}

sub _repr { 'Pmemkit::tuple(' . join(', ', map { _repr_item($_) } @{ $_[0] }) . ')' }

# for JSON encoders (convert_blessed): the items, as an array
sub TO_JSON { [ map { ref $_ && !$_->isa('Pmemkit::Tuple') && !$_->isa('Pmemkit::FrozenSet::Scalar') ? "$_" : $_ } @{ $_[0] } ] }

package Pmemkit::FrozenSet::Scalar;
# A frozen set as one scalar (the C library's PK_FROZENSET), which Perl
# lacks: Pmemkit::frozenset(@members) makes one, a read-only array
# reference of this class holding its distinct members in the library's
# canonical order (1, 1.0 and !!1 are one member, the first given stays).
# It is a map key, a set element, a tuple item or a value, and a frozen
# set read from a pool (as any of those) is one again, which finds its
# entry again. Its members are what a tuple's items are. (A frozen set
# stored as a value by Pmemkit::frozen_set() is a container, read as a
# Pmemkit::FrozenSet; used as a key, or an item, it is this scalar.)
#
# @$s, $s->[0], scalar @$s, $s->members, $s->size and $s->contains($x)
# read it; changing it dies ("Modification of a read-only value
# attempted"). == and eq compare frozen sets by their members under the
# keys' equality, in any order; one stringifies as the Perl that makes it,
# Pmemkit::frozenset(1, 'a').
our @ISA = ();

overload->import(Pmemkit::Tuple::_overloads('Pmemkit::FrozenSet::Scalar'));

# Pmemkit::frozenset(@members) (or Pmemkit::FrozenSet::Scalar->new(...)):
# the members are checked as a tuple's items are (Pmemkit::Tuple::_item),
# then put in the library's order by the library itself.
sub new {
    my $class = shift;
    my @e = map { Pmemkit::Tuple::_item($_, 'a frozen set member', 'Pmemkit::frozenset') } @_;
    return Pmemkit::Raw::_frozenset(\@e);
}

# the frozen set (this scalar) of a stored frozen set (Pmemkit::FrozenSet)
# or of a Pmemkit::frozen_set() value; undef for anything else
sub _of {
    my ($e) = @_;
    return $e if $e->isa('Pmemkit::FrozenSet::Scalar');
    return __PACKAGE__->new($e->members)
        if $e->isa('Pmemkit::FrozenSet')
        || ($e->isa('Pmemkit::SetValue') && $e->is_frozen);
    return undef;
}

# the members, as a list (in scalar context: how many)
sub members { wantarray ? @{ $_[0] } : scalar @{ $_[0] } }
*items = \&members;
sub size { scalar @{ $_[0] } }
sub is_frozen { 1 }

# contains(@x): true when every one is a member (under the keys' equality)
sub contains {
    my ($self, @x) = @_;
    my %ids = map { (Pmemkit::Set::_id($_) => 1) } @$self;
    for my $x (@x) {
        return '' unless $ids{ Pmemkit::Set::_id(Pmemkit::Tuple::_item(
            $x, 'a frozen set member', 'contains')) };
    }
    return 1;
}
*has = *includes = \&contains;

# the identity under the keys' equality: the members' ids, sorted (any
# order is one frozen set)
sub _id {
    my ($self) = @_;
    return 'F' . join '', sort map { my $i = Pmemkit::Set::_id($_); length($i) . ":$i" } @$self;
}

sub _repr { 'Pmemkit::frozenset(' . join(', ', map { Pmemkit::Tuple::_repr_item($_) } @{ $_[0] }) . ')' }

# for JSON encoders (convert_blessed): the members, as an array
*TO_JSON = \&Pmemkit::Tuple::TO_JSON;

1;
