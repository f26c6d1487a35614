# frozen_string_literal: true

require_relative "helper"

# Space accounting: Pool#stats per kind, Pool#sizeof of a container or a
# record alone and with what it refers to.
class TestSpace < PmemkitTest::Case
  class Node < Pmemkit::Object
    attribute :data, :next
  end

  KINDS = %i[map list array log blocks set record].freeze

  def setup
    super
    Pmemkit.register(Node, "test_space.Node")
  end

  def teardown
    Pmemkit.unregister(Node)
    super
  end

  def test_stats_per_kind
    root["m"] = (0...200).to_h { |i| [i, "x".b * ((i % 10).zero? ? 5000 : 1)] }
    root["l"] = (0...50).to_a
    root["s"] = Set[1, 2]
    st = pool.stats
    assert_equal 2, st[:map_count]
    assert_equal 1, st[:list_count]
    assert_equal 1, st[:set_count]
    assert_equal 0, st[:record_count]
    assert_equal 0, st[:record_bytes]
    assert_operator st[:map_bytes], :>, 20 * 5000
    # every object the pool holds is some container's
    assert_equal st[:used], KINDS.sum { |k| st[:"#{k}_bytes"] }

    root["a"] = pool.new_array(:int64, 1000)
    root["g"] = pool.new_log(%w[one two])
    root["b"] = pool.new_blocks(4096, 4)
    root["n"] = Node.new(data: "d")
    st = pool.stats
    KINDS.each { |k| assert_operator st[:"#{k}_count"], :>=, 1, k }
    assert_operator st[:array_bytes], :>=, 8000
    assert_operator st[:blocks_bytes], :>=, 4 * 4096
    assert_equal st[:used], KINDS.sum { |k| st[:"#{k}_bytes"] }
  end

  def test_sizeof_shallow_and_deep
    root["m"] = { "blob" => "y".b * 100_000, "inner" => ["z".b * 50_000] }
    m = root["m"]
    inner = m["inner"]
    assert_operator pool.sizeof(m), :>=, 100_000
    assert_operator pool.sizeof(inner), :>=, 50_000
    assert_equal pool.sizeof(inner), pool.sizeof(inner, deep: true)
    assert_equal pool.sizeof(m) + pool.sizeof(inner), pool.sizeof(m, deep: true)
    # a cycle counts each container once
    inner << m
    assert_equal pool.sizeof(m) + pool.sizeof(inner), pool.sizeof(m, deep: true)
    assert_equal pool.sizeof(inner) + pool.sizeof(m), pool.sizeof(inner, deep: true)
    assert_equal pool.stats[:used], pool.sizeof(root, deep: true)
  end

  def test_sizeof_records
    n = Node.new(data: "q".b * 20_000)
    root["n"] = n # binds n to the record
    assert_operator pool.sizeof(n), :>=, 20_000
    n.next = Node.new(data: "r".b * 30_000)
    assert_equal pool.sizeof(n) + pool.sizeof(n.next), pool.sizeof(n, deep: true)
    n.next.next = n # a cycle of records
    assert_equal pool.sizeof(n) + pool.sizeof(n.next), pool.sizeof(n, deep: true)
    generic = pool.new(Pmemkit::Record, "Other", data: "s".b * 10_000)
    root["o"] = generic
    assert_operator pool.sizeof(root["o"]), :>=, 10_000
    st = pool.stats
    assert_equal 3, st[:record_count]
    assert_equal pool.sizeof(n) + pool.sizeof(n.next) + pool.sizeof(generic), st[:record_bytes]
    assert_equal st[:used], pool.sizeof(root, deep: true)
  end

  def test_sizeof_refuses_what_the_pool_does_not_hold
    n = Node.new(data: "q".b * 20_000)
    e = assert_raises(TypeError) { pool.sizeof(n) } # not stored
    assert_match(/volatile/, e.message)
    root["n"] = Node.new(data: 1)
    copy = root.to_h["n"] # a frozen volatile copy
    assert_raises(TypeError) { pool.sizeof(copy) }
    [1, "x", nil, {}, [], Set[1], Pmemkit::Tuple[1, 2], Pmemkit::FrozenSet[1]].each do |bad|
      assert_raises(TypeError, bad.inspect) { pool.sizeof(bad) }
      assert_raises(TypeError, bad.inspect) { pool.sizeof(bad, deep: true) }
    end

    other = Pmemkit::Pool.create(File.join(@dir, "other.pool"), size: 16 << 20)
    begin
      assert_raises(ArgumentError) { pool.sizeof(other.root) }
      other.root["n"] = Node.new(data: 2)
      assert_raises(ArgumentError) { pool.sizeof(other.root["n"]) }
    ensure
      other.close
    end

    m = root
    pool.close
    assert_raises(Pmemkit::ClosedError) { pool.sizeof(m) }
    assert_raises(Pmemkit::ClosedError) { pool.stats }
  end

  def test_stats_survive_a_reopen
    root["l"] = ["w".b * 40_000]
    before = pool.stats
    reopen
    after = pool.stats
    KINDS.each do |k|
      assert_equal before[:"#{k}_count"], after[:"#{k}_count"], k
      assert_equal before[:"#{k}_bytes"], after[:"#{k}_bytes"], k
    end
    assert_equal after[:used], pool.sizeof(root, deep: true)
  end
end
