# Perl's own idioms over the pool: nested access through tied hashes and
# arrays, integer keys through a tied hash, == and eq of two reads of one
# container, TO_JSON.
use strict;
use warnings;
use Test::More;
use JSON::PP ();
use PkTest;

my $pool = new_pool();
my $root = $pool->root;
tie my %h, 'Pmemkit::Map::Tie', $root;

# ---- nested access reaches the stored containers --------------------------
$h{inv} = { berlin => [{ qty => 3 }, { qty => 5 }], paris => [] };
is($h{inv}{berlin}[0]{qty}, 3, '$h{inv}{berlin}[0]{qty} reads the stored value');
is($h{inv}{berlin}[1]{qty}, 5, '... of every element');
is(scalar @{ $h{inv}{berlin} }, 2, 'scalar @{...} of a nested list');
is_deeply([sort keys %{ $h{inv} }], ['berlin', 'paris'], 'keys %{...} of a nested map');
$h{inv}{berlin}[0]{qty} = 4;
is($root->get('inv')->get('berlin')->get(0)->get('qty'), 4, 'a nested store reaches the pool');
$h{inv}{berlin}[1]{qty}++;
is($root->get('inv')->get('berlin')->get(1)->get('qty'), 6, 'a nested increment');
ok(exists $h{inv}{paris}, 'exists through a nested map');
delete $h{inv}{paris};
ok(!$root->get('inv')->exists('paris'), 'delete through a nested map');

$h{list} = [1, 2, 3];
push @{ $h{list} }, 4;
is_deeply($root->get('list')->to_array, [1, 2, 3, 4], 'push @{$h{list}}, 4 appends to the stored list');
unshift @{ $h{list} }, 0;
is(pop @{ $h{list} }, 4, 'pop @{...}');
is_deeply([splice @{ $h{list} }, 1, 2], [1, 2], 'splice @{...}');
is_deeply($root->get('list')->to_array, [0, 3], '... on the stored list');
$h{list}[5] = 'x';
is_deeply($root->get('list')->to_array, [0, 3, undef, undef, undef, 'x'], 'storing past the end');
$#{ $h{list} } = 1;
is($root->get('list')->size, 2, '$#{...} = n shrinks the list');

# autovivification stores: the new aggregate is tied to the new container
$h{new}{a}{b} = 1;
is($root->get('new')->get('a')->get('b'), 1, 'autovivified maps: $h{new}{a}{b} = 1');
push @{ $h{fresh} }, 1, 2;
is_deeply($root->get('fresh')->to_array, [1, 2], 'an autovivified list: push @{$h{fresh}}, 1, 2');
$h{deep}[2]{k} = 'v';
is_deeply($root->get('deep')->to_array, [undef, undef, { k => 'v' }], 'an autovivified list of maps');
my %plain = (x => 1);
$h{plain} = \%plain;
$plain{y} = 2;
is_deeply($root->get('plain')->to_hash, { x => 1, y => 2 },
    'a hash stored through the tied hash is the stored map from then on');
my @inner = (1);
my %outer = (list => \@inner, more => [{ k => 1 }]);
$h{outer} = \%outer;
push @inner, 2;
$outer{more}[0]{k} = 2;
is_deeply($root->get('outer')->to_hash, { list => [1, 2], more => [{ k => 2 }] },
    '... and so is every hash and array inside it');
$h{plain2} = \%plain;
ok($root->get('plain') == $root->get('plain2'), '... and storing it again stores the same map');
{
    local $ENV{PK_PROBE} = 'yes';
    $h{env} = \%ENV;
    ok(!tied %ENV && $ENV{PK_PROBE} eq 'yes', '%ENV is copied, not tied');
    is($root->get('env')->get('PK_PROBE'), 'yes', '... into a map');
}

# the methods' objects deref the same way
my $inv = $root->get('inv');
is($inv->{berlin}[0]{qty}, 4, '$map->{key} on a Pmemkit::Map');
is($inv->get('berlin')->[1]{qty}, 6, '$list->[i] on a Pmemkit::List');
$inv->{lyon} = [7];
is($root->get('inv')->get('lyon')->get(0), 7, '$map->{key} = ... stores');
my %seen;
while (my ($k, $v) = each %$inv) {
    $seen{$k} = ref $v;
}
is_deeply(\%seen, { berlin => 'Pmemkit::List', lyon => 'Pmemkit::List' }, 'each %$map');
%seen = ();
while (my ($k, $v) = each %{ $h{inv} }) {
    $seen{$k}++;
    my $other = $h{list};    # other containers read meanwhile
    last if $seen{$k} > 1;
}
is_deeply(\%seen, { berlin => 1, lyon => 1 }, 'each %{ $h{inv} }: one iteration');
%seen = ();
while (my ($i, $v) = each @{ $h{inv}{berlin} }) {
    $seen{$i}++;
    last if $seen{$i} > 1;
}
is_deeply(\%seen, { 0 => 1, 1 => 1 }, 'each @{ $h{inv}{berlin} }: one iteration');
ok($h{inv} == $h{inv}, 'two reads through the tied hash');
my $ref = \%{ $root->get('inv') };
is($ref->{lyon}[0], 7, 'a reference to the hash outlives the object it came from');
ok($inv->isa('Pmemkit::Map') && $inv->size == 2, 'methods still work');

