# Space accounting: $pool->stats per kind of container (KIND_count,
# KIND_bytes), $pool->sizeof($container) alone and with deep => 1.
use strict;
use warnings;
use Test::More;
use Pmemkit qw(bytes set);
use PkTest qw(:DEFAULT dies_like);

package Node {
    use parent -norequire, 'Pmemkit::Object';
}

package main;

Pmemkit::register('t18.Node' => 'Node');

my @KINDS = qw(map list array log blocks set record);

# stats: counts and bytes per kind; every object is some container's
{
    my $pool = new_pool();
    my $root = $pool->root;
    my $st = $pool->stats;
    is($st->{"${_}_count"}, $_ eq 'map' ? 1 : 0, "empty pool: $_\_count")
        for @KINDS;
    my $sum = 0;
    $sum += $st->{"${_}_bytes"} for @KINDS;
    is($sum, $st->{used}, 'empty pool: the kinds\' bytes add up to used');

    $root->put(m => { map { ($_ => bytes('x' x ($_ % 10 ? 1 : 5000))) } 0 .. 199 });
    $root->put(l => [0 .. 49]);
    $root->put(s => set(1, 2));
    $root->put(a => $pool->new_array('i64', 100));
    $root->put(g => $pool->new_log(['r1', 'r2']));
    $root->put(b => $pool->new_blocks(512, 4));
    $root->put(n => Node->new(v => 1));
    $root->put(n2 => Node->new(v => 2));
    $st = $pool->stats;
    my %want = (map => 2, list => 1, array => 1, log => 1, blocks => 1,
        set => 1, record => 2);
    is($st->{"${_}_count"}, $want{$_}, "$_\_count") for @KINDS;
    ok($st->{map_bytes} > 20 * 5000, 'map_bytes holds the blobs');
    ok($st->{blocks_bytes} >= 4 * 512, 'blocks_bytes holds the blocks');
    ok($st->{"${_}_bytes"} > 0, "$_\_bytes > 0") for @KINDS;
    $sum = 0;
    $sum += $st->{"${_}_bytes"} for @KINDS;
    is($sum, $st->{used}, 'the kinds\' bytes add up to used');
    ok(exists $st->{$_}, "still $_") for qw(size used objects unclean recovered);

    # unreferenced containers count until gc frees them
    $pool->new_list([1]);
    is($pool->stats->{list_count}, 2, 'an unreferenced list counts');
    $pool->gc;
    is($pool->stats->{list_count}, 1, '... until gc');
    $pool->close;
}

# sizeof: shallow, deep, cycles once, root deep == used
{
    my $pool = new_pool();
    my $root = $pool->root;
    $root->put(m => { blob => bytes('y' x 100000), inner => [bytes('z' x 50000)] });
    my $m = $root->get('m');
    my $inner = $m->get('inner');
    ok($pool->sizeof($m) >= 100000, 'a map\'s own bytes hold its blob');
    ok($pool->sizeof($m) < 150000, '... not its inner list\'s');
    ok($pool->sizeof($inner) >= 50000, 'the inner list\'s own bytes');
    is($pool->sizeof($m, deep => 0), $pool->sizeof($m), 'deep => 0 is shallow');
    is($pool->sizeof($m, deep => 1), $pool->sizeof($m) + $pool->sizeof($inner),
        'deep: its bytes and the inner list\'s');
    $inner->push($m);       # a cycle
    is($pool->sizeof($m, deep => 1), $pool->sizeof($m) + $pool->sizeof($inner),
        'a cycle counts each container once');
    is($pool->sizeof($inner, deep => 1), $pool->sizeof($m, deep => 1),
        'from either end of the cycle');
    is($pool->sizeof($root, deep => 1), $pool->stats->{used}, 'root deep == used');
    is($pool->sizeof($root->{m}), $pool->sizeof($m), 'through the tied hash');

    # every kind answers
    $root->put(s => set(bytes('q' x 3000)));
    ok($pool->sizeof($root->get('s')) >= 3000, 'a set');
    my $a = $pool->new_array('f64', 1000);
    ok($pool->sizeof($a) >= 8000, 'an array (not stored: a container all the same)');
    my $g = $pool->new_log([bytes('r' x 4000)]);
    ok($pool->sizeof($g) >= 4000, 'a log');
    my $b = $pool->new_blocks(4096, 2);
    ok($pool->sizeof($b) >= 8192, 'block array');

    # records: once stored
    my $n = Node->new(data => bytes('q' x 20000));
    dies_like(sub { $pool->sizeof($n) }, qr/not stored in a pool/,
        'an unstored object dies (it holds nothing in the pool)');
    $root->put(n => $n);
    ok($pool->sizeof($n) >= 20000, 'a stored record');
    $n->{kid} = Node->new(data => bytes('k' x 10000));
    my $kid = $n->{kid};
    is($pool->sizeof($n, deep => 1), $pool->sizeof($n) + $pool->sizeof($kid),
        'a record deep: with the record it refers to');
    my $o = $pool->new_object('Other', x => 1);
    isa_ok($o, 'Pmemkit::Record');
    ok($pool->sizeof($o) > 0, 'a generic record');
    is($pool->sizeof($root, deep => 1), $pool->stats->{used} - $pool->sizeof($a)
        - $pool->sizeof($g) - $pool->sizeof($b) - $pool->sizeof($o),
        'root deep: all but the unreferenced containers');

    # refusals
    for my $bad (1, 'x', undef, {}, [], bytes('b'), Pmemkit::tuple(1), \1, sub {},
            set(1, 2), Pmemkit::frozenset(1), $pool) {
        dies_like(sub { $pool->sizeof($bad) }, qr/sizeof: expected a container/,
            'refuses ' . (defined $bad ? ref $bad || "'$bad'" : 'undef'));
    }
    dies_like(sub { $pool->sizeof($m, deep => 1, shallow => 1) }, qr/unknown option/,
        'an unknown option dies');
    my $other = new_pool();
    dies_like(sub { $other->sizeof($m) }, qr/belongs to another pool/,
        'a container of another pool');
    dies_like(sub { $other->sizeof($n) }, qr/belongs to another pool/,
        'a record of another pool');
    $other->close;
    $pool->close;
    dies_with(sub { $pool->sizeof($m) }, 'Pmemkit::Error::Closed', 'a closed pool');
    dies_with(sub { $pool->stats }, 'Pmemkit::Error::Closed', 'stats of a closed pool');
}

done_testing;
