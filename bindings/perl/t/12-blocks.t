# Block arrays: fixed-size blocks read and written whole.
use strict;
use warnings;
use utf8;
use Test::More;
use Errno ();
use PkTest;

sub pattern {
    my ($i, $ver, $size) = @_;
    return pack('Q<Q<', $i, $ver) . chr(($i * 131 + $ver * 31 + 1) & 0xff) x ($size - 16);
}

# new blocks read as zeros; writes stay across a reopen
{
    my $path = pool_path('blocks');
    my $p = Pmemkit::Pool->create($path, size => 32 << 20);
    my $b = $p->new_blocks(4096, 8);
    $p->root->put(disk => $b);
    isa_ok($b, 'Pmemkit::Blocks');
    is($b->size, 8, 'size');
    is($b->block_size, 4096, 'block_size');
    is_deeply($b->to_array, [("\0" x 4096) x 8], 'new blocks read as zeros');
    $b->set($_, pattern($_, 1, 4096)) for 0 .. 7;
    $b->set(-1, 'tail');
    $b->set(3, "\0\1\2");
    $p->close;
    $p = Pmemkit::Pool->open($path);
    $b = $p->root->get('disk');
    isa_ok($b, 'Pmemkit::Blocks', 'read back from the pool');
    is($b->block_size, 4096, 'its block size');
    is($b->get(0), pattern(0, 1, 4096), 'a block written whole');
    is($b->get(7), 'tail' . "\0" x 4092, 'a short write: zero-filled');
    is($b->get(-5), "\0\1\2" . "\0" x 4093, 'negative index; NUL bytes kept');
    is(length $b->get(4), 4096, 'a read is exactly block_size bytes');
    ok(!utf8::is_utf8($b->get(4)), 'a byte string');
    my @seen;
    $b->each(sub { push @seen, $_[1] . ':' . length $_[0] });
    is_deeply(\@seen, [map { "$_:4096" } 0 .. 7], 'each: (block, index)');
    is($b->to_array->[5], pattern(5, 1, 4096), 'to_array');
    ok($p->check->{ok}, 'the pool checks');
    $p->close;
    dies_with(sub { $b->get(0) }, 'Pmemkit::Error::Closed', 'a read after the pool closed');
    dies_with(sub { $b->set(0, 'x') }, 'Pmemkit::Error::Closed', 'a write after the pool closed');
}

my $pool = new_pool();
my $root = $pool->root;

# bad input: a clear error, nothing written
{
    my $b = $pool->new_blocks(512, 2);
    $root->put(bad => $b);
    $b->set(0, 'x' x 512);
    like(eval { $b->set(0, 'y' x 513); 1 } ? '' : $@,
        qr/^Pmemkit::Blocks->set: 513 bytes for a block of 512 at \Q$0\E line \d+\.$/,
        'more bytes than a block holds die');
    ok(!eval { $b->set(0, "€"); 1 }, 'a wide character dies');
    ok(!eval { $b->set(0, undef); 1 }, 'undef dies');
    ok(!eval { $b->set(0, [1]); 1 }, 'a reference dies');
    dies_with(sub { $b->set(2, 'z') }, 'Pmemkit::Error::Range', 'an index past the end');
    dies_with(sub { $b->set(-3, 'z') }, 'Pmemkit::Error::Range', 'a negative index before the start');
    dies_with(sub { $b->get(2) }, 'Pmemkit::Error::Range', 'a read past the end');
    ok(!eval { $b->get('one'); 1 }, 'an index that is not a number dies');
    ok(!eval { $b->get(0.5); 1 }, 'an index that is not an integer dies');
    dies_with(sub { $b->get(2**64) }, 'Pmemkit::Error::Range', 'a huge index');
    is($b->get(0), 'x' x 512, 'nothing was written');
    for my $size (0, 511, 65537) {
        ok(!eval { $pool->new_blocks($size, 1); 1 }, "a block size of $size dies");
    }
    ok(!eval { $pool->new_blocks(512, -1); 1 }, 'a negative count dies');
    ok(!eval { $b->grow(-1); 1 }, 'growing by a negative number dies');
    is($b->size, 2, 'the size is unchanged');
    my $big = $pool->new_blocks(65536, 1);
    $big->set(0, 'm' x 65536);
    is($big->get(0), 'm' x 65536, 'the largest block size');
    $root->put(big => $big);
}

