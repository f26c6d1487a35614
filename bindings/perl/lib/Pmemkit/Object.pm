package Pmemkit::Object;
# Records: objects of a named class whose attributes live in the pool (the
# C library's PK_RECORD). A program's own classes derive from
# Pmemkit::Object and are registered under a class name:
#
#     package Point;
#     use parent -norequire, 'Pmemkit::Object';
#     Point->attributes(qw(x y));            # accessors $p->x, $p->x(5)
#     package main;
#     Pmemkit::register(Point => 'Point');   # class name => package
#     $root->put(p => Point->new(x => 1, y => 2));   # stores a record ...
#     my $p = $root->get('p');               # ... read back as a Point
#     $p->x(3); $p->{y} = 4;                 # each write atomic, in the pool
#
# The registry is the program's: a pool's class names are looked up in it
# and nothing else (no package is loaded, no code run for a name). A
# record whose class is not registered reads as a Pmemkit::Record, with
# the same methods and its class_name.
#
# An object is either stored (bound to its record: every read and write
# goes to the pool) or not yet (new(), or the plain copy delete() returns):
# its attributes are then in memory, and storing it (put, a tied hash's
# store, push, ...) makes a record of them and binds the object to it, so
# that later writes through it reach the pool. An object is a reference to
# a reference to the hash of its fields (as the containers are), so that
# %$obj can be the attributes (a tied hash, Pmemkit::Object::Tie).
use strict;
use warnings;
use Carp ();
use Scalar::Util ();
use mro ();

require Pmemkit;
our @ISA = ('Pmemkit::_Container', 'Pmemkit::_Builder');

use overload
    '%{}' => sub { $_[0]->_hash },
    '@{}' => sub { Pmemkit::_not_a(ref $_[0], 'array', '$obj->{name} or $obj->get($name)') },
    fallback => 1;

# ---- the registry and the declarations -------------------------------------

my (%PACKAGE_OF, %NAME_OF);    # class name => package, and back
my (%DECLARED, %ALLOWED);      # package => [names]; => {names} or 0

