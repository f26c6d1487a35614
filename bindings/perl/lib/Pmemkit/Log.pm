package Pmemkit::Log;
# A persistent log: records (byte strings of any length below 4 GiB, empty
# ones and NUL bytes included) appended at its end, read back in order.
# Made with $pool->new_log; nests in maps and lists as any container. An
# append is atomic and durable when it returns, without a transaction of
# its own; append(@records) of several is one atomic unit. Every record
# has a position, valid across reopens until clear(): tell() gives the
# one the next record will get, iterator($pos) starts at one.
#
# Records are bytes (Pmemkit::_data): a string of characters is stored as
# its characters' bytes when they are all below 256 and dies "wide
# character" otherwise (encode text first); records read back are byte
# strings (no UTF-8 flag).
use strict;
use warnings;
use Carp ();
use overload ();

require Pmemkit;
our @ISA = ('Pmemkit::_Container');

# a log has no index: @$log and %$log die rather than read the object's
# own fields (use elements, iterator or each)
overload->import(Pmemkit::_no_deref('Pmemkit::Log', '$log->elements, $log->each'));

sub _close { Pmemkit::Raw::pk_log_close($_[1]) }
sub _ref   { scalar Pmemkit::Raw::pk_log_value($_[0]) }
sub _open  { $_[0]->_new($_[1], scalar Pmemkit::Raw::pk_log_open($_[1]->_h, $_[2])) }

# Append the records: one is one atomic append, several are one atomic
# unit (after a crash all of them are there or none). Returns nothing.
sub append {
    my $self = shift;
    if (@_ == 1) {
        Pmemkit::Raw::pk_log_append($self, Pmemkit::_data('Pmemkit::Log->append', $_[0]));
    } elsif (@_) {
        my @r = map { Pmemkit::_data('Pmemkit::Log->append', $_) } @_;
        Pmemkit::Raw::pk_log_extend($self, \@r);
    }
    return;
}

# the number of records
sub size   { scalar Pmemkit::Raw::pk_log_length($_[0]) }
# the bytes of all the records (their lengths added up)
sub nbytes { scalar Pmemkit::Raw::pk_log_nbytes($_[0]) }
# the position the next record appended will have
sub tell   { scalar Pmemkit::Raw::pk_log_tell($_[0]) }

# Remove every record and give the space back; positions from before are
# then invalid, and iterators die Pmemkit::Error::Changed.
sub clear { Pmemkit::Raw::pk_log_clear($_[0]); return }

# An iterator from a position (default: the first record; one an
# iterator gave, or tell() gave): each call returns the next
# ($position, $record), () after the last; records appended meanwhile are
# met. A position that is no record's dies Pmemkit::Error::Range.
sub iterator {
    my ($self, $pos) = @_;
    $pos = Pmemkit::_int('Pmemkit::Log->iterator', $pos // 0);
    Pmemkit::Error->throw($Pmemkit::Raw::PK_ERANGE, "log position $pos out of range")
        if $pos < 0;
    return $self->_cursor_iter(scalar Pmemkit::Raw::pk_log_cursor_at($self, $pos));
}

# $log->each(sub { my ($record, $position) = @_; ... }, $from) for every
# record (from a position); $log->elements($from): the records (from a
# position), as a list of byte strings.
*each = \&Pmemkit::_Container::_seq_each;
*elements = \&Pmemkit::_Container::_seq_elements;

# A plain array ref of the records.
sub to_array { [ $_[0]->elements ] }

1;
