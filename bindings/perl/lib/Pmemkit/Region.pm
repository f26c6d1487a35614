package Pmemkit::Region;
# Raw persistent memory: a file mapped whole (libpmem's pmem_map_file()),
# bytes to read and write at offsets, made persistent range by range. Not
# a container: no transactions; after a crash what was persisted is
# there. Where the mapping is persistent memory (is_pmem) a persist is
# cache flushes and a fence, elsewhere msync(): pmemkit chooses.
#
#   my $r = Pmemkit::Region->open($path, create => 1, size => 1 << 20);
#   $r->write_at(0, "hello");          # copied in and persisted
#   print $r->substr(0, 5);            # "hello"
#   Pmemkit::Region->open($path, sub { my ($r) = @_; ... });  # persisted
#                                      # and unmapped when the block ends
#
# Every offset and length is checked: a range outside the mapping dies
# Pmemkit::Error::Range and reads or writes nothing; a region used after
# close() dies Pmemkit::Error::Closed. Data is bytes, as for Pmemkit::Log.
# A position (seek, tell) serves the file-like read, write and print, and
# fh() gives a Perl file handle over them.
use strict;
use warnings;
use Carp ();
use Fcntl ();

require Pmemkit;

# Pmemkit::Region->open($path, create => 1, size => $bytes, exclusive => 1,
# mode => 0600 [, sub { my ($region) = @_; ... }]): map the file at $path.
# With create, a missing file is made with $bytes (an existing one is
# mapped as it is, never truncated; exclusive refuses it); without, the
# file must exist and is mapped whole (size, if given, must be its
# length). With a code reference last, the region is passed to it and,
# however the block ends, persisted whole and unmapped; open then returns
# what the block returns.
sub open {
    my ($class, $path, @args) = @_;
    my $code = @args % 2 && ref $args[-1] eq 'CODE' ? pop @args : undef;
    Carp::croak('Pmemkit::Region->open: expected a path') unless defined $path;
    Carp::croak('Pmemkit::Region->open: expected option => value pairs'
        . ' (and a code reference last)') if @args % 2;
    my ($create, $excl, $mode, $size) = Pmemkit::Pool::_opts(
        'Pmemkit::Region->open', {@args},
        create => 0, exclusive => 0, mode => 0600, size => undef);
    my ($flags, $want) = (0, 0);
    if (defined $size) {
        $want = Pmemkit::_int('Pmemkit::Region->open: size', $size);
        Carp::croak('Pmemkit::Region->open: size must be positive') if $want <= 0;
    }
    if ($create) {
        Carp::croak('Pmemkit::Region->open: a new region needs a size')
            unless defined $size;
        $flags = $Pmemkit::Raw::PK_REGION_CREATE
            | ($excl ? $Pmemkit::Raw::PK_REGION_EXCL : 0);
    } elsif ($excl) {
        Carp::croak('Pmemkit::Region->open: exclusive without create');
    }
    my $h = Pmemkit::Raw::pk_region_map("$path", $create ? $want : 0, $flags, $mode);
    my $self = bless { h => $h, pos => 0, path => "$path",
        len => scalar Pmemkit::Raw::pk_region_length($h),
        pmem => !!scalar Pmemkit::Raw::pk_region_is_pmem($h) }, $class;
    if (!$create && defined $size && $want != $self->{len}) {
        my $n = $self->{len};
        $self->close;
        Carp::croak("Pmemkit::Region->open: $path has $n bytes, not $want");
    }
    return $self unless $code;
    return $self->_scoped($code);
}

# run $code with the region, then persist and unmap it however it ends:
# a die is rethrown after; a loop control (last, next) or goto out of the
# block, or exit, leaves through the guard, which does it as perl unwinds
# (a failure there can only warn)
sub _scoped {
    my ($self, $code) = @_;
    my $want = wantarray;
    my @r;
    my $guard = bless [$self], 'Pmemkit::Region::_Guard';
    my $ok = eval {
        if ($want) { @r = $code->($self) }
        elsif (defined $want) { $r[0] = $code->($self) }
        else { $code->($self) }
        1;
    };
    my $err = $@;
    @$guard = ();
    if ($self->{h}) {
        if ($ok) {
            $self->persist;
        } else {
            local $@;
            eval { $self->persist };
        }
        $self->close;
    }
    die $err unless $ok;
    return $want ? @r : $r[0];
}

sub path      { $_[0]{path} }
sub is_closed { !defined $_[0]{h} }

sub _h {
    return $_[0]{h} // Pmemkit::Error->throw(
        $Pmemkit::Raw::PK_ECLOSED, 'region is closed');
}

