# Pools shared with the Python module: written by Python and read here,
# written here and read by Python.
use strict;
use warnings;
use utf8;
use Test::More;
use Math::BigInt;
use Errno ();
use PkTest;

plan skip_all => 'the Python module is not built' unless $ENV{PK_PYTHON};

my $from_py = pool_path('python');
run_python(<<'PY', $from_py);
import sys, pmemkit
with pmemkit.Pool.create(sys.argv[1], size=16 << 20) as p:
    r = p.root
    r["none"] = None
    r["t"] = True
    r["f"] = False
    r["int"] = -42
    r["big"] = 2 ** 100
    r["float"] = 2.5
    r["text"] = "h\u00e9llo \u2603"
    r["bytes"] = b"\x00\xffraw"
    r["list"] = [1, "two", [3]]
    r["map"] = {"k": "v", 7: "seven"}
    r[b"bkey"] = 1
    r[10] = "int key"
PY

my $pool = Pmemkit::Pool->open($from_py);
my $r = $pool->root;
ok($r->exists('none') && !defined $r->get('none'), 'None');
ok($r->get('t') && $r->get('t') eq '1', 'True');
ok(!$r->get('f') && $r->get('f') eq '', 'False');
is($r->get('int'), -42, 'int');
is($r->get('big'), Math::BigInt->new(2)->bpow(100), 'a big int');
is($r->get('float'), 2.5, 'float');
is($r->get('text'), "héllo ☃", 'str');
is($r->get('bytes'), "\x00\xffraw", 'bytes');
is_deeply($r->get('list')->to_array, [1, 'two', [3]], 'list');
is($r->get('map')->get(7), 'seven', 'an int key');
is($r->get('map')->get('k'), 'v', 'a str key');
is($r->get(Pmemkit::bytes('bkey')), 1, 'a bytes key');
is($r->get(10), 'int key', 'an int key in the root');
$pool->close;

my $to_py = pool_path('perl');
$pool = Pmemkit::Pool->create($to_py, size => 16 << 20);
$r = $pool->root;
$r->put(
    undef   => undef,
    int     => 7,
    neg     => -9223372036854775808,
    big     => Math::BigInt->new('-123456789012345678901234567890'),
    float   => 0.5,
    text    => "naïve",
    bytes   => Pmemkit::bytes("\x01\x02"),
    latin1  => "caf\xe9",
    ascii   => 'ascii',
    digits  => do { 'n=12' =~ /(\d+)/; $1 },
    forced  => Pmemkit::string('ascii'),
    list    => [1, [2], { a => 'b' }],
    map     => { x => 1 },
    true    => !!1,
    false   => !!0,
);
$r->put(3 => 'three');
$r->put(Pmemkit::bytes("\xff") => 'bytes key');
$r->put(typed => $pool->new_array('i16', [1, -2, 3]));
$pool->close;

my $out = run_python(<<'PY', $to_py);
import sys, pmemkit
with pmemkit.Pool.open(sys.argv[1]) as p:
    r = p.root
    assert r["undef"] is None
    assert r["int"] == 7 and type(r["int"]) is int
    assert r["neg"] == -2 ** 63
    assert r["big"] == -123456789012345678901234567890
    assert r["float"] == 0.5 and type(r["float"]) is float
    assert r["text"] == "na\u00efve", r["text"]
    assert r["bytes"] == b"\x01\x02"
    assert r["latin1"] == b"caf\xe9", r["latin1"]
    assert r["ascii"] == "ascii", r["ascii"]
    assert r["digits"] == "12", r["digits"]
    assert r["forced"] == "ascii"
    # strings are text unless marked as bytes or not UTF-8 (issue 19:
    # ASCII literals were bytes)
    assert r["list"].to_python() == [1, [2], {"a": "b"}], r["list"].to_python()
    assert r["map"].to_python() == {"x": 1}
    assert r["true"] is True and r["false"] is False
    assert r[3] == "three"
    assert r[b"\xff"] == "bytes key"
    assert list(r["typed"]) == [1, -2, 3]
    print("python read", len(r), "entries")
PY
like($out, qr/python read 18 entries/, 'Python reads the pool Perl wrote');

