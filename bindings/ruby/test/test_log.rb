# frozen_string_literal: true

require_relative "helper"

class TestLog < PmemkitTest::Case
  def records(n)
    Array.new(n) { |i| "record #{i}".b * (i % 3) }
  end

  def log
    @log ||= pool.new_log.tap { |l| root["log"] = l }
  end

  def test_append_iterate_size_and_nbytes
    assert_empty log
    log << "a" << "" << "a\0b".b
    log.append("xyz")
    assert_equal ["a", "", "a\0b", "xyz"], log.to_a
    assert_equal 4, log.size
    assert_equal 4, log.length
    assert_equal 7, log.nbytes
    assert(log.all? { |r| r.encoding == Encoding::BINARY })
    assert(log.all?(&:frozen?), "a record never changes: << on one would change a copy")
    assert_equal ["a", "", "a\0b", "xyz"], log.each.to_a
    assert_equal 4, log.each.size
    assert_equal ["xyz", "a\0b"], log.select { |r| r.size == 3 }.reverse
  end

  def test_a_record_is_a_strings_bytes
    log << "é" # UTF-8 text: its two bytes
    log << "\xFF\xFE".b
    log << "caf\xE9".dup.force_encoding(Encoding::ISO_8859_1) # not transcoded
    log << "\xFF".dup.force_encoding(Encoding::UTF_8) # broken UTF-8: still bytes
    assert_equal ["\xC3\xA9".b, "\xFF\xFE".b, "caf\xE9".b, "\xFF".b], log.to_a
    assert_raises(TypeError) { log << :sym }
    assert_raises(TypeError) { log << 5 }
    assert_raises(TypeError) { log << nil }
    assert_equal 4, log.size, "refused records append nothing"
  end

  def test_several_records_are_one_atomic_unit
    log.append("a", "b")
    log.concat(["c"], ["d"])
    assert_equal %w[a b c d], log.to_a
    assert_raises(TypeError) { log.append("e", :not_a_string, "f") }
    assert_raises(TypeError) { log.concat(["e", 5, "f"]) }
    assert_raises(TypeError) { log.concat("e") } # as Array#concat: a list of records
    assert_raises(TypeError) { log.concat(nil) }
    assert_equal %w[a b c d], log.to_a, "nothing of a refused batch is appended"
    log.concat(["x"] * 100)
    assert_equal 104, log.size
  end

  def test_new_log_with_records
    l = pool.new_log(records(5))
    assert_equal records(5), l.to_a
    assert_raises(TypeError) { pool.new_log(["ok", 7]) }
    assert_equal records(3), pool.new_log(records(3).each).to_a
  end

  def test_positions_and_reopen
    root["log"] = pool.new_log(records(10))
    l = root["log"]
    pos = l.each_with_position.map { |_, q| q }
    mark = l.tell
    assert_equal 0, pos[0]
    assert_operator mark, :>, pos[-1]
    assert_equal records(10)[4..], l.each_with_position(pos[4]).map { |rec, _| rec }
    assert_equal [], l.each_with_position(mark).to_a
    assert_raises(Pmemkit::OutOfRangeError) { l.each_with_position(pos[1] + 1).to_a }
    assert_raises(Pmemkit::OutOfRangeError) { l.each_with_position(mark + 100).to_a }
    assert_raises(Pmemkit::OutOfRangeError) { l.each_with_position(-1).to_a }
    assert_raises(Pmemkit::OutOfRangeError) { l.each_with_position(2**64).to_a }
    assert_raises(TypeError) { l.each_with_position(nil).to_a }
    reopen
    l = root["log"]
    assert_equal mark, l.tell
    assert_equal mark, l.pos
    l << "after"
    assert_equal [["after", mark]], l.each_with_position(mark).to_a
    assert_equal records(10), l.first(10)
  end

  def test_iteration_follows_the_tail
    log << "1"
    e = log.each
    assert_equal "1", e.next
    log << "2"
    assert_equal "2", e.next
    assert_raises(StopIteration) { e.next }
  end

  def test_clear
    log.concat(records(100))
    e = log.each
    e.next
    assert_same log, log.clear
    assert_raises(Pmemkit::ChangedError) { e.next }
    assert_equal 0, log.size
    assert_equal 0, log.tell
    assert_equal [], log.to_a
    log << "x"
    assert_equal ["x"], log.to_a
  end

  def test_transactions
    log << "kept"
    assert_raises(RuntimeError) do
      pool.transaction do
        log.concat(records(2000))
        raise "abort"
      end
    end
    assert_equal ["kept"], log.to_a
    pool.transaction do
      log << "a"
      log << "b"
    end
    assert_equal %w[kept a b], log.to_a
  end

  def test_nests_in_maps_and_lists
    root["m"] = { "events" => pool.new_log(%w[e1 e2]) }
    m = root["m"]
    assert_instance_of Pmemkit::Log, m["events"]
    assert_equal({ "events" => %w[e1 e2] }, m.to_h)
    root["l"] = [m["events"]]
    assert_equal m["events"], root["l"][0]
    assert root["l"][0].same?(m["events"])
    root["l"][0] << "e3" # one log, two references
    assert_equal %w[e1 e2 e3], m["events"].to_a
    root.delete("m")
    assert_equal %w[e1 e2 e3], root["l"][0].to_a
    assert_equal %w[e1 e2 e3], root["l"][0]
    assert_equal '#<Pmemkit::Log ["e1", "e2", "e3"]>', root["l"][0].inspect
    assert_healthy
  end

  def test_use_after_close
    l = log
    l << "x"
    pool.close
    assert_raises(Pmemkit::ClosedError) { l << "y" }
    assert_raises(Pmemkit::ClosedError) { l.to_a }
    assert_raises(Pmemkit::ClosedError) { l.size }
    reopen
    assert_equal ["x"], root["log"].to_a
  end
end
