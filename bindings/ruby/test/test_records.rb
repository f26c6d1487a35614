# frozen_string_literal: true

require_relative "helper"

class TestRecords < PmemkitTest::Case
  class Point < Pmemkit::Object
    attribute :x, :y

    def norm
      Math.hypot(x, y)
    end
  end

  class Point3 < Point
    attribute :z
  end

  class Unregistered < Pmemkit::Object
    attribute :a
  end

  def setup
    super
    Pmemkit.register(Point, "Point")
    Pmemkit.register(Point3, "Point3")
  end

  def teardown
    Pmemkit.unregister(Point)
    Pmemkit.unregister(Point3)
    super
  end

  def test_storing_an_instance_binds_it_to_the_record
    pt = Point.new(x: 1, y: 2.5)
    root["p"] = pt
    assert pt.__pmemkit_store, "bound"
    pt.x = 5 # reaches the pool
    assert_equal 5, root["p"].x
    q = root["p"]
    assert_instance_of Point, q
    assert_equal 2.5, q.y
    assert_in_delta 5.59, q.norm, 0.01
    q.y = [1, 2] # an Array is stored as a List, as in a Map
    assert_instance_of Pmemkit::List, pt.y
    pt.y << 3
    assert_equal [1, 2, 3], root["p"].y.to_a
    reopen
    assert_equal({ x: 5, y: [1, 2, 3] }, root["p"].to_h)
    assert_healthy
  end

  def test_pool_new_and_readers_writers_and_brackets
    pt = pool.new(Point, x: 1, y: 2)
    assert_equal 1, pt.x
    assert_equal 1, pt[:x]
    assert_equal 2, pt["y"]
    pt[:x] = 10
    pt["y"] = 20
    assert_equal({ x: 10, y: 20 }, pt.to_h)
    root["p"] = pt
    assert_equal 10, root["p"].x
    assert root["p"] == pt
    assert_equal "#<TestRecords::Point x=10, y=20>", root["p"].inspect
    assert_raises(ArgumentError) { pool.new(Point, w: 1) }
    assert_raises(ArgumentError) { Point.new(w: 1) }
    assert_raises(TypeError) { pool.new(Unregistered, a: 1) }
    assert_raises(TypeError) { pool.new(Hash) }
  end

  def test_undeclared_attributes_raise_no_method_error
    root["p"] = Point.new(x: 1, y: 2)
    p = root["p"]
    assert_raises(NoMethodError) { p.z }
    assert_raises(NoMethodError) { p.z = 1 }
    assert_raises(NoMethodError) { p[:z] }
    assert_raises(NoMethodError) { p["z"] = 1 }
    assert_raises(NoMethodError) { Point.new(x: 1)[:z] }
    assert_equal({ x: 1, y: 2 }, root["p"].to_h, "nothing written")
  end

  def test_missing_declared_attributes_read_nil_and_delete
    pt = Point.new(x: 1)
    assert_nil pt.y
    root["p"] = pt
    assert_equal({ x: 1, y: nil }, root["p"].to_h)
    assert pt.delete_attribute(:y)
    refute pt.delete_attribute(:y)
    assert_nil pt.y
    assert_equal({ x: 1 }, root["p"].to_h)
    assert_equal [[:x, 1]], root["p"].each_pair.to_a
  end

  def test_inheritance_and_registry
    root["p3"] = Point3.new(x: 1, y: 2, z: 3)
    assert_instance_of Point3, root["p3"]
    assert_equal %i[x y z], Point3.attribute_names
    assert_equal "Point3", Pmemkit.registered_name(Point3)
    assert_equal Point3, Pmemkit.registered_class("Point3")
    assert_raises(ArgumentError) { Pmemkit.register(Point3, "Point") }
    assert_raises(ArgumentError) { Pmemkit.register(Point, "Other") }
    assert_equal Point, Pmemkit.register(Point, "Point"), "the same pair again does nothing"
    assert_raises(TypeError) { Pmemkit.register(Hash) }
    assert_raises(TypeError) { Pmemkit.register(Pmemkit::Record) }
    assert_raises(ArgumentError) { Pmemkit.register(Class.new(Pmemkit::Object)) }
    assert_raises(ArgumentError) { Pmemkit.register(Unregistered, "") }
    assert_raises(ArgumentError) { Pmemkit.register(Unregistered, "x" * 1025) }
    assert_equal "Point3", Pmemkit.unregister(Point3)
    assert_nil Pmemkit.unregister(Point3)
    Pmemkit.register(Point3, "Point3")
    assert_equal Point3, Pmemkit.unregister("Point3")
    assert_nil Pmemkit.registered_name(Point3)
  end

  def test_attribute_names_are_checked
    c = Class.new(Pmemkit::Object)
    assert_raises(ArgumentError) { c.attribute(:to_h) }
    assert_raises(ArgumentError) { c.attribute(:class) }
    assert_raises(ArgumentError) { c.attribute("not a name") }
    assert_raises(ArgumentError) { c.attribute(1) }
    assert_equal %i[ok], c.attribute("ok")
    e = assert_raises(ArgumentError) { c.class_eval { attr_accessor :volatile } }
    assert_match "attribute :volatile", e.message
    assert_raises(ArgumentError) { c.class_eval { attr_writer :volatile } }
    c.class_eval { attr_reader :fine }
  end

  def test_storing_an_unregistered_class_raises_and_stores_nothing
    u = Unregistered.new(a: 1)
    e = assert_raises(TypeError) { root["u"] = u }
    assert_match "Pmemkit.register", e.message
    refute root.key?("u")
    assert_nil u.__pmemkit_store
    assert_raises(TypeError) { root["l"] = [1, u] }
    refute root.key?("l")
    pool.gc
    assert_healthy
  end

  def test_unregistered_names_read_as_generic_records
    root["p"] = Point.new(x: 1, y: 2.5)
    Pmemkit.unregister(Point)
    rec = root["p"]
    assert_instance_of Pmemkit::Record, rec
    assert_equal "Point", rec.class_name
    assert_equal 1, rec[:x]
    assert_equal 1, rec["x"]
    assert_equal 1, rec.x
    assert_nil rec[:nope]
    assert_raises(NoMethodError) { rec.nope }
    assert_raises(KeyError) { rec.fetch(:nope) }
    assert_equal 0, rec.fetch(:nope, 0)
    rec[:z] = 3
    rec.w = [4]
    assert_equal %i[w x y z], rec.keys.sort
    assert_equal 4, rec.size
    assert rec.key?(:w)
    assert rec.respond_to?(:z)
    assert_equal [4], rec.delete(:w)
    assert_nil rec.delete(:w)
    assert_equal({ x: 1, y: 2.5, z: 3 }, root["p"].to_h)
    assert_equal [[:x, 1], [:y, 2.5], [:z, 3]], rec.each_pair.sort
    assert_match(/\A#<Pmemkit::Record Point (\w=[\d.]+(, )?){3}>\z/, rec.inspect)
    assert rec == root["p"]
    Pmemkit.register(Point, "Point")
    assert_instance_of Point, root["p"], "read through the registry at each read"
  end

  def test_volatile_generic_records
    rec = Pmemkit::Record.new("Thing", a: 1, "b" => { "c" => 2 })
    assert_equal "Thing", rec.class_name
    assert_equal 1, rec.a
    root["t"] = rec
    assert_instance_of Pmemkit::Map, rec.b, "bound: the Hash is a Map now"
    rec.a = 2
    assert_equal 2, root["t"][:a]
    assert_equal Pmemkit::Record.new("Thing", a: 2, b: { "c" => 2 }), root["t"]
    refute_equal Pmemkit::Record.new("Other", a: 2, b: { "c" => 2 }), root["t"]
    made = pool.new(Pmemkit::Record, "Made", k: "v")
    root["m"] = made
    assert_equal "v", root["m"].k
    assert_raises(ArgumentError) { Pmemkit::Record.new("") }
    assert_raises(TypeError) { Pmemkit::Record.new(nil) }
  end

  def test_copies_of_records_are_frozen
    root["p"] = Point.new(x: 1, y: 2)
    copy = root.to_h["p"]
    assert_instance_of Point, copy
    assert copy.frozen?
    assert_raises(FrozenError) { copy.x = 5 }
    assert_equal 1, root["p"].x
    removed = root.delete("p")
    assert_equal Point.new(x: 1, y: 2), removed
    assert_raises(FrozenError) { removed.y = 5 }
    again = removed.dup
    again.y = 5
    root["p"] = again
    assert_equal 5, root["p"].y
    pool.gc
    assert_healthy
  end

  def test_frozen_volatile_instances_stay_volatile
    pt = Point.new(x: 1, y: 2).freeze
    root["p"] = pt
    assert_nil pt.__pmemkit_store
    assert_raises(FrozenError) { pt.x = 3 }
    assert_equal 1, root["p"].x
  end

  def test_sharing_and_cycles
    pt = Point.new(x: 1, y: 2)
    root["a"] = { "one" => pt, "two" => pt }
    assert root["a"]["one"] == root["a"]["two"]
    root["a"]["one"].x = 7
    assert_equal 7, root["a"]["two"].x, "one record, referred to twice"
    root["b"] = pt
    pt.y = 8
    assert_equal 8, root["a"]["one"].y
    c = Point.new(x: 0)
    c.y = c
    root["cycle"] = c
    assert_equal 0, root["cycle"].y.y.x
    assert_equal "#<TestRecords::Point x=0, y=#<TestRecords::Point ...>>", root["cycle"].inspect
    copy = root.delete("cycle")
    assert_same copy, copy.y, "a cycle copied is a cycle"
    assert copy.frozen?
    pool.gc
    assert_healthy
  end

  def test_a_record_of_another_pool_is_refused
    other = Pmemkit::Pool.create(File.join(@dir, "other.pool"), size: 32 << 20)
    begin
      pt = other.new(Point, x: 1, y: 2)
      assert_raises(ArgumentError) { root["p"] = pt }
      refute root.key?("p")
    ensure
      other.close
    end
  end

  def test_writes_in_a_transaction_are_grouped
    root["p"] = Point.new(x: 1, y: 2)
    pt = root["p"]
    assert_raises(RuntimeError) do
      pool.transaction do
        pt.x = 10
        pt.y = 20
        raise "abort"
      end
    end
    assert_equal({ x: 1, y: 2 }, pt.to_h)
    pool.transaction do
      pt.x = 10
      pt.y = 20
    end
    assert_equal({ x: 10, y: 20 }, root["p"].to_h)
  end

  def test_records_in_lists_sets_and_values
    root["l"] = [Point.new(x: 1, y: 2)]
    root["l"] << Point.new(x: 3, y: 4)
    root["l"][0] = Point.new(x: 5, y: 6)
    root["l"].insert(0, Point.new(x: 7, y: 8))
    assert_equal [7, 5, 3], root["l"].map(&:x)
    assert_equal 7, root.dig("l", 0, :x)
    popped = root["l"].pop
    assert_equal Point.new(x: 3, y: 4), popped
    assert_raises(Pmemkit::KeyTypeError) { root[Point.new(x: 1)] = 1 }
    assert_raises(Pmemkit::KeyTypeError) { pool.new_set << Point.new(x: 1) }
    pool.gc
    assert_healthy
  end

  def test_a_store_in_an_aborted_transaction_fails_loudly_after
    pt = Point.new(x: 1, y: 2)
    assert_raises(RuntimeError) do
      pool.transaction do
        root["p"] = pt
        pt.x = 5 # the record's, inside the transaction
        raise "abort"
      end
    end
    refute root.key?("p")
    assert_raises(Pmemkit::StaleError) { pt.x }
    assert_raises(Pmemkit::StaleError) { pt.x = 6 }
    assert_raises(ArgumentError) { pool.new(Point, x: 1, nope: 2) }
    pool.gc
    assert_healthy
  end

  def test_idioms_that_hand_back_the_stored_record
    pt = root.fetch_or_store("p") { Point.new(x: 1) }
    pt.y = 2
    assert_equal({ x: 1, y: 2 }, root["p"].to_h)
    (root["q"] ||= Point.new(x: 0)).x = 3
    assert_equal 3, root["q"].x
    assert_equal 4, root.store("r", Point.new(x: 4)).x
    root["r"].x += 1
    assert_equal 5, root["r"].x
  end

  def test_dup_of_a_volatile_instance_is_a_copy
    v = Point.new(x: 1, y: nil)
    assert v.delete_attribute(:y), "there, though nil"
    refute v.delete_attribute(:y)
    assert_equal({ x: 1 }, v.to_h)
    a = Point.new(x: 1, y: 2)
    b = a.dup
    b.x = 9
    assert_equal 1, a.x
    root["a"] = a
    c = a.dup
    c.x = 3
    assert_equal 3, a.x, "a bound instance's dup is another view of the record"
  end
end
