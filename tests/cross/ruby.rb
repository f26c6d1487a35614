# frozen_string_literal: true

# The Ruby module's part of the cross-language test (README.md here):
# `ruby.rb write POOL` stores the data set, `ruby.rb dump POOL` prints
# every value of a pool in the dump format.
require "pmemkit"

def write(path)
  Pmemkit::Pool.create(path, size: 64 << 20) do |p|
    r = p.root
    r["int"] = -7
    r["int64max"] = 2**63 - 1
    r["big"] = 2**100
    r["negbig"] = -(2**70)
    r["float"] = 2.5
    r["ascii"] = "hello"
    r["text"] = "ünï €"
    r["digits"] = "12"
    r["nul"] = "a\0b"
    r["bytes"] = "\x00\xFFA".b # binary data is a binary String
    r["yes"] = true
    r["no"] = false
    r["nil"] = nil
    r["list"] = [1, "two", 3.5, [], {}]
    r["map"] = { "a" => 1, "b" => { "c" => [true, nil] } }
    r["intkeys"] = { 7 => "seven", -1 => "minus one" }
    r["i32"] = p.new_array(:int32, [1, -2, 3])
    r["f64"] = p.new_array(:float64, [0.5, -1.25])
    r["log"] = p.new_log(["", "a\0b", "xyz"]) # records are a String's bytes
    blocks = p.new_blocks(512, 2)
    blocks[0] = "hello"
    r["blocks"] = blocks
    r["set"] = Set[7, "seven", "\x07".b] # a ::Set stores a set
    # Array keys are tuples, ::Set keys frozen sets
    r["tuplekeys"] = { [1, "a"] => "x", [2, [3.5, "\x04".b]] => 2, Set["b", 2] => 3 }
    r["record"] = Point.new(x: 1, y: 2.5) # a registered class's instance is a record
    # a Hash stores a Map: a sorted map is made by the pool, keys in any order
    r["sorted"] = p.new_sorted_map("b" => 2, 1 => "one", "\x01".b => 2.5)
  end
end

# The record class of the data set; only the writer registers it, so the
# dump reads every record as a Pmemkit::Record.
class Point < Pmemkit::Object
  attribute :x, :y
end

def hexof(s)
  s.empty? ? "-" : s.unpack1("H*")
end

def key(k)
  case k
  when Integer then "i:#{k}"
  when String then k.encoding == Encoding::BINARY ? "b:#{hexof(k)}" : "s:#{k.unpack1('H*')}"
  when Symbol then key(k.name)
  when Pmemkit::Tuple then "t:(#{k.map { |x| item(x) }.join(',')})"
  when Pmemkit::FrozenSet then "fs:{#{k.map { |x| item(x) }.join(',')}}"
  else raise TypeError, "a key of class #{k.class}"
  end
end

# a tuple key's item (or a frozen set's member): as a key, and floats,
# booleans and nil too
def item(x)
  case x
  when Float then "f:#{[x].pack('G').unpack1('H*')}"
  when true, false, nil then x.inspect
  else key(x)
  end
end

def elem_name(code)
  Pmemkit.native_rows(:pk_elem_table).find { |row| row.code == code }&.sname or
    raise ArgumentError, "element type #{code}"
end

def scalar(v)
  case v
  when nil then "nil"
  when true, false then "bool #{v}"
  when Integer then "int #{v}"
  when Float then "float #{[v].pack('G').unpack1('H*')}"
  when String then v.encoding == Encoding::BINARY ? "bytes #{hexof(v)}" : "str #{hexof(v)}"
  else raise TypeError, "a value of class #{v.class}"
  end
end

def dump(path, v, out)
  case v
  when Pmemkit::SortedMap # before Map: it is one, in key order
    out << "#{path} sorted #{v.size}"
    v.each_with_index do |(k, x), i|
      out << "#{path}@#{i} #{key(k)}"
      dump("#{path}/#{key(k)}", x, out)
    end
  when Pmemkit::Map, Pmemkit::Record # a record's attribute names are Symbols
    out << (v.is_a?(Pmemkit::Map) ? "#{path} map #{v.size}" : "#{path} record #{v.class_name.unpack1('H*')} #{v.size}")
    v.each_pair { |k, x| dump("#{path}/#{key(k)}", x, out) }
  when Pmemkit::List, Pmemkit::Tuple, Pmemkit::FrozenSet
    kind = case v
           when Pmemkit::Tuple then "tuple"
           when Pmemkit::FrozenSet then "frozenset"
           else "list"
           end
    out << "#{path} #{kind} #{v.size}"
    v.each_with_index { |x, i| dump("#{path}[#{i}]", x, out) }
  when Pmemkit::TypedArray
    code = Pmemkit::Native.pk_array_type(v.native_handle)[0]
    out << "#{path} array #{elem_name(code)} #{v.size}"
    v.each_with_index { |x, i| out << "#{path}[#{i}] #{scalar(x)}" }
  when Pmemkit::Log
    out << "#{path} log #{v.size}"
    v.each_with_index { |rec, i| out << "#{path}[#{i}] #{scalar(rec)}" }
  when Pmemkit::Set
    out << "#{path} set #{v.size}"
    v.each { |e| out << "#{path}/#{key(e)} member" }
  when Pmemkit::Blocks
    out << "#{path} blocks #{v.block_size} #{v.size}"
    v.each_with_index { |blk, i| out << "#{path}[#{i}] #{scalar(blk)}" }
  else
    out << "#{path} #{scalar(v)}"
  end
end

cmd, path = ARGV
abort "usage: ruby.rb write|dump POOL" unless ARGV.size == 2 && %w[write dump].include?(cmd)
if cmd == "write"
  Pmemkit.register(Point)
  write(path)
else
  out = []
  Pmemkit::Pool.open(path) { |p| dump(".", p.root, out) }
  $stdout.write(out.map { |line| "#{line}\n" }.join)
end
