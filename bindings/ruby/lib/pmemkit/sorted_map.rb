# frozen_string_literal: true

module Pmemkit
  # A persistent Hash whose keys are kept in order (a B+-tree in the
  # pool): every Map method, with #each, #keys, #values, #to_h and the
  # rest going in key order, plus what order gives: #first / #last (and
  # #min / #max, the same entries), #shift / #pop, #ceil / #floor /
  # #higher / #lower, #at / #delete_at / #rank by position, #range and
  # #prefix (Enumerators of [key, value]) and #delete_range. Lookups,
  # stores, removals and positions take O(log n).
  #
  # Keys are a Map's (nil, true, false, Integer, Float, String, Symbol,
  # Arrays as tuples: 1, 1.0 and true are one key), but for ::Sets (frozen
  # sets have no order): Pmemkit::KeyTypeError. The order is the C
  # library's, the same in every language: nil, then numbers by value,
  # then binary Strings bytewise, then text Strings by code point, then
  # tuples item by item. Ruby cannot compare all of these (1 <=> "a" is
  # nil), so bounds of different types go to #range as two arguments
  # rather than as a Range.
  #
  # Made by Pool#new_sorted_map; storing it in a container stores a
  # reference, and reading it back (from any language) gives a SortedMap.
  # A plain Hash always stores a Map: Ruby has no sorted Hash to say
  # otherwise. Every change is atomic and durable when it returns; the
  # ones that change several entries (#update, #delete_range, #clear,
  # #delete_if, ...) change all or none.
  class SortedMap < Map
    native close: :pk_sorted_close, ref: :pk_sorted_value

    # The value for +key+, or nil when it is missing (as Hash#[]). This,
    # #fetch, #[]=, #key?, #size and #clear call C themselves, as Map's do:
    # the per-call path has no extra dispatch.
    def [](key)
      v = Native.pk_rb_sorted_lookup(@h, key, nil)
      Ref === v ? @pool.wrap(v) : v
    end

    # As Hash#fetch.
    def fetch(key, *default, &block)
      fetch_arity!(default)
      v = Native.pk_rb_sorted_lookup(@h, key, MISSING)
      MISSING.equal?(v) ? fetch_missing(key, default, &block) : wrap(v)
    end

    # Store +value+ under +key+, as Map#[]= does (a Hash, Array or ::Set
    # is copied into a new container and frozen).
    def []=(key, value)
      @pool.put(value) { |v| Native.pk_sorted_put(@h, key, v) }
    end

    def key?(key)
      Native.pk_sorted_contains(@h, key) != 0
    end
    alias include? key?
    alias has_key? key?
    alias member? key?

    def size
      Native.pk_sorted_length(@h)
    end
    alias length size

    # Remove every entry, in one transaction.
    def clear
      Native.pk_sorted_clear(@h)
      self
    end

    # Yield [key, value] for every entry from the last key to the first.
    def reverse_each(&block)
      return enum_for(:reverse_each) { size } unless block

      range(reverse: true, &block)
      self
    end

    # The first entry as [key, value] (nil when empty), or an Array of the
    # first +n+.
    def first(*n)
      n.empty? ? at(0) : super
    end

    # The last entry as [key, value] (nil when empty), or an Array of the
    # last +n+, in key order.
    def last(n = nil)
      return at(-1) if n.nil?
      raise ArgumentError, "negative array size" if Integer(n).negative?

      reverse_each.first(n).reverse
    end

    # Without arguments or a block, the entry of the least key, cheaply
    # (#first); else Enumerable#min over [key, value] pairs.
    def min(*args, &block)
      args.empty? && !block ? first : super
    end

    # Without arguments or a block, the entry of the greatest key (#last).
    def max(*args, &block)
      args.empty? && !block ? last : super
    end

    # Remove the first entry and return it as [key, value] (its value a
    # plain copy, as #delete gives), or nil when empty.
    def shift
      delete_at(0)
    end

    # Remove the last entry and return it as [key, value], or nil.
    def pop
      delete_at(-1)
    end

    # The entry at +index+ in key order (negative from the end) as
    # [key, value], or nil outside the map.
    def at(index)
      pair(Native.pk_rb_sorted_at(@h, Integer(index)))
    end

    # Remove the entry at +index+ and return it as [key, value] (the
    # value a plain copy), or nil outside the map; one transaction.
    def delete_at(index)
      index = Integer(index)
      @pool.transaction do
        kv = Native.pk_rb_sorted_at(@h, index) or next nil

        k, v = kv[0], plain(kv[1])
        Native.pk_sorted_remove_at(@h, index)
        [k, v]
      end
    end

    # The number of keys less than +key+ (present or not): the index it
    # has or would have. after: true counts a key equal to it too.
    def rank(key, after: false)
      Native.pk_sorted_rank(@h, key, after ? 1 : 0)
    end

    # [key, value] of the least key at or after +key+ (nil when none);
    # rbtree's lower_bound.
    def ceil(key)
      seek(key, Native::PK_SEEK_GE)
    end
    alias lower_bound ceil

    # [key, value] of the greatest key at or before +key+, or nil;
    # rbtree's upper_bound.
    def floor(key)
      seek(key, Native::PK_SEEK_LE)
    end
    alias upper_bound floor

    # [key, value] of the least key after +key+, or nil.
    def higher(key)
      seek(key, Native::PK_SEEK_GT)
    end

    # [key, value] of the greatest key before +key+, or nil.
    def lower(key)
      seek(key, Native::PK_SEEK_LT)
    end

    # The entries with keys in a range, as [key, value], in key order (or
    # from the last with reverse: true): yielded to the block (self), or
    # an Enumerator.
    #
    #   m.range(1..5)          # 1 <= key <= 5
    #   m.range(1...5)         # 1 <= key < 5
    #   m.range(3..)           # key >= 3; m.range(..3) key <= 3
    #   m.range("a", 7)        # bounds Ruby cannot put in one Range
    #   m.range(1, 5, exclude_begin: true, exclude_end: true)
    #   m.range("user:".."user;", reverse: true)
    #
    # nil as a bound is no bound (nil itself, the least key, is reached
    # only unbounded). prefix: keeps, of those, the keys of the prefix's
    # kind (text or binary String) that start with it (#prefix).
    def range(*bounds, exclude_begin: false, exclude_end: false, prefix: nil, reverse: false)
      has, lo, hi = bounds_of(bounds, prefix)
      unless block_given?
        return enum_for(:range, *bounds, exclude_begin: exclude_begin, exclude_end: exclude_end,
                                         prefix: prefix, reverse: reverse)
      end

      c = Native.pk_swig_sorted_range_cursor(@h, has, lo, exclude_begin ? 1 : 0,
                                              hi, open_end?(bounds, exclude_end), reverse ? 1 : 0, prefix)
      each_of_cursor(c) { |k, v| yield [k, wrap(v)] }
    end

    # The entries whose key is a String of +prefix+'s kind (text or
    # binary) starting with it, in key order: #range with prefix:.
    def prefix(prefix, reverse: false, &block)
      raise TypeError, "pmemkit: a prefix is a String, not #{prefix.class}" unless prefix.is_a?(String) || prefix.is_a?(Symbol)

      range(prefix: prefix, reverse: reverse, &block)
    end

    # Remove the entries #range would give for the same arguments (no
    # arguments: every entry), in one transaction; how many.
    #
    #   m.delete_range(1...5)
    #   m.delete_range(prefix: "session:")
    def delete_range(*bounds, exclude_begin: false, exclude_end: false, prefix: nil)
      has, lo, hi = bounds_of(bounds, prefix)
      Native.pk_swig_sorted_remove_range(@h, has, lo, exclude_begin ? 1 : 0,
                                         hi, open_end?(bounds, exclude_end), prefix)
    end

    private

    # [has, lo, hi] of #range's arguments: a Range, two bounds (nil: no
    # bound), or none; +prefix+ nil for none.
    def bounds_of(bounds, prefix)
      case bounds
      in [] then lo = hi = nil
      in [::Range => r] then lo, hi = r.begin, r.end
      in [lo, hi] then nil
      else raise ArgumentError, "pmemkit: a range is a Range, or two bounds (nil: none), not #{bounds.inspect}"
      end
      has = (lo.nil? ? 0 : Native::PK_SWIG_HAS_LO) | (hi.nil? ? 0 : Native::PK_SWIG_HAS_HI) |
            (prefix.nil? ? 0 : Native::PK_SWIG_HAS_PREFIX)
      [has, lo, hi]
    end

    def open_end?(bounds, exclude_end)
      exclude_end || (bounds.size == 1 && bounds[0].exclude_end?) ? 1 : 0
    end

    def pair(kv)
      kv && [kv[0], wrap(kv[1])]
    end

    def seek(key, how)
      pair(Native.pk_rb_sorted_seek(@h, key, how))
    end

    def each_entry_ref(&block)
      each_of_cursor(Native.pk_sorted_cursor(@h), &block)
    end

    def lookup(key, missing)
      Native.pk_rb_sorted_lookup(@h, key, missing)
    end

    def remove_key(key)
      Native.pk_sorted_remove(@h, key)
    end
  end
end
