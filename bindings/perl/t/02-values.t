# Round trip of every value type, and the rules that pick a type.
use strict;
use warnings;
use utf8;
use Test::More;
use Math::BigInt;
use PkTest;

my $pool = new_pool();
my $root = $pool->root;

sub roundtrip {
    my ($v) = @_;
    $root->put(v => $v);
    return $root->get('v');
}

# the pk_value type of a stored value, as Python sees it, is tested in
# 08-python.t; here: Perl in, Perl out
ok(!defined roundtrip(undef), 'undef');
is(roundtrip(0), 0, 'zero');
is(roundtrip(-7), -7, 'negative int');
is(roundtrip(9223372036854775807), 9223372036854775807, 'int64 max');
is(roundtrip(-9223372036854775808), '-9223372036854775808', 'int64 min');
is(roundtrip(1.5), 1.5, 'double');
is(roundtrip(-0.25), -0.25, 'negative double');
my $inf = 9**9**9;
is(roundtrip($inf), $inf, 'infinity');
my $nan = roundtrip($inf - $inf);
ok($nan != $nan, 'NaN');

# booleans (5.36 tracks them)
SKIP: {
    skip 'no boolean values before perl 5.36', 4 unless $] >= 5.036;
    no warnings;    # builtin:: is experimental in 5.36
    my $t = roundtrip(!!1);
    ok(builtin::is_bool($t) && $t, 'true stays a boolean');
    my $f = roundtrip(!!0);
    ok(builtin::is_bool($f) && !$f, 'false stays a boolean');
    is(roundtrip(1 == 1), 1, 'a comparison is a boolean');
    is($root->get('v') . '', '1', 'true reads as 1');
}

# integers beyond int64
my $big = Math::BigInt->new('123456789012345678901234567890');
my $r = roundtrip($big);
isa_ok($r, 'Math::BigInt', 'a big integer');
is("$r", "$big", 'big positive integer');
is(roundtrip(-$big) . '', "-$big", 'big negative integer');
for my $s ('9223372036854775808', '-9223372036854775809', '18446744073709551615',
           '-18446744073709551616', '340282366920938463463374607431768211456') {
    is(roundtrip(Math::BigInt->new($s)) . '', $s, "big integer $s");
}
is(roundtrip(Math::BigInt->new(42)), 42, 'a small Math::BigInt is an int');
ok(!ref roundtrip(Math::BigInt->new(42)), '... read back as a plain number');
is(roundtrip(18446744073709551615) . '', '18446744073709551615', 'a UV above int64');

