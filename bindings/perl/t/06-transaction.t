# Transactions: commit, abort on die, nesting.
use strict;
use warnings;
use Test::More;
use File::Basename ();
use File::Spec ();
use PkTest;

my $pool = new_pool();
my $root = $pool->root;

my $r = $pool->transaction(sub {
    $root->put(a => 1);
    $root->put(b => [1, 2]);
    is($pool->tx_depth, 1, 'depth inside');
    return 'result';
});
is($r, 'result', 'the value of the sub is returned');
is_deeply([$pool->transaction(sub { (1, 2, 3) })], [1, 2, 3], '... in list context too');
is($pool->tx_depth, 0, 'depth after');
is($root->get('a'), 1, 'committed');

eval {
    $pool->transaction(sub {
        $root->put(a => 2);
        $root->put(c => { x => 1 });
        $root->get('b')->push(3);
        $root->delete('a');
        die "oops\n";
    });
};
is($@, "oops\n", 'the error is rethrown as it was');
is($root->get('a'), 1, 'a change is rolled back');
ok(!$root->exists('c'), 'an insertion is rolled back');
is_deeply($root->get('b')->to_array, [1, 2], 'a list change is rolled back');
is($pool->tx_depth, 0, 'no transaction is left open');
ok($pool->check->{ok}, 'the pool is healthy after the abort');

# an error object passes through
my $err = dies_with(sub {
    $pool->transaction(sub { $root->put(z => 1); $root->fetch('missing') });
}, 'Pmemkit::Error::NotFound', 'a pmemkit error aborts too');
ok(!$root->exists('z'), '... and rolls back');

# nesting: an inner die that is caught still aborts the whole transaction
eval {
    $pool->transaction(sub {
        $root->put(outer => 1);
        eval { $pool->transaction(sub { $root->put(inner => 1); die "inner\n" }) };
        is($@, "inner\n", 'inner error');
        $root->put(after => 1);
    });
};
isa_ok($@, 'Pmemkit::Error::Transaction', 'the outer level cannot go on after an inner abort');
ok(!$root->exists('outer') && !$root->exists('inner'), 'nothing of it remains');
is($pool->tx_depth, 0, 'all levels are ended');

$pool->transaction(sub {
    $root->put(n1 => 1);
    $pool->transaction(sub { $root->put(n2 => 2) });
    is($pool->tx_depth, 1, 'an inner commit ends the inner level');
});
is($root->get('n1') + $root->get('n2'), 3, 'nested commit');

# a plain structure is stored in one transaction: all of it or nothing
my $tiny = Pmemkit::Pool->create(pool_path(), size => Pmemkit::MIN_POOL_SIZE);
my $troot = $tiny->root;
dies_with(sub { $troot->put(big => [map { 'x' x 1000 } 1 .. 20000]) },
    'Pmemkit::Error::OutOfSpace', 'a structure that does not fit');
ok(!$troot->exists('big'), 'nothing of it is stored');
ok($tiny->check->{ok}, 'the pool is healthy');

# closing the pool inside a transaction aborts it
eval { $tiny->transaction(sub { $troot->put(x => 1); $tiny->close }) };
isa_ok($@, 'Pmemkit::Error::Transaction', 'closing inside a transaction');
$tiny = Pmemkit::Pool->open($tiny->path);
ok(!$tiny->root->exists('x'), '... rolled the transaction back');
$tiny->close;

# every way out of the block ends the transaction: return and falling
# off the end commit, die aborts, and so do loop controls and goto commit
# (leaving a loop by last or next is a normal exit)
{
    no warnings 'exiting';
    my @warnings;
    local $SIG{__WARN__} = sub { push @warnings, @_ };
    for my $i (1 .. 3) {
        $pool->transaction(sub { $root->put("last$i" => $i); last if $i == 2 });
    }
    is($pool->tx_depth, 0, 'last out of the block ends the transaction');
    ok($root->exists('last1') && $root->exists('last2') && !$root->exists('last3'),
        '... and commits it');
    for my $i (1 .. 3) {
        $pool->transaction(sub { next if $i == 2; $root->put("next$i" => $i) });
        $root->put("after$i" => 1);
    }
    is($pool->tx_depth, 0, 'next out of the block ends the transaction');
    ok(!$root->exists('after2') && $root->exists('next3'), '... and the loop goes on');
    OUTER: for my $i (1 .. 2) {
        $pool->transaction(sub {
            $root->put(inner_tx => 1);
            $pool->transaction(sub { $root->put(innermost => 1); next OUTER });
        });
    }
    is($pool->tx_depth, 0, 'next LABEL out of nested blocks ends every level');
    ok($root->exists('innermost') && $root->exists('inner_tx'), '... committed');
    my $n = 0;
    for my $i (1 .. 1) {
        $pool->transaction(sub { $root->put(redo => ++$n); redo if $n < 2 });
    }
    is($pool->tx_depth, 0, 'redo out of the block ends the transaction');
    is($root->get('redo'), 2, '... and commits it');
    sub leave_by_goto { $pool->transaction(sub { $root->put(goto => 1); goto DONE }); DONE: return }
    eval { leave_by_goto() };
    is($pool->tx_depth, 0, 'goto out of the block ends the transaction');
    ok($root->exists('goto'), '... and commits it');
    is(scalar(grep { /did not commit/ } @warnings), 0, 'no failed commit');
    # a transaction a loop control leaves after an inner abort cannot
    # commit: it says so
    for (1) {
        $pool->transaction(sub {
            $root->put(doomed => 1);
            eval { $pool->transaction(sub { die "inner\n" }) };
            last;
        });
    }
    is($pool->tx_depth, 0, 'an aborted transaction left by last is ended');
    ok(!$root->exists('doomed'), '... rolled back');
    like(join('', @warnings), qr/did not commit/, '... with a warning');
    my $path = $pool->path;
    $pool->close;
    $pool = Pmemkit::Pool->open($path);
    $root = $pool->root;
    ok($root->exists('last2') && $root->exists('goto') && !$root->exists('doomed'),
        'what loop controls committed is in the pool after reopening');
}
ok(!eval { $pool->transaction(sub { $root->put(died => 1); die "x\n" }); 1 }
    && !$root->exists('died'), 'die aborts');
sub tx_return { $pool->transaction(sub { $root->put(ret => 1); return 5 }) }
is(tx_return(), 5, 'return commits and gives its value');
ok($root->exists('ret'), '... committed');

# exit inside the block: perl unwinds the call, and the guard commits
{
    my $p = pool_path('exit');
    Pmemkit::Pool->create($p, size => 16 << 20)->close;
    my $lib = File::Spec->rel2abs(File::Basename::dirname($INC{'Pmemkit.pm'}));
    system($^X, "-I$lib", '-MPmemkit', '-e',
        'my $p = Pmemkit::Pool->open(shift); my $r = $p->root;'
        . ' $p->transaction(sub { $r->put(x => 1); exit 3 })', $p);
    is($? >> 8, 3, 'exit inside a transaction exits');
    my $again = Pmemkit::Pool->open($p);
    ok($again->root->exists('x'), '... and commits it');
    is($again->stats->{unclean}, 0, '... and closes the pool');
    $again->close;
}

eval { $pool->transaction('not code') };
like($@, qr/code reference/, 'transaction needs a sub');
$pool->close;
done_testing;
