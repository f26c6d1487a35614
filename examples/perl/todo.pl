#!/usr/bin/env perl
# todo.pl -- a persistent to-do list: what you add survives between runs
# (and crashes: every change is atomic and durable when it returns).
#
# Run it from a build tree (after `make`), on emulated persistent memory:
#   export PMEM_IS_PMEM_FORCE=1
#   perl -Ibindings/perl/blib examples/perl/todo.pl /dev/shm/todo.pool add 'buy milk'
#   perl -Ibindings/perl/blib examples/perl/todo.pl /dev/shm/todo.pool add 'call Bob'
#   perl -Ibindings/perl/blib examples/perl/todo.pl /dev/shm/todo.pool done 1
#   perl -Ibindings/perl/blib examples/perl/todo.pl /dev/shm/todo.pool list
# (once installed, without -I).
use strict;
use warnings;
use utf8;
use open qw(:std :encoding(UTF-8));
use Encode ();
use Pmemkit;

my ($path, $cmd, @args) = @ARGV;
die "usage: $0 POOL [list | add TEXT... | done N | undo N | purge]\n"
    unless defined $path;
$cmd //= 'list';

my $pool = -e $path ? Pmemkit::Pool->open($path)
                    : Pmemkit::Pool->create($path, size => 16 << 20);
my $root = $pool->root;
$root->put(items => []) unless $root->exists('items');
# the list as a Perl array; each item is a persistent map
tie my @items, 'Pmemkit::List::Tie', $root->get('items');

if ($cmd eq 'add') {
    # text from the command line is UTF-8: stored as text either way;
    # decoded, perl sees its characters
    push @items, { text => Encode::decode('UTF-8', "@args"), done => !!0,
                   added => time };
} elsif ($cmd eq 'done' || $cmd eq 'undo') {
    my $item = $items[($args[0] // 0) - 1] // die "no item $args[0]\n";
    $item->{done} = $cmd eq 'done';    # a stored map derefs as a hash
} elsif ($cmd eq 'purge') {
    # one transaction: all the done items go, or none. (Not `@items =
    # grep ...`: clearing the list would free the items before they are
    # stored again.)
    $pool->transaction(sub {
        for my $i (reverse 0 .. $#items) {
            splice @items, $i, 1 if $items[$i]{done};
        }
    });
} elsif ($cmd ne 'list') {
    die "unknown command $cmd\n";
}

my $n = 0;
for my $item (@items) {
    printf "%2d [%s] %s\n", ++$n, $item->{done} ? 'x' : ' ', $item->{text};
}
print "(nothing to do)\n" unless @items;
$pool->close;
