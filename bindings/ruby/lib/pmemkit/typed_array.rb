# frozen_string_literal: true

module Pmemkit
  # A persistent array of fixed-width elements of one type, stored
  # contiguously: Integers (:int8 ... :uint64), Floats (:float32,
  # :float64), or binary Strings of a fixed width (:bytes). Its length
  # changes only with #resize; an index outside it, or a value outside the
  # type, raises Pmemkit::OutOfRangeError. Made by Pool#new_array.
  class TypedArray < Container
    native close: :pk_array_close, ref: :pk_array_value

    # element type => [Native element constant, Array#pack directive]
    TYPES = {
      int8: [Native::PK_ELEM_I8, "c"], uint8: [Native::PK_ELEM_U8, "C"],
      int16: [Native::PK_ELEM_I16, "s"], uint16: [Native::PK_ELEM_U16, "S"],
      int32: [Native::PK_ELEM_I32, "l"], uint32: [Native::PK_ELEM_U32, "L"],
      int64: [Native::PK_ELEM_I64, "q"], uint64: [Native::PK_ELEM_U64, "Q"],
      float32: [Native::PK_ELEM_F32, "f"], float64: [Native::PK_ELEM_F64, "d"],
      bytes: [Native::PK_ELEM_BYTES, "a"]
    }.freeze
    TYPE_OF_ELEM = TYPES.to_h { |name, (elem, _)| [elem, name] }.freeze
    # the values of each integer type
    RANGES = { int8: 8, int16: 16, int32: 32, int64: 64 }.each_with_object({}) do |(t, bits), r|
      r[t] = -(1 << (bits - 1))..((1 << (bits - 1)) - 1)
      r[:"u#{t}"] = 0..((1 << bits) - 1)
    end.freeze
    FLOATS = %i[float32 float64].freeze
    INT64 = RANGES.fetch(:int64)
    private_constant :TYPE_OF_ELEM, :RANGES, :FLOATS, :INT64

    # The element type (a key of TYPES) and its width in bytes.
    attr_reader :type, :width

    def initialize(pool, handle) # :nodoc:
      super
      elem, @width = Native.pk_array_type(handle)
      @type = TYPE_OF_ELEM.fetch(elem)
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
      @type == :uint64 && v.negative? ? v + (1 << 64) : v
    end

    # Replace the element at +index+; the value must fit the type (a
    # :bytes element takes a String of exactly #width bytes).
    def []=(index, value)
      case value
      when String
        value = value.b if @type == :bytes
      when Integer
        # C takes int64s only, and uint64 elements take any int64's bits
        if @type == :uint64 || !INT64.cover?(value)
          value = self.class.check(@type, value)
          return write_uint64(index, value) if @type == :uint64 && value > INT64.end
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
    def write_uint64(index, value)
      n = size
      i = index.negative? ? index + n : index
      raise OutOfRangeError.new("index out of range", Native::PK_ERANGE) unless i >= 0 && i < n

      Native.pk_rb_array_write(@h, i, [value].pack("Q"))
    end
  end
end
