package Pmemkit::Array;
# A persistent typed array: a fixed number of elements of one type (i8 u8
# i16 u16 i32 u32 i64 u64 f32 f64, or byte strings of one width), stored
# contiguously. Made with $pool->new_array. Values outside the element's
# range die with Pmemkit::Error::Range, values of another kind with
# Pmemkit::Error::Kind.
use strict;
use warnings;
use Carp ();
use Scalar::Util ();
use overload ();

require Pmemkit;
our @ISA = ('Pmemkit::_Container');

# @$array, $array->[i]: the array as a tied array (Pmemkit::Array::Tie);
# %$array and $array->{k} die (they would read the object's own fields)
use overload
    '@{}' => sub { $_[0]->_tied('Pmemkit::Array::Tie') },
    '%{}' => sub { Pmemkit::_not_a('Pmemkit::Array', 'hash', '@$array, $array->[$i]') },
    fallback => 1;

# pack letters (native order) by class and size of the element; unsigned
# types take the signed ones' capitals
my %PACK = (signed => { 1 => 'c', 2 => 's', 4 => 'l', 8 => 'q' },
            float => { 4 => 'f', 8 => 'd' }, bytes => { 0 => 'a' });
# element type name (the short name of the C library's element table,
# pk_elem_table()) -> [C element type, pack template]; C element type ->
# name; the names of types beyond int64 (u64: C gives their elements as
# the same 64 bits in an int64). A row Perl cannot pack is left out.
my (%TYPES, %NAME_OF, %WIDE, %RANGE);
for (my $i = 0; my $row = Pmemkit::Raw::pk_elem_table($i); $i++) {
    my ($name, $elem, $size, $cls) = @$row{qw(sname code size cls)};
    my $t = $PACK{$cls eq 'unsigned' ? 'signed' : $cls}{$size} or next;
    $TYPES{$name} = [$elem, $cls eq 'unsigned' ? uc $t : $t];
    $NAME_OF{$elem} = $name;
    $WIDE{$name} = 1 if $cls eq 'unsigned' && $size == 8;
    # the integers an element holds, from its size and class (as
    # numbers: the 64-bit ends are approximate, and C checks set's)
    $RANGE{$name} = $cls eq 'signed' ? [-2 ** (8 * $size - 1), 2 ** (8 * $size - 1) - 1]
        : $cls eq 'unsigned' ? [0, 2 ** (8 * $size) - 1] : undef;
}

# _packed -- the elements' bytes for a bulk write, each value checked as
# set() checks one: a number (or numeric string) in the element's range,
# a float, or for bytes elements a byte string of at most the width; a
# reference dies Kind (pack would store its address), a value out of
# range dies Range (pack would wrap it)
sub _packed {
    my ($who, $type, $width, @values) = @_;
    my $range = $RANGE{$type};
    for my $v (@values) {
        if (ref $v && !(Scalar::Util::blessed($v) && overload::Method($v, '""'))) {
            Pmemkit::Error->throw($Pmemkit::Raw::PK_EKIND,
                "$who: a reference is no $type element");
        }
        if ($type eq 'bytes') {
            my $b = defined $v ? "$v" : '';
            Pmemkit::Error->throw($Pmemkit::Raw::PK_EKIND,
                "$who: wide characters in a bytes element")
                unless utf8::downgrade($b, 1);
            Pmemkit::Error->throw($Pmemkit::Raw::PK_ERANGE,
                "$who: " . length($b) . " bytes for elements of $width")
                if length($b) > $width;
            next;
        }
        Pmemkit::Error->throw($Pmemkit::Raw::PK_EKIND,
            "$who: " . (defined $v ? "'$v'" : 'undef') . " is not a number")
            unless defined $v && Scalar::Util::looks_like_number($v);
        next unless $range;
        Pmemkit::Error->throw($Pmemkit::Raw::PK_EKIND,
            "$who: $v is not an integer") unless $v == int($v);
        Pmemkit::Error->throw($Pmemkit::Raw::PK_ERANGE,
            "$who: $v is out of the range of $type")
            if $v < $range->[0] || $v > $range->[1];
    }
    return $type eq 'bytes' ? pack("(a$width)*", @values)
        : pack("$TYPES{$type}[1]*", @values);
}

sub _close { Pmemkit::Raw::pk_array_close($_[1]) }
sub _ref   { scalar Pmemkit::Raw::pk_array_value($_[0]) }

sub _open { $_[0]->_with_handle($_[1], scalar Pmemkit::Raw::pk_array_open($_[1]->_h, $_[2])) }

# u64 and bytes elements have a get and a set of their own (subclasses),
# so that the others' need no test of the type
sub _with_handle {
    my ($class, $pool, $h) = @_;
    my (undef, $elem, $width) = Pmemkit::Raw::pk_array_type($h);
    my $type = $NAME_OF{$elem};
    $class = $WIDE{$type} ? 'Pmemkit::Array::_U64'
        : $type eq 'bytes' ? 'Pmemkit::Array::_Bytes' : $class;
    my $self = $class->_new($pool, $h);
    @{$$self}{qw(type width)} = ($type, $width);
    return $self;
}

