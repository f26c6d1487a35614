# frozen_string_literal: true

require_relative "helper"

class TestBlocks < PmemkitTest::Case
  # block +i+ of version +ver+: its number and version, then a fill
  def pattern(i, ver, size)
    [i, ver].pack("Q<Q<").ljust(size, ((i + ver) % 251).chr).b
  end

  def zeros(size)
    "\0".b * size
  end

  def test_new_blocks_read_as_zeros_and_keep_writes
    b = pool.new_blocks(512, 3)
    root["b"] = b
    assert_equal 512, b.block_size
    assert_equal 3, b.size
    assert_equal [zeros(512)] * 3, b.to_a
    b[0] = "hello"
    b[-1] = "x" * 512
    assert_equal "hello".ljust(512, "\0"), b[0]
    assert_equal Encoding::BINARY, b[0].encoding
    assert_equal "x" * 512, b[2]
    assert_equal b[2], b[-1]
    assert_equal b[0], b.fetch(-3)
    reopen
    b = root["b"]
    assert_instance_of Pmemkit::Blocks, b
    assert_equal ["hello".ljust(512, "\0"), zeros(512), "x" * 512], b.to_a
    assert_equal 3, b.each.size
    big = pool.new_blocks(65_536, 1)
    big[0] = "é" # a String's bytes, whatever its encoding
    assert_equal "\xC3\xA9".b, big[0][0, 2]
  end

  def test_blocks_read_are_frozen_not_silently_changed
    b = pool.new_blocks(512, 1)
    b[0] = "old"
    assert_raises(FrozenError) { b[0][0, 3] = "new" }
    assert_raises(FrozenError) { b.first << "x" }
    assert_raises(FrozenError) { b.fetch(0).replace("x") }
    b[0] = b[0].dup.tap { |blk| blk[0, 3] = "new" }
    assert b[0].start_with?("new")
  end

  def test_index_rules_are_the_lists
    b = pool.new_blocks(512, 2)
    assert_nil b[2], "as Array#[]: nil past the end"
    assert_nil b[-3]
    assert_raises(IndexError) { b.fetch(2) }
    assert_raises(IndexError) { b.fetch(-3) }
    assert_raises(IndexError) { b[2] = "z" }
    assert_raises(IndexError) { b[-3] = "z" }
    assert_raises(IndexError) { b.zero(2) }
    assert_raises(IndexError) { b.set_error(-3) }
    assert_raises(TypeError) { b[nil] }
    assert_raises(TypeError) { b[[0]] = "x" }
    assert_equal 2, b.size, "a block array does not grow by assignment"
    b[1] = "one"
    assert_equal [zeros(512), "one".ljust(512, "\0")], b[0, 5]
    assert_equal ["one".ljust(512, "\0")], b[-1..]
    assert_equal [], b[2, 1]
    assert_nil b[3, 1]
    assert_equal b.to_a, b.slice(0..)
    assert_raises(TypeError) { b[0..1] = "x" }
  end

  def test_bad_input_writes_nothing
    b = pool.new_blocks(512, 2)
    root["b"] = b
    b[0] = "x" * 512
    assert_raises(ArgumentError) { b[0] = "y" * 513 }
    assert_raises(TypeError) { b[0] = 7 }
    assert_raises(TypeError) { b[0] = nil }
    assert_raises(TypeError) { b[0] = :sym }
    assert_raises(ArgumentError) { b.append("y" * 513) }
    assert_equal "x" * 512, b[0]
    assert_equal 2, b.size
    [0, 511, 65_537, -512].each do |size|
      assert_raises(ArgumentError) { pool.new_blocks(size, 1) }
    end
    assert_raises(ArgumentError) { pool.new_blocks(512, -1) }
    assert_raises(TypeError) { pool.new_blocks(nil, 1) }
    assert_raises(ArgumentError) { b.grow(-1) }
    assert_raises(Errno::EINVAL) { b.grow(2**64) }
    assert_raises(Errno::EINVAL) { b.grow(2**41) } # more than a block array holds
    assert_raises(Errno::EINVAL) { pool.new_blocks(512, 2**70) }
    assert_nil b[2**64]
    assert_raises(IndexError) { b[2**64] = "x" }
    assert_equal 2, b.size
    assert_healthy
  end

  def test_zero_and_bad_blocks
    b = pool.new_blocks(1024, 4)
    root["b"] = b
    4.times { |i| b[i] = pattern(i, 1, 1024) }
    b.zero(1)
    assert_equal zeros(1024), b[1]
    b.set_error(2)
    e = assert_raises(Errno::EIO) { b[2] }
    assert_equal Errno::EIO::Errno, e.errno
    assert_match(/block 2/, e.message)
    assert_raises(Errno::EIO) { b.to_a }
    assert_equal pattern(3, 1, 1024), b[3], "other blocks read"
    reopen
    b = root["b"]
    assert_raises(SystemCallError) { b.fetch(2) }
    b[2] = "fixed"
    assert b[2].start_with?("fixed")
    b.set_error(-1)
    b.zero(-1)
    assert_equal zeros(1024), b[3]
  end

  def test_grow_append_and_transactions
    b = pool.new_blocks(512, 1)
    root["b"] = b
    b[0] = "first"
    assert_same b, b.grow(3)
    assert_equal 4, b.size
    assert_equal zeros(512), b[3]
    b.append("appended")
    b << "again"
    assert_equal 6, b.size
    assert b[4].start_with?("appended")
    assert b[5].start_with?("again")
    assert_raises(RuntimeError) do
      pool.transaction do
        b[0] = "changed"
        b.zero(4)
        b.grow(10)
        assert b[0].start_with?("changed")
        assert_equal 16, b.size
        raise "abort"
      end
    end
    assert_equal 6, b.size
    assert b[0].start_with?("first")
    assert b[4].start_with?("appended")
    pool.transaction { b[0] = "committed" }
    assert b[0].start_with?("committed")
  end

  def test_nesting_gc_and_plain_copies
    b = pool.new_blocks(512, 2)
    b[1] = "one"
    root["l"] = [b, { "inner" => b }]
    assert_instance_of Pmemkit::Blocks, root["l"][0]
    assert_equal b, root["l"][0]
    assert root["l"][1]["inner"].same?(b)
    assert_equal [zeros(512), "one".ljust(512, "\0")], root["l"].to_a[0]
    assert_equal "#<Pmemkit::Blocks of 2 blocks of 512 bytes>", b.inspect
    root.delete("l")
    pool.new_blocks(512, 3)
    GC.start
    assert_operator pool.gc, :>=, 1
    assert_healthy
  end

  def test_use_after_close
    b = pool.new_blocks(512, 1)
    root["b"] = b
    pool.close
    assert_raises(Pmemkit::ClosedError) { b.fetch(0) }
    assert_raises(Pmemkit::ClosedError) { b[0] = "x" }
    assert_raises(Pmemkit::ClosedError) { b.grow(1) }
  end
end
