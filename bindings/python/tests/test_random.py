# A long random differential test: a pmemkit map of lists and maps against
# plain dicts and lists, compared after every step and across reopens.
import os
import random

import pmemkit

STEPS = int(os.environ.get("PK_RANDOM_STEPS", "15000"))


def rand_scalar(rng):
    return rng.choice([
        None, True, False, rng.randint(-5, 5), rng.randint(-2**70, 2**70),
        rng.random(), "s%d" % rng.randint(0, 9), "é\0" * rng.randint(0, 3),
        bytes(rng.randint(0, 60)), "x" * rng.randint(0, 80)])


def rand_value(rng, depth=0):
    r = rng.random()
    if depth < 2 and r < 0.1:
        return {rand_key(rng): rand_value(rng, depth + 1)
                for _ in range(rng.randint(0, 3))}
    if depth < 2 and r < 0.2:
        return [rand_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return rand_scalar(rng)


def rand_key(rng):
    return rng.choice([rng.randint(0, 30), "k%d" % rng.randint(0, 30),
                       float(rng.randint(0, 5)), b"b%d" % rng.randint(0, 5)])


def test_random_differential(path):
    rng = random.Random(int(os.environ.get("PK_SEED", "0")) or 12345)
    model = {}
    p = pmemkit.Pool.create(path)
    try:
        root = p.root
        for step in range(STEPS):
            op = rng.random()
            lists = [k for k, v in model.items() if isinstance(v, list)]
            if op < 0.35:
                k, v = rand_key(rng), rand_value(rng)
                model[k] = v
                root[k] = v
            elif op < 0.45 and model:
                k = rng.choice(list(model))
                del model[k]
                del root[k]
            elif op < 0.5:
                k = rand_key(rng)
                assert (k in root) == (k in model)
                assert root.get(k, "dflt") == (
                    model.get(k, "dflt") if not isinstance(
                        model.get(k), (dict, list)) else root.get(k))
            elif op < 0.8 and lists:
                k = rng.choice(lists)
                ml, pl = model[k], root[k]
                o = rng.randrange(8)
                n = len(ml)
                if o == 0:
                    v = rand_value(rng)
                    ml.append(v)
                    pl.append(v)
                elif o == 1 and n:
                    i = rng.randrange(-n, n)
                    assert pl.pop(i) == ml.pop(i)
                elif o == 2:
                    i = rng.randint(-n - 2, n + 2)
                    v = rand_scalar(rng)
                    ml.insert(i, v)
                    pl.insert(i, v)
                elif o == 3:
                    a, b = sorted(rng.randint(-n - 1, n + 1) for _ in "ab")
                    vals = [rand_scalar(rng) for _ in range(rng.randint(0, 4))]
                    ml[a:b] = vals
                    pl[a:b] = vals
                elif o == 4:
                    a, b = sorted(rng.randint(-n - 1, n + 1) for _ in "ab")
                    st = rng.choice([1, 2, -1, 3])
                    del ml[a:b:st]
                    del pl[a:b:st]
                elif o == 5 and n:
                    i = rng.randrange(-n, n)
                    v = rand_value(rng)
                    ml[i] = v
                    pl[i] = v
                elif o == 6:
                    vals = [rand_scalar(rng) for _ in range(rng.randint(0, 5))]
                    ml.extend(vals)
                    pl.extend(vals)
                else:
                    a, b = sorted(rng.randint(-n - 1, n + 1) for _ in "ab")
                    st = rng.choice([1, 2, -1, -2])
                    assert pl[a:b:st] == [x if not isinstance(x, (dict, list))
                                          else pl[a:b:st][j] for j, x in
                                          enumerate(ml[a:b:st])]
            elif op < 0.9:
                # a transaction that fails half way changes nothing
                try:
                    with p.transaction():
                        root["tmp"] = [1, 2]
                        k = rand_key(rng)
                        root[k] = rand_value(rng)
                        raise ZeroDivisionError
                except ZeroDivisionError:
                    pass
            elif op < 0.99:
                with p.transaction():
                    for _ in range(rng.randint(1, 5)):
                        k, v = rand_key(rng), rand_value(rng)
                        model[k] = v
                        root[k] = v
            else:
                p.close()
                p = pmemkit.Pool.open(path)
                root = p.root
            assert root.to_python() == model, "step %d" % step
        assert p.check()["ok"]
    finally:
        p.close()
    with pmemkit.Pool.open(path) as p:
        assert p.root.to_python() == model
        assert p.check()["ok"]
