# Threads sharing one pool: transfers in transactions keep a total that
# readers in transactions always see whole; each thread's own keys end as
# its own model says; values of other threads' keys read back well formed.
import random
import threading

import pmemkit

THREADS = 4
STEPS = 1500
ACCOUNTS = 8


def worker(pool, t, model, errors):
    r = random.Random(t)
    m = pool.root
    acct = m["acct"]
    log = m["log"]
    try:
        for i in range(STEPS):
            x = r.random()
            if x < 0.25:
                a, b = r.randrange(ACCOUNTS), r.randrange(ACCOUNTS)
                with pool.transaction():
                    acct[a] -= 1
                    acct[b] += 1
            elif x < 0.4:
                with pool.transaction():
                    total = sum(acct[j] for j in range(ACCOUNTS))
                assert total == 100 * ACCOUNTS, total
            elif x < 0.7:
                k = t * 1000 + r.randrange(50)
                v = b"v" * r.randrange(100) + str(k).encode()
                m[k] = v
                model[k] = v
            elif x < 0.8:
                log.append((t, i))
            else:
                k = r.randrange(THREADS) * 1000 + r.randrange(50)
                v = m.get(k)
                assert v is None or v.endswith(str(k).encode()), (k, v)
    except Exception as e:  # reported by the main thread
        errors.append("thread %d: %r" % (t, e))


def test_threads_share_a_pool(path):
    pool = pmemkit.Pool.create(path, size=64 << 20)
    pool.root["acct"] = {j: 100 for j in range(ACCOUNTS)}
    pool.root["log"] = []
    models = [{} for _ in range(THREADS)]
    errors = []
    threads = [threading.Thread(target=worker,
                                args=(pool, t, models[t], errors))
               for t in range(THREADS)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    pool.close()

    pool = pmemkit.Pool.open(path)
    try:
        m = pool.root
        assert sum(m["acct"].values()) == 100 * ACCOUNTS
        for model in models:
            for k, v in model.items():
                assert m[k] == v
        per_thread = {}
        for t, i in m["log"]:
            assert i > per_thread.get(t, -1)
            per_thread[t] = i
        assert pool.check()["ok"]
    finally:
        pool.close()
