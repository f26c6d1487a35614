# frozen_string_literal: true

require_relative "helper"
require "open3"
require "rbconfig"
require "timeout"

# Process-durable pools on a disk file (not /dev/shm), in processes that
# see the file as libpmem does (no PMEM_IS_PMEM_FORCE): open, write, sync;
# a writer SIGKILLed loses nothing acknowledged.
class TestPoolDurable < PmemkitTest::Case
  DISK_DIR = "/var/tmp"

  def setup
    super
    skip "no #{DISK_DIR}" unless File.directory?(DISK_DIR)
    @disk = Dir.mktmpdir("pmemkit-ruby-", DISK_DIR)
    @disk_path = File.join(@disk, "disk.pool")
  end

  def teardown
    super
  ensure
    FileUtils.rm_rf(@disk) if @disk
  end

  # The environment of a process on a disk file: libpmem's own judgement
  # of the medium, not the tests' emulated persistent memory.
  def disk_env
    { "PMEM_IS_PMEM_FORCE" => nil }
  end

  def ruby(code, *args)
    out, status = Open3.capture2e(disk_env, RbConfig.ruby, "-rpmemkit", "-e", code, *args)
    assert status.success?, "ruby failed:\n#{out}"
    out
  end

  def test_create_write_sync_and_open_on_a_disk_file
    out = ruby(<<~RB, @disk_path)
      Pmemkit::Pool.create(ARGV[0], size: 16 << 20, process_durable: true) do |pool|
        puts pool.process_durable?
        pool.root["k"] = "v"
        puts pool.sync.inspect
      end
      Pmemkit::Pool.open(ARGV[0]) do |pool|
        puts pool.process_durable?
        pool.sync # nothing to do in a pool that is durable as it goes
        pool.root["k2"] = "v2"
      end
      pool = Pmemkit::Pool.open(ARGV[0], process_durable: true)
      puts pool.root.to_h.inspect
      pool.root["k3"] = [1, 2]
      pool.sync
      pool.close
      begin
        pool.sync
      rescue Pmemkit::ClosedError => e
        puts e.class
      end
    RB
    assert_equal "true\nnil\nfalse\n{\"k\"=>\"v\", \"k2\"=>\"v2\"}\nPmemkit::ClosedError\n", out
    Pmemkit::Pool.open(@disk_path) do |p|
      assert_equal({ "k" => "v", "k2" => "v2", "k3" => [1, 2] }, p.root.to_h)
      assert_healthy p
    end
  end

  def test_a_growing_pool_in_process_durable_mode_grows_and_syncs
    out = ruby(<<~RB, @disk_path)
      value = ->(i) { format("%08d", i).b * 8192 }
      Pmemkit::Pool.create(ARGV[0], process_durable: true) do |pool|
        first = pool.stats[:size]
        300.times { |i| pool.root[i] = value[i] }
        pool.sync
        puts pool.stats[:size] > first
      end
      Pmemkit::Pool.open(ARGV[0], process_durable: true) do |pool|
        puts (0...300).all? { |i| pool.root[i] == value[i] }
        pool.root["more"] = "after reopening"
        pool.sync
      end
    RB
    assert_equal "true\ntrue\n", out
    assert_operator Dir.children("#{@disk_path}.parts").size, :>, 1
    Pmemkit::Pool.open(@disk_path) do |p|
      assert_equal 301, p.root.size
      assert_equal "after reopening", p.root["more"]
      assert_healthy p
    end
  end

  WRITER = <<~RB
    $stdout.sync = true
    pool = Pmemkit::Pool.open(ARGV[0], process_durable: true)
    root = pool.root
    puts "ready"
    i = Integer(ARGV[1])
    loop do
      if i.odd?
        pool.transaction do
          root["a"] = i
          root["blob"] = "x".b * (i % 3000)
          root["b"] = i
        end
      else
        root[i % 500] = { "i" => i, "s" => "v\#{i}" }
      end
      pool.sync if (i % 97).zero?
      puts i
      i += 1
    end
  RB

  # Run the writer from +start+, SIGKILL it after +seconds+ of writing;
  # the numbers it acknowledged.
  def run_and_kill(start, seconds)
    lines = []
    Open3.popen2(disk_env, RbConfig.ruby, "-rpmemkit", "-e", WRITER, @disk_path, start.to_s) do |stdin, out, wait|
      stdin.close
      Timeout.timeout(60) { assert_equal "ready\n", out.gets }
      sleep seconds
      Process.kill(:KILL, wait.pid)
      refute wait.value.success?
      out.each_line { |l| lines << Integer(l) }
    end
    lines
  end

  def test_a_killed_writer_loses_nothing_acknowledged
    ruby(<<~RB, @disk_path)
      Pmemkit::Pool.create(ARGV[0], size: 16 << 20, process_durable: true) do |pool|
        pool.root["a"] = pool.root["b"] = -1
      end
    RB
    rng = Random.new(Integer(ENV.fetch("PK_SEED", "0")).nonzero? || Random.new_seed)
    acked = {}
    last_tx = -1
    start = 0
    4.times do
      run_and_kill(start, rng.rand(0.1..0.4)).each do |i|
        start = i + 1
        if i.odd?
          last_tx = i
        else
          acked[i % 500] = i
        end
      end
      Pmemkit::Pool.open(@disk_path) do |p|
        root = p.root
        assert p.stats[:unclean]
        acked.each do |slot, i|
          got = root[slot].to_h
          assert_operator got["i"], :>=, i
          assert_equal slot, got["i"] % 500
          assert_equal({ "i" => got["i"], "s" => "v#{got['i']}" }, got)
        end
        a = root["a"]
        assert_equal a, root["b"]
        assert_operator a, :>=, last_tx
        assert_equal "x".b * (a % 3000), root["blob"] if a >= 0
        assert_healthy p
        start = [start, a + 1].max
      end
    end
    refute_empty acked
    assert_operator last_tx, :>, 0
  end
end
