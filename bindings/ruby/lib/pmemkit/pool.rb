# frozen_string_literal: true

module Pmemkit
  # An open pmemkit pool: a file holding persistent containers, reached
  # from its root map.
  #
  #   pool = Pmemkit::Pool.create(path, size: 64 << 20)  # a new file
  #   pool = Pmemkit::Pool.open(path)                     # an existing one
  #   Pmemkit::Pool.open(path) { |pool| ... }             # closed at the end
  #
  # Containers read from a pool keep it from being collected; after #close
  # every use of them raises Pmemkit::ClosedError. A pool that is never
  # closed is closed when collected, or at exit. One thread at a time may
  # use a pool and its containers.
  class Pool
    # The smallest size Pool.create accepts (libpmemobj's minimum).
    MIN_SIZE = Native::PK_POOL_MIN_SIZE

    # The options of Pool.create and Pool.open that are flags of the C
    # library => their bits: the rows of its pool-option table
    # (pk_pool_flag_table(), PK_POOL_FLAG_TABLE), read at load time.
    FLAGS = Pmemkit.native_rows(:pk_pool_flag_table)
                   .to_h { |r| [r.option.to_sym, r.value] }.freeze
    # What each call takes: open every flag, create every flag but
    # readonly (a pool is created read-write) after its sizes and paths.
    OPEN_OPTIONS = FLAGS.keys.freeze
    CREATE_OPTIONS = (%i[size max_size mode replica] +
                      FLAGS.keys.reject { |k| FLAGS[k] == Native::PK_POOL_READONLY }).freeze

    class << self
      # Create a pool at +path+, which must not exist. With a block, yield
      # the pool, close it at the end and return the block's value.
      #
      # Without +size+ the pool grows on demand, up to +max_size+ bytes if
      # given (else the C library's default limit, 32 GiB); with a size
      # (at least MIN_SIZE) and a max_size it starts at that size and
      # grows; with a size alone it is one file of that size for good. A
      # growing pool's +path+ is a poolset file naming its parts, which
      # live in the directory "#{path}.parts".
      #
      # replica: the path of a local replica, a second copy written with
      # every change, from which Pool.repair rebuilds a damaged copy (the
      # pool's own data is then in "#{path}.pmem", or "#{path}.parts").
      # process_durable: true: on a file that is not persistent memory,
      # changes survive a crash of the process but not of the machine
      # until #sync (see Pool.open). mode: the files' permission bits.
      #
      #   Pmemkit::Pool.create(path)                          # grows
      #   Pmemkit::Pool.create(path, max_size: 1 << 30)       # up to 1 GiB
      #   Pmemkit::Pool.create(path, size: 64 << 20)          # fixed
      #   Pmemkit::Pool.create(path, size: 64 << 20, replica: "/backup/p")
      def create(path, size: nil, max_size: nil, mode: 0o600, replica: nil,
                 **others, &block)
        flags = flag_bits(:create, others, CREATE_OPTIONS)
        path = File.path(path)
        given = !size.nil?
        size = given ? byte_count(size, "pool size") : 0 # 0: a growing pool
        if given && size < MIN_SIZE
          raise ArgumentError, "pmemkit: pool size #{size} is below the minimum #{MIN_SIZE} " \
                               "(leave size out for a pool that grows)"
        end

        if max_size.nil?
          max_size = 0
        else
          max_size = byte_count(max_size, "maximum pool size")
          least = [size, MIN_SIZE].max
          if max_size < least
            raise ArgumentError, "pmemkit: maximum pool size #{max_size} is below the " \
                                 "#{size.positive? ? 'size' : 'minimum'} #{least}"
          end
        end
        mode = Integer(mode)
        raise ArgumentError, "pmemkit: mode #{mode} is not a permission mode" unless mode.between?(0, 0o7777)

        unless replica.nil?
          replica = File.path(replica)
          raise ArgumentError, "pmemkit: an empty replica path" if replica.empty?
        end
        h = Native.pk_swig_pool_create(path, size, max_size, mode, flags, replica || "")
        opened(new(h, path, flags), &block)
      end

      # Open an existing pool: a pool file, or the poolset file of a
      # growing or replicated pool. With a block, yield the pool, close it
      # at the end and return the block's value.
      #
      # readonly: true maps it so that the file is never written: reads
      # and iteration work, every change raises Pmemkit::ReadOnlyError
      # (a pool left unclean by a crash stays so until a writable open
      # recovers it). process_durable: true: on a file that is not
      # persistent memory, changes reach the page cache without msync, so
      # they survive the process being killed, but a power loss or a
      # kernel crash may lose or tear what came after the last #sync or
      # #close, and so damage the pool (on persistent memory it changes
      # nothing). The mode is this open's, not the file's.
      #
      #   Pmemkit::Pool.open(path, readonly: true) { |pool| pool.root.to_h }
      def open(path, **others, &block)
        flags = flag_bits(:open, others, OPEN_OPTIONS)
        if flags.allbits?(FLAGS[:readonly] | FLAGS[:process_durable])
          raise ArgumentError, "pmemkit: readonly and process_durable together: a read-only pool is never written"
        end

        path = File.path(path)
        opened(new(Native.pk_swig_pool_open(path, flags), path, flags), &block)
      end

      # Repair a closed pool made with a replica (+path+ its poolset
      # file): damaged or missing parts of the pool or of its replica are
      # rebuilt from the healthy copy. Nothing to repair is no error.
      # Raises Pmemkit::PoolError when +path+ has no replica or no healthy
      # copy is left, Errno::EAGAIN while the pool is open.
      def repair(path)
        Native.pk_pool_repair(File.path(path))
        nil
      end

      # A finalizer that must not capture the pool itself.
      def closer(handle) # :nodoc:
        proc { Native.pk_pool_close(handle) }
      end

      private :new

      private

      def opened(pool)
        return pool unless block_given?

        begin
          yield pool
        ensure
          pool.close
        end
      end

      # The bits of the flag options in +opts+ (those set to a true
      # value); an option +call+ does not take raises ArgumentError
      # (unknown_options!).
      def flag_bits(call, opts, known)
        unknown_options!(call, opts.reject { |k, _| known.include?(k) }, known)
        opts.sum { |k, v| v ? FLAGS.fetch(k) : 0 }
      end

      # An option neither call knows, or one of the other call's, raises
      # ArgumentError naming the options +call+ takes.
      def unknown_options!(call, others, known)
        return if others.empty?

        names = others.keys.map(&:inspect).join(", ")
        other = call == :create ? OPEN_OPTIONS - CREATE_OPTIONS : CREATE_OPTIONS - OPEN_OPTIONS
        hint = (others.keys & other).empty? ? "" : " (#{(others.keys & other).join(', ')}: " \
                                                     "an option of Pool.#{call == :create ? 'open' : 'create'})"
        raise ArgumentError, "pmemkit: unknown option#{'s' if others.size > 1} #{names} " \
                             "of Pool.#{call}#{hint}; it takes #{known.join(', ')}"
      end

      # A size in bytes: an Integer, not negative, at most 2**64 - 1.
      def byte_count(value, what)
        unless value.is_a?(Integer)
          raise TypeError, "pmemkit: the #{what} must be an Integer, not #{value.class}"
        end
        unless value.between?(0, (1 << 64) - 1)
          raise ArgumentError, "pmemkit: the #{what} #{value} is out of range"
        end

        value
      end
    end

    # The pool file's path.
    attr_reader :path

    def initialize(handle, path, flags = 0) # :nodoc:
      @h = handle
      @path = path
      @flags = flags
      ObjectSpace.define_finalizer(self, self.class.closer(handle))
    end

    # Close the pool (nothing when closed). An open transaction is aborted
    # first, and Pmemkit::TransactionError says so.
    def close
      h = @h or return nil
      @h = nil
      ObjectSpace.undefine_finalizer(self)
      Native.pk_pool_close(h)
      nil
    end

    def closed?
      @h.nil?
    end

    # Whether the pool was opened with readonly: true (every change
    # raises Pmemkit::ReadOnlyError).
    def readonly?
      @flags.anybits?(FLAGS[:readonly])
    end

    # Whether the pool was created or opened with process_durable: true.
    def process_durable?
      @flags.anybits?(FLAGS[:process_durable])
    end

    # The root map.
    def root
      Map.new(self, Native.pk_pool_root(handle))
    end

    # Run the block in a transaction: all of its changes or none of them.
    # The transaction commits when the block ends (also by break or
    # return); an exception escaping the block aborts it and is re-raised.
    # Transactions nest flatly: an inner block's changes are committed by
    # the outermost one. Returns the block's value.
    def transaction
      raise LocalJumpError, "no block given (yield)" unless block_given?

      h = handle
      Native.pk_tx_begin(h)
      failed = false
      begin
        yield self
      rescue Exception # rubocop:disable Lint/RescueException -- any escape aborts
        failed = true
        # closed inside: pk_pool_close() aborted it already
        begin
          Native.pk_tx_abort(h) if @h
        rescue Error
          nil # the exception that escaped says more
        end
        raise
      ensure
        Native.pk_tx_commit(h) if !failed && @h
      end
    end

    # Nesting depth of this thread's open transaction on the pool (0: none).
    def transaction_depth
      Native.pk_tx_depth(handle)
    end

    def in_transaction?
      transaction_depth.positive?
    end

    # A new Map, filled from +hash+. It is unreferenced until stored in a
    # container (#gc frees it if it never is).
    def new_map(hash = nil)
      m = Map.new(self, Native.pk_map_new(handle))
      m.update(hash) if hash && !hash.empty?
      m
    end

    # A new SortedMap, filled from +hash+ (a Hash, a Map, or pairs) in
    # one transaction with its making: a key that cannot be one (a
    # Hash, a ::Set, ...) raises Pmemkit::KeyTypeError and nothing is
    # made. Unreferenced until stored.
    #
    #   pool.root["scores"] = pool.new_sorted_map("bob" => 3, "al" => 5)
    def new_sorted_map(hash = nil)
      transaction do
        m = SortedMap.new(self, Native.pk_sorted_new(handle))
        m.update(hash) if hash
        m
      end
    end

    # A new List, filled from +array+ (unreferenced until stored).
    def new_list(array = nil)
      l = List.new(self, Native.pk_list_new(handle))
      l.push(*array) if array && !array.empty?
      l
    end

    # A new Log, holding the +records+ (Strings) given, appended as one
    # atomic unit (unreferenced until stored).
    def new_log(records = nil)
      log = Log.new(self, Native.pk_log_new(handle))
      log.concat(records) if records
      log
    end

    # A new Blocks of +count+ blocks of +block_size+ bytes (512 to 65536),
    # reading as zeros (unreferenced until stored).
    def new_blocks(block_size, count = 0)
      block_size = Integer(block_size)
      unless block_size.between?(Blocks::MIN_BLOCK_SIZE, Blocks::MAX_BLOCK_SIZE)
        raise ArgumentError, "pmemkit: a block size of #{block_size}: " \
                             "from #{Blocks::MIN_BLOCK_SIZE} to #{Blocks::MAX_BLOCK_SIZE}"
      end
      Blocks.new(self, Native.pk_blocks_new(handle, block_size, Blocks.count(count)))
    end

    # A new Set holding the elements of +enum+, added in one transaction
    # (unreferenced until stored); frozen: true makes it read-only for
    # good (stored with the frozen flag: every module reads it as an
    # immutable set).
    def new_set(enum = nil, frozen: false)
      s = nil
      transaction do
        s = Set.new(self, Native.pk_set_new(handle))
        s.merge(enum) if enum
        if frozen
          Native.pk_container_set_flags(handle, s.to_ref, Native::PK_FLAG_FROZEN)
          s.freeze
        end
      end
      s
    end

    # A new TypedArray of element +type+ (a key of TypedArray::TYPES):
    # +length_or_values+ zeros, or the given values. :bytes elements need
    # a +width+ (bytes per element).
    def new_array(type, length_or_values = 0, width: nil)
      elem = TypedArray::TYPES.fetch(type) do
        raise ArgumentError, "pmemkit: unknown element type #{type.inspect} (one of #{TypedArray::TYPES.keys.join(' ')})"
      end.first
      raise ArgumentError, "pmemkit: :bytes elements need width:" if type == :bytes && !width

      width = type == :bytes ? Integer(width) : 0
      if length_or_values.is_a?(Integer)
        raise ArgumentError, "pmemkit: negative array length" if length_or_values.negative?

        length = length_or_values
        init = nil
      else
        values = length_or_values.to_a
        length = values.size
        init = TypedArray.pack(type, width, values)
      end
      TypedArray.new(self, Native.pk_array_new(handle, elem, width, length, init))
    end

    # Map every page of the pool now, so that no later operation pays a
    # first-touch page fault (most of a growing map's slowest puts). Takes
    # time in proportion to the pool's size; changes no data.
    def prefault
      Native.pk_pool_prefault(handle)
      nil
    end

    # Free every container not reachable from the root; returns how many
    # objects were freed.
    def gc
      Native.pk_pool_gc(handle)
    end

    # Walk the pool, changing nothing: the report's counts (:objects,
    # :reachable, :leaked, :dangling, :refcounts, :damaged) and :ok, true
    # for a healthy pool.
    def check
      code, rep = Native.pk_pool_check(handle)
      %i[objects reachable leaked dangling refcounts damaged]
        .to_h { |f| [f, rep.public_send(f)] }.merge(ok: code.zero?)
    end

    # The kinds of container #stats counts, by their key prefix.
    KINDS = { map: Native::PK_MAP, list: Native::PK_LIST, array: Native::PK_ARRAY,
              log: Native::PK_LOG, blocks: Native::PK_BLOCKS, set: Native::PK_SET,
              record: Native::PK_RECORD, sorted_map: Native::PK_SORTED }.freeze
    private_constant :KINDS

    # Space and state of the pool: every field of the C library's
    # pk_pool_stats -- :size (a growing pool's so far), :used, :objects,
    # :unclean (true when the previous session did not close it),
    # :recovered, :max_size (what it may grow to), :free (at most what it
    # can still allocate), and any a later library adds; and
    # for each kind of container (map, list, array (TypedArray), log,
    # blocks, set, record, sorted_map) :KIND_count and :KIND_bytes, how many the pool
    # holds and the bytes they own (entries, blobs, storage; not those of
    # the containers they refer to): the bytes of all kinds add up to
    # :used. The counts walk every object of the pool.
    def stats
      h = handle
      out = Pool.fields(Native.pk_pool_stats_get(h))
      out[:unclean] = out[:unclean] != 0
      KINDS.each do |name, kind|
        out[:"#{name}_count"], out[:"#{name}_bytes"] = Native.pk_pool_kind_stats(h, kind)
      end
      out
    end

    # Move objects out of sparsely used parts of the pool, so that the
    # space deletes left is free space in one piece again (a value too
    # large for any hole may fit after). Crash-safe: after a crash every
    # object is where it was or where it went. Containers held stay
    # valid. Not inside a transaction (Pmemkit::TransactionError), nor on a
    # read-only pool (Pmemkit::ReadOnlyError). Returns a Hash: :objects
    # considered, :moved, :moved_bytes (their bytes) and :freed_bytes
    # (the space the moves gave back to the pool's free space).
    def defrag
      Pool.fields(Native.pk_pool_defrag(handle))
    end

    # Make every change so far durable against a power loss or a kernel
    # crash, waiting for the disk: what a pool opened with
    # process_durable: true on an ordinary file needs (#close does it
    # too). Other pools' changes are durable as they return: for them it
    # does nothing. Returns nil.
    def sync
      Native.pk_pool_sync(handle)
      nil
    end

    # The fields of the versioned C structs in their header's order; a
    # field a later library adds follows them.
    FIELD_ORDER = %i[size used objects unclean recovered max_size free
                     moved moved_bytes freed_bytes].each_with_index.to_h.freeze
    private_constant :FIELD_ORDER

    # Every field of a versioned C struct (pk_pool_stats,
    # pk_defrag_report) but its version and reserved ones, as a Hash: a
    # field the library adds appears without a change here.
    def self.fields(struct) # :nodoc:
      struct.class.instance_methods(false).grep(/\A[a-z]\w*=\z/)
            .map { |m| m.to_s.chomp("=").to_sym }
            .reject { |f| f == :version || f.end_with?("_") }
            .sort_by { |f| [FIELD_ORDER.fetch(f, FIELD_ORDER.size), f] }
            .to_h { |f| [f, struct.public_send(f)] }
    end

    # The bytes the stored container or record +obj+ (a Map, List,
    # TypedArray, Log, Blocks, Set, SortedMap, or a Pmemkit::Object bound to a
    # record) holds in this pool: its own (entries, blobs, storage), or
    # with deep: true also those of every container it refers to,
    # directly or not, each once (cycles included). The root's deep size
    # is stats[:used]. A plain value, or a volatile Pmemkit::Object (not
    # stored, or a frozen copy), holds nothing in the pool: TypeError.
    def sizeof(obj, deep: false)
      store = obj.is_a?(Object) ? obj.__pmemkit_store : obj
      unless store.is_a?(Container)
        what = obj.is_a?(Object) ? "a volatile #{obj.class} (not stored, or a copy)" : obj.class.to_s
        raise TypeError, "pmemkit: sizeof takes a stored container or record, not #{what}"
      end
      shallow, whole = Native.pk_container_bytes(handle, ref_of(store))
      deep ? whole : shallow
    end

    def inspect
      modes = FLAGS.filter_map { |name, bit| " #{name}" if @flags.anybits?(bit) }.join
      "#<#{self.class} #{@path}#{modes}#{' closed' unless @h}>"
    end

    # A Map, List, TypedArray, Log, Blocks, Set, SortedMap or record for
    # a reference read from the pool.
    def wrap(ref) # :nodoc:
      h = handle
      case ref.type
      when Native::PK_MAP then Map.new(self, Native.pk_map_open(h, ref))
      when Native::PK_LIST then List.new(self, Native.pk_list_open(h, ref))
      when Native::PK_ARRAY then TypedArray.new(self, Native.pk_array_open(h, ref))
      when Native::PK_LOG then Log.new(self, Native.pk_log_open(h, ref))
      when Native::PK_BLOCKS then Blocks.new(self, Native.pk_blocks_open(h, ref))
      when Native::PK_SET
        Set.new(self, Native.pk_set_open(h, ref), frozen: Native.pk_container_flags(h, ref).anybits?(Native::PK_FLAG_FROZEN))
      when Native::PK_RECORD then record_object(RecordStore.new(self, Native.pk_record_open(h, ref)))
      when Native::PK_SORTED then SortedMap.new(self, Native.pk_sorted_open(h, ref))
      else raise InvalidValueError.new("unknown container type #{ref.type}", Native::PK_EVALUE)
      end
    end

    # A plain copy of the record +ref+ refers to: a frozen volatile
    # instance (a copy that cannot take writes it would lose). A record
    # met again within one copy (a cycle, or one shared) is copied once.
    def plain_record(ref) # :nodoc:
      copies = Thread.current[:__pmemkit_record_copies]
      outermost = copies.nil?
      copies = Thread.current[:__pmemkit_record_copies] = {} if outermost
      copies.fetch([ref.off, ref.gen]) do |key|
        store = RecordStore.new(self, Native.pk_record_open(handle, ref))
        begin
          copies[key] = copy = (Pmemkit.registered_class(store.class_name) || Record).allocate
          values = {}
          store.each(plain: true) { |k, v| values[k.to_sym] = v }
          copy.__pmemkit_copy_of(store.class_name, values)
        ensure
          store.release
        end
      end
    ensure
      Thread.current[:__pmemkit_record_copies] = nil if outermost
    end

    # A new record of +klass+ (a registered subclass of Pmemkit::Object,
    # or Pmemkit::Record, whose first argument is the class name), made
    # in the pool by klass's initialize with +args+: the instance is bound
    # to it. All of it in one transaction; unreferenced until stored.
    #
    #   pool.new(Point, x: 1, y: 2)
    #   pool.new(Pmemkit::Record, "Point", x: 1)
    def new(klass, *args, **kwargs, &block)
      unless klass.is_a?(Class) && klass <= Object
        raise TypeError, "pmemkit: Pool#new makes records: a subclass of Pmemkit::Object, not #{klass.inspect}"
      end

      name = klass <= Record ? Record.class_name_of(args.first) : Object.registered_name!(klass)
      transaction do
        obj = klass.allocate.__pmemkit_bind(RecordStore.new(self, Native.pk_record_new(handle, name)))
        obj.send(:initialize, *args, **kwargs, &block)
        obj
      end
    end

    # Whether Map#[]= and the like store +value+ through #store, though
    # C refuses it: a ::Set or a Pmemkit::Object.
    def self.built?(value) # :nodoc:
      value.is_a?(::Set) || value.is_a?(Object)
    end

    # Call +setter+ with +value+ as C takes it (#store for containers,
    # Hashes, Arrays, ::Sets and records).
    def put(value, &setter) # :nodoc:
      case value
      when Container, Hash, Array then store(value, &setter)
      else setter.call(value)
      end
    rescue TypeError
      raise unless Pool.built?(value)

      store(value, &setter)
    end

    # Hand +value+ to +setter+ as C takes it: a container of this pool as
    # its reference; a Hash or Array first made into a new Map or List,
    # deeply, all in one transaction with the setter. The Hashes and
    # Arrays copied are frozen once stored: changing one would change
    # nothing in the pool, and Ruby gives an assignment's right-hand side
    # as its value, so `(map[k] ||= []) << x` raises FrozenError instead
    # of losing x.
    #
    # A ::Set is stored as a new Set, frozen (Pmemkit::Set#frozen?) when
    # the ::Set was: a frozen ::Set stands for an immutable set. The
    # ::Sets that store itself froze keep the state they were stored
    # with, so storing one again stores it as before.
    #
    # A volatile Pmemkit::Object is stored as a new record and bound to it
    # once the transaction is over (a frozen one stays volatile); a bound
    # one as a reference to its record. A Tuple is stored as a tuple, a
    # FrozenSet as a frozen set.
    def store(value, &setter) # :nodoc:
      case value
      when Tuple, FrozenSet then setter.call(value)
      when Hash, Array, ::Set, Object
        copied = []
        result = transaction { setter.call(build(value, {}, copied)) }
        copied.each { |c| settle(c) }
        result
      else setter.call(ref_of(value))
      end
    end

    # A volatile Pmemkit::Object and the record made for it.
    Bind = Struct.new(:obj, :store)
    private_constant :Bind

    # The ::Sets #store froze (not their owners): they store as they did
    # the first time, mutable.
    FROZEN_BY_STORE = ObjectSpace::WeakMap.new
    private_constant :FROZEN_BY_STORE

    private

    def handle
      @h or raise ClosedError.new("pool is closed", Native::PK_ECLOSED)
    end

    # After a store: freeze a Hash, Array or ::Set copied, bind a volatile
    # Pmemkit::Object to its record.
    def settle(copied)
      if copied.is_a?(Bind)
        copied.obj.frozen? ? copied.store.release : copied.obj.__pmemkit_bind(copied.store)
      elsif !copied.frozen?
        FROZEN_BY_STORE[copied] = true if copied.is_a?(::Set)
        copied.freeze
      end
    end

    # The instance of the registered class (else a Pmemkit::Record) bound
    # to the record of +store+.
    def record_object(store)
      (Pmemkit.registered_class(store.class_name) || Record).allocate.__pmemkit_bind(store)
    end

    def ref_of(value)
      return value unless value.is_a?(Container)
      raise ArgumentError, "pmemkit: the container belongs to another pool" unless value.pool.equal?(self)

      value.to_ref
    end

    # The reference to a new container made from a plain Hash or Array
    # (other values as they are); +building+ holds the structures being
    # converted, which must not contain themselves; +copied+ gets every
    # Hash and Array copied, and every record made for a Pmemkit::Object
    # (#settle, after the store). A Tuple or a FrozenSet is a scalar:
    # stored as it is.
    def build(value, building, copied)
      return value if value.is_a?(Tuple) || value.is_a?(FrozenSet)
      return build_set(value, copied) if value.is_a?(::Set)
      return build_record(value, building, copied) if value.is_a?(Object)
      return ref_of(value) unless value.is_a?(Hash) || value.is_a?(Array)
      if building.key?(value.object_id)
        raise ArgumentError, "pmemkit: cannot store a structure that contains itself"
      end

      building[value.object_id] = true
      copied << value
      c = value.is_a?(Hash) ? new_map : new_list
      begin
        if value.is_a?(Hash)
          value.each { |k, v| Native.pk_map_put(c.native_handle, k, build(v, building, copied)) }
        else
          Native.pk_list_extend(c.native_handle, value.map { |v| build(v, building, copied) })
        end
        c.to_ref
      ensure
        c.release
        building.delete(value.object_id)
      end
    end

    # The reference to the record of the Pmemkit::Object +obj+: a new one,
    # which +copied+ gets (with obj, bound to it after the store), unless
    # obj is bound already or met before in this store (an object that
    # refers to itself is a record that does).
    def build_record(obj, building, copied)
      if (store = obj.__pmemkit_store)
        raise ArgumentError, "pmemkit: the record belongs to another pool" unless store.pool.equal?(self)

        return store.to_ref
      end
      seen = copied.find { |c| c.is_a?(Bind) && c.obj.equal?(obj) } and return seen.store.to_ref

      store = RecordStore.new(self, Native.pk_record_new(handle, obj.__pmemkit_class_name))
      copied << Bind.new(obj, store)
      obj.__pmemkit_values.each do |k, v|
        Native.pk_record_put(store.native_handle, k.name, build(v, building, copied))
      end
      store.to_ref
    end

    # The reference to a new Set made from the ::Set +value+ (frozen when
    # its owner froze it); +copied+ gets it.
    def build_set(value, copied)
      copied << value
      s = new_set(value, frozen: value.frozen? && !FROZEN_BY_STORE.key?(value))
      begin
        s.to_ref
      ensure
        s.release
      end
    end
  end
end
