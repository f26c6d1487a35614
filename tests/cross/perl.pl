#!/usr/bin/perl
# The Perl module's part of the cross-language test (README.md here):
# `perl.pl write POOL` stores the data set, `perl.pl dump POOL` prints
# every value of a pool in the dump format.
use strict;
use warnings;
use utf8;
use B ();
use Math::BigInt;
use Scalar::Util qw(blessed);
use Pmemkit qw(tuple frozenset);
no warnings 'experimental::builtin';

# a class of the program's, registered under the record's class name
package Point {
    use parent -norequire, 'Pmemkit::Object';
    Point->attributes(qw(x y));
}

sub write_set {
    my ($path) = @_;
    my $pool = Pmemkit::Pool->create($path);
    tie my %r, 'Pmemkit::Map::Tie', $pool->root;
    $r{int} = -7;
    $r{int64max} = 9223372036854775807;
    $r{big} = Math::BigInt->new(2)**100;
    $r{negbig} = -Math::BigInt->new(2)**70;
    $r{float} = 2.5;
    $r{ascii} = 'hello';
    $r{text} = 'ünï €';
    $r{digits} = '12';
    $r{nul} = "a\0b";
    $r{bytes} = Pmemkit::bytes("\x00\xffA");    # bytes: the marker
    $r{yes} = !!1;                              # perl 5.36's booleans
    $r{no} = !!0;
    $r{nil} = undef;
    $r{list} = [1, 'two', 3.5, [], {}];
    $r{map} = { a => 1, b => { c => [!!1, undef] } };
    # a tied hash's keys are strings: integer keys through the method
    $r{intkeys} = {};
    $r{intkeys}->put(7 => 'seven', -1 => 'minus one');
    $r{i32} = $pool->new_array('i32', [1, -2, 3]);
    $r{f64} = $pool->new_array('f64', [0.5, -1.25]);
    # records and blocks are bytes: plain strings
    $r{log} = $pool->new_log(['', "a\0b", 'xyz']);
    $r{blocks} = $pool->new_blocks(512, 2);
    $r{blocks}[0] = 'hello';                    # zero-filled to 512 bytes
    # Perl has no set value: the marker
    $r{set} = Pmemkit::set(7, 'seven', Pmemkit::bytes("\x07"));
    # Perl has no tuple: the marker, which a tied hash takes as a key
    $r{tuplekeys}{tuple(1, 'a')} = 'x';
    $r{tuplekeys}{tuple(2, tuple(3.5, Pmemkit::bytes("\x04")))} = 2;
    # nor a frozen set as one scalar: the marker, a key as a tuple is
    $r{tuplekeys}{frozenset('b', 2)} = 3;
    # a plain hash is a map (its keys all strings): the marker, whose
    # pairs keep their keys' types and order
    $r{sorted} = Pmemkit::sorted(b => 2, 1 => 'one', Pmemkit::bytes("\x01") => 2.5);
    Pmemkit::register(Point => 'Point');
    $r{record} = Point->new(x => 1, y => 2.5);
    untie %r;
    $pool->close;
}

sub hexof { my ($b) = @_; length $b ? unpack('H*', $b) : '-' }

sub is_int { B::svref_2object(\$_[0])->FLAGS & B::SVf_IOK }

sub key {
    my ($k) = @_;
    return 't:(' . join(',', map { item($_) } @$k) . ')'
        if blessed $k && $k->isa('Pmemkit::Tuple');
    return 'fs:{' . join(',', map { item($_) } @$k) . '}'
        if blessed $k && $k->isa('Pmemkit::FrozenSet::Scalar');
    return 'b:' . unpack('H*', "$k") if blessed $k && $k->isa('Pmemkit::Bytes');
    return "i:$k" if blessed $k && $k->isa('Math::BigInt');
    return 's:' . unpack('H*', Encode::encode('UTF-8', $k)) if utf8::is_utf8($k);
    return "i:$k" if is_int($k);
    die "a key that is neither text, bytes nor an integer: $k\n";
}

# a tuple's item: as a key, and floats, booleans and nil too
sub item {
    my ($e) = @_;
    return 'nil' unless defined $e;
    return key($e) if ref $e;
    return $e ? 'true' : 'false' if builtin::is_bool($e);
    my $flags = B::svref_2object(\$e)->FLAGS;
    return 'f:' . unpack('H*', pack 'd>', $e)
        if !($flags & (B::SVf_POK | B::SVf_IOK)) && $flags & B::SVf_NOK;
    return key($e);
}

