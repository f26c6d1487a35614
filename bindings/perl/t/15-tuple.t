# Tuples: Pmemkit::tuple() as map keys (methods and tied hashes), set
# elements and values; equal numbers are one key; a tuple read back is a
# Pmemkit::Tuple that finds its entry again.
use strict;
use warnings;
use utf8;
use Test::More;
use Math::BigInt;
use Scalar::Util qw(blessed);
use B ();
use Pmemkit qw(tuple bytes set);
use PkTest qw(:DEFAULT dies_like is_int is_float);

my $path = pool_path('tuple');
my $pool = Pmemkit::Pool->create($path, size => 32 << 20);
my $root = $pool->root;

# the value: a read-only array ref that says what it is
{
    my $t = tuple(1, 'a');
    isa_ok($t, 'Pmemkit::Tuple');
    is(scalar @$t, 2, 'scalar @$t');
    is($t->[1], 'a', '$t->[1]');
    is_deeply([@$t], [1, 'a'], '@$t');
    is("$t", "Pmemkit::tuple(1, 'a')", 'stringifies as the Perl that makes it');
    is("" . tuple(undef, !!1, 2.5, "it's", bytes("\x04"), tuple()),
        q{Pmemkit::tuple(undef, !!1, 2.5, 'it\\'s', Pmemkit::bytes("\x04"), Pmemkit::tuple())},
        'every kind of item shows');
    ok(tuple(1, 'a') == tuple(1.0, 'a'), '== item by item: 1 and 1.0');
    ok(tuple(1, 'a') eq tuple(!!1, 'a'), 'eq: 1 and true');
    ok(tuple(1, 'a') != tuple('1', 'a'), 'a number is not a string');
    ok(tuple(1) ne tuple(1, 1), 'lengths differ');
    ok(tuple(tuple(1)) == tuple(tuple(1.0)), 'nested');
    ok(!(tuple(1) == 1), 'not == a number');
    dies_like(sub { $t->[0] = 2 }, qr/read-only/, 'an item cannot change');
    dies_like(sub { push @$t, 3 }, qr/read-only/, 'nor the length');
    my @items = (1, 'b');
    my $u = tuple(@items);
    $items[0] = 9;
    is($u->[0], 1, 'the items are copies');
    my $b = bytes("\x01");
    my $big = Math::BigInt->new(5);
    my $v = tuple($b, $big);
    $$b = "\x02";
    $big->binc;
    ok($v == tuple(bytes("\x01"), 5), 'of bytes and big integers too');
    dies_like(sub { ${ $v->[0] } = 'x' }, qr/read-only/, 'a bytes item cannot change');
}

# items that cannot be in a tuple die, and nothing is stored
{
    my $n = $root->size;
    for my $bad ([{}, 'a hash ref'], [[1], 'an array ref'], [$root, 'a container'],
            [\1, 'a scalar ref'], [sub { 1 }, 'a code ref'],
            [Pmemkit::set(1), 'a set value']) {
        dies_with(sub { $root->put(k => tuple(1, $bad->[0])) },
            'Pmemkit::Error::KeyType', "$bad->[1] as an item dies KeyType");
    }
    is($root->size, $n, 'nothing stored');
    my $deep = 1;
    $deep = tuple($deep) for 1 .. 33;
    dies_with(sub { $root->put(deep => $deep) }, 'Pmemkit::Error::Value',
        'nested deeper than 32 dies Value');
    ok(!$root->exists('deep'), 'and is not stored');
    my $ok = 1;
    $ok = tuple($ok) for 1 .. 32;
    $root->put(ok32 => $ok);
    ok($root->get('ok32') == $ok, '32 deep is a tuple');
    $root->delete('ok32');
}

# keys through the methods
{
    my $m = $pool->new_map;
    $root->put(m => $m);
    $m->put(tuple(1, 'a') => 'x');
    is($m->get(tuple(1, 'a')), 'x', 'get');
    is($m->get(tuple(1.0, 'a')), 'x', '(1.0, a) finds (1, a)');
    is($m->get(tuple(!!1, 'a')), 'x', '(true, a) finds it too');
    ok(!defined $m->get(tuple('1', 'a')), "('1', a) is another key");
    ok(!defined $m->get('a'), 'the string is another key');
    ok($m->exists(tuple(1, 'a')), 'exists');
    $m->put(tuple(1.0, 'a') => 'y');
    is($m->size, 1, 'an equal tuple replaces the value');
    my ($k) = $m->keys;
    isa_ok($k, 'Pmemkit::Tuple', 'a key read back');
    ok(is_int($k->[0]), 'the key keeps the types it was stored with');
    is($m->get($k), 'y', 'and finds its entry');
    my $nested = tuple(2, tuple(3.5, bytes("\x04")));
    $m->put($nested => 2);
    is($m->get(tuple(2, tuple(3.5, bytes("\x04")))), 2, 'a nested tuple key');
    ok(!defined $m->get(tuple(2, tuple(3.5, "\x04"))), 'bytes and text items differ');
    my %seen;
    $m->each(sub { $seen{"$_[0]"} = $_[1] });
    is_deeply(\%seen, { "Pmemkit::tuple(1, 'a')" => 'y',
        'Pmemkit::tuple(2, Pmemkit::tuple(3.5, Pmemkit::bytes("\x04")))' => 2 }, 'each');
    my ($back) = grep { $_->[0] == 2 } $m->keys;
    isa_ok($back->[1], 'Pmemkit::Tuple', 'a nested item');
    isa_ok($back->[1][1], 'Pmemkit::Bytes', 'a bytes item');
    ok(is_float($back->[1][0]), 'a float item');
    is($m->get($back), 2, 'the key read back finds its entry');
    is($m->delete(tuple(2, tuple(3.5, bytes("\x04")))), 2, 'delete returns the value');
    is($m->size, 1, 'and removes it');
    # items as keys are: a string is text, Latin-1 as its characters
    $m->put(tuple("caf\xe9") => 'latin1');
    is($m->get(tuple('café')), 'latin1', 'string items are text');
    # numbers of every kind, big integers, undef and booleans
    my $big = Math::BigInt->new(2)**70;
    $m->put(tuple($big, undef, !!0, -1) => 'mixed');
    is($m->get(tuple(Math::BigInt->new(2)**70, undef, 0, -1.0)), 'mixed',
        'a big integer, undef, false as 0, -1.0');
    my ($mixed) = grep { $m->get($_) eq 'mixed' } $m->keys;
    isa_ok($mixed->[0], 'Math::BigInt', 'a big integer item read back');
    is($mixed->[0], $big, 'its value');
    ok(!defined $mixed->[1], 'undef');
    no warnings 'experimental::builtin';
    ok(builtin::is_bool($mixed->[2]) && !$mixed->[2], 'a boolean item');
    $m->put(tuple() => 'empty');
    is($m->get(tuple()), 'empty', 'is a key too');
}

# keys through a tied hash: perl passes the tuple to the tie unstringified
{
    $root->put(h => {});
    tie my %h, 'Pmemkit::Map::Tie', $root->get('h');
    $h{tuple(1, 'a')} = 'x';
    is($h{tuple(1, 'a')}, 'x', '$h{tuple(...)}');
    is($h{tuple(1.0, 'a')}, 'x', 'an equal tuple finds it');
    ok(exists $h{tuple(1, 'a')}, 'exists');
    ok(!exists $h{"Pmemkit::tuple(1, 'a')"}, 'its string is another key');
    my @k = keys %h;
    is(scalar @k, 1, 'keys');
    isa_ok($k[0], 'Pmemkit::Tuple', 'keys %h gives the tuple');
    is($h{ $k[0] }, 'x', 'which finds its entry');
    while (my ($k, $v) = each %h) {
        isa_ok($k, 'Pmemkit::Tuple', 'each %h');
    }
    $h{tuple(2)}++;
    $h{tuple(2)} += 5;
    is($h{tuple(2)}, 6, '++ and += with a tuple key');
    $h{tuple('n')}{deep} = 1;
    is($root->get('h')->get(tuple('n'))->get('deep'), 1, 'autovivification under a tuple key');
    is(delete $h{tuple(2)}, 6, 'delete');
    # Perl's $h{1, 'a'} is the string join($;, 1, 'a'), not a tuple
    $h{1, 'a'} = 'joined';
    is($root->get('h')->get(join $;, 1, 'a'), 'joined', '$h{1, "a"} is a string key');
    is($h{tuple(1, 'a')}, 'x', 'and not the tuple');
    # the root through %$map
    my $hm = $root->get('h');
    is($hm->{tuple(1, 'a')}, 'x', '$map->{tuple(...)}');
    untie %h;
}

# tuples as values, in lists, as set elements
{
    $root->put(v => tuple(1, 'two', 3.5));
    my $v = $root->get('v');
    isa_ok($v, 'Pmemkit::Tuple', 'a tuple value');
    ok($v == tuple(1, 'two', 3.5), 'reads back equal');
    $root->put(v2 => $v);
    ok($root->get('v2') == $v, 'stores again as the same tuple');
    my $l = $pool->new_list([tuple(1), tuple(2, 3)]);
    $root->put(l => $l);
    isa_ok($l->get(1), 'Pmemkit::Tuple', 'a list item');
    push @$l, tuple('p');
    is($l->get(-1)->[0], 'p', 'push @$list');
    my $s = $pool->new_set([tuple(1, 2), tuple(1.0, 2), tuple('x')]);
    $root->put(s => $s);
    is($s->size, 2, 'equal tuples are one element');
    ok($s->contains(tuple(!!1, 2)), 'contains an equal tuple');
    my @e = grep { ref } $s->members;
    is(scalar @e, 2, 'members are tuples');
    isa_ok($e[0], 'Pmemkit::Tuple');
    is(scalar $s->intersection([tuple(1, 2.0), 'x']), 1, 'set operations');
    $root->put(s2 => set(tuple(1), 1));
    is($root->get('s2')->size, 2, 'Pmemkit::set() of a tuple and a number');
    dies_with(sub { $pool->new_array('i32', [tuple(1)]) }, 'Pmemkit::Error',
        'a typed array takes no tuple');
}

# persistence
{
    $pool->close;
    my $p = Pmemkit::Pool->open($path);
    my $m = $p->root->get('m');
    is($m->get(tuple(1, 'a')), 'y', 'tuple keys after reopening');
    ok($p->root->get('v') == tuple(1, 'two', 3.5), 'tuple values after reopening');
    ok($p->check->{ok}, 'the pool checks');
    $p->close;
}

done_testing;