sub _create {
    my ($class, $pool, $type, $width, $init) = @_;
    my $t = $TYPES{$type // ''}
        or Carp::croak('Pmemkit::Pool->new_array: unknown element type '
            . ($type // 'undef') . ' (one of ' . join(' ', sort keys %TYPES) . ')');
    Carp::croak('Pmemkit::Pool->new_array: bytes elements need width => N')
        if $type eq 'bytes' && $width < 1;
    my ($length, $bytes) = ($init, undef);
    if (ref $init) {
        $length = @$init;
        $bytes = _packed('Pmemkit::Pool->new_array', $type, $width, @$init);
    }
    my $h = Pmemkit::Raw::pk_array_new($pool->_h, $t->[0],
        $type eq 'bytes' ? $width : 0, $length, $bytes);
    return $class->_with_handle($pool, $h);
}

# element type name ("i32", ..., "bytes") and bytes per element
sub type  { ${$_[0]}->{type} }
sub width { ${$_[0]}->{width} }
sub size  { scalar Pmemkit::Raw::pk_array_length($_[0]) }

sub get { scalar Pmemkit::Raw::pk_array_get($_[0], $_[1]) }

# A numeric string ("12" from a regex capture) is its number, as in Perl's
# numeric context.
sub set {
    my ($self, $i, $v) = @_;
    Pmemkit::Raw::_array_set($self, $i, ref $v ? Pmemkit::_to_c(undef, $v) : $v);
    return;
}

# The elements (all, or $count from $start), as a list of numbers (or
# byte strings).
sub elements {
    my ($self, $start, $count) = @_;
    $start //= 0;
    $count //= $self->size - $start;
    return () if $count <= 0;
    my $buf = Pmemkit::Raw::_array_read($self, $start, $count);
    return unpack "(a$$self->{width})*", $buf if $$self->{type} eq 'bytes';
    return unpack "$TYPES{$$self->{type}}[1]*", $buf;
}

# A plain array ref of the elements.
sub to_array { [ $_[0]->elements ] }

# Write @values from element $start on, in one transaction: each checked
# as set() checks one, and nothing written if one fails.
sub write {
    my ($self, $start, @values) = @_;
    return unless @values;
    my $bytes = _packed('Pmemkit::Array->write', $$self->{type},
        $$self->{width}, @values);
    Pmemkit::Raw::pk_array_write($self, $start, $bytes);
    return;
}

# Change the number of elements (new ones are zero).
sub resize { Pmemkit::Raw::pk_array_resize($_[0], $_[1]); return }

package Pmemkit::Array::_U64;
# u64 elements: C gives and takes them as the same 64 bits in an int64
our @ISA = ('Pmemkit::Array');

sub get {
    my $v = Pmemkit::Raw::pk_array_get($_[0], $_[1]);
    return $v < 0 ? unpack('Q', pack 'q', $v) : $v;
}

sub set {
    my ($self, $i, $v) = @_;
    return $self->SUPER::set($i, $v)
        unless defined $v && !ref $v && $v > 9223372036854775807;
    my $n = $self->size;
    my $j = $i < 0 ? $i + $n : $i;
    Pmemkit::Error->throw($Pmemkit::Raw::PK_ERANGE, 'array index out of range')
        if $j < 0 || $j >= $n;
    Pmemkit::Raw::pk_array_write($self, $j, pack 'Q', $v);
    return;
}

package Pmemkit::Array::_Bytes;
# bytes elements: a string is their bytes
our @ISA = ('Pmemkit::Array');

sub set {
    my ($self, $i, $v) = @_;
    return $self->SUPER::set($i, defined $v && !ref $v ? Pmemkit::bytes($v) : $v);
}

package Pmemkit::Array::Tie;
# tie my @a, 'Pmemkit::Array::Tie', $array: a typed array as a Perl array
# of its elements. Reading past the end gives undef; storing past it or
# changing $#a resizes it (new elements are zero); push, pop, shift,
# unshift and splice go through those (Tie::Array), each a change of its
# own.
require Tie::Array;
our @ISA = ('Pmemkit::_Tie', 'Tie::Array');

sub TIEARRAY { $_[0]->_tie($_[1], 'Pmemkit::Array') }

sub STORESIZE  { $_[0]{c}->resize($_[1]) }
sub DELETE     { my $v = $_[0]->FETCH($_[1]); $_[0]->STORE($_[1], 0) if $_[0]->EXISTS($_[1]); $v }
sub CLEAR      { $_[0]{c}->resize(0) }

sub STORE {
    my ($self, $i, $v) = @_;
    my $array = $self->{c};
    $array->resize($i + 1) if $i >= $array->size;
    $array->set($i, $v);
    return;
}

1;
