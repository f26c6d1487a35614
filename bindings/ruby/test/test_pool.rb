# frozen_string_literal: true

require_relative "helper"
require "fiddle"
require "pathname"

class TestPool < PmemkitTest::Case
  def test_create_close_open
    p = Pmemkit::Pool.create(@path, size: Pmemkit::Pool::MIN_SIZE)
    refute p.closed?
    assert_instance_of Pmemkit::Map, p.root
    p.root["greeting"] = "hello"
    assert_nil p.close
    assert p.closed?
    assert_nil p.close, "closing twice is a no-op"

    p = Pmemkit::Pool.open(Pathname.new(@path))
    assert_equal "hello", p.root["greeting"]
    assert_equal @path, p.path
    p.close
  end

  def test_block_forms_close_and_return_the_value
    kept = nil
    v = Pmemkit::Pool.create(@path, size: 32 << 20) do |p|
      kept = p
      p.root["n"] = 1
      :created
    end
    assert_equal :created, v
    assert kept.closed?

    assert_equal 1, Pmemkit::Pool.open(@path) { |p| p.root["n"] }
    assert_raises(RuntimeError) do
      Pmemkit::Pool.open(@path) do |p|
        kept = p
        raise "boom"
      end
    end
    assert kept.closed?, "closed when the block raises"
    Pmemkit::Pool.open(@path) { |p| assert_equal 1, p.root["n"] }
  end

  def test_new_is_not_public
    assert_raises(NoMethodError) { Pmemkit::Pool.new(nil, @path) }
  end

  def test_create_refuses_an_existing_file_and_a_small_size
    pool
    e = assert_raises(Errno::EEXIST) { Pmemkit::Pool.create(@path, size: 32 << 20) }
    assert_equal Errno::EEXIST::Errno, e.errno
    assert_raises(ArgumentError) do
      Pmemkit::Pool.create(File.join(@dir, "small.pool"), size: Pmemkit::Pool::MIN_SIZE - 1)
    end
    refute File.exist?(File.join(@dir, "small.pool"))
  end

  def test_open_errors
    e = assert_raises(Errno::ENOENT) { Pmemkit::Pool.open(File.join(@dir, "missing.pool")) }
    assert_kind_of SystemCallError, e
    assert_match "missing.pool", e.message

    pool
    assert_raises(Errno::EAGAIN) { Pmemkit::Pool.open(@path) }

    junk = File.join(@dir, "junk")
    File.binwrite(junk, "not a pool at all\n" * 100_000)
    e = assert_raises(Pmemkit::PoolError) { Pmemkit::Pool.open(junk) }
    assert_equal Pmemkit::Native::PK_ENOTPOOL, e.code
    assert_kind_of Pmemkit::Error, e
  end

  def test_open_a_pool_of_another_application
    other = File.join(@dir, "other.pool")
    lib = Fiddle.dlopen("libpmemobj.so.1")
    create = Fiddle::Function.new(lib["pmemobj_create"],
                                  [Fiddle::TYPE_VOIDP, Fiddle::TYPE_VOIDP, Fiddle::TYPE_SIZE_T, Fiddle::TYPE_INT],
                                  Fiddle::TYPE_VOIDP)
    close = Fiddle::Function.new(lib["pmemobj_close"], [Fiddle::TYPE_VOIDP], Fiddle::TYPE_VOID)
    pop = create.call(other, "otherapp", Pmemkit::Pool::MIN_SIZE, 0o600)
    refute pop.null?, "pmemobj_create failed"
    close.call(pop)

    e = assert_raises(Pmemkit::PoolError) { Pmemkit::Pool.open(other) }
    assert_equal Pmemkit::Native::PK_ELAYOUT, e.code
    assert_match "otherapp", e.message
  end

  def test_closed_pool_and_its_containers
    m = root
    m["list"] = [1, 2]
    list = m["list"]
    pool.close
    e = assert_raises(Pmemkit::ClosedError) { pool.root }
    assert_equal Pmemkit::Native::PK_ECLOSED, e.code
    assert_raises(Pmemkit::ClosedError) { m["x"] = 1 }
    assert_raises(Pmemkit::ClosedError) { list.size }
    assert_raises(Pmemkit::ClosedError) { pool.transaction { nil } }
  end

  def test_stats_check_and_gc
    root["a"] = { "b" => [1, 2, 3] }
    s = pool.stats
    assert_operator s[:size], :>=, 32 << 20
    assert_operator s[:objects], :>=, 3
    refute s[:unclean]

    pool.new_map("orphan" => 1)
    report = pool.check
    refute report[:ok]
    assert_operator report[:leaked], :>=, 1
    assert_operator pool.gc, :>=, 1
    assert_healthy
    assert_equal [1, 2, 3], root.dig("a", "b").to_a
  end

  def test_prefault
    root["k"] = "v"
    assert_nil pool.prefault
    assert_equal "v", root["k"]
    pool.close
    assert_raises(Pmemkit::ClosedError) { pool.prefault }
  end

  def test_inspect
    assert_match(/Pmemkit::Pool .*test\.pool>/, pool.inspect)
    pool.close
    assert_match(/closed>\z/, pool.inspect)
  end
end
