package Pmemkit::Blocks;
# A persistent block array: size() blocks of block_size() bytes (512 to
# 65536), read and written whole, as a disk's sectors (libpmemblk's
# model). Made with $pool->new_blocks($block_size, $count). get($i) gives
# exactly block_size bytes; set($i, $data) writes the block atomically
# (after a crash it holds the old bytes or the new, never a mix) and
# durably, zero-filling what $data leaves of it; more bytes than a block
# holds die, and nothing is written. A new block reads as zeros. Indexes
# may be negative (-1 is the last block); outside the array they die
# Pmemkit::Error::Range. set_error($i) marks a block bad: reading it dies
# Pmemkit::Error::OSError (errno EIO, $! set) until it is written or
# zeroed. The array grows (grow, append), never shrinks. Data is bytes, as
# for Pmemkit::Log.
use strict;
use warnings;
use Carp ();

require Pmemkit;
our @ISA = ('Pmemkit::_Container');

# @$blocks, $blocks->[i]: the blocks as a tied array (Pmemkit::Blocks::Tie)
use overload
    '@{}' => sub { $_[0]->_tied('Pmemkit::Blocks::Tie') },
    '%{}' => sub { Pmemkit::_not_a('Pmemkit::Blocks', 'hash', '@$blocks, $blocks->[$i]') },
    fallback => 1;

our $MIN = 512;
our $MAX = 65536;

sub _close { Pmemkit::Raw::pk_blocks_close($_[1]) }
sub _ref   { scalar Pmemkit::Raw::pk_blocks_value($_[0]) }
sub _open  { $_[0]->_with_handle($_[1], scalar Pmemkit::Raw::pk_blocks_open($_[1]->_h, $_[2])) }

sub _with_handle {
    my ($class, $pool, $h) = @_;
    my $self = $class->_new($pool, $h);
    $$self->{bs} = scalar Pmemkit::Raw::pk_blocks_block_size($h);
    return $self;
}

