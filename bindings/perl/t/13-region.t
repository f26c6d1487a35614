# Raw persistent memory: Pmemkit::Region.
use strict;
use warnings;
use utf8;
use Test::More;
use Errno ();
use Fcntl qw(SEEK_SET SEEK_CUR SEEK_END);
use PkTest;

my $path = pool_path('region');

# map, write, persist, reopen
{
    my $r = Pmemkit::Region->open($path, create => 1, size => 1 << 20);
    isa_ok($r, 'Pmemkit::Region');
    is($r->length, 1 << 20, 'length');
    ok($r->is_pmem, 'is_pmem (PMEM_IS_PMEM_FORCE=1)');
    is($r->read_at(0, 4), "\0" x 4, 'a new file reads as zeros');
    $r->write_at(0, 'hello');
    $r->write_at((1 << 20) - 1, "\x7f");
    $r->write_at(100, "\0nul\0", drain => 0);
    $r->drain;
    $r->write_at(200, 'later', flush => 0);
    $r->persist(200, 5);
    $r->move(300, 0, 5);
    $r->fill(400, ord 'x', 3);
    $r->flush(0, 512);
    $r->drain;
    $r->deep_flush(0, 4096);
    $r->persist;
    $r->persist(10);
    is($r->read_at(100, 5), "\0nul\0", 'read_at');
    ok(!utf8::is_utf8($r->read_at(0, 5)), 'reads are byte strings');
    $r->close;
    ok($r->is_closed, 'closed');
    is(-s $path, 1 << 20, 'the file has the size');
}
{
    # an existing file is mapped whole, never cut to the size given
    my $r = Pmemkit::Region->open($path, create => 1, size => 4096);
    is($r->length, 1 << 20, 'an existing file: mapped whole, with create');
    is($r->read_at(0, 5), 'hello', 'the write is there');
    is($r->read_at(300, 5), 'hello', 'move');
    is($r->read_at(200, 5), 'later', 'a write persisted later');
    is($r->read_at(400, 4), "xxx\0", 'fill');
    is($r->read_at((1 << 20) - 1), "\x7f", 'read_at to the end');
    $r->close;
    $r = Pmemkit::Region->open($path);
    is($r->length, 1 << 20, 'open without create: the whole file');
    $r->close;
    like(eval { Pmemkit::Region->open($path, size => 4096); 1 } ? '' : $@,
        qr/has 1048576 bytes, not 4096/, 'a size that is not the file\'s dies');
    my $e = dies_with(sub { Pmemkit::Region->open($path, create => 1, exclusive => 1, size => 4096) },
        'Pmemkit::Error::OSError', 'exclusive: an existing file');
    is($e->errno, Errno::EEXIST(), '... EEXIST');
    $e = dies_with(sub { Pmemkit::Region->open("$path.missing") },
        'Pmemkit::Error::OSError', 'a missing file');
    is($e->errno, Errno::ENOENT(), '... ENOENT');
    ok(!eval { Pmemkit::Region->open("$path.new", create => 1); 1 }, 'create without a size dies');
    ok(!eval { Pmemkit::Region->open("$path.new", create => 1, size => -1); 1 }, 'a negative size dies');
    ok(!eval { Pmemkit::Region->open("$path.new", colour => 1); 1 }, 'an unknown option dies');
    ok(!-e "$path.new", 'no file was made');
}

# the block-scoped open: persisted and unmapped however the block ends
{
    my $kept;
    my $v = Pmemkit::Region->open($path, sub {
        my ($r) = @_;
        $kept = $r;
        $r->write_at(10, 'in a block', flush => 0);
        return $r->read_at(10, 10);
    });
    is($v, 'in a block', 'open with a block returns what the block returns');
    ok($kept->is_closed, 'the region is closed after the block');
    dies_with(sub { $kept->read_at(0, 1) }, 'Pmemkit::Error::Closed', 'a read after close');
    ok(!eval { Pmemkit::Region->open($path, sub { $kept = $_[0]; die "oops\n" }); 1 },
        'a block that dies');
    is($@, "oops\n", '... rethrows its error');
    ok($kept->is_closed, '... and the region is closed');
    is_deeply([Pmemkit::Region->open($path, sub { (1, 2) })], [1, 2], 'list context');
    {
        no warnings 'exiting';
        for my $i (1) {
            Pmemkit::Region->open($path, sub {
                $kept = $_[0];
                $kept->write_at(20, 'left by last', flush => 0);
                last;
            });
        }
    }
    ok($kept->is_closed, 'a block left by last: the region is closed too');
    is(Pmemkit::Region->open($path, sub { $_[0]->read_at(20, 12) }), 'left by last',
        '... after its writes were persisted');
}

