# frozen_string_literal: true

require_relative "helper"
require "set"
require "open3"

class TestSet < PmemkitTest::Case
  def tags
    root["tags"] = Set.new unless root.key?("tags")
    root["tags"]
  end

  def test_storing_a_set_stores_a_persistent_set
    root["tags"] = Set["ruby", "pmem", 7]
    s = root["tags"]
    assert_kind_of Pmemkit::Set, s
    assert_kind_of Enumerable, s
    assert_equal Set["ruby", "pmem", 7], s.to_set
    assert_equal 3, s.size
    assert_equal 3, s.length
    assert_equal 3, s.count
    refute_predicate s, :frozen?
    reopen
    assert_equal Set["ruby", "pmem", 7], root["tags"].to_set
    assert_healthy
  end

  def test_add_delete_include
    s = tags
    assert_same s, s.add("a")
    s << "b" << "b" << :c # a Symbol is stored as its name
    assert_equal Set["a", "b", "c"], s.to_set
    assert_includes s, "a"
    assert s.member?("c")
    assert s.include?(:c)
    refute s.include?("z")
    refute s.include?([1]), "what cannot be an element is never one, as for ::Set"
    assert_nil s.add?("a")
    assert_same s, s.add?("d")
    assert_same s, s.delete("a")
    assert_same s, s.delete("nothing")
    assert_nil s.delete?("nothing")
    assert_same s, s.delete?("b")
    assert_equal Set["c", "d"], s.to_set
    assert_empty s.clear
    reopen
    assert_empty root["tags"]
  end

  def test_elements_compare_as_map_keys
    s = tags
    s << 1 << 1.0 << true
    assert_equal 1, s.size, "1, 1.0 and true are one element"
    assert s.include?(1.0)
    s << "x" << "x".b
    assert_equal 3, s.size, "a binary String and a text String never are one"
    s << 2**100 << nil << 2.5
    assert_equal 6, s.size
    assert_includes s, 2**100
    assert_includes s, nil
  end

  def test_each_and_enumerable
    s = tags
    s.merge(1..5)
    assert_equal [1, 2, 3, 4, 5], s.sort
    assert_equal [1, 2, 3, 4, 5], s.each.to_a.sort
    assert_equal 5, s.each.size
    assert_equal [2, 4], s.select(&:even?).sort
    assert_equal 15, s.sum
    assert_raises(Pmemkit::ChangedError) { s.each { |x| s << x + 10 } }
  end

  def test_operators_give_plain_sets
    s = tags
    s.merge([1, 2, 3])
    assert_equal Set[1, 2, 3, 4], s | [3, 4]
    assert_equal Set[1, 2, 3, 4], s + Set[4]
    assert_equal Set[2, 3], s & Set[2, 3, 9]
    assert_equal Set[1], s - [2, 3]
    assert_equal Set[1, 4], s ^ [2, 3, 4]
    [s | [], s & [], s - [], s ^ []].each { |x| assert_instance_of ::Set, x }
    assert_equal Set[1, 2, 3], s.to_set, "operators leave the set as it was"
    assert s.subset?(Set[1, 2, 3, 4])
    assert s <= Set[1, 2, 3]
    refute s < Set[1, 2, 3]
    assert s.superset?(Set[1, 2])
    assert s > Set[1]
    assert s.intersect?([3, 7])
    assert s.disjoint?([7, 8])
    assert_raises(ArgumentError) { s.subset?([1, 2, 3]) } # as ::Set
    assert_raises(ArgumentError) { s | 5 }
    assert_equal Set[1, 2, 3], s - [1.0], "the other side's membership is Ruby's"
    mine = s
    mine |= [9] # rebinds the variable, as for ::Set
    assert_equal Set[1, 2, 3], s.to_set
    refute_same mine, s
    assert_same s, s.subtract([1.0])
    assert_equal Set[2, 3], s.to_set, "the stored set's membership is the Map's"
    root["tags"] |= [9] # stores a new set in place of the old one
    assert_equal Set[2, 3, 9], root["tags"].to_set
    assert_raises(Pmemkit::StaleError) { s.size }
  end

  def test_equality_with_sets
    s = tags
    s.merge(%w[a b])
    assert_equal s, Set["a", "b"]
    assert s == Set["a", "b"]
    refute s == Set["a"]
    refute s == %w[a b]
    root["other"] = Set["b", "a"]
    assert s == root["other"]
    assert s == root["tags"], "two handles to one set"
    assert_equal Set["a", "b"], s.to_set
  end

  def test_merge_is_one_transaction_and_refuses_bad_elements
    s = tags
    s.merge([1, 2])
    assert_same s, s.merge([3], Set[4])
    assert_equal Set[1, 2, 3, 4], s.to_set
    e = assert_raises(Pmemkit::KeyTypeError) { s.merge([5, [6, {}], 7]) }
    assert_match(/set element/, e.message)
    assert_raises(Pmemkit::KeyTypeError) { s.merge([5, { "h" => 1 }]) }
    assert_raises(Pmemkit::KeyTypeError) { s.merge([5, root]) }
    assert_raises(Pmemkit::KeyTypeError) { s << Set[{}] }
    assert_raises(Pmemkit::KeyTypeError) { s.add(Object.new) }
    assert_equal Set[1, 2, 3, 4], s.to_set, "nothing of a refused merge is added"
    assert_healthy
  end

  def test_storing_a_set_with_a_bad_element_stores_nothing
    assert_raises(Pmemkit::KeyTypeError) { root["bad"] = Set[1, [2, {}]] }
    refute root.key?("bad")
    assert_raises(Pmemkit::KeyTypeError) { root["bad"] = { "s" => Set[1, {}] } }
    refute root.key?("bad")
    pool.gc
    assert_healthy
  end

  def test_multi_element_changes_are_atomic
    s = tags
    s.merge(1..10)
    assert_same s, s.subtract([1, 2, [3], "x"])
    assert_equal (3..10).to_set, s.to_set
    assert_raises(RuntimeError) do
      pool.transaction do
        s.delete_if(&:even?)
        raise "abort"
      end
    end
    assert_equal (3..10).to_set, s.to_set
    assert_raises(RuntimeError) { s.delete_if { |x| x > 5 ? raise("mid-way") : true } }
    assert_equal (3..10).to_set, s.to_set, "a block raising half-way removes nothing"
    assert_same s, s.delete_if(&:even?)
    assert_equal Set[3, 5, 7, 9], s.to_set
    assert_same s, s.keep_if { |x| x > 3 }
    assert_nil s.reject! { |x| x > 100 }
    assert_nil s.select! { |x| x > 0 }
    assert_same s, s.select! { |x| x > 5 }
    assert_equal Set[7, 9], s.to_set
    assert_same s, s.replace([1, 2])
    assert_equal Set[1, 2], s.to_set
    assert_equal Set[1, 2], s.merge(s).replace(s).to_set, "as ::Set: itself as the argument"
    assert_empty s.subtract(s)
    s.merge([1, 2])
    assert_raises(Pmemkit::KeyTypeError) { s.replace([3, [4, {}]]) }
    assert_equal Set[1, 2], s.to_set
  end

  def test_a_process_killed_half_way_through_a_merge_adds_nothing
    root["tags"] = Set[-1]
    pool.close
    @pool = nil
    [[:merge, 0...100], [:subtract, [-1] + (0...100).to_a], [:replace, 0...100]].each do |op, elems|
      pid = fork do
        Pmemkit::Pool.open(@path) do |p|
          half_way = Enumerator.new do |y|
            elems.each_with_index do |x, i|
              Process.kill(:KILL, Process.pid) if i == 50
              y << x
            end
          end
          p.root["tags"].public_send(op, half_way)
        end
      end
      Process.wait(pid)
      assert_predicate $?, :signaled?
      Pmemkit::Pool.open(@path) do |p|
        assert_equal Set[-1], p.root["tags"].to_set, "#{op}: all or nothing"
        assert p.check[:ok]
      end
    end
  end

  def test_a_frozen_set_is_stored_frozen_and_read_only
    root["f"] = Set[1, "two"].freeze
    reopen
    f = root["f"]
    assert_kind_of Pmemkit::Set, f
    assert_predicate f, :frozen?
    assert_equal Set[1, "two"], f.to_set
    assert_predicate f.to_set, :frozen?
    [-> { f << 3 }, -> { f.add(3) }, -> { f.add?(3) }, -> { f.delete(1) }, -> { f.delete?(1) },
     -> { f.merge([3]) }, -> { f.subtract([1]) }, -> { f.clear }, -> { f.replace([]) },
     -> { f.delete_if { true } }, -> { f.keep_if { false } }, -> { f.select! { false } },
     -> { f.reject! { true } }].each do |change|
      assert_raises(FrozenError) { change.call }
    end
    assert_equal Set[1, "two"], root["f"].to_set, "a frozen set never changes"
    assert_equal Set[1, "two", 3], f | [3], "reading works"
    assert_predicate pool.new_set([1], frozen: true), :frozen?
  end

  def test_freeze_makes_a_handle_read_only
    s = tags
    s << 1
    assert_same s, s.freeze
    assert_raises(FrozenError) { s << 2 }
    refute_predicate root["tags"], :frozen?, "the persistent set is still mutable"
    root["tags"] << 2
    assert_equal Set[1, 2], s.to_set
  end

  def test_the_stored_set_is_frozen_so_or_assign_cannot_lose_elements
    mine = Set["a"]
    root["tags"] = mine
    assert_predicate mine, :frozen?, "adding to it would change nothing in the pool"
    assert_raises(FrozenError) { mine << "b" }
    assert_raises(FrozenError) { (root["new"] ||= Set.new) << "x" }
    root["copy"] = mine # frozen by the store, not by its owner
    refute_predicate root["copy"], :frozen?
    root.fetch_or_store("todo") { Set.new } << "milk"
    assert_equal Set["milk"], root["todo"].to_set
    assert_instance_of Pmemkit::Set, root.store("s", Set[1])
  end

  def test_sets_nest_in_maps_and_lists
    root["h"] = { "s" => Set[1, 2], "l" => [Set["x"]] }
    root["l"] = [Set[3]]
    root["l"].push(Set[4])
    root["l"] << Set[5]
    root["l"][0] = Set[6]
    root["l"].push(7, Set[8])
    root["l"].insert(1, Set[9])
    root["l"][8] = Set[10] # pads with nil, as Array#[]=
    assert_equal [Set[6], Set[9], Set[4], Set[5], 7, Set[8], nil, nil, Set[10]], root["l"].to_a
    assert_raises(Pmemkit::KeyTypeError) { root["l"].push(11, Set[[12, {}]]) }
    assert_raises(TypeError) { root["l"].push(11, Object.new) }
    assert_raises(TypeError) { root["x"] = Object.new }
    assert_equal 9, root["l"].size, "nothing of a refused push is stored"
    root["l"].delete_at(1)
    root["l"].pop(5)
    assert_equal({ "s" => Set[1, 2], "l" => [Set["x"]] }, root["h"].to_h)
    assert_equal [Set[6], Set[4], Set[5]], root["l"].to_a
    assert_kind_of Pmemkit::Set, root.dig("h", "s")
    assert_equal Set[1, 2], root["h"].delete("s"), "a removed set comes back as a plain copy"
    pool.gc
    assert_healthy
  end

  def test_new_set_and_sets_between_pools
    s = pool.new_set([1, 2, 2])
    assert_equal Set[1, 2], s.to_set
    root["s"] = s
    assert s.same?(root["s"])
    assert_raises(Pmemkit::KeyTypeError) { pool.new_set([1, [{}]]) }
    other = Pmemkit::Pool.create(File.join(@dir, "other.pool"), size: 32 << 20)
    begin
      assert_raises(ArgumentError) { other.root["s"] = s }
      other.root["s"] = s.to_set
      assert_equal Set[1, 2], other.root["s"].to_set
    ensure
      other.close
    end
  end

  def test_dup_and_clone_are_other_handles_to_the_same_container
    root["s"] = Set[1]
    root["m"] = { "a" => 1 }
    root["l"] = [1]
    s = root["s"]
    copy = s.dup
    copy << 2
    assert_equal Set[1, 2], s.to_set, "as IO#dup: the same container"
    assert s.same?(copy)
    assert_equal({ "a" => 1 }, root["m"].clone.to_h)
    assert_equal [1], root["l"].dup.to_a
    root["f"] = Set[1].freeze
    assert_predicate root["f"].dup, :frozen?, "a frozen set stays read-only"
    5.times { root["s"].dup.clone }
    GC.start # each object closes a handle of its own, once
    assert_equal Set[1, 2], root["s"].to_set
  end

  def test_inspect_and_json
    root["s"] = Set[1]
    assert_equal "#<Pmemkit::Set: {1}>", root["s"].inspect
    assert_equal "[1]", root["s"].to_json
    root["f"] = Set[1].freeze
    assert_match(/frozen/, root["f"].inspect)
  end

  def test_reads_a_python_frozenset
    python = ENV.fetch("PK_PYTHON", "")
    skip "the Python module is not built" if python.empty?

    script = <<~PY
      import sys, pmemkit
      with pmemkit.Pool.create(sys.argv[1]) as p:
          p.root["fs"] = frozenset({1, "a", b"\\x07"})
          p.root["s"] = {2}
    PY
    env = { "PYTHONPATH" => ENV.fetch("PK_PYTHONPATH", ""), "PMEM_IS_PMEM_FORCE" => "1" }
    _, err, st = Open3.capture3(env, python, "-c", script, @path)
    assert st.success?, err
    reopen
    fs = root["fs"]
    assert_predicate fs, :frozen?
    assert_equal Set[1, "a", "\x07".b], fs.to_set
    assert_raises(FrozenError) { fs << 2 }
    refute_predicate root["s"], :frozen?
    root["s"] << 3
    assert_equal Set[2, 3], root["s"].to_set
  end

  def test_python_reads_sets_ruby_wrote
    python = ENV.fetch("PK_PYTHON", "")
    skip "the Python module is not built" if python.empty?

    root["s"] = Set[1, "a"]
    root["fs"] = Set["x".b, 2**70].freeze
    pool.close
    @pool = nil
    script = <<~PY
      import sys, pmemkit
      with pmemkit.Pool.open(sys.argv[1]) as p:
          s, fs = p.root["s"], p.root["fs"]
          assert type(s) is pmemkit.Set and s == {1, "a"}, s
          assert type(fs) is pmemkit.FrozenSet and fs == {b"x", 2**70}, fs
          print("python ok")
    PY
    env = { "PYTHONPATH" => ENV.fetch("PK_PYTHONPATH", ""), "PMEM_IS_PMEM_FORCE" => "1" }
    out, err, st = Open3.capture3(env, python, "-c", script, @path)
    assert st.success?, err
    assert_equal "python ok\n", out
  end
end
