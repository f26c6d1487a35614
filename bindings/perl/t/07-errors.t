# Errors: the class hierarchy from the error table, and each kind of failure.
use strict;
use warnings;
use Test::More;
use Errno ();
use B ();
use File::Basename ();
use File::Spec ();
use PkTest;

# the classes come from the table
my @classes = Pmemkit::Error->classes;
ok(scalar(grep { $_ eq 'NotFound' } @classes), 'the table has NotFound');
for my $cls (@classes, 'OSError') {
    ok(Pmemkit::Error->class_for($cls)->isa('Pmemkit::Error'), "Pmemkit::Error::$cls is a Pmemkit::Error");
}
for my $row (@Pmemkit::Error::TABLE) {
    my ($name, $code, $cls) = @$row;
    no strict 'refs';
    is(${"Pmemkit::Raw::$name"}, $code, "$name is $code");
    is(Pmemkit::Raw::pk_error_class($code), $cls, "$name is of class $cls");
}

my $pool = new_pool();
my $root = $pool->root;

# key not found
my $e = dies_with(sub { $root->fetch('nope') }, 'Pmemkit::Error::NotFound', 'fetch of an absent key');
is($e->code, $Pmemkit::Raw::PK_NOTFOUND, 'code');
is($e->class, 'NotFound', 'class');
is($e->name, 'PK_NOTFOUND', 'name');
like($e->message, qr/not found: nope/, 'message');
# (was: the message alone; uncaught, it said neither where nor ended the
# line: issue 19)
my $line = __LINE__ - 7;
is("$e", $e->message . " at $0 line $line.\n", 'stringifies to the message and the caller\'s line');
is($e->file, $0, 'file: the caller\'s');
is($e->line, $line, 'line: the caller\'s');
{
    open my $in, '<', $0 or die $!;
    my $first = <$in>;    # $. is set: perl's own messages add ", <$in> line 1"
    my $e2 = dies_with(sub { $root->fetch('nope') }, 'Pmemkit::Error::NotFound', 'an error while a file is read');
    is($e2->file, $0, '... file');
    like($e2->line, qr/^\d+\z/, '... line');
}
ok(!defined $e->errno, 'no errno');

# index out of range
$root->put(l => [1]);
$e = dies_with(sub { $root->get('l')->get(5) }, 'Pmemkit::Error::Range', 'index out of range');
like("$e", qr/range/, 'range message');

# key type
dies_with(sub { $root->put([1] => 1) }, 'Pmemkit::Error::KeyType', 'an array ref as a key');
dies_with(sub { $root->put($root->get('l') => 1) }, 'Pmemkit::Error::KeyType', 'a container as a key');

# stale: a container whose last reference went
my $l = $root->get('l');
$root->delete('l');
dies_with(sub { $l->size }, 'Pmemkit::Error::Stale', 'a freed container');

# invalid value: text that is not UTF-8 (Perl allows surrogates)
{
    no warnings;
    dies_with(sub { $root->put(bad => "\x{D800}") }, 'Pmemkit::Error::Value', 'a surrogate in text');
}

# out of space, in the smallest pool
my $tiny = Pmemkit::Pool->create(pool_path(), size => Pmemkit::MIN_POOL_SIZE);
my $tl = $tiny->new_list;
$tiny->root->put(l => $tl);
$e = dies_with(sub { $tl->push('x' x 4000) for 1 .. 10000 }, 'Pmemkit::Error::OutOfSpace', 'out of space');
ok($tl->size > 0 && $tl->size < 10000, 'what fitted is there');
ok($tiny->check->{ok}, 'the pool is healthy');
$tiny->close;

# errno codes: Pmemkit::Error::OSError, with $! set
my $missing = pool_path('missing');
$e = dies_with(sub { Pmemkit::Pool->open($missing) }, 'Pmemkit::Error::OSError', 'a missing file');
is($e->errno, Errno::ENOENT(), 'errno ENOENT');
is($e->code, Errno::ENOENT(), 'code is the errno value');
is($e->name, 'ENOENT', 'name');
is($e->class, 'OSError', 'class');
eval { Pmemkit::Pool->open($missing) };
ok($!{ENOENT}, '$! is set too');
$e = dies_with(sub { Pmemkit::Pool->create($pool->path, size => 16 << 20) }, 'Pmemkit::Error::OSError', 'creating an existing file');
is($e->errno, Errno::EEXIST(), 'EEXIST');
$e = dies_with(sub { Pmemkit::Pool->create(pool_path(), size => 4096) }, 'Pmemkit::Error::OSError', 'a pool too small');
is($e->errno, Errno::EINVAL(), 'EINVAL');

