# frozen_string_literal: true

require_relative "helper"
require "open3"
require "rbconfig"

# examples/ruby/todo.rb keeps its list across runs.
class TestExample < PmemkitTest::Case
  TODO = File.expand_path("../../../examples/ruby/todo.rb", __dir__)

  def test_the_list_survives_a_restart
    todo("add", "buy", "milk")
    todo("add", "call Bob")
    assert_equal "1. buy milk\n2. call Bob\n(2 to do, 0 done)\n", todo
    assert_match "done: buy milk", todo("done", "1")
    assert_equal "1. call Bob\n(1 to do, 1 done)\n", todo("list")
  end

  private

  def todo(*args)
    out, err, status = Open3.capture3(RbConfig.ruby, TODO, @path, *args)
    assert status.success?, "todo.rb #{args.join(' ')}: #{err}"
    out
  end
end
