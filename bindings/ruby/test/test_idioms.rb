# frozen_string_literal: true

require_relative "helper"
require "json"

# Issue 19: Array's and Hash's own idioms on List and Map. The ones that
# change several elements are one transaction.
class TestListIdioms < PmemkitTest::Case
  def setup
    super
    root["l"] = [3, 4, 5, [6], { "k" => 7 }]
    @l = root["l"]
  end

  def test_slices_as_array
    a = [3, 4, 5, [6], { "k" => 7 }]
    [[1..2], [0, 2], [-2..], [5..], [6..], [1...-1], [..1], [1..-5], [5, 1], [6, 1],
     [0, -1], [-6, 1], [2, 100]].each do |args|
      want = a[*args]
      msg = "l[#{args.map(&:inspect).join(', ')}]"
      want.nil? ? assert_nil(@l[*args], msg) : assert_equal(want, @l[*args], msg)
    end
    assert_equal [4, 5], @l.slice(1, 2)
    assert_equal 4, @l[1.0]
    assert_instance_of Pmemkit::List, @l[3, 1].first, "elements as #[] gives them"
  end

  def test_last_index_join_plus_reverse
    assert_equal [[6], { "k" => 7 }], @l.last(2)
    assert_equal [3, 4, 5, [6], { "k" => 7 }], @l.last(9)
    assert_equal [], @l.last(0)
    assert_raises(ArgumentError) { @l.last(-1) }
    assert_equal 1, @l.index(4)
    assert_equal 3, @l.index([6])
    assert_equal 2, @l.index { |v| v == 5 }
    assert_nil @l.index(9)
    @l << 4
    assert_equal 5, @l.rindex(4)
    assert_equal "3-4-5-6-#{{ 'k' => 7 }}-4", @l.join("-")
    assert_equal [3, 4, 5, [6], { "k" => 7 }, 4, 1], @l + [1]
    assert_equal [0, 3, 4, 5, [6], { "k" => 7 }, 4], [0] + @l
    assert_equal [4, { "k" => 7 }, [6], 5, 4, 3], @l.reverse
  end

  def test_equality_is_symmetric_with_array
    assert [3, 4, 5, [6], { "k" => 7 }] == @l
    assert @l == [3, 4, 5, [6], { "k" => 7 }]
    refute [3, 4] == @l
    assert_equal [3, 4, 5, [6], { "k" => 7 }], @l # minitest compares expected == actual
  end

  def test_to_ary_gives_the_stored_elements
    _, _, _, inner, map = @l
    inner << 6.5
    map["j"] = 8
    assert_equal [6, 6.5], root["l"][3].to_a, "changed in the pool, not in a copy"
    assert_equal({ "k" => 7, "j" => 8 }, root["l"][4].to_h)
    assert_equal [3, 4, 5, 6, 6.5, { "k" => 7, "j" => 8 }], [@l].flatten
    assert_equal 5, Array(@l).size
  end

  def test_pop_and_shift_n
    assert_equal [[6], { "k" => 7 }], @l.pop(2)
    assert_equal [3, 4, 5], @l.to_a
    assert_equal [3], @l.shift(1)
    assert_equal [4, 5], @l.pop(5)
    assert_equal [], @l.pop(1)
    assert_raises(ArgumentError) { @l.pop(-1) }
    assert_healthy
  end

  def test_slice_bang
    assert_equal [4, 5], @l.slice!(1, 2)
    assert_equal [3, [6], { "k" => 7 }], @l.to_a
    assert_equal [[6], { "k" => 7 }], @l.slice!(1..)
    assert_equal 3, @l.slice!(0)
    assert_nil @l.slice!(3, 1)
    assert_nil @l.slice!(0)
    assert_equal [], @l.to_a
    assert_healthy
  end

  def test_delete
    @l.push(4, [6], 4)
    assert_equal 4, @l.delete(4)
    assert_equal [3, 5, [6], { "k" => 7 }, [6]], @l.to_a
    assert_equal [6], @l.delete([6])
    assert_instance_of Array, @l.delete(3).then { @l.to_a }
    assert_equal [5, { "k" => 7 }], @l.to_a
    assert_nil @l.delete(99)
    assert_equal :none, @l.delete(99) { :none }
    assert_healthy
  end

  def test_map_sort_reverse_in_place
    assert_same @l, @l.map! { |v| v.is_a?(Integer) ? v * 10 : v }
    assert_equal [30, 40, 50, [6], { "k" => 7 }], @l.to_a
    inner = @l[3]
    @l.reverse!
    assert_equal [{ "k" => 7 }, [6], 50, 40, 30], @l.to_a
    assert inner.same?(@l[1]), "a container moves, it is not copied"
    @l.slice!(0, 2)
    @l.push(10, 60)
    assert_equal [10, 30, 40, 50, 60], @l.sort!.to_a
    assert_equal [60, 50, 40, 30, 10], @l.sort! { |a, b| b <=> a }.to_a
    assert_equal [10, 30, 40, 50, 60], @l.sort_by!(&:itself).to_a
    assert_equal [1, 2], @l.collect!(&:itself).then { @l.clear.push(2, 1).sort!.to_a }
    assert_healthy
  end

  def test_changes_of_several_elements_are_one_transaction
    seen = []
    @l.map! { |v| seen << pool.in_transaction? && v }
    @l.clear.push(3, 1, 2)
    @l.sort! { |a, b| seen << pool.in_transaction?; a <=> b }
    spy = Object.new
    p = pool
    spy.define_singleton_method(:==) { |_| seen << p.in_transaction?; false }
    @l.delete(spy)
    assert(seen.all?, "every step inside the transaction")
    assert_raises(RuntimeError) { @l.map! { |v| v == 2 ? raise("half way") : v * 10 } }
    assert_equal [1, 2, 3], @l.to_a, "all or nothing"
    assert_healthy
  end

  def test_a_crash_leaves_the_old_or_the_new_elements
    pool.root["big"] = Array.new(3000) { 1 }
    pool.close
    rd, wr = IO.pipe
    5.times do |round|
      pid = fork do
        rd.close
        Pmemkit::Pool.open(@path) do |p|
          big = p.root["big"]
          wr.puts "ready"
          wr.flush
          loop { big.map! { |v| v + 1 } }
        end
      end
      rd.gets
      sleep(0.005 + (round * 0.007))
      Process.kill(:KILL, pid)
      Process.wait(pid)
      Pmemkit::Pool.open(@path) do |p|
        values = p.root["big"].to_a
        assert_equal 3000, values.size
        assert_equal 1, values.uniq.size, "round #{round}: #{values.uniq.first(5)}"
        assert p.check[:ok]
      end
    end
    wr.close
  end
