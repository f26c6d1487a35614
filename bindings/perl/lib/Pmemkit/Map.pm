package Pmemkit::Map;
# A persistent map from scalar keys to values. Every change is atomic and
# durable when it returns. Keys: undef, booleans, numbers (equal numbers
# are one key: 1, 1.0 and a true boolean), strings (always text keys),
# Pmemkit::bytes() (bytes keys), Math::BigInt, Pmemkit::tuple() (tuples
# of those) and Pmemkit::frozenset() (frozen sets of those; a stored
# frozen set as one). Values: those, any string, containers, records, and
# plain hash and array refs, stored as new containers (deeply, in one
# transaction).
use strict;
use warnings;
use Carp ();
use Scalar::Util ();

require Pmemkit;
our @ISA = ('Pmemkit::_Container');

# %$map, $map->{key}: the map as a tied hash (Pmemkit::Map::Tie), so that
# nested access through tied hashes and arrays ($h{a}{b}[0]{c}) reaches
# the stored containers
use overload '%{}' => sub { $_[0]->_tied('Pmemkit::Map::Tie') }, fallback => 1;

sub _close { Pmemkit::Raw::pk_map_close($_[1]) }
sub _ref   { scalar Pmemkit::Raw::pk_map_value($_[0]) }
sub _open  { $_[0]->_new($_[1], scalar Pmemkit::Raw::pk_map_open($_[1]->_h, $_[2])) }

# The methods of a keyed container of scalar keys (maps and sorted maps),
# installed in $class over its C functions (${c}_get, _put, _contains,
# _remove, _length, _clear, _cursor of Pmemkit::Raw, $c being pk_map or
# pk_sorted; called through the closures' own references: no lookup on the
# per-get and per-put paths), and its tie class's FETCH.
sub _keyed_methods {
    my ($class, $tie, $c) = @_;
    no strict 'refs';
    my %c = map { $_ => \&{"Pmemkit::Raw::${c}_$_"} }
        qw(get put contains remove length clear cursor);
    my ($c_get, $c_put, $c_remove) = @c{qw(get put remove)};
    my ($c_contains, $c_length, $c_clear, $c_cursor) = @c{qw(contains length clear cursor)};
    my %m;

    # The value of a key, or undef when it is absent (use exists() or
    # fetch() to tell an absent key from a stored undef).
    $m{get} = sub {
        my ($self, $key) = @_;
        my ($v) = $c_get->($self, Pmemkit::_key_to_c($key)) or return undef;
        return ref $v ? $$self->{pool}->_value($v) : $v;
    };

    # The value of a key; dies with Pmemkit::Error::NotFound when it is
    # absent.
    $m{fetch} = sub {
        my ($self, $key) = @_;
        my ($v) = $c_get->($self, Pmemkit::_key_to_c($key))
            or Pmemkit::Error->throw($Pmemkit::Raw::PK_NOTFOUND,
                'key not found: ' . (defined $key ? $key : 'undef'));
        return ref $v ? $$self->{pool}->_value($v) : $v;
    };

    # put(key => value, ...): set each key, in one transaction when
    # several (a bad key or value among them changes nothing).
    my $put;
    $put = $m{put} = sub {
        my $self = CORE::shift;
        # one key and a scalar: straight to C (the per-put path)
        if (@_ == 2 && !ref $_[1]) {
            $c_put->($self, Pmemkit::_key_to_c($_[0]), $_[1]);
            return;
        }
        Carp::croak("$class->put: expected key => value pairs") if @_ % 2;
        if (@_ > 2) {
            my @kv = @_;
            $$self->{pool}->transaction(sub {
                $put->($self, splice @kv, 0, 2) while @kv;
            });
            return;
        }
        my ($key, $value) = @_;
        my $h = $$self->{h};
        $key = Pmemkit::_key_to_c($key);
        $$self->{pool}->_store(sub { $c_put->($h, $key, $_[0]) }, $value);
        return;
    };

    $m{exists} = sub {
        my ($self, $key) = @_;
        return scalar $c_contains->($self, Pmemkit::_key_to_c($key)) ? 1 : '';
    };

    # Remove a key. In non-void context returns its value (a container as
    # a plain copy: removing the last reference frees it), undef when
    # absent.
    $m{delete} = sub {
        my ($self, $key) = @_;
        $key = Pmemkit::_key_to_c($key);
        return $c_remove->($self, $key) ? 1 : '' unless defined wantarray;
        return $$self->{pool}->transaction(sub {
            my ($v) = $c_get->($self, $key) or return undef;
            $v = Pmemkit::_plain($$self->{pool}->_value($v)) if ref $v;
            $c_remove->($self, $key);
            return $v;
        });
    };

    $m{size}  = sub { scalar $c_length->($_[0]) };
    $m{clear} = sub { $c_clear->($_[0]); return };

    # An iterator: each call returns the next (key, value) and () after
    # the last (a map's in no particular order, a sorted map's in key
    # order). Adding or removing keys while iterating makes the next call
    # die with Pmemkit::Error::Changed.
    $m{iterator} = sub { $_[0]->_cursor_iter(scalar $c_cursor->($_[0])) };

    # $map->each(sub { my ($key, $value) = @_; ... }) for every entry.
    $m{each} = sub { $_[0]->_kv_each($_[1]) };
    $m{keys} = sub { $_[0]->_kv_keys };

    $m{values} = sub {
        my ($self) = @_;
        my @v;
        my $it = $self->iterator;
        while (my (undef, $v) = $it->()) {
            CORE::push @v, $v;
        }
        return @v;
    };

    # A plain hash ref, deeply copied (keys stringified, as Perl's are).
    $m{to_hash} = sub { $_[0]->_kv_to_hash };

    # A reference to a hash tied to the map ($tie).
    $m{tied_hash} = sub {
        my ($self) = @_;
        my %h;
        tie %h, $tie, $self;
        return \%h;
    };

    # the tie's FETCH: a string that is a canonical integer also finds
    # the integer key (Pmemkit::Map::Tie)
    my $fetch = sub {
        my ($self, $k) = @_;
        my $map = $self->{c};
        my @v = $c_get->($map, $k);
        if (!@v) {
            my $i = Pmemkit::Map::Tie::_int_key($k);
            @v = $c_get->($map, $i) if defined $i;
            return undef unless @v;
        }
        return ref $v[0] ? $self->_value($v[0]) : $v[0];
    };

    *{"${class}::$_"} = $m{$_} for CORE::keys %m;
    *{"${tie}::FETCH"} = $fetch;
    return;
}

