# frozen_string_literal: true

module Pmemkit
  # Records: objects of a named class whose attributes live in the pool.
  #
  #   class Point < Pmemkit::Object
  #     attribute :x, :y
  #   end
  #   Pmemkit.register(Point)          # the name stored: "Point"
  #
  #   root["p"] = Point.new(x: 1, y: 2)   # a record; the Point is bound to it
  #   pt = root["p"]                       # a Point bound to the record
  #   pt.x = 5                             # written to the pool, atomically
  #   q = pool.new(Point, x: 1, y: 2)      # made in the pool directly
  #
  # The registry maps class names to classes; only the program fills it
  # (Pmemkit.register): reading a pool never loads, requires or runs
  # anything the pool names. A record whose class name is not registered
  # reads as a Pmemkit::Record, whose class name and attributes are still
  # there to read and write.
  REGISTRY = {} # name => class
  REGISTERED_NAMES = {}.compare_by_identity # class => name
  REGISTRY_LOCK = Mutex.new
  private_constant :REGISTRY, :REGISTERED_NAMES, :REGISTRY_LOCK

  class << self
    # Make records of class +name+ read as instances of +klass+ (a
    # subclass of Pmemkit::Object), and instances of +klass+ store as
    # records of class +name+ (default: the class's name). A name or a
    # class registered already for another raises ArgumentError;
    # registering the same pair again does nothing. Returns +klass+.
    def register(klass, name = nil)
      unless klass.is_a?(Class) && klass < Object && !(klass <= Record)
        raise TypeError, "pmemkit: only subclasses of Pmemkit::Object are registered, not #{klass.inspect}"
      end

      name = Record.class_name_of(name || klass.name || raise(ArgumentError, "pmemkit: #{klass.inspect} has no name: give one"))
      REGISTRY_LOCK.synchronize do
        if (other = REGISTRY[name]) && !other.equal?(klass)
          raise ArgumentError, "pmemkit: the class name #{name.inspect} is registered for #{other}"
        end
        if (old = REGISTERED_NAMES[klass]) && old != name
          raise ArgumentError, "pmemkit: #{klass} is registered as #{old.inspect}"
        end

        REGISTRY[name] = klass
        REGISTERED_NAMES[klass] = name
      end
      klass
    end

    # Forget the registration of a class or a class name; what it was
    # registered with (a name or a class), or nil.
    def unregister(klass_or_name)
      REGISTRY_LOCK.synchronize do
        if klass_or_name.is_a?(Class)
          name = REGISTERED_NAMES.delete(klass_or_name)
          REGISTRY.delete(name) if name
          name
        else
          klass = REGISTRY.delete(klass_or_name.to_s)
          REGISTERED_NAMES.delete(klass) if klass
          klass
        end
      end
    end

    # The class registered for a class name, or nil.
    def registered_class(name)
      REGISTRY[name]
    end

    # The class name a class is registered with, or nil.
    def registered_name(klass)
      REGISTERED_NAMES[klass]
    end
  end

  # The handle to a persistent record, through which a bound
  # Pmemkit::Object reads and writes its attributes (names are Strings).
  class RecordStore < Container # :nodoc:
    native close: :pk_record_close, ref: :pk_record_value

    def class_name
      @class_name ||= Native.pk_record_class(@h).freeze
    end

    # The value of attribute +name+, or +missing+.
    def get(name, missing = nil)
      v = Native.pk_rb_record_lookup(@h, name, missing)
      Ref === v ? @pool.wrap(v) : v
    end

    # The value of attribute +name+ as a plain copy, or nil.
    def get_plain(name)
      plain(Native.pk_rb_record_lookup(@h, name, nil))
    end

    def put(name, value)
      @pool.put(value) { |v| Native.pk_record_put(@h, name, v) }
    end

    # Remove attribute +name+: whether it was there.
    def remove(name)
      Native.pk_record_remove(@h, name)
    end

    def key?(name)
      Native.pk_record_contains(@h, name) != 0
    end

    def size
      Native.pk_record_length(@h)
    end

    # Yield each attribute's name and value as read (containers as
    # Pmemkit objects), or as a plain copy with plain: true.
    def each(plain: false)
      each_of_cursor(Native.pk_record_cursor(@h)) { |k, v| yield k, plain ? plain(v) : wrap(v) }
    end

    def inspect
      "#<#{self.class} #{class_name}>"
    end
  end

  # The base of the classes whose instances are stored as records:
  #
  #   class Point < Pmemkit::Object
  #     attribute :x, :y
  #     def norm = Math.hypot(x, y)
  #   end
  #   Pmemkit.register(Point)
  #
  # An instance is either volatile (made with new: its attributes are in
  # memory until it is stored) or bound to a record (read from a pool,
  # made by Pool#new, or stored: storing a volatile instance binds it to
  # the new record). A bound instance reads and writes its attributes in
  # the pool, each write atomic (Pool#transaction groups several). Reading
  # an attribute the record lacks gives nil.
  #
  # Each attribute has a reader and a writer; #[] and #[]= take its name
  # (a Symbol or a String). An undeclared attribute raises NoMethodError,
  # as for any object. #to_h gives every attribute the record holds
  # (Symbol keys, plain copies); == compares the class and #to_h.
  #
  # Inside `module Pmemkit`, write ::Object for Ruby's own Object.
  class Object
    # Core methods an attribute must not replace.
    RESERVED = %i[class hash object_id send __send__ public_send freeze frozen? dup clone
                  initialize initialize_copy instance_variable_get instance_variable_set
                  respond_to? is_a? kind_of? instance_of? method methods equal? eql? ==
                  inspect to_s].freeze
    private_constant :RESERVED

    class << self
      # Declare attributes: a reader and a writer for each. Returns their
      # names.
      def attribute(*names)
        names.map do |name|
          sym = attribute_name(name)
          own_attributes[sym] = true
          define_method(sym) { __pmemkit_read(sym) }
          define_method(:"#{sym}=") { |value| __pmemkit_write(sym, value) }
          sym
        end
      end

      # attr_writer and attr_accessor would look like attributes and
      # store nothing: they raise, naming #attribute.
      def attr_writer(*names)
        raise ArgumentError, "pmemkit: #{self}'s attr_writer #{names.join(', ')} would not be stored: " \
                             "declare attribute #{names.map(&:inspect).join(', ')} (or write an instance " \
                             "variable yourself for state that is not)"
      end
      alias attr_accessor attr_writer

      # The declared attributes, inherited ones first.
      def attribute_names
        inherited = superclass <= Object ? superclass.attribute_names : []
        inherited | own_attributes.keys
      end

      # Whether +sym+ is a declared attribute.
      def attribute?(sym)
        own_attributes.key?(sym) || (superclass <= Object && superclass.attribute?(sym))
      end

      private

      def own_attributes
        @own_attributes ||= {}
      end

      def attribute_name(name)
        sym = name.to_sym if name.is_a?(Symbol) || name.is_a?(String)
        unless sym && sym.name.match?(/\A[[:alpha:]_][[:alnum:]_]*\z/)
          raise ArgumentError, "pmemkit: an attribute name is a Symbol or String " \
                               "that names a method, not #{name.inspect}"
        end
        if RESERVED.include?(sym) || Object.public_method_defined?(sym, false)
          raise ArgumentError, "pmemkit: an attribute cannot be named #{sym} (a method every Pmemkit::Object needs)"
        end

        sym
      end
    end

    # A volatile instance with the attributes given; the declared ones not
    # given are nil. An unknown attribute raises ArgumentError. Through
    # Pool#new, the attributes are written to the new record.
    def initialize(**attrs)
      values = attrs.transform_keys { |k| k.to_sym }
      unknown = values.keys.reject { |k| self.class.attribute?(k) }
      raise ArgumentError, "unknown attribute#{'s' if unknown.size > 1}: #{unknown.join(', ')}" unless unknown.empty?

      self.class.attribute_names.each { |sym| __pmemkit_write(sym, values[sym]) }
    end

    # Another instance with the same attributes: a volatile copy of a
    # volatile instance, another view of the record of a bound one.
    def initialize_copy(orig)
      super
      @__pmemkit_values = @__pmemkit_values.dup if @__pmemkit_values
    end

    # The value of attribute +name+ (a Symbol or a String).
    def [](name)
      __pmemkit_read(attr_sym(name))
    end

    # Set attribute +name+.
    def []=(name, value)
      __pmemkit_write(attr_sym(name), value)
    end

    # Follow the attribute +name+, then keys and indexes, as Struct#dig.
    def dig(name, *rest)
      v = self[name]
      rest.empty? || v.nil? ? v : v.dig(*rest)
    end

    # Remove attribute +name+ from the record (it then reads as nil);
    # whether it was there.
    def delete_attribute(name)
      sym = attr_sym(name)
      writable!
      s = @__pmemkit_store
      return s.remove(sym.name) if s

      had = __pmemkit_values.key?(sym)
      @__pmemkit_values&.delete(sym)
      had
    end

    # Yield each attribute the record holds, as a Symbol, and its value as
    # a reader gives it (containers as Pmemkit objects).
    def each_pair
      return enum_for(:each_pair) unless block_given?

      if (s = @__pmemkit_store)
        s.each { |k, v| yield k.to_sym, v }
      else
        (@__pmemkit_values || {}).each { |k, v| yield k, v }
      end
      self
    end

    # A Hash of every attribute the record holds (Symbol keys), values as
    # plain copies (Maps as Hashes, records as frozen volatile instances).
    def to_h
      return (@__pmemkit_values || {}).dup unless (s = @__pmemkit_store)

      h = {}
      s.each(plain: true) { |k, v| h[k.to_sym] = v }
      h
    end

    def ==(other)
      other.class == self.class && (same_record?(other) || to_h == other.to_h)
    end

    # #<Point x=1, y=2>; a record met again inside (a cycle) is
    # #<Point ...>.
    def inspect
      seen = (Thread.current[:__pmemkit_inspecting] ||= {})
      id = (s = @__pmemkit_store) ? [s.pool.object_id, s.to_ref.off] : object_id
      return "#<#{inspect_name} ...>" if seen.key?(id)

      begin
        seen[id] = true
        attrs = []
        each_pair { |k, v| attrs << "#{k}=#{v.inspect}" }
        "#<#{inspect_name}#{' ' unless attrs.empty?}#{attrs.join(', ')}>"
      ensure
        seen.delete(id)
      end
    rescue Error => e
      "#<#{inspect_name}: #{e.message}>"
    end
    alias to_s inspect

    # ---- for the pool's use -------------------------------------------

    # The RecordStore this instance is bound to, or nil.
    def __pmemkit_store # :nodoc:
      @__pmemkit_store
    end

    # The attributes of a volatile instance (Symbol => value).
    def __pmemkit_values # :nodoc:
      @__pmemkit_values || {}
    end

    # Bind to +store+: from now on the attributes are the record's.
    def __pmemkit_bind(store) # :nodoc:
      @__pmemkit_store = store
      @__pmemkit_values = nil
      self
    end

    # Make this (allocated) instance a frozen volatile copy of +values+.
    def __pmemkit_copy_of(_class_name, values) # :nodoc:
      @__pmemkit_values = values
      freeze
    end

    # The class name its record has, or is to have.
    def __pmemkit_class_name # :nodoc:
      Object.registered_name!(self.class)
    end

    # The name +klass+ is registered with; TypeError if it is not.
    def self.registered_name!(klass) # :nodoc:
      Pmemkit.registered_name(klass) or
        raise TypeError, "pmemkit: #{klass} is not registered: Pmemkit.register(#{klass}) first"
    end

    private

    def inspect_name
      self.class.name || self.class.inspect
    end

    def same_record?(other)
      s = @__pmemkit_store or return false
      o = other.__pmemkit_store or return false
      s.same?(o)
    end

    def attr_sym(name)
      sym = name.to_sym if name.is_a?(Symbol) || name.is_a?(String)
      return sym if sym && self.class.attribute?(sym)

      raise NoMethodError.new("undefined attribute `#{name}' for #{inspect_name}", sym || name, receiver: self)
    end

    def writable!
      raise FrozenError.new("can't modify frozen #{self.class}: #{inspect}", receiver: self) if frozen?
    end

    def __pmemkit_read(sym)
      return @__pmemkit_values&.[](sym) unless (s = @__pmemkit_store)

      s.get(sym.name)
    end

    def __pmemkit_write(sym, value)
      writable!
      if (s = @__pmemkit_store)
        s.put(sym.name, value)
      else
        (@__pmemkit_values ||= {})[sym] = value
      end
      value
    end
  end

  # A record whose class name is not registered (or one made without a
  # class of its own): its class name and attributes, Hash-like.
  #
  #   rec = root["p"]          # a Pmemkit::Record when "Point" is not registered
  #   rec.class_name           # => "Point"
  #   rec[:x]; rec["x"]; rec.x # the attribute (nil, nil, NoMethodError when missing)
  #   rec[:z] = 3; rec.z = 4   # written to the pool
  #   rec.to_h; rec.keys; rec.size; rec.delete(:z); rec.fetch(:x)
  #
  # Pmemkit::Record.new("Point", x: 1) makes a volatile one, stored as a
  # record of class "Point" (no registration needed).
  class Record < Object
    # +name+ as a class name: a String (or Symbol) of 1 to 1024 bytes of
    # valid text, as UTF-8.
    def self.class_name_of(name)
      s = name.is_a?(Symbol) ? name.name : name
      raise TypeError, "pmemkit: a class name is a String, not #{name.class}" unless s.is_a?(String)

      s = s.encode(Encoding::UTF_8)
      unless s.valid_encoding? && s.bytesize.between?(1, Native::PK_RECORD_CLASS_MAX)
        raise ArgumentError, "pmemkit: a class name has 1 to #{Native::PK_RECORD_CLASS_MAX} bytes of valid text"
      end

      -s
    rescue EncodingError
      raise ArgumentError, "pmemkit: a class name is text: #{name.inspect}"
    end

    # A volatile record of class +class_name+ with the attributes given.
    def initialize(class_name, **attrs)
      @class_name = Record.class_name_of(class_name) unless @__pmemkit_store
      attrs.each { |k, v| self[k] = v }
    end

    # The record's class name (a frozen String).
    def class_name
      s = @__pmemkit_store
      s ? s.class_name : @class_name
    end

    # The value of attribute +name+; when missing, the block's value, else
    # +default+, else KeyError (as Hash#fetch).
    def fetch(name, *default)
      sym = attr_sym(name)
      v = key?(sym) ? self[sym] : MISSING
      return v unless MISSING.equal?(v)
      return yield(sym) if block_given?
      return default.first unless default.empty?

      raise KeyError.new("attribute not found: #{sym}", receiver: self, key: sym)
    end
    MISSING = ::Object.new.freeze
    private_constant :MISSING

    def key?(name)
      sym = attr_sym(name)
      (s = @__pmemkit_store) ? s.key?(sym.name) : __pmemkit_values.key?(sym)
    end
    alias has_key? key?
    alias include? key?
    alias member? key?

    # Remove attribute +name+ and return its value (a plain copy), or nil.
    def delete(name)
      sym = attr_sym(name)
      return nil unless key?(sym)

      v = (s = @__pmemkit_store) ? s.get_plain(sym.name) : __pmemkit_values[sym]
      delete_attribute(sym)
      v
    end

    # The attributes' names, as Symbols.
    def keys
      each_pair.map { |k, _| k }
    end

    def size
      (s = @__pmemkit_store) ? s.size : __pmemkit_values.size
    end
    alias length size

    def each(&block)
      each_pair(&block)
    end

    def ==(other)
      other.is_a?(Record) && class_name == other.class_name && (same_record?(other) || to_h == other.to_h)
    end

    # Attributes as methods: rec.x, rec.x = 1; NoMethodError for an
    # attribute the record does not have.
    def method_missing(name, *args, &block)
      attr = name.name
      if attr.end_with?("=") && args.size == 1 && !block
        self[attr.chomp("=")] = args[0]
      elsif args.empty? && !block && key?(name)
        self[name]
      else
        super
      end
    end

    def respond_to_missing?(name, include_private = false)
      attr = name.name
      attr.end_with?("=") || key?(name) || super
    end

    def __pmemkit_class_name # :nodoc:
      class_name
    end

    def __pmemkit_copy_of(class_name, values) # :nodoc:
      @class_name = class_name
      super
    end

    private

    def inspect_name
      "Pmemkit::Record #{class_name}"
    end

    # any name is an attribute's
    def attr_sym(name)
      return name.to_sym if name.is_a?(Symbol) || name.is_a?(String)

      raise TypeError, "pmemkit: an attribute name is a Symbol or a String, not #{name.class}"
    end
  end
end