# the mapped length in bytes
sub length  { $_[0]->_h; $_[0]{len} }
sub size    { $_[0]->length }
# true on persistent memory, false where a persist is an msync()
sub is_pmem { $_[0]->_h; $_[0]{pmem} }

# Unmap the region (persisting nothing: persist first); a no-op when it
# is closed. Afterwards every use dies Pmemkit::Error::Closed.
sub close {
    my ($self) = @_;
    my $h = delete $self->{h} or return;
    Pmemkit::Raw::pk_region_close($h);
    return;
}

sub DESTROY {
    my ($self) = @_;
    my $h = delete $self->{h} or return;
    local ($@, $!);
    eval { Pmemkit::Raw::pk_region_close($h) };
}

# ---- ranges ----------------------------------------------------------------

# An offset or a length: an integer, not negative (else Range).
sub _off {
    my ($self, $what, $x) = @_;
    $x = Pmemkit::_int("Pmemkit::Region->$what", $x);
    Pmemkit::Error->throw($Pmemkit::Raw::PK_ERANGE,
        "Pmemkit::Region->$what: a negative offset or length ($x)") if $x < 0;
    return $x;
}

# (offset, length) of a range: the length defaults to the rest of the
# region; a range outside the region dies Range.
sub _range {
    my ($self, $what, $off, $len) = @_;
    $off = $self->_off($what, $off // 0);
    $len = defined $len ? $self->_off($what, $len)
        : $off <= $self->{len} ? $self->{len} - $off : 0;
    Pmemkit::Error->throw($Pmemkit::Raw::PK_ERANGE,
        "Pmemkit::Region->$what: bytes $off to " . ($off + $len)
        . " outside the region of $self->{len}")
        if $off > $self->{len} || $len > $self->{len} - $off;
    return ($off, $len);
}

# the flags of a copy: drain => 0 (flushed, not waited for: drain() later),
# flush => 0 (plain stores: persist() later)
sub _flags {
    my ($what, %opts) = @_;
    my ($drain, $flush) = Pmemkit::Pool::_opts("Pmemkit::Region->$what", \%opts,
        drain => 1, flush => 1);
    return ($flush ? 0 : $Pmemkit::Raw::PK_REGION_NOFLUSH)
        | ($drain ? 0 : $Pmemkit::Raw::PK_REGION_NODRAIN);
}

# The calls on a range, $r->NAME($offset, $length) (default: from $offset
# to the end; no arguments: the whole region):
# persist: make the range persistent (flushes and a fence, or msync());
# flush: flush it without waiting (drain waits);
# deep_flush: persist it through the memory controller's buffers too.
for my $name (qw(persist flush deep_flush)) {
    my $c = Pmemkit::Raw->can("pk_region_$name");
    no strict 'refs';
    *$name = sub {
        my ($self, $off, $len) = @_;
        # two good numbers: straight to C, which checks the range (the
        # cost of a small persist); anything else, or a failure, gets
        # the checks below and their errors
        my $h = $self->{h};
        return if $h && defined $len && eval { $c->($h, $off, $len); 1 };
        $h = $self->_h;
        $c->($h, $self->_range($name, $off, $len));
        return;
    };
}

# Wait for the flushes so far.
sub drain { Pmemkit::Raw::pk_region_drain($_[0]->_h); return }

# $r->write_at($offset, $data, drain => 0, flush => 0): copy bytes in at
# $offset, persisted (unless told otherwise); past the end dies Range and
# writes nothing.
sub write_at {
    my ($self, $off, $data, %opts) = @_;
    # a byte string, no options: straight to C (see persist)
    my $h = $self->{h};
    return if $h && !%opts && defined $data && !ref $data && !utf8::is_utf8($data)
        && eval { Pmemkit::Raw::pk_region_write($h, $off, $data, 0); 1 };
    $h = $self->_h;
    $data = Pmemkit::_data('Pmemkit::Region->write_at', $data);
    my $flags = _flags('write_at', %opts);
    ($off) = $self->_range('write_at', $off, CORE::length $data);
    Pmemkit::Raw::pk_region_write($h, $off, $data, $flags);
    return;
}

# $length bytes at $offset (default: to the end), as a byte string.
sub read_at {
    my ($self, $off, $len) = @_;
    my $h = $self->{h};
    my $data;
    return $data if $h && defined $len
        && eval { $data = Pmemkit::Raw::pk_region_get($h, $off, $len); 1 };
    $h = $self->_h;
    ($off, $len) = $self->_range('read_at', $off, $len);
    return scalar Pmemkit::Raw::pk_region_get($h, $off, $len);
}

# Copy $length bytes from $src to $dst (they may overlap), persisted.
sub move {
    my ($self, $dst, $src, $len, %opts) = @_;
    my $h = $self->_h;
    my $flags = _flags('move', %opts);
    ($src, $len) = $self->_range('move', $src, $self->_off('move', $len));
    ($dst) = $self->_range('move', $dst, $len);
    Pmemkit::Raw::pk_region_move($h, $dst, $src, $len, $flags);
    return;
}

# Set $length bytes at $offset to $byte (0 to 255), persisted.
sub fill {
    my ($self, $off, $byte, $len, %opts) = @_;
    my $h = $self->_h;
    my $flags = _flags('fill', %opts);
    $byte = Pmemkit::_int('Pmemkit::Region->fill: byte', $byte);
    Carp::croak("Pmemkit::Region->fill: a byte is 0 to 255, not $byte")
        if $byte < 0 || $byte > 255;
    ($off, $len) = $self->_range('fill', $off, $self->_off('fill', $len));
    Pmemkit::Raw::pk_region_fill($h, $off, $byte, $len, $flags);
    return;
}

# ---- substr ------------------------------------------------------------------

# $r->substr($offset, $length): the bytes, as CORE::substr counts them (a
# negative offset from the end, no length: to the end, a negative length:
# leave that many off the end). $r->substr($offset, $length, $replacement)
# writes $replacement there, persisted, and returns the bytes it replaced:
# a region's length is fixed, so the replacement must have $length bytes.
# Unlike CORE::substr, a range outside the region dies Range (nothing is
# read or written) rather than being cut.
sub substr {
    my ($self, $off, $len, @repl) = @_;
    my $h = $self->_h;
    my $n = $self->{len};
    $off = Pmemkit::_int('Pmemkit::Region->substr', $off);
    my $start = $off < 0 ? $off + $n : $off;
    my $stop = !defined $len ? $n
        : ($len = Pmemkit::_int('Pmemkit::Region->substr', $len)) < 0 ? $n + $len
        : $start + $len;
    Pmemkit::Error->throw($Pmemkit::Raw::PK_ERANGE,
        "Pmemkit::Region->substr: offset $off, length " . ($len // 'undef')
        . " outside the region of $n") if $start < 0 || $start > $n || $stop > $n;
    $stop = $start if $stop < $start;
    if (@repl) {
        my $data = Pmemkit::_data('Pmemkit::Region->substr', $repl[0]);
        Carp::croak('Pmemkit::Region->substr: the replacement has '
            . CORE::length($data) . ' bytes, not ' . ($stop - $start)
            . " (a region's length is fixed)")
            if CORE::length($data) != $stop - $start;
        my $old = defined wantarray
            ? scalar Pmemkit::Raw::pk_region_get($h, $start, $stop - $start) : undef;
        Pmemkit::Raw::pk_region_write($h, $start, $data, 0);
        return $old;
    }
    return scalar Pmemkit::Raw::pk_region_get($h, $start, $stop - $start);
}

# ---- file-like, as IO::Handle --------------------------------------------------

# seek($pos, $whence): whence 0 (SEEK_SET, the default), 1 (SEEK_CUR) or
# 2 (SEEK_END), as Fcntl's; a position outside 0 .. length dies Range.
# Returns 1.
sub seek {
    my ($self, $pos, $whence) = @_;
    $self->_h;
    $pos = Pmemkit::_int('Pmemkit::Region->seek', $pos);
    $whence //= Fcntl::SEEK_SET();
    my $base = $whence == Fcntl::SEEK_SET() ? 0 : $whence == Fcntl::SEEK_CUR()
        ? $self->{pos} : $whence == Fcntl::SEEK_END() ? $self->{len}
        : Carp::croak("Pmemkit::Region->seek: bad whence $whence");
    Pmemkit::Error->throw($Pmemkit::Raw::PK_ERANGE,
        'Pmemkit::Region->seek: position ' . ($base + $pos)
        . " outside the region of $self->{len}")
        if $base + $pos < 0 || $base + $pos > $self->{len};
    $self->{pos} = $base + $pos;
    return 1;
}

sub tell   { $_[0]->_h; $_[0]{pos} }
sub rewind { $_[0]->seek(0); return }
sub eof    { $_[0]->_h; $_[0]{pos} >= $_[0]{len} }

# $r->read($buf, $length, $offset): as IO::Handle's read: up to $length
# bytes from the position into $buf (at $offset in it), the position
# moves on; returns how many (0 at the end).
sub read {
    my $self = $_[0];
    my $h = $self->_h;
    my $want = $self->_off('read', $_[2]);
    my $left = $self->{len} - $self->{pos};
    $want = $left if $want > $left;
    my $data = scalar Pmemkit::Raw::pk_region_get($h, $self->{pos}, $want);
    $self->{pos} += $want;
    $_[1] //= '';
    if (defined $_[3]) {
        my $at = Pmemkit::_int('Pmemkit::Region->read: offset', $_[3]);
        $at += CORE::length $_[1] if $at < 0;
        $_[1] .= "\0" x ($at - CORE::length $_[1]) if $at > CORE::length $_[1];
        CORE::substr($_[1], $at) = $data;
    } else {
        $_[1] = $data;
    }
    return $want;
}

# $r->write($data, $length, $offset): as IO::Handle's write (syswrite):
# $data (or $length bytes of it from $offset) at the position, persisted;
# the position moves on. Data past the end dies Range, and nothing is
# written. Returns how many bytes.
sub write {
    my ($self, $data, $len, $at) = @_;
    $self->_h;
    $data = Pmemkit::_data('Pmemkit::Region->write', $data);
    if (defined $len || defined $at) {
        $at = Pmemkit::_int('Pmemkit::Region->write: offset', $at // 0);
        $len = $self->_off('write', $len // CORE::length($data));
        $data = CORE::substr($data, $at, $len) // '';
    }
    $self->write_at($self->{pos}, $data);
    $self->{pos} += CORE::length $data;
    return CORE::length $data;
}

# print(@strings): their concatenation written as write() does; true.
sub print {
    my $self = shift;
    my $sep = $, // '';
    $self->write(join($sep, map { Pmemkit::_data('Pmemkit::Region->print', $_) } @_)
        . ($\ // ''));
    return 1;
}

# A Perl file handle over the region (tied to Pmemkit::Region::Handle):
# print, printf, read, sysread, syswrite, seek, tell, eof, readline and
# close (which persists and unmaps the region) work on it at the region's
# position.
sub fh {
    my ($self) = @_;
    $self->_h;
    my $fh = \do { local *FH };
    tie *$fh, 'Pmemkit::Region::Handle', $self;
    return $fh;
}

package Pmemkit::Region::_Guard;
# [region] while the block of a block-scoped open runs (see _scoped)

sub DESTROY {
    my $r = $_[0][0] or return;
    return if $r->is_closed;
    local ($@, $!);
    eval { $r->persist; 1 }
        or warn "pmemkit: the region left by a loop control was not persisted: $@";
    eval { $r->close };
}

package Pmemkit::Region::Handle;
# the tie class behind Pmemkit::Region->fh

sub TIEHANDLE { bless { r => $_[1] }, $_[0] }
sub WRITE     { $_[0]{r}->write($_[1], $_[2], $_[3]) }
sub PRINT     { my $self = shift; $self->{r}->print(@_) }
sub PRINTF    { my $self = shift; my $fmt = shift; $self->{r}->write(sprintf $fmt, @_); 1 }
sub READ      { my $self = shift; $self->{r}->read(@_) }
sub SEEK      { $_[0]{r}->seek($_[1], $_[2]) }
sub TELL      { $_[0]{r}->tell }
sub EOF       { $_[0]{r}->eof }
sub BINMODE   { 1 }
sub FILENO    { undef }
sub GETC      { my $c; $_[0]{r}->read($c, 1) ? $c : undef }

# a line (up to $/ included) or, in list context, every line left
sub READLINE {
    my ($self) = @_;
    my $r = $self->{r};
    if (wantarray) {
        my @l;
        while (defined(my $l = $self->READLINE)) { push @l, $l }
        return @l;
    }
    return undef if $r->eof;
    my ($pos, $len) = ($r->tell, $r->length);
    my $sep = $/;
    my $line = '';
    # a chunk at a time, so that a line costs its own length, not the
    # rest of the region
    while ($pos + CORE::length($line) < $len) {
        my $at = $pos + CORE::length $line;
        my $n = $len - $at < 4096 ? $len - $at : 4096;
        my $from = CORE::length($line) - (defined $sep ? CORE::length $sep : 0);
        $line .= $r->read_at($at, $n);
        next unless defined $sep && CORE::length $sep;
        my $i = index $line, $sep, $from < 0 ? 0 : $from;
        if ($i >= 0) {
            $line = CORE::substr($line, 0, $i + CORE::length $sep);
            last;
        }
    }
    $r->seek($pos + CORE::length $line);
    return $line;
}

# close: persist the whole region and unmap it
sub CLOSE {
    my $r = $_[0]{r};
    return 1 if $r->is_closed;
    $r->persist;
    $r->close;
    return 1;
}

1;
