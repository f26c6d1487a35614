# frozen_string_literal: true

module Pmemkit
  # A persistent array of fixed-width elements of one type, stored
  # contiguously: Integers (:int8 ... :uint64), Floats (:float32,
  # :float64), or binary Strings of a fixed width (:bytes). Its length
  # changes only with #resize; an index outside it, or a value outside the
  # type, raises Pmemkit::OutOfRangeError. Made by Pool#new_array.
  class TypedArray < Container
    native close: :pk_array_close, ref: :pk_array_value

    # Array#pack directives by class and size of the element (unsigned
    # ones are the signed ones' capitals), and Ruby's names of the classes
    PACK = { "signed" => { 1 => "c", 2 => "s", 4 => "l", 8 => "q" },
             "float" => { 4 => "f", 8 => "d" } }.freeze
    NAMES = { "signed" => "int", "unsigned" => "uint", "float" => "float" }.freeze
    # the values the C API takes for an integer element (pk_array_set)
    INT64 = -(1 << 63)..((1 << 63) - 1)

    # element type => [Native element constant, Array#pack directive], and
    # the values of each integer type, from the C library's element table
    # (PK_ELEM_TABLE): :int8 ... :uint64, :float32, :float64 by class and
    # size, :bytes by name; a row Ruby cannot pack is left out.
    TYPES = {}
    RANGES = {}
    FLOATS = []
    Pmemkit.native_rows(:pk_elem_table).each do |row|
      bits = row.size * 8
      if row.cls == "bytes"
        TYPES[row.sname.to_sym] = [row.code, "a"].freeze
        next
      end
      directive = PACK.dig(row.cls == "unsigned" ? "signed" : row.cls, row.size) or next
      name = :"#{NAMES.fetch(row.cls)}#{bits}"
      case row.cls
      when "signed" then RANGES[name] = -(1 << (bits - 1))..((1 << (bits - 1)) - 1)
      when "unsigned" then RANGES[name] = 0..((1 << bits) - 1)
      else FLOATS << name
      end
      TYPES[name] = [row.code, row.cls == "unsigned" ? directive.upcase : directive].freeze
    end
    TYPES.freeze
    RANGES.freeze
    FLOATS.freeze
    TYPE_OF_ELEM = TYPES.to_h { |name, (elem, _)| [elem, name] }.freeze
    # the types with values beyond INT64 (:uint64): the C library gives
    # their elements as their 64 bits, signed
    WIDE = RANGES.select { |_, r| r.end > INT64.end }.keys.freeze
    private_constant :PACK, :NAMES, :TYPE_OF_ELEM, :RANGES, :FLOATS, :INT64, :WIDE

    # The element type (a key of TYPES) and its width in bytes.
    attr_reader :type, :width

    def initialize(pool, handle) # :nodoc:
      super
      elem, @width = Native.pk_array_type(handle)
      @type = TYPE_OF_ELEM.fetch(elem)
      @wide = WIDE.include?(@type)
    end

    class << self
      # +values+ as the bytes of elements of +type+ (+width+ bytes each
      # for :bytes), checked as TypedArray#[]= checks one, for
      # Pool#new_array.
      def pack(type, width, values)
        if type == :bytes
          bad = values.find { |v| !v.is_a?(String) || v.bytesize != width }
          raise InvalidValueError.new("#{bad.inspect} is not #{width} bytes", Native::PK_EVALUE) if bad

          return values.join.b
        end
        values = values.map { |v| check(type, v) }
        values.pack("#{TYPES.fetch(type)[1]}*")
      end

      # +value+ as an element of +type+ takes it, or an exception.
      def check(type, value) # :nodoc:
        if FLOATS.include?(type)
          return value.to_f if value.is_a?(Integer) || value.is_a?(Float)
        elsif value.is_a?(Integer)
          return value if RANGES.fetch(type).cover?(value)

          raise OutOfRangeError.new("#{value} is out of range for #{type}", Native::PK_ERANGE)
        end
        raise KindError.new("#{type} elements do not take #{value.class}", Native::PK_EKIND)
      end
    end

    def size
      Native.pk_array_length(@h)
    end
    alias length size

    # The element at +index+ (negative counts from the end).
    def [](index)
      v = Native.pk_array_get(@h, index)
      # the C library gives uint64 elements as their 64 bits, signed
      @wide && v.negative? ? v + (1 << 64) : v
    end

    # Replace the element at +index+; the value must fit the type (a
    # :bytes element takes a String of exactly #width bytes).
    def []=(index, value)
      case value
      when String
        value = value.b if @type == :bytes
      when Integer
        # C takes int64s only, and uint64 elements take any int64's bits
        if @wide || !INT64.cover?(value)
          value = self.class.check(@type, value)
          return write_wide(index, value) if value > INT64.end
        end
      end
      Native.pk_array_set(@h, index, value)
    end

    def each(&block)
      return enum_for(:each) { size } unless block

      to_a.each(&block)
      self
    end

    # The elements as a plain Array.
    def to_a
      s = bytes
      return s.unpack("#{TYPES.fetch(@type)[1]}*") unless @type == :bytes

      Array.new(s.bytesize / @width) { |i| s.byteslice(i * @width, @width) }
    end
    alias to_plain to_a
    # the elements are numbers or Strings: the plain Array is the elements,
    # so `[1, 2] == array` holds as `array == [1, 2]` does
    alias to_ary to_a

    # The elements' bytes as they are stored (host byte order).
    def bytes
      Native.pk_rb_array_read(@h, 0, size)
    end

    # Change the number of elements; new ones are zero.
    def resize(length)
      Native.pk_array_resize(@h, length)
      self
    end

    def ==(other)
      case other
      when TypedArray then same?(other) || to_a == other.to_a
      when Array, List then to_a == other.to_a
      else false
      end
    end

    private

    # uint64 values of 2**63 and more are not int64s: written as bytes
    def write_wide(index, value)
      n = size
      i = index.negative? ? index + n : index
      raise OutOfRangeError.new("index out of range", Native::PK_ERANGE) unless i >= 0 && i < n

      Native.pk_array_write(@h, i, [value].pack(TYPES.fetch(@type)[1]))
    end
  end
end
