# frozen_string_literal: true

require_relative "helper"

class TestTransaction < PmemkitTest::Case
  def test_commits_at_the_end_of_the_block
    v = pool.transaction do |p|
      assert_same pool, p
      assert p.in_transaction?
      root["a"] = 1
      root["b"] = { "c" => [2] }
      :result
    end
    assert_equal :result, v
    refute pool.in_transaction?
    reopen
    assert_equal({ "a" => 1, "b" => { "c" => [2] } }, root.to_h)
  end

  def test_an_escaping_exception_aborts_and_is_raised_again
    root["keep"] = 1
    error = Class.new(StandardError)
    assert_raises(error) do
      pool.transaction do
        root["keep"] = 2
        root["new"] = { "deep" => [1, 2, 3] }
        root["list"] = []
        root["list"] << 1
        raise error
      end
    end
    assert_equal({ "keep" => 1 }, root.to_h)
    assert_equal 0, pool.transaction_depth
    assert_healthy
    reopen
    assert_equal({ "keep" => 1 }, root.to_h)
  end

  def test_nested_levels_commit_with_the_outermost
    assert_raises(RuntimeError) do
      pool.transaction do
        root["outer"] = 1
        pool.transaction do
          assert_equal 2, pool.transaction_depth
          root["inner"] = 2
        end
        assert_equal 1, pool.transaction_depth
        raise "abort all"
      end
    end
    assert_empty root.keys
  end

  def test_an_inner_abort_aborts_the_whole_transaction
    e = assert_raises(Pmemkit::TransactionError) do
      pool.transaction do
        root["outer"] = 1
        begin
          pool.transaction { raise ArgumentError }
        rescue ArgumentError
          nil
        end
      end
    end
    assert_equal Pmemkit::Native::PK_EABORTED, e.code
    refute root.key?("outer")
    assert_equal 0, pool.transaction_depth
  end

  def test_break_commits
    v = pool.transaction do
      root["i"] = 1
      break :early if root["i"] == 1

      root["i"] = 2
    end
    assert_equal :early, v
    refute pool.in_transaction?
    reopen
    assert_equal 1, root["i"]
  end

  def test_a_block_is_required
    assert_raises(LocalJumpError) { pool.transaction }
    refute pool.in_transaction?
  end

  def test_other_pool_inside_a_transaction
    other = Pmemkit::Pool.create(File.join(@dir, "other.pool"), size: 16 << 20)
    pool.transaction do
      assert_raises(Pmemkit::TransactionError) { other.transaction { nil } }
      root["x"] = 1
    end
    assert_equal 1, root["x"]
  ensure
    other&.close
  end

  def test_closing_the_pool_inside_aborts
    root["x"] = 1
    assert_raises(Pmemkit::TransactionError) do
      pool.transaction do
        root["x"] = 2
        pool.close
      end
    end
    reopen
    assert_equal 1, root["x"]
  end
end
