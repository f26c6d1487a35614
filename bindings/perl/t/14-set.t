# Sets: distinct scalar elements with a map key's equality; frozen sets
# read-only; every change of several elements one transaction.
use strict;
use warnings;
use utf8;
use Test::More;
use Math::BigInt;
use Scalar::Util qw(blessed);
use PkTest qw(:DEFAULT dies_like);

# the elements as sorted strings, to compare whatever their order
sub elems { [sort map { blessed $_ ? "$_" : defined $_ ? $_ : '<undef>' } @_] }

my $path = pool_path('set');
my $pool = Pmemkit::Pool->create($path, size => 32 << 20);
my $root = $pool->root;

# storing: the marker makes a set; an array ref stays a list
{
    $root->put(tags => Pmemkit::set('red', 'green', 7));
    my $s = $root->get('tags');
    isa_ok($s, 'Pmemkit::Set');
    ok(!$s->is_frozen, 'not frozen');
    is($s->size, 3, 'size');
    is_deeply(elems($s->members), elems('red', 'green', 7), 'members');
    is(scalar $s->members, 3, 'members in scalar context: how many');
    isa_ok($root->get('tags'), 'Pmemkit::Set', 'read again');
    ok($root->get('tags') == $s, 'the same set ==');
    $root->put(list => [1, 2]);
    isa_ok($root->get('list'), 'Pmemkit::List', 'an array ref is still a list');
    # through a tied hash, and in a list
    tie my %h, 'Pmemkit::Map::Tie', $root;
    $h{seen} = Pmemkit::set(1, 2);
    isa_ok($h{seen}, 'Pmemkit::Set', 'stored through a tied hash');
    ok($h{seen}->contains(2), 'and holds its elements');
    push @{ $h{list} }, Pmemkit::set('x');
    ok($h{list}[2]->contains('x'), 'a set in a list');
    $h{empty} = Pmemkit::set();
    is($h{empty}->size, 0, 'an empty set');
    untie %h;
    # $pool->new_set, stored by reference
    my $n = $pool->new_set([1, 2, 3]);
    $root->put(n => $n);
    ok($root->get('n') == $n, 'new_set stores as itself');
    is($n->size, 3, 'new_set with elements');
}

# add, remove, contains, clear, iterate
{
    my $s = $pool->new_set;
    $root->put(s => $s);
    $s->add('a');
    $s->add('a', 'b', 'c');
    $s->insert('d');
    is($s->size, 4, 'add and insert; duplicates change nothing');
    ok($s->contains('a'), 'contains');
    ok($s->has('a', 'b'), 'has: all of them');
    ok(!$s->includes('a', 'zz'), 'includes: not when one is missing');
    ok(!$s->contains('zz'), 'not there');
    is($s->remove('a'), 1, 'remove: 1 when it was there');
    is($s->remove('a'), 0, 'remove: 0 when it was not');
    is($s->delete('b', 'c', 'nope'), 2, 'delete several: how many were there');
    is_deeply(elems($s->members), ['d'], 'what is left');
    my @seen;
    $s->add('e');
    $s->each(sub { push @seen, $_[0] });
    is_deeply(elems(@seen), ['d', 'e'], 'each');
    my $it = $s->iterator;
    my @it;
    while (my ($e) = $it->()) { push @it, $e }
    is_deeply(elems(@it), ['d', 'e'], 'iterator');
    $it = $s->iterator;
    $it->();
    $s->add('f');
    dies_with(sub { $it->() }, 'Pmemkit::Error::Changed',
        'an iterator dies when the set changes');
    $s->clear;
    is($s->size, 0, 'clear');
    ok($s->is_empty, 'is_empty');
}