sub _create {
    my ($class, $pool, $bs, $count) = @_;
    $bs = Pmemkit::_int('Pmemkit::Pool->new_blocks', $bs);
    $count = Pmemkit::_int('Pmemkit::Pool->new_blocks', $count // 0);
    Carp::croak("Pmemkit::Pool->new_blocks: a block size of $bs: from $MIN to $MAX")
        if $bs < $MIN || $bs > $MAX;
    Carp::croak('Pmemkit::Pool->new_blocks: a negative number of blocks')
        if $count < 0;
    return $class->_with_handle($pool,
        scalar Pmemkit::Raw::pk_blocks_new($pool->_h, $bs, $count));
}

# bytes per block
sub block_size { ${$_[0]}->{bs} }
# the number of blocks
sub size { scalar Pmemkit::Raw::pk_blocks_length($_[0]) }

# a block's number from an index (negative from the end)
sub _index {
    my ($self, $i, $what) = @_;
    $i = Pmemkit::_int("Pmemkit::Blocks->$what", $i);
    return $i if $i >= 0 && $i < 9223372036854775807;
    my $j = $i + $self->size;
    Pmemkit::Error->throw($Pmemkit::Raw::PK_ERANGE, "block index $i out of range")
        if $j < 0 || $i >= 0;
    return $j;
}

# Block $i: a byte string of block_size bytes.
sub get { scalar Pmemkit::Raw::pk_blocks_get($_[0], $_[0]->_index($_[1], 'get')) }

# Write block $i whole, atomically: $data (at most block_size bytes),
# zeros after it.
sub set {
    my ($self, $i, $data) = @_;
    $data = Pmemkit::_data('Pmemkit::Blocks->set', $data);
    Carp::croak('Pmemkit::Blocks->set: ' . length($data)
        . " bytes for a block of $$self->{bs}") if length $data > $$self->{bs};
    Pmemkit::Raw::pk_blocks_write($self, $self->_index($i, 'set'), $data);
    return;
}

# Make block $i read as zeros (and no longer bad), atomically.
sub zero { Pmemkit::Raw::pk_blocks_zero($_[0], $_[0]->_index($_[1], 'zero')); return }

# Mark block $i bad: reading it dies (EIO) until it is written or zeroed.
sub set_error {
    Pmemkit::Raw::pk_blocks_set_error($_[0], $_[0]->_index($_[1], 'set_error'));
    return;
}

# Append $n blocks that read as zeros, all or none; returns the new size.
sub grow {
    my ($self, $n) = @_;
    $n = Pmemkit::_int('Pmemkit::Blocks->grow', $n);
    Carp::croak('Pmemkit::Blocks->grow: a negative number of blocks') if $n < 0;
    Pmemkit::Raw::pk_blocks_grow($self, $n) if $n;
    return $self->size;
}

# Append blocks holding @data (each zero-filled), in one transaction;
# returns the new size.
sub append {
    my ($self, @data) = @_;
    @data = map { Pmemkit::_data('Pmemkit::Blocks->append', $_) } @data;
    for (@data) {
        Carp::croak('Pmemkit::Blocks->append: ' . length($_)
            . " bytes for a block of $$self->{bs}") if length > $$self->{bs};
    }
    return $self->size unless @data;
    return $$self->{pool}->transaction(sub {
        my $n = $self->size;
        Pmemkit::Raw::pk_blocks_grow($self, scalar @data);
        Pmemkit::Raw::pk_blocks_write($self, $n + $_, $data[$_]) for 0 .. $#data;
        return $n + @data;
    });
}

# An iterator: each call returns the next ($index, $block), () after the
# last; a block marked bad dies (EIO).
sub iterator { $_[0]->_cursor_iter(scalar Pmemkit::Raw::pk_blocks_cursor($_[0])) }

# $blocks->each(sub { my ($block, $index) = @_; ... }) for every block;
# $blocks->elements: the blocks, as a list of byte strings.
*each = \&Pmemkit::_Container::_seq_each;
*elements = \&Pmemkit::_Container::_seq_elements;

# A plain array ref of the blocks.
sub to_array { [ $_[0]->elements ] }

package Pmemkit::Blocks::Tie;
# tie my @b, 'Pmemkit::Blocks::Tie', $blocks (or @$blocks): the blocks as
# a Perl array. Reading past the end gives undef; storing past it grows
# the array (in one transaction with the write), and so do push and a
# larger $#b. A block array does not shrink: pop, shift, unshift, splice,
# delete, clearing and a smaller $#b die, and change nothing.
our @ISA = ('Pmemkit::_Tie');

sub TIEARRAY { $_[0]->_tie($_[1], 'Pmemkit::Blocks') }

sub STORE {
    my ($self, $i, $data) = @_;
    my $b = $self->{c};
    my $n = $b->size;
    return $b->set($i, $data) if $i < $n;
    $$b->{pool}->transaction(sub {
        $b->grow($i - $n) if $i > $n;
        $b->append($data);
    });
    return;
}

sub STORESIZE {
    my ($self, $size) = @_;
    my $n = $self->{c}->size;
    $self->_shrink('a smaller $#array') if $size < $n;
    $self->{c}->grow($size - $n) if $size > $n;
    return;
}

sub PUSH { my $self = shift; $self->{c}->append(@_) }

sub _shrink {
    Carp::croak("Pmemkit::Blocks: a block array does not shrink ($_[1]); "
        . '$blocks->zero($i) zeroes a block');
}
sub POP     { $_[0]->_shrink('pop') }
sub SHIFT   { $_[0]->_shrink('shift') }
sub UNSHIFT { $_[0]->_shrink('unshift') }
sub SPLICE  { $_[0]->_shrink('splice') }
sub DELETE  { $_[0]->_shrink('delete') }
sub CLEAR   { $_[0]->_shrink('clear') }

1;
