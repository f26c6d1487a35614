# frozen_string_literal: true

require_relative "helper"

# The long calls release the GVL: another Ruby thread runs during them.
class TestThreads < PmemkitTest::Case
  # Run the block in this thread while another one notes the time every
  # millisecond; the times it noted while the block ran.
  def ticks_during
    ticks = Queue.new
    started = Queue.new
    ticker = Thread.new do
      started << true
      loop do
        ticks << Process.clock_gettime(Process::CLOCK_MONOTONIC)
        sleep 0.001
      end
    end
    started.pop
    t0 = Process.clock_gettime(Process::CLOCK_MONOTONIC)
    yield
    t1 = Process.clock_gettime(Process::CLOCK_MONOTONIC)
    ticker.kill.join
    Array.new(ticks.size) { ticks.pop }.select { |t| t > t0 && t < t1 }
  end

  def test_another_thread_runs_during_a_long_call
    big = File.join(@dir, "big.pool")
    during = ticks_during { @pool = Pmemkit::Pool.create(big, size: 256 << 20) }
    during += ticks_during { pool.prefault }
    pool.root["l"] = Array.new(20_000) { |i| [i] }
    during += ticks_during { assert pool.check[:ok] }
    refute_empty during, "no other thread ran during create, prefault and check"
  end

  def test_another_thread_runs_during_space_accounting
    pool.root["l"] = Array.new(20_000) { |i| [i] }
    used = nil
    during = ticks_during { used = pool.stats[:used] }
    during += ticks_during { assert_equal used, pool.sizeof(pool.root, deep: true) }
    refute_empty during, "no other thread ran during stats and sizeof"
  end

  def test_every_released_call_still_works
    pool.root["a"] = a = pool.new_array(:int32, [1, 2, 3])
    a.resize(5)
    a[4] = 5
    assert_equal [1, 2, 3, 0, 5], a.to_a
    assert_equal 0, pool.gc
    assert pool.stats[:objects].positive?
    pool.close
    assert_raises(Errno::ENOENT) { Pmemkit::Pool.open(File.join(@dir, "none")) }
    assert_equal [1, 2, 3, 0, 5], Pmemkit::Pool.open(@path) { |p| p.root["a"].to_a }
  end
end