# a file that is not a pool
my $junk = pool_path('junk');
open my $fh, '>', $junk or die $!;
print $fh 'x' x (1 << 20);
close $fh;
$e = dies_with(sub { Pmemkit::Pool->open($junk) }, 'Pmemkit::Error::PoolError', 'a file that is not a pool');
is($e->code, $Pmemkit::Raw::PK_ENOTPOOL, 'PK_ENOTPOOL');

# a libpmemobj pool of another application (made through Python's ctypes)
SKIP: {
    my $python = $ENV{PK_PYTHON} || (grep { -x "$_/python3" } split /:/, $ENV{PATH})[0] && 'python3';
    skip 'no Python to make a foreign libpmemobj pool', 2 unless $python;
    my $other = pool_path('other');
    system($python, '-c', <<'PY', $other) == 0 or die "python failed";
import ctypes, sys
lib = ctypes.CDLL("libpmemobj.so.1")
lib.pmemobj_create.restype = ctypes.c_void_p
pop = lib.pmemobj_create(sys.argv[1].encode(), b"otherapp", ctypes.c_size_t(8 << 20), 0o600)
assert pop, "pmemobj_create failed"
lib.pmemobj_close(ctypes.c_void_p(pop))
PY
    $e = dies_with(sub { Pmemkit::Pool->open($other) }, 'Pmemkit::Error::PoolError', 'a pool of another layout');
    is($e->code, $Pmemkit::Raw::PK_ELAYOUT, 'PK_ELAYOUT');
}

# Pmemkit::Error->throw makes the same objects
$e = dies_with(sub { Pmemkit::Error->throw($Pmemkit::Raw::PK_ERANGE) }, 'Pmemkit::Error::Range', 'throw');
is($e->message, Pmemkit::Raw::pk_strerror($Pmemkit::Raw::PK_ERANGE), 'throw: the default message');

# every error names the line that called the module, whatever raised it
# (C, the Perl classes, usage errors) and however deep in the module
my %where;
my $tied = $root->tied_hash;
my $arr = $pool->new_array('i32', 2);
my @cases = (
    [sub { $root->get('l')->get(9) }, 'a C error (Range)'],
    [sub { $arr->set(0, 'abc') }, 'a C error (Kind) of a typed array'],
    [sub { $root->fetch('nope') }, 'an error of the Perl classes (NotFound)'],
    [sub { $root->put(x => sub { 1 }) }, 'a usage error of the Perl classes'],
    [sub { $root->put(x => bless {}, 'Foo') }, 'a usage error of the C code'],
    [sub { $tied->{x} = \*STDOUT }, 'an error through a tied hash'],
    [sub { $pool->transaction(sub { $root->fetch('nope') }) }, 'an error inside a transaction'],
    [sub { $root->put(m => { a => [sub {}] }) }, 'an error deep in a structure'],
    [sub { $root->get('l')->get('abc') }, "SWIG's check of an argument"],
);
$root->put(l => [1]);
for my $c (@cases) {
    my ($code, $name) = @$c;
    my $line = B::svref_2object($code)->START->line;
    eval { $code->() };
    my $err = "$@";
    like($err, qr/ at \Q$0\E line $line\.\n\z/, "$name: at the caller's line, with a newline")
        or diag($err);
}

# uncaught, an error ends the program with the message and the script's line
{
    my $script = pool_path('script') . '.pl';
    open my $sfh, '>', $script or die $!;
    print $sfh "use Pmemkit;\nmy \$p = Pmemkit::Pool->open(shift);\n"
        . "\$p->root->fetch('absent');\n";
    close $sfh;
    my $p = pool_path('uncaught');
    Pmemkit::Pool->create($p, size => 16 << 20)->close;
    my $lib = File::Spec->rel2abs(File::Basename::dirname($INC{'Pmemkit.pm'}));
    my $out = `$^X -I$lib $script $p 2>&1`;
    is($out, "key not found: absent at $script line 3.\n", 'an uncaught error');
}

$pool->close;
done_testing;