# elements: a map key's equality and types
{
    my $s = $pool->new_set([1, 1.0, !!1]);
    is($s->size, 1, '1, 1.0 and true are one element');
    $s->add('1');
    is($s->size, 2, 'the string "1" is another (text)');
    $s->add(Pmemkit::bytes("\x01"), Pmemkit::bytes('1'));
    is($s->size, 4, 'bytes are elements of their own');
    my ($b) = grep { blessed $_ } $s->members;
    isa_ok($b, 'Pmemkit::Bytes', 'a bytes element reads back');
    ok($s->contains($_), 'each member finds itself') for $s->members;
    $s->add(undef, 2.5, Math::BigInt->new(2)**80, "caf\xe9", 'ü');
    ok($s->contains(undef), 'undef');
    ok($s->contains(2.5), 'a float');
    ok($s->contains(Math::BigInt->new(2)**80), 'a big integer');
    ok($s->contains("caf\xe9") && $s->contains('café'),
        'a Latin-1 string is the text (as a map key)');
    is($s->size, 9, 'nine elements');
    my ($big) = grep { blessed $_ && $_->isa('Math::BigInt') } $s->members;
    is($big, Math::BigInt->new(2)**80, 'a big integer reads back');
}

# bad elements: a clear error, nothing changed
{
    my $s = $pool->new_set(['keep']);
    $root->put(bad => $s);
    for my $bad ({}, [], \1, $root, $pool->new_list, $s, sub {}) {
        my $what = blessed $bad || ref $bad;
        dies_with(sub { $s->add('new', $bad) }, 'Pmemkit::Error::KeyType',
            "add dies for $what");
        dies_with(sub { $s->contains($bad) }, 'Pmemkit::Error::KeyType',
            "contains dies for $what");
    }
    is_deeply(elems($s->members), ['keep'], 'nothing was added');
    dies_with(sub { $s->remove('keep', {}) }, 'Pmemkit::Error::KeyType',
        'remove dies for a hash');
    ok($s->contains('keep'), 'nothing was removed');
    dies_with(sub { Pmemkit::set(1, [2]) }, 'Pmemkit::Error::KeyType',
        'Pmemkit::set() checks its elements');
    dies_with(sub { $pool->new_set([1, { a => 1 }]) }, 'Pmemkit::Error::KeyType',
        'new_set checks its elements');
    dies_like(sub { $s->add(Math::BigInt->bnan) }, qr/not a number/,
        'a NaN big integer');
    is($s->size, 1, 'still one element');
    dies_like(sub { $s->union({}) }, qr/expected a set or an array reference/,
        'an operand must be a set or an array ref');
    dies_like(sub { @$s }, qr/Pmemkit::Set is not an array/, '@$set dies');
    dies_like(sub { %$s }, qr/Pmemkit::Set is not a hash/, '%$set dies');
    dies_like(sub { $root->put(Pmemkit::set(1) => 1) }, qr/cannot store an object/,
        'a set is not a map key');
    dies_like(sub { $pool->new_array('i32', [Pmemkit::set(1)]) },
        qr/a Pmemkit::set\(\) value is not a number/, 'a set is not an array element');
}

# atomic: several elements in one transaction; a die undoes all
{
    my $s = $pool->new_set([1, 2, 3]);
    $root->put(atomic => $s);
    eval { $pool->transaction(sub { $s->add(4, 5); $s->remove(1); die "no\n" }) };
    is($@, "no\n", 'the transaction died');
    is_deeply(elems($s->members), [1, 2, 3], 'add and remove undone');
    eval { $pool->transaction(sub { $s->clear; die "no\n" }) };
    is($s->size, 3, 'clear undone');
    is($s->retain(2, 3, 99), 1, 'retain: how many were removed');
    is_deeply(elems($s->members), [2, 3], 'retain kept these');
    eval { $pool->transaction(sub { $s->retain(); die "no\n" }) };
    is($s->size, 2, 'retain undone');
    # a set stored in a transaction that dies is not stored
    eval { $pool->transaction(sub { $root->put(gone => Pmemkit::set(1, 2)); die "no\n" }) };
    ok(!$root->exists('gone'), 'a set stored in an aborted transaction');
    # a batch that runs out of space in C midway leaves nothing behind
    my $small = Pmemkit::Pool->create(pool_path('small'), size => Pmemkit::MIN_POOL_SIZE);
    my $k = $small->new_set(['keep']);
    $small->root->put(k => $k);
    dies_with(sub { $k->add(map { ('x' x 10000) . $_ } 1 .. 5000) },
        'Pmemkit::Error::OutOfSpace', 'a batch too big for the pool');
    is($k->size, 1, 'none of it was added');
    dies_with(sub { $small->root->put(t => Pmemkit::set(map { ('y' x 10000) . $_ } 1 .. 5000)) },
        'Pmemkit::Error::OutOfSpace', 'a set too big for the pool');
    ok(!$small->root->exists('t'), 'is not stored');
    is($small->check->{ok}, 1, 'and leaves the pool healthy');
    $small->close;
}

