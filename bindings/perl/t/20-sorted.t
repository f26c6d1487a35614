# Sorted maps: a map's methods with the entries in key order, positions,
# neighbours of a key, ranges, prefixes; bad keys change nothing; every
# change of several entries one transaction; a model test against a Perl
# hash kept sorted.
use strict;
use warnings;
use utf8;
use Test::More;
use Math::BigInt;
use Scalar::Util qw(blessed);
use List::Util qw(shuffle);
use PkTest qw(:DEFAULT dies_like);
use Pmemkit qw(sorted bytes tuple frozenset);

my $path = pool_path('sorted');
my $pool = Pmemkit::Pool->create($path, size => 32 << 20);
my $root = $pool->root;

# a key as a string to compare ('<undef>' for undef, 'b:HEX' for bytes)
sub k { map { !defined $_ ? '<undef>' : blessed $_ && $_->isa('Pmemkit::Bytes')
        ? 'b:' . unpack('H*', "$_") : "$_" } @_ }

# a map's methods, in key order
{
    my $m = $pool->new_sorted_map({ pear => 3, apple => 1, fig => 2 });
    isa_ok($m, 'Pmemkit::SortedMap');
    is($m->size, 3, 'size');
    is_deeply([$m->keys], [qw(apple fig pear)], 'keys in key order');
    is_deeply([$m->values], [1, 2, 3], 'values in key order');
    $m->put(kiwi => 4);
    is($m->get('kiwi'), 4, 'put and get');
    is($m->get('nope'), undef, 'get of an absent key: undef');
    ok($m->exists('fig') && !$m->exists('nope'), 'exists');
    is($m->fetch('fig'), 2, 'fetch');
    dies_with(sub { $m->fetch('nope') }, 'Pmemkit::Error::NotFound', 'fetch of an absent key dies');
    is($m->delete('fig'), 2, 'delete returns the value');
    is($m->delete('fig'), undef, 'and undef when absent');
    my @seen;
    $m->each(sub { push @seen, "$_[0]=$_[1]" });
    is_deeply(\@seen, ['apple=1', 'kiwi=4', 'pear=3'], 'each in key order');
    my $it = $m->iterator;
    my @k;
    while (my ($k, $v) = $it->()) { push @k, $k }
    is_deeply(\@k, [qw(apple kiwi pear)], 'iterator in key order');
    is_deeply($m->to_hash, { apple => 1, kiwi => 4, pear => 3 }, 'to_hash');
    $m->put(a => 1, b => 2);
    is($m->size, 5, 'put of several');
    $m->clear;
    is($m->size, 0, 'clear');
    is_deeply([$m->keys], [], 'nothing left');
}

# the library's order across types; equal numbers are one key
{
    my $m = $pool->new_sorted_map;
    $m->put('b' => 'text', 2.5 => 'float', bytes("\x01") => 'bytes', undef, 'nil',
        -3 => 'int', Math::BigInt->new(2)**70 => 'big', tuple(1, 'a') => 'tuple',
        'a' => 'text a');
    is_deeply([k($m->keys)], ['<undef>', -3, 2.5, '1180591620717411303424', 'b:01', 'a', 'b', "Pmemkit::tuple(1, 'a')"],
        'undef, numbers, bytes, text, tuples')
        or diag explain [k($m->keys)];
    isa_ok(($m->keys)[3], 'Math::BigInt', 'a big integer key');
    $m->put(1 => 'one');
    $m->put(1.0 => 'one again');
    $m->put(!!1 => 'true');
    is($m->get(1), 'true', '1, 1.0 and true are one key');
    is($m->size, 9, 'one entry for them');
    is($m->get('1'), undef, 'the text "1" is another key');
    is($m->get(bytes("\x01")), 'bytes', 'a bytes key');
    is($m->get("\x{1}"), undef, 'not the text of the same character');
    is($m->get(tuple(1, 'a')), 'tuple', 'a tuple key');
}