__PACKAGE__->_keyed_methods('Pmemkit::Map::Tie', 'pk_map');

package Pmemkit::Map::Tie;
# tie my %h, 'Pmemkit::Map::Tie', $map: the map as a Perl hash. Keys are
# strings, as Perl gives them to a tied hash. A string that is a canonical
# integer ("7", "-1") also finds an integer key (as other languages store
# them) when there is no text key of that string: the text key wins when
# both exist, for reading, exists, delete and storing. Containers read
# through it deref as hashes and arrays, and a plain hash or array stored
# into it is tied to the container made from it (Pmemkit::_adopt), so
# $h{a}{b} = 1 and push @{$h{list}}, 1 store, also where they
# autovivify.
our @ISA = ('Pmemkit::_Tie');
sub TIEHASH { $_[0]->_tie($_[1], 'Pmemkit::Map') }

# the integer a string key names, when it is one in canonical form
sub _int_key {
    my ($k) = @_;
    return undef unless defined $k && !ref $k && $k =~ /\A-?[0-9]{1,19}\z/;
    my $i = 0 + $k;
    return "$i" eq $k ? $i : undef;
}

# FETCH: Pmemkit::Map::_keyed_methods

sub STORE {
    my ($self, $k, $v) = @_;
    my $map = $self->{c};
    my $i = _int_key($k);
    $k = $i if defined $i && !$map->exists($k) && $map->exists($i);
    $map->put($k, $v);
    Pmemkit::_adopt($v, $map->get($k)) if ref $v && !Scalar::Util::blessed($v);
    return;
}

sub EXISTS {
    my ($self, $k) = @_;
    my $map = $self->{c};
    return 1 if $map->exists($k);
    my $i = _int_key($k);
    return defined $i ? $map->exists($i) : '';
}

sub DELETE {
    my ($self, $k) = @_;
    my $map = $self->{c};
    my $i = _int_key($k);
    $k = $i if defined $i && !$map->exists($k);
    my $v = $map->delete($k);
    return $v;
}

sub CLEAR    { $_[0]{c}->clear }
sub SCALAR   { $_[0]{c}->size }

sub FIRSTKEY {
    my ($self) = @_;
    $self->{it} = $self->{c}->iterator;
    return $self->NEXTKEY;
}

sub NEXTKEY {
    my ($self) = @_;
    my $it = $self->{it} or return;
    my ($k) = $it->() or do { delete $self->{it}; return };
    return $k;
}

sub UNTIE   { delete $_[0]{it} }

1;