# zero, set_error
{
    my $path = pool_path('bad');
    my $p = Pmemkit::Pool->create($path, size => 32 << 20);
    my $b = $p->new_blocks(1024, 4);
    $p->root->put(b => $b);
    $b->set($_, pattern($_, 1, 1024)) for 0 .. 3;
    $b->zero(1);
    is($b->get(1), "\0" x 1024, 'zero');
    $b->set_error(2);
    my $e = dies_with(sub { $b->get(2) }, 'Pmemkit::Error::OSError', 'a block marked bad: an I/O error');
    is($e->errno, Errno::EIO(), '... errno EIO');
    like($e->message, qr/block 2/, '... naming the block');
    dies_with(sub { $b->elements }, 'Pmemkit::Error::OSError', 'iterating over it too');
    is($b->get(3), pattern(3, 1, 1024), 'other blocks still read');
    $p->close;
    $p = Pmemkit::Pool->open($path);
    $b = $p->root->get('b');
    dies_with(sub { $b->get(2) }, 'Pmemkit::Error::OSError', 'still bad after a reopen');
    $b->set(2, 'fixed');
    like($b->get(2), qr/^fixed\0+\z/, 'a write makes it good');
    $b->set_error(-1);
    $b->zero(-1);
    is($b->get(3), "\0" x 1024, 'and so does zero');
    $p->close;
}

# grow, append, transactions
{
    my $b = $pool->new_blocks(512, 1);
    $root->put(g => $b);
    $b->set(0, 'first');
    is($b->grow(3), 4, 'grow returns the new size');
    is($b->get(3), "\0" x 512, 'grown blocks are zeros');
    is($b->append('appended'), 5, 'append returns the new size');
    like($b->get(4), qr/^appended\0+\z/, 'append writes the block');
    ok(!eval { $b->append('ok', 'q' x 513); 1 }, 'an append of too much dies');
    is($b->size, 5, '... and appends nothing');
    ok(!eval {
        $pool->transaction(sub {
            $b->set(0, 'changed');
            $b->zero(4);
            $b->grow(10);
            die "abort\n";
        });
        1;
    }, 'a transaction that dies');
    is($b->size, 5, 'the grow is undone');
    like($b->get(0), qr/^first\0/, 'the write is undone');
    like($b->get(4), qr/^appended/, 'the zero is undone');
    $pool->transaction(sub { $b->set(0, 'committed') });
    like($b->get(0), qr/^committed\0/, 'a committed write');
}

# the tied array: @$blocks, push, storing past the end; no shrinking
{
    my $b = $pool->new_blocks(512, 2);
    $root->put(t => $b);
    tie my %h, 'Pmemkit::Map::Tie', $root;
    $h{t}[0] = 'hello';
    like($b->get(0), qr/^hello\0{507}\z/, '$h{t}[0] = ... writes the block');
    is(scalar @{ $h{t} }, 2, 'scalar @$blocks');
    is($h{t}[-1], "\0" x 512, 'a negative index');
    is($h{t}[5], undef, 'reading past the end gives undef (as Perl arrays)');
    push @{ $h{t} }, 'pushed';
    is($b->size, 3, 'push appends');
    $h{t}[4] = 'far';
    is($b->size, 5, 'storing past the end grows');
    like($b->get(4), qr/^far\0/, '... and writes');
    is($b->get(3), "\0" x 512, '... zeros between');
    $#{ $h{t} } = 6;
    is($b->size, 7, 'a larger $#array grows');
    for my $op ([pop => sub { pop @{ $h{t} } }], [shift => sub { shift @{ $h{t} } }],
                [splice => sub { splice @{ $h{t} }, 0, 1 }], [clear => sub { @{ $h{t} } = () }],
                ['smaller $#array' => sub { $#{ $h{t} } = 0 }]) {
        ok(!eval { $op->[1]->(); 1 }, "$op->[0] dies");
        like($@, qr/does not shrink/, '... saying the block array does not shrink');
    }
    is($b->size, 7, 'the size is unchanged');
    my @all = @$b;
    is(scalar @all, 7, '@$blocks copies the blocks');
    untie %h;
}

# nesting, sharing, gc
{
    my $b = $pool->new_blocks(512, 2);
    $root->put(l => [$b, { inner => $b }]);
    isa_ok($root->get('l')->get(0), 'Pmemkit::Blocks', 'in a list');
    ok($root->get('l')->get(1)->get('inner') == $b, 'the same block array from two places');
    is_deeply($root->get('l')->get(1)->to_hash, { inner => [("\0" x 512) x 2] },
        'to_hash copies a block array as its blocks');
    $root->delete('l');
    dies_with(sub { $b->set(0, 'x') }, 'Pmemkit::Error::Stale', 'a write to a block array no longer stored');
    undef $b;
    my $loose = $pool->new_blocks(512, 3);
    undef $loose;
    cmp_ok($pool->gc, '>=', 3, 'gc frees block arrays never stored');
    ok($pool->check->{ok}, 'the pool checks');
}

done_testing;
