# Frozen sets as one scalar: Pmemkit::frozenset() as map keys (methods and
# tied hashes), set elements, tuple items and values; members in the
# library's order, equal numbers one member; one read back is a
# Pmemkit::FrozenSet::Scalar that finds its entry again. Stored frozen
# sets (Pmemkit::FrozenSet) and Pmemkit::frozen_set() values become one
# where a key is taken.
use strict;
use warnings;
use utf8;
use Test::More;
use Math::BigInt;
use Scalar::Util qw(blessed);
use B ();
use Pmemkit qw(frozenset frozen_set tuple bytes set);
use PkTest qw(:DEFAULT dies_like is_int is_float);

my $path = pool_path('frozenset');
my $pool = Pmemkit::Pool->create($path, size => 32 << 20);
my $root = $pool->root;

# the value: a read-only array ref of the distinct members, in order
{
    my $s = frozenset('b', 2);
    isa_ok($s, 'Pmemkit::FrozenSet::Scalar');
    ok(!$s->isa('Pmemkit::Tuple'), 'not a tuple');
    is(scalar @$s, 2, 'scalar @$s');
    is($s->size, 2, 'size');
    is_deeply([@$s], [2, 'b'], "the library's order, not the given one");
    is_deeply([$s->members], [2, 'b'], 'members');
    is("$s", "Pmemkit::frozenset(2, 'b')", 'stringifies as the Perl that makes it');
    is("" . frozenset(), 'Pmemkit::frozenset()', 'the empty one');
    my $d = frozenset(1, 1.0, !!1, 'a', 'a');
    is($d->size, 2, '1, 1.0 and true are one member, repeats one');
    ok(is_int($d->[0]), 'the first given stays');
    ok(is_float(frozenset(1.0, 1)->[0]), 'whichever it is');
    ok(frozenset(1, 'a') == frozenset('a', 1.0), '== in any order, 1 and 1.0');
    ok(frozenset(1, 'a') eq frozenset(!!1, 'a'), 'eq: 1 and true');
    ok(frozenset(1, 'a') != frozenset('1', 'a'), 'a number is not a string');
    ok(frozenset(1) != frozenset(1, 2), 'sizes differ');
    ok(frozenset(1, 2) != tuple(1, 2), 'not a tuple of the members');
    ok(tuple(1, 2) != frozenset(1, 2), 'nor the other way');
    ok($s->contains(2.0, 'b'), 'contains');
    ok(!$s->contains('2'), 'contains: a string is not a number');
    dies_like(sub { $s->[0] = 3 }, qr/read-only/, 'a member cannot change');
    dies_like(sub { push @$s, 3 }, qr/read-only/, 'nor the size');
    my @m = (1, 'b');
    my $u = frozenset(@m);
    $m[0] = 9;
    ok($u->contains(1), 'the members are copies');
    my $b = bytes("\x01");
    my $big = Math::BigInt->new(2)**70;
    my $v = frozenset($b, $big);
    $$b = "\x02";
    $big->binc;
    ok($v == frozenset(bytes("\x01"), Math::BigInt->new(2)**70),
        'of bytes and big integers too');
    my ($bm) = grep { blessed $_ && $_->isa('Pmemkit::Bytes') } @$v;
    dies_like(sub { $$bm = 'x' }, qr/read-only/, 'a bytes member cannot change');
    my $n = frozenset(tuple(1, 'a'), frozenset(3), frozen_set(4));
    is($n->size, 3, 'tuples and frozen sets are members');
    ok($n->contains(tuple(1.0, 'a'), frozenset(3), frozenset(4)),
        'a Pmemkit::frozen_set() member is the frozen set');
}

# members that cannot be in a frozen set die, and nothing is stored
{
    $root->put(mset => $pool->new_set([1]));
    my $n = $root->size;
    for my $bad ([{}, 'a hash ref'], [[1], 'an array ref'], [$root, 'a container'],
            [\1, 'a scalar ref'], [sub { 1 }, 'a code ref'],
            [set(1), 'a set value'], [$root->get('mset'), 'a set']) {
        dies_with(sub { $root->put(k => frozenset(1, $bad->[0])) },
            'Pmemkit::Error::KeyType', "$bad->[1] as a member dies KeyType");
    }
    is($root->size, $n, 'nothing stored');
    my $deep = 1;
    $deep = frozenset($deep) for 1 .. 32;
    dies_with(sub { frozenset($deep) }, 'Pmemkit::Error::Value',
        'nested deeper than 32 dies Value');
    dies_with(sub { $root->put(k => tuple($deep)) }, 'Pmemkit::Error::Value',
        'in a tuple too, which counts the frozen sets');
    ok(!$root->exists('k'), 'nothing stored under k');
    $root->put(ok32 => $deep);
    ok($root->get('ok32') == $deep, '32 deep is a frozen set');
    $root->delete('ok32');
}