# the set operations: plain lists
{
    my $s = $pool->new_set([1, 2, 3, 'x']);
    my $t = $pool->new_set([3, 4, 'x']);
    is_deeply(elems($s->union($t)), elems(1, 2, 3, 4, 'x'), 'union with a set');
    is_deeply(elems($s->union([5], [1.0, 6])), elems(1, 2, 3, 5, 6, 'x'),
        'union with array refs; 1.0 is 1');
    is(scalar $s->union($t), 5, 'union in scalar context: how many');
    is_deeply(elems($s->intersection($t)), elems(3, 'x'), 'intersection');
    is_deeply(elems($s->intersection($t, [3])), [3], 'intersection of three');
    is_deeply(elems($s->difference($t)), elems(1, 2), 'difference');
    is_deeply(elems($s->difference([1], [2])), elems(3, 'x'), 'difference of several');
    is_deeply(elems($s->symmetric_difference($t)), elems(1, 2, 4),
        'symmetric_difference');
    is_deeply(elems($s->union(Pmemkit::set(9))), elems(1, 2, 3, 9, 'x'),
        'a Pmemkit::set() operand');
    ok($pool->new_set([1, 2])->is_subset($s), 'is_subset');
    ok(!$s->is_subset($t), 'not a subset');
    ok($s->is_subset([1, 2, 3, 'x', 'y']), 'a subset of an array');
    ok($s->is_superset([1, 'x']), 'is_superset');
    ok(!$s->is_superset($t), 'not a superset');
    ok($s->is_equal(['x', 3, 2, 1, 1.0]), 'is_equal');
    ok(!$s->is_equal([1, 2, 3]), 'not equal');
    ok($s->is_disjoint([7, 8]), 'is_disjoint');
    ok(!$s->is_disjoint($t), 'not disjoint');
    is($s->size, 4, 'the operations change nothing');
}

# the operations, done in Perl, use the set's own equality
{
    my @v = (0, -0.0, !!0, !!1, 1, 1.0, '', undef, '0', '1', 2**63,
        Math::BigInt->new(2)**63, 9223372036854775807, 18446744073709551615,
        Math::BigInt->new(2)**64, 2**64, 9**9**9, 0.5, 2**53 + 0.0,
        Math::BigInt->new(2)**53, -2**63, 'é', "\xc3\xa9", "caf\xe9",
        Pmemkit::bytes('1'), Pmemkit::string('1'));
    my $all = $pool->new_set(\@v);
    is(scalar $pool->new_set->union(\@v), $all->size,
        'union counts the elements C counts');
    ok($all->is_equal(\@v), 'is_equal with the same values');
    my @differ;
    for my $i (0 .. $#v) {
        for my $j ($i + 1 .. $#v) {
            my $two = $pool->new_set([$v[$i], $v[$j]]);
            push @differ, "$i,$j"
                if $two->union([$v[$i], $v[$j]]) != $two->size;
        }
    }
    is_deeply(\@differ, [], 'union agrees with C for every pair');
}