end

class TestMapIdioms < PmemkitTest::Case
  def setup
    super
    root["m"] = { "a" => 1, "b" => 2, "c" => [3] }
    @m = root["m"]
  end

  def test_select_reject_transform_give_hashes
    assert_equal({ "a" => 1 }, @m.select { |k, _| k == "a" })
    assert_equal({ "b" => 2 }, @m.filter { |_, v| v == 2 })
    assert_equal({ "a" => 1, "b" => 2 }, @m.reject { |_, v| v.is_a?(Pmemkit::List) })
    assert_equal({ "a" => "1", "b" => "2", "c" => "[3]" }, @m.transform_values { |v| v.is_a?(Integer) ? v.to_s : v.to_a.to_s })
    assert_instance_of Hash, @m.select { true }
    assert_instance_of Pmemkit::List, @m.select { true }["c"]
  end

  def test_values_at_fetch_values_slice_key
    assert_equal [1, nil], @m.values_at("a", "z")
    assert_equal [1, 2], @m.fetch_values("a", "b")
    assert_raises(KeyError) { @m.fetch_values("a", "z") }
    assert_equal [1, "Z"], @m.fetch_values("a", "z", &:upcase)
    assert_equal({ "a" => 1, "c" => [3] }, @m.slice("a", "c", "z"))
    assert_equal "b", @m.key(2)
    assert_equal "c", @m.key([3])
    assert_nil @m.key(9)
  end

  def test_merge_gives_a_hash_and_leaves_the_map
    h = @m.merge({ "a" => 10, "d" => 4 }) { |_, old, new| old + new }
    assert_equal({ "a" => 11, "b" => 2, "c" => [3], "d" => 4 }, h)
    assert_equal 3, @m.size
    assert_equal({ "x" => 1, "a" => 1, "b" => 2, "c" => [3] }, { "x" => 1 }.merge(@m))
  end

  def test_delete_if_keep_if
    assert_same @m, @m.delete_if { |k, _| k == "a" }
    assert_equal({ "b" => 2, "c" => [3] }, @m.to_h)
    assert_same @m, @m.keep_if { |_, v| v.is_a?(Pmemkit::List) }
    assert_equal({ "c" => [3] }, @m.to_h)
    assert_nil @m.reject! { false }
    assert_nil @m.select! { true }
    assert_same @m, @m.reject! { true }
    assert @m.empty?
    assert_healthy
  end

  def test_delete_if_is_one_transaction
    inside = []
    @m.delete_if { |_, v| inside << pool.in_transaction?; v == 1 }
    assert inside.all?
    assert_raises(RuntimeError) { @m.delete_if { |k, _| k == "c" ? raise("half way") : true } }
    assert_equal({ "b" => 2, "c" => [3] }, @m.to_h, "all or nothing")
  end

  def test_to_hash_double_splat_and_symmetric_equality
    assert({ "a" => 1, "b" => 2, "c" => [3] } == @m)
    assert @m == { "a" => 1, "b" => 2, "c" => [3] }
    refute({ "a" => 1 } == @m)
    root["kw"] = { "x" => 1 }
    kw = root["kw"]
    assert_equal({ "x" => 1, "y" => 2 }, { **kw, "y" => 2 })
    root["sym"] = { a: 1 }
    def self.takes(a:) = a
    assert_raises(ArgumentError, "keys read back as Strings") { takes(**root["sym"]) }
    @m.to_hash["c"] << 4
    assert_equal [3, 4], @m["c"].to_a, "the values are the stored containers"
  end

  def test_json
    root["j"] = { "n" => 1, "l" => [true, nil, 2.5], "s" => "ü" }
    assert_equal '{"n":1,"l":[true,null,2.5],"s":"ü"}', root["j"].to_json
    assert_equal({ "m" => { "n" => 1, "l" => [true, nil, 2.5], "s" => "ü" } },
                 JSON.parse(JSON.generate({ "m" => root["j"] })))
    assert_equal "[true,null,2.5]", JSON.generate(root["j"]["l"])
    a = pool.new_array(:int32, [1, 2])
    assert_equal "[1,2]", a.to_json
    assert [1, 2] == a, "symmetric with Array, as List"
    assert_equal({ "n" => 1, "l" => [true, nil, 2.5], "s" => "ü" }, root["j"].as_json)
  end
end
