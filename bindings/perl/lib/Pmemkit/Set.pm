package Pmemkit::Set;
# A persistent set: distinct elements, which are what a map takes as keys
# (undef, booleans, numbers, strings, Pmemkit::bytes(), Math::BigInt),
# with the map's equality: 1, 1.0 and a true boolean are one element, a
# plain string is always text (as a map key is). Every change is atomic
# and durable when it returns; a change of several elements is one
# transaction, and its elements are all checked before anything changes.
# The set operations (union, intersection, ...) give plain lists, as
# Perl's set modules give their members; the tests (is_subset, ...) take
# another set, an array reference of elements or a Pmemkit::set() value.
# A set stored as frozen (Python's frozenset, Pmemkit::frozen_set()) reads
# as a Pmemkit::FrozenSet, whose mutators die.
use strict;
use warnings;
use Carp ();
use overload ();
use B ();
use Scalar::Util ();
no if $] >= 5.036, warnings => 'experimental::builtin';

require Pmemkit;
our @ISA = ('Pmemkit::_Container');

# A set is neither a hash nor an array: a copy that looked like one would
# take changes that never reach the pool (the elements' types would not
# survive a hash's string keys either)
overload->import(Pmemkit::_no_deref('Pmemkit::Set', '$set->members, $set->contains($e)'));

sub _close { Pmemkit::Raw::pk_set_close($_[1]) }
sub _ref   { scalar Pmemkit::Raw::pk_set_value($_[0]) }

# a Pmemkit::Set, or a Pmemkit::FrozenSet when the set is flagged frozen
sub _open {
    my (undef, $pool, $ref) = @_;
    my $h = $pool->_h;
    my $class = Pmemkit::Raw::pk_container_flags($h, $ref)
        & $Pmemkit::Raw::PK_FLAG_FROZEN ? 'Pmemkit::FrozenSet' : 'Pmemkit::Set';
    return $class->_new($pool, scalar Pmemkit::Raw::pk_set_open($h, $ref));
}

# An element to hand to C: a scalar as it is; Pmemkit::bytes(),
# Pmemkit::string(), Pmemkit::tuple() and Pmemkit::frozenset() as they
# are; a Math::BigInt as its number; a stored frozen set
# (Pmemkit::FrozenSet) or a Pmemkit::frozen_set() value as the frozen set
# (Pmemkit::frozenset()) of its members; any other reference (a container,
# a hash, an array, another object) dies with Pmemkit::Error::KeyType, as
# a map key does.
sub _elem {
    my ($e) = @_;
    return $e unless ref $e;
    my $class = Scalar::Util::blessed($e);
    if (defined $class) {
        return $e if $e->isa('Pmemkit::_Forced') || $e->isa('Pmemkit::Tuple');
        return Pmemkit::_to_c(undef, $e) if $e->isa('Math::BigInt');
        my $fs = Pmemkit::FrozenSet::Scalar::_of($e);
        return $fs if $fs;
    }
    Pmemkit::Error->throw($Pmemkit::Raw::PK_EKEYTYPE,
        'a set element must be a scalar, not '
        . (defined $class ? "an object of class $class"
           : 'a reference to ' . Scalar::Util::reftype($e)));
}

# perl 5.36's booleans (!!1, builtin::true)
my $is_bool = defined &builtin::is_bool ? \&builtin::is_bool : sub { '' };

# The identity of an element under the set's equality, as a string (for
# the set operations done in Perl): what C would store, numbers as one
# kind.
sub _id {
    my ($e) = @_;
    return 'u' unless defined $e;
    if (ref $e) {
        if (Scalar::Util::blessed($e)) {
            return 'b' . ${$e} if $e->isa('Pmemkit::Bytes');
            return 's' . do { my $s = ${$e}; utf8::encode($s); $s }
                if $e->isa('Pmemkit::String');
            return 'n' . $e->bstr if $e->isa('Math::BigInt');
            return _id(Pmemkit::_from_bigint_bytes(${$e}))
                if $e->isa('Pmemkit::_BigInt');
            return $e->_id if $e->isa('Pmemkit::Tuple')
                || $e->isa('Pmemkit::FrozenSet::Scalar');
        }
        return _id(_elem($e));    # a frozen set's members, or dies
    }
    return 'n' . ($e ? 1 : 0) if $is_bool->($e);
    my $flags = B::svref_2object(\$e)->FLAGS;
    if ($flags & B::SVf_POK) {
        my $s = $e;
        # the typemap's rule for a key: text, its bytes when they are UTF-8
        if (utf8::is_utf8($s) || !utf8::decode(my $copy = $s)) {
            utf8::encode($s);
        }
        return "s$s";
    }
    return "n$e" if $flags & B::SVf_IOK;
    return 'n0' if $e == 0;
    # an integral double is the integer within int64 (as C compares them)
    return 'n' . sprintf('%.0f', $e)
        if $e == int($e) && $e >= -9.2233720368547758e18 && $e < 9.2233720368547758e18;
    return 'f' . sprintf('%.17g', $e);
}

