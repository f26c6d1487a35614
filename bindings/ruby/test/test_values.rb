# frozen_string_literal: true

require_relative "helper"

class TestValues < PmemkitTest::Case
  SCALARS = [
    nil, true, false, 0, 1, -1, 42,
    2**62, 2**63 - 1, -2**63,                      # int64
    2**63, -2**63 - 1, 2**64 - 1, -2**64, 2**64,   # just past it: big integers
    2**200 + 12_345, -(3**150),
    0.0, -0.0, 1.5, -2.25e300, Float::INFINITY, -Float::INFINITY,
    "", "text", "ünïcödé ✓", "with\0nul",
    "".b, "\x00\xff\x80binary".b
  ].freeze

  def test_scalars_round_trip_through_map_and_list
    SCALARS.each_with_index { |v, i| root[i] = v }
    root["list"] = SCALARS
    reopen
    SCALARS.each_with_index do |v, i|
      assert_same_value v, root[i]
    end
    SCALARS.zip(root["list"].to_a) { |v, got| assert_same_value v, got }
    assert_equal SCALARS.size, root["list"].size
  end

  def test_nan
    root["nan"] = Float::NAN
    assert root["nan"].nan?
    root[Float::NAN] = "nan key"
    assert_equal "nan key", root[0.0 / 0.0]
  end

  def test_strings_by_encoding
    root["utf8"] = "é"
    root["latin1"] = "caf\xE9".dup.force_encoding(Encoding::ISO_8859_1)
    root["sjis"] = "日本".encode(Encoding::Shift_JIS)
    root["ascii"] = "plain".encode(Encoding::US_ASCII)
    root["bin"] = "caf\xE9".b
    reopen
    %w[utf8 latin1 sjis ascii].each { |k| assert_equal Encoding::UTF_8, root[k].encoding, k }
    assert_equal "é", root["utf8"]
    assert_equal "café", root["latin1"]
    assert_equal "日本", root["sjis"]
    assert_equal "plain", root["ascii"]
    assert_equal Encoding::BINARY, root["bin"].encoding
    assert_equal "caf\xE9".b, root["bin"]
  end

  def test_invalid_text_is_refused
    bad = "caf\xE9" # UTF-8 literal with a Latin-1 byte
    refute bad.valid_encoding?
    e = assert_raises(Pmemkit::InvalidValueError) { root["bad"] = bad }
    assert_equal Pmemkit::Native::PK_EVALUE, e.code
    assert_raises(Pmemkit::InvalidValueError) { root[bad] = 1 }
    refute root.key?("bad")
    assert_equal 0, root.size
  end

  def test_binary_and_text_strings_are_different_keys
    root["k"] = :text
    root["k".b] = :bytes
    assert_equal 2, root.size
    assert_equal "text", root["k"]
    assert_equal "bytes", root["k".b]
  end

  def test_symbols_are_stored_as_strings
    root[:name] = :value
    assert_equal "value", root["name"]
    assert_equal "value", root[:name]
    assert_equal ["name"], root.keys
    root[:"ünï"] = 1
    assert_equal 1, root["ünï"]
  end

  def test_equal_numbers_are_one_key
    root[1] = "one"
    root[1.0] = "float one"
    root[true] = "true"
    assert_equal 1, root.size
    assert_equal "true", root[1]
    assert_equal [1], root.keys, "a key keeps the type it was first stored with"
    root[2**70] = "big"
    assert_equal "big", root[2**70]
  end

  def test_keys_must_be_scalars
    e = assert_raises(Pmemkit::KeyTypeError) { root[[1, {}]] = 1 }
    assert_equal Pmemkit::Native::PK_EKEYTYPE, e.code
    assert_match "Hash", e.message
    assert_raises(Pmemkit::KeyTypeError) { root[{}] }
    root["m"] = {}
    assert_raises(Pmemkit::KeyTypeError) { root[root["m"]] = 1 }
    assert_raises(Pmemkit::KeyTypeError) { root.key?(Object.new) }
  end

  def test_unsupported_values_raise_type_error
    assert_raises(TypeError) { root["t"] = Time.now }
    assert_raises(TypeError) { root["r"] = (1..2) }
    assert_raises(TypeError) { root["l"] = [1, Object.new] }
    refute root.key?("l"), "a failed deep store leaves nothing behind"
    assert_healthy
  end

  private

  def assert_same_value(expected, got)
    assert_equal expected.class, got.class, "#{expected.inspect} came back as #{got.inspect}"
    if expected.is_a?(Float)
      assert_equal [expected].pack("G"), [got].pack("G"), "#{expected} came back as #{got}"
    elsif expected.nil?
      assert_nil got
    else
      assert_equal expected, got
    end
    return unless expected.is_a?(String)

    assert_equal(expected.encoding == Encoding::BINARY ? Encoding::BINARY : Encoding::UTF_8, got.encoding)
  end
end
