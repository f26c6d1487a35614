package Pmemkit::List;
# A persistent list of values (as for Pmemkit::Map). Indexes may be
# negative (-1 is the last element). Every change is atomic and durable
# when it returns; changes of several elements are one transaction.
use strict;
use warnings;
use Carp ();
use Scalar::Util ();

require Pmemkit;
our @ISA = ('Pmemkit::_Container');

# @$list, $list->[i]: the list as a tied array (Pmemkit::List::Tie), so
# that nested access through tied hashes and arrays reaches the stored
# containers and push @{$h{list}}, 4 appends to the list; %$list and
# $list->{k} die (they would read the object's own fields)
use overload
    '@{}' => sub { $_[0]->_tied('Pmemkit::List::Tie') },
    '%{}' => sub { Pmemkit::_not_a('Pmemkit::List', 'hash', '@$list, $list->[$i]') },
    fallback => 1;

sub _close { Pmemkit::Raw::pk_list_close($_[1]) }
sub _ref   { scalar Pmemkit::Raw::pk_list_value($_[0]) }
sub _open  { $_[0]->_new($_[1], scalar Pmemkit::Raw::pk_list_open($_[1]->_h, $_[2])) }

sub size { scalar Pmemkit::Raw::pk_list_length($_[0]) }

# The element at an index; dies with Pmemkit::Error::Range outside the list.
sub get {
    my ($self, $i) = @_;
    my $v = Pmemkit::Raw::pk_list_get($self, $i);
    return ref $v ? $$self->{pool}->_value($v) : $v;
}

sub set {
    my ($self, $i, $value) = @_;
    # a scalar: straight to C (the per-put path)
    if (!ref $value) {
        Pmemkit::Raw::pk_list_set($self, $i, $value);
        return;
    }
    my $h = $$self->{h};
    $$self->{pool}->_store(sub { Pmemkit::Raw::pk_list_set($h, $i, $_[0]) }, $value);
    return;
}

