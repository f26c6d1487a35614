# Typed arrays.
use strict;
use warnings;
use Test::More;
use PkTest;

my $pool = new_pool();
my $root = $pool->root;

my $a = $pool->new_array('i32', 4);
$root->put(a => $a);
isa_ok($a, 'Pmemkit::Array');
is($a->type, 'i32', 'type');
is($a->width, 4, 'width');
is($a->size, 4, 'size');
is_deeply([$a->elements], [0, 0, 0, 0], 'zeros');
$a->set(0, 7);
$a->set(-1, -2147483648);
is($a->get(0), 7, 'get');
is($a->get(3), -2147483648, 'int32 min');
dies_with(sub { $a->set(1, 2147483648) }, 'Pmemkit::Error::Range', 'a value out of the range of the type');
dies_with(sub { $a->set(1, 'text') }, 'Pmemkit::Error::Kind', 'a value of another kind');
dies_with(sub { $a->get(4) }, 'Pmemkit::Error::Range', 'an index out of range');
$a->write(1, 5, 6);
is_deeply($a->to_array, [7, 5, 6, -2147483648], 'write');
is_deeply([$a->elements(1, 2)], [5, 6], 'elements of a range');
$a->resize(6);
is_deeply($a->to_array, [7, 5, 6, -2147483648, 0, 0], 'resize');
is_deeply($root->get('a')->to_array, $a->to_array, 'read back from the map');

my %cases = (
    i8 => [-128, 127], u8 => [0, 255], i16 => [-32768, 32767], u16 => [0, 65535],
    u32 => [0, 4294967295], i64 => [-9223372036854775808, 9223372036854775807],
    u64 => [0, 18446744073709551615], f32 => [-1.5, 0.25], f64 => [3.25, -1e300],
);
for my $t (sort keys %cases) {
    my $arr = $pool->new_array($t, $cases{$t});
    $root->put($t => $arr);
    is_deeply($arr->to_array, $cases{$t}, "$t: made from values");
    is($arr->get(1), $cases{$t}[1], "$t: get");
    $arr->set(0, $cases{$t}[1]);
    is($arr->get(0), $cases{$t}[1], "$t: set");
}
is($root->get('u64')->get(1), 18446744073709551615, 'u64 above int64, read back');

my $b = $pool->new_array('bytes', ["ab\0", 'xyz'], width => 3);
is($b->type, 'bytes', 'bytes elements');
is_deeply($b->to_array, ["ab\0", 'xyz'], 'byte strings');
$b->set(1, 'QRS');
is($b->get(1), 'QRS', 'set a byte string');
dies_with(sub { $b->set(0, 'toolong') }, 'Pmemkit::Error::Value', 'a byte string of another width');
eval { $pool->new_array('bytes', 2) };
like($@, qr/width/, 'bytes elements need a width');
eval { $pool->new_array('i128', 2) };
like($@, qr/unknown element type i128/, 'an unknown element type');

# numeric strings (a regex capture, a line read from a file) are numbers,
# as in Perl's numeric context; other strings are of another kind
my $n = $pool->new_array('i32', 3);
$root->put(n => $n);
'qty=12;' =~ /qty=(\d+)/;
$n->set(0, $1);
is($n->get(0), 12, 'a captured "12" into an i32 array');
$n->set(1, "-7\n");
is($n->get(1), -7, 'a line "-7\\n"');
dies_with(sub { $n->set(2, '3000000000') }, 'Pmemkit::Error::Range', 'a numeric string out of range');
dies_with(sub { $n->set(2, '12abc') }, 'Pmemkit::Error::Kind', 'a string that is not a number');
my $f = $pool->new_array('f64', 2);
$root->put(f => $f);
$f->set(0, '2.5');
$f->set(1, '1e3');
is_deeply($f->to_array, [2.5, 1000], 'numeric strings into an f64 array');
my $u = $pool->new_array('u64', 1);
$root->put(u => $u);
$u->set(0, '18446744073709551615');
is($u->get(0), 18446744073709551615, 'a numeric string above int64 into a u64 array');
my $m = $pool->new_array('i64', 1);
$root->put(m => $m);
$m->set(0, '-9223372036854775808');
is($m->get(0), -9223372036854775808, 'int64 min as a string');

# bulk writes check each value as set() does: pack would wrap a number out
# of range, store a reference's address, and cut a long byte string
my $w = $pool->new_array('i8', [1, 2, 3]);
$root->put(w => $w);
dies_with(sub { $w->write(0, 5, 300) }, 'Pmemkit::Error::Range', 'write: 300 into i8');
dies_with(sub { $w->write(0, {}) }, 'Pmemkit::Error::Kind', 'write: a reference');
dies_with(sub { $w->write(0, 'x') }, 'Pmemkit::Error::Kind', 'write: not a number');
dies_with(sub { $w->write(0, 1.5) }, 'Pmemkit::Error::Kind', 'write: not an integer');
is_deeply($w->to_array, [1, 2, 3], 'nothing written by a refused write');
$w->write(1, '12', -128);
is_deeply($w->to_array, [1, 12, -128], 'numeric strings and the ends of the range');
dies_with(sub { $pool->new_array('i64', [{}, [1]]) }, 'Pmemkit::Error::Kind', 'new_array: references');
dies_with(sub { $pool->new_array('u8', [256]) }, 'Pmemkit::Error::Range', 'new_array: 256 into u8');
dies_with(sub { $pool->new_array('bytes', ['abcd'], width => 3) }, 'Pmemkit::Error::Range',
    'new_array: bytes longer than the width');
my $bw = $pool->new_array('bytes', ['ab', Pmemkit::bytes("\x00\xff")], width => 3);
is_deeply($bw->to_array, ["ab\0", "\x00\xff\0"], 'bytes elements, a marked one too');

# every element type of the C library's table, by its short name
for (my $i = 0; my $row = Pmemkit::Raw::pk_elem_table($i); $i++) {
    my $width = $row->{size} || 3;
    my $t = $pool->new_array($row->{sname}, 2, width => $width);
    is($t->type, $row->{sname}, "element type $row->{sname}");
    is($t->width, $width, "$row->{sname}: width");
}

$pool->close;
done_testing;
