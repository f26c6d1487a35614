# frozen_string_literal: true

require "set"

module Pmemkit
  # A persistent Set. Elements are what a Map takes as keys: nil, true,
  # false, Integer, Float, String or Symbol (stored as its name), with the
  # Map's equality (1, 1.0 and true are one element; a binary String and a
  # text String never are), Arrays (tuples) and ::Sets (frozen sets:
  # Pmemkit::FrozenSet) of them. Storing a ::Set stores a new persistent set;
  # storing a frozen ::Set stores one that reads back frozen (Python's
  # frozenset), whose mutators raise FrozenError.
  #
  # Every change is atomic and durable when it returns; the methods that
  # change several elements (#merge, #subtract, #delete_if, ...) change
  # all or none of them (one transaction): an element that cannot be
  # stored (a Hash, a container, an Array holding one) raises Pmemkit::KeyTypeError
  # with nothing changed. |, &, -, ^ give plain ::Sets. Queries take
  # anything, as ::Set's do: #include? is false for what cannot be an
  # element.
  #
  # Ruby's own ::Set methods want a ::Set argument (::Set#== and
  # ::Set#subset? are false or raise for this class): compare with
  # `persistent == set`, or use #to_set.
  class Set < Container
    native close: :pk_set_close, ref: :pk_set_value
    include RemoveWhere

    def initialize(pool, handle, frozen: false) # :nodoc:
      super(pool, handle)
      @frozen = frozen
    end

    # Whether this set is read-only: stored from a frozen ::Set (or a
    # Python frozenset), or made read-only by #freeze.
    def frozen?
      @frozen
    end

    # Make this handle read-only (the persistent set is unchanged; other
    # handles to it are not frozen). Returns self.
    def freeze
      @frozen = true
      self
    end

    def include?(elem)
      Native.pk_set_contains(@h, elem) != 0
    rescue KeyTypeError
      false # never an element, as for ::Set
    end
    alias member? include?
    alias === include?

    def size
      Native.pk_set_length(@h)
    end
    alias length size

    # Number of elements (with no argument or block: in O(1)).
    def count(*args, &block)
      args.empty? && !block ? size : super
    end

    # Yield every element, in no particular order. Adding or removing
    # elements meanwhile raises Pmemkit::ChangedError.
    def each
      return enum_for(:each) { size } unless block_given?

      each_of_cursor(Native.pk_set_cursor(@h)) { |k, _| yield k }
    end

    # Add +elem+; self.
    def add(elem)
      writable!
      Native.pk_set_add(@h, elem)
      self
    end
    alias << add

    # Add +elem+; self, or nil when it was there already (as ::Set#add?).
    def add?(elem)
      writable!
      @pool.transaction do
        next nil if Native.pk_set_contains(@h, elem) != 0

        Native.pk_set_add(@h, elem)
        self
      end
    end

    # Remove +elem+ (nothing when it is not there); self.
    def delete(elem)
      delete?(elem)
      self
    end

    # Remove +elem+; self, or nil when it was not there.
    def delete?(elem)
      writable!
      Native.pk_set_discard(@h, elem) ? self : nil
    rescue KeyTypeError
      nil # never an element
    end

    # Add the elements of every enumerable, in one transaction; self.
    def merge(*enums)
      writable!
      @pool.transaction do
        enums.each { |e| each_elem(e) { |x| Native.pk_set_add(@h, x) } }
      end
      self
    end

    # Remove the elements of +enum+, in one transaction; self.
    def subtract(enum)
      writable!
      @pool.transaction { each_elem(enum) { |x| discard(x) } }
      self
    end

    # Remove every element; self.
    def clear
      writable!
      Native.pk_set_clear(@h)
      self
    end

    # Replace the elements with those of +enum+, in one transaction; self.
    def replace(enum)
      writable!
      enum = enum_of(enum)
      enum = enum.to_a if enum.is_a?(Container) # before clearing: it may be this set
      @pool.transaction do
        Native.pk_set_clear(@h)
        merge(enum)
      end
    end

    # A plain ::Set of the elements (frozen when this set is).
    def to_set
      s = ::Set.new(each)
      frozen? ? s.freeze : s
    end
    alias to_plain to_set

    def to_a
      each.to_a
    end

    # A plain ::Set of the elements of both.
    def |(other)
      ::Set.new(each).merge(enum_of(other))
    end
    alias union |
    alias + |

    # A plain ::Set of the elements in both.
    def &(other)
      ::Set.new(enum_of(other).select { |x| include?(x) })
    end
    alias intersection &

    # A plain ::Set of the elements not in +other+.
    def -(other)
      ::Set.new(each).subtract(enum_of(other))
    end
    alias difference -

    # A plain ::Set of the elements in one of the two only.
    def ^(other)
      theirs = ::Set.new(enum_of(other))
      ::Set.new(each.reject { |x| theirs.include?(x) }) | theirs.reject { |x| include?(x) }
    end

    def subset?(other)
      other = set_of(other)
      size <= other.size && all? { |x| other.include?(x) }
    end
    alias <= subset?

    def superset?(other)
      other = set_of(other)
      size >= other.size && other.all? { |x| include?(x) }
    end
    alias >= superset?

    def proper_subset?(other)
      subset?(other) && size < set_of(other).size
    end
    alias < proper_subset?

    def proper_superset?(other)
      superset?(other) && size > set_of(other).size
    end
    alias > proper_superset?

    def intersect?(other)
      enum_of(other).any? { |x| include?(x) }
    end

    def disjoint?(other)
      !intersect?(other)
    end

    # Equal to a ::Set or a Pmemkit::Set of the same elements (compared as
    # this set compares them: 1, 1.0 and true are one).
    def ==(other)
      case other
      when Set then same?(other) || (size == other.size && other.all? { |x| include?(x) })
      when ::Set then size == other.size && other.all? { |x| include?(x) }
      else false
      end
    end

    # JSON text of the elements, as an Array.
    def to_json(*args)
      require "json"
      to_a.to_json(*args)
    end

    def as_json(*)
      to_a
    end

    def inspect
      n = size
      return "#<#{self.class} of #{n} elements>" if n > 20

      "#<#{self.class}#{' (frozen)' if frozen?}: {#{to_a.map(&:inspect).join(', ')}}>"
    rescue Error => e
      "#<#{self.class}: #{e.message}>"
    end
    alias to_s inspect

    private

    def writable!
      return unless @frozen

      raise FrozenError.new("can't modify frozen #{self.class}: #{inspect}", receiver: self)
    end

    # Remove +x+ when it is there (an Array, a Hash, ... never is).
    def discard(x)
      Native.pk_set_discard(@h, x)
    rescue KeyTypeError
      nil
    end

    # Each element of +enum+ (an Enumerable: a ::Set, an Array, a
    # Pmemkit::Set, ...); a pmemkit container's are read first, so that
    # s.merge(s) and s.subtract(s) do not change what they iterate.
    def each_elem(enum, &block)
      enum = enum_of(enum)
      enum = enum.to_a if enum.is_a?(Container)
      enum.each(&block)
    end

    def enum_of(other)
      return other if other.is_a?(Enumerable)

      raise ArgumentError, "value must be enumerable"
    end

    # +other+ as something with include? and size (a ::Set or a
    # Pmemkit::Set), as ::Set#subset? wants.
    def set_of(other)
      return other if other.is_a?(::Set) || other.is_a?(Set)

      raise ArgumentError, "value must be a set"
    end

    # Remove, in one transaction, the elements for which the block's truth
    # is +truth+; how many.
    def remove_where(truth)
      writable!
      @pool.transaction do
        gone = []
        each { |x| gone << x if (yield(x) ? true : false) == truth }
        gone.each { |x| Native.pk_set_discard(@h, x) }
        gone.size
      end
    end
  end
end
