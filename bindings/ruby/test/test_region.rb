# frozen_string_literal: true

require_relative "helper"
require "open3"
require "rbconfig"
require "stringio"

class TestRegion < PmemkitTest::Case
  def setup
    super
    @rpath = File.join(@dir, "raw")
  end

  def zeros(n)
    "\0".b * n
  end

  def test_map_write_persist_reopen
    Pmemkit::Region.open(@rpath, size: 1 << 20, create: true) do |r|
      assert_equal 1 << 20, r.size
      assert r.pmem? # PMEM_IS_PMEM_FORCE=1
      assert_equal zeros(4), r[0, 4]
      r[0, 5] = "hello"
      r.setbyte(-1, 0x7F)
      assert_equal 0x7F, r.getbyte(-1)
      assert_equal "o", r[4]
      assert_equal 5, r.write_at(100, "\0nul\0", drain: false)
      r.drain
      r.write_at(200, "later", flush: false)
      r.persist(200, 5)
      r.move(300, 0, 5)
      r.fill(400, "x".ord, 3)
      r.flush(0, 512).drain
      r.deep_flush(0, 4096)
      r.persist
      assert_equal "\0nul\0", r.read_at(100, 5)
      assert_equal Encoding::BINARY, r.read_at(100, 5).encoding
    end
    assert_equal 1 << 20, File.size(@rpath)
    Pmemkit::Region.open(@rpath, size: 4096, create: true) do |r|
      assert_equal 1 << 20, r.size, "an existing file is mapped whole, never cut to size"
      assert_equal "hello", r[0...5]
      assert_equal "hello", r[300, 5]
      assert_equal "later", r[200..204]
      assert_equal "xxx\0", r[400, 4]
      assert_equal 0x7F, r.getbyte((1 << 20) - 1)
    end
    assert_equal "hello", Pmemkit::Region.open(@rpath, size: 1 << 20) { |r| r.read(5) }
    assert_raises(ArgumentError) { Pmemkit::Region.open(@rpath, size: 4096) } # not its length
    assert_raises(Errno::EEXIST) { Pmemkit::Region.open(@rpath, size: 4096, create: true, exclusive: true) }
    assert_raises(Errno::ENOENT) { Pmemkit::Region.open("#{@rpath}.missing") }
    assert_raises(ArgumentError) { Pmemkit::Region.open("#{@rpath}.new", create: true) }
    assert_raises(Errno::EINVAL) { Pmemkit::Region.open("#{@rpath}.new", size: 0, create: true) }
    assert_raises(Pmemkit::OutOfRangeError) { Pmemkit::Region.open("#{@rpath}.new", size: -1, create: true) }
    assert_raises(TypeError) { Pmemkit::Region.open("#{@rpath}.new", size: "4096", create: true) }
    assert_raises(TypeError) { Pmemkit::Region.open(nil) }
    refute File.exist?("#{@rpath}.new")
  end

  def test_string_like_brackets
    Pmemkit::Region.open(@rpath, size: 64, create: true) do |r|
      r[0..3] = "abcd"
      r[4, 2] = "ef".encode(Encoding::UTF_16LE).byteslice(0, 2) # any String's bytes
      r[-2..] = "yz"
      assert_equal "abcd", r[0, 4]
      assert_equal "e\0", r[4, 2]
      assert_equal "yz", r[62..]
      assert_equal "z", r[-1]
      assert_equal "abcd", r.byteslice(0...4)
      assert_raises(FrozenError) { r[0, 4][0] = "A" } # would change a copy
      assert_equal "abcd", r[0, 4]
      r.rewind
      assert_equal "Abcd", r.read(4).tap { |s| s[0] = "A" }, "read gives a copy, as IO#read"
      assert_equal "yz", r[60, 10][2..], "a length past the end is cut, as String#[]"
      assert_equal "", r[64, 1]
      assert_nil r[64]
      assert_nil r[65, 1]
      assert_nil r[-65]
      assert_nil r.getbyte(64)
      assert_raises(IndexError) { r[64] = "a" }
      assert_raises(IndexError) { r[-65, 1] = "a" }
      assert_raises(IndexError) { r.setbyte(64, 1) }
      assert_raises(ArgumentError) { r[0, 4] = "toolong" } # a mapping is not resized
      assert_raises(ArgumentError) { r[0] = "" }
      assert_raises(ArgumentError) { r[62, 4] = "abcd" }
      assert_raises(TypeError) { r[0] = 65 }
      assert_raises(TypeError) { r["0"] }
      assert_raises(ArgumentError) { r.setbyte(0, 256) }
      assert_equal "abcd", r[0, 4]
      assert_equal "yz", r[62, 2]
    end
  end

  def test_io_like
    Pmemkit::Region.open(@rpath, size: 64, create: true) do |r|
      assert_equal 3, r.write("abc")
      assert_equal 3, r.pos
      assert_equal 4, r.write("\0d", "ef")
      r << "gh" << "ij"
      assert_equal 11, r.tell
      assert_equal 0, r.rewind
      assert_equal "abc", r.read(3)
      assert_equal "\0defghij", r.read(8)
      assert_equal 0, r.seek(-4, IO::SEEK_END)
      assert_equal 60, r.pos
      assert_equal zeros(4), r.read
      assert r.eof?
      assert_equal "", r.read
      assert_nil r.read(1)
      assert_equal "", r.read(0)
      r.seek(2, :SET)
      r.seek(1, IO::SEEK_CUR)
      assert_equal 3, r.pos
      r.pos = 62
      assert_raises(Pmemkit::OutOfRangeError) { r.write("xyz") } # past the end: nothing written
      assert_equal 62, r.pos
      assert_equal zeros(2), r[62, 2]
      assert_raises(Errno::EINVAL) { r.seek(65) }
      assert_raises(Errno::EINVAL) { r.seek(-1) }
      assert_raises(ArgumentError) { r.seek(0, 7) }
      assert_raises(TypeError) { r.write(7) }
      assert_raises(ArgumentError) { r.read(-1) } # as IO#read
      assert_raises(TypeError) { r.read("1") }
      assert_equal 62, r.pos
      assert_equal 0, r.fsync
    end
  end

  def test_io_copy_stream_both_ways
    src = File.join(@dir, "src")
    File.binwrite(src, (0..255).map(&:chr).join * 40)
    Pmemkit::Region.open(@rpath, size: 16_384, create: true) do |r|
      assert_equal 10_240, IO.copy_stream(src, r) # IO#write: persisted
      assert_equal 10_240, r.pos
      r.rewind
      out = StringIO.new(+"".b)
      assert_equal 16_384, IO.copy_stream(r, out)
      assert_equal File.binread(src), out.string[0, 10_240]
      assert_equal zeros(16_384 - 10_240), out.string[10_240..]
      buf = +"old"
      r.rewind
      assert_same buf, r.read(2, buf)
      assert_equal "\0\1".b, buf
    end
    assert_equal File.binread(src), File.binread(@rpath, 10_240)
  end

  def test_bad_input_writes_nothing
    Pmemkit::Region.open(@rpath, size: 4096, create: true) do |r|
      r[0, 4] = "keep"
      [-> { r.write_at(4094, "abc") },
       -> { r.write_at(-1, "a") },
       -> { r.persist(4096, 1) },
       -> { r.persist(-1) },
       -> { r.flush(0, 4097) },
       -> { r.deep_flush(4097) },
       -> { r.read_at(4000, 97) },
       -> { r.read_at(0, -1) },
       -> { r.move(0, 4090, 7) },
       -> { r.move(4090, 0, 7) },
       -> { r.fill(4095, 1, 2) },
       -> { r.read_at(2**64, 1) },
       -> { r.write_at(2**70, "a") },
       -> { r.persist(0, 2**64) }].each_with_index do |bad, i|
        assert_raises(Pmemkit::OutOfRangeError, "case #{i}") { bad.call }
      end
      assert_raises(TypeError) { r.write_at(0, nil) }
      assert_raises(TypeError) { r.write_at("0", "a") }
      assert_raises(TypeError) { r.read_at(0, 1.5) }
      assert_raises(TypeError) { r.fill(0, "x", 1) }
      assert_raises(ArgumentError) { r.fill(0, -1, 1) }
      assert_raises(ArgumentError) { r.fill(0, 256, 1) }
      assert_equal "keep", r[0, 4]
      assert_equal zeros(4096 - 4), r[4..]
      assert_raises(TypeError) { root["region"] = r } # not a container: never stored
      refute root.key?("region")
    end
  end

  def test_close_and_use_after_close
    r = Pmemkit::Region.open(@rpath, size: 4096, create: true)
    r.write("data")
    r.persist(0, 4)
    refute r.closed?
    assert_nil r.close
    assert r.closed?
    assert_nil r.close, "closing again does nothing"
    [-> { r.persist }, -> { r[0] }, -> { r[0] = "a" }, -> { r.read }, -> { r.write("a") },
     -> { r.size }, -> { r.seek(0) }, -> { r.read_at(0, 1) }, -> { r.drain }].each do |use|
      assert_raises(IOError) { use.call }
    end
    assert_equal "#<Pmemkit::Region #{@rpath} (closed)>", r.inspect
    # the block form persists and unmaps, also when the block raises
    kept = nil
    assert_raises(RuntimeError) do
      Pmemkit::Region.open(@rpath) do |x|
        kept = x
        x[0, 4] = "DATA"
        raise "boom"
      end
    end
    assert kept.closed?
    assert_equal "DATA", File.binread(@rpath, 4)
  end

  def test_msync_path_on_a_disk_file
    path = "/var/tmp/pk-region-rb-#{Process.pid}"
    code = <<~RUBY
      require "pmemkit"
      Pmemkit::Region.open(ARGV[0], size: 65536, create: true) do |r|
        raise "pmem?" if r.pmem?
        r[5000, 7] = "on disk"
        r.write_at(100, "later", flush: false)
        r.persist(100, 5)
      end
    RUBY
    env = { "PMEM_IS_PMEM_FORCE" => nil }
    out, status = Open3.capture2e(env, RbConfig.ruby, "-e", code, path)
    assert status.success?, out
    data = File.binread(path)
    assert_equal "on disk", data[5000, 7]
    assert_equal "later", data[100, 5]
  ensure
    FileUtils.rm_f(path)
  end
end
