# frozen_string_literal: true

module Pmemkit
  # A persistent array of fixed-width elements of one type, stored
  # contiguously: Integers (:int8 ... :uint64), Floats (:float32,
  # :float64), or binary Strings of a fixed width (:bytes). Its length
  # changes only with #resize; an index outside it raises
  # Pmemkit::OutOfRangeError. Made by Pool#new_array.
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
    private_constant :TYPE_OF_ELEM

    UINT64_WRAP = 1 << 64
    private_constant :UINT64_WRAP

    # The element type (a key of TYPES) and its width in bytes.
    attr_reader :type, :width

    def initialize(pool, handle) # :nodoc:
      super
      elem, @width = Native.pk_array_type(handle)
      @type = TYPE_OF_ELEM.fetch(elem)
      @directive = @type == :bytes ? "a#{@width}" : TYPES.fetch(@type)[1]
    end

    # A binary String of +values+ packed as elements of +type+ (+width+
    # bytes each for :bytes), for Pool#new_array.
    def self.pack(type, width, values)
      directive = TYPES.fetch(type)[1]
      directive = "a#{width}" if type == :bytes
      values.pack("#{directive}*")
    end

    def size
      Native.pk_array_length(@h)
    end
    alias length size

    # The element at +index+ (negative counts from the end).
    def [](index)
      v = Native.pk_array_get(@h, index)
      # the C library gives uint64 elements as their 64 bits, signed
      @type == :uint64 && v.negative? ? v + UINT64_WRAP : v
    end

    # Replace the element at +index+; the value must fit the type (a
    # :bytes element takes a String of exactly #width bytes).
    def []=(index, value)
      if @type == :bytes && value.is_a?(String)
        value = value.b
      elsif @type == :uint64 && value.is_a?(Integer) && value >= UINT64_WRAP >> 1
        return write_uint64(index, value)
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
      read_all.unpack("#{@directive}*")
    end
    alias to_plain to_a

    # The elements' bytes as they are stored (host byte order).
    def bytes
      read_all
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

    def read_all
      Native.pk_rb_array_read(@h, 0, size)
    end

    # uint64 values of 2**63 and more are not int64s: written as bytes
    def write_uint64(index, value)
      raise OutOfRangeError.new("value out of range for uint64", Native::PK_ERANGE) if value >= UINT64_WRAP

      n = size
      i = index.negative? ? index + n : index
      raise OutOfRangeError.new("index out of range", Native::PK_ERANGE) unless i >= 0 && i < n

      Native.pk_rb_array_write(@h, i, [value].pack("Q"))
    end
  end
end
