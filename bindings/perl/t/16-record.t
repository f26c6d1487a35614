# Records: the program's classes (Pmemkit::Object subclasses registered by
# name) stored as records and read back bound to them; unregistered
# names as Pmemkit::Record; no write is lost silently.
use strict;
use warnings;
use utf8;
use Test::More;
use PkTest qw(:DEFAULT dies_like);
use Pmemkit qw(tuple);

package Point {
    use parent -norequire, 'Pmemkit::Object';
    Point->attributes(qw(x y));
    sub norm2 { my ($self) = @_; $self->x**2 + $self->y**2 }
}

package Labelled {      # declares an attribute named as a method
    use parent -norequire, 'Pmemkit::Object';
    Labelled->attributes(qw(label size));
    sub label { 'own: ' . $_[0]->get('label') }
}

package Free {          # declares nothing: any attribute
    use parent -norequire, 'Pmemkit::Object';
}

package Unregistered {
    use parent -norequire, 'Pmemkit::Object';
}

package main;

Pmemkit::register(Point => 'Point', Labelled => 'Labelled', Free => 'Free');
is(Pmemkit::registered('Point'), 'Point', 'registered');
ok(!defined Pmemkit::registered('Nope'), 'not registered');

my $path = pool_path('record');
my $pool = Pmemkit::Pool->create($path, size => 32 << 20);
my $root = $pool->root;

# the registry and the declarations
{
    dies_like(sub { Pmemkit::register(Thing => 'No::Such::Package') },
        qr/not a subclass of Pmemkit::Object/, 'register takes loaded subclasses only');
    ok(!$INC{'No/Such/Package.pm'}, 'and loads nothing');
    dies_like(sub { Pmemkit::register('' => 'Point') }, qr/non-empty/, 'an empty name');
    dies_like(sub { Pmemkit::register('n' x 1025 => 'Point') }, qr/at most 1024 bytes/,
        'a name longer than 1024 bytes');
    dies_like(sub { Pmemkit::register(R => 'Pmemkit::Record') }, qr/not a subclass/,
        'the generic record is not registered');
    dies_like(sub { Pmemkit::register(Point => 'Free') }, qr/Point is registered for Point already/,
        'a name is one package\'s');
    dies_like(sub { Pmemkit::register(Point2 => 'Point') }, qr/Point is registered as Point already/,
        'a package has one name');
    Pmemkit::register(Point => 'Point');
    is(Pmemkit::registered('Point'), 'Point', 'the same pair again changes nothing');
    is_deeply([Point->attributes], [qw(x y)], 'Class->attributes: the declared names');
    ok(Point->can('x'), 'accessors made');
    is(Labelled->new(label => 'l')->label, 'own: l', "the class's own sub is kept");
    is(Labelled->new(size => 7)->{size}, 7, 'an attribute named as a method, by the hash');
}

# an object made in memory, stored, bound
{
    my $p = Point->new(x => 1, y => 2.5);
    ok(!$p->is_stored, 'new: not stored yet');
    is($p->x, 1, 'reads in memory');
    is($p->class_name, 'Point', 'its class name, from the registry');
    $root->put(p => $p);
    ok($p->is_stored, 'stored: bound to its record');
    my $q = $root->get('p');
    isa_ok($q, 'Point', 'read back');
    isa_ok($q, 'Pmemkit::Object');
    ok($q == $p, 'the same record: ==');
    ok($q eq $p, 'and eq');
    is($q->x, 1, 'accessor');
    is($q->{y}, 2.5, 'hash style');
    is($q->norm2, 7.25, "the class's methods");
    $p->x(3);
    is($root->get('p')->x, 3, 'a write through the stored object reaches the pool');
    $q->{y} = 4;
    is($p->y, 4, 'a write through the hash too');
    $q->set(x => 5, y => 6);
    is_deeply($root->get('p')->to_hash, { x => 5, y => 6 }, 'set of several');
    ok(Point->new(x => 1) != Point->new(x => 1), 'objects not stored are == only to themselves');
    $root->put(p2 => $p);
    ok($root->get('p2') == $root->get('p'), 'storing a stored object stores the same record');
    $p->x(8);
    is($root->get('p2')->x, 8, 'one record in two places');
    $root->delete('p2');
}

