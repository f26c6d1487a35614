# frozen_string_literal: true

module Pmemkit
  # Base of pmemkit's own exceptions. #code is the C return code (a
  # negative PK_E* constant of Pmemkit::Native), nil when Ruby code raised
  # it without one.
  #
  # Errno codes from the C library (a missing file, a pool already open,
  # ...) are raised as Ruby's own SystemCallError subclasses (Errno::ENOENT,
  # Errno::EAGAIN, ...), whose #errno is the code.
  class Error < StandardError
    attr_reader :code

    def initialize(msg = nil, code = nil)
      super(msg)
      @code = code
    end
  end

  # The rows of the C library's error table (PK_ERROR_TABLE):
  # [name, code, class, message].
  ERROR_TABLE = Pmemkit.native_rows(:pk_error_table).map do |r|
    [r.name, r.code, r.cls, r.message].freeze
  end.freeze

  # Ruby names for the table's classes where "<class>Error" would hide a
  # core exception inside this namespace (RangeError), or reads badly.
  CLASS_NAMES = { "Range" => "OutOfRangeError", "Value" => "InvalidValueError" }.freeze
  private_constant :CLASS_NAMES

  # Error class of the table ("NotFound", "PoolError", ...) => the
  # exception raised for it: one Pmemkit::Error subclass per class, made
  # here, so a class added to the table gets its own exception at once.
  # IterOver ends a cursor's loop, which Ruby spells StopIteration.
  ERROR_CLASSES = ERROR_TABLE.each_with_object("Error" => Error, "IterOver" => StopIteration) do |row, classes|
    cls = row[2]
    next if classes.key?(cls)

    name = CLASS_NAMES.fetch(cls) { cls.end_with?("Error") ? cls : "#{cls}Error" }
    classes[cls] = const_set(name, Class.new(Error))
  end.freeze
  Native.pk_rb_set_exceptions(ERROR_CLASSES)

  # The exception pmemkit raises for an error class of the table.
  def self.exception_for(cls)
    ERROR_CLASSES.fetch(cls, Error)
  end
end
