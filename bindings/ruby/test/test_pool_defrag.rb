# frozen_string_literal: true

require_relative "helper"

# Pool#defrag: after deleting most of a full pool, a value that did not fit
# fits; the containers Ruby holds still reach what moved; what it refuses.
class TestPoolDefrag < PmemkitTest::Case
  REPORT = %i[objects moved moved_bytes freed_bytes].freeze

  def test_defrag_after_deleting_most_lets_a_large_value_fit
    rng = Random.new(7)
    n = 0
    big = "B".b * (4 * MIB)
    kept = nil
    Pmemkit::Pool.create(@path, size: 32 * MIB) do |p|
      root = p.root
      assert_raises(Pmemkit::OutOfSpaceError) do
        loop do
          root[n] = value(n, 4096)
          n += 1
        end
      end
      gone = (0...n).to_a.sample(n * 9 / 10, random: rng)
      gone.each { |i| root.delete(i) }
      kept = (0...n).to_a - gone
      assert_raises(Pmemkit::OutOfSpaceError) { root["big"] = big }

      rep = p.defrag
      assert_instance_of Hash, rep
      assert_equal REPORT, rep.keys.first(REPORT.size), "the fields of pk_defrag_report, in its order"
      rep.each_value { |v| assert_kind_of Integer, v }
      assert_operator rep[:objects], :>=, kept.size
      assert_includes 1..rep[:objects], rep[:moved]
      assert_operator rep[:moved_bytes], :>=, rep[:moved]
      assert_operator rep[:freed_bytes], :>=, 4 * MIB

      root["big"] = big
      assert_equal kept, root.keys.grep(Integer).sort
      kept.each { |i| assert_equal value(i, 4096), root[i] }
      assert_healthy p
    end
    Pmemkit::Pool.open(@path) do |p|
      assert_equal big, p.root["big"]
      assert_equal kept.size + 1, p.root.size
      kept.each { |i| assert_equal value(i, 4096), p.root[i] }
    end
  end

  def test_containers_held_reach_what_moved
    keep = []
    300.times do |i|
      root[i] = { "i" => i, "l" => (0...(i % 5)).to_a }
      keep << [i, root[i]] if (i % 10).zero?
    end
    300.times { |i| root.delete(i) unless (i % 10).zero? }
    root["arr"] = arr = pool.new_array(:int64, (0...1000).to_a)
    root["log"] = log = pool.new_log(%w[a b c])
    pool.defrag
    keep.each do |i, m|
      assert_equal({ "i" => i, "l" => (0...(i % 5)).to_a }, m.to_h)
      m["after"] = i
      assert_equal i, root[i]["after"]
    end
    assert_equal (0...1000).to_a, arr.to_a
    assert_equal %w[a b c], log.each.to_a
    assert_healthy
  end

  def test_defrag_of_a_fresh_pool_moves_nothing
    rep = pool.defrag
    assert_equal 0, rep[:moved]
    assert_equal 0, rep[:moved_bytes]
  end

  def test_defrag_refuses_inside_a_transaction_and_on_a_closed_pool
    root["k"] = [1, 2]
    assert_raises(Pmemkit::TransactionError) do
      pool.transaction { pool.defrag }
    end
    assert_equal [1, 2], root["k"].to_a
    p = pool
    p.close
    assert_raises(Pmemkit::ClosedError) { p.defrag }
  end
end