sub scalar_line {
    my ($v) = @_;
    return 'nil' unless defined $v;
    return 'int ' . $v->bstr if blessed $v && $v->isa('Math::BigInt');
    return 'bytes ' . hexof("$v") if blessed $v && $v->isa('Pmemkit::Bytes');
    die 'a value of class ' . ref($v) . "\n" if ref $v;
    return 'bool ' . ($v ? 'true' : 'false') if builtin::is_bool($v);
    return 'str ' . hexof(Encode::encode('UTF-8', $v)) if utf8::is_utf8($v);
    my $flags = B::svref_2object(\$v)->FLAGS;
    return "int $v" if $flags & B::SVf_IOK;
    return 'float ' . unpack('H*', pack 'd>', $v) if $flags & B::SVf_NOK;
    return 'bytes ' . hexof($v);
}

sub dump_value {
    my ($path, $v, $out) = @_;
    if (blessed $v && $v->isa('Pmemkit::SortedMap')) {
        push @$out, "$path sorted " . $v->size;
        my $i = 0;
        $v->each(sub {
            my $k = key($_[0]);
            push @$out, "$path\@" . $i++ . " $k";
            dump_value("$path/$k", $_[1], $out);
        });
    } elsif (blessed $v && $v->isa('Pmemkit::Map')) {
        push @$out, "$path map " . $v->size;
        $v->each(sub { dump_value("$path/" . key($_[0]), $_[1], $out) });
    } elsif (blessed $v && $v->isa('Pmemkit::List')) {
        push @$out, "$path list " . $v->size;
        $v->each(sub { dump_value("$path\[$_[1]]", $_[0], $out) });
    } elsif (blessed $v && $v->isa('Pmemkit::Array')) {
        my @e = $v->elements;
        push @$out, "$path array " . $v->type . ' ' . @e;
        my $float = $v->type =~ /^f/;
        for my $i (0 .. $#e) {
            push @$out, "$path\[$i] " . ($float
                ? 'float ' . unpack('H*', pack 'd>', $e[$i]) : "int $e[$i]");
        }
    } elsif (blessed $v && $v->isa('Pmemkit::Set')) {    # a FrozenSet too
        push @$out, "$path set " . $v->size;
        $v->each(sub { push @$out, "$path/" . key($_[0]) . ' member' });
    } elsif (blessed $v && $v->isa('Pmemkit::Log')) {
        push @$out, "$path log " . $v->size;
        my $i = 0;
        $v->each(sub { push @$out, "$path\[" . $i++ . '] bytes ' . hexof($_[0]) });
    } elsif (blessed $v && $v->isa('Pmemkit::Object')) {    # a Pmemkit::Record
        push @$out, "$path record " . hexof(Encode::encode('UTF-8', $v->class_name))
            . ' ' . $v->size;
        $v->each(sub { dump_value("$path/" . key($_[0]), $_[1], $out) });
    } elsif (blessed $v && $v->isa('Pmemkit::Tuple')) {
        push @$out, "$path tuple " . @$v;
        dump_value("$path\[$_]", $v->[$_], $out) for 0 .. $#$v;
    } elsif (blessed $v && $v->isa('Pmemkit::FrozenSet::Scalar')) {
        push @$out, "$path frozenset " . @$v;
        dump_value("$path\[$_]", $v->[$_], $out) for 0 .. $#$v;
    } elsif (blessed $v && $v->isa('Pmemkit::Blocks')) {
        push @$out, "$path blocks " . $v->block_size . ' ' . $v->size;
        $v->each(sub { push @$out, "$path\[$_[1]] bytes " . hexof($_[0]) });
    } else {
        push @$out, "$path " . scalar_line($v);
    }
}

require Encode;
my ($cmd, $path) = @ARGV;
die "usage: perl.pl write|dump POOL\n"
    unless @ARGV == 2 && ($cmd eq 'write' || $cmd eq 'dump');
if ($cmd eq 'write') {
    write_set($path);
} else {
    my $pool = Pmemkit::Pool->open($path);
    my @out;
    dump_value('.', $pool->root, \@out);
    $pool->close;
    binmode STDOUT;
    print "$_\n" for @out;
}
