# frozen_string_literal: true

require_relative "helper"

# ::Sets as map keys, set elements and tuple items: frozen sets.
class TestFrozenSets < PmemkitTest::Case
  def test_set_keys_are_frozen_sets
    root[Set[1, "a"]] = "x"
    root[Set[2, Set[3.5, "\x04".b]]] = 2
    assert_equal "x", root[Set["a", 1]], "any order is one key"
    assert_equal 2, root[Set[Set["\x04".b, 3.5], 2]]
    assert root.key?(Set[1, "a"])
    refute root.key?(Set[1])
    refute root.key?([1, "a"]), "a tuple is not a frozen set"
    refute root.key?(Set[Set[1, "a"]]), "a frozen set holding the frozen set is another key"
    assert_equal "x", root.fetch(Set[1, "a"])
    assert_raises(KeyError) { root.fetch(Set[9]) }
    assert_equal 2, root.size
    assert_equal "x", root.delete(Set[1, "a"])
    assert_nil root.delete(Set[1, "a"])
    reopen
    assert_equal 2, root[Set[2, Set[3.5, "\x04".b]]]
    assert_healthy
  end

  def test_keys_read_back_as_deeply_frozen_sets
    root[Set["b", 2, [1, "t"], Set[:sym], nil, 2**70]] = 1
    k = root.keys.first
    assert_kind_of ::Set, k
    assert_instance_of Pmemkit::FrozenSet, k
    assert k.frozen?
    assert_equal Set["b", 2, [1, "t"], Set["sym"], nil, 2**70], k
    assert_equal k, Set["b", 2, [1, "t"], Set["sym"], nil, 2**70]
    assert k.all?(&:frozen?)
    assert_instance_of Pmemkit::Tuple, k.find { |x| x.is_a?(Array) }
    assert_instance_of Pmemkit::FrozenSet, k.find { |x| x.is_a?(::Set) }
    assert_raises(FrozenError) { k << 3 }
    assert_raises(FrozenError) { k.delete(2) }
    assert_raises(FrozenError) { k.find { |x| x.is_a?(String) } << "x" }
    assert_equal 1, root[k], "a key read back finds its entry"
    h = root.to_h
    assert_equal 1, h[Set["b", 2, [1, "t"], Set["sym"], nil, 2**70]], "a Ruby Hash finds it by a ::Set"
  end

  def test_members_in_the_librarys_order
    root[Set["b", 2]] = 3
    root[Set[2, "b"]] = 4
    assert_equal 1, root.size
    assert_equal [[2, "b"]], root.keys.map(&:to_a), "integers before text, whatever the order given"
  end

  def test_equal_numbers_are_one_key_and_one_member
    root[Set[1, "a"]] = "first"
    root[Set[1.0, "a"]] = "second"
    root[Set[true, :a]] = "third"
    assert_equal 1, root.size
    assert_equal "third", root[Set[1, "a"]]
    assert_instance_of Integer, root.keys.first.find { |x| x.is_a?(Numeric) }
    root[Set[1, 1.0, 2]] = "two members"
    key = root.keys.find { |x| x.include?(2) }
    assert_equal Set[1, 2], key, "1 and 1.0 are one member: the first given stays"
    assert_equal "two members", root[Set[2, 1]]
    refute root.key?(Set[1, "a".b]), "bytes and text are never one member"
  end

  def test_a_set_with_a_container_or_hash_is_refused_and_nothing_stored
    root["m"] = {}
    [Set[{}], Set[root["m"]], Set[Object.new], Set[[{}]], [Set[[root["m"]]]]].each do |bad|
      e = assert_raises(Pmemkit::KeyTypeError) { root[bad] = 1 }
      assert_equal Pmemkit::Native::PK_EKEYTYPE, e.code
    end
    e = assert_raises(Pmemkit::KeyTypeError) { root[Set[Object.new]] = 1 }
    assert_match(/frozen set member|key/, e.message)
    assert_equal %w[m], root.keys
    s = Set.new
    s << s
    assert_raises(Pmemkit::InvalidValueError) { root[s] = 1 }
    assert_equal 1, root.size
    pool.gc
    assert_healthy
  end

  def test_nesting_and_empty_frozen_sets
    deep = Set[1]
    31.times { deep = Set[deep] }
    root[deep] = "32 deep"
    assert_equal "32 deep", root[deep]
    assert_raises(Pmemkit::InvalidValueError) { root[Set[deep]] = "33 deep" }
    mixed = Set[[1]]
    30.times { mixed = [mixed] }
    root[mixed] = "tuples and sets"
    assert_equal "tuples and sets", root[mixed]
    root[Set[]] = "empty"
    assert_equal "empty", root[Set[]]
    assert_equal Set[], root.keys.find { |x| x.is_a?(::Set) && x.empty? }
  end

  def test_set_elements_and_tuple_items
    s = pool.new_set([Set[2, 3]])
    root["s"] = s
    s << Set[3, 2.0]
    s << [Set[1], "t"]
    assert_equal 2, s.size
    assert s.include?(Set[3, 2])
    assert s.include?([Set[1.0], "t"])
    refute s.include?(Set[2])
    e = s.find { |x| x.is_a?(::Set) }
    assert_instance_of Pmemkit::FrozenSet, e
    assert e.frozen?
    assert_instance_of Pmemkit::FrozenSet, s.find { |x| x.is_a?(Array) }.first
    s.delete(Set[2, 3])
    assert_equal 1, s.size
    assert_raises(Pmemkit::KeyTypeError) { s << Set[{}] }
    root[[1, Set["a"]]] = "tuple with a frozen set"
    assert_equal "tuple with a frozen set", root[[1.0, Set["a"]]]
    reopen
    assert_equal 1, root["s"].size
  end

  def test_set_values_stay_sets_and_frozen_sets_stay_frozen_sets
    root["set"] = Set[1, "a"]
    assert_instance_of Pmemkit::Set, root["set"]
    root["fs"] = Pmemkit::FrozenSet[1, "a", [2], Set[3]]
    fs = root["fs"]
    assert_instance_of Pmemkit::FrozenSet, fs
    assert_equal Set[1, "a", [2], Set[3]], fs
    assert fs.frozen?
    root["again"] = fs
    assert_instance_of Pmemkit::FrozenSet, root["again"], "a frozen set read stores again as one"
    assert_equal fs, root["again"]
    root[Set[1]] = "one"
    key = root.keys.find { |k| k == Set[1] }
    root["key as value"] = key
    assert_instance_of Pmemkit::FrozenSet, root["key as value"]
    root["l"] = [Pmemkit::FrozenSet[1], { "f" => Pmemkit::FrozenSet[2] }]
    root["l"] << Pmemkit::FrozenSet[3]
    assert_equal [Set[1], { "f" => Set[2] }, Set[3]], root["l"].to_a
    assert_instance_of Pmemkit::FrozenSet, root["l"][0]
    assert_instance_of Pmemkit::FrozenSet, root["l"][1]["f"]
    root["t"] = Pmemkit::Tuple[Set[1, 2]]
    assert_instance_of Pmemkit::FrozenSet, root["t"][0], "a ::Set in a tuple is a frozen set"
    assert_equal Pmemkit::FrozenSet[4], root.store("st", Pmemkit::FrozenSet[4])
    assert_raises(Pmemkit::KeyTypeError) { root["bad"] = Pmemkit::FrozenSet[{}] }
    refute root.key?("bad")
    reopen
    assert_equal Set[1, "a", [2], Set[3]], root["fs"]
    assert_instance_of Pmemkit::FrozenSet, root["fs"]
    assert_healthy
  end

  def test_frozen_set_construction
    fs = Pmemkit::FrozenSet[1, +"s", [2, [3]], Set[4]]
    assert fs.frozen?
    assert fs.all?(&:frozen?)
    assert_instance_of Pmemkit::Tuple, fs.find { |x| x.is_a?(Array) }
    assert_instance_of Pmemkit::FrozenSet, fs.find { |x| x.is_a?(::Set) }
    assert Pmemkit::FrozenSet.new([1, 2]).frozen?
    assert_equal Pmemkit::FrozenSet[2, 4], Pmemkit::FrozenSet.new([1, 2]) { |x| x * 2 }
    # what Set makes from one is a plain, mutable ::Set
    [fs | Set[9], fs & Set[1], fs - Set[1], fs ^ Set[1], fs.dup].each do |made|
      assert_instance_of ::Set, made
      refute made.frozen?
    end
    assert_equal Set[1], fs & [1, 7]
    assert_equal Set[1, 2], Pmemkit::FrozenSet[1, Set[2]].flatten
    assert_equal({ true => Set[1], false => Set[2] }, Pmemkit::FrozenSet[1, 2].classify(&:odd?))
    assert_equal Set[Set[1], Set[2]], Pmemkit::FrozenSet[1, 2].divide(&:odd?)
    require "json"
    assert_equal "[1,2]", Pmemkit::FrozenSet[1, 2].to_json
  end
end