# add(@elements) (or insert): add each (those there already change
# nothing), in one transaction when several.
sub add {
    my ($self, @e) = @_;
    @e = map { _elem($_) } @e;    # all checked before any is added
    if (@e == 1) {
        Pmemkit::Raw::pk_set_add($self, $e[0]);
    } elsif (@e) {
        $$self->{pool}->transaction(sub { Pmemkit::Raw::pk_set_add($self, $_) for @e });
    }
    return;
}
*insert = \&add;

# remove(@elements) (or delete): remove each that is there, in one
# transaction when several; returns how many were there.
sub remove {
    my ($self, @e) = @_;
    @e = map { _elem($_) } @e;
    return 0 + Pmemkit::Raw::pk_set_discard($self, $e[0]) if @e == 1;
    my $n = 0;
    $$self->{pool}->transaction(sub {
        $n += Pmemkit::Raw::pk_set_discard($self, $_) for @e;
    }) if @e;
    return $n;
}
*delete = \&remove;

# contains(@elements) (or has, includes): true when every one is there.
sub contains {
    my ($self, @e) = @_;
    for my $e (@e) {
        return '' unless Pmemkit::Raw::pk_set_contains($self, _elem($e));
    }
    return 1;
}
*has = *includes = \&contains;

sub size  { scalar Pmemkit::Raw::pk_set_length($_[0]) }
sub is_empty { $_[0]->size == 0 }
sub clear { Pmemkit::Raw::pk_set_clear($_[0]); return }

# whether the set is read-only (a Pmemkit::FrozenSet)
sub is_frozen { '' }

# An iterator: each call returns the next element and () after the last,
# in no particular order. Adding or removing elements while iterating
# makes the next call die with Pmemkit::Error::Changed.
sub iterator {
    my ($self) = @_;
    my $it = $self->_cursor_iter(scalar Pmemkit::Raw::pk_set_cursor($self));
    return sub { my ($e) = $it->() or return; return $e };
}

# $set->each(sub { my ($element) = @_; ... }) for every element.
sub each {
    my ($self, $cb) = @_;
    my $it = $self->iterator;
    while (my ($e) = $it->()) {
        $cb->($e);
    }
    return;
}

# The elements, as a list (in scalar context: how many). Bytes come back
# as Pmemkit::bytes() values, so that each finds itself again.
sub members {
    my ($self) = @_;
    my (@e, $e);
    my $it = $self->iterator;
    CORE::push @e, $e while ($e) = $it->();
    return wantarray ? @e : scalar @e;
}
*elements = \&members;

# retain(@elements): keep only the elements that are among these, in one
# transaction; returns how many were removed.
sub retain {
    my ($self, @keep) = @_;
    my %keep = map { _id($_) => 1 } @keep;
    my $n = 0;
    $$self->{pool}->transaction(sub {
        for my $e ($self->members) {
            next if $keep{ _id($e) };
            Pmemkit::Raw::pk_set_discard($self, $e);
            $n++;
        }
    });
    return $n;
}

# the elements of an operand: a set, an array ref or a Pmemkit::set()
sub _operand {
    my ($what, $o) = @_;
    my $class = Scalar::Util::blessed($o) // '';
    return $o->members if $class && ($o->isa('Pmemkit::Set') || $o->isa('Pmemkit::SetValue'));
    return @$o if !$class && ref $o eq 'ARRAY';
    Carp::croak("Pmemkit::Set->$what: expected a set or an array reference, not "
        . (!defined $o ? 'undef' : !ref $o ? "'$o'"
           : $class ? "an object of class $class" : 'a reference to ' . ref $o));
}

