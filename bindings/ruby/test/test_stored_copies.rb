# frozen_string_literal: true

require_relative "helper"

# Issue 19: a Hash or Array stored in a container is copied, and Ruby gives
# an assignment the value of its right-hand side, so changing that object
# afterwards would store nothing. It is frozen instead (loud), and the
# idioms that give the stored container work.
class TestStoredCopies < PmemkitTest::Case
  def test_or_assign_then_append_raises_instead_of_losing
    assert_raises(FrozenError) { (root["todo"] ||= []) << "milk" }
    assert_equal [], root["todo"].to_a, "the empty list is stored, nothing else"
    (root["todo"] ||= []) << "milk" # now it is found: the List
    assert_equal ["milk"], root["todo"].to_a
  end

  def test_the_assignments_value_is_frozen_deeply
    x = (root["m"] = { "inner" => [1, { "deep" => [] }] })
    assert_raises(FrozenError) { x["a"] = 1 }
    assert_raises(FrozenError) { x["inner"] << 2 }
    assert_raises(FrozenError) { x["inner"][1]["deep"] << 3 }
    assert_equal({ "inner" => [1, { "deep" => [] }] }, root["m"].to_h)
    s = +"text"
    root["l"] = [s]
    refute s.frozen?, "only the Hashes and Arrays copied are frozen"
  end

  def test_a_stored_array_can_no_longer_be_changed
    a = [1]
    root["x"] = a
    assert_raises(FrozenError) { a << 2 } # it would not reach the pool
    root["x"] << 2 # the stored List
    assert_equal [1, 2], root["x"].to_a
    b = a.dup
    b << 3
    root["y"] = b
    assert_equal [1, 3], root["y"].to_a
  end

  def test_every_way_of_storing_freezes_the_copy
    list = pool.new_list
    pushed = []
    list << pushed
    list.insert(0, inserted = {})
    list[5] = padded = []
    list[0] = set = [1]
    root.update("u" => (updated = [2]))
    [pushed, inserted, padded, set, updated].each { |o| assert_predicate o, :frozen? }
    root["list"] = list
    assert_healthy
  end

  def test_a_failed_store_leaves_the_object_alone
    h = { "a" => Object.new }
    assert_raises(TypeError) { root["h"] = h }
    refute h.frozen?
    refute root.key?("h")
  end

  def test_fetch_or_store
    root.fetch_or_store("todo") { [] } << "milk"
    root.fetch_or_store("todo") { flunk "the key is there" } << "eggs"
    assert_equal %w[milk eggs], root["todo"].to_a
    assert_equal 0, root.fetch_or_store("n", 0)
    assert_equal 0, root["n"]
    root.fetch_or_store("m", {})["a"] = 1
    assert_equal({ "a" => 1 }, root["m"].to_h)
    assert_equal "k", root.fetch_or_store("k", &:itself)
    assert_raises(ArgumentError) { root.fetch_or_store("z") }
    refute root.key?("z")
    assert_healthy
  end

  def test_compute_if_absent
    root.compute_if_absent("set") { {} }["x"] = true
    assert_equal({ "x" => true }, root["set"].to_h)
    assert_raises(ArgumentError) { root.compute_if_absent("none") }
  end

  def test_a_failing_block_stores_nothing
    assert_raises(RuntimeError) { root.fetch_or_store("a") { raise "no" } }
    refute root.key?("a")
  end

  def test_store_returns_the_stored_container
    root.store("m", {})["a"] = 1
    assert_equal({ "a" => 1 }, root["m"].to_h)
    root.store("l", []) << 1
    assert_equal [1], root["l"].to_a
    assert_equal 5, root.store("n", 5)
  end

  def test_default_proc_stores_a_container_for_a_missing_key
    m = root
    m.default_proc = proc { |map, key| map[key] = [] }
    m["todo"] << "milk"
    m["todo"] << "eggs"
    assert_equal %w[milk eggs], m["todo"].to_a
    m["groups"] = {}
    m.dig("groups").default_proc = proc { |g, k| g[k] = {} }
    assert_instance_of Proc, m.default_proc
    reopen
    assert_equal %w[milk eggs], root["todo"].to_a
    assert_nil root["other"], "the default belongs to the Map object, not to the pool"
  end

  def test_default_proc_that_stores_nothing
    m = root
    m.default_proc = proc { |_, key| key * 2 }
    assert_equal "abab", m["ab"]
    refute m.key?("ab")
    m["n"] = 1
    m["n"] += 1
    assert_equal 2, m["n"]
    m.default_proc = nil
    assert_nil m["ab"]
    assert_raises(TypeError) { m.default_proc = 1 }
  end
end
