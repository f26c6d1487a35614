#!/usr/bin/env python3
"""python-docs.py HEADER PKGDIR -- the Python module's docstrings against
the C header, which is the one source of the API's documentation.

1. Every public method of a public class in PKGDIR/*.py that calls a
   wrapped C function (a name from ._calls, a module's own name for one,
   or _pmemkit.pk_*) has a docstring.
2. The core calls (CORE below) have a docstring that names the C function
   they wrap, as "See pk_name(3)".
3. Every pk_name(3) a docstring names is a function of HEADER (so `man
   pk_name` finds it).
Reads the sources (ast); needs no built module. Prints one line per
problem and a count; exits 1 on a problem."""
import ast
import os
import re
import sys

# (class, method, the C function it wraps)
CORE = [
    ("Pool", "create", "pk_pool_create_opts"),
    ("Pool", "open", "pk_pool_open_opts"),
    ("Pool", "close", "pk_pool_close"),
    ("Pool", "root", "pk_pool_root"),
    ("Pool", "transaction", "pk_tx_begin"),
    ("Pool", "new_map", "pk_map_new"),
    ("Pool", "new_list", "pk_list_new"),
    ("Pool", "new_sorted_map", "pk_sorted_new"),
    ("Pool", "gc", "pk_pool_gc"),
    ("Pool", "check", "pk_pool_check"),
    ("Pool", "stats", "pk_pool_stats_get"),
    ("Pool", "defrag", "pk_pool_defrag"),
    ("Pool", "sync", "pk_pool_sync"),
    ("Pool", "repair", "pk_pool_repair"),
    ("Map", "__getitem__", "pk_map_get"),
    ("Map", "get", "pk_map_get"),
    ("Map", "__setitem__", "pk_map_put"),
    ("Map", "__delitem__", "pk_map_remove"),
    ("Map", "clear", "pk_map_clear"),
    ("List", "__getitem__", "pk_list_get"),
    ("List", "append", "pk_list_append"),
    ("List", "insert", "pk_list_insert"),
    ("List", "extend", "pk_list_extend"),
    ("List", "pop", "pk_list_pop"),
    ("SortedMap", "__getitem__", "pk_sorted_get"),
    ("SortedMap", "get", "pk_sorted_get"),
    ("SortedMap", "__setitem__", "pk_sorted_put"),
    ("SortedMap", "__delitem__", "pk_sorted_remove"),
    ("Log", "append", "pk_log_append"),
    ("Log", "extend", "pk_log_extend"),
    ("Log", "tell", "pk_log_tell"),
    ("Set", "add", "pk_set_add"),
    ("Set", "discard", "pk_set_discard"),
    ("Array", "__getitem__", "pk_array_get"),
    ("Array", "__setitem__", "pk_array_set"),
    ("Array", "resize", "pk_array_resize"),
    ("Blocks", "__getitem__", "pk_blocks_get"),
    ("Blocks", "__setitem__", "pk_blocks_write"),
    ("Blocks", "zero", "pk_blocks_zero"),
    ("Blocks", "grow", "pk_blocks_grow"),
    ("Region", "persist", "pk_region_persist"),
    ("Region", "flush", "pk_region_flush"),
]


def calls_c(fn, wrapped):
    for node in ast.walk(fn):
        if isinstance(node, ast.Name) and node.id in wrapped:
            return True
        if (isinstance(node, ast.Attribute) and node.attr.startswith("pk_")
                and isinstance(node.value, ast.Name)
                and node.value.id == "_pmemkit"):
            return True
    return False


def main():
    header, pkg = sys.argv[1:3]
    funcs = set(re.findall(r"\b(pk_\w+)\s*\(", open(header).read()))
    problems, methods, core = [], 0, {}
    for name in sorted(os.listdir(pkg)):
        if not name.endswith(".py"):
            continue
        path = os.path.join(pkg, name)
        tree = ast.parse(open(path).read(), path)
        wrapped = {a.asname or a.name for n in ast.walk(tree)
                   if isinstance(n, ast.ImportFrom) and n.module == "_calls"
                   for a in n.names}
        # and the module's own names for them: _x = _pmemkit.pk_x
        wrapped |= {t.id for n in tree.body if isinstance(n, ast.Assign)
                    and isinstance(n.value, ast.Attribute)
                    and n.value.attr.startswith("pk_")
                    for t in n.targets if isinstance(t, ast.Name)}
        for node in ast.walk(tree):
            doc = (ast.get_docstring(node, clean=False) or ""
                   if isinstance(node, (ast.Module, ast.ClassDef,
                                        ast.FunctionDef)) else "")
            for ref in re.findall(r"\b(pk_\w+)\(3\)", doc):
                if ref not in funcs:
                    line = getattr(node, "lineno", 1)
                    problems.append("%s:%d: %s(3) is no function of %s"
                                    % (path, line, ref, header))
            if not isinstance(node, ast.ClassDef) or node.name.startswith("_"):
                continue
            for fn in node.body:
                if not isinstance(fn, ast.FunctionDef):
                    continue
                core[(node.name, fn.name)] = ast.get_docstring(fn) or ""
                if fn.name.startswith("_") or not calls_c(fn, wrapped):
                    continue
                methods += 1
                if not ast.get_docstring(fn):
                    problems.append("%s:%d: %s.%s calls C and has no "
                                    "docstring" % (path, fn.lineno,
                                                   node.name, fn.name))
    for cls, meth, cfn in CORE:
        doc = core.get((cls, meth))
        if cfn not in funcs:
            problems.append("%s: no such C function (CORE of %s)"
                            % (cfn, sys.argv[0]))
        elif doc is None:
            problems.append("%s.%s: no such method" % (cls, meth))
        elif "See %s(3)" % cfn not in doc:
            problems.append("%s.%s: docstring does not say \"See %s(3)\""
                            % (cls, meth, cfn))
    for p in problems:
        print("FAIL: " + p)
    print("python docs: %d methods calling C, %d core calls, %d problems"
          % (methods, len(CORE), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
