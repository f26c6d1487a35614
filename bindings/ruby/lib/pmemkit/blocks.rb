# frozen_string_literal: true

module Pmemkit
  # A persistent block array: #size blocks of #block_size bytes (512 to
  # 65536), read and written whole, as a disk's sectors. blocks[i] is
  # exactly block_size bytes (a binary String); `blocks[i] = data` writes
  # the block atomically (after a crash it holds the old bytes or the new,
  # never a mix) and durably, zero-filling what +data+ leaves of it; more
  # bytes than a block holds raise ArgumentError and write nothing. A new
  # block reads as zeros; #zero(i) zeroes one; #set_error(i) marks one
  # bad, and reading it raises Errno::EIO until it is written or zeroed.
  # #grow(n) appends n zeroed blocks; the array never shrinks. Indexes may
  # be negative (-1 is the last block); #[] past either end is nil, as
  # Array#[], and every other method raises IndexError there. Made by
  # Pool#new_blocks.
  #
  # The Strings read are frozen: changing one would change nothing in the
  # pool, so `blocks[0][0, 5] = "hello"` raises FrozenError rather than
  # losing "hello". Write the block: `blocks[0] = blocks[0].dup.tap { ... }`.
  class Blocks < Container
    native close: :pk_blocks_close, ref: :pk_blocks_value
    include StringElements

    # The smallest and largest block sizes.
    MIN_BLOCK_SIZE = Native::PK_BLOCK_MIN
    MAX_BLOCK_SIZE = Native::PK_BLOCK_MAX

    # Bytes per block.
    attr_reader :block_size

    # +n+ as a number of blocks: ArgumentError if negative, Errno::EINVAL
    # beyond what C takes (as for more blocks than a block array holds).
    def self.count(n) # :nodoc:
      n = Integer(n)
      raise ArgumentError, "pmemkit: a negative number of blocks" if n.negative?
      raise Errno::EINVAL, "pmemkit: #{n} blocks" if n > UINT64_MAX

      n
    end

    def initialize(pool, handle) # :nodoc:
      super
      @block_size = Native.pk_blocks_block_size(handle)
    end

    def size
      Native.pk_blocks_length(@h)
    end
    alias length size

    # Block +index+ as a binary String of #block_size bytes; nil past
    # either end (as Array#[]). With a +length+ or a Range, an Array of
    # those blocks (nil when the start is out of range), as Array#[].
    def [](index, length = nil)
      if length.nil? && !index.is_a?(Range)
        i = number(index)
        return i && get(i)
      end
      st, n = Pmemkit.span(size, index, length)
      st && Array.new(n) { |k| get(st + k) }
    end
    alias slice []

    # Block +index+; IndexError past either end (as Array#fetch).
    def fetch(index)
      get(block(index))
    end

    # Write block +index+ whole: the String's bytes, then zeros. A block
    # array does not grow by assignment: past the end is IndexError (use
    # #append or #grow).
    def []=(index, data)
      raise TypeError, "pmemkit: blocks are written one at a time" if index.is_a?(Range)

      Native.pk_blocks_write(@h, block(index), block_data(data))
    end

    # Make block +index+ read as zeros (and no longer bad), atomically.
    def zero(index)
      Native.pk_blocks_zero(@h, block(index))
      self
    end

    # Mark block +index+ bad: reading it raises Errno::EIO until it is
    # written or zeroed.
    def set_error(index) # rubocop:disable Naming/AccessorMethodName -- libpmemblk's name
      Native.pk_blocks_set_error(@h, block(index))
      self
    end

    # Append +n+ blocks that read as zeros, all or none.
    def grow(n)
      Native.pk_blocks_grow(@h, Blocks.count(n))
      self
    end

    # Append one block holding +data+ (zero-filled), atomically: grow and
    # write in one transaction.
    def append(data)
      data = block_data(data)
      @pool.transaction do
        grow(1)
        Native.pk_blocks_write(@h, size - 1, data)
      end
      self
    end
    alias << append

    # Yield each block, from the first, as a binary String; a block marked
    # bad raises Errno::EIO when reached.
    def each
      return enum_for(:each) { size } unless block_given?

      each_of_cursor(Native.pk_blocks_cursor(@h)) { |_, blk| yield blk.freeze }
    end

    def inspect
      "#<#{self.class} of #{size} blocks of #{@block_size} bytes>"
    rescue Error => e
      "#<#{self.class}: #{e.message}>"
    end
    alias to_s inspect

    private

    # +data+ as a block's bytes: at most block_size, or ArgumentError
    def block_data(data)
      data = Pmemkit.bytes_of(data, "a block")
      return data if data.bytesize <= @block_size

      raise ArgumentError, "pmemkit: #{data.bytesize} bytes for a block of #{@block_size}"
    end

    # block number +i+ (in range), frozen
    def get(i)
      Native.pk_blocks_get(@h, i).freeze
    end

    def same_shape?(other)
      block_size == other.block_size
    end

    # +index+ as a block number (negative from the end), or nil.
    def number(index)
      n = size
      i = Integer(index)
      i += n if i.negative?
      i if i >= 0 && i < n
    end

    # +index+ as a block number, or IndexError.
    def block(index)
      number(index) or raise IndexError, "pmemkit: block #{index} outside of #{size} blocks"
    end
  end
end
