# frozen_string_literal: true

require_relative "helper"

class TestList < PmemkitTest::Case
  def setup
    super
    root["l"] = []
    @l = root["l"]
  end

  def test_push_and_index
    assert_same @l, @l << 1
    @l.push(2, 3).append("four")
    assert_equal 4, @l.size
    assert_equal 1, @l[0]
    assert_equal "four", @l[-1]
    assert_equal 3, @l[-2]
    assert_equal "four", @l.last
    assert_nil @l[4]
    assert_nil @l[-5]
    assert_equal 1, @l.first
    assert_equal [1, 2], @l.first(2)
  end

  def test_fetch
    @l.push(:a)
    assert_equal "a", @l.fetch(-1)
    assert_equal :d, @l.fetch(5, :d)
    assert_equal 10, @l.fetch(5) { |i| i * 2 }
    assert_raises(IndexError) { @l.fetch(1) }
  end

  def test_assignment
    @l.push(1, 2)
    @l[0] = "one"
    @l[-1] = "two"
    assert_equal %w[one two], @l.to_a
    @l[2] = 3
    assert_equal ["one", "two", 3], @l.to_a
    @l[5] = 6
    assert_equal ["one", "two", 3, nil, nil, 6], @l.to_a
    assert_raises(IndexError) { @l[-7] = 0 }
    @l[1] = { "nested" => [1] }
    assert_equal [1], @l[1]["nested"].to_a
    assert_healthy
  end

  def test_insert_delete_pop_shift
    @l.push(1, 2, 3)
    @l.insert(1, :a, :b)
    assert_equal [1, "a", "b", 2, 3], @l.to_a
    @l.insert(-2, :c) # after the element at -2, as Array#insert
    assert_equal [1, "a", "b", 2, "c", 3], @l.to_a
    @l.insert(8, :z)
    assert_equal [1, "a", "b", 2, "c", 3, nil, nil, "z"], @l.to_a
    assert_raises(IndexError) { @l.insert(-11, 0) }
    assert_equal "a", @l.delete_at(1)
    assert_nil @l.delete_at(100)
    assert_equal "z", @l.pop
    assert_equal 1, @l.shift
    @l.unshift(0)
    assert_equal [0, "b", 2, "c", 3, nil, nil], @l.to_a
    @l.clear
    assert_nil @l.pop
    assert_nil @l.shift
    assert @l.empty?
  end

  def test_popped_container_is_a_plain_copy
    @l << { "k" => [1, 2] }
    v = @l.pop
    assert_equal({ "k" => [1, 2] }, v)
    assert_instance_of Hash, v
    assert_healthy
  end

  def test_each_and_enumerable
    @l.concat([3, 1], [2])
    seen = []
    assert_same @l, @l.each { |v| seen << v }
    assert_equal [3, 1, 2], seen
    assert_equal [1, 2, 3], @l.sort
    assert_equal [6, 2, 4], @l.map { |v| v * 2 }
    assert_equal 3, @l.each.size
    assert_equal [[3, 0], [1, 1], [2, 2]], @l.each_with_index.to_a
    assert @l.include?(2)
    assert_equal 1, @l.min
  end

  def test_nested_and_deep_copy
    @l.push([1, [2, [3]]], { "m" => pool.new_array(:float64, [0.5]) })
    assert_instance_of Pmemkit::List, @l[0]
    assert_equal 3, @l.dig(0, 1, 1, 0)
    a = @l.to_a
    assert_equal [[1, [2, [3]]], { "m" => [0.5] }], a
    a[0] << :more
    assert_equal 2, @l[0].size
    reopen
    assert_equal [[1, [2, [3]]], { "m" => [0.5] }], root["l"].to_a
  end

  def test_iterating_goes_by_index_as_array_each
    @l.push(1, 2, 3)
    ref = [1, 2, 3]
    [@l, ref].each { |seq| seq.each { |v| seq << v * 10 if seq.size < 6 } }
    assert_equal ref, @l.to_a
    assert_equal [1, 2, 3, 10, 20, 30], @l.to_a
    seen = [@l, ref.dup].map do |seq|
      got = []
      seq.each_with_index do |v, i|
        got << v
        seq.insert(0, :front) if i == 1
        seq.delete_at(0) if i == 3
      end
      got
    end
    assert_equal seen[1], seen[0]
    @l.each_with_index { |v, i| @l[i] = v } # setting elements is fine
    root["o"] = { "a" => 1 }
    other = root["o"]
    assert_raises(Pmemkit::ChangedError) do # the block's own error goes up
      @l.each { other.each { |k, _| other["#{k}x"] = 2 } }
    end
  end

  def test_equality_and_inspect
    @l.push(1, "a")
    assert @l == [1, "a"]
    assert @l == root["l"]
    refute @l == [1]
    assert_equal '#<Pmemkit::List [1, "a"]>', @l.inspect
  end
end