# {id => element} of an operand
sub _ids {
    my ($what, $o) = @_;
    return { map { _id($_) => $_ } _operand($what, $o) };
}

sub _list { return wantarray ? @{ $_[0] } : scalar @{ $_[0] } }

# The set operations: plain lists of elements (in scalar context: how
# many), each element once.
# union(@others): the elements of this set or of any other.
sub union {
    my ($self, @others) = @_;
    my %seen;
    return _list([grep { !$seen{ _id($_) }++ }
        $self->members, map { _operand('union', $_) } @others]);
}

# intersection(@others): the elements of this set that are in every other.
sub intersection {
    my ($self, @others) = @_;
    my @ids = map { _ids('intersection', $_) } @others;
    return _list([grep { my $id = _id($_); !grep { !exists $_->{$id} } @ids }
        $self->members]);
}

# difference(@others): the elements of this set in no other.
sub difference {
    my ($self, @others) = @_;
    my @ids = map { _ids('difference', $_) } @others;
    return _list([grep { my $id = _id($_); !grep { exists $_->{$id} } @ids }
        $self->members]);
}

# symmetric_difference($other): the elements in exactly one of the two.
sub symmetric_difference {
    my ($self, $other) = @_;
    my $theirs = _ids('symmetric_difference', $other);
    my %mine = map { _id($_) => $_ } $self->members;
    return _list([(grep { !exists $theirs->{ _id($_) } } values %mine),
        (grep { !exists $mine{ _id($_) } } values %$theirs)]);
}

# is_subset($other): every element of this set is in the other; and so
# on, each taking a set, an array reference or a Pmemkit::set() value.
sub is_subset {
    my ($self, $other) = @_;
    my $theirs = _ids('is_subset', $other);
    return '' if $self->size > keys %$theirs;
    return (grep { !exists $theirs->{ _id($_) } } $self->members) ? '' : 1;
}

sub is_superset {
    my ($self, $other) = @_;
    my @theirs = _operand('is_superset', $other);
    return $self->contains(@theirs);
}

sub is_equal {
    my ($self, $other) = @_;
    my $theirs = _ids('is_equal', $other);
    return $self->size == keys %$theirs && $self->contains(values %$theirs) ? 1 : '';
}

sub is_disjoint {
    my ($self, $other) = @_;
    for my $e (_operand('is_disjoint', $other)) {
        return '' if Pmemkit::Raw::pk_set_contains($self, _elem($e));
    }
    return 1;
}

# A plain copy: a Pmemkit::set() (or frozen_set()) value of the elements,
# which stores as a new set.
sub to_value {
    my ($self) = @_;
    return Pmemkit::SetValue->_new([$self->members], $self->is_frozen);
}

package Pmemkit::FrozenSet;
# A set stored as frozen (Python's frozenset, Pmemkit::frozen_set(),
# $pool->new_set(\@elements, frozen => 1)): read-only. It is a
# Pmemkit::Set for reading; add, remove, retain and clear die with
# "Modification of a read-only Pmemkit::FrozenSet attempted", as perl
# does for its read-only values, and nothing is changed.
our @ISA = ('Pmemkit::Set');

sub is_frozen { 1 }

for my $m (qw(add insert remove delete retain clear)) {
    no strict 'refs';
    *{"Pmemkit::FrozenSet::$m"} = sub {
        Carp::croak("Modification of a read-only Pmemkit::FrozenSet attempted ($m)");
    };
}

package Pmemkit::SetValue;
# What Pmemkit::set(@elements) and Pmemkit::frozen_set(@elements) return:
# elements (checked when it is made) to be stored as a new set. Perl has
# no set value: a hash's keys are strings (7 and "7" would be one, bytes
# would become text), an array ref stores as a list, so a set is stored
# from this marker (or from a Pmemkit::Set, which stores a reference to
# itself).
our @ISA = ('Pmemkit::_Marker');
sub _what { 'a Pmemkit::set() value' }

sub _new { bless { elements => $_[1], frozen => $_[2] ? 1 : '' }, $_[0] }

sub members   { @{ $_[0]{elements} } }
sub is_frozen { $_[0]{frozen} }

# for JSON encoders (convert_blessed): the elements, as an array
sub TO_JSON { [ map { ref $_ ? "$_" : $_ } @{ $_[0]{elements} } ] }

1;