# an unstored object's hash
{
    my $p = Point->new(x => 1, y => 2);
    my %seen;
    while (my ($k, $v) = each %$p) { $seen{$k} = $v }
    is_deeply(\%seen, { x => 1, y => 2 }, 'each %$obj of an object not stored');
    my $h = \%$p;
    $h->{x} = 3;
    is($p->x, 3, 'its hash writes the object');
    $root->put(ph => $p);
    $h->{y} = 4;
    is($root->get('ph')->y, 4, 'and, once stored, the pool');
    $root->delete('ph');
}

# the pool makes one
{
    my $p = $pool->new_object('Point', x => 10, y => 20);
    isa_ok($p, 'Point', 'new_object of a registered name');
    ok($p->is_stored, 'in the pool');
    $root->put(made => $p);
    is($root->get('made')->y, 20, 'and stored');
    my $r = $pool->new_object('Elsewhere::Thing', a => 1);
    isa_ok($r, 'Pmemkit::Record', 'new_object of a name not registered');
    $root->put(other => $r);
}

# unknown and missing attributes
{
    my $p = $root->get('p');
    dies_like(sub { $p->{z} = 1 }, qr/^Point has no attribute 'z' \(declared: x y\) at /,
        'writing an undeclared attribute croaks');
    dies_like(sub { my $z = $p->{z} }, qr/has no attribute 'z'/, 'reading one too');
    dies_like(sub { $p->get('z') }, qr/has no attribute 'z'/, 'get');
    dies_like(sub { $p->set(z => 1) }, qr/has no attribute 'z'/, 'set');
    dies_like(sub { $p->set(x => 1, z => 1) }, qr/has no attribute 'z'/, 'set of several: checked first');
    is($p->x, 8, 'and nothing changed');
    dies_like(sub { Point->new(z => 1) }, qr/has no attribute 'z'/, 'new');
    dies_like(sub { $p->z }, qr/Can't locate object method "z" via package "Point"/,
        'no accessor');
    ok(!exists $p->{z}, 'exists is false');
    my $e = $pool->new_object('Point', x => 1);
    ok(!defined $e->y, 'a declared attribute not set reads undef');
    ok(!exists $e->{y}, 'and does not exist');
    dies_with(sub { $e->fetch('y') }, 'Pmemkit::Error::NotFound', 'fetch dies NotFound');
    my $f = Free->new(anything => 1);
    $root->put(free => $f);
    $f->{more} = 2;
    is_deeply($root->get('free')->to_hash, { anything => 1, more => 2 },
        'a class that declares nothing takes any name');
    dies_with(sub { $f->set(undef, 1) }, 'Pmemkit::Error::KeyType', 'a name is a string');
}

# attributes: delete, exists, list, size, iterate
{
    my $p = $root->get('p');
    is_deeply([sort $p->attributes], [qw(x y)], '$obj->attributes');
    is_deeply([sort keys %$p], [qw(x y)], 'keys %$obj');
    is($p->size, 2, 'size');
    is(scalar(%$p), 2, 'scalar %$obj');
    my %seen;
    $p->each(sub { $seen{ $_[0] } = $_[1] });
    is_deeply(\%seen, { x => 8, y => 6 }, 'each');
    %seen = ();
    while (my ($k, $v) = each %$p) { $seen{$k} = $v }
    is_deeply(\%seen, { x => 8, y => 6 }, 'each %$obj');
    is($p->delete('y'), 6, 'delete returns the value');
    ok(!$p->exists('y'), 'and removes it');
    ok(!defined $root->get('p')->y, 'from the pool');
    $p->{y} = 1;
    is(delete $p->{y}, 1, 'delete $obj->{name}');
    dies_like(sub { @$p }, qr/Point is not an array/, '@$obj dies');
    dies_with(sub { $root->put($p => 1) }, 'Pmemkit::Error::KeyType', 'a record is no key');
}

# values of every kind; nested access
{
    my $r = Free->new(list => [1, 2], map => { k => 'v' }, t => tuple(1, 'a'), n => undef);
    $root->put(rich => $r);
    isa_ok($r->get('list'), 'Pmemkit::List', 'a list attribute');
    push @{ $r->{list} }, 3;
    is_deeply($root->get('rich')->get('list')->to_array, [1, 2, 3], 'push @{$obj->{list}}');
    $r->{map}{k2} = 'v2';
    is($root->get('rich')->{map}{k2}, 'v2', '$obj->{map}{k} = ...');
    $r->{fresh}{a}{b} = 1;
    is($root->get('rich')->get('fresh')->get('a')->get('b'), 1, 'autovivification stores');
    ok($r->get('t') == tuple(1, 'a'), 'a tuple attribute');
    $r->set(inner => Point->new(x => 1, y => 2));
    isa_ok($root->get('rich')->get('inner'), 'Point', 'a record in a record');
    my $l = $pool->new_list([Point->new(x => 1, y => 1)]);
    $root->put(points => $l);
    isa_ok($l->get(0), 'Point', 'a record in a list');
    push @$l, Point->new(x => 2, y => 2);
    is($l->get(1)->x, 2, 'push @$list, Point->new');
}

