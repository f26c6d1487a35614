# frozen_string_literal: true

# Shared by the tests: pools in a fresh directory under $PK_TEST_DIR
# (default /dev/shm), removed at the end; the closing summary line.
# Run through bindings/ruby/run-ruby-test (it sets PMEM_IS_PMEM_FORCE=1).
require "minitest/autorun"
require "fileutils"
require "tmpdir"
require "digest"
require "pmemkit"

module Minitest
  # The last line of the run, read by scripts/test:
  # "ruby: N passed, M failed[, S skipped]".
  class PmemkitSummaryReporter < StatisticsReporter
    def report
      super
      failed = failures + errors
      line = +"ruby: #{count - failed - skips} passed, #{failed} failed"
      line << ", #{skips} skipped" if skips.positive?
      io.puts line
    end
  end

  def self.plugin_pmemkit_summary_init(options)
    reporter << PmemkitSummaryReporter.new(options[:io], options)
  end
end
Minitest.extensions << "pmemkit_summary"

module PmemkitTest
  ROOT = Dir.mktmpdir("pmemkit-ruby-", ENV.fetch("PK_TEST_DIR", "/dev/shm"))
  Minitest.after_run { FileUtils.rm_rf(ROOT) }

  # A test with its own directory, @path for its pool file, and #pool, a
  # pool created there on first use and closed at the end.
  class Case < Minitest::Test
    def setup
      @dir = Dir.mktmpdir("t", ROOT)
      @path = File.join(@dir, "test.pool")
    end

    def teardown
      @pool&.close
    ensure
      FileUtils.rm_rf(@dir)
    end

    def pool
      @pool ||= Pmemkit::Pool.create(@path, size: 32 << 20)
    end

    # Close the pool and open it again, as a new session would.
    def reopen
      @pool&.close
      @pool = Pmemkit::Pool.open(@path)
    end

    def root
      pool.root
    end

    MIB = 1 << 20

    # Every file a pool at +path+ consists of: the file itself, and a
    # growing pool's parts ("#{path}.parts") or a replicated pool's data
    # ("#{path}.pmem").
    def files_of(path)
      out = [path]
      %w[.parts .pmem].each do |ext|
        extra = path + ext
        if File.directory?(extra)
          out.concat(Dir.children(extra).sort.map { |f| File.join(extra, f) })
        elsif File.exist?(extra)
          out << extra
        end
      end
      out
    end

    # The bytes of +paths+: path => SHA-256, and the modification time.
    def digest(paths)
      paths.to_h { |f| [f, [Digest::SHA256.file(f).hexdigest, File.mtime(f)]] }
    end

    # +n+ bytes that belong to key +i+ only.
    def value(i, n)
      format("%08d", i).b * (n / 8)
    end

    # The pool is healthy: nothing leaked, dangling or damaged.
    def assert_healthy(p = pool)
      report = p.check
      assert report[:ok], "pool check: #{report.inspect}"
    end
  end
end