# frozen sets: read-only
{
    $root->put(frozen => Pmemkit::frozen_set('a', 'b'));
    my $f = $root->get('frozen');
    isa_ok($f, 'Pmemkit::FrozenSet');
    isa_ok($f, 'Pmemkit::Set', 'and still');
    ok($f->is_frozen, 'is_frozen');
    ok($f->contains('a'), 'readable');
    is_deeply(elems($f->intersection(['a', 'z'])), ['a'], 'operations work');
    for my $m (qw(add insert remove delete retain clear)) {
        dies_like(sub { $f->$m('a') },
            qr/^Modification of a read-only Pmemkit::FrozenSet attempted \($m\) at \S+14-set\.t line/,
            "$m dies");
    }
    is_deeply(elems($f->members), ['a', 'b'], 'nothing changed');
    my $g = $pool->new_set([1], frozen => 1);
    isa_ok($g, 'Pmemkit::FrozenSet', 'new_set(frozen => 1)');
    dies_like(sub { $pool->new_set([1], cold => 1) }, qr/unknown option/,
        'new_set checks its options');
    # a plain copy of a removed set is a set value, which stores as a set
    my $copy = $root->delete('frozen');
    isa_ok($copy, 'Pmemkit::SetValue', 'delete returns a plain copy');
    ok($copy->is_frozen, 'that keeps frozen');
    $root->put(again => $copy);
    isa_ok($root->get('again'), 'Pmemkit::FrozenSet', 'and stores again');
    is_deeply(elems($root->get('again')->members), ['a', 'b'], 'with its elements');
    is_deeply([sort @{ $copy->TO_JSON }], ['a', 'b'], 'TO_JSON: the elements');
}

# persistence: reopen
{
    $root->get('tags')->add('blue');
    undef $root;
    $pool->close;
    $pool = Pmemkit::Pool->open($path);
    $root = $pool->root;
    is_deeply(elems($root->get('tags')->members), elems('red', 'green', 'blue', 7),
        'the set after reopening');
    isa_ok($root->get('again'), 'Pmemkit::FrozenSet', 'frozen after reopening');
    $pool->gc;    # the sets made and never stored
    is($pool->check->{ok}, 1, 'the pool checks healthy');
    $pool->close;
}

# a frozenset and a set written by Python, and Perl's read by Python
SKIP: {
    skip 'the Python module is not built', 5 unless $ENV{PK_PYTHON};
    my $py = pool_path('pyset');
    run_python(<<'PY', $py);
import sys, pmemkit
with pmemkit.Pool.create(sys.argv[1], size=16 << 20) as p:
    p.root["fs"] = frozenset({1, "two", b"\x03"})
    p.root["s"] = {4.5, None}
PY
    my $p = Pmemkit::Pool->open($py);
    my $fs = $p->root->get('fs');
    isa_ok($fs, 'Pmemkit::FrozenSet', "Python's frozenset");
    ok($fs->contains(1, 'two', Pmemkit::bytes("\x03")), 'its elements');
    dies_like(sub { $fs->add(5) }, qr/read-only/, 'is read-only here');
    my $s = $p->root->get('s');
    ok(!$s->is_frozen && $s->contains(4.5, undef), "Python's set");
    $s->add('from perl');
    $p->root->put(pf => Pmemkit::frozen_set(1, 'x'), ps => Pmemkit::set(2));
    $p->close;
    my $out = run_python(<<'PY', $py);
import sys, pmemkit
with pmemkit.Pool.open(sys.argv[1]) as p:
    r = p.root
    print(type(r["pf"]).__name__, sorted(map(str, r["pf"])),
          type(r["ps"]).__name__, sorted(r["ps"]),
          "from perl" in r["s"])
PY
    is($out, "FrozenSet ['1', 'x'] Set [2] True\n", 'Python reads the sets Perl wrote');
}

done_testing;
