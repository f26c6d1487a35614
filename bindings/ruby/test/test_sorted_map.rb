# frozen_string_literal: true

require_relative "helper"
require "set"
require "open3"

class TestSortedMap < PmemkitTest::Case
  def scores
    root["scores"] = pool.new_sorted_map unless root.key?("scores")
    root["scores"]
  end

  def test_new_sorted_map_keeps_keys_in_order
    root["s"] = pool.new_sorted_map("b" => 2, 1 => "one", "\x01".b => 2.5)
    m = root["s"]
    assert_kind_of Pmemkit::SortedMap, m
    assert_kind_of Pmemkit::Map, m, "a SortedMap is a Map: everything a Map does"
    assert_kind_of Enumerable, m
    assert_equal [1, "\x01".b, "b"], m.keys
    assert_equal ["one", 2.5, 2], m.values
    assert_equal [[1, "one"], ["\x01".b, 2.5], ["b", 2]], m.to_a
    assert_equal 3, m.size
    assert_equal 3, m.length
    reopen
    m = root["s"]
    assert_kind_of Pmemkit::SortedMap, m
    assert_equal [1, "\x01".b, "b"], m.each_key.to_a
    assert_equal({ 1 => "one", "\x01".b => 2.5, "b" => 2 }, m.to_h)
    assert_equal [1, "\x01".b, "b"], m.to_h.keys, "to_h keeps the order"
    assert_healthy
  end

  def test_hash_methods
    m = scores
    m["carol"] = 7
    m["alice"] = 5
    m[:bob] = 3 # a Symbol is stored as its name
    assert_equal 5, m["alice"]
    assert_equal 3, m["bob"]
    assert_nil m["nobody"]
    assert_equal 7, m.fetch("carol")
    assert_equal 0, m.fetch("nobody", 0)
    assert_equal "nobody!", m.fetch("nobody") { |k| "#{k}!" }
    assert_raises(KeyError) { m.fetch("nobody") }
    assert m.key?("alice")
    assert m.include?(:alice)
    assert m.member?("bob")
    assert m.has_key?("carol")
    refute m.key?("dave")
    assert_equal %w[alice bob carol], m.keys
    assert_equal [%w[alice 5], %w[bob 3], %w[carol 7]], m.each_pair.map { |k, v| [k, v.to_s] }
    assert_equal [["carol", 7], ["bob", 3], ["alice", 5]], m.reverse_each.to_a
    assert_equal({ "alice" => 5, "carol" => 7 }, m.select { |_, v| v > 4 })
    assert_equal 5, m.delete("alice")
    assert_nil m.delete("alice")
    assert_equal "none", m.delete("alice") { "none" }
    assert_equal({ "bob" => 3, "carol" => 7 }, m)
    assert_equal m, { "carol" => 7, "bob" => 3 }
    m.update("a" => 1, "z" => 26)
    assert_equal %w[a bob carol z], m.keys
    m.delete_if { |k, _| k.size == 1 }
    assert_equal %w[bob carol], m.keys
    assert_same m, m.clear
    assert_empty m
    reopen
    assert_empty root["scores"]
  end

  def test_keys_in_the_library_order
    m = scores
    keys = [[1, "a"], "b", "a", "\xff".b, "\x00".b, 2**70, 2.5, -1, nil, [0], [1]]
    keys.shuffle(random: Random.new(1)).each { |k| m[k] = k.to_s }
    assert_equal [nil, -1, 2.5, 2**70, "\x00".b, "\xff".b, "a", "b", [0], [1], [1, "a"]], m.keys
    m[1] = "int"
    m[1.0] = "float"
    m[true] = "bool"
    assert_equal "bool", m[1], "1, 1.0 and true are one key, as in a Map"
    assert_equal 12, m.size
    m["x".b] = 1
    m["x"] = 2
    assert_equal [1, 2], [m["x".b], m["x"]], "a binary and a text String are two keys"
  end

  def test_values_nest_and_read_back_as_containers
    m = scores
    m["list"] = [1, { "k" => "v" }]
    m["set"] = Set[1, 2]
    m["inner"] = pool.new_sorted_map(2 => "b", 1 => "a")
    assert_kind_of Pmemkit::List, m["list"]
    assert_kind_of Pmemkit::Set, m["set"]
    assert_kind_of Pmemkit::SortedMap, m["inner"]
    m["list"] << 3
    m["inner"][0] = "z"
    reopen
    m = root["scores"]
    assert_equal [1, { "k" => "v" }, 3], m["list"].to_a
    assert_equal [0, 1, 2], m["inner"].keys
    assert_equal({ "inner" => { 0 => "z", 1 => "a", 2 => "b" }, "list" => [1, { "k" => "v" }, 3],
                   "set" => Set[1, 2] }, m.to_h)
    assert_operator pool.sizeof(m), :>, 0
    assert_equal pool.stats[:used], pool.sizeof(pool.root, deep: true)
    stats = pool.stats
    assert_equal 2, stats[:sorted_map_count]
    kinds = %i[map list array log blocks set record sorted_map]
    assert_equal stats[:used], kinds.sum { |k| stats[:"#{k}_bytes"] }, "the sorted maps' bytes counted"
    assert_operator stats[:sorted_map_bytes], :>, 0
    assert_equal [1, { "k" => "v" }, 3], m.delete("list"), "delete gives a plain copy"
    assert_equal %w[inner set], m.keys
    assert_healthy
  end

  def test_storing_a_sorted_map_stores_a_reference
    m = scores
    m[1] = "a"
    root["again"] = m
    list = pool.new_list([m])
    root["list"] = list
    root["again"][2] = "b"
    assert_equal [1, 2], m.keys
    assert_equal [1, 2], root["list"][0].keys
    assert root["again"].same?(m)
    assert_equal m, m.dup
    assert m.dup.same?(m)
    assert_raises(FrozenError) { (m["todo"] ||= []) << "milk" }
    m.fetch_or_store("todo2") { [] } << "milk"
    assert_equal ["milk"], m["todo2"].to_a
  end

  def test_order_queries
    m = pool.new_sorted_map(10 => "ten", 20 => "twenty", 30 => "thirty")
    assert_equal [10, "ten"], m.first
    assert_equal [30, "thirty"], m.last
    assert_equal [[10, "ten"], [20, "twenty"]], m.first(2)
    assert_equal [[20, "twenty"], [30, "thirty"]], m.last(2)
    assert_equal [10, "ten"], m.min
    assert_equal [30, "thirty"], m.max
    assert_equal [20, "twenty"], m.at(1)
    assert_equal [30, "thirty"], m.at(-1)
    assert_nil m.at(3)
    assert_equal 1, m.rank(20)
    assert_equal 2, m.rank(20, after: true)
    assert_equal 1, m.rank(15)
    assert_equal [20, "twenty"], m.ceil(15)
    assert_equal [20, "twenty"], m.ceil(20)
    assert_equal [10, "ten"], m.floor(15)
    assert_equal [20, "twenty"], m.floor(20)
    assert_equal [30, "thirty"], m.higher(20)
    assert_equal [10, "ten"], m.lower(20)
    assert_nil m.lower(10)
    assert_nil m.higher(30)
    assert_nil m.ceil("a"), "strings come after numbers"
    assert_equal [30, "thirty"], m.floor("a")
    assert_equal m.ceil(15), m.lower_bound(15)
    assert_equal m.floor(15), m.upper_bound(15)
    assert_equal [10, "ten"], m.shift
    assert_equal [30, "thirty"], m.pop
    assert_equal [20, "twenty"], m.delete_at(0)
    assert_nil m.shift
    assert_nil m.pop
    assert_nil m.first
    assert_equal [], m.first(2)
  end

  def test_ranges
    m = pool.new_sorted_map((1..9).to_h { |i| [i, i * i] })
    assert_equal [1, 2, 3, 4, 5], m.range(1..5).map(&:first)
    assert_equal [1, 2, 3, 4], m.range(1...5).map(&:first)
    assert_equal [7, 8, 9], m.range(7..).map(&:first)
    assert_equal [1, 2], m.range(..2).map(&:first)
    assert_equal [1], m.range(...2).map(&:first)
    assert_equal [5, 4, 3], m.range(3..5, reverse: true).map(&:first)
    assert_equal [4], m.range(3, 5, exclude_begin: true, exclude_end: true).map(&:first)
    assert_equal [8, 9], m.range(8, nil).map(&:first)
    assert_equal [], m.range(5..3).to_a
    assert_equal({ 2 => 4, 3 => 9 }, m.range(2..3).to_h)
    seen = []
    assert_same m, m.range(2..3) { |k, v| seen << [k, v] }
    assert_equal [[2, 4], [3, 9]], seen
    m["a"] = 1
    m["b".b] = 2
    assert_equal [9, "b".b], m.range(9, "a", exclude_end: true).map(&:first),
                 "bounds of two types: two arguments"
    assert_equal 4, m.delete_range(2..5)
    assert_equal [1, 6, 7, 8, 9, "b".b, "a"], m.keys
    assert_equal 4, m.delete_range(8..), "endless: the Strings after the numbers too"
    assert_equal 1, m.delete_range(..1)
    assert_equal 0, m.delete_range(100..200)
    assert_equal [6, 7], m.keys
    assert_raises(ArgumentError) { m.range(1) }
  end

  def test_prefix
    m = pool.new_sorted_map
    %w[user:2 user:1 session:9 user;x users].each { |k| m[k] = k.size }
    m["user:0".b] = 0
    assert_equal %w[user:1 user:2], m.prefix("user:").map(&:first)
    assert_equal %w[user:2 user:1], m.prefix("user:", reverse: true).map(&:first)
    assert_equal ["user:0".b], m.prefix("user:".b).map(&:first), "a prefix's kind is its String's"
    assert_equal %w[user:1 user:2 user;x users], m.prefix("user").map(&:first)
    assert_equal ["user:1"], m.range("user:0".."user:1", prefix: "user:").map(&:first)
    assert_equal 2, m.delete_range(prefix: "user:")
    assert_equal ["user:0".b, "session:9", "user;x", "users"], m.keys
    assert_raises(TypeError) { m.prefix(1) }
  end

  def test_bad_keys_raise_with_nothing_changed
    m = pool.new_sorted_map(1 => "a")
    root["s"] = m
    [{}, Set[1], [1, {}], m, Object.new].each do |bad|
      assert_raises(Pmemkit::KeyTypeError, bad.inspect) { m[bad] = [1, 2] }
    end
    err = assert_raises(Pmemkit::KeyTypeError) { m[Set[1, 2]] = 1 }
    assert_match "frozen set", err.message
    assert_raises(Pmemkit::KeyTypeError) { m.update(2 => "b", {} => "c") }
    assert_raises(Pmemkit::KeyTypeError) { m.range({}..).to_a }
    assert_equal({ 1 => "a" }, m.to_h, "nothing changed, the update neither")
    before = pool.stats[:sorted_map_count]
    assert_raises(Pmemkit::KeyTypeError) { pool.new_sorted_map(1 => 2, Set[3] => 4) }
    assert_equal 0, pool.gc, "a failed new_sorted_map leaves nothing behind"
    assert_equal before, pool.stats[:sorted_map_count]
    assert_healthy
  end

  def test_multi_entry_changes_are_atomic
    m = pool.new_sorted_map((1..5).to_h { |i| [i, i] })
    root["s"] = m
    [-> { m.delete_range(2..4) }, -> { m.clear }, -> { m.update(9 => 9, 10 => 10) },
     -> { m.delete_if { |k, _| k.even? } }, -> { m.shift }].each do |change|
      assert_raises(RuntimeError) do
        pool.transaction do
          change.call
          raise "abort"
        end
      end
      assert_equal [1, 2, 3, 4, 5], m.keys
    end
  end

  class Item < Pmemkit::Object
    attribute :name
  end

  def test_records_as_values_and_plain_copies
    Pmemkit.register(Item, "test_sorted_map.Item")
    m = scores
    m[2] = Item.new(name: "two")
    m[1] = { "sorted" => pool.new_sorted_map(3 => "c", 1 => "a") }
    assert_kind_of Item, m[2]
    assert_equal "two", m[2].name
    copy = root.to_h["scores"]
    assert_instance_of Hash, copy
    assert_equal [1, 3], copy[1]["sorted"].keys, "a plain copy keeps the order"
    assert_equal "two", copy[2].name
    assert_equal "two", m.pop[1].name
  ensure
    Pmemkit.unregister(Item)
  end

  def test_read_only_pool
    scores.update("b" => 2, "a" => 1)
    @pool.close
    @pool = Pmemkit::Pool.open(@path, readonly: true)
    m = root["scores"]
    assert_equal [["a", 1], ["b", 2]], m.range("a"..).to_a
    assert_equal ["b", 2], m.ceil("aa")
    assert_raises(Pmemkit::ReadOnlyError) { m["c"] = 3 }
    assert_raises(Pmemkit::ReadOnlyError) { m.delete_range("a".."b") }
    assert_raises(Pmemkit::ReadOnlyError) { m.shift }
    assert_raises(Pmemkit::ReadOnlyError) { pool.new_sorted_map }
    assert_equal 2, m.size
  end

  def test_iteration_meanwhile_changed
    m = pool.new_sorted_map(1 => 1, 2 => 2)
    assert_raises(Pmemkit::ChangedError) { m.each { |k, _| m[k + 10] = 0 } }
  end

  def test_python_reads_and_writes_sorted_maps
    python = ENV.fetch("PK_PYTHON", "")
    skip "the Python module is not built" if python.empty?
    Pmemkit::Pool.create(@path, size: 32 << 20) { |p| p.root["s"] = p.new_sorted_map("b" => 1, 2 => [3]) }
    code = <<~PY
      import pmemkit
      with pmemkit.Pool.open(path) as p:
          s = p.root["s"]
          assert isinstance(s, pmemkit.SortedMap) and list(s) == [2, "b"]
          s[1.5] = "py"
          p.root["py"] = p.new_sorted_map({(1, "a"): None, b"x": 0})
    PY
    env = { "PYTHONPATH" => ENV.fetch("PK_PYTHONPATH"), "PMEM_IS_PMEM_FORCE" => "1" }
    out, status = Open3.capture2e(env, python, "-c", "path = #{@path.dump}\n#{code}")
    assert status.success?, "python failed:\n#{out}"
    Pmemkit::Pool.open(@path) do |p|
      assert_equal [1.5, 2, "b"], p.root["s"].keys
      assert_kind_of Pmemkit::SortedMap, p.root["py"]
      assert_equal ["x".b, [1, "a"]], p.root["py"].keys
    end
  end

  # The library's order, for the model: nil, numbers, binary Strings,
  # text Strings, tuples (Arrays) item by item.
  def self.order_key(k)
    case k
    when nil then [0]
    when Numeric then [1, k]
    when String then [k.encoding == Encoding::BINARY ? 2 : 3, k.b]
    when Array then [4, k.map { |x| order_key(x) }]
    end
  end

  def sorted_model(model)
    model.sort_by { |k, _| self.class.order_key(k) }
  end

  def test_model_against_a_sorted_hash
    rng = Random.new(23)
    pick = lambda do
      case rng.rand(5)
      when 0 then rng.rand(-50..50)
      when 1 then rng.rand(-50..50) + 0.5
      when 2 then format("k%02d", rng.rand(40))
      when 3 then format("%02d", rng.rand(40)).b
      else [rng.rand(3), format("t%d", rng.rand(3))]
      end
    end
    m = pool.new_sorted_map
    root["model"] = m
    model = {}
    600.times do |step|
      case rng.rand(10)
      when 0..4
        k = pick.call
        m[k] = step
        model[k] = step
      when 5, 6
        k = pick.call
        assert_same model.key?(k), m.key?(k)
        assert_equal model.delete(k).to_i, m.delete(k).to_i
      when 7
        lo, hi = [pick.call, pick.call].sort_by { |k| self.class.order_key(k) }
        excl = rng.rand(2) == 1
        want = sorted_model(model).select do |k, _|
          (self.class.order_key(k) <=> self.class.order_key(lo)) >= 0 &&
            (self.class.order_key(k) <=> self.class.order_key(hi)).then { |c| excl ? c.negative? : c <= 0 }
        end
        assert_equal want, m.range(lo, hi, exclude_end: excl).to_a
        assert_equal want.reverse, m.range(lo, hi, exclude_end: excl, reverse: true).to_a
        if rng.rand(4).zero?
          assert_equal want.size, m.delete_range(lo, hi, exclude_end: excl)
          want.each { |k, _| model.delete(k) }
        end
      when 8
        k = pick.call
        below = sorted_model(model).reject { |mk, _| (self.class.order_key(mk) <=> self.class.order_key(k)).positive? }
        below.empty? ? assert_nil(m.floor(k)) : assert_equal(below.last, m.floor(k))
        assert_equal below.size, m.rank(k, after: true)
      else
        assert_equal sorted_model(model), m.to_a
        assert_equal sorted_model(model).values_at(0, -1), [m.first, m.last]
      end
    end
    reopen
    assert_equal sorted_model(model), root["model"].to_a
    assert_healthy
  end
end
