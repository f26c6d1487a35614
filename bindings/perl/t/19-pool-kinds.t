# Kinds of pool and how they are opened: growing pools (a maximum or
# none), fixed ones, replicas and repair, read-only opens, process-durable
# mode on an ordinary disk, sync, defrag; the options and their errors.
use strict;
use warnings;
use utf8;
use Test::More;
use PkTest qw(:DEFAULT dies_like);
use Pmemkit qw(set tuple frozen_set);
use Digest::SHA ();
use Errno ();
use File::Temp ();
use POSIX ();

package Point {
    use parent -norequire, 'Pmemkit::Object';
    Point->attributes(qw(x y));
}

package main;

Pmemkit::register(Point => 'Point');

my $MIB = 1 << 20;
my $MIN = Pmemkit::MIN_POOL_SIZE;

# the file's bytes, and its modification time
sub digest { Digest::SHA->new(256)->addfile($_[0], 'b')->hexdigest }
sub mtime  { (stat $_[0])[9] }

# a string of $n bytes that differs with $i (so that no two compress or
# share pages)
sub blob { my ($i, $n) = @_; substr(("$i:" . ('x' x 61) . "\n") x ($n / 64 + 1), 0, $n) }

# ---- options ----------------------------------------------------------------
{
    dies_like(sub { Pmemkit::Pool->create(pool_path(), sise => 1) },
        qr/\APmemkit::Pool->create: unknown option\(s\): sise at \Q${\__FILE__}\E line/,
        'create: an unknown option croaks, naming it and the caller');
    dies_like(sub { Pmemkit::Pool->create(pool_path(), maxsize => 1) },
        qr/unknown option\(s\): maxsize/, 'create: a misspelt max_size');
    dies_like(sub { Pmemkit::Pool->create(pool_path(), readonly => 1) },
        qr/readonly is an option of open, not of create/, 'create: readonly');
    my $p = Pmemkit::Pool->create(pool_path(), size => 16 * $MIB);
    my $path = $p->path;
    $p->close;
    dies_like(sub { Pmemkit::Pool->open($path, read_only => 1) },
        qr/\APmemkit::Pool->open: unknown option\(s\): read_only at /,
        'open: an unknown option croaks');
    dies_like(sub { Pmemkit::Pool->open($path, size => 1) },
        qr/unknown option\(s\): size/, 'open: a create option');
    dies_like(sub { Pmemkit::Pool->open($path, readonly => 1, bogus => 1, zz => 2) },
        qr/unknown option\(s\): bogus zz/, 'open: all unknown options named');
    my $e = dies_with(sub { Pmemkit::Pool->open($path, readonly => 1,
                process_durable => 1) }, 'Pmemkit::Error::OSError',
        'readonly and process_durable together: refused by the library');
    is($e->errno, Errno::EINVAL(), '... EINVAL');
    # false values are the defaults
    my $q = Pmemkit::Pool->open($path, readonly => 0, process_durable => undef);
    ok(!$q->is_readonly && !$q->is_process_durable, 'false options: a plain open');
    $q->root->put(k => 1);
    $q->close;
    ok(!$q->is_readonly, 'is_readonly after close');

    my $bad = pool_path();
    for my $case (['size', 'abc'], ['size', -1], ['size', 1.5], ['size', []],
                  ['max_size', 'lots'], ['max_size', -8], ['mode', 'rw']) {
        my ($opt, $v) = @$case;
        dies_like(sub { Pmemkit::Pool->create($bad, $opt => $v) },
            qr/\APmemkit::Pool->create: $opt must be a non-negative integer/,
            "create: $opt => " . (ref $v ? 'a reference' : "'$v'") . ' croaks');
    }
    dies_like(sub { Pmemkit::Pool->create($bad, max_size => '18446744073709551616') },
        qr/max_size 18446744073709551616 is too large/, 'create: a max_size above 2**64 - 1');
    dies_like(sub { Pmemkit::Pool->create($bad, size => Math::BigInt->new(2)**70) },
        qr/size 1180591620717411303424 is too large/, 'create: a Math::BigInt size too large');
    dies_like(sub { Pmemkit::Pool->create($bad, size => $MIN, mode => 0100000) },
        qr/mode 0100000 is not a permission mode/, 'create: a mode out of range');
    $e = dies_with(sub { Pmemkit::Pool->create($bad, size => 4096) },
        'Pmemkit::Error::OSError', 'create: a size below the minimum');
    is($e->errno, Errno::EINVAL(), '... EINVAL');
    like($e->message, qr/below the minimum/, '... saying so');
    $e = dies_with(sub { Pmemkit::Pool->create($bad, size => 32 * $MIB,
                max_size => 16 * $MIB) }, 'Pmemkit::Error::OSError',
        'create: a max_size below the size');
    is($e->errno, Errno::EINVAL(), '... EINVAL');
    like("$e", qr/maximum size 16777216 is below the size 33554432 at \Q${\__FILE__}\E line \d+\.\n\z/,
        '... saying so, at the caller');
    $e = dies_with(sub { Pmemkit::Pool->create($bad, max_size => 4 * $MIB) },
        'Pmemkit::Error::OSError', 'create: a max_size below the minimum pool size');
    like($e->message, qr/maximum size 4194304 is below the minimum $MIN/, '... saying so');
    $e = dies_with(sub { Pmemkit::Pool->create($bad, replica => $bad) },
        'Pmemkit::Error::OSError', 'create: a replica that is the pool');
    like($e->message, qr/is the pool itself/, '... saying so');
    is($e->errno, Errno::EINVAL(), '... EINVAL');
    dies_like(sub { Pmemkit::Pool->create($bad, replica => '') },
        qr/\APmemkit::Pool->create: replica is an empty path at /,
        'create: an empty replica path croaks (it would be no replica)');
    dies_like(sub { Pmemkit::Pool->create($bad, replica => [1]) },
        qr/replica must be a path, not a reference/, 'create: a replica that is a reference');
    ok(!-e $bad, 'no file is left by a refused create');
    dies_like(sub { Pmemkit::Pool->repair(undef) }, qr/expected a path/,
        'repair: no path');
}

