#!/usr/bin/env ruby
# frozen_string_literal: true

# todo.rb -- a persistent to-do list. The list lives in a pmemkit pool, so
# it is there again on the next run, and every change is atomic: a crash
# in the middle of one leaves the list as it was before or after it.
#
#   export PMEM_IS_PMEM_FORCE=1   # where there is no real persistent memory
#   ruby todo.rb /dev/shm/todo.pool add buy milk
#   ruby todo.rb /dev/shm/todo.pool add call Bob
#   ruby todo.rb /dev/shm/todo.pool done 1
#   ruby todo.rb /dev/shm/todo.pool           # what is left
#
# With pmemkit installed it runs as is; from a build tree, put the module
# on the load path: RUBYLIB=bindings/ruby/lib:bindings/ruby/ext.
require "pmemkit"

USAGE = "usage: #{File.basename($PROGRAM_NAME)} POOL [add TEXT... | done N | list]"
path, command, *args = ARGV
abort USAGE unless path

start = File.exist?(path) ? :open : :create
Pmemkit::Pool.public_send(start, path) do |pool|
  root = pool.root
  root["todo"] = [] unless root.key?("todo")
  todo = root["todo"]

  case command
  when "add"
    abort USAGE if args.empty?
    todo << { "text" => args.join(" "), "added" => Time.now.to_i }
  when "done"
    n = Integer(args.first, exception: false) or abort USAGE
    item = todo[n - 1] if n.positive?
    abort "no item #{n}" unless item
    text = item["text"]
    # the item goes and the count grows together, or neither does
    pool.transaction do
      todo.delete_at(n - 1)
      root["done"] = root.fetch("done", 0) + 1
    end
    puts "done: #{text}"
  when nil, "list"
    nil
  else
    abort USAGE
  end

  todo.each.with_index(1) { |entry, i| puts "#{i}. #{entry['text']}" }
  puts "(#{todo.size} to do, #{root.fetch('done', 0)} done)"
end
