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
no if $] >= 5.036, warnings => 'experimental::builtin';

require Pmemkit;

use overload
    '""' => \&_repr,
    'eq' => sub { _is($_[1]) ? $_[0]->_id eq $_[1]->_id : "$_[0]" eq "$_[1]" },
    'ne' => sub { _is($_[1]) ? $_[0]->_id ne $_[1]->_id : "$_[0]" ne "$_[1]" },
    '==' => sub { _is($_[1]) && $_[0]->_id eq $_[1]->_id },
    '!=' => sub { !(_is($_[1]) && $_[0]->_id eq $_[1]->_id) },
    'bool' => sub { 1 },
    fallback => 1;

sub _is { Scalar::Util::blessed($_[0]) && $_[0]->isa('Pmemkit::Tuple') }

# Pmemkit::tuple(@items) (or Pmemkit::Tuple->new(@items)): each item is
# checked here: a reference other than Pmemkit::bytes(), Pmemkit::string(),
# a Math::BigInt (a number) or a tuple dies with Pmemkit::Error::KeyType
# (a container or a mutable object cannot be an item). The items are
# copied (Pmemkit::bytes() and Math::BigInt items too, so that changing
# the caller's object changes no tuple).
sub new {
    my $class = shift;
    for my $e (@_) {
        next unless ref $e;
        my $c = Scalar::Util::blessed($e);
        if (defined $c) {
            next if $e->isa('Pmemkit::_Forced') || $e->isa('Pmemkit::Tuple');
            if ($e->isa('Math::BigInt')) {
                Carp::croak('Pmemkit::tuple: a big integer that is not a number')
                    if $e->is_nan || $e->is_inf;
                next;
            }
        }
        Pmemkit::Error->throw($Pmemkit::Raw::PK_EKEYTYPE,
            'a tuple item must be a scalar or a tuple, not '
            . (defined $c ? "an object of class $c"
               : 'a reference to ' . Scalar::Util::reftype($e)));
    }
    my @items = map {
        !ref $_ || $_->isa('Pmemkit::Tuple') ? $_
        : $_->isa('Math::BigInt') ? $_->copy
        : do { my $s = ${$_}; my $r = bless \$s, ref $_; Internals::SvREADONLY($s, 1); $r }
    } @_;
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
        return "$e" if $e->isa('Pmemkit::Tuple');
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
sub TO_JSON { [ map { ref $_ && !$_->isa('Pmemkit::Tuple') ? "$_" : $_ } @{ $_[0] } ] }

1;