# keys through the methods
{
    my $m = $pool->new_map;
    $root->put(m => $m);
    $m->put(frozenset(1, 'a') => 'x');
    is($m->get(frozenset(1, 'a')), 'x', 'get');
    is($m->get(frozenset('a', 1.0)), 'x', "{'a', 1.0} finds {1, 'a'}");
    is($m->get(frozenset(!!1, 'a')), 'x', '{true, a} finds it too');
    ok(!defined $m->get(frozenset('1', 'a')), "{'1', 'a'} is another key");
    ok(!defined $m->get(tuple(1, 'a')), 'the tuple is another key');
    ok(!defined $m->get(tuple('a', 1)), 'in either order');
    ok($m->exists(frozenset('a', 1)), 'exists');
    $m->put(frozenset(1.0, 'a') => 'y');
    is($m->size, 1, 'an equal frozen set replaces the value');
    my ($k) = $m->keys;
    isa_ok($k, 'Pmemkit::FrozenSet::Scalar', 'a key read back');
    ok(is_int($k->[0]), 'the key keeps the types it was stored with');
    is($m->get($k), 'y', 'and finds its entry');
    $m->put(tuple(2, frozenset(3.5, bytes("\x04"))) => 2);
    is($m->get(tuple(2, frozenset(bytes("\x04"), 3.5))), 2, 'a frozen set in a tuple key');
    my ($back) = grep { $_->isa('Pmemkit::Tuple') } $m->keys;
    isa_ok($back->[1], 'Pmemkit::FrozenSet::Scalar', 'an item read back');
    is($m->get($back), 2, 'the key read back finds its entry');
    $m->put(frozenset(tuple(1, 2), frozenset()) => 'nested');
    is($m->get(frozenset(frozenset(), tuple(1.0, 2))), 'nested', 'a tuple and a frozen set as members');
    is($m->delete(frozenset(1, 'a')), 'y', 'delete returns the value');
    ok(!$m->exists(frozenset(1, 'a')), 'and removes it');
    # a stored frozen set and a frozen_set() value as keys
    $root->put(codes => frozen_set(5, 6));
    my $c = $root->get('codes');
    isa_ok($c, 'Pmemkit::FrozenSet', 'a stored frozen set');
    $m->put($c => 'stored');
    is($m->get(frozenset(6, 5)), 'stored', 'a stored frozen set as a key is its members');
    is($m->get($c), 'stored', 'and finds it');
    $m->put(frozen_set(7, 8) => 'value');
    is($m->get(frozenset(8, 7)), 'value', 'a frozen_set() value as a key too');
    dies_like(sub { $m->put(set(1) => 1) }, qr/cannot store an object/,
        'a set() value is not a key');
    dies_with(sub { $m->put($root->get('mset') => 1) }, 'Pmemkit::Error::KeyType',
        'nor a stored set');
    # members as keys are: a string is text, Latin-1 as its characters
    $m->put(frozenset("caf\xe9") => 'latin1');
    is($m->get(frozenset('café')), 'latin1', 'string members are text');
    my $big = Math::BigInt->new(2)**70;
    $m->put(frozenset($big, undef, !!0) => 'mixed');
    is($m->get(frozenset(undef, 0.0, Math::BigInt->new(2)**70)), 'mixed',
        'a big integer, undef, false as 0.0');
    my ($mixed) = grep { $m->get($_) eq 'mixed' } $m->keys;
    my ($bm) = grep { blessed $_ } @$mixed;
    isa_ok($bm, 'Math::BigInt', 'a big integer member read back');
    is($bm, $big, 'its value');
    $m->put(frozenset() => 'empty');
    is($m->get(frozenset()), 'empty', 'is a key too');
}

