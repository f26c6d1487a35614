# frozen_string_literal: true

module Pmemkit
  # Raw persistent memory: a file mapped whole, to load from and store to.
  #
  #   Pmemkit::Region.open("/dev/shm/raw", size: 1 << 20, create: true) do |r|
  #     r.write("hello")         # at the position, persisted; as IO#write
  #     r[10, 2] = "hi"          # as String#[]=, persisted
  #     r.rewind
  #     r.read(5)                # => "hello" (a binary String)
  #   end                        # persisted whole and unmapped
  #
  # A Region persists where pmemkit chooses the way: cache flushes and a
  # fence on persistent memory (#pmem?), msync() on any other file. It is
  # not a container: no transactions; after a crash what was persisted is
  # there. Every write is persisted before it returns unless told
  # otherwise (drain: false, flush: false; then #drain or #persist).
  #
  # Every offset and length is checked against the mapping: a range
  # outside it raises Pmemkit::OutOfRangeError and reads or writes
  # nothing; String-like #[] gives nil there, as String#byteslice, and
  # #[]= raises IndexError, as String#[]=. After #close every call raises
  # IOError ("closed region"), as a closed IO does.
  class Region
    class << self
      # Map the file at +path+. With +create+, a missing file is made
      # with +size+ bytes (+mode+ its permissions) and an existing one is
      # mapped whole, as it is, never truncated (+exclusive+ refuses it:
      # Errno::EEXIST); without, the file must exist (Errno::ENOENT) and
      # +size+, if given, must be its length. With a block, yield the
      # region, then persist it whole and unmap it at the end, and return
      # the block's value.
      def open(path, size: nil, create: false, exclusive: false, mode: 0o600)
        path = File.path(path)
        flags = 0
        if create
          raise ArgumentError, "pmemkit: a new region needs a size:" if size.nil?

          flags = Native::PK_REGION_CREATE | (exclusive ? Native::PK_REGION_EXCL : 0)
          r = new(Native.pk_region_map(path, Region.count(size), flags, mode), path)
        else
          raise ArgumentError, "pmemkit: exclusive: without create:" if exclusive

          r = new(Native.pk_region_map(path, 0, 0, mode), path)
          if size && size != (n = r.size)
            r.close
            raise ArgumentError, "pmemkit: #{path} has #{n} bytes, not #{size}"
          end
        end
        return r unless block_given?

        begin
          yield r
        ensure
          r.close_persisted
        end
      end

      # A finalizer that must not capture the region itself.
      def unmapper(handle) # :nodoc:
        proc { Native.pk_region_close(handle) }
      end

      # +x+ as an offset or a length: an Integer, 0 to UINT64_MAX (else
      # OutOfRangeError, as C's check of a range gives).
      def count(x) # :nodoc:
        raise TypeError, "pmemkit: an offset or a length is an Integer, not #{x.class}" unless x.is_a?(Integer)
        unless x.between?(0, UINT64_MAX)
          raise OutOfRangeError.new("pmemkit: an offset or a length of #{x}", Native::PK_ERANGE)
        end

        x
      end

      private :new
    end

    # The file's path.
    attr_reader :path

    def initialize(handle, path) # :nodoc:
      @h = handle
      @path = path
      @len = Native.pk_region_length(handle)
      @pmem = Native.pk_region_is_pmem(handle) != 0
      @pos = 0
      ObjectSpace.define_finalizer(self, self.class.unmapper(handle))
    end

    # The mapped length, in bytes.
    def size
      handle
      @len
    end
    alias length size

    # True on persistent memory, false where a persist is an msync().
    def pmem?
      @pmem
    end

    def closed?
      @h.nil?
    end

    # Unmap (nothing when closed). Unmapping persists nothing: #persist
    # first, or use the block form of Region.open.
    def close
      h = @h or return nil
      @h = nil
      ObjectSpace.undefine_finalizer(self)
      Native.pk_region_close(h)
      nil
    end

    # Persist the whole region and unmap it (the block form's ending).
    def close_persisted # :nodoc:
      return if closed?

      begin
        persist
      ensure
        close
      end
    end

    def inspect
      return "#<#{self.class} #{@path} (closed)>" unless @h

      "#<#{self.class} #{@path}: #{@len} bytes#{', pmem' if @pmem}>"
    end

    # -- persistence -------------------------------------------------------

    # Make the +length+ bytes at +offset+ persistent (default: from
    # +offset+ to the end).
    def persist(offset = 0, length = nil)
      Native.pk_region_persist(handle, *range(offset, length))
      self
    end

    # Flush a range without waiting for it (#drain waits); with no
    # arguments the whole region.
    def flush(offset = 0, length = nil)
      Native.pk_region_flush(handle, *range(offset, length))
      self
    end

    # Wait for the flushes so far.
    def drain
      Native.pk_region_drain(handle)
      self
    end

    # Persist a range through the memory controller's buffers too.
    def deep_flush(offset = 0, length = nil)
      Native.pk_region_deep_flush(handle, *range(offset, length))
      self
    end

    # As IO#fsync: persist the whole region; 0.
    def fsync
      persist
      0
    end

    # -- at an offset ------------------------------------------------------

    # Copy the bytes of +data+ (a String, in any encoding) in at +offset+,
    # persisted (drain: false, flushed but not waited for; flush: false,
    # plain stores, #persist later); returns their number.
    def write_at(offset, data, drain: true, flush: true)
      data = Pmemkit.bytes_of(data, "a region's data")
      Native.pk_region_write(handle, Region.count(offset), data, flags(drain, flush))
      data.bytesize
    end

    # The +length+ bytes at +offset+, as a binary String.
    def read_at(offset, length)
      Native.pk_region_get(handle, Region.count(offset), Region.count(length))
    end

    # Copy +length+ bytes from +src+ to +dst+ (they may overlap),
    # persisted as #write_at.
    def move(dst, src, length, drain: true, flush: true)
      Native.pk_region_move(handle, Region.count(dst), Region.count(src), Region.count(length),
                            flags(drain, flush))
      self
    end

    # Set +length+ bytes at +offset+ to +byte+ (0 to 255), persisted as
    # #write_at.
    def fill(offset, byte, length, drain: true, flush: true)
      raise TypeError, "pmemkit: a byte is an Integer, not #{byte.class}" unless byte.is_a?(Integer)
      raise ArgumentError, "pmemkit: a byte is 0 to 255, not #{byte}" unless byte.between?(0, 255)

      Native.pk_region_fill(handle, Region.count(offset), byte, Region.count(length),
                            flags(drain, flush))
      self
    end

    # -- as a String -------------------------------------------------------

    # As String#byteslice: the byte at +index+ (a one-byte String), the
    # +length+ bytes from +index+, or the bytes of a Range; negative
    # indexes count from the end; nil when the start is outside. The
    # String is frozen: `r[0, 8][0] = "x"` would change a copy, not the
    # region, so it raises FrozenError (#read and #read_at give mutable
    # copies, as IO#read does).
    def [](index, length = nil)
      st, n = span(index, length)
      st && Native.pk_region_get(handle, st, n).freeze
    end
    alias byteslice []

    # As String#[]=, without resizing: replace the byte at +index+, the
    # +length+ bytes from +index+ or the bytes of a Range with as many
    # bytes of +data+, persisted. A start outside is IndexError, other
    # lengths ArgumentError; nothing is written.
    def []=(index, *args)
      raise ArgumentError, "wrong number of arguments (given #{args.size + 1}, expected 2..3)" unless args.size.between?(1, 2)

      data = Pmemkit.bytes_of(args.last, "a region's data")
      st, n = span(index, args.size == 2 ? args.first : nil)
      raise IndexError, "pmemkit: index #{index.inspect} outside the region of #{@len} bytes" unless st
      if data.bytesize != n
        raise ArgumentError, "pmemkit: #{n} bytes of a region are written with as many, not #{data.bytesize}"
      end

      Native.pk_region_write(handle, st, data, 0)
    end

    # The byte at +index+ as an Integer, nil outside (as String#getbyte).
    def getbyte(index)
      st, = span(index, nil)
      st && Native.pk_region_get(handle, st, 1).getbyte(0)
    end

    # Set the byte at +index+ to +byte+ (0 to 255), persisted (as
    # String#setbyte); IndexError outside.
    def setbyte(index, byte)
      st, = span(index, nil)
      raise IndexError, "pmemkit: index #{index} outside the region of #{@len} bytes" unless st

      fill(st, byte, 1)
      byte
    end

    # -- as an IO ----------------------------------------------------------

    # The position of #read and #write.
    def pos
      handle
      @pos
    end
    alias tell pos

    # Move the position (as IO#pos=); outside the region Errno::EINVAL.
    def pos=(offset)
      seek(offset)
    end

    # As IO#seek: +whence+ IO::SEEK_SET (or :SET), SEEK_CUR (:CUR) or
    # SEEK_END (:END); a position outside the region is Errno::EINVAL (a
    # mapping does not grow). Returns 0.
    def seek(offset, whence = IO::SEEK_SET)
      handle
      raise TypeError, "pmemkit: an offset is an Integer, not #{offset.class}" unless offset.is_a?(Integer)

      base = case whence
             when IO::SEEK_SET, :SET then 0
             when IO::SEEK_CUR, :CUR then @pos
             when IO::SEEK_END, :END then @len
             else raise ArgumentError, "pmemkit: bad whence #{whence.inspect}"
             end
      to = base + offset
      raise Errno::EINVAL, "pmemkit: position #{to} outside the region of #{@len} bytes" unless to.between?(0, @len)

      @pos = to
      0
    end

    # Back to the start; 0.
    def rewind
      seek(0)
    end

    # Whether the position is the end.
    def eof?
      pos >= @len
    end
    alias eof eof?

    # As IO#read: the +length+ bytes from the position (fewer at the end;
    # nil at the end), or with no +length+ all of them to the end ("" at
    # the end), as a binary String (in +outbuf+ when given: IO.copy_stream
    # reads a region so); the position moves past them.
    def read(length = nil, outbuf = nil)
      h = handle
      left = @len - @pos
      if length.nil?
        n = left
      else
        raise ArgumentError, "negative length #{length} given" if length.is_a?(Integer) && length.negative?

        n = Region.count(length)
        if left.zero? && n.positive?
          outbuf&.clear
          return nil
        end
        n = left if n > left
      end
      data = Native.pk_region_get(h, @pos, n)
      @pos += n
      outbuf ? outbuf.replace(data) : data
    end

    # As IO#write: the bytes of the Strings, at the position, persisted;
    # returns their number and moves the position past them. Bytes past
    # the end raise Pmemkit::OutOfRangeError, and nothing is written.
    def write(*strings)
      data = strings.size == 1 ? strings.first : strings.map { |s| Pmemkit.bytes_of(s, "a region's data") }.join
      n = write_at(@pos, data)
      @pos += n
      n
    end

    # As IO#<<: write +data+ and return self.
    def <<(data)
      write(data)
      self
    end

    private

    def handle
      @h or raise IOError, "closed region"
    end

    # [offset, length] of a persist: length nil for the rest
    def range(offset, length)
      offset = Region.count(offset)
      length.nil? ? [offset, [@len - offset, 0].max] : [offset, Region.count(length)]
    end

    def flags(drain, flush)
      (flush ? 0 : Native::PK_REGION_NOFLUSH) | (drain ? 0 : Native::PK_REGION_NODRAIN)
    end

    # [start, count] of the bytes String#byteslice gives for (+index+,
    # +length+) or for a Range, or nil when the start is outside
    def span(index, length)
      handle
      if length.nil? && !index.is_a?(Range)
        raise TypeError, "pmemkit: an index is an Integer, not #{index.class}" unless index.is_a?(Integer)

        i = index.negative? ? index + @len : index
        return (i >= 0 && i < @len ? [i, 1] : nil)
      end
      Pmemkit.span(@len, index, length)
    end
  end
end
