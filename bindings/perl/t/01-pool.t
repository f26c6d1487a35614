# Pools: create, open, close, persistence across reopening, DESTROY.
use strict;
use warnings;
use Test::More;
use PkTest;

my $path = pool_path();
{
    my $pool = Pmemkit::Pool->create($path, size => 16 << 20);
    isa_ok($pool, 'Pmemkit::Pool');
    is($pool->path, $path, 'path');
    ok(!$pool->is_closed, 'open after create');
    my $root = $pool->root;
    isa_ok($root, 'Pmemkit::Map', 'root');
    is($root->size, 0, 'a new root is empty');
    $root->put(answer => 42);
    $pool->close;
    ok($pool->is_closed, 'closed');
    $pool->close;
    pass('closing twice is a no-op');
    dies_with(sub { $root->get('answer') }, 'Pmemkit::Error::Closed',
        'a container of a closed pool');
    dies_with(sub { $pool->root }, 'Pmemkit::Error::Closed', 'root of a closed pool');
}
{
    my $pool = Pmemkit::Pool->open($path);
    is($pool->root->get('answer'), 42, 'data survives closing and reopening');
    dies_with(sub { Pmemkit::Pool->open($path) }, 'Pmemkit::Error::OSError',
        'a pool open twice');
    my $stats = $pool->stats;
    is($stats->{size}, 16 << 20, 'stats: size');
    ok($stats->{objects} > 0, 'stats: objects');
    is($stats->{unclean}, 0, 'stats: clean');
    my $check = $pool->check;
    ok($check->{ok}, 'check: healthy');
    is($check->{leaked}, 0, 'check: nothing leaked');
    # DESTROY closes the pool when the last reference (a container's) goes
    my $root = $pool->root;
    undef $pool;
    is($root->get('answer'), 42, 'a container keeps its pool open');
    undef $root;
}
my $again = Pmemkit::Pool->open($path);
pass('reopened after DESTROY closed it');

# unreferenced containers
my $m = $again->new_map({ a => 1 });
is($m->get('a'), 1, 'new_map with contents');
ok(!$again->check->{ok}, 'an unstored container counts as leaked');
undef $m;
ok($again->gc >= 1, 'gc frees it');
ok($again->check->{ok}, 'healthy after gc');
$again->root->put(k => 'v');
is($again->prefault, undef, 'prefault returns nothing');
is($again->root->get('k'), 'v', 'prefault changes no data');
$again->close;
eval { $again->prefault };
isa_ok($@, 'Pmemkit::Error::Closed', 'prefault of a closed pool');

# size defaults and options: without a size a pool grows (t/19-pool-kinds.t)
my $p2 = Pmemkit::Pool->create(pool_path(), size => Pmemkit::DEFAULT_POOL_SIZE);
is($p2->stats->{size}, Pmemkit::DEFAULT_POOL_SIZE, 'DEFAULT_POOL_SIZE: a fixed size');
$p2->close;
eval { Pmemkit::Pool->create(pool_path(), sise => 1) };
like($@, qr/unknown option\(s\): sise/, 'unknown options are refused');
like(Pmemkit::version(), qr/^\d+\.\d+\.\d+$/, 'library version');

done_testing;