# positions and neighbours
{
    my $m = $pool->new_sorted_map([map { ($_ * 10 => "v$_") } 1 .. 5]);  # 10 .. 50
    my ($k, $v) = $m->first;
    is("$k $v", '10 v1', 'first: key and value');
    is(scalar $m->first, 10, 'first in scalar context: the key');
    is(scalar $m->last, 50, 'last');
    is_deeply([$m->at(1)], [20, 'v2'], 'at');
    is(scalar $m->at(-2), 40, 'at, negative from the end');
    dies_with(sub { $m->at(5) }, 'Pmemkit::Error::Range', 'at outside dies Range');
    dies_with(sub { $m->at(-6) }, 'Pmemkit::Error::Range', 'negative too');
    is_deeply([$m->ceiling(25)], [30, 'v3'], 'ceiling');
    is(scalar $m->ceiling(30), 30, 'ceiling of a present key: itself');
    is(scalar $m->higher(30), 40, 'higher');
    is(scalar $m->floor(25), 20, 'floor');
    is(scalar $m->floor(20), 20, 'floor of a present key');
    is(scalar $m->lower(20), 10, 'lower');
    is_deeply([$m->higher(50)], [], 'none higher than the last: ()');
    is(scalar $m->lower(10), undef, 'none lower: undef in scalar context');
    is(scalar $m->ceiling('a'), undef, 'text sorts after every number');
    is(scalar $m->floor('a'), 50, 'so the floor of text is the last number');
    is($m->rank(30), 2, 'rank: keys before it');
    is($m->rank(30, after => 1), 3, 'rank after');
    is($m->rank(35), 3, 'rank of an absent key: where it would go');
    my $e = $pool->new_sorted_map;
    is_deeply([$e->first], [], 'first of an empty map: ()');
    is(scalar $e->last, undef, 'last of an empty map: undef');
    is_deeply([$e->shift], [], 'shift of an empty map: ()');
    is_deeply([$m->shift], [10, 'v1'], 'shift removes the first');
    is(scalar $m->pop, 50, 'pop in scalar context: the key of the last');
    is_deeply([$m->keys], [20, 30, 40], 'both gone');
}

# ranges, prefixes, delete_range
{
    my $m = $pool->new_sorted_map([map { ($_ => $_ * $_) } 1 .. 9]);
    is_deeply([$m->range_keys(3, 6)], [3 .. 6], 'range: both bounds included');
    is_deeply([$m->range_keys(3, 6, { lo_open => 1 })], [4 .. 6], 'lo_open');
    is_deeply([$m->range_keys(3, 6, { hi_open => 1 })], [3 .. 5], 'hi_open');
    is_deeply([$m->range_keys(3, 6, { exclusive => 1 })], [4, 5], 'exclusive');
    is_deeply([$m->range_keys(3, 6, { reverse => 1 })], [6, 5, 4, 3], 'reverse');
    is_deeply([$m->range_keys(7)], [7 .. 9], 'no upper bound');
    is_deeply([$m->range_keys(undef, 2)], [1, 2], 'undef: no lower bound');
    is_deeply([$m->range_keys(6, 3)], [], 'an empty range');
    is_deeply([$m->range_pairs(2, 3)], [2, 4, 3, 9], 'range_pairs');
    is(scalar $m->range_keys(2, 5), 4, 'range_keys in scalar context: how many');
    my $it = $m->range(8, undef, { reverse => 1 });
    my @got;
    while (my ($k, $v) = $it->()) { push @got, "$k:$v" }
    is_deeply(\@got, ['9:81', '8:64'], 'range: an iterator of (key, value)');
    $m->put(undef, 'nil');
    is_deeply([k($m->range_keys(undef, undef, { hi => undef }))], ['<undef>'],
        'hi => undef: the undef key as a bound');
    is_deeply([$m->range_keys(undef, 2, { lo => undef, lo_open => 1 })], [1, 2],
        'lo => undef with lo_open: after the undef key');
    dies_like(sub { $m->range(1, 2, { inclusive => 1 }) }, qr/unknown option.*inclusive/,
        'an unknown option croaks');
    is($m->delete_range(3, 6, { hi_open => 1 }), 3, 'delete_range: how many');
    is_deeply([k($m->keys)], ['<undef>', 1, 2, 6, 7, 8, 9], 'they are gone');
    is($m->delete_range(100), 0, 'nothing in range: 0');

    my $u = $pool->new_sorted_map({ 'user:2' => 'b', 'user:1' => 'a', 'userx' => 'c',
        'usr' => 'd', 'é:1' => 'e' });
    $u->put(bytes("user:\xff") => 'bytes');
    is_deeply([$u->prefix_keys('user:')], ['user:1', 'user:2'], 'prefix: text keys only');
    is_deeply([k($u->prefix_keys(bytes('user:')))], ['b:757365723aff'], 'a bytes prefix: bytes keys');
    is_deeply([$u->prefix_keys('user:', { reverse => 1 })], ['user:2', 'user:1'], 'prefix reversed');
    is_deeply([$u->prefix_keys('é')], ['é:1'], 'a prefix of characters');
    is_deeply([$u->range_keys('user:', 'userx', { prefix => 'user' })],
        ['user:1', 'user:2', 'userx'], 'a range with a prefix');
    my $pi = $u->prefix('us');
    my ($pk, $pv) = $pi->();
    is("$pk $pv", 'user:1 a', 'prefix: an iterator');
    is($u->delete_range(undef, undef, { prefix => 'user:' }), 2, 'delete_range of a prefix');
    is_deeply([k($u->keys)], ['b:757365723aff', 'user' . 'x', 'usr', 'é:1'], 'the rest stays');
    dies_with(sub { $u->prefix([1]) }, 'Pmemkit::Error::KeyType', 'a prefix that is no string');
}

