# frozen_string_literal: true

require_relative "helper"

# Arrays as map keys and set elements: tuples.
class TestTuples < PmemkitTest::Case
  def test_array_keys_are_tuples
    root[[1, "a"]] = "x"
    root[[2, [3.5, "\x04".b]]] = 2
    assert_equal "x", root[[1, "a"]]
    assert_equal 2, root[[2, [3.5, "\x04".b]]]
    assert root.key?([1, "a"])
    refute root.key?([1, "b"])
    refute root.key?([[1, "a"]]), "a tuple holding the tuple is another key"
    assert_equal "x", root.fetch([1, "a"])
    assert_raises(KeyError) { root.fetch([9]) }
    assert_equal "x", root.dig([1, "a"])
    assert_equal %w[x], root.values_at([1, "a"])
    assert_equal 2, root.size
    assert_equal "x", root.delete([1, "a"])
    assert_nil root.delete([1, "a"])
    assert_equal 1, root.size
    reopen
    assert_equal 2, root[[2, [3.5, "\x04".b]]]
  end

  def test_keys_read_back_as_deeply_frozen_arrays
    root[[1, "a", [2, "b"], :sym, nil, true, 2**70]] = 1
    k = root.keys.first
    assert_kind_of Array, k
    assert_instance_of Pmemkit::Tuple, k
    assert_equal [1, "a", [2, "b"], "sym", nil, true, 2**70], k
    assert k.frozen?
    assert k[1].frozen?
    assert k[2].frozen? && k[2][1].frozen?
    assert_instance_of Pmemkit::Tuple, k[2]
    assert_raises(FrozenError) { k << 1 }
    assert_raises(FrozenError) { k[1] << "x" }
    assert_equal 1, root[k], "a key read back finds its entry"
    h = root.to_h
    assert_equal 1, h[[1, "a", [2, "b"], "sym", nil, true, 2**70]], "Tuples hash as Arrays do"
    assert_equal [[k, 1]], root.each.to_a
  end

  def test_equal_numbers_are_one_key_and_the_first_types_stay
    root[[1, "a"]] = "first"
    root[[1.0, "a"]] = "second"
    root[[true, :a]] = "third"
    assert_equal 1, root.size
    assert_equal "third", root[[1, "a"]]
    assert_equal "third", root[[1.0, "a"]]
    assert_equal [[1, "a"]], root.keys
    assert_instance_of Integer, root.keys.first.first
    root[[0.5, [2.0]]] = "f"
    assert_equal "f", root[[0.5, [2]]]
    refute root.key?([1, "a".b]), "bytes and text are never one item"
  end

  def test_an_array_with_a_container_or_hash_is_refused_and_nothing_stored
    root["m"] = {}
    root["l"] = [1]
    [[1, {}], [1, root["m"]], [[root["l"]]], [Set[{}]], [Object.new]].each do |bad|
      e = assert_raises(Pmemkit::KeyTypeError) { root[bad] = 1 }
      assert_equal Pmemkit::Native::PK_EKEYTYPE, e.code
      assert_raises(Pmemkit::KeyTypeError) { root.key?(bad) }
    end
    assert_raises(Pmemkit::KeyTypeError) { root[[1, {}]] = { "deep" => [1] } }
    assert_equal %w[l m], root.keys.sort
    a = [1]
    a << a
    assert_raises(Pmemkit::InvalidValueError) { root[a] = 1 }
    assert_equal 2, root.size
    pool.gc
    assert_healthy
  end

  def test_nesting_and_empty_tuples
    deep = [1]
    31.times { deep = [deep] }
    root[deep] = "32 deep"
    assert_equal "32 deep", root[deep]
    assert_raises(Pmemkit::InvalidValueError) { root[[deep]] = "33 deep" }
    root[[]] = "empty"
    assert_equal "empty", root[[]]
    assert_equal [], root.keys.find(&:empty?)
  end

  def test_set_elements_are_tuples
    s = pool.new_set([[2, 3], [1, "a"]])
    root["s"] = s
    s << [2.0, 3]
    assert_equal 2, s.size
    assert s.include?([2, 3])
    assert s.include?([1.0, "a"])
    refute s.include?([2, 3, 4])
    refute s.include?([{}]), "what cannot be an element is not one"
    s.delete([2, 3])
    assert_equal [[1, "a"]], s.to_a
    assert s.to_a.first.frozen?
    assert_raises(Pmemkit::KeyTypeError) { s << [1, {}] }
    root["plain"] = Set[[1, 2], 3]
    assert_equal Set[[1, 2], 3], root["plain"].to_set
  end

  def test_array_values_stay_lists_and_tuples_stay_tuples
    root["list"] = [1, "a"]
    assert_instance_of Pmemkit::List, root["list"]
    root["t"] = Pmemkit::Tuple[1, "a", [2]]
    t = root["t"]
    assert_instance_of Pmemkit::Tuple, t
    assert_equal [1, "a", [2]], t
    assert t.frozen? && t[2].frozen?
    root["again"] = t
    assert_instance_of Pmemkit::Tuple, root["again"], "a tuple read stores again as a tuple"
    root[[1]] = "one"
    key = root.keys.find { |k| k == [1] }
    root["key as value"] = key
    assert_instance_of Pmemkit::Tuple, root["key as value"]
    root["l"] = [Pmemkit::Tuple[1], { "t" => Pmemkit::Tuple[2] }]
    root["l"] << Pmemkit::Tuple[3]
    assert_equal [[1], { "t" => [2] }, [3]], root["l"].to_a
    assert_instance_of Pmemkit::Tuple, root["l"][0]
    assert_instance_of Pmemkit::Tuple, root["l"][1]["t"]
    assert_raises(Pmemkit::KeyTypeError) { root["bad"] = Pmemkit::Tuple[{}] }
    refute root.key?("bad")
    reopen
    assert_equal [1, "a", [2]], root["t"]
    assert_healthy
  end

  def test_tuple_construction
    t = Pmemkit::Tuple[1, +"s", [2, [3]]]
    assert t.frozen? && t[1].frozen? && t[2].frozen? && t[2][1].frozen?
    assert_instance_of Pmemkit::Tuple, t[2][1]
    assert_raises(NoMethodError) { Pmemkit::Tuple.new }
  end

  def test_stored_hashes_with_array_keys
    h = { [1, "a"] => "x", [2, [3.5, "\x04".b]] => 2 }
    root["tk"] = h
    assert h.frozen?
    assert_equal "x", root["tk"][[1, "a"]]
    assert_equal h, root["tk"].to_h
    assert root["tk"] == h
  end
end
