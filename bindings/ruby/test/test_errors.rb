# frozen_string_literal: true

require_relative "helper"

class TestErrors < PmemkitTest::Case
  def test_every_class_of_the_table_has_an_exception
    refute_empty Pmemkit::ERROR_TABLE
    Pmemkit::ERROR_TABLE.each do |name, code, cls, message|
      assert_equal code, Pmemkit::Native.const_get(name), name
      assert_equal cls, Pmemkit::Native.pk_error_class(code)
      assert_match message, Pmemkit::Native.pk_strerror(code)
      exc = Pmemkit.exception_for(cls)
      next if cls == "IterOver"

      assert_operator exc, :<, Pmemkit::Error, cls
      assert_operator exc, :<, StandardError
      assert_equal exc, Pmemkit.const_get(exc.name.split("::").last)
    end
    assert_operator Pmemkit::Error, :<, StandardError
    assert_equal StopIteration, Pmemkit.exception_for("IterOver")
    assert_equal Pmemkit::Error, Pmemkit.exception_for("NoSuchClass")
    refute_equal ::RangeError, Pmemkit::OutOfRangeError
  end

  def test_raised_errors_carry_their_code_and_detail
    m = root.native_handle
    e = assert_raises(Pmemkit::NotFoundError) { Pmemkit::Native.pk_map_get(m, "absent") }
    assert_equal Pmemkit::Native::PK_NOTFOUND, e.code
    assert_match "key not found", e.message
    assert_raises(Pmemkit::KindError) do
      Pmemkit::Native.pk_list_open(pool.send(:handle), root.to_ref)
    end
  end

  def test_errno_codes_are_system_call_errors
    e = assert_raises(Errno::ENOENT) { Pmemkit::Pool.open(File.join(@dir, "no", "such.pool")) }
    assert_equal Errno::ENOENT::Errno, e.errno
    assert_raises(Errno::EISDIR) { Pmemkit::Pool.open(@dir) }
  end

  def test_out_of_space_in_a_small_pool
    small = Pmemkit::Pool.create(File.join(@dir, "small.pool"), size: Pmemkit::Pool::MIN_SIZE)
    r = small.root
    chunk = ("x" * 100_000).b
    e = assert_raises(Pmemkit::OutOfSpaceError) do
      1000.times { |i| r[i] = chunk }
    end
    assert_equal Pmemkit::Native::PK_ENOSPACE, e.code
    n = r.size
    assert_operator n, :>, 0
    assert_equal chunk, r[n - 1], "what was stored before is intact"
    refute r.key?(n)
    # space comes back when values go
    r.clear
    r["again"] = chunk
    assert_equal chunk, r["again"]
    assert_healthy small
  ensure
    small&.close
  end
end