# ---- growing pools -----------------------------------------------------------
{
    my $path = pool_path('grow');
    my $pool = Pmemkit::Pool->create($path);
    ok(-f $path, 'a pool without a size: its poolset file');
    ok(-d "$path.parts", '... and its parts directory');
    my $first = $pool->stats->{size};
    is($pool->stats->{max_size}, Pmemkit::DEFAULT_MAX_POOL_SIZE, 'stats: max_size, the default');
    is(Pmemkit::DEFAULT_MAX_POOL_SIZE, 32 << 30, 'DEFAULT_MAX_POOL_SIZE: 32 GiB');
    cmp_ok($pool->stats->{free}, '>', 0, 'stats: free');
    ok($first >= $MIN && $first < 4 * $MIN, "it starts small ($first bytes)");
    my $root = $pool->root;
    my $n = 0;
    my $chunk = 1 * $MIB;
    while ($pool->stats->{used} < 10 * $first) {
        $root->put("b$n" => Pmemkit::bytes(blob($n, $chunk)));
        $n++;
    }
    my $size = $pool->stats->{size};
    cmp_ok($size, '>=', 10 * $first, "it took 10x its first size ($n MiB; now $size bytes)");
    ok((grep { $_ ne 'b' . ($n - 1) } keys %$root) >= $n - 1, 'every value is there');
    $pool->close;
    $pool = Pmemkit::Pool->open($path);
    $root = $pool->root;
    is($root->size, $n, 'reopened: every key');
    my $bad = grep { $root->get("b$_") ne blob($_, $chunk) } 0 .. $n - 1;
    is($bad, 0, 'reopened: every value intact');
    ok($pool->check->{ok}, 'check: healthy');
    $pool->close;

    # read-only: no part changes
    my @files = ($path, glob "$path.parts/*");
    cmp_ok(scalar @files, '>', 2, 'the pool has several parts');
    my %sum = map { $_ => digest($_) } @files;
    my $ro = Pmemkit::Pool->open($path, readonly => 1);
    is($ro->root->get('b3'), blob(3, $chunk), 'a growing pool opens read-only');
    dies_with(sub { $ro->root->put("b$n" => 'more') }, 'Pmemkit::Error::ReadOnly',
        '... and refuses writes');
    $ro->close;
    is_deeply({ map { $_ => digest($_) } $path, glob "$path.parts/*" }, \%sum,
        '... leaving every part as it was');

    my $e = dies_with(sub { Pmemkit::Pool->create($path) }, 'Pmemkit::Error::OSError',
        'creating over an existing growing pool');
    is($e->errno, Errno::EEXIST(), '... EEXIST');
    my $fixed = new_pool();
    $fixed->close;
    $e = dies_with(sub { Pmemkit::Pool->create($fixed->path) }, 'Pmemkit::Error::OSError',
        'a growing pool over an existing file');
    is($e->errno, Errno::EEXIST(), '... EEXIST');
}

