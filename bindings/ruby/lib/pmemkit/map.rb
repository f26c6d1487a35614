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
    include RemoveWhere

    MISSING = ::Object.new.freeze
    private_constant :MISSING

    # The value for +key+, or nil when it is missing (as Hash#[]).
    def [](key)
      v = Native.pk_rb_map_lookup(@h, key, nil)
      Ref === v ? @pool.wrap(v) : v
    end

    # The value for +key+; when missing, the block's value for the key,
    # else +default+, else KeyError (as Hash#fetch).
    def fetch(key, *default, &block)
      fetch_arity!(default)
      v = Native.pk_rb_map_lookup(@h, key, MISSING)
      MISSING.equal?(v) ? fetch_missing(key, default, &block) : wrap(v)
    end

    # Store +value+ under +key+. A Hash, Array or ::Set is copied into a
    # new Map, List or Set and then frozen: the assignment's value is that plain object,
    # not the stored container (Ruby fixes it), so
    # `(map[k] ||= []) << x` raises FrozenError rather than storing
    # nothing. Use #fetch_or_store, #store or #default_proc= to get the
    # stored container.
    def []=(key, value)
      case value
      when Container, Hash, Array
        @pool.store(value) { |v| Native.pk_map_put(@h, key, v) }
      else
        Native.pk_map_put(@h, key, value)
      end
    rescue TypeError
      # C refuses a ::Set or a Pmemkit::Object before storing anything;
      # it is stored as a Set or a record here, off the path of scalars
      raise unless Pool.built?(value)

      @pool.store(value) { |v| Native.pk_map_put(@h, key, v) }
    end

    # Store +value+ under +key+ (as #[]=) and return what is stored: a
    # Hash or Array given comes back as the new Map or List, so
    # `map.store("m", {})["a"] = 1` stores "a".
    def store(key, value)
      self[key] = value
      value.is_a?(Hash) || value.is_a?(Array) || value.is_a?(::Set) ? self[key] : value
    end

    # The value of +key+; when it is missing, first store the block's value
    # for the key (or +default+) under it, atomically. A Hash or Array
    # comes back as the stored Map or List, so
    # `map.fetch_or_store("todo") { [] } << "milk"` stores "milk" (the
    # idiom `(map["todo"] ||= []) << "milk"` cannot: see #[]=). The names
    # are Concurrent::Map's.
    def fetch_or_store(key, *default)
      if default.size > 1 || (default.empty? && !block_given?)
        raise ArgumentError, "wrong number of arguments (given #{default.size + 1}, expected 1..2, or a block)"
      end

      v = lookup(key, MISSING)
      return wrap(v) unless MISSING.equal?(v)

      @pool.transaction do
        v = lookup(key, MISSING)
        if MISSING.equal?(v)
          self[key] = block_given? ? yield(key) : default.first
          v = lookup(key, nil)
        end
        wrap(v)
      end
    end

    # The value of +key+; when it is missing, the block's value for the
    # key, stored first (as #fetch_or_store with a block).
    def compute_if_absent(key, &block)
      raise ArgumentError, "no block given" unless block

      fetch_or_store(key, &block)
    end

    # The block (a Proc taking the map and a key) that #[] calls for a
    # missing key, as Hash's: `map.default_proc = proc { |m, k| m[k] = [] }`
    # makes `map["todo"] << "milk"` store "milk". When the block has
    # stored a value under the key, #[] gives that value as stored (the
    # new List, not the frozen Array the assignment gave). It belongs to
    # this Map object only, not to the persistent map: keep the object.
    attr_reader :default_proc

    def default_proc=(prc)
      raise TypeError, "wrong default_proc type #{prc.class} (expected Proc)" unless prc.nil? || prc.is_a?(Proc)

      # only maps with a default pay for it in #[]
      extend(DefaultProc) if prc && !is_a?(DefaultProc)
      @default_proc = prc
    end

    # #[] for maps with a default_proc
    module DefaultProc # :nodoc:
      def [](key)
        v = lookup(key, MISSING)
        return wrap(v) unless MISSING.equal?(v)
        return nil unless @default_proc

        given = @default_proc.call(self, key)
        v = lookup(key, MISSING)
        MISSING.equal?(v) ? given : wrap(v)
      end
    end
    private_constant :DefaultProc

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
      v = lookup(key, MISSING)
      return (yield(key) if block_given?) if MISSING.equal?(v)

      v = plain(v)
      remove_key(key)
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

    # The entries whose key and value make the block true, as a Hash (the
    # values as #[] gives them, containers as Pmemkit objects).
    def select
      return enum_for(:select) { size } unless block_given?

      h = {}
      each { |k, v| h[k] = v if yield(k, v) }
      h
    end
    alias filter select

    # The entries whose key and value make the block false, as a Hash.
    def reject
      return enum_for(:reject) { size } unless block_given?

      h = {}
      each { |k, v| h[k] = v unless yield(k, v) }
      h
    end

    # A Hash of every key with the block's value for its value.
    def transform_values
      return enum_for(:transform_values) { size } unless block_given?

      h = {}
      each { |k, v| h[k] = yield(v) }
      h
    end

    # The values of +keys+ (nil for a missing one).
    def values_at(*keys)
      keys.map { |k| self[k] }
    end

    # The values of +keys+; a missing one gives the block's value for it,
    # else KeyError (as Hash#fetch_values).
    def fetch_values(*keys, &block)
      keys.map { |k| fetch(k, &block) }
    end

    # A Hash of those of +keys+ that are present and their values.
    def slice(*keys)
      keys.each_with_object({}) do |k, h|
        v = lookup(k, MISSING)
        h[k] = wrap(v) unless MISSING.equal?(v)
      end
    end

    # A new Hash of the entries and those of +others+ (Hashes or Maps); the
    # block chooses for keys in both, as Hash#merge. The map is unchanged
    # (#update changes it).
    def merge(*others, &block)
      to_hash.merge(*others, &block)
    end

    # The first key whose value == +value+, or nil.
    def key(value)
      each { |k, v| return k if v == value }
      nil
    end

    # A Hash of the entries, the values as #[] gives them (containers as
    # Pmemkit objects: changing them changes the pool), so that a Map goes
    # where a Hash does: `**map`, `{ **map }`, `hash == map`,
    # `hash.merge(map)`. #to_h gives a plain deep copy.
    def to_hash
      h = {}
      each_entry_ref { |k, v| h[k] = wrap(v) }
      h
    end

    # Remove every entry.
    def clear
      Native.pk_map_clear(@h)
      self
    end

    # A plain Hash, deeply copied (Maps become Hashes; Lists,
    # TypedArrays, Logs and Blocks Arrays).
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

    # Remove, in one transaction, the entries for which the block's truth
    # is +truth+; how many.
    def remove_where(truth)
      @pool.transaction do
        gone = []
        each { |k, v| gone << k if (yield(k, v) ? true : false) == truth }
        gone.each { |k| remove_key(k) }
        gone.size
      end
    end

    def fetch_arity!(default)
      return if default.size < 2

      raise ArgumentError, "wrong number of arguments (given #{default.size + 1}, expected 1..2)"
    end

    # What #fetch gives for a missing +key+.
    def fetch_missing(key, default)
      return yield(key) if block_given?
      return default.first unless default.empty?

      raise KeyError.new("key not found: #{key.inspect}", receiver: self, key: key)
    end

    # Each entry with the value as read: a container still a Ref.
    def each_entry_ref(&block)
      each_of_cursor(Native.pk_map_cursor(@h), &block)
    end

    # The value of +key+ as read (a container a Ref), or +missing+; the
    # primitives a SortedMap replaces (#[], #[]=, #fetch, #key?, #size and
    # #clear call C themselves: they are the per-call path).
    def lookup(key, missing)
      Native.pk_rb_map_lookup(@h, key, missing)
    end

    def remove_key(key)
      Native.pk_map_remove(@h, key)
    end
  end
end
