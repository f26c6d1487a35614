# frozen_string_literal: true

require_relative "helper"

# Pools opened with readonly: true: every write idiom raises
# Pmemkit::ReadOnlyError and changes nothing, in the pool's files nor in
# the Ruby objects it was given; reads and iteration give what is stored.
class TestPoolReadonly < PmemkitTest::Case
  # A registered record class for the tests.
  class Point < Pmemkit::Object
    attribute :x, :y
  end

  def setup
    super
    Pmemkit.register(Point, "test_pool_readonly.Point")
  end

  def teardown
    super
  ensure
    Pmemkit.unregister(Point)
  end

  EXPECTED = {
    "m" => { "a" => 1, "b" => [1, 2, 3], "c" => { "d" => "e".b } },
    "l" => [1, "two", 3.0, nil],
    "arr" => [1.5, 2.5, 3.5],
    "log" => ["r1".b, "r2".b]
  }.freeze

  def fill(pool)
    root = pool.root
    EXPECTED.slice("m", "l").each { |k, v| root[k] = deep_dup(v) }
    root["arr"] = pool.new_array(:float64, EXPECTED["arr"])
    root["log"] = pool.new_log(EXPECTED["log"])
    blocks = pool.new_blocks(512, 2)
    blocks[0] = "block"
    root["blocks"] = blocks
    root["s"] = ::Set[1, 2, 3]
    root["fs"] = ::Set["x"].freeze
    root["p"] = Point.new(x: 1, y: 2)
    root["r"] = Pmemkit::Record.new("Other", k: "v")
    root[[1, "t"]] = "tuple key"
    100.times { |i| root[i] = "v#{i}" }
  end

  def deep_dup(v)
    case v
    when Hash then v.transform_values { |x| deep_dup(x) }
    when Array then v.map { |x| deep_dup(x) }
    else v
    end
  end

  # What the pool holds, read by iteration and lookups.
  def snapshot(pool)
    root = pool.root
    out = {}
    root.each do |k, v|
      out[k] = case v
               when Pmemkit::Blocks then v.map(&:itself)
               when Pmemkit::Log then v.each.to_a
               when Pmemkit::Object then v.to_h
               when Pmemkit::Container then v.to_plain
               else v
               end
    end
    assert_equal (0...100).to_h { |i| [i, "v#{i}"] }, out.select { |k, _| k.is_a?(Integer) }
    assert_equal (0...100).map { |i| "v#{i}" }, (0...100).map { |i| root[i] }
    out
  end

  # Every kind of write the containers and the pool take, by name.
  def write_idioms(pool)
    root = pool.root
    m, l, arr, log = root.values_at("m", "l", "arr", "log")
    blocks, s, pt, rec = root.values_at("blocks", "s", "p", "r")
    h = { "nested" => [1] }
    a = [1, 2]
    {
      "root[k] = 1" => -> { root["new"] = 1 },
      "root[k] = hash" => -> { root["new"] = h },
      "root[k] = array" => -> { root["new"] = a },
      "root[k] = ::Set" => -> { root["new"] = ::Set[1] },
      "root[k] = record" => -> { root["new"] = Point.new(x: 1) },
      "root.store" => -> { root.store("new", {}) },
      "overwrite" => -> { root["m"] = 5 },
      "fetch_or_store" => -> { root.fetch_or_store("todo") { [] } },
      "compute_if_absent" => -> { root.compute_if_absent("todo") { {} } },
      "default_proc" => lambda {
        r = pool.root
        r.default_proc = proc { |map, key| map[key] = [] }
        r["missing"]
      },
      "root.delete" => -> { root.delete(0) },
      "update" => -> { root.update("a" => 2) },
      "merge!" => -> { m.merge!("a" => 2) },
      "map clear" => -> { m.clear },
      "delete_if" => -> { m.delete_if { true } },
      "keep_if" => -> { m.keep_if { false } },
      "reject!" => -> { m.reject! { true } },
      "select!" => -> { m.select! { false } },
      "filter!" => -> { m.filter! { false } },
      "nested map []=" => -> { m["c"]["d"] = 1 },
      "list []=" => -> { l[0] = 9 },
      "list []= past the end" => -> { l[10] = 9 },
      "<<" => -> { l << 5 },
      "push" => -> { l.push(5, 6) },
      "append" => -> { l.append(5) },
      "concat" => -> { l.concat([5]) },
      "insert" => -> { l.insert(1, 5) },
      "unshift" => -> { l.unshift(5) },
      "prepend" => -> { l.prepend(5) },
      "pop" => -> { l.pop },
      "pop(n)" => -> { l.pop(2) },
      "shift" => -> { l.shift },
      "shift(n)" => -> { l.shift(2) },
      "slice!" => -> { l.slice!(0, 2) },
      "list delete" => -> { l.delete(1) },
      "delete_at" => -> { l.delete_at(0) },
      "list clear" => -> { l.clear },
      "map!" => -> { l.map!(&:to_s) },
      "collect!" => -> { l.collect!(&:to_s) },
      "sort!" => -> { root["m"]["b"].sort! { |x, y| y <=> x } },
      "sort_by!" => -> { root["m"]["b"].sort_by!(&:-@) },
      "reverse!" => -> { l.reverse! },
      "array []=" => -> { arr[0] = 9.5 },
      "array resize" => -> { arr.resize(10) },
      "log <<" => -> { log << "r3" },
      "log append" => -> { log.append("r3", "r4") },
      "log concat" => -> { log.concat(["r3"]) },
      "log clear" => -> { log.clear },
      "blocks []=" => -> { blocks[1] = "x" },
      "blocks zero" => -> { blocks.zero(0) },
      "blocks set_error" => -> { blocks.set_error(0) },
      "blocks grow" => -> { blocks.grow(1) },
      "blocks <<" => -> { blocks << "x" },
      "set add" => -> { s.add(4) },
      "set <<" => -> { s << 4 },
      "set add?" => -> { s.add?(4) },
      "set delete" => -> { s.delete(1) },
      "set delete?" => -> { s.delete?(1) },
      "set merge" => -> { s.merge([4, 5]) },
      "set subtract" => -> { s.subtract([1]) },
      "set clear" => -> { s.clear },
      "set replace" => -> { s.replace([7]) },
      "set delete_if" => -> { s.delete_if { true } },
      "record attribute=" => -> { pt.x = 10 },
      "record []=" => -> { pt[:y] = 10 },
      "record delete_attribute" => -> { pt.delete_attribute(:y) },
      "Record []=" => -> { rec[:k] = "w" },
      "Record writer" => -> { rec.z = 1 },
      "Record delete" => -> { rec.delete(:k) },
      "new_map" => -> { pool.new_map },
      "new_list" => -> { pool.new_list([1]) },
      "new_array" => -> { pool.new_array(:int32, 3) },
      "new_log" => -> { pool.new_log },
      "new_blocks" => -> { pool.new_blocks(512, 1) },
      "new_set" => -> { pool.new_set([1]) },
      "new record" => -> { pool.new(Point, x: 1) },
      "transaction" => -> { pool.transaction { root["tx"] = 1 } },
      "empty transaction" => -> { pool.transaction { nil } },
      "gc" => -> { pool.gc },
      "defrag" => -> { pool.defrag },
      "sync" => -> { pool.sync }
    }.tap { @given = [h, a] }
  end

  def test_every_write_raises_read_only_and_the_files_stay_as_they_were
    Pmemkit::Pool.create(@path, size: 32 * MIB) { |p| fill(p) }
    expected = Pmemkit::Pool.open(@path) { |p| snapshot(p) }
    before = digest(files_of(@path))

    Pmemkit::Pool.open(@path, readonly: true) do |p|
      assert p.readonly?
      refute p.process_durable?
      assert_match(/ readonly>\z/, p.inspect)
      write_idioms(p).each do |name, write|
        e = assert_raises(Pmemkit::ReadOnlyError, name) { write.call }
        assert_equal Pmemkit::Native::PK_EREADONLY, e.code, name
        assert_match(/\APK_EREADONLY: pool is open read-only/, e.message, name)
        refute p.in_transaction?, name
      end
      # the Hash and Array given to a refused store are not frozen: they
      # were not stored
      @given.each { |g| refute g.frozen?, "#{g.inspect} was not stored" }
      assert_equal expected, snapshot(p), "reads after the refused writes"
      assert_healthy p
    end
    assert_equal before, digest(files_of(@path))
    Pmemkit::Pool.open(@path) { |p| assert_equal expected, snapshot(p) }
  end

  def test_reads_iteration_and_accounting_work
    Pmemkit::Pool.create(@path, size: 32 * MIB) { |p| fill(p) }
    expected = Pmemkit::Pool.open(@path) { |p| snapshot(p) }
    before = digest(files_of(@path))
    Pmemkit::Pool.open(@path, readonly: true) do |p|
      root = p.root
      assert_equal expected, snapshot(p)
      assert_equal EXPECTED["m"], root["m"].to_h
      assert_equal [1, 2, 3], root.dig("m", "b").to_a
      assert_equal EXPECTED["l"], root["l"].each.to_a
      assert_equal "two", root["l"][1]
      assert_equal EXPECTED["arr"], root["arr"].to_a
      assert_equal EXPECTED["log"], root["log"].each.to_a
      assert_equal "block".b.ljust(512, "\0"), root["blocks"][0]
      assert root["s"].include?(2)
      assert_equal ::Set[1, 2, 3], root["s"].to_set
      assert root["fs"].frozen?
      assert_equal 1, root["p"].x
      assert_instance_of Point, root["p"]
      assert_equal "v", root["r"][:k]
      assert_equal "tuple key", root[[1, "t"]]
      assert root.key?(99)
      assert_equal 110, root.size
      stats = p.stats
      assert_operator stats[:used], :>, 0
      assert_equal stats[:used], p.sizeof(root, deep: true)
      assert_nil p.prefault
      assert_equal 0, p.transaction_depth
    end
    assert_equal before, digest(files_of(@path))
  end

  def test_a_file_without_write_permission_opens_read_only_only
    Pmemkit::Pool.create(@path, size: 16 * MIB) { |p| p.root["k"] = [1, 2] }
    File.chmod(0o444, @path)
    before = digest(files_of(@path))
    assert_raises(Errno::EACCES) { Pmemkit::Pool.open(@path) }
    Pmemkit::Pool.open(@path, readonly: true) do |p|
      assert_equal [1, 2], p.root["k"].to_a
      assert_raises(Pmemkit::ReadOnlyError) { p.root["k"] << 3 }
    end
    assert_equal before, digest(files_of(@path))
  end

  def test_a_read_only_open_holds_the_pool_as_any_open
    Pmemkit::Pool.create(@path, size: 16 * MIB) { |p| p.root["k"] = 1 }
    Pmemkit::Pool.open(@path, readonly: true) do
      assert_raises(Errno::EAGAIN) { Pmemkit::Pool.open(@path) }
      assert_raises(Errno::EAGAIN) { Pmemkit::Pool.open(@path, readonly: true) }
    end
    Pmemkit::Pool.open(@path) { |p| assert_equal 1, p.root["k"] }
  end

  def test_a_growing_pool_opens_read_only
    Pmemkit::Pool.create(@path) do |p|
      200.times { |i| p.root[i] = value(i, 64 * 1024) }
    end
    before = digest(files_of(@path))
    assert_operator before.size, :>, 2
    Pmemkit::Pool.open(@path, readonly: true) do |p|
      assert_equal 200, p.root.size
      200.times { |i| assert_equal value(i, 64 * 1024), p.root[i] }
      assert_raises(Pmemkit::ReadOnlyError) { p.root[200] = value(200, 64 * 1024) }
    end
    assert_equal before, digest(files_of(@path))
  end

  def test_a_pool_a_crash_left_unclean_is_read_as_recovered_and_left_unclean
    Pmemkit::Pool.create(@path, size: 16 * MIB) { |p| p.root["kept"] = [1, 2] }
    # a writer killed with the pool open
    pid = fork do
      p = Pmemkit::Pool.open(@path)
      p.root["last"] = "acknowledged"
      p.root["kept"] << 3
      Process.kill(:KILL, Process.pid)
    end
    Process.wait(pid)
    assert_equal "KILL", Signal.signame($?.termsig)
    before = digest(files_of(@path))
    2.times do
      Pmemkit::Pool.open(@path, readonly: true) do |p|
        assert p.stats[:unclean]
        assert_equal "acknowledged", p.root["last"]
        assert_equal [1, 2, 3], p.root["kept"].to_a
        assert_raises(Pmemkit::ReadOnlyError) { p.gc }
      end
      assert_equal before, digest(files_of(@path)), "the file stays unclean"
    end
    Pmemkit::Pool.open(@path) do |p|
      assert p.stats[:unclean]
      assert_equal [1, 2, 3], p.root["kept"].to_a
    end
    Pmemkit::Pool.open(@path, readonly: true) { |p| refute p.stats[:unclean] }
  end

  def test_read_only_and_process_durable_together_are_refused
    Pmemkit::Pool.create(@path, size: 16 * MIB) { |p| p.root["k"] = 1 }
    before = digest(files_of(@path))
    e = assert_raises(ArgumentError) { Pmemkit::Pool.open(@path, readonly: true, process_durable: true) }
    assert_match(/read-only pool is never written/, e.message)
    # as C refuses them
    assert_raises(Errno::EINVAL) do
      Pmemkit::Native.pk_swig_pool_open(@path, Pmemkit::Native::PK_POOL_READONLY | Pmemkit::Native::PK_POOL_PROCESS_DURABLE)
    end
    assert_equal before, digest(files_of(@path))
  end

  def test_create_has_no_read_only_option
    e = assert_raises(ArgumentError) { Pmemkit::Pool.create(@path, readonly: true) }
    assert_match(/readonly: an option of Pool.open/, e.message)
    refute File.exist?(@path)
  end

  def test_the_error_class_comes_from_the_table
    row = Pmemkit::ERROR_TABLE.find { |r| r[0] == "PK_EREADONLY" }
    assert_equal "ReadOnly", row[2]
    assert_same Pmemkit::ReadOnlyError, Pmemkit.exception_for("ReadOnly")
    assert_operator Pmemkit::ReadOnlyError, :<, Pmemkit::Error
  end
end