my $arr = $pool->new_array('i32', [1, 2, 3]);
$h{arr} = $arr;
is($h{arr}[1], 2, 'a typed array through a tied hash: $h{arr}[1]');
$h{arr}[1] = '20';
is($arr->get(1), 20, '... stores (a numeric string)');
push @{ $h{arr} }, 4;
is_deeply($arr->to_array, [1, 20, 3, 4], 'push onto a typed array');
is(scalar @$arr, 4, 'scalar @$array');
my $line = __LINE__ + 1;
eval { my $x = $h{list}{key} };
like($@, qr/^Pmemkit::List is not a hash: use \@\$list, \$list->\[\$i\] at \Q$0\E line $line\.\n/,
    'a list used as a hash dies, at the caller\'s line');
eval { $arr->{key} = 1 };
like($@, qr/^Pmemkit::Array is not a hash/, 'a typed array used as a hash dies');
eval { my @x = @{ $h{inv} } };
like($@, qr/Not an ARRAY reference/, 'a map used as an array dies');

# ---- integer keys through the tied hash -------------------------------------
my $ik = $pool->new_map;
$ik->put(7 => 'seven', -1 => 'minus one', 10 => 'ten');
$root->put(ik => $ik);
is($h{ik}{7}, 'seven', '$h{7} finds an integer key');
is($h{ik}{-1}, 'minus one', '... a negative one');
ok(exists $h{ik}{10}, 'exists $h{10}');
ok(!exists $h{ik}{'07'} && !defined $h{ik}{'07'}, 'a string that is not a canonical integer does not');
ok(!defined $h{ik}{' 7'}, '... nor one with spaces');
$h{ik}{7} = 'SEVEN';
is($ik->get(7), 'SEVEN', 'storing $h{7} replaces the integer key');
ok(!$ik->exists('7'), '... adds no text key');
is(delete $h{ik}{10}, 'ten', 'delete $h{10} removes the integer key');
ok(!$ik->exists(10), '... gone');
$ik->put('7' => 'text seven');
is($h{ik}{7}, 'text seven', 'the text key wins when both exist');
$h{ik}{7} = 'T7';
is($ik->get('7') . '/' . $ik->get(7), 'T7/SEVEN', '... for storing too');
delete $h{ik}{7};
is($h{ik}{7}, 'SEVEN', '... and deleting');
$ik->put('8' => undef, 8 => 'int eight');
ok(!defined $h{ik}{8}, 'a stored undef under the text key wins');
$h{ik}{9} = 'new';
is($ik->get('9'), 'new', 'a new key is a text key, as Perl gives it');
is_deeply([sort keys %{ $h{ik} }], [-1, 7, 8, 8, 9], 'keys');

# ---- == and eq ------------------------------------------------------------
my ($x, $y) = ($root->get('inv'), $root->get('inv'));
ok($x == $y, 'two reads of the same map are ==');
ok($x eq $y, '... and eq');
ok(!($x != $y) && !($x ne $y), '... not != nor ne');
ok($root->get('list') == $h{list}, 'a read through the tied hash too');
ok($x != $root->get('new'), 'different maps are !=');
ok($x ne $root->get('new'), '... and ne');
ok(!($x == 1) && $x ne 'inv', 'a container is not == or eq to a scalar');
ok($arr == $root->get('arr'), 'typed arrays');
ok($x, 'a container is true');
is($h{inv}, $root->get('inv'), "Test::More's is() compares them");

# ---- TO_JSON ----------------------------------------------------------------
my $json = JSON::PP->new->canonical->convert_blessed;
$root->put(doc => { name => 'x', tags => ['a', 'b'], n => 2, sub => { t => undef } });
is($json->encode($root->get('doc')),
    '{"n":2,"name":"x","sub":{"t":null},"tags":["a","b"]}', 'TO_JSON of a map');
is($json->encode($root->get('doc')->get('tags')), '["a","b"]', '... of a list');
is($json->encode($arr), '[1,20,3,4]', '... of a typed array');
is($json->encode([Pmemkit::bytes('b'), Pmemkit::string('s')]), '["b","s"]', '... of Pmemkit::bytes and ::string');

untie %h;
ok($pool->check->{ok}, 'the pool is healthy');
$pool->close;
done_testing;