# containers as values, reading back, references
{
    my $m = $pool->new_sorted_map;
    $root->put(idx => $m);
    $m->put(cfg => { hosts => ['a'] }, list => [1, 2]);
    $m->get('cfg')->get('hosts')->push('b');
    is_deeply($m->get('cfg')->to_hash, { hosts => ['a', 'b'] }, 'a nested map, changed in place');
    my $r = $root->get('idx');
    isa_ok($r, 'Pmemkit::SortedMap', 'read back from the root');
    ok($r == $m, 'the same sorted map ==');
    $root->put(again => $m);
    ok($root->get('again') == $m, 'storing one stores a reference');
    my $list = $m->delete('list');
    is(ref $list, 'ARRAY', 'delete of a container: a plain copy');
    is_deeply($list, [1, 2], 'with its elements');
    $m->put(inner => sorted(2 => 'b', 1 => 'a'));
    my $in = $m->get('inner');
    isa_ok($in, 'Pmemkit::SortedMap', 'Pmemkit::sorted() stores a sorted map');
    is_deeply([$in->keys], [1, 2], 'its keys, integers, in order');
    $m->put(plain => { 2 => 'b', 1 => 'a' });
    isa_ok($m->get('plain'), 'Pmemkit::Map', 'a plain hash is still a map');
    my $copy = $m->delete('inner');
    isa_ok($copy, 'Pmemkit::SortedValue', 'a removed sorted map comes back as Pmemkit::sorted()');
    $m->put(inner2 => $copy);
    is_deeply([$m->get('inner2')->keys], [1, 2], 'and stores again as one');
    is_deeply(Pmemkit::SortedValue->can('pairs') && [$copy->pairs], [1, 'a', 2, 'b'], 'its pairs in order');
    $pool->root->put(fromsorted => $pool->new_sorted_map(sorted(b => 1, a => 2)));
    is_deeply([$root->get('fromsorted')->keys], ['a', 'b'], 'new_sorted_map of a Pmemkit::sorted()');
    $root->put(nested => { s => sorted(x => 1) });
    isa_ok($root->get('nested')->get('s'), 'Pmemkit::SortedMap', 'inside a plain hash');
    dies_like(sub { Pmemkit::sorted('odd') }, qr/pairs/, 'an odd list croaks');
    dies_like(sub { $pool->new_array('i32', [sorted(1 => 2)]) }, qr/not a number/,
        'a Pmemkit::sorted() value is no number');
    my $deep = $pool->sizeof($root->get('idx'), deep => 1);
    ok($deep > $pool->sizeof($root->get('idx')), 'sizeof, deep counts what it holds');
    my $st = $pool->stats;
    my $sum = 0;
    $sum += $st->{$_} for grep { /_bytes\z/ } keys %$st;
    is($sum, $st->{used}, 'the bytes of each kind, sorted maps too, add up to used');
    is($pool->stats->{sorted_map_count} > 0, 1, 'stats count sorted maps');
}

