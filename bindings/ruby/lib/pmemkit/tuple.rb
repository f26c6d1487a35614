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

module Pmemkit
  # A frozen set as one scalar (PK_FROZENSET): a ::Set of distinct
  # scalars, tuples and frozen sets that can be a map key, a set element
  # or a tuple item. A ::Set used as a map key, a set element or a tuple
  # item is stored as one (nested Arrays as tuples, nested ::Sets as
  # frozen sets), and every one reads back as a FrozenSet: a ::Set,
  # frozen deeply, its members in the library's order. As keys and
  # members, they follow the pool's rule, not Ruby's eql?: Set[1, "a"]
  # and Set[1.0, "a"] are one key, and Set[1, 1.0] is stored as Set[1]
  # (the first given stays).
  #
  # Stored as a value, a FrozenSet stays a frozen set (a ::Set value is
  # stored as a Pmemkit::Set): `map["k"] = Pmemkit::FrozenSet[1, "a"]`.
  #
  # A FrozenSet is always frozen; what Set makes from one (#dup, #|, #&,
  # #-, #^, #flatten, #classify, #divide) is made of plain, mutable ::Sets.
  #
  # (The class is defined by the C extension, which makes its instances.)
  class FrozenSet < ::Set
    # A frozen FrozenSet of +enum+'s members; nested Arrays become
    # Tuples, nested ::Sets FrozenSets, Strings frozen copies.
    def self.new(enum = nil, &block)
      enum = enum.map(&block) if enum && block
      super(enum&.map { |x| item(x) }, &nil).freeze
    end

    # A frozen FrozenSet of +members+ (as ::new).
    def self.[](*members)
      new(members)
    end

    def self.item(x) # :nodoc:
      case x
      when FrozenSet then x.frozen? ? x : new(x)
      when ::Set then new(x)
      when Array then Tuple[*x]
      when String then x.frozen? ? x : x.dup.freeze
      else x
      end
    end
    private_class_method :item

    # A plain, mutable ::Set of the members.
    def dup
      ::Set.new(self)
    end

    # What ::Set makes with self.class.new gives plain ::Sets (a
    # FrozenSet is always frozen, and these fill the set they make).
    %i[& intersection flatten classify divide].each do |m|
      define_method(m) { |*args, &block| ::Set.new(self).public_send(m, *args, &block) }
    end

    # JSON text of the members, as an Array (as Pmemkit::Set's).
    def to_json(*args)
      require "json"
      to_a.to_json(*args)
    end
  end
end