# substr
{
    my $r = Pmemkit::Region->open($path);
    is($r->substr(0, 5), 'hello', 'substr');
    is($r->substr(-1), "\x7f", 'a negative offset counts from the end');
    is(length $r->substr(-10, -2), 8, 'a negative length leaves that many off');
    is($r->substr(0, 5, 'Jelly'), 'hello', 'the four-argument form returns the old bytes');
    is($r->substr(0, 5), 'Jelly', '... and writes the new');
    is($r->substr(5, 0), '', 'an empty range');
    like(eval { $r->substr(0, 5, 'toolong'); 1 } ? '' : $@,
        qr/the replacement has 7 bytes, not 5 \(a region's length is fixed\)/,
        'a replacement of another length dies');
    dies_with(sub { $r->substr(-2, 3) }, 'Pmemkit::Error::Range', 'a range past the end dies (no cut)');
    dies_with(sub { $r->substr(-(1 << 20) - 1, 1) }, 'Pmemkit::Error::Range', 'an offset before the start');
    is($r->substr(0, 5), 'Jelly', 'nothing was written');
    $r->close;
    dies_with(sub { $r->substr(0, 1) }, 'Pmemkit::Error::Closed', 'substr after close');
}

# file-like: read, write, seek, tell, print, and a Perl file handle
{
    my $r = Pmemkit::Region->open("$path.io", create => 1, size => 64);
    is($r->write('abc'), 3, 'write returns the bytes written');
    is($r->tell, 3, 'tell');
    $r->write("\0def");
    ok($r->seek(0, SEEK_SET), 'seek');
    my $buf;
    is($r->read($buf, 3), 3, 'read returns the bytes read');
    is($buf, 'abc', '... into the buffer');
    $r->read($buf, 4, 3);
    is($buf, "abc\0def", 'read at an offset in the buffer');
    $r->seek(-4, SEEK_END);
    is($r->tell, 60, 'SEEK_END');
    is($r->read($buf, 100), 4, 'a read is cut at the end');
    ok($r->eof, 'eof');
    is($r->read($buf, 1), 0, 'a read at the end gives 0');
    is($buf, '', '... and an empty buffer');
    $r->seek(2);
    $r->seek(1, SEEK_CUR);
    is($r->tell, 3, 'SEEK_CUR');
    $r->seek(62);
    dies_with(sub { $r->write('xyz') }, 'Pmemkit::Error::Range', 'a write past the end dies');
    is($r->tell, 62, '... the position stays');
    is($r->read_at(62, 2), "\0\0", '... nothing was written');
    dies_with(sub { $r->seek(65) }, 'Pmemkit::Error::Range', 'a seek past the end');
    dies_with(sub { $r->seek(-1) }, 'Pmemkit::Error::Range', 'a seek before the start');
    ok(!eval { $r->seek(0, 7); 1 }, 'a bad whence');
    $r->rewind;
    is($r->tell, 0, 'rewind');
    is($r->write('abcdef', 2, 3), 2, 'write of a part (length, offset)');
    is($r->read_at(0, 2), 'de', '... as syswrite');

    my $fh = $r->fh;
    seek $fh, 10, SEEK_SET;
    print $fh "line 1\n", "line 2\n";
    printf $fh "%03d\n", 7;
    is(tell $fh, 28, 'print and printf through the file handle');
    seek $fh, 10, SEEK_SET;
    is(scalar <$fh>, "line 1\n", 'readline');
    is(scalar <$fh>, "line 2\n", 'readline again');
    is(scalar <$fh>, "007\n", 'the printf line');
    read $fh, $buf, 3;
    is($buf, "\0\0\0", 'read through the file handle');
    is(syswrite($fh, 'sys'), 3, 'syswrite');
    is($r->read_at(31, 3), 'sys', '... wrote');
    seek $fh, 60, SEEK_SET;
    ok(!eval { print $fh 'too long'; 1 }, 'a print past the end dies');
    ok(close $fh, 'close');
    ok($r->is_closed, 'closing the handle persists and unmaps the region');
    dies_with(sub { $r->tell }, 'Pmemkit::Error::Closed', 'tell after close');
    $r = Pmemkit::Region->open("$path.io");
    is($r->read_at(10, 7), "line 1\n", 'the printed lines are in the file');
    $r->close;
}

# bad input: a clear error, nothing written
{
    my $r = Pmemkit::Region->open("$path.bad", create => 1, size => 4096);
    $r->write_at(0, 'keep');
    my @bad = (
        ['write_at past the end' => sub { $r->write_at(4094, 'abc') }],
        ['write_at at a negative offset' => sub { $r->write_at(-1, 'a') }],
        ['persist past the end' => sub { $r->persist(4096, 1) }],
        ['persist at a negative offset' => sub { $r->persist(-1) }],
        ['flush past the end' => sub { $r->flush(4000, 97) }],
        ['deep_flush past the end' => sub { $r->deep_flush(4097) }],
        ['read_at past the end' => sub { $r->read_at(4000, 97) }],
        ['move from past the end' => sub { $r->move(0, 4090, 7) }],
        ['move to past the end' => sub { $r->move(4090, 0, 7) }],
        ['fill past the end' => sub { $r->fill(4095, 1, 2) }],
        ['a huge offset' => sub { $r->write_at(2**64, 'a') }],
    );
    dies_with($_->[1], 'Pmemkit::Error::Range', "$_->[0] dies Range") for @bad;
    ok(!eval { $r->write_at(0, "€uro"); 1 }, 'a wide character dies');
    ok(!eval { $r->write_at(0, undef); 1 }, 'undef dies');
    ok(!eval { $r->write_at(0, {}); 1 }, 'a reference dies');
    ok(!eval { $r->write_at('zero', 'a'); 1 }, 'an offset that is not a number dies');
    ok(!eval { $r->fill(0, 256, 1); 1 }, 'a byte above 255 dies');
    ok(!eval { $r->fill(0, -1, 1); 1 }, 'a negative byte dies');
    ok(!eval { $r->write_at(0, 'a', sync => 1); 1 }, 'an unknown option dies');
    is($r->read_at(0, 8), "keep\0\0\0\0", 'nothing was written');
    $r->write_at(0, 'café');
    is($r->read_at(0, 4), "caf\xe9", 'characters below 256 are their bytes');
    $r->write_at(0, Pmemkit::string('é'));
    is($r->read_at(0, 2), "\xc3\xa9", 'Pmemkit::string: UTF-8');
    $r->close;
    $r->close;
    pass('close twice is a no-op');
    for my $m (qw(length is_pmem drain tell eof fh)) {
        dies_with(sub { $r->$m }, 'Pmemkit::Error::Closed', "$m after close");
    }
    dies_with(sub { $r->write_at(0, 'x') }, 'Pmemkit::Error::Closed', 'write_at after close');
    dies_with(sub { $r->persist }, 'Pmemkit::Error::Closed', 'persist after close');
    dies_with(sub { $r->read(my $b, 1) }, 'Pmemkit::Error::Closed', 'read after close');
}

# the msync path: a file on disk, without PMEM_IS_PMEM_FORCE
SKIP: {
    my $dir = '/var/tmp';
    skip "no $dir", 3 unless -d $dir && -w $dir;
    my $file = "$dir/pk-perl-region-$$";
    local $ENV{PMEM_IS_PMEM_FORCE};
    delete $ENV{PMEM_IS_PMEM_FORCE};
    my $code = <<'EOF';
use Pmemkit;
Pmemkit::Region->open($ARGV[0], create => 1, size => 65536, sub {
    my ($r) = @_;
    die "is_pmem on disk\n" if $r->is_pmem;
    $r->substr(5000, 7, 'on disk');
    $r->write_at(100, 'later', flush => 0);
    $r->persist(100, 5);
});
EOF
    my $rc = system($^X, (map { "-I$_" } grep { !ref } @INC), '-e', $code, $file);
    is($rc, 0, 'a child maps a file on disk (not pmem)');
    open my $in, '<:raw', $file or die "$file: $!";
    my $data = do { local $/; <$in> };
    close $in;
    unlink $file;
    is(substr($data, 5000, 7), 'on disk', 'its write is in the file');
    is(substr($data, 100, 5), 'later', 'and the one persisted later');
}

done_testing;