# the tied hash: key order, nested access, autovivification
{
    my $m = $pool->new_sorted_map({ b => 2, c => 3 });
    $m->put(7 => 'seven');
    tie my %h, 'Pmemkit::SortedMap::Tie', $m;
    $h{a} = 1;
    is_deeply([keys %h], [7, 'a', 'b', 'c'], 'keys %h in key order');
    is($h{7}, 'seven', 'a canonical integer string finds the integer key');
    ok(exists $h{a} && !exists $h{z}, 'exists');
    $h{deep}{x}[0] = 'y';
    is($m->get('deep')->get('x')->get(0), 'y', 'autovivification stores');
    delete $h{b};
    ok(!$m->exists('b'), 'delete');
    is($m->{c}, 3, '$map->{key} reads');
    $m->{d} = 4;
    is($m->get('d'), 4, '$map->{key} = ... stores');
    is_deeply([grep { !ref $m->{$_} } keys %$m], [7, 'a', 'c', 'd'], 'keys %$map in order');
    my $t = $m->tied_hash;
    is(scalar(%$t) + 0, 5, 'scalar %h: the size');
    $m->put(undef, 'nil');
    dies_like(sub { my @k = keys %h }, qr/undef key/,
        'keys %h with an undef key dies rather than give nothing');
    is(scalar(() = $m->keys), 6, 'the methods give it');
    %h = ();
    is($m->size, 0, '%h = () clears');
}

# bad keys: a clear error, nothing changed; several changes are atomic
{
    my $m = $pool->new_sorted_map({ a => 1 });
    dies_with(sub { $m->put([1] => 2) }, 'Pmemkit::Error::KeyType', 'an array ref key');
    dies_with(sub { $m->put({} => 2) }, 'Pmemkit::Error::KeyType', 'a hash ref key');
    dies_with(sub { $m->put($pool->new_list => 2) }, 'Pmemkit::Error::KeyType', 'a container key');
    my $e = dies_with(sub { $m->put(frozenset(1, 2) => 2) }, 'Pmemkit::Error::KeyType',
        'a frozen set key');
    like("$e", qr/frozen set/, 'whose message says why');
    dies_with(sub { $m->put(Pmemkit::frozen_set(1) => 2) }, 'Pmemkit::Error::KeyType',
        'a frozen set value as a key');
    dies_with(sub { $m->put(b => 2, [1] => 3, c => 4) }, 'Pmemkit::Error::KeyType',
        'a bad key among several');
    is_deeply([$m->keys], ['a'], 'nothing of them stored');
    dies_with(sub { $pool->new_sorted_map([x => 1, [2] => 2]) }, 'Pmemkit::Error::KeyType',
        'new_sorted_map with a bad key');
    dies_with(sub { $root->put(bad => sorted(x => 1, frozenset(1) => 2)) },
        'Pmemkit::Error::KeyType', 'storing a Pmemkit::sorted() with a bad key');
    ok(!$root->exists('bad'), 'stores nothing');
    dies_with(sub { $m->put(sorted(1 => 2) => 1) }, 'Pmemkit::Error::KeyType',
        'a Pmemkit::sorted() value as a key');
    dies_with(sub { $m->put($m => 1) }, 'Pmemkit::Error::KeyType', 'the map itself as a key');
    dies_with(sub { $m->get([1]) }, 'Pmemkit::Error::KeyType', 'get with a bad key');
    dies_with(sub { $m->ceiling(frozenset(1)) }, 'Pmemkit::Error::KeyType', 'ceiling too');
    dies_with(sub { $m->range([1], 2) }, 'Pmemkit::Error::KeyType', 'and a bad bound');
    $m->put(b => 2, c => 3);
    eval { $pool->transaction(sub { $m->delete_range('a', 'b'); $m->clear; die "no\n" }) };
    is_deeply([$m->keys], ['a', 'b', 'c'], 'delete_range and clear in an aborted transaction: undone');
    dies_like(sub { $m->put(x => 1, 'odd') }, qr/pairs/, 'an odd list croaks');
    is($m->size, 3, 'and stores nothing');
}

