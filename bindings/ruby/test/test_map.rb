# frozen_string_literal: true

require_relative "helper"

class TestMap < PmemkitTest::Case
  def test_hash_like_access
    m = root
    assert_nil m["missing"]
    m["a"] = 1
    m.store("b", 2)
    assert_equal 1, m["a"]
    assert_equal 2, m.size
    assert_equal 2, m.length
    refute m.empty?
    assert m.key?("a")
    assert m.include?("b")
    assert m.has_key?("a")
    assert m.member?("a")
    refute m.key?("c")
    m["a"] = "replaced"
    assert_equal "replaced", m["a"]
    assert_equal 2, m.size
  end

  def test_fetch
    root["a"] = 1
    assert_equal 1, root.fetch("a")
    assert_equal :d, root.fetch("zz", :d)
    assert_equal "zz!", root.fetch("zz") { |k| "#{k}!" }
    e = assert_raises(KeyError) { root.fetch("zz") }
    assert_equal "zz", e.key
    assert_same root.pool, e.receiver.pool
    assert_raises(ArgumentError) { root.fetch("a", 1, 2) }
  end

  def test_delete
    root["a"] = 1
    root["nested"] = { "x" => [1, { "y" => 2 }] }
    assert_equal 1, root.delete("a")
    assert_nil root.delete("a")
    assert_equal "gone: a", root.delete("a") { |k| "gone: #{k}" }
    copy = root.delete("nested")
    assert_equal({ "x" => [1, { "y" => 2 }] }, copy)
    assert_instance_of Hash, copy, "a removed container comes back as a plain copy"
    assert root.empty?
    assert_healthy
  end

  def test_each_and_enumerable
    data = { "a" => 1, "b" => 2, "c" => 3 }
    m = root
    assert_same m, m.update(data)
    pairs = []
    assert_same m, m.each { |k, v| pairs << [k, v] }
    assert_equal data.to_a.sort, pairs.sort
    assert_equal data.to_a.sort, root.each_pair.to_a.sort
    assert_equal 3, root.each.size
    assert_equal %w[a b c], root.keys.sort
    assert_equal [1, 2, 3], root.values.sort
    assert_equal %w[a b c], root.each_key.sort
    assert_equal [1, 2, 3], root.each_value.sort
    assert_equal 6, root.sum { |_, v| v }
    assert_equal %w[b c], root.select { |_, v| v > 1 }.map(&:first).sort
    assert_equal ["c", 3], root.max_by { |_, v| v }
    assert_equal 3, root.count
  end

  def test_nested_containers
    root["cfg"] = { "retries" => 3, "hosts" => %w[a b], "limits" => { "cpu" => 2.5 } }
    cfg = root["cfg"]
    assert_instance_of Pmemkit::Map, cfg
    assert_instance_of Pmemkit::List, cfg["hosts"]
    assert_equal 2.5, root.dig("cfg", "limits", "cpu")
    assert_equal "b", root.dig("cfg", "hosts", 1)
    assert_nil root.dig("cfg", "nope", "x")
    cfg["hosts"] << "c"
    reopen
    assert_equal %w[a b c], root["cfg"]["hosts"].to_a
    assert_healthy
  end

  def test_a_container_stored_in_two_places_is_shared
    root["one"] = pool.new_map("n" => 1)
    root["two"] = root["one"]
    root["two"]["n"] = 2
    assert_equal 2, root["one"]["n"]
    assert root["one"].same?(root["two"])
    root.delete("one")
    assert_equal({ "n" => 2 }, root["two"].to_h)
    assert_healthy
  end

  def test_to_h_is_a_deep_plain_copy
    root["m"] = { "l" => [1, { "x" => "y" }], "a" => pool.new_array(:int16, [1, -2]) }
    h = root.to_h
    assert_equal({ "m" => { "l" => [1, { "x" => "y" }], "a" => [1, -2] } }, h)
    h["m"]["l"] << 99
    assert_equal 2, root["m"]["l"].size
  end

  def test_structures_that_contain_themselves_are_refused
    h = { "a" => 1 }
    h["self"] = h
    assert_raises(ArgumentError) { root["h"] = h }
    refute root.key?("h")
    shared = [1]
    root["dag"] = { "x" => shared, "y" => shared }
    assert_equal [1], root["dag"]["y"].to_a
    assert_healthy
  end

  def test_containers_of_another_pool_are_refused
    other = Pmemkit::Pool.create(File.join(@dir, "other.pool"), size: 16 << 20)
    other.root["m"] = {}
    assert_raises(ArgumentError) { root["x"] = other.root["m"] }
  ensure
    other&.close
  end

  def test_update_is_one_transaction
    root.update({ "a" => 1 }, { "b" => 2 })
    assert_equal({ "a" => 1, "b" => 2 }, root.to_h)
    assert_raises(TypeError) { root.merge!({ "c" => 3, "d" => Object.new }) }
    refute root.key?("c"), "all of it or none"
  end

  def test_clear_and_equality
    root.update("a" => 1, "b" => [2])
    assert_equal({ "a" => 1, "b" => [2] }, root.to_h)
    assert root == { "a" => 1, "b" => [2] }
    refute root == { "a" => 1 }
    refute root == 1
    m = root
    assert_same m, m.clear
    assert_equal 0, root.size
    assert_healthy
  end

  def test_changing_keys_while_iterating_raises
    root.update((1..10).to_h { |i| [i, i] })
    assert_raises(Pmemkit::ChangedError) do
      root.each { |k, _| root[k + 100] = 0 }
    end
  end

  def test_stale_handle
    root["inner"] = { "x" => 1 }
    inner = root["inner"]
    root.delete("inner")
    e = assert_raises(Pmemkit::StaleError) { inner["x"] }
    assert_equal Pmemkit::Native::PK_ESTALE, e.code
  end

  def test_inspect
    root["a"] = [1]
    assert_equal '#<Pmemkit::Map {"a"=>[1]}>', root.inspect
  end
end
