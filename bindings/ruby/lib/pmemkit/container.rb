# frozen_string_literal: true

module Pmemkit
  # What Map, List and TypedArray share: the pool they belong to and a C
  # handle, released by the kind's close function when the object is
  # collected (a handle is volatile: releasing it never changes the
  # persistent container). Objects are made by the pool (Pool#root,
  # Pool#new_map, ..., values read from a container), never with new.
  class Container
    include Enumerable

    # The Pool the container lives in.
    attr_reader :pool

    class << self
      # The close and value functions of a kind (its Native names).
      def native(close:, ref:)
        const_set(:CLOSE, close)
        const_set(:REF, ref)
      end

      # A finalizer that must not capture the container itself.
      def releaser(handle)
        close = self::CLOSE
        proc { Native.public_send(close, handle) }
      end
    end

    def initialize(pool, handle) # :nodoc:
      @pool = pool
      @h = handle
      ObjectSpace.define_finalizer(self, self.class.releaser(handle))
    end

    # The Pmemkit::Ref that stands for this container in other containers.
    def to_ref
      Native.public_send(self.class::REF, @h)
    end

    # The C handle, for the pool's own use.
    def native_handle # :nodoc:
      @h
    end

    # Release the handle now rather than when collected; the container is
    # unchanged. Only for temporaries that never reach the caller (deep
    # copies): the object is unusable afterwards.
    def release # :nodoc:
      h = disown or return
      Native.public_send(self.class::CLOSE, h)
    end

    # dup and clone give another handle to the same persistent container,
    # as IO#dup gives another descriptor of the same file (#to_h, #to_a,
    # Set#to_set give copies). Each object has a handle of its own: Ruby
    # copies the finalizer with the object, and two closing one handle
    # would crash.
    def initialize_copy(orig)
      super
      ObjectSpace.undefine_finalizer(self)
      @h = @pool.wrap(orig.to_ref).disown
      ObjectSpace.define_finalizer(self, self.class.releaser(@h))
    end

    protected

    # Give up the handle without closing it (the caller owns it now).
    def disown
      h = @h or return
      @h = nil
      ObjectSpace.undefine_finalizer(self)
      h
    end

    public

    # Whether +other+ is a handle to the same persistent container.
    def same?(other)
      other.instance_of?(self.class) && other.pool.equal?(@pool) && other.to_ref == to_ref
    end

    def empty?
      size.zero?
    end

    # JSON text of the plain deep copy (#to_h or #to_a), so that
    # JSON.generate and #to_json of the Hashes and Arrays around it write
    # the contents. Binary Strings are not UTF-8: JSON refuses them.
    def to_json(*args)
      require "json"
      to_plain.to_json(*args)
    end

    # The plain deep copy, for libraries that call as_json (ActiveSupport).
    def as_json(*)
      to_plain
    end

    def inspect
      n = size
      return "#<#{self.class} of #{n} elements>" if n > 20

      "#<#{self.class} #{to_plain.inspect}>"
    rescue Error => e
      "#<#{self.class}: #{e.message}>"
    end
    alias to_s inspect

    private

    # A value read from the pool as the caller sees it: references opened
    # as containers.
    def wrap(value)
      Ref === value ? @pool.wrap(value) : value
    end

    # Yield the key and value of each entry of the cursor +c+ (a new one:
    # it is freed at the end); self.
    def each_of_cursor(c)
      while (kv = Native.pk_cursor_next(c))
        yield kv[0], kv[1]
      end
      self
    ensure
      Native.pk_cursor_free(c)
    end

    # A plain Ruby copy of a value read from the pool (containers deeply).
    def plain(value)
      return value unless Ref === value
      return @pool.plain_record(value) if value.type == Native::PK_RECORD

      c = @pool.wrap(value)
      begin
        c.to_plain
      ensure
        c.release
      end
    end
  end

  # What Log and Blocks share: their elements are binary Strings, read
  # frozen. The plain Array of the elements is the elements, so
  # `["a"] == x` holds as `x == ["a"]` does (#to_ary).
  module StringElements
    # The elements, as an Array of binary Strings.
    def to_a
      each.to_a
    end
    alias to_plain to_a
    alias to_ary to_a

    def ==(other)
      case other
      when self.class then same?(other) || (same_shape?(other) && to_a == other.to_a)
      when Array then to_a == other
      else false
      end
    end

    private

    def same_shape?(_other)
      true
    end
  end

  # delete_if, keep_if, reject! and select!/filter! of Map (the block
  # takes a key and a value) and Set (an element): each removes what it
  # removes in one transaction, through the class's private
  # remove_where(truth) { ... }, which removes the entries for which the
  # block's truth is +truth+ and returns how many.
  module RemoveWhere
    # Remove the entries that make the block true, in one transaction;
    # self.
    def delete_if(&block)
      return enum_for(:delete_if) { size } unless block

      remove_where(true, &block)
      self
    end

    # Keep only the entries that make the block true, in one transaction;
    # self.
    def keep_if(&block)
      return enum_for(:keep_if) { size } unless block

      remove_where(false, &block)
      self
    end

    # #delete_if that gives nil when nothing was removed.
    def reject!(&block)
      return enum_for(:reject!) { size } unless block

      remove_where(true, &block).zero? ? nil : self
    end

    # #keep_if that gives nil when nothing was removed.
    def select!(&block)
      return enum_for(:select!) { size } unless block

      remove_where(false, &block).zero? ? nil : self
    end
    alias filter! select!
  end
end
