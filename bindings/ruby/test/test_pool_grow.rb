# frozen_string_literal: true

require_relative "helper"

# Growing pools (Pool.create without size:), their maximum, pools of a
# fixed size, what stats gives for each, and the bad input of creating and
# opening: refused loudly, nothing made or changed.
class TestPoolGrow < PmemkitTest::Case
  def test_a_pool_without_a_size_grows_to_ten_times_its_first_size
    n = 0
    first = nil
    Pmemkit::Pool.create(@path) do |p|
      first = p.stats[:size]
      assert_operator first, :>=, Pmemkit::Pool::MIN_SIZE
      assert_operator first, :<, 64 * MIB
      root = p.root
      # stats walks every object: asked every 64 puts
      while !(n % 64).zero? || p.stats[:used] < 10 * first
        root[n] = value(n, 64 * 1024)
        n += 1
      end
      grown = p.stats
      assert_operator grown[:size], :>=, grown[:used]
      assert_operator grown[:used], :>=, 10 * first
    end
    Pmemkit::Pool.open(@path) do |p|
      root = p.root
      assert_equal n, root.size
      n.times { |i| assert_equal value(i, 64 * 1024), root[i] }
      assert_operator p.stats[:size], :>=, 10 * first
      assert_healthy p
      root[n] = "more after reopening"
    end
    assert File.file?(@path)
    assert File.directory?("#{@path}.parts")
    assert_operator Dir.children("#{@path}.parts").size, :>, 1
  end

  def test_a_growing_pool_stops_at_its_maximum_and_stays_usable
    limit = 32 * MIB
    n = 0
    Pmemkit::Pool.create(@path, max_size: limit) do |p|
      root = p.root
      e = assert_raises(Pmemkit::OutOfSpaceError) do
        loop do
          root[n] = value(n, 16 * 1024)
          n += 1
        end
      end
      assert_equal Pmemkit::Native::PK_ENOSPACE, e.code
      assert_operator n, :>, 0
      assert_operator p.stats[:size], :<=, limit
      refute root.key?(n), "the refused put stored nothing"
      n.times { |i| assert_equal value(i, 16 * 1024), root[i] }
      # still usable: space freed takes puts again
      (0...n).step(2) { |i| root.delete(i) }
      root["after"] = value(-1, 16 * 1024)
      assert_healthy p
    end
    Pmemkit::Pool.open(@path) do |p|
      root = p.root
      assert_equal value(-1, 16 * 1024), root["after"]
      assert_equal (1...n).step(2).to_a, root.keys.grep(Integer).sort
      assert_operator p.stats[:size], :<=, limit
    end
  end

  def test_a_size_and_a_maximum_start_there_and_grow
    Pmemkit::Pool.create(@path, size: 16 * MIB, max_size: 64 * MIB) do |p|
      assert_operator p.stats[:size], :>=, 16 * MIB
      root = p.root
      (40 * 16).times { |i| root[i] = value(i, 64 * 1024) }
      assert_includes (40 * MIB)..(64 * MIB), p.stats[:size]
    end
  end

  def test_a_pool_with_a_size_alone_keeps_it
    Pmemkit::Pool.create(@path, size: 16 * MIB) do |p|
      root = p.root
      assert_raises(Pmemkit::OutOfSpaceError) do
        1_000_000.times { |i| root[i] = value(i, 64 * 1024) }
      end
      assert_operator p.stats[:size], :<=, 16 * MIB
    end
    assert_equal 16 * MIB, File.size(@path)
    refute File.exist?("#{@path}.parts")
  end

  def test_bad_sizes_are_refused_and_create_nothing
    small = Pmemkit::Pool::MIN_SIZE - 1
    [{ size: small }, { size: 0 }, { size: -1 }, { size: 1 << 64 },
     { max_size: small }, { max_size: -1 },
     { size: 32 * MIB, max_size: 16 * MIB }, { replica: "" }, { mode: -1 }].each do |opts|
      e = assert_raises(ArgumentError, opts.inspect) { Pmemkit::Pool.create(@path, **opts) }
      assert_match(/\Apmemkit: /, e.message)
      assert_empty Dir.children(@dir), opts.inspect
    end
    e = assert_raises(ArgumentError) { Pmemkit::Pool.create(@path, size: 32 * MIB, max_size: 16 * MIB) }
    assert_match(/maximum pool size 16777216 is below the size 33554432/, e.message)
    assert_raises(TypeError) { Pmemkit::Pool.create(@path, size: "16M") }
    assert_raises(TypeError) { Pmemkit::Pool.create(@path, max_size: 1.5) }
    assert_raises(ArgumentError) { Pmemkit::Pool.create(@path, 16 * MIB) } # keywords only
    assert_empty Dir.children(@dir)
  end

  # The flag options are the rows of the C library's pool-option table,
  # each with its bit: no more, no fewer.
  def test_the_flag_options_are_the_c_tables
    rows = Pmemkit.native_rows(:pk_pool_flag_table)
    names = rows.map { |r| r.option.to_sym }
    assert_equal %i[process_durable readonly], names.sort
    assert_equal 32 << 30, Pmemkit::Native::PK_POOL_MAX_DEFAULT
    Pmemkit::Pool.create(@path, size: 16 * MIB).close
    rows.each do |r|
      Pmemkit::Pool.open(@path, r.option.to_sym => true) do |pool|
        assert_equal r.value, pool.instance_variable_get(:@flags), r.option
      end
    end
    e = assert_raises(ArgumentError) { Pmemkit::Pool.open(@path, read_only: true) }
    assert_match(/it takes #{names.join(', ')}\z/, e.message)
    e = assert_raises(ArgumentError) { Pmemkit::Pool.create("#{@path}2", sise: 1) }
    assert_match(/it takes size, max_size, mode, replica, #{(names - [:readonly]).join(', ')}\z/, e.message)
  end

  def test_unknown_options_are_refused_by_name
    e = assert_raises(ArgumentError) { Pmemkit::Pool.create(@path, sise: 16 * MIB) }
    assert_match(/unknown option :sise of Pool.create; it takes size, max_size, mode, replica, process_durable/,
                 e.message)
    e = assert_raises(ArgumentError) { Pmemkit::Pool.create(@path, readonly: true) }
    assert_match(/readonly: an option of Pool.open/, e.message)
    assert_empty Dir.children(@dir)

    pool.close
    before = digest(files_of(@path))
    e = assert_raises(ArgumentError) { Pmemkit::Pool.open(@path, read_only: true, size: 1) }
    assert_match(/unknown options :read_only, :size of Pool.open \(size: an option of Pool.create\); it takes readonly, process_durable/,
                 e.message)
    assert_raises(ArgumentError) { Pmemkit::Pool.open(@path, true) } # keywords only
    assert_raises(ArgumentError) { Pmemkit::Pool.open(@path, { readonly: true }) }
    assert_equal before, digest(files_of(@path))
  end

  def test_an_existing_path_is_refused_and_left_alone
    [16 * MIB, nil].each do |size|
      File.binwrite(@path, "someone else's file")
      e = assert_raises(Errno::EEXIST) { Pmemkit::Pool.create(@path, size: size) }
      assert_match @path, e.message
      assert_equal "someone else's file", File.binread(@path)
      assert_equal ["test.pool"], Dir.children(@dir)
    end
  end

  def test_a_parts_directory_holding_other_files_is_refused
    parts = "#{@path}.parts"
    Dir.mkdir(parts)
    File.binwrite(File.join(parts, "mine"), "keep me")
    assert_raises(SystemCallError) { Pmemkit::Pool.create(@path) }
    refute File.exist?(@path)
    assert_equal ["mine"], Dir.children(parts)
    assert_equal "keep me", File.binread(File.join(parts, "mine"))
  end

  def test_a_growing_pool_with_a_missing_part_is_refused_and_loses_nothing
    Pmemkit::Pool.create(@path) do |p|
      200.times { |i| p.root[i] = value(i, 64 * 1024) }
    end
    dir = "#{@path}.parts"
    parts = Dir.children(dir).sort
    assert_operator parts.size, :>, 2
    # a part in the middle: refused, no file changed
    File.rename(File.join(dir, parts[1]), "#{@path}.away")
    before = digest(files_of(@path))
    assert_raises(Pmemkit::PoolError) { Pmemkit::Pool.open(@path) }
    assert_raises(Pmemkit::PoolError) { Pmemkit::Pool.open(@path, readonly: true) }
    assert_equal before, digest(files_of(@path))
    File.rename("#{@path}.away", File.join(dir, parts[1]))
    # the last part: refused
    File.rename(File.join(dir, parts.last), "#{@path}.away")
    assert_raises(Pmemkit::PoolError) { Pmemkit::Pool.open(@path) }
    # every part back: every value there
    File.rename("#{@path}.away", File.join(dir, parts.last))
    Pmemkit::Pool.open(@path) do |p|
      assert_equal 200, p.root.size
      200.times { |i| assert_equal value(i, 64 * 1024), p.root[i] }
      assert_healthy p
    end
  end

  def test_stats_of_a_fixed_and_a_growing_pool
    Pmemkit::Pool.create(@path, size: 16 * MIB) do |p|
      s = p.stats
      assert_equal 16 * MIB, s[:size]
      assert_equal 16 * MIB, s[:max_size]
      assert_operator s[:used], :<=, s[:size]
      assert_includes 1..(s[:max_size] - s[:used]), s[:free]
    end
    growing = File.join(@dir, "growing.pool")
    Pmemkit::Pool.create(growing, max_size: 256 * MIB) do |p|
      s = p.stats
      assert_includes Pmemkit::Pool::MIN_SIZE...(256 * MIB), s[:size]
      assert_equal 256 * MIB, s[:max_size]
      assert_includes 1..(s[:max_size] - s[:used]), s[:free]
      # every field of the C struct but its version and reserved ones
      refute s.key?(:version)
      refute s.key?(:reserved_)
      assert_equal false, s[:unclean]
      p.root["big"] = "x".b * (64 * MIB)
      t = p.stats
      assert_operator t[:size], :>, 64 * MIB
      assert_operator t[:used], :>, s[:used] + 64 * MIB
      # free is an estimate (at most what is left)
      assert_operator t[:free], :<, s[:free]
      assert_operator t[:free], :<=, t[:max_size] - t[:used]
    end
  end

  def test_python_reads_a_growing_pool_ruby_made
    python = ENV.fetch("PK_PYTHON", "")
    skip "the Python module is not built" if python.empty?

    Pmemkit::Pool.create(@path) do |p|
      300.times { |i| p.root[i] = value(i, 64 * 1024) }
      p.root["list"] = [1, "two"]
    end
    out = IO.popen({ "PYTHONPATH" => ENV.fetch("PK_PYTHONPATH", "") },
                   [python, "-c", <<~PY, @path], &:read)
      import sys, pmemkit
      with pmemkit.Pool.open(sys.argv[1]) as p:
          r = p.root
          assert all(r[i] == (b"%08d" % i) * 8192 for i in range(300))
          print(len(r), list(r["list"]))
    PY
    assert $?.success?
    assert_equal "301 [1, 'two']\n", out
  end
end