# unregistered names: Pmemkit::Record
{
    my $r = $root->get('other');
    isa_ok($r, 'Pmemkit::Record', 'a name not registered');
    is($r->class_name, 'Elsewhere::Thing', 'class_name');
    is($r->{a}, 1, 'reads');
    $r->{b} = 2;
    $r->set(c => 3);
    is_deeply($root->get('other')->to_hash, { a => 1, b => 2, c => 3 }, 'and writes');
    ok(!exists $main::{'Elsewhere::'}, 'no package made for the name');
    my $v = Pmemkit::Record->new('Custom', k => 'v');
    is($v->class_name, 'Custom', 'Pmemkit::Record->new');
    $root->put(custom => $v);
    is($root->get('custom')->class_name, 'Custom', 'stores under its name');
    dies_like(sub { $root->put(u => Unregistered->new(a => 1)) },
        qr/Unregistered has no class name: Pmemkit::register/,
        'an object of a package not registered dies');
    ok(!$root->exists('u'), 'and nothing is stored');
}

# no write lost: transactions, deleted records, copies
{
    my $o = Point->new(x => 1);
    eval { $pool->transaction(sub { $root->put(o => $o); $o->y(2); die "boom\n" }) };
    is($@, "boom\n", 'the transaction died');
    ok(!$o->is_stored, 'an abort makes the object unstored again');
    is($o->x, 1, 'with its attributes');
    ok(!defined $o->y, 'as they were before');
    ok(!$root->exists('o'), 'nothing stored');
    eval { $pool->transaction(sub {
        $pool->transaction(sub { $root->put(o => $o) });
        die "outer\n";
    }) };
    ok(!$o->is_stored && !$root->exists('o'),
        'stored in an inner transaction, unstored by the outer one\'s abort');
    $pool->transaction(sub { $root->put(o => $o); $o->y(2) });
    is($root->get('o')->y, 2, 'committed');
    my $p = $root->get('o');
    $pool->transaction(sub { $p->x(100); $p->y(200) });
    is($root->get('o')->x, 100, 'writes grouped by a transaction');
    eval { $pool->transaction(sub { $p->x(-1); die "no\n" }) };
    is($root->get('o')->x, 100, 'and undone by its abort');
    my $copy = $root->delete('o');
    isa_ok($copy, 'Point', 'delete returns a copy');
    ok(!$copy->is_stored, 'not stored');
    is_deeply($copy->to_hash, { x => 100, y => 200 }, 'of the attributes');
    dies_with(sub { $p->x(5) }, 'Pmemkit::Error::Stale',
        'a write through an object of a deleted record dies');
    dies_with(sub { $o->{y} = 5 }, 'Pmemkit::Error::Stale', 'through its hash too');
    $root->put(again => $copy);
    ok($copy->is_stored, 'the copy stores as a new record');
    is($root->get('again')->x, 100, 'with its attributes');
}

# persistence: registered, and after the registry changes
{
    $pool->close;
    my $p = Pmemkit::Pool->open($path);
    my $pt = $p->root->get('made');
    isa_ok($pt, 'Point', 'after reopening');
    is_deeply($pt->to_hash, { x => 10, y => 20 }, 'the attributes');
    is($p->root->get('other')->class_name, 'Elsewhere::Thing', 'an unregistered one');
    $p->root->put(z => $p->new_object('Later', v => 1));
    isa_ok($p->root->get('z'), 'Pmemkit::Record');
    {
        package Later;
        our @ISA = ('Pmemkit::Object');
    }
    Pmemkit::register(Later => 'Later');
    isa_ok($p->root->get('z'), 'Later', 'registered later: read as the class');
    my $gone = $p->new_object('Point', x => 1);
    undef $gone;
    ok($p->gc >= 1, 'unreferenced records are collected');
    ok($p->check->{ok}, 'the pool checks');
    $p->close;
}

done_testing;