# a maximum: OutOfSpace when reached, and the pool usable after
{
    my $path = pool_path('max');
    my $max = 24 * $MIB;
    my $pool = Pmemkit::Pool->create($path, max_size => $max);
    my $root = $pool->root;
    my ($n, $err) = (0);
    while ($n < 1000) {
        last unless eval { $root->put("k$n" => Pmemkit::bytes(blob($n, 256 << 10))); 1 };
        $n++;
    }
    $err = $@;
    ok(Scalar::Util::blessed($err) && $err->isa('Pmemkit::Error::OutOfSpace'),
        "filling it dies OutOfSpace (after $n values)")
        or diag("got: $err");
    like("$err", qr/pool is out of space.* at \Q${\__FILE__}\E line/, '... with the message');
    my $st = $pool->stats;
    cmp_ok($st->{size}, '<=', $max, 'the pool stayed within its maximum');
    is($st->{max_size}, $max, 'stats: max_size');
    cmp_ok($st->{free}, '<=', $max - $st->{used}, 'stats: free, at most max_size less used');
    cmp_ok($n, '>', 0, 'and took values up to it');
    ok(!$root->exists("k$n"), 'the value that did not fit is not there');
    is($root->size, $n, 'the others are');
    # usable after: delete some, store again
    $root->delete("k$_") for 0 .. 9;
    $root->put(after => 'still works');
    is($root->get('after'), 'still works', 'usable after OutOfSpace');
    $pool->transaction(sub { $root->put(tx => [1, 2, 3]) });
    is_deeply($root->get('tx')->to_array, [1, 2, 3], 'transactions too');
    $pool->close;
    $pool = Pmemkit::Pool->open($path);
    is($pool->root->get('after'), 'still works', 'reopened: kept');
    is($pool->root->size, $n - 10 + 2, 'reopened: every value');
    ok($pool->check->{ok}, 'check: healthy');
    $pool->close;
}

# a size and a maximum: starts at the size, grows to the maximum
{
    my $path = pool_path('sizemax');
    my $pool = Pmemkit::Pool->create($path, size => 16 * $MIB, max_size => 64 * $MIB);
    cmp_ok($pool->stats->{size}, '>=', 16 * $MIB - $MIB, 'starts at about its size');
    my $root = $pool->root;
    $root->put("v$_" => Pmemkit::bytes(blob($_, $MIB))) for 1 .. 30;
    cmp_ok($pool->stats->{size}, '>', 16 * $MIB, 'and grows');
    $pool->close;
}

# a fixed pool is one file of its size for good
{
    my $path = pool_path('fixed');
    my $pool = Pmemkit::Pool->create($path, size => $MIN);
    is(-s $path, $MIN, 'a fixed pool: one file of its size');
    is($pool->stats->{max_size}, $MIN, 'stats: a fixed pool\'s max_size is its size');
    my $root = $pool->root;
    my $e = eval {
        $root->put("k$_" => Pmemkit::bytes(blob($_, 256 << 10))) for 1 .. 100;
        1;
    } ? undef : $@;
    isa_ok($e, 'Pmemkit::Error::OutOfSpace', 'it does not grow');
    is(-s $path, $MIN, 'still its size');
    $pool->close;
}

