# frozen_string_literal: true

module Pmemkit
  # A persistent append-only log of records: Strings of bytes of any
  # length below 4 GiB (empty ones and NUL bytes included). #<< and
  # #append are atomic and durable when they return, without a
  # transaction of their own; #concat appends several records as one
  # atomic unit. Iteration yields the records in order, as binary
  # (ASCII-8BIT) Strings, frozen (a record never changes), and goes on to records appended while it runs.
  # Every record has a position, stable across reopens until #clear:
  # #tell is the one the next record will get, and #each_with_position
  # iterates from a saved one. Made by Pool#new_log.
  #
  # A record is a String's bytes, whatever its encoding (as IO#write in
  # binary mode writes them): "é" is stored as its two UTF-8 bytes and
  # read back as "\xC3\xA9".b. Anything else (a Symbol, an Integer) raises
  # TypeError: nothing is converted with to_s.
  class Log < Container
    native close: :pk_log_close, ref: :pk_log_value
    include StringElements

    # +record+ as the C layer takes it: a binary String (its bytes), or
    # TypeError.
    def self.record(record) # :nodoc:
      Pmemkit.bytes_of(record, "a log record")
    end

    # Append one record; returns self.
    def <<(record)
      Native.pk_log_append(@h, Log.record(record))
      self
    end

    # Append +records+ as one atomic unit: after a crash all are there or
    # none; returns self.
    def append(*records)
      return self << records.first if records.size == 1

      Native.pk_log_extend(@h, records.map { |r| Log.record(r) })
      self
    end
    alias push append

    # Append the records of each Array (or other Enumerable) given, all
    # of them as one atomic unit.
    def concat(*lists)
      append(*lists.flat_map { |l| l.is_a?(Enumerable) ? l.to_a : Log.list(l) })
    end

    # +list+ as an Array of records, or TypeError (as Array#concat).
    def self.list(list) # :nodoc:
      Array.try_convert(list) or
        raise TypeError, "pmemkit: no implicit conversion of #{list.class} into a list of records"
    end

    # The number of records.
    def size
      Native.pk_log_length(@h)
    end
    alias length size

    # The bytes of all the records (their lengths added up).
    def nbytes
      Native.pk_log_nbytes(@h)
    end

    # The position the next record appended will have.
    def tell
      Native.pk_log_tell(@h)
    end
    alias pos tell

    # Remove every record (positions from before are then invalid).
    def clear
      Native.pk_log_clear(@h)
      self
    end

    # Yield each record, from the first, as a binary String.
    def each
      return enum_for(:each) { size } unless block_given?

      each_with_position { |rec, _| yield rec }
    end

    # Yield (record, position) of each record from +position+ (0, one a
    # previous iteration gave, or one #tell gave);
    # Pmemkit::OutOfRangeError for a position that is no record's.
    def each_with_position(position = 0)
      return enum_for(:each_with_position, position) unless block_given?

      each_of_cursor(Native.pk_log_cursor_at(@h, Log.position(position))) do |pos, rec|
        yield rec.freeze, pos
      end
    end

    def self.position(position) # :nodoc:
      pos = Integer(position)
      unless pos.between?(0, UINT64_MAX)
        raise OutOfRangeError.new("pmemkit: #{pos} is no log position", Native::PK_ERANGE)
      end

      pos
    end
  end
end
