# frozen_string_literal: true

module Pmemkit
  # A persistent Array of values (the values of Map). Indexes may be
  # negative (-1 is the last element). Every change is atomic and durable
  # when it returns; the ones that change several elements are one
  # transaction.
  class List < Container
    native close: :pk_list_close, ref: :pk_list_value

    # As Array#[]: the element at +index+, or nil when out of range; with
    # a +length+ or a Range, an Array of those elements (containers as
    # Pmemkit objects, as #[] gives them), or nil when the start is out of
    # range.
    def [](index, length = nil)
      return slice_of(index, length) unless length.nil? && Integer === index

      i = index_in(index, size)
      i && wrap(Native.pk_list_get(@h, i))
    end
    alias slice []

    # The element at +index+; when out of range, the block's value for the
    # index, else +default+, else IndexError (as Array#fetch).
    def fetch(index, *default)
      if default.size > 1
        raise ArgumentError, "wrong number of arguments (given #{default.size + 1}, expected 1..2)"
      end

      n = size
      i = index_in(Integer(index), n)
      return wrap(Native.pk_list_get(@h, i)) if i
      return yield(index) if block_given?
      return default.first unless default.empty?

      raise IndexError, "index #{index} outside of list bounds: #{-n}...#{n}"
    end

    # Replace the element at +index+; past the end, pad with nil (as
    # Array#[]=).
    def []=(index, value)
      index = Integer(index)
      n = size
      i = index.negative? ? index + n : index
      raise IndexError, "index #{index} too small for list; minimum: -#{n}" if i.negative?

      if i < n
        set(i, value)
      else
        @pool.transaction do
          Native.pk_list_extend(@h, Array.new(i - n))
          push(value)
        end
      end
    end

    # Append +values+ (in one transaction).
    def push(*values)
      if values.none? { |v| v.is_a?(Container) || v.is_a?(Hash) || v.is_a?(Array) }
        begin
          Native.pk_list_extend(@h, values)
        rescue TypeError
          # C refuses a ::Set or a Pmemkit::Object before storing
          # anything (as for Map#[]=)
          raise unless values.any? { |v| Pool.built?(v) }

          push_each(values)
        end
      else
        push_each(values)
      end
      self
    end
    alias append push

    def <<(value)
      push(value)
    end

    # Append the elements of each of +lists+ (Arrays or Lists).
    def concat(*lists)
      push(*lists.flat_map(&:to_a))
    end

    # Insert +values+ before the element at +index+; a negative index
    # counts from the end and inserts after that element, and past the
    # end pads with nil (as Array#insert).
    def insert(index, *values)
      index = Integer(index)
      return self if values.empty?

      n = size
      at = index.negative? ? index + n + 1 : index
      raise IndexError, "index #{index} too small for list; minimum: -#{n + 1}" if at.negative?

      @pool.transaction do
        Native.pk_list_extend(@h, Array.new(at - n)) if at > n
        values.each_with_index do |value, k|
          @pool.store(value) { |v| Native.pk_list_insert(@h, at + k, v) }
        end
      end
      self
    end

    def unshift(*values)
      insert(0, *values)
    end
    alias prepend unshift

    # Remove the element at +index+ and return it (a container as a plain
    # copy: removing its last reference frees it); nil when out of range.
    def delete_at(index)
      i = index_in(Integer(index), size) or return nil

      v = plain(Native.pk_list_get(@h, i))
      Native.pk_list_pop(@h, i)
      v
    end

    # Remove and return the last element (see delete_at); nil when empty.
    # With +n+, remove the last n elements in one transaction and return
    # them as an Array.
    def pop(n = nil)
      return delete_at(-1) if n.nil?

      n = count_arg(n)
      @pool.transaction do
        len = [n, size].min
        remove_span(size - len, len)
      end
    end

    # Remove and return the first element (see delete_at); nil when empty.
    # With +n+, the first n elements as an Array, in one transaction.
    def shift(n = nil)
      return delete_at(0) if n.nil?

      n = count_arg(n)
      @pool.transaction { remove_span(0, [n, size].min) }
    end

    # Remove and return what #[] gives for the same arguments, in one
    # transaction (containers as plain copies, as #delete_at); nil when out
    # of range (as Array#slice!).
    def slice!(index, length = nil)
      return delete_at(index) if length.nil? && !index.is_a?(Range)

      @pool.transaction do
        st, len = Pmemkit.span(size, index, length)
        st && remove_span(st, len)
      end
    end

    # Remove every element == +value+, in one transaction; the last one
    # removed (a container as a plain copy), else nil or the block's value
    # for +value+ (as Array#delete).
    def delete(value)
      removed = @pool.transaction do
        found = []
        each_with_index { |v, i| found << i if v == value }
        last = found.empty? ? nil : plain(Native.pk_list_get(@h, found.last))
        found.reverse_each { |i| Native.pk_list_pop(@h, i) }
        [found.size, last]
      end
      return removed[1] if removed[0].positive?

      block_given? ? yield(value) : nil
    end

    # The index of the first element == +value+ (or for which the block is
    # true), or nil.
    alias index find_index

    # The index of the last element == +value+ (or for which the block is
    # true), or nil.
    def rindex(*value, &block)
      i = to_ary.reverse.find_index(*value, &block)
      i && size - 1 - i
    end

    # The elements' strings joined with +separator+, nested Lists and Maps
    # as Array#join joins nested Arrays and Hashes.
    def join(separator = $,)
      to_a.join(separator)
    end

    # An Array of the elements followed by those of +other+ (an Array or a
    # List).
    def +(other)
      to_ary + other.to_ary
    end

    # An Array of the elements in reverse order.
    def reverse
      to_ary.reverse
    end

    # Reverse the elements, in one transaction.
    def reverse!
      rewrite(&:reverse)
    end

    # Replace each element with the block's value for it, in one
    # transaction (a crash leaves the old elements or the new ones).
    def map!
      return enum_for(:map!) { size } unless block_given?

      rewrite { |a| a.map { |v| yield v } }
    end
    alias collect! map!

    # Sort the elements (with the block, as Array#sort!) in one
    # transaction.
    def sort!(&block)
      rewrite { |a| a.sort(&block) }
    end

    # Sort by the block's value for each element, in one transaction.
    def sort_by!(&block)
      return enum_for(:sort_by!) { size } unless block

      rewrite { |a| a.sort_by(&block) }
    end

    # An Array of the elements as #[] gives them (containers as Pmemkit
    # objects: changing them changes the pool), so that a List goes where
    # an Array does: `[3, 4, 5] == list`, `a, b = list`, `[0] + list`,
    # `Array(list)`. #to_a gives a plain deep copy.
    def to_ary
      map(&:itself)
    end

    def size
      Native.pk_list_length(@h)
    end
    alias length size

    # The last element, or nil when empty; with +n+, an Array of the last
    # n elements.
    def last(n = nil)
      return self[-1] if n.nil?

      n = count_arg(n)
      self[[size - n, 0].max, n]
    end

    # Yield every element in order, by index as Array#each does: elements
    # pushed, inserted or deleted meanwhile are met where their index
    # falls.
    def each
      return enum_for(:each) { size } unless block_given?

      i = 0
      c = Native.pk_list_cursor(@h)
      begin
        while (iv = next_or_changed(c))
          i += 1
          yield wrap(iv[1])
        end
        return self unless iv == false
      ensure
        Native.pk_cursor_free(c)
      end
      # the length changed: on by index (a ChangedError raised in the
      # block is the block's, and goes on up)
      while i < size
        yield wrap(Native.pk_list_get(@h, i))
        i += 1
      end
      self
    end

    # Follow indexes (and keys in Maps) as Array#dig.
    def dig(index, *rest)
      v = self[index]
      rest.empty? || v.nil? ? v : v.dig(*rest)
    end

    # Remove every element.
    def clear
      Native.pk_list_clear(@h)
      self
    end

    # A plain Array, deeply copied (Maps become Hashes; Lists,
    # TypedArrays, Logs and Blocks Arrays).
    def to_a
      a = []
      c = Native.pk_list_cursor(@h)
      begin
        while (iv = Native.pk_cursor_next(c))
          a << plain(iv[1])
        end
      ensure
        Native.pk_cursor_free(c)
      end
      a
    end
    alias to_plain to_a
    alias entries to_a

    def ==(other)
      case other
      when List then same?(other) || to_a == other.to_a
      when Array then to_a == other
      else false
      end
    end

    private

    # the cursor's next [index, value], nil at the end, false once the
    # list's length changed
    def next_or_changed(c)
      Native.pk_cursor_next(c)
    rescue Pmemkit::ChangedError
      false
    end

    # +index+ as a non-negative index into +n+ elements, or nil.
    def index_in(index, n)
      i = index.negative? ? index + n : index
      i if i >= 0 && i < n
    end

    # #[] of a start and a length, or of a Range
    def slice_of(index, length)
      return self[Integer(index)] if length.nil? && !index.is_a?(Range)

      st, len = Pmemkit.span(size, index, length)
      st && Array.new(len) { |k| wrap(Native.pk_list_get(@h, st + k)) }
    end

    # the count argument of pop(n), shift(n), last(n)
    def count_arg(n)
      n = Integer(n)
      raise ArgumentError, "negative array size" if n.negative?

      n
    end

    # Remove the +len+ elements from +st+ (in range) and return them as
    # plain copies (removing a container's last reference frees it).
    def remove_span(st, len)
      out = Array.new(len) { |k| plain(Native.pk_list_get(@h, st + k)) }
      Native.pk_list_remove_range(@h, st, st + len)
      out
    end

    # Make the elements the block's Array for the current ones (as
    # #to_ary gives them), all in one transaction: the new ones are
    # appended before the old ones go, so a container that moves never
    # loses its last reference.
    def rewrite
      @pool.transaction do
        n = size
        push(*yield(to_ary))
        Native.pk_list_remove_range(@h, 0, n)
      end
      self
    end

    def set(i, value)
      case value
      when Container, Hash, Array
        @pool.store(value) { |v| Native.pk_list_set(@h, i, v) }
      else
        Native.pk_list_set(@h, i, value)
      end
    rescue TypeError
      # C refuses a ::Set or a Pmemkit::Object before storing anything
      # (as for Map#[]=)
      raise unless Pool.built?(value)

      @pool.store(value) { |v| Native.pk_list_set(@h, i, v) }
    end

    # Append +values+ one by one, containers, Hashes, Arrays and ::Sets
    # stored through the pool, in one transaction.
    def push_each(values)
      @pool.transaction do
        values.each do |value|
          @pool.store(value) { |v| Native.pk_list_append(@h, v) }
        end
      end
    end
  end
end
