# frozen_string_literal: true

module Pmemkit
  # A tuple: a fixed sequence of scalars (nil, true, false, Integer, Float,
  # String, Symbol stored as its name) and tuples, stored as one value
  # (PK_TUPLE). An Array used as a map key or a set element is stored as
  # a tuple (nested Arrays as nested tuples), and every tuple reads back
  # as a Tuple: an Array, frozen deeply, so that a key read back cannot
  # be changed in place. As keys, tuples follow the pool's rule, not
  # Ruby's eql?: [1, "a"] and [1.0, "a"] are one key.
  #
  # Stored as a value, a Tuple stays a tuple (an Array value is stored as
  # a List): `map["k"] = Pmemkit::Tuple[1, "a"]`.
  #
  # (The class is defined by the C extension, which makes its instances.)
  class Tuple < Array
    # A frozen Tuple of +items+; nested Arrays become Tuples, Strings are
    # frozen copies. What cannot be in a tuple is refused when stored.
    def self.[](*items)
      super(*items.map { |x| item(x) }).freeze
    end

    def self.item(x) # :nodoc:
      case x
      when Tuple then x.frozen? ? x : self[*x]
      when Array then self[*x]
      when String then x.frozen? ? x : x.dup.freeze
      else x
      end
    end
    private_class_method :item, :new
  end
end
