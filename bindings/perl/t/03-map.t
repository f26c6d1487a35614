# Maps: the methods and the tied hash.
use strict;
use warnings;
use Test::More;
use PkTest;

my $pool = new_pool();
my $root = $pool->root;
my $m = $pool->new_map;
$root->put(m => $m);

$m->put(a => 1, b => 2, c => 3);
is($m->size, 3, 'put several pairs');
is($m->get('b'), 2, 'get');
ok(!defined $m->get('zz'), 'get of an absent key is undef');
is($m->fetch('a'), 1, 'fetch');
ok($m->exists('a'), 'exists');
ok(!$m->exists('zz'), 'exists: absent');
$m->put(n => undef);
ok($m->exists('n') && !defined $m->get('n'), 'a stored undef exists');
is_deeply([sort $m->keys], [qw(a b c n)], 'keys');
is_deeply([sort grep { defined } $m->values], [1, 2, 3], 'values');
is($m->delete('n'), undef, 'delete returns the value');
is($m->delete('a'), 1, 'delete returns the value (1)');
ok(!defined $m->delete('zz'), 'delete of an absent key is undef');
ok(!$m->delete('zz'), '... also in void context');
is($m->size, 2, 'size after delete');

# the iterator and each
my %seen;
my $it = $m->iterator;
while (my ($k, $v) = $it->()) {
    $seen{$k} = $v;
}
is_deeply(\%seen, { b => 2, c => 3 }, 'iterator');
my %each;
$m->each(sub { $each{$_[0]} = $_[1] });
is_deeply(\%each, { b => 2, c => 3 }, 'each');
$it = $m->iterator;
$it->();
$m->put(new => 1);
dies_with(sub { $it->() }, 'Pmemkit::Error::Changed', 'adding a key while iterating');
$it = $m->iterator;
$it->();
$m->put(b => 20);
ok(scalar(() = $it->()), 'replacing a value does not disturb an iterator');

# deleting a container returns a plain copy
$m->put(sub => { x => [1, 2] });
is_deeply($m->delete('sub'), { x => [1, 2] }, 'delete gives a plain copy of a container');
ok($pool->check->{ok}, 'the deleted container is freed');

# the same container stored twice
my $shared = $pool->new_list([1]);
$m->put(s1 => $shared, s2 => $shared);
$m->get('s1')->push(2);
is_deeply($m->get('s2')->to_array, [1, 2], 'two references to one list');
ok($m->get('s1')->same_as($m->get('s2')), 'same_as');
ok(!$m->get('s1')->same_as($pool->new_list), '... and not');

$m->clear;
is($m->size, 0, 'clear');

# the tied hash
tie my %h, 'Pmemkit::Map::Tie', $m;
$h{x} = 1;
$h{y} = [1, 2];
$h{z} = { deep => 'yes' };
is($m->get('x'), 1, 'STORE');
is($h{x}, 1, 'FETCH');
ok(!defined $h{nope}, 'FETCH of an absent key');
ok(exists $h{y}, 'EXISTS');
ok(!exists $h{nope}, 'EXISTS: absent');
is($h{y}->get(1), 2, 'a nested list through the hash');
is($h{z}->get('deep'), 'yes', 'a nested map');
is_deeply([sort keys %h], [qw(x y z)], 'FIRSTKEY/NEXTKEY');
my %copy;
while (my ($k, $v) = each %h) {
    $copy{$k} = ref $v ? ref $v : $v;
}
is_deeply(\%copy, { x => 1, y => 'Pmemkit::List', z => 'Pmemkit::Map' }, 'each on the tied hash');
is(scalar(%h), 3, 'SCALAR');
is(delete $h{x}, 1, 'DELETE');
ok(!exists $h{x}, 'deleted');
%h = (p => 1, q => 2);
is_deeply([sort keys %h], [qw(p q)], 'CLEAR and list assignment');
is($m->size, 2, '... on the map');
my $href = $m->tied_hash;
$href->{r} = 3;
is($m->get('r'), 3, 'tied_hash');
$h{$_}++ for qw(p q);
is_deeply($m->to_hash, { p => 2, q => 3, r => 3 }, 'increments through the hash');
untie %h;

# a map survives reopening
my $path = $pool->path;
$pool->close;
undef $_ for $root, $m, $href, $shared;
$pool = Pmemkit::Pool->open($path);
is_deeply($pool->root->get('m')->to_hash, { p => 2, q => 3, r => 3 }, 'persistent');
$pool->close;

done_testing;
