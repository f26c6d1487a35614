# frozen_string_literal: true

module Pmemkit
  # A persistent Array of values (the values of Map). Indexes may be
  # negative (-1 is the last element). Every change is atomic and durable
  # when it returns; the ones that change several elements are one
  # transaction.
  class List < Container
    native close: :pk_list_close, ref: :pk_list_value

    # The element at +index+, or nil when out of range (as Array#[]).
    def [](index)
      i = index_in(Integer(index), size)
      i && wrap(Native.pk_list_get(@h, i))
    end

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
        Native.pk_list_extend(@h, values)
      else
        @pool.transaction do
          values.each do |value|
            @pool.store(value) { |v| Native.pk_list_append(@h, v) }
          end
        end
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
    def pop
      delete_at(-1)
    end

    # Remove and return the first element (see delete_at); nil when empty.
    def shift
      delete_at(0)
    end

    def size
      Native.pk_list_length(@h)
    end
    alias length size

    # The last element, or nil when empty.
    def last
      self[-1]
    end

    # Yield every element in order. Changing the length meanwhile raises
    # Pmemkit::ChangedError.
    def each
      return enum_for(:each) { size } unless block_given?

      c = Native.pk_list_cursor(@h)
      begin
        while (iv = Native.pk_cursor_next(c))
          yield wrap(iv[1])
        end
      ensure
        Native.pk_cursor_free(c)
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

    # A plain Array, deeply copied (Maps become Hashes, Lists and
    # TypedArrays Arrays).
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

    # +index+ as a non-negative index into +n+ elements, or nil.
    def index_in(index, n)
      i = index.negative? ? index + n : index
      i if i >= 0 && i < n
    end

    def set(i, value)
      case value
      when Container, Hash, Array
        @pool.store(value) { |v| Native.pk_list_set(@h, i, v) }
      else
        Native.pk_list_set(@h, i, value)
      end
    end
  end
end
