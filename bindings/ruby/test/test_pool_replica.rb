# frozen_string_literal: true

require_relative "helper"
require "pathname"

# Pools with a replica and Pool.repair: damaging or removing one copy
# loses nothing acknowledged; what repair and open refuse.
class TestPoolReplica < PmemkitTest::Case
  def setup
    super
    @replica = File.join(@dir, "replica")
  end

  def replicated(size)
    Pmemkit::Pool.create(@path, size: size, replica: @replica) do |p|
      root = p.root
      500.times { |i| root[i] = value(i, 1024) }
      root["l"] = (0...100).to_a
      root["m"] = { "nested" => { "deep" => "value" } }
    end
  end

  # Every value is there, the pool is healthy.
  def check_replicated
    Pmemkit::Pool.open(@path) do |p|
      root = p.root
      assert_equal 502, root.size
      500.times { |i| assert_equal value(i, 1024), root[i] }
      assert_equal (0...100).to_a, root["l"].to_a
      assert_equal({ "nested" => { "deep" => "value" } }, root["m"].to_h)
      assert_healthy p
    end
  end

  # The files holding the pool's own data, and the replica's.
  def data_files
    own = files_of(@path).drop(1)
    other = File.file?(@replica) ? [@replica] : Dir.children(@replica).sort.map { |f| File.join(@replica, f) }
    refute_empty own
    refute_empty other
    [own, other]
  end

  [[:fixed, 16 << 20], [:growing, nil]].each do |kind, size|
    %i[primary replica].each do |which|
      define_method(:"test_repair_after_bytes_overwritten_in_the_#{which}_of_a_#{kind}_pool") do
        replicated(size)
        check_replicated
        own, other = data_files
        victim = (which == :primary ? own : other).first
        File.open(victim, "r+b") { |f| f.write("\xFF".b * 4096) }
        assert_nil Pmemkit::Pool.repair(@path)
        check_replicated
        # the repaired copy alone holds everything
        File.unlink((which == :primary ? other : own).first)
        Pmemkit::Pool.repair(@path)
        check_replicated
      end

      define_method(:"test_repair_after_the_#{which}_of_a_#{kind}_pool_is_removed") do
        replicated(size)
        own, other = data_files
        victim = (which == :primary ? own : other).first
        File.unlink(victim)
        Pmemkit::Pool.repair(@path)
        assert File.exist?(victim)
        check_replicated
      end
    end
  end

  def test_a_replicated_pool_keeps_its_copies_in_step
    replicated(16 << 20)
    Pmemkit::Pool.open(@path) { |p| p.root["later"] = "written after reopening" }
    own, = data_files
    # the replica alone, once the pool's own copy is gone
    File.unlink(own.first)
    Pmemkit::Pool.repair(@path)
    Pmemkit::Pool.open(@path) { |p| assert_equal "written after reopening", p.root["later"] }
  end

  def test_a_replicated_pool_opens_read_only_and_heals_nothing
    replicated(16 << 20)
    own, = data_files
    File.unlink(own.first)
    before = digest(files_of(@path) + [@replica])
    # the pool's own copy gone: refused, and no copy made or changed
    e = assert_raises(Pmemkit::PoolError) { Pmemkit::Pool.open(@path, readonly: true) }
    assert_match(/No such file/, e.message)
    assert_equal before, digest(files_of(@path) + [@replica])
    refute File.exist?(own.first)
    Pmemkit::Pool.repair(@path)
    healthy = digest(files_of(@path) + [@replica])
    Pmemkit::Pool.open(@path, readonly: true) do |p|
      assert_equal 502, p.root.size
      assert_raises(Pmemkit::ReadOnlyError) { p.root.clear }
    end
    assert_equal healthy, digest(files_of(@path) + [@replica])
    check_replicated
  end

  def test_repair_with_nothing_to_repair
    replicated(16 << 20)
    before = digest(files_of(@path) + [@replica])
    assert_nil Pmemkit::Pool.repair(Pathname.new(@path))
    check_replicated
    assert_equal before.keys, digest(files_of(@path) + [@replica]).keys
  end

  def test_repair_refuses_what_it_cannot_repair
    plain = File.join(@dir, "plain")
    Pmemkit::Pool.create(plain, size: 16 << 20) { |p| p.root["k"] = 1 }
    before = digest([plain])
    assert_raises(Pmemkit::PoolError) { Pmemkit::Pool.repair(plain) }
    assert_equal before, digest([plain])
    assert_raises(Errno::ENOENT) { Pmemkit::Pool.repair(File.join(@dir, "missing")) }

    replicated(16 << 20)
    Pmemkit::Pool.open(@path) do
      assert_raises(Errno::EAGAIN) { Pmemkit::Pool.repair(@path) }
    end
    check_replicated
  end

  def test_both_copies_damaged_is_refused_loudly
    replicated(16 << 20)
    own, other = data_files
    [own.first, other.first].each { |f| File.open(f, "r+b") { |io| io.write("\xFF".b * 4096) } }
    assert_raises(Pmemkit::PoolError) { Pmemkit::Pool.repair(@path) }
    assert_raises(Pmemkit::PoolError) { Pmemkit::Pool.open(@path) }
  end

  def test_process_durable_mode_is_refused_with_a_replica
    assert_raises(Errno::ENOTSUP) do
      Pmemkit::Pool.create(@path, size: 16 << 20, replica: @replica, process_durable: true)
    end
    assert_empty Dir.children(@dir)
    replicated(16 << 20)
    assert_raises(Errno::ENOTSUP) { Pmemkit::Pool.open(@path, process_durable: true) }
    check_replicated # (libpmemobj's open wrote its bookkeeping before the refusal)
  end

  def test_a_replica_of_another_pool_is_refused
    replicated(16 << 20)
    other = File.join(@dir, "other")
    Pmemkit::Pool.create(other, size: 16 << 20) { |p| p.root["other"] = 1 }
    File.unlink(@replica)
    FileUtils.cp(other, @replica)
    before = digest(files_of(@path) + [@replica])
    assert_raises(Pmemkit::PoolError) { Pmemkit::Pool.open(@path) }
    assert_raises(Pmemkit::PoolError) { Pmemkit::Pool.repair(@path) }
    assert_equal before, digest(files_of(@path) + [@replica])
    # the foreign copy gone, repair rebuilds the replica from the pool
    File.unlink(@replica)
    Pmemkit::Pool.repair(@path)
    check_replicated
  end

  def test_a_replica_that_exists_is_refused
    File.binwrite(@replica, "someone else's")
    assert_raises(Errno::EEXIST) { Pmemkit::Pool.create(@path, size: 16 << 20, replica: @replica) }
    assert_equal "someone else's", File.binread(@replica)
    refute File.exist?(@path)
  end
end
