# frozen_string_literal: true

require_relative "helper"
require "open3"

# Pools shared with the Python module: the runner passes the interpreter
# in PK_PYTHON and the in-tree module's directory in PK_PYTHONPATH (both
# empty when configure built no Python module).
class TestPython < PmemkitTest::Case
  def setup
    super
    @python = ENV.fetch("PK_PYTHON", "")
    skip "the Python module is not built" if @python.empty?
  end

  def test_python_reads_what_ruby_wrote
    Pmemkit::Pool.create(@path, size: 32 << 20) do |p|
      r = p.root
      r["int"] = -7
      r["big"] = 2**100
      r["float"] = 2.5
      r["text"] = "ünï"
      r["bytes"] = "\x00\xff".b
      r["flags"] = [true, false, nil]
      r["nested"] = { "list" => [1, { "k" => "v" }] }
      r["array"] = p.new_array(:int32, [1, -2, 3])
      r[:sym] = :value
    end
    out = python(<<~PY)
      import pmemkit
      with pmemkit.Pool.open(path) as p:
          r = p.root
          assert r["int"] == -7 and r["big"] == 2**100 and r["float"] == 2.5
          assert r["text"] == "ünï" and r["bytes"] == b"\\x00\\xff"
          assert r["flags"].to_python() == [True, False, None]
          assert r["nested"].to_python() == {"list": [1, {"k": "v"}]}
          assert r["array"].typecode == "i" and r["array"].tolist() == [1, -2, 3]
          assert r["sym"] == "value"
          r["from python"] = "ok"
          print("python read", len(r))
    PY
    assert_match "python read 10", out
    Pmemkit::Pool.open(@path) { |p| assert_equal "ok", p.root["from python"] }
  end

  def test_ruby_reads_what_python_wrote
    python(<<~PY)
      import array, pmemkit
      with pmemkit.Pool.create(path) as p:
          r = p.root
          r["int"] = 42
          r["big"] = -(2**80)
          r["text"] = "héllo"
          r["bytes"] = b"\\x01\\x02"
          r["dict"] = {"a": [1, 2.5, None], 3: True}
          r["tuple"] = (1, "two")
          r["array"] = array.array("d", [0.5, 1.5])
          r[b"bkey"] = "bytes key"
    PY
    Pmemkit::Pool.open(@path) do |p|
      r = p.root
      assert_equal 42, r["int"]
      assert_equal(-(2**80), r["big"])
      assert_equal "héllo", r["text"]
      assert_equal Encoding::UTF_8, r["text"].encoding
      assert_equal "\x01\x02".b, r["bytes"]
      assert_equal Encoding::BINARY, r["bytes"].encoding
      assert_equal({ "a" => [1, 2.5, nil], 3 => true }, r["dict"].to_h)
      assert_equal [1, "two"], r["tuple"].to_a
      assert_equal :float64, r["array"].type
      assert_equal [0.5, 1.5], r["array"].to_a
      assert_equal "bytes key", r["bkey".b]
      assert_nil r["bkey"]
      assert_healthy p
    end
  end

  def test_logs_blocks_and_regions_both_ways
    Pmemkit::Pool.create(@path, size: 32 << 20) do |p|
      p.root["log"] = p.new_log(["", "é", "a\0b".b])
      b = p.new_blocks(1024, 3)
      b[0] = "ruby"
      b.set_error(2)
      p.root["blocks"] = b
    end
    region = "#{@path}.raw"
    Pmemkit::Region.open(region, size: 4096, create: true) { |r| r[100, 4] = "ruby" }
    python(<<~PY)
      import errno, pmemkit
      from pmemkit import pmem
      with pmemkit.Pool.open(path) as p:
          log, b = p.root["log"], p.root["blocks"]
          assert list(log) == [b"", "é".encode(), b"a\\0b"], list(log)
          assert b.block_size == 1024 and len(b) == 3
          assert b[0] == b"ruby".ljust(1024, b"\\0") and b[1] == bytes(1024)
          try:
              b[2]
              raise AssertionError("a bad block read")
          except OSError as e:
              assert e.errno == errno.EIO
          log.append(b"python")
          b.append(b"python")
      with pmem.map_file(path + ".raw") as r:
          assert r[100:104] == b"ruby"
          r[200:206] = b"python"
    PY
    Pmemkit::Pool.open(@path) do |p|
      assert_equal ["", "\xC3\xA9".b, "a\0b".b, "python"], p.root["log"].to_a
      assert_equal 4, p.root["blocks"].size
      assert p.root["blocks"][3].start_with?("python")
      assert_raises(Errno::EIO) { p.root["blocks"][2] }
    end
    assert_equal "python", Pmemkit::Region.open(region) { |r| r[200, 6] }
  end

  # Tuple keys and records both ways; skipped while the Python module has
  # no records (pmemkit.register).
  def test_tuple_keys_and_records_both_ways
    has_records = python("import pmemkit\nprint(hasattr(pmemkit, 'register'))").include?("True")
    skip "the Python module has no records yet" unless has_records

    record_class = Class.new(Pmemkit::Object) { attribute :x, :y }
    Pmemkit.register(record_class, "Point")
    begin
      Pmemkit::Pool.create(@path, size: 32 << 20) do |p|
        p.root[[1, "a"]] = "ruby"
        p.root["p"] = record_class.new(x: 1, y: Pmemkit::Tuple[2, "b"])
        p.root["s"] = Set[[1, 2]]
      end
      python(<<~PY)
        import pmemkit
        class Point(pmemkit.Object):
            pass
        pmemkit.register(Point, "Point")
        with pmemkit.Pool.open(path) as p:
            r = p.root
            assert r[(1.0, "a")] == "ruby"
            pt = r["p"]
            assert isinstance(pt, Point) and pt.x == 1 and pt.y == (2, "b"), pt
            assert (1, 2) in r["s"]
            pt.x = 10
            r[(2, (3.5, b"\\x04"))] = Point(x=5, y=None)
      PY
      Pmemkit::Pool.open(@path) do |p|
        assert_equal 10, p.root["p"].x
        pt = p.root[[2, [3.5, "\x04".b]]]
        assert_instance_of record_class, pt
        assert_equal({ x: 5, y: nil }, pt.to_h)
        assert_healthy p
      end
    ensure
      Pmemkit.unregister(record_class)
    end
  end

  private

  # Run +code+ under the Python module with `path` set to the pool's path;
  # its output.
  def python(code)
    env = { "PYTHONPATH" => ENV.fetch("PK_PYTHONPATH"), "PMEM_IS_PMEM_FORCE" => "1" }
    out, status = Open3.capture2e(env, @python, "-c", "path = #{@path.dump}\n#{code}")
    assert status.success?, "python failed:\n#{out}"
    out
  end
end