# model test: random puts, removes, ranges against a Perl hash whose keys
# are kept sorted (integers and text keys: numbers sort before text)
{
    srand(23);
    my $m = $pool->new_sorted_map;
    my %model;
    my $cmp = sub {
        my ($x, $y) = @_;
        my ($nx, $ny) = map { /\A-?[0-9]+\z/ ? 0 : 1 } $x, $y;
        return $nx <=> $ny || ($nx ? $x cmp $y : $x <=> $y);
    };
    my $sorted = sub { sort { $cmp->($a, $b) } keys %model };
    my $rnd_key = sub { rand() < 0.5 ? int(rand(60)) - 20 : 'k' . int(rand(40)) };
    my $ok = 1;
    for my $step (1 .. 600) {
        my $op = rand();
        if ($op < 0.45) {
            my ($k, $v) = ($rnd_key->(), int rand 1000);
            $model{$k} = $v;
            $m->put($k => $v);
        } elsif ($op < 0.7) {
            my $k = $rnd_key->();
            my $had = delete $model{$k};
            my $got = $m->delete($k);
            $ok &&= is($got, $had, "step $step: delete $k") if !defined $had != !defined $got
                || (defined $had && $had != $got);
        } elsif ($op < 0.8) {
            my ($lo, $hi) = sort { $cmp->($a, $b) } $rnd_key->(), $rnd_key->();
            my ($lo_open, $hi_open) = (rand() < 0.5, rand() < 0.5);
            my @want = grep {
                my $c1 = $cmp->($_, $lo); my $c2 = $cmp->($_, $hi);
                ($lo_open ? $c1 > 0 : $c1 >= 0) && ($hi_open ? $c2 < 0 : $c2 <= 0)
            } $sorted->();
            my $opts = { lo_open => $lo_open, hi_open => $hi_open };
            if (rand() < 0.2) {
                my $n = $m->delete_range($lo, $hi, $opts);
                delete @model{@want};
                $ok &&= is($n, scalar @want, "step $step: delete_range $lo $hi") if $n != @want;
            } else {
                my @got = $m->range_keys($lo, $hi, { %$opts, reverse => rand() < 0.5 });
                @got = sort { $cmp->($a, $b) } @got;
                $ok &&= is_deeply(\@got, \@want, "step $step: range $lo $hi")
                    if "@got" ne "@want";
            }
        } else {
            my $k = $rnd_key->();
            my @want = grep { $cmp->($_, $k) >= 0 } $sorted->();
            my $got = $m->ceiling($k);
            $ok &&= is($got, $want[0], "step $step: ceiling $k")
                if ($got // '<none>') ne ($want[0] // '<none>');
        }
    }
    ok($ok, '600 random steps agree with the model');
    is_deeply([$m->keys], [$sorted->()], 'the keys in order at the end');
    is_deeply([$m->values], [@model{ $sorted->() }], 'and the values');
    my @k = $sorted->();
    is(scalar $m->at($#k / 2), $k[$#k / 2], 'at the middle index');
    is($m->rank($k[-1]), $#k, 'rank of the last');
}

# reopened: the sorted map persists
{
    $root->put(keep => sorted(2 => 'two', 1 => 'one'));
    $pool->close;
    my $p = Pmemkit::Pool->open($path);
    my $s = $p->root->get('keep');
    isa_ok($s, 'Pmemkit::SortedMap', 'after reopening');
    is_deeply([$s->range_pairs], [1, 'one', 2, 'two'], 'its entries in order');
    $p->gc;
    is($p->check->{ok}, 1, 'the pool checks healthy');
    $p->close;
}

# a read-only pool: reads work, every change dies and changes nothing
{
    my $ro = Pmemkit::Pool->open($path, readonly => 1);
    my $s = $ro->root->get('keep');
    is(scalar $s->first, 1, 'read-only: reads');
    dies_with(sub { $s->put(3 => 'x') }, 'Pmemkit::Error::ReadOnly', 'put dies');
    dies_with(sub { $s->delete_range(1) }, 'Pmemkit::Error::ReadOnly', 'delete_range dies');
    dies_with(sub { $s->shift }, 'Pmemkit::Error::ReadOnly', 'shift dies');
    is($s->size, 2, 'nothing changed');
    $ro->close;
}

# a sorted map written by Python, and Perl's read by Python
SKIP: {
    skip 'the Python module is not built', 4 unless $ENV{PK_PYTHON};
    my $py = pool_path('pysorted');
    run_python(<<'PY', $py);
import sys, pmemkit
with pmemkit.Pool.create(sys.argv[1], size=16 << 20) as p:
    p.root["s"] = p.new_sorted_map({"b": 2, 1: "one", b"\x01": 2.5, None: [1]})
PY
    my $p = Pmemkit::Pool->open($py);
    my $s = $p->root->get('s');
    isa_ok($s, 'Pmemkit::SortedMap', "Python's SortedMap");
    is_deeply([k($s->keys)], ['<undef>', 1, 'b:01', 'b'], 'its keys in order');
    $p->root->put(ps => sorted(10 => 'x', 2 => 'y'));
    $p->close;
    my $out = run_python(<<'PY', $py);
import sys, pmemkit
with pmemkit.Pool.open(sys.argv[1]) as p:
    r = p.root["ps"]
    print(type(r).__name__, list(r.items()))
PY
    is($out, "SortedMap [(2, 'y'), (10, 'x')]\n", 'Python reads the sorted map Perl wrote');
    pass('both ways');
}

done_testing;