# strings: text unless marked as bytes or not UTF-8; text comes back
# with the UTF-8 flag, bytes without
my $text = roundtrip("naïve ☃");
is($text, "naïve ☃", 'text');
ok(utf8::is_utf8($text), 'text comes back with the UTF-8 flag');
my $bytes = roundtrip("\xff\x00\x01binary");
is($bytes, "\xff\x00\x01binary", 'bytes, with NUL');
ok(!utf8::is_utf8($bytes), 'bytes come back without the UTF-8 flag');
my $ascii = roundtrip('hello');
ok(utf8::is_utf8($ascii) && $ascii eq 'hello', 'a plain ASCII literal is text');
'x12y' =~ /(\d+)/;
my $cap = roundtrip($1);
ok(utf8::is_utf8($cap) && $cap eq '12', 'a regex capture is text');
my $raw = "\xc3\xa9t\xc3\xa9";    # UTF-8 bytes without the flag
my $t8 = roundtrip($raw);
ok(utf8::is_utf8($t8) && $t8 eq "été", 'bytes that are UTF-8 are that text');
my $l1 = roundtrip("caf\xe9");    # Latin-1, no flag: not UTF-8
ok(!utf8::is_utf8($l1) && $l1 eq "caf\xe9", 'a Latin-1 string without the flag is bytes');
my $up = "caf\xe9";
utf8::upgrade($up);
my $l1t = roundtrip($up);
ok(utf8::is_utf8($l1t) && $l1t eq "café", '... text after utf8::upgrade');
my $l1s = roundtrip(Pmemkit::string("caf\xe9"));
ok(utf8::is_utf8($l1s) && $l1s eq "café", '... or with Pmemkit::string');
my $mb = roundtrip(Pmemkit::bytes('abc'));
ok(!utf8::is_utf8($mb) && $mb eq 'abc', 'Pmemkit::bytes marks ASCII as bytes');
my $nul = roundtrip("a\0b");
ok(utf8::is_utf8($nul) && $nul eq "a\0b", 'text with NUL');
is(roundtrip(''), '', 'empty string');
is(roundtrip('x' x 100_000), 'x' x 100_000, 'a long string');
my $forced = roundtrip(Pmemkit::string('plain'));
ok(utf8::is_utf8($forced) && $forced eq 'plain', 'Pmemkit::string forces text');
my $fb = Pmemkit::bytes('abc');
is("$fb", 'abc', 'a Pmemkit::bytes object stringifies to its bytes');
eval { Pmemkit::bytes("☃") };
like($@, qr/wide character/, 'Pmemkit::bytes refuses characters above 255');
is(roundtrip('42'), '42', 'a numeric string stays a string');
my $n = '42';
{ no warnings; my $x = $n + 0; }
# (was: stored as bytes; an ASCII string is text now: issue 19)
my $after = roundtrip($n);
ok(utf8::is_utf8($after) && $after eq '42', '... even after numeric use (text)');

# keys: strings are always text, numbers are equal across types
$root->clear;
$root->put("clé" => 1);
is($root->get("clé"), 1, 'a text key');
my $latin1 = "cl\xe9";
ok(!utf8::is_utf8($latin1), 'a Latin-1 key without the flag');
is($root->get($latin1), 1, '... is the same text key');
is($root->get("cl\xc3\xa9"), 1, 'a key of UTF-8 bytes without the flag is that text');
$root->put(1 => 'one');
is($root->get(1.0), 'one', '1 and 1.0 are one key');
is($root->get(!!1), 'one', '... and true') if $] >= 5.036;
$root->put(Pmemkit::bytes('k') => 'bytes key');
$root->put('k' => 'text key');
is($root->get(Pmemkit::bytes('k')), 'bytes key', 'bytes and text keys differ');
is($root->get('k'), 'text key', '... both are kept');
my ($bk) = grep { ref $_ } $root->keys;
isa_ok($bk, 'Pmemkit::Bytes', 'a bytes key read back');
is($root->get($bk), 'bytes key', '... finds its entry again');
$root->put(undef, 'nil key');
is($root->get(undef), 'nil key', 'an undef key');
$root->put($big, 'big key');
is($root->get(Math::BigInt->new("$big")), 'big key', 'a big integer key');

# deep conversion of plain structures
$root->put(tree => { list => [1, [2, 3], { x => 'y' }], empty => {}, none => [] });
my $tree = $root->get('tree');
isa_ok($tree, 'Pmemkit::Map', 'a hash ref becomes a map');
isa_ok($tree->get('list'), 'Pmemkit::List', 'an array ref becomes a list');
is_deeply($tree->to_hash, { list => [1, [2, 3], { x => 'y' }], empty => {}, none => [] },
    'deep structure');
my @cycle = (1);
push @cycle, \@cycle;
eval { $root->put(cycle => \@cycle) };
like($@, qr/contains itself/, 'a structure that contains itself is refused');
ok(!$root->exists('cycle'), '... and nothing is stored');
eval { $root->put(code => sub { 1 }) };
like($@, qr/cannot store a reference to CODE/, 'a code ref is refused');
eval { $root->put(obj => bless {}, 'Some::Class') };
like($@, qr/cannot store an object of class Some::Class/, 'a foreign object is refused');

$pool->close;
done_testing;
