# Logs: records of bytes appended at the end, read back in order.
use strict;
use warnings;
use utf8;
use Test::More;
use PkTest;

sub records { map { "$_:" . chr($_ % 256) x ($_ % 300) } 0 .. $_[0] - 1 }

my $pool = new_pool();
my $root = $pool->root;

# append, iterate, size, nbytes
{
    my $log = $pool->new_log;
    $root->put(log => $log);
    isa_ok($log, 'Pmemkit::Log');
    is($log->size, 0, 'a new log is empty');
    is_deeply([$log->elements], [], 'no records');
    is($log->nbytes, 0, 'no bytes');
    my @recs = records(3000);                   # several chunks
    $log->append($_) for @recs;
    $log->append('');
    $log->append("\0a\0");
    push @recs, '', "\0a\0";
    is($log->size, scalar @recs, 'size');
    my $n = 0;
    $n += length for @recs;
    is($log->nbytes, $n, 'nbytes: the lengths added up');
    my @got = $log->elements;
    is_deeply(\@got, \@recs, 'the records in order, NUL bytes and empty ones included');
    ok(!(grep { utf8::is_utf8($_) } @got), 'records read back are byte strings');
    is_deeply($root->get('log')->to_array, \@recs, 'read back through the map');
    my @seen;
    $log->each(sub { push @seen, $_[0] });
    is_deeply(\@seen, \@recs, 'each');
    $log->clear;
}

# several records are one atomic unit; what is not bytes dies, nothing appended
{
    my $log = $pool->new_log(['a', 'b']);
    is_deeply($log->to_array, ['a', 'b'], 'new_log with records');
    $log->append('c', 'd');
    is_deeply($log->to_array, [qw(a b c d)], 'append of several');
    like(eval { $log->append('e', "€", 'f'); 1 } ? '' : $@,
        qr/^Pmemkit::Log->append: wide character.* at \Q$0\E line \d+\.$/,
        'a wide character dies, naming the caller');
    ok(!eval { $log->append('e', undef); 1 }, 'undef dies');
    ok(!eval { $log->append([]); 1 }, 'a reference dies');
    ok(!eval { $log->append({}); 1 }, 'a hash reference dies');
    is_deeply($log->to_array, [qw(a b c d)], '... and nothing was appended');
    ok(!eval { $pool->new_log('abc'); 1 }, 'new_log wants an array reference');

    # the bytes/text rule: characters below 256 are their bytes, text goes
    # in as its UTF-8 when encoded or marked
    $log->clear;
    $log->append('café');                       # utf8 flag, all below 256
    $log->append(Pmemkit::string('café'));
    my $enc = 'café';
    utf8::encode($enc);
    $log->append($enc);
    $log->append(Pmemkit::bytes("\xff\x00"));
    $log->append(42);
    my @r = $log->elements;
    is(unpack('H*', $r[0]), '636166e9', 'a string of characters below 256: its Latin-1 bytes');
    is($r[0], 'café', '... which are eq to it in Perl');
    is(unpack('H*', $r[1]), '636166c3a9', 'Pmemkit::string: its UTF-8');
    is($r[2], $enc, 'an encoded string: its bytes');
    is($r[3], "\xff\x00", 'Pmemkit::bytes');
    is($r[4], '42', 'a number: its decimal string, as print writes it');
}

