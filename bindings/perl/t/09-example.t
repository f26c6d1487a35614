# The example program: its list survives between runs.
use strict;
use warnings;
use Test::More;
use File::Basename ();
use File::Spec;
use PkTest;

my $here = File::Basename::dirname(File::Spec->rel2abs(__FILE__));
my $todo = "$here/../../../examples/perl/todo.pl";
my $path = pool_path('todo');

sub todo {
    my $out = qx{"$^X" @{[ map { "-I$_" } @INC ]} "$todo" "$path" @_};
    is($?, 0, "todo.pl @_");
    return $out;
}

like(todo('add', 'buy', 'milk'), qr/^ 1 \[ \] buy milk$/m, 'add');
todo('add', 'call', 'Bob');
todo('add', 'water', 'plants');
like(todo('done', 2), qr/^ 2 \[x\] call Bob$/m, 'done');
is(todo('purge'), " 1 [ ] buy milk\n 2 [ ] water plants\n", 'purge, after restarts');
is(todo('list'), " 1 [ ] buy milk\n 2 [ ] water plants\n", 'still there');

done_testing;