sub _register {
    Carp::croak('Pmemkit::register: expected NAME => package pairs') if !@_ || @_ % 2;
    my @pairs = @_;
    while (my ($name, $pkg) = splice @pairs, 0, 2) {
        _class_name_ok('Pmemkit::register', $name);
        Carp::croak('Pmemkit::register: ' . ($pkg // 'undef')
            . " (for $name) is not a subclass of Pmemkit::Object (use parent"
            . " -norequire, 'Pmemkit::Object')")
            unless defined $pkg && !ref $pkg && $pkg->isa('Pmemkit::Object')
                && $pkg ne 'Pmemkit::Object' && !$pkg->isa('Pmemkit::Record');
        # a name is one package's, a package has one name: records read
        # back as objects of the package that stored them
        my ($had, $named) = ($PACKAGE_OF{$name}, $NAME_OF{$pkg});
        Carp::croak("Pmemkit::register: $name is registered for $had already")
            if defined $had && $had ne $pkg;
        Carp::croak("Pmemkit::register: $pkg is registered as $named already")
            if defined $named && $named ne $name;
        $PACKAGE_OF{$name} = $pkg;
        $NAME_OF{$pkg} = $name;
    }
    return;
}

sub _registered { defined $_[0] ? $PACKAGE_OF{$_[0]} : undef }

# a class name as the library takes it: text of 1 to 1024 bytes of UTF-8
sub _class_name_ok {
    my ($what, $name) = @_;
    Carp::croak("$what: a class name is a non-empty string")
        unless defined $name && !ref $name && length $name;
    my $b = "$name";
    utf8::upgrade($b);
    utf8::encode($b);
    Carp::croak("$what: a class name has at most "
        . "$Pmemkit::Raw::PK_RECORD_CLASS_MAX bytes of UTF-8")
        if length $b > $Pmemkit::Raw::PK_RECORD_CLASS_MAX;
    return;
}

# Class->attributes(qw(x y)): declares the class's attributes and makes an
# accessor for each that is a Perl identifier ($obj->x reads, $obj->x($v)
# writes and returns $v), unless the class has a sub of that name or it
# is a method of Pmemkit::Object (get, set, size, ...: use get/set or the
# hash). Once a class (or a parent) declares attributes, other names die
# unless the record has them (records written elsewhere may have more).
# Class->attributes: the declared names. $obj->attributes: the names of
# the attributes the object has.
sub attributes {
    my ($self, @names) = @_;
    if (ref $self) {
        Carp::croak('$obj->attributes takes no arguments (declare them with '
            . ref($self) . '->attributes(...))') if @names;
        return $self->_names;
    }
    my $class = $self;
    if (!@names) {
        my %seen;
        return grep { !$seen{$_}++ }
            map { @{ $DECLARED{$_} // [] } } reverse @{ mro::get_linear_isa($class) };
    }
    Carp::croak("$class->attributes: declare attributes in a subclass of Pmemkit::Object")
        if $class eq 'Pmemkit::Object' || $class->isa('Pmemkit::Record');
    for my $n (@names) {
        Carp::croak("$class->attributes: an attribute name is a non-empty string")
            unless defined $n && !ref $n && length $n;
        next if grep { $_ eq $n } @{ $DECLARED{$class} //= [] };
        push @{ $DECLARED{$class} }, $n;
        no strict 'refs';
        next if $n !~ /\A[A-Za-z_][A-Za-z_0-9]*\z/
            || defined &{"${class}::$n"} || Pmemkit::Object->can($n);
        my $name = $n;
        *{"${class}::$n"} = sub {
            my $obj = shift;
            return $obj->get($name) unless @_;
            $obj->set($name => $_[0]);
            return $_[0];
        };
    }
    %ALLOWED = ();
    return;
}

# dies unless $name may be used with the object: its class declares no
# attributes, or this one, or the object has it
sub _check {
    my ($self, $name) = @_;
    my $class = ref $self;
    my $ok = $ALLOWED{$class} //= do {
        my @n = $class->attributes;
        @n ? { map { $_ => 1 } @n } : 0;
    };
    return if !$ok || (defined $name && !ref $name && $ok->{$name})
        || $self->exists($name);
    Carp::croak("$class has no attribute "
        . (defined $name ? "'$name'" : 'undef')
        . ' (declared: ' . join(' ', sort keys %$ok) . ')');
}

# an attribute name of an object not stored: a string
sub _vname {
    Carp::croak('pmemkit: an attribute name is a string, not '
        . (defined $_[0] ? 'a reference' : 'undef'))
        if !defined $_[0] || ref $_[0];
}

# ---- objects ----------------------------------------------------------------

# Class->new(name => value, ...): an object not stored yet, its
# attributes in memory until it is stored (then a record of the class
# name registered for Class, bound to it).
sub new {
    my ($class, @kv) = @_;
    Carp::croak('Pmemkit::Object->new: make objects of a subclass')
        if $class eq 'Pmemkit::Object';
    Carp::croak("$class->new: expected name => value pairs") if @kv % 2;
    my $self = bless \{ attrs => {} }, $class;
    $self->set(@kv) if @kv;
    return $self;
}

# $pool->new_object($name, ...): a record made in the pool (unreferenced
# until stored), bound
sub _create {
    my (undef, $pool, $name, @kv) = @_;
    _class_name_ok('Pmemkit::Pool->new_object', $name);
    Carp::croak('Pmemkit::Pool->new_object: expected name => value pairs') if @kv % 2;
    my $pkg = $PACKAGE_OF{$name} // 'Pmemkit::Record';
    my $h = $pool->_h;
    return $pool->transaction(sub {
        my $self = $pkg->_new($pool, scalar Pmemkit::Raw::pk_record_new($h, $name));
        $$self->{class} = $name;
        $self->set(@kv) if @kv;
        return $self;
    });
}

sub _close { Pmemkit::Raw::pk_record_close($_[1]) }

sub _ref {
    my ($self) = @_;
    Carp::croak(ref($self) . ' object is not stored in a pool') unless $$self->{h};
    return scalar Pmemkit::Raw::pk_record_value($self);
}

# a record read from a pool: an object of the package registered for its
# class name, else a Pmemkit::Record
sub _open {
    my (undef, $pool, $ref) = @_;
    my $self = Pmemkit::Record->_new($pool,
        scalar Pmemkit::Raw::pk_record_open($pool->_h, $ref));
    my $name = $$self->{class} = scalar Pmemkit::Raw::pk_record_class($self);
    my $pkg = $PACKAGE_OF{$name};
    bless $self, $pkg if defined $pkg;
    return $self;
}

# whether the object is bound to a record in a pool
sub is_stored { defined ${$_[0]}->{h} }

sub pool { ${$_[0]}->{pool} }

# The class name: the record's, or for an object not stored the one
# registered for its package (undef when there is none).
sub class_name {
    my ($self) = @_;
    my $f = $$self;
    return $f->{class} //= $f->{h} ? scalar Pmemkit::Raw::pk_record_class($self)
        : $NAME_OF{ref $self};
}

# $obj->get($name): the attribute's value, undef when the object has none
# (dies for a name the class does not declare).
sub get {
    my ($self, $name) = @_;
    my $f = $$self;
    if (my $a = $f->{attrs}) {
        _vname($name);
        $self->_check($name) unless CORE::exists $a->{$name};
        return $a->{$name};
    }
    my ($v) = Pmemkit::Raw::pk_record_get($self, $name)
        or do { $self->_check($name); return undef };
    return ref $v ? $f->{pool}->_value($v) : $v;
}

# $obj->fetch($name): as get, but dies Pmemkit::Error::NotFound when the
# object has no such attribute.
sub fetch {
    my ($self, $name) = @_;
    return $self->get($name) if $self->exists($name);
    $self->_check($name);
    Pmemkit::Error->throw($Pmemkit::Raw::PK_NOTFOUND, ref($self) . ' object has no attribute '
        . (defined $name ? "'$name'" : 'undef'));
}

# $obj->set(name => value, ...): set each (several: one transaction).
# Values are what a map takes; hash and array refs are stored as new
# containers (copies).
sub set {
    my $self = shift;
    Carp::croak(ref($self) . '->set: expected name => value pairs') if !@_ || @_ % 2;
    my $f = $$self;
    my @kv = @_;
    if (my $a = $f->{attrs}) {
        for (my $i = 0; $i < @kv; $i += 2) {
            _vname($kv[$i]);
            $self->_check($kv[$i]) unless CORE::exists $a->{ $kv[$i] };
        }
        while (my ($n, $v) = splice @kv, 0, 2) {
            $a->{$n} = $v;
        }
        return;
    }
    if (@kv > 2) {
        for (my $i = 0; $i < @kv; $i += 2) { $self->_check($kv[$i]) }
        $f->{pool}->transaction(sub { $self->set(splice @kv, 0, 2) while @kv });
        return;
    }
    my ($name, $value) = @kv;
    $self->_check($name);
    if (!ref $value) {
        Pmemkit::Raw::pk_record_put($self, $name, $value);
        return;
    }
    my $h = $f->{h};
    $f->{pool}->_store(sub { Pmemkit::Raw::pk_record_put($h, $name, $_[0]) }, $value);
    return;
}

# whether the object has the attribute
sub exists {
    my ($self, $name) = @_;
    my $f = $$self;
    if (my $a = $f->{attrs}) {
        return defined $name && !ref $name && CORE::exists $a->{$name} ? 1 : '';
    }
    return scalar Pmemkit::Raw::pk_record_contains($self, $name) ? 1 : '';
}

# $obj->delete($name): remove the attribute; returns its value (a
# container as a plain copy), undef when there was none.
sub delete {
    my ($self, $name) = @_;
    my $f = $$self;
    $self->_check($name);
    if (my $a = $f->{attrs}) {
        return CORE::delete $a->{$name};
    }
    return Pmemkit::Raw::pk_record_remove($self, $name) ? 1 : ''
        unless defined wantarray;
    return $f->{pool}->transaction(sub {
        my ($v) = Pmemkit::Raw::pk_record_get($self, $name) or return undef;
        $v = Pmemkit::_plain($f->{pool}->_value($v)) if ref $v;
        Pmemkit::Raw::pk_record_remove($self, $name);
        return $v;
    });
}

# how many attributes the object has
sub size {
    my ($self) = @_;
    my $a = $$self->{attrs};
    return $a ? scalar keys %$a : scalar Pmemkit::Raw::pk_record_length($self);
}

# An iterator: each call returns the next (name, value), () after the
# last, in no particular order.
sub iterator {
    my ($self) = @_;
    if (my $a = $$self->{attrs}) {
        my @n = sort keys %$a;
        return sub { return unless @n; my $n = shift @n; return ($n, $a->{$n}) };
    }
    return $self->_cursor_iter(scalar Pmemkit::Raw::pk_record_cursor($self));
}

# $obj->each(sub { my ($name, $value) = @_; ... }) for every attribute.
sub each   { $_[0]->_kv_each($_[1]) }
sub _names { $_[0]->_kv_keys }

# A plain hash ref of the attributes, deeply copied.
sub to_hash { $_[0]->_kv_to_hash }

sub TO_JSON { $_[0]->to_hash }

# An object not stored, of the same package and class name, with a plain
# copy of the attributes (what delete and pop give for a record).
sub _copy {
    my ($self) = @_;
    return bless \{ attrs => $self->to_hash, class => $self->class_name }, ref $self;
}

# true when both are the same object or objects of the same record
sub same_as {
    my ($self, $other) = @_;
    return !!0 unless Scalar::Util::blessed($other) && $other->isa('Pmemkit::Object');
    return Scalar::Util::refaddr($self) == Scalar::Util::refaddr($other)
        unless $$self->{h} && $$other->{h};
    return $self->SUPER::same_as($other);
}

# The reference C stores for an object not stored yet (Pmemkit::Pool's
# _ref_of): a new record in $pool of its class name (in the caller's
# transaction: Pmemkit::Pool's _store), with its attributes (copied, as
# put copies plain structures), to which the object is then bound. An
# abort of the transaction makes it unstored again (Pmemkit::Pool's
# _unbind_all).
sub _store_ref {
    my ($self, $pool) = @_;
    my $f = $$self;
    my $name = $self->class_name;
    Carp::croak('pmemkit: ' . ref($self) . ' has no class name: Pmemkit::register('
        . "NAME => '" . ref($self) . "') first") unless defined $name;
    my ($attrs, $class) = @$f{qw(attrs class)};
    my $h = Pmemkit::Raw::pk_record_new($pool->_h, $name);
    %$f = (pool => $pool, h => $h, class => $name);
    my $ok = eval { $self->set(%$attrs) if %$attrs; 1 };
    if (!$ok) {
        my $err = $@;
        $self->_unbind($attrs, $class);
        die $err;
    }
    $pool->_bound($self, $attrs, $class);
    return $self->_ref;
}

# back to an object not stored, with these attributes
sub _unbind {
    my ($self, $attrs, $class) = @_;
    my $f = $$self;
    my $h = CORE::delete $f->{h};
    %$f = (attrs => $attrs, defined $class ? (class => $class) : ());
    Pmemkit::Raw::pk_record_close($h) if $h;
    return;
}

# %$obj: the attributes as a hash (Pmemkit::Object::Tie), kept with the
# object so that each %$obj iterates once. A stored object's is tied to a
# second object of the record (no cycle); an unstored object's to the
# object itself, weakly (no cycle either), so that it follows the object
# when it is stored.
sub _hash {
    my ($self) = @_;
    my $f = $$self;
    if (!$f->{h}) {
        return $f->{tied} //= do {
            my $tie = tie my %h, 'Pmemkit::Object::Tie', $self;
            Scalar::Util::weaken($tie->{o});
            \%h;
        };
    }
    return $f->{tied} //= do {
        my $twin = Pmemkit::Record->_new($f->{pool},
            scalar Pmemkit::Raw::pk_record_open($f->{pool}->_h, $self->_ref));
        ${$twin}->{class} = $f->{class};
        bless $twin, ref $self;
        tie my %h, 'Pmemkit::Object::Tie', $twin;
        \%h;
    };
}

package Pmemkit::Record;
# A record whose class name is not registered (Pmemkit::register): its
# class_name and attributes are readable and writable, with the methods of
# Pmemkit::Object (get, set, delete, exists, attributes, size, each,
# to_hash; %$rec). Pmemkit::Record->new($name, attr => value, ...) makes
# one not stored yet, which stores as a record of class $name.
our @ISA = ('Pmemkit::Object');

sub new {
    my ($class, $name, @kv) = @_;
    Pmemkit::Object::_class_name_ok('Pmemkit::Record->new', $name);
    Carp::croak('Pmemkit::Record->new: expected name => value pairs') if @kv % 2;
    my $self = bless \{ attrs => {}, class => "$name" }, $class;
    $self->set(@kv) if @kv;
    return $self;
}

package Pmemkit::Object::Tie;
# tie my %h, 'Pmemkit::Object::Tie', $obj: the object's attributes as a
# hash (what %$obj gives). Reads of missing attributes give undef, names a
# declared class does not have die; a plain hash or array stored is tied
# to the container made of it (as for a map's tied hash).

sub TIEHASH {
    my ($class, $obj) = @_;
    Carp::croak("$class: expected a Pmemkit::Object")
        unless Scalar::Util::blessed($obj) && $obj->isa('Pmemkit::Object');
    return bless { o => $obj }, $class;
}

# the object (an unstored object's hash holds it weakly)
sub _o { $_[0]{o} // Carp::croak('pmemkit: the object of this hash is gone') }

sub FETCH  { $_[0]->_o->get($_[1]) }
sub EXISTS { $_[0]->_o->exists($_[1]) }
sub DELETE { $_[0]->_o->delete($_[1]) }
sub SCALAR { $_[0]->_o->size }

sub STORE {
    my ($self, $k, $v) = @_;
    my $o = $self->_o;
    $o->set($k, $v);
    Pmemkit::_adopt($v, $o->get($k))
        if ref $v && !Scalar::Util::blessed($v) && $o->is_stored;
    return;
}

sub CLEAR {
    my ($self) = @_;
    my $o = $self->_o;
    my @n = $o->attributes;
    if (@n > 1 && $o->is_stored) {
        $o->pool->transaction(sub { $o->delete($_) for @n });
    } else {
        $o->delete($_) for @n;
    }
    return;
}

sub FIRSTKEY {
    my ($self) = @_;
    $self->{it} = $self->_o->iterator;
    return $self->NEXTKEY;
}

sub NEXTKEY {
    my ($self) = @_;
    my $it = $self->{it} or return;
    my ($k) = $it->() or do { CORE::delete $self->{it}; return };
    return $k;
}

sub UNTIE { CORE::delete $_[0]{it} }

1;