# keys through a tied hash: perl passes the object to the tie unstringified
{
    $root->put(h => {});
    tie my %h, 'Pmemkit::Map::Tie', $root->get('h');
    $h{frozenset(1, 'a')} = 'x';
    is($h{frozenset('a', 1)}, 'x', '$h{frozenset(...)}');
    is($h{frozenset(1.0, 'a')}, 'x', 'an equal one finds it');
    ok(exists $h{frozenset(1, 'a')}, 'exists');
    ok(!exists $h{"Pmemkit::frozenset(1, 'a')"}, 'its string is another key');
    my @k = keys %h;
    is(scalar @k, 1, 'keys');
    isa_ok($k[0], 'Pmemkit::FrozenSet::Scalar', 'keys %h gives the frozen set');
    is($h{ $k[0] }, 'x', 'which finds its entry');
    $h{frozenset(2)}++;
    $h{frozenset(2)} += 5;
    is($h{frozenset(2)}, 6, '++ and += with a frozen set key');
    $h{frozenset('n')}{deep} = 1;
    is($root->get('h')->get(frozenset('n'))->get('deep'), 1,
        'autovivification under a frozen set key');
    $root->put(fz => frozen_set(3));
    my $fz = $root->get('fz');
    $h{$fz} = 'stored';
    is($h{frozenset(3)}, 'stored', 'a stored frozen set as a tied key');
    is($h{$fz}, 'stored', 'reads with it too');
    is(delete $h{frozenset(2)}, 6, 'delete');
    untie %h;
}

# frozen sets as values, in lists, as set elements
{
    $root->put(v => frozenset(1, 'two', 3.5));
    my $v = $root->get('v');
    isa_ok($v, 'Pmemkit::FrozenSet::Scalar', 'a frozen set value');
    ok($v == frozenset(3.5, 'two', 1), 'reads back equal');
    $root->put(v2 => $v);
    ok($root->get('v2') == $v, 'stores again as the same frozen set');
    isa_ok($root->get('v2'), 'Pmemkit::FrozenSet::Scalar', 'not a tuple nor a container');
    my $l = $pool->new_list([frozenset(1), tuple(frozenset(2, 3))]);
    $root->put(l => $l);
    isa_ok($l->get(0), 'Pmemkit::FrozenSet::Scalar', 'a list item');
    isa_ok($l->get(1)->[0], 'Pmemkit::FrozenSet::Scalar', 'a tuple item');
    push @$l, frozenset('p');
    ok($l->get(-1) == frozenset('p'), 'push @$list');
    my $s = $pool->new_set([frozenset(1, 2), frozenset(2.0, 1), frozenset('x')]);
    $root->put(s => $s);
    is($s->size, 2, 'equal frozen sets are one element');
    ok($s->contains(frozenset(2, !!1)), 'contains an equal one');
    $s->add(frozen_set('y'));
    ok($s->contains(frozenset('y')), 'a frozen_set() value added is the frozen set');
    my @e = $s->members;
    is(scalar(grep { $_->isa('Pmemkit::FrozenSet::Scalar') } @e), 3, 'members read back');
    is(scalar $s->intersection([frozenset(1, 2.0), 'x']), 1, 'set operations');
    is(scalar $s->intersection([$root->get('codes'), frozen_set('y')]), 1,
        'with stored frozen sets and frozen_set() values as operands');
    $root->put(s2 => set(frozenset(1), 1));
    is($root->get('s2')->size, 2, 'Pmemkit::set() of a frozen set and a number');
    dies_with(sub { $pool->new_array('i32', [frozenset(1)]) }, 'Pmemkit::Error',
        'a typed array takes no frozen set');
    $root->put(plain => { k => frozenset(1) });
    isa_ok($root->get('plain')->get('k'), 'Pmemkit::FrozenSet::Scalar',
        'inside a plain hash stored');
}

# as a record's attribute
{
    package Tagged {
        use parent -norequire, 'Pmemkit::Object';
        Tagged->attributes(qw(tags));
    }
    Pmemkit::register(Tagged => 'Tagged');
    $root->put(rec => Tagged->new(tags => frozenset('x', 'y')));
    my $r = $root->get('rec');
    isa_ok($r->tags, 'Pmemkit::FrozenSet::Scalar', 'an attribute read back');
    ok($r->tags == frozenset('y', 'x'), 'equal');
    $r->tags(frozenset('z'));
    ok($root->get('rec')->tags == frozenset('z'), 'an attribute written');
}

# persistence
{
    $pool->close;
    my $p = Pmemkit::Pool->open($path);
    my $m = $p->root->get('m');
    is($m->get(frozenset('a', 1)), undef, 'a deleted key stays deleted');
    is($m->get(frozenset(5, 6)), 'stored', 'frozen set keys after reopening');
    ok($p->root->get('v') == frozenset(1, 'two', 3.5), 'frozen set values after reopening');
    ok($p->check->{ok}, 'the pool checks') or diag explain $p->check;
    $p->close;
}

done_testing;