# Insert values before an index (past the end appends).
sub insert {
    my ($self, $i, @values) = @_;
    my $h = $$self->{h};
    my $pool = $$self->{pool};
    my $one = sub {
        my ($k, $value) = @_;
        $pool->_store(sub { Pmemkit::Raw::pk_list_insert($h, $k, $_[0]) }, $value);
    };
    if (@values == 1) {
        $one->($i, $values[0]);
    } elsif (@values) {
        $i += $self->size if $i < 0;
        $pool->transaction(sub { $one->($i + $_, $values[$_]) for 0 .. $#values });
    }
    return;
}

# Append values, all in one transaction; returns the new size.
sub push {
    my ($self, @values) = @_;
    my $h = $$self->{h};
    if (grep { ref $_ } @values) {
        my $pool = $$self->{pool};
        $pool->transaction(sub {
            $pool->_store(sub { Pmemkit::Raw::pk_list_append($h, $_[0]) }, $_)
                for @values;
        });
    } elsif (@values) {
        Pmemkit::Raw::pk_list_extend($h, \@values);
    }
    return $self->size;
}

sub unshift {
    my ($self, @values) = @_;
    $self->insert(0, @values);
    return $self->size;
}

# Remove and return the element at an index (default: the last); undef for
# an empty list. A container comes back as a plain copy (removing the last
# reference frees it).
sub pop {
    my ($self, $i) = @_;
    $i //= -1;
    return $$self->{pool}->transaction(sub {
        return undef if $i == -1 && !$self->size;
        my $v = $self->get($i);
        $v = Pmemkit::_plain($v) if ref $v;
        Pmemkit::Raw::pk_list_pop($self, $i);
        return $v;
    });
}

sub shift { $_[0]->size ? $_[0]->pop(0) : undef }

# Perl's splice: remove $length elements at $offset (default: to the end),
# insert @values there, return what was removed (containers as plain
# copies). One transaction.
sub splice {
    my ($self, $offset, $length, @values) = @_;
    my $n = $self->size;
    $offset //= 0;
    $offset += $n if $offset < 0;
    Carp::croak('Pmemkit::List->splice: offset before the start of the list')
        if $offset < 0;
    $offset = $n if $offset > $n;
    $length //= $n - $offset;
    my $stop = $length < 0 ? $n + $length : $offset + $length;
    $stop = $n if $stop > $n;
    $stop = $offset if $stop < $offset;
    return $$self->{pool}->transaction(sub {
        my @removed = map { my $v = $self->get($_); ref $v ? Pmemkit::_plain($v) : $v }
            $offset .. $stop - 1;
        Pmemkit::Raw::pk_list_remove_range($self, $offset, $stop);
        $self->insert($offset, @values) if @values;
        return wantarray ? @removed : $removed[-1];
    });
}

sub clear { Pmemkit::Raw::pk_list_clear($_[0]); return }

# An iterator: each call returns the next (index, value) and () after the
# last. Changing the length while iterating makes the next call die with
# Pmemkit::Error::Changed.
sub iterator { $_[0]->_cursor_iter(scalar Pmemkit::Raw::pk_list_cursor($_[0])) }

# $list->each(sub { my ($value, $index) = @_; ... }) for every element;
# $list->elements: the elements, as a list.
*each = \&Pmemkit::_Container::_seq_each;
*elements = \&Pmemkit::_Container::_seq_elements;

# A plain array ref, deeply copied.
sub to_array { [ map { ref $_ ? Pmemkit::_plain($_) : $_ } $_[0]->elements ] }

# A reference to an array tied to the list (Pmemkit::List::Tie).
sub tied_array {
    my ($self) = @_;
    tie my @a, 'Pmemkit::List::Tie', $self;
    return \@a;
}

package Pmemkit::List::Tie;
# tie my @a, 'Pmemkit::List::Tie', $list: the list as a Perl array, with
# Perl's semantics (reading past the end gives undef, storing past it
# extends the list with undefs). As with Pmemkit::Map::Tie, containers
# read through it deref as hashes and arrays, and a plain hash or array
# stored into an element is tied to the container made from it.
our @ISA = ('Pmemkit::_Tie');
sub TIEARRAY { $_[0]->_tie($_[1], 'Pmemkit::List') }

sub FETCH {
    my ($self, $i) = @_;
    my $list = $self->{c};
    return undef if $i >= $list->size;
    my $v = Pmemkit::Raw::pk_list_get($list, $i);
    return ref $v ? $self->_value($v) : $v;
}

sub STORE {
    my ($self, $i, $value) = @_;
    my $list = $self->{c};
    my $n = $list->size;
    if ($i < $n) {
        $list->set($i, $value);
    } else {
        $$list->{pool}->transaction(sub {
            $list->push((undef) x ($i - $n)) if $i > $n;
            $list->push($value);
        });
    }
    Pmemkit::_adopt($value, $list->get($i)) if ref $value && !Scalar::Util::blessed($value);
    return;
}

sub STORESIZE {
    my ($self, $size) = @_;
    my $list = $self->{c};
    my $n = $list->size;
    if ($size < $n) {
        Pmemkit::Raw::pk_list_remove_range($list, $size, $n);
    } elsif ($size > $n) {
        $list->push((undef) x ($size - $n));
    }
}

# Perl's delete on an element: undef in its place (the last one goes)
sub DELETE {
    my ($self, $i) = @_;
    my $list = $self->{c};
    my $n = $list->size;
    return undef if $i >= $n;
    return $list->pop if $i == $n - 1;
    return $$list->{pool}->transaction(sub {
        my $v = $list->get($i);
        $v = Pmemkit::_plain($v) if ref $v;
        $list->set($i, undef);
        $v;
    });
}

sub CLEAR   { $_[0]{c}->clear }
sub PUSH    { my $self = CORE::shift; $self->{c}->push(@_) }
sub POP     { $_[0]{c}->pop }
sub SHIFT   { $_[0]{c}->shift }
sub UNSHIFT { my $self = CORE::shift; $self->{c}->unshift(@_) }
sub SPLICE  { my $self = CORE::shift; $self->{c}->splice(@_) }

1;
