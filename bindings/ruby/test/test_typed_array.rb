# frozen_string_literal: true

require_relative "helper"

class TestTypedArray < PmemkitTest::Case
  LIMITS = {
    int8: [-128, 127], uint8: [0, 255], int16: [-32_768, 32_767], uint16: [0, 65_535],
    int32: [-2**31, 2**31 - 1], uint32: [0, 2**32 - 1],
    int64: [-2**63, 2**63 - 1], uint64: [0, 2**64 - 1]
  }.freeze

  def test_integer_types_round_trip_and_check_their_range
    LIMITS.each do |type, (lo, hi)|
      a = pool.new_array(type, [lo, 0, hi])
      assert_equal type, a.type
      assert_equal [lo, 0, hi], a.to_a, type
      assert_equal hi, a[-1]
      a[1] = hi
      assert_equal hi, a[1], type
      assert_raises(Pmemkit::OutOfRangeError, type.to_s) { a[0] = hi + 1 }
      assert_raises(Pmemkit::OutOfRangeError, type.to_s) { a[0] = lo - 1 }
      assert_equal lo, a[0], "a refused value changes nothing (#{type})"
    end
  end

  def test_every_element_type_of_the_c_table
    rows = Pmemkit.native_rows(:pk_elem_table)
    assert_equal rows.size, Pmemkit::TypedArray::TYPES.size
    rows.each do |row|
      type, = Pmemkit::TypedArray::TYPES.find { |_, (code, _)| code == row.code }
      refute_nil type, row.sname
      a = row.size.zero? ? pool.new_array(type, 2, width: 3) : pool.new_array(type, 2)
      assert_equal type, a.type
      assert_equal row.size.zero? ? 3 : row.size, a.width, row.sname
      assert_equal 2 * a.width, a.bytes.bytesize, row.sname
    end
  end

  def test_float_types
    a = pool.new_array(:float64, [1.5, -0.25])
    a[0] = 3 # integers are accepted
    assert_equal [3.0, -0.25], a.to_a
    f = pool.new_array(:float32, 2)
    f[0] = 0.1
    assert_equal [0.1].pack("f").unpack1("f"), f[0]
    assert_equal 4, f.width
    assert_raises(Pmemkit::KindError) { f[1] = "x" }
    a[1] = 2**70
    assert_equal 2.0**70, a[1]
  end

  def test_bytes_elements
    a = pool.new_array(:bytes, %w[abcd wxyz], width: 4)
    assert_equal 4, a.width
    assert_equal ["abcd".b, "wxyz".b], a.to_a
    assert_equal Encoding::BINARY, a[0].encoding
    a[1] = "\x00\x01\x02\x03".b
    assert_equal "\x00\x01\x02\x03".b, a[1]
    assert_raises(Pmemkit::InvalidValueError) { a[0] = "toolong" }
    assert_raises(ArgumentError) { pool.new_array(:bytes, 3) }
  end

  def test_indexes_outside_raise
    a = pool.new_array(:int32, 3)
    assert_equal [0, 0, 0], a.to_a
    e = assert_raises(Pmemkit::OutOfRangeError) { a[3] }
    assert_equal Pmemkit::Native::PK_ERANGE, e.code
    assert_raises(Pmemkit::OutOfRangeError) { a[-4] = 1 }
    u = pool.new_array(:uint64, 1)
    assert_raises(Pmemkit::OutOfRangeError) { u[1] = 2**63 }
    assert_raises(Pmemkit::OutOfRangeError) { u[0] = 2**64 }
  end

  def test_resize_each_and_storage
    a = pool.new_array(:int16, [1, 2, 3])
    root["a"] = a
    assert_same a, a.resize(5)
    assert_equal [1, 2, 3, 0, 0], a.to_a
    a.resize(2)
    assert_equal 2, a.size
    assert_equal [2, 4], a.map { |v| v * 2 }
    assert_equal [1, 2].pack("s*"), a.bytes
    reopen
    stored = root["a"]
    assert_instance_of Pmemkit::TypedArray, stored
    assert_equal :int16, stored.type
    assert stored == [1, 2]
    assert_healthy
  end

  def test_initial_values_are_checked
    assert_raises(ArgumentError) { pool.new_array(:int128, 1) }
    assert_raises(ArgumentError) { pool.new_array(:int8, -1) }
    assert_raises(Pmemkit::OutOfRangeError) { pool.new_array(:int8, [1, 1000]) }
    assert_raises(Pmemkit::OutOfRangeError) { pool.new_array(:uint32, [-1]) }
    assert_raises(Pmemkit::KindError) { pool.new_array(:int64, [1.5]) }
    assert_raises(Pmemkit::KindError) { pool.new_array(:float64, ["1"]) }
    assert_raises(Pmemkit::InvalidValueError) { pool.new_array(:bytes, ["abc"], width: 2) }
    assert_equal [2.0**70], pool.new_array(:float64, [2**70]).to_a
  end
end
