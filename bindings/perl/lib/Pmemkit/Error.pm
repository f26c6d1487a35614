package Pmemkit::Error;
# The objects pmemkit dies with. Their classes come from the error table
# (include/pmemkit_tables.h): Pmemkit::Error::<class> for each class
# pk_error_class() names (NotFound, PoolError, OutOfSpace, ...), plus
# Pmemkit::Error::OSError for errno codes, all subclasses of Pmemkit::Error.
# The C side (pk_swig_raise in bindings/perl/pmemkit.i) blesses into them.
use strict;
use warnings;
use Carp ();
use Errno ();

# "MESSAGE at FILE line N.\n", the line being the caller's (outside the
# module), as die and Carp's croak write it
use overload
    '""' => sub { $_[0]{message} . ($_[0]{where} // '') },
    'bool' => sub { 1 },
    fallback => 1;

# [name, code, class, message] rows of PK_ERROR_TABLE (pk_error_table())
our @TABLE;
for (my $i = 0; my $row = Pmemkit::Raw::pk_error_table($i); $i++) {
    push @TABLE, [@$row{qw(name code cls message)}];
}

my %CLASSES;
for my $cls ((map { $_->[2] } @TABLE),
             Pmemkit::Raw::pk_error_class(Errno::ENOENT())) {
    next if $CLASSES{$cls}++;
    no strict 'refs';
    @{"Pmemkit::Error::${cls}::ISA"} = ('Pmemkit::Error');
}

# the return code: negative for pmemkit's codes, positive for errno values
sub code    { $_[0]{code} }
# pk_error_class() of the code: "NotFound", ..., "OSError"
sub class   { $_[0]{class} }
# the code's symbolic name: "PK_NOTFOUND", "ENOENT"
sub name    { $_[0]{name} }
# the detail of the failure (pk_errormsg(), else pk_strerror())
sub message { $_[0]{message} }
# the errno value of an OSError, else undef
sub errno   { $_[0]{code} > 0 ? $_[0]{code} : undef }
# where the module was called from: the file and line outside the module
sub file    { ($_[0]->_at)[0] }
sub line    { ($_[0]->_at)[1] }

# (file, line) of " at FILE line N[, <FH> line M].\n"
sub _at {
    return ($_[0]{where} // '') =~
        /^ at (.+?) line (\d+)(?:, <[^>]*> (?:line|chunk) \d+)?\.$/m ? ($1, $2) : ();
}

# " at FILE line N.\n" of the first caller outside the module's packages
# (%Carp::Internal: Pmemkit.pm lists them); the C side calls it too
sub _where { scalar Carp::shortmess('') }

# The error class names of the table, in table order.
sub classes { my %seen; grep { !$seen{$_}++ } map { $_->[2] } @TABLE }

# The Perl package of a table class ("NotFound" -> "Pmemkit::Error::NotFound").
sub class_for { "Pmemkit::Error::$_[1]" }

# die with a new error of the class of $code (for the Perl code's own
# checks: the same objects the C calls die with)
sub throw {
    my ($base, $code, $message) = @_;
    my $cls = Pmemkit::Raw::pk_error_class($code);
    my $name = Pmemkit::Raw::pk_strerror($code);
    $message //= $name;
    $name =~ s/:.*//s;
    die bless { code => $code, class => $cls, name => $name,
                message => $message, where => _where() },
        $cls eq 'Error' ? 'Pmemkit::Error' : "Pmemkit::Error::$cls";
}

1;
