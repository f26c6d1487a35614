# frozen_string_literal: true

module Pmemkit
  # A persistent Hash. Keys are scalars: nil, true, false, Integer, Float,
  # String or Symbol (stored as its name, so it reads back as a String).
  # Equal numbers are one key (1, 1.0 and true); a binary String and a text
  # String never are. Values are those, Pmemkit containers, and Hashes and
  # Arrays, which are stored as new Maps and Lists (deeply, in one
  # transaction). Every change is atomic and durable when it returns.
  #
  # Reads give containers as Pmemkit objects that refer to the pool; #to_h
  # gives a plain deep copy.
  class Map < Container
    native close: :pk_map_close, ref: :pk_map_value

    MISSING = Object.new.freeze
    private_constant :MISSING

    # The value for +key+, or nil when it is missing (as Hash#[]).
    def [](key)
      v = Native.pk_rb_map_lookup(@h, key, nil)
      Ref === v ? @pool.wrap(v) : v
    end

    # The value for +key+; when missing, the block's value for the key,
    # else +default+, else KeyError (as Hash#fetch).
    def fetch(key, *default)
      if default.size > 1
        raise ArgumentError, "wrong number of arguments (given #{default.size + 1}, expected 1..2)"
      end

      v = Native.pk_rb_map_lookup(@h, key, MISSING)
      return wrap(v) unless MISSING.equal?(v)
      return yield(key) if block_given?
      return default.first unless default.empty?

      raise KeyError.new("key not found: #{key.inspect}", receiver: self, key: key)
    end

    # Store +value+ under +key+.
    def []=(key, value)
      case value
      when Container, Hash, Array
        @pool.store(value) { |v| Native.pk_map_put(@h, key, v) }
      else
        Native.pk_map_put(@h, key, value)
      end
    end
    alias store []=

    def key?(key)
      Native.pk_map_contains(@h, key) != 0
    end
    alias include? key?
    alias has_key? key?
    alias member? key?

    # Remove +key+ and return its value (a container as a plain copy:
    # removing its last reference frees it); when missing, nil or the
    # block's value for the key (as Hash#delete).
    def delete(key)
      v = Native.pk_rb_map_lookup(@h, key, MISSING)
      return (yield(key) if block_given?) if MISSING.equal?(v)

      v = plain(v)
      Native.pk_map_remove(@h, key)
      v
    end

    def size
      Native.pk_map_length(@h)
    end
    alias length size

    # Yield [key, value] for every entry, in no particular order. Adding or
    # removing keys meanwhile raises Pmemkit::ChangedError.
    def each
      return enum_for(:each) { size } unless block_given?

      each_entry_ref { |k, v| yield [k, wrap(v)] }
      self
    end
    alias each_pair each

    def each_key
      return enum_for(:each_key) { size } unless block_given?

      each_entry_ref { |k, _| yield k }
      self
    end

    def each_value
      return enum_for(:each_value) { size } unless block_given?

      each_entry_ref { |_, v| yield wrap(v) }
      self
    end

    def keys
      each_key.to_a
    end

    def values
      each_value.to_a
    end

    # Follow keys (and indexes in Lists) as Hash#dig.
    def dig(key, *rest)
      v = self[key]
      rest.empty? || v.nil? ? v : v.dig(*rest)
    end

    # Store every pair of the +hashes+, all in one transaction.
    def update(*hashes)
      @pool.transaction do
        hashes.each { |hash| hash.each { |k, v| self[k] = v } }
      end
      self
    end
    alias merge! update

    # Remove every entry.
    def clear
      Native.pk_map_clear(@h)
      self
    end

    # A plain Hash, deeply copied (Maps become Hashes, Lists and
    # TypedArrays Arrays).
    def to_h
      h = {}
      each_entry_ref { |k, v| h[k] = plain(v) }
      h
    end
    alias to_plain to_h

    def ==(other)
      case other
      when Map then same?(other) || to_h == other.to_h
      when Hash then to_h == other
      else false
      end
    end

    private

    # Each entry with the value as read: a container still a Ref.
    def each_entry_ref
      c = Native.pk_map_cursor(@h)
      begin
        while (kv = Native.pk_cursor_next(c))
          yield kv[0], kv[1]
        end
      ensure
        Native.pk_cursor_free(c)
      end
    end
  end
end