# ---- read-only ----------------------------------------------------------------
{
    my $path = pool_path('ro');
    my $pool = Pmemkit::Pool->create($path, size => 16 * $MIB);
    my $root = $pool->root;
    $root->put(n => 1, s => 'text', list => [1, 2, 3], map => { a => 1 },
        set => set('x', 'y'), fset => frozen_set(1), tuple => tuple(1, 'a'));
    $root->put(array => $pool->new_array('i32', [1, 2, 3]));
    $root->put(log => $pool->new_log(['r0', 'r1']));
    $root->put(blocks => $pool->new_blocks(512, 2));
    $root->put(point => Point->new(x => 1, y => 2));
    $pool->close;
    utime undef, undef, $path;
    my ($sum, $mtime) = (digest($path), mtime($path));
    sleep 1;

    my $ro = Pmemkit::Pool->open($path, readonly => 1);
    ok($ro->is_readonly, 'is_readonly');
    ok($ro->readonly, 'readonly (the option\'s name)');
    ok(!$ro->is_process_durable, 'not process_durable');
    $root = $ro->root;
    # reads and iteration work
    is($root->get('n'), 1, 'get');
    is($root->fetch('s'), 'text', 'fetch');
    is_deeply([sort $root->keys], [sort qw(n s list map set fset tuple array log blocks point)], 'keys');
    my %h = %$root;
    is(scalar keys %h, 11, '%$root');
    is_deeply($root->get('list')->to_array, [1, 2, 3], 'a list');
    is_deeply([@{ $root->{list} }], [1, 2, 3], '@{ $h{list} }');
    my $c = 0;
    $root->each(sub { $c++ });
    is($c, 11, 'each');
    my $it = $root->get('list')->iterator;
    my @got;
    while (my (undef, $v) = $it->()) { push @got, $v }
    is_deeply(\@got, [1, 2, 3], 'an iterator');
    is_deeply($root->get('array')->to_array, [1, 2, 3], 'an array');
    is_deeply([$root->get('log')->elements], ['r0', 'r1'], 'a log');
    is(length $root->get('blocks')->get(0), 512, 'a block');
    ok($root->get('set')->contains('x'), 'a set');
    is($root->get('point')->x, 1, 'a record');
    is_deeply($root->to_hash->{map}, { a => 1 }, 'to_hash');
    ok($ro->check->{ok}, 'check');
    ok($ro->stats->{objects} > 0, 'stats');
    cmp_ok($ro->sizeof($root, deep => 1), '>', 0, 'sizeof');
    is($ro->prefault, undef, 'prefault');

    # every write dies ReadOnly, with the message, at the caller
    my $tie = $root->tied_hash;
    my ($list, $map, $arr, $log, $blocks, $s, $pt) =
        map { $root->get($_) } qw(list map array log blocks set point);
    my @writes = (
        'put'                 => sub { $root->put(k => 1) },
        'put of a hash'       => sub { $root->put(k => { a => 1 }) },
        'put replacing'       => sub { $root->put(n => 2) },
        'delete'              => sub { $root->delete('n') },
        'clear'               => sub { $root->clear },
        '$h{k} = v'           => sub { $tie->{k} = 1 },
        '$h{n}++'             => sub { $tie->{n}++ },
        'delete $h{k}'        => sub { delete $tie->{n} },
        '%h = ()'             => sub { %$tie = () },
        'autovivification'    => sub { $tie->{new}{a}{b} = 1 },
        '$root->{k} = v'      => sub { $root->{k} = 1 },
        '$m->{a} = v'         => sub { $root->{map}{a} = 2 },
        'list set'            => sub { $list->set(0, 9) },
        'list push'           => sub { $list->push(4) },
        'list pop'            => sub { $list->pop },
        'list shift'          => sub { $list->shift },
        'list unshift'        => sub { $list->unshift(0) },
        'list insert'         => sub { $list->insert(1, 'x') },
        'list splice'         => sub { $list->splice(0, 1) },
        'list clear'          => sub { $list->clear },
        'push @$list'         => sub { push @$list, 4 },
        '$list->[0] = v'      => sub { $list->[0] = 7 },
        '$list->[9] = v'      => sub { $list->[9] = 7 },
        'pop @$list'          => sub { pop @$list },
        'splice @$list'       => sub { splice @$list, 1, 1, 'a', 'b' },
        '@$list = ()'         => sub { @$list = () },
        '$#$list = 0'         => sub { $#$list = 0 },
        'array set'           => sub { $arr->set(0, 5) },
        'array write'         => sub { $arr->write(0, 5, 6) },
        'array resize'        => sub { $arr->resize(10) },
        '$array->[0] = v'     => sub { $arr->[0] = 5 },
        'log append'          => sub { $log->append('r2') },
        'log clear'           => sub { $log->clear },
        'blocks set'          => sub { $blocks->set(0, 'data') },
        'blocks zero'         => sub { $blocks->set(0, 'x'); $blocks->zero(0) },
        'blocks set_error'    => sub { $blocks->set_error(1) },
        'blocks grow'         => sub { $blocks->grow(1) },
        'blocks append'       => sub { $blocks->append('b') },
        '$blocks->[0] = v'    => sub { $blocks->[0] = 'y' },
        'set add'             => sub { $s->add('z') },
        'set remove'          => sub { $s->remove('x') },
        'set retain'          => sub { $s->retain('x') },
        'set clear'           => sub { $s->clear },
        'record set'          => sub { $pt->set(x => 5) },
        'record accessor'     => sub { $pt->x(5) },
        '$obj->{x} = v'       => sub { $pt->{x} = 5 },
        'record delete'       => sub { $pt->delete('y') },
        'storing an object'   => sub { $root->put(p2 => Point->new(x => 0, y => 0)) },
        'new_map'             => sub { $ro->new_map },
        'new_list'            => sub { $ro->new_list([1]) },
        'new_array'           => sub { $ro->new_array('u8', 4) },
        'new_log'             => sub { $ro->new_log },
        'new_blocks'          => sub { $ro->new_blocks(512, 1) },
        'new_set'             => sub { $ro->new_set(['a']) },
        'new_object'          => sub { $ro->new_object('Point', x => 1) },
        'transaction'         => sub { $ro->transaction(sub { 1 }) },
        'gc'                  => sub { $ro->gc },
        'defrag'              => sub { $ro->defrag },
        'sync'                => sub { $ro->sync },
    );
    while (my ($name, $code) = splice @writes, 0, 2) {
        my $ok = eval { $code->(); 1 };
        my $e = $@;
        ok(!$ok && Scalar::Util::blessed($e) && $e->isa('Pmemkit::Error::ReadOnly'),
            "read-only: $name dies Pmemkit::Error::ReadOnly")
            or diag('got: ' . ($ok ? 'no error' : $e));
        like("$e", qr/pool is open read-only.* at \Q${\__FILE__}\E line \d+\.\n\z/s,
            "... with the message, at the caller") if !$ok && ref $e;
    }
    my $e = dies_with(sub { $root->put(k => 1) }, 'Pmemkit::Error::ReadOnly', 'the error object');
    is($e->name, 'PK_EREADONLY', 'name');
    is($e->class, 'ReadOnly', 'class');
    cmp_ok($e->code, '<', 0, 'code');
    ok((grep { $_ eq 'ReadOnly' } Pmemkit::Error->classes), 'ReadOnly is one of Pmemkit::Error->classes');
    ok(Pmemkit::Error::ReadOnly->isa('Pmemkit::Error'), 'a Pmemkit::Error');

    # nothing changed, seen from the pool
    is($root->get('n'), 1, 'the value is as it was');
    ok(!$root->exists('k') && !$root->exists('new') && !$root->exists('p2'), 'no new key');
    is_deeply($list->to_array, [1, 2, 3], 'the list is as it was');
    is_deeply([$log->elements], ['r0', 'r1'], 'the log is as it was');
    is($blocks->size, 2, 'the block array is as it was');
    is($blocks->get(0), "\0" x 512, '... its blocks too');
    is_deeply([sort $s->members], ['x', 'y'], 'the set is as it was');
    is($pt->x, 1, 'the record is as it was');
    $ro->close;
    is(digest($path), $sum, 'read-only: the file\'s bytes are unchanged');
    is(mtime($path), $mtime, '... and its modification time');
    my $again = Pmemkit::Pool->open($path);
    ok(!$again->is_readonly, 'a read-write open after it');
    $e = dies_with(sub { Pmemkit::Pool->open($path, readonly => 1) },
        'Pmemkit::Error::OSError', 'a read-only open beside a read-write one');
    is($e->errno, Errno::EAGAIN(), '... EAGAIN: no open shares the file');
    is($again->root->get('n'), 1, '... finds the data');
    $again->close;

    # a file the process may not write opens read-only
    $sum = digest($path);
    chmod 0400, $path;
    my $ro2 = Pmemkit::Pool->open($path, readonly => 1);
    is($ro2->root->get('s'), 'text', 'a file without write permission: read-only open reads');
    dies_with(sub { $ro2->root->put(s => 'x') }, 'Pmemkit::Error::ReadOnly', '... and refuses writes');
    $ro2->close;
    is(digest($path), $sum, '... and leaves the bytes');
    $e = dies_with(sub { Pmemkit::Pool->open($path) }, 'Pmemkit::Error::OSError',
        'a read-write open of it dies');
    is($e->errno, Errno::EACCES(), '... EACCES');
    chmod 0600, $path;
}

# ---- defrag ---------------------------------------------------------------------
{
    my $pool = new_pool();
    my $root = $pool->root;
    my $n = 2000;
    $pool->transaction(sub {
        $root->put("k$_" => { i => $_, s => 'v' x ($_ % 200) }) for 0 .. $n - 1;
    });
    my $used = $pool->stats->{used};
    $pool->transaction(sub {
        $root->delete("k$_") for grep { $_ % 10 } 0 .. $n - 1;
    });
    my $held = $root->get('k10');
    my $rep = $pool->defrag;
    is(ref $rep, 'HASH', 'defrag returns a hash ref');
    is_deeply([sort keys %$rep], [sort qw(objects moved moved_bytes freed_bytes)],
        '... of objects, moved, moved_bytes, freed_bytes');
    cmp_ok($rep->{objects}, '>', 0, "objects considered: $rep->{objects}");
    cmp_ok($rep->{moved}, '<=', $rep->{objects}, "moved: $rep->{moved}");
    cmp_ok($rep->{moved_bytes}, '>=', 0, "moved_bytes: $rep->{moved_bytes}");
    cmp_ok($rep->{freed_bytes}, '>=', 0, "freed_bytes: $rep->{freed_bytes}");
    cmp_ok($pool->stats->{used}, '<', $used, 'the pool uses less than before the deletes');
    is($root->size, $n / 10, 'every value left is there');
    my $bad = grep { my $m = $root->get("k$_"); $m->get('i') != $_
            || $m->get('s') ne 'v' x ($_ % 200) } map { $_ * 10 } 0 .. $n / 10 - 1;
    is($bad, 0, '... intact');
    ok($pool->check->{ok}, 'check after defrag');
    is($held->get('i'), 10, 'a container held across defrag reads');
    $held->put(j => 'after');
    is($root->get('k10')->get('j'), 'after', '... and writes');
    my $again = $pool->defrag;
    is(ref $again, 'HASH', 'a second defrag runs');
    dies_with(sub { $pool->transaction(sub { $pool->defrag }) },
        'Pmemkit::Error::Transaction', 'defrag inside a transaction');
    my $path = $pool->path;
    $pool->close;
    $pool = Pmemkit::Pool->open($path);
    is($pool->root->get('k100')->get('i'), 100, 'reopened after defrag');
    $pool->close;
    dies_with(sub { $pool->defrag }, 'Pmemkit::Error::Closed', 'defrag of a closed pool');
}

# after 90% of a full pool is deleted, a large value finds no room until
# defrag gives the emptied runs back
{
    my $pool = Pmemkit::Pool->create(pool_path('frag'), size => 16 * $MIB);
    my $root = $pool->root;
    my $n = 0;
    while (eval { $pool->transaction(sub { $root->put('k' . $n++ => 'v' x 40) for 1 .. 1000 }); 1 }) {}
    isa_ok($@, 'Pmemkit::Error::OutOfSpace', "the pool filled ($n entries)");
    $n = $root->size;
    $root->delete("k$_") for grep { $_ % 10 } 0 .. $n - 1;
    my $left = $root->size;
    cmp_ok($left, '<=', $n / 10 + 1, "90% deleted ($left left)");
    # the largest value that fits now, found by bisection in 64 KiB steps:
    # where the holes fall depends on the pool's random hash key, so a
    # fixed size could happen to fit
    my $step = 64 << 10;
    my $fits = sub {
        my $ok = eval { $root->put(big => Pmemkit::bytes('x' x $_[0])); 1 };
        die $@ unless $ok || (ref $@ && $@->isa('Pmemkit::Error::OutOfSpace'));
        $root->delete('big') if $ok;
        $ok;
    };
    my ($lo, $hi) = (0, 16 * $MIB / $step);    # lo fits, hi does not
    while ($hi - $lo > 1) {
        my $mid = int(($lo + $hi) / 2);
        if ($fits->($mid * $step)) { $lo = $mid } else { $hi = $mid }
    }
    my $want = ($lo + 16) * $step;             # 1 MiB more than fits
    my $st = $pool->stats;
    cmp_ok($st->{size} - $st->{used}, '>', 2 * $want,
        "most of the pool is free ($st->{used} of $st->{size} used), yet $want bytes do not fit");
    my $big = Pmemkit::bytes('x' x $want);
    dies_with(sub { $root->put(big => $big) }, 'Pmemkit::Error::OutOfSpace',
        'a value 1 MiB larger than the largest that fits does not fit');
    my $it = $root->iterator;
    $it->() for 1 .. 3;
    my $rep = $pool->defrag;
    cmp_ok($rep->{moved}, '>', 0, "defrag moved objects ($rep->{moved} of $rep->{objects})");
    cmp_ok($rep->{moved_bytes}, '>', 0, "... $rep->{moved_bytes} bytes");
    cmp_ok($rep->{freed_bytes}, '>', 0, "... and freed $rep->{freed_bytes} bytes");
    ok(eval { $root->put(big => $big); 1 }, 'after defrag the value fits') or diag($@);
    is(length $root->get('big'), $want, '... and reads back');
    is($root->size, $left + 1, 'every entry left is there');
    my $bad = grep { $root->get("k$_") ne 'v' x 40 } grep { !($_ % 10) } 0 .. $n - 1;
    is($bad, 0, '... with its value');
    my $ok = eval { 1 while $it->(); 1 };
    ok($ok || (ref $@ && $@->isa('Pmemkit::Error::Changed')),
        'an iterator made before defrag goes on or dies Changed, as after any change')
        or diag($@);
    ok($pool->check->{ok}, 'check: healthy');
    $pool->close;
}

# ---- replicas and repair -----------------------------------------------------
{
    my $path = pool_path('rep');
    my $replica = pool_path('replica');
    my $pool = Pmemkit::Pool->create($path, size => 16 * $MIB, replica => $replica);
    ok(-f $replica, 'the replica file');
    ok(-f "$path.pmem", 'the pool\'s own data file');
    my $root = $pool->root;
    $root->put("k$_" => { i => $_, s => "value $_" }) for 1 .. 200;
    $root->put(list => [1 .. 100]);
    dies_with(sub { Pmemkit::Pool->repair($path) }, 'Pmemkit::Error::OSError',
        'repair while the pool is open');
    $pool->close;
    is(-s $replica, -s "$path.pmem", 'the replica is the size of the pool');
    Pmemkit::Pool->repair($path);
    pass('repair of a healthy pool does nothing');

    # damage the replica: overwrite bytes of its header
    CORE::open(my $fh, '+<:raw', $replica) or die "$replica: $!";
    sysseek $fh, 0, 0;
    syswrite $fh, "\xde\xad\xbe\xef" x 256;
    close $fh;
    my $e = dies_with(sub { Pmemkit::Pool->open($path) }, 'Pmemkit::Error::PoolError',
        'a pool whose replica is damaged does not open');
    like($e->message, qr/corrupt|damaged/, '... saying so');
    is(Pmemkit::Pool->repair($path), undef, 'repair after damaging the replica');
    $pool = Pmemkit::Pool->open($path);
    $root = $pool->root;
    is($root->size, 201, 'every key is there');
    my $bad = grep { $root->get("k$_")->get('s') ne "value $_" } 1 .. 200;
    is($bad, 0, 'every value is there');
    is_deeply($root->get('list')->to_array, [1 .. 100], 'the list too');
    $root->put(after => 1);
    $pool->close;

    # damage the pool's own copy: the replica has everything
    CORE::open($fh, '+<:raw', "$path.pmem") or die "$path.pmem: $!";
    syswrite $fh, "\0" x 4096;
    close $fh;
    dies_with(sub { Pmemkit::Pool->open($path) }, 'Pmemkit::Error::PoolError',
        'a pool whose own copy is damaged does not open');
    Pmemkit::Pool->repair($path);
    $pool = Pmemkit::Pool->open($path);
    is($pool->root->get('after'), 1, 'repair of the pool\'s own copy from the replica');
    is($pool->root->get('k7')->get('i'), 7, '... keeps every value');
    $pool->close;

    # process_durable is not for a pool with a replica
    my $dpath = pool_path('rep-durable');
    $e = dies_with(sub { Pmemkit::Pool->create($dpath, size => $MIN,
                replica => pool_path('rep-durable-r'), process_durable => 1) },
        'Pmemkit::Error::OSError', 'process_durable with a replica');
    is($e->errno, Errno::EOPNOTSUPP(), '... ENOTSUP');
    ok(!-e $dpath, '... and no file is left');
    $e = dies_with(sub { Pmemkit::Pool->open($path, process_durable => 1) },
        'Pmemkit::Error::OSError', 'opening a replicated pool process_durable');
    is($e->errno, Errno::EOPNOTSUPP(), '... ENOTSUP');

    # a pool without a replica
    my $plain = new_pool();
    my $ppath = $plain->path;
    $plain->close;
    dies_with(sub { Pmemkit::Pool->repair($ppath) }, 'Pmemkit::Error::PoolError',
        'repair of a pool without a replica');
    $e = dies_with(sub { Pmemkit::Pool->repair(pool_path('none')) },
        'Pmemkit::Error::OSError', 'repair of a missing file');
    is($e->errno, Errno::ENOENT(), '... ENOENT');

    # a growing pool with a replica
    my $gpath = pool_path('grep');
    my $grep = pool_path('grep-replica');
    $pool = Pmemkit::Pool->create($gpath, max_size => 64 * $MIB, replica => $grep);
    $pool->root->put(x => 'y');
    $pool->close;
    ok(-d $grep, 'a growing pool\'s replica is a directory of parts');
    Pmemkit::Pool->repair($gpath);
    is(Pmemkit::Pool->open($gpath)->root->get('x'), 'y', 'and repairs');
}

# ---- process-durable mode on an ordinary disk file -------------------------------
{
    # /var/tmp is a disk file system, not tmpfs: the mode's own ground.
    # PkTest sets PMEM_IS_PMEM_FORCE=1, which makes every file persistent
    # memory; the children here run without it.
    my $dir = File::Temp::tempdir('pmemkit-perl-durable-XXXXXX', DIR => '/var/tmp',
        CLEANUP => 1);
    my $path = "$dir/durable.pool";
    local $ENV{PMEM_IS_PMEM_FORCE} = 0;
    my @perl = ($^X, map { "-I$_" } grep { !ref } @INC);
    my $writer = <<'EOF';
use strict; use warnings; use Pmemkit;
my ($path, $create, $kill) = @ARGV;
my $pool = $create
    ? Pmemkit::Pool->create($path, ($create eq 'grow' ? () : (size => 16 << 20)),
        process_durable => 1)
    : Pmemkit::Pool->open($path, process_durable => 1);
die "not process_durable\n" unless $pool->is_process_durable;
my $root = $pool->root;
$root->put("k$_" => "v$_") for 1 .. 100;
$pool->sync;
$root->put(after_sync => [1, 2, 3]);
$root->put(n => ($root->get('n') // 0) + 1);
if ($kill) { $| = 1; print "written\n"; kill 'KILL', $$ }
$pool->close;
print "ok\n";
EOF
    # runs the writer in a child perl; its standard output
    my $run = sub {
        CORE::open(my $fh, '-|', @perl, '-e', $writer, @_) or die "$^X: $!";
        my $out = do { local $/; <$fh> };
        close $fh;
        return $out;
    };
    my $gpath = "$dir/growing.pool";
    my $out = $run->($gpath, 'grow', 0);
    is($out, "ok\n", 'process_durable: a growing pool too') or diag($out);
    my $g = Pmemkit::Pool->open($gpath);
    is($g->root->get('k7'), 'v7', '... reopened');
    $g->close;
    $out = $run->($path, 1, 0);
    is($out, "ok\n", 'process_durable: create, write, sync, close on a /var/tmp file')
        or diag($out);
    $out = $run->($path, 0, 1);
    is($out, "written\n", 'process_durable: a writer SIGKILLed after its writes');
    # read-only first: the crash is recovered in this process's memory only
    my $sum = digest($path);
    my $ro = Pmemkit::Pool->open($path, readonly => 1);
    is($ro->root->get('n'), 2, 'a read-only open of the killed writer\'s pool sees its data');
    ok($ro->stats->{unclean}, '... knows it unclean');
    is($ro->stats->{recovered}, 0, '... and reclaims nothing');
    dies_with(sub { $ro->root->put(n => 3) }, 'Pmemkit::Error::ReadOnly', '... and refuses writes');
    $ro->close;
    is(digest($path), $sum, '... leaving the file as the crash left it');

    my $pool = Pmemkit::Pool->open($path);
    my $root = $pool->root;
    is($root->get('n'), 2, 'nothing acknowledged is lost when the process dies');
    is($root->get('k100'), 'v100', '... synced or not');
    is_deeply($root->get('after_sync')->to_array, [1, 2, 3], '... written after the sync too');
    ok($pool->stats->{unclean}, 'the killed session left the pool unclean');
    ok($pool->check->{ok}, 'and it recovered healthy');
    $pool->close;

    # in this process (with the test's PMEM_IS_PMEM_FORCE): the option is taken
    my $p = Pmemkit::Pool->open($path, process_durable => 1);
    ok($p->is_process_durable, 'is_process_durable');
    $p->root->put(here => 1);
    is($p->sync, undef, 'sync returns nothing');
    $p->close;
    dies_with(sub { $p->sync }, 'Pmemkit::Error::Closed', 'sync of a closed pool');
    my $plain = new_pool();
    is($plain->sync, undef, 'sync of a pool in the default mode: nothing to do');
    $plain->close;
}

# ---- the flag options are the C library's pool-option table --------------
{
    my @rows;
    for (my $i = 0; my $r = Pmemkit::Raw::pk_pool_flag_table($i); $i++) {
        push @rows, [$r->{option}, $r->{value}];
    }
    is_deeply([sort map { $_->[0] } @rows], [qw(process_durable readonly)],
        'the table: readonly and process_durable');
    is(Pmemkit::DEFAULT_MAX_POOL_SIZE, 32 << 30, 'DEFAULT_MAX_POOL_SIZE is 32 GiB');
    my $p = Pmemkit::Pool->create(pool_path(), size => 16 * $MIB);
    my $path = $p->path;
    $p->close;
    for (@rows) {
        my ($name, $bit) = @$_;
        my $q = Pmemkit::Pool->open($path, $name => 1);
        is($q->{flags}, $bit, "open takes $name, with the table's bit");
        $q->close;
        next if $bit == $Pmemkit::Raw::PK_POOL_READONLY;
        $q = Pmemkit::Pool->create(pool_path(), size => 16 * $MIB, $name => 1);
        is($q->{flags}, $bit, "create takes $name, with the table's bit");
        $q->close;
    }
    dies_like(sub { Pmemkit::Pool->open($path, read_only => 1) },
        qr/unknown option\(s\): read_only/, 'open: a name the table lacks');
    dies_like(sub { Pmemkit::Pool->create(pool_path(), readonly_ => 1) },
        qr/unknown option\(s\): readonly_/, 'create: a name the table lacks');
}

done_testing;