# the README's example: its hosts are text for Python (they were bytes)
my $readme = pool_path('readme');
$pool = Pmemkit::Pool->create($readme, size => 16 << 20);
my $root = $pool->root;
$root->put(config => { retries => 3, hosts => ['a', 'b'] });
$pool->transaction(sub {
    $root->put(n => ($root->get('n') // 0) + 1);
    $root->get('config')->get('hosts')->push('c');
});
tie my %h, 'Pmemkit::Map::Tie', $root;
$h{greeting} = 'hello';
push @{ $h{config}{hosts} }, 'd';
$h{inv}{berlin}[0]{qty} = 3;
untie %h;
undef $root;
$pool->close;
$out = run_python(<<'PY', $readme);
import sys, pmemkit
with pmemkit.Pool.open(sys.argv[1]) as p:
    r = p.root
    print(repr(r["config"]["hosts"].to_python()), repr(r["greeting"]),
          r["inv"]["berlin"][0]["qty"], r["n"])
PY
is($out, "['a', 'b', 'c', 'd'] 'hello' 3 1\n", "Python reads the README example's strings as text");

# logs, block arrays and regions, both ways: a block Python marked bad is
# bad here, positions Python saved are good here, a region is one file
my $seed = pool_path('seed');
my $raw = pool_path('raw');
$out = run_python(<<'PY', $seed, $raw);
import sys, pmemkit
from pmemkit import pmem
with pmemkit.Pool.create(sys.argv[1], size=16 << 20) as p:
    p.root["log"] = p.new_log([b"one", b"\x00\xff", b""])
    log = p.root["log"]
    p.root["mark"] = log.tell()
    log.append(b"after the mark")
    p.root["disk"] = p.new_blocks(1024, 3)
    p.root["disk"][0] = b"from python"
    p.root["disk"].set_error(2)
with pmem.map_file(sys.argv[2], 4096, create=True) as r:
    r[0:6] = b"python"
print("ok")
PY
is($out, "ok\n", 'Python wrote a log, a block array and a region');
$pool = Pmemkit::Pool->open($seed);
$r = $pool->root;
is_deeply($r->get('log')->to_array, ['one', "\x00\xff", '', 'after the mark'], 'the log Python wrote');
is_deeply([$r->get('log')->elements($r->get('mark'))], ['after the mark'], 'from the position Python saved');
is($r->get('disk')->block_size, 1024, 'the block size');
like($r->get('disk')->get(0), qr/^from python\0{1013}\z/, 'a block Python wrote');
my $e = dies_with(sub { $r->get('disk')->get(2) }, 'Pmemkit::Error::OSError', 'the block Python marked bad');
is($e->errno, Errno::EIO(), '... EIO');
$r->get('log')->append('from perl', "caf\xe9");
$r->get('disk')->set(2, 'fixed by perl');
$r->put(more => $pool->new_blocks(512, 1));
undef $r;
$pool->close;
Pmemkit::Region->open($raw, sub { $_[0]->substr(6, 5, ' perl') });
$out = run_python(<<'PY', $seed, $raw);
import sys, pmemkit
from pmemkit import pmem
with pmemkit.Pool.open(sys.argv[1]) as p:
    r = p.root
    print(list(r["log"])[-2:], r["disk"][2].rstrip(b"\0"), len(r["more"]))
with pmem.map_file(sys.argv[2]) as m:
    print(m[0:11])
PY
is($out, "[b'from perl', b'caf\\xe9'] b'fixed by perl' 1\nb'python perl'\n",
    'Python reads what Perl appended, wrote and stored');

# tuples and records, both ways (when the Python module has them)
{
    package Point;
    our @ISA = ('Pmemkit::Object');
    Point->attributes(qw(x y));
}
Pmemkit::register(Point => 'Point');
my $tr = pool_path('records');
$out = run_python(<<'PY', $tr);
import sys, pmemkit
if not hasattr(pmemkit, "Object"):
    print("no records")
    sys.exit(0)
@pmemkit.register("Point")
class Point(pmemkit.Object):
    pass
with pmemkit.Pool.create(sys.argv[1], size=16 << 20) as p:
    r = p.root
    r["tk"] = {(1, "a"): "x", (2, (3.5, b"\x04")): 2}
    r["pt"] = Point(x=1, y=2.5)
    r["other"] = pmemkit.Record("Thing", a=[1, 2])
print("ok")
PY
SKIP: {
    skip 'the Python module has no tuples and records yet', 9
        if $out ne "ok\n";
    $pool = Pmemkit::Pool->open($tr);
    $r = $pool->root;
    my $tk = $r->get('tk');
    is($tk->get(Pmemkit::tuple(1, 'a')), 'x', "Python's tuple key");
    is($tk->get(Pmemkit::tuple(2, Pmemkit::tuple(3.5, Pmemkit::bytes("\x04")))), 2,
        'a nested one with bytes');
    my ($k) = grep { $_->[0] == 1 } $tk->keys;
    isa_ok($k, 'Pmemkit::Tuple', 'a key read back');
    my $pt = $r->get('pt');
    isa_ok($pt, 'Point', "Python's Point");
    is_deeply($pt->to_hash, { x => 1, y => 2.5 }, 'its attributes');
    my $o = $r->get('other');
    isa_ok($o, 'Pmemkit::Record', 'a class not registered here');
    is($o->class_name, 'Thing', 'its name');
    is_deeply($o->get('a')->to_array, [1, 2], 'its attribute');
    $pt->x(10);
    $o->{b} = 'perl';
    $r->put(perl_pt => Point->new(x => 3, y => 4));
    $r->put(perl_tv => Pmemkit::tuple(1, 'two', Pmemkit::tuple(undef, !!1)));
    $tk->put(Pmemkit::tuple(7, 'z') => 'from perl');
    undef $_ for $r, $tk, $pt, $o;
    $pool->close;
    $out = run_python(<<'PY', $tr);
import sys, pmemkit
@pmemkit.register("Point")
class Point(pmemkit.Object):
    pass
with pmemkit.Pool.open(sys.argv[1]) as p:
    r = p.root
    print(type(r["pt"]).__name__, r["pt"].x, r["other"].b, r["perl_pt"].x + r["perl_pt"].y)
    print(r["tk"][(7, "z")], r["tk"][(1.0, "a")], r["perl_tv"])
PY
    is($out, "Point 10 perl 7\nfrom perl x (1, 'two', (None, True))\n",
        'Python reads what Perl wrote');
}

done_testing;
