package PkTest;
# What the tests share: a fresh directory for pools under $PK_TEST_DIR
# (default /dev/shm), removed at the end, and small helpers.
use strict;
use warnings;
use Exporter 'import';
use File::Temp ();
use Scalar::Util ();
use B ();
use Test::More ();

use Pmemkit;

our @EXPORT = qw(pool_path new_pool dies_with run_python);
our @EXPORT_OK = qw(dies_like is_int is_float);

$ENV{PMEM_IS_PMEM_FORCE} //= 1;

my $dir = File::Temp::tempdir('pmemkit-perl-XXXXXX',
    DIR => $ENV{PK_TEST_DIR} // '/dev/shm', CLEANUP => 1);
my $n = 0;

# a path for a new pool file in the test directory
sub pool_path { my $name = shift // 'test'; "$dir/$name-" . ++$n . '.pool' }

# a new pool of 32 MiB (or size => ...)
sub new_pool { Pmemkit::Pool->create(pool_path(), size => 32 << 20, @_) }

# dies_with(sub { ... }, $class, $name): the sub dies with an error object
# of $class; returns the error.
sub dies_with {
    my ($code, $class, $name) = @_;
    my $ok = eval { $code->(); 1 };
    my $err = $@;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    Test::More::ok(!$ok && Scalar::Util::blessed($err) && $err->isa($class),
        $name) or Test::More::diag('got: ' . ($ok ? 'no error' : ref($err) || $err));
    return $err;
}

# dies_like(sub { ... }, qr/.../, $name): the sub dies with a message
# (or an error object whose string) matches
sub dies_like {
    my ($code, $re, $name) = @_;
    my $ok = eval { $code->(); 1 };
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    Test::More::ok(!$ok && "$@" =~ $re, $name)
        or Test::More::diag('got: ' . ($ok ? 'no error' : $@));
}

# whether a scalar is an integer (IOK), a floating point number only
sub is_int   { B::svref_2object(\$_[0])->FLAGS & B::SVf_IOK }
sub is_float { my $f = B::svref_2object(\$_[0])->FLAGS; !($f & B::SVf_IOK) && $f & B::SVf_NOK }

# run_python($code, @args): run a Python snippet with the in-tree Python
# module; returns its stdout, dies when it fails. undef without Python.
sub run_python {
    my ($code, @args) = @_;
    return undef unless $ENV{PK_PYTHON};
    local $ENV{PYTHONPATH} = $ENV{PK_PYTHONPATH};
    open my $fh, '-|', $ENV{PK_PYTHON}, '-c', $code, @args
        or die "cannot run $ENV{PK_PYTHON}: $!";
    my $out = do { local $/; <$fh> };
    close $fh or die "python failed (status $?):\n$code";
    return $out;
}

1;