# positions, tell, iteration from a position, reopen
{
    my $path = pool_path('log');
    my ($mark, @pos);
    {
        my $p = Pmemkit::Pool->create($path, size => 32 << 20);
        $p->root->put(log => $p->new_log([records(10)]));
        my $log = $p->root->get('log');
        my $it = $log->iterator;
        while (my ($pos, $r) = $it->()) { push @pos, $pos }
        $mark = $log->tell;
        is($pos[0], 0, 'the first record is at 0');
        cmp_ok($mark, '>', $pos[-1], 'tell is after the last record');
        is_deeply([$log->elements($pos[4])], [(records(10))[4 .. 9]], 'elements from a position');
        my @pairs;
        $it = $log->iterator($pos[8]);
        while (my @e = $it->()) { push @pairs, \@e }
        is_deeply(\@pairs, [[$pos[8], (records(10))[8]], [$pos[9], (records(10))[9]]],
            'iterator from a position: (position, record) pairs');
        is_deeply([$log->elements($mark)], [], 'from tell: nothing yet');
        dies_with(sub { $log->elements($pos[1] + 1) }, 'Pmemkit::Error::Range',
            'a position inside a record dies');
        dies_with(sub { $log->elements($mark + 100) }, 'Pmemkit::Error::Range',
            'a position past the end dies');
        dies_with(sub { $log->iterator(-1) }, 'Pmemkit::Error::Range', 'a negative position dies');
        ok(!eval { $log->iterator('x'); 1 }, 'a position that is not a number dies');
        $p->close;
    }
    my $p = Pmemkit::Pool->open($path);
    my $log = $p->root->get('log');
    is($log->tell, $mark, 'positions hold across a reopen');
    $log->append('after');
    is_deeply([$log->elements($mark)], ['after'], 'iteration from a saved position');
    is_deeply([($log->elements)[0 .. 9]], [records(10)], 'the records are still there');
    $p->close;
    dies_with(sub { $log->append('x') }, 'Pmemkit::Error::Closed', 'append after the pool closed');
    dies_with(sub { $log->size }, 'Pmemkit::Error::Closed', 'size after the pool closed');
}

# an iterator meets records appended meanwhile; a clear ends it
{
    my $log = $pool->new_log(['1']);
    $root->put(tail => $log);
    my $it = $log->iterator;
    is(($it->())[1], '1', 'first');
    $log->append('2');
    is(($it->())[1], '2', 'a record appended meanwhile');
    is_deeply([$it->()], [], 'then the end');
    $log->append(records(100));
    $it = $log->iterator;
    $it->();
    $log->clear;
    dies_with(sub { $it->() }, 'Pmemkit::Error::Changed', 'a clear during an iteration');
    is($log->size, 0, 'cleared');
    is($log->tell, 0, 'tell is 0 again');
    $log->append('x');
    is_deeply($log->to_array, ['x'], 'appends after a clear');
}

# transactions
{
    my $log = $pool->new_log(['kept']);
    $root->put(txlog => $log);
    ok(!eval { $pool->transaction(sub { $log->append(records(2000)); die "abort\n" }); 1 },
        'a transaction that dies');
    is_deeply($log->to_array, ['kept'], '... appended nothing');
    $pool->transaction(sub { $log->append('a'); $log->append('b') });
    is_deeply($log->to_array, [qw(kept a b)], 'a committed transaction');
}

# nesting, sharing, plain copies
{
    $root->put(m => { events => $pool->new_log(['e1', 'e2']) });
    my $m = $root->get('m');
    isa_ok($m->get('events'), 'Pmemkit::Log', 'a log in a map');
    is_deeply($m->to_hash, { events => ['e1', 'e2'] }, 'to_hash copies a log as its records');
    $root->put(l => [$m->get('events')]);
    ok($root->get('l')->get(0) == $m->get('events'), 'the same log from two places');
    $root->get('l')->get(0)->append('e3');
    is_deeply($m->get('events')->to_array, [qw(e1 e2 e3)], 'shared, not copied');
    $root->delete('m');
    is_deeply($root->get('l')->get(0)->to_array, [qw(e1 e2 e3)], 'alive while referred to');
    tie my %h, 'Pmemkit::Map::Tie', $root;
    $h{tied} = $pool->new_log(['t']);
    $h{tied}->append('u');
    is_deeply($h{tied}->to_array, ['t', 'u'], 'stored and used through a tied hash');
    ok(!eval { my @a = @{ $h{tied} }; 1 }, '@$log dies (a log has no index)');
    like($@, qr/Pmemkit::Log is not an array/, '... saying so');
    untie %h;
    my $gone = $root->get('txlog');
    $root->delete('txlog');
    dies_with(sub { $gone->append('x') }, 'Pmemkit::Error::Stale', 'append to a log no longer stored');
    $pool->gc;    # the logs never stored
    ok($pool->check->{ok}, "the pool checks") or diag explain $pool->check;
}

done_testing;
